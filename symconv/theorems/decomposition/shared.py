"""What the decomposition theorems share: the small-layer domains, their texts, and
kernel substitution.

Examples
--------
>>> claim_tuple((2,)), claim_tuple((2, 1))
('2', '(2, 1)')
>>> domain = small_domain()
>>> len(domain), domain[0]["input_shape"], max(point["dilation"] for point in domain)
(98, (1,), 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from ..common import LAYER
from ..structure import small_layers


def with_kernel(op, values: Sequence[sympy.Expr]) -> sympy.SparseMatrix:
    """``op.matrix`` with its kernel symbols replaced by ``values`` (same C order)."""
    return op.matrix.xreplace(dict(zip(op.kernel_flat, values)))


def small_domain(extra: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """1-D layers with n<=5, k<=3, s<=2, p<=1, d<=2, then the given extra points."""
    return small_layers(max_n=5, max_k=3, max_s=2, max_p=1, max_d=2) + list(extra)


SMALL = "every valid 1-D layer with n<=5, k<=3, s<=2, p<=1, d<=2"

#: Multi-channel, grouped and 2-D points appended to the 1-D domains.
CHANNEL_POINTS = [
    {**LAYER, "input_shape": (3,), "kernel_shape": (2,), "in_channels": 2, "out_channels": 2},
    {**LAYER, "input_shape": (4,), "kernel_shape": (2,), "stride": 2, "in_channels": 2,
     "out_channels": 4, "groups": 2},
    {**LAYER, "input_shape": (3, 3), "kernel_shape": (2, 2), "padding": 1},
    {**LAYER, "input_shape": (4, 3), "kernel_shape": (3, 2), "stride": (2, 1),
     "dilation": (1, 2), "padding": ((1, 0), (0, 1))},
]
CHANNEL_TEXT = ("; plus 2->2 channels, 2->4 channels in 2 groups at stride 2, and 2-D 3x3 "
                "(kernel 2x2, padding 1) and 4x3 (kernel 3x2, stride (2,1), dilation (1,2), "
                "asymmetric pads)")


def group_of(channel: int, per_group: int) -> int:
    return channel // per_group


def channels_text(in_channels: int, out_channels: int, groups: int) -> str:
    return f"channels {in_channels} -> {out_channels}, groups {groups}"


def claim_tuple(values: Sequence[int]) -> str:
    """Per-axis integers as claim text: ``2`` in 1-D, ``(2, 1)`` in 2-D."""
    return str(values[0]) if len(values) == 1 else f"({', '.join(map(str, values))})"
