"""What a village site consists of: pages rendered from templates and files written as they are.

The table in :mod:`papan_desa.data_kinds` fills :data:`BUILDERS`; a builder looks at the loaded
village and returns its pages (with an optional navigation entry) and its
artifacts (CSV, JSON, SVG…). The Pelican generator writes them; tests can call
the builders directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .village import Desa


@dataclass
class Page:
    save_as: str                 # relative to the village root, e.g. "apbdes/2025/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


@dataclass
class Artifact:
    save_as: str
    data: bytes


@dataclass
class NavItem:
    label: str
    url: str                     # relative to the village root, ends with "/" for folders
    order: int = 50


@dataclass
class SiteParts:
    pages: list[Page] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)   # key figures for the portal

    def extend(self, other: "SiteParts") -> None:
        self.pages += other.pages
        self.artifacts += other.artifacts
        self.nav += other.nav
        self.summary.update(other.summary)


BUILDERS: list[Callable[[Desa, dict], SiteParts]] = []
# Run after every builder, over everything the village publishes (e.g. describe all data files).
FINISHERS: list[Callable[[Desa, dict, SiteParts], None]] = []


# Steps over the whole assembled site (sitemap, search index…), run before it is swapped in:
# fn(site_dir: Path, settings: dict, results: dict[str, dict]) -> None, run on the assembled site.
# Background steps, fn(site_dir, settings, results, sources) -> None or a function to call once the
# others are done, start before the site is assembled (``site_dir`` exists but is being filled) from
# ``sources``: the folders it is linked from, ("", portal) and (slug, village folder). They start
# work in the background (e.g. a subprocess) and write into ``site_dir`` only from that function.
SITE_STEPS: list = []


def site_step(fn=None, *, background: bool = False):
    """Add a site step (called by ``data_kinds.register``); ``background`` steps start before the
    assembly, so their work overlaps it and the other steps'."""
    def register(f):
        if background:
            n = sum(1 for g in SITE_STEPS if getattr(g, "_papan_background", False))
            f._papan_background = True
            SITE_STEPS.insert(n, f)
        else:
            SITE_STEPS.append(f)
        return f
    return register(fn) if fn is not None else register


def home(desa: Desa, settings: dict) -> SiteParts:
    body_html = desa.profil.body_html
    parts = SiteParts()
    parts.pages.append(Page("index.html", "desa.html", {"profil_html": body_html}, title="Beranda"))
    parts.nav.append(NavItem("Beranda", "", 0))
    parts.nav.append(NavItem("Berita", "berita/", 10))
    parts.nav.append(NavItem("Kontak", "kontak/", 90))
    parts.pages.append(Page("kontak/index.html", "kontak.html", {}, title="Kontak dan pengaduan"))
    return parts


def village_parts(desa: Desa, settings: dict) -> SiteParts:
    parts = SiteParts()
    for b in BUILDERS:
        parts.extend(b(desa, settings))
    for f in FINISHERS:
        f(desa, settings, parts)
    parts.nav.sort(key=lambda n: (n.order, n.label))
    return parts
