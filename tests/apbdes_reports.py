"""Siskeudes-shaped reports made in code, for the importer's tests and the bench.

A budget (a list of :class:`Line`) is laid out as Siskeudes prints it: title block, a header (two rows
for the Perubahan), the column-number row, subtotal rows for akun (4., 4.1., 4.1.2.) and for bidang,
sub bidang and kegiatan above their lines, JUMLAH/SURPLUS/NETTO/SiLPA rows whose label sits in the KODE
column (merged across KODE and URAIAN in the XLSX), a spacer column, the header repeated after every
page break under a "Printed by Siskeudes … Halaman N" footer, and a signature block below. The same
rows are written as XLSX (numbers, merged cells) and as the CSV Excel saves (``;``, CRLF, cp1252,
amounts as Indonesian text). No real village's file: the numbers are made up and add up by construction.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from papan_desa.apbdes.reference import ancestors, reference

SHAPES = ("penjabaran", "perubahan", "lra")
TITLE = {
    "penjabaran": "PENJABARAN APBDES TAHUN ANGGARAN {tahun}",
    "perubahan": "PENJABARAN PERUBAHAN APBDES TAHUN ANGGARAN {tahun}",
    "lra": "LAPORAN REALISASI PELAKSANAAN APBDES SEMESTER I TAHUN ANGGARAN {tahun}",
}
STATUS = {"penjabaran": "APBDes", "perubahan": "APBDes Perubahan", "lra": "Realisasi Semester I"}


@dataclass
class Line:
    kode: str
    kegiatan: str
    uraian: str
    anggaran: Decimal
    perubahan: Decimal
    realisasi: Decimal
    sumber_dana: str = ""

    def amount(self, col: str) -> Decimal:
        return getattr(self, col)


def sample_budget() -> list[Line]:
    """A Wonosobo-sized budget (about Rp 1,9 miliar) with one rekening printed twice under a kegiatan."""
    D = Decimal
    rows = [
        ("4.1.1.01", "", "Bagi Hasil BUM Desa", "15000000", "15000000", "7500000", "PAD"),
        ("4.1.2.07", "", "Hasil Kios Milik Desa", "10000000", "12500000", "5000000", "PAD"),
        ("4.2.1.01", "", "Dana Desa", "1044674000", "1044674000", "626804400", "DDS"),
        ("4.2.2.01", "", "Bagi Hasil Pajak dan Retribusi Daerah Kabupaten/Kota", "61234500", "61234500", "30617250", "PBH"),
        ("4.2.3.01", "", "Alokasi Dana Desa", "548013000", "548013000", "274006500", "ADD"),
        ("4.3.6.01", "", "Bunga Bank", "150000", "150000", "312456.78", "DLL"),
        ("5.1.1.01", "01.01.01", "Penghasilan Tetap Kepala Desa", "52200000", "52200000", "26100000", "ADD"),
        ("5.1.1.02", "01.01.01", "Tunjangan Kepala Desa", "6000000", "6000000", "3000000", "ADD"),
        ("5.1.2.01", "01.01.02", "Penghasilan Tetap Perangkat Desa", "297825000", "290700000", "145350000", "ADD"),
        ("5.1.2.01", "01.01.02", "Penghasilan Tetap Perangkat Desa", "25800000", "25200000", "12600000", "ADD"),
        ("5.2.5.01", "01.01.04", "Belanja Alat Tulis Kantor", "12500000", "13250000", "6125000", "ADD"),
        ("5.1.4.01", "01.01.03", "Tunjangan BPD", "36000000", "36000000", "18000000", "ADD"),
        ("5.3.5.01", "02.03.10", "Belanja Modal Jalan Desa – Dusun Krajan", "291600000", "311600000", "0", "DDS"),
        ("5.2.7.01", "02.02.01", "Belanja Pemberian Makanan Tambahan", "48000000", "48000000", "24000000.50", "DDS"),
        ("5.2.2.01", "03.01.02", "Honorarium Linmas", "18000000", "18000000", "9000000", "ADD"),
        ("5.2.7.01", "04.02.01", "Bantuan Bibit Ketahanan Pangan", "208934800", "208934800", "104467400", "DDS"),
        ("5.4.1.01", "05.03.01", "BLT Dana Desa", "156701100", "156701100", "78350550", "DDS"),
        ("6.1.1.01", "", "SiLPA Tahun Sebelumnya", "25000000", "25000000", "25000000", "SILPA"),
        ("6.2.2.01", "", "Penyertaan Modal Desa", "10000000", "10000000", "0", "DDS"),
    ]
    return [Line(k, g, u, D(a), D(p), D(r), s) for k, g, u, a, p, r, s in rows]


def columns(shape: str) -> list[str]:
    return {"penjabaran": ["anggaran"], "perubahan": ["anggaran", "perubahan", "selisih"],
            "lra": ["anggaran", "realisasi", "lebih_kurang", "persen"]}[shape]


def _value(totals: dict[str, Decimal], col: str):
    if col == "selisih":
        return totals["perubahan"] - totals["anggaran"]
    if col == "lebih_kurang":
        return totals["anggaran"] - totals["realisasi"]
    if col == "persen":
        a = totals["anggaran"]
        return (totals["realisasi"] * 100 / a).quantize(Decimal("0.01")) if a else Decimal(0)
    return totals[col]


def _sum(lines: list[Line]) -> dict[str, Decimal]:
    return {c: sum((ln.amount(c) for ln in lines), Decimal(0)) for c in ("anggaran", "perubahan", "realisasi")}


def _names() -> dict[str, str]:
    ref = reference()
    return {**ref.akun, **ref.bidang}


@dataclass
class Report:
    rows: list[list]              # cells: str, Decimal (amount) or None
    merges: list[tuple[int, int, int]]   # (row index, first column, last column), 0-based
    amount_cols: set[int]
    shape: str


def layout(lines: list[Line], shape: str, *, desa: str = "JOGOYITNAN", tahun: int = 2025, page_rows: int = 18,
           spacer: bool = True, off_by: tuple[str, int] | None = None) -> Report:
    """The printed report. ``off_by=("01.01.02", 1)`` prints that subtotal Rp 1 too high."""
    names = _names()
    amt = columns(shape)
    lead = ["KODE REKENING", None] if spacer else ["KODE REKENING"]
    ncols = len(lead) + 1 + len(amt) + (1 if shape == "penjabaran" else 0)
    kode_col, uraian_col, first_amt = 0, len(lead), len(lead) + 1
    heads = {"anggaran": "ANGGARAN (Rp)", "perubahan": "SETELAH PERUBAHAN", "selisih": "BERTAMBAH/(BERKURANG)",
             "realisasi": "REALISASI (Rp)", "lebih_kurang": "LEBIH/(KURANG)", "persen": "%"}
    if shape == "perubahan":
        heads["anggaran"] = "SEBELUM PERUBAHAN"
    rows: list[list] = []
    merges: list[tuple[int, int, int]] = []

    def blank() -> list:
        return [None] * ncols

    def title(text: str):
        r = blank()
        r[0] = text
        merges.append((len(rows), 0, ncols - 1))
        rows.append(r)

    def header():
        if shape == "perubahan":
            top = blank()
            top[kode_col], top[uraian_col], top[first_amt] = "KODE REKENING", "URAIAN", "ANGGARAN (Rp)"
            merges.append((len(rows), first_amt, first_amt + 1))
            if spacer:
                merges.append((len(rows), 0, 1))
            top[first_amt + 2] = "BERTAMBAH/(BERKURANG)"
            rows.append(top)
            sub = blank()
            sub[first_amt], sub[first_amt + 1] = "SEBELUM PERUBAHAN", "SETELAH PERUBAHAN"
            rows.append(sub)
        else:
            h = blank()
            h[kode_col], h[uraian_col] = "KODE REKENING", "URAIAN"
            if spacer:
                merges.append((len(rows), 0, 1))
            for i, c in enumerate(amt):
                h[first_amt + i] = heads[c]
            if shape == "penjabaran":
                h[-1] = "SUMBER DANA"
            rows.append(h)
        nums = blank()
        n = 1
        for i in range(ncols):
            if spacer and i == 1:
                continue
            nums[i] = str(n)
            n += 1
        rows.append(nums)

    body: list[tuple[list, bool]] = []     # (cells, is a label row merged over KODE..URAIAN)

    def row(code: str, text: str, totals: dict[str, Decimal], sumber: str = "", label: bool = False):
        r = blank()
        if label:
            r[kode_col] = text
        else:
            r[kode_col], r[uraian_col] = code, text
        for i, c in enumerate(amt):
            r[first_amt + i] = _value(totals, c)
        if shape == "penjabaran":
            r[-1] = sumber
        body.append((r, label))

    def akun_part(part_lines: list[Line], top: str, top_name: str):
        row(top + ".", top_name, _sum(part_lines))
        done: set[str] = set()
        for ln in part_lines:
            for a in ancestors(ln.kode)[1:-1]:
                if a not in done:
                    done.add(a)
                    row(a + ".", names.get(a, a), _sum([x for x in part_lines if x.kode.startswith(a + ".")]))
            row(ln.kode + ".", ln.uraian, _sum([ln]), ln.sumber_dana)

    pend = sorted([ln for ln in lines if ln.kode.startswith("4")], key=lambda ln: ln.kode)
    bel = sorted([ln for ln in lines if ln.kode.startswith("5")], key=lambda ln: ln.kegiatan)
    terima = [ln for ln in lines if ln.kode.startswith("6.1")]
    keluar = [ln for ln in lines if ln.kode.startswith("6.2")]
    akun_part(pend, "4", "PENDAPATAN")
    p = _sum(pend)
    row("", "JUMLAH PENDAPATAN", p, label=True)
    b = _sum(bel)
    row("5.", "BELANJA", b)
    done: set[str] = set()
    for ln in bel:
        for g in ancestors(ln.kegiatan):
            if g not in done:
                done.add(g)
                t = _sum([x for x in bel if x.kegiatan == g or x.kegiatan.startswith(g + ".")])
                if off_by and off_by[0] == g:
                    t = {k: v + off_by[1] for k, v in t.items()}
                row(g, names.get(g, f"Kegiatan {g}"), t)
        row(f"{ln.kode}. [{ln.kegiatan}]", ln.uraian, _sum([ln]), ln.sumber_dana)
    row("", "JUMLAH BELANJA", b, label=True)
    surplus = {k: p[k] - b[k] for k in p}
    row("", "SURPLUS / (DEFISIT)", surplus, label=True)
    if terima or keluar:
        akun_part(terima + keluar, "6", "PEMBIAYAAN")
        t, k = _sum(terima), _sum(keluar)
        netto = {c: t[c] - k[c] for c in t}
        row("", "PEMBIAYAAN NETTO", netto, label=True)
        row("", "SILPA TAHUN BERJALAN", {c: surplus[c] + netto[c] for c in t}, label=True)

    title("PEMERINTAH KABUPATEN WONOSOBO")
    title(f"PEMERINTAH DESA {desa}")
    title("KECAMATAN WONOSOBO")
    title(TITLE[shape].format(tahun=tahun))
    rows.append(blank())
    header()
    page = 1
    for i, (cells, label) in enumerate(body):
        if i and i % page_rows == 0:
            foot = blank()
            foot[0] = f"Printed by Siskeudes v2.0.6 - 03/12/{tahun}"
            foot[first_amt] = f"Halaman {page}"
            rows.append(foot)
            rows.append(blank())
            page += 1
            header()
        if label:
            merges.append((len(rows), kode_col, uraian_col))
        rows.append(cells)
    rows.append(blank())
    sign = blank()
    sign[first_amt] = f"{desa.title()}, 15 Januari {tahun}"
    rows.append(sign)
    for text in (f"KEPALA DESA {desa}", "", "( ........................................ )"):
        r = blank()
        r[first_amt] = text or None
        rows.append(r)
    return Report(rows, merges, set(range(first_amt, first_amt + len(amt))), shape)


# --- writers ---------------------------------------------------------------------------------------

def _excel_number(v: Decimal):
    return int(v) if v == v.to_integral_value() else float(v)


def write_xlsx(report: Report, dest: Path) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Penjabaran"
    for cells in report.rows:
        ws.append([_excel_number(c) if isinstance(c, Decimal) else c for c in cells])
    for r, c1, c2 in report.merges:
        if c2 > c1:
            ws.merge_cells(start_row=r + 1, start_column=c1 + 1, end_row=r + 1, end_column=c2 + 1)
    wb.save(dest)
    return dest


def indonesian(v: Decimal, style: int = 0) -> str:
    """Amount text in the shapes printed reports use (cycled by ``style``)."""
    neg = v < 0
    a = abs(v).quantize(Decimal("0.01"))
    whole = f"{int(a):,}".replace(",", ".")
    cents = int((a - int(a)) * 100)
    if style % 3 == 0:
        text = whole + f",{cents:02d}"
    elif style % 3 == 1:
        text = whole + (f",{cents:02d}" if cents else "")
    else:
        text = "Rp. " + whole + (f",{cents:02d}" if cents else ",-")
    return f"({text})" if neg else text


def csv_bytes(report: Report, encoding: str = "cp1252", delimiter: str = ";", newline: str = "\r\n") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    for i, cells in enumerate(report.rows):
        out = []
        for c in cells:
            if isinstance(c, Decimal):
                out.append(indonesian(c, i))
            else:
                out.append("" if c is None else str(c))
        w.writerow(out)
    return buf.getvalue().encode(encoding)


def write_csv(report: Report, dest: Path, **kw) -> Path:
    dest.write_bytes(csv_bytes(report, **kw))
    return dest


def expected_csv(lines: list[Line], shape: str) -> str:
    """The canonical apbdes/<tahun>.csv the importer must write for this budget and shape."""
    from papan_desa.apbdes.numbers import plain
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kode", "kegiatan", "uraian", "anggaran", "perubahan", "realisasi", "sumber_dana"])
    pend = sorted([ln for ln in lines if ln.kode.startswith("4")], key=lambda ln: ln.kode)
    bel = sorted([ln for ln in lines if ln.kode.startswith("5")], key=lambda ln: ln.kegiatan)
    rest = [ln for ln in lines if ln.kode.startswith("6.1")] + [ln for ln in lines if ln.kode.startswith("6.2")]
    for ln in pend + bel + rest:
        per = plain(ln.perubahan) if shape == "perubahan" else ""
        real = plain(ln.realisasi) if shape == "lra" else ""
        sd = ln.sumber_dana if shape == "penjabaran" else ""
        w.writerow([ln.kode, ln.kegiatan, ln.uraian, plain(ln.anggaran), per, real, sd])
    return buf.getvalue()
