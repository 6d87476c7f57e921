"""The stored catalogue table (symconv/catalogue.json) against the live registry."""

import json
import subprocess
import sys

from symconv.catalogue import live_table, table


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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
