"""Poster data (what is printed besides the budget), its cache key and the cached lookup.

Kept apart from the drawing code in :mod:`.poster` so that a build whose posters are all in the
cache does not import the PDF writer (fpdf2 and fontTools: a third of a second).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

from .model import TahunAnggaran

# Bump when the drawing changes: part of the cache key, so cached posters are redrawn.
POSTER_VERSION = "7"


@dataclass(frozen=True)
class PosterInfo:
    """Everything on the poster that is not in the budget year itself."""

    nama: str                          # "Kaligowong" (without "Desa")
    url: str                           # absolute URL of the year's budget page (for the QR code)
    jenis: str = "desa"                # "desa" | "kelurahan"
    kecamatan: str = ""
    kabupaten: str = ""
    provinsi: str = ""
    kepala_desa: str = ""
    alamat: str = ""
    telepon: str = ""
    whatsapp: str = ""
    email: str = ""
    pengaduan_nama: str = ""           # the kabupaten's complaint channel, e.g. "SP4N-LAPOR!"
    pengaduan_url: str = ""
    logo: Path | None = None           # PNG of the kabupaten (or village) logo; nothing is fetched
    contoh: bool = False               # sample data: "DATA CONTOH" watermark and notice

    @property
    def sebutan(self) -> str:
        return "Kelurahan" if self.jenis == "kelurahan" else "Desa"

    @property
    def sebutan_kepala(self) -> str:
        return "Lurah" if self.jenis == "kelurahan" else "Kepala Desa"


@dataclass(frozen=True)
class PosterFiles:
    a1_pdf: bytes
    a4_pdf: bytes
    png: bytes


def poster_info(profil, settings: dict, url: str, root: Path | None = None) -> PosterInfo:
    """PosterInfo from a village profile (``profil.Profil``) and the site settings.

    ``PAPAN_LOGO`` (a PNG, relative to ``root`` unless absolute; none by default) is the logo at the
    top left; ``PAPAN_PENGADUAN_NAMA``/``_URL`` name the kabupaten's complaint channel.
    """
    from ..settings import papan_setting

    logo = settings.get("PAPAN_LOGO") or None
    if logo is not None:
        logo = Path(logo)
        if not logo.is_absolute() and root is not None:
            logo = root / logo
    return PosterInfo(
        nama=profil.nama, url=url, jenis=profil.jenis, kecamatan=profil.kecamatan,
        kabupaten=papan_setting(settings, "PAPAN_KABUPATEN"), provinsi=papan_setting(settings, "PAPAN_PROVINSI"),
        kepala_desa=profil.kepala_desa, alamat=profil.alamat_kantor, telepon=str(profil.get("telepon") or ""),
        whatsapp=str(profil.get("whatsapp") or ""), email=str(profil.get("email") or ""),
        pengaduan_nama=papan_setting(settings, "PAPAN_PENGADUAN_NAMA") or "",
        pengaduan_url=papan_setting(settings, "PAPAN_PENGADUAN_URL") or "",
        logo=logo, contoh=profil.contoh)


# --- cache ------------------------------------------------------------------------------

def poster_cache_key(year: TahunAnggaran, info: PosterInfo) -> str:
    """Hash of everything the poster is drawn from: the year's lines and metadata, the info
    (with the logo's bytes, not its path), this module's version and those of fpdf2 (which
    writes the PDF), matplotlib (whose DejaVu Sans it embeds), segno and PDFium (which draws the preview)."""
    import segno

    def plain(v):
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, (_dt.date, Path)):
            return str(v)
        return v

    year_part = {
        "tahun": year.tahun,
        "baris": [[b.kode, b.kegiatan, b.uraian, b.sumber_dana, plain(b.nilai.anggaran), plain(b.nilai.perubahan),
                   plain(b.nilai.realisasi)] for b in year.baris],
        "meta": {f.name: plain(getattr(year.meta, f.name)) for f in fields(year.meta)},
        "nama_kegiatan": dict(sorted(year.nama_kegiatan.items())),
        "peringatan": list(year.peringatan),
    }
    info_part = {k: plain(v) for k, v in asdict(info).items() if k != "logo"}
    if info.logo is not None:
        info_part["logo"] = hashlib.sha256(Path(info.logo).read_bytes()).hexdigest()
    doc = {"v": POSTER_VERSION, "fpdf2": version("fpdf2"), "mpl": version("matplotlib"), "segno": segno.__version__,
           "pdfium": version("pypdfium2"), "year": year_part, "info": info_part}
    data = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


CACHE_FILES = ("a1.pdf", "a4.pdf", "pratinjau.png")


def cached_poster(cache_dir: Path, year: TahunAnggaran, info: PosterInfo, draw) -> PosterFiles:
    """``draw(year, info)`` (the PDF writer, ``poster.make_poster``), read from
    ``<cache_dir>/<key>/{a1.pdf,a4.pdf,pratinjau.png}`` when the same inputs were drawn before;
    otherwise drawn and written there (into a temporary folder, then renamed, so a half-written
    poster is never read). The writer is passed in: this module never imports it."""
    import os
    import shutil

    folder = Path(cache_dir) / poster_cache_key(year, info)
    paths = [folder / n for n in CACHE_FILES]
    if all(p.is_file() for p in paths):
        return PosterFiles(*(p.read_bytes() for p in paths))
    files = draw(year, info)
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, data in zip(CACHE_FILES, (files.a1_pdf, files.a4_pdf, files.png)):
        (tmp / name).write_bytes(data)
    if folder.exists():             # incomplete leftovers
        shutil.rmtree(folder, ignore_errors=True)
    try:
        tmp.rename(folder)
    except OSError:                 # another process stored the same key first: same bytes
        shutil.rmtree(tmp, ignore_errors=True)
    return files
