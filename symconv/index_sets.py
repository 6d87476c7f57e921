"""Index-set proofs (moved): the bijection machinery is :mod:`symconv.prover.bijections`,
the index forms of symconv's operators and their five bijections
:mod:`symconv.theorems.index_proofs.forms`, and the theorems' steps
:mod:`symconv.theorems.index_proofs.steps`. This module re-exports their names.

Examples
--------
>>> proof = transposed_equals_zero_insertion()
>>> proof.holds, [check.name for check in proof.checks][:3]
(True, ['into', 'back', 'inverse'])
"""

from .prover import SYMBOLS
from .prover.bijections import BijectionProof, Check, IndexSet, product_closure
from .theorems.index_proofs.forms import (
    COLUMN,
    ENTRY,
    FLIPPED,
    FORWARD_ENTRY,
    FORWARD_GEOMETRY,
    FORWARD_ROWS,
    GEOMETRY,
    INSERTED,
    INSERTED_LENGTH,
    OUT,
    PAD_BEFORE,
    PADDED,
    PADDED_LENGTH,
    ROW,
    SAMPLE,
    TAP,
    ZI_TAP,
    check_bijection,
    correlation_equals_patches,
    correlation_set,
    d,
    dilated_equals_zero_inserted_kernel,
    k,
    n,
    op,
    p,
    pa,
    patch_set,
    pb,
    s,
    scatter_set,
    strided_equals_subsampled,
    subsampled_set,
    transpose_set,
    transposed_equals_transpose,
    transposed_equals_zero_insertion,
    zero_inserted_kernel_set,
    zero_insertion_set,
)
from .theorems.index_proofs.steps import goals_latex, theorem_steps

__all__ = ["BijectionProof", "COLUMN", "Check", "ENTRY", "FLIPPED", "FORWARD_ENTRY",
           "FORWARD_GEOMETRY", "FORWARD_ROWS", "GEOMETRY", "INSERTED", "INSERTED_LENGTH",
           "IndexSet", "OUT", "PADDED", "PADDED_LENGTH", "PAD_BEFORE", "ROW", "SAMPLE",
           "SYMBOLS", "TAP", "ZI_TAP", "check_bijection", "correlation_equals_patches",
           "correlation_set", "d", "dilated_equals_zero_inserted_kernel", "goals_latex", "k",
           "n", "op", "p", "pa", "patch_set", "pb", "product_closure", "s", "scatter_set",
           "strided_equals_subsampled", "subsampled_set", "theorem_steps", "transpose_set",
           "transposed_equals_transpose", "transposed_equals_zero_insertion",
           "zero_inserted_kernel_set", "zero_insertion_set"]
