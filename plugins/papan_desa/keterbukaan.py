"""The openness score: what the law asks of each village, and whether it published it, on time, late or not.

The duties live here, in one table (:data:`ATURAN`): each with its legal basis, the kind of
village it applies to (a kelurahan is funded through the kabupaten's budget, the DPA of the
kelurahan, so it has no APBDes, Perdes or RKP Desa), whether it is mandatory or occurs only when
something happens (an APBDes Perubahan), and its legal due date. ``docs/keterbukaan.md`` is
written from this table by ``papan docs``. A kabupaten adjusts it in ``pelicanconf.py`` with
``PAPAN_KETERBUKAAN``: ``{"berita": {"bobot": 1, "hari": 60}, "rpjm": {"aktif": False}}``.

Credit goes to what can be checked: a document duty is met only when the signed document is
published and linked from the legal-products list (``produk-hukum.csv``); the budget year names
its Perdes with ``perdes: Perdes 2 Tahun 2025`` (see :mod:`papan_desa.audit`). A dated duty says
when the item appeared against its legal date ("terbit 12 hari setelah batas", "belum terbit,
lewat 40 hari") and a late item earns less.

Each rule looks at a village's build summary and the build's "today" and answers a :class:`Sel`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable

from .formatting import tanggal

ADA = "ada"                      # published (on time where the law sets a date)
TERLAMBAT = "terlambat"          # published after its legal date
USANG = "usang"                  # published but out of date
TIDAK_ADA = "tidak ada"
BELUM = "belum waktunya"         # not yet due: left out of the score
TIDAK_BERLAKU = "tidak berlaku"  # the duty does not arise (no Perubahan this year): left out of the score
LABEL = {ADA: "Ada", TERLAMBAT: "Terlambat", USANG: "Usang", TIDAK_ADA: "Tidak ada", BELUM: "Belum waktunya",
         TIDAK_BERLAKU: "Tidak berlaku"}
SIMBOL = {ADA: "✓", TERLAMBAT: "!", USANG: "!", TIDAK_ADA: "✗", BELUM: "–", TIDAK_BERLAKU: "–"}
NILAI = {ADA: 1.0, USANG: 0.5, TIDAK_ADA: 0.0}
DIHITUNG = (ADA, TERLAMBAT, USANG, TIDAK_ADA)
# A late item earns by how late it was: up to 30 days 0.75, up to 90 days 0.5, later 0.25.
NILAI_TERLAMBAT = ((30, 0.75), (90, 0.5), (None, 0.25))

DESA, KELURAHAN, KEDUANYA = "desa", "kelurahan", "keduanya"
WAJIB, BILA_TERJADI = "wajib", "bila terjadi"


@dataclass(frozen=True)
class Sel:
    """One cell of the matrix: its status, what it says, and what it earns (0..1)."""
    status: str
    teks: str
    nilai: float = 0.0

    @property
    def dihitung(self) -> bool:
        return self.status in DIHITUNG


def nilai_terlambat(hari: int) -> float:
    for batas, nilai in NILAI_TERLAMBAT:
        if batas is None or hari <= batas:
            return nilai
    return 0.0


@dataclass(frozen=True)
class Aturan:
    kode: str
    label: str
    dasar: str             # the legal basis, for the documentation
    penjelasan: str        # how the cell is decided, in Indonesian
    bobot: int
    nilai: Callable[["Aturan", dict, dt.date], Sel]
    untuk: str = KEDUANYA  # desa, kelurahan or keduanya
    sifat: str = WAJIB     # wajib, or "bila terjadi" (only when the event happens)
    batas: str = ""        # legal due date "BB-HH" ...
    geser: int = 0         # ... in the fiscal year plus this many years (-1: the year before)
    hari: int = 0          # days before a publication counts as out of date (when the rule uses it)
    aktif: bool = True

    def berlaku_untuk(self, jenis: str) -> bool:
        return self.untuk == KEDUANYA or self.untuk == (jenis or DESA)

    def batas_untuk(self, tahun: int) -> dt.date | None:
        """The legal due date for fiscal year ``tahun`` (None when the duty has no date)."""
        if not self.batas:
            return None
        m, d = (int(x) for x in self.batas.split("-"))
        return dt.date(tahun + self.geser, m, d)

    @property
    def batas_teks(self) -> str:
        if not self.batas:
            return "–"
        m, d = (int(x) for x in self.batas.split("-"))
        when = tanggal(dt.date(2001, m, d)).rsplit(" ", 1)[0]
        return {-1: f"{when} tahun sebelumnya", 0: f"{when} tahun anggaran",
                1: f"{when} tahun berikutnya"}.get(self.geser, f"{when} (tahun +{self.geser})")


# ------------------------------------------------------------------ reading a village's summary

def _years(s: dict) -> dict[int, dict]:
    return {y["tahun"]: y for y in s.get("apbdes") or []}


def _audit(s: dict) -> dict:
    return s.get("audit") or {}


def _dok(s: dict, jenis: str, tahun: int | None = None) -> dict | None:
    d = (_audit(s).get("dokumen") or {}).get(jenis)
    if tahun is None:
        return d
    return (d or {}).get(str(tahun))


def _terbit(s: dict, tahun: int, apa: str, today: dt.date) -> dt.date | None:
    """When the site first carried the item (from git history), if known and not after "today"."""
    raw = ((_audit(s).get("terbit") or {}).get(str(tahun)) or {}).get(apa)
    if not raw:
        return None
    d = dt.date.fromisoformat(raw[:10])
    return d if d <= today else None


def tepat(a: Aturan, when: dt.date | None, batas: dt.date | None, what: str = "terbit") -> Sel:
    """A published item against its legal date."""
    if batas is None:
        return Sel(ADA, what if when is None else f"{what} {tanggal(when)}", 1.0)
    if when is None:
        return Sel(ADA, f"{what}; tanggalnya tidak tercatat", 1.0)
    late = (when - batas).days
    if late <= 0:
        return Sel(ADA, f"{what} {tanggal(when)}, sebelum batas {tanggal(batas)}", 1.0)
    return Sel(TERLAMBAT, f"{what} {late} hari setelah batas ({tanggal(batas)})", nilai_terlambat(late))


def hilang(batas: dt.date | None, today: dt.date, what: str = "belum terbit") -> Sel:
    """An item not (yet) published: not yet due, or overdue by so many days."""
    if batas is not None and today <= batas:
        return Sel(BELUM, f"belum waktunya (batas {tanggal(batas)})")
    if batas is None:
        return Sel(TIDAK_ADA, what)
    return Sel(TIDAK_ADA, f"{what}, lewat {(today - batas).days} hari")


# ------------------------------------------------------------------ the duties

def _profil(a, s, today):
    return Sel(ADA, "terbit", 1.0) if s.get("nama") else Sel(TIDAK_ADA, "belum terbit")


def _layanan(a, s, today):
    n = (s.get("publikasi") or {}).get("layanan") or 0
    return Sel(ADA, f"{n} standar layanan", 1.0) if n else Sel(TIDAK_ADA, "belum ada standar layanan")


def _dip(a, s, today):
    n = (s.get("publikasi") or {}).get("dip") or 0
    return Sel(ADA, f"{n} entri", 1.0) if n else Sel(TIDAK_ADA, "belum ada daftar")


def _fresh(date_text: str | None, days: int, today: dt.date) -> Sel:
    if not date_text:
        return Sel(TIDAK_ADA, "belum ada")
    d = dt.date.fromisoformat(date_text[:10])
    age = (today - d).days
    if age <= days:
        return Sel(ADA, f"terakhir {tanggal(d)}", 1.0)
    return Sel(USANG, f"terakhir {tanggal(d)}, {age} hari lalu", NILAI[USANG])


def _berita(a, s, today):
    return _fresh((s.get("publikasi") or {}).get("berita_terbaru"), a.hari, today)


def _penduduk(a, s, today):
    return _fresh((s.get("datadesa") or {}).get("per_tanggal"), a.hari, today)


def _apbdes(a, s, today):
    y, batas = today.year, a.batas_untuk(today.year)
    if y not in _years(s):
        return hilang(batas, today, f"APBDes {y} belum terbit")
    perdes = _dok(s, "perdes_apbdes", y) or {}
    when = dt.date.fromisoformat(perdes["tanggal"]) if perdes.get("tanggal") else None
    return tepat(a, when, batas, "ditetapkan")


def _perdes(a, s, today):
    y = today.year
    if y not in _years(s):
        return Sel(TIDAK_ADA, f"APBDes {y} belum terbit")
    perdes = _dok(s, "perdes_apbdes", y)
    if not perdes:
        return Sel(TIDAK_ADA, "Perdes tidak ditautkan ke daftar produk hukum")
    if not perdes.get("berkas"):
        return Sel(TIDAK_ADA, f"{perdes['judul']} tercatat, dokumennya belum diunggah")
    return Sel(ADA, f"{perdes['judul']} terbit", 1.0)


def _perubahan(a, s, today):
    y = _years(s).get(today.year)
    if y and "perubahan" in (y.get("kolom") or []):
        return Sel(ADA, "terbit", 1.0)
    return Sel(TIDAK_BERLAKU, "tidak ada perubahan")


def _semester(a, s, today):
    y, batas = today.year, a.batas_untuk(today.year)
    ys = _years(s).get(y)
    if ys and "realisasi" in (ys.get("kolom") or []):
        return tepat(a, _terbit(s, y, "realisasi", today), batas)
    return hilang(batas, today)


def _tahunan(a, s, today):
    y = today.year - 1
    batas = a.batas_untuk(y)
    ys = _years(s).get(y)
    if ys and ys.get("status") == "Realisasi Tahun Anggaran":
        return tepat(a, _terbit(s, y, "tahunan", today), batas)
    return hilang(batas, today, f"laporan {y} belum terbit")


def _rkp(a, s, today):
    y, batas = today.year, a.batas_untuk(today.year)
    d = _dok(s, "rkp", y)
    if not d:
        return hilang(batas, today, f"Perdes RKP Desa {y} belum terbit")
    if not d.get("berkas"):
        return Sel(TIDAK_ADA, f"{d['judul']} tercatat, dokumennya belum diunggah")
    return tepat(a, dt.date.fromisoformat(d["tanggal"]), batas, "ditetapkan")


def _rpjm(a, s, today):
    d = _dok(s, "rpjm")
    if not d:
        return Sel(TIDAK_ADA, "Perdes RPJM Desa belum terbit")
    if not d.get("berkas"):
        return Sel(TIDAK_ADA, f"{d['judul']} tercatat, dokumennya belum diunggah")
    return Sel(ADA, f"{d['judul']} terbit", 1.0)


ATURAN: tuple[Aturan, ...] = (
    Aturan("profil", "Profil desa/kelurahan", "UU 14/2008 Pasal 9; Perki 1/2018 (informasi berkala)",
           "Ada bila halaman profil terbit.", 1, _profil),
    Aturan("layanan", "Standar layanan", "UU 25/2009 Pasal 15 dan 21",
           "Ada bila sedikitnya satu standar layanan (persyaratan, prosedur, waktu, biaya) terbit.", 1, _layanan),
    Aturan("dip", "Daftar Informasi Publik", "UU 14/2008 Pasal 7; Perki 1/2018",
           "Ada bila Daftar Informasi Publik terbit.", 1, _dip),
    Aturan("berita", "Berita 90 hari terakhir", "UU 6/2014 Pasal 26 ayat (4) huruf p; UU 14/2008 Pasal 9",
           "Ada bila berita terbaru paling lama 90 hari; usang bila lebih lama.", 1, _berita, hari=90),
    Aturan("penduduk", "Data penduduk", "Perki 1/2018 (informasi berkala)",
           "Ada bila data kependudukan paling lama 365 hari; usang bila lebih lama.", 1, _penduduk, hari=365),
    Aturan("apbdes", "APBDes tahun berjalan", "Permendagri 20/2018 Pasal 31 dan 39",
           "Ada bila APBDes tahun ini terbit; terlambat bila Perdes-nya ditetapkan setelah batas.", 3, _apbdes,
           untuk=DESA, batas="12-31", geser=-1),
    Aturan("perdes_apbdes", "Perdes APBDes (dokumen)", "Permendagri 20/2018 Pasal 31; Perki 1/2018",
           "Ada bila APBDes tahun ini menautkan Perdes-nya di daftar produk hukum dan PDF Perdes itu terbit.", 1,
           _perdes, untuk=DESA),
    Aturan("perubahan", "APBDes Perubahan", "Permendagri 20/2018 Pasal 33 dan 39",
           "Hanya bila desa mengubah APBDes: ada bila APBDes tahun ini memuat kolom perubahan; desa yang tidak "
           "mengubah APBDes tidak dinilai.", 1, _perubahan, untuk=DESA, sifat=BILA_TERJADI),
    Aturan("realisasi_semester", "Realisasi semester I", "Permendagri 20/2018 Pasal 68 ayat (2) dan Pasal 72",
           "Ada bila APBDes tahun ini memuat realisasi; terlambat bila terbit setelah batas (menurut riwayat git).",
           2, _semester, untuk=DESA, batas="07-31"),
    Aturan("realisasi_tahunan", "Laporan realisasi tahun lalu", "Permendagri 20/2018 Pasal 70 dan 72",
           "Ada bila Realisasi Tahun Anggaran tahun lalu terbit; terlambat bila terbit setelah batas (menurut "
           "riwayat git).", 2, _tahunan, untuk=DESA, batas="03-31", geser=1),
    Aturan("rkp", "Perdes RKP Desa (dokumen)", "Permendagri 114/2014 Pasal 32; Perki 1/2018",
           "Ada bila Perdes RKP Desa tahun ini ada di daftar produk hukum dengan PDF-nya; terlambat bila "
           "ditetapkan setelah batas.", 1, _rkp, untuk=DESA, batas="09-30", geser=-1),
    Aturan("rpjm", "Perdes RPJM Desa (dokumen)", "Permendagri 114/2014 Pasal 4; Perki 1/2018",
           "Ada bila Perdes RPJM Desa yang berlaku ada di daftar produk hukum dengan PDF-nya.", 1, _rpjm,
           untuk=DESA),
)

UBAH = ("bobot", "hari", "batas", "untuk", "aktif")


def aturan(settings: dict | None = None) -> list[Aturan]:
    """The duties in force: the defaults above, adjusted by ``PAPAN_KETERBUKAAN``."""
    changes = (settings or {}).get("PAPAN_KETERBUKAAN") or {}
    unknown = set(changes) - {a.kode for a in ATURAN}
    if unknown:
        raise ValueError("PAPAN_KETERBUKAAN: aturan tidak dikenal: " + ", ".join(sorted(unknown))
                         + "; yang ada: " + ", ".join(a.kode for a in ATURAN))
    out = []
    for a in ATURAN:
        ch = dict(changes.get(a.kode, {}))
        if "jatuh_tempo" in ch:          # the name this setting had before the legal dates
            ch.setdefault("batas", ch.pop("jatuh_tempo"))
        bad = set(ch) - set(UBAH)
        if bad:
            raise ValueError(f"PAPAN_KETERBUKAAN[{a.kode!r}]: kunci tidak dikenal: {', '.join(sorted(bad))}; "
                             f"yang boleh: {', '.join(UBAH)}")
        if ch.get("untuk", a.untuk) not in (DESA, KELURAHAN, KEDUANYA):
            raise ValueError(f"PAPAN_KETERBUKAAN[{a.kode!r}]['untuk']: diharapkan desa, kelurahan atau keduanya")
        a = replace(a, **ch)
        if a.aktif:
            out.append(a)
    return out


@dataclass
class Nilai:
    sel: dict[str, str]          # rule code -> status
    skor: float                  # 0..100, over the duties that are due and apply
    teks: dict[str, str]         # rule code -> what the cell says
    poin: dict[str, float]       # rule code -> 0..1 (only for the duties counted)
    terbit: bool = True          # False: the village has published nothing (left out of averages)

    @property
    def skor_teks(self) -> str:
        return f"{self.skor:.0f}" if self.terbit else "–"


def nilai(summary: dict | None, today: dt.date, rules: list[Aturan]) -> Nilai:
    """The cells and score of one village. A kelurahan is scored on kelurahan duties only; a village
    with nothing published scores 0 everywhere and is marked unpublished."""
    s = summary or {}
    jenis = s.get("jenis") or DESA
    cells: dict[str, Sel] = {}
    for a in rules:
        if not a.berlaku_untuk(jenis):
            cells[a.kode] = Sel(TIDAK_BERLAKU, f"bukan kewajiban {jenis}")
        elif not s:
            cells[a.kode] = Sel(TIDAK_ADA, "belum terbit")
        else:
            cells[a.kode] = a.nilai(a, s, today)
    counted = [a for a in rules if cells[a.kode].dihitung]
    total = sum(a.bobot for a in counted)
    score = 100.0 * sum(a.bobot * cells[a.kode].nilai for a in counted) / total if total else 0.0
    return Nilai({k: c.status for k, c in cells.items()}, round(score, 1), {k: c.teks for k, c in cells.items()},
                 {a.kode: cells[a.kode].nilai for a in counted}, bool(s))


def hari_ini(settings: dict, summaries: list[dict]) -> dt.date:
    """The build's "today": PAPAN_TODAY, else the newest date any village published (never the clock)."""
    raw = settings.get("PAPAN_TODAY")
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and raw.strip():
        return dt.date.fromisoformat(raw.strip()[:10])
    dates = []
    for s in summaries:
        dates.append((s.get("publikasi") or {}).get("berita_terbaru"))
        dates.append((s.get("datadesa") or {}).get("per_tanggal"))
        dates += [y.get("per_tanggal") for y in s.get("apbdes") or []]
    dates = [dt.date.fromisoformat(d[:10]) for d in dates if d]
    return max(dates) if dates else dt.date(2025, 1, 1)


