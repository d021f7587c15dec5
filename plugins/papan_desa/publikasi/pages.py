"""Pages and files of the village publications (a builder in ``papan_desa.data_kinds``)."""
from __future__ import annotations

import html
from collections import Counter, OrderedDict
from pathlib import Path

from ..pages import Artifact, NavItem, Page, SiteParts
from ..village import Desa
from . import gambar as _gambar
from .common import village_rel
from .load import Publikasi
from .pengumuman import hari_ini
from .permohonan import kanal_desa, permohonan
from .render import markdown_html


def published_document(path, cache_dir) -> bytes:
    """A document as published: PDFs without author, producer, XMP or scripts (cached by content)."""
    from ..cache import cached, key
    from ..guard import strip_pdf_metadata

    raw = path.read_bytes()
    if path.suffix.lower() != ".pdf":
        return raw

    def strip() -> bytes:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "bersih.pdf"
            strip_pdf_metadata(path, out)   # a PDF the guard could not read never gets this far
            return out.read_bytes()

    return cached(cache_dir, "dokumen", key("pdf-tanpa-metadata-1", raw), strip)


def village_url(desa: Desa, settings: dict) -> str:
    return f"{(settings.get('SITEURL') or '').rstrip('/')}/{desa.slug}"


def process_images(pub: Publikasi, desa: Desa, settings: dict) -> list[Artifact]:
    """Resize every referenced photo (cached); fills ``pub.gambar_olah`` and returns the files to write."""
    cache = settings.get("_PAPAN_CACHE_DIR")
    arts: dict[str, bytes] = {}
    for ref in pub.gambar:
        rel = village_rel(desa.dir, ref.target)
        if rel in pub.gambar_olah:
            continue
        g = _gambar.process(ref.target, desa.dir, cache)
        pub.gambar_olah[rel] = g
        arts.update(g.berkas)
    return [Artifact(k, v) for k, v in sorted(arts.items())]


def _figure(g, base: str, alt: str, caption: str = "", cls: str = "foto") -> str:
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="{cls}">{g.picture(base, alt)}{cap}</figure>'


def berita_html(pub: Publikasi, desa: Desa, base: str, b) -> tuple[str, str]:
    """(content, summary) of a news post: sanitised body with the cover above and the photos below."""
    body = markdown_html(b.body, desa.dir, base, pub.gambar_olah)
    parts = []
    if b.sampul is not None:
        g = pub.gambar_olah.get(village_rel(desa.dir, b.sampul))
        if g:
            parts.append(_figure(g, base, b.sampul_keterangan, cls="foto sampul"))
    parts.append(body)
    fotos = [pub.gambar_olah.get(village_rel(desa.dir, f)) for f in b.foto]
    if any(fotos):
        parts.append('<div class="galeri">' + "".join(_figure(g, base, f"Foto {i} dari {b.title}")
                                                       for i, g in enumerate(fotos, 1) if g) + "</div>")
    summary = markdown_html(b.summary, desa.dir, base, {}) if b.summary else ""
    return "\n".join(parts), summary


