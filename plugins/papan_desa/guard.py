"""Personal-data guard: nothing that identifies a resident gets published.

Everything a village puts in its folder is scanned before the build publishes
it: text (Markdown with its metadata, CSV, TXT, JSON), file names, image
metadata and the text of PDF documents.  A hit is an *error* that names file,
line and column; the village is not published until it is removed or, when it
is a false positive, allowed in ``privasi-izin.csv`` with a reason.

How a NIK / No. KK is recognised
--------------------------------
Both are 16 digits.  A NIK is ``PP KK CC DDMMYY SSSS``: province, kabupaten/
kota and kecamatan codes, the birth date (40 added to the day for women) and
a serial.  A No. KK has the same region prefix, then the issue date and a
serial.  So one rule covers both.  A number is flagged when

* it has exactly 16 digits, written together or in groups separated by single
  spaces, dots or dashes (``3307014101900001``, ``3307 0141 0190 0001``,
  ``33.07.01.410190.0001``, ``330701-410190-0001``); full-width and other
  Unicode decimal digits count too.  The 16 digits must be whole groups: a
  20-digit account number never yields a 16-digit piece;
* the first two digits are an Indonesian province code (11–19, 21, 31–36,
  51–53, 61–65, 71–76, 81–82, 91–96);
* the kabupaten/kota and kecamatan codes are not ``00``;
* the day is 01–31 (men, or a KK issue date) or 41–71 (women), the month
  01–12 (any year);
* the serial is not ``0000``.

Numbers that are not 16 digits (phone numbers, rupiah amounts such as
``1.244.674.000``, the Kemendagri village code ``33.07.01.2001``) are never
flagged, and roughly 97 % of other 16-digit numbers (bank accounts, card
numbers, ids) fail the structure.  What is left is allowed explicitly.
"""
from __future__ import annotations

import bisect
import fnmatch
import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import cabut, csvfile, ocr  # (cabut and ocr each declare the schema of their village file)
from .limits import DEFAULT_LIMITS, MB  # noqa: F401  (defined once in limits.py; re-exported for callers)
from .problems import GALAT, Problem, Problems, expected_found

ALLOWLIST_NAME = "privasi-izin.csv"

# --------------------------------------------------------------------------
# NIK / No. KK
# --------------------------------------------------------------------------

#: Province codes of Kemendagri (Permendagri 58/2021 plus the Papua provinces of 2022).
PROVINCE_CODES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21,
    31, 32, 33, 34, 35, 36,
    51, 52, 53,
    61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76,
    81, 82,
    91, 92, 93, 94, 95, 96,
})

_SPACE = "[ \u00a0\u2007\u2009\u202f]"
_DASH = "[.\\-\u2010\u2011\u2012\u2013\u2014\u2212]"
# A separator between two digit groups: one or two spaces, or a dot/dash with
# an optional space on either side ("3307 - 0141").
_SEP = f"(?:{_SPACE}{{1,2}}|{_SPACE}?{_DASH}{_SPACE}?)"
_RUN = re.compile(rf"\d+(?:{_SEP}\d+)*")
_GROUP = re.compile(r"\d+")

KIND_NIK = "NIK"              # day 41-71: a woman's NIK, cannot be a KK
KIND_NIK_KK = "NIK/No. KK"    # day 01-31: a man's NIK or a No. KK


def _ascii_digits(s: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in s)


def classify_id(digits: str) -> str | None:
    """The kind of personal id that 16 ASCII digits look like, or None."""
    if len(digits) != 16 or not digits.isascii() or not digits.isdigit():
        return None
    province = int(digits[0:2])
    kabupaten = int(digits[2:4])
    kecamatan = int(digits[4:6])
    day = int(digits[6:8])
    month = int(digits[8:10])
    serial = int(digits[12:16])
    if province not in PROVINCE_CODES or kabupaten == 0 or kecamatan == 0:
        return None
    if not 1 <= month <= 12 or serial == 0:
        return None
    if 1 <= day <= 31:
        return KIND_NIK_KK
    if 41 <= day <= 71:
        return KIND_NIK
    return None


def _is_fraction(text: str, start: int) -> bool:
    # "-7.3607014101900001" (a GeoJSON coordinate): digits after a decimal point are not an id.
    return start >= 2 and text[start - 1] == "." and text[start - 2].isdigit()


def find_personal_ids(text: str) -> list[tuple[int, int, str, str]]:
    """Every NIK / No. KK in ``text`` as ``(start, end, kind, digits)``.

    ``start``/``end`` are string offsets of the number as written (with its
    separators); ``digits`` are the 16 ASCII digits.  Never raises.
    """
    hits: list[tuple[int, int, str, str]] = []
    if not isinstance(text, str):
        return hits
    for run in _RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUP.finditer(run.group())]
        i = 0
        while i < len(groups):
            total = 0
            found = None
            for j in range(i, len(groups)):
                total += groups[j][1] - groups[j][0]
                if total >= 16:
                    if total == 16 and not _is_fraction(text, groups[i][0]):
                        start, end = groups[i][0], groups[j][1]
                        digits = _ascii_digits("".join(text[a:b] for a, b in groups[i:j + 1]))
                        kind = classify_id(digits)
                        if kind:
                            found = (start, end, kind, digits, j)
                    break
            if found:
                hits.append(found[:4])
                i = found[4] + 1
            else:
                i += 1
    return hits


def mask(digits: str) -> str:
    """Show only the first four digits (the province and kabupaten)."""
    return digits[:4] + "x" * max(0, len(digits) - 4)


def id_message(digits: str) -> str:
    return (f'kemungkinan NIK/No. KK (data pribadi) "{mask(digits)}" tidak boleh diterbitkan; hapus, '
            f"atau bila ini bukan data pribadi, daftarkan di {ALLOWLIST_NAME} dengan alasannya")


# --------------------------------------------------------------------------
# Allowlist
# --------------------------------------------------------------------------

@dataclass
class AllowEntry:
    pattern: str     # repo-relative path or glob
    digits: str      # exact 16 digits
    reason: str
    line: int
    used: bool = False


