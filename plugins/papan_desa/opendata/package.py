"""Plain functions shared by the village finisher, the kabupaten site step and the catalogue page.

Nothing here needs Pelican: a village's published data is a mapping of file
names (inside ``data/``) to bytes, and everything - Table Schemas, the Data
Package descriptor, the figures the kabupaten combines - is computed from it.
The site step reads the same files back from the assembled site and calls the
same functions, so the catalogue page, ``data.json`` and the packages agree.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from typing import Any, Iterable, Sequence

from ..guard import formula_safe
from ..settings import papan_setting
from .schemas import KATEGORI, Dataset, infer_columns, kind_of, missing_values, table_schema

# SPDX id -> (title, URL)
LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("Creative Commons Atribusi 4.0 Internasional", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Atribusi-BerbagiSerupa 4.0 Internasional",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("CC0 1.0 Universal (domain publik)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"


def license_info(settings: dict) -> dict[str, str]:
    """``{"name": SPDX id, "title": ..., "path": URL}`` (path omitted for an unknown id)."""
    spdx = str(papan_setting(settings, "PAPAN_DATA_LICENSE") or "CC-BY-4.0")
    title, url = LICENSES.get(spdx, (spdx, ""))
    out = {"name": spdx, "title": title}
    if url:
        out["path"] = url
    return out


def public_base(settings: dict) -> str:
    """Absolute site URL without trailing slash: SITEURL when absolute, else PAPAN_PUBLIC_SITEURL."""
    site = str(settings.get("SITEURL") or "")
    if re.match(r"https?://", site):
        return site.rstrip("/")
    return str(papan_setting(settings, "PAPAN_PUBLIC_SITEURL")).rstrip("/")


def dumps(obj: Any) -> bytes:
    """Deterministic JSON: sorted keys, 2-space indent, UTF-8, trailing newline."""
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- CSV

def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV, LF line ends, every cell passed through :func:`guard.formula_safe`."""
    return csv_rows([header]) + csv_rows(rows)


