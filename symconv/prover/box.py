"""Exact evaluation on a finite box in machine integers, where every value provably fits.

A lemma's box check evaluates both sides at every point of its box as exact fractions
``(numerator, denominator)``. :func:`symconv.prover.evaluate` does so over Python
integers (NumPy ``object`` arrays: exact, slow). :func:`evaluate_int64` gives the same
values over ``int64`` arrays, with every operation guarded by a bound computed from its
operands' actual largest magnitudes (as Python integers): when a sum or product could
leave ``|x| < 2**62``, or a divisor is zero, it returns ``None`` and the caller uses the
``object`` evaluation instead. So the answer is the exact one either way; only its cost
differs.

Examples
--------
>>> import numpy as np
>>> import sympy
>>> a, s = sympy.symbols("a s")
>>> num, den = evaluate_int64(sympy.floor(a / s), {a: np.array([7, -7]), s: np.array([2, 2])})
>>> (num // den).tolist()
[3, -4]
>>> evaluate_int64(a * a * a, {a: np.array([2 ** 30])}) is None  # would overflow
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .normal_form import Iverson, Windows

#: Every value (and every bound on one) stays below this in magnitude.
LIMIT = 2 ** 62


class _Overflow(Exception):
    """An operation whose result might not fit (or a zero divisor): use exact objects."""


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


def _fits(bound: int) -> None:
    if bound >= LIMIT:
        raise _Overflow


def _add(x: Any, y: Any) -> Any:
    _fits(magnitude(x) + magnitude(y))
    return x + y


def _mul(x: Any, y: Any) -> Any:
    _fits(magnitude(x) * magnitude(y))
    return x * y


def _nonzero(x: Any) -> None:
    if np.any(np.asarray(x) == 0):
        raise _Overflow


def evaluate_int64(expr: sympy.Expr, env: dict[sympy.Symbol, np.ndarray]
                   ) -> tuple[Any, Any] | None:
    """The exact value of ``expr`` at many integer points as ``(num, den)`` ``int64``
    arrays (or integers), the same fraction as :func:`symconv.prover.evaluate` gives; None
    when some intermediate value might not fit in ``int64`` or a divisor is zero.

    Examples
    --------
    >>> import numpy as np
    >>> from symconv.prover import M, T, Windows
    >>> num, den = evaluate_int64(Windows(M, T), {M: np.array([5, -1]), T: np.array([2, 3])})
    >>> (num // den).tolist()
    [3, 0]
    """
    for values in env.values():
        _check_input(values)
    try:
        return _value(expr, env)
    except _Overflow:
        return None


def _check_input(values: np.ndarray) -> None:
    if np.asarray(values).dtype.kind not in "iu":
        raise ValueError(f"evaluate_int64 needs integer arrays, got {np.asarray(values).dtype}")


def _value(expr: sympy.Expr, env: dict[sympy.Symbol, np.ndarray]) -> tuple[Any, Any]:
    if expr.is_Integer:
        _fits(abs(int(expr)))
        return int(expr), 1
    if expr.is_Rational:
        _fits(max(abs(int(expr.p)), int(expr.q)))
        return int(expr.p), int(expr.q)
    if expr.is_Symbol:
        values = np.asarray(env[expr]).astype(np.int64)
        _fits(magnitude(values))
        return values, 1
    args = [_value(a, env) for a in expr.args]
    if isinstance(expr, sympy.Add):
        num, den = args[0]
        for a, b in args[1:]:
            num, den = _add(_mul(num, b), _mul(a, den)), _mul(den, b)
        return num, den
    if isinstance(expr, sympy.Mul):
        num, den = 1, 1
        for a, b in args:
            num, den = _mul(num, a), _mul(den, b)
        return num, den
    if isinstance(expr, sympy.Pow):
        (a, b), e = args[0], int(expr.exp)
        if e < 0:
            sign = np.where(np.asarray(a) < 0, -1, 1)
            a, b = b * sign, a * sign
        num, den = 1, 1
        for _ in range(abs(e)):
            num, den = _mul(num, a), _mul(den, b)
        return num, den
    return _function(expr, args)


def _function(expr: sympy.Expr, args: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    if isinstance(expr, sympy.floor):
        _nonzero(args[0][1])
        return args[0][0] // args[0][1], 1
    if isinstance(expr, sympy.ceiling):
        _nonzero(args[0][1])
        return -((-args[0][0]) // args[0][1]), 1
    if isinstance(expr, sympy.Mod):
        (a, b), (c, e) = args
        divisor = _mul(c, b)
        _nonzero(divisor)
        return _mul(a, e) % divisor, _mul(b, e)
    if isinstance(expr, sympy.Abs):
        return abs(args[0][0]), args[0][1]
    if isinstance(expr, (sympy.Max, sympy.Min)):
        num, den = args[0]
        for a, b in args[1:]:
            larger = np.asarray(_mul(a, den) >= _mul(num, b), dtype=bool)
            take = larger if isinstance(expr, sympy.Max) else ~larger
            num, den = np.where(take, a, num), np.where(take, b, den)
        return num, den
    if isinstance(expr, Iverson):
        num, den = args[0]
        return np.where(np.asarray(_mul(num, den) >= 0, dtype=bool), 1, 0), 1
    if isinstance(expr, Windows):
        (bound, b1), (step, b2) = args
        _nonzero(b1)
        _nonzero(b2)
        bound, step = np.asarray(bound // b1), np.asarray(step // b2)
        largest = magnitude(bound)
        _fits(magnitude(step) * largest)
        count = sum((step * i <= bound).astype(np.int64) for i in range(largest + 1))
        return np.asarray(count, dtype=np.int64), 1
    raise ValueError(f"cannot evaluate {expr.func.__name__}")


def nonnegative(value: tuple[Any, Any]) -> np.ndarray:
    """Where the fraction ``num / den`` is ``>= 0`` (``num * den >= 0``), exactly.

    Examples
    --------
    >>> nonnegative((np.array([-1, 2, 0]), np.array([-1, -1, 1]))).tolist()
    [True, False, True]
    """
    num, den = value
    try:
        product = _mul(num, den)
    except _Overflow:
        product = np.asarray(num, dtype=object) * np.asarray(den, dtype=object)
    return np.asarray(product >= 0, dtype=bool)


def differ(left: tuple[Any, Any], right: tuple[Any, Any]) -> np.ndarray:
    """Where the fractions ``a / b`` and ``c / e`` differ (``a e != c b``), exactly.

    Examples
    --------
    >>> differ((np.array([1, 1]), 2), (np.array([2, 3]), 4)).tolist()
    [False, True]
    """
    (a, b), (c, e) = left, right
    try:
        found = _mul(a, e) != _mul(c, b)
    except _Overflow:
        found = (np.asarray(a, dtype=object) * np.asarray(e, dtype=object)
                 != np.asarray(c, dtype=object) * np.asarray(b, dtype=object))
    return np.asarray(found, dtype=bool)


__all__ = ["LIMIT", "differ", "evaluate_int64", "magnitude", "nonnegative"]
