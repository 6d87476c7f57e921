"""Proofs for all sizes: a small rewriting prover for floor, ceil and mod over integers.

A claim ``lhs = rhs`` about integer variables (``n, k, s, p, d, ...``) under
explicit preconditions (a valid geometry: ``n >= 1``, ``s >= 1``, the dilated
kernel fits, ...) is proved by a chain of rewrites ``e0 -> e1 -> ... -> en``.
Each rewrite names a :class:`Lemma` and the substitution of its variables; the
checker re-verifies every step mechanically:

1. the instantiated left side of the lemma occurs in ``e_i`` (up to ring
   normalisation), and replacing it by the instantiated right side gives
   ``e_{i+1}`` (again up to ring normalisation, which is sound for ``+ - *``
   and for division by denominators proved non-zero);
2. every precondition of the lemma, instantiated, is implied by the
   assumptions: an integer-linear implication decided by Fourier--Motzkin
   elimination over the rationals, with products and floors as opaque atoms,
   division with remainder for every floor, and products bounded below from
   their factors' bounds. A precondition that cannot be discharged fails the
   proof; nothing is assumed;
3. the integer-valued arguments of a lemma are integer-valued (syntactically).

Both sides are rewritten to a normal form (mod and ceiling to floor, integer
multiples pulled out of floors, window counts to floors, decided max/min
removed, the pooling drop rule's Iverson bracket ``[s*ceil(a/s) >= b]`` turned into a
min); an undecided ``max``/``min`` splits the proof into two cases.

Every lemma is itself (1) stated with a short derivation from division with
remainder, and (2) checked on a finite box by :func:`verify_lemmas`.

Examples
--------
>>> n, s = SYMBOLS["n"], SYMBOLS["s"]
>>> proof = prove_for_all(sympy.ceiling(n / s), Windows(n - 1, s),
...                       [n - 1, s - 1])
>>> proof.check(), proof.lemmas()
(True, ['ceil-to-floor', 'floor-shift', 'window-count'])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import sympy

from .proof import Math, Step

#: Plain symbols (no SymPy assumptions): every fact comes from the stated assumptions.
NAMES = ("n", "k", "s", "p", "p_before", "p_after", "d", "op")
SYMBOLS = {name: sympy.Symbol(name) for name in NAMES}
n, k, s, p, pb, pa, d, op = (SYMBOLS[v] for v in NAMES)

#: Further integer variables of the theorems' claims (odd kernels, offsets, layer chains).
_EXTRA_NAMES = ("j", "r", "i", "m", "u", "v", "S", "P", "m'", "t")

MAX_STEPS = 60
MAX_CONSTRAINTS = 4000
MAX_SPLITS = 3
#: The budget of one proof search, in elementary steps (an implication asked, a floor or
#: product fact derived, a Fourier--Motzkin row formed). A search that uses it up gives
#: up: :func:`prove_for_all` returns None and :func:`implied` False (nothing is claimed);
#: inside :func:`formula_proof` the search raises :class:`ProofBudgetExceeded`.
PROOF_BUDGET = 20_000


class ProofBudgetExceeded(Exception):
    """A proof search used up :data:`PROOF_BUDGET` steps: undecided within budget."""


class _Budget:
    """The steps spent by the proof search under way (one search at a time)."""

    def __init__(self) -> None:
        self.depth = 0
        self.spent = 0

    def spend(self, steps: int = 1) -> None:
        self.spent += steps
        if self.depth and self.spent > PROOF_BUDGET:
            raise ProofBudgetExceeded(f"the proof search used up its budget of "
                                      f"{PROOF_BUDGET} steps")


_BUDGET = _Budget()


@contextmanager
def _search() -> Iterator[bool]:
    """One bounded proof search; yields True for the outermost (it owns the budget)."""
    outermost = _BUDGET.depth == 0
    if outermost:
        _BUDGET.spent = 0
    _BUDGET.depth += 1
    try:
        yield outermost
    finally:
        _BUDGET.depth -= 1


class Windows(sympy.Function):
    r"""``Windows(M, s)`` = #{i >= 0 integer : s*i <= M}, the number of window starts.

    It never evaluates itself: only the window-count lemma turns it into a floor.

    Examples
    --------
    >>> sympy.latex(Windows(n - 1, s))
    '\\#\\{ i \\ge 0 : s\\, i \\le n - 1 \\}'
    """

    nargs = 2

    def _latex(self, printer: Any) -> str:
        bound, step = self.args
        return (r"\#\{ i \ge 0 : " + printer._print(step) + r"\, i \le "
                + printer._print(bound) + r" \}")


class Iverson(sympy.Function):
    r"""``Iverson(x)`` = ``[x >= 0]``: 1 when ``x >= 0``, else 0 (an Iverson bracket).

    It never evaluates itself: only the drop-indicator lemma rewrites it.

    Examples
    --------
    >>> sympy.latex(Iverson(n - s))
    '\\left[\\, n - s \\ge 0 \\,\\right]'
    """

    nargs = 1

    def _latex(self, printer: Any) -> str:
        return r"\left[\, " + printer._print(self.args[0]) + r" \ge 0 \,\right]"


# ---------------------------------------------------------------------------
# Ring normalisation, integrality, denominators
# ---------------------------------------------------------------------------

_OPAQUE = (sympy.floor, sympy.ceiling, sympy.Mod, sympy.Max, sympy.Min, sympy.Abs, Windows,
           Iverson)


def canon(expr: sympy.Expr) -> sympy.Expr:
    """Ring normal form: polynomial expansion outside, cancelled fractions inside functions.

    Examples
    --------
    >>> canon(sympy.floor((2*n + 2*s) / (2*s)) * (s + 1))
    s*floor((n + s)/s) + floor((n + s)/s)
    """
    return _canon(sympy.sympify(expr))


@cache
def _canon(expr: sympy.Expr) -> sympy.Expr:
    if expr.is_Atom:
        return expr
    if isinstance(expr, _OPAQUE):
        return expr.func(*[sympy.cancel(canon(a)) for a in expr.args])
    return sympy.expand(expr.func(*[canon(a) for a in expr.args]), deep=False)


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """True when ``a`` and ``b`` have the same ring normal form."""
    return sympy.expand(canon(a) - canon(b)) == 0


def is_integer_valued(expr: sympy.Expr) -> bool:
    """Integer at every integer point: an integer polynomial in integer-valued atoms.

    Examples
    --------
    >>> is_integer_valued(sympy.floor(n / s) * s - 3), is_integer_valued(n / 2)
    (True, False)
    """
    expr = canon(expr)
    for term in sympy.Add.make_args(expr):
        coeff, factors = term.as_coeff_mul()
        if not coeff.is_Integer:
            return False
        for factor in factors:
            base, exp = factor.as_base_exp()
            if not (exp.is_Integer and exp >= 0 and _integer_atom(base)):
                return False
    return True


def _integer_atom(atom: sympy.Expr) -> bool:
    if atom.is_Symbol:
        return atom.name in NAMES or atom.name in _PATTERN_NAMES or atom.name in _EXTRA_NAMES
    if isinstance(atom, (sympy.floor, sympy.ceiling, Windows, Iverson)):
        return True
    if isinstance(atom, (sympy.Mod, sympy.Max, sympy.Min, sympy.Abs)):
        return all(is_integer_valued(a) for a in atom.args)
    return bool(atom.is_Integer)


def _denominators(expr: sympy.Expr) -> set[sympy.Expr]:
    found = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_negative:
            found.add(node.base)
        elif isinstance(node, sympy.Rational) and not node.is_Integer:
            continue
    return found


def denominators_nonzero(expr: sympy.Expr, assumptions: Sequence[sympy.Expr]) -> bool:
    """Every divisor in ``expr`` is an integer expression proved ``>= 1`` or ``<= -1``."""
    return all(is_integer_valued(b) and (implied(b - 1, assumptions)
                                         or implied(-b - 1, assumptions))
               for b in _denominators(expr))


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
        num, den = _fraction(e.args[0])
        if isinstance(e, sympy.ceiling):
            if is_integer_valued(num) and at_least_one(den):
                num = num + den - 1
            else:
                return -sympy.floor(-e.args[0])
        if at_least_one(den) and is_integer_valued(num):
            rest, quotient = _split_multiples(num, den)
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
    >>> fits = n + 2*p - d*(k - 1) - 1
    >>> implied(fits, [n - 1, k - 1, d - 1, p, n + 2*p - d*(k - 1) - 1])
    True
    >>> implied(n - k, [n - 1, k - 1])
    False
    """
    goal, hyps = sympy.sympify(goal), tuple(sympy.sympify(a) for a in assumptions)
    with _search() as outermost:
        try:
            return _implied(goal, hyps, depth)
        except ProofBudgetExceeded:
            if outermost:
                return False
            raise


