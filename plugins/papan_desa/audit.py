"""An auditor's checks: each budget figure against the village's other files and the kabupaten's allocations.

Run once per village when its data are loaded (``village.load_village`` calls :func:`periksa`),
so the build, ``make check`` and every tool that loads a village see the same findings:

- **Perdes**: the budget year names its Perdes with ``perdes: Perdes 2 Tahun 2025`` in
  ``apbdes/<tahun>.md``, a link to the entry in ``produk-hukum.csv``. A link to no entry, or a
  ``perdes_nomor``/``perdes_tanggal`` that differs from the entry, is an error for the operator.
- **BLT Desa**: households in the aid data (``data-desa/bansos.csv``, program BLT Desa) × the
  monthly amount × the months (settings ``PAPAN_BLT_BULANAN``, ``PAPAN_BLT_BULAN``) against the
  budget's BLT line (kegiatan 05.03.01). A village without aid data "tidak dapat dicek".
- **Allocations**: Dana Desa, ADD and bagi hasil against the kabupaten's table
  ``data/alokasi-<tahun>.csv`` beside the registry (from the Perbup), when there is one.
- **Balanced budget**: belanja − pendapatan against pembiayaan netto (a planned SiLPA may be
  positive, never negative), and a line out of all proportion to its own earlier year (the
  extra zero typed into siltap: 52,2 juta → 522 juta).

Mismatches are warnings for the operator (Indonesian, naming both figures and the file); the
public sees only plain-language results ("sesuai Perbup Nomor …"), never a file or line.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .formatting import tanggal
from .problems import Problems, expected_found
from .schema import Field, Schema, ValueProblem
from .settings import papan_setting

SESUAI = "sesuai"
SELISIH = "selisih"
TIDAK_DAPAT = "tidak dapat dicek"

# Checks run when a village's data are loaded: fn(desa, registry, problems, settings).
CHECKS: list = []


def village_check(fn):
    CHECKS.append(fn)
    return fn


# ------------------------------------------------------------------ the kabupaten's allocation table

def _rupiah(raw: str) -> Decimal:
    from .apbdes.numbers import AmountError, parse_rupiah

    try:
        value = parse_rupiah(raw)
    except AmountError as exc:
        raise ValueProblem(str(exc)) from None
    if value < 0:
        raise ValueProblem(f'angka rupiah 0 atau lebih, ditemukan "{raw}"')
    return value


ALOKASI = Schema(
    name="alokasi", title="Alokasi kabupaten per desa (dari Perbup)", path="data/alokasi-<tahun>.csv",
    format="csv",
    description=("Tabel kabupaten, satu per tahun anggaran, di samping daftar wilayah: berapa Dana Desa, ADD dan "
                 "bagi hasil pajak/retribusi yang dialokasikan Peraturan Bupati kepada setiap desa. Bila ada, "
                 "setiap APBDes dibandingkan dengannya. Kolom jumlah boleh kosong bila tidak diatur."),
    fields=(
        Field("kode_desa", "Kode Kemendagri desa", "kode_kemendagri", required=True, example="33.07.14.2001"),
        Field("dana_desa", "Dana Desa (Rp)", "angka", unit="rupiah", example="1164177000"),
        Field("add", "Alokasi Dana Desa (Rp)", "angka", unit="rupiah", example="571680000"),
        Field("bagi_hasil", "Bagi hasil pajak dan retribusi daerah (Rp)", "angka", unit="rupiah", example="68136000"),
        Field("perbup_nomor", "Nomor Perbup", required=True, example="2 Tahun 2025"),
        Field("perbup_tanggal", "Tanggal Perbup", "tanggal", required=True, example="2025-01-03"),
    ))
# Which account each amount column is compared with.
ALOKASI_AKUN = (("dana_desa", "4.2.1", "Dana Desa"), ("add", "4.2.3", "Alokasi Dana Desa"),
                ("bagi_hasil", "4.2.2", "Bagi hasil pajak dan retribusi"))
_ALOKASI_FILE = re.compile(r"^alokasi-(\d{4})\.csv$")


@dataclass(frozen=True)
class Alokasi:
    kode: str
    jumlah: dict[str, Decimal]      # column -> amount (only the columns filled in)
    perbup_nomor: str
    perbup_tanggal: dt.date
    line: int
    path: Path

    @property
    def perbup(self) -> str:
        return f"Perbup Nomor {self.perbup_nomor}"


def alokasi_paths(registry_path: Path) -> list[Path]:
    """The kabupaten's allocation tables: ``alokasi-<tahun>.csv`` in the registry's folder."""
    folder = Path(registry_path).parent
    return sorted(p for p in folder.glob("alokasi-*.csv") if _ALOKASI_FILE.match(p.name))


def load_alokasi(path: Path, registry, problems: Problems) -> dict[str, Alokasi] | None:
    """One year's table by village code; None (with errors naming the rows) when it is refused."""
    from .publikasi.common import read_csv

    before = len(problems.errors)
    amounts = {name: _rupiah for name, _, _ in ALOKASI_AKUN}
    out: dict[str, Alokasi] = {}
    for line, r in read_csv(path, ALOKASI, problems, parsers=amounts):
        kode = r["kode_desa"]
        col = r["_kolom"]["kode_desa"]
        if registry is not None and kode not in registry.villages:
            problems.error(path, line, col, f"kode desa {kode} tidak ada di daftar wilayah {Path(registry.path).name}; "
                           + expected_found("kode desa yang terdaftar", kode))
            continue
        if kode in out:
            problems.error(path, line, col, f"desa {kode} ditulis dua kali (juga di baris {out[kode].line}); "
                           "tulis satu baris per desa")
            continue
        out[kode] = Alokasi(kode, {n: r[n] for n, _, _ in ALOKASI_AKUN if n in r}, r["perbup_nomor"],
                            r["perbup_tanggal"], line, path)
    return None if len(problems.errors) > before else out


