"""Whole-site builds of small fixture villages: isolation of failures, incremental rebuilds, atomic output."""
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papan_desa.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


ARTIFACTS = None


def opts(tmp_path, villages, **kw):
    # Posters have tests of their own; drawing them here would only slow these builds down. Charts and
    # photos are content-addressed, so these builds share one cache of them (except where a test needs
    # a cold cache: shared=False).
    over = {"PAPAN_POSTER": False}
    if kw.pop("shared", True):
        assert ARTIFACTS is not None, "the module's _artifacts fixture has not run"
        over["_PAPAN_ARTIFACT_CACHE"] = str(ARTIFACTS)
    return BuildOptions(root=ROOT, settings_file=ROOT / "pelicanconf.py", villages_dir=villages,
                        output_dir=tmp_path / "out", cache_dir=tmp_path / "cache", jobs=kw.pop("jobs", 2),
                        overrides=over, **kw)


@pytest.fixture(scope="module", autouse=True)
def _artifacts(tmp_path_factory):
    global ARTIFACTS
    ARTIFACTS = tmp_path_factory.mktemp("artefak")


@pytest.fixture
def villages(tmp_path):
    v = tmp_path / "villages"
    v.mkdir()
    for slug in ("kaligowong", "jogoyitnan", "sembungan"):
        shutil.copytree(ROOT / "villages" / slug, v / slug)
    return v


def tree_digest(top: Path) -> dict[str, str]:
    return {p.relative_to(top).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(top.rglob("*")) if p.is_file()}


def test_builds_villages_and_portal(tmp_path, villages):
    r = build(opts(tmp_path, villages))
    assert r.ok and r.exit_code == 0
    assert sorted(r.built) == ["jogoyitnan", "kaligowong", "sembungan"]
    out = tmp_path / "out"
    home = (out / "kaligowong" / "index.html").read_text()
    assert "Desa Kaligowong" in home and "Data contoh" in home and "Slamet Riyadi" in home
    portal = (out / "index.html").read_text()
    assert 'href="/kaligowong/"' in portal
    # A registry village without a folder is listed but not linked.
    assert '<th scope="row">Sumberejo</th>' in portal and "Belum terbit" in portal
    kec = (out / "kecamatan" / "wadaslintang" / "index.html").read_text()
    assert 'href="/kaligowong/"' in kec and "Kecamatan Wadaslintang" in kec
    assert (out / "favicon.ico").is_file() and (out / "theme" / "css" / "papan.css").is_file()
    assert r.pages == sum(1 for _ in out.rglob("*.html"))


def test_broken_village_does_not_stop_the_others(tmp_path, villages):
    desa = villages / "jogoyitnan" / "desa.md"
    desa.write_text(desa.read_text().replace("Luas_wilayah: 187,4", "Luas_wilayah: dua ratus"))
    r = build(opts(tmp_path, villages))
    assert r.exit_code == 1
    assert sorted(r.built) == ["kaligowong", "sembungan"]
    msgs = [str(p) for p in r.failed["jogoyitnan"]]
    assert msgs == [f'{desa.relative_to(ROOT) if desa.is_relative_to(ROOT) else desa.as_posix()}:11:15: galat: '
                    'Luas wilayah: diharapkan angka seperti "412,5", ditemukan "dua ratus"'] or \
        (len(msgs) == 1 and msgs[0].endswith('desa.md:11:15: galat: Luas wilayah: diharapkan angka seperti "412,5", '
                                             'ditemukan "dua ratus"'))
    out = tmp_path / "out"
    assert (out / "kaligowong" / "index.html").is_file()
    assert not (out / "jogoyitnan").exists()
    portal = (out / "index.html").read_text()
    assert "Gagal dibangun" in portal and 'href="/jogoyitnan/"' not in portal


