"""Convolution-family operators as explicit sparse matrices with symbolic entries.

Every linear operator is built in an *index form*: parallel integer arrays
``rows``, ``cols``, ``taps`` and optional exact ``coeffs``, meaning

    C[rows[e], cols[e]] += coeffs[e] * kernel.flat[taps[e]]     (tap -1: no kernel factor)

so that nothing is symbolic until the public edge (:attr:`LinearOperator.matrix`).
Rows index the flattened output in (C, H, W) order, columns the flattened input.

The index formulas, one axis, output position ``i``, input position ``j``,
kernel offset ``m`` (stride ``s``, dilation ``d``, pad before ``p``):

==========================  ===================================================
correlation                 ``C[i, j] = k[m]`` where ``j = s*i - p + d*m``
convolution                 ``C[i, j] = k[K-1-m]`` where ``j = s*i - p + d*m``
transposed (scatter rule)   input ``j`` adds ``w[m] x[j]`` to output ``s*j - p + d*m``
circular convolution        ``C[i, (i - m) mod n] = k[m]``
==========================  ===================================================

The package, one idea a module, data flowing down the list:

==========================  ===================================================
:mod:`.symbols`             kernel and input symbols, the lazy kernel grid
:mod:`.linear`              :class:`LinearOperator`, the index form's object
:mod:`.index_form`          per-axis window triples, flipped taps, padding sources
:mod:`.convolutions`        channel blocks; correlation, convolution, transposed,
                            circular, im2col
:mod:`.signals`             shift, zero insertion, decimation, padding, cropping
:mod:`.pooling`             average pools, adaptive pools, :class:`MaxPool`
==========================  ===================================================

Examples
--------
>>> from symconv.geometry import Geometry
>>> op = correlation(Geometry((4,), (2,)))
>>> op.matrix
Matrix([
[k_{0,0,0}, k_{0,0,1},         0,         0],
[        0, k_{0,0,0}, k_{0,0,1},         0],
[        0,         0, k_{0,0,0}, k_{0,0,1}]])
>>> op.input_shape, op.output_shape
((1, 4), (1, 3))
>>> op.numeric([[[1, 2]]]).tolist()
[[1.0, 2.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 1.0, 2.0]]
"""

from __future__ import annotations

from .convolutions import (
    channel_blocks,
    channel_map,
    check_channels,
    circular_convolution,
    convolution,
    correlation,
    divisors,
    im2col,
    transposed_convolution,
)
from .index_form import PADDING_MODES, combine_axes, flip_taps, padding_source, window_triples
from .linear import REPR_SIZE, LinearOperator, flat_input, float_array, same_kernel_symbols
from .pooling import MaxPool, adaptive_avg_pool, adaptive_max_pool, avg_pool, max_pool
from .signals import (
    constant_channels,
    cropping,
    decimation,
    per_axis_integers,
    per_channel,
    shift,
    zero_insertion,
    zero_padding,
)
from .symbols import KernelSymbols, Shape, flat_entries, indexed_symbols, input_symbols

__all__ = [
    "KernelSymbols", "LinearOperator", "MaxPool", "PADDING_MODES", "REPR_SIZE", "Shape",
    "adaptive_avg_pool", "adaptive_max_pool", "avg_pool", "channel_blocks", "channel_map",
    "check_channels", "circular_convolution", "combine_axes", "constant_channels",
    "convolution", "correlation", "cropping", "decimation", "divisors", "flat_entries",
    "flat_input", "flip_taps", "float_array", "im2col", "indexed_symbols", "input_symbols",
    "max_pool", "padding_source", "per_axis_integers", "per_channel", "same_kernel_symbols",
    "shift", "transposed_convolution", "window_triples", "zero_insertion", "zero_padding",
]
