"""Pratinjau (the village built by the real build) and Terbitkan (send this village's saves)."""
from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from markupsafe import escape
from werkzeug.security import safe_join

from .. import gitops
from ..access import current_user
from ..preview import build_preview, preview_dir
from ..state import admin

bp = Blueprint("terbit", __name__)


@bp.post("/desa/<slug>/pratinjau")
def pratinjau_bangun(slug):
    a = admin()
    a.vdir(slug)
    report = build_preview(a.root, a.settings_file, a.villages, slug, a.work, registry=a.registry_path)
    if not report.ok:
        # A withheld file (its year or notice stays at its last good version) is listed like a failure.
        problems = [p.message for p in report.failed.get(slug, []) + report.withheld.get(slug, [])] + \
            [p.message for p in report.kabupaten_problems]
        return render_template("pesan.html", judul="Pratinjau belum dapat dibuat",
                               pesan="Perbaiki dulu hal berikut; situs yang sudah terbit tidak berubah.",
                               daftar=problems, kembali=url_for("desa.desa", slug=slug)), 422
    from flask import redirect
    return redirect(url_for("terbit.pratinjau", slug=slug, path=f"{slug}/"))


_BODY = re.compile(rb"<body[^>]*>", re.I)


@bp.get("/pratinjau/<slug>/", defaults={"path": ""})
@bp.get("/pratinjau/<slug>/<path:path>")
def pratinjau(slug, path):
    a = admin()
    a.vdir(slug)
    base = preview_dir(a.work, slug)
    target = safe_join(str(base), path) if path else str(base)
    if target is None:
        abort(404)
    t = Path(target)
    if t.is_dir():
        t = t / "index.html"
    if not t.is_file():
        abort(404)
    if t.suffix == ".html":
        # A way back to Papan Admin on every preview page (the page itself is the public site's, unchanged).
        html = t.read_bytes()
        back = (f'<p class="papan-admin-kembali" style="margin:0;padding:.5rem 1rem;background:#fff3c4">'
                f'Pratinjau · <a href="{escape(url_for("desa.desa", slug=slug))}">← Kembali ke Papan Admin</a></p>')
        m = _BODY.search(html)
        if m:
            html = html[:m.end()] + back.encode() + html[m.end():]
        resp = current_app.response_class(html, mimetype="text/html")
        resp.headers["Cache-Control"] = "no-store"
        return resp
    return send_file(t, max_age=0)


def _page(slug: str, outcome=None, conflict=None, status: int = 200):
    a = admin()
    d = a.vdir(slug)
    if a.repo is None:
        return render_template("pesan.html", judul="Belum ada repositori git",
                               pesan="Folder desa ini tidak berada di dalam repositori git, jadi tidak dapat "
                                     "diterbitkan dari sini. Minta petugas kabupaten menyiapkannya.",
                               kembali=url_for("desa.desa", slug=slug)), 409
    snap = gitops.snapshot(a.repo, d)
    return render_template("terbitkan.html", slug=slug, nama=a.nama_desa(d),
                           pending=gitops.unpublished(a.repo, d),
                           loose=[(s, p[len(gitops.rel(a.repo, d)) + 1:]) for s, p in gitops.changed_files(a.repo, d)],
                           token=snap.token(), outcome=outcome, conflict=conflict,
                           errors=a.checker.village(slug).errors, remote=gitops.has_remote(a.repo)), status


def publish_village(slug: str, token: str | None = None):
    """Publish now (after a save, or from the Terbitkan form); renders the Terbitkan page with the outcome."""
    a = admin()
    d = a.vdir(slug)
    if a.repo is None:
        return _page(slug)
    problems = a.checker.village(slug)
    if problems.errors:
        return _page(slug, conflict=gitops.Conflict("data desa masih punya kesalahan; perbaiki dulu agar dapat "
                                                    "terbit"), status=409)
    with a.locks.hold(slug):
        try:
            seen = gitops.Snapshot.parse(token) if token is not None else gitops.snapshot(a.repo, d)
            outcome = gitops.publish(a.repo, d, a.nama_desa(d), current_user().author, seen, a.link(slug),
                                     log=current_app.logger.warning)
        except gitops.Conflict as exc:
            return _page(slug, conflict=exc, status=409)
        except gitops.GitError as exc:
            current_app.logger.error("terbitkan %s: %s", slug, exc.detail)
            outcome = gitops.Outcome("gagal", f"Belum terbit: {exc}. Perubahan tetap tersimpan di server; minta "
                                     "petugas kabupaten memeriksa repositori di server Papan Admin.")
    return _page(slug, outcome=outcome, status=200 if outcome.status in ("terbit", "sudah") else 202
                 if outcome.status == "tersimpan" else 502)


@bp.route("/desa/<slug>/terbitkan", methods=["GET", "POST"])
def terbitkan(slug):
    if request.method == "POST":
        return publish_village(slug, request.form.get("versi", ""))
    return _page(slug)
