"""Budget import: upload a Siskeudes/OpenSID report, see what it holds, then one Simpan (and Terbitkan).

The report is read by the importer's :func:`~papan_desa.apbdes.importer.prepare_import`
(which writes nothing) in a child process bounded in time and memory
(:mod:`..bounded`); the preview shows the totals by jenis and bidang, the number of
lines and what changes against the year already there. The files it would write are
kept in the work folder under a random token until Simpan, which saves them like
any other edit (checks, lock, commit under the operator's account).
"""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.utils import secure_filename

from ...formatting import rupiah
from ...problems import Problems
from ...profil import PROFIL
from .. import bounded, gitops
from ..access import current_user
from ..editing import prune, save, token_for
from ..files import read_markdown
from ..kinds import valid_item
from ..state import Admin, admin
from ..uploads import UploadRefused, read_upload
from .terbit import publish_village

bp = Blueprint("apbdes", __name__)


def _prepare(src: str, tahun: int | None, village_dir: str, kode: str | None, nama: str | None, lim: dict):
    """Runs in the child process: (plan or None, error texts, warning texts)."""
    from ...apbdes.importer import prepare_import

    problems = Problems(root=Path(src).parent)
    plan = prepare_import(Path(src), problems, tahun=tahun, village_dir=Path(village_dir), kode_desa=kode,
                          nama_desa=nama, lim=lim)
    errors = [str(p) for p in problems.errors]
    warnings = [str(p) for p in problems.warnings]
    if plan is not None:
        plan.imported = None        # the preview needs only the plan's own figures
    return (plan if not errors else None), errors, warnings


def _stash_root(a: Admin, slug: str) -> Path:
    p = a.work / "impor" / slug
    p.mkdir(parents=True, exist_ok=True)
    return p


def _refuse(slug: str, messages: list[str]):
    a = admin()
    d = a.vdir(slug)
    k = a.kind("apbdes")
    items = [(i, "") for i in k.items(d)]
    return render_template("daftar.html", slug=slug, nama=a.nama_desa(d), jenis=a.jenis_desa(d), k=k, items=items,
                           impor_errors=messages), 422


@bp.post("/desa/<slug>/apbdes/impor")
def impor(slug):
    a = admin()
    d = a.vdir(slug)
    k = a.kind("apbdes")
    storage = request.files.get("laporan")
    tahun_raw = (request.form.get("tahun") or "").strip()
    messages: list[str] = []
    if a.jenis_desa(d) == "kelurahan":
        return _refuse(slug, [f"{a.nama_desa(d)} adalah kelurahan: kelurahan tidak menyusun APBDes (anggarannya "
                              "bagian dari APBD kabupaten), jadi laporan Siskeudes tidak diimpor"])
    if storage is None or not storage.filename:
        messages.append("pilih berkas laporan Siskeudes (.xlsx atau .csv) atau ekspor OpenSID")
    tahun = None
    if tahun_raw:
        if not valid_item(k, tahun_raw):
            messages.append(f'tahun anggaran empat angka seperti "2025"; ditemukan "{tahun_raw}"')
        else:
            tahun = int(tahun_raw)
    if messages:
        return _refuse(slug, messages)
    try:
        data, ext, stem = read_upload(storage, "impor", a.limits)
    except UploadRefused as exc:
        return _refuse(slug, [str(exc)])
    shown = secure_filename(storage.filename or "")
    name = shown if shown.lower().endswith(ext) else f"{stem}{ext}"
    profile = read_markdown(d / PROFIL.path, PROFIL).values
    with tempfile.TemporaryDirectory(dir=a.work, prefix="impor-") as tmp:
        # The operator's own file name in the messages (made safe), so they know which file is meant.
        src = Path(tmp) / name
        src.write_bytes(data)
        try:
            plan, errors, warnings = bounded.run(_prepare, str(src), tahun, str(d), profile.get("kode") or None,
                                                 profile.get("nama") or None, a.limits, what=f'laporan "{name}"')
        except bounded.Refused as exc:
            return _refuse(slug, [f"{name}: galat: {exc}"])
    if plan is None:
        return _refuse(slug, errors or [f"{name}: galat: laporan tidak dapat dibaca"])
    prune(_stash_root(a, slug))
    token = secrets.token_hex(16)
    folder = _stash_root(a, slug) / token
    for rel, content in plan.files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(content)
    rels = sorted(plan.files)
    (folder / ".versi").write_text(token_for(d, rels))
    (folder / ".berkas").write_text("\n".join(rels))
    (folder / ".nama").write_text(name)
    exists = (d / "apbdes" / f"{plan.tahun}.csv").is_file()
    return render_template("impor.html", slug=slug, nama=a.nama_desa(d), plan=plan, token=token, laporan=name,
                           exists=exists, warnings=warnings, rupiah=rupiah,
                           remote=a.repo is not None and gitops.has_remote(a.repo))


@bp.post("/desa/<slug>/apbdes/impor/<token>")
def simpan_impor(slug, token):
    a = admin()
    d = a.vdir(slug)
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        abort(404)
    folder = _stash_root(a, slug) / token
    if not (folder / ".berkas").is_file():
        flash("Pratinjau impor ini sudah kedaluwarsa atau sudah disimpan; unggah laporannya lagi.", "galat")
        return redirect(url_for("desa.daftar", slug=slug, kind="apbdes"))
    rels = (folder / ".berkas").read_text().split("\n")
    changes = {rel: (folder / rel).read_bytes() for rel in rels if rel}
    name = (folder / ".nama").read_text()
    tahun = next((Path(r).stem for r in rels if r.endswith(".csv") and Path(r).stem.isdigit()), "")
    saved = save(a, d, changes, current_user(), f"impor APBDes {tahun} dari {name}", watched=rels,
                 token=(folder / ".versi").read_text())
    if saved.conflict:
        return _refuse(slug, [saved.conflict_text + " Unggah laporannya lagi untuk melihat pratinjau baru."])
    if not saved.ok:
        return _refuse(slug, [str(p) for p in saved.result.blocking])
    shutil.rmtree(folder, ignore_errors=True)
    flash(f"Tersimpan: APBDes {tahun} dari {name}.", "ok")
    if request.form.get("aksi") == "terbitkan":
        return publish_village(slug)
    return redirect(url_for("desa.ubah_item", slug=slug, kind="apbdes", item=tahun))
