"""The Permendagri 20/2018 reference: account codes, bidang/sub bidang/kegiatan, sumber dana.

The data lives in ``referensi/*.csv`` (see ``referensi/README.md`` for sources).
Codes are normalised here: spaces and the trailing dot Siskeudes prints are dropped
(``4.2.1.01.`` -> ``4.2.1.01``, ``[01.01.01]`` -> ``01.01.01``).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REF_DIR = Path(__file__).with_name("referensi")

BAGIAN = {"4": "pendapatan", "5": "belanja", "6": "pembiayaan"}

# 4 / 4.1 / 4.1.2 / 4.1.2.07
AKUN_RE = re.compile(r"^[4-6](?:\.\d(?:\.\d(?:\.\d{2})?)?)?$")
# 01 / 01.01 / 01.01.01
KEGIATAN_RE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2})?)?$")
OLD_SCHEME_RE = re.compile(r"^[1-3](?:\.\d+)*$")

LEVEL_AKUN = {1: "akun", 2: "kelompok", 3: "jenis", 4: "objek"}
LEVEL_KEGIATAN = {1: "bidang", 2: "sub_bidang", 3: "kegiatan"}


def clean_code(raw: str) -> str:
    """Drop spaces, brackets and trailing dots: ' 4.2.1.01. ' -> '4.2.1.01', '[01.01.01]' -> '01.01.01'."""
    s = (raw or "").strip().replace(" ", "")
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1]
    return s.rstrip(".")


def level(code: str) -> int:
    return 0 if code == "" else code.count(".") + 1


def ancestors(code: str) -> list[str]:
    """'4.2.1.01' -> ['4', '4.2', '4.2.1', '4.2.1.01'] (the code itself last)."""
    if not code:
        return []
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def is_under(code: str, parent: str) -> bool:
    """True when `code` equals `parent` or lies below it (segment-wise)."""
    return parent == "" or code == parent or code.startswith(parent + ".")


def _read(name: str) -> dict[str, str]:
    with (REF_DIR / name).open(encoding="utf-8", newline="") as fh:
        return {row["kode"].strip(): row["nama"].strip() for row in csv.DictReader(fh)}


@dataclass(frozen=True)
class Reference:
    akun: dict[str, str]
    bidang: dict[str, str]
    sumber_dana: dict[str, str]

    def nama_akun(self, code: str) -> str | None:
        return self.akun.get(code)

    def nama_kegiatan(self, code: str) -> str | None:
        return self.bidang.get(code)

    def known_parent_akun(self, code: str) -> bool:
        """An account code is accepted when it is listed, or it is an objek under a listed jenis."""
        if code in self.akun:
            return True
        return level(code) == 4 and code.rsplit(".", 1)[0] in self.akun

    def known_parent_kegiatan(self, code: str) -> bool:
        """A kegiatan code is accepted when listed, or it is a kegiatan under a listed sub bidang."""
        if code in self.bidang:
            return True
        return level(code) == 3 and code.rsplit(".", 1)[0] in self.bidang

    def sumber_dana_code(self, raw: str) -> str | None:
        """'dds' / 'Dana Desa' -> 'DDS'; unknown -> None."""
        s = raw.strip()
        for code, name in self.sumber_dana.items():
            if s.upper() == code or s.lower() == name.lower():
                return code
        return None

    @property
    def bidang_utama(self) -> dict[str, str]:
        return {k: v for k, v in self.bidang.items() if level(k) == 1}


@lru_cache(maxsize=1)
def reference() -> Reference:
    return Reference(_read("akun.csv"), _read("bidang.csv"), _read("sumber_dana.csv"))
