"""Bijections of index sets: two sums are equal when their terms match one to one.

Entry ``(j, i)`` of a matrix whose entries are sums of kernel taps is a sum over an
*index set*: the integer points of a few affine equations and bounds in the summation
variables, with sizes and the entry ``(j, i)`` as parameters (:class:`IndexSet`). Two
such matrices are equal for **every** size when an explicit affine bijection maps the
index set of one onto the index set of the other and sends each term to the same
kernel tap. :func:`check_bijection` checks such a bijection mechanically:

1. *into*: every equation of the target, with the forward map substituted,
   vanishes on the source (ring normalisation after solving the source's
   equations for a unit-coefficient symbol), and every bound of the target is
   implied by the source's bounds and the context (Fourier--Motzkin, as in
   :func:`symconv.prover.implied`, with fact product-of-nonnegatives);
2. *back*: the same for the backward map from the target to the source;
3. *inverse*: backward after forward is the identity on the source, forward
   after backward the identity on the target (modulo their equations);
4. *terms*: the forward map sends each term to the same kernel tap;
5. *shape*: both matrices have the same numbers of rows and columns (each a
   claim proved by :func:`symconv.prover.prove_for_all`, often a ring identity).

Each check is also posed to the second judge (:mod:`symconv.prover.judge`, z3) as one SMT
query over the integers: "a point of the source set (its bounds, its equations, the
context) where some goal of the check fails" must be unsat. The bijection is proved
for all sizes only when both judges pass every check (:attr:`BijectionProof.certified`);
a check one judge passes and the other refutes is a bug
(:class:`~symconv.prover.judge.CertificateDisagreement`).

The module knows no operator: the index sets of symconv's operators and their bijections
are :mod:`symconv.theorems.index_proofs.forms`.

Examples
--------
>>> m, k, n = sympy.symbols("m k n")
>>> taps = IndexSet("A", (m,), ((ROW, COLUMN + m),), (m, k - 1 - m), m, n + k - 1, n, "taps")
>>> check_bijection(taps, taps, {m: m}, {m: m}, (k - 1,)).certified
True
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sympy

from ..proof import Math, Step
from .implication import implied
from .judge import certify_claim, certify_implication
from .normal_form import canon
from .search import prove_for_all
from .smt import Certificate, CertificateDisagreement

#: The entry (row j, column i) of a matrix given by index sets.
ROW, COLUMN = sympy.Symbol("j"), sympy.Symbol("i")


@dataclass(frozen=True)
class IndexSet:
    """The terms of entry ``(j, i)``: integer points where each equation ``left = right``
    holds and each bound is ``>= 0``."""

    name: str
    variables: tuple[sympy.Symbol, ...]
    sides: tuple[tuple[sympy.Expr, sympy.Expr], ...]
    bounds: tuple[sympy.Expr, ...]
    tap: sympy.Expr
    rows: sympy.Expr
    columns: sympy.Expr
    definition: str
    entry: str = "(j, i)"

    @property
    def equations(self) -> tuple[sympy.Expr, ...]:
        """Each equation as ``left - right`` (``== 0`` on the set)."""
        return tuple(left - right for left, right in self.sides)

    def latex(self) -> str:
        r"""The set as on the board, one line for its equations and one for its ranges:
        ``\{(m) : j = d m - p + s i,\ 0 \le m \le k - 1\}``, then its tap."""
        vars_ = ", ".join(sympy.latex(v) for v in self.variables)
        equations = ",\\ ".join(f"{sympy.latex(a)} = {sympy.latex(b)}" for a, b in self.sides)
        ranges, used = [], set()
        for v in self.variables:
            upper = next((b for b in self.bounds if _upper(b, v, self.variables) is not None), None)
            if v in self.bounds and upper is not None:
                ranges.append(f"0 \\le {sympy.latex(v)} \\le {sympy.latex(upper + v)}")
                used |= {v, upper}
        ranges += [f"{sympy.latex(b)} \\ge 0" for b in self.bounds if b not in used]
        return (f"\\begin{{aligned}} &\\{{({vars_}) :\\ {equations}, \\\\ &\\qquad "
                + ",\\ ".join(ranges) + f"\\}}\\quad \\text{{tap }} {sympy.latex(self.tap)}"
                "\\end{aligned}")

    def text(self) -> str:
        parts = [f"{a} = {b}" for a, b in self.sides] + [f"{b} >= 0" for b in self.bounds]
        return (f"{{({', '.join(map(str, self.variables))}) : {', '.join(parts)}}}, "
                f"tap {self.tap}")

    def taps(self, values: dict[str, int]) -> list[int]:
        """The kernel taps of entry ``(j, i)`` at concrete sizes (``values`` by symbol name),
        sorted: the entry is the sum of these kernel entries. Found by trying every point of
        the box the bounds ``v >= 0``, ``X - v >= 0`` give each variable.

        Examples
        --------
        >>> m, k, j, i = sympy.symbols("m k j i")
        >>> window = IndexSet("C", (m,), ((j, 2 * i + m),), (m, k - 1 - m), m, i, j, "taps")
        >>> window.taps({"k": 3, "j": 2, "i": 1})
        [0]
        """
        params, test, uppers = _compiled(self)
        env = [values[sym.name] for sym in params]
        highs = [min(int(upper(*env)) for upper in bounds) for bounds in uppers]
        count = len(self.equations)
        found = []
        for point in itertools.product(*(range(h + 1) for h in highs)):
            *conditions, tap = test(*point, *env)
            if all(c == 0 for c in conditions[:count]) and all(c >= 0 for c in conditions[count:]):
                found.append(int(tap))
        return sorted(found)


@cache
def _compiled(index_set: IndexSet) -> tuple[list[sympy.Symbol], Any, list[list[Any]]]:
    """The set's parameters, one function of (variables, parameters) giving its equations,
    bounds and tap, and per variable the functions of the parameters bounding it above."""
    exprs = [*index_set.equations, *index_set.bounds, index_set.tap]
    params = sorted(set().union(*(e.free_symbols for e in exprs)) - set(index_set.variables),
                    key=lambda sym: sym.name)
    test = sympy.lambdify([*index_set.variables, *params], exprs, "math")
    uppers = [[sympy.lambdify(params, _upper(b, v, index_set.variables), "math")
                for b in index_set.bounds
                if _upper(b, v, index_set.variables) is not None] for v in index_set.variables]
    return params, test, uppers


def _upper(bound: sympy.Expr, var: sympy.Symbol,
           variables: tuple[sympy.Symbol, ...]) -> sympy.Expr | None:
    """``X`` when ``bound`` is ``X - var`` with ``X`` free of the set's ``variables``."""
    rest = canon(bound + var)
    if canon(bound).coeff(var) == -1 and not rest.free_symbols & set(variables):
        return rest
    return None