# ------------------------------------------------------------------ honest averages

@dataclass
class RataRata:
    """An average over the villages it is about, with how many that leaves out."""
    nilai: float | None      # None when no village counts
    n: int                   # villages averaged
    belum: int               # villages that have the duty but published nothing yet


def rata_rata_skor(nilai_list: list[Nilai]) -> RataRata:
    """The average score over published villages only; the unpublished are counted beside it."""
    pub = [n.skor for n in nilai_list if n.terbit]
    return RataRata(round(sum(pub) / len(pub), 1) if pub else None, len(pub),
                    sum(1 for n in nilai_list if not n.terbit))


@dataclass
class Cakupan:
    aturan: Aturan
    wajib: int               # villages of the kind the duty applies to
    terbit: int              # of those, villages that have published anything
    dinilai: int             # of those, villages where the duty was due (counted in the average)
    ada: int                 # of those, villages that published the item (on time or late)
    tepat: int               # ... on time
    rata_rata: float | None  # average of the item's value (0..100) over the villages where it was due


def cakupan(rules: list[Aturan], villages: list[tuple[str, Nilai]]) -> list[Cakupan]:
    """Per duty: how many villages have it, how many publish it at all, and the average where due.

    ``villages`` is (jenis, nilai) for every registry village, published or not."""
    out = []
    for a in rules:
        have = [(j, n) for j, n in villages if a.berlaku_untuk(j)]
        pub = [n for _, n in have if n.terbit]
        due = [n for n in pub if a.kode in n.poin]
        ada = [n for n in due if n.sel[a.kode] in (ADA, TERLAMBAT, USANG)]
        avg = round(100.0 * sum(n.poin[a.kode] for n in due) / len(due), 1) if due else None
        out.append(Cakupan(a, len(have), len(pub), len(due), len(ada),
                           sum(1 for n in due if n.sel[a.kode] == ADA), avg))
    return out


