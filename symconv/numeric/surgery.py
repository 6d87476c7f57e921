"""Array surgery on ``(C, *spatial)`` arrays: zero padding, translation, zero insertion
and decimation, each by explicit indexing.

Examples
--------
>>> decimate(zero_insert(np.array([[1, 2, 3]]), 2), 2)
array([[1, 2, 3]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import OperatorError, require
from ..validation import is_integer
from .arguments import factors, flag, offsets


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
    offset = offsets("offset", offset, x.ndim - 1)
    circular = flag("circular", circular)
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
    factor = factors("factor", factor, x.ndim - 1)
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
    factor = factors("factor", factor, x.ndim - 1)
    shape = (x.shape[0],) + tuple(-(-n // f) for n, f in zip(x.shape[1:], factor))
    out = np.zeros(shape, x.dtype)
    for i in np.ndindex(*shape[1:]):
        source = tuple(a * f for a, f in zip(i, factor))
        out[(slice(None),) + i] = x[(slice(None),) + source]
    return out
