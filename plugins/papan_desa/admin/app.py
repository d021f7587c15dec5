"""Papan Admin: the web app in which village operators edit their village's files.

Flask (see docs/panduan-admin.md for why) serves forms generated from the schema
declarations. :func:`create_app` only wires things together: the blueprints in
:mod:`.routes` (login, village pages, budget import, documents, publishing,
accounts), the one access check in :mod:`.access`, and the shared state in
:mod:`.state`; the work is done by plain functions (:mod:`.editing`,
:mod:`.gitops`, :mod:`.uploads`, :mod:`.check`).
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from ..guard import _fmt_size, batas, load_allowlist
from ..problems import Problems
from ..registry import load_registry
from ..sanitize import render_markdown
from . import access, gitops
from .access import is_loopback
from .accounts import AccountStore, default_path
from .check import Checker
from .kinds import UPLOADS, kinds
from .routes import BLUEPRINTS
from .state import Admin
from .throttle import Throttle
from .uploads import KINDS as UPLOAD_KINDS
from .uploads import size_limit

HERE = Path(__file__).parent

__all__ = ["create_app", "is_loopback", "max_request"]


def max_request(limits: dict) -> int:
    """One request carries at most two uploads of the largest kind allowed, plus the form."""
    return 2 * max(size_limit(kind, limits) for kind in UPLOAD_KINDS) + 1024 * 1024


def create_app(root: Path, villages_dir: Path | None = None, *, settings_file: Path | None = None,
               work_dir: Path | None = None, registry: Path | None = None, secret_key: bytes | None = None,
               accounts: Path | None = None, public: bool = False, throttle: Throttle | None = None,
               siteurl: str | None = None, testing: bool = False) -> Flask:
    """The admin app for the villages in ``villages_dir`` of the project at ``root`` (pelicanconf.py, theme).

    ``accounts``: the accounts file (default :func:`.accounts.default_path`); ``public``: the server listens
    beyond 127.0.0.1, so every page asks to log in even before an account exists.
    """
    from ..build import BuildOptions, _resolve, load_settings

    root = Path(root).resolve()
    settings_file = Path(settings_file or root / "pelicanconf.py").resolve()
    opts = BuildOptions(root=root, settings_file=settings_file, villages_dir=villages_dir, registry=registry)
    settings = load_settings(opts)
    _resolve(opts, settings)
    villages = Path(opts.villages_dir).resolve()
    registry_path = Path(registry or root / settings.get("PAPAN_REGISTRY", "data/wonosobo-wilayah-2025.csv"))
    kab = Problems(root=root)
    reg = load_registry(registry_path, kab) if registry_path.is_file() else None
    allow = load_allowlist(root / settings.get("PAPAN_PRIVASI_IZIN", "privasi-izin.csv"), kab)
    limits = batas(settings)
    work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="papan-admin-"))
    work.mkdir(parents=True, exist_ok=True)

    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"),
                static_url_path="/_admin")
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=max_request(limits),
        # A long news post may take more than an hour to write: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_NAME="papan_admin",
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=access.SESSION_HOURS * 3600,
        TESTING=testing,
    )
    state = Admin(
        root=root, settings_file=settings_file, villages=villages, work=work, registry_path=registry_path,
        checker=Checker(villages, reg, allow, work, limits), kinds=kinds(),
        accounts=AccountStore(accounts or default_path(root)), throttle=throttle or Throttle(), public=public,
        siteurl=siteurl if siteurl is not None else (os.environ.get("PAPAN_SITEURL") or settings.get("SITEURL")
                                                     or ""),
        kab_problems=kab.items, repo=gitops.repo_root(villages), limits=limits)
    app.extensions["papan"] = state
    app.extensions["papan_checker"] = state.checker
    # The access check first, so that a page of another village is refused before anything else looks at it.
    access.install(app)
    CSRFProtect(app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    app.jinja_env.globals.update(KINDS=state.kinds, UPLOADS=UPLOADS)
    # Schema descriptions are Markdown (they also make docs/format-data.md); rendered by the build's sanitiser.
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin: the CSRF check over HTTPS compares the Referer with this host; other sites get nothing.
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_template("pesan.html", judul="Formulir kedaluwarsa",
                               pesan="Formulir ini tidak memuat penanda keamanan yang benar (mungkin dibuka sebelum "
                                     "Papan Admin dimulai ulang, atau Anda sudah keluar). Tidak ada yang disimpan. "
                                     "Buka lagi halamannya, lalu ulangi."), 400

    @app.errorhandler(RequestEntityTooLarge)
    def _too_big(exc):
        return render_template("pesan.html", judul="Berkas terlalu besar",
                               pesan=f"Kiriman paling besar {_fmt_size(app.config['MAX_CONTENT_LENGTH'])}. Tidak ada "
                                     "yang disimpan. "
                                     "Perkecil fotonya atau pecah dokumennya."), 413

    @app.errorhandler(404)
    def _nf(exc):
        return render_template("pesan.html", judul="Halaman tidak ada",
                               pesan="Alamat ini tidak ada di Papan Admin."), 404

    @app.errorhandler(403)
    def _forbidden(exc):
        text = getattr(exc, "description", "") or ""
        if not text or text.startswith("You don't"):
            text = "Anda tidak berhak membuka halaman ini."
        return render_template("pesan.html", judul="Tidak diizinkan", pesan=text), 403

    @app.errorhandler(405)
    def _method(exc):
        return render_template("pesan.html", judul="Tidak dapat dilakukan",
                               pesan="Alamat ini tidak menerima cara kiriman itu."), 405

    @app.errorhandler(500)
    def _error(exc):
        return render_template("pesan.html", judul="Terjadi kesalahan di server",
                               pesan="Tidak ada yang disimpan dari kiriman ini. Coba sekali lagi; bila terulang, "
                                     "beri tahu petugas kabupaten jam kejadiannya."), 500

    return app
