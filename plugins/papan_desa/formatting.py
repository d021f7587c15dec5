"""Indonesian number and date formats, used by templates (Jinja filters) and charts."""
from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]


def angka(value, decimals: int = 0) -> str:
    """1244674000 -> '1.244.674.000'; 12.5 with decimals=1 -> '12,5'."""
    if value is None or value == "":
        return "–"
    d = Decimal(str(value))
    q = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    d = d.quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if decimals:
        out += "," + frac.ljust(decimals, "0")[:decimals]
    return sign + out


def rupiah(value, decimals: int = 0) -> str:
    """'Rp 1.244.674.000'; negatives as 'Rp -2.131.580'."""
    if value is None or value == "":
        return "–"
    return "Rp " + angka(value, decimals)


def persen(value, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return angka(value, decimals) + "%"


def tanggal(value) -> str:
    """date(2025, 6, 30) or '2025-06-30' -> '30 Juni 2025'."""
    if value in (None, ""):
        return "–"
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def wa(number: str) -> str:
    """A WhatsApp chat link: wa.me wants the international number without '+', spaces or the leading 0
    (normalised by :func:`papan_desa.schema.nomor_wa`; a number it refuses keeps only its digits)."""
    from .schema import ValueProblem, nomor_wa

    try:
        digits = nomor_wa(str(number))
    except ValueProblem:
        digits = "".join(ch for ch in str(number) if ch.isdigit())
    return f"https://wa.me/{digits}"


JINJA_FILTERS = {"angka": angka, "rupiah": rupiah, "persen": persen, "tanggal": tanggal, "wa": wa}
