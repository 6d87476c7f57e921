"""The one exact evaluator: integer and rational arithmetic at many integer points at once.

A value is a pair of object arrays ``(num, den)`` of Python ints, the denominator positive,
or ``den = None`` where it is 1 everywhere. Pairs are never reduced: a value equals an
integer ``t`` exactly when ``num == t * den``. A division by zero marks the point undefined
and continues with the divisor replaced by 1, so one undefined point never hides the others.

:class:`Evaluation` holds the arithmetic (public, so a front end for another tree, such as
:mod:`symconv.sizes.exact` for a formula as written, reuses it rather than copies it);
:meth:`Evaluation.expr` walks a SymPy expression, including the prover's ``Windows``
(counted one window start at a time, no floor) and ``Iverson``. Nothing here knows a
quantity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
import sympy

from .normal_form import Iverson, Windows


def count_window_starts(bound: Any, step: Any) -> np.ndarray:
    """Window starts ``i = 0, 1, ...`` with ``step*i <= bound``, counted one start at a time
    for ``i <= max |bound|`` (no division, no floor): the one window counter of the prover's
    ``Windows`` and of :mod:`symconv.sizes` (NumPy ints or Python ints in object arrays).

    Examples
    --------
    >>> count_window_starts(np.array([5, -1, 0]), np.array([2, 3, 4])).tolist()
    [3, 0, 1]
    """
    bound, step = np.broadcast_arrays(np.asarray(bound), np.asarray(step))
    count = np.zeros(bound.shape, dtype=np.int64)
    for i in range(int(np.max(np.abs(bound), initial=0)) + 1):
        count += np.asarray(step * i <= bound, dtype=bool)
    return count


class NotEvaluable(ValueError):
    """An expression holds a function (or a power) this evaluator has no exact rule for."""


class Exact(NamedTuple):
    """An exact value at every point: ``num / den`` (``den`` None: 1 everywhere)."""

    num: np.ndarray
    den: np.ndarray | None


def _den(x: Exact) -> Any:
    return 1 if x.den is None else x.den


class Evaluation:
    """Exact arithmetic on ``size`` integer points, with ``columns`` the variables' values.

    ``undefined`` marks the points where a division by zero happened.

    Examples
    --------
    >>> ev = Evaluation({"n": [7, 4]}, 2)
    >>> half = ev.divide(ev.variable("n"), ev.integer(2))
    >>> half.num.tolist(), half.den.tolist(), ev.floor(half).num.tolist()
    ([7, 4], [2, 2], [3, 2])
    """

    def __init__(self, columns: Mapping[str, Any], size: int) -> None:
        self.columns = {name: np.asarray(col).astype(object) for name, col in columns.items()}
        self.size = size
        self.undefined = np.zeros(size, dtype=bool)

    # -- leaves ------------------------------------------------------------------------

    def constant(self, value: int) -> np.ndarray:
        return np.full(self.size, value, dtype=object)

    def integer(self, value: int) -> Exact:
        return Exact(self.constant(value), None)

    def rational(self, numerator: int, denominator: int) -> Exact:
        return Exact(self.constant(numerator),
                     None if denominator == 1 else self.constant(denominator))

    def variable(self, name: str) -> Exact:
        if name not in self.columns:
            raise NotEvaluable(f"no value given for variable {name!r}")
        return Exact(self.columns[name], None)

    # -- arithmetic --------------------------------------------------------------------

    @staticmethod
    def add(a: Exact, b: Exact) -> Exact:
        if a.den is None and b.den is None:
            return Exact(a.num + b.num, None)
        return Exact(a.num * _den(b) + b.num * _den(a), _den(a) * _den(b))

    @staticmethod
    def negate(a: Exact) -> Exact:
        return Exact(-a.num, a.den)

    def subtract(self, a: Exact, b: Exact) -> Exact:
        return self.add(a, self.negate(b))

    @staticmethod
    def mul(a: Exact, b: Exact) -> Exact:
        den = None if a.den is None and b.den is None else _den(a) * _den(b)
        return Exact(a.num * b.num, den)

    def invert(self, x: Exact) -> Exact:
        """``1/x``; where ``x`` is zero the point becomes undefined (and 1 stands in)."""
        zero = np.asarray(x.num == 0, dtype=bool)
        self.undefined |= zero
        num = np.where(zero, 1, x.num)
        sign = np.where(num < 0, -1, 1)
        return Exact(sign if x.den is None else sign * x.den, sign * num)

    def divide(self, a: Exact, b: Exact) -> Exact:
        return self.mul(a, self.invert(b))

    @staticmethod
    def floor(x: Exact) -> Exact:
        return x if x.den is None else Exact(x.num // x.den, None)

    @staticmethod
    def ceiling(x: Exact) -> Exact:
        return x if x.den is None else Exact(-((-x.num) // x.den), None)

    def floor_divide(self, a: Exact, b: Exact) -> Exact:
        return self.floor(self.divide(a, b))

    def mod(self, a: Exact, b: Exact) -> Exact:
        """Python's remainder ``a - b*floor(a/b)``."""
        return self.subtract(a, self.mul(self.floor_divide(a, b), b))

    def power(self, base: Exact, exponent: int) -> Exact:
        base = base if exponent >= 0 else self.invert(base)
        e = abs(exponent)
        return Exact(base.num ** e, None if base.den is None else base.den ** e)

    @staticmethod
    def abs(x: Exact) -> Exact:
        return Exact(np.abs(x.num), x.den)

    @staticmethod
    def pick(a: Exact, b: Exact, larger: bool) -> Exact:
        """The larger (or smaller) of ``a`` and ``b`` at each point; ``a`` on a tie."""
        first, second = a.num * _den(b), b.num * _den(a)
        take_a = np.asarray(first >= second if larger else first <= second, dtype=bool)
        den = None if a.den is None and b.den is None else np.where(take_a, _den(a), _den(b))
        return Exact(np.where(take_a, a.num, b.num), den)

    def maximum(self, *args: Exact) -> Exact:
        return self._fold(args, larger=True)

    def minimum(self, *args: Exact) -> Exact:
        return self._fold(args, larger=False)

    def _fold(self, args: tuple[Exact, ...], larger: bool) -> Exact:
        value = args[0]
        for arg in args[1:]:
            value = self.pick(value, arg, larger)
        return value

    def iverson(self, x: Exact) -> Exact:
        """``[x >= 0]``: 1 where the condition holds, else 0."""
        holds = np.asarray(x.num * _den(x) >= 0, dtype=bool)
        return Exact(np.where(holds, 1, 0).astype(object), None)

    def windows(self, bound: Exact, step: Exact) -> Exact:
        """:func:`count_window_starts` of ``bound`` and ``step``, both floored first."""
        count = count_window_starts(self.floor(bound).num, self.floor(step).num)
        return Exact(np.broadcast_to(count, (self.size,)).astype(object), None)

    # -- SymPy expressions -------------------------------------------------------------

    def expr(self, expr: sympy.Expr) -> Exact:
        """The value of a SymPy expression (its symbols looked up by name)."""
        if expr.is_Integer:
            return self.integer(int(expr))
        if expr.is_Rational:
            return self.rational(int(expr.p), int(expr.q))
        if expr.is_Symbol:
            return self.variable(expr.name)
        rule = _RULES.get(type(expr).__name__) or _RULES.get(expr.func.__name__)
        if rule is None:
            raise NotEvaluable(f"cannot evaluate {type(expr).__name__} in {expr}")
        return rule(self, [self.expr(a) for a in expr.args], expr)


