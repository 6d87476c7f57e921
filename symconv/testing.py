"""Helpers for a test author's own suite: one line checks a convolution implementation.

:func:`assert_conv_equivalent` raises :class:`AssertionError` with the rendered
counterexample and diagnosis when ``fn`` is not the reference operator on the
domain; the Hypothesis strategies of :mod:`symconv.strategies` are re-exported.

Examples
--------
>>> import numpy as np
>>> def corr1d(x, w, stride=1, padding=0, dilation=1):
...     xp = np.pad(x, ((0, 0), (padding, padding)))
...     span = dilation * (w.shape[-1] - 1) + 1
...     out = (xp.shape[-1] - span) // stride + 1
...     return np.array([[np.sum(w[o] * xp[:, stride * i:stride * i + span:dilation])
...                       for i in range(out)] for o in range(w.shape[0])])
>>> assert_conv_equivalent(corr1d, "correlation", domain="n <= 4, K <= 2").verdict
'verified'
>>> assert_conv_equivalent(corr1d, "convolution", domain="n <= 4, K <= 2")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
AssertionError: corr1d is not convolution: kernel not flipped, at n=1, K=2, s=1, p=1, ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .implementations import ALL_NAMES, check_implementation
from .proof import Proof
from .strategies import channel_configs, geometries, inputs, kernels, transposed_geometries


def assert_conv_equivalent(fn: Callable[..., Any], reference: str = "correlation", *,
                           domain: str | None = None, ndim: int = 1, **fixed: Any) -> Proof:
    """Assert that ``fn`` computes ``reference`` on ``domain`` (see
    :func:`symconv.implementations.check_implementation`); returns the verified proof.

    Raises
    ------
    AssertionError
        Refuted (the message names the diagnosis, the geometry and the differing
        output entry, then the derivation) or vacuous (nothing was checked).
    """
    proof = check_implementation(fn, reference, domain=domain, ndim=ndim, **fixed)
    name = getattr(fn, "__name__", "fn")
    if proof.verdict == "refuted":
        example = proof.counterexample
        at = ", ".join(f"{k}={v}" for k, v in example.items() if k in ALL_NAMES)
        raise AssertionError(f"{name} is not {reference}: {proof.diagnosis}, at {at} "
                             f"{ {k: v for k, v in example.items() if k not in ALL_NAMES} }\n"
                             + proof.text())
    if proof.verdict != "verified":
        raise AssertionError(f"{name} vs {reference}: {proof.verdict} on {proof.domain}, "
                             "nothing was checked")
    return proof


__all__ = ["assert_conv_equivalent", "channel_configs", "geometries", "inputs", "kernels",
           "transposed_geometries"]
