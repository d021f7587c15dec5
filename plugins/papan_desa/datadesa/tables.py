"""Publishable tables: n and % for laki-laki, perempuan and jumlah, small cells suppressed.

A :class:`Table` holds only values that may be published: counts, the
suppression mark (``"<5"``, ``"*"``) in place of hidden counts, computed
percentages (never typed by the village) and text. Pages, charts and the CSV/JSON
export all read the same Table, so they cannot disagree and cannot leak a
hidden count.

Percentages are shares of the table's grand total (as OpenSID shows them), so
``% laki-laki + % perempuan = % jumlah`` in every row and each column adds up to
100 % (up to rounding to one decimal, half up). Formatted the Indonesian way:
``12,3%``, ``1.234``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Sequence

from .. import formatting as _fmt
from . import schemas as S
from .load import Bansos, DataDesa, Indeks, KategoriPenduduk, PendudukMeta, Pejabat, Sdgs, WilayahRT
from .suppress import DEFAULT_THRESHOLD, SECONDARY, Relation, crosstab_cells, primary_mark, suppress, suppress_cells



@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "n"        # teks | n (count) | persen | rupiah | skor


@dataclass
class Table:
    name: str                           # file stem for the CSV/JSON, e.g. "penduduk-umur"
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None   # the "Jumlah" row, when the table has one
    per_tanggal: dt.date | None = None
    sumber: str = ""
    notes: list[str] = field(default_factory=list)
    threshold: int = DEFAULT_THRESHOLD

    @property
    def has_hidden(self) -> bool:
        marks = {primary_mark(self.threshold), SECONDARY}
        return any(v in marks for r in [*self.rows, self.total or {}] for v in r.values() if isinstance(v, str))

    @property
    def caption(self) -> str:
        """"Data kependudukan desa, per 30 Juni 2025" - the source line every page carries."""
        parts = [self.sumber] if self.sumber else []
        if self.per_tanggal:
            parts.append("per " + format_date(self.per_tanggal))
        return ", ".join(parts)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# ---------------------------------------------------------------------------
# Formatting (Indonesian)
# ---------------------------------------------------------------------------


def format_date(d: dt.date) -> str:
    return _fmt.tanggal(d)


def format_int(n: int) -> str:
    return _fmt.angka(n)


def format_decimal(d: Decimal, places: int | None = None) -> str:
    """Grouped with the value's own places (or ``places``): 0,6512 -> "0,6512"."""
    return _fmt.angka(d, places)


def format_persen(p: Decimal) -> str:
    return _fmt.persen(p, 1)


