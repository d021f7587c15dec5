"""The data-desa pages and data files of a village, built end to end.

A fixture village (registry name Kaligowong) carries the small, hand-checked data
set ``tests/fixtures/datadesa/baik`` (248 residents, 75 KK, cells below 5 in the
age and aid tables); the bundled village Sembungan carries the generated data.
"""
from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from papan_desa.datadesa import build_tables, format_value, load_village_datadesa
from papan_desa.datadesa.pages import datadesa_pages
from papan_desa.problems import Problems
from papan_desa.village import load_village
from tests.support import CHROMIUM, ROOT, build_site, fixture_village, registry, require

pytestmark = pytest.mark.slow
FIXTURE = ROOT / "tests" / "fixtures" / "datadesa" / "baik" / "data-desa"
DESA = "kaligowong"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("datadesa")
    villages = tmp / "villages"
    vdir = fixture_village(villages, DESA)
    shutil.copytree(FIXTURE, vdir / "data-desa")
    shutil.copytree(ROOT / "villages" / "sembungan", villages / "sembungan")
    report = build_site(villages, tmp / "out", tmp / "cache")
    assert report.ok, {k: [str(p) for p in v] for k, v in report.failed.items()}
    return tmp / "out", villages


# ---------------------------------------------------------------- reading the pages back

class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (thead, tbody and tfoot alike)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(path: Path) -> list[list[list[str]]]:
    p = _Tables()
    p.feed(path.read_text(encoding="utf-8"))
    return p.tables


# ---------------------------------------------------------------- tests

PAGES = ["data-desa/index.html", "data-desa/penduduk/index.html", "data-desa/penduduk/umur/index.html",
         "data-desa/penduduk/pendidikan/index.html", "data-desa/penduduk/pekerjaan/index.html",
         "data-desa/penduduk/agama/index.html", "data-desa/penduduk/status-perkawinan/index.html",
         "data-desa/wilayah/index.html", "data-desa/bansos/index.html", "data-desa/indeks/index.html",
         "pemerintahan/index.html"]
TABLES = ["pemerintahan", "penduduk-ringkasan", "penduduk-umur", "penduduk-pendidikan", "penduduk-pekerjaan",
          "penduduk-agama", "penduduk-status-perkawinan", "wilayah-rt", "wilayah-dusun", "bansos-dusun",
          "bansos-program", "indeks-desa", "sdgs-desa"]


def test_every_page_and_data_file_exists_and_is_linked(site):
    out, _ = site
    root = out / DESA
    for rel in PAGES:
        assert (root / rel).is_file(), rel
        assert "<h1>" in (root / rel).read_text()
    for name in TABLES:
        assert (root / "data" / f"{name}.csv").is_file() and (root / "data" / f"{name}.json").is_file(), name
    overview = (root / "data-desa" / "index.html").read_text()
    for name in TABLES:
        if name != "pemerintahan":
            assert f'href="/{DESA}/data/{name}.csv"' in overview and f'href="/{DESA}/data/{name}.json"' in overview
    umur = (root / "data-desa/penduduk/umur/index.html").read_text()
    assert f'href="/{DESA}/data/penduduk-umur.csv"' in umur and f'href="/{DESA}/data/penduduk-umur.json"' in umur
    # Menu entries, and each page says when and where its figures come from.
    home = (root / "index.html").read_text()
    assert f'href="/{DESA}/data-desa/">Data desa</a>' in home and f'href="/{DESA}/pemerintahan/">Pemerintahan</a>' in home
    for rel in ("data-desa/penduduk/umur/index.html", "data-desa/wilayah/index.html", "data-desa/index.html"):
        assert "Data kependudukan desa, per 30 Juni 2025" in (root / rel).read_text(), rel
    assert "Musdes penetapan KPM BLT Desa dan SIKS-NG, per 30 Juni 2025" in (root / "data-desa/bansos/index.html").read_text()


def test_age_page_shows_the_source_counts_hand_checked(site):
    out, _ = site
    rows = {r[0]: r[1:] for r in page_tables(out / DESA / "data-desa/penduduk/umur/index.html")[0]}
    # umur.csv "0-4,9,8" of 248 people: 9 = 3,6%, 8 = 3,2%, 17 = 6,9%.
    assert rows["0-4"] == ["9", "3,6%", "8", "3,2%", "17", "6,9%"]
    assert rows["15-19"] == ["10", "4,0%", "11", "4,4%", "21", "8,5%"]
    assert rows["Jumlah"] == ["125", "50,4%", "123", "49,6%", "248", "100,0%"]
    # The summary on the overview page: penduduk.md says 125 + 123, 75 KK, 12 KK miskin.
    html = (out / DESA / "data-desa/index.html").read_text()
    for n, what in (("248", "penduduk"), ("125", "laki-laki"), ("123", "perempuan"), ("75", "kepala keluarga"),
                    ("12", "KK miskin")):
        assert f"<strong>{n}</strong> {what}" in html


