"""Full-text search over the whole site with Pagefind, indexed offline after assembly.

Only the page's main content is indexed (``data-pagefind-body`` on ``<main>``);
the search page itself is the only page that runs a script.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .pages import site_step


class SearchIndexError(RuntimeError):
    pass


@site_step
def pagefind_index(site_dir: Path, settings: dict, results: dict) -> None:
    if not settings.get("PAPAN_SEARCH", True):
        return
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError("indeks pencarian (Pagefind) gagal dibuat: " + (proc.stderr or proc.stdout)[-2000:])
