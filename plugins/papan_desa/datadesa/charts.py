"""Charts of data-desa tables as small, deterministic, accessible SVG.

Charts read a published :class:`~.tables.Table`, never the raw counts, so a
hidden cell ("<5", "*") is drawn as an empty bar carrying its mark and cannot be
measured off the picture. Every SVG has ``<title>`` and ``<desc>`` (the numbers
in words, for screen readers) and shows the numbers on the bars. Same table ->
byte-identical SVG: fixed ``svg.hashsalt``, no date, text kept as text (small
files, well under 20 KB).
"""
from __future__ import annotations

import io
import re
from decimal import Decimal
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .tables import Table, format_int, format_value  # noqa: E402

COLOR_L = "#2b6cb0"
COLOR_P = "#b7410e"
COLOR_BAR = "#2f855a"
TEXT = "#1a202c"
RC = {
    "svg.hashsalt": "papan-desa",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#718096",
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
}


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, Decimal)) else 0.0


def _label(v: Any, kind: str = "n") -> str:
    return format_value(v, kind)


def _svg(fig: Figure, title: str, desc: str, ident: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    # Smaller files: two decimals are plenty for coordinates (attribute values only, never text).
    svg = re.sub(r'\b(d|x|y|transform|width|height|viewBox|style)="([^"]*)"',
                 lambda m: f'{m.group(1)}="' + re.sub(r"(\d+\.\d\d)\d+", r"\1",
                                                      re.sub(r"\s*\n\s*", " ", m.group(2)).strip()) + '"', svg)
    svg = re.sub(r"\n\s+", "\n", svg)
    svg = re.sub(r' transform="rotate\(-?0 [\d.]+ [\d.]+\)"', "", svg)
    svg = svg.replace("font-family: 'DejaVu Sans'; ", "")
    svg = svg.replace("stroke-linecap: butt}", "stroke-linecap: butt}\ntext{font-family: 'DejaVu Sans', sans-serif}")
    # Bars stay inside the axes by construction, so clipping them is not needed.
    svg = re.sub(r' clip-path="url\(#[0-9a-z]+\)"', "", svg)
    # Drop the id-only groups matplotlib wraps around single elements.
    svg = re.sub(r'<g id="[^"]*">\n(<(path|text|use)\b[^>]*?(?:/>|>[^<]*</\2>))\n</g>', r"\1", svg)
    head = (f'<title id="{ident}-judul">{escape(title)}</title>\n'
            f'<desc id="{ident}-uraian">{escape(desc)}</desc>\n')
    svg = re.sub(r"(<svg\b[^>]*?)>", lambda m: m.group(1) + f' role="img" aria-labelledby="{ident}-judul {ident}-uraian">\n'
                 + head, svg, count=1)
    return svg


def _figure(rows: int) -> Figure:
    height = max(2.0, 0.6 + 0.24 * rows)
    with matplotlib.rc_context(RC):
        return Figure(figsize=(6.4, height), dpi=72)


def pyramid_svg(table: Table) -> str:
    """Population pyramid from the age table (``penduduk-umur``): men left, women right."""
    labels = [r[table.columns[0].key] for r in table.rows]
    men = [r["laki_laki"] for r in table.rows]
    women = [r["perempuan"] for r in table.rows]
    with matplotlib.rc_context(RC):
        fig = _figure(len(labels))
        ax = fig.add_axes((0.12, 0.12, 0.84, 0.8))
        y = list(range(len(labels)))
        ax.barh(y, [-_num(v) for v in men], color=COLOR_L, height=0.8, label="Laki-laki")
        ax.barh(y, [_num(v) for v in women], color=COLOR_P, height=0.8, label="Perempuan")
        top = max([_num(v) for v in men + women] + [1])
        ax.set_xlim(-top * 1.25, top * 1.25)
        for yi, m, w in zip(y, men, women):
            ax.text(-_num(m) - top * 0.02, yi, _label(m), ha="right", va="center", fontsize=7, color=TEXT)
            ax.text(_num(w) + top * 0.02, yi, _label(w), ha="left", va="center", fontsize=7, color=TEXT)
        ax.set_yticks(y, labels)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_int(int(abs(x)))))
        ax.axvline(0, color="#718096", linewidth=0.6)
        ax.legend(loc="upper right", frameon=False, fontsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel("Jumlah penduduk")
    desc = "Piramida penduduk menurut kelompok umur. " + "; ".join(
        f"{lab}: laki-laki {_label(m)}, perempuan {_label(w)}" for lab, m, w in zip(labels, men, women))
    if table.total:
        desc += (f". Jumlah: laki-laki {_label(table.total['laki_laki'])}, perempuan "
                 f"{_label(table.total['perempuan'])}, seluruhnya {_label(table.total['jumlah'])}.")
    return _svg(fig, table.title + (f" ({table.caption})" if table.caption else ""), desc, table.name)


def bar_svg(table: Table, value: str = "jumlah", label: str | None = None, skip_zero: bool = True) -> str:
    """Horizontal bar chart of one column (default ``jumlah``) over the table's rows."""
    label = label or table.columns[0].key
    kind = table.column(value).kind
    rows = [r for r in table.rows if not (skip_zero and r[value] == 0)]
    labels = [str(r[label]) if label != "tujuan" else f"{r['tujuan']}. {r.get('nama', '')}" for r in rows]
    labels = [lab if len(lab) <= 30 else lab[:29] + "…" for lab in labels]
    values = [r[value] for r in rows]
    with matplotlib.rc_context(RC):
        fig = _figure(len(rows))
        ax = fig.add_axes((0.42, 0.1, 0.5, 0.86))
        y = list(range(len(rows)))[::-1]
        ax.barh(y, [_num(v) for v in values], color=COLOR_BAR, height=0.7)
        top = max([_num(v) for v in values] + [1])
        for yi, v in zip(y, values):
            ax.text(_num(v) + top * 0.02, yi, _label(v, kind), ha="left", va="center", fontsize=7, color=TEXT)
        ax.set_xlim(0, top * 1.2)
        ax.set_yticks(y, labels)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_int(int(x))))
    name = table.column(value).label
    desc = f"{table.title}, {name.lower()}. " + "; ".join(
        f"{lab}: {_label(v, kind)}" for lab, v in zip(labels, values)) + "."
    return _svg(fig, table.title + (f" ({table.caption})" if table.caption else ""), desc, f"{table.name}-{value}")


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
