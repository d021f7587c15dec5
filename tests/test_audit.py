"""The auditor's checks (audit.py) and the figures' history (riwayat.py), on small fixture villages (no Pelican)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from papan_desa import data_kinds  # noqa: F401  (registers every data kind)
from papan_desa import audit as A
from papan_desa import riwayat as R
from papan_desa.problems import Problems
from papan_desa.registry import load_registry
from papan_desa.village import load_village
from tests.support import REGISTRY, fixture_village

BUDGET = """kode,kegiatan,uraian,anggaran,perubahan,realisasi,sumber_dana
4.2.1.01,,Dana Desa,1000000000,,,DDS
4.2.3.01,,Alokasi Dana Desa,500000000,,,ADD
5.1.1.01,01.01.01,Penghasilan Tetap Kepala Desa,{siltap},,,ADD
5.4.1.01,05.03.01,BLT Desa,{blt},,,DDS
5.3.5.01,02.03.01,Pembangunan jalan desa,1357800000,,,DDS
"""
META = "status: APBDes\n{extra}\n"
PRODUK = ("jenis,nomor,tahun,tanggal,tentang,status,berkas\n"
          "Perdes,2,2025,2025-01-08,Anggaran Pendapatan dan Belanja Desa Tahun Anggaran 2025,berlaku,"
          "dokumen/perdes-2-2025-apbdes.pdf\n")
BANSOS = ("program,dusun,jumlah_kk,nilai_per_kk,periode,sumber_dana\n"
          "BLT Desa,Krajan,{a},300000,Januari-Desember 2025,Dana Desa\n"
          "BLT Desa,Sidomulyo,{b},300000,Januari-Desember 2025,Dana Desa\n"
          "PKH,Krajan,12,750000,Triwulan II 2025,APBN (Kemensos)\n")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def village(tmp_path: Path, *, siltap=52_200_000, blt=90_000_000, meta="perdes: Perdes 2 Tahun 2025",
            bansos: tuple[int, int] | None = (10, 15), years: dict | None = None) -> Path:
    vdir = fixture_village(tmp_path / "villages", "kaligowong")
    (vdir / "apbdes").mkdir()
    for tahun, (s, b) in (years or {2025: (siltap, blt)}).items():
        (vdir / "apbdes" / f"{tahun}.csv").write_text(BUDGET.format(siltap=s, blt=b), encoding="utf-8")
        (vdir / "apbdes" / f"{tahun}.md").write_text(META.format(extra=meta), encoding="utf-8")
    # The fixture's road kegiatan is named by the village (an unnamed code is an operator warning of its own).
    (vdir / "apbdes" / "kegiatan.csv").write_text("kode,nama\n02.03.01,Pembangunan jalan desa\n", encoding="utf-8")
    (vdir / "produk-hukum.csv").write_text(PRODUK, encoding="utf-8")
    (vdir / "dokumen").mkdir()
    (vdir / "dokumen" / "perdes-2-2025-apbdes.pdf").write_bytes(PDF)
    if bansos:
        (vdir / "data-desa").mkdir()
        (vdir / "data-desa" / "bansos.csv").write_text(BANSOS.format(a=bansos[0], b=bansos[1]), encoding="utf-8")
        (vdir / "data-desa" / "bansos.md").write_text("per_tanggal: 2025-06-30\nsumber: Musdes\n", encoding="utf-8")
    return vdir


def registry_with(tmp_path: Path, alokasi: str | None = None):
    """The real registry copied into a folder of its own, with an allocation table beside it."""
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    shutil.copy(REGISTRY, folder / REGISTRY.name)
    if alokasi is not None:
        (folder / "alokasi-2025.csv").write_text(alokasi, encoding="utf-8")
    return load_registry(folder / REGISTRY.name)


def load(vdir: Path, registry, settings=None):
    problems = Problems(root=vdir.parent.parent)
    desa = load_village(vdir, registry, problems, settings)
    return desa, problems


def messages(problems: Problems, level=None) -> list[str]:
    return [str(p) for p in problems.items if level is None or p.level == level]


def cek(desa, jenis: str) -> list[A.Cek]:
    return [c for c in desa.data["audit"].cek if c.jenis == jenis]


# ------------------------------------------------------------------ Perdes

def test_consistent_village_has_no_problems_and_its_perdes_is_linked(tmp_path):
    desa, problems = load(village(tmp_path), registry_with(tmp_path))
    assert messages(problems) == []
    doc = desa.data["audit"].perdes[2025]
    assert (doc.judul, doc.tanggal.isoformat(), doc.berkas) == (
        "Perdes Nomor 2 Tahun 2025", "2025-01-08", "dokumen/perdes-2-2025-apbdes.pdf")


def test_perdes_number_that_differs_from_its_legal_products_entry_is_reported(tmp_path):
    vdir = village(tmp_path, meta="perdes: Perdes 2 Tahun 2025\nperdes_nomor: 9 Tahun 2025\nperdes_tanggal: 2025-01-15")
    _, problems = load(vdir, registry_with(tmp_path))
    errs = messages(problems, "galat")
    assert errs == [
        "villages/kaligowong/apbdes/2025.md:3:15: galat: nomor Perdes 9 Tahun 2025 berbeda dengan produk hukum yang "
        "ditautkan (Perdes Nomor 2 Tahun 2025, produk-hukum.csv baris 2); hapus perdes_nomor atau samakan",
        "villages/kaligowong/apbdes/2025.md:4:17: galat: tanggal Perdes 2025-01-15 berbeda dengan Perdes Nomor 2 "
        "Tahun 2025 di produk-hukum.csv baris 2 (2025-01-08); hapus perdes_tanggal atau samakan"]


def test_perdes_link_to_a_missing_entry_is_an_error_naming_the_budget_file(tmp_path):
    _, problems = load(village(tmp_path, meta="perdes: Perdes 7/2025"), registry_with(tmp_path))
    assert messages(problems, "galat") == [
        "villages/kaligowong/apbdes/2025.md:2:9: galat: Perdes Nomor 7 Tahun 2025 tidak ada di produk-hukum.csv desa "
        "ini; tambahkan baris produk hukumnya (dengan berkas PDF) atau perbaiki tautannya"]
    _, problems = load(village(tmp_path / "b", meta="perdes: APBDes 2025"), registry_with(tmp_path / "b"))
    assert "tautan Perdes; diharapkan jenis, nomor dan tahun" in messages(problems, "galat")[0]


def test_typed_perdes_number_without_an_entry_is_a_warning_and_earns_no_document_credit(tmp_path):
    desa, problems = load(village(tmp_path, meta="perdes_nomor: 5 Tahun 2025"), registry_with(tmp_path))
    assert not problems and "tidak ada di produk-hukum.csv, jadi tidak dapat dicek" in messages(problems)[0]
    assert desa.data["audit"].perdes == {}


# ------------------------------------------------------------------ BLT Desa

def test_blt_households_times_amount_times_months_against_a_differing_budget_line_is_reported(tmp_path):
    # 27 households × Rp 300.000 × 12 months = Rp 97.200.000, the budget says Rp 90.000.000 (25 households).
    desa, problems = load(village(tmp_path, bansos=(12, 15)), registry_with(tmp_path))
    assert messages(problems) == [
        "villages/kaligowong/apbdes/2025.csv:5: peringatan: BLT Desa 2025: villages/kaligowong/data-desa/bansos.csv "
        "mencatat 27 KPM × Rp 300.000 × 12 bulan = Rp 97.200.000, tetapi anggaran BLT Desa (kegiatan 05.03.01) "
        "Rp 90.000.000; selisih -Rp 7.200.000. Periksa jumlah KPM atau anggarannya (besaran per bulan dan jumlah "
        "bulan: PAPAN_BLT_BULANAN, PAPAN_BLT_BULAN)"]
    (c,) = cek(desa, "blt")
    assert (c.status, c.angka_desa, c.angka_sumber) == (A.SELISIH, 90_000_000, 97_200_000)
    # The monthly amount and the months come from the settings.
    desa, problems = load(village(tmp_path / "b", bansos=(12, 15)), registry_with(tmp_path / "b"),
                          {"PAPAN_BLT_BULANAN": 250_000, "PAPAN_BLT_BULAN": 12})
    assert cek(desa, "blt")[0].angka_sumber == 81_000_000


def test_blt_that_matches_is_sesuai_and_without_aid_data_it_cannot_be_checked(tmp_path):
    desa, problems = load(village(tmp_path, bansos=(10, 15)), registry_with(tmp_path))
    assert not messages(problems) and cek(desa, "blt")[0].status == A.SESUAI
    desa, problems = load(village(tmp_path / "b", bansos=None), registry_with(tmp_path / "b"))
    assert not messages(problems)
    (c,) = cek(desa, "blt")
    assert c.status == A.TIDAK_DAPAT
    assert c.publik == "tidak dapat dicek: desa belum menerbitkan data penerima BLT Desa"


# ------------------------------------------------------------------ the kabupaten's allocations

ALOKASI = ("kode_desa,dana_desa,add,bagi_hasil,perbup_nomor,perbup_tanggal\n"
           "33.07.01.2002,900000000,480000000,,1 Tahun 2025,2025-01-03\n"
           "33.07.01.2001,{dd},500000000,,1 Tahun 2025,2025-01-03\n")


def test_allocation_table_with_one_villages_dana_desa_differing_by_rp_1000_is_reported_naming_both(tmp_path):
    reg = registry_with(tmp_path, ALOKASI.format(dd="1.000.001.000"))
    desa, problems = load(village(tmp_path), reg)
    assert messages(problems) == [
        "villages/kaligowong/apbdes/2025.csv:2: peringatan: Dana Desa 2025: APBDes Rp 1.000.000.000, alokasi Perbup "
        "Nomor 1 Tahun 2025 tanggal 3 Januari 2025 Rp 1.000.001.000 (data/alokasi-2025.csv baris 3); "
        "selisih -Rp 1.000"]
    dd, = cek(desa, "dana_desa")
    assert dd.status == A.SELISIH and (dd.angka_desa, dd.angka_sumber) == (1_000_000_000, 1_000_001_000)
    add, = cek(desa, "add")
    assert add.status == A.SESUAI and add.publik == "sesuai Perbup Nomor 1 Tahun 2025 tanggal 3 Januari 2025"
    assert cek(desa, "bagi_hasil") == []        # the kabupaten left that column empty


def test_without_an_allocation_table_nothing_is_compared(tmp_path):
    desa, problems = load(village(tmp_path), registry_with(tmp_path))
    (c,) = cek(desa, "alokasi")
    assert c.status == A.TIDAK_DAPAT and "belum menerbitkan tabel alokasi 2025" in c.publik


@pytest.mark.parametrize("row, message", [
    ("33.07.99.2001,1000000000,,,1 Tahun 2025,2025-01-03",
     "data/alokasi-2025.csv:4:1: galat: kode desa 33.07.99.2001 tidak ada di daftar wilayah wonosobo-wilayah-2025.csv; "
     "diharapkan kode desa yang terdaftar, ditemukan \"33.07.99.2001\""),
    ("33.07.01.2001,1000000000,,,1 Tahun 2025,2025-01-03",
     "data/alokasi-2025.csv:4:1: galat: desa 33.07.01.2001 ditulis dua kali (juga di baris 3); tulis satu baris per desa"),
    ("33.07.01.2003,satu miliar,,,1 Tahun 2025,2025-01-03",
     "data/alokasi-2025.csv:4:2: galat: kolom dana_desa (Dana Desa (Rp)): diharapkan angka rupiah"),
])
def test_allocation_table_with_bad_rows_is_refused_naming_the_row(tmp_path, row, message):
    reg = registry_with(tmp_path, ALOKASI.format(dd="1000000000") + row + "\n")
    problems = Problems(root=tmp_path)
    A.check_alokasi_tables(reg, problems)
    assert [str(p) for p in problems.items][0].startswith(message)
    # The refused table compares nothing: the village is told it cannot be checked, not given a mismatch.
    desa, vp = load(village(tmp_path), reg)
    assert not messages(vp)
    assert cek(desa, "alokasi")[0].status == A.TIDAK_DAPAT


def test_a_refused_allocation_table_fails_the_build_report_but_the_villages_still_build(tmp_path):
    from papan_desa.build import BuildOptions, _load_registry, BuildReport

    reg = registry_with(tmp_path, ALOKASI.format(dd="1000000000") + "33.07.99.2001,1,,,1 Tahun 2025,2025-01-03\n")
    report = BuildReport()
    opts = BuildOptions(root=tmp_path, settings_file=tmp_path / "x.py", registry=reg.path)
    _, registry = _load_registry(opts, {}, report)
    assert registry is not None and not report.ok
    assert "kode desa 33.07.99.2001 tidak ada di daftar wilayah" in str(report.kabupaten_problems[0])


# ------------------------------------------------------------------ balanced budget

def test_extra_zero_in_siltap_unbalances_the_budget_and_the_line_is_named(tmp_path):
    desa, problems = load(village(tmp_path, siltap=522_000_000), registry_with(tmp_path))
    msgs = messages(problems)
    assert msgs == [
        "villages/kaligowong/apbdes/2025.csv:4: peringatan: APBDes 2025 tidak seimbang: belanja Rp 1.969.800.000 "
        "dikurangi pendapatan Rp 1.500.000.000 = Rp 469.800.000, tetapi pembiayaan netto hanya Rp 0; kurang "
        "Rp 469.800.000; kemungkinan kelebihan satu angka nol pada baris 4 (5.1.1.01. [01.01.01] Penghasilan Tetap "
        "Kepala Desa, Rp 522.000.000)"]
    assert cek(desa, "seimbang")[0].status == A.SELISIH


def test_a_line_out_of_all_proportion_to_its_earlier_year_is_named(tmp_path):
    vdir = village(tmp_path, years={2024: (52_200_000, 90_000_000), 2025: (52_200_000, 90_000_000)})
    # 2025's siltap typed with an extra zero while the pembangunan line shrinks to keep the budget balanced.
    text = BUDGET.format(siltap=522_000_000, blt=90_000_000).replace("1357800000", "888000000")
    (vdir / "apbdes" / "2025.csv").write_text(text, encoding="utf-8")
    (vdir / "apbdes" / "2024.md").write_text("status: APBDes\n", encoding="utf-8")
    desa, problems = load(vdir, registry_with(tmp_path))
    assert messages(problems) == [
        "villages/kaligowong/apbdes/2025.csv:4: peringatan: 5.1.1.01. [01.01.01] Penghasilan Tetap Kepala Desa: "
        "Rp 522.000.000 pada 2025, padahal Rp 52.200.000 pada 2024; periksa apakah ada angka nol yang berlebih "
        "atau kurang"]


# ------------------------------------------------------------------ history

def commit(repo: Path, when: str, msg: str) -> None:
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, capture_output=True)
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    subprocess.run(["git", "-c", "user.name=Operator", "-c", "user.email=op@desa.id", "-C", str(repo), "commit",
                    "-qm", msg], check=True, capture_output=True, env=env)


def test_a_figure_changed_after_first_publication_appears_in_the_change_list(tmp_path):
    vdir = village(tmp_path)
    repo = tmp_path
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(repo, "2025-01-10T09:00:00+07:00", "APBDes 2025 terbit")
    fp1 = R.sidik(vdir)
    csv = vdir / "apbdes" / "2025.csv"
    csv.write_text(csv.read_text().replace("1000000000,,,DDS", "1000001000,,,DDS")
                   .replace("1357800000", "1357801000"), encoding="utf-8")
    commit(repo, "2025-03-05T10:00:00+07:00", "Dana Desa dikoreksi")
    desa, _ = load(vdir, registry_with(tmp_path))
    (year,) = desa.data["apbdes"]
    r = R.riwayat(year)
    assert r.status == R.ADA and not r.belum_dicatat
    assert (r.pertama.isoformat(), r.terakhir.isoformat()) == ("2025-01-10", "2025-03-05")
    changes = [(p.tanggal.isoformat(), p.baris, p.kolom, p.lama, p.baru) for p in r.perubahan]
    assert changes == [("2025-03-05", "4.2.1.01. Dana Desa", "anggaran", 1_000_000_000, 1_000_001_000),
                       ("2025-03-05", "5.3.5.01. [02.03.01] Pembangunan jalan desa", "anggaran", 1_357_800_000,
                        1_357_801_000)]
    # The history is part of the village's fingerprint: a new commit rebuilds the village.
    assert fp1 and R.sidik(vdir) != fp1
    # A change not yet committed is listed too, without a date.
    csv.write_text(csv.read_text().replace("90000000,,,DDS", "91000000,,,DDS"), encoding="utf-8")
    desa, _ = load(vdir, registry_with(tmp_path))
    r = R.riwayat(desa.data["apbdes"][0])
    assert r.belum_dicatat and r.perubahan[-1].tanggal is None and r.perubahan[-1].baru == 91_000_000


def test_without_git_history_the_page_says_so(tmp_path):
    desa, _ = load(village(tmp_path), registry_with(tmp_path))
    r = R.riwayat(desa.data["apbdes"][0])
    assert r.status == R.TIDAK_ADA and r.perubahan == [] and R.sidik(desa.dir) == ""


def test_shallow_clone_is_reported(tmp_path):
    src = tmp_path / "src"
    vdir = village(src)
    subprocess.run(["git", "init", "-q", str(src)], check=True)
    commit(src, "2025-01-10T09:00:00+07:00", "satu")
    (vdir / "apbdes" / "2025.md").write_text("status: APBDes\nperdes: Perdes 2 Tahun 2025\npelaksana: Kades\n")
    commit(src, "2025-02-10T09:00:00+07:00", "dua")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{src}", str(clone)], check=True,
                   capture_output=True)
    desa, _ = load(clone / "villages" / "kaligowong", registry_with(tmp_path))
    assert R.riwayat(desa.data["apbdes"][0]).status == R.DANGKAL


def test_typed_perdes_number_and_date_that_match_no_linked_entry_only_warn(tmp_path):
    # Found by its number alone, an entry with another date may be another Perdes: warn, and give no credit.
    vdir = village(tmp_path, meta="perdes_nomor: 2 Tahun 2025\nperdes_tanggal: 2025-01-15")
    desa, problems = load(vdir, registry_with(tmp_path))
    assert not problems
    assert "tanggal Perdes 2025-01-15 berbeda dengan Perdes Nomor 2 Tahun 2025" in messages(problems, "peringatan")[0]
    assert desa.data["audit"].perdes == {}


def test_papan_admin_runs_the_same_checks(tmp_path):
    from papan_desa.admin.check import check_dir

    vdir = village(tmp_path, bansos=(12, 15), meta="perdes: Perdes 7 Tahun 2025")
    problems = check_dir(vdir, registry_with(tmp_path), None, tmp_path)
    msgs = [str(p) for p in problems.items]
    assert any("BLT Desa 2025:" in m and "peringatan" in m for m in msgs)
    assert any("Perdes Nomor 7 Tahun 2025 tidak ada di produk-hukum.csv" in m and "galat" in m for m in msgs)


def test_an_extra_zero_in_an_income_line_shows_as_a_planned_silpa_too_large(tmp_path):
    vdir = village(tmp_path)
    csv = vdir / "apbdes" / "2025.csv"
    csv.write_text(csv.read_text().replace("500000000,,,ADD", "5000000000,,,ADD"), encoding="utf-8")
    _, problems = load(vdir, registry_with(tmp_path))
    (msg,) = messages(problems)
    assert msg.startswith("villages/kaligowong/apbdes/2025.csv:3: peringatan: APBDes 2025: sisa anggaran (SiLPA) yang "
                          "direncanakan Rp 4.500.000.000 lebih dari 10% pendapatan Rp 6.000.000.000")
    assert msg.endswith("baris 3 (4.2.3.01. Alokasi Dana Desa, Rp 5.000.000.000)")
