"""Check a village as the build would, with the admin's edit applied to a temporary copy.

Nothing is written to the village folder here. The candidate files are put into
a copy of the folder (hard links for the untouched files), and the build's own
functions run on it: the personal-data guard (:func:`guard.scan_village`), the
profile (:func:`profil.load_profil`) and every registered data loader
(:data:`village.KINDS`), exactly what :func:`build.guarded_load` runs; unlike the
build they do not stop at the first failing stage, so every file's problems are
shown. Problems that were already there before the edit, in files the edit does
not touch, do not block the edit (they are shown separately).
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import link_tree
from ..guard import Allowlist, scan_village
from ..problems import Problem, Problems
from ..profil import load_profil
from ..registry import Registry
from ..village import KINDS, check_slug


def _link_copy(src: Path, dst: Path) -> None:
    link_tree(src, dst, symlinks=True)


def check_dir(village_dir: Path, registry: Registry | None, allow: Allowlist | None, root: Path,
              limits: dict | None = None) -> Problems:
    """Every problem the build's checks find in one village folder (names relative to ``root``), under the
    build's file limits (``guard.batas(settings)``; the defaults if None)."""
    problems = Problems(root=root)
    scan_village(village_dir, problems, allow, root, limits=limits)
    if not check_slug(village_dir, problems):
        return problems
    profil = load_profil(village_dir, registry, problems)
    data = {}
    for name, loader in KINDS.items():
        try:
            data[name] = loader(village_dir, problems)
        except Exception as exc:  # noqa: BLE001 - a loader bug must not lose the admin's input
            problems.error(village_dir, 0, 0, f"pemeriksaan {name} gagal: {type(exc).__name__}: {exc}")
    if profil is not None:      # the build's checks across files and against the kabupaten's allocations
        from ..audit import periksa
        from ..village import Desa
        try:
            periksa(Desa(village_dir.name, village_dir, profil, None, data), registry, problems)
        except Exception as exc:  # noqa: BLE001
            problems.error(village_dir, 0, 0, f"pemeriksaan silang gagal: {type(exc).__name__}: {exc}")
    return problems


@dataclass
class Result:
    blocking: list[Problem] = field(default_factory=list)   # errors the edit must fix before it is written
    warnings: list[Problem] = field(default_factory=list)   # warnings in the edited files
    elsewhere: list[Problem] = field(default_factory=list)  # errors already in other files (not blocking)

    @property
    def ok(self) -> bool:
        return not self.blocking


class Checker:
    def __init__(self, villages_dir: Path, registry: Registry | None, allow: Allowlist | None, work_dir: Path,
                 limits: dict | None = None):
        self.villages_dir = Path(villages_dir).resolve()
        self.limits = limits
        self.registry = registry
        self.allow = allow
        self.work_dir = Path(work_dir)
        # Problem names look like the build's: "villages/<slug>/berita/x.md".
        self.prefix = self.villages_dir.name

    def name(self, slug: str, rel: str) -> str:
        return f"{self.prefix}/{slug}/{rel}"

    def village(self, slug: str) -> Problems:
        """The problems of the village as it is on disk."""
        return self._run(slug, {})

    def _run(self, slug: str, changes: dict[str, bytes | None]) -> Problems:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.work_dir, prefix="periksa-") as tmp:
            root = Path(tmp)
            copy = root / self.prefix / slug
            copy.parent.mkdir(parents=True)
            _link_copy(self.villages_dir / slug, copy)
            for rel, data in changes.items():
                target = copy / rel
                if target.is_file() or target.is_symlink():
                    target.unlink()        # never write through a hard link into the real file
                if data is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            # Folders emptied by a deletion are gone in the real folder too.
            return check_dir(copy, self.registry, self.allow, root, self.limits)

    def check(self, slug: str, changes: dict[str, bytes | None]) -> Result:
        before = {_key(p) for p in self.village(slug).items}
        after = self._run(slug, changes)
        touched = {self.name(slug, rel) for rel in changes}
        res = Result()
        for p in after.items:
            mine = p.file in touched or any(p.file.startswith(t + "/") for t in touched)
            if p.is_error:
                if mine or _key(p) not in before:
                    res.blocking.append(p)
                else:
                    res.elsewhere.append(p)
            elif mine:
                res.warnings.append(p)
        return res


def _key(p: Problem) -> tuple:
    return (p.file, p.line, p.column, p.message, p.level)


# ---------------------------------------------------------------- problems -> form fields

_KEY_IN_MESSAGE = re.compile(r'(?:kunci|kolom)(?: wajib)? "([a-z_]+)"')


def field_of_markdown(p: Problem, where: dict[int, str], body_line: int, names: set[str]) -> str | None:
    """The form field a problem in a Markdown file belongs to (None: the whole form)."""
    if p.line in where:
        return where[p.line]
    if p.line >= body_line and p.line > 0 and where:
        return "_isi"
    if not where and p.line > 0:
        return "_isi"
    m = _KEY_IN_MESSAGE.search(p.message)
    if m and m.group(1) in names:
        return m.group(1)
    return None


def cell_of_csv(p: Problem, row_lines: list[int], columns: list[str]) -> tuple[int, str] | None:
    """(row index, column name) of a problem in a CSV file written from the table form."""
    if p.line < 2 or p.line not in row_lines:
        return None
    row = row_lines.index(p.line)
    if 0 < p.column <= len(columns):
        return row, columns[p.column - 1]
    m = _KEY_IN_MESSAGE.search(p.message)
    if m and m.group(1) in columns:
        return row, m.group(1)
    return row, ""
