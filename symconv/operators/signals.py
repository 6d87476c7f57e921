"""Constant (kernel-free) operators: shift, zero insertion, decimation, padding, cropping.

Each is block diagonal over the channels, built from per-axis ``(out, in)`` index pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any

import numpy as np

from ..errors import OperatorError, SymconvError, require
from ..geometry import per_axis, spatial_shape
from ..limits import require_index_range, require_work
from ..validation import integer
from .linear import LinearOperator
from .symbols import Shape


def per_channel(name: str, pairs: list[tuple[np.ndarray, np.ndarray]], in_shape: Shape,
                 out_shape: Shape, channels: int, coeffs: list | None = None) -> LinearOperator:
    """Build a block-diagonal constant operator from per-axis (out, in) index pairs.

    Examples
    --------
    >>> pairs = [(np.array([0, 1]), np.array([1, 0]))]
    >>> per_channel("reversal", pairs, (2,), (2,), channels=1).numeric().astype(int).tolist()
    [[0, 1], [1, 0]]
    """
    grids = np.meshgrid(*[np.arange(len(p[0])) for p in pairs], indexing="ij")
    outs = tuple(p[0][g.ravel()] for p, g in zip(pairs, grids))
    ins = tuple(p[1][g.ravel()] for p, g in zip(pairs, grids))
    out_flat = np.ravel_multi_index(outs, out_shape)
    in_flat = np.ravel_multi_index(ins, in_shape)
    out_size, in_size = int(np.prod(out_shape)), int(np.prod(in_shape))
    rows = np.concatenate([c * out_size + out_flat for c in range(channels)]).astype(np.int64)
    cols = np.concatenate([c * in_size + in_flat for c in range(channels)]).astype(np.int64)
    return LinearOperator(name, (channels, *in_shape), (channels, *out_shape), rows, cols,
                          np.full(len(rows), -1, dtype=np.int64), None, None)


def constant_channels(name: str, channels: Any, in_shape: Shape, out_shape: Shape) -> int:
    """Validate ``channels`` and refuse a constant operator whose index form exceeds the limit.

    These operators have at most one entry per input position and channel.

    Examples
    --------
    >>> constant_channels("shift", 3, (4,), (4,))
    3
    """
    channels = integer("channels", channels, minimum=1, error=OperatorError)
    require_index_range(name, size=tuple(map(max, in_shape, out_shape)))
    require_work(f"{name} ({channels} channels)", index_entries=channels * prod(in_shape))
    return channels


def shift(input_shape: Sequence[int], offset: Sequence[int] | int, circular: bool = False,
          channels: int = 1) -> LinearOperator:
    """Translation ``y[i] = x[i - offset]``: zero-fill, or circular (indices mod n).

    Examples
    --------
    >>> shift((3,), 1).numeric().astype(int).tolist()
    [[0, 0, 0], [1, 0, 0], [0, 1, 0]]
    >>> shift((3,), 1, circular=True).numeric().astype(int).tolist()
    [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    """
    n = spatial_shape("input_shape", input_shape)
    t = per_axis_integers(offset, len(n))
    channels = constant_channels("shift", channels, n, n)
    pairs = []
    for na, ta in zip(n, t):
        i = np.arange(na)
        j = i - ta
        if circular:
            pairs.append((i, j % na))
        else:
            keep = (j >= 0) & (j < na)
            pairs.append((i[keep], j[keep]))
    return per_channel("circular_shift" if circular else "shift", pairs, n, n, channels)


def per_axis_integers(value: Any, ndim: int, parameter: str = "offset",
                      error: type[SymconvError] = OperatorError) -> tuple[int, ...]:
    """An integer for every axis, or one integer per axis, as a tuple (shifts, strides).

    Examples
    --------
    >>> per_axis_integers(1, 2), per_axis_integers((0, 2), 2)
    ((1, 1), (0, 2))
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        require(len(value) == ndim, parameter, tuple(value),
                f"must give one value per spatial axis ({ndim})", error=error)
        values = tuple(value)
    else:
        values = (value,) * ndim
    return tuple(integer(parameter, v, error=error) for v in values)


def zero_insertion(input_shape: Sequence[int], factor: int | Sequence[int],
                   channels: int = 1) -> LinearOperator:
    """Upsampling by zero insertion: ``factor - 1`` zeros between samples, size (n-1)f + 1.

    Examples
    --------
    >>> zero_insertion((2,), 3).numeric().astype(int).tolist()
    [[1, 0], [0, 0], [0, 0], [0, 1]]
    """
    n = spatial_shape("input_shape", input_shape)
    f = per_axis("factor", factor, len(n), 1)
    out = tuple((na - 1) * fa + 1 for na, fa in zip(n, f))
    channels = constant_channels("zero_insertion", channels, n, out)
    pairs = [(np.arange(na) * fa, np.arange(na)) for na, fa in zip(n, f)]
    return per_channel("zero_insertion", pairs, n, out, channels)


def decimation(input_shape: Sequence[int], factor: int | Sequence[int],
               channels: int = 1) -> LinearOperator:
    """Subsampling: keep samples ``0, f, 2f, ...``; size ``ceil(n/f)``.

    Examples
    --------
    >>> decimation((5,), 2).numeric().astype(int).tolist()
    [[1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 1]]
    """
    n = spatial_shape("input_shape", input_shape)
    f = per_axis("factor", factor, len(n), 1)
    out = tuple(-(-na // fa) for na, fa in zip(n, f))
    channels = constant_channels("decimation", channels, n, out)
    pairs = [(np.arange(oa), np.arange(oa) * fa) for oa, fa in zip(out, f)]
    return per_channel("decimation", pairs, n, out, channels)


def zero_padding(input_shape: Sequence[int], pads: Any, channels: int = 1) -> LinearOperator:
    """Zero padding with per-axis ``(before, after)`` pairs (or an int for all sides).

    Examples
    --------
    >>> zero_padding((2,), ((1, 0),)).numeric().astype(int).tolist()
    [[0, 0], [1, 0], [0, 1]]
    """
    n = spatial_shape("input_shape", input_shape)
    from ..geometry import resolve_pads

    pairs_pad = resolve_pads(pads, n, (1,) * len(n), (1,) * len(n), (1,) * len(n))
    out = tuple(na + b + a for na, (b, a) in zip(n, pairs_pad))
    channels = constant_channels("zero_padding", channels, n, out)
    pairs = [(np.arange(na) + b, np.arange(na)) for na, (b, _) in zip(n, pairs_pad)]
    return per_channel("zero_padding", pairs, n, out, channels)


def _crop_pairs(crops: Any, ndim: int) -> tuple[tuple[int, int], ...]:
    """``crops`` (an int, per-axis ints or ``(before, after)`` pairs) as pairs per axis."""
    if not isinstance(crops, Sequence) or isinstance(crops, str):
        value = integer("crops", crops, minimum=0, error=OperatorError)
        return ((value, value),) * ndim
    require(len(crops) == ndim, "crops", crops, f"must give one entry per spatial axis ({ndim})",
            error=OperatorError)
    pairs = []
    for axis, entry in enumerate(crops):
        pair = entry if isinstance(entry, Sequence) and not isinstance(entry, str) else (entry,) * 2
        require(len(pair) == 2, f"crops[{axis}]", entry, "must be a (before, after) pair",
                error=OperatorError)
        pairs.append(tuple(integer(f"crops[{axis}]", v, minimum=0, error=OperatorError)
                           for v in pair))
    return tuple(pairs)


def cropping(input_shape: Sequence[int], crops: Any, channels: int = 1) -> LinearOperator:
    """Cropping: drop ``before`` samples at the start and ``after`` at the end of each axis.

    What a negative pad does in ``jax.lax.conv_general_dilated``: pads ``(-b, -a)`` are
    this cropping by ``(b, a)``. ``crops`` as :func:`zero_padding` takes its pads.

    Examples
    --------
    >>> cropping((4,), ((1, 2),)).numeric().astype(int).tolist()
    [[0, 1, 0, 0]]
    """
    n = spatial_shape("input_shape", input_shape)
    pairs_crop = _crop_pairs(crops, len(n))
    for axis, (na, (b, a)) in enumerate(zip(n, pairs_crop)):
        require(b + a < na, f"crops[{axis}]", (b, a),
                f"must leave at least one of the {na} samples", f"before + after <= {na - 1}",
                error=OperatorError)
    out = tuple(na - b - a for na, (b, a) in zip(n, pairs_crop))
    channels = constant_channels("cropping", channels, n, out)
    pairs = [(np.arange(oa), np.arange(oa) + b) for oa, (b, _) in zip(out, pairs_crop)]
    return per_channel("cropping", pairs, n, out, channels)
