"""The personal-data guard runs in the real build: the village is refused, the others publish."""
import shutil
from pathlib import Path

import pytest

from papan_desa.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
NIK = "3307014506900002"   # Wonosobo region code, born 05-06-1990 (+40: a woman), serial 0002


def run(tmp_path, villages, **kw):
    return build(BuildOptions(root=kw.pop("root", ROOT), settings_file=kw.pop("settings", ROOT / "pelicanconf.py"),
                              villages_dir=villages, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                              jobs=1, **kw))


@pytest.fixture
def villages(tmp_path):
    v = tmp_path / "villages"
    for slug in ("sumbersari", "dieng"):
        shutil.copytree(ROOT / "villages" / slug, v / slug)
    return v


def test_nik_in_profile_refuses_that_village_only(tmp_path, villages):
    desa = villages / "dieng" / "desa.md"
    desa.write_text(desa.read_text() + f"\nHubungi Bu Sari (NIK {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}).\n")
    line = desa.read_text().splitlines().index(next(l for l in desa.read_text().splitlines() if "NIK" in l)) + 1
    r = run(tmp_path, villages)
    assert r.exit_code == 1 and "sumbersari" in r.built
    msgs = [str(p) for p in r.failed["dieng"]]
    assert len(msgs) == 1 and f"desa.md:{line}:22: galat:" in msgs[0]
    assert NIK not in msgs[0] and "3307" in msgs[0]          # masked, never the full number
    assert not (tmp_path / "out" / "dieng").exists()
    assert not any(NIK in p.read_text(errors="ignore") for p in (tmp_path / "out").rglob("*.html"))


def test_recipient_names_column_is_refused(tmp_path, villages):
    (villages / "sumbersari" / "penerima-blt.csv").write_text("nama_penerima,dusun,nilai\nSiti Aminah,Krajan,300000\n")
    r = run(tmp_path, villages)
    # The file is withheld (never published); the village's other pages publish.
    assert r.exit_code == 1 and not r.failed and "penerima-blt.csv" in r.withheld_files["sumbersari"]
    assert "penerima-blt.csv:1:1: galat:" in str(r.withheld["sumbersari"][0])
    assert (tmp_path / "out" / "sumbersari" / "index.html").is_file()
    assert not any("Siti Aminah" in p.read_text(errors="ignore") for p in (tmp_path / "out").rglob("*.*")
                   if p.is_file())


def test_allowlist_entry_with_reason_lets_a_false_positive_through(tmp_path, villages):
    project = tmp_path / "proyek"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "output", ".cache", "node_modules", ".git",
                                                                 "villages", "tests"))
    desa = villages / "dieng" / "desa.md"
    desa.write_text(desa.read_text() + f"\nNomor rekening kas desa: {NIK}\n")
    assert "dieng" in run(tmp_path, villages, root=project, settings=project / "pelicanconf.py").failed
    (project / "privasi-izin.csv").write_text(
        f'berkas,nilai,alasan\n*/dieng/desa.md,{NIK},"nomor rekening kas desa, bukan NIK"\n')
    r = run(tmp_path, villages, root=project, settings=project / "pelicanconf.py")
    assert r.ok, r.failed
    assert NIK in (tmp_path / "out" / "dieng" / "index.html").read_text()


def test_published_pdf_loses_its_author_and_producer(tmp_path, villages):
    from pypdf import PdfReader, PdfWriter

    doc = sorted((villages / "sumbersari" / "dokumen").glob("*.pdf"))[0]
    w = PdfWriter(clone_from=PdfReader(doc))
    w.add_metadata({"/Author": "Siti Aminah (operator)", "/Producer": "Siskeudes 2.0", "/Title": "Perdes"})
    with open(doc, "wb") as fh:
        w.write(fh)
    assert "Siti Aminah" in str(PdfReader(doc).metadata)
    r = run(tmp_path, villages)
    assert r.ok, r.failed
    out = tmp_path / "out" / "sumbersari" / "dokumen" / doc.name
    assert out.is_file()
    meta = PdfReader(out).metadata
    assert not meta or not any(k in meta for k in ("/Author", "/Producer", "/Title"))
    assert b"Siti Aminah" not in out.read_bytes()
    # The page shows the size of the file it links to.
    from papan_desa.publikasi.dokumen import ukuran_teks
    assert ukuran_teks(out.stat().st_size) in (tmp_path / "out" / "sumbersari" / "dokumen" / "index.html").read_text()


