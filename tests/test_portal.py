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


PERDES = {"judul": "Perdes Nomor 2 Tahun 2025", "tanggal": "2024-12-20", "berkas": True}
FULL = {"nama": "Kaligowong", "kode": "33.07.01.2001", "jenis": "desa",
        "apbdes": [year(2024, "Realisasi Tahun Anggaran", ("anggaran", "realisasi"), belanja_realisasi=1_500_000_000),
                   year(2025, "Realisasi Semester I", ("anggaran", "perubahan", "realisasi"),
                        belanja_realisasi=800_000_000)],
        "publikasi": {"dip": 4, "layanan": 3, "berita_terbaru": "2025-08-30", "berita_daftar": []},
        "datadesa": {"per_tanggal": "2025-06-30", "penduduk": 4000, "jumlah_kk": 1200, "kk_miskin": 150,
                     "bansos": [{"program": "BLT Desa", "periode": "2025", "jumlah_kk": 40}],
                     "indeks": {"tahun": 2024, "jenis": "IDM", "skor": 0.72, "status": "Maju"}},
        "audit": {"dokumen": {"perdes_apbdes": {"2025": PERDES},
                              "rkp": {"2025": {"judul": "Perdes Nomor 5 Tahun 2024", "tanggal": "2024-09-20",
                                               "berkas": True}},
                              "rpjm": {"judul": "Perdes Nomor 3 Tahun 2020", "tanggal": "2020-03-01", "berkas": True}},
                  "terbit": {"2025": {"apbdes": "2025-01-02", "realisasi": "2025-07-20"},
                             "2024": {"apbdes": "2024-01-02", "tahunan": "2025-03-10"}},
                  "cek": []}}
KELURAHAN = {"nama": "Kalikajar", "kode": "33.07.07.1006", "jenis": "kelurahan",
             "publikasi": {"dip": 2, "layanan": 4, "berita_terbaru": "2025-09-01", "berita_daftar": []},
             "datadesa": {"per_tanggal": "2025-06-30", "penduduk": 6000}}


def test_full_village_scores_100_and_cells_say_why():
    n = K.nilai(FULL, TODAY, K.aturan({}))
    assert n.skor == 100.0
    assert set(n.sel.values()) == {K.ADA}
    assert n.teks["apbdes"] == "ditetapkan 20 Desember 2024, sebelum batas 31 Desember 2024"
    assert n.teks["realisasi_semester"] == "terbit 20 Juli 2025, sebelum batas 31 Juli 2025"


def test_kelurahan_with_full_profile_and_services_scores_100_without_any_apbdes():
    n = K.nilai(KELURAHAN, TODAY, K.aturan({}))
    assert n.skor == 100.0
    for kode in ("apbdes", "perdes_apbdes", "perubahan", "realisasi_semester", "realisasi_tahunan", "rkp", "rpjm"):
        assert n.sel[kode] == K.TIDAK_BERLAKU and n.teks[kode] == "bukan kewajiban kelurahan"
    # The same page with the kelurahan's services missing does lose points: the duty is its own.
    assert K.nilai({**KELURAHAN, "publikasi": {**KELURAHAN["publikasi"], "layanan": 0}}, TODAY, K.aturan({})).skor == 80.0
    # A kabupaten can extend a duty to kelurahan in settings.
    rules = K.aturan({"PAPAN_KETERBUKAAN": {"rpjm": {"untuk": "keduanya"}}})
    assert K.nilai(KELURAHAN, TODAY, rules).sel["rpjm"] == K.TIDAK_ADA


def test_desa_without_a_perubahan_is_not_penalised():
    years = [year(2024, "Realisasi Tahun Anggaran", ("anggaran", "realisasi")),
             year(2025, "Realisasi Semester I", ("anggaran", "realisasi"))]
    s = {**FULL, "apbdes": years}
    n = K.nilai(s, dt.date(2025, 10, 15), K.aturan({}))   # after 1 October, when it used to count
    assert n.sel["perubahan"] == K.TIDAK_BERLAKU and n.teks["perubahan"] == "tidak ada perubahan"
    assert n.skor == 100.0
    assert "perubahan" not in n.poin


