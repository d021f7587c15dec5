"""One way to write money and numbers (Babel, CLDR "id"), used by pages, tables, charts and posters."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from papan_desa import formatting as f
from papan_desa.apbdes import numbers
from papan_desa.datadesa import tables


@pytest.mark.parametrize("value, text", [
    (Decimal("1244674000"), "Rp 1.244.674.000"),
    (Decimal("-2131580"), "-Rp 2.131.580"),
    (Decimal("1627488676.5"), "Rp 1.627.488.676,50"),
    (0, "Rp 0"),
    (Decimal("-0.004"), "Rp 0"),
    (None, "–"),
])
def test_rupiah_is_written_one_way(value, text):
    assert f.rupiah(value) == text


def test_short_forms_round_like_a_reader_says_them():
    assert f.rupiah_singkat(Decimal("1844674000")) == "Rp 1,84 miliar"
    assert f.rupiah_singkat(Decimal("794946000")) == "Rp 794,9 juta"
    assert f.rupiah_singkat(Decimal("150000")) == "Rp 150 ribu"
    assert f.rupiah_singkat(Decimal("2000000000000")) == "Rp 2 triliun"
    assert f.rupiah_singkat(Decimal("-16420000")) == "-Rp 16,4 juta"
    assert f.rupiah_singkat(Decimal("950")) == "Rp 950"


def test_numbers_percentages_and_dates():
    assert f.angka(1244674000) == "1.244.674.000"
    assert f.angka(Decimal("12.5"), 1) == "12,5"
    assert f.angka(Decimal("0.6512"), None) == "0,6512"
    assert f.angka(Decimal("-0.04"), 1) == "0,0"
    assert f.persen(Decimal("87.534")) == "87,5%"
    assert f.persen_ringkas(Decimal("56.6")) == "56,60%" and f.persen_ringkas(Decimal("100")) == "100%"
    assert f.tanggal(dt.date(2025, 6, 30)) == f.tanggal("2025-06-30") == "30 Juni 2025"


def test_every_formatter_of_the_project_is_this_one():
    """apbdes/numbers.py and datadesa/tables.py keep their names but write what formatting.py writes."""
    v = Decimal("-2131580")
    assert numbers.format_rupiah(v) == f.rupiah(v)
    assert numbers.format_singkat(v) == f.rupiah_singkat(v)
    assert numbers.format_persen(Decimal("87.53")) == f.persen_ringkas(Decimal("87.53"))
    assert numbers.format_angka(v) == "-2.131.580"
    assert tables.format_value(300000, "rupiah") == f.rupiah(300000)
    assert tables.format_int(1234567) == f.angka(1234567)
    assert tables.format_date(dt.date(2025, 1, 5)) == f.tanggal(dt.date(2025, 1, 5))