def check_alokasi_tables(registry, problems: Problems) -> None:
    """Every allocation table of the kabupaten, read once by the build to report its errors."""
    for path in alokasi_paths(registry.path):
        load_alokasi(path, registry, problems)


@functools.lru_cache(maxsize=8)
def _alokasi_cached(registry_path: str, stamp: tuple) -> dict[int, dict[str, Alokasi] | None]:
    from .registry import load_registry

    registry = load_registry(Path(registry_path))
    return {int(_ALOKASI_FILE.match(p.name).group(1)): load_alokasi(p, registry, Problems())
            for p in alokasi_paths(Path(registry_path))}


def alokasi_tables(registry) -> dict[int, dict[str, Alokasi] | None]:
    """Year -> table (None when refused), read once per process and again when a table changes."""
    if registry is None or getattr(registry, "path", None) is None:
        return {}
    paths = alokasi_paths(registry.path)
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    return _alokasi_cached(str(Path(registry.path).resolve()), stamp)


# ------------------------------------------------------------------ results

@dataclass
class Cek:
    """One check of one year: its result, what the operator reads, and what the public may read."""
    tahun: int
    jenis: str           # "perdes", "blt", "dana_desa", "add", "bagi_hasil", "seimbang", "lonjakan"
    status: str          # SESUAI, SELISIH, TIDAK_DAPAT
    publik: str          # plain words for the public pages (no file, no line)
    angka_desa: Decimal | None = None
    angka_sumber: Decimal | None = None
    sumber: str = ""     # where the other figure comes from, in public words ("Perbup Nomor 2 Tahun 2025")

    def as_dict(self) -> dict:
        from .apbdes.numbers import json_number

        return {"tahun": self.tahun, "jenis": self.jenis, "status": self.status, "publik": self.publik,
                "angka_desa": None if self.angka_desa is None else json_number(self.angka_desa),
                "angka_sumber": None if self.angka_sumber is None else json_number(self.angka_sumber),
                "sumber": self.sumber}


LABEL_JENIS = {"perdes": "Perdes APBDes", "alokasi": "Alokasi kabupaten", "blt": "BLT Desa", "dana_desa": "Dana Desa", "add": "Alokasi Dana Desa",
               "bagi_hasil": "Bagi hasil pajak dan retribusi", "seimbang": "Anggaran seimbang",
               "lonjakan": "Lonjakan angka"}


@dataclass
class Dokumen:
    """A legal product a duty is met by, as the public pages and the openness score need it."""
    judul: str
    tanggal: dt.date
    berkas: str | None          # village-relative path of the PDF, when published

    def as_dict(self) -> dict:
        return {"judul": self.judul, "tanggal": self.tanggal.isoformat(), "berkas": bool(self.berkas)}


