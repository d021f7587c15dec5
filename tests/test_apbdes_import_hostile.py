"""Hostile and careless files given to `papan impor-apbdes` (issue #26): each refused with one clear
Indonesian message naming the file, nothing written, no traceback. Files are generated here."""
import io
import zipfile

import pytest

from papan_desa.apbdes.importer import main_import, read_cells
from papan_desa.problems import Problems
from tests.apbdes_reports import layout, sample_budget, write_csv, write_xlsx

MB = 1024 * 1024


def _refused(tmp_path, capsys, src, *fragments):
    out = tmp_path / "keluar" / "apbdes" / "2025.csv"
    assert main_import([str(src), "--tahun", "2025", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith(f"{src}:") and ": galat: " in err and err.count("\n") == 1, err
    for f in fragments:
        assert f in err, err
    assert not (tmp_path / "keluar").exists()
    return err


def _valid_xlsx(tmp_path):
    return write_xlsx(layout(sample_budget(), "penjabaran"), tmp_path / "asli.xlsx")


def _rezip(src, dest, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None, big=None):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if big and info.filename == big[0]:
                with zout.open(info.filename, "w", force_zip64=True) as fh:
                    chunk = b" " * MB
                    for _ in range(big[1]):
                        fh.write(chunk)
                continue
            zout.writestr(info.filename, (replace or {}).get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dest


def test_zip_bomb_is_refused_before_it_is_unzipped(tmp_path, capsys):
    bomb = _rezip(_valid_xlsx(tmp_path), tmp_path / "bom.xlsx", big=("xl/worksheets/sheet1.xml", 40))
    assert bomb.stat().st_size < MB
    _refused(tmp_path, capsys, bomb, "berkas XLSX terlalu besar setelah dibuka: bagian xl/worksheets/sheet1.xml "
             "mengembang", "paling banyak 200 kali")


def test_everything_unzipped_is_limited_too(tmp_path):
    src = _rezip(_valid_xlsx(tmp_path), tmp_path / "besar.xlsx", big=("xl/worksheets/sheet1.xml", 12))
    p = Problems()
    assert read_cells(src, p, lim={"xlsx_terbuka": 10 * MB, "xlsx_rasio": 10**9}) is None
    assert p.errors[0].message.startswith("berkas XLSX terlalu besar setelah dibuka: diharapkan paling besar 10 MB isi")


def test_a_thousand_sheets(tmp_path, capsys):
    sheet = zipfile.ZipFile(_valid_xlsx(tmp_path)).read("xl/worksheets/sheet1.xml")
    src = _rezip(_valid_xlsx(tmp_path), tmp_path / "lembar.xlsx",
                 add={f"xl/worksheets/sheet{i}.xml": sheet for i in range(2, 1001)})
    _refused(tmp_path, capsys, src, "terlalu banyak lembar kerja", "paling banyak 50 lembar", "1.000 lembar")


def test_truncated_and_corrupt_xlsx(tmp_path, capsys):
    data = _valid_xlsx(tmp_path).read_bytes()
    cut = tmp_path / "terpotong.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    _refused(tmp_path, capsys, cut, "berkas XLSX rusak atau terpotong")
    bad = _rezip(_valid_xlsx(tmp_path), tmp_path / "rusak.xlsx",
                 replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c"})
    _refused(tmp_path, capsys, bad, "rusak atau terpotong")


def test_password_protected_xlsx_and_old_xls(tmp_path, capsys):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    enc = tmp_path / "sandi.xlsx"
    enc.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000)
    _refused(tmp_path, capsys, enc, "dilindungi kata sandi", "unggah lagi")
    xls = tmp_path / "lama.xls"
    xls.write_bytes(ole + b"\x00" * 4000)
    _refused(tmp_path, capsys, xls, "Excel 97-2003 (.xls) belum dapat dibaca", "Simpan Sebagai")


def test_ods_pdf_and_html(tmp_path, capsys):
    ods = tmp_path / "laporan.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    _refused(tmp_path, capsys, ods, "LibreOffice (.ods) belum dapat dibaca")
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n")
    _refused(tmp_path, capsys, pdf, "PDF tidak dapat diimpor", "ekspor")
    html = tmp_path / "laporan.xls"
    html.write_bytes(b"<html><body><table><tr><td>KODE</td></tr></table></body></html>")
    _refused(tmp_path, capsys, html, "halaman web (HTML)")


def test_a_file_whose_extension_lies(tmp_path, capsys):
    xlsx_as_csv = tmp_path / "laporan.csv"
    xlsx_as_csv.write_bytes(_valid_xlsx(tmp_path).read_bytes())
    _refused(tmp_path, capsys, xlsx_as_csv, "berkas bernama .csv tetapi isinya buku kerja Excel (.xlsx)",
             "menjadi .xlsx")
    csv_as_xlsx = write_csv(layout(sample_budget(), "penjabaran"), tmp_path / "laporan.xlsx")
    _refused(tmp_path, capsys, csv_as_xlsx, "ganti akhiran nama berkasnya menjadi .csv")


def test_csv_of_one_100_mb_line_and_one_4_mb_line(tmp_path, capsys):
    huge = tmp_path / "satu-baris.csv"
    with open(huge, "wb") as fh:
        for _ in range(100):
            fh.write(b"9" * MB)
    _refused(tmp_path, capsys, huge, "data CSV terlalu besar", "paling besar 5 MB")
    line = tmp_path / "panjang.csv"
    line.write_bytes(b"KODE;URAIAN;ANGGARAN\n" + b"x" * (4 * MB) + b"\n")
    _refused(tmp_path, capsys, line, "baris terlalu panjang", "paling banyak 100.000 karakter per baris")


def test_huge_row_counts(tmp_path, capsys):
    rows = tmp_path / "baris.csv"
    rows.write_bytes(b"KODE;URAIAN;ANGGARAN\r\n" + b"4.2.1.01.;Dana Desa;1\r\n" * 150_000)
    _refused(tmp_path, capsys, rows, "CSV terlalu banyak baris", "paling banyak 100.000 baris data")
    src = write_xlsx(layout(sample_budget(), "penjabaran"), tmp_path / "r.xlsx")
    p = Problems()
    assert read_cells(src, p, lim={"xlsx_baris": 30}) is None
    assert 'terlalu banyak baris; diharapkan paling banyak 30 baris' in p.errors[0].message


def test_long_cell_and_unknown_encoding(tmp_path, capsys):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["KODE", "URAIAN", "ANGGARAN"])
    wb.active.append(["4.2.1.01.", "x" * 20_000, 1])
    wb.save(tmp_path / "sel.xlsx")
    _refused(tmp_path, capsys, tmp_path / "sel.xlsx", "isi sel terlalu panjang", "paling banyak 5.000 karakter")
    binary = tmp_path / "biner.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    _refused(tmp_path, capsys, binary, "bukan teks CSV")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_limits_can_be_changed_by_the_kabupaten(tmp_path, kind, monkeypatch):
    """PAPAN_BATAS in pelicanconf.py overrides guard.DEFAULT_LIMITS for the importer too."""
    from papan_desa import guard
    report = layout(sample_budget(), "penjabaran")
    src = (write_xlsx if kind == "xlsx" else write_csv)(report, tmp_path / f"r.{kind}")
    p = Problems()
    assert read_cells(src, p, lim=guard.batas({"PAPAN_BATAS": {"xlsx_baris": 20, "csv_baris": 20}})) is None
    assert "terlalu banyak baris" in p.errors[0].message
    with pytest.raises(ValueError, match="xlsx_bariss"):
        guard.batas({"PAPAN_BATAS": {"xlsx_bariss": 20}})


def test_a_bomb_whose_declared_size_lies_is_read_no_further_than_declared(tmp_path, capsys):
    """The central directory says 2 kB; the data inflates to 40 MB. zipfile stops at the declared size and
    the CRC fails: a broken file, never 40 MB in memory."""
    import struct
    src = _valid_xlsx(tmp_path)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp_path / "bohong.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = b" " * (40 * MB) if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info.filename)
            zout.writestr(info.filename, data)
    raw = bytearray((tmp_path / "bohong.xlsx").read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        i = raw.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", raw, i + (28 if sig == b"PK\x01\x02" else 26))[0]
            start = i + (46 if sig == b"PK\x01\x02" else 30)
            if bytes(raw[start:start + n]) == name:
                struct.pack_into("<I", raw, i + size_at, 2048)
            i = raw.find(sig, i + 4)
    lie = tmp_path / "bohong.xlsx"
    lie.write_bytes(bytes(raw))
    assert zipfile.ZipFile(lie).getinfo("xl/worksheets/sheet1.xml").file_size == 2048
    _refused(tmp_path, capsys, lie, "rusak atau terpotong")


def test_a_million_empty_cells_are_counted_before_parsing(tmp_path):
    """Small zipped and within every size limit, but a million cells: refused before openpyxl builds them."""
    row = b"<row>" + b'<c r="A1" s="1"/>' * 1000 + b"</row>"
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + row * 1000 + b"</sheetData></worksheet>")
    src = _rezip(_valid_xlsx(tmp_path), tmp_path / "sel.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})
    p = Problems()
    assert read_cells(src, p, lim={"xlsx_rasio": 10**6}) is None    # not caught as a zip bomb first
    assert p.errors[0].message.startswith("berkas XLSX berisi terlalu banyak sel; diharapkan paling banyak 300.000 sel")


def test_prescan_counts_tokens_across_chunk_edges():
    from papan_desa.xlsxfile import _prescan
    body = b"".join(b"<row>" + b"<c/>" * 7 + b"</row>" for _ in range(300_000))   # 13 MB, edges fall anywhere
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("s.xml", body)
    zf = zipfile.ZipFile(buf)
    assert _prescan(zf, "s.xml", {"xlsx_baris": 300_000, "xlsx_sel": 2_100_000}) is None
    assert "terlalu banyak sel" in _prescan(zf, "s.xml", {"xlsx_baris": 300_000, "xlsx_sel": 2_099_999})
    assert "terlalu banyak baris" in _prescan(zf, "s.xml", {"xlsx_baris": 299_999, "xlsx_sel": 10**9})


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_REPORT = {}


def _report_bytes(kind):
    if kind not in _REPORT:
        import tempfile
        from pathlib import Path
        with tempfile.TemporaryDirectory() as d:
            report = layout(sample_budget(), "lra")
            f = (write_xlsx if kind == "xlsx" else write_csv)(report, Path(d) / f"r.{kind}")
            _REPORT[kind] = f.read_bytes()
    return _REPORT[kind]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["xlsx", "csv"]),
       edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.floats(0, 1)))
def test_property_damaged_reports_never_raise(tmp_path_factory, kind, edits, cut):
    """Random bytes changed, or the file cut short: refused with messages or imported, never a traceback."""
    data = bytearray(_report_bytes(kind))
    for where, byte in edits:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    tmp = tmp_path_factory.mktemp("rusak")
    src = tmp / f"laporan.{kind}"
    src.write_bytes(bytes(data))
    p = Problems()
    from papan_desa.apbdes.importer import prepare_import
    plan = prepare_import(src, p)
    assert (plan is None) == bool(p.errors)
    assert all(e.message for e in p.errors)
