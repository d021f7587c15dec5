"""Terbitkan: commit one village's changed files and push them to the kabupaten's repository.

Git runs as a subprocess with fixed arguments (never a shell). What the admin saw
when the page was opened is remembered as a :class:`Snapshot`; publishing is
refused, and nothing is committed or overwritten, when the village's files, the
local history or the kabupaten's repository changed the village since then.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

NETWORK_TIMEOUT = 30


class GitError(RuntimeError):
    pass


class Conflict(RuntimeError):
    """Something changed since the page was opened; the message is Indonesian."""

    def __init__(self, message: str, files: list[str] | None = None):
        super().__init__(message)
        self.files = files or []


def git(repo: Path, *args: str, timeout: float = 60, check: bool = True, env: dict | None = None,
        raw: bool = False) -> str:
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=timeout,
                              env=full_env)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} tidak selesai dalam {int(timeout)} detik") from None
    except OSError as exc:
        raise GitError(f"git tidak dapat dijalankan ({exc.strerror}); pasang git terlebih dahulu") from None
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]} gagal: {(proc.stderr or proc.stdout).strip()[-500:]}")
    if proc.returncode != 0:
        return ""
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


def fetch(repo: Path) -> str | None:
    """Fetch the upstream branch; returns an Indonesian note when offline (the village office often is)."""
    if upstream(repo) is None:
        return None
    try:
        git(repo, "fetch", "--quiet", timeout=NETWORK_TIMEOUT)
    except GitError as exc:
        return f"repositori kabupaten tidak dapat dihubungi ({exc}); pemeriksaan perubahan di sana memakai data terakhir"
    return None


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
    upstream: str

    def token(self) -> str:
        return f"{self.tree}:{self.head}:{self.upstream}"

    @classmethod
    def parse(cls, token: str) -> "Snapshot":
        parts = (token or "").split(":")
        if len(parts) != 3 or not all(re.fullmatch(r"[0-9a-f]{6,64}|-", p) for p in parts):
            raise Conflict("formulir ini tidak lengkap (penanda versi hilang); muat ulang halaman lalu ulangi")
        return cls(*parts)


def snapshot(repo: Path, village_dir: Path) -> Snapshot:
    return Snapshot(tree_hash(village_dir), head(repo), upstream(repo) or "-")


def rel(repo: Path, path: Path) -> str:
    return Path(path).resolve().relative_to(repo).as_posix()


def changed_files(repo: Path, village_dir: Path) -> list[tuple[str, str]]:
    """[(status, repo-relative path)] of the village's uncommitted changes; status baru/ubah/hapus."""
    out = git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", rel(repo, village_dir),
              raw=True)
    items = []
    for entry in out.split("\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        status = "baru" if "?" in code or "A" in code else "hapus" if "D" in code else "ubah"
        items.append((status, path))
    return sorted(items, key=lambda x: x[1])


def changed_since(repo: Path, old: str, new: str, path: str) -> list[str]:
    """Files under ``path`` that differ between two commits ("-" = no commit)."""
    if old == new:
        return []
    if "-" in (old, new):
        return [path]   # a history that appeared or vanished: be safe, call it a change
    out = git(repo, "diff", "--name-only", old, new, "--", path, check=False)
    return [line for line in out.splitlines() if line]


# What a changed path is about, for the commit message.
_TOPIC = {"desa.md": "profil", "berita": "berita", "pengumuman": "pengumuman", "apbdes": "APBDes",
          "pembangunan": "pembangunan", "data-desa": "data desa", "dokumen": "dokumen",
          "produk-hukum.csv": "produk hukum", "informasi-publik.csv": "daftar informasi publik",
          "ppid.md": "PPID", "layanan": "layanan", "gambar": "gambar", "halaman": "halaman"}


def commit_message(nama_desa: str, slug: str, files: list[tuple[str, str]], village_rel: str, author: str) -> str:
    topics = []
    for _status, path in files:
        first = Path(path).relative_to(village_rel).parts[0]
        t = _TOPIC.get(first, first)
        if t not in topics:
            topics.append(t)
    subject = f"Desa {nama_desa}: perbarui {', '.join(topics)}" if topics else f"Desa {nama_desa}: perbarui data"
    body = [f"Diterbitkan lewat Papan Admin oleh {author}.", "", "Berkas:"]
    body += [f"- {path} ({status})" for status, path in files]
    return subject + "\n\n" + "\n".join(body) + "\n"


@dataclass
class Published:
    commit: str
    files: list[tuple[str, str]] = field(default_factory=list)
    pushed: bool = False
    note: str = ""


def publish(repo: Path, village_dir: Path, nama_desa: str, author_name: str, author_email: str,
            seen: Snapshot) -> Published:
    """Commit the village's changed files (and push when there is a remote); :class:`Conflict` when anything
    changed since ``seen`` was taken; :class:`GitError` when git fails."""
    repo = Path(repo).resolve()
    village_dir = Path(village_dir).resolve()
    vrel = rel(repo, village_dir)
    if tree_hash(village_dir) != seen.tree:
        raise Conflict("berkas desa ini berubah sejak halaman Terbitkan dibuka (mungkin disimpan dari jendela lain); "
                       "tidak ada yang diterbitkan. Periksa lagi daftar perubahan lalu tekan Terbitkan.")
    now = head(repo)
    touched = changed_since(repo, seen.head, now, vrel)
    if touched:
        raise Conflict("riwayat git di komputer ini mengubah berkas desa ini sejak halaman dibuka; tidak ada yang "
                       "diterbitkan dan tidak ada yang ditimpa. Muat ulang halaman.", touched)
    note = ""
    pushed = False
    remote = has_remote(repo)
    if remote:
        note = fetch(repo) or ""
        up = upstream(repo)
        if up and up != now:
            theirs = git(repo, "diff", "--name-only", f"{now}...{up}", "--", vrel, check=False).splitlines()
            if theirs:
                raise Conflict("berkas desa ini sudah diubah di repositori kabupaten sejak halaman dibuka; tidak ada "
                               "yang diterbitkan dan tidak ada yang ditimpa. Minta petugas kabupaten "
                               "menggabungkan perubahannya, lalu ulangi.", theirs)
            # Upstream moved elsewhere (other villages): take it first, so the push is a fast-forward.
            behind = git(repo, "rev-list", "--count", f"{now}..{up}", check=False)
            if behind and behind != "0":
                try:
                    git(repo, "merge", "--ff-only", "--quiet", up)
                except GitError:
                    note = ("riwayat di komputer ini dan di repositori kabupaten bercabang; perubahan disimpan di "
                            "komputer ini tetapi perlu digabungkan oleh petugas kabupaten")
    files = changed_files(repo, village_dir)
    if not files:
        if remote and not note and push_pending(repo):
            return Published(head(repo), [], True, "perubahan yang tertunda sudah terkirim")
        raise Conflict("tidak ada perubahan pada berkas desa ini untuk diterbitkan")
    git(repo, "add", "--all", "--", vrel)
    ident = {}
    if not git(repo, "config", "user.email", check=False):
        ident = {"GIT_COMMITTER_NAME": author_name, "GIT_COMMITTER_EMAIL": author_email}
    msg = commit_message(nama_desa, village_dir.name, files, vrel, author_name)
    git(repo, "commit", "--quiet", "--no-verify", f"--author={author_name} <{author_email}>", "-m", msg,
        "--", vrel, env=ident)
    sha = head(repo)
    if remote and upstream(repo) is not None and not note.startswith("riwayat"):
        try:
            git(repo, "push", "--quiet", timeout=NETWORK_TIMEOUT)
            pushed = True
        except GitError as exc:
            note = (f"perubahan sudah disimpan (commit {sha[:8]}) tetapi belum terkirim ke repositori kabupaten "
                    f"({exc}); tekan Terbitkan lagi saat ada internet")
    elif remote and upstream(repo) is None:
        note = "cabang ini belum punya upstream (git push -u); perubahan disimpan di komputer ini saja"
    return Published(sha, files, pushed, note)


def push_pending(repo: Path) -> bool:
    """Push commits that an earlier offline publish left behind; True when something was pushed."""
    if upstream(repo) is None:
        return False
    ahead = git(repo, "rev-list", "--count", "@{upstream}..HEAD", check=False)
    if not ahead or ahead == "0":
        return False
    git(repo, "push", "--quiet", timeout=NETWORK_TIMEOUT)
    return True
