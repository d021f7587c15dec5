"""A refused file withholds only what it feeds, and kept state belongs to its village (issue 25, items 2-3).

Each test writes its own fixtures: copies of the bundled sample villages with a third budget year made
from another, and single cells or dates broken by hand."""
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from papan_desa.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

ARTIFACTS = None
NOTICE = "pengumuman/2025-10-04-pemadaman-air.md"


@pytest.fixture(scope="module", autouse=True)
def _artifacts(tmp_path_factory):
    global ARTIFACTS
    ARTIFACTS = tmp_path_factory.mktemp("artefak")


def opts(top: Path, villages: Path, cache: Path | None = None, **kw) -> BuildOptions:
    assert ARTIFACTS is not None, "the module's _artifacts fixture has not run"
    over = {"PAPAN_POSTER": False, "_PAPAN_ARTIFACT_CACHE": str(ARTIFACTS), "PAPAN_TODAY": "2026-03-05"}
    over.update(kw.pop("overrides", {}))
    return BuildOptions(root=ROOT, settings_file=ROOT / "pelicanconf.py", villages_dir=villages,
                        output_dir=top / "out", cache_dir=cache or top / "cache", jobs=kw.pop("jobs", 1),
                        overrides=over, **kw)


def three_years(dst: Path) -> Path:
    """Kaligowong with budgets 2023 (a copy of 2024), 2024 and 2025, all good."""
    shutil.copytree(ROOT / "villages" / "kaligowong", dst)
    a = dst / "apbdes"
    (a / "2023.csv").write_bytes((a / "2024.csv").read_bytes())
    meta = (a / "2024.md").read_text(encoding="utf-8").replace("2024", "2023")
    # 2023 has no Perdes in the legal-products list: its metadata names none (the audit checks the link).
    meta = "".join(line for line in meta.splitlines(keepends=True) if not line.startswith("perdes:"))
    (a / "2023.md").write_text(meta, encoding="utf-8")
    return dst


@pytest.fixture
def villages(tmp_path):
    v = tmp_path / "villages"
    v.mkdir()
    three_years(v / "kaligowong")
    shutil.copytree(ROOT / "villages" / "sembungan", v / "sembungan")
    return v


def break_cell(village: Path, year: int) -> Path:
    """Line 3, column 4 (anggaran) of a year's budget becomes words."""
    path = village / "apbdes" / f"{year}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[2].split(",")
    cells[3] = "satu juta"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def break_notice(village: Path) -> Path:
    path = village / NOTICE
    path.write_text(path.read_text(encoding="utf-8").replace("Mulai: 2025-10-04", "Mulai: besok pagi"),
                    encoding="utf-8")
    return path


def digest(top: Path) -> dict[str, str]:
    return {p.relative_to(top).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(top.rglob("*")) if p.is_file()}


def public_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")))


def assert_no_diagnostics(out: Path, villages: Path) -> None:
    text = public_text(out)
    for internal in ("galat", "satu juta", "besok pagi", str(villages), ".csv:3", "diharapkan"):
        assert internal not in text, internal


def test_fresh_build_publishes_the_good_years_without_the_broken_one(tmp_path, villages):
    kali = villages / "kaligowong"
    bad = break_cell(kali, 2024)
    r = build(opts(tmp_path, villages))
    out = tmp_path / "out" / "kaligowong"
    # The village publishes: home, profile, news, notices and the two good years with their data files.
    assert (out / "index.html").is_file() and (out / "berita" / "index.html").is_file()
    assert "Pemadaman air bersih" in (out / "pengumuman" / "index.html").read_text(encoding="utf-8")
    years = sorted(p.name for p in (out / "apbdes").iterdir() if p.is_dir())
    assert years == ["2023", "2025"]
    assert sorted(p.name for p in (out / "data").glob("apbdes-*")) == \
        ["apbdes-2023.csv", "apbdes-2023.json", "apbdes-2025.csv", "apbdes-2025.json"]
    # The broken year never published: listed as not yet published, in plain words.
    index = (out / "apbdes" / "index.html").read_text(encoding="utf-8")
    assert "Tahun 2024: belum diterbitkan, masih diperbaiki." in index
    assert 'href="/kaligowong/apbdes/2024/"' not in public_text(tmp_path / "out")
    # The report names the file, line and column; the summary counts a year.
    assert r.exit_code == 1 and not r.failed and sorted(r.built) == ["kaligowong", "sembungan"]
    (err,) = r.withheld["kaligowong"]
    assert (err.file.endswith("kaligowong/apbdes/2024.csv"), err.line, err.column) == (True, 3, 4)
    assert 'ditemukan "satu juta"' in err.message
    assert r.withheld_files["kaligowong"] == {"apbdes/2024.csv": None, "apbdes/2024.md": None}
    assert bad.is_file()
    assert_no_diagnostics(tmp_path / "out", villages)
    # The portal's figures come from the published years only.
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8").count('href="/kaligowong/"') >= 1
    combined = (tmp_path / "out" / "data" / "apbdes.csv").read_text(encoding="utf-8").splitlines()
    years = {line.split(",")[4] for line in combined if line.startswith("33.07.01.2001,Kaligowong,")}
    assert years == {"2023", "2025"}


