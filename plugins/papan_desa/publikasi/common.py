"""Helpers shared by the publication kinds: header fields, dates, file references."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..markdown_meta import MarkdownDoc
from ..problems import Problems, expected_found
from ..sanitize import UnsafePath, safe_relpath
from ..schema import Schema, ValueProblem

IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp"}
DOC_EXT = {".pdf"}

_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2})[:.](\d{2}))?$")


def parse_datetime(raw: str) -> dt.datetime:
    """'2025-03-12' or '2025-03-12 09:00' -> datetime; ValueProblem in Indonesian otherwise."""
    m = _DATETIME.match(raw.strip())
    try:
        if not m:
            raise ValueError
        d = dt.date.fromisoformat(m.group(1))
        hh, mm = (int(m.group(2)), int(m.group(3))) if m.group(2) else (0, 0)
        return dt.datetime(d.year, d.month, d.day, hh, mm)
    except ValueError:
        raise ValueProblem('tanggal berbentuk TTTT-BB-HH atau TTTT-BB-HH JJ:MM seperti "2025-03-12 09:00", '
                           f'ditemukan "{raw}"') from None


def parse_rupiah(raw: str) -> Decimal:
    """'Rp 125.000.000', '125000000' or '125.000.000,50' -> Decimal."""
    s = raw.strip().removeprefix("Rp").removeprefix("rp").strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+(,\d{1,2})?", s):
        s = s.replace(",", ".")
    elif not re.fullmatch(r"\d+", s):
        raise ValueProblem(f'jumlah rupiah seperti "125.000.000", ditemukan "{raw}"')
    try:
        return Decimal(s)
    except InvalidOperation:
        raise ValueProblem(f'jumlah rupiah seperti "125.000.000", ditemukan "{raw}"') from None


def parse_persen(raw: str) -> Decimal:
    s = raw.strip().removesuffix("%").strip().replace(",", ".")
    try:
        v = Decimal(s)
    except InvalidOperation:
        raise ValueProblem(f'persen 0 sampai 100 seperti "75" atau "62,5", ditemukan "{raw}"') from None
    if not 0 <= v <= 100:
        raise ValueProblem(f'persen 0 sampai 100, ditemukan "{raw}"')
    return v


def check_header(doc: MarkdownDoc, schema: Schema, problems: Problems, *, extra_ok: tuple[str, ...] = (),
                 parsers: dict | None = None) -> dict:
    """Validate a Markdown header against a schema: required keys, each value parsed, unknown keys warned.

    Returns {field name: parsed value}; fields that failed are left out (an error is reported).
    ``parsers`` overrides the parsing of some fields (name -> fn(raw) raising ValueProblem).
    """
    out: dict = {}
    parsers = parsers or {}
    known = {f.name for f in schema.fields} | set(extra_ok)
    for key, mv in doc.meta.items():
        if key not in known:
            problems.warning(doc.path, mv.line, 1, f'kunci "{key}" tidak dikenal dan diabaikan; '
                             + expected_found("salah satu dari: " + ", ".join(sorted(f.name for f in schema.fields)),
                                              key))
    for f in schema.fields:
        mv = doc.meta.get(f.name)
        if mv is None or mv.value.strip() == "":
            if f.required:
                line = mv.line if mv else 1
                problems.error(doc.path, line, mv.column if mv else 1,
                               f'kunci "{f.name}" ({f.label}) wajib diisi; '
                               + expected_found(f.expected if not f.example else f'mis. "{f.name.capitalize()}: {f.example}"',
                                                mv.value if mv else ""))
            continue
        if "<" in mv.value and f.type == "teks":
            problems.error(doc.path, mv.line, mv.column + mv.value.index("<"),
                           f'{f.label} tidak boleh berisi tanda "<" (tag HTML); ' + expected_found("teks biasa", mv.value))
            continue
        try:
            out[f.name] = parsers[f.name](mv.value) if f.name in parsers else f.parse(mv.value)
        except ValueProblem as exc:
            problems.error(doc.path, mv.line, mv.column, f"{f.label}: diharapkan {exc}")
    return out


def resolve_ref(village_dir: Path, ref: str, problems: Problems, path: Path, line: int, column: int, *,
                kinds: set[str], what: str) -> Path | None:
    """A file referenced from village content: inside the folder, existing, with an allowed extension."""
    try:
        target = safe_relpath(village_dir, ref.strip())
    except UnsafePath as exc:
        problems.error(path, line, column, str(exc))
        return None
    if target.suffix.lower() not in kinds:
        problems.error(path, line, column, f"{what} harus berupa berkas "
                       + "/".join(sorted(k.lstrip(".").upper() for k in kinds)) + "; "
                       + expected_found("mis. " + ("gambar/balai-desa.jpg" if ".jpg" in kinds else "dokumen/perdes-1-2025.pdf"),
                                        ref))
        return None
    if not target.is_file():
        problems.error(path, line, column, f'{what} "{ref.strip()}" tidak ditemukan di folder desa; '
                       "periksa nama berkas (huruf besar/kecil berpengaruh) dan foldernya")
        return None
    return target


def village_rel(village_dir: Path, target: Path) -> str:
    """'gambar/balai.jpg' for a resolved file inside the village folder."""
    return target.resolve().relative_to(Path(village_dir).resolve()).as_posix()


def split_list(raw: str) -> list[tuple[str, int]]:
    """'a.jpg, b.jpg' -> [('a.jpg', offset 0), ('b.jpg', offset 7)] (offsets for column numbers)."""
    out, pos = [], 0
    for part in raw.split(","):
        stripped = part.strip()
        if stripped:
            out.append((stripped, pos + part.index(stripped)))
        pos += len(part) + 1
    return out


def slug_of(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "tanpa-nama"


def read_csv(path: Path, schema: Schema, problems: Problems, parsers: dict | None = None) -> list[tuple[int, dict]]:
    """Rows of a CSV file validated against a schema: [(line, {field: parsed value, "_kolom": {field: col}})].

    Rows with an error are left out (and reported).  The header names the columns,
    in any order; an unknown column is a warning, a missing required one an error.
    """
    import csv
    import io

    from ..csvfile import find_delimiter, read_text
    parsers = parsers or {}
    text = read_text(path, problems)
    if text is None:
        return []
    first = text.split("\n", 1)[0]
    delim = find_delimiter(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    if not rows:
        problems.error(path, 1, 1, "berkas kosong; " + expected_found(
            "baris kepala kolom: " + ",".join(f.name for f in schema.fields), ""))
        return []
    header = [re.sub(r"[\s-]+", "_", h.strip().lower()) for h in rows[0]]
    known = {f.name for f in schema.fields}
    for i, h in enumerate(header):
        if h and h not in known:
            problems.warning(path, 1, i + 1, f'kolom "{rows[0][i]}" tidak dikenal dan diabaikan; '
                             + expected_found("salah satu dari: " + ", ".join(f.name for f in schema.fields), rows[0][i]))
    missing = [f.name for f in schema.required if f.name not in header]
    if missing:
        problems.error(path, 1, 1, "kolom wajib tidak ada: " + ", ".join(missing) + "; "
                       + expected_found("baris kepala berisi " + ",".join(f.name for f in schema.fields), first))
        return []
    col = {h: i for i, h in enumerate(header) if h in known}
    out = []
    # csv.reader may read a quoted field over several lines: count lines as we go.
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    next(reader)
    line = 1
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        rec: dict = {"_kolom": {}}
        ok = True
        for f in schema.fields:
            if f.name not in col:
                continue
            i = col[f.name]
            raw = cells[i].strip() if i < len(cells) else ""
            rec["_kolom"][f.name] = i + 1
            if raw == "":
                if f.required:
                    problems.error(path, line, i + 1, f'kolom "{f.name}" ({f.label}) wajib diisi; '
                                   + expected_found(f.expected if not f.example else f'mis. "{f.example}"', ""))
                    ok = False
                continue
            try:
                rec[f.name] = parsers[f.name](raw) if f.name in parsers else f.parse(raw)
            except ValueProblem as exc:
                problems.error(path, line, i + 1, f"kolom {f.name} ({f.label}): diharapkan {exc}")
                ok = False
        if ok:
            out.append((line, rec))
    return out
