"""Full-text search over the whole site with Pagefind, indexed offline after assembly.

Only pages that people search by words carry ``data-pagefind-body`` (profiles,
posts, notices, services, projects, legal products, the PPID page…); the
search page itself is the only page that runs a script.

Pagefind reads every HTML file it is given, and half the site is pages it will
not index (budget tables, population tables); so it is given only the marked
pages, hard-linked into a folder of their own: the same index (same bytes) in a
third of the time. Which of a village's pages are marked, and their hashes, are
kept per village build (:func:`cache.village_memo`). Pagefind cannot update an
index in part, so the index is kept in the build cache under a hash of the
indexed pages: an edit that changes no indexed page (a budget line, a
population table, a photo, the stylesheet) reuses it instead of indexing again.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .cache import TRASH, link_tree, module_version, village_memo
from .pages import site_step

MARK = b"data-pagefind-body"


class SearchIndexError(RuntimeError):
    pass


def indexed_pages(folder: Path, prefix: str = "", skip: frozenset[str] = frozenset()) -> list[tuple[str, bytes]]:
    """(site path, sha256) of every page under ``folder`` that Pagefind will index, in a stable order;
    ``prefix`` is where ``folder`` is in the site; top-level folders in ``skip`` are left out."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        if dirpath == str(folder):
            dirnames[:] = [d for d in dirnames if d not in skip]
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".html"):
                continue
            path = Path(dirpath) / name
            data = path.read_bytes()
            if MARK in data:
                rel = path.relative_to(folder).as_posix()
                out.append((f"{prefix}/{rel}" if prefix else rel, hashlib.sha256(data).digest()))
    return out


def site_indexed_pages(site_dir: Path, settings: dict, results: dict) -> list[tuple[str, bytes]]:
    """Every indexed page of the site: the villages' from their memo, the rest by reading the folders."""
    slugs = frozenset(s for s in results if (site_dir / s).is_dir())
    version = module_version(__file__)
    pages = indexed_pages(site_dir, skip=slugs)
    for slug in sorted(slugs):
        pages += village_memo(settings, results, slug, "cari", version,
                              lambda s=slug: indexed_pages(site_dir / s, prefix=s))
    return sorted(pages)


def _digest(pages: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for rel, digest in pages:
        h.update(rel.encode() + b"\0" + digest)
    return h.hexdigest()


def indexed_pages_digest(site_dir: Path, settings: dict | None = None, results: dict | None = None) -> str:
    """A hash over every page Pagefind will index (path and content)."""
    return _digest(site_indexed_pages(site_dir, settings or {}, results or {}))


@site_step(background=True)
def pagefind_index(site_dir: Path, settings: dict, results: dict):
    """Start Pagefind on the marked pages and return a function that waits for it (the other site
    steps run meanwhile: they change feeds and data files, never an indexed page)."""
    if not settings.get("PAPAN_SEARCH", True):
        return None
    out = site_dir / "pagefind"
    cache_root = Path(settings["_PAPAN_CACHE_DIR"]) / "pagefind" if settings.get("_PAPAN_CACHE_DIR") else None
    pages = site_indexed_pages(site_dir, settings, results)
    digest = _digest(pages)
    cached = cache_root / digest if cache_root else None
    if cached is not None and cached.is_dir():
        link_tree(cached, out)
        return None
    src = site_dir.with_name(f"{site_dir.name}.cari")
    shutil.rmtree(src, ignore_errors=True)
    for rel, _ in pages:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / rel, src / rel)
        except OSError:
            shutil.copy2(site_dir / rel, src / rel)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(src), "--output-path", str(out), "--silent"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish() -> None:
        try:
            output, _ = proc.communicate()
        finally:
            TRASH.throw(src)
        if proc.returncode != 0:
            raise SearchIndexError("indeks pencarian (Pagefind) gagal dibuat: " + (output or "")[-2000:])
        if cached is not None:
            # Keep only the newest index: older ones are never asked for again unless the pages return.
            TRASH.throw(cache_root)
            cache_root.mkdir(parents=True)
            tmp = cache_root / f"{digest}.baru"
            link_tree(out, tmp)
            tmp.rename(cached)

    return finish