def test_refused_year_keeps_its_last_good_version_marked_with_its_date(tmp_path, villages):
    kali = villages / "kaligowong"
    assert build(opts(tmp_path, villages)).ok
    out = tmp_path / "out" / "kaligowong"
    before = {f: (out / "data" / f).read_bytes() for f in ("apbdes-2024.csv", "apbdes-2024.json")}
    page_before = (out / "apbdes" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "versi terakhir yang sah" not in page_before

    # Edits to other files go on publishing while 2024 is refused.
    break_cell(kali, 2024)
    desa = kali / "desa.md"
    desa.write_text(desa.read_text(encoding="utf-8").replace("Slamet Riyadi", "Slamet Riyanto"), encoding="utf-8")
    later = {"PAPAN_TODAY": "2026-04-09"}          # the version kept is dated by the build that published it
    r = build(opts(tmp_path, villages, overrides=later))
    assert r.exit_code == 1 and not r.failed and "kaligowong" in r.built
    assert r.withheld_files["kaligowong"] == {"apbdes/2024.csv": "2026-03-05", "apbdes/2024.md": "2026-03-05"}
    assert "Slamet Riyanto" in (out / "index.html").read_text(encoding="utf-8")
    page = (out / "apbdes" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "Ini versi terakhir yang sah, diterbitkan 5 Maret 2026." in page
    assert {f: (out / "data" / f).read_bytes() for f in before} == before
    assert "versi terakhir yang sah" not in (out / "apbdes" / "2025" / "index.html").read_text(encoding="utf-8")
    assert_no_diagnostics(tmp_path / "out", villages)

    # An unchanged rerun reports the same; the fix publishes the new version, unmarked.
    r = build(opts(tmp_path, villages, overrides=later))
    assert r.skipped == ["kaligowong", "sembungan"] and r.withheld_files["kaligowong"]["apbdes/2024.csv"] == "2026-03-05"
    shutil.copyfile(kali / "apbdes" / "2023.csv", kali / "apbdes" / "2024.csv")
    r = build(opts(tmp_path, villages, overrides=later))
    assert r.ok and "versi terakhir yang sah" not in (out / "apbdes" / "2024" / "index.html").read_text(encoding="utf-8")


def test_broken_notice_withholds_only_that_notice(tmp_path, villages):
    kali = villages / "kaligowong"
    break_notice(kali)
    r = build(opts(tmp_path, villages))
    out = tmp_path / "out" / "kaligowong"
    notices = (out / "pengumuman" / "index.html").read_text(encoding="utf-8")
    assert "Pemadaman air bersih" not in notices and "Waspada tanah longsor" in notices
    assert sorted(p.name for p in (out / "apbdes").iterdir() if p.is_dir()) == ["2023", "2024", "2025"]
    assert r.exit_code == 1 and not r.failed
    (err,) = r.withheld["kaligowong"]
    assert err.file.endswith(NOTICE) and (err.line, err.column) == (3, 8)
    assert r.withheld_files["kaligowong"] == {NOTICE: None}
    assert_no_diagnostics(tmp_path / "out", villages)


def test_unreadable_year_file_is_withheld_like_any_refused_year(tmp_path, villages):
    kali = villages / "kaligowong"
    (kali / "apbdes" / "2025.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe\x00\x00")
    r = build(opts(tmp_path, villages))
    out = tmp_path / "out" / "kaligowong"
    assert sorted(p.name for p in (out / "apbdes").iterdir() if p.is_dir()) == ["2023", "2024"]
    assert r.exit_code == 1 and not r.failed
    assert set(r.withheld_files["kaligowong"]) == {"apbdes/2025.csv", "apbdes/2025.md"}
    assert all(p.file.endswith("apbdes/2025.csv") for p in r.withheld["kaligowong"])


def test_check_names_the_withheld_file_and_counts_years_and_files(tmp_path, villages):
    import subprocess
    import sys

    kali = villages / "kaligowong"
    break_cell(kali, 2023)
    break_notice(kali)
    r = build(opts(tmp_path, villages, check_only=True))
    assert r.exit_code == 1 and not r.failed
    assert sorted(r.withheld_files["kaligowong"]) == ["apbdes/2023.csv", "apbdes/2023.md", NOTICE]
    cmd = [sys.executable, str(ROOT / "scripts" / "papan"), "build", "--villages", str(villages), "--output",
           str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "--quiet"]
    for extra in (["--check"], []):
        run = subprocess.run(cmd + extra, capture_output=True, text=True)
        assert run.returncode == 1, run.stdout + run.stderr
        assert "1 tahun ditahan, 1 berkas ditahan, 0 gagal" in run.stdout
        assert "desa gagal" not in run.stdout
        assert re.search(r"kaligowong/apbdes/2023\.csv:3:4: galat: anggaran", run.stdout)
        assert re.search(r"kaligowong/pengumuman/2025-10-04-pemadaman-air\.md:3:8: galat", run.stdout)


def test_two_trees_sharing_a_cache_never_serve_each_others_village(tmp_path):
    """Tree A's "kaligowong" is Kaligowong; tree B's folder of the same name holds Sumbersari, with a
    refused year and then a broken profile. One cache; B never shows A's pages or budget."""
    cache = tmp_path / "cache"
    a = tmp_path / "a" / "villages"
    a.mkdir(parents=True)
    three_years(a / "kaligowong")
    b = tmp_path / "b" / "villages"
    b.mkdir(parents=True)
    shutil.copytree(ROOT / "villages" / "sumbersari", b / "kaligowong")
    # Sumbersari gets a 2023 of its own (its 2025 copied) that B refuses; A's 2023 is good.
    sb = b / "kaligowong" / "apbdes"
    (sb / "2023.csv").write_bytes((sb / "2025.csv").read_bytes())
    (sb / "2023.md").write_text((sb / "2025.md").read_text(encoding="utf-8").replace("2025", "2023"), encoding="utf-8")
    break_cell(b / "kaligowong", 2023)
    assert build(opts(tmp_path / "a", a, cache)).ok
    kali_2023 = (tmp_path / "a" / "out" / "kaligowong" / "data" / "apbdes-2023.csv").read_bytes()

    r = build(opts(tmp_path / "b", b, cache))
    out_b = tmp_path / "b" / "out" / "kaligowong"
    home = (out_b / "index.html").read_text(encoding="utf-8")
    assert "Sumbersari" in home and "Kaligowong" not in home
    assert not (out_b / "apbdes" / "2023").exists() and not (out_b / "data" / "apbdes-2023.csv").exists()
    assert "Slamet Riyadi" not in public_text(tmp_path / "b" / "out")
    assert r.withheld_files["kaligowong"] == {"apbdes/2023.csv": None, "apbdes/2023.md": None}

    # B's profile breaks: B fails as a whole and keeps its own last good pages (Sumbersari's),
    # even in an empty output; a copy of B that was never built shows nothing of the folder.
    desa = b / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text(encoding="utf-8").replace("Kode:", "Kode: x"), encoding="utf-8")
    r = build(opts(tmp_path / "b2", b, cache))
    assert "kaligowong" in r.failed
    home = (tmp_path / "b2" / "out" / "kaligowong" / "index.html").read_text(encoding="utf-8")
    assert "Sumbersari" in home and "Kaligowong" not in home
    c = tmp_path / "c" / "villages"
    shutil.copytree(b, c)
    r = build(opts(tmp_path / "c", c, cache))
    assert "kaligowong" in r.failed and not (tmp_path / "c" / "out" / "kaligowong").exists()
    assert 'href="/kaligowong/"' not in (tmp_path / "c" / "out" / "index.html").read_text(encoding="utf-8")

    # A, built again from the same cache, still has its own village and its own 2023.
    r = build(opts(tmp_path / "a", a, cache))
    assert r.ok
    assert (tmp_path / "a" / "out" / "kaligowong" / "data" / "apbdes-2023.csv").read_bytes() == kali_2023
    assert "Kaligowong" in (tmp_path / "a" / "out" / "kaligowong" / "index.html").read_text(encoding="utf-8")


def test_renamed_or_reused_folder_starts_clean(tmp_path, villages):
    assert build(opts(tmp_path, villages)).ok
    # Renamed, with a refused 2024: the new address never shows the old folder's 2024.
    (villages / "kaligowong").rename(villages / "kaligowong-lama")
    break_cell(villages / "kaligowong-lama", 2024)
    r = build(opts(tmp_path, villages))
    out = tmp_path / "out"
    assert not (out / "kaligowong").exists()
    assert (out / "kaligowong-lama" / "apbdes" / "2023").is_dir()
    assert not (out / "kaligowong-lama" / "apbdes" / "2024").exists()
    assert r.withheld_files["kaligowong-lama"] == {"apbdes/2024.csv": None, "apbdes/2024.md": None}
    # Renamed again with a broken profile: it failed as a whole and never built under this name.
    (villages / "kaligowong-lama").rename(villages / "kaligowong-baru")
    desa = villages / "kaligowong-baru" / "desa.md"
    desa.write_text(desa.read_text(encoding="utf-8").replace("Kepala_desa: Slamet Riyadi\n", ""), encoding="utf-8")
    r = build(opts(tmp_path, villages))
    assert "kaligowong-baru" in r.failed and not (out / "kaligowong-baru").exists()

    # The folder "sembungan" reused for another registered village (Sumbersari) with a broken
    # profile: Sembungan's pages are not published under it.
    shutil.rmtree(villages / "sembungan")
    shutil.copytree(ROOT / "villages" / "sumbersari", villages / "sembungan")
    desa = villages / "sembungan" / "desa.md"
    desa.write_text(desa.read_text(encoding="utf-8").replace("Kepala_desa:", "Kepala_desa_lama:"), encoding="utf-8")
    r = build(opts(tmp_path, villages))
    assert "sembungan" in r.failed and not (out / "sembungan").exists()


def test_a_whole_village_failure_keeps_its_own_last_good_pages(tmp_path, villages):
    assert build(opts(tmp_path, villages)).ok
    out = tmp_path / "out"
    before = digest(out / "kaligowong")
    desa = villages / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text(encoding="utf-8").replace("Luas_wilayah:", "Luas_wilayah: luas"), encoding="utf-8")
    r = build(opts(tmp_path, villages))
    assert "kaligowong" in r.failed and digest(out / "kaligowong") == before


