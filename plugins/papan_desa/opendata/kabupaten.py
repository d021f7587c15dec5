"""The kabupaten's open data, catalogue, sitemap and robots.txt.

* :func:`opendata_site` (a site step, over the assembled site) reads every
  published village's ``data/`` folder back, writes the combined datasets
  ``data/<name>.csv`` with ``data/datapackage.json`` at the site root, the
  DCAT-US / Project Open Data catalogue ``data.json``, ``sitemap.xml`` and
  ``robots.txt``, and makes the Atom feeds' links absolute.
* :func:`katalog_page` (a portal builder) renders the human catalogue
  ``data/index.html`` from the villages' build summaries, with the same
  functions, so page and files agree.

Combined datasets keep one name for ever (``data/apbdes.csv`` holds every year):
a dataset's URL does not change when data is added.
"""
from __future__ import annotations

import functools
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .. import portal
from ..cache import module_version, village_memo
from ..settings import papan_setting
from .package import (DATA_PACKAGE_SPEC, FASE, PENDUDUK_URAIAN, RINGKASAN_POS, apbdes_lines, csv_rows, describe, dumps,
                      kategori_rows, license_info, package_descriptor, public_base, village_info, write_csv)
from .schemas import APBDES_COLUMNS, Dataset, Jenis, Kolom, missing_values, table_schema

# --------------------------------------------------------------------------- registration

# --------------------------------------------------------------------------- declarations

IDENT = (
    Kolom("kode_desa", "string", "Kode desa", "Kode wilayah Kemendagri desa/kelurahan (mis. 33.07.01.2001).",
          extra=(("columnType", "administrative-classification:generic:level2:code"),)),
    Kolom("nama_desa", "string", "Nama desa", "Nama desa/kelurahan.",
          extra=(("columnType", "administrative-classification:generic:level2:label"),)),
    Kolom("kode_kecamatan", "string", "Kode kecamatan", "Kode wilayah Kemendagri kecamatan (mis. 33.07.01).",
          extra=(("columnType", "administrative-classification:generic:level1:code"),)),
    Kolom("kecamatan", "string", "Kecamatan", "Nama kecamatan.",
          extra=(("columnType", "administrative-classification:generic:level1:label"),)),
)
IDENT_KEYS = tuple(c.name for c in IDENT)
N_ORANG = ("orang", "Jumlah penduduk")
_POS_LABEL = {"pendapatan": "pendapatan", "belanja": "belanja", "surplus_defisit": "surplus/(defisit)",
              "penerimaan_pembiayaan": "penerimaan pembiayaan", "pengeluaran_pembiayaan": "pengeluaran pembiayaan",
              "pembiayaan_netto": "pembiayaan netto", "silpa": "SiLPA"}
_FASE = {"anggaran": ("approved", "anggaran (Perdes APBDes)"), "perubahan": ("adjusted", "anggaran perubahan"),
         "realisasi": ("executed", "realisasi sampai per_tanggal")}
HIDDEN = '"<5" dan "*" (angka yang disembunyikan desa menurut aturan sel kecil) dibaca sebagai nilai kosong.'


def _pop(name: str, title: str, unit: str = "orang") -> Kolom:
    return Kolom(name, "integer", title, f"{title} seperti diterbitkan desa.", unit)


