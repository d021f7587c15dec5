"""Read and validate the files under ``villages/<slug>/data-desa/``.

Every file is optional: a missing file gives ``None`` for that table. A file
with any problem is reported (Indonesian, with file, line and column) and its
table is left out (``None``), so a bad table is never published half-right.
Reading never raises on bad input.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..csvfile import find_delimiter
from ..csvfile import read_text as read_csv_text
from ..markdown_meta import parse_markdown
from ..problems import Problems, expected_found
from ..schema import Schema, ValueProblem, read_header
from . import schemas as S

# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pos:
    """Where a value was read: 1-based line and column."""
    line: int
    column: int


@dataclass
class Pejabat:
    kategori: str           # perangkat | bpd | lembaga | ppid
    jabatan: str
    nama: str
    lembaga: str = ""
    foto: str = ""
    line: int = 0


@dataclass
class WilayahRT:
    dusun: str
    rw: str
    rt: str
    kk: int
    laki_laki: int
    perempuan: int
    line: int = 0

    @property
    def jumlah(self) -> int:
        return self.laki_laki + self.perempuan


@dataclass
class PendudukMeta:
    per_tanggal: dt.date
    sumber: str
    laki_laki: int | None = None
    perempuan: int | None = None
    jumlah_kk: int | None = None
    kk_miskin: int | None = None
    sumber_kk_miskin: str = ""
    catatan: str = ""
    path: Path | None = None
    pos: dict[str, Pos] = field(default_factory=dict)


@dataclass
class BarisKategori:
    kategori: str
    laki_laki: int
    perempuan: int
    line: int = 0

    @property
    def jumlah(self) -> int:
        return self.laki_laki + self.perempuan


@dataclass
class KategoriPenduduk:
    """One breakdown (umur, pendidikan, …); rows in official order, one per category present."""
    key: str
    title: str
    column: str
    rows: list[BarisKategori]
    path: Path | None = None
    header: dict[str, Pos] = field(default_factory=dict)

    @property
    def laki_laki(self) -> int:
        return sum(r.laki_laki for r in self.rows)

    @property
    def perempuan(self) -> int:
        return sum(r.perempuan for r in self.rows)

    @property
    def jumlah(self) -> int:
        return self.laki_laki + self.perempuan


@dataclass
class BansosMeta:
    per_tanggal: dt.date
    sumber: str
    catatan: str = ""


@dataclass
class Bansos:
    program: str
    dusun: str
    jumlah_kk: int
    nilai_per_kk: int | None
    periode: str
    sumber_dana: str
    line: int = 0
    pos: dict[str, Pos] = field(default_factory=dict)


@dataclass
class Indeks:
    tahun: int
    jenis: str
    skor: Decimal
    status: str                 # given, or derived from the score
    status_dihitung: bool       # True when derived (status column empty)
    iks: Decimal | None = None
    ike: Decimal | None = None
    ikl: Decimal | None = None
    line: int = 0


@dataclass
class Sdgs:
    tahun: int
    tujuan: int
    nama: str
    skor: Decimal
    line: int = 0


@dataclass
class DataDesa:
    village_dir: Path
    pemerintahan: list[Pejabat] | None = None
    wilayah: list[WilayahRT] | None = None
    penduduk_meta: PendudukMeta | None = None
    penduduk: dict[str, KategoriPenduduk] = field(default_factory=dict)
    bansos_meta: BansosMeta | None = None
    bansos: list[Bansos] | None = None
    indeks: list[Indeks] | None = None
    sdgs: list[Sdgs] | None = None
    paths: dict[str, Path] = field(default_factory=dict)   # table name -> file read

    @property
    def empty(self) -> bool:
        return not any([self.pemerintahan, self.wilayah, self.penduduk_meta, self.penduduk, self.bansos,
                        self.indeks, self.sdgs])


# ---------------------------------------------------------------------------
# CSV with positions
# ---------------------------------------------------------------------------


@dataclass
class RawCell:
    text: str
    line: int
    column: int


def split_csv(text: str, path: Path, problems: Problems) -> list[list[RawCell]] | None:
    """Split CSV text into records of cells that know their line and column.

    The delimiter is "," or ";" (Excel with Indonesian settings saves ";"), chosen
    from the header line. Quoted fields may contain the delimiter, doubled quotes
    and newlines. Blank lines are skipped.
    """
    delim = find_delimiter(text)
    records: list[list[RawCell]] = []
    record: list[RawCell] = []
    buf: list[str] = []
    line, col = 1, 1
    cell_line, cell_col = 1, 1
    in_quotes = False
    quoted = False
    quote_line = quote_col = 0
    i, n = 0, len(text)

    def end_cell():
        nonlocal buf, quoted
        record.append(RawCell("".join(buf), cell_line, cell_col))
        buf = []
        quoted = False

    while i < n:
        ch = text[i]
        if in_quotes:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    buf.append('"')
                    i += 2
                    col += 2
                    continue
                in_quotes = False
            else:
                buf.append(ch)
                if ch == "\n":
                    line += 1
                    col = 0
            i += 1
            col += 1
            continue
        if ch == '"' and not "".join(buf).strip():
            buf = []
            in_quotes = True
            quoted = True
            quote_line, quote_col = line, col
        elif ch == '"':
            problems.error(path, line, col, 'tanda petik (") di tengah isian; apit seluruh isian dengan petik, '
                           'misalnya "Dusun ""Baru""", atau hapus tanda petiknya')
            return None
        elif ch == delim:
            end_cell()
            cell_line, cell_col = line, col + 1
        elif ch == "\n":
            end_cell()
            if not (len(record) == 1 and record[0].text.strip() == ""):
                records.append(record)
            record = []
            line += 1
            col = 0
            cell_line, cell_col = line, 1
        else:
            if quoted and not ch.isspace():
                problems.error(path, line, col, "ada teks sesudah tanda petik penutup; "
                               + expected_found(f'pemisah "{delim}" atau akhir baris', ch))
                return None
            buf.append(ch)
        i += 1
        col += 1
    if in_quotes:
        problems.error(path, quote_line, quote_col, "tanda petik pembuka tidak pernah ditutup; tambahkan \" di akhir isian")
        return None
    if buf or record:
        end_cell()
        if not (len(record) == 1 and record[0].text.strip() == ""):
            records.append(record)
    return records


