r"""The network calculator: shapes, parameters, MACs and receptive fields of real networks.

A network is an input ``C x H x W`` (1 to 3 spatial axes) and layers written in a call
syntax like the frameworks', as a chain (:func:`shape`), as a text with named nodes,
``add``/``concat`` merges and repeated blocks (:func:`parse_network`,
:func:`shape_network`), or from a PyTorch module (:func:`network_from_torch`). Layers::

    conv(out, k, s=1, p=0, d=1, groups=1, bias=True)   p: int, per-axis tuple, per-axis
                                                       (before, after) pairs, or a name
                                                       same / valid / full / same_lower
    tconv(out, k, s=1, p=0, op=0, d=1, groups=1, bias=True)    PyTorch ConvTranspose
    maxpool(k, s=k, p=0, d=1, ceil=False)       p as conv's (names and pairs too)
    avgpool(k, s=k, p=0, ceil=False)
    adaptiveavgpool(out)  adaptivemaxpool(out)  globalavgpool  globalmaxpool
    upsample(scale=2, mode=nearest|bilinear)    pixelshuffle(r)
    flatten    fc(out, bias=True)    bn    layernorm    groupnorm(groups)
    relu  relu6  silu  gelu  sigmoid  tanh  dropout(p=0.5)     elementwise: 0 MACs

``k``, ``s``, ``p``, ``d`` and ``op`` may be per-axis tuples such as ``k=(3, 5)``.
The text is parsed with the grammar ``symconv/grammars/network.lark`` (through
:func:`symconv.grammar.parse`: no ``eval``, no SymPy parsing); every rejection is a
:class:`~symconv.errors.FormulaError` that names the text, the column and what is valid.

Conventions
-----------
Sizes and padding come from :mod:`symconv.geometry` (``Geometry``, ``TransposedGeometry``,
``PoolGeometry``); nothing here re-derives a padding rule.

**Parameters** count weights plus biases (``params``) and weights alone
(``params_no_bias``). ``bn`` has ``2C`` parameters (scale and shift; the running
statistics are buffers, not parameters).

**MACs** (multiply-adds; bias additions are ``bias_macs``, counted on request: see
:class:`Counting` for the conventions, ``--count bias,bn`` and FLOPs):

* ``conv``: ``prod(output shape) * (C_in / groups) * prod(k)``, the framework count, which
  includes the taps that land on zero padding;
* ``tconv``: the honest count, the number of (input pixel, kernel tap) pairs landing
  inside the output, times ``C_in * C_out / groups``; pairs that land in the cropped
  ``padding`` border are not work that reaches the output;
* ``fc``: ``in * out``; ``bn``, ``layernorm``, ``groupnorm``: one per element (inference
  form ``a x + b``), left out with ``count`` without ``bn``;
* pooling, activations, dropout, upsampling, pixel shuffle, ``flatten``, ``add``,
  ``concat``: 0 (a maximum, mean, copy or sum is not a multiply-add).

``macs_nonzero`` is the number of nonzero entries of the layer's matrix with all kernel
symbols nonzero, i.e. taps on zero padding excluded; it equals ``macs`` for ``tconv``
and ``fc``, and for ``conv`` without padding.

**Receptive field** (Araujo, Norris and Sim, Distill 2019). Per spatial axis, with
respect to the network input, after layer ``L``::

    r_L = 1 + sum_l (d_l (k_l - 1)) * S_{l-1}      receptive field (span, padding included)
    S_L = prod_l s_l                               effective stride
    P_L = sum_l p_l * S_{l-1}                      effective padding, p_l = the *left* pad

Output pixel ``o`` of layer ``L`` is computed from input pixels in the interval
``[o S_L - P_L, o S_L - P_L + r_L - 1]``; with dilation, or strides larger than the
kernel, the interval can contain pixels that do not take part (it is the span of the
support, not its size). Without transposed layers the interval is exact for every pixel
whose interval lies inside the input; near the border the support is the subset reached
through non-padding intermediate pixels (the tests check both against autograd). Pooling
counts as a layer with its kernel, stride, left pad and dilation; activations, dropout
and ``bn`` as ``k = s = 1``. ``layernorm`` and ``groupnorm`` too (their local field; every
output also depends on the whole sample through the statistics, as the row's note says).
Adaptive pooling from ``n`` to ``m`` is exact (``k = s = n/m``) when ``m`` divides ``n``
and an enclosure otherwise; a global pool's field is the span of the union of its input's
fields, clipped to the input (like ``fc``). ``upsample`` by ``r`` and ``pixelshuffle(r)``
act like a transposed layer of stride ``1/r`` (below): ``nearest`` and pixel shuffle read
input ``floor(o / r)``, ``bilinear`` two neighbours; the interval encloses them.

**Graphs.** At ``add`` and ``concat`` the paths must be aligned (equal effective stride
and centre shift ``(r - 1)/2 - P``, google-research/receptive_field's rule); the node
takes the largest receptive field over its paths. See :mod:`symconv.network.graph`.

**Transposed layers.** A ``tconv`` with kernel ``k``, stride ``s``, padding ``p`` and
dilation ``d`` sends input ``i`` and tap ``j`` to output ``i s - p + j d``, so output ``o``
reads inputs ``i`` in ``[(o + p - d(k-1)) / s, (o + p) / s]``. That is the interval of a
layer with stride ``1/s``, left pad ``(d(k-1) - p) / s`` and span ``d(k-1)/s + 1``; the
recursion above takes these as exact :class:`~fractions.Fraction` values, so ``S_L`` is
a product of strides and inverse strides. Which pixels of the interval are integers
depends on ``o mod s``: for chains with transposed layers the interval is an exact
*enclosure* of each output pixel's support (tight for a single undilated ``tconv``), and ``r_L``,
``S_L``, ``P_L`` describe the average geometry, reported exactly, never rounded.

**flatten and fc.** ``flatten`` only reshapes: each unit keeps the receptive field of the
unit it came from, but there is no spatial axis left, so effective stride and padding
are ``None``. ``fc`` must follow ``flatten`` (an error otherwise: frameworks' ``Linear``
on a spatial tensor acts on the last axis only, which is rarely what a shape calculator
should guess). Each ``fc`` unit depends on the whole input: its receptive field is the
span of the union of all the flattened units' fields, clipped to the input, which is the
input size unless earlier strides skip border pixels.

Examples
--------
>>> reports = shape("3x32x32", ["conv(16, k=3, p=1)", "maxpool(2)", "conv(32, 3, s=2)"])
>>> [r.output_shape for r in reports]
[(16, 32, 32), (16, 16, 16), (32, 7, 7)]
>>> reports[-1].receptive_field, reports[-1].effective_stride, reports[-1].effective_padding
((8, 8), (4, 4), (1, 1))
>>> reports[0].params, reports[0].macs
(448, 442368)
>>> shape("1x4", ["tconv(1, k=3, s=2)"])[0].effective_stride
(Fraction(1, 2),)

>>> net = parse_network("a = conv(8, 3, p=1); b = a -> conv(8, 3, p=1); add(a, b)", "1x8x8")
>>> shape_network(net)[-1].receptive_field
(5, 5)
"""

