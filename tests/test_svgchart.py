"""The hand-written SVG charts: valid, accessible, deterministic, and the drawing matches the numbers."""
import re
import xml.dom.minidom

import pytest

from papan_desa.svgchart import LABEL_SIZE, VALUE_SIZE, Bar, Row, columns, hbar, pyramid, size, text_width, wrap

NS = "{http://www.w3.org/2000/svg}"


def _rects(svg: str) -> list[dict]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', m)) for m in re.findall(r"<rect ([^>]*)/>", svg)]


def _texts(svg: str) -> list[tuple[dict, str]]:
    return [(dict(re.findall(r'([\w-]+)="([^"]*)"', a)), t) for a, t in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg)]


def test_bar_lengths_are_proportional_to_the_values_and_numbers_sit_beside_them():
    rows = [Row("Dana Desa", (Bar(1_000_000, "Rp 1 jt", "#111111"),)),
            Row("Alokasi Dana Desa", (Bar(250_000, "Rp 250 rb", "#222222"),)),
            Row("Bunga Bank", (Bar(0, "Rp 0", "#333333"),))]
    svg = hbar(rows, ident="uji", judul="Pendapatan", deskripsi="Pendapatan: Dana Desa Rp 1.000.000.")
    rects = _rects(svg)
    assert [r["fill"] for r in rects] == ["#111111", "#222222"]      # a zero bar draws no shape
    w1, w2 = float(rects[0]["width"]), float(rects[1]["width"])
    assert w1 / w2 == pytest.approx(4, rel=0.01)
    texts = dict((t, a) for a, t in _texts(svg))
    assert float(texts["Rp 1 jt"]["x"]) == pytest.approx(float(rects[0]["x"]) + w1 + 3, abs=0.11)
    # Each label stands above its bar (full width for a phone), not beside it.
    assert float(texts["Dana Desa"]["y"]) < float(rects[0]["y"])
    width, height = size(svg)
    # Nothing is drawn past the right edge: the longest bar plus its number fits.
    assert float(texts["Rp 1 jt"]["x"]) + text_width("Rp 1 jt", VALUE_SIZE) <= width
    assert height > 0


def test_negative_values_grow_left_of_the_zero_line():
    rows = [Row("Penerimaan", (Bar(100, "100", "#1"),)), Row("Netto", (Bar(-50, "-50", "#2"),))]
    svg = hbar(rows, ident="n", judul="t", deskripsi="d")
    pos, neg = _rects(svg)
    assert float(neg["x"]) + float(neg["width"]) == pytest.approx(float(pos["x"]), abs=0.11)
    assert float(neg["width"]) == pytest.approx(float(pos["width"]) / 2, abs=0.11)
    assert min(float(a["x"]) - text_width(t, 11) for a, t in _texts(svg) if t == "-50") >= 0


def test_charts_are_valid_accessible_svg_and_the_same_bytes_every_time():
    rows = [Row(f"Kategori {i}", (Bar(i * 10, str(i * 10), "#2f855a"),)) for i in range(1, 6)]
    charts = [
        hbar(rows, ident="a", judul="Judul", deskripsi="Uraian dengan angka 10, 20."),
        pyramid(["0-4", "5-9"], [Bar(9, "9", "#1"), Bar(0, "<5", "#1")], [Bar(8, "8", "#2"), Bar(7, "7", "#2")],
                ident="p", judul="Piramida", deskripsi="0-4: 9 dan 8", left_name="Laki-laki", right_name="Perempuan"),
        columns([("2024", [Bar(5, "5", "#1"), Bar(4, "4", "#2")]), ("2025", [Bar(6, "6", "#1"), Bar(3, "3", "#2")])],
                ident="c", judul="Tahunan", deskripsi="2024: 5 dan 4", legend=[("P", "#1"), ("B", "#2")]),
    ]
    for svg in charts:
        doc = xml.dom.minidom.parseString(svg.encode())
        root = doc.documentElement
        assert root.tagName == "svg" and root.getAttribute("role") == "img"
        ids = root.getAttribute("aria-labelledby").split()
        assert [doc.getElementsByTagName(t)[0].getAttribute("id") for t in ("title", "desc")] == ids
        assert "<script" not in svg and "<style" not in svg and "href" not in svg and "<metadata" not in svg
        assert len(svg.encode()) < 6_000
    again = hbar(rows, ident="a", judul="Judul", deskripsi="Uraian dengan angka 10, 20.")
    assert again == charts[0]


