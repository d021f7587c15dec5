"""Search over every village's pages with Pagefind, in Chromium: offline index, no other origin."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_search_finds_a_known_village_post(page, site_server, built_site):
    assert (built_site / "pagefind" / "pagefind-entry.json").is_file()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site_server}/cari/?q=posyandu")
    page.wait_for_selector("#cari-hasil li a", timeout=15000)
    links = page.locator("#cari-hasil li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "/kaligowong/berita/posyandu-juni-2025/" in links
    assert re.search(r"\d+ hasil", page.locator("#cari-status").text_content())
    assert errors == []
    assert all(u.startswith(site_server) for u in requests), [u for u in requests if not u.startswith(site_server)]
    # A query with no match says so instead of showing nothing.
    page.fill("#cari-q", "zzkatayangtidakada")
    # (Playwright's own locators: the page's CSP rightly refuses evaluated strings.)
    page.locator("#cari-status", has_text="Tidak ada hasil").wait_for(timeout=15000)
    assert page.locator("#cari-hasil li").count() == 0


def test_only_the_search_page_and_the_service_pages_have_a_script(built_site):
    # Service pages (#23) load permohonan.js for the request form; see test_permohonan_browser.py.
    with_script = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                         if "pagefind" not in p.parts and "<script" in p.read_text())
    services = sorted(p.relative_to(built_site).as_posix() for p in built_site.glob("*/layanan/*/index.html"))
    assert services and with_script == sorted(["cari/index.html"] + services)
