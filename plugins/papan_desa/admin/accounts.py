"""Papan Admin accounts: one per village operator (``desa``) or for the kabupaten (``kabupaten``).

Passwords are kept only as argon2id hashes (argon2-cffi: the reference
implementation's bindings, salted, slow by design, parameters carried in the hash
so they can be raised later). The file lives outside the published site and
outside git: by default ``.papan-admin/pengguna.json`` beside ``pelicanconf.py``
(git-ignored; the build never reads it), or where ``PAPAN_ADMIN_PENGGUNA`` /
``--pengguna`` points. It is written atomically with mode 0600, beside the
session secret (``rahasia-sesi``).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .files import atomic_write

#: Account names: what the operator types to log in; also the git author's name.
ACCOUNT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
FOLDER = ".papan-admin"

_hasher = PasswordHasher()
#: Verified against when the account does not exist, so a wrong name takes as long as a wrong password.
_DUMMY = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """The message is Indonesian."""


@dataclass
class Account:
    name: str
    hash: str
    desa: list[str] = field(default_factory=list)
    kabupaten: bool = False
    email: str = ""

    def may(self, slug: str) -> bool:
        return self.kabupaten or slug in self.desa

    @property
    def generation(self) -> str:
        """Changes whenever the password changes: sessions opened before are no longer valid."""
        return hashlib.sha256(self.hash.encode()).hexdigest()[:16]

    @property
    def author(self) -> tuple[str, str]:
        return self.name, self.email or f"{self.name}@papan-admin.invalid"

    @property
    def role(self) -> str:
        return "kabupaten" if self.kabupaten else "desa " + ", ".join(self.desa)


#: The one person at the keyboard when Papan Admin runs on 127.0.0.1 with no accounts.
def local_account() -> Account:
    import getpass

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - any platform without a user name
        who = "operator"
    return Account(name=who or "operator", hash="", kabupaten=True, email=f"{who}@localhost")


def default_dir(root: Path) -> Path:
    return Path(os.environ.get("PAPAN_ADMIN_DIR") or Path(root) / FOLDER)


def default_path(root: Path) -> Path:
    env = os.environ.get("PAPAN_ADMIN_PENGGUNA")
    return Path(env) if env else default_dir(root) / "pengguna.json"


def _write_private(path: Path, data: bytes) -> None:
    """Atomically, readable by the server's user only, in a folder only it can enter."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, data, mode=0o600)


def session_secret(folder: Path) -> bytes:
    """The key that signs session cookies, made once and kept (0600) beside the accounts file."""
    path = Path(folder) / "rahasia-sesi"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = secrets.token_bytes(48)
    _write_private(path, data)
    return data


class AccountStore:
    """The accounts file; re-read when it changed on disk (the CLI may edit it while the server runs)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._accounts: dict[str, Account] = {}

    def _load(self) -> dict[str, Account]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._accounts = None, {}
            return self._accounts
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp != self._stamp:
            raw = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            self._accounts = {n: Account(name=n, hash=a["hash"], desa=list(a.get("desa", [])),
                                         kabupaten=bool(a.get("kabupaten")), email=a.get("email", ""))
                              for n, a in raw.get("pengguna", {}).items()}
            self._stamp = stamp
        return self._accounts

    def all(self) -> list[Account]:
        with self._lock:
            return sorted(self._load().values(), key=lambda a: a.name)

    def get(self, name: str) -> Account | None:
        with self._lock:
            return self._load().get(name)

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._load())

    def _save(self, accounts: dict[str, Account]) -> None:
        data = {"pengguna": {a.name: {"hash": a.hash, "desa": a.desa, "kabupaten": a.kabupaten,
                                      **({"email": a.email} if a.email else {})}
                             for a in sorted(accounts.values(), key=lambda a: a.name)}}
        _write_private(self.path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())
        self._stamp = None

    def add(self, name: str, password: str, *, desa: list[str] = (), kabupaten: bool = False,
            email: str = "") -> Account:
        if not ACCOUNT_NAME.fullmatch(name or ""):
            raise AccountError(f'nama pengguna 2–40 huruf kecil, angka, titik, garis bawah atau tanda hubung, '
                               f'seperti "sri.kaligowong"; ditemukan "{name}"')
        if not kabupaten and not desa:
            raise AccountError("sebutkan desanya (--desa SLUG, boleh lebih dari satu) atau --kabupaten")
        check_password(password)
        with self._lock:
            accounts = dict(self._load())
            if name in accounts:
                raise AccountError(f'pengguna "{name}" sudah ada; pakai ganti-sandi untuk mengganti kata sandinya')
            acc = Account(name, _hasher.hash(password), sorted(set(desa)), kabupaten, email)
            accounts[name] = acc
            self._save(accounts)
            return acc

    def remove(self, name: str) -> None:
        with self._lock:
            accounts = dict(self._load())
            if name not in accounts:
                raise AccountError(f'pengguna "{name}" tidak ada')
            del accounts[name]
            self._save(accounts)

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        with self._lock:
            accounts = dict(self._load())
            if name not in accounts:
                raise AccountError(f'pengguna "{name}" tidak ada')
            old = accounts[name]
            accounts[name] = Account(old.name, _hasher.hash(password), old.desa, old.kabupaten, old.email)
            self._save(accounts)

    def verify(self, name: str, password: str) -> Account | None:
        acc = self.get(name)
        try:
            _hasher.verify(acc.hash if acc else _DUMMY, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        return acc


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"kata sandi paling sedikit {MIN_PASSWORD} karakter; ditemukan {len(password or '')}")
    if any(ord(c) < 32 for c in password):
        raise AccountError("kata sandi tidak boleh berisi karakter kendali (Tab, baris baru)")
