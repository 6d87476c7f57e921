"""The one exact evaluator of size formulas: integer and rational arithmetic at many
integer points at once, on the tree as written or on a SymPy form."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import sympy

from .parse import Node, fail

# ---------------------------------------------------------------------------
# Exact evaluation at many integer points at once
# ---------------------------------------------------------------------------
# A value is a pair of object arrays (numerator, denominator) of Python ints, with
# the denominator positive, or None when it is 1 everywhere. Pairs are never
# reduced: equality with an integer t is ``num == t * den``. A division by zero
# marks the point undefined and continues with the divisor replaced by 1.

class _Value(NamedTuple):
    num: np.ndarray
    den: np.ndarray | None


class _Evaluation:
    def __init__(self, columns: Mapping[str, np.ndarray], size: int) -> None:
        self.columns = {name: np.asarray(col).astype(object) for name, col in columns.items()}
        self.size = size
        self.undefined = np.zeros(size, dtype=bool)

    def constant(self, value: int) -> np.ndarray:
        return np.full(self.size, value, dtype=object)

    def value(self, expr: sympy.Expr) -> _Value:
        if expr.is_Integer:
            return _Value(self.constant(int(expr)), None)
        if expr.is_Rational:
            return _Value(self.constant(int(expr.p)), self.constant(int(expr.q)))
        if expr.is_Symbol:
            return self.variable(expr.name)
        rule = _RULES.get(type(expr).__name__) or _RULES.get(expr.func.__name__)
        if rule is None:
            raise fail(f"cannot evaluate {type(expr).__name__} in {expr}")
        return rule(self, [self.value(a) for a in expr.args], expr)

    def tree(self, tree: Node) -> _Value:
        """The value of a parsed tree: the formula's text evaluated as written."""
        if tree.op == "number":
            den = tree.value.denominator
            return _Value(self.constant(tree.value.numerator),
                          None if den == 1 else self.constant(den))
        if tree.op == "variable":
            return self.variable(tree.value)
        return _TREE_RULES[tree.op](self, [self.tree(a) for a in tree.args], tree)

    def variable(self, name: str) -> _Value:
        if name not in self.columns:
            raise fail(f"no value given for variable {name!r}")
        return _Value(self.columns[name], None)

    def invert(self, x: _Value) -> _Value:
        zero = np.asarray(x.num == 0, dtype=bool)
        self.undefined |= zero
        num = np.where(zero, 1, x.num)
        sign = np.where(num < 0, -1, 1)
        den = sign * num
        return _Value(sign if x.den is None else sign * x.den, den)


def _den(x: _Value) -> Any:
    return 1 if x.den is None else x.den


def _add(a: _Value, b: _Value) -> _Value:
    if a.den is None and b.den is None:
        return _Value(a.num + b.num, None)
    return _Value(a.num * _den(b) + b.num * _den(a), _den(a) * _den(b))


def _mul(a: _Value, b: _Value) -> _Value:
    den = None if a.den is None and b.den is None else _den(a) * _den(b)
    return _Value(a.num * b.num, den)


