"""Read a village's APBDes files: ``apbdes/<tahun>.csv`` + ``apbdes/<tahun>.md``.

A year with any error is not returned (its pages are not published with wrong
numbers); every error names file, line and column in Indonesian.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..markdown_meta import parse_markdown
from ..csvfile import read_csv
from ..problems import Problems, expected_found
from ..schema import Field, Schema, read_header, register
from .model import (STATUS_APBDES, STATUS_PERUBAHAN, STATUSES, Baris, MetaTahun, Nilai, TahunAnggaran)
from .numbers import AmountError, format_rupiah, parse_optional
from .reference import AKUN_RE, KEGIATAN_RE, OLD_SCHEME_RE, ancestors, clean_code, level, reference

APBDES = register(Schema(
    name="apbdes",
    title="APBDes (baris anggaran satu tahun)",
    path="apbdes/<tahun>.csv",
    format="csv",
    description=(
        "Satu berkas per tahun anggaran, mis. `apbdes/2025.csv`. Satu baris = satu baris anggaran desa, "
        "pada tingkat rincian yang desa punya (objek 4.2.1.01, jenis 4.2.1, belanja dengan kode rekening "
        "dan kode kegiatan, atau belanja per bidang saja). Jangan menulis baris jumlah: semua jumlah dihitung "
        "otomatis. Pemisah kolom koma atau titik koma; UTF-8 atau cp1252 (Excel)."
    ),
    fields=(
        Field("kode", "Kode rekening", example="4.2.1.01",
              help="Kode rekening Permendagri 20/2018 (4 pendapatan, 5 belanja, 6 pembiayaan), boleh dengan "
                   "titik di belakang seperti cetakan Siskeudes (4.2.1.01.). Boleh kosong untuk belanja yang "
                   "hanya diketahui per kegiatan atau per bidang."),
        Field("kegiatan", "Kode bidang/sub bidang/kegiatan", example="01.01.02",
              help="Hanya untuk belanja: 01…05 (bidang), 01.01 (sub bidang) atau 01.01.02 (kegiatan). "
                   "Wajib untuk setiap baris belanja."),
        Field("uraian", "Uraian", example="Penghasilan Tetap Perangkat Desa",
              help="Nama baris. Boleh kosong bila kodenya ada dalam referensi: nama resminya dipakai."),
        Field("anggaran", "Anggaran (awal)", "angka", required=True, unit="rupiah", minimum=Decimal(0),
              example="794946000",
              help='Anggaran dalam APBDes. Bentuk yang diterima: 794946000, 794.946.000, Rp 794.946.000, '
                   'Rp.794.946.000, Rp. 794.946.000,-, 1.627.488.676,00, 1,370,198,500; (2.131.580) atau '
                   '-2.131.580 untuk negatif; - atau Rp 0 untuk nol.'),
        Field("perubahan", "Anggaran setelah perubahan", "angka", unit="rupiah", minimum=Decimal(0),
              example="794946000",
              help="Diisi bila ada APBDes Perubahan. Baris yang dikosongkan dianggap tidak berubah."),
        Field("realisasi", "Realisasi", "angka", unit="rupiah", example="612000000",
              help="Diisi untuk laporan realisasi. Bila kolom ini dipakai, baris yang dikosongkan dianggap 0."),
        Field("sumber_dana", "Sumber dana", "pilihan",
              choices=("DDS", "ADD", "PBH", "PBP", "PBK", "PAD", "DLL", "SILPA"), example="DDS",
              help="Kode sumber dana Siskeudes: DDS Dana Desa, ADD Alokasi Dana Desa, PBH Bagi Hasil Pajak/"
                   "Retribusi, PBP Bantuan Provinsi, PBK Bantuan Kabupaten, PAD Pendapatan Asli Desa, "
                   "DLL lain-lain, SILPA."),
    ),
))

APBDES_META = register(Schema(
    name="apbdes_meta",
    title="Keterangan APBDes satu tahun",
    path="apbdes/<tahun>.md",
    format="markdown",
    description=(
        "Berkas pendamping `apbdes/<tahun>.csv`: baris `Kunci: nilai` di atas, satu baris kosong, lalu "
        "catatan (Markdown) yang ditampilkan di halaman APBDes tahun itu."
    ),
    fields=(
        Field("status", "Status dokumen", "pilihan", required=True, choices=STATUSES, example=STATUS_APBDES,
              help="APBDes (anggaran yang ditetapkan), APBDes Perubahan, Realisasi Semester I, atau "
                   "Realisasi Tahun Anggaran."),
        Field("perdes", "Perdes (tautan ke produk hukum)", example="Perdes 3 Tahun 2025", max_length=80,
              help="Jenis, nomor dan tahun Perdes yang menetapkan APBDes ini, persis seperti barisnya di "
                   "produk-hukum.csv (yang memuat PDF-nya). Nomor dan tanggal diambil dari sana."),
        Field("perdes_nomor", "Nomor Perdes", example="3 Tahun 2025", max_length=80,
              help="Nomor Peraturan Desa yang menetapkan APBDes (atau perubahannya)."),
        Field("perdes_tanggal", "Tanggal Perdes", "tanggal", example="2025-01-15"),
        Field("per_tanggal", "Keadaan per tanggal", "tanggal", example="2025-06-30",
              help="Tanggal keadaan angka-angka (untuk laporan realisasi: akhir periode laporan)."),
        Field("pelaksana", "Pelaksana anggaran", max_length=200,
              example="Kepala Desa selaku PKPKD; Sekretaris Desa selaku koordinator PPKD",
              help="Orang atau tim yang melaksanakan APBDes."),
        Field("sumber", "Sumber data", max_length=200, example="Penjabaran APBDes dari Siskeudes",
              help="Dari dokumen mana angka ini disalin."),
    ),
))

COLUMNS = tuple(f.name for f in APBDES.fields)
_YEAR_FILE = re.compile(r"^(\d{4})\.csv$")


# --- reading the table ------------------------------------------------------

def read_rows(path: Path, problems: Problems) -> list[tuple[int, list[str]]] | None:
    """All rows with their line numbers (the one CSV reader, within its limits); None and an error when the
    file cannot be read."""
    return read_csv(path, problems)


# --- one year -----------------------------------------------------------------

def load_year(csv_path: Path, problems: Problems, tahun: int | None = None,
              meta_path: Path | None = None, nama_kegiatan: dict[str, str] | None = None,
              origin: list[int] | None = None) -> TahunAnggaran | None:
    """Validate one year's CSV and metadata file; None when there is any error."""
    before = len(problems.errors)
    if tahun is None:
        m = _YEAR_FILE.match(csv_path.name)
        if not m or not 2000 <= int(m.group(1)) <= 2100:
            problems.error(csv_path, 0, 0, "nama berkas APBDes harus tahun anggarannya; "
                           + expected_found('nama seperti "2025.csv"', csv_path.name))
            return None
        tahun = int(m.group(1))
    if meta_path is None:
        meta_path = csv_path.with_suffix(".md")
    names = dict(nama_kegiatan or {})
    warnings: list[str] = []
    lines = _load_lines(csv_path, problems, names, warnings, origin)
    meta = load_meta(meta_path, problems, tahun)
    if lines is not None and meta is not None:
        _check_status(csv_path, meta_path, meta, lines, problems)
    if len(problems.errors) > before or lines is None or meta is None:
        return None
    return TahunAnggaran(tahun, tuple(sorted(lines, key=Baris.sort_key)), meta, names, tuple(warnings), csv_path)


