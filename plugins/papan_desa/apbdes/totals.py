"""Every computed figure of a year: totals, the official summary lines, indicators, multi-year view.

Totals are sums of the village's lines (never typed); all arithmetic is Decimal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import NOL, PERSEN, Baris, Nilai, TahunAnggaran
from .numbers import format_persen, format_rupiah
from .reference import ancestors, is_under, level, reference

RINGKASAN_KEYS = ("pendapatan", "belanja", "surplus_defisit", "penerimaan_pembiayaan",
                  "pengeluaran_pembiayaan", "pembiayaan_netto", "silpa")
RINGKASAN_LABEL = {
    "pendapatan": "JUMLAH PENDAPATAN",
    "belanja": "JUMLAH BELANJA",
    "surplus_defisit": "SURPLUS/(DEFISIT)",
    "penerimaan_pembiayaan": "PENERIMAAN PEMBIAYAAN",
    "pengeluaran_pembiayaan": "PENGELUARAN PEMBIAYAAN",
    "pembiayaan_netto": "PEMBIAYAAN NETTO",
    "silpa": "SiLPA TAHUN BERJALAN",
}
BIDANG = ("01", "02", "03", "04", "05")
EKONOMI = ("5.1", "5.2", "5.3", "5.4")
TANPA_KODE = "tanpa_kode"   # spending known only per bidang/kegiatan: no economic type


def _sum(lines) -> Nilai:
    total = NOL
    for b in lines:
        total = total + b.nilai
    return total


def _shape(n: Nilai, kolom: tuple[str, ...]) -> Nilai:
    """Give a total exactly the columns of its year (zero rather than None when the year has them)."""
    z = Decimal(0)
    return Nilai(n.anggaran, (n.perubahan if n.perubahan is not None else n.anggaran) if "perubahan" in kolom else None,
                 (n.realisasi or z) if "realisasi" in kolom else None)


@dataclass
class Totals:
    tahun: int
    kolom: tuple[str, ...]
    ringkasan: dict[str, Nilai]
    akun: dict[str, Nilai]              # every account code above or at a line: '4', '4.2', '4.2.1', '4.2.1.01', '5.1'…
    kegiatan: dict[str, Nilai]          # '01', '01.01', '01.01.01' … for spending
    bidang: dict[str, Nilai]            # always '01'…'05'
    pendapatan_jenis: dict[str, Nilai]  # jenis code ('4.2.1'); a line known only per kelompok is keyed by '4.1'
    ekonomi: dict[str, Nilai]           # '5.1'…'5.4' always, plus 'tanpa_kode' when spending has no account code
    sumber_dana: dict[str, Nilai]       # spending per sumber dana code ('' = not filled)


def hitung(year: TahunAnggaran) -> Totals:
    """All totals of a year."""
    kolom = year.kolom
    lines = year.baris
    akun: dict[str, Nilai] = {}
    keg: dict[str, Nilai] = {}
    for b in lines:
        if b.kode:
            for code in ancestors(b.kode):
                akun[code] = akun.get(code, NOL) + b.nilai
        if b.kegiatan:
            for code in ancestors(b.kegiatan):
                keg[code] = keg.get(code, NOL) + b.nilai
    pendapatan = _sum(b for b in lines if b.bagian == "pendapatan")
    belanja = _sum(b for b in lines if b.bagian == "belanja")
    penerimaan = _sum(b for b in lines if b.kode.startswith("6.1"))
    pengeluaran = _sum(b for b in lines if b.kode.startswith("6.2"))
    surplus = pendapatan - belanja
    netto = penerimaan - pengeluaran
    ringkasan = {
        "pendapatan": pendapatan, "belanja": belanja, "surplus_defisit": surplus,
        "penerimaan_pembiayaan": penerimaan, "pengeluaran_pembiayaan": pengeluaran,
        "pembiayaan_netto": netto, "silpa": surplus + netto,
    }
    jenis: dict[str, Nilai] = {}
    for b in lines:
        if b.bagian == "pendapatan":
            key = ".".join(b.kode.split(".")[:3])
            jenis[key] = jenis.get(key, NOL) + b.nilai
    ekonomi = {k: akun.get(k, NOL) for k in EKONOMI}
    no_code = [b for b in lines if b.bagian == "belanja" and not b.kode]
    if no_code:
        ekonomi[TANPA_KODE] = _sum(no_code)
    sd: dict[str, Nilai] = {}
    for b in lines:
        if b.bagian == "belanja":
            sd[b.sumber_dana] = sd.get(b.sumber_dana, NOL) + b.nilai

    def shaped(d: dict[str, Nilai]) -> dict[str, Nilai]:
        return {k: _shape(v, kolom) for k, v in sorted(d.items(), key=lambda kv: _sort(kv[0]))}

    return Totals(
        year.tahun, kolom,
        {k: _shape(ringkasan[k], kolom) for k in RINGKASAN_KEYS},
        shaped(akun), shaped(keg),
        {k: _shape(keg.get(k, NOL), kolom) for k in BIDANG},
        shaped(jenis), {k: _shape(v, kolom) for k, v in ekonomi.items()}, shaped(sd),
    )


def _sort(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in code.split(".")) if code else (-1,)


# --- indicators ------------------------------------------------------------------

@dataclass(frozen=True)
class Indikator:
    kode: str
    nama: str
    nilai: Decimal | None            # percent, 0,01 precision; None when it cannot be computed
    batas: Decimal | None = None     # the rule's limit in percent, if any for that year
    arah: str = ""                   # "paling_banyak" | "paling_sedikit" | ""
    pembilang: Decimal | None = None
    penyebut: Decimal | None = None
    catatan: str = ""

    @property
    def memenuhi(self) -> bool | None:
        if self.nilai is None or self.batas is None:
            return None
        return self.nilai <= self.batas if self.arah == "paling_banyak" else self.nilai >= self.batas

    @property
    def teks(self) -> str:
        """One Indonesian sentence for the page and the text alternative."""
        if self.nilai is None:
            return f"{self.nama}: tidak dapat dihitung ({self.catatan})."
        s = f"{self.nama}: {format_persen(self.nilai)}"
        if self.pembilang is not None and self.penyebut is not None:
            s += f" ({format_rupiah(self.pembilang)} dari {format_rupiah(self.penyebut)})"
        if self.batas is not None:
            kata = "paling banyak" if self.arah == "paling_banyak" else "paling sedikit"
            s += f"; batas {kata} {format_persen(self.batas)}: " + ("memenuhi" if self.memenuhi else "tidak memenuhi")
        return s + "."


# Limits per year (PP 11/2019 for siltap; yearly Dana Desa rules for BLT and ketahanan pangan).
SILTAP_BATAS = Decimal(30)
SILTAP_KODE = ("5.1.1", "5.1.2", "5.1.3", "5.1.4")   # all of Belanja Pegawai
DANA_DESA_BATAS: dict[int, dict[str, tuple[str, Decimal]]] = {
    2024: {"blt_desa": ("paling_banyak", Decimal(25)), "ketahanan_pangan": ("paling_sedikit", Decimal(20))},
    2025: {"blt_desa": ("paling_banyak", Decimal(15)), "ketahanan_pangan": ("paling_sedikit", Decimal(20))},
}
BLT_KEGIATAN = "05.03.01"       # Penanggulangan Keadaan Mendesak (BLT Desa)
PANGAN_SUB_BIDANG = "04.02"     # Pertanian dan Peternakan (ketahanan pangan)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else (part * 100 / whole).quantize(PERSEN)


def indikator(year: TahunAnggaran, totals: Totals | None = None) -> list[Indikator]:
    """Indicators residents and the kabupaten check, computed on the budget in force."""
    t = totals or hitung(year)
    out: list[Indikator] = []
    belanja = t.ringkasan["belanja"].akhir
    spending = [b for b in year.baris if b.bagian == "belanja"]
    coded = [b for b in spending if b.kode]
    if not coded:
        out.append(Indikator("siltap", "Belanja siltap dan tunjangan terhadap belanja", None, SILTAP_BATAS,
                             "paling_banyak", catatan="belanja tidak dirinci per kode rekening"))
    else:
        siltap = sum((b.nilai.akhir for b in coded if any(is_under(b.kode, k) for k in SILTAP_KODE)), Decimal(0))
        note = "" if len(coded) == len(spending) else "sebagian belanja tanpa kode rekening"
        out.append(Indikator("siltap", "Belanja siltap dan tunjangan terhadap belanja", _pct(siltap, belanja),
                             SILTAP_BATAS, "paling_banyak", siltap, belanja,
                             note or "Belanja Pegawai (5.1) terhadap jumlah belanja; PP 11/2019: paling banyak 30%"))
    dana_desa = t.akun.get("4.2.1", NOL).akhir
    limits = DANA_DESA_BATAS.get(year.tahun, {})
    with_sd = [b for b in spending if b.sumber_dana]
    for kode, nama, under in (("blt_desa", "Dana Desa untuk BLT Desa", BLT_KEGIATAN),
                              ("ketahanan_pangan", "Dana Desa untuk ketahanan pangan", PANGAN_SUB_BIDANG)):
        arah, batas = limits.get(kode, ("", None))
        if dana_desa == 0:
            out.append(Indikator(kode, nama, None, batas, arah, catatan="tidak ada pendapatan Dana Desa (4.2.1)"))
            continue
        if not with_sd:
            out.append(Indikator(kode, nama, None, batas, arah, catatan="sumber dana belanja tidak diisi"))
            continue
        part = sum((b.nilai.akhir for b in spending if b.sumber_dana == "DDS" and is_under(b.kegiatan, under)),
                   Decimal(0))
        out.append(Indikator(kode, nama, _pct(part, dana_desa), batas, arah, part, dana_desa,
                             f"belanja bersumber DDS pada {under} terhadap pendapatan Dana Desa"))
    if "realisasi" in t.kolom:
        for key, nama in (("pendapatan", "Realisasi pendapatan"), ("belanja", "Realisasi belanja")):
            n = t.ringkasan[key]
            out.append(Indikator(f"realisasi_{key}", nama, n.persen, pembilang=n.realisasi, penyebut=n.akhir,
                                 catatan="" if n.persen is not None else "anggaran nol"))
    return out


# --- multi-year ------------------------------------------------------------------

@dataclass(frozen=True)
class RingkasanTahun:
    tahun: int
    status: str
    kolom: tuple[str, ...]
    ringkasan: dict[str, Nilai]
    bidang: dict[str, Nilai]
    pendapatan_jenis: dict[str, Nilai] = field(default_factory=dict)


def multi_tahun(years: list[TahunAnggaran]) -> list[RingkasanTahun]:
    """One summary per year, oldest first (the multi-year view; meaningful with two or more years)."""
    out = []
    for y in sorted(years, key=lambda y: y.tahun):
        t = hitung(y)
        out.append(RingkasanTahun(y.tahun, y.meta.status, t.kolom, t.ringkasan, t.bidang, t.pendapatan_jenis))
    return out


def nama_jenis_pendapatan(code: str) -> str:
    return reference().akun.get(code, code)


def is_jenis(code: str) -> bool:
    return level(code) == 3
