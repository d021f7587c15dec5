"""Shared fixtures: the whole-site build, a local web server for it, Chromium for Playwright."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import CHROMIUM, ROOT, build_site, copy_villages, fixture_village, registry, serve

__all__ = ["ROOT"]


@dataclass
class SiteBuild:
    """The site built once per test session from the bundled villages plus two test villages."""
    output: Path
    villages: Path
    report: object                                   # papan_desa.build.BuildReport
    slugs: list[str] = field(default_factory=list)   # every village folder built
    contoh: list[str] = field(default_factory=list)  # villages marked "Contoh: ya"
    real: list[str] = field(default_factory=list)    # villages not marked as sample data
    unpublished: object = None                       # a registry Wilayah that has no folder


def _spare_villages(villages: Path, n: int):
    """Registry villages (jenis desa) that have no folder among the bundled ones, in code order."""
    from papan_desa.village import peek_kode
    used_codes = {(peek_kode(d) or (None,))[0] for d in villages.iterdir() if d.is_dir()}
    used_slugs = {d.name for d in villages.iterdir()}
    spare = [w for w in sorted(registry().villages.values(), key=lambda w: w.kode)
             if w.jenis == "desa" and w.kode not in used_codes and w.slug not in used_slugs]
    return spare[:n]


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> SiteBuild:
    """Build villages/ plus a generated demo village (every data kind the demo generator knows)
    and a non-sample fixture village with news, categories and an extra page."""
    import random

    from papan_desa.demo import write_village
    from papan_desa.problems import Problems
    from papan_desa.profil import load_profil

    top = tmp_path_factory.mktemp("situs")
    villages = copy_villages(top / "villages")
    # The bundled villages agree with themselves (tests/test_sample_data.py); the audit page needs one
    # disagreement to show: Dieng's aid data lists 27 BLT Desa families, its budget pays 25.
    bansos = villages / "dieng" / "data-desa" / "bansos.csv"
    bansos.write_text(bansos.read_text(encoding="utf-8").replace("BLT Desa,Krajan,5,", "BLT Desa,Krajan,6,")
                      .replace("BLT Desa,Karangsari,13,", "BLT Desa,Karangsari,14,"), encoding="utf-8")
    demo_w, fixture_w, unpublished = _spare_villages(villages, 3)
    write_village(villages / demo_w.slug, demo_w, random.Random(f"uji-{demo_w.kode}"), news=3)
    fixture_village(villages, fixture_w.slug, Contoh="tidak", Email=f"pemdes@{fixture_w.slug}.contoh.id",
                    Telepon="0286 321123", news=2, pages={"uji-halaman-tambahan": "Halaman tambahan buatan desa sendiri."})
    report = build_site(villages, top / "output", top / "cache")
    problems = {slug: [str(p) for p in probs] for slug, probs in report.failed.items()}
    assert report.ok, f"pembangunan situs uji gagal: {problems} {[str(p) for p in report.kabupaten_problems]}"
    slugs = sorted(d.name for d in villages.iterdir() if d.is_dir() and not d.name.startswith((".", "_")))
    contoh = [s for s in slugs if load_profil(villages / s, None, Problems()).contoh]
    return SiteBuild(top / "output", villages, report, slugs, contoh,
                     [s for s in slugs if s not in contoh], unpublished)


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    """The output folder of the session's whole-site build (see ``site_build``)."""
    return site_build.output


@pytest.fixture(scope="session")
def site_server(built_site) -> str:
    """Base URL (no trailing slash) of the built site served on 127.0.0.1."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Chromium from the system package manager; Playwright never downloads a browser here."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}
