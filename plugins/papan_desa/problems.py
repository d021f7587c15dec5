"""Problems found in village input, reported to village admins in Indonesian.

Every message names the file, line and column, what was expected and what was
found. Errors stop a village (or one of its datasets) from being published;
warnings are shown but do not stop the build.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

GALAT = "galat"          # error: the village is not published with this input
PERINGATAN = "peringatan"  # warning: shown, the build goes on


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int = 0
    column: int = 0
    message: str = ""
    level: str = GALAT

    @property
    def is_error(self) -> bool:
        return self.level == GALAT

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.level}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column,
                "message": self.message, "level": self.level}

    @classmethod
    def from_dict(cls, d: dict) -> "Problem":
        return cls(d["file"], d.get("line", 0), d.get("column", 0), d["message"], d.get("level", GALAT))


@dataclass
class Problems:
    """Collects problems for one input; `rel` turns paths into repo-relative names."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def name(self, path: Path | str) -> str:
        p = Path(path)
        if self.root is not None:
            try:
                return p.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def error(self, path, line: int, column: int, message: str) -> None:
        self.items.append(Problem(self.name(path), line, column, message, GALAT))

    def warning(self, path, line: int, column: int, message: str) -> None:
        self.items.append(Problem(self.name(path), line, column, message, PERINGATAN))

    def extend(self, other: "Problems | list[Problem]") -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def __bool__(self) -> bool:  # true when there is at least one error
        return any(p.is_error for p in self.items)


def expected_found(expected: str, found: str) -> str:
    """The standard tail of a message: what was expected and what was found."""
    shown = "(kosong)" if found.strip() == "" else f'"{found}"'
    return f"diharapkan {expected}, ditemukan {shown}"


def withheld_summary(years: int, files: int) -> str:
    """The build summary's words for withheld input: "1 tahun ditahan, 2 berkas ditahan" (a budget
    year is one unit however many of its files were refused); empty when nothing was withheld."""
    parts = [f"{years} tahun ditahan"] if years else []
    if files:
        parts.append(f"{files} berkas ditahan")
    return ", ".join(parts)


def withheld_lines(slug: str, errors: list[Problem], files: dict[str, str | None]) -> list[str]:
    """The build report for one village's withheld files: each error (file, line, column), then what
    the site shows instead of each withheld file."""
    out = [f"  {slug}:"] + [f"    {p}" for p in errors]
    for rel, tanggal in sorted(files.items()):
        instead = f"versi terakhir yang sah ({tanggal}) tetap terbit" if tanggal else "belum terbit"
        out.append(f"    ditahan: {rel}; {instead}")
    return out
