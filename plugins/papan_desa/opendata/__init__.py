"""Open data: every number on the site as CSV and JSON with Data Packages, a catalogue, sitemap and robots.txt.

``village`` describes a village's ``data/`` folder (finisher), ``kabupaten`` combines all villages (site step
and the catalogue page, a portal builder). Registered in the table of ``papan_desa.data_kinds``.
"""
from . import kabupaten, village  # noqa: F401
