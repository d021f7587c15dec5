"""Helpers shared by the test modules: fixture villages, whole-site builds, a local web server.

Import as ``from tests.support import ...`` (pytest puts the project root on sys.path).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "data" / "wonosobo-wilayah-2025.csv"
CHROMIUM = Path("/usr/bin/chromium")
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = "jalankan `make test` (atau `bash scripts/setup-test-tools.sh`) untuk memasang alat uji"


@functools.lru_cache(maxsize=None)
def registry():
    from papan_desa.registry import load_registry
    return load_registry(REGISTRY)


def wilayah(slug: str):
    """The registry entry whose suggested folder name is ``slug`` (KeyError if none)."""
    return registry().by_slug()[slug]


def fixture_village(parent: Path, name: str, *, body: str | None = None, news: int = 0,
                    pages: dict[str, str] | None = None, **profile) -> Path:
    """Write a small valid village folder ``parent/name`` and return it.

    ``name`` is a registry slug ("kaligowong", "krasak-selomerto"); name, code, jenis and
    kecamatan come from the registry so the village passes every registry check.
    ``profile`` overrides or adds desa.md keys (``Contoh="tidak"``, ``Email="..."``);
    a value of None drops the key. ``news`` writes that many articles in berita/ (two
    categories), ``pages`` writes halaman/<slug>.md pages ({slug: markdown body}).
    """
    w = wilayah(name)
    meta = {
        "Nama": w.nama, "Kode": w.kode, "Jenis": w.jenis, "Kecamatan": w.kecamatan,
        "Kepala_desa": "Sri Lestari", "Alamat_kantor": f"Jl. Raya {w.nama} No. 1, {w.kecamatan}",
        "WhatsApp": "0812 2700 1234", "Koordinat": "-7.3601, 109.9012",
        "Luas_wilayah": "312,5", "Ketinggian": "780", "Contoh": "ya",
    }
    for key, value in profile.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    vdir = parent / name
    vdir.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{k}: {v}\n" for k, v in meta.items())
    text += "\n" + (body if body is not None else f"## Sejarah\n\n{w.nama} adalah desa untuk pengujian Papan Desa.\n")
    (vdir / "desa.md").write_text(text, encoding="utf-8")
    if news:
        (vdir / "berita").mkdir(exist_ok=True)
        for i in range(1, news + 1):
            cat = "Pemerintahan" if i % 2 else "Kegiatan Warga"
            slug = f"2025-03-{i:02d}-kabar-{i:02d}"
            (vdir / "berita" / f"{slug}.md").write_text(
                f"Title: Kabar desa nomor {i}\nDate: 2025-03-{i:02d} 09:00\nAuthor: Operator Desa\n"
                f"Category: {cat}\nSlug: {slug}\n\nIsi kabar nomor {i} untuk warga {w.nama}.\n", encoding="utf-8")
    for slug, page_body in (pages or {}).items():
        (vdir / "halaman").mkdir(exist_ok=True)
        (vdir / "halaman" / f"{slug}.md").write_text(
            f"Title: {slug.replace('-', ' ').capitalize()}\nSlug: {slug}\n\n{page_body}\n", encoding="utf-8")
    return vdir


def build_site(villages_dir: Path, output_dir: Path, cache_dir: Path, *, settings: str = "pelicanconf.py", **kw):
    """Build a whole site (portal + every village in ``villages_dir``); returns the BuildReport."""
    from papan_desa.build import BuildOptions, build
    return build(BuildOptions(root=ROOT, settings_file=ROOT / settings, villages_dir=villages_dir,
                              output_dir=output_dir, cache_dir=cache_dir, jobs=kw.pop("jobs", 2), **kw))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def end_headers(self):
        # LinkChecker limits itself to a few requests a second unless the server sends this header.
        self.send_header("LinkChecker", "papan-desa-uji")
        super().end_headers()


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="papan-test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def require(ok: bool, what: str) -> None:
    """A missing test tool fails the test under CI and skips it elsewhere, with the fix."""
    if ok:
        return
    msg = f"{what} tidak ada: {SETUP_HINT}"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def have_java() -> bool:
    try:
        return subprocess.run(["java", "-version"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def copy_villages(dst: Path) -> Path:
    """A copy of the bundled villages/ folder (tests must not write into the real one)."""
    shutil.copytree(ROOT / "villages", dst, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return dst


def guide_screenshot(page, name: str, *, full_page: bool = False) -> None:
    """Write docs/gambar/<name>.png for a user guide (64 colours) when it is missing or when
    PAPAN_UPDATE_SCREENSHOTS=1, so the guides' pictures do not churn on every run."""
    target = ROOT / "docs" / "gambar" / f"{name}.png"
    if target.exists() and os.environ.get("PAPAN_UPDATE_SCREENSHOTS") != "1":
        return
    import io

    from PIL import Image

    im = Image.open(io.BytesIO(page.screenshot(full_page=full_page))).convert("RGB")
    target.parent.mkdir(parents=True, exist_ok=True)
    im.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


PROJECT_PARTS = ["Makefile", "pelicanconf.py", "publishconf.py", "requirements.txt", "requirements-dev.txt",
                 "plugins", "theme", "content", "data", "scripts"]


def project_copy(tmp_path: Path) -> Path:
    """A copy of the project (working tree, not the git index) with two villages, in a fresh git repo:
    what ``make github`` and ``papan cabut`` run in."""
    import subprocess

    proj = tmp_path / "proyek"
    proj.mkdir()
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, proj / part, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        elif src.is_file():
            shutil.copy2(src, proj / part)
    (proj / "villages").mkdir()
    shutil.copytree(ROOT / "villages" / "kaligowong", proj / "villages" / "kaligowong")
    fixture_village(proj / "villages", "erorejo", news=1)
    subprocess.run(["git", "init", "--quiet"], cwd=proj, check=True, capture_output=True)
    return proj
