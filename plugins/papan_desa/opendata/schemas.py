"""Table Schemas of every published dataset, declared once.

A village's ``data/`` folder holds one CSV (and a JSON twin) per dataset. The
datasets come in *kinds* (``apbdes-2025`` is of kind ``apbdes``); each kind
has a title, a description, a primary key where one exists, and its columns
with type, Indonesian title and description, unit and - for the budget - the
Fiscal Data Package role of the column (``columnType``, ``phase``,
``currency``). :func:`table_schema` turns a kind and a CSV header into a
Frictionless Table Schema.

A CSV without a declared kind still gets a schema: types inferred from its
values, titles from the JSON twin's ``kolom`` (``kunci``, ``label``, ``jenis``)
when there is one. Tests check that everything the bundled villages publish is
declared, so this fallback is a safety net, not the rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

# Withheld counts (small-cell rule) are written as "<5" (the threshold) or "*":
# the schema treats them, and empty cells, as missing values.
SECONDARY_MARK = "*"


def missing_values(threshold: int) -> list[str]:
    return ["", f"<{threshold}", SECONDARY_MARK]


@dataclass(frozen=True)
class Kolom:
    """One column: Table Schema field plus Fiscal Data Package hints."""
    name: str
    type: str                     # Table Schema type: string, integer, number, year, date
    title: str
    description: str
    unit: str | None = None       # "orang", "KK", "rupiah", "%"...
    extra: tuple[tuple[str, Any], ...] = ()   # further descriptor keys (columnType, phase, constraints)

    def descriptor(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title,
                             "description": self.description}
        if self.unit:
            d["unit"] = self.unit
        if self.type == "number":
            d["decimalChar"] = "."
            d["groupChar"] = ""
        d.update(dict(self.extra))
        return d


@dataclass(frozen=True)
class Jenis:
    """A kind of dataset: every file whose stem matches ``pattern``."""
    key: str
    pattern: str
    title: str                    # may use {tahun}
    description: str
    columns: tuple[Kolom, ...]
    primary_key: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    json_description: str = ""
    suppressed: bool = False      # counts may be withheld ("<5", "*")

    def match(self, stem: str) -> re.Match | None:
        return re.fullmatch(self.pattern, stem)

    def column(self, name: str) -> Kolom | None:
        return next((c for c in self.columns if c.name == name), None)


def _fdp(column_type: str, **more) -> tuple[tuple[str, Any], ...]:
    return (("columnType", column_type), *sorted(more.items()))


RUPIAH_NOTE = "Rupiah, angka polos dengan titik sebagai pemisah desimal."

# --------------------------------------------------------------------------- APBDes (Fiscal Data Package)

APBDES_COLUMNS = (
    Kolom("tahun", "year", "Tahun anggaran", "Tahun anggaran APBDes (tahun fiskal = tahun kalender).",
          extra=_fdp("date:fiscal-year")),
    Kolom("bagian", "string", "Bagian APBDes",
          "pendapatan, belanja atau pembiayaan: arah uang (masuk, keluar, pembiayaan).",
          extra=_fdp("direction", constraints={"enum": ["pendapatan", "belanja", "pembiayaan"]})),
    Kolom("kode", "string", "Kode rekening",
          "Klasifikasi ekonomi: kode rekening menurut Permendagri 20/2018 (mis. 4.2.1.01 Dana Desa, "
          "5.1.1.01 penghasilan tetap kepala desa); tanpa titik di akhir.",
          extra=_fdp("economic-classification:generic:level4:code")),
    Kolom("kegiatan", "string", "Kode kegiatan",
          "Klasifikasi fungsi tingkat 3 (bidang.sub bidang.kegiatan, mis. 01.01.01); dua bagian pertama adalah "
          "kode sub bidang. Kosong untuk pendapatan dan pembiayaan.",
          extra=_fdp("functional-classification:generic:level3:code")),
    Kolom("bidang", "string", "Kode bidang",
          "Klasifikasi fungsi tingkat 1: bidang belanja (01 penyelenggaraan pemerintahan, 02 pembangunan, "
          "03 pembinaan kemasyarakatan, 04 pemberdayaan masyarakat, 05 penanggulangan bencana, darurat dan "
          "mendesak). Kosong untuk pendapatan dan pembiayaan.",
          extra=_fdp("functional-classification:generic:level1:code")),
    Kolom("uraian", "string", "Uraian", "Nama rekening atau uraian belanja seperti tertulis di APBDes.",
          extra=_fdp("economic-classification:generic:level4:label")),
    Kolom("anggaran", "number", "Anggaran", "Fase anggaran: jumlah dalam APBDes yang ditetapkan dengan Perdes. "
          + RUPIAH_NOTE, "rupiah", _fdp("value", phase="approved", currency="IDR")),
    Kolom("perubahan", "number", "Anggaran perubahan",
          "Fase perubahan: jumlah setelah APBDes Perubahan; kosong bila belum ada perubahan. " + RUPIAH_NOTE,
          "rupiah", _fdp("value", phase="adjusted", currency="IDR")),
    Kolom("realisasi", "number", "Realisasi",
          "Fase realisasi: jumlah yang sudah diterima atau dibelanjakan sampai tanggal laporan (lihat per_tanggal "
          "di berkas JSON); kosong bila belum dilaporkan. " + RUPIAH_NOTE,
          "rupiah", _fdp("value", phase="executed", currency="IDR")),
    Kolom("sumber_dana", "string", "Sumber dana",
          "Kode sumber dana Siskeudes: DDS (Dana Desa), ADD (Alokasi Dana Desa), PBH (bagi hasil pajak dan "
          "retribusi), PAD (pendapatan asli desa), BKK/BKP (bantuan keuangan kabupaten/provinsi), SILPA, dan lain-lain.",
          extra=_fdp("other")),
)

# --------------------------------------------------------------------------- data desa

def _count(name: str, title: str, unit: str, what: str) -> Kolom:
    return Kolom(name, "integer", title, what, unit)


def _pct(name: str, title: str, of: str) -> Kolom:
    return Kolom(name, "number", title, f"Persentase {of}, satu angka di belakang koma.", "%")


HIDDEN_NOTE = ('Angka di bawah ambang sel kecil ditulis "<5" dan angka yang disembunyikan agar "<5" tidak dapat '
               'dihitung ditulis "*"; keduanya dibaca sebagai nilai kosong.')
TOTAL_ROW = 'Baris terakhir "Jumlah" berisi total seluruh baris.'

CROSSTAB_TAIL = (
    _count("laki_laki", "Laki-laki", "orang", "Jumlah penduduk laki-laki."),
    _pct("persen_laki_laki", "% laki-laki", "penduduk laki-laki dari seluruh penduduk dalam tabel"),
    _count("perempuan", "Perempuan", "orang", "Jumlah penduduk perempuan."),
    _pct("persen_perempuan", "% perempuan", "penduduk perempuan dari seluruh penduduk dalam tabel"),
    _count("jumlah", "Jumlah", "orang", "Jumlah penduduk laki-laki dan perempuan."),
    _pct("persen_jumlah", "% jumlah", "penduduk dari seluruh penduduk dalam tabel"),
)

KATEGORI = {   # key -> (label column, title, what the rows are)
    "umur": ("kelompok_umur", "Penduduk menurut kelompok umur dan jenis kelamin", "kelompok umur lima tahunan"),
    "pendidikan": ("pendidikan", "Penduduk menurut pendidikan dalam KK", "pendidikan terakhir (isian KK)"),
    "pekerjaan": ("pekerjaan", "Penduduk menurut pekerjaan", "pekerjaan (isian KK)"),
    "agama": ("agama", "Penduduk menurut agama", "agama"),
    "status-perkawinan": ("status_perkawinan", "Penduduk menurut status perkawinan", "status perkawinan"),
}


def _penduduk_kinds() -> list[Jenis]:
    out = []
    for key, (col, title, what) in KATEGORI.items():
        out.append(Jenis(
            f"penduduk-{key}", re.escape(f"penduduk-{key}"), title,
            f"Jumlah penduduk per {what} dan jenis kelamin, dengan persentase dari seluruh penduduk. "
            f"{TOTAL_ROW} {HIDDEN_NOTE}",
            (Kolom(col, "string", what.capitalize(), f"Kategori {what} menurut daftar resmi Dukcapil."),
             *CROSSTAB_TAIL),
            (col,), ("penduduk", "kependudukan", key.replace("-", " ")),
            "Tabel yang sama dalam JSON, dengan judul, per_tanggal, sumber dan catatan.", True))
    return out


WILAYAH_TAIL = (
    _count("kk", "KK", "KK", "Jumlah kepala keluarga."),
    _count("laki_laki", "Laki-laki", "orang", "Jumlah penduduk laki-laki."),
    _count("perempuan", "Perempuan", "orang", "Jumlah penduduk perempuan."),
    _count("jumlah", "Jumlah", "orang", "Jumlah penduduk."),
    _pct("persen_jumlah", "% jumlah", "penduduk dari seluruh penduduk desa"),
)
JSON_TWIN = "Tabel yang sama dalam JSON, dengan judul, per_tanggal, sumber dan catatan."

BANSOS_TAIL = (
    _count("jumlah_kk", "Keluarga penerima", "KK", "Jumlah keluarga penerima."),
    Kolom("nilai_per_kk", "number", "Nilai per keluarga", "Nilai bantuan per keluarga per periode, rupiah.", "rupiah"),
    Kolom("total_nilai", "number", "Total nilai", "Keluarga penerima x nilai per keluarga, rupiah.", "rupiah"),
    Kolom("sumber_dana", "string", "Sumber dana", 'Asal dana program (mis. Dana Desa, APBN (Kemensos)); '
          '"beragam" bila berbeda antar dusun.'),
)

KINDS: tuple[Jenis, ...] = (
    Jenis("apbdes", r"apbdes-(?P<tahun>\d{4})", "APBDes {tahun}: rincian per rekening",
          "Setiap baris APBDes tahun {tahun}: pendapatan, belanja per kegiatan dan pembiayaan, dengan kode rekening "
          "(klasifikasi ekonomi), kode bidang dan kegiatan (klasifikasi fungsi), fase anggaran, perubahan dan "
          "realisasi (Fiscal Data Package), serta sumber dana.",
          APBDES_COLUMNS, (), ("apbdes", "anggaran", "keuangan desa", "fiscal data package"),
          "Ringkasan, total per bidang dan per jenis pendapatan, klasifikasi ekonomi belanja, indikator dan semua "
          "baris APBDes dalam JSON (format papan-desa/apbdes versi 1)."),
    Jenis("penduduk-ringkasan", "penduduk-ringkasan", "Ringkasan kependudukan",
          f"Jumlah penduduk laki-laki, perempuan, seluruhnya, kepala keluarga (KK) dan KK miskin. {HIDDEN_NOTE}",
          (Kolom("uraian", "string", "Uraian", "Apa yang dihitung (mis. Jumlah penduduk, KK miskin)."),
           Kolom("jumlah", "integer", "Jumlah", "Jumlah orang atau keluarga (lihat uraian)."),
           Kolom("persen", "number", "%", "Persentase: laki-laki dan perempuan dari jumlah penduduk, KK miskin dari "
                 "jumlah KK; kosong bila tidak bermakna.", "%")),
          ("uraian",), ("penduduk", "kependudukan", "KK miskin"), JSON_TWIN, True),
    *_penduduk_kinds(),
    Jenis("wilayah-dusun", "wilayah-dusun", "Penduduk per dusun",
          f"Jumlah RT, KK dan penduduk per dusun. {TOTAL_ROW} {HIDDEN_NOTE}",
          (Kolom("dusun", "string", "Dusun", "Nama dusun."),
           _count("jumlah_rt", "RT", "RT", "Jumlah RT di dusun."), *WILAYAH_TAIL),
          ("dusun",), ("wilayah", "dusun", "penduduk"), JSON_TWIN, True),
    Jenis("wilayah-rt", "wilayah-rt", "Penduduk per RT",
          f"Jumlah KK dan penduduk per RT. {TOTAL_ROW} {HIDDEN_NOTE}",
          (Kolom("dusun", "string", "Dusun", "Nama dusun."),
           Kolom("rw", "string", "RW", "Nomor RW, tiga angka (mis. 001)."),
           Kolom("rt", "string", "RT", "Nomor RT, tiga angka (mis. 002)."), *WILAYAH_TAIL),
          ("dusun", "rw", "rt"), ("wilayah", "RT", "penduduk"), JSON_TWIN, True),
    Jenis("bansos-program", "bansos-program", "Bantuan sosial per program",
          f"Jumlah keluarga penerima, nilai per keluarga dan total nilai per program dan periode. Tanpa nama, NIK, "
          f"No. KK atau alamat penerima. {HIDDEN_NOTE}",
          (Kolom("program", "string", "Program", "Nama program bantuan (mis. BLT Desa, PKH, BPNT)."),
           Kolom("periode", "string", "Periode", "Periode penyaluran."),
           _count("jumlah_dusun", "Dusun", "dusun", "Jumlah dusun yang menerima."), *BANSOS_TAIL),
          ("program", "periode"), ("bantuan sosial", "bansos", "BLT"), JSON_TWIN, True),
    Jenis("bansos-dusun", "bansos-dusun", "Penerima bantuan sosial per dusun",
          f"Jumlah keluarga penerima per program, periode dan dusun. Tanpa nama, NIK, No. KK atau alamat penerima. "
          f"{HIDDEN_NOTE}",
          (Kolom("program", "string", "Program", "Nama program bantuan (mis. BLT Desa, PKH, BPNT)."),
           Kolom("periode", "string", "Periode", "Periode penyaluran."),
           Kolom("dusun", "string", "Dusun", "Nama dusun."), *BANSOS_TAIL),
          ("program", "periode", "dusun"), ("bantuan sosial", "bansos", "dusun"), JSON_TWIN, True),
    Jenis("indeks-desa", "indeks-desa", "Status desa: IDM dan Indeks Desa",
          "Skor dan status Indeks Desa Membangun (IDM, skala 0-1, dengan IKS, IKE, IKL) dan Indeks Desa "
          "(Permendesa 9/2024, skala 0-100) per tahun.",
          (Kolom("tahun", "year", "Tahun", "Tahun penilaian."),
           Kolom("jenis", "string", "Jenis indeks", "IDM atau Indeks Desa."),
           Kolom("skor", "number", "Skor", "Skor indeks (IDM 0-1, Indeks Desa 0-100)."),
           Kolom("status", "string", "Status", "Status desa (mis. Berkembang, Maju, Mandiri)."),
           Kolom("iks", "number", "IKS", "Indeks Ketahanan Sosial (IDM saja)."),
           Kolom("ike", "number", "IKE", "Indeks Ketahanan Ekonomi (IDM saja)."),
           Kolom("ikl", "number", "IKL", "Indeks Ketahanan Lingkungan (IDM saja).")),
          ("tahun", "jenis"), ("IDM", "indeks desa", "status desa"), JSON_TWIN),
    Jenis("sdgs-desa", "sdgs-desa", "Skor SDGs Desa per tujuan",
          "Skor setiap tujuan SDGs Desa (Permendes PDTT 13/2020) per tahun, skala 0-100.",
          (Kolom("tahun", "year", "Tahun", "Tahun pendataan."),
           Kolom("tujuan", "integer", "Tujuan", "Nomor tujuan SDGs Desa, 1 sampai 18."),
           Kolom("nama", "string", "Nama tujuan", "Nama tujuan SDGs Desa."),
           Kolom("skor", "number", "Skor", "Skor tujuan, 0-100.")),
          ("tahun", "tujuan"), ("SDGs Desa",), JSON_TWIN),
    Jenis("pemerintahan", "pemerintahan", "Pemerintahan desa",
          "Pejabat publik desa: perangkat desa, BPD, lembaga kemasyarakatan dan PPID Desa, dengan jabatan dan nama.",
          (Kolom("kategori", "string", "Kategori", "Perangkat desa, BPD, Lembaga kemasyarakatan atau PPID Desa."),
           Kolom("lembaga", "string", "Lembaga", "Nama lembaga kemasyarakatan (kosong untuk kategori lain)."),
           Kolom("jabatan", "string", "Jabatan", "Jabatan dalam pemerintahan desa atau lembaga."),
           Kolom("nama", "string", "Nama", "Nama pejabat."),
           Kolom("foto", "string", "Foto", "Berkas foto di folder desa (kosong bila tidak ada).")),
          (), ("pemerintahan", "perangkat desa", "BPD"), JSON_TWIN),
)


def kind_of(stem: str) -> tuple[Jenis | None, dict[str, str]]:
    """The declared kind of a dataset file stem and the values its pattern captured."""
    for k in KINDS:
        m = k.match(stem)
        if m:
            return k, m.groupdict()
    return None, {}


# --------------------------------------------------------------------------- inference for undeclared files

_INT = re.compile(r"-?\d+")
_NUM = re.compile(r"-?\d+(\.\d+)?")
JENIS_TYPE = {"n": ("integer", None), "persen": ("number", "%"), "rupiah": ("integer", "rupiah"),
              "skor": ("number", None), "teks": ("string", None)}


def infer_type(values: Iterable[str], missing: Sequence[str]) -> str:
    vals = [v for v in values if v not in missing]
    if vals and all(_INT.fullmatch(v) and not (len(v) > 1 and v.startswith("0")) for v in vals):
        return "integer"
    if vals and all(_NUM.fullmatch(v) for v in vals):
        return "number"
    return "string"


def infer_columns(header: Sequence[str], rows: Sequence[Sequence[str]], kolom: Sequence[dict] | None,
                  missing: Sequence[str]) -> tuple[Kolom, ...]:
    labels = {k.get("kunci"): k for k in (kolom or []) if isinstance(k, dict)}
    out = []
    for i, name in enumerate(header):
        info = labels.get(name, {})
        t = infer_type((r[i] for r in rows if i < len(r)), missing)
        unit = None
        if info.get("jenis") in JENIS_TYPE:
            declared, unit = JENIS_TYPE[info["jenis"]]
            if declared == "string" or t != "string":
                t = declared if not (declared == "integer" and t == "number") else "number"
        title = str(info.get("label") or name.replace("_", " ").capitalize())
        out.append(Kolom(name, t, title, f"Kolom {title}.", unit))
    return tuple(out)


# --------------------------------------------------------------------------- Table Schema

def table_schema(columns: Sequence[Kolom], header: Sequence[str], primary_key: Sequence[str] = (),
                 missing: Sequence[str] = ("",)) -> dict[str, Any]:
    """A Table Schema for a CSV with ``header``, in header order; undeclared columns become strings."""
    by_name = {c.name: c for c in columns}
    fields = []
    for name in header:
        c = by_name.get(name) or Kolom(name, "string", name.replace("_", " ").capitalize(), f"Kolom {name}.")
        fields.append(c.descriptor())
    schema: dict[str, Any] = {"fields": fields, "missingValues": list(missing)}
    if primary_key and all(k in header for k in primary_key):
        schema["primaryKey"] = list(primary_key)
    return schema


@dataclass
class Dataset:
    """One published dataset (a CSV, maybe with a JSON twin), described for a Data Package."""
    name: str
    title: str
    description: str
    csv: str                                # file name inside data/
    json: str | None
    schema: dict[str, Any]
    keywords: list[str] = field(default_factory=list)
    modified: str | None = None             # ISO date from the data itself
    rows: int = 0
    json_description: str = ""
    declared: bool = True                   # False when the schema was inferred
