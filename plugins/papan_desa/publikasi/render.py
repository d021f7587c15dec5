"""Markdown written by village admins to safe HTML whose images are responsive ``<picture>`` elements.

References are relative to the village folder (``gambar/x.jpg``, ``dokumen/y.pdf``,
``/layanan/``); in the output they become absolute addresses under the village
site, so the same HTML works on any page and in the Atom feed.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..sanitize import UnsafePath, render_markdown, safe_relpath
from .common import village_rel

_IMG = re.compile(r"<img\b([^>]*)>")
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def _relative(url: str) -> bool:
    u = html.unescape(url).strip()
    return bool(u) and not urlsplit(u).scheme and not u.startswith(("#", "//"))


def rewrite(html_text: str, village_dir: Path, base_url: str, images: dict) -> str:
    """Relative links become absolute under ``base_url``; local images become ``<picture>`` from ``images``."""
    def img(m):
        attrs = dict(_ATTR.findall(m.group(1)))
        src = attrs.get("src", "")
        if not _relative(src):
            return m.group(0)
        try:
            rel = village_rel(village_dir, safe_relpath(village_dir, html.unescape(src)))
        except (UnsafePath, ValueError):
            return ""
        g = images.get(rel)
        alt = html.unescape(attrs.get("alt", ""))
        if g is None:
            return html.escape(alt)
        return g.picture(base_url, alt)

    def href(m):
        url = m.group(2)
        if not _relative(url):
            return m.group(0)
        return m.group(1) + base_url + "/" + html.unescape(url).lstrip("/").replace('"', "%22") + m.group(3)

    return _HREF.sub(href, _IMG.sub(img, html_text))


def markdown_html(text: str, village_dir: Path, base_url: str, images: dict) -> str:
    """Sanitised HTML (papan_desa.sanitize) with local images and links rewritten (see :func:`rewrite`)."""
    if not text or not text.strip():
        return ""
    own = base_url if urlsplit(base_url).netloc else ""
    return rewrite(render_markdown(text, base_url=own, village_dir=village_dir), village_dir, base_url, images)
