"""Residents never see internals: no public page or data file of the built site carries a build diagnostic.

The build's warnings and errors (file, line and column, what was expected and found) are for the
operator: the build summary, `make check` and Papan Admin. A page a resident reads may carry a plain
note ("realisasi pendapatan melebihi anggaran"), never a file path, a CSV line number, an English
message or a stack trace. The same holds for the site's open data and other text files (JSON, CSV,
datapackage, feeds, sitemaps): they are read by residents' tools and journalists.
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
    return text_diagnostics_in(visible_text(html))


def text_diagnostics_in(text: str) -> list[str]:
    """The diagnostics in a text file as it is published (a data file, a feed): all of it is public."""
    found = []
    for what, pattern in DIAGNOSTICS:
        m = pattern.search(text)
        if m:
            found.append(f"{what}: …{text[max(0, m.start() - 60):m.end() + 60]}…")
    return found


def public_pages(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts)


TEXT_SUFFIXES = {".json", ".csv", ".xml", ".txt"}


def public_text_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()
                  and "pagefind" not in p.relative_to(output).parts)


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


def test_the_check_finds_a_diagnostic_in_a_data_file():
    """Each kind of diagnostic is caught in a JSON, CSV or XML file as it is written."""
    assert text_diagnostics_in('{"peringatan": ["Baris 3: realisasi Rp 120 melebihi anggaran Rp 100"]}')
    assert text_diagnostics_in("kode,catatan\n4.2.1,villages/dieng/apbdes/2024.csv:3:6 dibaca\n")
    assert text_diagnostics_in('{"catatan": "apbdes/2024.csv:3: kolom kosong"}')
    assert text_diagnostics_in("<summary>Traceback (most recent call last):</summary>")
    assert text_diagnostics_in('{"catatan": "peringatan: BLT melebihi batas"}')
    assert text_diagnostics_in('{"catatan": "invalid value"}')
    assert text_diagnostics_in('"kolom anggaran: diharapkan angka rupiah, ditemukan abc"')
    # Data, addresses and a reader's plain note pass.
    assert not text_diagnostics_in(
        '{"peringatan": ["Realisasi Rp 120 melebihi anggaran Rp 100 pada 5.2.2.01 Honor"], '
        '"path": "data/apbdes-2024.csv", "url": "https://contoh.id/dieng/data/apbdes-2024.json", '
        '"missingValues": [""], "description": "Setiap baris APBDes tahun 2024"}')


def test_a_budget_years_open_data_carries_no_line_number(tmp_path):
    """A realisasi above its budget is a warning for the operator (file, line, column) and a plain note
    in data/apbdes-<tahun>.json, which names the budget line by its code, never the CSV's line."""
    from papan_desa.apbdes.export import normalised_csv, year_json
    from papan_desa.apbdes.load import load_year
    from papan_desa.problems import Problems

    a = tmp_path / "apbdes"
    a.mkdir()
    (a / "2025.csv").write_text("kode,kegiatan,uraian,anggaran,perubahan,realisasi,sumber_dana\n"
                                "4.2.1.01,,,100,,100,\n5.2.2.01,02.01.01,Honor,100,,120,DDS\n", encoding="utf-8")
    (a / "2025.md").write_text("status: Realisasi Tahun Anggaran\n", encoding="utf-8")
    p = Problems(root=tmp_path)
    year = load_year(a / "2025.csv", p)
    assert year is not None and [(w.line, w.column) for w in p.warnings] == [(3, 6)]
    notes = year.peringatan
    assert notes == ("Realisasi Rp 120 melebihi anggaran Rp 100 pada 5.2.2.01. [02.01.01] Honor",), notes
    for text in (year_json(year), normalised_csv(year)):
        assert not text_diagnostics_in(text), text_diagnostics_in(text)


@pytest.mark.slow
def test_no_public_data_file_carries_a_build_diagnostic(site_build):
    """The site's open data (data/*.json, *.csv, datapackage.json, the catalogue), feeds and sitemaps."""
    files = public_text_files(site_build.output)
    assert {p.suffix for p in files} >= {".json", ".csv", ".xml"} and len(files) > 50
    problems = []
    for f in files:
        for d in text_diagnostics_in(f.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{f.relative_to(site_build.output)}: {d}")
    assert not problems, "\n".join(problems[:30])


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
