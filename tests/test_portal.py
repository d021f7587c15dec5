"""Portal aggregation and the openness score, on hand-made village summaries (no Pelican)."""
import datetime as dt
import io
import csv
from pathlib import Path

import pytest

from papan_desa import data_kinds  # noqa: F401  (registers the portal pages)
from papan_desa import keterbukaan as K
from papan_desa.portal import BELUM, GAGAL, GAGAL_LAMA, TERBIT, portal_model, portal_pages
from papan_desa.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
REG = load_registry(ROOT / "data" / "wonosobo-wilayah-2025.csv")
TODAY = dt.date(2025, 9, 15)


def year(tahun, status="APBDes", kolom=("anggaran",), perdes="3 Tahun %d", **kw):
    return {"tahun": tahun, "status": status, "kolom": list(kolom), "perdes_nomor": perdes % tahun if perdes else None,
            "per_tanggal": f"{tahun}-01-15", "pendapatan": 1_500_000_000, "belanja": 1_600_000_000,
            "pendapatan_realisasi": None, "belanja_realisasi": None, "dana_desa": 1_000_000_000,
            "bidang": {"01": 600_000_000, "02": 500_000_000, "03": 200_000_000, "04": 200_000_000, "05": 100_000_000},
            "indikator": {"siltap": 25.0, "blt_desa": 10.0, "ketahanan_pangan": 20.0}, **kw}


FULL = {"nama": "Kaligowong", "kode": "33.07.01.2001",
        "apbdes": [year(2024, "Realisasi Tahun Anggaran", ("anggaran", "realisasi"), belanja_realisasi=1_500_000_000),
                   year(2025, "Realisasi Semester I", ("anggaran", "perubahan", "realisasi"),
                        belanja_realisasi=800_000_000)],
        "publikasi": {"dip": 4, "berita_terbaru": "2025-08-30", "berita_daftar": []},
        "datadesa": {"per_tanggal": "2025-06-30", "penduduk": 4000, "jumlah_kk": 1200, "kk_miskin": 150,
                     "bansos": [{"program": "BLT Desa", "periode": "2025", "jumlah_kk": 40}],
                     "indeks": {"tahun": 2024, "jenis": "IDM", "skor": 0.72, "status": "Maju"}}}


def test_full_village_scores_100_and_cells_say_why():
    n = K.nilai(FULL, TODAY, K.aturan({}))
    assert n.skor == 100.0
    assert set(n.sel.values()) == {K.ADA}


def test_missing_and_stale_items_and_not_yet_due():
    s = {"nama": "X", "apbdes": [year(2024)], "publikasi": {"dip": 0, "berita_terbaru": "2025-03-01"},
         "datadesa": {"per_tanggal": "2023-12-31"}}
    n = K.nilai(s, dt.date(2025, 6, 1), K.aturan({}))
    assert n.sel == {"profil": K.ADA, "apbdes": K.USANG, "perubahan": K.BELUM, "realisasi_semester": K.BELUM,
                     "realisasi_tahunan": K.TIDAK_ADA, "perdes_apbdes": K.USANG, "dip": K.TIDAK_ADA,
                     "berita": K.USANG, "penduduk": K.USANG}
    # Weights of the due rules: profil 1, apbdes 3, tahunan 2, perdes 1, dip 1, berita 1, penduduk 1 = 10;
    # earned: 1 + 1.5 + 0 + 0.5 + 0 + 0.5 + 0.5 = 4.0 -> 40.
    assert n.skor == 40.0
    # After 1 October the Perubahan is due, so its absence counts.
    later = K.nilai(s, dt.date(2025, 10, 2), K.aturan({}))
    assert later.sel["perubahan"] == K.TIDAK_ADA and later.sel["realisasi_semester"] == K.TIDAK_ADA


def test_unpublished_village_scores_zero():
    n = K.nilai(None, TODAY, K.aturan({}))
    assert n.skor == 0.0 and set(n.sel.values()) == {K.TIDAK_ADA}


