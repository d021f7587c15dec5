"""Data desa on the village site: government, territory, population, social aid and indices.

A thin adapter around the plain functions of this package: the loader runs
:func:`load_village_datadesa` (any error blocks the village, as for the budget),
the builder turns :func:`build_tables` into pages, SVG charts
and a CSV + JSON file per table under ``data/``. Pages, charts and files all read
the same already-suppressed :class:`Table`, so a hidden count ("<5") cannot leak.

Pages (relative to the village root)::

    data-desa/                      overview: key numbers, links, every data file
    data-desa/penduduk/             summary (population, KK, KK miskin) and the categories
    data-desa/penduduk/<kategori>/  one breakdown: chart + table (umur: population pyramid)
    data-desa/wilayah/              dusun (chart + table) and RT
    data-desa/bansos/               aid per programme and per dusun
    data-desa/indeks/               IDM / Indeks Desa per year, SDGs Desa per goal
    pemerintahan/                   perangkat, BPD, lembaga kemasyarakatan, PPID Desa
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pages import Artifact, NavItem, Page, SiteParts
from ..problems import Problems
from ..settings import papan_setting
from ..svgchart import size as chart_size
from ..village import Desa
from . import schemas as S
from .charts import charts_for
from .export import _plain, table_to_csv, table_to_json
from .load import DataDesa, load_village_datadesa
from .tables import Table, build_tables, format_date, format_value


# Population breakdown key -> page folder and menu label.
KATEGORI_PAGES: dict[str, tuple[str, str]] = {
    "umur": ("umur", "Kelompok umur"),
    "pendidikan": ("pendidikan", "Pendidikan"),
    "pekerjaan": ("pekerjaan", "Pekerjaan"),
    "agama": ("agama", "Agama"),
    "status_perkawinan": ("status-perkawinan", "Status perkawinan"),
}
GROUP_TITLES = {"perangkat": "Perangkat desa", "bpd": "Badan Permusyawaratan Desa (BPD)",
                "lembaga": "Lembaga kemasyarakatan desa", "ppid": "PPID Desa"}


def _load(village_dir: Path, problems: Problems) -> DataDesa | None:
    """The village's data-desa folder (None when it has none); errors are reported and block the village."""
    if not (village_dir / S.DATA_DIR).is_dir():
        return None
    return load_village_datadesa(village_dir, problems)


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------


def _chart(table: Table) -> tuple[str, str] | None:
    """(file name, svg) of a table's chart (about a millisecond to draw); None when it has none."""
    return next(iter(charts_for({table.name: table}).items()), None)


@dataclass
class Grafik:
    file: str               # file name next to the page
    width: int
    height: int
    alt: str
    judul: str


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@dataclass
class Bagian:
    """One table on a page, with its chart (if any) and its data files."""
    table: Table
    id: str
    grafik: Grafik | None = None
    csv: str = ""
    json: str = ""
    notes: list[str] = field(default_factory=list)


