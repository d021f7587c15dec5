"""What every part of Papan Admin shares: folders, the checker, accounts, locks (``current_app.extensions``)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import abort, current_app

from ..profil import PROFIL
from ..village import SLUG
from . import gitops
from .accounts import AccountStore
from .check import Checker
from .files import read_markdown
from .kinds import Kind
from .throttle import Throttle


class VillageLocks:
    """One lock per village: a save's check, write and commit happen as one step."""

    def __init__(self):
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, slug: str):
        with self._guard:
            lock = self._locks.setdefault(slug, threading.Lock())
        with lock:
            yield


@dataclass
class Admin:
    root: Path
    settings_file: Path
    villages: Path
    work: Path
    registry_path: Path
    checker: Checker
    kinds: dict[str, Kind]
    accounts: AccountStore
    throttle: Throttle
    public: bool                       # listening beyond 127.0.0.1: every page asks to log in
    siteurl: str = ""
    kab_problems: list = field(default_factory=list)
    limits: dict = field(default_factory=dict)     # guard.batas(settings): the build's and importer's limits
    locks: VillageLocks = field(default_factory=VillageLocks)
    repo: Path | None = None

    @property
    def tmp(self) -> Path:
        """Temporary files of writes: in the work folder, never in the repository."""
        p = self.work / "tulis"
        p.mkdir(parents=True, exist_ok=True)
        return p

    def login_required(self) -> bool:
        return self.public or bool(self.accounts)

    def vdir(self, slug: str) -> Path:
        if not SLUG.fullmatch(slug or "") or not (self.villages / slug).is_dir():
            abort(404)
        return self.villages / slug

    def kind(self, name: str) -> Kind:
        k = self.kinds.get(name)
        if k is None:
            abort(404)
        return k

    def nama_desa(self, d: Path) -> str:
        return read_markdown(d / PROFIL.path, PROFIL).values.get("nama") or d.name

    def jenis_desa(self, d: Path) -> str:
        """"desa" or "kelurahan" as desa.md says (a kelurahan has no APBDes: its budget is the kabupaten's)."""
        return "kelurahan" if read_markdown(d / PROFIL.path, PROFIL).values.get("jenis") == "kelurahan" else "desa"

    def village_rel(self, d: Path, rel: str) -> str:
        return gitops.rel(self.repo, d / rel) if self.repo else rel

    def link(self, slug: str) -> str:
        return f"{self.siteurl.rstrip('/')}/{slug}/" if self.siteurl else ""


def admin() -> Admin:
    return current_app.extensions["papan"]
