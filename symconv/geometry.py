"""Integer shape arithmetic: padding resolution, output sizes, validation.

Nothing here is symbolic. User input is canonicalised once into a frozen spec
(:class:`Geometry`, :class:`TransposedGeometry`, :class:`PoolGeometry`); every
other layer of symconv takes only these specs.

The size formulas, one spatial axis, input ``n``, kernel ``k``, stride ``s``,
pads ``(p_b, p_a)`` before and after, dilation ``d``:

=====================  ==================================================
correlation            ``floor((n + p_b + p_a - d(k-1) - 1) / s) + 1``
transposed (PyTorch)   ``(n-1)s - 2p + d(k-1) + output_padding + 1``
pooling (PyTorch)      as correlation, ``ceil`` instead of ``floor`` with
                       ``ceil_mode``, minus one if the last window would
                       start inside the right padding
"same" (TensorFlow)    ``out = ceil(n/s)``, total pad
                       ``max((out-1)s + d(k-1) + 1 - n, 0)``, odd pixel after
"full"                 ``d(k-1)`` on both sides: ``n + d(k-1)`` outputs at s=1
=====================  ==================================================

Examples
--------
>>> g = Geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=2, padding=1)
>>> g.output_shape
(3, 3)
>>> g.pads
((1, 1), (1, 1))
>>> Geometry((13,), (6,), stride=5, padding="same").pads
((1, 2),)
>>> Geometry((13,), (6,), stride=5, padding="valid").output_shape
(2,)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union

from .errors import GeometryError, describe, require
from .validation import boolean, integer, is_integer

#: What ``padding`` accepts: an int, per-axis ints, per-axis (before, after) pairs or a name.
Padding = Union[int, str, Sequence[int], Sequence[Sequence[int]]]  # noqa: UP007

#: Padding names: TensorFlow's SAME (odd pixel after), ONNX SAME_LOWER (odd pixel before).
PADDING_NAMES = ("valid", "same", "same_lower", "full")

MAX_AXES = 3


# ---------------------------------------------------------------------------
# The formulas, on one axis
# ---------------------------------------------------------------------------

def conv_output_size(n: int, k: int, s: int = 1, pad_before: int = 0, pad_after: int = 0,
                     d: int = 1) -> int:
    """Number of windows of a (dilated, strided) correlation along one axis.

    Examples
    --------
    >>> conv_output_size(6, 3, s=2)
    2
    >>> conv_output_size(5, 3, s=2, pad_before=1, pad_after=1)
    3
    """
    return (n + pad_before + pad_after - d * (k - 1) - 1) // s + 1


def same_pads(n: int, k: int, s: int = 1, d: int = 1, lower: bool = False) -> tuple[int, int]:
    """TensorFlow's SAME padding ``(before, after)``; ``lower=True`` is ONNX SAME_LOWER.

    Examples
    --------
    >>> same_pads(13, 6, s=5)
    (1, 2)
    >>> same_pads(13, 6, s=5, lower=True)
    (2, 1)
    >>> same_pads(4, 3, s=2)
    (0, 1)
    """
    out = -(-n // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    small, large = total // 2, total - total // 2
    return (large, small) if lower else (small, large)


def transposed_output_size(n: int, k: int, s: int = 1, p: int = 0, output_padding: int = 0,
                           d: int = 1) -> int:
    """PyTorch ``ConvTranspose`` output size along one axis.

    Examples
    --------
    >>> transposed_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
    return (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


def pool_output_size(n: int, k: int, s: int, pad_before: int = 0, pad_after: int = 0,
                     d: int = 1, ceil_mode: bool = False) -> int:
    """PyTorch pooling output size, including the ceil_mode rule.

    With ``ceil_mode`` a last window that would start inside the right padding
    (at or past ``n + pad_before``) is dropped.

    Examples
    --------
    >>> pool_output_size(5, 2, 2)
    2
    >>> pool_output_size(5, 2, 2, ceil_mode=True)
    3
    >>> pool_output_size(4, 2, 2, pad_before=1, pad_after=1, ceil_mode=True)
    3
    """
    span = n + pad_before + pad_after - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + pad_before:
        out -= 1
    return out


# ---------------------------------------------------------------------------
# Canonicalising user input
# ---------------------------------------------------------------------------

def spatial_shape(name: str, value: Any) -> tuple[int, ...]:
    """A shape of 1 to :data:`MAX_AXES` positive sizes (an int is one axis), checked.

    Examples
    --------
    >>> spatial_shape("input_shape", 5), spatial_shape("input_shape", (5, 4))
    ((5,), (5, 4))
    """
    if is_integer(value):
        value = (value,)
    require(isinstance(value, Sequence) and not isinstance(value, str), name, value,
            "must be a tuple of sizes, one per spatial axis", "e.g. (5,) or (5, 5)")
    require(1 <= len(value) <= MAX_AXES, name, tuple(value),
            f"must have 1 to {MAX_AXES} spatial axes")
    return tuple(integer(f"{name}[{i}]", v, minimum=1) for i, v in enumerate(value))


def per_axis(name: str, value: Any, ndim: int, minimum: int) -> tuple[int, ...]:
    """One integer ``>= minimum`` per axis: an int for every axis, or one per axis.

    Examples
    --------
    >>> per_axis("stride", 2, 2, 1), per_axis("padding", (0, 1), 2, 0)
    ((2, 2), (0, 1))
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        require(len(value) == ndim, name, tuple(value),
                f"must give one value per spatial axis ({ndim})")
        return tuple(integer(f"{name}[{i}]", v, minimum) for i, v in enumerate(value))
    return (integer(name, value, minimum),) * ndim


def _check_axes(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...]) -> None:
    require(len(kernel_shape) == len(input_shape), "kernel_shape", kernel_shape,
            f"must have as many axes as input_shape {input_shape}",
            f"{len(input_shape)} axes")


def resolve_pads(padding: Padding, input_shape: tuple[int, ...], kernel_shape: tuple[int, ...],
                 stride: tuple[int, ...], dilation: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Turn any accepted ``padding`` into explicit ``(before, after)`` pairs per axis.

    Examples
    --------
    >>> resolve_pads("full", (4,), (3,), (1,), (2,))
    ((4, 4),)
    >>> resolve_pads(((0, 1), (2, 0)), (4, 4), (3, 3), (1, 1), (1, 1))
    ((0, 1), (2, 0))
    """
    ndim = len(input_shape)
    if isinstance(padding, str):
        name = padding.lower()
        require(name in PADDING_NAMES, "padding", padding, "must be an integer or a known name",
                ", ".join(PADDING_NAMES))
        axes = zip(input_shape, kernel_shape, stride, dilation)
        if name == "valid":
            return ((0, 0),) * ndim
        if name == "full":
            return tuple((d * (k - 1), d * (k - 1)) for _, k, _, d in axes)
        return tuple(same_pads(n, k, s, d, lower=name == "same_lower") for n, k, s, d in axes)
    if isinstance(padding, Sequence):
        require(len(padding) == ndim, "padding", padding,
                f"must give one entry per spatial axis ({ndim})")
        pairs = []
        for i, entry in enumerate(padding):
            if isinstance(entry, Sequence) and not isinstance(entry, str):
                require(len(entry) == 2, f"padding[{i}]", entry,
                        "must be a (before, after) pair")
                pair = tuple(integer(f"padding[{i}]", v, minimum=0) for v in entry)
            else:
                value = integer(f"padding[{i}]", entry, minimum=0)
                pair = (value, value)
            pairs.append(pair)
        return tuple(pairs)
    value = integer("padding", padding, minimum=0)
    return ((value, value),) * ndim


def _check_fits(input_shape, kernel_shape, dilation, pads, what="kernel_shape") -> None:
    for axis, (n, k, d, (pb, pa)) in enumerate(zip(input_shape, kernel_shape, dilation, pads)):
        span = d * (k - 1) + 1
        if span > n + pb + pa:
            smallest = max(span - pb - pa, 1)
            raise GeometryError(
                f"{what}[{axis}] must fit the padded input, got {k}: dilated kernel size "
                f"{span} > padded input size {n + pb + pa} (input {n} + pads {pb}+{pa}) "
                f"(valid: input_shape[{axis}] >= {smallest} for this kernel, padding and "
                "dilation)")


# ---------------------------------------------------------------------------
# The frozen specs
# ---------------------------------------------------------------------------

class _Spatial:
    """What every spec shares: its number of spatial axes."""

    input_shape: tuple[int, ...]

    @property
    def ndim(self) -> int:
        """Number of spatial axes."""
        return len(self.input_shape)


@dataclass(frozen=True, init=False)
class Geometry(_Spatial):
    """A correlation/convolution layer's spatial geometry, canonicalised and validated.

    Parameters
    ----------
    input_shape, kernel_shape : tuple of int
        Spatial sizes (1 to 3 axes), same number of axes.
    stride, dilation : int or tuple of int
        Positive, one per axis or one for all.
    padding : int, tuple, or str
        An int, per-axis ints, per-axis ``(before, after)`` pairs, or one of
        ``"valid"``, ``"same"`` (TensorFlow: odd pixel after), ``"same_lower"``
        (odd pixel before), ``"full"``.

    Examples
    --------
    >>> g = Geometry((6,), (3,), stride=2)
    >>> g.output_shape, g.pads
    ((2,), ((0, 0),))
    >>> Geometry((4, 4), (3, 3), padding="same").pads
    ((1, 1), (1, 1))
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    padding: Any

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] = 1, padding: Padding = 0,
                 dilation: int | Sequence[int] = 1) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        _check_axes(n, k)
        s = per_axis("stride", stride, len(n), 1)
        d = per_axis("dilation", dilation, len(n), 1)
        pads = resolve_pads(padding, n, k, s, d)
        _check_fits(n, k, d, pads)
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("dilation", d), ("pads", pads), ("padding", padding)):
            object.__setattr__(self, name, value)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """Spatial output shape, ``floor((n + p_b + p_a - d(k-1) - 1)/s) + 1`` per axis."""
        return tuple(conv_output_size(n, k, s, pb, pa, d) for n, k, s, d, (pb, pa)
                     in zip(self.input_shape, self.kernel_shape, self.stride, self.dilation,
                            self.pads))

    @property
    def padded_shape(self) -> tuple[int, ...]:
        """Spatial shape of the zero-padded input."""
        return tuple(n + pb + pa for n, (pb, pa) in zip(self.input_shape, self.pads))

    @property
    def dilated_kernel_shape(self) -> tuple[int, ...]:
        """Spatial extent ``d(k-1) + 1`` of the dilated kernel."""
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel_shape, self.dilation))


@dataclass(frozen=True, init=False)
class TransposedGeometry(_Spatial):
    """PyTorch ``ConvTranspose`` geometry: symmetric padding and ``output_padding``.

    ``output_padding`` must be smaller than ``max(stride, dilation)`` per axis,
    as PyTorch requires.

    Examples
    --------
    >>> t = TransposedGeometry((3, 3), (3, 3), stride=2, padding=1, output_padding=1)
    >>> t.output_shape
    (6, 6)
    >>> t.forward().input_shape, t.forward().output_shape
    ((6, 6), (3, 3))
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    dilation: tuple[int, ...]

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                 output_padding: int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        _check_axes(n, k)
        ndim = len(n)
        s = per_axis("stride", stride, ndim, 1)
        d = per_axis("dilation", dilation, ndim, 1)
        p = per_axis("padding", padding, ndim, 0)
        op = per_axis("output_padding", output_padding, ndim, 0)
        for axis in range(ndim):
            bound = max(s[axis], d[axis])
            require(op[axis] < bound, f"output_padding[{axis}]", op[axis],
                    f"must be smaller than max(stride, dilation) = {bound}",
                    f"0 to {bound - 1}")
            size = transposed_output_size(n[axis], k[axis], s[axis], p[axis], op[axis], d[axis])
            if size < 1:
                need = (2 * p[axis] - d[axis] * (k[axis] - 1) - op[axis]) // s[axis] + 2
                raise GeometryError(describe(
                    f"padding[{axis}]", p[axis],
                    f"leaves no output: (n-1)s - 2p + d(k-1) + output_padding + 1 = {size}",
                    f"input_shape[{axis}] >= {need} for this kernel, stride and padding"))
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("padding", p), ("output_padding", op), ("dilation", d)):
            object.__setattr__(self, name, value)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """``(n-1)s - 2p + d(k-1) + output_padding + 1`` per axis."""
        return tuple(transposed_output_size(*a) for a in zip(
            self.input_shape, self.kernel_shape, self.stride, self.padding,
            self.output_padding, self.dilation))

    def forward(self) -> Geometry:
        """The correlation geometry whose input size is this layer's output size."""
        return Geometry(self.output_shape, self.kernel_shape, self.stride, self.padding,
                        self.dilation)