def format_value(value: Any, kind: str) -> str:
    """The text shown in an HTML table cell."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value            # a mark ("<5", "*") or text
    if kind == "persen":
        return format_persen(value)
    if kind == "rupiah":
        return _fmt.rupiah(value)
    if kind == "skor":
        return format_decimal(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    return format_int(int(value))


def percent(n: int, total: int) -> Decimal | None:
    """n as a share of total in %, one decimal, half up; None when total is 0."""
    if total == 0:
        return None
    return (Decimal(n) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _note_hidden(threshold: int) -> str:
    return (f'"{primary_mark(threshold)}": kurang dari {threshold} orang/keluarga, tidak ditampilkan agar tidak '
            f'menunjuk perorangan. "{SECONDARY}": disembunyikan agar angka "{primary_mark(threshold)}" tidak '
            "dapat dihitung dari jumlahnya.")


# ---------------------------------------------------------------------------
# Population breakdowns
# ---------------------------------------------------------------------------

CROSSTAB_COLUMNS = (
    Column("laki_laki", "Laki-laki"), Column("persen_laki_laki", "% L", "persen"),
    Column("perempuan", "Perempuan"), Column("persen_perempuan", "% P", "persen"),
    Column("jumlah", "Jumlah"), Column("persen_jumlah", "% Jumlah", "persen"),
)


def _crosstab(name: str, title: str, label_col: Column, labels: Sequence[str], counts: Sequence[tuple[int, int]],
              threshold: int, extra_hidden: dict | None = None) -> Table:
    cells, rels, protected = crosstab_cells(counts)
    hidden = suppress_cells(cells, rels, threshold, protected) if extra_hidden is None else extra_hidden
    grand = cells[("total", "T")]
    rows: list[dict[str, Any]] = []
    keys = list(range(len(counts))) + ["total"]
    out_rows = []
    for i in keys:
        row: dict[str, Any] = {label_col.key: labels[i] if i != "total" else "Jumlah"}
        for sex, col in (("L", "laki_laki"), ("P", "perempuan"), ("T", "jumlah")):
            k = (i, sex)
            if k in hidden:
                row[col] = row["persen_" + col] = hidden[k]
            else:
                row[col] = cells[k]
                row["persen_" + col] = percent(cells[k], grand)
        out_rows.append(row)
    rows, total = out_rows[:-1], out_rows[-1]
    table = Table(name, title, (label_col, *CROSSTAB_COLUMNS), rows, total, threshold=threshold)
    table.notes.append("Persentase dihitung dari jumlah seluruh penduduk dalam tabel, dibulatkan satu angka di "
                       "belakang koma.")
    if hidden:
        table.notes.append(_note_hidden(threshold))
    return table


def penduduk_table(kp: KategoriPenduduk, meta: PendudukMeta | None = None,
                   threshold: int = DEFAULT_THRESHOLD) -> Table:
    """One population breakdown as a table; official category order; empty categories as 0 where useful."""
    title, column, list_name, show_zero = S.PENDUDUK_KATEGORI[kp.key]
    cats = S.category_list(list_name)
    present = {r.kategori: r for r in kp.rows}
    names = [n for n in cats.names if show_zero or n in present]
    if show_zero and "BELUM MENGISI" in names and "BELUM MENGISI" not in present:
        names.remove("BELUM MENGISI")
    counts = [(present[n].laki_laki, present[n].perempuan) if n in present else (0, 0) for n in names]
    label = Column(column, column.replace("_", " ").capitalize(), "teks")
    table = _crosstab(f"penduduk-{kp.key.replace('_', '-')}", title, label, names, counts, threshold)
    _stamp(table, meta)
    return table


def _stamp(table: Table, meta: PendudukMeta | None) -> None:
    if meta is not None:
        table.per_tanggal, table.sumber = meta.per_tanggal, meta.sumber


# ---------------------------------------------------------------------------
# Wilayah: RT and dusun, suppressed together
# ---------------------------------------------------------------------------


def wilayah_tables(wilayah: Sequence[WilayahRT], meta: PendudukMeta | None = None,
                   threshold: int = DEFAULT_THRESHOLD) -> tuple[Table, Table]:
    """(per RT, per dusun) tables. People counts follow the small-cell rule with the RT -> dusun ->
    desa sums suppressed as one system, so the two tables together reveal nothing hidden.
    KK counts per RT are not suppressed (the number of households in an RT says nothing about a person)."""
    dusun_order: list[str] = []
    by_dusun: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(wilayah):
        if r.dusun.lower() not in by_dusun:
            dusun_order.append(r.dusun)
        by_dusun[r.dusun.lower()].append(i)
    cells: dict[Any, int] = {}
    rels: list[Relation] = []
    for i, r in enumerate(wilayah):
        cells[("rt", i, "L")], cells[("rt", i, "P")], cells[("rt", i, "T")] = r.laki_laki, r.perempuan, r.jumlah
        rels.append(Relation(("rt", i, "T"), (("rt", i, "L"), ("rt", i, "P"))))
    for d in dusun_order:
        idx = by_dusun[d.lower()]
        for s in ("L", "P", "T"):
            cells[("dusun", d, s)] = sum(cells[("rt", i, s)] for i in idx)
            rels.append(Relation(("dusun", d, s), tuple(("rt", i, s) for i in idx)))
        rels.append(Relation(("dusun", d, "T"), (("dusun", d, "L"), ("dusun", d, "P"))))
    for s in ("L", "P", "T"):
        cells[("desa", s)] = sum(cells[("dusun", d, s)] for d in dusun_order)
        rels.append(Relation(("desa", s), tuple(("dusun", d, s) for d in dusun_order)))
    rels.append(Relation(("desa", "T"), (("desa", "L"), ("desa", "P"))))
    hidden = suppress_cells(cells, rels, threshold, protected={("desa", s) for s in ("L", "P", "T")})
    grand = cells[("desa", "T")]

    def people(prefix: tuple) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for s, col in (("L", "laki_laki"), ("P", "perempuan"), ("T", "jumlah")):
            k = (*prefix, s)
            out[col] = hidden.get(k, cells[k])
        k = (*prefix, "T")
        out["persen_jumlah"] = hidden[k] if k in hidden else percent(cells[k], grand)
        return out

    cols = (Column("kk", "KK"), Column("laki_laki", "Laki-laki"), Column("perempuan", "Perempuan"),
            Column("jumlah", "Jumlah"), Column("persen_jumlah", "% Jumlah", "persen"))
    rt_rows = [{"dusun": r.dusun, "rw": r.rw, "rt": r.rt, "kk": r.kk, **people(("rt", i))} for i, r in enumerate(wilayah)]
    total = {"kk": sum(r.kk for r in wilayah), **people(("desa",))}
    rt = Table("wilayah-rt", "Penduduk per RT", (Column("dusun", "Dusun", "teks"), Column("rw", "RW", "teks"),
                                                  Column("rt", "RT", "teks"), *cols),
               rt_rows, {"dusun": "Jumlah", "rw": "", "rt": "", **total}, threshold=threshold)
    dusun_rows = []
    for d in dusun_order:
        idx = by_dusun[d.lower()]
        dusun_rows.append({"dusun": d, "jumlah_rt": len(idx), "kk": sum(wilayah[i].kk for i in idx),
                           **people(("dusun", d))})
    du = Table("wilayah-dusun", "Penduduk per dusun", (Column("dusun", "Dusun", "teks"),
                                                        Column("jumlah_rt", "RT"), *cols),
               dusun_rows, {"dusun": "Jumlah", "jumlah_rt": len(wilayah), **total}, threshold=threshold)
    for t in (rt, du):
        _stamp(t, meta)
        t.notes.append("Angka dusun dan desa dijumlahkan dari angka RT.")
        if hidden:
            t.notes.append(_note_hidden(threshold))
    return rt, du


# ---------------------------------------------------------------------------
# Summary: population, households, poor households
# ---------------------------------------------------------------------------


def ringkasan_table(dd: DataDesa, threshold: int = DEFAULT_THRESHOLD) -> Table | None:
    """Jumlah penduduk (L, P, total), KK and KK miskin with its computed share of all KK."""
    meta = dd.penduduk_meta
    l = p = None
    if meta is not None and meta.laki_laki is not None and meta.perempuan is not None:
        l, p = meta.laki_laki, meta.perempuan
    elif "umur" in dd.penduduk:
        l, p = dd.penduduk["umur"].laki_laki, dd.penduduk["umur"].perempuan
    elif dd.wilayah:
        l, p = sum(r.laki_laki for r in dd.wilayah), sum(r.perempuan for r in dd.wilayah)
    kk = meta.jumlah_kk if meta is not None and meta.jumlah_kk is not None else (
        sum(r.kk for r in dd.wilayah) if dd.wilayah else None)
    rows: list[dict[str, Any]] = []
    if l is not None:
        rows += [{"uraian": "Penduduk laki-laki", "jumlah": l, "persen": percent(l, l + p)},
                 {"uraian": "Penduduk perempuan", "jumlah": p, "persen": percent(p, l + p)},
                 {"uraian": "Jumlah penduduk", "jumlah": l + p, "persen": percent(l + p, l + p)}]
    if kk is not None:
        rows.append({"uraian": "Jumlah kepala keluarga (KK)", "jumlah": kk, "persen": None})
    hidden_any = False
    if meta is not None and meta.kk_miskin is not None:
        shown = suppress(meta.kk_miskin, threshold)
        if isinstance(shown, str):
            hidden_any = True
            rows.append({"uraian": "KK miskin", "jumlah": shown, "persen": shown})
        else:
            rows.append({"uraian": "KK miskin", "jumlah": meta.kk_miskin,
                         "persen": percent(meta.kk_miskin, kk) if kk else None})
    if not rows:
        return None
    t = Table("penduduk-ringkasan", "Ringkasan kependudukan",
              (Column("uraian", "Uraian", "teks"), Column("jumlah", "Jumlah"), Column("persen", "%", "persen")),
              rows, None, threshold=threshold)
    _stamp(t, meta)
    if meta is not None and meta.kk_miskin is not None:
        t.notes.append("Persentase KK miskin dihitung dari jumlah KK."
                       + (f" Sumber data KK miskin: {meta.sumber_kk_miskin}." if meta.sumber_kk_miskin else ""))
    if hidden_any:
        t.notes.append(_note_hidden(threshold))
    return t


# ---------------------------------------------------------------------------
# Bantuan sosial
# ---------------------------------------------------------------------------


def bansos_tables(bansos: Sequence[Bansos], meta=None, threshold: int = DEFAULT_THRESHOLD) -> tuple[Table, Table]:
    """(per programme and dusun, per programme) tables of households receiving aid.

    Household counts follow the small-cell rule, with each programme's total as
    the sum of its dusun; the total value (households x amount) is hidden with
    the count. Never names, NIK, No. KK or addresses: the input has none."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, b in enumerate(bansos):
        groups.setdefault((b.program, b.periode), []).append(i)
    cells: dict[Any, int] = {("d", i): b.jumlah_kk for i, b in enumerate(bansos)}
    rels = []
    for g, idx in groups.items():
        cells[("g", g)] = sum(bansos[i].jumlah_kk for i in idx)
        rels.append(Relation(("g", g), tuple(("d", i) for i in idx)))
    hidden = suppress_cells(cells, rels, threshold)

    def money(key, nilai) -> Any:
        if nilai is None:
            return None
        return hidden[key] if key in hidden else cells[key] * nilai

    cols_tail = (Column("jumlah_kk", "Keluarga penerima"), Column("nilai_per_kk", "Nilai per keluarga", "rupiah"),
                 Column("total_nilai", "Total nilai", "rupiah"), Column("sumber_dana", "Sumber dana", "teks"))
    rows = []
    for g, idx in groups.items():
        for i in idx:
            b = bansos[i]
            rows.append({"program": b.program, "periode": b.periode, "dusun": b.dusun,
                         "jumlah_kk": hidden.get(("d", i), b.jumlah_kk), "nilai_per_kk": b.nilai_per_kk,
                         "total_nilai": money(("d", i), b.nilai_per_kk), "sumber_dana": b.sumber_dana})
    per_dusun = Table("bansos-dusun", "Penerima bantuan sosial per dusun",
                      (Column("program", "Program", "teks"), Column("periode", "Periode", "teks"),
                       Column("dusun", "Dusun", "teks"), *cols_tail), rows, threshold=threshold)
    prog_rows = []
    for g, idx in groups.items():
        first = bansos[idx[0]]
        same_value = len({bansos[i].nilai_per_kk for i in idx}) == 1
        same_fund = len({bansos[i].sumber_dana for i in idx}) == 1
        nilai = first.nilai_per_kk if same_value else None
        total_nilai: Any = None
        if all(bansos[i].nilai_per_kk is not None for i in idx):
            if ("g", g) in hidden:
                total_nilai = hidden[("g", g)]
            elif not same_value and any(("d", i) in hidden for i in idx):
                # With different amounts per dusun the money total would let the hidden counts be solved.
                total_nilai = SECONDARY
            else:
                total_nilai = sum(bansos[i].jumlah_kk * bansos[i].nilai_per_kk for i in idx)
        prog_rows.append({"program": g[0], "periode": g[1], "jumlah_dusun": len(idx),
                          "jumlah_kk": hidden.get(("g", g), cells[("g", g)]), "nilai_per_kk": nilai,
                          "total_nilai": total_nilai,
                          "sumber_dana": first.sumber_dana if same_fund else "beragam"})
    per_program = Table("bansos-program", "Bantuan sosial per program",
                        (Column("program", "Program", "teks"), Column("periode", "Periode", "teks"),
                         Column("jumlah_dusun", "Dusun"), *cols_tail), prog_rows, threshold=threshold)
    for t in (per_dusun, per_program):
        if meta is not None:
            t.per_tanggal, t.sumber = meta.per_tanggal, meta.sumber
        t.notes.append("Hanya jumlah keluarga penerima per dusun; nama, NIK, No. KK dan alamat penerima tidak "
                       "diterbitkan.")
        if hidden:
            t.notes.append(_note_hidden(threshold))
    return per_dusun, per_program


