"""Every published table also as CSV and JSON, next to its page.

Both are written from the same :class:`~.tables.Table` the page shows, so a
hidden count is exported as its mark (``"<5"``, ``"*"``), never as the number.
Output is deterministic: fixed column order, ``\\n`` line ends, UTF-8 without
BOM, numbers with a dot as decimal mark (machine-readable; the pages use the
Indonesian comma), percentages as numbers without ``%``.

CSV: one header row of column keys, then the rows, then the ``Jumlah`` row
when the table has one. JSON: ``{"judul", "per_tanggal", "sumber", "ambang_sel_kecil",
"catatan", "kolom": [{"kunci", "label", "jenis"}], "baris": [...], "jumlah": {...}|null}``.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from .tables import Table


def _plain(v: Any) -> Any:
    """A JSON value: Decimal -> number, everything else unchanged."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral() and v.as_tuple().exponent >= 0 else float(v)
    return v


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def table_to_csv(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = [c.key for c in table.columns]
    w.writerow(keys)
    for row in table.rows:
        w.writerow([_csv_cell(row.get(k)) for k in keys])
    if table.total is not None:
        w.writerow([_csv_cell(table.total.get(k)) for k in keys])
    return buf.getvalue()


def table_to_json(table: Table) -> str:
    keys = [c.key for c in table.columns]
    doc = {
        "judul": table.title,
        "per_tanggal": table.per_tanggal.isoformat() if table.per_tanggal else None,
        "sumber": table.sumber or None,
        "ambang_sel_kecil": table.threshold,
        "catatan": list(table.notes),
        "kolom": [{"kunci": c.key, "label": c.label, "jenis": c.kind} for c in table.columns],
        "baris": [{k: _plain(row.get(k)) for k in keys} for row in table.rows],
        "jumlah": {k: _plain(table.total.get(k)) for k in keys} if table.total is not None else None,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_table(table: Table, out_dir: Path) -> list[Path]:
    """Write ``<name>.csv`` and ``<name>.json`` into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, text in ((".csv", table_to_csv(table)), (".json", table_to_json(table))):
        p = out_dir / f"{table.name}{suffix}"
        p.write_text(text, encoding="utf-8", newline="\n")
        paths.append(p)
    return paths


def export_tables(tables: dict[str, Table], out_dir: Path) -> list[Path]:
    paths: list[Path] = []
    for name in tables:
        paths += export_table(tables[name], out_dir)
    return paths
