"""Papan Admin: a local web app in which village operators edit their village's files.

Flask (see docs/panduan-admin.md for why) serves forms generated from the schema
declarations; every save is checked by the build's own functions on a temporary
copy (:mod:`.check`) and written atomically only when clean; Pratinjau builds the
village with the real build; Terbitkan commits and pushes with git.
"""
from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import re
import os
import secrets
import tempfile
from pathlib import Path

from flask import (Flask, abort, flash, jsonify, redirect, render_template, request, send_file, session,
                   url_for)
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from slugify import slugify
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import safe_join
from werkzeug.utils import secure_filename

from ..guard import load_allowlist
from ..problems import Problems
from ..profil import PROFIL
from ..registry import load_registry
from ..sanitize import render_markdown
from ..village import SLUG, village_dirs
from . import gitops
from .check import Checker, cell_of_csv, field_of_markdown
from .files import (MarkdownForm, OutsideVillage, apply_changes, inside, markdown_text,
                    read_markdown, read_table, table_text, version)
from .kinds import UPLOADS, Kind, kinds, valid_item
from .preview import build_preview, preview_dir
from .uploads import UploadRefused, clean_image, clean_pdf, free_name, read_upload

HERE = Path(__file__).parent
EMPTY_ROWS = 3
MAX_REQUEST = 40 * 1024 * 1024


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(root: Path, villages_dir: Path | None = None, *, settings_file: Path | None = None,
               work_dir: Path | None = None, password: str | None = None, registry: Path | None = None,
               secret_key: bytes | None = None, testing: bool = False) -> Flask:
    """The admin app for the villages in ``villages_dir`` of the project at ``root`` (pelicanconf.py, theme)."""
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
    work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="papan-admin-"))
    work.mkdir(parents=True, exist_ok=True)

    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"),
                static_url_path="/_admin")
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST,
        # A long news post may take more than an hour to write: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        TESTING=testing,
        PAPAN_ROOT=root, PAPAN_VILLAGES=villages, PAPAN_WORK=work, PAPAN_SETTINGS=settings_file,
        PAPAN_REGISTRY=registry_path, PAPAN_PASSWORD=password or None,
        PAPAN_KABUPATEN_PROBLEMS=kab.items,
    )
    CSRFProtect(app)
    checker = Checker(villages, reg, allow, work)
    app.extensions["papan_checker"] = checker
    kind_map = kinds()
    app.jinja_env.globals.update(KINDS=kind_map, UPLOADS=UPLOADS)
    # Schema descriptions are Markdown (they also make docs/format-data.md); rendered by the build's sanitiser.
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))

    # ------------------------------------------------------------ safety around every request

    @app.before_request
    def _guard():
        pw = app.config["PAPAN_PASSWORD"]
        if pw:
            auth = request.authorization
            given = (auth.password or "") if auth and auth.type == "basic" else ""
            if not hmac.compare_digest(given.encode(), pw.encode()):
                return ("Masukkan kata sandi Papan Admin.", 401,
                        {"WWW-Authenticate": 'Basic realm="Papan Admin", charset="UTF-8"'})
        elif not is_loopback((request.host or "").rsplit(":", 1)[0].strip("[]")):
            # Without a password the app answers only to this computer (also against DNS rebinding).
            abort(403)

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_template("pesan.html", judul="Formulir kedaluwarsa",
                               pesan="Formulir ini tidak memuat penanda keamanan yang benar (mungkin dibuka sebelum "
                                     "Papan Admin dimulai ulang). Tidak ada yang disimpan. Buka lagi halamannya, "
                                     "lalu ulangi."), 400

    @app.errorhandler(RequestEntityTooLarge)
    def _too_big(exc):
        return render_template("pesan.html", judul="Berkas terlalu besar",
                               pesan=f"Kiriman paling besar {MAX_REQUEST // (1024 * 1024)} MB. Tidak ada yang "
                                     "disimpan. Perkecil fotonya atau pecah dokumennya."), 413

    @app.errorhandler(404)
    def _nf(exc):
        return render_template("pesan.html", judul="Halaman tidak ada",
                               pesan="Alamat ini tidak ada di Papan Admin."), 404

    @app.errorhandler(403)
    def _forbidden(exc):
        return "Papan Admin hanya melayani komputer ini (127.0.0.1).", 403

    # ------------------------------------------------------------ helpers

    def vdir(slug: str) -> Path:
        if not SLUG.fullmatch(slug or "") or not (villages / slug).is_dir():
            abort(404)
        return villages / slug

    def kind_or_404(name: str) -> Kind:
        k = kind_map.get(name)
        if k is None:
            abort(404)
        return k

    def rel_or_404(d: Path, k: Kind, item: str | None) -> str:
        try:
            rel = k.rel(item)
            inside(d, rel)
        except (ValueError, OutsideVillage):
            abort(404)
        return rel

    def nama_desa(d: Path) -> str:
        form = read_markdown(d / PROFIL.path, PROFIL)
        return form.values.get("nama") or d.name

    def repo_of(d: Path):
        return gitops.repo_root(d)

    def upstream_token(d: Path) -> str:
        repo = repo_of(d)
        return (gitops.upstream(repo) or "-") if repo else "-"

    def stale(d: Path, rels: list[str], token: str) -> list[str]:
        """Files that changed on disk or upstream since the form was opened ('' when fine)."""
        vers, _, up = (token or "").partition("|")
        olds = vers.split(",") if vers else []
        changed = []
        for rel, old in zip(rels, olds + ["?"] * len(rels)):
            if version(d / rel) != old:
                changed.append(rel)
        repo = repo_of(d)
        if repo and up and up != "-":
            now = gitops.upstream(repo) or "-"
            if now != up:
                for rel in rels:
                    changed += gitops.changed_since(repo, up, now, gitops.rel(repo, d / rel) if (d / rel).exists()
                                                    else gitops.rel(repo, d) + "/" + rel)
        return sorted(set(changed))

    def token_for(d: Path, rels: list[str]) -> str:
        return ",".join(version(d / r) for r in rels) + "|" + upstream_token(d)

    def changed_list(d: Path):
        repo = repo_of(d)
        if repo is None:
            return None
        try:
            return [(s, Path(p).relative_to(gitops.rel(repo, d)).as_posix()) for s, p in gitops.changed_files(repo, d)]
        except gitops.GitError:
            return None

    # ------------------------------------------------------------ pages

    @app.get("/")
    def index():
        items = [(p.name, nama_desa(p)) for p in village_dirs(villages) if SLUG.fullmatch(p.name)]
        return render_template("index.html", desa_list=items, kab_problems=app.config["PAPAN_KABUPATEN_PROBLEMS"])

    @app.get("/desa/<slug>/")
    def desa(slug):
        d = vdir(slug)
        problems = checker.village(slug)
        groups = []
        for k in kind_map.values():
            exists = (d / k.schema.path).is_file() if k.mode == "tunggal" else bool(k.items(d))
            groups.append((k, exists))
        return render_template("desa.html", slug=slug, nama=nama_desa(d), groups=groups,
                               errors=problems.errors, warnings=problems.warnings, changed=changed_list(d))

    @app.get("/desa/<slug>/<kind>/")
    def daftar(slug, kind):
        d = vdir(slug)
        k = kind_or_404(kind)
        if k.mode == "tunggal":
            return redirect(url_for("ubah", slug=slug, kind=kind))
        items = []
        for item in k.items(d):
            form = read_markdown(d / k.rel(item), k.schema) if k.suffix == ".md" else None
            title = ""
            if form:
                title = next((form.values.get(n) for n in ("title", "judul", "nama") if form.values.get(n)), "")
            items.append((item, title, token_for(d, [k.rel(item)])))
        return render_template("daftar.html", slug=slug, nama=nama_desa(d), k=k, items=items,
                               token=upstream_token(d))

    @app.route("/desa/<slug>/<kind>/ubah", methods=["GET", "POST"], endpoint="ubah")
    @app.route("/desa/<slug>/<kind>/ubah/<item>", methods=["GET", "POST"], endpoint="ubah_item")
    @app.route("/desa/<slug>/<kind>/baru", methods=["GET", "POST"], endpoint="baru", defaults={"item": None})
    def ubah(slug, kind, item=None):
        d = vdir(slug)
        k = kind_or_404(kind)
        new = request.endpoint == "baru"
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
            return _markdown_view(d, k, rel, item, new)
        return _csv_view(d, k, rel, item, new)

    def _new_name(d: Path, k: Kind, values: dict[str, str]) -> tuple[str | None, str]:
        """(item name, error) for a new file: the admin's name, or one made from its date and title."""
        raw = (request.form.get("nama_berkas") or "").strip()
        if k.mode == "tahunan":
            if not valid_item(k, raw):
                return None, f'tahun anggaran empat angka seperti "2026"; ditemukan "{raw}"'
            return raw, ""
        if not raw:
            date = next((values.get(f.name, "")[:10] for f in k.schema.fields
                         if f.type == "tanggal" and values.get(f.name)), "")
            title = next((values.get(n) for n in ("title", "judul", "nama") if values.get(n)), "")
            raw = slugify(f"{date} {title}".strip(), max_length=80)
        if not valid_item(k, raw):
            return None, ("nama berkas hanya huruf kecil, angka dan tanda hubung, seperti "
                          f'"2025-06-02-posyandu-lansia"; ditemukan "{raw}"')
        return raw, ""

    def _take_uploads(d: Path, k: Kind, values: dict[str, str], changes: dict, errors: dict, upload_rel: dict):
        for (schema_name, fname), (what, folder) in UPLOADS.items():
            if schema_name != k.name:
                continue
            storage = request.files.get(f"u_{fname}")
            if storage is None or not storage.filename:
                continue
            try:
                data, ext, stem = read_upload(storage, what)
                data = clean_image(data, ext) if what == "gambar" else clean_pdf(data)
            except UploadRefused as exc:
                errors.setdefault(fname, []).append(str(exc))
                continue
            name = free_name(d, folder, stem, ext, data, set(changes))
            changes[name] = data
            upload_rel[name] = fname
            if fname == "foto" and k.name == "berita" and values.get(fname):
                values[fname] = values[fname].rstrip(", ") + ", " + name
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
            data, ext, _stem = read_upload(storage, "gambar")
            data = clean_image(data, ext)
        except UploadRefused as exc:
            errors.setdefault("_foto", []).append(str(exc))
            return
        label = slugify(request.form.get("foto_keterangan") or "", max_length=60) or "foto"
        name = free_name(d, folder, f"{tanggal}-{label}", ext, data, set(changes))
        changes[name] = data
        upload_rel[name] = "_foto"

    def _write(d: Path, changes: dict) -> None:
        # Photos and documents first, the file that points to them last: no moment with a dangling reference.
        assets = {r: v for r, v in changes.items() if Path(r).suffix not in (".md", ".csv")}
        data = {r: v for r, v in changes.items() if r not in assets}
        apply_changes(d, assets)
        apply_changes(d, data)

    def _markdown_view(d: Path, k: Kind, rel: str | None, item: str | None, new: bool):
        schema = k.schema
        names = {f.name for f in schema.fields}
        errors: dict[str, list[str]] = {}
        general: list[str] = []
        warnings: list[str] = []
        conflict: list[str] = []
        preview_html = None
        form = read_markdown(d / rel, schema) if rel else MarkdownForm()
        token = token_for(d, [rel]) if rel else "-|" + upstream_token(d)
        nama_berkas = item or ""
        if request.method == "POST":
            token = request.form.get("versi", "")
            form.values = {f.name: request.form.get(f"f_{f.name}", "") for f in schema.fields}
            form.body = request.form.get("isi", "")
            nama_berkas = request.form.get("nama_berkas", nama_berkas)
            if request.form.get("aksi") == "pratinjau":
                preview_html = render_markdown(form.body)
            else:
                if new:
                    item, err = _new_name(d, k, form.values)
                    if err:
                        errors["nama_berkas"] = [err]
                    else:
                        rel = k.rel(item)
                        nama_berkas = item
                        if (d / rel).exists():
                            errors["nama_berkas"] = [f'berkas "{rel}" sudah ada; pilih nama lain atau ubah '
                                                     "berkas yang ada"]
                changes: dict[str, bytes | None] = {}
                upload_rel: dict[str, str] = {}
                _take_uploads(d, k, form.values, changes, errors, upload_rel)
                if k.name == "pembangunan":
                    _project_photos(d, item, changes, errors, upload_rel)
                if rel and not errors:
                    conflict = stale(d, [rel], token if not new else "-|" + token.partition("|")[2])
                if rel and not errors and not conflict:
                    text, where, body_line = markdown_text(schema, form)
                    changes[rel] = text.encode("utf-8")
                    result = checker.check(d.name, changes)
                    target = checker.name(d.name, rel)
                    for p in result.blocking + result.warnings:
                        bucket = errors if p.is_error else None
                        msg = p.message if p.file == target else f"{p}"
                        if p.file == target:
                            fld = field_of_markdown(p, where, body_line, names)
                        else:
                            up = next((f for r, f in upload_rel.items() if checker.name(d.name, r) == p.file), None)
                            fld = up
                        if bucket is None:
                            warnings.append(msg if fld is None else f"{_label(schema, fld)}: {msg}")
                        elif fld is None:
                            general.append(msg)
                        else:
                            errors.setdefault(fld, []).append(msg)
                    if result.ok:
                        _write(d, changes)
                        flash(f"Tersimpan: {rel}", "ok")
                        for w in warnings:
                            flash(f"Peringatan: {w}", "peringatan")
                        if k.mode == "tunggal":
                            return redirect(url_for("ubah", slug=d.name, kind=k.name))
                        return redirect(url_for("ubah_item", slug=d.name, kind=k.name, item=item))
                if any(upload_rel) and (errors or general):
                    general.append("foto/dokumen yang dipilih belum disimpan; pilih lagi setelah memperbaiki isian")
        photos = []
        if k.name == "pembangunan" and item:
            folder = d / "pembangunan" / item
            photos = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        return render_template("form_markdown.html", slug=d.name, nama=nama_desa(d), k=k, item=item, new=new,
                               rel=rel, form=form, errors=errors, general=general, warnings=warnings,
                               conflict=conflict, token=token, nama_berkas=nama_berkas, preview_html=preview_html,
                               photos=photos), (409 if conflict else 422 if (errors or general) else 200)

    def _csv_view(d: Path, k: Kind, rel: str | None, item: str | None, new: bool):
        schema = k.schema
        errors: dict[tuple[int, str], list[str]] = {}
        general: list[str] = []
        warnings: list[str] = []
        conflict: list[str] = []
        table = read_table(d / rel, schema) if rel else read_table(Path("/nonexistent"), schema)
        token = token_for(d, [rel]) if rel else "-|" + upstream_token(d)
        nama_berkas = item or ""
        name_error = []
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
                rows.append([request.form.get(f"c_{i}_{c}", "") for c in table.columns])
            table.rows = rows
            if new:
                nama_berkas = request.form.get("nama_berkas", "")
                item, err = _new_name(d, k, {})
                if err:
                    name_error = [err]
                else:
                    rel = k.rel(item)
                    if (d / rel).exists():
                        name_error = [f'berkas "{rel}" sudah ada; buka dari daftar untuk mengubahnya']
            if rel and not name_error:
                conflict = stale(d, [rel], token if not new else "-|" + token.partition("|")[2])
            if rel and not name_error and not conflict:
                text, row_lines = table_text(table)
                changes = {rel: text.encode("utf-8")}
                result = checker.check(d.name, changes)
                target = checker.name(d.name, rel)
                kept = [ln for ln in row_lines]
                for p in result.blocking + result.warnings:
                    cell = cell_of_csv(p, kept, table.columns) if p.file == target else None
                    msg = p.message if p.file == target else str(p)
                    if not p.is_error:
                        warnings.append(msg if cell is None else f"baris {cell[0] + 1}: {msg}")
                    elif cell is None:
                        general.append(msg if p.file != target or not p.line else f"baris {p.line}: {msg}")
                    else:
                        errors.setdefault(cell, []).append(msg)
                if result.ok:
                    _write(d, changes)
                    flash(f"Tersimpan: {rel}", "ok")
                    for w in warnings:
                        flash(f"Peringatan: {w}", "peringatan")
                    if k.mode == "tunggal":
                        return redirect(url_for("ubah", slug=d.name, kind=k.name))
                    return redirect(url_for("ubah_item", slug=d.name, kind=k.name, item=item))
                # Rows the writer dropped (all empty) are gone from the re-shown table too.
                keep = [i for i, ln in enumerate(row_lines) if ln]
                table.rows = [table.rows[i] for i in keep]
                errors = {(keep.index(r), c): v for (r, c), v in errors.items() if r in keep}
        fields = {f.name: f for f in schema.fields}
        return render_template("form_tabel.html", slug=d.name, nama=nama_desa(d), k=k, item=item, new=new, rel=rel,
                               table=table, fields=fields, errors=errors, general=general, warnings=warnings,
                               conflict=conflict, token=token, nama_berkas=nama_berkas, name_error=name_error,
                               empty_rows=EMPTY_ROWS), (409 if conflict else 422 if (errors or general or name_error)
                                                        else 200)

    @app.post("/desa/<slug>/<kind>/hapus/<item>")
    def hapus(slug, kind, item):
        d = vdir(slug)
        k = kind_or_404(kind)
        if k.mode == "tunggal" or not valid_item(k, item):
            abort(404)
        rel = rel_or_404(d, k, item)
        if not (d / rel).is_file():
            abort(404)
        conflict = stale(d, [rel], request.form.get("versi", ""))
        if conflict:
            flash(f"{rel} berubah sejak halaman dibuka; tidak ada yang dihapus. Periksa lagi.", "galat")
            return redirect(url_for("daftar", slug=slug, kind=kind))
        changes: dict[str, bytes | None] = {rel: None}
        if k.name == "pembangunan" and (d / "pembangunan" / item).is_dir():
            for p in (d / "pembangunan" / item).iterdir():
                if p.is_file():
                    changes[f"pembangunan/{item}/{p.name}"] = None
        result = checker.check(slug, changes)
        if not result.ok:
            for p in result.blocking:
                flash(f"Tidak dihapus: {p}", "galat")
            return redirect(url_for("daftar", slug=slug, kind=kind))
        apply_changes(d, changes)
        flash(f"Dihapus: {rel}", "ok")
        return redirect(url_for("daftar", slug=slug, kind=kind))

    @app.post("/desa/<slug>/apbdes/impor")
    def impor(slug):
        from ..apbdes.importer import import_file

        d = vdir(slug)
        k = kind_map["apbdes"]
        storage = request.files.get("laporan")
        tahun_raw = (request.form.get("tahun") or "").strip()
        messages: list[str] = []
        if storage is None or not storage.filename:
            messages.append("pilih berkas laporan Siskeudes (.xlsx atau .csv) atau ekspor OpenSID")
        tahun = None
        if tahun_raw:
            if not valid_item(k, tahun_raw):
                messages.append(f'tahun anggaran empat angka seperti "2025"; ditemukan "{tahun_raw}"')
            else:
                tahun = int(tahun_raw)
        if not messages:
            try:
                data, ext, stem = read_upload(storage, "impor")
            except UploadRefused as exc:
                messages.append(str(exc))
        if not messages:
            with tempfile.TemporaryDirectory(dir=work, prefix="impor-") as tmp:
                # The operator's own file name in the messages (made safe), so they know which file is meant.
                shown = secure_filename(storage.filename or "")
                src = Path(tmp) / (shown if shown.lower().endswith(ext) else f"{stem}{ext}")
                src.write_bytes(data)
                # First pass learns the year (when the report names it); the second writes into a copy of apbdes/.
                p1 = Problems(root=Path(tmp))
                imp = import_file(src, Path(tmp) / "coba" / "0000.csv", p1, tahun)
                if imp is None or p1:
                    messages += [str(p) for p in p1.errors]
                else:
                    tahun = imp.tahun
                    copy = Path(tmp) / "apbdes"
                    if (d / "apbdes").is_dir():
                        import shutil
                        shutil.copytree(d / "apbdes", copy)
                    copy.mkdir(exist_ok=True)
                    p2 = Problems(root=Path(tmp))
                    imp = import_file(src, copy / f"{tahun}.csv", p2, tahun)
                    if imp is None or p2:
                        messages += [str(p) for p in p2.errors]
                    else:
                        changes = {}
                        for p in sorted(copy.iterdir()):
                            old = d / "apbdes" / p.name
                            if p.is_file() and (not old.is_file() or old.read_bytes() != p.read_bytes()):
                                changes[f"apbdes/{p.name}"] = p.read_bytes()
                        existing = (d / "apbdes" / f"{tahun}.csv").is_file()
                        if existing and request.form.get("timpa") != "ya":
                            messages.append(f"apbdes/{tahun}.csv sudah ada; centang \"Ganti data tahun {tahun}\" "
                                            "untuk menggantinya dengan isi laporan ini")
                        elif changes:
                            result = checker.check(slug, changes)
                            if result.ok:
                                _write(d, changes)
                                flash(f"Laporan diimpor ke apbdes/{tahun}.csv: {len(imp.lines)} baris, "
                                      f"{imp.checked} angka jumlah di laporan diperiksa dan cocok.", "ok")
                                for p in result.warnings:
                                    flash(f"Peringatan: {p}", "peringatan")
                                return redirect(url_for("ubah_item", slug=slug, kind="apbdes", item=str(tahun)))
                            messages += [str(p) for p in result.blocking]
                        else:
                            flash(f"apbdes/{tahun}.csv sudah sama dengan laporan ini; tidak ada yang berubah.", "ok")
                            return redirect(url_for("ubah_item", slug=slug, kind="apbdes", item=str(tahun)))
        items = [(i, "", token_for(d, [k.rel(i)])) for i in k.items(d)]
        return render_template("daftar.html", slug=slug, nama=nama_desa(d), k=k, items=items,
                               token=upstream_token(d), impor_errors=messages), 422

    @app.route("/desa/<slug>/dokumen/", methods=["GET", "POST"])
    def dokumen(slug):
        d = vdir(slug)
        errors: list[str] = []
        if request.method == "POST":
            storage = request.files.get("berkas")
            if storage is None or not storage.filename:
                errors.append("pilih dokumen PDF yang akan diunggah")
            else:
                try:
                    data, ext, stem = read_upload(storage, "dokumen")
                    data = clean_pdf(data)
                    wanted = slugify(request.form.get("nama") or "", max_length=80) or stem
                    rel = free_name(d, "dokumen", wanted, ext, data)
                    result = checker.check(slug, {rel: data})
                    if result.ok:
                        _write(d, {rel: data})
                        flash(f"Tersimpan: {rel}. Tautkan dari Produk hukum atau Daftar informasi publik.", "ok")
                        return redirect(url_for("dokumen", slug=slug))
                    errors += [p.message for p in result.blocking]
                except UploadRefused as exc:
                    errors.append(str(exc))
        folder = d / "dokumen"
        docs = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        return render_template("dokumen.html", slug=slug, nama=nama_desa(d), docs=docs, errors=errors), \
            (422 if errors else 200)

    @app.get("/desa/<slug>/berkas/<path:rel>")
    def berkas(slug, rel):
        d = vdir(slug)
        try:
            target = inside(d, rel)
        except OutsideVillage:
            abort(404)
        if not target.is_file() or target.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf"):
            abort(404)
        return send_file(target, max_age=0)

    @app.post("/api/markdown")
    def api_markdown():
        text = request.form.get("isi", "")
        return jsonify(html=render_markdown(text[:200_000]))

    @app.post("/desa/<slug>/pratinjau")
    def pratinjau_bangun(slug):
        d = vdir(slug)
        report = build_preview(root, settings_file, villages, slug, work, registry=app.config["PAPAN_REGISTRY"])
        if not report.ok:
            problems = [str(p) for p in report.failed.get(slug, []) + report.withheld.get(slug, [])] + \
                [str(p) for p in report.kabupaten_problems]
            return render_template("pesan.html", judul="Pratinjau belum dapat dibuat",
                                   pesan="Perbaiki dulu hal berikut; situs yang sudah terbit tidak berubah.",
                                   daftar=problems, kembali=url_for("desa", slug=slug)), 422
        del d
        return redirect(url_for("pratinjau", slug=slug, path=f"{slug}/"))

    @app.get("/pratinjau/<slug>/", defaults={"path": ""})
    @app.get("/pratinjau/<slug>/<path:path>")
    def pratinjau(slug, path):
        vdir(slug)
        base = preview_dir(work, slug)
        target = safe_join(str(base), path) if path else str(base)
        if target is None:
            abort(404)
        t = Path(target)
        if t.is_dir():
            t = t / "index.html"
        if not t.is_file():
            abort(404)
        return send_file(t, max_age=0)

    @app.route("/desa/<slug>/terbitkan", methods=["GET", "POST"])
    def terbitkan(slug):
        d = vdir(slug)
        repo = repo_of(d)
        if repo is None:
            return render_template("pesan.html", judul="Belum ada repositori git",
                                   pesan="Folder desa ini tidak berada di dalam repositori git, jadi tidak dapat "
                                         "diterbitkan dari sini. Minta petugas kabupaten menyiapkannya.",
                                   kembali=url_for("desa", slug=slug)), 409
        note = ""
        result = None
        conflict = None
        errors: dict[str, str] = {}
        nama = session.get("penulis_nama", "")
        email = session.get("penulis_email", "")
        if request.method == "POST":
            nama = " ".join((request.form.get("nama") or "").split())
            email = (request.form.get("email") or "").strip()
            if not nama or len(nama) > 100 or any(c in nama for c in "<>\n"):
                errors["nama"] = f'nama Anda untuk catatan perubahan; ditemukan "{nama}"'
            if not NAME_EMAIL.fullmatch(email):
                errors["email"] = f'alamat e-mail seperti "operator@kaligowong.desa.id"; ditemukan "{email}"'
            if not errors:
                session["penulis_nama"], session["penulis_email"] = nama, email
                problems = checker.village(slug)
                if problems.errors:
                    conflict = gitops.Conflict("data desa masih punya kesalahan; perbaiki dulu agar dapat terbit")
                else:
                    try:
                        seen = gitops.Snapshot.parse(request.form.get("versi", ""))
                        result = gitops.publish(repo, d, nama_desa(d), nama, email, seen)
                    except gitops.Conflict as exc:
                        conflict = exc
                    except gitops.GitError as exc:
                        conflict = gitops.Conflict(str(exc))
        else:
            note = (gitops.fetch(repo) or "") if gitops.has_remote(repo) else ""
        snap = gitops.snapshot(repo, d)
        problems = checker.village(slug)
        return render_template("terbitkan.html", slug=slug, nama=nama_desa(d), changed=changed_list(d) or [],
                               token=snap.token(), note=note, result=result, conflict=conflict,
                               errors=problems.errors, form_errors=errors, penulis_nama=nama, penulis_email=email,
                               remote=gitops.has_remote(repo)), (409 if conflict else 200)

    return app


