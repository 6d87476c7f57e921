"""The one exact evaluator: machine integers give the same exact fractions (and the same
undefined points) as Python integers, or signal an overflow and are re-run on objects."""

import sys

import numpy as np
import pytest
import sympy

from symconv.prover import LEMMAS, evaluate
from symconv.prover.evaluate import (
    LIMIT,
    MACHINE,
    OBJECTS,
    Evaluation,
    MachineOverflow,
    run_exact,
)
from symconv.prover.lemmas import check_lemma
from symconv.prover.normal_form import A, B, T


def _box(lemma, low=-30, high=30):
    """A small box over every variable of ``lemma`` (divisors 1..7)."""
    ranges = [np.arange(1, 8) if v in lemma.divisors else np.arange(low, high + 1)
              for v in lemma.variables]
    ranges = [r[:: max(1, len(r) // 9)] for r in ranges]
    grid = np.meshgrid(*ranges, indexing="ij")
    return {v.name: g.ravel() for v, g in zip(lemma.variables, grid, strict=True)}


def _value(expr, columns, numbers):
    ev = Evaluation(columns, len(next(iter(columns.values()))), numbers)
    value = ev.expr(expr)
    den = 1 if value.den is None else value.den
    return value.num, np.broadcast_to(den, value.num.shape), ev.undefined


def _same(expr, columns):
    """The machine and the object evaluation agree: same undefined points, same fractions."""
    (a, b, bad), (c, e, exact_bad) = (_value(expr, columns, MACHINE),
                                      _value(expr, columns, OBJECTS))
    assert np.asarray(a).dtype == np.int64
    assert bad.tolist() == exact_bad.tolist(), expr
    left = np.asarray(a, dtype=object) * np.asarray(e, dtype=object)
    right = np.asarray(c, dtype=object) * np.asarray(b, dtype=object)
    assert (left == right).all(), expr
    assert (np.asarray(b) > 0).all() and (np.asarray(e, dtype=object) > 0).all(), expr
    return bad


@pytest.mark.parametrize("name", sorted(LEMMAS))
def test_every_lemma_side_and_condition_agrees_with_the_object_evaluation(name):
    lemma = LEMMAS[name]
    columns = _box(lemma)
    for expr in (lemma.lhs, lemma.rhs, *lemma.conditions):
        assert not _same(expr, columns).any(), expr


def test_values_that_might_not_fit_signal_an_overflow():
    big = np.array([2 ** 31, -(2 ** 31) + 5, 3])
    with pytest.raises(MachineOverflow):
        _value(A * A * B, {A.name: big, B.name: big}, MACHINE)
    with pytest.raises(MachineOverflow):  # 2**62 is not below LIMIT
        _value(A * A, {A.name: big}, MACHINE)
    _same(A * A, {A.name: big // 2})  # 2**60 is
    assert LIMIT == 2 ** 62


def test_run_exact_falls_back_to_objects_with_the_exact_value():
    big = [2 ** 31, 3]
    assert run_exact(lambda ev: ev.expr(A * A * A).num.tolist(), {A.name: big}) == [2 ** 93, 27]
    assert run_exact(lambda ev: ev.expr(A * A * A).num.dtype, {A.name: [3]}) == np.int64


def test_a_zero_divisor_marks_the_same_point_undefined_on_both_number_kinds():
    columns = {A.name: np.array([3, 4, -1]), T.name: np.array([1, 0, 2])}
    assert _same(sympy.floor(A / T), columns).tolist() == [False, True, False]
    assert _same((A / T + sympy.Rational(1, 2)) ** -2, columns).tolist() == [False, True, True]
    with pytest.raises(ZeroDivisionError):
        evaluate(sympy.floor(A / T), {A: columns[A.name], T: columns[T.name]})


def test_floor_and_mod_of_negatives_are_pythons():
    columns = {A.name: np.array([-7, 7, -1, 0]), T.name: np.array([2, 3, 5, 4])}
    num, den, _ = _value(sympy.floor(A / T), columns, MACHINE)
    assert (num // den).tolist() == [-4, 2, -1, 0]
    num, den, _ = _value(sympy.Mod(A, T), columns, MACHINE)
    assert (num // den).tolist() == [1, 1, 4, 0]


def test_comparisons_stay_exact_beyond_int64():
    huge = 2 ** 40
    columns = {A.name: [huge, huge], B.name: [huge, huge + 1]}
    # huge * huge overflows int64: the comparison is re-run on objects
    assert run_exact(lambda ev: ev.equal(ev.expr(A * A), ev.expr(A * B)).tolist(),
                     columns) == [True, False]
    assert run_exact(lambda ev: ev.nonnegative(ev.expr(-A / B)).tolist(),
                     columns) == [False, False]


def test_a_wrong_lemma_still_fails_on_its_box():
    floor_shift = LEMMAS["floor-shift"]
    wrong = type(floor_shift)("wrong-shift", floor_shift.lhs, floor_shift.rhs + 1,
                              floor_shift.conditions, floor_shift.integers,
                              floor_shift.divisors, "wrong", floor_shift.small)
    points, failure = check_lemma(wrong)
    assert points == check_lemma(floor_shift)[0] and failure is not None


def test_a_point_where_a_side_is_undefined_fails_the_lemma():
    """Both sides undefined at ``a == b``: not silently counted as agreeing."""
    lemma = type(LEMMAS["floor-shift"])("undefined", 1 / (A - B), 1 / (A - B), (), (A, B),
                                        (), "none", (A, B))
    points, failure = check_lemma(lemma)
    assert points == 41 * 41 and failure == {A.name: -20, B.name: -20}


def test_a_point_where_a_condition_is_undefined_fails_the_lemma():
    lemma = type(LEMMAS["floor-shift"])("undefined-condition", A, A, (1 / (A - B),), (A, B),
                                        (), "none", (A, B))
    points, failure = check_lemma(lemma)
    assert failure == {A.name: -20, B.name: -20}
    assert points == sum(1 for a in range(-20, 21) for b in range(-20, 21) if a >= b)


@pytest.mark.parametrize("name", ["mod-definition", "floor-shift", "floor-characterisation",
                                  "window-count", "floor-min", "drop-indicator", "halves"])
def test_box_check_matches_the_object_box_check(name, monkeypatch):
    """The same points and the same first failure as over Python integers only."""
    fast = check_lemma(LEMMAS[name])
    monkeypatch.setattr(sys.modules["symconv.prover.evaluate"], "MACHINE", OBJECTS)
    assert check_lemma(LEMMAS[name]) == fast


@pytest.mark.parametrize("expr", [
    A / T + B / (T + 1), sympy.Rational(1, 3) * A - B / 2, sympy.Max(A / T, B / (T + 1)),
    sympy.Min(A / 3, B / T, A - B), sympy.ceiling(A / T - B / 3), sympy.Mod(A / 2, T / 3),
    (A / T + sympy.Rational(1, 2)) ** -2, sympy.Abs(A / T - B), sympy.floor(sympy.floor(A / T) / 2),
])
def test_fractions_agree_with_the_object_evaluation(expr):
    a, b, t = np.meshgrid(np.arange(-13, 14), np.arange(-9, 10), np.arange(1, 6), indexing="ij")
    _same(expr, {A.name: a.ravel(), B.name: b.ravel(), T.name: t.ravel()})
