"""Tables: n and % for L, P and total, computed (never typed), Indonesian formatting, suppression applied."""
from __future__ import annotations

from decimal import Decimal

from papan_desa.datadesa import build_tables, load_village_datadesa
from papan_desa.datadesa.tables import format_date, format_int, format_persen, format_value, percent
from papan_desa.problems import Problems

from datadesa_helpers import FIXTURES


def _tables():
    problems = Problems()
    dd = load_village_datadesa(FIXTURES / "baik", problems)
    assert not problems.items
    return build_tables(dd)


def test_formatting():
    assert format_persen(Decimal("12.3")) == "12,3%"
    assert format_persen(Decimal("0.05")) == "0,1%"          # half up
    assert format_int(1234567) == "1.234.567"
    assert format_value(Decimal("0.6512"), "skor") == "0,6512"
    assert format_value(300000, "rupiah") == "Rp 300.000"
    assert format_value("<5", "n") == "<5" and format_value(None, "persen") == "–"
    assert percent(1, 3) == Decimal("33.3") and percent(2, 3) == Decimal("66.7") and percent(1, 0) is None
    import datetime as dt
    assert format_date(dt.date(2025, 6, 30)) == "30 Juni 2025"


def test_age_table_percentages_are_computed_from_the_grand_total():
    t = _tables()["penduduk-umur"]
    assert [r["kelompok_umur"] for r in t.rows][:2] == ["0-4", "5-9"] and len(t.rows) == 16
    first = t.rows[0]            # 0-4: 9 men, 8 women of 248
    assert (first["laki_laki"], first["perempuan"], first["jumlah"]) == (9, 8, 17)
    assert (first["persen_laki_laki"], first["persen_perempuan"], first["persen_jumlah"]) == (
        Decimal("3.6"), Decimal("3.2"), Decimal("6.9"))
    assert t.total == {"kelompok_umur": "Jumlah", "laki_laki": 125, "persen_laki_laki": Decimal("50.4"),
                       "perempuan": 123, "persen_perempuan": Decimal("49.6"), "jumlah": 248,
                       "persen_jumlah": Decimal("100.0")}
    # 70-74 (3 men, 4 women) and 75+ (3, 3) are small. Showing the row total 7 would tell a reader that
    # both "<5" are 3 or 4 (two numbers of at most 4 adding up to 7), so the totals are hidden too, and the
    # three bands above them (55-69) are hidden as partners so that no column can be subtracted back.
    by = {r["kelompok_umur"]: r for r in t.rows}
    assert [by["70-74"][k] for k in ("laki_laki", "perempuan", "jumlah", "persen_laki_laki")] == ["<5", "<5", "*", "<5"]
    assert [by["75+"][k] for k in ("laki_laki", "perempuan", "jumlah")] == ["<5", "<5", "*"]
    assert [by[b]["jumlah"] for b in ("55-59", "60-64", "65-69")] == [14, 12, 10]
    assert [by[b]["laki_laki"] for b in ("55-59", "60-64", "65-69")] == ["*", "*", "*"]
    assert by["50-54"]["laki_laki"] == 8
    assert t.caption == "Data kependudukan desa, per 30 Juni 2025"
    assert t.has_hidden and any('"<5"' in n for n in t.notes)


def test_categories_follow_the_official_list_and_show_zero_rows():
    t = _tables()["penduduk-agama"]
    assert [r["agama"] for r in t.rows] == ["ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KHONGHUCU",
                                            "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA"]
    islam, kristen = t.rows[0], t.rows[1]
    assert (kristen["laki_laki"], kristen["perempuan"], kristen["jumlah"]) == ("<5", "<5", 5)
    assert (islam["laki_laki"], islam["perempuan"], islam["jumlah"]) == ("*", "*", 243)
    assert islam["persen_jumlah"] == Decimal("98.0") and t.rows[2]["jumlah"] == 0
    # pekerjaan lists only the occupations present (the official list has 89)
    assert len(_tables()["penduduk-pekerjaan"].rows) == 6


