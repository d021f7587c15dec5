"""Shared helpers for the data-desa tests: copy the good fixture village and edit one file."""
from __future__ import annotations

import shutil
from pathlib import Path

from papan_desa.problems import Problems

FIXTURES = Path(__file__).parent / "fixtures" / "datadesa"


def village(tmp_path: Path, name: str = "baik") -> Path:
    dest = tmp_path / name
    shutil.copytree(FIXTURES / name, dest)
    return dest


def write(village_dir: Path, rel: str, text: str) -> Path:
    p = village_dir / "data-desa" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def messages(problems: Problems, level: str | None = None) -> list[str]:
    return [str(p) for p in problems.items if level is None or p.level == level]
