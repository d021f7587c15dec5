"""The package's import graph has no cycle, and the build's lists are filled only from the table in
``papan_desa.data_kinds`` (no module registers itself by being imported).

The graph is read with ``ast`` from the source, imports inside functions included: a lazy import that
closes a cycle is still a cycle (it hides an order dependency until the first call).
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
PKG = PLUGINS / "papan_desa"

# Lazy imports that still close a cycle, each in code owned elsewhere; the list may only shrink.
# (importer, imported): the import is inside a function of the importer.
KNOWN_LAZY_CYCLES = {
    ("papan_desa.datadesa.load", "papan_desa.datadesa.checks"),  # checks reads load's dataclasses
}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = list(p.relative_to(PLUGINS).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


def _imported(mod: str, is_pkg: bool, node: ast.AST, mods: dict) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = mod.split(".") if is_pkg else mod.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)] + (node.module.split(".") if node.module else [])
        else:
            base = node.module.split(".")
        b = ".".join(base)
        names = [f"{b}.{a.name}" if f"{b}.{a.name}" in mods else b for a in node.names]
    out = []
    for n in names:
        while n not in mods and "." in n:
            n = n.rsplit(".", 1)[0]
        if n in mods and n != mod:
            out.append(n)
    return out


def import_graph() -> dict[str, dict[str, bool]]:
    """module -> {imported module: imported at module level (True) or only inside a function (False)}."""
    mods = _modules()
    graph: dict[str, dict[str, bool]] = {m: {} for m in mods}
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        top = {id(n) for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               for n in ast.walk(s)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for t in _imported(mod, path.name == "__init__.py", node, mods):
                    graph[mod][t] = graph[mod].get(t, False) or id(node) in top
    return graph


def cycles(graph: dict[str, dict[str, bool]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    # A deep graph needs a deeper stack; the limit is put back, since later tests in this process
    # rely on it (Markdown's nested blockquotes stop at the default limit: test_sanitize).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10000))
    try:
        for v in graph:
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return out


def test_the_checker_finds_a_cycle():
    g = {"a": {"b": True}, "b": {"c": False}, "c": {"a": False}, "d": {"a": True}}
    assert cycles(g) == [["a", "b", "c"]]
    assert cycles({"a": {"b": True}, "b": {}}) == []


def test_the_graph_sees_relative_and_lazy_imports():
    g = import_graph()
    assert g["papan_desa.demo"]["papan_desa.data_kinds"] is True
    assert g["papan_desa.data_kinds"]["papan_desa.apbdes.pages"] is True
    assert g["papan_desa.apbdes.pages"]["papan_desa.apbdes.poster"] is False      # drawn lazily
    assert g["papan_desa.apbdes.poster"]["papan_desa.apbdes.poster_cache"] is True


def test_no_import_cycle():
    g = import_graph()
    for a, b in KNOWN_LAZY_CYCLES:
        if b in g.get(a, {}):
            assert g[a][b] is False, f"{a} imports {b} at module level"
            del g[a][b]
    assert cycles(g) == []


@pytest.mark.parametrize("pair", [("papan_desa.apbdes.poster_cache", "papan_desa.apbdes.poster"),
                                  ("papan_desa.apbdes.pages", "papan_desa.demo"),
                                  ("papan_desa.docs", "papan_desa.data_kinds")])
def test_a_cycle_coming_back_fails(pair):
    """Adding back one of the imports that formed the old cycles makes the check fail."""
    g = import_graph()
    for a, b in KNOWN_LAZY_CYCLES:
        g[a].pop(b, None)
    a, b = pair
    g[a][b] = False
    g["papan_desa.demo"]["papan_desa.data_kinds"] = True
    g["papan_desa.data_kinds"]["papan_desa.docs"] = False
    assert cycles(g)


REGISTRIES = """
import json, sys
sys.path.insert(0, sys.argv[1])
from papan_desa import pages, portal, village
for m in sys.argv[2:]:
    __import__(m)
def n(f): return f"{f.__module__}.{f.__qualname__}"
print(json.dumps({"KINDS": {k: n(f) for k, f in village.KINDS.items()}, "BUILDERS": [n(f) for f in pages.BUILDERS],
                  "FINISHERS": [n(f) for f in pages.FINISHERS], "PORTAL_BUILDERS": [n(f) for f in portal.PORTAL_BUILDERS],
                  "SITE_STEPS": [[n(f), getattr(f, "_papan_background", False)] for f in pages.SITE_STEPS]}))
"""

DATA_MODULES = ["papan_desa.apbdes.pages", "papan_desa.publikasi.pages", "papan_desa.publikasi.load",
                "papan_desa.publikasi.demo", "papan_desa.datadesa.pages", "papan_desa.opendata",
                "papan_desa.portal_pages", "papan_desa.search", "papan_desa.audit_pages", "papan_desa.demo"]


def _registries(*modules: str) -> dict:
    out = subprocess.run([sys.executable, "-c", REGISTRIES, str(PLUGINS), *modules],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_importing_a_data_module_registers_nothing():
    """In a fresh interpreter, every data module imported without the table leaves the lists empty."""
    assert _registries(*[m for m in DATA_MODULES if m != "papan_desa.demo"]) == {
        "KINDS": {}, "BUILDERS": [], "FINISHERS": [], "PORTAL_BUILDERS": [], "SITE_STEPS": []}


def test_the_lists_are_the_table_in_its_order():
    from papan_desa import data_kinds

    def n(f):
        return f"{f.__module__}.{f.__qualname__}"
    got = _registries("papan_desa.data_kinds")
    assert got == {
        "KINDS": {k: n(f) for k, f in data_kinds.KINDS.items()},
        "BUILDERS": [n(f) for f in data_kinds.BUILDERS],
        "FINISHERS": [n(f) for f in data_kinds.FINISHERS],
        "PORTAL_BUILDERS": [n(f) for f in data_kinds.PORTAL_BUILDERS],
        "SITE_STEPS": [[n(f), bg] for f, bg in data_kinds.SITE_STEPS]}
    assert list(got["KINDS"]) == ["apbdes", "publikasi", "datadesa"]
    assert got["BUILDERS"][0] == "papan_desa.pages.home"
    assert _registries("papan_desa.data_kinds", "papan_desa.build", "papan_desa.demo") == got

    from papan_desa import pages, portal, village
    data_kinds.register()       # registering again changes nothing
    assert pages.BUILDERS == data_kinds.BUILDERS and portal.PORTAL_BUILDERS == data_kinds.PORTAL_BUILDERS
    assert len(pages.SITE_STEPS) == len(data_kinds.SITE_STEPS) and village.KINDS == data_kinds.KINDS
