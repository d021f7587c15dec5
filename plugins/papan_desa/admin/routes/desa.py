"""Village pages: the village list, a village's menu, lists, the edit forms, delete, files, Riwayat."""
from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from slugify import slugify

from ...sanitize import render_markdown
from ...village import SLUG, village_dirs
from .. import gitops
from ..access import current_user
from ..check import cell_of_csv, field_of_markdown
from ..editing import describe, prune, restore_changes, save, token_for
from ..files import (MarkdownForm, OutsideVillage, Table, clean_control, inside, markdown_text, read_markdown,
                     read_table, table_text)
from ..kinds import UPLOADS, Kind, valid_item
from ..state import Admin, admin
from ..uploads import UploadRefused, clean_upload, free_name, read_upload

bp = Blueprint("desa", __name__)
EMPTY_ROWS = 3
MORE_ROWS = 10
DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


def _label(schema, name: str) -> str:
    if name == "_isi":
        return "Isi"
    f = schema.field(name)
    return f.label if f else name


def rel_or_404(d: Path, k: Kind, item: str | None) -> str:
    try:
        rel = k.rel(item)
        inside(d, rel)
    except (ValueError, OutsideVillage):
        abort(404)
    return rel


def changed_list(a: Admin, d: Path):
    """What is saved here but not yet published: [(when, who, subject)] or None without git."""
    if a.repo is None:
        return None
    try:
        return gitops.unpublished(a.repo, d)
    except gitops.GitError:
        return None


@bp.get("/")
def index():
    a = admin()
    user = current_user()
    items = [(p.name, a.nama_desa(p)) for p in village_dirs(a.villages) if SLUG.fullmatch(p.name) and user.may(p.name)]
    return render_template("index.html", desa_list=items, kab_problems=a.kab_problems)


@bp.get("/desa/<slug>/")
def desa(slug):
    a = admin()
    d = a.vdir(slug)
    problems = a.checker.village(slug)
    groups = []
    for k in a.kinds.values():
        exists = (d / k.schema.path).is_file() if k.mode == "tunggal" else bool(k.items(d))
        groups.append((k, exists))
    return render_template("desa.html", slug=slug, nama=a.nama_desa(d), jenis=a.jenis_desa(d), groups=groups,
                           errors=problems.errors, warnings=problems.warnings, changed=changed_list(a, d))


@bp.get("/desa/<slug>/<kind>/")
def daftar(slug, kind, impor_errors=None):
    a = admin()
    d = a.vdir(slug)
    k = a.kind(kind)
    if k.mode == "tunggal":
        return redirect(url_for("desa.ubah", slug=slug, kind=kind))
    items = []
    for item in k.items(d):
        form = read_markdown(d / k.rel(item), k.schema) if k.suffix == ".md" else None
        title = ""
        if form:
            title = next((form.values.get(n) for n in ("title", "judul", "nama") if form.values.get(n)), "")
        items.append((item, title))
    return render_template("daftar.html", slug=slug, nama=a.nama_desa(d), jenis=a.jenis_desa(d), k=k, items=items)


# ------------------------------------------------------------------ uploads kept across a refused save

def _stash_dir(a: Admin, slug: str) -> Path:
    p = a.work / "unggahan" / slug
    p.mkdir(parents=True, exist_ok=True)
    return p


def _stash(a: Admin, slug: str, name: str, data: bytes) -> str:
    prune(_stash_dir(a, slug))
    token = secrets.token_hex(16)
    (_stash_dir(a, slug) / token).write_bytes(data)
    (_stash_dir(a, slug) / f"{token}.nama").write_text(name)
    return token


def _unstash(a: Admin, slug: str, token: str) -> tuple[str, bytes] | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    p = _stash_dir(a, slug) / token
    try:
        return (p.with_name(f"{token}.nama").read_text(), p.read_bytes())
    except FileNotFoundError:
        return None