@dataclass
class Allowlist:
    """Explicitly allowed false positives from ``privasi-izin.csv``."""

    entries: list[AllowEntry] = field(default_factory=list)
    path: Path | None = None

    def allows(self, file_name: str, digits: str) -> bool:
        name = file_name.replace("\\", "/")
        for e in self.entries:
            if e.digits == digits and (e.pattern == name or fnmatch.fnmatchcase(name, e.pattern)):
                e.used = True
                return True
        return False

    def unused(self) -> list[AllowEntry]:
        return [e for e in self.entries if not e.used]

    def report_unused(self, problems: Problems) -> None:
        """A warning for each entry that allowed nothing (stale entries hide nothing, but clutter)."""
        for e in self.unused():
            problems.warning(self.path or ALLOWLIST_NAME, e.line, 1,
                             f'izin untuk "{mask(e.digits)}" di "{e.pattern}" tidak terpakai lagi; hapus baris ini')


EMPTY_ALLOWLIST = Allowlist()


def load_allowlist(path: Path, problems: Problems) -> Allowlist:
    """Read ``privasi-izin.csv`` (columns ``berkas, nilai, alasan``); a missing file is an empty list."""
    path = Path(path)
    allow = Allowlist(path=path)
    if not path.exists():
        return allow
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
        return allow
    text, _ = decode_text(raw)
    rows = list(iter_csv_rows(text, path, problems))
    if not rows:
        return allow
    header_line, header = rows[0]
    names = [_norm_header(c) for c in header]
    needed = ["berkas", "nilai", "alasan"]
    for n in needed:
        if n not in names:
            problems.error(path, header_line, 1, f'kolom "{n}" tidak ada; '
                           + expected_found("kepala kolom berkas,nilai,alasan", ",".join(header)))
            return allow
    ib, iv, ia = (names.index(n) for n in needed)
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(names) - len(cells))
        berkas, nilai, alasan = cells[ib].strip(), cells[iv].strip(), cells[ia].strip()
        if ia == len(names) - 1 and len(cells) > len(names):
            # An unquoted comma in the reason: keep the whole reason.
            alasan = ",".join(cells[ia:]).strip()
        digits = re.sub(rf"{_SPACE}|{_DASH}", "", nilai)
        ok = True
        if not berkas:
            problems.error(path, line, ib + 1, "kolom berkas wajib diisi; "
                           + expected_found("jalur berkas dari akar repositori, mis. villages/x/apbdes.csv", berkas))
            ok = False
        if not digits.isascii() or not digits.isdigit() or len(digits) != 16:
            problems.error(path, line, iv + 1, "kolom nilai harus berisi 16 angka yang diizinkan; "
                           + expected_found("16 angka", mask(digits) if digits.isdigit() else nilai[:20]))
            ok = False
        if not alasan:
            problems.error(path, line, ia + 1, "setiap izin wajib diberi alasan mengapa angka ini bukan data pribadi; "
                           + expected_found("alasan", alasan))
            ok = False
        if ok:
            allow.entries.append(AllowEntry(berkas, digits, alasan, line))
    return allow


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------