def repeated_line_message(b: Baris, found: list[tuple[int, tuple]], origin: list[int] | None = None) -> str:
    """The warning for a line written more than once (same kode, kegiatan, uraian and sumber dana).

    Each row stays a row and counts in every total (Siskeudes prints one row per rincian or sumber dana and
    the published report drops that column). A row whose every cell equals an earlier one gets a louder
    warning: it may have been pasted twice. ``origin`` maps the file's line numbers to a report's rows.
    """
    def at(n: int) -> int:
        return origin[n - 1] if origin and 0 < n <= len(origin) else n
    nums = [at(n) for n, _cells in found]
    rows = ", ".join(str(n) for n in nums[:-1]) + f" dan {nums[-1]}"
    what = f"kode {b.kode}" if b.kode else "belanja"
    if b.kegiatan:
        what += f" kegiatan {b.kegiatan}"
    msg = f"{what} '{b.uraian}' tertulis {len(found)} kali (baris {rows}); " + (
        "keduanya dihitung" if len(found) == 2 else "semuanya dihitung")
    first: dict[tuple, int] = {}
    copies = []
    for n, cells in found:
        if cells in first:
            copies.append(f"baris {at(n)} sama persis dengan baris {first[cells]}")
        else:
            first[cells] = at(n)
    if copies:
        msg += ("; PERIKSA: " + "; ".join(copies) + " (semua kolom sama), mungkin tersalin dua kali; bila "
                "laporan aslinya memang mencetak baris itu dua kali, biarkan")
    return msg


