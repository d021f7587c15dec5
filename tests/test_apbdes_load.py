"""Loading apbdes/<tahun>.csv + .md: encodings, separators, every validation error, warnings."""
import random
import string
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings, strategies as st, HealthCheck

from papan_desa.apbdes import load_village_apbdes, load_year
from papan_desa.apbdes.totals import hitung
from papan_desa.problems import Problems
from papan_desa.schema import REGISTRY

FIX = Path(__file__).parent / "fixtures" / "apbdes"
HEADER = "kode,kegiatan,uraian,anggaran,perubahan,realisasi,sumber_dana\n"


def year_in(tmp_path, body, meta="status: APBDes\n", header=HEADER, name="2025.csv"):
    d = tmp_path / "apbdes"
    d.mkdir(exist_ok=True)
    (d / name).write_text(header + body, encoding="utf-8")
    if meta is not None:
        (d / name.replace(".csv", ".md")).write_text(meta, encoding="utf-8")
    p = Problems(root=tmp_path)
    return load_year(d / name, p), p


def only_error(p):
    assert len(p.errors) == 1, [str(x) for x in p.items]
    return p.errors[0]


def test_schemas_registered():
    assert {f.name for f in REGISTRY["apbdes"].fields} == {"kode", "kegiatan", "uraian", "anggaran", "perubahan",
                                                          "realisasi", "sumber_dana"}
    assert REGISTRY["apbdes_meta"].field("status").required


def test_jogoyitnan_published_rows():
    p = Problems(root=FIX)
    years = load_village_apbdes(FIX / "jogoyitnan", p)
    assert not p.items, [str(x) for x in p.items]
    (y,) = years
    assert y.tahun == 2025 and y.layout == "perubahan" and y.meta.status == "APBDes Perubahan"
    assert y.meta.pelaksana.startswith("Kepala Desa selaku PKPKD")
    dana_desa = [b for b in y.baris if b.kode == "4.2.1.01"][0]
    assert dana_desa.nilai.anggaran == Decimal("794946000") and dana_desa.kode_tampil == "4.2.1.01."
    tunj = [b for b in y.baris if b.kode == "5.1.1.02"][0]
    assert tunj.kegiatan == "01.01.01" and tunj.kode_tampil == "5.1.1.02. [01.01.01]"


def test_semicolon_cp1252_and_bom_files():
    p = Problems(root=FIX)
    years = load_village_apbdes(FIX / "contoh", p)
    assert not p.errors, [str(x) for x in p.errors]
    assert [y.tahun for y in years] == [2024, 2025]
    y24, y25 = years
    jalan = [b for b in y25.baris if b.kegiatan == "02.03.10"][0]
    assert jalan.uraian == "Belanja Modal Jalan Desa – Dusun Krajan"   # cp1252 en dash decoded
    assert y25.nama("02.03.10") == "Pembangunan/Rehabilitasi/Peningkatan Jalan Desa"  # kegiatan.csv
    bum = [b for b in y25.baris if b.kode == "4.1.1.01"][0]
    assert bum.uraian == "Bagi Hasil BUM Desa"                           # empty uraian: reference name
    assert y24.baris[0].kode == "4.2.1" and y24.baris[0].nilai.anggaran == Decimal("950000000")  # BOM header
    assert [b.kegiatan for b in y24.baris if b.bagian == "belanja"] == ["01", "02", "05"]


def test_missing_perubahan_means_unchanged_and_missing_realisasi_means_zero(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,100,120,,DDS\n4.2.3.01,,,50,,,ADD\n6.1.1.01,,,5,,3,\n",
                   meta="status: Realisasi Tahun Anggaran\n")
    assert y is not None, [str(x) for x in p.items]
    add = [b for b in y.baris if b.kode == "4.2.3.01"][0]
    assert add.nilai.perubahan == Decimal(50) and add.nilai.realisasi == Decimal(0)
    assert y.layout == "lra" and y.kolom == ("anggaran", "perubahan", "realisasi")


def test_unknown_code(tmp_path):
    y, p = year_in(tmp_path, "4.9.1.01,,Entah,100,,,\n")
    e = only_error(p)
    assert y is None and (e.file, e.line, e.column) == ("apbdes/2025.csv", 2, 1)
    assert "4.9.1.01 tidak ada dalam referensi" in e.message and 'ditemukan "4.9.1.01"' in e.message


def test_unknown_bidang(tmp_path):
    y, p = year_in(tmp_path, "5.1.1.01,07.01.01,X,100,,,\n")
    e = only_error(p)
    assert (e.line, e.column) == (2, 2) and "bidang 07 tidak dikenal" in e.message


def test_spending_without_bidang(tmp_path):
    y, p = year_in(tmp_path, "5.1.1.01,,Siltap,100,,,\n")
    e = only_error(p)
    assert (e.line, e.column) == (2, 2) and "tanpa bidang" in e.message


