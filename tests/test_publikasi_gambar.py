"""Photos: resized to the web widths, every metadata field (GPS included) gone, cached, deterministic."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from papan_desa.publikasi import gambar


def phone_photo(path: Path, size=(4000, 3000), *, orientation: int = 1, seed: int = 7) -> Path:
    """A 12-megapixel 'phone photo': shapes, gradients and sensor-like noise, with EXIF GPS and camera data."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    d = ImageDraw.Draw(small)
    for y in range(small.height):
        d.line([(0, y), (small.width, y)], fill=(90 + y // 6, 140 + y // 10, 200 - y // 5))
    for _ in range(60):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        r = rng.randint(5, 60)
        d.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randint(30, 220), rng.randint(60, 200), rng.randint(20, 120)))
    im = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(size, 12).convert("RGB")
    im = Image.blend(im, noise, 0.08)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"       # Make
    exif[0x0110] = "Model X"          # Model
    exif[0x0112] = orientation        # Orientation
    exif[0x8825] = {1: "S", 2: (7.0, 21.0, 36.0), 3: "E", 4: (109.0, 54.0, 12.0)}   # GPS position
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=92, exif=exif)
    return path


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("desa")
    return phone_photo(d / "gambar" / "kerja-bakti.jpg")


def test_source_photo_has_gps(photo):
    with Image.open(photo) as im:
        assert im.size == (4000, 3000)
        assert im.getexif().get_ifd(0x8825)[1] == "S"


def test_12_megapixel_photo_becomes_small_web_images_without_metadata(photo, tmp_path):
    g = gambar.process(photo, photo.parent.parent, tmp_path / "cache")
    assert [(v.width, v.height) for v in g.varian] == [(480, 360), (960, 720)]
    small, big = g.varian
    # "a few tens of kilobytes": what a 360 px phone loads is the 480 px WebP.
    assert small.webp_size < 40_000, small.webp_size
    assert big.webp_size < 120_000 and big.jpeg_size < 160_000, (big.webp_size, big.jpeg_size)
    assert small.webp_size < small.jpeg_size
    for name, data in g.berkas.items():
        with Image.open(io.BytesIO(data)) as im:
            assert im.format == ("WEBP" if name.endswith(".webp") else "JPEG")
            assert dict(im.getexif()) == {}, name
            assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(im.info), (name, set(im.info))
        assert b"Exif" not in data[:4096] and b"PhoneMaker" not in data and b"GPS" not in data
    assert small.webp.startswith("gambar/olah/gambar-kerja-bakti-") and small.webp.endswith("-480.webp")


def test_orientation_is_applied_before_the_metadata_goes(tmp_path):
    src = phone_photo(tmp_path / "desa" / "gambar" / "tegak.jpg", (1200, 900), orientation=6)  # rotate 90°
    g = gambar.process(src, tmp_path / "desa", None)
    assert [(v.width, v.height) for v in g.varian] == [(480, 640), (900, 1200)]


def test_small_photo_is_not_enlarged(tmp_path):
    src = tmp_path / "desa" / "gambar" / "kecil.png"
    src.parent.mkdir(parents=True)
    Image.new("RGBA", (300, 200), (10, 20, 30, 128)).save(src)
    g = gambar.process(src, tmp_path / "desa", None)
    assert [(v.width, v.height) for v in g.varian] == [(300, 200)]


def test_output_is_deterministic_and_cached(photo, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = gambar.process(photo, photo.parent.parent, cache)
    again = gambar.process(photo, photo.parent.parent, None)      # no cache: encodes again
    assert first.berkas == again.berkas
    # Warm: the cache answers, nothing is decoded or encoded.
    monkeypatch.setattr(gambar, "_encode", lambda *a, **k: pytest.fail("foto diolah ulang padahal ada di cache"))
    warm = gambar.process(photo, photo.parent.parent, cache)
    assert warm.berkas == first.berkas and warm.varian == first.varian


def test_changed_photo_gets_new_names(photo, tmp_path):
    other = phone_photo(tmp_path / "d" / "gambar" / "kerja-bakti.jpg", seed=8)
    a = gambar.process(photo, photo.parent.parent, None)
    b = gambar.process(other, tmp_path / "d", None)
    assert a.varian[0].webp != b.varian[0].webp


def test_picture_markup(photo, tmp_path):
    g = gambar.process(photo, photo.parent.parent, tmp_path / "cache")
    html = g.picture("https://desa.contoh.id/kaligowong", 'Warga "kerja bakti"')
    assert html.startswith('<picture><source type="image/webp" srcset="https://desa.contoh.id/kaligowong/gambar/olah/')
    assert ' 480w, https://desa.contoh.id/kaligowong/gambar/olah/' in html and '-960.webp 960w"' in html
    assert 'width="960" height="720" alt="Warga &quot;kerja bakti&quot;" loading="lazy" decoding="async"' in html
    assert '<img src="https://desa.contoh.id/kaligowong/gambar/olah/' in html and '-480.jpg"' in html
