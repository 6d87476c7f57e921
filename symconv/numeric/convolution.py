"""Correlation, convolution and transposed convolution, by sliding windows and scatters.

Inputs are ``(C_in, *spatial)``; correlation kernels ``(C_out, C_in/groups, *kernel)``,
transposed kernels ``(C_in, C_out/groups, *kernel)`` (PyTorch layouts). Pads and output
sizes come from :mod:`symconv.numeric.sizes`, the oracle's own arithmetic.

Examples
--------
>>> g = Geometry((3,), (2,))
>>> correlate(np.array([[1, 2, 3]]), np.array([[[1, -1]]]), g)
array([[-1, -1]])
"""

from __future__ import annotations

from math import prod
from typing import Any

import numpy as np

from ..errors import OperatorError, require
from ..geometry import Geometry, TransposedGeometry
from ..limits import oracle_floats, require_work
from .arguments import (
    checked_array,
    checked_groups,
    require_spatial_shape,
    require_spec,
    require_torch_convention,
)
from .sizes import geometry_pads, output_shape, window_counts
from .surgery import pad


def _check_conv(x: Any, w: Any,
                geometry: Geometry | TransposedGeometry) -> tuple[np.ndarray, np.ndarray]:
    ndim = geometry.ndim
    x = checked_array("x", x, ndim)
    w = checked_array("w", w, ndim, leading=2)
    require_spatial_shape("x", x, geometry.input_shape)
    require_spatial_shape("w", w, geometry.kernel_shape, leading=2)
    require_work("numeric oracle", floats=oracle_floats(x.shape[0], w.shape[0], geometry))
    return x, w


