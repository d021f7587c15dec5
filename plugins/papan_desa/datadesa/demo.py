"""Synthetic, consistent data-desa files for the demo village generator.

Everything is drawn from ``rng`` (a ``random.Random``), so the same seed writes
the same files. The numbers are made up but shaped like a Wonosobo village:
a young population pyramid, mostly Muslim, many farmers and farm labourers,
most adults with primary or lower-secondary schooling. All tables add up: each
breakdown counts the same people as the RTs in wilayah.csv.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Sequence

from . import schemas as S

AS_OF = dt.date(2025, 6, 30)

# Share of each five-year age band (0-4 … 75+), roughly rural Central Java.
AGE_WEIGHTS = (7.4, 7.6, 7.9, 7.8, 7.2, 7.0, 7.0, 7.2, 7.1, 6.8, 6.3, 5.6, 4.7, 3.6, 2.6, 3.2)


def _split(rng: random.Random, total: int, weights: Sequence[float]) -> list[int]:
    """Split total into len(weights) non-negative integers adding up exactly (largest remainder, jittered)."""
    jittered = [w * rng.uniform(0.85, 1.15) if w > 0 else 0.0 for w in weights]
    s = sum(jittered) or 1.0
    raw = [total * w / s for w in jittered]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        s = str(v)
        return f'"{s}"' if ("," in s or '"' in s) else s
    return "\n".join([",".join(header)] + [",".join(cell(v) for v in r) for r in rows]) + "\n"


def _by_age(rng: random.Random, age: list[int], weights_per_band: Sequence[Sequence[float]]) -> list[int]:
    """Distribute each age band's people over categories (weights depend on the band), summed per category."""
    totals = [0] * len(weights_per_band[0])
    for n, w in zip(age, weights_per_band):
        for i, k in enumerate(_split(rng, n, w)):
            totals[i] += k
    return totals


