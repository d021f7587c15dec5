"""Markdown to safe HTML for profile bodies (stand-in until sanitize.py lands)."""
from __future__ import annotations

from pathlib import Path

import markdown
import nh3

_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "a", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote",
         "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "abbr", "sup", "sub",
         "dl", "dt", "dd", "figure", "figcaption", "img"}


def render_body(text: str, path: Path | None = None) -> str:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=_TAGS, url_schemes={"http", "https", "mailto", "tel"},
                     link_rel="noopener noreferrer nofollow")
