"""Read the text in scans and photos before they are published (Tesseract, Indonesian language data).

Villages publish most documents as scans: an image-only PDF of an SK KPM BLT, a photo of the notice
board. The guard (``guard.py``) sends what it cannot read as text through this module and checks the
words with the same personal-data rule as Markdown. What OCR cannot read well enough to judge is
*held*: not published until a named person records in ``tinjauan.csv`` that they reviewed it.

Tesseract runs as a subprocess (``tesseract stdin stdout tsv``), one thread, with a time limit:
the TSV output gives every word with its confidence, which is what the hold decision needs, and no
Python binding is needed for one command line. The engine is installed by ``scripts/setup-ocr.sh``
(Debian ``tesseract-ocr`` and ``tesseract-ocr-ind``), which ``make site`` and ``make test`` run.

Nothing here decides what is personal data: that is :mod:`guard`'s one rule.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .schema import Field, Schema, register
from .limits import DEFAULT_LIMITS

LANG = "ind"
#: A word Tesseract reads with at least this confidence (0-100) counts as read.
MIN_CONFIDENCE = 60
#: The resource bounds of the reading (``ocr_halaman``, ``ocr_detik``, ``ocr_piksel``, ``ocr_dpi`` and
#: ``pdf_halaman``) are file limits like the others: defined once in :data:`limits.DEFAULT_LIMITS`,
#: overridden by the kabupaten's ``PAPAN_BATAS`` (:func:`guard.batas`). A page or photo that exceeds
#: them is held, never read unbounded.


def _limits(limits: dict | None) -> dict:
    """The limits in force: :data:`guard.DEFAULT_LIMITS` with ``limits`` (the build's) on top."""
    return {**DEFAULT_LIMITS, **(limits or {})}


#: A page with fewer characters than this in its text layer is read as a picture.
TEXT_LAYER_ENOUGH = 50
#: A page with pictures of at least this many pixels is read as well (a scan pasted into a typed page).
SCAN_PIXELS = 250_000
#: A scanned document page needs at least this many characters read with confidence to be judged.
DOCUMENT_MIN_READ = 30
#: A photo holds text that could not be read when at least this many characters were unsure.
PHOTO_UNSURE_HOLD = 20

HELD = "ditahan, menunggu tinjauan"


class OcrUnavailable(RuntimeError):
    """Tesseract (or its Indonesian data) is not installed; the message says what to install."""


@dataclass
class Reading:
    """What Tesseract read in one picture."""

    text: str = ""          # every word, one line of text per line on the picture
    readable: int = 0       # letters and digits in words read with confidence
    unsure: int = 0         # letters and digits in words read below MIN_CONFIDENCE
    failed: str = ""        # why the picture could not be read at all (Indonesian), or ""
    words: list[tuple[str, float]] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def engine() -> str:
    """The tesseract executable, with the Indonesian language data present."""
    exe = shutil.which("tesseract")
    if exe:
        try:
            langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            langs = ""
        if LANG in langs.split():
            return exe
    raise OcrUnavailable(
        "Tesseract dengan data bahasa Indonesia belum terpasang, sehingga dokumen hasil pindai tidak dapat "
        "diperiksa; jalankan `bash scripts/setup-ocr.sh` sebagai root (atau apt-get install tesseract-ocr "
        "tesseract-ocr-ind)")


@functools.lru_cache(maxsize=1)
def engine_version() -> str:
    """Tesseract's version line and language-data size: part of the cache key of what it read."""
    exe = engine()
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    first = (out.stdout or out.stderr).splitlines()[:1]
    data = [p for p in Path("/usr/share/tesseract-ocr").rglob(f"{LANG}.traineddata")] \
        if Path("/usr/share/tesseract-ocr").is_dir() else []
    return " ".join(first) + "".join(f" {p.stat().st_size}" for p in data)


@functools.lru_cache(maxsize=1)
def reader_version() -> str:
    """A short key of this module and the installed engine: findings kept under an older key are read again."""
    import hashlib

    try:
        eng = engine_version()
    except OcrUnavailable:
        eng = "tanpa-ocr"
    return hashlib.sha256(Path(__file__).read_bytes() + eng.encode()).hexdigest()[:16]


def _prepare(im, limits: dict):
    """Greyscale, at most ``ocr_piksel`` pixels, as PNG bytes for Tesseract's stdin."""
    from PIL import Image, ImageOps

    if im.mode not in ("L", "RGB"):
        if "A" in im.getbands() or im.mode == "P":
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(bg, im)
        im = im.convert("RGB")
    im = im.convert("L")
    w, h = im.size
    max_px = limits["ocr_piksel"]
    if w * h > max_px:
        f = (max_px / (w * h)) ** 0.5
        im = im.resize((max(1, int(w * f)), max(1, int(h * f))), Image.Resampling.LANCZOS)
    # Faint writing (a pale photocopy, a board photographed from afar) is stretched to full contrast.
    # (Only the darkest and lightest values count: a cut-off would turn the grain of a white page into ink.)
    lo, hi = im.getextrema()
    if hi - lo < 128:
        im = ImageOps.autocontrast(im)
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def read_image(im, limits: dict | None = None) -> Reading:
    """Read one Pillow image with Tesseract. Never raises except :class:`OcrUnavailable`."""
    limits = _limits(limits)
    exe = engine()
    png = prepare(im, limits)
    if png is None:
        return Reading(failed="gambar tidak dapat diolah untuk dibaca")
    return _run(exe, png, limits)


def prepare(im, limits: dict | None = None) -> bytes | None:
    """The PNG Tesseract is given for a Pillow image, or None when Pillow cannot convert it."""
    try:
        return _prepare(im, _limits(limits))
    except Exception:  # noqa: BLE001 - a picture Pillow cannot convert is unreadable, not a crash
        return None


def read_many(pngs: list[bytes], limits: dict | None = None) -> list[Reading]:
    """Read several prepared pictures with one Tesseract process: its model is loaded once, which is
    most of the time a photo without writing takes (0.4 s one by one, 0.15 s in a batch).

    Falls back to one process per picture when the batch fails or runs out of time.
    """
    import tempfile

    limits = _limits(limits)
    exe = engine()
    if len(pngs) <= 1:
        return [_run(exe, png, limits) for png in pngs]
    with tempfile.TemporaryDirectory(prefix="papan-ocr-") as tmp:
        names = []
        for i, png in enumerate(pngs):
            name = Path(tmp) / f"{i:05d}.png"
            name.write_bytes(png)
            names.append(str(name))
        listing = Path(tmp) / "daftar.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            out = subprocess.run([exe, str(listing), "stdout", "-l", LANG, "--psm", "3", "tsv"],
                                 capture_output=True, timeout=limits["ocr_detik"] * len(pngs), env=env)
            ok = out.returncode == 0
        except (subprocess.TimeoutExpired, OSError):
            ok = False
        if not ok:
            return [_run(exe, png, limits) for png in pngs]
    pages: dict[int, list[str]] = {}
    lines = out.stdout.decode("utf-8", "replace").splitlines()
    for row in lines[1:]:
        cells = row.split("\t")
        if len(cells) >= 2 and cells[1].isdigit():
            pages.setdefault(int(cells[1]), []).append(row)
    head = lines[0] if lines else ""
    return [parse_tsv("\n".join([head] + pages.get(i + 1, []))) for i in range(len(pngs))]