@cache
def _implied(goal: sympy.Expr, assumptions: tuple[sympy.Expr, ...], depth: int) -> bool:
    """:func:`implied`, computed once per question (it is a pure function)."""
    _BUDGET.spend()
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
    num, den = _fraction(goal)
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
        _BUDGET.spend()
        atom = todo.pop()
        if atom in seen:
            continue
        seen.add(atom)
        num, den = _fraction(atom.args[0])
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
        _BUDGET.spend()
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
    while True:
        if any(len(r) == 1 and r[0][0] == one and r[0][1] < 0 for r in current if r):
            return True
        atoms = {m for r in current for m, _ in r if m != one}
        if not atoms:
            return False
        atom = min(atoms, key=lambda a: (_cost(current, a), sympy.default_sort_key(a)))
        current = _eliminate(current, atom)
        if len(current) > MAX_CONSTRAINTS:
            return False


def _cost(rows: set[tuple], atom: sympy.Expr) -> int:
    """How many rows eliminating ``atom`` adds: positive times negative occurrences."""
    signs = [dict(r).get(atom, 0) for r in rows]
    pos, neg = sum(1 for c in signs if c > 0), sum(1 for c in signs if c < 0)
    return pos * neg - pos - neg


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
    _BUDGET.spend(len(pos) * len(neg))
    for a, b in itertools.product(pos, neg):
        ca, cb = a[atom], -b[atom]
        combined: Linear = {}
        for m in set(a) | set(b):
            value = a.get(m, 0) * cb + b.get(m, 0) * ca
            if value != 0 and m != atom:
                combined[m] = value
        keep.add(_normalise(combined))
    return keep


# ---------------------------------------------------------------------------
# Lemmas
# ---------------------------------------------------------------------------

_PATTERN_NAMES = ("a", "b", "c", "q", "x", "y", "M", "t")
A, B, C, Q, X, Y, M, T = (sympy.Symbol(name) for name in _PATTERN_NAMES)
T = sympy.Symbol("s")  # the divisor is written s, as on the board (substitution is simultaneous)
floor, ceil = sympy.floor, sympy.ceiling

#: The box every lemma is checked on: |a|, |b|, |M|... <= BOX, 1 <= divisors <= DIVISORS.
BOX = 200
DIVISORS = 12
SMALL = 20


@dataclass(frozen=True)
class Lemma:
    """A rewrite ``lhs -> rhs`` valid whenever every ``condition >= 0``.

    ``integers`` must be integer-valued; ``divisors`` range over ``1..DIVISORS`` in
    the finite check and the others over ``-BOX..BOX`` (``small`` over ``-20..20``).
    """

    name: str
    lhs: sympy.Expr
    rhs: sympy.Expr
    conditions: tuple[sympy.Expr, ...]
    integers: tuple[sympy.Symbol, ...]
    divisors: tuple[sympy.Symbol, ...]
    derivation: str
    small: tuple[sympy.Symbol, ...] = ()

    @property
    def variables(self) -> tuple[sympy.Symbol, ...]:
        syms = (self.lhs.free_symbols | self.rhs.free_symbols
                | set().union(*(c.free_symbols for c in self.conditions)))
        return tuple(sorted(syms, key=lambda x: x.name))

    def statement_latex(self) -> str:
        conds = ",\\ ".join(f"{sympy.latex(c)} \\ge 0" for c in self.conditions)
        where = f"\\quad ({conds})" if conds else ""
        return f"{sympy.latex(self.lhs)} = {sympy.latex(self.rhs)}{where}"

    def statement(self) -> str:
        conds = ", ".join(f"{c} >= 0" for c in self.conditions)
        return f"{self.lhs} = {self.rhs}" + (f"  ({conds})" if conds else "")

    def step(self) -> Step:
        """The lemma with its derivation, as a :class:`Step`."""
        return Step(f"Lemma {self.name}", self.derivation,
                    (Math(self.statement_latex(), self.statement()),))


