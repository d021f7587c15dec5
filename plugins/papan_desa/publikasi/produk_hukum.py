"""Village legal products (Perdes, Perkades, SK Kades…): ``produk-hukum.csv`` with the PDFs in ``dokumen/``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problems
from ..schema import Field, Schema, ValueProblem, register
from .berita import Ref
from .common import DOC_EXT, read_csv, resolve_ref

JENIS = ("Perdes", "Perkades", "SK Kades", "Peraturan Bersama Kades", "Keputusan BPD")
STATUS = ("berlaku", "diubah", "dicabut", "rancangan")

PRODUK_HUKUM = register(Schema(
    name="produk_hukum", title="Produk hukum desa", path="produk-hukum.csv", format="csv",
    description=("Daftar Peraturan Desa, Peraturan Kepala Desa dan Keputusan Kepala Desa, satu baris per produk "
                 "hukum. Berkas PDF-nya disimpan di `dokumen/` dan ditulis di kolom `berkas`."),
    fields=(
        Field("jenis", "Jenis", "pilihan", required=True, choices=JENIS, example="Perdes"),
        Field("nomor", "Nomor", required=True, example="3"),
        Field("tahun", "Tahun", required=True, example="2025"),
        Field("tanggal", "Tanggal penetapan", "tanggal", required=True, example="2025-01-10"),
        Field("tentang", "Tentang", required=True, example="Anggaran Pendapatan dan Belanja Desa Tahun Anggaran 2025"),
        Field("status", "Status", "pilihan", required=True, choices=STATUS, example="berlaku"),
        Field("berkas", "Berkas PDF", example="dokumen/perdes-3-2025-apbdes.pdf",
              help="Jalur PDF dari folder desa. Kosong bila belum diunggah (ditampilkan \"belum tersedia\")."),
        Field("keterangan", "Keterangan", example="Diubah dengan Perdes 7/2025"),
    )))


def _tahun(raw: str) -> int:
    if not raw.strip().isdigit() or len(raw.strip()) != 4:
        raise ValueProblem(f'tahun empat angka seperti "2025", ditemukan "{raw}"')
    return int(raw)


@dataclass
class ProdukHukum:
    line: int
    jenis: str
    nomor: str
    tahun: int
    tanggal: dt.date
    tentang: str
    status: str
    berkas: Path | None = None
    keterangan: str = ""

    @property
    def judul(self) -> str:
        return f"{self.jenis} Nomor {self.nomor} Tahun {self.tahun}"


def load_produk_hukum(village_dir: Path, problems: Problems) -> tuple[list[ProdukHukum], list[Ref]]:
    path = village_dir / PRODUK_HUKUM.path
    if not path.is_file():
        return [], []
    out, refs = [], []
    for line, r in read_csv(path, PRODUK_HUKUM, problems, parsers={"tahun": _tahun}):
        berkas = None
        if r.get("berkas"):
            berkas = resolve_ref(village_dir, r["berkas"], problems, path, line, r["_kolom"]["berkas"],
                                 kinds=DOC_EXT, what="berkas")
            if berkas is None:
                continue
            refs.append(Ref(berkas, path, line, r["_kolom"]["berkas"]))
        if r["tanggal"].year != r["tahun"]:
            problems.warning(path, line, r["_kolom"]["tanggal"], f"tanggal penetapan {r['tanggal'].isoformat()} "
                             f"tidak di tahun {r['tahun']}; periksa kembali")
        out.append(ProdukHukum(line, r["jenis"], r["nomor"], r["tahun"], r["tanggal"], r["tentang"], r["status"],
                               berkas, r.get("keterangan", "")))
    return sorted(out, key=lambda p: (-p.tahun, JENIS.index(p.jenis), p.nomor.zfill(6))), refs