_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _looks_like_nik(text: str) -> bool:
    return bool(_SIXTEEN_DIGITS.search(re.sub(r"[\s.\-]", "", text)))


@dataclass
class Row:
    line: int
    values: dict[str, Any]
    pos: dict[str, Pos]


@dataclass
class ParsedCsv:
    path: Path
    rows: list[Row]             # only rows whose every value parsed
    header: dict[str, Pos]
    ok: bool = True             # False when some row had a problem (already reported)


def read_csv(path: Path, schema: Schema, problems: Problems) -> ParsedCsv | None:
    """Read a CSV file against its schema.

    Returns None when the file cannot be read at all (encoding, quotes, header);
    otherwise the rows that parsed, with ``ok`` False if any row had a problem, so
    loaders can still report further problems (duplicates…) in one run."""
    text = read_csv_text(path, problems)
    if text is None:
        return None
    records = split_csv(text, path, problems)
    if records is None:
        return None
    if not records:
        problems.error(path, 1, 1, "berkas kosong; baris pertama harus berisi nama kolom: "
                       + ", ".join(f.name for f in schema.fields))
        return None
    ok = True
    header: dict[str, Pos] = {}
    columns: list[str | None] = []
    allowed = ", ".join(f.name for f in schema.fields)
    for cell in records[0]:
        name = re.sub(r"[\s\-]+", "_", cell.text.strip().lower())
        if name == "":
            problems.error(path, cell.line, cell.column, "nama kolom kosong; hapus kolom ini atau beri nama: " + allowed)
            ok = False
            columns.append(None)
        elif schema.field(name) is None:
            hint = ""
            if name in {"nik", "no_kk", "nomor_kk", "kk_no", "alamat", "nama_penerima", "tanggal_lahir", "tgl_lahir"}:
                hint = " Data pribadi (nama penerima, NIK, No. KK, alamat, tanggal lahir) tidak boleh diterbitkan."
            problems.error(path, cell.line, cell.column,
                           f'kolom "{cell.text.strip()}" tidak dikenal; diharapkan salah satu dari: {allowed}.{hint}')
            ok = False
            columns.append(None)
        elif name in header:
            problems.error(path, cell.line, cell.column, f'kolom "{name}" sudah ada di kolom ke-{columns.index(name) + 1}; '
                           "tulis sekali saja")
            ok = False
            columns.append(None)
        else:
            header[name] = Pos(cell.line, cell.column)
            columns.append(name)
    for f in schema.required:
        if f.name not in header:
            problems.error(path, 1, 1, f'kolom wajib "{f.name}" ({f.label}) tidak ada; baris pertama harus memuat: {allowed}')
            ok = False
    if not ok:
        return None
    rows: list[Row] = []
    file_ok = True
    for record in records[1:]:
        ok = True
        line = record[0].line
        if len(record) != len(columns):
            last = record[-1]
            problems.error(path, line, 1 if len(record) < len(columns) else last.column,
                           f"jumlah isian di baris ini {len(record)}, padahal ada {len(columns)} kolom ({allowed}); "
                           'periksa pemisah (koma) yang kurang atau berlebih; isian yang memuat koma diapit petik "…"')
            file_ok = False
            continue
        values: dict[str, Any] = {}
        pos: dict[str, Pos] = {}
        for name, cell in zip(columns, record):
            f = schema.field(name)
            raw = cell.text.strip()
            pos[name] = Pos(cell.line, cell.column)
            if _looks_like_nik(raw):
                problems.error(path, cell.line, cell.column,
                               "isian tampak seperti NIK atau No. KK (16 angka); data pribadi tidak boleh diterbitkan. "
                               "Hapus isian ini")
                ok = False
                continue
            if raw == "":
                if f.required:
                    problems.error(path, cell.line, cell.column, f"{f.label} wajib diisi; " + expected_found(f.expected, ""))
                    ok = False
                values[name] = None
                continue
            try:
                values[name] = S.parse_field(schema, f, raw)
            except ValueProblem as exc:
                problems.error(path, cell.line, cell.column, f"{f.label}: diharapkan {exc}")
                ok = False
        if ok:
            rows.append(Row(line, values, pos))
        file_ok = file_ok and ok
    return ParsedCsv(path, rows, header, file_ok)