def test_lateness_is_measured_against_the_legal_date_and_weighed():
    late = {**FULL, "audit": {**FULL["audit"], "dokumen": {**FULL["audit"]["dokumen"],
                                                             "perdes_apbdes": {"2025": {**PERDES, "tanggal": "2025-01-12"}}},
                              "terbit": {"2025": {"realisasi": "2025-09-09"}, "2024": {"tahunan": "2025-03-10"}}}}
    n = K.nilai(late, dt.date(2025, 9, 15), K.aturan({}))
    assert n.sel["apbdes"] == K.TERLAMBAT
    assert n.teks["apbdes"] == "ditetapkan 12 hari setelah batas (31 Desember 2024)"
    assert n.poin["apbdes"] == 0.75                          # up to 30 days late
    assert n.teks["realisasi_semester"] == "terbit 40 hari setelah batas (31 Juli 2025)"
    assert n.poin["realisasi_semester"] == 0.5               # up to 90 days late
    # Weights counted: 1+1+1+1+1 +3+1+1+2+2+1+1 = 16; lost: 3*0.25 + 2*0.5 = 1.75 -> 89.1
    assert n.skor == round(100 * (16 - 1.75) / 16, 1)
    missing = {**FULL, "apbdes": [year(2025)], "audit": {**FULL["audit"], "terbit": {}}}
    n = K.nilai(missing, dt.date(2025, 9, 9), K.aturan({}))
    assert n.sel["realisasi_semester"] == K.TIDAK_ADA and n.teks["realisasi_semester"] == "belum terbit, lewat 40 hari"
    assert n.teks["realisasi_tahunan"] == "laporan 2024 belum terbit, lewat 162 hari"
    early = K.nilai(missing, dt.date(2025, 3, 1), K.aturan({}))
    assert early.sel["realisasi_semester"] == K.BELUM and "realisasi_semester" not in early.poin


def test_documents_earn_credit_only_when_published_and_linked():
    # A Perdes number typed in the budget is not a document: without the linked entry there is no credit.
    unlinked = {**FULL, "audit": {**FULL["audit"], "dokumen": {"perdes_apbdes": {}, "rkp": {}, "rpjm": None}}}
    n = K.nilai(unlinked, TODAY, K.aturan({}))
    assert n.sel["perdes_apbdes"] == K.TIDAK_ADA
    assert n.teks["perdes_apbdes"] == "Perdes tidak ditautkan ke daftar produk hukum"
    no_pdf = {**FULL, "audit": {**FULL["audit"], "dokumen": {
        "perdes_apbdes": {"2025": {**PERDES, "berkas": False}}, "rkp": {}, "rpjm": None}}}
    n = K.nilai(no_pdf, TODAY, K.aturan({}))
    assert n.teks["perdes_apbdes"] == "Perdes Nomor 2 Tahun 2025 tercatat, dokumennya belum diunggah"
    assert n.sel["rkp"] == K.TIDAK_ADA and n.teks["rkp"] == "Perdes RKP Desa 2025 belum terbit, lewat 350 hari"


def test_missing_and_stale_items():
    s = {"nama": "X", "jenis": "desa", "apbdes": [year(2024)],
         "publikasi": {"dip": 0, "layanan": 1, "berita_terbaru": "2025-03-01"},
         "datadesa": {"per_tanggal": "2023-12-31"}}
    n = K.nilai(s, dt.date(2025, 6, 1), K.aturan({}))
    assert n.sel == {"profil": K.ADA, "layanan": K.ADA, "dip": K.TIDAK_ADA, "berita": K.USANG,
                     "penduduk": K.USANG, "apbdes": K.TIDAK_ADA, "perdes_apbdes": K.TIDAK_ADA,
                     "perubahan": K.TIDAK_BERLAKU, "realisasi_semester": K.BELUM,
                     "realisasi_tahunan": K.TIDAK_ADA, "rkp": K.TIDAK_ADA, "rpjm": K.TIDAK_ADA}
    assert n.teks["apbdes"] == "APBDes 2025 belum terbit, lewat 152 hari"
    # Counted weights: 1+1+1+1+1 +3+1 +2+1+1 = 13; earned: 1 + 1 + 0.5 + 0.5 = 3 -> 23.1
    assert n.skor == 23.1


def test_unpublished_village_scores_zero_and_is_left_out_of_averages():
    n = K.nilai(None, TODAY, K.aturan({}))
    assert n.skor == 0.0 and not n.terbit and n.skor_teks == "–"
    assert set(n.sel.values()) == {K.TIDAK_ADA}
    full = K.nilai(FULL, TODAY, K.aturan({}))
    avg = K.rata_rata_skor([full, n, n])
    assert (avg.nilai, avg.n, avg.belum) == (100.0, 1, 2)
    assert K.rata_rata_skor([n]).nilai is None


def test_coverage_per_duty_counts_villages_that_have_it():
    rules = K.aturan({})
    kel = K.nilai(KELURAHAN, TODAY, rules)
    desa = K.nilai(FULL, TODAY, rules)
    nothing = K.nilai(None, TODAY, rules)
    cov = {c.aturan.kode: c for c in K.cakupan(rules, [("desa", desa), ("kelurahan", kel), ("desa", nothing)])}
    assert (cov["apbdes"].wajib, cov["apbdes"].terbit, cov["apbdes"].dinilai, cov["apbdes"].ada) == (2, 1, 1, 1)
    assert (cov["layanan"].wajib, cov["layanan"].terbit, cov["layanan"].ada) == (3, 2, 2)
    assert cov["apbdes"].rata_rata == 100.0


