"""Development projects (``pembangunan/<proyek>.md`` plus dated photos in ``pembangunan/<proyek>/``).

A project may name its APBDes activity code (``Kegiatan_apbdes: 03.02.05``);
when the budget data for that year exists, the page shows the budget line and a
different amount is a warning.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems, expected_found
from ..schema import Field, Schema, ValueProblem, register
from .common import IMAGE_EXT, check_header, parse_persen, parse_rupiah, slug_of
from .gambar import check_image

STATUS = ("rencana", "berjalan", "selesai", "tertunda", "batal")

PEMBANGUNAN = register(Schema(
    name="pembangunan", title="Pembangunan", path="pembangunan/*.md", format="markdown",
    description=("Satu berkas per kegiatan pembangunan, mis. `pembangunan/jut-krajan-2025.md`; isi di bawah kepala "
                 "berkas (Markdown) menjelaskan kegiatannya. Foto perkembangan disimpan di folder dengan nama yang "
                 "sama (`pembangunan/jut-krajan-2025/`), nama tiap foto diawali tanggal pengambilan lalu keterangan: "
                 "`2025-05-10-pengecoran-tahap-1.jpg`. Foto diurutkan menurut tanggal menjadi linimasa."),
    fields=(
        Field("nama", "Nama kegiatan", required=True, example="Pembangunan jalan usaha tani Dusun Krajan", max_length=200),
        Field("lokasi", "Lokasi / dusun", required=True, example="Dusun Krajan RT 02"),
        Field("tahun", "Tahun anggaran", "angka", required=True, example="2025"),
        Field("volume", "Volume", "angka", example="350", minimum=Decimal(0)),
        Field("satuan", "Satuan volume", example="m", help="m, m², m³, unit, titik…"),
        Field("sumber_dana", "Sumber dana", required=True, example="DDS",
              help="DDS (Dana Desa), ADD, PBH, PBK (bantuan keuangan kabupaten/provinsi), PAD, swadaya…"),
        Field("anggaran", "Anggaran (Rp)", required=True, example="125.000.000"),
        Field("realisasi", "Realisasi (Rp)", example="118.500.000"),
        Field("progres", "Kemajuan fisik (%)", example="75", unit="%"),
        Field("status", "Status", "pilihan", required=True, choices=STATUS, example="berjalan"),
        Field("pelaksana", "Pelaksana", example="TPK Desa Kaligowong"),
        Field("kegiatan_apbdes", "Kode kegiatan APBDes", example="03.02.05",
              help="Kode bidang.sub bidang.kegiatan di APBDes; bila data APBDes tahun itu ada, anggarannya dicocokkan."),
        Field("mulai", "Tanggal mulai", "tanggal", example="2025-04-01"),
        Field("selesai", "Tanggal selesai", "tanggal", example="2025-07-31"),
    )))

_KODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_FOTO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_ ](.*))?$")


def _tahun(raw: str) -> int:
    if not re.fullmatch(r"20\d{2}", raw.strip()):
        raise ValueProblem(f'tahun empat angka seperti "2025", ditemukan "{raw}"')
    return int(raw)


def _kode(raw: str) -> str:
    if not _KODE.match(raw.strip()):
        raise ValueProblem(f'kode kegiatan berbentuk BB.SS.KK seperti "03.02.05", ditemukan "{raw}"')
    return raw.strip()


@dataclass
class Foto:
    path: Path
    tanggal: dt.date
    keterangan: str


@dataclass
class BarisAnggaran:
    """The APBDes line(s) a project points to."""
    kode: str
    uraian: str
    anggaran: Decimal
    realisasi: Decimal | None


@dataclass
class Proyek:
    path: Path
    slug: str
    nama: str
    lokasi: str
    tahun: int
    sumber_dana: str
    anggaran: Decimal
    status: str
    volume: Decimal | None = None
    satuan: str = ""
    realisasi: Decimal | None = None
    progres: Decimal | None = None
    pelaksana: str = ""
    kegiatan_apbdes: str = ""
    mulai: dt.date | None = None
    selesai: dt.date | None = None
    body: str = ""
    body_line: int = 1
    foto: list[Foto] = field(default_factory=list)
    apbdes: BarisAnggaran | None = None
    peringatan: list[str] = field(default_factory=list)

    @property
    def sampul(self) -> Foto | None:
        return self.foto[-1] if self.foto else None


def anggaran_apbdes(village_dir: Path, tahun: int, kode: str, _cache: dict | None = None) -> BarisAnggaran | None:
    """The budget of APBDes activity ``kode`` in ``tahun`` from the budget data, or None when there is none.

    The one place that talks to :mod:`papan_desa.apbdes`; its problems are reported by the budget loader.
    """
    try:
        from ..apbdes import load_village_apbdes
    except ImportError:  # pragma: no cover - budget module not installed
        return None
    key = str(village_dir)
    if _cache is not None and key in _cache:
        years = _cache[key]
    else:
        try:
            years = load_village_apbdes(village_dir, Problems())
        except Exception:  # noqa: BLE001 - the budget loader reports its own problems
            years = []
        if _cache is not None:
            _cache[key] = years
    for y in years:
        if y.tahun != tahun:
            continue
        rows = [b for b in y.baris if b.kegiatan == kode]
        if not rows:
            return None
        total = sum((b.nilai.akhir for b in rows), Decimal(0))
        real = [b.nilai.realisasi for b in rows]
        uraian = y.nama_kegiatan.get(kode) or (rows[0].uraian if len(rows) == 1 else "")
        return BarisAnggaran(kode, uraian, total, sum(real, Decimal(0)) if all(r is not None for r in real) else None)
    return None


def _photos(village_dir: Path, folder: Path, problems: Problems) -> list[Foto]:
    out = []
    if not folder.is_dir():
        return out
    for p in sorted(folder.iterdir()):
        if p.name.startswith(".") or not p.is_file():
            continue
        if p.suffix.lower() not in IMAGE_EXT:
            problems.warning(p, 0, 0, "berkas ini bukan foto (JPG/PNG/WebP) dan diabaikan")
            continue
        m = _FOTO.match(p.stem)
        try:
            tgl = dt.date.fromisoformat(m.group(1)) if m else None
        except ValueError:
            tgl = None
        if tgl is None:
            problems.error(p, 0, 0, "nama foto pembangunan harus diawali tanggal pengambilan; "
                           + expected_found('nama seperti "2025-05-10-pengecoran-tahap-1.jpg"', p.name))
            continue
        if not check_image(p, problems, p, 0, 0):
            continue
        ket = re.sub(r"[-_]+", " ", m.group(2) or "").strip()
        out.append(Foto(p, tgl, ket[:1].upper() + ket[1:]))
    return sorted(out, key=lambda f: (f.tanggal, f.path.name))


def load_project(village_dir: Path, path: Path, problems: Problems, cache: dict | None = None) -> Proyek | None:
    before = len(problems.errors)
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    v = check_header(doc, PEMBANGUNAN, problems, parsers={
        "tahun": _tahun, "anggaran": parse_rupiah, "realisasi": parse_rupiah, "progres": parse_persen,
        "kegiatan_apbdes": _kode})
    fotos = _photos(village_dir, path.with_suffix(""), problems)
    if len(problems.errors) > before or any(f.name not in v for f in PEMBANGUNAN.required):
        return None
    p = Proyek(path, slug_of(path), v["nama"], v["lokasi"], v["tahun"], v["sumber_dana"], v["anggaran"],
               v["status"], v.get("volume"), v.get("satuan", ""), v.get("realisasi"), v.get("progres"),
               v.get("pelaksana", ""), v.get("kegiatan_apbdes", ""), v.get("mulai"), v.get("selesai"),
               doc.body.strip(), doc.body_line, fotos)

    def warn(key: str, msg: str) -> None:
        mv = doc.meta.get(key)
        problems.warning(path, mv.line if mv else 1, mv.column if mv else 1, msg)
        p.peringatan.append(msg)

    if p.volume is not None and not p.satuan:
        warn("volume", 'volume tanpa satuan; tambahkan baris "Satuan: m" (atau m², unit, …)')
    if p.realisasi is not None and p.realisasi > p.anggaran:
        warn("realisasi", f"realisasi (Rp {p.realisasi:,.0f}) melebihi anggaran (Rp {p.anggaran:,.0f})".replace(",", "."))
    if p.status == "selesai" and p.progres is not None and p.progres < 100:
        warn("progres", f"status selesai tetapi kemajuan fisik {p.progres}%; diharapkan 100")
    if p.mulai and p.selesai and p.selesai < p.mulai:
        problems.error(path, doc.meta["selesai"].line, doc.meta["selesai"].column,
                       "tanggal selesai sebelum tanggal mulai; diharapkan tanggal yang sama atau sesudahnya")
        return None
    if p.kegiatan_apbdes:
        line = anggaran_apbdes(village_dir, p.tahun, p.kegiatan_apbdes, cache)
        p.apbdes = line
        if line is not None and line.anggaran != p.anggaran:
            warn("anggaran", f"anggaran kegiatan ini (Rp {p.anggaran:,.0f}) berbeda dengan APBDes {p.tahun} "
                 f"kegiatan {p.kegiatan_apbdes} (Rp {line.anggaran:,.0f}); samakan salah satunya".replace(",", "."))
    return p


def load_pembangunan(village_dir: Path, problems: Problems) -> list[Proyek]:
    folder = village_dir / "pembangunan"
    if not folder.is_dir():
        return []
    cache: dict = {}
    items = [p for path in sorted(folder.glob("*.md")) if (p := load_project(village_dir, path, problems, cache))]
    return sorted(items, key=lambda p: (-p.tahun, STATUS.index(p.status), p.nama))