def _meta(path: Path, schema: Schema, problems: Problems) -> tuple[dict[str, Any], dict[str, Pos], str] | None:
    """Read a Markdown metadata file against its schema."""
    doc = parse_markdown(path, problems)
    if doc is None:
        return None
    values, ok = read_header(doc, schema, problems, parse=lambda f, raw: S.parse_field(schema, f, raw))
    pos = {key: Pos(mv.line, mv.column) for key, mv in doc.meta.items() if schema.field(key) is not None}
    if not ok:
        return None
    return values, pos, doc.body.strip()


# ---------------------------------------------------------------------------
# One loader per table
# ---------------------------------------------------------------------------


def load_pemerintahan(path: Path, problems: Problems, village_dir: Path | None = None) -> list[Pejabat] | None:
    parsed = read_csv(path, S.PEMERINTAHAN, problems)
    if parsed is None:
        return None
    out: list[Pejabat] = []
    ok = True
    for row in parsed.rows:
        v = row.values
        if v["kategori"] == "lembaga" and not v.get("lembaga"):
            p = row.pos.get("lembaga", row.pos["kategori"])
            problems.error(path, p.line, p.column, 'untuk kategori "lembaga" kolom lembaga wajib diisi; '
                           + expected_found("nama lembaga, misalnya PKK atau LPMD", ""))
            ok = False
        foto = v.get("foto") or ""
        if foto and village_dir is not None and not (village_dir / foto).is_file():
            p = row.pos["foto"]
            problems.warning(path, p.line, p.column, f'berkas foto "{foto}" tidak ditemukan di folder desa; '
                             "foto tidak ditampilkan")
            foto = ""
        out.append(Pejabat(v["kategori"], v["jabatan"], v["nama"], v.get("lembaga") or "", foto, row.line))
    if not any(p.kategori == "ppid" for p in out) and ok and parsed.ok:
        problems.warning(path, 1, 1, 'belum ada baris kategori "ppid"; setiap desa wajib menunjuk PPID Desa '
                         "(Perki 1/2018), biasanya sekretaris desa")
    return out if ok and parsed.ok else None


