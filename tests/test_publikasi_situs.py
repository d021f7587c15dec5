"""Whole-site builds with publications: Atom feed, the notice banner on every page, sanitised posts,
photos and documents in the output, and a broken notice withheld while its village publishes."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from papan_desa.publikasi.pelican_hooks import connect
from tests.support import build_site, fixture_village

pytestmark = pytest.mark.slow
SITE = "https://desa.contoh.id"
WIB = dt.timezone(dt.timedelta(hours=7))


def _village(parent: Path, slug: str) -> Path:
    v = fixture_village(parent, slug, news=2)
    (v / "gambar").mkdir()
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (7.0, 21.0, 36.0), 3: "E", 4: (109.0, 54.0, 12.0)}
    Image.new("RGB", (1600, 1200), (100, 150, 90)).save(v / "gambar" / "balai.jpg", "JPEG", exif=exif)
    (v / "berita" / "2025-04-01-foto.md").write_text(
        "Title: Kerja bakti & gotong royong\nDate: 2025-04-01 07:30\nAuthor: Operator\nCategory: Kegiatan Warga\n"
        "Slug: kerja-bakti\nSummary: Ringkas *saja*\nSampul: gambar/balai.jpg\n"
        "Sampul_keterangan: Balai desa\n\nWarga bekerja. <script>alert('x')</script>\n\n"
        "<img src=x onerror=alert(1)>\n\n![Jalan](gambar/balai.jpg)\n\n[Perdes](dokumen/perdes-2-2025.pdf)\n",
        encoding="utf-8")
    (v / "pengumuman").mkdir()
    notice = ("Judul: {judul}\nJenis: pemadaman air\nMulai: {mulai}\nSelesai: {selesai}\nBahaya: Pipa induk diperbaiki\n"
              "Terdampak: Dusun Krajan\nTindakan: Tampung air\nPenanggung_jawab: BP SPAM desa\n")
    (v / "pengumuman" / "air.md").write_text(notice.format(judul="Air mati Agustus", mulai="2025-08-10",
                                                           selesai="2025-08-11"))
    (v / "pengumuman" / "lama.md").write_text(notice.format(judul="Air mati Januari", mulai="2025-01-10",
                                                            selesai="2025-01-11"))
    (v / "dokumen").mkdir()
    from papan_desa.publikasi.demo import tiny_pdf
    (v / "dokumen" / "perdes-2-2025.pdf").write_bytes(tiny_pdf(["Perdes 2/2025"]))
    (v / "produk-hukum.csv").write_text("jenis,nomor,tahun,tanggal,tentang,status,berkas\n"
                                        "Perdes,2,2025,2025-01-08,APB Desa 2025,berlaku,dokumen/perdes-2-2025.pdf\n")
    return v


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # Until pelican_plugin.register() calls it, connect the sanitising hook here (idempotent).
    connect()
    top = tmp_path_factory.mktemp("publikasi")
    villages = top / "villages"
    good = _village(villages, "kaligowong")
    bad = _village(villages, "jogoyitnan")
    (bad / "pengumuman" / "air.md").write_text((bad / "pengumuman" / "air.md").read_text()
                                               .replace("Selesai: 2025-08-11", "Selesai: 2025-08-01"))
    report = build_site(villages, top / "out", top / "cache", siteurl=SITE)
    return top / "out", report, good


def test_broken_notice_is_withheld_with_its_line_and_the_village_publishes(site):
    out, report, _ = site
    assert report.built == ["jogoyitnan", "kaligowong"] and not report.failed
    assert [str(p).split("/villages/")[-1] for p in report.withheld["jogoyitnan"]] == [
        "jogoyitnan/pengumuman/air.md:4:10: galat: tanggal selesai (2025-08-01) sebelum tanggal mulai "
        "(2025-08-10, baris 3); diharapkan tanggal yang sama atau sesudahnya"]
    assert report.withheld_files["jogoyitnan"] == {"pengumuman/air.md": None}
    notices = (out / "jogoyitnan" / "pengumuman" / "index.html").read_text(encoding="utf-8")
    assert "Air mati Januari" in notices and "Air mati Agustus" not in notices
    assert (out / "jogoyitnan" / "berita" / "kerja-bakti" / "index.html").is_file()


def test_atom_feed_parses_with_dates_and_absolute_links(site):
    out, _, _ = site
    feed = feedparser.parse((out / "kaligowong" / "berita" / "atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    got = [(e.title, e.link, dt.datetime(*e.published_parsed[:6], tzinfo=dt.timezone.utc).astimezone(WIB))
           for e in feed.entries]
    assert got == [
        ("Kerja bakti & gotong royong", f"{SITE}/kaligowong/berita/kerja-bakti/", dt.datetime(2025, 4, 1, 7, 30, tzinfo=WIB)),
        ("Kabar desa nomor 2", f"{SITE}/kaligowong/berita/2025-03-02-kabar-02/", dt.datetime(2025, 3, 2, 9, 0, tzinfo=WIB)),
        ("Kabar desa nomor 1", f"{SITE}/kaligowong/berita/2025-03-01-kabar-01/", dt.datetime(2025, 3, 1, 9, 0, tzinfo=WIB)),
    ]
    content = feed.entries[0].content[0].value if "content" in feed.entries[0] else feed.entries[0].summary
    assert f'src="{SITE}/kaligowong/gambar/olah/gambar-balai-' in content
    assert "<script" not in content and "alert" not in content


def test_post_is_sanitised_with_cover_picture_and_document_link(site):
    out, _, _ = site
    html = (out / "kaligowong" / "berita" / "kerja-bakti" / "index.html").read_text()
    assert "<script" not in html and "onerror" not in html
    assert '<figure class="foto sampul"><picture><source type="image/webp"' in html
    assert 'alt="Balai desa" loading="lazy"' in html
    assert f'<a href="{SITE}/kaligowong/dokumen/perdes-2-2025.pdf">Perdes</a>' in html
    # The processed photo exists, is small, and has no GPS.
    files = sorted((out / "kaligowong" / "gambar" / "olah").iterdir())
    assert [f.name.rsplit("-", 1)[1] for f in files] == ["480.jpg", "480.webp", "960.jpg", "960.webp"]
    for f in files:
        with Image.open(f) as im:
            assert dict(im.getexif()) == {}
    assert not (out / "kaligowong" / "gambar" / "balai.jpg").exists()   # the original is never published


def test_active_notice_is_on_every_page_of_the_village(site):
    out, _, _ = site
    pages = sorted((out / "kaligowong").rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text()
        assert html.count('class="pengumuman-item"') == 1, page
        assert "Air mati Agustus" in html and "Air mati Januari" not in html.split("<main")[0], page
    arsip = (out / "kaligowong" / "pengumuman" / "index.html").read_text()
    assert arsip.index("Air mati Agustus") < arsip.index('id="arsip"') < arsip.index("Air mati Januari")


def test_documents_are_served_with_their_size(site):
    out, _, good = site
    from pypdf import PdfReader

    pdf = out / "kaligowong" / "dokumen" / "perdes-2-2025.pdf"
    src = good / "dokumen" / "perdes-2-2025.pdf"
    # Published as the same document, rewritten without its metadata (guard.strip_pdf_metadata).
    a, b = PdfReader(pdf), PdfReader(src)
    assert len(a.pages) == len(b.pages)
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]
    assert not a.metadata
    ph = (out / "kaligowong" / "produk-hukum" / "index.html").read_text()
    assert f'<a href="{SITE}/kaligowong/dokumen/perdes-2-2025.pdf">PDF, 1 kB</a>' in ph
