"""Every total, indicator, the official table, the JSON/CSV contract and the charts, on hand-checked fixtures."""
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from papan_desa.apbdes import (hitung, indikator, kolom_tabel, load_village_apbdes, normalised_csv, tabel,
                               tabel_html, year_json)
from papan_desa.apbdes.charts import chart_multi_tahun, infografik
from papan_desa.apbdes.totals import multi_tahun
from papan_desa.problems import Problems

FIX = Path(__file__).parent / "fixtures" / "apbdes"


@pytest.fixture(scope="module")
def jogo():
    return load_village_apbdes(FIX / "jogoyitnan", Problems())[0]


@pytest.fixture(scope="module")
def contoh():
    return load_village_apbdes(FIX / "contoh", Problems())


def test_jogoyitnan_totals_match_published_report(jogo):
    t = hitung(jogo)
    # JUMLAH PENDAPATAN as published: 1.360.886.000 (awal and setelah perubahan)
    assert t.ringkasan["pendapatan"].anggaran == D("1360886000")
    assert t.ringkasan["pendapatan"].perubahan == D("1360886000")
    # kegiatan 01.01.02 as published: 323.625.000 -> 315.900.000, berkurang 7.725.000
    k = t.kegiatan["01.01.02"]
    assert (k.anggaran, k.perubahan, k.bertambah) == (D("323625000"), D("315900000"), D("-7725000"))
    assert t.kegiatan["01.01.01"].anggaran == D("6000000")
    assert t.akun["4.2"].anggaran == D("1350736000")   # 794.946.000 + 57.777.000 + 498.013.000
    assert t.pendapatan_jenis["4.2.1"].anggaran == D("794946000")


def test_lra_totals_hand_checked(contoh):
    t = hitung(contoh[1])
    r = t.ringkasan
    assert (r["pendapatan"].anggaran, r["pendapatan"].realisasi) == (D("1515000000"), D("857500000"))
    assert (r["belanja"].anggaran, r["belanja"].realisasi) == (D("1517200000"), D("392100000"))
    assert (r["surplus_defisit"].anggaran, r["surplus_defisit"].realisasi) == (D("-2200000"), D("465400000"))
    assert (r["penerimaan_pembiayaan"].anggaran, r["pengeluaran_pembiayaan"].anggaran) == (D("35200000"), D("50000000"))
    assert (r["pembiayaan_netto"].anggaran, r["pembiayaan_netto"].realisasi) == (D("-14800000"), D("35200000"))
    # SiLPA tahun berjalan shown as it is, negative in the budget
    assert (r["silpa"].anggaran, r["silpa"].realisasi) == (D("-17000000"), D("500600000"))
    assert r["pendapatan"].lebih_kurang == D("657500000") and r["pendapatan"].persen == D("56.60")
    assert r["belanja"].persen == D("25.84")
    assert {k: v.anggaran for k, v in t.bidang.items()} == {
        "01": D("352200000"), "02": D("787000000"), "03": D("20000000"), "04": D("250000000"), "05": D("108000000")}
    assert t.ekonomi["5.1"].anggaran == D("352200000") and t.ekonomi["5.4"].anggaran == D("108000000")
    assert t.ekonomi["5.2"].anggaran == D("270000000") and t.ekonomi["5.3"].anggaran == D("787000000")
    assert sum(v.anggaran for v in t.bidang.values()) == r["belanja"].anggaran


def test_no_float_drift_with_sen(tmp_path):
    d = tmp_path / "apbdes"
    d.mkdir()
    rows = "".join(f"4.1.4.{i:02d},,Pungutan {i},\"1.000,10\",,,\n" for i in range(1, 11))
    (d / "2025.csv").write_text("kode,kegiatan,uraian,anggaran,perubahan,realisasi,sumber_dana\n" + rows)
    (d / "2025.md").write_text("status: APBDes\n")
    (y,) = load_village_apbdes(tmp_path, Problems())
    assert hitung(y).ringkasan["pendapatan"].anggaran == D("10001.00")
    assert json.loads(year_json(y))["ringkasan"]["pendapatan"]["anggaran"] == 10001


def test_indicators(contoh, jogo):
    ind = {i.kode: i for i in indikator(contoh[1])}
    assert ind["siltap"].nilai == D("23.21") and ind["siltap"].memenuhi is True   # 352,2 jt / 1.517,2 jt
    assert ind["blt_desa"].nilai == D("10.80") and ind["blt_desa"].batas == D(15) and ind["blt_desa"].memenuhi
    assert ind["ketahanan_pangan"].nilai == D("25.00") and ind["ketahanan_pangan"].memenuhi
    assert ind["realisasi_pendapatan"].nilai == D("56.60") and ind["realisasi_belanja"].nilai == D("25.84")
    none = {i.kode: i for i in indikator(contoh[0])}
    assert none["siltap"].nilai is None and "tidak dirinci" in none["siltap"].teks
    assert none["blt_desa"].nilai is None
    j = {i.kode: i for i in indikator(jogo)}
    assert j["siltap"].memenuhi is False and "tidak memenuhi" in j["siltap"].teks


