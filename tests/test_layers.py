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


#: Every symconv module by its dotted name.
MODULES = {_module(path) for path in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported symconv module, whether the import is inside a function) of one file.

    ``from P import a`` imports the module ``P.a`` when there is one, else ``P``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] \
                if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target
                     for a in node.names]
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


def _module_aliases(path: Path, tree: ast.AST) -> set[str]:
    """Names a file binds to symconv modules (``from . import lift as lift_module``,
    ``import symconv.operators as ops``)."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rpartition(".")[0]
            base = f"{base}.{node.module}" if node.level and node.module else (
                base if node.level else node.module or "")
            bound |= {a.asname or a.name for a in node.names if f"{base}.{a.name}" in MODULES}
        elif isinstance(node, ast.Import):
            bound |= {a.asname for a in node.names if a.asname and a.name in MODULES}
    return bound


def test_no_module_reads_another_modules_private_names_through_the_module():
    private = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _module_aliases(path, tree)
        private += [f"{_module(path)}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
                    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")]
    assert private == []


def _named_modules(path: Path) -> set[str]:
    """Submodules a file names by their dotted name (``"symconv.claim.cli"``): a registry
    that ``importlib.import_module`` loads by name is an import arrow too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and node.value.startswith("symconv.")
            and node.value in MODULES}


def _graph() -> dict[str, set[str]]:
    """Every symconv module and the symconv modules it imports (at the top or in a function).

    ``from P import a`` goes to the module ``P.a`` when there is one, else to ``P``; a
    package goes to its ``__init__``, which also runs for ``from P import a`` unless ``P``
    holds the importing module (then it is already running).
    """
    modules = {_module(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = _named_modules(path)
        for target, _ in _imports(path):
            while target and target not in modules:  # `from .x import name` names x.name
                target = target.rpartition(".")[0]
            package = target.rpartition(".")[0]
            if (package in modules and package != "symconv"
                    and not name.startswith(package + ".")):
                found.add(package)
            found.add(target)
        graph[name] = found - {name}
    return graph


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of ``graph`` (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, edges = work[-1]
            step = next((t for t in edges if t not in index or t in stack), None)
            if step is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component, member = set(), None
                    while member != node:
                        member = stack.pop()
                        component.add(member)
                    components.append(component)
            elif step in index:
                low[node] = min(low[node], index[step])
            else:
                index[step] = low[step] = len(index)
                stack.append(step)
                work.append((step, iter(sorted(graph.get(step, ())))))
    return components


def _is_the_render_facade(component: set[str]) -> bool:
    """proof -> render.dispatch (lazy) -> the renderers -> proof: the one circle on purpose
    (symconv/render/dispatch.py's docstring)."""
    return {"symconv.proof", "symconv.render.dispatch"} <= component and all(
        name == "symconv.proof" or name.startswith("symconv.render.") for name in component)


#: Import circles in modules other helpers own, each left to the helper named (none today).
ALLOWED_CIRCLES: list[set[str]] = []


def test_the_import_graph_has_no_circle_but_the_render_facade():
    graph = _graph()
    assert "symconv.cli" in graph["symconv.__main__"]  # the graph sees imports
    circles = [sorted(c) for c in _components(graph) if len(c) > 1
               and not _is_the_render_facade(c) and c not in ALLOWED_CIRCLES]
    assert circles == []


def test_the_circle_test_sees_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert sorted(map(sorted, _components(graph))) == [["a", "b", "c"], ["d"]]


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


#: The command line's shared helpers (symconv/cli/) and its command modules.
CLI_HELPERS = ("exits", "values", "options", "output", "parameters")
CLI_COMMANDS = ("entry", "catalogue", "check_formula", "fc_vs_conv", "figure", "check_impl")


def test_command_line_helpers_import_no_command():
    graph = _graph()
    commands = {f"symconv.cli.{name}" for name in CLI_COMMANDS} | {
        "symconv.claim.cli", "symconv.network.command"}
    assert commands <= set(graph)
    arrows = sorted((helper, target) for helper in CLI_HELPERS
                    for target in graph[f"symconv.cli.{helper}"] if target in commands)
    assert arrows == []
    assert graph["symconv.cli"] == set()  # the package loads its names on first use
