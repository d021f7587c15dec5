"""Papan Admin without a browser: CSRF, paths, upload limits, metadata stripping, conflicts, atomic writes."""
from __future__ import annotations

import io
import os
import subprocess

import pytest

from tests.admin_helpers import SLUG, form_tokens, git, jpeg_with_gps, make_app, table_form, village_repo


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("admin")
    repo, villages, bare = village_repo(tmp)
    app = make_app(tmp, villages)
    return app, repo, villages, bare


@pytest.fixture
def client(setup):
    return setup[0].test_client()


def _post_new(client, data: dict, files: dict | None = None):
    page = client.get(f"/desa/{SLUG}/berita/baru")
    assert page.status_code == 200
    payload = {**form_tokens(page.text), "aksi": "simpan", **data}
    for name, (content, filename) in (files or {}).items():
        payload[name] = (io.BytesIO(content), filename)
    return client.post(f"/desa/{SLUG}/berita/baru", data=payload, content_type="multipart/form-data")


# ---------------------------------------------------------------- CSRF

def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(setup, client):
    _app, _repo, villages, _ = setup
    target = villages / SLUG / "berita" / "2025-08-01-tanpa-token.md"
    r = client.post(f"/desa/{SLUG}/berita/baru", data={"nama_berkas": "2025-08-01-tanpa-token", "f_title": "Judul",
                                                       "f_date": "2025-08-01", "aksi": "simpan"})
    assert r.status_code == 400
    assert "penanda keamanan" in r.text
    assert not target.exists()
    # A token from another session (a forged page) does not work either.
    other = setup[0].test_client()
    tok = form_tokens(other.get(f"/desa/{SLUG}/berita/baru").text)["csrf_token"]
    r = client.post(f"/desa/{SLUG}/berita/baru", data={"csrf_token": tok, "nama_berkas": "2025-08-01-tanpa-token",
                                                       "f_title": "Judul", "f_date": "2025-08-01", "aksi": "simpan"})
    assert r.status_code == 400 and not target.exists()
    # The live preview endpoint and the publish button are protected as well.
    assert client.post("/api/markdown", data={"isi": "x"}).status_code == 400
    assert client.post(f"/desa/{SLUG}/terbitkan", data={"nama": "A", "email": "a@b.id"}).status_code == 400


def test_with_the_token_the_same_post_is_written(setup, client):
    _app, _repo, villages, _ = setup
    r = _post_new(client, {"nama_berkas": "2025-08-02-dengan-token", "f_title": "Judul berita",
                           "f_date": "2025-08-02 07:30", "isi": "Isi **berita**."})
    assert r.status_code == 302, r.text
    text = (villages / SLUG / "berita" / "2025-08-02-dengan-token.md").read_text()
    assert text == "Title: Judul berita\nDate: 2025-08-02 07:30\n\nIsi **berita**.\n"


# ---------------------------------------------------------------- paths