def _floor(x: _Value) -> _Value:
    return x if x.den is None else _Value(x.num // x.den, None)


def _ceiling(x: _Value) -> _Value:
    return x if x.den is None else _Value(-((-x.num) // x.den), None)


def _pick(a: _Value, b: _Value, larger: bool) -> _Value:
    first = a.num * _den(b)
    second = b.num * _den(a)
    take_a = np.asarray(first >= second if larger else first <= second, dtype=bool)
    den = None if a.den is None and b.den is None else np.where(take_a, _den(a), _den(b))
    return _Value(np.where(take_a, a.num, b.num), den)


def _fold(pair: Callable[[_Value, _Value], _Value]) -> Callable[..., _Value]:
    def rule(ev: _Evaluation, args: list[_Value], expr: sympy.Expr) -> _Value:
        value = args[0]
        for arg in args[1:]:
            value = pair(value, arg)
        return value
    return rule


def _pow(ev: _Evaluation, args: list[_Value], expr: sympy.Expr) -> _Value:
    exponent = expr.args[1]
    if not exponent.is_Integer:
        raise fail(f"cannot evaluate a non-integer power in {expr}")
    return _power(ev, args[0], int(exponent))


def _power(ev: _Evaluation, base: _Value, exponent: int) -> _Value:
    base = base if exponent >= 0 else ev.invert(base)
    e = abs(exponent)
    return _Value(base.num ** e, None if base.den is None else base.den ** e)


def _mod(ev: _Evaluation, args: list[_Value], expr: Any) -> _Value:
    """Python's remainder ``a - b*floor(a/b)``."""
    a, b = args
    quotient = _floor(_mul(a, ev.invert(b)))
    return _add(a, _mul(_Value(-quotient.num, None), b))


def _negate(a: _Value) -> _Value:
    return _Value(-a.num, a.den)


_RULES: dict[str, Callable[[_Evaluation, list[_Value], sympy.Expr], _Value]] = {
    "Add": _fold(_add),
    "Mul": _fold(_mul),
    "Pow": _pow,
    "Mod": _mod,
    "floor": lambda ev, args, expr: _floor(args[0]),
    "ceiling": lambda ev, args, expr: _ceiling(args[0]),
    "Abs": lambda ev, args, expr: _Value(np.abs(args[0].num), args[0].den),
    "Max": _fold(lambda a, b: _pick(a, b, larger=True)),
    "Min": _fold(lambda a, b: _pick(a, b, larger=False)),
}


#: How each operator of a :class:`Node` is evaluated (Python's own arithmetic, exactly).
_TREE_RULES: dict[str, Callable[[_Evaluation, list[_Value], Node], _Value]] = {
    "neg": lambda ev, args, tree: _negate(args[0]),
    "+": lambda ev, args, tree: _add(*args),
    "-": lambda ev, args, tree: _add(args[0], _negate(args[1])),
    "*": lambda ev, args, tree: _mul(*args),
    "/": lambda ev, args, tree: _mul(args[0], ev.invert(args[1])),
    "//": lambda ev, args, tree: _floor(_mul(args[0], ev.invert(args[1]))),
    "%": _mod,
    "**": lambda ev, args, tree: _power(ev, args[0], tree.value),
    "floor": lambda ev, args, tree: _floor(args[0]),
    "ceil": lambda ev, args, tree: _ceiling(args[0]),
    "abs": lambda ev, args, tree: _Value(np.abs(args[0].num), args[0].den),
    "max": _fold(lambda a, b: _pick(a, b, larger=True)),
    "min": _fold(lambda a, b: _pick(a, b, larger=False)),
}


def evaluate_many(expr: Node | sympy.Expr, columns: Mapping[str, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate ``expr`` exactly at many integer points.

    Parameters
    ----------
    expr : Node or sympy.Expr
        A result of :func:`parse_tree` (the formula as written) or of
        :func:`parse_formula` (its SymPy form).
    columns : mapping of str to 1-D integer arrays
        One array per variable of ``expr``, all of the same length.

    Returns
    -------
    num, den, undefined : arrays
        The value at point ``i`` is ``num[i] / den[i]`` (Python ints, ``den > 0``),
        unless ``undefined[i]`` (a division by zero happened there).

    Examples
    --------
    >>> from symconv.sizes.parse import parse_formula
    >>> num, den, bad = evaluate_many(parse_formula("n / (s - 1)"), {"n": [3, 4], "s": [3, 1]})
    >>> num[0], den[0], bad.tolist()
    (3, 2, [False, True])
    """
    size = len(next(iter(columns.values()))) if columns else 1
    ev = _Evaluation(columns, size)
    value = ev.tree(expr) if isinstance(expr, Node) else ev.value(expr)
    den = ev.constant(1) if value.den is None else value.den
    return value.num, den, ev.undefined


def evaluate(expr: Node | sympy.Expr, values: Mapping[str, int]) -> int | Fraction | None:
    """The exact value of ``expr`` at one integer point; ``None`` where it is undefined.

    Examples
    --------
    >>> from symconv.sizes.parse import parse_formula, parse_tree
    >>> evaluate(parse_formula("floor((n - k)/s) + 1"), {"n": 7, "k": 3, "s": 2})
    3
    >>> evaluate(parse_formula("n/s"), {"n": 7, "s": 2})
    Fraction(7, 2)
    >>> evaluate(parse_formula("n % (s - 2)"), {"n": 7, "s": 2}) is None
    True
    >>> evaluate(parse_tree("(n % k) * 2 % 3"), {"n": 2, "k": 3})
    1
    """
    num, den, undefined = evaluate_many(expr, {k: [v] for k, v in values.items()})
    if undefined[0]:
        return None
    value = Fraction(int(num[0]), int(den[0]))
    return int(value) if value.denominator == 1 else value


def undefined_by_guards(guards: Sequence[sympy.Expr], columns: Mapping[str, np.ndarray]
                         ) -> np.ndarray:
    """Points where some divisor, as written, is zero (or itself undefined)."""
    size = len(next(iter(columns.values()))) if columns else 1
    bad = np.zeros(size, dtype=bool)
    for guard in guards:
        num, _, undefined = evaluate_many(guard, columns)
        bad |= np.asarray(undefined, dtype=bool) | np.asarray(num == 0, dtype=bool)
    return bad