def load_wilayah(path: Path, problems: Problems) -> list[WilayahRT] | None:
    parsed = read_csv(path, S.WILAYAH, problems)
    if parsed is None:
        return None
    out: list[WilayahRT] = []
    seen: dict[tuple[str, str, str], int] = {}
    rw_dusun: dict[str, tuple[str, int]] = {}
    ok = True
    for row in parsed.rows:
        v = row.values
        key = (v["dusun"].lower(), v["rw"], v["rt"])
        if key in seen:
            p = row.pos["rt"]
            problems.error(path, p.line, p.column, f"RT {v['rt']} RW {v['rw']} di Dusun {v['dusun']} sudah ditulis di baris "
                           f"{seen[key]}; satu RT satu baris")
            ok = False
            continue
        seen[key] = row.line
        if v["rw"] in rw_dusun and rw_dusun[v["rw"]][0].lower() != v["dusun"].lower():
            other, other_line = rw_dusun[v["rw"]]
            problems.warning(path, row.pos["rw"].line, row.pos["rw"].column,
                             f"RW {v['rw']} juga tercatat di Dusun {other} (baris {other_line}); periksa apakah "
                             "dusunnya benar")
        rw_dusun.setdefault(v["rw"], (v["dusun"], row.line))
        if v["kk"] > v["laki_laki"] + v["perempuan"]:
            p = row.pos["kk"]
            problems.error(path, p.line, p.column, f"jumlah KK ({v['kk']}) lebih besar dari jumlah penduduk RT "
                           f"({v['laki_laki'] + v['perempuan']}); setiap KK beranggota paling sedikit satu orang")
            ok = False
        out.append(WilayahRT(v["dusun"], v["rw"], v["rt"], v["kk"], v["laki_laki"], v["perempuan"], row.line))
    if not out and ok and parsed.ok:
        problems.error(path, 2, 1, "belum ada baris RT; tulis satu baris per RT di bawah nama kolom")
        ok = False
    return out if ok and parsed.ok else None


def load_penduduk_meta(path: Path, problems: Problems) -> PendudukMeta | None:
    got = _meta(path, S.PENDUDUK_META, problems)
    if got is None:
        return None
    values, pos, body = got
    meta = PendudukMeta(values["per_tanggal"], values["sumber"], values.get("laki_laki"), values.get("perempuan"),
                        values.get("jumlah_kk"), values.get("kk_miskin"), values.get("sumber_kk_miskin", ""),
                        body, path, pos)
    if meta.kk_miskin is not None and meta.jumlah_kk is not None and meta.kk_miskin > meta.jumlah_kk:
        p = pos["kk_miskin"]
        problems.error(path, p.line, p.column, f"KK miskin ({meta.kk_miskin}) lebih besar dari jumlah KK "
                       f"({meta.jumlah_kk})")
        return None
    if meta.kk_miskin is not None and not meta.sumber_kk_miskin:
        p = pos["kk_miskin"]
        problems.warning(path, p.line, 1, 'kk_miskin diisi tanpa "sumber_kk_miskin"; sebutkan data yang dipakai, '
                         "misalnya DTSEN dan tanggalnya")
    return meta


def load_penduduk_kategori(key: str, path: Path, problems: Problems) -> KategoriPenduduk | None:
    schema = S.PENDUDUK_SCHEMAS[key]
    title, column, list_name, _ = S.PENDUDUK_KATEGORI[key]
    parsed = read_csv(path, schema, problems)
    if parsed is None:
        return None
    cats = S.category_list(list_name)
    seen: dict[str, int] = {}
    rows: list[BarisKategori] = []
    ok = True
    for row in parsed.rows:
        v = row.values
        name = v[column]
        if name in seen:
            p = row.pos[column]
            problems.error(path, p.line, p.column, f'kategori "{name}" sudah ditulis di baris {seen[name]}; '
                           "gabungkan angkanya dalam satu baris")
            ok = False
            continue
        seen[name] = row.line
        rows.append(BarisKategori(name, v["laki_laki"], v["perempuan"], row.line))
    if not ok or not parsed.ok:
        return None
    if not rows:
        problems.error(path, 2, 1, "belum ada baris data; tulis satu baris per kategori di bawah nama kolom")
        return None
    rows.sort(key=lambda r: cats.order(r.kategori))
    return KategoriPenduduk(key, title, column, rows, path, parsed.header)


