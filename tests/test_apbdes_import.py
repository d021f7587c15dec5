"""Import of Siskeudes reports (CSV and XLSX) and OpenSID exports; subtotal checks; the round trip."""
import csv
import json
import random
from decimal import Decimal as D
from pathlib import Path

import openpyxl

from papan_desa.apbdes import hitung, load_village_apbdes, load_year, year_json
from papan_desa.apbdes.demo import demo_lines, write_demo_year
from papan_desa.apbdes.importer import import_file, main_import
from papan_desa.problems import Problems

FIX = Path(__file__).parent / "fixtures" / "apbdes"


def test_siskeudes_perubahan_round_trip_equals_hand_entered_jogoyitnan(tmp_path):
    out = tmp_path / "apbdes" / "2025.csv"
    assert main_import([str(FIX / "siskeudes_perubahan_2025.csv"), "--output", str(out)]) == 0
    (tmp_path / "apbdes" / "2025.md").write_text((FIX / "jogoyitnan/apbdes/2025.md").read_text())
    imported = load_year(out, Problems())
    hand = load_village_apbdes(FIX / "jogoyitnan", Problems())[0]
    assert imported is not None
    ti, th = hitung(imported), hitung(hand)
    assert ti.ringkasan == th.ringkasan and ti.kegiatan == th.kegiatan and ti.pendapatan_jenis == th.pendapatan_jenis
    lines = out.read_text().splitlines()
    assert lines[0] == "kode,kegiatan,uraian,anggaran,perubahan,realisasi,sumber_dana"
    assert "5.1.2.01,01.01.02,Penghasilan Tetap Perangkat Desa,297825000,290700000,," in lines


def test_subtotal_that_does_not_add_up_is_an_error_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "2025.csv"
    assert main_import([str(FIX / "siskeudes_subtotal_salah.csv"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "siskeudes_subtotal_salah.csv:22:3: galat: baris jumlah 01" in err
    assert "di laporan Rp 564.687.202, dihitung Rp 329.625.000" in err
    assert not out.exists() and not out.with_suffix(".md").exists()


def test_siskeudes_lra_csv(tmp_path):
    out = tmp_path / "apbdes" / "2025.csv"
    p = Problems()
    imp = import_file(FIX / "siskeudes_realisasi_2025.csv", out, p)
    assert imp is not None and not p.errors, [str(x) for x in p.items]
    assert imp.tahun == 2025 and imp.status == "Realisasi Semester I" and imp.checked > 50
    meta = out.with_suffix(".md").read_text()
    assert meta.startswith("status: Realisasi Semester I\n")
    names = (out.parent / "kegiatan.csv").read_text()
    assert "02.03.10,Pembangunan/Rehabilitasi/Peningkatan Jalan Desa" in names
    (y,) = load_village_apbdes(tmp_path, Problems())
    r = hitung(y).ringkasan
    assert (r["silpa"].anggaran, r["silpa"].realisasi) == (D("-17000000"), D("500600000"))
    hand = load_village_apbdes(FIX / "contoh", Problems())[1]
    assert hitung(hand).ringkasan == r


def test_wrong_lebih_kurang_is_caught(tmp_path):
    text = (FIX / "siskeudes_realisasi_2025.csv").read_text().replace(
        '4.2.1.01.,Dana Desa,"1.000.000.000","600.000.000","400.000.000"',
        '4.2.1.01.,Dana Desa,"1.000.000.000","600.000.000","300.000.000"')
    src = tmp_path / "lra.csv"
    src.write_text(text)
    p = Problems()
    assert import_file(src, tmp_path / "out" / "2025.csv", p) is None
    (e,) = p.errors
    assert (e.line, e.column) == (6, 5) and "Lebih/(Kurang)" in e.message and "Rp 400.000.000" in e.message


def _xlsx_from_csv(src: Path, dest: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    with src.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";"):
            cells = []
            for i, c in enumerate(row):
                # Amounts as Excel stores them: numbers (floats), not text; codes stay text
                plain = c.replace("Rp ", "").replace(".", "")
                number = i >= 2 and plain.lstrip("-").isdigit() and len(plain) > 2
                cells.append(float(plain) if number else (c or None))
            ws.append(cells)
    wb.save(dest)


def test_siskeudes_xlsx(tmp_path):
    src = tmp_path / "penjabaran.xlsx"
    _xlsx_from_csv(FIX / "siskeudes_perubahan_2025.csv", src)
    out = tmp_path / "apbdes" / "2025.csv"
    assert main_import([str(src), "-o", str(out)]) == 0
    csv_import = tmp_path / "csv" / "2025.csv"
    assert main_import([str(FIX / "siskeudes_perubahan_2025.csv"), "-o", str(csv_import)]) == 0
    assert out.read_text() == csv_import.read_text()


def test_damaged_xlsx_is_one_clear_error(tmp_path):
    src = tmp_path / "rusak.xlsx"
    src.write_bytes(b"not a zip")
    p = Problems()
    assert import_file(src, tmp_path / "2025.csv", p) is None
    assert "rusak atau bukan buku kerja Excel" in p.errors[0].message


def test_opensid_export(tmp_path):
    out = tmp_path / "apbdes" / "2024.csv"
    assert main_import([str(FIX / "opensid_keuangan_manual.csv"), "--tahun", "2024", "-o", str(out)]) == 0
    (y,) = load_village_apbdes(tmp_path, Problems())
    t = hitung(y)
    assert t.ringkasan["pendapatan"].anggaran == D("1431250000.50")   # 950 jt + 480 jt + 1.250.000,50
    assert t.ringkasan["pendapatan"].realisasi == D("1429810000.25")
    assert t.bidang["05"].realisasi == D("229500000") and t.bidang["03"].anggaran == 0
    assert json.loads(year_json(y))["ringkasan"]["pendapatan"]["anggaran"] == 1431250000.5
    assert y.meta.status == "Realisasi Tahun Anggaran"


def test_opensid_needs_a_year_when_several(tmp_path):
    assert main_import([str(FIX / "opensid_keuangan_manual.csv"), "-o", str(tmp_path / "x.csv")]) == 1


def test_usage_errors(tmp_path):
    assert main_import([]) == 2
    assert main_import([str(tmp_path / "tidak-ada.csv"), "-o", str(tmp_path / "a.csv")]) == 2
    assert main_import([str(FIX / "opensid_keuangan_manual.csv"), "-o", str(tmp_path / "a.txt")]) == 2


def test_demo_budget_is_valid_balanced_and_reproducible(tmp_path):
    a = demo_lines(random.Random(3), 2025)
    assert a == demo_lines(random.Random(3), 2025)
    assert len(a) == 150
    write_demo_year(tmp_path / "apbdes", random.Random(3), 2024, status="Realisasi Tahun Anggaran")
    write_demo_year(tmp_path / "apbdes", random.Random(4), 2025)
    p = Problems()
    years = load_village_apbdes(tmp_path, p)
    assert not p.errors and [y.tahun for y in years] == [2024, 2025]
    for y in years:
        t = hitung(y)
        assert t.ringkasan["silpa"].anggaran == 0
        dd = t.akun["4.2.1"].anggaran
        assert D("800000000") <= dd <= D("1400000000")
        assert D("450000000") <= t.akun["4.2.3"].anggaran <= D("610000000")
        assert all(t.bidang[b].anggaran > 0 for b in ("01", "02", "03", "04", "05"))
        assert t.kegiatan["05.03.01"].anggaran <= dd * D("0.15")
        assert t.kegiatan["04.02"].anggaran >= dd * D("0.20")
