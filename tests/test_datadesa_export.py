"""CSV/JSON export and SVG charts: deterministic, and hidden counts stay hidden."""
from __future__ import annotations

import csv
import io
import json
import random
import xml.dom.minidom

from papan_desa.datadesa import build_tables, load_village_datadesa
from papan_desa.datadesa.charts import bar_svg, charts_for, pyramid_svg
from papan_desa.datadesa.demo import write_demo_datadesa
from papan_desa.datadesa.export import export_tables, table_to_csv, table_to_json
from papan_desa.problems import Problems

from datadesa_helpers import FIXTURES


def _tables():
    return build_tables(load_village_datadesa(FIXTURES / "baik", Problems()))


def test_csv_has_marks_not_small_counts():
    text = table_to_csv(_tables()["penduduk-agama"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["agama", "laki_laki", "persen_laki_laki", "perempuan", "persen_perempuan", "jumlah", "persen_jumlah"]
    assert rows[1] == ["ISLAM", "*", "*", "*", "*", "243", "98.0"]
    assert rows[2] == ["KRISTEN", "<5", "<5", "<5", "<5", "5", "2.0"]
    assert rows[-1] == ["Jumlah", "125", "50.4", "123", "49.6", "248", "100.0"]
    assert "\r" not in text and text.endswith("\n")


def test_json_document():
    doc = json.loads(table_to_json(_tables()["bansos-dusun"]))
    assert doc["per_tanggal"] == "2025-06-30" and doc["ambang_sel_kecil"] == 5
    assert doc["sumber"] == "Musdes penetapan KPM BLT Desa dan SIKS-NG"
    assert doc["baris"][0] == {"program": "BLT Desa", "periode": "Januari-Juni 2025", "dusun": "Krajan",
                               "jumlah_kk": "<5", "nilai_per_kk": 300000, "total_nilai": "<5", "sumber_dana": "Dana Desa"}
    assert [k["kunci"] for k in doc["kolom"]][:3] == ["program", "periode", "dusun"]
    assert doc["jumlah"] is None
    umur = json.loads(table_to_json(_tables()["penduduk-umur"]))
    assert umur["baris"][0]["persen_jumlah"] == 6.9 and umur["jumlah"]["jumlah"] == 248


def test_export_is_deterministic(tmp_path):
    a = export_tables(_tables(), tmp_path / "a")
    b = export_tables(_tables(), tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    assert "penduduk-umur.csv" in [p.name for p in a] and "wilayah-dusun.json" in [p.name for p in a]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes()


def test_charts_are_small_accessible_and_deterministic():
    tables = _tables()
    svg = pyramid_svg(tables["penduduk-umur"])
    assert svg == pyramid_svg(_tables()["penduduk-umur"])
    assert len(svg.encode()) < 20_000
    xml.dom.minidom.parseString(svg.encode())
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert "0-4: laki-laki 9, perempuan 8" in svg
    assert "70-74: laki-laki &lt;5, perempuan &lt;5" in svg        # hidden in the description too
    assert "Date" not in svg and "<metadata" not in svg
    bar = bar_svg(tables["penduduk-agama"])
    assert "ISLAM: 243" in bar and "KRISTEN: 5" in bar and "KATHOLIK" not in bar   # zero rows are left out
    assert len(bar.encode()) < 20_000


def test_demo_village_is_consistent_and_reproducible(tmp_path):
    for name in ("a", "b"):
        write_demo_datadesa(tmp_path / name, random.Random(11), ["Krajan", "Sidomulyo", "Karangsari"], 2400)
    problems = Problems(root=tmp_path)
    dd = load_village_datadesa(tmp_path / "a", problems)
    assert problems.errors == [] and problems.warnings == []
    assert sum(r.jumlah for r in dd.wilayah) == 2400 == dd.penduduk["umur"].jumlah == dd.penduduk["pekerjaan"].jumlah
    assert {r.dusun for r in dd.bansos} == {"Krajan", "Sidomulyo", "Karangsari"}
    assert any(p.kategori == "ppid" for p in dd.pemerintahan)
    for f in sorted((tmp_path / "a" / "data-desa").rglob("*")):
        if f.is_file():
            twin = tmp_path / "b" / f.relative_to(tmp_path / "a")
            assert f.read_bytes() == twin.read_bytes(), f
    charts = charts_for(build_tables(dd))
    assert set(charts) >= {"penduduk-umur.svg", "penduduk-pekerjaan.svg", "wilayah-dusun.svg", "sdgs-desa.svg"}
    assert all(len(s.encode()) < 20_000 for s in charts.values())
