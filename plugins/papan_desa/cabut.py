"""Take-down: ``papan cabut PATH --alasan "…"`` withdraws a published file or picture everywhere.

What the command does, in the village's own files (nothing else has to know about it):

1. records the withdrawal in ``villages/<desa>/dicabut.csv`` (path, SHA-256 of its bytes, date, reason):
   the guard refuses any file with those bytes from then on, under any name, so a re-upload of the
   same scan is stopped;
2. deletes the file and removes every reference to it from the village's Markdown and CSV files
   (a picture in a post, a ``berkas`` cell of a legal product, a link in a notice), so the next build
   succeeds without it: the pages, search index, open data, feeds, sitemap and posters are all made
   from those files and no longer hold it;
3. deletes the village's last good pages and kept copies from the local build cache; a cache
   elsewhere (another machine, CI) cannot serve them either, since kept state is published only
   under the withdrawal list it was built with (:func:`withdrawals_fingerprint`);
4. prints the steps that follow (commit, ``make github`` which replaces the published branch by one
   commit without history, purging the source repository's history with git-filter-repo) and a dated
   record for the report to the data owner (UU PDP 27/2022: within 3 x 24 hours).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .schema import Field, Schema, register

WITHDRAWN_FILE = "dicabut.csv"

DICABUT = register(Schema(
    name="dicabut", title="Berkas yang dicabut", path=WITHDRAWN_FILE, format="csv",
    description=("Berkas yang ditarik dari situs karena memuat data pribadi atau tidak boleh terbit, ditulis oleh "
                 "perintah `papan cabut`. Berkas dengan isi yang sama (sidik SHA-256) ditolak bila diunggah lagi, "
                 "dengan nama apa pun. Jangan hapus barisnya; lihat `docs/privasi-dan-keamanan.md`."),
    fields=(
        Field("berkas", "Berkas yang dicabut", required=True, example="dokumen/sk-kades-3-2025-blt.pdf",
              help="Jalur berkas dari folder desa saat dicabut."),
        Field("sha256", "Sidik isi berkas (SHA-256)", required=True,
              example="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        Field("tanggal", "Tanggal pencabutan", "tanggal", required=True, example="2025-08-01"),
        Field("alasan", "Alasan", required=True, example="Memuat NIK penerima BLT Desa"),
    )))

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Withdrawal:
    berkas: str
    sha256: str
    tanggal: str
    alasan: str
    line: int


def load_withdrawals(village_dir: Path, problems) -> dict[str, Withdrawal]:
    """``dicabut.csv`` of a village: SHA-256 -> its withdrawal (missing file: none)."""
    from .problems import expected_found
    from .publikasi.common import read_csv

    path = Path(village_dir) / WITHDRAWN_FILE
    if not path.is_file():
        return {}
    out: dict[str, Withdrawal] = {}
    for line, r in read_csv(path, DICABUT, problems):
        digest = r["sha256"].strip().lower()
        if not _HEX64.match(digest):
            problems.error(path, line, r["_kolom"]["sha256"], "sidik SHA-256 tidak sah; "
                           + expected_found("64 huruf 0-9/a-f", r["sha256"][:70]))
            continue
        out[digest] = Withdrawal(r["berkas"], digest, r["tanggal"].isoformat(), r["alasan"], line)
    return out


def withdrawals_fingerprint(village_dir: Path) -> str:
    """What identifies a village's withdrawal list (``dicabut.csv``): a hash of its bytes, ``-`` when there
    is none. Kept state (last good pages, kept copies) is published only under the list it was built
    with: after a take-down nothing built before it can come back (build.kept_pages, tahan.Sah)."""
    try:
        return hashlib.sha256((Path(village_dir) / WITHDRAWN_FILE).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "-"
    except OSError:
        return "?"          # unreadable: matches nothing kept


def purge_kept(cache_dir: Path, slug: str) -> None:
    """Delete a village's kept state from a build cache: its last good pages and kept copies under
    every villages tree and code, and the guard's findings."""
    cache_dir = Path(cache_dir)
    for top in ("desa", "sah"):
        for p in sorted((cache_dir / top).glob(f"*/*/{slug}")):
            shutil.rmtree(p, ignore_errors=True)
    (cache_dir / "periksa" / f"{slug}.json").unlink(missing_ok=True)


def withdrawn_message(w: Withdrawal) -> str:
    return (f'isi berkas ini sama dengan "{w.berkas}" yang dicabut pada {w.tanggal} ({w.alasan}); '
            f"berkas yang sudah dicabut tidak boleh terbit lagi: hapus berkasnya (lihat {WITHDRAWN_FILE})")


