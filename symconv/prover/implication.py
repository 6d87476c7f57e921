"""Integer-linear implication: Fourier--Motzkin elimination over linear forms in monomials,
with division with remainder for floors and bounds for products."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import cache
from typing import Any

import sympy

from .budget import BUDGET, MAX_CONSTRAINTS, ProofBudgetExceeded, bounded_search
from .normal_form import (
    SYMBOLS,
    as_fraction,
    canon,
    denominators,
    is_integer_valued,
    split_multiples,
)

# ---------------------------------------------------------------------------
# Discharging preconditions: Fourier--Motzkin over linear forms in monomials
# ---------------------------------------------------------------------------

Linear = dict[sympy.Expr, Fraction]   # monomial -> coefficient; key 1 is the constant


def _linear(expr: sympy.Expr) -> Linear:
    form: Linear = {}
    for term in sympy.Add.make_args(canon(expr)):
        coeff, rest = term.as_coeff_Mul()
        key = sympy.Integer(1) if rest == 1 else rest
        form[key] = form.get(key, Fraction(0)) + Fraction(int(coeff.p), int(coeff.q))
    return {m: c for m, c in form.items() if c != 0}


def _eliminate_functions(expr: sympy.Expr, positive: frozenset = frozenset()) -> sympy.Expr:
    """Mod, ceiling, Abs in terms of floor and max (the lemmas mod-definition,
    ceil-to-floor, abs-definition; ``ceiling(x) = -floor(-x)`` otherwise), and integer
    multiples of the divisor pulled out of every floor (floor-shift). ``positive``: the
    symbols known to be ``>= 1``."""
    def at_least_one(den: sympy.Expr) -> bool:
        coeff, factors = den.as_coeff_mul()
        return coeff.is_Integer and coeff >= 1 and all(f in positive for f in factors)

    def rewrite(e: sympy.Expr) -> sympy.Expr:
        if isinstance(e, sympy.Mod):
            return e.args[0] - e.args[1] * sympy.floor(e.args[0] / e.args[1])
        if isinstance(e, sympy.Abs):
            return sympy.Max(e.args[0], -e.args[0])
        num, den = as_fraction(e.args[0])
        if isinstance(e, sympy.ceiling):
            if is_integer_valued(num) and at_least_one(den):
                num = num + den - 1
            else:
                return -sympy.floor(-e.args[0])
        if at_least_one(den) and is_integer_valued(num):
            rest, quotient = split_multiples(num, den)
            return sympy.floor(rest / den) + quotient
        return sympy.floor(num / den) if isinstance(e, sympy.ceiling) else e

    kinds = (sympy.ceiling, sympy.Mod, sympy.Abs, sympy.floor)
    return sympy.sympify(expr).replace(lambda e: isinstance(e, kinds), rewrite)


def _first_choice(exprs: Iterable[sympy.Expr]) -> sympy.Expr | None:
    for expr in exprs:
        for node in sympy.preorder_traversal(expr):
            if isinstance(node, (sympy.Max, sympy.Min)):
                return node
    return None


def implied(goal: sympy.Expr, assumptions: Sequence[sympy.Expr], depth: int = 0) -> bool:
    """True when ``goal >= 0`` follows from ``a >= 0`` for every assumption ``a``.

    Sound, incomplete: integer goals are negated as ``goal <= -1``; max/min are
    split into cases; each ``floor(P/Q)`` (``Q >= 1``) contributes division with
    remainder ``0 <= P - Q*floor(P/Q) <= Q - 1`` and, when ``P >= 0``, ``floor >= 0``;
    products are bounded below from their factors' lower bounds; the rest is
    Fourier--Motzkin elimination over the rationals.

    Examples
    --------
    >>> from symconv.prover.normal_form import d, k, n, p, s
    >>> fits = n + 2*p - d*(k - 1) - 1
    >>> implied(fits, [n - 1, k - 1, d - 1, p, n + 2*p - d*(k - 1) - 1])
    True
    >>> implied(n - k, [n - 1, k - 1])
    False
    """
    goal, hyps = sympy.sympify(goal), tuple(sympy.sympify(a) for a in assumptions)
    with bounded_search() as outermost:
        try:
            return _implied(goal, hyps, depth)
        except ProofBudgetExceeded:
            if outermost:
                return False
            raise


@cache
def _implied(goal: sympy.Expr, assumptions: tuple[sympy.Expr, ...], depth: int) -> bool:
    """:func:`implied`, computed once per question (it is a pure function)."""
    BUDGET.spend()
    given = {canon(h) for h in assumptions}
    positive = frozenset(v for v in SYMBOLS.values() if canon(v - 1) in given)
    goal = _eliminate_functions(goal, positive)
    hyps = [_eliminate_functions(h, positive) for h in assumptions]
    choice = _first_choice([goal, *hyps])
    if choice is not None:
        return _implied_by_cases(choice, goal, hyps, depth)
    if not is_integer_valued(goal):
        return _implied_through_denominator(goal, assumptions, depth)
    negation = _linear(-goal - 1)
    rows = [_linear(h) for h in hyps] + [negation]
    rows += _floor_facts(rows, hyps, depth)
    rows += _product_facts(rows)
    return _infeasible(rows)


def _implied_through_denominator(goal: sympy.Expr, hyps: tuple[sympy.Expr, ...],
                                 depth: int) -> bool:
    """``P/Q >= 0`` from ``Q >= 1`` and ``P >= 0``, for integer-valued ``P`` and ``Q``."""
    num, den = as_fraction(goal)
    if den == 1 or not (is_integer_valued(num) and is_integer_valued(den)):
        return False
    return implied(den - 1, hyps, depth) and implied(num, hyps, depth)


def _implied_by_cases(choice: sympy.Expr, goal: sympy.Expr, hyps: list[sympy.Expr],
                      depth: int) -> bool:
    args = choice.args
    for i, arg in enumerate(args):
        sign = 1 if isinstance(choice, sympy.Max) else -1
        extra = [sign * (arg - other) for j, other in enumerate(args) if j != i]
        branch = [h.xreplace({choice: arg}) for h in hyps] + extra
        if not implied(goal.xreplace({choice: arg}), branch, depth):
            return False
    return True


def _atoms_of(rows: Iterable[Linear]) -> set[sympy.Expr]:
    atoms = set()
    for row in rows:
        for mono in row:
            for factor in sympy.Mul.make_args(mono):
                atoms.add(factor.as_base_exp()[0])
    return atoms


def _lower_bounds(rows: Iterable[Linear]) -> dict[sympy.Expr, Fraction]:
    """Bounds ``atom >= c`` read off single-atom rows."""
    bounds: dict[sympy.Expr, Fraction] = {}
    for row in rows:
        atoms = [m for m in row if m != 1]
        if len(atoms) == 1 and row[atoms[0]] > 0:
            value = -row.get(sympy.Integer(1), Fraction(0)) / row[atoms[0]]
            bounds[atoms[0]] = max(bounds.get(atoms[0], value), value)
    return bounds


def _floor_facts(rows: list[Linear], hyps: list[sympy.Expr], depth: int) -> list[Linear]:
    """Division with remainder for every floor atom, and floor >= 0 when its numerator is."""
    facts: list[Linear] = []
    seen: set[sympy.Expr] = set()
    todo = [a for a in _atoms_of(rows) if isinstance(a, sympy.floor)]
    bounds = _lower_bounds(rows)
    while todo:
        BUDGET.spend()
        atom = todo.pop()
        if atom in seen:
            continue
        seen.add(atom)
        num, den = as_fraction(atom.args[0])
        if not (is_integer_valued(num) and is_integer_valued(den) and _at_least_one(den, bounds)):
            continue
        new = [_linear(num - den * atom), _linear(den * atom - num + den - 1)]
        if depth < 1 and implied(num, hyps, depth + 1):
            new.append(_linear(atom))
        facts += new
        todo += [a for a in _atoms_of(new) if isinstance(a, sympy.floor)]
    return facts


def _at_least_one(den: sympy.Expr, bounds: dict[sympy.Expr, Fraction]) -> bool:
    """A product of integer constants >= 1 and atoms with lower bound >= 1."""
    coeff, factors = canon(den).as_coeff_mul()
    if not (coeff.is_Integer and coeff >= 1):
        return False
    return all(f.as_base_exp()[1].is_Integer and f.as_base_exp()[1] > 0
               and bounds.get(f.as_base_exp()[0], Fraction(0)) >= 1 for f in factors)


def _product_facts(rows: list[Linear]) -> list[Linear]:
    """``x*y >= lx*y + ly*x - lx*ly`` for every product monomial, from ``x >= lx >= 0``.

    Only monomials whose factors have positive integer exponents are products; a
    factor such as ``x**-1`` is an opaque atom (splitting it would never end).
    """
    bounds = _lower_bounds(rows)
    facts: list[Linear] = []
    monomials = {m for row in rows for m in row
                 if m != 1 and not _is_atom(m) and _is_product(m)}
    done: set[sympy.Expr] = set()
    while monomials:
        BUDGET.spend()
        mono = monomials.pop()
        if mono in done:
            continue
        done.add(mono)
        first, rest = _split_monomial(mono)
        low_first, low_rest = _monomial_bound(first, bounds), _monomial_bound(rest, bounds)
        if low_first is None or low_rest is None:
            continue
        facts.append(_linear(mono - low_rest * first - low_first * rest
                             + low_first * low_rest))
        facts.append(_linear(mono - low_first * low_rest))
        if not _is_atom(rest):
            monomials.add(rest)
    return facts


def _is_product(mono: sympy.Expr) -> bool:
    """Every factor a base to a positive integer power."""
    return all(e.is_Integer and e > 0
               for e in (f.as_base_exp()[1] for f in sympy.Mul.make_args(mono)))


def _is_atom(mono: sympy.Expr) -> bool:
    return len(sympy.Mul.make_args(mono)) == 1 and mono.as_base_exp()[1] == 1


def _split_monomial(mono: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    factors = sorted(sympy.Mul.make_args(mono), key=sympy.default_sort_key)
    base, exp = factors[0].as_base_exp()
    rest = sympy.Mul(*factors[1:]) * base ** (exp - 1)
    return base, rest


def _monomial_bound(mono: sympy.Expr, bounds: dict[sympy.Expr, Fraction]) -> Fraction | None:
    value = Fraction(1)
    for factor in sympy.Mul.make_args(mono):
        base, exp = factor.as_base_exp()
        low = bounds.get(base)
        if low is None or low < 0 or not (exp.is_Integer and exp > 0):
            return None
        value *= low ** int(exp)
    return value


def _infeasible(rows: list[Linear]) -> bool:
    """Fourier--Motzkin: True when ``row >= 0`` for all rows has no rational solution."""
    one = sympy.Integer(1)
    current = {_normalise(r) for r in rows}
    sort_keys: dict[sympy.Expr, Any] = {}  # each atom's tie-break, computed once
    while True:
        if any(len(r) == 1 and r[0][0] == one and r[0][1] < 0 for r in current if r):
            return True
        costs = _costs(current)
        costs.pop(one, None)
        if not costs:
            return False
        for a in costs.keys() - sort_keys.keys():
            sort_keys[a] = sympy.default_sort_key(a)
        atom = min(costs, key=lambda a: (costs[a], sort_keys[a]))
        current = _eliminate(current, atom)
        if len(current) > MAX_CONSTRAINTS:
            return False


def _costs(rows: set[tuple]) -> dict[sympy.Expr, int]:
    """For each atom of the rows, how many rows eliminating it adds: positive times
    negative occurrences, less the rows it removes."""
    pos: dict[sympy.Expr, int] = {}
    neg: dict[sympy.Expr, int] = {}
    for row in rows:
        for m, c in row:
            counts = pos if c > 0 else neg
            counts[m] = counts.get(m, 0) + 1
    return {m: pos.get(m, 0) * neg.get(m, 0) - pos.get(m, 0) - neg.get(m, 0)
            for m in pos.keys() | neg.keys()}


def _normalise(row: Linear) -> tuple:
    one = sympy.Integer(1)
    scale = max((abs(c) for m, c in row.items() if m != one), default=Fraction(1))
    return tuple(sorted(((m, c / scale) for m, c in row.items() if c != 0),
                        key=lambda mc: sympy.default_sort_key(mc[0])))


def _eliminate(rows: set[tuple], atom: sympy.Expr) -> set[tuple]:
    keep, pos, neg = set(), [], []
    for row in rows:
        c = dict(row).get(atom, 0)
        (keep.add(row) if c == 0 else (pos if c > 0 else neg).append(dict(row)))
    BUDGET.spend(len(pos) * len(neg))
    for a, b in itertools.product(pos, neg):
        ca, cb = a[atom], -b[atom]
        combined: Linear = {}
        for m in set(a) | set(b):
            value = a.get(m, 0) * cb + b.get(m, 0) * ca
            if value != 0 and m != atom:
                combined[m] = value
        keep.add(_normalise(combined))
    return keep


def denominators_nonzero(expr: sympy.Expr, assumptions: Sequence[sympy.Expr]) -> bool:
    """Every divisor in ``expr`` is an integer expression proved ``>= 1`` or ``<= -1``."""
    return all(is_integer_valued(b) and (implied(b - 1, assumptions)
                                         or implied(-b - 1, assumptions))
               for b in denominators(expr))
