"""Scans made in the test: text rendered to an image with Pillow, saved as an image-only PDF.

No text layer is written: the only way to find what the page says is to read the picture.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

NIK_1 = "3307014101900001"   # Wonosobo (33 07), born 01-01-1990, serial 0001: a man's NIK
NIK_2 = "3307015507850002"   # born 15-07-1985 (+40: a woman), serial 0002


def masked(nik: str) -> str:
    return nik[:4] + "x" * 8 + nik[12:]


def recipients_list(*, mask: bool = False) -> list[str]:
    """The attachment of an SK KPM BLT Desa: NIK, dusun and amount per recipient household."""
    n1, n2 = (masked(NIK_1), masked(NIK_2)) if mask else (NIK_1, NIK_2)
    return ["PEMERINTAH DESA KALIGOWONG",
            "LAMPIRAN KEPUTUSAN KEPALA DESA NOMOR 3 TAHUN 2025",
            "Daftar keluarga penerima BLT Desa tahap I",
            "No  NIK                 Dusun      Jumlah",
            f"1   {n1}    Krajan     Rp 300.000",
            f"2   {n2}    Tegalsari  Rp 300.000"]


def text_page(lines: list[str], *, size=(1240, 1754), font: int = 36) -> Image.Image:
    """An A4 page at 150 dpi with ``lines`` typed on it, as a scanner would give it (greyscale)."""
    im = Image.new("L", size, 250)
    draw = ImageDraw.Draw(im)
    f = ImageFont.load_default(size=font)
    y = 140
    for line in lines:
        draw.text((110, y), line, fill=20, font=f)
        y += int(font * 1.7)
    return im


def blank_looking_photo(size=(1240, 1754), seed: int = 7) -> Image.Image:
    """A photo of a board shot from afar in poor light: grey, grainy, nothing legible."""
    im = Image.effect_noise(size, 12).point(lambda v: 150 + v // 6)
    return im.filter(ImageFilter.GaussianBlur(2))


def save_scan_pdf(path: Path, pages: list[Image.Image]) -> Path:
    """An image-only PDF: one picture per page, no text layer (what a scanner or phone app writes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first, *rest = [p.convert("L") for p in pages]
    first.save(path, "PDF", resolution=150, save_all=True, append_images=rest)
    return path
