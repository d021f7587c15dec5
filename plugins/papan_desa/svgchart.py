"""Bar charts written as SVG text: the web charts of villages and of the portal.

Every chart on the site is bars with their numbers printed beside them: horizontal
bars (one or two per row), a population pyramid and grouped columns. Written here
directly, such a chart is a few hundred bytes of shapes and real text, drawn in
well under a millisecond. matplotlib (which drew them before) took about
50 ms a chart and 0.6 s to import, wrote several times the bytes, and needed a page of
regular expressions to make its output small and reproducible; at 13 charts a village
that was a fifth of a cold build.

The output is deterministic (same input, same bytes), has no metadata, script, style
element or external reference, and carries ``<title>`` and ``<desc>`` (the text
alternative with every number) with ``role="img"``. Coordinates are in CSS pixels;
the ``viewBox`` gives the natural size, which pages copy to ``<img width height>``.

Text widths are estimated from DejaVu Sans' advance widths (a wide face: phones'
Roboto or Noto are narrower), so labels never run into the bars.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

TEXT = "#1a202c"
AXIS = "#718096"
FONT = "DejaVu Sans, Verdana, sans-serif"
# Charts are drawn at a phone's width (a 360 px screen less the page margins) and shown at that size,
# so their text is at least 12 px on a phone; a wider screen scales them up.
WIDTH = 320
LABEL_SIZE = 13
VALUE_SIZE = 12

# Advance widths of DejaVu Sans in em, by character class; anything else counts as 0.62 em.
_NARROW = dict.fromkeys("iIjl.,:;'|!", 0.30)
_SMALL = dict.fromkeys("frt()[]{}-/ \u00a0", 0.40)
_WIDE = dict.fromkeys("mwMW%@", 0.92)
_WIDTHS = {**_NARROW, **_SMALL, **_WIDE, **dict.fromkeys("0123456789", 0.64)}


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of ``text`` at font size ``size`` (upper case counted wider)."""
    return size * sum(_WIDTHS.get(c, 0.72 if c.isupper() else 0.62) for c in text)


def _n(x: float) -> str:
    """A coordinate with at most one decimal: small files, same bytes on every machine."""
    s = f"{x:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def wrap(label: str, chars: int, lines: int = 2) -> list[str]:
    """Break a label into at most ``lines`` lines of about ``chars`` characters (words kept whole
    where they fit); what does not fit ends with an ellipsis."""
    words, out, cur = label.split(), [], ""
    for w in words:
        if not cur:
            cur = w
        elif len(cur) + 1 + len(w) <= chars:
            cur += " " + w
        else:
            out.append(cur)
            cur = w
    if cur:
        out.append(cur)
    out = out or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: chars - 1].rstrip() + "…"
    return [line if len(line) <= chars else line[: chars - 1] + "…" for line in out]


@dataclass(frozen=True)
class Bar:
    value: float            # drawn length; 0 for a hidden or missing value (its text still shows)
    text: str               # the number printed beside the bar
    color: str


@dataclass(frozen=True)
class Row:
    label: str
    bars: tuple[Bar, ...]


@dataclass
class _Svg:
    width: float
    height: float
    ident: str
    judul: str
    deskripsi: str
    parts: list[str] = field(default_factory=list)

    def rect(self, x: float, y: float, w: float, h: float, color: str) -> None:
        if w > 0 and h > 0:
            self.parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{color}"/>')

    def text(self, x: float, y: float, s: str, *, anchor: str = "start", size: float = VALUE_SIZE,
             bold: bool = False) -> None:
        attrs = f' text-anchor="{anchor}"' if anchor != "start" else ""
        attrs += f' font-size="{_n(size)}"' if size != LABEL_SIZE else ""
        attrs += ' font-weight="bold"' if bold else ""
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}"{attrs}>{escape(s, quote=False)}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.parts.append(f'<path d="M{_n(x1)} {_n(y1)}V{_n(y2)}" stroke="{AXIS}" stroke-width="1"/>'
                          if x1 == x2 else
                          f'<path d="M{_n(x1)} {_n(y1)}H{_n(x2)}" stroke="{AXIS}" stroke-width="1"/>')

    def legend(self, items: list[tuple[str, str]], y: float, x: float = 4) -> None:
        for label, color in items:
            self.rect(x, y - 9, 12, 10, color)
            self.text(x + 16, y, label)
            x += 16 + text_width(label, VALUE_SIZE) + 14

    def render(self) -> str:
        w, h = _n(self.width), _n(self.height)
        tid, did = f"{self.ident}-judul", f"{self.ident}-uraian"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
                f'role="img" aria-labelledby="{tid} {did}" font-family="{FONT}" font-size="{LABEL_SIZE}" '
                f'fill="{TEXT}">\n<title id="{tid}">{escape(self.judul, quote=False)}</title>\n'
                f'<desc id="{did}">{escape(self.deskripsi, quote=False)}</desc>\n')
        return head + "\n".join(self.parts) + "\n</svg>\n"


