"""The oracle's own shape arithmetic, from the raw layer arguments: pads and output sizes.

Deliberately naive and never imported from :mod:`symconv.geometry`'s formulas: windows
are counted by sliding them, SAME pads found by trying totals, transposed sizes
measured by scattering. A wrong formula there therefore disagrees with the oracle
instead of passing through it. Of a spec it reads only the raw fields (sizes, stride,
``padding`` as given, dilation, ``output_padding``, ``ceil_mode``).

Examples
--------
>>> explicit_pads("causal", (4,), (3,))
((2, 0),)
>>> output_shape(Geometry((4,), (3,), padding="causal"))
(4,)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import OperatorError, require
from ..geometry import Geometry, PoolGeometry, TransposedGeometry
from ..validation import is_integer
from .arguments import require_torch_convention

_PADDING_NAMES = ("valid", "same", "same_lower", "full", "causal")


def _window_count(length: int, span: int, stride: int) -> int:
    """How many windows of ``span`` samples, started every ``stride``, fit in ``length``."""
    count, start = 0, 0
    while start + span <= length:
        count, start = count + 1, start + stride
    return count


def _same_total(n: int, span: int, stride: int) -> int:
    """The fewest padding samples that give one window per stride step of the input."""
    wanted = len(range(0, n, stride))
    total = 0
    while _window_count(n + total, span, stride) < wanted:
        total += 1
    return total


def _named_pads(name: str, n: int, span: int, stride: int) -> tuple[int, int]:
    if name == "valid":
        return (0, 0)
    if name == "full":
        return (span - 1, span - 1)
    if name == "causal":
        return (span - 1, 0)
    total = _same_total(n, span, stride)
    odd = total % 2
    even = total // 2
    return (even + odd, even) if name == "same_lower" else (even, even + odd)


def _pad_pair(name: str, entry: Any) -> tuple[int, int]:
    pair = tuple(entry) if isinstance(entry, Sequence) and not isinstance(entry, str) \
        else (entry, entry)
    ok = len(pair) == 2 and all(
        is_integer(v) and v >= 0 for v in pair)
    require(ok, name, entry, "must be a non-negative integer or a (before, after) pair of them",
            "0, 1, 2, ... or (before, after)")
    return (int(pair[0]), int(pair[1]))


def explicit_pads(padding: Any, input_shape: Sequence[int], kernel_shape: Sequence[int],
                  stride: Sequence[int] | None = None, dilation: Sequence[int] | None = None
                  ) -> tuple[tuple[int, int], ...]:
    """``(before, after)`` zero pads per axis from ``padding`` as a user writes it.

    Accepts what :class:`symconv.geometry.Geometry` accepts: an int, per-axis
    ints, per-axis ``(before, after)`` pairs, or ``"valid"``, ``"same"``
    (TensorFlow: ``ceil(n/s)`` outputs, odd pixel after), ``"same_lower"``
    (odd pixel before), ``"full"`` (``d(k-1)`` on both sides), ``"causal"``
    (``d(k-1)`` before, none after). SAME pads are
    found by trying totals ``0, 1, 2, ...`` until the sliding windows reach
    ``ceil(n/s)``, not by a closed formula.

    Parameters
    ----------
    padding : int, tuple or str
    input_shape, kernel_shape : tuple of int
        Spatial sizes, one per axis.
    stride, dilation : tuple of int, optional
        One per axis; 1 on every axis when omitted.

    Returns
    -------
    tuple of ``(before, after)`` pairs, one per spatial axis

    Examples
    --------
    >>> explicit_pads("same", (13,), (6,), (5,))
    ((1, 2),)
    >>> explicit_pads("same_lower", (13,), (6,), (5,))
    ((2, 1),)
    >>> explicit_pads("full", (4,), (3,), dilation=(2,))
    ((4, 4),)
    >>> explicit_pads((1, (0, 2)), (4, 4), (3, 3))
    ((1, 1), (0, 2))
    """
    ndim = len(input_shape)
    stride = (1,) * ndim if stride is None else tuple(stride)
    dilation = (1,) * ndim if dilation is None else tuple(dilation)
    spans = [d * (k - 1) + 1 for k, d in zip(kernel_shape, dilation)]
    if isinstance(padding, str):
        name = padding.lower()
        require(name in _PADDING_NAMES, "padding", padding, "must be an integer or a known name",
                ", ".join(_PADDING_NAMES))
        return tuple(_named_pads(name, n, span, s)
                     for n, span, s in zip(input_shape, spans, stride))
    if isinstance(padding, Sequence):
        require(len(padding) == ndim, "padding", padding,
                f"must give one entry per spatial axis ({ndim})")
        return tuple(_pad_pair(f"padding[{i}]", entry) for i, entry in enumerate(padding))
    return (_pad_pair("padding", padding),) * ndim


def pool_starts(n: int, k: int, s: int, pads: tuple[int, int], d: int,
                 ceil_mode: bool) -> list[int]:
    """Window starts (input coordinates) of pooling on one axis, by sliding.

    A window must fit the padded input ``[-p_b, n + p_a)``; with ``ceil_mode`` it
    may overhang that end by up to ``s - 1`` samples, but must start inside
    the input or the left padding.
    """
    span, end = d * (k - 1) + 1, n + pads[1] + (s - 1 if ceil_mode else 0)
    starts, start = [], -pads[0]
    while start + span <= end and (not ceil_mode or start < n):
        starts.append(start)
        start += s
    return starts


def _scatter_extent(n: int, k: int, s: int, d: int) -> int:
    """Length of the unpadded scatter target: last position ``s*i + d*m`` reached, plus one."""
    return max(s * i + d * m for i in range(n) for m in range(k)) + 1


def output_shape(geometry: Geometry | TransposedGeometry | PoolGeometry) -> tuple[int, ...]:
    """Spatial output shape of a layer, found by sliding (or scattering) as the oracle does.

    Reads only the raw fields of the spec (sizes, stride, padding as given,
    dilation, output_padding, ceil_mode), never its resolved pads or
    output shape.

    Examples
    --------
    >>> output_shape(Geometry((13,), (6,), stride=5, padding="same"))
    (3,)
    >>> output_shape(TransposedGeometry((3,), (3,), stride=2, padding=1, output_padding=1))
    (6,)
    >>> output_shape(PoolGeometry((5,), (2,), ceil_mode=True))
    (3,)
    """
    require(isinstance(geometry, (Geometry, TransposedGeometry, PoolGeometry)), "geometry",
            geometry, "must be a Geometry, TransposedGeometry or PoolGeometry",
            "symconv.geometry.Geometry(...)", error=OperatorError)
    if isinstance(geometry, PoolGeometry):
        return tuple(len(pool_starts(*axis, geometry.ceil_mode)) for axis in zip(
            geometry.input_shape, geometry.kernel_shape, geometry.stride, geometry_pads(geometry),
            geometry.dilation))
    if isinstance(geometry, TransposedGeometry):
        require_torch_convention(geometry)
        return tuple(_scatter_extent(n, k, s, d) - 2 * p + extra for n, k, s, p, d, extra in zip(
            geometry.input_shape, geometry.kernel_shape, geometry.stride, geometry.padding,
            geometry.dilation, geometry.output_padding))
    return window_counts(geometry, geometry_pads(geometry))


def window_counts(geometry: Geometry, pads: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """Windows per axis of a correlation whose input is zero-padded by ``pads``, by sliding.

    Examples
    --------
    >>> window_counts(Geometry((5,), (3,), stride=2), ((1, 1),))
    (3,)
    """
    return tuple(_window_count(n + before + after, d * (k - 1) + 1, s)
                 for n, k, s, d, (before, after) in zip(
                     geometry.input_shape, geometry.kernel_shape, geometry.stride,
                     geometry.dilation, pads))


def geometry_pads(geometry: Geometry | PoolGeometry) -> tuple[tuple[int, int], ...]:
    return explicit_pads(geometry.padding, geometry.input_shape, geometry.kernel_shape,
                         geometry.stride, geometry.dilation)
