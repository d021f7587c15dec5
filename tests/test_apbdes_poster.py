"""The printable APBDes poster: page sizes, exact numbers in the PDF text, the QR code, the three
kinds of budget, awkward data, reproducible bytes and the cache.

Reads the PDFs with poppler (pdfinfo, pdftotext, pdftoppm, pdffonts) and the QR code with zbarimg,
so nothing here trusts the PDF writer's own view of what it wrote.
"""
from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from papan_desa.apbdes import format_rupiah, hitung, load_village_apbdes
from papan_desa.apbdes import poster as P
from papan_desa.apbdes.demo import write_demo_year
from papan_desa.apbdes.model import (STATUS_APBDES, STATUS_TAHUNAN, Baris, MetaTahun, Nilai, TahunAnggaran)
from papan_desa.problems import Problems
from tests.support import require

FIXTURES = Path(__file__).parent / "fixtures" / "apbdes"
URL = "https://wonosobo.example.id/desa/kaligowong/apbdes/2025/"
PT_MM = 25.4 / 72


def need(tool: str) -> str:
    """The path of pdftotext / zbarimg: `make test` installs them (scripts/setup-test-tools.sh); when one
    is missing the test fails under CI, and elsewhere skips saying how to install it."""
    path = shutil.which(tool)
    require(path is not None, f"{tool} (Debian: poppler-utils / zbar-tools)")
    return path


def test_a_missing_poster_tool_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="zbarimg"):
        need("zbarimg")


def info(**kw) -> P.PosterInfo:
    base = dict(nama="Kaligowong", url=URL, kecamatan="Wadaslintang", kabupaten="Wonosobo",
                provinsi="Jawa Tengah", kepala_desa="Suparno", alamat="Jl. Raya Kaligowong No. 1",
                telepon="0286 321123", whatsapp="0812 2700 1234", email="pemdes@kaligowong.desa.id",
                pengaduan_nama="SP4N-LAPOR!", pengaduan_url="https://www.lapor.go.id/")
    base.update(kw)
    return P.PosterInfo(**base)


def load(root: Path) -> TahunAnggaran:
    problems = Problems(root=root)
    years = load_village_apbdes(root, problems)
    assert not problems.errors, problems.errors
    return years[-1]


def pdf_text(pdf: bytes, tmp: Path, name: str) -> str:
    need("pdftotext")
    path = tmp / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def page_size_mm(pdf: bytes, tmp: Path, name: str) -> tuple[float, float, int]:
    need("pdfinfo")
    path = tmp / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    return float(m.group(1)) * PT_MM, float(m.group(2)) * PT_MM, pages


def qr_codes(png: Path) -> list[str]:
    need("zbarimg")
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


# --- the three kinds of budget ---------------------------------------------------------

@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    """A budget only (demo), a Perubahan (Jogoyitnan 2025) and a realisation (contoh, semester I)."""
    tmp = tmp_path_factory.mktemp("poster")
    demo = tmp / "demo"
    write_demo_year(demo / "apbdes", random.Random(7), 2025, status=STATUS_APBDES)
    years = {"anggaran": load(demo), "perubahan": load(FIXTURES / "jogoyitnan"),
             "realisasi": load(FIXTURES / "contoh")}
    names = {"anggaran": "Kaligowong", "perubahan": "Jogoyitnan", "realisasi": "Contoh"}
    out = {}
    for kind, year in years.items():
        inf = info(nama=names[kind], contoh=(kind == "realisasi"))
        files = P.make_poster(year, inf)
        out[kind] = (year, inf, files)
    return tmp, out


@pytest.mark.parametrize("kind", ["anggaran", "perubahan", "realisasi"])
def test_page_sizes(variants, kind):
    tmp, out = variants
    files = out[kind][2]
    w, h, pages = page_size_mm(files.a1_pdf, tmp, f"{kind}-a1")
    assert (round(w, 1), round(h, 1), pages) == (594.0, 841.0, 1)
    w, h, pages = page_size_mm(files.a4_pdf, tmp, f"{kind}-a4")
    assert (round(w, 1), round(h, 1), pages) == (210.0, 297.0, 1)
    img = Image.open(io.BytesIO(files.png))
    assert img.size == (1240, 1753)                     # A4 at 150 dpi (1753,9 px rounded down)
    assert "Software" not in img.info