def test_kabupaten_adjusts_rules_in_one_setting():
    rules = K.aturan({"PAPAN_KETERBUKAAN": {"berita": {"hari": 10}, "perubahan": {"aktif": False}}})
    assert "perubahan" not in [a.kode for a in rules]
    assert K.nilai(FULL, TODAY, rules).sel["berita"] == K.USANG   # 16 days old > 10
    with pytest.raises(ValueError, match="tidak dikenal"):
        K.aturan({"PAPAN_KETERBUKAAN": {"beritaa": {}}})


def test_today_comes_from_setting_or_newest_data_never_the_clock():
    assert K.hari_ini({"PAPAN_TODAY": "2026-01-02"}, [FULL]) == dt.date(2026, 1, 2)
    assert K.hari_ini({}, [FULL]) == dt.date(2025, 8, 30)


def results():
    return {
        "kaligowong": {"status": "ok", "kode": "33.07.01.2001", "summary": {**FULL, "contoh": True}},
        "sumbersari": {"status": "gagal", "kode": "33.07.01.2002", "published": True,
                       "summary": {"nama": "Sumbersari", "apbdes": [year(2024)]}},
        "baru": {"status": "gagal", "kode": "33.07.01.2003", "published": False, "problems": []},
        "salah": {"status": "gagal", "kode": "33.07.01.2999", "published": False, "problems": []},
    }


def test_portal_model_marks_every_registry_village():
    model = portal_model(REG, results())
    wadas = next(k for k in model if k.nama == "Wadaslintang")
    st = {v.nama: v.status for v in wadas.villages}
    assert st["Kaligowong"] == TERBIT and st["Sumbersari"] == GAGAL_LAMA and st["Sumberejo"] == GAGAL
    assert st["Erorejo"] == BELUM
    assert wadas.n_terbit == 2 and len(model) == 15 and sum(len(k.villages) for k in model) == 265


def test_portal_pages_aggregate_and_write_csv():
    pages = portal_pages({"PAPAN_REGISTRY_OBJ": REG, "PAPAN_RESULTS": results(), "PAPAN_TODAY": "2025-09-15"})
    by = {p[0]: p for p in pages}
    home = by["index.html"][2]
    assert home["totals"]["terbit"] == 2 and home["totals"]["gagal"] == 2 and home["totals"]["semua"] == 265
    assert home["totals"]["penduduk"] == 4000
    assert [slug for slug, _ in home["lain_gagal"]] == ["salah"]
    # Comparison per year, one row per village that published that year; pre-built orderings.
    assert "perbandingan/2025/index.html" in by and "perbandingan/2025/urut-dana_desa/index.html" in by
    rows = list(csv.DictReader(io.StringIO(by["perbandingan/2025/perbandingan-2025.csv"][2].decode())))
    assert [r["desa"] for r in rows] == ["Kaligowong"]
    assert rows[0]["dd_per_penduduk"] == "250000" and rows[0]["realisasi"] == "50.0"
    assert rows[0]["bidang_01"] == "37.5"
    rows24 = list(csv.DictReader(io.StringIO(by["perbandingan/2024/perbandingan-2024.csv"][2].decode())))
    assert sorted(r["desa"] for r in rows24) == ["Kaligowong", "Sumbersari"]
    # Openness matrix for all 265 villages, ranked.
    ket = list(csv.DictReader(io.StringIO(by["data/keterbukaan.csv"][2].decode())))
    assert len(ket) == 265
    kal = next(r for r in ket if r["desa"] == "Kaligowong")
    assert kal["skor"] == "100.0" and kal["peringkat"] == "1"
    # Targeting table keeps suppressed values as published.
    sas = list(csv.DictReader(io.StringIO(by["sasaran/sasaran-program.csv"][2].decode())))
    assert sas[0]["kk_miskin"] == "150" and sas[0]["persen_kk_miskin"] == "12.5" and sas[0]["bansos_kk_BLT Desa"] == "40"