def _take_uploads(a: Admin, d: Path, k: Kind, values: dict[str, str], changes: dict, errors: dict,
                  upload_rel: dict, kept: dict):
    for (schema_name, fname), (what, folder) in UPLOADS.items():
        if schema_name != k.name:
            continue
        storage = request.files.get(f"u_{fname}")
        if storage is not None and storage.filename:
            try:
                data, ext, stem = read_upload(storage, what, a.limits)
                data = clean_upload(data, ext, what, a.limits)
            except UploadRefused as exc:
                errors.setdefault(fname, []).append(str(exc))
                continue
            name = free_name(d, folder, stem, ext, data, set(changes))
            kept[fname] = (_stash(a, d.name, name, data), name)
        else:
            got = _unstash(a, d.name, request.form.get(f"u_{fname}_simpanan", ""))
            if got is None:
                continue
            name, data = got
            kept[fname] = (request.form.get(f"u_{fname}_simpanan"), name)
            if name in changes or (d / name).exists() and (d / name).read_bytes() != data:
                name = free_name(d, folder, Path(name).stem, Path(name).suffix, data, set(changes))
        changes[name] = data
        upload_rel[name] = fname
        current = values.get(fname, "")
        if name in current:
            continue
        if fname == "foto" and k.name == "berita" and current:
            values[fname] = current.rstrip(", ") + ", " + name
        else:
            values[fname] = name


def _project_photos(d: Path, item: str | None, changes: dict, errors: dict, upload_rel: dict):
    """Pembangunan: a dated progress photo into pembangunan/<item>/, and photos ticked for removal."""
    if item is None:
        return
    folder = f"pembangunan/{item}"
    for name in request.form.getlist("hapus_foto"):
        try:
            target = inside(d, f"{folder}/{name}")
        except OutsideVillage:
            continue
        if target.parent == (d / folder).resolve() and target.is_file():
            changes[f"{folder}/{name}"] = None
    storage = request.files.get("u_foto_proyek")
    if storage is None or not storage.filename:
        return
    tanggal = (request.form.get("foto_tanggal") or "").strip()
    try:
        dt.date.fromisoformat(tanggal)
    except ValueError:
        errors.setdefault("_foto", []).append(
            f'tanggal foto berbentuk TTTT-BB-HH seperti "2025-05-15"; ditemukan "{tanggal}"')
        return
    try:
        data, ext, _stem = read_upload(storage, "gambar", admin().limits)
        data = clean_upload(data, ext, "gambar", admin().limits)
    except UploadRefused as exc:
        errors.setdefault("_foto", []).append(str(exc))
        return
    label = slugify(request.form.get("foto_keterangan") or "", max_length=60) or "foto"
    name = free_name(d, folder, f"{tanggal}-{label}", ext, data, set(changes))
    changes[name] = data
    upload_rel[name] = "_foto"


def _date_of(k: Kind, values: dict[str, str]) -> str:
    return next((values.get(f.name, "")[:10] for f in k.schema.fields
                 if f.type == "tanggal" and values.get(f.name)), "")


def _new_name(k: Kind, values: dict[str, str]) -> tuple[str | None, str]:
    """(item name, error) for a new file: the admin's name, or one made from its date and title."""
    raw = (request.form.get("nama_berkas") or "").strip()
    if k.mode == "tahunan":
        if not valid_item(k, raw):
            return None, f'tahun anggaran empat angka seperti "2026"; ditemukan "{raw}"'
        return raw, ""
    if not raw:
        date = _date_of(k, values)
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            date = ""       # a wrong date never becomes part of the name: the date field shows the error
        title = next((values.get(n) for n in ("title", "judul", "nama") if values.get(n)), "")
        raw = slugify(f"{date} {title}".strip(), max_length=80)
    if not valid_item(k, raw):
        return None, ("nama berkas hanya huruf kecil, angka dan tanda hubung, seperti "
                      f'"2025-06-02-posyandu-lansia"; ditemukan "{raw}"')
    return raw, ""