@pytest.mark.parametrize("kind", ["anggaran", "perubahan", "realisasi"])
def test_text_has_village_and_totals_exactly(variants, kind):
    tmp, out = variants
    year, inf, files = out[kind]
    t = hitung(year)
    for size, pdf in (("a4", files.a4_pdf), ("a1", files.a1_pdf)):
        text = pdf_text(pdf, tmp, f"{kind}-{size}")
        assert f"DESA {inf.nama.upper()}" in text
        assert "Kecamatan Wadaslintang · Kabupaten Wonosobo · Provinsi Jawa Tengah" in text
        for key in ("pendapatan", "belanja", "surplus_defisit", "penerimaan_pembiayaan", "pengeluaran_pembiayaan",
                    "pembiayaan_netto", "silpa"):
            amount = t.ringkasan[key].akhir
            if key in ("penerimaan_pembiayaan", "pengeluaran_pembiayaan", "pembiayaan_netto") and not (
                    t.ringkasan["penerimaan_pembiayaan"].akhir or t.ringkasan["pengeluaran_pembiayaan"].akhir):
                continue            # "Tidak ada pembiayaan" instead of three zeros
            assert format_rupiah(amount) in text, (key, format_rupiah(amount))
        for b in ("01", "02", "03", "04", "05"):
            assert format_rupiah(t.bidang[b].akhir) in text
        assert "Kepala Desa: Suparno" in text
        assert "SP4N-LAPOR!" in text and "https://www.lapor.go.id/" in text
        assert "pemdes@kaligowong.desa.id" in text
        assert URL in text


def test_hand_checked_numbers(variants):
    """The figures of the two fixtures, added up by hand from their CSV files."""
    tmp, out = variants
    text = pdf_text(out["realisasi"][2].a4_pdf, tmp, "contoh-hand")
    # pendapatan 15.000.000 + 1.000.000.000 + 500.000.000; belanja 52,2 + 300 + 787 + 250 + 108 + 20 juta
    for s in ("Rp 1.515.000.000", "Rp 1.517.200.000", "-Rp 2.200.000",
              # realisasi: 7,5 + 600 + 250 juta and 26,1 + 150 + 100 + 50 + 54 + 12 juta; 857,5 − 392,1
              "Realisasi Rp 857.500.000", "Realisasi Rp 392.100.000", "Realisasi Rp 465.400.000",
              "56,60% dari anggaran", "25,84% dari anggaran",
              # SiLPA = −2,2 juta + (35,2 − 50) juta
              "-Rp 17.000.000", "Rp 35.200.000", "Rp 50.000.000",
              "Keadaan per 30 Juni 2025", "Perdes Nomor 2 Tahun 2025 tanggal 10 Januari 2025",
              "Pelaksana anggaran: Kepala Desa selaku PKPKD",
              "Rp 100.000.000 (12,71%)",                    # jalan desa: 100 of 787 juta
              "DATA CONTOH"):
        assert s in text, s
    text = pdf_text(out["perubahan"][2].a4_pdf, tmp, "jogoyitnan-hand")
    # 10.000.000 + 794.946.000 + 57.777.000 + 498.013.000 + 150.000 (as published)
    assert "Rp 1.360.886.000" in text
    assert "DATA CONTOH" not in text


def test_status_titles(variants):
    tmp, out = variants
    texts = {k: pdf_text(v[2].a4_pdf, tmp, f"title-{k}") for k, v in out.items()}
    assert "APBDes TAHUN ANGGARAN 2025" in texts["anggaran"]
    assert "APBDes PERUBAHAN TAHUN ANGGARAN 2025" in texts["perubahan"]
    assert "anggaran awal" in texts["perubahan"] and "setelah perubahan" in texts["perubahan"]
    assert "LAPORAN REALISASI APBDes SEMESTER I TAHUN ANGGARAN 2025" in texts["realisasi"]
    assert "Realisasi" not in texts["anggaran"] and "Realisasi" not in texts["perubahan"]


