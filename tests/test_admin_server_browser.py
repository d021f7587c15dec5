"""Papan Admin as the kabupaten's server, in Chromium against waitress: logging in and out, throttling,
another village's pages refused on every route, two real simultaneous saves, a save killed mid-way,
control characters, delete and undo, honest publishing, the import in a few actions, and a zip bomb
uploaded while another operator saves."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.admin_helpers import (OTHER, SLUG, add_account, git, make_app, serve,
                                 siskeudes_report, village_repo)
from tests.support import CHROMIUM, ROOT, require
from tests.test_admin_e2e import screenshot

pytestmark = pytest.mark.browser

SRI, BUDI, WATI, DINAS = ("sri", "sandi-sri-kaligowong"), ("budi", "sandi-budi-kaligowong"), \
    ("wati", "sandi-wati-sumbersari"), ("dinas", "sandi-dinas-kabupaten")
RINA = ("rina", "sandi-rina-sumbersari")      # only the throttling test uses her (she ends up waiting)


@pytest.fixture(scope="module")
def kab(tmp_path_factory):
    """A kabupaten server (every page asks to log in) over a repository without a remote."""
    tmp = tmp_path_factory.mktemp("kabupaten")
    repo, villages, _ = village_repo(tmp, remote=False, others=(OTHER,))
    app = make_app(tmp, villages, public=True)
    add_account(app, *SRI, desa=[SLUG])
    add_account(app, *BUDI, desa=[SLUG])
    add_account(app, *WATI, desa=[OTHER])
    add_account(app, *DINAS, kabupaten=True)
    add_account(app, *RINA, desa=[OTHER])
    with serve(app) as base:
        yield base, app, repo, villages, tmp


@pytest.fixture
def browser_ctx(browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    made = []

    def new():
        ctx = browser.new_context(viewport={"width": 800, "height": 700}, locale="id-ID")
        ctx.set_default_timeout(20_000)
        made.append(ctx)
        return ctx
    yield new
    for ctx in made:
        ctx.close()


def log_in(page, base, who, path="/"):
    page.goto(base + path)
    page.get_by_label("Nama pengguna").fill(who[0])
    page.get_by_label("Kata sandi").fill(who[1])
    page.get_by_role("button", name="Masuk").click()


def test_login_and_logout(kab, browser_ctx):
    base, *_ = kab
    page = browser_ctx().new_page()
    page.goto(f"{base}/desa/{SLUG}/")
    assert "/masuk" in page.url
    page.get_by_label("Nama pengguna").fill("sri")
    page.get_by_label("Kata sandi").fill("bukan-sandinya")
    page.get_by_role("button", name="Masuk").click()
    page.locator("#galat-masuk", has_text="Nama pengguna atau kata sandi salah").wait_for()
    screenshot(page, "masuk")
    page.get_by_label("Kata sandi").fill(SRI[1])
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Desa Kaligowong", level=1).wait_for()
    assert page.url == f"{base}/desa/{SLUG}/"
    cookie = next(c for c in page.context.cookies() if c["name"] == "papan_admin")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Keluar").click()
    page.locator(".pesan-ok", has_text="sri sudah keluar").wait_for()
    page.goto(f"{base}/desa/{SLUG}/")
    assert "/masuk" in page.url


def test_wrong_passwords_are_throttled(kab, browser_ctx):
    base, *_ = kab
    page = browser_ctx().new_page()
    page.goto(f"{base}/masuk")
    for _ in range(5):
        page.get_by_label("Nama pengguna").fill("rina")
        page.get_by_label("Kata sandi").fill("tebakan-yang-salah")
        page.get_by_role("button", name="Masuk").click()
        page.locator("#galat-masuk").wait_for()
    page.get_by_label("Nama pengguna").fill("rina")
    page.get_by_label("Kata sandi").fill(RINA[1])
    with page.expect_response(lambda r: r.url.endswith("/masuk") and r.request.method == "POST") as resp:
        page.get_by_role("button", name="Masuk").click()
    assert resp.value.status == 429
    assert re.search(r"Coba lagi dalam \d+ menit", page.locator("#galat-masuk").inner_text())


def test_another_villages_pages_are_refused_on_every_route(kab, browser_ctx):
    """Every rule of app.url_map that names a village, every method: 403 for an operator of another one."""
    base, app, repo, villages, _ = kab
    ctx = browser_ctx()
    page = ctx.new_page()
    log_in(page, base, SRI)
    page.get_by_role("heading", name="Desa Kaligowong", level=1).wait_for()
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    head = git(repo, "rev-parse", "HEAD")
    before = {p: p.read_bytes() for p in (villages / OTHER).rglob("*") if p.is_file()}
    values = {"slug": OTHER, "kind": "berita", "item": "2025-03-01-kabar-01", "path": f"{OTHER}/",
              "rel": "gambar/x.jpg", "commit": head, "token": "0" * 32}
    checked = []
    for rule in app.url_map.iter_rules():
        if "slug" not in rule.arguments:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{arg}>", values[arg], url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                r = ctx.request.get(base + url, max_redirects=0)
            else:
                r = ctx.request.post(base + url, max_redirects=0, headers={"Referer": base + "/"},
                                     multipart={"csrf_token": token, "aksi": "simpan", "f_title": "Serangan",
                                                "f_date": "2025-09-01", "isi": "x", "versi": "",
                                                "nama_berkas": "2025-09-01-serangan"})
            assert r.status == 403, (method, url, r.status)
            checked.append((method, rule.endpoint))
    assert len(checked) >= 20
    page.goto(f"{base}/desa/{OTHER}/")
    assert "bukan operator desa ini" in page.content()
    assert {p: p.read_bytes() for p in (villages / OTHER).rglob("*") if p.is_file()} == before
    assert git(repo, "rev-parse", "HEAD") == head


def _start_post(page):
    """Send the page's form with fetch, without waiting: the request is in flight when this returns."""
    page.evaluate("""() => {
        const form = document.querySelector('form.formulir');
        window.hasil = fetch(form.action || location.href, {method: 'POST', body: new FormData(form)})
            .then(async r => ({status: r.status, url: r.url, text: await r.text()}));
    }""")


