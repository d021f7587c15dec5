"""Sample publications for demo villages: drawn photos (no people), notices, projects, services,
legal products with small PDFs, the DIP and the PPID.  Deterministic for a given ``rng``."""
from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

_DUSUN = ["Krajan", "Sidomulyo", "Karangsari", "Sumberejo", "Tegalsari", "Kedungan", "Ngasinan", "Pucung"]


# ------------------------------------------------------------------ drawn photos

def scene_jpeg(rng: random.Random, size: tuple[int, int] = (960, 720), *, kind: str = "jalan",
               progress: float = 1.0, quality: int = 72) -> bytes:
    """A simple drawn village scene (sky, hills, fields, a road or a building) as JPEG bytes."""
    from PIL import Image, ImageDraw

    w, h = size
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    sky = (rng.randint(120, 170), rng.randint(170, 210), rng.randint(220, 250))
    for y in range(h // 2):
        t = y / (h / 2)
        d.line([(0, y), (w, y)], fill=tuple(int(c * (1 - .25 * t) + 255 * .25 * t) for c in sky))
    for i in range(3):
        base = h // 2 - 40 + i * 30
        pts = [(0, h)] + [(x, base - int(rng.random() * 60 + 40 * ((x / w * (i + 2)) % 1)))
                          for x in range(0, w + 80, 80)] + [(w, h)]
        g = 90 + i * 30
        d.polygon(pts, fill=(40 + i * 15, g, 50 + i * 10))
    for r in range(6):  # terraced fields
        y = int(h * .62) + r * 28
        d.rectangle([0, y, w, y + 14], fill=(70 + r * 8, 130 + r * 6, 60))
    if kind == "jalan":
        d.polygon([(w * .42, h * .55), (w * .58, h * .55), (w * .9, h), (w * .1, h)], fill=(120, 105, 90))
        done = int(h * .55 + (h * .45) * progress)
        d.polygon([(w * .42, h * .55), (w * .58, h * .55), (w * (0.58 + .32 * progress), done),
                   (w * (0.42 - .32 * progress), done)], fill=(175, 175, 170))
    else:
        x0, y0 = int(w * .3), int(h * .45)
        d.rectangle([x0, y0, x0 + int(w * .4), y0 + int(h * .25)], fill=(235, 225, 200))
        d.polygon([(x0 - 20, y0), (x0 + int(w * .2), y0 - int(h * .15)), (x0 + int(w * .4) + 20, y0)],
                  fill=(150, 60, 40))
        for k in range(3):
            d.rectangle([x0 + 30 + k * int(w * .12), y0 + 30, x0 + 70 + k * int(w * .12), y0 + 80], fill=(80, 110, 140))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


# ------------------------------------------------------------------ a tiny PDF

def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with the given lines of text (ASCII), without metadata."""
    def esc(s: str) -> str:
        s = s.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return s
    text = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({esc(l)}) Tj T*" for l in lines) + " ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text.encode() + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# ------------------------------------------------------------------ the files

LAYANAN = [
    ("surat-keterangan-domisili", "Surat Keterangan Domisili", "1 hari kerja",
     ["Surat pengantar RT/RW", "Fotokopi KTP dan Kartu Keluarga (ditunjukkan aslinya)"]),
    ("surat-keterangan-usaha", "Surat Keterangan Usaha", "1 hari kerja",
     ["Surat pengantar RT/RW", "Fotokopi KTP", "Foto tempat usaha (boleh dari ponsel)"]),
    ("surat-keterangan-tidak-mampu", "Surat Keterangan Tidak Mampu", "1 hari kerja",
     ["Surat pengantar RT/RW", "Fotokopi Kartu Keluarga", "Keterangan keperluan (sekolah, berobat)"]),
    ("surat-pengantar-nikah", "Surat Pengantar Nikah", "2 hari kerja",
     ["Surat pengantar RT/RW", "Fotokopi KTP dan Kartu Keluarga kedua calon", "Pas foto 3x4 berlatar biru, 4 lembar"]),
]


def write_publikasi(vdir: Path, rng: random.Random, w, *, tahun: int = 2025, photo_size=(960, 720)) -> None:
    """Write sample publications into one village folder (files that exist are overwritten)."""
    from .pembangunan import anggaran_apbdes

    nama, jenis = w.nama, w.jenis
    dusun = rng.sample(_DUSUN, 3)
    (vdir / "gambar").mkdir(parents=True, exist_ok=True)
    (vdir / "dokumen").mkdir(exist_ok=True)
    (vdir / "gambar" / "balai-desa.jpg").write_bytes(scene_jpeg(rng, photo_size, kind="balai"))
    # The first news post gets a cover photo.
    posts = sorted((vdir / "berita").glob("*.md")) if (vdir / "berita").is_dir() else []
    if posts:
        text = posts[0].read_text(encoding="utf-8")
        if "\nSampul:" not in text:
            head, _, body = text.partition("\n\n")
            posts[0].write_text(head + "\nSampul: gambar/balai-desa.jpg\nSampul_keterangan: Balai "
                                f"{jenis} {nama} (gambar ilustrasi)\n\n" + body, encoding="utf-8")
    # Urgent notices: one planned water cut, one past landslide warning.
    (vdir / "pengumuman").mkdir(exist_ok=True)
    m = rng.randint(9, 11)
    start = dt.date(tahun, m, rng.randint(3, 20))
    (vdir / "pengumuman" / f"{start.isoformat()}-pemadaman-air.md").write_text(
        f"Judul: Pemadaman air bersih di Dusun {dusun[0]}\nJenis: pemadaman air\nMulai: {start.isoformat()}\n"
        f"Selesai: {(start + dt.timedelta(days=1)).isoformat()}\n"
        "Bahaya: Perbaikan pipa induk PAMSIMAS; air tidak mengalir pukul 08.00–16.00\n"
        f"Terdampak: Warga Dusun {dusun[0]} RT 01–04\n"
        "Tindakan: Tampung air sehari sebelumnya; air bersih tersedia di balai dusun\n"
        f"Penanggung_jawab: Badan Pengelola SPAM {jenis.capitalize()} {nama}\n\n"
        "Mohon maaf atas gangguan ini.\n", encoding="utf-8")
    past = dt.date(tahun, 1, rng.randint(5, 25))
    (vdir / "pengumuman" / f"{past.isoformat()}-waspada-longsor.md").write_text(
        f"Judul: Waspada tanah longsor di lereng Dusun {dusun[1]}\nJenis: bencana alam\nMulai: {past.isoformat()}\n"
        f"Selesai: {(past + dt.timedelta(days=14)).isoformat()}\n"
        "Bahaya: Hujan deras berhari-hari; retakan tanah di atas permukiman\n"
        f"Terdampak: Warga Dusun {dusun[1]} di lereng sebelah timur\n"
        "Tindakan: Mengungsi ke balai desa saat hujan deras malam hari; laporkan retakan baru ke ketua RT\n"
        f"Penanggung_jawab: Kepala {jenis.capitalize()} dan Linmas\n", encoding="utf-8")
    # Development projects with a photo timeline.
    (vdir / "pembangunan").mkdir(exist_ok=True)
    projects = [("jalan-" + dusun[0].lower(), f"Rabat beton jalan lingkungan Dusun {dusun[0]}", "02.03.10",
                 "jalan", "m", rng.randint(15, 40) * 10, "selesai", 100),
                ("drainase-" + dusun[2].lower(), f"Saluran drainase permukiman Dusun {dusun[2]}", "02.04.04",
                 "jalan", "m", rng.randint(4, 12) * 10, "berjalan", rng.choice([40, 55, 70]))]
    for slug, pname, code, kind, unit, vol, status, prog in projects:
        # The sample code is only named when the village's budget has that activity, with its amount.
        line = anggaran_apbdes(vdir, tahun, code)
        amount = int(line.anggaran) if line is not None else rng.randint(60, 250) * 1_000_000
        real = amount if status == "selesai" else amount * prog // 100
        text = (f"Nama: {pname}\nLokasi: Dusun {slug.split('-', 1)[1].capitalize()}\nTahun: {tahun}\n"
                f"Volume: {vol}\nSatuan: {unit}\nSumber_dana: DDS\nAnggaran: {amount:,}\n".replace(",", ".")
                + f"Realisasi: {real:,}\n".replace(",", ".")
                + f"Progres: {prog}\nStatus: {status}\nPelaksana: TPK {jenis.capitalize()} {nama}\n"
                + (f"Kegiatan_apbdes: {line.kode}\n" if line is not None else "")
                + f"Mulai: {tahun}-04-01\n\nDikerjakan secara padat karya oleh warga setempat.\n")
        (vdir / "pembangunan" / f"{slug}.md").write_text(text, encoding="utf-8")
        folder = vdir / "pembangunan" / slug
        folder.mkdir(exist_ok=True)
        steps = [(f"{tahun}-04-02", "sebelum-dikerjakan", 0.0), (f"{tahun}-05-15", "pengerjaan", prog / 200)]
        if status == "selesai":
            steps.append((f"{tahun}-07-20", "selesai", 1.0))
        for day, label, p in steps:
            (folder / f"{day}-{label}.jpg").write_bytes(scene_jpeg(rng, photo_size, kind=kind, progress=p))
    # Services.
    (vdir / "layanan").mkdir(exist_ok=True)
    for i, (slug, lname, waktu, syarat) in enumerate(LAYANAN, 1):
        form = ""
        if i == 1:
            form = "Formulir: dokumen/formulir-surat-keterangan.pdf\n"
        (vdir / "layanan" / f"{slug}.md").write_text(
            f"Nama: {lname}\nWaktu: {waktu}\nBiaya: Gratis\nTempat: Kantor {jenis} {nama}, loket pelayanan, "
            f"Senin–Jumat 08.00–14.00\nPetugas: Kasi Pelayanan\n{form}Urutan: {i}\n\n## Persyaratan\n\n"
            + "".join(f"- {s}\n" for s in syarat)
            + "\n## Prosedur\n\n1. Datang ke loket pelayanan dengan membawa persyaratan.\n"
              "2. Petugas memeriksa berkas dan mencatat di buku register.\n"
              "3. Kepala desa atau sekretaris desa menandatangani surat.\n4. Surat diserahkan kepada pemohon.\n",
            encoding="utf-8")
    (vdir / "dokumen" / "formulir-surat-keterangan.pdf").write_bytes(tiny_pdf(
        [f"Pemerintah {jenis.capitalize()} {nama}", "Formulir permohonan surat keterangan",
         "Nama: ..................", "Keperluan: ..................", "(contoh dokumen)"]))
    # Legal products.
    perdes = f"perdes-2-{tahun}-apbdes.pdf"
    (vdir / "dokumen" / perdes).write_bytes(tiny_pdf(
        [f"Peraturan {jenis.capitalize()} {nama} Nomor 2 Tahun {tahun}",
         f"tentang Anggaran Pendapatan dan Belanja Desa Tahun Anggaran {tahun}", "(contoh dokumen)"]))
    (vdir / "dokumen" / f"sk-kades-7-{tahun}-tpk.pdf").write_bytes(tiny_pdf(
        [f"Keputusan Kepala {jenis.capitalize()} {nama} Nomor 7 Tahun {tahun}",
         "tentang Tim Pelaksana Kegiatan", "(contoh dokumen)"]))
    (vdir / "dokumen" / "formulir-permohonan-informasi.pdf").write_bytes(tiny_pdf(
        ["Formulir permohonan informasi publik", f"PPID {jenis.capitalize()} {nama}", "(contoh dokumen)"]))
    (vdir / "produk-hukum.csv").write_text(
        "jenis,nomor,tahun,tanggal,tentang,status,berkas\n"
        f"Perdes,2,{tahun},{tahun}-01-08,Anggaran Pendapatan dan Belanja Desa Tahun Anggaran {tahun},berlaku,"
        f"dokumen/{perdes}\n"
        f"Perdes,1,{tahun},{tahun}-01-06,Rencana Kerja Pemerintah Desa Tahun {tahun},berlaku,\n"
        f"SK Kades,7,{tahun},{tahun}-01-15,Tim Pelaksana Kegiatan Tahun {tahun},berlaku,"
        f"dokumen/sk-kades-7-{tahun}-tpk.pdf\n"
        f"Perkades,3,{tahun - 1},{tahun - 1}-02-10,Penjabaran APB Desa Tahun Anggaran {tahun - 1},dicabut,\n",
        encoding="utf-8")
    # The DIP and the PPID.
    (vdir / "informasi-publik.csv").write_text(
        "nomor,klasifikasi,ringkasan,pejabat,penanggung_jawab,waktu_pembuatan,tempat,bentuk,retensi,tautan,alasan\n"
        f"1,berkala,Profil dan struktur pemerintah {jenis},Sekretaris Desa,Sekretaris Desa,{tahun},Kantor desa,"
        "cetak dan digital,selama berlaku,/,\n"
        f"2,berkala,APB Desa Tahun Anggaran {tahun},Kaur Keuangan,Sekretaris Desa,Januari {tahun},Kantor desa,"
        f"cetak dan digital,5 tahun,dokumen/{perdes},\n"
        f"3,berkala,Daftar kegiatan pembangunan yang sedang berjalan,Kasi Kesejahteraan,Sekretaris Desa,{tahun},"
        "Kantor desa,digital,5 tahun,pembangunan/,\n"
        f"4,serta-merta,Pengumuman bencana dan gangguan layanan,Kepala Desa,Sekretaris Desa,setiap kejadian,"
        "Kantor desa,digital,1 tahun,pengumuman/,\n"
        f"5,setiap saat,Daftar produk hukum desa,Sekretaris Desa,Sekretaris Desa,{tahun},Kantor desa,"
        "cetak dan digital,selama berlaku,produk-hukum/,\n"
        f"6,setiap saat,Standar layanan surat-menyurat,Kasi Pelayanan,Sekretaris Desa,{tahun},Kantor desa,"
        "cetak dan digital,selama berlaku,layanan/,\n"
        f"7,dikecualikan,Nama dan NIK penerima bantuan sosial,Kasi Kesejahteraan,Sekretaris Desa,{tahun},"
        "Kantor desa,cetak,5 tahun,,Data pribadi (UU 14/2008 Pasal 17 huruf h; UU 27/2022)\n", encoding="utf-8")
    (vdir / "ppid.md").write_text(
        f"Nama: {rng.choice(['Dwi Prasetyo', 'Sri Utami', 'Agus Setiawan', 'Ratna Wahyuni'])}\n"
        "Jabatan: Sekretaris Desa (PPID Desa)\nAlamat: Kantor desa, ruang pelayanan\n"
        "Jam_layanan: Senin–Jumat 08.00–14.00\nFormulir: dokumen/formulir-permohonan-informasi.pdf\n\n"
        "Setiap orang dapat meminta informasi publik desa. Isi formulir permohonan (atau tulis surat) dengan "
        "nama, alamat, informasi yang diminta dan tujuannya, lalu serahkan ke PPID desa.\n\n"
        "PPID menjawab paling lambat 10 hari kerja dan dapat memperpanjang 7 hari kerja. Bila permohonan "
        "ditolak atau tidak dijawab, ajukan keberatan kepada Kepala Desa dalam 30 hari kerja; bila tetap tidak "
        "puas, ajukan sengketa ke Komisi Informasi Provinsi Jawa Tengah.\n", encoding="utf-8")


def demo_publikasi(vdir: Path, rng: random.Random, w) -> None:
    write_publikasi(vdir, rng, w, photo_size=(640, 480))
