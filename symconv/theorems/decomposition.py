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
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from .. import numeric
from ..claim.theorem import claim_outcome, layer_keywords, layer_signals
from ..errors import SymconvError, TheoremError
from ..geometry import Geometry, TransposedGeometry
from ..operators import (
    correlation,
    decimation,
    indexed_symbols,
    input_symbols,
    zero_insertion,
    zero_padding,
)
from ..proof import Math, Step
from ..validation import integer
from .common import (
    CORRELATION_INDEX,
    LAYER,
    comparison_step,
    entries_count,
    flat,
    layer_text,
    numeric_agrees,
    random_integers,
    show,
)
from .engine import Outcome, first_difference, theorem
from .structure import small_layers, with_index_proof

# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


def _with_kernel(op, values: Sequence[sympy.Expr]) -> sympy.SparseMatrix:
    """``op.matrix`` with its kernel symbols replaced by ``values`` (same C order)."""
    return op.matrix.xreplace(dict(zip(op.kernel_flat, values)))


def _small_domain(extra: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """1-D layers with n<=5, k<=3, s<=2, p<=1, d<=2, then the given extra points."""
    return small_layers(max_n=5, max_k=3, max_s=2, max_p=1, max_d=2) + list(extra)


SMALL = "every valid 1-D layer with n<=5, k<=3, s<=2, p<=1, d<=2"

#: Multi-channel, grouped and 2-D points appended to the 1-D domains.
CHANNEL_POINTS = [
    {**LAYER, "input_shape": (3,), "kernel_shape": (2,), "in_channels": 2, "out_channels": 2},
    {**LAYER, "input_shape": (4,), "kernel_shape": (2,), "stride": 2, "in_channels": 2,
     "out_channels": 4, "groups": 2},
    {**LAYER, "input_shape": (3, 3), "kernel_shape": (2, 2), "padding": 1},
    {**LAYER, "input_shape": (4, 3), "kernel_shape": (3, 2), "stride": (2, 1),
     "dilation": (1, 2), "padding": ((1, 0), (0, 1))},
]
CHANNEL_TEXT = ("; plus 2->2 channels, 2->4 channels in 2 groups at stride 2, and 2-D 3x3 "
                "(kernel 2x2, padding 1) and 4x3 (kernel 3x2, stride (2,1), dilation (1,2), "
                "asymmetric pads)")


def _group_of(channel: int, per_group: int) -> int:
    return channel // per_group


def _channels_text(in_channels: int, out_channels: int, groups: int) -> str:
    return f"channels {in_channels} -> {out_channels}, groups {groups}"


# ---------------------------------------------------------------------------
# Toeplitz structure
# ---------------------------------------------------------------------------


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
                    if _group_of(o, cout_g) == _group_of(c, cin_g):
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
    return _small_domain(CHANNEL_POINTS)


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
             f"{_channels_text(in_channels, out_channels, groups)}.", (CORRELATION_INDEX,)),
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


# ---------------------------------------------------------------------------
# Dilation and stride
# ---------------------------------------------------------------------------


def zero_inserted_kernel(kernel: sympy.NDimArray, dilation: Sequence[int]) -> sympy.Array:
    """The kernel with ``d - 1`` zeros between taps on each spatial axis (size ``d(k-1)+1``).

    Built with :func:`symconv.operators.zero_insertion` over the (out, in) channel pairs.

    Examples
    --------
    >>> zero_inserted_kernel(sympy.Array([[[1, 2]]]), (2,))
    [[[1, 0, 2]]]
    """
    shape = tuple(int(v) for v in kernel.shape)
    spatial = shape[2:]
    pairs = shape[0] * shape[1]
    z = zero_insertion(spatial, tuple(dilation), channels=pairs)
    dilated = z.apply(sympy.Array(flat(kernel), (pairs, *spatial)))
    return sympy.Array(flat(dilated), (*shape[:2], *dilated.shape[1:]))


