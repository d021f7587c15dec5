"""Siskeudes reports as villages really save them (issue #19): every layout quirk, XLSX and its CSV twin,
every subtotal checked, Hypothesis budgets in each shape."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from papan_desa.apbdes.importer import main_import, prepare_import
from papan_desa.apbdes.reference import level, reference
from papan_desa.problems import Problems
from tests.apbdes_reports import (SHAPES, STATUS, Line, expected_csv, layout, sample_budget, write_csv,
                                  write_xlsx)


def _import(src, tmp_path, name="out"):
    out = tmp_path / name / "apbdes" / "2025.csv"
    p = Problems()
    from papan_desa.apbdes.importer import import_file
    imp = import_file(src, out, p)
    return imp, out, p


@pytest.mark.parametrize("shape", SHAPES)
def test_xlsx_and_its_semicolon_cp1252_twin_give_the_same_file(tmp_path, shape):
    lines = sample_budget()
    report = layout(lines, shape)
    x = write_xlsx(report, tmp_path / f"{shape}.xlsx")
    c = write_csv(report, tmp_path / f"{shape}.csv")
    raw = c.read_bytes()
    assert b"\r\n" in raw and b";Rp. " in raw and b",-;" in raw and "Jalan Desa – Dusun".encode("cp1252") in raw
    ix, ox, px = _import(x, tmp_path, "x")
    ic, oc, pc = _import(c, tmp_path, "c")
    assert ix is not None and ic is not None, [str(e) for e in px.errors + pc.errors]
    assert ox.read_bytes() == oc.read_bytes()
    assert ox.read_text() == expected_csv(lines, shape)
    assert ix.status == STATUS[shape] and ix.tahun == 2025
    # every printed figure was checked: subtotals, JUMLAH rows and the difference columns
    assert ix.checked >= 40
    # the repeated rekening: both rows, in report order, each with its own amount
    assert ox.read_text().count("5.1.2.01,01.01.02,Penghasilan Tetap Perangkat Desa,") == 2
    # repeated line is named with the report's rows in a warning, not refused
    (w,) = [w for w in px.warnings if "tertulis 2 kali" in w.message]
    assert w.message.startswith("kode 5.1.2.01 kegiatan 01.01.02 "
                                "'Penghasilan Tetap Perangkat Desa' tertulis 2 kali (baris ")
    rows = [int(n) for n in w.message.split("(baris ")[1].split(")")[0].split(" dan ")]
    printed = [i + 1 for i, r in enumerate(report.rows) if r[0] == "5.1.2.01. [01.01.02]"]
    assert rows == printed


def test_printed_totals_are_the_plan_totals(tmp_path):
    lines = sample_budget()
    x = write_xlsx(layout(lines, "penjabaran"), tmp_path / "p.xlsx")
    p = Problems()
    plan = prepare_import(x, p, nama_desa="Jogoyitnan", kode_desa="33.07.01.2005")
    assert plan is not None, [str(e) for e in p.errors]
    t = {code: amount for code, _label, amount in plan.totals}
    pend = sum((ln.anggaran for ln in lines if ln.kode.startswith("4")), Decimal(0))
    bel = sum((ln.anggaran for ln in lines if ln.kode.startswith("5")), Decimal(0))
    assert t["pendapatan"] == pend == Decimal("1679071500")
    assert t["belanja"] == bel
    assert t["pembiayaan_netto"] == Decimal("15000000")
    assert t["silpa"] == pend - bel + Decimal("15000000")
    assert t["02"] == Decimal("339600000")          # bidang 02: jalan 291,6 jt + PMT 48 jt
    assert plan.lines == len(lines) and plan.files["apbdes/kegiatan.csv"].decode().startswith("kode,nama\n")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("row", ["01.01.02", "01", "02.03"])
def test_a_subtotal_off_by_one_rupiah_is_refused_naming_its_row(tmp_path, shape, kind, row):
    report = layout(sample_budget(), shape, off_by=(row, 1))
    src = (write_xlsx if kind == "xlsx" else write_csv)(report, tmp_path / f"r.{kind}")
    out = tmp_path / "apbdes" / "2025.csv"
    p = Problems()
    from papan_desa.apbdes.importer import import_file
    assert import_file(src, out, p) is None
    assert not out.parent.exists()
    line = next(i + 1 for i, r in enumerate(report.rows) if r[0] == row)
    first = p.errors[0]
    assert first.line == line and first.message.startswith(f"baris jumlah {row} \"")
    assert "tidak sama dengan jumlah rinciannya: di laporan Rp " in first.message and "(selisih Rp 1)" in first.message


def test_layout_quirks_one_by_one(tmp_path):
    """Without the spacer column, on one long page, labels with codes inside ('4. PENDAPATAN')."""
    lines = sample_budget()
    for kw in ({"spacer": False}, {"page_rows": 1000}, {"page_rows": 3}):
        report = layout(lines, "lra", **kw)
        imp, out, p = _import(write_xlsx(report, tmp_path / "q.xlsx"), tmp_path, str(len(kw)) + str(kw))
        assert imp is not None, (kw, [str(e) for e in p.errors])
        assert out.read_text() == expected_csv(lines, "lra")
    # section rows written as one cell "4. PENDAPATAN", codes without trailing dots
    report = layout(lines, "penjabaran", spacer=False)
    for r in report.rows:
        if r[0] in ("4.", "5.", "6."):
            r[0], r[1] = f"{r[0]} {r[1]}", None
        elif isinstance(r[0], str) and r[0][:1] in "456" and r[0].endswith("."):
            r[0] = r[0].rstrip(".")
    imp, out, p = _import(write_csv(report, tmp_path / "s.csv", encoding="utf-8-sig", delimiter=",", newline="\n"),
                          tmp_path, "s")
    assert imp is not None, [str(e) for e in p.errors]
    assert out.read_text() == expected_csv(lines, "penjabaran")


def test_kegiatan_and_rekening_in_two_columns(tmp_path):
    lines = sample_budget()
    report = layout(lines, "penjabaran", spacer=True)
    for r in report.rows:
        if isinstance(r[0], str) and "[" in r[0]:
            kode, keg = r[0].split(" [")
            r[0], r[1] = keg.rstrip("]"), kode
    imp, out, p = _import(write_xlsx(report, tmp_path / "two.xlsx"), tmp_path)
    assert imp is not None, [str(e) for e in p.errors]
    assert out.read_text() == expected_csv(lines, "penjabaran")


def test_report_of_another_village_or_year_is_refused_and_nothing_written(tmp_path):
    x = write_xlsx(layout(sample_budget(), "penjabaran", desa="KALIBEBER"), tmp_path / "p.xlsx")
    p = Problems()
    assert prepare_import(x, p, nama_desa="Jogoyitnan") is None
    assert p.errors[0].message.startswith('laporan ini milik desa "Kalibeber", bukan desa Jogoyitnan')
    p = Problems()
    assert prepare_import(x, p, tahun=2026) is None and "tahun anggaran 2025, bukan 2026" in p.errors[0].message


def test_lra_where_a_penjabaran_is_published_is_listed_as_changes(tmp_path):
    village = tmp_path / "desa"
    (village / "apbdes").mkdir(parents=True)
    lines = sample_budget()
    x = write_xlsx(layout(lines, "penjabaran"), tmp_path / "p.xlsx")
    assert main_import([str(x), "-o", str(village / "apbdes" / "2025.csv")]) == 0
    lra = write_xlsx(layout(lines, "lra"), tmp_path / "l.xlsx")
    p = Problems()
    plan = prepare_import(lra, p, village_dir=village)
    assert plan is not None and plan.status == "Realisasi Semester I"
    assert len(plan.changed) == len(lines) and not plan.added and not plan.removed
    assert "realisasi Rp 626.804.400" in " ".join(plan.changed)


# --- Hypothesis: random valid budgets in every shape import to the same totals ---------------------

_REF = reference()
_PEND = sorted(k for k in _REF.akun if level(k) == 4 and k.startswith("4"))
_BEL = sorted(k for k in _REF.akun if level(k) == 4 and k.startswith("5"))
_KEG = sorted({k for k in _REF.bidang if level(k) == 3} | {"02.03.10", "03.01.02", "04.02.01", "05.03.01"})
_SEN = st.integers(min_value=0, max_value=2_000_000_000_00).map(lambda n: Decimal(n) / 100)


@st.composite
def budgets(draw):
    lines = []
    for kode in draw(st.lists(st.sampled_from(_PEND), min_size=1, max_size=6, unique=True)):
        a, p, r = draw(_SEN), draw(_SEN), draw(_SEN)
        lines.append(Line(kode, "", _REF.akun[kode], a, p, r, "DDS"))
    for _ in range(draw(st.integers(1, 8))):
        kode, keg = draw(st.sampled_from(_BEL)), draw(st.sampled_from(_KEG))
        a, p, r = draw(_SEN), draw(_SEN), draw(_SEN)
        lines.append(Line(kode, keg, _REF.akun[kode], a, p, r, "ADD"))
    if draw(st.booleans()):
        lines.append(Line("6.1.1.01", "", "SiLPA Tahun Sebelumnya", draw(_SEN), draw(_SEN), draw(_SEN), "SILPA"))
    return lines


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=budgets(), shape=st.sampled_from(SHAPES), page_rows=st.integers(2, 30), spacer=st.booleans())
def test_property_random_budgets_in_every_shape_import_to_their_totals(tmp_path_factory, lines, shape, page_rows,
                                                                         spacer):
    tmp = tmp_path_factory.mktemp("h")
    report = layout(lines, shape, page_rows=page_rows, spacer=spacer)
    outs = []
    for src in (write_xlsx(report, tmp / "r.xlsx"), write_csv(report, tmp / "r.csv")):
        p = Problems()
        plan = prepare_import(src, p)
        assert plan is not None, [str(e) for e in p.errors]
        col = {"penjabaran": "anggaran", "perubahan": "perubahan", "lra": "anggaran"}[shape]
        t = {code: amount for code, _l, amount in plan.totals}
        assert t["pendapatan"] == sum((ln.amount(col) for ln in lines if ln.kode.startswith("4")), Decimal(0))
        assert t["belanja"] == sum((ln.amount(col) for ln in lines if ln.kode.startswith("5")), Decimal(0))
        outs.append(plan.files["apbdes/2025.csv"])
    assert outs[0] == outs[1] == expected_csv(lines, shape).encode()


def test_section_rows_without_codes_numbered_1_2_3(tmp_path):
    """Some exports number the sections '1. PENDAPATAN', '2. BELANJA' instead of printing 4./5./6."""
    lines = sample_budget()
    report = layout(lines, "penjabaran", spacer=False)
    numbering = {"4.": "1.", "5.": "2.", "6.": "3."}
    for r in report.rows:
        if r[0] in numbering:
            r[0] = numbering[r[0]]
    imp, out, p = _import(write_xlsx(report, tmp_path / "n.xlsx"), tmp_path)
    assert imp is not None, [str(e) for e in p.errors]
    assert out.read_text() == expected_csv(lines, "penjabaran")
    report.rows[next(i for i, r in enumerate(report.rows) if r[0] == "2.")][2] += 5
    imp, out, p = _import(write_xlsx(report, tmp_path / "m.xlsx"), tmp_path, "m")
    assert imp is None and p.errors[0].message.startswith('baris jumlah 5 "BELANJA" tidak sama')


def test_codes_split_over_columns_as_some_exports_print_them(tmp_path):
    """'4 | 1 | 2 | 07' in four columns, Excel having dropped a leading zero ('4 | 2 | 1 | 1')."""
    rows = [
        ["PEMERINTAH DESA JOGOYITNAN"], ["PENJABARAN APBDES TAHUN ANGGARAN 2025"],
        ["KODE REKENING", None, None, None, "URAIAN", "ANGGARAN"],
        ["4", None, None, None, "PENDAPATAN", 810000],
        ["4", "1", None, None, "Pendapatan Asli Desa", 10000],
        ["4", "1", "2", "07", "Hasil Kios Milik Desa", 10000],
        ["4", "2", "1", "1", "Dana Desa", 800000],
        ["JUMLAH PENDAPATAN", None, None, None, None, 810000],
        ["01", "01", "02", None, "Penyediaan Penghasilan Tetap Perangkat Desa", 500],
        ["5.1.2.01. [01.01.02]", None, None, None, "Penghasilan Tetap Perangkat Desa", 500],
        ["JUMLAH BELANJA", None, None, None, None, 500],
    ]
    import openpyxl
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(tmp_path / "pecah.xlsx")
    imp, out, p = _import(tmp_path / "pecah.xlsx", tmp_path)
    assert imp is not None, [str(e) for e in p.errors]
    assert out.read_text().splitlines()[1:] == [
        "4.1.2.07,,Hasil Kios Milik Desa,10000,,,", "4.2.1.01,,Dana Desa,800000,,,",
        "5.1.2.01,01.01.02,Penghasilan Tetap Perangkat Desa,500,,,"]