def test_privacy_allowlist_names_the_village_files_while_a_file_is_withheld(tmp_path, villages):
    """The village is checked again from the assembled folder; an allowlist entry naming the village's
    own file (its exact path) must still apply there."""
    nik = "3307014506900002"
    project = tmp_path / "proyek"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "output", ".cache", "node_modules", ".git",
                                                                 "villages", "tests", "docs"))
    post = sorted((villages / "kaligowong" / "berita").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + f"\nNomor rekening kas desa: {nik}\n", encoding="utf-8")
    (project / "privasi-izin.csv").write_text(
        f'berkas,nilai,alasan\n{post.as_posix()},{nik},"nomor rekening kas desa, bukan NIK"\n', encoding="utf-8")
    break_notice(villages / "kaligowong")
    o = opts(tmp_path, villages)
    r = build(BuildOptions(**{**o.__dict__, "root": project, "settings_file": project / "pelicanconf.py"}))
    assert r.withheld_files["kaligowong"] == {NOTICE: None}
    assert nik in public_text(tmp_path / "out" / "kaligowong" / "berita")


def test_kept_copy_the_checks_refuse_now_or_a_corrupt_store_is_never_published(tmp_path, villages):
    kali = villages / "kaligowong"
    assert build(opts(tmp_path, villages)).ok
    (kept,) = (tmp_path / "cache" / "sah").glob("*/*/kaligowong")
    out = tmp_path / "out" / "kaligowong"
    # The kept 2024 no longer passes (as if the checks had become stricter): the year is withheld
    # without a version, with a warning; the published 2024 is not taken for a good one.
    (kept / "berkas" / "apbdes" / "2024.csv").write_text("kode,uraian\nrusak,rusak\n", encoding="utf-8")
    break_cell(kali, 2024)
    r = build(opts(tmp_path, villages))
    assert r.withheld_files["kaligowong"] == {"apbdes/2024.csv": None, "apbdes/2024.md": None}
    assert any("versi terakhir yang sah dari apbdes/2024.csv tidak lolos" in str(w) for w in r.warnings["kaligowong"])
    assert not (out / "apbdes" / "2024").exists()
    # A store whose index cannot be read keeps nothing.
    (kept / "sah.json").write_text("{rusak", encoding="utf-8")
    break_notice(kali)
    r = build(opts(tmp_path, villages))
    assert r.withheld_files["kaligowong"][NOTICE] is None
    assert "Pemadaman air bersih" not in (out / "pengumuman" / "index.html").read_text(encoding="utf-8")


