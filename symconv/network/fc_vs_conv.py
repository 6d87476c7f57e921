"""A fully connected layer against a convolution with the same outputs: parameters, MACs.

Examples
--------
>>> fc_vs_conv((4,), kernel=3).params_ratio
Fraction(8, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import prod
from typing import Any

from ..errors import OperatorError
from ..geometry import Geometry
from ..validation import integer, is_integer
from .layers import Axes


@dataclass(frozen=True)
class FcVsConv:
    """Parameters and multiply-adds of an FC layer and a conv with the same outputs."""

    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    fc_params: int
    conv_params: int
    fc_macs: int
    conv_macs: int
    params_ratio: Fraction
    macs_ratio: Fraction


def fc_vs_conv(input_shape: Sequence[int], kernel: int | Sequence[int], stride: Axes = 1,
               padding: Any = 0, dilation: Axes = 1, in_channels: int = 1,
               out_channels: int = 1) -> FcVsConv:
    """Compare a fully connected layer with a conv producing the same number of outputs.

    The FC layer maps all ``in_channels * prod(input_shape)`` inputs to each of the conv's
    ``out_channels * prod(output_shape)`` outputs. Biases are left out of both counts.
    The ratios are ``fc / conv``, exact.

    Examples
    --------
    >>> c = fc_vs_conv((32, 32), kernel=2)
    >>> c.output_shape, c.fc_params, c.conv_params, c.params_ratio
    ((31, 31), 984064, 4, Fraction(246016, 1))
    >>> c.fc_macs, c.conv_macs, c.macs_ratio
    (984064, 3844, Fraction(256, 1))
    """
    in_channels = integer("in_channels", in_channels, minimum=1, error=OperatorError)
    out_channels = integer("out_channels", out_channels, minimum=1, error=OperatorError)
    spatial = tuple(input_shape)
    g = Geometry(spatial, (kernel,) * len(spatial) if is_integer(kernel) else kernel,
                 stride, padding, dilation)
    inputs = in_channels * prod(g.input_shape)
    outputs = out_channels * prod(g.output_shape)
    conv_params = out_channels * in_channels * prod(g.kernel_shape)
    conv_macs = outputs * in_channels * prod(g.kernel_shape)
    fc = inputs * outputs
    return FcVsConv(g.input_shape, g.output_shape, fc, conv_params, fc, conv_macs,
                    Fraction(fc, conv_params), Fraction(fc, conv_macs))
