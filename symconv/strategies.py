"""Hypothesis strategies for convolution geometries, channels, kernels and inputs.

Every strategy draws only valid values, by construction rather than by
filtering: sizes are drawn in an order (input size, kernel, dilation, then
padding) where each range already guarantees that the layer exists. Sizes
are small by default (spatial at most 7 per axis, kernels at most 4) so that
symbolic operators built from them stay fast.

Examples
--------
>>> from hypothesis import find
>>> g = find(geometries(ndim=2, padding_kinds=("same",)), lambda g: g.stride == (2, 2))
>>> g.output_shape == tuple(-(-n // 2) for n in g.input_shape)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .errors import require
from .geometry import MAX_AXES, PADDING_NAMES, Geometry, PoolGeometry, TransposedGeometry
from .validation import is_integer

#: The padding forms :func:`geometries` can draw.
PADDING_KINDS = ("int", "pairs") + PADDING_NAMES

#: Number of spatial axes: a fixed int or a strategy drawing one.
NDim = Union[int, st.SearchStrategy[int]]  # noqa: UP007

#: The default ``ndim``: one or two spatial axes.
ONE_OR_TWO_AXES = st.integers(1, 2)


def _bound(name: str, value: int, minimum: int) -> int:
    ok = is_integer(value) and value >= minimum
    require(ok, name, value, f"must be an integer >= {minimum}", f"{minimum}, {minimum + 1}, ...")
    return int(value)


def _ndims(ndim: NDim) -> st.SearchStrategy[int]:
    if isinstance(ndim, st.SearchStrategy):
        return ndim
    require(is_integer(ndim) and 1 <= ndim <= MAX_AXES, "ndim", ndim,
            "must be a number of spatial axes or a strategy drawing one", f"1 to {MAX_AXES}")
    return st.just(ndim)


def _ceil_half(value: int) -> int:
    return -(-value // 2)


def _dilations(n: int, k: int, max_dilation: int, room: int) -> st.SearchStrategy[int]:
    """Dilations ``d`` with ``d(k-1) + 1 <= n + room``."""
    if k == 1:
        return st.integers(1, max_dilation)
    return st.integers(1, max(1, min(max_dilation, (n + room - 1) // (k - 1))))


# ---------------------------------------------------------------------------
# Correlation geometries
# ---------------------------------------------------------------------------


@st.composite
def _geometry(draw: st.DrawFn, ndim: st.SearchStrategy[int], max_size: int, max_kernel: int,
              max_stride: int, max_dilation: int, max_padding: int,
              padding_kinds: tuple[str, ...]) -> Geometry:
    axes = draw(ndim)
    kind = draw(st.sampled_from(padding_kinds))
    sizes, kernels, dilations, strides, needs = [], [], [], [], []
    for _ in range(axes):
        n = draw(st.integers(1, max_size))
        # "valid" has no padding to absorb the kernel, so the kernel must fit n.
        k = draw(st.integers(1, min(max_kernel, n) if kind == "valid" else max_kernel))
        free = st.integers(1, max_dilation)
        d = draw(_dilations(n, k, max_dilation, 0) if kind == "valid" else free)
        sizes.append(n)
        kernels.append(k)
        dilations.append(d)
        strides.append(draw(st.integers(1, max_stride)))
        needs.append(max(d * (k - 1) + 1 - n, 0))
    padding: object = kind
    if kind == "int":
        low = max(_ceil_half(need) for need in needs)
        padding = draw(st.integers(low, low + max_padding))
    elif kind == "pairs":
        pairs = []
        for need in needs:
            before = draw(st.integers(0, need + max_padding))
            low = max(need - before, 0)
            pairs.append((before, draw(st.integers(low, low + max_padding))))
        padding = tuple(pairs)
    return Geometry(tuple(sizes), tuple(kernels), stride=tuple(strides), padding=padding,
                    dilation=tuple(dilations))


def geometries(*, ndim: NDim = ONE_OR_TWO_AXES, max_size: int = 7, max_kernel: int = 4,
               max_stride: int = 3, max_dilation: int = 2, max_padding: int = 2,
               padding_kinds: Sequence[str] = PADDING_KINDS) -> st.SearchStrategy[Geometry]:
    """Valid correlation geometries (:class:`~symconv.geometry.Geometry`).

    Parameters
    ----------
    ndim : int or strategy of int
        Number of spatial axes (1 to 3); by default 1 or 2.
    max_size, max_kernel, max_stride, max_dilation : int
        Upper bounds per axis for the input size, kernel size, stride, dilation.
    max_padding : int
        Explicit pads exceed the least padding the kernel needs by at most this.
    padding_kinds : sequence of str
        Which padding forms to draw: ``"int"`` (one int for all axes),
        ``"pairs"`` (per-axis ``(before, after)``), or a padding name
        ``"valid"``, ``"same"``, ``"same_lower"``, ``"full"``.

    Examples
    --------
    >>> from hypothesis import find
    >>> g = find(geometries(ndim=1, padding_kinds=("valid",)), lambda g: g.kernel_shape[0] > 2)
    >>> g.pads, g.kernel_shape[0] <= g.input_shape[0] <= 7
    (((0, 0),), True)
    """
    kinds = tuple(padding_kinds)
    require(len(kinds) > 0 and all(k in PADDING_KINDS for k in kinds), "padding_kinds", kinds,
            "must be a non-empty selection of known padding forms", ", ".join(PADDING_KINDS))
    return _geometry(_ndims(ndim), _bound("max_size", max_size, 1),
                     _bound("max_kernel", max_kernel, 1), _bound("max_stride", max_stride, 1),
                     _bound("max_dilation", max_dilation, 1),
                     _bound("max_padding", max_padding, 0), kinds)


# ---------------------------------------------------------------------------
# Transposed and pooling geometries
# ---------------------------------------------------------------------------


@st.composite
def _transposed(draw: st.DrawFn, ndim: st.SearchStrategy[int], max_size: int, max_kernel: int,
                max_stride: int, max_dilation: int, max_padding: int) -> TransposedGeometry:
    columns: list[list[int]] = [[], [], [], [], [], []]
    for _ in range(draw(ndim)):
        n = draw(st.integers(1, max_size))
        k = draw(st.integers(1, max_kernel))
        s = draw(st.integers(1, max_stride))
        d = draw(st.integers(1, max_dilation))
        output_padding = draw(st.integers(0, max(s, d) - 1))
        # The output size (n-1)s - 2p + d(k-1) + output_padding + 1 must stay >= 1.
        most = ((n - 1) * s + d * (k - 1) + output_padding) // 2
        p = draw(st.integers(0, min(max_padding, most)))
        for column, value in zip(columns, (n, k, s, p, output_padding, d)):
            column.append(value)
    n, k, s, p, output_padding, d = map(tuple, columns)
    return TransposedGeometry(n, k, stride=s, padding=p, output_padding=output_padding,
                              dilation=d)


def transposed_geometries(*, ndim: NDim = ONE_OR_TWO_AXES, max_size: int = 4,
                          max_kernel: int = 4, max_stride: int = 3, max_dilation: int = 2,
                          max_padding: int = 2) -> st.SearchStrategy[TransposedGeometry]:
    """Valid PyTorch ``ConvTranspose`` geometries (:class:`~symconv.geometry.TransposedGeometry`).

    ``output_padding < max(stride, dilation)`` and the padding leaves at least
    one output, per axis. The input size bound is smaller than for
    :func:`geometries` because a transposed layer enlarges its input.

    Examples
    --------
    >>> from hypothesis import find
    >>> t = find(transposed_geometries(ndim=1), lambda t: t.output_padding[0] > 0)
    >>> t.output_padding[0] < max(t.stride[0], t.dilation[0])
    True
    """
    return _transposed(_ndims(ndim), _bound("max_size", max_size, 1),
                       _bound("max_kernel", max_kernel, 1), _bound("max_stride", max_stride, 1),
                       _bound("max_dilation", max_dilation, 1),
                       _bound("max_padding", max_padding, 0))


@st.composite
def _pool(draw: st.DrawFn, ndim: st.SearchStrategy[int], max_size: int, max_kernel: int,
          max_stride: int, max_dilation: int, ceil_mode: st.SearchStrategy[bool]) -> PoolGeometry:
    axes, ceil = draw(ndim), draw(ceil_mode)
    default_stride = draw(st.booleans())
    columns: list[list[int]] = [[], [], [], [], []]
    for _ in range(axes):
        n = draw(st.integers(1, max_size))
        k = draw(st.integers(1, max_kernel))
        s = k if default_stride else draw(st.integers(1, max_stride))
        # PyTorch needs one window: d(k-1) + 1 <= n + 2p (+ s - 1 with ceil_mode, where a
        # lone window may overhang the padding), and p <= k // 2.
        slack = s - 1 if ceil else 0
        d = draw(_dilations(n, k, max_dilation, 2 * (k // 2) + slack))
        p = draw(st.integers(_ceil_half(max(d * (k - 1) + 1 - n - slack, 0)), k // 2))
        for column, value in zip(columns, (n, k, s, p, d)):
            column.append(value)
    n, k, s, p, d = map(tuple, columns)
    return PoolGeometry(n, k, stride=None if default_stride else s, padding=p, dilation=d,
                        ceil_mode=ceil)


def pool_geometries(*, ndim: NDim = ONE_OR_TWO_AXES, max_size: int = 7, max_kernel: int = 4,
                    max_stride: int = 3, max_dilation: int = 1,
                    ceil_mode: bool | None = None) -> st.SearchStrategy[PoolGeometry]:
    """Valid PyTorch pooling geometries (:class:`~symconv.geometry.PoolGeometry`).

    Padding is at most half the kernel; the stride is sometimes left to
    default to the kernel size. With ``ceil_mode`` a lone window may be longer
    than the padded input, as PyTorch allows. ``max_dilation`` is 1 by default because
    average pooling has no dilation; raise it for max pooling.
    ``ceil_mode=None`` draws both modes.

    Examples
    --------
    >>> from hypothesis import find
    >>> p = find(pool_geometries(ndim=2, ceil_mode=True), lambda p: p.padding[0] > 0)
    >>> p.ceil_mode, 2 * p.padding[0] <= p.kernel_shape[0]
    (True, True)
    """
    modes = st.booleans() if ceil_mode is None else st.just(bool(ceil_mode))
    return _pool(_ndims(ndim), _bound("max_size", max_size, 1),
                 _bound("max_kernel", max_kernel, 1), _bound("max_stride", max_stride, 1),
                 _bound("max_dilation", max_dilation, 1), modes)


# ---------------------------------------------------------------------------
# Channels and arrays
# ---------------------------------------------------------------------------


def channel_configs(*, max_groups: int = 3,
                    max_per_group: int = 2) -> st.SearchStrategy[tuple[int, int, int]]:
    """``(in_channels, out_channels, groups)`` with ``groups`` dividing both.

    Examples
    --------
    >>> from hypothesis import find
    >>> c_in, c_out, groups = find(channel_configs(), lambda c: c[2] > 1 and c[0] != c[1])
    >>> c_in % groups, c_out % groups
    (0, 0)
    """
    per_group = st.integers(1, _bound("max_per_group", max_per_group, 1))
    return st.builds(lambda g, a, b: (g * a, g * b, g),
                     st.integers(1, _bound("max_groups", max_groups, 1)), per_group, per_group)


def kernels(shape: tuple[int, ...], *,
            elements: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[np.ndarray]:
    """int64 kernel arrays of ``shape``, entries small integers (-3 to 3) by default.

    Examples
    --------
    >>> from hypothesis import find
    >>> w = find(kernels((2, 1, 3)), lambda w: w.any())
    >>> w.shape, w.dtype.name
    ((2, 1, 3), 'int64')
    """
    values = st.integers(-3, 3) if elements is None else elements
    return hnp.arrays(np.int64, shape, elements=values)


def inputs(shape: tuple[int, ...], *,
           elements: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[np.ndarray]:
    """int64 input arrays of ``shape``, entries small integers (-5 to 5) by default.

    Examples
    --------
    >>> from hypothesis import find
    >>> x = find(inputs((1, 4)), lambda x: x.max() == 5)
    >>> x.shape, int(x.max())
    ((1, 4), 5)
    """
    values = st.integers(-5, 5) if elements is None else elements
    return hnp.arrays(np.int64, shape, elements=values)


__all__ = ["PADDING_KINDS", "channel_configs", "geometries", "inputs", "kernels",
           "pool_geometries", "transposed_geometries"]