def _load_lines(path: Path, problems: Problems, names: dict[str, str], warnings: list[str],
                origin: list[int] | None = None) -> list[Baris] | None:
    before = len(problems.errors)
    rows = read_rows(path, problems)
    if rows is None:
        return None
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        problems.error(path, 1, 1, "berkas APBDes kosong; " + expected_found(
            "baris judul kolom: " + ",".join(COLUMNS), ""))
        return None
    head_line, header = rows[0]
    cols: dict[str, int] = {}
    ok = True
    for i, name in enumerate(header):
        key = re.sub(r"[\s-]+", "_", name.strip().lower())
        if key == "" and i == len(header) - 1:
            continue
        if key not in COLUMNS:
            problems.error(path, head_line, i + 1, f'judul kolom tidak dikenal; diharapkan salah satu dari: '
                           f'{", ".join(COLUMNS)}, ditemukan "{name.strip()}"')
            ok = False
        elif key in cols:
            problems.error(path, head_line, i + 1, f'kolom "{key}" sudah ada di kolom {cols[key] + 1}; tulis sekali saja')
            ok = False
        else:
            cols[key] = i
    for need in ("kode", "anggaran"):
        if need not in cols:
            problems.error(path, head_line, 1, f'kolom wajib "{need}" tidak ada di baris judul; '
                           + expected_found(",".join(COLUMNS), ",".join(header)))
            ok = False
    if not ok:
        return None

    ref = reference()
    lines: list[Baris] = []
    seen: dict[tuple, list[tuple[int, tuple]]] = {}
    for lineno, row in rows[1:]:
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            problems.error(path, lineno, len(header) + 1, f"baris ini punya {len(row)} kolom, judulnya {len(header)}; "
                           "periksa pemisah (koma/titik koma) dan tanda kutip")
            continue

        def cell(name: str) -> str:
            i = cols.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        def col(name: str) -> int:
            return cols.get(name, 0) + 1

        line = _parse_line(path, lineno, cell, col, ref, names, problems)
        if line is None:
            continue
        key = (line.bagian, line.kode, line.kegiatan, line.sumber_dana, line.uraian.lower())
        seen.setdefault(key, []).append((lineno, tuple(c.strip() for c in row)))
        lines.append(line)
        _warn_over_budget(path, lineno, col("realisasi"), line, problems, warnings)
    by_line = {b.nomor: b for b in lines}
    for found in seen.values():
        if len(found) > 1:
            msg = repeated_line_message(by_line[found[0][0]], found, origin)
            problems.warning(path, found[1][0], cols["kode"] + 1, msg)   # for the operator, not the page
    if not lines and len(problems.errors) == before:
        problems.error(path, head_line + 1, 1, "tidak ada baris anggaran; " + expected_found(
            "sedikitnya satu baris, mis. 4.2.1.01,,Dana Desa,794946000", ""))
        return None
    _check_nesting(path, lines, problems, col_kode=cols["kode"] + 1)
    # A year with a Perubahan: an empty perubahan means "unchanged"; with realisasi: empty means 0.
    has_p = any(b.nilai.perubahan is not None for b in lines)
    has_r = any(b.nilai.realisasi is not None for b in lines)
    out = []
    for b in lines:
        n = b.nilai
        n = Nilai(n.anggaran, (n.perubahan if n.perubahan is not None else n.anggaran) if has_p else None,
                  (n.realisasi if n.realisasi is not None else Decimal(0)) if has_r else None)
        out.append(Baris(b.nomor, b.kode, b.kegiatan, b.uraian, n, b.sumber_dana))
    return out


