"""``papan admin``: start Papan Admin (one person on 127.0.0.1, or ``--server`` for the kabupaten) and
``papan admin pengguna …``: manage its accounts. Served by waitress (pure Python, also on Windows)."""
from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from pathlib import Path

from .accounts import AccountError, AccountStore, default_path, session_secret

ROOT = Path(__file__).resolve().parents[3]


def _settings(settings_file: Path) -> dict:
    from ..build import BuildOptions, load_settings
    return load_settings(BuildOptions(root=settings_file.parent, settings_file=settings_file))


def _inside_git_unignored(path: Path) -> bool:
    """True when ``path`` would be inside a git work tree and not ignored there (it could be committed)."""
    probe = path.parent
    while not probe.exists():
        probe = probe.parent
    top = subprocess.run(["git", "-C", str(probe), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0:
        return False
    ignored = subprocess.run(["git", "-C", top.stdout.strip(), "check-ignore", "-q", "--no-index", str(path)],
                             capture_output=True)
    return ignored.returncode != 0


def _read_password(prompt: str, stdin=None) -> str:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass(prompt)
        again = getpass.getpass("Ulangi kata sandi: ")
        if first != again:
            raise AccountError("kedua kata sandi tidak sama")
        return first
    return stdin.readline().rstrip("\r\n")


def main_pengguna(argv: list[str], store_path: Path) -> int:
    p = argparse.ArgumentParser(prog="papan admin pengguna", description="Akun Papan Admin.")
    sub = p.add_subparsers(dest="aksi", required=True)
    t = sub.add_parser("tambah", help="buat akun (kata sandi dibaca dari terminal atau stdin)")
    t.add_argument("nama")
    t.add_argument("--desa", action="append", default=[], metavar="SLUG", help="desa yang boleh diubah (boleh diulang)")
    t.add_argument("--kabupaten", action="store_true", help="semua desa, dan mengelola akun")
    t.add_argument("--email", default="", help="e-mail untuk riwayat perubahan (boleh kosong)")
    sub.add_parser("daftar", help="tampilkan akun")
    h = sub.add_parser("hapus", help="hapus akun (sesinya langsung berakhir)")
    h.add_argument("nama")
    g = sub.add_parser("ganti-sandi", help="ganti kata sandi (sesi lama berakhir)")
    g.add_argument("nama")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if _inside_git_unignored(store_path):
        print(f"papan admin: berkas akun {store_path} berada di dalam repositori git dan tidak diabaikan; "
              "pilih tempat lain (--pengguna) atau tambahkan ke .gitignore", file=sys.stderr)
        return 2
    store = AccountStore(store_path)
    try:
        if args.aksi == "tambah":
            if args.desa and args.kabupaten:
                raise AccountError("pilih --desa atau --kabupaten, tidak keduanya")
            from ..village import SLUG
            bad = [s for s in args.desa if not SLUG.fullmatch(s)]
            if bad:
                raise AccountError(f"nama folder desa seperti \"kaligowong\"; ditemukan \"{bad[0]}\"")
            acc = store.add(args.nama, _read_password("Kata sandi baru: "), desa=args.desa,
                            kabupaten=args.kabupaten, email=args.email)
            print(f"Akun {acc.name} dibuat ({acc.role}).")
        elif args.aksi == "daftar":
            accounts = store.all()
            if not accounts:
                print("Belum ada akun.")
            for acc in accounts:
                print(f"{acc.name}\t{acc.role}")
        elif args.aksi == "hapus":
            store.remove(args.nama)
            print(f"Akun {args.nama} dihapus.")
        else:
            if store.get(args.nama) is None:
                raise AccountError(f'pengguna "{args.nama}" tidak ada')
            store.set_password(args.nama, _read_password("Kata sandi baru: "))
            print(f"Kata sandi {args.nama} diganti; sesi lamanya berakhir.")
    except AccountError as exc:
        print(f"papan admin pengguna: {exc}", file=sys.stderr)
        return 1
    return 0


def main_admin(argv: list[str] | None = None) -> int:
    """``papan admin [--server] [--host H] [--port P] [--villages DIR]`` or ``papan admin pengguna …``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="papan admin", description="Papan Admin: ubah data desa lewat peramban.")
    p.add_argument("--server", action="store_true",
                   help="untuk kabupaten: dengarkan di PAPAN_ADMIN_HOST (bawaan 0.0.0.0), semua halaman meminta "
                        "masuk dengan akun")
    p.add_argument("--host", default=os.environ.get("PAPAN_ADMIN_HOST") or None,
                   help="alamat yang didengarkan (bawaan: PAPAN_ADMIN_HOST atau 127.0.0.1)")
    p.add_argument("--port", type=int, default=int(os.environ.get("PAPAN_ADMIN_PORT") or 0) or None,
                   help="port (bawaan: PAPAN_ADMIN_PORT atau 8765)")
    p.add_argument("--threads", type=int, default=8, help="jumlah utas waitress (bawaan 8)")
    p.add_argument("--proxy", action="store_true",
                   help="di belakang reverse proxy HTTPS: percayai X-Forwarded-For/-Proto dari proxy itu")
    p.add_argument("--villages", metavar="DIR", help="folder berisi folder desa (bawaan: villages/)")
    p.add_argument("--settings", metavar="FILE", help="pengaturan (bawaan: pelicanconf.py)")
    p.add_argument("--kerja", metavar="DIR",
                   help="folder kerja (berkas sementara, pratinjau; bawaan .cache/admin, di sistem berkas yang sama "
                        "dengan folder desa)")
    p.add_argument("--pengguna", metavar="FILE",
                   help="berkas akun (bawaan: PAPAN_ADMIN_PENGGUNA atau .papan-admin/pengguna.json)")
    pengguna = None
    if "pengguna" in argv:
        i = argv.index("pengguna")
        argv, pengguna = argv[:i], argv[i + 1:]
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    settings_file = Path(args.settings).resolve() if args.settings else ROOT / "pelicanconf.py"
    root = settings_file.parent
    store_path = Path(args.pengguna).resolve() if args.pengguna else default_path(root)
    if pengguna is not None:
        return main_pengguna(pengguna, store_path)
    settings = _settings(settings_file)
    host = args.host or settings.get("PAPAN_ADMIN_HOST") or "127.0.0.1"
    if args.server and not args.host and host == "127.0.0.1":
        host = "0.0.0.0"
    port = args.port or int(settings.get("PAPAN_ADMIN_PORT") or 8765)
    from .access import is_loopback
    public = args.server or not is_loopback(host)
    if _inside_git_unignored(store_path):
        print(f"papan admin: berkas akun {store_path} berada di dalam repositori git dan tidak diabaikan; pilih "
              "tempat lain (--pengguna) atau tambahkan ke .gitignore", file=sys.stderr)
        return 2
    store = AccountStore(store_path)
    if public and not any(a.kabupaten for a in store.all()):
        print(f"papan admin: alamat {host} dapat dibuka dari komputer lain; buat dulu akun kabupaten:\n"
              f"  papan admin pengguna tambah NAMA --kabupaten\n(atau jalankan tanpa --server di 127.0.0.1)",
              file=sys.stderr)
        return 2
    from .app import create_app
    work = Path(args.kerja).resolve() if args.kerja else root / ".cache" / "admin"
    app = create_app(root, Path(args.villages).resolve() if args.villages else None, settings_file=settings_file,
                     work_dir=work, accounts=store_path, public=public, secret_key=session_secret(store_path.parent))
    wsgi = app
    if args.proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix
        wsgi = ProxyFix(app, x_for=1, x_proto=1, x_host=1)
    from waitress import create_server
    try:
        server = create_server(wsgi, host=host, port=port, threads=max(2, args.threads), ident="Papan Admin",
                               channel_timeout=120, max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
                               trusted_proxy=None)
    except OSError as exc:
        print(f"papan admin: tidak dapat memakai {host}:{port} ({exc.strerror}); coba --port lain", file=sys.stderr)
        return 2
    shown = f"[{host}]" if ":" in host else host
    mode = "untuk kabupaten (masuk dengan akun)" if public else "untuk komputer ini saja"
    print(f"Papan Admin berjalan di http://{shown}:{server.effective_port}/  {mode}; tekan Ctrl+C untuk berhenti",
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        print("\nPapan Admin berhenti.")
    return 0
