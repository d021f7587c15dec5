"""Charts of data-desa tables as small, deterministic, accessible SVG (:mod:`papan_desa.svgchart`).

Charts read a published :class:`~.tables.Table`, never the raw counts, so a
hidden cell ("<5", "*") is drawn as an empty bar carrying its mark and cannot be
measured off the picture. Every SVG has ``<title>`` and ``<desc>`` (the numbers
in words, for screen readers) and shows the numbers on the bars. Same table ->
byte-identical SVG, text kept as text (a few kilobytes).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..svgchart import Bar, Row, hbar, pyramid
from .tables import Table, format_value

COLOR_L = "#2b6cb0"
COLOR_P = "#b7410e"
COLOR_BAR = "#2f855a"


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, Decimal)) else 0.0


def _label(v: Any, kind: str = "n") -> str:
    return format_value(v, kind)


def _title(table: Table) -> str:
    return table.title + (f" ({table.caption})" if table.caption else "")


def pyramid_svg(table: Table) -> str:
    """Population pyramid from the age table (``penduduk-umur``): men left, women right."""
    labels = [r[table.columns[0].key] for r in table.rows]
    men = [r["laki_laki"] for r in table.rows]
    women = [r["perempuan"] for r in table.rows]
    desc = "Piramida penduduk menurut kelompok umur. " + "; ".join(
        f"{lab}: laki-laki {_label(m)}, perempuan {_label(w)}" for lab, m, w in zip(labels, men, women))
    if table.total:
        desc += (f". Jumlah: laki-laki {_label(table.total['laki_laki'])}, perempuan "
                 f"{_label(table.total['perempuan'])}, seluruhnya {_label(table.total['jumlah'])}.")
    return pyramid([str(lab) for lab in labels], [Bar(_num(v), _label(v), COLOR_L) for v in men],
                   [Bar(_num(v), _label(v), COLOR_P) for v in women], ident=table.name, judul=_title(table),
                   deskripsi=desc, left_name="Laki-laki", right_name="Perempuan")


def bar_svg(table: Table, value: str = "jumlah", label: str | None = None, skip_zero: bool = True) -> str:
    """Horizontal bar chart of one column (default ``jumlah``) over the table's rows."""
    label = label or table.columns[0].key
    kind = table.column(value).kind
    rows = [r for r in table.rows if not (skip_zero and r[value] == 0)]
    labels = [str(r[label]) if label != "tujuan" else f"{r['tujuan']}. {r.get('nama', '')}" for r in rows]
    values = [r[value] for r in rows]
    name = table.column(value).label
    desc = f"{table.title}, {name.lower()}. " + "; ".join(
        f"{lab}: {_label(v, kind)}" for lab, v in zip(labels, values)) + "."
    bars = [Row(lab, (Bar(_num(v), _label(v, kind), COLOR_BAR),)) for lab, v in zip(labels, values)]
    return hbar(bars, ident=f"{table.name}-{value}", judul=_title(table), deskripsi=desc, label_chars=30)


def charts_for(tables: dict[str, Table]) -> dict[str, str]:
    """The charts of a village's tables: ``{file name: svg}``, e.g. ``penduduk-umur.svg``."""
    out: dict[str, str] = {}
    for name, t in tables.items():
        if name == "penduduk-umur":
            out[f"{name}.svg"] = pyramid_svg(t)
        elif name.startswith("penduduk-") and name != "penduduk-ringkasan":
            out[f"{name}.svg"] = bar_svg(t)
        elif name == "wilayah-dusun":
            out[f"{name}.svg"] = bar_svg(t, label="dusun")
        elif name == "sdgs-desa":
            years = sorted({r["tahun"] for r in t.rows})
            latest = Table(t.name, f"{t.title} {years[-1]}", t.columns, [r for r in t.rows if r["tahun"] == years[-1]],
                           sumber=t.sumber)
            out[f"{name}.svg"] = bar_svg(latest, value="skor", label="tujuan", skip_zero=False)
    return out