def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes for scanning with the one CSV reader's rule (:func:`csvfile.decode`), never raising:
    undecodable bytes become U+FFFD (digits always survive)."""
    return csvfile.decode(data, strict=False)


class _LineIndex:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _relname(path, problems: Problems, root: Path | None = None) -> str:
    """The repo-relative name of ``path`` itself (a symlink is named, not its target)."""
    p = Path(path)
    base = root if root is not None else problems.root
    if base is not None:
        try:
            return (p.parent.resolve() / p.name).relative_to(Path(base).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return problems.name(path)


def _error_at(problems: Problems, path, message: str, root: Path | None = None) -> None:
    # Problems.name() resolves symlinks; a problem about a link must name the link.
    problems.extend([Problem(_relname(path, problems, root), 0, 0, message, GALAT)])


def scan_text(path, text: str, problems: Problems, allow: Allowlist | None = None, *,
              first_line: int = 1, first_column: int = 1, root: Path | None = None) -> int:
    """Report each NIK / No. KK in ``text`` (1-based line and column); return the number reported.

    ``first_line``/``first_column`` place ``text`` inside a larger file (e.g. a
    Markdown body that starts on line 7).
    """
    allow = allow or EMPTY_ALLOWLIST
    hits = find_personal_ids(text)
    if not hits:
        return 0
    name = _relname(path, problems, root)
    index = _LineIndex(text)
    n = 0
    for start, _end, _kind, digits in hits:
        if allow.allows(name, digits):
            continue
        line, column = index.position(start)
        if line == 1:
            column += first_column - 1
        problems.error(path, line + first_line - 1, column, id_message(digits))
        n += 1
    return n


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------

def _norm_header(cell: str) -> str:
    s = unicodedata.normalize("NFKC", cell).strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


# Words that make a file (or table) one about aid recipients.
RECIPIENT_WORDS = frozenset({
    "penerima", "bantuan", "bansos", "blt", "pkh", "bpnt", "bst", "kpm", "dtks", "dtsen",
    "p3ke", "rtlh", "sembako", "pbi", "kis", "kip", "pip", "sasaran", "miskin", "bedah",
    "jamsos", "santunan",
})
# A column starting with one of these holds an aggregate (jumlah_kk, total_penerima): allowed.
AGGREGATE_WORDS = frozenset({"jumlah", "jml", "total", "banyak", "persen", "persentase", "rata", "rerata"})
# "nama_<x>" where x is one of these names a person.
PERSON_WORDS = frozenset({
    "kk", "kepala", "keluarga", "krt", "kpm", "warga", "penduduk", "pasien", "anak", "ibu",
    "ayah", "suami", "istri", "siswa", "lansia", "balita", "pemohon", "pelapor", "penerima",
    "penyandang", "peserta",
})
_ID_HEADERS = frozenset({
    "nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan", "no_induk_kependudukan",
    "no_kk", "nomor_kk", "no_kartu_keluarga", "nomor_kartu_keluarga", "nkk", "no_ktp", "nomor_ktp",
    "ktp", "kartu_keluarga",
})
_BIRTH_HEADERS = frozenset({"ttl", "tgl_lhr", "tanggal_lhr", "tempat_tgl_lhr", "dob", "birth_date", "date_of_birth"})


def _words(name: str) -> list[str]:
    return [w for w in name.split("_") if w]


def is_recipient_context(file_name: str, header_cells: Sequence[str]) -> bool:
    """True when the file name or a column name speaks of aid recipients."""
    words = set(_words(_norm_header(Path(file_name).stem)))
    for c in header_cells:
        words.update(_words(_norm_header(c)))
    return bool(words & RECIPIENT_WORDS)


def personal_column(header: str, recipient_context: bool) -> str | None:
    """What personal data a column of this name holds (Indonesian), or None when it is fine."""
    name = _norm_header(header)
    words = _words(name)
    if not words or words[0] in AGGREGATE_WORDS:
        return None
    if name in _ID_HEADERS or "nik" in words or "nkk" in words or "ktp" in words \
            or ("kk" in words and ("no" in words or "nomor" in words)):
        return "NIK/No. KK"
    if name in _BIRTH_HEADERS or "lahir" in words or "lhr" in words:
        return "tanggal/tempat lahir"
    if "penerima" in words and (len(words) == 1 or "nama" in words or "alamat" in words):
        return "nama atau alamat penerima bantuan"
    if "nama" in words and set(words) & PERSON_WORDS:
        return "nama orang"
    if recipient_context and ("nama" in words or "alamat" in words):
        return "nama atau alamat penerima bantuan"
    return None


def scan_csv_header(path, header_cells: Sequence[str], problems: Problems, *, line: int = 1,
                    file_name: str | None = None, rows_filled: Sequence[int] | None = None) -> list[int]:
    """Refuse columns that hold personal data; return their 0-based indexes."""
    context = is_recipient_context(file_name or str(path), header_cells)
    refused = []
    for i, cell in enumerate(header_cells):
        what = personal_column(cell, context)
        if not what:
            continue
        refused.append(i)
        filled = f" (terisi di {rows_filled[i]} baris)" if rows_filled and i < len(rows_filled) and rows_filled[i] else ""
        problems.error(path, line, i + 1,
                       f'kolom "{cell.strip()}" berisi {what}{filled}: data pribadi per orang tidak boleh '
                       f"diterbitkan; terbitkan jumlah per dusun/RT saja. Bila kolom ini berisi hal lain "
                       f'(mis. nama program), beri judul yang jelas seperti "nama_program"')
    return refused


def scan_csv(path, rows: Sequence[Sequence[str]], problems: Problems, allow: Allowlist | None = None, *,
             lines: Sequence[int] | None = None, root: Path | None = None) -> None:
    """Scan a parsed CSV: ``rows[0]`` is the header; ``lines[i]`` is the file line of ``rows[i]``.

    Personal columns are refused (once, at the header) and every cell is
    scanned for NIK / No. KK; the column reported is the CSV column number.
    """
    if not rows:
        return
    allow = allow or EMPTY_ALLOWLIST
    lines = lines or list(range(1, len(rows) + 1))
    header = [str(c) for c in rows[0]]
    filled = [0] * len(header)
    for r in rows[1:]:
        for i, c in enumerate(r[: len(header)]):
            if str(c).strip():
                filled[i] += 1
    scan_csv_header(path, header, problems, line=lines[0], rows_filled=filled)
    name = _relname(path, problems, root)
    for row, line in zip(rows, lines):
        for i, cell in enumerate(row):
            for _s, _e, _k, digits in find_personal_ids(str(cell)):
                if allow.allows(name, digits):
                    continue
                col = f' (kolom "{header[i].strip()}")' if i < len(header) and row is not rows[0] else ""
                problems.error(path, line, i + 1, id_message(digits) + col)


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def scan_markdown_tables(path, text: str, problems: Problems) -> None:
    """Refuse personal columns in Markdown pipe tables (``| Nama | NIK |`` above a ``|---|---|`` rule).

    The recipient context is the table's own header and the three lines above
    it (its heading or caption), not the file name: one article may hold a
    recipients' table and a table of village officials.
    """
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if "-" not in lines[i] or not _TABLE_RULE.match(lines[i]) or "|" not in lines[i - 1]:
            continue
        header = lines[i - 1]
        cells: list[tuple[int, str]] = []
        pos = 0
        for part in header.split("|"):
            if part.strip():
                cells.append((pos + len(part) - len(part.lstrip()) + 1, part.strip()))
            pos += len(part) + 1
        above = " ".join(lines[max(0, i - 4): i - 1])
        context = is_recipient_context("", [c for _col, c in cells] + [above])
        for col, cell in cells:
            what = personal_column(cell, context)
            if what:
                problems.error(path, i, col, f'kolom tabel "{cell}" berisi {what}: data pribadi per orang tidak boleh '
                               "diterbitkan; terbitkan jumlah per dusun/RT saja")


sniff_delimiter = csvfile.find_delimiter


def iter_csv_rows(text: str, path, problems: Problems, *, max_rows: int | None = None):
    """Yield ``(first_line, cells)``; a malformed file or too many rows is one error, never an exception."""
    try:
        yield from csvfile.iter_rows(text, max_rows=max_rows, strict=False)
    except csvfile.CsvError as exc:
        problems.error(path, exc.line, exc.column, str(exc))


# --------------------------------------------------------------------------
# Spreadsheet formula injection
# --------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*%?$")


def formula_safe(cell: str) -> str:
    """Neutralise a CSV cell that a spreadsheet would run as a formula.

    A cell whose first (non-space) character is ``= + - @``, a tab or CR gets a
    leading ``'`` - unless it is a plain number (``-2131580``, ``-2.131.580``,
    ``+5,5``, ``-12%``): numbers stay as they are so downloads keep working in
    spreadsheets.  ``+62 812-3456-7890`` is not a plain number (spaces), so it
    is quoted and shown as text.
    """
    if not isinstance(cell, str):
        cell = "" if cell is None else str(cell)
    stripped = cell.lstrip(" ")
    if not stripped or not stripped.startswith(_FORMULA_START):
        return cell
    if _PLAIN_NUMBER.match(stripped):
        return cell
    return "'" + cell


# --------------------------------------------------------------------------
# Images and PDF
# --------------------------------------------------------------------------

class GuardError(ValueError):
    """A file cannot be made safe; the message is Indonesian, for the village admin."""





def batas(settings: dict | None = None) -> dict:
    """The limits in force: :data:`DEFAULT_LIMITS` with the kabupaten's ``PAPAN_BATAS`` (pelicanconf.py) on top.

    An unknown name or a value that is not a positive whole number is a configuration error (ValueError).
    """
    overrides = (settings or {}).get("PAPAN_BATAS") or {}
    out = dict(DEFAULT_LIMITS)
    for key, value in overrides.items():
        if key not in DEFAULT_LIMITS:
            raise ValueError(f"PAPAN_BATAS: batas {key!r} tidak dikenal; pilih dari: {', '.join(DEFAULT_LIMITS)}")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"PAPAN_BATAS[{key!r}] harus bilangan bulat positif, ditemukan {value!r}")
        out[key] = value
    return out


IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
MARKDOWN_EXT = {".md", ".markdown"}
TEXT_EXT = {".txt", ".json", ".geojson"}
# Files that a browser would run as code when served from the village site.
ACTIVE_EXT = {".html", ".htm", ".xhtml", ".svg", ".svgz", ".js", ".mjs", ".php", ".phtml", ".exe", ".bat",
              ".cmd", ".sh", ".jar", ".swf", ".hta", ".vbs", ".ps1", ".msi", ".scr"}

# EXIF tags whose text a person may have typed.
_EXIF_TEXT_TAGS = {
    0x010E: "ImageDescription", 0x013B: "Artist", 0x8298: "Copyright", 0x010F: "Make", 0x0110: "Model",
    0x0131: "Software", 0x9C9B: "XPTitle", 0x9C9C: "XPComment", 0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords",
    0x9C9F: "XPSubject", 0xA430: "CameraOwnerName", 0xA431: "BodySerialNumber", 0xA420: "ImageUniqueID",
}
_EXIF_IFD_TEXT_TAGS = {0x9286: "UserComment", 0xA430: "CameraOwnerName", 0xA431: "BodySerialNumber",
                       0xA420: "ImageUniqueID"}


def _meta_text(value) -> str:
    if isinstance(value, bytes):
        if value.startswith((b"ASCII\x00\x00\x00", b"UNICODE\x00", b"JIS\x00\x00\x00\x00\x00", b"\x00" * 8)):
            head, value = value[:8], value[8:]
            if head.startswith(b"UNICODE"):
                return value.decode("utf-16", "replace")
        if len(value) >= 2 and value[1:2] == b"\x00":  # XP* tags: UTF-16-LE
            return value.decode("utf-16-le", "replace")
        return value.decode("utf-8", "replace")
    if isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
        try:
            return bytes(value).decode("utf-16-le", "replace")
        except ValueError:
            return ""
    return str(value)


def image_metadata_texts(im) -> list[tuple[str, str]]:
    """``(field, text)`` for every text field in an open Pillow image's metadata."""
    out: list[tuple[str, str]] = []
    try:
        exif = im.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF is reported as "no text", stripping removes it anyway
        exif = {}
    for tag, value in dict(exif).items():
        if tag in _EXIF_TEXT_TAGS:
            out.append((_EXIF_TEXT_TAGS[tag], _meta_text(value)))
    try:
        ifd = exif.get_ifd(0x8769) if exif else {}
    except Exception:  # noqa: BLE001
        ifd = {}
    for tag, value in dict(ifd).items():
        if tag in _EXIF_IFD_TEXT_TAGS:
            out.append((_EXIF_IFD_TEXT_TAGS[tag], _meta_text(value)))
    for key, value in (im.info or {}).items():
        if key in {"exif", "icc_profile", "transparency", "dpi", "duration", "loop", "background"}:
            continue
        if isinstance(value, (str, bytes)):
            out.append((str(key), _meta_text(value)))
    return out