def _follow_date(d: Path, k: Kind, item: str | None, values: dict[str, str]) -> str | None:
    """A dated name whose date was corrected follows the new date (when that name is free)."""
    if k.mode != "koleksi" or not item:
        return None
    m = DATED.match(item)
    new_date = _date_of(k, values)
    if not m or not new_date or new_date == m.group(1):
        return None
    try:
        dt.date.fromisoformat(new_date)
    except ValueError:
        return None
    moved = f"{new_date}-{m.group(2)}"
    if not valid_item(k, moved) or (d / k.rel(moved)).exists():
        return None
    return moved


def _previous_year(d: Path, k: Kind) -> str | None:
    years = k.items(d)
    return years[0] if years else None


@bp.route("/desa/<slug>/<kind>/ubah", methods=["GET", "POST"], endpoint="ubah")
@bp.route("/desa/<slug>/<kind>/ubah/<item>", methods=["GET", "POST"], endpoint="ubah_item")
@bp.route("/desa/<slug>/<kind>/baru", methods=["GET", "POST"], endpoint="baru", defaults={"item": None})
def ubah(slug, kind, item=None):
    a = admin()
    d = a.vdir(slug)
    k = a.kind(kind)
    new = request.endpoint == "desa.baru"
    if new and k.mode == "tunggal":
        abort(404)
    if not new and k.mode != "tunggal" and item is None:
        abort(404)
    if item is not None and not valid_item(k, item):
        abort(404)
    rel = None if new else rel_or_404(d, k, item)
    if not new and request.method == "GET" and k.mode != "tunggal" and not (d / rel).is_file():
        abort(404)
    if k.schema.format == "markdown":
        return _markdown_view(a, d, k, rel, item, new)
    return _csv_view(a, d, k, rel, item, new)


