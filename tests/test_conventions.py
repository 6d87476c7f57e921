"""Framework conventions symconv expresses, checked against PyTorch (CPU) itself.

TensorFlow/Keras and JAX have their own live modules (``test_live_tensorflow.py``,
``test_live_jax.py``); this one holds the PyTorch side and the named-error tables.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy

import symconv as sc
from symconv.errors import OperatorError
from symconv.geometry import PoolGeometry

torch = pytest.importorskip("torch")
F = torch.nn.functional


# ---------------------------------------------------------------------------
# Max pooling windows that meet no input sample (issue 14, item 5)
# ---------------------------------------------------------------------------

def _empty_window_geometries():
    """Every small 1-D/2-D max pooling with a window whose taps all fall in the padding."""
    for n, k, s, d in itertools.product(range(1, 6), range(2, 5), range(1, 4), range(2, 5)):
        for p in range(1, k // 2 + 1):
            try:
                g = PoolGeometry((n,), (k,), stride=s, padding=p, dilation=d)
            except sc.SymconvError:
                continue
            if not all(sc.max_pool(g).windows):
                yield g
    yield PoolGeometry((1, 2), (2, 1), stride=1, padding=(1, 0), dilation=(2, 1))
    yield PoolGeometry((2, 3), (2, 1), stride=1, padding=(1, 0), dilation=(3, 1))


def _torch_max_pool(x, g):
    pool = {1: F.max_pool1d, 2: F.max_pool2d}[g.ndim]
    values, indices = pool(torch.from_numpy(x[None]), g.kernel_shape, stride=g.stride,
                           padding=g.padding, dilation=g.dilation, ceil_mode=g.ceil_mode,
                           return_indices=True)
    return values[0].numpy(), indices[0].numpy()


def test_the_smallest_empty_window_has_pytorchs_value_and_switch():
    mp = sc.max_pool((1,), (2,), stride=1, padding=1, dilation=2)
    x = np.array([[3.0]])
    values, indices = _torch_max_pool(x, mp.geometry)
    assert values.tolist() == [[-np.inf]] and indices.tolist() == [[1]]
    np.testing.assert_array_equal(mp.numeric(x), values)
    np.testing.assert_array_equal(mp.switches(x), indices)
    assert mp.apply(sc.input_symbols(mp.input_shape)).tolist() == [[-sympy.oo]]


def test_every_small_empty_window_matches_torch():
    checked = 0
    for g in _empty_window_geometries():
        mp = sc.max_pool(g, channels=2)
        x = np.random.default_rng(checked).normal(size=mp.input_shape)
        values, indices = _torch_max_pool(x, g)
        np.testing.assert_array_equal(mp.numeric(x), values, err_msg=str(g))
        np.testing.assert_array_equal(mp.switches(x), indices, err_msg=str(g))
        checked += 1
    assert checked >= 11


def test_the_selection_of_an_empty_window_is_refused_by_name():
    mp = sc.max_pool((1,), (2,), stride=1, padding=1, dilation=2)
    with pytest.raises(OperatorError, match=r"switches .*-inf.*got 1 \(valid: 0 to 0"):
        mp.selection(mp.switches([[3.0]]))
