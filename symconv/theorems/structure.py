"""Structure theorems: transposed convolution = Cᵀ, adjoint, flip.

Each check builds both sides with symbolic kernel (and input) entries at the
given sizes and compares them exactly; a NumPy oracle from
:mod:`symconv.numeric` cross-checks the operators it used.
"""

from __future__ import annotations

import sympy

from .. import numeric
from ..geometry import Geometry, TransposedGeometry, transposed_output_size
from ..operators import correlation, input_symbols, transposed_convolution
from ..proof import Math, Step
from .common import (
    CORRELATION_INDEX,
    LAYER,
    comparison_step,
    entries_count,
    geometry_of,
    layer_text,
    numeric_agrees,
    show,
)
from .engine import Outcome, first_difference, theorem


def small_layers(ndim: int = 1, max_n: int = 6, max_k: int = 3, max_s: int = 3,
                 max_p: int = 2, max_d: int = 2):
    """Every valid 1-D layer up to the given bounds, smallest first (the default domain)."""
    points = []
    for n in range(1, max_n + 1):
        for k in range(1, max_k + 1):
            for s in range(1, max_s + 1):
                for p in range(0, max_p + 1):
                    for d in range(1, max_d + 1):
                        if d * (k - 1) + 1 <= n + 2 * p:
                            points.append({**LAYER, "input_shape": (n,) * ndim,
                                           "kernel_shape": (k,) * ndim, "stride": s,
                                           "padding": p, "dilation": d})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]
                               + q["padding"] + q["dilation"]))
    return points


SMALL_1D = "every valid 1-D layer with n<=6, k<=3, s<=3, p<=2, d<=2, one channel"


def matching_transposed(g: Geometry, padding: int | tuple) -> TransposedGeometry:
    """The ConvTranspose geometry that maps g's output size back to its input size."""
    op = tuple(n - transposed_output_size(o, k, s, p, 0, d) for n, o, k, s, p, d in zip(
        g.input_shape, g.output_shape, g.kernel_shape, g.stride, padding, g.dilation))
    return TransposedGeometry(g.output_shape, g.kernel_shape, g.stride, padding, op, g.dilation)


def _symmetric_padding(g: Geometry) -> tuple[int, ...]:
    from ..errors import GeometryError

    if any(b != a for b, a in g.pads):
        raise GeometryError(f"padding must be symmetric for a PyTorch ConvTranspose, got pads "
                            f"{g.pads} (valid: an int or one int per axis)")
    return tuple(b for b, _ in g.pads)


@theorem("transpose", family="structure",
         statement="The transposed convolution defined by its scatter rule equals C^T, "
                   "the transpose of the correlation matrix with the same kernel.",
         latex=r"\operatorname{conv\_transpose}(y; k) = C(k)^{\mathsf T} y",
         parameters=LAYER, domain=small_layers, domain_text=SMALL_1D)
