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

from .errors import SymconvError
from .formula import check_formula
from .geometry import AdaptivePoolGeometry, Geometry, PoolGeometry, TransposedGeometry
from .implementations import check_implementation
from .lift import lift
from .operators import (
    LinearOperator,
    MaxPool,
    adaptive_avg_pool,
    adaptive_max_pool,
    avg_pool,
    circular_convolution,
    convolution,
    correlation,
    cropping,
    decimation,
    im2col,
    input_symbols,
    max_pool,
    shift,
    transposed_convolution,
    zero_insertion,
    zero_padding,
)
from .proof import Proof, Step
from .theorems import prove, theorems

__all__ = [
    "Geometry", "LinearOperator", "MaxPool", "PoolGeometry", "Proof", "Step", "SymconvError",
    "TransposedGeometry", "avg_pool", "check_formula", "circular_convolution", "convolution",
    "correlation", "decimation", "input_symbols", "max_pool", "prove", "shift", "theorems",
    "transposed_convolution", "zero_insertion", "zero_padding",
    "check_implementation", "lift",
    "im2col", "adaptive_avg_pool", "adaptive_max_pool", "cropping", "AdaptivePoolGeometry",
]
__version__ = "0.1.0"
