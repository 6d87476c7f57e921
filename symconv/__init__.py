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
from typing import Any as _Any


def _public() -> dict[str, _Any]:
    """The public names (importing them imports SymPy)."""
    from .errors import SymconvError
    from .formula import check_formula
    from .geometry import Geometry, PoolGeometry, TransposedGeometry
    from .implementations import check_implementation
    from .lift import lift
    from .operators import (
        LinearOperator,
        MaxPool,
        avg_pool,
        circular_convolution,
        convolution,
        correlation,
        decimation,
        input_symbols,
        max_pool,
        shift,
        transposed_convolution,
        zero_insertion,
        zero_padding,
    )
    from .proof import Proof, Step
    from .theorems import prove, theorems
    from .network import network_from_torch

    return {name: value for name, value in locals().items() if not name.startswith("_")}


def _shape_command() -> bool:
    """``python -m symconv shape`` or ``symconv shape``: the network calculator, no SymPy."""
    argv = _sys.argv
    return len(argv) > 1 and argv[1] == "shape" and (
        argv[0] == "-m" or _os.path.basename(argv[0]) == "symconv")


if _shape_command():  # the public names load on first use (PEP 562)
    def __getattr__(name: str) -> _Any:
        if name not in __all__:
            raise AttributeError(f"module 'symconv' has no attribute {name!r}")
        globals().update(_public())
        return globals()[name]
else:
    globals().update(_public())

__all__ = [
    "Geometry", "LinearOperator", "MaxPool", "PoolGeometry", "Proof", "Step", "SymconvError",
    "TransposedGeometry", "avg_pool", "check_formula", "circular_convolution", "convolution",
    "correlation", "decimation", "input_symbols", "max_pool", "prove", "shift", "theorems",
    "transposed_convolution", "zero_insertion", "zero_padding",
    "check_implementation", "lift", "network_from_torch",
]
__version__ = "0.1.0"
