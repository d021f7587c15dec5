"""What each kind of input rebuilds (issue 22, item 3): the table below and this test are the documentation.

Every row changes one input of a built project (a copy of this one, with two villages), builds, and
checks that exactly the listed artefacts were rebuilt: which villages' page sets (each village is one
artefact: its pages, data files, charts and posters are built together) and whether the portal was.
Then it puts the input back and checks that the same artefacts are rebuilt again. Whole-site steps
(sitemap, combined open data, search index) run whenever the site is assembled and keep what they read
per village under the village's fingerprint, so they follow the village rows.

| input kind         | example changed                                   | villages rebuilt | portal |
|--------------------|---------------------------------------------------|------------------|--------|
| nothing            | –                                                 | none             | no     |
| village file       | a sentence in one village's `desa.md`             | that village     | no     |
| village file       | a budget amount (a figure the portal shows)       | that village     | yes    |
| village file       | a news title (the portal lists every village's)   | that village     | yes    |
| kabupaten content  | `content/pages/tentang.md`                        | none             | yes    |
| shared CSV         | the registry `data/wonosobo-wilayah-2025.csv`     | all              | yes    |
| shared CSV         | the privacy allowlist `privasi-izin.csv`          | all              | yes    |
| setting (file)     | `SITENAME` in `pelicanconf.py`                    | all              | yes    |
| setting (override) | `PAPAN_TODAY` given by the publishing job         | all              | yes    |
| template           | `theme/templates/desa.html`                       | all              | yes    |
| theme asset        | `theme/static/css/papan.css`                      | all              | yes    |
| reference data     | `plugins/papan_desa/apbdes/referensi/akun.csv`    | all              | yes    |
| code version       | `plugins/papan_desa/formatting.py`                | all              | yes    |
| admin code         | `plugins/papan_desa/admin/app.py` (not a page)    | none             | no     |

The coarse rows (any template or theme file rebuilds every village and the portal) are what the build
does today; a finer graph would change this table and this test together.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import papan_desa.build as B
from papan_desa.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
VILLAGES = ("kaligowong", "sembungan")
ALL = set(VILLAGES)


def _append(rel: str, text: str):
    def change(project: Path, villages: Path, over: dict) -> None:
        base = villages if rel.startswith("villages/") else project
        path = base / rel.removeprefix("villages/")
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return change


def _replace(rel: str, old: str, new: str):
    def change(project: Path, villages: Path, over: dict) -> None:
        base = villages if rel.startswith("villages/") else project
        path = base / rel.removeprefix("villages/")
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def _create(rel: str, text: str):
    def change(project: Path, villages: Path, over: dict) -> None:
        (project / rel).write_text(text, encoding="utf-8")
    return change


def _override(key: str, value):
    def change(project: Path, villages: Path, over: dict) -> None:
        over[key] = value
    return change


# (id, change, villages rebuilt, portal rebuilt)
TABLE = [
    ("nothing", None, set(), False),
    ("village-profile-text", _append("villages/kaligowong/desa.md", "\nSatu kalimat baru.\n"), {"kaligowong"}, False),
    ("village-budget-amount", _replace("villages/kaligowong/apbdes/2025.csv", "Hasil Kios Milik Desa,6893000,", "Hasil Kios Milik Desa,6893500,"),
     {"kaligowong"}, True),
    ("village-news-title", _replace("villages/kaligowong/berita/2025-06-02-posyandu-lansia.md",
                                    "Title: Jadwal Posyandu", "Title: Jadwal Baru Posyandu"), {"kaligowong"}, True),
    ("kabupaten-content", _append("content/pages/tentang.md", "\nSatu kalimat baru.\n"), set(), True),
    ("shared-csv-registry", _append("data/wonosobo-wilayah-2025.csv", "\n"), ALL, True),
    ("shared-csv-allowlist", _create("privasi-izin.csv", "berkas,nilai,alasan\n"), ALL, True),
    ("setting-file", _replace("pelicanconf.py", 'SITENAME = "Papan Desa Kabupaten Wonosobo"',
                              'SITENAME = "Papan Desa Kabupaten Wonosobo."'), ALL, True),
    ("setting-override", _override("PAPAN_TODAY", "2026-01-02"), ALL, True),
    ("template", _append("theme/templates/desa.html", "\n{# diubah #}\n"), ALL, True),
    ("theme-asset", _append("theme/static/css/papan.css", "\n/* diubah */\n"), ALL, True),
    ("reference-data", _append("plugins/papan_desa/apbdes/referensi/akun.csv", "\n"), ALL, True),
    ("code-version", _append("plugins/papan_desa/formatting.py", "\n# diubah\n"), ALL, True),
    ("admin-code", _append("plugins/papan_desa/admin/app.py", "\n# diubah\n"), set(), False),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    top = tmp_path_factory.mktemp("invalidasi")
    proj = top / "proyek"
    shutil.copytree(ROOT, proj, ignore=shutil.ignore_patterns(".venv", "output", ".cache", "node_modules", ".git",
                                                              "villages", "tests", "docs", "__pycache__"))
    villages = top / "villages"
    for slug in VILLAGES:
        shutil.copytree(ROOT / "villages" / slug, villages / slug)
    return top, proj, villages


def _run(top: Path, proj: Path, villages: Path, over: dict, monkeypatch):
    # The code version is the fingerprint of the plugin's folder: here the project copy's.
    monkeypatch.setattr(B, "__file__", str(proj / "plugins" / "papan_desa" / "build.py"))
    overrides = {"PAPAN_POSTER": False, "PAPAN_SEARCH": False, "PAPAN_TODAY": "2026-01-01", **over}
    return build(BuildOptions(root=proj, settings_file=proj / "pelicanconf.py", villages_dir=villages,
                              output_dir=top / "out", cache_dir=top / "cache", jobs=1, overrides=overrides))


def _rebuilt(report) -> tuple[set[str], bool]:
    assert report.ok, (report.failed, report.withheld, report.kabupaten_problems)
    return set(report.built), "portal" in report.stages


@pytest.mark.parametrize("name,change,villages_rebuilt,portal_rebuilt", TABLE, ids=[row[0] for row in TABLE])
def test_each_input_rebuilds_exactly_what_depends_on_it(project, monkeypatch, name, change, villages_rebuilt,
                                                        portal_rebuilt):
    top, proj, villages = project
    _run(top, proj, villages, {}, monkeypatch)                 # the baseline (built once, then unchanged)
    assert _rebuilt(_run(top, proj, villages, {}, monkeypatch)) == (set(), False)
    if change is None:
        return
    saved = {p: p.read_bytes() for p in list(proj.rglob("*")) + list(villages.rglob("*")) if p.is_file()}
    over: dict = {}
    change(proj, villages, over)
    assert _rebuilt(_run(top, proj, villages, over, monkeypatch)) == (villages_rebuilt, portal_rebuilt)
    # Put the input back: the same artefacts are rebuilt again, and then nothing.
    for p in list(proj.rglob("*")) + list(villages.rglob("*")):
        if p.is_file() and p not in saved:
            p.unlink()
    for p, data in saved.items():
        if p.read_bytes() != data:
            p.write_bytes(data)
    assert _rebuilt(_run(top, proj, villages, {}, monkeypatch)) == (villages_rebuilt, portal_rebuilt)
    assert _rebuilt(_run(top, proj, villages, {}, monkeypatch)) == (set(), False)
