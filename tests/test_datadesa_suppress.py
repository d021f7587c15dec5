"""The small-cell rule: "<5" for 1..4, and enough further cells hidden that no "<5" can be recovered by subtraction."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from papan_desa.datadesa.suppress import (SECONDARY, Relation, crosstab_cells, suppress, suppress_cells,
                                          suppress_crosstab)


def test_suppress_single_count():
    assert suppress(0) == 0
    assert [suppress(n) for n in (1, 2, 3, 4)] == ["<5"] * 4
    assert suppress(5) == 5 and suppress(1234) == 1234
    assert suppress(9, threshold=10) == "<10" and suppress(10, threshold=10) == 10
    assert suppress(1, threshold=1) == 1          # threshold 1 switches the rule off


def test_no_small_cells_hides_nothing():
    assert suppress_crosstab([(7, 8), (9, 6), (0, 12)]) == {}


def test_one_small_cell_hides_a_partner_in_its_row_and_column():
    # KRISTEN 3 men, 2 women: both "<5"; the row total 5 may be shown; ISLAM men and women hide with them.
    hidden = suppress_crosstab([(122, 121), (3, 2)])
    assert hidden == {(1, "L"): "<5", (1, "P"): "<5", (0, "L"): SECONDARY, (0, "P"): SECONDARY}


def test_hand_checked_secondary_choice():
    # row 0: 3 men (small) and 40 women; the smallest partner in the men's column is row 2 (20 men),
    # which in turn needs a partner in its row: 12 women.
    hidden = suppress_crosstab([(3, 40), (50, 60), (20, 12), (100, 90)])
    assert hidden == {(0, "L"): "<5", (0, "P"): SECONDARY, (2, "L"): SECONDARY, (2, "P"): SECONDARY}


def test_zero_is_shown_and_row_total_hidden_when_small():
    hidden = suppress_crosstab([(0, 2), (50, 60), (20, 12), (100, 90)])
    assert (0, "L") not in hidden
    assert hidden[(0, "P")] == "<5" and hidden[(0, "T")] == "<5"


def test_one_sum_must_not_pin_down_a_small_cell():
    # 1 + 5 = 6 in a sum: with "*" known to be 0 or >= 5 the "<5" would have to be 1, so a third cell is hidden.
    cells = {"a": 1, "b": 5, "c": 30, "t": 36}
    hidden = suppress_cells(cells, [Relation("t", ("a", "b", "c"))])
    assert hidden == {"a": "<5", "b": SECONDARY, "c": SECONDARY}


# --- brute force: can a reader recover a hidden "<5" from the published table? -----------------------------


def feasible_values(rows, hidden, t=5):
    """All values each hidden small inner cell can take given everything published (exhaustive search).

    Rows are combined by dynamic programming over the column sums (forward and
    backward), so the search is exact and fast. When the grand total itself is
    hidden as "*", values are capped at 20: a smaller search space can only give
    fewer feasible values, so passing with the cap implies passing without it.
    """
    cells, rels, _ = crosstab_cells(rows)
    if ("total", "T") not in hidden:
        bound = cells[("total", "T")]
    elif hidden[("total", "T")] != SECONDARY:
        bound = t - 1                       # "<5": the reader knows it is at most 4
    else:
        bound = 20

    def allowed(key, value):
        if key not in hidden:
            return value == cells[key]
        if hidden[key] == SECONDARY:
            if 0 < cells[key] < t:          # a small cell shown as "*" in a tiny table: any value
                return value <= bound
            return value == 0 or t <= value <= bound
        return 1 <= value < t

    options = [[(l, p) for l in range(bound + 1) if allowed((i, "L"), l)
                for p in range(bound + 1 - l) if allowed((i, "P"), p) and allowed((i, "T"), l + p)]
               for i in range(len(rows))]
    n = len(rows)
    forward = [{(0, 0)}]
    for i in range(n):
        forward.append({(a + l, b + p) for a, b in forward[-1] for l, p in options[i] if a + l + b + p <= bound})
    backward = [set() for _ in range(n + 1)]
    backward[n] = {(0, 0)}
    for i in range(n - 1, -1, -1):
        backward[i] = {(a + l, b + p) for a, b in backward[i + 1] for l, p in options[i] if a + l + b + p <= bound}

    def final_ok(sl, sp):
        return allowed(("total", "L"), sl) and allowed(("total", "P"), sp) and allowed(("total", "T"), sl + sp)

    valid = {(sl, sp) for sl in range(bound + 1) for sp in range(bound + 1 - sl) if final_ok(sl, sp)}
    through = [{(fa + ba, fb + bb) for fa, fb in forward[i] for ba, bb in backward[i + 1]} for i in range(n)]
    seen = {k: set() for k in hidden if 0 < cells[k] < t and k[0] != "total"}
    for i in range(n):
        for l, p in options[i]:
            if any((x + l, y + p) in valid for x, y in through[i]):
                for s, v in (("L", l), ("P", p), ("T", l + p)):
                    if (i, s) in seen:
                        seen[(i, s)].add(v)
    return seen


def test_brute_force_hand_tables():
    for rows in ([(122, 121), (3, 2)], [(3, 40), (50, 60), (20, 12), (10, 9)], [(1, 9), (9, 1)], [(4, 4), (6, 7), (1, 0)]):
        hidden = suppress_crosstab(rows)
        for key, values in feasible_values(rows, hidden).items():
            assert len(values) >= 2, (rows, key, values)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=2, max_size=3))
def test_no_small_cell_can_be_recovered(rows):
    hidden = suppress_crosstab(rows)
    cells, rels, _ = crosstab_cells(rows)
    # every 1..4 is hidden ("<5", or "*" in a tiny table); nothing else is marked "<5"
    for k, v in cells.items():
        assert (k in hidden) if 0 < v < 5 else hidden.get(k) != "<5"
    # every sum with a hidden term has at least two
    for r in rels:
        assert sum(m in hidden for m in r.members) != 1
    # and the published numbers leave every hidden "<5" at least two possible values
    for key, values in feasible_values(rows, hidden).items():
        assert len(values) >= 2, (rows, hidden, key, values)


def test_tiny_table_all_ones_is_not_recoverable():
    # 4 people, one per cell: "<5" everywhere would force every cell to be 1.
    rows = [(1, 1), (1, 1)]
    hidden = suppress_crosstab(rows)
    assert set(hidden) == set(crosstab_cells(rows)[0])
    assert SECONDARY in hidden.values()
    for key, values in feasible_values(rows, hidden).items():
        assert len(values) >= 2


def test_deterministic():
    rows = [(3, 40), (50, 60), (20, 12), (100, 90), (2, 2), (0, 1)]
    assert suppress_crosstab(rows) == suppress_crosstab(list(rows))
    assert list(suppress_crosstab(rows)) == list(suppress_crosstab(rows))