#: Readings made ahead, in a batch, for the pictures of one village: str(path) -> (size, mtime, Reading).
#: :func:`guard.scan_village` fills it and empties it when it is done; :func:`take_preread` uses it.
PREREAD: dict[str, tuple[int, int, Reading]] = {}


def take_preread(path: Path) -> Reading | None:
    """The batch reading of ``path`` if it was made for these bytes (same size and mtime), else None."""
    kept = PREREAD.pop(str(path), None)
    if kept is None:
        return None
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return kept[2] if (st.st_size, st.st_mtime_ns) == kept[:2] else None


def _run(exe: str, png: bytes, limits: dict) -> Reading:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        out = subprocess.run([exe, "stdin", "stdout", "-l", LANG, "--psm", "3", "tsv"], input=png,
                             capture_output=True, timeout=limits["ocr_detik"], env=env)
    except subprocess.TimeoutExpired:
        return Reading(failed=f"pembacaan teks (OCR) tidak selesai dalam {limits['ocr_detik']} detik")
    except OSError as exc:
        return Reading(failed=f"mesin OCR tidak dapat dijalankan ({exc.strerror})")
    if out.returncode != 0:
        return Reading(failed="mesin OCR gagal membaca gambar ini")
    return parse_tsv(out.stdout.decode("utf-8", "replace"))


_ALNUM = re.compile(r"\w", re.UNICODE)


def parse_tsv(tsv: str) -> Reading:
    """Words and confidences from Tesseract's TSV output, joined into lines as on the picture."""
    r = Reading()
    lines: dict[tuple, list[str]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        word = cells[11].strip()
        try:
            conf = float(cells[10])
        except ValueError:
            continue
        if not word or conf < 0:
            continue
        n = len(_ALNUM.findall(word))
        if conf >= MIN_CONFIDENCE:
            r.readable += n
        else:
            r.unsure += n
        r.words.append((word, conf))
        lines.setdefault((int(cells[2]), int(cells[3]), int(cells[4])), []).append(word)
    r.text = "\n".join(" ".join(ws) for _k, ws in sorted(lines.items()))
    return r


# Letters Tesseract confuses with digits, mapped back inside number-like words only.
_DIGIT_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                                  "i": "1", "!": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "G": "6",
                                  "b": "6", "T": "7", "B": "8", "g": "9", "q": "9"})
