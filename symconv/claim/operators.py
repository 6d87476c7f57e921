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

__all__ = ["Undefined", "defined", "corr", "conv", "conv_transpose", "flip", "pad", "crop",
           "upsample", "subsample", "shift", "avg_pool", "max_pool", "dot", "ones", "shape"]


class Undefined(Exception):  # noqa: N818 - a state of a value, not a user error
    """The operator is not defined at this point of the domain (its message says why)."""


def defined(build, *args: Any, **kwargs: Any):
    """Call a symconv builder; its geometry errors mean 'undefined here'."""
    try:
        return build(*args, **kwargs)
    except (GeometryError, OperatorError) as error:
        raise Undefined(str(error)) from None


def _need_ndim(what: str, v: Value) -> None:
    if not v.shape:
        raise Undefined(f"{what} needs a signal with at least one axis, got a scalar")


def _apply(op: ops.LinearOperator, x: Value, what: str) -> Value:
    require_symbolic_size(len(op.rows), f"{what} at this point")
    coeffs = [1] * len(op.rows) if op.coeffs is None else [
        Fraction(int(a.p), int(a.q)) for a in op.coeffs]
    return linear_map(op.rows.tolist(), op.cols.tolist(), coeffs, x, op.output_shape[1:])


def _layer(op: ops.LinearOperator, kernel: Value, x: Value, what: str) -> Value:
    require_symbolic_size(len(op.rows), f"{what} at this point")
    return bilinear_map(op.rows.tolist(), op.cols.tolist(), op.taps.tolist(), kernel, x,
                        op.output_shape[1:])


def corr(x: Value, k: Value, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
         flipped: bool = False) -> Value:
    """Cross-correlation (PyTorch's conv): ``sc.correlation``'s matrix applied to ``x``."""
    _need_ndim("corr", x)
    g = defined(Geometry, x.shape, k.shape, stride, padding, dilation)
    return _layer(defined(ops.correlation, g, flip=flipped), k, x, "corr")


