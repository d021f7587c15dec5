"""The village's service standard (UU 25/2009): one ``layanan/<layanan>.md`` per letter or service."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems
from ..schema import Field, Schema, register
from .berita import Ref, body_refs
from .common import DOC_EXT, check_header, resolve_ref, slug_of, split_list

LAYANAN = register(Schema(
    name="layanan", title="Standar layanan", path="layanan/*.md", format="markdown",
    description=("Standar pelayanan (UU 25/2009) untuk setiap surat atau layanan desa, satu berkas per layanan. "
                 "Di bawah kepala berkas tulis dua bagian Markdown: `## Persyaratan` (daftar berkas yang dibawa) "
                 "dan `## Prosedur` (langkah bernomor). Formulir PDF disimpan di `dokumen/`."),
    fields=(
        Field("nama", "Nama layanan", required=True, example="Surat Keterangan Domisili", max_length=150),
        Field("waktu", "Waktu penyelesaian", required=True, example="1 hari kerja"),
        Field("biaya", "Biaya", required=True, example="Gratis", help='Tulis "Gratis" bila tidak dipungut biaya.'),
        Field("tempat", "Tempat layanan", required=True, example="Kantor desa, loket pelayanan, Senin–Jumat 08.00–14.00"),
        Field("petugas", "Petugas / penanggung jawab", example="Kasi Pelayanan"),
        Field("formulir", "Formulir", example="dokumen/formulir-domisili.pdf",
              help="Jalur PDF formulir dari folder desa, dipisah koma."),
        Field("dasar_hukum", "Dasar hukum", example="Permendagri 18/2018"),
        Field("urutan", "Urutan tampil", "angka", example="1", minimum=Decimal(0)),
    )))

_BAGIAN = {"persyaratan": re.compile(r"(?im)^#{2,3}\s*persyaratan\b"),
           "prosedur": re.compile(r"(?im)^#{2,3}\s*(prosedur|langkah|alur)\b")}


@dataclass
class Layanan:
    path: Path
    slug: str
    nama: str
    waktu: str
    biaya: str
    tempat: str
    petugas: str = ""
    dasar_hukum: str = ""
    urutan: Decimal = Decimal(999)
    formulir: list[Path] = field(default_factory=list)
    body: str = ""
    dokumen: list[Ref] = field(default_factory=list)

    @property
    def gratis(self) -> bool:
        return self.biaya.strip().lower() in ("gratis", "rp 0", "0", "tidak dipungut biaya")


def load_service(village_dir: Path, path: Path, problems: Problems) -> Layanan | None:
    before = len(problems.errors)
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    v = check_header(doc, LAYANAN, problems)
    for name, rx in _BAGIAN.items():
        if not rx.search(doc.body):
            problems.error(path, doc.body_line, 1, f'bagian "## {name.capitalize()}" tidak ada; standar layanan '
                           "wajib memuat persyaratan dan prosedur (UU 25/2009)")
    refs: list[Ref] = []
    forms = []
    if "formulir" in v:
        mv = doc.meta["formulir"]
        for ref, off in split_list(v["formulir"]):
            t = resolve_ref(village_dir, ref, problems, path, mv.line, mv.column + off, kinds=DOC_EXT, what="formulir")
            if t is not None:
                forms.append(t)
                refs.append(Ref(t, path, mv.line, mv.column + off))
    _imgs, docs = body_refs(village_dir, path, doc.body, doc.body_line, problems)
    if len(problems.errors) > before or any(f.name not in v for f in LAYANAN.required):
        return None
    return Layanan(path, slug_of(path), v["nama"], v["waktu"], v["biaya"], v["tempat"], v.get("petugas", ""),
                   v.get("dasar_hukum", ""), v.get("urutan", Decimal(999)), forms, doc.body.strip(), refs + docs)


def load_layanan(village_dir: Path, problems: Problems) -> list[Layanan]:
    folder = village_dir / "layanan"
    if not folder.is_dir():
        return []
    items = [s for path in sorted(folder.glob("*.md")) if (s := load_service(village_dir, path, problems))]
    return sorted(items, key=lambda s: (s.urutan, s.nama))