@dataclass
class Audit:
    cek: list[Cek] = field(default_factory=list)
    perdes: dict[int, Dokumen] = field(default_factory=dict)     # budget year -> its Perdes APBDes
    rkp: dict[int, Dokumen] = field(default_factory=dict)        # plan year -> Perdes RKP Desa
    rpjm: Dokumen | None = None

    def untuk(self, tahun: int) -> list[Cek]:
        return [c for c in self.cek if c.tahun == tahun]


# ------------------------------------------------------------------ the checks

def periksa(desa, registry, problems: Problems, settings: dict | None = None) -> Audit:
    """Run every check on a loaded village; the findings go to ``problems`` and ``desa.data['audit']``."""
    audit = Audit()
    desa.data["audit"] = audit
    for check in CHECKS:
        check(desa, registry, problems, settings or {}, audit)
    return audit


def _rp(x) -> str:
    from .apbdes.numbers import format_rupiah

    return format_rupiah(x)


_REF = re.compile(r"^\s*(?P<jenis>[A-Za-z][A-Za-z .]*?)\s+(?:Nomor\s+|No\.?\s*)?(?P<nomor>[0-9A-Za-z.\-]+)"
                  r"\s*(?:/|\s+Tahun\s+)(?P<tahun>\d{4})\s*$", re.IGNORECASE)


def parse_ref(raw: str) -> tuple[str, str, int] | None:
    """'Perdes 2 Tahun 2025', 'Perdes Nomor 2 Tahun 2025' or 'Perdes 2/2025' -> ('Perdes', '2', 2025)."""
    from .publikasi.produk_hukum import JENIS

    m = _REF.match(raw or "")
    if not m:
        return None
    jenis = next((j for j in JENIS if j.lower() == m["jenis"].strip().lower()), None)
    return (jenis, m["nomor"], int(m["tahun"])) if jenis else None


def _nomor_tahun(raw: str) -> tuple[str, int] | None:
    """A typed perdes_nomor: '2 Tahun 2025', 'Nomor 2 Tahun 2025', '2/2025' -> ('2', 2025)."""
    r = parse_ref("Perdes " + re.sub(r"^\s*(Perdes|Peraturan Desa)\s+", "", raw or "", flags=re.IGNORECASE))
    return (r[1], r[2]) if r else None


def _doc(village_dir: Path, p) -> Dokumen:
    berkas = None
    if p.berkas is not None:
        try:
            berkas = Path(p.berkas).resolve().relative_to(Path(village_dir).resolve()).as_posix()
        except ValueError:
            berkas = None
    return Dokumen(p.judul, p.tanggal, berkas)


