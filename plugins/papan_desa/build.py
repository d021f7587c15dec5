"""Build every village's site and the kabupaten portal, in parallel and incrementally.

The life cycle, modelled on Lektor's build-state database:

1. fingerprint every village folder (file contents, re-hashed only when size or
   mtime changed) and the shared inputs (theme, plugins, settings, registry);
2. rebuild, on all cores, only the villages whose fingerprint changed; each
   village is one Pelican run into its own cache folder (keyed by villages tree,
   kode wilayah and folder), replaced only when the build succeeds; a refused file
   withholds only what it feeds (tahan.py), and a village that fails as a whole
   keeps its own last good pages;
3. rebuild the portal when anything it shows changed;
4. assemble the site in a new folder (hard links from the cache) and swap it
   in with a rename, so an interrupted build never leaves a half-written site.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import data_kinds  # noqa: F401  (registers every data kind)
from .cache import key as cache_key
from .cache import TRASH, link_tree, module_version
from .pages import SITE_STEPS, site_step  # noqa: F401  (site_step is re-exported)
from .problems import Problem, Problems
from .registry import Registry, load_registry
from .settings import papan_setting
from .village import load_village, peek_kode, village_dirs

STATE_VERSION = 2
log = logging.getLogger("papan_desa")


@dataclass
class BuildOptions:
    root: Path                       # project root (where pelicanconf.py lives)
    settings_file: Path
    villages_dir: Path | None = None
    output_dir: Path | None = None
    content_dir: Path | None = None
    cache_dir: Path | None = None
    check_only: bool = False
    jobs: int = 0
    force: bool = False
    progress: bool = False
    siteurl: str | None = None       # override SITEURL (tests serve the site on a random port)
    registry: Path | None = None     # override PAPAN_REGISTRY (synthetic kabupaten)
    shard: tuple[int, int] | None = None  # (k, n): build only shard k of n (CI matrix)
    overrides: dict = field(default_factory=dict)  # settings that win over the settings file (tests, bench)
    # Return before the replaced site and old indexes are deleted (the command line: an edit publishes
    # without waiting for 40,000 links to be removed); the library waits, so callers see a tidy folder.
    delete_in_background: bool = False
    # Set by the build: what identifies the villages tree (tahan.tree_key) and the loaded registry.
    tree: str = ""
    registry_obj: Registry | None = None


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)       # villages that failed as a whole
    # Villages that published without some of their files: the errors that withheld them, and
    # {file: date of the last good version published in its place, or None} (see tahan.py).
    withheld: dict[str, list[Problem]] = field(default_factory=dict)
    withheld_files: dict[str, dict] = field(default_factory=dict)
    warnings: dict[str, list[Problem]] = field(default_factory=dict)
    kabupaten_problems: list[Problem] = field(default_factory=list)
    kabupaten_warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    output_dir: Path | None = None
    changed: bool = False
    stages: dict[str, float] = field(default_factory=dict)   # seconds per stage, for the summary and bench

    @property
    def ok(self) -> bool:
        return not self.failed and not self.withheld and not self.kabupaten_problems

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


# ---------------------------------------------------------------- settings

def load_settings(opts: BuildOptions) -> dict:
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(opts.root)  # Pelican resolves relative paths against the settings file's folder
    try:
        settings = read_settings(str(opts.settings_file))
    finally:
        os.chdir(cwd)
    if opts.siteurl is not None:
        settings["SITEURL"] = opts.siteurl
    settings.update(opts.overrides)
    return settings


def _resolve(opts: BuildOptions, settings: dict) -> None:
    root = opts.root
    opts.villages_dir = Path(opts.villages_dir or root / papan_setting(settings, "PAPAN_VILLAGES_PATH")).resolve()
    opts.output_dir = Path(opts.output_dir or settings.get("OUTPUT_PATH") or root / "output").resolve()
    opts.content_dir = Path(opts.content_dir or settings.get("PATH") or root / "content").resolve()
    opts.cache_dir = Path(opts.cache_dir or root / papan_setting(settings, "PAPAN_CACHE_PATH")).resolve()


# ---------------------------------------------------------------- fingerprints

class FileHashes:
    """sha256 of files, remembered by (size, mtime) so an unchanged file is not read again."""

    def __init__(self, known: dict | None = None):
        self.known = known or {}
        self.seen: dict[str, list] = {}

    def file(self, path: Path) -> str:
        key = str(path)
        return self._digest(key, os.stat(key))

    def _digest(self, key: str, st: os.stat_result) -> str:
        prev = self.known.get(key)
        if prev and prev[0] == st.st_size and prev[1] == st.st_mtime_ns:
            digest = prev[2]
        else:
            h = hashlib.sha256()
            with open(key, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            digest = h.hexdigest()
        self.seen[key] = [st.st_size, st.st_mtime_ns, digest]
        return digest

    def tree(self, top: Path, suffixes: tuple[str, ...] | None = None, skip: tuple[str, ...] = ()) -> str:
        """One hash over the files under ``top`` (names and contents), folder by folder in name order.

        Plain strings and ``os.scandir``: run over every village folder before every build, the
        ``Path`` objects of ``os.walk`` cost 0.3 s at 265 villages, for the same hash."""
        h = hashlib.sha256()
        top_s = str(top)
        if os.path.isfile(top_s):
            h.update(self.file(top).encode())
            return h.hexdigest()
        excluded = ("__pycache__",) + tuple(skip)

        def walk(folder: str, rel: str) -> None:
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError:
                return
            subdirs = []
            for e in entries:
                name = e.name
                try:
                    is_dir = e.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if name not in excluded and not name.startswith(".") and not e.is_symlink():
                        subdirs.append(e)
                    continue
                if name.startswith(".") or (suffixes and not name.endswith(suffixes)):
                    continue
                key = folder + "/" + name
                try:
                    st = os.stat(key)
                except FileNotFoundError:
                    continue
                h.update((rel + name).encode() + b"\0" + self._digest(key, st).encode() + b"\n")
            for e in subdirs:
                walk(folder + "/" + e.name, rel + e.name + "/")

        walk(top_s, "")
        return h.hexdigest()


def _settings_fingerprint(settings: dict) -> str:
    keep = {k: v for k, v in settings.items() if k.isupper() and isinstance(v, (str, int, float, bool, list, tuple, dict, type(None)))}
    # Functions (Jinja filters) stand in by name: their repr carries a memory address.
    def name(o):
        return f"{getattr(o, '__module__', '')}.{getattr(o, '__qualname__', type(o).__name__)}"
    return hashlib.sha256(json.dumps(keep, sort_keys=True, default=name).encode()).hexdigest()


# ---------------------------------------------------------------- one village (runs in a worker)

_WORKER: dict = {}


def _allowlist_path(root: Path, settings: dict) -> Path:
    return root / papan_setting(settings, "PAPAN_PRIVASI_IZIN")


def _worker_init(settings: dict, registry_path: str, root: str) -> None:
    from .guard import load_allowlist

    logging.getLogger("pelican").setLevel(logging.WARNING)
    _WORKER["settings"] = settings
    _WORKER["registry"] = load_registry(Path(registry_path))
    _WORKER["root"] = Path(root)
    # Its problems are reported once by the parent (kabupaten problems), not per village.
    allow_path = _allowlist_path(Path(root), settings)
    _WORKER["allow"] = load_allowlist(allow_path, Problems(root=Path(root)))
    _WORKER["allow_fp"] = cache_key(allow_path.read_bytes()) if allow_path.is_file() else "-"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


_JINJA_CODE = None


def _jinja_environment(settings: dict) -> dict:
    """Jinja settings with compiled templates kept in memory for the life of a worker and on disk
    in the build cache (``jinja/``) between builds.

    Every village is its own Pelican run with its own Jinja environment, which would otherwise
    compile every template again for each village (0.4 s a village); and an edit that rebuilds one
    village would compile them all again in a fresh process (0.5 s of a 3 s budget). Jinja checks
    each entry against the template's source and its own version, so a changed theme is compiled
    anew; nothing from this cache reaches the site."""
    global _JINJA_CODE
    import jinja2

    folder = Path(settings["_PAPAN_BUILD_DIR"]) / "jinja" if settings.get("_PAPAN_BUILD_DIR") else None
    if _JINJA_CODE is None or _JINJA_CODE.folder != folder:
        class TemplateCode(jinja2.BytecodeCache):
            def __init__(self, folder: Path | None):
                self.folder = folder
                self.store: dict[str, bytes] = {}
                self.disk = None
                if folder is not None:
                    try:
                        folder.mkdir(parents=True, exist_ok=True)
                        self.disk = jinja2.FileSystemBytecodeCache(str(folder))
                    except OSError:
                        self.disk = None        # a read-only cache folder only costs compile time

            def load_bytecode(self, bucket):
                code = self.store.get(bucket.key)
                if code is not None:
                    bucket.bytecode_from_string(code)
                elif self.disk is not None:
                    self.disk.load_bytecode(bucket)
                    if bucket.code is not None:
                        self.store[bucket.key] = bucket.bytecode_to_string()

            def dump_bytecode(self, bucket):
                self.store[bucket.key] = bucket.bytecode_to_string()
                if self.disk is not None:
                    self.disk.dump_bytecode(bucket)

        _JINJA_CODE = TemplateCode(folder)
    return {**settings.get("JINJA_ENVIRONMENT", {}), "bytecode_cache": _JINJA_CODE}


def village_settings(settings: dict, desa, parts, out_dir: Path) -> dict:
    """Pelican settings for one village's site, derived from the kabupaten's."""
    root_url = settings.get("SITEURL", "").rstrip("/")
    s = dict(settings)
    s.update({
        "JINJA_ENVIRONMENT": _jinja_environment(settings),
        "PATH": str(desa.dir),
        "OUTPUT_PATH": str(out_dir),
        "SITEURL": f"{root_url}/{desa.slug}",
        "ROOTURL": root_url,
        "PAPAN_MODE": "desa",
        "PAPAN_PARTS": parts,
        "DESA": desa,
        "DESA_NAV": parts.nav,
        "ARTICLE_PATHS": ["berita"],
        "PAGE_PATHS": ["halaman"],
        "STATIC_PATHS": [],
        "THEME_STATIC_PATHS": [],
        "DELETE_OUTPUT_DIRECTORY": False,
        "DIRECT_TEMPLATES": ["index"],
        "INDEX_SAVE_AS": "berita/index.html",
        "INDEX_URL": "berita/",
        "ARTICLE_URL": "berita/{slug}/",
        "ARTICLE_SAVE_AS": "berita/{slug}/index.html",
        "ARTICLE_LANG_SAVE_AS": "",
        "DRAFT_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "PAGE_URL": "{slug}/",
        "PAGE_SAVE_AS": "{slug}/index.html",
        "PAGE_LANG_SAVE_AS": "",
        "CATEGORY_URL": "berita/kategori/{slug}/",
        "CATEGORY_SAVE_AS": "berita/kategori/{slug}/index.html",
        "CATEGORIES_SAVE_AS": "",
        "TAG_SAVE_AS": "",
        "TAGS_SAVE_AS": "",
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "",
        "YEAR_ARCHIVE_SAVE_AS": "",
        "MONTH_ARCHIVE_SAVE_AS": "",
        "DAY_ARCHIVE_SAVE_AS": "",
        # Pelican stamps an empty feed with the current time: no posts, no feed (reproducible output).
        "FEED_ALL_ATOM": "berita/atom.xml" if any((desa.dir / "berita").glob("*.md")) else None,
        "FEED_ALL_RSS": None,
        "FEED_ATOM": None,
        "FEED_RSS": None,
        "CATEGORY_FEED_ATOM": None,
        "CATEGORY_FEED_RSS": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
        "TRANSLATION_FEED_RSS": None,
        "FEED_DOMAIN": settings.get("FEED_DOMAIN") or "",
        "IGNORE_FILES": [".#*", "*.csv"],
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "DEFAULT_PAGINATION": 10,
    })
    return s


def guarded_load(vdir: Path, registry: Registry, problems: Problems, allow, root: Path, *,
                 memo_dir: Path | None = None, content_fp: str | None = None, known: dict | None = None,
                 settings: dict | None = None):
    """Refuse personal data, unsafe paths and oversized files first, then load and validate the data.

    The file limits are the kabupaten's (``guard.batas(settings)``: ``DEFAULT_LIMITS`` with
    ``PAPAN_BATAS`` on top), the same the importer and Papan Admin apply.

    With ``memo_dir`` and the village's content fingerprint, the scan's findings are kept in
    ``<memo_dir>/<slug>.json`` under a key of that fingerprint, the guard's code, the limits and the allowlist:
    a theme or template change rebuilds every village but reads no PDF or photo again. When the
    village did change, the findings for its PDFs and photos are kept by their content hash
    (same guard and allowlist): editing a budget line or a post does not parse the PDFs again.
    """
    from .guard import batas, scan_village

    limits = batas(settings)
    memo = Path(memo_dir) / f"{vdir.name}.json" if memo_dir is not None and content_fp else None
    if memo is None:
        scan_village(vdir, problems, allow, root, limits=limits, known=known)
    else:
        files_key = cache_key(_guard_version(), str(vdir.resolve()), str(root), _WORKER.get("allow_fp", ""),
                              json.dumps(limits, sort_keys=True))
        key = cache_key(content_fp, files_key)
        try:
            stored = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        if stored.get("key") == key:
            problems.extend([Problem.from_dict(d) for d in stored["problems"]])
        else:
            known = stored.get("files") if stored.get("files_key") == files_key else None
            found: dict = {}
            scan_village(vdir, problems, allow, root, limits=limits, known=known or {}, found=found)
            memo.parent.mkdir(parents=True, exist_ok=True)
            tmp = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"key": key, "problems": [p.as_dict() for p in problems.items],
                                       "files_key": files_key, "files": found}, sort_keys=True),
                           encoding="utf-8")
            tmp.replace(memo)
    if problems:
        return None
    return load_village(vdir, registry, problems, settings)


@functools.lru_cache(maxsize=1)
def _guard_version() -> str:
    here = Path(__file__).parent
    return module_version(here / "guard.py", here / "ocr.py", here / "cabut.py", here / "problems.py")


def _count_pages(out_dir: Path) -> int:
    return sum(1 for _ in out_dir.rglob("*.html"))


def pages_root(build_dir: Path, tree: str) -> Path:
    """Where a villages tree's built village folders are kept: ``<build>/desa/<tree>/<kode>/<slug>``."""
    return Path(build_dir) / "desa" / tree


