"""All publications of one village, loaded and cross-checked as the ``publikasi`` data kind."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problems
from .berita import Berita, Ref, body_refs, load_berita
from .dip import EntriDIP, Ppid, load_dip, load_ppid
from .dokumen import Dokumen, collect
from .layanan import Layanan, load_layanan
from .permohonan import periksa_kanal
from .pembangunan import Proyek, load_pembangunan
from .pengumuman import PengumumanDesa, load_pengumuman
from .produk_hukum import ProdukHukum, load_produk_hukum


@dataclass
class Publikasi:
    berita: list[Berita] = field(default_factory=list)
    pengumuman: PengumumanDesa = field(default_factory=PengumumanDesa)
    pembangunan: list[Proyek] = field(default_factory=list)
    layanan: list[Layanan] = field(default_factory=list)
    produk_hukum: list[ProdukHukum] = field(default_factory=list)
    dip: list[EntriDIP] = field(default_factory=list)
    ppid: Ppid | None = None
    dokumen: dict[str, Dokumen] = field(default_factory=dict)
    gambar: list[Ref] = field(default_factory=list)        # every image to process (cover, photos, bodies)
    gambar_olah: dict = field(default_factory=dict)        # village-relative path -> gambar.Gambar (set by pages)

    def tanggal_data(self) -> list[dt.date]:
        """Dates in the publications, for the deterministic build date (see pengumuman.hari_ini)."""
        return [b.date.date() for b in self.berita] + [p.mulai for p in self.pengumuman.semua]


def load_publikasi(village_dir: Path, problems: Problems) -> Publikasi:
    village_dir = Path(village_dir)
    pub = Publikasi()
    pub.berita = load_berita(village_dir, problems)
    pub.pengumuman = load_pengumuman(village_dir, problems)
    pub.pembangunan = load_pembangunan(village_dir, problems)
    pub.layanan = load_layanan(village_dir, problems)
    periksa_kanal(village_dir, problems, bool(pub.layanan))
    pub.produk_hukum, ph_refs = load_produk_hukum(village_dir, problems)
    pub.dip, dip_refs = load_dip(village_dir, problems)
    pub.ppid, ppid_refs = load_ppid(village_dir, problems)
    doc_refs = ph_refs + dip_refs + ppid_refs
    for b in pub.berita:
        pub.gambar += b.gambar
        doc_refs += b.dokumen
    for s in pub.layanan:
        doc_refs += s.dokumen
    for p in pub.pengumuman.semua:
        imgs, docs = body_refs(village_dir, p.path, p.body, p.body_line, problems)
        pub.gambar += imgs
        doc_refs += docs
    for p in pub.pembangunan:
        imgs, docs = body_refs(village_dir, p.path, p.body, p.body_line, problems)
        pub.gambar += imgs + [Ref(f.path, f.path, 0, 0) for f in p.foto]
        doc_refs += docs
    pub.dokumen = collect(village_dir, doc_refs, problems)
    _check_page_names(village_dir, pub, problems)
    return pub


def _check_page_names(village_dir: Path, pub: Publikasi, problems: Problems) -> None:
    """An extra page (halaman/*.md) must not take the address of a publication page."""
    from ..markdown_meta import parse_markdown
    taken = {"informasi-publik": True, "pengumuman": bool(pub.pengumuman.semua), "pembangunan": bool(pub.pembangunan),
             "layanan": bool(pub.layanan), "produk-hukum": bool(pub.produk_hukum), "dokumen": bool(pub.dokumen),
             "gambar": bool(pub.gambar)}
    folder = village_dir / "halaman"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        doc = parse_markdown(path, Problems())
        mv = doc.meta.get("slug") if doc else None
        slug = mv.value.strip() if mv else path.stem
        if taken.get(slug):
            problems.error(path, mv.line if mv else 1, mv.column if mv else 1,
                           f'alamat halaman "{slug}/" sudah dipakai halaman {slug.replace("-", " ")} desa; '
                           "beri nama berkas atau baris Slug yang lain")