@dataclass(frozen=True)
class Check:
    """One mechanical check of a bijection proof: whether the index-set checks passed it
    (``passed``) and the SMT judge's answers to the same goals (``certificates``)."""

    name: str
    passed: bool
    detail: str
    math: tuple[Math, ...] = ()
    certificates: tuple[Certificate, ...] = ()

    @property
    def certified(self) -> bool:
        """Both judges: passed here and every SMT query unsat."""
        return self.passed and bool(self.certificates) and all(
            c.certified for c in self.certificates)


@dataclass(frozen=True)
class BijectionProof:
    """``forward`` maps source points to target points, ``backward`` the other way."""

    source: IndexSet
    target: IndexSet
    forward: dict[sympy.Symbol, sympy.Expr]
    backward: dict[sympy.Symbol, sympy.Expr]
    checks: tuple[Check, ...]
    shape_steps: tuple[Step, ...] = ()

    @property
    def holds(self) -> bool:
        """Every check passed by the index-set checks (the first judge)."""
        return all(check.passed for check in self.checks)

    @property
    def certified(self) -> bool:
        """Every check passed by both judges: the index-set checks and the SMT solver."""
        return all(check.certified for check in self.checks)

    def certificates(self) -> list[tuple[str, Certificate]]:
        """Each SMT query with the check it belongs to, in order."""
        return [(check.name, c) for check in self.checks for c in check.certificates]

    def steps(self) -> list[Step]:
        """The proof as a teacher writes it: the two sets, the map, the checks."""
        def mapping(m: dict) -> Math:
            pairs = sorted(m.items(), key=lambda kv: kv[0].name)
            return Math(",\\ ".join(f"{sympy.latex(v)} = {sympy.latex(e)}" for v, e in pairs),
                        ", ".join(f"{v} = {e}" for v, e in pairs))

        sets = [Step(f"Index set of {x.name}", x.definition + f". Entry ${x.entry}$ is the "
                     "sum of the taps over:", (Math(x.latex(), x.text()),))
                for x in (self.source, self.target)]
        maps = [Step("The bijection", f"Forward (from {self.source.name} to "
                     f"{self.target.name}) and backward:",
                     (mapping(self.forward), mapping(self.backward)))]
        checks = [Step(f"Check: {c.name}", ("passed: " if c.passed else "FAILED: ") + c.detail,
                       c.math) for c in self.checks]
        return sets + maps + checks + list(self.shape_steps)


