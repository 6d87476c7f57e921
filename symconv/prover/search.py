"""The proof search: rewrite both sides of a claim to one normal form, splitting on an
undecided max or min."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sympy

from .budget import BUDGET, MAX_SPLITS, MAX_STEPS, ProofBudgetExceeded, bounded_search
from .implication import denominators_nonzero, implied
from .lemmas import LEMMAS
from .normal_form import (
    OPAQUE,
    A,
    B,
    C,
    Iverson,
    M,
    Q,
    T,
    Windows,
    X,
    Y,
    as_fraction,
    canon,
    is_integer_valued,
    same,
    split_multiples,
)
from .proofs import Chain, ParametricProof, Rewrite, Split, check_rewrite, proof_problem


def _common_terms(x: sympy.Expr, y: sympy.Expr) -> sympy.Expr:
    """Terms both sums share, and the smaller of their integer constants if both have one."""
    tx, ty = sympy.Add.make_args(canon(x)), set(sympy.Add.make_args(canon(y)))
    common = [t for t in tx if t in ty and not t.is_Integer]
    cx, cy = canon(x).as_coeff_Add()[0], canon(y).as_coeff_Add()[0]
    if cx.is_Integer and cy.is_Integer and cx != 0 and cy != 0:
        common.append(min(cx, cy))
    return sympy.Add(*common)


class _Prover:
    def __init__(self, assumptions: Sequence[sympy.Expr]) -> None:
        self.hyps = list(assumptions)
        self.undecided: list[sympy.Expr] = []

    def rule(self, node: sympy.Expr) -> tuple[str, dict] | None:
        """The rewrite to apply at ``node``, or None."""
        if isinstance(node, sympy.Mod):
            return "mod-definition", {A: node.args[0], T: node.args[1]}
        if isinstance(node, sympy.Abs):
            return "abs-definition", {X: node.args[0]}
        if isinstance(node, sympy.ceiling):
            num, den = as_fraction(node.args[0])
            return "ceil-to-floor", {A: num, T: den}
        if isinstance(node, sympy.floor):
            return self.floor_rule(node)
        if isinstance(node, Windows):
            return "window-count", {M: node.args[0], T: node.args[1]}
        if isinstance(node, Iverson):
            return self.indicator_rule(node)
        if isinstance(node, (sympy.Max, sympy.Min)) and len(node.args) == 2:
            return self.choice_rule(node)
        return None

    def floor_rule(self, node: sympy.Expr) -> tuple[str, dict] | None:
        num, den = as_fraction(node.args[0])
        if den == 1 or as_fraction(node.args[0] / den)[1] == 1 and den.is_Integer is False:
            if is_integer_valued(num):
                return "floor-exact", {B: num, T: sympy.Integer(1)}
        inner = num.args if isinstance(num, sympy.Mul) else (num,)
        if num.is_Add is False and len(inner) == 1 and isinstance(num, sympy.floor):
            a, b = as_fraction(num.args[0])
            return "floor-floor", {A: a, B: b, C: den}
        for choice, name in ((sympy.Min, "floor-min"), (sympy.Max, "floor-max")):
            inside = [t for t in sympy.Add.make_args(num) if isinstance(t, choice)]
            if len(inside) == 1 and len(inside[0].args) == 2:
                x, y = inside[0].args
                return name, {A: x, B: y, C: num - inside[0], T: den}
        rest, quotient = split_multiples(num, den)
        if quotient != 0:
            return "floor-shift", {A: rest, B: quotient, T: den}
        return None

    def indicator_rule(self, node: sympy.Expr) -> tuple[str, dict] | None:
        """``[s*ceil(a/s) - b >= 0]`` (the drop rule), when its argument has that shape."""
        x = canon(node.args[0])
        for atom in sympy.preorder_traversal(x):
            if not isinstance(atom, sympy.ceiling):
                continue
            a, t = as_fraction(atom.args[0])
            if x.coeff(atom) == t and not canon(x - t * atom).has(atom):
                return "drop-indicator", {A: a, B: canon(t * atom - x), T: t}
        return None

    def choice_rule(self, node: sympy.Expr) -> tuple[str, dict] | None:
        x, y = node.args
        name = "max" if isinstance(node, sympy.Max) else "min"
        sign = 1 if name == "max" else -1
        if implied(sign * (x - y), self.hyps):
            return f"{name}-left", {X: x, Y: y}
        if implied(sign * (y - x), self.hyps):
            return f"{name}-left", {X: y, Y: x}
        common = _common_terms(x, y)
        if common != 0:
            return f"{name}-shift", {X: x - common, Y: y - common, C: common}
        self.undecided.append(x - y)
        return None

    def normalise(self, expr: sympy.Expr) -> Chain:
        current, rewrites = expr, []
        for _ in range(MAX_STEPS):
            BUDGET.spend()
            step = self.next_rewrite(current)
            if step is None:
                break
            rewrites.append(step)
            current = step.after
        return Chain(expr, tuple(rewrites))

    def next_rewrite(self, expr: sympy.Expr) -> Rewrite | None:
        inner = {sub for node in sympy.preorder_traversal(expr)
                 if isinstance(node, (sympy.floor, Windows))
                 for sub in sympy.preorder_traversal(node.args[0])}
        nodes = sorted(sympy.postorder_traversal(expr), key=lambda e: not isinstance(e, Iverson))
        for node in nodes:  # an indicator first, before its ceiling is normalised away
            if not isinstance(node, OPAQUE):
                continue
            found = self.rule(node)
            if found is None:
                continue
            name, sigma = found
            if name.endswith("-shift") and name != "floor-shift" and node in inner:
                continue
            lemma = LEMMAS[name]
            after = canon(expr.xreplace({node: lemma.rhs.xreplace(sigma)}))
            step = Rewrite(name, sigma, after)
            if check_rewrite(expr, step, self.hyps) is None:
                return step
        return None

    def close(self, left: Chain, right: Chain) -> tuple[Chain, Chain] | None:
        """Meet in one normal form, solving for one floor by its characterisation if needed."""
        if same(left.end, right.end):
            return left, right
        for chain, other in ((left, right), (right, left)):
            difference = canon(chain.end - other.end)
            for node in sympy.preorder_traversal(canon(chain.end)):
                if not isinstance(node, sympy.floor):
                    continue
                coeff = difference.coeff(node)
                if coeff not in (1, -1) or canon(difference - coeff * node).has(node):
                    continue
                BUDGET.spend()
                value = canon(node - difference / coeff)
                num, den = as_fraction(node.args[0])
                step = Rewrite("floor-characterisation", {A: num, T: den, Q: value},
                               canon(chain.end.xreplace({node: value})))
                if check_rewrite(chain.end, step, self.hyps) is None:
                    longer = Chain(chain.start, chain.rewrites + (step,))
                    if same(longer.end, other.end):
                        return (longer, other) if chain is left else (other, longer)
        return None


def prove_for_all(claim_lhs: sympy.Expr, claim_rhs: sympy.Expr,
                  assumptions: Sequence[sympy.Expr], splits: int = MAX_SPLITS
                  ) -> ParametricProof | None:
    """Prove ``claim_lhs = claim_rhs`` for every integer point where all assumptions are ``>= 0``.

    Parameters
    ----------
    claim_lhs, claim_rhs : sympy.Expr
        Expressions in the plain :data:`SYMBOLS` with ``+ - * /``, floor, ceiling,
        Mod, Max, Min, Abs and :class:`Windows`.
    assumptions : sequence of sympy.Expr
        Each means ``expression >= 0``; e.g. ``n - 1`` for ``n >= 1``.

    Returns
    -------
    ParametricProof or None
        A proof that :meth:`ParametricProof.check` re-verifies, or None when the
        prover finds none (the claim may still be true; it is then not proved).

    Examples
    --------
    >>> from symconv.prover.normal_form import Windows, d, k, n, p, s
    >>> proof = prove_for_all(sympy.floor((n + 2*p - d*(k - 1) - 1)/s) + 1,
    ...                       Windows(n + 2*p - d*(k - 1) - 1, s),
    ...                       [n - 1, k - 1, s - 1, d - 1, p, n + 2*p - d*(k - 1) - 1])
    >>> proof.lemmas()
    ['window-count']
    >>> prove_for_all(sympy.floor(n/2) * 2, n, [n - 1]) is None
    True
    """
    lhs, rhs = sympy.sympify(claim_lhs), sympy.sympify(claim_rhs)
    with bounded_search() as outermost:
        try:
            return _prove_for_all(lhs, rhs, tuple(sympy.sympify(a) for a in assumptions),
                                  splits)
        except ProofBudgetExceeded:
            if outermost:
                return None
            raise


@cache
def _prove_for_all(lhs: sympy.Expr, rhs: sympy.Expr, hyps: tuple[sympy.Expr, ...],
                   splits: int) -> ParametricProof | None:
    """:func:`prove_for_all`, searched once per claim (the search is a pure function)."""
    if not all(denominators_nonzero(side, hyps) for side in (lhs, rhs)):
        return None
    prover = _Prover(hyps)
    left, right = prover.normalise(lhs), prover.normalise(rhs)
    met = prover.close(left, right)
    if met is not None:
        proof = ParametricProof(lhs, rhs, hyps, met[0], met[1])
        return proof if proof_problem(proof) is None else None
    if splits <= 0 or not prover.undecided:
        return None
    on = canon(prover.undecided[0])
    yes = prove_for_all(lhs, rhs, hyps + (on,), splits - 1)
    no = prove_for_all(lhs, rhs, hyps + (-on,), splits - 1) if yes is not None else None
    if yes is None or no is None:
        return None
    proof = ParametricProof(lhs, rhs, hyps, split=Split(on, yes, no))
    return proof if proof_problem(proof) is None else None


