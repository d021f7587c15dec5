"""Documentation for village admins is generated from the schema and settings declarations."""
from pathlib import Path

from papan_desa.docs import format_doc, settings_doc, write_docs
from papan_desa.formatting import angka, rupiah, tanggal, wa
from papan_desa.schema import REGISTRY
from papan_desa.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_up_to_date():
    assert write_docs(ROOT / "docs", check=True) == [], "run `make docs` and commit docs/"


def test_every_field_and_setting_is_documented():
    doc = format_doc()
    for schema in REGISTRY.values():
        assert f"## {schema.title}" in doc
        for f in schema.fields:
            assert f"`{f.name}`" in doc
    sdoc = settings_doc()
    for s in SETTINGS:
        assert f"`{s.name}`" in sdoc
    conf = (ROOT / "pelicanconf.py").read_text()
    for line in conf.splitlines():
        if line.startswith("PAPAN_"):
            assert line.split("=")[0].strip() in sdoc, f"{line} is not a declared setting"


def test_indonesian_formats():
    assert angka(1244674000) == "1.244.674.000"
    assert angka("612.35", 2) == "612,35"
    assert angka(-2131580) == "-2.131.580"
    assert rupiah(1244674000) == "Rp 1.244.674.000"
    assert tanggal("2025-06-30") == "30 Juni 2025"
    assert wa("0812 2700 4101") == "https://wa.me/6281227004101"
    assert wa("+62 812-2700-4101") == "https://wa.me/6281227004101"
