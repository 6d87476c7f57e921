"""The operators of the claim language, applied to :class:`~symconv.claim.values.Value` s.

The layers are symconv's own builders (:mod:`symconv.operators`): their index
form (``rows``, ``cols``, ``taps``) is applied to the operand's entries, so a
claim about ``corr`` is a claim about exactly the matrix ``sc.correlation``
builds. flip and crop are small exact index maps. Geometry that is not valid at
a point (a kernel larger than its padded input, a negative padding, a zero
stride) raises :class:`Undefined`: the operator is not defined there.

Examples
--------
>>> from symconv.claim.values import signal, to_sympy_array
>>> x, k = signal("x", (3,)), signal("k", (2,))
>>> to_sympy_array(corr(x, k)).T
Matrix([[k_0*x_0 + k_1*x_1, k_0*x_1 + k_1*x_2]])
>>> to_sympy_array(upsample(x, 2)).T
Matrix([[x_0, 0, x_1, 0, x_2]])
>>> corr(x, signal("k", (4,)))  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
symconv.claim.operators.Undefined: kernel_shape[0] must fit the padded input, ...
"""

from __future__ import annotations

from fractions import Fraction
from math import prod
from typing import Any

import numpy as np

from symconv import operators as ops
from symconv.errors import GeometryError, OperatorError
from symconv.geometry import Geometry
from symconv.limits import require_symbolic_size

from .values import Value, bilinear_map, linear_map, maximum, mul, poly_add

__all__ = ["Undefined", "defined", "corr", "conv", "conv_transpose", "transpose_weight", "flip",
           "pad", "crop", "upsample", "subsample", "shift", "avg_pool", "max_pool", "dot", "ones",
           "shape"]


class Undefined(Exception):  # noqa: N818 - a state of a value, not a user error
    """The operator is not defined at this point of the domain (its message says why)."""


def defined(build, *args: Any, **kwargs: Any):
    """Call a symconv builder; its geometry errors mean 'undefined here'."""
    try:
        return build(*args, **kwargs)
    except (GeometryError, OperatorError) as error:
        raise Undefined(str(error)) from None


def _need_ndim(what: str, v: Value) -> None:
    if not v.spatial:
        raise Undefined(f"{what} needs a signal with at least one spatial axis, got shape "
                        f"{v.shape}" + (f" ({v.channels} channel axes)" if v.channels else ""))


def _blocks(x: Value) -> int:
    """How many spatial blocks ``x`` holds: the product of its channel sizes (1 if none)."""
    return prod(x.channel_shape)


def _apply(op: ops.LinearOperator, x: Value, what: str) -> Value:
    """A spatial operator built for ``_blocks(x)`` channels, applied to every block of ``x``."""
    require_symbolic_size(len(op.rows), f"{what} at this point")
    coeffs = [1] * len(op.rows) if op.coeffs is None else [
        Fraction(int(a.p), int(a.q)) for a in op.coeffs]
    return linear_map(op.rows.tolist(), op.cols.tolist(), coeffs, x,
                      x.channel_shape + tuple(op.output_shape[1:]), x.channels)


def _layer(op: ops.LinearOperator, kernel: Value, x: Value, what: str,
           channels: int) -> Value:
    require_symbolic_size(len(op.rows), f"{what} at this point")
    out = op.output_shape if channels else op.output_shape[1:]
    return bilinear_map(op.rows.tolist(), op.cols.tolist(), op.taps.tolist(), kernel, x,
                        out, channels)


def _channel_layout(what: str, x: Value, k: Value, groups: Any, layout: str) -> bool:
    """Whether the layer has channels; both operands with them or both without."""
    if (x.channels, k.channels) == (0, 0):
        if groups != 1:
            raise Undefined(f"{what} groups={groups} needs channels: give the input a channel "
                            f"axis (C, *spatial) and the kernel {layout}")
        return False
    if (x.channels, k.channels) != (1, 2):
        raise Undefined(f"{what} needs an input with one channel axis (C, *spatial) and a "
                        f"kernel with two, {layout}, or neither; got {x.channels} and "
                        f"{k.channels} channel axes (shapes {x.shape} and {k.shape})")
    return True


def corr(x: Value, k: Value, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
         groups: Any = 1, flipped: bool = False) -> Value:
    """Cross-correlation (PyTorch's conv): ``sc.correlation``'s matrix applied to ``x``.

    With channels, ``x`` is ``(C, *spatial)`` and ``k`` PyTorch's weight
    ``(out, C/groups, *kernel)``.
    """
    _need_ndim("corr", x)
    what = "conv" if flipped else "corr"
    if not _channel_layout(what, x, k, groups, "(out, in/groups, *K)"):
        g = defined(Geometry, x.shape, k.shape, stride, padding, dilation)
        return _layer(defined(ops.correlation, g, flip=flipped), k, x, what, 0)
    if k.shape[1] * groups != x.shape[0]:
        raise Undefined(f"{what} weight shape {k.shape} must have in_channels/groups = "
                        f"{x.shape[0]}/{groups} in its second axis")
    g = defined(Geometry, x.spatial, k.spatial, stride, padding, dilation)
    op = defined(ops.correlation, g, x.shape[0], k.shape[0], groups, flip=flipped)
    return _layer(op, k, x, what, 1)


