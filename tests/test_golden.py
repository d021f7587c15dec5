"""The golden reference site: two small villages built whole and compared with the checked-in output,
so any change to what the build writes shows up as a diff in review.

The villages are ``tests/fixtures/golden/villages/`` (a desa with a budget year and two news items,
and a kelurahan with one). What is compared, normalised (``tests/fixtures/golden/``):

* ``manifest.txt``: every file of the site (except Pagefind's index, a tool's own binary output that
  the search browser tests check) as ``sha256-prefix size path``, binary files included;
* ``halaman.txt``: the villages' pages as text: each village's home page whole, and of every other
  page its title and its ``<main>`` (the frame is the same on every page and is in the home pages).

After a deliberate change to the output, update the reference and review its diff:

    PAPAN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py
    git diff tests/fixtures/golden/
"""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
from pathlib import Path

from tests.support import ROOT, build_site

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
VILLAGES = GOLDEN / "villages"
SKIP = ("pagefind/",)
MAIN = re.compile(r"<main\b.*?</main>", re.S)
TITLE = re.compile(r"<title>.*?</title>", re.S)


def normalise(out: Path) -> dict[str, str]:
    """{reference file name: its text} for the built site in ``out``."""
    slugs = sorted(p.name for p in VILLAGES.iterdir() if p.is_dir())
    files = sorted(p for p in out.rglob("*") if p.is_file())
    manifest, pages = [], []
    for p in files:
        rel = p.relative_to(out).as_posix()
        if rel.startswith(SKIP):
            continue
        data = p.read_bytes()
        manifest.append(f"{hashlib.sha256(data).hexdigest()[:16]} {len(data):>8} {rel}")
        if rel.endswith(".html") and rel.split("/", 1)[0] in slugs:
            text = data.decode("utf-8")
            if rel.count("/") > 1:      # not the village's home page: its title and main part
                text = "\n".join(m.group(0) for m in (TITLE.search(text), MAIN.search(text)) if m)
            pages.append(f"=== {rel}\n{text.rstrip()}\n")
    return {"manifest.txt": "\n".join(manifest) + "\n", "halaman.txt": "\n".join(pages)}


def test_the_golden_site_is_unchanged(tmp_path):
    # Built from a copy outside the repository: the pages' figure history (riwayat) comes from git,
    # and the fixtures' commit dates change when branches are merged or rebased.
    villages = shutil.copytree(VILLAGES, tmp_path / "villages")
    report = build_site(villages, tmp_path / "out", tmp_path / "cache", jobs=1)
    assert sorted(report.built) == ["kaligowong", "wadaslintang"] and not report.failed and not report.withheld
    got = normalise(tmp_path / "out")
    if os.environ.get("PAPAN_UPDATE_GOLDEN") == "1":
        for name, text in got.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    diffs = []
    for name, text in got.items():
        want = (GOLDEN / name).read_text(encoding="utf-8") if (GOLDEN / name).is_file() else ""
        if text != want:
            diffs += difflib.unified_diff(want.splitlines(), text.splitlines(), f"golden/{name}", f"built/{name}",
                                          lineterm="", n=1)
    assert not diffs, ("the built site differs from tests/fixtures/golden/ (if intended: "
                       "PAPAN_UPDATE_GOLDEN=1 pytest tests/test_golden.py, then review git diff):\n"
                       + "\n".join(diffs[:150]))


def test_the_comparison_sees_a_changed_byte(tmp_path):
    """A one-byte change in any compared file changes the normalised form."""
    out = tmp_path / "out"
    (out / "kaligowong" / "berita").mkdir(parents=True)
    page = out / "kaligowong" / "berita" / "index.html"
    page.write_text("<title>B</title><main>Kabar</main>", encoding="utf-8")
    (out / "kaligowong" / "poster.pdf").write_bytes(b"%PDF-1")
    (out / "pagefind").mkdir()
    (out / "pagefind" / "x.pf_index").write_bytes(b"1")
    before = normalise(out)
    assert "pagefind" not in before["manifest.txt"] and "kaligowong/poster.pdf" in before["manifest.txt"]
    assert "=== kaligowong/berita/index.html\n<title>B</title>\n<main>Kabar</main>" in before["halaman.txt"]
    (out / "kaligowong" / "poster.pdf").write_bytes(b"%PDF-2")
    assert normalise(out)["manifest.txt"] != before["manifest.txt"]
    page.write_text("<title>B</title><main>Kabar!</main>", encoding="utf-8")
    assert normalise(out)["halaman.txt"] != before["halaman.txt"]
