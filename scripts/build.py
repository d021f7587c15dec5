#!/usr/bin/env python3
"""Build every village site and the portal: `python scripts/build.py [--villages DIR] [--output DIR] [--check]`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
from papan_desa.cli import main  # noqa: E402

sys.exit(main(["build", *sys.argv[1:]]))