def split_combined(raw: str) -> tuple[str, str]:
    """'5.1.1.01. [01.01.01]' -> ('5.1.1.01.', '01.01.01'); anything else -> (raw, '')."""
    m = re.match(r"^\s*([0-9.]*)\s*\[\s*([0-9.]+)\s*\]\s*$", raw)
    return (m.group(1), m.group(2)) if m else (raw, "")


def _parse_line(path, lineno, cell, col, ref, names, problems: Problems) -> Baris | None:
    ok = True
    kode_raw, keg_raw = cell("kode"), cell("kegiatan")
    if "[" in kode_raw and not keg_raw:
        kode_raw, keg_raw = split_combined(kode_raw)
    kode, kegiatan = clean_code(kode_raw), clean_code(keg_raw)
    if not kode and not kegiatan:
        problems.error(path, lineno, col("kode"), "kode rekening (atau kode kegiatan untuk belanja) wajib diisi; "
                       + expected_found('kode seperti "4.2.1.01" atau kegiatan "01.01.02"', kode_raw))
        return None
    if kode:
        if OLD_SCHEME_RE.match(kode):
            problems.error(path, lineno, col("kode"), "kode skema lama Permendagri 113/2014 (1/2/3) tidak diterima; "
                           + expected_found("kode Permendagri 20/2018 yang diawali 4, 5 atau 6", kode_raw))
            return None
        if not AKUN_RE.match(kode) or level(kode) < 2:
            problems.error(path, lineno, col("kode"), "kode rekening tidak sah; "
                           + expected_found('kode seperti "4.2.1", "4.2.1.01" atau "5.1.1.02."', kode_raw))
            return None
        if not ref.known_parent_akun(kode):
            problems.error(path, lineno, col("kode"), f"kode rekening {kode} tidak ada dalam referensi "
                           "Permendagri 20/2018; " + expected_found("kode kelompok/jenis yang terdaftar", kode_raw))
            return None
    if kegiatan:
        if not KEGIATAN_RE.match(kegiatan):
            problems.error(path, lineno, col("kegiatan"), "kode bidang/kegiatan tidak sah; "
                           + expected_found('"01" (bidang), "01.01" (sub bidang) atau "01.01.02" (kegiatan)', keg_raw))
            return None
        if not ref.known_parent_kegiatan(kegiatan):
            bad = kegiatan[:2] if kegiatan[:2] not in ref.bidang else kegiatan[:5]
            what = "bidang" if len(bad) == 2 else "sub bidang"
            problems.error(path, lineno, col("kegiatan"), f"{what} {bad} tidak dikenal; "
                           + expected_found("bidang 01–05 dan sub bidang Permendagri 20/2018", keg_raw))
            return None
        if kode and not kode.startswith("5"):
            problems.error(path, lineno, col("kegiatan"), "kode kegiatan hanya untuk baris belanja (kode 5.x); "
                           + expected_found("kolom kegiatan kosong untuk pendapatan/pembiayaan", keg_raw))
            return None
    elif kode.startswith("5"):
        problems.error(path, lineno, col("kegiatan"), f"baris belanja {kode} tanpa bidang; setiap belanja harus "
                       "punya kode kegiatan atau bidang; " + expected_found('kode seperti "01.01.02" atau "02"', keg_raw))
        return None

    uraian = cell("uraian")
    if not uraian:
        if kode:
            uraian = ref.akun.get(kode, "")
        else:
            uraian = names.get(kegiatan) or ref.bidang.get(kegiatan, "")
        if not uraian:
            problems.error(path, lineno, col("uraian"), f"kode {kode or kegiatan} tidak ada dalam daftar nama "
                           "referensi, jadi uraian wajib diisi; " + expected_found("nama baris", ""))
            ok = False
    elif not kode and level(kegiatan) == 3 and kegiatan not in ref.bidang:
        names.setdefault(kegiatan, uraian)

    values = {}
    for name in ("anggaran", "perubahan", "realisasi"):
        raw = cell(name)
        if name == "anggaran" and raw == "":
            problems.error(path, lineno, col(name), "anggaran wajib diisi; "
                           + expected_found('angka rupiah seperti "794.946.000" (tulis 0 bila nol)', ""))
            ok = False
            continue
        try:
            v = parse_optional(raw)
        except AmountError as exc:
            problems.error(path, lineno, col(name), f"{name}: diharapkan {exc}")
            ok = False
            continue
        if v is not None and v < 0:
            label = {"anggaran": "anggaran", "perubahan": "anggaran setelah perubahan", "realisasi": "realisasi"}[name]
            problems.error(path, lineno, col(name), f"{label} tidak boleh negatif; "
                           + expected_found("angka 0 atau lebih", raw))
            ok = False
            continue
        values[name] = v
    sumber = ""
    raw_sd = cell("sumber_dana")
    if raw_sd:
        sumber = ref.sumber_dana_code(raw_sd) or ""
        if not sumber:
            problems.error(path, lineno, col("sumber_dana"), "sumber dana tidak dikenal; " + expected_found(
                "salah satu dari: " + ", ".join(ref.sumber_dana), raw_sd))
            ok = False
    if not ok:
        return None
    return Baris(lineno, kode, kegiatan, uraian,
                 Nilai(values["anggaran"], values.get("perubahan"), values.get("realisasi")), sumber)