@theorem("dilation", family="decomposition",
         statement="A correlation with dilation d equals the undilated correlation (same "
                   "stride and padding) with the zero-inserted kernel of size d(k-1)+1.",
         latex=r"C_{d}(k) = C_{1}(\operatorname{zi}_d k),\quad "
               r"(\operatorname{zi}_d k)_{d m} = k_m",
         parameters={**LAYER, "input_shape": (5,), "kernel_shape": (2,), "dilation": 2},
         domain=lambda: _small_domain(CHANNEL_POINTS), domain_text=SMALL + CHANNEL_TEXT)
def dilation(input_shape, kernel_shape, stride, padding, dilation, in_channels,
             out_channels, groups) -> Outcome:
    """Defined by its claim text: the dilated correlation against the undilated one with
    the zero-inserted kernel (``upsample(k, d)``), checked by :func:`symconv.check`."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    undilated = layer_keywords(g, dilation=False)
    claim = (f"corr(x, k, {layer_keywords(g)}) == "
             f"corr(x, upsample(k, {_claim_tuple(g.dilation)}), {undilated})")
    outcome = claim_outcome(claim, **layer_signals(g.input_shape, g.kernel_shape,
                                                   in_channels, out_channels, groups))
    return with_index_proof(outcome, "dilation")


@theorem("stride-as-subsampling", family="decomposition",
         statement="A correlation with stride s equals the stride-1 correlation (same kernel, "
                   "padding, dilation) followed by keeping every s-th output: C_s = D_s C_1.",
         latex=r"C_s = D_s\, C_1",
         parameters={**LAYER, "input_shape": (5, 5), "stride": 2, "padding": 1},
         domain=lambda: _small_domain(CHANNEL_POINTS), domain_text=SMALL + CHANNEL_TEXT)
def stride_as_subsampling(input_shape, kernel_shape, stride, padding, dilation, in_channels,
                          out_channels, groups) -> Outcome:
    """Defined by its claim text: the strided correlation against every s-th output of the
    stride-1 correlation with the same resolved pads, checked by :func:`symconv.check`."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    claim = (f"corr(x, k, {layer_keywords(g)}) == "
             f"subsample(corr(x, k, {layer_keywords(g, stride=False)}), "
             f"{_claim_tuple(g.stride)})")
    outcome = claim_outcome(claim, **layer_signals(g.input_shape, g.kernel_shape,
                                                   in_channels, out_channels, groups))
    return with_index_proof(outcome, "stride-as-subsampling")


def _claim_tuple(values: Sequence[int]) -> str:
    """Per-axis integers as claim text: ``2`` in 1-D, ``(2, 1)`` in 2-D."""
    return str(values[0]) if len(values) == 1 else f"({', '.join(map(str, values))})"


# ---------------------------------------------------------------------------
# im2col
# ---------------------------------------------------------------------------


def patch_matrix(x: sympy.NDimArray, g: Geometry) -> sympy.Matrix:
    """im2col: ``X[i, (c, m)] = xpad[c, s i + d m]``, one row per output position.

    Examples
    --------
    >>> patch_matrix(sympy.Array([[1, 2, 3]]), Geometry((3,), (2,)))
    Matrix([
    [1, 2],
    [2, 3]])
    """
    xp = numeric.pad(np.array(x.tolist(), dtype=object), g.pads)
    rows = []
    for i in itertools.product(*map(range, g.output_shape)):
        rows.append([xp[(c, *[s * a + d * b for a, b, s, d in zip(i, m, g.stride, g.dilation)])]
                     for c in range(xp.shape[0])
                     for m in itertools.product(*map(range, g.kernel_shape))])
    return sympy.Matrix(rows)


def _kernel_columns(kernel: sympy.NDimArray, in_channels: int, groups: int) -> sympy.Matrix:
    """``W[(c, m), o] = k[o, c mod (C_in/groups), m]`` for ``c`` in ``o``'s group, else 0."""
    shape = tuple(kernel.shape)
    out_channels, cin_g, spatial = shape[0], shape[1], shape[2:]
    cout_g = out_channels // groups
    taps = list(itertools.product(*map(range, spatial)))
    w = sympy.zeros(in_channels * len(taps), out_channels)
    for o in range(out_channels):
        for c in range(in_channels):
            if _group_of(o, cout_g) == _group_of(c, cin_g):
                for t, m in enumerate(taps):
                    w[c * len(taps) + t, o] = kernel[(o, c % cin_g, *m)]
    return w


