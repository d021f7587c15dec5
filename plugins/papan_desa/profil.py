"""The village profile: ``villages/<slug>/desa.md``."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .markdown_meta import parse_markdown
from .problems import Problems, expected_found
from .registry import Registry
from .schema import Field, Schema, read_header, register

PROFIL = register(Schema(
    name="profil",
    title="Profil desa",
    path="desa.md",
    format="markdown",
    required_file=True,
    description=(
        "Identitas dan profil desa. Bagian atas berkas berisi baris `Kunci: nilai`, lalu satu baris kosong, "
        "lalu isi profil (sejarah, visi dan misi, potensi) dalam Markdown. Nama, kode, jenis dan kecamatan "
        "harus sama dengan daftar wilayah resmi kabupaten."
    ),
    fields=(
        Field("nama", "Nama desa/kelurahan", required=True, example="Kaligowong",
              help="Nama resmi seperti dalam daftar wilayah Kemendagri.", max_length=80),
        Field("kode", "Kode Kemendagri", "kode_kemendagri", required=True, example="33.07.01.2001",
              help="Kode wilayah Kemendagri (Kepmendagri 300.2.2-2138/2025)."),
        Field("jenis", "Jenis", "pilihan", required=True, choices=("desa", "kelurahan"), example="desa"),
        Field("kecamatan", "Kecamatan", required=True, example="Wadaslintang"),
        Field("kepala_desa", "Kepala desa / lurah", required=True, example="Suparno", max_length=80,
              help="Nama kepala desa (atau lurah) yang menjabat."),
        Field("alamat_kantor", "Alamat kantor", required=True, example="Jl. Raya Kaligowong No. 1, Wadaslintang",
              max_length=200),
        Field("telepon", "Telepon kantor", "telepon", example="0286 321123"),
        Field("whatsapp", "WhatsApp layanan", "whatsapp", example="0812 2700 1234",
              help="Nomor WhatsApp untuk pertanyaan, pengaduan dan permohonan layanan warga."),
        Field("email", "E-mail", "email", example="pemdes@kaligowong.desa.id"),
        # Service requests from a resident's phone (issue #23); checked in publikasi/permohonan.py.
        Field("permohonan", "Saluran permohonan layanan", "pilihan", choices=("whatsapp", "sms", "email"),
              example="whatsapp",
              help="Ke mana permohonan layanan yang disusun warga di halaman layanan dikirim: whatsapp (nomor "
                   "WhatsApp layanan), sms (nomor SMS layanan, atau nomor WhatsApp bila kosong) atau email "
                   "(E-mail). Bila kosong, dipakai WhatsApp bila nomornya ada; bila tidak ada saluran, halaman "
                   "layanan meminta warga datang langsung."),
        Field("sms", "Nomor SMS layanan", "whatsapp", example="0812 2700 1234",
              help='Nomor ponsel penerima SMS permohonan; hanya dipakai bila "permohonan: sms".'),
        Field("jam_layanan", "Jam layanan", example="Senin–Jumat 08.00–14.00", max_length=120,
              help="Hari dan jam loket pelayanan buka; tampil di setiap halaman layanan (berkas layanan dapat "
                   "menulis jam sendiri)."),
        Field("koordinat", "Koordinat kantor", "koordinat", example="-7.5873, 109.7842",
              help="Lintang, bujur (derajat desimal). Ditampilkan sebagai tautan ke OpenStreetMap."),
        Field("luas_wilayah", "Luas wilayah", "angka", unit="ha", minimum=Decimal(0), example="512,4",
              help="Luas wilayah dalam hektare."),
        Field("ketinggian", "Ketinggian", "angka", unit="mdpl", example="410",
              help="Ketinggian kantor desa di atas permukaan laut, dalam meter."),
        Field("batas_utara", "Batas utara", example="Desa Sumbersari", max_length=120,
              help="Desa/kelurahan atau batas alam di sebelah utara."),
        Field("batas_selatan", "Batas selatan", example="Desa Lancar", max_length=120),
        Field("batas_timur", "Batas timur", example="Waduk Wadaslintang", max_length=120),
        Field("batas_barat", "Batas barat", example="Kabupaten Kebumen", max_length=120),
        Field("situs", "Situs lain", "url", example="https://kaligowong.desa.id",
              help="Alamat situs atau media sosial resmi lain (jika ada)."),
        Field("contoh", "Data contoh", "ya_tidak", example="tidak",
              help='Tulis "ya" bila angka-angka desa ini rekaan (contoh); setiap halaman akan memuat tanda "Data contoh".'),
    ),
))


@dataclass
class Profil:
    slug: str
    nama: str
    kode: str
    jenis: str
    kecamatan: str
    kepala_desa: str
    alamat_kantor: str
    body: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    body_html: str = ""

    @property
    def contoh(self) -> bool:
        return bool(self.values.get("contoh"))

    def get(self, name: str, default=None):
        return self.values.get(name, default)


def load_profil(village_dir: Path, registry: Registry | None, problems: Problems) -> Profil | None:
    path = village_dir / PROFIL.path
    if not path.is_file():
        problems.error(path, 0, 0, "berkas profil desa.md tidak ada; setiap folder desa wajib punya desa.md "
                       "(lihat docs/format-data.md)")
        return None
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    values, ok = read_header(doc, PROFIL, problems)
    if not ok:
        return None
    from .sanitize import render_markdown

    html = render_markdown(doc.body, problems=problems, path=path, village_dir=village_dir, first_line=doc.body_line)
    prof = Profil(village_dir.name, values["nama"], values["kode"], values["jenis"], values["kecamatan"],
                  values["kepala_desa"], values["alamat_kantor"], doc.body, values, html)
    if registry is not None:
        _check_against_registry(prof, doc, registry, problems)
    return prof


def _check_against_registry(prof: Profil, doc, registry: Registry, problems: Problems) -> None:
    path = doc.path
    meta = doc.meta
    w = registry.villages.get(prof.kode)
    if w is None:
        problems.error(path, meta["kode"].line, meta["kode"].column,
                       f'kode {prof.kode} tidak ada dalam daftar wilayah {registry.path.name}; '
                       "periksa kode Kemendagri desa ini")
        return
    if prof.kecamatan.lower() not in {k.lower() for k in registry.kecamatan}:
        problems.error(path, meta["kecamatan"].line, meta["kecamatan"].column,
                       f'kecamatan "{prof.kecamatan}" tidak dikenal; diharapkan salah satu dari: '
                       + ", ".join(registry.kecamatan_names()))
        return
    if prof.kecamatan.lower() != w.kecamatan.lower():
        problems.error(path, meta["kecamatan"].line, meta["kecamatan"].column,
                       f"kode {prof.kode} ada di Kecamatan {w.kecamatan}; " + expected_found(w.kecamatan, prof.kecamatan))
    if prof.nama.lower() != w.nama.lower():
        problems.error(path, meta["nama"].line, meta["nama"].column,
                       f"nama untuk kode {prof.kode} menurut daftar wilayah: " + expected_found(w.nama, prof.nama))
    if prof.jenis != w.jenis:
        problems.error(path, meta["jenis"].line, meta["jenis"].column,
                       f"kode {prof.kode} terdaftar sebagai {w.jenis}; " + expected_found(w.jenis, prof.jenis))
