"""Papan Desa's own settings, declared once: name, default and meaning.

They live in ``pelicanconf.py`` next to Pelican's settings (Pelican's convention);
anything not set there takes the default below. ``docs/pengaturan.md`` is made
from this table (``papan docs``) and a test fails when it is out of date.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PAPAN_KABUPATEN", "Wonosobo", "Nama kabupaten (tanpa kata 'Kabupaten')."),
    Setting("PAPAN_PROVINSI", "Jawa Tengah", "Nama provinsi."),
    Setting("PAPAN_REGISTRY", "data/wonosobo-wilayah-2025.csv",
            "Daftar wilayah resmi (CSV: kode_kemendagri, nama, jenis, kode_kec, kecamatan) yang menjadi dasar portal."),
    Setting("PAPAN_VILLAGES_PATH", "villages", "Folder berisi satu folder per desa."),
    Setting("PAPAN_CACHE_PATH", ".cache/papan", "Folder cache pembangunan (boleh dihapus kapan saja)."),
    Setting("PAPAN_PENGADUAN_NAMA", "SP4N-LAPOR!", "Nama kanal pengaduan kabupaten."),
    Setting("PAPAN_PENGADUAN_URL", "https://www.lapor.go.id/", "Alamat kanal pengaduan kabupaten."),
    Setting("PAPAN_PEMKAB_URL", "https://wonosobokab.go.id/", "Situs resmi pemerintah kabupaten."),
    Setting("PAPAN_DATA_LICENSE", "CC-BY-4.0", "Lisensi data terbuka (kode SPDX)."),
    Setting("PAPAN_PRIVASI_IZIN", "privasi-izin.csv",
            "Daftar pengecualian pemeriksa data pribadi (berkas, nilai, alasan); lihat docs/privasi-dan-keamanan.md."),
    Setting("PAPAN_TODAY", None,
            "Tanggal 'hari ini' (TTTT-BB-HH) untuk pengumuman serta-merta dan skor keterbukaan; bila kosong dipakai "
            "tanggal terbaru di publikasi desa, jadi hasil tetap sama untuk masukan yang sama. Alur penerbitan "
            "mengisinya dari variabel lingkungan PAPAN_TODAY."),
    Setting("PAPAN_PUBLIC_SITEURL", "https://papandesa.github.io/wonosobo",
            "Alamat situs terbit, untuk kode QR di poster APBDes dan tautan mutlak (publishconf.py menyamakannya "
            "dengan SITEURL)."),
    Setting("PAPAN_POSTER", True, "Buat poster APBDes (PDF A1 dan A4, pratinjau PNG) untuk setiap tahun anggaran."),
    Setting("PAPAN_LOGO", None,
            "Berkas PNG logo kabupaten untuk poster APBDes (relatif terhadap folder proyek); kosong = tanpa logo."),
    Setting("PAPAN_KETERBUKAAN", {}, "Penyesuaian kewajiban skor keterbukaan per kode aturan (bobot, hari, "
            "batas, untuk, aktif); lihat docs/keterbukaan.md."),
    Setting("PAPAN_BLT_BULANAN", 300000,
            "Besaran BLT Desa per keluarga penerima per bulan (rupiah), untuk mencocokkan data penerima dengan "
            "anggaran BLT Desa; lihat docs/keterbukaan.md."),
    Setting("PAPAN_BLT_BULAN", 12, "Jumlah bulan BLT Desa dalam satu tahun anggaran, untuk pencocokan yang sama."),
    Setting("PAPAN_ADMIN_HOST", "127.0.0.1",
            "Alamat Papan Admin (make admin). Selain 127.0.0.1/localhost, setiap halaman meminta masuk dan Papan "
            "Admin hanya mau berjalan bila sudah ada akun kabupaten (papan admin pengguna tambah NAMA --kabupaten); "
            "variabel lingkungan PAPAN_ADMIN_HOST menimpa pengaturan ini."),
    Setting("PAPAN_ADMIN_PORT", 8765, "Port Papan Admin; variabel lingkungan PAPAN_ADMIN_PORT menimpa pengaturan ini."),
    Setting("PAPAN_SEARCH_RAM", "/dev/shm",
            "Folder di memori (tmpfs) tempat Pagefind membaca halaman dan menulis indeks pencarian sebelum indeks "
            "disimpan di cache; dipakai hanya bila ada dan cukup luas. Kosong = langsung di disk."),
    Setting("PAPAN_BATAS", {},
            "Batas ukuran berkas yang dibaca, menimpa bawaan per nama batas, mis. {\"xlsx\": 20 * 1024 * 1024, "
            "\"csv_baris\": 200000}; dipakai pembangunan situs, Papan Admin dan impor APBDes (guard.batas). Daftar nama dan nilai "
            "bawaannya di docs/privasi-dan-keamanan.md bagian 7."),
    Setting("PAPAN_SMALL_COUNT", 5, "Jumlah di bawah angka ini ditampilkan sebagai \"<5\" bila dapat menunjuk satu orang."),
)

DEFAULTS = {s.name: s.default for s in SETTINGS}


def papan_setting(settings: dict, name: str) -> Any:
    if name not in DEFAULTS:
        raise KeyError(f"unknown Papan Desa setting {name}")
    return settings.get(name, DEFAULTS[name])
