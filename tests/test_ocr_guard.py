"""Scanned documents and pictures are read with OCR and checked with the personal-data rule.

Every scan is made here (text rendered with Pillow, saved as an image-only PDF); Tesseract is the real
engine, installed by scripts/setup-ocr.sh (run by `make site` and `make test`), so nothing is skipped.
"""
from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from papan_desa import guard, ocr
from papan_desa.problems import Problems
from tests.scan_helpers import (NIK_1, NIK_2, blank_looking_photo, masked, recipients_list, save_scan_pdf,
                                text_page)

ROOT = Path(__file__).resolve().parents[1]


def village(tmp_path: Path, slug: str = "kaligowong") -> Path:
    v = tmp_path / "villages" / slug
    (v / "dokumen").mkdir(parents=True)
    (v / "desa.md").write_text("Nama: Kaligowong\n\nDesa uji.\n", encoding="utf-8")
    return v


def scan(vdir: Path, **kw) -> Problems:
    p = Problems(root=vdir.parents[1])
    guard.scan_village(vdir, p, None, vdir.parents[1], **kw)
    return p


def messages(p: Problems, *, errors_only: bool = True) -> list[str]:
    return [str(i) for i in (p.errors if errors_only else p.items)]


def test_engine_is_installed_with_indonesian():
    assert Path(ocr.engine()).name == "tesseract"
    assert ocr.engine_version().startswith("tesseract 5")


def test_scanned_list_with_niks_is_refused_naming_file_and_page(tmp_path):
    v = village(tmp_path)
    cover = text_page(["KEPUTUSAN KEPALA DESA KALIGOWONG", "NOMOR 3 TAHUN 2025",
                       "TENTANG PENETAPAN KELUARGA PENERIMA MANFAAT BLT DESA"])
    save_scan_pdf(v / "dokumen" / "sk-kpm-blt.pdf", [cover, text_page(recipients_list())])
    msgs = messages(scan(v))
    assert len(msgs) == 2, msgs
    for m, nik in zip(msgs, (NIK_1, NIK_2)):
        assert m.startswith("villages/kaligowong/dokumen/sk-kpm-blt.pdf: galat: kemungkinan NIK")
        assert "(halaman 2, dibaca dengan OCR)" in m
        assert nik not in m and masked(nik)[:4] in m        # the number is named masked, never whole


def test_same_list_with_niks_masked_is_published(tmp_path):
    v = village(tmp_path)
    save_scan_pdf(v / "dokumen" / "sk-kpm-blt.pdf", [text_page(recipients_list(mask=True))])
    p = scan(v)
    assert messages(p, errors_only=False) == []


def test_scanned_table_of_recipient_names_and_addresses_is_refused(tmp_path):
    v = village(tmp_path)
    lines = ["Daftar penerima bantuan sembako", "No  Nama            Alamat", "1   Siti Aminah     RT 02 RW 01",
             "2   Budi Santoso    RT 03 RW 01"]
    save_scan_pdf(v / "dokumen" / "penerima.pdf", [text_page(lines)])
    msgs = messages(scan(v))
    assert len(msgs) == 1 and "tampak tabel berisi nama atau alamat penerima bantuan (halaman 1" in msgs[0], msgs


def test_blank_looking_photo_is_held_until_a_named_person_reviews_it(tmp_path):
    v = village(tmp_path)
    blank_looking_photo().convert("RGB").save(v / "dokumen" / "papan-pengumuman.jpg", quality=80)
    save_scan_pdf(v / "dokumen" / "foto-papan.pdf", [blank_looking_photo(seed=3)])
    msgs = messages(scan(v))
    assert len(msgs) == 2, msgs
    assert all(ocr.HELD in m and "tinjauan.csv" in m for m in msgs)
    assert "foto-papan.pdf: galat: ditahan, menunggu tinjauan (halaman 1: hampir tidak ada teks" in " ".join(msgs)
    held = guard.held_files(v, tmp_path)
    assert sorted(i.file for i in held) == ["villages/kaligowong/dokumen/foto-papan.pdf",
                                            "villages/kaligowong/dokumen/papan-pengumuman.jpg"]
    # The operator records who looked at it, when and why it may be published: it is held no more.
    (v / "tinjauan.csv").write_text(
        "berkas,peninjau,tanggal,alasan\n"
        "dokumen/foto-papan.pdf,Siti Aminah (Sekretaris Desa),2025-08-01,Foto papan kosong tanpa tulisan\n",
        encoding="utf-8")
    msgs = messages(scan(v))
    assert len(msgs) == 1 and "papan-pengumuman.jpg" in msgs[0]
    # A review with a field missing is an error naming line and column, and reviews nothing.
    (v / "tinjauan.csv").write_text("berkas,peninjau,tanggal,alasan\ndokumen/papan-pengumuman.jpg,,2025-08-01,x\n",
                                    encoding="utf-8")
    msgs = messages(scan(v))
    assert any("tinjauan.csv:2:2: galat:" in m and "peninjau" in m for m in msgs), msgs