@village_check
def _perdes(desa, registry, problems: Problems, settings: dict, audit: Audit) -> None:
    from .markdown_meta import parse_markdown

    pub = desa.data.get("publikasi")
    produk = list(getattr(pub, "produk_hukum", None) or [])
    for year in desa.data.get("apbdes") or []:
        meta_path = Path(year.path).with_suffix(".md") if year.path else None
        if meta_path is None or not meta_path.is_file():
            continue
        doc = parse_markdown(meta_path, Problems())
        if doc is None:
            continue
        link = doc.meta.get("perdes")
        typed = doc.meta.get("perdes_nomor")
        entry = None
        if link is not None and link.value.strip():
            ref = parse_ref(link.value)
            if ref is None:
                problems.error(meta_path, link.line, link.column, "tautan Perdes; " + expected_found(
                    'jenis, nomor dan tahun produk hukum seperti "Perdes 2 Tahun 2025"', link.value))
                continue
            entry = next((p for p in produk if (p.jenis, p.nomor, p.tahun) == ref), None)
            if entry is None:
                problems.error(meta_path, link.line, link.column,
                               f"{ref[0]} Nomor {ref[1]} Tahun {ref[2]} tidak ada di produk-hukum.csv desa ini; "
                               "tambahkan baris produk hukumnya (dengan berkas PDF) atau perbaiki tautannya")
                continue
            if typed is not None and typed.value.strip():
                nt = _nomor_tahun(typed.value)
                if nt != (entry.nomor, entry.tahun):
                    problems.error(meta_path, typed.line, typed.column,
                                   f"nomor Perdes {typed.value.strip()} berbeda dengan produk hukum yang ditautkan "
                                   f"({entry.judul}, produk-hukum.csv baris {entry.line}); "
                                   "hapus perdes_nomor atau samakan")
        elif typed is not None and typed.value.strip():
            nt = _nomor_tahun(typed.value)
            entry = next((p for p in produk if p.jenis == "Perdes" and (p.nomor, p.tahun) == nt), None)
            if entry is None:
                problems.warning(meta_path, typed.line, typed.column,
                                 f"Perdes {typed.value.strip()} tidak ada di produk-hukum.csv, jadi tidak dapat dicek "
                                 'dan tidak dinilai sebagai dokumen terbit; tambahkan produk hukumnya lalu tautkan '
                                 'dengan baris "perdes: Perdes <nomor> Tahun <tahun>"')
        if entry is None:
            continue
        date_meta = doc.meta.get("perdes_tanggal")
        if date_meta is not None and date_meta.value.strip():
            try:
                typed_date = dt.date.fromisoformat(date_meta.value.strip())
            except ValueError:
                typed_date = None      # reported by the budget's own loader
            if typed_date is not None and typed_date != entry.tanggal:
                # With a link the entry is the record: a different date is an error. Without one the entry was
                # found by its number only, so the date may point at a different Perdes: a warning.
                report = problems.error if link is not None else problems.warning
                report(meta_path, date_meta.line, date_meta.column,
                       f"tanggal Perdes {typed_date.isoformat()} berbeda dengan {entry.judul} di "
                       f"produk-hukum.csv baris {entry.line} ({entry.tanggal.isoformat()}); "
                       + ("hapus perdes_tanggal atau samakan" if link is not None else
                          'samakan, lalu tautkan dengan baris "perdes: ' + f'{entry.jenis} {entry.nomor} Tahun '
                          f'{entry.tahun}"'))
                if link is None:
                    continue
        if entry.berkas is None:
            problems.warning(meta_path, (link or typed).line, (link or typed).column,
                             f"{entry.judul} belum punya berkas PDF di produk-hukum.csv baris {entry.line}; "
                             "tanpa dokumennya kewajiban Perdes APBDes belum terpenuhi")
        audit.perdes[year.tahun] = _doc(desa.dir, entry)
        audit.cek.append(Cek(year.tahun, "perdes", SESUAI, f"ditetapkan dengan {entry.judul} tanggal "
                             f"{tanggal(entry.tanggal)}", sumber=entry.judul))


_RKP = re.compile(r"rencana kerja pemerintah(an)? desa|\bRKP\s*Des", re.IGNORECASE)
_RPJM = re.compile(r"jangka menengah desa|\bRPJM\s*Des", re.IGNORECASE)
_TAHUN = re.compile(r"tahun(?: anggaran)?\s+(\d{4})", re.IGNORECASE)


@village_check
def _dokumen(desa, registry, problems, settings, audit: Audit) -> None:
    """The planning documents the openness score asks for, found in the legal-products list."""
    pub = desa.data.get("publikasi")
    for p in sorted(getattr(pub, "produk_hukum", None) or [], key=lambda p: (p.tanggal, p.line)):
        if p.jenis != "Perdes" or p.status in ("dicabut", "rancangan"):
            continue
        if _RKP.search(p.tentang):
            m = _TAHUN.search(p.tentang)
            audit.rkp[int(m.group(1)) if m else p.tahun + 1] = _doc(desa.dir, p)
        elif _RPJM.search(p.tentang):
            audit.rpjm = _doc(desa.dir, p)


def _totals(year):
    from .apbdes.totals import hitung

    return hitung(year)


def _line_of(year, pred) -> int:
    return next((b.nomor for b in year.baris if pred(b)), 0)


