"""Printable APBDes poster (baliho A1 and notice-board A4) plus a PNG preview, written with fpdf2.

What Permendagri 20/2018 (Pasal 39 and 72) asks a village to publish, on one page:
identity and status, income by source, spending by bidang, financing, surplus/defisit,
realisation against budget when known, the largest activities, who carries the budget
out, where to ask or complain, a QR code to the budget page and the date of the figures.

A1 and A4 are both ISO 216 (same shape), so the page is laid out once in A4
millimetres and drawn at scale 1 (A4) or √8 (A1): every decision (font shrinking,
wrapping, how many activities fit) is the same for both sizes. Text stays text
(DejaVu Sans, embedded as a TrueType subset with a Unicode map) so that ``pdftotext``
reads the numbers exactly as ``format_rupiah`` writes them; the QR code is one vector path.
Same input -> same bytes: the only date in the file is the date of the figures.
Amounts become floats only for bar lengths; every printed number comes from the exact Decimals.

The page is written with fpdf2 rather than drawn as a matplotlib figure: the same page in
about a tenth of the time (0,03 s instead of 0,3–0,4 s, and no 0,5 s matplotlib import),
and the A1 page is written directly instead of rescaling the A4 file with pypdf.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import importlib.util
import io
import os
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from .charts import BIDANG_SINGKAT
from .model import STATUS_PERUBAHAN, STATUS_SEMESTER, STATUS_TAHUNAN, Nilai, TahunAnggaran
from ..formatting import tanggal as _tanggal
from .numbers import format_persen, format_rupiah
from .totals import BIDANG, Totals, hitung
# The data, the cache key and the cached lookup live apart, so that a build with every poster in
# the cache never imports the PDF writer (re-exported here for callers of this module; poster_cache
# never imports this module, the writer is passed to it).
from . import poster_cache as _cache
from .poster_cache import CACHE_FILES, POSTER_VERSION, PosterFiles, PosterInfo, poster_cache_key, poster_info  # noqa: F401

# Bump when the drawing changes: part of the cache key, so cached posters are redrawn.

A4_MM = (210.0, 297.0)
A1_MM = (594.0, 841.0)
MM = 1 / 25.4                     # inches per millimetre
PT_MM = 25.4 / 72                 # millimetres per point
PNG_DPI = 150                     # preview: the A4 layout, 1240 × 1754 px

# Strong contrast that survives a black-and-white office printer: near-black ink, one dark
# accent, light greys only behind text. Nothing is told by colour alone (every bar has its number).
INK = "#111111"
ACCENT = "#0f2f52"
MUTED = "#444444"
LIGHT = "#e9edf2"
RULE = "#222222"
WHITE = "#ffffff"

JUDUL_STATUS = {
    STATUS_PERUBAHAN: "APBDes PERUBAHAN",
    STATUS_SEMESTER: "LAPORAN REALISASI APBDes SEMESTER I",
    STATUS_TAHUNAN: "LAPORAN REALISASI APBDes",
}
MAX_PENDAPATAN = 7                # rows of income sources before "lain-lain"
MAX_KEGIATAN = 15




# --- fonts ----------------------------------------------------------------------------
#
# The PDF writer subsets the embedded TrueType font with fontTools on every poster, and for
# DejaVu Sans most of that time goes into its OpenType layout tables (GPOS/GSUB), which the
# poster never uses (text is set glyph by glyph, without shaping). So the poster is set in a
# copy of DejaVu Sans that has the same outlines and advances but only the Latin, punctuation,
# arrow and shape ranges and no layout tables: four times faster to embed. The copy is made
# once, deterministically, into the user's cache folder. A poster with a character outside
# those ranges is set in the full font instead.
#
# DejaVu Sans is read from matplotlib's data folder (matplotlib is a dependency of the project;
# it is not imported here), so no font file is fetched or kept in the repository.

_FONT_DIR = Path(importlib.util.find_spec("matplotlib").submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
FONT_FULL = (_FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf")
_RANGES = ((0x20, 0x250), (0x2000, 0x2070), (0x20A0, 0x20D0), (0x2100, 0x2150), (0x2190, 0x2200),
           (0x25A0, 0x2600))
_FONT_RECIPE = "1"


_METRICS: dict[Path, tuple[dict[int, int], int, int]] = {}


def _metrics(path: Path) -> tuple[dict[int, int], int, int]:
    """(advance width by code point, advance of .notdef, units per em) of a TrueType font."""
    if path not in _METRICS:
        from fontTools.ttLib import TTFont

        font = TTFont(str(path), lazy=True)
        hmtx = font["hmtx"].metrics
        adv = {u: hmtx[g][0] for u, g in font.getBestCmap().items()}
        _METRICS[path] = (adv, hmtx[".notdef"][0], font["head"].unitsPerEm)
    return _METRICS[path]


def _covered() -> frozenset[str]:
    cmap, bold = _metrics(FONT_FULL[0])[0], _metrics(FONT_FULL[1])[0]
    return frozenset(chr(u) for a, b in _RANGES for u in range(a, b) if u in cmap and u in bold)


COVERED = _covered()


def _cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "papan-desa"


def _light_font(src: Path) -> Path:
    """The layout-table-free copy of ``src`` (see above), made once into the user's cache folder."""
    from importlib.metadata import version

    data = src.read_bytes()
    tag = hashlib.sha256(data + f"{version('fonttools')}/{_FONT_RECIPE}".encode()).hexdigest()[:12]
    out = _cache_home() / "fonts" / f"{src.stem}-poster-{tag}.ttf"
    if out.is_file():
        return out
    from fontTools import subset    # only when the copy is made: importing it takes 0,2 s
    opts = subset.Options()
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "FFTM"]
    opts.legacy_kern = True
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = True
    font = subset.load_font(str(src), opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(ch) for ch in sorted(COVERED)])
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.{id(buf)}.tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(out)
    return out