KAB_KINDS: dict[str, Jenis] = {j.key: j for j in (
    Jenis("desa", "desa", "Daftar desa yang menerbitkan data",
          "Setiap desa/kelurahan yang menerbitkan data terbuka: kode, kecamatan, alamat halaman data dan paket data.",
          (*IDENT, Kolom("jenis", "string", "Jenis", "desa atau kelurahan."),
           Kolom("halaman_data", "string", "Halaman data", "Alamat halaman data terbuka desa.", extra=(("format", "uri"),)),
           Kolom("paket_data", "string", "Paket data", "Alamat datapackage.json desa.", extra=(("format", "uri"),)),
           Kolom("jumlah_data", "integer", "Jumlah data", "Banyaknya tabel (CSV) yang diterbitkan desa.", "tabel")),
          ("kode_desa",), ("desa", "kelurahan", "wilayah")),
    Jenis("apbdes", "apbdes", "APBDes semua desa: rincian per rekening",
          "Setiap baris APBDes setiap desa dan tahun, dengan kode desa dan kecamatan (klasifikasi administratif), "
          "kode rekening (klasifikasi ekonomi), bidang, sub bidang dan kegiatan (klasifikasi fungsi), fase "
          "anggaran, perubahan dan realisasi (Fiscal Data Package).",
          (*IDENT, *APBDES_COLUMNS,
           Kolom("sub_bidang", "string", "Kode sub bidang",
                 "Klasifikasi fungsi tingkat 2 (bidang.sub bidang, mis. 01.01), dari kode kegiatan.",
                 extra=(("columnType", "functional-classification:generic:level2:code"),))),
          (), ("apbdes", "anggaran", "keuangan desa", "fiscal data package")),
    Jenis("apbdes-ringkasan", "apbdes-ringkasan", "Ringkasan APBDes per desa dan tahun",
          "Satu baris per desa dan tahun anggaran: pendapatan, belanja, surplus/defisit, pembiayaan dan SiLPA "
          "pada fase anggaran, perubahan dan realisasi (kosong bila belum ada).",
          (*IDENT,
           Kolom("tahun", "year", "Tahun anggaran", "Tahun anggaran.", extra=(("columnType", "date:fiscal-year"),)),
           Kolom("status", "string", "Status", "Tahap APBDes yang diterbitkan (mis. APBDes, Perubahan, Realisasi "
                 "Semester I)."),
           Kolom("per_tanggal", "date", "Per tanggal", "Tanggal keadaan realisasi (kosong bila belum ada)."),
           *(Kolom(f"{p}_{f}", "number", f"{_POS_LABEL[p].capitalize()} ({f})",
                   f"Jumlah {_POS_LABEL[p]}, {_FASE[f][1]}. Rupiah.", "rupiah",
                   (("columnType", "value"), ("currency", "IDR"), ("phase", _FASE[f][0])))
             for p in RINGKASAN_POS for f in FASE)),
          ("kode_desa", "tahun"), ("apbdes", "ringkasan", "keuangan desa")),
    Jenis("penduduk", "penduduk", "Penduduk per desa",
          f"Jumlah penduduk, kepala keluarga dan KK miskin setiap desa. {HIDDEN}",
          (*IDENT, Kolom("per_tanggal", "date", "Per tanggal", "Tanggal keadaan data kependudukan desa."),
           *(_pop(v, k, "KK" if "KK" in k else "orang") for k, v in PENDUDUK_URAIAN.items())),
          ("kode_desa",), ("penduduk", "kependudukan"), suppressed=True),
    Jenis("penduduk-kategori", "penduduk-kategori", "Penduduk per desa menurut kategori",
          f"Penduduk setiap desa menurut kelompok umur, pendidikan, pekerjaan, agama dan status perkawinan, per jenis "
          f"kelamin (tanpa baris jumlah). {HIDDEN}",
          (*IDENT, Kolom("per_tanggal", "date", "Per tanggal", "Tanggal keadaan data kependudukan desa."),
           Kolom("kategori", "string", "Kategori", "umur, pendidikan, pekerjaan, agama atau status-perkawinan."),
           Kolom("nilai", "string", "Nilai kategori", "Kelompok umur, jenjang pendidikan, pekerjaan, agama atau "
                 "status perkawinan."),
           _pop("laki_laki", "Penduduk laki-laki"), _pop("perempuan", "Penduduk perempuan"),
           _pop("jumlah", "Jumlah penduduk")),
          ("kode_desa", "kategori", "nilai"), ("penduduk", "kependudukan", "umur", "pendidikan", "pekerjaan"),
          suppressed=True),
    Jenis("penduduk-kecamatan", "penduduk-kecamatan", "Penduduk per kecamatan (desa yang menerbitkan data)",
          "Jumlah penduduk dan KK per kecamatan, dijumlahkan dari desa yang menerbitkan data kependudukan "
          "(jumlah_desa). KK miskin kosong bila ada desa yang angkanya disembunyikan atau tidak diisi.",
          (IDENT[2], IDENT[3],
           Kolom("jumlah_desa", "integer", "Jumlah desa", "Banyaknya desa yang angkanya dijumlahkan.", "desa"),
           *(Kolom(v, "integer", k, f"{k}, jumlah dari desa-desa tersebut.", "KK" if "KK" in k else "orang")
             for k, v in PENDUDUK_URAIAN.items())),
          ("kode_kecamatan",), ("penduduk", "kecamatan")),
)}
KETERBUKAAN = ("keterbukaan", "Matriks keterbukaan informasi desa",
               "Keterbukaan informasi setiap desa: informasi apa yang sudah diterbitkan (disusun portal kabupaten).")


