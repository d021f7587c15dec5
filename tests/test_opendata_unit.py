"""Open data without a build: schemas, formula safety, combining, catalogue, sitemap and feeds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from papan_desa.opendata import kabupaten as K
from papan_desa.opendata import package as P
from papan_desa.opendata.schemas import KINDS, kind_of

APBDES_CSV = (b"tahun,bagian,kode,kegiatan,bidang,uraian,anggaran,perubahan,realisasi,sumber_dana\n"
              b"2025,pendapatan,4.2.1.01,,,Dana Desa,1164177000,,572541000,DDS\n"
              b"2025,belanja,5.1.1.01,01.01.01,01,Penghasilan Tetap Kepala Desa,52200000,,21205000.50,ADD\n")
APBDES_JSON = json.dumps({"tahun": 2025, "status": "Realisasi Semester I", "per_tanggal": "2025-06-30",
                          "perdes": {"tanggal": "2025-01-15"},
                          "ringkasan": {"pendapatan": {"anggaran": 1164177000, "realisasi": 572541000}}}).encode()
UMUR_CSV = (b"kelompok_umur,laki_laki,persen_laki_laki,perempuan,persen_perempuan,jumlah,persen_jumlah\n"
            b"0-4,105,4.0,<5,*,*,*\n5-9,104,3.9,94,3.5,198,7.5\nJumlah,1333,50.3,1318,49.7,2651,100.0\n")
RINGKASAN_CSV = (b"uraian,jumlah,persen\nPenduduk laki-laki,1333,50.3\nPenduduk perempuan,1318,49.7\n"
                 b"Jumlah penduduk,2651,100.0\nJumlah kepala keluarga (KK),800,\nKK miskin,<5,<5\n")


def files() -> dict[str, bytes]:
    return {"apbdes-2025.csv": APBDES_CSV, "apbdes-2025.json": APBDES_JSON, "penduduk-umur.csv": UMUR_CSV,
            "penduduk-ringkasan.csv": RINGKASAN_CSV,
            "penduduk-ringkasan.json": json.dumps({"per_tanggal": "2025-06-30"}).encode()}


def field(ds, name):
    return next(f for f in ds.schema["fields"] if f["name"] == name)


def test_budget_schema_carries_fiscal_data_package_roles():
    (a,) = [d for d in P.describe(files()) if d.name == "apbdes-2025"]
    assert a.title == "APBDes 2025: rincian per rekening"
    assert a.json == "apbdes-2025.json" and a.modified == "2025-06-30" and a.rows == 2
    assert field(a, "tahun")["type"] == "year" and field(a, "tahun")["columnType"] == "date:fiscal-year"
    assert {n: (field(a, n)["phase"], field(a, n)["unit"], field(a, n)["currency"])
            for n in ("anggaran", "perubahan", "realisasi")} == {
        "anggaran": ("approved", "rupiah", "IDR"), "perubahan": ("adjusted", "rupiah", "IDR"),
        "realisasi": ("executed", "rupiah", "IDR")}
    assert field(a, "kode")["columnType"].startswith("economic-classification")
    assert field(a, "kegiatan")["columnType"] == "functional-classification:generic:level3:code"
    assert field(a, "bidang")["columnType"] == "functional-classification:generic:level1:code"
    assert "primaryKey" not in a.schema          # budget lines have no natural key
    assert a.declared


def test_population_schema_reads_withheld_counts_as_missing():
    (u,) = [d for d in P.describe(files(), threshold=5) if d.name == "penduduk-umur"]
    assert u.schema["missingValues"] == ["", "<5", "*"]
    assert u.schema["primaryKey"] == ["kelompok_umur"]
    assert field(u, "laki_laki")["type"] == "integer" and field(u, "laki_laki")["unit"] == "orang"
    assert field(u, "persen_jumlah")["unit"] == "%"
    (u3,) = [d for d in P.describe(files(), threshold=3) if d.name == "penduduk-umur"]
    assert u3.schema["missingValues"] == ["", "<3", "*"]


def test_duplicate_key_drops_the_primary_key_instead_of_publishing_an_invalid_package():
    data = b"dusun,jumlah_rt,kk,laki_laki,perempuan,jumlah,persen_jumlah\nKrajan,1,2,3,4,7,50.0\nKrajan,1,2,3,4,7,50.0\n"
    (d,) = P.describe({"wilayah-dusun.csv": data})
    assert "primaryKey" not in d.schema


def test_undeclared_table_gets_types_and_titles_from_its_json_twin():
    csv_ = b"pos,jumlah,bagian\nA,12,1.5\nB,<5,2\n"
    twin = json.dumps({"judul": "Tabel baru", "kolom": [{"kunci": "pos", "label": "Pos", "jenis": "teks"},
                                                         {"kunci": "jumlah", "label": "Jumlah orang", "jenis": "n"}]})
    (d,) = P.describe({"tabel-baru.csv": csv_, "tabel-baru.json": twin.encode()})
    assert d.title == "Tabel baru" and not d.declared
    assert [(f["name"], f["type"], f["title"]) for f in d.schema["fields"]] == [
        ("pos", "string", "Pos"), ("jumlah", "integer", "Jumlah orang"), ("bagian", "number", "Bagian")]


def test_every_declared_column_has_indonesian_title_and_description():
    for k in KINDS:
        for c in k.columns:
            assert c.title and len(c.description) > 10, (k.key, c.name)
        assert set(k.primary_key) <= {c.name for c in k.columns}
    assert kind_of("apbdes-2031")[1] == {"tahun": "2031"}
    assert kind_of("apbdes-ringkasan")[0] is None


@pytest.mark.parametrize("cell,out", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+62 812-3456", "'+62 812-3456"),
    ("@SUM(A1)", "'@SUM(A1)"), ("-2131580", "-2131580"), ("-16420000", "-16420000"), ("Dana Desa", "Dana Desa"),
])
def test_csv_cells_that_look_like_formulas_are_neutralised(cell, out):
    data = P.write_csv(["uraian"], [[cell]])
    assert P.read_csv(P.neutralise_csv(data))[1] == [[out]]


def test_clean_csv_keeps_its_exact_bytes():
    assert P.neutralise_csv(APBDES_CSV) is APBDES_CSV
    dirty = b"a,b\n=1+2,-5\n"
    assert P.neutralise_csv(dirty) == b"a,b\n'=1+2,-5\n"


def test_combined_budget_lines_have_sub_bidang_and_village_columns():
    info = P.village_info({"slug": "dieng", "kode_desa": "33.07.13.2008", "nama_desa": "Dieng", "jenis": "desa",
                           "kecamatan": "Kejajar", "kode_kecamatan": "33.07.13"}, P.describe(files()), files())
    tables = K.combine([info], {"dieng": files()}, "https://x.id/kab")
    header, rows = tables["apbdes"]
    assert header[:4] == ["kode_desa", "nama_desa", "kode_kecamatan", "kecamatan"] and header[-1] == "sub_bidang"
    assert [r[-1] for r in rows] == ["", "01.01"]
    assert rows[1][header.index("realisasi")] == "21205000.50"
    h, ring = tables["apbdes-ringkasan"]
    assert ring[0][h.index("pendapatan_anggaran")] == "1164177000" and ring[0][h.index("belanja_anggaran")] == ""
    h, pend = tables["penduduk"]
    assert dict(zip(h, pend[0]))["kk_miskin"] == "<5" and dict(zip(h, pend[0]))["jumlah"] == "2651"
    h, kat = tables["penduduk-kategori"]
    assert [r[h.index("nilai")] for r in kat] == ["0-4", "5-9"]          # no "Jumlah" row
    h, kec = tables["penduduk-kecamatan"]
    assert dict(zip(h, kec[0])) == {"kode_kecamatan": "33.07.13", "kecamatan": "Kejajar", "jumlah_desa": "1",
                                    "laki_laki": "1333", "perempuan": "1318", "jumlah": "2651",
                                    "jumlah_kk": "800", "kk_miskin": ""}   # a hidden count is not summed
    # The portal page (no files, previews only) shows the same first rows as the file.
    assert K.combine([info], None, "https://x.id/kab")["apbdes"][1] == rows


def test_catalogue_lists_packages_and_resources_with_absolute_links():
    ds = P.describe(files())
    pkg = P.package_descriptor("p", "Paket", "Uraian", ds, files(), {"SITEURL": ""}, "https://x.id/kab/dieng/data/")
    cat = K.catalogue([{"url": "https://x.id/kab/dieng/data/", "descriptor": pkg, "publisher": "Pemerintah Desa Dieng",
                        "email": "a@b.id", "spatial": "Desa Dieng"}], {})
    assert cat["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    ids = [d["identifier"] for d in cat["dataset"]]
    assert ids[0] == "https://x.id/kab/dieng/data/datapackage.json"
    assert "https://x.id/kab/dieng/data/apbdes-2025.csv" in ids
    apb = next(d for d in cat["dataset"] if d["identifier"].endswith("apbdes-2025.csv"))
    assert [x["downloadURL"] for x in apb["distribution"]] == ["https://x.id/kab/dieng/data/apbdes-2025.csv",
                                                               "https://x.id/kab/dieng/data/apbdes-2025.json"]
    assert apb["modified"] == "2025-06-30" and apb["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert apb["landingPage"] == "https://x.id/kab/dieng/data/#apbdes-2025"
    assert apb["contactPoint"]["hasEmail"] == "mailto:a@b.id"


def test_public_base_prefers_an_absolute_siteurl():
    assert P.public_base({"SITEURL": "http://127.0.0.1:8000/"}) == "http://127.0.0.1:8000"
    assert P.public_base({"SITEURL": ""}) == "https://papandesa.github.io/wonosobo"
    assert P.public_base({"SITEURL": "/lokal", "PAPAN_PUBLIC_SITEURL": "https://desa.id/"}) == "https://desa.id"


def test_license_setting_is_stated():
    assert P.license_info({"PAPAN_DATA_LICENSE": "CC0-1.0"})["path"].startswith("https://creativecommons.org/publicdomain")
    assert P.license_info({"PAPAN_DATA_LICENSE": "Lisensi-Lokal"}) == {"name": "Lisensi-Lokal", "title": "Lisensi-Lokal"}


def test_sitemap_lists_html_pages_only(tmp_path: Path):
    for rel in ("index.html", "dieng/index.html", "dieng/berita/kabar/index.html", "tentang.html",
                "dieng/data/apbdes.csv", "_papan/x.html", ".lama/index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    xml = K.sitemap(tmp_path, "https://x.id/kab").decode()
    assert xml.count("<loc>") == 4
    for u in ("https://x.id/kab/", "https://x.id/kab/dieng/", "https://x.id/kab/dieng/berita/kabar/",
              "https://x.id/kab/tentang.html"):
        assert f"<loc>{u}</loc>" in xml
    assert K.robots("https://x.id/kab").decode().endswith("Sitemap: https://x.id/kab/sitemap.xml\n")


def test_feed_links_become_absolute(tmp_path: Path):
    feed = tmp_path / "dieng" / "berita" / "atom.xml"
    feed.parent.mkdir(parents=True)
    feed.write_text('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
                    '<link href="/dieng/" rel="alternate"/><link href="/berita/atom.xml" rel="self"/><id>/dieng/</id>'
                    '<updated>2025-07-15T10:00:00+07:00</updated><entry><title>E</title>'
                    '<link href="/dieng/berita/e/" rel="alternate"/><id>tag:None,2025-07-15:/dieng/berita/e/</id>'
                    '<updated>2025-07-15T10:00:00+07:00</updated></entry></feed>')
    K.absolutise_feeds(tmp_path, "https://x.id/kab")
    text = feed.read_text()
    assert 'href="https://x.id/kab/dieng/berita/atom.xml" rel="self"' in text
    assert 'href="https://x.id/kab/dieng/"' in text and 'href="https://x.id/kab/dieng/berita/e/"' in text
    assert "tag:x.id,2025-07-15:/dieng/berita/e/" in text and "<id>https://x.id/kab/dieng/</id>" in text
    before = feed.read_bytes()
    K.absolutise_feeds(tmp_path, "https://x.id/kab")       # idempotent
    assert feed.read_bytes() == before