def load_bansos_meta(path: Path, problems: Problems) -> BansosMeta | None:
    got = _meta(path, S.BANSOS_META, problems)
    if got is None:
        return None
    values, _, body = got
    return BansosMeta(values["per_tanggal"], values["sumber"], body)


def load_bansos(path: Path, problems: Problems) -> list[Bansos] | None:
    parsed = read_csv(path, S.BANSOS, problems)
    if parsed is None:
        return None
    out: list[Bansos] = []
    seen: dict[tuple[str, str, str], int] = {}
    ok = True
    for row in parsed.rows:
        v = row.values
        key = (v["program"], v["periode"].lower(), v["dusun"].lower())
        if key in seen:
            p = row.pos["dusun"]
            problems.error(path, p.line, p.column, f"{v['program']} periode {v['periode']} untuk Dusun {v['dusun']} "
                           f"sudah ditulis di baris {seen[key]}; satu dusun satu baris per program dan periode")
            ok = False
            continue
        seen[key] = row.line
        out.append(Bansos(v["program"], v["dusun"], v["jumlah_kk"], v.get("nilai_per_kk"), v["periode"],
                          v["sumber_dana"], row.line, row.pos))
    return out if ok and parsed.ok else None


def load_indeks(path: Path, problems: Problems) -> list[Indeks] | None:
    parsed = read_csv(path, S.INDEKS, problems)
    if parsed is None:
        return None
    out: list[Indeks] = []
    seen: dict[tuple[int, str], int] = {}
    ok = True
    for row in parsed.rows:
        v = row.values
        jenis, skor = v["jenis"], v["skor"]
        key = (v["tahun"], jenis)
        if key in seen:
            p = row.pos["tahun"]
            problems.error(path, p.line, p.column, f"{jenis} tahun {v['tahun']} sudah ditulis di baris {seen[key]}")
            ok = False
            continue
        seen[key] = row.line
        low, high = S.INDEKS_SCALE[jenis]
        if not low <= skor <= high:
            p = row.pos["skor"]
            problems.error(path, p.line, p.column, f"skor {jenis} berskala {_num(low)} sampai {_num(high)}; "
                           + expected_found(f"angka {_num(low)}-{_num(high)}", _num(skor)))
            ok = False
            continue
        band = S.status_for(jenis, skor)
        status = v.get("status")
        derived = status is None
        if band is None:  # pragma: no cover - the cut-off table covers the whole scale
            problems.error(path, row.pos["skor"].line, row.pos["skor"].column, f"tidak ada batas status untuk skor {_num(skor)}")
            ok = False
            continue
        if status is not None and status != band.status:
            p = row.pos["status"]
            msg = (f"status {status} bertentangan dengan skor {_num(skor)}: menurut batas {jenis} "
                   f"({band.source}) skor ini berstatus {band.status}; " + expected_found(band.status, status))
            if band.verified:
                problems.error(path, p.line, p.column, msg)
                ok = False
                continue
            problems.warning(path, p.line, p.column, msg + " (batas Indeks Desa di sistem ini belum terverifikasi; "
                             "status yang ditulis dipakai)")
        parts = [v.get("iks"), v.get("ike"), v.get("ikl")]
        if jenis == "IDM" and any(x is not None for x in parts):
            if any(x is None for x in parts):
                p = row.pos.get("iks", row.pos["skor"])
                problems.error(path, p.line, p.column, "IKS, IKE dan IKL diisi ketiganya atau dikosongkan ketiganya")
                ok = False
                continue
            bad = [(n, x) for n, x in zip(("iks", "ike", "ikl"), parts) if x > 1]
            if bad:
                n, x = bad[0]
                problems.error(path, row.pos[n].line, row.pos[n].column, f"{n.upper()} berskala 0 sampai 1; "
                               + expected_found("angka 0-1", _num(x)))
                ok = False
                continue
            mean = sum(parts) / 3
            if abs(mean - skor) > Decimal("0.0005"):
                p = row.pos["skor"]
                problems.error(path, p.line, p.column, f"skor IDM harus rata-rata IKS, IKE dan IKL "
                               f"(({_num(parts[0])} + {_num(parts[1])} + {_num(parts[2])}) / 3 = "
                               f"{_num(mean.quantize(Decimal('0.0001')))}); " + expected_found(
                                   _num(mean.quantize(Decimal('0.0001'))), _num(skor)))
                ok = False
                continue
        elif jenis != "IDM" and any(x is not None for x in parts):
            p = row.pos.get("iks", row.pos["jenis"])
            problems.error(path, p.line, p.column, "IKS, IKE dan IKL hanya untuk IDM; kosongkan untuk Indeks Desa")
            ok = False
            continue
        out.append(Indeks(v["tahun"], jenis, skor, status or band.status, derived, *parts, line=row.line))
    out.sort(key=lambda r: (r.tahun, S.INDEKS_JENIS.index(r.jenis)))
    return out if ok and parsed.ok else None


