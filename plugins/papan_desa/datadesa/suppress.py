"""The small-cell rule: counts that could point at a person are not published.

Primary suppression
    A count of 1 to ``threshold - 1`` people (or households) is shown as
    ``"<5"`` (for the default threshold 5). Zero is shown: it points at nobody.

Secondary suppression
    Tables carry totals (L + P = jumlah per row, the column totals, RT -> dusun
    -> desa). With one hidden cell in a sum whose other terms are shown, the
    hidden value is recovered by subtraction. So more cells are hidden, shown
    as ``"*"`` ("disembunyikan agar angka <5 tidak dapat dihitung"), until

    1. every sum (relation) with a hidden term has at least two hidden terms;
    2. no hidden ``<5`` cell is narrowed by the sums: knowing that ``"<5"``
       cells are 1..4 and ``"*"`` cells are 0 or at least 5, interval
       propagation over all sums still allows every ``<5`` cell any value 1..4;
    3. no hidden cell is determined exactly by all the sums together (checked
       by Gaussian elimination over the rationals on the hidden cells).

    A ``"*"`` may hold any value: in a tiny table where nothing else is left to
    hide, a small cell narrowed by the sums is shown as ``"*"`` instead of
    ``"<5"`` so that no lower bound of 1 can be used against it.

    Secondary cells are picked deterministically: inside the sum that needs
    one, an inner cell before a total, a non-zero cell before a zero, then the
    smallest value, then the first in table order. Village totals are hidden
    only if nothing else is left (tiny tables).

Percentages of hidden cells are hidden with the cell (a percentage times the
total gives the count back). Charts draw hidden cells as empty with their mark.
What this does not guard against: comparing the same table across two dates, and
outside knowledge of a person; the threshold is a policy choice (configurable).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Hashable, Iterable, Sequence

DEFAULT_THRESHOLD = 5
SECONDARY = "*"

Key = Hashable


def primary_mark(threshold: int = DEFAULT_THRESHOLD) -> str:
    return f"<{threshold}"


def suppress(n: int, threshold: int = DEFAULT_THRESHOLD) -> str | int:
    """One count on its own: ``"<5"`` for 1..4, the number otherwise."""
    if threshold > 1 and 0 < n < threshold:
        return primary_mark(threshold)
    return n


@dataclass(frozen=True)
class Relation:
    """``total`` equals the sum of ``parts`` (all keys of the same table)."""
    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def suppress_cells(cells: dict[Key, int], relations: Sequence[Relation], threshold: int = DEFAULT_THRESHOLD,
                   protected: Iterable[Key] = ()) -> dict[Key, str]:
    """Primary and secondary suppression of a table given as cells and sums.

    ``cells`` maps every key (inner cells and totals, in table order) to its
    count. ``protected`` keys (e.g. the village totals) are hidden as secondary
    cells only when no other choice is left. Returns ``{key: mark}`` for every
    hidden cell; all other cells may be shown.
    """
    if threshold <= 1:
        return {}
    order = {k: i for i, k in enumerate(cells)}
    protected = set(protected)
    hidden: dict[Key, str] = {k: primary_mark(threshold) for k, v in cells.items() if 0 < v < threshold}
    if not hidden:
        return {}
    totals = {r.total for r in relations}
    converted: set[Key] = set()

    def pick(rel: Relation) -> Key | None:
        cands = [k for k in rel.members if k not in hidden]
        if not cands:
            return None
        return min(cands, key=lambda k: (k in protected, k == rel.total or k in totals, cells[k] == 0, cells[k], order[k]))

    def hide(rel: Relation) -> bool:
        k = pick(rel)
        if k is None:
            return False
        hidden[k] = SECONDARY
        return True

    changed = True
    while changed:
        changed = False
        # 1. no sum with exactly one hidden term
        for rel in relations:
            if sum(1 for k in rel.members if k in hidden) == 1 and hide(rel):
                changed = True
        if changed:
            continue
        # 2. bounds from the sums must not narrow a "<5" cell
        k = _narrowed(cells, hidden, relations, threshold, order, converted)
        if k is not None:
            for rel in [r for r in relations if k in r.members] + list(relations):
                if any(m in hidden for m in rel.members) and hide(rel):
                    changed = True
                    break
            else:
                # Nothing left to hide (a tiny table): show this small cell as "*" too, which
                # gives a reader no lower bound.
                hidden[k] = SECONDARY
                converted.add(k)
                changed = True
        if changed:
            continue
        # 3. no hidden cell determined by all sums together
        for k in _determined(hidden, relations, order):
            rel = next((r for r in relations if k in r.members and any(m not in hidden for m in r.members)), None)
            if rel is not None and hide(rel):
                changed = True
                break
    return hidden


def _narrowed(cells: dict[Key, int], hidden: dict[Key, str], relations: Sequence[Relation], t: int,
              order: dict[Key, int], converted: set = frozenset()) -> Key | None:
    """The first hidden "<t" cell whose possible values a reader can narrow below 1..t-1, or None.

    Interval propagation over all sums: a reader knows shown values exactly,
    "<t" cells are 1..t-1 and "*" cells are 0 or at least t (we assume the worst:
    that they know which of the two).
    """
    big = sum(cells.values()) + t
    lo: dict[Key, int] = {}
    hi: dict[Key, int] = {}
    for k, v in cells.items():
        if k not in hidden:
            lo[k] = hi[k] = v
        elif k in converted:
            lo[k], hi[k] = 0, big
        elif hidden[k] == SECONDARY:
            lo[k], hi[k] = (0, 0) if v == 0 else (t, big)
        else:
            lo[k], hi[k] = 1, t - 1
    for _ in range(50):
        changed = False
        for rel in relations:
            parts = rel.parts
            slo = sum(lo[p] for p in parts)
            shi = sum(hi[p] for p in parts)
            tot = rel.total
            nlo, nhi = max(lo[tot], slo), min(hi[tot], shi)
            if (nlo, nhi) != (lo[tot], hi[tot]):
                lo[tot], hi[tot] = nlo, nhi
                changed = True
            for p in parts:
                plo = max(lo[p], lo[tot] - (shi - hi[p]))
                phi = min(hi[p], hi[tot] - (slo - lo[p]))
                if (plo, phi) != (lo[p], hi[p]):
                    lo[p], hi[p] = plo, phi
                    changed = True
                    slo = sum(lo[q] for q in parts)
                    shi = sum(hi[q] for q in parts)
        if not changed:
            break
    for k in sorted(hidden, key=lambda k: order[k]):
        if hidden[k] != SECONDARY and (lo[k] > 1 or hi[k] < t - 1):
            return k
    return None


def _determined(hidden: dict[Key, str], relations: Sequence[Relation], order: dict[Key, int]) -> list[Key]:
    """Hidden cells whose value follows exactly from the sums (linear algebra over Q)."""
    keys = sorted(hidden, key=lambda k: order[k])
    idx = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    rows: list[list[Fraction]] = []
    for rel in relations:
        row = [Fraction(0)] * n
        used = False
        if rel.total in idx:
            row[idx[rel.total]] -= 1
            used = True
        for p in rel.parts:
            if p in idx:
                row[idx[p]] += 1
                used = True
        if used:
            rows.append(row)
    # reduced row echelon form
    pivots: list[int] = []
    r = 0
    for c in range(n):
        pr = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pr is None:
            continue
        rows[r], rows[pr] = rows[pr], rows[r]
        pv = rows[r][c]
        rows[r] = [x / pv for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    out = []
    for i, c in enumerate(pivots):
        if all(x == 0 for j, x in enumerate(rows[i]) if j != c):
            out.append(keys[c])
    return out


# ---------------------------------------------------------------------------
# Table shapes used by the data-desa pages
# ---------------------------------------------------------------------------

SEXES = ("L", "P", "T")     # laki-laki, perempuan, jumlah


def crosstab_cells(rows: Sequence[tuple[int, int]]) -> tuple[dict[Key, int], list[Relation], set[Key]]:
    """Cells and sums of a category x sex table with a total row.

    Keys are ``(i, "L"|"P"|"T")`` for row ``i`` and ``("total", …)`` for the totals.
    """
    cells: dict[Key, int] = {}
    for i, (l, p) in enumerate(rows):
        cells[(i, "L")], cells[(i, "P")], cells[(i, "T")] = l, p, l + p
    tl, tp = sum(r[0] for r in rows), sum(r[1] for r in rows)
    cells[("total", "L")], cells[("total", "P")], cells[("total", "T")] = tl, tp, tl + tp
    rels = [Relation((i, "T"), ((i, "L"), (i, "P"))) for i in range(len(rows))]
    for s in SEXES:
        rels.append(Relation(("total", s), tuple((i, s) for i in range(len(rows)))))
    rels.append(Relation(("total", "T"), (("total", "L"), ("total", "P"))))
    return cells, rels, {("total", s) for s in SEXES}


def suppress_crosstab(rows: Sequence[tuple[int, int]], threshold: int = DEFAULT_THRESHOLD) -> dict[Key, str]:
    """Hidden cells of a category x sex table (see :func:`crosstab_cells` for the keys)."""
    cells, rels, protected = crosstab_cells(rows)
    return suppress_cells(cells, rels, threshold, protected)


def apply(cells: dict[Key, int], hidden: dict[Key, str]) -> dict[Key, int | str]:
    """The values to publish: the mark for hidden cells, the count otherwise."""
    return {k: hidden.get(k, v) for k, v in cells.items()}
