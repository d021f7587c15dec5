"""Who may open what: login, sessions and per-village access, checked in ONE place for every route.

:func:`install` registers a ``before_request`` on the app, so it runs before every
view of every blueprint: a route that takes a ``<slug>`` is refused (403) for an
account that is not an operator of that village, without the route doing anything;
the accounts pages are for the kabupaten only. A route cannot forget the check.
"""
from __future__ import annotations

import ipaddress
import time

from flask import abort, g, render_template, request, session, url_for, redirect
from flask.sessions import SecureCookieSessionInterface

from .accounts import Account, local_account
from .state import admin

#: Endpoints open without logging in (the login form itself and the stylesheet).
OPEN = frozenset({"static", "masuk.masuk"})
SESSION_HOURS = 8


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def request_host() -> str:
    host = request.host or ""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is marked Secure whenever the request came over HTTPS (directly or, with
    ``--proxy``, through the reverse proxy's X-Forwarded-Proto)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def user_from_session() -> Account | None:
    name = session.get("u")
    if not name:
        return None
    acc = admin().accounts.get(name)
    if acc is None or session.get("g") != acc.generation:
        session.clear()         # deleted, or the password was changed: every session of it ends
        return None
    if time.time() - float(session.get("t", 0)) > SESSION_HOURS * 3600:
        session.clear()
        return None
    return acc


def log_in(acc: Account) -> None:
    session.clear()
    session.permanent = True
    session.update(u=acc.name, g=acc.generation, t=time.time())


def current_user() -> Account:
    return g.user


def install(app) -> None:
    app.session_interface = SessionInterface()

    @app.before_request
    def _who_and_where():
        a = admin()
        if not a.login_required():
            # One person at this computer: no accounts, and only this computer's names are answered
            # (a page of another site cannot rebind DNS to it).
            if not is_loopback(request_host()):
                abort(403, "Papan Admin tanpa akun hanya melayani komputer ini (127.0.0.1).")
            g.user = local_account()
            return None
        if request.endpoint in OPEN:
            g.user = user_from_session()
            return None
        user = user_from_session()
        if user is None:
            if request.method in ("GET", "HEAD"):
                return redirect(url_for("masuk.masuk", lanjut=request.full_path.rstrip("?")))
            return render_template("masuk.html", lanjut="", nama="", galat=(
                "Sesi Anda berakhir sebelum formulir ini terkirim, jadi tidak ada yang disimpan. Masuk lagi, lalu "
                "tekan tombol Kembali di peramban: isian Anda biasanya masih ada di sana.")), 401
        g.user = user
        slug = (request.view_args or {}).get("slug")
        if slug is not None and not user.may(slug):
            abort(403, "Akun Anda bukan operator desa ini; halaman ini tidak dapat dibuka dan tidak ada yang diubah.")
        if request.blueprint == "pengguna" and not user.kabupaten:
            abort(403, "Halaman pengguna hanya untuk akun kabupaten.")
        return None

    @app.context_processor
    def _user():
        return {"user": getattr(g, "user", None), "login_required": admin().login_required()}