def hbar(rows: list[Row], *, ident: str, judul: str, deskripsi: str, legend: list[tuple[str, str]] = (),
         width: float = WIDTH, label_chars: int | None = None, axis: bool = True) -> str:
    """Horizontal bars, one or more per row, each with its number at its end; negative values
    grow left of the zero line. Each row's label stands on its own line(s) above its bars, across
    the whole width, so that a phone shows it at full size (at most two lines; ``label_chars``
    narrows them)."""
    bar_h, gap, pad, line_h = 16.0, 3.0, 10.0, LABEL_SIZE + 3.0
    chars = int((width - 8) / (LABEL_SIZE * 0.62))
    if label_chars:
        chars = min(chars, max(label_chars, 20))
    labels = [wrap(r.label, chars) for r in rows]
    values = [b.value for r in rows for b in r.bars]
    hi, lo = max(values + [0.0]), min(values + [0.0])
    text_w = max([text_width(b.text, VALUE_SIZE) for r in rows for b in r.bars] + [0.0]) + 6
    left_text = text_w if lo < 0 else 0.0
    x0 = 4.0
    span = (hi - lo) or 1.0
    scale = max(width - x0 - text_w - left_text - 4, 20.0) / span
    zero = x0 + left_text + (-lo) * scale
    top = 28.0 if legend else 4.0
    heights = [len(ls) * line_h + len(r.bars) * (bar_h + gap) - gap + pad for r, ls in zip(rows, labels)]
    svg = _Svg(width, top + sum(heights) + 2, ident, judul, deskripsi)
    if legend:
        svg.legend(list(legend), 17)
    y = top
    bars_top = []
    for r, ls, rh in zip(rows, labels, heights):
        for i, line in enumerate(ls):
            svg.text(x0, y + LABEL_SIZE + i * line_h, line, size=LABEL_SIZE, bold=False)
        by = y + len(ls) * line_h + 3
        bars_top.append(by)
        for b in r.bars:
            length = abs(b.value) * scale
            if b.value >= 0:
                svg.rect(zero, by, length, bar_h, b.color)
                svg.text(zero + length + 3, by + bar_h / 2 + 4.5, b.text)
            else:
                svg.rect(zero - length, by, length, bar_h, b.color)
                svg.text(zero - length - 3, by + bar_h / 2 + 4.5, b.text, anchor="end")
            by += bar_h + gap
        y += rh
    if axis and lo < 0:
        svg.line(zero, top, zero, y)
    return svg.render()


def pyramid(labels: list[str], left: list[Bar], right: list[Bar], *, ident: str, judul: str, deskripsi: str,
            left_name: str, right_name: str, width: float = WIDTH) -> str:
    """Two-sided bars around a middle column of labels (a population pyramid); the first label
    is drawn at the bottom, as age groups are read upwards."""
    bar_h, gap = 14.0, 3.0
    mid_w = max([text_width(s, VALUE_SIZE) for s in labels] + [20.0]) + 12
    text_w = max([text_width(b.text, VALUE_SIZE) for b in left + right] + [0.0]) + 6
    half = (width - mid_w) / 2
    hi = max([b.value for b in left + right] + [1.0])
    scale = max(half - text_w - 4, 20.0) / hi
    cx_l, cx_r = half, half + mid_w
    top = 24.0
    svg = _Svg(width, top + len(labels) * (bar_h + gap) + 4, ident, judul, deskripsi)
    svg.rect(cx_l - 14, 7, 10, 10, left[0].color if left else AXIS)
    svg.text(cx_l - 18, 16, left_name, anchor="end", size=LABEL_SIZE, bold=True)
    svg.rect(cx_r + 4, 7, 10, 10, right[0].color if right else AXIS)
    svg.text(cx_r + 18, 16, right_name, size=LABEL_SIZE, bold=True)
    for i, (label, lb, rb) in enumerate(zip(labels, left, right)):
        y = top + (len(labels) - 1 - i) * (bar_h + gap)
        base = y + bar_h / 2 + 4
        svg.text(width / 2, base, label, anchor="middle")
        ll, rl = lb.value * scale, rb.value * scale
        svg.rect(cx_l - ll, y, ll, bar_h, lb.color)
        svg.text(cx_l - ll - 3, base, lb.text, anchor="end")
        svg.rect(cx_r, y, rl, bar_h, rb.color)
        svg.text(cx_r + rl + 3, base, rb.text)
    return svg.render()


def columns(groups: list[tuple[str, list[Bar]]], *, ident: str, judul: str, deskripsi: str,
            legend: list[tuple[str, str]], width: float = WIDTH, height: float = 220) -> str:
    """Grouped vertical columns (e.g. income and spending per year) with their numbers on top."""
    top, bottom = 30.0, 24.0
    hi = max([b.value for _, bars in groups for b in bars] + [1.0])
    plot_h = height - top - bottom - 16
    svg = _Svg(width, height, ident, judul, deskripsi)
    svg.legend(legend, 16)
    slot = (width - 8) / max(len(groups), 1)
    base = height - bottom
    for i, (label, bars) in enumerate(groups):
        bw = min(slot * 0.8 / max(len(bars), 1), 90.0)
        x = 4 + i * slot + (slot - bw * len(bars)) / 2
        for b in bars:
            h = max(b.value, 0.0) / hi * plot_h
            svg.rect(x, base - h, bw - 2, h, b.color)
            svg.text(x + (bw - 2) / 2, base - h - 4, b.text, anchor="middle")
            x += bw
        svg.text(4 + i * slot + slot / 2, base + 17, label, anchor="middle", size=LABEL_SIZE)
    svg.line(4, base, width - 4, base)
    return svg.render()


def size(svg: str) -> tuple[int, int]:
    """The natural (width, height) of a chart from its ``viewBox``, for ``<img width height>``."""
    m = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if m is None:
        raise ValueError("SVG tanpa viewBox")
    return round(float(m.group(1))), round(float(m.group(2)))
