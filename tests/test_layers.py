"""The package's layers, read from its source: no import cycles, no import against the layers.

Every `import` and `from … import` statement counts, at module level or inside a function
(a function-level import runs as surely as a top-level one, only later). The layers, from the
bottom up (docs/layout.md):

    errors · data/ · model/ · solve/ · results/ · engine/ · analysis/ · report/ · faces

A module may import its own layer and the layers below it, with these exceptions:
report/ renders what it is given and imports neither the engine, the solver, the model nor
analysis; HiGHS (highspy, pyomo.contrib.solver) is imported only in solve/, Pyomo only in
model/ and solve/, matplotlib only in report/, argparse and tqdm (the console) only in the
faces. Analysis and everything below it never print.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "optimizer"
MAX_LINES = 450

#: layer of each top-level part of the package; higher numbers sit above lower ones
LAYERS = {
    "errors": 0,
    "version": 0,
    "data": 1,
    "model": 2,
    "solve": 3,
    "results": 4,
    "engine": 5,
    "analysis": 6,
    "report": 7,
    # the faces
    "api": 8,
    "cli": 8,
    "server": 8,
    "__init__": 8,
    "__main__": 8,
}
#: parts a layer may not import although they sit below it
FORBIDDEN_PARTS = {"report": {"engine", "solve", "model", "analysis"}}
#: third-party (or standard) modules and the parts allowed to import them
ONLY_IN = {
    "highspy": {"solve"},
    "pyomo.contrib.solver": {"solve"},
    "pyomo.contrib.appsi": {"solve"},
    "pyomo": {"model", "solve"},
    "matplotlib": {"report"},
    "argparse": {"cli", "server", "__main__"},
    "tqdm": {"api", "cli", "server"},
    "fastapi": {"server"},
    "starlette": {"server"},
    "uvicorn": {"server"},
}
QUIET = {"errors", "data", "model", "solve", "results", "engine", "analysis"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part_of(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _absolute(mod: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(mod: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement of a module, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(mod, path, node)
            for a in node.names:
                # `from . import x` or `from .pkg import sub` imports a module when one exists
                sub = f"{target}.{a.name}"
                found.append((sub if sub in known else target, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    g: dict[str, set[str]] = defaultdict(set)
    for mod, path in mods.items():
        for target, _ in imports(mod, path, known):
            if target in known and target != mod:
                g[mod].add(target)
    return g


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(set(g) | {w for ws in g.values() for w in ws}):
        if v not in index:
            visit(v)
    return out


def breaches() -> list[str]:
    mods = modules()
    known = set(mods)
    found = []
    for mod, path in mods.items():
        part = part_of(mod)
        assert part in LAYERS, f"{mod}: a part of the package with no layer in tests/test_layers.py"
        for target, line in imports(mod, path, known):
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            if target.startswith("optimizer.") or target == "optimizer":
                tpart = part_of(target) if target in known or "." in target else "__init__"
                if tpart == part:
                    continue
                if LAYERS.get(tpart, 99) > LAYERS[part]:
                    found.append(f"{where}: {part} imports {target}, a layer above it")
                elif tpart in FORBIDDEN_PARTS.get(part, ()):
                    found.append(f"{where}: {part} may not import {target}")
                continue
            for name, allowed in ONLY_IN.items():
                if (target == name or target.startswith(name + ".")) and part not in allowed:
                    found.append(f"{where}: {part} imports {target} (only {', '.join(sorted(allowed))} may)")
                    break
    return found


def prints() -> list[str]:
    found = []
    for mod, path in modules().items():
        if part_of(mod) not in QUIET:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: print() below the faces")
            if isinstance(node, ast.Attribute) and node.attr in {"stdout", "stderr"}:
                if isinstance(node.value, ast.Name) and node.value.id == "sys":
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: sys.{node.attr} below the faces")
    return found


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_imports_follow_the_layers():
    assert breaches() == []


def test_nothing_below_the_faces_prints():
    assert prints() == []


def test_modules_stay_small():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_module_says_what_it_is_for():
    missing = [
        m
        for m, p in modules().items()
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


# -- the checker itself must be able to fail -------------------------------------------------


def test_the_checker_sees_a_cycle_and_a_breach(tmp_path, monkeypatch):
    pkg = tmp_path / "optimizer"
    (pkg / "analysis").mkdir(parents=True)
    (pkg / "data").mkdir()
    (pkg / "__init__.py").write_text('"""x"""\n')
    (pkg / "analysis" / "__init__.py").write_text('"""x"""\n')
    (pkg / "data" / "__init__.py").write_text('"""x"""\n')
    # a function-level import of matplotlib in analysis, and data importing analysis
    (pkg / "analysis" / "a.py").write_text(
        '"""x"""\ndef f():\n    import matplotlib.pyplot\n    from ..data import b\n'
    )
    (pkg / "data" / "b.py").write_text('"""x"""\nfrom ..analysis.a import f\nprint(1)\n')
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert cycles(graph()) == [["optimizer.analysis.a", "optimizer.data.b"]]
    found = breaches()
    assert any("analysis imports matplotlib.pyplot" in b for b in found)
    assert any("data imports optimizer.analysis.a, a layer above it" in b for b in found)
    assert prints() == ["optimizer/data/b.py:3: print() below the faces"]


if __name__ == "__main__":  # a readable list while refactoring: python tests/test_layers.py
    for c in cycles(graph()):
        print("cycle:", " -> ".join(c))
    for b in breaches() + prints():
        print(b)
    pytest.main([__file__, "-q"])