# --------------------------------------------------------------------------
# Removing references
# --------------------------------------------------------------------------

def _ref_patterns(rel: str) -> list[tuple[re.Pattern, str]]:
    r = r"(?:\./)?" + re.escape(rel)
    title = r'(?:\s+"[^"]*")?'
    return [
        (re.compile(r"!\[[^\]]*\]\(\s*<?" + r + r">?" + title + r"\s*\)"), ""),          # ![alt](path)
        (re.compile(r"\[([^\]]*)\]\(\s*<?" + r + r">?" + title + r"\s*\)"), r"\1"),      # [text](path) -> text
        (re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']" + r + r"[\"'][^>]*>", re.I), ""),    # <img src=path>
        (re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']" + r + r"[\"'][^>]*>(.*?)</a>", re.I | re.S), r"\1"),
    ]


def _without_item(value: str, rel: str) -> str:
    """'a.jpg, path, b.jpg' -> 'a.jpg, b.jpg' (a list of files in one header field or cell)."""
    items = [x.strip() for x in value.split(",")]
    kept = [x for x in items if x.removeprefix("./") != rel]
    return ", ".join(kept) if len(kept) != len(items) else value


def _edit_markdown(text: str, rel: str) -> str:
    for pat, repl in _ref_patterns(rel):
        text = pat.sub(repl, text)
    out = []
    for line in text.split("\n"):
        m = re.match(r"^([A-Za-z_][\w ]*:\s*)(.*)$", line)
        if m and rel in m.group(2):
            line = m.group(1) + _without_item(m.group(2), rel)
        out.append(line)
    return "\n".join(out)


def _edit_csv(text: str, rel: str) -> str:
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    changed = False
    for row in rows:
        for i, cell in enumerate(row):
            if rel in cell:
                new = _without_item(cell, rel)
                if new.strip().removeprefix("./") == rel:
                    new = ""
                if new != cell:
                    row[i] = new
                    changed = True
    if not changed:
        return text
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def remove_references(village_dir: Path, rel: str) -> list[Path]:
    """Remove every reference to ``rel`` from the village's Markdown and CSV files; return those changed."""
    changed = []
    for p in sorted(Path(village_dir).rglob("*")):
        if not p.is_file() or p.is_symlink() or p.name == WITHDRAWN_FILE:
            continue
        ext = p.suffix.lower()
        if ext not in (".md", ".markdown", ".csv"):
            continue
        text = p.read_text(encoding="utf-8", errors="surrogateescape")
        if rel not in text:
            continue
        new = _edit_csv(text, rel) if ext == ".csv" else _edit_markdown(text, rel)
        if new != text:
            p.write_text(new, encoding="utf-8", errors="surrogateescape")
            changed.append(p)
    return changed


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------

@dataclass
class Result:
    village: Path
    rel: str
    digest: str
    size: int
    changed: list[Path]
    record: str
    steps: str


