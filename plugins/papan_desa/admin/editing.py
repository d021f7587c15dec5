"""Saving an edit: version tokens, the per-village lock, the build's checks, write, commit; and restoring.

Plain functions over :class:`.state.Admin`; the blueprints call them. A save is
one step under the village's lock: the version the form was opened on is compared
with the files on disk (a change by anyone in between is a conflict that names who
made it), the build's own checks run on a copy, the files are written atomically
and committed under the operator's account. Two saves of one form at the same
moment cannot both say "Tersimpan".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import gitops
from .accounts import Account
from .check import Result
from .files import apply_changes, version
from .state import Admin


def token_for(d: Path, rels: list[str]) -> str:
    return ",".join(version(d / r) for r in rels)


def stale(d: Path, rels: list[str], token: str) -> list[str]:
    """Files that changed since the form was opened."""
    olds = (token or "").split(",") if token else []
    return [rel for rel, old in zip(rels, olds + ["?"] * len(rels)) if version(d / rel) != old]


def who_changed(a: Admin, d: Path, rels: list[str]) -> str:
    """ "oleh sri.kaligowong (03-12-2026 18.40)" for the latest commit on those files, "" when unknown."""
    if a.repo is None:
        return ""
    best = None
    for rel in rels:
        got = gitops.last_change(a.repo, a.village_rel(d, rel))
        if got and (best is None or got[1] > best[1]):
            best = got
    return f"oleh {best[0]} ({best[1]})" if best else ""


def conflict_message(a: Admin, d: Path, rels: list[str]) -> str:
    by = who_changed(a, d, rels)
    return (f"Data ini sudah diubah {by or 'orang lain'} sejak formulir Anda dibuka. Isian Anda belum disimpan "
            "dan masih ada di bawah; tidak ada yang ditimpa. Buka halaman ini di tab baru untuk melihat "
            "perubahan itu, salin isian Anda yang masih perlu, lalu simpan lagi.")


@dataclass
class Saved:
    ok: bool
    result: Result | None = None
    conflict: list[str] = field(default_factory=list)
    conflict_text: str = ""
    commit: str | None = None


def describe(d: Path, changes: dict[str, bytes | None]) -> str:
    """ "tambah berita/x.md; ubah desa.md" for a commit subject (before the change is written)."""
    return "; ".join(f"{'hapus' if data is None else 'ubah' if (d / rel).exists() else 'tambah'} {rel}"
                     for rel, data in sorted(changes.items()))


def write_and_commit(a: Admin, d: Path, changes: dict[str, bytes | None], user: Account, subject: str) -> str | None:
    """Write the files (photos and documents first, the file pointing to them last) and commit them."""
    assets = {r: v for r, v in changes.items() if Path(r).suffix not in (".md", ".csv")}
    data = {r: v for r, v in changes.items() if r not in assets}
    apply_changes(d, assets, a.tmp)
    apply_changes(d, data, a.tmp)
    if a.repo is None:
        return None
    paths = [a.village_rel(d, r) for r in sorted(changes)]
    body = f"Disimpan lewat Papan Admin oleh {user.name}.\n\nBerkas:\n" + "".join(
        f"- {r} ({'hapus' if changes[r] is None else 'ubah'})\n" for r in sorted(changes))
    return gitops.commit_paths(a.repo, paths, user.author, f"Desa {a.nama_desa(d)}: {subject}\n\n{body}")


def save(a: Admin, d: Path, changes: dict[str, bytes | None], user: Account, subject: str, *,
         watched: list[str], token: str | None) -> Saved:
    """The whole save under the village lock. ``watched``/``token``: files the form was opened on."""
    with a.locks.hold(d.name):
        if token is not None:
            changed = stale(d, watched, token)
            if changed and all(rel in changes and _current(d, rel) == changes[rel] for rel in changed):
                # The same form sent twice (a double click, a reload): the first one saved exactly this.
                return Saved(True, Result())
            if changed:
                return Saved(False, conflict=changed, conflict_text=conflict_message(a, d, changed))
        result = a.checker.check(d.name, changes)
        if not result.ok:
            return Saved(False, result)
        sha = write_and_commit(a, d, changes, user, subject)
        return Saved(True, result, commit=sha)


def _current(d: Path, rel: str) -> bytes | None:
    try:
        return (d / rel).read_bytes()
    except FileNotFoundError:
        return None


def prune(folder: Path, days: float = 2) -> None:
    """Remove what an abandoned form or import preview left in the work folder ``days`` ago or earlier."""
    import shutil
    import time

    limit = time.time() - days * 86400
    for p in Path(folder).iterdir() if Path(folder).is_dir() else []:
        try:
            if p.stat().st_mtime < limit:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        except FileNotFoundError:
            pass


def restore_changes(a: Admin, d: Path, commit: str) -> dict[str, bytes | None]:
    """The village files a commit touched, as they were just before it (None: did not exist)."""
    vrel = gitops.rel(a.repo, d)
    entry = next((e for e in gitops.history(a.repo, d, 1000) if e.commit == commit), None)
    if entry is None or not entry.restorable:
        return {}
    return {rel: gitops.file_at(a.repo, f"{commit}^", f"{vrel}/{rel}") for _s, rel in entry.files}