def pages_dir(build_dir: Path, tree: str, kode: str, slug: str) -> Path:
    """The built pages of one village, keyed by what identifies it (tree, kode wilayah, folder)."""
    return pages_root(build_dir, tree) / kode / slug


def withdrawals_stamp(pages: Path) -> Path:
    """Beside a village's built pages (never inside: the folder is published), the fingerprint of the
    withdrawal list they were built with (cabut.withdrawals_fingerprint)."""
    return pages.with_name(f"{pages.name}.dicabut")


def kept_pages(build_dir: Path, tree: str, slug: str, kode: str | None, registry: Registry | None,
               withdrawn: str) -> Path | None:
    """The last good pages a village that failed as a whole may keep: those built from this tree for
    this folder and this code, under the withdrawal list it has now (``withdrawn``: pages built before
    a take-down are never published again). When the code cannot identify the village (unreadable, or
    not in the registry), the folder's own last pages from this tree, if it has exactly one set."""
    if kode and registry is not None and kode in registry.villages:
        p = pages_dir(build_dir, tree, kode, slug)
        found = [p] if p.is_dir() else []
    else:
        top = pages_root(build_dir, tree)
        found = [p for p in top.glob(f"*/{slug}") if p.is_dir()] if top.is_dir() else []
    if len(found) != 1:
        return None
    try:
        built_with = withdrawals_stamp(found[0]).read_text(encoding="utf-8").strip()
    except OSError:
        built_with = "-"        # built before stamps were written: only a village that never withdrew
    return found[0] if built_with == withdrawn else None


def _today(settings: dict):
    import datetime as dt

    from .publikasi.pengumuman import hari_ini
    return hari_ini({"PAPAN_TODAY": settings.get("PAPAN_TODAY")}, []) or dt.date.today()


def _load_withholding(vdir: Path, registry: Registry, problems: Problems, root: Path, build_dir: Path, tree: str):
    """Load a village whose errors are all in files it can publish without: the withheld files give
    way to their last good copies (or to nothing), in an assembled folder (see tahan.py).

    Returns (desa or None, the folder it was loaded from, {withheld file: date of kept version or None},
    the kept-copies store). ``problems`` receives the errors that withheld each file, named as the
    village's own files, and the warnings of the folder that is built."""
    from .cabut import withdrawals_fingerprint
    from .tahan import MAX_ROUNDS, RenamedAllowlist, Sah, assemble, classify, group, rel_in, rename_problem

    kode = (peek_kode(vdir) or (None,))[0]
    sah = Sah(build_dir / "sah", tree, kode, vdir.name, withdrawals_fingerprint(vdir)) if kode else None
    reported = [p for p in problems.items if p.is_error]
    _, files = classify(reported, vdir, root)
    withheld: set[str] = set()
    for rel in files:
        withheld |= group(rel, vdir)
    dropped: set[str] = set()
    comp = build_dir / "susun" / tree / vdir.name
    names = Problems(root=root)
    comp_name, v_name = names.name(comp), names.name(vdir)
    # The guard's findings for the village's PDFs and photos, by content, named as in the assembled
    # folder: files that are not withheld are not parsed again.
    try:
        memo = json.loads((build_dir / "periksa" / f"{vdir.name}.json").read_text(encoding="utf-8"))
        known = {comp_name + k[len(v_name):]: v for k, v in (memo.get("files") or {}).items()
                 if k.startswith(v_name + "/")}
    except (OSError, ValueError, AttributeError):
        known = {}
    allow = RenamedAllowlist(_WORKER["allow"], comp_name, v_name)
    for _ in range(MAX_ROUNDS):
        info = assemble(vdir, comp, withheld, sah, dropped)
        p = Problems(root=root)
        desa = guarded_load(comp, registry, p, allow, root, known=known, settings=_WORKER["settings"])
        items = [rename_problem(x, comp_name, v_name) for x in p.items]
        errors = [x for x in items if x.is_error]
        if not errors:
            problems.items = reported + [x for x in items if not x.is_error]
            for rel in sorted(r for r in info if r in dropped):
                problems.warning(vdir / rel, 0, 0, f"versi terakhir yang sah dari {rel} tidak lolos pemeriksaan "
                                 "sekarang; berkas ini belum diterbitkan sampai diperbaiki")
            if desa is not None:
                desa.ditahan = info
            return desa, comp, info, sah
        whole, files = classify(errors, vdir, root)
        if whole or not files:
            problems.items = reported + errors
            return None, comp, info, sah
        for rel in sorted(files):
            if rel in withheld:
                dropped |= group(rel, vdir) | {rel}      # its kept copy is refused now
            else:
                withheld |= group(rel, vdir)
                reported += [x for x in errors if rel_in(x.file, vdir, root) == rel]
    problems.items = reported
    return None, comp, {}, sah


def build_village(village_dir: str, content_fp: str | None = None) -> dict:
    """Validate and build one village into its cache folder. Returns a picklable result.

    ``content_fp`` (a hash of the village folder's files) lets the guard reuse its last scan. Errors
    in some of the village's files withhold those files only (tahan.py); errors that concern the
    whole village fail it, and it keeps its last good pages."""
    from pelican import Pelican

    from .cabut import withdrawals_fingerprint
    from .pages import village_parts
    from .tahan import classify

    settings = _WORKER["settings"]
    root: Path = _WORKER["root"]
    registry: Registry = _WORKER["registry"]
    vdir = Path(village_dir)
    build_dir = Path(settings["_PAPAN_BUILD_DIR"])
    tree = settings["_PAPAN_TREE"]
    withdrawn = withdrawals_fingerprint(vdir)       # read before the files it rules
    problems = Problems(root=root)
    desa = guarded_load(vdir, registry, problems, _WORKER["allow"], root, memo_dir=build_dir / "periksa",
                        content_fp=content_fp, settings=settings)
    src, withheld, sah = vdir, {}, None
    if desa is None or problems:
        whole, files = classify(problems.errors, vdir, root)
        if not whole and files:
            desa, src, withheld, sah = _load_withholding(vdir, registry, problems, root, build_dir, tree)
            if desa is None:
                shutil.rmtree(src, ignore_errors=True)
    result = {"slug": vdir.name, "kode": desa.profil.kode if desa else (peek_kode(vdir) or (None,))[0]}
    if desa is None or problems.errors and not withheld:
        result.update(status="gagal", problems=[p.as_dict() for p in problems.items])
        return result
    parts = village_parts(desa, settings)
    final = pages_dir(build_dir, tree, desa.profil.kode, vdir.name)
    staging = final.with_name(f"{vdir.name}.baru")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    handler = _Collect()
    plog = logging.getLogger("pelican")
    plog.addHandler(handler)
    errors_before = len(problems.errors)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican prints its own "Done" line
            Pelican(village_settings(settings, desa, parts, staging)).run()
    except Exception as exc:  # Pelican's own failures become a village error, not a crash of the whole build
        problems.error(vdir, 0, 0, f"halaman desa gagal dibuat: {exc}")
    finally:
        plog.removeHandler(handler)
    for rec in handler.records:
        msg = rec.getMessage()
        if rec.levelno >= logging.ERROR:
            problems.error(vdir, 0, 0, f"Pelican: {msg}")
        else:
            problems.warning(vdir, 0, 0, f"Pelican: {msg}")
    if src != vdir:
        shutil.rmtree(src, ignore_errors=True)
    if len(problems.errors) > errors_before:
        shutil.rmtree(staging, ignore_errors=True)
        result.update(status="gagal", problems=[p.as_dict() for p in problems.items])
        return result
    old = final.with_name(f"{vdir.name}.lama")
    shutil.rmtree(old, ignore_errors=True)
    stamp = withdrawals_stamp(final)
    stamp.unlink(missing_ok=True)           # no moment where old pages carry the new list's stamp
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    stamp.write_text(withdrawn + "\n", encoding="utf-8")
    # The folder's pages and kept files under another code (the village's code was corrected) are
    # not its own now.
    for top in (pages_root(build_dir, tree), build_dir / "sah" / tree):
        for other in top.glob(f"*/{vdir.name}"):
            if other.parent.name != desa.profil.kode:
                shutil.rmtree(other, ignore_errors=True)
                withdrawals_stamp(other).unlink(missing_ok=True)
    from .tahan import Sah
    sah = sah or Sah(build_dir / "sah", tree, desa.profil.kode, vdir.name, withdrawn)
    sah.update(vdir, set(withheld), _today(settings))
    summary = {"nama": desa.nama, "kode": desa.profil.kode, "jenis": desa.profil.jenis,
               "kecamatan": desa.kecamatan, "contoh": desa.contoh, "pages": _count_pages(final)}
    summary.update(parts.summary)
    result.update(status="ok", summary=summary, problems=[p.as_dict() for p in problems.items],
                  halaman=final.relative_to(build_dir).as_posix())
    if withheld:
        result.update(ditahan=dict(sorted(withheld.items())), sah=sah.digest(withheld))
    return result


# ---------------------------------------------------------------- the whole site

def _cross_village_checks(dirs: list[Path], problems_by_slug: dict[str, Problems], root: Path) -> None:
    """Duplicate slugs (folders that differ only by case) and duplicate codes fail every village involved."""
    seen_slug: dict[str, Path] = {}
    seen_kode: dict[str, tuple[Path, int]] = {}
    for d in dirs:
        p = problems_by_slug.setdefault(d.name, Problems(root=root))
        low = d.name.lower()
        if low in seen_slug:
            other = seen_slug[low]
            p.error(d, 0, 0, f'nama folder "{d.name}" sama dengan folder "{other.name}"; setiap desa perlu alamat web sendiri')
            problems_by_slug[other.name].error(other, 0, 0, f'nama folder "{other.name}" sama dengan folder "{d.name}"')
        seen_slug[low] = d
        peek = peek_kode(d)
        if peek:
            kode, line = peek
            if kode in seen_kode:
                od, oline = seen_kode[kode]
                p.error(d / "desa.md", line, 1, f"kode {kode} sudah dipakai oleh {od.name}/desa.md baris {oline}; "
                        "setiap desa punya kode Kemendagri sendiri")
                problems_by_slug[od.name].error(od / "desa.md", oline, 1,
                                                f"kode {kode} juga dipakai oleh {d.name}/desa.md baris {line}")
            else:
                seen_kode[kode] = (d, line)


def _link_tree(src: Path, dst: Path) -> None:
    link_tree(src, dst, dirs_exist_ok=True)


def _previous(output: Path) -> Path:
    """Where the site replaced by the last swap waits to be deleted (hidden, beside the output)."""
    return output.with_name(f".{output.name}.lama")


class _Discard:
    """Deletes the site replaced by the last build while this build works on villages.

    Removing ~40,000 hard links takes as long as making them; done at the swap, it made every
    small edit wait for it. The old site stays (hidden, beside the output) until the next build
    that has work to do throws it in the trash (``rm -rf`` in a child process)."""

    def __init__(self, output: Path):
        self.path = _previous(output)
        self.started = False

    def start(self) -> None:
        """Called when there is work to overlap (villages to build); a build with no change leaves it."""
        if not self.started:
            self.started = True
            TRASH.throw(self.path)
            TRASH.sweep(self.path.parent)

    def wait(self) -> None:
        """Before the swap: the name of the old site must be free."""
        self.start()
        shutil.rmtree(self.path, ignore_errors=True)      # left by a killed build, or no trash possible


