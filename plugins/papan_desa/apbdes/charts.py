"""Summary infographic as small, reproducible SVG charts (:mod:`papan_desa.svgchart`).

Each chart returns SVG text with ``<title>`` and ``<desc>`` (the text alternative,
with every number), amounts printed next to the bars, and the same bytes for the
same input. Amounts become floats only here, for drawing; labels come from the
exact Decimals.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..svgchart import Bar, Row, hbar
from .model import TahunAnggaran
from .numbers import format_persen, format_rupiah, format_singkat
from .totals import BIDANG, Totals, hitung, multi_tahun

# Every bar colour has at least 3:1 contrast against the white page (WCAG 1.4.11, graphical objects).
WARNA = ("#1f6f8b", "#b7791f", "#5a9a5a", "#b5485d", "#7a6fb0", "#666666")
ANGGARAN = "#7890a6"
BIDANG_SINGKAT = {"01": "Pemerintahan Desa", "02": "Pembangunan Desa", "03": "Pembinaan Kemasyarakatan",
                  "04": "Pemberdayaan Masyarakat", "05": "Bencana, Darurat, Mendesak"}


@dataclass(frozen=True)
class Chart:
    slug: str
    judul: str
    deskripsi: str                      # text alternative: every number, in Indonesian
    data: tuple[tuple[str, Decimal], ...]
    svg: str


def _barh(slug: str, judul: str, desc: str, items: list[tuple[str, Decimal]], texts: list[str],
          colors=None) -> Chart:
    colors = colors or [WARNA[0]] * len(items)
    rows = [Row(label, (Bar(float(v), t, c),)) for (label, v), t, c in zip(items, texts, colors)]
    return Chart(slug, judul, desc, tuple(items), hbar(rows, ident=f"grafik-{slug}", judul=judul, deskripsi=desc))


def _desc(judul: str, rows: list[tuple[str, str]]) -> str:
    return judul + ": " + "; ".join(f"{a} {b}" for a, b in rows) + "."


def chart_pendapatan(year: TahunAnggaran, totals: Totals | None = None) -> Chart:
    """Income by source (jenis), budget in force."""
    t = totals or hitung(year)
    items = [(year.nama(code), v.akhir) for code, v in t.pendapatan_jenis.items()]
    judul = f"Pendapatan desa tahun {year.tahun} menurut sumber"
    total = t.ringkasan["pendapatan"].akhir
    desc = _desc(judul, [(n, format_rupiah(v)) for n, v in items] + [("Jumlah pendapatan", format_rupiah(total))])
    return _barh("pendapatan", judul, desc, items, [format_singkat(v) for _, v in items])


def chart_belanja_bidang(year: TahunAnggaran, totals: Totals | None = None) -> Chart:
    """Spending by bidang; with realisasi, the realised amount as a second bar under each budget."""
    t = totals or hitung(year)
    items = [(BIDANG_SINGKAT[b], t.bidang[b].akhir) for b in BIDANG]
    judul = f"Belanja desa tahun {year.tahun} menurut bidang"
    total = t.ringkasan["belanja"].akhir
    if not year.has_realisasi:
        rows = [(f"Bidang {b} {year.nama(b)}", format_rupiah(t.bidang[b].akhir)) for b in BIDANG]
        desc = _desc(judul, rows + [("Jumlah belanja", format_rupiah(total))])
        texts = [f"{format_singkat(v)} ({format_persen(v * 100 / total if total else None)})" for _, v in items]
        return _barh("belanja-bidang", judul, desc, items, texts, colors=list(WARNA[:5]))
    judul = f"Belanja desa tahun {year.tahun} menurut bidang: anggaran dan realisasi"
    rows, data, bars = [], [], []
    for b in BIDANG:
        n = t.bidang[b]
        rows.append((f"Bidang {b} {year.nama(b)}", f"anggaran {format_rupiah(n.akhir)}, realisasi "
                                                   f"{format_rupiah(n.realisasi or 0)} ({format_persen(n.persen)})"))
        data += [(f"{BIDANG_SINGKAT[b]} anggaran", n.akhir), (f"{BIDANG_SINGKAT[b]} realisasi", n.realisasi or 0)]
        bars.append(Row(BIDANG_SINGKAT[b], (
            Bar(float(n.akhir), format_singkat(n.akhir), ANGGARAN),
            Bar(float(n.realisasi or 0), f"{format_singkat(n.realisasi or 0)} ({format_persen(n.persen)})", WARNA[0]))))
    desc = _desc(judul, rows + [("Jumlah belanja", format_rupiah(total))])
    svg = hbar(bars, ident="grafik-belanja-bidang", judul=judul, deskripsi=desc,
               legend=[("Anggaran", ANGGARAN), ("Realisasi", WARNA[0])])
    return Chart("belanja-bidang", judul, desc, tuple(data), svg)


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
    return _barh("pembiayaan", judul, desc, items, [format_singkat(v) for _, v in items], colors)


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
    bars = [Row(label, (Bar(float(r[k].akhir), format_singkat(r[k].akhir), ANGGARAN),
                        Bar(float(r[k].realisasi), f"{format_singkat(r[k].realisasi)} ({format_persen(r[k].persen)})",
                            WARNA[0])))
            for k, label in keys]
    svg = hbar(bars, ident="grafik-realisasi", judul=judul, deskripsi=desc, label_chars=14,
               legend=[("Anggaran", ANGGARAN), ("Realisasi", WARNA[0])])
    return Chart("realisasi", judul, desc, tuple(data), svg)


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
    bars = []
    for r in rows:
        p, b = val(r.ringkasan["pendapatan"]), val(r.ringkasan["belanja"])
        dasar = "realisasi" if "realisasi" in r.kolom else "anggaran"
        bars.append(Row(f"{r.tahun} ({dasar})", (Bar(float(p), format_singkat(p), WARNA[0]),
                                                 Bar(float(b), format_singkat(b), WARNA[1]))))
    svg = hbar(bars, ident="grafik-multi-tahun", judul=judul, deskripsi=desc,
               legend=[("Pendapatan", WARNA[0]), ("Belanja", WARNA[1])])
    return Chart("multi-tahun", judul, desc, tuple(data), svg)


def infografik(year: TahunAnggaran, totals: Totals | None = None) -> list[Chart]:
    """The summary infographic of a year: income, spending by bidang, financing, realisation (if any)."""
    t = totals or hitung(year)
    charts = [chart_pendapatan(year, t), chart_belanja_bidang(year, t), chart_pembiayaan(year, t)]
    r = chart_realisasi(year, t)
    if r is not None:
        charts.append(r)
    return charts
