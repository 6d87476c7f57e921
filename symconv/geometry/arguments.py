"""Canonicalising user input: shapes, per-axis values and padding, checked once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

from ..errors import GeometryError, require
from ..validation import integer, is_integer
from .formulas import same_pads

#: What ``padding`` accepts: an int, per-axis ints, per-axis (before, after) pairs or a name.
Padding = Union[int, str, Sequence[int], Sequence[Sequence[int]]]  # noqa: UP007


#: Padding names: TensorFlow's SAME (odd pixel after), ONNX SAME_LOWER (odd pixel before),
#: full, and Keras' causal (``d(k-1)`` before, none after).
PADDING_NAMES = ("valid", "same", "same_lower", "full", "causal")


MAX_AXES = 3


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


def check_axes(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...]) -> None:
    """The kernel has as many spatial axes as the input.

    Examples
    --------
    >>> check_axes((5, 5), (3,))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    symconv.errors.GeometryError: kernel_shape must have as many axes as input_shape (5, 5), ...
    """
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
    >>> resolve_pads("causal", (4,), (3,), (1,), (2,))
    ((4, 0),)
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
        if name == "causal":
            return tuple((d * (k - 1), 0) for _, k, _, d in axes)
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


def check_fits(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...],
               dilation: tuple[int, ...], pads: tuple[tuple[int, int], ...],
               what: str = "kernel_shape") -> None:
    """The dilated kernel fits the padded input on every axis (one window at least).

    Examples
    --------
    >>> check_fits((2,), (3,), (1,), ((0, 0),))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    symconv.errors.GeometryError: kernel_shape[0] must fit the padded input, got 3: ...
    """
    for axis, (n, k, d, (pb, pa)) in enumerate(zip(input_shape, kernel_shape, dilation, pads)):
        span = d * (k - 1) + 1
        if span > n + pb + pa:
            smallest = max(span - pb - pa, 1)
            raise GeometryError(
                f"{what}[{axis}] must fit the padded input, got {k}: dilated kernel size "
                f"{span} > padded input size {n + pb + pa} (input {n} + pads {pb}+{pa}) "
                f"(valid: input_shape[{axis}] >= {smallest} for this kernel, padding and "
                "dilation)")
