"""A content-addressed cache for expensive artifacts (charts, posters, resized photos).

The key is a hash of everything the artifact depends on; a hit costs one file
read, so a theme change re-renders pages but does not redraw unchanged charts.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable


def key(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode())
        h.update(b"\0")
    return h.hexdigest()


def module_version(*files: str | Path) -> str:
    """A hash of source files, so changing the drawing code invalidates what it drew."""
    return key(*(Path(f).read_bytes() for f in files))


def cached(cache_dir: str | Path | None, kind: str, k: str, make: Callable[[], bytes]) -> bytes:
    if not cache_dir:
        return make()
    path = Path(cache_dir) / kind / k[:2] / k
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{k}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


def link_tree(src: Path, dst: Path, **copytree_kw) -> None:
    """Copy a folder as hard links (instant, no extra space); a plain copy where links are impossible.

    Whoever then changes a linked file must replace it (unlink, write), never write into it.
    """
    import shutil

    def link(s, d):
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, copy_function=link, **copytree_kw)
