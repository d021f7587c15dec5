"""One CSV reader for every CSV the project reads (village data, budgets, imports, Papan Admin uploads).

* **Encoding**: UTF-8 with or without BOM, UTF-16 (BOM or the NUL pattern of Excel's "Unicode text"),
  else the legacy code page that charset-normalizer finds (cp1252/latin-1: what Excel writes in
  Indonesia). Bytes that are no known text (a binary file renamed ``.csv``) are refused.
* **Separator**: found on the table's own header line, not on the title rows above it that Siskeudes
  and Excel print (``PEMERINTAH DESA …;;;;``): the line with the most short text cells among the
  first lines, split by ``;``, ``,``, tab or ``|``.
* **Line ends**: CRLF, LF or CR.
* **Limits** (defined once in :data:`papan_desa.limits.DEFAULT_LIMITS`): the file size is checked
  before it is read, then the length of every line and the number of rows; reading stops at the
  first breach.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problems, expected_found
from .limits import DEFAULT_LIMITS

DELIMITERS = (";", ",", "\t", "|")
_HEADER_SCAN = 60          # lines looked at to find the table's header
_HEADER_CELL = 60          # a header cell is a short label
_LETTER = re.compile(r"[^\W\d_]")
_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


class CsvError(ValueError):
    """The bytes cannot be read as a CSV table; the message is Indonesian."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.line, self.column = line, column


def limits(overrides: dict | None = None) -> dict:
    """The effective limits: :data:`guard.DEFAULT_LIMITS` with a kabupaten's ``PAPAN_BATAS`` on top."""
    return {**DEFAULT_LIMITS, **(overrides or {})}


def fmt_count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --- bytes -> text -----------------------------------------------------------------

def _utf16_without_bom(head: bytes) -> str | None:
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
        even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
        return "utf-16-le" if odd >= even else "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str | None:
    """The encoding of ``data``, or None when it is not text in any encoding we know."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    utf16 = _utf16_without_bom(data[:2000])
    if utf16:
        return utf16
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15"]).best()
    if best is None:
        return None
    enc = best.encoding
    # cp1252 is latin-1 plus printable characters in 0x80-0x9F; prefer it when the bytes decode.
    if enc in ("latin_1", "iso8859_15"):
        try:
            data.decode("cp1252")
            enc = "cp1252"
        except UnicodeDecodeError:
            pass
    return enc


def decode(data: bytes, *, strict: bool = True) -> tuple[str, str]:
    """``(text, encoding)``; the BOM removed. ``strict``: unknown bytes raise :class:`CsvError`.

    Not strict (for scanning a file for personal data), undecodable bytes become U+FFFD, never an exception.
    """
    enc = detect_encoding(data)
    if enc is None:
        if strict:
            raise CsvError("berkas ini bukan teks CSV (pengodean karakter tidak dikenal atau berkas biner); "
                           "simpan ulang dari Excel sebagai \"CSV UTF-8\" atau \"CSV (dipisah titik koma)\"", 1, 1)
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return data.decode("cp1252", "replace"), "cp1252"
    text = data.decode(enc, "replace")
    if enc == "utf-8-sig":
        enc = "utf-8"
    return text.lstrip("\ufeff"), enc


# --- the separator ----------------------------------------------------------------------

def _split(line: str, delim: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delim))
    except (csv.Error, StopIteration):
        return []


def _header_score(cells: list[str], delim: str) -> int:
    """How much a line split by ``delim`` looks like a table header: its count of short text cells, 0 when a
    cell is not a label (no letter, too long, or holding another separator: 'Rp. 0,-;Rp. 0' split on ',')."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2:
        return 0
    others = [d for d in DELIMITERS if d != delim]
    if not all(_LETTER.search(c) and len(c) <= _HEADER_CELL and not any(d in c for d in others) for c in filled):
        return 0
    return len(filled)


def find_delimiter(text: str) -> str:
    """The separator of the table's header line (``,`` when no line looks like a header)."""
    lines = []
    for line in io.StringIO(text, newline=None):
        if line.strip():
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= _HEADER_SCAN:
                break
    if not lines:
        return ","
    # A machine header (kode,nama / judul;tanggal) on the first line decides at once.
    for d in DELIMITERS:
        cells = _split(lines[0], d)
        if len(cells) >= 2 and all(_IDENT.match(c.strip()) for c in cells if c.strip()) \
                and sum(1 for c in cells if c.strip()) >= 2:
            return d
    best, best_score = ",", 0
    for line in lines:
        for d in DELIMITERS:
            if d not in line:
                continue
            score = _header_score(_split(line, d), d)
            if score > best_score:
                best, best_score = d, score
    if best_score:
        return best
    # No header-like line: the separator most used on the first line, outside quotes.
    bare = re.sub(r'"[^"]*"', "", lines[0])
    counts = {d: bare.count(d) for d in DELIMITERS}
    d = max(counts, key=lambda k: counts[k])
    return d if counts[d] else ","