def test_kabupaten_adjusts_rules_in_one_setting():
    rules = K.aturan({"PAPAN_KETERBUKAAN": {"berita": {"hari": 10}, "rpjm": {"aktif": False},
                                            "realisasi_semester": {"jatuh_tempo": "08-31"}}})
    assert "rpjm" not in [a.kode for a in rules]
    assert K.nilai(FULL, TODAY, rules).sel["berita"] == K.USANG   # 16 days old > 10
    sem = next(a for a in rules if a.kode == "realisasi_semester")
    assert sem.batas_untuk(2025) == dt.date(2025, 8, 31)
    with pytest.raises(ValueError, match="tidak dikenal"):
        K.aturan({"PAPAN_KETERBUKAAN": {"beritaa": {}}})
    with pytest.raises(ValueError, match="kunci tidak dikenal"):
        K.aturan({"PAPAN_KETERBUKAAN": {"berita": {"bobott": 2}}})


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


def test_portal_openness_figures_are_over_published_villages_with_the_rest_counted_beside():
    pages = portal_pages({"PAPAN_REGISTRY_OBJ": REG, "PAPAN_RESULTS": results(), "PAPAN_TODAY": "2025-09-15"})
    by = {p[0]: p for p in pages}
    avg = by["index.html"][2]["totals"]["keterbukaan"]
    # Kaligowong (100) and Sumbersari's last good pages are published; 263 are not and are not averaged as 0.
    assert avg.n == 2 and avg.belum == 263 and avg.nilai > 50
    ket = by["keterbukaan/index.html"][2]
    ranked = [(kec.nama, r.nilai) for kec, r in ket["kec_rows"]]
    assert ranked[0][0] == "Wadaslintang" and all(v is None for _, v in ranked[1:])
    rows = list(csv.DictReader(io.StringIO(by["data/keterbukaan.csv"][2].decode())))
    erorejo = next(r for r in rows if r["desa"] == "Erorejo")
    assert erorejo["skor"] == "" and erorejo["peringkat"] == ""      # unpublished: not ranked with 0


def test_audit_page_lists_mismatches_and_late_items_per_village_with_a_csv():
    res = results()
    cek = [{"tahun": 2025, "jenis": "dana_desa", "status": "selisih", "publik": "APBDes Rp 1.000.000.000, alokasi "
            "Perbup Nomor 1 Tahun 2025 tanggal 3 Januari 2025 Rp 1.000.001.000; selisih -Rp 1.000",
            "angka_desa": 1_000_000_000, "angka_sumber": 1_000_001_000, "sumber": "Perbup Nomor 1 Tahun 2025"},
           {"tahun": 2025, "jenis": "blt", "status": "tidak dapat dicek", "publik": "tidak dapat dicek",
            "angka_desa": 90_000_000, "angka_sumber": None, "sumber": ""}]
    late_perdes = {**PERDES, "tanggal": "2025-01-12"}
    summary = {**FULL, "audit": {**FULL["audit"], "cek": cek,
                                 "dokumen": {**FULL["audit"]["dokumen"], "perdes_apbdes": {"2025": late_perdes}}}}
    res["kaligowong"] = {**res["kaligowong"], "summary": {**summary, "contoh": True}}
    pages = portal_pages({"PAPAN_REGISTRY_OBJ": REG, "PAPAN_RESULTS": res, "PAPAN_TODAY": "2025-09-15"})
    by = {p[0]: p for p in pages}
    rows = list(csv.DictReader(io.StringIO(by["data/audit.csv"][2].decode())))
    assert [(r["desa"], r["macam"], r["jenis"], r["angka_desa"], r["angka_sumber"]) for r in rows
            if r["desa"] == "Kaligowong"] == [
        ("Kaligowong", "selisih", "Dana Desa", "1000000000", "1000001000"),
        ("Kaligowong", "terlambat", "APBDes tahun berjalan", "", "")]
    assert rows[1]["uraian"] == "ditetapkan 12 hari setelah batas (31 Desember 2024)"
    page = by["audit/urut-selisih/index.html"][2]
    assert page["desa_rows"][0]["v"].nama == "Kaligowong" and page["desa_rows"][0]["selisih"] == 1
    assert page["desa_rows"][0]["tidak_dapat"] == 1
    assert {"audit/index.html", "audit/urut-terlambat/index.html"} <= set(by)
    wadas = next(k for k in page["kec_rows"] if k["kec"].nama == "Wadaslintang")
    # Sumbersari's last good pages carry only 2024: this year's APBDes and reports are overdue.
    assert {r["jenis"] for r in rows if r["desa"] == "Sumbersari"} == {
        "APBDes tahun berjalan", "Realisasi semester I", "Laporan realisasi tahun lalu", "Perdes RKP Desa (dokumen)"}
    assert (wadas["terbit"], wadas["selisih"], wadas["terlambat"]) == (2, 1, 5)
