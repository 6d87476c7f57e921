"""Learning theorems: the gradients of a convolution layer, and a dense layer as a convolution.

- ``gradients`` (Deep Learning book, section 9.5): for ``Z = c(K, V, s)`` and a loss with
  ``G = dJ/dZ``, ``dJ/dV = h(K, G, s) = C^T G`` and ``dJ/dK = g(G, V, s)``, the correlation of
  ``V`` with ``G``: ``dJ/dK[o, c, m] = sum_i G[o, i] V[c, s i - p + d m]``.
- ``fc-as-conv``: a dense layer on ``C x H x W`` with ``N`` outputs is a convolution with
  ``N`` filters of size ``C x H x W``; applied to a larger map it slides, each output
  position being the dense layer on one window (the fully convolutional trick, with the
  notes' VGG example 224 -> 384: a ``1000 x 6 x 6`` map).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import sympy

from .. import numeric
from ..errors import TheoremError, require
from ..geometry import Geometry, conv_output_size, pool_output_size
from ..operators import correlation, indexed_symbols, input_symbols
from ..proof import ExactText, Math, Step
from .common import LAYER, layer_text, random_integers, show
from .engine import Outcome, first_difference, theorem
from .equivariance import flat
from .structure import matching_transposed, with_index_proof

FAMILY = "learning"


# ---------------------------------------------------------------------------
# Gradients of a convolution layer
# ---------------------------------------------------------------------------

GRADIENTS = {**LAYER, "input_shape": (5,), "kernel_shape": (3,), "stride": 2, "padding": 1,
             "in_channels": 2, "out_channels": 2}


def _gradients_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 6):
        for k in range(1, 4):
            for s in (1, 2):
                for p in (0, 1):
                    for d in (1, 2):
                        if d * (k - 1) + 1 <= n + 2 * p:
                            points.append({**GRADIENTS, "input_shape": (n,),
                                           "kernel_shape": (k,), "stride": s, "padding": p,
                                           "dilation": d, "in_channels": 1,
                                           "out_channels": 1})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]
                               + q["padding"] + q["dilation"]))
    return points


def _taps(g: Geometry):
    """Every ``(output position i, kernel offset m, input position j)`` with j inside."""
    for i in itertools.product(*map(range, g.output_shape)):
        for m in itertools.product(*map(range, g.kernel_shape)):
            j = tuple(s * a - p + d * b for a, b, s, d, (p, _) in
                      zip(i, m, g.stride, g.dilation, g.pads))
            if all(0 <= a < n for a, n in zip(j, g.input_shape)):
                yield i, m, j


def input_gradient(kernel: sympy.Array, grad: sympy.Array, g: Geometry, in_channels: int,
                   groups: int = 1) -> sympy.Array:
    """``h(K, G, s)``: scatter ``K[o, c, m] G[o, i]`` to input position ``s i - p + d m``.

    Examples
    --------
    >>> k, G = sympy.Array([[[1, 2]]]), sympy.Array([[10, 20]])
    >>> input_gradient(k, G, Geometry((3,), (2,)), 1)
    [[10, 40, 40]]
    """
    out_channels, per_group = kernel.shape[0], kernel.shape[1]
    values = np.zeros((in_channels, *g.input_shape), dtype=object)
    for o in range(out_channels):
        first = (o // (out_channels // groups)) * per_group
        for c, (i, m, j) in itertools.product(range(per_group), list(_taps(g))):
            values[(first + c, *j)] += kernel[(o, c, *m)] * grad[(o, *i)]
    return sympy.Array(values.tolist())


def kernel_gradient(grad: sympy.Array, inputs: sympy.Array, g: Geometry, kernel_shape: tuple,
                    groups: int = 1) -> sympy.Array:
    """``g(G, V, s)``: ``dJ/dK[o, c, m] = sum_i G[o, i] V[c, s i - p + d m]``.

    Examples
    --------
    >>> G, V = sympy.Array([[1, 1]]), sympy.Array([[1, 2, 3]])
    >>> kernel_gradient(G, V, Geometry((3,), (2,)), (1, 1, 2))
    [[[3, 5]]]
    """
    out_channels, per_group = kernel_shape[0], kernel_shape[1]
    values = np.zeros(kernel_shape, dtype=object)
    for o in range(out_channels):
        first = (o // (out_channels // groups)) * per_group
        for c, (i, m, j) in itertools.product(range(per_group), list(_taps(g))):
            values[(o, c, *m)] += grad[(o, *i)] * inputs[(first + c, *j)]
    return sympy.Array(values.tolist())


@theorem("gradients", family=FAMILY,
         statement="For Z = c(K, V, s) (multi-channel strided correlation) and a loss J with "
                   "G = dJ/dZ: dJ/dV = h(K, G, s) = C^T G (the scatter of K G back to the "
                   "input), and dJ/dK = g(G, V, s), the correlation of V with G: "
                   "dJ/dK[o,c,m] = sum_i G[o,i] V[c, s i - p + d m].",
         latex=r"\frac{\partial J}{\partial V} = C(K)^{\mathsf T} G = h(K, G, s),\qquad "
               r"\frac{\partial J}{\partial K_{o,c,m}} = \sum_i G_{o,i}\, "
               r"V_{c,\, s i - p + d m}",
         parameters=GRADIENTS, domain=_gradients_domain,
         domain_text="every valid 1-D layer with n<=5, k<=3, s<=2, p<=1, d<=2, one channel")
def gradients(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
              groups) -> Outcome:
    """Differentiate ``J = sum G * Z`` with SymPy; compare with ``h``, ``C^T G`` and ``g``."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    c = correlation(g, in_channels, out_channels, groups)
    kernel = c.kernel
    v = input_symbols(c.input_shape, "v")
    grad = input_symbols(c.output_shape, "g")
    z = c.apply(v)
    loss = sympy.Add(*[a * b for a, b in zip(flat(grad), flat(z))])
    d_v = sympy.Array([sympy.diff(loss, s) for s in flat(v)], c.input_shape)
    d_k = sympy.Array([sympy.diff(loss, s) for s in flat(kernel)], kernel.shape)
    h = input_gradient(kernel, grad, g, in_channels, groups)
    ctg = sympy.Array(list(c.matrix.T * sympy.Matrix(flat(grad))), c.input_shape)
    gk = kernel_gradient(grad, v, g, tuple(kernel.shape), groups)
    difference = (first_difference(d_v, h, ("dJ/dV", "h(K,G,s)"))
                  or first_difference(d_v, ctg, ("dJ/dV", "C^T G"))
                  or first_difference(d_k, gk, ("dJ/dK", "g(G,V,s)")))
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; channels {in_channels} -> {out_channels}, "
             f"groups {groups}. $V$ is the input, $K$ the kernel (the book's names: its "
             "entries print as $k_{o,c,m}$, those of $V$ and $G$ as $v$, $g$), $G = "
             "\\partial J / \\partial Z$ the gradient arriving from above, all symbolic.",
             (Math(r"C_{i,j} = K_m,\ \ m = \frac{j - s\,i + p}{d} \in \{0, \dots, k-1\};"
                   r"\ \ 0 \text{ otherwise}", "C[i, j] = K[m] with m = (j - s*i + p)/d if "
                   "that is an integer in 0..k-1, else 0"),
              Math(r"Z_{o,i} = \sum_{c,m} K_{o,c,m}\, V_{c,\, s i - p + d m},\qquad "
                   r"J = \sum_{o,i} G_{o,i} Z_{o,i}",
                   "Z[o,i] = sum_{c,m} K[o,c,m] V[c, s*i - p + d*m];  J = sum G * Z"))),
        Step("Why", "$J$ is linear in $Z$ with coefficients $G$, so this $J$ has exactly the "
             "gradient $G$ at $Z$, and by the chain rule any loss gives the same formulas. "
             "Each $V_{c,j}$ meets $K_{o,c,m} G_{o,i}$ once for every $(o, i, m)$ with "
             "$s i - p + d m = j$; each $K_{o,c,m}$ meets $G_{o,i} V_{c, s i - p + d m}$ once "
             "for every output $i$.",
             (Math(r"h(K, G, s)_{c,j} = \sum_{o}\sum_{(i,m):\, s i - p + d m = j} "
                   r"K_{o,c,m}\, G_{o,i}",
                   "h[c, j] = sum over (o, i, m) with s*i - p + d*m = j of K[o,c,m] G[o,i]"),
              Math(r"g(G, V, s)_{o,c,m} = \sum_i G_{o,i}\, V_{c,\, s i - p + d m}",
                   "g[o, c, m] = sum_i G[o,i] V[c, s*i - p + d*m]"))),
        Step("Input gradient", "SymPy's derivative, the scatter formula $h$ and $C^{\\mathsf T} "
             "G$ for input channel 0:",
             (show(r"\partial J / \partial V_{0}", sympy.Matrix([flat(d_v[0])])),
              show(r"h(K, G, s)_{0}", sympy.Matrix([flat(h[0])])))),
        Step("Kernel gradient", "SymPy's derivative and the correlation of $V$ with $G$ for "
             "kernel slice $(0, 0)$:",
             (show(r"\partial J / \partial K_{0,0}", sympy.Matrix([flat(d_k[0, 0])])),
              show(r"g(G, V, s)_{0,0}", sympy.Matrix([flat(gk[0, 0])])))),
        Step("Compare", "All entries of $\\partial J/\\partial V - h$, $\\partial J/\\partial V "
             "- C^{\\mathsf T} G$ and $\\partial J/\\partial K - g$ expand to $0$."
             if difference is None else f"The sides differ: {difference}.",
             (Math(r"\frac{\partial J}{\partial V} = h = C^{\mathsf T} G,\quad "
                   r"\frac{\partial J}{\partial K} = g" if difference is None else
                   r"\text{mismatch}", "dJ/dV = h = C^T G, dJ/dK = g" if difference is None
                   else "mismatch"),)),
    )
    return with_index_proof(Outcome(difference is None, steps, difference,
                                    numeric=difference is None and _gradients_numeric(
                                        g, in_channels, out_channels, groups)), "gradients")