def product_closure(hyps: Sequence[sympy.Expr], factors: Sequence[sympy.Expr] | None = None
                    ) -> list[sympy.Expr]:
    """``hyps`` and every product of two of them, or of one of ``factors`` (themselves among
    the hypotheses) with any of them (fact product-of-nonnegatives).

    Examples
    --------
    >>> s, n = sympy.symbols("s n")
    >>> product_closure([s - 1, n - 1], factors=[s - 1])
    [s - 1, n - 1, s**2 - 2*s + 1, n*s - n - s + 1]
    """
    hyps = list(hyps)
    if factors is None:
        pairs = itertools.combinations_with_replacement(hyps, 2)
    else:
        pairs = ((a, b) for a in factors for b in hyps)
    return hyps + list(dict.fromkeys(canon(a * b) for a, b in pairs))


def _sizes_at_least_one(hyps: Sequence[sympy.Expr]) -> list[sympy.Expr]:
    """The hypotheses ``x - 1 >= 0`` for a size ``x`` (n, k, s, d): the usual factors."""
    return [h for h in hyps if (canon(h) + 1).is_Symbol]


def _reduce(expr: sympy.Expr, equations: Sequence[sympy.Expr],
            order: Sequence[sympy.Symbol]) -> sympy.Expr:
    """``expr`` on the set ``equations == 0``: each equation solved for the first symbol of
    ``order`` with coefficient +-1 in it, substituted everywhere after it."""
    expr, pending = canon(expr), [canon(e) for e in equations]
    while pending:
        eq = pending.pop(0)
        pivot = next((v for v in order if eq.coeff(v) in (1, -1)
                      and not canon(eq - eq.coeff(v) * v).has(v)), None)
        if pivot is None:
            continue
        value = canon(pivot - eq / eq.coeff(pivot))
        expr = canon(expr.xreplace({pivot: value}))
        pending = [canon(e.xreplace({pivot: value})) for e in pending]
    return expr


def _vanishes(expr: sympy.Expr, equations: Sequence[sympy.Expr],
              order: Sequence[sympy.Symbol]) -> bool:
    return _reduce(expr, equations, order) == 0


def _implied(goal: sympy.Expr, hyps: Sequence[sympy.Expr]) -> bool:
    """Linear first; then with products of a size (>= 1) and a hypothesis; then with every
    product of two hypotheses (each step adds only true facts, so each is sound)."""
    return (implied(goal, list(hyps))
            or implied(goal, product_closure(hyps, _sizes_at_least_one(hyps)))
            or implied(goal, product_closure(hyps)))


def _count(number: int, noun: str) -> str:
    """``$1$ equation``, ``$3$ equations``."""
    return f"${number}$ {noun}" + ("" if number == 1 else "s")


