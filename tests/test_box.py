"""The int64 box evaluation: the same exact fractions as the object evaluation, or None."""

import numpy as np
import pytest
import sympy

from symconv.prover import LEMMAS, evaluate
from symconv.prover.box import LIMIT, differ, evaluate_int64, nonnegative
from symconv.prover.lemmas import check_lemma
from symconv.prover.normal_form import A, B, T


def _box(lemma, low=-30, high=30):
    """A small box over every variable of ``lemma`` (divisors 1..7)."""
    ranges = [np.arange(1, 8) if v in lemma.divisors else np.arange(low, high + 1)
              for v in lemma.variables]
    ranges = [r[:: max(1, len(r) // 9)] for r in ranges]
    grid = np.meshgrid(*ranges, indexing="ij")
    return {v: g.ravel() for v, g in zip(lemma.variables, grid, strict=True)}


def _same_fraction(found, exact):
    (a, b), (c, e) = found, exact
    left = np.asarray(a, dtype=object) * np.asarray(e, dtype=object)
    right = np.asarray(c, dtype=object) * np.asarray(b, dtype=object)
    return bool(np.all(left == right))


@pytest.mark.parametrize("name", sorted(LEMMAS))
def test_every_lemma_side_and_condition_agrees_with_the_object_evaluation(name):
    lemma = LEMMAS[name]
    env = _box(lemma)
    for expr in (lemma.lhs, lemma.rhs, *lemma.conditions):
        found = evaluate_int64(expr, env)
        assert found is not None, expr
        assert _same_fraction(found, evaluate(expr, env)), expr


def test_values_that_might_not_fit_fall_back_to_exact_objects():
    big = np.array([2 ** 31, -(2 ** 31) + 5, 3])
    assert evaluate_int64(A * A * B, {A: big, B: big}) is None
    assert evaluate_int64(A * A, {A: big}) is None  # 2**62 is not below LIMIT
    assert evaluate_int64(A * A, {A: big // 2}) is not None  # 2**60 is
    assert LIMIT == 2 ** 62


def test_a_zero_divisor_falls_back_to_the_object_evaluation():
    assert evaluate_int64(sympy.floor(A / T), {A: np.array([3, 4]), T: np.array([1, 0])}) is None


def test_floor_and_mod_of_negatives_are_pythons():
    env = {A: np.array([-7, 7, -1, 0]), T: np.array([2, 3, 5, 4])}
    num, den = evaluate_int64(sympy.floor(A / T), env)
    assert (num // den).tolist() == [-4, 2, -1, 0]
    num, den = evaluate_int64(sympy.Mod(A, T), env)
    assert (num // den).tolist() == [1, 1, 4, 0]


def test_comparisons_stay_exact_beyond_int64():
    huge = np.array([2 ** 40, 2 ** 40], dtype=np.int64)
    # (2**40 * 2**40 + 1) vs 2**80: equal fractions only where the numerators agree
    assert differ((huge, 1), (huge + np.array([0, 1]), 1)).tolist() == [False, True]
    assert differ((huge, huge), (huge + 1, huge + 1)).tolist() == [False, False]
    assert nonnegative((-huge, huge)).tolist() == [False, False]


def test_a_wrong_lemma_still_fails_on_its_int64_box():
    floor_shift = LEMMAS["floor-shift"]
    wrong = type(floor_shift)("wrong-shift", floor_shift.lhs, floor_shift.rhs + 1,
                              floor_shift.conditions, floor_shift.integers,
                              floor_shift.divisors, "wrong", floor_shift.small)
    points, failure = check_lemma(wrong)
    assert points == check_lemma(floor_shift)[0] and failure is not None


@pytest.mark.parametrize("name", ["mod-definition", "floor-shift", "floor-characterisation",
                                  "window-count", "floor-min", "drop-indicator", "halves"])
def test_box_check_matches_the_object_box_check(name, monkeypatch):
    """The same points and the same first failure as over Python integers only."""
    import symconv.prover.lemmas as lemmas
    fast = check_lemma(LEMMAS[name])
    monkeypatch.setattr(lemmas, "evaluate_int64", lambda expr, env: None)
    assert check_lemma(LEMMAS[name]) == fast


@pytest.mark.parametrize("expr", [
    A / T + B / (T + 1), sympy.Rational(1, 3) * A - B / 2, sympy.Max(A / T, B / (T + 1)),
    sympy.Min(A / 3, B / T, A - B), sympy.ceiling(A / T - B / 3), sympy.Mod(A / 2, T / 3),
    (A / T + sympy.Rational(1, 2)) ** -2, sympy.Abs(A / T - B), sympy.floor(sympy.floor(A / T) / 2),
])
def test_fractions_agree_with_the_object_evaluation(expr):
    a, b, t = np.meshgrid(np.arange(-13, 14), np.arange(-9, 10), np.arange(1, 6), indexing="ij")
    env = {A: a.ravel(), B: b.ravel(), T: t.ravel()}
    found = evaluate_int64(expr, env)
    assert found is not None
    assert _same_fraction(found, evaluate(expr, env))
