"""News posts (``berita/*.md``): checked here with line numbers before Pelican reads them.

Pelican renders the posts (archive, categories, Atom feed); this module checks
each header (title and date required, the date parses, the cover and photos
exist inside the village folder and are images) and every image or document
the body points to, so that a mistake is an Indonesian ``file:line`` error.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems
from ..schema import Field, Schema, register
from .common import DOC_EXT, IMAGE_EXT, check_header, parse_datetime, resolve_ref, split_list
from .gambar import check_image

BERITA = register(Schema(
    name="berita", title="Berita", path="berita/*.md", format="markdown",
    description=("Satu berkas per berita. Bagian atas berisi baris `Kunci: nilai` (nama kunci seperti Pelican: "
                 "`Title`, `Date`, …), lalu satu baris kosong, lalu isi berita dalam Markdown. Gambar dan dokumen "
                 "ditulis dengan jalur dari folder desa, mis. `![Warga kerja bakti](gambar/kerja-bakti.jpg)` atau "
                 "`[Undangan](dokumen/undangan.pdf)`. Foto diperkecil otomatis dan data lokasinya (GPS) dihapus."),
    fields=(
        Field("title", "Judul", required=True, example="Musyawarah Desa Penyusunan RKP Desa 2026", max_length=200),
        Field("date", "Tanggal terbit", "tanggal", required=True, example="2025-03-12 09:00",
              help="TTTT-BB-HH, boleh dengan jam JJ:MM."),
        Field("author", "Penulis", example="Operator Desa", max_length=100),
        Field("category", "Kategori", example="Pemerintahan", max_length=60,
              help="Berita dengan kategori yang sama dikumpulkan di satu halaman."),
        Field("slug", "Alamat berita", example="musdes-rkp-desa-2026",
              help="Huruf kecil, angka dan tanda hubung; bila kosong diambil dari nama berkas."),
        Field("summary", "Ringkasan", help="Satu-dua kalimat untuk daftar berita dan umpan Atom.", max_length=400),
        Field("sampul", "Foto sampul", example="gambar/musdes-2025.jpg",
              help="Jalur foto dari folder desa; tampil di atas berita."),
        Field("sampul_keterangan", "Keterangan foto sampul", example="Suasana musyawarah di balai desa",
              help="Teks pengganti foto untuk pembaca layar; wajib bila ada foto sampul."),
        Field("foto", "Foto lain", example="gambar/musdes-1.jpg, gambar/musdes-2.jpg",
              help="Daftar jalur foto dipisah koma; tampil di bawah berita."),
        Field("status", "Status", "pilihan", choices=("published", "draft"),
              help='"draft" = belum diterbitkan.'),
    )))

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Markdown images/links and HTML src/href in the body.
_MD_REF = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_REF = re.compile(r"""(?i)\b(src|href)\s*=\s*["']([^"']+)["']""")


@dataclass
class Ref:
    target: Path
    file: Path
    line: int
    column: int


@dataclass
class Berita:
    path: Path
    slug: str
    title: str
    date: dt.datetime
    author: str = ""
    category: str = ""
    summary: str = ""
    body: str = ""
    body_line: int = 1
    draft: bool = False
    sampul: Path | None = None
    sampul_keterangan: str = ""
    foto: list[Path] = field(default_factory=list)
    gambar: list[Ref] = field(default_factory=list)      # every image: cover, photos, body
    dokumen: list[Ref] = field(default_factory=list)     # documents linked from the body


def _is_local(ref: str) -> bool:
    r = ref.strip()
    return bool(r) and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", r) and not r.startswith(("#", "//"))


def body_refs(village_dir: Path, path: Path, body: str, body_line: int, problems: Problems,
              ) -> tuple[list[Ref], list[Ref]]:
    """Images and documents a Markdown body points to, checked (exists, inside, right kind)."""
    images, docs = [], []
    hits = [(m.start(3), m.group(1) == "!", m.group(3)) for m in _MD_REF.finditer(body)]
    hits += [(m.start(2), m.group(1).lower() == "src", m.group(2)) for m in _HTML_REF.finditer(body)]
    for pos, is_img, ref in sorted(hits):
        if not _is_local(ref):
            continue
        line = body_line + body.count("\n", 0, pos)
        col = pos - (body.rfind("\n", 0, pos) + 1) + 1
        clean = ref.split("#")[0].split("?")[0]
        suffix = Path(clean).suffix.lower()
        if is_img:
            t = resolve_ref(village_dir, clean, problems, path, line, col, kinds=IMAGE_EXT, what="gambar")
            if t is not None and check_image(t, problems, path, line, col):
                images.append(Ref(t, path, line, col))
        elif suffix in DOC_EXT:
            t = resolve_ref(village_dir, clean, problems, path, line, col, kinds=DOC_EXT, what="dokumen")
            if t is not None:
                docs.append(Ref(t, path, line, col))
        elif suffix in IMAGE_EXT:
            t = resolve_ref(village_dir, clean, problems, path, line, col, kinds=IMAGE_EXT, what="gambar")
            if t is not None and check_image(t, problems, path, line, col):
                images.append(Ref(t, path, line, col))
    return images, docs


def load_post(village_dir: Path, path: Path, problems: Problems) -> Berita | None:
    before = len(problems.errors)
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    v = check_header(doc, BERITA, problems, extra_ok=("tags", "modified", "lang", "template", "save_as", "url"),
                     parsers={"date": parse_datetime})
    slug = v.get("slug") or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if "slug" in v and not _SLUG.match(slug):
        mv = doc.meta["slug"]
        problems.error(path, mv.line, mv.column, f'alamat berita (slug) hanya huruf kecil, angka dan tanda hubung; '
                       f'diharapkan seperti "musdes-rkp-2026", ditemukan "{slug}"')
    images: list[Ref] = []
    sampul = None
    if "sampul" in v:
        mv = doc.meta["sampul"]
        sampul = resolve_ref(village_dir, v["sampul"], problems, path, mv.line, mv.column, kinds=IMAGE_EXT,
                             what="foto sampul")
        if sampul is not None and check_image(sampul, problems, path, mv.line, mv.column):
            images.append(Ref(sampul, path, mv.line, mv.column))
        else:
            sampul = None
        if not v.get("sampul_keterangan"):
            problems.error(path, mv.line, 1, "foto sampul perlu keterangan untuk pembaca layar; "
                           'tambahkan baris "Sampul_keterangan: …" yang menjelaskan isi foto')
    foto = []
    if "foto" in v:
        mv = doc.meta["foto"]
        for ref, off in split_list(v["foto"]):
            t = resolve_ref(village_dir, ref, problems, path, mv.line, mv.column + off, kinds=IMAGE_EXT, what="foto")
            if t is not None and check_image(t, problems, path, mv.line, mv.column + off):
                foto.append(t)
                images.append(Ref(t, path, mv.line, mv.column + off))
    body_imgs, docs = body_refs(village_dir, path, doc.body, doc.body_line, problems)
    if len(problems.errors) > before or "title" not in v or "date" not in v:
        return None
    return Berita(path, slug, v["title"], v["date"], v.get("author", ""), v.get("category", ""),
                  v.get("summary", ""), doc.body, doc.body_line, v.get("status") == "draft", sampul,
                  v.get("sampul_keterangan", ""), foto, images + body_imgs, docs)


def load_berita(village_dir: Path, problems: Problems) -> list[Berita]:
    """Every post, newest first; duplicate addresses are an error."""
    folder = village_dir / "berita"
    if not folder.is_dir():
        return []
    posts = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        b = load_post(village_dir, path, problems)
        if b is None:
            continue
        if b.slug in seen:
            problems.error(path, 1, 1, f'alamat berita "{b.slug}" sudah dipakai oleh {seen[b.slug].name}; '
                           'beri baris "Slug: …" yang berbeda')
            continue
        seen[b.slug] = path
        posts.append(b)
    return sorted(posts, key=lambda b: (b.date, b.slug), reverse=True)