def _markdown_view(a: Admin, d: Path, k: Kind, rel: str | None, item: str | None, new: bool):
    schema = k.schema
    names = {f.name for f in schema.fields}
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    warnings: list[str] = []
    conflict: list[str] = []
    conflict_text = ""
    preview_html = None
    kept: dict[str, tuple[str, str]] = {}
    form = read_markdown(d / rel, schema) if rel else MarkdownForm()
    if new and k.name == "apbdes_meta":
        prev = _previous_year(d, k)
        if prev:   # a new year starts from last year's keterangan, without its dates and Perdes number
            old = read_markdown(d / k.rel(prev), schema)
            form.values = {n: v for n, v in old.values.items() if n not in ("perdes_nomor", "perdes_tanggal",
                                                                            "per_tanggal")}
    token = token_for(d, [rel]) if rel else ""
    nama_berkas = item or ""
    if request.method == "POST":
        token = request.form.get("versi", "")
        form.values = {}
        for f in schema.fields:
            value, err = clean_control(request.form.get(f"f_{f.name}", ""), f.label)
            form.values[f.name] = value
            if err:
                errors.setdefault(f.name, []).append(err)
        form.body, err = clean_control(request.form.get("isi", ""), "Isi")
        if err:
            errors.setdefault("_isi", []).append(err)
        nama_berkas = request.form.get("nama_berkas", nama_berkas)
        changes: dict[str, bytes | None] = {}
        upload_rel: dict[str, str] = {}
        _take_uploads(a, d, k, form.values, changes, errors, upload_rel, kept)
        if request.form.get("aksi") == "pratinjau":
            preview_html = render_markdown(form.body)
        else:
            target_item = item
            if new:
                target_item, err = _new_name(k, form.values)
                if err:
                    errors["nama_berkas"] = [err]
                else:
                    rel = k.rel(target_item)
                    nama_berkas = target_item
                    if (d / rel).exists():
                        errors["nama_berkas"] = [f'berkas "{rel}" sudah ada; pilih nama lain atau ubah '
                                                 "berkas yang ada"]
            if k.name == "pembangunan":
                _project_photos(d, item, changes, errors, upload_rel)
            watched = [rel] if rel else []
            moved = None if new else _follow_date(d, k, item, form.values)
            if rel and not errors:
                text, where, body_line = markdown_text(schema, form)
                if moved:
                    changes[rel] = None
                    target_item = moved
                    rel = k.rel(moved)
                changes[rel] = text.encode("utf-8")
                saved = save(a, d, changes, current_user(), describe(d, {r: v for r, v in changes.items()
                                                                      if r.endswith(".md")}),
                             watched=watched or [rel], token=token if not new else token_for(d, [rel]))
                if saved.conflict:
                    conflict, conflict_text = saved.conflict, saved.conflict_text
                else:
                    target = a.checker.name(d.name, rel)
                    for p in saved.result.blocking + saved.result.warnings:
                        msg = p.message if p.file == target else f"{p}"
                        if p.file == target:
                            fld = field_of_markdown(p, where, body_line, names)
                        else:
                            fld = next((f for r, f in upload_rel.items() if a.checker.name(d.name, r) == p.file),
                                       None)
                        if not p.is_error:
                            warnings.append(msg if fld is None else f"{_label(schema, fld)}: {msg}")
                        elif fld is None:
                            general.append(msg)
                        else:
                            errors.setdefault(fld, []).append(msg)
                    if saved.ok:
                        for token_, _name in kept.values():
                            for leftover in (_stash_dir(a, d.name) / token_, _stash_dir(a, d.name) / f"{token_}.nama"):
                                leftover.unlink(missing_ok=True)
                        flash(f"Tersimpan: {rel}", "ok")
                        if moved:
                            flash(f"Tanggalnya berubah, jadi nama berkasnya ikut: {rel}", "ok")
                        for w in warnings:
                            flash(f"Peringatan: {w}", "peringatan")
                        if k.mode == "tunggal":
                            return redirect(url_for("desa.ubah", slug=d.name, kind=k.name))
                        return redirect(url_for("desa.ubah_item", slug=d.name, kind=k.name, item=target_item))
                    if moved:
                        rel = k.rel(item)
            if kept and (errors or general or conflict):
                general.append("foto/dokumen yang Anda pilih sudah diterima dan disimpan sementara: tidak perlu "
                               "memilihnya lagi")
    photos = []
    if k.name == "pembangunan" and item:
        folder = d / "pembangunan" / item
        photos = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    status = 409 if conflict else 422 if (errors or general) else 200
    return render_template("form_markdown.html", slug=d.name, nama=a.nama_desa(d), k=k, item=item, new=new,
                           rel=rel, form=form, errors=errors, general=general, warnings=warnings,
                           conflict=conflict, conflict_text=conflict_text, token=token, nama_berkas=nama_berkas,
                           preview_html=preview_html, photos=photos, kept=kept), status