_DIV = ("Division with remainder: for integers $a$ and $s \\ge 1$ there are unique "
        "integers $q = \\lfloor a/s \\rfloor$ and $r = a - sq$ with $0 \\le r \\le s-1$. ")

LEMMAS: dict[str, Lemma] = {lemma.name: lemma for lemma in (
    Lemma("mod-definition", sympy.Mod(A, T), A - T * floor(A / T), (T - 1,), (A, T), (T,),
          _DIV + "Python's $a \\bmod s$ is that $r$: $a \\bmod s = a - s\\lfloor a/s\\rfloor$."),
    Lemma("ceil-to-floor", ceil(A / T), floor((A + T - 1) / T), (T - 1,), (A, T), (T,),
          _DIV + "If $r = 0$ both sides are $q$ (as $0 \\le s-1 < s$). If $r \\ge 1$ the "
          "ceiling is $q+1$ and $a + s - 1 = s(q+1) + (r-1)$ with $0 \\le r-1 < s$, so the "
          "floor is $q+1$ too."),
    Lemma("floor-shift", floor((A + B * T) / T), floor(A / T) + B, (T - 1,), (A, B, T), (T,),
          _DIV + "$a + bs = s(q + b) + r$ with the same $0 \\le r < s$; by uniqueness the "
          "quotient is $q + b$.", (B,)),
    Lemma("floor-exact", floor(B * T / T), B, (T - 1,), (B, T), (T,),
          "When $s \\mid a$, i.e. $a = bs$: $a = s\\cdot b + 0$ is division with remainder "
          "($r = 0$), so $\\lfloor a/s \\rfloor = a/s = b$.", (B,)),
    Lemma("floor-characterisation", floor(A / T), Q, (T - 1, A - T * Q, T * Q + T - 1 - A),
          (A, Q, T), (T,),
          _DIV + "If $sq \\le a \\le sq + s - 1$ then $r = a - sq$ satisfies $0 \\le r < s$; "
          "by uniqueness $\\lfloor a/s \\rfloor = q$.", (Q,)),
    Lemma("floor-floor", floor(floor(A / B) / C), floor(A / (B * C)), (B - 1, C - 1), (A, B, C),
          (B, C), "Write $a = bq + r$ ($0 \\le r < b$) and $q = cq' + r'$ ($0 \\le r' < c$). "
          "Then $a = bc\\,q' + (br' + r)$ with $0 \\le br' + r \\le b(c-1) + b - 1 = bc - 1$, "
          "so $\\lfloor a/(bc) \\rfloor = q' = \\lfloor \\lfloor a/b \\rfloor / c \\rfloor$."),
    Lemma("window-count", Windows(M, T), floor(M / T) + 1, (T - 1, M + T), (M, T), (T,),
          "For an integer $i \\ge 0$: $si \\le M \\iff i \\le M/s \\iff i \\le \\lfloor M/s "
          "\\rfloor$. So the window starts are $i = 0, 1, \\dots, \\lfloor M/s \\rfloor$, "
          "$\\lfloor M/s \\rfloor + 1$ of them; this count is $\\ge 0$ exactly when "
          "$\\lfloor M/s \\rfloor \\ge -1$, i.e. $M \\ge -s$ (division with remainder)."),
    Lemma("max-left", sympy.Max(X, Y), X, (X - Y,), (), (),
          "The larger of $x$ and $y$ is $x$ when $x \\ge y$."),
    Lemma("min-left", sympy.Min(X, Y), X, (Y - X,), (), (),
          "The smaller of $x$ and $y$ is $x$ when $x \\le y$."),
    Lemma("max-shift", sympy.Max(X + C, Y + C), sympy.Max(X, Y) + C, (), (), (),
          "Adding $c$ to both arguments preserves their order."),
    Lemma("min-shift", sympy.Min(X + C, Y + C), sympy.Min(X, Y) + C, (), (), (),
          "Adding $c$ to both arguments preserves their order."),
    Lemma("floor-min", floor((sympy.Min(A, B) + C) / T),
          sympy.Min(floor((A + C) / T), floor((B + C) / T)), (T - 1,), (A, B, C, T), (T,),
          "Adding $c$ preserves order and $x \\mapsto \\lfloor x/s \\rfloor$ is "
          "non-decreasing for $s \\ge 1$, so both map the smaller argument to the smaller "
          "value."),
    Lemma("floor-max", floor((sympy.Max(A, B) + C) / T),
          sympy.Max(floor((A + C) / T), floor((B + C) / T)), (T - 1,), (A, B, C, T), (T,),
          "Adding $c$ preserves order and $x \\mapsto \\lfloor x/s \\rfloor$ is "
          "non-decreasing for $s \\ge 1$, so both map the larger argument to the larger "
          "value."),
    Lemma("abs-definition", sympy.Abs(X), sympy.Max(X, -X), (), (), (),
          "$|x|$ is $x$ when $x \\ge 0$ and $-x$ otherwise: the larger of $x, -x$."),
    Lemma("halves", floor(A / 2), A - floor((A + 1) / 2), (), (A,), (),
          "Write $a = 2q + r$, $r \\in \\{0, 1\\}$: $\\lfloor (a+1)/2 \\rfloor = q + r$, and "
          "$q + (q + r) = a$."),
    Lemma("drop-indicator", Iverson(T * ceil(A / T) - B),
          ceil(A / T) + 1 - sympy.Min(ceil(A / T) + 1, ceil(B / T)), (T - 1, B - A), (A, B, T),
          (T,), "Let $c = \\lceil a/s \\rceil$ and $m = \\lceil b/s \\rceil$, the least "
          "integer with $sm \\ge b$ (division with remainder). As $a \\le b$ and the ceiling "
          "is non-decreasing, $c \\le m$. If $sc \\ge b$ then $c \\ge m$ (leastness), so "
          "$c = m$, $\\min(c+1, m) = c$ and the right side is $1$. Otherwise $c < m$, so "
          "$c + 1 \\le m$, $\\min(c + 1, m) = c + 1$ and the right side is $0$. For pooling, "
          "$a = n + 2p - d(k-1) - 1$ and $b = n + p$: $a \\le b$ is $p \\le d(k-1) + 1$, so "
          "at most one window can start in the right padding (it follows from $2p \\le k$).",
          (A, B)),
)}

