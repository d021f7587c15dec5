"""Budget pages in Chromium at phone width: readable tables, charts with titles, posters downloadable."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["jogoyitnan/apbdes/2025/", "kaligowong/apbdes/2024/", "sumbersari/apbdes/2025/"])
def test_budget_year_page_at_360px(browser, site_server, path):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    try:
        page = ctx.new_page()
        bad = []
        page.on("response", lambda r: bad.append(r.url) if r.status >= 400 else None)
        page.goto(f"{site_server}/{path}", wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Every chart image loaded, and its SVG carries a title and a description with the amounts.
        imgs = page.locator("figure.grafik img")
        assert imgs.count() >= 3
        for i in range(imgs.count()):
            img = imgs.nth(i)
            img.scroll_into_view_if_needed()   # charts load lazily
            for _ in range(50):
                if img.evaluate("i => i.complete && i.naturalWidth > 0"):
                    break
                page.wait_for_timeout(100)
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
            assert "Rp " in img.get_attribute("alt")
            svg = page.request.get(site_server + img.get_attribute("src")).text()
            assert "<title" in svg and "<desc" in svg
        # The official table, one part at a time: opened, it stacks, each amount labelled, in rupiah.
        page.locator("details.bagian-apbdes summary").first.click()
        first = page.locator("table.apbdes-tabel tbody tr").first
        assert first.bounding_box()["width"] <= 360
        cell = page.locator("table.apbdes-tabel td.angka").first
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') in ("Anggaran", "Anggaran Awal")
        assert cell.inner_text().endswith(tuple("0123456789")) and "Rp " in cell.inner_text()
        # The poster links answer.
        for a in page.locator("a[href*='/poster-apbdes-']").all():   # (the Perdes PDF is linked too)
            r = page.request.get(site_server + a.get_attribute("href"))
            assert r.ok and len(r.body()) > 10_000
        assert bad == []
    finally:
        ctx.close()
