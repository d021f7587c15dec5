"""Git for Papan Admin: every save is a commit by the operator's account; Terbitkan pushes one village.

Git runs as a subprocess with fixed arguments (never a shell). Raw git output is
never shown to an operator: :class:`GitError` keeps it in ``detail`` for the
server log and says in Indonesian what went wrong. Commands that write to the
repository (index, commits, merges, pushes) run under one lock, so operators of
different villages saving at the same moment never meet on ``.git/index.lock``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

NETWORK_TIMEOUT = 30
#: Held around every git command that writes (one repository per Papan Admin process).
REPO_LOCK = threading.RLock()
#: Papan Admin commits as itself; the operator is the author.
COMMITTER = {"GIT_COMMITTER_NAME": "Papan Admin", "GIT_COMMITTER_EMAIL": "papan-admin@localhost"}
#: Commits no operator wrote (merging a publication back in) are Papan Admin's own, so they never depend on a
#: git identity configured for the server's account (a fresh ``papan`` user has none: git refuses to merge).
OWN = {**COMMITTER, "GIT_AUTHOR_NAME": COMMITTER["GIT_COMMITTER_NAME"],
       "GIT_AUTHOR_EMAIL": COMMITTER["GIT_COMMITTER_EMAIL"]}
#: Files a killed write may leave behind (``.<name>.<random>.baru``); never staged.
TEMP_NAME = re.compile(r"^\..+\.baru$")


def is_temp(path: str) -> bool:
    return bool(TEMP_NAME.match(path.rsplit("/", 1)[-1]))


class GitError(RuntimeError):
    """``str()`` is Indonesian and safe to show; ``detail`` is git's own text, for the log only."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


class Conflict(RuntimeError):
    """Something changed since the page was opened; the message is Indonesian."""

    def __init__(self, message: str, files: list[str] | None = None):
        super().__init__(message)
        self.files = files or []


def git(repo: Path, *args: str, timeout: float = 60, check: bool = True, env: dict | None = None,
        raw: bool = False, binary: bool = False):
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary,
                              timeout=timeout, env=full_env)
    except subprocess.TimeoutExpired:
        raise GitError(f"git tidak selesai dalam {int(timeout)} detik", f"git {args[0]}: timeout") from None
    except OSError as exc:
        raise GitError("git tidak dapat dijalankan di server ini; minta petugas kabupaten memasangnya",
                       str(exc)) from None
    if check and proc.returncode != 0:
        err = proc.stderr if not binary else proc.stderr.decode(errors="replace")
        raise GitError("git gagal menjalankan perintahnya", f"git {args[0]}: {err.strip()[-2000:]}")
    if proc.returncode != 0:
        return b"" if binary else ""
    if binary:
        return proc.stdout
    return proc.stdout if raw else proc.stdout.strip()


def repo_root(path: Path) -> Path | None:
    try:
        out = git(Path(path), "rev-parse", "--show-toplevel")
    except GitError:
        return None
    return Path(out).resolve() if out else None


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False) or "-"


def upstream(repo: Path) -> str | None:
    """The upstream branch's commit as last fetched, or None when the branch has no upstream."""
    return git(repo, "rev-parse", "--verify", "-q", "@{upstream}", check=False) or None


def has_remote(repo: Path) -> bool:
    return bool(git(repo, "remote", check=False))


def rel(repo: Path, path: Path) -> str:
    return Path(path).resolve().relative_to(repo).as_posix()


