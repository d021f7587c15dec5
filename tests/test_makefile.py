"""The Makefile: every declared target exists once, and `make clean` removes every folder a build leaves."""
import re
import shutil
import subprocess

from tests.support import ROOT

MAKEFILE = ROOT / "Makefile"


def _phony() -> list[str]:
    (line,) = [l for l in MAKEFILE.read_text(encoding="utf-8").splitlines() if l.startswith(".PHONY:")]
    return line.split(":", 1)[1].split()


def test_every_phony_target_is_declared_once_and_has_a_rule():
    names = _phony()
    assert len(names) == len(set(names)), names
    rules = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE))
    assert set(names) == rules, (set(names) ^ rules)


def test_help_names_each_target_once():
    out = subprocess.run(["make", "--no-print-directory", "-f", str(MAKEFILE), "help"], capture_output=True,
                         text=True, cwd=ROOT, check=True).stdout
    named = re.findall(r"^make (\S+)", out, re.MULTILINE)
    assert len(named) == len(set(named)) and set(named) <= set(_phony()), named


def test_clean_removes_output_its_swap_folders_and_the_cache(tmp_path):
    shutil.copy(MAKEFILE, tmp_path / "Makefile")
    made = ["output", ".output.baru", ".output.lama", ".cache/papan"]
    for d in made:
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "index.html").write_text("x")
    (tmp_path / "villages").mkdir()
    subprocess.run(["make", "--no-print-directory", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile", "villages"]
