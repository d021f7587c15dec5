"""Documentation for village admins, written from the schema and settings declarations.

``papan docs`` rewrites the generated files in ``docs/``; ``papan docs --check``
(run by the tests) fails when they no longer match the code.
"""
from __future__ import annotations

from pathlib import Path

from .schema import REGISTRY, schema_markdown  # noqa: F401  (schema_markdown was defined here)
from .settings import SETTINGS

HEADER = "<!-- Berkas ini dibuat otomatis oleh `papan docs` dari deklarasi skema; jangan disunting langsung. -->\n\n"


def _load_all_schemas() -> None:
    # Importing the data modules registers their schemas.
    from . import profil  # noqa: F401
    from . import data_kinds  # noqa: F401


def format_doc() -> str:
    _load_all_schemas()
    parts = [HEADER, "# Format data desa\n",
             "Setiap desa punya satu folder di `villages/`. Nama folder menjadi alamat web desa "
             "(huruf kecil, angka dan tanda hubung, misalnya `kaligowong`). Isinya berkas-berkas di bawah ini. "
             "Setiap kesalahan dilaporkan dengan nama berkas, baris dan kolom, apa yang diharapkan dan apa yang "
             "ditemukan; desa lain tetap dibangun.\n"]
    for s in sorted(REGISTRY.values(), key=lambda s: (not s.required_file, s.path)):
        parts.append(schema_markdown(s))
    return "\n".join(parts)


def settings_doc() -> str:
    rows = ["| pengaturan | bawaan | arti |", "|---|---|---|"]
    for s in SETTINGS:
        rows.append(f"| `{s.name}` | `{s.default!r}` | {s.help} |")
    return (HEADER + "# Pengaturan Papan Desa\n\nDitulis di `pelicanconf.py` (dan `publishconf.py` untuk situs "
            "terbit), bersama pengaturan Pelican.\n\n" + "\n".join(rows) + "\n")


def keterbukaan_doc() -> str:
    from .keterbukaan import docs_page

    return HEADER + docs_page()


def write_docs(docs_dir: Path, check: bool = False) -> list[str]:
    """Write (or with check=True only compare) the generated docs; returns the names that differ."""
    wanted = {"format-data.md": format_doc(), "pengaturan.md": settings_doc(), "keterbukaan.md": keterbukaan_doc()}
    changed = []
    for name, text in wanted.items():
        path = docs_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(name)
            if not check:
                docs_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed
