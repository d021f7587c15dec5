"""Withholding: one refused file holds back only what it feeds, and kept state belongs to its village.

The unit of publication is a file (a budget year is its ``apbdes/<tahun>.csv`` with its ``.md``), not
a village. When a village has errors in some of its files, the build

1. sets those files aside (a budget year's ``.csv`` and ``.md`` go together: :func:`group`);
2. puts in their place the last good copy of each, kept in the build store (:class:`Sah`), or
   nothing when there is none (the file never published);
3. loads and checks the village again from that *assembled* folder (:func:`assemble`: hard links
   of the good files, copies of the kept ones), and repeats while new errors appear (a post whose
   photo was withheld, a kept copy the current checks refuse);
4. builds the village from the assembled folder, so that every page, data file, poster, portal
   figure and search entry a file feeds comes from the same version of it.

Errors that concern the whole village (``desa.md``, the folder itself, duplicate codes, Pelican)
still fail the village; it then keeps its last good pages.

Everything kept is keyed by what identifies the village: the villages tree it was built from
(:func:`tree_key`, the resolved path of the villages folder), its code (kode wilayah) and its folder
name. A folder that is renamed, reused for another village or built from another tree finds nothing
kept and starts clean.
Kept state is also tied to the village's withdrawal list (``dicabut.csv``, ``papan cabut``): copies
and pages kept before the list changed are never published again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from .cache import key as cache_key
from .cache import link_tree
from .problems import Problem

# Text inputs whose last good copy is kept (small); a refused photo or PDF is only withheld.
KEPT_SUFFIXES = (".md", ".csv", ".txt", ".json", ".yml", ".yaml")
# Files whose errors concern the whole village.
WHOLE_VILLAGE = ("desa.md",)
_YEAR = re.compile(r"^apbdes/(\d{4})\.(csv|md)$")
MAX_ROUNDS = 12


def tree_key(villages_dir: Path) -> str:
    """What identifies a villages tree in the store: its resolved absolute path."""
    return cache_key("pohon", str(Path(villages_dir).resolve()))[:16]


def rel_in(problem_file: str, vdir: Path, root: Path | None) -> str | None:
    """A problem's file as a path inside the village folder; None when it is the folder itself or
    outside it (such a problem concerns the whole village, or the kabupaten)."""
    p = Path(problem_file)
    if not p.is_absolute() and root is not None:
        p = Path(root) / p
    try:
        rel = p.resolve().relative_to(Path(vdir).resolve()).as_posix()
    except (ValueError, OSError):
        return None
    return rel if rel not in ("", ".") else None


def classify(errors: list[Problem], vdir: Path, root: Path | None) -> tuple[bool, set[str]]:
    """(whole village fails, files to withhold) for a village's errors."""
    files: set[str] = set()
    whole = False
    for p in errors:
        rel = rel_in(p.file, vdir, root)
        if rel is None or rel in WHOLE_VILLAGE:
            whole = True
        else:
            files.add(rel)
    return whole, files


def group(rel: str, vdir: Path) -> set[str]:
    """A file with the files published as one with it: ``x.csv`` with its ``x.md`` (a budget year,
    a data table and its notes) in the same folder."""
    out = {rel}
    stem, dot, suffix = rel.rpartition(".")
    if dot and suffix in ("csv", "md"):
        other = f"{stem}.{'md' if suffix == 'csv' else 'csv'}"
        if (Path(vdir) / other).is_file():
            out.add(other)
    return out


def unit_label(rel: str) -> tuple[str, str]:
    """('tahun', '2025') for a budget year's file, ('berkas', rel) for any other."""
    m = _YEAR.match(rel)
    return ("tahun", m.group(1)) if m else ("berkas", rel)


def count_units(withheld: dict[str, dict]) -> tuple[int, int]:
    """(budget years, other files) withheld over every village: ``{slug: {rel: tanggal|None}}``."""
    years, files = set(), set()
    for slug, rels in withheld.items():
        for rel in rels:
            kind, name = unit_label(rel)
            (years if kind == "tahun" else files).add((slug, name))
    return len(years), len(files)


class Sah:
    """The last good copy of each text input of one village (``<store>/<tree>/<kode>/<slug>/``).

    ``sah.json`` lists each kept file with its sha256 and the date of that version (the day of the
    build that first published it); the copies are in ``berkas/``. It is written after each build
    in which the village published, from the files that build accepted.

    ``withdrawn`` is the fingerprint of the village's withdrawal list now
    (:func:`cabut.withdrawals_fingerprint`). Copies kept under another list (before a take-down) are
    deleted unread: a kept copy may be an earlier version of a withdrawn file. Their dates stay, for a
    file whose accepted bytes are the same again."""

    def __init__(self, store: Path, tree: str, kode: str, slug: str, withdrawn: str):
        self.dir = Path(store) / tree / kode / slug
        self.index_path = self.dir / "sah.json"
        self.withdrawn = withdrawn
        try:
            stored = json.loads(self.index_path.read_text(encoding="utf-8"))
            self.index: dict[str, dict] = stored["berkas"]
            listed = stored.get("dicabut", "-")   # kept before lists were recorded: a village that never withdrew
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.index, listed = {}, None
        self.stale = listed != withdrawn
        if self.stale:
            shutil.rmtree(self.dir / "berkas", ignore_errors=True)

    def has(self, rel: str) -> bool:
        return rel in self.index and (self.dir / "berkas" / rel).is_file()

    def path(self, rel: str) -> Path:
        return self.dir / "berkas" / rel

    def tanggal(self, rel: str) -> str | None:
        return (self.index.get(rel) or {}).get("tanggal")

    def digest(self, rels) -> str:
        """A hash of the kept versions of ``rels`` (what a build from kept copies depends on)."""
        return cache_key(*(f"{r}={(self.index.get(r) or {}).get('sha', '-')}@{self.tanggal(r)}" for r in sorted(rels)))

    def update(self, vdir: Path, withheld: set[str], today: dt.date) -> None:
        """Keep the accepted text files of ``vdir`` (all but ``withheld``); forget deleted files."""
        vdir = Path(vdir)
        new: dict[str, dict] = {}
        for dirpath, dirnames, filenames in os.walk(vdir):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.endswith(KEPT_SUFFIXES):
                    continue
                src = Path(dirpath) / name
                rel = src.relative_to(vdir).as_posix()
                if rel in withheld or rel in WHOLE_VILLAGE:
                    continue
                try:
                    data = src.read_bytes()
                except OSError:
                    continue
                sha = hashlib.sha256(data).hexdigest()
                old = self.index.get(rel)
                if old and old.get("sha") == sha and self.has(rel):
                    new[rel] = old
                    continue
                if old and old.get("sha") == sha:
                    new[rel] = old               # the same version, its copy deleted (stale): its date stays
                else:
                    new[rel] = {"sha": sha, "tanggal": today.isoformat()}
                dst = self.path(rel)
                dst.parent.mkdir(parents=True, exist_ok=True)
                tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
                tmp.write_bytes(data)
                tmp.replace(dst)
        for rel in withheld:                 # a withheld file keeps its last good copy
            if rel in self.index and self.has(rel):
                new[rel] = self.index[rel]
        for rel in set(self.index) - set(new):
            with_path = self.path(rel)
            with_path.unlink(missing_ok=True)
        if new == self.index and self.index_path.is_file() and not self.stale:
            return
        self.index, self.stale = new, False
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.index_path.with_name(f"sah.json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"berkas": new, "dicabut": self.withdrawn}, sort_keys=True, indent=1),
                       encoding="utf-8")
        tmp.replace(self.index_path)


def assemble(vdir: Path, dest: Path, withheld: set[str], sah: Sah | None, dropped: set[str]) -> dict[str, str | None]:
    """The village folder as it will be built: its files but the withheld ones, and for each
    withheld one its last good copy when there is one (and it was not ``dropped``). Returns
    ``{rel: date of the kept version or None}`` for every withheld file."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    link_tree(vdir, dest, symlinks=True)
    out: dict[str, str | None] = {}
    for rel in sorted(withheld):
        target = dest / rel
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        if sah is not None and rel not in dropped and sah.has(rel):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sah.path(rel), target)
            out[rel] = sah.tanggal(rel)
        else:
            out[rel] = None
    return out


def rename_problem(p: Problem, frm: str, to: str) -> Problem:
    """A problem found in the assembled folder, named as the village file it comes from."""
    if p.file == frm or p.file.startswith(frm + "/"):
        return Problem(to + p.file[len(frm):], p.line, p.column, p.message, p.level)
    return p


class RenamedAllowlist:
    """The privacy allowlist (guard.Allowlist) as the assembled folder sees it: its files are matched
    under the village's own names, so an entry for ``villages/<slug>/desa.md`` still applies."""

    def __init__(self, inner, frm: str, to: str):
        self.inner, self.frm, self.to = inner, frm, to

    @property
    def entries(self):
        return self.inner.entries

    def allows(self, file_name: str, digits: str) -> bool:
        name = file_name.replace("\\", "/")
        if name == self.frm or name.startswith(self.frm + "/"):
            name = self.to + name[len(self.frm):]
        return self.inner.allows(name, digits)
