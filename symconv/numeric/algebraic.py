"""The convolutions of algebra, without a layer spec: circular convolution (periodic
signals, the convolution theorem's side) and full 1-D convolution (polynomial products).

Examples
--------
>>> full_convolve_1d(np.array([1, -1]), np.array([1, 1]))
array([ 1,  0, -1])
"""

from __future__ import annotations

import numpy as np

from ..errors import GeometryError, OperatorError, require
from .arguments import checked_array


def circular_convolve(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Circular convolution: ``y[o, i] = sum_{c, m} w[o, c, m] * x[c, (i - m) mod n]``.

    Parameters
    ----------
    x : ndarray, shape ``(C_in, *n)``
    w : ndarray, shape ``(C_out, C_in, *k)``, ``k <= n`` on every axis

    Returns
    -------
    ndarray, shape ``(C_out, *n)``

    Examples
    --------
    >>> circular_convolve(np.array([[1, 2, 3, 4]]), np.array([[[1, 10]]]))
    array([[41, 12, 23, 34]])
    """
    x = np.asarray(x)
    require(x.ndim >= 2, "x.ndim", x.ndim, "must be at least 2 (channels + spatial axes)",
            "2, 3, 4", error=OperatorError)
    ndim = x.ndim - 1
    w = checked_array("w", w, ndim, leading=2)
    require(w.shape[1] == x.shape[0], "w.shape[1]", w.shape[1],
            f"must equal in_channels = {x.shape[0]}", str(x.shape[0]), error=OperatorError)
    spatial, kernel = x.shape[1:], w.shape[2:]
    require(all(k <= n for k, n in zip(kernel, spatial)), "w.shape", w.shape,
            f"must have a kernel no larger than the input {spatial} on every axis",
            error=GeometryError)
    out = np.zeros((w.shape[0],) + spatial, np.result_type(x, w))
    for o in range(w.shape[0]):
        for i in np.ndindex(*spatial):
            total = out[(o,) + i]
            for c in range(x.shape[0]):
                for m in np.ndindex(*kernel):
                    source = tuple((a - b) % n for a, b, n in zip(i, m, spatial))
                    total = total + w[(o, c) + m] * x[(c,) + source]
            out[(o,) + i] = total
    return out


def full_convolve_1d(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Full 1-D convolution of two vectors: ``y[t] = sum_{i + j = t} a[i] * b[j]``.

    The coefficients of the product of the polynomials with coefficients
    ``a`` and ``b``; length ``len(a) + len(b) - 1``.

    Examples
    --------
    >>> full_convolve_1d(np.array([1, 1]), np.array([1, 2, 1]))
    array([1, 3, 3, 1])
    """
    a, b = np.asarray(a), np.asarray(b)
    for name, v in (("a", a), ("b", b)):
        require(v.ndim == 1 and v.size >= 1, f"{name}.shape", v.shape,
                "must be a non-empty vector", "(n,) with n >= 1", error=OperatorError)
    out = np.zeros((a.size + b.size - 1,), np.result_type(a, b))
    for i in range(a.size):
        for j in range(b.size):
            out[i + j] = out[i + j] + a[i] * b[j]
    return out
