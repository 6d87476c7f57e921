"""A catalogue theorem defined by its claim text: the engine's check at one point.

:func:`claim_outcome` checks the claim with the point's concrete shapes (no size
name, so ``sc.check`` proves or refutes it symbolically there, with its numeric
cross-check) and hands the engine (:mod:`symconv.theorems.engine`) what it needs:
whether it holds, the derivation, the difference, and whether the NumPy oracle
agreed. The engine adds ``exhaustive`` over the theorem's own domain as before.

Examples
--------
>>> o = claim_outcome('conv(a, b, padding="full") == conv(b, a, padding="full")',
...                   a=(3,), b=(2,))
>>> o.holds, o.numeric, o.evidence
(True, True, ('symbolic',))
"""

from __future__ import annotations

from typing import Any

from .check import check

__all__ = ["claim_outcome"]


def claim_outcome(claim: str, **shapes: Any) -> Any:
    """The :class:`~symconv.theorems.engine.Outcome` of ``claim`` at concrete ``shapes``."""
    from symconv.theorems.engine import Outcome  # the engine imports the catalogue

    proof = check(claim, shapes=shapes)
    if proof.verdict not in ("proved", "refuted"):
        raise RuntimeError(f"claim {claim!r} is {proof.verdict} at {shapes}: a catalogue "
                           "theorem must be decided at each point of its domain")
    holds = proof.verdict == "proved"
    numeric = True if "numeric" in proof.evidence else None
    return Outcome(holds, tuple(proof.steps), None if holds else proof.counterexample,
                   numeric=numeric)
