"""Every operator builder against the NumPy oracle on small exhaustive grids.

Deterministic and numeric only (``op.numeric(w) @ x`` against the oracle's
sliding windows or scatter), so it is fast enough to run as the catcher of
many mutants in ``test_mutants.py``; ``test_operators.py`` does the same
with Hypothesis and the exact symbolic matrices.
"""

from __future__ import annotations

import itertools

import numpy as np

from symconv import numeric
from symconv import operators as ops
from symconv.errors import GeometryError
from symconv.geometry import Geometry, TransposedGeometry

RNG = np.random.default_rng(0)
#: (in_channels, out_channels, groups): ungrouped, unequal channels, and both group shapes.
CHANNELS = [(1, 1, 1), (2, 3, 1), (2, 4, 2), (4, 2, 2)]
PADDINGS = [0, 2, ((0, 1),), "same", "same_lower", "full"]


def _integers(shape):
    return RNG.integers(-3, 4, size=shape)


def _agree(op, oracle):
    w = _integers(op.kernel_shape) if op.kernel is not None else None
    x = _integers(op.input_shape)
    want = oracle(x, w)
    return want.shape == op.output_shape and np.allclose(op.numeric(w) @ x.ravel(), want.ravel())


def _geometries():
    for n, k, s, d, padding in itertools.product(range(1, 7), range(1, 4), range(1, 4),
                                                 range(1, 3), PADDINGS):
        try:
            yield Geometry((n,), (k,), stride=s, padding=padding, dilation=d)
        except GeometryError:
            continue


def test_correlation_and_convolution_match_the_oracle_on_a_grid():
    wrong, checked = [], 0
    for case, g in enumerate(_geometries()):
        c_in, c_out, groups = CHANNELS[case % len(CHANNELS)]
        for flip, oracle in ((False, numeric.correlate), (True, numeric.convolve)):
            op = ops.correlation(g, c_in, c_out, groups, flip=flip)
            checked += 1
            if not _agree(op, lambda x, w, g=g, f=oracle, c=groups: f(x, w, g, c)):
                wrong.append((g, flip, c_in, c_out, groups))
    assert checked > 600
    assert wrong == []


def test_two_dimensional_correlation_matches_the_oracle():
    for padding, stride, dilation in [(1, (2, 1), (1, 2)), ("same", 2, 1), (((0, 2), 1), 1, 2)]:
        g = Geometry((5, 4), (3, 2), stride=stride, padding=padding, dilation=dilation)
        for c_in, c_out, groups in CHANNELS:
            op = ops.correlation(g, c_in, c_out, groups)
            assert _agree(op, lambda x, w, g=g, groups=groups: numeric.correlate(x, w, g, groups))


def test_transposed_convolution_matches_the_oracle_on_a_grid():
    wrong, checked = [], 0
    for case, (n, k, s, p, extra, d) in enumerate(itertools.product(
            range(1, 5), range(1, 4), range(1, 4), range(3), range(3), range(1, 3))):
        try:
            t = TransposedGeometry((n,), (k,), stride=s, padding=p, output_padding=extra,
                                   dilation=d)
        except GeometryError:
            continue
        c_in, c_out, groups = CHANNELS[case % len(CHANNELS)]
        op = ops.transposed_convolution(t, in_channels=c_in, out_channels=c_out, groups=groups)
        checked += 1
        if not _agree(op, lambda x, w, t=t, groups=groups: numeric.conv_transpose(x, w, t,
                                                                                  groups)):
            wrong.append((t, c_in, c_out, groups))
    assert checked > 200
    assert wrong == []


def test_constant_operators_match_the_oracle_on_a_grid():
    wrong = []
    for n, amount in itertools.product(range(1, 7), range(1, 4)):
        cases = [
            (ops.shift((n,), amount, channels=2), lambda x, _, a=amount: numeric.shift(x, (a,))),
            (ops.shift((n,), -amount, circular=True),
             lambda x, _, a=amount: numeric.shift(x, (-a,), circular=True)),
            (ops.zero_insertion((n,), amount, channels=2),
             lambda x, _, a=amount: numeric.zero_insert(x, a)),
            (ops.decimation((n,), amount), lambda x, _, a=amount: numeric.decimate(x, a)),
            (ops.zero_padding((n,), ((amount, 1),)),
             lambda x, _, a=amount: numeric.pad(x, [(a, 1)])),
        ]
        wrong += [(op.name, n, amount) for op, oracle in cases if not _agree(op, oracle)]
    assert wrong == []
