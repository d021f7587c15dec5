"""Realistic synthetic APBDes for demo villages (sizes of Wonosobo's 2025 budgets, see apbdes.md).

Given the same ``random.Random`` seed the output is identical. The budget balances:
belanja = pendapatan + SiLPA tahun sebelumnya − penyertaan modal, so SiLPA tahun berjalan is 0.
"""
from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

from .load import COLUMNS
from .model import STATUS_PERUBAHAN, STATUS_APBDES, STATUS_TAHUNAN, STATUSES
from .numbers import plain

JUTA = 1_000_000

# (sub bidang, kegiatan, object code, uraian, sumber dana) for spending beyond siltap, BLT and pangan
_POOL = [
    ("01.01", "04", "5.2.1.01", "Alat tulis kantor dan benda pos", "ADD"),
    ("01.01", "04", "5.2.5.01", "Langganan listrik, air dan internet kantor desa", "ADD"),
    ("01.01", "06", "5.2.2.01", "Operasional BPD", "ADD"),
    ("01.01", "07", "5.2.2.01", "Insentif RT/RW", "ADD"),
    ("01.02", "02", "5.2.6.01", "Pemeliharaan gedung kantor desa", "ADD"),
    ("01.02", "01", "5.3.2.01", "Pengadaan komputer dan printer kantor desa", "ADD"),
    ("01.03", "01", "5.2.2.01", "Pelayanan administrasi kependudukan", "ADD"),
    ("01.04", "01", "5.2.2.01", "Musyawarah perencanaan desa", "ADD"),
    ("01.04", "04", "5.2.2.01", "Penyusunan APBDes dan laporan keuangan", "ADD"),
    ("01.04", "07", "5.2.1.01", "Laporan kepala desa dan informasi kepada masyarakat", "ADD"),
    ("02.01", "01", "5.2.2.01", "Insentif guru PAUD", "DDS"),
    ("02.01", "01", "5.2.1.01", "Alat permainan edukatif PAUD", "DDS"),
    ("02.02", "02", "5.2.7.01", "Makanan tambahan balita di posyandu", "DDS"),
    ("02.02", "02", "5.2.2.01", "Insentif kader posyandu", "DDS"),
    ("02.02", "03", "5.2.7.01", "Pencegahan stunting: kelas ibu hamil", "DDS"),
    ("02.03", "10", "5.3.5.01", "Pengerasan jalan desa", "DDS"),
    ("02.03", "10", "5.3.5.02", "Rabat beton jalan lingkungan", "DDS"),
    ("02.03", "12", "5.3.6.01", "Jembatan desa", "DDS"),
    ("02.04", "04", "5.3.7.01", "Saluran drainase permukiman", "DDS"),
    ("02.04", "02", "5.3.8.01", "Sambungan air bersih", "DDS"),
    ("02.04", "05", "5.3.4.01", "Rehab rumah tidak layak huni", "PBK"),
    ("02.05", "01", "5.2.7.01", "Bibit pohon untuk penghijauan", "DDS"),
    ("02.06", "01", "5.3.8.01", "Penerangan jalan desa", "DDS"),
    ("02.08", "01", "5.3.4.01", "Pengembangan sarana wisata desa", "DDS"),
    ("03.01", "01", "5.2.2.01", "Honorarium Linmas", "ADD"),
    ("03.02", "01", "5.2.7.01", "Kegiatan keagamaan dan sedekah bumi", "PAD"),
    ("03.03", "01", "5.2.7.01", "Pekan olahraga desa", "ADD"),
    ("03.04", "01", "5.2.2.01", "Pembinaan PKK", "ADD"),
    ("03.04", "02", "5.2.2.01", "Pembinaan karang taruna", "ADD"),
    ("04.03", "01", "5.2.3.01", "Pelatihan aparatur desa", "ADD"),
    ("04.04", "01", "5.2.7.01", "Pelatihan usaha perempuan", "DDS"),
    ("04.05", "01", "5.2.7.01", "Pelatihan UMKM", "DDS"),
    ("05.01", "01", "5.2.7.01", "Kesiapsiagaan bencana longsor", "DDS"),
    ("05.02", "01", "5.4.1.01", "Keadaan darurat", "DDS"),
]
_PANGAN = [
    ("04.02", "01", "5.2.7.01", "Bibit dan pupuk tanaman pangan", "DDS"),
    ("04.02", "02", "5.2.7.01", "Bibit ikan dan pakan ternak", "DDS"),
    ("04.02", "03", "5.3.7.01", "Irigasi usaha tani", "DDS"),
    ("04.02", "04", "5.2.7.01", "Lumbung pangan desa", "DDS"),
]


