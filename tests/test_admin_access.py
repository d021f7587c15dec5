"""Papan Admin as the kabupaten's server, without a browser: accounts, login, throttling, per-village
isolation on every route of app.url_map, audit and undo, control characters, comfort details."""
from __future__ import annotations

import io
import re
import stat
import subprocess
import sys

import pytest

from tests.admin_helpers import (OTHER, SLUG, add_account, form_tokens, git, jpeg_with_gps, login, make_app,
                                 siskeudes_report, table_form, village_repo)
from tests.support import ROOT

PASSWORD = "sandi-desa-kaligowong-1"
KAB_PASSWORD = "sandi-kabupaten-wonosobo-9"


@pytest.fixture
def server(tmp_path):
    repo, villages, bare = village_repo(tmp_path, others=(OTHER,))
    app = make_app(tmp_path, villages, public=True)
    add_account(app, "sri", PASSWORD, desa=[SLUG])
    add_account(app, "dinas", KAB_PASSWORD, kabupaten=True)
    return app, repo, villages, bare


def _tree(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- accounts

def test_accounts_are_argon2_hashes_in_a_private_file(tmp_path):
    from papan_desa.admin.accounts import AccountError, AccountStore

    store = AccountStore(tmp_path / "akun" / "pengguna.json")
    acc = store.add("sri", PASSWORD, desa=[SLUG])
    text = store.path.read_text()
    assert PASSWORD not in text and acc.hash.startswith("$argon2id$") and acc.hash in text
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.verify("sri", PASSWORD) is not None
    assert store.verify("sri", PASSWORD + "x") is None and store.verify("tidak-ada", PASSWORD) is None
    with pytest.raises(AccountError, match="paling sedikit 10"):
        store.add("budi", "pendek", desa=[SLUG])
    with pytest.raises(AccountError, match="--desa"):
        store.add("budi", PASSWORD)
    generation = acc.generation
    store.set_password("sri", PASSWORD + "-baru")
    assert store.get("sri").generation != generation


def test_the_command_line_reads_the_password_from_stdin(tmp_path):
    path = tmp_path / "akun" / "pengguna.json"
    papan = [sys.executable, str(ROOT / "scripts" / "papan"), "admin", "--pengguna", str(path), "pengguna"]

    def run(*args, stdin=""):
        return subprocess.run([*papan, *args], input=stdin, capture_output=True, text=True)

    r = run("tambah", "sri", "--desa", SLUG, "--desa", OTHER, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert run("tambah", "dinas", "--kabupaten", stdin=KAB_PASSWORD + "\n").returncode == 0
    listed = run("daftar").stdout
    assert f"sri\tdesa {SLUG}, {OTHER}" in listed and "dinas\tkabupaten" in listed
    assert PASSWORD not in path.read_text()
    bad = run("tambah", "budi", "--desa", SLUG, stdin="pendek\n")
    assert bad.returncode == 1 and "paling sedikit 10 karakter" in bad.stderr
    assert run("ganti-sandi", "sri", stdin=PASSWORD + "-2\n").returncode == 0
    assert run("hapus", "sri").returncode == 0
    assert "sri" not in run("daftar").stdout
    # An accounts file that git could pick up is refused.
    inside = ROOT / "villages" / "pengguna-uji.json"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "papan"), "admin", "--pengguna", str(inside),
                        "pengguna", "daftar"], capture_output=True, text=True)
    assert r.returncode == 2 and "repositori git" in r.stderr and not inside.exists()


def test_the_server_mode_will_not_start_without_a_kabupaten_account(tmp_path):
    from papan_desa.admin import main_admin

    assert main_admin(["--server", "--pengguna", str(tmp_path / "kosong.json"), "--port", "1"]) == 2


# ---------------------------------------------------------------- login, logout, sessions

