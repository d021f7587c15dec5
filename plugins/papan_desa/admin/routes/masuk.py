"""Logging in and out."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from ..access import current_user, log_in
from ..state import admin
from ..throttle import minutes

bp = Blueprint("masuk", __name__)


def _safe_next(target: str) -> str:
    # Only a path of this app (never "//other.site" or a full address).
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("desa.index")


@bp.route("/masuk", methods=["GET", "POST"])
def masuk():
    a = admin()
    if not a.login_required():
        return redirect(url_for("desa.index"))
    lanjut = request.values.get("lanjut", "")
    if request.method == "GET":
        return render_template("masuk.html", lanjut=lanjut, nama="", galat="")
    nama = (request.form.get("nama") or "").strip().lower()
    sandi = request.form.get("sandi") or ""
    address = request.remote_addr or "-"
    wait = a.throttle.wait(nama, address)
    if wait:
        return render_template("masuk.html", lanjut=lanjut, nama=nama, galat=(
            f"Terlalu banyak kata sandi salah. Coba lagi dalam {minutes(wait)} menit.")), 429, \
            {"Retry-After": str(wait)}
    acc = a.accounts.verify(nama, sandi) if nama and sandi else None
    if acc is None:
        a.throttle.failed(nama, address)
        return render_template("masuk.html", lanjut=lanjut, nama=nama,
                               galat="Nama pengguna atau kata sandi salah."), 401
    a.throttle.succeeded(nama)
    log_in(acc)
    if not acc.kabupaten and len(acc.desa) == 1 and lanjut in ("", "/"):
        return redirect(url_for("desa.desa", slug=acc.desa[0]))
    return redirect(_safe_next(lanjut))


@bp.post("/keluar")
def keluar():
    name = current_user().name
    session.clear()
    flash(f"{name} sudah keluar dari Papan Admin.", "ok")
    return redirect(url_for("masuk.masuk"))