def withdraw(path: Path, reason: str, *, villages_dir: Path, cache_dir: Path | None = None,
             today: dt.date | None = None, root: Path | None = None) -> Result:
    """Withdraw one file of a village (see the module docstring). Raises ValueError (Indonesian) on bad use."""
    path = Path(path)
    villages_dir = Path(villages_dir).resolve()
    root = Path(root).resolve() if root else villages_dir.parent
    today = today or dt.date.today()
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError('alasan pencabutan wajib diisi, mis. --alasan "Memuat NIK penerima BLT Desa"')
    full = (path if path.is_absolute() else Path.cwd() / path)
    try:
        full = full.parent.resolve() / full.name
        inside = full.relative_to(villages_dir)
    except (ValueError, OSError):
        raise ValueError(f"berkas harus berada di folder desa ({villages_dir}); ditemukan {path}") from None
    if len(inside.parts) < 2:
        raise ValueError(f"sebutkan satu berkas di dalam folder desa, mis. villages/<desa>/dokumen/x.pdf; ditemukan {path}")
    if full.is_symlink() or not full.is_file():
        raise ValueError(f"berkas {path} tidak ada (atau bukan berkas biasa)")
    village = villages_dir / inside.parts[0]
    rel = Path(*inside.parts[1:]).as_posix()
    if rel in (WITHDRAWN_FILE, "desa.md"):
        raise ValueError(f"{rel} tidak dapat dicabut; ubah isinya lalu bangun ulang")
    data = full.read_bytes()
    digest = hashlib.sha256(data).hexdigest()

    listing = village / WITHDRAWN_FILE
    if listing.exists():
        text = listing.read_text(encoding="utf-8")
        if text and not text.endswith("\n"):
            text += "\n"
    else:
        text = ",".join(f.name for f in DICABUT.fields) + "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([rel, digest, today.isoformat(), reason])
    listing.write_text(text + buf.getvalue(), encoding="utf-8")

    full.unlink()
    changed = remove_references(village, rel)
    if cache_dir is not None:
        purge_kept(cache_dir, village.name)

    repo_path = (village / rel).relative_to(root).as_posix() if (village / rel).is_relative_to(root) else str(full)
    record = "\n".join([
        "CATATAN PENCABUTAN DATA (untuk laporan kepada pemilik data dan PPID)",
        f"  Tanggal pencabutan : {today.isoformat()}",
        f"  Desa               : {village.name}",
        f"  Berkas             : {repo_path} ({len(data):,} bita)".replace(",", "."),
        f"  Sidik SHA-256      : {digest}",
        f"  Alasan             : {reason}",
        f"  Alamat yang terdampak: /{village.name}/{rel} dan halaman yang menautnya",
        "  Batas waktu UU PDP 27/2022: 3 x 24 jam sejak kebocoran diketahui",
    ])
    steps = "\n".join([
        "LANGKAH BERIKUTNYA (rinciannya dan lamanya: docs/privasi-dan-keamanan.md, bagian Pencabutan):",
        f"  1. Periksa dan simpan perubahan:  git add -A {village.relative_to(root).as_posix() if village.is_relative_to(root) else village}"
        f' && git commit -m "Cabut {rel}: {reason}"',
        "  2. Terbitkan ulang tanpa riwayat: make github   (cabang gh-pages diganti satu commit baru)",
        "     atau, bila terbit lewat GitHub Actions: push ke main dan tunggu alur publish selesai.",
        "  3. Hapus dari riwayat repositori sumber (semua klon harus diganti):",
        "       pip install git-filter-repo",
        f"       git filter-repo --invert-paths --path {repo_path} --force",
        "       git remote add origin <alamat-repositori>   # filter-repo melepas remote",
        "       git push --force --all && git push --force --tags",
        "  4. Minta GitHub menghapus salinan tembolok (commit lama masih dapat dibuka lewat SHA):",
        "       https://support.github.com/contact (Remove cached views / sensitive data)",
        "  5. Kirim catatan di bawah ini kepada pemilik data dan PPID desa.",
    ])
    return Result(village, rel, digest, len(data), changed, record, steps)


def main_cabut(argv: list[str], *, villages_dir: Path, cache_dir: Path, root: Path) -> int:
    p = argparse.ArgumentParser(prog="papan cabut", description=(
        "Cabut berkas atau gambar yang sudah terbit (mis. memuat NIK): hilang dari semua halaman, pencarian, "
        "data terbuka, umpan, peta situs dan poster pada pembangunan berikutnya."))
    p.add_argument("path", metavar="PATH", help="berkas di folder desa, mis. villages/kaligowong/dokumen/sk.pdf")
    p.add_argument("--alasan", required=True, help="alasan pencabutan (satu kalimat)")
    p.add_argument("--tanggal", help="tanggal pencabutan TTTT-BB-HH (bawaan: hari ini)")
    p.add_argument("--villages", metavar="DIR", help="folder berisi folder desa (bawaan: villages/)")
    p.add_argument("--cache", metavar="DIR", help="folder cache pembangunan (bawaan: .cache/papan)")
    args = p.parse_args(argv)
    villages_dir = Path(args.villages).resolve() if args.villages else villages_dir
    cache_dir = Path(args.cache).resolve() if args.cache else cache_dir
    try:
        today = dt.date.fromisoformat(args.tanggal) if args.tanggal else None
    except ValueError:
        print(f'papan cabut: --tanggal berbentuk TTTT-BB-HH, ditemukan "{args.tanggal}"', file=sys.stderr)
        return 2
    try:
        res = withdraw(Path(args.path), args.alasan, villages_dir=villages_dir, cache_dir=cache_dir, today=today,
                       root=root)
    except ValueError as exc:
        print(f"papan cabut: {exc}", file=sys.stderr)
        return 2
    print(f"Dicabut: {res.village.name}/{res.rel} (dicatat di {res.village.name}/{WITHDRAWN_FILE}).")
    for c in res.changed:
        print(f"  rujukan dihapus dari {c.relative_to(res.village).as_posix()}")
    print()
    print(res.steps)
    print()
    print(res.record)
    return 0