def _check_correlation(x: Any, w: Any, geometry: Geometry,
                       groups: Any) -> tuple[np.ndarray, np.ndarray, Geometry, int]:
    require_spec("geometry", geometry, Geometry)
    x, w = _check_conv(x, w, geometry)
    c_in = x.shape[0]
    groups = checked_groups(groups, **{"x.shape[0] (in_channels)": c_in,
                                "w.shape[0] (out_channels)": w.shape[0]})
    require(w.shape[1] * groups == c_in, "w.shape[1]", w.shape[1],
            f"must be in_channels / groups = {c_in} / {groups}", str(c_in // groups),
            error=OperatorError)
    return x, w, geometry, groups


#: Largest gather (values) the oracle builds to handle every kernel offset in one product:
#: ``C_in x K x windows`` for a correlation, ``C_out x K x inputs`` for a scatter. Larger
#: layers loop over the offsets instead (memory: the output's size), with equal results.
GATHER_VALUES = 1 << 20


def _taps(kernel: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every kernel offset ``m`` (C order)."""
    return list(np.ndindex(*kernel))


def _offset_positions(kernel: tuple[int, ...], counts: tuple[int, ...],
                      stride: tuple[int, ...], dilation: tuple[int, ...]) -> tuple:
    """Index arrays, broadcast to ``(*kernel, *counts)``: ``s*i + d*m`` on every axis."""
    ndim = len(kernel)
    index = []
    for axis, (k, n, s, d) in enumerate(zip(kernel, counts, stride, dilation)):
        shape = [1] * (2 * ndim)
        shape[axis], shape[ndim + axis] = k, n
        index.append((d * np.arange(k)[:, None] + s * np.arange(n)[None, :]).reshape(shape))
    return tuple(index)


def _window_sum(x: np.ndarray, w: np.ndarray, geometry: Geometry, groups: int,
                flip: bool) -> np.ndarray:
    """``y[o, i] = sum_{c, m} w[o, c, m] * xpad[g*C_in/groups + c, s*i + d*m']``.

    ``m' = m`` for correlation, ``m' = k - 1 - m`` for convolution (flip). The samples
    ``xpad[:, s*i + d*m]`` of every window ``i`` and offset ``m`` are gathered by their
    positions and contracted with the group's weights in one product; above
    :data:`GATHER_VALUES` one loop over the offsets ``m`` reads them as the strided slice
    ``xpad[:, d*m : d*m + s*(out - 1) + 1 : s]`` (per axis) instead. The last window
    must end inside the padded input.
    """
    c_out, c_per_group = w.shape[:2]
    out_per_group = c_out // groups
    pads = geometry_pads(geometry)
    xp = pad(x, pads)
    kernel = geometry.kernel_shape
    shape = window_counts(geometry, pads)  # output_shape(geometry), its pads resolved once
    inside = all(o == 0 or s * (o - 1) + d * (k - 1) < n for o, k, s, d, n in zip(
        shape, kernel, geometry.stride, geometry.dilation, xp.shape[1:]))
    require(inside, "geometry", geometry, "must have windows inside the padded input",
            error=OperatorError)
    taps = np.flip(w, axis=tuple(range(2, w.ndim))) if flip else w
    out = np.zeros((c_out,) + shape, np.result_type(x, w))
    if 0 in shape:
        return out
    weights = taps.reshape(c_out, -1)  # columns (c, m) in C order
    if x.shape[0] * prod(kernel) * prod(shape) <= GATHER_VALUES:
        samples = xp[(slice(None),) + _offset_positions(kernel, shape, geometry.stride,
                                                        geometry.dilation)]
        for g in range(groups):  # samples[c, m, i] = xpad[c, s*i + d*m]
            outputs = slice(g * out_per_group, (g + 1) * out_per_group)
            block = samples[g * c_per_group:(g + 1) * c_per_group].reshape(
                weights.shape[1], -1)
            out[outputs] = (weights[outputs] @ block).reshape((out_per_group,) + shape)
        return out
    for m in _taps(kernel):
        window = tuple(slice(d * a, d * a + s * (o - 1) + 1, s) for a, o, s, d
                       in zip(m, shape, geometry.stride, geometry.dilation))
        samples = xp[(slice(None),) + window]
        weight = taps[(slice(None), slice(None)) + m]
        for g in range(groups):
            outputs = slice(g * out_per_group, (g + 1) * out_per_group)
            inputs = slice(g * c_per_group, (g + 1) * c_per_group)
            out[outputs] += (weight[outputs] @ samples[inputs].reshape(c_per_group, -1)
                             ).reshape((out_per_group,) + shape)
    return out


def correlate(x: np.ndarray, w: np.ndarray, geometry: Geometry, groups: int = 1) -> np.ndarray:
    """Cross-correlation, what deep-learning frameworks call convolution (no flip).

    ``y[o, i] = sum_{c, m} w[o, c, m] * xpad[c', s*i + d*m]`` per spatial axis,
    where ``xpad`` is ``x`` zero-padded by :func:`explicit_pads` of
    ``geometry.padding`` (the oracle's own resolution, not ``geometry.pads``)
    and ``c'`` runs over the input channels of output channel ``o``'s group.
    The output has one position per window that fits the padded input.

    Parameters
    ----------
    x : ndarray, shape ``(C_in, *geometry.input_shape)``
    w : ndarray, shape ``(C_out, C_in / groups, *geometry.kernel_shape)``
    geometry : Geometry
    groups : int
        Divides both ``C_in`` and ``C_out``.

    Returns
    -------
    ndarray, shape ``(C_out, *output_shape(geometry))``

    Examples
    --------
    >>> g = Geometry((5,), (3,), stride=2, padding=1)
    >>> correlate(np.array([[1, 2, 3, 4, 5]]), np.array([[[1, 0, -1]]]), g)
    array([[-2, -2,  4]])
    """
    return _window_sum(*_check_correlation(x, w, geometry, groups), flip=False)


def convolve(x: np.ndarray, w: np.ndarray, geometry: Geometry, groups: int = 1) -> np.ndarray:
    """True convolution: :func:`correlate` with the kernel reversed on every spatial axis.

    ``y[o, i] = sum_{c, m} w[o, c, m] * xpad[c', s*i + d*(k - 1 - m)]``.

    Parameters and shapes are those of :func:`correlate`.

    Examples
    --------
    >>> g = Geometry((3,), (3,), padding="full")
    >>> convolve(np.array([[1, 2, 3]]), np.array([[[1, 1, 0]]]), g)
    array([[1, 3, 5, 3, 0]])
    """
    return _window_sum(*_check_correlation(x, w, geometry, groups), flip=True)



def conv_transpose(x: np.ndarray, w: np.ndarray, geometry: TransposedGeometry,
                   groups: int = 1) -> np.ndarray:
    """PyTorch ``ConvTranspose``, defined by its scatter rule.

    Every input sample ``x[c, i]`` and kernel tap ``m`` add
    ``w[c, o, m] * x[c, i]`` to output position ``j = s*i - p + d*m`` (per
    axis), when ``0 <= j < out``: the scatter into an unpadded target,
    cropped by ``p`` on both sides and grown by ``output_padding`` at the end
    (``out`` from :func:`output_shape`, the measured scatter extent).

    Parameters
    ----------
    x : ndarray, shape ``(C_in, *geometry.input_shape)``
    w : ndarray, shape ``(C_in, C_out / groups, *geometry.kernel_shape)``
    geometry : TransposedGeometry
    groups : int
        Divides ``C_in``; output channels are ``groups * w.shape[1]``.

    Returns
    -------
    ndarray, shape ``(C_out, *output_shape(geometry))``

    Examples
    --------
    >>> t = TransposedGeometry((2,), (3,), stride=2)
    >>> conv_transpose(np.array([[1, 10]]), np.array([[[1, 2, 3]]]), t)
    array([[ 1,  2, 13, 20, 30]])
    """
    require_spec("geometry", geometry, TransposedGeometry)
    require_torch_convention(geometry)
    x, w = _check_conv(x, w, geometry)
    c_in = x.shape[0]
    require(w.shape[0] == c_in, "w.shape[0]", w.shape[0],
            f"must equal in_channels = {c_in} (layout (in, out/groups, *kernel))", str(c_in),
            error=OperatorError)
    groups = checked_groups(groups, **{"x.shape[0] (in_channels)": c_in})
    in_per_group, out_per_group = c_in // groups, w.shape[1]
    out_shape = output_shape(geometry)
    # scatter into the uncropped target (start at -p), then crop p and keep out positions
    extent = tuple(max(s * (n - 1) + d * (k - 1) + 1, p + o) for n, k, s, d, p, o in zip(
        geometry.input_shape, geometry.kernel_shape, geometry.stride, geometry.dilation,
        geometry.padding, out_shape))
    full = np.zeros((out_per_group * groups,) + extent, np.result_type(x, w))
    kernel, inputs_shape = geometry.kernel_shape, geometry.input_shape
    gather = out_per_group * groups * prod(kernel) * prod(inputs_shape) <= GATHER_VALUES
    if 0 in inputs_shape:
        pass  # nothing to scatter
    elif gather:
        # every input i with offset m lands at s*i + d*m: one product, one scatter-add
        targets = _offset_positions(kernel, inputs_shape, geometry.stride, geometry.dilation)
        for g in range(groups):
            inputs = slice(g * in_per_group, (g + 1) * in_per_group)
            outputs = slice(g * out_per_group, (g + 1) * out_per_group)
            added = (w[inputs].reshape(in_per_group, -1).T
                     @ x[inputs].reshape(in_per_group, -1))  # rows (o, m), columns i
            np.add.at(full[outputs], (slice(None),) + targets,
                      added.reshape((out_per_group,) + kernel + inputs_shape))
    else:  # one loop over the offsets m: the inputs land on a strided slice
        for m in _taps(kernel):
            targets = tuple(slice(d * a, d * a + s * (n - 1) + 1, s) for a, n, s, d in zip(
                m, geometry.input_shape, geometry.stride, geometry.dilation))
            weight = w[(slice(None), slice(None)) + m]
            for g in range(groups):
                inputs = slice(g * in_per_group, (g + 1) * in_per_group)
                outputs = slice(g * out_per_group, (g + 1) * out_per_group)
                full[(outputs,) + targets] += (weight[inputs].T @ x[inputs].reshape(
                    in_per_group, -1)).reshape((out_per_group,) + geometry.input_shape)
    crop = tuple(slice(p, p + o) for p, o in zip(geometry.padding, out_shape))
    return full[(slice(None),) + crop]
