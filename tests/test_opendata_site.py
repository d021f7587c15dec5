"""Open data on the built site: valid packages, numbers equal to the sources, catalogue, sitemap, feeds."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support import ROOT, build_site, fixture_village, require

FRICTIONLESS = shutil.which("frictionless") or str(Path(sys.executable).with_name("frictionless"))
BASE = "https://papandesa.github.io/wonosobo"     # PAPAN_PUBLIC_SITEURL: the test build has a relative SITEURL


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def packages(out: Path) -> list[Path]:
    return sorted(out.glob("*/data/datapackage.json")) + [out / "data" / "datapackage.json"]


def validate(pkg: Path) -> dict:
    require(Path(FRICTIONLESS).exists(), "frictionless")
    res = subprocess.run([FRICTIONLESS, "validate", "--json", "datapackage.json"], cwd=pkg.parent,
                         capture_output=True, text=True, timeout=300)
    return json.loads(res.stdout)


def errors(report: dict) -> list[str]:
    out = [e.get("message", "") for e in report.get("errors", [])]
    for task in report.get("tasks", []):
        out += [f"{task.get('name')}: {e.get('message')}" for e in task.get("errors", [])]
    return out


def test_every_package_the_build_writes_is_valid(built_site):
    pkgs = packages(built_site)
    assert len(pkgs) >= 8
    for pkg in pkgs:
        report = validate(pkg)
        assert report["valid"], (pkg, errors(report)[:10])


def test_every_data_file_is_described_with_declared_columns(built_site):
    for pkg_path in packages(built_site)[:-1]:
        pkg = json.loads(pkg_path.read_text())
        listed = {r["path"] for r in pkg["resources"]}
        on_disk = {p.name for p in pkg_path.parent.iterdir() if p.suffix in (".csv", ".json")} - {"datapackage.json"}
        assert listed == on_disk, pkg_path
        assert pkg["licenses"][0]["name"] == "CC-BY-4.0"
        for r in pkg["resources"]:
            for f in (r.get("schema") or {}).get("fields", []):
                # A declared column has a real description, not the fallback "Kolom x.".
                assert not f["description"].startswith("Kolom "), (pkg_path, r["name"], f["name"])
        ident = pkg["papan_desa"]
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", ident["kode_desa"])
        assert ident["kode_kecamatan"] == ident["kode_desa"][:8]


def _source_lines(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))


def _num(v) -> Decimal | None:
    return None if v in ("", None) else Decimal(str(v))


def test_budget_numbers_equal_the_source_files(site_build):
    out, villages = site_build.output, site_build.villages
    checked = 0
    for src in sorted(villages.glob("*/apbdes/[0-9][0-9][0-9][0-9].csv")):
        slug, year = src.parts[-3], src.stem
        pub = out / slug / "data" / f"apbdes-{year}.csv"
        if not pub.exists():
            continue
        source = _source_lines(src)
        if "anggaran" not in (source[0] if source else {}):
            continue
        published = rows(pub)
        doc = json.loads((out / slug / "data" / f"apbdes-{year}.json").read_text())
        assert len(published) == len(source) == len(doc["baris"]), src

        def key(r, kode):
            return (r[kode].rstrip("."), r.get("kegiatan") or "", r["uraian"],
                    *(_num(r.get(c)) for c in ("anggaran", "perubahan", "realisasi")))

        # The documented rules of the budget format: in a year with a Perubahan an empty perubahan means
        # "unchanged" (= anggaran); in a year with realisasi an empty realisasi means 0.
        has_p = any(r.get("perubahan") for r in source)
        has_r = any(r.get("realisasi") for r in source)

        def src_key(r, kode):
            k = list(key(r, kode))
            if has_p and k[4] is None:
                k[4] = k[3]
            if has_r and k[5] is None:
                k[5] = Decimal(0)
            return tuple(k)
        try:
            want = sorted(src_key(r, "kode") for r in source)
        except ArithmeticError:          # a source in another number format is covered by the importer's tests
            continue
        assert sorted(key(r, "kode") for r in published) == want, src
        assert sorted(key(b, "kode") for b in doc["baris"]) == want, src
        checked += 1
    assert checked >= 7


def test_population_numbers_equal_the_source_files(site_build):
    out, villages = site_build.output, site_build.villages
    checked = 0
    for src in sorted(villages.glob("*/data-desa/penduduk/umur.csv")):
        slug = src.parts[-4]
        published = {r["kelompok_umur"]: r for r in rows(out / slug / "data" / "penduduk-umur.csv")}
        doc = json.loads((out / slug / "data" / "penduduk-umur.json").read_text())
        by_json = {b["kelompok_umur"]: b for b in doc["baris"]}
        for s in _source_lines(src):
            p = published[s["kelompok_umur"]]
            for col in ("laki_laki", "perempuan"):
                if p[col].isdigit():                    # "<5" and "*" are withheld on purpose
                    assert int(p[col]) == int(s[col]) == by_json[s["kelompok_umur"]][col]
                    checked += 1
    assert checked > 50


def test_kabupaten_tables_are_the_villages_tables(built_site):
    kab = built_site / "data"
    lines = rows(kab / "apbdes.csv")
    desa = {r["kode_desa"]: r for r in rows(kab / "desa.csv")}
    assert len(desa) == len(list(built_site.glob("*/data/datapackage.json")))
    for code, d in desa.items():
        slug = d["halaman_data"].removeprefix(BASE + "/").split("/")[0]
        own = [r for f in sorted((built_site / slug / "data").glob("apbdes-*.csv")) for r in rows(f)]
        mine = [r for r in lines if r["kode_desa"] == code]
        assert len(mine) == len(own)
        assert sum(Decimal(r["anggaran"]) for r in mine) == sum(Decimal(r["anggaran"]) for r in own)
        assert {r["kecamatan"] for r in mine} <= {d["kecamatan"]}
    ring = rows(kab / "apbdes-ringkasan.csv")
    for r in ring:
        slug = desa[r["kode_desa"]]["halaman_data"].removeprefix(BASE + "/").split("/")[0]
        doc = json.loads((built_site / slug / "data" / f"apbdes-{r['tahun']}.json").read_text())
        assert Decimal(r["belanja_anggaran"]) == Decimal(str(doc["ringkasan"]["belanja"]["anggaran"]))
    pend = rows(kab / "penduduk.csv")
    kec = rows(kab / "penduduk-kecamatan.csv")
    assert sum(int(r["jumlah"]) for r in kec) == sum(int(r["jumlah"]) for r in pend)


def test_catalogue_lists_every_package_and_its_links_resolve(built_site):
    cat = json.loads((built_site / "data.json").read_text())
    assert cat["@type"] == "dcat:Catalog"
    listed = {d["identifier"] for d in cat["dataset"] if d["identifier"].endswith("/datapackage.json")}
    assert listed == {f"{BASE}/{p.relative_to(built_site).as_posix()}" for p in packages(built_site)}
    urls = set()
    for d in cat["dataset"]:
        assert d["license"] == "https://creativecommons.org/licenses/by/4.0/"
        urls |= {d["landingPage"], d["identifier"], *(x["downloadURL"] for x in d["distribution"])}
    for url in sorted(urls):
        assert url.startswith(BASE + "/"), url
        path, _, anchor = url.removeprefix(BASE + "/").partition("#")
        f = built_site / path
        if path.endswith("/") or not path:
            f = f / "index.html"
        assert f.is_file(), url
        if anchor:
            assert f'id="{anchor}"' in f.read_text(encoding="utf-8"), url


def test_sitemap_lists_every_html_page_and_nothing_else(built_site):
    xml = (built_site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert len(locs) == len(set(locs))
    pages = set()
    for f in built_site.rglob("*.html"):
        rel = f.relative_to(built_site).as_posix()
        if rel != "404.html":               # served for missing addresses, not listed
            pages.add(f"{BASE}/{rel.removesuffix('index.html')}")
    assert set(locs) == pages
    assert (built_site / "robots.txt").read_text().strip().endswith(f"Sitemap: {BASE}/sitemap.xml")


def test_village_feeds_link_absolutely(built_site):
    feeds = sorted(built_site.glob("*/berita/atom.xml"))
    assert feeds
    for feed in feeds:
        text = feed.read_text()
        hrefs = re.findall(r'href="([^"]+)"', text)
        assert hrefs and all(h.startswith(BASE + "/") for h in hrefs), feed
        assert f'href="{BASE}/{feed.relative_to(built_site).as_posix()}" rel="self"' in text
        assert "tag:None" not in text


def test_data_pages_state_licence_and_link_every_file(built_site):
    page = (built_site / "dieng" / "data" / "index.html").read_text()
    assert "CC-BY-4.0" in page and 'rel="license' in page and "<script" not in page
    assert page.count("<h1") == 1
    for name in ("apbdes-2025.csv", "apbdes-2025.json", "penduduk-umur.csv", "datapackage.json"):
        assert f"/dieng/data/{name}" in page
    assert 'href="/dieng/data/"' in page            # the navigation entry "Data terbuka"
    kat = (built_site / "data" / "index.html").read_text()
    assert "CC-BY-4.0" in kat and "/data.json" in kat and "/data/apbdes.csv" in kat
    assert kat.count("<h1") == 1 and "<script" not in kat


def test_formula_cells_are_neutralised_in_the_village_package(tmp_path):
    from tests.support import registry

    from papan_desa.opendata.village import opendata_desa
    from papan_desa.pages import Artifact, SiteParts
    from papan_desa.problems import Problems
    from papan_desa.village import load_village

    vdir = fixture_village(tmp_path, "kaligowong")
    desa = load_village(vdir, registry(), Problems(root=tmp_path))
    parts = SiteParts(artifacts=[Artifact("data/uji.csv", b"uraian,jumlah\n=HYPERLINK(\"http://x\"),-5\n@SUM(A1),+3\n"),
                                 Artifact("data/bersih.csv", b"a,b\nx,1\n")])
    opendata_desa(desa, {"SITEURL": ""}, parts)
    arts = {a.save_as: a.data for a in parts.artifacts}
    assert list(csv.reader(io.StringIO(arts["data/uji.csv"].decode()))) == [
        ["uraian", "jumlah"], ["'=HYPERLINK(\"http://x\")", "-5"], ["'@SUM(A1)", "+3"]]
    assert arts["data/bersih.csv"] == b"a,b\nx,1\n"
    pkg = json.loads(arts["data/datapackage.json"])
    assert [r["path"] for r in pkg["resources"]] == ["bersih.csv", "uji.csv"]
    assert pkg["homepage"] == "https://papandesa.github.io/wonosobo/kaligowong/data/"
    assert any(p.save_as == "data/index.html" for p in parts.pages)
    assert [n.label for n in parts.nav] == ["Data terbuka"]


def test_synthetic_kabupaten_packages_are_valid_and_deterministic(tmp_path):
    demo = tmp_path / "demo"
    # What `scripts/demo.py --villages 20 --output DIR` does, with every data kind's demo generator registered.
    from papan_desa import data_kinds  # noqa: F401
    from papan_desa.demo import generate

    generate(demo, 20, registry_path=ROOT / "data" / "wonosobo-wilayah-2025.csv")
    reg = demo / "_wilayah.csv"
    report = build_site(demo, tmp_path / "out", tmp_path / "cache", registry=reg)
    assert report.ok, {k: [str(p) for p in v] for k, v in report.failed.items()}
    out = tmp_path / "out"
    pkgs = packages(out)
    assert len(pkgs) == 21
    for pkg in (pkgs[0], pkgs[-1]):        # one village and the kabupaten (all 21 take too long on 2 cores)
        report = validate(pkg)
        assert report["valid"], (pkg, errors(report)[:10])
    desa = rows(out / "data" / "desa.csv")
    assert len(desa) == 20
    # Same input, same bytes: the kabupaten step run again over the same site, and three villages built again
    # on their own (a village's package does not depend on the others).
    from papan_desa.opendata.kabupaten import opendata_site

    kab_files = [out / "data.json", out / "sitemap.xml", *sorted((out / "data").glob("*.csv")), pkgs[-1]]
    first = {p: p.read_bytes() for p in kab_files}
    opendata_site(out, {"SITEURL": ""}, {p.parent.parent.name: {} for p in pkgs[:-1]})
    assert {p: p.read_bytes() for p in kab_files} == first
    few = tmp_path / "few"
    for p in pkgs[:3]:
        shutil.copytree(demo / p.parent.parent.name, few / p.parent.parent.name)
    build_site(few, tmp_path / "out2", tmp_path / "cache2", registry=reg)
    for p in pkgs[:3]:
        assert (tmp_path / "out2" / p.relative_to(out)).read_bytes() == p.read_bytes(), p
