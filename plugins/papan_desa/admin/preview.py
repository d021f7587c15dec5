"""Pratinjau: the village's pages built from the edited files by the real build, served by the admin app.

Only that village is built (from a hard-linked copy, so a half-saved edit never
meets the build), into ``<work>/pratinjau/<slug>/`` with the site address
``/pratinjau/<slug>``; the village's own pages are under ``<slug>/`` in it. The
poster and the search index are left out to keep it quick; everything else is
the public site's code and theme.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .check import _link_copy


def build_preview(root: Path, settings_file: Path, villages_dir: Path, slug: str, work_dir: Path,
                  registry: Path | None = None):
    """Build one village's preview; returns the BuildReport (``report.failed`` has the problems)."""
    from ..build import BuildOptions, build

    src = Path(work_dir) / "pratinjau-sumber" / slug
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    _link_copy(Path(villages_dir) / slug, src / slug)
    out = preview_dir(work_dir, slug)
    report = build(BuildOptions(
        root=Path(root), settings_file=Path(settings_file), villages_dir=src, output_dir=out,
        cache_dir=Path(work_dir) / "cache" / slug, jobs=1, siteurl=f"/pratinjau/{slug}", registry=registry,
        overrides={"PAPAN_SEARCH": False, "PAPAN_POSTER": False}))
    shutil.rmtree(src, ignore_errors=True)
    return report


def preview_dir(work_dir: Path, slug: str) -> Path:
    return Path(work_dir) / "pratinjau" / slug
