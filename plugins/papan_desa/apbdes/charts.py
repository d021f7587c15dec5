"""Summary infographic as small, reproducible SVG charts (matplotlib, SVG backend).

Each chart returns SVG text with ``<title>`` and ``<desc>`` (the text alternative,
with every number), amounts printed next to the bars, and the same bytes for the
same input: fixed ``svg.hashsalt``, no date in the metadata, text kept as text.
Amounts become floats only here, for drawing; labels come from the exact Decimals.
"""
from __future__ import annotations

import io
import textwrap
import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .model import TahunAnggaran  # noqa: E402
from .numbers import format_persen, format_rupiah, format_singkat  # noqa: E402
from .totals import BIDANG, Totals, hitung, multi_tahun  # noqa: E402

RC = {
    "svg.hashsalt": "papan",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.spines.bottom": False,
}
WARNA = ("#1f6f8b", "#e0a030", "#5a9a5a", "#b5485d", "#7a6fb0", "#666666")
BIDANG_SINGKAT = {"01": "Pemerintahan Desa", "02": "Pembangunan Desa", "03": "Pembinaan Kemasyarakatan",
                  "04": "Pemberdayaan Masyarakat", "05": "Bencana, Darurat, Mendesak"}


@dataclass(frozen=True)
class Chart:
    slug: str
    judul: str
    deskripsi: str                      # text alternative: every number, in Indonesian
    data: tuple[tuple[str, Decimal], ...]
    svg: str


def _render(fig: Figure) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        FigureCanvasSVG(fig)
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "Papan Desa"})
    return buf.getvalue()


def _finish(slug: str, judul: str, deskripsi: str, data, fig: Figure) -> Chart:
    svg = _render(fig)
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    tid, did = f"grafik-{slug}-judul", f"grafik-{slug}-desk"
    svg = re.sub(r"<svg ", f'<svg role="img" aria-labelledby="{tid} {did}" ', svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + f'\n <title id="{tid}">{escape(judul)}</title>'
                 f'\n <desc id="{did}">{escape(deskripsi)}</desc>', svg, count=1)
    return Chart(slug, judul, deskripsi, tuple(data), svg)


def _barh(labels: list[str], values: list[Decimal], texts: list[str], colors=None) -> Figure:
    with matplotlib.rc_context(RC):
        n = max(len(labels), 1)
        fig = Figure(figsize=(4.0, 0.5 * n + 0.5))
        ax = fig.add_axes((0.38, 0.06, 0.6, 0.9))
        ys = list(range(n))[::-1]
        vals = [float(v) for v in values]
        ax.barh(ys, vals, color=colors or WARNA[0], height=0.62)
        top = max([abs(v) for v in vals] + [1.0])
        low = min(vals + [0.0])
        ax.set_xlim(low * 1.05 if low < 0 else 0, top * 2.1)  # room for the printed amounts
        ax.set_yticks(ys, [textwrap.fill(label, 20) for label in labels])
        ax.set_xticks([])
        ax.tick_params(axis="y", length=0)
        for y, v, t in zip(ys, vals, texts):
            ax.text(max(v, 0) + top * 0.02, y, t, va="center", ha="left", fontsize=8.5, clip_on=False)
        ax.axvline(0, color="#999999", linewidth=0.6)
    return fig


def _desc(judul: str, rows: list[tuple[str, str]]) -> str:
    return judul + ": " + "; ".join(f"{a} {b}" for a, b in rows) + "."


def chart_pendapatan(year: TahunAnggaran, totals: Totals | None = None) -> Chart:
    """Income by source (jenis), budget in force."""
    t = totals or hitung(year)
    items = [(year.nama(code), v.akhir) for code, v in t.pendapatan_jenis.items()]
    judul = f"Pendapatan desa tahun {year.tahun} menurut sumber"
    total = t.ringkasan["pendapatan"].akhir
    desc = _desc(judul, [(n, format_rupiah(v)) for n, v in items] + [("Jumlah pendapatan", format_rupiah(total))])
    fig = _barh([n for n, _ in items], [v for _, v in items], [format_singkat(v) for _, v in items])
    return _finish("pendapatan", judul, desc, items, fig)


def chart_belanja_bidang(year: TahunAnggaran, totals: Totals | None = None) -> Chart:
    t = totals or hitung(year)
    items = [(BIDANG_SINGKAT[b], t.bidang[b].akhir) for b in BIDANG]
    judul = f"Belanja desa tahun {year.tahun} menurut bidang"
    total = t.ringkasan["belanja"].akhir
    rows = [(f"Bidang {b} {year.nama(b)}", format_rupiah(t.bidang[b].akhir)) for b in BIDANG]
    desc = _desc(judul, rows + [("Jumlah belanja", format_rupiah(total))])
    texts = [f"{format_singkat(v)} ({format_persen(v * 100 / total if total else None)})" for _, v in items]
    fig = _barh([n for n, _ in items], [v for _, v in items], texts, colors=list(WARNA[:5]))
    return _finish("belanja-bidang", judul, desc, items, fig)


