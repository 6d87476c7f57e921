"""The catalogue of known mistakes in convolution and pooling code, as operators.

Each variant is the exact operator of one plausible bug at one geometry (a
*point*: the size names of :mod:`symconv.implementations`, e.g. ``n, m`` input,
``K, L`` kernel, ``s, t`` strides, ``p, q`` pads, ``d`` dilation, ``c`` in and
``o`` out channels, ``g`` groups). :func:`diagnose` names the first variant whose
operator equals a lifted one; variants that do not change the operator at the
point are skipped (there they cannot be told apart from the right code).

Per axis, a correlation joins output ``i``, tap ``m`` and input
``j = s*i + start - p_before + d*m`` (``start`` 0, or the remainder when windows
are aligned to the end); a transposed convolution scatters input ``i`` through
tap ``m`` to output ``s*i - p_before + d*m``. A mistake changes one of these
numbers, the tap order, the output size, or the channel blocks.

Examples
--------
>>> point = {"n": 3, "K": 2, "s": 1, "p": 0, "d": 1, "c": 1, "g": 1, "o": 1}
>>> names = [name for name, _ in variants("correlation", point, 1)]
>>> names[:3]
['kernel flipped', 'padding ignored', 'all padding before']
>>> dict(variants("correlation", point, 1))["kernel flipped"]().matrix
Matrix([
[k_{0,0,1}, k_{0,0,0},         0],
[        0, k_{0,0,1}, k_{0,0,0}]])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import sympy

from .geometry import conv_output_size
from .operators import LinearOperator, avg_pool, combine_axes, indexed_symbols
from .sparse import coefficient_map, first_map_difference

NO_VARIANT = "none of the known variants"


def point_axes(point: dict[str, int], ndim: int) -> list[tuple[int, int, int, int, int]]:
    """Per spatial axis: ``(input, kernel, stride, padding, dilation)`` of a point.

    The second axis reads ``m, L, t, q``, which default to ``n, K, s, p`` (square
    sizes, one stride and padding for both axes).

    >>> point_axes({"n": 5, "K": 3, "s": 2, "p": 1, "d": 1, "m": 4, "L": 2}, 2)
    [(5, 3, 2, 1, 1), (4, 2, 2, 1, 1)]
    """
    d = point.get("d", 1)
    axes = [(point["n"], point["K"], point["s"], point["p"], d)]
    if ndim == 2:
        axes.append((point.get("m", point["n"]), point.get("L", point["K"]),
                     point.get("t", point["s"]), point.get("q", point["p"]), d))
    return axes


def _before_after(p: int, mode: str) -> tuple[int, int]:
    return {"both": (p, p), "ignored": (0, 0), "before": (2 * p, 0), "after": (0, 2 * p)}[mode]


def _correlation_axis(axis: tuple, size_from: int, *, pads: str, dilation: int | None,
                      windows: int, from_end: bool) -> tuple[int, np.ndarray]:
    """Output size and ``(i, m, j)`` triples of one axis of a correlation with a mistake."""
    n, k, s, p, d = axis
    pb, pa = _before_after(p, pads)
    dil = d if dilation is None else dilation
    span = dil * (k - 1) + 1
    out = conv_output_size(size_from, k, s, pb, pa, dil) + windows
    start = (n + pb + pa - span) % s if from_end else 0
    i, m = np.meshgrid(np.arange(max(out, 0)), np.arange(k), indexing="ij")
    j = s * i + start - pb + dil * m
    keep = (j >= 0) & (j < n)
    return out, np.stack([i[keep], m[keep], j[keep]], axis=1)


def _scatter_axis(axis: tuple, *, pads: str, dilation: int | None) -> tuple[int, np.ndarray]:
    """Output size and ``(output, m, i)`` triples of one axis of a transposed convolution."""
    n, k, s, p, d = axis
    pb, _ = _before_after(p, pads)
    dil = d if dilation is None else dilation
    out = (n - 1) * s - 2 * p + d * (k - 1) + 1
    i, m = np.meshgrid(np.arange(n), np.arange(k), indexing="ij")
    o = s * i - pb + dil * m
    keep = (o >= 0) & (o < out)
    return out, np.stack([o[keep], m[keep], i[keep]], axis=1)


def channel_blocks(c: int, o: int, g: int, mode: str = "groups",
                   transposed: bool = False) -> list[tuple[int, int, int]]:
    """``(output channel, input channel, kernel block)`` of every block, by mapping mode.

    The kernel layout is ``(o, c/g)`` for a correlation and ``(c, o/g)`` for a
    transposed convolution; a block is a flat index into the layout's first two axes.
    ``"groups"``: the right mapping; ``"interleaved"``: input channel ``i*g + group``
    instead of ``group*(c/g) + i``; ``"swapped"``: the kernel read in the other
    layout; ``"outputs from inputs"``: only ``min(c, o)`` output channels.

    >>> channel_blocks(2, 4, 2)
    [(0, 0, 0), (1, 0, 1), (2, 1, 2), (3, 1, 3)]
    """
    c_g, o_g = c // g, o // g
    blocks = []
    if transposed:
        for ci, j in itertools.product(range(c), range(o_g)):
            oo = (ci // c_g) * o_g + j
            block = oo * c_g + ci % c_g if mode == "swapped" else ci * o_g + j
            blocks.append((oo, ci, block))
        return blocks
    outputs = min(c, o) if mode == "outputs from inputs" else o
    for oo, i in itertools.product(range(outputs), range(c_g)):
        group = oo // o_g
        ci = i * g + group if mode == "interleaved" else group * c_g + i
        block = ci * o_g + oo % o_g if mode == "swapped" else oo * c_g + i
        blocks.append((oo, ci, block))
    return blocks


def _assemble(spatial: tuple, blocks: list, out_channels: int, point: dict, ndim: int,
              transposed: bool) -> LinearOperator:
    """Lay one spatial pattern ``(out_flat, tap_flat, in_flat, outs)`` into channel blocks."""
    out_flat, tap_flat, in_flat, outs = spatial
    ns = tuple(axis[0] for axis in point_axes(point, ndim))
    ks = tuple(axis[1] for axis in point_axes(point, ndim))
    out_size, in_size, taps = math.prod(outs), math.prod(ns), math.prod(ks)
    rows = np.concatenate([oo * out_size + out_flat for oo, _, _ in blocks])
    cols = np.concatenate([ci * in_size + in_flat for _, ci, _ in blocks])
    tap = np.concatenate([b * taps + tap_flat for _, _, b in blocks])
    c, o, g = point["c"], point["o"], point["g"]
    layout = (c, o // g) if transposed else (o, c // g)
    return LinearOperator("variant", (c, *ns), (out_channels, *outs), rows, cols, tap, None,
                          indexed_symbols((*layout, *ks), "k"))


def windows(point: dict[str, int], ndim: int, *, pads: str = "both",
            dilation: int | None = None, extra: int = 0, from_end: bool = False,
            flip: bool = False, swap_axes: bool = False, channels: str = "groups",
            transposed: bool = False, sizes: str = "own") -> LinearOperator | None:
    """A correlation (or scatter) operator with one mistake; None if it cannot exist.

    ``sizes``: whose input size sets each axis's output size: ``"own"`` (right),
    ``"swapped"`` (height and width swapped) or ``"first"`` (the first axis's size
    for every axis). ``extra`` windows more (or fewer) than the right count.
    """
    axes = point_axes(point, ndim)
    if transposed:
        built = [_scatter_axis(axis, pads=pads, dilation=dilation) for axis in axes]
    else:
        source = {"own": list(range(ndim)), "swapped": list(range(ndim))[::-1],
                  "first": [0] * ndim}[sizes]
        built = [_correlation_axis(axis, axes[a][0], pads=pads, dilation=dilation,
                                   windows=extra, from_end=from_end)
                 for axis, a in zip(axes, source)]
    outs = tuple(out for out, _ in built)
    ks = tuple(axis[1] for axis in axes)
    if min(outs) < 0 or (swap_axes and len(set(ks)) != 1):
        return None
    triples = [t.copy() for _, t in built]
    if flip:
        for t, k in zip(triples, ks):
            t[:, 1] = k - 1 - t[:, 1]
    ns = tuple(axis[0] for axis in axes)
    out_flat, tap_flat, in_flat = combine_axes(triples, outs, ks, ns)
    if swap_axes:
        tap_flat = np.arange(math.prod(ks)).reshape(ks).T.reshape(-1)[tap_flat]
    c, o, g = point["c"], point["o"], point["g"]
    if channels == "outputs from inputs" and c > o:
        return None
    blocks = channel_blocks(c, o, g, channels, transposed)
    out_channels = min(c, o) if channels == "outputs from inputs" else o
    return _assemble((out_flat, tap_flat, in_flat, outs), blocks, out_channels, point, ndim,
                     transposed)


def ignored_groups(point: dict[str, int], ndim: int, flip: bool) -> LinearOperator | None:
    """Groups ignored: every output channel sums over all inputs, ``w[o, c % (c/g)]``."""
    if point["g"] == 1:
        return None
    base = windows(dict(point, c=1, o=1, g=1), ndim, flip=flip)
    c, o, g = point["c"], point["o"], point["g"]
    blocks = [(oo, ci, oo * (c // g) + ci % (c // g)) for oo in range(o) for ci in range(c)]
    spatial = (base.rows, base.taps, base.cols, base.output_shape[1:])
    return _assemble(spatial, blocks, o, point, ndim, False)


def variants(reference: str, point: dict[str, int], ndim: int,
             options: dict[str, Any] | None = None) -> list[tuple[str, Callable]]:
    """The catalogue at a point: ``(name, builder)`` for each known mistake."""
    if reference == "avg_pool":
        return pool_variants(point, ndim, options or {})
    if reference == "transposed_convolution":
        return [
            ("kernel flipped", lambda: windows(point, ndim, flip=True, transposed=True)),
            ("transposed scatter off by the padding (padding not subtracted)",
             lambda: windows(point, ndim, pads="ignored", transposed=True)),
            ("transposed scatter off by the padding (padding subtracted twice)",
             lambda: windows(point, ndim, pads="before", transposed=True)),
            ("dilation ignored", lambda: windows(point, ndim, dilation=1, transposed=True)),
            ("kernel axes transposed", lambda: windows(point, ndim, swap_axes=True,
                                                       transposed=True)),
            ("wrong channel/group mapping (kernel axes in/out swapped)",
             lambda: windows(point, ndim, channels="swapped", transposed=True)),
        ]
    flip = reference == "convolution"
    return [
        ("kernel not flipped" if flip else "kernel flipped",
         lambda: windows(point, ndim, flip=not flip)),
        ("padding ignored", lambda: windows(point, ndim, pads="ignored", flip=flip)),
        ("all padding before", lambda: windows(point, ndim, pads="before", flip=flip)),
        ("all padding after", lambda: windows(point, ndim, pads="after", flip=flip)),
        ("output size off by one window (one too few)",
         lambda: windows(point, ndim, extra=-1, flip=flip)),
        ("output size off by one window (one too many)",
         lambda: windows(point, ndim, extra=1, flip=flip)),
        ("dilation ignored", lambda: windows(point, ndim, dilation=1, flip=flip)),
        ("stride counted from the other end", lambda: windows(point, ndim, from_end=True,
                                                              flip=flip)),
        ("kernel axes transposed", lambda: windows(point, ndim, swap_axes=True, flip=flip)),
        ("input height and width swapped (right on square inputs only)",
         lambda: windows(point, ndim, sizes="swapped", flip=flip)),
        ("the first axis's size used for every axis (right on square inputs only)",
         lambda: windows(point, ndim, sizes="first", flip=flip)),
        ("wrong channel/group mapping (groups ignored)",
         lambda: ignored_groups(point, ndim, flip)),
        ("wrong channel/group mapping (input channels interleaved across groups)",
         lambda: windows(point, ndim, channels="interleaved", flip=flip)),
        ("wrong channel/group mapping (kernel axes out/in swapped)",
         lambda: windows(point, ndim, channels="swapped", flip=flip)),
        ("wrong channel/group mapping (as many output channels as input channels)",
         lambda: windows(point, ndim, channels="outputs from inputs", flip=flip)),
    ]


# ---------------------------------------------------------------------------
# Average pooling
# ---------------------------------------------------------------------------

def pool_reference(point: dict[str, int], ndim: int, *, count_include_pad: bool = True,
                   ceil_mode: bool = False) -> LinearOperator:
    """PyTorch's average pool at a point (:func:`symconv.operators.avg_pool`)."""
    axes = point_axes(point, ndim)
    return avg_pool(tuple(a[0] for a in axes), tuple(a[1] for a in axes),
                    stride=tuple(a[2] for a in axes), padding=tuple(a[3] for a in axes),
                    ceil_mode=ceil_mode, count_include_pad=count_include_pad,
                    channels=point["c"])