def _maps_into(source: IndexSet, target: IndexSet, f: dict, context: Sequence[sympy.Expr]
               ) -> tuple[bool, str]:
    order = (*source.variables, ROW, COLUMN)
    hyps = (*context, *source.bounds, *source.equations, *(-e for e in source.equations))
    failures = [str(e) for e in target.equations
                if not _vanishes(e.xreplace(f), source.equations, order)]
    failures += [f"{b} >= 0" for b in target.bounds if not _implied(b.xreplace(f), hyps)]
    text = (f"every equation and bound of {target.name}, with the map substituted, holds on "
            f"{source.name} ({_count(len(target.equations), 'equation')} reduced to $0$ on the "
            f"set, {_count(len(target.bounds), 'bound')} implied by its bounds and the "
            "geometry)")
    return not failures, text if not failures else f"{text}; not shown: {failures}"


def check_bijection(source: IndexSet, target: IndexSet, forward: dict, backward: dict,
                    context: Sequence[sympy.Expr]) -> BijectionProof:
    """Run the five checks (see the module docstring) and return the proof; ``context``
    holds the geometry and the entry range (each ``>= 0``).

    Examples
    --------
    >>> j, i, m, u, k, n = sympy.symbols("j i m u k n")
    >>> taps = IndexSet("A", (m,), ((j, i + m),), (m, k - 1 - m), m, n + k - 1, n, "taps")
    >>> flipped = IndexSet("B", (u,), ((j, i + k - 1 - u),), (u, k - 1 - u), k - 1 - u,
    ...                    n + k - 1, n, "flipped taps")
    >>> check_bijection(taps, flipped, {u: k - 1 - m}, {m: k - 1 - u}, (k - 1,)).holds
    True
    >>> proof = check_bijection(taps, flipped, {u: m}, {m: u}, (k - 1,))  # no flip
    >>> proof.holds, [c.name for c in proof.checks if not c.passed]
    (False, ['into', 'back', 'terms'])
    """
    into, into_text = _maps_into(source, target, forward, context)
    back, back_text = _maps_into(target, source, backward, context)
    s_order, t_order = (*source.variables, ROW, COLUMN), (*target.variables, ROW, COLUMN)
    there_and_back = all(_vanishes(canon(backward[v].xreplace(forward)) - v, source.equations,
                                   s_order) for v in source.variables)
    back_and_there = all(_vanishes(canon(forward[v].xreplace(backward)) - v, target.equations,
                                   t_order) for v in target.variables)
    terms = _vanishes(target.tap.xreplace(forward) - source.tap, source.equations, s_order)
    sizes = [(what, a, b, prove_for_all(a, b, context)) for what, a, b in
             (("rows", source.rows, target.rows), ("columns", source.columns, target.columns))]
    shape_text = "; ".join(
        f"{what}: " + ("not shown equal" if found is None else
                       "the same ring element" if not found.lemmas() else
                       "equal by " + ", ".join(found.lemmas()))
        for what, a, b, found in sizes) + " (source = target below)"
    shape_math = tuple(Math(f"\\text{{{what}: }} {sympy.latex(a)} = {sympy.latex(b)}",
                            f"{what}: {a} = {b}") for what, a, b, _ in sizes)
    mapped_tap = sympy.simplify(target.tap.xreplace(forward))
    shape_ok = all(found is not None and found.check() for *_, found in sizes)
    shape_steps = tuple(step for *_, found in sizes if found is not None and found.lemmas()
                        for step in found.steps())
    queries = _smt_queries(source, target, forward, backward, tuple(context))
    checks = (
        Check("into", into, into_text, (), queries["into"]),
        Check("back", back, back_text.replace("the map", "the backward map"), (),
              queries["back"]),
        Check("inverse", there_and_back and back_and_there, "backward after forward is the "
              "identity on the source's points, forward after backward on the target's "
              "(each reduces to the variable on its set)", (), queries["inverse"]),
        Check("terms", terms, "each term's kernel tap is sent to the same kernel entry",
              (Math(f"{sympy.latex(target.tap)} = {sympy.latex(mapped_tap)}\\quad"
                    f"\\text{{at }} {_assignment_latex(forward, target.tap)}",
                    f"{target.tap} = {mapped_tap} at {forward}"),), queries["terms"]),
        Check("shape", shape_ok, shape_text, shape_math,
              tuple(certify_claim(a, b, tuple(context)) for _, a, b, _ in sizes)),
    )
    for check in checks:
        refuted = [c for c in check.certificates if c.status == "sat"]
        if check.passed and refuted:
            raise CertificateDisagreement(
                f"the index-set checks pass check {check.name!r} of {source.name} -> "
                f"{target.name}, but {refuted[0].solver} finds the counterexample "
                f"{refuted[0].model} to {refuted[0].claim}: please report this bug")
    return BijectionProof(source, target, forward, backward, checks, shape_steps)