def test_repeated_line_is_kept_counted_and_warned_naming_both_rows(tmp_path):
    """Issue #25.1: a rekening printed twice under one kegiatan (one row per rincian) counts twice."""
    y, p = year_in(tmp_path, "4.2.1.01,,Dana Desa,1000,,,\n"
                             "5.1.2.01,01.01.02,Penghasilan Tetap Perangkat Desa,300,,,\n"
                             "5.1.2.01.,01.01.02,Penghasilan Tetap Perangkat Desa,200,,,\n")
    assert y is not None and not p.errors
    (w,) = p.warnings
    assert (w.line, w.column) == (4, 1)
    assert w.message == ("kode 5.1.2.01 kegiatan 01.01.02 'Penghasilan Tetap Perangkat Desa' tertulis 2 kali "
                         "(baris 3 dan 4); keduanya dihitung")
    assert [b.nilai.anggaran for b in y.baris if b.kode == "5.1.2.01"] == [300, 200]   # file order
    t = hitung(y)
    assert t.ringkasan["belanja"].anggaran == 500 and t.kegiatan["01.01.02"].anggaran == 500
    assert not any("tertulis" in w for w in y.peringatan)   # line numbers never reach the public page


def test_rows_differing_in_sumber_dana_are_distinct_without_warning(tmp_path):
    y, p = year_in(tmp_path, "5.1.2.01,01.01.02,Penghasilan Tetap,300,,,DDS\n"
                             "5.1.2.01,01.01.02,Penghasilan Tetap,200,,,ADD\n")
    assert y is not None and not p.items
    assert hitung(y).ringkasan["belanja"].anggaran == 500


