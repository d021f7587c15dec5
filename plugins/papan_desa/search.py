"""Full-text search over the whole site with Pagefind, indexed offline after assembly.

Only pages that people search by words carry ``data-pagefind-body`` (profiles,
posts, notices, services, projects, legal products, the PPID page…); the
search page itself is the only page that runs a script. Pagefind cannot update
an index in part, so the index is kept in the build cache under a hash of the
indexed pages: an edit that changes no indexed page (a budget line, a
population table, a photo) reuses it instead of indexing the site again.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .cache import link_tree
from .pages import site_step

MARK = b"data-pagefind-body"


class SearchIndexError(RuntimeError):
    pass


def indexed_pages_digest(site_dir: Path) -> str:
    """A hash over every page Pagefind will index (path and content), in a stable order."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(site_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".html"):
                continue
            path = Path(dirpath) / name
            data = path.read_bytes()
            if MARK in data:
                h.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


@site_step
def pagefind_index(site_dir: Path, settings: dict, results: dict) -> None:
    if not settings.get("PAPAN_SEARCH", True):
        return
    out = site_dir / "pagefind"
    cache_root = Path(settings["_PAPAN_CACHE_DIR"]) / "pagefind" if settings.get("_PAPAN_CACHE_DIR") else None
    digest = indexed_pages_digest(site_dir)
    cached = cache_root / digest if cache_root else None
    if cached is not None and cached.is_dir():
        link_tree(cached, out)
        return
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError("indeks pencarian (Pagefind) gagal dibuat: " + (proc.stderr or proc.stdout)[-2000:])
    if cached is not None:
        # Keep only the newest index: older ones are never asked for again unless the pages return.
        shutil.rmtree(cache_root, ignore_errors=True)
        cache_root.mkdir(parents=True)
        tmp = cache_root / f"{digest}.baru"
        link_tree(out, tmp)
        tmp.rename(cached)
