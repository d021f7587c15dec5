"""In the real build: a scanned SK KPM listed in the legal products is refused, its masked copy published,
an unreadable scan is held until reviewed; the village's other pages and the other villages publish
either way (the scan is withheld with what it feeds: tahan.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.scan_helpers import NIK_1, blank_looking_photo, recipients_list, save_scan_pdf, text_page
from tests.support import ROOT, build_site

pytestmark = pytest.mark.slow
SK = "dokumen/sk-kades-3-2025-kpm-blt.pdf"


@pytest.fixture
def villages(tmp_path):
    v = tmp_path / "villages"
    for slug in ("kaligowong", "sumbersari"):
        shutil.copytree(ROOT / "villages" / slug, v / slug)
    with open(v / "kaligowong" / "produk-hukum.csv", "a", encoding="utf-8") as fh:
        fh.write(f"SK Kades,3,2025,2025-02-03,Penetapan Keluarga Penerima Manfaat BLT Desa,berlaku,{SK}\n")
    return v


def published_bytes(out: Path) -> list[bytes]:
    return [p.read_bytes() for p in out.rglob("*.pdf")]


def test_scanned_sk_kpm_is_refused_then_published_masked(tmp_path, villages):
    cover = text_page(["KEPUTUSAN KEPALA DESA KALIGOWONG", "NOMOR 3 TAHUN 2025",
                       "TENTANG PENETAPAN KELUARGA PENERIMA MANFAAT BLT DESA"])
    save_scan_pdf(villages / "kaligowong" / SK, [cover, text_page(recipients_list())])
    out = tmp_path / "out"
    r = build_site(villages, out, tmp_path / "cache")
    # The scan is withheld (with what it feeds); the village publishes without it.
    assert r.exit_code == 1 and "sumbersari" in r.built and not r.failed and list(r.withheld) == ["kaligowong"]
    msgs = [str(p) for p in r.withheld["kaligowong"] if SK in p.file]
    assert len(msgs) == 2 and all(f"kaligowong/{SK}: galat: kemungkinan NIK" in m and "halaman 2" in m for m in msgs)
    assert SK in r.withheld_files["kaligowong"] and not (out / "kaligowong" / SK).exists()
    assert (out / "kaligowong" / "index.html").is_file()       # the village itself publishes
    assert not any(NIK_1 in p.read_text(errors="ignore") for p in out.rglob("*") if p.is_file())

    save_scan_pdf(villages / "kaligowong" / SK, [cover, text_page(recipients_list(mask=True))])
    r = build_site(villages, out, tmp_path / "cache")
    assert r.ok, r.failed
    assert (out / "kaligowong" / SK).is_file()
    assert "Penetapan Keluarga Penerima Manfaat BLT Desa" in \
        (out / "kaligowong" / "produk-hukum" / "index.html").read_text(encoding="utf-8")


def test_unreadable_scan_is_held_until_reviewed(tmp_path, villages):
    save_scan_pdf(villages / "kaligowong" / SK, [blank_looking_photo()])
    out = tmp_path / "out"
    r = build_site(villages, out, tmp_path / "cache")
    msgs = [str(p) for p in r.withheld["kaligowong"] if SK in p.file]
    assert len(msgs) == 1 and f"kaligowong/{SK}: galat: ditahan, menunggu tinjauan (halaman 1:" in msgs[0]
    assert not r.failed and not (out / "kaligowong" / SK).exists() and "sumbersari" in r.built
    from papan_desa.cli import _summary
    assert f"Berkas ditahan, menunggu tinjauan di tinjauan.csv (1): " in _summary(r, False)
    assert _summary(r, False).count(f"kaligowong/{SK}") == 2      # the error, and the list of what waits

    (villages / "kaligowong" / "tinjauan.csv").write_text(
        "berkas,peninjau,tanggal,alasan\n"
        f"{SK},Siti Aminah (Sekretaris Desa),2025-08-01,Salinan SK dicap basah; tidak memuat nama atau NIK\n",
        encoding="utf-8")
    r = build_site(villages, out, tmp_path / "cache")
    assert r.ok, r.failed
    assert (out / "kaligowong" / SK).is_file()