def _link_villages(new: Path, sources: list[tuple[str, Path]], parent: int | None = None) -> None:
    """Hard-link village folders into the site. mkdir and link wait on the disk, not on Python:
    a few threads make the links a third faster. With ``parent`` (in a child process), stop when
    that process is gone: a build killed alone must not leave its child linking into the folder
    the next build starts from."""
    from concurrent.futures import ThreadPoolExecutor

    def one(item):
        if parent is not None and os.getppid() != parent:
            raise SystemExit(1)
        _link_tree(item[1], new / item[0])

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(one, sources))


class _Prelink:
    """Links the unchanged villages into the new site while the changed ones are being built.

    Started only when there is something to build; ``_assemble`` then links only the rest. Those
    villages' cache folders are not touched by the build, so linking them early is linking them late.

    The links are made in a forked child process where there is one: as threads of this process,
    tens of thousands of ``link`` calls fought the village build (pure Python: pages, poster) for
    the interpreter lock and made a one-village rebuild up to a second slower."""

    def __init__(self, new: Path, sources: list[tuple[str, Path]]):
        import threading

        self.new = new
        self.slugs = {slug for slug, _ in sources}
        self.error: BaseException | None = None
        self.proc = self.thread = None
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir(parents=True)
        if hasattr(os, "fork"):
            import multiprocessing as mp

            self.proc = mp.get_context("fork").Process(target=_link_villages, args=(new, sources, os.getpid()),
                                                       daemon=True)
            self.proc.start()
            return

        def run():
            try:
                _link_villages(new, sources)
            except BaseException as exc:  # noqa: BLE001 - re-raised by wait()
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def wait(self) -> None:
        if self.proc is not None:
            self.proc.join()
            if self.proc.exitcode != 0:
                raise OSError(f"folder desa gagal ditautkan ke {self.new} (proses anak berakhir dengan kode "
                              f"{self.proc.exitcode}; lihat pesan di atas)")
            return
        self.thread.join()
        if self.error is not None:
            raise self.error

    def drop(self) -> None:
        """Early links that no assembly used (nothing changed in the end, or the build stopped)."""
        self.wait()
        TRASH.throw(self.new)


class _Keep:
    """Unchanged villages taken over from the published site instead of linked again.

    A village whose fingerprint has not changed since the build that assembled ``output`` has the
    same files there as in its cache folder (and its feeds already made absolute). Linking it into
    the new site again cost one ``mkdir`` per page and one ``link`` per file: at 265 villages
    12,800 folders and 49,000 links on every edit, more than building the edited village. Instead
    its folder is renamed from the published site into the new one just before the swap: a few
    hundred renames, a few milliseconds. ``untrust`` is called first, so that a build killed in
    those milliseconds leaves a state that makes the next build link every village again."""

    def __init__(self, output: Path, slugs: list[str], untrust):
        self.output, self.slugs, self.untrust = output, sorted(slugs), untrust

    def move_into(self, new: Path) -> None:
        if not self.slugs:
            return
        self.untrust()
        moved = []
        try:
            for slug in self.slugs:
                os.rename(self.output / slug, new / slug)
                moved.append(slug)
        except BaseException:
            for slug in reversed(moved):        # the published site as it was
                os.rename(new / slug, self.output / slug)
            raise


def _swap_in(new: Path, output: Path, discard: _Discard | None = None, keep: _Keep | None = None) -> None:
    old = _previous(output)
    if discard is not None:
        discard.wait()
    else:
        shutil.rmtree(old, ignore_errors=True)
    if keep is not None:
        keep.move_into(new)
    if output.exists():
        output.rename(old)
    new.rename(output)


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text())
        if state.get("version") == STATE_VERSION:
            return state
    except (OSError, ValueError):
        pass
    return {"version": STATE_VERSION, "files": {}, "villages": {}}


def _write_state(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, sort_keys=True))
    tmp.replace(path)