def conv(x: Value, k: Value, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> Value:
    """True convolution: correlation with the flipped kernel (``sc.convolution``)."""
    return corr(x, k, stride, padding, dilation, flipped=True)


def conv_transpose(y: Value, k: Value, stride: Any = 1, padding: Any = 0,
                   output_padding: Any = 0, dilation: Any = 1) -> Value:
    """PyTorch ConvTranspose by its scatter rule (``sc.transposed_convolution``)."""
    _need_ndim("conv_transpose", y)
    op = defined(ops.transposed_convolution, y.shape, k.shape, stride, padding,
                  output_padding, dilation)
    return _layer(op, k, y, "conv_transpose")


def flip(x: Value) -> Value:
    """Reverse every axis."""
    _need_ndim("flip", x)
    return _moved(x, x.shape, lambda index: tuple(n - 1 - i for n, i in zip(x.shape, index)))


def _moved(x: Value, shape: tuple[int, ...], where) -> Value:
    """Each stored entry of ``x`` at index ``where(index)`` of ``shape`` (None: dropped).

    Only the stored entries are visited, so a long signal of few nonzeros stays cheap.
    """
    out = {}
    for flat, p in x.entries.items():
        target = where(np.unravel_index(flat, x.shape))
        if target is not None:
            out[int(np.ravel_multi_index(target, shape))] = p
    return Value(shape, out)


def _pairs(x: Value, before: Any, after: Any) -> tuple[tuple[int, int], ...]:
    ndim = len(x.shape)
    b = ops.per_axis_integers(before, ndim, "before", GeometryError)
    a = b if after is None else ops.per_axis_integers(after, ndim, "after", GeometryError)
    return tuple(zip(b, a))


def pad(x: Value, before: Any, after: Any = None) -> Value:
    """Zero padding (``sc.zero_padding``); ``after`` defaults to ``before``."""
    _need_ndim("pad", x)
    pairs = defined(_pairs, x, before, after)
    return _apply(defined(ops.zero_padding, x.shape, pairs), x, "pad")


def crop(x: Value, before: Any, after: Any = None) -> Value:
    """Drop ``before`` entries at the start and ``after`` at the end of every axis."""
    _need_ndim("crop", x)
    pairs = defined(_pairs, x, before, after)
    out = tuple(n - b - a for n, (b, a) in zip(x.shape, pairs))
    if min(b for pair in pairs for b in pair) < 0 or min(out) < 1:
        raise Undefined(f"crop {pairs} must leave at least one entry of {x.shape} and crop "
                        "no negative amount")
    def kept(index):
        target = tuple(int(i) - b for i, (b, _) in zip(index, pairs))
        return target if all(0 <= t < o for t, o in zip(target, out)) else None

    return _moved(x, out, kept)


def upsample(x: Value, factor: Any) -> Value:
    """Zero insertion: ``factor - 1`` zeros between entries (``sc.zero_insertion``)."""
    _need_ndim("upsample", x)
    return _apply(defined(ops.zero_insertion, x.shape, factor), x, "upsample")


def subsample(x: Value, factor: Any) -> Value:
    """Every ``factor``-th entry from the first (``sc.decimation``)."""
    _need_ndim("subsample", x)
    return _apply(defined(ops.decimation, x.shape, factor), x, "subsample")


def shift(x: Value, offset: Any, mode: str = "zero") -> Value:
    """``y[i] = x[i - offset]``, zero-filled or circular (``sc.shift``)."""
    _need_ndim("shift", x)
    op = defined(ops.shift, x.shape, offset, circular=mode == "circular")
    return _apply(op, x, "shift")


def _pool_kernel(what: str, x: Value, kernel_size: Any) -> tuple[int, ...]:
    _need_ndim(what, x)
    return defined(ops.per_axis_integers, kernel_size, len(x.shape), "kernel_size",
                    GeometryError)


def avg_pool(x: Value, kernel_size: Any, stride: Any = None, padding: Any = 0,
             ceil_mode: int = 0, count_include_pad: int = 1) -> Value:
    """PyTorch average pooling with exact rational weights (``sc.avg_pool``)."""
    kernel = _pool_kernel("avg_pool", x, kernel_size)
    op = defined(ops.avg_pool, x.shape, kernel, stride, padding, bool(ceil_mode),
                  bool(count_include_pad))
    return _apply(op, x, "avg_pool")


def max_pool(x: Value, kernel_size: Any, stride: Any = None, padding: Any = 0,
             dilation: Any = 1, ceil_mode: int = 0) -> Value:
    """PyTorch max pooling: the ``Max`` of each window (``sc.max_pool``)."""
    kernel = _pool_kernel("max_pool", x, kernel_size)
    pool = defined(ops.max_pool, x.shape, kernel, stride, padding, dilation, bool(ceil_mode))
    require_symbolic_size(sum(map(len, pool.windows)), "max_pool at this point")
    out = {r: value for r, window in enumerate(pool.windows)
           if (value := maximum([x.entry(j) for j in window]))}
    return Value(pool.output_shape[1:], out)


def dot(a: Value, b: Value) -> Value:
    """``sum_i a[i] b[i]`` for two values of one shape."""
    if a.shape != b.shape:
        raise Undefined(f"dot needs two values of one shape, got {a.shape} and {b.shape}")
    total: dict = {}
    for flat, p in a.entries.items():
        if flat in b.entries:
            total = poly_add(total, mul(p, b.entries[flat]))
    return Value((), {0: total} if total else {})


def ones(shape: Any) -> Value:
    """A signal of constant ones (a uniform kernel), of ``shape`` (a size or a tuple)."""
    sizes = shape if isinstance(shape, tuple) else (shape,)
    if not sizes or min(sizes) < 1:
        raise Undefined(f"ones needs sizes >= 1, got {shape}")
    require_symbolic_size(prod(sizes), f"ones{sizes}")
    return Value(sizes, {i: {(): 1} for i in range(prod(sizes))})


def shape(x: Value) -> Value:
    """The sizes of ``x``: a size for 1-D, a tuple of sizes otherwise."""
    if len(x.shape) == 1:
        return Value((), {0: {(): x.shape[0]}})
    return Value((len(x.shape),), {i: {(): n} for i, n in enumerate(x.shape)})


