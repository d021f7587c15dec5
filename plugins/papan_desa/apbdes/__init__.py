"""APBDes (village budget): reference, parsing, validation, totals, tables, charts, export, import."""
from .load import APBDES, APBDES_META, load_village_apbdes, load_year
from .model import Baris, MetaTahun, Nilai, STATUSES, TahunAnggaran, Year
from .numbers import AmountError, format_angka, format_persen, format_rupiah, format_singkat, parse_rupiah
from .reference import reference
from .totals import RINGKASAN_KEYS, Indikator, Totals, hitung, indikator, multi_tahun
from .tabel import BarisTabel, kolom_tabel, tabel, tabel_html
from .export import normalised_csv, write_year, year_dict, year_json

__all__ = [
    "APBDES", "APBDES_META", "load_village_apbdes", "load_year",
    "Baris", "MetaTahun", "Nilai", "STATUSES", "TahunAnggaran", "Year",
    "AmountError", "format_angka", "format_persen", "format_rupiah", "format_singkat", "parse_rupiah",
    "reference", "RINGKASAN_KEYS", "Indikator", "Totals", "hitung", "indikator", "multi_tahun",
    "BarisTabel", "kolom_tabel", "tabel", "tabel_html",
    "normalised_csv", "write_year", "year_dict", "year_json",
]

# Charts, the importer (openpyxl) and demo data load on first use, to keep imports light.
_LAZY = {
    "Chart": "charts", "infografik": "charts", "chart_multi_tahun": "charts", "chart_pendapatan": "charts",
    "chart_belanja_bidang": "charts", "chart_pembiayaan": "charts", "chart_realisasi": "charts",
    "main_import": "importer", "import_file": "importer", "prepare_import": "importer", "ImportPlan": "importer",
    "demo_lines": "demo", "write_demo_year": "demo",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(name)
