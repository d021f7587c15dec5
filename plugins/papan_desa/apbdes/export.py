"""Machine-readable output: ``data/apbdes-<tahun>.csv`` and ``data/apbdes-<tahun>.json``.

This is a contract (documented in docs/apbdes.md): same input, byte-identical output.
"""
from __future__ import annotations

import csv
import io
import json

from .model import Nilai, TahunAnggaran
from .numbers import json_number, plain
from .tabel import tabel
from .totals import RINGKASAN_KEYS, Totals, hitung, indikator

FORMAT = "papan-desa/apbdes"
VERSI = 1
CSV_COLUMNS = ("tahun", "bagian", "kode", "kegiatan", "bidang", "uraian", "anggaran", "perubahan",
               "realisasi", "sumber_dana")


def normalised_csv(year: TahunAnggaran) -> str:
    """One row per line, codes without trailing dot, amounts as plain numbers (dot decimal), UTF-8, LF."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for b in year.baris:
        n = b.nilai
        w.writerow([year.tahun, b.bagian, b.kode, b.kegiatan, b.bidang, b.uraian, plain(n.anggaran),
                    "" if n.perubahan is None else plain(n.perubahan),
                    "" if n.realisasi is None else plain(n.realisasi), b.sumber_dana])
    return buf.getvalue()


def _values(n: Nilai, kolom: tuple[str, ...]) -> dict:
    return {k: json_number(v) for k, v in n.as_dict(kolom).items()}


def year_dict(year: TahunAnggaran, totals: Totals | None = None) -> dict:
    t = totals or hitung(year)
    k = t.kolom
    m = year.meta
    nama = {code: year.nama(code) for code in list(t.bidang) + list(t.pendapatan_jenis)}
    return {
        "format": FORMAT,
        "versi": VERSI,
        "tahun": year.tahun,
        "status": m.status,
        "perdes": {"nomor": m.perdes_nomor or None,
                   "tanggal": m.perdes_tanggal.isoformat() if m.perdes_tanggal else None},
        "per_tanggal": m.per_tanggal.isoformat() if m.per_tanggal else None,
        "pelaksana": m.pelaksana or None,
        "kolom": list(k),
        "ringkasan": {key: _values(t.ringkasan[key], k) for key in RINGKASAN_KEYS},
        "bidang": {code: _values(v, k) for code, v in t.bidang.items()},
        "pendapatan_jenis": {code: _values(v, k) for code, v in t.pendapatan_jenis.items()},
        "belanja_ekonomi": {code: _values(v, k) for code, v in t.ekonomi.items()},
        "nama": dict(sorted(nama.items())),
        "indikator": [
            {"kode": i.kode, "nama": i.nama,
             "nilai_persen": None if i.nilai is None else json_number(i.nilai),
             "batas_persen": None if i.batas is None else json_number(i.batas),
             "arah": i.arah or None, "memenuhi": i.memenuhi, "catatan": i.catatan or None}
            for i in indikator(year, t)
        ],
        "baris": [
            {"kode": b.kode, "kegiatan": b.kegiatan, "uraian": b.uraian, "sumber_dana": b.sumber_dana or None,
             **_values(b.nilai, k)}
            for b in year.baris
        ],
        "peringatan": list(year.peringatan),
    }


def year_json(year: TahunAnggaran, totals: Totals | None = None) -> str:
    """Deterministic JSON text (UTF-8, 2-space indent, trailing newline)."""
    return json.dumps(year_dict(year, totals), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_year(year: TahunAnggaran, data_dir) -> list:
    """Write both files into `data_dir`; returns the paths written."""
    from pathlib import Path
    d = Path(data_dir)
    d.mkdir(parents=True, exist_ok=True)
    csv_path = d / f"apbdes-{year.tahun}.csv"
    json_path = d / f"apbdes-{year.tahun}.json"
    csv_path.write_text(normalised_csv(year), encoding="utf-8", newline="")
    json_path.write_text(year_json(year), encoding="utf-8", newline="")
    return [csv_path, json_path]


def table_rows_dict(year: TahunAnggaran) -> list[dict]:
    """The official-layout table as plain dicts (handy for templates)."""
    return [{"kode": r.kode, "uraian": r.uraian, "tingkat": r.tingkat, "jumlah": r.jumlah,
             "sel": r.sel(year.layout), "sumber_dana": r.sumber_dana} for r in tabel(year)]
