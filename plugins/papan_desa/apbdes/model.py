"""Records of one fiscal year's APBDes: values, lines, metadata and the year itself."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .reference import BAGIAN, level, reference

KOLOM = ("anggaran", "perubahan", "realisasi")
ZERO = Decimal(0)
PERSEN = Decimal("0.01")

STATUS_APBDES = "APBDes"
STATUS_PERUBAHAN = "APBDes Perubahan"
STATUS_SEMESTER = "Realisasi Semester I"
STATUS_TAHUNAN = "Realisasi Tahun Anggaran"
STATUSES = (STATUS_APBDES, STATUS_PERUBAHAN, STATUS_SEMESTER, STATUS_TAHUNAN)


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass(frozen=True)
class Nilai:
    """The amounts of a line or a total: anggaran, and perubahan / realisasi when the year has them."""

    anggaran: Decimal = ZERO
    perubahan: Decimal | None = None
    realisasi: Decimal | None = None

    def __add__(self, other: "Nilai") -> "Nilai":
        return Nilai(self.anggaran + other.anggaran, _add(self.perubahan, other.perubahan),
                     _add(self.realisasi, other.realisasi))

    def __neg__(self) -> "Nilai":
        return Nilai(-self.anggaran, None if self.perubahan is None else -self.perubahan,
                     None if self.realisasi is None else -self.realisasi)

    def __sub__(self, other: "Nilai") -> "Nilai":
        return self + (-other)

    def get(self, kolom: str) -> Decimal | None:
        return getattr(self, kolom)

    @property
    def akhir(self) -> Decimal:
        """The budget in force: after the Perubahan when there is one."""
        return self.perubahan if self.perubahan is not None else self.anggaran

    @property
    def bertambah(self) -> Decimal | None:
        """Bertambah/(Berkurang) = setelah perubahan − anggaran awal."""
        return None if self.perubahan is None else self.perubahan - self.anggaran

    @property
    def lebih_kurang(self) -> Decimal | None:
        """Lebih/(Kurang) = anggaran − realisasi (as the LRA prints it)."""
        return None if self.realisasi is None else self.akhir - self.realisasi

    @property
    def persen(self) -> Decimal | None:
        """Realisasi as a percentage of the budget in force, to 0,01 %.

        None without realisasi, and when the budget is zero or negative (a percentage of a
        deficit means nothing).
        """
        if self.realisasi is None or self.akhir <= 0:
            return None
        return (self.realisasi * 100 / self.akhir).quantize(PERSEN)

    def as_dict(self, kolom: tuple[str, ...] = KOLOM) -> dict[str, Decimal]:
        return {k: (self.get(k) or ZERO) for k in kolom}


NOL = Nilai()


@dataclass(frozen=True)
class Baris:
    """One line of the village's file (a leaf: totals are always computed from these)."""

    nomor: int              # line number in the source file (0 when generated)
    kode: str               # account code without trailing dot; "" for spending known only per kegiatan/bidang
    kegiatan: str           # BB / BB.SS / BB.SS.KK for spending; "" otherwise
    uraian: str
    nilai: Nilai
    sumber_dana: str = ""

    @property
    def bagian(self) -> str:
        return "belanja" if self.kegiatan else BAGIAN[self.kode[0]]

    @property
    def bidang(self) -> str:
        return self.kegiatan[:2]

    @property
    def kode_tampil(self) -> str:
        """As Siskeudes prints it: '4.2.1.01.' or '5.1.1.02. [01.01.01]' or '01.01.01'."""
        if self.kegiatan and self.kode:
            return f"{self.kode}. [{self.kegiatan}]"
        if self.kode:
            return self.kode + "." if level(self.kode) == 4 else self.kode
        return self.kegiatan

    def sort_key(self) -> tuple:
        part = {"pendapatan": 0, "belanja": 1, "pembiayaan": 2}[self.bagian]
        return (part, _code_key(self.kegiatan), _code_key(self.kode), self.sumber_dana, self.uraian.lower(), self.nomor)


def _code_key(code: str) -> tuple:
    return tuple(int(p) for p in code.split(".")) if code else ()


@dataclass(frozen=True)
class MetaTahun:
    status: str
    perdes_nomor: str = ""
    perdes_tanggal: _dt.date | None = None
    per_tanggal: _dt.date | None = None
    pelaksana: str = ""
    sumber: str = ""
    catatan: str = ""       # Markdown body of the metadata file


@dataclass
class TahunAnggaran:
    """One fiscal year of one village, validated."""

    tahun: int
    baris: tuple[Baris, ...]
    meta: MetaTahun
    nama_kegiatan: dict[str, str] = field(default_factory=dict)  # village's own kegiatan names
    peringatan: tuple[str, ...] = ()   # plain notes for readers (realisasi above budget), no line numbers
    path: Path | None = None

    @property
    def has_perubahan(self) -> bool:
        return any(b.nilai.perubahan is not None for b in self.baris)

    @property
    def has_realisasi(self) -> bool:
        return any(b.nilai.realisasi is not None for b in self.baris)

    @property
    def kolom(self) -> tuple[str, ...]:
        return tuple(k for k, on in (("anggaran", True), ("perubahan", self.has_perubahan),
                                     ("realisasi", self.has_realisasi)) if on)

    @property
    def layout(self) -> str:
        """'lra' for a realisation report, 'perubahan' when a Perubahan exists, else 'penjabaran'."""
        if self.has_realisasi:
            return "lra"
        return "perubahan" if self.has_perubahan else "penjabaran"

    def nama(self, code: str) -> str:
        """Name of an account or bidang/sub bidang/kegiatan code (village names first, then reference)."""
        ref = reference()
        if code and code[0] in "456":
            known = ref.akun
        else:
            known = {**ref.bidang, **self.nama_kegiatan}
        if code in known:
            return known[code]
        # Never a bare code. A kegiatan no list names is called after its lines (the operator gets a
        # build warning to name it in apbdes/kegiatan.csv); else the nearest named level above it.
        if code and code[0] not in "456":
            lines = sorted((b for b in self.baris if b.kegiatan == code and b.uraian),
                           key=lambda b: (-b.nilai.akhir, b.uraian))
            names = list(dict.fromkeys(b.uraian for b in lines))
            if len(names) == 1:
                return names[0]
            if names:
                return f"{names[0]} dan {len(names) - 1} rincian lain"
        parts = code.split(".")
        for i in range(len(parts) - 1, 0, -1):
            parent = ".".join(parts[:i])
            if parent in known:
                return f"Lainnya: {known[parent]}"
        return "Lainnya"


Year = TahunAnggaran
