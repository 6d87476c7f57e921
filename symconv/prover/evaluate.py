"""The one exact evaluator: integer and rational arithmetic at many integer points at once.

A value is a pair of integer arrays ``(num, den)``, the denominator positive, or
``den = None`` where it is 1 everywhere. Pairs are never reduced: a value equals an
integer ``t`` exactly when ``num == t * den``. A division by zero marks the point undefined
and continues with the divisor replaced by 1, so one undefined point never hides the others.

One walk, two number kinds: :data:`OBJECTS` (Python ints in object arrays: exact, slow) and
:data:`MACHINE` (``int64`` arrays, every sum and product guarded by a bound computed from
its operands' actual largest magnitudes; when a value could reach :data:`LIMIT` it raises
:class:`MachineOverflow`). :func:`run_exact` runs a computation on machine integers and, on
that signal, again on objects: the answer is the exact one either way, only its cost differs.

:class:`Evaluation` holds the arithmetic (public, so a front end for another tree, such as
:mod:`symconv.sizes.exact` for a formula as written, reuses it rather than copies it);
:meth:`Evaluation.expr` walks a SymPy expression, including the prover's ``Windows``
(counted one window start at a time, no floor) and ``Iverson``. Nothing here knows a
quantity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

import numpy as np
import sympy

from .normal_form import Iverson, Windows

#: Every machine value (and every bound on one) stays below this in magnitude.
LIMIT = 2 ** 62

Result = TypeVar("Result")


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


class MachineOverflow(ArithmeticError):
    """A machine-integer value might not fit in ``int64``: re-run on exact objects."""


def magnitude(value: Any) -> int:
    """The largest ``|x|`` of an integer or an integer array, as a Python integer.

    Examples
    --------
    >>> magnitude(np.array([3, -5])), magnitude(-2), magnitude(np.array([], dtype=np.int64))
    (5, 2, 0)
    """
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return 0
        return max(abs(int(value.max())), abs(int(value.min())))
    return abs(int(value))


class ObjectIntegers:
    """Exact Python integers in object arrays: every operation is exact, none can fail."""

    @staticmethod
    def array(values: Any) -> np.ndarray:
        return np.asarray(values).astype(object)

    @staticmethod
    def constant(value: int, size: int) -> np.ndarray:
        return np.full(size, value, dtype=object)

    @staticmethod
    def add(x: Any, y: Any) -> Any:
        return x + y

    @staticmethod
    def mul(x: Any, y: Any) -> Any:
        return x * y

    @staticmethod
    def power(x: Any, exponent: int) -> Any:
        return x ** exponent

    @staticmethod
    def guard_product(x: Any, y: Any) -> None:
        """Nothing to guard: a product of Python integers always fits."""


class MachineIntegers:
    """``int64`` arrays where every value provably stays below :data:`LIMIT`, else
    :class:`MachineOverflow`.

    Examples
    --------
    >>> MACHINE.mul(np.array([2 ** 30]), np.array([2 ** 31])).tolist()
    [2305843009213693952]
    >>> MACHINE.mul(np.array([2 ** 31]), np.array([2 ** 31]))
    Traceback (most recent call last):
    ...
    symconv.prover.evaluate.MachineOverflow: 2**62 or more
    """

    @staticmethod
    def fits(bound: int) -> None:
        if bound >= LIMIT:
            raise MachineOverflow("2**62 or more")

    def array(self, values: Any) -> np.ndarray:
        values = np.asarray(values)
        if values.dtype.kind not in "iuO":
            raise MachineOverflow(f"not integers: {values.dtype}")
        self.fits(magnitude(values))
        return values.astype(np.int64)

    def constant(self, value: int, size: int) -> np.ndarray:
        self.fits(abs(value))
        return np.full(size, value, dtype=np.int64)

    def add(self, x: Any, y: Any) -> Any:
        self.fits(magnitude(x) + magnitude(y))
        return x + y

    def mul(self, x: Any, y: Any) -> Any:
        self.fits(magnitude(x) * magnitude(y))
        return x * y

    def power(self, x: Any, exponent: int) -> Any:
        self.fits(magnitude(x) ** exponent)
        return x ** exponent

    def guard_product(self, x: Any, y: Any) -> None:
        """Raise unless every ``x * i`` with ``|i| <= max |y|`` fits."""
        self.fits(magnitude(x) * magnitude(y))


#: The two number kinds of :class:`Evaluation`.
OBJECTS = ObjectIntegers()
MACHINE = MachineIntegers()


class Exact(NamedTuple):
    """An exact value at every point: ``num / den`` (``den`` None: 1 everywhere)."""

    num: np.ndarray
    den: np.ndarray | None


def _den(x: Exact) -> Any:
    return 1 if x.den is None else x.den


class Evaluation:
    """Exact arithmetic on ``size`` integer points, with ``columns`` the variables' values,
    over ``numbers`` (:data:`OBJECTS`, or :data:`MACHINE`: may raise :class:`MachineOverflow`).

    ``undefined`` marks the points where a division by zero happened. Every denominator
    is positive, so a value's sign is its numerator's.

    Examples
    --------
    >>> ev = Evaluation({"n": [7, 4]}, 2)
    >>> half = ev.divide(ev.variable("n"), ev.integer(2))
    >>> half.num.tolist(), half.den.tolist(), ev.floor(half).num.tolist()
    ([7, 4], [2, 2], [3, 2])
    """

    def __init__(self, columns: Mapping[str, Any], size: int,
                 numbers: ObjectIntegers | MachineIntegers = OBJECTS) -> None:
        self.numbers = numbers
        self.columns = {name: numbers.array(col) for name, col in columns.items()}
        self.size = size
        self.undefined = np.zeros(size, dtype=bool)

    # -- leaves ------------------------------------------------------------------------

    def constant(self, value: int) -> np.ndarray:
        return self.numbers.constant(value, self.size)

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

    def add(self, a: Exact, b: Exact) -> Exact:
        add, mul = self.numbers.add, self.numbers.mul
        if a.den is None and b.den is None:
            return Exact(add(a.num, b.num), None)
        return Exact(add(mul(a.num, _den(b)), mul(b.num, _den(a))), mul(_den(a), _den(b)))

    @staticmethod
    def negate(a: Exact) -> Exact:
        return Exact(-a.num, a.den)

    def subtract(self, a: Exact, b: Exact) -> Exact:
        return self.add(a, self.negate(b))

    def mul(self, a: Exact, b: Exact) -> Exact:
        mul = self.numbers.mul
        den = None if a.den is None and b.den is None else mul(_den(a), _den(b))
        return Exact(mul(a.num, b.num), den)

    def invert(self, x: Exact) -> Exact:
        """``1/x``; where ``x`` is zero the point becomes undefined (and 1 stands in)."""
        zero = np.asarray(x.num == 0, dtype=bool)
        self.undefined |= zero
        num = np.where(zero, 1, x.num)
        sign = self.numbers.array(np.where(num < 0, -1, 1))
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
        e, power = abs(exponent), self.numbers.power
        return Exact(power(base.num, e), None if base.den is None else power(base.den, e))

    @staticmethod
    def abs(x: Exact) -> Exact:
        return Exact(np.abs(x.num), x.den)

    def pick(self, a: Exact, b: Exact, larger: bool) -> Exact:
        """The larger (or smaller) of ``a`` and ``b`` at each point; ``a`` on a tie."""
        first, second = self.numbers.mul(a.num, _den(b)), self.numbers.mul(b.num, _den(a))
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
        return Exact(self.numbers.array(np.where(self.nonnegative(x), 1, 0)), None)

    def windows(self, bound: Exact, step: Exact) -> Exact:
        """:func:`count_window_starts` of ``bound`` and ``step``, both floored first."""
        bound, step = self.floor(bound).num, self.floor(step).num
        self.numbers.guard_product(step, bound)
        count = count_window_starts(bound, step)
        return Exact(self.numbers.array(np.broadcast_to(count, (self.size,))), None)

    # -- comparisons -------------------------------------------------------------------

    @staticmethod
    def nonnegative(x: Exact) -> np.ndarray:
        """Where ``x >= 0`` (the denominator is positive: the numerator's sign)."""
        return np.asarray(x.num >= 0, dtype=bool)

    def equal(self, a: Exact, b: Exact) -> np.ndarray:
        """Where ``a == b`` exactly (cross-multiplied)."""
        mul = self.numbers.mul
        return np.asarray(mul(a.num, _den(b)) == mul(b.num, _den(a)), dtype=bool)

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


def _fold(pair: Callable[[Evaluation, Exact, Exact], Exact]) -> Callable[..., Exact]:
    def rule(ev: Evaluation, args: list[Exact], expr: sympy.Expr) -> Exact:
        value = args[0]
        for arg in args[1:]:
            value = pair(ev, value, arg)
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


def run_exact(task: Callable[[Evaluation], Result], columns: Mapping[str, Any]) -> Result:
    """``task`` of an :class:`Evaluation` of ``columns`` over :data:`MACHINE` integers,
    or over :data:`OBJECTS` when some value might not fit: the exact answer, fast where
    every value fits in ``int64``.

    Examples
    --------
    >>> a, s = sympy.symbols("a s", integer=True)
    >>> run_exact(lambda ev: ev.expr(sympy.floor(a / s)).num.dtype, {"a": [7], "s": [2]})
    dtype('int64')
    >>> run_exact(lambda ev: ev.expr(a ** 3).num.tolist(), {"a": [2 ** 30]})
    [1237940039285380274899124224]
    """
    try:
        return task(Evaluation(columns, points(columns), MACHINE))
    except MachineOverflow:
        return task(Evaluation(columns, points(columns), OBJECTS))


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


__all__ = ["LIMIT", "MACHINE", "OBJECTS", "Evaluation", "Exact", "MachineIntegers",
           "MachineOverflow", "NotEvaluable", "ObjectIntegers", "count_window_starts",
           "evaluate", "evaluate_exact", "magnitude", "points", "run_exact"]
