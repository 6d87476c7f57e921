"""The one smallest-counterexample order: by the sum of the sizes, then lexicographically.

Every search for a smallest failing point (open claims, implementation checks, formula
checks, the counting theorems' sweeps) orders points this way, so "the smallest
counterexample" means the same thing everywhere. Ties (equal points) keep their order.

Examples
--------
>>> sorted([(2, 1), (1, 1), (1, 2), (3, 0)], key=by_size)
[(1, 1), (1, 2), (2, 1), (3, 0)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def by_size(values: Iterable[int]) -> tuple[int, tuple[int, ...]]:
    """The sort key of a point given by its sizes (in a fixed order of names): their sum,
    then the sizes themselves.

    Examples
    --------
    >>> by_size([2, 1]), by_size([1, 2]) < by_size([2, 1]) < by_size([3, 1])
    ((3, (2, 1)), True)
    """
    values = tuple(int(v) for v in values)
    return sum(values), values


def order_by_size(columns: Sequence[Any]) -> np.ndarray:
    """The indices of the points given column-wise (one integer array per size name), in
    the order of :func:`by_size` (stable: ties keep their order).

    Examples
    --------
    >>> order_by_size([np.array([3, 1, 2]), np.array([1, 3, 1])]).tolist()
    [2, 1, 0]
    """
    columns = [np.asarray(col) for col in columns]
    return np.lexsort([*reversed(columns), sum(columns)])


__all__ = ["by_size", "order_by_size"]
