"""Connects every kind of village data to the loader registry, page builders and demo generator.

One import here per data module; each module registers itself with
``village.data_kind``, ``pages.builder`` and ``demo.demo_generator``.
"""
from .apbdes import pages as _apbdes_pages  # noqa: F401
from .publikasi import pages as _publikasi_pages  # noqa: F401
from .datadesa import pages as _datadesa_pages  # noqa: F401
from . import opendata as _opendata  # noqa: F401
from . import portal_pages as _portal_pages  # noqa: F401
from . import search as _search  # noqa: F401
from . import audit_pages as _audit_pages  # noqa: F401