def tree_hash(village_dir: Path) -> str:
    """sha256 over every file's name and bytes in the village folder."""
    h = hashlib.sha256()
    base = Path(village_dir)
    for p in sorted(base.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts):
            h.update(p.relative_to(base).as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class Snapshot:
    tree: str
    head: str

    def token(self) -> str:
        return f"{self.tree}:{self.head}"

    @classmethod
    def parse(cls, token: str) -> "Snapshot":
        parts = (token or "").split(":")
        if len(parts) != 2 or not all(re.fullmatch(r"[0-9a-f]{6,64}|-", p) for p in parts):
            raise Conflict("formulir ini tidak lengkap (penanda versi hilang); muat ulang halaman lalu ulangi")
        return cls(*parts)


def snapshot(repo: Path, village_dir: Path) -> Snapshot:
    return Snapshot(tree_hash(village_dir), head(repo))


def changed_files(repo: Path, village_dir: Path) -> list[tuple[str, str]]:
    """[(status, repo-relative path)] of the village's uncommitted changes; status baru/ubah/hapus."""
    out = git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", rel(repo, village_dir),
              raw=True)
    items = []
    for entry in out.split("\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if is_temp(path):
            continue
        status = "baru" if "?" in code or "A" in code else "hapus" if "D" in code else "ubah"
        items.append((status, path))
    return sorted(items, key=lambda x: x[1])


# What a changed path is about, for commit messages and the history page.
_TOPIC = {"desa.md": "profil", "berita": "berita", "pengumuman": "pengumuman", "apbdes": "APBDes",
          "pembangunan": "pembangunan", "data-desa": "data desa", "dokumen": "dokumen",
          "produk-hukum.csv": "produk hukum", "informasi-publik.csv": "daftar informasi publik",
          "ppid.md": "PPID", "layanan": "layanan", "gambar": "gambar", "halaman": "halaman"}


def topics(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        t = _TOPIC.get(Path(path).parts[0], Path(path).parts[0])
        if t not in out:
            out.append(t)
    return out


def commit_paths(repo: Path, paths: list[str], author: tuple[str, str], message: str) -> str | None:
    """Commit exactly ``paths`` (repo-relative; written or deleted) as ``author``; the new commit, or None
    when nothing in them changed. Nothing else in the index or the work tree is committed."""
    with REPO_LOCK:
        tracked = set(git(repo, "ls-files", "-z", "--", *paths, raw=True).split("\0"))
        paths = [p for p in paths if not is_temp(p) and ((repo / p).exists() or p in tracked)]
        if not paths:
            return None
        git(repo, "add", "--all", "--", *paths)
        if not git(repo, "diff", "--cached", "--name-only", "--", *paths, check=False):
            return None
        name, email = author
        git(repo, "commit", "--quiet", "--no-verify", f"--author={name} <{email}>", "-m", message,
            "--only", "--", *paths, env=COMMITTER)
        return head(repo)


def last_change(repo: Path, path: str) -> tuple[str, str] | None:
    """(author, when) of the latest commit that touched ``path``."""
    out = git(repo, "log", "-1", "--format=%an%x1f%at", "--", path, check=False)
    if not out:
        return None
    name, at = out.split("\x1f")
    return name, dt.datetime.fromtimestamp(int(at)).strftime("%d-%m-%Y %H.%M")


@dataclass
class Entry:
    commit: str
    author: str
    when: str
    subject: str
    files: list[tuple[str, str]] = field(default_factory=list)   # (baru/ubah/hapus, village-relative path)
    restorable: bool = True


_STATUS = {"A": "baru", "M": "ubah", "D": "hapus", "R": "ubah", "C": "baru", "T": "ubah"}


def history(repo: Path, village_dir: Path, limit: int = 100) -> list[Entry]:
    vrel = rel(repo, village_dir)
    out = git(repo, "log", f"-n{limit}", "--no-merges", "--format=%x1e%H%x1f%an%x1f%at%x1f%s%x1f%P",
              "--name-status", "--no-renames", "--", vrel, check=False, raw=True)
    entries = []
    for block in out.split("\x1e")[1:]:
        first, _, rest = block.partition("\n")
        sha, author, at, subject, parents = first.split("\x1f")
        e = Entry(sha, author, dt.datetime.fromtimestamp(int(at)).strftime("%d-%m-%Y %H.%M"), subject,
                  restorable=bool(parents.strip()))
        for line in rest.splitlines():
            if "\t" in line:
                st, path = line.split("\t", 1)
                if path.startswith(vrel + "/"):
                    e.files.append((_STATUS.get(st[:1], "ubah"), path[len(vrel) + 1:]))
        entries.append(e)
    return entries


def commit_exists(repo: Path, sha: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{7,64}", sha or "")) and \
        git(repo, "cat-file", "-t", sha, check=False) == "commit"


def file_at(repo: Path, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` in ``commit``, None when it did not exist there."""
    if git(repo, "cat-file", "-t", f"{commit}:{path}", check=False) != "blob":
        return None
    return git(repo, "show", f"{commit}:{path}", binary=True)


# ------------------------------------------------------------------ publishing

@dataclass
class Outcome:
    status: str                 # terbit | sudah | tersimpan | gagal
    message: str                # Indonesian, no git text, no paths
    commits: int = 0
    link: str = ""


def _fetch(repo: Path) -> bool:
    try:
        git(repo, "fetch", "--quiet", timeout=NETWORK_TIMEOUT)
    except GitError:
        return False
    return True


def _is_ancestor(repo: Path, a: str, b: str) -> bool:
    return subprocess.run(["git", "-C", str(repo), "merge-base", "--is-ancestor", a, b],
                          capture_output=True).returncode == 0


def unpublished(repo: Path, village_dir: Path) -> list[Entry]:
    """This village's saves not yet in the kabupaten's repository (all of them when there is none).

    A publish sends one commit on top of the kabupaten's history and merges it back here, so the saves it
    carried stay outside the kabupaten's history: they are the ones behind such a merge."""
    up = upstream(repo)
    vrel = rel(repo, village_dir)
    if up is None:
        return history(repo, village_dir, 50) if not has_remote(repo) else []
    if not git(repo, "diff", "--name-only", up, "HEAD", "--", vrel, check=False):
        return []
    published_before = []
    for line in git(repo, "rev-list", "--merges", "--parents", f"{up}..HEAD", check=False).splitlines():
        _merge, first, *others = line.split()
        if any(_is_ancestor(repo, p, up) and git(repo, "diff", "--name-only", f"{p}^", p, "--", vrel, check=False)
               for p in others):
            published_before.append(f"^{first}")
    shas = set(git(repo, "rev-list", "--no-merges", f"{up}..HEAD", *published_before, "--", vrel,
                   check=False).split())
    return [e for e in history(repo, village_dir, 200) if e.commit in shas]


def publish(repo: Path, village_dir: Path, nama_desa: str, author: tuple[str, str], seen: Snapshot,
            link: str = "", log=None) -> Outcome:
    """Send this village's saved changes (and only this village's) to the kabupaten's repository."""
    repo = Path(repo).resolve()
    village_dir = Path(village_dir).resolve()
    vrel = rel(repo, village_dir)
    log = log or (lambda *a: None)
    if tree_hash(village_dir) != seen.tree:
        raise Conflict("berkas desa ini berubah sejak halaman Terbitkan dibuka (mungkin disimpan dari jendela "
                       "lain); tidak ada yang diterbitkan. Periksa lagi daftar perubahan lalu tekan Terbitkan.")
    with REPO_LOCK:
        # Files edited by hand on the server (outside Papan Admin) are recorded first, under this account.
        left = [p for _s, p in changed_files(repo, village_dir)]
        if left:
            what = ", ".join(topics([p[len(vrel) + 1:] for p in left]))
            commit_paths(repo, left, author, f"Desa {nama_desa}: perbarui {what}\n\n"
                         "Perubahan di server dicatat saat Terbitkan lewat Papan Admin.\n")
        if not has_remote(repo):
            return Outcome("tersimpan", "Tersimpan di server Papan Admin, tetapi belum terbit: server ini belum "
                           "tersambung ke repositori kabupaten. Minta petugas kabupaten menyambungkannya; semua "
                           "perubahan yang tersimpan akan ikut terbit saat Terbitkan ditekan lagi.")
        if upstream(repo) is None:
            return Outcome("tersimpan", "Tersimpan di server Papan Admin, tetapi belum terbit: cabang riwayat di "
                           "server ini belum dihubungkan ke repositori kabupaten. Minta petugas kabupaten "
                           "menghubungkannya; tidak ada yang hilang.")
        if not _fetch(repo):
            return Outcome("tersimpan", "Tersimpan di server Papan Admin, tetapi belum terbit: repositori "
                           "kabupaten tidak dapat dihubungi (internet putus?). Tekan Terbitkan lagi nanti; tidak "
                           "ada yang hilang.")
        up = upstream(repo)
        mine = len(unpublished(repo, village_dir))
        now = head(repo)
        base = git(repo, "merge-base", now, up, check=False)
        # Changed there since the histories parted, and not to what is here (a publish of ours is not theirs).
        theirs = sorted(set(git(repo, "diff", "--name-only", base, up, "--", vrel, check=False).splitlines())
                        & set(git(repo, "diff", "--name-only", now, up, "--", vrel, check=False).splitlines())) \
            if base else []
        if theirs:
            raise Conflict("data desa ini sudah diubah di repositori kabupaten oleh orang lain; tidak ada yang "
                           "diterbitkan dan tidak ada yang ditimpa. Minta petugas kabupaten menggabungkan "
                           "perubahannya, lalu tekan Terbitkan lagi.", [t[len(vrel) + 1:] for t in theirs])
        diff = git(repo, "diff", "--name-only", up, now, "--", vrel, check=False)
        if not diff:
            return Outcome("sudah", "Tidak ada perubahan baru: semua yang tersimpan untuk desa ini sudah terbit.",
                           link=link)
        # One commit on top of the kabupaten's branch holding this village's folder as saved here, nothing else.
        fd, index = tempfile.mkstemp(prefix="papan-indeks-")
        os.close(fd)
        os.unlink(index)
        env = {"GIT_INDEX_FILE": index}
        try:
            git(repo, "read-tree", up, env=env)
            git(repo, "rm", "-r", "--cached", "-f", "-q", "--ignore-unmatch", "--", vrel, env=env)
            git(repo, "read-tree", f"--prefix={vrel}/", f"{now}:{vrel}", env=env)
            tree = git(repo, "write-tree", env=env)
        finally:
            try:
                os.unlink(index)
            except FileNotFoundError:
                pass
        changed = diff.splitlines()
        msg = (f"Desa {nama_desa}: perbarui {', '.join(topics([p[len(vrel) + 1:] for p in changed]))}\n\n"
               f"Diterbitkan lewat Papan Admin oleh {author[0]}.\n\nBerkas:\n"
               + "".join(f"- {p}\n" for p in changed))
        name, email = author
        sha = git(repo, "commit-tree", tree, "-p", up, "-m", msg,
                  env={**COMMITTER, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email})
        remote_branch = git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
        remote, _, rbranch = remote_branch.partition("/")
        try:
            git(repo, "push", "--quiet", remote, f"{sha}:refs/heads/{rbranch}", timeout=NETWORK_TIMEOUT)
        except GitError as exc:
            log("push gagal: %s", exc.detail)
            if re.search(r"rejected|non-fast-forward|fetch first", exc.detail):
                return Outcome("gagal", "Belum terbit: repositori kabupaten berubah pada saat yang sama. Tekan "
                               "Terbitkan sekali lagi; tidak ada yang hilang.")
            if re.search(r"denied|403|401|Authentication|Permission", exc.detail, re.I):
                return Outcome("gagal", "Belum terbit: repositori kabupaten menolak kiriman dari server ini (izin). "
                               "Minta petugas kabupaten memeriksa hak kirim server Papan Admin; perubahan tetap "
                               "tersimpan.")
            return Outcome("tersimpan", "Tersimpan di server Papan Admin, tetapi belum terbit: kiriman ke "
                           "repositori kabupaten terputus. Tekan Terbitkan lagi nanti; tidak ada yang hilang.")
        # The server's history takes the published commit in (other villages' unpublished saves stay as they are).
        git(repo, "fetch", "--quiet", remote, check=False, timeout=NETWORK_TIMEOUT)
        try:
            if _is_ancestor(repo, now, sha):
                git(repo, "merge", "--ff-only", "--quiet", sha, env=COMMITTER)
            else:
                git(repo, "merge", "--no-edit", "--quiet", "-m", f"Gabungkan terbitan Desa {nama_desa}", sha,
                    env=OWN)
        except GitError as exc:
            log("merge setelah terbit gagal: %s", exc.detail)
            git(repo, "merge", "--abort", check=False)
        return Outcome("terbit", f"Terbit: {mine} perubahan terkirim ke repositori kabupaten. Situs "
                       "desa diperbarui otomatis dalam beberapa menit.", mine, link)
