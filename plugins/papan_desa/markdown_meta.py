"""Read a Markdown file with a Pelican-style metadata header, keeping line numbers.

The header is the first block of ``Kunci: nilai`` lines, ended by a blank line;
a line indented by four spaces continues the previous value (Python-Markdown's
``meta`` extension, which Pelican uses). We parse it ourselves so that every
problem can name the line and column the village admin must fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problems, expected_found

_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]*?)\s*:(\s*)(.*)$")


@dataclass
class MetaValue:
    value: str
    line: int
    column: int  # column where the value starts (1-based)


@dataclass
class MarkdownDoc:
    path: Path
    meta: dict[str, MetaValue] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line where the body starts


def normalise_key(key: str) -> str:
    return re.sub(r"[\s-]+", "_", key.strip().lower())


def read_text(path: Path, problems: Problems) -> str | None:
    """Read UTF-8 text (BOM allowed); an undecodable file is one clear error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(path, line, column,
                       "berkas harus disimpan sebagai teks UTF-8; " + expected_found("huruf UTF-8", f"bita 0x{data[exc.start]:02x}"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Invisible control characters (tab, line feed and carriage return are ordinary text): a reader cannot see
#: them and XML 1.0 (the feeds, the sitemap) cannot carry them. Papan Admin refuses them with the same rule.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_message(char: str) -> str:
    return (f"ada karakter kendali tak terlihat (U+{ord(char):04X}), biasanya terbawa saat menyalin dari aplikasi "
            "lain; hapus lalu ketik ulang bagian itu")


def parse_markdown(path: Path, problems: Problems, text: str | None = None) -> MarkdownDoc | None:
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    for n, line in enumerate(text.split("\n"), 1):
        m = CONTROL.search(line)
        if m:
            problems.error(path, n, m.start() + 1, control_message(m.group()))
    doc = MarkdownDoc(path)
    lines = text.split("\n")
    i = 0
    last: str | None = None
    while i < len(lines):
        line = lines[i]
        lineno = i + 1
        if line.strip() == "":
            i += 1
            break
        if last is not None and (line.startswith("    ") or line.startswith("\t")):
            prev = doc.meta[last]
            prev.value = (prev.value + " " + line.strip()).strip()
            i += 1
            continue
        m = _KEY.match(line)
        if not m:
            if not doc.meta:
                # No header at all: the whole file is body.
                break
            problems.error(path, lineno, 1, "baris kepala berkas harus berbentuk \"Kunci: nilai\", atau kosongkan "
                           "satu baris sebelum isi tulisan; " + expected_found('"Kunci: nilai"', line.strip()))
            i += 1
            continue
        key = normalise_key(m.group(1))
        if key in doc.meta:
            problems.error(path, lineno, 1, f'kunci "{m.group(1)}" sudah ditulis di baris {doc.meta[key].line}; tulis sekali saja')
        column = len(m.group(1)) + 1 + len(m.group(2)) + 1 + (len(line) - len(line.lstrip()))
        doc.meta[key] = MetaValue(m.group(3).strip(), lineno, column)
        last = key
        i += 1
    doc.body = "\n".join(lines[i:]) if doc.meta else text
    doc.body_line = i + 1 if doc.meta else 1
    return doc
