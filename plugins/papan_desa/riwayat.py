"""Provenance of a budget year: when its figures were first published and every change since, from git.

The village data live in git, so git history is the record of what was published when. For each
``apbdes/<tahun>.csv`` this module reads every committed version, compares them figure by figure
(anggaran and perubahan per line; realisasi updates are counted, they are expected to grow) and
says when the figures last changed. Without git (an exported folder) or with a shallow clone it
says so plainly instead of guessing.

Incremental builds stay correct: :func:`sidik` names the commits that touched a village's budget
files, and the build adds it to that village's fingerprint, so a new commit rebuilds exactly the
villages whose history it changed. The same repository gives the same pages (no clock is read).
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ADA = "ada"
TIDAK_ADA = "tidak ada"       # no git repository (or no git)
DANGKAL = "dangkal"           # a shallow clone: history before the clone's depth is missing
WIB = dt.timezone(dt.timedelta(hours=7))


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        r = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout if r.returncode == 0 else None


def git_root(path: Path) -> Path | None:
    """The repository a folder belongs to (the nearest folder with a ``.git``), or None."""
    p = Path(path).resolve()
    return _git_root(str(p if p.is_dir() else p.parent))


@functools.lru_cache(maxsize=1024)
def _git_root(folder: str) -> Path | None:
    p = Path(folder)
    if (p / ".git").exists():
        return p
    return None if p.parent == p else _git_root(str(p.parent))


@functools.lru_cache(maxsize=8)
def _head(root: str, stamp: tuple) -> str:
    return (_git(Path(root), "rev-parse", "HEAD") or b"").strip().decode()


@functools.lru_cache(maxsize=64)
def _gitdirs(root: Path) -> tuple[Path, Path]:
    """(the repository's own git folder, the folder its branches live in); they differ in a worktree."""
    dot = root / ".git"
    gitdir = dot
    if dot.is_file():                   # a worktree or submodule: ".git" names the real folder
        text = dot.read_text(encoding="utf-8", errors="replace").strip()
        gitdir = (root / text.partition("gitdir:")[2].strip()).resolve()
    common = gitdir
    if (gitdir / "commondir").is_file():
        common = (gitdir / (gitdir / "commondir").read_text().strip()).resolve()
    return gitdir, common


def _stamp(root: Path) -> tuple:
    """Cheap evidence that HEAD moved (a commit, checkout or fetch): HEAD itself and the times of its reflog
    and its branch file, so a build asks git for HEAD once, not once per village."""
    gitdir, common = _gitdirs(root)
    try:
        head = (gitdir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        head = ""
    files = [gitdir / "logs" / "HEAD"]
    if head.startswith("ref:"):
        ref = head[4:].strip()
        files += [common / ref, common / "packed-refs"]
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return (head, tuple(out))


@functools.lru_cache(maxsize=8)
def _log(root: str, head: str) -> tuple[bool, dict[str, tuple[tuple[str, int], ...]]]:
    """(shallow, path -> ((commit, unix time), … newest first)) for every budget file in the repository."""
    shallow = (_git(Path(root), "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    out = _git(Path(root), "log", "--format=%x01%H %ct", "--name-only", "--no-renames", "--",
               ":(glob)**/apbdes/*.csv", ":(glob)**/apbdes/*.md") or b""
    files: dict[str, list[tuple[str, int]]] = {}
    commit = None
    for line in out.decode("utf-8", "replace").split("\n"):
        if line.startswith("\x01"):
            h, ts = line[1:].split()
            commit = (h, int(ts))
        elif line.strip() and commit:
            files.setdefault(line.strip(), []).append(commit)
    return shallow, {k: tuple(v) for k, v in files.items()}


def _history(path: Path) -> tuple[Path, bool, dict] | None:
    root = git_root(path)
    if root is None:
        return None
    head = _head(str(root), _stamp(root))
    if not head:
        return None
    shallow, files = _log(str(root), head)
    return root, shallow, files


def sidik(village_dir: Path) -> str:
    """A fingerprint of the village's budget history (commits touching ``apbdes/``); "" without git.

    Called for every village on every build, so it costs a few file-system calls: the repository is
    found from the villages' shared parent folder, and git is asked only when HEAD moved."""
    vd = os.path.realpath(village_dir)
    root = _git_root(os.path.dirname(vd))
    if root is None:
        return ""
    head = _head(str(root), _stamp(root))
    if not head:
        return ""
    shallow, files = _log(str(root), head)
    rel = os.path.relpath(vd, root).replace(os.sep, "/") + "/apbdes/"
    mine = sorted((p, c) for p, cs in files.items() if p.startswith(rel) for c, _ in cs)
    if not mine:
        return ""
    return hashlib.sha256(repr((shallow, mine)).encode()).hexdigest()


# ------------------------------------------------------------------ one year's history

@dataclass(frozen=True)
class Perubahan:
    tanggal: dt.date | None       # None: changed in the working copy, not yet committed
    commit: str                   # short hash ("" when not committed)
    baris: str                    # "4.2.1.01. Dana Desa"
    kolom: str                    # anggaran, perubahan; "baris" for a line added or removed
    lama: Decimal | None
    baru: Decimal | None


@dataclass
class Riwayat:
    status: str                                   # ADA, TIDAK_ADA, DANGKAL
    pertama: dt.date | None = None                # first publication of the year's figures
    terakhir: dt.date | None = None               # when the published figures last changed
    perubahan: list[Perubahan] = field(default_factory=list)
    realisasi: list[tuple[dt.date, int]] = field(default_factory=list)   # (date, lines updated)
    belum_dicatat: bool = False                   # the working copy differs from the last commit
    terbit: dict[str, str] = field(default_factory=dict)   # "apbdes"/"realisasi"/"tahunan" -> ISO date


def _date(ts: int) -> dt.date:
    return dt.datetime.fromtimestamp(ts, tz=WIB).date()


def _figures(text: bytes, tahun: int) -> dict[tuple, tuple[str, Decimal, Decimal | None, Decimal | None]] | None:
    """Lines of one version of a budget CSV: key -> (label, anggaran, perubahan, realisasi)."""
    from .apbdes.load import _load_lines
    from .problems import Problems

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{tahun}.csv"
        path.write_bytes(text)
        lines = _load_lines(path, Problems(), {}, [])
    if lines is None:
        return None
    return {(b.kode, b.kegiatan, b.sumber_dana, b.uraian.lower()):
            (f"{b.kode_tampil} {b.uraian}", b.nilai.anggaran, b.nilai.perubahan, b.nilai.realisasi) for b in lines}


def _current(year) -> dict:
    return {(b.kode, b.kegiatan, b.sumber_dana, b.uraian.lower()):
            (f"{b.kode_tampil} {b.uraian}", b.nilai.anggaran, b.nilai.perubahan, b.nilai.realisasi)
            for b in year.baris}


def _diff(old: dict, new: dict, when: dt.date | None, commit: str) -> tuple[list[Perubahan], int]:
    out, realisasi = [], 0
    for key in sorted(set(old) | set(new), key=lambda k: tuple(str(x) for x in k)):
        a, b = old.get(key), new.get(key)
        if a is None:
            out.append(Perubahan(when, commit, b[0], "baris", None, b[2] if b[2] is not None else b[1]))
            continue
        if b is None:
            out.append(Perubahan(when, commit, a[0], "baris", a[2] if a[2] is not None else a[1], None))
            continue
        for i, kolom in ((1, "anggaran"), (2, "perubahan")):
            if a[i] != b[i]:
                out.append(Perubahan(when, commit, b[0], kolom, a[i], b[i]))
        if a[3] != b[3]:
            realisasi += 1
    return out, realisasi


_STATUS = re.compile(r"^status\s*:\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)


def riwayat(year) -> Riwayat:
    """The history of one loaded budget year (``year.path`` is its CSV)."""
    if year.path is None:
        return Riwayat(TIDAK_ADA)
    csv_path = Path(year.path).resolve()
    h = _history(csv_path)
    if h is None:
        return Riwayat(TIDAK_ADA)
    root, shallow, files = h
    rel = csv_path.relative_to(root).as_posix()
    versions = list(reversed(files.get(rel, ())))          # oldest first
    out = Riwayat(DANGKAL if shallow else ADA)
    prev = None
    for commit, ts in versions:
        when = _date(ts)
        blob = _git(root, "show", f"{commit}:{rel}")
        figs = _figures(blob, year.tahun) if blob is not None else None
        if figs is None:
            continue                    # a version with errors was never published
        if out.pertama is None:
            out.pertama = out.terakhir = when
            out.terbit["apbdes"] = when.isoformat()
        if "realisasi" not in out.terbit and any(f[3] is not None for f in figs.values()):
            out.terbit["realisasi"] = when.isoformat()
        if prev is not None:
            changes, n_real = _diff(prev, figs, when, commit[:7])
            out.perubahan += changes
            if changes:
                out.terakhir = when
            if n_real:
                out.realisasi.append((when, n_real))
        prev = figs
    md_rel = csv_path.with_suffix(".md").relative_to(root).as_posix()
    for commit, ts in reversed(files.get(md_rel, ())):
        blob = _git(root, "show", f"{commit}:{md_rel}") or b""
        m = _STATUS.search(blob.decode("utf-8", "replace"))
        if m and m.group(1) == "Realisasi Tahun Anggaran":
            out.terbit["tahunan"] = _date(ts).isoformat()
            break
    now = _current(year)
    if prev is not None and now != prev:
        changes, _ = _diff(prev, now, None, "")
        out.belum_dicatat = True
        out.perubahan += changes
    elif prev is None:
        out.belum_dicatat = True        # the figures are not committed at all yet
    return out
