"""Pooling operators against the NumPy oracle on exhaustive small grids.

The Hypothesis tests in ``test_operators.py`` draw pooling geometries without
dilation; these grids cover dilation (max pooling), ``ceil_mode`` windows that
overhang the padding, and both average-pool divisors, at every small size.
"""

from __future__ import annotations

import itertools

import numpy as np

from symconv import numeric
from symconv import operators as ops
from symconv.errors import GeometryError
from symconv.geometry import PoolGeometry


def _pool_geometries(max_dilation):
    for n, k, s, d, ceil in itertools.product(range(1, 8), range(1, 4), range(1, 4),
                                              range(1, max_dilation + 1), (False, True)):
        for p in range(k // 2 + 1):
            try:
                yield PoolGeometry((n,), (k,), stride=s, padding=p, dilation=d, ceil_mode=ceil)
            except GeometryError:
                continue


def _distinct_input(g, channels=1):
    """Distinct values in a scrambled order, so any changed window changes a maximum."""
    size = channels * int(np.prod(g.input_shape))
    values = (np.arange(size) * 7 % (size + 3)).astype(float)
    return values.reshape((channels, *g.input_shape))


def test_max_pool_windows_match_the_oracle_with_dilation():
    checked, wrong = 0, []
    for g in _pool_geometries(max_dilation=3):
        x = _distinct_input(g)
        want = numeric.max_pool(x, g)
        if -np.inf in want:
            continue  # a window that meets no input: MaxPool has no value for it
        checked += 1
        got = ops.max_pool(g).numeric(x)
        if got.shape != want.shape or not np.array_equal(got, want):
            wrong.append((g, got.tolist(), want.tolist()))
    assert checked > 450
    assert wrong == []


def test_dilated_max_pool_skips_the_samples_between_taps():
    mp = ops.max_pool((5,), (2,), stride=1, dilation=3)
    assert mp.windows == ((0, 3), (1, 4))
    x = np.array([[9.0, 0.0, 0.0, 1.0, 2.0]])
    np.testing.assert_array_equal(mp.numeric(x), [[9.0, 2.0]])
    np.testing.assert_array_equal(numeric.max_pool(x, mp.geometry), [[9.0, 2.0]])


def test_avg_pool_divisors_match_the_oracle_with_ceil_mode_overhang():
    checked, wrong = 0, []
    for g, include in itertools.product(_pool_geometries(max_dilation=1), (True, False)):
        x = np.ones((1, *g.input_shape))
        want = numeric.avg_pool(x * 12.0, g, include)
        got = ops.avg_pool(g, count_include_pad=include).numeric() @ (x.ravel() * 12.0)
        checked += 1
        if not np.allclose(got, want.ravel()):
            wrong.append((g, include, got.tolist(), want.tolist()))
    assert checked > 300
    assert wrong == []


def test_ceil_mode_window_overhanging_the_padding_divides_by_its_clipped_size():
    """n=4, k=3, s=2, p=1, ceil_mode: the last window starts at 3 and would end at 6, past
    n + p = 5; PyTorch divides by 5 - 3 = 2 with count_include_pad, not by 3 (or by
    n + 2p - 3 = 3)."""
    g = PoolGeometry((4,), (3,), stride=2, padding=1, ceil_mode=True)
    x = np.array([[0.0, 0.0, 0.0, 6.0]])
    np.testing.assert_allclose(numeric.avg_pool(x, g), [[0.0, 2.0, 3.0]])
    np.testing.assert_allclose(ops.avg_pool(g).numeric() @ x.ravel(), [0.0, 2.0, 3.0])