def conv(x: Value, k: Value, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
         groups: Any = 1) -> Value:
    """True convolution: correlation with the kernel flipped on its spatial axes."""
    return corr(x, k, stride, padding, dilation, groups, flipped=True)


def conv_transpose(y: Value, k: Value, stride: Any = 1, padding: Any = 0,
                   output_padding: Any = 0, dilation: Any = 1, groups: Any = 1) -> Value:
    """PyTorch ConvTranspose by its scatter rule (``sc.transposed_convolution``).

    With channels, ``y`` is ``(C, *spatial)`` and ``k`` PyTorch's weight
    ``(C, out/groups, *kernel)``.
    """
    _need_ndim("conv_transpose", y)
    if not _channel_layout("conv_transpose", y, k, groups, "(in, out/groups, *K)"):
        op = defined(ops.transposed_convolution, y.shape, k.shape, stride, padding,
                      output_padding, dilation)
        return _layer(op, k, y, "conv_transpose", 0)
    if k.shape[0] != y.shape[0]:
        raise Undefined(f"conv_transpose weight shape {k.shape} must have in_channels = "
                        f"{y.shape[0]} in its first axis")
    op = defined(ops.transposed_convolution, y.spatial, k.spatial, stride, padding,
                  output_padding, dilation, y.shape[0], k.shape[1] * groups, groups)
    return _layer(op, k, y, "conv_transpose", 1)


def flip(x: Value) -> Value:
    """Reverse every spatial axis (channel axes stay as they are)."""
    _need_ndim("flip", x)
    c = x.channels
    return _moved(x, x.shape, lambda index: (*index[:c], *(
        n - 1 - i for n, i in zip(x.spatial, index[c:]))))


def transpose_weight(k: Value, groups: Any = 1) -> Value:
    """A transposed convolution's weight ``(in, out/groups, *K)`` as the weight
    ``(out, in/groups, *K)`` of the correlation it transposes (and back).

    Entry ``[g*in_g + i, o, m]`` moves to ``[g*out_g + o, i, m]`` with ``in_g = in/groups``
    and ``out_g`` the second size: for one group, the channel axes swapped.
    """
    if k.channels != 2:
        raise Undefined(f"transpose_weight needs a weight with two channel axes (in, "
                        f"out/groups, *K), got {k.channels} channel axes (shape {k.shape})")
    if not isinstance(groups, int) or groups < 1 or k.shape[0] % groups:
        raise Undefined(f"transpose_weight groups={groups} must divide in_channels="
                        f"{k.shape[0]}")
    in_g, out_g = k.shape[0] // groups, k.shape[1]

    def moved(index):
        group, i = divmod(index[0], in_g)
        return (group * out_g + index[1], i, *index[2:])

    return _moved(k, (groups * out_g, in_g, *k.spatial), moved)


def _moved(x: Value, shape: tuple[int, ...], where) -> Value:
    """Each stored entry of ``x`` at index ``where(index)`` of ``shape`` (None: dropped).

    Only the stored entries are visited, so a long signal of few nonzeros stays cheap.
    """
    out = {}
    for flat, p in x.entries.items():
        target = where(tuple(int(i) for i in np.unravel_index(flat, x.shape)))
        if target is not None:
            out[int(np.ravel_multi_index(target, shape))] = p
    return Value(shape, out, x.channels)


def _pairs(x: Value, before: Any, after: Any) -> tuple[tuple[int, int], ...]:
    ndim = len(x.spatial)
    b = ops.per_axis_integers(before, ndim, "before", GeometryError)
    a = b if after is None else ops.per_axis_integers(after, ndim, "after", GeometryError)
    return tuple(zip(b, a))


def pad(x: Value, before: Any, after: Any = None) -> Value:
    """Zero padding of the spatial axes (``sc.zero_padding``); ``after`` defaults to
    ``before``."""
    _need_ndim("pad", x)
    pairs = defined(_pairs, x, before, after)
    return _apply(defined(ops.zero_padding, x.spatial, pairs, _blocks(x)), x, "pad")