def test_login_logout_and_a_changed_password_ends_the_session(server):
    app, *_ = server
    c = app.test_client()
    r = c.get(f"/desa/{SLUG}/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/masuk?lanjut=")
    assert login(c, "sri", "salah-sandi-nya").status_code == 401
    r = login(c, "sri", PASSWORD)
    assert r.status_code == 302 and r.headers["Location"] == f"/desa/{SLUG}/"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie
    assert c.get(f"/desa/{SLUG}/").status_code == 200
    # Behind HTTPS the cookie is Secure.
    https = app.test_client()
    page = https.get("/masuk", base_url="https://admin.contoh.id")
    r = https.post("/masuk", base_url="https://admin.contoh.id", headers={"Referer": "https://admin.contoh.id/masuk"},
                   data={**form_tokens(page.text), "nama": "sri", "sandi": PASSWORD})
    assert "Secure" in r.headers["Set-Cookie"]
    # Logging out ends it.
    tokens = form_tokens(c.get(f"/desa/{SLUG}/").text)
    assert c.post("/keluar", data=tokens).status_code == 302
    assert c.get(f"/desa/{SLUG}/").status_code == 302
    # A password change ends every session opened before it.
    login(c, "sri", PASSWORD)
    assert c.get(f"/desa/{SLUG}/").status_code == 200
    app.extensions["papan"].accounts.set_password("sri", PASSWORD + "-baru")
    assert c.get(f"/desa/{SLUG}/").status_code == 302


def test_an_expired_session_loses_nothing_and_says_so(server, monkeypatch):
    from papan_desa.admin import access

    app, _repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    page = c.get(f"/desa/{SLUG}/berita/baru")
    monkeypatch.setattr(access, "SESSION_HOURS", 0)
    r = c.post(f"/desa/{SLUG}/berita/baru", data={**form_tokens(page.text), "f_title": "Terlambat",
                                                  "f_date": "2025-09-09", "aksi": "simpan"})
    assert r.status_code == 401 and "Sesi Anda berakhir" in r.text and "tidak ada yang disimpan" in r.text
    assert not any("terlambat" in p.name for p in (villages / SLUG / "berita").iterdir())


def test_wrong_passwords_are_throttled_per_account_and_per_address(server):
    from papan_desa.admin.throttle import Throttle

    app, *_ = server
    c = app.test_client()
    for _ in range(5):
        assert login(c, "sri", "salah-sandi-nya").status_code == 401
    r = login(c, "sri", PASSWORD)          # even the right password waits now
    assert r.status_code == 429 and re.search(r"Coba lagi dalam \d+ menit", r.text)
    assert int(r.headers["Retry-After"]) > 0
    # Another account from another address is not held up by it.
    other = app.test_client()
    assert login(other, "dinas", KAB_PASSWORD).status_code == 302
    # Per address: many names from one address.
    t = Throttle(per_account=5, per_address=20, window=900, clock=lambda: 1000.0)
    for i in range(20):
        t.failed(f"nama{i}", "10.0.0.9")
    assert t.wait("nama-baru", "10.0.0.9") == 900 and t.wait("nama-baru", "10.0.0.10") == 0


# ---------------------------------------------------------------- one access check for every route

def _url_for_rule(rule, slug):
    values = {"slug": slug, "kind": "berita", "item": "2025-03-01-kabar-01", "path": "kaligowong/",
              "rel": "gambar/x.jpg", "commit": "0" * 40, "token": "0" * 32, "nama": "sri"}
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+:)?{arg}>", values[arg], url)
    return url


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_route_asks_to_log_in(server):
    app, *_ = server
    c = app.test_client()
    seen = 0
    for rule in _rules(app):
        if rule.endpoint == "masuk.masuk":
            continue
        url = _url_for_rule(rule, SLUG)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            r = c.open(url, method=method)
            assert r.status_code in (302, 401), (method, url, r.status_code)
            if method == "GET":
                assert r.headers["Location"].startswith("/masuk")
            seen += 1
    assert seen >= 20


