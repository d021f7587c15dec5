"""Requesting a service from the phone (#23) in Chromium at 360x740, on the session's site build (conftest.py):
the form's wa.me link, the printed A4 letter, the page without JavaScript, no request to another origin,
accessibility (axe), the portal's services and the search for a service."""
from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from papan_desa.problems import Problems
from papan_desa.profil import load_profil
from papan_desa.publikasi.layanan import load_layanan
from papan_desa.schema import nomor_wa
from tests.support import CHROMIUM, require

pytestmark = pytest.mark.browser

LAYANAN = "kaligowong/layanan/surat-keterangan-usaha/"
NAMA = "Siti Aminah <img src=x onerror=alert(1)>"      # typed text must stay text
KEPERLUAN = "pengajuan kredit usaha & modal #2"


@pytest.fixture(scope="module")
def phone(browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", service_workers="block")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def tanpa_js(browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def kaligowong(site_build):
    """The village's own number (from its desa.md, normalised) and the service's requirements."""
    d = site_build.villages / "kaligowong"
    prof = load_profil(d, None, Problems())
    sku = next(s for s in load_layanan(d, Problems()) if s.slug == "surat-keterangan-usaha")
    return nomor_wa(prof.get("whatsapp")), sku


def _decoded(href: str) -> tuple[str, str]:
    u = urlsplit(href)
    return f"{u.scheme}://{u.netloc}{u.path}", parse_qs(u.query)["text"][0]


def _fill(page):
    page.fill("#pm-nama", NAMA)
    page.fill("#pm-alamat", "Dusun Krajan RT 02 RW 01")
    page.fill("#pm-keperluan", KEPERLUAN)
    page.fill("#pm-hari", "2026-12-07")
    page.fill("#pm-hp", "0813 1111 2222")


def test_filling_the_form_gives_a_wa_me_link_to_the_villages_own_number(site_server, phone, kaligowong):
    nomor, sku = kaligowong
    page = phone.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_server + "/" + LAYANAN)
    assert page.locator("#permohonan-form").is_visible()
    for label in ("Nama lengkap *", "Dusun / RT / RW *", "Keperluan *", "Rencana hari mengambil", "Nomor HP Anda",
                  "NIK (tidak wajib)"):
        assert page.get_by_label(label, exact=True).count() == 1, label     # every field has its label
    assert page.get_by_label("Nomor Kartu Keluarga (tidak wajib)").count() == 0   # KK is not a requirement here
    _fill(page)
    href = page.locator("#permohonan-kirim").get_attribute("href")
    where, text = _decoded(href)
    assert where == f"https://wa.me/{nomor}"
    assert text.splitlines()[0] == "Permohonan Surat Keterangan Usaha – Desa Kaligowong"
    assert f"Nama: {NAMA}" in text and f"Keperluan: {KEPERLUAN}" in text
    assert "Rencana mengambil: Senin, 7 Desember 2026" in text
    assert "NIK:" not in text                                             # left empty: its line is left out
    assert href.endswith(quote(text, safe="!~*'()"))                      # encodeURIComponent, as the build does
    # The preview and the letter show the typed text as text: nothing typed becomes markup.
    assert page.locator("#permohonan-pesan").text_content() == text
    assert page.locator("#surat [data-isi=nama]").first.text_content() == NAMA
    assert page.locator("main img").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    assert all(u.startswith(site_server + "/") for u in requests), [u for u in requests if not u.startswith(site_server)]

    # Sending: the one request that leaves the site goes to the channel the village declared.
    page.route("https://wa.me/**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                               body="<!doctype html><title>wa</title>"))
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim lewat WhatsApp").click()
    foreign = [u for u in requests if not u.startswith(site_server + "/")]
    assert len(foreign) == 1 and foreign[0].startswith(f"https://wa.me/{nomor}?text=")
    assert _decoded(foreign[0])[1] == text
    page.close()


def test_sending_waits_for_the_required_fields(site_server, phone):
    page = phone.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_server + "/" + LAYANAN)
    page.fill("#pm-nama", "Siti")
    page.get_by_role("button", name="Kirim lewat WhatsApp").click()
    assert page.url == site_server + "/" + LAYANAN
    assert page.evaluate("document.activeElement.id") == "pm-alamat"      # the browser points at the first gap
    assert all(u.startswith(site_server + "/") for u in requests)
    page.close()


def test_the_print_view_is_one_a4_page_with_the_letter_and_the_checklist(site_server, phone, kaligowong):
    from pypdf import PdfReader

    _, sku = kaligowong
    page = phone.new_page()
    page.goto(site_server + "/" + LAYANAN)
    _fill(page)
    page.emulate_media(media="print")
    assert page.locator("#surat").is_visible()
    for hidden in ("#permohonan", ".kepala", ".kaki", "main h1"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".daftar-periksa li").all_text_contents() == sku.persyaratan
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)       # A4 in points
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Permohonan Surat Keterangan Usaha" in text and "Siti Aminah" in text and "kredit usaha" in text
    for syarat in sku.persyaratan:
        assert " ".join(syarat.split()) in text
    page.close()


