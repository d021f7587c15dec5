"""The limits of every file Papan Desa reads, defined once.

The build's guard, the importer (CSV and XLSX), the OCR and Papan Admin's uploads all read these
through ``guard.batas(settings)``, which lays the kabupaten's ``PAPAN_BATAS`` over them
(docs/privasi-dan-keamanan.md, section 7). A module of its own, so that the readers that the guard
itself imports (``csvfile``, ``ocr``) can read the limits without an import cycle.
"""
from __future__ import annotations

MB = 1024 * 1024
#: Size limits per kind; the build may override them with its own dict.
DEFAULT_LIMITS: dict[str, int] = {
    "gambar": 25 * MB,          # .jpg .jpeg .png .webp .gif
    "gambar_piksel": 60_000_000,  # width x height, against decompression bombs
    "pdf": 20 * MB,
    "pdf_halaman": 2000,        # pages whose text layer is read; a longer PDF is refused
    "ocr_halaman": 60,          # image-only pages read by OCR per PDF; a longer scan is held (split it)
    "ocr_detik": 60,            # seconds Tesseract may take for one page or photo
    "ocr_piksel": 12_000_000,   # pixels given to Tesseract; larger pictures are scaled down first
    "ocr_dpi": 200,             # resolution image-only PDF pages are rendered at for OCR
    "csv": 5 * MB,
    "csv_baris": 100_000,
    "csv_panjang_baris": 100_000,  # characters in one line of a CSV
    "xlsx": 10 * MB,            # an .xlsx report as uploaded (zip)
    "xlsx_terbuka": 50 * MB,    # all its parts together once unzipped (declared sizes, checked before parsing)
    "xlsx_rasio": 200,          # how many times a part may grow when unzipped (a zip bomb grows ~1000x)
    "xlsx_lembar": 50,          # sheets in one workbook
    "xlsx_baris": 20_000,       # rows read from one sheet
    "xlsx_kolom": 60,           # columns read from one row
    "xlsx_sel": 300_000,        # cells (and shared texts) in one sheet, counted before parsing
    "sel": 5_000,               # characters in one XLSX cell
    "markdown": 1 * MB,
    "teks": 5 * MB,             # .txt .json .geojson
    "lainnya": 20 * MB,
}
