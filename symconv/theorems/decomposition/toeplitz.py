"""``toeplitz``: the correlation matrix's structure, checked against its closed-form
entries (tied weights, a band, ``k`` nonzeros per interior row, and the count of
outputs each input affects).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import sympy

from ... import numeric
from ...geometry import Geometry
from ...operators import correlation, indexed_symbols
from ...proof import Math, Step
from ..common import (
    CORRELATION_INDEX,
    LAYER,
    comparison_step,
    entries_count,
    flat,
    layer_text,
    numeric_agrees,
    show,
)
from ..engine import Outcome, first_difference, theorem
from .shared import CHANNEL_POINTS, CHANNEL_TEXT, SMALL, channels_text, group_of, small_domain


def _axis_taps(n: int, k: int, out: int, s: int, p: int, d: int) -> np.ndarray:
    """``tap[i, j]``: the kernel offset ``m`` with ``j = s i - p + d m``, or -1 (one axis)."""
    i, j = np.meshgrid(np.arange(out), np.arange(n), indexing="ij")
    u = j - s * i + p
    ok = (u >= 0) & (u <= d * (k - 1)) & (u % d == 0)
    return np.where(ok, u // d, -1)


def formula_matrix(g: Geometry, in_channels: int = 1, out_channels: int = 1, groups: int = 1,
                   kernel: sympy.NDimArray | None = None) -> sympy.SparseMatrix:
    """The correlation matrix written straight from the index formula, entry by entry.

    ``C[(o, i), (c, j)] = k[o, c mod (C_in/groups), m]`` where per axis
    ``j - s i + p = d m`` with ``0 <= m < k``, for ``c`` in ``o``'s group; else 0.
    Independent of :func:`symconv.operators.correlation` (no window triples).

    Examples
    --------
    >>> formula_matrix(Geometry((3,), (2,)))
    Matrix([
    [k_{0,0,0}, k_{0,0,1},         0],
    [        0, k_{0,0,0}, k_{0,0,1}]])
    """
    cin_g, cout_g = in_channels // groups, out_channels // groups
    if kernel is None:
        kernel = indexed_symbols((out_channels, cin_g, *g.kernel_shape), "k")
    taps = [_axis_taps(n, k, o, s, pb, d) for n, k, o, s, d, (pb, _) in zip(
        g.input_shape, g.kernel_shape, g.output_shape, g.stride, g.dilation, g.pads)]
    out_size, in_size = math.prod(g.output_shape), math.prod(g.input_shape)
    entries = {}
    for i in itertools.product(*map(range, g.output_shape)):
        for j in itertools.product(*map(range, g.input_shape)):
            m = tuple(int(t[a, b]) for t, a, b in zip(taps, i, j))
            if min(m) < 0:
                continue
            row = int(np.ravel_multi_index(i, g.output_shape))
            col = int(np.ravel_multi_index(j, g.input_shape))
            for o in range(out_channels):
                for c in range(in_channels):
                    if group_of(o, cout_g) == group_of(c, cin_g):
                        entries[(o * out_size + row, c * in_size + col)] = kernel[
                            (o, c % cin_g, *m)]
    return sympy.SparseMatrix(out_channels * out_size, in_channels * in_size, entries)


def column_count(j: int, n: int, k: int, out: int, s: int, p: int, d: int,
                 interior: bool = False) -> int:
    """Outputs that input ``j`` affects on one axis: ``#{m : s | (j + p - d m), in range}``.

    With ``interior`` the range condition is dropped (it always holds away from the edges);
    at stride 1 this is ``k``, the notes' "each input affects k outputs".

    Examples
    --------
    >>> column_count(3, 7, 3, 5, 1, 0, 1), column_count(3, 7, 3, 3, 2, 0, 1)
    (3, 1)
    """
    count = 0
    for m in range(k):
        u = j + p - d * m
        if u % s == 0 and (interior or 0 <= u // s < out):
            count += 1
    return count


def _interior_columns(n: int, k: int, out: int, s: int, p: int, d: int) -> list[int]:
    """Inputs whose every candidate output ``i`` (with ``s i`` in ``[j+p-d(k-1), j+p]``) exists."""
    return [j for j in range(n)
            if -(-(j + p - d * (k - 1)) // s) >= 0 and (j + p) // s <= out - 1]


def _interior_rows(n: int, k: int, out: int, s: int, p: int, d: int) -> list[int]:
    """Outputs whose window ``s i - p + d m`` lies inside the unpadded input."""
    return [i for i in range(out) if s * i - p >= 0 and s * i - p + d * (k - 1) <= n - 1]


def _toeplitz_domain():
    return small_domain(CHANNEL_POINTS)


@theorem("toeplitz", family="decomposition",
         statement="C is (block-)Toeplitz with tied weights: C[i, j] depends only on j - s*i "
                   "per axis (= k[(j - s i + p)/d] inside the band, 0 outside); every "
                   "interior row holds each kernel weight exactly once (k nonzeros); "
                   "column j has #{m : s | j + p - d m} nonzeros (in range), which is k at "
                   "stride 1 for interior inputs.",
         latex=r"C_{i,j} = k_{(j - s i + p)/d},\quad \operatorname{nnz}(C_{i,:}) = K "
               r"\text{ (interior)},\quad \operatorname{nnz}(C_{:,j}) = "
               r"\#\{m : s \mid j + p - d m\}",
         parameters={**LAYER, "input_shape": (5,), "kernel_shape": (3,), "padding": 1},
         domain=_toeplitz_domain, domain_text=SMALL + CHANNEL_TEXT)
def toeplitz(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
             groups) -> Outcome:
    """C against the index formula entrywise, then row and column counts against formulas."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    op = correlation(g, in_channels, out_channels, groups)
    formula = formula_matrix(g, in_channels, out_channels, groups, op.kernel)
    difference = first_difference(op.matrix, formula, ("C", "formula"))
    axes = list(zip(g.input_shape, g.kernel_shape, g.output_shape, g.stride,
                    [pb for pb, _ in g.pads], g.dilation))
    # Counts are per (output channel, input channel) block of one group; all blocks agree.
    block = sympy.Matrix(op.matrix[:math.prod(g.output_shape), :math.prod(g.input_shape)])
    kernel_block = set(flat(op.kernel[0, 0]))
    rows = [list(r) for r in itertools.product(*[_interior_rows(*a) for a in axes])]
    for i in rows:
        r = int(np.ravel_multi_index(i, g.output_shape))
        row = [v for v in block.row(r) if v != 0]
        if difference is None and (len(row) != len(kernel_block) or set(row) != kernel_block):
            difference = {"interior row": tuple(i), "nonzeros": len(row),
                          "expected": len(kernel_block)}
    counts = {}
    for j in itertools.product(*map(range, g.input_shape)):
        c = int(np.ravel_multi_index(j, g.input_shape))
        actual = sum(1 for v in block.col(c) if v != 0)
        predicted = math.prod(column_count(ja, *a) for ja, a in zip(j, axes))
        counts[j] = actual
        if difference is None and actual != predicted:
            difference = {"column": j, "nonzeros": actual, "formula": predicted}
    interior = list(itertools.product(*[_interior_columns(*a) for a in axes]))
    interior_counts = sorted({counts[j] for j in interior})
    stride_one_k = {math.prod(g.kernel_shape)} if all(s == 1 for s in g.stride) else None
    if difference is None and stride_one_k and interior and set(interior_counts) != stride_one_k:
        difference = {"interior column counts": interior_counts,
                      "expected": sorted(stride_one_k)}
    per_axis = "; ".join(
        f"axis {a}: inputs {_interior_columns(*ax) or 'none'} (every output they could "
        f"reach exists) affect "
        f"{sorted({column_count(j, *ax, interior=True) for j in range(ax[0])})} outputs"
        for a, ax in enumerate(axes))
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; "
             f"{channels_text(in_channels, out_channels, groups)}.", (CORRELATION_INDEX,)),
        Step("Tied weights", "Build $C$ from the operator and, separately, entry by entry "
             "from the index formula: the entry depends on $(i, j)$ only through "
             "$j - s\\,i$ on each axis, so each weight is shared by every window and "
             "everything outside the band $0 \\le j - s i + p \\le d(K-1)$ is zero.",
             (show("C", op.matrix),)),
        Step("Rows", f"{len(rows)} interior row(s) per block (window inside the unpadded "
             f"input): each holds all {len(kernel_block)} kernel weights exactly once; rows "
             "that reach into the padding hold fewer.",
             (Math(r"\operatorname{nnz}(C_{i,:}) = K \text{ for interior } i",
                   "nnz(row i) = K for interior rows"),)),
        Step("Columns", "Input $j$ affects output $i$ iff $j + p - d m = s i$ for some tap "
             f"$m$ with $0 \\le i <$ out. Per block: {per_axis}.",
             (Math(r"\operatorname{nnz}(C_{:,j}) = \prod_{\text{axes}} \#\{m < K : "
                   r"s \mid j + p - d m,\ 0 \le (j + p - d m)/s < \text{out}\}",
                   "nnz(column j) = prod over axes of #{m < K : s | j + p - d m, output in "
                   "range}"),)),
        comparison_step("C", r"C_{\text{formula}}", entries_count(op.matrix),
                        difference is None, difference),
    )
    agrees = numeric_agrees(op, lambda x, w: numeric.correlate(x, w, g, groups))
    return Outcome(difference is None, steps, difference, numeric=agrees)
