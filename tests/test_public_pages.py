"""Residents never see internals: no public page of the built site carries a build diagnostic.

The build's warnings and errors (file, line and column, what was expected and found) are for the
operator: the build summary, `make check` and Papan Admin. A page a resident reads may carry a plain
note ("realisasi pendapatan melebihi anggaran"), never a file path, a CSV line number, an English
message or a stack trace.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

# What only a diagnostic says. Each pattern names what it catches, for the failure message.
DIAGNOSTICS = [
    ("nomor baris berkas", re.compile(r"\bBaris \d+")),
    ("berkas:baris", re.compile(r"\b[\w./-]+\.(?:csv|md|py|json|ya?ml|xlsx|txt):\d+")),
    ("folder data desa", re.compile(r"\bvillages/")),
    ("jejak galat Python", re.compile(r"Traceback|File \"|line \d+, in ")),
    ("pesan peringatan build", re.compile(r"\b(?:peringatan|galat|kesalahan):\s", re.IGNORECASE)),
    ("pesan berbahasa Inggris", re.compile(r"\b(?:warning|error|exception|expected|found|invalid|missing)\b",
                                            re.IGNORECASE)),
    ("diharapkan/ditemukan", re.compile(r"\bdiharapkan\b.*\bditemukan\b")),
]


class _Text(HTMLParser):
    """The text a reader can see or hear: element text and alt/title/aria-label, not scripts or URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


def diagnostics_in(html: str) -> list[str]:
    text = visible_text(html)
    found = []
    for what, pattern in DIAGNOSTICS:
        m = pattern.search(text)
        if m:
            found.append(f"{what}: …{text[max(0, m.start() - 60):m.end() + 60]}…")
    return found


def public_pages(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts)


def test_the_check_finds_a_diagnostic_on_a_page():
    """The check fails when it should: each kind of diagnostic on a page is caught."""
    assert diagnostics_in('<p class="peringatan">Baris 3: realisasi melebihi anggaran</p>')
    assert diagnostics_in("<li>villages/dieng/apbdes/2024.csv:3:6: peringatan: realisasi</li>")
    assert diagnostics_in("<p>Expected a number, found text</p>")
    assert diagnostics_in('<img alt="Traceback (most recent call last)" src="x.png">')
    assert diagnostics_in("<p>kolom anggaran: diharapkan angka rupiah, ditemukan \"abc\"</p>")
    # A plain note for a reader, an address in a link and a script's words pass.
    assert not diagnostics_in('<p>Realisasi pendapatan melebihi anggaran pada Dana Desa.</p>'
                              '<a href="/dieng/data/apbdes-2024.csv">Data baris APBDes 2024 (CSV)</a>'
                              '<script>throw new Error("x")</script>')


@pytest.mark.slow
def test_no_public_page_carries_a_build_diagnostic(site_build):
    """Every page of the session's site (bundled villages with their warnings, a generated demo village
    and a fixture village) is free of the operator's diagnostics."""
    assert site_build.report.ok
    pages = public_pages(site_build.output)
    assert len(pages) > 100
    problems = []
    for page in pages:
        for d in diagnostics_in(page.read_text(encoding="utf-8")):
            problems.append(f"{page.relative_to(site_build.output)}: {d}")
    assert not problems, "\n".join(problems[:30])