@theorem("im2col", family="decomposition",
         statement="C(k) x = X(x) k: the correlation applied to x equals the patch matrix of x "
                   "(one row per output position, one column per kernel tap and input channel) "
                   "times the flattened kernel.",
         latex=r"C(k)\, x = X(x)\, \operatorname{vec}(k)",
         parameters={**LAYER, "input_shape": (4,), "kernel_shape": (3,), "stride": 1,
                     "padding": 1},
         domain=lambda: _small_domain(CHANNEL_POINTS), domain_text=SMALL + CHANNEL_TEXT)
def im2col(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
           groups) -> Outcome:
    """Both sides as vectors of bilinear forms in (k, x); difference expands to 0."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    op = correlation(g, in_channels, out_channels, groups)
    x = input_symbols(op.input_shape)
    lhs = op.matrix * sympy.Matrix(flat(x))
    patches = patch_matrix(x, g)
    w = _kernel_columns(op.kernel, in_channels, groups)
    product = patches * w
    rhs = sympy.Matrix(flat(sympy.Array(product.T.tolist())))
    difference = first_difference(lhs, rhs, ("C(k) x", "X(x) k"))
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; "
             f"{_channels_text(in_channels, out_channels, groups)}.",
             (Math(r"X_{i,(c,m)} = x^{\mathrm{pad}}_{c,\ s i + d m},\qquad "
                   r"W_{(c,m),o} = k_{o,c,m}",
                   "X[i, (c, m)] = xpad[c, s i + d m],  W[(c, m), o] = k[o, c, m]"),)),
        Step("Patch matrix and kernel columns", "Row $i$ of $X$ is the window output $i$ "
             "reads; column $o$ of $W$ is output channel $o$'s kernel (zero outside its "
             "group).", (show("X(x)", patches), show("W", w))),
        Step("Both sides", "$X W$ has one column per output channel; stacking the columns "
             "gives $C x$ in (channel, position) order.",
             (show("C(k)\\,x", lhs.T), show("X(x)\\,W", rhs.T))),
        comparison_step(r"C(k)\,x", r"X(x)\,W", lhs.rows, difference is None, difference),
    )
    agrees = numeric_agrees(op, lambda xv, wv: numeric.correlate(xv, wv, g, groups))
    return with_index_proof(Outcome(difference is None, steps, difference, numeric=agrees),
                            "im2col")


# ---------------------------------------------------------------------------
# Separable, depthwise separable and 1x1
# ---------------------------------------------------------------------------


def _axis_geometry(g: Geometry, axis: int) -> Geometry:
    return Geometry((g.input_shape[axis],), (g.kernel_shape[axis],), g.stride[axis],
                    (g.pads[axis],), g.dilation[axis])


def _separable_domain():
    points = []
    for n, k, s, p, d in itertools.product([(2, 3), (3, 3), (4, 3)], [(1, 2), (2, 2), (3, 2)],
                                           [(1, 1), (2, 1), (1, 2)], [(0, 0), (1, 0), (0, 1)],
                                           [(1, 1), (1, 2)]):
        try:
            Geometry(n, k, s, p, d)
        except SymconvError:
            continue
        points.append({"input_shape": n, "kernel_shape": k, "stride": s, "padding": p,
                       "dilation": d})
    points.sort(key=lambda q: (math.prod(q["input_shape"]), math.prod(q["kernel_shape"]),
                               sum(q["stride"]), sum(q["padding"]), sum(q["dilation"])))
    return points[::3]


@theorem("separable", family="decomposition",
         statement="A rank-1 2-D kernel K = a b^T gives a Kronecker-factored correlation "
                   "matrix C = C_a ⊗ C_b, where C_a, C_b are the 1-D correlations along each "
                   "axis with that axis' stride, padding and dilation.",
         latex=r"K = a\, b^{\mathsf T} \implies C(K) = C(a) \otimes C(b)",
         parameters={"input_shape": (4, 4), "kernel_shape": (3, 2), "stride": (2, 1),
                     "padding": (1, 0), "dilation": (1, 1)},
         domain=_separable_domain,
         domain_text="every third (in size order) valid 2-D layer with input 2x3, 3x3 or 4x3, "
                     "kernel 1x2, 2x2 or 3x2, stride (1,1), (2,1) or (1,2), padding (0,0), "
                     "(1,0) or (0,1), dilation (1,1) or (1,2)")
def separable(input_shape, kernel_shape, stride, padding, dilation) -> Outcome:
    """Substitute ``K[m, n] = a_m b_n`` into the 2-D C; compare with the Kronecker product."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    c2 = correlation(g)
    a = indexed_symbols((kernel_shape[0],), "a")
    b = indexed_symbols((kernel_shape[1],), "b")
    outer = [a[m] * b[n] for m in range(kernel_shape[0]) for n in range(kernel_shape[1])]
    lhs = _with_kernel(c2, outer)
    c_a = _with_kernel(correlation(_axis_geometry(g, 0)), flat(a))
    c_b = _with_kernel(correlation(_axis_geometry(g, 1)), flat(b))
    rhs = sympy.kronecker_product(sympy.Matrix(c_a), sympy.Matrix(c_b))
    difference = first_difference(lhs, rhs, ("C(a b^T)", "C_a ⊗ C_b"))
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; kernel $K_{{m,n}} = a_m b_n$.",
             (Math(r"\sum_{m,n} a_m b_n\, x_{s_0 i_0 - p_0 + d_0 m,\ s_1 i_1 - p_1 + d_1 n} "
                   r"= \sum_m a_m \sum_n b_n\, x_{\dots}",
                   "sum_{m,n} a[m] b[n] x[.., ..] = sum_m a[m] sum_n b[n] x[.., ..]"),)),
        Step("One axis each", "With row-major flattening, output $(i_0, i_1)$ is row "
             "$i_0 \\cdot \\text{out}_1 + i_1$: exactly the Kronecker product's indexing.",
             (show("C_a", c_a), show("C_b", c_b))),
        Step("Both sides", "", (show(r"C(a b^{\mathsf T})", lhs),
                                show(r"C_a \otimes C_b", rhs))),
        comparison_step(r"C(a b^{\mathsf T})", r"C_a \otimes C_b", entries_count(rhs),
                        difference is None, difference),
    )
    g0 = Geometry(g.input_shape, (kernel_shape[0], 1), (g.stride[0], 1),
                  (g.pads[0], (0, 0)), (g.dilation[0], 1))
    g1 = Geometry(g0.output_shape, (1, kernel_shape[1]), (1, g.stride[1]),
                  ((0, 0), g.pads[1]), (1, g.dilation[1]))
    agrees = True
    for t in range(3):
        x = random_integers((1, *input_shape), 2 * t)
        av, bv = random_integers((kernel_shape[0],), 7 * t + 1), random_integers(
            (kernel_shape[1],), 7 * t + 2)
        whole = numeric.correlate(x, np.outer(av, bv)[None, None], g)
        passes = numeric.correlate(numeric.correlate(x, av[None, None, :, None], g0),
                                   bv[None, None, None, :], g1)
        agrees = agrees and np.allclose(whole, passes)
    return Outcome(difference is None, steps, difference, numeric=agrees)