def test_untrusted_labels_are_escaped():
    rows = [Row('<script>alert(1)</script> & "kutip"', (Bar(1, "<5", "#1"),))]
    svg = hbar(rows, ident="x", judul="<b>judul</b>", deskripsi="a < b & c")
    xml.dom.minidom.parseString(svg.encode())
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;5" in svg and "a &lt; b &amp; c" in svg


def test_hidden_values_show_their_mark_and_no_bar():
    svg = pyramid(["70-74"], [Bar(0, "<5", "#1")], [Bar(0, "*", "#2")], ident="p", judul="t", deskripsi="d",
                  left_name="L", right_name="P")
    assert [r["height"] for r in _rects(svg)] == ["10", "10"]     # the two legend keys, no bar
    assert {t for _, t in _texts(svg)} >= {"&lt;5", "*"}


def test_long_labels_are_wrapped_to_fit_their_column():
    long = "18. Kelembagaan Desa Dinamis dan Budaya Desa Adaptif"
    svg = hbar([Row(long, (Bar(78, "78,01", "#1"),))], ident="s", judul="t", deskripsi="d", label_chars=30)
    lines = [(a, t) for a, t in _texts(svg) if t != "78,01"]
    assert len(lines) == 2 and " ".join(t for _, t in lines) == long
    width, _ = size(svg)
    bar_y = float(_rects(svg)[0]["y"])
    assert all(float(a["x"]) >= 0 and float(a["x"]) + text_width(t, LABEL_SIZE) <= width and float(a["y"]) < bar_y
               for a, t in lines)


def test_chart_text_is_at_least_12px_on_a_phone():
    """Charts are drawn at a phone's content width and shown unscaled there: every font size is >= 12."""
    svg = hbar([Row("Dana Desa", (Bar(1, "Rp 1", "#1"),))], ident="h", judul="t", deskripsi="d",
               legend=[("Anggaran", "#1")])
    width, _ = size(svg)
    assert width <= 360 - 2 * 16
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) >= 12


def test_wrap_keeps_words_and_marks_what_is_cut():
    assert wrap("Pembinaan Kemasyarakatan", 20) == ["Pembinaan", "Kemasyarakatan"]
    assert wrap("satu dua tiga empat lima enam", 9) == ["satu dua", "tiga…"]
    assert wrap("", 10) == [""]


def _contrast_with_white(color: str) -> float:
    def channel(x: int) -> float:
        x /= 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_bar_and_text_colour_on_the_site_stands_out_from_the_page():
    """WCAG 1.4.11: bars are graphical objects (3:1 against white); text needs 4.5:1 (1.4.3)."""
    from pathlib import Path

    from papan_desa.apbdes.charts import chart_multi_tahun, infografik
    from papan_desa.apbdes.load import load_village_apbdes
    from papan_desa.datadesa import build_tables, load_village_datadesa
    from papan_desa.datadesa.charts import charts_for
    from papan_desa.problems import Problems

    from datadesa_helpers import FIXTURES

    years = load_village_apbdes(Path(__file__).parent / "fixtures" / "apbdes" / "contoh", Problems())
    svgs = [c.svg for y in years for c in infografik(y)] + [chart_multi_tahun(years).svg]
    svgs += list(charts_for(build_tables(load_village_datadesa(FIXTURES / "baik", Problems()))).values())
    fills = {f for svg in svgs for f in re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', svg)}
    assert len(fills) >= 8                                   # the whole palette was drawn
    assert {f: round(_contrast_with_white(f), 2) for f in fills if _contrast_with_white(f) < 3} == {}
    texts = set(re.findall(r'<svg [^>]*fill="(#[0-9a-f]{6})"', "".join(svgs)))
    assert texts and all(_contrast_with_white(t) >= 4.5 for t in texts)