def _warn_over_budget(path, lineno, column, line: Baris, problems: Problems, warnings: list[str]) -> None:
    n = line.nilai
    if n.realisasi is not None and n.realisasi > n.akhir:
        msg = (f"realisasi {format_rupiah(n.realisasi)} melebihi anggaran {format_rupiah(n.akhir)} "
               f"pada {line.kode_tampil} {line.uraian}")
        problems.warning(path, lineno, column, msg)
        # The reader's note names the budget line by its code and name, never the file's line number
        # (that is for the operator, in the build summary).
        warnings.append(msg[:1].upper() + msg[1:])


def _check_nesting(path, lines: list[Baris], problems: Problems, col_kode: int) -> None:
    """A line and a more detailed line below it means a typed subtotal: totals are computed, never typed."""
    # A line a is above b when both of b's codes lie under a's (segment-wise). Instead of comparing every
    # pair (150 lines: 22,500 pairs per year), each b looks up the few lines whose codes are its ancestors.
    by_key: dict[tuple[str, str, str], list[Baris]] = {}
    for a in lines:
        by_key.setdefault((a.bagian, a.kegiatan, a.kode), []).append(a)
    first_below: dict[int, Baris] = {}
    for b in lines:
        for keg in {"", *ancestors(b.kegiatan)}:
            for kode in {"", *ancestors(b.kode)}:
                if (keg, kode) == (b.kegiatan, b.kode):
                    continue
                for a in by_key.get((b.bagian, keg, kode), ()):
                    first_below.setdefault(id(a), b)
    reported: set[int] = set()
    for a in lines:
        b = first_below.get(id(a))
        if b is not None and a.nomor not in reported:
            reported.add(a.nomor)
            problems.error(path, a.nomor, col_kode,
                           f"baris {a.kode_tampil} adalah tingkat di atas baris {b.nomor} ({b.kode_tampil}); "
                           "jumlah dihitung otomatis, jadi tulis hanya baris rinciannya (hapus baris jumlah ini) "
                           "atau hanya baris ini tanpa rinciannya")


# --- metadata -------------------------------------------------------------------