def crop(x: Value, before: Any, after: Any = None) -> Value:
    """Drop ``before`` entries at the start and ``after`` at the end of every spatial axis."""
    _need_ndim("crop", x)
    pairs = defined(_pairs, x, before, after)
    out = tuple(n - b - a for n, (b, a) in zip(x.spatial, pairs))
    if min(b for pair in pairs for b in pair) < 0 or min(out) < 1:
        raise Undefined(f"crop {pairs} must leave at least one entry of {x.spatial} and crop "
                        "no negative amount")
    c = x.channels

    def kept(index):
        target = tuple(i - b for i, (b, _) in zip(index[c:], pairs))
        return (*index[:c], *target) if all(0 <= t < o for t, o in zip(target, out)) else None

    return _moved(x, x.channel_shape + out, kept)


def upsample(x: Value, factor: Any) -> Value:
    """Zero insertion: ``factor - 1`` zeros between entries (``sc.zero_insertion``)."""
    _need_ndim("upsample", x)
    return _apply(defined(ops.zero_insertion, x.spatial, factor, _blocks(x)), x, "upsample")


def subsample(x: Value, factor: Any) -> Value:
    """Every ``factor``-th entry from the first (``sc.decimation``)."""
    _need_ndim("subsample", x)
    return _apply(defined(ops.decimation, x.spatial, factor, _blocks(x)), x, "subsample")


def shift(x: Value, offset: Any, mode: str = "zero") -> Value:
    """``y[i] = x[i - offset]``, zero-filled or circular (``sc.shift``)."""
    _need_ndim("shift", x)
    op = defined(ops.shift, x.spatial, offset, circular=mode == "circular",
                  channels=_blocks(x))
    return _apply(op, x, "shift")


def _pool_kernel(what: str, x: Value, kernel_size: Any) -> tuple[int, ...]:
    _need_ndim(what, x)
    return defined(ops.per_axis_integers, kernel_size, len(x.spatial), "kernel_size",
                    GeometryError)


def avg_pool(x: Value, kernel_size: Any, stride: Any = None, padding: Any = 0,
             ceil_mode: int = 0, count_include_pad: int = 1) -> Value:
    """PyTorch average pooling with exact rational weights (``sc.avg_pool``)."""
    kernel = _pool_kernel("avg_pool", x, kernel_size)
    op = defined(ops.avg_pool, x.spatial, kernel, stride, padding, bool(ceil_mode),
                  bool(count_include_pad), _blocks(x))
    return _apply(op, x, "avg_pool")


def max_pool(x: Value, kernel_size: Any, stride: Any = None, padding: Any = 0,
             dilation: Any = 1, ceil_mode: int = 0) -> Value:
    """PyTorch max pooling: the ``Max`` of each window (``sc.max_pool``), per channel."""
    kernel = _pool_kernel("max_pool", x, kernel_size)
    pool = defined(ops.max_pool, x.spatial, kernel, stride, padding, dilation, bool(ceil_mode))
    blocks, size, out_size = _blocks(x), prod(x.spatial), len(pool.windows)
    require_symbolic_size(blocks * sum(map(len, pool.windows)), "max_pool at this point")
    out = {b * out_size + r: value for b in range(blocks)
           for r, window in enumerate(pool.windows)
           if (value := maximum([x.entry(b * size + j) for j in window]))}
    return Value(x.channel_shape + tuple(pool.output_shape[1:]), out, x.channels)


def dot(a: Value, b: Value) -> Value:
    """``sum_i a[i] b[i]`` for two values of one shape."""
    if a.shape != b.shape:
        raise Undefined(f"dot needs two values of one shape, got {a.shape} and {b.shape}")
    total: dict = {}
    for flat, p in a.entries.items():
        if flat in b.entries:
            total = poly_add(total, mul(p, b.entries[flat]))
    return Value((), {0: total} if total else {})


def ones(shape: Any, channels: Any = 0) -> Value:
    """A signal of constant ones (a uniform kernel), of ``shape`` (a size or a tuple);
    its first ``channels`` axes are channel axes (2 for a weight ``(out, in/groups, *K)``)."""
    sizes = shape if isinstance(shape, tuple) else (shape,)
    if not sizes or min(sizes) < 1:
        raise Undefined(f"ones needs sizes >= 1, got {shape}")
    if not isinstance(channels, int) or not 0 <= channels < len(sizes):
        raise Undefined(f"ones channels={channels} must leave a spatial axis of {sizes}")
    require_symbolic_size(prod(sizes), f"ones{sizes}")
    return Value(sizes, {i: {(): 1} for i in range(prod(sizes))}, channels)


def shape(x: Value) -> Value:
    """The sizes of ``x``: a size for 1-D, a tuple of sizes otherwise."""
    if len(x.shape) == 1:
        return Value((), {0: {(): x.shape[0]}})
    return Value((len(x.shape),), {i: {(): n} for i, n in enumerate(x.shape)})


