"""Village publications: news, urgent notices, development projects, services, legal products,
the public-information list (DIP/PPID) and documents.

Data logic lives in one module per kind (plain functions, no Pelican); :mod:`.load`
loads them all as the ``publikasi`` data kind, :mod:`.pages` builds the pages,
:mod:`.gambar` resizes photos, :mod:`.pelican_hooks` sanitises news bodies.
"""
from .load import Publikasi, load_publikasi

__all__ = ["Publikasi", "load_publikasi"]