# ---------------------------------------------------------------------------
# Indices
# ---------------------------------------------------------------------------


def indeks_table(indeks: Sequence[Indeks]) -> Table:
    rows = [{"tahun": str(r.tahun), "jenis": r.jenis, "skor": r.skor, "status": r.status,
             "iks": r.iks, "ike": r.ike, "ikl": r.ikl} for r in indeks]
    t = Table("indeks-desa", "Status desa: IDM dan Indeks Desa",
              (Column("tahun", "Tahun", "teks"), Column("jenis", "Jenis", "teks"), Column("skor", "Skor", "skor"),
               Column("status", "Status", "teks"), Column("iks", "IKS", "skor"), Column("ike", "IKE", "skor"),
               Column("ikl", "IKL", "skor")), rows, sumber="Kementerian Desa (IDM, Indeks Desa)")
    if any(r.status_dihitung for r in indeks):
        t.notes.append("Status yang tidak diisi desa dihitung dari skor dengan batas resmi.")
    if any(r.jenis == "IDM" for r in indeks):
        t.notes.append("IDM (Permendes PDTT 2/2016, skala 0-1) = (IKS + IKE + IKL) / 3.")
    if any(r.jenis == "Indeks Desa" for r in indeks):
        t.notes.append("Indeks Desa (Permendesa 9/2024) berskala 0-100.")
    return t