def test_failed_update_keeps_last_good_pages(tmp_path, villages):
    assert build(opts(tmp_path, villages)).ok
    before = (tmp_path / "out" / "sembungan" / "index.html").read_bytes()
    desa = villages / "sembungan" / "desa.md"
    desa.write_text(desa.read_text().replace("Kode: 33.07.13.2003", "Kode: 33.07.13.2999"))
    r = build(opts(tmp_path, villages))
    assert r.exit_code == 1 and "sembungan" in r.failed
    assert "tidak ada dalam daftar wilayah" in str(r.failed["sembungan"][0])
    assert (tmp_path / "out" / "sembungan" / "index.html").read_bytes() == before
    # The portal cannot place a village whose code is wrong, and says so.
    assert "sembungan" in (tmp_path / "out" / "index.html").read_text()
    # Still failing on an unchanged rerun: the failure is not forgotten.
    r2 = build(opts(tmp_path, villages))
    assert r2.exit_code == 1 and r2.skipped and "sembungan" in r2.failed


def test_failed_update_is_marked_on_portal(tmp_path, villages):
    assert build(opts(tmp_path, villages)).ok
    desa = villages / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text().replace("Kepala_desa: Slamet Riyadi\n", ""))
    r = build(opts(tmp_path, villages))
    assert "kaligowong" in r.failed
    portal = (tmp_path / "out" / "index.html").read_text()
    assert 'href="/kaligowong/"' in portal and "pembaruan gagal" in portal


def test_duplicate_code_fails_both_villages_naming_each_other(tmp_path, villages):
    shutil.copytree(villages / "kaligowong", villages / "kaligowong-lama")
    r = build(opts(tmp_path, villages))
    assert set(r.failed) == {"kaligowong", "kaligowong-lama"}
    assert "juga dipakai oleh kaligowong-lama/desa.md baris 2" in str(r.failed["kaligowong"][0])
    assert "sudah dipakai oleh kaligowong/desa.md baris 2" in str(r.failed["kaligowong-lama"][0])
    assert r.built == ["jogoyitnan", "sembungan"] or sorted(r.built) == ["jogoyitnan", "sembungan"]


def test_folder_name_that_is_not_a_slug(tmp_path, villages):
    (villages / "kaligowong").rename(villages / "Kali Gowong")
    r = build(opts(tmp_path, villages))
    assert "nama folder desa menjadi alamat web" in str(r.failed["Kali Gowong"][0])


def test_missing_profile(tmp_path, villages):
    (villages / "desa-baru").mkdir()
    r = build(opts(tmp_path, villages))
    assert "desa.md tidak ada" in str(r.failed["desa-baru"][0])
    assert sorted(r.built) == ["jogoyitnan", "kaligowong", "sembungan"]


def test_check_only_writes_nothing(tmp_path, villages):
    desa = villages / "sembungan" / "desa.md"
    desa.write_text(desa.read_text().replace("Jenis: desa", "Jenis: dusun"))
    r = build(opts(tmp_path, villages, check_only=True))
    assert r.exit_code == 1
    assert str(r.failed["sembungan"][0]).endswith('desa.md:3:8: galat: Jenis: diharapkan salah satu dari: desa, kelurahan; ditemukan "dusun"')
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()


def test_incremental_rebuild_only_changed_village(tmp_path, villages):
    assert len(build(opts(tmp_path, villages)).built) == 3
    r = build(opts(tmp_path, villages))
    assert r.built == [] and len(r.skipped) == 3 and not r.changed
    desa = villages / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text().replace("Slamet Riyadi", "Slamet Riyanto"))
    r = build(opts(tmp_path, villages))
    assert r.built == ["kaligowong"] and len(r.skipped) == 2
    assert "Slamet Riyanto" in (tmp_path / "out" / "kaligowong" / "index.html").read_text()
    # A village folder that is removed leaves the site.
    shutil.rmtree(villages / "sembungan")
    r = build(opts(tmp_path, villages))
    assert not (tmp_path / "out" / "sembungan").exists()


def test_same_input_gives_identical_output(tmp_path, villages):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert build(opts(a, villages, shared=False)).ok
    assert build(opts(b, villages, jobs=1, shared=False)).ok
    da, db = tree_digest(a / "out"), tree_digest(b / "out")
    assert da == db and len(da) > 20


