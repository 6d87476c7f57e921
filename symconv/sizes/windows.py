"""Sliding windows that fit an input, counted one index at a time (no division, no floor):
the enumeration truth the counting theorems and the quantity table compare formulas with,
by the one window counter, :func:`symconv.prover.evaluate.count_window_starts` (the
prover's ``Windows``). (:mod:`symconv.network` keeps its own pure-integer count: importing
:mod:`symconv.sizes` imports SymPy, which the network package must not; the numeric oracle,
:mod:`symconv.numeric`, keeps its own on purpose: it is the independent check.)"""

from __future__ import annotations

import numpy as np

from ..prover.evaluate import count_window_starts


def count_windows(length: np.ndarray, span: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Windows ``i = 0, 1, ...`` with ``s*i + span <= length``, counted one index at a time.

    This is the definition of a sliding window that lies inside a (padded) input of
    ``length`` samples, with no division and no floor.

    Examples
    --------
    >>> count_windows(np.array([6, 13]), np.array([3, 6]), np.array([2, 5])).tolist()
    [2, 2]
    """
    return count_window_starts(np.asarray(length) - span, s)


__all__ = ["count_windows"]