def _csv_view(a: Admin, d: Path, k: Kind, rel: str | None, item: str | None, new: bool):
    schema = k.schema
    errors: dict[tuple[int, str], list[str]] = {}
    general: list[str] = []
    warnings: list[str] = []
    conflict: list[str] = []
    conflict_text = ""
    table = read_table(d / rel, schema) if rel else read_table(Path("/nonexistent"), schema)
    fields = {f.name: f for f in schema.fields}
    prev = None
    if new and k.mode == "tahunan":
        prev = _previous_year(d, k)
        if prev and request.method == "GET":
            # A new year starts from last year's lines (codes and names), amounts empty.
            old = read_table(d / k.rel(prev), schema)
            table = Table(old.columns, [[("" if fields.get(c) and fields[c].type == "angka" else v)
                                         for c, v in zip(old.columns, r)] for r in old.rows], old.delimiter,
                          old.header)
    token = token_for(d, [rel]) if rel else ""
    nama_berkas = item or ""
    name_error = []
    extra = EMPTY_ROWS
    if request.method == "POST":
        token = request.form.get("versi", "")
        try:
            n = min(int(request.form.get("baris", "0")), 20000)
        except ValueError:
            n = 0
        rows = []
        for i in range(n):
            if request.form.get(f"hapus_{i}"):
                continue
            row = []
            for c in table.columns:
                value, err = clean_control(request.form.get(f"c_{i}_{c}", ""),
                                           f"baris {len(rows) + 1}, kolom {fields[c].label if c in fields else c}")
                row.append(value)
                if err:
                    errors.setdefault((len(rows), c), []).append(err)
            rows.append(row)
        table.rows = rows
        if new:
            nama_berkas = request.form.get("nama_berkas", "")
        if request.form.get("aksi") == "tambah_baris":
            table.rows = [r for r in rows if any(v.strip() for v in r)]
            extra = EMPTY_ROWS + MORE_ROWS + max(0, n - len(rows))
            errors = {}
        else:
            if new:
                item, err = _new_name(k, {})
                if err:
                    name_error = [err]
                else:
                    rel = k.rel(item)
                    if (d / rel).exists():
                        name_error = [f'berkas "{rel}" sudah ada; buka dari daftar untuk mengubahnya']
            if rel and not name_error and not errors:
                text, row_lines = table_text(table)
                changes: dict[str, bytes | None] = {rel: text.encode("utf-8")}
                if new and k.name == "apbdes":
                    meta = a.kinds.get("apbdes_meta")
                    prev = _previous_year(d, meta) if meta else None
                    meta_rel = meta.rel(item) if meta else None
                    if prev and meta_rel and not (d / meta_rel).exists():
                        old = read_markdown(d / meta.rel(prev), meta.schema)
                        old.values = {n: v for n, v in old.values.items()
                                      if n not in ("perdes_nomor", "perdes_tanggal", "per_tanggal")}
                        changes[meta_rel] = markdown_text(meta.schema, old)[0].encode("utf-8")
                saved = save(a, d, changes, current_user(), describe(d, changes), watched=[rel],
                             token=token if not new else token_for(d, [rel]))
                if saved.conflict:
                    conflict, conflict_text = saved.conflict, saved.conflict_text
                else:
                    target = a.checker.name(d.name, rel)
                    for p in saved.result.blocking + saved.result.warnings:
                        cell = cell_of_csv(p, row_lines, table.columns) if p.file == target else None
                        msg = p.message if p.file == target else str(p)
                        if not p.is_error:
                            warnings.append(msg if cell is None else f"baris {cell[0] + 1}: {msg}")
                        elif cell is None:
                            general.append(msg if p.file != target or not p.line else f"baris {p.line}: {msg}")
                        else:
                            errors.setdefault(cell, []).append(msg)
                    if saved.ok:
                        flash(f"Tersimpan: {rel}", "ok")
                        if len(changes) > 1:
                            flash("Keterangan tahun ini dibuat dari tahun sebelumnya; periksa nomor dan tanggal "
                                  "Perdes-nya di Keterangan APBDes.", "peringatan")
                        for w in warnings:
                            flash(f"Peringatan: {w}", "peringatan")
                        if k.mode == "tunggal":
                            return redirect(url_for("desa.ubah", slug=d.name, kind=k.name))
                        return redirect(url_for("desa.ubah_item", slug=d.name, kind=k.name, item=item))
                    # Rows the writer dropped (all empty) are gone from the re-shown table too.
                    keep = [i for i, ln in enumerate(row_lines) if ln]
                    table.rows = [table.rows[i] for i in keep]
                    errors = {(keep.index(r), c): v for (r, c), v in errors.items() if r in keep}
            if new and not rel:
                rel = None
    first_error = min(errors) if errors else None
    error_links = [(f"c_{r}_{c}", f"Baris {r + 1}, kolom {fields[c].label if c in fields else c}: {' '.join(m)}")
                   for (r, c), m in sorted(errors.items())]
    status = 409 if conflict else 422 if (errors or general or name_error) else 200
    return render_template("form_tabel.html", slug=d.name, nama=a.nama_desa(d), k=k, item=item, new=new, rel=rel,
                           table=table, fields=fields, errors=errors, general=general, warnings=warnings,
                           conflict=conflict, conflict_text=conflict_text, token=token, nama_berkas=nama_berkas,
                           name_error=name_error, empty_rows=extra, first_error=first_error, prev=prev,
                           error_links=error_links), status