# --------------------------------------------------------------------------- combining

def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "ya" if v else "tidak"
    if isinstance(v, float):
        return format(Decimal(repr(v)).normalize(), "f")
    return str(v)


def _ident(info: dict) -> list[str]:
    return [str(info.get(k) or "") for k in IDENT_KEYS]


def _int(v: str) -> int | None:
    return int(v) if re.fullmatch(r"-?\d+", v or "") else None


APBDES_LINE_COLUMNS = [*(c.name for c in APBDES_COLUMNS), "sub_bidang"]


def _apbdes_rows(info: dict, header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """A village's budget lines as rows of the combined table (identity columns first)."""
    ident = _ident(info)
    return [[*ident, *(rec.get(c, "") for c in APBDES_LINE_COLUMNS)] for rec in (dict(zip(header, r)) for r in rows)]


def _kategori_rows(info: dict, rows: list[list[str]]) -> list[list[str]]:
    """A village's population breakdowns as rows of the combined table (identity and date first)."""
    ident, per = _ident(info), (info.get("penduduk") or {}).get("per_tanggal", "")
    return [[*ident, per, *r] for r in rows]


def combine(infos: Sequence[dict], files_of: dict[str, dict[str, bytes]] | None, base: str,
            parts_of: dict[str, "VillagePart"] | None = None) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The combined tables (name -> (header, rows)), villages in code order.

    ``infos`` are :func:`~.package.village_info` dicts. With ``files_of`` (slug -> the village's data files)
    or ``parts_of`` (slug -> its :class:`VillagePart`, the same rows read once and kept) the big tables are
    complete; without either (the portal page) they hold the first villages' preview rows.
    """
    infos = sorted(infos, key=lambda i: (i.get("kode_desa") or "", i.get("slug") or ""))
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    k = KAB_KINDS["desa"]
    out["desa"] = ([c.name for c in k.columns], [
        [*_ident(i), i.get("jenis") or "", f"{base}/{i['slug']}/data/", f"{base}/{i['slug']}/data/datapackage.json",
         str(len(i.get("datasets") or []))] for i in infos])

    lines: list[list[str]] = []
    for i in infos:
        if parts_of is not None:
            lines += parts_of[i["slug"]].apbdes
        elif files_of is not None:
            lines += _apbdes_rows(i, *apbdes_lines(files_of.get(i["slug"], {})))
        else:
            lines += _apbdes_rows(i, APBDES_LINE_COLUMNS, i.get("preview", {}).get("apbdes") or [])
    out["apbdes"] = ([*IDENT_KEYS, *APBDES_LINE_COLUMNS], lines)

    k = KAB_KINDS["apbdes-ringkasan"]
    names = [c.name for c in k.columns]
    out["apbdes-ringkasan"] = (names, [[*_ident(i), *(_cell(r.get(n)) for n in names[len(IDENT_KEYS):])]
                                       for i in infos for r in i.get("apbdes_ringkasan") or []])

    k = KAB_KINDS["penduduk"]
    names = [c.name for c in k.columns]
    pend = [[*_ident(i), *((i["penduduk"] or {}).get(n, "") for n in names[len(IDENT_KEYS):])]
            for i in infos if i.get("penduduk")]
    out["penduduk"] = (names, pend)

    kat_header = [c.name for c in KAB_KINDS["penduduk-kategori"].columns]
    kat: list[list[str]] = []
    for i in infos:
        if parts_of is not None:
            kat += parts_of[i["slug"]].kategori
        elif files_of is not None:
            kat += _kategori_rows(i, kategori_rows(files_of.get(i["slug"], {})))
        else:
            kat += _kategori_rows(i, i.get("preview", {}).get("penduduk-kategori") or [])
    out["penduduk-kategori"] = (kat_header, kat)

    k = KAB_KINDS["penduduk-kecamatan"]
    names = [c.name for c in k.columns]
    by_kec: dict[tuple[str, str], list[dict]] = {}
    for i in infos:
        if i.get("penduduk"):
            by_kec.setdefault((i.get("kode_kecamatan") or "", i.get("kecamatan") or ""), []).append(i["penduduk"])
    kec_rows = []
    for (kode, nama), ps in sorted(by_kec.items()):
        row = [kode, nama, str(len(ps))]
        for n in names[3:]:
            vals = [_int(p.get(n, "")) for p in ps]
            row.append("" if any(v is None for v in vals) else str(sum(vals)))
        kec_rows.append(row)
    out["penduduk-kecamatan"] = (names, kec_rows)
    return out


def kabupaten_datasets(tables: dict[str, tuple[list[str], list[list[str]]]], infos: Sequence[dict],
                       threshold: int) -> list[Dataset]:
    """Dataset descriptions of the combined tables (the ones with rows)."""
    out = []
    for name, (header, rows) in tables.items():
        if not rows:
            continue
        k = KAB_KINDS[name]
        missing = missing_values(threshold) if k.suppressed else [""]
        out.append(Dataset(name, k.title, k.description, f"{name}.csv", None,
                           table_schema(k.columns, header, k.primary_key, missing), list(k.keywords),
                           _latest(infos, name), len(rows)))
    return out


def _latest(infos: Sequence[dict], name: str) -> str | None:
    """The newest of the villages' own dates for the data a combined table is made of."""
    prefix = {"apbdes": "apbdes-", "apbdes-ringkasan": "apbdes-", "penduduk": "penduduk-",
              "penduduk-kategori": "penduduk-", "penduduk-kecamatan": "penduduk-"}.get(name)
    if prefix is None:
        return None
    dates = [d["modified"] for i in infos for d in i.get("datasets") or []
             if d.get("modified") and d["name"].startswith(prefix)]
    return max(dates) if dates else None


# --------------------------------------------------------------------------- catalogue (DCAT-US / Project Open Data 1.1)

def _dist(url: str, fmt: str, media: str, title: str, **more) -> dict[str, Any]:
    return {"@type": "dcat:Distribution", "downloadURL": url, "format": fmt, "mediaType": media, "title": title,
            **more}


def catalogue(packages: Sequence[dict], settings: dict) -> dict[str, Any]:
    """``data.json``: one dcat:Dataset per package (its datapackage.json) and one per data resource.

    ``packages``: ``{"url": folder URL ending in /, "descriptor": datapackage dict, "publisher": name,
    "email": str|None, "spatial": str}``.
    """
    lic = license_info(settings).get("path") or license_info(settings)["name"]
    datasets = []
    for p in packages:
        d, url = p["descriptor"], p["url"]
        contact = {"@type": "vcard:Contact", "fn": p["publisher"]}
        if p.get("email"):
            contact["hasEmail"] = "mailto:" + p["email"]
        common = {"accessLevel": "public", "license": lic, "publisher": {"@type": "org:Organization",
                                                                         "name": p["publisher"]},
                  "contactPoint": contact, "spatial": p["spatial"], "language": ["id"]}
        pkg_id = url + "datapackage.json"
        entry = {"@type": "dcat:Dataset", "identifier": pkg_id, "title": d["title"], "description": d["description"],
                 "keyword": d.get("keywords") or ["data terbuka"], "landingPage": url,
                 "distribution": [_dist(pkg_id, "Data Package", "application/json", "datapackage.json",
                                        conformsTo=DATA_PACKAGE_SPEC)], **common}
        if d.get("modified"):
            entry["modified"] = d["modified"]
        datasets.append(entry)
        twins = {r["name"][:-5]: r for r in d["resources"] if r.get("format") == "json"}
        for r in d["resources"]:
            if r.get("format") != "csv":
                continue
            dist = [_dist(url + r["path"], "CSV", "text/csv", r["path"], describedBy=pkg_id,
                          describedByType="application/json")]
            if r["name"] in twins:
                dist.append(_dist(url + twins[r["name"]]["path"], "JSON", "application/json",
                                  twins[r["name"]]["path"]))
            e = {"@type": "dcat:Dataset", "identifier": f"{url}{r['path']}", "title": f"{r['title']} – {p['spatial']}",
                 "description": r.get("description") or r["title"], "keyword": d.get("keywords") or ["data terbuka"],
                 "landingPage": f"{url}#{r['name']}", "isPartOf": pkg_id, "describedBy": pkg_id,
                 "describedByType": "application/json", "distribution": dist, **common}
            if r.get("modified"):
                e["modified"] = r["modified"]
            datasets.append(e)
    return {"@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json", "dataset": datasets}


# --------------------------------------------------------------------------- the site step

def _village_files(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir())
            if p.is_file() and p.suffix in (".csv", ".json") and p.name != "datapackage.json"}


@dataclass
class VillagePart:
    """What the kabupaten step takes from one published village, read once per village build.

    ``apbdes`` and ``kategori`` are the village's rows of the combined tables (identity columns first),
    ``csv`` those rows already written (so the combined CSV is the pieces joined), ``pages`` its HTML
    pages for the sitemap and ``feeds`` its Atom feeds with absolute links (site path -> bytes).
    """
    slug: str
    info: dict | None = None
    package: dict | None = None
    apbdes: list[list[str]] = field(default_factory=list)
    kategori: list[list[str]] = field(default_factory=list)
    csv: dict[str, bytes] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    feeds: dict[str, bytes] = field(default_factory=dict)


def village_part(vdir: Path, slug: str, base: str) -> VillagePart:
    """What the kabupaten's data, feeds and sitemap take from one village's published folder ``vdir``."""
    part = VillagePart(slug)
    part.pages = [f"{slug}/{rel}" for rel in html_pages(vdir)]
    part.feeds = {f"{slug}/{rel}": data for rel, data in absolute_feeds(vdir, base, prefix=slug).items()}
    pkg_path = vdir / "data" / "datapackage.json"
    if not pkg_path.is_file():
        return part
    try:
        pkg = json.loads(pkg_path.read_text(encoding="utf-8"))
    except ValueError:
        return part
    files = _village_files(pkg_path.parent)
    info = village_info({**(pkg.get("papan_desa") or {}), "slug": slug}, describe(files, _threshold(pkg)), files)
    part.apbdes = _apbdes_rows(info, *apbdes_lines(files))
    part.kategori = _kategori_rows(info, kategori_rows(files))
    part.info, part.package = info, pkg
    part.csv = {"apbdes": csv_rows(part.apbdes), "penduduk-kategori": csv_rows(part.kategori)}
    return part


@functools.lru_cache(maxsize=1)
def _part_version() -> str:
    here = Path(__file__).parent
    return module_version(here / "kabupaten.py", here / "package.py", here / "schemas.py")


def village_parts(site_dir: Path, results: dict[str, dict], base: str, settings: dict) -> list[VillagePart]:
    """Every village's part, in slug order, read once per village build (see :func:`cache.village_memo`).

    The villages' folders are those the site is assembled from (``_PAPAN_VILLAGE_SOURCES``, set by the
    build), else the site's own: an unchanged village is moved into the site only at the swap."""
    version = _part_version() + base
    folders = {slug: Path(f) for slug, f in (settings.get("_PAPAN_VILLAGE_SOURCES")
                                             or {s: site_dir / s for s in results}).items()}
    # Data files, feeds and the list of pages do not depend on the theme.
    return [village_memo(settings, results, slug, "opendata", version,
                         lambda s=slug: village_part(folders[s], s, base), key_field="fingerprint_data")
            for slug in sorted(results) if slug in folders and folders[slug].is_dir()]


def _threshold(pkg: dict) -> int:
    for r in pkg.get("resources", []):
        for v in (r.get("schema") or {}).get("missingValues", []):
            if re.fullmatch(r"<\d+", v):
                return int(v[1:])
    return 5


def kabupaten_title(settings: dict) -> str:
    return f"Data terbuka desa Kabupaten {papan_setting(settings, 'PAPAN_KABUPATEN')}"


def opendata_site(site_dir: Path, settings: dict, results: dict[str, dict]) -> None:
    base = public_base(settings)
    threshold = int(papan_setting(settings, "PAPAN_SMALL_COUNT"))
    parts = village_parts(site_dir, results, base, settings)
    published = [p for p in parts if p.info is not None]
    infos = [p.info for p in published]
    tables = combine(infos, None, base, parts_of={p.slug: p for p in published})
    datasets = kabupaten_datasets(tables, infos, threshold)
    data_dir = site_dir / "data"
    data_dir.mkdir(exist_ok=True)
    files: dict[str, bytes] = {}
    order = sorted(published, key=lambda p: (p.info.get("kode_desa") or "", p.slug))   # combine()'s order
    for d in datasets:
        header, rows = tables[d.name]
        if d.name in ("apbdes", "penduduk-kategori"):    # the big ones: joined from the villages' pieces
            files[d.csv] = csv_rows([header]) + b"".join(p.csv[d.name] for p in order)
        else:
            files[d.csv] = write_csv(header, rows)
        (data_dir / d.csv).write_bytes(files[d.csv])
    ket = data_dir / "keterbukaan.csv"
    if ket.is_file():
        files[ket.name] = ket.read_bytes()
        (kd,) = describe({ket.name: files[ket.name]}, threshold)
        kd.title, kd.description, kd.keywords = KETERBUKAAN[1], KETERBUKAAN[2], ["keterbukaan informasi"]
        datasets.append(kd)
    kab = papan_setting(settings, "PAPAN_KABUPATEN")
    kab_pkg = package_descriptor(
        f"papan-desa-kabupaten-{re.sub(r'[^a-z0-9]+', '-', kab.lower()).strip('-')}", kabupaten_title(settings),
        f"Data gabungan semua desa dan kelurahan Kabupaten {kab} yang menerbitkan data: APBDes per rekening dan "
        "ringkasannya, kependudukan per desa, per kategori dan per kecamatan, serta daftar desa.",
        datasets, files, settings, f"{base}/data/",
        extra={"contributors": [{"title": f"Pemerintah Kabupaten {kab}", "role": "publisher",
                                 "path": str(papan_setting(settings, "PAPAN_PEMKAB_URL"))}],
               "sources": [{"title": f"Situs data terbuka desa-desa Kabupaten {kab}", "path": f"{base}/"}]},
        keywords=("data desa", f"Kabupaten {kab}"))
    (data_dir / "datapackage.json").write_bytes(dumps(kab_pkg))

    packages = [{"url": f"{base}/data/", "descriptor": kab_pkg, "publisher": f"Pemerintah Kabupaten {kab}",
                 "spatial": f"Kabupaten {kab}, {papan_setting(settings, 'PAPAN_PROVINSI')}"}]
    for info, pkg in ((p.info, p.package) for p in published):
        pub = next((c for c in pkg.get("contributors", []) if c.get("role") == "publisher"), {})
        packages.append({"url": f"{base}/{info['slug']}/data/", "descriptor": pkg,
                         "publisher": pub.get("title") or info.get("nama_desa", info["slug"]),
                         "email": pub.get("email"),
                         "spatial": f"{(info.get('jenis') or 'desa').capitalize()} {info.get('nama_desa')}, "
                                    f"Kecamatan {info.get('kecamatan')}, Kabupaten {kab}"})
    # One line: the catalogue is for machines, and the C encoder (no indent) is ten times faster.
    (site_dir / "data.json").write_bytes((json.dumps(catalogue(packages, settings), ensure_ascii=False,
                                                     sort_keys=True, separators=(",", ":")) + "\n").encode())
    slugs = {p.slug for p in parts}
    for p in parts:
        # A village kept from the published site (not in the new folder yet) has its feeds rewritten already.
        if (site_dir / p.slug).is_dir():
            _replace_files(site_dir, p.feeds)
    absolutise_feeds(site_dir, base, skip=slugs)
    (site_dir / "sitemap.xml").write_bytes(sitemap(site_dir, base, skip=slugs,
                                                   extra=[rel for p in parts for rel in p.pages]))
    (site_dir / "robots.txt").write_bytes(robots(base))


# --------------------------------------------------------------------------- sitemap, robots, feeds

def html_pages(site_dir: Path, skip: Iterable[str] = ()) -> list[str]:
    """Every HTML page's path relative to the site (folders starting with . or _ are not pages;
    top-level folders in ``skip`` are left out)."""
    out = []
    skip = set(skip)
    for dirpath, dirnames, filenames in os.walk(site_dir):
        top = dirpath == str(site_dir)
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "_")) and not (top and d in skip)]
        for f in filenames:
            if f.endswith(".html"):
                out.append((Path(dirpath) / f).relative_to(site_dir).as_posix())
    return sorted(out)


