"""Each publication kind's file: what a valid file gives, and the Indonesian file:line:column errors."""
from __future__ import annotations

import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from papan_desa.problems import Problems
from papan_desa.publikasi import load_publikasi
from papan_desa.publikasi.berita import load_berita
from papan_desa.publikasi.dip import load_dip
from papan_desa.publikasi.pembangunan import load_pembangunan
from papan_desa.publikasi.pengumuman import hari_ini, load_pengumuman
from papan_desa.publikasi.produk_hukum import load_produk_hukum

FIX = Path(__file__).parent / "fixtures" / "publikasi"


def jpeg(path: Path, size=(64, 48)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 160, 90)).save(path, "JPEG")
    return path


def msgs(p: Problems) -> list[str]:
    return [f"{x.file}:{x.line}:{x.column}: {x.level}: {x.message}" for x in p.items]


@pytest.fixture
def desa(tmp_path) -> Path:
    d = tmp_path / "kaligowong"
    d.mkdir()
    return d


def test_valid_news_post_with_cover_photos_and_body_refs(desa):
    jpeg(desa / "gambar" / "balai.jpg")
    jpeg(desa / "gambar" / "a.jpg")
    (desa / "dokumen").mkdir()
    (desa / "dokumen" / "undangan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (desa / "berita").mkdir()
    (desa / "berita" / "musdes.md").write_text(
        "Title: Musdes RKP 2026\nDate: 2025-03-12 09:00\nAuthor: Operator\nCategory: Pemerintahan\n"
        "Sampul: gambar/balai.jpg\nSampul_keterangan: Balai desa\nFoto: gambar/a.jpg\n\n"
        "Isi. ![Warga](/gambar/a.jpg) [Undangan](dokumen/undangan.pdf)\n", encoding="utf-8")
    p = Problems(root=desa.parent)
    [b] = load_berita(desa, p)
    assert msgs(p) == []
    assert (b.slug, b.title, b.date) == ("musdes", "Musdes RKP 2026", dt.datetime(2025, 3, 12, 9, 0))
    assert b.sampul == (desa / "gambar" / "balai.jpg").resolve()
    assert [r.target.name for r in b.gambar] == ["balai.jpg", "a.jpg", "a.jpg"]
    assert [(r.target.name, r.line) for r in b.dokumen] == [("undangan.pdf", 9)]


def test_broken_news_post_names_every_line(desa):
    (desa / "berita").mkdir()
    shutil.copy(FIX / "berita-salah.md", desa / "berita" / "salah.md")
    p = Problems(root=desa.parent)
    assert load_berita(desa, p) == []
    got = msgs(p)
    f = "kaligowong/berita/salah.md"
    assert got[0].startswith(f"{f}:1:8: galat: kunci \"title\" (Judul) wajib diisi")
    assert got[1] == (f'{f}:2:7: galat: Tanggal terbit: diharapkan tanggal berbentuk TTTT-BB-HH atau TTTT-BB-HH JJ:MM '
                      'seperti "2025-03-12 09:00", ditemukan "2025-13-45"')
    assert got[2].startswith(f'{f}:3:18: galat: Penulis tidak boleh berisi tanda "<"')
    assert got[3].startswith(f"{f}:4:9: galat: rujukan berkas menunjuk ke luar folder desa")
    assert any(m.startswith(f'{f}:6:15: galat: gambar "gambar/tidak-ada.jpg" tidak ditemukan') for m in got)
    assert any(m.startswith(f'{f}:6:52: galat: dokumen "dokumen/hilang.pdf" tidak ditemukan') for m in got)


def test_image_that_is_not_an_image_or_too_big(desa):
    (desa / "gambar").mkdir()
    (desa / "gambar" / "palsu.jpg").write_text("bukan gambar")
    big = jpeg(desa / "gambar" / "besar.jpg", (200, 200))
    (desa / "berita").mkdir()
    (desa / "berita" / "a.md").write_text("Title: A\nDate: 2025-01-01\nFoto: gambar/palsu.jpg, gambar/besar.jpg\n\nx\n")
    from papan_desa.publikasi import gambar
    p = Problems(root=desa.parent)
    # The limit comes from the guard's limits; lower it for the test.
    orig = gambar._limits
    gambar._limits = lambda limits=None: {**orig(limits), "gambar": big.stat().st_size - 1}
    try:
        load_berita(desa, p)
    finally:
        gambar._limits = orig
    got = msgs(p)
    assert got[0].startswith('kaligowong/berita/a.md:3:7: galat: "palsu.jpg" bukan berkas gambar yang sah')
    assert got[1].startswith('kaligowong/berita/a.md:3:25: galat: gambar "besar.jpg" terlalu besar; diharapkan paling besar')


def test_notice_end_before_start_is_an_error(desa):
    (desa / "pengumuman").mkdir()
    shutil.copy(FIX / "pengumuman-terbalik.md", desa / "pengumuman" / "listrik.md")
    p = Problems(root=desa.parent)
    assert load_pengumuman(desa, p).semua == []
    assert msgs(p) == ["kaligowong/pengumuman/listrik.md:4:10: galat: tanggal selesai (2025-08-09) sebelum tanggal "
                       "mulai (2025-08-10, baris 3); diharapkan tanggal yang sama atau sesudahnya"]


def test_notice_is_shown_until_its_end_date(desa):
    (desa / "pengumuman").mkdir()
    text = (FIX / "pengumuman-terbalik.md").read_text().replace("Selesai: 2025-08-09", "Selesai: 2025-08-11")
    (desa / "pengumuman" / "listrik.md").write_text(text)
    p = Problems()
    n = load_pengumuman(desa, p)
    [item] = n.semua
    for day, shown in [("2025-08-01", True), ("2025-08-10", True), ("2025-08-11", True), ("2025-08-12", False)]:
        n.hari_ini = dt.date.fromisoformat(day)
        assert (n.aktif == [item]) is shown, day
        assert (n.arsip == [item]) is (not shown)


def test_build_date_is_the_setting_or_the_newest_input_date():
    dates = [dt.date(2025, 3, 1), dt.date(2025, 8, 10)]
    assert hari_ini({"PAPAN_TODAY": "2025-09-01"}, dates) == dt.date(2025, 9, 1)
    assert hari_ini({"PAPAN_TODAY": dt.date(2025, 1, 2)}, dates) == dt.date(2025, 1, 2)
    assert hari_ini({}, dates) == dt.date(2025, 8, 10)
    assert hari_ini({}, []) is None


def test_project_with_photo_timeline_and_checks(desa):
    (desa / "pembangunan").mkdir()
    (desa / "pembangunan" / "jalan-krajan.md").write_text(
        "Nama: Rabat beton jalan Krajan\nLokasi: Dusun Krajan\nTahun: 2025\nVolume: 250\nSumber_dana: DDS\n"
        "Anggaran: Rp 87.202.000\nRealisasi: 90.000.000\nProgres: 80\nStatus: selesai\n\nPadat karya.\n")
    jpeg(desa / "pembangunan" / "jalan-krajan" / "2025-05-15-pengecoran.jpg")
    jpeg(desa / "pembangunan" / "jalan-krajan" / "2025-04-02-sebelum-dikerjakan.jpg")
    jpeg(desa / "pembangunan" / "jalan-krajan" / "foto-tanpa-tanggal.jpg")
    p = Problems(root=desa.parent)
    assert load_pembangunan(desa, p) == []   # the undated photo is an error
    assert msgs(p)[0] == ('kaligowong/pembangunan/jalan-krajan/foto-tanpa-tanggal.jpg:0:0: galat: nama foto pembangunan '
                          'harus diawali tanggal pengambilan; diharapkan nama seperti "2025-05-10-pengecoran-tahap-1.jpg", '
                          'ditemukan "foto-tanpa-tanggal.jpg"')
    (desa / "pembangunan" / "jalan-krajan" / "foto-tanpa-tanggal.jpg").unlink()
    p = Problems(root=desa.parent)
    [proj] = load_pembangunan(desa, p)
    assert proj.anggaran == Decimal(87202000) and proj.realisasi == Decimal(90000000) and proj.tahun == 2025
    assert [(f.tanggal.isoformat(), f.keterangan) for f in proj.foto] == [
        ("2025-04-02", "Sebelum dikerjakan"), ("2025-05-15", "Pengecoran")]
    assert [m.split(": peringatan: ")[1] for m in msgs(p)] == [
        'volume tanpa satuan; tambahkan baris "Satuan: m" (atau m², unit, …)',
        "realisasi (Rp 90.000.000) melebihi anggaran (Rp 87.202.000)",
        "status selesai tetapi kemajuan fisik 80%; diharapkan 100"]


def test_project_budget_is_matched_with_the_apbdes_line(desa, monkeypatch):
    from papan_desa.publikasi import pembangunan as mod
    monkeypatch.setattr(mod, "anggaran_apbdes", lambda vdir, tahun, kode, cache=None:
                        mod.BarisAnggaran(kode, "Rabat beton", Decimal(80000000), None) if tahun == 2025 else None)
    (desa / "pembangunan").mkdir()
    (desa / "pembangunan" / "jalan.md").write_text(
        "Nama: Jalan\nLokasi: Krajan\nTahun: 2025\nSumber_dana: DDS\nAnggaran: 87.202.000\nStatus: berjalan\n"
        "Kegiatan_apbdes: 02.03.10\n")
    p = Problems(root=desa.parent)
    [proj] = load_pembangunan(desa, p)
    assert proj.apbdes.anggaran == Decimal(80000000)
    assert msgs(p) == ["kaligowong/pembangunan/jalan.md:5:11: peringatan: anggaran kegiatan ini (Rp 87.202.000) berbeda "
                       "dengan APBDes 2025 kegiatan 02.03.10 (Rp 80.000.000); samakan salah satunya"]


def test_apbdes_lookup_reads_the_budget_files(desa):
    from papan_desa.publikasi.pembangunan import anggaran_apbdes
    (desa / "apbdes").mkdir()
    (desa / "apbdes" / "2025.csv").write_text(
        "kode,kegiatan,uraian,anggaran,sumber_dana\n4.2.1.01,,Dana Desa,500000000,DDS\n"
        "5.3.5.01,02.03.10,Pengerasan jalan,60000000,DDS\n5.3.5.02,02.03.10,Rabat beton,27202000,DDS\n")
    (desa / "apbdes" / "2025.md").write_text("status: APBDes\n")
    line = anggaran_apbdes(desa, 2025, "02.03.10")
    assert line is not None and line.anggaran == Decimal(87202000)
    assert anggaran_apbdes(desa, 2025, "02.04.04") is None
    assert anggaran_apbdes(desa, 2024, "02.03.10") is None


def test_legal_products_csv(desa):
    (desa / "dokumen").mkdir()
    (desa / "dokumen" / "perdes-2-2025.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    shutil.copy(FIX / "produk-hukum-salah.csv", desa / "produk-hukum.csv")
    p = Problems(root=desa.parent)
    items, refs = load_produk_hukum(desa, p)
    assert [(i.judul, i.tanggal.isoformat(), i.berkas.name) for i in items] == [
        ("Perdes Nomor 2 Tahun 2025", "2025-01-08", "perdes-2-2025.pdf")]
    assert [r.line for r in refs] == [2]
    got = msgs(p)
    assert got[0].startswith("kaligowong/produk-hukum.csv:3:1: galat: kolom jenis (Jenis): diharapkan salah satu dari: "
                             'Perdes, Perkades, SK Kades, Peraturan Bersama Kades, Keputusan BPD; ditemukan "Perda"')
    assert got[1].startswith("kaligowong/produk-hukum.csv:3:4: galat: kolom tanggal (Tanggal penetapan): diharapkan "
                             'tanggal berbentuk TTTT-BB-HH')
    assert got[2].startswith('kaligowong/produk-hukum.csv:4:7: galat: dokumen "dokumen/tidak-ada.pdf"') or \
        got[2].startswith('kaligowong/produk-hukum.csv:4:7: galat: berkas "dokumen/tidak-ada.pdf" tidak ditemukan')


def test_dip_classes_reason_and_links(desa):
    (desa / "dokumen").mkdir()
    (desa / "dokumen" / "perdes-2-2025.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    shutil.copy(FIX / "informasi-publik.csv", desa / "informasi-publik.csv")
    p = Problems(root=desa.parent)
    items, refs = load_dip(desa, p)
    assert [(e.nomor, e.klasifikasi, e.tautan_jenis, e.tautan) for e in items] == [
        ("1", "berkala", "dokumen", "dokumen/perdes-2-2025.pdf"), ("2", "setiap saat", "halaman", "layanan/")]
    assert sorted(msgs(p)) == [
        "kaligowong/informasi-publik.csv:4:11: galat: informasi yang dikecualikan wajib diberi alasan "
        "(UU 14/2008 Pasal 17); isi kolom alasan",
        "kaligowong/informasi-publik.csv:5:2: galat: kolom klasifikasi (Klasifikasi): diharapkan salah satu dari: "
        'berkala, serta-merta, setiap saat, dikecualikan; ditemukan "rahasia"']


def test_documents_missing_and_unreferenced(desa):
    (desa / "dokumen").mkdir()
    (desa / "dokumen" / "perdes-2-2025.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n")
    (desa / "dokumen" / "lupa.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (desa / "produk-hukum.csv").write_text(
        "jenis,nomor,tahun,tanggal,tentang,status,berkas\nPerdes,2,2025,2025-01-08,APB,berlaku,dokumen/perdes-2-2025.pdf\n")
    p = Problems(root=desa.parent)
    pub = load_publikasi(desa, p)
    assert list(pub.dokumen) == ["dokumen/lupa.pdf", "dokumen/perdes-2-2025.pdf"]
    assert pub.dokumen["dokumen/perdes-2-2025.pdf"].ukuran_teks == "3 kB"
    assert msgs(p) == ["kaligowong/dokumen/lupa.pdf:0:0: peringatan: dokumen ini tidak dirujuk dari mana pun (produk "
                       "hukum, daftar informasi publik, layanan, berita); tautkan atau hapus berkasnya"]


def test_service_needs_requirements_and_procedure(desa):
    (desa / "layanan").mkdir()
    (desa / "layanan" / "domisili.md").write_text(
        "Nama: Surat Keterangan Domisili\nWaktu: 1 hari kerja\nBiaya: Gratis\nTempat: Kantor desa\n\n"
        "## Persyaratan\n\n- KTP\n")
    p = Problems(root=desa.parent)
    assert load_publikasi(desa, p).layanan == []
    assert msgs(p) == ['kaligowong/layanan/domisili.md:6:1: galat: bagian "## Prosedur" tidak ada; standar layanan '
                       "wajib memuat persyaratan dan prosedur (UU 25/2009)"]


def test_demo_village_publications_load_without_problems(tmp_path):
    import random

    from papan_desa.publikasi.demo import write_publikasi
    from tests.support import wilayah
    w = wilayah("kaligowong")
    d = tmp_path / w.slug
    d.mkdir()
    write_publikasi(d, random.Random(1), w, photo_size=(320, 240))
    p = Problems(root=tmp_path)
    pub = load_publikasi(d, p)
    assert msgs(p) == []
    assert (len(pub.pengumuman.semua), len(pub.pembangunan), len(pub.layanan), len(pub.produk_hukum),
            len(pub.dip), len(pub.dokumen)) == (2, 2, 4, 4, 7, 4)
    assert pub.ppid.jabatan == "Sekretaris Desa (PPID Desa)"


def test_extra_page_cannot_take_a_publication_address(desa):
    (desa / "halaman").mkdir()
    (desa / "halaman" / "informasi-publik.md").write_text("Title: Info\n\nx\n")
    (desa / "halaman" / "layanan.md").write_text("Title: Layanan\n\nx\n")   # no layanan/ data: allowed
    p = Problems(root=desa.parent)
    load_publikasi(desa, p)
    assert msgs(p) == ['kaligowong/halaman/informasi-publik.md:1:1: galat: alamat halaman "informasi-publik/" sudah '
                       "dipakai halaman informasi publik desa; beri nama berkas atau baris Slug yang lain"]
