"""Full-text search over the whole site with Pagefind, indexed offline while the site is assembled.

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

Pagefind starts as soon as the villages and the portal are built, from their
folders in the build cache (the site is made of hard links to them), so the
index is written while the site is linked together and the open data is made.
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


def source_indexed_pages(sources: list[tuple[str, Path]], settings: dict, results: dict) -> list[tuple[str, bytes, Path]]:
    """(site path, sha256, file) of every page to index, from the folders the site is assembled
    from: ``("", portal)`` and ``(slug, village folder)``. The villages' come from their memo."""
    version = module_version(__file__)
    slugs = frozenset(prefix for prefix, _ in sources if prefix)
    out = []
    for prefix, folder in sources:
        if not prefix:
            pages = indexed_pages(folder, skip=slugs)
        else:
            pages = village_memo(settings, results, prefix, "cari", version,
                                 lambda f=folder, p=prefix: indexed_pages(f, prefix=p))
        out += [(rel, digest, folder / (rel[len(prefix) + 1:] if prefix else rel)) for rel, digest in pages]
    return sorted(out)


def site_indexed_pages(site_dir: Path, settings: dict, results: dict) -> list[tuple[str, bytes]]:
    """Every indexed page of an assembled site (villages named in ``results`` read from their memo)."""
    slugs = sorted(s for s in results if (site_dir / s).is_dir())
    sources = [("", site_dir)] + [(s, site_dir / s) for s in slugs]
    return [(rel, digest) for rel, digest, _ in source_indexed_pages(sources, settings, results)]


def _digest(pages: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for rel, digest in pages:
        h.update(rel.encode() + b"\0" + digest)
    return h.hexdigest()


def indexed_pages_digest(site_dir: Path, settings: dict | None = None, results: dict | None = None) -> str:
    """A hash over every page Pagefind will index (path and content)."""
    return _digest(site_indexed_pages(site_dir, settings or {}, results or {}))


@site_step(background=True)
def pagefind_index(site_dir: Path, settings: dict, results: dict, sources: list[tuple[str, Path]]):
    """Start Pagefind on the marked pages of ``sources`` and return a function that waits for it and
    puts the index in the site (the assembly and the other steps run meanwhile: they change feeds
    and data files, never an indexed page)."""
    if not settings.get("PAPAN_SEARCH", True):
        return None
    out = site_dir / "pagefind"
    cache_root = Path(settings["_PAPAN_CACHE_DIR"]) / "pagefind" if settings.get("_PAPAN_CACHE_DIR") else None
    pages = source_indexed_pages(sources, settings, results)
    digest = _digest([(rel, d) for rel, d, _ in pages])
    cached = cache_root / digest if cache_root else None
    if cached is not None and cached.is_dir():
        return lambda: link_tree(cached, out)
    src = site_dir.with_name(f"{site_dir.name}.cari")
    staging = site_dir.with_name(f"{site_dir.name}.pagefind")
    for folder in (src, staging):
        shutil.rmtree(folder, ignore_errors=True)
    for rel, _, path in pages:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, src / rel)
        except OSError:
            shutil.copy2(path, src / rel)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(src), "--output-path", str(staging), "--silent"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish() -> None:
        try:
            output, _ = proc.communicate()
        finally:
            TRASH.throw(src)
        if proc.returncode != 0:
            TRASH.throw(staging)
            raise SearchIndexError("indeks pencarian (Pagefind) gagal dibuat: " + (output or "")[-2000:])
        if cached is None:
            staging.rename(out)
            return
        # Keep only the newest index: older ones are never asked for again unless the pages return.
        TRASH.throw(cache_root)
        cache_root.mkdir(parents=True)
        shutil.move(staging, cached)        # a rename when the cache is on the same disk
        link_tree(cached, out)

    return finish
