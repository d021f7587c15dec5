"""Untrusted Markdown to safe HTML, and safe paths and slugs.

Village admins write Markdown; some of it is pasted from Word, WhatsApp or
other websites.  :func:`render_markdown` turns it into HTML that cannot run
code and loads nothing from another server:

1. Python-Markdown (``extra``, ``sane_lists``) makes HTML; raw HTML passes
   through it, so everything after this step treats the HTML as hostile.
2. ``nh3`` (the Rust ``ammonia`` sanitiser) reduces it to an allowlist of
   tags and attributes, drops ``<script>``/``<style>`` with their content and
   every URL whose scheme is not http, https, mailto or tel (so
   ``javascript:``, ``vbscript:`` and ``data:`` are gone).
3. A small rewriter turns ``<iframe>``, ``<embed>``, ``<object>``,
   ``<video>``, ``<audio>`` and images from another server into a plain link
   ``Tautan: …``, demotes ``<h1>`` to ``<h2>``, marks links to other sites
   ``rel="noopener noreferrer nofollow"`` and checks that relative image and
   document references stay inside the village folder.
4. ``nh3`` runs once more with the final allowlist, so the rewriter's output
   is never trusted either.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import nh3

from .problems import Problems, expected_found

ALLOWED_TAGS = frozenset({
    "p", "h2", "h3", "h4", "h5", "h6", "a", "ul", "ol", "li", "strong", "em", "b", "i",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img", "figure",
    "figcaption", "br", "hr", "abbr", "sup", "sub", "dl", "dt", "dd",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
EXTERNAL_REL = "noopener noreferrer nofollow"

# Elements that would load something; they become a plain link.
EMBED_TAGS = frozenset({"iframe", "embed", "object", "video", "audio"})
_EMBED_URL_ATTR = {"iframe": "src", "embed": "src", "object": "data", "video": "src", "audio": "src",
                   "source": "src"}
_DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "textarea", "select", "math", "svg", "title"}
_VOID = {"br", "hr", "img", "embed", "source", "track", "wbr", "input", "area", "col", "param", "meta", "link"}

# Link targets that are files in the village folder (checked like images).
ASSET_EXT = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf", ".csv", ".json", ".geojson", ".txt",
             ".xlsx", ".xls", ".ods", ".doc", ".docx", ".odt", ".zip"}

_PELICAN_PREFIX = re.compile(r"^(?:\{(?:static|attach|filename)\}|\|(?:static|attach|filename)\|)")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SCRIPT_SCHEME = re.compile(r"(?i)(java|vb)script:")


class UnsafePath(ValueError):
    """A reference leaves the village folder; the message is Indonesian."""


def is_safe_slug(slug: str) -> bool:
    """Lowercase ASCII letters and digits joined by single hyphens, at most 100 characters."""
    return isinstance(slug, str) and len(slug) <= 100 and bool(_SLUG.fullmatch(slug))


def safe_relpath(village_dir, ref: str, *, base=None) -> Path:
    """The file a reference in a village's content points to; :class:`UnsafePath` if it leaves the folder.

    ``ref`` is relative to ``base`` (default: the village folder), e.g. the
    folder of the Markdown file; a leading ``/`` means the village folder
    itself.  Pelican's ``{static}``/``{attach}``/``{filename}`` prefixes are
    allowed.  Percent-encoding and backslashes are decoded before checking and
    symlinks are resolved, so ``%2e%2e/``, ``..\\`` and a link to ``/etc`` are
    all caught.  URLs (``https://…``) are not paths and are refused too.
    """
    village = Path(village_dir).resolve()
    start = Path(base).resolve() if base is not None else village
    raw = ref if isinstance(ref, str) else str(ref)
    shown = raw[:200]
    value = _PELICAN_PREFIX.sub("", raw.strip())
    if any(ord(c) < 32 for c in value):
        raise UnsafePath(f'rujukan berkas berisi karakter kendali; ditemukan "{shown!r}"')
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        raise UnsafePath("rujukan berkas harus berupa jalur di dalam folder desa, bukan alamat web; "
                         + expected_found("jalur seperti foto/balai-desa.jpg", shown))
    path = unquote(parts.path).replace("\\", "/")
    if "\x00" in path or re.match(r"^[A-Za-z]:", path):
        raise UnsafePath("rujukan berkas harus berupa jalur di dalam folder desa; "
                         + expected_found("jalur seperti foto/balai-desa.jpg", shown))
    if path.startswith("/"):
        start, path = village, path.lstrip("/")
    try:
        target = (start / path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise UnsafePath(f'rujukan berkas tidak dapat diurai; ditemukan "{shown}"') from exc
    if not target.is_relative_to(village):
        raise UnsafePath("rujukan berkas menunjuk ke luar folder desa; "
                         + expected_found("jalur di dalam folder desa, mis. foto/balai-desa.jpg", shown))
    return target


def _url_kind(url: str, own_host: str) -> str:
    """'relatif', 'internal', 'eksternal', 'mailto' or 'buruk' (anything that must not be used)."""
    u = url.strip()
    if not u or any(ord(c) < 32 for c in u):
        return "buruk" if u else "relatif"
    try:
        parts = urlsplit(u)
    except ValueError:
        return "buruk"
    scheme = parts.scheme.lower()
    if scheme in ("mailto", "tel"):
        return "mailto"
    if scheme and scheme not in ("http", "https"):
        return "buruk"
    if parts.netloc or u.startswith("//"):
        host = (parts.hostname or "").lower()
        return "internal" if own_host and host == own_host else "eksternal"
    if scheme:  # "http:foo" without a host
        return "buruk"
    return "relatif"


def _is_asset(url: str) -> bool:
    path = urlsplit(url).path
    return Path(unquote(path)).suffix.lower() in ASSET_EXT


class _Rewriter(HTMLParser):
    def __init__(self, own_host: str, check_ref):
        super().__init__(convert_charrefs=True)
        self.own_host = own_host
        self.check_ref = check_ref
        self.out: list[str] = []
        self.embed: dict | None = None  # the element being turned into a link
        self.drop_depth = 0

    # -- helpers
    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        return "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in attrs)

    def _link(self, url: str, label: str) -> None:
        kind = _url_kind(url, self.own_host)
        if kind == "buruk":
            return
        rel = f' rel="{EXTERNAL_REL}"' if kind == "eksternal" else ""
        self.out.append(f'<a href="{html.escape(url, quote=True)}"{rel}>Tautan: {html.escape(label)}</a>')

    # -- parser callbacks
    def handle_starttag(self, tag, attrs):
        if self.drop_depth:
            if tag not in _VOID:
                self.drop_depth += 1
            return
        if self.embed is not None:
            if tag == "source" and not self.embed["url"]:
                self.embed["url"] = dict(attrs).get("src") or ""
            if tag == self.embed["tag"]:
                self.embed["depth"] += 1
            return
        a = dict(attrs)
        if tag in _DROP_WITH_CONTENT:
            self.drop_depth = 1
            return
        if tag == "embed":
            url = a.get("src") or ""
            if url:
                self._link(url, url)
            return
        if tag in EMBED_TAGS:
            self.embed = {"tag": tag, "url": a.get(_EMBED_URL_ATTR[tag]) or "", "depth": 1}
            return
        if tag in ("source", "track", "param"):
            return
        if tag == "h1":
            tag = "h2"
        if tag == "img":
            self._img(a)
            return
        if tag == "a":
            self._a(a)
            return
        keep = [(k, v) for k, v in attrs if k in ALLOWED_ATTRIBUTES.get(tag, ())]
        self.out.append(f"<{tag}{self._attrs(keep)}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def _img(self, a: dict) -> None:
        src = (a.get("src") or "").strip()
        alt = a.get("alt") or ""
        kind = _url_kind(src, self.own_host)
        if kind in ("eksternal",):
            self._link(src, alt or src)
            return
        if kind in ("buruk", "mailto") or not src:
            if alt:
                self.out.append(html.escape(alt))
            return
        if kind == "relatif" and not self.check_ref(src):
            if alt:
                self.out.append(html.escape(alt))
            return
        keep = [(k, a[k]) for k in ("src", "alt", "title", "width", "height") if k in a and a[k] is not None]
        self.out.append(f"<img{self._attrs(keep)}>")

    def _a(self, a: dict) -> None:
        href = (a.get("href") or "").strip()
        keep: list[tuple[str, str]] = []
        if href:
            kind = _url_kind(href, self.own_host)
            if kind == "relatif" and _is_asset(href) and not self.check_ref(href):
                kind = "buruk"
            if kind != "buruk":
                keep.append(("href", href))
            if kind == "eksternal":
                keep.append(("rel", EXTERNAL_REL))
        if a.get("title"):
            keep.append(("title", a["title"]))
        self.out.append(f"<a{self._attrs(keep)}>")

    def handle_endtag(self, tag):
        if self.drop_depth:
            if tag not in _VOID:
                self.drop_depth -= 1
            return
        if self.embed is not None:
            if tag == self.embed["tag"]:
                self.embed["depth"] -= 1
                if self.embed["depth"] == 0:
                    url = self.embed["url"]
                    self.embed = None
                    if url:
                        self._link(url, url)
            return
        if tag in _VOID or tag in EMBED_TAGS or tag in ("source", "track", "param"):
            return
        if tag == "h1":
            tag = "h2"
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.drop_depth or self.embed is not None:
            return
        self.out.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        if self.embed is not None and self.embed["url"]:
            url, self.embed = self.embed["url"], None
            self._link(url, url)


def _stage1(html_text: str) -> str:
    attrs = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
    attrs.update({"iframe": {"src"}, "embed": {"src"}, "object": {"data"}, "video": {"src"},
                  "audio": {"src"}, "source": {"src"}})
    return nh3.clean(
        html_text,
        tags=set(ALLOWED_TAGS | EMBED_TAGS | {"h1", "source"}),
        clean_content_tags={"script", "style"},
        attributes=attrs,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def _final(html_text: str) -> str:
    attrs = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
    cleaned = nh3.clean(
        html_text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=attrs,
        tag_attribute_values={"a": {"rel": {EXTERNAL_REL}}},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # Text that merely mentions "javascript:" is harmless, but writing the colon
    # as an entity keeps the scheme out of the output for any later consumer.
    return _SCRIPT_SCHEME.sub(lambda m: m.group(1) + "script&#58;", cleaned)


def _position(text: str, needle: str, first_line: int) -> tuple[int, int]:
    for candidate in (needle, unquote(needle), html.unescape(needle)):
        i = text.find(candidate) if candidate else -1
        if i >= 0:
            line = text.count("\n", 0, i)
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            return first_line + line, col
    return first_line, 0


# Python-Markdown looks for the closing "]" or ">" of every opening one; with
# thousands of unclosed "[" in one paragraph that is quadratic (8 000 take 30 s).
# The cost is estimated first, in linear time, and a text above the budget is
# shown as escaped plain text with one clear error instead.
INLINE_BUDGET = 4_000_000
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


def inline_cost(text: str) -> tuple[int, int]:
    """Estimated bracket-matching work of Markdown's inline parser, and the offset of the costliest paragraph."""
    total, worst, worst_at = 0, 0, 0
    offset = 0
    for block in _BLOCK_SPLIT.split(text):
        cost = 0
        for pattern, opener in ((r"[\[\]]", "["), (r"[<>]", "<")):
            nxt = len(block)
            for m in reversed(list(re.finditer(pattern, block))):
                if m.group() == opener:
                    cost += nxt - m.start()
                else:
                    nxt = m.start()
        total += cost
        if cost > worst:
            worst, worst_at = cost, offset
        offset += len(block) + 2
    return total, worst_at


MAX_HTML_DEPTH = 200
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")


def html_depth(fragment: str) -> int:
    """Deepest nesting of elements (void and self-closed tags do not nest), estimated in linear time."""
    depth = deepest = 0
    for m in _TAG.finditer(fragment):
        closing, tag, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if tag in _VOID or selfclosing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _plain(text: str) -> str:
    return "".join(f"<p>{html.escape(block)}</p>\n" for block in _BLOCK_SPLIT.split(text) if block.strip())


_MD: "markdown.Markdown | None" = None


def _markdown() -> "markdown.Markdown":
    """One converter per process, reset before each text: building one loads every extension again,
    and a village renders a hundred texts."""
    global _MD
    if _MD is None:
        _MD = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return _MD.reset()


def render_markdown(text: str, *, base_url: str = "", problems: Problems | None = None, path=None,
                    village_dir=None, first_line: int = 1) -> str:
    """Markdown written by a village admin to safe HTML (see the module docstring).

    ``base_url`` is the site's own address: absolute links to its host are
    internal, every other host is "another server".  With ``path`` (the
    Markdown file) relative image and document references are checked against
    ``village_dir`` (default: the folder of ``path``); one that leaves it is
    reported to ``problems`` with its line and column (``first_line`` is the
    line of ``text``'s first line in the file) and left out of the output.
    Never raises for any input string.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    own_host = (urlsplit(base_url or "").hostname or "").lower()
    md_dir = Path(path).parent if path is not None else None
    vdir = Path(village_dir) if village_dir is not None else md_dir

    def check_ref(ref: str) -> bool:
        if vdir is None:
            # Without a folder only the obvious is refused: climbing up.
            bad = ".." in unquote(ref).replace("\\", "/").split("/")
            if bad and problems is not None:
                line, col = _position(text, ref, first_line)
                problems.error(path or "", line, col, "rujukan berkas menunjuk ke luar folder desa; "
                               + expected_found("jalur di dalam folder desa", ref))
            return not bad
        try:
            safe_relpath(vdir, ref, base=md_dir or vdir)
        except UnsafePath as exc:
            if problems is not None:
                line, col = _position(text, ref, first_line)
                problems.error(path or vdir, line, col, str(exc))
            return False
        return True

    cost, worst_at = inline_cost(text)
    if cost > INLINE_BUDGET:
        if problems is not None:
            line = first_line + text.count("\n", 0, worst_at)
            problems.error(path or "", line, 1, "tulisan terlalu rumit untuk diolah: terlalu banyak tanda [ atau < "
                           "tanpa pasangan ] atau > dalam satu paragraf; perbaiki tanda kurungnya")
        return _final(_plain(text))
    md = _markdown()
    try:
        body = md.convert(text)
    except Exception:  # noqa: BLE001 - a Markdown bug (or RecursionError) must not stop the build
        body = _plain(text)
    if html_depth(body) > MAX_HTML_DEPTH:
        # The sanitiser slows down quadratically on thousands of nested elements.
        if problems is not None:
            problems.error(path or "", first_line, 1, f"tulisan terlalu rumit untuk diolah: HTML bersarang lebih dari "
                           f"{MAX_HTML_DEPTH} tingkat; hapus tag HTML yang tidak perlu")
        return _final(_plain(text))
    rewriter = _Rewriter(own_host, check_ref)
    rewriter.feed(_stage1(body))
    rewriter.close()
    return _final("".join(rewriter.out))
