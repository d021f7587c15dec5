"""Untrusted Markdown becomes safe HTML; references and slugs stay inside their folders."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from papan_desa.problems import Problems
from papan_desa.sanitize import (
    ALLOWED_ATTRIBUTES, ALLOWED_TAGS, EXTERNAL_REL, UnsafePath, is_safe_slug, render_markdown, safe_relpath,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "adversarial"
BASE = "https://desa.contoh.id/"


def render(text: str, **kw) -> str:
    return render_markdown(text, base_url=BASE, **kw)


# ---------------------------------------------------------------- corpus

def test_markdown_corpus_exact_outputs():
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["render"]
    folder = CORPUS / "markdown"
    assert sorted(f.name for f in folder.glob("*.md")) == sorted(expected)
    for name, want in expected.items():
        path = folder / name
        p = Problems(root=ROOT)
        html = render(path.read_text(encoding="utf-8"), problems=p, path=path, village_dir=folder)
        assert html == want["html"], name
        assert [[e.line, e.column, e.message] for e in p.items] == want["masalah"], name


# ---------------------------------------------------------------- single vectors, outcome written by hand

@pytest.mark.parametrize("source, html", [
    ("# Judul", "<h2>Judul</h2>"),
    ("<h1>Judul</h1>", "<h2>Judul</h2>"),
    ("Halo <script>alert(1)</script>!", "<p>Halo !</p>"),
    ('<img src="foto/a.jpg" onerror="alert(1)">', '<p><img src="foto/a.jpg"></p>'),
    ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<p><a>x</a></p>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<p><a>x</a></p>"),
    ("[x](https://kemendagri.go.id)", f'<p><a href="https://kemendagri.go.id" rel="{EXTERNAL_REL}">x</a></p>'),
    ("[x](https://desa.contoh.id/apbdes/)", '<p><a href="https://desa.contoh.id/apbdes/">x</a></p>'),
    ("[x](../apbdes/)", '<p><a href="../apbdes/">x</a></p>'),
    ('<iframe src="https://www.youtube.com/embed/a"></iframe>',
     f'<a href="https://www.youtube.com/embed/a" rel="{EXTERNAL_REL}">Tautan: https://www.youtube.com/embed/a</a>'),
    ("![Peta](https://tile.example/p.png)",
     f'<p><a href="https://tile.example/p.png" rel="{EXTERNAL_REL}">Tautan: Peta</a></p>'),
    ("![](http://tile.example/p.png)",
     f'<p><a href="http://tile.example/p.png" rel="{EXTERNAL_REL}">Tautan: http://tile.example/p.png</a></p>'),
    ('<video src="https://v.example/a.mp4" autoplay>x</video>',
     f'<a href="https://v.example/a.mp4" rel="{EXTERNAL_REL}">Tautan: https://v.example/a.mp4</a>'),
    ('<p style="color:red" class="c" id="i" onclick="x">a</p>', "<p>a</p>"),
    ('<a href="https://x.example" target="_blank" rel="opener">a</a>',
     f'<p><a href="https://x.example" rel="{EXTERNAL_REL}">a</a></p>'),
    ("<form action=x><input name=a></form>", ""),
    ("&lt;script&gt;", "<p>&lt;script&gt;</p>"),
    ("Ketik javascript: di sini", "<p>Ketik javascript&#58; di sini</p>"),
])
def test_vectors(source, html):
    assert render(source).strip() == html


def test_internal_image_on_own_host_stays_an_image():
    assert render("![a](https://desa.contoh.id/foto/a.jpg)") == '<p><img src="https://desa.contoh.id/foto/a.jpg" alt="a"></p>'


def test_without_base_url_every_absolute_image_is_a_link():
    out = render_markdown("![a](https://desa.contoh.id/foto/a.jpg)", base_url="")
    assert out.startswith('<p><a href="https://desa.contoh.id/foto/a.jpg"') and "<img" not in out


def test_traversal_reported_with_line_of_the_file(tmp_path):
    village = tmp_path / "desa"
    (village / "berita").mkdir(parents=True)
    md = village / "berita" / "a.md"
    body = "Paragraf.\n\nLihat ![x](../../rahasia.png) dan ![y](../foto/ok.png)\n"
    p = Problems(root=tmp_path)
    out = render_markdown(body, base_url=BASE, problems=p, path=md, village_dir=village, first_line=5)
    assert '<img src="../foto/ok.png" alt="y">' in out and "rahasia" not in out
    assert [str(e) for e in p.items] == [
        'desa/berita/a.md:7:12: galat: rujukan berkas menunjuk ke luar folder desa; diharapkan jalur di dalam '
        'folder desa, mis. foto/balai-desa.jpg, ditemukan "../../rahasia.png"']


def test_traversal_without_folder_still_dropped():
    p = Problems()
    out = render_markdown("![x](../../etc/passwd)", base_url=BASE, problems=p, path="a.md")
    assert "<img" not in out and len(p.errors) == 1


# ---------------------------------------------------------------- safe_relpath, slugs

def test_safe_relpath(tmp_path):
    village = tmp_path / "desa"
    (village / "berita").mkdir(parents=True)
    (village / "foto").mkdir()
    assert safe_relpath(village, "foto/a.jpg") == (village / "foto" / "a.jpg").resolve()
    assert safe_relpath(village, "../foto/a.jpg", base=village / "berita") == (village / "foto" / "a.jpg").resolve()
    assert safe_relpath(village, "/foto/a.jpg", base=village / "berita") == (village / "foto" / "a.jpg").resolve()
    assert safe_relpath(village, "{static}/foto/a.jpg") == (village / "foto" / "a.jpg").resolve()
    assert safe_relpath(village, "foto/a%20b.jpg?v=1#x") == (village / "foto" / "a b.jpg").resolve()
    for bad in ["../x.jpg", "foto/../../x.jpg", "%2e%2e/x.jpg", "..\\x.jpg", "{attach}../x.pdf",
                "https://contoh.id/x.jpg", "//contoh.id/x.jpg", "file:///etc/passwd", "C:\\x.jpg", "a\x00b",
                "foto/\n../../x"]:
        with pytest.raises(UnsafePath):
            safe_relpath(village, bad)


def test_safe_relpath_resolves_symlinks(tmp_path):
    village = tmp_path / "desa"
    village.mkdir()
    (tmp_path / "luar").mkdir()
    os.symlink(tmp_path / "luar", village / "foto")
    with pytest.raises(UnsafePath, match="ke luar folder desa"):
        safe_relpath(village, "foto/a.jpg")


@pytest.mark.parametrize("slug, ok", [
    ("kaligowong", True), ("desa-2", True), ("a", True), ("sumber-rejo-2025", True),
    ("", False), ("Kaligowong", False), ("desa--x", False), ("-desa", False), ("desa-", False),
    ("desa.x", False), ("../x", False), ("a/b", False), ("désa", False), ("a b", False), ("x" * 101, False),
])
def test_is_safe_slug(slug, ok):
    assert is_safe_slug(slug) is ok


# ---------------------------------------------------------------- properties

class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_safe(out: str) -> None:
    assert "<script" not in out.lower()
    assert "javascript:" not in out.lower() and "vbscript:" not in out.lower()
    c = _Collect()
    c.feed(out)
    for tag, attrs in c.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), (tag, name)
            if name in ("href", "src"):
                v = (value or "").strip().lower()
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", v)
                assert scheme is None or scheme.group(1) in ("http", "https", "mailto", "tel"), value
            if name == "rel":
                assert value == EXTERNAL_REL
        if tag == "img":
            src = attrs.get("src", "")
            assert not src.startswith(("http:", "https:", "//")) or src.startswith("https://desa.contoh.id/")


DANGER = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:", "&#106;",
          "data:text/html,", "<iframe src=", "https://evil.example/", "<svg onload=", "<a href=\"", "\">",
          "[x](", ")", "![i](", "<style>", "vbscript:", "<object data=", "<embed src=", "&#x09;", "\n\n",
          "<!--", "-->", "`", "<div markdown=\"1\">", "{: onclick=\"x\" }", "# ", "| a | b |\n|--|--|\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(DANGER), st.text(max_size=8)), max_size=25).map("".join))
def test_property_render_is_always_safe(text):
    _assert_safe(render(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_property_render_any_text(text):
    _assert_safe(render(text, problems=Problems(), path="x/a.md"))


@settings(deadline=None)
@given(st.text(max_size=60))
def test_property_slug_and_relpath_total(text):
    assert isinstance(is_safe_slug(text), bool)
    try:
        p = safe_relpath("/tmp/papan-desa-tidak-ada/desa", text)
    except UnsafePath:
        return
    assert p.is_relative_to(Path("/tmp/papan-desa-tidak-ada/desa").resolve())


# ---------------------------------------------------------------- pathological input: a clear error within seconds

@pytest.mark.parametrize("text, fragment", [
    ("Awal.\n\n" + "[" * 200_000, "terlalu banyak tanda [ atau <"),
    ("Awal.\n\n" + "![" * 100_000, "terlalu banyak tanda [ atau <"),
    ("Awal.\n\n" + "<a " * 50_000, "terlalu banyak tanda [ atau <"),
    ("<div>" * 20_000, "HTML bersarang lebih dari 200 tingkat"),
    ("> " * 20_000 + "x", "HTML bersarang lebih dari 200 tingkat"),
])
def test_pathological_markdown_fails_fast(text, fragment):
    import time

    p = Problems()
    # CPU time of this process, not wall time: a loaded machine must not fail it; catastrophic
    # backtracking (minutes of CPU) still does.
    t0 = time.process_time()
    out = render_markdown(text, base_url=BASE, problems=p, path="a.md")
    assert time.process_time() - t0 < 8
    assert len(p.errors) == 1 and fragment in p.errors[0].message
    assert p.errors[0].line == (3 if text.startswith("Awal") else 1)
    _assert_safe(out)
    assert "<div" not in out


def test_ordinary_long_text_is_not_refused():
    text = ("Paragraf dengan [tautan](https://x.id) dan <b>tebal</b> [1]. " * 20 + "\n\n") * 100
    p = Problems()
    out = render_markdown(text, base_url=BASE, problems=p)
    assert not p.items and out.count("<a href=") == 2000
