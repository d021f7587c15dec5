"""The village profile (desa.md): parsing, validation against the registry, messages for admins."""
from pathlib import Path

import pytest

from papan_desa.markdown_meta import parse_markdown
from papan_desa.problems import Problems
from papan_desa.profil import load_profil
from papan_desa.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_registry(ROOT / "data" / "wonosobo-wilayah-2025.csv")

VALID = """Nama: Kaligowong
Kode: 33.07.01.2001
Jenis: desa
Kecamatan: Wadaslintang
Kepala_desa: Slamet Riyadi
Alamat_kantor: Jl. Raya Kaligowong
WhatsApp: 0812 2700 4101
Koordinat: -7.5720, 109.7868
Luas_wilayah: 612,35
Contoh: ya

## Sejarah

Isi.
"""


def write(tmp_path, text, folder="kaligowong"):
    d = tmp_path / folder
    d.mkdir()
    (d / "desa.md").write_text(text, encoding="utf-8")
    return d


def load(tmp_path, text, folder="kaligowong"):
    d = write(tmp_path, text, folder)
    problems = Problems(root=tmp_path)
    return load_profil(d, REGISTRY, problems), [str(p) for p in problems.items]


def test_valid_profile_is_parsed_with_typed_values(tmp_path):
    prof, msgs = load(tmp_path, VALID)
    assert msgs == []
    assert prof.nama == "Kaligowong" and prof.kode == "33.07.01.2001" and prof.jenis == "desa"
    assert str(prof.get("luas_wilayah")) == "612.35"
    assert prof.get("koordinat") == (-7.572, 109.7868)
    assert prof.contoh is True
    assert "## Sejarah" in prof.body and "Kode:" not in prof.body


def test_registry_has_every_wonosobo_village():
    assert len(REGISTRY.villages) == 265
    assert len(REGISTRY.kecamatan) == 15
    assert sum(1 for v in REGISTRY.villages.values() if v.jenis == "kelurahan") == 29
    # Names that repeat across kecamatan get the kecamatan in their slug, so slugs are unique.
    slugs = [v.slug for v in REGISTRY.villages.values()]
    assert len(set(slugs)) == 265
    assert REGISTRY.villages["33.07.01.2001"].slug == "kaligowong"


def test_unknown_key_names_line_and_allowed_keys(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Contoh: ya", "Kontak: 0812"))
    assert len(msgs) == 1
    assert msgs[0].startswith("kaligowong/desa.md:10:1: galat: kunci \"kontak\" tidak dikenal")
    assert "kepala_desa" in msgs[0]


def test_bad_value_names_line_column_expected_and_found(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Koordinat: -7.5720, 109.7868", "Koordinat: utara balai desa"))
    assert msgs == ['kaligowong/desa.md:8:12: galat: Koordinat kantor: diharapkan lintang dan bujur dalam '
                    'derajat desimal, seperti "-7.3612, 109.8125", ditemukan "utara balai desa"']


def test_missing_required_key(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Kepala_desa: Slamet Riyadi\n", ""))
    assert any('kunci wajib "kepala_desa"' in m and m.startswith("kaligowong/desa.md:1:1") for m in msgs)


def test_code_not_in_registry(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("33.07.01.2001", "33.07.01.2999"))
    assert msgs == ["kaligowong/desa.md:2:7: galat: kode 33.07.01.2999 tidak ada dalam daftar wilayah "
                    "wonosobo-wilayah-2025.csv; periksa kode Kemendagri desa ini"]


def test_unknown_kecamatan_lists_the_allowed_ones(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Kecamatan: Wadaslintang", "Kecamatan: Wadas Lintang"))
    assert len(msgs) == 1 and msgs[0].startswith("kaligowong/desa.md:4:12: galat: kecamatan \"Wadas Lintang\" tidak dikenal")
    assert "Garung" in msgs[0] and "Wadaslintang" in msgs[0]


def test_kecamatan_that_does_not_match_the_code(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Kecamatan: Wadaslintang", "Kecamatan: Kejajar"))
    assert msgs == ['kaligowong/desa.md:4:12: galat: kode 33.07.01.2001 ada di Kecamatan Wadaslintang; '
                    'diharapkan Wadaslintang, ditemukan "Kejajar"']


def test_wrong_jenis_and_name(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Jenis: desa", "Jenis: kelurahan").replace("Nama: Kaligowong", "Nama: Kaligowung"))
    assert any(m.startswith("kaligowong/desa.md:1:7:") and 'diharapkan Kaligowong, ditemukan "Kaligowung"' in m for m in msgs)
    assert any(m.startswith("kaligowong/desa.md:3:8:") and "terdaftar sebagai desa" in m for m in msgs)


def test_missing_file_and_not_utf8(tmp_path):
    d = tmp_path / "kosong"
    d.mkdir()
    problems = Problems(root=tmp_path)
    assert load_profil(d, REGISTRY, problems) is None
    assert "desa.md tidak ada" in str(problems.items[0])
    d2 = tmp_path / "latin"
    d2.mkdir()
    (d2 / "desa.md").write_bytes(VALID.replace("Riyadi", "Riyadi\u00e9").encode("cp1252"))
    problems = Problems(root=tmp_path)
    assert load_profil(d2, REGISTRY, problems) is None
    assert str(problems.items[0]).startswith("latin/desa.md:5:27: galat: berkas harus disimpan sebagai teks UTF-8")


def test_header_line_without_colon_is_reported(tmp_path):
    _, msgs = load(tmp_path, VALID.replace("Contoh: ya", "Contoh ya"))
    assert msgs[0].startswith("kaligowong/desa.md:10:1: galat: baris kepala berkas harus berbentuk")


def test_duplicate_key_and_continuation_lines(tmp_path):
    p = tmp_path / "x.md"
    p.write_text("Nama: A\nAlamat_kantor: Jl. Panjang\n    sambungan baris\nNama: B\n\nIsi", encoding="utf-8")
    problems = Problems(root=tmp_path)
    doc = parse_markdown(p, problems)
    assert doc.meta["alamat_kantor"].value == "Jl. Panjang sambungan baris"
    assert [str(x) for x in problems.items] == [
        'x.md:4:1: galat: kunci "Nama" sudah ditulis di baris 1; tulis sekali saja']
    assert doc.body == "Isi" and doc.body_line == 6


@pytest.mark.parametrize("raw,ok", [("0286 321123", True), ("+62 812 3456 7890", True), ("12", False), ("telp kantor", False)])
def test_phone_field(raw, ok):
    from papan_desa.profil import PROFIL
    from papan_desa.schema import ValueProblem
    f = PROFIL.field("telepon")
    if ok:
        assert f.parse(raw) == raw
    else:
        with pytest.raises(ValueProblem):
            f.parse(raw)