#: Facts (not rewrites) the discharger, or a theorem's argument, uses, with their derivation;
#: checked by verify_lemmas.
FACTS = {
    "division-with-remainder": (_DIV + "So $0 \\le a - s\\lfloor a/s \\rfloor \\le s - 1$.",
                                r"0 \le a - s\lfloor a/s \rfloor \le s - 1\quad (s \ge 1)"),
    "floor-nonnegative": ("If $a \\ge 0$ then $s\\lfloor a/s\\rfloor \\ge a - s + 1 > -s$, so "
                          "$\\lfloor a/s \\rfloor > -1$.",
                          r"\lfloor a/s \rfloor \ge 0\quad (a \ge 0,\ s \ge 1)"),
    "product-bound": ("$(x - l_x)(y - l_y) \\ge 0$ when $x \\ge l_x \\ge 0$ and "
                      "$y \\ge l_y \\ge 0$.",
                      r"xy \ge l_x y + l_y x - l_x l_y"),
    "last-term-split": ("A sum (product) over $l \\le L + 1$ is the sum (product) over "
                        "$l \\le L$ plus (times) its last term; the empty sum is 0, the empty "
                        "product 1. So $r_L = 1 + \\sum_{l \\le L} d_l(k_l-1)S_{l-1}$, "
                        "$S_L = \\prod_{l \\le L} s_l$, $P_L = \\sum_{l \\le L} p_l S_{l-1}$ "
                        "are the solution of the recurrences from $r_0 = S_0 = 1$, $P_0 = 0$.",
                        r"r_{L+1} = r_L + d_{L+1}(k_{L+1}-1) S_L,\ S_{L+1} = S_L s_{L+1},\ "
                        r"P_{L+1} = P_L + p_{L+1} S_L"),
    "nonnegative-product-support": (
        "$(AB)_{ij} = \\sum_l A_{il} B_{lj}$. When every entry is $\\ge 0$ each term is "
        "$\\ge 0$, so the sum is $0$ exactly when every term is, and a term is nonzero "
        "exactly when both of its factors are: no cancellation. By induction on $L$, entry "
        "$(o, j)$ of a product $C_L \\cdots C_1$ of non-negative matrices is nonzero exactly "
        "when there is a path $o = j_L, j_{L-1}, \\dots, j_0 = j$ with every "
        "$(C_l)_{j_l j_{l-1}} \\ne 0$.",
        r"(AB)_{ij} \ne 0 \iff \exists l:\ A_{il} \ne 0 \wedge B_{lj} \ne 0"
        r"\quad (A, B \ge 0)"),
    "product-of-nonnegatives": (
        "If $a \\ge 0$ and $b \\ge 0$ then $ab \\ge 0$ (a sum of $b$ copies of $a$). The "
        "index-set proofs use it for two bounds at a time, e.g. $s - 1 \\ge 0$ and "
        "$n - 1 - i \\ge 0$ give $s(n - 1 - i) \\ge n - 1 - i \\ge 0$.",
        r"ab \ge 0\quad (a \ge 0,\ b \ge 0)"),
    "windows-monotone": (
        "The window starts $\\{i \\ge 0 : si \\le M'\\}$ are a subset of "
        "$\\{i \\ge 0 : si \\le M\\}$ when $M' \\le M$ (as $si \\le M' \\le M$), so "
        "there are no more of them: fewer pads never give more windows.",
        r"\#\{i \ge 0 : si \le M'\} \le \#\{i \ge 0 : si \le M\}\quad (M' \le M)"),
    "touching-intervals": (
        "Let $[a_m, b_m]$, $m = 0, \\dots, K-1$, be non-empty integer intervals with "
        "$a_0 \\le a_1 \\le \\dots$, $b_0 \\le b_1 \\le \\dots$ and "
        "$a_{m+1} \\le b_m + 1$. Every interval lies in $[a_0, b_{K-1}]$. Conversely take "
        "$a_0 \\le x \\le b_{K-1}$ and the least $m$ with $x \\le b_m$: if $m = 0$, "
        "$x \\in [a_0, b_0]$; otherwise $x \\ge b_{m-1} + 1 \\ge a_m$, so "
        "$x \\in [a_m, b_m]$. So the union is the whole interval $[a_0, b_{K-1}]$.",
        r"\bigcup_{m<K} [a_m, b_m] = [a_0, b_{K-1}]\quad (a_{m+1} \le b_m + 1)"),
}


# ---------------------------------------------------------------------------
# Exact evaluation on a box (for the finite checks of the lemmas)
# ---------------------------------------------------------------------------

def evaluate(expr: sympy.Expr, env: dict[sympy.Symbol, np.ndarray]) -> tuple[Any, Any]:
    """Exact value of ``expr`` at many integer points as ``(num, den)`` object arrays.

    ``Windows`` is counted one window start at a time (no floor involved).

    Examples
    --------
    >>> num, den = evaluate(Windows(M, T), {M: np.array([5, -1]), T: np.array([2, 3])})
    >>> (num // den).tolist()
    [3, 0]
    """
    if expr.is_Integer:
        return int(expr), 1
    if expr.is_Rational:
        return int(expr.p), int(expr.q)
    if expr.is_Symbol:
        return np.asarray(env[expr]).astype(object), 1
    args = [evaluate(a, env) for a in expr.args]
    if isinstance(expr, sympy.Add):
        num, den = args[0]
        for a, b in args[1:]:
            num, den = num * b + a * den, den * b
        return num, den
    if isinstance(expr, sympy.Mul):
        num, den = 1, 1
        for a, b in args:
            num, den = num * a, den * b
        return num, den
    if isinstance(expr, sympy.Pow):
        (a, b), e = args[0], int(expr.exp)
        a, b = (a, b) if e >= 0 else (b * _sign(a), a * _sign(a))
        return a ** abs(e), b ** abs(e)
    return _evaluate_function(expr, args)


def _sign(value: Any) -> Any:
    return np.where(np.asarray(value) < 0, -1, 1).astype(object)


