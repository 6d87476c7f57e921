"""Parametric proofs: rewrite chains and case splits, their checker, and their steps on
the board."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy

from ..proof import Math, Step
from .implication import denominators_nonzero, implied
from .judge import certify_claim, judges_step, second_judge
from .lemmas import DISCHARGE_FACTS, LEMMAS, verify
from .normal_form import canon, is_integer_valued, same

# ---------------------------------------------------------------------------
# Proof objects and the checker
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Rewrite:
    """One step ``before -> after``: lemma ``name`` instantiated with ``substitution``."""

    lemma: str
    substitution: dict[sympy.Symbol, sympy.Expr]
    after: sympy.Expr


@dataclass(frozen=True)
class Chain:
    """``start -> after_1 -> ... -> after_m`` by rewrites."""

    start: sympy.Expr
    rewrites: tuple[Rewrite, ...] = ()

    @property
    def end(self) -> sympy.Expr:
        return self.rewrites[-1].after if self.rewrites else self.start


@dataclass(frozen=True)
class Split:
    """Two cases: ``on >= 0`` and ``on <= 0`` (they cover every integer point)."""

    on: sympy.Expr
    nonnegative: ParametricProof
    nonpositive: ParametricProof


@dataclass(frozen=True)
class ParametricProof:
    """A proof that ``lhs = rhs`` whenever every assumption is ``>= 0``.

    Either two rewrite chains meeting in one normal form (``left`` from ``lhs``,
    ``right`` from ``rhs``), or a :class:`Split` into two cases.
    """

    lhs: sympy.Expr
    rhs: sympy.Expr
    assumptions: tuple[sympy.Expr, ...]
    left: Chain | None = None
    right: Chain | None = None
    split: Split | None = None
    title: str = ""
    notes: tuple[str, ...] = field(default=())

    def check(self) -> bool:
        """Re-verify every step: lemma instance, preconditions, the meeting point."""
        return check_proof(self)

    def lemmas(self) -> list[str]:
        """The lemmas used, in order of first use."""
        names: list[str] = []
        for chain in self._chains():
            names += [r.lemma for r in chain.rewrites]
        if self.split is not None:
            names += self.split.nonnegative.lemmas() + self.split.nonpositive.lemmas()
        return list(dict.fromkeys(names))

    def _chains(self) -> list[Chain]:
        return [c for c in (self.left, self.right) if c is not None]

    def steps(self) -> list[Step]:
        """The proof as Steps: assumptions, lemma chain (``aligned``), lemmas used."""
        return proof_steps(self)



def _occurrences(expr: sympy.Expr, target: sympy.Expr) -> list[sympy.Expr]:
    if expr.has(target):
        return [target]
    wanted = canon(target)
    return [node for node in sympy.preorder_traversal(expr)
            if isinstance(node, sympy.Basic) and not node.is_Atom
            and type(node) is type(wanted) and sympy.expand(canon(node) - wanted) == 0]


def check_rewrite(before: sympy.Expr, step: Rewrite, assumptions: Sequence[sympy.Expr]
                  ) -> str | None:
    """Why ``step`` is not a valid rewrite of ``before`` (None when it is).

    Examples
    --------
    >>> from symconv.prover.normal_form import A, B, T, n, s
    >>> good = Rewrite("floor-shift", {A: n - 1, B: 1, T: s}, sympy.floor((n - 1)/s) + 1)
    >>> check_rewrite(sympy.floor((n + s - 1)/s), good, [n - 1, s - 1]) is None
    True
    >>> check_rewrite(sympy.floor((n + s - 1)/s), good, [n - 1])
    'precondition s - 1 >= 0 of floor-shift is not implied by the assumptions'

    Each distinct question (the expression, the lemma (its name and statement), its
    substitution, the result and the assumptions, each with its type) is checked once
    per process: the search checks
    every step it takes and the proof's checker re-asks the same questions.

    >>> wrong = Rewrite("floor-shift", {A: n - 1, B: 1, T: s}, sympy.floor((n - 1)/s))
    >>> check_rewrite(sympy.floor((n + s - 1)/s), wrong, [n - 1, s - 1]) is None
    False
    """
    try:
        key = (_typed(before), step.lemma, LEMMAS.get(step.lemma),
               frozenset((v, _typed(e)) for v, e in step.substitution.items()),
               _typed(step.after), tuple(_typed(a) for a in assumptions))
        hash(key)
    except TypeError:  # an unhashable part: asked afresh
        return _check_rewrite(before, step, assumptions)
    found = _CHECKED_REWRITES.get(key, _UNASKED)
    if found is _UNASKED:
        found = _CHECKED_REWRITES[key] = _check_rewrite(before, step, assumptions)
    return found


def _typed(expr: object) -> tuple[type, object]:
    """``expr`` with its type: ``2`` and ``Integer(2)`` are equal keys, not one question."""
    return type(expr), expr


#: Each rewrite question asked in this process and its answer (None: the step checks).
_CHECKED_REWRITES: dict[tuple, str | None] = {}
_UNASKED = object()


def _check_rewrite(before: sympy.Expr, step: Rewrite, assumptions: Sequence[sympy.Expr]
                   ) -> str | None:
    lemma = LEMMAS.get(step.lemma)
    if lemma is None:
        return f"unknown lemma {step.lemma!r}"
    if set(step.substitution) != set(lemma.variables):
        return f"{lemma.name} needs a value for each of {[v.name for v in lemma.variables]}"
    sigma = step.substitution
    for var in lemma.integers:
        if not is_integer_valued(sigma[var]):
            return f"{var} = {sigma[var]} is not integer-valued in {lemma.name}"
    for cond in lemma.conditions:
        goal = cond.xreplace(sigma)
        if not implied(goal, assumptions):
            return (f"precondition {goal} >= 0 of {lemma.name} is not implied by the "
                    "assumptions")
    lhs, rhs = lemma.lhs.xreplace(sigma), lemma.rhs.xreplace(sigma)
    found = _occurrences(before, lhs)
    if not found:
        return f"{lhs} does not occur in {before}"
    replaced = before.xreplace({found[0]: rhs})
    if not same(replaced, step.after):
        return f"replacing {lhs} by {rhs} in {before} gives {replaced}, not {step.after}"
    if not denominators_nonzero(step.after, assumptions):
        return f"a divisor of {step.after} is not proved non-zero"
    return None


def _check_chain(chain: Chain, assumptions: Sequence[sympy.Expr]) -> str | None:
    current = chain.start
    for step in chain.rewrites:
        problem = check_rewrite(current, step, assumptions)
        if problem:
            return problem
        current = step.after
    return None


def proof_problem(proof: ParametricProof) -> str | None:
    """The first reason ``proof`` does not check (None when every step does)."""
    hyps = list(proof.assumptions)
    for side in (proof.lhs, proof.rhs):
        if not denominators_nonzero(side, hyps):
            return f"a divisor of {side} is not proved non-zero"
    if proof.split is not None:
        cases = proof.split
        if not (same(cases.nonnegative.lhs, proof.lhs) and same(cases.nonnegative.rhs, proof.rhs)
                and same(cases.nonpositive.lhs, proof.lhs)
                and same(cases.nonpositive.rhs, proof.rhs)):
            return "a case proves a different claim"
        if not (set(hyps + [cases.on]) <= set(cases.nonnegative.assumptions)
                and set(hyps + [-cases.on]) >= set() and
                set(hyps + [-cases.on]) <= set(cases.nonpositive.assumptions)):
            return "a case assumes more than its case hypothesis"
        if (len(cases.nonnegative.assumptions) != len(hyps) + 1
                or len(cases.nonpositive.assumptions) != len(hyps) + 1):
            return "a case assumes more than its case hypothesis"
        return proof_problem(cases.nonnegative) or proof_problem(cases.nonpositive)
    if proof.left is None or proof.right is None:
        return "no chains"
    if not (same(proof.left.start, proof.lhs) and same(proof.right.start, proof.rhs)):
        return "the chains do not start at the two sides of the claim"
    problem = _check_chain(proof.left, hyps) or _check_chain(proof.right, hyps)
    if problem:
        return problem
    if not same(proof.left.end, proof.right.end):
        return f"the chains end in different normal forms: {proof.left.end} vs {proof.right.end}"
    return None


def check_proof(proof: ParametricProof) -> bool:
    """Re-verify a parametric proof: the lemmas it uses and the discharger's facts hold on
    their boxes, every step checks, and the second judge (:mod:`symconv.prover.judge`, an SMT
    solver) certifies the claim; a counterexample from that judge raises
    :class:`symconv.prover.judge.CertificateDisagreement`."""
    for name in (*proof.lemmas(), *DISCHARGE_FACTS):
        verify(name)
    if proof_problem(proof) is not None:
        return False
    return second_judge(proof.lhs, proof.rhs, proof.assumptions).certified


# ---------------------------------------------------------------------------
# Rendering: a chain on the board
# ---------------------------------------------------------------------------

def _sub_text(sigma: dict[sympy.Symbol, sympy.Expr]) -> str:
    return ", ".join(f"${sympy.latex(v)} = {sympy.latex(e)}$"
                     for v, e in sorted(sigma.items(), key=lambda ve: ve[0].name))


def chain_math(proof: ParametricProof) -> Math:
    r"""The two chains as one ``\begin{aligned}`` display ``lhs = ... = rhs``."""
    left, right = proof.left, proof.right
    rows = [(left.start, "")] + [(r.after, r.lemma) for r in left.rewrites]
    back = [right.start] + [r.after for r in right.rewrites]
    names = [r.lemma for r in right.rewrites]
    for i in range(len(back) - 2, -1, -1):
        rows.append((back[i], names[i]))
    if len(rows) == 1 or rows[-1][0] != proof.rhs:
        rows.append((proof.rhs, ""))
    first, *rest = rows
    lines = [sympy.latex(first[0]) + " &= " + sympy.latex(rest[0][0]) + _tag(rest[0][1])]
    lines += ["&= " + sympy.latex(e) + _tag(name) for e, name in rest[1:]]
    plain = [str(first[0])] + [f"= {e}" + (f"   [{name}]" if name else "") for e, name in rest]
    return Math(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}",
                "\n".join(plain))


def _tag(name: str) -> str:
    return r" && \text{(" + name + ")}" if name else ""


def _assumption_text(assumptions: Sequence[sympy.Expr]) -> str:
    return ", ".join(f"${sympy.latex(a)} \\ge 0$" for a in assumptions) or "none"


def proof_steps(proof: ParametricProof, depth: int = 0) -> list[Step]:
    """Steps a teacher would write: the claim, the chain (or the cases), the lemmas used."""
    claim = Math(f"{sympy.latex(proof.lhs)} = {sympy.latex(proof.rhs)}",
                 f"{proof.lhs} = {proof.rhs}")
    steps = []
    if depth == 0:
        steps.append(Step(proof.title or "Claim for all sizes",
                          f"For all integers with {_assumption_text(proof.assumptions)}:",
                          (claim,)))
    if proof.split is not None:
        on = proof.split.on
        for case, hyp in ((proof.split.nonnegative, on), (proof.split.nonpositive, -on)):
            steps.append(Step(f"Case ${sympy.latex(hyp)} \\ge 0$",
                              "The two cases cover every integer point."))
            steps += proof_steps(case, depth + 1)
    else:
        used = [r for r in proof.left.rewrites + proof.right.rewrites]
        detail = "; ".join(f"{r.lemma} with {_sub_text(r.substitution)}" for r in used)
        steps.append(Step("Chain", "Each step is a named lemma, its preconditions implied by "
                          f"the assumptions. Substitutions: {detail or 'none needed'}.",
                          (chain_math(proof),)))
    if depth == 0:
        steps += [LEMMAS[name].step() for name in proof.lemmas()]
        steps.append(judges_step(certify_claim(proof.lhs, proof.rhs, proof.assumptions),
                                 tuple(proof.lemmas())))
        steps += [Step("Note", note) for note in proof.notes]
    return steps


def titled(proof: ParametricProof | None, title: str, *notes: str) -> ParametricProof | None:
    if proof is None:
        return None
    return ParametricProof(proof.lhs, proof.rhs, proof.assumptions, proof.left, proof.right,
                           proof.split, title, tuple(notes))

