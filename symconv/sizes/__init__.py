"""Size quantities: how many outputs, pads, windows, taps a layer has, and size formulas.

The modules, in the order data flows:

- :mod:`.parse`: a user's formula read by the grammar ``symconv/grammars/formula.lark``;
- :mod:`.exact`: the one exact evaluator (integers and rationals, many points at once);
- :mod:`.quantities`: the quantity table (definitions, variables, numeric truth);
- :mod:`.symbolic`: each quantity's truth as a SymPy expression, with its assumptions;
- :mod:`.counting_claims`: the counting theorems' claims, proved for all sizes;
- :mod:`.definitions`: closed-form definitions proved equal to the truths;
- :mod:`.decide`: user formulas decided by the SMT judge;
- :mod:`.finite_domain`, :mod:`.large`, :mod:`.check`: :func:`check_formula`.

The prover (:mod:`symconv.prover`) knows no quantity; this package is where quantities
meet it.

Examples
--------
>>> from symconv.sizes import check_formula
>>> check_formula("ceil(n/s)", "same_output_size", "tensorflow").verdict
'proved'
"""

from importlib import import_module
from typing import Any

#: Each public name and the module that defines it. They load on first use (PEP 562), so
#: that importing one module of the package (the renderers read formulas with
#: :mod:`.parse`) does not import the checker, which imports the data model and the prover.
_HOMES = {"QUANTITIES": "quantities", "RANGES": "quantities", "supported": "quantities",
          "check_formula": "check", "truth_table": "check", "parse_formula": "parse"}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