def _count_calls(monkeypatch, name: str) -> list[str]:
    """Replace ``papan_desa.guard.<name>`` by a wrapper that notes the file or folder name of each call."""
    import papan_desa.guard as guard

    calls: list[str] = []
    real = getattr(guard, name)

    def counting(path, *a, **kw):
        calls.append(Path(path).name)
        return real(path, *a, **kw)

    monkeypatch.setattr(guard, name, counting)
    return calls


def test_scan_is_reused_for_unchanged_files_and_redone_after_an_edit(tmp_path, villages, monkeypatch):
    scanned = _count_calls(monkeypatch, "scan_village")
    first = run(tmp_path, villages)
    assert first.ok and sorted(scanned) == ["dieng", "sumbersari"]
    warnings = {s: [str(p) for p in ps] for s, ps in first.warnings.items()}

    scanned.clear()
    again = run(tmp_path, villages, force=True)       # every page rebuilt, as after a theme change
    assert again.ok and sorted(again.built) == ["dieng", "sumbersari"] and scanned == []
    assert {s: [str(p) for p in ps] for s, ps in again.warnings.items()} == warnings   # findings replayed

    desa = villages / "dieng" / "desa.md"
    desa.write_text(desa.read_text() + f"\nNIK kepala dusun: {NIK}\n")
    r = run(tmp_path, villages, force=True)
    assert scanned == ["dieng"]
    assert list(r.failed) == ["dieng"] and "NIK" in str(r.failed["dieng"][0])


def _pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(20, 20, text)
    path.write_bytes(bytes(pdf.output()))


def test_pdf_findings_are_kept_by_content_when_another_file_changes(tmp_path, villages, monkeypatch):
    """A village that changed is scanned again, but a PDF whose bytes did not change is not parsed
    again: its finding (here a NIK, which must keep withholding the PDF) is replayed."""
    parsed = _count_calls(monkeypatch, "scan_pdf")
    bad = villages / "dieng" / "dokumen" / "daftar-hadir.pdf"
    bad.parent.mkdir(exist_ok=True)
    _pdf(bad, f"Daftar hadir: Sari, NIK {NIK}")
    first = run(tmp_path, villages)
    assert list(first.withheld) == ["dieng"] and list(first.withheld_files["dieng"]) == ["dokumen/daftar-hadir.pdf"]
    finding = [str(p) for p in first.withheld["dieng"]]
    assert any("daftar-hadir.pdf" in f and "NIK" in f for f in finding)
    assert "daftar-hadir.pdf" in parsed
    assert not (tmp_path / "out" / "dieng" / "dokumen" / "daftar-hadir.pdf").exists()

    parsed.clear()
    desa = villages / "dieng" / "desa.md"
    desa.write_text(desa.read_text() + "\nBalai desa buka setiap hari kerja.\n")
    second = run(tmp_path, villages)
    assert parsed == [] and list(second.withheld) == ["dieng"]
    assert [str(p) for p in second.withheld["dieng"]] == finding

    _pdf(bad, "Daftar hadir: 14 orang")               # same name, new bytes: parsed again, now clean
    third = run(tmp_path, villages)
    assert parsed == ["daftar-hadir.pdf"] and third.ok, third.failed


def test_papan_batas_reaches_the_builds_guard_and_its_cache_key(tmp_path, villages):
    """The kabupaten's PAPAN_BATAS (pelicanconf.py) is what the build's guard applies: a limit lowered
    there refuses a file the default let through, even though that file's findings were kept from the
    build before (the limits are part of the guard's cache key)."""
    from fpdf import FPDF

    pdf = FPDF()
    for n in (1, 2):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.text(20, 20, f"Laporan kegiatan posyandu, halaman {n}: 14 orang hadir, semua sehat.")
    doc = villages / "dieng" / "dokumen" / "laporan-posyandu.pdf"
    doc.write_bytes(bytes(pdf.output()))
    first = run(tmp_path, villages)
    assert first.ok, (first.failed, first.withheld)
    assert (tmp_path / "out" / "dieng" / "dokumen" / "laporan-posyandu.pdf").is_file()

    second = run(tmp_path, villages, overrides={"PAPAN_BATAS": {"pdf_halaman": 1}})
    assert list(second.withheld) == ["dieng"]
    assert list(second.withheld_files["dieng"]) == ["dokumen/laporan-posyandu.pdf"]
    assert "paling banyak 1 halaman" in str(second.withheld["dieng"][0])
    assert not (tmp_path / "out" / "dieng" / "dokumen" / "laporan-posyandu.pdf").exists()

    bad = run(tmp_path, villages, overrides={"PAPAN_BATAS": {"pdf_halamann": 1}})
    assert "pdf_halamann" in str(bad.kabupaten_problems) and not bad.built
