"""Load one village folder into validated data, with no Pelican involved.

Each kind of village data has a loader in :data:`KINDS` (filled from the table in ``data_kinds``); the build, the
checker (``papan build --check``) and the admin form call :func:`load_village`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .markdown_meta import parse_markdown
from .problems import Problems
from .profil import PROFIL, Profil, load_profil
from .registry import Registry, Wilayah

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# name -> loader(village_dir, problems) returning the data (or None when the village has none).
KINDS: dict[str, Callable[[Path, Problems], Any]] = {}


@dataclass
class Desa:
    slug: str
    dir: Path
    profil: Profil
    wilayah: Wilayah | None
    data: dict[str, Any] = field(default_factory=dict)
    # Files withheld by this build (see tahan.py): village-relative path -> ISO date of the last good
    # version published in their place, or None when there is none (the file is not yet published).
    ditahan: dict[str, str | None] = field(default_factory=dict)

    def versi_sah(self, *rels: str) -> str | None:
        """The date of the last good version published for a withheld file (None when not withheld)."""
        return next((self.ditahan[r] for r in rels if self.ditahan.get(r)), None)

    def belum_terbit(self, pattern: str) -> list[str]:
        """Stems of withheld files matching ``pattern`` (e.g. ``apbdes/*.csv``) with no good version yet."""
        from fnmatch import fnmatch
        return sorted({Path(r).stem for r, t in self.ditahan.items() if t is None and fnmatch(r, pattern)})

    @property
    def nama(self) -> str:
        return self.profil.nama

    @property
    def kecamatan(self) -> str:
        return self.wilayah.kecamatan if self.wilayah else self.profil.kecamatan

    @property
    def contoh(self) -> bool:
        return self.profil.contoh


def village_dirs(villages_dir: Path) -> list[Path]:
    """Village folders, sorted; hidden and underscore folders are not villages."""
    if not villages_dir.is_dir():
        return []
    return sorted(p for p in villages_dir.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def check_slug(village_dir: Path, problems: Problems) -> bool:
    if not SLUG.match(village_dir.name):
        problems.error(village_dir, 0, 0,
                       f'nama folder desa menjadi alamat web dan harus huruf kecil, angka dan tanda hubung saja, '
                       f'seperti "kaligowong" atau "krasak-selomerto"; ditemukan "{village_dir.name}"')
        return False
    return True


def peek_kode(village_dir: Path) -> tuple[str, int] | None:
    """The village code and its line in desa.md, read cheaply for cross-village checks."""
    path = village_dir / PROFIL.path
    if not path.is_file():
        return None
    doc = parse_markdown(path, Problems())
    if doc is None or "kode" not in doc.meta:
        return None
    return doc.meta["kode"].value.strip(), doc.meta["kode"].line


def load_village(village_dir: Path, registry: Registry | None, problems: Problems,
                 settings: dict | None = None) -> Desa | None:
    """Validate and load everything in one village folder; None when the profile is unusable."""
    if not check_slug(village_dir, problems):
        return None
    profil = load_profil(village_dir, registry, problems)
    if profil is None or problems:
        return None
    wilayah = registry.villages.get(profil.kode) if registry else None
    desa = Desa(village_dir.name, village_dir, profil, wilayah)
    for name, loader in KINDS.items():
        desa.data[name] = loader(village_dir, problems)
    # Checks across the village's files and against the kabupaten's allocations (audit.py).
    from .audit import periksa
    periksa(desa, registry, problems, settings)
    return desa
