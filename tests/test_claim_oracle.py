"""The claim language's operators against PyTorch and NumPy (oracles nobody here wrote).

Each term is evaluated at a point with symbolic entries, then random integers are
substituted and the result compared with the framework's own function.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symconv.claim.evaluate import Point, evaluate, signal_shape_of
from symconv.claim.operators import Undefined
from symconv.claim.syntax import parse_claim
from symconv.claim.values import evaluate as evaluate_poly

torch = pytest.importorskip("torch")
F = torch.nn.functional


def numeric(term: str, shapes: dict[str, tuple[int, ...]], seed: int):
    """The term's value with random integer signals, and those signals as arrays."""
    chain = parse_claim(f"{term} == 0")
    point = Point({}, {name: signal_shape_of(name, str(shape)) for name, shape in
                       shapes.items()})
    value = evaluate(chain.terms[0], point, chain.text)
    rng = np.random.default_rng(seed)
    arrays = {name: rng.integers(-5, 6, size=shape) for name, shape in shapes.items()}
    values = {(name, index): int(a[index]) for name, a in arrays.items()
              for index in np.ndindex(a.shape)}
    flat = [float(evaluate_poly(value.entry(i), values)) for i in range(value.size)]
    return np.array(flat).reshape(value.shape), arrays


def torch_1d(a):
    return torch.tensor(a, dtype=torch.float64)[None, None]


@given(n=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 2), seed=st.integers(0, 99), two_d=st.booleans())
def test_corr_and_conv_are_pytorch_conv(n, k, s, p, d, seed, two_d):
    shapes = {"x": (n, n) if two_d else (n,), "k": (k, k) if two_d else (k,)}
    term = f"corr(x, k, stride={s}, padding={p}, dilation={d})"
    try:
        got, a = numeric(term, shapes, seed)
    except Undefined:
        assert d * (k - 1) + 1 > n + 2 * p  # undefined exactly where PyTorch refuses
        return
    conv = F.conv2d if two_d else F.conv1d
    x, w = (torch.tensor(a[v], dtype=torch.float64)[None, None] for v in ("x", "k"))
    np.testing.assert_array_equal(got, conv(x, w, stride=s, padding=p, dilation=d)[0, 0])
    flipped, _ = numeric(f"conv(x, k, stride={s}, padding={p}, dilation={d})", shapes, seed)
    w_flipped = torch.flip(w, dims=tuple(range(2, w.ndim)))
    np.testing.assert_array_equal(flipped, conv(x, w_flipped, stride=s, padding=p,
                                                 dilation=d)[0, 0])


@given(m=st.integers(1, 6), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       q=st.integers(0, 2), d=st.integers(1, 2), seed=st.integers(0, 99))
def test_conv_transpose_is_pytorch_conv_transpose(m, k, s, p, q, d, seed):
    term = f"conv_transpose(y, k, stride={s}, padding={p}, output_padding={q}, dilation={d})"
    try:
        got, a = numeric(term, {"y": (m,), "k": (k,)}, seed)
    except Undefined:
        assert q >= max(s, d) or (m - 1) * s - 2 * p + d * (k - 1) + q + 1 < 1
        return
    want = F.conv_transpose1d(torch_1d(a["y"]), torch_1d(a["k"]), stride=s, padding=p,
                              output_padding=q, dilation=d)
    np.testing.assert_array_equal(got, want[0, 0])


@given(n=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       ceil=st.booleans(), include=st.booleans(), seed=st.integers(0, 99))
def test_pooling_is_pytorch_pooling(n, k, s, p, ceil, include, seed):
    shapes = {"x": (n,)}
    avg = (f"avg_pool(x, {k}, stride={s}, padding={p}, ceil_mode={int(ceil)}, "
           f"count_include_pad={int(include)})")
    try:
        got, a = numeric(avg, shapes, seed)
    except Undefined:
        with pytest.raises(RuntimeError):
            F.avg_pool1d(torch_1d(np.zeros(n)), k, s, p, ceil, include)
        return
    want = F.avg_pool1d(torch_1d(a["x"]), k, s, p, ceil, include)
    np.testing.assert_allclose(got, want[0, 0], rtol=0, atol=1e-12)
    got, a = numeric(f"max_pool(x, {k}, stride={s}, padding={p}, ceil_mode={int(ceil)})",
                     shapes, seed)
    np.testing.assert_array_equal(got, F.max_pool1d(torch_1d(a["x"]), k, s, p,
                                                    ceil_mode=ceil)[0, 0])


@given(n=st.integers(1, 7), s=st.integers(1, 3), b=st.integers(0, 2), e=st.integers(0, 2),
       t=st.integers(-3, 3), seed=st.integers(0, 99))
def test_index_maps_are_numpy_index_maps(n, s, b, e, t, seed):
    shapes = {"x": (n, n)}
    for term, reference in [
        ("flip(x)", lambda x: x[::-1, ::-1]),
        (f"subsample(x, {s})", lambda x: x[::s, ::s]),
        (f"pad(x, {b}, {e})", lambda x: np.pad(x, ((b, e), (b, e)))),
        (f'shift(x, {t}, mode="circular")', lambda x: np.roll(x, (t, t), axis=(0, 1))),
    ]:
        got, a = numeric(term, shapes, seed)
        np.testing.assert_array_equal(got, reference(a["x"]), err_msg=term)
    got, a = numeric(f"upsample(x, {s})", shapes, seed)
    up = np.zeros(((n - 1) * s + 1,) * 2, dtype=int)
    up[::s, ::s] = a["x"]
    np.testing.assert_array_equal(got, up)
    if b + e < n:
        got, a = numeric(f"crop(x, {b}, {e})", shapes, seed)
        np.testing.assert_array_equal(got, a["x"][b:n - e, b:n - e])
