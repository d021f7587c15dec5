"""`make github` publishes the built site to the gh-pages branch of a git remote (here a local bare repo)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import project_copy

pytestmark = pytest.mark.slow

SITEURL = "https://contoh-uji.github.io/papan-desa"


def git(*args, cwd: Path, env=None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project (working tree, not the git index) with two villages, in a fresh git repo."""
    return project_copy(tmp_path)


def test_make_github_pushes_the_site_to_a_bare_remote(project, tmp_path):
    bare = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    git("remote", "add", "uji", str(bare), cwd=project)
    venv = Path(sys.executable).parent.parent
    env = {**os.environ, "GIT_AUTHOR_NAME": "Uji", "GIT_AUTHOR_EMAIL": "uji@contoh.invalid",
           "GIT_COMMITTER_NAME": "Uji", "GIT_COMMITTER_EMAIL": "uji@contoh.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "MAKEFLAGS": ""}
    # The test's own virtualenv stands in for the project's; -o keeps make from reinstalling it.
    r = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/bin/.runtime",
                        "github", "GITHUB_PAGES_REMOTE=uji", f"PAPAN_SITEURL={SITEURL}"],
                       cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr

    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).split())
    assert {"index.html", ".nojekyll", "kaligowong/index.html", "erorejo/index.html",
            "erorejo/kontak/index.html", "theme/css/papan.css", "favicon.ico"} <= files
    assert not any(f.startswith(("villages/", "plugins/", ".cache/")) for f in files)
    # Built with publishconf.py: absolute links under the address given in PAPAN_SITEURL.
    portal = git("show", "gh-pages:index.html", cwd=bare)
    assert f'href="{SITEURL}/kaligowong/"' in portal
    assert f"{SITEURL}/theme/css/papan.css" in portal
    assert "Terbitkan situs Papan Desa" in git("log", "-1", "--format=%s", "gh-pages", cwd=bare)
    # The project's own branch is left alone: ghp-import commits only to gh-pages.
    assert git("branch", "--list", cwd=project).split() == ["gh-pages"]
