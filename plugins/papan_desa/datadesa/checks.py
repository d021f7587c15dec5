"""Checks across the data-desa tables: totals that must agree do agree.

* Every population breakdown (umur, pendidikan, pekerjaan, agama, status
  perkawinan) counts the same people on the same date, so its laki-laki and
  perempuan totals equal those of the reference: ``laki_laki``/``perempuan`` in
  penduduk.md when given, otherwise the age table (or the first table found).
* The RTs of wilayah.csv add up to the dusun and the dusun to the village: their
  sum equals the reference too, and their KK equal ``jumlah_kk``.
* Aid per dusun names a dusun of wilayah.csv and never more households than the
  dusun has.
* Tables that are published need their date and source: penduduk/*.csv and
  wilayah.csv need penduduk.md, bansos.csv needs bansos.md.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..problems import Problems
from .load import DataDesa, KategoriPenduduk, Pos
from . import schemas as S


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _where(pos: dict[str, Pos], key: str) -> tuple[int, int]:
    p = pos.get(key)
    return (p.line, p.column) if p else (1, 1)


def check_datadesa(dd: DataDesa, problems: Problems) -> None:
    base = dd.village_dir / S.DATA_DIR
    meta = dd.penduduk_meta
    meta_path = base / "penduduk.md"

    # Date and source are required wherever figures are published.
    needs_meta = [dd.paths[k] for k in sorted(dd.paths) if k == "wilayah.csv" or k.startswith("penduduk/")]
    if needs_meta and "penduduk.md" not in dd.paths:
        problems.error(meta_path, 0, 0, "berkas penduduk.md tidak ada, padahal ada "
                       + ", ".join(p.name for p in needs_meta)
                       + '; buat penduduk.md dengan baris "per_tanggal: 2025-06-30" dan "sumber: …" agar setiap '
                       "halaman menyebut tanggal dan sumber angkanya")
    if "bansos.csv" in dd.paths and "bansos.md" not in dd.paths:
        problems.error(base / "bansos.md", 0, 0, 'berkas bansos.md tidak ada, padahal ada bansos.csv; buat bansos.md '
                       'dengan baris "per_tanggal: 2025-06-30" dan "sumber: …"')

    # The reference totals for the population on the date of penduduk.md.
    ref_l = ref_p = None
    ref_name = ""
    ref_path: Path | None = None
    if meta is not None and meta.laki_laki is not None and meta.perempuan is not None:
        ref_l, ref_p, ref_name, ref_path = meta.laki_laki, meta.perempuan, "penduduk.md", meta_path
    elif meta is not None and (meta.laki_laki is None) != (meta.perempuan is None):
        key = "laki_laki" if meta.laki_laki is not None else "perempuan"
        line, col = _where(meta.pos, key)
        problems.error(meta_path, line, col, "laki_laki dan perempuan diisi keduanya atau dikosongkan keduanya")
    tables: list[KategoriPenduduk] = [dd.penduduk[k] for k in S.PENDUDUK_KATEGORI if k in dd.penduduk]
    if ref_l is None and tables:
        first = tables[0]
        ref_l, ref_p, ref_name, ref_path = first.laki_laki, first.perempuan, f"penduduk/{first.key}.csv", first.path

    for table in tables:
        if table.path == ref_path:
            continue
        for sex, got, want in (("laki_laki", table.laki_laki, ref_l), ("perempuan", table.perempuan, ref_p)):
            if got != want:
                line, col = _where(table.header, sex)
                label = "laki-laki" if sex == "laki_laki" else "perempuan"
                problems.error(table.path, line, col,
                               f"jumlah {label} menurut {table.column.replace('_', ' ')} ({_fmt(got)}) tidak sama dengan "
                               f"jumlah {label} di {ref_name} ({_fmt(want)}); selisih {_fmt(abs(got - want))}. Semua "
                               "tabel penduduk menghitung orang yang sama pada tanggal yang sama: periksa baris yang "
                               'kurang, atau tambahkan baris "BELUM MENGISI"')

    if dd.wilayah is not None:
        wpath = dd.paths.get("wilayah.csv", base / "wilayah.csv")
        sum_l = sum(r.laki_laki for r in dd.wilayah)
        sum_p = sum(r.perempuan for r in dd.wilayah)
        sum_kk = sum(r.kk for r in dd.wilayah)
        if ref_l is not None:
            for label, got, want, col in (("laki-laki", sum_l, ref_l, "laki_laki"), ("perempuan", sum_p, ref_p, "perempuan")):
                if got != want:
                    col_no = _header_column(wpath, col)
                    problems.error(wpath, 1, col_no,
                                   f"jumlah {label} semua RT ({_fmt(got)}) tidak sama dengan jumlah {label} di "
                                   f"{ref_name} ({_fmt(want)}); selisih {_fmt(abs(got - want))}. Jumlah dusun harus "
                                   "sama dengan jumlah desa pada tanggal yang sama")
        if meta is not None and meta.jumlah_kk is not None and meta.jumlah_kk != sum_kk:
            line, col = _where(meta.pos, "jumlah_kk")
            problems.error(meta_path, line, col, f"jumlah KK ({_fmt(meta.jumlah_kk)}) tidak sama dengan jumlah KK semua "
                           f"RT di wilayah.csv ({_fmt(sum_kk)}); selisih {_fmt(abs(meta.jumlah_kk - sum_kk))}")

    if dd.bansos is not None and dd.wilayah is not None:
        bpath = dd.paths.get("bansos.csv", base / "bansos.csv")
        dusun_kk: dict[str, int] = defaultdict(int)
        names: dict[str, str] = {}
        for r in dd.wilayah:
            dusun_kk[r.dusun.lower()] += r.kk
            names.setdefault(r.dusun.lower(), r.dusun)
        for b in dd.bansos:
            key = b.dusun.lower()
            line, col = _where(b.pos, "dusun")
            if key not in dusun_kk:
                problems.error(bpath, line, col, f'dusun "{b.dusun}" tidak ada di wilayah.csv; diharapkan salah satu dari: '
                               + ", ".join(names.values()))
            elif b.jumlah_kk > dusun_kk[key]:
                line, col = _where(b.pos, "jumlah_kk")
                problems.error(bpath, line, col, f"{b.program}: {_fmt(b.jumlah_kk)} keluarga penerima di Dusun "
                               f"{names[key]}, padahal dusun itu hanya punya {_fmt(dusun_kk[key])} KK menurut wilayah.csv")


def _header_column(path: Path, name: str) -> int:
    """Column of a header name in a CSV we already read successfully (for messages)."""
    try:
        first = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return 1
    delim = ";" if first.count(";") > first.count(",") else ","
    col = 1
    for cell in first.split(delim):
        if cell.strip().strip('"').lower() == name:
            return col + (len(cell) - len(cell.lstrip()))
        col += len(cell) + 1
    return 1
