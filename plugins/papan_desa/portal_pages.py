"""The kabupaten portal's comparison, openness, targeting and news pages (issue: the portal).

Everything is computed from the villages' build summaries, so the portal never
re-reads village files; tables are plain HTML and sortable without JavaScript
through pre-built orderings, and every table is also a CSV.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Callable

from markupsafe import Markup, escape

from . import keterbukaan as K
from .formatting import angka, persen, rupiah
from .portal import PortalKecamatan, PortalVillage
from .settings import papan_setting
from .svgchart import Bar, Row, hbar, size as chart_size

BIDANG = {"01": "Pemerintahan", "02": "Pembangunan", "03": "Pembinaan", "04": "Pemberdayaan", "05": "Bencana/mendesak"}


def _csv(header: list[str], rows: list[list]) -> bytes:
    from .guard import formula_safe

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else formula_safe(str(v)) if isinstance(v, str) else v for v in r])
    return buf.getvalue().encode()


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _pct(part, whole):
    part, whole = _num(part), _num(whole)
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 2)


# ------------------------------------------------------------------ comparisons per year

@dataclass(frozen=True)
class Kolom:
    kode: str
    label: str
    jenis: str                   # "rp", "persen", "angka", "teks"
    ambil: Callable[[dict], Any]
    urut: bool = True            # a pre-built ordering exists for this column
    catatan: str = ""


def _row(v: PortalVillage, y: dict) -> dict:
    pend = v.penduduk if isinstance(v.penduduk, int) else None
    ind = y.get("indikator") or {}
    row = {"desa": v.nama, "slug": v.slug, "kecamatan": v.kecamatan, "kode": v.kode, "status": y["status"],
           "pendapatan": y.get("pendapatan"), "belanja": y.get("belanja"), "dana_desa": y.get("dana_desa"),
           "penduduk": pend,
           "dd_per_penduduk": round(y["dana_desa"] / pend) if pend and y.get("dana_desa") is not None else None,
           "belanja_per_penduduk": round(y["belanja"] / pend) if pend and y.get("belanja") is not None else None,
           "realisasi": _pct(y.get("belanja_realisasi"), y.get("belanja")),
           "siltap": ind.get("siltap"), "blt": ind.get("blt_desa"), "pangan": ind.get("ketahanan_pangan")}
    for b in BIDANG:
        row[f"bidang_{b}"] = _pct((y.get("bidang") or {}).get(b), y.get("belanja"))
    return row


KOLOM_PERBANDINGAN: tuple[Kolom, ...] = (
    Kolom("belanja", "Belanja", "rp", lambda r: r["belanja"]),
    Kolom("dana_desa", "Dana Desa", "rp", lambda r: r["dana_desa"]),
    Kolom("penduduk", "Penduduk", "angka", lambda r: r["penduduk"]),
    Kolom("dd_per_penduduk", "Dana Desa per penduduk", "rp", lambda r: r["dd_per_penduduk"]),
    Kolom("belanja_per_penduduk", "Belanja per penduduk", "rp", lambda r: r["belanja_per_penduduk"]),
    *(Kolom(f"bidang_{b}", f"Bidang {b} {n} (% belanja)", "persen", (lambda r, b=b: r[f"bidang_{b}"]), urut=False)
      for b, n in BIDANG.items()),
    Kolom("realisasi", "Realisasi belanja (%)", "persen", lambda r: r["realisasi"]),
    Kolom("siltap", "Siltap dan tunjangan (% belanja; batas 30%)", "persen", lambda r: r["siltap"]),
    Kolom("blt", "BLT Desa (% Dana Desa)", "persen", lambda r: r["blt"]),
    Kolom("pangan", "Ketahanan pangan (% Dana Desa)", "persen", lambda r: r["pangan"]),
)


def _sel(r: dict) -> Markup:
    """A row's figure cells, formatted once a year and shared by every ordering of the table.

    Rendering them per ordering in the template was most of the portal's time. Only the figures
    and the columns' own labels go in here, escaped; the village's name and link stay in the template."""
    out = []
    for c in KOLOM_PERBANDINGAN:
        x = c.ambil(r)
        lewat = " lewat" if c.kode == "siltap" and x is not None and x > 30 else ""
        isi = "–" if x is None else persen(x) if c.jenis == "persen" else rupiah(x) if c.jenis == "rp" else angka(x)
        out.append(f'<td class="angka{lewat}" data-label="{escape(c.label)}">{escape(isi)}</td>')
    return Markup("".join(out))


def _sorted(rows: list[dict], kode: str | None) -> list[dict]:
    if kode is None:
        return sorted(rows, key=lambda r: (r["kode"]))
    have = [r for r in rows if r[kode] is not None]
    missing = [r for r in rows if r[kode] is None]
    return sorted(have, key=lambda r: (-r[kode], r["kode"])) + sorted(missing, key=lambda r: r["kode"])


def _chart_perbandingan(tahun: int, rows: list[dict], model: list[PortalKecamatan]) -> list[dict]:
    """Two charts: spending per resident per kecamatan, and spending shares by bidang."""
    per_kec = []
    for kec in model:
        rs = [r for r in rows if r["kecamatan"] == kec.nama and r["belanja"] is not None and r["penduduk"]]
        if rs:
            per_kec.append((kec.nama, sum(r["belanja"] for r in rs) / sum(r["penduduk"] for r in rs), len(rs)))
    tot = sum(r["belanja"] or 0 for r in rows)
    shares = [(f"{b} {n}", 100.0 * sum((r[f"bidang_{b}"] or 0) * (r["belanja"] or 0) / 100 for r in rows) / tot
               if tot else 0.0) for b, n in BIDANG.items()]
    charts = []
    if per_kec:
        desc = (f"Belanja desa per penduduk menurut kecamatan, tahun {tahun}: "
                + "; ".join(f"{n} Rp {v:,.0f} ({c} desa)".replace(",", ".") for n, v, c in per_kec) + ".")
        charts.append(("belanja-per-penduduk", f"Belanja desa per penduduk menurut kecamatan, {tahun}", desc,
                       [(n, v) for n, v, _ in per_kec], lambda v: f"Rp {v:,.0f}".replace(",", ".")))
    if tot:
        desc = (f"Porsi belanja menurut bidang, semua desa yang menerbitkan APBDes {tahun}: "
                + "; ".join(f"{n} {v:.1f}%".replace(".", ",") for n, v in shares) + ".")
        charts.append(("porsi-bidang", f"Porsi belanja menurut bidang, {tahun}", desc, shares,
                       lambda v: f"{v:.1f}%".replace(".", ",")))
    out = []
    for slug, judul, desc, data, fmt in charts:
        svg = _barh_svg(slug, judul, desc, data, fmt)
        w, h = chart_size(svg)
        out.append({"file": f"grafik-{slug}.svg", "judul": judul, "deskripsi": desc, "svg": svg, "width": w, "height": h})
    return out


def _barh_svg(slug: str, judul: str, desc: str, data: list[tuple[str, float]], fmt) -> str:
    rows = [Row(label, (Bar(float(v), fmt(v), "#1f6f8b"),)) for label, v in data]
    return hbar(rows, ident=f"grafik-{slug}", judul=judul, deskripsi=desc, label_chars=20)


def perbandingan(settings: dict, model: list[PortalKecamatan]) -> list:
    villages = [v for k in model for v in k.villages if v.linked]
    years = sorted({y["tahun"] for v in villages for y in v.summary.get("apbdes") or []})
    pages: list = []
    for tahun in years:
        rows = [_row(v, y) for v in villages if (y := v.apbdes_tahun(tahun))]
        base = f"perbandingan/{tahun}/"
        charts = _chart_perbandingan(tahun, rows, model)
        for c in charts:
            pages.append((base + c["file"], None, c["svg"].encode()))
        header = ["kode_desa", "desa", "kecamatan", "status"] + [c.kode for c in KOLOM_PERBANDINGAN]
        pages.append((base + f"perbandingan-{tahun}.csv", None, _csv(
            header, [[r["kode"], r["desa"], r["kecamatan"], r["status"]] + [c.ambil(r) for c in KOLOM_PERBANDINGAN]
                     for r in _sorted(rows, None)])))
        sel = {r["kode"]: _sel(r) for r in rows}
        orders = [(None, "kecamatan dan desa")] + [(c.kode, c.label) for c in KOLOM_PERBANDINGAN if c.urut]
        for kode, label in orders:
            save = base + ("index.html" if kode is None else f"urut-{kode}/index.html")
            pages.append((save, "perbandingan", {
                "tahun": tahun, "years": years, "rows": _sorted(rows, kode), "sel": sel, "kolom": KOLOM_PERBANDINGAN,
                "urut": kode, "urut_label": label, "orders": orders, "charts": charts,
                "csv": f"perbandingan-{tahun}.csv", "n_desa": len(rows)}))
    pages.append(("perbandingan/index.html", "perbandingan_index", {"years": years}))
    return pages


# ------------------------------------------------------------------ openness

def keterbukaan(settings: dict, model: list[PortalKecamatan]) -> list:
    rules = K.aturan(settings)
    all_v = [v for k in model for v in k.villages]
    today = K.hari_ini(settings, [v.summary for v in all_v if v.summary])
    rows = [(v, v.keterbukaan) for v in all_v]   # computed once in portal.portal_pages
    # Ranked: published villages by score; the unpublished after them, unranked.
    ranked = sorted(rows, key=lambda vn: (not vn[1].terbit, -vn[1].skor, vn[0].kode))
    rank: dict[str, int | None] = {}
    prev = None
    for i, (v, n) in enumerate(ranked):
        if not n.terbit:
            rank[v.kode] = None
            continue
        rank[v.kode] = rank[prev[0].kode] if prev is not None and n.skor == prev[1].skor else i + 1
        prev = (v, n)
    # Kecamatan: the average over their published villages; a kecamatan with none is listed, not ranked.
    kec_avg = [(kec, K.rata_rata_skor([v.keterbukaan for v in kec.villages])) for kec in model]
    kec_rows = (sorted([kr for kr in kec_avg if kr[1].nilai is not None], key=lambda kr: (-kr[1].nilai, kr[0].kode))
                + [kr for kr in kec_avg if kr[1].nilai is None])
    header = (["kode_desa", "desa", "jenis", "kecamatan", "status_terbit"] + [a.kode for a in rules]
              + ["skor", "peringkat"])
    data = [[v.kode, v.nama, v.jenis, v.kecamatan, v.status] + [n.sel[a.kode] for a in rules]
            + [n.skor if n.terbit else None, rank[v.kode]] for v, n in sorted(rows, key=lambda vn: vn[0].kode)]
    ctx = {"rules": rules, "today": today, "rank": rank, "kec_rows": kec_rows, "LABEL": K.LABEL,
           "SIMBOL": K.SIMBOL, "rata": K.rata_rata_skor([n for _, n in rows]),
           "cakupan": K.cakupan(rules, [(v.jenis, n) for v, n in rows]), "NILAI_TERLAMBAT": K.NILAI_TERLAMBAT}
    return [("data/keterbukaan.csv", None, _csv(header, data)),
            ("keterbukaan/index.html", "keterbukaan", {**ctx, "rows": ranked, "urut": "skor"}),
            ("keterbukaan/per-kecamatan/index.html", "keterbukaan",
             {**ctx, "rows": sorted(rows, key=lambda vn: vn[0].kode), "urut": "kecamatan"})]


# ------------------------------------------------------------------ programme targeting

def sasaran(settings: dict, model: list[PortalKecamatan]) -> list:
    villages = [v for k in model for v in k.villages if v.linked and v.summary.get("datadesa")]
    programs = sorted({b["program"] for v in villages for b in v.summary["datadesa"].get("bansos") or []})
    rows = []
    for v in villages:
        d = v.summary["datadesa"]
        bansos = {b["program"]: b["jumlah_kk"] for b in d.get("bansos") or []}
        rows.append({"v": v, "penduduk": d.get("penduduk"), "kk": d.get("jumlah_kk"), "kk_miskin": d.get("kk_miskin"),
                     "persen_miskin": _pct(d.get("kk_miskin"), d.get("jumlah_kk")), "bansos": bansos,
                     "indeks": d.get("indeks"), "per_tanggal": d.get("per_tanggal")})
    by_poor = sorted(rows, key=lambda r: (-(r["persen_miskin"] if r["persen_miskin"] is not None else -1), r["v"].kode))
    header = ["kode_desa", "desa", "kecamatan", "per_tanggal", "penduduk", "jumlah_kk", "kk_miskin", "persen_kk_miskin",
              "indeks_jenis", "indeks_tahun", "indeks_skor", "indeks_status"] + [f"bansos_kk_{p}" for p in programs]
    data = [[r["v"].kode, r["v"].nama, r["v"].kecamatan, r["per_tanggal"], r["penduduk"], r["kk"], r["kk_miskin"],
             r["persen_miskin"], *((r["indeks"] or {}).get(k) for k in ("jenis", "tahun", "skor", "status")),
             *(r["bansos"].get(p) for p in programs)] for r in sorted(rows, key=lambda r: r["v"].kode)]
    threshold = papan_setting(settings, "PAPAN_SMALL_COUNT")
    return [("sasaran/sasaran-program.csv", None, _csv(header, data)),
            ("sasaran/index.html", "sasaran", {"rows": by_poor, "programs": programs, "threshold": threshold,
                                               "urut": "miskin"}),
            ("sasaran/per-kecamatan/index.html", "sasaran", {"rows": sorted(rows, key=lambda r: r["v"].kode),
                                                              "programs": programs, "threshold": threshold,
                                                              "urut": "kecamatan"})]


# ------------------------------------------------------------------ news from every village

def berita_desa(settings: dict, model: list[PortalKecamatan]) -> list:
    from feedgenerator import Atom1Feed

    root = settings.get("SITEURL", "").rstrip("/")
    public = root if root.startswith("http") else papan_setting(settings, "PAPAN_PUBLIC_SITEURL").rstrip("/")
    posts = []
    for k in model:
        for v in k.villages:
            if not v.linked:
                continue
            for b in (v.summary.get("publikasi") or {}).get("berita_daftar") or []:
                posts.append({**b, "desa": v.nama, "kecamatan": v.kecamatan, "slug": v.slug,
                              "tanggal_dt": dt.datetime.fromisoformat(b["tanggal"])})
    posts.sort(key=lambda p: (p["tanggal_dt"], p["slug"], p["url"]), reverse=True)
    posts = posts[:60]
    feed = Atom1Feed(title=f"Berita desa Kabupaten {papan_setting(settings, 'PAPAN_KABUPATEN')}",
                     link=f"{public}/berita/", feed_url=f"{public}/berita/atom.xml",
                     description="Berita terbaru dari semua desa dan kelurahan", language="id")
    for p in posts[:30]:
        link = f"{public}/{p['slug']}/{p['url']}"
        when = p["tanggal_dt"] if p["tanggal_dt"].tzinfo else p["tanggal_dt"].replace(
            tzinfo=dt.timezone(dt.timedelta(hours=7)))
        feed.add_item(title=f"{p['judul']} ({p['desa']})", link=link, unique_id=link, description=p["judul"],
                      pubdate=when, updateddate=when, author_name=f"Pemerintah {p['desa']}")
    buf = io.StringIO()
    feed.write(buf, "utf-8")
    return [("berita/index.html", "berita_desa", {"posts": posts}), ("berita/atom.xml", None, buf.getvalue().encode())]


# ------------------------------------------------------------------ search

def cari(settings: dict, model: list[PortalKecamatan]) -> list:
    return [("cari/index.html", "cari", {})]


# ------------------------------------------------------------------ page not found

def tidak_ditemukan(settings: dict, model: list[PortalKecamatan]) -> list:
    """404.html at the site root: GitHub Pages (and most static hosts) serve it for any missing address."""
    return [("404.html", "404", {})]
