"""Shared by the Papan Admin tests: a village in a temporary git repository with a bare remote."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from tests.support import ROOT, fixture_village

SLUG = "kaligowong"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Petugas Kabupaten",
                           "-c", "user.email=kabupaten@contoh.id", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


OTHER = "sumbersari"


def village_repo(tmp: Path, *, remote: bool = True, others: tuple[str, ...] = ()) -> tuple[Path, Path, Path | None]:
    """(repo, villages dir, bare remote) with one small valid village that has news and a 2025 budget
    (plus the villages named in ``others``, each with one news post)."""
    repo = tmp / "kabupaten"
    villages = repo / "villages"
    vdir = fixture_village(villages, SLUG, news=1)
    for other in others:
        fixture_village(villages, other, news=1)
    shutil.copytree(ROOT / "villages" / SLUG / "apbdes", vdir / "apbdes")
    # The budget years link their Perdes in the legal-products list, with the PDFs.
    shutil.copy(ROOT / "villages" / SLUG / "produk-hukum.csv", vdir / "produk-hukum.csv")
    shutil.copytree(ROOT / "villages" / SLUG / "dokumen", vdir / "dokumen")
    (vdir / "gambar").mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Awal")
    bare = None
    if remote:
        bare = tmp / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
        git(repo, "remote", "add", "origin", str(bare))
        git(repo, "push", "-q", "-u", "origin", "main")
    return repo, villages, bare


def make_app(tmp: Path, villages: Path, **kw):
    """The app over ``villages``; its accounts file and work folder are under ``tmp`` (never the project's)."""
    from papan_desa.admin import create_app
    kw.setdefault("accounts", tmp / "akun" / "pengguna.json")
    return create_app(ROOT, villages, work_dir=tmp / "kerja", testing=True, **kw)


def add_account(app, name: str, password: str, **kw):
    return app.extensions["papan"].accounts.add(name, password, **kw)


def login(client, name: str, password: str):
    page = client.get("/masuk")
    return client.post("/masuk", data={**form_tokens(page.text), "nama": name, "sandi": password})


@contextmanager
def serve(app, threads: int = 6):
    """The app under waitress (as ``papan admin --server`` runs it) on a free port; yields the base URL."""
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=loop, name="papan-admin-uji", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(5)
        server.task_dispatcher.shutdown()
        import waitress.wasyncore
        waitress.wasyncore.close_all(server._map)


def form_tokens(html: str) -> dict[str, str]:
    """The CSRF token and the version token of the first form on a page."""
    out = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)}
    m = re.search(r'name="versi" value="([^"]*)"', html)
    if m:
        out["versi"] = m.group(1)
    return out


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    """A JPEG carrying camera and GPS EXIF, as phones write it."""
    from PIL import Image

    im = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraMerekRahasia"      # Make
    exif[0x0131] = "PerangkatLunakRahasia"   # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (7.0, 34.0, 12.0)
    gps[3] = "E"
    gps[4] = (109.0, 47.0, 3.0)
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def siskeudes_report(name: str = "KALIGOWONG") -> bytes:
    """The Siskeudes realisation report of the fixtures, titled for this village as Siskeudes titles it."""
    data = (ROOT / "tests" / "fixtures" / "apbdes" / "siskeudes_realisasi_2025.csv").read_bytes()
    return data.replace(b"PEMERINTAH DESA CONTOH", b"PEMERINTAH DESA " + name.encode())


def table_form(html: str) -> dict[str, str]:
    """Every cell of a table form as the browser would send it (inputs and selected options), with its tokens
    and row count."""
    data = dict(re.findall(r'name="(c_\d+_[a-z_]+)" id="[^"]+" value="([^"]*)"', html))
    for m in re.finditer(r'<select name="(c_\d+_[a-z_]+)".*?</select>', html, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(0))
        data[m.group(1)] = sel.group(1) if sel else ""
    data.update(form_tokens(html))
    data["baris"] = re.search(r'name="baris" value="(\d+)"', html).group(1)
    return data