def _result(page):
    return page.evaluate("() => window.hasil")


def test_two_simultaneous_saves_never_both_say_saved(kab, browser_ctx):
    base, _app, repo, villages, _ = kab
    post = villages / SLUG / "berita" / "2025-03-01-kabar-01.md"
    a, b = browser_ctx().new_page(), browser_ctx().new_page()
    log_in(a, base, SRI, f"/desa/{SLUG}/berita/ubah/{post.stem}")
    log_in(b, base, BUDI, f"/desa/{SLUG}/berita/ubah/{post.stem}")
    commits = int(git(repo, "rev-list", "--count", "HEAD"))
    # The same form, two different fields, sent at the same moment by two operators.
    a.get_by_label("Judul").fill("Judul diubah Sri")
    b.get_by_label("Isi (Markdown)").fill("Isi diubah Budi.")
    _start_post(a)
    _start_post(b)
    ra, rb = _result(a), _result(b)
    saved = [r for r in (ra, rb) if r["status"] == 200 and "Tersimpan" in r["text"]]
    refused = [r for r in (ra, rb) if r["status"] == 409]
    assert len(saved) == 1 and len(refused) == 1, (ra["status"], rb["status"])
    winner = "sri" if saved[0] is ra else "budi"
    assert f"sudah diubah oleh {winner}" in refused[0]["text"]
    # The refused operator's input is still on the form.
    loser_text = "Judul diubah Sri" if winner == "budi" else "Isi diubah Budi."
    assert loser_text in refused[0]["text"]
    text = post.read_text()
    assert ("Judul diubah Sri" in text) == (winner == "sri") and ("Isi diubah Budi." in text) == (winner == "budi")
    assert int(git(repo, "rev-list", "--count", "HEAD")) == commits + 1
    assert git(repo, "log", "-1", "--format=%an") == winner
    # Two operators saving different files at the same moment: both land.
    other = villages / SLUG / "desa.md"
    a.goto(f"{base}/desa/{SLUG}/berita/ubah/{post.stem}")
    b.goto(f"{base}/desa/{SLUG}/profil/ubah")
    a.get_by_label("Judul").fill("Judul kedua Sri")
    b.get_by_label("Kepala desa / lurah").fill("Budi Hartono")
    _start_post(a)
    _start_post(b)
    ra, rb = _result(a), _result(b)
    assert ra["status"] == 200 and rb["status"] == 200 and "Tersimpan" in ra["text"] and "Tersimpan" in rb["text"]
    assert "Judul kedua Sri" in post.read_text() and "Budi Hartono" in other.read_text()
    assert git(repo, "status", "--porcelain") == ""