_LIGHT: tuple[Path, Path] | None = None


def light_fonts() -> tuple[Path, Path]:
    global _LIGHT
    if _LIGHT is None:
        try:
            _LIGHT = (_light_font(FONT_FULL[0]), _light_font(FONT_FULL[1]))
        except Exception:  # pragma: no cover - no writable cache: slower, same look
            _LIGHT = FONT_FULL
    return _LIGHT


class Fonts:
    """Measuring and fitting text in A4 millimetres (the same numbers for A4 and A1).

    A width is the sum of the glyphs' advances, which is how the PDF sets the text (no kerning,
    no shaping), so centred and right-aligned text lands where it is measured to."""

    def __init__(self, regular: Path, bold: Path):
        self.files = (regular, bold)
        self._em: dict[tuple[str, bool], float] = {}

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Printed width of ``text`` at ``size`` points on the A4 layout, in millimetres."""
        if not text:
            return 0.0
        key = (text, bold)
        if key not in self._em:     # fitting asks the same questions many times, and again for A1
            adv, notdef, upm = _metrics(self.files[1 if bold else 0])
            self._em[key] = sum(adv.get(ord(ch), notdef) for ch in text) / upm
        return self._em[key] * size * PT_MM

    def fit_size(self, text: str, size: float, max_mm: float, bold: bool = False, minimum: float = 0.0) -> float:
        """The largest size ≤ ``size`` (steps of 0,25 pt, not below ``minimum``) at which ``text`` fits."""
        w = self.width(text, size, bold)
        if w <= max_mm:
            return size
        s = max(minimum, int(size * max_mm / w * 4) / 4)
        while s > minimum and self.width(text, s, bold) > max_mm:
            s -= 0.25
        return max(s, minimum)

    def ellipsize(self, text: str, size: float, max_mm: float, bold: bool = False) -> str:
        if self.width(text, size, bold) <= max_mm:
            return text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "…", size, bold) <= max_mm:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip(" ,;:-") + "…"

    def wrap(self, text: str, size: float, max_mm: float, max_lines: int, bold: bool = False) -> list[str]:
        """Greedy word wrap; the last allowed line ends in "…" when the text does not fit."""
        words = text.split()
        lines: list[str] = []
        cur = ""
        for i, w in enumerate(words):
            trial = f"{cur} {w}".strip()
            if self.width(trial, size, bold) <= max_mm or not cur:
                cur = trial
                continue
            lines.append(cur)
            cur = w
            if len(lines) == max_lines:
                rest = " ".join([lines[-1]] + words[i:])
                lines[-1] = self.ellipsize(rest, size, max_mm, bold)
                return lines
        if cur:
            lines.append(cur)
        return [self.ellipsize(x, size, max_mm, bold) for x in lines]


def fonts_for(texts) -> Fonts:
    """The fast fonts when they cover every character of ``texts``, else the full DejaVu Sans."""
    chars = set("".join(texts))
    return Fonts(*(light_fonts() if chars <= COVERED else FONT_FULL))


def tanggal(d: _dt.date | None) -> str:
    return "" if d is None else _tanggal(d)


# --- content ----------------------------------------------------------------------------

@dataclass
class KegiatanRow:
    kode: str
    nama: str
    nilai: Nilai


@dataclass
class Content:
    """What goes on the poster, decided once from the year (the drawing only places it)."""

    judul: str
    status: str
    realisasi: bool
    perubahan: bool
    ringkasan: dict[str, Nilai]
    pendapatan: list[tuple[str, Nilai]]
    bidang: list[tuple[str, str, Nilai]]
    kegiatan: list[KegiatanRow]
    per_tanggal: str
    perdes: str
    pelaksana: str
    peringatan: tuple[str, ...] = field(default_factory=tuple)


def judul_status(year: TahunAnggaran) -> str:
    head = JUDUL_STATUS.get(year.meta.status, "APBDes")
    return f"{head} TAHUN ANGGARAN {year.tahun}"


def kegiatan_terbesar(year: TahunAnggaran, totals: Totals) -> list[KegiatanRow]:
    """Every spending leaf (kegiatan, or the deepest code the village used), largest first."""
    codes = list(totals.kegiatan)
    leaves = [c for c in codes if not any(o.startswith(c + ".") for o in codes)]
    rows = [KegiatanRow(c, _nama_kegiatan(year, c), totals.kegiatan[c]) for c in leaves]
    rows.sort(key=lambda r: (-r.nilai.akhir, r.kode))
    return rows


def _nama_kegiatan(year: TahunAnggaran, code: str) -> str:
    """The kegiatan's name (village list, reference, else its lines' uraian: see TahunAnggaran.nama)."""
    return year.nama(code)


def content(year: TahunAnggaran, totals: Totals | None = None) -> Content:
    t = totals or hitung(year)
    pend = [(year.nama(code), v) for code, v in t.pendapatan_jenis.items()]
    if len(pend) > MAX_PENDAPATAN:
        # the largest sources in code order, the others summed on one line
        keep = set(sorted(range(len(pend)), key=lambda i: (-pend[i][1].akhir, i))[:MAX_PENDAPATAN - 1])
        rest = [v for i, (_, v) in enumerate(pend) if i not in keep]
        pend = [kv for i, kv in enumerate(pend) if i in keep] + [(f"Sumber lain ({len(rest)} jenis)", _jumlah(rest))]
    per = year.meta.per_tanggal or year.meta.perdes_tanggal
    perdes = ""
    if year.meta.perdes_nomor:
        perdes = f"Perdes Nomor {year.meta.perdes_nomor}"
        if year.meta.perdes_tanggal:
            perdes += f" tanggal {tanggal(year.meta.perdes_tanggal)}"
    return Content(
        judul=judul_status(year), status=year.meta.status, realisasi=year.has_realisasi,
        perubahan=year.has_perubahan, ringkasan=t.ringkasan, pendapatan=pend,
        bidang=[(b, year.nama(b), t.bidang[b]) for b in BIDANG],
        kegiatan=kegiatan_terbesar(year, t), per_tanggal=tanggal(per), perdes=perdes,
        pelaksana=year.meta.pelaksana, peringatan=year.peringatan)


# --- drawing ----------------------------------------------------------------------------

def _rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


# How far below the middle of the text its baseline is, in ems ("va=center"): half of DejaVu's cap height.
_HALF_CAP = 0.729 / 2


class _Page:
    """One PDF page whose coordinates are A4 millimetres (origin bottom left), drawn at scale k.

    A1 is not exactly A4 × √8 (841/297 ≠ 594/210), so the A4 layout is scaled to the page
    width and centred on the exact A1 page height (0,5 mm of white above and below).
    What is drawn is kept with its layer (``zorder``) and written in layer order, then in the
    order it was drawn: a background drawn after its text still lies under it.
    """

    def __init__(self, k: float, page_mm: tuple[float, float], fonts: Fonts):
        from fpdf import FPDF

        self.k, self.f = k, fonts
        self.h_pt = page_mm[1] / PT_MM
        self.dy = (page_mm[1] - A4_MM[1] * k) / 2
        pdf = FPDF(unit="pt", format=(page_mm[0] / PT_MM, self.h_pt))
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.producer = ""                    # no "/Producer": the file does not name its tools
        pdf.add_font("poster", "", str(fonts.files[0]))
        pdf.add_font("poster", "B", str(fonts.files[1]))
        pdf.add_page()
        self.pdf = pdf
        self._ops: list[tuple[float, int, object]] = []

    def _x(self, x: float) -> float:
        return x * self.k / PT_MM

    def _y(self, y: float) -> float:
        return self.h_pt - (self.dy + y * self.k) / PT_MM

    def _len(self, d: float) -> float:
        return d * self.k / PT_MM

    def _add(self, zorder: float, draw) -> None:
        self._ops.append((zorder, len(self._ops), draw))

    def text(self, x, y, s, size, bold=False, color=INK, ha="left", va="baseline", rotation=0, alpha=1.0,
             zorder=3):
        """``s`` at (x, y): the baseline (``va="baseline"``) or the middle of its capitals (``"center"``)
        at y; its start, middle or end (``ha``) at x; turned ``rotation`` degrees about that point."""
        if not s:
            return
        pt = size * self.k
        w = self._len(self.f.width(s, size, bold))
        dx = {"left": 0.0, "center": -w / 2, "right": -w}[ha]
        dy = _HALF_CAP * pt if va == "center" else 0.0
        x0, y0 = self._x(x), self._y(y)

        def draw(pdf):
            pdf.set_font("poster", "B" if bold else "", pt)
            pdf.set_text_color(*_rgb(color))
            with contextlib.ExitStack() as stack:
                if alpha < 1:
                    stack.enter_context(pdf.local_context(fill_opacity=alpha))
                if rotation:
                    stack.enter_context(pdf.rotation(rotation, x0, y0))
                pdf.text(x0 + dx, y0 + dy, s)

        self._add(zorder, draw)

    def fit(self, x, y, s, size, max_mm, bold=False, minimum=None, **kw) -> float:
        """Draw ``s`` shrunk to fit ``max_mm`` (and shortened with "…" below ``minimum``)."""
        minimum = size * 0.6 if minimum is None else minimum
        sz = self.f.fit_size(s, size, max_mm, bold, minimum)
        if self.f.width(s, sz, bold) > max_mm:
            s = self.f.ellipsize(s, sz, max_mm, bold)
        self.text(x, y, s, sz, bold, **kw)
        return sz

    def lines(self, x, y, s, size, max_mm, max_lines, step, bold=False, **kw) -> float:
        """Wrapped text from baseline ``y`` down; returns the baseline below the last line."""
        for line in self.f.wrap(s, size, max_mm, max_lines, bold):
            self.text(x, y, line, size, bold, **kw)
            y -= step
        return y

    def rect(self, x, y, w, h, fill=WHITE, edge=None, lw=0.0, zorder=1):
        """A rectangle with its lower left corner at (x, y); ``fill="none"`` for an outline only."""
        box = (self._x(x), self._y(y + h), self._len(w), self._len(h))
        filled = fill != "none"

        def draw(pdf):
            if filled:
                pdf.set_fill_color(*_rgb(fill))
            if edge:
                pdf.set_draw_color(*_rgb(edge))
                pdf.set_line_width(lw * self.k)
            pdf.rect(*box, style=("DF" if filled else "D") if edge else "F")

        self._add(zorder, draw)

    def hline(self, x0, x1, y, lw=0.6, color=RULE):
        def draw(pdf):
            pdf.set_draw_color(*_rgb(color))
            pdf.set_line_width(lw * self.k)
            pdf.line(self._x(x0), self._y(y), self._x(x1), self._y(y))

        self._add(2, draw)

    def image(self, path: Path, x, y, w, h, zorder=3):
        """An image file (the logo) filling the box with lower left corner (x, y)."""
        box = (self._x(x), self._y(y + h), self._len(w), self._len(h))
        self._add(zorder, lambda pdf: pdf.image(str(path), *box))

    def squares(self, runs, x, y, unit, color="#000000", zorder=3):
        """Runs of unit squares ``(first column, column after the last, row from the bottom)``,
        the grid's lower left corner at (x, y): one filled path, so no seams between modules."""
        from fpdf.drawing import PaintedPath

        # Built once, as rectangles (one "re" each instead of four segments), and handed to the PDF
        # without the copy new_path() makes: copying a path deep-copies every element and its style,
        # which cost a quarter of the poster's time.
        path = PaintedPath()
        path.style.fill_color = color
        path.style.stroke_color = None
        for c0, c1, r in runs:
            x0, x1 = self._x(x + c0 * unit), self._x(x + c1 * unit)
            y0, y1 = self._y(y + r * unit), self._y(y + (r + 1) * unit)
            path.rectangle(x0, y0, x1 - x0, y1 - y0)

        def draw(pdf):
            pdf.set_fill_color(*_rgb(color))
            pdf.draw_path(path, copy=False)

        self._add(zorder, draw)

    def pdf_bytes(self, date: _dt.date) -> bytes:
        """The finished page; ``date`` becomes the file's creation date (the date of the figures,
        so the bytes do not depend on when the poster was made)."""
        for _, _, draw in sorted(self._ops, key=lambda op: op[:2]):
            draw(self.pdf)
        self.pdf.set_creation_date(_dt.datetime(date.year, date.month, date.day, tzinfo=_dt.timezone.utc))
        return bytes(self.pdf.output())


