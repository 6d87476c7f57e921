"""SMT certificates and the translation of SymPy trees into z3 integer terms.

Every ``floor(N/D)`` gets an explicit quotient and remainder with their defining
constraints (never the solver's own ``div`` or ``mod``); every sub-expression is carried
as a pair (numerator, denominator) of integer terms. ``z3`` is imported lazily
(:func:`load_z3`); the judge that poses the queries is :mod:`symconv.prover.judge`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import sympy

BUDGET_SECONDS = 2.0

#: Largest integer exponent expanded into a product.
MAX_POWER = 8

STATUSES = ("unsat", "sat", "unknown")


class CertificateDisagreement(RuntimeError):
    """The rewriting prover and the SMT judge disagree: a bug report, never a verdict."""


class NotExpressible(Exception):
    """A SymPy node the translation does not cover."""


@dataclass(frozen=True)
class Certificate:
    """The answer of the SMT judge to the negation of one claim.

    ``status`` is ``"unsat"`` (certified: no counterexample exists), ``"sat"`` (``model``
    is a counterexample, as ints) or ``"unknown"`` (timeout, solver absent or the claim
    not expressible; ``reason`` says which). ``smtlib`` is the query as SMT-LIB 2 text,
    ``(check-sat)`` included, re-runnable by any solver; ``solver`` names it and its version.
    ``seconds`` is the wall time of translating and deciding it, ``cpu`` the CPU time.
    """

    status: str
    smtlib: str
    seconds: float
    model: dict[str, int] | None = None
    solver: str = ""
    reason: str = ""
    claim: str = field(default="", compare=False)
    cpu: float = field(default=0.0, compare=False)

    @property
    def certified(self) -> bool:
        return self.status == "unsat"


def load_z3() -> Any:
    """The z3 module, or None where z3-solver is not installed."""
    try:
        import z3
    except ImportError:
        return None
    return z3


def solver_name() -> str | None:
    """``"z3 <version>"``, or None where z3-solver is not installed.

    Examples
    --------
    >>> solver_name().startswith("z3 ")
    True
    """
    z3 = load_z3()
    return None if z3 is None else f"z3 {z3.get_version_string()}"


# ---------------------------------------------------------------------------
# Translation: SymPy tree -> (numerator, denominator) of z3 integer terms
# ---------------------------------------------------------------------------

class Encoder:
    """Translate SymPy expressions, collecting definitions and well-definedness conditions."""

    def __init__(self, z3: Any) -> None:
        self.z3 = z3
        self.context = z3.Context()  # a fresh context per query: answers do not depend on
        # the queries asked before
        self.variables: dict[str, Any] = {}
        self._safe_names: set[str] = set()  # the SMT names given so far
        self._symbols: dict[str, sympy.Symbol] = {}  # the SymPy symbol each name stands for
        self.definitions: list[Any] = []
        self.undefined: list[Any] = []  # any of these true: a side is undefined there
        self._floors: dict[tuple[str, str], Any] = {}
        self._by_divisor: list[tuple[Any, Any, Any]] = []

    def variable(self, symbol: sympy.Symbol) -> Any:
        # z3 names its constants by their strings: two different SymPy symbols of one name
        # (a Dummy, other assumptions) would become one unknown, so such a query is refused
        known = self._symbols.setdefault(symbol.name, symbol)
        if known != symbol:
            raise NotExpressible(f"two different symbols named {symbol.name!r}")
        if symbol.name not in self.variables:
            safe = symbol.name.replace("'", "_prime")
            if safe in self._safe_names:
                raise NotExpressible(f"symbol name {symbol.name!r}")
            self._safe_names.add(safe)
            self.variables[symbol.name] = self.z3.Int(safe, self.context)
        return self.variables[symbol.name]

    def rational(self, expr: sympy.Expr) -> tuple[Any, Any]:
        """``expr`` as ``(N, D)`` with value ``N / D``; ``D`` is None for 1."""
        if expr.is_Integer:
            return self.constant(int(expr)), None
        if expr.is_Rational:
            return self.constant(int(expr.p)), self.constant(int(expr.q))
        if expr.is_Symbol:
            return self.variable(expr), None
        if expr.is_Add or expr.is_Mul:
            return reduce(pair_add if expr.is_Add else _mul, map(self.rational, expr.args))
        if expr.is_Pow:
            return self._power(expr)
        handler = _FUNCTIONS.get(type(expr).__name__)
        if handler is None:
            raise NotExpressible(f"{type(expr).__name__} in {expr}")
        return handler(self, *expr.args)

    def constant(self, value: int) -> Any:
        return self.z3.IntVal(value, self.context)

    def _power(self, expr: sympy.Pow) -> tuple[Any, Any]:
        base, exponent = expr.args
        if not exponent.is_Integer or abs(int(exponent)) > MAX_POWER:
            raise NotExpressible(f"power {expr}")
        num, den = self.rational(base)
        if int(exponent) < 0:
            self.undefined.append(num == 0)
            num, den = (den if den is not None else self.constant(1)), num
        result = (self.constant(1), None)
        for _ in range(abs(int(exponent))):
            result = _mul(result, (num, den))
        return result

    def nonnegative(self, value: tuple[Any, Any]) -> Any:
        """``N / D >= 0`` (D is non-zero wherever it matters: see :attr:`undefined`)."""
        num, den = value
        return num >= 0 if den is None else num * den >= 0

    def floor(self, value: tuple[Any, Any]) -> Any:
        """The integer ``floor(N / D)`` as a fresh quotient with its remainder's constraints."""
        z3 = self.z3
        num, den = value
        if den is None:
            return num
        key = (num.sexpr(), den.sexpr())
        if key not in self._floors:
            r = z3.FreshInt("r", self.context)
            q = self._related_quotient(num, den) if not z3.is_int_value(den) else None
            q = z3.FreshInt("q", self.context) if q is None else q
            self.definitions.append(num == den * q + r)
            if z3.is_int_value(den):
                bound = den.as_long()
                self.definitions.append(z3.And(0 <= r, r < bound) if bound > 0
                                        else z3.And(bound < r, r <= 0))
            else:
                self.definitions += [z3.Implies(den > 0, z3.And(0 <= r, r < den)),
                                     z3.Implies(den < 0, z3.And(den < r, r <= 0))]
                self.undefined.append(den == 0)
                self._by_divisor.append((num, den, q))
            self._floors[key] = q
        return self._floors[key]

    def _related_quotient(self, num: Any, den: Any) -> Any | None:
        """A quotient by a divisor already used, whose numerator differs from this one's
        (or sums with it) by a constant c: written ``q' + t`` (or ``-q' + t``) with a small
        unknown ``|t| <= |c| + 1`` (``+ 2`` for a sum), since the remainders differ by less
        than ``|D|`` (sum to less than ``2|D|``). The solver then splits on a few integer
        cases instead of relating ``D q`` and ``D q'``; None when there is no such quotient."""
        z3 = self.z3
        for other_num, other_den, other_q in self._by_divisor:
            if other_den.sexpr() != den.sexpr():
                continue
            for sign in (-1, 1):
                c = z3.simplify(num + sign * other_num)
                if z3.is_int_value(c):
                    bound = abs(c.as_long()) + (1 if sign == -1 else 2)
                    t = z3.FreshInt("t", self.context)
                    self.definitions.append(z3.And(-bound <= t, t <= bound))
                    return -sign * other_q + t
        return None

    def select(self, condition: Any, yes: tuple[Any, Any], no: tuple[Any, Any]
               ) -> tuple[Any, Any]:
        z3 = self.z3
        one = self.constant(1)
        if yes[1] is None and no[1] is None:
            return z3.If(condition, yes[0], no[0]), None
        return (z3.If(condition, yes[0], no[0]),
                z3.If(condition, yes[1] if yes[1] is not None else one,
                      no[1] if no[1] is not None else one))


