"""Command line: ``papan build``, ``papan demo``, ``papan docs``, ``papan impor-apbdes``, ``papan admin``,
``papan cabut``.

Exit codes: 0 all well, 1 invalid input (the summary says where), 2 wrong usage.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _summary(report, check_only: bool) -> str:
    lines = []
    if report.kabupaten_problems:
        lines.append("Kesalahan pada data kabupaten:")
        lines += [f"  {p}" for p in report.kabupaten_problems]
    for w in report.kabupaten_warnings:
        lines.append(f"  {w}")
    for slug, warns in sorted(report.warnings.items()):
        for w in warns:
            lines.append(f"  {w}")
    if report.failed:
        lines.append(f"Desa yang gagal ({len(report.failed)}):")
        for slug, probs in sorted(report.failed.items()):
            lines.append(f"  {slug}:")
            lines += [f"    {p}" for p in probs] or ["    (lihat pesan di atas)"]
    withheld = ""
    if report.withheld:
        from .problems import withheld_lines, withheld_summary
        from .tahan import count_units

        withheld = withheld_summary(*count_units(report.withheld_files))
        lines.append(f"Berkas yang ditahan ({withheld}); desa lainnya tetap terbit:")
        for slug, probs in sorted(report.withheld.items()):
            lines += withheld_lines(slug, probs, report.withheld_files.get(slug, {}))
        withheld += ", "
    from .ocr import is_held  # scans OCR could not judge: listed once more, together

    held = sorted({p.file for group in (report.failed, report.withheld) for probs in group.values()
                   for p in probs if is_held(p.message)})
    if held:
        lines.append(f"Berkas ditahan, menunggu tinjauan di tinjauan.csv ({len(held)}): " + ", ".join(held))
    sec = f"{report.seconds:.1f}".replace(".", ",")
    if check_only:
        lines.append(f"Pemeriksaan: {len(report.built)} desa benar, {withheld}{len(report.failed)} gagal, {sec} detik. "
                     "Tidak ada berkas yang ditulis.")
    else:
        lines.append(f"Ringkasan: {len(report.built)} desa dibangun, {len(report.skipped)} dilewati (tidak berubah), "
                     f"{withheld}{len(report.failed)} gagal, {report.pages} halaman, {sec} detik.")
        if report.stages and report.seconds >= 2:
            lines.append("Waktu per tahap: " + ", ".join(f"{k} {v:.1f} s".replace(".", ",")
                                                        for k, v in report.stages.items() if v >= 0.05) + ".")
        if report.output_dir and report.output_dir.is_dir():
            lines.append(f"Situs ada di {report.output_dir}/index.html"
                         + ("" if report.changed else " (tidak ada perubahan)"))
    return "\n".join(lines)


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f'bentuknya K/N, misalnya 1/4; ditemukan "{text}"') from None
    if not (1 <= k <= n):
        raise argparse.ArgumentTypeError(f"K harus 1..N; ditemukan {text}")
    return (k, n)


def cmd_build(args) -> int:
    from .build import BuildOptions, build

    opts = BuildOptions(
        root=ROOT if args.settings is None else Path(args.settings).resolve().parent,
        settings_file=Path(args.settings or ROOT / "pelicanconf.py").resolve(),
        villages_dir=Path(args.villages).resolve() if args.villages else None,
        output_dir=Path(args.output).resolve() if args.output else None,
        content_dir=Path(args.content).resolve() if args.content else None,
        cache_dir=Path(args.cache).resolve() if args.cache else None,
        registry=Path(args.registry).resolve() if args.registry else None,
        shard=args.shard, check_only=args.check, jobs=args.jobs, force=args.force,
        progress=sys.stderr.isatty() and not args.quiet, siteurl=args.siteurl, delete_in_background=True)
    if not opts.settings_file.is_file():
        print(f"papan: berkas pengaturan tidak ada: {opts.settings_file}", file=sys.stderr)
        return 2
    if opts.villages_dir and not opts.villages_dir.is_dir():
        print(f"papan: folder desa tidak ada: {opts.villages_dir}", file=sys.stderr)
        return 2
    if args.assemble:
        from .build import assemble
        report = assemble(opts, [Path(p).resolve() for p in args.assemble])
    else:
        report = build(opts)
    print(_summary(report, args.check))
    return report.exit_code


def cmd_demo(args) -> int:
    from .demo import generate  # (demo.generate imports every data kind's demo writer)

    out = Path(args.output)
    if out.exists() and any(out.iterdir()) and not args.force:
        print(f"papan: folder {out} tidak kosong; pakai --force untuk menimpanya", file=sys.stderr)
        return 2
    n = generate(out, args.villages, seed=args.seed, registry_path=ROOT / "data" / "wonosobo-wilayah-2025.csv")
    print(f"{n} desa contoh ditulis ke {out}")
    return 0


def cmd_docs(args) -> int:
    from .docs import write_docs

    changed = write_docs(ROOT / "docs", check=args.check)
    if args.check and changed:
        print("docs/ tidak sesuai dengan skema: jalankan `papan docs`: " + ", ".join(changed), file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="papan", description="Papan Desa: situs informasi publik untuk setiap desa.")
    sub = p.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="bangun situs semua desa dan portal kabupaten")
    b.add_argument("--villages", metavar="DIR", help="folder berisi folder desa (bawaan: villages/)")
    b.add_argument("--output", metavar="DIR", help="folder hasil (bawaan: output/)")
    b.add_argument("--content", metavar="DIR", help="halaman kabupaten (bawaan: content/)")
    b.add_argument("--settings", metavar="FILE", help="pengaturan Pelican (bawaan: pelicanconf.py)")
    b.add_argument("--cache", metavar="DIR", help="folder cache (bawaan: .cache/papan)")
    b.add_argument("--registry", metavar="FILE", help="daftar wilayah (bawaan: PAPAN_REGISTRY)")
    b.add_argument("--siteurl", metavar="URL", help="timpa SITEURL")
    b.add_argument("--check", action="store_true", help="periksa saja, tidak menulis apa pun")
    b.add_argument("--force", action="store_true", help="bangun ulang semua desa")
    b.add_argument("--jobs", type=int, default=0, metavar="N", help="jumlah proses (bawaan: semua inti)")
    b.add_argument("--quiet", action="store_true", help="tanpa tampilan kemajuan")
    b.add_argument("--shard", type=_shard, metavar="K/N",
                   help="bangun hanya bagian K dari N (matriks CI); portal dirakit dengan --assemble")
    b.add_argument("--assemble", nargs="+", metavar="DIR",
                   help="rakit situs dan portal dari hasil beberapa --shard")
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("demo", help="buat kabupaten contoh berisi N desa sintetis (deterministik)")
    d.add_argument("--villages", type=int, required=True, metavar="N")
    d.add_argument("--output", required=True, metavar="DIR")
    d.add_argument("--seed", type=int, default=2025)
    d.add_argument("--force", action="store_true")
    d.set_defaults(func=cmd_demo)

    sub.add_parser("impor-apbdes", help="impor laporan Siskeudes (XLSX/CSV) atau ekspor OpenSID ke apbdes/<tahun>.csv",
                   add_help=False)

    sub.add_parser("admin", help="Papan Admin: ubah data desa lewat peramban (127.0.0.1, atau --server untuk "
                                 "kabupaten); papan admin pengguna … mengelola akun", add_help=False)
    sub.add_parser("cabut", help='cabut berkas yang sudah terbit: cabut PATH --alasan "…"', add_help=False)

    g = sub.add_parser("docs", help="tulis ulang dokumentasi format data dari skema")
    g.add_argument("--check", action="store_true", help="hanya periksa apakah docs/ sudah sesuai")
    g.set_defaults(func=cmd_docs)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["admin"]:
        from .admin.server import main_admin

        return main_admin(argv[1:])
    if argv[:1] == ["cabut"]:  # take-down of a published file (plugins/papan_desa/cabut.py)
        from .cabut import main_cabut

        return main_cabut(argv[1:], villages_dir=ROOT / "villages", cache_dir=ROOT / ".cache" / "papan", root=ROOT)
    if argv[:1] == ["impor-apbdes"]:
        # The importer owns its arguments (papan impor-apbdes --help).
        from .apbdes.importer import main_import

        return main_import(argv[1:])
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\npapan: dihentikan; situs yang sudah terbit tidak berubah", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
