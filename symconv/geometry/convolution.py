"""A correlation/convolution layer's geometry: :class:`Geometry`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .arguments import Padding, check_axes, check_fits, per_axis, resolve_pads, spatial_shape
from .formulas import conv_output_size
from .spatial import Spatial


@dataclass(frozen=True, init=False)
class Geometry(Spatial):
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
        (odd pixel before), ``"full"``, ``"causal"`` (Keras: ``d(k-1)`` before).

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
        check_axes(n, k)
        s = per_axis("stride", stride, len(n), 1)
        d = per_axis("dilation", dilation, len(n), 1)
        pads = resolve_pads(padding, n, k, s, d)
        check_fits(n, k, d, pads)
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