def pair_add(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    """The sum of two (numerator, denominator) pairs; a denominator None means 1."""
    (na, da), (nb, db) = a, b
    if da is None and db is None:
        return na + nb, None
    return _times(na, db) + _times(nb, da), _times(da, db)


def _times(x: Any, y: Any) -> Any:
    """``x * y`` without a factor 1 (so equal quotients are recognised as one)."""
    if x is None or _is_one(y):
        return y if x is None else x
    if y is None or _is_one(x):
        return x if y is None else y
    return x * y


def _is_one(x: Any) -> bool:
    return x is not None and x.sexpr() == "1"


def _mul(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    (na, da), (nb, db) = a, b
    den = _times(da, db)
    return _times(na, nb), None if _is_one(den) else den


def pair_negate(a: tuple[Any, Any]) -> tuple[Any, Any]:
    """The negation of a (numerator, denominator) pair."""
    return -a[0], a[1]


def _floor(enc: Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    return enc.floor(enc.rational(arg)), None


def _ceiling(enc: Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    return -enc.floor(pair_negate(enc.rational(arg))), None


def _mod(enc: Encoder, a: sympy.Expr, b: sympy.Expr) -> tuple[Any, Any]:
    (na, da), (nb, db) = enc.rational(a), enc.rational(b)
    enc.undefined.append(nb == 0)
    quotient = _mul((na, da), (db if db is not None else enc.constant(1), nb))
    return pair_add((na, da), pair_negate(_mul((nb, db), (enc.floor(quotient), None))))


def _extremum(larger: bool) -> Any:
    def handler(enc: Encoder, *args: sympy.Expr) -> tuple[Any, Any]:
        values = [enc.rational(a) for a in args]
        best = values[0]
        for value in values[1:]:
            difference = pair_add(value, pair_negate(best))
            wins = enc.nonnegative(difference) if larger else \
                enc.nonnegative(pair_negate(difference))
            best = enc.select(wins, value, best)
        return best
    return handler


def _abs(enc: Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    value = enc.rational(arg)
    return enc.select(enc.nonnegative(value), value, pair_negate(value))


def _windows(enc: Encoder, bound: sympy.Expr, step: sympy.Expr) -> tuple[Any, Any]:
    """#{i >= 0 : step*i <= bound}: floor(bound/step) + 1 when bound >= 0, else 0; infinite
    (undefined) when step < 0, or step = 0 and bound >= 0."""
    z3 = enc.z3
    (nm, dm), (ns, ds) = enc.rational(bound), enc.rational(step)
    reaches = enc.nonnegative((nm, dm))
    enc.undefined.append(z3.Or(z3.Not(enc.nonnegative((ns, ds))), z3.And(ns == 0, reaches)))
    ratio = _mul((nm, dm), (ds if ds is not None else enc.constant(1), ns))
    return z3.If(reaches, enc.floor(ratio) + 1, enc.constant(0)), None


def _iverson(enc: Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    z3 = enc.z3
    return z3.If(enc.nonnegative(enc.rational(arg)), enc.constant(1), enc.constant(0)), None


_FUNCTIONS = {"floor": _floor, "ceiling": _ceiling, "Mod": _mod, "Max": _extremum(True),
              "Min": _extremum(False), "Abs": _abs, "Windows": _windows, "Iverson": _iverson}