@pytest.mark.parametrize("url", [
    "/desa/..%2F..%2Fetc/",
    "/desa/tidak-ada/",
    f"/desa/{SLUG}/berkas/..%2F..%2F..%2Fetc%2Fpasswd",
    f"/desa/{SLUG}/berkas/%2e%2e/%2e%2e/pelicanconf.py",
    f"/desa/{SLUG}/berkas/desa.md",                       # not an image or PDF
    f"/desa/{SLUG}/berita/ubah/..%2F..%2Fdesa",
    f"/desa/{SLUG}/berita/ubah/.hidden",
    f"/desa/{SLUG}/apbdes/ubah/..%2F2025",
    f"/desa/{SLUG}/tidak_ada_skema/",
    f"/pratinjau/{SLUG}/..%2F..%2F..%2Fpelicanconf.py",
])
def test_paths_outside_the_village_folder_are_refused(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert b"root:" not in r.data and b"PAPAN_" not in r.data


def test_inside_refuses_every_escape(tmp_path):
    from papan_desa.admin.files import OutsideVillage, inside

    v = tmp_path / "desa"
    (v / "gambar").mkdir(parents=True)
    (tmp_path / "rahasia.txt").write_text("x")
    os.symlink(tmp_path / "rahasia.txt", v / "gambar" / "tautan.jpg")
    assert inside(v, "gambar/foto.jpg") == (v / "gambar" / "foto.jpg").resolve()
    for bad in ["../rahasia.txt", "/etc/passwd", "gambar/../../rahasia.txt", "gambar/tautan.jpg", "%2e%2e/x",
                "..\\rahasia.txt", "", ".", "C:/x", "https://contoh.id/x.jpg", "a\x00b"]:
        with pytest.raises(OutsideVillage):
            inside(v, bad)


def test_an_uploaded_file_name_cannot_leave_the_folder(setup, client):
    _app, _repo, villages, _ = setup
    r = _post_new(client, {"nama_berkas": "2025-08-03-nama-jahat", "f_title": "Nama jahat", "f_date": "2025-08-03",
                           "f_sampul_keterangan": "Foto uji"},
                  files={"u_sampul": (jpeg_with_gps(), "../../../../tmp/jahat.jpg")})
    assert r.status_code == 302, r.text
    text = (villages / SLUG / "berita" / "2025-08-03-nama-jahat.md").read_text()
    assert "Sampul: gambar/jahat.jpg" in text
    assert (villages / SLUG / "gambar" / "jahat.jpg").is_file()
    assert not (villages.parent.parent / "tmp" / "jahat.jpg").exists()


# ---------------------------------------------------------------- uploads

def test_uploaded_photo_loses_its_exif_and_gps(setup, client):
    from PIL import Image

    _app, _repo, villages, _ = setup
    original = jpeg_with_gps()
    assert b"KameraMerekRahasia" in original
    r = _post_new(client, {"nama_berkas": "2025-08-04-foto-gps", "f_title": "Foto GPS", "f_date": "2025-08-04",
                           "f_sampul_keterangan": "Balai desa"},
                  files={"u_sampul": (original, "IMG_2025.JPG")})
    assert r.status_code == 302, r.text
    saved = villages / SLUG / "gambar" / "img-2025.jpg"
    data = saved.read_bytes()
    assert b"KameraMerekRahasia" not in data and b"PerangkatLunakRahasia" not in data
    with Image.open(saved) as im:
        assert dict(im.getexif()) == {}
        assert im.size == (64, 48)
    assert "Sampul: gambar/img-2025.jpg" in (villages / SLUG / "berita" / "2025-08-04-foto-gps.md").read_text()


@pytest.mark.parametrize("content,filename,expected", [
    (b"MZ\x90\x00", "foto.exe", "foto JPG, PNG atau WebP"),
    (b"<svg onload=alert(1)>", "foto.svg", "foto JPG, PNG atau WebP"),
    (b"<html>not a jpeg</html>", "foto.jpg", "bukan foto JPG, PNG atau WebP"),
    (b"", "kosong.jpg", "kosong"),
])
def test_uploads_of_the_wrong_type_are_refused_next_to_the_field(setup, client, content, filename, expected):
    _app, _repo, villages, _ = setup
    before = sorted(p.name for p in (villages / SLUG / "gambar").iterdir())
    r = _post_new(client, {"nama_berkas": "2025-08-05-tipe-salah", "f_title": "Tipe salah", "f_date": "2025-08-05",
                           "f_sampul_keterangan": "x"}, files={"u_sampul": (content, filename)})
    assert r.status_code == 422
    assert 'id="f_sampul-galat"' in r.text and expected in r.text
    assert not (villages / SLUG / "berita" / "2025-08-05-tipe-salah.md").exists()
    assert sorted(p.name for p in (villages / SLUG / "gambar").iterdir()) == before


def test_upload_size_limits(setup, client, monkeypatch):
    app, _repo, villages, _ = setup
    # The build's limits with the kabupaten's PAPAN_BATAS (guard.batas), as the app was given them.
    monkeypatch.setitem(app.extensions["papan"].limits, "gambar", 500)
    r = _post_new(client, {"nama_berkas": "2025-08-06-besar", "f_title": "Besar", "f_date": "2025-08-06",
                           "f_sampul_keterangan": "x"}, files={"u_sampul": (jpeg_with_gps(), "besar.jpg")})
    assert r.status_code == 422 and "terlalu besar" in r.text
    assert not (villages / SLUG / "berita" / "2025-08-06-besar.md").exists()
    # The whole request is limited too (Werkzeug stops reading), with an Indonesian page.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    r = _post_new(client, {"f_title": "x"}, files={"u_sampul": (b"\xff\xd8\xff" + b"0" * 5000, "a.jpg")})
    assert r.status_code == 413 and "terlalu besar" in r.text.lower()


def test_a_pdf_keeps_no_author(setup, client):
    from pypdf import PdfReader, PdfWriter

    _app, _repo, villages, _ = setup
    from fpdf import FPDF

    doc = FPDF()  # a page with text: a blank page would be held for review (nothing OCR can read)
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(0, 10, "Peraturan Desa Nomor 3 Tahun 2025 tentang Anggaran Pendapatan dan Belanja Desa")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(doc.output()))))
    w.add_metadata({"/Author": "Penulis Rahasia", "/Creator": "Aplikasi Rahasia"})
    buf = io.BytesIO()
    w.write(buf)
    page = client.get(f"/desa/{SLUG}/dokumen/")
    r = client.post(f"/desa/{SLUG}/dokumen/", data={**form_tokens(page.text), "nama": "Perdes 3 2025",
                                                    "berkas": (io.BytesIO(buf.getvalue()), "x.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 302, r.text
    saved = villages / SLUG / "dokumen" / "perdes-3-2025.pdf"
    assert b"Penulis Rahasia" not in saved.read_bytes()
    assert not (PdfReader(saved).metadata or {}).get("/Author")


# ---------------------------------------------------------------- errors next to the field

def test_a_bad_budget_cell_is_shown_in_its_cell_and_nothing_is_written(setup, client):
    _app, _repo, villages, _ = setup
    path = villages / SLUG / "apbdes" / "2025.csv"
    before = path.read_bytes()
    page = client.get(f"/desa/{SLUG}/apbdes/ubah/2025")
    import re
    data = table_form(page.text)
    data["c_1_anggaran"] = "satu juta"
    r = client.post(f"/desa/{SLUG}/apbdes/ubah/2025", data=data)
    assert r.status_code == 422
    cell = re.search(r'<td class="sel-galat">.*?</td>', r.text, re.S).group(0)
    assert 'name="c_1_anggaran"' in cell and "satu juta" in cell
    assert path.read_bytes() == before
    # The same table, corrected, is saved byte-identical (the writer keeps the file's form).
    data["c_1_anggaran"] = "1015150000"
    r = client.post(f"/desa/{SLUG}/apbdes/ubah/2025", data=data)
    assert r.status_code == 302, r.text
    assert path.read_bytes() == before


# ---------------------------------------------------------------- conflicts

def test_a_file_changed_on_disk_after_the_form_opened_is_not_overwritten(setup, client):
    _app, _repo, villages, _ = setup
    post = sorted((villages / SLUG / "berita").glob("2025-03-*.md"))[0]
    page = client.get(f"/desa/{SLUG}/berita/ubah/{post.stem}")
    tokens = form_tokens(page.text)
    edited_elsewhere = post.read_text().replace("Isi kabar", "Diubah di jendela lain: isi kabar")
    post.write_text(edited_elsewhere)
    r = client.post(f"/desa/{SLUG}/berita/ubah/{post.stem}",
                    data={**tokens, "f_title": "Judul dari formulir lama", "f_date": "2025-03-01 09:00",
                          "isi": "Isi dari formulir lama", "aksi": "simpan"})
    assert r.status_code == 409
    assert 'id="konflik"' in r.text and post.relative_to(villages / SLUG).as_posix() in r.text
    assert post.read_text() == edited_elsewhere


def test_a_deletion_asks_first_and_is_refused_when_the_file_changed(setup, client):
    _app, _repo, villages, _ = setup
    _post_new(client, {"nama_berkas": "2025-08-07-akan-dihapus", "f_title": "Akan dihapus", "f_date": "2025-08-07"})
    target = villages / SLUG / "berita" / "2025-08-07-akan-dihapus.md"
    # The list links to a confirmation page; only its form deletes.
    assert f'href="/desa/{SLUG}/berita/hapus/2025-08-07-akan-dihapus"' in client.get(f"/desa/{SLUG}/berita/").text
    confirm = client.get(f"/desa/{SLUG}/berita/hapus/2025-08-07-akan-dihapus")
    assert confirm.status_code == 200 and "Ya, hapus" in confirm.text and "Riwayat" in confirm.text
    assert target.exists()
    tokens = form_tokens(confirm.text)
    target.write_text(target.read_text() + "\nTambahan.\n")
    r = client.post(f"/desa/{SLUG}/berita/hapus/2025-08-07-akan-dihapus", data=tokens, follow_redirects=True)
    assert target.exists() and "Tidak ada yang dihapus" in r.text
    tokens = form_tokens(client.get(f"/desa/{SLUG}/berita/hapus/2025-08-07-akan-dihapus").text)
    assert client.post(f"/desa/{SLUG}/berita/hapus/2025-08-07-akan-dihapus", data=tokens).status_code == 302
    assert not target.exists()


def _author():
    return ("Operator Desa", "op@contoh.id")


def test_publish_refuses_when_upstream_changed_the_village(tmp_path):
    from papan_desa.admin import gitops

    repo, villages, bare = village_repo(tmp_path)
    vdir = villages / SLUG
    (vdir / "berita" / "baru.md").write_text("Title: Baru\nDate: 2025-09-01\n\nIsi.\n")
    seen = gitops.snapshot(repo, vdir)
    # Someone at the kabupaten edits the same village and pushes.
    other = tmp_path / "lain"
    subprocess.run(["git", "clone", "-q", str(bare), str(other)], check=True)
    (other / "villages" / SLUG / "desa.md").write_text(
        (other / "villages" / SLUG / "desa.md").read_text().replace("Sri Lestari", "Budi Santoso"))
    git(other, "commit", "-qam", "Kepala desa baru")
    git(other, "push", "-q")
    remote_before = git(bare, "rev-parse", "main")
    with pytest.raises(gitops.Conflict) as exc:
        gitops.publish(repo, vdir, "Kaligowong", _author(), seen)
    assert "desa.md" in exc.value.files
    assert git(bare, "rev-parse", "main") == remote_before
    assert "Sri Lestari" in (vdir / "desa.md").read_text()
    assert (vdir / "berita" / "baru.md").is_file()


def test_publish_refuses_when_the_files_changed_after_the_page_opened_and_says_saved_without_a_remote(tmp_path):
    from papan_desa.admin import gitops

    repo, villages, _ = village_repo(tmp_path, remote=False)
    vdir = villages / SLUG
    (vdir / "berita" / "satu.md").write_text("Title: Satu\nDate: 2025-09-01\n\nIsi.\n")
    seen = gitops.snapshot(repo, vdir)
    (vdir / "berita" / "dua.md").write_text("Title: Dua\nDate: 2025-09-02\n\nIsi.\n")
    with pytest.raises(gitops.Conflict):
        gitops.publish(repo, vdir, "Kaligowong", _author(), seen)
    assert git(repo, "log", "--format=%s") == "Awal"
    # Opened again: both files are recorded under the operator's name, and the answer says it is not published.
    res = gitops.publish(repo, vdir, "Kaligowong", _author(), gitops.snapshot(repo, vdir))
    assert res.status == "tersimpan" and "belum terbit" in res.message and "git" not in res.message.lower()
    assert git(repo, "log", "-1", "--format=%an <%ae>|%s") == \
        "Operator Desa <op@contoh.id>|Desa Kaligowong: perbarui berita"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "villages/kaligowong/berita/dua.md", "villages/kaligowong/berita/satu.md"]


def test_publish_sends_only_this_village_on_top_of_the_kabupaten_history(tmp_path):
    from papan_desa.admin import gitops

    repo, villages, bare = village_repo(tmp_path)
    vdir = villages / SLUG
    # Another village on the same server saved something that its operator has not published.
    other_village = villages / "lain-desa"
    other_village.mkdir()
    (other_village / "catatan.md").write_text("belum terbit\n")
    gitops.commit_paths(repo, ["villages/lain-desa/catatan.md"], ("Operator Lain", "lain@contoh.id"), "Desa Lain")
    (vdir / "berita" / "baru.md").write_text("Title: Baru\nDate: 2025-09-01\n\nIsi.\n")
    gitops.commit_paths(repo, ["villages/kaligowong/berita/baru.md"], _author(), "Desa Kaligowong: ubah berita")
    clone = tmp_path / "lain"
    subprocess.run(["git", "clone", "-q", str(bare), str(clone)], check=True)
    (clone / "README.md").write_text("kabupaten\n")
    git(clone, "add", "README.md")
    git(clone, "commit", "-qm", "Catatan kabupaten")
    git(clone, "push", "-q")
    res = gitops.publish(repo, vdir, "Kaligowong", _author(), gitops.snapshot(repo, vdir), "https://situs/kaligowong/")
    assert res.status == "terbit", res.message
    assert res.link == "https://situs/kaligowong/"
    log = git(bare, "log", "--format=%an|%s", "main").splitlines()
    assert log == ["Operator Desa|Desa Kaligowong: perbarui berita", "Petugas Kabupaten|Catatan kabupaten",
                   "Petugas Kabupaten|Awal"]
    files = git(bare, "show", "--name-only", "--format=", "main").split()
    assert files == ["villages/kaligowong/berita/baru.md"]
    assert "lain-desa" not in git(bare, "ls-tree", "-r", "--name-only", "main")
    # Published again with nothing new: said so.
    again = gitops.publish(repo, vdir, "Kaligowong", _author(), gitops.snapshot(repo, vdir))
    assert again.status == "sudah"


# ---------------------------------------------------------------- atomic writes

def test_atomic_write_replaces_in_one_step_and_leaves_nothing_on_failure(tmp_path, monkeypatch):
    from papan_desa.admin import files

    target = tmp_path / "desa.md"
    target.write_text("lama\n")
    files.atomic_write(target, b"baru\n")
    assert target.read_text() == "baru\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desa.md"]

    def broken(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(OSError):
        files.atomic_write(target, b"setengah")
    assert target.read_text() == "baru\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desa.md"]


def test_checking_an_edit_never_touches_the_real_files(setup):
    app, _repo, villages, _ = setup
    checker = app.extensions["papan_checker"]
    desa_md = villages / SLUG / "desa.md"
    before = desa_md.read_bytes()
    res = checker.check(SLUG, {"desa.md": b"Nama: Kaligowong\n\nrusak\n"})
    assert not res.ok
    assert any("kunci wajib" in p.message for p in res.blocking)
    assert desa_md.read_bytes() == before


# ---------------------------------------------------------------- who may connect

def test_without_accounts_only_this_computer_is_answered(setup):
    from papan_desa.admin.app import is_loopback

    plain = setup[0].test_client()
    # A page of another site cannot rebind DNS to it.
    assert plain.get("/", headers={"Host": "jahat.example:8765"}).status_code == 403
    assert plain.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_saves_published_twice_and_another_villages_save_kept_back(tmp_path):
    from papan_desa.admin import gitops

    repo, villages, bare = village_repo(tmp_path)
    vdir = villages / SLUG
    other = villages / "lain-desa"
    other.mkdir()
    (other / "catatan.md").write_text("belum terbit\n")
    gitops.commit_paths(repo, ["villages/lain-desa/catatan.md"], ("Operator Lain", "lain@contoh.id"), "Desa Lain")
    for n in (1, 2):
        (vdir / "berita" / f"baru-{n}.md").write_text(f"Title: Baru {n}\nDate: 2025-09-0{n}\n\nIsi.\n")
        gitops.commit_paths(repo, [f"villages/kaligowong/berita/baru-{n}.md"], _author(), f"simpan {n}")
        assert [e.subject for e in gitops.unpublished(repo, vdir)] == [f"simpan {n}"]
        res = gitops.publish(repo, vdir, "Kaligowong", _author(), gitops.snapshot(repo, vdir))
        assert res.status == "terbit", res.message
        assert gitops.unpublished(repo, vdir) == []
    assert git(bare, "log", "--format=%s", "main").splitlines()[:2] == [
        "Desa Kaligowong: perbarui berita", "Desa Kaligowong: perbarui berita"]
    assert "lain-desa" not in git(bare, "ls-tree", "-r", "--name-only", "main")
    assert res.message.startswith("Terbit: 1 perubahan")