def docs_markdown() -> str:
    rows = ["| kode | kewajiban | untuk | sifat | batas menurut hukum | bobot | dasar | cara menilai |",
            "|---|---|---|---|---|---|---|---|"]
    for a in ATURAN:
        rows.append(f"| `{a.kode}` | {a.label} | {a.untuk} | {a.sifat} | {a.batas_teks} | {a.bobot} | {a.dasar} "
                    f"| {a.penjelasan} |")
    return "\n".join(rows) + "\n"


def docs_page() -> str:
    """``docs/keterbukaan.md``: the duties, how a cell is scored, and the cross-checks of the audit page."""
    from .audit import ALOKASI
    from .schema import schema_markdown

    late = ", ".join(f"sampai {b} hari {v:g}".replace(".", ",") if b else f"lebih lama {v:g}".replace(".", ",")
                     for b, v in NILAI_TERLAMBAT)
    alokasi = schema_markdown(ALOKASI).replace("villages/<folder-desa>/data/", "data/")
    return (
        "# Skor keterbukaan informasi desa dan audit APBDes\n\n"
        "Portal kabupaten (halaman **Keterbukaan**) menilai setiap desa dan kelurahan menurut kewajiban yang "
        "diberikan hukum kepadanya, dan halaman **Audit** mencocokkan angka APBDes dengan dokumen dan data lain.\n\n"
        "## Kewajiban\n\n"
        "Kelurahan dinilai hanya atas kewajiban kelurahan (`untuk` = kelurahan atau keduanya): anggaran kelurahan "
        "ada di DPA kecamatan/kelurahan dalam APBD kabupaten, jadi kelurahan tidak punya APBDes, Perdes APBDes, "
        "RKP Desa atau RPJM Desa. Kewajiban yang bersifat *bila terjadi* (APBDes Perubahan) hanya dinilai bila "
        "terjadi: desa yang tidak mengubah APBDes tidak kehilangan nilai.\n\n"
        + docs_markdown() +
        "\n## Cara menilai\n\n"
        "- **Ada, tepat waktu**: 1. **Terlambat** (terbit atau ditetapkan setelah batas menurut hukum): "
        f"{late}. **Usang** (terbit tetapi lewat masanya): ½. **Tidak ada**: 0. **Belum waktunya** (batasnya "
        "belum lewat) dan **tidak berlaku** tidak dihitung.\n"
        "- Setiap sel menyebut kapan, misalnya \"ditetapkan 8 hari setelah batas (31 Desember 2024)\" atau "
        "\"belum terbit, lewat 40 hari\".\n"
        "- **Dokumen dinilai dari dokumennya.** Perdes APBDes, Perdes RKP Desa dan Perdes RPJM Desa dinilai ada "
        "hanya bila barisnya di `produk-hukum.csv` memuat berkas PDF-nya. APBDes menautkan Perdes-nya dengan "
        "baris `perdes: Perdes 2 Tahun 2025` di `apbdes/<tahun>.md`; tanggal Perdes itulah yang dibandingkan "
        "dengan batas 31 Desember. Tautan ke produk hukum yang tidak ada, atau `perdes_nomor`/`perdes_tanggal` "
        "yang berbeda dengan barisnya, adalah **galat** bagi operator (bukan tanda di halaman publik).\n"
        "- Tanggal terbit laporan realisasi diambil dari riwayat git data desa (kapan angka realisasi pertama kali "
        "tercatat). Bila riwayat tidak ada, laporan dinilai ada dengan keterangan \"tanggalnya tidak tercatat\".\n"
        "- Skor = jumlah (bobot × nilai) dibagi jumlah bobot kewajiban yang dihitung, dikali 100.\n"
        "- Rata-rata kabupaten dan kecamatan dihitung hanya atas desa/kelurahan yang sudah terbit; jumlah yang belum "
        "terbit disebut di sampingnya, dan kecamatan tanpa satu pun desa terbit tidak diperingkat. Untuk setiap "
        "kewajiban, rata-rata dihitung atas desa yang memikulnya dan sudah jatuh tempo, di samping cakupannya "
        "(berapa desa yang menerbitkannya sama sekali).\n\n"
        "\"Hari ini\" adalah `PAPAN_TODAY` (diisi alur penerbitan dengan tanggal pembangunan) atau, bila kosong, "
        "tanggal terbaru yang diterbitkan desa mana pun; jam komputer tidak pernah dipakai.\n\n"
        "Kabupaten dapat mengubah bobot, masa berlaku (`hari`), batas (`batas`, \"BB-HH\"), jenis desa "
        "(`untuk`: desa, kelurahan atau keduanya) atau menonaktifkan kewajiban (`aktif`) di `pelicanconf.py`:\n\n"
        "```python\nPAPAN_KETERBUKAAN = {\"berita\": {\"hari\": 60}, \"rpjm\": {\"aktif\": False}}\n```\n\n"
        "Matriks lengkap dapat diunduh sebagai `data/keterbukaan.csv`.\n\n"
        "## Audit: angka dicocokkan dengan sumber lain\n\n"
        "Setiap kali data desa dibaca (`make check`, `make html`, Papan Admin), setiap tahun APBDes dicocokkan:\n\n"
        "- **Perdes**: tautan `perdes:` harus menunjuk baris produk hukum yang ada; nomor dan tanggal yang "
        "diketik harus sama dengan baris itu.\n"
        "- **BLT Desa**: jumlah KPM BLT Desa di `data-desa/bansos.csv` × besaran per bulan (`PAPAN_BLT_BULANAN`, "
        "bawaan Rp 300.000) × jumlah bulan (`PAPAN_BLT_BULAN`, bawaan 12) dibandingkan dengan anggaran kegiatan "
        "05.03.01 tahun data itu. Desa tanpa data penerima mendapat \"tidak dapat dicek\", bukan selisih.\n"
        "- **Alokasi kabupaten**: bila ada `data/alokasi-<tahun>.csv` di samping daftar wilayah, Dana Desa "
        "(4.2.1), ADD (4.2.3) dan bagi hasil (4.2.2) APBDes dibandingkan dengan alokasi Perbup. Halaman APBDes "
        "menulis \"sesuai Perbup Nomor …\" hanya bila sama persis.\n"
        "- **Anggaran seimbang**: belanja dikurangi pendapatan harus tertutup pembiayaan netto. SiLPA yang "
        "direncanakan boleh positif, tidak boleh negatif; SiLPA rencana lebih dari "
        "10% pendapatan juga diperingatkan. Bila kelebihan satu angka nol pada satu baris menjelaskan selisihnya "
        "(siltap Rp 52.200.000 diketik Rp 522.000.000), baris itu disebut.\n"
        "- **Lonjakan**: baris pendapatan dan belanja pegawai (5.1) yang lima kali lipat (atau seperlima) tahun "
        "sebelumnya, dengan selisih sedikitnya Rp 10.000.000.\n\n"
        "Setiap selisih menjadi **peringatan** bagi operator (di ringkasan pembangunan dan `make check`) yang "
        "menyebut kedua angka dan sumbernya. Halaman publik **Audit** (`audit/`) mendaftar selisih dan "
        "keterlambatan per kecamatan dan desa, dapat diurutkan tanpa JavaScript, dengan unduhan `data/audit.csv`.\n\n"
        "Setiap halaman APBDes juga menunjukkan tautan Perdes-nya, kapan angkanya pertama terbit dan terakhir "
        "berubah, dan daftar setiap angka anggaran yang berubah sejak pertama terbit, dari riwayat git. Tanpa "
        "riwayat git (folder salinan) atau dengan salinan dangkal (`git clone --depth`), halaman itu "
        "mengatakannya terus terang.\n\n"
        "### Tabel alokasi kabupaten\n\n"
        "Tabel yang memuat kode desa yang tidak ada di daftar wilayah, desa yang ditulis dua kali, atau teks di "
        "kolom jumlah ditolak seluruhnya (pesan menyebut barisnya) sampai diperbaiki; desa-desa tetap dibangun.\n\n"
        + alokasi.split("\n", 1)[1].replace("Berkas: `villages/<folder-desa>/data/", "Berkas: `data/")
    )