def transpose(input_shape, kernel_shape, stride, padding, dilation, in_channels,
              out_channels, groups) -> Outcome:
    """``transposed_convolution`` (scatter rule, output_padding chosen to invert) = Cᵀ."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    tg = matching_transposed(g, _symmetric_padding(g))
    c = correlation(g, in_channels, out_channels, groups)
    t = transposed_convolution(tg, in_channels=out_channels, out_channels=in_channels,
                               groups=groups, kernel_name="k")
    lhs, rhs = t.matrix, c.matrix.T
    difference = first_difference(lhs, rhs, ("T", "C^T"))
    steps = (
        Step("Setting", f"Forward layer: {layer_text(g)}; channels {in_channels} -> "
             f"{out_channels}, groups {groups}. The transposed layer maps the output size back "
             f"with output_padding {tg.output_padding}.", (CORRELATION_INDEX,)),
        Step("Scatter rule", "The transposed convolution is defined on its own: input position "
             "$j$ with kernel offset $m$ adds $k_m\\,y_j$ to output position $s\\,j - p + d\\,m$.",
             (Math(r"T_{s j - p + d m,\; j} \mathrel{+}= k_m",
                   "T[s*j - p + d*m, j] += k[m]"),)),
        Step("Both matrices", "", (show("C", c.matrix), show("T", lhs),)),
        comparison_step("T", "C^{\\mathsf T}", entries_count(lhs), difference is None,
                        difference),
    )
    agrees = (numeric_agrees(c, lambda x, w: numeric.correlate(x, w, g, groups))
              and numeric_agrees(t, lambda x, w: numeric.conv_transpose(x, w, tg, groups)))
    return Outcome(difference is None, steps, difference, numeric=agrees)


@theorem("adjoint", family="structure",
         statement="<C x, y> = <x, C^T y> for all inputs x and outputs y: the transposed "
                   "convolution is the adjoint of the convolution.",
         latex=r"\langle C x, y \rangle = \langle x, C^{\mathsf T} y \rangle",
         parameters=LAYER, domain=small_layers, domain_text=SMALL_1D)
def adjoint(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
            groups) -> Outcome:
    """Both inner products as polynomials in k, x, y; their difference expands to 0."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    tg = matching_transposed(g, _symmetric_padding(g))
    c = correlation(g, in_channels, out_channels, groups)
    t = transposed_convolution(tg, in_channels=out_channels, out_channels=in_channels,
                               groups=groups, kernel_name="k")
    x, y = input_symbols(c.input_shape, "x"), input_symbols(c.output_shape, "y")
    cx, ty = c.apply(x), t.apply(y)
    lhs = sympy.Add(*[a * b for a, b in zip(_flat(cx), _flat(y))])
    rhs = sympy.Add(*[a * b for a, b in zip(_flat(x), _flat(ty))])
    difference = first_difference(lhs, rhs, ("<Cx,y>", "<x,T y>"))
    terms = len(sympy.expand(lhs).args) if lhs != 0 else 0
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; T is the scatter-defined transposed "
             "convolution (not built from C).", ()),
        Step("Inner products", f"Both sides expand to polynomials with {terms} terms "
             "$k\\,x\\,y$.", (Math(r"\langle C x, y\rangle = \sum_i y_i \sum_j C_{ij} x_j",
                                   "<Cx, y> = sum_i y_i sum_j C[i,j] x_j"),)),
        comparison_step(r"\langle Cx, y\rangle", r"\langle x, T y\rangle", 1,
                        difference is None, difference),
    )
    agrees = (numeric_agrees(c, lambda x, w: numeric.correlate(x, w, g, groups))
              and numeric_agrees(t, lambda x, w: numeric.conv_transpose(x, w, tg, groups)))
    return Outcome(difference is None, steps, difference, numeric=agrees)


def _flat(a: sympy.NDimArray) -> list:
    return list(sympy.flatten(a.tolist()))


@theorem("flip", family="structure",
         statement="Convolution equals correlation with the kernel flipped on every axis, "
                   "and correlation equals convolution with the flipped kernel.",
         latex=r"k \ast x = \operatorname{flip}(k) \star x,\quad "
               r"k \star x = \operatorname{flip}(k) \ast x",
         parameters=LAYER, domain=small_layers, domain_text=SMALL_1D)
def flip(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
         groups) -> Outcome:
    """Substitute the flipped kernel symbols into C and compare with the convolution matrix."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    corr = correlation(g, in_channels, out_channels, groups)
    conv = correlation(g, in_channels, out_channels, groups, flip=True)
    kernel = corr.kernel
    axes = tuple(range(2, kernel.rank()))
    flipped = _flip_array(kernel, axes)
    swap = dict(zip(_flat(kernel), _flat(flipped)))
    lhs = corr.matrix.xreplace(swap)
    difference = first_difference(lhs, conv.matrix, ("C(flip k)", "conv(k)"))
    back = first_difference(conv.matrix.xreplace(swap), corr.matrix)
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}.", ()),
        Step("Convolution", "The convolution matrix uses the kernel read backwards.",
             (show(r"C_{\ast}", conv.matrix), show(r"C_{\star}(\operatorname{flip} k)", lhs))),
        comparison_step(r"C_{\star}(\operatorname{flip} k)", r"C_{\ast}(k)",
                        entries_count(lhs), difference is None and back is None,
                        difference or back),
    )
    agrees = numeric_agrees(conv, lambda x, w: numeric.convolve(x, w, g, groups))
    holds = difference is None and back is None
    return Outcome(holds, steps, difference or back, numeric=agrees)


def _flip_array(a: sympy.NDimArray, axes: tuple[int, ...]) -> sympy.NDimArray:
    import numpy as np

    values = np.array(a.tolist(), dtype=object)
    return sympy.Array(np.flip(values, axis=axes).tolist())


__all__ = ["adjoint", "flip", "transpose", "geometry_of"]
