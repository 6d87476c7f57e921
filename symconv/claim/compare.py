"""Compare the two sides of one step at one point: equal, or where and how they differ.

Entries are compared exactly (their polynomial forms, :mod:`symconv.claim.values`).
When a maximum (max pooling) occurs, two different forms may still be equal as
functions, so a difference there is confirmed with integer values of the signal
entries at which the two sides really differ (a *witness*); with no witness found
the step is inconclusive at that point, never refuted on a guess.

Examples
--------
>>> from symconv.claim.values import signal, scale, add
>>> x = signal("x", (3,))
>>> compare(x, x) is None
True
>>> d = compare(x, add(x, scale(x, 0)))
>>> d is None
True
>>> compare(x, signal("x", (2,))).reason
'shapes differ: (3,) and (2,)'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .values import Value, has_maximum, poly_key, witness

__all__ = ["Difference", "compare"]


@dataclass(frozen=True)
class Difference:
    """How two sides differ: the reason, the first differing flat index (or None),
    a witness for a difference under a maximum, and whether it is conclusive."""

    reason: str
    index: int | None = None
    witness: dict | None = None
    conclusive: bool = True

    def position(self, shape: tuple[int, ...]) -> tuple[int, ...] | None:
        """The index as a multi-index of ``shape``."""
        if self.index is None:
            return None
        return tuple(int(i) for i in np.unravel_index(self.index, shape)) if shape else ()


def compare(a: Value, b: Value) -> Difference | None:
    """None when ``a`` and ``b`` are equal; else the first conclusive difference."""
    if a.shape != b.shape:
        return Difference(f"shapes differ: {a.shape} and {b.shape}")
    if a.channels != b.channels:
        return Difference(f"channel axes differ: {a.channels} and {b.channels} leading "
                          f"channel axes of shape {a.shape}")
    inconclusive = None
    for flat in sorted(a.entries.keys() | b.entries.keys()):
        left, right = a.entry(flat), b.entry(flat)
        if left == right or poly_key(left) == poly_key(right):
            continue
        if not (has_maximum(left) or has_maximum(right)):
            return Difference("entries differ", flat)
        found = witness(left, right)
        if found is not None:
            return Difference("entries differ", flat, found)
        inconclusive = inconclusive or Difference(
            "entries have different forms under a maximum, and no integer values were found "
            "at which they differ", flat, conclusive=False)
    return inconclusive