def _open_image(path: Path, problems: Problems | None, limits: dict):
    from PIL import Image

    try:
        im = Image.open(path)
    except Image.DecompressionBombError as exc:
        msg = "gambar terlalu besar (jumlah piksel melebihi batas); perkecil ukuran gambar"
        if problems is None:
            raise GuardError(msg) from exc
        problems.error(path, 0, 0, msg)
        return None
    except Exception as exc:  # noqa: BLE001 - UnidentifiedImageError, OSError, SyntaxError, struct.error…
        msg = "bukan berkas gambar yang sah (rusak, terpotong, atau jenisnya tidak sesuai nama berkas)"
        if problems is None:
            raise GuardError(msg) from exc
        problems.error(path, 0, 0, msg)
        return None
    w, h = im.size
    max_px = limits.get("gambar_piksel", DEFAULT_LIMITS["gambar_piksel"])
    if w * h > max_px:
        im.close()
        msg = ("gambar terlalu besar; " + expected_found(f"paling banyak {max_px // 1_000_000} megapiksel",
                                                          f"{w}x{h} piksel")
               + "; perkecil ukuran gambar")
        if problems is None:
            raise GuardError(msg)
        problems.error(path, 0, 0, msg)
        return None
    return im


def scan_image_metadata(path, problems: Problems, allow: Allowlist | None = None, *,
                        limits: dict | None = None, root: Path | None = None, decode: bool = True) -> bool:
    """Report NIK / No. KK in EXIF and PNG text fields; with ``decode`` also check the image decodes.

    Returns False when the image is unreadable (an error has been reported).
    The metadata itself is not an error: :func:`strip_image_metadata` removes it.
    """
    path = Path(path)
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    allow = allow or EMPTY_ALLOWLIST
    im = _open_image(path, problems, limits)
    if im is None:
        return False
    name = _relname(path, problems, root)
    with im:
        expected = _FORMAT_OF_EXT.get(path.suffix.lower())
        if expected and im.format != expected:
            problems.error(path, 0, 0, f"berkas bernama {path.suffix.lower()} tetapi isinya gambar {im.format or 'lain'}; "
                           + expected_found(f"gambar {expected}", str(im.format))
                           + f"; simpan ulang sebagai {path.suffix.lstrip('.').upper()} (atau JPG/PNG)")
            return False
        for field_name, text in image_metadata_texts(im):
            for _s, _e, _k, digits in find_personal_ids(text):
                if not allow.allows(name, digits):
                    problems.error(path, 0, 0, id_message(digits) + f" (metadata gambar: {field_name})")
        if decode:
            try:
                if im.format == "JPEG":
                    im.draft("RGB", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
                im.load()
            except Exception:  # noqa: BLE001 - any decoder failure means the file is broken
                problems.error(path, 0, 0, "gambar rusak atau terpotong; simpan ulang atau unggah kembali berkas aslinya")
                return False
    return True


#: What Pillow must find inside a file of each image extension (a TIFF renamed .jpg is refused).
_FORMAT_OF_EXT = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}


