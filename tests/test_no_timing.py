"""Tests never depend on the machine's speed: no Hypothesis test runs under its default deadline.

Hypothesis fails an example that takes longer than 200 ms by default; on a shared, loaded machine a
test that parses a picture, a PDF or a workbook (or only compiles a regular expression the first time)
takes longer now and then, and fails for no fault of the code. Speed is measured in scripts/bench.py."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _name(node: ast.expr) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _without_deadline(source: str) -> list[str]:
    found = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        names = [_name(d) for d in fn.decorator_list]
        if "given" not in names:
            continue
        ok = any(_name(d) == "settings" and isinstance(d, ast.Call)
                 and any(k.arg == "deadline" and isinstance(k.value, ast.Constant) and k.value.value is None
                         for k in d.keywords)
                 for d in fn.decorator_list)
        if not ok:
            found.append(fn.name)
    return found


def test_the_checker_finds_a_hypothesis_test_with_the_default_deadline():
    src = ("from hypothesis import given, settings\n"
           "@settings(max_examples=5)\n@given(1)\ndef test_a(x): pass\n"
           "@given(1)\ndef test_b(x): pass\n"
           "@settings(deadline=None)\n@given(1)\ndef test_c(x): pass\n")
    assert _without_deadline(src) == ["test_a", "test_b"]


def test_no_hypothesis_test_has_a_deadline():
    late = {f"{p.name}::{name}" for p in sorted(TESTS.glob("*.py")) for name in _without_deadline(p.read_text())}
    assert not late, f"set @settings(deadline=None) on: {sorted(late)}"
