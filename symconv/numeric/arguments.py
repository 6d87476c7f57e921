"""Validation at the oracle's edge: each helper checks one argument of a public oracle
function and returns it normalised, or raises a :class:`~symconv.errors.SymconvError`
naming the parameter, its value, the rule and the valid range.

Examples
--------
>>> factors("factor", 2, 3)
(2, 2, 2)
>>> checked_groups(2, in_channels=4)
2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import GeometryError, OperatorError, require
from ..geometry import TransposedGeometry
from ..validation import is_bool, is_integer


def positive_int(name: str, value: Any) -> int:
    ok = is_integer(value) and value >= 1
    require(ok, name, value, "must be a positive integer", "1, 2, 3, ...", error=OperatorError)
    return int(value)


def flag(name: str, value: Any) -> bool:
    require(is_bool(value), name, value, "must be True or False",
            error=OperatorError)
    return bool(value)


def require_spec(name: str, value: Any, kind: type) -> None:
    require(isinstance(value, kind), name, value, f"must be a {kind.__name__}",
            f"symconv.geometry.{kind.__name__}(...)", error=OperatorError)


def checked_array(name: str, value: Any, spatial_ndim: int, leading: int = 1) -> np.ndarray:
    """``value`` as an array with ``leading`` channel axes and ``spatial_ndim`` spatial axes."""
    array = np.asarray(value)
    want = leading + spatial_ndim
    require(array.ndim == want, f"{name}.ndim", array.ndim,
            f"must be {want} ({leading} channel axes + {spatial_ndim} spatial)",
            str(want), error=OperatorError)
    return array


def require_spatial_shape(name: str, array: np.ndarray, shape: tuple[int, ...],
                          leading: int = 1) -> None:
    require(array.shape[leading:] == shape, f"{name}.shape", array.shape,
            f"must end with the spatial shape {shape} of the geometry",
            f"(..., {', '.join(map(str, shape))})", error=GeometryError)


def checked_groups(groups: Any, **channels: int) -> int:
    groups = positive_int("groups", groups)
    for name, count in channels.items():
        require(count % groups == 0, name, count, f"must be divisible by groups={groups}",
                f"multiples of {groups}", error=OperatorError)
    return groups


def factors(name: str, factor: Any, ndim: int) -> tuple[int, ...]:
    if isinstance(factor, Sequence):
        require(len(factor) == ndim, name, tuple(factor),
                f"must give one value per spatial axis ({ndim})", error=OperatorError)
        return tuple(positive_int(f"{name}[{i}]", f) for i, f in enumerate(factor))
    return (positive_int(name, factor),) * ndim


def offsets(name: str, value: Any, ndim: int) -> tuple[int, ...]:
    is_int = isinstance(value, Sequence) and all(
        is_integer(v) for v in value)
    require(is_int and len(value) == ndim, name, value,
            f"must be a tuple of {ndim} integers, one per spatial axis", error=OperatorError)
    return tuple(int(v) for v in value)



def require_torch_convention(geometry: TransposedGeometry) -> None:
    """Refuse a non-PyTorch transposed geometry (those are checked live against their framework)."""
    require(geometry.convention == "torch", "geometry.convention", geometry.convention,
            "must be 'torch' for the NumPy oracle's transposed convolution", "torch",
            error=OperatorError)
