"""Settings for the Papan Desa site of Kabupaten Wonosobo (Pelican's settings file).

Pelican's own settings first, then Papan Desa's (``PAPAN_*``; every one is
listed with its default and meaning in docs/pengaturan.md). ``publishconf.py``
adds what only the published site needs.
"""
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE / "plugins"))
from papan_desa.formatting import JINJA_FILTERS  # noqa: E402

AUTHOR = "Pemerintah Kabupaten Wonosobo"
SITENAME = "Papan Desa Kabupaten Wonosobo"
SITEURL = ""  # local preview; publishconf.py sets the real address

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE_FORMAT = "%d %B %Y"
LOCALE = ("id_ID.UTF-8", "C.UTF-8", "")

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["papan_desa"]
JINJA_FILTERS = JINJA_FILTERS

# Feeds are written with absolute addresses only when publishing (publishconf.py).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = 10
RELATIVE_URLS = False
SLUGIFY_SOURCE = "basename"

# --- Papan Desa (see docs/pengaturan.md) ---
PAPAN_KABUPATEN = "Wonosobo"
PAPAN_PROVINSI = "Jawa Tengah"
PAPAN_REGISTRY = "data/wonosobo-wilayah-2025.csv"
PAPAN_VILLAGES_PATH = "villages"
PAPAN_PENGADUAN_NAMA = "SP4N-LAPOR!"
PAPAN_PENGADUAN_URL = "https://www.lapor.go.id/"
PAPAN_PEMKAB_URL = "https://wonosobokab.go.id/"
PAPAN_DATA_LICENSE = "CC-BY-4.0"

# The portal copies these as they are; favicon.ico sits at the site root where browsers look for it.
STATIC_PATHS = ["extra"]
EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}}

# Content comes from many hands: only Markdown is read (reStructuredText's include and raw
# directives and the HTML reader would let a file pull in anything).
READERS = {"rst": None, "html": None, "htm": None}

# Every value a template prints is escaped unless the template marks it as already-safe HTML
# (sanitised Markdown, tables the plugin built): content comes from many hands.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}
