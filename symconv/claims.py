"""Check a list of claims with their expected verdicts: the loop every proof script runs.

A claim is ``(name, parameters, expected)`` or ``(title, name, parameters, expected)``
with ``expected`` either ``"proved"`` or ``"refuted"`` (a false statement from the
notes is *expected* to be refuted). Each derivation is printed; the return value
lists the claims whose verdict was not the expected one.

Examples
--------
>>> import io
>>> claims = [("flip", {"input_shape": (3,), "kernel_shape": (2,)}, "proved"),
...           ("strided-equivariance", {"shift": 1}, "refuted")]
>>> check_claims(claims, out=io.StringIO())
[]
>>> check_claims([("flip", {"input_shape": (3,), "kernel_shape": (2,)}, "refuted")],
...              out=io.StringIO())
["flip {'input_shape': (3,), 'kernel_shape': (2,)}: proved, expected refuted"]
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO


def check_claims(claims: Iterable[Sequence[Any]], *, out: TextIO | None = None) -> list[str]:
    """Prove each claim, print its derivation to ``out``, return the unexpected verdicts."""
    import symconv  # looked up at call time, so a caller may wrap symconv.prove

    out = sys.stdout if out is None else out
    unexpected = []
    for claim in claims:
        title, name, parameters, expected = claim if len(claim) == 4 else (None, *claim)
        label = title or f"{name} {parameters}"
        proof = symconv.prove(name, **parameters)
        if title:
            print(f"\n##### {title}  (expected: {expected})", file=out)
        print(proof.text(), file=out)
        print(file=out)
        if proof.verdict != expected:
            unexpected.append(f"{label}: {proof.verdict}, expected {expected}")
    return unexpected


def report(unexpected: list[str], total: int, out: TextIO | None = None) -> int:
    """Print the closing line of a proof script; the exit code (1 if anything was off)."""
    out = sys.stdout if out is None else out
    for line in unexpected:
        print("UNEXPECTED:", line, file=out)
    if not unexpected:
        print(f"All {total} verdicts are the expected ones.", file=out)
    return 1 if unexpected else 0
