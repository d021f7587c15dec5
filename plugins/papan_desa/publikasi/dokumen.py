"""Documents (PDF) served as files: the ones in ``dokumen/`` and every PDF the content links to.

A reference to a missing document is an error where it is written (see
:func:`.common.resolve_ref`); a document in ``dokumen/`` that nothing refers to
is a warning, so forgotten uploads and stale files are both noticed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problems
from .berita import Ref
from .common import DOC_EXT, village_rel


@dataclass
class Dokumen:
    path: Path
    rel: str                  # "dokumen/perdes-3-2025.pdf": also its address under the village site
    ukuran: int               # bytes
    rujukan: list[Ref] = field(default_factory=list)

    @property
    def ukuran_teks(self) -> str:
        return ukuran_teks(self.ukuran)


def ukuran_teks(n: int) -> str:
    """1234567 -> '1,2 MB'; 2048 -> '2 kB' (Indonesian decimal comma)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} kB"


def collect(village_dir: Path, refs: list[Ref], problems: Problems) -> dict[str, Dokumen]:
    """Every document to publish, keyed by its village-relative path; warns about unreferenced ones."""
    out: dict[str, Dokumen] = {}
    folder = village_dir / "dokumen"
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in DOC_EXT:
                rel = village_rel(village_dir, p)
                out[rel] = Dokumen(p, rel, p.stat().st_size)
    for r in refs:
        rel = village_rel(village_dir, r.target)
        if rel not in out:
            out[rel] = Dokumen(r.target, rel, r.target.stat().st_size)
        out[rel].rujukan.append(r)
    for d in out.values():
        if not d.rujukan:
            problems.warning(d.path, 0, 0, "dokumen ini tidak dirujuk dari mana pun (produk hukum, daftar informasi "
                             "publik, layanan, berita); tautkan atau hapus berkasnya")
    return dict(sorted(out.items()))
