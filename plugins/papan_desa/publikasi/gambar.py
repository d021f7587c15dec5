"""Photos for the web: checked when loading, resized at build time, cached by content.

A photo from a 12-megapixel phone becomes a few small files: every width in
``WIDTHS`` (never wider than the original) as WebP and as a JPEG fallback.
Only the pixels are written: EXIF (GPS position, camera, owner), XMP, ICC and
text chunks are dropped, after the EXIF orientation has been applied and a
colour profile converted to sRGB.  The bytes depend only on the source bytes
and the parameters, so the processed files are cached under
``<cache>/gambar/<sha256>/`` and a warm build does not decode the photo again.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problems, expected_found

WIDTHS = (480, 960)
WEBP_QUALITY = 70
WEBP_METHOD = 4          # the encoder's effort, 0-6 (scripts/bench.py --poster-gambar)
JPEG_QUALITY = 74
VERSION = "3"            # bump when the encoding changes: old cache entries are then ignored
MB = 1024 * 1024
SIZES = "(max-width: 60rem) 100vw, 60rem"


def _limits(limits: dict | None) -> dict:
    try:
        from ..guard import DEFAULT_LIMITS
        base = dict(DEFAULT_LIMITS)
    except ImportError:  # pragma: no cover - the guard is part of the package
        base = {"gambar": 25 * MB, "gambar_piksel": 60_000_000}
    base.update(limits or {})
    return base


def _fmt(n: int) -> str:
    return f"{n / MB:.1f} MB".replace(".", ",") if n >= MB else f"{max(1, round(n / 1024))} kB"


def check_image(path: Path, problems: Problems, ref_file: Path, line: int, column: int,
                limits: dict | None = None) -> bool:
    """Cheap checks when loading: size limit, a real image (header only), pixel limit."""
    from PIL import Image

    lim = _limits(limits)
    size = path.stat().st_size
    if size > lim["gambar"]:
        problems.error(ref_file, line, column, f'gambar "{path.name}" terlalu besar; '
                       + expected_found(f"paling besar {_fmt(lim['gambar'])}", _fmt(size))
                       + "; perkecil fotonya dulu")
        return False
    try:
        with Image.open(path) as im:
            w, h = im.size
            fmt = im.format
    except Exception:  # noqa: BLE001 - not an image, truncated header, decompression bomb…
        problems.error(ref_file, line, column, f'"{path.name}" bukan berkas gambar yang sah (rusak, terpotong, '
                       "atau jenisnya tidak sesuai nama berkas); simpan ulang sebagai JPG atau PNG")
        return False
    if fmt not in ("JPEG", "PNG", "WEBP", "MPO"):
        problems.error(ref_file, line, column, f'gambar "{path.name}" harus JPG, PNG atau WebP; '
                       + expected_found("JPG/PNG/WebP", str(fmt)))
        return False
    if w * h > lim["gambar_piksel"]:
        problems.error(ref_file, line, column, f'gambar "{path.name}" terlalu besar; '
                       + expected_found(f"paling banyak {lim['gambar_piksel'] // 1_000_000} megapiksel",
                                        f"{w}x{h} piksel"))
        return False
    return True


@dataclass(frozen=True)
class Varian:
    width: int
    height: int
    webp: str            # file name, e.g. "balai-1a2b3c4d5e-480.webp"
    jpeg: str
    webp_size: int
    jpeg_size: int


@dataclass
class Gambar:
    """One processed photo: its variants, smallest first, and the bytes to write."""
    sumber: str                         # village-relative source, e.g. "gambar/balai.jpg"
    varian: list[Varian] = field(default_factory=list)
    berkas: dict[str, bytes] = field(default_factory=dict, repr=False)   # file name -> bytes

    @property
    def width(self) -> int:
        return self.varian[-1].width

    @property
    def height(self) -> int:
        return self.varian[-1].height

    def picture(self, base_url: str, alt: str, *, sizes: str = SIZES, cls: str = "") -> str:
        """``<picture>`` with WebP sources and a JPEG fallback; lazy, with width and height."""
        def srcset(kind: str) -> str:
            return ", ".join(f"{base_url}/{getattr(v, kind)} {v.width}w" for v in self.varian)
        fallback = self.varian[0]
        big = self.varian[-1]
        c = f' class="{cls}"' if cls else ""
        return (f'<picture{c}><source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">'
                f'<img src="{base_url}/{fallback.jpeg}" srcset="{srcset("jpeg")}" sizes="{sizes}" '
                f'width="{big.width}" height="{big.height}" alt="{html.escape(alt, quote=True)}" '
                f'loading="lazy" decoding="async"></picture>')


def _key(data: bytes, widths: tuple[int, ...]) -> str:
    params = (f"v{VERSION};w={','.join(map(str, widths))};webp={WEBP_QUALITY}/{WEBP_METHOD};"
              f"jpeg={JPEG_QUALITY}")
    return hashlib.sha256(params.encode() + b"\0" + data).hexdigest()


def _encode(data: bytes, widths: tuple[int, ...]) -> list[tuple[int, int, bytes, bytes]]:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as im:
        top = max(widths)
        if im.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale (in the DCT, "draft" mode) when the photo is still at
            # least as wide as the largest variant: a 12-megapixel photo decodes at 1000 x 750 instead
            # of 4000 x 3000. Only the width matters (the variants are widths); a photo turned by its
            # EXIF orientation (5-8) is as wide as it is stored high.
            turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            im.draft("RGB", (1, top) if turned else (top, 1))
        im.load()
        icc = im.info.get("icc_profile")
        out = ImageOps.exif_transpose(im) or im
        if out.mode in ("RGBA", "LA", "PA") or (out.mode == "P" and "transparency" in out.info):
            rgba = out.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            out = flat
        elif out.mode != "RGB":
            out = out.convert("RGB")
        if icc:
            try:
                from PIL import ImageCms
                out = ImageCms.profileToProfile(out, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                                ImageCms.createProfile("sRGB"), outputMode="RGB") or out
            except Exception:  # noqa: BLE001 - a broken profile is dropped
                pass
        w0, h0 = out.size
        wanted = sorted({w for w in widths if w < w0} | ({w0} if w0 <= top else set())) or [top]
        result = []
        src = out
        # Largest first, each smaller width from the one before it: resizing 960 -> 480 costs a quarter
        # of 1600 -> 480, and Lanczos twice looks the same as once at these ratios.
        for w in sorted(wanted, reverse=True):
            h = max(1, round(h0 * w / w0))
            img = out if w == w0 else src.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
            src = img
            img.info = {}
            wb, jb = io.BytesIO(), io.BytesIO()
            img.save(wb, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, exif=b"", xmp=b"", icc_profile=b"")
            img.save(jb, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, exif=b"")
            result.append((w, h, wb.getvalue(), jb.getvalue()))
        return result[::-1]


def process(source: Path, village_dir: Path, cache_dir: Path | str | None, *,
            widths: tuple[int, ...] = WIDTHS, out_prefix: str = "gambar/olah") -> Gambar:
    """Resize one photo into web variants (cached by content); raises on an undecodable image.

    File names carry a short content hash, so a changed photo gets new addresses.
    """
    data = Path(source).read_bytes()
    key = _key(data, widths)
    rel = Path(source).resolve().relative_to(Path(village_dir).resolve()).as_posix()
    stem = Path(rel).with_suffix("").as_posix().replace("/", "-").lower()
    stem = "".join(c if c.isalnum() or c == "-" else "-" for c in stem).strip("-")[:60] or "gambar"
    entry = Path(cache_dir) / "gambar" / key[:2] / key if cache_dir else None
    encoded: list[tuple[int, int, bytes, bytes]] | None = None
    if entry is not None and (entry / "meta.json").is_file():
        try:
            meta = json.loads((entry / "meta.json").read_text())
            encoded = [(m["w"], m["h"], (entry / f"{m['w']}.webp").read_bytes(), (entry / f"{m['w']}.jpg").read_bytes())
                       for m in meta]
        except (OSError, ValueError, KeyError):
            encoded = None
    if encoded is None:
        encoded = _encode(data, widths)
        if entry is not None:
            tmp = entry.with_name(entry.name + f".{os.getpid()}.tmp")
            tmp.mkdir(parents=True, exist_ok=True)
            for w, h, wb, jb in encoded:
                (tmp / f"{w}.webp").write_bytes(wb)
                (tmp / f"{w}.jpg").write_bytes(jb)
            (tmp / "meta.json").write_text(json.dumps([{"w": w, "h": h} for w, h, _, _ in encoded]))
            try:
                tmp.rename(entry)
            except OSError:  # another worker finished first: its entry is identical
                import shutil
                shutil.rmtree(tmp, ignore_errors=True)
    g = Gambar(rel)
    for w, h, wb, jb in encoded:
        name = f"{out_prefix}/{stem}-{key[:10]}-{w}"
        v = Varian(w, h, name + ".webp", name + ".jpg", len(wb), len(jb))
        g.varian.append(v)
        g.berkas[v.webp] = wb
        g.berkas[v.jpeg] = jb
    return g
