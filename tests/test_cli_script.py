"""scripts/papan runs its command only when it is the program, not when multiprocessing imports it.

A child started with spawn or forkserver imports the parent's main script under the name
``__mp_main__`` (``runpy.run_path``), exactly as done here: without the ``__main__`` guard the child
would run the whole command line again (a second build, a second server)."""
import subprocess
import sys

from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "papan"


def test_the_script_imported_as_a_child_main_runs_nothing():
    code = ("import runpy, sys; sys.argv = ['papan', 'build', '--help']; "
            f"g = runpy.run_path({str(SCRIPT)!r}, run_name='__mp_main__'); "
            "print('dimuat', callable(g['main']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "dimuat True", r.stdout


def test_the_script_run_as_the_program_runs_its_command():
    r = subprocess.run([sys.executable, str(SCRIPT), "build", "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "--villages" in r.stdout, r.stdout + r.stderr
