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


def link_tree(src: Path, dst: Path, *, dirs_exist_ok: bool = False, symlinks: bool = False) -> None:
    """Copy a folder as hard links (instant, no extra space); a plain copy where links are impossible.

    Whoever then changes a linked file must replace it (unlink, write), never write into it. Plain
    ``os.walk`` with ``mkdir``/``link``: ``shutil.copytree`` also copies every folder's metadata and
    took twice as long on a site of 13,000 folders. With ``symlinks`` symbolic links are copied as
    links (as ``copytree(symlinks=True)``); without, what they point to is copied.
    """
    import shutil

    src, dst = os.fspath(src), os.fspath(dst)
    n = len(src)
    for dirpath, dirnames, filenames in os.walk(src, followlinks=not symlinks):
        target = dst + dirpath[n:]
        if dirpath == src or dirs_exist_ok:
            os.makedirs(target, exist_ok=dirs_exist_ok)
        else:
            os.mkdir(target)
        if symlinks:
            for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                dirnames.remove(name)
                os.symlink(os.readlink(os.path.join(dirpath, name)), os.path.join(target, name))
        for name in filenames:
            s, d = os.path.join(dirpath, name), os.path.join(target, name)
            if symlinks and os.path.islink(s):
                os.symlink(os.readlink(s), d)
                continue
            try:
                os.link(s, d)
            except FileExistsError:
                if not dirs_exist_ok:
                    raise
                os.unlink(d)
                os.link(s, d)
            except OSError:
                shutil.copy2(s, d)


def village_memo(settings: dict, results: dict, slug: str, name: str, version: str, compute: Callable[[], object],
                 key_field: str = "fingerprint"):
    """What a site step reads from one village's published folder, kept between builds.

    A village's folder is exactly what its build fingerprint says only when that build succeeded (a
    failed village keeps its last good pages, whichever they were), so only then is the value kept:
    ``<cache>/desa-memo/<name>/<slug>.pickle``, under a key of the fingerprint and ``version``. Site
    steps then read one small file per unchanged village instead of its whole folder.
    ``key_field`` names the result's fingerprint to key on: ``fingerprint`` (everything the village's
    pages come from) or ``fingerprint_data`` (the same without the theme, for steps reading data files).
    """
    import pickle

    cache_dir = settings.get("_PAPAN_CACHE_DIR")
    res = results.get(slug) or {}
    if not cache_dir or res.get("status") != "ok" or not res.get(key_field):
        return compute()
    k = key(res[key_field], version, name, slug)
    path = Path(cache_dir) / "desa-memo" / name / f"{slug}.pickle"
    try:
        stored_key, value = pickle.loads(path.read_bytes())
        if stored_key == k:
            return value
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError, ImportError):
        pass
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps((k, value), protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
    return value


class Trash:
    """Folders deleted in the background: renamed out of the way at once (so the name is free), then
    removed by ``rm -rf`` in a child process that holds no Python lock; :meth:`empty` waits for them.

    Deleting 40,000 hard links costs as much as making them; a build throws the old copies here and
    goes on with its work meanwhile."""

    def __init__(self):
        self.procs: list = []
        self.count = 0

    def throw(self, path: Path) -> None:
        path = Path(path)
        if not path.exists():
            return
        self.count += 1
        away = path.with_name(f".{path.name}.sampah-{os.getpid()}-{self.count}")
        path.rename(away)
        self._remove(away)

    def discard(self, path: Path) -> None:
        """Delete ``path`` in the background where it is (a folder whose name no later build uses)."""
        if Path(path).exists():
            self._remove(Path(path))

    def sweep(self, folder: Path) -> None:
        """Delete what a killed build left in the trash in ``folder`` (names with ``.sampah-``)."""
        folder = Path(folder)
        if not folder.is_dir():
            return
        mine = f".sampah-{os.getpid()}-"
        for p in sorted(folder.iterdir()):
            if ".sampah-" in p.name and mine not in p.name:
                self._remove(p)

    def _remove(self, path: Path) -> None:
        import shutil
        import subprocess

        rm = shutil.which("rm")
        if rm is None:                     # not a POSIX system: delete here and now
            shutil.rmtree(path, ignore_errors=True)
            return
        # Its own session: a deletion the command leaves running is not stopped by the terminal.
        self.procs.append(subprocess.Popen([rm, "-rf", "--", str(path)], stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           start_new_session=True))

    def empty(self, wait: bool = True) -> None:
        """Wait for the deletions; or, with ``wait=False`` (the command line), let them finish after
        the command has returned: the site is already in place, and a deletion that is cut short
        leaves a hidden ``.sampah-`` folder that the next build sweeps."""
        for p in self.procs:
            if wait:
                p.wait()
            else:
                p.returncode = 0        # let go of it: no "still running" warning when collected
        self.procs.clear()


TRASH = Trash()
