"""Reading village files into form values and writing them back, atomically and inside the folder.

The forms are generated from :data:`papan_desa.schema.REGISTRY`: a Markdown
schema becomes one input per field plus the body, a CSV schema becomes a table
with one column per field. These helpers turn files into those values and
values back into file text, remembering which line holds which field so that a
problem found by the build's loaders can be shown next to the right input.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..guard import decode_text, sniff_delimiter
from ..markdown_meta import CONTROL, control_message, normalise_key, parse_markdown
from ..problems import Problems
from ..sanitize import UnsafePath, safe_relpath
from ..schema import Schema

#: Names an admin may give a new file (post, notice, project, year): no dots, no slashes.
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class OutsideVillage(ValueError):
    """A path that would leave the village folder (never read or written)."""


def inside(village_dir: Path, rel: str) -> Path:
    """``village_dir/rel`` when it stays inside the village folder; :class:`OutsideVillage` otherwise."""
    if not isinstance(rel, str) or not rel or rel.startswith(("/", "\\")) or "\x00" in rel:
        raise OutsideVillage(rel)
    try:
        target = safe_relpath(village_dir, rel)
    except UnsafePath as exc:
        raise OutsideVillage(str(exc)) from None
    base = Path(village_dir).resolve()
    if target == base or not target.is_relative_to(base):
        raise OutsideVillage(rel)
    return target


def version(path: Path) -> str:
    """sha256 of a file's bytes, or "-" when it does not exist (the form remembers it when opened)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "-"


def atomic_write(path: Path, data: bytes, tmp_dir: Path | None = None, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``.

    The temporary file is made in ``tmp_dir`` (Papan Admin's work folder, outside the
    repository) so that a process killed mid-write leaves nothing in the village folder
    for git to pick up; when ``tmp_dir`` is on another file system, in the same folder
    under a name git never stages (``.<name>.<random>.baru``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    where = Path(tmp_dir) if tmp_dir else path.parent
    where.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{path.name}.", suffix=".baru")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            if tmp_dir is None or exc.errno != errno.EXDEV:
                raise
            os.unlink(tmp)
            atomic_write(path, data, None, mode)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def apply_changes(village_dir: Path, changes: dict[str, bytes | None], tmp_dir: Path | None = None) -> None:
    """Write (or, for None, delete) village-relative files, each atomically."""
    for rel, data in sorted(changes.items()):
        target = inside(village_dir, rel)
        if data is None:
            if target.is_file():
                target.unlink()
                # An emptied folder (a project's photos) goes too, so git and the build forget it.
                parent = target.parent
                base = Path(village_dir).resolve()
                while parent != base and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        else:
            atomic_write(target, data, tmp_dir)


# ---------------------------------------------------------------- Markdown files


@dataclass
class MarkdownForm:
    values: dict[str, str] = field(default_factory=dict)   # field name -> raw text
    body: str = ""
    keys: dict[str, str] = field(default_factory=dict)     # field name -> key as written in the file
    extra: list[tuple[str, str]] = field(default_factory=list)  # keys the schema does not declare, kept as they are


def read_markdown(path: Path, schema: Schema) -> MarkdownForm:
    form = MarkdownForm()
    if not Path(path).is_file():
        return form
    doc = parse_markdown(Path(path), Problems())
    if doc is None:
        return form
    raw_keys = _raw_keys(Path(path))
    names = {f.name for f in schema.fields}
    for key, mv in doc.meta.items():
        if key in names:
            form.values[key] = mv.value
            form.keys[key] = raw_keys.get(key, key)
        else:
            form.extra.append((raw_keys.get(key, key), mv.value))
    form.body = doc.body.strip("\n")
    return form


def _raw_keys(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    text, _ = decode_text(path.read_bytes())
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            break
        m = re.match(r"^([A-Za-z][A-Za-z0-9 _-]*?)\s*:", line)
        if m:
            out.setdefault(normalise_key(m.group(1)), m.group(1))
    return out


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def markdown_text(schema: Schema, form: MarkdownForm) -> tuple[str, dict[int, str], int]:
    """File text for a Markdown form, the line of each field, and the body's first line.

    Keys keep the spelling they had in the file (``Title``, ``kepala_desa``); new
    keys are written capitalised (``Sampul_keterangan``), as the docs show them.
    Empty optional fields are left out.
    """
    lines: list[str] = []
    where: dict[int, str] = {}
    for f in schema.fields:
        value = _one_line(form.values.get(f.name, ""))
        if value == "" and not f.required:
            continue
        key = form.keys.get(f.name) or f.name.capitalize()
        lines.append(f"{key}: {value}")
        where[len(lines)] = f.name
    for key, value in form.extra:
        lines.append(f"{key}: {_one_line(value)}")
    body = form.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not lines:
        # A file without a header: the whole file is body.
        return (body + "\n" if body else ""), where, 1
    text = "\n".join(lines) + "\n\n"
    body_line = len(lines) + 2
    if body:
        text += body + "\n"
    return text, where, body_line


# ---------------------------------------------------------------- CSV tables


@dataclass
class Table:
    columns: list[str]                 # normalised column names, in file order
    rows: list[list[str]]
    delimiter: str = ","
    header: list[str] | None = None    # as written in the file


def norm_column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def read_table(path: Path, schema: Schema) -> Table:
    """The file's columns and rows; a missing file gives the schema's columns and no rows."""
    path = Path(path)
    if not path.is_file():
        return Table([f.name for f in schema.fields], [])
    text, _ = decode_text(path.read_bytes())
    text = text.lstrip("\ufeff")
    delim = sniff_delimiter(text) if text.strip() else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delim)]
    if not rows:
        return Table([f.name for f in schema.fields], [], delim)
    header = rows[0]
    columns = [norm_column(h) for h in header]
    body = []
    for r in rows[1:]:
        if not any(c.strip() for c in r):
            continue
        body.append((r + [""] * len(columns))[:len(columns)])
    return Table(columns, body, delim, header)


def table_text(table: Table) -> tuple[str, list[int]]:
    """CSV text (UTF-8, ``\\n`` line ends) and the file line of each kept row (None for dropped empty rows)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=table.delimiter, lineterminator="\n")
    w.writerow(table.header or table.columns)
    lines: list[int] = []
    line = 1
    for r in table.rows:
        cells = [_one_line(c) for c in r]
        if not any(cells):
            lines.append(0)
            continue
        w.writerow(cells)
        line += 1
        lines.append(line)
    return buf.getvalue(), lines


# ---------------------------------------------------------------- control characters

#: Line and page breaks Word and PDFs paste (vertical tab, form feed, NEL, Unicode line/paragraph separators).
_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def clean_control(value: str, label: str) -> tuple[str, str]:
    """(value with pasted line breaks made ordinary ones, error naming ``label`` or "").

    Other control characters are refused with the build's own rule (:data:`markdown_meta.CONTROL`)."""
    value = _BREAKS.sub("\n", value or "")
    m = CONTROL.search(value)
    if m:
        return value, f"{label}: {control_message(m.group())} (posisi {m.start() + 1})"
    return value, ""
