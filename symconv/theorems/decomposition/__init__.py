"""Decompositions of the correlation matrix C: its Toeplitz structure, and the ways it
factors into simpler operators.

- ``toeplitz``: tied weights, a band, ``k`` nonzeros per interior row, and the count
  of outputs each input affects;
- ``dilation``: dilated correlation = correlation with the zero-inserted kernel;
- ``stride-as-subsampling``: ``C_s = D_s C_1``;
- ``im2col``: ``C(k) x = X(x) k``;
- ``separable``: a rank-1 kernel ``a b^T`` gives ``C = C_a ⊗ C_b``;
- ``depthwise-separable``: depthwise then 1×1 = one conv with ``K = P D``;
- ``one-by-one``: a 1×1 conv is ``W ⊗ S`` (``S = I`` at stride 1, no padding);
- ``transposed-as-convolution``: ``T = C_flip P Z`` (zero insertion, padding,
  stride-1 correlation with the flipped kernel).

Each check builds both sides from the operators of :mod:`symconv.operators` with
symbolic kernel (and input) entries and compares them exactly; the NumPy oracle of
:mod:`symconv.numeric` cross-checks the same identity on random integers.

The package, one idea a module (each imports :mod:`.shared`, the package re-exports them):

- :mod:`~symconv.theorems.decomposition.shared`: the small-layer domains and texts the
  theorems share;
- :mod:`~symconv.theorems.decomposition.toeplitz`: ``toeplitz``, the structure of ``C``;
- :mod:`~symconv.theorems.decomposition.factorisations`: ``dilation``,
  ``stride-as-subsampling``, ``im2col``, ``separable``, ``depthwise-separable``,
  ``one-by-one``: ``C`` as a product of simpler operators;
- :mod:`~symconv.theorems.decomposition.transposed`: ``transposed-as-convolution``.
"""

from .factorisations import (
    depthwise_separable,
    dilation,
    im2col,
    one_by_one,
    patch_matrix,
    separable,
    stride_as_subsampling,
    zero_inserted_kernel,
)
from .shared import small_domain, with_kernel
from .toeplitz import column_count, formula_matrix, toeplitz
from .transposed import pad_or_crop, recipe_pads, transposed_as_convolution, transposed_domain

__all__ = [
    "column_count", "depthwise_separable", "dilation", "formula_matrix", "im2col",
    "one_by_one", "pad_or_crop", "patch_matrix", "recipe_pads", "separable", "small_domain",
    "stride_as_subsampling", "toeplitz", "transposed_as_convolution", "transposed_domain",
    "with_kernel", "zero_inserted_kernel",
]
