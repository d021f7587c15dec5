"""Photos much larger than the largest variant are decoded at a reduced scale (JPEG draft mode),
with the same variants as a full decode: every width, the right orientation, nearly the same pixels."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, JpegImagePlugin

from papan_desa.publikasi import gambar


def _jpeg(size, orientation=1) -> bytes:
    """A smooth gradient photo (so reduced-scale decoding is comparable pixel by pixel)."""
    w, h = size
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    im.paste((200, 60, 40), (w // 4, h // 4, w // 2, h // 2))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def _decoded_sizes(monkeypatch) -> list:
    seen = []
    load = JpegImagePlugin.JpegImageFile.load

    def spy(self):
        r = load(self)
        seen.append(self.size)
        return r
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)
    return seen


@pytest.mark.parametrize("stored, orientation, decoded, shown", [
    ((4000, 3000), 1, (1000, 750), [(480, 360), (960, 720)]),
    # stored wide, shown upright, so as wide as it is stored high: 3000 px, a quarter would be too narrow
    ((4000, 3000), 6, (2000, 1500), [(480, 640), (960, 1280)]),
    ((3000, 4000), 8, (750, 1000), [(480, 360), (960, 720)]),
])
def test_a_large_photo_is_decoded_small_and_keeps_every_variant(monkeypatch, stored, orientation, decoded, shown):
    data = _jpeg(stored, orientation)
    seen = _decoded_sizes(monkeypatch)
    out = gambar._encode(data, gambar.WIDTHS)
    assert [(w, h) for w, h, _, _ in out] == shown
    # decoded at the smallest scale that is, as shown, still as wide as the largest variant
    assert seen and seen[0] == decoded


def test_the_reduced_decode_looks_like_the_full_one(monkeypatch):
    data = _jpeg((4000, 3000))
    fast = gambar._encode(data, gambar.WIDTHS)
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", lambda self, mode, size: None)
    full = gambar._encode(data, gambar.WIDTHS)
    a = Image.open(io.BytesIO(fast[-1][3])).convert("L")
    b = Image.open(io.BytesIO(full[-1][3])).convert("L")
    assert a.size == b.size == (960, 720)
    diff = float(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).mean())
    assert diff < 3                                          # mean difference in 0-255 grey levels


def test_a_photo_just_larger_than_the_variant_is_decoded_whole(monkeypatch):
    seen = _decoded_sizes(monkeypatch)
    out = gambar._encode(_jpeg((1800, 1350)), gambar.WIDTHS)
    assert seen[0] == (1800, 1350)                           # half would be 900 px: narrower than 960
    assert [w for w, _, _, _ in out] == [480, 960]


def test_the_variants_are_the_same_bytes_every_time():
    data = _jpeg((4000, 3000), 6)
    assert gambar._encode(data, gambar.WIDTHS) == gambar._encode(data, gambar.WIDTHS)
