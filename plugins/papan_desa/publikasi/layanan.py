"""The village's service standard (UU 25/2009): one ``layanan/<layanan>.md`` per letter or service."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems
from ..schema import Field, Schema, ValueProblem, register
from .berita import Ref, body_refs
from .common import DOC_EXT, check_header, parse_rupiah, resolve_ref, slug_of, split_list

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
        Field("jam_layanan", "Jam layanan", example="Senin–Kamis 08.00–12.00", max_length=120,
              help="Bila layanan ini punya jam sendiri; bila kosong, dipakai jam layanan di profil desa."),
        Field("petugas", "Petugas / penanggung jawab", example="Kasi Pelayanan"),
        Field("formulir", "Formulir", example="dokumen/formulir-domisili.pdf",
              help="Jalur PDF formulir dari folder desa, dipisah koma."),
        Field("dasar_hukum", "Dasar hukum", example="Permendagri 18/2018"),
        Field("urutan", "Urutan tampil", "angka", example="1", minimum=Decimal(0)),
    )))

_BAGIAN = {"persyaratan": re.compile(r"(?im)^#{2,3}\s*persyaratan\b"),
           "prosedur": re.compile(r"(?im)^#{2,3}\s*(prosedur|langkah|alur)\b")}


_HEADING = re.compile(r"(?m)^#{1,3}\s")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,2}[.)])\s+(.*)$")


def section_items(body: str, name: str) -> list[str]:
    """The list items of a body section (``## Persyaratan``, ``## Prosedur``) as plain text, one per item:
    for the checklist, the request message and the next steps (Markdown marks and link targets dropped)."""
    m = _BAGIAN[name].search(body)
    if not m:
        return []
    rest = body[m.end():]
    end = _HEADING.search(rest)
    items: list[str] = []
    for line in rest[:end.start() if end else len(rest)].splitlines()[1:]:
        hit = _ITEM.match(line)
        if hit:
            items.append(hit.group(1))
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()      # an item continued on the next line
    return [t for t in (_plain(i) for i in items) if t]


def _plain(md: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", md)          # [text](url) -> text
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return " ".join(text.split())


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
    jam_layanan: str = ""

    @property
    def gratis(self) -> bool:
        return self.biaya.strip().lower() in ("gratis", "rp 0", "0", "tidak dipungut biaya")

    @property
    def biaya_rupiah(self) -> Decimal | None:
        """The fee as an amount (0 when free), shown with the ``rupiah`` filter; None when the standard
        states it in words ("sesuai Perdes …"), which is then shown as written."""
        if self.gratis:
            return Decimal(0)
        try:
            return parse_rupiah(self.biaya)
        except ValueProblem:
            return None

    @property
    def biaya_teks(self) -> str:
        """The fee as residents read it: "Rp 0 (gratis)", "Rp 10.000" (the one rupiah formatter) or the words."""
        from ..formatting import rupiah
        amount = self.biaya_rupiah
        if amount is None:
            return self.biaya
        return rupiah(amount) + (" (gratis)" if self.gratis else "")

    @property
    def persyaratan(self) -> list[str]:
        return section_items(self.body, "persyaratan")

    @property
    def prosedur(self) -> list[str]:
        return section_items(self.body, "prosedur")


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
                   v.get("dasar_hukum", ""), v.get("urutan", Decimal(999)), forms, doc.body.strip(), refs + docs,
                   v.get("jam_layanan", ""))


def load_layanan(village_dir: Path, problems: Problems) -> list[Layanan]:
    folder = village_dir / "layanan"
    if not folder.is_dir():
        return []
    items = [s for path in sorted(folder.glob("*.md")) if (s := load_service(village_dir, path, problems))]
    return sorted(items, key=lambda s: (s.urutan, s.nama))
