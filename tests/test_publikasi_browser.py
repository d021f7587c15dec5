"""Publication pages in Chromium at 360 px (reuses the session's site build and server from conftest.py)."""
from __future__ import annotations

import pytest

from tests.support import CHROMIUM, require

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def phone(browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_project_photos_load_the_small_webp_and_fit_the_phone(site_build, site_server, phone):
    project = sorted((site_build.output / "kaligowong" / "pembangunan").glob("*/index.html"))[0]
    url = f"{site_server}/{project.parent.relative_to(site_build.output).as_posix()}/"
    page = phone.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(url)
    imgs = page.locator(".linimasa img")
    assert imgs.count() >= 2
    for i in range(imgs.count()):
        imgs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=imgs.nth(i).element_handle())
        src = imgs.nth(i).evaluate("img => img.currentSrc")
        assert src.endswith("-480.webp"), src          # 360 px screen: the 480 px WebP, not the fallback
        assert imgs.nth(i).get_attribute("loading") == "lazy"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert failed == []
    page.close()


def test_notice_banner_is_visible_above_the_content_on_a_news_post(site_build, site_server, phone):
    post = sorted((site_build.output / "kaligowong" / "berita").glob("*/index.html"))[0]
    page = phone.new_page()
    page.goto(f"{site_server}/{post.parent.relative_to(site_build.output).as_posix()}/")
    banner = page.locator(".pengumuman-serta-merta")
    assert banner.is_visible()
    assert banner.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()
