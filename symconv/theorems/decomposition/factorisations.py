"""The correlation matrix as a product of simpler operators: ``dilation`` (the
zero-inserted kernel), ``stride-as-subsampling`` (``C_s = D_s C_1``), ``im2col``
(``C(k) x = X(x) k``), ``separable`` (``C = C_a ⊗ C_b``), ``depthwise-separable``
(``K = P D``) and ``one-by-one`` (``W ⊗ S``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import sympy

from ... import numeric
from ...claim.theorem import claim_outcome, layer_keywords, layer_signals
from ...errors import SymconvError, TheoremError
from ...geometry import Geometry
from ...operators import (
    correlation,
    decimation,
    indexed_symbols,
    input_symbols,
    zero_insertion,
    zero_padding,
)
from ...proof import Math, Step
from ...validation import integer
from ..common import (
    LAYER,
    comparison_step,
    entries_count,
    flat,
    layer_text,
    numeric_agrees,
    random_integers,
    show,
)
from ..engine import Outcome, first_difference, theorem
from ..structure import with_index_proof
from .shared import (
    CHANNEL_POINTS,
    CHANNEL_TEXT,
    SMALL,
    channels_text,
    claim_tuple,
    group_of,
    small_domain,
    with_kernel,
)


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
         domain=lambda: small_domain(CHANNEL_POINTS), domain_text=SMALL + CHANNEL_TEXT)
def dilation(input_shape, kernel_shape, stride, padding, dilation, in_channels,
             out_channels, groups) -> Outcome:
    """Defined by its claim text: the dilated correlation against the undilated one with
    the zero-inserted kernel (``upsample(k, d)``), checked by :func:`symconv.check`."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    undilated = layer_keywords(g, dilation=False)
    claim = (f"corr(x, k, {layer_keywords(g)}) == "
             f"corr(x, upsample(k, {claim_tuple(g.dilation)}), {undilated})")
    outcome = claim_outcome(claim, **layer_signals(g.input_shape, g.kernel_shape,
                                                   in_channels, out_channels, groups))
    return with_index_proof(outcome, "dilation")


@theorem("stride-as-subsampling", family="decomposition",
         statement="A correlation with stride s equals the stride-1 correlation (same kernel, "
                   "padding, dilation) followed by keeping every s-th output: C_s = D_s C_1.",
         latex=r"C_s = D_s\, C_1",
         parameters={**LAYER, "input_shape": (5, 5), "stride": 2, "padding": 1},
         domain=lambda: small_domain(CHANNEL_POINTS), domain_text=SMALL + CHANNEL_TEXT)
def stride_as_subsampling(input_shape, kernel_shape, stride, padding, dilation, in_channels,
                          out_channels, groups) -> Outcome:
    """Defined by its claim text: the strided correlation against every s-th output of the
    stride-1 correlation with the same resolved pads, checked by :func:`symconv.check`."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    claim = (f"corr(x, k, {layer_keywords(g)}) == "
             f"subsample(corr(x, k, {layer_keywords(g, stride=False)}), "
             f"{claim_tuple(g.stride)})")
    outcome = claim_outcome(claim, **layer_signals(g.input_shape, g.kernel_shape,
                                                   in_channels, out_channels, groups))
    return with_index_proof(outcome, "stride-as-subsampling")


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
            if group_of(o, cout_g) == group_of(c, cin_g):
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
         domain=lambda: small_domain(CHANNEL_POINTS), domain_text=SMALL + CHANNEL_TEXT)
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
             f"{channels_text(in_channels, out_channels, groups)}.",
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
    lhs = with_kernel(c2, outer)
    c_a = with_kernel(correlation(_axis_geometry(g, 0)), flat(a))
    c_b = with_kernel(correlation(_axis_geometry(g, 1)), flat(b))
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
    rhs = with_kernel(single, combined)
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
                     if group_of(o, cout_g) == group_of(c, cin_g) else 0)
    pad = zero_padding(input_shape, g.pads)
    select = decimation(pad.output_shape[1:], g.stride).matrix * pad.matrix
    rhs = sympy.kronecker_product(w, sympy.Matrix(select))
    difference = first_difference(op.matrix, rhs, ("C_1x1", "W ⊗ S"))
    steps = (
        Step("Setting", f"1x1 layer: {layer_text(g)}; "
             f"{channels_text(in_channels, out_channels, groups)}. Rows and columns are "
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
            first = group_of(o, cout_g) * cin_g
            dense[o, first:first + cin_g] = wv[o].reshape(-1)
        return (dense @ pixels.reshape(in_channels, -1)).reshape(out_channels,
                                                                   *pixels.shape[1:])

    agrees = (numeric_agrees(op, lambda x, wv: numeric.correlate(x, wv, g, groups))
              and numeric_agrees(op, oracle_identity))
    return Outcome(difference is None, steps, difference, numeric=agrees)
