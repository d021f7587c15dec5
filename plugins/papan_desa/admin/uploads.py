"""Uploads: limited by type (extension and first bytes) and size, and passed through the build's own
metadata stripping (:func:`guard.strip_image_metadata`, :func:`guard.strip_pdf_metadata`)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from slugify import slugify

from ..guard import DEFAULT_LIMITS, GuardError, _fmt_size, strip_image_metadata, strip_pdf_metadata
from ..problems import Problems


class UploadRefused(ValueError):
    """The message is Indonesian and says what was expected and what was found."""


IMAGE_TYPES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n", ".webp": b"RIFF"}
KINDS = {
    # kind: (allowed extensions, the size limits that apply (guard.batas: the build's and the importer's own,
    #        with the kabupaten's PAPAN_BATAS), what it is called)
    "gambar": (tuple(IMAGE_TYPES), ("gambar",), "foto JPG, PNG atau WebP"),
    "dokumen": ((".pdf",), ("pdf",), "dokumen PDF"),
    "impor": ((".xlsx", ".csv"), ("xlsx", "csv"), "laporan Siskeudes atau ekspor OpenSID (.xlsx atau .csv)"),
}


def size_limit(kind: str, limits: dict | None = None) -> int:
    """Largest upload of ``kind`` in bytes under ``limits`` (``guard.batas(settings)``; the defaults if None)."""
    lim = limits or DEFAULT_LIMITS
    return max(lim[k] for k in KINDS[kind][1])


def _magic_ok(ext: str, head: bytes) -> bool:
    if ext in IMAGE_TYPES:
        if ext == ".webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        return head.startswith(IMAGE_TYPES[ext])
    if ext == ".pdf":
        return head.lstrip()[:5] == b"%PDF-"
    if ext == ".xlsx":
        return head[:4] == b"PK\x03\x04"
    if ext == ".csv":
        return b"\x00" not in head[:4096] or head[:2] in (b"\xff\xfe", b"\xfe\xff")
    return False


def read_upload(storage, kind: str, limits: dict | None = None) -> tuple[bytes, str, str]:
    """(bytes, lower-case extension, safe file stem) of an uploaded file; :class:`UploadRefused` otherwise."""
    exts, _keys, what = KINDS[kind]
    limit = size_limit(kind, limits)
    filename = getattr(storage, "filename", "") or ""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    ext = Path(base).suffix.lower()
    if ext not in exts:
        raise UploadRefused(f"berkas harus {what}; ditemukan \"{base or '(tanpa nama)'}\"")
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(f"berkas terlalu besar; diharapkan paling besar {_fmt_size(limit)}, "
                            f"ditemukan lebih dari {_fmt_size(limit)}")
    if not data:
        raise UploadRefused(f"berkas \"{base}\" kosong")
    if not _magic_ok(ext, data[:4096]):
        raise UploadRefused(f"isi berkas \"{base}\" bukan {what} (namanya {ext}, isinya lain); simpan ulang dari "
                            "aplikasi aslinya")
    stem = slugify(Path(base).stem, max_length=60) or kind
    return data, ext, stem


def clean_image(data: bytes, ext: str, limits: dict | None = None) -> bytes:
    """The photo with only its pixels (no EXIF, GPS, XMP, ICC), exactly as the build's guard makes it."""
    with tempfile.TemporaryDirectory(prefix="papan-unggah-") as tmp:
        src, dst = Path(tmp) / f"asli{ext}", Path(tmp) / f"bersih{ext}"
        src.write_bytes(data)
        problems = Problems()
        if not strip_image_metadata(src, dst, problems=problems, limits=limits):
            raise UploadRefused("; ".join(p.message for p in problems.errors) or "gambar rusak")
        return dst.read_bytes()


def clean_pdf(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="papan-unggah-") as tmp:
        src, dst = Path(tmp) / "asli.pdf", Path(tmp) / "bersih.pdf"
        src.write_bytes(data)
        problems = Problems()
        try:
            ok = strip_pdf_metadata(src, dst, problems=problems)
        except GuardError as exc:
            raise UploadRefused(str(exc)) from None
        if not ok:
            raise UploadRefused("; ".join(p.message for p in problems.errors) or "PDF rusak")
        return dst.read_bytes()


def clean_upload(data: bytes, ext: str, what: str, limits: dict | None = None) -> bytes:
    """The upload as it is stored: a photo's pixels only, a PDF without its metadata; read in a child
    process bounded in time and memory (:mod:`.bounded`)."""
    from . import bounded

    label = "foto" if what == "gambar" else "dokumen PDF"
    try:
        if what == "gambar":
            return bounded.run(clean_image, data, ext, limits, what=label)
        return bounded.run(clean_pdf, data, what=label)
    except bounded.Refused as exc:
        raise UploadRefused(str(exc)) from None


def free_name(village_dir: Path, folder: str, stem: str, ext: str, data: bytes, taken: set[str] = frozenset()) -> str:
    """``folder/stem.ext``, or ``stem-2.ext``… when another file already has that name (same bytes: reuse it)."""
    n = 1
    while True:
        name = f"{folder}/{stem}{'' if n == 1 else f'-{n}'}{'.jpg' if ext == '.jpeg' else ext}"
        p = Path(village_dir) / name
        if name not in taken and (not p.exists() or (p.is_file() and p.read_bytes() == data)):
            return name
        n += 1