def test_photo_without_writing_in_news_is_published(tmp_path):
    """A photo of a road has nothing to read: it is not held (the bundled photos are such)."""
    v = village(tmp_path)
    (v / "gambar").mkdir()
    shutil.copy(ROOT / "villages" / "kaligowong" / "gambar" / "balai-desa.jpg", v / "gambar" / "balai.jpg")
    blank_looking_photo().convert("RGB").save(v / "gambar" / "kabut.jpg", quality=80)
    assert messages(scan(v), errors_only=False) == []


def test_nik_in_a_photo_in_news_is_refused(tmp_path):
    v = village(tmp_path)
    (v / "berita").mkdir()
    text_page(recipients_list()[3:], size=(1400, 500)).convert("RGB").save(v / "berita" / "papan.jpg", quality=90)
    msgs = messages(scan(v))
    assert len(msgs) == 2 and all("papan.jpg: galat: kemungkinan NIK" in m and "(tulisan pada gambar, dibaca dengan OCR)"
                                  in m for m in msgs), msgs


def test_nik_under_a_black_box_is_refused(tmp_path):
    """Redaction that only draws a box over the text leaves the text in the file: it counts as present."""
    from fpdf import FPDF

    v = village(tmp_path)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Keputusan Kepala Desa Kaligowong Nomor 3 Tahun 2025 tentang penerima BLT Desa",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, "Lampiran: keluarga penerima manfaat di Dusun Krajan", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    pdf.cell(0, 10, f"1. NIK {NIK_1}  Dusun Krajan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(10, y, 120, 10, style="F")  # the black box over the line
    pdf.output(str(v / "dokumen" / "sk-dihitamkan.pdf"))
    msgs = messages(scan(v))
    assert len(msgs) == 1 and "sk-dihitamkan.pdf: galat: kemungkinan NIK" in msgs[0] and "(halaman 1)" in msgs[0]


def test_pages_after_the_fiftieth_are_checked(tmp_path):
    from fpdf import FPDF

    v = village(tmp_path)
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for i in range(1, 56):
        pdf.add_page()
        text = f"Halaman {i} dari notulen musyawarah desa tentang rencana kerja pemerintah desa tahun 2026."
        pdf.cell(0, 10, text + (f" Peserta: NIK {NIK_2}" if i == 53 else ""))
    pdf.output(str(v / "dokumen" / "notulen.pdf"))
    msgs = messages(scan(v))
    assert len(msgs) == 1 and "notulen.pdf: galat: kemungkinan NIK" in msgs[0] and "(halaman 53)" in msgs[0]


def test_unchanged_scan_is_read_once(tmp_path, monkeypatch):
    v = village(tmp_path)
    save_scan_pdf(v / "dokumen" / "sk-kpm-blt.pdf", [text_page(recipients_list())])
    found: dict = {}
    first = messages(scan(v, known={}, found=found))
    calls = []
    real = ocr.read_image
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = messages(scan(v, known=found, found={}))
    assert again == first and len(first) == 2 and calls == []
    # Other bytes under the same name are read again.
    save_scan_pdf(v / "dokumen" / "sk-kpm-blt.pdf", [text_page(recipients_list(mask=True))])
    assert messages(scan(v, known=found, found={})) == [] and calls == [1]


# ---------------------------------------------------------------- bad input: refused or held, bounded

def test_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    v = village(tmp_path)
    src = save_scan_pdf(tmp_path / "asli.pdf", [text_page(recipients_list())])
    w = PdfWriter(clone_from=PdfReader(src))
    w.encrypt(user_password="rahasia", owner_password="rahasia")
    with open(v / "dokumen" / "terkunci.pdf", "wb") as fh:
        w.write(fh)
    msgs = messages(scan(v))
    assert msgs == ["villages/kaligowong/dokumen/terkunci.pdf: galat: PDF dikunci dengan kata sandi; "
                    "terbitkan PDF tanpa kata sandi"]


