"""The built site in Chromium at phone width: one page of every page type, found from the output.

Every sampled page must answer 200, log no console error, request nothing that fails or
lives on another origin, fit a 360 px wide screen without horizontal scrolling, declare
lang="id" and have exactly one <h1>.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import CHROMIUM, require, serve

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 740
MAX_PAGES = 40
DESA = "{desa}"


# ---------------------------------------------------------------- page types from the output folder

def page_shapes(output: Path, village_slugs: list[str]) -> dict[str, list[str]]:
    """Group every HTML page by its path "shape": the village folder becomes {desa}, and a name
    becomes * when it is an item of a collection rather than a fixed part of the site.

    Names at the site root are fixed: they are the portal's own sections. Below it, a name is fixed when it recurs under two or more instances of its parent shape (kontak/ in
    every village, berita/kategori/ in several, apbdes/2025/ in several) or when its parent is a
    single folder with a handful of children (the portal's tentang/). Otherwise it is an item:
    the 15 kecamatan pages, each village's article slugs, a village's own extra page.
    Returns {shape: [paths]} with paths relative to the output, both sorted.
    """
    villages = set(village_slugs)
    paths = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    split = [[DESA if i == 0 and part in villages else part for i, part in enumerate(p.split("/"))] for p in paths]
    shaped = [list(parts) for parts in split]
    depth = max((len(s) for s in split), default=0)
    for level in range(depth):
        # parent shape -> parent instance (real path prefix) -> child names
        children: dict[tuple, dict[tuple, set]] = defaultdict(lambda: defaultdict(set))
        for real, shape in zip(paths, shaped):
            parts = real.split("/")
            if len(parts) > level:
                children[tuple(shape[:level])][tuple(parts[:level])].add(shape[level])
        for real, shape in zip(paths, shaped):
            parts = real.split("/")
            # The site root's own names are the portal's sections (villages are already {desa}).
            if len(parts) <= level or shape[level] == DESA or level == 0:
                continue
            instances = children[tuple(shape[:level])]
            name = parts[level]
            recurring = sum(1 for names in instances.values() if name in names) >= 2
            few = len(instances) == 1 and len(next(iter(instances.values()))) <= 6
            if not (recurring or few):
                shape[level] = "*"
    out: dict[str, list[str]] = defaultdict(list)
    for real, shape in zip(paths, shaped):
        out["/".join(shape)].append(real)
    return dict(sorted(out.items()))


def sample_pages(output: Path, village_slugs: list[str]) -> dict[str, str]:
    """One page (the first in path order) of each shape, at most MAX_PAGES; {shape: path}.

    When there are more shapes than that, breadth wins: shapes are taken round-robin from
    groups that share everything but their last folder inside a section ({desa}/apbdes/2024/
    and {desa}/apbdes/2025/ are one group), so each section of the site gets a page first.
    """
    shapes = page_shapes(output, village_slugs)
    groups: dict[str, list[str]] = defaultdict(list)
    for shape in shapes:
        parts = shape.split("/")
        if len(parts) >= 4:
            parts[-2] = "*"
        groups["/".join(parts)].append(shape)
    chosen: list[str] = []
    queues = [list(g) for g in groups.values()]
    while len(chosen) < MAX_PAGES and any(queues):
        for q in queues:
            if q and len(chosen) < MAX_PAGES:
                chosen.append(q.pop(0))
    return {shape: shapes[shape][0] for shape in sorted(chosen)}


def url_of(base: str, path: str) -> str:
    if path == "index.html":
        return base + "/"
    return base + "/" + (path[: -len("index.html")] if path.endswith("/index.html") else path)


# ---------------------------------------------------------------- visiting a page

@dataclass
class Visit:
    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    scroll_width: int = 0
    lang: str | None = None
    h1_count: int = 0

    def problems(self) -> list[str]:
        out = []
        if self.status != 200:
            out.append(f"status {self.status}")
        out += [f"console: {m}" for m in self.console_errors]
        out += [f"gagal dimuat: {m}" for m in self.failed]
        out += [f"origin lain: {m}" for m in self.foreign]
        if self.scroll_width > WIDTH:
            out.append(f"lebar {self.scroll_width}px > {WIDTH}px (gulir ke samping)")
        if self.lang != "id":
            out.append(f'<html lang="{self.lang}">, diharapkan "id"')
        if self.h1_count != 1:
            out.append(f"{self.h1_count} <h1>, diharapkan tepat 1")
        return [f"{self.url}: {p}" for p in out]


def visit(context, url: str) -> Visit:
    v = Visit(url)
    origin = "/".join(url.split("/")[:3])
    page = context.new_page()
    page.on("console", lambda m: v.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: v.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: v.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: v.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
    page.on("request", lambda r: v.foreign.append(r.url)
            if not (r.url.startswith(origin + "/") or r.url.startswith("data:")) else None)
    try:
        response = page.goto(url, wait_until="load")
        v.status = response.status if response else None
        v.scroll_width = page.evaluate("document.documentElement.scrollWidth")
        v.lang = page.evaluate("document.documentElement.getAttribute('lang')")
        v.h1_count = page.locator("h1").count()
    finally:
        page.close()
    return v


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module", autouse=True)
def _need_chromium():
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")


@pytest.fixture(scope="module")
def phone(browser):
    """One browser context for the module: a 360x740 phone screen."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID",
                                  service_workers="block")
    context.set_default_timeout(15_000)
    yield context
    context.close()


# ---------------------------------------------------------------- tests