def _pow(ev: Evaluation, args: list[Exact], expr: sympy.Expr) -> Exact:
    if not expr.args[1].is_Integer:
        raise NotEvaluable(f"cannot evaluate a non-integer power in {expr}")
    return ev.power(args[0], int(expr.args[1]))


def _fold(pair: Callable[[Exact, Exact], Exact]) -> Callable[..., Exact]:
    def rule(ev: Evaluation, args: list[Exact], expr: sympy.Expr) -> Exact:
        value = args[0]
        for arg in args[1:]:
            value = pair(value, arg)
        return value
    return rule


#: How each SymPy function is evaluated, by its class name.
_RULES: dict[str, Callable[[Evaluation, list[Exact], sympy.Expr], Exact]] = {
    "Add": _fold(Evaluation.add),
    "Mul": _fold(Evaluation.mul),
    "Pow": _pow,
    "Mod": lambda ev, args, expr: ev.mod(*args),
    "floor": lambda ev, args, expr: ev.floor(args[0]),
    "ceiling": lambda ev, args, expr: ev.ceiling(args[0]),
    "Abs": lambda ev, args, expr: ev.abs(args[0]),
    "Max": lambda ev, args, expr: ev.maximum(*args),
    "Min": lambda ev, args, expr: ev.minimum(*args),
    Iverson.__name__: lambda ev, args, expr: ev.iverson(args[0]),
    Windows.__name__: lambda ev, args, expr: ev.windows(*args),
}


def points(columns: Mapping[Any, Any]) -> int:
    """The number of points the columns give (1 when there are none)."""
    return len(next(iter(columns.values()))) if columns else 1


def evaluate_exact(expr: sympy.Expr, columns: Mapping[str, Any]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate a SymPy expression exactly at many integer points.

    Parameters
    ----------
    expr : sympy.Expr
        Integers, rationals, symbols, ``+ * **`` (integer exponents), ``floor``,
        ``ceiling``, ``Mod``, ``Abs``, ``Max``, ``Min``, ``Windows``, ``Iverson``.
    columns : mapping of str to 1-D integer arrays
        One array per symbol name of ``expr``, all of the same length.

    Returns
    -------
    num, den, undefined : arrays
        The value at point ``i`` is ``num[i] / den[i]`` (Python ints, ``den > 0``),
        unless ``undefined[i]`` (a division by zero happened there).

    Examples
    --------
    >>> n, s = sympy.symbols("n s", integer=True)
    >>> num, den, bad = evaluate_exact(n / (s - 1), {"n": [3, 4], "s": [3, 1]})
    >>> num[0], den[0], bad.tolist()
    (3, 2, [False, True])
    """
    ev = Evaluation(columns, points(columns))
    value = ev.expr(expr)
    den = ev.constant(1) if value.den is None else value.den
    return value.num, den, ev.undefined


def evaluate(expr: sympy.Expr, env: dict[sympy.Symbol, np.ndarray]) -> tuple[Any, Any]:
    """Exact value of ``expr`` at many integer points as ``(num, den)`` object arrays.

    ``Windows`` is counted one window start at a time (no floor involved). A division by
    zero at any point raises :class:`ZeroDivisionError` (the box checks never divide by
    zero; :func:`evaluate_exact` marks such points instead).

    Examples
    --------
    >>> from symconv.prover.normal_form import M, T
    >>> num, den = evaluate(Windows(M, T), {M: np.array([5, -1]), T: np.array([2, 3])})
    >>> (num // den).tolist()
    [3, 0]
    """
    num, den, undefined = evaluate_exact(expr, {sym.name: col for sym, col in env.items()})
    if undefined.any():
        raise ZeroDivisionError(f"division by zero evaluating {expr}")
    return num, den


__all__ = ["Evaluation", "Exact", "NotEvaluable", "count_window_starts", "evaluate",
           "evaluate_exact", "points"]