@functools.lru_cache(maxsize=8)
def qr_runs(url: str) -> tuple[tuple[tuple[int, int, int], ...], int]:
    """The QR code of ``url`` as runs of dark modules ``(first column, column after the last, row
    from the bottom)``, and its size in modules (made once for the A4 and the A1 page)."""
    import segno

    qr = segno.make(url, error="m", micro=False, boost_error=False)
    matrix = qr.matrix
    n = len(matrix)
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c] & 1:
                start = c
                while c < n and row[c] & 1:
                    c += 1
                runs.append((start, c, n - r - 1))
            else:
                c += 1
    return tuple(runs), n


def _bar(p: _Page, x, y, w, h, value: Decimal, top: Decimal, filled: bool):
    """A bar of ``value``/``top`` of width w; filled = solid accent, else an outlined box (tells apart in B/W)."""
    frac = 0.0 if top <= 0 or value <= 0 else min(1.0, float(value / top))
    p.rect(x, y, w, h, fill=LIGHT, zorder=1)
    if frac > 0:
        if filled:
            p.rect(x, y, max(w * frac, 0.4), h, fill=ACCENT, zorder=2)
        else:
            p.rect(x, y, max(w * frac, 0.4), h, fill=WHITE, edge=INK, lw=0.7, zorder=2)