def test_exact_copy_gets_a_louder_warning(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,100,,,\n4.2.1.01,,,100,,,\n")
    assert y is not None and not p.errors
    (w,) = p.warnings
    assert "tertulis 2 kali (baris 2 dan 3); keduanya dihitung" in w.message
    assert "PERIKSA: baris 3 sama persis dengan baris 2 (semua kolom sama), mungkin tersalin dua kali" in w.message
    assert hitung(y).ringkasan["pendapatan"].anggaran == 200


def test_typed_subtotal_is_refused(tmp_path):
    y, p = year_in(tmp_path, "4.2.1,,,100,,,\n4.2.1.01,,,100,,,\n,01,,50,,,\n5.1.1.01,01.01.01,,50,,,\n")
    assert y is None
    assert sorted(e.line for e in p.errors) == [2, 4]
    assert all("jumlah dihitung otomatis" in e.message for e in p.errors)


def test_text_where_number_belongs(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,seratus juta,,,\n")
    e = only_error(p)
    assert (e.line, e.column) == (2, 4) and 'ditemukan "seratus juta"' in e.message


def test_ambiguous_number(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,\"1,5\",,,\n")
    e = only_error(p)
    assert (e.line, e.column) == (2, 4) and "bermakna ganda" in e.message


def test_negative_budget(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,(2.131.580),,,\n")
    e = only_error(p)
    assert e.column == 4 and "tidak boleh negatif" in e.message and "(2.131.580)" in e.message


def test_missing_anggaran_and_bad_sumber_dana(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,,,,\n4.2.3.01,,,10,,,XYZ\n")
    assert y is None
    assert [(e.line, e.column) for e in p.errors] == [(2, 4), (3, 7)]
    assert "anggaran wajib diisi" in p.errors[0].message and "sumber dana tidak dikenal" in p.errors[1].message


def test_unknown_objek_needs_uraian(tmp_path):
    y, p = year_in(tmp_path, "4.1.1.05,,,100,,,\n")
    e = only_error(p)
    assert e.column == 3 and "uraian wajib diisi" in e.message
    y, p = year_in(tmp_path, "4.1.1.05,,Sewa gedung serbaguna,100,,,\n")
    assert y is not None and not p.errors


def test_old_scheme_and_bad_header(tmp_path):
    y, p = year_in(tmp_path, "1.2.1,,Dana Desa,100,,,\n")
    assert "skema lama" in only_error(p).message
    y, p = year_in(tmp_path, "4.2.1,100\n", header="kode,angaran\n")
    assert y is None and any('ditemukan "angaran"' in e.message for e in p.errors)


def test_metadata_required_and_consistent(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,100,,,\n", meta=None)
    assert y is None and "2025.md tidak ada" in only_error(p).message
    y, p = year_in(tmp_path, "4.2.1.01,,,100,,,\n", meta="status: Realisasi Semester I\n")
    assert y is None and "kolom realisasi" in only_error(p).message
    y, p = year_in(tmp_path, "4.2.1.01,,,100,,,\n", meta="status: Rencana\n")
    e = only_error(p)
    assert (e.file, e.line, e.column) == ("apbdes/2025.md", 1, 9)


def test_bad_file_name(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,100,,,\n", name="apbdes-2025.csv")
    assert y is None and "2025.csv" in only_error(p).message


def test_over_budget_is_a_warning_shown_on_the_page(tmp_path):
    y, p = year_in(tmp_path, "4.2.1.01,,,100,,,\n5.2.2.01,02.01.01,Honor,100,,120,DDS\n",
                   meta="status: Realisasi Tahun Anggaran\n")
    assert y is not None and not p.errors
    (w,) = p.warnings
    assert (w.line, w.column) == (3, 6) and "melebihi anggaran" in w.message
    assert y.peringatan and "Rp 120 melebihi anggaran Rp 100" in y.peringatan[0]


def test_village_with_a_bad_year_keeps_good_years(tmp_path):
    d = tmp_path / "apbdes"
    d.mkdir()
    (d / "2024.csv").write_text(HEADER + "4.2.1.01,,,100,,,\n", encoding="utf-8")
    (d / "2024.md").write_text("status: APBDes\n", encoding="utf-8")
    (d / "2025.csv").write_text(HEADER + "4.2.1.01,,,abc,,,\n", encoding="utf-8")
    (d / "2025.md").write_text("status: APBDes\n", encoding="utf-8")
    p = Problems(root=tmp_path)
    years = load_village_apbdes(tmp_path, p)
    assert [y.tahun for y in years] == [2024]
    assert [e.file for e in p.errors] == ["apbdes/2025.csv"]


CELL = st.text(alphabet=string.digits + ".,;-()[] Rp\"abc", max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=6), st.sampled_from([",", ";"]))
def test_loader_returns_a_year_or_clear_problems(tmp_path, rows, sep):
    body = "\n".join(sep.join(r) for r in rows) + "\n"
    d = tmp_path / "apbdes"
    d.mkdir(exist_ok=True)
    (d / "2025.csv").write_bytes((HEADER.replace(",", sep) + body).encode("utf-8"))
    (d / "2025.md").write_text("status: APBDes\n", encoding="utf-8")
    p = Problems(root=tmp_path)
    y = load_year(d / "2025.csv", p)
    if y is None:
        assert p.errors and all(e.file.startswith("apbdes/2025.") and e.message for e in p.errors)
    else:
        assert not p.errors and y.baris


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_never_crash_the_reader(data):
    from papan_desa import csvfile
    try:
        table = csvfile.parse(data)
    except csvfile.CsvError as exc:   # one clear Indonesian message, never another exception
        assert str(exc)
    else:
        assert all(isinstance(cells, list) for _line, cells in table.rows)


def _pairwise_nesting(lines):
    """The definition, pair by pair: (line above, first line below it) in file order."""
    from papan_desa.apbdes.reference import is_under
    out = []
    for a in lines:
        for b in lines:
            if a is b or a.bagian != b.bagian or (a.kode, a.kegiatan) == (b.kode, b.kegiatan):
                continue
            if is_under(b.kegiatan, a.kegiatan) and is_under(b.kode, a.kode):
                out.append((a.nomor, b.nomor))
                break
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "01", "01.02", "01.02.03", "02", "02.01"]),
                          st.sampled_from(["4", "4.1", "4.1.1", "5", "5.2", "5.2.1", "5.2.1.01", "6.1"])),
                min_size=1, max_size=25))
def test_typed_subtotals_found_by_lookup_match_the_pairwise_definition(codes):
    from papan_desa.apbdes.load import _check_nesting
    from papan_desa.apbdes.model import Baris, Nilai

    lines = [Baris(i + 2, kode if keg else kode, keg, "x", Nilai(Decimal(1)))
             for i, (keg, kode) in enumerate(codes) if keg or kode[0] in "456"]
    problems = Problems()
    _check_nesting(Path("2025.csv"), lines, problems, 1)
    found = [(p.line, int(p.message.split("baris ")[2].split(" ")[0])) for p in problems.errors]
    assert found == _pairwise_nesting(lines)


def test_repeated_lines_both_show_on_the_page_table_and_in_the_open_data(tmp_path):
    import json

    from papan_desa.apbdes import normalised_csv, tabel, year_json
    y, p = year_in(tmp_path, "4.2.1.01,,Dana Desa,1000,,,\n"
                             "5.1.2.01,01.01.02,Penghasilan Tetap Perangkat Desa,300,,,\n"
                             "5.1.2.01,01.01.02,Penghasilan Tetap Perangkat Desa,200,,,\n")
    rows = [r for r in tabel(y) if r.uraian == "Penghasilan Tetap Perangkat Desa"]
    assert [r.nilai.anggaran for r in rows] == [300, 200]
    data = json.loads(year_json(y))
    assert [b["anggaran"] for b in data["baris"] if b["kode"] == "5.1.2.01"] == [300, 200]
    assert normalised_csv(y).count("5.1.2.01,01.01.02") == 2