def scan_image_text(path, problems: Problems, allow: Allowlist | None = None, *, limits: dict | None = None,
                    root: Path | None = None) -> bool:
    """Read the writing in a photo or picture with OCR and check it with the personal-data rule.

    A photo may hold no writing (a road, a building); writing that is seen but cannot be read
    (handwriting, a blurred board) holds the file for review, and so does a picture kept with the
    documents or notices (``ocr.DOCUMENT_FOLDERS``) in which almost nothing can be read.
    Returns False when it is refused or held.
    """
    path = Path(path)
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    im = _open_image(path, problems, limits)
    if im is None:
        return False
    name = _relname(path, problems, root)
    try:
        with im:
            w, h = im.size
            if im.format == "JPEG" and w * h > limits["ocr_piksel"]:
                f = (limits["ocr_piksel"] / (w * h)) ** 0.5
                im.draft("L", (max(1, int(w * f)), max(1, int(h * f))))
            reading = ocr.take_preread(path)
            if reading is None:
                im.load()
                reading = ocr.read_image(im, limits)
    except ocr.OcrUnavailable as exc:
        problems.error(path, 0, 0, ocr.held_message(str(exc)))
        return False
    except Exception:  # noqa: BLE001 - any decoder failure means the file is broken
        problems.error(path, 0, 0, "gambar rusak atau terpotong; simpan ulang atau unggah kembali berkas aslinya")
        return False
    hits = scan_read_text(path, "tulisan pada gambar", reading.text, problems, allow, name=name)
    reason = ocr.hold_reason(reading, document=ocr.is_document_picture(name))
    if reason:
        problems.error(path, 0, 0, ocr.held_message(reason))
    return not hits and not reason


def strip_image_metadata(src, dst, *, problems: Problems | None = None, limits: dict | None = None) -> bool:
    """Re-encode ``src`` to ``dst`` with only its pixels: no EXIF, GPS, XMP, ICC or text chunks.

    EXIF orientation is applied first (a photo taken upright stays upright) and
    a colour profile is converted to sRGB before it is dropped.  The output is
    deterministic.  On a bad image: report to ``problems`` and return False,
    or raise :class:`GuardError` when no ``problems`` is given.
    """
    from PIL import Image, ImageOps

    src, dst = Path(src), Path(dst)
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    im = _open_image(src, problems, limits)
    if im is None:
        return False
    try:
        with im:
            fmt = im.format or "PNG"
            im.load()
            out = ImageOps.exif_transpose(im) or im
            icc = im.info.get("icc_profile")
            if icc and out.mode in ("RGB", "RGBA"):
                out = _to_srgb(out, icc)
            transparency = out.info.get("transparency")
            if out is im:
                out = im.copy()
            out.info = {}
            if transparency is not None and out.mode in ("P", "L", "RGB", "LA"):
                out.info["transparency"] = transparency
            dst.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "JPEG":
                if out.mode not in ("RGB", "L", "CMYK"):
                    out = out.convert("RGB")
                out.save(dst, "JPEG", quality=88, optimize=True, exif=b"")
            elif fmt == "WEBP":
                out.save(dst, "WEBP", quality=85, exif=b"", xmp=b"", icc_profile=b"")
            elif fmt == "GIF":
                out.save(dst, "GIF")
            else:
                out.save(dst, "PNG", optimize=False)
    except GuardError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken image is the admin's problem to fix, not a crash
        msg = "gambar rusak atau terpotong; simpan ulang atau unggah kembali berkas aslinya"
        if problems is None:
            raise GuardError(msg) from exc
        problems.error(src, 0, 0, msg)
        return False
    return True


def _to_srgb(im, icc: bytes):
    try:
        from PIL import ImageCms

        src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        dst_profile = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(im, src_profile, dst_profile, outputMode=im.mode) or im
    except Exception:  # noqa: BLE001 - a broken profile is simply dropped
        return im


def _open_pdf(path: Path):
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception:  # noqa: BLE001
            ok = 0
        if not ok:
            raise GuardError("PDF dikunci dengan kata sandi; terbitkan PDF tanpa kata sandi")
    return reader


