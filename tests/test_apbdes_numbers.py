"""Rupiah parsing and formatting: every shape real reports use, exact values, clear refusals."""
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from papan_desa.apbdes.numbers import (AmountError, format_angka, format_persen, format_rupiah, format_singkat,
                                       from_cell, json_number, parse_rupiah, plain)


@pytest.mark.parametrize("raw, expected", [
    ("1244674000", "1244674000"),
    ("Rp 1.244.674.000", "1244674000"),
    ("Rp. 1.244.674.000", "1244674000"),
    ("1.244.674.000", "1244674000"),
    ("1.627.488.676,00", "1627488676"),
    ("1.627.488.676,50", "1627488676.5"),
    ("1,370,198,500", "1370198500"),
    ("1,370,198,500.25", "1370198500.25"),
    ("-2.131.580", "-2131580"),
    ("(2.131.580)", "-2131580"),
    ("(Rp 2.131.580)", "-2131580"),
    ("Rp -2.131.580", "-2131580"),
    ("1.234", "1234"),        # Indonesian: one thousand two hundred thirty-four
    ("1,234", "1234"),
    ("1500000,50", "1500000.5"),
    ("1500000.50", "1500000.5"),
    ("-", "0"),
    ("  794.946.000 ", "794946000"),
    ("0", "0"),
    # issue #25.4: every shape printed reports use
    ("1.234.567", "1234567"),
    ("1.234.567,00", "1234567"),
    ("1,234,567", "1234567"),
    ("Rp 1.234.567", "1234567"),
    ("Rp.1.234.567", "1234567"),
    ("Rp. 291.600.000,-", "291600000"),
    ("Rp. 1.234.567,-", "1234567"),
    ("291.600.000,-", "291600000"),
    ("(1.234.567)", "-1234567"),
    ("-1.234.567", "-1234567"),
    ("Rp 0", "0"),
    ("Rp -", "0"),
    ("1.234.567,05", "1234567.05"),
])
def test_parse_shapes(raw, expected):
    assert parse_rupiah(raw) == Decimal(expected)


@pytest.mark.parametrize("raw, fragment", [
    ("1,-5", "angka rupiah seperti"),
    ("Rp ,-", "angka rupiah seperti"),
    ("1,5", "bermakna ganda"),
    ("1.5", "bermakna ganda"),
    ("12.3456", "bermakna ganda"),
    ("1.23.456", "tiap tiga angka"),
    ("1.234,567", "dua angka sen"),
    ("satu juta", "ditemukan"),
    ("", "kosong"),
    ("1.234.567,89,0", "lebih dari sekali"),
    ("--5", "ditemukan"),
])
def test_refusals_are_clear(raw, fragment):
    with pytest.raises(AmountError) as exc:
        parse_rupiah(raw)
    assert fragment in str(exc.value)


def test_formatting():
    assert format_rupiah(Decimal("1244674000")) == "Rp 1.244.674.000"
    assert format_angka(Decimal("1244674000")) == "1.244.674.000"
    assert format_angka(Decimal("-2131580")) == "-2.131.580"     # negatives one way, as in format_rupiah
    assert format_angka(Decimal("1627488676.5")) == "1.627.488.676,50"
    assert format_rupiah(Decimal("-2131580")) == "-Rp 2.131.580"
    assert format_persen(Decimal("56.6")) == "56,60%"
    assert format_persen(Decimal("25")) == "25%"
    assert format_persen(None) == "–"
    assert format_singkat(Decimal("1244674000")) == "Rp 1,24 miliar"
    assert format_singkat(Decimal("794946000")) == "Rp 794,9 juta"
    assert format_singkat(Decimal("150000")) == "Rp 150 ribu"
    assert format_singkat(Decimal("-2131580")) == "-Rp 2,1 juta"
    assert format_rupiah(Decimal("-0.001")) == "Rp 0"


def test_machine_forms_are_exact():
    assert plain(Decimal("1250000.5")) == "1250000.50"
    assert plain(Decimal("1244674000.00")) == "1244674000"
    assert json_number(Decimal("1244674000.00")) == 1244674000
    assert repr(json_number(Decimal("1627488676.57"))) == "1627488676.57"
    assert from_cell(1244674000.0) == Decimal("1244674000")
    assert from_cell(0.1 + 0.2) == Decimal("0.3")


@settings(deadline=None)
@given(st.integers(min_value=-10**13, max_value=10**13), st.integers(min_value=0, max_value=99))
def test_format_parse_round_trip(whole, cents):
    value = Decimal(whole) + (Decimal(cents) / 100 if whole >= 0 else -Decimal(cents) / 100)
    assert parse_rupiah(format_angka(value)) == value
    assert parse_rupiah(format_rupiah(value)) == value
    assert parse_rupiah(plain(value)) == value


@settings(deadline=None)
@given(st.text(alphabet="0123456789.,-() Rp\u00a0", max_size=20))
def test_parser_only_returns_or_explains(raw):
    try:
        assert isinstance(parse_rupiah(raw), Decimal)
    except AmountError as exc:
        assert "ditemukan" in str(exc) or "bermakna ganda" in str(exc)


@settings(deadline=None)
@given(st.text(max_size=30))
def test_parser_never_crashes_on_any_text(raw):
    try:
        parse_rupiah(raw)
    except AmountError:
        pass


def test_budget_csv_reads_every_shape_through_the_same_reader(tmp_path):
    """apbdes/<tahun>.csv takes the shapes printed reports use (issue #25.4)."""
    from papan_desa.apbdes import hitung, load_year
    from papan_desa.problems import Problems
    (tmp_path / "2025.csv").write_text(
        "kode;kegiatan;uraian;anggaran;perubahan;realisasi\n"
        "4.2.1.01;;Dana Desa;Rp. 291.600.000,-;;Rp.1.234.567\n"
        "4.2.3.01;;ADD;1,234,567;;Rp 0\n"
        "5.1.1.01;01.01.01;Siltap;1.234.567,05;;-\n", encoding="cp1252")
    (tmp_path / "2025.md").write_text("status: Realisasi Tahun Anggaran\n")
    p = Problems()
    y = load_year(tmp_path / "2025.csv", p)
    assert y is not None, [str(x) for x in p.items]
    r = hitung(y).ringkasan
    assert r["pendapatan"].anggaran == Decimal("292834567") and r["pendapatan"].realisasi == Decimal("1234567")
    assert r["belanja"].anggaran == Decimal("1234567.05") and r["belanja"].realisasi == 0


@pytest.mark.parametrize("raw", ["10000000000000000000000000000", 1e30, 10**40, Decimal("1E+29")])
def test_absurdly_large_numbers_are_refused_not_crashed(raw):
    with pytest.raises(AmountError, match="paling banyak 18 digit"):
        from_cell(raw)
