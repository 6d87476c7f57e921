"""Re-export shim (the old import path): the counting claims now live in
:mod:`symconv.sizes.counting_claims`."""

from __future__ import annotations

from .sizes.counting_claims import (
    P_PREV,
    S_PREV,
    TAP,
    UNIT,
    J,
    R,
    U,
    V,
    cited_facts,
    claims,
    theorem_proofs,
    theorem_steps,
)

__all__ = ["J", "P_PREV", "R", "S_PREV", "TAP", "U", "UNIT", "V", "cited_facts", "claims",
           "theorem_proofs", "theorem_steps"]
