"""The Pelican side of Papan Desa: thin generators around the plain data functions.

A village site is one Pelican run with ``PAPAN_MODE = "desa"``: Pelican renders
the news posts (``berita/``) and extra pages as usual, and :class:`DesaGenerator`
writes the pages and data files that :func:`papan_desa.pages.village_parts`
describes. The portal is a Pelican run over ``content/`` with
``PAPAN_MODE = "portal"``.
"""
from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from .portal import portal_pages


def _write_bytes(output_path: str, save_as: str, data: bytes) -> None:
    path = os.path.join(output_path, save_as)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


class DesaGenerator(Generator):
    """Writes a village's own pages (home, budget, data…) and its data files."""

    def generate_output(self, writer):
        parts = self.settings["PAPAN_PARTS"]
        for page in parts.pages:
            ctx = dict(self.context)
            ctx.update(page.context)
            ctx["page_title"] = page.title
            writer.write_file(page.save_as, self.get_template(page.template.removesuffix(".html")), ctx,
                              relative_urls=False, url=page.save_as.removesuffix("index.html"))
        for art in parts.artifacts:
            _write_bytes(self.output_path, art.save_as, art.data)


class PortalGenerator(Generator):
    """Writes the kabupaten portal's own pages from the villages' summaries."""

    def generate_output(self, writer):
        for save_as, template, extra in portal_pages(self.settings):
            if isinstance(extra, (bytes, str)) and template is None:   # a data file, written as it is
                _write_bytes(self.output_path, save_as, extra if isinstance(extra, bytes) else extra.encode())
                continue
            ctx = dict(self.context)
            ctx.update(extra)
            writer.write_file(save_as, self.get_template(template.removesuffix(".html")), ctx, relative_urls=False,
                              url=save_as.removesuffix("index.html"))


def get_generators(pelican):
    mode = pelican.settings.get("PAPAN_MODE")
    if mode == "desa":
        return DesaGenerator
    if mode == "portal":
        return PortalGenerator
    return []


def register():
    from .publikasi.pelican_hooks import connect as _publikasi_connect

    signals.get_generators.connect(get_generators)
    # News posts and extra pages are Pelican content: their bodies go through the same sanitiser.
    _publikasi_connect()