def page_url(base: str, rel: str) -> str:
    if rel == "index.html":
        return base + "/"
    if rel.endswith("/index.html"):
        return f"{base}/{rel[:-len('index.html')]}"
    return f"{base}/{rel}"


def sitemap(site_dir: Path, base: str, skip: Iterable[str] = (), extra: Iterable[str] = ()) -> bytes:
    """``sitemap.xml`` of every page in the site; ``extra`` lists the pages of the ``skip`` folders."""
    urls = sorted(page_url(base, rel) for rel in [*html_pages(site_dir, skip), *extra]
                  if rel != "404.html")     # served for missing addresses, not a page to list
    body = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n").encode()


def robots(base: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode()


ATOM = "http://www.w3.org/2005/Atom"


def absolutise_feeds(site_dir: Path, base: str, skip: Iterable[str] = ()) -> None:
    """Atom feeds with absolute links: the self link is where the feed really is, relative hrefs get the base,
    and tag: ids get the published host instead of ``None`` (Pelican's id when SITEURL is relative).
    Top-level folders in ``skip`` are left alone."""
    _replace_files(site_dir, absolute_feeds(site_dir, base, skip=skip))


def _replace_files(site_dir: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = site_dir / rel
        path.unlink()          # hard-linked from the build cache: write a new file, never into the cache
        path.write_bytes(data)


def absolute_feeds(folder: Path, base: str, prefix: str = "", skip: Iterable[str] = ()) -> dict[str, bytes]:
    """The rewritten bytes of every Atom feed under ``folder`` that needs rewriting (path -> bytes);
    ``prefix`` is where ``folder`` is in the site."""
    host = urlsplit(base).netloc
    origin = f"{urlsplit(base).scheme}://{host}"
    ET.register_namespace("", ATOM)
    skip = set(skip)
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        if dirpath == str(folder):
            dirnames[:] = [d for d in dirnames if d not in skip]
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".xml") or name == "sitemap.xml":
                continue
            path = Path(dirpath) / name
            try:
                tree = ET.parse(path)
            except (ET.ParseError, OSError):
                continue
            root = tree.getroot()
            if root.tag != f"{{{ATOM}}}feed":
                continue
            rel = path.relative_to(folder).as_posix()
            site_rel = f"{prefix}/{rel}" if prefix else rel
            for link in root.iter(f"{{{ATOM}}}link"):
                href = link.get("href", "")
                if link.get("rel") == "self":
                    link.set("href", f"{base}/{site_rel}")
                elif href.startswith("/"):
                    link.set("href", _abs(base, origin, href))
            for el in root.iter(f"{{{ATOM}}}id"):
                text = el.text or ""
                if text.startswith("tag:None,"):
                    el.text = f"tag:{host}," + text[len("tag:None,"):]
                elif text.startswith("/"):
                    el.text = _abs(base, origin, text)
            data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
            if data != path.read_bytes():
                out[rel] = data
    return out


def _abs(base: str, origin: str, href: str) -> str:
    """A root-relative href as an absolute URL under the published site (which may live in a sub-folder)."""
    prefix = urlsplit(base).path.rstrip("/")
    if prefix and href.startswith(prefix + "/"):
        return origin + href
    return base + href


# --------------------------------------------------------------------------- the human catalogue page

def _preview(header: list[str], rows: list[list[str]], numeric: Iterable[bool], n: int = 5) -> dict[str, Any]:
    return {"header": header, "numeric": list(numeric), "rows": rows[:n], "more": max(0, len(rows) - n)}


def katalog_page(settings: dict, model) -> list[tuple[str, str, dict]]:
    base = public_base(settings)
    threshold = int(papan_setting(settings, "PAPAN_SMALL_COUNT"))
    results: dict[str, dict] = settings.get("PAPAN_RESULTS") or {}
    infos = [{**r["summary"]["opendata"], "slug": slug} for slug, r in sorted(results.items())
             if r.get("status") == "ok" and (r.get("summary") or {}).get("opendata")]
    tables = combine(infos, None, base)
    datasets = kabupaten_datasets(tables, infos, threshold)
    items = []
    for d in datasets:
        header, rows = tables[d.name]
        types = [f["type"] in ("integer", "number") for f in d.schema["fields"]]
        partial = d.name in ("apbdes", "penduduk-kategori")
        items.append({"d": d, "preview": _preview(header, rows, types), "sebagian": partial})
    desa = sorted(infos, key=lambda i: (i.get("kecamatan") or "", i.get("nama_desa") or ""))
    # The openness matrix is the portal's own (data/keterbukaan.csv, written by its portal builder).
    ket = any(getattr(fn, "__name__", "") == KETERBUKAAN[0] for fn in portal.PORTAL_BUILDERS)
    return [("data/index.html", "opendata_katalog", {
        "keterbukaan": {"name": KETERBUKAAN[0], "title": KETERBUKAAN[1], "description": KETERBUKAAN[2]} if ket else None,
        "kab_data": items, "desa_data": desa, "lisensi": license_info(settings), "data_home": f"{base}/data/",
        "DATA_PACKAGE_SPEC": DATA_PACKAGE_SPEC, "page_title": "Data terbuka",
        "jumlah_data": sum(len(i.get("datasets") or []) for i in infos),
    })]
