"""The one smallest-counterexample order, as every search for a smallest failure uses it."""

import itertools

import numpy as np

from symconv.claim.check import points_in_order
from symconv.order import by_size, order_by_size
from symconv.sizes.finite_domain import smallest_failure
from symconv.theorems.counting_output_size import LAYER_KEYS, smallest_across


def _grid():
    return list(itertools.product(range(3, 0, -1), range(0, 3), range(2, -1, -1)))


def test_the_column_order_is_the_key_order():
    points = _grid()
    columns = [np.array(col) for col in zip(*points, strict=True)]
    assert [points[i] for i in order_by_size(columns)] == sorted(points, key=by_size)


def test_sum_first_then_lexicographic():
    assert sorted([(0, 3), (2, 0), (1, 1), (0, 2)], key=by_size) == [(0, 2), (1, 1), (2, 0),
                                                                     (0, 3)]


def test_every_site_picks_the_same_smallest_point():
    points = _grid()
    names = ("n", "k", "s")
    expected = dict(zip(names, min(points, key=by_size), strict=True))
    ranges = {name: (min(col), max(col)) for name, col in zip(names, zip(*points), strict=True)}
    assert points_in_order(ranges)[0] == expected
    columns = {name: np.array(col) for name, col in zip(names, zip(*points), strict=True)}
    index = smallest_failure(np.ones(len(points), dtype=bool), columns)
    assert {name: int(col[index]) for name, col in columns.items()} == expected


def test_smallest_across_conventions_breaks_sum_ties_lexicographically():
    low = dict.fromkeys(LAYER_KEYS, 1)
    later = {**low, "n": 1, "k": 2}
    earlier = {**low, "n": 2, "k": 1}
    assert smallest_across([("a", earlier), ("b", later)]) == ("b", later)
    assert smallest_across([("a", low), ("b", dict(low))])[0] == "a"
    assert smallest_across([("a", None)]) is None
