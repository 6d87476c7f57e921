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


def test_the_bottom_layer_never_imports_render():
    arrows = [(name, target, lazy) for name in BOTTOM
              for target, lazy in _imports(PACKAGE / f"{name}.py")
              if target.startswith("symconv.render")]
    # the one facade: proof -> render.dispatch, inside a function
    assert arrows == [("proof", "symconv.render.dispatch", True)]


@pytest.mark.parametrize("name", [n for n in BOTTOM if n != "proof"])
def test_the_bottom_layer_imports_nothing_above_it(name):
    above = ("symconv.theorems", "symconv.render", "symconv.cli", "symconv.formula",
             "symconv.parametric", "symconv.network", "symconv.implementations")
    assert not [t for t, _ in _imports(PACKAGE / f"{name}.py") if t.startswith(above)]


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
