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
    i, m = np.meshgrid(np.arange(out), np.arange(k), indexing="ij")
    j = s * i - p + d * m
    keep = (j >= 0) & (j < n)
    return np.stack([i[keep], m[keep], j[keep]], axis=1)


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
    """Cartesian product of per-axis triples -> flat (out, tap, in) indices."""
    grids = np.meshgrid(*[np.arange(len(t)) for t in triples], indexing="ij")
    picks = [t[g.reshape(-1)] for t, g in zip(triples, grids)]
    out = np.ravel_multi_index(tuple(p[:, 0] for p in picks), out_shape)
    tap = np.ravel_multi_index(tuple(p[:, 1] for p in picks), k_shape)
    inp = np.ravel_multi_index(tuple(p[:, 2] for p in picks), in_shape)
    return out.astype(np.int64), tap.astype(np.int64), inp.astype(np.int64)


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