def test_wilayah_tables_add_up_and_share_suppression():
    tables = _tables()
    rt, du = tables["wilayah-rt"], tables["wilayah-dusun"]
    assert [(r["dusun"], r["rw"], r["rt"], r["jumlah"]) for r in rt.rows] == [
        ("Krajan", "001", "001", 100), ("Krajan", "001", "002", 85), ("Sidomulyo", "002", "001", 63)]
    assert [(r["dusun"], r["jumlah_rt"], r["kk"], r["laki_laki"], r["perempuan"], r["persen_jumlah"]) for r in du.rows] == [
        ("Krajan", 2, 55, 92, 93, Decimal("74.6")), ("Sidomulyo", 1, 20, 33, 30, Decimal("25.4"))]
    assert du.total["jumlah"] == 248 and du.total["kk"] == 75


def test_ringkasan_kk_miskin_share_is_computed():
    t = _tables()["penduduk-ringkasan"]
    rows = {r["uraian"]: r for r in t.rows}
    assert rows["KK miskin"]["jumlah"] == 12 and rows["KK miskin"]["persen"] == Decimal("16.0")   # 12 of 75
    assert rows["Jumlah penduduk"]["jumlah"] == 248


def test_bansos_tables_hide_small_counts_and_the_money_that_reveals_them():
    tables = _tables()
    d = tables["bansos-dusun"]
    blt = [r for r in d.rows if r["program"] == "BLT Desa"]
    assert [(r["dusun"], r["jumlah_kk"], r["total_nilai"]) for r in blt] == [("Krajan", "<5", "<5"),
                                                                            ("Sidomulyo", "*", "*")]
    pkh = [r for r in d.rows if r["program"] == "PKH"]
    assert [(r["jumlah_kk"], r["nilai_per_kk"], r["total_nilai"]) for r in pkh] == [(8, 750000, 6000000),
                                                                                   (7, 750000, 5250000)]
    p = tables["bansos-program"]
    assert [(r["program"], r["jumlah_kk"], r["total_nilai"]) for r in p.rows] == [("BLT Desa", 9, 2700000),
                                                                                 ("PKH", 15, 11250000)]
    assert all(set(r) == {"program", "periode", "dusun", "jumlah_kk", "nilai_per_kk", "total_nilai", "sumber_dana"}
               for r in d.rows)


def test_bansos_different_amounts_hide_the_programme_money_total():
    from papan_desa.datadesa.load import Bansos
    from papan_desa.datadesa.tables import bansos_tables
    rows = [Bansos("PKH", "A", 3, 750000, "2025", "APBN"), Bansos("PKH", "B", 20, 500000, "2025", "APBN"),
            Bansos("PKH", "C", 30, 500000, "2025", "APBN")]
    d, p = bansos_tables(rows)
    assert p.rows[0]["jumlah_kk"] == 53 and p.rows[0]["total_nilai"] == "*"
    assert p.rows[0]["nilai_per_kk"] is None


def test_indeks_and_sdgs_tables():
    tables = _tables()
    t = tables["indeks-desa"]
    assert [(r["tahun"], r["jenis"], r["status"]) for r in t.rows] == [
        ("2022", "IDM", "Berkembang"), ("2023", "IDM", "Maju"), ("2024", "Indeks Desa", "Maju")]
    s = tables["sdgs-desa"]
    assert [r["tujuan"] for r in s.rows] == [1, 2, 18] and s.rows[0]["skor"] == Decimal("45.20")


def test_threshold_is_configurable():
    problems = Problems()
    dd = load_village_datadesa(FIXTURES / "baik", problems)
    assert build_tables(dd, threshold=1)["penduduk-agama"].rows[1]["laki_laki"] == 3
    t10 = build_tables(dd, threshold=10)["penduduk-umur"]
    assert t10.rows[0]["laki_laki"] == "<10"