DEPTHWISE_DEFAULTS = {"input_shape": (3, 3), "kernel_shape": (2, 2), "stride": 1, "padding": 0,
                      "dilation": 1, "in_channels": 2, "out_channels": 3,
                      "depth_multiplier": 1}


def _depthwise_domain():
    points = []
    for n, k, s, p, d in [((3,), (2,), 1, 0, 1), ((4,), (2,), 2, 1, 1), ((5,), (2,), 1, 0, 2),
                          ((3, 3), (2, 2), 1, 1, 1)]:
        for cin, cout, mult in [(1, 1, 1), (2, 1, 1), (2, 3, 1), (2, 2, 2), (3, 2, 2)]:
            points.append({"input_shape": n, "kernel_shape": k, "stride": s, "padding": p,
                           "dilation": d, "in_channels": cin, "out_channels": cout,
                           "depth_multiplier": mult})
    return points


@theorem("depthwise-separable", family="decomposition",
         statement="A depthwise correlation (groups = in_channels, depth multiplier M) "
                   "followed by a 1x1 correlation equals one correlation with kernel "
                   "K[o, c, m] = sum_j P[o, cM + j] D[cM + j, m].",
         latex=r"C_{1\times 1}(P)\, C_{\text{dw}}(D) = C(K),\quad "
               r"K_{o,c,m} = \sum_{j < M} P_{o,\,cM + j}\, D_{cM + j,\,m}",
         parameters=DEPTHWISE_DEFAULTS, domain=_depthwise_domain,
         domain_text="1-D layers (3,k2), (4,k2,s2,p1), (5,k2,d2) and a 2-D 3x3 layer (k2x2, "
                     "p1), each with (C_in, C_out, M) in (1,1,1), (2,1,1), (2,3,1), (2,2,2), "
                     "(3,2,2)")