def test_control_characters_pasted_from_word(kab, browser_ctx):
    base, _app, _repo, villages, _ = kab
    page = browser_ctx().new_page()
    log_in(page, base, SRI, f"/desa/{SLUG}/berita/baru")
    page.get_by_label("Judul").fill("Rapat\x07desa")
    page.get_by_label("Tanggal terbit").fill("2025-10-01")
    page.get_by_label("Isi (Markdown)").fill("Baris dari Word\x0bbaris berikutnya")
    page.get_by_role("button", name="Simpan", exact=True).click()
    error = page.locator("#f_title-galat")
    error.wait_for()
    assert "karakter kendali tak terlihat (U+0007)" in error.inner_text() and "Judul" in error.inner_text()
    assert page.get_by_label("Isi (Markdown)").input_value() == "Baris dari Word\nbaris berikutnya"
    page.get_by_label("Judul").fill("Rapat desa")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.locator(".pesan-ok", has_text="Tersimpan").wait_for()
    text = (villages / SLUG / "berita" / "2025-10-01-rapat-desa.md").read_text()
    assert "Baris dari Word\nbaris berikutnya" in text and "\x0b" not in text


def test_delete_asks_first_and_is_undone_from_riwayat(kab, browser_ctx):
    base, _app, repo, villages, _ = kab
    page = browser_ctx().new_page()
    log_in(page, base, SRI, f"/desa/{SLUG}/berita/baru")
    page.get_by_label("Judul").fill("Akan dihapus lalu kembali")
    page.get_by_label("Tanggal terbit").fill("2025-10-02")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.locator(".pesan-ok", has_text="Tersimpan").wait_for()
    target = villages / SLUG / "berita" / "2025-10-02-akan-dihapus-lalu-kembali.md"
    content = target.read_bytes()
    page.goto(f"{base}/desa/{SLUG}/berita/")
    page.get_by_role("link", name="Hapus Akan dihapus lalu kembali").click()
    page.get_by_role("heading", name="Hapus “Akan dihapus lalu kembali”?").wait_for()
    assert target.exists()          # only the confirmation deletes
    page.get_by_role("button", name="Ya, hapus").click()
    page.locator(".pesan-ok", has_text="Dapat dikembalikan dari Riwayat").wait_for()
    assert not target.exists()
    page.get_by_role("link", name="Riwayat").click()
    entry = page.locator("#riwayat > li").first
    screenshot(page, "riwayat")
    assert "hapus berita/2025-10-02-akan-dihapus-lalu-kembali.md" in entry.inner_text()
    assert "sri" in entry.inner_text()
    entry.get_by_role("button").click()
    page.locator(".pesan-ok", has_text="Dipulihkan").wait_for()
    assert target.read_bytes() == content
    assert git(repo, "status", "--porcelain") == ""


def test_publishing_without_a_remote_says_saved_but_not_published(kab, browser_ctx):
    base, _app, repo, _villages, _ = kab
    page = browser_ctx().new_page()
    log_in(page, base, SRI, f"/desa/{SLUG}/terbitkan")
    page.get_by_role("button", name="Terbitkan").last.click()
    box = page.locator("#hasil-terbit")
    box.wait_for()
    assert box.get_attribute("data-status") == "tersimpan"
    text = box.inner_text()
    assert "Tersimpan, belum terbit" in text and "belum tersambung ke repositori kabupaten" in text
    assert not re.search(r"\bgit\b|fatal|error|/tmp/|villages/", text)
    assert git(repo, "status", "--porcelain") == ""


