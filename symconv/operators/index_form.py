"""Index-form kernels on one axis: window triples, flipped taps, padding sources.

Each spatial axis of a convolution-family operator is a list of ``(i, m, j)`` triples
(output position ``i``, kernel offset ``m``, input position ``j``); :func:`combine_axes`
takes their Cartesian product to flat indices. Nothing here is symbolic.
"""

from __future__ import annotations

import numpy as np

from .symbols import Shape


def window_triples(out: int, k: int, n: int, s: int, p: int, d: int) -> np.ndarray:
    """Rows ``(i, m, j)`` with ``j = s*i - p + d*m`` inside ``[0, n)``, one axis.

    Examples
    --------
    >>> window_triples(out=2, k=2, n=3, s=1, p=0, d=1).tolist()
    [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 2]]
    """
    i, m = np.divmod(np.arange(out * k, dtype=np.int64), k)  # (i, m) in row-major order
    j = s * i - p + d * m
    keep = (j >= 0) & (j < n)
    return np.column_stack((i, m, j))[keep]


def flip_taps(triples: list[np.ndarray], kernel_shape: Shape) -> list[np.ndarray]:
    """Per-axis ``(i, m, j)`` triples with the kernel offset flipped, ``m -> k - 1 - m``.

    Examples
    --------
    >>> flip_taps([window_triples(out=1, k=2, n=2, s=1, p=0, d=1)], (2,))[0].tolist()
    [[0, 1, 0], [0, 0, 1]]
    """
    return [np.stack([t[:, 0], k - 1 - t[:, 1], t[:, 2]], axis=1)
            for t, k in zip(triples, kernel_shape)]


def combine_axes(triples: list[np.ndarray], out_shape: Shape, k_shape: Shape,
                 in_shape: Shape) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cartesian product of per-axis triples -> flat (out, tap, in) indices.

    Entries are in row-major order of the per-axis entries (the first axis slowest); each
    flat index is the C-order ravel of its per-axis coordinates, which must lie in their
    shapes (``ValueError`` otherwise, as :func:`numpy.ravel_multi_index` says).

    Examples
    --------
    >>> t = window_triples(out=2, k=2, n=3, s=1, p=0, d=1)
    >>> [a.tolist() for a in combine_axes([t, t[:1]], (2, 2), (2, 2), (3, 3))]
    [[0, 0, 2, 2], [0, 2, 0, 2], [0, 3, 3, 6]]
    """
    flat = []
    for column, shape in enumerate((out_shape, k_shape, in_shape)):
        acc = np.zeros(1, dtype=np.int64)
        for t, size in zip(triples, shape):
            values = np.asarray(t[:, column], dtype=np.int64)
            if len(values) and (int(values.min()) < 0 or int(values.max()) >= size):
                raise ValueError("invalid entry in coordinates array")
            acc = (acc[:, None] * size + values[None, :]).reshape(-1)
        flat.append(acc)
    return flat[0], flat[1], flat[2]


#: PyTorch's ``Conv`` padding modes: what the padding samples hold.
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def padding_source(position: np.ndarray, n: int, mode: str) -> np.ndarray:
    """The input sample a padded position ``position`` (input coordinates) copies.

    ``reflect`` mirrors without repeating the edge (``-1 -> 1``), ``replicate`` repeats
    the edge sample, ``circular`` wraps around (``-1 -> n - 1``); PyTorch's ``F.pad``
    modes of the same names.

    Examples
    --------
    >>> [padding_source(np.arange(-2, 5), 3, m).tolist() for m in PADDING_MODES[1:]]
    [[2, 1, 0, 1, 2, 1, 0], [0, 0, 0, 1, 2, 2, 2], [1, 2, 0, 1, 2, 0, 1]]
    """
    if mode == "replicate":
        return np.clip(position, 0, n - 1)
    if mode == "circular":
        return position % n
    period = max(2 * (n - 1), 1)
    folded = np.abs(position) % period
    return np.where(folded < n, folded, period - folded)