def test_table_perubahan_layout(jogo):
    assert kolom_tabel(jogo) == ("Anggaran Awal", "Setelah Perubahan", "Bertambah/(Berkurang)")
    rows = tabel(jogo)
    by = {(r.kode, r.uraian): r for r in rows}
    assert by[("01.01.02", "Penyediaan Penghasilan Tetap dan Tunjangan Perangkat Desa")].sel("perubahan") == [
        "323.625.000", "315.900.000", "-7.725.000"]
    assert by[("5.1.2.02. [01.01.02]", "Tunjangan Perangkat Desa")].sel("perubahan") == [
        "25.800.000", "25.200.000", "-600.000"]
    assert [r.uraian for r in rows if r.tingkat == "jumlah"] == [
        "JUMLAH PENDAPATAN", "JUMLAH BELANJA", "SURPLUS/(DEFISIT)", "PEMBIAYAAN NETTO", "SiLPA TAHUN BERJALAN"]
    html = tabel_html(jogo, caption="APBDes Perubahan 2025")
    assert "<caption>APBDes Perubahan 2025</caption>" in html and "-Rp 7.725.000" in html and 'scope="row"' in html


def test_table_lra_layout(contoh):
    y = contoh[1]
    assert y.layout == "lra"
    rows = {r.uraian: r for r in tabel(y)}
    assert rows["JUMLAH PENDAPATAN"].sel("lra") == ["1.515.000.000", "857.500.000", "657.500.000", "56,60%"]
    assert rows["SiLPA TAHUN BERJALAN"].sel("lra") == ["-17.000.000", "500.600.000", "-517.600.000", "–"]
    assert rows["Pembangunan/Rehabilitasi/Peningkatan Jalan Desa"].tingkat == "kegiatan"


def test_json_contract(contoh):
    data = json.loads(year_json(contoh[1]))
    assert set(data["ringkasan"]) == {"pendapatan", "belanja", "surplus_defisit", "penerimaan_pembiayaan",
                                      "pengeluaran_pembiayaan", "pembiayaan_netto", "silpa"}
    assert data["ringkasan"]["silpa"] == {"anggaran": -17000000, "realisasi": 500600000}
    assert data["ringkasan"]["pendapatan"] == {"anggaran": 1515000000, "realisasi": 857500000}
    assert list(data["bidang"]) == ["01", "02", "03", "04", "05"]
    assert data["bidang"]["02"] == {"anggaran": 787000000, "realisasi": 100000000}
    assert data["pendapatan_jenis"] == {"4.1.1": {"anggaran": 15000000, "realisasi": 7500000},
                                        "4.2.1": {"anggaran": 1000000000, "realisasi": 600000000},
                                        "4.2.3": {"anggaran": 500000000, "realisasi": 250000000}}
    assert data["tahun"] == 2025 and data["status"] == "Realisasi Semester I" and data["per_tanggal"] == "2025-06-30"
    budget_only = json.loads(year_json(contoh[0]))
    assert budget_only["ringkasan"]["belanja"] == {"anggaran": 1430000000}


def test_outputs_are_deterministic(contoh, jogo):
    again = load_village_apbdes(FIX / "contoh", Problems())
    assert year_json(again[1]) == year_json(contoh[1])
    assert normalised_csv(again[1]) == normalised_csv(contoh[1])
    first = normalised_csv(jogo).splitlines()
    assert first[0] == "tahun,bagian,kode,kegiatan,bidang,uraian,anggaran,perubahan,realisasi,sumber_dana"
    assert first[1] == "2025,pendapatan,4.1.2.07,,,Hasil Kios Milik Desa,10000000,10000000,,PAD"


def test_charts_are_small_accessible_and_reproducible(contoh):
    y = contoh[1]
    charts = infografik(y)
    assert [c.slug for c in charts] == ["pendapatan", "belanja-bidang", "pembiayaan", "realisasi"]
    for c, again in zip(charts, infografik(load_village_apbdes(FIX / "contoh", Problems())[1])):
        assert c.svg == again.svg
        assert len(c.svg.encode()) < 15_000
        assert "<title" in c.svg and "<desc" in c.svg and "<metadata" not in c.svg
    bidang = charts[1]
    assert "Rp 787.000.000" in bidang.deskripsi and "Rp 787 juta" in bidang.svg
    assert "56,6%" in charts[3].svg or "56,60%" in charts[3].svg
    multi = chart_multi_tahun(contoh)
    assert multi is not None and "2024" in multi.deskripsi and "<title" in multi.svg
    assert chart_multi_tahun(contoh[:1]) is None
    assert [r.tahun for r in multi_tahun(contoh)] == [2024, 2025]
