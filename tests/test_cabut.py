"""`papan cabut` takes a published file down everywhere: pages, search, open data, feeds, sitemap and
the published branch's history (here a local bare repository stands in for GitHub)."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papan_desa import cabut, guard
from papan_desa.problems import Problems
from tests.support import ROOT, project_copy

pytestmark = pytest.mark.slow

DOC = "villages/kaligowong/dokumen/sk-kades-7-2025-tpk.pdf"
PHOTO = "villages/kaligowong/gambar/balai-desa.jpg"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "Uji", "GIT_AUTHOR_EMAIL": "uji@contoh.invalid",
       "GIT_COMMITTER_NAME": "Uji", "GIT_COMMITTER_EMAIL": "uji@contoh.invalid",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "MAKEFLAGS": ""}


def git(*args, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path) -> Path:
    return project_copy(tmp_path)


def make_github(project: Path) -> None:
    venv = Path(sys.executable).parent.parent
    r = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/bin/.runtime",
                        "github", "GITHUB_PAGES_REMOTE=uji", "PAPAN_SITEURL=https://contoh-uji.github.io/papan"],
                       cwd=project, env=ENV, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr


def blobs_on_branch(bare: Path, branch: str = "gh-pages") -> set[str]:
    """Every file version held by any commit reachable from the branch."""
    out = set()
    for commit in git("rev-list", branch, cwd=bare).split():
        for line in git("ls-tree", "-r", commit, cwd=bare).splitlines():
            out.add(line.split()[2])
    return out


def test_cabut_removes_a_published_document_and_picture_everywhere(project, tmp_path):
    bare = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    git("remote", "add", "uji", str(bare), cwd=project)
    make_github(project)
    out = project / "output"
    published_doc = (out / "kaligowong/dokumen/sk-kades-7-2025-tpk.pdf").read_bytes()
    doc_blob = git("rev-parse", "gh-pages:kaligowong/dokumen/sk-kades-7-2025-tpk.pdf", cwd=bare).strip()
    assert doc_blob in blobs_on_branch(bare)
    photo_outputs = {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "kaligowong").rglob("*balai-desa*")}
    assert photo_outputs, "the news cover was published"
    photo_blobs = {git("rev-parse", f"gh-pages:{name}", cwd=bare).strip() for name in photo_outputs}
    source_doc = (project / DOC).read_bytes()

    papan = [sys.executable, "scripts/papan", "cabut"]
    r = subprocess.run(papan + [DOC, "--alasan", "Memuat NIK anggota TPK", "--tanggal", "2025-08-01"],
                       cwd=project, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "rujukan dihapus dari produk-hukum.csv" in r.stdout
    assert "git filter-repo --invert-paths --path villages/kaligowong/dokumen/sk-kades-7-2025-tpk.pdf" in r.stdout
    assert "Tanggal pencabutan : 2025-08-01" in r.stdout and hashlib.sha256(source_doc).hexdigest() in r.stdout
    r = subprocess.run(papan + [PHOTO, "--alasan", "Foto memuat papan daftar penerima"], cwd=project,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "berita/2025-03-12-musdes-rkp-desa.md" in r.stdout
    assert not (project / DOC).exists() and not (project / PHOTO).exists()
    listing = (project / "villages/kaligowong/dicabut.csv").read_text(encoding="utf-8").splitlines()
    assert listing[0] == "berkas,sha256,tanggal,alasan" and len(listing) == 3
    assert listing[1].startswith("dokumen/sk-kades-7-2025-tpk.pdf,") and f",{dt.date.today().isoformat()}," in listing[2]
    # The legal product is still listed, its file now "not available".
    assert "7,2025,2025-01-15,Tim Pelaksana Kegiatan Tahun 2025,berlaku," in \
        (project / "villages/kaligowong/produk-hukum.csv").read_text(encoding="utf-8")

    make_github(project)
    assert not (out / "kaligowong/dokumen/sk-kades-7-2025-tpk.pdf").exists()
    assert not list((out / "kaligowong").rglob("*balai-desa*"))
    gone = [published_doc, *photo_outputs.values()]
    for f in out.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert not any(g == data for g in gone), f
            if f.suffix in (".html", ".xml", ".json", ".csv", ".txt"):
                assert b"sk-kades-7-2025-tpk" not in data and b"balai-desa" not in data, f
    produk = (out / "kaligowong/produk-hukum/index.html").read_text(encoding="utf-8")
    assert "Tim Pelaksana Kegiatan Tahun 2025" in produk
    # The published branch is one commit without parents: no commit on it holds the old bytes.
    assert len(git("rev-list", "gh-pages", cwd=bare).split()) == 1
    held = blobs_on_branch(bare)
    assert doc_blob not in held and not (photo_blobs & held)
    assert "kaligowong/index.html" in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare)


def test_withdrawn_bytes_are_refused_under_another_name(tmp_path):
    villages = tmp_path / "villages"
    shutil.copytree(ROOT / "villages" / "kaligowong", villages / "kaligowong")
    copy = (villages / "kaligowong" / "dokumen" / "sk-kades-7-2025-tpk.pdf").read_bytes()
    res = cabut.withdraw(villages / "kaligowong/dokumen/sk-kades-7-2025-tpk.pdf", "Memuat NIK",
                         villages_dir=villages, today=dt.date(2025, 8, 1))
    assert res.rel == "dokumen/sk-kades-7-2025-tpk.pdf" and [c.name for c in res.changed] == ["produk-hukum.csv"]
    (villages / "kaligowong" / "dokumen" / "sk-tpk-baru.pdf").write_bytes(copy)
    p = Problems(root=tmp_path)
    guard.scan_village(villages / "kaligowong", p, None, tmp_path)
    msgs = [str(i) for i in p.errors]
    assert msgs == ['villages/kaligowong/dokumen/sk-tpk-baru.pdf: galat: isi berkas ini sama dengan '
                    '"dokumen/sk-kades-7-2025-tpk.pdf" yang dicabut pada 2025-08-01 (Memuat NIK); berkas yang '
                    'sudah dicabut tidak boleh terbit lagi: hapus berkasnya (lihat dicabut.csv)']


@pytest.mark.parametrize("args, expected", [
    (["villages/kaligowong/dokumen/tidak-ada.pdf", "--alasan", "x"], "tidak ada"),
    (["README.md", "--alasan", "x"], "harus berada di folder desa"),
    (["villages/kaligowong/dokumen/perdes-2-2025-apbdes.pdf", "--alasan", "  "], "alasan pencabutan wajib diisi"),
])
def test_cabut_wrong_use_says_why_and_changes_nothing(args, expected):
    before = sorted(p.as_posix() for p in (ROOT / "villages" / "kaligowong").rglob("*"))
    r = subprocess.run([sys.executable, "scripts/papan", "cabut", *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2 and expected in r.stderr, r.stderr
    assert sorted(p.as_posix() for p in (ROOT / "villages" / "kaligowong").rglob("*")) == before
