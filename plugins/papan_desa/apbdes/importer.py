"""Import what villages already have into the canonical ``apbdes/<tahun>.csv``.

* Siskeudes reports as villages save them (Penjabaran APBDes, APBDes Perubahan,
  Laporan Realisasi; XLSX or CSV): title rows, a header row, subtotal rows for
  akun/kelompok/jenis and bidang/sub bidang/kegiatan, ``JUMLAH …`` rows, ``Rp``
  amounts and ``5.1.1.01. [01.01.01]`` codes. Every subtotal, JUMLAH, SURPLUS,
  PEMBIAYAAN NETTO, SiLPA, Bertambah/(Berkurang) and Lebih/(Kurang) figure in the
  report is checked against the sum of its lines before anything is written.
* OpenSID's manual budget table export (``Tahun, Kd_Akun, Kd_Rincian, Kd_Keg,
  Nilai_Anggaran, Nilai_Realisasi``).

The output is only written when it loads cleanly with :func:`load.load_year`.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..csvfile import limits, read_csv
from ..guard import batas
from ..problems import Problem, Problems, expected_found
from ..xlsxfile import read_xlsx, refuse_kind, sniff
from .load import COLUMNS, _load_lines, load_kegiatan_names, load_year, split_combined
from .model import STATUS_APBDES, STATUS_PERUBAHAN, STATUS_SEMESTER, STATUS_TAHUNAN
from .numbers import AmountError, format_rupiah, from_cell, plain
from .reference import AKUN_RE, KEGIATAN_RE, ancestors, clean_code, level, reference

AMOUNTS = ("anggaran", "perubahan", "realisasi", "selisih", "lebih_kurang")


@dataclass
class Row:
    line: int
    kind: str                   # akun, kegiatan, belanja, jumlah, rincian
    kode: str = ""
    kegiatan: str = ""
    uraian: str = ""
    values: dict[str, Decimal | None] = field(default_factory=dict)
    sumber_dana: str = ""
    jumlah: str = ""            # for kind == "jumlah": the ringkasan key

    def key(self) -> tuple[str, str]:
        return (self.kode, self.kegiatan)

    @property
    def shown(self) -> str:
        if self.kode and self.kegiatan:
            return f"{self.kode} [{self.kegiatan}]"
        return self.kode or self.kegiatan or self.uraian


@dataclass
class Imported:
    tahun: int | None
    status: str
    lines: list[Row]
    kegiatan_names: dict[str, str]
    columns: tuple[str, ...]     # which of anggaran/perubahan/realisasi the source has
    checked: int = 0             # how many report figures were checked


# --- reading cells -------------------------------------------------------------

def read_cells(path: Path, problems: Problems, lim: dict | None = None) -> list[tuple[int, list]] | None:
    """Rows of cells with their row numbers, from XLSX (first sheet with data) or CSV, within the limits.

    The file's kind is read from its content, not its name: a PDF, an ``.xls``, a password-protected
    workbook or a file whose name lies is refused with what to do instead.
    """
    lm = limits(lim)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        problems.error(path, 0, 0, f"berkas tidak dapat dibaca ({exc.strerror})")
        return None
    kind = sniff(head)
    ext = path.suffix.lower()
    spreadsheet = ext in (".xlsx", ".xlsm", ".xls", ".ods")
    if kind == "zip":
        if ext not in (".xlsx", ".xlsm", ".ods"):
            problems.error(path, 0, 0, f"berkas bernama {ext or '(tanpa akhiran)'} tetapi isinya buku kerja "
                           "Excel (.xlsx); ganti akhiran nama berkasnya menjadi .xlsx lalu unggah lagi")
            return None
        if size > lm["xlsx"]:
            problems.error(path, 0, 0, "berkas XLSX terlalu besar; " + expected_found(
                f"paling besar {lm['xlsx'] // (1024 * 1024)} MB", f"{size // (1024 * 1024)} MB")
                + "; simpan laporan APBDes saja")
            return None
        return read_xlsx(path, problems, lm)
    if kind != "text":
        refuse_kind(path, kind, problems)
        return None
    if spreadsheet:
        problems.error(path, 0, 0, f"berkas {ext} ini rusak atau bukan buku kerja Excel (isinya teks biasa); "
                       "bila isinya CSV, ganti akhiran nama berkasnya menjadi .csv, bila tidak, ekspor ulang "
                       "laporannya dari Siskeudes")
        return None
    return read_csv(path, problems, lim=lm)


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.upper()).strip()


# --- Siskeudes report ----------------------------------------------------------------

def _header_role(text: str) -> str | None:
    t = _norm(text)
    if not t:
        return None
    if "KODE" in t:
        return "kode"
    if "URAIAN" in t:
        return "uraian"
    if "SUMBER" in t:
        return "sumber_dana"
    if "LEBIH" in t:
        return "lebih_kurang"
    if "BERTAMBAH" in t or "SELISIH" in t:
        return "selisih"
    if "%" in t or "PERSEN" in t:
        return "persen"
    if ("SETELAH" in t or "SESUDAH" in t or "STLH" in t) and "PERUBAHAN" in t:
        return "perubahan"
    if "REALISASI" in t:
        return "realisasi"
    if "ANGGARAN" in t or "SEBELUM" in t or "AWAL" in t or t.startswith("JUMLAH"):
        return "anggaran"
    return None


_JUMLAH = (
    (re.compile(r"JUMLAH PENDAPATAN"), "pendapatan"),
    (re.compile(r"JUMLAH BELANJA"), "belanja"),
    (re.compile(r"SURPLUS|DEFISIT"), "surplus_defisit"),
    (re.compile(r"PENERIMAAN PEMBIAYAAN"), "penerimaan_pembiayaan"),
    (re.compile(r"PENGELUARAN PEMBIAYAAN"), "pengeluaran_pembiayaan"),
    (re.compile(r"PEMBIAYAAN NET|JUMLAH PEMBIAYAAN"), "pembiayaan_netto"),
    (re.compile(r"SILPA|SISA LEBIH"), "silpa"),
)


_CODE_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)*\.?(?:\s*\[\s*[0-9.]+\s*\])?)\s+(\D.*)$")   # "4. PENDAPATAN"
_FOOTER = re.compile(r"PRINTED BY|DICETAK (?:OLEH|TANGGAL|PADA|DENGAN)|\bHALAMAN\s*:?\s*\d+|^HAL\.?\s*:?\s*\d+")


def title_year(title: str) -> int | None:
    """The fiscal year a title block names: "TAHUN ANGGARAN 2025" first (a Perdes "NOMOR 5 TAHUN 2024" in a
    LAMPIRAN line is not the budget's year), else "TAHUN 2025"."""
    m = re.search(r"TAHUN\s+ANGGARAN\s*:?\s*(20\d\d)", title) or re.search(r"\bTAHUN\s*:?\s*(20\d\d)", title)
    return int(m.group(1)) if m else None


_SECTION = {"PENDAPATAN": "4", "BELANJA": "5", "PEMBIAYAAN": "6", "PENERIMAAN PEMBIAYAAN": "6.1",
            "PENGELUARAN PEMBIAYAAN": "6.2", "PEMBIAYAAN DESA": "6", "PENDAPATAN DESA": "4", "BELANJA DESA": "5"}


def _is_header_row(texts: list[str]) -> bool:
    return any(t.startswith("KODE") for t in texts) and any("URAIAN" in t for t in texts)


def _find_header(cells: list[tuple[int, list]]) -> int | None:
    for idx, (_lineno, row) in enumerate(cells):
        if _is_header_row([_norm(_text(c)) for c in row]):
            return idx
    return None


def _join_split_code(labels: list[str]) -> list[str]:
    """A code printed over several columns ('4 | 1 | 2 | 01', '01 | 01 | 02') becomes one code; Excel may have
    dropped the leading zero of a part ('4 | 1 | 2 | 7' is 4.1.2.07)."""
    run: list[str] = []
    for t in labels:
        if len(run) < 4 and re.fullmatch(r"\d{1,2}\.?", t):
            run.append(t.rstrip("."))
        else:
            break
    if len(run) < 2:
        return labels
    if len(run[0]) == 1 and run[0] in "456":
        parts = run[:3] + [p.zfill(2) for p in run[3:]]
    else:
        parts = [p.zfill(2) for p in run]
    return [".".join(parts)] + labels[len(run):]


def _split_label(text: str) -> tuple[str, str] | None:
    """A label cell -> (code, rest) when it starts with a code: '4. PENDAPATAN', '5.1.2.01. [01.01.02] Honor'."""
    if _is_code(text):
        return text, ""
    m = _CODE_TEXT.match(text)
    if m and _is_code(m.group(1)):
        return m.group(1), m.group(2).strip()
    return None


def parse_siskeudes(path: Path, cells: list[tuple[int, list]], problems: Problems,
                    tahun: int | None = None) -> Imported | None:
    """A Siskeudes report as exported or printed: title block, header (repeated on every page), subtotal
    rows, labels in any of the first columns (merged cells keep their text in the first one), spacer
    columns, page footers and a signature block below."""
    before = len(problems.errors)
    header_at = _find_header(cells)
    title = " ".join(" ".join(_norm(_text(c)) for c in row if _text(c)) for _n, row in cells[:header_at or 0])
    if header_at is None:
        problems.error(path, 1, 1, "baris judul tabel laporan tidak ditemukan; "
                       "diharapkan baris dengan kolom KODE dan URAIAN (cetakan Siskeudes)")
        return None
    head_line, head = cells[header_at]
    heads = [_text(c) for c in head]
    body_start = header_at + 1
    # A second header row (e.g. ANGGARAN over SEBELUM | SETELAH PERUBAHAN) holds text and no codes.
    second: list[str] = []
    if body_start < len(cells):
        nxt = [_text(c) for c in cells[body_start][1]]
        if any(re.search(r"[A-Za-z]", t) for t in nxt) and not any(_split_label(t) for t in nxt if t):
            second = [_norm(t) for t in nxt]
            # A parent header merged over two columns keeps its text in the first: carry it right.
            carried, last = [], ""
            for i in range(max(len(heads), len(nxt))):
                h = heads[i] if i < len(heads) else ""
                last = h or (last if i < len(nxt) and nxt[i] else "")
                carried.append(h or last)
            heads = [carried[i] + " " + (nxt[i] if i < len(nxt) else "") for i in range(len(carried))]
            body_start += 1
    cols: dict[str, int] = {}
    for i, h in enumerate(heads):
        role = _header_role(h)
        if role and role not in cols:
            cols[role] = i
    if "kode" not in cols or "uraian" not in cols or "anggaran" not in cols:
        problems.error(path, head_line, 1, "kolom laporan tidak lengkap; diharapkan KODE, URAIAN dan ANGGARAN, "
                       f'ditemukan "{" | ".join(h.strip() for h in heads if h.strip())}"')
        return None
    if tahun is None:
        tahun = title_year(title)
    if "realisasi" in cols:
        status = STATUS_SEMESTER if "SEMESTER" in title else STATUS_TAHUNAN
    elif "perubahan" in cols:
        status = STATUS_PERUBAHAN
    else:
        status = STATUS_APBDES
    first_amount = min(cols[r] for r in AMOUNTS + ("persen",) if r in cols)
    label_cols = [i for i in range(first_amount) if i != cols.get("sumber_dana")]

    rows: list[Row] = []
    for lineno, row in cells[body_start:]:
        def cell(role):
            i = cols.get(role)
            return row[i] if i is not None and i < len(row) else None
        texts = [_text(c) for c in row]
        if not any(texts):
            continue
        normed = [_norm(t) for t in texts]
        if _is_header_row(normed) or (second and [t for t in normed if t] == [t for t in second if t]):
            continue  # the header printed again at the top of a page
        if all(re.fullmatch(r"\d{1,2}", t) for t in texts if t) and len([t for t in texts if t]) >= 3:
            continue  # the column numbering row "1 2 3 4"
        labels = _join_split_code([texts[i] for i in label_cols if i < len(texts) and texts[i]])
        codes: list[str] = []
        words: list[str] = []
        for t in labels:
            got = _split_label(t) if len(codes) < 2 else None
            if got:
                codes.append(got[0])
                if got[1]:
                    words.append(got[1])
            else:
                words.append(t)
        uraian_cell = _text(cell("uraian"))
        uraian = uraian_cell if uraian_cell and not _split_label(uraian_cell) else " ".join(words)
        joined = " ".join(normed)
        if not codes and _FOOTER.search(joined):
            continue  # "Printed by Siskeudes … Halaman 1", "Dicetak tanggal …"
        if not codes:
            section = _SECTION.get(re.sub(r"^(?:[0-9]{1,2}|[A-H])[.)]?\s+", "", _norm(" ".join(words))))
            if section:
                codes = [section]   # "PENDAPATAN", "2. BELANJA": a section row without its code
        jumlah = None if codes else next((key for rx, key in _JUMLAH if rx.search(_norm(" ".join(words)))), None)
        values: dict[str, Decimal | None] = {}
        errors: list[tuple[int, str]] = []
        for role in AMOUNTS:
            if role not in cols:
                continue
            try:
                values[role] = from_cell(cell(role))
            except AmountError as exc:
                errors.append((cols[role] + 1, f"{role}: diharapkan {exc}"))
        if errors:
            if codes or jumlah:
                for col, msg in errors:
                    problems.error(path, lineno, col, msg)
            continue  # a signature block, a date, a note: not a line of the table
        r = _classify(codes, uraian, values, lineno, jumlah)
        if r is None:
            if codes and any(v is not None for v in values.values()):
                problems.error(path, lineno, cols["kode"] + 1, "kode tidak dikenal; diharapkan kode rekening "
                               f'("4.2.1.01."), kegiatan ("01.01.02") atau "5.1.1.01. [01.01.01]", ditemukan '
                               f'"{" | ".join(codes)}"')
            continue
        r.sumber_dana = _text(cell("sumber_dana"))
        rows.append(r)
    if len(problems.errors) > before:
        return None
    return _check_and_collect(path, rows, cols, problems, tahun, status)


def _is_code(t: str) -> bool:
    if "[" in t:
        k, g = split_combined(t)
        return bool(g) and bool(AKUN_RE.match(clean_code(k))) and bool(KEGIATAN_RE.match(clean_code(g)))
    c = clean_code(t)
    return bool(c) and (bool(AKUN_RE.match(c)) or bool(KEGIATAN_RE.match(c)))


def _classify(codes: list[str], uraian: str, values, lineno: int, jumlah: str | None) -> Row | None:
    if not codes:
        if jumlah:
            return Row(lineno, "jumlah", uraian=uraian, values=values, jumlah=jumlah)
        if any(v is not None for v in values.values()):
            return Row(lineno, "rincian", uraian=uraian, values=values)
        return None
    akun, keg = "", ""
    for raw in codes:
        if "[" in raw:
            k, g = split_combined(raw)
            akun, keg = clean_code(k), clean_code(g)
            continue
        c = clean_code(raw)
        if AKUN_RE.match(c) and not akun:
            akun = c
        elif KEGIATAN_RE.match(c) and not keg:
            keg = c
        else:
            return None
    if akun and keg:
        if not akun.startswith("5"):
            return None
        return Row(lineno, "belanja", akun, keg, uraian, values)
    if akun:
        return Row(lineno, "akun", akun, "", uraian, values)
    if keg:
        return Row(lineno, "kegiatan", "", keg, uraian, values)
    return None


def _keys_above(r: Row):
    """Every (kegiatan, kode) a row's figures are counted in, itself excluded."""
    own = r.key()
    for keg in ("", *ancestors(r.kegiatan)):
        for kode in ("", *ancestors(r.kode)):
            if (kode, keg) != own and (kode or keg):
                yield (kode, keg)


def _check_and_collect(path, rows: list[Row], cols, problems: Problems, tahun, status) -> Imported | None:
    before = len(problems.errors)
    coded = [r for r in rows if r.kind in ("akun", "kegiatan", "belanja")]
    present = tuple(c for c in ("anggaran", "perubahan", "realisasi") if c in cols)
    index: dict[tuple[str, str], list[Row]] = {}
    for r in coded:
        index.setdefault(r.key(), []).append(r)
    above: set[tuple[str, str]] = set()
    for r in coded:
        for k in _keys_above(r):
            if k in index:
                above.add(k)
    leaves = [r for r in coded if r.key() not in above]
    sums: dict[tuple[str, str], dict[str, Decimal]] = {}
    for d in leaves:
        for k in _keys_above(d):
            if k in index:
                acc = sums.setdefault(k, {})
                for col in present:
                    acc[col] = acc.get(col, Decimal(0)) + (d.values.get(col) or Decimal(0))
    checked = 0

    def mismatch(r: Row, col: str, found: Decimal, computed: Decimal, what: str):
        label = f' "{r.uraian}"' if r.uraian and r.uraian != r.shown else ""
        problems.error(path, r.line, cols[col] + 1,
                       f"{what} {r.shown}{label} tidak sama dengan jumlah rinciannya: di laporan {format_rupiah(found)}, "
                       f"dihitung {format_rupiah(computed)} (selisih {format_rupiah(found - computed)})")

    # subtotal rows (kegiatan, sub bidang, bidang, kelompok, jenis…) against the sum of their lines
    for r in coded:
        if r.key() not in above:
            continue
        for col in present:
            found = r.values.get(col)
            if found is None:
                continue
            computed = sums.get(r.key(), {}).get(col, Decimal(0))
            checked += 1
            if found != computed:
                mismatch(r, col, found, computed, "baris jumlah")
    # detail rows (rincian) under a line
    current: Row | None = None
    details: dict[int, list[Row]] = {}
    for r in rows:
        if r.kind in ("akun", "kegiatan", "belanja"):
            current = r
        elif r.kind == "jumlah":
            current = None      # a detail row is only one that follows its line
        elif r.kind == "rincian" and current is not None:
            details.setdefault(id(current), []).append(r)
    for r in leaves:
        ds = details.get(id(r))
        if not ds:
            continue
        for col in present:
            if r.values.get(col) is None or any(d.values.get(col) is None for d in ds):
                continue
            computed = sum((d.values[col] for d in ds), Decimal(0))
            checked += 1
            if computed != r.values[col]:
                mismatch(r, col, r.values[col], computed, "baris")

    # JUMLAH / SURPLUS / NETTO / SiLPA rows
    def total(prefix_ok, col):
        return sum((d.values.get(col) or Decimal(0) for d in leaves if prefix_ok(d)), Decimal(0))

    figures: dict[str, dict[str, Decimal]] = {}
    for col in present:
        p = total(lambda d: d.kode.startswith("4"), col)
        b = total(lambda d: d.kode.startswith("5") or bool(d.kegiatan), col)
        t = total(lambda d: d.kode.startswith("6.1"), col)
        k = total(lambda d: d.kode.startswith("6.2"), col)
        figures[col] = {"pendapatan": p, "belanja": b, "surplus_defisit": p - b, "penerimaan_pembiayaan": t,
                        "pengeluaran_pembiayaan": k, "pembiayaan_netto": t - k, "silpa": p - b + t - k}
    for r in rows:
        if r.kind != "jumlah":
            continue
        for col in present:
            found = r.values.get(col)
            if found is None:
                continue
            computed = figures[col][r.jumlah]
            checked += 1
            if found != computed:
                mismatch(r, col, found, computed, "baris")
    # Bertambah/(Berkurang) and Lebih/(Kurang) on every row that prints them
    for r in rows:
        v = r.values
        if v.get("selisih") is not None and v.get("anggaran") is not None and v.get("perubahan") is not None:
            checked += 1
            if v["selisih"] != v["perubahan"] - v["anggaran"]:
                problems.error(path, r.line, cols["selisih"] + 1,
                               f"Bertambah/(Berkurang) {r.shown}: diharapkan {format_rupiah(v['perubahan'] - v['anggaran'])}"
                               f" (setelah perubahan − anggaran), ditemukan {format_rupiah(v['selisih'])}")
        if v.get("lebih_kurang") is not None and v.get("realisasi") is not None:
            budget = v.get("perubahan") if v.get("perubahan") is not None else v.get("anggaran")
            if budget is not None:
                checked += 1
                if v["lebih_kurang"] != budget - v["realisasi"]:
                    problems.error(path, r.line, cols["lebih_kurang"] + 1,
                                   f"Lebih/(Kurang) {r.shown}: diharapkan {format_rupiah(budget - v['realisasi'])} "
                                   f"(anggaran − realisasi), ditemukan {format_rupiah(v['lebih_kurang'])}")
    for r in leaves:
        if r.values.get("anggaran") is None:
            problems.error(path, r.line, cols["anggaran"] + 1, f"anggaran baris {r.shown} kosong; "
                           "diharapkan angka rupiah (0 bila nol)")
    if len(problems.errors) > before:
        return None
    ref = reference()
    names = {r.kegiatan: r.uraian for r in coded
             if r.kind == "kegiatan" and level(r.kegiatan) == 3 and r.kegiatan not in ref.bidang and r.uraian}
    return Imported(tahun, status, leaves, names, present, checked)


# --- OpenSID manual table ----------------------------------------------------------------

_MACHINE = re.compile(r"^-?\d+(?:\.\d+)?$")


def _machine_amount(raw) -> Decimal:
    t = _text(raw)
    if _MACHINE.match(t):
        return Decimal(t)
    return from_cell(raw) if t else Decimal(0)


def parse_opensid(path: Path, cells: list[tuple[int, list]], problems: Problems,
                  tahun: int | None) -> Imported | None:
    before = len(problems.errors)
    head_line, head = cells[0]
    idx = {_text(h).strip().lower(): i for i, h in enumerate(head)}
    need = ["tahun", "kd_akun", "kd_rincian", "kd_keg", "nilai_anggaran", "nilai_realisasi"]
    missing = [n for n in need if n not in idx]
    if missing:
        problems.error(path, head_line, 1, "ekspor OpenSID harus punya kolom Tahun, Kd_Akun, Kd_Rincian, Kd_Keg, "
                       f"Nilai_Anggaran, Nilai_Realisasi; tidak ada: {', '.join(missing)}")
        return None
    data = [(n, r) for n, r in cells[1:] if any(_text(c) for c in r)]
    years = sorted({_text(r[idx["tahun"]]) for _, r in data if idx["tahun"] < len(r)})
    if tahun is None:
        if len(years) != 1:
            problems.error(path, head_line, idx["tahun"] + 1, "ekspor berisi beberapa tahun; pilih satu dengan "
                           f"--tahun; ditemukan tahun: {', '.join(years)}")
            return None
        tahun = int(years[0]) if years[0].isdigit() else None
    rows: list[Row] = []
    for lineno, r in data:
        def c(name):
            i = idx[name]
            return r[i] if i < len(r) else None
        if _text(c("tahun")) != str(tahun):
            continue
        try:
            ang = _machine_amount(c("nilai_anggaran"))
            real = _machine_amount(c("nilai_realisasi"))
        except AmountError as exc:
            problems.error(path, lineno, idx["nilai_anggaran"] + 1, f"nilai: diharapkan {exc}")
            continue
        if ang == 0 and real == 0:
            continue  # OpenSID's template rows
        rinci = _text(c("kd_rincian"))
        m = re.match(r"^([0-9.]+)\s*(.*)$", rinci)
        if not m:
            problems.error(path, lineno, idx["kd_rincian"] + 1, "Kd_Rincian; diharapkan kode seperti "
                           f'"4.2.1. Dana Desa" atau "5.0.0", ditemukan "{rinci}"')
            continue
        kode, uraian = clean_code(m.group(1)), m.group(2).strip()
        if re.fullmatch(r"5(\.0)*", kode):
            kode = ""
        keg_raw = _text(c("kd_keg"))
        kegiatan = ""
        if keg_raw:
            km = re.match(r"^00\.0000\.(\d{2})\b\s*(.*)$", keg_raw) or re.match(r"^(\d{2}(?:\.\d{2}){0,2})\.?\s*(.*)$", keg_raw)
            if not km:
                problems.error(path, lineno, idx["kd_keg"] + 1, "Kd_Keg; diharapkan "
                               f'"00.0000.01 BIDANG …" atau "01.01.02", ditemukan "{keg_raw}"')
                continue
            kegiatan = km.group(1)
            if not kode:
                uraian = ""  # the reference name of the bidang is used
        akun = _text(c("kd_akun"))
        if akun.startswith("5") and not kegiatan:
            problems.error(path, lineno, idx["kd_keg"] + 1, "belanja tanpa bidang; diharapkan Kd_Keg seperti "
                           '"00.0000.01 BIDANG PENYELENGGARAN PEMERINTAHAN DESA", ditemukan (kosong)')
            continue
        rows.append(Row(lineno, "belanja" if kegiatan else "akun", kode, kegiatan, uraian,
                        {"anggaran": ang, "realisasi": real}))
    if len(problems.errors) > before:
        return None
    has_real = any(r.values["realisasi"] for r in rows)
    if not has_real:
        for r in rows:
            r.values["realisasi"] = None
    return Imported(tahun, STATUS_TAHUNAN if has_real else STATUS_APBDES, rows, {},
                    ("anggaran", "realisasi") if has_real else ("anggaran",))


# --- writing ----------------------------------------------------------------------------------

def canonical_csv(imp: Imported) -> tuple[str, list[int]]:
    """The canonical CSV text and, per output line, the source line it came from."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    origin = [0]
    ref = reference()
    for r in imp.lines:
        v = r.values

        def amt(col):
            return "" if col not in imp.columns or v.get(col) is None else plain(v[col])
        sd = ref.sumber_dana_code(r.sumber_dana) or r.sumber_dana if r.sumber_dana else ""
        w.writerow([r.kode, r.kegiatan, r.uraian, amt("anggaran") or "0", amt("perubahan"), amt("realisasi"), sd])
        origin.append(r.line)
    return buf.getvalue(), origin


def meta_text(imp: Imported, source: Path) -> str:
    """The metadata file of a new year: only what the report says (no internal note in published text)."""
    return (f"status: {imp.status}\nperdes_nomor: \nperdes_tanggal: \nper_tanggal: \n"
            f"sumber: Impor dari {source.name}\n")


#: What the operator is told after an import that created a new metadata file (CLI and form).
META_ADVICE = ("lengkapi nomor dan tanggal Perdes serta tanggal keadaan angka di apbdes/{tahun}.md "
               "sebelum diterbitkan")


@dataclass
class ImportPlan:
    """What an import would write, computed without writing anything (see :func:`prepare_import`)."""
    tahun: int
    status: str
    lines: int                                   # budget lines in the output
    files: dict[str, bytes]                      # path relative to the village folder -> content
    totals: list[tuple[str, str, Decimal]]       # (code, Indonesian label, amount): anggaran (after any
    #   Perubahan) of JUMLAH PENDAPATAN, each jenis, JUMLAH BELANJA, each bidang, surplus, netto, SiLPA;
    #   plus "<key>_realisasi" for pendapatan, belanja and SiLPA when the report has realisasi
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    checked: int = 0                             # report figures (subtotals) checked against their lines
    imported: Imported | None = None
    new_meta: bool = False                       # apbdes/<tahun>.md is created (the operator completes it)
    warnings: list[str] = field(default_factory=list)


def _title_text(cells: list[tuple[int, list]]) -> list[str]:
    """The rows above the table's header (the title block), each as one normalised line."""
    out = []
    for _n, row in cells:
        texts = [_norm(_text(c)) for c in row]
        if any(t.startswith("KODE") for t in texts) and any("URAIAN" in t for t in texts):
            break
        line = " ".join(t for t in texts if t)
        if line:
            out.append(line)
        if len(out) > 40:
            break
    return out


_DESA_RE = re.compile(r"^(?:PEMERINTAH(?:AN)?\s+)?(?:DESA|NAMA DESA)\s*:?\s*(.+)$")
_KODE_DESA_RE = re.compile(r"KODE\s+DESA\s*:?\s*([0-9][0-9.]*)")


def _letters(s: str) -> str:
    return re.sub(r"[^A-Z]", "", s.upper())


def _desa_part(kode: str) -> str:
    """The desa's own number: the last group of four digits ('33.07.01.2005' and '09.2005.' -> '2005')."""
    groups = [g for g in re.split(r"\D+", kode) if g]
    return groups[-1] if groups and len(groups[-1]) == 4 else ""


def _check_identity(path: Path, title: list[str], problems: Problems, *, tahun: int | None,
                    found_tahun: int | None, kode_desa: str | None, nama_desa: str | None) -> bool:
    ok = True
    if tahun is not None and found_tahun is not None and tahun != found_tahun:
        problems.error(path, 1, 1, f"laporan ini untuk tahun anggaran {found_tahun}, bukan {tahun}; "
                       "pilih laporan tahun yang benar atau ubah tahunnya")
        ok = False
    for line in title:
        m = _DESA_RE.match(line)
        if m and nama_desa:
            name = re.split(r"\s+(?:KECAMATAN|KEC\.|KABUPATEN|KAB\.)\s", m.group(1) + " ")[0].strip(" :")
            if _letters(name) and _letters(name) != _letters(re.sub(r"^(?i:desa)\s+", "", nama_desa)):
                problems.error(path, 1, 1, f'laporan ini milik desa "{name.title()}", bukan desa {nama_desa}; '
                               "impor hanya laporan desa ini sendiri")
                ok = False
                break
        k = _KODE_DESA_RE.search(line)
        if k and kode_desa:
            # Siskeudes numbers kecamatan its own way ("09.2005." for 33.07.01.2005): compare the desa part.
            a, b = _desa_part(k.group(1)), _desa_part(kode_desa)
            if a and b and a != b:
                problems.error(path, 1, 1, f"kode desa di laporan {k.group(1)} tidak sama dengan kode desa ini "
                               f"({kode_desa}); impor hanya laporan desa ini sendiri")
                ok = False
                break
    return ok


def _describe(b) -> str:
    return f"{b.kode_tampil} {b.uraian}".strip()


def _amounts(b) -> str:
    n = b.nilai
    parts = [f"anggaran {format_rupiah(n.anggaran)}"]
    if n.perubahan is not None:
        parts.append(f"setelah perubahan {format_rupiah(n.perubahan)}")
    if n.realisasi is not None:
        parts.append(f"realisasi {format_rupiah(n.realisasi)}")
    return ", ".join(parts)


def diff_lines(old: list | None, new: list) -> tuple[list[str], list[str], list[str]]:
    """Lines added, removed and changed between two years' lines (model.Baris), in Indonesian.

    Lines are matched by (kode, kegiatan) and, for repeated lines, by their order in the file.
    """
    if not old:
        return [], [], []

    def keyed(lines):
        out: dict[tuple, list] = {}
        for b in sorted(lines, key=lambda b: b.nomor):
            out.setdefault((b.kode, b.kegiatan), []).append(b)
        return out

    before, after = keyed(old), keyed(new)
    added, removed, changed = [], [], []
    for key, rows in after.items():
        was = before.get(key, [])
        for i, b in enumerate(rows):
            if i >= len(was):
                added.append(f"{_describe(b)}: {_amounts(b)}")
            elif was[i].nilai != b.nilai:
                changed.append(f"{_describe(b)}: {_amounts(was[i])} menjadi {_amounts(b)}")
            elif was[i].uraian != b.uraian:
                changed.append(f'{b.kode_tampil}: uraian "{was[i].uraian}" menjadi "{b.uraian}"')
            elif was[i].sumber_dana != b.sumber_dana:
                changed.append(f'{_describe(b)}: sumber dana "{was[i].sumber_dana or "-"}" menjadi '
                               f'"{b.sumber_dana or "-"}"')
    for key, rows in before.items():
        for b in rows[len(after.get(key, [])):]:
            removed.append(f"{_describe(b)}: {_amounts(b)}")
    return added, removed, changed


def _totals_of(year) -> list[tuple[str, str, Decimal]]:
    from .totals import RINGKASAN_LABEL, hitung
    t = hitung(year)
    ref = reference()
    out: list[tuple[str, str, Decimal]] = [("pendapatan", RINGKASAN_LABEL["pendapatan"], t.ringkasan["pendapatan"].akhir)]
    for code, n in t.pendapatan_jenis.items():
        out.append((code, ref.akun.get(code, code), n.akhir))
    out.append(("belanja", RINGKASAN_LABEL["belanja"], t.ringkasan["belanja"].akhir))
    for code, n in t.bidang.items():
        out.append((code, "Bidang " + ref.bidang.get(code, code), n.akhir))
    for key in ("surplus_defisit", "pembiayaan_netto", "silpa"):
        out.append((key, RINGKASAN_LABEL[key], t.ringkasan[key].akhir))
    if "realisasi" in t.kolom:
        for key in ("pendapatan", "belanja", "silpa"):
            out.append((f"{key}_realisasi", "Realisasi " + RINGKASAN_LABEL[key], t.ringkasan[key].realisasi))
    return out


def _read_and_parse(input_path: Path, problems: Problems, tahun: int | None, fmt: str, lim: dict | None = None
                    ) -> tuple[Imported, list[tuple[int, list]]] | None:
    cells = read_cells(input_path, problems, lim)
    if cells is None:
        return None
    cells = [(n, r) for n, r in cells if any(_text(c) for c in r)]
    if not cells:
        problems.error(input_path, 1, 1, "berkas kosong; diharapkan laporan Siskeudes atau ekspor OpenSID")
        return None
    first = [_text(c).strip().lower() for c in cells[0][1]]
    if fmt == "opensid" or (fmt == "auto" and "kd_akun" in first and "kd_rincian" in first):
        imp = parse_opensid(input_path, cells, problems, tahun)
    else:
        imp = parse_siskeudes(input_path, cells, problems, tahun)
    if imp is None:
        return None
    return imp, cells


def _plan(input_path: Path, problems: Problems, *, tahun: int | None, existing, kode_desa: str | None,
          nama_desa: str | None, fmt: str, lim: dict | None = None, status: str | None = None) -> ImportPlan | None:
    """``existing(tahun)`` gives the (csv, metadata, kegiatan.csv) paths already there for that year, or Nones."""
    before = len(problems.errors)
    got = _read_and_parse(input_path, problems, tahun, fmt, lim)
    if got is None:
        return None
    imp, cells = got
    title = _title_text(cells)
    found = title_year(" ".join(title))
    if not _check_identity(input_path, title, problems, tahun=tahun, found_tahun=found,
                           kode_desa=kode_desa, nama_desa=nama_desa):
        return None
    if imp.tahun is None:
        problems.error(input_path, 1, 1, "tahun anggaran tidak tertulis di laporan; sebutkan tahunnya "
                       "(--tahun 2025 atau isian Tahun di formulir)")
        return None
    if status is not None and imp.status != status:
        problems.error(input_path, 1, 1, f'laporan ini "{imp.status}", bukan "{status}" yang diminta; '
                       "pilih laporan yang benar atau ubah jenis laporannya")
        return None
    existing_csv, existing_meta, existing_names = existing(imp.tahun)
    text, origin = canonical_csv(imp)
    rel_csv, rel_md = f"apbdes/{imp.tahun}.csv", f"apbdes/{imp.tahun}.md"
    files: dict[str, bytes] = {rel_csv: text.encode("utf-8")}
    new_meta = not (existing_meta is not None and existing_meta.is_file())
    with tempfile.TemporaryDirectory() as tmp:
        tmp_csv = Path(tmp) / f"{imp.tahun}.csv"
        tmp_csv.write_text(text, encoding="utf-8")
        if new_meta:
            meta = meta_text(imp, input_path)
            files[rel_md] = meta.encode("utf-8")
            tmp_csv.with_suffix(".md").write_text(meta, encoding="utf-8")
        else:
            shutil.copy(existing_meta, tmp_csv.with_suffix(".md"))
        names = {}
        if existing_names is not None and existing_names.is_file():
            names = load_kegiatan_names(existing_names, Problems())
        merged = {**names, **imp.kegiatan_names}
        check = Problems()
        year = load_year(tmp_csv, check, tahun=imp.tahun, nama_kegiatan=dict(merged), origin=origin)
        for p in check.items:
            if Path(p.file).name != tmp_csv.name:
                continue  # metadata warnings concern the file the admin edits later
            src_line = origin[p.line - 1] if 0 < p.line <= len(origin) else 0
            col = COLUMNS[p.column - 1] if 0 < p.column <= len(COLUMNS) else ""
            msg = (f"(kolom {col} di format baku) " if col and p.is_error else "") + p.message
            problems.items.append(Problem(problems.name(input_path), src_line, 0, msg, p.level))
        if year is None or len(problems.errors) > before:
            return None
    if imp.kegiatan_names and merged != names:
        files["apbdes/kegiatan.csv"] = _names_csv(merged).encode("utf-8")
    added, removed, changed = [], [], []
    if existing_csv is not None and existing_csv.is_file():
        old = _load_lines(existing_csv, Problems(), dict(merged), [])
        if old is None:
            changed.append(f"{existing_csv.name} yang lama tidak dapat dibaca; seluruh isinya diganti laporan ini")
        else:
            added, removed, changed = diff_lines(old, list(year.baris))
    warnings = [p.message for p in problems.items if not p.is_error]
    return ImportPlan(imp.tahun, imp.status, len(imp.lines), files, _totals_of(year), added, removed, changed,
                      imp.checked, imp, new_meta, warnings)


def prepare_import(input_path: Path, problems: Problems, *, tahun: int | None = None,
                   village_dir: Path | None = None, kode_desa: str | None = None, nama_desa: str | None = None,
                   fmt: str = "auto", lim: dict | None = None, status: str | None = None) -> ImportPlan | None:
    """Read and check a report; return what would be written (nothing is written). None on any error.

    ``village_dir`` is the village folder whose ``apbdes/`` the plan is compared with (lines added, removed,
    changed) and whose existing ``apbdes/<tahun>.md`` is kept. A report whose title block names another
    village (by name or kode desa) or another year than ``tahun`` is refused, and so is a report of another
    kind than ``status`` (e.g. an LRA where "APBDes" was asked for) when it is given. ``lim``: the file
    limits in force (``guard.batas(settings)``); the defaults when not given.
    """
    folder = Path(village_dir) / "apbdes" if village_dir is not None else None

    def existing(y: int):
        if folder is None:
            return None, None, None
        return folder / f"{y}.csv", folder / f"{y}.md", folder / "kegiatan.csv"
    return _plan(input_path, problems, tahun=tahun, existing=existing, kode_desa=kode_desa, nama_desa=nama_desa,
                 fmt=fmt, lim=lim, status=status)


def write_atomic(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary name beside it, then rename them all into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for dest, data in files.items():
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix="." + dest.name + ".", suffix=".tmp", dir=dest.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((Path(tmp), dest))
        for tmp, dest in staged:
            os.replace(tmp, dest)
        staged = []
    finally:
        for tmp, _dest in staged:
            tmp.unlink(missing_ok=True)


def _identity_of(output: Path) -> tuple[str | None, str | None]:
    """Kode and name of the village an output ``villages/<desa>/apbdes/<tahun>.csv`` belongs to (from its desa.md)."""
    from ..markdown_meta import parse_markdown
    desa = output.parent.parent / "desa.md"
    if output.parent.name != "apbdes" or not desa.is_file():
        return None, None
    doc = parse_markdown(desa, Problems())
    if doc is None:
        return None, None
    get = lambda k: doc.meta[k].value.strip() if k in doc.meta and doc.meta[k].value.strip() else None  # noqa: E731
    return get("kode"), get("nama")


def _output_plan(input_path: Path, output: Path, problems: Problems, tahun: int | None, fmt: str,
                 lim: dict | None = None, status: str | None = None) -> tuple[ImportPlan, dict[Path, bytes]] | None:
    kode, nama = _identity_of(output)
    plan = _plan(input_path, problems, tahun=tahun,
                 existing=lambda _y: (output, output.with_suffix(".md"), output.parent / "kegiatan.csv"),
                 kode_desa=kode, nama_desa=nama, fmt=fmt, lim=lim, status=status)
    if plan is None:
        return None
    where = {f"apbdes/{plan.tahun}.csv": output, f"apbdes/{plan.tahun}.md": output.with_suffix(".md"),
             "apbdes/kegiatan.csv": output.parent / "kegiatan.csv"}
    return plan, {where[rel]: data for rel, data in plan.files.items()}


def import_file(input_path: Path, output: Path, problems: Problems, tahun: int | None = None,
                fmt: str = "auto") -> Imported | None:
    """Read, check and write ``output`` (+ its .md when missing, + kegiatan.csv). Nothing is written on error."""
    got = _output_plan(input_path, output, problems, tahun, fmt)
    if got is None:
        return None
    plan, files = got
    write_atomic(files)
    return plan.imported


def _names_csv(names: dict[str, str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kode", "nama"])
    for k in sorted(names):
        w.writerow([k, names[k]])
    return buf.getvalue()


_JENIS = {"penjabaran": STATUS_APBDES, "perubahan": STATUS_PERUBAHAN, "realisasi-semester": STATUS_SEMESTER,
          "realisasi-tahunan": STATUS_TAHUNAN}


def _settings(path: Path | None) -> dict:
    """The PAPAN_* values of pelicanconf.py (only what the importer needs: PAPAN_BATAS), without Pelican."""
    import runpy
    if path is None:
        path = Path(__file__).resolve().parents[3] / "pelicanconf.py"
        if not path.is_file():
            return {}
    values = runpy.run_path(str(path))
    return {k: v for k, v in values.items() if k.startswith("PAPAN_")}


def main_import(argv: list[str] | None = None) -> int:
    """``papan impor-apbdes INPUT [--tahun 2025] --output villages/x/apbdes/2025.csv``; 0 ok, 1 bad input, 2 usage."""
    parser = argparse.ArgumentParser(
        prog="papan impor-apbdes",
        description="Ubah laporan Siskeudes (Penjabaran APBDes, APBDes Perubahan, Laporan Realisasi; XLSX/CSV) "
                    "atau ekspor OpenSID menjadi apbdes/<tahun>.csv, setelah memeriksa semua baris jumlahnya.")
    parser.add_argument("input", type=Path, help="berkas laporan (.xlsx atau .csv)")
    parser.add_argument("--tahun", type=int, help="tahun anggaran (bila tidak tertulis di laporan)")
    parser.add_argument("--output", "-o", type=Path, required=True, help="mis. villages/<desa>/apbdes/2025.csv")
    parser.add_argument("--format", choices=("auto", "siskeudes", "opensid"), default="auto")
    parser.add_argument("--jenis", choices=tuple(_JENIS), default=None,
                        help="jenis laporan yang diharapkan; laporan jenis lain ditolak")
    parser.add_argument("--settings", type=Path, default=None,
                        help="pelicanconf.py yang berisi PAPAN_BATAS (bawaan: pelicanconf.py proyek ini)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if not args.input.is_file():
        print(f"{args.input}: galat: berkas tidak ada", file=sys.stderr)
        return 2
    if args.output.suffix.lower() != ".csv":
        print(f"--output harus berkas .csv, ditemukan {args.output}", file=sys.stderr)
        return 2
    try:
        lim = batas(_settings(args.settings))
    except (ValueError, OSError, SyntaxError) as exc:
        print(f"pengaturan: {exc}", file=sys.stderr)
        return 2
    problems = Problems(root=Path.cwd())
    got = _output_plan(args.input, args.output, problems, args.tahun, args.format, lim,
                       _JENIS[args.jenis] if args.jenis else None)
    for p in problems.items:
        print(p, file=sys.stderr)
    if got is None or problems:
        return 1
    plan, files = got
    write_atomic(files)
    print(f"Ditulis {args.output} ({plan.lines} baris, tahun {plan.tahun}, {plan.status}); "
          f"{plan.checked} angka jumlah di laporan sudah diperiksa dan cocok.")
    for code, label, amount in plan.totals:
        print(f"  {label}: {format_rupiah(amount)}")
    if plan.added or plan.removed or plan.changed:
        print(f"Dibanding {args.output.name} sebelumnya: {len(plan.added)} baris baru, {len(plan.removed)} baris "
              f"hilang, {len(plan.changed)} baris berubah.")
        for what, items in (("baru", plan.added), ("hilang", plan.removed), ("berubah", plan.changed)):
            for item in items[:20]:
                print(f"  {what}: {item}")
            if len(items) > 20:
                print(f"  … dan {len(items) - 20} baris {what} lainnya")
    if plan.new_meta:
        print("Langkah berikutnya: " + META_ADVICE.format(tahun=plan.tahun) + ".")
    return 0
