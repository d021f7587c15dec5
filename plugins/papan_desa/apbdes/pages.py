"""APBDes pages of a village site: the years list and one page per year, with charts and data files."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..demo import demo_generator
from ..pages import Artifact, NavItem, Page, SiteParts, builder, finisher
from ..problems import Problems
from ..settings import papan_setting
from ..sanitize import render_markdown
from ..village import Desa, data_kind
from ..svgchart import size as chart_size
from .charts import chart_multi_tahun, infografik
from .export import normalised_csv, year_json
from .load import load_village_apbdes
from .model import TahunAnggaran
from ..formatting import tanggal
from .numbers import format_persen, format_rupiah, format_singkat, json_number
from .reference import reference
from .tabel import bagian_html, bagian_tabel
from .totals import hitung, indikator, multi_tahun


@data_kind("apbdes")
def _load(village_dir: Path, problems: Problems) -> list[TahunAnggaran]:
    years = load_village_apbdes(village_dir, problems)
    for year in years:
        _warn_unnamed(year, problems)
    return years


def _warn_unnamed(year: TahunAnggaran, problems: Problems) -> None:
    """A kegiatan that neither the reference nor the village's kegiatan.csv names is a warning for the
    operator; the page calls it after its lines (never a bare code)."""
    ref = reference()
    seen: set[str] = set()
    for b in year.baris:
        code = b.kegiatan
        if not code or code in seen or code in ref.bidang or code in year.nama_kegiatan:
            continue
        seen.add(code)
        problems.warning(year.path or "apbdes", b.nomor, 2,
                         f'kegiatan {code} tidak ada dalam referensi Permendagri 20/2018 maupun apbdes/kegiatan.csv; '
                         f'halaman memakai nama "{year.nama(code)}" dari uraian barisnya. Tulis nama resminya di '
                         f'apbdes/kegiatan.csv (kolom kode,nama)')


RINGKAS = (("pendapatan", "Pendapatan"), ("belanja", "Belanja"), ("pembiayaan_netto", "Pembiayaan"))


def ringkasan_singkat(year: TahunAnggaran, totals) -> dict:
    """The figures a resident looks for first (home page and top of the year page), in plain words.

    Each figure has its exact rupiah and, beside it, the short form; with realisasi, how much of it
    was realised. A part without a budget says so instead of showing Rp 0 ("only realisasi rows",
    or nothing yet)."""
    r = totals.ringkasan
    real = "realisasi" in totals.kolom
    status = year.meta.status
    if year.meta.per_tanggal:
        status += f" per {tanggal(year.meta.per_tanggal)}"
    angka, kurang = [], []
    for key, label in RINGKAS:
        n = r[key]
        item = {"kunci": key, "label": label, "tepat": format_rupiah(n.akhir), "singkat": format_singkat(n.akhir),
                "realisasi": None, "persen": None, "kosong": False}
        if real and n.realisasi is not None:
            item["realisasi"] = format_rupiah(n.realisasi)
            item["persen"] = format_persen(n.persen) if n.persen is not None else None
        if key != "pembiayaan_netto" and n.akhir == 0:
            if real and n.realisasi:
                item.update(label=f"Realisasi {label.lower()}", tepat=format_rupiah(n.realisasi),
                            singkat=format_singkat(n.realisasi), realisasi=None, persen=None)
                kurang.append(f"Anggaran {label.lower()} tahun {year.tahun} belum dimuat; yang tampil adalah "
                              "realisasinya.")
            else:
                item.update(kosong=True)
                kurang.append(f"Angka {label.lower()} tahun {year.tahun} belum dimuat.")
        angka.append(item)
    income = sorted(((b.uraian or year.nama(b.kode), b.nilai.akhir) for b in year.baris if b.bagian == "pendapatan"),
                    key=lambda x: (-x[1], x[0]))
    return {"tahun": year.tahun, "status": status, "angka": angka, "kurang": kurang,
            "sumber": [(n, format_rupiah(v)) for n, v in income[:3] if v > 0],
            "silpa": format_rupiah(r["silpa"].akhir), "realisasi": real}


def catatan_pembaca(year: TahunAnggaran, totals) -> list[str]:
    """Plain-language notes that inform a reader (never the operator's diagnostics)."""
    notes = []
    if "realisasi" not in totals.kolom:
        return notes
    for bagian, kata in (("pendapatan", "pendapatan"), ("belanja", "belanja")):
        over = [b for b in year.baris if b.bagian == bagian and b.nilai.realisasi is not None
                and b.nilai.realisasi > b.nilai.akhir]
        if not over:
            continue
        first = over[0].uraian or year.nama(over[0].kode)
        more = f" dan {len(over) - 1} lainnya" if len(over) > 1 else ""
        if bagian == "pendapatan":
            notes.append(f"Realisasi pendapatan melebihi anggaran pada {first}{more}: penerimaan desa lebih "
                         "besar dari perkiraan.")
        else:
            notes.append(f"Realisasi belanja melebihi anggaran pada {first}{more}.")
    return notes


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
         "pendek": "A4 (PDF)", "data": pf.a4_pdf, "size": _size(len(pf.a4_pdf))},
        {"file": f"poster-apbdes-{t}-a1.pdf", "label": f"Poster APBDes {t}, A1 untuk baliho (PDF)",
         "pendek": "baliho A1 (PDF)", "data": pf.a1_pdf, "size": _size(len(pf.a1_pdf))},
        {"file": f"poster-apbdes-{t}-pratinjau.png", "label": f"Pratinjau poster APBDes {t} (PNG)",
         "pendek": "pratinjau (PNG)", "data": pf.png, "size": _size(len(pf.png))},
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
        bagian = [{"kunci": b.kunci, "judul": b.judul, "nilai": b.nilai, "html": bagian_html(year, b),
                   "baris": len(b.baris)} for b in bagian_tabel(year, totals)]
        parts.pages.append(Page(base + "index.html", "apbdes_tahun.html", {
            "year": year, "totals": totals, "charts": charts, "ringkasan": ringkasan,
            "singkat": ringkasan_singkat(year, totals), "catatan_pembaca": catatan_pembaca(year, totals),
            "indikator": indikator(year, totals), "bagian": bagian,
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
    if years:          # none when the only year is withheld and never published: the home says "belum diterbitkan"
        newest = years[-1]
        parts.summary["_beranda_apbdes"] = {**ringkasan_singkat(newest, hitung(newest)),
                                            "poster": f"apbdes/{newest.tahun}/poster-apbdes-{newest.tahun}-a4.pdf"
                                            if papan_setting(settings, "PAPAN_POSTER") else None}
    return parts


def _pembaruan(summary: dict) -> str | None:
    """The newest date the village published anything (news, population data, a budget's "per")."""
    dates = [(summary.get("publikasi") or {}).get("berita_terbaru"),
             (summary.get("datadesa") or {}).get("per_tanggal")]
    dates += [y.get("per_tanggal") for y in summary.get("apbdes") or []]
    dates = sorted(d[:10] for d in dates if d)
    return dates[-1] if dates else None


@finisher
def beranda(desa: Desa, settings: dict, parts: SiteParts) -> None:
    """Put the newest budget and the population headline on the village home page."""
    home = next((p for p in parts.pages if p.save_as == "index.html"), None)
    ringkas = parts.summary.pop("_beranda_apbdes", None)
    if home is None:
        return
    dd = parts.summary.get("datadesa") or {}
    home.context["apbdes_ringkas"] = ringkas
    home.context["pembaruan"] = _pembaruan(parts.summary)
    home.context["penduduk_ringkas"] = {"penduduk": dd.get("penduduk"), "kk": dd.get("jumlah_kk"),
                                        "per_tanggal": dd.get("per_tanggal")} if dd.get("penduduk") else None


@demo_generator
def _demo(village_dir: Path, rng, wilayah) -> None:
    from .demo import write_demo_year

    write_demo_year(village_dir / "apbdes", rng, 2024, status="Realisasi Tahun Anggaran")
    write_demo_year(village_dir / "apbdes", rng, 2025, status="APBDes Perubahan")


__all__ = ["apbdes_pages", "year_summary", "Decimal"]