def _pool_with(point: dict, ndim: int, options: dict, **change: Any) -> LinearOperator | None:
    from .errors import SymconvError

    try:
        return pool_reference(point, ndim, **dict(options, **change))
    except SymconvError:
        return None


def _divisor(op: LinearOperator, divisor: int | None) -> LinearOperator:
    """The pool with every coefficient ``1/divisor`` (``None``: a window sum, no division)."""
    value = sympy.Integer(1) if divisor is None else sympy.Rational(1, divisor)
    return replace(op, coeffs=np.array([value] * len(op.rows), dtype=object))


def pool_variants(point: dict[str, int], ndim: int,
                  options: dict[str, Any]) -> list[tuple[str, Callable]]:
    """Known average-pool mistakes: the divisor, the padding, the output size."""
    include = options.get("count_include_pad", True)
    ceil = options.get("ceil_mode", False)
    window = math.prod(axis[1] for axis in point_axes(point, ndim))
    right = _pool_with(point, ndim, options)
    no_pad = dict(point, p=0, **({"q": 0} if "q" in point else {}))
    return [
        ("divisor counts the padding (count_include_pad=True)" if not include else
         "divisor excludes the padding (count_include_pad=False)",
         lambda: _pool_with(point, ndim, options, count_include_pad=not include)),
        ("divisor is the whole window size, padding and overhang included",
         lambda: None if right is None else _divisor(right, window)),
        ("no division (window sum)", lambda: None if right is None else _divisor(right, None)),
        ("output size rounded up (ceil_mode=True)" if not ceil else
         "output size rounded down (ceil_mode=False)",
         lambda: _pool_with(point, ndim, options, ceil_mode=not ceil)),
        ("padding ignored", lambda: _pool_with(no_pad, ndim, options)),
    ]