def test_page_shapes_cover_every_known_page_type(site_build):
    shapes = page_shapes(site_build.output, site_build.slugs)
    for expected in ("index.html", "kecamatan/*/index.html", "tentang/index.html",
                     "{desa}/index.html", "{desa}/kontak/index.html", "{desa}/berita/index.html",
                     "{desa}/berita/*/index.html", "{desa}/berita/kategori/pemerintahan/index.html",
                     "{desa}/*/index.html"):
        assert expected in shapes, f"{expected} tidak ditemukan di antara {sorted(shapes)}"
    assert len(shapes["kecamatan/*/index.html"]) == 15       # every kecamatan of Wonosobo
    assert len(shapes["{desa}/index.html"]) == len(site_build.slugs)
    # The fixture village's own page (halaman/uji-halaman-tambahan.md) is the only page of its kind.
    assert shapes["{desa}/*/index.html"][0].endswith("/uji-halaman-tambahan/index.html")
    sample = sample_pages(site_build.output, site_build.slugs)
    assert len(sample) == min(len(shapes), MAX_PAGES)
    assert sample["{desa}/kontak/index.html"] == f"{site_build.slugs[0]}/kontak/index.html"


def test_sample_pages_keep_breadth_when_capped(tmp_path, monkeypatch):
    """With more shapes than MAX_PAGES, every section keeps a page before any gets a second."""
    for slug in ("satu", "dua"):
        for path in ["index.html", "kontak/index.html", "berita/index.html"] + \
                    [f"apbdes/{year}/index.html" for year in range(2015, 2026)]:
            (tmp_path / slug / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / slug / path).write_text("x")
    (tmp_path / "index.html").write_text("x")
    shapes = page_shapes(tmp_path, ["satu", "dua"])
    assert len(shapes) == 15 and "{desa}/apbdes/2015/index.html" in shapes   # years recur: each is a type
    monkeypatch.setattr(sys.modules[__name__], "MAX_PAGES", 6)
    assert sample_pages(tmp_path, ["satu", "dua"]) == {
        "index.html": "index.html",
        "{desa}/index.html": "dua/index.html",
        "{desa}/kontak/index.html": "dua/kontak/index.html",
        "{desa}/berita/index.html": "dua/berita/index.html",
        "{desa}/apbdes/2015/index.html": "dua/apbdes/2015/index.html",
        "{desa}/apbdes/2016/index.html": "dua/apbdes/2016/index.html",
    }


def test_every_page_type_loads_cleanly_at_phone_width(site_build, site_server, phone):
    pages = sample_pages(site_build.output, site_build.slugs)
    assert len(pages) >= 8
    problems = []
    for shape, path in pages.items():
        problems += visit(phone, url_of(site_server, path)).problems()
    assert not problems, "\n".join(problems)


def test_every_page_of_a_sample_village_shows_the_notice(site_build, site_server, phone):
    assert site_build.contoh, "tidak ada desa contoh dalam situs uji"
    slug = site_build.contoh[0]
    paths = sorted(p.relative_to(site_build.output).as_posix() for p in (site_build.output / slug).rglob("*.html"))
    assert len(paths) >= 3
    page = phone.new_page()
    try:
        for path in paths:
            page.goto(url_of(site_server, path))
            notice = page.locator("[role=note]", has_text="Data contoh")
            assert notice.count() == 1 and notice.is_visible(), f"{path}: tanda Data contoh tidak tampil"
    finally:
        page.close()
    # Every page of every sample village carries it; a village with real data carries none.
    for slug in site_build.contoh:
        for p in (site_build.output / slug).rglob("*.html"):
            assert "Data contoh" in p.read_text(encoding="utf-8"), p
    assert site_build.real
    for slug in site_build.real:
        for p in (site_build.output / slug).rglob("*.html"):
            assert "Data contoh" not in p.read_text(encoding="utf-8"), p


def test_portal_marks_a_village_without_folder_as_unpublished(site_build, site_server, phone):
    w = site_build.unpublished
    page = phone.new_page()
    try:
        # The portal lists every kecamatan (names repeat across kecamatan: look in the right one).
        for url, scope in ((site_server + "/", f"section[aria-labelledby='kec-{w.kecamatan_slug}']"),
                           (f"{site_server}/kecamatan/{w.kecamatan_slug}/", "main")):
            page.goto(url)
            scope = page.locator(scope)
            item = scope.locator("tr", has_text=w.nama)
            assert item.count() == 1, f"{url}: {w.nama} muncul {item.count()} kali"
            assert "Belum terbit" in item.inner_text()
            assert item.locator("a").count() == 0, f"{url}: {w.nama} belum terbit tetapi ditautkan"
        # A published village, by contrast, is linked and marked as published.
        page.goto(site_server + "/")
        slug = site_build.real[0]
        link = page.locator(f"main a[href='/{slug}/']")
        assert link.count() == 1
        assert "Belum terbit" not in link.locator("xpath=..").inner_text()
    finally:
        page.close()


def test_the_checks_catch_a_broken_page(tmp_path, phone):
    """The same checks flag a page that errs, misses a file, loads from elsewhere and is too wide."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        '<h1>a</h1><h1>b</h1><img src="/hilang.png" alt=""><img src="http://192.0.2.1/luar.png" alt="">'
        '<div style="width:900px">lebar</div><script>throw new Error("rusak")</script></body></html>',
        encoding="utf-8")
    with serve(tmp_path) as base:
        problems = "\n".join(visit(phone, base + "/").problems())
    assert "console: " in problems and "rusak" in problems
    assert "hilang.png (404)" in problems
    assert "origin lain: http://192.0.2.1/luar.png" in problems
    assert "lebar 9" in problems and "gulir ke samping" in problems
    assert 'lang="en"' in problems and "2 <h1>" in problems