def test_without_javascript_the_template_checklist_and_a_generic_link_are_there(site_server, tanpa_js, kaligowong):
    nomor, sku = kaligowong
    page = tanpa_js.new_page()
    page.goto(site_server + "/" + LAYANAN)
    assert not page.locator("#permohonan-form").is_visible()        # a form that could do nothing is not shown
    template = page.locator("#permohonan-pesan")
    assert template.is_visible() and "Nama: …" in template.text_content()
    items = page.locator(".daftar-periksa li")
    assert items.all_text_contents() == sku.persyaratan and items.first.is_visible()
    link = page.get_by_role("link", name="Buka WhatsApp dengan pesan ini")
    where, text = _decoded(link.get_attribute("href"))
    assert where == f"https://wa.me/{nomor}"
    assert "Surat Keterangan Usaha" in text and "Desa Kaligowong" in text and text == template.text_content()
    for info in ("Jam layanan", "Waktu penyelesaian", "Biaya", "Setelah permohonan dikirim"):
        assert page.locator(".permohonan-info").get_by_text(info, exact=True).first.is_visible(), info
    assert "Rp 0" in page.locator(".permohonan-info").text_content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()


def test_the_service_page_has_no_accessibility_violations(site_server, phone):
    from axe_playwright_python.sync_playwright import Axe

    page = phone.new_page()
    page.goto(site_server + "/" + LAYANAN)
    _fill(page)
    axe = Axe()
    # The whole page against WCAG 2.1 A and AA (the project's standard), and the page's own content (main)
    # against every axe rule, best practices included.
    wcag = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert wcag.violations_count == 0, wcag.generate_report()
    isi = axe.run(page, context="main")
    assert isi.violations_count == 0, isi.generate_report()
    page.close()


@pytest.mark.parametrize("path, kanal", [("kalikajar/layanan/surat-keterangan-usaha/", "mailto:kelurahan@kalikajar"),
                                         ("sembungan/layanan/surat-keterangan-usaha/", "sms:+6285226001303?body=")])
def test_email_and_sms_villages_get_their_own_channel(site_server, phone, path, kanal):
    page = phone.new_page()
    page.goto(site_server + "/" + path)
    _fill(page)
    href = page.locator("#permohonan-kirim").get_attribute("href")
    assert href.startswith(kanal)
    body = parse_qs(urlsplit(href).query)["body"][0] if href.startswith("mailto:") else \
        re.sub(r"^sms:[^?]*\?body=", "", href)
    if href.startswith("sms:"):
        from urllib.parse import unquote
        body = unquote(body)
    assert f"Nama: {NAMA}" in body and "Surat Keterangan Usaha" in body
    page.close()


def test_the_portal_lists_each_villages_page_for_a_service(site_build, site_server, phone):
    pages = sorted(p.parent.parent.parent.name for p in site_build.output.glob("*/layanan/surat-keterangan-usaha/index.html"))
    assert len(pages) >= 7
    page = phone.new_page()
    page.goto(site_server + "/layanan/")
    page.get_by_role("link", name="Surat Keterangan Usaha").click()
    links = page.locator("main table a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert sorted(links) == sorted(f"/{slug}/layanan/surat-keterangan-usaha/" for slug in pages)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()


def test_a_search_for_the_service_finds_each_villages_page(site_build, site_server, phone):
    pages = sorted(f"/{p.parent.parent.parent.name}/layanan/surat-keterangan-usaha/"
                   for p in site_build.output.glob("*/layanan/surat-keterangan-usaha/index.html"))
    assert 7 <= len(pages) <= 20                           # the search page shows the first 20 results
    page = phone.new_page()
    page.goto(site_server + "/cari/?q=" + quote("surat keterangan usaha"))
    page.wait_for_selector("#cari-hasil li a")
    links = page.locator("#cari-hasil li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert set(pages) <= set(links), sorted(set(pages) - set(links))
    assert "/layanan/surat-keterangan-usaha/" in links        # and the portal's list of every village's page
    page.close()


def test_the_script_is_small_and_only_on_service_pages(built_site):
    js = built_site / "theme" / "js" / "permohonan.js"
    assert js.stat().st_size < 4000
    with_it = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                     if "permohonan.js" in p.read_text())
    assert with_it and all(re.fullmatch(r"[a-z0-9-]+/layanan/[a-z0-9-]+/index\.html", p) for p in with_it), with_it
    assert len(with_it) == len(list(built_site.glob("*/layanan/*/index.html")))
