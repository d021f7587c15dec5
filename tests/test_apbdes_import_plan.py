"""prepare_import: what an import would write, checked, compared with the year already there; nothing written."""
import shutil
from decimal import Decimal as D
from pathlib import Path

from papan_desa.apbdes.importer import ImportPlan, main_import, prepare_import
from papan_desa.problems import Problems

FIX = Path(__file__).parent / "fixtures" / "apbdes"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_plan_of_a_new_year_writes_nothing_and_lists_files_and_totals(tmp_path):
    village = tmp_path / "jogoyitnan"
    village.mkdir()
    p = Problems()
    plan = prepare_import(FIX / "siskeudes_perubahan_2025.csv", p, village_dir=village, nama_desa="Jogoyitnan")
    assert isinstance(plan, ImportPlan) and not p.errors, [str(x) for x in p.items]
    assert list(village.iterdir()) == []
    assert (plan.tahun, plan.status) == (2025, "APBDes Perubahan")
    assert set(plan.files) == {"apbdes/2025.csv", "apbdes/2025.md"}
    meta = plan.files["apbdes/2025.md"].decode()
    assert meta.startswith("status: APBDes Perubahan\n") and "Catatan" not in meta and "lengkapi" not in meta
    totals = {code: (label, amount) for code, label, amount in plan.totals}
    assert totals["pendapatan"] == ("JUMLAH PENDAPATAN", D("1360886000"))
    assert totals["4.2.1"][1] == D("794946000")
    assert totals["01"][0].startswith("Bidang ") and totals["belanja"][1] == totals["01"][1]
    assert plan.lines == plan.files["apbdes/2025.csv"].decode().count("\n") - 1
    assert plan.checked > 10 and plan.added == plan.removed == plan.changed == []


def test_plan_against_the_published_year_lists_added_removed_changed(tmp_path):
    village = tmp_path / "desa"
    shutil.copytree(FIX / "jogoyitnan", village)
    text = (village / "apbdes" / "2025.csv").read_text()
    text = text.replace("4.3.6.01.,,Bunga Bank,150.000,150.000,,PAD\n", "")
    text = text.replace("Desa,25.800.000,25.200.000,,ADD", "Desa,25.800.000,25.000.000,,")
    text += "4.1.4.99.,,Pendapatan Lain,1.000,1.000,,PAD\n"
    (village / "apbdes" / "2025.csv").write_text(text)
    before = _snapshot(village)
    p = Problems()
    plan = prepare_import(FIX / "siskeudes_perubahan_2025.csv", p, village_dir=village, tahun=2025)
    assert plan is not None, [str(x) for x in p.items]
    assert _snapshot(village) == before
    assert "apbdes/2025.md" not in plan.files          # the published metadata is kept
    assert any("4.3.6.01" in a and "Bunga Bank" in a for a in plan.added), plan.added
    assert any("4.1.4.99" in r for r in plan.removed), plan.removed
    assert ("5.1.2.02. [01.01.02] Tunjangan Perangkat Desa: anggaran Rp 25.800.000, setelah perubahan "
            "Rp 25.000.000 menjadi anggaran Rp 25.800.000, setelah perubahan Rp 25.200.000") in plan.changed


def test_report_of_another_village_or_year_is_refused(tmp_path):
    p = Problems()
    assert prepare_import(FIX / "siskeudes_perubahan_2025.csv", p, nama_desa="Kalibeber") is None
    assert 'milik desa "Jogoyitnan", bukan desa Kalibeber' in p.errors[0].message
    p = Problems()
    assert prepare_import(FIX / "siskeudes_perubahan_2025.csv", p, tahun=2024) is None
    assert "tahun anggaran 2025, bukan 2024" in p.errors[0].message
    p = Problems()
    assert prepare_import(FIX / "siskeudes_perubahan_2025.csv", p, nama_desa="Desa Jogoyitnan") is not None


