"""Red team against the warm transpose/adjoint speed-ups (branch warm32).

Each shortcut is attacked where its precondition could be met by something it should not
accept: the oracle's gather and its loop over offsets (both forced) against PyTorch, SciPy
and an exact loop over Fractions; ``equal_unit_maps`` against the coefficient maps it
stands in for (duplicated keys, other coefficients); shared symbol ids of two kernel grids
that differ only by name; ``op.numeric`` by bincount against ``np.add.at``; deferred
corners rendered twice, after pickling, and after the operator they were built from is
mutated.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.geometry import Geometry, TransposedGeometry
from symconv.numeric import conv_transpose, convolve, correlate
from symconv.numeric import convolution as oracle
from symconv.operators import correlation, transposed_convolution
from symconv.proof import DeferredDisplay
from symconv.sparse import coefficient_map, equal_unit_maps, first_map_difference
from symconv.theorems import structure

torch = pytest.importorskip("torch")
functional = torch.nn.functional

PATHS = {"gather": 1 << 62, "loop": 0}  # GATHER_VALUES forcing each path


@st.composite
def layers(draw: st.DrawFn) -> dict:
    """A small layer: 1-3 axes, any stride (also > kernel), dilation, asymmetric pads."""
    ndim = draw(st.integers(1, 3))
    top = {1: 9, 2: 6, 3: 4}[ndim]
    k = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    s = tuple(draw(st.integers(1, 4)) for _ in range(ndim))
    d = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    pads = tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(ndim))
    n = tuple(max(draw(st.integers(1, top)), dd * (kk - 1) + 1 - a - b)
              for kk, dd, (a, b) in zip(k, d, pads))
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    return dict(n=n, k=k, s=s, d=d, pads=pads, groups=groups, c_in=c_in, c_out=c_out)


def _torch_conv(ndim: int):
    return {1: functional.conv1d, 2: functional.conv2d, 3: functional.conv3d}[ndim]


def _torch_conv_transpose(ndim: int):
    return {1: functional.conv_transpose1d, 2: functional.conv_transpose2d,
            3: functional.conv_transpose3d}[ndim]


def _both_paths(monkeypatch: pytest.MonkeyPatch, call) -> dict[str, np.ndarray]:
    results = {}
    for name, limit in PATHS.items():
        monkeypatch.setattr(oracle, "GATHER_VALUES", limit)
        results[name] = call()
    return results


@settings(max_examples=40, deadline=None)
@given(layer=layers(), seed=st.integers(0, 2**16))
def test_correlation_both_paths_match_torch(layer: dict, seed: int) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        rng = np.random.default_rng(seed)
        g = Geometry(layer["n"], layer["k"], layer["s"], layer["pads"], layer["d"])
        x = rng.integers(-5, 6, (layer["c_in"], *layer["n"]))
        w = rng.integers(-5, 6, (layer["c_out"], layer["c_in"] // layer["groups"], *layer["k"]))
        got = _both_paths(monkeypatch, lambda: correlate(x, w, g, layer["groups"]))
        flipped = _both_paths(monkeypatch, lambda: convolve(x, w, g, layer["groups"]))
    xp = np.pad(x, ((0, 0), *layer["pads"])).astype(np.float64)
    want = _torch_conv(g.ndim)(torch.from_numpy(xp)[None], torch.from_numpy(w.astype(float)),
                               stride=layer["s"], dilation=layer["d"],
                               groups=layer["groups"])[0].numpy()
    flip = tuple(range(2, w.ndim))
    want_flipped = _torch_conv(g.ndim)(
        torch.from_numpy(xp)[None], torch.from_numpy(np.flip(w, flip).astype(float).copy()),
        stride=layer["s"], dilation=layer["d"], groups=layer["groups"])[0].numpy()
    for name in PATHS:
        assert got[name].dtype == np.int64
        np.testing.assert_array_equal(got[name], want)
        np.testing.assert_array_equal(flipped[name], want_flipped)


@st.composite
def transposed_layers(draw: st.DrawFn) -> dict:
    """A small PyTorch ConvTranspose: symmetric pads, output_padding < max(s, d)."""
    layer = draw(layers())
    p = tuple(draw(st.integers(0, (dd * (kk - 1)))) for kk, dd in zip(layer["k"], layer["d"]))
    op = tuple(draw(st.integers(0, max(ss, dd) - 1)) for ss, dd in zip(layer["s"], layer["d"]))
    n = tuple(min(v, 4) for v in layer["n"])
    return {**layer, "n": n, "p": p, "op": op}


@settings(max_examples=40, deadline=None)
@given(layer=transposed_layers(), seed=st.integers(0, 2**16))
def test_conv_transpose_both_paths_match_torch(layer: dict, seed: int) -> None:
    try:
        tg = TransposedGeometry(layer["n"], layer["k"], layer["s"], layer["p"], layer["op"],
                                layer["d"])
    except Exception:  # noqa: BLE001 - a layer PyTorch would refuse too (empty output)
        return
    rng = np.random.default_rng(seed)
    groups = layer["groups"]
    x = rng.integers(-5, 6, (layer["c_in"], *layer["n"]))
    w = rng.integers(-5, 6, (layer["c_in"], layer["c_out"] // groups, *layer["k"]))
    with pytest.MonkeyPatch.context() as monkeypatch:
        got = _both_paths(monkeypatch, lambda: conv_transpose(x, w, tg, groups))
    want = _torch_conv_transpose(tg.ndim)(
        torch.from_numpy(x.astype(float))[None], torch.from_numpy(w.astype(float)),
        stride=layer["s"], padding=layer["p"], output_padding=layer["op"], groups=groups,
        dilation=layer["d"])[0].numpy()
    for name in PATHS:
        assert got[name].dtype == np.int64
        np.testing.assert_array_equal(got[name], want)


def _exact_correlation(x: np.ndarray, w: np.ndarray, g: Geometry) -> np.ndarray:
    """The definition, one output at a time (one group), in Python numbers."""
    (c_out, c_in), k = w.shape[:2], g.kernel_shape
    out = np.zeros((c_out, *g.output_shape), dtype=object)
    for o, i in product(range(c_out), product(*map(range, g.output_shape))):
        total = Fraction(0)
        for c, m in product(range(c_in), product(*map(range, k))):
            j = [s * a - pb + d * b for a, b, s, d, (pb, _) in zip(i, m, g.stride, g.dilation,
                                                                   g.pads)]
            if all(0 <= v < n for v, n in zip(j, g.input_shape)):
                total += w[(o, c, *m)] * x[(c, *j)]
        out[(o, *i)] = total
    return out


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("n, k, s, padding, d", [
    ((7,), (3,), 2, ((2, 1),), 2), ((5, 4), (2, 3), (3, 1), ((1, 0), (0, 2)), (1, 2)),
    ((4, 3, 3), (2, 1, 2), (1, 5, 2), 1, 1), ((6,), (2,), 5, "same", 1)])
def test_fractions_exact_on_both_paths(monkeypatch: pytest.MonkeyPatch, path: str, n, k, s,
                                       padding, d) -> None:
    monkeypatch.setattr(oracle, "GATHER_VALUES", PATHS[path])
    g = Geometry(n, k, s, padding, d)
    rng = np.random.default_rng(7)
    frac = np.vectorize(lambda a, b: Fraction(int(a), int(b)), otypes=[object])
    x = frac(rng.integers(-9, 10, (2, *n)), rng.integers(1, 7, (2, *n)))
    w = frac(rng.integers(-9, 10, (3, 2, *k)), rng.integers(1, 7, (3, 2, *k)))
    got = correlate(x, w, g)
    assert got.dtype == object and all(isinstance(v, Fraction) for v in got.flat)
    assert (got == _exact_correlation(x, w, g)).all()


@settings(max_examples=30, deadline=None)
@given(n=st.integers(4, 12), k=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_one_channel_valid_matches_scipy(n: int, k: int, seed: int) -> None:
    signal = pytest.importorskip("scipy.signal")
    rng = np.random.default_rng(seed)
    x, w = rng.integers(-9, 10, (1, n, n + 1)), rng.integers(-9, 10, (1, 1, k, k))
    with pytest.MonkeyPatch.context() as monkeypatch:
        got = _both_paths(monkeypatch, lambda: correlate(x, w, Geometry((n, n + 1), (k, k))))
    want = signal.correlate(x[0], w[0, 0], mode="valid", method="direct")
    for name in PATHS:
        np.testing.assert_array_equal(got[name][0], want)


# --- equal_unit_maps: only what the coefficient maps would also call equal ---------------

@settings(max_examples=60, deadline=None)
@given(entries=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(-1, 2)),
                        min_size=1, max_size=12),
       other=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(-1, 2)),
                      max_size=12),
       permute=st.booleans())
def test_equal_unit_maps_never_accepts_unequal_maps(entries, other, permute) -> None:
    b_entries = list(reversed(entries)) if permute else other
    if not b_entries:
        b_entries = entries
    a = tuple(np.array(v, dtype=np.int64) for v in zip(*entries))
    b = tuple(np.array(v, dtype=np.int64) for v in zip(*b_entries))
    got = equal_unit_maps(a, b, (4, 4))
    lhs, rhs = coefficient_map(*a, (4, 4)), coefficient_map(*b, (4, 4))
    equal = first_map_difference(lhs, rhs) is None
    if got is not None:
        assert equal and got == len(lhs) == len(entries)
    elif equal:  # declined: only for repeated keys (then the maps decide)
        assert len(set(entries)) < len(entries)


def test_equal_unit_maps_sees_moved_and_duplicated_taps() -> None:
    c = correlation(Geometry((6,), (3,), 2, 1))
    t = transposed_convolution(TransposedGeometry((3,), (3,), 2, 1, 1), kernel_name="k")
    forms = [(t.rows, t.cols, t.taps), (c.cols, c.rows, c.taps)]
    assert equal_unit_maps(*forms, t.shape) == len(t.rows)
    moved = forms[0][2].copy()
    moved[[0, 1]] = moved[[1, 0]]  # same keys as a multiset of taps, moved between entries
    assert moved[0] != moved[1]
    assert equal_unit_maps((t.rows, t.cols, moved), forms[1], t.shape) is None
    doubled = tuple(np.r_[a, a[:1]] for a in forms[0])  # a key twice: coefficient 2
    assert equal_unit_maps(doubled, tuple(np.r_[a, a[:1]] for a in forms[1]), t.shape) is None


def test_scaled_builder_is_not_decided_by_the_unit_shortcut(monkeypatch) -> None:
    """A builder with coefficients (all 2 on T, or 1 and -1 cancelling) is not T = Cᵀ; the
    unit shortcut must not run, and the proof must be red."""
    real = structure.transposed_convolution

    def scaled(*args, **kwargs):
        op = real(*args, **kwargs)
        return replace(op, coeffs=np.full(len(op.rows), 2)) if op.input_shape[-1] > 8 else op
    monkeypatch.setattr(structure, "transposed_convolution", scaled)
    for theorem in ("transpose", "adjoint"):
        result = structure.compare_index_forms(Geometry((40,), (3,), 1, 1))
        assert not result.holds and result.difference is not None, theorem


# --- shared symbol ids --------------------------------------------------------------------

def test_kernel_grids_that_differ_only_by_name_share_no_ids() -> None:
    g = Geometry((40,), (3,), 1, 1)
    c, other = correlation(g), correlation(g, kernel_name="w")
    assert c.kernel_shape == other.kernel_shape
    ids_c, ids_w = structure._shared_symbol_ids(c, other)
    assert not set(ids_c.tolist()) & set(ids_w.tolist())
    same_c, same_t = structure._shared_symbol_ids(
        c, transposed_convolution(structure.matching_transposed(g, (1,)), kernel_name="k"))
    assert same_c.tolist() == same_t.tolist() == [0, 1, 2]


def test_transposed_under_another_kernel_name_is_red(monkeypatch) -> None:
    real = structure.transposed_convolution
    monkeypatch.setattr(structure, "transposed_convolution",
                        lambda *a, **kw: real(*a, **{**kw, "kernel_name": "w"}))
    assert not structure.compare_index_forms(Geometry((40,), (3,), 1, 1)).holds


# --- op.numeric by bincount ---------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(layer=layers(), seed=st.integers(0, 2**16))
def test_numeric_matches_add_at(layer: dict, seed: int) -> None:
    g = Geometry(layer["n"], layer["k"], layer["s"], layer["pads"], layer["d"])
    op = correlation(g, layer["c_in"], layer["c_out"], layer["groups"])
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(op.kernel_shape)
    want = np.zeros(op.shape)
    np.add.at(want, (op.rows, op.cols), w.reshape(-1)[op.taps])
    np.testing.assert_array_equal(op.numeric(w), want)


# --- deferred corners -----------------------------------------------------------------------

LARGE = dict(input_shape=(40, 40), kernel_shape=(3, 3), stride=2, padding=1)


def test_deferred_corners_render_alike_twice_pickled_and_after_mutation() -> None:
    proof = sc.prove("transpose", **LARGE)
    assert proof.verdict == "proved"
    text = proof.text()
    assert proof.text() == text
    displays = [item for step in proof.steps for item in step.math
                if isinstance(item, DeferredDisplay)]
    assert len(displays) == 2
    first = [str(item.value) for item in displays]
    assert [str(item.value) for item in displays] == first
    again = pickle.loads(pickle.dumps(proof))
    assert again.text() == text
    assert [str(item.value) for step in again.steps for item in step.math
            if isinstance(item, DeferredDisplay)] == first
    fresh = sc.prove("transpose", **LARGE)
    for step in fresh.steps:  # the corners' operator changed after the proof was made
        for item in step.math:
            if isinstance(item, DeferredDisplay):
                item._build.args[0].taps[:] = 0
    late = [str(item.value) for step in fresh.steps for item in step.math
            if isinstance(item, DeferredDisplay)]
    # the verdict and evidence were fixed when the proof was made; only the shown corners
    # read the (internal) operator when rendered, so they follow a mutation of it
    assert late != first
    assert (fresh.verdict, fresh.evidence) == (proof.verdict, proof.evidence)


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("n, k, s, p, op, d, groups", [
    ((4,), (3,), 2, 1, 1, 1, 1), ((3, 2), (2, 3), (3, 1), (1, 0), (2, 0), (1, 2), 2),
    ((2, 2, 2), (2, 1, 2), (1, 3, 2), 0, (0, 2, 1), 1, 1)])
def test_conv_transpose_fractions_exact_on_both_paths(monkeypatch: pytest.MonkeyPatch,
                                                      path: str, n, k, s, p, op, d,
                                                      groups) -> None:
    monkeypatch.setattr(oracle, "GATHER_VALUES", PATHS[path])
    tg = TransposedGeometry(n, k, s, p, op, d)
    rng = np.random.default_rng(11)
    frac = np.vectorize(lambda a, b: Fraction(int(a), int(b)), otypes=[object])
    x = frac(rng.integers(-9, 10, (2, *n)), rng.integers(1, 7, (2, *n)))
    w = frac(rng.integers(-9, 10, (2, 3, *k)), rng.integers(1, 7, (2, 3, *k)))
    got = conv_transpose(x, w, tg, groups)
    want = np.zeros(got.shape, dtype=object)
    want[...] = Fraction(0)
    per_in, per_out = 2 // groups, 3
    for c, i, m, o in product(range(2), product(*map(range, n)), product(*map(range, k)),
                              range(per_out)):
        j = [ss * a - pp + dd * b for a, b, ss, pp, dd in zip(i, m, tg.stride, tg.padding,
                                                              tg.dilation)]
        if all(0 <= v < size for v, size in zip(j, got.shape[1:])):
            want[(c // per_in * per_out + o, *j)] += w[(c, o, *m)] * x[(c, *i)]
    # positions no input reaches stay the int 0 of np.zeros (as before warm32)
    assert got.dtype == object and all(isinstance(v, (Fraction, int)) for v in got.flat)
    assert (got == want).all()


@settings(max_examples=60, deadline=None)
@given(entries=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(-1, 3),
                                  st.sampled_from([Fraction(1), Fraction(-1), Fraction(0),
                                                   Fraction(2), Fraction(1, 3)])),
                        max_size=16),
       huge=st.booleans())
def test_coefficient_map_is_the_summed_dict(entries, huge: bool) -> None:
    """Duplicated keys sum, keys summing to zero and zero coefficients vanish, keys come
    back decoded in sorted order, on the one-int64 path and (``huge`` shape) the lexsort
    path."""
    shape = (2**40, 2**30) if huge else (4, 5)
    want: dict[tuple[int, int, int], Fraction] = {}
    for r, c, t, a in entries:
        want[(r, c, t)] = want.get((r, c, t), Fraction(0)) + a
    want = {key: value for key, value in sorted(want.items()) if value != 0}
    rows, cols, symbols = (np.array([e[i] for e in entries], dtype=np.int64) for i in range(3))
    m = coefficient_map(rows, cols, symbols, shape, [e[3] for e in entries])
    got = {tuple(int(v) for v in key): Fraction(int(n), m.denominator)
           for key, n in zip(m.keys, m.numerators)}
    assert list(got) == list(want) and got == want


@pytest.mark.parametrize("channels", [(1, 1, 1), (2, 2, 1)])
def test_a_transposed_geometry_of_another_shape_is_never_equal(channels) -> None:
    """T of output_padding 0 is 39 x 19, Cᵀ is 40 x 19: their stored keys agree (row 39 of
    the matching T is empty), but matrices of different shapes are not equal. The unit
    shortcut once said "holds" here (one channel); the maps refuse, as with channels."""
    g = Geometry((40,), (3,), stride=2)
    assert structure.matching_transposed(g, (0,)).output_padding == (1,)
    wrong = TransposedGeometry((19,), (3,), 2, 0, 0)
    with pytest.raises(ValueError, match="shapes differ"):
        structure.compare_index_forms(g, *channels, transposed=wrong)
