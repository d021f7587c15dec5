"""The bundled sample villages agree with themselves across pages (a resident compares them)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from papan_desa.apbdes import load_village_apbdes
from papan_desa.datadesa import load_village_datadesa
from papan_desa.problems import Problems

ROOT = Path(__file__).resolve().parents[1]
VILLAGES = sorted(d for d in (ROOT / "villages").iterdir() if (d / "desa.md").is_file())
BUDGETED = [d for d in VILLAGES if (d / "apbdes").is_dir()]


@pytest.mark.parametrize("village", BUDGETED, ids=lambda d: d.name)
def test_blt_recipients_in_the_budget_match_the_social_aid_table(village):
    """'BLT Desa N KPM' in the newest budget is the number of BLT families on the social-aid page."""
    years = load_village_apbdes(village, Problems())
    newest = years[-1]
    kpm = [int(m.group(1)) for b in newest.baris if (m := re.search(r"BLT Desa (\d+) KPM", b.uraian))]
    dd = load_village_datadesa(village, Problems())
    blt = sum(b.jumlah_kk for b in dd.bansos if b.program == "BLT Desa")
    assert kpm and blt, f"{village.name}: BLT Desa tidak ada di APBDes {newest.tahun} atau bansos.csv"
    assert sum(kpm) == blt, f"{village.name}: APBDes {newest.tahun} {sum(kpm)} KPM, bansos.csv {blt} keluarga"


@pytest.mark.parametrize("village", BUDGETED, ids=lambda d: d.name)
def test_every_kegiatan_of_the_samples_has_a_name(village):
    """No sample kegiatan falls back to its lines' names: the reference or kegiatan.csv names each."""
    from papan_desa.apbdes.pages import _load

    problems = Problems()
    _load(village, problems)
    unnamed = [str(p) for p in problems.warnings if "tidak ada dalam referensi" in str(p)]
    assert not unnamed, "\n".join(unnamed)
