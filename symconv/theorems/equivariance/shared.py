"""What the equivariance theorems share: per-axis offsets, quarter turns, the symbolic
circular correlation and a channel's display.

Examples
--------
>>> offsets(1, 2)
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from ...errors import TheoremError, require
from ...geometry import spatial_shape
from ...operators import (
    LinearOperator,
    channel_blocks,
    combine_axes,
    indexed_symbols,
    per_axis_integers,
)
from ..common import flat

FAMILY = "equivariance"


def offsets(value: int | Sequence[int], ndim: int) -> tuple[int, ...]:
    """A shift given as an int (every axis) or one int per axis, as a tuple.

    Examples
    --------
    >>> offsets(1, 2), offsets((0, 2), 2)
    ((1, 1), (0, 2))
    """
    return per_axis_integers(value, ndim, "shift", TheoremError)


def rotate(a: Any, turns: int, axes: tuple[int, int] = (-2, -1)) -> sympy.Array:
    """Rotate the last two axes by ``turns`` quarter turns counter-clockwise (``np.rot90``).

    ``(R a)[i, j] = a[j, n - 1 - i]`` for one turn.

    Examples
    --------
    >>> rotate(sympy.Array([[1, 2], [3, 4]]), 1)
    [[2, 4], [1, 3]]
    """
    values = np.array(a.tolist() if isinstance(a, sympy.NDimArray) else a, dtype=object)
    return sympy.Array(np.rot90(values, turns, axes=axes).tolist())


def circular_correlation(input_shape: Sequence[int], kernel_shape: Sequence[int],
                         stride: int | Sequence[int] = 1, in_channels: int = 1,
                         out_channels: int = 1, kernel_name: str = "k") -> LinearOperator:
    """Strided circular correlation ``y[i] = sum_m k[m] x[(s i + m) mod n]``, ``s | n``.

    The output has ``n / s`` positions per axis.

    Examples
    --------
    >>> circular_correlation((4,), (2,), stride=2).matrix
    Matrix([
    [k_{0,0,0}, k_{0,0,1},         0,         0],
    [        0,         0, k_{0,0,0}, k_{0,0,1}]])
    """
    n = spatial_shape("input_shape", input_shape)
    k = spatial_shape("kernel_shape", kernel_shape)
    s = offsets(stride, len(n))
    for axis, (na, ka, sa) in enumerate(zip(n, k, s)):
        require(sa >= 1 and na % sa == 0, f"stride[{axis}]", sa,
                f"must be a positive divisor of the input size {na}",
                ", ".join(str(v) for v in range(1, na + 1) if na % v == 0))
        require(ka <= na, f"kernel_shape[{axis}]", ka, f"must be at most the input size {na}")
    out = tuple(na // sa for na, sa in zip(n, s))
    triples = []
    for na, ka, sa, oa in zip(n, k, s, out):
        i, m = np.meshgrid(np.arange(oa), np.arange(ka), indexing="ij")
        triples.append(np.stack([i.ravel(), m.ravel(), ((sa * i + m) % na).ravel()], axis=1))
    out_flat, tap_flat, in_flat = combine_axes(triples, out, k, n)
    rows, cols, taps = channel_blocks(out_flat, tap_flat, in_flat, int(np.prod(out)),
                                       int(np.prod(n)), int(np.prod(k)), in_channels,
                                       out_channels, 1)
    kernel = indexed_symbols((out_channels, in_channels, *k), kernel_name)
    return LinearOperator("circular_correlation", (in_channels, *n), (out_channels, *out),
                          rows, cols, taps, None, kernel)


def channel_matrix(a: sympy.NDimArray, channel: int = 0) -> sympy.Matrix:
    """One channel of a ``(C, *spatial)`` array as a matrix (a row for 1-D), for display.

    Examples
    --------
    >>> channel_matrix(sympy.Array([[1, 2, 3]]))
    Matrix([[1, 2, 3]])
    """
    values = np.array(flat(a), dtype=object).reshape(tuple(a.shape))[channel]
    return sympy.Matrix(np.atleast_2d(values).reshape(-1, values.shape[-1]).tolist())
