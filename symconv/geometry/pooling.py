"""Pooling geometries: PyTorch's and TensorFlow's windows, and PyTorch's adaptive pools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import GeometryError, describe, require
from ..validation import boolean
from .arguments import Padding, check_axes, per_axis, resolve_pads, spatial_shape
from .formulas import pool_output_size
from .spatial import Spatial


@dataclass(frozen=True, init=False)
class PoolGeometry(Spatial):
    """Pooling geometry: ``stride`` defaults to the kernel, ``ceil_mode``.

    ``padding`` as PyTorch takes it (an int or per-axis ints: symmetric, at most half
    the kernel size) or as TensorFlow does: ``"valid"``, ``"same"`` (``tf.nn.max_pool``
    / ``avg_pool``; pads as for :class:`Geometry`, odd pixel after) or per-axis
    ``(before, after)`` pairs. :attr:`pads` holds the resolved pairs either way;
    :attr:`padding` the per-axis ints (PyTorch) or the name/pairs as given.

    Examples
    --------
    >>> PoolGeometry((5, 5), (2, 2), ceil_mode=True).output_shape
    (3, 3)
    >>> PoolGeometry((4,), (2,), padding=1, ceil_mode=True).output_shape
    (3,)
    >>> g = PoolGeometry((5,), (2,), stride=2, padding="same")
    >>> g.pads, g.output_shape
    (((0, 1),), (3,))
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: Any
    dilation: tuple[int, ...]
    ceil_mode: bool
    pads: tuple[tuple[int, int], ...]

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: Padding = 0,
                 dilation: int | Sequence[int] = 1, ceil_mode: bool = False) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        check_axes(n, k)
        ndim = len(n)
        s = k if stride is None else per_axis("stride", stride, ndim, 1)
        d = per_axis("dilation", dilation, ndim, 1)
        ceil_mode = boolean("ceil_mode", ceil_mode)
        if _is_torch_pool_padding(padding):
            p = per_axis("padding", padding, ndim, 0)
            for axis in range(ndim):
                require(2 * p[axis] <= k[axis], f"padding[{axis}]", p[axis],
                        f"must be at most half the kernel size {k[axis]}",
                        f"0 to {k[axis] // 2}")
            pads = tuple((v, v) for v in p)
        else:
            require(not isinstance(padding, str) or padding.lower() in ("valid", "same"),
                    "padding", padding, "must be an integer, (before, after) pairs or a "
                    "pooling padding name", "valid, same")
            pads = resolve_pads(padding, n, k, s, d)
            p = padding.lower() if isinstance(padding, str) else pads
        for axis, (pb, pa) in enumerate(pads):
            out = pool_output_size(n[axis], k[axis], s[axis], pb, pa, d[axis], ceil_mode)
            if out < 1:
                span = d[axis] * (k[axis] - 1) + 1
                smallest = span - pb - pa - (s[axis] - 1 if ceil_mode else 0)
                raise GeometryError(describe(
                    f"kernel_shape[{axis}]", k[axis],
                    f"leaves no pooling window: dilated kernel size {span} on input "
                    f"{n[axis]} with pads {pb}+{pa} gives output size {out}",
                    f"input_shape[{axis}] >= {max(smallest, 1)} for this kernel"))
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("padding", p), ("dilation", d), ("ceil_mode", ceil_mode),
                            ("pads", pads)):
            object.__setattr__(self, name, value)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """The pooling output size per axis (see :func:`pool_output_size`)."""
        return tuple(pool_output_size(n, k, s, pb, pa, d, self.ceil_mode)
                     for n, k, s, (pb, pa), d in zip(self.input_shape, self.kernel_shape,
                                                     self.stride, self.pads, self.dilation))


@dataclass(frozen=True, init=False)
class AdaptivePoolGeometry(Spatial):
    """PyTorch's adaptive pooling: ``output_size`` windows per axis, by the start/end rule.

    Output ``i`` of ``o`` on an axis of size ``n`` covers the input samples
    ``floor(i n / o) <= j < ceil((i + 1) n / o)``; windows may overlap and differ in size.

    Examples
    --------
    >>> g = AdaptivePoolGeometry((5,), 3)
    >>> g.output_shape, g.windows()
    ((3,), [[(0, 2), (1, 4), (3, 5)]])
    """

    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]

    def __init__(self, input_shape: Sequence[int], output_size: int | Sequence[int]) -> None:
        n = spatial_shape("input_shape", input_shape)
        o = spatial_shape("output_size", output_size if isinstance(output_size, Sequence)
                   else (output_size,) * len(n))
        require(len(o) == len(n), "output_size", o, f"must have {len(n)} axes like input_shape")
        object.__setattr__(self, "input_shape", n)
        object.__setattr__(self, "output_shape", o)

    def windows(self) -> list[list[tuple[int, int]]]:
        """Per axis, the ``(start, end)`` input range of every output position."""
        return [[(i * n // o, -(-(i + 1) * n // o)) for i in range(o)]
                for n, o in zip(self.input_shape, self.output_shape)]


def _is_torch_pool_padding(padding: Any) -> bool:
    """An int or per-axis ints (PyTorch's pooling padding), not a name or pairs."""
    if isinstance(padding, str):
        return False
    if isinstance(padding, Sequence):
        return all(not isinstance(v, Sequence) for v in padding)
    return True