TAKEN_DOWN = "dokumen/sk-kades-7-2025-tpk.pdf"


def _withdraw(villages: Path, rel: str, cache: Path | None) -> None:
    import datetime as dt

    from papan_desa.cabut import withdraw
    withdraw(villages / "kaligowong" / rel, "Memuat NIK anggota TPK", villages_dir=villages, cache_dir=cache,
             today=dt.date(2026, 3, 6))


@pytest.mark.parametrize("purged", [True, False], ids=["cabut-di-sini", "cache-lain"])
def test_a_village_failing_after_a_take_down_never_publishes_pages_built_before_it(tmp_path, villages, purged):
    """Build, take a document down, break desa.md so the village fails as a whole, build again: the last
    good pages were built before the take-down and are not published (also when ``papan cabut`` ran
    without this build cache: on another machine, or with CI's cache restored)."""
    out = tmp_path / "out" / "kaligowong"
    assert build(opts(tmp_path, villages)).ok
    assert (out / TAKEN_DOWN).is_file()
    _withdraw(villages, TAKEN_DOWN, tmp_path / "cache" if purged else None)
    desa = villages / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text(encoding="utf-8").replace("Luas_wilayah:", "Luas_wilayah: luas"), encoding="utf-8")
    r = build(opts(tmp_path, villages))
    assert "kaligowong" in r.failed and "sembungan" in r.built + r.skipped
    assert not (out / TAKEN_DOWN).exists()
    # (Sembungan has a document of the same name, its own.)
    assert not any("kaligowong/dokumen/sk-kades-7-2025-tpk" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (tmp_path / "out").rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml"))
    assert not (out / "dokumen").exists()
    # Fixed, the village publishes again, without the document.
    desa.write_text(desa.read_text(encoding="utf-8").replace("Luas_wilayah: luas", "Luas_wilayah:"), encoding="utf-8")
    assert build(opts(tmp_path, villages)).ok
    assert (out / "index.html").is_file() and not (out / TAKEN_DOWN).exists()


def test_a_kept_copy_from_before_a_take_down_is_never_published(tmp_path, villages):
    """A kept copy can be an earlier version of a file that was taken down: the post published as v1 is
    edited (v2), taken down, and v2 comes back under its name (refused: its bytes were withdrawn). The
    post is withheld without a version, not replaced by its kept v1."""
    kali = villages / "kaligowong"
    post = sorted((kali / "berita").glob("*.md"))[0]
    rel = post.relative_to(kali).as_posix()
    title = next(l for l in post.read_text(encoding="utf-8").splitlines() if l.startswith("Title:"))[6:].strip()
    assert build(opts(tmp_path, villages)).ok
    assert title in public_text(tmp_path / "out" / "kaligowong")
    v2 = post.read_bytes() + "\nDaftar hadir: Sari, Budi, Wati (dusun Krajan).\n".encode()
    post.write_bytes(v2)
    _withdraw(villages, rel, None)
    post.write_bytes(v2)                    # the same bytes again, e.g. from an old branch
    r = build(opts(tmp_path, villages))
    assert r.withheld_files["kaligowong"] == {rel: None}
    assert title not in public_text(tmp_path / "out" / "kaligowong")