def test_corrupt_pdf_is_refused(tmp_path):
    v = village(tmp_path)
    data = save_scan_pdf(tmp_path / "asli.pdf", [text_page(recipients_list())]).read_bytes()
    (v / "dokumen" / "rusak.pdf").write_bytes(data[: len(data) // 3])
    msgs = messages(scan(v))
    assert len(msgs) == 1 and "rusak.pdf: galat:" in msgs[0] and ("rusak" in msgs[0] or ocr.HELD in msgs[0]), msgs


def test_300_page_scan_is_held_without_reading_it(tmp_path, monkeypatch):
    v = village(tmp_path)
    pages = [Image.new("L", (124, 175), 250) for _ in range(300)]
    save_scan_pdf(v / "dokumen" / "arsip-bansos.pdf", pages)
    calls = []
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: calls.append(1))
    msgs = messages(scan(v))
    assert calls == []                                   # bounded: no page was given to the engine
    assert len(msgs) == 1 and "arsip-bansos.pdf: galat: ditahan, menunggu tinjauan (300 halaman berupa gambar; " \
        "paling banyak 60 halaman dibaca mesin per berkas" in msgs[0], msgs


def test_photo_over_60_megapixels_is_refused_before_it_is_decoded(tmp_path):
    v = village(tmp_path)
    (v / "gambar").mkdir()
    Image.new("L", (8000, 7600), 200).save(v / "gambar" / "panorama.png", optimize=False, compress_level=9)
    t = time.perf_counter()
    msgs = messages(scan(v))
    assert time.perf_counter() - t < 30
    assert len(msgs) == 1 and "panorama.png: galat: gambar terlalu besar" in msgs[0] and "8000x7600" in msgs[0], msgs


def test_tiff_renamed_jpg_is_refused(tmp_path):
    v = village(tmp_path)
    (v / "gambar").mkdir()
    buf = io.BytesIO()
    text_page(recipients_list(), size=(800, 600)).save(buf, "TIFF")
    (v / "gambar" / "foto.jpg").write_bytes(buf.getvalue())
    msgs = messages(scan(v))
    assert msgs == ["villages/kaligowong/gambar/foto.jpg: galat: berkas bernama .jpg tetapi isinya gambar TIFF; "
                    'diharapkan gambar JPEG, ditemukan "TIFF"; simpan ulang sebagai JPG (atau JPG/PNG)'], msgs


@pytest.mark.parametrize("text, expected", [
    ("33O7O141O19OOOO1", "3307014101900001"),     # zeros read as the letter O
    ("NIK: 33070l4101900001", "NIK: 3307014101900001"),
    ("Sekretariat Desa Kaligowong 2025", "Sekretariat Desa Kaligowong 2025"),   # words stay words
])
def test_letters_read_for_digits_are_turned_back(text, expected):
    assert ocr.digits_read_as_letters(text) == expected


def test_pictures_read_in_one_batch_give_the_findings_of_one_by_one(tmp_path, monkeypatch):
    v = village(tmp_path)
    (v / "berita").mkdir()
    text_page(recipients_list()[3:], size=(1400, 500)).convert("RGB").save(v / "berita" / "papan.jpg", quality=90)
    shutil.copy(ROOT / "villages" / "kaligowong" / "gambar" / "balai-desa.jpg", v / "berita" / "balai.jpg")
    blank_looking_photo().convert("RGB").save(v / "dokumen" / "papan-pengumuman.jpg", quality=80)
    batches = []
    real = ocr.read_many
    monkeypatch.setattr(ocr, "read_many", lambda pngs, limits=None: batches.append(len(pngs)) or real(pngs, limits))
    together = messages(scan(v))
    assert batches == [3] and len(together) == 3 and not ocr.PREREAD
    one_by_one = Problems(root=tmp_path)
    for f in sorted(v.rglob("*.jpg")):
        guard.scan_file(f, one_by_one, None, root=tmp_path)
    assert sorted(together) == sorted(messages(one_by_one))


def test_nik_in_a_scan_under_a_black_box_drawn_over_it_is_refused(tmp_path):
    """A box drawn on top of a scanned page hides the NIK on screen, but the scan under it still holds it:
    anyone can take the picture out of the PDF."""
    from fpdf import FPDF

    v = village(tmp_path)
    pdf = FPDF(unit="pt", format=(595, 842))
    pdf.add_page()
    pdf.image(text_page(recipients_list()).convert("RGB"), x=0, y=0, w=595, h=842)
    pdf.set_fill_color(0, 0, 0)
    # Both NIK (at 150 dpi on the scan: x 110-700 px, y 370-470 px) covered on the page.
    pdf.rect(60, 170, 300, 60, style="F")
    pdf.output(str(v / "dokumen" / "sk-ditutup-kotak.pdf"))
    msgs = messages(scan(v))
    assert len(msgs) == 2 and all("sk-ditutup-kotak.pdf: galat: kemungkinan NIK" in m and "(halaman 1, dibaca "
                                  "dengan OCR)" in m for m in msgs), msgs
