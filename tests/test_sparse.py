"""The exact coefficient-map comparison against a naive dict comparison.

``first_map_difference`` is what every "proved" of a matrix identity rests on,
so it is checked here against the obvious slow reading: two maps are equal
exactly when they give every ``(row, col, symbol)`` the same coefficient
(a missing key has coefficient 0), and the first difference is the smallest
such key.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv.sparse import (
    BlockMap,
    CoefficientMap,
    coefficient_map,
    expand_blocks,
    first_block_difference,
    first_map_difference,
)

SHAPE = (3, 3)


def _map(entries, shape=SHAPE):
    """A coefficient map from ``[(row, col, symbol, coefficient), ...]``."""
    rows, cols, symbols, coeffs = (list(v) for v in zip(*entries)) if entries else ([],) * 4
    return coefficient_map(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
                           np.array(symbols, dtype=np.int64), shape,
                           [sympy.Rational(c) for c in coeffs])


def _naive(entries):
    """``{key: coefficient}`` with duplicates summed and zeros dropped."""
    out: dict[tuple[int, int, int], Fraction] = {}
    for r, c, t, a in entries:
        out[(r, c, t)] = out.get((r, c, t), Fraction(0)) + Fraction(a)
    return {key: value for key, value in out.items() if value != 0}


def _naive_first_difference(a, b):
    na, nb = _naive(a), _naive(b)
    differing = sorted(key for key in set(na) | set(nb)
                       if na.get(key, Fraction(0)) != nb.get(key, Fraction(0)))
    if not differing:
        return None
    key = differing[0]
    return key, na.get(key, Fraction(0)), nb.get(key, Fraction(0))


_entries = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(-1, 2),
                              st.sampled_from([-1, 1, 2, Fraction(1, 2), Fraction(-1, 3)])),
                    max_size=6)


@given(a=_entries, b=_entries)
def test_first_map_difference_is_the_naive_first_difference(a, b):
    assert first_map_difference(_map(a), _map(b)) == _naive_first_difference(a, b)


@given(a=_entries)
def test_a_map_equals_itself_rebuilt_in_another_order(a):
    assert first_map_difference(_map(a), _map(a[::-1])) is None


def test_same_keys_with_different_coefficients_differ():
    a = _map([(0, 0, 0, 1), (1, 1, 0, 2)])
    b = _map([(0, 0, 0, 1), (1, 1, 0, 3)])
    assert first_map_difference(a, b) == ((1, 1, 0), Fraction(2), Fraction(3))


def test_a_map_and_its_prefix_differ_both_ways():
    whole = _map([(0, 0, 0, 1), (1, 0, 1, 1), (2, 2, 1, 5)])
    prefix = _map([(0, 0, 0, 1), (1, 0, 1, 1)])
    assert first_map_difference(whole, prefix) == ((2, 2, 1), Fraction(5), Fraction(0))
    assert first_map_difference(prefix, whole) == ((2, 2, 1), Fraction(0), Fraction(5))


def test_equal_values_over_different_denominators_are_equal():
    keys = np.array([[0, 0, 0], [1, 2, -1]], dtype=np.int64)
    halves = CoefficientMap(keys, np.array([1, 3], dtype=np.int64), 2, SHAPE)
    quarters = CoefficientMap(keys, np.array([2, 6], dtype=np.int64), 4, SHAPE)
    thirds = CoefficientMap(keys, np.array([1, 3], dtype=np.int64), 3, SHAPE)
    assert first_map_difference(halves, quarters) is None
    assert first_map_difference(halves, thirds) == ((0, 0, 0), Fraction(1, 2), Fraction(1, 3))


def test_cancelling_duplicates_leave_an_empty_map():
    cancelled = _map([(0, 1, 0, 1), (0, 1, 0, -1)])
    assert len(cancelled) == 0
    assert first_map_difference(cancelled, _map([])) is None
    assert first_map_difference(cancelled, _map([(0, 1, 0, 1)])) is not None


def _block(channel_entries, spatial_entries):
    return BlockMap(_map(channel_entries, (2, 2)), _map(spatial_entries, (2, 3)), 3)


def test_block_difference_is_the_difference_of_the_expanded_maps():
    a = _block([(0, 0, 0, 2), (1, 1, 1, 1)], [(0, 0, 0, 1), (1, 2, 2, 1)])
    scaled = _block([(0, 0, 0, 1), (1, 1, 1, Fraction(1, 2))], [(0, 0, 0, 2), (1, 2, 2, 2)])
    other = _block([(0, 0, 0, 2), (1, 1, 1, 1)], [(0, 0, 0, 1), (1, 2, 2, 3)])
    assert first_map_difference(expand_blocks(a), expand_blocks(scaled)) is None
    assert first_block_difference(a, scaled) is None
    key, in_a, in_other = first_block_difference(a, other)
    assert in_a != in_other
    assert _naive_entry(expand_blocks(a), key) == in_a
    assert _naive_entry(expand_blocks(other), key) == in_other


def _naive_entry(m, key):
    for e, row in enumerate(m.keys.tolist()):
        if tuple(row) == key:
            return m.coefficient(e)
    return Fraction(0)