def publikasi(desa: Desa, settings: dict) -> SiteParts:
    parts = SiteParts()
    pub: Publikasi | None = desa.data.get("publikasi")
    if pub is None:
        return parts
    base = village_url(desa, settings)
    pub.pengumuman.hari_ini = hari_ini(settings, pub.tanggal_data())
    parts.artifacts += process_images(pub, desa, settings)
    for rel, d in pub.dokumen.items():
        data = published_document(d.path, settings.get("_PAPAN_CACHE_DIR"))
        d.ukuran = len(data)   # the size shown is the size downloaded
        parts.artifacts.append(Artifact(rel, data))

    def md(text):
        return markdown_html(text, desa.dir, base, pub.gambar_olah)

    ctx = {"PUB": pub, "HARI_INI": pub.pengumuman.hari_ini}
    # Urgent notices: the banner is in base.html (``_pengumuman.html``); the archive has its own page.
    for p in pub.pengumuman.semua:
        p.body_html = md(p.body)
    if pub.pengumuman.semua:
        parts.pages.append(Page("pengumuman/index.html", "publikasi_pengumuman.html", dict(ctx),
                                title="Pengumuman serta-merta"))
        parts.nav.append(NavItem("Pengumuman", "pengumuman/", 12))
    if pub.pembangunan:
        years: OrderedDict[int, list] = OrderedDict()
        for p in pub.pembangunan:
            years.setdefault(p.tahun, []).append(p)
        parts.pages.append(Page("pembangunan/index.html", "publikasi_pembangunan.html",
                                {**ctx, "per_tahun": years}, title="Pembangunan"))
        for p in pub.pembangunan:
            fotos = [(f, pub.gambar_olah[village_rel(desa.dir, f.path)]) for f in p.foto]
            parts.pages.append(Page(f"pembangunan/{p.slug}/index.html", "publikasi_proyek.html",
                                    {**ctx, "proyek": p, "fotos": fotos, "uraian_html": md(p.body), "BASE": base},
                                    title=p.nama))
        parts.nav.append(NavItem("Pembangunan", "pembangunan/", 30))
    layanan_daftar = []
    if pub.layanan:
        # Requests from the resident's phone (#23): one channel per village, one message per service.
        kanal = kanal_desa(desa.profil.values)
        nama_desa = f"{desa.profil.jenis.capitalize()} {desa.nama}"
        parts.pages.append(Page("layanan/index.html", "publikasi_layanan.html", {**ctx, "kanal": kanal},
                                title="Layanan"))
        for s in pub.layanan:
            forms = [pub.dokumen[village_rel(desa.dir, f)] for f in s.formulir]
            jam = s.jam_layanan or desa.profil.get("jam_layanan", "")
            parts.pages.append(Page(f"layanan/{s.slug}/index.html", "publikasi_layanan_item.html",
                                    {**ctx, "layanan": s, "isi_html": md(s.body), "formulir": forms, "jam": jam,
                                     "permohonan": permohonan(s.nama, s.persyaratan, nama_desa, kanal)},
                                    title=s.nama))
            layanan_daftar.append({"nama": s.nama, "url": f"layanan/{s.slug}/", "waktu": s.waktu,
                                   "biaya": s.biaya_teks, "jam": jam, "kanal": kanal.jenis if kanal else None})
        parts.nav.append(NavItem("Layanan", "layanan/", 40))
    if pub.produk_hukum:
        docs = {id(p): pub.dokumen.get(village_rel(desa.dir, p.berkas)) if p.berkas else None
                for p in pub.produk_hukum}
        parts.pages.append(Page("produk-hukum/index.html", "publikasi_produk_hukum.html",
                                {**ctx, "dok": {i: d for i, d in docs.items()}, "id": id}, title="Produk hukum"))
        parts.nav.append(NavItem("Produk hukum", "produk-hukum/", 60))
    kelas = OrderedDict((k, [e for e in pub.dip if e.klasifikasi == k])
                        for k in ("berkala", "serta-merta", "setiap saat", "dikecualikan"))
    parts.pages.append(Page("informasi-publik/index.html", "publikasi_informasi.html",
                            {**ctx, "kelas": kelas, "ppid_html": md(pub.ppid.body) if pub.ppid else "",
                             "dok": pub.dokumen}, title="Informasi publik"))
    parts.nav.append(NavItem("Informasi publik", "informasi-publik/", 70))
    if pub.dokumen:
        parts.pages.append(Page("dokumen/index.html", "publikasi_dokumen.html", dict(ctx), title="Dokumen"))
    terbit = sorted((b for b in pub.berita if not b.draft), key=lambda b: (b.date, b.slug), reverse=True)
    parts.summary["publikasi"] = {
        # For the portal: openness (news within N days) and the kabupaten-wide news page and feed.
        "berita_terbaru": terbit[0].date.date().isoformat() if terbit else None,
        "berita_daftar": [{"judul": b.title, "tanggal": b.date.isoformat(), "url": f"berita/{b.slug}/",
                           "kategori": b.category} for b in terbit[:5]],
        "berita": len(pub.berita),
        "pengumuman_aktif": len(pub.pengumuman.aktif),
        "pembangunan": len(pub.pembangunan),
        "pembangunan_status": dict(sorted(Counter(p.status for p in pub.pembangunan).items())),
        "layanan": len(pub.layanan),
        "layanan_daftar": layanan_daftar,
        "produk_hukum": len(pub.produk_hukum),
        "dip": len(pub.dip),
        "dokumen": len(pub.dokumen),
        "foto": len(pub.gambar_olah),
    }
    return parts