def test_every_route_of_another_village_is_refused_and_changes_nothing(server):
    app, repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    tokens = form_tokens(c.get(f"/desa/{SLUG}/").text)
    before, head = _tree(villages / OTHER), git(repo, "rev-parse", "HEAD")
    village_rules = [r for r in _rules(app) if "slug" in r.arguments]
    assert {r.endpoint for r in village_rules} >= {
        "desa.desa", "desa.daftar", "desa.ubah", "desa.ubah_item", "desa.baru", "desa.hapus", "desa.berkas",
        "desa.riwayat", "desa.pulihkan", "apbdes.impor", "apbdes.simpan_impor", "dokumen.dokumen",
        "terbit.pratinjau_bangun", "terbit.pratinjau", "terbit.terbitkan"}
    for rule in village_rules:
        url = _url_for_rule(rule, OTHER)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {**tokens, "f_title": "Diubah dari desa lain", "f_date": "2025-09-01", "aksi": "simpan",
                    "isi": "x", "baris": "1", "c_0_kode": "4", "nama_berkas": "2025-09-01-serangan"}
            r = c.open(url, method=method, data=data if method == "POST" else None)
            assert r.status_code == 403, (method, url, r.status_code)
            assert "bukan operator desa ini" in r.text
    assert _tree(villages / OTHER) == before and git(repo, "rev-parse", "HEAD") == head
    # The operator's own village opens; the kabupaten's pages do not.
    assert c.get(f"/desa/{SLUG}/").status_code == 200
    assert c.get("/pengguna/").status_code == 403
    assert OTHER not in c.get("/").text
    # The kabupaten account opens both villages and the accounts page.
    k = app.test_client()
    login(k, "dinas", KAB_PASSWORD)
    assert k.get(f"/desa/{OTHER}/").status_code == 200 and k.get("/pengguna/").status_code == 200


# ---------------------------------------------------------------- audit, undo, control characters

def _post_new(c, data, files=None):
    page = c.get(f"/desa/{SLUG}/berita/baru")
    payload = {**form_tokens(page.text), "aksi": "simpan", **data}
    for name, (content, filename) in (files or {}).items():
        payload[name] = (io.BytesIO(content), filename)
    return c.post(f"/desa/{SLUG}/berita/baru", data=payload, content_type="multipart/form-data")


def test_each_save_is_a_commit_by_the_account_and_a_delete_is_undone_from_riwayat(server):
    app, repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    r = _post_new(c, {"f_title": "Posyandu lansia", "f_date": "2025-09-03", "isi": "Isi."})
    assert r.status_code == 302, r.text
    target = villages / SLUG / "berita" / "2025-09-03-posyandu-lansia.md"
    assert git(repo, "log", "-1", "--format=%an|%cn|%s") == \
        "sri|Papan Admin|Desa Kaligowong: tambah berita/2025-09-03-posyandu-lansia.md"
    text = target.read_text()
    confirm = c.get(f"/desa/{SLUG}/berita/hapus/2025-09-03-posyandu-lansia")
    assert c.post(f"/desa/{SLUG}/berita/hapus/2025-09-03-posyandu-lansia",
                  data=form_tokens(confirm.text)).status_code == 302
    assert not target.exists()
    page = c.get(f"/desa/{SLUG}/riwayat")
    assert "hapus berita/2025-09-03-posyandu-lansia.md" in page.text and "sri" in page.text
    sha = git(repo, "rev-parse", "HEAD")
    r = c.post(f"/desa/{SLUG}/riwayat/{sha}/pulihkan", data=form_tokens(page.text), follow_redirects=True)
    assert "Dipulihkan" in r.text
    assert target.read_text() == text
    assert git(repo, "log", "-1", "--format=%an|%s").startswith("sri|Desa Kaligowong: pulihkan versi sebelum")
    assert git(repo, "status", "--porcelain") == ""