@dataclass(frozen=True, init=False)
class PoolGeometry(_Spatial):
    """PyTorch pooling geometry: ``stride`` defaults to the kernel, ``ceil_mode``.

    Padding is symmetric and at most half the kernel size, as PyTorch requires.

    Examples
    --------
    >>> PoolGeometry((5, 5), (2, 2), ceil_mode=True).output_shape
    (3, 3)
    >>> PoolGeometry((4,), (2,), padding=1, ceil_mode=True).output_shape
    (3,)
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    ceil_mode: bool

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1, ceil_mode: bool = False) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        _check_axes(n, k)
        ndim = len(n)
        s = k if stride is None else per_axis("stride", stride, ndim, 1)
        d = per_axis("dilation", dilation, ndim, 1)
        p = per_axis("padding", padding, ndim, 0)
        ceil_mode = boolean("ceil_mode", ceil_mode)
        for axis in range(ndim):
            require(2 * p[axis] <= k[axis], f"padding[{axis}]", p[axis],
                    f"must be at most half the kernel size {k[axis]}", f"0 to {k[axis] // 2}")
        for axis in range(ndim):
            out = pool_output_size(n[axis], k[axis], s[axis], p[axis], p[axis], d[axis],
                                   ceil_mode)
            if out < 1:
                span = d[axis] * (k[axis] - 1) + 1
                smallest = span - 2 * p[axis] if not ceil_mode else span - 2 * p[axis] - s[axis] + 1
                raise GeometryError(describe(
                    f"kernel_shape[{axis}]", k[axis],
                    f"leaves no pooling window: dilated kernel size {span} on input "
                    f"{n[axis]} with padding {p[axis]} gives output size {out}",
                    f"input_shape[{axis}] >= {max(smallest, 1)} for this kernel"))
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("padding", p), ("dilation", d), ("ceil_mode", ceil_mode)):
            object.__setattr__(self, name, value)

    @property
    def pads(self) -> tuple[tuple[int, int], ...]:
        """Resolved ``(before, after)`` pads (symmetric)."""
        return tuple((v, v) for v in self.padding)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """PyTorch's pooling output size per axis (see :func:`pool_output_size`)."""
        return tuple(pool_output_size(n, k, s, p, p, d, self.ceil_mode) for n, k, s, p, d
                     in zip(self.input_shape, self.kernel_shape, self.stride, self.padding,
                            self.dilation))


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for integers, exactly.

    Examples
    --------
    >>> ceil_div(13, 5), ceil_div(-3, 2)
    (3, -1)
    """
    return -(-a // b)