@village_check
def _blt(desa, registry, problems: Problems, settings: dict, audit: Audit) -> None:
    from .apbdes.reference import is_under
    from .apbdes.totals import BLT_KEGIATAN

    years = desa.data.get("apbdes") or []
    if not years:
        return
    dd = desa.data.get("datadesa")
    bansos = [b for b in (getattr(dd, "bansos", None) or []) if re.sub(r"\W", "", b.program.lower()) == "bltdesa"]
    meta = getattr(dd, "bansos_meta", None)
    per_year = meta.per_tanggal.year if meta is not None and meta.per_tanggal else None
    bulanan = Decimal(str(papan_setting(settings, "PAPAN_BLT_BULANAN")))
    bulan = int(papan_setting(settings, "PAPAN_BLT_BULAN"))
    for year in years:
        budget = _totals(year).kegiatan.get(BLT_KEGIATAN)
        budget = budget.akhir if budget is not None else Decimal(0)
        if not bansos or per_year != year.tahun:
            why = ("desa belum menerbitkan data penerima BLT Desa" if not bansos
                   else f"data penerima BLT Desa bukan untuk tahun {year.tahun}")
            audit.cek.append(Cek(year.tahun, "blt", TIDAK_DAPAT, f"tidak dapat dicek: {why}", budget))
            continue
        kpm = sum(b.jumlah_kk for b in bansos)
        expected = kpm * bulanan * bulan
        rumus = f"{kpm} KPM × {_rp(bulanan)} × {bulan} bulan = {_rp(expected)}"
        if expected == budget:
            audit.cek.append(Cek(year.tahun, "blt", SESUAI, f"sesuai data penerima: {rumus}", budget, expected,
                                 "data penerima BLT Desa"))
            continue
        line = _line_of(year, lambda b: b.kegiatan and is_under(b.kegiatan, BLT_KEGIATAN))
        src_name = problems.name(Path(desa.dir) / "data-desa" / "bansos.csv")
        problems.warning(year.path, line, 0,
                         f"BLT Desa {year.tahun}: {src_name} mencatat {rumus}, tetapi anggaran BLT Desa (kegiatan "
                         f"{BLT_KEGIATAN}) {_rp(budget)}; selisih {_rp(budget - expected)}. Periksa jumlah KPM atau "
                         "anggarannya (besaran per bulan dan jumlah bulan: PAPAN_BLT_BULANAN, PAPAN_BLT_BULAN)")
        audit.cek.append(Cek(year.tahun, "blt", SELISIH,
                             f"anggaran BLT Desa {_rp(budget)}, sedangkan data penerima: {rumus}",
                             budget, expected, "data penerima BLT Desa"))


@village_check
def _alokasi(desa, registry, problems: Problems, settings: dict, audit: Audit) -> None:
    years = desa.data.get("apbdes") or []
    if not years:
        return
    tables = alokasi_tables(registry)
    for year in years:
        if year.tahun not in tables:
            audit.cek.append(Cek(year.tahun, "alokasi", TIDAK_DAPAT,
                                 f"tidak dapat dicek: kabupaten belum menerbitkan tabel alokasi {year.tahun}"))
            continue
        table = tables[year.tahun]
        if table is None:
            audit.cek.append(Cek(year.tahun, "alokasi", TIDAK_DAPAT,
                                 f"tidak dapat dicek: tabel alokasi {year.tahun} kabupaten sedang diperbaiki"))
            continue
        row = table.get(desa.profil.kode)
        if row is None:
            audit.cek.append(Cek(year.tahun, "alokasi", TIDAK_DAPAT,
                                 f"tidak dapat dicek: desa ini tidak ada di tabel alokasi {year.tahun}"))
            continue
        t = _totals(year)
        for col, akun, label in ALOKASI_AKUN:
            if col not in row.jumlah:
                continue
            ours = t.akun.get(akun)
            ours = ours.akhir if ours is not None else Decimal(0)
            theirs = row.jumlah[col]
            sumber = f"{row.perbup} tanggal {tanggal(row.perbup_tanggal)}"
            if ours == theirs:
                audit.cek.append(Cek(year.tahun, col, SESUAI, f"sesuai {sumber}", ours, theirs, row.perbup))
                continue
            line = _line_of(year, lambda b, akun=akun: b.kode and (b.kode == akun or b.kode.startswith(akun + ".")))
            problems.warning(year.path, line, 0,
                             f"{label} {year.tahun}: APBDes {_rp(ours)}, alokasi {sumber} {_rp(theirs)} "
                             f"({problems.name(row.path)} baris {row.line}); selisih {_rp(ours - theirs)}")
            audit.cek.append(Cek(year.tahun, col, SELISIH,
                                 f"APBDes {_rp(ours)}, alokasi {sumber} {_rp(theirs)}; selisih {_rp(ours - theirs)}",
                                 ours, theirs, row.perbup))


# A planned SiLPA above this share of pendapatan is worth a look (an extra zero in an income line).
SILPA_BATAS = Decimal("0.10")
# A pendapatan or belanja pegawai line this many times its earlier year's (or less than 1/this) is suspect.
LONJAKAN = Decimal(5)
LONJAKAN_MIN = Decimal(10_000_000)


def _suspects(year, gap: Decimal, bagian: str) -> list:
    """Lines whose one extra zero would explain ``gap`` (within 1%): x − x/10 ≈ gap."""
    out = []
    for b in year.baris:
        if b.bagian != bagian:
            continue
        extra = b.nilai.akhir * 9 / 10
        if extra and abs(extra - gap) <= gap / 100:
            out.append(b)
    return out


