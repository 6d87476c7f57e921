"""The ``symconv`` command line: list, prove, check-formula, shape, fc-vs-conv, figure,
check-impl, check.

Exit codes: 0 proved / fine, 1 refuted (counterexample printed), 2 bad input or
usage, 3 internal error or missing optional backend, 4 verified on a finite domain
but not proved (a statement about all sizes without a proof for all sizes),
5 undecided within budget or vacuous (an empty domain: nothing checked). A
traceback is never the user interface.

One module per command family (:mod:`~symconv.cli.catalogue`: list and prove;
:mod:`~symconv.cli.check_formula`, :mod:`~symconv.cli.fc_vs_conv`,
:mod:`~symconv.cli.figure`, :mod:`~symconv.cli.check_impl`; ``shape`` is
:mod:`symconv.network.command`, ``check`` is :mod:`symconv.claim.cli`) on shared
helpers that import no command: :mod:`~symconv.cli.exits` (exit codes, the usage
error), :mod:`~symconv.cli.values` (per-axis values), :mod:`~symconv.cli.options`
(``--detail``), :mod:`~symconv.cli.output` (the files a command writes) and
:mod:`~symconv.cli.parameters` (``prove``'s layer options). :mod:`~symconv.cli.entry`
builds the parser. This package imports none of them until a name below is asked
for (PEP 562), so a helper's import runs no command's.

Examples
--------
>>> from symconv.cli import main, parse_sizes
>>> parse_sizes("--input", "5,5")
(5, 5)
"""

from importlib import import_module as _import_module
from typing import Any as _Any

# The names ``symconv.cli`` has always offered, by the module each now lives in.
_NAMES = {
    "main": ("entry", "main"), "build_parser": ("entry", "build_parser"),
    "HEAVY_COMMANDS": ("entry", "HEAVY_COMMANDS"),
    "EXIT_PROVED": ("exits", "EXIT_PROVED"), "EXIT_REFUTED": ("exits", "EXIT_REFUTED"),
    "EXIT_BAD_INPUT": ("exits", "EXIT_BAD_INPUT"), "EXIT_INTERNAL": ("exits", "EXIT_INTERNAL"),
    "EXIT_VERIFIED": ("exits", "EXIT_VERIFIED"), "EXIT_UNDECIDED": ("exits", "EXIT_UNDECIDED"),
    "VERDICT_EXIT": ("exits", "VERDICT_EXIT"), "UsageError": ("exits", "UsageError"),
    "parse_sizes": ("values", "parse_sizes"), "parse_count": ("values", "parse_count"),
    "parse_padding": ("values", "parse_padding"), "parse_param": ("values", "parse_param"),
    "PADDING_FORMS": ("values", "PADDING_FORMS"),
    "add_detail_options": ("options", "add_detail_options"),
    "at_detail": ("options", "at_detail"),
    "check_outputs": ("output", "check_outputs"), "write_outputs": ("output", "write_outputs"),
    "judges": ("catalogue", "judges"),
    "check_layer": ("parameters", "check_layer"),
    "_check_layer": ("parameters", "check_layer"),  # its name in tests/test_framework_scale.py
}

__all__ = sorted(name for name in _NAMES if not name.startswith("_"))


def __getattr__(name: str) -> _Any:
    if name not in _NAMES:
        raise AttributeError(f"module 'symconv.cli' has no attribute {name!r}")
    module, attribute = _NAMES[name]
    value = getattr(_import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value