# ---------------------------------------------------------------------------
# Telling operators apart
# ---------------------------------------------------------------------------

def difference(a: LinearOperator, b: LinearOperator) -> tuple[int, int, int] | None | str:
    """The first differing ``(row, col, tap)`` of two operators with one kernel layout,
    None if they are equal, ``"shape"`` if their shapes differ."""
    if a.output_shape != b.output_shape or a.input_shape != b.input_shape \
            or a.kernel_shape != b.kernel_shape:
        return "shape"
    found = first_map_difference(coefficient_map(a.rows, a.cols, a.taps, a.shape, a.coeffs),
                                 coefficient_map(b.rows, b.cols, b.taps, b.shape, b.coeffs))
    return None if found is None else found[0]


def diagnose(lifted: LinearOperator, right: LinearOperator, reference: str,
             point: dict[str, int], ndim: int, options: dict[str, Any] | None = None) -> str:
    """The name of the first known mistake whose operator equals ``lifted`` at ``point``.

    Only mistakes that change the operator at ``point`` are candidates.
    """
    for name, build in variants(reference, point, ndim, options):
        variant = build()
        if variant is not None and difference(variant, right) is not None \
                and difference(variant, lifted) is None:
            return name
    return NO_VARIANT


__all__ = ["NO_VARIANT", "channel_blocks", "diagnose", "difference", "point_axes",
           "pool_reference", "pool_variants", "variants", "windows"]
