"""Data desa: government, territory, population aggregates, social aid and indices.

Plain functions, testable without Pelican:

* :func:`load_village_datadesa` reads ``villages/<slug>/data-desa/`` into a :class:`DataDesa`
  (problems in Indonesian with file, line and column; bad tables left out) and runs the
  cross-table checks (:func:`check_datadesa`).
* :func:`build_tables` turns it into publishable :class:`Table` objects (n and % for L, P and
  total; small cells suppressed, see :mod:`.suppress`).
* :mod:`.charts` draws them as small deterministic SVG; :mod:`.export` writes CSV and JSON.
* :func:`write_demo_datadesa` writes consistent synthetic files for the demo village.
"""
from .checks import check_datadesa
from .load import DataDesa, load_village_datadesa
from .suppress import DEFAULT_THRESHOLD, suppress_cells
from .tables import Table, build_tables, format_persen, format_value

__all__ = ["DataDesa", "load_village_datadesa", "check_datadesa", "DEFAULT_THRESHOLD",
           "suppress_cells", "Table", "build_tables", "format_persen", "format_value"]
