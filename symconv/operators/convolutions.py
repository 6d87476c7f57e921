"""Convolution layers: correlation, convolution, transposed, circular, im2col.

A layer is built per axis from window triples (:mod:`symconv.operators.index_form`),
combined across axes, then laid into every (output channel, input channel) block in
PyTorch's weight layout (:func:`channel_blocks`); :mod:`symconv.operators` gives the
index formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any

import numpy as np

from ..errors import GeometryError, OperatorError, describe, require
from ..geometry import Geometry, TransposedGeometry, spatial_shape
from ..limits import require_index_range, require_work
from ..validation import boolean, integer
from .index_form import PADDING_MODES, combine_axes, flip_taps, padding_source, window_triples
from .linear import LinearOperator
from .symbols import KernelSymbols, indexed_symbols

# ---------------------------------------------------------------------------
# Channels: the spatial pattern laid into every (out, in) block
# ---------------------------------------------------------------------------

def check_channels(in_channels: int, out_channels: int, groups: int) -> None:
    """Channel counts and groups: positive integers, ``groups`` dividing both counts.

    Examples
    --------
    >>> check_channels(4, 6, 2)
    >>> check_channels(4, 6, 4)
    Traceback (most recent call last):
        ...
    symconv.errors.OperatorError: groups must divide out_channels=6, got 4 (valid: 1, 2, 3, 6)
    """
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels),
                        ("groups", groups)):
        integer(name, value, minimum=1, error=OperatorError)
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
        if value % groups:
            raise OperatorError(describe("groups", groups, f"must divide {name}={value}",
                                         divisors(value)))


def divisors(value: int, limit: int = 10_000) -> str:
    """The divisors of ``value`` as an error message lists them (named, not listed, when large).

    Examples
    --------
    >>> divisors(12), divisors(10**30)
    ('1, 2, 3, 4, 6, 12', 'a divisor of 1000000000000000000000000000000')
    """
    if value > limit:
        return f"a divisor of {value}"
    return ", ".join(str(g) for g in range(1, value + 1) if value % g == 0)


def channel_blocks(out_flat, tap_flat, in_flat, out_size, in_size, k_size,
                   in_channels, out_channels, groups, transposed=False):
    """Lay the spatial pattern into every (output channel, input channel) block.

    Correlation weights are (out, in/groups, *k); transposed weights are
    (in, out/groups, *k), PyTorch's layouts.
    """
    cin_g, cout_g = in_channels // groups, out_channels // groups
    o = np.arange(out_channels, dtype=np.int64)[:, None]  # blocks (o, i), o outer, i inner
    i = np.arange(cin_g, dtype=np.int64)[None, :]
    c = (o // cout_g) * cin_g + i
    tap_block = (c * cout_g + o % cout_g) if transposed else (o * cin_g + i)

    def laid(block_offset: np.ndarray, pattern: np.ndarray) -> np.ndarray:
        pattern = np.asarray(pattern, dtype=np.int64)
        return (block_offset[:, :, None] + pattern[None, None, :]).reshape(-1)

    return (laid(np.broadcast_to(o * out_size, c.shape), out_flat),
            laid(c * in_size, in_flat), laid(tap_block * k_size, tap_flat))


def channel_map(in_channels: int, out_channels: int, groups: int = 1,
                transposed: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(out channel, in channel, kernel block)`` of every block :func:`channel_blocks` lays.

    :func:`channel_blocks` applied to a one-entry spatial pattern: block ``(o, c)``
    of the multi-channel operator is the spatial pattern with taps offset by
    ``block * K``.

    Examples
    --------
    >>> [a.tolist() for a in channel_map(2, 2, groups=2)]
    [[0, 1], [0, 1], [0, 1]]
    """
    one = np.zeros(1, dtype=np.int64)
    return channel_blocks(one, one, one, 1, 1, 1, in_channels, out_channels, groups,
                           transposed=transposed)


# ---------------------------------------------------------------------------
# The layers
# ---------------------------------------------------------------------------

