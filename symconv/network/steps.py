"""One layer of the network calculator: its output shape, counts and map on the receptive field.

Every layer kind has a step function ``(layer, input shape) -> Step``. Sizes and padding
come from :mod:`symconv.geometry` (``Geometry``, ``TransposedGeometry``,
``PoolGeometry``); nothing here re-derives a padding rule.

``Step.field`` is per spatial axis ``(span - 1, stride, left pad)`` in the layer's input
units (exact ints or Fractions), or ``"flatten"``, ``"whole"`` (every output depends on
every input: fc) or ``"global"`` (a global pool: the span of the union, clipped to the
input).

Examples
--------
>>> from symconv.network.layers import Conv, Upsample
>>> step(Conv(8, 3, s=2, p=1), (3, 8, 8)).output_shape
(8, 4, 4)
>>> step(Upsample(2), (3, 5)).field
((Fraction(1, 2), Fraction(1, 2), Fraction(1, 2)),)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import prod
from typing import Any

from ..errors import GeometryError, OperatorError, describe
from ..geometry import Geometry, PoolGeometry, TransposedGeometry
from .layers import (
    ELEMENTWISE,
    FC,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    Axes,
    BatchNorm,
    Conv,
    Flatten,
    GlobalAvgPool,
    GlobalMaxPool,
    GroupNorm,
    Layer,
    LayerNorm,
    MaxPool,
    PixelShuffle,
    TConv,
    Upsample,
)


@dataclass(frozen=True)
class Step:
    """What one layer does: the shape it makes, its counts, how it widens the field.

    ``macs`` are the layer's own multiply-adds (weights only: bias additions are
    ``bias_macs``); a normalisation's ``macs`` are one multiply-add per element (its
    inference-time affine map ``a x + b``; the statistics are not counted).
    """

    output_shape: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    params: int
    params_no_bias: int
    macs: int
    macs_nonzero: int
    field: Any
    bias_macs: int = 0
    note: str = ""
    cropped_macs: int = 0


def fmt_shape(values: Any) -> str:
    """``(3, 224, 224)`` -> ``'3x224x224'``."""
    return "x".join(str(v) for v in values)


def _per_axis(value: Axes, ndim: int) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value,) * ndim


def _spatial(layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...]:
    if len(shape) < 2:
        raise GeometryError(describe(f"{layer.kind} input", fmt_shape(shape),
                                     "must have spatial axes (it is flat after flatten/fc)",
                                     "put spatial layers before flatten"))
    return shape[1:]


def _check_groups(layer: Conv | TConv, channels: int) -> None:
    for what, count in (("input channels", channels), ("output channels", layer.out)):
        if count % layer.groups:
            divisors = [g for g in range(1, count + 1) if count % g == 0][:8]
            raise OperatorError(describe(
                "groups", layer.groups, f"must divide the {what} {count}",
                ", ".join(map(str, divisors))))


def _hits(count: int, k: int, s: int, offset: int, d: int, limit: int) -> int:
    """Count pairs ``0 <= i < count``, ``0 <= j < k`` with ``0 <= i s - offset + j d < limit``."""
    total = 0
    for j in range(k):
        low = -(-(offset - j * d) // s)
        high = (limit - 1 + offset - j * d) // s
        total += max(0, min(high, count - 1) - max(low, 0) + 1)
    return total


def _conv_step(layer: Conv, shape: tuple[int, ...]) -> Step:
    spatial = _spatial(layer, shape)
    g = Geometry(spatial, _per_axis(layer.k, len(spatial)), layer.s, layer.p, layer.d)
    _check_groups(layer, shape[0])
    fan_in = shape[0] // layer.groups * prod(g.kernel_shape)
    weights = layer.out * fan_in
    out = (layer.out, *g.output_shape)
    taps = prod(_hits(o, k, s, pb, d, n) for n, k, s, d, (pb, _), o in zip(
        g.input_shape, g.kernel_shape, g.stride, g.dilation, g.pads, g.output_shape))
    field = tuple((d * (k - 1), s, pb) for k, s, d, (pb, _) in zip(
        g.kernel_shape, g.stride, g.dilation, g.pads))
    bias = layer.out if layer.bias else 0
    return Step(out, g.pads, weights + bias, weights, prod(out) * fan_in,
                layer.out * (shape[0] // layer.groups) * taps, field,
                bias_macs=prod(out) if layer.bias else 0)


def _tconv_step(layer: TConv, shape: tuple[int, ...]) -> Step:
    spatial = _spatial(layer, shape)
    t = TransposedGeometry(spatial, _per_axis(layer.k, len(spatial)), layer.s, layer.p,
                           layer.op, layer.d)
    _check_groups(layer, shape[0])
    weights = shape[0] * (layer.out // layer.groups) * prod(t.kernel_shape)
    pairs = prod(_hits(n, k, s, p, d, o) for n, k, s, p, d, o in zip(
        t.input_shape, t.kernel_shape, t.stride, t.padding, t.dilation, t.output_shape))
    macs = pairs * shape[0] * (layer.out // layer.groups)
    field = tuple((Fraction(d * (k - 1), s), Fraction(1, s), Fraction(d * (k - 1) - p, s))
                  for k, s, p, d in zip(t.kernel_shape, t.stride, t.padding, t.dilation))
    pads = tuple((p, p) for p in t.padding)
    bias = layer.out if layer.bias else 0
    out = (layer.out, *t.output_shape)
    every_pair = prod(t.input_shape) * prod(t.kernel_shape) * shape[0] * (layer.out // layer.groups)
    return Step(out, pads, weights + bias, weights, macs, macs, field,
                bias_macs=prod(out) if layer.bias else 0, cropped_macs=every_pair - macs)


def _pool_step(layer: MaxPool | AvgPool, shape: tuple[int, ...]) -> Step:
    """PyTorch's pooling for integer padding; padding names and pairs as conv's pads."""
    spatial = _spatial(layer, shape)
    ndim = len(spatial)
    kernel = _per_axis(layer.k, ndim)
    stride = kernel if layer.s is None else _per_axis(layer.s, ndim)
    dilation = getattr(layer, "d", 1)
    if isinstance(layer.p, str) or (isinstance(layer.p, tuple) and any(
            isinstance(p, tuple) for p in layer.p)):
        if layer.ceil:
            raise GeometryError(describe(f"{layer.kind} argument ceil", True,
                                         "needs integer padding (PyTorch's rule)",
                                         "ceil=False with a padding name or pairs"))
        g = Geometry(spatial, kernel, stride, layer.p, dilation)
        out_spatial, pads = g.output_shape, g.pads
        left = tuple(b for b, _ in pads)
        dilation = g.dilation
    else:
        p = PoolGeometry(spatial, kernel, stride, layer.p, dilation, layer.ceil)
        out_spatial, pads, left, dilation = p.output_shape, p.pads, p.padding, p.dilation
    field = tuple((d * (k - 1), s, b) for k, s, b, d in zip(kernel, stride, left,
                                                             _per_axis(dilation, ndim)))
    return Step((shape[0], *out_spatial), pads, 0, 0, 0, 0, field)


def _adaptive_step(layer: AdaptiveAvgPool | AdaptiveMaxPool, shape: tuple[int, ...]) -> Step:
    """Windows ``[floor(i n / m), ceil((i + 1) n / m))``: exact when ``m`` divides ``n``.

    Otherwise the map ``(n/m - 1 + 2 (m - 1)/m, n/m, (m - 1)/m)`` encloses every window.
    """
    spatial = _spatial(layer, shape)
    out = _per_axis(layer.out, len(spatial))
    if len(out) != len(spatial):
        raise GeometryError(describe(f"{layer.kind} argument out", layer.out,
                                     f"must give one size per spatial axis ({len(spatial)})"))
    if all(m == 1 for m in out):
        return _global_step(layer, shape)
    field = []
    for n, m in zip(spatial, out):
        slack = Fraction(0) if n % m == 0 else Fraction(m - 1, m)
        field.append((Fraction(n, m) - 1 + 2 * slack, Fraction(n, m), slack))
    pads = ((0, 0),) * len(spatial)
    return Step((shape[0], *out), pads, 0, 0, 0, 0, tuple(field))


def _global_step(layer: Layer, shape: tuple[int, ...]) -> Step:
    spatial = _spatial(layer, shape)
    return Step((shape[0], *(1,) * len(spatial)), ((0, 0),) * len(spatial), 0, 0, 0, 0,
                "global", note="global pool: the span of the whole input, clipped")


def _upsample_step(layer: Upsample, shape: tuple[int, ...]) -> Step:
    """Output ``o`` reads input ``floor(o / r)`` (nearest: the interval
    ``[o/r - (r - 1)/r, o/r]``) or ``floor(x)`` and ``floor(x) + 1`` with
    ``x = (o + 1/2)/r - 1/2`` (bilinear, PyTorch's ``align_corners=False``, clamped at the
    border: the enclosure ``[x - 1, x + 1]``, centred on the sampling point)."""
    spatial = _spatial(layer, shape)
    scale = _per_axis(layer.scale, len(spatial))
    if len(scale) != len(spatial):
        raise GeometryError(describe("upsample argument scale", layer.scale,
                                     f"must give one factor per spatial axis ({len(spatial)})"))
    field = []
    for r in scale:
        if layer.mode == "nearest":
            field.append((Fraction(r - 1, r), Fraction(1, r), Fraction(r - 1, r)))
        else:
            field.append((Fraction(2), Fraction(1, r), Fraction(3, 2) - Fraction(1, 2 * r)))
    out = (shape[0], *(n * r for n, r in zip(spatial, scale)))
    return Step(out, ((0, 0),) * len(spatial), 0, 0, 0, 0, tuple(field))


def _pixel_shuffle_step(layer: PixelShuffle, shape: tuple[int, ...]) -> Step:
    spatial = _spatial(layer, shape)
    r = layer.r
    if len(spatial) != 2:
        raise GeometryError(describe("pixelshuffle input", fmt_shape(shape),
                                     "must have 2 spatial axes", "C x H x W"))
    if shape[0] % (r * r):
        raise GeometryError(describe("pixelshuffle input channels", shape[0],
                                     f"must be a multiple of r^2 = {r * r}"))
    field = ((Fraction(r - 1, r), Fraction(1, r), Fraction(r - 1, r)),) * 2
    out = (shape[0] // (r * r), spatial[0] * r, spatial[1] * r)
    return Step(out, ((0, 0),) * 2, 0, 0, 0, 0, field)


def _identity_field(shape: tuple[int, ...]) -> Any:
    return ((0, 1, 0),) * (len(shape) - 1) if len(shape) > 1 else "keep"


def _elementwise_step(layer: Layer, shape: tuple[int, ...]) -> Step:
    return Step(shape, ((0, 0),) * (len(shape) - 1), 0, 0, 0, 0, _identity_field(shape))


def _norm_step(layer: BatchNorm | LayerNorm | GroupNorm, shape: tuple[int, ...]) -> Step:
    note = ""
    if isinstance(layer, GroupNorm) and shape[0] % layer.groups:
        raise GeometryError(describe("groupnorm argument groups", layer.groups,
                                     f"must divide the channels {shape[0]}"))
    if isinstance(layer, LayerNorm):
        params = 2 * prod(shape)
    else:
        params = 2 * shape[0]
    if not isinstance(layer, BatchNorm) and len(shape) > 1:
        note = "statistics over the sample: RF is the local field"
    return Step(shape, ((0, 0),) * (len(shape) - 1), params, params // 2, prod(shape),
                prod(shape), _identity_field(shape), note=note)


def _flatten_step(layer: Flatten, shape: tuple[int, ...]) -> Step:
    return Step((prod(shape),), (), 0, 0, 0, 0, "flatten" if len(shape) > 1 else "keep")


def _fc_step(layer: FC, shape: tuple[int, ...]) -> Step:
    if len(shape) != 1:
        raise GeometryError(describe("fc input", fmt_shape(shape),
                                     "must be flat: add flatten before fc",
                                     f"flatten gives {prod(shape)} features"))
    weights = shape[0] * layer.out
    bias = layer.out if layer.bias else 0
    return Step((layer.out,), (), weights + bias, weights, weights, weights, "whole",
                bias_macs=bias)


_STEPS: dict[type, Any] = {
    Conv: _conv_step, TConv: _tconv_step, MaxPool: _pool_step, AvgPool: _pool_step,
    Flatten: _flatten_step, FC: _fc_step, BatchNorm: _norm_step, LayerNorm: _norm_step,
    GroupNorm: _norm_step, AdaptiveAvgPool: _adaptive_step, AdaptiveMaxPool: _adaptive_step,
    GlobalAvgPool: _global_step, GlobalMaxPool: _global_step, Upsample: _upsample_step,
    PixelShuffle: _pixel_shuffle_step, **{cls: _elementwise_step for cls in ELEMENTWISE}}


def step(layer: Layer, shape: tuple[int, ...]) -> Step:
    """The :class:`Step` of ``layer`` on an input of ``shape`` (channels first)."""
    return _STEPS[type(layer)](layer, shape)