def write_demo_datadesa(village_dir: Path, rng: random.Random, dusun_names: Sequence[str], population: int) -> Path:
    """Write ``data-desa/`` for a demo village of about ``population`` people; returns the folder."""
    base = village_dir / S.DATA_DIR
    men_total = population * 503 // 1000
    women_total = population - men_total

    # --- wilayah: dusun -> RW -> RT with households and residents -------------------------------
    n_dusun = len(dusun_names)
    dusun_weights = [rng.uniform(0.7, 1.3) for _ in dusun_names]
    men_d = _split(rng, men_total, dusun_weights)
    women_d = _split(rng, women_total, dusun_weights)
    rows_w = []
    rw_no = 0
    total_kk = 0
    for d, name in enumerate(dusun_names):
        people = men_d[d] + women_d[d]
        n_rt = max(1, round(people / rng.randint(160, 240)))
        rt_w = [rng.uniform(0.75, 1.25) for _ in range(n_rt)]
        men_rt = _split(rng, men_d[d], rt_w)
        women_rt = _split(rng, women_d[d], rt_w)
        rts_per_rw = rng.randint(3, 5)
        for j in range(n_rt):
            if j % rts_per_rw == 0:
                rw_no += 1
            n = men_rt[j] + women_rt[j]
            kk = min(n, max(1, round(n / rng.uniform(3.1, 3.6))))
            total_kk += kk
            rows_w.append((name, f"{rw_no:03d}", f"{j + 1:03d}", kk, men_rt[j], women_rt[j]))
    _write(base / "wilayah.csv", _csv(("dusun", "rw", "rt", "kk", "laki_laki", "perempuan"), rows_w))

    # --- population breakdowns --------------------------------------------------------------------
    tables = {}
    for sex, total in (("L", men_total), ("P", women_total)):
        age = _split(rng, total, AGE_WEIGHTS)
        # pendidikan: children under 7 mostly "TIDAK / BELUM SEKOLAH", adults mostly SD/SLTP
        edu = _by_age(rng, age, [
            (95, 5, 0, 0, 0, 0, 0, 0, 0, 0) if i == 0 else
            (20, 80, 0, 0, 0, 0, 0, 0, 0, 0) if i == 1 else
            (2, 55, 30, 13, 0, 0, 0, 0, 0, 0) if i == 2 else
            (2, 4, 30, 34, 26, 1, 1, 2, 0.2, 0) if i <= 6 else
            (4, 10, 48, 20, 13, 1, 1, 3, 0.3, 0.05) if i <= 11 else
            (18, 30, 40, 6, 4, 0.5, 0.5, 1, 0, 0)
            for i in range(16)])
        # pekerjaan (only a handful of the official list)
        jobs_idx = [0, 1, 2, 3, 4, 8, 14, 18, 19, 64, 80, 83, 87]
        jobs = _by_age(rng, age, [
            (100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) if i <= 0 else
            (5, 0, 95, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) if i <= 3 else
            ((8, 22 if sex == "P" else 1, 4, 0, 1, 24, 9, 6, 12, 1.5, 2 if sex == "L" else 0.1, 5, 6)) if i <= 12 else
            (25, 20 if sex == "P" else 1, 0, 6, 0, 35, 0, 1, 8, 0, 0, 3, 2)
            for i in range(16)])
        job_names = [S.category_list("pekerjaan").names[j] for j in jobs_idx]
        religion = _split(rng, total, (985, 8, 5, 0, 1, 0, 1, 0))
        marital = _by_age(rng, age, [
            (100, 0, 0, 0, 0) if i <= 3 else
            (85, 15, 0, 0, 0) if i == 4 else
            (30, 68, 1.5, 0.5, 0) if i <= 6 else
            (3, 90, 3, 4, 0) if i <= 11 else
            (1, 70, 3, 26, 0)
            for i in range(16)])
        tables[sex] = {"umur": age, "pendidikan": edu, "pekerjaan": dict(zip(job_names, jobs)),
                       "agama": religion, "status_perkawinan": marital}

    def write_cat(key: str, names: Sequence[str], men: Sequence[int], women: Sequence[int]) -> None:
        col = S.PENDUDUK_KATEGORI[key][1]
        rows = [(n, m, w) for n, m, w in zip(names, men, women) if m or w]
        _write(base / "penduduk" / f"{key}.csv", _csv((col, "laki_laki", "perempuan"), rows))

    for key in ("umur", "pendidikan", "agama", "status_perkawinan"):
        names = S.category_list(S.PENDUDUK_KATEGORI[key][2]).names
        write_cat(key, names, tables["L"][key], tables["P"][key])
    job_names = list(tables["L"]["pekerjaan"])
    write_cat("pekerjaan", job_names, [tables["L"]["pekerjaan"][n] for n in job_names],
              [tables["P"]["pekerjaan"][n] for n in job_names])

    poor = round(total_kk * rng.uniform(0.12, 0.2))
    _write(base / "penduduk.md",
           f"per_tanggal: {AS_OF.isoformat()}\n"
           "sumber: Data kependudukan desa (contoh)\n"
           f"laki_laki: {men_total}\n"
           f"perempuan: {women_total}\n"
           f"jumlah_kk: {total_kk}\n"
           f"kk_miskin: {poor}\n"
           "sumber_kk_miskin: DTSEN (contoh)\n"
           "\n"
           "Angka di halaman ini adalah **data contoh** untuk desa peragaan, bukan data sebenarnya.\n")

    # --- bansos --------------------------------------------------------------------------------------
    dusun_kk = {}
    for r in rows_w:
        dusun_kk[r[0]] = dusun_kk.get(r[0], 0) + r[3]
    programmes = (("BLT Desa", 300000, "Januari-Juni 2025", "Dana Desa", 0.05),
                  ("PKH", 750000, "Triwulan II 2025", "APBN (Kemensos)", 0.09),
                  ("BPNT", 200000, "Januari-Juni 2025", "APBN (Kemensos)", 0.14))
    rows_b = []
    for prog, value, period, fund, share in programmes:
        for name in dusun_names:
            n = min(dusun_kk[name], max(0, round(dusun_kk[name] * share * rng.uniform(0.5, 1.5))))
            if prog == "BLT Desa" and rng.random() < 0.3:
                n = rng.randint(1, 4)        # small dusun counts show the "<5" rule in the demo
            rows_b.append((prog, name, n, value, period, fund))
    _write(base / "bansos.csv", _csv(("program", "dusun", "jumlah_kk", "nilai_per_kk", "periode", "sumber_dana"), rows_b))
    _write(base / "bansos.md", f"per_tanggal: {AS_OF.isoformat()}\nsumber: Data penyaluran bantuan sosial (contoh)\n\n"
           "Jumlah keluarga penerima per dusun; data contoh.\n")

    # --- indices -----------------------------------------------------------------------------------
    rows_i = []
    idm = rng.uniform(0.60, 0.70)
    for year in (2021, 2022, 2023):
        iks, ike, ikl = (round(idm + rng.uniform(-0.06, 0.06), 4) for _ in range(3))
        score = round((iks + ike + ikl) / 3, 4)
        status = S.status_for("IDM", S.parse_score(f"{score:.4f}")).status
        rows_i.append((year, "IDM", f"{score:.4f}", status, f"{iks:.4f}", f"{ike:.4f}", f"{ikl:.4f}"))
        idm += rng.uniform(0.0, 0.04)
    score = round(idm * 100 + rng.uniform(-3, 3), 2)
    rows_i.append((2024, "Indeks Desa", f"{score:.2f}", "", "", "", ""))
    _write(base / "indeks.csv", _csv(("tahun", "jenis", "skor", "status", "iks", "ike", "ikl"), rows_i))
    rows_s = [(2024, g, f"{rng.uniform(25, 90):.2f}") for g in range(1, 19)]
    _write(base / "sdgs.csv", _csv(("tahun", "tujuan", "skor"), rows_s))

    # --- pemerintahan ------------------------------------------------------------------------------
    first = ("Siti", "Slamet", "Sri", "Budi", "Tri", "Eko", "Dwi", "Agus", "Rini", "Joko", "Wahyu", "Nur", "Ahmad",
             "Sumarni", "Puji", "Yuli")
    last = ("Rahayu", "Santoso", "Wibowo", "Lestari", "Hidayat", "Purnomo", "Susanti", "Prasetyo", "Wulandari",
            "Setiawan", "Handayani", "Mulyono")
    names = iter(rng.sample([f"{a} {b}" for a in first for b in last], 40))
    gov = [("perangkat", "Sekretaris Desa", "", ""), ("perangkat", "Kepala Urusan Keuangan", "", ""),
           ("perangkat", "Kepala Urusan Umum dan Perencanaan", "", ""), ("perangkat", "Kepala Seksi Pemerintahan", "", ""),
           ("perangkat", "Kepala Seksi Kesejahteraan", "", ""), ("perangkat", "Kepala Seksi Pelayanan", "", "")]
    gov += [("perangkat", f"Kepala Dusun {d}", "", "") for d in dusun_names]
    gov += [("bpd", "Ketua BPD", "", ""), ("bpd", "Wakil Ketua BPD", "", ""), ("bpd", "Sekretaris BPD", "", ""),
            ("bpd", "Anggota BPD", "", ""), ("bpd", "Anggota BPD", "", "")]
    gov += [("lembaga", "Ketua", "LPMD", ""), ("lembaga", "Ketua", "PKK", ""), ("lembaga", "Ketua", "Karang Taruna", ""),
            ("ppid", "PPID Desa (Sekretaris Desa)", "", "")]
    rows_g = []
    sekdes = None
    for kat, jab, lem, foto in gov:
        name = sekdes if kat == "ppid" else next(names)
        if jab == "Sekretaris Desa":
            sekdes = name
        rows_g.append((kat, jab, name, lem, foto))
    _write(base / "pemerintahan.csv", _csv(("kategori", "jabatan", "nama", "lembaga", "foto"), rows_g))
    return base