_TOKEN = re.compile(r"[^\s]+")


def digits_read_as_letters(text: str) -> str:
    """``text`` with look-alike letters turned into digits in words that are mostly digits.

    ``33O7O141O19OOOO1`` (zeros read as O) becomes ``3307014101900001``, so a NIK misread by OCR
    is still found; ordinary words (fewer digits than letters) are left as they are.
    """
    def fix(m: re.Match) -> str:
        tok = m.group()
        digits = sum(c.isdigit() for c in tok)
        if digits >= 4 and digits * 2 >= len(tok):
            return tok.translate(_DIGIT_LOOKALIKE)
        return tok
    return _TOKEN.sub(fix, text)


#: Pictures in these folders of a village are not read: the photo timeline of a development project
#: (``pembangunan/<proyek>/<tanggal>-<tahap>.jpg``) shows roads and drains being built, not papers, and
#: is most of a village's pictures; documents, notices, legal products and news are all read.
#: (Their metadata is still checked and stripped.)
UNREAD_FOLDERS = frozenset({"pembangunan"})


def needs_reading(name: str) -> bool:
    """False for a picture in a folder whose pictures are not read (``UNREAD_FOLDERS``)."""
    parts = Path(name).parts
    return not (len(parts) >= 3 and parts[-3] in UNREAD_FOLDERS)


#: Pictures in these folders of a village are scanned papers (a notice photographed on the board, a page
#: of a decree): like an image-only PDF page, they must yield text to be judged.
DOCUMENT_FOLDERS = frozenset({"dokumen", "pengumuman"})


def is_document_picture(name: str) -> bool:
    """True for a picture kept with the documents or notices (``villages/x/dokumen/papan.jpg``)."""
    return bool(set(Path(name).parts[:-1]) & DOCUMENT_FOLDERS)


def hold_reason(reading: Reading, *, document: bool) -> str | None:
    """Why a picture must be held for a person's review (Indonesian), or None when it can be judged.

    ``document``: a scanned document page (an image-only PDF page) must yield text; a photo may hold
    none (a road, a building), but text seen and not read (handwriting, a blurred board) is held.
    """
    if reading.failed:
        return reading.failed
    if document and reading.readable < DOCUMENT_MIN_READ:
        return (f"hampir tidak ada teks yang terbaca ({reading.readable} huruf/angka terbaca dengan yakin); "
                "mungkin tulisan tangan, pindaian buram, atau foto papan")
    if reading.unsure >= PHOTO_UNSURE_HOLD and reading.unsure > reading.readable:
        return (f"sebagian besar tulisan tidak terbaca dengan yakin ({reading.unsure} huruf/angka ragu, "
                f"{reading.readable} yakin); mungkin tulisan tangan atau gambar buram")
    return None


def held_message(reason: str) -> str:
    return (f"{HELD} ({reason}): berkas ini tidak diterbitkan sampai seseorang memeriksanya dan mencatat "
            f"di {REVIEW_FILE} (kolom berkas, peninjau, tanggal, alasan); atau ganti dengan berkas teks/pindaian "
            "yang lebih jelas")


def is_held(message: str) -> bool:
    return message.startswith(HELD)


# --------------------------------------------------------------------------
# PDF pages
# --------------------------------------------------------------------------

def page_image_pixels(page) -> int:
    """Pixels of the images drawn on a pypdf page (its own and one level of forms); 0 if unknown."""
    total = 0
    try:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else None
        xobjects = res.get("/XObject") if res is not None else None
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for ref in xobjects.values():
            x = ref.get_object()
            if x.get("/Subtype") == "/Image":
                total += int(x.get("/Width", 0)) * int(x.get("/Height", 0))
            elif x.get("/Subtype") == "/Form":
                inner = x.get("/Resources")
                inner = inner.get_object().get("/XObject") if inner is not None else None
                for ref2 in (inner.get_object().values() if inner is not None else []):
                    y = ref2.get_object()
                    if y.get("/Subtype") == "/Image":
                        total += int(y.get("/Width", 0)) * int(y.get("/Height", 0))
    except Exception:  # noqa: BLE001 - an odd resource dictionary means "read the page as a picture"
        return 1
    return total


def _page_image_sizes(page) -> list[int]:
    """Pixels of each image drawn directly on a pypdf page (without decoding any)."""
    res = page.get("/Resources")
    res = res.get_object() if res is not None else None
    xobjects = res.get("/XObject") if res is not None else None
    xobjects = xobjects.get_object() if xobjects is not None else {}
    return [int(x.get("/Width", 0)) * int(x.get("/Height", 0))
            for x in (ref.get_object() for ref in xobjects.values()) if x.get("/Subtype") == "/Image"]


