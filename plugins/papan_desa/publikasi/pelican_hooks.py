"""Pelican adapter: news posts and pages get the sanitised body, responsive photos and cover.

Pelican's Markdown reader passes raw HTML through; :func:`sanitise_content`
replaces every village post's and page's HTML with the output of
:func:`papan_desa.sanitize.render_markdown` (via :mod:`.render`) as soon as
Pelican creates it, before any template or feed sees it.
"""
from __future__ import annotations

from pathlib import Path

from ..markdown_meta import parse_markdown
from ..problems import Problems
from .render import markdown_html


def sanitise_content(content) -> None:
    settings = getattr(content, "settings", {}) or {}
    if settings.get("PAPAN_MODE") != "desa" or not getattr(content, "source_path", None):
        return
    from .pages import berita_html

    desa = settings["DESA"]
    pub = desa.data.get("publikasi")
    base = (settings.get("SITEURL") or "").rstrip("/")
    src = Path(content.source_path).resolve()
    post = next((b for b in (pub.berita if pub else []) if Path(b.path).resolve() == src), None)
    if post is not None:
        body, summary = berita_html(pub, desa, base, post)
    else:
        doc = parse_markdown(src, Problems())
        body = markdown_html(doc.body if doc else "", desa.dir, base, pub.gambar_olah if pub else {})
        summary = ""
    content._content = body
    if "summary" in content.metadata:
        content.metadata["summary"] = summary
        content._summary = summary


def connect() -> None:
    """Connect the hooks; called from ``papan_desa.pelican_plugin.register()``."""
    from pelican import signals

    signals.content_object_init.connect(sanitise_content)