def _initials(nama: str) -> str:
    words = [w for w in re.split(r"[\s.,]+", nama) if w and w[0].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "?"


def _alt(table: Table) -> str:
    kind = "Piramida penduduk" if table.name == "penduduk-umur" else "Grafik batang"
    return f"{kind}: {table.title[0].lower() + table.title[1:]}. Angka lengkapnya ada pada tabel di bawah grafik."


def _photo(desa: Desa, foto: str, cache_dir, artifacts: list[Artifact]) -> dict | None:
    """A perangkat photo the village supplied, resized with metadata removed; None on any trouble."""
    if not foto:
        return None
    try:
        from ..publikasi.gambar import process

        g = process(desa.dir / foto, desa.dir, cache_dir, widths=(160,), out_prefix="pemerintahan/foto")
    except Exception:  # noqa: BLE001 - an unreadable photo falls back to the initials
        return None
    v = g.varian[0]
    artifacts.append(Artifact(v.jpeg, g.berkas[v.jpeg]))
    return {"src": v.jpeg, "width": v.width, "height": v.height}


def _latest_score(dd: DataDesa) -> str:
    if not dd.indeks:
        return ""
    last = max(dd.indeks, key=lambda i: (i.tahun, S.INDEKS_JENIS.index(i.jenis)))
    return format_value(last.skor, "skor")


def summary_of(tables: dict[str, Table], dd: DataDesa) -> dict[str, Any]:
    """Key figures for the portal, taken from the published (already suppressed) tables.

    ``{"per_tanggal": "2025-06-30"|None, "sumber": str|None, "penduduk", "laki_laki", "perempuan",
    "jumlah_kk", "kk_miskin": int|"<5"|None, "bansos_per_tanggal": str|None, "bansos": [{"program",
    "periode", "jumlah_kk": int|"<5"|"*"}], "indeks": {"tahun", "jenis", "skor", "status"}|None}``
    """
    out: dict[str, Any] = {"per_tanggal": None, "sumber": None, "penduduk": None, "laki_laki": None,
                           "perempuan": None, "jumlah_kk": None, "kk_miskin": None,
                           "bansos_per_tanggal": None, "bansos": [], "indeks": None}
    r = tables.get("penduduk-ringkasan")
    if r is not None:
        out["per_tanggal"] = r.per_tanggal.isoformat() if r.per_tanggal else None
        out["sumber"] = r.sumber or None
        keys = {"Penduduk laki-laki": "laki_laki", "Penduduk perempuan": "perempuan", "Jumlah penduduk": "penduduk",
                "Jumlah kepala keluarga (KK)": "jumlah_kk", "KK miskin": "kk_miskin"}
        for row in r.rows:
            if row["uraian"] in keys:
                out[keys[row["uraian"]]] = _plain(row["jumlah"])
    b = tables.get("bansos-program")
    if b is not None:
        out["bansos_per_tanggal"] = b.per_tanggal.isoformat() if b.per_tanggal else None
        out["bansos"] = [{"program": row["program"], "periode": row["periode"], "jumlah_kk": _plain(row["jumlah_kk"])}
                         for row in b.rows]
    if dd.indeks:
        last = max(dd.indeks, key=lambda i: (i.tahun, S.INDEKS_JENIS.index(i.jenis)))
        out["indeks"] = {"tahun": last.tahun, "jenis": last.jenis, "skor": _plain(last.skor), "status": last.status}
    return out


def datadesa_pages(desa: Desa, settings: dict) -> SiteParts:
    dd: DataDesa | None = desa.data.get("datadesa")
    parts = SiteParts()
    if dd is None or dd.empty:
        return parts
    threshold = int(papan_setting(settings, "PAPAN_SMALL_COUNT"))
    cache_dir = settings.get("_PAPAN_CACHE_DIR")
    tables = build_tables(dd, threshold)
    for t in tables.values():
        parts.artifacts.append(Artifact(f"data/{t.name}.csv", table_to_csv(t).encode()))
        parts.artifacts.append(Artifact(f"data/{t.name}.json", table_to_json(t).encode()))

    def bagian(name: str, page_dir: str, chart: bool = True) -> Bagian | None:
        t = tables.get(name)
        if t is None:
            return None
        b = Bagian(t, name, csv=f"data/{name}.csv", json=f"data/{name}.json", notes=list(t.notes))
        drawn = _chart(t) if chart else None
        if drawn is not None:
            file, svg = drawn
            parts.artifacts.append(Artifact(page_dir + file, svg.encode()))
            w, h = chart_size(svg)
            b.grafik = Grafik(file, w, h, _alt(t), t.title + (f" ({t.caption})" if t.caption else ""))
        return b

    ctx = {"fmt": format_value, "fmt_tanggal": format_date, "AMBANG": threshold}
    meta = dd.penduduk_meta
    from ..sanitize import render_markdown

    catatan_penduduk = render_markdown(meta.catatan) if meta is not None and meta.catatan else ""
    catatan_bansos = render_markdown(dd.bansos_meta.catatan) if dd.bansos_meta and dd.bansos_meta.catatan else ""

    # Population: summary page and one page per breakdown.
    kategori = []
    for k, (slug, label) in KATEGORI_PAGES.items():
        name = f"penduduk-{k.replace('_', '-')}"
        page_dir = f"data-desa/penduduk/{slug}/"
        b = bagian(name, page_dir)
        if b is None:
            continue
        kategori.append({"slug": slug, "label": label, "judul": b.table.title, "url": page_dir})
        parts.pages.append(Page(page_dir + "index.html", "datadesa_kategori.html",
                                {**ctx, "bagian": b, "label": label, "kategori": kategori, "base": page_dir},
                                title=b.table.title))
    ringkasan = bagian("penduduk-ringkasan", "data-desa/penduduk/", chart=False)
    if ringkasan is not None or kategori:
        parts.pages.append(Page("data-desa/penduduk/index.html", "datadesa_penduduk.html",
                                {**ctx, "ringkasan": ringkasan, "kategori": kategori, "catatan_html": catatan_penduduk,
                                 "meta": meta}, title="Penduduk"))

    wilayah = [b for b in (bagian("wilayah-dusun", "data-desa/wilayah/"),
                           bagian("wilayah-rt", "data-desa/wilayah/", chart=False)) if b]
    if wilayah:
        parts.pages.append(Page("data-desa/wilayah/index.html", "datadesa_wilayah.html",
                                {**ctx, "bagian_list": wilayah}, title="Wilayah: dusun, RW dan RT"))
    bansos = [b for b in (bagian("bansos-program", "data-desa/bansos/", chart=False),
                          bagian("bansos-dusun", "data-desa/bansos/", chart=False)) if b]
    if bansos:
        parts.pages.append(Page("data-desa/bansos/index.html", "datadesa_bansos.html",
                                {**ctx, "bagian_list": bansos, "catatan_html": catatan_bansos},
                                title="Bantuan sosial"))
    indeks = [b for b in (bagian("indeks-desa", "data-desa/indeks/", chart=False),
                          bagian("sdgs-desa", "data-desa/indeks/")) if b]
    summary = summary_of(tables, dd)
    if indeks:
        parts.pages.append(Page("data-desa/indeks/index.html", "datadesa_indeks.html",
                                {**ctx, "bagian_list": indeks, "terakhir": summary["indeks"],
                                 "terakhir_skor": _latest_score(dd)},
                                title="Indeks desa dan SDGs Desa"))

    sections = []
    if ringkasan is not None or kategori:
        sections.append(("penduduk/", "Penduduk", "Jumlah penduduk, KK, KK miskin; penduduk menurut "
                         + ", ".join(c["label"].lower() for c in kategori) + "." if kategori else
                         "Jumlah penduduk, KK dan KK miskin."))
    if wilayah:
        sections.append(("wilayah/", "Wilayah", "Dusun, RW dan RT dengan jumlah KK dan penduduk laki-laki dan perempuan."))
    if bansos:
        sections.append(("bansos/", "Bantuan sosial", "Jumlah keluarga penerima per program dan per dusun, nilai dan "
                         "periode penyaluran."))
    if indeks:
        sections.append(("indeks/", "Indeks desa", "Status IDM / Indeks Desa per tahun dan skor SDGs Desa per tujuan."))
    if sections:
        parts.pages.append(Page("data-desa/index.html", "datadesa_index.html",
                                {**ctx, "ringkasan": ringkasan, "sections": sections, "summary": summary,
                                 "semua": [t for n, t in tables.items() if n != "pemerintahan"],
                                 "bansos_caption": tables["bansos-program"].caption if "bansos-program" in tables else ""},
                                title="Data desa"))
        parts.nav.append(NavItem("Data desa", "data-desa/", 30))

    if dd.pemerintahan:
        groups = []
        for kat in S.KATEGORI_PEMERINTAHAN:
            people = [p for p in dd.pemerintahan if p.kategori == kat]
            if not people:
                continue
            if kat == "lembaga":
                by: dict[str, list] = {}
                for p in people:
                    by.setdefault(p.lembaga, []).append(p)
                sub = list(by.items())
            else:
                sub = [("", people)]
            judul = GROUP_TITLES[kat]
            if desa.profil.jenis == "kelurahan":
                judul = judul.replace("desa", "kelurahan").replace("Desa", "Kelurahan")
            groups.append({"kategori": kat, "judul": judul, "sub": [
                (lembaga, [{"jabatan": p.jabatan, "nama": p.nama, "inisial": _initials(p.nama),
                            "foto": _photo(desa, p.foto, cache_dir, parts.artifacts)} for p in ps])
                for lembaga, ps in sub]})
        has_kades = any(p.jabatan.lower().startswith(("kepala desa", "lurah")) for p in dd.pemerintahan)
        kades = None if has_kades else {"jabatan": "Lurah" if desa.profil.jenis == "kelurahan" else "Kepala Desa",
                                        "nama": desa.profil.kepala_desa,
                                        "inisial": _initials(desa.profil.kepala_desa), "foto": None}
        parts.pages.append(Page("pemerintahan/index.html", "datadesa_pemerintahan.html",
                                {**ctx, "groups": groups, "kades": kades,
                                 "punya_ppid_page": desa.data.get("publikasi") is not None},
                                title="Pemerintahan"))
        parts.nav.append(NavItem("Pemerintahan", "pemerintahan/", 40))

    parts.summary["datadesa"] = summary
    return parts


# ---------------------------------------------------------------------------
# Demo villages
# ---------------------------------------------------------------------------

DUSUN_NAMES = ("Krajan", "Kauman", "Sidomulyo", "Karangsari", "Tegalsari", "Sumberejo", "Ngasinan", "Pucung",
               "Kedungan", "Gondang", "Sawangan", "Kalipuru", "Banaran", "Ngadisono", "Plipir", "Siwuran",
               "Jlamprang", "Windusari", "Tlogo", "Depok")


def _demo(village_dir: Path, rng: random.Random, wilayah) -> None:
    from .demo import write_demo_datadesa

    n = rng.randint(3, 6)
    dusun = ["Krajan", *rng.sample([d for d in DUSUN_NAMES if d != "Krajan"], n - 1)]
    write_demo_datadesa(village_dir, rng, dusun, rng.randint(2000, 7000))


__all__ = ["datadesa_pages", "summary_of", "KATEGORI_PAGES"]
