"""Accounts, for the kabupaten's account only (the same store as ``papan admin pengguna``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ...village import village_dirs
from ..accounts import AccountError
from ..state import admin

bp = Blueprint("pengguna", __name__, url_prefix="/pengguna")


@bp.route("/", methods=["GET", "POST"])
def daftar():
    a = admin()
    slugs = [p.name for p in village_dirs(a.villages)]
    galat = ""
    form = {"nama": "", "desa": [], "kabupaten": False}
    if request.method == "POST":
        form = {"nama": (request.form.get("nama") or "").strip().lower(), "desa": request.form.getlist("desa"),
                "kabupaten": request.form.get("kabupaten") == "ya"}
        unknown = [s for s in form["desa"] if s not in slugs]
        try:
            if unknown:
                raise AccountError(f"desa tidak dikenal: {', '.join(unknown)}")
            a.accounts.add(form["nama"], request.form.get("sandi") or "", desa=form["desa"],
                           kabupaten=form["kabupaten"])
        except AccountError as exc:
            galat = str(exc)
        else:
            flash(f"Pengguna {form['nama']} dibuat.", "ok")
            return redirect(url_for("pengguna.daftar"))
    return render_template("pengguna.html", accounts=a.accounts.all(), slugs=slugs, galat=galat, form=form), \
        (422 if galat else 200)


@bp.post("/<nama>/hapus")
def hapus(nama):
    a = admin()
    try:
        a.accounts.remove(nama)
    except AccountError as exc:
        flash(str(exc), "galat")
    else:
        flash(f"Pengguna {nama} dihapus; sesinya berakhir.", "ok")
    return redirect(url_for("pengguna.daftar"))
