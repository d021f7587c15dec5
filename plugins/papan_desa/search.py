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

Where a memory folder is free (``PAPAN_SEARCH_RAM``, ``/dev/shm``), Pagefind reads
copies of the pages there and writes its index there; the index then goes into
the cache as hard links to the files the previous index already had (most of
them after an edit), so a build creates and deletes a few dozen files on disk,
not 12,000. It also makes the index the same on every Linux machine: Pagefind
numbers pages in the order a folder lists them, which on ext4 is an order of
name hashes seeded per disk, and on tmpfs follows the order the pages were
copied in (sorted).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .cache import TRASH, link_tree, module_version, village_memo

MARK = b"data-pagefind-body"


class SearchIndexError(RuntimeError):
    pass


_DCD = b"pagefind_dcd"


def _read_pf(path: Path):
    import gzip

    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_DCD):
        raise SearchIndexError(f"indeks pencarian: {path.name} tidak berawalan {_DCD!r}")
    return cbor2.loads(data[len(_DCD):])


def _write_pf(folder: Path, prefix: str, lang: str, suffix: str, doc, hash_len: int) -> str:
    """Encode ``doc`` as Pagefind does (CBOR after "pagefind_dcd", gzip) under a name from its SHA-1,
    written Pagefind's way ("{:x?}" per byte, so without leading zeros); returns the short hash."""
    import gzip
    import hashlib

    import cbor2

    raw = cbor2.dumps(doc)
    full = "".join(f"{b:x}" for b in hashlib.sha1(raw).digest())
    short = f"{lang}_{full[:hash_len]}"
    (folder / f"{prefix}{short}{suffix}").write_bytes(gzip.compress(_DCD + raw, mtime=0))
    return short


def stable_filters(index: Path) -> None:
    """Put Pagefind's filter files and their list in a fixed order, so the same pages give the same bytes.

    Pagefind 1.5 keeps filter values in a hash map with a random seed ("TODO: Change filter indexes to
    BTree to give them a stable hash", pagefind/src/index/mod.rs): each run writes the values in another
    order, so the filter files, the ``.pf_meta`` that names them and ``pagefind-entry.json`` change on
    every build. Here each filter's values are sorted by name and the files renamed after their new
    content (what a search returns is unchanged; only the order of the lists)."""
    entry_path = index / "pagefind-entry.json"
    if not entry_path.is_file():
        return
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    changed = False
    for lang, info in sorted(entry.get("languages", {}).items()):
        meta_path = index / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_pf(meta_path)
        filters = meta[3]
        if not filters:
            continue
        fresh = []
        for name, short in filters:
            path = index / "filter" / f"{short}.pf_filter"
            doc = _read_pf(path)
            doc[1] = sorted(doc[1], key=lambda v: v[0])
            path.unlink()
            fresh.append([name, _write_pf(index / "filter", "", lang, ".pf_filter", doc, 7)])
        meta[3] = sorted(fresh, key=lambda f: f[0])
        meta_path.unlink()
        info["hash"] = _write_pf(index, "pagefind.", lang, ".pf_meta", meta, len(lang) + 8)
        changed = True
    if changed:
        entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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
    """The search index's cache key: the indexed pages, and this module (which rewrites Pagefind's output)."""
    h = hashlib.sha256(module_version(__file__).encode() + b"\0")
    for rel, digest in pages:
        h.update(rel.encode() + b"\0" + digest)
    return h.hexdigest()


def indexed_pages_digest(site_dir: Path, settings: dict | None = None, results: dict | None = None) -> str:
    """A hash over every page Pagefind will index (path and content)."""
    return _digest(site_indexed_pages(site_dir, settings or {}, results or {}))


def _pagefind_command() -> list[str]:
    """Pagefind's own binary (shipped in the ``pagefind_bin`` wheel); ``python -m pagefind`` only
    finds and starts that binary, after 0.1 s of imports."""
    try:
        import pagefind_bin
        exe = pagefind_bin.get_executable()
        if exe and os.access(exe, os.X_OK):
            return [os.fspath(exe)]
    except (ImportError, AttributeError, OSError):
        pass
    return [sys.executable, "-m", "pagefind"]