def csv_rows(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as :func:`write_csv` writes them, without a header: pieces that join into one CSV."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow([formula_safe("" if v is None else str(v)) for v in r])
    return buf.getvalue().encode("utf-8")


def neutralise_csv(data: bytes) -> bytes:
    """The same CSV with formula-like cells made inert; the very same bytes when nothing needed it."""
    header, rows = read_csv(data)
    if all(formula_safe(c) == c for r in [header, *rows] for c in r):
        return data
    return write_csv(header, rows)


# --------------------------------------------------------------------------- describing files

def _json(files: dict[str, bytes], name: str) -> dict | None:
    raw = files.get(name)
    if raw is None:
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def modified_of(stem: str, files: dict[str, bytes]) -> str | None:
    """The data's own date (ISO): ``per_tanggal`` of the JSON twin, else the Perdes date; None when unknown."""
    doc = _json(files, stem + ".json")
    if not doc:
        return None
    for value in (doc.get("per_tanggal"), (doc.get("perdes") or {}).get("tanggal")
                  if isinstance(doc.get("perdes"), dict) else None):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
    return None


def _unique(rows: list[list[str]], header: list[str], key: Sequence[str], missing: Sequence[str]) -> bool:
    idx = [header.index(k) for k in key]
    seen = set()
    for r in rows:
        k = tuple(r[i] if i < len(r) else "" for i in idx)
        if all(v in missing for v in k):
            continue
        if k in seen:
            return False
        seen.add(k)
    return True


def describe(files: dict[str, bytes], threshold: int = 5) -> list[Dataset]:
    """Every CSV in ``files`` (name -> bytes, names inside data/) as a :class:`Dataset`, sorted by name."""
    out = []
    for name in sorted(files):
        if not name.endswith(".csv"):
            continue
        stem = name[:-4]
        header, rows = read_csv(files[name])
        kind, groups = kind_of(stem)
        twin = stem + ".json" if stem + ".json" in files else None
        missing = missing_values(threshold) if kind is None or kind.suppressed else [""]
        if kind is not None:
            columns, pk = kind.columns, kind.primary_key
            title, desc = kind.title.format(**groups), kind.description.format(**groups)
            keywords, jdesc = list(kind.keywords), kind.json_description
            undeclared = [h for h in header if kind.column(h) is None]
        else:
            doc = _json(files, twin) if twin else None
            columns = infer_columns(header, rows, (doc or {}).get("kolom"), missing)
            pk = ()
            title = str((doc or {}).get("judul") or stem.replace("-", " ").capitalize())
            desc, keywords, jdesc = f"Tabel {title}.", [], "Tabel yang sama dalam JSON."
            undeclared = list(header)
        if pk and not _unique(rows, header, pk, missing):
            pk = ()
        out.append(Dataset(stem, title, desc, name, twin, table_schema(columns, header, pk, missing), keywords,
                           modified_of(stem, files), len(rows), jdesc, not undeclared))
    return out


def _file_meta(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def package_descriptor(name: str, title: str, description: str, datasets: Sequence[Dataset],
                       files: dict[str, bytes], settings: dict, homepage: str,
                       extra: dict[str, Any] | None = None, keywords: Sequence[str] = ()) -> dict[str, Any]:
    """A Frictionless Data Package: one tabular resource per CSV, one data resource per JSON twin."""
    resources = []
    for d in datasets:
        res = {"name": d.name, "path": d.csv, "title": d.title, "description": d.description,
               "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
               "schema": d.schema, **_file_meta(files[d.csv])}
        if d.modified:
            res["modified"] = d.modified
        resources.append(res)
        if d.json:
            resources.append({"name": d.name + "-json", "path": d.json, "title": d.title + " (JSON)",
                              "description": d.json_description, "profile": "data-resource", "format": "json",
                              "mediatype": "application/json", "encoding": "utf-8", **_file_meta(files[d.json])})
    described = {d.csv for d in datasets} | {d.json for d in datasets if d.json}
    for fname in sorted(files):
        if fname.endswith(".json") and fname not in described and fname != "datapackage.json":
            stem = fname[:-5]
            resources.append({"name": stem + "-json", "path": fname, "title": stem.replace("-", " ").capitalize(),
                              "profile": "data-resource", "format": "json", "mediatype": "application/json",
                              "encoding": "utf-8", **_file_meta(files[fname])})
    pkg: dict[str, Any] = {
        "profile": "data-package",
        "name": name,
        "title": title,
        "description": description,
        "homepage": homepage,
        "licenses": [license_info(settings)],
        "keywords": sorted(set(keywords) | {k for d in datasets for k in d.keywords}),
        "resources": resources,
    }
    dates = [d.modified for d in datasets if d.modified]
    if dates:
        pkg["modified"] = max(dates)
    pkg.update(extra or {})
    return pkg


# --------------------------------------------------------------------------- what the kabupaten combines

def apbdes_years(files: dict[str, bytes]) -> list[str]:
    return sorted(m.group(1) for n in files if (m := re.fullmatch(r"apbdes-(\d{4})\.csv", n)))


def apbdes_lines(files: dict[str, bytes]) -> tuple[list[str], list[list[str]]]:
    """Every budget line of every year (oldest year first), with ``sub_bidang`` derived from the kegiatan code."""
    out_header: list[str] = []
    out: list[list[str]] = []
    for year in apbdes_years(files):
        header, rows = read_csv(files[f"apbdes-{year}.csv"])
        if not out_header:
            out_header = [*header, "sub_bidang"]
        ki = header.index("kegiatan") if "kegiatan" in header else None
        for r in rows:
            keg = r[ki] if ki is not None and ki < len(r) else ""
            sub = ".".join(keg.split(".")[:2]) if keg.count(".") >= 1 else ""
            rec = dict(zip(header, r))
            out.append([*(rec.get(h, "") for h in out_header[:-1]), sub])
    return out_header, out


RINGKASAN_POS = ("pendapatan", "belanja", "surplus_defisit", "penerimaan_pembiayaan", "pengeluaran_pembiayaan",
                 "pembiayaan_netto", "silpa")
FASE = ("anggaran", "perubahan", "realisasi")


def apbdes_ringkasan(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """One row per year: status, per_tanggal and every summary figure per phase (None when not reported)."""
    out = []
    for year in apbdes_years(files):
        doc = _json(files, f"apbdes-{year}.json") or {}
        row: dict[str, Any] = {"tahun": year, "status": doc.get("status"), "per_tanggal": doc.get("per_tanggal")}
        ring = doc.get("ringkasan") or {}
        for pos in RINGKASAN_POS:
            for fase in FASE:
                row[f"{pos}_{fase}"] = (ring.get(pos) or {}).get(fase)
        out.append(row)
    return out


PENDUDUK_URAIAN = {"Penduduk laki-laki": "laki_laki", "Penduduk perempuan": "perempuan",
                   "Jumlah penduduk": "jumlah", "Jumlah kepala keluarga (KK)": "jumlah_kk", "KK miskin": "kk_miskin"}


def penduduk_row(files: dict[str, bytes]) -> dict[str, str] | None:
    """The village's population summary as published (``"<5"`` stays ``"<5"``); None without one."""
    if "penduduk-ringkasan.csv" not in files:
        return None
    header, rows = read_csv(files["penduduk-ringkasan.csv"])
    out = {"per_tanggal": modified_of("penduduk-ringkasan", files) or ""}
    out.update({v: "" for v in PENDUDUK_URAIAN.values()})
    if "uraian" in header and "jumlah" in header:
        iu, ij = header.index("uraian"), header.index("jumlah")
        for r in rows:
            key = PENDUDUK_URAIAN.get(r[iu] if iu < len(r) else "")
            if key:
                out[key] = r[ij] if ij < len(r) else ""
    return out


def kategori_rows(files: dict[str, bytes]) -> list[list[str]]:
    """Every population breakdown in long form: [kategori, nilai, laki_laki, perempuan, jumlah] (no total rows)."""
    out = []
    for key, (col, _title, _what) in KATEGORI.items():
        name = f"penduduk-{key}.csv"
        if name not in files:
            continue
        header, rows = read_csv(files[name])
        if col not in header:
            continue
        idx = [header.index(c) if c in header else None for c in (col, "laki_laki", "perempuan", "jumlah")]
        body = rows[:-1] if rows and rows[-1][idx[0]] == "Jumlah" else rows
        for r in body:
            out.append([key, *(r[i] if i is not None and i < len(r) else "" for i in idx)])
    return out


PREVIEW_ROWS = 5


def village_info(identity: dict[str, str], datasets: Sequence[Dataset], files: dict[str, bytes]) -> dict[str, Any]:
    """What the kabupaten needs from a village (portal summary and site step alike)."""
    _h, lines = apbdes_lines(files)
    return {
        **identity,
        "datasets": [{"name": d.name, "title": d.title, "csv": d.csv, "json": d.json, "modified": d.modified,
                      "rows": d.rows} for d in datasets],
        "apbdes_ringkasan": apbdes_ringkasan(files),
        "penduduk": penduduk_row(files),
        "preview": {"apbdes": lines[:PREVIEW_ROWS], "penduduk-kategori": kategori_rows(files)[:PREVIEW_ROWS]},
    }