def chart_pembiayaan(year: TahunAnggaran, totals: Totals | None = None) -> Chart:
    t = totals or hitung(year)
    r = t.ringkasan
    items = [("Penerimaan pembiayaan", r["penerimaan_pembiayaan"].akhir),
             ("Pengeluaran pembiayaan", r["pengeluaran_pembiayaan"].akhir),
             ("Pembiayaan netto", r["pembiayaan_netto"].akhir),
             ("SiLPA tahun berjalan", r["silpa"].akhir)]
    judul = f"Pembiayaan desa tahun {year.tahun}"
    desc = _desc(judul, [(n, format_rupiah(v)) for n, v in items])
    colors = [WARNA[2], WARNA[3], WARNA[0], WARNA[5]]
    fig = _barh([n for n, _ in items], [v for _, v in items], [format_singkat(v) for _, v in items], colors)
    return _finish("pembiayaan", judul, desc, items, fig)


def chart_realisasi(year: TahunAnggaran, totals: Totals | None = None) -> Chart | None:
    """Realisation against budget for the four main lines; None when the year has no realisasi."""
    if not year.has_realisasi:
        return None
    t = totals or hitung(year)
    r = t.ringkasan
    keys = (("pendapatan", "Pendapatan"), ("belanja", "Belanja"),
            ("penerimaan_pembiayaan", "Penerimaan pembiayaan"), ("pengeluaran_pembiayaan", "Pengeluaran pembiayaan"))
    judul = f"Realisasi terhadap anggaran tahun {year.tahun}"
    rows, data = [], []
    for k, label in keys:
        n = r[k]
        rows.append((label, f"anggaran {format_rupiah(n.akhir)}, realisasi {format_rupiah(n.realisasi)} "
                            f"({format_persen(n.persen)})"))
        data += [(f"{label} anggaran", n.akhir), (f"{label} realisasi", n.realisasi)]
    desc = _desc(judul, rows)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(4.0, 2.9))
        ax = fig.add_axes((0.3, 0.16, 0.68, 0.82))
        top = max([float(r[k].akhir) for k, _ in keys] + [float(r[k].realisasi) for k, _ in keys] + [1.0])
        for i, (k, label) in enumerate(keys):
            y = (len(keys) - 1 - i) * 1.0
            n = r[k]
            ax.barh(y + 0.18, float(n.akhir), height=0.34, color="#c9d6df")
            ax.barh(y - 0.18, float(n.realisasi), height=0.34, color=WARNA[0])
            ax.text(float(n.akhir) + top * 0.02, y + 0.18, format_singkat(n.akhir), va="center", fontsize=8)
            ax.text(float(n.realisasi) + top * 0.02, y - 0.18,
                    f"{format_singkat(n.realisasi)} ({format_persen(n.persen)})", va="center", fontsize=8)
        ax.set_yticks([(len(keys) - 1 - i) * 1.0 for i in range(len(keys))],
                      [textwrap.fill(label, 12) for _, label in keys])
        ax.set_xlim(0, top * 1.9)  # room for the printed amounts
        ax.set_xticks([])
        ax.tick_params(axis="y", length=0)
        ax.legend(["Anggaran", "Realisasi"], loc="upper center", fontsize=7.5, frameon=False, ncols=2,
                  bbox_to_anchor=(0.5, -0.02))
    return _finish("realisasi", judul, desc, data, fig)


def chart_multi_tahun(years: list[TahunAnggaran]) -> Chart | None:
    """Pendapatan and belanja per year (realisasi when known, else the budget in force); None for one year."""
    rows = multi_tahun(years)
    if len(rows) < 2:
        return None
    judul = f"Pendapatan dan belanja desa {rows[0].tahun}–{rows[-1].tahun}"

    def val(n):
        return n.realisasi if n.realisasi is not None else n.akhir

    data, parts = [], []
    for r in rows:
        p, b = val(r.ringkasan["pendapatan"]), val(r.ringkasan["belanja"])
        dasar = "realisasi" if "realisasi" in r.kolom else "anggaran"
        parts.append((str(r.tahun), f"({dasar}) pendapatan {format_rupiah(p)}, belanja {format_rupiah(b)}"))
        data += [(f"{r.tahun} pendapatan", p), (f"{r.tahun} belanja", b)]
    desc = _desc(judul, parts)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(4.0, 2.8))
        ax = fig.add_axes((0.06, 0.16, 0.92, 0.72))
        xs = list(range(len(rows)))
        top = max([float(v) for _, v in data] + [1.0])
        for i, r in enumerate(rows):
            p, b = val(r.ringkasan["pendapatan"]), val(r.ringkasan["belanja"])
            ax.bar(i - 0.2, float(p), width=0.38, color=WARNA[0])
            ax.bar(i + 0.2, float(b), width=0.38, color=WARNA[1])
            ax.text(i - 0.2, float(p) + top * 0.02, format_singkat(p).replace("Rp ", ""), ha="center", fontsize=7)
            ax.text(i + 0.2, float(b) + top * 0.02, format_singkat(b).replace("Rp ", ""), ha="center", fontsize=7)
        ax.set_xticks(xs, [str(r.tahun) for r in rows])
        ax.set_yticks([])
        ax.set_ylim(0, top * 1.15)
        ax.legend(["Pendapatan", "Belanja"], loc="upper left", fontsize=7.5, frameon=False, ncols=2,
                  bbox_to_anchor=(0, 1.14))
    return _finish("multi-tahun", judul, desc, data, fig)


def infografik(year: TahunAnggaran, totals: Totals | None = None) -> list[Chart]:
    """The summary infographic of a year: income, spending by bidang, financing, realisation (if any)."""
    t = totals or hitung(year)
    charts = [chart_pendapatan(year, t), chart_belanja_bidang(year, t), chart_pembiayaan(year, t)]
    r = chart_realisasi(year, t)
    if r is not None:
        charts.append(r)
    return charts
