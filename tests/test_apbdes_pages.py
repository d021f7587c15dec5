"""The budget pages and data files of a village, built end to end from the bundled data."""
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from papan_desa.apbdes import format_rupiah, hitung, load_village_apbdes
from papan_desa.build import BuildOptions, build
from papan_desa.problems import Problems

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
RINGKASAN = {"pendapatan", "belanja", "surplus_defisit", "penerimaan_pembiayaan", "pengeluaran_pembiayaan",
             "pembiayaan_netto", "silpa"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("apbdes")
    villages = tmp / "villages"
    for slug in ("jogoyitnan", "sumbersari", "kaligowong"):
        shutil.copytree(ROOT / "villages" / slug, villages / slug)
    r = build(BuildOptions(root=ROOT, settings_file=ROOT / "pelicanconf.py", villages_dir=villages,
                           output_dir=tmp / "out", cache_dir=tmp / "cache", jobs=2))
    assert r.ok, r.failed
    return tmp / "out", villages


def test_json_contract_matches_the_source_to_the_rupiah(site):
    out, villages = site
    for slug in ("jogoyitnan", "sumbersari", "kaligowong"):
        years = load_village_apbdes(villages / slug, Problems())
        assert years
        for year in years:
            data = json.loads((out / slug / "data" / f"apbdes-{year.tahun}.json").read_text())
            assert set(data["ringkasan"]) == RINGKASAN
            t = hitung(year)
            # Hand-independent check: pendapatan is the plain sum of the source CSV's 4.* lines.
            src = sum((b.nilai.anggaran for b in year.baris if b.bagian == "pendapatan"), Decimal(0))
            assert Decimal(str(data["ringkasan"]["pendapatan"]["anggaran"])) == src
            for key in RINGKASAN:
                assert set(data["ringkasan"][key]) == set(t.kolom)
            assert set(data["bidang"]) == {"01", "02", "03", "04", "05"}
            assert all(re.fullmatch(r"4\.\d\.\d", k) for k in data["pendapatan_jenis"])


def test_year_page_shows_the_totals_the_json_has(site):
    out, villages = site
    data = json.loads((out / "jogoyitnan" / "data" / "apbdes-2025.json").read_text())
    html = (out / "jogoyitnan" / "apbdes" / "2025" / "index.html").read_text()
    assert "<h1>APBDes 2025</h1>" in html and "APBDes Perubahan" in html
    for key in ("pendapatan", "belanja"):
        for col in ("anggaran", "perubahan"):
            assert format_rupiah(Decimal(str(data["ringkasan"][key][col]))) in html
    # Perubahan layout: Awal | Setelah Perubahan | Bertambah/(Berkurang)
    assert "Bertambah/(Berkurang)" in html
    # Charts are files with a title and a text alternative carrying the numbers.
    imgs = re.findall(r'<img src="/jogoyitnan/apbdes/2025/(grafik-[a-z-]+\.svg)"[^>]*alt="([^"]+)"', html)
    assert {f for f, _ in imgs} >= {"grafik-pendapatan.svg", "grafik-belanja-bidang.svg", "grafik-pembiayaan.svg"}
    for f, alt in imgs:
        svg = (out / "jogoyitnan" / "apbdes" / "2025" / f).read_text()
        assert "<title" in svg and "<desc" in svg and "Rp " in alt


def test_realisation_year_uses_lra_layout_and_multi_year_view(site):
    out, _ = site
    html = (out / "kaligowong" / "apbdes" / "2024" / "index.html").read_text()
    assert "Laporan Realisasi Anggaran" in html and "Lebih/(Kurang)" in html
    assert (out / "kaligowong" / "apbdes" / "2024" / "grafik-realisasi.svg").is_file()
    index = (out / "kaligowong" / "apbdes" / "index.html").read_text()
    assert 'href="/kaligowong/apbdes/2024/"' in index and 'href="/kaligowong/apbdes/2025/"' in index
    assert (out / "kaligowong" / "apbdes" / "grafik-multi-tahun.svg").is_file()
    # One year only: no multi-year chart.
    assert not (out / "sumbersari" / "apbdes" / "grafik-multi-tahun.svg").exists()


def test_budget_error_keeps_the_year_off_the_site(tmp_path):
    villages = tmp_path / "villages"
    shutil.copytree(ROOT / "villages" / "sumbersari", villages / "sumbersari")
    csv = villages / "sumbersari" / "apbdes" / "2025.csv"
    lines = csv.read_text().splitlines()
    cells = lines[3].split(",")
    cells[3] = "satu juta"
    lines[3] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n")
    r = build(BuildOptions(root=ROOT, settings_file=ROOT / "pelicanconf.py", villages_dir=villages,
                           output_dir=tmp_path / "out", cache_dir=tmp_path / "cache", jobs=1))
    assert r.exit_code == 1 and not r.failed
    msg = str(r.withheld["sumbersari"][0])
    assert re.search(r"apbdes/2025\.csv:4:4: galat: .*satu juta", msg), msg
    # The year is withheld (it never published: listed as not yet published); the village publishes.
    out = tmp_path / "out" / "sumbersari"
    assert (out / "index.html").is_file() and not (out / "apbdes" / "2025").exists()
    assert not (out / "data" / "apbdes-2025.csv").exists()
    assert "Tahun 2025: belum diterbitkan" in (out / "apbdes" / "index.html").read_text(encoding="utf-8")
    # Its only year withheld, the home's budget card says no APBDes is published yet (and the build went on).
    assert "APBDes belum diterbitkan" in (out / "index.html").read_text(encoding="utf-8")
