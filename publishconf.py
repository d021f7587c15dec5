"""Settings for publishing: everything in pelicanconf.py plus the real site address.

SITEURL comes from the PAPAN_SITEURL environment variable (the publishing
workflow sets it to the GitHub Pages address) so a fork publishes under its own.
"""
import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("PAPAN_SITEURL", "https://papandesa.github.io/wonosobo").rstrip("/")
RELATIVE_URLS = False
PAPAN_PUBLIC_SITEURL = SITEURL
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
DELETE_OUTPUT_DIRECTORY = False  # papan build swaps a finished folder in; it never deletes in place

# The publishing job sets the day of the build, so notices expire and openness scores age on time.
PAPAN_TODAY = os.environ.get("PAPAN_TODAY") or None
