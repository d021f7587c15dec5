"""The full table in the official layout (Penjabaran, APBDes Perubahan, LRA).

``tabel(year)`` returns rows in print order with their computed values;
``kolom_tabel(year)`` the value column headers; ``BarisTabel.sel(layout)`` the
formatted cells; ``tabel_html(year)`` a phone-friendly HTML table.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .model import NOL, Baris, Nilai, TahunAnggaran
from .numbers import format_angka, format_persen, format_rupiah
from .reference import ancestors, is_under, level
from .totals import BIDANG, RINGKASAN_LABEL, Totals, hitung

HEADERS = {
    "penjabaran": ("Anggaran",),
    "perubahan": ("Anggaran Awal", "Setelah Perubahan", "Bertambah/(Berkurang)"),
    "lra": ("Anggaran", "Realisasi", "Lebih/(Kurang)", "%"),
}


@dataclass(frozen=True)
class BarisTabel:
    kode: str
    uraian: str
    tingkat: str        # akun, kelompok, jenis, objek, bidang, sub_bidang, kegiatan, rincian, jumlah
    nilai: Nilai
    sumber_dana: str = ""
    nomor: int = 0      # source line for leaf rows

    @property
    def jumlah(self) -> bool:
        """Computed subtotal/total rows (bold in print)."""
        return self.tingkat not in ("objek", "rincian") and self.nomor == 0

    def sel(self, layout: str) -> list[str]:
        n = self.nilai
        if layout == "perubahan":
            return [format_angka(n.anggaran), format_angka(n.akhir), format_angka(n.bertambah or 0)]
        if layout == "lra":
            return [format_angka(n.akhir), format_angka(n.realisasi or 0), format_angka(n.lebih_kurang or 0),
                    format_persen(n.persen)]
        return [format_angka(n.anggaran)]


def kolom_tabel(year: TahunAnggaran) -> tuple[str, ...]:
    cols = HEADERS[year.layout]
    return cols + ("Sumber Dana",) if year.layout == "penjabaran" else cols


_AKUN_TINGKAT = {1: "akun", 2: "kelompok", 3: "jenis", 4: "objek"}
_KEG_TINGKAT = {1: "bidang", 2: "sub_bidang", 3: "kegiatan"}


def _leaf(b: Baris, tingkat: str | None = None) -> BarisTabel:
    t = tingkat or ("rincian" if b.kegiatan else _AKUN_TINGKAT[level(b.kode)])
    return BarisTabel(b.kode_tampil, b.uraian, t, b.nilai, b.sumber_dana, b.nomor)


def _tree(year: TahunAnggaran, lines: list[Baris], codes_of, totals: dict[str, Nilai], tingkat: dict[int, str],
          start_level: int, out: list[BarisTabel], inner=None) -> None:
    """Emit group rows (ancestors at or below start_level) then lines, in code order."""
    emitted: set[str] = set()
    for b in lines:
        code = codes_of(b)
        chain = [c for c in ancestors(code) if level(c) >= start_level]
        for c in chain:
            if c in emitted:
                continue
            emitted.add(c)
            under = [x for x in lines if is_under(codes_of(x), c)]
            # A single line that is itself at this code: print it once, as the line.
            if len(under) == 1 and codes_of(under[0]) == c and inner is None:
                continue
            if len(under) == 1 and codes_of(under[0]) == c and inner is not None and not under[0].kode:
                continue
            out.append(BarisTabel(c, year.nama(c), tingkat[level(c)], totals.get(c, NOL)))
        if inner is not None and b.kode:
            out.append(_leaf(b, "rincian"))
        else:
            out.append(_leaf(b, tingkat[level(code)] if code and code == codes_of(b) else None))


def tabel(year: TahunAnggaran, totals: Totals | None = None) -> list[BarisTabel]:
    t = totals or hitung(year)
    r = t.ringkasan
    out: list[BarisTabel] = []
    by = {k: [b for b in year.baris if b.bagian == k] for k in ("pendapatan", "belanja", "pembiayaan")}

    out.append(BarisTabel("4", "PENDAPATAN", "akun", r["pendapatan"]))
    _tree(year, by["pendapatan"], lambda b: b.kode, t.akun, _AKUN_TINGKAT, 2, out)
    out.append(BarisTabel("", RINGKASAN_LABEL["pendapatan"], "jumlah", r["pendapatan"]))

    out.append(BarisTabel("5", "BELANJA", "akun", r["belanja"]))
    for bid in BIDANG:
        lines = [b for b in by["belanja"] if b.bidang == bid]
        if lines:
            _tree(year, lines, lambda b: b.kegiatan, t.kegiatan, _KEG_TINGKAT, 1, out, inner=True)
    out.append(BarisTabel("", RINGKASAN_LABEL["belanja"], "jumlah", r["belanja"]))
    out.append(BarisTabel("", RINGKASAN_LABEL["surplus_defisit"], "jumlah", r["surplus_defisit"]))

    out.append(BarisTabel("6", "PEMBIAYAAN", "akun", r["penerimaan_pembiayaan"] - r["pengeluaran_pembiayaan"]))
    for kel, key in (("6.1", "penerimaan_pembiayaan"), ("6.2", "pengeluaran_pembiayaan")):
        out.append(BarisTabel(kel, year.nama(kel), "kelompok", r[key]))
        lines = [b for b in by["pembiayaan"] if b.kode.startswith(kel)]
        _tree(year, lines, lambda b: b.kode, t.akun, _AKUN_TINGKAT, 3, out)
    out.append(BarisTabel("", RINGKASAN_LABEL["pembiayaan_netto"], "jumlah", r["pembiayaan_netto"]))
    out.append(BarisTabel("", RINGKASAN_LABEL["silpa"], "jumlah", r["silpa"]))
    return out


@dataclass(frozen=True)
class BagianTabel:
    """One part of the table a reader opens on its own: pendapatan, one bidang of belanja, pembiayaan."""
    kunci: str          # "pendapatan", "bidang-01" … "bidang-05", "pembiayaan"
    judul: str
    nilai: Nilai
    baris: tuple[BarisTabel, ...]


def bagian_tabel(year: TahunAnggaran, totals: Totals | None = None) -> list[BagianTabel]:
    """The rows of :func:`tabel` cut into the parts a reader opens one at a time (in print order;
    the totals rows, JUMLAH BELANJA, SURPLUS/(DEFISIT) and the like, stay with the summary)."""
    t = totals or hitung(year)
    rows = tabel(year, t)
    out: list[BagianTabel] = []
    cur: list[BarisTabel] = []
    head: tuple[str, str, Nilai] | None = None

    def close() -> None:
        if head is not None and cur:
            out.append(BagianTabel(head[0], head[1], head[2], tuple(cur)))

    for r in rows:
        if r.tingkat == "akun" and r.kode in ("4", "6"):
            close()
            head, cur = (("pendapatan", "Pendapatan", r.nilai) if r.kode == "4"
                         else ("pembiayaan", "Pembiayaan", t.ringkasan["pembiayaan_netto"])), []
            continue
        if r.tingkat == "akun" and r.kode == "5":
            close()
            head, cur = None, []
            continue
        if r.tingkat == "bidang":
            close()
            head, cur = (f"bidang-{r.kode}", f"Bidang {r.uraian}", r.nilai), []
        if r.tingkat == "jumlah":
            continue
        if head is not None:
            cur.append(r)
    close()
    return out


def _cells(row: BarisTabel, layout: str) -> list[str]:
    """The amounts of a row as a reader sees them: exact rupiah, negatives one way."""
    n = row.nilai
    if layout == "perubahan":
        return [format_rupiah(n.anggaran), format_rupiah(n.akhir), format_rupiah(n.bertambah or 0)]
    if layout == "lra":
        return [format_rupiah(n.akhir), format_rupiah(n.realisasi or 0), format_rupiah(n.lebih_kurang or 0),
                format_persen(n.persen)]
    return [format_rupiah(n.anggaran)]


def _rows_html(rows, layout: str, heads: tuple[str, ...]) -> list[str]:
    out = []
    for row in rows:
        cells = _cells(row, layout)
        if layout == "penjabaran":
            cells = cells + [row.sumber_dana]
        cls = f"t-{row.tingkat}" + (" jumlah" if row.jumlah else "")
        kode = f'<span class="kode">{escape(row.kode)}</span> ' if row.kode else ""
        out.append(f'<tr class="{cls}"><th scope="row">{kode}{escape(row.uraian)}</th>'
                   + "".join(f'<td class="angka" data-label="{escape(h)}">{escape(c)}</td>'
                             for h, c in zip(heads, cells)) + "</tr>")
    return out


def _head_html(heads: tuple[str, ...], caption: str, hidden: bool = False) -> list[str]:
    parts = []
    if caption:
        cls = ' class="sr"' if hidden else ""
        parts.append(f"<caption{cls}>{escape(caption)}</caption>")
    parts.append('<thead><tr><th scope="col">Kode dan uraian</th>'
                 + "".join(f'<th scope="col" class="angka">{escape(h)}</th>' for h in heads) + "</tr></thead><tbody>")
    return parts


def tabel_html(year: TahunAnggaran, totals: Totals | None = None, caption: str = "") -> str:
    """A plain, accessible table: the code and name stack in one cell so it reads on a phone."""
    layout = year.layout
    heads = kolom_tabel(year)
    parts = ['<div class="apbdes-tabel-wrap"><table class="apbdes-tabel apbdes-' + layout + '">']
    parts += _head_html(heads, caption)
    parts += _rows_html(tabel(year, totals), layout, heads)
    parts.append("</tbody></table></div>")
    return "\n".join(parts)


def bagian_html(year: TahunAnggaran, bagian: BagianTabel) -> str:
    """One part's rows as its own table (shown inside a ``<details>`` of the budget page)."""
    heads = kolom_tabel(year)
    parts = ['<table class="apbdes-tabel apbdes-' + year.layout + '">']
    parts += _head_html(heads, f"Rincian {bagian.judul.lower()} APBDes {year.tahun}", hidden=True)
    parts += _rows_html(bagian.baris, year.layout, heads)
    parts.append("</tbody></table>")
    return "\n".join(parts)
