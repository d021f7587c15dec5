"""APBDes pages of a village site: the years list and one page per year, with charts and data files."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..demo import demo_generator
from ..pages import Artifact, NavItem, Page, SiteParts, builder
from ..problems import Problems
from ..settings import papan_setting
from ..sanitize import render_markdown
from ..village import Desa, data_kind
from ..svgchart import size as chart_size
from .charts import chart_multi_tahun, infografik
from .export import normalised_csv, year_json
from .load import load_village_apbdes
from .model import TahunAnggaran
from .numbers import format_persen, format_rupiah, json_number
from .tabel import tabel_html
from .totals import hitung, indikator, multi_tahun


@data_kind("apbdes")
def _load(village_dir: Path, problems: Problems) -> list[TahunAnggaran]:
    return load_village_apbdes(village_dir, problems)


def _chart_dict(c) -> dict:
    """What the templates need of a chart (drawn in about a millisecond, so not cached)."""
    w, h = chart_size(c.svg)
    return {"slug": c.slug, "judul": c.judul, "deskripsi": c.deskripsi, "svg": c.svg, "width": w, "height": h,
            "file": f"grafik-{c.slug}.svg"}


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB".replace(".", ",") if n < 1024 * 1024 else f"{n / 1048576:.1f} MB".replace(".", ",")


def _posters(desa: Desa, year: TahunAnggaran, settings: dict, cache_dir) -> list[dict]:
    """The year's poster (A1 and A4 PDF, PNG preview), drawn once per distinct budget and profile."""
    from .poster_cache import cached_poster, poster_info

    public = papan_setting(settings, "PAPAN_PUBLIC_SITEURL").rstrip("/")
    url = f"{public}/{desa.slug}/apbdes/{year.tahun}/"
    info = poster_info(desa.profil, settings, url, Path(settings.get("_PAPAN_ROOT", ".")))
    pf = cached_poster(Path(cache_dir) / "poster" if cache_dir else Path(".cache/papan/poster"), year, info)
    t = year.tahun
    return [
        {"file": f"poster-apbdes-{t}-a4.pdf", "label": f"Poster APBDes {t}, A4 untuk papan pengumuman (PDF)",
         "data": pf.a4_pdf, "size": _size(len(pf.a4_pdf))},
        {"file": f"poster-apbdes-{t}-a1.pdf", "label": f"Poster APBDes {t}, A1 untuk baliho (PDF)",
         "data": pf.a1_pdf, "size": _size(len(pf.a1_pdf))},
        {"file": f"poster-apbdes-{t}-pratinjau.png", "label": f"Pratinjau poster APBDes {t} (PNG)",
         "data": pf.png, "size": _size(len(pf.png))},
    ]


def _n(value) -> int | float | None:
    return None if value is None else json_number(value)


def year_summary(year: TahunAnggaran, totals) -> dict:
    """Key figures of one year for the portal (JSON-able)."""
    r = totals.ringkasan
    ind = {i.kode: (None if i.nilai is None else float(i.nilai)) for i in indikator(year, totals)}
    return {
        "tahun": year.tahun, "status": year.meta.status, "kolom": list(totals.kolom),
        "per_tanggal": year.meta.per_tanggal.isoformat() if year.meta.per_tanggal else None,
        "perdes_nomor": year.meta.perdes_nomor or None,
        "pendapatan": _n(r["pendapatan"].akhir), "belanja": _n(r["belanja"].akhir),
        "pendapatan_realisasi": _n(r["pendapatan"].realisasi), "belanja_realisasi": _n(r["belanja"].realisasi),
        "dana_desa": _n(totals.akun.get("4.2.1").akhir) if totals.akun.get("4.2.1") else 0,
        "bidang": {b: _n(v.akhir) for b, v in totals.bidang.items()},
        "indikator": ind,
    }


@builder
def apbdes_pages(desa: Desa, settings: dict) -> SiteParts:
    years: list[TahunAnggaran] = desa.data.get("apbdes") or []
    parts = SiteParts()
    belum = [t for t in desa.belum_terbit("apbdes/*.csv") if t.isdigit()]   # withheld, never published
    if not years and not belum:
        return parts
    cache_dir = settings.get("_PAPAN_CACHE_DIR")
    parts.nav.append(NavItem("APBDes", "apbdes/", 20))
    summaries = []
    for year in years:
        totals = hitung(year)
        doc = year_json(year, totals)
        charts = [_chart_dict(c) for c in infografik(year, totals)]
        base = f"apbdes/{year.tahun}/"
        for c in charts:
            parts.artifacts.append(Artifact(base + c["file"], c["svg"].encode()))
        parts.artifacts.append(Artifact(f"data/apbdes-{year.tahun}.csv", normalised_csv(year).encode()))
        parts.artifacts.append(Artifact(f"data/apbdes-{year.tahun}.json", doc.encode()))
        ringkasan = [(label, totals.ringkasan[k]) for k, label in (
            ("pendapatan", "Jumlah pendapatan"), ("belanja", "Jumlah belanja"),
            ("surplus_defisit", "Surplus/(defisit)"), ("penerimaan_pembiayaan", "Penerimaan pembiayaan"),
            ("pengeluaran_pembiayaan", "Pengeluaran pembiayaan"), ("pembiayaan_netto", "Pembiayaan netto"),
            ("silpa", "SiLPA tahun berjalan"))]
        parts.pages.append(Page(base + "index.html", "apbdes_tahun.html", {
            "year": year, "totals": totals, "charts": charts, "ringkasan": ringkasan,
            "indikator": indikator(year, totals), "tabel": tabel_html(year, totals),
            "years": years, "fmt_rp": format_rupiah, "fmt_pct": format_persen,
            "catatan_html": render_markdown(year.meta.catatan) if year.meta.catatan else "",
            "versi_sah": desa.versi_sah(f"apbdes/{year.tahun}.csv", f"apbdes/{year.tahun}.md"),
        }, title=f"APBDes {year.tahun}"))
        if papan_setting(settings, "PAPAN_POSTER"):
            files = _posters(desa, year, settings, cache_dir)
            parts.artifacts += [Artifact(base + f["file"], f["data"]) for f in files]
            parts.pages[-1].context["posters"] = files
        summaries.append(year_summary(year, totals))
    multi = multi_tahun(years)
    multi_chart = None
    if len(years) > 1:
        multi_chart = _chart_dict(chart_multi_tahun(years))
        parts.artifacts.append(Artifact("apbdes/" + multi_chart["file"], multi_chart["svg"].encode()))
    parts.pages.append(Page("apbdes/index.html", "apbdes_index.html", {
        "years": years, "multi": multi, "multi_chart": multi_chart, "fmt_rp": format_rupiah,
        "fmt_pct": format_persen, "belum_terbit": belum}, title="APBDes"))
    parts.summary["apbdes"] = summaries
    return parts


@demo_generator
def _demo(village_dir: Path, rng, wilayah) -> None:
    from .demo import write_demo_year

    write_demo_year(village_dir / "apbdes", rng, 2024, status="Realisasi Tahun Anggaran")
    write_demo_year(village_dir / "apbdes", rng, 2025, status="APBDes Perubahan")


__all__ = ["apbdes_pages", "year_summary", "Decimal"]