SCRATCH_PREFIX = "papan-cari-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _scratch(settings: dict, pages: list[tuple[str, bytes, Path]]) -> Path | None:
    """A folder in memory (tmpfs, ``PAPAN_SEARCH_RAM``) for Pagefind's input and output, or None.

    Pagefind writes some 6,000 small files per 265 villages. Written in memory and then put in the
    cache as hard links to the files the previous index already had, an edit creates on disk only
    the few files that changed. On a disk that is slow to create files right after many were
    deleted (ext4 without a journal), that is the difference between 2.2 and 3.8 s.
    """
    from .settings import papan_setting

    root = papan_setting(settings, "PAPAN_SEARCH_RAM")
    if not root:
        return None
    root = Path(root)
    try:
        st = os.statvfs(root)
        if not os.access(root, os.W_OK):
            return None
        need = sum(os.stat(path).st_size for _, _, path in pages) * 1.5 + 64 * 1024 * 1024
        if st.f_bavail * st.f_frsize < need:
            return None
        for old in root.iterdir():          # what a killed build left behind
            if old.name.startswith(SCRATCH_PREFIX):
                pid = old.name[len(SCRATCH_PREFIX):]
                if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                    TRASH.discard(old)
        folder = root / f"{SCRATCH_PREFIX}{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return folder
    except OSError:
        return None


def _write_pages(pages: list[tuple[str, bytes, Path]], folder: Path, *, copy: bool) -> None:
    """The pages to index under ``folder``, made in sorted order (Pagefind numbers pages in the order
    it finds them, and a folder lists its files in the order they were made): links on the same
    disk, copies into memory."""
    made: set[str] = set()
    base = os.fspath(folder)
    for rel, _, path in pages:
        target = os.path.join(base, rel)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if not copy:
            try:
                os.link(path, target)
                continue
            except OSError:
                pass
        shutil.copyfile(path, target)


def _keep_index(fresh: Path, previous: Path | None, target: Path) -> None:
    """Put Pagefind's output (``fresh``, in memory) at ``target`` on disk: each file that ``previous``
    has with the same bytes becomes a hard link to it, only the others are written. Pagefind names
    fragments and index chunks by their content, so after an edit most files are unchanged."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    src, dst = os.fspath(fresh), os.fspath(tmp)
    old = os.fspath(previous) if previous is not None else None
    n = len(src)
    for dirpath, _, filenames in os.walk(src):
        rel = dirpath[n:]
        os.makedirs(dst + rel, exist_ok=True)
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read()
            out = os.path.join(dst + rel, name)
            if old is not None:
                before = os.path.join(old + rel, name)
                try:
                    if os.stat(before).st_size == len(data):
                        with open(before, "rb") as f:
                            same = f.read() == data
                        if same:
                            os.link(before, out)
                            continue
                except OSError:
                    pass
            with open(out, "wb") as f:
                f.write(data)
    tmp.rename(target)


def _old_indexes(cache_root: Path) -> list[Path]:
    """The indexes kept in ``cache_root`` and what a killed build left there half-written."""
    if not cache_root.is_dir():
        return []
    out = []
    for p in sorted(cache_root.iterdir()):
        parts = p.name.split(".")
        if len(parts) == 1 and len(p.name) == 64:
            out.append(p)
        elif len(parts) == 3 and parts[2] == "tmp" and parts[1].isdigit() and not _alive(int(parts[1])):
            out.insert(0, p)               # never the one to link from: listed first, used last
    return out


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
    scratch = _scratch(settings, pages)
    if scratch is not None:
        src, staging = scratch / "halaman", scratch / "indeks"
        try:
            _write_pages(pages, src, copy=True)
        except OSError:                       # memory full after all: use the disk
            TRASH.discard(scratch)
            scratch = None
    if scratch is None:
        src = site_dir.with_name(f"{site_dir.name}.cari")
        staging = site_dir.with_name(f"{site_dir.name}.pagefind")
        for folder in (src, staging):
            shutil.rmtree(folder, ignore_errors=True)
        _write_pages(pages, src, copy=False)
    cmd = _pagefind_command() + ["--site", str(src), "--output-path", str(staging), "--silent"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish() -> None:
        try:
            output, _ = proc.communicate()
        finally:
            if scratch is None:
                TRASH.throw(src)
        try:
            if proc.returncode != 0:
                if scratch is None:
                    TRASH.throw(staging)
                raise SearchIndexError("indeks pencarian (Pagefind) gagal dibuat: " + (output or "")[-2000:])
            stable_filters(staging)
            if cached is None:
                if scratch is None:
                    staging.rename(out)
                else:
                    _keep_index(staging, None, out)
                return
            # Keep only the newest index: older ones are never asked for again unless the pages return.
            if scratch is None:
                TRASH.throw(cache_root)
                cache_root.mkdir(parents=True)
                shutil.move(staging, cached)        # a rename when the cache is on the same disk
            else:
                previous = _old_indexes(cache_root)
                cache_root.mkdir(parents=True, exist_ok=True)
                _keep_index(staging, previous[-1] if previous else None, cached)
                for p in previous:
                    TRASH.throw(p)
            link_tree(cached, out)
        finally:
            if scratch is not None:
                TRASH.discard(scratch)

    return finish
