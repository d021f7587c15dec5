"""The kabupaten's official list of villages (the registry) that drives the portal."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from slugify import slugify

from .problems import Problems

COLUMNS = ["kode_kemendagri", "nama", "jenis", "kode_kec", "kecamatan"]


@dataclass(frozen=True)
class Wilayah:
    kode: str
    nama: str
    jenis: str          # "desa" or "kelurahan"
    kode_kec: str
    kecamatan: str
    slug: str           # the suggested folder name / URL path
    line: int

    @property
    def kecamatan_slug(self) -> str:
        return slugify(self.kecamatan)


@dataclass
class Registry:
    path: Path
    villages: dict[str, Wilayah]  # by kode

    @cached_property
    def kecamatan(self) -> dict[str, list[Wilayah]]:
        """Kecamatan name -> its villages, both in registry order by code."""
        out: dict[str, list[Wilayah]] = {}
        for w in sorted(self.villages.values(), key=lambda w: w.kode):
            out.setdefault(w.kecamatan, []).append(w)
        return dict(sorted(out.items(), key=lambda kv: kv[1][0].kode_kec))

    def kecamatan_names(self) -> list[str]:
        return list(self.kecamatan)

    def by_slug(self) -> dict[str, Wilayah]:
        return {w.slug: w for w in self.villages.values()}


def load_registry(path: Path, problems: Problems | None = None) -> Registry:
    """Read the registry CSV. Problems in it are errors of the whole kabupaten."""
    problems = problems if problems is not None else Problems()
    rows: list[tuple[int, dict]] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            problems.error(path, 1, 1, f"kolom wajib tidak ada: {', '.join(missing)}; diharapkan kolom {', '.join(COLUMNS)}")
            return Registry(path, {})
        for row in reader:
            rows.append((reader.line_num, row))
    # Names repeat across kecamatan (Wonosobo has ten such pairs): those get the kecamatan in their slug.
    name_count: dict[str, int] = {}
    for _, row in rows:
        s = slugify(row["nama"])
        name_count[s] = name_count.get(s, 0) + 1
    villages: dict[str, Wilayah] = {}
    for line, row in rows:
        kode = row["kode_kemendagri"].strip()
        if not re.match(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$", kode):
            problems.error(path, line, 1, f'kode Kemendagri tidak sah: "{kode}"')
            continue
        if kode in villages:
            problems.error(path, line, 1, f"kode {kode} ditulis dua kali (juga di baris {villages[kode].line})")
            continue
        base = slugify(row["nama"])
        slug = base if name_count[base] == 1 else f"{base}-{slugify(row['kecamatan'])}"
        villages[kode] = Wilayah(kode, row["nama"].strip(), row["jenis"].strip().lower(), row["kode_kec"].strip(),
                                 row["kecamatan"].strip(), slug, line)
    return Registry(path, villages)