def _evaluate_function(expr: sympy.Expr, args: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    if isinstance(expr, sympy.floor):
        return args[0][0] // args[0][1], 1
    if isinstance(expr, sympy.ceiling):
        return -((-args[0][0]) // args[0][1]), 1
    if isinstance(expr, sympy.Mod):
        (a, b), (c, e) = args
        return (a * e) % (c * b), b * e
    if isinstance(expr, sympy.Abs):
        return abs(args[0][0]), args[0][1]
    if isinstance(expr, (sympy.Max, sympy.Min)):
        num, den = args[0]
        for a, b in args[1:]:
            larger = np.asarray(a * den >= num * b, dtype=bool)
            take = larger if isinstance(expr, sympy.Max) else ~larger
            num, den = np.where(take, a, num), np.where(take, b, den)
        return num, den
    if isinstance(expr, Iverson):
        num, den = args[0]
        return np.asarray(np.where(np.asarray(num * den >= 0, dtype=bool), 1, 0),
                          dtype=object), 1
    if isinstance(expr, Windows):
        (bound, b1), (step, b2) = args
        bound, step = np.asarray(bound // b1), np.asarray(step // b2)
        largest = int(np.max(np.abs(bound), initial=0))
        count = sum((step * i <= bound).astype(int) for i in range(largest + 1))
        return np.asarray(count, dtype=object), 1
    raise ValueError(f"cannot evaluate {expr.func.__name__}")


def _box(lemma: Lemma) -> dict[sympy.Symbol, np.ndarray]:
    """Divisors in ``1..DIVISORS``; other variables in ``-BOX..BOX``, except ``small``
    ones and, with more than two, all but the first: ``-SMALL..SMALL`` (all of them in
    ``-SMALL/2..SMALL/2`` when there is a divisor too)."""
    others = [v for v in lemma.variables if v not in lemma.divisors]
    ranges = []
    for var in lemma.variables:
        if var in lemma.divisors:
            low, high = 1, DIVISORS
        elif len(others) > 2 and lemma.divisors:
            low, high = -SMALL // 2, SMALL // 2
        elif var in lemma.small or (len(others) > 2 and var != others[0]):
            low, high = -SMALL, SMALL
        else:
            low, high = -BOX, BOX
        ranges.append(np.arange(low, high + 1))
    grid = np.meshgrid(*ranges, indexing="ij")
    return {var: g.ravel() for var, g in zip(lemma.variables, grid)}


def check_lemma(lemma: Lemma) -> tuple[int, dict[str, int] | None]:
    """Check a lemma at every point of its box where its conditions hold.

    Returns the number of points checked and the first failing point, if any.

    Examples
    --------
    >>> check_lemma(LEMMAS["ceil-to-floor"])
    (4812, None)
    """
    env = _box(lemma)
    keep = np.ones(len(next(iter(env.values()))), dtype=bool)
    for cond in lemma.conditions:
        num, den = evaluate(cond, env)
        keep &= np.asarray(num * den >= 0, dtype=bool)
    env = {v: col[keep] for v, col in env.items()}
    (a, b), (c, e) = evaluate(lemma.lhs, env), evaluate(lemma.rhs, env)
    failing = np.flatnonzero(np.asarray(a * e != c * b, dtype=bool)
                             * np.ones(int(keep.sum()), dtype=bool))
    if len(failing):
        return int(keep.sum()), {v.name: int(col[failing[0]]) for v, col in env.items()}
    return int(keep.sum()), None


def _division_grid() -> tuple[np.ndarray, np.ndarray]:
    a, t = np.meshgrid(np.arange(-BOX, BOX + 1), np.arange(1, DIVISORS + 1), indexing="ij")
    return a.ravel(), t.ravel()


def _check_division_with_remainder() -> int:
    a, t = _division_grid()
    q = a // t
    _require_fact(np.all((a - t * q >= 0) & (a - t * q <= t - 1)), "division-with-remainder")
    return a.size


def _check_floor_nonnegative() -> int:
    a, t = _division_grid()
    _require_fact(np.all((a // t)[a >= 0] >= 0), "floor-nonnegative")
    return int((a >= 0).sum())


def _check_product_bound() -> int:
    x, y = np.meshgrid(np.arange(0, 60), np.arange(0, 60), indexing="ij")
    for lx, ly in itertools.product(range(4), range(4)):
        ok = (x >= lx) & (y >= ly)
        _require_fact(np.all((x * y >= lx * y + ly * x - lx * ly)[ok]), "product-bound")
    return 16 * x.size


def _check_product_of_nonnegatives() -> int:
    a, b = np.meshgrid(np.arange(-BOX, BOX + 1), np.arange(-BOX, BOX + 1), indexing="ij")
    both = (a >= 0) & (b >= 0)
    _require_fact(np.all((a * b)[both] >= 0), "product-of-nonnegatives")
    return int(both.sum())


def _require_fact(holds: Any, name: str) -> None:
    if not bool(holds):
        raise AssertionError(f"fact {name} fails on its box")


def _check_windows_monotone() -> int:
    """Windows(M', s) <= Windows(M, s), counted one start at a time, for every
    -SMALL <= M' <= M <= SMALL and 1 <= s <= DIVISORS."""
    bounds = np.arange(-SMALL, SMALL + 1)
    low, high, step = (g.ravel() for g in np.meshgrid(bounds, bounds,
                                                       np.arange(1, DIVISORS + 1),
                                                       indexing="ij"))
    keep = low <= high
    low, high, step = low[keep], high[keep], step[keep]
    count_low = evaluate(Windows(M, T), {M: low, T: step})[0]
    count_high = evaluate(Windows(M, T), {M: high, T: step})[0]
    _require_fact(np.all(count_low <= count_high), "windows-monotone")
    return int(keep.sum())


def _check_product_support() -> int:
    """The support of ``A @ B`` against the paths, for every pair of 0/1 matrices of shapes
    2x3 and 3x2, and every pair of 2x2 matrices with entries 0, 1, 2."""
    pairs = 0
    for shape_a, shape_b, values in (((2, 3), (3, 2), (0, 1)), ((3, 2), (2, 3), (0, 1)),
                                     ((2, 2), (2, 2), (0, 1, 2))):
        a_all = np.array(list(itertools.product(values, repeat=math.prod(shape_a))))
        b_all = np.array(list(itertools.product(values, repeat=math.prod(shape_b))))
        a_all, b_all = a_all.reshape(-1, *shape_a), b_all.reshape(-1, *shape_b)
        product = np.einsum("xil,ylj->xyij", a_all, b_all) != 0
        paths = np.einsum("xil,ylj->xyij", (a_all != 0).astype(int),
                          (b_all != 0).astype(int)) > 0
        _require_fact(np.array_equal(product, paths), "nonnegative-product-support")
        pairs += len(a_all) * len(b_all)
    return pairs


def _check_touching_intervals() -> int:
    """Every list of 1 to 3 integer intervals inside [0, 6] meeting the conditions: the union
    is [a_0, b_{K-1}]."""
    intervals = [(a, b) for a in range(7) for b in range(a, 7)]
    checked = 0
    for count in (1, 2, 3):
        for chain in itertools.product(intervals, repeat=count):
            if any(nxt[0] < cur[0] or nxt[1] < cur[1] or nxt[0] > cur[1] + 1
                   for cur, nxt in zip(chain, chain[1:])):
                continue
            union = set().union(*(range(a, b + 1) for a, b in chain))
            _require_fact(union == set(range(chain[0][0], chain[-1][1] + 1)),
                          "touching-intervals")
            checked += 1
    return checked


def _check_last_term_split() -> int:
    """The closed forms (sums and products written out) against the recurrences, for every
    chain of up to 3 layers with ``k <= 3``, ``s <= 3``, ``p <= 1``, ``d <= 2``."""
    layers = list(itertools.product(range(1, 4), range(1, 4), range(2), range(1, 3)))
    prod = math.prod
    chains = [c for length in (1, 2, 3) for c in itertools.product(layers, repeat=length)]
    for chain in chains:
        r, big_s, big_p = 1, 1, 0
        for kk, ss, pp, dd in chain:
            r, big_s, big_p = r + dd * (kk - 1) * big_s, big_s * ss, big_p + pp * big_s
        before = [prod(c[1] for c in chain[:i]) for i in range(len(chain))]
        closed = (1 + sum(c[3] * (c[0] - 1) * b for c, b in zip(chain, before)),
                  prod(c[1] for c in chain),
                  sum(c[2] * b for c, b in zip(chain, before)))
        _require_fact(closed == (r, big_s, big_p), "last-term-split")
    return len(chains)


#: How each fact is checked on its finite box (each returns the points checked).
_FACT_CHECKS = {
    "division-with-remainder": _check_division_with_remainder,
    "floor-nonnegative": _check_floor_nonnegative,
    "product-bound": _check_product_bound,
    "product-of-nonnegatives": _check_product_of_nonnegatives,
    "last-term-split": _check_last_term_split,
    "nonnegative-product-support": _check_product_support,
    "touching-intervals": _check_touching_intervals,
    "windows-monotone": _check_windows_monotone,
}
#: The facts every discharge of a precondition may use.
DISCHARGE_FACTS = ("division-with-remainder", "floor-nonnegative", "product-bound")


@cache
def verify(name: str) -> int:
    """Check one lemma or fact on its finite box (once per process); raise if it fails.

    Returns the number of points checked.

    Examples
    --------
    >>> verify("ceil-to-floor")
    4812
    """
    if name in LEMMAS:
        points, failure = check_lemma(LEMMAS[name])
        if failure is not None or points == 0:
            raise AssertionError(f"lemma {name} fails at {failure}")
        return points
    return _FACT_CHECKS[name]()


def verify_lemmas() -> dict[str, int]:
    """Check every lemma and fact on its finite box; raise if one fails.

    Returns
    -------
    dict
        Lemma or fact name -> number of points checked.

    Examples
    --------
    >>> table = verify_lemmas()
    >>> table["window-count"] > 1000 and len(table) == len(LEMMAS) + len(FACTS)
    True
    """
    return {name: verify(name) for name in (*LEMMAS, *FACTS)}


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
    >>> good = Rewrite("floor-shift", {A: n - 1, B: 1, T: s}, sympy.floor((n - 1)/s) + 1)
    >>> check_rewrite(sympy.floor((n + s - 1)/s), good, [n - 1, s - 1]) is None
    True
    >>> check_rewrite(sympy.floor((n + s - 1)/s), good, [n - 1])
    'precondition s - 1 >= 0 of floor-shift is not implied by the assumptions'
    """
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
    their boxes, every step checks, and the second judge (:mod:`symconv.certify`, an SMT
    solver) certifies the claim; a counterexample from that judge raises
    :class:`symconv.certify.CertificateDisagreement`."""
    for name in (*proof.lemmas(), *DISCHARGE_FACTS):
        verify(name)
    if proof_problem(proof) is not None:
        return False
    from .certify import second_judge

    return second_judge(proof.lhs, proof.rhs, proof.assumptions).certified


# ---------------------------------------------------------------------------
# The prover: rewrite both sides to a normal form
# ---------------------------------------------------------------------------

@cache
def _fraction(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    num, den = sympy.cancel(expr).as_numer_denom()
    return sympy.expand(num), sympy.expand(den)


def _split_multiples(num: sympy.Expr, den: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``num = rest + quotient*den`` taking the terms of ``num`` divisible by ``den``."""
    rest, quotient = sympy.Integer(0), sympy.Integer(0)
    for term in sympy.Add.make_args(num):
        if den.is_Integer:
            coeff, mono = term.as_coeff_Mul()
            if coeff.is_Integer:
                q, r = divmod(int(coeff), int(den))
                quotient += q * mono
                rest += r * mono
                continue
        ratio_num, ratio_den = sympy.fraction(sympy.cancel(term / den))
        if ratio_den == 1 and is_integer_valued(ratio_num):
            quotient += ratio_num
        else:
            rest += term
    return rest, quotient


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
            num, den = _fraction(node.args[0])
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
        num, den = _fraction(node.args[0])
        if den == 1 or _fraction(node.args[0] / den)[1] == 1 and den.is_Integer is False:
            if is_integer_valued(num):
                return "floor-exact", {B: num, T: sympy.Integer(1)}
        inner = num.args if isinstance(num, sympy.Mul) else (num,)
        if num.is_Add is False and len(inner) == 1 and isinstance(num, sympy.floor):
            a, b = _fraction(num.args[0])
            return "floor-floor", {A: a, B: b, C: den}
        for choice, name in ((sympy.Min, "floor-min"), (sympy.Max, "floor-max")):
            inside = [t for t in sympy.Add.make_args(num) if isinstance(t, choice)]
            if len(inside) == 1 and len(inside[0].args) == 2:
                x, y = inside[0].args
                return name, {A: x, B: y, C: num - inside[0], T: den}
        rest, quotient = _split_multiples(num, den)
        if quotient != 0:
            return "floor-shift", {A: rest, B: quotient, T: den}
        return None

    def indicator_rule(self, node: sympy.Expr) -> tuple[str, dict] | None:
        """``[s*ceil(a/s) - b >= 0]`` (the drop rule), when its argument has that shape."""
        x = canon(node.args[0])
        for atom in sympy.preorder_traversal(x):
            if not isinstance(atom, sympy.ceiling):
                continue
            a, t = _fraction(atom.args[0])
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
            _BUDGET.spend()
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
            if not isinstance(node, _OPAQUE):
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
                _BUDGET.spend()
                value = canon(node - difference / coeff)
                num, den = _fraction(node.args[0])
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
    >>> proof = prove_for_all(sympy.floor((n + 2*p - d*(k - 1) - 1)/s) + 1,
    ...                       Windows(n + 2*p - d*(k - 1) - 1, s),
    ...                       [n - 1, k - 1, s - 1, d - 1, p, n + 2*p - d*(k - 1) - 1])
    >>> proof.lemmas()
    ['window-count']
    >>> prove_for_all(sympy.floor(n/2) * 2, n, [n - 1]) is None
    True
    """
    lhs, rhs = sympy.sympify(claim_lhs), sympy.sympify(claim_rhs)
    with _search() as outermost:
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
        from .certify import certify_claim, judges_step

        steps.append(judges_step(certify_claim(proof.lhs, proof.rhs, proof.assumptions),
                                 tuple(proof.lemmas())))
        steps += [Step("Note", note) for note in proof.notes]
    return steps


def titled(proof: ParametricProof | None, title: str, *notes: str) -> ParametricProof | None:
    if proof is None:
        return None
    return ParametricProof(proof.lhs, proof.rhs, proof.assumptions, proof.left, proof.right,
                           proof.split, title, tuple(notes))


__all__ = ["A", "B", "C", "Chain", "FACTS", "Iverson", "LEMMAS", "Lemma", "M",
           "ParametricProof", "Q",
           "Rewrite", "SYMBOLS", "Split", "T", "Windows", "X", "Y", "canon", "check_lemma",
           "check_proof", "check_rewrite", "evaluate", "implied", "is_integer_valued",
           "proof_problem", "prove_for_all", "same", "verify", "verify_lemmas"]


# ---------------------------------------------------------------------------
# The counting family: each quantity's truth, proved equal to its closed form
# ---------------------------------------------------------------------------

SPAN = d * (k - 1)
POSITIVE_SIZES = (n - 1, k - 1, s - 1, d - 1)
TF_SAME_TOTAL = sympy.Max((ceil(n / s) - 1) * s + SPAN + 1 - n, 0)


@dataclass(frozen=True)
class Truth:
    """What a quantity is, as an expression (window counts or the framework's rule)."""

    expr: sympy.Expr
    meaning: str
    assumptions: tuple[sympy.Expr, ...]


def windows_truth(pads: sympy.Expr, extra: tuple[sympy.Expr, ...]) -> Truth:
    fits = n + pads - SPAN - 1
    return Truth(Windows(fits, s), "windows $i \\ge 0$ with $s\\,i + d(k-1) \\le n + "
                 f"{sympy.latex(pads)} - 1$ (the dilated window fits the padded input)",
                 POSITIVE_SIZES + extra + (fits,))


def _truths() -> dict[tuple[str, str], Truth]:
    torch = windows_truth(2 * p, (p,))
    pool = windows_truth(2 * p, (p, k - 2 * p))
    valid = windows_truth(sympy.Integer(0), ())
    ceil_pool = Truth(Windows(sympy.Min(n + 2 * p - SPAN - 2 + s, n + p - 1), s),
                      "windows $i \\ge 0$ with $s\\,i < n + 2p - d(k-1) - 1 + s$ (the fewest "
                      "covering the padded input) that start before the right padding, "
                      "$s\\,i < n + p$", pool.assumptions)
    same_out = Truth(Windows(n - 1, s), "window starts $i \\ge 0$ with $s\\,i \\le n - 1$",
                     (n - 1, s - 1))
    table = {("output_size", "torch"): torch,
             ("output_size", "jax"): windows_truth(pb + pa, (pb, pa)),
             ("pool_output_size", "torch"): pool,
             ("pool_output_size_ceil", "torch"): ceil_pool,
             ("same_output_size", "torch"): Truth(Windows(n - 1, 1), "window starts at "
                                                  "stride 1, $i \\le n - 1$", (n - 1,)),
             ("same_pad_total", "torch"): Truth(SPAN, "PyTorch's total $d(k-1)$", POSITIVE_SIZES),
             ("same_pad_before", "torch"): Truth(floor(SPAN / 2), "PyTorch's left pad "
                                                 "total // 2", POSITIVE_SIZES),
             ("same_pad_after", "torch"): Truth(SPAN - floor(SPAN / 2), "PyTorch's right "
                                                "pad, total - total // 2", POSITIVE_SIZES),
             ("transposed_output_size", "torch"): Truth(
                 (n - 1) * s - 2 * p + SPAN + op + 1, "PyTorch's ConvTranspose rule",
                 POSITIVE_SIZES + (p, op, sympy.Max(s, d) - 1 - op,
                              (n - 1) * s - 2 * p + SPAN + op)),
             ("transposed_output_size", "keras"): Truth(
                 n * s + sympy.Max(SPAN + 1 - s, 0), "keras' deconv_output_length", POSITIVE_SIZES)}
    keras_rule = "keras' deconv_output_length (tf.keras under TensorFlow)"
    table["transposed_output_size", "tensorflow"] = Truth(
        n * s + sympy.Max(SPAN + 1 - s, 0), keras_rule, POSITIVE_SIZES)
    for convention in ("tensorflow", "keras"):
        table["transposed_same_output_size", convention] = Truth(n * s, keras_rule,
                                                                 POSITIVE_SIZES)
    jax_shape = "JAX's _conv_transpose_padding({}) pads P, output $(n-1)s + 2 + P - (d(k-1)+1)$"
    table["transposed_output_size", "jax"] = Truth(
        (n - 1) * s + 2 + (SPAN + s - 1 + sympy.Max(SPAN + 1 - s, 0)) - (SPAN + 1),
        jax_shape.format("'VALID'"), POSITIVE_SIZES)
    table["transposed_same_output_size", "jax"] = Truth(
        (n - 1) * s + 2 + (SPAN + s - 1) - (SPAN + 1), jax_shape.format("'SAME'"),
        POSITIVE_SIZES)
    for convention in ("tensorflow", "keras"):
        table["output_size", convention] = valid
        table["pool_output_size", convention] = Truth(
            Windows(n - k, s), "windows $i \\ge 0$ with $s\\,i + k \\le n$", (n - 1, k - 1,
                                                                             s - 1, n - k))
    for convention in ("tensorflow", "keras", "jax"):
        rule = "TensorFlow's SAME rule (symconv.geometry.same_pads)"
        table["same_output_size", convention] = same_out
        table["same_pad_total", convention] = Truth(TF_SAME_TOTAL, rule, POSITIVE_SIZES)
        table["same_pad_before", convention] = Truth(floor(TF_SAME_TOTAL / 2), rule, POSITIVE_SIZES)
        table["same_pad_after", convention] = Truth(TF_SAME_TOTAL - floor(TF_SAME_TOTAL / 2), rule,
                                                    POSITIVE_SIZES)
    for convention in ("numpy", "scipy"):
        table["full_length", convention] = Truth(
            Windows(n + k - 2, 1), "shifts $t$ with $-(k-1) \\le t \\le n-1$, i.e. $i = t + "
            "k - 1$ from $0$ to $n + k - 2$", (n - 1, k - 1))
        table["valid_length", convention] = Truth(
            Windows(sympy.Max(n, k) - sympy.Min(n, k), 1), "shifts $i \\ge 0$ with $i + "
            "\\min(n,k) \\le \\max(n,k)$", (n - 1, k - 1))
    table["same_length", "numpy"] = Truth(sympy.Max(n, k), "numpy keeps the longer length",
                                          (n - 1, k - 1))
    table["same_length", "scipy"] = Truth(n, "scipy keeps the length of in1", (n - 1, k - 1))
    for convention in ("tensorflow", "keras"):
        table["macs", convention] = Truth(
            Windows(n - SPAN - 1, s) * k, "(windows) $\\times k$: without padding every "
            "(window, tap) pair reads a distinct real input (theorem mac-count's claims, "
            "proved for all sizes), so the nonzeros are all of them", valid.assumptions)
    for convention in ("torch", "tensorflow", "keras", "jax"):
        table["receptive_field", convention] = Truth(
            Windows(SPAN, 1), "input positions from the first tap to the last", POSITIVE_SIZES)
        table["params", convention] = Truth(k, "distinct kernel weights", (k - 1,))
    return table


TRUTHS = _truths()


def to_plain(expr: sympy.Expr) -> sympy.Expr:
    """A parsed formula (:mod:`symconv.formula` symbols) in this module's plain symbols."""
    return expr.xreplace({sym: SYMBOLS[sym.name] for sym in expr.free_symbols
                          if sym.name in SYMBOLS})


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
    from .counting_proofs import claims, theorem_proofs
    from .formula import parse_formula

    truth = TRUTHS.get((quantity, convention))
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


#: Quantities defined by a count, with the closed form a theorem proves for all sizes.
_COUNTED = {("macs", "tensorflow"): ("(floor((n - d*(k - 1) - 1)/s) + 1)*k", "mac-count"),
            ("macs", "keras"): ("(floor((n - d*(k - 1) - 1)/s) + 1)*k", "mac-count")}


#: Padding variables that, fixed to 0, make a padded convention the valid one.
_NO_PADDING = {"torch": {"p": 0}, "jax": {"p_before": 0, "p_after": 0}}


def specialised(quantity: str, convention: str, fixed: dict[str, int]) -> str:
    """The convention whose truth applies on the slice ``fixed``: a counted quantity of a
    padded convention with its padding fixed to 0 is that of the valid convention.

    Examples
    --------
    >>> specialised("macs", "torch", {"p": 0}), specialised("macs", "torch", {})
    ('tensorflow', 'torch')
    """
    zero = _NO_PADDING.get(convention)
    if ((quantity, convention) not in TRUTHS and (quantity, "tensorflow") in _COUNTED and zero
            and all(fixed.get(name) == value for name, value in zero.items())):
        return "tensorflow"
    return convention


def closed_form(quantity: str, convention: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """The closed form a quantity is checked against at large sizes: its definition, or for
    a counted quantity the form a theorem proves (with that theorem's name); None if none.

    Examples
    --------
    >>> closed_form("macs", "keras")[2], closed_form("macs", "torch")
    ('mac-count', None)
    """
    from .formula import QUANTITIES

    entry = QUANTITIES.get((quantity, convention))
    if entry is None:
        return None
    text, theorem = _COUNTED.get((quantity, convention), (entry.definition, None))
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
    >>> from symconv.formula import parse_formula
    >>> f = parse_formula("(n + 2*p - d*(k-1) - 1)//s + 1")
    >>> formula_proof(f, "output_size", "torch").check()
    True
    >>> trap = parse_formula("(n + 2*p - d*(k-1) - 1)//s + 1 + n//1001")
    >>> formula_proof(trap, "output_size", "torch") is None
    True
    """
    convention = specialised(quantity, convention, fixed or {})
    truth = TRUTHS.get((quantity, convention))
    definition = definition_proof(quantity, convention)
    if truth is None or definition is None or not definition.check():
        return None
    values = {SYMBOLS[name]: sympy.Integer(v) for name, v in (fixed or {}).items()}
    assumptions = [a.xreplace(values) for a in truth.assumptions]
    with _search():
        for divisor in divisors:
            d = to_plain(divisor).xreplace(values)
            if not (implied(d - 1, assumptions) or implied(-d - 1, assumptions)):
                return None
        proof = prove_for_all(to_plain(parsed).xreplace(values), truth.expr.xreplace(values),
                              assumptions)
    return titled(proof, f"Proof for all sizes: the formula is the {quantity} ({convention})",
                 f"The truth: {truth.meaning}.")
