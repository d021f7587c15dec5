"""The openness score: what each village must publish, and whether it has, is late, or is missing it.

The rules live here, in one table (:data:`ATURAN`), and are documented in
``docs/keterbukaan.md`` (written from this table by ``papan docs``). A
kabupaten adjusts them in ``pelicanconf.py`` with ``PAPAN_KETERBUKAAN``:
``{"berita": {"bobot": 1, "hari": 60}, "perubahan": {"aktif": False}}``.

Each rule looks at a village's build summary and the build's "today" and
answers one of :data:`ADA`, :data:`USANG` (published but out of date),
:data:`TIDAK_ADA`, or :data:`BELUM` (not yet due: left out of the score).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable

ADA = "ada"
USANG = "usang"
TIDAK_ADA = "tidak ada"
BELUM = "belum waktunya"
NILAI = {ADA: 1.0, USANG: 0.5, TIDAK_ADA: 0.0}
LABEL = {ADA: "Ada", USANG: "Usang", TIDAK_ADA: "Tidak ada", BELUM: "Belum waktunya"}
SIMBOL = {ADA: "✓", USANG: "!", TIDAK_ADA: "✗", BELUM: "–"}


@dataclass(frozen=True)
class Aturan:
    kode: str
    label: str
    dasar: str             # the legal basis, for the documentation
    penjelasan: str        # how the cell is decided, in Indonesian
    bobot: int
    nilai: Callable[["Aturan", dict, dt.date], str]
    hari: int = 0          # days before a publication counts as stale (when the rule uses it)
    jatuh_tempo: str = ""  # "MM-DD" in the current year before which a missing item is not yet due
    aktif: bool = True

    def due(self, today: dt.date) -> bool:
        if not self.jatuh_tempo:
            return True
        m, d = (int(x) for x in self.jatuh_tempo.split("-"))
        return today >= dt.date(today.year, m, d)


def _years(s: dict) -> dict[int, dict]:
    return {y["tahun"]: y for y in s.get("apbdes") or []}


def _profil(a, s, today):
    return ADA if s.get("nama") else TIDAK_ADA


def _apbdes(a, s, today):
    ys = _years(s)
    if today.year in ys:
        return ADA
    return USANG if today.year - 1 in ys else TIDAK_ADA


def _perubahan(a, s, today):
    y = _years(s).get(today.year)
    if y and "perubahan" in y.get("kolom", []):
        return ADA
    return TIDAK_ADA if a.due(today) else BELUM


def _semester(a, s, today):
    y = _years(s).get(today.year)
    if y and "realisasi" in y.get("kolom", []):
        return ADA
    return TIDAK_ADA if a.due(today) else BELUM


def _tahunan(a, s, today):
    y = _years(s).get(today.year - 1)
    if y and y.get("status") == "Realisasi Tahun Anggaran":
        return ADA
    return TIDAK_ADA if a.due(today) else BELUM


def _perdes(a, s, today):
    ys = _years(s)
    if ys.get(today.year, {}).get("perdes_nomor"):
        return ADA
    return USANG if ys.get(today.year - 1, {}).get("perdes_nomor") else TIDAK_ADA


def _dip(a, s, today):
    return ADA if (s.get("publikasi") or {}).get("dip") else TIDAK_ADA


def _fresh(date_text: str | None, days: int, today: dt.date) -> str:
    if not date_text:
        return TIDAK_ADA
    return ADA if (today - dt.date.fromisoformat(date_text[:10])).days <= days else USANG


def _berita(a, s, today):
    return _fresh((s.get("publikasi") or {}).get("berita_terbaru"), a.hari, today)


def _penduduk(a, s, today):
    return _fresh((s.get("datadesa") or {}).get("per_tanggal"), a.hari, today)


ATURAN: tuple[Aturan, ...] = (
    Aturan("profil", "Profil desa", "UU 14/2008; Perki 1/2018 (informasi berkala)",
           "Ada bila halaman profil desa terbit.", 1, _profil),
    Aturan("apbdes", "APBDes tahun berjalan", "Permendagri 20/2018 Pasal 39",
           "Ada bila APBDes tahun ini terbit; usang bila hanya tahun lalu.", 3, _apbdes),
    Aturan("perubahan", "APBDes Perubahan", "Permendagri 20/2018 Pasal 39",
           "Ada bila APBDes tahun ini memuat kolom perubahan; belum waktunya sebelum 1 Oktober.", 1, _perubahan,
           jatuh_tempo="10-01"),
    Aturan("realisasi_semester", "Realisasi semester I", "Permendagri 20/2018 Pasal 68 dan 72",
           "Ada bila APBDes tahun ini memuat realisasi; belum waktunya sebelum 1 Agustus.", 2, _semester,
           jatuh_tempo="08-01"),
    Aturan("realisasi_tahunan", "Realisasi tahun lalu", "Permendagri 20/2018 Pasal 70 dan 72",
           "Ada bila laporan Realisasi Tahun Anggaran tahun lalu terbit; belum waktunya sebelum 1 April.", 2,
           _tahunan, jatuh_tempo="04-01"),
    Aturan("perdes_apbdes", "Perdes APBDes", "Perki 1/2018 (informasi berkala)",
           "Ada bila nomor Perdes APBDes tahun ini tercatat; usang bila hanya tahun lalu.", 1, _perdes),
    Aturan("dip", "Daftar Informasi Publik", "UU 14/2008; Perki 1/2018",
           "Ada bila desa menerbitkan Daftar Informasi Publik.", 1, _dip),
    Aturan("berita", "Berita 90 hari terakhir", "UU 6/2014 Pasal 26 (kewajiban memberi informasi)",
           "Ada bila berita terbaru paling lama 90 hari; usang bila lebih lama.", 1, _berita, hari=90),
    Aturan("penduduk", "Data penduduk", "Perki 1/2018 (informasi berkala)",
           "Ada bila data kependudukan paling lama 365 hari; usang bila lebih lama.", 1, _penduduk, hari=365),
)


def aturan(settings: dict | None = None) -> list[Aturan]:
    """The rules in force: the defaults above, adjusted by ``PAPAN_KETERBUKAAN``."""
    changes = (settings or {}).get("PAPAN_KETERBUKAAN") or {}
    unknown = set(changes) - {a.kode for a in ATURAN}
    if unknown:
        raise ValueError("PAPAN_KETERBUKAAN: aturan tidak dikenal: " + ", ".join(sorted(unknown))
                         + "; yang ada: " + ", ".join(a.kode for a in ATURAN))
    out = []
    for a in ATURAN:
        ch = changes.get(a.kode, {})
        a = replace(a, **{k: v for k, v in ch.items() if k in ("bobot", "hari", "jatuh_tempo", "aktif")})
        if a.aktif:
            out.append(a)
    return out


@dataclass
class Nilai:
    sel: dict[str, str]
    skor: float          # 0..100, over the rules that are due

    @property
    def skor_teks(self) -> str:
        return f"{self.skor:.0f}"


def nilai(summary: dict | None, today: dt.date, rules: list[Aturan]) -> Nilai:
    """The cells and score of one village; a village with nothing published scores 0 everywhere."""
    s = summary or {}
    cells = {a.kode: (a.nilai(a, s, today) if s else TIDAK_ADA) for a in rules}
    due = [a for a in rules if cells[a.kode] != BELUM]
    total = sum(a.bobot for a in due)
    score = 100.0 * sum(a.bobot * NILAI[cells[a.kode]] for a in due) / total if total else 0.0
    return Nilai(cells, round(score, 1))


def hari_ini(settings: dict, summaries: list[dict]) -> dt.date:
    """The build's "today": PAPAN_TODAY, else the newest date any village published (never the clock)."""
    raw = settings.get("PAPAN_TODAY")
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and raw.strip():
        return dt.date.fromisoformat(raw.strip()[:10])
    dates = []
    for s in summaries:
        dates.append((s.get("publikasi") or {}).get("berita_terbaru"))
        dates.append((s.get("datadesa") or {}).get("per_tanggal"))
        dates += [y.get("per_tanggal") for y in s.get("apbdes") or []]
    dates = [dt.date.fromisoformat(d[:10]) for d in dates if d]
    return max(dates) if dates else dt.date(2025, 1, 1)


def docs_markdown() -> str:
    rows = ["| kode | kewajiban | bobot | dasar | cara menilai |", "|---|---|---|---|---|"]
    for a in ATURAN:
        rows.append(f"| `{a.kode}` | {a.label} | {a.bobot} | {a.dasar} | {a.penjelasan} |")
    return "\n".join(rows) + "\n"
