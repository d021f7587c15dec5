"""Regenerate the small binary files of the adversarial corpus (run once; output is committed).

    .venv/bin/python tests/adversarial/buat_biner.py
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

HERE = Path(__file__).parent / "desa-uji"


def jpeg_with_exif(path: Path, artist: str, gps: bool) -> None:
    im = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = artist                      # Artist
    exif[0x010E] = "Foto balai desa"           # ImageDescription
    exif[0x0110] = "Kamera Uji"                # Model
    exif[0x0112] = 6                           # Orientation: rotate 90° when shown
    if gps:
        exif[0x8825] = {1: "S", 2: (7.0, 21.0, 36.0), 3: "E", 4: (109.0, 54.0, 0.0)}
    im.save(path, "JPEG", exif=exif, quality=80)


def truncated_jpeg(path: Path) -> None:
    buf = io.BytesIO()
    Image.effect_noise((64, 64), 80).convert("RGB").save(buf, "JPEG", quality=90)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])


def png_claiming(path: Path, width: int, height: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)))


def pdf_with_text(text: str) -> bytes:
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Author (Sekdes 3307014101900001) /Producer (Uji) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


if __name__ == "__main__":
    jpeg_with_exif(HERE / "foto" / "exif-nik.jpg", "Budi NIK 3307 0141 0190 0001", gps=True)
    truncated_jpeg(HERE / "foto" / "terpotong.jpg")
    png_claiming(HERE / "foto" / "bom-piksel.png", 100_000, 100_000)
    png_claiming(HERE / "foto" / "besar-piksel.png", 9_000, 9_000)
    (HERE / "dokumen" / "daftar-hadir.pdf").write_bytes(pdf_with_text("Peserta: Siti NIK 3307015203850002"))
    full = pdf_with_text("Laporan kegiatan")
    (HERE / "dokumen" / "terpotong.pdf").write_bytes(full[:90])