def test_from_logging_in_to_a_published_budget_in_four_actions(browser_ctx, tmp_path):
    """The operator's journey: (1) Masuk, (2) choose the Siskeudes file, (3) Periksa laporan,
    (4) Simpan dan terbitkan. The preview between 3 and 4 shows totals, lines and what changes."""
    repo, villages, bare = village_repo(tmp_path)
    app = make_app(tmp_path, villages, public=True, siteurl="https://wonosobo.contoh.id")
    add_account(app, *SRI, desa=[SLUG])
    report = tmp_path / "Laporan Realisasi Semester I 2025.csv"
    report.write_bytes(siskeudes_report())
    with serve(app) as base:
        page = browser_ctx().new_page()
        page.goto(base + "/")
        page.get_by_label("Nama pengguna").fill(SRI[0])
        page.get_by_label("Kata sandi").fill(SRI[1])
        page.get_by_role("button", name="Masuk").click()                        # 1
        page.locator("#laporan").set_input_files(str(report))                   # 2
        page.get_by_role("button", name="Periksa laporan").click()              # 3
        page.locator("#jumlah-impor").wait_for()
        assert "1.515.000.000" in page.locator("#jumlah-impor").inner_text()
        assert "baris berubah" in page.locator("#beda-impor").inner_text()
        page.get_by_role("button", name="Simpan dan terbitkan").click()         # 4
        box = page.locator("#hasil-terbit")
        box.wait_for()
        assert box.get_attribute("data-status") == "terbit", box.inner_text()
        assert page.get_by_role("link", name="Lihat situs desa").get_attribute("href") == \
            f"https://wonosobo.contoh.id/{SLUG}/"
    assert "4.2.1.01,,Dana Desa,1000000000,,600000000,DDS" in \
        git(bare, "show", f"main:villages/{SLUG}/apbdes/2025.csv")
    assert git(bare, "log", "-1", "--format=%an", "main") == "sri"