def test_small_counts_show_as_marks_never_the_number(site):
    out, villages = site
    source = {r["kelompok_umur"]: r for r in csv.DictReader((FIXTURE / "penduduk" / "umur.csv").open())}
    rows = {r[0]: r[1:] for r in page_tables(out / DESA / "data-desa/penduduk/umur/index.html")[0]}
    small = 0
    for band, src in source.items():
        for col, key in ((0, "laki_laki"), (2, "perempuan")):
            n = int(src[key])
            if 0 < n < 5:
                small += 1
                assert rows[band][col] == "<5", (band, key, rows[band][col])
                assert rows[band][col + 1] == "<5"
            elif rows[band][col] not in ("<5", "*"):
                assert rows[band][col] == str(n)
    assert small == 4           # 70-74: 3 and 4; 75+: 3 and 3
    # Aid: BLT Desa reaches 3 households in Krajan (shown "<5") and 6 in Sidomulyo (hidden as "*",
    # or 9 - 6 would give the 3 back); the programme total 9 stays visible.
    dusun = {(r[0], r[2]): r for r in page_tables(out / DESA / "data-desa/bansos/index.html")[1][1:]}
    assert dusun[("BLT Desa", "Krajan")][3] == "<5" and dusun[("BLT Desa", "Krajan")][5] == "<5"
    assert dusun[("BLT Desa", "Sidomulyo")][3] == "*"
    assert dusun[("PKH", "Krajan")][3] == "8" and dusun[("PKH", "Krajan")][5] == "Rp 6.000.000"
    raw = (out / DESA / "data-desa/bansos/index.html").read_text()
    assert "&lt;5" in raw and "<5" not in raw      # escaped in the HTML source
    program = {r[0]: r for r in page_tables(out / DESA / "data-desa/bansos/index.html")[0][1:]}
    assert program["BLT Desa"][3] == "9" and program["PKH"][3] == "15"
    # The raw small numbers are in no data file either.
    for name in ("penduduk-umur", "bansos-dusun"):
        data = json.loads((out / DESA / "data" / f"{name}.json").read_text())
        for row in data["baris"]:
            for k, v in row.items():
                assert not (isinstance(v, int) and 0 < v < 5 and k not in ("jumlah_dusun", "tahun")), (name, row)


def csv_value(cell: str, kind: str):
    """A CSV cell back as the Table held it: text, a mark, None or an exact number."""
    if kind == "teks" or cell in ("<5", "*"):
        return cell
    return None if cell == "" else Decimal(cell)


def test_csv_and_json_equal_the_page_tables(site):
    out, villages = site
    for slug in (DESA, "sembungan"):
        root = out / slug
        shown = [t for p in PAGES if (root / p).is_file() for t in page_tables(root / p)]
        checked = 0
        for data_csv in sorted((root / "data").glob("*.csv")):
            if not data_csv.name.startswith(("penduduk", "wilayah", "bansos", "indeks", "sdgs")):
                continue
            doc = json.loads(data_csv.with_suffix(".json").read_text())
            kinds = [c["jenis"] for c in doc["kolom"]]
            keys = [c["kunci"] for c in doc["kolom"]]
            rows = list(csv.reader(io.StringIO(data_csv.read_text())))
            assert rows[0] == keys
            expected = [[format_value(csv_value(cell, kind), kind) for cell, kind in zip(row, kinds)] for row in rows[1:]]
            if doc["jumlah"]:   # the total row's empty text cells (RW, RT) are blank on the page
                expected[-1] = [("" if v == "–" and kind == "teks" else v) for v, kind in zip(expected[-1], kinds)]
            header = [c["label"] for c in doc["kolom"]]
            matches = [t for t in shown if t and t[0] == header]
            assert matches, (slug, data_csv.name)
            assert any(t[1:] == expected for t in matches), (slug, data_csv.name)
            # The JSON holds the same rows as the CSV, numbers equal to the last digit.
            json_rows = doc["baris"] + ([doc["jumlah"]] if doc["jumlah"] else [])
            assert len(json_rows) == len(rows) - 1
            for csv_row, row in zip(rows[1:], json_rows):
                for cell, k, kind in zip(csv_row, keys, kinds):
                    v = row[k]
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        assert Decimal(cell) == Decimal(str(v)), (data_csv.name, k)
                    else:
                        assert cell == ("" if v is None else v), (data_csv.name, k)
            checked += 1
        assert checked >= 11 if slug == DESA else checked >= 9