NAMA_KEGIATAN_CSV = """kode,nama
02.03.10,Pembangunan/Rehabilitasi/Peningkatan/Pengerasan Jalan Desa
02.03.12,Pembangunan/Rehabilitasi/Peningkatan Jembatan Milik Desa
02.04.02,Pembangunan/Rehabilitasi/Peningkatan Sambungan Air Bersih ke Rumah Tangga
02.04.04,Pembangunan/Rehabilitasi/Peningkatan Saluran Drainase Permukiman
02.04.05,Rehabilitasi Rumah Tidak Layak Huni
04.02.01,Peningkatan Produksi Tanaman Pangan
04.02.02,Peningkatan Produksi Peternakan dan Perikanan
04.02.03,Pembangunan/Pemeliharaan Irigasi Usaha Tani
04.02.04,Penguatan Lumbung Pangan Desa
"""


def _ribu(x: float) -> int:
    return int(round(x / 1000.0)) * 1000


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """Split `total` (a multiple of 1000) into n positive multiples of 1000, exactly."""
    weights = [rng.uniform(0.3, 3.0) for _ in range(n)]
    s = sum(weights)
    parts = [max(1000, _ribu(total * w / s)) for w in weights]
    parts[-1] += total - sum(parts)
    if parts[-1] <= 0:  # pragma: no cover - only for absurd n
        parts = [total // n // 1000 * 1000] * (n - 1)
        parts.append(total - sum(parts))
    return parts


def demo_lines(rng: random.Random, tahun: int, n_lines: int = 150, status: str = STATUS_APBDES) -> list[dict]:
    """Rows for ``apbdes/<tahun>.csv`` (dicts keyed by the canonical columns, values as text)."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    lines: list[tuple[str, str, str, int, str]] = []   # kode, kegiatan, uraian, anggaran, sumber
    dd = _ribu(rng.uniform(800, 1400) * JUTA)
    add = _ribu(rng.uniform(450, 610) * JUTA)
    pbh = _ribu(rng.uniform(58, 69) * JUTA)
    kios = _ribu(rng.uniform(5, 15) * JUTA)
    bunga = _ribu(rng.uniform(0.1, 0.6) * JUTA)
    lines += [("4.1.2.07", "", "Hasil Kios Milik Desa", kios, "PAD"),
              ("4.2.1.01", "", "Dana Desa", dd, "DDS"),
              ("4.2.2.01", "", "Bagi Hasil Pajak dan Retribusi Daerah Kabupaten/Kota", pbh, "PBH"),
              ("4.2.3.01", "", "Alokasi Dana Desa", add, "ADD"),
              ("4.3.6.01", "", "Bunga Bank", bunga, "PAD")]
    income = dd + add + pbh + kios + bunga
    if rng.random() < 0.5:
        bk = _ribu(rng.uniform(50, 150) * JUTA)
        lines.append(("4.2.5.01", "", "Bantuan Keuangan dari APBD Kabupaten/Kota", bk, "PBK"))
        income += bk
    silpa = _ribu(rng.uniform(5, 60) * JUTA)
    modal = _ribu(rng.uniform(20, 50) * JUTA) if rng.random() < 0.5 else 0
    lines.append(("6.1.1.01", "", "SiLPA Tahun Sebelumnya", silpa, "SILPA"))
    if modal:
        lines.append(("6.2.2.01", "", "Penyertaan Modal BUM Desa", modal, "DDS"))
    spend = income + silpa - modal

    perangkat = rng.randint(7, 11)
    siltap = [("5.1.1.01", "01.01.01", "Penghasilan Tetap Kepala Desa", 52_200_000, "ADD"),
              ("5.1.1.02", "01.01.01", "Tunjangan Kepala Desa", 6_000_000, "ADD"),
              ("5.1.2.01", "01.01.02", "Penghasilan Tetap Perangkat Desa", perangkat * 12 * _ribu(rng.uniform(2.3, 2.6) * JUTA), "ADD"),
              ("5.1.2.02", "01.01.02", "Tunjangan Perangkat Desa", perangkat * 12 * 200_000, "ADD"),
              ("5.1.3.01", "01.01.03", "Jaminan Kesehatan Kepala Desa", 1_800_000, "ADD"),
              ("5.1.3.02", "01.01.03", "Jaminan Kesehatan Perangkat Desa", perangkat * 1_800_000, "ADD"),
              ("5.1.4.01", "01.01.05", "Tunjangan Kedudukan BPD", _ribu(rng.uniform(30, 45) * JUTA), "ADD")]
    kpm = max(1, int(dd * 0.15 * rng.uniform(0.4, 0.95) // 3_600_000))
    blt = [("5.4.1.01", "05.03.01", f"BLT Desa {kpm} KPM x Rp 300.000 x 12 bulan", kpm * 3_600_000, "DDS")]
    pangan_total = _ribu(dd * rng.uniform(0.20, 0.26))
    pangan = [(k, f"{sb}.{kg}", u, a, s) for (sb, kg, k, u, s), a in
              zip(_PANGAN, _split(rng, pangan_total, len(_PANGAN)))]
    fixed = siltap + blt + pangan
    rest = spend - sum(x[3] for x in fixed)
    n_rest = max(len(_POOL), n_lines - len(lines) - len(fixed))
    picks = []
    for i in range(n_rest):
        sb, kg, kode, uraian, sd = _POOL[i % len(_POOL)]
        paket = i // len(_POOL)
        picks.append((kode, f"{sb}.{kg}", uraian + (f" (paket {paket + 1})" if paket else ""), sd))
    amounts = _split(rng, rest, len(picks))
    lines += fixed + [(k, g, u, a, s) for (k, g, u, s), a in zip(picks, amounts)]

    realisasi = status.startswith("Realisasi")
    share = 0.5 if status == "Realisasi Semester I" else 1.0
    # A Perubahan moves money between spending lines: what some lose, others gain (sum unchanged).
    moved: dict[int, int] = {}
    if status == STATUS_PERUBAHAN:
        spending = [i for i, ln in enumerate(lines) if ln[0].startswith("5") or (not ln[0] and ln[1])]
        chosen = rng.sample(spending, min(10, len(spending)))
        for a, b in zip(chosen[::2], chosen[1::2]):
            delta = _ribu(lines[a][3] * rng.uniform(0.05, 0.3))
            moved[a] = -delta
            moved[b] = delta
    out = []
    for i, (kode, keg, uraian, amount, sd) in enumerate(lines):
        row = {c: "" for c in COLUMNS}
        row.update(kode=kode, kegiatan=keg, uraian=uraian, anggaran=str(amount), sumber_dana=sd)
        if i in moved:
            row["perubahan"] = str(amount + moved[i])
        if realisasi:
            f = share * (rng.uniform(0.97, 1.03) if kode.startswith("4") else rng.uniform(0.8, 1.0))
            if kode.startswith("6.1"):
                f = 1.0
            row["realisasi"] = plain(Decimal(_ribu(amount * f)))
        out.append(row)
    return out


def write_demo_year(folder: Path, rng: random.Random, tahun: int, n_lines: int = 150,
                    status: str = STATUS_APBDES, pelaksana: str = "Kepala Desa selaku PKPKD; "
                    "Sekretaris Desa selaku koordinator PPKD") -> list[Path]:
    """Write ``<folder>/<tahun>.csv`` and ``<folder>/<tahun>.md`` for a demo village."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = demo_lines(rng, tahun, n_lines, status)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    csv_path, md_path = folder / f"{tahun}.csv", folder / f"{tahun}.md"
    csv_path.write_text(buf.getvalue(), encoding="utf-8")
    per = f"{tahun}-06-30" if status == "Realisasi Semester I" else (
        f"{tahun}-12-31" if status == STATUS_TAHUNAN else f"{tahun}-01-15")
    # The village's own names for the kegiatan the partial reference does not name (no build warning).
    (folder / "kegiatan.csv").write_text(NAMA_KEGIATAN_CSV, encoding="utf-8")
    md_path.write_text(
        f"status: {status}\nperdes_nomor: {rng.randint(1, 9)} Tahun {tahun}\nperdes_tanggal: {tahun}-01-15\n"
        f"per_tanggal: {per}\npelaksana: {pelaksana}\nsumber: Data contoh (rekaan)\n\n"
        "Angka-angka ini **rekaan** untuk contoh tampilan, bukan APBDes desa yang sebenarnya.\n",
        encoding="utf-8")
    return [csv_path, md_path]