@pytest.mark.parametrize("kind", ["anggaran", "realisasi"])
def test_qr_code_decodes_to_the_budget_page(variants, kind):
    tmp, out = variants
    files = out[kind][2]
    png = tmp / f"qr-{kind}.png"
    png.write_bytes(files.png)
    assert qr_codes(png) == [URL]
    need("pdftoppm")
    for size, pdf, dpi in (("a4", files.a4_pdf, "100"), ("a1", files.a1_pdf, "40")):
        path = tmp / f"qr-{kind}-{size}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", dpi, "-png", "-singlefile", str(path), str(tmp / f"qr-{kind}-{size}")],
                       check=True, capture_output=True)
        assert qr_codes(tmp / f"qr-{kind}-{size}.png") == [URL], size


def test_fonts_are_embedded_truetype(variants):
    tmp, out = variants
    need("pdffonts")
    path = tmp / "fonts.pdf"
    path.write_bytes(out["anggaran"][2].a4_pdf)
    rows = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "DejaVuSans" in row and "CID TrueType" in row
        assert row.split()[-5:-2] == ["yes", "yes", "yes"]     # embedded, subset, unicode map
    # no clock time and no tool names in the file: its only date is the date of the figures
    year, _, files = out["realisasi"]
    assert year.meta.per_tanggal is not None
    for pdf in (files.a4_pdf, files.a1_pdf):
        assert re.findall(rb"/CreationDate \(D:(\d+)", pdf) == [year.meta.per_tanggal.strftime("%Y%m%d000000").encode()]
        assert b"/Producer" not in pdf and b"/ModDate" not in pdf


# --- awkward data ----------------------------------------------------------------------

def _year(lines, status=STATUS_APBDES, pelaksana="Tim Pelaksana Kegiatan Desa") -> TahunAnggaran:
    baris = tuple(Baris(i + 1, kode, keg, uraian, Nilai(Decimal(a), None if r is None else None,
                                                         None if r is None else Decimal(r)))
                  for i, (kode, keg, uraian, a, r) in enumerate(lines))
    return TahunAnggaran(2025, baris, MetaTahun(status=status, pelaksana=pelaksana))