def _jumlah(rows) -> Nilai:
    total = rows[0]
    for n in rows[1:]:
        total = total + n
    return total


class _Layout:
    """Draws the poster on a page. All numbers in A4 millimetres and A4 points."""

    L, R = 10.0, 200.0
    FOOT_TOP = 57.0
    QR = 36.0

    def __init__(self, page: _Page, c: Content, info: PosterInfo):
        self.p, self.c, self.info = page, c, info
        self.f = page.f

    def draw(self):
        y = self.header()
        if self.info.contoh:
            y = self.contoh(y)
        y = self.kunci(y)
        y = self.kolom(y)
        y = self.pembiayaan(y)
        self.kegiatan(y, self.FOOT_TOP + 2.5)
        self.footer()

    # header ----------------------------------------------------------------------------
    def header(self) -> float:
        p, c, info, f = self.p, self.c, self.info, self.f
        top = 297.0
        x = self.L
        width = self.R - x
        nama = f"{info.sebutan.upper()} {info.nama.upper()}"
        size = f.fit_size(nama, 28, width, bold=True, minimum=18)
        two = f.width(nama, size, True) > width
        h = 50.0 if two else 42.0
        p.rect(0, top - h, 210, h, fill=ACCENT, zorder=1)
        if info.logo is not None:
            x = self._logo(info.logo, top - h + 5, h - 10) + 5
            width = self.R - x
            size = f.fit_size(nama, 28, width, bold=True, minimum=18)
            two = f.width(nama, size, True) > width
        p.fit(x, top - 10, c.judul, 14, width, bold=True, color=WHITE, minimum=9)
        if two:
            y = p.lines(x, top - 19.5, nama, 18, width, 2, 8, bold=True, color=WHITE) + 8
        else:
            y = top - 22.5
            p.text(x, y, nama, size, True, color=WHITE)
        wil = " · ".join(s for s in (f"Kecamatan {info.kecamatan}" if info.kecamatan else "",
                                     f"Kabupaten {info.kabupaten}" if info.kabupaten else "",
                                     f"Provinsi {info.provinsi}" if info.provinsi else "") if s)
        p.fit(x, y - 8, wil, 11, width, color=WHITE, minimum=7)
        ket = " · ".join(s for s in (c.perdes, f"Keadaan per {c.per_tanggal}" if c.per_tanggal else "") if s)
        p.fit(x, top - h + 4.5, ket, 9, width, color=WHITE, minimum=6)
        return top - h

    def _logo(self, path: Path, y, h) -> float:
        from PIL import Image

        with Image.open(path) as img:
            iw, ih = img.size
        w = min(40.0, h * iw / ih)
        hh = w * ih / iw
        self.p.image(path, self.L, y + (h - hh) / 2, w, hh)
        return self.L + w

    def contoh(self, y) -> float:
        p = self.p
        h = 7.5
        p.rect(0, y - h, 210, h, fill=LIGHT, zorder=1)
        p.hline(0, 210, y - h, lw=1.2, color=INK)
        p.fit(105, y - h / 2 - 1.2, "DATA CONTOH — angka rekaan untuk contoh tampilan, bukan APBDes desa "
              "yang sebenarnya", 9.5, 190, True, ha="center")
        p.text(105, 140, "DATA CONTOH", 84, True, color="#000000", ha="center", va="center", rotation=35,
               alpha=0.07, zorder=0)
        return y - h

    # key figures -----------------------------------------------------------------------
    def kunci(self, y) -> float:
        p, c = self.p, self.c
        r = c.ringkasan
        y -= 4
        h = 27.0 if (c.realisasi or c.perubahan) else 22.0
        gap = 4.0
        w = (self.R - self.L - 2 * gap) / 3
        items = (("PENDAPATAN", "pendapatan"), ("BELANJA", "belanja"), ("SURPLUS/(DEFISIT)", "surplus_defisit"))
        for i, (label, key) in enumerate(items):
            n = r[key]
            x, cx = self.L + i * (w + gap), self.L + i * (w + gap) + w / 2
            p.rect(x, y - h, w, h, fill=WHITE, edge=INK, lw=1.4)
            p.rect(x, y - 7, w, 7, fill=INK)
            p.fit(cx, y - 4.9, label, 10, w - 4, True, color=WHITE, ha="center")
            p.fit(cx, y - 14.5, format_rupiah(n.akhir), 15, w - 4, True, ha="center", minimum=7)
            if c.realisasi:
                p.fit(cx, y - 20.5, f"Realisasi {format_rupiah(n.realisasi or 0)}", 10, w - 4, True, ha="center",
                      minimum=6)
                if key != "surplus_defisit":
                    p.text(cx, y - 25, f"{format_persen(n.persen)} dari anggaran", 8.5, ha="center", color=MUTED)
            elif c.perubahan:
                p.text(cx, y - 19.5, "setelah perubahan", 8.5, ha="center", color=MUTED)
                p.fit(cx, y - 24, f"anggaran awal {format_rupiah(n.anggaran)}", 8.5, w - 4, ha="center",
                      color=MUTED, minimum=5.5)
            else:
                note = {"pendapatan": "seluruh pendapatan desa", "belanja": "seluruh belanja desa"}.get(key)
                if note is None:
                    note = "surplus" if n.akhir > 0 else ("defisit" if n.akhir < 0 else "seimbang")
                p.text(cx, y - 19.5, note, 8.5, ha="center", color=MUTED)
        return y - h

    # income and spending ---------------------------------------------------------------
    def _title(self, x, y, w, title, note=""):
        p = self.p
        p.fit(x, y - 5, title, 12.5, w - (self.f.width(note, 8) + 3 if note else 0), True, color=ACCENT,
              minimum=8)
        if note:
            p.fit(x + w, y - 5, note, 8, w * 0.36, color=MUTED, ha="right", minimum=6)
        p.hline(x, x + w, y - 6.8, lw=1.4, color=ACCENT)
        return y - 7.5

    def _rows(self, x, y, w, rows, total_label, total: Nilai, share_of: Decimal | None) -> float:
        """Each row: the name, then a bar with the amount.

        With realisasi the bar is an outlined box (anggaran) filled up to the realisasi, the
        percentage stands right of the name and the text says "Rp realisasi dari Rp anggaran":
        the meaning never rests on colour.
        """
        p, c, f = self.p, self.c, self.f
        top = max([n.akhir for _, n in rows] + [n.realisasi or 0 for _, n in rows] + [Decimal(1)])
        bar_w = w * 0.38
        pct_w = 17.0 if c.realisasi else 0.0
        # one size for every name of the column (the smallest that fits), long ones shortened below 8 pt
        size = min([f.fit_size(name, 9.5, w - pct_w, minimum=8) for name, _ in rows] + [9.5])
        for name, n in rows:
            p.fit(x, y - 3.9, name, size, w - pct_w, minimum=size)
            if c.realisasi:
                p.fit(x + w, y - 3.9, format_persen(n.persen), 9.5, pct_w - 1, True, ha="right", minimum=6)
                frac = 0.0 if n.akhir <= 0 else float(min(n.akhir / top, Decimal(1)))
                _bar(p, x, y - 8.6, bar_w, 3.0, n.realisasi or 0, top, filled=True)
                if frac > 0:
                    p.rect(x, y - 8.6, max(bar_w * frac, 0.4), 3.0, fill="none", edge=INK, lw=0.8, zorder=3)
                p.fit(x + w, y - 8.0, f"{format_rupiah(n.realisasi or 0)} dari {format_rupiah(n.akhir)}", 8.5,
                      w - bar_w - 2, ha="right", minimum=5)
            else:
                _bar(p, x, y - 8.6, bar_w, 3.0, n.akhir, top, filled=True)
                amount = format_rupiah(n.akhir)
                if share_of:
                    amount += f" ({format_persen((n.akhir * 100 / share_of).quantize(Decimal('0.01')))})"
                p.fit(x + w, y - 8.0, amount, 9.5, w - bar_w - 2, True, ha="right", minimum=5.5)
            y -= 9.6
        p.hline(x, x + w, y - 0.8, lw=0.8)
        p.fit(x, y - 5.4, total_label, 10, w * 0.4, True, minimum=7)
        p.fit(x + w, y - 5.4, format_rupiah(total.akhir), 10, w * 0.58, True, ha="right", minimum=6)
        y -= 6.5
        if c.realisasi:
            p.fit(x + w, y - 4.2, f"Realisasi {format_rupiah(total.realisasi or 0)} ({format_persen(total.persen)})",
                  9, w, True, ha="right", minimum=6)
            y -= 5.0
        return y

    def kolom(self, y) -> float:
        c, r = self.c, self.c.ringkasan
        y -= 4.5
        gap = 8.0
        w = (self.R - self.L - gap) / 2
        xl, xr = self.L, self.L + w + gap
        legend = "□ anggaran  ■ realisasi" if c.realisasi else ""
        yl = self._title(xl, y, w, "PENDAPATAN per sumber", legend)
        yr = self._title(xr, y, w, "BELANJA per bidang", legend)
        if not c.pendapatan:
            self.p.text(xl, yl - 4.5, "Belum ada pendapatan tercatat.", 9.5, color=MUTED)
            yl -= 7
        yl = self._rows(xl, yl, w, c.pendapatan, "Jumlah Pendapatan", r["pendapatan"], None)
        bidang = [(f"{b} {name}", n) for b, name, n in c.bidang]
        name_w = w - (17.0 if c.realisasi else 0.0)
        if any(self.f.width(name, 8.5) > name_w for name, _ in bidang):
            # official names too long for the column: the short names of the web charts
            bidang = [(f"{b} {BIDANG_SINGKAT.get(b, name)}", n) for b, name, n in c.bidang]
        belanja = r["belanja"].akhir
        yr = self._rows(xr, yr, w, bidang, "Jumlah Belanja", r["belanja"], belanja if belanja > 0 else None)
        return min(yl, yr)

    # financing -------------------------------------------------------------------------
    def pembiayaan(self, y) -> float:
        p, c = self.p, self.c
        r = c.ringkasan
        y -= 3.5
        y = self._title(self.L, y, self.R - self.L, "PEMBIAYAAN dan SiLPA")
        keys = ("penerimaan_pembiayaan", "pengeluaran_pembiayaan")
        if all(r[k].akhir == 0 and not r[k].realisasi for k in keys):
            p.fit(self.L, y - 4.8, "Tidak ada pembiayaan tahun ini: penerimaan dan pengeluaran pembiayaan Rp 0.",
                  9.5, self.R - self.L, minimum=6)
            silpa = r["silpa"]
            txt = f"SiLPA tahun berjalan (surplus/defisit + pembiayaan netto): {format_rupiah(silpa.akhir)}"
            if c.realisasi:
                txt += f"; realisasi {format_rupiah(silpa.realisasi or 0)}"
            p.fit(self.L, y - 9.6, txt, 9.5, self.R - self.L, True, minimum=6)
            return y - 11.5
        items = (("Penerimaan pembiayaan", "penerimaan_pembiayaan"),
                 ("Pengeluaran pembiayaan", "pengeluaran_pembiayaan"),
                 ("Pembiayaan netto", "pembiayaan_netto"), ("SiLPA tahun berjalan", "silpa"))
        gap = 3.0
        w = (self.R - self.L - 3 * gap) / 4
        h = 14.5 if c.realisasi else 11.0
        y -= 1.2
        for i, (label, key) in enumerate(items):
            x = self.L + i * (w + gap)
            n = r[key]
            p.rect(x, y - h, w, h, fill=LIGHT if i < 2 else WHITE, edge=INK, lw=0.8)
            p.fit(x + 2, y - 4.2, label, 8.5, w - 4, minimum=6)
            p.fit(x + 2, y - 9.1, format_rupiah(n.akhir), 10.5, w - 4, True, minimum=5.5)
            if c.realisasi:
                p.fit(x + 2, y - 12.9, f"Realisasi {format_rupiah(n.realisasi or 0)}", 8.5, w - 4, minimum=5.5)
        return y - h

    # activities ------------------------------------------------------------------------
    def kegiatan(self, y, bottom) -> float:
        p, c = self.p, self.c
        y -= 3.5
        width = self.R - self.L
        rows = c.kegiatan
        y = self._title(self.L, y, width, "KEGIATAN TERBESAR",
                        f"dari {len(rows)} kegiatan dalam anggaran" if rows else "")
        if not rows:
            p.text(self.L, y - 5, "Belum ada belanja kegiatan tercatat.", 9.5, color=MUTED)
            return y - 7
        row_h = 5.6
        x_no, x_name = self.L + 1.5, self.L + 9
        x_ang = self.R - (50 if c.realisasi else 2)
        p.text(x_no, y - 3.8, "No", 7.5, True, color=MUTED)
        p.text(x_name, y - 3.8, "Kegiatan", 7.5, True, color=MUTED)
        p.text(x_ang, y - 3.8, "Anggaran", 7.5, True, color=MUTED, ha="right")
        if c.realisasi:
            p.text(self.R - 2, y - 3.8, "Realisasi (persen)", 7.5, True, color=MUTED, ha="right")
        y -= 4.8
        fit = max(1, int((y - bottom) // row_h))
        n = min(len(rows), MAX_KEGIATAN, fit)
        if n < len(rows):      # keep a line for "… dan X kegiatan lain"
            n = min(n, fit - 1)
        name_w = x_ang - 40 - x_name
        for i, row in enumerate(rows[:n]):
            top = y - i * row_h
            if i % 2 == 0:
                p.rect(self.L, top - row_h, width, row_h, fill=LIGHT, zorder=1)
            base = top - row_h + 1.7
            p.text(x_no, base, f"{i + 1}.", 9, color=MUTED)
            p.fit(x_name, base, row.nama, 9, name_w, minimum=8.5)
            p.fit(x_ang, base, format_rupiah(row.nilai.akhir), 9, 38, True, ha="right", minimum=5)
            if c.realisasi:
                real = f"{format_rupiah(row.nilai.realisasi or 0)} ({format_persen(row.nilai.persen)})"
                p.fit(self.R - 2, base, real, 9, 47, ha="right", minimum=5)
        y -= n * row_h
        rest = rows[n:]
        if rest:
            total = _jumlah([r.nilai for r in rest])
            txt = (f"… dan {len(rest)} kegiatan lain: {format_rupiah(total.akhir)}" if n else
                   f"{len(rest)} kegiatan: {format_rupiah(total.akhir)} (rincian: pindai kode QR)")
            if c.realisasi:
                txt += f" (realisasi {format_rupiah(total.realisasi or 0)})"
            p.fit(x_name, y - 4.2, txt, 9, self.R - x_name - 2, True, minimum=6)
            y -= row_h
        return y

    # footer ----------------------------------------------------------------------------
    def footer(self):
        p, c, info = self.p, self.c, self.info
        top, q = self.FOOT_TOP, self.QR
        qr_x = self.R - q
        p.hline(self.L, self.R, top, lw=1.4, color=ACCENT)
        x, w = self.L, qr_x - self.L - 5
        y = top - 5.2
        if info.kepala_desa:
            p.fit(x, y, f"{info.sebutan_kepala}: {info.kepala_desa}", 10, w, True, minimum=7)
            y -= 4.6
        if c.pelaksana:
            y = p.lines(x, y, f"Pelaksana anggaran: {c.pelaksana}", 8.5, w, 2, 4.0)
        y -= 1.6
        p.text(x, y, "TANYA DAN PENGADUAN", 10, True, color=ACCENT)
        y -= 4.6
        kantor = f"Kantor {info.sebutan} {info.nama}" + (f", {info.alamat}" if info.alamat else "")
        y = p.lines(x, y, kantor, 8.5, w, 2, 4.0)
        kontak = " · ".join(s for s in (f"Telp. {info.telepon}" if info.telepon else "",
                                        f"WhatsApp {info.whatsapp}" if info.whatsapp else "",
                                        f"E-mail {info.email}" if info.email else "") if s)
        if kontak:
            y = p.lines(x, y, kontak, 8.5, w, 2, 4.0, bold=True)
        if info.pengaduan_nama or info.pengaduan_url:
            kab = f"Kabupaten {info.kabupaten}" if info.kabupaten else "kabupaten"
            line = f"Kanal pengaduan {kab}: {info.pengaduan_nama or ''}".rstrip()
            if info.pengaduan_url:
                line += f" {info.pengaduan_url}"
            y = p.lines(x, y, line, 8.5, w, 2, 4.0)
        # QR code to the budget page, with a quiet zone of 4 modules
        qr_y = top - 2 - q
        runs, n = qr_runs(info.url)
        quiet = 4
        unit = q / (n + 2 * quiet)
        p.rect(qr_x, qr_y, q, q, fill=WHITE, zorder=2)
        p.squares(runs, qr_x + quiet * unit, qr_y + quiet * unit, unit, zorder=3)
        p.fit(qr_x + q / 2, qr_y - 1.6, "Pindai: rincian lengkap", 8, q + 6, True, ha="center")
        # the address and the source line at the bottom
        p.fit(self.L, 14.0, f"Rincian lengkap: {info.url}", 9, self.R - self.L, True, minimum=5)
        p.hline(self.L, self.R, 11.5, lw=0.6)
        src = (f"Dibuat oleh Papan Desa dari data APBDes {info.sebutan.lower()} yang sama dengan "
               "halaman APBDes di situs.")
        if c.per_tanggal:
            src += f" Keadaan per {c.per_tanggal}."
        p.fit(self.L, 7.8, src, 7.5, self.R - self.L, color=MUTED, minimum=5)


def _texts(c: Content, info: PosterInfo) -> list[str]:
    """Every string of the poster that comes from the data (to choose the fonts)."""
    out = [c.judul, c.perdes, c.pelaksana, c.per_tanggal]
    out += [n for n, _ in c.pendapatan] + [n for _, n, _ in c.bidang] + [k.nama for k in c.kegiatan]
    out += [str(v) for k, v in asdict(info).items() if k != "logo"]
    return out


def _draw(c: Content, info: PosterInfo, page_mm: tuple[float, float], fonts: Fonts, date: _dt.date) -> bytes:
    page = _Page(page_mm[0] / A4_MM[0], page_mm, fonts)
    _Layout(page, c, info).draw()
    return page.pdf_bytes(date)


def tanggal_data(year: TahunAnggaran) -> _dt.date:
    """The date the figures are as of (else the Perdes date, else 1 January of the year)."""
    return year.meta.per_tanggal or year.meta.perdes_tanggal or _dt.date(year.tahun, 1, 1)


def _preview_png(a4_pdf: bytes) -> bytes:
    """The A4 PDF itself rendered at PNG_DPI (PDFium) as a 64-colour palette PNG: the preview is
    exactly what prints, and rasterising the finished PDF takes a seventh of the time of drawing the
    figure again with Agg. Flat colours and text survive the palette; the file is a third the size."""
    import math

    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(a4_pdf)
    try:
        page = doc[0]
        w_pt, h_pt = page.get_size()
        # Whole pixels only (1240 × 1753 at 150 dpi), so the size does not depend on rounding.
        size = (math.floor(w_pt * PNG_DPI / 72), math.floor(h_pt * PNG_DPI / 72))
        im = page.render(scale=PNG_DPI / 72, may_draw_forms=False).to_pil()
        page.close()
    finally:
        doc.close()
    im = im.crop((0, 0) + size)
    if im.mode != "RGB":
        im = im.convert("RGB")
    out = io.BytesIO()
    # Octree is ten times faster than median cut here and gives a smaller file. zlib level 3 takes
    # half the time of level 6 (9 instead of 19 ms on the A4 preview) for 18 % more bytes (145
    # instead of 123 kB): the preview is a download, drawn on every budget change.
    im.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, "PNG", compress_level=3)
    return out.getvalue()


def cached_poster(cache_dir: Path, year: TahunAnggaran, info: PosterInfo) -> PosterFiles:
    """:func:`make_poster` through the poster cache (see ``poster_cache.cached_poster``)."""
    return _cache.cached_poster(cache_dir, year, info, make_poster)


def make_poster(year: TahunAnggaran, info: PosterInfo, totals: Totals | None = None) -> PosterFiles:
    """The A1 and A4 PDF posters and the PNG preview (the A4 page at 150 dpi) of one budget year."""
    c = content(year, totals)
    fonts = fonts_for(_texts(c, info))
    date = tanggal_data(year)
    a4_pdf = _draw(c, info, A4_MM, fonts, date)
    a1_pdf = _draw(c, info, A1_MM, fonts, date)
    return PosterFiles(a1_pdf=a1_pdf, a4_pdf=a4_pdf, png=_preview_png(a4_pdf))
