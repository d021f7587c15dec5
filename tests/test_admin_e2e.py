"""Papan Admin end to end in Chromium: a village operator's whole session, then the files and the git commit.

Writes the guide's screenshots (docs/gambar/admin-*.png) when they are missing or
when PAPAN_UPDATE_SCREENSHOTS=1, so they do not churn on every run.
"""
from __future__ import annotations

import io
import os
import subprocess
import threading

import pytest

from tests.admin_helpers import SLUG, jpeg_with_gps, make_app, siskeudes_report, village_repo
from tests.support import CHROMIUM, ROOT, require

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "gambar"
FIXTURES = ROOT / "tests" / "fixtures" / "apbdes"


def screenshot(page, name: str) -> None:
    """A small PNG for docs/panduan-admin.md (viewport only, 64 colours)."""
    target = SHOTS / f"admin-{name}.png"
    if target.exists() and os.environ.get("PAPAN_UPDATE_SCREENSHOTS") != "1":
        return
    from PIL import Image

    png = page.screenshot(full_page=False)
    im = Image.open(io.BytesIO(png)).convert("RGB")
    target.parent.mkdir(parents=True, exist_ok=True)
    im.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    from werkzeug.serving import make_server

    tmp = tmp_path_factory.mktemp("admin-e2e")
    repo, villages, bare = village_repo(tmp)
    app = make_app(tmp, villages)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="papan-admin-uji", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", repo, villages, bare, tmp
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture(scope="module")
def desk(browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    context = browser.new_context(viewport={"width": 800, "height": 640}, locale="id-ID")
    context.set_default_timeout(20_000)
    yield context
    context.close()


def app_user() -> str:
    """On 127.0.0.1 without accounts, the one operator is the computer's user."""
    from papan_desa.admin.accounts import local_account
    return local_account().name


def test_an_operator_writes_news_edits_and_imports_the_budget_previews_and_publishes(admin, desk):
    from PIL import Image

    base, repo, villages, bare, tmp = admin
    vdir = villages / SLUG
    page = desk.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Kaligowong").click()
    page.get_by_role("heading", name="Desa Kaligowong", level=1).wait_for()
    screenshot(page, "desa")

    # 1. A news post with a photo taken by a phone (GPS in its EXIF); the body previews live.
    photo = tmp / "IMG_20250901.jpg"
    photo.write_bytes(jpeg_with_gps(640, 480))
    page.get_by_role("link", name="Berita").first.click()
    page.get_by_role("link", name="Tulis baru").click()
    page.get_by_label("Judul").fill("Kerja bakti membersihkan saluran irigasi")
    page.get_by_label("Tanggal terbit").fill("2025-09-01 07:00")
    page.get_by_label("Kategori").fill("Kegiatan Warga")
    page.locator("#u_sampul").set_input_files(str(photo))
    page.get_by_label("Keterangan foto sampul").fill("Warga membersihkan saluran di Dusun Krajan")
    page.get_by_label("Isi (Markdown)").fill("Warga Dusun Krajan **bergotong royong** membersihkan saluran.\n\n"
                                             "- Mulai pukul 07.00\n- Bawa cangkul")
    page.locator("#pratinjau-isi strong", has_text="bergotong royong").wait_for()
    page.locator("#isi").evaluate("el => el.scrollIntoView({block: 'center'})")
    screenshot(page, "berita")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.locator(".pesan-ok", has_text="Tersimpan: berita/2025-09-01-kerja-bakti-membersihkan-saluran-irigasi.md").wait_for()

    # 2. A bad value is shown next to its cell, in Indonesian; nothing is written. Then the line is corrected.
    before_2024 = (vdir / "apbdes" / "2024.csv").read_bytes()
    page.goto(f"{base}/desa/{SLUG}/apbdes/ubah/2024")
    cell = page.locator('input[name="c_0_anggaran"]')
    cell.fill("enam juta")
    page.get_by_role("button", name="Simpan").click()
    error = page.locator("td.sel-galat .galat-medan")
    error.wait_for()
    assert "ditemukan" in error.inner_text() and "enam juta" in error.inner_text()
    assert page.locator("td.sel-galat input").get_attribute("name") == "c_0_anggaran"
    assert (vdir / "apbdes" / "2024.csv").read_bytes() == before_2024
    cell.scroll_into_view_if_needed()
    screenshot(page, "galat")
    page.locator('input[name="c_0_anggaran"]').fill("7.250.000")
    page.get_by_role("button", name="Simpan").click()
    page.locator(".pesan-ok", has_text="Tersimpan: apbdes/2024.csv").wait_for()

    # 3. Import a Siskeudes report: a wrong one is refused with its line numbers; a right one is previewed
    #    (totals, lines, what changes) and saved with one button.
    wrong = tmp / "siskeudes_subtotal_salah.csv"
    wrong.write_bytes((FIXTURES / "siskeudes_subtotal_salah.csv").read_bytes().replace(b"DESA CONTOH",
                                                                                       b"DESA KALIGOWONG"))
    page.goto(f"{base}/desa/{SLUG}/apbdes/")
    page.locator("#laporan").set_input_files(str(wrong))
    page.get_by_role("button", name="Periksa laporan").click()
    page.locator("#galat-impor li").first.wait_for()
    assert "siskeudes_subtotal_salah.csv:" in page.locator("#galat-impor").inner_text()
    assert subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", f"villages/{SLUG}/apbdes/2025.csv"],
                          capture_output=True, text=True).stdout == ""
    right = tmp / "Laporan Realisasi 2025.csv"
    right.write_bytes(siskeudes_report())
    page.locator("#laporan").set_input_files(str(right))
    page.get_by_role("button", name="Periksa laporan").click()
    page.locator("#jumlah-impor").wait_for()
    screenshot(page, "impor")
    page.get_by_role("button", name="Simpan saja").click()
    page.locator(".pesan-ok", has_text="Tersimpan: APBDes 2025").wait_for()

    # 4. Pratinjau: the village built by the real build, served by the app, with a way back.
    page.get_by_role("button", name="Pratinjau").click()
    page.wait_for_url(f"{base}/pratinjau/{SLUG}/{SLUG}/", timeout=120_000)
    assert page.get_by_role("link", name="← Kembali ke Papan Admin").get_attribute("href") == f"/desa/{SLUG}/"
    page.goto(f"{base}/pratinjau/{SLUG}/{SLUG}/berita/")
    page.get_by_role("link", name="Kerja bakti membersihkan saluran irigasi").first.wait_for()
    page.goto(f"{base}/pratinjau/{SLUG}/{SLUG}/apbdes/2025/")
    assert "1.515.000.000" in page.content()          # total income in the imported report
    screenshot(page, "pratinjau")

    # 5. Terbitkan: this village's saves go to the kabupaten's repository as one commit.
    page.goto(f"{base}/desa/{SLUG}/terbitkan")
    page.get_by_role("button", name="Terbitkan").last.click()
    page.locator("#hasil-terbit", has_text="terkirim ke repositori kabupaten").wait_for()
    screenshot(page, "terbitkan")
    page.close()

    # The files.
    post = (vdir / "berita" / "2025-09-01-kerja-bakti-membersihkan-saluran-irigasi.md").read_text()
    assert post == ("Title: Kerja bakti membersihkan saluran irigasi\nDate: 2025-09-01 07:00\nCategory: Kegiatan Warga\n"
                    "Sampul: gambar/img-20250901.jpg\nSampul_keterangan: Warga membersihkan saluran di Dusun Krajan\n\n"
                    "Warga Dusun Krajan **bergotong royong** membersihkan saluran.\n\n- Mulai pukul 07.00\n- Bawa cangkul\n")
    with Image.open(vdir / "gambar" / "img-20250901.jpg") as im:
        assert dict(im.getexif()) == {} and im.size == (640, 480)
    assert b"KameraMerekRahasia" not in (vdir / "gambar" / "img-20250901.jpg").read_bytes()
    lines_2024 = (vdir / "apbdes" / "2024.csv").read_text().splitlines()
    assert lines_2024[1].split(",")[3] == "7.250.000"
    assert lines_2024[2:] == before_2024.decode().splitlines()[2:]
    lines_2025 = (vdir / "apbdes" / "2025.csv").read_text().splitlines()
    assert "4.2.1.01,,Dana Desa,1000000000,,600000000,DDS" in lines_2025

    # The commit, in the remote.
    def remote_git(*args):
        return subprocess.run(["git", "-C", str(bare), *args], capture_output=True, text=True, check=True).stdout

    operator = app_user()
    assert remote_git("log", "-1", "--format=%an|%s", "main").strip() == \
        f"{operator}|Desa Kaligowong: perbarui APBDes, berita, gambar"
    body = remote_git("log", "-1", "--format=%b", "main")
    assert f"Diterbitkan lewat Papan Admin oleh {operator}." in body
    files = remote_git("show", "--name-only", "--format=", "main").split()
    assert {f"villages/{SLUG}/apbdes/2024.csv", f"villages/{SLUG}/apbdes/2025.csv",
            f"villages/{SLUG}/berita/2025-09-01-kerja-bakti-membersihkan-saluran-irigasi.md",
            f"villages/{SLUG}/gambar/img-20250901.jpg"} <= set(files)
    assert all(f.startswith(f"villages/{SLUG}/") for f in files)
    assert subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True,
                          text=True).stdout == ""


def test_the_markdown_preview_also_works_without_javascript(admin, browser):
    base, *_ = admin
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{base}/desa/{SLUG}/berita/baru")
    page.get_by_label("Isi (Markdown)").fill("## Subjudul\n\nTeks *miring*.")
    page.get_by_role("button", name="Lihat pratinjau isi").click()
    assert page.locator("#pratinjau-isi h2").inner_text() == "Subjudul"
    assert page.locator("#pratinjau-isi em").inner_text() == "miring"
    assert page.get_by_label("Isi (Markdown)").input_value() == "## Subjudul\n\nTeks *miring*."
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
