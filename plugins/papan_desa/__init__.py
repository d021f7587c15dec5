"""Papan Desa: static public-information websites for every village of a kabupaten.

As a Pelican plugin (``PLUGINS = ["papan_desa"]``) it only connects its
generators; the data logic lives in plain modules that tests call without Pelican.
"""


def register():
    from .pelican_plugin import register as _register

    _register()
