"""The Daftar Informasi Publik (``informasi-publik.csv``) and the PPID official (``ppid.md``), Perki 1/2018."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems
from ..schema import Field, Schema, register
from .berita import Ref
from .common import DOC_EXT, read_csv, resolve_ref, village_rel

KLASIFIKASI = ("berkala", "serta-merta", "setiap saat", "dikecualikan")
BENTUK = ("cetak", "digital", "cetak dan digital")

DIP = register(Schema(
    name="informasi_publik", title="Daftar Informasi Publik (DIP)", path="informasi-publik.csv", format="csv",
    description=("Daftar Informasi Publik desa menurut Perki 1/2018, satu baris per informasi. Klasifikasi: "
                 "berkala, serta-merta, setiap saat, dikecualikan (wajib dengan alasan). Kolom `tautan` menunjuk "
                 "dokumen di folder desa (`dokumen/…pdf`), halaman situs desa (`apbdes/`), atau alamat web."),
    fields=(
        Field("nomor", "Nomor", required=True, example="1"),
        Field("klasifikasi", "Klasifikasi", "pilihan", required=True, choices=KLASIFIKASI, example="berkala"),
        Field("ringkasan", "Ringkasan isi informasi", required=True, example="APB Desa Tahun Anggaran 2025"),
        Field("pejabat", "Pejabat/unit yang menguasai", required=True, example="Kaur Keuangan"),
        Field("penanggung_jawab", "Penanggung jawab pembuatan/penerbitan", required=True, example="Sekretaris Desa"),
        Field("waktu_pembuatan", "Waktu pembuatan", required=True, example="Januari 2025"),
        Field("tempat", "Tempat pembuatan", example="Kantor desa"),
        Field("bentuk", "Bentuk informasi", "pilihan", required=True, choices=BENTUK, example="cetak dan digital"),
        Field("retensi", "Jangka waktu penyimpanan", required=True, example="5 tahun"),
        Field("tautan", "Tautan", example="dokumen/perdes-3-2025-apbdes.pdf"),
        Field("alasan", "Alasan dikecualikan", help="Wajib untuk klasifikasi dikecualikan (UU 14/2008 Pasal 17).",
              example="Data pribadi penerima bantuan (UU 27/2022)"),
    )))

PPID = register(Schema(
    name="ppid", title="PPID desa", path="ppid.md", format="markdown",
    description=("Pejabat Pengelola Informasi dan Dokumentasi (PPID) desa, biasanya sekretaris desa. Isi di bawah "
                 "kepala berkas (Markdown) menjelaskan cara mengajukan permohonan informasi dan keberatan."),
    fields=(
        Field("nama", "Nama PPID", required=True, example="Dwi Prasetyo"),
        Field("jabatan", "Jabatan", required=True, example="Sekretaris Desa"),
        Field("telepon", "Telepon/WhatsApp", "telepon", example="0812 2700 4101"),
        Field("email", "E-mail", "email", example="ppid@kaligowong.desa.id"),
        Field("alamat", "Alamat layanan", example="Kantor desa, ruang pelayanan"),
        Field("jam_layanan", "Jam layanan", example="Senin–Jumat 08.00–14.00"),
        Field("formulir", "Formulir permohonan", example="dokumen/formulir-permohonan-informasi.pdf"),
    )))


@dataclass
class EntriDIP:
    line: int
    nomor: str
    klasifikasi: str
    ringkasan: str
    pejabat: str
    penanggung_jawab: str
    waktu_pembuatan: str
    bentuk: str
    retensi: str
    tempat: str = ""
    tautan: str = ""          # site-relative path, "dokumen/…pdf" or an https URL
    tautan_jenis: str = ""    # "dokumen", "halaman", "web" or ""
    alasan: str = ""


@dataclass
class Ppid:
    nama: str
    jabatan: str
    telepon: str = ""
    email: str = ""
    alamat: str = ""
    jam_layanan: str = ""
    formulir: str = ""       # village-relative path of the request form
    body: str = ""


def load_dip(village_dir: Path, problems: Problems) -> tuple[list[EntriDIP], list[Ref]]:
    path = village_dir / DIP.path
    if not path.is_file():
        return [], []
    out, refs = [], []
    for line, r in read_csv(path, DIP, problems):
        if r["klasifikasi"] == "dikecualikan" and not r.get("alasan"):
            problems.error(path, line, r["_kolom"].get("alasan", 1), "informasi yang dikecualikan wajib diberi alasan "
                           "(UU 14/2008 Pasal 17); isi kolom alasan")
            continue
        tautan, jenis = r.get("tautan", ""), ""
        if tautan:
            if tautan.startswith(("https://", "http://")):
                jenis = "web"
            elif tautan.split("#")[0].lower().endswith(tuple(DOC_EXT)):
                t = resolve_ref(village_dir, tautan, problems, path, line, r["_kolom"]["tautan"], kinds=DOC_EXT,
                                what="dokumen")
                if t is None:
                    continue
                refs.append(Ref(t, path, line, r["_kolom"]["tautan"]))
                jenis = "dokumen"
                tautan = t.resolve().relative_to(village_dir.resolve()).as_posix()
            elif ".." in tautan or ":" in tautan or tautan.startswith("//"):
                problems.error(path, line, r["_kolom"]["tautan"], "tautan harus halaman situs desa (mis. apbdes/), "
                               f'dokumen (dokumen/….pdf) atau alamat https://; ditemukan "{tautan}"')
                continue
            else:
                jenis = "halaman"
                tautan = tautan.lstrip("/")
        if r["klasifikasi"] == "dikecualikan" and tautan:
            problems.error(path, line, r["_kolom"]["tautan"], "informasi yang dikecualikan tidak boleh diberi tautan "
                           "ke isinya; kosongkan kolom tautan")
            continue
        out.append(EntriDIP(line, r["nomor"], r["klasifikasi"], r["ringkasan"], r["pejabat"], r["penanggung_jawab"],
                            r["waktu_pembuatan"], r["bentuk"], r["retensi"], r.get("tempat", ""), tautan, jenis,
                            r.get("alasan", "")))
    return out, refs


def load_ppid(village_dir: Path, problems: Problems) -> tuple[Ppid | None, list[Ref]]:
    from .common import check_header
    path = village_dir / PPID.path
    if not path.is_file():
        return None, []
    before = len(problems.errors)
    doc = parse_markdown(path, problems)
    if doc is None:
        return None, []
    v = check_header(doc, PPID, problems)
    form, refs = None, []
    if v.get("formulir"):
        mv = doc.meta["formulir"]
        form = resolve_ref(village_dir, v["formulir"], problems, path, mv.line, mv.column, kinds=DOC_EXT,
                           what="formulir")
        if form is not None:
            refs.append(Ref(form, path, mv.line, mv.column))
    if len(problems.errors) > before or "nama" not in v or "jabatan" not in v:
        return None, []
    return Ppid(v["nama"], v["jabatan"], v.get("telepon", ""), v.get("email", ""), v.get("alamat", ""),
                v.get("jam_layanan", ""),
                village_rel(village_dir, form) if form else "", doc.body.strip()), refs