NAME_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}")


def _label(schema, name: str) -> str:
    if name == "_isi":
        return "Isi"
    f = schema.field(name)
    return f.label if f else name


def main_admin(argv: list[str] | None = None) -> int:
    """``papan admin [--host H] [--port P] [--villages DIR]``: start Papan Admin and print its address."""
    import argparse
    import sys

    from werkzeug.serving import make_server

    from ..cli import ROOT

    p = argparse.ArgumentParser(prog="papan admin", description="Papan Admin: ubah data desa lewat peramban.")
    p.add_argument("--host", default=os.environ.get("PAPAN_ADMIN_HOST") or None,
                   help="alamat yang didengarkan (bawaan: PAPAN_ADMIN_HOST atau 127.0.0.1)")
    p.add_argument("--port", type=int, default=int(os.environ.get("PAPAN_ADMIN_PORT") or 0) or None,
                   help="port (bawaan: PAPAN_ADMIN_PORT atau 8765)")
    p.add_argument("--villages", metavar="DIR", help="folder berisi folder desa (bawaan: villages/)")
    p.add_argument("--settings", metavar="FILE", help="pengaturan (bawaan: pelicanconf.py)")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    settings_file = Path(args.settings).resolve() if args.settings else ROOT / "pelicanconf.py"
    root = settings_file.parent
    from ..build import BuildOptions, load_settings
    settings = load_settings(BuildOptions(root=root, settings_file=settings_file))
    host = args.host or settings.get("PAPAN_ADMIN_HOST") or "127.0.0.1"
    port = args.port or int(settings.get("PAPAN_ADMIN_PORT") or 8765)
    password = os.environ.get("PAPAN_ADMIN_PASSWORD") or None
    if not is_loopback(host) and not password:
        print(f"papan admin: alamat {host} dapat dibuka dari komputer lain; isi variabel lingkungan "
              "PAPAN_ADMIN_PASSWORD dengan kata sandi terlebih dahulu (atau pakai 127.0.0.1)", file=sys.stderr)
        return 2
    app = create_app(root, Path(args.villages).resolve() if args.villages else None, settings_file=settings_file,
                     work_dir=root / ".cache" / "admin", password=password)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        print(f"papan admin: tidak dapat memakai {host}:{port} ({exc.strerror}); coba --port lain", file=sys.stderr)
        return 2
    shown = f"[{host}]" if ":" in host else host
    print(f"Papan Admin berjalan di http://{shown}:{server.server_port}/  (tekan Ctrl+C untuk berhenti)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nPapan Admin berhenti.")
    return 0