def _extra_zero(year, gap: Decimal, bagian: str) -> tuple[int, str]:
    """The line to point the warning at and the words naming the lines an extra zero would explain."""
    sus = _suspects(year, gap, bagian)
    if not sus:
        return 0, ""
    return sus[0].nomor, "; kemungkinan kelebihan satu angka nol pada " + ", ".join(
        f"baris {b.nomor} ({b.kode_tampil} {b.uraian}, {_rp(b.nilai.akhir)})" for b in sus)


@village_check
def _seimbang(desa, registry, problems: Problems, settings: dict, audit: Audit) -> None:
    years = sorted(desa.data.get("apbdes") or [], key=lambda y: y.tahun)
    prev = None
    for year in years:
        t = _totals(year)
        r = t.ringkasan
        pend, bel, netto = r["pendapatan"].akhir, r["belanja"].akhir, r["pembiayaan_netto"].akhir
        silpa = pend - bel + netto
        if silpa < 0:
            line, tail = _extra_zero(year, -silpa, "belanja")
            problems.warning(year.path, line, 0,
                             f"APBDes {year.tahun} tidak seimbang: belanja {_rp(bel)} dikurangi pendapatan "
                             f"{_rp(pend)} = {_rp(bel - pend)}, tetapi pembiayaan netto hanya {_rp(netto)}; "
                             f"kurang {_rp(-silpa)}{tail}")
            audit.cek.append(Cek(year.tahun, "seimbang", SELISIH,
                                 f"belanja melebihi pendapatan ditambah pembiayaan netto sebesar {_rp(-silpa)}",
                                 bel - pend, netto, "pembiayaan netto"))
        elif pend and silpa > pend * SILPA_BATAS and not year.meta.status.startswith("Realisasi"):
            line, tail = _extra_zero(year, silpa, "pendapatan")
            problems.warning(year.path, line, 0,
                             f"APBDes {year.tahun}: sisa anggaran (SiLPA) yang direncanakan {_rp(silpa)} lebih dari "
                             f"{int(SILPA_BATAS * 100)}% pendapatan {_rp(pend)}; periksa apakah ada angka yang "
                             f"salah ketik{tail}")
            audit.cek.append(Cek(year.tahun, "seimbang", SELISIH,
                                 f"sisa anggaran yang direncanakan {_rp(silpa)}, lebih dari "
                                 f"{int(SILPA_BATAS * 100)}% pendapatan", bel - pend, netto, "pembiayaan netto"))
        else:
            audit.cek.append(Cek(year.tahun, "seimbang", SESUAI, "belanja dikurangi pendapatan sesuai "
                                 "pembiayaan netto dan SiLPA", bel - pend, netto, "pembiayaan netto"))
        if prev is not None and prev.tahun == year.tahun - 1:
            _lonjakan(prev, year, problems, audit)
        prev = year


def _stable(b) -> bool:
    """Lines that should not jump from year to year: income, and salaries and allowances (5.1)."""
    return b.bagian == "pendapatan" or (b.kode or "").startswith("5.1")


def _lonjakan(prev, year, problems: Problems, audit: Audit) -> None:
    def sums(y):
        out: dict[tuple, tuple[Decimal, Any]] = {}
        for b in y.baris:
            if _stable(b):
                key = (b.kode, b.kegiatan)
                total, first = out.get(key, (Decimal(0), b))
                out[key] = (total + b.nilai.akhir, first)
        return out

    before, now = sums(prev), sums(year)
    for key, (x, b) in now.items():
        if key not in before:
            continue
        y0 = before[key][0]
        if y0 <= 0 or x <= 0 or abs(x - y0) < LONJAKAN_MIN:
            continue
        if x >= y0 * LONJAKAN or x * LONJAKAN <= y0:
            problems.warning(year.path, b.nomor, 0,
                             f"{b.kode_tampil} {b.uraian}: {_rp(x)} pada {year.tahun}, padahal {_rp(y0)} pada "
                             f"{prev.tahun}; periksa apakah ada angka nol yang berlebih atau kurang")
            audit.cek.append(Cek(year.tahun, "lonjakan", SELISIH,
                                 f"{b.uraian}: {_rp(x)}, padahal {_rp(y0)} pada {prev.tahun}", x, y0,
                                 f"APBDes {prev.tahun}"))