def sdgs_table(sdgs: Sequence[Sdgs]) -> Table:
    rows = [{"tahun": str(r.tahun), "tujuan": r.tujuan, "nama": r.nama, "skor": r.skor} for r in sdgs]
    t = Table("sdgs-desa", "Skor SDGs Desa per tujuan",
              (Column("tahun", "Tahun", "teks"), Column("tujuan", "Tujuan"), Column("nama", "Nama tujuan", "teks"),
               Column("skor", "Skor", "skor")), rows, sumber="SDGs Desa (Permendes PDTT 13/2020)")
    by_year: dict[int, list[Decimal]] = defaultdict(list)
    for r in sdgs:
        by_year[r.tahun].append(r.skor)
    for year, scores in sorted(by_year.items()):
        if len(scores) == 18:
            avg = (sum(scores) / 18).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            t.notes.append(f"Rata-rata skor 18 tujuan tahun {year}: {format_decimal(avg)}.")
    return t


def pemerintahan_table(pejabat: Sequence[Pejabat]) -> Table:
    names = {"perangkat": "Perangkat desa", "bpd": "BPD", "lembaga": "Lembaga kemasyarakatan", "ppid": "PPID Desa"}
    rows = [{"kategori": names[p.kategori], "lembaga": p.lembaga, "jabatan": p.jabatan, "nama": p.nama, "foto": p.foto}
            for kat in S.KATEGORI_PEMERINTAHAN for p in pejabat if p.kategori == kat]
    return Table("pemerintahan", "Pemerintahan desa",
                 (Column("kategori", "Kategori", "teks"), Column("lembaga", "Lembaga", "teks"),
                  Column("jabatan", "Jabatan", "teks"), Column("nama", "Nama", "teks"), Column("foto", "Foto", "teks")),
                 rows, sumber="Pemerintah desa")


# ---------------------------------------------------------------------------
# Everything publishable for one village
# ---------------------------------------------------------------------------


def build_tables(dd: DataDesa, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Table]:
    """All tables of a village, keyed by file stem, in page order."""
    out: dict[str, Table] = {}
    if dd.pemerintahan:
        t = pemerintahan_table(dd.pemerintahan)
        out[t.name] = t
    r = ringkasan_table(dd, threshold)
    if r is not None:
        out[r.name] = r
    for key in S.PENDUDUK_KATEGORI:
        if key in dd.penduduk:
            t = penduduk_table(dd.penduduk[key], dd.penduduk_meta, threshold)
            out[t.name] = t
    if dd.wilayah:
        for t in wilayah_tables(dd.wilayah, dd.penduduk_meta, threshold):
            out[t.name] = t
    if dd.bansos:
        for t in bansos_tables(dd.bansos, dd.bansos_meta, threshold):
            out[t.name] = t
    if dd.indeks:
        out["indeks-desa"] = indeks_table(dd.indeks)
    if dd.sdgs:
        out["sdgs-desa"] = sdgs_table(dd.sdgs)
    return out