def _progress(opts: BuildOptions, done: int, total: int, slug: str, ok: bool) -> None:
    if not opts.progress:
        return
    mark = "✓" if ok else "✗"
    sys.stderr.write(f"\r[{done:>4}/{total}] {mark} {slug:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def shard_of(slug: str, n: int) -> int:
    """The shard (1..n) a village belongs to: stable across runs, machines and added villages."""
    return int(hashlib.sha256(slug.encode()).hexdigest()[:12], 16) % n + 1


def _load_registry(opts: BuildOptions, settings: dict, report: BuildReport) -> tuple[Path, Registry | None]:
    kab = Problems(root=opts.root)
    registry_path = (opts.registry or opts.root / papan_setting(settings, "PAPAN_REGISTRY")).resolve()
    if not registry_path.is_file():
        kab.error(registry_path, 0, 0, "daftar wilayah (PAPAN_REGISTRY di pelicanconf.py) tidak ditemukan")
        report.kabupaten_problems = kab.items
        return registry_path, None
    registry = load_registry(registry_path, kab)
    if kab:
        report.kabupaten_problems = kab.items
        return registry_path, None
    from .audit import check_alokasi_tables
    check_alokasi_tables(registry, kab)     # a refused allocation table is left out; the villages still build
    report.kabupaten_problems = kab.items
    return registry_path, registry


def _start(opts: BuildOptions) -> tuple[BuildReport, dict, Path, Registry | None]:
    """What every build starts with: settings, resolved folders, the registry (None when it is unusable)."""
    report = BuildReport()
    settings = load_settings(opts)
    _resolve(opts, settings)
    report.output_dir = opts.output_dir
    registry_path, registry = _load_registry(opts, settings, report)
    from .tahan import tree_key
    opts.tree = tree_key(opts.villages_dir)
    opts.registry_obj = registry
    return report, settings, registry_path, registry


def _check_only(dirs, problems_by_slug, registry, report: BuildReport, allow, root: Path,
                settings: dict | None = None) -> None:
    from .tahan import classify, group

    for d in dirs:
        p = problems_by_slug[d.name]
        if not p:
            guarded_load(d, registry, p, allow, root, settings=settings)
        whole, files = classify(p.errors, d, root)
        if p and whole:
            report.failed[d.name] = p.errors
        elif p:
            # The build publishes the village without these files (their last good version stays).
            report.withheld[d.name] = p.errors
            report.withheld_files[d.name] = {rel: None for f in sorted(files) for rel in sorted(group(f, d))}
            report.built.append(d.name)
        else:
            report.built.append(d.name)
        if p.warnings:
            report.warnings[d.name] = p.warnings


def _artifact_dir(settings: dict, opts: BuildOptions) -> str:
    """Where charts, posters, photos and memos are kept: the build cache, or ``_PAPAN_ARTIFACT_CACHE``
    (content-addressed, so builds may share them: tests, benchmarks). A relative folder is inside the
    build cache, never in the working folder of whoever runs the build."""
    shared = settings.get("_PAPAN_ARTIFACT_CACHE")
    return str(opts.cache_dir / shared if shared not in (None, "") else opts.cache_dir)


def _published(opts: BuildOptions, res: dict) -> Path | None:
    """The folder of built pages a village's result publishes: its own, or for a village that failed
    as a whole its last good pages, when they are this village's (see kept_pages)."""
    if res.get("status") == "ok" and res.get("halaman"):
        p = opts.cache_dir / res["halaman"]
        return p if p.is_dir() else None
    from .cabut import withdrawals_fingerprint
    return kept_pages(opts.cache_dir, opts.tree, res["slug"], res.get("kode"), opts.registry_obj,
                      withdrawals_fingerprint(opts.villages_dir / res["slug"]))


def _build_villages(opts, settings, registry_path, dirs, problems_by_slug, state, hashes, shared_fp,
                    report: BuildReport, on_work=None, code_fp: str = "") -> dict[str, dict]:
    """Rebuild the villages whose fingerprint changed; returns every village's result."""
    from .riwayat import sidik as riwayat_sidik   # the budget pages list changes from git history
    prev_villages: dict[str, dict] = state.get("villages", {})
    results: dict[str, dict] = {}
    todo: list[Path] = []
    fingerprints: dict[str, str] = {}
    contents: dict[str, str] = {}
    for d in dirs:
        contents[d.name] = hashes.tree(d)
        fp = hashlib.sha256((shared_fp + contents[d.name] + riwayat_sidik(d)).encode()).hexdigest()
        fingerprints[d.name] = fp
        pre = problems_by_slug[d.name]
        if pre:
            res = {"slug": d.name, "kode": (peek_kode(d) or (None,))[0], "status": "gagal",
                   "problems": [p.as_dict() for p in pre.items], "fingerprint": None}
            res["published"] = _published(opts, res) is not None
            results[d.name] = res
            continue
        prev = prev_villages.get(d.name)
        if (not opts.force and prev and prev.get("sumber") == fp
                and (prev["status"] != "ok" or _published(opts, prev) is not None)):
            results[d.name] = prev
            report.skipped.append(d.name)
        else:
            todo.append(d)

    settings["_PAPAN_BUILD_DIR"] = str(opts.cache_dir)
    settings["_PAPAN_TREE"] = opts.tree
    settings["_PAPAN_CACHE_DIR"] = _artifact_dir(settings, opts)
    settings["_PAPAN_ROOT"] = str(opts.root)
    total = len(todo)
    if todo:
        if on_work is not None:
            on_work({d.name: src for d in dirs if d.name in results and results[d.name].get("status") == "ok"
                     and (src := _published(opts, results[d.name])) is not None})
        jobs = opts.jobs or os.cpu_count() or 1
        if jobs == 1 or total == 1:
            _worker_init(settings, str(registry_path), str(opts.root))
            done = ((d, build_village(str(d), contents[d.name])) for d in todo)
        else:
            import multiprocessing as mp
            ctx = mp.get_context("fork") if sys.platform != "win32" else mp.get_context()
            pool = ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=ctx, initializer=_worker_init,
                                       initargs=(settings, str(registry_path), str(opts.root)))
            done = zip(todo, pool.map(build_village, [str(d) for d in todo], [contents[d.name] for d in todo],
                                      chunksize=max(1, total // (jobs * 8))))
        try:
            for i, (d, res) in enumerate(done, 1):
                # "sumber" is what decides whether the folder must be built again; "fingerprint" names
                # what was published, which for a village with withheld files includes the kept copies.
                res["sumber"] = fingerprints[d.name]
                withheld = res.get("sah", "")
                res["fingerprint"] = cache_key(fingerprints[d.name], withheld) if withheld else fingerprints[d.name]
                # Names the village's data files (theme left out): site steps that read only those
                # keep what they read across a theme change (cache.village_memo(key="fingerprint_data")).
                data_fp = hashlib.sha256((code_fp + contents[d.name]).encode()).hexdigest()
                res["fingerprint_data"] = cache_key(data_fp, withheld) if withheld else data_fp
                res["published"] = _published(opts, res) is not None
                results[d.name] = res
                if res["status"] == "ok":
                    report.built.append(d.name)
                _progress(opts, i, total, d.name, res["status"] == "ok")
        finally:
            if jobs != 1 and total != 1:
                pool.shutdown()
    return results


def _report_results(results: dict[str, dict], report: BuildReport) -> None:
    for slug, res in sorted(results.items()):
        probs = [Problem.from_dict(p) for p in res.get("problems", [])]
        if res["status"] != "ok":
            report.failed[slug] = [p for p in probs if p.is_error]
        elif res.get("ditahan"):
            report.withheld[slug] = [p for p in probs if p.is_error]
            report.withheld_files[slug] = res["ditahan"]
        warns = [p for p in probs if not p.is_error]
        if warns:
            report.warnings[slug] = warns
        if res["status"] == "ok":
            report.pages += res["summary"].get("pages", 0)



def _assemble(new: Path, output: Path, portal_dir: Path | None, village_sources: list[tuple[str, Path]],
              extra: dict[str, bytes] | None = None, settings: dict | None = None,
              results: dict | None = None, stages: dict | None = None, discard: _Discard | None = None,
              early: _Prelink | None = None, keep: _Keep | None = None) -> None:
    stages = stages if stages is not None else {}
    if early is None:
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir(parents=True)
    kept = set(keep.slugs) if keep is not None else set()
    # The site steps read each village from the folder it comes from: a kept one is not in `new` yet.
    settings = {**(settings or {}), "_PAPAN_VILLAGE_SOURCES": {slug: str(src) for slug, src in village_sources}}
    waiting = []
    try:
        if portal_dir is not None:   # whole sites only, not a shard's part
            # Background steps (the search index) start from the folders the site is linked from,
            # and work while it is linked together and the other steps run.
            sources = [("", portal_dir)] + list(village_sources)
            for step in SITE_STEPS:
                if getattr(step, "_papan_background", False):
                    t = time.monotonic()
                    finish = step(new, settings or {}, results or {}, sources)
                    if callable(finish):
                        waiting.append((step.__name__, finish))
                    stages[step.__name__] = time.monotonic() - t
        _assemble_and_run_steps(new, portal_dir, [(slug, src) for slug, src in village_sources if slug not in kept],
                                extra, settings, results, stages, early)
    except BaseException:
        for _name, finish in waiting:
            with contextlib.suppress(Exception):
                finish()
        raise
    for name, finish in waiting:
        t = time.monotonic()
        finish()
        stages[name] += time.monotonic() - t
    t = time.monotonic()
    _swap_in(new, output, discard, keep)
    stages["tukar"] = time.monotonic() - t


def _assemble_and_run_steps(new: Path, portal_dir: Path | None, village_sources: list[tuple[str, Path]],
                            extra: dict[str, bytes] | None, settings: dict | None, results: dict | None,
                            stages: dict, early: _Prelink | None) -> None:
    t0 = time.monotonic()
    if portal_dir is not None:
        _link_tree(portal_dir, new)
    _link_villages(new, [(slug, src) for slug, src in village_sources if early is None or slug not in early.slugs])
    if early is not None:
        early.wait()
    for name, data in (extra or {}).items():
        (new / name).parent.mkdir(parents=True, exist_ok=True)
        (new / name).write_bytes(data)
    stages["rakit"] = time.monotonic() - t0
    if portal_dir is not None:
        for step in SITE_STEPS:
            if not getattr(step, "_papan_background", False):
                t = time.monotonic()
                step(new, settings or {}, results or {})
                stages[step.__name__] = time.monotonic() - t


SHARD_RESULTS = "_papan/hasil-pembangunan.json"


def build(opts: BuildOptions) -> BuildReport:
    """Build the whole site (or, with ``opts.shard``, one shard's villages) into ``opts.output_dir``."""
    t0 = time.monotonic()
    report, settings, registry_path, registry = _start(opts)
    if registry is None:
        return report

    all_dirs = village_dirs(opts.villages_dir)
    problems_by_slug: dict[str, Problems] = {}
    _cross_village_checks(all_dirs, problems_by_slug, opts.root)  # over every village, also in a shard
    dirs = all_dirs
    if opts.shard:
        k, n = opts.shard
        dirs = [d for d in all_dirs if shard_of(d.name, n) == k]

    from .guard import batas, load_allowlist

    kab = Problems(root=opts.root)
    allow = load_allowlist(_allowlist_path(opts.root, settings), kab)
    try:
        batas(settings)         # the file limits every village's guard applies (guarded_load)
    except ValueError as exc:
        kab.error(opts.settings_file, 0, 0, str(exc))
    if kab:
        report.kabupaten_problems = kab.items
        return report

    if opts.check_only:
        _check_only(dirs, problems_by_slug, registry, report, allow, opts.root, settings)
        if not opts.shard:
            # Only a full check sees every village, so only it can say an entry allowed nothing.
            allow.report_unused(kab)
            report.kabupaten_warnings = kab.warnings
        report.seconds = time.monotonic() - t0
        return report

    opts.cache_dir.mkdir(parents=True, exist_ok=True)
    state_path = opts.cache_dir / "state.json"
    state = _read_state(state_path)
    if state.get("pohon") != opts.tree:
        # Built last from another villages tree: nothing recorded about that tree's villages is this
        # tree's (their pages stay in the store under that tree's key, for when it is built again).
        state = {"version": STATE_VERSION, "files": state.get("files", {}), "villages": {}}
    hashes = FileHashes(state.get("files"))
    code = hashlib.sha256()
    from .audit import alokasi_paths
    for part in (Path(__file__).parent, registry_path, *alokasi_paths(registry_path), opts.settings_file,
                 _allowlist_path(opts.root, settings)):
        # The admin app writes village files but plays no part in what a page looks like.
        code.update((hashes.tree(part, None, skip=("admin",)) if part.exists() else "-").encode())
    code.update(_settings_fingerprint(settings).encode())
    code_fp = code.hexdigest()
    theme = opts.root / "theme"
    # What a village's pages look like depends on the theme too; its data files do not.
    shared_fp = hashlib.sha256(((hashes.tree(theme, None) if theme.exists() else "-") + code_fp).encode()).hexdigest()

    t_desa = time.monotonic()
    report.stages["sidik"] = t_desa - t0
    discard = _Discard(opts.output_dir)
    new_site = opts.output_dir.with_name(f".{opts.output_dir.name}.baru")

    early: list[_Prelink] = []      # the early linking, once villages are to be built; handed to _assemble
    # Villages published by the build that assembled the current output, as they are in the cache
    # (see _Keep); a shard's output is assembled again by `papan assemble`, so it keeps nothing.
    trusted = (not opts.shard and state.get("output") == str(opts.output_dir) and bool(state.get("site"))
               and opts.output_dir.is_dir())
    prev_fp = {s: r.get("fingerprint") for s, r in state.get("villages", {}).items()} if trusted else {}

    def in_output(slug: str) -> bool:
        return slug in prev_fp and (opts.output_dir / slug).is_dir()

    def keepable(slug: str, res: dict) -> bool:
        return (in_output(slug) and res.get("fingerprint") == prev_fp[slug] and bool(res.get("published"))
                and slug not in report.built)

    def on_work(unchanged: dict[str, Path]) -> None:
        # Villages are about to be built: meanwhile delete the site before last and link the
        # unchanged villages that cannot be taken from the published site into the new site.
        discard.start()
        TRASH.sweep(opts.cache_dir)       # an old search index a killed build threw away
        link = [slug for slug in sorted(unchanged) if not in_output(slug)]
        early.append(_Prelink(new_site, [(slug, unchanged[slug]) for slug in link]))

    try:
        results = _build_villages(opts, settings, registry_path, dirs, problems_by_slug, state, hashes, shared_fp,
                                  report, on_work=on_work, code_fp=code_fp)
    except BaseException:
        for e in early:
            e.drop()
        raise
    report.stages["desa"] = time.monotonic() - t_desa
    _report_results(results, report)
    village_sources = [(slug, src) for slug in sorted(results) if (src := _published(opts, results[slug])) is not None]

    if opts.shard:
        # A shard publishes its villages and its results; `papan assemble` adds the portal.
        _assemble(new_site, opts.output_dir, None, village_sources,
                  {SHARD_RESULTS: json.dumps(results, sort_keys=True, indent=1).encode()}, discard=discard,
                  early=early.pop() if early else None)
        report.changed = True
        site_fp = None
        portal_fp = state.get("portal")
    else:
        # The portal shows every village's status, so it depends on all results.
        portal_fp = _portal_fingerprint(shared_fp, hashes.tree(opts.content_dir), results)
        portal_dir = opts.cache_dir / "portal"
        if opts.force or state.get("portal") != portal_fp or not portal_dir.is_dir():
            t_portal = time.monotonic()
            _build_portal(settings, registry, results, opts, portal_dir)
            report.stages["portal"] = time.monotonic() - t_portal
            report.changed = True
        report.pages += _count_pages(portal_dir)
        site_fp = hashlib.sha256((portal_fp + json.dumps(sorted(
            (s, r.get("fingerprint"), r.get("published")) for s, r in results.items()))).encode()).hexdigest()
        if opts.force or report.built or state.get("site") != site_fp or not opts.output_dir.is_dir() \
                or state.get("output") != str(opts.output_dir):
            pre = early.pop() if early else None
            keep_slugs = [slug for slug, _ in village_sources if keepable(slug, results[slug])
                          and (pre is None or slug not in pre.slugs)]

            def untrust() -> None:
                _write_state(state_path, {**state, "output": None})

            _assemble(new_site, opts.output_dir, portal_dir, village_sources, settings=settings, results=results,
                      stages=report.stages, discard=discard, early=pre,
                      keep=_Keep(opts.output_dir, keep_slugs, untrust) if keep_slugs else None)
            report.changed = True

    t_end = time.monotonic()
    for e in early:                 # linked early, but nothing changed in the end
        e.drop()
    TRASH.empty(wait=not opts.delete_in_background)
    prev = state.get("villages", {})
    kept = {s: r for s, r in prev.items() if opts.shard and s not in results and (opts.villages_dir / s).is_dir()}
    state.update(version=STATE_VERSION, files=hashes.seen, villages={**kept, **results}, portal=portal_fp,
                 site=site_fp, output=str(opts.output_dir), pohon=opts.tree)
    # Villages whose folder is gone leave the cache too (a renamed folder starts clean).
    for gone in set(prev) - set(results) - set(kept):
        for top in (pages_root(opts.cache_dir, opts.tree), opts.cache_dir / "sah" / opts.tree):
            for p in top.glob(f"*/{gone}"):
                shutil.rmtree(p, ignore_errors=True)
                withdrawals_stamp(p).unlink(missing_ok=True)
        (opts.cache_dir / "periksa" / f"{gone}.json").unlink(missing_ok=True)
    _write_state(state_path, state)
    report.stages["simpan"] = time.monotonic() - t_end
    report.seconds = time.monotonic() - t0
    return report


def _portal_fingerprint(shared_fp: str, content_fp: str, results: dict) -> str:
    portal_input = json.dumps({s: {k: r.get(k) for k in ("status", "kode", "summary", "published", "problems")}
                               for s, r in sorted(results.items())}, sort_keys=True)
    return hashlib.sha256((shared_fp + content_fp + portal_input).encode()).hexdigest()


def assemble(opts: BuildOptions, shard_outputs: list[Path]) -> BuildReport:
    """Join the outputs of ``papan build --shard K/N`` runs and add the portal over all of them."""
    t0 = time.monotonic()
    report, settings, registry_path, registry = _start(opts)
    if registry is None:
        return report
    results: dict[str, dict] = {}
    sources: list[tuple[str, Path]] = []
    for out in shard_outputs:
        part = json.loads((out / SHARD_RESULTS).read_text())
        for slug, res in part.items():
            if slug in results:
                raise ValueError(f"desa {slug} ada di lebih dari satu hasil shard")
            results[slug] = res
            if (out / slug).is_dir():
                sources.append((slug, out / slug))
    _report_results(results, report)
    report.built = sorted(s for s, r in results.items() if r["status"] == "ok")
    opts.cache_dir.mkdir(parents=True, exist_ok=True)
    portal_dir = opts.cache_dir / "portal"
    _build_portal(settings, registry, results, opts, portal_dir)
    report.pages += _count_pages(portal_dir)
    _assemble(opts.output_dir.with_name(f".{opts.output_dir.name}.baru"), opts.output_dir, portal_dir, sorted(sources),
              settings=settings, results=results)
    report.changed = True
    report.seconds = time.monotonic() - t0
    return report


PORTAL_NAV = (("Semua desa", ""), ("Perbandingan", "perbandingan/"), ("Keterbukaan", "keterbukaan/"), ("Audit", "audit/"),
              ("Sasaran program", "sasaran/"), ("Berita desa", "berita/"), ("Layanan desa", "layanan/"),
              ("Data terbuka", "data/"),
              ("Cari", "cari/"))


def _build_portal(settings: dict, registry: Registry, results: dict, opts: BuildOptions, portal_dir: Path) -> None:
    from pelican import Pelican

    staging = portal_dir.with_name("portal.baru")
    shutil.rmtree(staging, ignore_errors=True)
    s = dict(settings)
    s["_PAPAN_CACHE_DIR"] = _artifact_dir(settings, opts)
    s["_PAPAN_BUILD_DIR"] = str(opts.cache_dir)
    s.update({
        "JINJA_ENVIRONMENT": _jinja_environment(s),
        "PATH": str(opts.content_dir),
        "OUTPUT_PATH": str(staging),
        "ROOTURL": settings.get("SITEURL", "").rstrip("/"),
        "PAPAN_MODE": "portal",
        "PORTAL_NAV": PORTAL_NAV,
        "PAPAN_REGISTRY_OBJ": registry,
        "PAPAN_RESULTS": results,
        "ARTICLE_PATHS": ["berita"],
        "PAGE_PATHS": ["pages"],
        "DIRECT_TEMPLATES": [],
        "PAGE_URL": "{slug}/",
        "PAGE_SAVE_AS": "{slug}/index.html",
        "ARTICLE_URL": "berita/{slug}/",
        "ARTICLE_SAVE_AS": "berita/{slug}/index.html",
        "CATEGORY_SAVE_AS": "", "CATEGORIES_SAVE_AS": "", "TAG_SAVE_AS": "", "TAGS_SAVE_AS": "",
        "AUTHOR_SAVE_AS": "", "AUTHORS_SAVE_AS": "", "ARCHIVES_SAVE_AS": "",
        "YEAR_ARCHIVE_SAVE_AS": "", "MONTH_ARCHIVE_SAVE_AS": "", "DAY_ARCHIVE_SAVE_AS": "",
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
    })
    logging.getLogger("pelican").setLevel(logging.WARNING)
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(s).run()
    old = portal_dir.with_name("portal.lama")
    shutil.rmtree(old, ignore_errors=True)
    if portal_dir.exists():
        portal_dir.rename(old)
    staging.rename(portal_dir)
    shutil.rmtree(old, ignore_errors=True)
