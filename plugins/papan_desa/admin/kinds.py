"""What the admin can edit, derived from the schema declarations (:data:`papan_desa.schema.REGISTRY`).

A schema's ``path`` says how its files are found, so no file list is repeated here:

* ``desa.md``, ``data-desa/wilayah.csv``: one file (``tunggal``);
* ``berita/*.md``: one file per item, named by the admin (``koleksi``);
* ``apbdes/<tahun>.csv``: one file per year (``tahunan``).

The only extra knowledge is which fields hold the path of a photo or a document,
so that the form can offer an upload next to them (:data:`UPLOADS`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import data_kinds  # noqa: F401  (every data module registers its schemas)
from ..schema import REGISTRY, Schema
from .files import NAME

#: (schema, field) -> (what is uploaded, the folder it goes to).
UPLOADS: dict[tuple[str, str], tuple[str, str]] = {
    ("berita", "sampul"): ("gambar", "gambar"),
    ("berita", "foto"): ("gambar", "gambar"),
    ("datadesa_pemerintahan", "foto"): ("gambar", "gambar"),
    ("produk_hukum", "berkas"): ("dokumen", "dokumen"),
    ("informasi_publik", "tautan"): ("dokumen", "dokumen"),
    ("ppid", "formulir"): ("dokumen", "dokumen"),
    ("layanan", "formulir"): ("dokumen", "dokumen"),
}

#: Menu order: what village operators update most often first; anything else follows by name.
ORDER = ("profil", "berita", "pengumuman", "apbdes", "apbdes_meta", "pembangunan", "produk_hukum",
         "informasi_publik", "ppid", "layanan")


@dataclass(frozen=True)
class Kind:
    schema: Schema
    mode: str          # tunggal | koleksi | tahunan
    folder: str        # "" for files at the village root
    pattern: str       # file name pattern: "desa.md", "*.md", "<tahun>.csv"

    @property
    def name(self) -> str:
        return self.schema.name

    @property
    def suffix(self) -> str:
        return Path(self.pattern).suffix

    def rel(self, item: str | None = None) -> str:
        """The village-relative path of a file of this kind (``item`` = name or year)."""
        if self.mode == "tunggal":
            return self.schema.path
        if item is None or not valid_item(self, item):
            raise ValueError(item)
        return f"{self.folder}/{item}{self.suffix}" if self.folder else f"{item}{self.suffix}"

    def items(self, village_dir: Path) -> list[str]:
        """Existing items (file names without suffix), newest first for dated names and years."""
        if self.mode == "tunggal":
            return []
        folder = village_dir / self.folder
        if not folder.is_dir():
            return []
        out = [p.stem for p in folder.glob(f"*{self.suffix}") if p.is_file() and valid_item(self, p.stem)]
        return sorted(out, reverse=True)


def valid_item(kind: Kind, item: str) -> bool:
    if kind.mode == "tahunan":
        return bool(re.fullmatch(r"20\d{2}", item or ""))
    return bool(item) and len(item) <= 100 and bool(NAME.fullmatch(item))


def kind_of(schema: Schema) -> Kind:
    path = schema.path
    folder, _, base = path.rpartition("/")
    if base.startswith("*"):
        return Kind(schema, "koleksi", folder, base)
    if base.startswith("<tahun>"):
        return Kind(schema, "tahunan", folder, base)
    return Kind(schema, "tunggal", folder, base)


def kinds() -> dict[str, Kind]:
    rank = {n: i for i, n in enumerate(ORDER)}
    names = sorted(REGISTRY, key=lambda n: (rank.get(n, len(ORDER)), n))
    return {n: kind_of(REGISTRY[n]) for n in names}
