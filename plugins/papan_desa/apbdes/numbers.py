"""Rupiah amounts as real reports write them, parsed exactly into Decimal.

Accepted shapes (all give the same value where they mean the same):
``1244674000``, ``Rp 1.244.674.000``, ``Rp. 1.244.674.000``, ``1.244.674.000``,
``1.627.488.676,00``, ``1,370,198,500``, ``1,370,198,500.50``, ``-2.131.580``,
``(2.131.580)``, ``1244674000.00``, ``Rp. 291.600.000,-`` (``,-``: no sen, as printed reports write it),
``Rp 0`` and ``-`` (zero, as Excel's accounting format prints it).

Rule for a number with a single separator (documented in docs/apbdes.md):

* followed by exactly three digits, it groups thousands: ``1.234`` and ``1,234`` are 1234
  (rupiah never has three digits of sen);
* followed by exactly two digits, it is the decimal mark for sen: ``1500,50`` and
  ``1500.50`` are 1500.5;
* anything else (``1,5``, ``12.3456``) is ambiguous and refused.

With both separators, the last one is the decimal mark and the other groups thousands.
Groups of thousands must have three digits; at most two digits of sen.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .. import formatting as _fmt

SEN = Decimal("0.01")
MAX_DIGITS = 18     # rupiah before the sen; beyond it a cell is a typo, and Decimal's 28 digits would overflow


class AmountError(ValueError):
    """The text is not an amount; the message is Indonesian (what was expected, what was found)."""


EXPECTED = 'angka rupiah seperti "1.244.674.000", "Rp 1.244.674.000" atau "(2.131.580)"'

_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:X\d{3})+$")
_NIL_SEN = re.compile(r"(?<=\d)[.,]-{1,2}$")


def _grouped(digits: str, sep: str) -> bool:
    return bool(_GROUPED.match(digits.replace(sep, "X")))


def parse_rupiah(raw: str) -> Decimal:
    """Parse one amount; raises AmountError. Empty text is an error too (use parse_optional)."""
    if not isinstance(raw, str):
        raise AmountError(f'{EXPECTED}, ditemukan "{raw!r}"')
    s = raw.strip().replace("\u00a0", " ").replace("\u2212", "-")
    if s == "":
        raise AmountError(f"{EXPECTED}, ditemukan (kosong)")
    if s in {"-", "–"}:
        return Decimal(0)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("-"):
        if negative:
            raise AmountError(f'{EXPECTED}, ditemukan "{raw.strip()}"')
        negative, s = True, s[1:].strip()
    s = _PREFIX.sub("", s)
    if s in {"-", "–"}:  # "Rp -": nil, as accounting formats print it
        return Decimal(0)
    if s.startswith("-") and not negative:  # "Rp -2.131.580"
        negative, s = True, s[1:].strip()
    s = s.replace(" ", "")
    s = _NIL_SEN.sub("", s)  # "291.600.000,-": printed reports' "no sen"
    if not s or not re.fullmatch(r"[0-9.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise AmountError(f'{EXPECTED}, ditemukan "{raw.strip()}"')
    dots, commas = s.count("."), s.count(",")
    integer, fraction = s, ""
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        group = "," if dec == "." else "."
        if s.count(dec) != 1:
            raise AmountError(f'{EXPECTED}; tanda "{dec}" muncul lebih dari sekali, ditemukan "{raw.strip()}"')
        integer, fraction = s.split(dec)
        if not _grouped(integer, group):
            raise AmountError(f'pemisah ribuan "{group}" tiap tiga angka, ditemukan "{raw.strip()}"')
        integer = integer.replace(group, "")
    elif dots or commas:
        sep = "." if dots else ","
        parts = s.split(sep)
        if len(parts) > 2:
            if not _grouped(s, sep):
                raise AmountError(f'pemisah ribuan "{sep}" tiap tiga angka, ditemukan "{raw.strip()}"')
            integer = s.replace(sep, "")
        elif len(parts[1]) == 3:
            integer = parts[0] + parts[1]
        elif len(parts[1]) == 2:
            integer, fraction = parts
        else:
            raise AmountError(
                f'angka "{raw.strip()}" bermakna ganda: "{sep}" bisa pemisah ribuan atau tanda desimal; '
                'tulis ribuan lengkap ("1.500.000") atau sen dengan dua angka ("1.500.000,50")')
    if len(fraction) > 2:
        raise AmountError(f'paling banyak dua angka sen di belakang koma, ditemukan "{raw.strip()}"')
    if len(integer.lstrip("0")) > MAX_DIGITS:
        raise AmountError(f"angka paling banyak {MAX_DIGITS} digit (ribuan triliun rupiah), "
                          f'ditemukan "{raw.strip()}"')
    try:
        value = Decimal(integer + ("." + fraction if fraction else ""))
    except InvalidOperation:  # pragma: no cover - guarded by the regex above
        raise AmountError(f'{EXPECTED}, ditemukan "{raw.strip()}"') from None
    value = _tidy(value)
    return -value if negative else value


def parse_optional(raw: str | None) -> Decimal | None:
    """Empty cell -> None (not known); otherwise parse_rupiah."""
    if raw is None or raw.strip() == "":
        return None
    return parse_rupiah(raw)


def from_cell(value) -> Decimal | None:
    """A spreadsheet cell (int, float, Decimal or text) -> exact Decimal rounded to sen.

    Floats come from XLSX; they are rounded to sen through their shortest repr so
    that 1244674000.0 becomes exactly 1244674000.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(f'{EXPECTED}, ditemukan "{value}"')
    if isinstance(value, (int, float, Decimal)) and value == value and abs(value) >= 10 ** MAX_DIGITS:
        raise AmountError(f'angka paling banyak {MAX_DIGITS} digit (ribuan triliun rupiah), ditemukan "{value}"')
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError(f'{EXPECTED}, ditemukan "{value}"')
        return _tidy(Decimal(repr(value)).quantize(SEN))
    if isinstance(value, Decimal):
        return _tidy(value)
    return parse_optional(str(value))


def _tidy(d: Decimal) -> Decimal:
    """Drop a zero fraction so 1500.00 prints as 1500 (value unchanged)."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


# --- formatting: the one definition is papan_desa.formatting (Babel, CLDR "id") ----------------

def format_angka(value: Decimal) -> str:
    """1244674000 -> "1.244.674.000"; sen as ",50"; negative "-2.131.580" (money without "Rp")."""
    d = Decimal(value)
    return _fmt.angka(d, 0 if d == d.to_integral_value() else 2)


format_rupiah = _fmt.rupiah            # "Rp 1.244.674.000", "-Rp 2.131.580"
format_persen = _fmt.persen_ringkas    # "87,53%", "100%", None -> "–"
format_singkat = _fmt.rupiah_singkat   # "Rp 1,84 miliar" (only beside the exact figure)


def plain(value: Decimal) -> str:
    """Machine form for CSV: "1244674000" or "1500.50" (dot decimal, two digits of sen, no grouping)."""
    v = _tidy(Decimal(value))
    if v != v.to_integral_value():
        v = v.quantize(SEN)
    return format(v, "f")


def json_number(value: Decimal) -> int | float:
    """Decimal -> JSON number; rupiah with sen (<= 15 significant digits) round-trip exactly."""
    v = _tidy(Decimal(value))
    if v == v.to_integral_value():
        return int(v)
    return float(v)
