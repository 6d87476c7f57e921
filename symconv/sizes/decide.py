"""User formulas decided for all sizes by the SMT judge (:mod:`symconv.prover.judge`), not
sampled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from ..proof import Step
from ..prover.judge import certify_claim
from ..prover.normal_form import SYMBOLS
from ..prover.smt import Certificate, CertificateDisagreement
from .definitions import closed_form, definition_proof, specialised
from .exact import evaluate_many, undefined_by_guards
from .parse import parse_formula
from .quantities import RANGES, symbolic_truth
from .symbolic import to_plain
from .typeset import point_prose

# User formulas: decided for all sizes, not sampled
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FormulaDecision:
    """What the SMT judge decided about a user formula: ``proved`` (for all sizes), a
    ``counterexample`` (the solver's model with both values), or neither (``steps`` say why)."""

    proved: bool
    counterexample: dict[str, Any] | None
    steps: tuple[Step, ...]
    certificates: tuple[Certificate, ...] = ()


def decide_formula(parsed: sympy.Expr, entry: Any, fixed: dict[str, int],
                   guards: tuple[sympy.Expr, ...] = ()) -> FormulaDecision:
    """Ask the SMT judge whether a parsed formula is the quantity for all sizes.

    The formula is compared with the quantity's truth
    (:func:`symconv.sizes.quantities.symbolic_truth`)
    under its validity conditions, ``fixed`` variables substituted, each ``guard`` (a
    divisor as written) required non-zero. Only when the quantity's closed form is itself
    proved for all sizes (by both judges) can ``unsat`` prove; a ``sat`` model is checked
    by exact evaluation before it refutes. When the solver answers ``unknown``, a second
    and a third hunt a model on the slices where every size but ``n`` and ``k``, then but
    ``n``, is least (a model there is a counterexample too; no model proves nothing).

    It runs once the formula has passed the finite domain: a model inside that domain
    is a bug, raised as :class:`CertificateDisagreement`.

    Parameters
    ----------
    parsed : sympy.Expr
        A result of :func:`symconv.sizes.parse.parse_formula` (never the user's text).
    entry : symconv.sizes.quantities.Quantity
        The quantity and convention checked.
    fixed : dict of str to int
        Variables held at one value.
    guards : tuple of sympy.Expr
        Divisors as written (see :func:`symconv.sizes.parse.parse_formula_guarded`).

    Examples
    --------
    >>> from symconv.sizes import QUANTITIES, parse_formula
    >>> entry = QUANTITIES["output_size", "torch"]
    >>> trap = parse_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1 + floor(n/100003)")
    >>> decision = decide_formula(trap, entry, {})
    >>> decision.proved, decision.counterexample["n"] >= 100003
    (False, True)
    >>> decide_formula(parse_formula("ceil((n + 2*p - d*(k - 1))/s)"), entry, {}).proved
    True
    """

    convention = specialised(entry.quantity, entry.convention, fixed)
    truth = symbolic_truth(entry.quantity, convention)
    definition = definition_proof(entry.quantity, convention)
    if truth is None or definition is None or not definition.check():
        return FormulaDecision(False, None, (Step("Second judge: SMT", "Not asked: this "
                               "quantity has no closed form proved for all sizes."),))
    values = {SYMBOLS[name]: sympy.Integer(v) for name, v in fixed.items()}
    assumptions = tuple(a.xreplace(values) for a in truth.assumptions)
    consistent = certify_claim(sympy.Integer(0), sympy.Integer(1), assumptions)
    if consistent.status != "sat":
        return FormulaDecision(False, None, (Step("Second judge: SMT", "Not decided: the "
                               f"solver did not find a valid size ({consistent.status})."),))
    certificate = _formula_certificate(parsed, truth, values, guards)
    if certificate.certified:
        return FormulaDecision(True, None, (Step(
            "Proof for all sizes: SMT", f"The rewriting prover found no lemma chain, and "
            f"{certificate.solver} decides the claim: for all integers with "
            + (", ".join(f"${sympy.latex(a)} \\ge 0$" for a in assumptions) or "no condition")
            + f", the formula equals the {entry.quantity} ({truth.meaning}) and every divisor "
            "is non-zero: the negation is unsat (the SMT-LIB 2 query is written by --smt "
            "FILE). The "
            f"quantity's own closed form is proved for all sizes by both judges "
            f"({definition.title})."),), (certificate,))
    if certificate.status == "sat":
        return _refutation(parsed, entry, fixed, guards, convention, certificate)
    for free in (("n", "k"), ("n",)):
        least = {**{v: RANGES[v][0] for v in entry.variables if v not in free}, **fixed}
        if "n" in entry.variables and least != fixed:
            on_slice = _formula_certificate(parsed, truth, {**values, **{
                SYMBOLS[v]: sympy.Integer(x) for v, x in least.items()}}, guards)
            if on_slice.status == "sat":
                return _refutation(parsed, entry, least, guards, convention, on_slice)
    return FormulaDecision(False, None, (Step(
        "Second judge: SMT", f"Not decided by the SMT judge ({certificate.reason}; nor a "
        "counterexample on the slices where every size but n and k, or but n, is least); "
        "the search below is support, not proof."),), (certificate,))


def _formula_certificate(parsed: sympy.Expr, truth: Any, values: dict[sympy.Symbol, Any],
                         guards: tuple[sympy.Expr, ...]) -> Certificate:
    """The certificate of ``parsed = truth`` with ``values`` substituted."""

    return certify_claim(to_plain(parsed).xreplace(values), truth.expr.xreplace(values),
                         tuple(a.xreplace(values) for a in truth.assumptions),
                         tuple(to_plain(g).xreplace(values) for g in guards))


def _refutation(parsed: sympy.Expr, entry: Any, fixed: dict[str, int],
                guards: tuple[sympy.Expr, ...], convention: str, certificate: Certificate
                ) -> FormulaDecision:
    """The solver's model as a counterexample, confirmed by exact evaluation."""

    point = {v: int(fixed.get(v, certificate.model.get(v, RANGES[v][0])))
             for v in entry.variables}
    columns = {v: np.array([x], dtype=np.int64) if abs(x) < 2**62 else np.array([x], object)
               for v, x in point.items()}
    valid = all(x >= RANGES[v][0] for v, x in point.items()) and (
        entry.is_valid is None or bool(entry.is_valid(columns)[0]))
    if not valid:
        return FormulaDecision(False, None, (Step(
            "Second judge: SMT", f"The solver's model {point_prose(point)} is not a valid "
            "size of this quantity, so it refutes nothing; the search below is support, "
            "not proof."),),
            (certificate,))
    num, den, undefined = evaluate_many(parsed, columns)
    undefined = bool(undefined[0] | undefined_by_guards(guards, columns)[0])
    t_num, t_den, _ = evaluate_many(parse_formula(*closed_form(entry.quantity,
                                                               convention)[:2]), columns)
    if not undefined and num[0] * t_den[0] == t_num[0] * den[0]:
        raise CertificateDisagreement(f"{certificate.solver}'s model {point} of the negated "
                                      "claim is not a counterexample: please report this bug")
    if all(RANGES[v][0] <= x <= RANGES[v][1] for v, x in point.items()):
        raise CertificateDisagreement(f"{certificate.solver} refutes at {point}, inside the "
                                      "finite domain that passed: please report this bug")
    value = "undefined (division by zero)" if undefined else sympy.Rational(int(num[0]),
                                                                             int(den[0]))
    value = int(value) if isinstance(value, sympy.Rational) and value.is_Integer else value
    truth = int(sympy.Rational(int(t_num[0]), int(t_den[0])))
    where = point_prose(point)
    return FormulaDecision(False, {**point, "formula": value, "truth": truth}, (Step(
        "Counterexample for all sizes: SMT", f"The formula agrees on the whole finite domain "
        f"but not for all sizes: {certificate.solver} finds the model {where} of the negated "
        f"claim (outside the finite domain, so reported as found, not minimised), where the "
        f"formula gives {value} and the {entry.quantity} (its closed form, proved for all "
        f"sizes) is {truth}; checked by exact evaluation."),), (certificate,))