def test_control_characters_are_normalised_or_refused_with_the_field_named(server):
    app, _repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    r = _post_new(c, {"f_title": "Rapat\x0bdesa", "f_date": "2025-09-04", "isi": "Baris satu\x0bbaris dua\x0cdan tiga"})
    assert r.status_code == 302, r.text
    text = (villages / SLUG / "berita" / "2025-09-04-rapat-desa.md").read_text()
    assert "\x0b" not in text and "\x0c" not in text
    assert "Title: Rapat desa" in text and "Baris satu\nbaris dua\ndan tiga" in text
    r = _post_new(c, {"f_title": "Bel\x07berbunyi", "f_date": "2025-09-05", "isi": "x"})
    assert r.status_code == 422
    assert 'id="f_title-galat"' in r.text and "Judul: ada karakter kendali tak terlihat (U+0007)" in r.text
    assert not any("bel" in p.name for p in (villages / SLUG / "berita").iterdir())


def test_a_wrong_date_never_freezes_the_name_and_never_drops_the_photo(server):
    app, repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    # A date that is not a date: refused at its field; the photo chosen with it is kept for the next try.
    r = _post_new(c, {"f_title": "Panen raya", "f_date": "2025-13-45", "f_sampul_keterangan": "Sawah"},
                  files={"u_sampul": (jpeg_with_gps(), "panen.jpg")})
    assert r.status_code == 422 and 'id="f_date-galat"' in r.text
    kept = re.search(r'name="u_sampul_simpanan" value="([0-9a-f]{32})"', r.text).group(1)
    assert "Sudah diterima: gambar/panen.jpg" in r.text
    assert not (villages / SLUG / "gambar" / "panen.jpg").exists()
    r = c.post(f"/desa/{SLUG}/berita/baru", data={**form_tokens(r.text), "aksi": "simpan", "f_title": "Panen raya",
                                                  "f_date": "2025-03-15", "f_sampul_keterangan": "Sawah",
                                                  "u_sampul_simpanan": kept})
    assert r.status_code == 302, r.text
    post = villages / SLUG / "berita" / "2025-03-15-panen-raya.md"
    assert "Sampul: gambar/panen.jpg" in post.read_text() and (villages / SLUG / "gambar" / "panen.jpg").is_file()
    assert list((app.extensions["papan"].work / "unggahan" / SLUG).iterdir()) == []   # the kept copy is gone
    # A typo in a date that was accepted (the wrong month) is corrected: the name follows the date.
    page = c.get(f"/desa/{SLUG}/berita/ubah/2025-03-15-panen-raya")
    r = c.post(f"/desa/{SLUG}/berita/ubah/2025-03-15-panen-raya",
               data={**form_tokens(page.text), "aksi": "simpan", "f_title": "Panen raya", "f_date": "2025-04-15",
                     "f_sampul": "gambar/panen.jpg", "f_sampul_keterangan": "Sawah"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/berita/ubah/2025-04-15-panen-raya")
    assert not post.exists() and (villages / SLUG / "berita" / "2025-04-15-panen-raya.md").is_file()
    assert git(repo, "status", "--porcelain") == ""


def test_a_new_budget_year_starts_from_last_year_and_takes_any_number_of_rows(server):
    app, _repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    page = c.get(f"/desa/{SLUG}/apbdes/baru")
    assert "Baris-baris diambil dari tahun 2025" in page.text
    rows = int(re.search(r'name="baris" value="(\d+)"', page.text).group(1))
    data = dict(re.findall(r'name="(c_\d+_[a-z_]+)" id="[^"]+" value="([^"]*)"', page.text))
    assert data["c_0_kode"] and data["c_0_anggaran"] == ""
    # More empty rows on request, keeping what was typed.
    r = c.post(f"/desa/{SLUG}/apbdes/baru", data={**form_tokens(page.text), **data, "baris": str(rows),
                                                  "nama_berkas": "2026", "aksi": "tambah_baris"})
    more = int(re.search(r'name="baris" value="(\d+)"', r.text).group(1))
    assert more >= rows + 10 and not (villages / SLUG / "apbdes" / "2026.csv").exists()


# ---------------------------------------------------------------- the import, previewed then saved

def test_an_import_is_previewed_then_saved_and_published_with_one_button(server):
    app, repo, villages, bare = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    report = siskeudes_report()
    page = c.get(f"/desa/{SLUG}/")
    before = (villages / SLUG / "apbdes" / "2025.csv").read_bytes()
    r = c.post(f"/desa/{SLUG}/apbdes/impor", data={**form_tokens(page.text),
                                                  "laporan": (io.BytesIO(report), "realisasi.csv")},
               content_type="multipart/form-data")
    assert r.status_code == 200, r.text
    assert "Belum ada yang disimpan" in r.text and 'id="jumlah-impor"' in r.text and "1.515.000.000" in r.text
    assert (villages / SLUG / "apbdes" / "2025.csv").read_bytes() == before
    action = re.search(r'action="(/desa/kaligowong/apbdes/impor/[0-9a-f]{32})"', r.text).group(1)
    r = c.post(action, data={**form_tokens(r.text), "aksi": "terbitkan"})
    assert r.status_code == 200 and 'data-status="terbit"' in r.text, r.text
    assert "4.2.1.01,,Dana Desa,1000000000,,600000000,DDS" in (villages / SLUG / "apbdes" / "2025.csv").read_text()
    assert git(bare, "log", "-1", "--format=%an", "main") == "sri"
    # A file of the wrong type is refused in Indonesian, nothing written.
    r = c.post(f"/desa/{SLUG}/apbdes/impor", data={**form_tokens(page.text),
                                                  "laporan": (io.BytesIO(b"MZ\x90\x00"), "laporan.exe")},
               content_type="multipart/form-data")
    assert r.status_code == 422 and "laporan Siskeudes atau ekspor OpenSID" in r.text


def test_an_error_in_a_long_table_names_row_and_column_and_is_focused(server):
    app, _repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    page = c.get(f"/desa/{SLUG}/apbdes/ubah/2025")
    data = table_form(page.text)
    data["c_2_anggaran"] = "dua juta"
    r = c.post(f"/desa/{SLUG}/apbdes/ubah/2025", data={**data, "aksi": "simpan"})
    assert r.status_code == 422
    summary = re.search(r'<section class="kotak galat" role="alert" id="galat-umum">(.*?)</section>', r.text, re.S)
    assert '<a href="#c_2_anggaran">Baris 3, kolom Anggaran (awal):' in summary.group(1)
    assert re.search(r'<input type="text" name="c_2_anggaran"[^>]*autofocus>', r.text)


def test_a_form_posted_twice_is_saved_once(server):
    app, repo, villages, _ = server
    c = app.test_client()
    login(c, "sri", PASSWORD)
    post = villages / SLUG / "berita" / "2025-03-01-kabar-01.md"
    page = c.get(f"/desa/{SLUG}/berita/ubah/{post.stem}")
    data = {**form_tokens(page.text), "aksi": "simpan", "f_title": "Dikirim dua kali", "f_date": "2025-03-01 09:00",
            "isi": "Isi."}
    commits = git(repo, "rev-list", "--count", "HEAD")
    assert c.post(f"/desa/{SLUG}/berita/ubah/{post.stem}", data=data).status_code == 302
    r = c.post(f"/desa/{SLUG}/berita/ubah/{post.stem}", data=data, follow_redirects=True)
    assert r.status_code == 200 and "Tersimpan" in r.text
    assert int(git(repo, "rev-list", "--count", "HEAD")) == int(commits) + 1


def test_once_an_account_exists_the_local_mode_asks_to_log_in_too(tmp_path):
    _repo, villages, _ = village_repo(tmp_path, remote=False)
    app = make_app(tmp_path, villages)
    c = app.test_client()
    assert c.get(f"/desa/{SLUG}/").status_code == 200          # one person at this computer, no accounts
    add_account(app, "sri", PASSWORD, desa=[SLUG])
    assert c.get(f"/desa/{SLUG}/").status_code == 302
    login(c, "sri", PASSWORD)
    assert c.get(f"/desa/{SLUG}/").status_code == 200


def test_the_build_refuses_control_characters_with_the_forms_rule(tmp_path):
    from papan_desa.admin.files import clean_control
    from papan_desa.markdown_meta import control_message, parse_markdown
    from papan_desa.problems import Problems

    post = tmp_path / "berita.md"
    post.write_text("Title: Rapat\x0bdesa\nDate: 2025-01-02\n\nIsi\x07baris\n")
    problems = Problems(root=tmp_path)
    parse_markdown(post, problems)
    assert [str(p) for p in problems.errors] == [
        f"berita.md:1:13: galat: {control_message(chr(11))}", f"berita.md:4:4: galat: {control_message(chr(7))}"]
    # The form turns a pasted line break into a real one and refuses the rest with the same words.
    assert clean_control("Rapat\x0bdesa", "Judul") == ("Rapat\ndesa", "")
    assert clean_control("Isi\x07baris", "Isi")[1] == f"Isi: {control_message(chr(7))} (posisi 4)"


def test_uploads_follow_the_kabupatens_papan_batas(tmp_path):
    from papan_desa.admin import create_app
    from papan_desa.admin.app import max_request

    _repo, villages, _ = village_repo(tmp_path, remote=False)
    settings = tmp_path / "pelicanconf.py"
    paths = {"PATH": "content", "THEME": "theme", "PAPAN_REGISTRY": "data/wonosobo-wilayah-2025.csv"}
    settings.write_text((ROOT / "pelicanconf.py").read_text() + "\nPAPAN_BATAS = {'gambar': 2 * 1024 * 1024}\n"
                        + "".join(f"{k} = {str(ROOT / v)!r}\n" for k, v in paths.items())
                        + f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n")
    app = create_app(ROOT, villages, settings_file=settings, work_dir=tmp_path / "kerja",
                     accounts=tmp_path / "akun.json", testing=True)
    limits = app.extensions["papan"].limits
    assert limits["gambar"] == 2 * 1024 * 1024 and app.config["MAX_CONTENT_LENGTH"] == max_request(limits)
    assert app.extensions["papan"].checker.limits == limits      # the guard's check of a form too
    c = app.test_client()
    page = c.get(f"/desa/{SLUG}/berita/baru")
    big = b"\xff\xd8\xff" + b"0" * (3 * 1024 * 1024)
    r = c.post(f"/desa/{SLUG}/berita/baru", content_type="multipart/form-data",
               data={**form_tokens(page.text), "aksi": "simpan", "f_title": "Besar", "f_date": "2025-09-09",
                     "u_sampul": (io.BytesIO(big), "besar.jpg")})
    assert r.status_code == 422
    assert "berkas terlalu besar; diharapkan paling besar 2,0 MB" in r.text


def test_the_kabupaten_manages_accounts_in_the_browser_form(server):
    app, *_ = server
    k = app.test_client()
    login(k, "dinas", KAB_PASSWORD)
    page = k.get("/pengguna/")
    assert "sri" in page.text and "desa kaligowong" in page.text
    r = k.post("/pengguna/", data={**form_tokens(page.text), "nama": "wati", "sandi": "pendek", "desa": [OTHER]})
    assert r.status_code == 422 and "paling sedikit 10 karakter" in r.text
    r = k.post("/pengguna/", data={**form_tokens(page.text), "nama": "wati", "sandi": "sandi-wati-sumbersari",
                                   "desa": [OTHER]})
    assert r.status_code == 302
    w = app.test_client()
    assert login(w, "wati", "sandi-wati-sumbersari").headers["Location"] == f"/desa/{OTHER}/"
    assert w.get(f"/desa/{OTHER}/").status_code == 200
    k.post("/pengguna/wati/hapus", data=form_tokens(k.get("/pengguna/").text))
    assert app.extensions["papan"].accounts.get("wati") is None
    assert w.get(f"/desa/{OTHER}/").status_code == 302          # her session ended with the account