def strip_pdf_metadata(src, dst, *, problems: Problems | None = None) -> bool:
    """Copy a PDF without its /Info (author, creator, producer…), XMP streams, attachments and scripts."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    src, dst = Path(src), Path(dst)
    try:
        reader = _open_pdf(src)
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        writer.xmp_metadata = None
        root = writer.root_object
        for key in ("/PieceInfo", "/OpenAction", "/AA"):
            if key in root:
                del root[key]
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            for key in ("/JavaScript", "/EmbeddedFiles"):
                if key in names:
                    del names[key]
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo", "/AA"):
                if key in page:
                    del page[NameObject(key)]
        dst.parent.mkdir(parents=True, exist_ok=True)
        with open(dst, "wb") as fh:
            writer.write(fh)
    except GuardError as exc:
        if problems is None:
            raise
        problems.error(src, 0, 0, str(exc))
        return False
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        msg = "PDF rusak atau terpotong dan tidak dapat dibersihkan; simpan ulang PDF-nya (Cetak ke PDF)"
        if problems is None:
            raise GuardError(msg) from exc
        problems.error(src, 0, 0, msg)
        return False
    return True


def scan_pdf(path, problems: Problems, allow: Allowlist | None = None, *, limits: dict | None = None,
             root: Path | None = None) -> bool:
    """Scan every page of a PDF for personal data, naming the page; read image-only pages with OCR.

    The text layer of every page is checked (text hidden under a black box is still text, and is
    refused). A page with almost no text, or with a large picture on it, is rendered and read with
    Tesseract (:mod:`.ocr`) and the words go through the same rule. A scan that OCR cannot read well
    enough to judge is held (an error whose message starts with ``ocr.HELD``) until it is reviewed.
    """
    path = Path(path)
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    allow = allow or EMPTY_ALLOWLIST
    name = _relname(path, problems, root)
    try:
        reader = _open_pdf(path)
        pages = reader.pages
        total = len(pages)
        if total > limits["pdf_halaman"]:
            problems.error(path, 0, 0, "PDF terlalu banyak halaman untuk diperiksa; "
                           + expected_found(f"paling banyak {limits['pdf_halaman']} halaman", f"{total} halaman")
                           + "; pecah menjadi beberapa berkas")
            return False
        to_read: list[tuple[int, bool, int]] = []  # (page index, a scan without text?, picture pixels)
        for number in range(total):
            try:
                page = pages[number]
                text = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - a page whose text cannot be taken is read as a picture
                page, text = None, ""
            found = len(text.strip())
            if text.strip():
                scan_read_text(path, f"halaman {number + 1}", text, problems, allow, name=name, ocr_read=False)
            pixels = ocr.page_image_pixels(page) if page is not None else 0
            # A page with no text at all, or with a picture the size of a small scan, must yield text
            # when read; a page with a little typed text and no picture (a short form) need not.
            if found < ocr.TEXT_LAYER_ENOUGH or pixels >= ocr.SCAN_PIXELS:
                to_read.append((number, found == 0 or pixels >= ocr.SCAN_PIXELS, pixels))
        if len(to_read) > limits["ocr_halaman"]:
            problems.error(path, 0, 0, ocr.held_message(
                f"{len(to_read)} halaman berupa gambar; paling banyak {limits['ocr_halaman']} halaman dibaca "
                "mesin per berkas, pecah dokumennya"))
            return False
        held: dict[str, list[int]] = {}
        for number, scan_only, pixels in to_read:
            # The scan itself (what a black box drawn over it hides is still in it), else the page as drawn.
            reading = ocr.read_page_pictures(pages[number], limits) if pixels >= ocr.SCAN_PIXELS else None
            if reading is None:
                try:
                    im = ocr.render_pdf_page(path, number, limits, pixels)
                except ocr.OcrUnavailable:
                    raise
                except Exception:  # noqa: BLE001 - pdfium refuses what it cannot draw
                    held.setdefault("halaman tidak dapat digambar untuk dibaca", []).append(number + 1)
                    continue
                reading = ocr.read_image(im, limits)
            seen = Problems(root=problems.root)
            scan_read_text(path, f"halaman {number + 1}", reading.text, seen, allow, name=name)
            # What the page's text layer already showed is reported once.
            layer = {i.message.replace(", dibaca dengan OCR)", ")") for i in problems.items}
            problems.extend([i for i in seen.items if i.message.replace(", dibaca dengan OCR)", ")") not in layer])
            reason = ocr.hold_reason(reading, document=scan_only)
            if reason:
                held.setdefault(reason, []).append(number + 1)
        for reason, numbers in held.items():
            problems.error(path, 0, 0, ocr.held_message(f"{_pages_label(numbers)}: {reason}"))
    except ocr.OcrUnavailable as exc:
        problems.error(path, 0, 0, ocr.held_message(str(exc)))
        return False
    except GuardError as exc:
        problems.error(path, 0, 0, str(exc))
        return False
    except Exception:  # noqa: BLE001
        problems.error(path, 0, 0, "PDF rusak atau terpotong dan tidak dapat dibaca; simpan ulang PDF-nya (Cetak ke PDF)")
        return False
    return True


def _pages_label(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"halaman {numbers[0]}"
    if len(numbers) > 6:
        return f"halaman {', '.join(map(str, numbers[:5]))} dan {len(numbers) - 5} lainnya"
    return "halaman " + ", ".join(map(str, numbers))


_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?(?:19|20)\d{2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|mei|jun|jul|agu|ags|agt|sep"
    r"|okt|nov|des)[a-z]*\.?\s+(?:19|20)\d{2}\b", re.IGNORECASE)
_PROSE_WORDS = frozenset({"dan", "yang", "atau", "tidak", "dengan", "untuk", "dari", "di", "ke", "pada", "ini", "itu"})


def scan_read_text(path, where: str, text: str, problems: Problems, allow: Allowlist | None = None, *,
                   name: str | None = None, ocr_read: bool = True) -> int:
    """The personal-data rule for text taken from a picture or a PDF page; return the number of hits.

    The same rule as Markdown and CSV: NIK / No. KK anywhere (with letters OCR mistakes for digits
    turned back into digits), and a table whose header names personal columns (``Nama | Alamat`` of
    aid recipients, ``NIK``, ``No. KK``, ``Tgl Lahir`` with dates under it). ``where`` names the page.
    """
    allow = allow or EMPTY_ALLOWLIST
    name = name or _relname(path, problems)
    how = ", dibaca dengan OCR" if ocr_read else ""
    n = 0
    checked = ocr.digits_read_as_letters(text) if ocr_read else text
    for _s, _e, _k, digits in find_personal_ids(checked):
        if not allow.allows(name, digits):
            problems.error(path, 0, 0, id_message(digits) + f" ({where}{how})")
            n += 1
    lines = checked.split("\n")
    context = is_recipient_context(Path(name).name, [checked])
    for i, line in enumerate(lines):
        tokens = [t for t in re.split(r"[\s|:;]+", line) if t]
        if not tokens or len(tokens) > 12 or {t.lower() for t in tokens} & _PROSE_WORDS:
            continue
        kinds: dict[str, str] = {}  # one entry per personal column of the header line
        j = 0
        while j < len(tokens):
            single = personal_column(tokens[j], context)
            pair = personal_column(tokens[j] + " " + tokens[j + 1], context) if j + 1 < len(tokens) else None
            if pair and not single:  # "Tgl Lahir", "No. KK": one column written in two words
                kinds[_norm_header(tokens[j] + " " + tokens[j + 1])] = pair
                j += 2
                continue
            if single:
                kinds[_norm_header(tokens[j])] = single
            j += 1
        whats = sorted(set(kinds.values()))
        birth = "tanggal/tempat lahir" in whats
        dated = birth and any(_DATE_IN_TEXT.search(x) for x in lines[i:i + 40])
        if len(kinds) >= 2 and (whats != ["tanggal/tempat lahir"] or dated) or (birth and dated):
            if birth and not dated:
                whats.remove("tanggal/tempat lahir")
            problems.error(path, 0, 0, f"tampak tabel berisi {' dan '.join(whats) or 'data pribadi'} ({where}{how}): "
                           "data pribadi per orang tidak boleh diterbitkan; terbitkan jumlah per dusun/RT saja, "
                           "atau hitamkan kolom itu sebelum dipindai")
            n += 1
            break
    return n


# --------------------------------------------------------------------------
# A whole village folder
# --------------------------------------------------------------------------

def _fmt_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB".replace(".", ",")
    return f"{n / 1024:.0f} kB"


def file_kind(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in MARKDOWN_EXT:
        return "markdown"
    if ext == ".csv":
        return "csv"
    if ext in TEXT_EXT:
        return "teks"
    if ext in IMAGE_EXT:
        return "gambar"
    if ext == ".pdf":
        return "pdf"
    if ext in ACTIVE_EXT:
        return "aktif"
    return "lainnya"


_KIND_LABEL = {"markdown": "tulisan Markdown", "csv": "data CSV", "teks": "berkas teks", "gambar": "gambar",
               "pdf": "dokumen PDF", "lainnya": "berkas"}


def _limit(kind: str, limits: dict) -> int:
    return limits.get(kind, limits["lainnya"])


def check_size(path: Path, size: int, kind: str, problems: Problems, limits: dict) -> bool:
    limit = _limit(kind, limits)
    if size > limit:
        problems.error(path, 0, 0, f"{_KIND_LABEL.get(kind, 'berkas')} terlalu besar; "
                       + expected_found(f"paling besar {_fmt_size(limit)}", _fmt_size(size))
                       + "; perkecil atau pecah berkasnya")
        return False
    return True


def scan_file(path: Path, problems: Problems, allow: Allowlist | None = None, *, root: Path | None = None,
              limits: dict | None = None, size: int | None = None) -> None:
    """Scan one regular file by its kind (size checked first; never reads more than the limit)."""
    path = Path(path)
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    kind = file_kind(path)
    if size is None:
        size = path.stat().st_size
    if kind == "aktif":
        problems.error(path, 0, 0, f'berkas "{path.suffix.lower()}" tidak boleh diterbitkan karena dapat menjalankan '
                       "kode di peramban; ubah ke PDF, gambar JPG/PNG, atau tulis isinya sebagai Markdown")
        return
    if not check_size(path, size, kind, problems, limits):
        return
    if kind in ("markdown", "teks", "csv"):
        with open(path, "rb") as fh:
            data = fh.read(limits[kind] + 1)
        text, _enc = decode_text(data)
        if kind == "csv":
            rows, lines = [], []
            for line, cells in iter_csv_rows(text, path, problems, max_rows=limits["csv_baris"]):
                rows.append(cells)
                lines.append(line)
            scan_csv(path, rows, problems, allow, lines=lines, root=root)
        else:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            scan_text(path, text, problems, allow, root=root)
            if kind == "markdown":
                scan_markdown_tables(path, text, problems)
    elif kind == "gambar":
        if scan_image_metadata(path, problems, allow, limits=limits, root=root) and ocr.needs_reading(str(path)):
            scan_image_text(path, problems, allow, limits=limits, root=root)
    elif kind == "pdf":
        scan_pdf(path, problems, allow, limits=limits, root=root)
    else:
        problems.warning(path, 0, 0, f'isi berkas "{path.suffix.lower() or path.name}" tidak dapat diperiksa untuk '
                         "data pribadi; pastikan sendiri tidak ada NIK, No. KK, atau tanggal lahir di dalamnya, "
                         "atau simpan sebagai CSV/PDF")


# Kinds whose scan costs more than reading the file (PDF text, image metadata): their findings
# can be kept by content hash and reused (see scan_village's ``known``).
_REUSABLE = frozenset({"pdf", "gambar"})


def scan_village(village_dir, problems: Problems, allow: Allowlist | None = None, root: Path | None = None, *,
                 limits: dict | None = None, known: dict | None = None, found: dict | None = None) -> list[Path]:
    """Scan every file of a village folder; return the regular files that were scanned.

    Checks file and folder names, refuses symlinks that leave the folder and
    special files, enforces size limits before reading, then scans by kind.

    ``known`` maps a file's name in the problems (repo-relative) to ``[sha256, findings]`` from an
    earlier scan with the same guard, limits and allowlist: a PDF or photo whose bytes have not
    changed is not parsed again. ``found``, when given, receives the same for this scan.
    """
    village_dir = Path(village_dir)
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    allow = allow or EMPTY_ALLOWLIST
    base = village_dir.resolve()
    scanned: list[Path] = []
    reviewed = ocr.load_reviews(village_dir, problems)
    withdrawn = cabut.load_withdrawals(village_dir, problems)
    try:
        _read_pictures_ahead(village_dir, problems, limits, known)
        return _scan_tree(village_dir, problems, allow, root, limits, known, found, base, scanned, reviewed,
                          withdrawn)
    finally:
        ocr.PREREAD.clear()


def _read_pictures_ahead(village_dir: Path, problems: Problems, limits: dict, known: dict | None) -> None:
    """Read the village's pictures that need OCR in batches of one Tesseract process each (see
    ``ocr.read_many``); pictures whose findings are kept in ``known`` and any picture that will be
    refused before it is read (too large, broken, wrong format) are left out."""
    batch: list[tuple[str, int, int, bytes]] = []

    def flush():
        try:
            readings = ocr.read_many([b[3] for b in batch], limits)
        except ocr.OcrUnavailable:
            readings = []
        for (key, size, mtime, _png), reading in zip(batch, readings):
            ocr.PREREAD[key] = (size, mtime, reading)
        batch.clear()

    for p in sorted(village_dir.rglob("*")):
        try:
            if p.is_symlink() or not p.is_file() or file_kind(p) != "gambar" or not ocr.needs_reading(str(p)):
                continue
            st = p.stat()
            if st.st_size > _limit("gambar", limits):
                continue
            kept = (known or {}).get(problems.name(p))
            if kept is not None and kept[0] == f"{_sha256(p)}/{ocr.reader_version()}":
                continue
            im = _open_image(p, None, limits)
        except (OSError, GuardError):
            continue
        try:
            with im:
                if im.format != _FORMAT_OF_EXT.get(p.suffix.lower()):
                    continue
                w, h = im.size
                if im.format == "JPEG" and w * h > limits["ocr_piksel"]:
                    f = (limits["ocr_piksel"] / (w * h)) ** 0.5
                    im.draft("L", (max(1, int(w * f)), max(1, int(h * f))))
                im.load()
                png = ocr.prepare(im, limits)
        except Exception:  # noqa: BLE001 - a broken picture is reported by the scan itself
            continue
        if png is not None:
            batch.append((str(p), st.st_size, st.st_mtime_ns, png))
        if len(batch) >= 16:
            flush()
    if batch:
        flush()


def _scan_tree(village_dir: Path, problems: Problems, allow: Allowlist, root, limits: dict, known, found,
               base: Path, scanned: list[Path], reviewed: dict, withdrawn: dict) -> list[Path]:
    for dirpath, dirnames, filenames in os.walk(village_dir, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        for d in list(dirnames):
            p = here / d
            if p.is_symlink():
                dirnames.remove(d)  # never descended (os.walk would not either): checked here
                _check_link(p, base, problems, root)
            _scan_name(p, d, problems, allow, root)
        for f in sorted(filenames):
            p = here / f
            _scan_name(p, f, problems, allow, root)
            if p.is_symlink() and not _check_link(p, base, problems, root):
                continue
            try:
                st = p.stat()
            except OSError as exc:
                problems.error(p, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
                continue
            if not stat.S_ISREG(st.st_mode):
                problems.error(p, 0, 0, "bukan berkas biasa (mis. pipa atau perangkat); hapus dari folder desa")
                continue
            try:
                kind = file_kind(p)
                before = len(problems.items)
                digest = None
                # (an oversized file is refused by scan_file before it is read, so it is not hashed)
                if (known is not None or found is not None) and kind in _REUSABLE \
                        and st.st_size <= _limit(kind, limits):
                    digest = _scan_reusing(p, problems, allow, root, limits, st.st_size, known, found)
                else:
                    scan_file(p, problems, allow, root=root, limits=limits, size=st.st_size)
                rel = p.relative_to(village_dir).as_posix()
                if rel in reviewed:  # a person looked at what OCR could not read: no longer held
                    problems.items[before:] = [i for i in problems.items[before:] if not ocr.is_held(i.message)]
                if withdrawn and st.st_size <= _limit(kind, limits):
                    digest = digest or _sha256(p)
                    if digest in withdrawn:
                        problems.error(p, 0, 0, cabut.withdrawn_message(withdrawn[digest]))
            except OSError as exc:
                problems.error(p, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
                continue
            scanned.append(p)
    return scanned


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def held_files(village_dir, root: Path | None = None, *, known: dict | None = None) -> list[Problem]:
    """What of a village is held for review (for Papan Admin's list of files waiting).

    Each item names the file (repo-relative when ``root`` is given) and why OCR could not judge it;
    a person reviews it and records it in ``tinjauan.csv`` (see :mod:`.ocr`). ``known`` is the
    build's kept findings (``scan_village``'s ``found``), so unchanged scans are not read again.
    """
    problems = Problems(root=Path(root) if root else None)
    scan_village(village_dir, problems, EMPTY_ALLOWLIST, root, known=known or {}, found={})
    return [i for i in problems.items if ocr.is_held(i.message)]


def _scan_reusing(p: Path, problems: Problems, allow, root, limits, size: int, known: dict | None,
                  found: dict | None) -> str:
    """scan_file, or the findings kept for the same bytes at the same place."""
    name = problems.name(p)
    digest = _sha256(p)
    key = f"{digest}/{ocr.reader_version()}"  # what OCR read depends on the engine as well as the bytes
    kept = (known or {}).get(name)
    if kept is not None and kept[0] == key:
        items = [Problem.from_dict(d) for d in kept[1]]
    else:
        sub = Problems(root=problems.root)
        scan_file(p, sub, allow, root=root, limits=limits, size=size)
        items = sub.items
    problems.extend(items)
    if found is not None:
        found[name] = [key, [i.as_dict() for i in items]]
    return digest


def _check_link(p: Path, base: Path, problems: Problems, root: Path | None) -> bool:
    try:
        target = p.resolve(strict=True)
    except (OSError, RuntimeError):
        _error_at(problems, p, "tautan simbolik rusak (menunjuk ke berkas yang tidak ada); hapus tautan ini", root)
        return False
    if not target.is_relative_to(base):
        _error_at(problems, p, "tautan simbolik menunjuk ke luar folder desa; salin berkasnya ke dalam folder desa",
                  root)
        return False
    return True


def _scan_name(p: Path, name: str, problems: Problems, allow: Allowlist, root: Path | None) -> None:
    rel = _relname(p, problems, root)
    for _s, _e, _k, digits in find_personal_ids(name):
        if not allow.allows(rel, digits):
            _error_at(problems, p, id_message(digits) + " (di nama berkas; ganti nama berkasnya)", root)