def read_page_pictures(page, limits: dict | None = None) -> Reading | None:
    """Read the pictures of a PDF page themselves, not the page as it is shown.

    A scan with a black box drawn over a NIK still holds the NIK in its pixels: the box is another
    layer, and anyone can take the picture out of the PDF. So what is under the box counts as
    present, and is found here. Returns None when the pictures cannot be taken out (a kind of
    image pypdf does not decode, one larger than ``ocr_piksel`` x 5): the page is then read as
    it is drawn.
    """
    limits = _limits(limits)
    try:
        sizes = _page_image_sizes(page)
        if not sizes or max(sizes) > limits["ocr_piksel"] * 5:
            return None
        pictures = [f.image for f in page.images]
    except Exception:  # noqa: BLE001 - pypdf cannot decode every image filter (JBIG2, odd CCITT)
        return None
    readings = [read_image(im, limits) for im in pictures if im.width * im.height >= 10_000]
    if not readings:
        return None
    return Reading(text="\n".join(r.text for r in readings), readable=sum(r.readable for r in readings),
                   unsure=sum(r.unsure for r in readings), failed=next((r.failed for r in readings if r.failed), ""),
                   words=[w for r in readings for w in r.words])


def render_pdf_page(path: Path, number: int, limits: dict | None = None, image_pixels: int = 0):
    """Page ``number`` (0-based) of a PDF as a Pillow image, at most ``ocr_piksel`` pixels.

    A scanned page is drawn at the resolution of the scan on it (``image_pixels``, from
    :func:`page_image_pixels`): resampling a scan to another resolution blurs the letters. Other
    pages are drawn at ``ocr_dpi``.
    """
    import pypdfium2 as pdfium

    limits = _limits(limits)
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number]
        w, h = page.get_size()
        scale = limits["ocr_dpi"] / 72
        if image_pixels > 1:
            scale = min(max((image_pixels / (w * h)) ** 0.5, 100 / 72), 2 * scale)
        if w * h * scale * scale > limits["ocr_piksel"]:
            scale = (limits["ocr_piksel"] / (w * h)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        return bitmap.to_pil()
    finally:
        pdf.close()


# --------------------------------------------------------------------------
# Review records: tinjauan.csv
# --------------------------------------------------------------------------

REVIEW_FILE = "tinjauan.csv"

TINJAUAN = register(Schema(
    name="tinjauan", title="Tinjauan berkas pindaian", path=REVIEW_FILE, format="csv",
    description=("Catatan bahwa seseorang sudah memeriksa sendiri berkas pindaian atau foto yang tidak dapat "
                 "dibaca mesin (tulisan tangan, pindaian buram, foto papan) dan memastikan tidak ada data pribadi "
                 "di dalamnya. Berkas seperti itu ditahan (tidak diterbitkan) sampai dicatat di sini; lihat "
                 "`docs/privasi-dan-keamanan.md`. Satu baris per berkas."),
    fields=(
        Field("berkas", "Berkas yang ditinjau", required=True, example="dokumen/sk-kades-3-2025-blt.pdf",
              help="Jalur berkas dari folder desa."),
        Field("peninjau", "Nama peninjau", required=True, example="Siti Aminah (Sekretaris Desa)",
              help="Nama dan jabatan orang yang memeriksa."),
        Field("tanggal", "Tanggal tinjauan", "tanggal", required=True, example="2025-08-01"),
        Field("alasan", "Alasan", required=True, example="Foto papan proyek, tidak ada nama atau NIK warga",
              help="Satu kalimat: apa isi berkas dan mengapa boleh terbit."),
    )))


@dataclass
class Review:
    berkas: str
    peninjau: str
    tanggal: str
    alasan: str
    line: int


def load_reviews(village_dir: Path, problems) -> dict[str, Review]:
    """``tinjauan.csv`` of a village: village-relative path -> its review (missing file: none)."""
    from .publikasi.common import read_csv

    path = Path(village_dir) / REVIEW_FILE
    if not path.is_file():
        return {}
    out: dict[str, Review] = {}
    for line, r in read_csv(path, TINJAUAN, problems):
        rel = r["berkas"].strip().lstrip("./").replace("\\", "/")
        if not (Path(village_dir) / rel).is_file():
            problems.warning(path, line, r["_kolom"]["berkas"], f'berkas "{rel}" tidak ada di folder desa; '
                             "hapus baris tinjauan ini bila berkasnya sudah dihapus")
        out[rel] = Review(rel, r["peninjau"], r["tanggal"].isoformat(), r["alasan"], line)
    return out