def depthwise_separable(input_shape, kernel_shape, stride, padding, dilation, in_channels,
                        out_channels, depth_multiplier) -> Outcome:
    """The product of the two operators against one correlation with the product kernel."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    integer("depth_multiplier", depth_multiplier, minimum=1, error=TheoremError)
    mid = in_channels * depth_multiplier
    depthwise = correlation(g, in_channels, mid, groups=in_channels, kernel_name="D")
    pointwise = correlation(Geometry(g.output_shape, (1,) * g.ndim), mid, out_channels,
                            kernel_name="P")
    lhs = pointwise.matrix * depthwise.matrix
    single = correlation(g, in_channels, out_channels)
    taps = list(itertools.product(*map(range, kernel_shape)))
    zeros = (0,) * g.ndim
    combined = [sympy.Add(*[pointwise.kernel[(o, c * depth_multiplier + j, *zeros)]
                            * depthwise.kernel[(c * depth_multiplier + j, 0, *m)]
                            for j in range(depth_multiplier)])
                for o in range(out_channels) for c in range(in_channels) for m in taps]
    rhs = _with_kernel(single, combined)
    difference = first_difference(lhs, rhs, ("C_1x1(P) C_dw(D)", "C(K)"))
    k_array = sympy.Array(combined, (out_channels, in_channels, len(taps)))
    steps = (
        Step("Setting", f"Depthwise layer: {layer_text(g)}, {in_channels} -> {mid} channels "
             f"in {in_channels} groups; then a 1x1 layer {mid} -> {out_channels}.",
             (Math(r"y_o = \sum_{c} \sum_{j} P_{o,cM+j} \sum_m D_{cM+j,m}\, x_{c,\,s i - p + "
                   r"d m} = \sum_c \sum_m K_{o,c,m}\, x_{c,\,s i - p + d m}",
                   "y[o] = sum_c sum_j P[o, cM+j] sum_m D[cM+j, m] x[c, s i - p + d m] "
                   "= sum_c sum_m K[o, c, m] x[c, ...]"),)),
        Step("The combined kernel", "Layout (out, in, taps).", (show("K", k_array),)),
        Step("Both sides", "", (show(r"C_{1\times 1}(P)\, C_{\text{dw}}(D)", lhs),
                                show("C(K)", rhs))),
        comparison_step(r"C_{1\times 1} C_{\text{dw}}", "C(K)", entries_count(rhs),
                        difference is None, difference),
    )
    g1 = Geometry(g.output_shape, (1,) * g.ndim)
    agrees = True
    for t in range(3):
        x = random_integers((in_channels, *input_shape), 3 * t)
        dv = random_integers((mid, 1, *kernel_shape), 3 * t + 1)
        pv = random_integers((out_channels, mid) + (1,) * g.ndim, 3 * t + 2)
        kv = np.einsum("ocj...,cj...->oc...",
                       pv.reshape(out_channels, in_channels, depth_multiplier),
                       dv.reshape(in_channels, depth_multiplier, *kernel_shape))
        two = numeric.correlate(numeric.correlate(x, dv, g, in_channels), pv, g1)
        agrees = agrees and np.allclose(two, numeric.correlate(x, kv, g))
    return Outcome(difference is None, steps, difference, numeric=agrees)


def _one_by_one_domain():
    points = []
    for n, s, p in [((2,), 1, 0), ((3,), 2, 0), ((3,), 1, 1), ((2, 2), 1, 0), ((3, 2), 2, 1)]:
        for cin, cout, groups in [(1, 1, 1), (2, 3, 1), (3, 2, 1), (2, 2, 2), (4, 2, 2)]:
            points.append({"input_shape": n, "stride": s, "padding": p, "in_channels": cin,
                           "out_channels": cout, "groups": groups})
    return points


@theorem("one-by-one", family="decomposition",
         statement="A 1x1 correlation is a per-pixel channel matmul: C = W ⊗ S with W the "
                   "C_out x C_in weight matrix (block diagonal with groups) and S the spatial "
                   "selection (S = I at stride 1 without padding).",
         latex=r"C_{1\times 1} = W \otimes S,\qquad S = D_s\, P_p\ (= I \text{ at } s = 1, "
               r"p = 0)",
         parameters={"input_shape": (2, 3), "stride": 1, "padding": 0, "in_channels": 2,
                     "out_channels": 3, "groups": 1},
         domain=_one_by_one_domain,
         domain_text="inputs 2, 3 (s2), 3 (p1), 2x2, 3x2 (s2, p1), each with (C_in, C_out, "
                     "groups) in (1,1,1), (2,3,1), (3,2,1), (2,2,2), (4,2,2)")
def one_by_one(input_shape, stride, padding, in_channels, out_channels, groups) -> Outcome:
    """The 1x1 correlation matrix against the Kronecker product ``W ⊗ (D_s P_p)``."""
    ndim = len(input_shape)
    g = Geometry(input_shape, (1,) * ndim, stride, padding)
    op = correlation(g, in_channels, out_channels, groups)
    cin_g, cout_g = in_channels // groups, out_channels // groups
    w = sympy.Matrix(out_channels, in_channels, lambda o, c: op.kernel[(o, c % cin_g)
                                                                       + (0,) * ndim]
                     if _group_of(o, cout_g) == _group_of(c, cin_g) else 0)
    pad = zero_padding(input_shape, g.pads)
    select = decimation(pad.output_shape[1:], g.stride).matrix * pad.matrix
    rhs = sympy.kronecker_product(w, sympy.Matrix(select))
    difference = first_difference(op.matrix, rhs, ("C_1x1", "W ⊗ S"))
    steps = (
        Step("Setting", f"1x1 layer: {layer_text(g)}; "
             f"{_channels_text(in_channels, out_channels, groups)}. Rows and columns are "
             "ordered (channel, pixel), so a per-pixel channel mix is a Kronecker product.",
             (Math(r"y_{o,i} = \sum_c W_{o,c}\, x_{c,\ s i - p}",
                   "y[o, i] = sum_c W[o, c] x[c, s i - p]"),)),
        Step("The factors", "", (show("W", w), show("S", select))),
        Step("Both sides", "", (show(r"C_{1\times 1}", op.matrix), show(r"W \otimes S", rhs))),
        comparison_step(r"C_{1\times 1}", r"W \otimes S", entries_count(rhs),
                        difference is None, difference),
    )

    def oracle_identity(x, wv):
        pixels = numeric.decimate(numeric.pad(x, g.pads), g.stride)
        dense = np.zeros((out_channels, in_channels))
        for o in range(out_channels):
            first = _group_of(o, cout_g) * cin_g
            dense[o, first:first + cin_g] = wv[o].reshape(-1)
        return (dense @ pixels.reshape(in_channels, -1)).reshape(out_channels,
                                                                   *pixels.shape[1:])

    agrees = (numeric_agrees(op, lambda x, wv: numeric.correlate(x, wv, g, groups))
              and numeric_agrees(op, oracle_identity))
    return Outcome(difference is None, steps, difference, numeric=agrees)


# ---------------------------------------------------------------------------
# Transposed convolution as a stride-1 correlation
# ---------------------------------------------------------------------------


def pad_or_crop(shape: Sequence[int], pads: Sequence[tuple[int, int]],
                channels: int = 1) -> sympy.SparseMatrix:
    """Zero padding by ``(before, after)`` per axis; a negative amount crops instead.

    :func:`symconv.operators.zero_padding` takes non-negative pads only; the recipe for
    a transposed convolution with ``p > d(k-1)`` needs cropping.

    Examples
    --------
    >>> pad_or_crop((3,), [(1, -1)])
    Matrix([
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 0]])
    """
    out = tuple(n + b + a for n, (b, a) in zip(shape, pads))
    if min(out) < 1:
        raise ValueError(f"pads {tuple(pads)} leave nothing of shape {tuple(shape)}")
    in_size, out_size = math.prod(shape), math.prod(out)
    entries = {}
    for j in itertools.product(*map(range, shape)):
        target = tuple(a + b for a, (b, _) in zip(j, pads))
        if all(0 <= t < o for t, o in zip(target, out)):
            row = int(np.ravel_multi_index(target, out))
            col = int(np.ravel_multi_index(j, shape))
            for c in range(channels):
                entries[(c * out_size + row, c * in_size + col)] = 1
    return sympy.SparseMatrix(channels * out_size, channels * in_size, entries)


def recipe_pads(tg: TransposedGeometry, inserted: Sequence[int], pad_rule: str
                ) -> tuple[tuple[int, int], ...]:
    """The padding of step 3 of the recipe, per axis.

    ``"exact"``: before ``d(k-1) - p``; after whatever makes the stride-1 output the
    transposed output size (``d(k-1) - p + output_padding`` with zeros only between samples).
    ``"notes"``: seed 003's rule: the total from the sizes, split as TensorFlow's SAME (odd
    pixel after), then before and after swapped.
    """
    pads = []
    for n_out, k, d, p, length in zip(tg.output_shape, tg.kernel_shape, tg.dilation,
                                      tg.padding, inserted):
        total = n_out + d * (k - 1) - length
        if pad_rule == "exact":
            before = d * (k - 1) - p
        else:
            before = total - total // 2
        pads.append((before, total - before))
    return tuple(pads)


def _recipe_kernel(weights: sympy.NDimArray, in_channels: int, out_channels: int,
                   groups: int) -> list[sympy.Expr]:
    """Correlation kernel (out, in/groups, *k) = the ConvTranspose weight flipped, channels
    swapped: ``K[o, c', m] = W[g C_in/groups + c', o mod (C_out/groups), K - 1 - m]``."""
    spatial = tuple(weights.shape[2:])
    cin_g, cout_g = in_channels // groups, out_channels // groups
    flipped = []
    for o in range(out_channels):
        first = _group_of(o, cout_g) * cin_g
        for c in range(cin_g):
            for m in itertools.product(*map(range, spatial)):
                back = tuple(k - 1 - a for a, k in zip(m, spatial))
                flipped.append(weights[(first + c, o % cout_g, *back)])
    return flipped


def transposed_domain() -> list[dict[str, Any]]:
    """The exhaustive domain of the 1-D transposed-convolution theorems, smallest first:
    every valid geometry with ``n, k <= 3``, ``s <= 3``, ``p <= 1``, ``d <= 2``."""
    points = []
    for n in range(1, 4):
        for k in range(1, 4):
            for s in (1, 2, 3):
                for p in (0, 1):
                    for d in (1, 2):
                        for op in range(max(s, d)):
                            try:
                                TransposedGeometry((n,), (k,), s, p, op, d)
                            except SymconvError:
                                continue
                            points.append({**TRANSPOSED_DEFAULTS, "input_shape": (n,),
                                           "kernel_shape": (k,), "stride": s, "padding": p,
                                           "output_padding": op, "dilation": d})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]
                               + q["padding"] + q["output_padding"] + q["dilation"]))
    return points + [
        {**TRANSPOSED_DEFAULTS, "in_channels": 2, "out_channels": 3},
        {**TRANSPOSED_DEFAULTS, "in_channels": 4, "out_channels": 2, "groups": 2},
        {**TRANSPOSED_DEFAULTS, "input_shape": (2, 2), "kernel_shape": (3, 2),
         "stride": (2, 1), "padding": (1, 0), "output_padding": (1, 0), "dilation": 1},
    ]


TRANSPOSED_DEFAULTS = {"input_shape": (3,), "kernel_shape": (3,), "stride": 2, "padding": 1,
                       "output_padding": 1, "dilation": 1, "in_channels": 1, "out_channels": 1,
                       "groups": 1, "pad_rule": "exact", "insertion": "between"}


@theorem("transposed-as-convolution", family="decomposition",
         statement="The scatter-defined transposed convolution equals a stride-1 correlation "
                   "of the zero-inserted (s-1 zeros between samples), padded (d(k-1)-p before, "
                   "d(k-1)-p+output_padding after) input with the flipped, dilated kernel, "
                   "channels swapped: T = C_flip P Z.",
         latex=r"T = C_{\text{flip}}\, P\, Z,\quad P:\ (d(k-1) - p,\ d(k-1) - p + "
               r"\mathrm{op})",
         parameters=TRANSPOSED_DEFAULTS, domain=transposed_domain,
         domain_text="every valid 1-D ConvTranspose with n<=3, k<=3, s<=3, p<=1, d<=2, "
                     "output_padding < max(s, d); plus 2->3 channels, 4->2 channels in 2 "
                     "groups, and a 2-D 2x2 input (kernel 3x2, stride (2,1))")
def transposed_as_convolution(input_shape, kernel_shape, stride, padding, output_padding,
                              dilation, in_channels, out_channels, groups, pad_rule,
                              insertion) -> Outcome:
    """Build ``Z``, ``P`` and ``C_flip`` from the operators; compare ``C_flip P Z`` with T.

    ``insertion="after"`` appends ``s-1`` zeros after every sample (the notes' literal
    wording); ``pad_rule="notes"`` uses seed 003's padding rule (see :func:`recipe_pads`).
    """
    if pad_rule not in ("exact", "notes") or insertion not in ("between", "after"):
        raise SymconvError(f"pad_rule must be 'exact' or 'notes' and insertion 'between' or "
                           f"'after', got {pad_rule!r}, {insertion!r}")
    tg = TransposedGeometry(input_shape, kernel_shape, stride, padding, output_padding, dilation)
    inserted = tuple((n - 1) * s + 1 for n, s in zip(tg.input_shape, tg.stride))
    z = f"upsample(x, {_claim_tuple(tg.stride)})"
    if insertion == "after":
        inserted = tuple(n + s - 1 for n, s in zip(inserted, tg.stride))
        z = (f"pad({z}, {_claim_tuple((0,) * len(inserted))}, "
             f"{_claim_tuple(tuple(s - 1 for s in tg.stride))})")
    pads = recipe_pads(tg, inserted, pad_rule)
    grown = (f"pad({z}, {_claim_tuple([max(b, 0) for b, _ in pads])}, "
             f"{_claim_tuple([max(a, 0) for _, a in pads])})")
    if min(min(pair) for pair in pads) < 0:  # a negative amount crops
        grown = (f"crop({grown}, {_claim_tuple([max(-b, 0) for b, _ in pads])}, "
                 f"{_claim_tuple([max(-a, 0) for _, a in pads])})")
    claim = (f"conv_transpose(x, k, stride={_claim_tuple(tg.stride)}, "
             f"padding={_claim_tuple(tg.padding)}, "
             f"output_padding={_claim_tuple(tg.output_padding)}, "
             f"dilation={_claim_tuple(tg.dilation)}, groups=g) == "
             f"corr({grown}, flip(transpose_weight(k, groups=g)), "
             f"dilation={_claim_tuple(tg.dilation)}, groups=g)")
    outcome = claim_outcome(claim, **layer_signals(tg.input_shape, tg.kernel_shape,
                                                   in_channels, out_channels, groups,
                                                   transposed=True))
    return with_index_proof(outcome, "transposed-as-convolution",
                            pad_rule == "exact" and insertion == "between")


__all__ = [
    "column_count", "depthwise_separable", "dilation", "formula_matrix", "im2col",
    "one_by_one", "pad_or_crop", "patch_matrix", "recipe_pads", "separable",
    "stride_as_subsampling", "toeplitz", "transposed_as_convolution", "transposed_domain",
    "zero_inserted_kernel",
]
