"""Read an uploaded spreadsheet report within fixed memory and time, or refuse it in Indonesian.

Before openpyxl parses anything, the file's real kind is read from its first bytes (an ``.xlsx`` is a
zip; ``.xls`` and password-protected ``.xlsx`` are OLE containers; PDF starts with ``%PDF``), and every
zip member's *declared* size and compression ratio are checked against the limits in
:data:`papan_desa.guard.DEFAULT_LIMITS` (``xlsx``, ``xlsx_terbuka``, ``xlsx_rasio``, ``xlsx_lembar``).
Python's zipfile never inflates a member past its declared size (it stops and reports a broken file),
so these checks bound the memory a zip bomb can take. The sheet reader then stops at the first row,
column or cell beyond ``xlsx_baris``, ``xlsx_kolom`` or ``sel``.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .csvfile import fmt_count, limits
from .problems import Problems, expected_found

MB = 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_RATIO_FROM = 1 * MB            # small parts (styles, a short sheet) may compress very well
SAVE_AS = "buka di Excel atau LibreOffice lalu Simpan Sebagai \"Excel Workbook (.xlsx)\" atau CSV"
PDF_ADVICE = ("PDF tidak dapat diimpor karena angkanya tidak dapat dibaca dengan pasti; minta operator "
              "Siskeudes mengekspor laporan yang sama ke Excel (tombol ekspor/Excel di pratinjau laporan), "
              "atau ketik angkanya ke apbdes/<tahun>.csv")


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB".replace(".", ",").replace(",0 MB", " MB") if n >= MB else f"{max(1, round(n / 1024))} kB"


def sniff(head: bytes) -> str:
    """The real kind of a file from its first bytes: zip, ole, pdf, html or text."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    low = head.lstrip()[:200].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return "html"
    return "text"


def refuse_kind(path: Path, kind: str, problems: Problems) -> None:
    """One message for a file whose content is not what the importer reads."""
    ext = path.suffix.lower()
    if kind == "pdf":
        problems.error(path, 0, 0, PDF_ADVICE)
    elif kind == "ole":
        if ext == ".xlsx" or ext == ".xlsm":
            problems.error(path, 0, 0, "berkas XLSX ini dilindungi kata sandi (terenkripsi) sehingga tidak dapat "
                           "dibaca; buka di Excel, hapus kata sandinya (File > Info > Lindungi Buku Kerja > "
                           "Enkripsi dengan Kata Sandi, kosongkan), simpan, lalu unggah lagi")
        else:
            problems.error(path, 0, 0, "berkas Excel 97-2003 (.xls) belum dapat dibaca; " + SAVE_AS)
    elif kind == "ods":
        problems.error(path, 0, 0, "berkas LibreOffice (.ods) belum dapat dibaca; " + SAVE_AS)
    elif kind == "html":
        problems.error(path, 0, 0, "berkas ini halaman web (HTML), bukan laporan XLSX/CSV; " + SAVE_AS)
    else:
        problems.error(path, 0, 0, f"isi berkas tidak cocok dengan namanya ({ext or 'tanpa akhiran'}); "
                       + expected_found("laporan .xlsx atau .csv", kind))


def check_zip(path: Path, problems: Problems, lim: dict | None = None) -> bool:
    """Refuse an XLSX whose parts are too big once unzipped, too compressed, too many, or unreadable."""
    lm = limits(lim)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names:
                try:
                    if b"opendocument" in zf.read("mimetype")[:100]:
                        refuse_kind(path, "ods", problems)
                        return False
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                    pass
            if any(i.flag_bits & 0x1 for i in infos):
                problems.error(path, 0, 0, "berkas XLSX ini dilindungi kata sandi sehingga tidak dapat dibaca; "
                               "simpan ulang tanpa kata sandi lalu unggah lagi")
                return False
            if "xl/workbook.xml" not in names:
                problems.error(path, 0, 0, "berkas ini arsip zip, bukan buku kerja Excel (.xlsx); " + SAVE_AS)
                return False
            sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if len(sheets) > lm["xlsx_lembar"] or len(infos) > 20 * lm["xlsx_lembar"] + 100:
                problems.error(path, 0, 0, "berkas XLSX berisi terlalu banyak lembar kerja; " + expected_found(
                    f"paling banyak {fmt_count(lm['xlsx_lembar'])} lembar", f"{fmt_count(len(sheets))} lembar")
                    + "; simpan laporan APBDes saja dalam satu berkas")
                return False
            total = 0
            for i in infos:
                total += i.file_size
                if total > lm["xlsx_terbuka"]:
                    problems.error(path, 0, 0, "berkas XLSX terlalu besar setelah dibuka: " + expected_found(
                        f"paling besar {_size(lm['xlsx_terbuka'])} isi", f"{_size(total)} atau lebih")
                        + "; simpan laporan APBDes saja, tanpa lembar atau gambar lain")
                    return False
                if i.file_size > _RATIO_FROM and i.file_size > lm["xlsx_rasio"] * max(i.compress_size, 1):
                    ratio = i.file_size // max(i.compress_size, 1)
                    problems.error(path, 0, 0, "berkas XLSX terlalu besar setelah dibuka: bagian "
                                   f"{i.filename} mengembang {fmt_count(ratio)} kali; " + expected_found(
                                       f"paling banyak {fmt_count(lm['xlsx_rasio'])} kali", f"{fmt_count(ratio)} kali")
                                   + "; berkas ini tidak seperti ekspor Siskeudes, simpan ulang dari Excel")
                    return False
            for name in sorted(sheets) + [n for n in ("xl/sharedStrings.xml",) if n in names]:
                msg = _prescan(zf, name, lm)
                if msg:
                    problems.error(path, 0, 0, msg)
                    return False
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError…: a damaged file is one clear error
        problems.error(path, 0, 0, f"berkas XLSX rusak atau terpotong ({type(exc).__name__}); unduh atau "
                       "ekspor ulang laporannya, lalu unggah lagi")
        return False
    return True


