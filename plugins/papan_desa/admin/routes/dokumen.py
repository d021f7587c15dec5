"""Documents (PDF) a village offers for download."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from slugify import slugify

from ..access import current_user
from ..editing import save
from ..state import admin
from ..uploads import UploadRefused, clean_upload, free_name, read_upload

bp = Blueprint("dokumen", __name__)


@bp.route("/desa/<slug>/dokumen/", methods=["GET", "POST"])
def dokumen(slug):
    a = admin()
    d = a.vdir(slug)
    errors: list[str] = []
    if request.method == "POST":
        storage = request.files.get("berkas")
        if storage is None or not storage.filename:
            errors.append("pilih dokumen PDF yang akan diunggah")
        else:
            try:
                data, ext, stem = read_upload(storage, "dokumen", a.limits)
                data = clean_upload(data, ext, "dokumen", a.limits)
                wanted = slugify(request.form.get("nama") or "", max_length=80) or stem
                rel = free_name(d, "dokumen", wanted, ext, data)
                saved = save(a, d, {rel: data}, current_user(), f"unggah {rel}", watched=[], token=None)
                if saved.ok:
                    flash(f"Tersimpan: {rel}. Tautkan dari Produk hukum atau Daftar informasi publik.", "ok")
                    return redirect(url_for("dokumen.dokumen", slug=slug))
                errors += [p.message for p in saved.result.blocking]
            except UploadRefused as exc:
                errors.append(str(exc))
    folder = d / "dokumen"
    docs = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return render_template("dokumen.html", slug=slug, nama=a.nama_desa(d), docs=docs, errors=errors), \
        (422 if errors else 200)
