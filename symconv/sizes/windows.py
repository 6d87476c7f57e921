"""The one window counter: sliding windows that fit an input, counted one index at a time
(no division, no floor): the enumeration truth the counting theorems and the quantity
table compare formulas with. NumPy only. (:mod:`symconv.network` keeps its own pure-integer
count: importing :mod:`symconv.sizes` imports SymPy, which the network package must not.)"""

from __future__ import annotations

import numpy as np


def count_windows(length: np.ndarray, span: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Windows ``i = 0, 1, ...`` with ``s*i + span <= length``, counted one index at a time.

    This is the definition of a sliding window that lies inside a (padded) input of
    ``length`` samples, with no division and no floor.

    Examples
    --------
    >>> count_windows(np.array([6, 13]), np.array([3, 6]), np.array([2, 5])).tolist()
    [2, 2]
    """
    length, span, s = np.broadcast_arrays(length, span, s)
    count = np.zeros(length.shape, dtype=np.int64)
    for i in range(int(length.max(initial=0)) + 1):
        count += (s * i + span <= length)
    return count


__all__ = ["count_windows"]
