"""A village's open data: ``data/datapackage.json`` and the page ``data/index.html``.

Runs as a finisher, after every builder, over every CSV and JSON file the
village publishes under ``data/``: it makes formula-like CSV cells inert,
describes each file with a Table Schema (see :mod:`.schemas`) in a
Frictionless Data Package, and lists the datasets with a preview of their first
rows, their columns, licence and how to cite them.
"""
from __future__ import annotations

from typing import Any

from ..pages import Artifact, NavItem, Page, SiteParts
from ..settings import papan_setting
from ..village import Desa
from .package import (DATA_PACKAGE_SPEC, describe, dumps, license_info, neutralise_csv, package_descriptor,
                      public_base, read_csv, village_info)
from .schemas import Dataset

PREVIEW = 5
DATA_DIR = "data/"


def identity(desa: Desa) -> dict[str, str]:
    return {"slug": desa.slug, "kode_desa": desa.profil.kode, "nama_desa": desa.nama, "jenis": desa.profil.jenis,
            "kecamatan": desa.kecamatan, "kode_kecamatan": ".".join(desa.profil.kode.split(".")[:3])}


def data_files(parts: SiteParts) -> dict[str, Artifact]:
    """The CSV and JSON artifacts directly under data/ (name inside data/ -> artifact)."""
    out = {}
    for a in parts.artifacts:
        if a.save_as.startswith(DATA_DIR):
            name = a.save_as[len(DATA_DIR):]
            if "/" not in name and name.endswith((".csv", ".json")) and name != "datapackage.json":
                out[name] = a
    return out


def preview(d: Dataset, data: bytes, n: int = PREVIEW) -> dict[str, Any]:
    header, rows = read_csv(data)
    types = {f["name"]: f["type"] for f in d.schema["fields"]}
    return {"header": header, "numeric": [types.get(h) in ("integer", "number") for h in header],
            "rows": [r + [""] * (len(header) - len(r)) for r in rows[:n]], "more": max(0, len(rows) - n)}


def citation(desa: Desa, title: str, url: str, lic: dict, year: str | None) -> str:
    jenis = desa.profil.jenis.capitalize()
    when = f" ({year})" if year else ""
    return f"Pemerintah {jenis} {desa.nama}{when}. {title}. Diakses dari {url}. Lisensi {lic['name']}."


def opendata_desa(desa: Desa, settings: dict, parts: SiteParts) -> None:
    arts = data_files(parts)
    if not any(n.endswith(".csv") for n in arts):
        return
    for name, a in arts.items():
        if name.endswith(".csv"):
            a.data = neutralise_csv(a.data)
    files = {n: a.data for n, a in arts.items()}
    threshold = int(papan_setting(settings, "PAPAN_SMALL_COUNT"))
    datasets = describe(files, threshold)
    ident = identity(desa)
    base = public_base(settings)
    home = f"{base}/{desa.slug}/data/"
    lic = license_info(settings)
    label = f"{desa.profil.jenis.capitalize()} {desa.nama}"
    contributor = {"title": f"Pemerintah {label}", "role": "publisher", "path": f"{base}/{desa.slug}/"}
    email = desa.profil.get("email")
    if email:
        contributor["email"] = str(email)
    pkg = package_descriptor(
        f"papan-desa-{desa.slug}", f"Data terbuka {label}",
        f"Semua data yang diterbitkan situs {label}, Kecamatan {desa.kecamatan}, Kabupaten "
        f"{papan_setting(settings, 'PAPAN_KABUPATEN')}: APBDes, kependudukan, wilayah, bantuan sosial dan indeks "
        "desa, sebagai CSV dan JSON.",
        datasets, files, settings, home,
        extra={"contributors": [contributor], "papan_desa": ident,
               "sources": [{"title": f"Pemerintah {label}", "path": f"{base}/{desa.slug}/"}]},
        keywords=("data desa", desa.nama, desa.kecamatan))
    parts.artifacts.append(Artifact(DATA_DIR + "datapackage.json", dumps(pkg)))
    parts.summary["opendata"] = village_info(ident, datasets, files)

    items = []
    for d in datasets:
        url = f"{home}{d.csv}"
        items.append({"d": d, "preview": preview(d, files[d.csv]),
                      "cite": citation(desa, d.title, url, lic, (d.modified or "")[:4] or None)})
    parts.pages.append(Page(DATA_DIR + "index.html", "opendata_desa.html", {
        "opendata": items, "lisensi": lic, "paket_url": home + "datapackage.json", "paket": pkg,
        "DATA_PACKAGE_SPEC": DATA_PACKAGE_SPEC, "data_home": home,
    }, title="Data terbuka"))
    parts.nav.append(NavItem("Data terbuka", DATA_DIR, 80))
