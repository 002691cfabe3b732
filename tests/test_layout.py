"""The package layout: no import cycles, no reaching into another package's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "retainlib"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
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

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_not_even_inside_functions():
    graph = grimp.build_graph("retainlib")  # grimp sees function-level imports too
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert _cycles(edges) == []


def _package(module: str) -> str:
    """The subpackage a module belongs to ('retainlib.load' for 'retainlib.load._rows')."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 or (PACKAGE / parts[-1]).is_dir() else parts[0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_from_another_package(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    mine = _package(module)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("retainlib."):
            target = node.module
            if _package(target) == mine:
                continue
            # private modules of a subpackage are its own; retainlib._format and the other
            # helpers at the top are shared by every layer
            inner = target.split(".")[2:]
            assert not any(p.startswith("_") for p in inner), \
                f"{module} imports the private module {target}"
            private_names = [a.name for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
            assert not private_names, f"{module} imports {private_names} from {target}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_is_for(module):
    doc = ast.get_docstring(ast.parse(MODULES[module].read_text(encoding="utf-8")))
    assert doc and len(doc.splitlines()[0]) > 10, f"{module} has no first docstring line"
