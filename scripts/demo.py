#!/usr/bin/env python3
"""Generate a synthetic kabupaten: `python scripts/demo.py --villages N --output DIR [--seed S]`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
from papan_desa.cli import main  # noqa: E402

sys.exit(main(["demo", *sys.argv[1:]]))