# --- rows -----------------------------------------------------------------------------

def _check_lines(text: str, max_line: int) -> None:
    start = 0
    number = 1
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        if end - start > max_line:
            raise CsvError("baris terlalu panjang; " + expected_found(
                f"paling banyak {fmt_count(max_line)} karakter per baris",
                f"{fmt_count(end - start)} karakter") + "; periksa apakah berkas ini benar CSV", number, 1)
        start = end + 1
        number += 1


def iter_rows(text: str, delimiter: str | None = None, *, max_rows: int | None = None,
              max_line: int | None = None, strict: bool = True):
    """Yield ``(first_line_number, cells)`` for every row; raises :class:`CsvError` (never csv.Error).

    ``max_rows`` counts data rows (the header is not counted); ``max_line`` is the longest line allowed.
    """
    if max_line is not None:
        _check_lines(text, max_line)
    delim = delimiter or find_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict)
    previous = 0
    count = 0
    try:
        for cells in reader:
            start = previous + 1
            previous = reader.line_num
            count += 1
            if max_rows is not None and count > max_rows + 1:
                raise CsvError("CSV terlalu banyak baris; " + expected_found(
                    f"paling banyak {fmt_count(max_rows)} baris data", f"lebih dari {fmt_count(max_rows)} baris"),
                    start, 1)
            yield start, cells
    except csv.Error as exc:
        raise CsvError(f"baris CSV rusak ({exc}); periksa tanda kutip dan pemisah kolom",
                       previous + 1, 1) from None


@dataclass
class Table:
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str


def read_bytes(path: Path, limit: int, label: str = "data CSV") -> bytes:
    """Read at most ``limit`` bytes; a larger file raises :class:`CsvError` before it is read whole."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise CsvError(f"{label} terlalu besar; " + expected_found(f"paling besar {_fmt_size(limit)}",
                                                                    f"lebih dari {_fmt_size(limit)}")
                       + "; perkecil atau pecah berkasnya")
    return data


def _fmt_size(n: int) -> str:
    mb = 1024 * 1024
    return f"{n / mb:.1f} MB".replace(".", ",").replace(",0 MB", " MB") if n >= mb else f"{max(1, round(n / 1024))} kB"


def parse(data: bytes, *, lim: dict | None = None, strict: bool = True) -> Table:
    """Bytes -> rows, within the limits (``csv_baris``, ``csv_panjang_baris``); raises CsvError."""
    lm = limits(lim)
    text, enc = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delim = find_delimiter(text)
    rows = list(iter_rows(text, delim, max_rows=lm["csv_baris"], max_line=lm["csv_panjang_baris"], strict=strict))
    return Table(rows, enc, delim)


def read_csv(path: Path, problems: Problems, *, lim: dict | None = None, strict: bool = True,
             size_key: str = "csv") -> list[tuple[int, list[str]]] | None:
    """All rows of a CSV file with their line numbers; None (and one error naming the file) when it
    cannot be read or breaks a limit."""
    lm = limits(lim)
    try:
        data = read_bytes(path, lm[size_key])
        return parse(data, lim=lm, strict=strict).rows
    except OSError as exc:
        problems.error(path, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
    except CsvError as exc:
        problems.error(path, exc.line, exc.column, str(exc))
    return None


def dict_rows(path: Path) -> list[dict[str, str]]:
    """``csv.DictReader`` over a trusted project file (registry, reference tables), with the one dialect rule."""
    text, _enc = decode(Path(path).read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=find_delimiter(text)))


def read_text(path: Path, problems: Problems, *, lim: dict | None = None, size_key: str = "csv") -> str | None:
    """A CSV file's text (encoding detected, LF line ends, size and line length within the limits);
    None and one error naming the file when it cannot be read."""
    lm = limits(lim)
    try:
        text, _enc = decode(read_bytes(path, lm[size_key]))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        _check_lines(text, lm["csv_panjang_baris"])
        return text
    except OSError as exc:
        problems.error(path, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
    except CsvError as exc:
        problems.error(path, exc.line, exc.column, str(exc))
    return None