def test_cli_advises_completing_the_metadata_but_does_not_publish_the_advice(tmp_path, capsys):
    out = tmp_path / "apbdes" / "2025.csv"
    assert main_import([str(FIX / "siskeudes_perubahan_2025.csv"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "lengkapi nomor dan tanggal Perdes" in printed and "JUMLAH PENDAPATAN: Rp 1.360.886.000" in printed
    assert "lengkapi" not in out.with_suffix(".md").read_text()


def test_cli_refuses_a_report_of_another_village_for_the_output_folder(tmp_path, capsys):
    village = tmp_path / "villages" / "kalibeber"
    village.mkdir(parents=True)
    (village / "desa.md").write_text("Nama: Kalibeber\nKode: 33.07.10.2001\n")
    out = village / "apbdes" / "2025.csv"
    assert main_import([str(FIX / "siskeudes_perubahan_2025.csv"), "-o", str(out)]) == 1
    assert 'milik desa "Jogoyitnan", bukan desa Kalibeber' in capsys.readouterr().err
    assert not out.parent.exists()


def test_lra_given_where_a_penjabaran_was_expected(tmp_path, capsys):
    out = tmp_path / "apbdes" / "2025.csv"
    assert main_import([str(FIX / "siskeudes_realisasi_2025.csv"), "--jenis", "penjabaran", "-o", str(out)]) == 1
    assert 'laporan ini "Realisasi Semester I", bukan "APBDes" yang diminta' in capsys.readouterr().err
    assert not out.parent.exists()
    p = Problems()
    assert prepare_import(FIX / "siskeudes_realisasi_2025.csv", p, status="APBDes") is None


def test_the_budget_year_is_the_tahun_anggaran_not_the_perdes_year():
    from papan_desa.apbdes.importer import title_year
    assert title_year("LAMPIRAN PERATURAN DESA JOGOYITNAN NOMOR 5 TAHUN 2024 PENJABARAN APBDES "
                      "TAHUN ANGGARAN 2025") == 2025
    assert title_year("LAPORAN REALISASI TAHUN 2024") == 2024
    assert title_year("PEMERINTAH DESA X") is None


def test_lra_plan_lists_realisasi_totals_too():
    p = Problems()
    plan = prepare_import(FIX / "siskeudes_realisasi_2025.csv", p)
    t = {code: amount for code, _label, amount in plan.totals}
    assert t["pendapatan"] == D("1515000000") and t["pendapatan_realisasi"] == D("857500000")
    assert t["silpa_realisasi"] == D("500600000") and t["silpa"] == D("-17000000")


def test_cli_prints_what_changes_against_the_year_already_there(tmp_path, capsys):
    out = tmp_path / "apbdes" / "2025.csv"
    assert main_import([str(FIX / "siskeudes_perubahan_2025.csv"), "-o", str(out)]) == 0
    out.write_text(out.read_text().replace("4.2.1.01,,Dana Desa,794946000,794946000", "4.2.1.01,,Dana Desa,794946000,1"))
    capsys.readouterr()
    assert main_import([str(FIX / "siskeudes_perubahan_2025.csv"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Dibanding 2025.csv sebelumnya: 0 baris baru, 0 baris hilang, 1 baris berubah." in printed
    assert ("berubah: 4.2.1.01. Dana Desa: anggaran Rp 794.946.000, setelah perubahan Rp 1 menjadi anggaran "
            "Rp 794.946.000, setelah perubahan Rp 794.946.000") in printed
    assert "Langkah berikutnya" not in printed     # the metadata file was already there


def test_kode_desa_in_the_title_block_is_compared_by_its_desa_part(tmp_path):
    src = tmp_path / "laporan.csv"
    text = (FIX / "siskeudes_perubahan_2025.csv").read_text()
    src.write_text(text.replace("KECAMATAN WONOSOBO;;;;\n", "KECAMATAN WONOSOBO;;;;\nKode Desa : 09.2005.;;;;\n"))
    assert prepare_import(src, Problems(), kode_desa="33.07.01.2005") is not None   # Siskeudes' own kecamatan no.
    p = Problems()
    assert prepare_import(src, p, kode_desa="33.07.01.2006") is None
    assert "kode desa di laporan 09.2005. tidak sama dengan kode desa ini (33.07.01.2006)" in p.errors[0].message
