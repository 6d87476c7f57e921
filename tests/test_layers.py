"""Import arrows: data flows one way (geometry -> operators -> theorems/proof -> render -> cli).

Read from the source with ``ast`` (nothing is imported): every ``import`` of a symconv
module, at the top of a file or inside a function.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symconv"

#: The ground floor: integer arithmetic, operators, the oracle, the data model.
BOTTOM = ("errors", "validation", "limits", "geometry", "sparse", "operators", "numeric",
          "proof", "grammar")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported symconv module, whether the import is inside a function) of one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] \
                if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = [f"{target}.{a.name}" for a in node.names] if node.module is None \
                else [target]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [(name, id(node) not in top) for name in names if name.startswith("symconv")]
    return found


def _bottom_imports(name: str) -> list[tuple[str, bool]]:
    """:func:`_imports` of the module ``name``, or of every file of the package ``name``."""
    module = PACKAGE / f"{name}.py"
    paths = [module] if module.exists() else sorted((PACKAGE / name).rglob("*.py"))
    assert paths, name
    return [found for path in paths for found in _imports(path)]


def test_the_bottom_layer_never_imports_render():
    arrows = [(name, target, lazy) for name in BOTTOM
              for target, lazy in _bottom_imports(name)
              if target.startswith("symconv.render")]
    # the one facade: proof -> render.dispatch, inside a function
    assert arrows == [("proof", "symconv.render.dispatch", True)]


@pytest.mark.parametrize("name", [n for n in BOTTOM if n != "proof"])
def test_the_bottom_layer_imports_nothing_above_it(name):
    above = ("symconv.theorems", "symconv.render", "symconv.cli", "symconv.formula",
             "symconv.parametric", "symconv.network", "symconv.implementations")
    assert not [t for t, _ in _bottom_imports(name) if t.startswith(above)]


def test_no_module_imports_another_modules_private_names():
    private = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(
                    "symconv")):
                private += [f"{_module(path)}: {a.name}" for a in node.names
                            if a.name.startswith("_") and not a.name.startswith("__")]
    assert private == []


def _graph() -> dict[str, set[str]]:
    """Every symconv module and the symconv modules it imports (at the top or in a function)."""
    modules = {_module(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for target, _ in _imports(path):
            while target and target not in modules:  # `from .x import name` names x.name
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
        graph[name] = found
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), list(graph[start])
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo += graph.get(node, ())
    return False


@pytest.mark.parametrize("package", ["symconv.prover", "symconv.sizes"])
def test_no_import_circle_through_the_prover_or_the_sizes(package):
    graph = _graph()
    inside = [name for name in graph if name.startswith(package + ".")]
    assert inside
    circles = [name for name in inside if _reaches(graph, name, name)]
    assert circles == []


def test_the_prover_knows_no_quantity():
    graph = _graph()
    above = ("symconv.sizes", "symconv.theorems", "symconv.render", "symconv.formula",
             "symconv.parametric", "symconv.certify", "symconv.counting_proofs",
             "symconv.index_sets", "symconv.network", "symconv.cli")
    arrows = sorted((name, target) for name in graph if name.startswith("symconv.prover")
                    for target in graph[name] if target.startswith(above))
    assert arrows == []
