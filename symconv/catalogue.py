"""The catalogue's table, read without importing the theorem modules (so without SymPy).

``symconv list`` prints name, family and statement of every theorem; building them means
importing every module of :mod:`symconv.theorems`, which imports SymPy and constructs its
symbols (about 1 s CPU). This module reads the same table from ``catalogue.json``, a copy
of :func:`symconv.theorems.theorems` written by :func:`write_table` (``python -m
symconv.catalogue``). The test suite compares the copy with the registry, entry for
entry, so a theorem added, renamed or restated without rewriting the table fails there.

Examples
--------
>>> names = [entry["name"] for entry in table()]
>>> "transpose" in names and names == sorted(names)
True
>>> table() == live_table()
True
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

#: Where the copy of the catalogue lives (shipped with the package).
TABLE_PATH = Path(__file__).with_name("catalogue.json")


@cache
def _stored() -> str:
    return TABLE_PATH.read_text(encoding="utf-8")


def table() -> list[dict[str, Any]]:
    """The stored catalogue: one dict per theorem, as :func:`symconv.theorems.theorems`.

    Each call returns fresh dicts (the caller may change them).

    Examples
    --------
    >>> sorted(table()[0])
    ['domain', 'family', 'name', 'parameters', 'statement', 'statement_latex']
    """
    return json.loads(_stored())["theorems"]


def live_table() -> list[dict[str, Any]]:
    """The catalogue built from the registry (imports every theorem module), as JSON values.

    Examples
    --------
    >>> live_table()[0]["name"]
    'activation-maximisation'
    """
    from .theorems import theorems

    return json.loads(json.dumps(theorems()))


def write_table(path: Path = TABLE_PATH) -> Path:
    """Write :func:`live_table` and :func:`symconv.theorems.engine.module_index` to
    ``path`` (``catalogue.json`` by default); returns it."""
    from .theorems.engine import module_index

    document = {"theorems": live_table(), "modules": module_index()}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m symconv.catalogue: rewrite the table
    sys.stdout.write(f"wrote {write_table()}\n")
