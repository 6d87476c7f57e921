"""Each quantity's closed-form definition proved equal to its truth for all sizes, and a
user formula proved equal to it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sympy

from ..proof import Step
from ..prover.budget import bounded_search
from ..prover.implication import implied
from ..prover.normal_form import SYMBOLS
from ..prover.proofs import ParametricProof, titled
from ..prover.search import prove_for_all
from .counting_claims import claims, theorem_proofs
from .parse import parse_formula
from .quantities import QUANTITIES, symbolic_truth
from .symbolic import to_plain


@cache
def definition_proof(quantity: str, convention: str) -> ParametricProof | None:
    """The proof that a quantity's closed-form definition equals its truth, for all sizes.

    Examples
    --------
    >>> definition_proof("output_size", "tensorflow").lemmas()
    ['ceil-to-floor', 'floor-shift', 'window-count']
    >>> definition_proof("macs", "torch") is None
    True
    """

    truth = symbolic_truth(quantity, convention)
    form = closed_form(quantity, convention)
    if truth is None or form is None:
        return None
    text, variables, theorem = form
    notes = [f"The truth: {truth.meaning}."]
    if theorem is not None:
        if not all(p is not None and p.check() for p in theorem_proofs(theorem)):
            return None
        notes.append(f"The {quantity} is defined as a count; theorem {theorem} proves for all "
                     "sizes that the count is this closed form: "
                     + "; ".join(title for title, *_ in claims()[theorem]) + ".")
    proof = prove_for_all(to_plain(parse_formula(text, variables)), truth.expr,
                          truth.assumptions)
    return titled(proof, f"Definition for all sizes: {quantity} ({convention})", *notes)


def specialised(quantity: str, convention: str, fixed: dict[str, int]) -> str:
    """The convention whose truth applies on the slice ``fixed``: a counted quantity of a
    padded convention with its padding fixed to 0 is that of the valid convention (the
    entry's :attr:`~symconv.sizes.quantities.Quantity.unpadded`).

    Examples
    --------
    >>> specialised("macs", "torch", {"p": 0}), specialised("macs", "torch", {})
    ('tensorflow', 'torch')
    """
    entry = QUANTITIES.get((quantity, convention))
    unpadded = None if entry is None else entry.unpadded
    if unpadded is not None and all(fixed.get(name) == value for name, value in unpadded.fixed):
        return unpadded.convention
    return convention


def closed_form(quantity: str, convention: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """The closed form a quantity is checked against at large sizes: its definition, or for
    a counted quantity the form a theorem proves (with that theorem's name); None if none.

    Examples
    --------
    >>> closed_form("macs", "keras")[2], closed_form("macs", "torch")
    ('mac-count', None)
    """

    entry = QUANTITIES.get((quantity, convention))
    if entry is None:
        return None
    text, theorem = entry.counted or (entry.definition, None)
    if text.startswith("#"):
        return None
    return text, entry.variables, theorem


def parametric_steps(quantity: str, convention: str) -> tuple[list[Step], bool]:
    """Steps proving a quantity's closed form for all sizes, and whether the proof checks.

    Examples
    --------
    >>> steps, ok = parametric_steps("output_size", "torch")
    >>> ok, steps[0].title
    (True, 'Definition for all sizes: output_size (torch)')
    """
    proof = definition_proof(quantity, convention)
    if proof is None or not proof.check():
        return [Step("Not proved for all sizes", f"No parametric proof of {quantity} "
                     f"({convention}); only the finite checks apply.")], False
    return proof.steps(), True


def formula_proof(parsed: sympy.Expr, quantity: str, convention: str,
                  fixed: dict[str, int] | None = None,
                  divisors: Sequence[sympy.Expr] = ()) -> ParametricProof | None:
    """Prove a parsed user formula equal to the quantity's truth for all sizes, or None.

    The search is bounded by :data:`PROOF_BUDGET`; when it runs out this raises
    :class:`ProofBudgetExceeded` (undecided within budget; nothing is claimed).
    ``fixed`` variables are substituted on both sides. The quantity's own closed-form
    definition must also be proved (:func:`definition_proof`), else None. Every
    ``divisor`` the formula was written with (SymPy may have cancelled it) must be
    provably non-zero (>= 1 or <= -1) under the assumptions, else None.

    Examples
    --------
    >>> from symconv.sizes import parse_formula
    >>> f = parse_formula("(n + 2*p - d*(k-1) - 1)//s + 1")
    >>> formula_proof(f, "output_size", "torch").check()
    True
    >>> trap = parse_formula("(n + 2*p - d*(k-1) - 1)//s + 1 + n//1001")
    >>> formula_proof(trap, "output_size", "torch") is None
    True
    """
    convention = specialised(quantity, convention, fixed or {})
    truth = symbolic_truth(quantity, convention)
    definition = definition_proof(quantity, convention)
    if truth is None or definition is None or not definition.check():
        return None
    values = {SYMBOLS[name]: sympy.Integer(v) for name, v in (fixed or {}).items()}
    assumptions = [a.xreplace(values) for a in truth.assumptions]
    with bounded_search():
        for divisor in divisors:
            d = to_plain(divisor).xreplace(values)
            if not (implied(d - 1, assumptions) or implied(-d - 1, assumptions)):
                return None
        proof = prove_for_all(to_plain(parsed).xreplace(values), truth.expr.xreplace(values),
                              assumptions)
    return titled(proof, f"Proof for all sizes: the formula is the {quantity} ({convention})",
                 f"The truth: {truth.meaning}.")
