"""Ring normal form of integer expressions: the variables, the opaque functions (window
counts, Iverson brackets), integrality and denominators."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import sympy

NAMES = ("n", "k", "s", "p", "p_before", "p_after", "d", "op")
SYMBOLS = {name: sympy.Symbol(name) for name in NAMES}
n, k, s, p, pb, pa, d, op = (SYMBOLS[v] for v in NAMES)

#: Further integer variables of the theorems' claims (odd kernels, offsets, layer chains).
_EXTRA_NAMES = ("j", "r", "i", "m", "u", "v", "S", "P", "m'", "t")

_PATTERN_NAMES = ("a", "b", "c", "q", "x", "y", "M", "t")
A, B, C, Q, X, Y, M, T = (sympy.Symbol(name) for name in _PATTERN_NAMES)
T = sympy.Symbol("s")  # the divisor is written s, as on the board (substitution is simultaneous)
floor, ceil = sympy.floor, sympy.ceiling


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

OPAQUE = (sympy.floor, sympy.ceiling, sympy.Mod, sympy.Max, sympy.Min, sympy.Abs, Windows,
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
    if isinstance(expr, OPAQUE):
        return expr.func(*[sympy.cancel(canon(a)) for a in expr.args])
    return sympy.expand(expr.func(*[canon(a) for a in expr.args]), deep=False)


@lru_cache(maxsize=None, typed=True)
def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """True when ``a`` and ``b`` have the same ring normal form (computed once per pair
    in a process: it is a pure function)."""
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


def denominators(expr: sympy.Expr) -> set[sympy.Expr]:
    found = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_negative:
            found.add(node.base)
        elif isinstance(node, sympy.Rational) and not node.is_Integer:
            continue
    return found



@cache
def as_fraction(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    num, den = sympy.cancel(expr).as_numer_denom()
    return sympy.expand(num), sympy.expand(den)


@lru_cache(maxsize=None, typed=True)
def split_multiples(num: sympy.Expr, den: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``num = rest + quotient*den`` taking the terms of ``num`` divisible by ``den``
    (computed once per pair in a process: it is a pure function)."""
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


