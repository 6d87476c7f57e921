"""PyTorch's pooling, window by window: average, max (with switch indices) and max unpooling.

Window starts come from :func:`symconv.numeric.sizes.pool_starts`, found by sliding.

Examples
--------
>>> values, indices = max_pool(np.array([[1.0, 5.0, 2.0, 0.0]]), PoolGeometry((4,), (2,)),
...                            return_indices=True)
>>> max_unpool(values, indices, (4,))
array([[0., 5., 2., 0.]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from ..errors import GeometryError, OperatorError, require
from ..geometry import PoolGeometry
from .arguments import checked_array, flag, require_spatial_shape, require_spec
from .sizes import geometry_pads, pool_starts


def _check_pool(x: Any, geometry: PoolGeometry) -> np.ndarray:
    require_spec("geometry", geometry, PoolGeometry)
    x = checked_array("x", x, geometry.ndim)
    require_spatial_shape("x", x, geometry.input_shape)
    return x


def _pool_windows(geometry: PoolGeometry) -> list[list[int]]:
    """Per spatial axis, the start of every pooling window (see :func:`pool_starts`)."""
    return [pool_starts(*axis, geometry.ceil_mode) for axis in zip(
        geometry.input_shape, geometry.kernel_shape, geometry.stride, geometry_pads(geometry),
        geometry.dilation)]


def avg_pool(x: np.ndarray, geometry: PoolGeometry, count_include_pad: bool = True) -> np.ndarray:
    """PyTorch ``AvgPool``: window sums divided by PyTorch's divisor.

    Windows start at ``-p, s - p, 2s - p, ...`` on each axis, as many as
    fit the padded input (with ``ceil_mode``: may overhang it by up to
    ``s - 1`` but must start before the right padding). The window that
    starts at ``start`` ends at ``end = min(start + k, n + p)``. The
    summed samples are those in ``[max(start, 0), min(end, n))``. The divisor
    is the product over axes of ``end - start`` (which counts padding but not
    the part of a ``ceil_mode`` window that overhangs the padding) when
    ``count_include_pad``, else the number of real samples summed.

    Float arrays give floats, integer arrays give float64, object arrays give
    exact SymPy rationals.

    Parameters
    ----------
    x : ndarray, shape ``(C, *geometry.input_shape)``
    geometry : PoolGeometry
        ``dilation`` must be 1: PyTorch's average pooling has none.
    count_include_pad : bool

    Returns
    -------
    ndarray, shape ``(C, *output_shape(geometry))``

    Examples
    --------
    >>> g = PoolGeometry((4,), (2,), padding=1, ceil_mode=True)
    >>> avg_pool(np.array([[2.0, 4.0, 6.0, 8.0]]), g)
    array([[1., 5., 4.]])
    >>> avg_pool(np.array([[2.0, 4.0, 6.0, 8.0]]), g, count_include_pad=False)
    array([[2., 5., 8.]])
    """
    x = _check_pool(x, geometry)
    count_include_pad = flag("count_include_pad", count_include_pad)
    require(all(d == 1 for d in geometry.dilation), "geometry.dilation", geometry.dilation,
            "must be 1 on every axis: PyTorch average pooling has no dilation", "1",
            error=GeometryError)
    exact = x.dtype == object
    windows = _pool_windows(geometry)
    shape = tuple(map(len, windows))
    out = np.zeros((x.shape[0],) + shape, object if exact else np.float64)
    axes = list(zip(geometry.input_shape, geometry.kernel_shape, geometry.stride,
                    [after for _, after in geometry_pads(geometry)]))
    for o in np.ndindex(*shape):
        starts = [axis[a] for a, axis in zip(o, windows)]
        ends = [min(b + k, n + p) for b, (n, k, _, p) in zip(starts, axes)]
        lows = [max(b, 0) for b in starts]
        highs = [min(e, n) for e, (n, _, _, _) in zip(ends, axes)]
        window = tuple(slice(lo, hi) for lo, hi in zip(lows, highs))
        if count_include_pad:
            divisor = math.prod(e - b for b, e in zip(starts, ends))
        else:
            divisor = math.prod(hi - lo for lo, hi in zip(lows, highs))
        require(divisor > 0, "padding", geometry.padding,
                f"leaves window {o} without input samples: its average is undefined",
                "pads smaller than the kernel", error=GeometryError)
        for c in range(x.shape[0]):
            total = sum(x[(c,) + window].ravel().tolist(), 0)
            out[(c,) + o] = total * sympy.Rational(1, divisor) if exact else total / divisor
    return out


def max_pool(x: np.ndarray, geometry: PoolGeometry,
             return_indices: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """PyTorch ``MaxPool``: implicit ``-inf`` padding, dilation, ``ceil_mode``.

    Windows start as for :func:`avg_pool` (with the dilated kernel size
    ``d(k-1) + 1``). Window ``o`` reads the input at ``o*s - p + d*m`` for every kernel tap
    ``m`` that lands inside the input; the first largest value in row-major
    scan order wins. Indices are flat positions in each channel's spatial
    input, as PyTorch returns them. A window that meets no input sample
    (possible with dilation) gives ``-inf`` and PyTorch's index: the first
    non-negative tap position, flattened.

    Float and object arrays keep their dtype; integer arrays give float64 so
    that ``-inf`` is representable.

    Parameters
    ----------
    x : ndarray, shape ``(C, *geometry.input_shape)``
    geometry : PoolGeometry
    return_indices : bool

    Returns
    -------
    values : ndarray, shape ``(C, *output_shape(geometry))``
    indices : ndarray of int64, same shape, only if ``return_indices``

    Examples
    --------
    >>> g = PoolGeometry((5,), (2,), ceil_mode=True)
    >>> max_pool(np.array([[3.0, 1.0, 4.0, 1.0, 5.0]]), g, return_indices=True)
    (array([[3., 4., 5.]]), array([[0, 2, 4]]))
    """
    x = _check_pool(x, geometry)
    return_indices = flag("return_indices", return_indices)
    exact = x.dtype == object
    dtype = object if exact else np.result_type(x.dtype, np.float64)
    lowest = -sympy.oo if exact else -np.inf
    windows = _pool_windows(geometry)
    shape = (x.shape[0],) + tuple(map(len, windows))
    values, indices = np.zeros(shape, dtype), np.zeros(shape, dtype=np.int64)
    axes = list(zip(geometry.input_shape, geometry.stride, geometry_pads(geometry),
                    geometry.dilation))
    for o in np.ndindex(*shape[1:]):
        starts = [axis[a] for a, axis in zip(o, windows)]
        first = tuple(b + d * (-(-max(-b, 0) // d)) for b, (_, _, _, d) in zip(starts, axes))
        taps = []
        for m in np.ndindex(*geometry.kernel_shape):
            position = tuple(b + d * t for b, t, (_, _, _, d) in zip(starts, m, axes))
            if all(0 <= q < n for q, (n, _, _, _) in zip(position, axes)):
                taps.append(position)
        for c in range(x.shape[0]):
            best, where = lowest, first
            for position in taps:
                if x[(c,) + position] > best:
                    best, where = x[(c,) + position], position
            values[(c,) + o] = best
            indices[(c,) + o] = _flat_index(where, geometry.input_shape)
    return (values, indices) if return_indices else values


def _flat_index(position: tuple[int, ...], shape: tuple[int, ...]) -> int:
    """Row-major flat index of ``position``, even when it lies outside ``shape``."""
    index = 0
    for q, n in zip(position, shape):
        index = index * n + q
    return index


def max_unpool(values: np.ndarray, indices: np.ndarray,
               input_shape: Sequence[int]) -> np.ndarray:
    """PyTorch ``MaxUnpool``: scatter ``values`` to the flat ``indices`` of a zero array.

    ``y[c].flat[indices[c, i]] = values[c, i]``; everything else is zero.

    Parameters
    ----------
    values, indices : ndarray, shape ``(C, *pooled)``
        As returned by ``max_pool(..., return_indices=True)``.
    input_shape : tuple of int
        Spatial shape of the array that was pooled.

    Returns
    -------
    ndarray, shape ``(C, *input_shape)``

    Examples
    --------
    >>> max_unpool(np.array([[3.0, 4.0]]), np.array([[0, 3]]), (4,))
    array([[3., 0., 0., 4.]])
    """
    values, indices = np.asarray(values), np.asarray(indices)
    require(values.ndim >= 2, "values.ndim", values.ndim,
            "must be at least 2 (channels + spatial axes)", "2, 3, 4", error=OperatorError)
    require(indices.shape == values.shape, "indices.shape", indices.shape,
            f"must equal values.shape {values.shape}", error=OperatorError)
    ndim = values.ndim - 1
    ok = isinstance(input_shape, Sequence) and len(input_shape) == ndim
    require(ok, "input_shape", input_shape, f"must give {ndim} spatial sizes",
            error=OperatorError)
    size = math.prod(input_shape)
    require(np.issubdtype(indices.dtype, np.integer), "indices.dtype", indices.dtype,
            "must be an integer type", "int64", error=OperatorError)
    for index in indices.ravel().tolist():
        require(0 <= index < size, "indices", index,
                f"must be flat positions inside input_shape {tuple(input_shape)}",
                f"0 to {size - 1}", error=OperatorError)
    out = np.zeros((values.shape[0], size), values.dtype)
    for c in range(values.shape[0]):
        for i in np.ndindex(*values.shape[1:]):
            out[c, indices[(c,) + i]] = values[(c,) + i]
    return out.reshape((values.shape[0],) + tuple(input_shape))