_TOKENS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s>/]")


def _prescan(zf: zipfile.ZipFile, name: str, lm: dict) -> str | None:
    """Count rows and cells (or shared strings) of one part by streaming its bytes, before openpyxl builds
    anything: a sheet of a million empty cells is small on disk and zipped, yet slow and big to parse."""
    rows = cells = 0
    tail = b""
    max_cells = lm["xlsx_sel"]
    with zf.open(name) as fh:
        while True:
            chunk = fh.read(1 << 20)
            buf = tail + chunk
            # Tokens that start before `cut` are counted now; the rest (maybe cut off) with the next chunk.
            cut = len(buf) if not chunk else max(0, len(buf) - 64)
            for m in _TOKENS.finditer(buf):
                if m.start() >= cut:
                    break
                if m.group(1) == b"row":
                    rows += 1
                else:
                    cells += 1
            if rows > lm["xlsx_baris"]:
                return ("lembar kerja terlalu banyak baris; " + expected_found(
                    f"paling banyak {fmt_count(lm['xlsx_baris'])} baris", f"lebih dari {fmt_count(lm['xlsx_baris'])} baris"))
            if cells > max_cells:
                what = "teks" if name.endswith("sharedStrings.xml") else "sel"
                return (f"berkas XLSX berisi terlalu banyak {what}; " + expected_found(
                    f"paling banyak {fmt_count(max_cells)} {what}", f"lebih dari {fmt_count(max_cells)} {what}")
                    + "; simpan laporan APBDes saja, tanpa baris atau kolom kosong yang diformat")
            if not chunk:
                return None
            tail = buf[cut:]


def read_xlsx(path: Path, problems: Problems, lim: dict | None = None) -> list[tuple[int, list]] | None:
    """Rows of cells (with row numbers) of the first sheet with data; None and one error otherwise."""
    lm = limits(lim)
    if not check_zip(path, problems, lm):
        return None
    try:
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook is one clear error, never a traceback
        problems.error(path, 0, 0, f"berkas XLSX rusak atau terpotong ({type(exc).__name__}); unduh atau "
                       "ekspor ulang laporannya, atau simpan ulang dari Excel sebagai .xlsx atau .csv")
        return None
    max_rows, max_cols, max_cell = lm["xlsx_baris"], lm["xlsx_kolom"], lm["sel"]
    try:
        for ws in wb.worksheets:
            rows: list[tuple[int, list]] = []
            filled = False
            for n, values in enumerate(ws.iter_rows(values_only=True, max_col=max_cols), start=1):
                if n > max_rows:
                    problems.error(path, n, 0, f"lembar \"{ws.title}\" terlalu banyak baris; " + expected_found(
                        f"paling banyak {fmt_count(max_rows)} baris", f"lebih dari {fmt_count(max_rows)} baris"))
                    return None
                cells = list(values)
                for c, v in enumerate(cells, start=1):
                    if isinstance(v, str) and len(v) > max_cell:
                        problems.error(path, n, c, "isi sel terlalu panjang; " + expected_found(
                            f"paling banyak {fmt_count(max_cell)} karakter", f"{fmt_count(len(v))} karakter"))
                        return None
                if not filled and any(v not in (None, "") for v in cells):
                    filled = True
                rows.append((n, cells))
            if filled:
                return rows
        return []
    except Exception as exc:  # noqa: BLE001 - broken XML inside the zip
        problems.error(path, 0, 0, f"berkas XLSX rusak atau terpotong ({type(exc).__name__}); unduh atau "
                       "ekspor ulang laporannya, lalu unggah lagi")
        return None
    finally:
        wb.close()
