"""The one table of everything a build is made of: data kinds, page builders, portal pages, site steps
and demo generators, in the order they run.

Nothing registers itself: the modules below only define plain functions, and :func:`register` copies
this table into the lists the build reads (``village.KINDS``, ``pages.BUILDERS``, ``pages.FINISHERS``,
``pages.SITE_STEPS``, ``portal.PORTAL_BUILDERS``), the way a Pelican plugin's ``register()`` connects
its signals. Importing this module registers the table once (``build``, ``docs`` and Papan Admin
import it for that). To add a kind of data, write its module and add its functions here.

This module imports every data module and none of them imports it (or ``demo``, which reads
:data:`DEMO_GENERATORS`), so the import graph has no cycle; ``tests/test_import_graph.py`` checks that.
"""
from __future__ import annotations

from . import audit_pages, pages, portal, portal_pages, search, village
from .publikasi import layanan_portal
from .apbdes import pages as apbdes_pages
from .datadesa import pages as datadesa_pages
from .opendata import kabupaten as opendata_kabupaten
from .opendata import village as opendata_village
from .publikasi import demo as publikasi_demo
from .publikasi import load as publikasi_load
from .publikasi import pages as publikasi_pages

# name -> loader(village_dir, problems): the data under ``desa.data[name]`` (None when the village has none).
KINDS = {
    "apbdes": apbdes_pages._load,
    "publikasi": publikasi_load.load_publikasi,
    "datadesa": datadesa_pages._load,
}

# fn(desa, settings) -> pages.SiteParts: a village's pages and files; their navigation is sorted afterwards.
BUILDERS = [
    pages.home,
    apbdes_pages.apbdes_pages,
    publikasi_pages.publikasi,
    datadesa_pages.datadesa_pages,
]

# fn(desa, settings, parts) -> None: run after every builder, over everything the village publishes.
FINISHERS = [
    apbdes_pages.beranda,              # the home page's budget at a glance
    opendata_village.opendata_desa,    # describes every data file (needs the builders' files)
    audit_pages.audit_village,         # Perdes links on the budget pages (after the data files)
]

# fn(settings, model) -> [(save_as, template, context)]: further portal pages.
PORTAL_BUILDERS = [
    opendata_kabupaten.katalog_page,
    portal_pages.perbandingan,
    portal_pages.keterbukaan,
    portal_pages.sasaran,
    portal_pages.berita_desa,
    layanan_portal.layanan_desa,       # every village's services, by service (#23)
    portal_pages.cari,
    portal_pages.tidak_ditemukan,
    audit_pages.audit_page,
]

# (fn, background): steps over the assembled site; background steps start before the assembly.
SITE_STEPS = [
    (search.pagefind_index, True),
    (opendata_kabupaten.opendata_site, False),
]

# fn(village_dir, rng, wilayah): adds a data kind's files to a demo village (``papan demo``).
DEMO_GENERATORS = [
    apbdes_pages._demo,
    publikasi_demo.demo_publikasi,
    datadesa_pages._demo,
]


def register() -> None:
    """Copy the table into the build's lists (again: the lists then equal the table, nothing twice)."""
    village.KINDS.clear()
    village.KINDS.update(KINDS)
    pages.BUILDERS[:] = BUILDERS
    pages.FINISHERS[:] = FINISHERS
    portal.PORTAL_BUILDERS[:] = PORTAL_BUILDERS
    pages.SITE_STEPS.clear()
    for fn, background in SITE_STEPS:
        pages.site_step(fn, background=background)


register()
