"""Urgent notices (informasi serta-merta, Perki 1/2018): ``pengumuman/*.md``.

A notice is shown at the top of every page of the village from the build date
until its end date ("Selesai").  The build date is deterministic (see
:func:`hari_ini`): the same input always gives the same pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems
from ..schema import Field, Schema, register
from .common import check_header, slug_of

JENIS = ("bencana alam", "bencana non-alam", "bencana sosial", "wabah penyakit", "keracunan makanan",
         "pemadaman air", "pemadaman listrik", "gangguan jalan", "lainnya")

PENGUMUMAN = register(Schema(
    name="pengumuman", title="Pengumuman serta-merta", path="pengumuman/*.md", format="markdown",
    description=("Informasi yang wajib diumumkan serta-merta (Perki 1/2018): bencana, wabah, keracunan, "
                 "pemadaman air atau listrik terencana. Satu berkas per pengumuman. Pengumuman tampil di bagian atas "
                 "SETIAP halaman desa sampai tanggal selesai, lalu pindah ke arsip. Isi di bawah kepala berkas "
                 "(Markdown) boleh berisi keterangan tambahan."),
    fields=(
        Field("judul", "Judul", required=True, example="Pemadaman air PDAM di Dusun Krajan", max_length=150),
        Field("jenis", "Jenis kejadian", "pilihan", required=True, choices=JENIS, example="pemadaman air"),
        Field("mulai", "Tanggal mulai", "tanggal", required=True, example="2025-08-10"),
        Field("selesai", "Tanggal selesai", "tanggal", required=True, example="2025-08-11",
              help="Tidak boleh sebelum tanggal mulai. Setelah tanggal ini pengumuman tidak tampil lagi di atas halaman."),
        Field("bahaya", "Apa yang terjadi", required=True, example="Perbaikan pipa induk; air PDAM mati 08.00–16.00",
              help="Potensi bahaya atau gangguan yang diumumkan."),
        Field("terdampak", "Siapa yang terdampak", required=True, example="Warga Dusun Krajan RT 01–04"),
        Field("tindakan", "Apa yang harus dilakukan", required=True,
              example="Tampung air sehari sebelumnya; air bersih tersedia di balai dusun",
              help="Cara menghindari bahaya, mengungsi, atau mendapatkan bantuan."),
        Field("penanggung_jawab", "Penanggung jawab", required=True, example="Kasi Pelayanan, Budi Santoso"),
        Field("kontak", "Nomor kontak", "telepon", example="0812 2700 4101"),
    )))


@dataclass
class Pengumuman:
    path: Path
    slug: str
    judul: str
    jenis: str
    mulai: dt.date
    selesai: dt.date
    bahaya: str
    terdampak: str
    tindakan: str
    penanggung_jawab: str
    kontak: str = ""
    body: str = ""
    body_line: int = 1
    body_html: str = ""

    def berlaku(self, hari: dt.date) -> bool:
        """Shown on the village's pages: from publication until the end date (an upcoming cut is announced)."""
        return hari <= self.selesai

    def sedang(self, hari: dt.date) -> bool:
        return self.mulai <= hari <= self.selesai


@dataclass
class PengumumanDesa:
    semua: list[Pengumuman] = field(default_factory=list)   # newest start first
    hari_ini: dt.date | None = None                         # set by the page builder

    @property
    def aktif(self) -> list[Pengumuman]:
        if self.hari_ini is None:
            return []
        return [p for p in self.semua if p.berlaku(self.hari_ini)]

    @property
    def arsip(self) -> list[Pengumuman]:
        if self.hari_ini is None:
            return list(self.semua)
        return [p for p in self.semua if not p.berlaku(self.hari_ini)]

    def __bool__(self) -> bool:
        return bool(self.semua)


def load_notice(path: Path, problems: Problems) -> Pengumuman | None:
    before = len(problems.errors)
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    v = check_header(doc, PENGUMUMAN, problems)
    if "mulai" in v and "selesai" in v and v["selesai"] < v["mulai"]:
        mv = doc.meta["selesai"]
        problems.error(path, mv.line, mv.column, f"tanggal selesai ({v['selesai'].isoformat()}) sebelum tanggal mulai "
                       f"({v['mulai'].isoformat()}, baris {doc.meta['mulai'].line}); diharapkan tanggal yang sama "
                       "atau sesudahnya")
    if len(problems.errors) > before or any(f.name not in v for f in PENGUMUMAN.required):
        return None
    return Pengumuman(path, slug_of(path), v["judul"], v["jenis"], v["mulai"], v["selesai"], v["bahaya"],
                      v["terdampak"], v["tindakan"], v["penanggung_jawab"], v.get("kontak", ""), doc.body.strip(),
                      doc.body_line)


def load_pengumuman(village_dir: Path, problems: Problems) -> PengumumanDesa:
    folder = village_dir / "pengumuman"
    items = [p for path in sorted(folder.glob("*.md")) if (p := load_notice(path, problems))] if folder.is_dir() else []
    return PengumumanDesa(sorted(items, key=lambda p: (p.mulai, p.slug), reverse=True))


def hari_ini(settings: dict, dates: list[dt.date]) -> dt.date | None:
    """The build's "today": ``PAPAN_TODAY`` when set (the publishing job sets it to the day of the build),
    else the newest date in the village's own publications; never the machine's clock, so the same
    input always gives the same pages."""
    raw = settings.get("PAPAN_TODAY")
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and raw.strip():
        return dt.date.fromisoformat(raw.strip()[:10])
    return max(dates) if dates else None