def test_pyramid_is_an_svg_file_with_a_title_and_the_table_follows_it(site):
    out, _ = site
    page = out / DESA / "data-desa/penduduk/umur/index.html"
    html = page.read_text()
    m = re.search(r'<img src="/kaligowong/data-desa/penduduk/umur/(penduduk-umur\.svg)" width="(\d+)" '
                  r'height="(\d+)" alt="([^"]+)"', html)
    assert m and "Piramida penduduk" in m.group(4)
    svg = (page.parent / m.group(1)).read_text()
    assert re.search(r"<title[^>]*>Penduduk menurut kelompok umur dan jenis kelamin \(Data kependudukan desa, "
                     r"per 30 Juni 2025\)</title>", svg)
    assert "<desc" in svg and "<script" not in svg
    # The figure comes first, the table with the numbers right after it.
    assert html.index("<figure") < html.index("</figure>") < html.index("<table")
    assert "<style" not in html and ' style="' not in html


def test_government_page_has_every_group_and_no_photo_files(site):
    out, _ = site
    html = (out / DESA / "pemerintahan/index.html").read_text()
    for text in ("Kepala Desa", "Sri Lestari", "Perangkat desa", "Sekretaris Desa", "Siti Aminah",
                 "Badan Permusyawaratan Desa (BPD)", "Slamet Riyadi", "Lembaga kemasyarakatan desa", "PKK",
                 "PPID Desa"):
        assert text in html
    assert '<span class="pejabat-inisial" aria-hidden="true">SA</span>' in html
    assert "<img" not in html.split("<main", 1)[1]


def test_text_from_the_village_files_is_escaped(tmp_path):
    villages = tmp_path / "villages"
    vdir = fixture_village(villages, DESA)
    shutil.copytree(FIXTURE, vdir / "data-desa")
    p = vdir / "data-desa" / "pemerintahan.csv"
    p.write_text(p.read_text().replace("Budi Santoso", "Budi <script>alert(1)</script> Santoso"))
    p = vdir / "data-desa" / "bansos.md"
    p.write_text(p.read_text().replace("sumber: Musdes", "sumber: <b>Musdes</b>"))
    report = build_site(villages, tmp_path / "out", tmp_path / "cache")
    assert report.ok, {k: [str(x) for x in v] for k, v in report.failed.items()}
    html = (tmp_path / "out" / DESA / "pemerintahan/index.html").read_text()
    assert "Budi &lt;script&gt;alert(1)&lt;/script&gt; Santoso" in html and "<script" not in html
    html = (tmp_path / "out" / DESA / "data-desa/bansos/index.html").read_text()
    assert "&lt;b&gt;Musdes&lt;/b&gt;" in html and "<b>" not in html


def test_a_supplied_photo_is_resized_and_shown(tmp_path):
    from PIL import Image

    vdir = fixture_village(tmp_path, DESA)
    shutil.copytree(FIXTURE, vdir / "data-desa")
    (vdir / "foto").mkdir()
    Image.new("RGB", (600, 800), (120, 140, 160)).save(vdir / "foto" / "sekdes.jpg")
    p = vdir / "data-desa" / "pemerintahan.csv"
    p.write_text(p.read_text().replace("Sekretaris Desa,Siti Aminah,,", "Sekretaris Desa,Siti Aminah,,foto/sekdes.jpg"))
    problems = Problems(root=tmp_path)
    desa = load_village(vdir, registry(), problems)
    assert not problems, [str(x) for x in problems.items]
    parts = datadesa_pages(desa, {})
    photos = [a for a in parts.artifacts if a.save_as.startswith("pemerintahan/foto/")]
    assert len(photos) == 1 and photos[0].save_as.endswith("-160.jpg")
    assert Image.open(io.BytesIO(photos[0].data)).size == (160, 213)
    person = next(p for g in parts.pages[-1].context["groups"] for _, ps in g["sub"] for p in ps
                  if p["nama"] == "Siti Aminah")
    assert person["foto"]["src"] == photos[0].save_as


def test_small_count_threshold_follows_the_setting(tmp_path):
    vdir = fixture_village(tmp_path, DESA)
    shutil.copytree(FIXTURE, vdir / "data-desa")
    problems = Problems(root=tmp_path)
    desa = load_village(vdir, registry(), problems)
    assert not problems, [str(p) for p in problems.items]
    parts = datadesa_pages(desa, {"PAPAN_SMALL_COUNT": 10})
    umur = next(a for a in parts.artifacts if a.save_as == "data/penduduk-umur.json")
    doc = json.loads(umur.data)
    rows = {r["kelompok_umur"]: r for r in doc["baris"]}
    assert rows["0-4"]["laki_laki"] == "<10" and rows["0-4"]["perempuan"] == "<10"
    assert doc["ambang_sel_kecil"] == 10
    assert not [v for r in doc["baris"] for k, v in r.items() if isinstance(v, int) and v < 10]
    # The portal summary uses the suppressed figures: BLT Desa's 9 households are below 10; PKH's
    # 8 + 7 are both hidden, and their total 15 would narrow each "<10" down to 6-9, so it is hidden too.
    s = parts.summary["datadesa"]
    assert s["penduduk"] == 248 and s["jumlah_kk"] == 75 and s["kk_miskin"] == 12
    assert {b["program"]: b["jumlah_kk"] for b in s["bansos"]} == {"BLT Desa": "<10", "PKH": "*"}
    assert s["indeks"] == {"tahun": 2024, "jenis": "Indeks Desa", "skor": 72.5, "status": "Maju"}
    assert s["per_tanggal"] == "2025-06-30"
    json.dumps(s)   # JSON-able for the portal


