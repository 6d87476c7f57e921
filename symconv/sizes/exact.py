"""Size formulas evaluated exactly at many integer points at once: the formula's tree as
written, or its SymPy form, through the one exact evaluator (:mod:`symconv.prover.evaluate`;
its arithmetic, with division by zero marking a point undefined)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import numpy as np
import sympy

from ..prover.evaluate import Evaluation, Exact, NotEvaluable, evaluate_exact, points
from .parse import Node, fail

#: How each operator of a :class:`Node` is evaluated (Python's own arithmetic, exactly).
_TREE_RULES: dict[str, Callable[[Evaluation, list[Exact], Node], Exact]] = {
    "neg": lambda ev, args, tree: ev.negate(args[0]),
    "+": lambda ev, args, tree: ev.add(*args),
    "-": lambda ev, args, tree: ev.subtract(*args),
    "*": lambda ev, args, tree: ev.mul(*args),
    "/": lambda ev, args, tree: ev.divide(*args),
    "//": lambda ev, args, tree: ev.floor_divide(*args),
    "%": lambda ev, args, tree: ev.mod(*args),
    "**": lambda ev, args, tree: ev.power(args[0], tree.value),
    "floor": lambda ev, args, tree: ev.floor(args[0]),
    "ceil": lambda ev, args, tree: ev.ceiling(args[0]),
    "abs": lambda ev, args, tree: ev.abs(args[0]),
    "max": lambda ev, args, tree: ev.maximum(*args),
    "min": lambda ev, args, tree: ev.minimum(*args),
}


def _tree(ev: Evaluation, tree: Node) -> Exact:
    """The value of a parsed tree: the formula's text evaluated as written."""
    if tree.op == "number":
        return ev.rational(tree.value.numerator, tree.value.denominator)
    if tree.op == "variable":
        return ev.variable(tree.value)
    return _TREE_RULES[tree.op](ev, [_tree(ev, a) for a in tree.args], tree)


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
    try:
        if not isinstance(expr, Node):  # the SymPy form: the prover's evaluator as it is
            return evaluate_exact(expr, columns)
        ev = Evaluation(columns, points(columns))
        value = _tree(ev, expr)
    except NotEvaluable as error:
        raise fail(str(error)) from None
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
    bad = np.zeros(points(columns), dtype=bool)
    for guard in guards:
        num, _, undefined = evaluate_many(guard, columns)
        bad |= np.asarray(undefined, dtype=bool) | np.asarray(num == 0, dtype=bool)
    return bad
