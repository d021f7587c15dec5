"""A resident on a 360x740 phone (Chromium): the budget at a glance, short budget pages, search that
finds them, and every page kind accessible (axe-core) and no wider than the screen."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from tests.support import ROOT, guide_screenshot
from tests.test_site_browser import sample_pages, url_of

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 740
MAX_SCREENS = 15
BUNDLED = sorted(d.name for d in (ROOT / "villages").iterdir() if (d / "desa.md").is_file())
WITH_BUDGET = [s for s in BUNDLED if (ROOT / "villages" / s / "apbdes").is_dir()]


def years_of(output: Path, slug: str) -> list[int]:
    folder = output / slug / "apbdes"
    return sorted(int(d.name) for d in folder.iterdir() if d.name.isdigit()) if folder.is_dir() else []


def nama_of(site_build, slug: str) -> str:
    from papan_desa.problems import Problems
    from papan_desa.profil import load_profil
    return load_profil(site_build.villages / slug, None, Problems()).nama


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID",
                                  service_workers="block")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT


def test_most_bundled_villages_have_a_budget():
    assert len(BUNDLED) >= 7 and len(WITH_BUDGET) >= 6


@pytest.mark.parametrize("slug", BUNDLED)
def test_village_home_shows_the_newest_budget_on_the_first_screen(site_build, site_server, phone, slug):
    years = years_of(site_build.output, slug)
    page = phone.new_page()
    try:
        page.goto(f"{site_server}/{slug}/")
        card = page.locator("main .apbdes-kartu")
        assert card.count() == 1
        assert _on_first_screen(card), f"{slug}: ringkasan APBDes tidak muat di layar pertama ({card.bounding_box()})"
        text = card.inner_text()
        if not years:      # a kelurahan has no APBDes; a desa that has published none says so
            if "Kelurahan" in page.locator("h1").inner_text():
                assert "Kelurahan tidak menyusun APBDes" in text and "APBD Kabupaten" in text
            else:
                assert "APBDes belum diterbitkan" in text
                assert re.search(r"pembaruan terakhir situs desa: \d{1,2} \w+ \d{4}", text), text
            return
        newest = years[-1]
        assert f"APBDes {newest}" in text
        for label in ("Pendapatan", "Belanja", "Pembiayaan"):
            row = card.locator("dt", has_text=label)
            assert row.count() == 1, f"{slug}: {label} tidak ada"
        figures = card.locator("dd .tepat").all_inner_texts()
        assert len(figures) == 3 and all(re.fullmatch(r"-?Rp \d{1,3}(\.\d{3})*(,\d\d)?", f) for f in figures), figures
        # The status (APBDes, Perubahan or Realisasi per date) and the two links, all before scrolling.
        assert card.locator(".apbdes-status").inner_text().strip()
        link = card.locator(f"a[href='/{slug}/apbdes/{newest}/']")
        poster = card.locator(f"a[href='/{slug}/apbdes/{newest}/poster-apbdes-{newest}-a4.pdf']")
        assert _on_first_screen(link) and _on_first_screen(poster)
        assert page.request.get(site_server + poster.get_attribute("href")).ok
        # Population headline where data desa exist.
        if (site_build.villages / slug / "data-desa").is_dir():
            assert re.search(r"[\d.]+ penduduk", page.locator("main .penduduk-ringkas").inner_text())
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        if slug == "dieng":
            guide_screenshot(page, "warga-beranda")        # docs/panduan-warga.md
    finally:
        page.close()


def test_a_village_without_budget_says_so_with_its_last_update(site_build, site_server, phone):
    without = [s for s in site_build.slugs if not years_of(site_build.output, s)]
    assert without, "situs uji tanpa desa yang belum menerbitkan APBDes"
    page = phone.new_page()
    try:
        page.goto(f"{site_server}/{without[0]}/")
        card = page.locator("main .apbdes-kartu")
        assert _on_first_screen(card)
        assert "APBDes belum diterbitkan" in card.inner_text()
        assert re.search(r"pembaruan terakhir situs desa: \d{1,2} \w+ \d{4}", card.inner_text())
    finally:
        page.close()


@pytest.mark.parametrize("slug", WITH_BUDGET)
def test_budget_year_pages_open_with_the_summary_and_stay_short(site_build, site_server, phone, slug):
    page = phone.new_page()
    try:
        for year in years_of(site_build.output, slug):
            page.goto(f"{site_server}/{slug}/apbdes/{year}/")
            if slug == "dieng":
                guide_screenshot(page, "warga-apbdes")     # docs/panduan-warga.md
            card = page.locator("main .apbdes-kartu")
            assert _on_first_screen(card), f"{slug} {year}: ringkasan tidak di layar pertama"
            assert len(card.locator("dd .tepat").all()) == 3
            # Charts are shown at least at the size they are drawn for a phone: their text stays >= 12 px.
            for img in page.locator("figure.grafik img").all():
                assert img.bounding_box()["width"] >= int(img.get_attribute("width")) - 0.5
            # The poster download is near the top (within the second screen).
            poster = page.locator(".unduh-poster a[href$='-a4.pdf']")
            assert poster.bounding_box()["y"] < 2 * HEIGHT
            # Before opening anything: at most 15 phone screens, nothing wider than the phone.
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height <= MAX_SCREENS * HEIGHT, f"{slug} {year}: {height} px = {height / HEIGHT:.1f} layar"
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
            # Every line is one tap away, exact to the rupiah, and still fits the phone once opened.
            parts = page.locator("details.bagian-apbdes")
            assert parts.count() >= 3
            assert page.locator("details.bagian-apbdes table").first.is_hidden()
            parts.nth(1).locator("summary").click()
            table = parts.nth(1).locator("table")
            assert table.is_visible()
            if slug == "dieng":
                parts.nth(1).scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -8)")
                guide_screenshot(page, "warga-apbdes-rincian")
            cells = table.locator("td.angka").all_inner_texts()
            assert any(re.search(r"Rp \d{1,3}(\.\d{3})+", c) for c in cells)
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
            assert table.bounding_box()["width"] <= WIDTH
            # Names, not codes: every kegiatan row has words after its code.
            for th in table.locator("tr.t-kegiatan th").all_inner_texts():
                assert re.search(r"[A-Za-z]{3}", re.sub(r"^[\d.]+", "", th.strip())), th
    finally:
        page.close()


def _search(page, server: str, q: str) -> list[tuple[str, str]]:
    page.goto(f"{server}/cari/?q={urllib.parse.quote(q)}")
    page.locator("#cari-status", has_text="hasil").wait_for(timeout=15000)
    return [(li.locator("a").inner_text(), li.locator("a").get_attribute("href"))
            for li in page.locator("#cari-hasil li").all()]


@pytest.mark.parametrize("slug", WITH_BUDGET)
def test_search_puts_the_village_budget_first(site_build, site_server, phone, slug):
    nama = nama_of(site_build, slug)
    newest = years_of(site_build.output, slug)[-1]
    page = phone.new_page()
    try:
        results = _search(page, site_server, f"APBDes {nama}")
        assert results and results[0][1] == f"/{slug}/apbdes/{newest}/", results[:3]
        assert results[0][0] == f"APBDes {newest} – Desa {nama}"
        if slug == "dieng":
            guide_screenshot(page, "warga-cari")
        results = _search(page, site_server, f"dana desa {nama}")
        assert results and results[0][1] == f"/{slug}/apbdes/{newest}/", results[:3]
    finally:
        page.close()


def test_search_results_name_their_village_are_unique_and_can_be_filtered(site_build, site_server, phone):
    page = phone.new_page()
    try:
        results = _search(page, site_server, "produk hukum desa")
        assert len(results) >= 5
        hrefs = [h for _, h in results]
        assert len(hrefs) == len(set(hrefs)), "hasil ganda"
        titles = [t for t, _ in results]
        assert len(titles) == len(set(titles)), f"judul hasil kembar: {titles}"
        assert all(re.search(r"– (Desa|Kelurahan) \w+|– \w+$", t) for t in titles), titles
        # Snippets are words with spaces between them (no "AnggaranRp", "NomorTanggal").
        for snippet in page.locator("#cari-hasil li p").all_inner_texts():
            assert not re.search(r"[a-z][A-Z][a-z]", snippet), snippet
        # Filters by village, kecamatan and kind of page come from the index.
        kinds = page.locator("select[data-filter='jenis'] option").all_text_contents()
        assert {"APBDes", "Data desa", "Produk hukum", "Dokumen"} <= set(kinds)
        page.locator("#cari-saring summary").click()
        page.select_option("select[data-filter='desa']", "Desa Dieng")
        hrefs: list[str] = []
        for _ in range(50):       # the list is redrawn when the search with the filter returns
            page.wait_for_timeout(100)
            hrefs = [a.get_attribute("href") for a in page.locator("#cari-hasil li a").all()]
            if hrefs and all(h.startswith("/dieng/") for h in hrefs):
                break
        assert hrefs and all(h.startswith("/dieng/") for h in hrefs), hrefs
        assert "Kejajar" in page.locator("select[data-filter='kecamatan'] option").all_text_contents()
    finally:
        page.close()


def test_every_page_kind_has_no_axe_violation(site_build, site_server, phone):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = sample_pages(site_build.output, site_build.slugs)
    pages["404.html"] = "404.html"
    problems = []
    page = phone.new_page()
    try:
        for shape, path in pages.items():
            page.goto(url_of(site_server, path))
            result = axe.run(page)
            for v in result.response["violations"]:
                problems.append(f"{path}: {v['id']} ({v['impact']}) {v['help']}: "
                                f"{[n['target'] for n in v['nodes']][:3]}")
    finally:
        page.close()
    assert not problems, "\n".join(problems)