def test_summary_with_default_threshold_matches_the_page(site):
    out, villages = site
    dd = load_village_datadesa(villages / DESA, Problems())
    tables = build_tables(dd)
    assert tables["penduduk-ringkasan"].rows[-1]["jumlah"] == 12   # KK miskin
    problems = Problems()
    desa = load_village(villages / DESA, registry(), problems)
    s = datadesa_pages(desa, {}).summary["datadesa"]
    assert {b["program"]: b["jumlah_kk"] for b in s["bansos"]} == {"BLT Desa": 9, "PKH": 15}


def test_an_error_in_data_desa_withholds_that_table(tmp_path):
    villages = tmp_path / "villages"
    vdir = fixture_village(villages, DESA)
    shutil.copytree(FIXTURE, vdir / "data-desa")
    # One more man in an RT than penduduk.md counts: the totals no longer agree.
    w = vdir / "data-desa" / "wilayah.csv"
    w.write_text(w.read_text().replace("Krajan,001,001,30,52,48", "Krajan,001,001,30,53,48"))
    report = build_site(villages, tmp_path / "out", tmp_path / "cache")
    assert report.exit_code == 1 and not report.failed
    msgs = [str(p) for p in report.withheld[DESA]]
    assert any("wilayah.csv" in m and "126" in m and "125" in m for m in msgs), msgs
    # The refused table is withheld (it never published); the village and its other data publish.
    assert "data-desa/wilayah.csv" in report.withheld_files[DESA]
    assert not (tmp_path / "out" / DESA / "data-desa" / "wilayah").exists()
    assert (tmp_path / "out" / DESA / "index.html").is_file()


def test_demo_village_gets_consistent_data_desa(tmp_path):
    from papan_desa.demo import write_village
    from tests.support import wilayah

    w = wilayah(DESA)
    write_village(tmp_path / DESA, w, random.Random("uji"), news=0)
    problems = Problems(root=tmp_path)
    dd = load_village_datadesa(tmp_path / DESA, problems)
    assert not problems.errors, [str(p) for p in problems.items]
    total = sum(r.jumlah for r in dd.wilayah)
    assert 2000 <= total <= 7000 and dd.penduduk["umur"].jumlah == total
    assert dd.wilayah[0].dusun == "Krajan"


def test_bundled_villages_have_data_desa_that_loads_cleanly():
    for vdir in sorted((ROOT / "villages").iterdir()):
        if not vdir.is_dir() or vdir.name.startswith((".", "_")):
            continue
        problems = Problems(root=ROOT)
        dd = load_village_datadesa(vdir, problems)
        assert not problems.errors, [str(p) for p in problems.items]
        assert dd.wilayah and dd.penduduk_meta and len(dd.penduduk) == 5, vdir.name
        total = dd.penduduk_meta.laki_laki + dd.penduduk_meta.perempuan
        assert 1000 <= total <= 7000, (vdir.name, total)


# ---------------------------------------------------------------- in Chromium at 360 px

@pytest.mark.browser
def test_age_page_at_phone_width(site_server, browser):
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", service_workers="block")
    try:
        page = context.new_page()
        failed = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(f"{site_server}/kaligowong/data-desa/penduduk/umur/", wait_until="load")
        img = page.locator("figure.grafik img")
        assert img.count() == 1
        assert "Piramida penduduk" in img.get_attribute("alt")
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        # The table with the numbers follows the chart.
        assert page.evaluate("""() => {
            const f = document.querySelector('figure.grafik');
            const t = document.querySelector('table.dd-tabel');
            return !!t && !!(f.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")
        assert page.locator("table.dd-tabel tbody tr").count() == 16
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.locator("h1").count() == 1
        assert not failed, failed
        for path in ("data-desa/", "data-desa/wilayah/", "data-desa/bansos/", "data-desa/indeks/", "pemerintahan/"):
            page.goto(f"{site_server}/kaligowong/{path}", wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert not failed, failed
    finally:
        context.close()
