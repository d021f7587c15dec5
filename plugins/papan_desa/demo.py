"""A deterministic, seeded generator of synthetic villages in the same schema as real ones.

Used for benchmarks and load tests: ``papan demo --villages N --output DIR``.
The first villages take real Wonosobo names and codes from the registry
(spread over every kecamatan); beyond the registry's 265, synthetic villages
get codes in a made-up kabupaten 33.99 and a registry of their own is written
to ``DIR/_wilayah.csv`` (pass it to ``papan build --registry``).
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from .data_kinds import DEMO_GENERATORS   # fn(village_dir, rng, wilayah) adding a data kind's files
from .registry import Wilayah, load_registry


_NAMA_DEPAN = ["Slamet", "Siti", "Budi", "Sri", "Agus", "Dwi", "Tri", "Eko", "Wahyu", "Yuli", "Bambang", "Endang",
               "Hartono", "Sumarni", "Joko", "Rina", "Suparno", "Wartini", "Mulyono", "Ratna"]
_NAMA_BELAKANG = ["Riyadi", "Rahayu", "Santoso", "Wahyuni", "Prasetyo", "Lestari", "Hidayat", "Susanti", "Nugroho",
                  "Utami", "Saputra", "Handayani", "Wibowo", "Purwanti", "Setiawan"]
_BERITA = [
    ("Musyawarah Desa Penyusunan RKP Desa", "Pemerintahan",
     "Pemerintah desa bersama BPD menggelar musyawarah desa untuk menyusun Rencana Kerja Pemerintah Desa. "
     "Warga dari setiap dusun menyampaikan usulan pembangunan jalan, drainase dan kegiatan posyandu."),
    ("Penyaluran BLT Dana Desa Tahap Pertama", "Bantuan Sosial",
     "BLT Dana Desa tahap pertama disalurkan di balai desa. Jumlah keluarga penerima per dusun "
     "diumumkan di papan informasi desa; nama penerima tidak diumumkan di situs ini."),
    ("Kerja Bakti Membersihkan Saluran Irigasi", "Kegiatan Warga",
     "Warga bergotong royong membersihkan saluran irigasi menjelang musim tanam."),
    ("Posyandu Balita dan Lansia Bulan Ini", "Kesehatan",
     "Posyandu balita dan lansia dibuka di setiap dusun. Bawa buku KIA dan kartu kesehatan."),
    ("Pembangunan Jalan Usaha Tani Dimulai", "Pembangunan",
     "Pembangunan jalan usaha tani sepanjang 350 meter dimulai minggu ini, dibiayai Dana Desa."),
]


def _pick_registry(registry, n: int):
    """Round-robin over kecamatan so that a small N still covers many of them."""
    queues = [list(v) for v in registry.kecamatan.values()]
    out = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


def generate(out: Path, n: int, seed: int = 2025, registry_path: Path | None = None, news: int = 3) -> int:
    out.mkdir(parents=True, exist_ok=True)
    registry = load_registry(registry_path)
    chosen = _pick_registry(registry, n)
    extra = []
    for i in range(len(chosen), n):
        kec = i % 20 + 1
        kode = f"33.99.{kec:02d}.{2001 + i // 20:04d}"
        extra.append(Wilayah(kode, f"Sintetis {i + 1:05d}", "desa", f"{kec:02d}", f"Sintetis {kec:02d}",
                             f"sintetis-{i + 1:05d}", 0))
    with open(out / "_wilayah.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["kode_kemendagri", "nama", "jenis", "kode_kec", "kecamatan"])
        for v in sorted(registry.villages.values(), key=lambda v: v.kode):
            w.writerow([v.kode, v.nama, v.jenis, v.kode_kec, v.kecamatan])
        for v in extra:
            w.writerow([v.kode, v.nama, v.jenis, v.kode_kec, v.kecamatan])
    for w in chosen + extra:
        rng = random.Random(f"{seed}-{w.kode}")
        write_village(out / w.slug, w, rng, news=news)
    return len(chosen) + len(extra)


def write_village(vdir: Path, w, rng: random.Random, news: int = 3) -> None:
    vdir.mkdir(parents=True, exist_ok=True)
    kades = f"{rng.choice(_NAMA_DEPAN)} {rng.choice(_NAMA_BELAKANG)}"
    lat = -7.2 - rng.random() * 0.45
    lon = 109.75 + rng.random() * 0.3
    (vdir / "desa.md").write_text(
        f"Nama: {w.nama}\nKode: {w.kode}\nJenis: {w.jenis}\nKecamatan: {w.kecamatan}\n"
        f"Kepala_desa: {kades}\nAlamat_kantor: Jl. Raya {w.nama} No. {rng.randint(1, 40)}, {w.kecamatan}\n"
        f"WhatsApp: 0812 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}\n"
        f"Koordinat: {lat:.4f}, {lon:.4f}\nLuas_wilayah: {rng.randint(120, 900)},{rng.randint(0, 9)}\n"
        f"Ketinggian: {rng.randint(250, 2200)}\nContoh: ya\n\n"
        f"## Sejarah\n\n{w.jenis.capitalize()} {w.nama} adalah {w.jenis} rekaan untuk peragaan Papan Desa.\n\n"
        f"## Visi\n\n{w.nama} yang mandiri, sejahtera dan terbuka.\n", encoding="utf-8")
    berita = vdir / "berita"
    berita.mkdir(exist_ok=True)
    start = dt.date(2025, 1, 6)
    for i in range(news):
        title, cat, text = _BERITA[i % len(_BERITA)]
        day = start + dt.timedelta(days=rng.randint(0, 300))
        (berita / f"{day.isoformat()}-berita-{i + 1:02d}.md").write_text(
            f"Title: {title}\nDate: {day.isoformat()} 09:00\nAuthor: Operator {w.jenis.capitalize()}\n"
            f"Category: {cat}\nSlug: {day.isoformat()}-berita-{i + 1:02d}\n\n{text}\n", encoding="utf-8")
    for gen in DEMO_GENERATORS:
        gen(vdir, rng, w)