@bp.route("/desa/<slug>/<kind>/hapus/<item>", methods=["GET", "POST"])
def hapus(slug, kind, item):
    a = admin()
    d = a.vdir(slug)
    k = a.kind(kind)
    if k.mode == "tunggal" or not valid_item(k, item):
        abort(404)
    rel = rel_or_404(d, k, item)
    if not (d / rel).is_file():
        abort(404)
    if request.method == "GET":
        form = read_markdown(d / rel, k.schema) if k.suffix == ".md" else None
        title = next((form.values.get(n) for n in ("title", "judul", "nama") if form and form.values.get(n)), item)
        return render_template("hapus.html", slug=slug, nama=a.nama_desa(d), k=k, item=item, rel=rel, title=title,
                               token=token_for(d, [rel]), riwayat=a.repo is not None)
    changes: dict[str, bytes | None] = {rel: None}
    if k.name == "pembangunan" and (d / "pembangunan" / item).is_dir():
        for p in (d / "pembangunan" / item).iterdir():
            if p.is_file():
                changes[f"pembangunan/{item}/{p.name}"] = None
    saved = save(a, d, changes, current_user(), f"hapus {rel}", watched=[rel], token=request.form.get("versi", ""))
    if saved.conflict:
        flash(saved.conflict_text + " Tidak ada yang dihapus.", "galat")
        return redirect(url_for("desa.daftar", slug=slug, kind=kind))
    if not saved.ok:
        for p in saved.result.blocking:
            flash(f"Tidak dihapus: {p.message}", "galat")
        return redirect(url_for("desa.daftar", slug=slug, kind=kind))
    flash(f"Dihapus: {rel}." + (" Dapat dikembalikan dari Riwayat." if a.repo else ""), "ok")
    return redirect(url_for("desa.daftar", slug=slug, kind=kind))


@bp.get("/desa/<slug>/berkas/<path:rel>")
def berkas(slug, rel):
    d = admin().vdir(slug)
    try:
        target = inside(d, rel)
    except OutsideVillage:
        abort(404)
    if not target.is_file() or target.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf"):
        abort(404)
    return send_file(target, max_age=0)


@bp.get("/desa/<slug>/riwayat")
def riwayat(slug):
    a = admin()
    d = a.vdir(slug)
    entries = gitops.history(a.repo, d, 100) if a.repo else None
    return render_template("riwayat.html", slug=slug, nama=a.nama_desa(d), entries=entries)


@bp.post("/desa/<slug>/riwayat/<commit>/pulihkan")
def pulihkan(slug, commit):
    a = admin()
    d = a.vdir(slug)
    if a.repo is None or not gitops.commit_exists(a.repo, commit):
        abort(404)
    changes = restore_changes(a, d, commit)
    if not changes:
        abort(404)
    saved = save(a, d, changes, current_user(), f"pulihkan versi sebelum {commit[:8]} ({', '.join(sorted(changes))})",
                 watched=[], token=None)
    if not saved.ok:
        for p in saved.result.blocking:
            flash(f"Tidak dipulihkan: {p.message}", "galat")
    elif saved.commit is None:
        flash("Tidak ada yang berubah: berkasnya sudah sama dengan versi itu.", "ok")
    else:
        flash("Dipulihkan: " + ", ".join(sorted(changes)) + " kembali seperti sebelum perubahan itu. Pemulihan "
              "ini juga tercatat di Riwayat dan dapat dibatalkan.", "ok")
    return redirect(url_for("desa.riwayat", slug=slug))


@bp.post("/api/markdown")
def api_markdown():
    text = request.form.get("isi", "")
    return jsonify(html=render_markdown(text[:200_000]))
