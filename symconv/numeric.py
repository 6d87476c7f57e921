"""A deliberately naive NumPy oracle for every operator symconv builds.

Nothing here is built from a matrix. Each function zero-pads arrays
explicitly and walks its sliding windows (or scatters its inputs) with plain
``np.ndindex`` loops, in the spirit of JAX's ``lax_reference.py``: slow,
short, and independent of :mod:`symconv.operators`, so the two can check
each other. It is independent of :mod:`symconv.geometry`'s padding
resolution and size formulas too: from a spec it reads only the raw layer
arguments (sizes, stride, ``padding`` as the user gave it, dilation,
``output_padding``, ``ceil_mode``) and finds pads and output sizes itself
(:func:`explicit_pads`, :func:`output_shape`), so a wrong formula there
shows up as a disagreement rather than passing through the oracle.

Every array carries a leading channel axis: inputs are ``(C, *spatial)``,
correlation kernels ``(C_out, C_in/groups, *kernel)`` and transposed kernels
``(C_in, C_out/groups, *kernel)`` (PyTorch layouts). One to three spatial
axes work. Integer, float and object (SymPy) arrays work wherever the
operation makes sense for them.

Examples
--------
>>> import numpy as np
>>> from symconv.geometry import Geometry
>>> x = np.array([[1, 2, 3, 4]])
>>> w = np.array([[[1, 10]]])
>>> correlate(x, w, Geometry((4,), (2,)))
array([[21, 32, 43]])
>>> convolve(x, w, Geometry((4,), (2,)))
array([[12, 23, 34]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from .errors import GeometryError, OperatorError, require
from .geometry import Geometry, PoolGeometry, TransposedGeometry
from .limits import oracle_floats, require_work
from .validation import is_integer

# ---------------------------------------------------------------------------
# Validation at the edge
# ---------------------------------------------------------------------------


def _positive_int(name: str, value: Any) -> int:
    ok = is_integer(value) and value >= 1
    require(ok, name, value, "must be a positive integer", "1, 2, 3, ...", error=OperatorError)
    return int(value)


def _flag(name: str, value: Any) -> bool:
    require(isinstance(value, (bool, np.bool_)), name, value, "must be True or False",
            error=OperatorError)
    return bool(value)


def _spec(name: str, value: Any, kind: type) -> None:
    require(isinstance(value, kind), name, value, f"must be a {kind.__name__}",
            f"symconv.geometry.{kind.__name__}(...)", error=OperatorError)


def _array(name: str, value: Any, spatial_ndim: int, leading: int = 1) -> np.ndarray:
    """``value`` as an array with ``leading`` channel axes and ``spatial_ndim`` spatial axes."""
    array = np.asarray(value)
    want = leading + spatial_ndim
    require(array.ndim == want, f"{name}.ndim", array.ndim,
            f"must be {want} ({leading} channel axes + {spatial_ndim} spatial)",
            str(want), error=OperatorError)
    return array


def _spatial_shape(name: str, array: np.ndarray, shape: tuple[int, ...], leading: int = 1) -> None:
    require(array.shape[leading:] == shape, f"{name}.shape", array.shape,
            f"must end with the spatial shape {shape} of the geometry",
            f"(..., {', '.join(map(str, shape))})", error=GeometryError)


def _groups(groups: Any, **channels: int) -> int:
    groups = _positive_int("groups", groups)
    for name, count in channels.items():
        require(count % groups == 0, name, count, f"must be divisible by groups={groups}",
                f"multiples of {groups}", error=OperatorError)
    return groups


def _factors(name: str, factor: Any, ndim: int) -> tuple[int, ...]:
    if isinstance(factor, Sequence):
        require(len(factor) == ndim, name, tuple(factor),
                f"must give one value per spatial axis ({ndim})", error=OperatorError)
        return tuple(_positive_int(f"{name}[{i}]", f) for i, f in enumerate(factor))
    return (_positive_int(name, factor),) * ndim


def _offsets(name: str, value: Any, ndim: int) -> tuple[int, ...]:
    is_int = isinstance(value, Sequence) and all(
        is_integer(v) for v in value)
    require(is_int and len(value) == ndim, name, value,
            f"must be a tuple of {ndim} integers, one per spatial axis", error=OperatorError)
    return tuple(int(v) for v in value)


# ---------------------------------------------------------------------------
# Array surgery: pad, shift, zero insertion, decimation
# ---------------------------------------------------------------------------


def pad(x: np.ndarray, pads: Sequence[Sequence[int]]) -> np.ndarray:
    """Zero-pad every spatial axis by its ``(before, after)`` pair.

    Parameters
    ----------
    x : ndarray, shape ``(C, *spatial)``
    pads : sequence of ``(before, after)`` pairs, one per spatial axis

    Returns
    -------
    ndarray, shape ``(C, *(n + before + after))``

    Examples
    --------
    >>> pad(np.array([[1, 2]]), [(1, 2)])
    array([[0, 1, 2, 0, 0]])
    """
    x = np.asarray(x)
    ndim = x.ndim - 1
    ok = (isinstance(pads, Sequence) and len(pads) == ndim
          and all(isinstance(p, Sequence) and len(p) == 2 for p in pads))
    require(ok, "pads", pads, f"must be {ndim} (before, after) pairs, one per spatial axis",
            error=OperatorError)
    for axis, pair in enumerate(pads):
        for v in pair:
            ok = is_integer(v) and v >= 0
            require(ok, f"pads[{axis}]", tuple(pair), "must be non-negative integers",
                    "0, 1, 2, ...", error=OperatorError)
    shape = (x.shape[0],) + tuple(n + b + a for n, (b, a) in zip(x.shape[1:], pads))
    out = np.zeros(shape, x.dtype)
    inner = tuple(slice(b, b + n) for n, (b, _) in zip(x.shape[1:], pads))
    out[(slice(None),) + inner] = x
    return out


def shift(x: np.ndarray, offset: Sequence[int], circular: bool = False) -> np.ndarray:
    """Translate: ``y[c, i] = x[c, i - offset]`` per spatial axis.

    Positions that fall off the array are dropped; those that come in are
    zero, unless ``circular`` (indices taken modulo the size).

    Examples
    --------
    >>> shift(np.array([[1, 2, 3]]), (1,))
    array([[0, 1, 2]])
    >>> shift(np.array([[1, 2, 3]]), (1,), circular=True)
    array([[3, 1, 2]])
    """
    x = np.asarray(x)
    offset = _offsets("offset", offset, x.ndim - 1)
    circular = _flag("circular", circular)
    out = np.zeros(x.shape, x.dtype)
    spatial = x.shape[1:]
    for i in np.ndindex(*spatial):
        source = tuple(a - o for a, o in zip(i, offset))
        if circular:
            source = tuple(a % n for a, n in zip(source, spatial))
        elif not all(0 <= a < n for a, n in zip(source, spatial)):
            continue
        out[(slice(None),) + i] = x[(slice(None),) + source]
    return out


def zero_insert(x: np.ndarray, factor: int | Sequence[int]) -> np.ndarray:
    """Insert ``factor - 1`` zeros between neighbouring samples on every spatial axis.

    An axis of size ``n`` becomes ``(n - 1) * factor + 1``; ``y[c, f*i] = x[c, i]``.

    Examples
    --------
    >>> zero_insert(np.array([[1, 2, 3]]), 2)
    array([[1, 0, 2, 0, 3]])
    """
    x = np.asarray(x)
    factor = _factors("factor", factor, x.ndim - 1)
    shape = (x.shape[0],) + tuple((n - 1) * f + 1 for n, f in zip(x.shape[1:], factor))
    out = np.zeros(shape, x.dtype)
    for i in np.ndindex(*x.shape[1:]):
        target = tuple(a * f for a, f in zip(i, factor))
        out[(slice(None),) + target] = x[(slice(None),) + i]
    return out


def decimate(x: np.ndarray, factor: int | Sequence[int]) -> np.ndarray:
    """Keep samples ``0, factor, 2*factor, ...`` on every spatial axis.

    Examples
    --------
    >>> decimate(np.array([[1, 2, 3, 4, 5]]), 2)
    array([[1, 3, 5]])
    """
    x = np.asarray(x)
    factor = _factors("factor", factor, x.ndim - 1)
    shape = (x.shape[0],) + tuple(-(-n // f) for n, f in zip(x.shape[1:], factor))
    out = np.zeros(shape, x.dtype)
    for i in np.ndindex(*shape[1:]):
        source = tuple(a * f for a, f in zip(i, factor))
        out[(slice(None),) + i] = x[(slice(None),) + source]
    return out


# ---------------------------------------------------------------------------
# The oracle's own shape arithmetic, from the raw layer arguments
# ---------------------------------------------------------------------------
# Deliberately naive and never imported from symconv.geometry: windows are
# counted by sliding them, SAME pads found by trying totals, transposed sizes
# measured by scattering. A wrong formula there therefore disagrees with the
# oracle instead of passing through it.

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


def _pool_starts(n: int, k: int, s: int, pads: tuple[int, int], d: int,
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
        return tuple(len(_pool_starts(*axis, geometry.ceil_mode)) for axis in zip(
            geometry.input_shape, geometry.kernel_shape, geometry.stride, _geometry_pads(geometry),
            geometry.dilation))
    if isinstance(geometry, TransposedGeometry):
        _torch_convention(geometry)
        return tuple(_scatter_extent(n, k, s, d) - 2 * p + extra for n, k, s, p, d, extra in zip(
            geometry.input_shape, geometry.kernel_shape, geometry.stride, geometry.padding,
            geometry.dilation, geometry.output_padding))
    pads = _geometry_pads(geometry)
    return tuple(_window_count(n + before + after, d * (k - 1) + 1, s)
                 for n, k, s, d, (before, after) in zip(
                     geometry.input_shape, geometry.kernel_shape, geometry.stride,
                     geometry.dilation, pads))


def _geometry_pads(geometry: Geometry | PoolGeometry) -> tuple[tuple[int, int], ...]:
    return explicit_pads(geometry.padding, geometry.input_shape, geometry.kernel_shape,
                         geometry.stride, geometry.dilation)


# ---------------------------------------------------------------------------
# Correlation, convolution, transposed convolution
# ---------------------------------------------------------------------------


def _check_conv(x: Any, w: Any,
                geometry: Geometry | TransposedGeometry) -> tuple[np.ndarray, np.ndarray]:
    ndim = geometry.ndim
    x = _array("x", x, ndim)
    w = _array("w", w, ndim, leading=2)
    _spatial_shape("x", x, geometry.input_shape)
    _spatial_shape("w", w, geometry.kernel_shape, leading=2)
    require_work("numeric oracle", floats=oracle_floats(x.shape[0], w.shape[0], geometry))
    return x, w


def _check_correlation(x: Any, w: Any, geometry: Geometry,
                       groups: Any) -> tuple[np.ndarray, np.ndarray, Geometry, int]:
    _spec("geometry", geometry, Geometry)
    x, w = _check_conv(x, w, geometry)
    c_in = x.shape[0]
    groups = _groups(groups, **{"x.shape[0] (in_channels)": c_in,
                                "w.shape[0] (out_channels)": w.shape[0]})
    require(w.shape[1] * groups == c_in, "w.shape[1]", w.shape[1],
            f"must be in_channels / groups = {c_in} / {groups}", str(c_in // groups),
            error=OperatorError)
    return x, w, geometry, groups


def _window_sum(x: np.ndarray, w: np.ndarray, geometry: Geometry, groups: int,
                flip: bool) -> np.ndarray:
    """``y[o, i] = sum_{c, m} w[o, c, m] * xpad[g*C_in/groups + c, s*i + d*m']``.

    ``m' = m`` for correlation, ``m' = k - 1 - m`` for convolution (flip). One loop over
    the output positions (windows); each window's patch of the padded input, all
    channels and taps, is read by strided slices and contracted with the group's weights.
    """
    c_out, c_per_group = w.shape[:2]
    out_per_group = c_out // groups
    xp = pad(x, _geometry_pads(geometry))
    kernel = geometry.kernel_shape
    shape = output_shape(geometry)
    taps = np.flip(w, axis=tuple(range(2, w.ndim))) if flip else w
    weights = [taps[g * out_per_group:(g + 1) * out_per_group].reshape(out_per_group, -1)
               for g in range(groups)]
    out = np.zeros((c_out,) + shape, np.result_type(x, w))
    for i in np.ndindex(*shape):
        window = tuple(slice(s * a, s * a + d * (k - 1) + 1, d) for a, k, s, d
                       in zip(i, kernel, geometry.stride, geometry.dilation))
        patch = xp[(slice(None),) + window]
        require(patch.shape[1:] == kernel, "geometry", geometry,
                "must have windows inside the padded input", error=OperatorError)
        for g, weight in enumerate(weights):
            block = patch[g * c_per_group:(g + 1) * c_per_group].reshape(-1)
            out[(slice(g * out_per_group, (g + 1) * out_per_group),) + i] = weight @ block
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


def _torch_convention(geometry: TransposedGeometry) -> None:
    """Refuse a non-PyTorch transposed geometry (those are checked live against their framework)."""
    require(geometry.convention == "torch", "geometry.convention", geometry.convention,
            "must be 'torch' for the NumPy oracle's transposed convolution", "torch",
            error=OperatorError)


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
    _spec("geometry", geometry, TransposedGeometry)
    _torch_convention(geometry)
    x, w = _check_conv(x, w, geometry)
    c_in = x.shape[0]
    require(w.shape[0] == c_in, "w.shape[0]", w.shape[0],
            f"must equal in_channels = {c_in} (layout (in, out/groups, *kernel))", str(c_in),
            error=OperatorError)
    groups = _groups(groups, **{"x.shape[0] (in_channels)": c_in})
    in_per_group, out_per_group = c_in // groups, w.shape[1]
    out_shape = output_shape(geometry)
    # scatter into the uncropped target (start at -p), then crop p and keep out positions
    extent = tuple(max(s * (n - 1) + d * (k - 1) + 1, p + o) for n, k, s, d, p, o in zip(
        geometry.input_shape, geometry.kernel_shape, geometry.stride, geometry.dilation,
        geometry.padding, out_shape))
    full = np.zeros((out_per_group * groups,) + extent, np.result_type(x, w))
    for i in np.ndindex(*geometry.input_shape):
        window = tuple(slice(s * a, s * a + d * (k - 1) + 1, d) for a, k, s, d in zip(
            i, geometry.kernel_shape, geometry.stride, geometry.dilation))
        for g in range(groups):
            inputs = slice(g * in_per_group, (g + 1) * in_per_group)
            outputs = slice(g * out_per_group, (g + 1) * out_per_group)
            full[(outputs,) + window] += np.tensordot(x[(inputs,) + i], w[inputs], axes=1)
    crop = tuple(slice(p, p + o) for p, o in zip(geometry.padding, out_shape))
    return full[(slice(None),) + crop]


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


def _check_pool(x: Any, geometry: PoolGeometry) -> np.ndarray:
    _spec("geometry", geometry, PoolGeometry)
    x = _array("x", x, geometry.ndim)
    _spatial_shape("x", x, geometry.input_shape)
    return x


def _pool_windows(geometry: PoolGeometry) -> list[list[int]]:
    """Per spatial axis, the start of every pooling window (see :func:`_pool_starts`)."""
    return [_pool_starts(*axis, geometry.ceil_mode) for axis in zip(
        geometry.input_shape, geometry.kernel_shape, geometry.stride, _geometry_pads(geometry),
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
    count_include_pad = _flag("count_include_pad", count_include_pad)
    require(all(d == 1 for d in geometry.dilation), "geometry.dilation", geometry.dilation,
            "must be 1 on every axis: PyTorch average pooling has no dilation", "1",
            error=GeometryError)
    exact = x.dtype == object
    windows = _pool_windows(geometry)
    shape = tuple(map(len, windows))
    out = np.zeros((x.shape[0],) + shape, object if exact else np.float64)
    axes = list(zip(geometry.input_shape, geometry.kernel_shape, geometry.stride,
                    [after for _, after in _geometry_pads(geometry)]))
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
    return_indices = _flag("return_indices", return_indices)
    exact = x.dtype == object
    dtype = object if exact else np.result_type(x.dtype, np.float64)
    lowest = -sympy.oo if exact else -np.inf
    windows = _pool_windows(geometry)
    shape = (x.shape[0],) + tuple(map(len, windows))
    values, indices = np.zeros(shape, dtype), np.zeros(shape, dtype=np.int64)
    axes = list(zip(geometry.input_shape, geometry.stride, _geometry_pads(geometry),
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


# ---------------------------------------------------------------------------
# Circular and full convolution
# ---------------------------------------------------------------------------


def circular_convolve(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Circular convolution: ``y[o, i] = sum_{c, m} w[o, c, m] * x[c, (i - m) mod n]``.

    Parameters
    ----------
    x : ndarray, shape ``(C_in, *n)``
    w : ndarray, shape ``(C_out, C_in, *k)``, ``k <= n`` on every axis

    Returns
    -------
    ndarray, shape ``(C_out, *n)``

    Examples
    --------
    >>> circular_convolve(np.array([[1, 2, 3, 4]]), np.array([[[1, 10]]]))
    array([[41, 12, 23, 34]])
    """
    x = np.asarray(x)
    require(x.ndim >= 2, "x.ndim", x.ndim, "must be at least 2 (channels + spatial axes)",
            "2, 3, 4", error=OperatorError)
    ndim = x.ndim - 1
    w = _array("w", w, ndim, leading=2)
    require(w.shape[1] == x.shape[0], "w.shape[1]", w.shape[1],
            f"must equal in_channels = {x.shape[0]}", str(x.shape[0]), error=OperatorError)
    spatial, kernel = x.shape[1:], w.shape[2:]
    require(all(k <= n for k, n in zip(kernel, spatial)), "w.shape", w.shape,
            f"must have a kernel no larger than the input {spatial} on every axis",
            error=GeometryError)
    out = np.zeros((w.shape[0],) + spatial, np.result_type(x, w))
    for o in range(w.shape[0]):
        for i in np.ndindex(*spatial):
            total = out[(o,) + i]
            for c in range(x.shape[0]):
                for m in np.ndindex(*kernel):
                    source = tuple((a - b) % n for a, b, n in zip(i, m, spatial))
                    total = total + w[(o, c) + m] * x[(c,) + source]
            out[(o,) + i] = total
    return out


def full_convolve_1d(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Full 1-D convolution of two vectors: ``y[t] = sum_{i + j = t} a[i] * b[j]``.

    The coefficients of the product of the polynomials with coefficients
    ``a`` and ``b``; length ``len(a) + len(b) - 1``.

    Examples
    --------
    >>> full_convolve_1d(np.array([1, 1]), np.array([1, 2, 1]))
    array([1, 3, 3, 1])
    """
    a, b = np.asarray(a), np.asarray(b)
    for name, v in (("a", a), ("b", b)):
        require(v.ndim == 1 and v.size >= 1, f"{name}.shape", v.shape,
                "must be a non-empty vector", "(n,) with n >= 1", error=OperatorError)
    out = np.zeros((a.size + b.size - 1,), np.result_type(a, b))
    for i in range(a.size):
        for j in range(b.size):
            out[i + j] = out[i + j] + a[i] * b[j]
    return out


__all__ = [
    "avg_pool", "circular_convolve", "conv_transpose", "convolve", "correlate", "decimate",
    "explicit_pads", "full_convolve_1d", "max_pool", "max_unpool", "output_shape", "pad",
    "shift", "zero_insert",
]