def load_sdgs(path: Path, problems: Problems) -> list[Sdgs] | None:
    parsed = read_csv(path, S.SDGS, problems)
    if parsed is None:
        return None
    names = S.category_list("sdgs_tujuan").names
    out: list[Sdgs] = []
    seen: dict[tuple[int, int], int] = {}
    ok = True
    for row in parsed.rows:
        v = row.values
        key = (v["tahun"], v["tujuan"])
        if key in seen:
            p = row.pos["tujuan"]
            problems.error(path, p.line, p.column, f"tujuan {v['tujuan']} tahun {v['tahun']} sudah ditulis di baris {seen[key]}")
            ok = False
            continue
        seen[key] = row.line
        if v["skor"] > 100:
            p = row.pos["skor"]
            problems.error(path, p.line, p.column, "skor SDGs Desa berskala 0 sampai 100; "
                           + expected_found("angka 0-100", _num(v["skor"])))
            ok = False
            continue
        out.append(Sdgs(v["tahun"], v["tujuan"], names[v["tujuan"] - 1], v["skor"], row.line))
    out.sort(key=lambda r: (r.tahun, r.tujuan))
    return out if ok and parsed.ok else None


def _num(d: Decimal) -> str:
    """Indonesian decimal for messages: 0,6512."""
    s = format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
    return s.replace(".", ",")


# ---------------------------------------------------------------------------
# The whole folder
# ---------------------------------------------------------------------------


def load_village_datadesa(village_dir: Path, problems: Problems, check: bool = True) -> DataDesa:
    """Load every ``data-desa`` file of one village.

    Missing files give ``None`` (or no entry in ``penduduk``); a file with any
    problem is reported and its table is left out. With ``check`` (default) the
    cross-table consistency checks of :mod:`.checks` run too; their errors are
    reported but the tables stay loaded (the build decides what an error stops).
    """
    base = village_dir / S.DATA_DIR
    dd = DataDesa(village_dir)
    if not base.is_dir():
        return dd

    def present(rel: str) -> Path | None:
        p = base / rel
        if p.is_file():
            dd.paths[rel] = p
            return p
        return None

    if (p := present("pemerintahan.csv")):
        dd.pemerintahan = load_pemerintahan(p, problems, village_dir)
    if (p := present("wilayah.csv")):
        dd.wilayah = load_wilayah(p, problems)
    if (p := present("penduduk.md")):
        dd.penduduk_meta = load_penduduk_meta(p, problems)
    for key in S.PENDUDUK_KATEGORI:
        if (p := present(f"penduduk/{key}.csv")):
            table = load_penduduk_kategori(key, p, problems)
            if table is not None:
                dd.penduduk[key] = table
    if (base / "penduduk").is_dir():
        known = {f"{k}.csv" for k in S.PENDUDUK_KATEGORI}
        for extra in sorted((base / "penduduk").iterdir()):
            if extra.is_file() and extra.name not in known:
                problems.warning(extra, 0, 0, f'berkas "{extra.name}" tidak dikenal dan tidak diterbitkan; '
                                 "nama berkas yang dikenal: " + ", ".join(sorted(known)))
    if (p := present("bansos.md")):
        dd.bansos_meta = load_bansos_meta(p, problems)
    if (p := present("bansos.csv")):
        dd.bansos = load_bansos(p, problems)
    if (p := present("indeks.csv")):
        dd.indeks = load_indeks(p, problems)
    if (p := present("sdgs.csv")):
        dd.sdgs = load_sdgs(p, problems)
    if check:
        from .checks import check_datadesa
        check_datadesa(dd, problems)
    return dd
