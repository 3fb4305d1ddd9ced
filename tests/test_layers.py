"""The house has floors (docs/architecture.md): each package imports only the packages below it, never one
beside or above it, and no files import each other in a circle. Read from the source, so that an import
inside a function counts as much as one at the top."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "perfnlp"

# floor of each top-level part of the package; a part may import parts of a lower floor and itself
FLOORS: dict[str, int] = {
    "_version": 0, "text": 0,
    "reading": 1,
    "statements": 2, "documents": 2,
    "judging": 3,
    "reports": 4,
    "views": 5,
    "cli": 6, "evaluate": 6, "schema": 6, "__init__": 6, "__main__": 7,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every perfnlp module the file imports, as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("perfnlp"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("perfnlp"):
                continue
            for alias in node.names:  # from . import numerals: the name may be a module itself
                candidate = f"{module}.{alias.name}"
                found.add(candidate if _exists(candidate) else module)
    return found


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


FILES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_has_a_floor():
    assert {_part(_module_name(f)) for f in FILES} <= set(FLOORS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down(path: Path):
    here = _module_name(path)
    mine = _part(here)
    for imported in _imports(path):
        theirs = _part(imported)
        if theirs == mine:
            continue
        assert FLOORS[theirs] < FLOORS[mine], f"{here} (floor {FLOORS[mine]}) imports {imported} (floor {FLOORS[theirs]})"


def test_no_circle_of_files():
    graph = {_module_name(f): {m for m in _imports(f) if m != _module_name(f)} for f in FILES}
    # a package's __init__ that only hands names on is not a room of its own: drop the edges to parents
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> None:
        if node in stack:
            circle = stack[stack.index(node):] + [node]
            raise AssertionError("import circle: " + " -> ".join(circle))
        if node in done:
            return
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt.startswith(node + "."):
                continue  # a package importing its own modules
            visit(nxt)
        stack.pop()
        done.add(node)

    for node in graph:
        visit(node)
