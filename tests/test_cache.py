"""The build cache's helpers: hard-link copies, background deletion, per-village memos."""
import os
from pathlib import Path

import pytest

from papan_desa.cache import Trash, link_tree, village_memo


def make_tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "index.html").write_text("beranda")
    (root / "a" / "b" / "index.html").write_text("dalam")


def test_link_tree_links_every_file_and_refuses_an_existing_target(tmp_path):
    make_tree(tmp_path / "src")
    link_tree(tmp_path / "src", tmp_path / "dst")
    for rel in ("index.html", "a/b/index.html"):
        assert os.path.samefile(tmp_path / "src" / rel, tmp_path / "dst" / rel)
    with pytest.raises(FileExistsError):
        link_tree(tmp_path / "src", tmp_path / "dst")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.html").write_text("lain")
    link_tree(tmp_path / "other", tmp_path / "dst", dirs_exist_ok=True)     # merges, replacing clashes
    assert (tmp_path / "dst" / "index.html").read_text() == "lain"
    assert (tmp_path / "dst" / "a" / "b" / "index.html").read_text() == "dalam"


def test_link_tree_keeps_symlinks_as_links_when_asked(tmp_path):
    make_tree(tmp_path / "src")
    (tmp_path / "src" / "tautan").symlink_to("/etc/hostname")
    (tmp_path / "src" / "folder-tautan").symlink_to(tmp_path / "src" / "a")
    link_tree(tmp_path / "src", tmp_path / "dst", symlinks=True)
    assert os.readlink(tmp_path / "dst" / "tautan") == "/etc/hostname"
    assert (tmp_path / "dst" / "folder-tautan").is_symlink()


def test_trash_frees_the_name_at_once_and_deletes_in_the_background(tmp_path):
    make_tree(tmp_path / "situs")
    trash = Trash()
    trash.throw(tmp_path / "situs")
    assert not (tmp_path / "situs").exists()
    make_tree(tmp_path / "situs")              # the name can be used again right away
    trash.empty()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["situs"]
    # What a killed build left in the trash is swept by the next one.
    (tmp_path / ".situs.sampah-1-1" / "x").mkdir(parents=True)
    trash.sweep(tmp_path)
    trash.empty()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["situs"]


def test_trash_can_finish_after_the_caller_has_moved_on(tmp_path):
    """The command line does not wait for the deletion; it still happens, in its own process."""
    import time

    make_tree(tmp_path / "situs")
    trash = Trash()
    trash.throw(tmp_path / "situs")
    trash.empty(wait=False)
    assert trash.procs == [] and not (tmp_path / "situs").exists()
    deadline = time.monotonic() + 20
    while any(p.name.startswith(".situs.sampah-") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.iterdir()) == []


def test_village_memo_keeps_only_what_a_successful_build_names(tmp_path):
    settings = {"_PAPAN_CACHE_DIR": str(tmp_path)}
    calls = []

    def compute(value):
        def f():
            calls.append(value)
            return value
        return f

    ok = {"dieng": {"status": "ok", "fingerprint": "f1"}}
    assert village_memo(settings, ok, "dieng", "uji", "v1", compute("a")) == "a"
    assert village_memo(settings, ok, "dieng", "uji", "v1", compute("b")) == "a"        # kept
    assert village_memo(settings, ok, "dieng", "uji", "v2", compute("c")) == "c"        # code changed
    ok2 = {"dieng": {"status": "ok", "fingerprint": "f2"}}
    assert village_memo(settings, ok2, "dieng", "uji", "v2", compute("d")) == "d"       # village changed
    failed = {"dieng": {"status": "gagal", "fingerprint": "f2"}}
    assert village_memo(settings, failed, "dieng", "uji", "v2", compute("e")) == "e"    # never from the memo
    assert village_memo(settings, failed, "dieng", "uji", "v2", compute("f")) == "f"
    assert village_memo({}, ok2, "dieng", "uji", "v2", compute("g")) == "g"             # no cache: computed
    assert calls == ["a", "c", "d", "e", "f", "g"]


def test_file_hashes_tree_sees_every_change_and_reads_only_changed_files(tmp_path, monkeypatch):
    import hashlib

    from papan_desa.build import FileHashes

    top = tmp_path / "desa"
    make_tree(top)
    (top / ".git").mkdir()
    (top / ".git" / "HEAD").write_text("x")
    (top / "__pycache__").mkdir()
    (top / "__pycache__" / "m.pyc").write_text("x")
    (top / ".draf.md").write_text("x")
    (tmp_path / "luar").mkdir()
    (tmp_path / "luar" / "f.md").write_text("di luar")
    (top / "tautan").symlink_to(tmp_path / "luar", target_is_directory=True)   # not followed
    expected = hashlib.sha256()
    for rel in ("index.html", "a/b/index.html"):
        digest = hashlib.sha256((top / rel).read_bytes()).hexdigest()
        expected.update(rel.encode() + b"\0" + digest.encode() + b"\n")
    hashes = FileHashes()
    first = hashes.tree(top)
    assert first == expected.hexdigest()
    # Hidden files and folders, caches and linked folders do not count.
    for p in (top / ".git" / "HEAD", top / "__pycache__" / "m.pyc", top / ".draf.md", tmp_path / "luar" / "f.md"):
        p.write_text("lain")
    again = FileHashes(hashes.seen)
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: opened.append(str(f)) or real_open(f, *a, **k))
    assert again.tree(top) == first and opened == []          # same size and time: not read again
    (top / "a" / "b" / "index.html").write_text("dalam, diubah")
    assert FileHashes(again.seen).tree(top) != first
    assert opened == [str(top / "a" / "b" / "index.html")]
    assert FileHashes().tree(top, skip=("a",)) != FileHashes().tree(top)