from __future__ import annotations

from typing import Any

from .fc_vs_conv import FcVsConv, fc_vs_conv
from .graph import LayerReport, Merge, Network, Node, chain_network, evaluate, shape
from .layers import (
    ELEMENTWISE,
    FC,
    GELU,
    LAYERS,
    NORMS,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    Conv,
    Dropout,
    Flatten,
    GlobalAvgPool,
    GlobalMaxPool,
    GroupNorm,
    Layer,
    LayerNorm,
    MaxPool,
    PixelShuffle,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Tanh,
    TConv,
    Upsample,
)
from .program import parse_network
from .report import Counting, NetworkTable, format_table, reports_to_dict
from .text import parse_input, parse_layer

__all__ = [
    "ELEMENTWISE", "FC", "GELU", "LAYERS", "NORMS", "AdaptiveAvgPool", "AdaptiveMaxPool",
    "AvgPool", "BatchNorm", "Conv", "Counting", "Dropout", "FcVsConv", "Flatten",
    "GlobalAvgPool", "GlobalMaxPool", "GroupNorm", "Layer", "LayerNorm", "LayerReport",
    "MaxPool", "Merge", "Network", "NetworkTable", "Node", "PixelShuffle", "ReLU", "ReLU6",
    "SiLU", "Sigmoid",
    "TConv", "Tanh", "Upsample", "chain_network", "evaluate", "fc_vs_conv", "format_table",
    "network_from_torch", "parse_input", "parse_layer", "parse_network", "reports_to_dict",
    "shape", "shape_network",
]


def shape_network(network: Network | str, input: Any = None, **options: Any) -> list[LayerReport]:
    """Reports of a :class:`Network`, or of a network text read by :func:`parse_network`."""
    if isinstance(network, str):
        network = parse_network(network, input, **options)
    return evaluate(network)


def network_from_torch(module: Any, input_shape: Any, **options: Any) -> Network:
    """The :class:`Network` of a PyTorch module, by ``torch.fx`` symbolic tracing.

    See :func:`symconv.network.torch_fx.network_from_torch`.
    """
    from .torch_fx import network_from_torch as trace

    return trace(module, input_shape, **options)
