"""symconv: convolution operators as explicit symbolic sparse matrices.

Build convolution, correlation, transposed convolution and pooling as explicit
sparse matrices with symbolic entries, prove identities about them, find the
smallest counterexample when a claim is false, and write the derivation out.

Examples
--------
>>> import symconv as sc
>>> g = sc.Geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=2, padding=1, dilation=1)
>>> g.output_shape, g.pads
((3, 3), ((1, 1), (1, 1)))
>>> sc.correlation(g).matrix.shape
(9, 25)
>>> sc.prove("transpose", input_shape=(4, 4), kernel_shape=(3, 3), stride=2).verdict
'proved'
>>> sc.check_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1", quantity="output_size").evidence
['parametric', 'exhaustive']
"""

import os as _os
import sys as _sys
from importlib import import_module as _import_module
from typing import Any as _Any

# The public names, by the module each comes from (importing most of them imports SymPy).
_PUBLIC = {
    "claim": ("check",),
    "errors": ("SymconvError",),
    "formula": ("check_formula",),
    "geometry": ("AdaptivePoolGeometry", "Geometry", "PoolGeometry", "TransposedGeometry"),
    "implementations": ("check_implementation",),
    "lift": ("lift",),
    "operators": ("LinearOperator", "MaxPool", "adaptive_avg_pool", "adaptive_max_pool",
                  "avg_pool", "circular_convolution", "convolution", "correlation", "cropping",
                  "decimation", "im2col", "input_symbols", "max_pool", "shift",
                  "transposed_convolution", "zero_insertion", "zero_padding"),
    "proof": ("Proof", "Step"),
    "theorems": ("prove", "theorems"),
    "network": ("network_from_torch",),
}


def _load_public() -> None:
    for module, names in _PUBLIC.items():
        loaded = _import_module(f".{module}", __name__)
        globals().update({name: getattr(loaded, name) for name in names})


def _shape_command() -> bool:
    """``python -m symconv shape`` or ``symconv shape``: the network calculator, no SymPy."""
    argv = _sys.argv
    return len(argv) > 1 and argv[1] == "shape" and (
        argv[0] == "-m" or _os.path.basename(argv[0]) == "symconv")


def _command_line() -> bool:
    """The command line (``python -m symconv CMD`` or ``symconv CMD``): it imports only
    what CMD uses (symconv/cli/), except ``check-impl``, whose user code may read
    ``symconv.NAME``."""
    argv = _sys.argv
    return len(argv) > 1 and argv[1] != "check-impl" and (
        argv[0] == "-m" or _os.path.basename(argv[0]) == "symconv")


if _shape_command() or _command_line():  # the public names load on first use (PEP 562)
    def __getattr__(name: str) -> _Any:
        if name not in __all__:
            raise AttributeError(f"module 'symconv' has no attribute {name!r}")
        _load_public()
        return globals()[name]
else:
    _load_public()

__all__ = [
    "Geometry", "LinearOperator", "MaxPool", "PoolGeometry", "Proof", "Step", "SymconvError",
    "TransposedGeometry", "avg_pool", "check_formula", "circular_convolution", "convolution",
    "correlation", "decimation", "input_symbols", "max_pool", "prove", "shift", "theorems",
    "transposed_convolution", "zero_insertion", "zero_padding",
    "check_implementation", "lift", "network_from_torch", "check",
    "im2col", "adaptive_avg_pool", "adaptive_max_pool", "cropping", "AdaptivePoolGeometry",
]
__version__ = "0.1.0"