def _smt_queries(source: IndexSet, target: IndexSet, forward: dict, backward: dict,
                 context: tuple[sympy.Expr, ...]) -> dict[str, tuple[Certificate, ...]]:
    """The four point checks as SMT queries: on the points of one set (its bounds and the
    geometry ``>= 0``, its equations ``= 0``) the goals must hold.

    The image of a point is named, not substituted: the target's variables get fresh
    names ``f_v`` with the map's equations ``f_v = f_v(x)`` as hypotheses (the source's,
    ``b_v``, for the backward map), so the solver itself composes the maps. into: the
    target's bounds ``>= 0`` and equations ``= 0`` hold at ``y``; back: the same the
    other way; inverse: ``x' = b(f(x))`` is ``x`` on the source, ``y' = f(b(y))`` is ``y``
    on the target; terms: the tap at ``y`` is the tap at ``x``. The products of sizes and
    variables (``d m``, ``s i``) stay products: z3's nonlinear integer arithmetic decides
    these queries (each in a few hundredths of a second, measured)."""
    ys = {v: sympy.Symbol(f"f_{v.name}") for v in target.variables}  # not y, x: the signals
    xs = {v: sympy.Symbol(f"b_{v.name}") for v in source.variables}
    image = tuple(ys[v] - forward[v] for v in target.variables)  # y = f(x)
    preimage = tuple(xs[v] - backward[v] for v in source.variables)  # x = b(y)

    def on(index_set: IndexSet, maps: tuple, nonnegative: tuple = (), zero: tuple = ()
           ) -> Certificate:
        return certify_implication((*context, *index_set.bounds),
                                   (*index_set.equations, *maps),
                                   tuple(nonnegative), tuple(zero))

    def at(items: tuple[sympy.Expr, ...], names: dict) -> tuple[sympy.Expr, ...]:
        return tuple(e.xreplace(names) for e in items)

    return {
        "into": (on(source, image, at(target.bounds, ys), at(target.equations, ys)),),
        "back": (on(target, preimage, at(source.bounds, xs), at(source.equations, xs)),),
        "inverse": (on(source, (*image, *(xs[v] - backward[v].xreplace(ys)
                                          for v in source.variables)),
                       zero=tuple(xs[v] - v for v in source.variables)),
                    on(target, (*preimage, *(ys[v] - forward[v].xreplace(xs)
                                             for v in target.variables)),
                       zero=tuple(ys[v] - v for v in target.variables))),
        "terms": (on(source, image, zero=(target.tap.xreplace(ys) - source.tap,)),),
    }


def _assignment_latex(mapping: dict, expr: sympy.Expr) -> str:
    """``v = e`` for the mapped variables that occur in ``expr``."""
    return ",\\ ".join(f"{sympy.latex(v)} = {sympy.latex(e)}" for v, e in mapping.items()
                        if v in expr.free_symbols) or "(no variable)"


__all__ = ["BijectionProof", "COLUMN", "Check", "IndexSet", "ROW", "check_bijection",
           "product_closure"]