def _require_layer_work(name: str, spatial_entries: int, kernel_size: int, in_channels: int,
                        out_channels: int, groups: int) -> None:
    """Refuse a layer whose index form or kernel symbols would exceed the work limit."""
    blocks = out_channels * (in_channels // groups)
    require_work(f"{name} ({in_channels} -> {out_channels} channels, groups={groups})",
                 index_entries=blocks * spatial_entries, symbols=blocks * kernel_size)


def _check_symbol_name(parameter: str, value: Any) -> None:
    require(isinstance(value, str) and value.isidentifier(), parameter, value,
            "must be a symbol name (letters, digits, _; not starting with a digit)",
            "e.g. 'k' or 'w'", error=OperatorError)


def _check_padding_mode(mode: Any, geometry: Geometry) -> str:
    """``mode`` if it is one of :data:`PADDING_MODES` and the pads fit PyTorch's limits."""
    require(isinstance(mode, str) and mode in PADDING_MODES, "padding_mode", mode,
            "must be a PyTorch padding mode", ", ".join(PADDING_MODES), error=OperatorError)
    limit = {"reflect": ("smaller than", 1), "circular": ("at most", 0)}.get(mode)
    for axis, (n, pair) in enumerate(zip(geometry.input_shape, geometry.pads)):
        if limit is not None and max(pair) > n - limit[1]:
            raise GeometryError(describe(
                f"pads[{axis}]", pair, f"must be {limit[0]} the input size {n} for "
                f"padding_mode='{mode}' (as torch.nn.functional.pad requires)",
                f"0 to {n - limit[1]} per side"))
    return mode


def correlation(geometry: Geometry, in_channels: int = 1, out_channels: int = 1,
                groups: int = 1, kernel_name: str = "k", flip: bool = False, *,
                padding_mode: str = "zeros") -> LinearOperator:
    """Cross-correlation (what frameworks call convolution) as an explicit operator.

    ``C[(o, i), (c, j)] = k[o, c mod (in/groups), m]`` where ``j = s*i - p_before + d*m``
    per axis, for input channels ``c`` of output channel ``o``'s group. With a
    ``padding_mode`` other than ``"zeros"`` (PyTorch's ``Conv(padding_mode=...)``) a tap
    on the padding reads the input sample :func:`padding_source` names instead, so an
    entry can be a sum of kernel symbols.

    Parameters
    ----------
    geometry : Geometry
        Spatial sizes, stride, padding and dilation.
    in_channels, out_channels, groups : int
        ``groups`` must divide both channel counts.
    kernel_name : str
        Base name of the kernel symbols.
    flip : bool
        Use the kernel flipped on every spatial axis (true convolution).
    padding_mode : str
        One of :data:`PADDING_MODES`; reflect pads must be smaller than the input size,
        circular pads at most the input size (PyTorch's limits).

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> op = correlation(Geometry((5, 5), (3, 3), stride=2, padding=1))
    >>> op.matrix.shape, op.kernel.shape
    ((9, 25), (1, 1, 3, 3))
    >>> op.matrix[0, :7]
    Matrix([[k_{0,0,1,1}, k_{0,0,1,2}, 0, 0, 0, k_{0,0,2,1}, k_{0,0,2,2}]])
    >>> correlation(Geometry((3,), (3,), padding=1), padding_mode="reflect").matrix
    Matrix([
    [k_{0,0,1}, k_{0,0,0} + k_{0,0,2},         0],
    [k_{0,0,0},             k_{0,0,1}, k_{0,0,2}],
    [        0, k_{0,0,0} + k_{0,0,2}, k_{0,0,1}]])
    """
    require(isinstance(geometry, Geometry), "geometry", type(geometry).__name__,
            "must be a symconv.Geometry", error=OperatorError)
    check_channels(in_channels, out_channels, groups)
    _check_symbol_name("kernel_name", kernel_name)
    out_shape = geometry.output_shape
    require_index_range("correlation", stride=geometry.stride, dilation=geometry.dilation,
                        pads=tuple(max(pair) for pair in geometry.pads))
    k_size = prod(geometry.kernel_shape)
    _require_layer_work("correlation", prod(out_shape) * k_size, k_size, in_channels,
                        out_channels, groups)
    flip = boolean("flip", flip, error=OperatorError)
    padding_mode = _check_padding_mode(padding_mode, geometry)
    if padding_mode == "zeros":
        triples = [window_triples(o, k, n, s, pb, d) for o, k, n, s, d, (pb, _) in zip(
            out_shape, geometry.kernel_shape, geometry.input_shape, geometry.stride,
            geometry.dilation, geometry.pads)]
    else:  # every tap of the padded input, its position mapped to the sample it copies
        triples = []
        for o, k, n, s, d, (pb, pa) in zip(out_shape, geometry.kernel_shape,
                                           geometry.input_shape, geometry.stride,
                                           geometry.dilation, geometry.pads):
            t = window_triples(o, k, n + pb + pa, s, 0, d)
            t[:, 2] = padding_source(t[:, 2] - pb, n, padding_mode)
            triples.append(t)
    if flip:
        triples = flip_taps(triples, geometry.kernel_shape)
    out_flat, tap_flat, in_flat = combine_axes(triples, out_shape, geometry.kernel_shape,
                                                geometry.input_shape)
    rows, cols, taps = channel_blocks(
        out_flat, tap_flat, in_flat, int(prod(out_shape)),
        int(prod(geometry.input_shape)), int(prod(geometry.kernel_shape)),
        in_channels, out_channels, groups)
    kernel = KernelSymbols(kernel_name,
                           (out_channels, in_channels // groups, *geometry.kernel_shape))
    return LinearOperator("convolution" if flip else "correlation",
                          (in_channels, *geometry.input_shape), (out_channels, *out_shape),
                          rows, cols, taps, None, kernel)


def convolution(geometry: Geometry, in_channels: int = 1, out_channels: int = 1,
                groups: int = 1, kernel_name: str = "k") -> LinearOperator:
    """True convolution: correlation with the kernel flipped on every spatial axis.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> convolution(Geometry((3,), (2,))).matrix
    Matrix([
    [k_{0,0,1}, k_{0,0,0},         0],
    [        0, k_{0,0,1}, k_{0,0,0}]])
    """
    return correlation(geometry, in_channels, out_channels, groups, kernel_name, flip=True)


def transposed_convolution(input_shape: Sequence[int] | TransposedGeometry,
                           kernel_shape: Sequence[int] | None = None, stride: Any = 1,
                           padding: Any = 0, output_padding: Any = None, dilation: Any = 1,
                           in_channels: int = 1, out_channels: int = 1, groups: int = 1,
                           kernel_name: str = "w", *, convention: str = "torch",
                           output_shape: Sequence[int] | None = None,
                           transpose_kernel: bool = True) -> LinearOperator:
    """A framework's transposed convolution defined by its scatter rule (not by transposing C).

    Input position ``j`` with kernel offset ``m`` adds ``w[c, o, m] x[c, j]`` to output
    position ``s*j - c + d*m`` when it lies in ``[0, out)``, with the crop ``c`` and the
    output size ``out`` of the convention (:class:`~symconv.geometry.TransposedGeometry`:
    ``"torch"``, ``"tensorflow"``, ``"keras"``, ``"jax"``; ``c = p`` for PyTorch).
    Weight layout ``(in, out/groups, *kernel)``: PyTorch's ``weight``; TensorFlow's and
    Keras' ``filters``/``kernel`` ``[*k, out, in]`` transposed to it.

    ``transpose_kernel`` (JAX only, as ``jax.lax.conv_transpose`` names it): True is the
    gradient of the forward layer (TensorFlow's kernel orientation); JAX's default False
    uses the kernel unflipped on the zero-inserted input, i.e. ``m -> k-1-m`` here, with
    JAX's ``rhs[*k, i, o]`` as ``w[i, o]``.

    Examples
    --------
    >>> t = transposed_convolution((2,), (3,), stride=2)
    >>> t.matrix
    Matrix([
    [w_{0,0,0},         0],
    [w_{0,0,1},         0],
    [w_{0,0,2}, w_{0,0,0}],
    [        0, w_{0,0,1}],
    [        0, w_{0,0,2}]])
    >>> transposed_convolution((2,), (3,), stride=2, padding="same", convention="keras").matrix
    Matrix([
    [w_{0,0,0},         0],
    [w_{0,0,1},         0],
    [w_{0,0,2}, w_{0,0,0}],
    [        0, w_{0,0,1}]])
    """
    if isinstance(input_shape, TransposedGeometry):
        geometry = input_shape
    else:
        require(kernel_shape is not None, "kernel_shape", None, "must be given",
                error=OperatorError)
        geometry = TransposedGeometry(input_shape, kernel_shape, stride, padding,
                                      output_padding, dilation, convention, output_shape)
    transpose_kernel = boolean("transpose_kernel", transpose_kernel, error=OperatorError)
    require(transpose_kernel or geometry.convention == "jax", "transpose_kernel",
            transpose_kernel, "must be True unless convention='jax' (only JAX flips it)",
            "True", error=OperatorError)
    check_channels(in_channels, out_channels, groups)
    _check_symbol_name("kernel_name", kernel_name)
    out_shape = geometry.output_shape
    require_index_range("transposed_convolution", stride=geometry.stride,
                        dilation=geometry.dilation,
                        padding=tuple(max(map(abs, pair)) for pair in geometry.crops),
                        size=out_shape)
    k_size = prod(geometry.kernel_shape)
    _require_layer_work("transposed_convolution", prod(geometry.input_shape) * k_size, k_size,
                        in_channels, out_channels, groups)
    # (j, m, i): input j, offset m, output i; reuse the window triples with roles swapped
    triples = [window_triples(n, k, o, s, c, d) for n, k, o, s, (c, _), d in zip(
        geometry.input_shape, geometry.kernel_shape, out_shape, geometry.stride,
        geometry.crops, geometry.dilation)]
    if not transpose_kernel:
        triples = flip_taps(triples, geometry.kernel_shape)
    in_flat, tap_flat, out_flat = combine_axes(triples, geometry.input_shape,
                                                geometry.kernel_shape, out_shape)
    rows, cols, taps = channel_blocks(
        out_flat, tap_flat, in_flat, int(prod(out_shape)),
        int(prod(geometry.input_shape)), int(prod(geometry.kernel_shape)),
        in_channels, out_channels, groups, transposed=True)
    kernel = KernelSymbols(kernel_name,
                           (in_channels, out_channels // groups, *geometry.kernel_shape))
    return LinearOperator("transposed_convolution", (in_channels, *geometry.input_shape),
                          (out_channels, *out_shape), rows, cols, taps, None, kernel)


def circular_convolution(input_shape: Sequence[int], kernel_shape: Sequence[int],
                         in_channels: int = 1, out_channels: int = 1, groups: int = 1,
                         kernel_name: str = "k") -> LinearOperator:
    """Circular convolution: ``y[i] = sum_m k[m] x[(i - m) mod n]``, output size = input size.

    Examples
    --------
    >>> circular_convolution((3,), (2,)).matrix
    Matrix([
    [k_{0,0,0},         0, k_{0,0,1}],
    [k_{0,0,1}, k_{0,0,0},         0],
    [        0, k_{0,0,1}, k_{0,0,0}]])
    """
    n = spatial_shape("input_shape", input_shape)
    k = spatial_shape("kernel_shape", kernel_shape)
    require(len(k) == len(n), "kernel_shape", k, f"must have as many axes as input_shape {n}",
            error=OperatorError)
    for axis, (na, ka) in enumerate(zip(n, k)):
        require(ka <= na, f"kernel_shape[{axis}]", ka,
                f"must be at most the input size {na} for circular convolution",
                f"1 to {na}", error=OperatorError)
    check_channels(in_channels, out_channels, groups)
    _check_symbol_name("kernel_name", kernel_name)
    _require_layer_work("circular_convolution", prod(n) * prod(k), prod(k), in_channels,
                        out_channels, groups)
    triples = []
    for na, ka in zip(n, k):
        i, m = np.meshgrid(np.arange(na), np.arange(ka), indexing="ij")
        triples.append(np.stack([i.ravel(), m.ravel(), ((i - m) % na).ravel()], axis=1))
    out_flat, tap_flat, in_flat = combine_axes(triples, n, k, n)
    size, k_size = int(prod(n)), int(prod(k))
    rows, cols, taps = channel_blocks(out_flat, tap_flat, in_flat, size, size, k_size,
                                       in_channels, out_channels, groups)
    kernel = indexed_symbols((out_channels, in_channels // groups, *k), kernel_name)
    return LinearOperator("circular_convolution", (in_channels, *n), (out_channels, *n),
                          rows, cols, taps, None, kernel)


def im2col(geometry: Geometry, in_channels: int = 1) -> LinearOperator:
    """The patch matrix of ``torch.nn.functional.unfold``, as a constant linear map of ``x``.

    ``P[(c, m), i] = x[c, s*i - p_before + d*m]`` (0 where the tap is on the zero
    padding): one row per input channel and kernel tap (C, *kernel order), one column
    per output position (row-major), exactly F.unfold's ``(C * prod(k), L)`` layout.
    ``apply(x)`` gives the matrix itself; ``W @ P`` (``W`` the ``(out, C * prod(k))``
    weight matrix) is the correlation's output, the im2col identity.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> patches = im2col(Geometry((4,), (2,), stride=2, padding=1))
    >>> patches.output_shape
    (2, 3)
    >>> from symconv.operators import input_symbols
    >>> patches.apply(input_symbols(patches.input_shape))
    [[0, x_{0,1}, x_{0,3}], [x_{0,0}, x_{0,2}, 0]]
    """
    require(isinstance(geometry, Geometry), "geometry", type(geometry).__name__,
            "must be a symconv.Geometry", error=OperatorError)
    channels = integer("in_channels", in_channels, minimum=1, error=OperatorError)
    out_shape, k_shape = geometry.output_shape, geometry.kernel_shape
    taps, positions = prod(k_shape), prod(out_shape)
    require_index_range("im2col", stride=geometry.stride, dilation=geometry.dilation,
                        pads=tuple(max(pair) for pair in geometry.pads))
    require_work(f"im2col ({channels} channels)", index_entries=channels * positions * taps)
    triples = [window_triples(o, k, n, s, pb, d) for o, k, n, s, d, (pb, _) in zip(
        out_shape, k_shape, geometry.input_shape, geometry.stride, geometry.dilation,
        geometry.pads)]
    out_flat, tap_flat, in_flat = combine_axes(triples, out_shape, k_shape,
                                                geometry.input_shape)
    size = prod(geometry.input_shape)
    rows = np.concatenate([(c * taps + tap_flat) * positions + out_flat for c in range(channels)])
    cols = np.concatenate([c * size + in_flat for c in range(channels)])
    return LinearOperator("im2col", (channels, *geometry.input_shape), (channels * taps,
                          positions), rows.astype(np.int64), cols.astype(np.int64),
                          np.full(len(rows), -1, dtype=np.int64))