def _loss(v: np.ndarray, w: np.ndarray, grad: np.ndarray, g: Geometry, groups: int) -> float:
    return float((grad * numeric.correlate(v, w, g, groups)).sum())


def _gradients_numeric(g: Geometry, in_channels: int, out_channels: int, groups: int) -> bool:
    """Exact finite differences of the oracle's forward pass against the oracle's
    transposed convolution (input gradient) and a dilated correlation of V with G
    (kernel gradient, stride d and dilation s swap roles)."""
    shape_w = (out_channels, in_channels // groups, *g.kernel_shape)
    v = random_integers((in_channels, *g.input_shape), 1)
    w = random_integers(shape_w, 2)
    grad = random_integers((out_channels, *g.output_shape), 3)
    base = _loss(v, w, grad, g, groups)
    fd_v = np.zeros(v.shape)
    for idx in np.ndindex(*v.shape):
        bumped = v.copy()
        bumped[idx] += 1
        fd_v[idx] = _loss(bumped, w, grad, g, groups) - base
    fd_w = np.zeros(w.shape)
    for idx in np.ndindex(*w.shape):
        bumped = w.copy()
        bumped[idx] += 1
        fd_w[idx] = _loss(v, bumped, grad, g, groups) - base
    if all(b == a for b, a in g.pads):
        tg = matching_transposed(g, tuple(b for b, _ in g.pads))
        if not np.allclose(numeric.conv_transpose(grad, w, tg, groups), fd_v):
            return False
    if groups == 1:
        swapped = Geometry(g.input_shape, g.output_shape, g.dilation, g.pads, g.stride)
        for o, c in itertools.product(range(out_channels), range(in_channels)):
            full = numeric.correlate(v[c:c + 1], grad[o][None, None], swapped)[0]
            window = tuple(slice(0, k) for k in g.kernel_shape)
            if not np.allclose(full[window], fd_w[(o, c)]):
                return False
    return True


# ---------------------------------------------------------------------------
# A dense layer is a convolution with a whole-map kernel
# ---------------------------------------------------------------------------

FC_AS_CONV = {"channels": 2, "window": (2, 2), "input_shape": (3, 3), "outputs": 2,
              "train_image": 224, "test_image": 384, "pool_blocks": 5, "features": 512,
              "classes": 1000}


def _fc_domain() -> list[dict[str, Any]]:
    points = []
    for window in ((1,), (2,), (1, 1), (2, 2)):
        for grow in (0, 1, 2):
            for channels in (1, 2):
                points.append({**FC_AS_CONV, "channels": channels, "window": window,
                               "input_shape": tuple(w + grow for w in window), "outputs": 2})
    points.sort(key=lambda q: (sum(q["input_shape"]), q["channels"]))
    return points


def vgg_feature_size(image: int, pool_blocks: int) -> int:
    """Spatial size after VGG's blocks: 3x3 'same' convolutions, then a 2x2/2 max pool each.

    Examples
    --------
    >>> vgg_feature_size(224, 5), vgg_feature_size(384, 5), vgg_feature_size(400, 5)
    (7, 12, 12)
    """
    size = image
    for _ in range(pool_blocks):
        size = conv_output_size(size, 3, 1, 1, 1)
        size = pool_output_size(size, 2, 2)
    return size


def _check_network(train_image, test_image, pool_blocks, features, classes) -> None:
    """The notes' network must be a real one: positive counts, a test image no smaller."""
    for name, value in (("pool_blocks", pool_blocks), ("features", features),
                        ("classes", classes)):
        require(value >= 1, name, value, "must be a positive integer", ">= 1",
                error=TheoremError)
    require(pool_blocks <= 16, "pool_blocks", pool_blocks, "must be a plausible VGG depth",
            "1 to 16", error=TheoremError)
    require(vgg_feature_size(train_image, pool_blocks) >= 1, "train_image", train_image,
            f"must survive {pool_blocks} 2x2/2 pools with at least one feature pixel",
            f">= {2 ** pool_blocks}", error=TheoremError)
    require(test_image >= train_image, "test_image", test_image,
            "must be at least the training image size (the dense layers slide over a "
            "larger map, never a smaller one)", f">= train_image = {train_image}",
            error=TheoremError)


def _network_arithmetic(train_image, test_image, pool_blocks, features, classes) -> dict:
    stride = 2 ** pool_blocks
    train, test = vgg_feature_size(train_image, pool_blocks), vgg_feature_size(test_image,
                                                                                pool_blocks)
    out = conv_output_size(test, train, 1)
    crops = (test_image - train_image) / stride + 1
    return {"total_stride": stride, "train_features": (features, train, train),
            "test_features": (features, test, test), "output": (classes, out, out),
            "positions": out * out, "crops_per_axis": crops,
            "last_crop_end": (out - 1) * stride + train_image}


@theorem("fc-as-conv", family=FAMILY,
         statement="A dense layer on a C x H x W map with N outputs equals a convolution with N "
                   "filters of size C x H x W (its rows reshaped). On a larger map the same "
                   "convolution slides: output (o, i, j) is the dense layer applied to the "
                   "window at (i, j). With the notes' VGG numbers (total stride 32) a 224 "
                   "network applied to 384 inputs gives a 1000 x 6 x 6 map, output (i, j) "
                   "aligned with the 224 crop at offset 32 (i, j), and the crops cover the "
                   "384 image exactly (refuted when test - train is not a multiple of the "
                   "stride).",
         latex=r"W \operatorname{vec}(x) = C(\operatorname{reshape} W)\, x,\qquad "
               r"\big(C(\operatorname{reshape} W)\, x\big)_{o,i,j} = "
               r"\big(W \operatorname{vec}(x_{:,\, i:i+H,\, j:j+W})\big)_o",
         parameters=FC_AS_CONV, domain=_fc_domain,
         domain_text="dense layers on 1-D windows 1, 2 and 2-D windows 1x1, 2x2, with 1 or 2 "
                     "channels, 2 outputs, inputs up to 2 larger per axis (VGG 224 -> 384)")
def fc_as_conv(channels, window, input_shape, outputs, train_image, test_image, pool_blocks,
               features, classes) -> Outcome:
    """Symbolic: dense = whole-map conv, and sliding windows. Integers: the VGG arithmetic."""
    window, input_shape = tuple(window), tuple(input_shape)
    for name, value in (("channels", channels), ("outputs", outputs)):
        require(value >= 1, name, value, "must be a positive integer", ">= 1",
                error=TheoremError)
    _check_network(train_image, test_image, pool_blocks, features, classes)
    require(len(window) == len(input_shape) and all(a >= b for a, b in
                                                    zip(input_shape, window)),
            "input_shape", input_shape, f"must have the axes of window {window} and be at "
            "least as large", error=TheoremError)
    size = channels * int(np.prod(window))
    dense = sympy.Matrix(indexed_symbols((outputs, size), "W").tolist())
    whole = correlation(Geometry(window, window), channels, outputs)
    reshape = {k: dense[o, r] for o in range(outputs)
               for r, k in enumerate(flat(whole.kernel[o]))}
    same = first_difference(whole.matrix.xreplace(reshape), dense, ("C(reshape W)", "W"))
    sliding = correlation(Geometry(input_shape, window), channels, outputs)
    x = input_symbols(sliding.input_shape)
    y = sliding.apply(x).xreplace(reshape)
    xs = np.array(flat(x), dtype=object).reshape(sliding.input_shape)
    slide = None
    for i in itertools.product(*map(range, sliding.output_shape[1:])):
        patch = xs[(slice(None), *[slice(a, a + w) for a, w in zip(i, window)])]
        applied = dense * sympy.Matrix(list(patch.ravel()))
        for o in range(outputs):
            if sympy.expand(y[(o, *i)] - applied[o]) != 0:
                slide = {"position": (o, *i), "conv": ExactText(y[(o, *i)]),
                         "dense on window": ExactText(applied[o])}
                break
        if slide:
            break
    net = _network_arithmetic(train_image, test_image, pool_blocks, features, classes)
    tiles = (test_image - train_image) % net["total_stride"] == 0
    arithmetic = None if tiles else {
        "test_image": test_image, "last_crop_end": net["last_crop_end"],
        "unseen": f"pixels {net['last_crop_end']}..{test_image - 1} lie in no crop"}
    difference = same or slide or arithmetic
    out = net["output"]
    steps = (
        Step("Setting", f"A dense layer with {outputs} outputs on a {channels} x "
             f"{' x '.join(map(str, window))} map: weight $W$ with {outputs} x {size} "
             "symbolic entries. Its convolution form has one filter per output row, "
             "reshaped to the map's shape.",
             (Math(r"K_{o,c,h,w} = W_{o,\ (c H + h) W + w}",
                   "K[o, c, h, w] = W[o, (c*H + h)*W + w]"),)),
        Step("Whole map", "On an input exactly the filter's size the convolution has one "
             "output position per filter, and its matrix is $W$:",
             (show(r"C(\operatorname{reshape} W)", whole.matrix.xreplace(reshape)),)),
        Step("Sliding", f"On a {' x '.join(map(str, input_shape))} input the convolution "
             f"gives {' x '.join(map(str, sliding.output_shape[1:]))} positions per output; "
             "each equals $W$ applied to the flattened window at that position"
             + (" (checked for every position)." if slide is None else f": fails at {slide}."),
             (show(r"C x", sympy.Matrix([flat(y[0])])),)),
        Step("The notes' network", f"VGG: {pool_blocks} blocks of 3x3 'same' convolutions "
             f"and a 2x2/2 max pool, total stride {net['total_stride']}. Features: "
             f"{train_image} -> {net['train_features']}, {test_image} -> "
             f"{net['test_features']}. FC6 as a {net['train_features'][1]}x"
             f"{net['train_features'][1]} convolution (and the FC layers after it as 1x1 "
             f"convolutions, {classes} classes at the end) gives {out[0]} x {out[1]} x "
             f"{out[2]}: {net['positions']} positions. Position $(i, j)$ is aligned with the "
             f"{train_image} crop at offset {net['total_stride']}$(i, j)$ (it is not exactly "
             "the network run on that crop: inside the large image the 'same' padding of "
             "the crop is replaced by real neighbouring pixels). The last crop ends at "
             f"{net['last_crop_end']}"
             + (f" = {test_image}, so the crops cover the image exactly." if tiles else
                f" < {test_image}: {arithmetic['unseen']}."),
             (Math(r"\frac{" + f"{test_image} - {train_image}" + r"}{" +
                   str(net["total_stride"]) + r"} + 1 = " +
                   sympy.latex(sympy.Rational(test_image - train_image, net["total_stride"])
                               + 1),
                   f"({test_image} - {train_image})/{net['total_stride']} + 1 = "
                   f"{sympy.Rational(test_image - train_image, net['total_stride']) + 1}"),)),
        Step("Compare", "Dense and convolution matrices are identical, every sliding position "
             "is the dense layer on its window, and the size arithmetic is exact."
             if difference is None else f"Fails: {difference}.",
             (Math(r"W = C(\operatorname{reshape} W)" if difference is None else
                   r"\text{mismatch}", "W = C(reshape W)" if difference is None else
                   "mismatch"),)),
    )
    return Outcome(difference is None, steps, difference,
                   numeric=difference is None and _fc_numeric(sliding, window, channels,
                                                               outputs))


def _fc_numeric(sliding, window: tuple[int, ...], channels: int, outputs: int) -> bool:
    """Oracle correlation with reshaped dense weights against the dense layer per window."""
    w = random_integers((outputs, channels * int(np.prod(window))), 0)
    x = random_integers(sliding.input_shape, 1)
    g = Geometry(sliding.input_shape[1:], window)
    y = numeric.correlate(x, w.reshape(outputs, channels, *window), g)
    for i in itertools.product(*map(range, g.output_shape)):
        patch = x[(slice(None), *[slice(a, a + k) for a, k in zip(i, window)])]
        if not np.allclose(y[(slice(None), *i)], w @ patch.ravel()):
            return False
    return True


__all__ = ["fc_as_conv", "gradients", "input_gradient", "kernel_gradient", "vgg_feature_size"]
