"""The two journeys on the whole product, where the parts meet (Chromium at 360x740).

1. The kabupaten makes accounts with ``papan admin pengguna tambah``; a village operator logs in to Papan
   Admin (waitress), is refused a report whose subtotal is off by Rp 1 and another village's report, imports
   the Siskeudes report of their own village (XLSX with merged cells and title rows), sees the totals and
   publishes to the kabupaten's repository. The site built from that repository shows the imported figures
   on the village home's first phone screen.
2. A village whose only budget year has a typo still publishes its home and news: the year page keeps its
   last good version, or, when it never published, the home says the budget is not published yet; no
   diagnostics reach a resident.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.admin_helpers import (OTHER, SLUG, add_account, form_tokens, git, login, make_app, serve as serve_admin,
                                 siskeudes_report, village_repo)
from tests.apbdes_reports import layout, sample_budget, write_csv, write_xlsx
from tests.support import CHROMIUM, ROOT, build_site, require, serve
from tests.test_resident_browser import HEIGHT, WIDTH
from tests.test_resident_browser import _on_first_screen as on_first_screen

pytestmark = pytest.mark.browser

SRI = ("sri.kaligowong", "sandi-sri-kaligowong")
# sample_budget() as Siskeudes adds it up (the report's own JUMLAH rows say the same).
PENDAPATAN, BELANJA, NETTO = "Rp 1.679.071.500", "Rp 1.153.560.900", "Rp 15.000.000"


@pytest.fixture
def phone(browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID", service_workers="block")
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the whole page (the sample-data notice included)."""
    from axe_playwright_python.sync_playwright import Axe
    return [f'{v["id"]}: {v["help"]}' for v in Axe().run(page).response["violations"]]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def add_account_as_diskominfo(accounts: Path, name: str, password: str, *args: str) -> None:
    """The kabupaten's step from docs/panduan-admin.md: the password read from standard input."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "papan"), "admin", "--pengguna", str(accounts),
                           "pengguna", "tambah", name, *args], input=password + "\n", capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"Akun {name} dibuat" in done.stdout


def upload(page, report: Path) -> None:
    page.locator("#laporan").set_input_files(str(report))
    page.get_by_role("button", name="Periksa laporan").click()


def test_an_imported_siskeudes_report_is_on_the_village_home_first_screen(phone, tmp_path):
    repo, villages, bare = village_repo(tmp_path, others=(OTHER,))
    accounts = tmp_path / "akun" / "pengguna.json"
    add_account_as_diskominfo(accounts, "dinas", "sandi-dinas-kabupaten", "--kabupaten")
    add_account_as_diskominfo(accounts, *SRI, "--desa", SLUG)
    app = make_app(tmp_path, villages, public=True, accounts=accounts, siteurl="https://wonosobo.contoh.id")

    # The reports as Kaligowong's Siskeudes prints them: the village in the title block, 2026.
    reports = tmp_path / "dari-siskeudes"
    reports.mkdir()
    good = write_xlsx(layout(sample_budget(), "penjabaran", desa="KALIGOWONG", tahun=2026),
                      reports / "Penjabaran APBDes 2026.xlsx")
    off_by_one = write_csv(layout(sample_budget(), "penjabaran", desa="KALIGOWONG", tahun=2026,
                                  off_by=("01.01.02", 1)), reports / "Penjabaran salah.csv")
    other = write_xlsx(layout(sample_budget(), "penjabaran", desa=OTHER.upper(), tahun=2026),
                       reports / "Penjabaran Sumbersari.xlsx")

    with serve_admin(app) as base:
        page = phone.new_page()
        actions = 0
        page.goto(base + "/")
        page.get_by_label("Nama pengguna").fill(SRI[0])
        page.get_by_label("Kata sandi").fill(SRI[1])
        page.get_by_role("button", name="Masuk").click()
        actions += 3
        assert page.url.endswith(f"/desa/{SLUG}/")

        # Refused: one subtotal Rp 1 off (named by file, row and kegiatan), and another village's report.
        upload(page, off_by_one)
        refused = page.locator("#galat-impor")
        assert on_first_screen(refused), "pesan penolakan tidak tampil di layar pertama"
        text = refused.inner_text()
        assert re.search(r"Penjabaran_salah\.csv:\d+:\d+: galat: baris jumlah 01\.01\.02 ", text), text
        assert "selisih Rp 1" in text
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        upload(page, other)
        assert "milik desa \"Sumbersari\", bukan desa Kaligowong" in page.locator("#galat-impor").inner_text()
        assert git(repo, "status", "--porcelain") == "" and not (villages / SLUG / "apbdes" / "2026.csv").exists()
        # Another village's pages stay closed.
        assert page.goto(f"{base}/desa/{OTHER}/apbdes/").status == 403
        page.goto(f"{base}/desa/{SLUG}/")

        # The journey: choose the file, check it, see the totals, save and publish.
        upload(page, good)
        actions += 2
        totals = page.locator("#jumlah-impor")
        totals.wait_for()
        shown = totals.inner_text()
        for figure in (PENDAPATAN, BELANJA, NETTO):
            assert figure in shown
        assert "4.2.1 Dana Desa" in shown and "02 Bidang Pelaksanaan Pembangunan Desa" in shown
        assert not re.search(r"surplus_defisit|pembiayaan_netto|\bpendapatan\b", shown), shown   # no internal keys
        warnings = page.locator("#peringatan-impor li").all_inner_texts()
        assert len(warnings) == len(set(warnings)) >= 1, warnings         # the repeated line, said once
        assert all(w.startswith("Penjabaran_APBDes_2026.xlsx:") for w in warnings), warnings
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        page.get_by_role("button", name="Simpan dan terbitkan").click()
        actions += 1
        box = page.locator("#hasil-terbit")
        box.wait_for()
        assert box.get_attribute("data-status") == "terbit", box.inner_text()
        assert no_sideways_scroll(page)
    assert actions == 6      # fill name, fill password, Masuk, choose the file, Periksa laporan, Simpan dan terbitkan
    assert git(bare, "log", "-1", "--format=%an", "main") == SRI[0]

    # Where the journeys meet: the kabupaten's site, built from what was published.
    clone = tmp_path / "terbit"
    subprocess.run(["git", "clone", "-q", str(bare), str(clone)], check=True)
    report = build_site(clone / "villages", tmp_path / "situs", tmp_path / "cache")
    assert report.ok, {s: [str(p) for p in ps] for s, ps in report.failed.items()}
    with serve(tmp_path / "situs") as site:
        page = phone.new_page()
        page.goto(f"{site}/{SLUG}/")
        card = page.locator("main .apbdes-kartu")
        assert on_first_screen(card), card.bounding_box()
        text = card.inner_text()
        assert "APBDes 2026" in text and PENDAPATAN in text and BELANJA in text and NETTO in text
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        card.get_by_role("link", name="Rincian APBDes 2026").click()
        page.wait_for_url(f"**/{SLUG}/apbdes/2026/")
        page.wait_for_load_state("load")        # measured with its stylesheet applied
        assert PENDAPATAN in page.locator("main").inner_text()
        assert no_sideways_scroll(page)


def _dieng_alone(villages: Path) -> Path:
    """Dieng, whose only budget year is 2025 (an APBDes with a Semester I realisation)."""
    shutil.copytree(ROOT / "villages" / "dieng", villages / "dieng")
    return villages / "dieng"


def _typo(village: Path) -> None:
    """An amount typed with the letter l for the digit 1, and a news post written the same day."""
    budget = village / "apbdes" / "2025.csv"
    text = budget.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("4.2.1.01,"))
    cells = line.split(",")
    cells[3] = cells[3].replace("1", "l", 1)
    budget.write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
    (village / "berita").mkdir(exist_ok=True)
    (village / "berita" / "2025-11-20-kerja-bakti.md").write_text(
        "Title: Kerja bakti sesudah longsor\nDate: 2025-11-20 08:00\nCategory: Kegiatan Warga\n\n"
        "Warga membersihkan jalan.\n", encoding="utf-8")


def _resident_sees(phone, out: Path, *, figures: bool) -> None:
    internal = re.compile(r"galat|diharapkan|\.csv:\d|villages/|/tmp/|Traceback|l77000|Error")
    with serve(out) as site:
        page = phone.new_page()
        page.goto(f"{site}/dieng/")
        card = page.locator("main .apbdes-kartu")
        assert on_first_screen(card)
        text = card.inner_text()
        if figures:
            assert "APBDes 2025" in text and "Rp 1.936.323.000" in text, text
        else:
            assert "APBDes belum diterbitkan" in text, text
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        page.goto(f"{site}/dieng/berita/")
        assert "Kerja bakti sesudah longsor" in page.locator("main").inner_text()
        page.goto(f"{site}/dieng/apbdes/")
        if not figures:
            assert "Tahun 2025: belum diterbitkan" in page.locator("main").inner_text()
    for html in out.rglob("*.html"):
        found = internal.search(html.read_text(encoding="utf-8"))
        assert found is None, f"{html.relative_to(out)}: {found.group(0)}"


def test_a_typo_in_the_only_budget_year_withholds_that_year_not_the_village(phone, tmp_path):
    fast = {"PAPAN_POSTER": False}
    villages = tmp_path / "villages"
    dieng = _dieng_alone(villages)
    assert build_site(villages, tmp_path / "out", tmp_path / "cache", overrides=fast).ok
    _typo(dieng)

    # Published before: the last good 2025 stays, marked as such.
    kept = build_site(villages, tmp_path / "out", tmp_path / "cache", overrides=fast)
    assert not kept.ok and "dieng" not in kept.failed and "dieng" in kept.withheld
    year_page = (tmp_path / "out" / "dieng" / "apbdes" / "2025" / "index.html").read_text(encoding="utf-8")
    assert "Ini versi terakhir yang sah" in year_page
    _resident_sees(phone, tmp_path / "out", figures=True)

    # Never published (a new cache): the village still builds, without a 2025 page.
    fresh = build_site(villages, tmp_path / "out2", tmp_path / "cache2", overrides=fast)
    assert not fresh.ok and "dieng" not in fresh.failed and "dieng" in fresh.withheld
    assert not (tmp_path / "out2" / "dieng" / "apbdes" / "2025").exists()
    _resident_sees(phone, tmp_path / "out2", figures=False)


def test_a_kelurahan_operator_is_not_offered_an_apbdes_import(tmp_path):
    """The public home says a kelurahan draws up no APBDes; Papan Admin says kelurahan and imports none."""
    repo, villages, _ = village_repo(tmp_path, remote=False, others=("kalikajar",))
    app = make_app(tmp_path, villages, public=True)
    add_account(app, "dinas", "sandi-dinas-kabupaten", kabupaten=True)
    c = app.test_client()
    login(c, "dinas", "sandi-dinas-kabupaten")
    desa, kel = c.get(f"/desa/{SLUG}/").text, c.get("/desa/kalikajar/").text
    assert "<h1>Desa Kaligowong</h1>" in desa and 'id="laporan"' in desa
    assert "<h1>Kelurahan Kalikajar</h1>" in kel and 'id="laporan"' not in kel
    assert 'id="laporan"' not in c.get("/desa/kalikajar/apbdes/").text
    r = c.post("/desa/kalikajar/apbdes/impor", data={**form_tokens(kel), "laporan": (
        io.BytesIO(siskeudes_report("KALIKAJAR")), "realisasi.csv")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "kelurahan tidak menyusun APBDes" in r.text and 'id="laporan"' not in r.text
    assert not (villages / "kalikajar" / "apbdes").exists() and git(repo, "status", "--porcelain") == ""


def test_publishing_from_a_server_account_without_a_git_identity_merges_back(tmp_path, monkeypatch):
    """A fresh ``papan`` user has no user.name/user.email: the publication still comes back into the server's
    history, so the next visit lists nothing as unpublished."""
    repo, villages, bare = village_repo(tmp_path)
    app = make_app(tmp_path, villages, public=True)
    add_account(app, *SRI, desa=[SLUG])
    for name in ("EMAIL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "tanpa-identitas"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    c = app.test_client()
    login(c, *SRI)
    page = c.get(f"/desa/{SLUG}/")
    r = c.post(f"/desa/{SLUG}/apbdes/impor", data={**form_tokens(page.text), "laporan": (
        io.BytesIO(siskeudes_report()), "realisasi.csv")}, content_type="multipart/form-data")
    action = re.search(r'action="(/desa/kaligowong/apbdes/impor/[0-9a-f]{32})"', r.text).group(1)
    r = c.post(action, data={**form_tokens(r.text), "aksi": "terbitkan"})
    assert 'data-status="terbit"' in r.text, r.text
    published = git(bare, "rev-parse", "main")
    subprocess.run(["git", "-C", str(repo), "merge-base", "--is-ancestor", published, "HEAD"], check=True)
    assert "Tidak ada: semua sudah terbit." in c.get(f"/desa/{SLUG}/").text
