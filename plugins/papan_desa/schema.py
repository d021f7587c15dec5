"""Schemas of village data files, declared once.

Each kind of village data (profile, budget, population, news…) declares its
fields here-style with :class:`Field` and :class:`Schema`. Validation
(:meth:`Schema.parse_value`), the admins' documentation (``papan docs``) and
the editing form all read the same declaration.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable


class ValueProblem(ValueError):
    """A value does not fit its field; the message is Indonesian and says what was expected."""


@dataclass(frozen=True)
class FieldType:
    name: str
    expected: str            # Indonesian: what a valid value looks like
    parse: Callable[[str, "Field"], Any]


def _text(raw: str, f: "Field") -> str:
    if f.max_length and len(raw) > f.max_length:
        raise ValueProblem(f"teks paling panjang {f.max_length} karakter, ditemukan {len(raw)} karakter")
    return raw


_KODE_DESA = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$")


def _kode_kemendagri(raw: str, f: "Field") -> str:
    if not _KODE_DESA.match(raw):
        raise ValueProblem(f'kode Kemendagri desa berbentuk "33.07.01.2001" (desa 2NNN, kelurahan 1NNN), ditemukan "{raw}"')
    return raw


def _choice(raw: str, f: "Field") -> str:
    low = raw.strip().lower()
    for c in f.choices:
        if c.lower() == low:
            return c
    raise ValueProblem(f'salah satu dari: {", ".join(f.choices)}; ditemukan "{raw}"')


def _boolean(raw: str, f: "Field") -> bool:
    low = raw.strip().lower()
    if low in {"ya", "y", "true", "1", "benar"}:
        return True
    if low in {"tidak", "t", "false", "0", "salah", "bukan"}:
        return False
    raise ValueProblem(f'"ya" atau "tidak", ditemukan "{raw}"')


_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,17}[0-9]$")


def _telepon(raw: str, f: "Field") -> str:
    if not _PHONE.match(raw):
        raise ValueProblem(f'nomor telepon seperti "0286 321123" atau "+62 812 3456 7890", ditemukan "{raw}"')
    return raw


def nomor_wa(raw: str) -> str:
    """An Indonesian phone number in any usual shape ("0812-2700-4101", "+62 812 2700 4101",
    "6281227004101", "+62 (0)812…") as wa.me and ``sms:`` want it: "6281227004101".

    The one normaliser for WhatsApp/SMS numbers (the ``wa`` filter, the ``whatsapp`` field type and the
    service request links use it); raises ValueProblem in Indonesian for anything else."""
    s = raw.strip()
    shape = f'nomor Indonesia seperti "0812 2700 1234", "+62 812 2700 1234" atau "6281227001234", ditemukan "{raw}"'
    if not re.fullmatch(r"\+?[0-9 ().\-]*[0-9][0-9 ().\-]*", s):
        raise ValueProblem(shape)
    digits = re.sub(r"[^0-9]", "", s)
    if digits.startswith("62"):
        nsn = digits[2:].removeprefix("0")     # "+62 (0)812…": the trunk 0 does not belong after 62
    elif s.startswith("+"):
        raise ValueProblem(f'nomor Indonesia yang diawali +62, ditemukan "{raw}"')
    elif digits.startswith("0"):
        nsn = digits[1:]
    else:
        raise ValueProblem(shape)
    if not re.fullmatch(r"[1-9][0-9]{7,11}", nsn):
        raise ValueProblem(f"nomor Indonesia 9 sampai 13 angka termasuk 0 di depan; {shape}")
    return "62" + nsn


def _whatsapp(raw: str, f: "Field") -> str:
    nomor_wa(raw)          # refused here (file and line) rather than as a dead link on the page
    return raw


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def _email(raw: str, f: "Field") -> str:
    if not _EMAIL.match(raw):
        raise ValueProblem(f'alamat e-mail seperti "pemdes@contoh.desa.id", ditemukan "{raw}"')
    return raw


def _decimal(raw: str) -> Decimal:
    s = raw.strip().replace(" ", "")
    # Indonesian decimals use a comma; a single comma or dot is the decimal mark here.
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    return Decimal(s)


def _koordinat(raw: str, f: "Field") -> tuple[float, float]:
    parts = [p for p in re.split(r"[;,\s]+", raw.strip()) if p]
    try:
        if len(parts) != 2:
            raise InvalidOperation
        lat, lon = (float(_decimal(p)) for p in parts)
    except (InvalidOperation, ValueError):
        raise ValueProblem(f'lintang dan bujur dalam derajat desimal, seperti "-7.3612, 109.8125", ditemukan "{raw}"') from None
    if not (-11.5 <= lat <= 6.5 and 94.5 <= lon <= 141.5):
        raise ValueProblem(f'koordinat di wilayah Indonesia (lintang -11,5..6,5; bujur 94,5..141,5), ditemukan "{raw}"')
    return (lat, lon)


def _angka(raw: str, f: "Field") -> Decimal:
    try:
        value = _decimal(raw)
    except InvalidOperation:
        raise ValueProblem(f'angka seperti "412,5", ditemukan "{raw}"') from None
    if f.minimum is not None and value < f.minimum:
        raise ValueProblem(f'angka paling kecil {f.minimum}, ditemukan "{raw}"')
    return value


def _tanggal(raw: str, f: "Field") -> _dt.date:
    try:
        return _dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueProblem(f'tanggal berbentuk TTTT-BB-HH seperti "2025-06-30", ditemukan "{raw}"') from None


def _url(raw: str, f: "Field") -> str:
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", raw):
        raise ValueProblem(f'alamat web yang diawali "https://", ditemukan "{raw}"')
    return raw


TYPES: dict[str, FieldType] = {t.name: t for t in [
    FieldType("teks", "teks", _text),
    FieldType("kode_kemendagri", 'kode Kemendagri seperti "33.07.01.2001"', _kode_kemendagri),
    FieldType("pilihan", "salah satu pilihan", _choice),
    FieldType("ya_tidak", '"ya" atau "tidak"', _boolean),
    FieldType("telepon", 'nomor telepon seperti "0286 321123"', _telepon),
    FieldType("whatsapp", 'nomor ponsel Indonesia seperti "0812 2700 1234" atau "+62 812 2700 1234"', _whatsapp),
    FieldType("email", "alamat e-mail", _email),
    FieldType("koordinat", 'lintang, bujur seperti "-7.3612, 109.8125"', _koordinat),
    FieldType("angka", "angka", _angka),
    FieldType("tanggal", "tanggal TTTT-BB-HH", _tanggal),
    FieldType("url", "alamat web https://…", _url),
]}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "teks"
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    unit: str = ""
    minimum: Decimal | None = None
    max_length: int = 0

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown field type {self.type!r} for {self.name}")

    @property
    def expected(self) -> str:
        if self.type == "pilihan":
            return "salah satu dari: " + ", ".join(self.choices)
        return TYPES[self.type].expected

    def parse(self, raw: str) -> Any:
        """Parse a raw string; raises ValueProblem with an Indonesian message."""
        return TYPES[self.type].parse(raw.strip(), self)


@dataclass(frozen=True)
class Schema:
    """One data file kind: where it lives, what it is for, and its fields."""

    name: str
    title: str
    path: str                 # path pattern inside villages/<slug>/
    format: str               # "markdown" (metadata + body) or "csv"
    description: str
    fields: tuple[Field, ...] = field(default_factory=tuple)
    required_file: bool = False

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def required(self) -> list[Field]:
        return [f for f in self.fields if f.required]


# Every schema registers here so documentation and the admin form can list them.
REGISTRY: dict[str, Schema] = {}


def register(schema: Schema) -> Schema:
    if schema.name in REGISTRY and REGISTRY[schema.name] != schema:
        raise ValueError(f"schema {schema.name!r} declared twice")
    REGISTRY[schema.name] = schema
    return schema


def read_header(doc, schema: Schema, problems, *, parse=None) -> tuple[dict[str, Any], bool]:
    """Check a Markdown header (``Kunci: nilai`` lines) against a schema, naming line and column.

    Unknown keys, empty required values, values that do not parse and missing
    required keys are errors. ``parse(field, raw)`` overrides ``Field.parse``.
    Returns the parsed values and whether the header was clean.
    """
    from .problems import expected_found

    values: dict[str, Any] = {}
    ok = True
    for key, mv in doc.meta.items():
        f = schema.field(key)
        if f is None:
            problems.error(doc.path, mv.line, 1, f'kunci "{key}" tidak dikenal; diharapkan salah satu dari: '
                           + ", ".join(x.name for x in schema.fields))
            ok = False
            continue
        if mv.value == "":
            if f.required:
                problems.error(doc.path, mv.line, mv.column, f"{f.label} wajib diisi; " + expected_found(f.expected, ""))
                ok = False
            continue
        try:
            values[key] = parse(f, mv.value) if parse else f.parse(mv.value)
        except ValueProblem as exc:
            problems.error(doc.path, mv.line, mv.column, f"{f.label}: diharapkan {exc}")
            ok = False
    for f in schema.required:
        if f.name not in doc.meta:
            problems.error(doc.path, 1, 1, f'kunci wajib "{f.name}" ({f.label}) tidak ada; tambahkan baris '
                           f'"{f.name}: {f.example}" di bagian atas berkas')
            ok = False
    return values, ok


def schema_markdown(s: Schema) -> str:
    out = [f"## {s.title}\n", f"Berkas: `villages/<folder-desa>/{s.path}`"
           + (" (wajib)" if s.required_file else " (tidak wajib)") + "\n", s.description + "\n"]
    if s.format == "csv":
        out.append("Baris pertama berisi nama kolom. Pemisah koma (`,`) atau titik koma (`;`).\n")
    out.append("| kunci/kolom | arti | wajib | bentuk isian | contoh |")
    out.append("|---|---|---|---|---|")
    for f in s.fields:
        meaning = f.label + (f". {f.help}" if f.help else "")
        unit = f" (satuan: {f.unit})" if f.unit else ""
        out.append(f"| `{f.name}` | {meaning}{unit} | {'ya' if f.required else 'tidak'} | {f.expected} | "
                   f"{('`' + f.example + '`') if f.example else ''} |")
    return "\n".join(out) + "\n"
