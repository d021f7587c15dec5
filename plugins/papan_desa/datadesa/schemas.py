"""Schemas of the "data desa" files under ``villages/<slug>/data-desa/``, declared once.

Each CSV's columns (and each metadata file's keys) are declared here with
:class:`~papan_desa.schema.Field` and registered, so validation, the admins'
documentation and the admin form read the same declaration. Columns whose
values need more than the generic field types (whole counts, Rupiah, official
category lists) get a parser in :data:`PARSERS`; those parsers raise
:class:`~papan_desa.schema.ValueProblem` with an Indonesian message, like the
generic ones.

The official category lists are data files in ``categories/`` (see
``categories/SUMBER.md`` for where each list comes from).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from ..schema import Field, Schema, ValueProblem, register

CATEGORIES_DIR = Path(__file__).parent / "categories"
DATA_DIR = "data-desa"          # inside villages/<slug>/

# ---------------------------------------------------------------------------
# Official category lists
# ---------------------------------------------------------------------------


def normalise_label(raw: str) -> str:
    """Comparison key: upper case, one space, no spaces around / and -, en dash -> hyphen."""
    s = raw.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ").strip().upper()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s*([/\-])\s*", r"\1", s)
    return s


@dataclass(frozen=True)
class CategoryList:
    """An official list: the names in official order, plus accepted alternative spellings."""

    name: str
    names: tuple[str, ...]
    codes: tuple[str, ...]
    lookup: dict[str, str]          # normalised spelling -> official name

    def match(self, raw: str) -> str | None:
        return self.lookup.get(normalise_label(raw))

    def order(self, name: str) -> int:
        return self.names.index(name)

    def __contains__(self, name: str) -> bool:
        return name in self.names


@lru_cache(maxsize=None)
def category_list(name: str) -> CategoryList:
    path = CATEGORIES_DIR / f"{name}.csv"
    names: list[str] = []
    codes: list[str] = []
    lookup: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            official = row["nama"].strip()
            names.append(official)
            codes.append(row["kode"].strip())
            lookup[normalise_label(official)] = official
            for alias in (row.get("alias") or "").split("|"):
                if alias.strip():
                    lookup.setdefault(normalise_label(alias), official)
    return CategoryList(name, tuple(names), tuple(codes), lookup)


@dataclass(frozen=True)
class StatusBand:
    jenis: str
    status: str
    above: Decimal | None        # exclusive lower bound
    up_to: Decimal | None        # inclusive upper bound
    verified: bool
    source: str

    def contains(self, score: Decimal) -> bool:
        return (self.above is None or score > self.above) and (self.up_to is None or score <= self.up_to)


@lru_cache(maxsize=None)
def status_bands() -> tuple[StatusBand, ...]:
    """The configurable cut-off table ``categories/ambang_status.csv``."""
    bands = []
    with (CATEGORIES_DIR / "ambang_status.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            bands.append(StatusBand(
                row["jenis"], row["status"],
                Decimal(row["di_atas"]) if row["di_atas"] else None,
                Decimal(row["sampai_dengan"]) if row["sampai_dengan"] else None,
                row["terverifikasi"].strip().lower() == "ya", row["sumber"]))
    return tuple(bands)


STATUS_NAMES = ("Sangat Tertinggal", "Tertinggal", "Berkembang", "Maju", "Mandiri")
INDEKS_JENIS = ("IDM", "Indeks Desa")
INDEKS_SCALE = {"IDM": (Decimal(0), Decimal(1)), "Indeks Desa": (Decimal(0), Decimal(100))}


def status_for(jenis: str, score: Decimal) -> StatusBand | None:
    for band in status_bands():
        if band.jenis == jenis and band.contains(score):
            return band
    return None


# ---------------------------------------------------------------------------
# Value parsers for our own columns
# ---------------------------------------------------------------------------

_COUNT = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")


def parse_count(raw: str, f: Field | None = None) -> int:
    """A whole number of people or households: "1234" or "1.234" (Indonesian thousands)."""
    s = raw.strip().replace(" ", "")
    if not _COUNT.match(s):
        raise ValueProblem(f'bilangan bulat 0 atau lebih, seperti "125" atau "1.250", ditemukan "{raw}"')
    return int(s.replace(".", ""))


def parse_rupiah(raw: str, f: Field | None = None) -> int:
    """An amount in Rupiah: "300000", "300.000", "Rp 300.000" or "Rp300.000,00"."""
    s = re.sub(r"^rp\.?", "", raw.strip(), flags=re.I).strip().replace(" ", "")
    s = re.sub(r",0{1,2}$", "", s)
    if not _COUNT.match(s):
        raise ValueProblem(f'jumlah rupiah tanpa sen, seperti "300.000" atau "Rp 300.000", ditemukan "{raw}"')
    return int(s.replace(".", ""))


_DECIMAL = re.compile(r"^\d+([.,]\d+)?$")


def parse_score(raw: str, f: Field | None = None) -> Decimal:
    """A score such as "0,6512" (IDM) or "72,45" (Indeks Desa, SDGs); comma or dot as decimal mark."""
    s = raw.strip()
    if not _DECIMAL.match(s):
        raise ValueProblem(f'angka desimal 0 atau lebih, seperti "0,6512" atau "72,45", ditemukan "{raw}"')
    try:
        return Decimal(s.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise ValueProblem(f'angka desimal seperti "0,6512", ditemukan "{raw}"') from None


def parse_year(raw: str, f: Field | None = None) -> int:
    s = raw.strip()
    if not re.match(r"^(19|20)\d{2}$", s):
        raise ValueProblem(f'tahun empat angka seperti "2024", ditemukan "{raw}"')
    return int(s)


def _category_parser(list_name: str) -> Callable[[str, Field | None], str]:
    def parse(raw: str, f: Field | None = None) -> str:
        cats = category_list(list_name)
        found = cats.match(raw)
        if found is None:
            raise ValueProblem(f'kategori resmi, salah satu dari: {"; ".join(cats.names)}; ditemukan "{raw}"')
        return found
    return parse


def parse_program(raw: str, f: Field | None = None) -> str:
    """An aid programme from the list, or "Lainnya: <nama>" for a regional programme."""
    m = re.match(r"^\s*lainnya\s*:\s*(\S.*)$", raw, flags=re.I)
    if m:
        name = m.group(1).strip()
        if len(name) > 60:
            raise ValueProblem(f"nama program paling panjang 60 karakter, ditemukan {len(name)} karakter")
        return f"Lainnya: {name}"
    cats = category_list("program_bansos")
    found = cats.match(raw)
    if found is None:
        raise ValueProblem(f'salah satu program: {"; ".join(cats.names)}; atau "Lainnya: nama program" '
                           f'untuk program daerah; ditemukan "{raw}"')
    return found


def parse_sdgs_goal(raw: str, f: Field | None = None) -> int:
    s = raw.strip()
    if not re.match(r"^\d{1,2}$", s) or not 1 <= int(s) <= 18:
        raise ValueProblem(f'nomor tujuan SDGs Desa 1 sampai 18, ditemukan "{raw}"')
    return int(s)


def parse_rt_rw(raw: str, f: Field | None = None) -> str:
    """RT/RW numbers are written "001" or "1"; we keep three digits."""
    s = raw.strip()
    if not re.match(r"^\d{1,3}$", s) or int(s) == 0:
        raise ValueProblem(f'nomor 1 sampai 999, seperti "1" atau "001", ditemukan "{raw}"')
    return f"{int(s):03d}"


_PHOTO = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_\-./]*\.(jpe?g|png|webp)$", re.I)


def parse_photo(raw: str, f: Field | None = None) -> str:
    s = raw.strip()
    if not _PHOTO.match(s) or ".." in s.split("/") or s.startswith("/"):
        raise ValueProblem(f'nama berkas foto di dalam folder desa, seperti "foto/kades.jpg" (jpg, png atau webp), '
                           f'ditemukan "{raw}"')
    return s


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------

def _count(name: str, label: str, help: str = "", example: str = "120", required: bool = True) -> Field:
    return Field(name, label, "angka", required=required, minimum=Decimal(0), example=example,
                 help=(help + " " if help else "") + "Bilangan bulat; titik ribuan boleh (1.250).")


KATEGORI_PEMERINTAHAN = ("perangkat", "bpd", "lembaga", "ppid")

PEMERINTAHAN = register(Schema(
    name="datadesa_pemerintahan",
    title="Pemerintahan desa",
    path=f"{DATA_DIR}/pemerintahan.csv",
    format="csv",
    description=("Perangkat desa, anggota BPD, pengurus lembaga kemasyarakatan dan PPID Desa. Satu baris satu "
                 "jabatan; urutan baris adalah urutan tampil. Hanya nama, jabatan dan foto: jangan tulis NIK, "
                 "alamat rumah atau nomor HP pribadi."),
    fields=(
        Field("kategori", "Kategori", "pilihan", required=True, choices=KATEGORI_PEMERINTAHAN, example="perangkat",
              help="perangkat = perangkat desa; bpd = Badan Permusyawaratan Desa; lembaga = lembaga "
                   "kemasyarakatan desa (LPMD, PKK, Karang Taruna, RT/RW, Posyandu, Linmas…); ppid = PPID Desa."),
        Field("jabatan", "Jabatan", required=True, example="Sekretaris Desa", max_length=80),
        Field("nama", "Nama", required=True, example="Siti Aminah", max_length=80),
        Field("lembaga", "Nama lembaga", example="PKK", max_length=80,
              help="Wajib untuk kategori lembaga (misalnya LPMD, PKK, Karang Taruna); kosongkan untuk yang lain."),
        Field("foto", "Foto", example="foto/sekdes.jpg",
              help="Berkas foto di dalam folder desa (jpg, png, webp), paling besar 300 KB. Boleh kosong."),
    ),
))

WILAYAH = register(Schema(
    name="datadesa_wilayah",
    title="Wilayah: dusun, RW dan RT",
    path=f"{DATA_DIR}/wilayah.csv",
    format="csv",
    description=("Satu baris per RT: dusun, RW, RT, jumlah kepala keluarga (KK) dan jumlah penduduk laki-laki "
                 "dan perempuan. Angka per dusun dan jumlah desa dihitung otomatis dari baris-baris ini dan harus "
                 "sama dengan data penduduk (penduduk.md dan penduduk/*.csv) pada tanggal yang sama."),
    fields=(
        Field("dusun", "Dusun", required=True, example="Krajan", max_length=60),
        Field("rw", "RW", required=True, example="001", help="Nomor RW, 1 sampai 999."),
        Field("rt", "RT", required=True, example="002", help="Nomor RT, 1 sampai 999."),
        _count("kk", "Jumlah KK", "Jumlah kepala keluarga di RT ini.", "64"),
        _count("laki_laki", "Laki-laki", "Jumlah penduduk laki-laki di RT ini.", "101"),
        _count("perempuan", "Perempuan", "Jumlah penduduk perempuan di RT ini.", "98"),
    ),
))

PENDUDUK_META = register(Schema(
    name="datadesa_penduduk",
    title="Data penduduk: tanggal, sumber dan jumlah",
    path=f"{DATA_DIR}/penduduk.md",
    format="markdown",
    description=("Tanggal dan sumber angka kependudukan (berlaku untuk wilayah.csv dan semua berkas "
                 "penduduk/*.csv), jumlah penduduk, jumlah KK dan KK miskin. Isi di bawah kepala berkas "
                 "(boleh kosong) tampil sebagai catatan di halaman penduduk."),
    fields=(
        Field("per_tanggal", "Per tanggal", "tanggal", required=True, example="2025-06-30",
              help="Tanggal keadaan data (bukan tanggal mengetik)."),
        Field("sumber", "Sumber data", required=True, example="Data kependudukan desa (OpenSID/SIAK)", max_length=120),
        _count("laki_laki", "Jumlah penduduk laki-laki", "Boleh kosong; bila diisi, semua tabel harus cocok.",
               "1.520", required=False),
        _count("perempuan", "Jumlah penduduk perempuan", "Boleh kosong; bila diisi, semua tabel harus cocok.",
               "1.498", required=False),
        _count("jumlah_kk", "Jumlah KK", "Jumlah kepala keluarga di desa.", "912", required=False),
        _count("kk_miskin", "KK miskin", "Jumlah keluarga miskin menurut data yang disebut di sumber_kk_miskin.",
               "143", required=False),
        Field("sumber_kk_miskin", "Sumber data KK miskin", example="DTSEN (Inpres 4/2025), per Mei 2025",
              max_length=120),
    ),
))

# The population breakdowns: file name -> (title, first column, category list, show empty categories)
PENDUDUK_KATEGORI: dict[str, tuple[str, str, str, bool]] = {
    "umur": ("Penduduk menurut kelompok umur dan jenis kelamin", "kelompok_umur", "kelompok_umur", True),
    "pendidikan": ("Penduduk menurut pendidikan dalam KK", "pendidikan", "pendidikan", True),
    "pekerjaan": ("Penduduk menurut pekerjaan", "pekerjaan", "pekerjaan", False),
    "agama": ("Penduduk menurut agama", "agama", "agama", True),
    "status_perkawinan": ("Penduduk menurut status perkawinan", "status_perkawinan", "status_perkawinan", True),
}

PENDUDUK_SCHEMAS: dict[str, Schema] = {}
for _key, (_title, _col, _list, _zero) in PENDUDUK_KATEGORI.items():
    _cats = category_list(_list)
    PENDUDUK_SCHEMAS[_key] = register(Schema(
        name=f"datadesa_penduduk_{_key}",
        title=_title,
        path=f"{DATA_DIR}/penduduk/{_key}.csv",
        format="csv",
        description=(f"Satu baris per kategori {_col.replace('_', ' ')}: jumlah laki-laki dan perempuan. Kategori "
                     "yang tidak ada penduduknya boleh tidak ditulis. Jumlah semua baris harus sama dengan jumlah "
                     "penduduk. Persentase tidak ditulis: dihitung otomatis."),
        fields=(
            Field(_col, _col.replace("_", " ").capitalize(), "pilihan", required=True, choices=_cats.names,
                  example=_cats.names[min(2, len(_cats.names) - 1)],
                  help="Tulis persis seperti daftar resmi (huruf besar/kecil tidak berpengaruh)."),
            _count("laki_laki", "Laki-laki", example="57"),
            _count("perempuan", "Perempuan", example="61"),
        ),
    ))

BANSOS_META = register(Schema(
    name="datadesa_bansos_meta",
    title="Bantuan sosial: tanggal dan sumber",
    path=f"{DATA_DIR}/bansos.md",
    format="markdown",
    description="Tanggal dan sumber data penerima bantuan sosial di bansos.csv. Isi di bawah kepala berkas menjadi catatan.",
    fields=(
        Field("per_tanggal", "Per tanggal", "tanggal", required=True, example="2025-06-30"),
        Field("sumber", "Sumber data", required=True, example="SIKS-NG Dinas Sosial dan Musdes penetapan KPM BLT Desa",
              max_length=160),
    ),
))

BANSOS = register(Schema(
    name="datadesa_bansos",
    title="Bantuan sosial per dusun",
    path=f"{DATA_DIR}/bansos.csv",
    format="csv",
    description=("Satu baris per program, periode dan dusun: jumlah keluarga penerima (KPM), nilai bantuan per "
                 "keluarga dan sumber dana. JANGAN menulis nama, NIK, No. KK atau alamat penerima: berkas ini "
                 "diterbitkan. Jumlah di bawah 5 tampil sebagai \"<5\"."),
    fields=(
        Field("program", "Program", "pilihan", required=True, choices=category_list("program_bansos").names,
              example="BLT Desa", help='Program dari daftar, atau "Lainnya: nama program" untuk program daerah.'),
        Field("dusun", "Dusun", required=True, example="Krajan", help="Nama dusun persis seperti di wilayah.csv."),
        _count("jumlah_kk", "Jumlah KPM (keluarga)", "Jumlah keluarga penerima di dusun ini.", "23"),
        Field("nilai_per_kk", "Nilai per keluarga", "angka", unit="Rp", minimum=Decimal(0), example="300.000",
              help="Nilai bantuan per keluarga per penyaluran, dalam rupiah. Boleh kosong bila bantuan berupa barang."),
        Field("periode", "Periode", required=True, example="Januari-Juni 2025", max_length=40,
              help="Masa penyaluran, misalnya \"2025\", \"Januari-Juni 2025\" atau \"Triwulan II 2025\"."),
        Field("sumber_dana", "Sumber dana", required=True, example="Dana Desa", max_length=60,
              help="Misalnya Dana Desa, APBN (Kemensos), APBD Provinsi, APBD Kabupaten."),
    ),
))

INDEKS = register(Schema(
    name="datadesa_indeks",
    title="Indeks Desa Membangun (IDM) dan Indeks Desa",
    path=f"{DATA_DIR}/indeks.csv",
    format="csv",
    description=("Satu baris per tahun dan jenis indeks. IDM (Permendes 2/2016) berskala 0-1 dengan komponen "
                 "IKS, IKE, IKL; Indeks Desa (Permendesa 9/2024) berskala 0-100. Status boleh dikosongkan: "
                 "dihitung dari skor. Bila ditulis dan tidak cocok dengan skor, muncul galat."),
    fields=(
        Field("tahun", "Tahun", required=True, example="2024"),
        Field("jenis", "Jenis indeks", "pilihan", required=True, choices=INDEKS_JENIS, example="IDM"),
        Field("skor", "Skor", "angka", required=True, minimum=Decimal(0), example="0,7125"),
        Field("status", "Status", "pilihan", choices=STATUS_NAMES, example="Maju",
              help="Boleh kosong (dihitung dari skor dengan batas resmi)."),
        Field("iks", "IKS", "angka", minimum=Decimal(0), example="0,7543", help="Indeks Ketahanan Sosial (hanya IDM)."),
        Field("ike", "IKE", "angka", minimum=Decimal(0), example="0,6333", help="Indeks Ketahanan Ekonomi (hanya IDM)."),
        Field("ikl", "IKL", "angka", minimum=Decimal(0), example="0,7467", help="Indeks Ketahanan Lingkungan (hanya IDM)."),
    ),
))

SDGS = register(Schema(
    name="datadesa_sdgs",
    title="Skor SDGs Desa per tujuan",
    path=f"{DATA_DIR}/sdgs.csv",
    format="csv",
    description="Satu baris per tahun dan tujuan SDGs Desa (1-18, Permendes 13/2020): skor 0-100.",
    fields=(
        Field("tahun", "Tahun", required=True, example="2024"),
        Field("tujuan", "Tujuan (1-18)", "pilihan", required=True, choices=tuple(str(i) for i in range(1, 19)),
              example="1", help="; ".join(f"{i + 1} {n}" for i, n in enumerate(category_list("sdgs_tujuan").names))),
        Field("skor", "Skor", "angka", required=True, minimum=Decimal(0), example="45,20"),
    ),
))

# Column parsers that replace the generic Field.parse for our columns.
PARSERS: dict[tuple[str, str], Callable[[str, Any], Any]] = {
    ("datadesa_pemerintahan", "foto"): parse_photo,
    ("datadesa_wilayah", "rw"): parse_rt_rw,
    ("datadesa_wilayah", "rt"): parse_rt_rw,
    ("datadesa_bansos", "program"): parse_program,
    ("datadesa_bansos", "jumlah_kk"): parse_count,
    ("datadesa_bansos", "nilai_per_kk"): parse_rupiah,
    ("datadesa_indeks", "tahun"): parse_year,
    ("datadesa_indeks", "skor"): parse_score,
    ("datadesa_indeks", "iks"): parse_score,
    ("datadesa_indeks", "ike"): parse_score,
    ("datadesa_indeks", "ikl"): parse_score,
    ("datadesa_sdgs", "tahun"): parse_year,
    ("datadesa_sdgs", "tujuan"): parse_sdgs_goal,
    ("datadesa_sdgs", "skor"): parse_score,
}
for _name in ("kk", "laki_laki", "perempuan"):
    PARSERS[("datadesa_wilayah", _name)] = parse_count
for _name in ("laki_laki", "perempuan", "jumlah_kk", "kk_miskin"):
    PARSERS[("datadesa_penduduk", _name)] = parse_count
for _key, (_title, _col, _list, _zero) in PENDUDUK_KATEGORI.items():
    PARSERS[(f"datadesa_penduduk_{_key}", _col)] = _category_parser(_list)
    PARSERS[(f"datadesa_penduduk_{_key}", "laki_laki")] = parse_count
    PARSERS[(f"datadesa_penduduk_{_key}", "perempuan")] = parse_count


def parse_field(schema: Schema, f: Field, raw: str) -> Any:
    """Parse one value of ``f`` in ``schema``; raises ValueProblem (Indonesian)."""
    parser = PARSERS.get((schema.name, f.name))
    if parser is not None:
        return parser(raw.strip(), f)
    return f.parse(raw)


ALL_SCHEMAS: tuple[Schema, ...] = (PEMERINTAHAN, WILAYAH, PENDUDUK_META, *PENDUDUK_SCHEMAS.values(),
                                   BANSOS_META, BANSOS, INDEKS, SDGS)