def test_cli_exit_codes(tmp_path, villages):
    cmd = [sys.executable, str(ROOT / "scripts" / "papan"), "build", "--villages", str(villages),
           "--output", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "--quiet"]
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Ringkasan: 3 desa dibangun, 0 dilewati (tidak berubah), 0 gagal" in ok.stdout
    desa = villages / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text().replace("Kecamatan: Wadaslintang", "Kecamatan: Atlantis"))
    bad = subprocess.run(cmd, capture_output=True, text=True)
    assert bad.returncode == 1
    assert 'kecamatan "Atlantis" tidak dikenal' in bad.stdout and "Desa yang gagal (1):" in bad.stdout
    usage = subprocess.run(cmd + ["--tidak-ada"], capture_output=True, text=True)
    assert usage.returncode == 2
    missing = subprocess.run([sys.executable, str(ROOT / "scripts" / "papan"), "build", "--villages",
                              str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and "folder desa tidak ada" in missing.stderr


def test_killed_build_leaves_previous_output_intact(tmp_path):
    villages = tmp_path / "villages"
    gen = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), "--villages", "8", "--output",
                          str(villages)], capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    cmd = [sys.executable, str(ROOT / "scripts" / "papan"), "build", "--villages", str(villages),
           "--registry", str(villages / "_wilayah.csv"), "--output", str(tmp_path / "out"),
           "--cache", str(tmp_path / "cache"), "--quiet"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    before = tree_digest(tmp_path / "out")
    proc = subprocess.Popen(cmd + ["--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    # Kill it in the middle of its work: once a village's new pages are being written.
    staging = tmp_path / "cache" / "desa"
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".baru") for p in staging.glob("*/*/*")) and time.monotonic() < deadline:
        assert proc.poll() is None, "the build ended before it could be killed"
        time.sleep(0.01)
    import os
    import signal
    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert tree_digest(tmp_path / "out") == before
    # The next build recovers and publishes normally.
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert tree_digest(tmp_path / "out") == before


def test_shards_assembled_equal_the_full_build(tmp_path, villages):
    from papan_desa.build import assemble, shard_of

    full = tmp_path / "full"
    full.mkdir()
    assert build(opts(full, villages)).ok
    # Every village lands in one shard, fixed by its folder name alone: the same on every run and
    # machine (the values are pinned) and unchanged when villages are added.
    assert [shard_of(s, 2) for s in ("kaligowong", "jogoyitnan", "sembungan")] == [1, 2, 2]
    assert [shard_of(s, 3) for s in ("kaligowong", "jogoyitnan", "sembungan")] == [3, 1, 1]
    parts = []
    for k in (1, 2):
        d = tmp_path / f"shard{k}"
        d.mkdir()
        r = build(opts(d, villages, shard=(k, 2)))
        assert r.ok
        assert sorted(r.built) == sorted(s for s in ("kaligowong", "jogoyitnan", "sembungan") if shard_of(s, 2) == k)
        parts.append(d / "out")
    final = tmp_path / "final"
    final.mkdir()
    r = assemble(opts(final, villages), parts)
    assert r.ok and sorted(r.built) == ["jogoyitnan", "kaligowong", "sembungan"]
    assert tree_digest(final / "out") == tree_digest(full / "out")


def test_search_index_is_reused_when_no_indexed_page_changes(tmp_path, villages):
    from papan_desa.search import indexed_pages_digest

    o = opts(tmp_path, villages, shared=False)
    assert build(o).ok
    index = tmp_path / "out" / "pagefind" / "pagefind-entry.json"
    first = index.read_bytes()
    digest = indexed_pages_digest(tmp_path / "out")
    assert (tmp_path / "cache" / "pagefind" / digest).is_dir()
    # Every page rendered again, none of them different: the cached index is used as it is.
    r = build(BuildOptions(**{**o.__dict__, "force": True}))
    assert r.stages["pagefind_index"] < 1.0 and index.read_bytes() == first
    # A news post is indexed: editing it makes a new index with the new words.
    post = sorted((villages / "kaligowong" / "berita").glob("*.md"))[0]
    post.write_text(post.read_text() + "\nKata unik zebrakuda untuk uji pencarian.\n")
    assert build(o).ok
    assert indexed_pages_digest(tmp_path / "out") != digest
    assert not (tmp_path / "cache" / "pagefind" / digest).exists()


def _fragments_text(index: Path) -> str:
    import gzip
    return "\n".join(gzip.decompress(f.read_bytes()).decode() for f in sorted((index / "fragment").iterdir()))


def test_search_index_made_in_memory_keeps_unchanged_files_as_links(tmp_path, villages):
    """Pagefind reads and writes in a memory folder (PAPAN_SEARCH_RAM); the cache keeps its output,
    and after an edit every file the previous index had byte for byte is a hard link to it."""
    ram = tmp_path / "ram"
    ram.mkdir()
    stale = ram / "papan-cari-99999999"          # left by a build that was killed (no such process)
    (stale / "halaman").mkdir(parents=True)
    o = opts(tmp_path, villages, shared=False)
    o.overrides["PAPAN_SEARCH_RAM"] = str(ram)
    assert build(o).ok
    assert sorted(ram.iterdir()) == []           # its own scratch folder and the stale one are gone
    cache = tmp_path / "cache" / "pagefind"
    (first,) = list(cache.iterdir())
    before = {p.relative_to(first): (p.stat().st_ino, p.read_bytes()) for p in first.rglob("*") if p.is_file()}
    post = sorted((villages / "kaligowong" / "berita").glob("*.md"))[0]
    post.write_text(post.read_text() + "\nKata unik zebrakuda untuk uji pencarian.\n")
    assert build(o).ok
    (second,) = list(cache.iterdir())
    assert second != first and not first.exists()
    after = {p.relative_to(second): (p.stat().st_ino, p.read_bytes()) for p in second.rglob("*") if p.is_file()}
    same = [rel for rel in after if rel in before and after[rel][1] == before[rel][1]]
    assert all(after[rel][0] == before[rel][0] for rel in same)
    changed = [rel for rel in after if rel not in same]
    assert changed and all(after[rel][0] not in {ino for ino, _ in before.values()} for rel in changed)
    assert len(same) > len(changed)
    site = tmp_path / "out" / "pagefind"
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == \
        {rel: data for rel, (_, data) in after.items()}
    assert "zebrakuda" in _fragments_text(site)


def test_search_index_without_a_memory_folder_is_made_on_disk(tmp_path, villages):
    o = opts(tmp_path, villages, shared=False)
    o.overrides["PAPAN_SEARCH_RAM"] = ""
    post = sorted((villages / "sembungan" / "berita").glob("*.md"))[0]
    post.write_text(post.read_text() + "\nKata unik kudazebra untuk uji pencarian.\n")
    assert build(o).ok
    site = tmp_path / "out" / "pagefind"
    assert (site / "pagefind-entry.json").is_file() and "kudazebra" in _fragments_text(site)
    assert not any(".cari" in p.name or p.name.endswith(".pagefind") for p in tmp_path.iterdir())


def test_incremental_builds_end_in_the_same_bytes_as_a_fresh_build(tmp_path, villages):
    """Site steps keep what they read from each village between builds (open data, search, sitemap,
    feeds); after edits, a failure, a fix and a theme change, the site must equal one built from nothing."""
    project = tmp_path / "proyek"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "output", ".cache", "node_modules", ".git",
                                                                 "villages", "tests", "docs"))

    def run(top):
        o = opts(top, villages)
        return build(BuildOptions(**{**o.__dict__, "root": project, "settings_file": project / "pelicanconf.py"}))

    inc = tmp_path / "inkremental"
    inc.mkdir()
    assert run(inc).ok
    budget = sorted((villages / "kaligowong" / "apbdes").glob("20*.csv"))[-1]
    budget.write_text(budget.read_text(encoding="utf-8").replace("Bunga Bank", "Bunga Bank BPD"), encoding="utf-8")
    post = sorted((villages / "jogoyitnan" / "berita").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nKalimat baru untuk diindeks.\n", encoding="utf-8")
    assert run(inc).ok
    profile = villages / "sembungan" / "desa.md"
    good = profile.read_text(encoding="utf-8")
    profile.write_text(good.replace("Kode:", "Kode: x"), encoding="utf-8")     # sembungan fails, keeps old pages
    assert "sembungan" in run(inc).failed
    profile.write_text(good + "\nSatu kalimat lagi.\n", encoding="utf-8")
    assert run(inc).ok
    base = project / "theme" / "templates" / "base.html"                    # every page changes, no data file
    base.write_text(base.read_text(encoding="utf-8").replace("Dibuat dengan Papan Desa", "Dibuat dengan Papan Desa."),
                    encoding="utf-8")
    r = run(inc)
    assert r.ok and len(r.built) == 3

    fresh = tmp_path / "baru"
    fresh.mkdir()
    o = opts(fresh, villages, shared=False)
    assert build(BuildOptions(**{**o.__dict__, "root": project, "settings_file": project / "pelicanconf.py"})).ok
    a, b = tree_digest(inc / "out"), tree_digest(fresh / "out")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert "Bunga Bank BPD" in (inc / "out" / "data" / "apbdes.csv").read_text(encoding="utf-8")
    assert "Dibuat dengan Papan Desa." in (inc / "out" / "kaligowong" / "index.html").read_text(encoding="utf-8")


def test_unchanged_villages_are_taken_from_the_published_site(tmp_path, villages, monkeypatch):
    """After an edit, the unchanged villages' folders are renamed from the published site into the
    new one (not linked again, file by file); a failure while moving them puts every folder back."""
    import os

    import papan_desa.build as B

    assert build(opts(tmp_path, villages)).ok
    out = tmp_path / "out"
    ino = {s: (out / s).stat().st_ino for s in ("kaligowong", "jogoyitnan", "sembungan")}
    desa = villages / "kaligowong" / "desa.md"
    desa.write_text(desa.read_text().replace("Slamet Riyadi", "Slamet Riyanto"))
    r = build(opts(tmp_path, villages))
    assert r.ok and r.built == ["kaligowong"]
    assert [(out / s).stat().st_ino == ino[s] for s in ("kaligowong", "jogoyitnan", "sembungan")] == [False, True, True]
    assert "Slamet Riyanto" in (out / "kaligowong" / "index.html").read_text()

    before = tree_digest(out)
    desa.write_text(desa.read_text().replace("Slamet Riyanto", "Slamet Riyadi"))
    real = os.rename

    def failing(a, b):
        if Path(a) == out / "sembungan":
            raise OSError(5, "Input/output error")
        return real(a, b)

    monkeypatch.setattr(B.os, "rename", failing)
    with pytest.raises(OSError):
        build(opts(tmp_path, villages))
    monkeypatch.undo()
    assert tree_digest(out) == before               # jogoyitnan, moved first, is back in place
    r = build(opts(tmp_path, villages))
    assert r.ok and "Slamet Riyadi" in (out / "kaligowong" / "index.html").read_text()
    # The failed build marked the published site untrusted: this one linked every village again.
    assert (out / "jogoyitnan").stat().st_ino != ino["jogoyitnan"]


def test_a_relative_artifact_folder_is_inside_the_build_cache(tmp_path, villages, monkeypatch):
    """A shared artefact folder given as a relative path (once the string "None" of a fixture that had not
    run) lies inside the build cache: a build writes nothing outside its cache and output, wherever it
    is run from."""
    cwd = tmp_path / "kerja"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    o = opts(tmp_path, villages, shared=False)
    o.overrides["_PAPAN_ARTIFACT_CACHE"] = "None"
    assert build(o).ok
    assert list(cwd.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "kerja", "out", "villages"]
    assert (tmp_path / "cache" / "None" / "desa-memo").is_dir()