def zip_bomb(path: Path, inflated_mb: int = 300) -> None:
    """An .xlsx of ~0.3 MB whose one sheet inflates to ``inflated_mb`` MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main"><sheets><sheet name="A" sheetId="1" r:id="rId1" xmlns:r="x"/>'
                   '</sheets></workbook>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                fh.write(chunk)


def test_a_zip_bomb_gets_the_cli_message_while_another_operator_saves(kab, browser_ctx, tmp_path):
    base, _app, repo, villages, _ = kab
    bomb = tmp_path / "bom.xlsx"
    zip_bomb(bomb)
    cli = subprocess.run([sys.executable, str(ROOT / "scripts" / "papan"), "impor-apbdes", "bom.xlsx", "--tahun",
                          "2025", "--output", str(tmp_path / "x.csv")], cwd=tmp_path, capture_output=True, text=True)
    assert cli.returncode == 1 and not (tmp_path / "x.csv").exists()
    cli_message = cli.stderr.strip().splitlines()[0]
    assert cli_message.startswith("bom.xlsx") and "terlalu besar" in cli_message
    a, b = browser_ctx().new_page(), browser_ctx().new_page()
    log_in(a, base, SRI, f"/desa/{SLUG}/apbdes/")
    log_in(b, base, WATI, f"/desa/{OTHER}/berita/baru")
    a.locator("#laporan").set_input_files(str(bomb))
    a.locator("#tahun").fill("2025")
    with a.expect_response(lambda r: r.url.endswith("/apbdes/impor")) as upload:
        a.get_by_role("button", name="Periksa laporan").click(no_wait_after=True)
        # Meanwhile, another village's operator saves a news post: it lands.
        b.get_by_label("Judul").fill("Disimpan saat impor berjalan")
        b.get_by_label("Tanggal terbit").fill("2025-10-03")
        b.get_by_role("button", name="Simpan", exact=True).click()
        b.locator(".pesan-ok", has_text="Tersimpan").wait_for()
    assert upload.value.status == 422
    shown = a.locator("#galat-impor").inner_text()
    assert cli_message in shown
    assert (villages / OTHER / "berita" / "2025-10-03-disimpan-saat-impor-berjalan.md").is_file()
    assert git(repo, "log", "-1", "--format=%an") == "wati"
    assert git(repo, "status", "--porcelain") == ""


# ---------------------------------------------------------------- a save killed mid-way

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _noise_png(path: Path, side: int = 2600) -> None:
    from PIL import Image
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, compress_level=0)


@pytest.mark.parametrize("delay", [0.4, 1.2, 2.5])
def test_a_save_killed_midway_leaves_the_repository_whole(browser_ctx, tmp_path, delay):
    from papan_desa.admin.accounts import AccountStore

    repo, villages, _ = village_repo(tmp_path, remote=False)
    accounts = tmp_path / "akun" / "pengguna.json"
    AccountStore(accounts).add(*DINAS, kabupaten=True)
    photo = tmp_path / "foto-besar.png"
    _noise_png(photo)
    port = _free_port()
    cmd = [sys.executable, str(ROOT / "scripts" / "papan"), "admin", "--server", "--host", "127.0.0.1",
           "--port", str(port), "--villages", str(villages), "--pengguna", str(accounts),
           "--kerja", str(tmp_path / "kerja")]
    base = f"http://127.0.0.1:{port}"
    page = browser_ctx().new_page()

    def fill_form(title="Foto besar"):
        log_in(page, base, DINAS, f"/desa/{SLUG}/berita/baru")
        page.get_by_label("Judul").fill(title)
        page.get_by_label("Tanggal terbit").fill("2025-10-04")
        page.locator("#u_sampul").set_input_files(str(photo))
        page.get_by_label("Keterangan foto sampul").fill("Uji")

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "Papan Admin berjalan" in proc.stdout.readline()
        fill_form()
        answered = []
        page.on("response", lambda r: answered.append(r.url) if r.request.method == "POST" else None)
        with page.expect_request(lambda r: r.method == "POST"):
            page.get_by_role("button", name="Simpan", exact=True).click(no_wait_after=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL      # the kill happened, with the save's request unanswered
        assert answered == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    _check_after_kill(repo, villages, git(repo, "status", "--porcelain", "--untracked-files=all"),
                      git(repo, "log", "-1", "--format=%s"))
    # Started again, a save goes through whole (its photo read in the bounded child process), and its commit
    # holds only its own files.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "Papan Admin berjalan" in proc.stdout.readline()
        page.context.clear_cookies()
        fill_form("Foto besar kedua")
        page.get_by_role("button", name="Simpan", exact=True).click()
        page.locator(".pesan-ok", has_text="Tersimpan").wait_for(timeout=60_000)
    finally:
        proc.kill()
        proc.wait()
    assert git(repo, "log", "-1", "--format=%an") == "dinas"
    assert set(git(repo, "show", "--name-only", "--format=", "HEAD").split()) <= {
        f"villages/{SLUG}/berita/2025-10-04-foto-besar-kedua.md", f"villages/{SLUG}/gambar/foto-besar.png"}
    assert "Sampul: gambar/foto-besar" in (villages / SLUG / "berita" / "2025-10-04-foto-besar-kedua.md").read_text()
    _check_after_kill(repo, villages, git(repo, "status", "--porcelain", "--untracked-files=all"), "Awal")


def _check_after_kill(repo, villages, status: str, head: str) -> None:
    from PIL import Image

    vdir = villages / SLUG
    # Nothing half-written anywhere in the village folder; either nothing changed or the complete files are there.
    assert not [p for p in vdir.rglob("*") if p.name.endswith(".baru")]
    for line in status.splitlines():
        path = repo / line[3:]
        assert line.startswith("?? ") or line.startswith(" M") or line.startswith("A "), line
        if path.suffix == ".png":
            with Image.open(path) as im:
                im.load()                                   # the whole image is there
        if path.suffix == ".md":
            assert "Sampul: gambar/foto-besar.png" in path.read_text()
            assert (vdir / "gambar" / "foto-besar.png").is_file()     # never a post pointing at a missing photo
    if head != "Awal":
        assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
            f"villages/{SLUG}/berita/2025-10-04-foto-besar.md", f"villages/{SLUG}/gambar/foto-besar.png"]


def test_amounts_are_grouped_as_typed_and_dates_come_from_a_calendar(kab, browser_ctx):
    base, *_ = kab
    page = browser_ctx().new_page()
    log_in(page, base, SRI, f"/desa/{SLUG}/apbdes/ubah/2025")
    cell = page.locator('input[name="c_0_anggaran"]')
    cell.fill("")
    cell.press_sequentially("7250000")
    assert cell.input_value() == "7.250.000"
    page.goto(f"{base}/desa/{SLUG}/berita/baru")
    page.get_by_label("Tanggal terbit").fill("2025-01-01 07:30")
    page.locator('input[type="date"][data-tanggal-untuk="f_date"]').fill("2025-11-20")
    assert page.get_by_label("Tanggal terbit").input_value() == "2025-11-20 07:30"
