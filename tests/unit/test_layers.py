"""The layer rule of the design: forms <- fieldkit <- sync <- ui, and only ui loads Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
for package in ("forms", "fieldkit", "sync"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if not info.name.endswith(".__main__"):
            importlib.import_module(info.name)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "ui"))
print(",".join(loaded))
"""


def test_the_core_layers_never_load_qt_or_the_ui() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(linter), "--no-cache"], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken" in done.stdout
    # The only exception anywhere is the command line's way into the app.
    assert done.stdout.count("ignored import") == 1


LAYERS = ("forms", "fieldkit", "sync", "ui", "fieldkit.cli")
"""Lowest first: each layer may import only the layers listed before it (and itself)."""


def _layer(module: str) -> int:
    for rank in range(len(LAYERS) - 1, -1, -1):
        name = LAYERS[rank]
        if module == name or module.startswith(name + "."):
            return rank
    raise AssertionError(f"{module} is in no layer")


def _graph():  # type: ignore[no-untyped-def]
    import grimp

    return grimp.build_graph("forms", "fieldkit", "sync", "ui", cache_dir=None)


def test_every_import_points_down_the_layers() -> None:
    graph = _graph()
    upward = []
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if _layer(imported) > _layer(module):
                upward.append(f"{module} -> {imported}")
    # The command line sits on top, so its one import of the app is downward: no exceptions.
    assert upward == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    modules = sorted(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in modules}
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    assert cycles == []
