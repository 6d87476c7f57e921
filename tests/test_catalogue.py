"""The stored catalogue table (symconv/catalogue.json) against the live registry."""

import json
import subprocess
import sys

from symconv.catalogue import live_table, table


def _fresh_process(code: str) -> str:
    """What ``code`` prints when run by a fresh interpreter (nothing imported yet)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout


def test_the_stored_table_is_the_registry_entry_for_entry():
    stored, live = table(), live_table()
    assert [e["name"] for e in stored] == [e["name"] for e in live]
    for mine, theirs in zip(stored, live):
        assert mine == theirs, f"{theirs['name']}: rewrite with `python -m symconv.catalogue`"


def test_list_json_prints_the_registry(capsys):
    from symconv.cli import main

    assert main(["list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"theorems": live_table()}


def test_list_imports_no_theorem_module_nor_sympy():
    code = ("import io, contextlib, sys\n"
            "sys.argv = ['-m', 'list']  # as `python -m symconv list` starts\n"
            "from symconv.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['list'])\n"
            "print(sorted(m for m in ('sympy', 'symconv.theorems') if m in sys.modules))")
    out = _fresh_process(code)
    assert out.strip() == "[]"


def test_the_stored_module_index_is_the_registry():
    from symconv.theorems.engine import module_index, stored_modules

    assert stored_modules() == module_index(), "rewrite with `python -m symconv.catalogue`"
    assert set(stored_modules()) == {e["name"] for e in table()}


def test_each_indexed_module_registers_its_theorems_alone():
    """In a fresh process, importing the indexed modules one by one (in the index's order)
    registers each theorem by the time its module is imported, without load_all."""
    code = ("import importlib, json, sys\n"
            "from symconv.theorems.engine import REGISTRY, stored_modules, _LOADED\n"
            "missing = []\n"
            "for name, module in sorted(stored_modules().items()):\n"
            "    importlib.import_module(module)\n"
            "    missing += [name] if name not in REGISTRY else []\n"
            "print(json.dumps([missing, _LOADED[0]]))")
    out = _fresh_process(code)
    assert json.loads(out) == [[], False]


def test_get_imports_only_the_module_of_the_theorem_asked_for():
    code = ("import sys\n"
            "from symconv.theorems import get\n"
            "get('transpose')\n"
            "print(sorted(m for m in sys.modules if m.startswith('symconv.theorems.')\n"
            "             and m.count('.') == 2))")
    out = _fresh_process(code)
    assert out.strip() == "['symconv.theorems.common', 'symconv.theorems.engine', " \
        "'symconv.theorems.structure', 'symconv.theorems.structure_factors']"


def test_a_stale_index_falls_back_to_every_module():
    """An index without the theorem, or naming a module that does not register it, still
    finds it: the index only says what to import first."""
    code = ("import sys\n"
            "from symconv.theorems import engine\n"
            "engine.stored_modules = lambda: {'transpose': 'symconv.theorems.pooling',\n"
            "                                 'adjoint': 'os'}\n"
            "found = [engine.get(name).name for name in ('adjoint', 'transpose')]\n"
            "print(found, engine._LOADED[0])")
    out = _fresh_process(code)
    assert out.strip() == "['adjoint', 'transpose'] True"