def test_many_activities_huge_and_tiny_amounts_long_name_no_financing(tmp_path):
    lines = [("4.2.1.01", "", "Dana Desa", 99_999_999_999_999, None),
             ("4.3.6.01", "", "Bunga Bank", 1, None)]
    # 30 kegiatan of 1..30 juta (sub bidang 02.03, kegiatan 01..30)
    lines += [("5.3.5.01", f"02.03.{i:02d}", f"Jalan dusun nomor {i}", i * 1_000_000, None) for i in range(1, 31)]
    year = _year(lines)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 80), "#226622").save(logo)
    inf = info(nama="Tegalombo Kidul Wetan Sumberejo Sidomulyo Karangsari", logo=logo, contoh=True)
    files = P.make_poster(year, inf)
    text = pdf_text(files.a4_pdf, tmp_path, "edge")
    assert "Rp 99.999.999.999.999" in text                 # printed whole, shrunk rather than cut
    assert re.search(r"Rp 1(?![\d.])", text)               # Bunga Bank, one rupiah
    # 100.000.000.000.000 − 465.000.000
    assert "Rp 99.999.535.000.000" in text
    assert "Tidak ada pembiayaan tahun ini" in text
    assert "dari 30 kegiatan dalam anggaran" in text
    m = re.search(r"… dan (\d+) kegiatan lain: (Rp [\d.]+)", text)
    assert m, text
    rest = int(m.group(1))
    shown = 30 - rest
    assert 5 <= shown <= P.MAX_KEGIATAN
    # the rest are the smallest ones, 1..rest juta
    assert m.group(2) == format_rupiah(Decimal(rest * (rest + 1) // 2 * 1_000_000))
    assert "1. Jalan dusun nomor 30" in text.replace("\n", " ") or "Jalan dusun nomor 30" in text
    assert "TEGALOMBO" in text and "KARANGSARI" in text     # wrapped, not lost
    w, h, _ = page_size_mm(files.a1_pdf, tmp_path, "edge-a1")
    assert (round(w, 1), round(h, 1)) == (594.0, 841.0)


def test_minimal_year_and_realisation_of_zero(tmp_path):
    """One income line, no spending at all, realisation column present but nothing realised yet."""
    year = _year([("4.1.1.01", "", "Hasil Usaha Desa", 0, 0)], status=STATUS_TAHUNAN, pelaksana="")
    files = P.make_poster(year, info(kepala_desa="", telepon="", whatsapp="", email="", alamat="",
                                     pengaduan_nama="", pengaduan_url=""))
    text = pdf_text(files.a4_pdf, tmp_path, "minimal")
    assert "Belum ada belanja kegiatan tercatat." in text
    assert "Rp 0" in text and "Realisasi Rp 0" in text
    assert "Kepala Desa:" not in text and "Pelaksana anggaran" not in text
    png = tmp_path / "minimal.png"
    png.write_bytes(files.png)
    assert qr_codes(png) == [URL]


def test_kelurahan_wording():
    c = P.content(_year([("4.2.3.01", "", "", 5, None)]))
    assert c.judul == "APBDes TAHUN ANGGARAN 2025"
    inf = info(jenis="kelurahan")
    assert (inf.sebutan, inf.sebutan_kepala) == ("Kelurahan", "Lurah")


def test_largest_activities_order_and_names():
    year = load(FIXTURES / "contoh")
    rows = P.kegiatan_terbesar(year, hitung(year))
    assert [(r.kode, r.nilai.akhir) for r in rows[:3]] == [
        ("02.03.10", Decimal(787_000_000)), ("01.01.02", Decimal(300_000_000)), ("04.02.01", Decimal(250_000_000))]
    # village name from kegiatan.csv; a code without a known name takes its line's uraian
    assert rows[0].nama == "Pembangunan/Rehabilitasi/Peningkatan Jalan Desa"
    assert sum((r.nilai.akhir for r in rows), Decimal(0)) == hitung(year).ringkasan["belanja"].akhir


def test_text_fitting():
    f = P.fonts_for(["abc"])
    assert f.fit_size("Rp 1.244.674.000", 10, 100) == 10
    small = f.fit_size("Rp 99.999.999.999.999", 15, 40, bold=True, minimum=5)
    assert small < 15 and f.width("Rp 99.999.999.999.999", small, True) <= 40
    short = f.ellipsize("Penyediaan Penghasilan Tetap dan Tunjangan Perangkat Desa", 9, 40)
    assert short.endswith("…") and f.width(short, 9) <= 40
    lines = f.wrap("DESA TEGALOMBO KIDUL WETAN SUMBEREJO SIDOMULYO KARANGSARI", 18, 120, 2, bold=True)
    assert len(lines) == 2 and all(f.width(x, 18, True) <= 120 for x in lines)


def test_fast_fonts_measure_like_the_full_fonts():
    """The layout-table-free copy has the same advances and kerning, so the layout is the same."""
    fast, full = P.fonts_for(["x"]), P.Fonts(*P.FONT_FULL)
    assert fast.files != full.files
    for s in ("Rp 1.244.674.000", "AVATAR Tahun WAWASAN, Yogya", "Penyelenggaraan Pemerintahan Desa — □ ■ …"):
        for bold in (False, True):
            assert fast.width(s, 10, bold) == pytest.approx(full.width(s, 10, bold), abs=1e-9)
    # a character outside the copy's ranges switches the whole poster to the full fonts
    assert P.fonts_for(["Desa Ωmega"]).files == P.FONT_FULL


# --- the cache (and reproducible bytes) ----------------------------------------------------

def test_cache_hit_does_not_redraw(tmp_path, monkeypatch, variants):
    _, out = variants
    year, inf, files = out["perubahan"]
    calls = []
    real = P.make_poster

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(P, "make_poster", counting)
    first = P.cached_poster(tmp_path, year, inf)
    second = P.cached_poster(tmp_path, year, inf)
    assert len(calls) == 1 and first == second
    assert first == files           # drawn again from the same input: the same bytes
    key = P.poster_cache_key(year, inf)
    assert sorted(p.name for p in (tmp_path / key).iterdir()) == ["a1.pdf", "a4.pdf", "pratinjau.png"]
    assert [p.name for p in tmp_path.iterdir()] == [key]      # no temporary folder left behind


def test_cache_key_follows_every_input(tmp_path):
    year = _year([("4.2.1.01", "", "Dana Desa", 1000, None)])
    base = P.poster_cache_key(year, info())
    assert base == P.poster_cache_key(_year([("4.2.1.01", "", "Dana Desa", 1000, None)]), info())
    assert P.poster_cache_key(_year([("4.2.1.01", "", "Dana Desa", 1001, None)]), info()) != base
    assert P.poster_cache_key(year, info(url=URL + "x")) != base
    assert P.poster_cache_key(year, info(contoh=True)) != base
    assert P.poster_cache_key(_year([("4.2.1.01", "", "Dana Desa", 1000, None)], pelaksana="lain"), info()) != base
    logo = tmp_path / "logo.png"
    Image.new("RGB", (4, 4), "red").save(logo)
    with_logo = P.poster_cache_key(year, info(logo=logo))
    Image.new("RGB", (4, 4), "blue").save(logo)
    assert P.poster_cache_key(year, info(logo=logo)) != with_logo   # the logo's bytes, not its path


def test_poster_info_from_profile_and_settings(tmp_path):
    from papan_desa.profil import Profil

    prof = Profil("kaligowong", "Kaligowong", "33.07.01.2001", "desa", "Wadaslintang", "Suparno",
                  "Jl. Raya Kaligowong No. 1", values={"telepon": "0286 321123", "contoh": True})
    inf = P.poster_info(prof, {"PAPAN_LOGO": "logo.png"}, URL, root=tmp_path)
    assert (inf.nama, inf.kabupaten, inf.provinsi, inf.kepala_desa, inf.telepon, inf.whatsapp) == (
        "Kaligowong", "Wonosobo", "Jawa Tengah", "Suparno", "0286 321123", "")
    assert (inf.pengaduan_nama, inf.pengaduan_url) == ("SP4N-LAPOR!", "https://www.lapor.go.id/")
    assert inf.logo == tmp_path / "logo.png" and inf.contoh and inf.url == URL
    assert P.poster_info(prof, {}, URL).logo is None


def test_many_income_sources_fold_into_one_line():
    codes = ["4.1.1.01", "4.1.2.01", "4.1.3.01", "4.1.4.01", "4.2.1.01", "4.2.2.01", "4.2.3.01", "4.2.4.01",
             "4.2.5.01", "4.3.6.01"]
    # amounts 1..10 juta in code order: the six largest stay (5..10 juta), 1+2+3+4 juta are folded
    c = P.content(_year([(k, "", "", (i + 1) * 1_000_000, None) for i, k in enumerate(codes)]))
    assert len(c.pendapatan) == P.MAX_PENDAPATAN
    assert [n.akhir for _, n in c.pendapatan[:-1]] == [Decimal(i * 1_000_000) for i in range(5, 11)]
    assert c.pendapatan[0][0] == "Dana Desa"          # 4.2.1 is the first kept, in code order
    assert c.pendapatan[-1][0] == "Sumber lain (4 jenis)"
    assert c.pendapatan[-1][1].akhir == Decimal(10_000_000)