def load_meta(path: Path, problems: Problems, tahun: int) -> MetaTahun | None:
    if not path.is_file():
        problems.error(path, 0, 0, f"berkas keterangan {path.name} tidak ada; buat berkas itu dengan sedikitnya "
                       f'baris "status: APBDes" (lihat docs/apbdes.md)')
        return None
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    values, ok = read_header(doc, APBDES_META, problems)
    if "status" not in doc.meta:
        problems.error(path, 1, 1, 'kunci wajib "status" tidak ada; tambahkan baris "status: APBDes" '
                       "(atau APBDes Perubahan / Realisasi Semester I / Realisasi Tahun Anggaran)")
        ok = False
    per = values.get("per_tanggal")
    if per is not None and per.year not in (tahun, tahun + 1):
        mv = doc.meta["per_tanggal"]
        problems.warning(path, mv.line, mv.column, f"tanggal keadaan {per.isoformat()} tidak di tahun anggaran {tahun}")
    if not ok:
        return None
    return MetaTahun(values["status"], values.get("perdes_nomor", ""), values.get("perdes_tanggal"),
                     values.get("per_tanggal"), values.get("pelaksana", ""), values.get("sumber", ""),
                     doc.body.strip())


def _check_status(csv_path: Path, meta_path: Path, meta: MetaTahun, lines: list[Baris], problems: Problems) -> None:
    has_p = any(b.nilai.perubahan is not None for b in lines)
    has_r = any(b.nilai.realisasi is not None for b in lines)
    if meta.status.startswith("Realisasi") and not has_r:
        problems.error(meta_path, 1, 1, f'status "{meta.status}" tetapi kolom realisasi di {csv_path.name} kosong; '
                       "isi kolom realisasi atau ubah statusnya")
    elif meta.status == STATUS_PERUBAHAN and not has_p:
        problems.error(meta_path, 1, 1, f'status "{meta.status}" tetapi kolom perubahan di {csv_path.name} kosong; '
                       "isi kolom perubahan atau ubah statusnya")
    elif meta.status in (STATUS_APBDES, STATUS_PERUBAHAN) and has_r:
        problems.warning(meta_path, 1, 1, f'status "{meta.status}" tetapi {csv_path.name} berisi realisasi; '
                         "halaman ditampilkan sebagai laporan realisasi")


# --- a whole village -------------------------------------------------------------

def load_kegiatan_names(path: Path, problems: Problems) -> dict[str, str]:
    """Optional ``apbdes/kegiatan.csv`` (kode,nama): the village's names for kegiatan outside the reference."""
    if not path.is_file():
        return {}
    rows = read_rows(path, problems)
    if not rows:
        return {}
    out: dict[str, str] = {}
    header = [h.strip().lower() for h in rows[0][1]]
    if header[:2] != ["kode", "nama"]:
        problems.error(path, rows[0][0], 1, "judul kolom kegiatan.csv; " + expected_found("kode,nama", ",".join(rows[0][1])))
        return {}
    for lineno, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        code = clean_code(row[0]) if row else ""
        name = row[1].strip() if len(row) > 1 else ""
        if not KEGIATAN_RE.match(code) or level(code) != 3:
            problems.error(path, lineno, 1, "kode kegiatan; " + expected_found('"01.01.02"', row[0] if row else ""))
        elif not name:
            problems.error(path, lineno, 2, "nama kegiatan wajib diisi; " + expected_found("nama", ""))
        else:
            out[code] = name
    return out


def load_village_apbdes(village_dir: Path, problems: Problems) -> list[TahunAnggaran]:
    """All valid years of a village, oldest first. Years with errors are left out (errors are in problems)."""
    folder = village_dir / "apbdes"
    if not folder.is_dir():
        return []
    names = load_kegiatan_names(folder / "kegiatan.csv", problems)
    years = []
    for path in sorted(folder.glob("*.csv")):
        if path.name == "kegiatan.csv":
            continue
        year = load_year(path, problems, nama_kegiatan=names)
        if year is not None:
            years.append(year)
    for path in sorted(folder.glob("*.md")):
        if not path.with_suffix(".csv").is_file() and path.name.lower() != "readme.md":
            problems.warning(path, 0, 0, f"berkas keterangan {path.name} tanpa {path.stem}.csv; berkas ini diabaikan")
    return sorted(years, key=lambda y: y.tahun)
