"""The budget at a glance (village home and top of a year page) and the notes a reader gets."""
from __future__ import annotations

from decimal import Decimal

from papan_desa.apbdes.model import Baris, MetaTahun, Nilai, TahunAnggaran
from papan_desa.apbdes.pages import catatan_pembaca, ringkasan_singkat
from papan_desa.apbdes.totals import hitung

D = Decimal


def _year(lines, status="APBDes", per=None) -> TahunAnggaran:
    import datetime as dt
    return TahunAnggaran(2025, tuple(lines), MetaTahun(status, per_tanggal=dt.date.fromisoformat(per) if per else None))


def test_summary_has_the_three_figures_exact_and_short_with_status():
    y = _year([Baris(2, "4.2.1.01", "", "Dana Desa", Nilai(D(1_164_177_000))),
               Baris(3, "5.1.1.01", "01.01.01", "Penghasilan Tetap Kepala Desa", Nilai(D(52_200_000))),
               Baris(4, "6.1.1.01", "", "SiLPA Tahun Sebelumnya", Nilai(D(16_420_000)))])
    r = ringkasan_singkat(y, hitung(y))
    assert [a["label"] for a in r["angka"]] == ["Pendapatan", "Belanja", "Pembiayaan"]
    assert [a["tepat"] for a in r["angka"]] == ["Rp 1.164.177.000", "Rp 52.200.000", "Rp 16.420.000"]
    assert r["angka"][0]["singkat"] == "Rp 1,16 miliar"
    assert r["status"] == "APBDes" and r["kurang"] == []
    assert r["sumber"] == [("Dana Desa", "Rp 1.164.177.000")]


def test_a_year_with_only_realisation_rows_says_what_is_missing():
    y = _year([Baris(2, "4.2.1.01", "", "Dana Desa", Nilai(D(0), None, D(600_000_000))),
               Baris(3, "5.1.1.01", "01.01.01", "Siltap", Nilai(D(0), None, D(20_000_000)))],
              status="Realisasi Semester I", per="2025-06-30")
    r = ringkasan_singkat(y, hitung(y))
    assert r["status"] == "Realisasi Semester I per 30 Juni 2025"
    assert r["angka"][0]["label"] == "Realisasi pendapatan" and r["angka"][0]["tepat"] == "Rp 600.000.000"
    assert "Anggaran pendapatan tahun 2025 belum dimuat; yang tampil adalah realisasinya." in r["kurang"]
    assert "Anggaran belanja tahun 2025 belum dimuat; yang tampil adalah realisasinya." in r["kurang"]


def test_a_year_without_spending_says_so_instead_of_rp_0():
    y = _year([Baris(2, "4.2.1.01", "", "Dana Desa", Nilai(D(1_000_000)))])
    r = ringkasan_singkat(y, hitung(y))
    assert r["angka"][1]["kosong"] and "Angka belanja tahun 2025 belum dimuat." in r["kurang"]


def test_reader_notes_are_plain_words_never_line_numbers():
    y = _year([Baris(3, "4.2.1.01", "", "Dana Desa", Nilai(D(100), None, D(120))),
               Baris(4, "4.3.6.01", "", "Bunga Bank", Nilai(D(10), None, D(12))),
               Baris(5, "5.1.1.01", "01.01.01", "Siltap", Nilai(D(50), None, D(40)))], status="Realisasi")
    notes = catatan_pembaca(y, hitung(y))
    assert notes == ["Realisasi pendapatan melebihi anggaran pada Dana Desa dan 1 lainnya: penerimaan desa lebih "
                     "besar dari perkiraan."]


def test_a_kegiatan_without_a_name_is_called_after_its_lines_never_a_bare_code():
    y = _year([Baris(3, "5.3.6.01", "02.03.13", "Jembatan Dusun Krajan", Nilai(D(50))),
               Baris(4, "5.2.7.01", "03.03.09", "", Nilai(D(5)))])
    assert y.nama("02.03.13") == "Jembatan Dusun Krajan"
    assert y.nama("03.03.09") == "Lainnya: Kepemudaan dan Olahraga"
    assert y.nama("4.9.9") == "Lainnya: Pendapatan"
