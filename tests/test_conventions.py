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


# ---------------------------------------------------------------------------
# check-formula: TensorFlow, Keras and JAX transposed output sizes (issue 14, item 6)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("formula, quantity, convention", [
    ("n*s + max(d*(k-1) + 1 - s, 0)", "transposed_output_size", "jax"),
    ("(n-1)*s + max(d*(k-1) + 1, s)", "transposed_output_size", "tensorflow"),
    ("n*s + max(d*(k-1) + 1 - s, 0)", "transposed_output_size", "keras"),
    ("n*s", "transposed_same_output_size", "jax"),
    ("n*s", "transposed_same_output_size", "tensorflow"),
    ("s*n", "transposed_same_output_size", "keras"),
])
def test_framework_transposed_sizes_are_proved_for_all_sizes(formula, quantity, convention):
    proof = sc.check_formula(formula, quantity=quantity, convention=convention)
    assert proof.verdict == "proved"
    assert proof.evidence == ["parametric", "exhaustive"]


@pytest.mark.parametrize("formula, quantity, convention", [
    ("(n-1)*s + d*(k-1) + 1", "transposed_output_size", "jax"),  # forgets max(k', s)
    ("n*s + d*(k-1)", "transposed_same_output_size", "jax"),
    ("n*s + floor(n/60)", "transposed_same_output_size", "keras"),
])
def test_wrong_framework_transposed_sizes_are_refuted(formula, quantity, convention):
    proof = sc.check_formula(formula, quantity=quantity, convention=convention)
    assert proof.verdict == "refuted" and proof.counterexample is not None


# ---------------------------------------------------------------------------
# PyTorch's own extras: ConvTranspose's output_size, AvgPool's divisor_override
# ---------------------------------------------------------------------------

def test_torch_output_shape_is_conv_transpose_output_size():
    rng = np.random.default_rng(0)
    checked = 0
    for n, k, s, p, d in itertools.product(range(1, 4), range(1, 4), range(1, 4), range(2),
                                           range(1, 3)):
        low = (n - 1) * s - 2 * p + d * (k - 1) + 1
        for size in range(max(low, 1), low + s):
            layer = torch.nn.ConvTranspose1d(1, 1, k, s, p, dilation=d, bias=False).double()
            x = rng.normal(size=(1, n))
            want = layer(torch.from_numpy(x[None]), output_size=[size]).detach().numpy()[0]
            op = sc.transposed_convolution((n,), (k,), s, p, dilation=d, output_shape=(size,))
            w = layer.weight.detach().numpy()
            np.testing.assert_allclose((op.numeric(w) @ x.ravel()).reshape(want.shape), want,
                                       rtol=1e-12, atol=1e-12)
            checked += 1
    assert checked > 100


def test_avg_pool_divisor_override_is_torchs():
    x = np.random.default_rng(1).normal(size=(2, 5, 4))
    for divisor in (1, 3, 7):
        want = F.avg_pool2d(torch.from_numpy(x[None]), 3, 2, 1, ceil_mode=True,
                            divisor_override=divisor)[0].numpy()
        op = sc.avg_pool((5, 4), (3, 3), 2, 1, ceil_mode=True, channels=2,
                         divisor_override=divisor)
        np.testing.assert_allclose((op.numeric() @ x.ravel()).reshape(want.shape), want,
                                   rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------
# Every new option refused by name (issue 14, "Bad input")
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    (dict(convention="pytorch"), r"convention must name a framework's transposed convolution, "
                                 r"got 'pytorch' \(valid: torch, tensorflow, keras, jax\)"),
    (dict(padding="same"), r"padding must be integers for convention='torch'"),
    (dict(padding="full", convention="keras"),
     r"padding must be a padding name of convention='keras', got 'full' \(valid: same, valid\)"),
    (dict(padding=((1, 1),), convention="keras"), r"must be 'same' or 'valid' for "
                                                   r"convention='keras'"),
    (dict(padding="same", convention="tensorflow", output_shape=(9,)),
     r"output_shape\[0\] gives output size 9, .* \(valid: output sizes 7 to 8\)"),
    (dict(padding="same", convention="tensorflow", output_padding=1),
     r"output_padding is not an option of convention='tensorflow'.*use output_shape"),
    (dict(padding="same", convention="keras", output_shape=(8,)),
     r"output_shape is not an option of convention='keras'"),
    (dict(padding="valid", convention="jax", output_padding=1),
     r"output_padding is not an option of convention='jax'"),
    (dict(padding=((-5, 0),), convention="jax"), r"padding\[0\] leaves no output"),
    (dict(output_shape=(12,)), r"output_shape\[0\] must be a size PyTorch's ConvTranspose can "
                               r"produce .*got 12 \(valid: 9 to 10\)"),
    (dict(output_shape=(8,), output_padding=1), r"output_padding must be omitted when "
                                                r"output_shape is given"),
])
def test_bad_transposed_conventions_are_named(kwargs, match):
    with pytest.raises(sc.SymconvError, match=match):
        sc.transposed_convolution((4,), (3,), 2, **{"padding": 0, **kwargs})


def test_transpose_kernel_is_a_jax_option_only():
    with pytest.raises(OperatorError, match="transpose_kernel must be True unless "
                                            "convention='jax'"):
        sc.transposed_convolution((4,), (3,), 2, transpose_kernel=False)


@pytest.mark.parametrize("call, match", [
    (lambda: sc.avg_pool((4,), (2,), divisor_override=0), r"divisor_override must be an "
                                                          r"integer >= 1, got 0"),
    (lambda: sc.avg_pool((4,), (2,), padding="full"), r"padding must be an integer, \(before, "
                                                      r"after\) pairs or a pooling padding name"),
    (lambda: sc.avg_pool((2,), (2,), 1, padding=((3, 0),), count_include_pad=False),
     r"padding\[0\] .* without input samples"),
    (lambda: sc.max_pool((2,), (3,), padding="valid"), r"leaves no pooling window"),
])
def test_bad_pooling_options_are_named(call, match):
    with pytest.raises(sc.SymconvError, match=match):
        call()


# ---------------------------------------------------------------------------
# padding_mode reflect / replicate / circular (issue 14, item 3), against torch Conv
# ---------------------------------------------------------------------------

def _torch_conv(x, w, g, mode, groups):
    conv = (torch.nn.Conv1d, torch.nn.Conv2d)[g.ndim - 1](
        x.shape[0], w.shape[0], g.kernel_shape, g.stride, 0, g.dilation, groups, bias=False,
        dtype=torch.float64)
    conv.weight.data = torch.from_numpy(w)
    flat = tuple(v for pair in reversed(g.pads) for v in pair)  # F.pad: last axis first
    padded = F.pad(torch.from_numpy(x[None]), flat, mode=mode)
    return conv(padded)[0].detach().numpy()


def _mode_geometries():
    grid = itertools.product(range(1, 5), range(1, 4), range(1, 3), range(1, 3), range(3),
                             range(3))
    for n, k, s, d, pb, pa in itertools.islice(grid, 0, None, 3):  # a third: keeps it fast
        try:
            yield sc.Geometry((n,), (k,), s, ((pb, pa),), d)
        except sc.SymconvError:
            continue
    yield sc.Geometry((3, 4), (2, 3), (1, 2), ((1, 2), (2, 1)))
    yield sc.Geometry((2, 3), (3, 3), 1, 1, (1, 2))


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_modes_are_torch_pad_then_conv(mode):
    rng = np.random.default_rng(0)
    checked = 0
    for g in _mode_geometries():
        limit = {"reflect": 1, "circular": 0}.get(mode)
        if limit is not None and any(max(p) > n - limit for n, p in zip(g.input_shape, g.pads)):
            with pytest.raises(sc.SymconvError, match=f"padding_mode='{mode}'"):
                sc.correlation(g, padding_mode=mode)
            with pytest.raises((RuntimeError, ValueError)):  # torch refuses these pads too
                _torch_conv(np.zeros((1, *g.input_shape)), np.zeros((1, 1, *g.kernel_shape)),
                            g, mode, 1)
            continue
        groups = 2 if checked % 3 == 0 else 1
        x, w = rng.normal(size=(2, *g.input_shape)), rng.normal(size=(2, 2 // groups,
                                                                      *g.kernel_shape))
        want = _torch_conv(x, w, g, mode, groups)
        op = sc.correlation(g, 2, 2, groups, padding_mode=mode)
        assert op.output_shape == want.shape
        np.testing.assert_allclose((op.numeric(w) @ x.ravel()).reshape(want.shape), want,
                                   rtol=1e-12, atol=1e-12, err_msg=str(g))
        checked += 1
    assert checked > 30


def test_reflect_entries_are_sums_of_kernel_symbols():
    op = sc.correlation(sc.Geometry((3,), (3,), padding=1), padding_mode="reflect")
    k0, _, k2 = op.kernel_flat
    assert op.entries()[(0, 1)] == k0 + k2
    assert op.entries()[(2, 1)] == k0 + k2


def test_an_unknown_padding_mode_lists_the_valid_ones():
    with pytest.raises(OperatorError, match=r"padding_mode must be a PyTorch padding mode, got "
                                            r"'mirror' \(valid: zeros, reflect, replicate, "
                                            r"circular\)"):
        sc.correlation(sc.Geometry((3,), (3,), padding=1), padding_mode="mirror")


# ---------------------------------------------------------------------------
# sc.im2col is F.unfold's patch matrix (issue 14, item 4)
# ---------------------------------------------------------------------------

def test_im2col_is_torch_unfold():
    rng = np.random.default_rng(2)
    checked = 0
    for n, k, s, p, d in itertools.product(((3, 4), (5, 2)), ((2, 2), (1, 3)), (1, 2), (0, 1),
                                           (1, 2)):
        try:
            g = sc.Geometry(n, k, s, p, d)
        except sc.SymconvError:
            continue
        x = rng.normal(size=(2, *n))
        want = F.unfold(torch.from_numpy(x[None]), k, dilation=d, padding=p, stride=s)[0]
        patches = sc.im2col(g, in_channels=2)
        assert patches.output_shape == tuple(want.shape)
        np.testing.assert_array_equal((patches.numeric() @ x.ravel()).reshape(want.shape),
                                      want.numpy())
        checked += 1
    assert checked >= 20


def test_im2col_times_the_weights_is_the_correlation():
    g = sc.Geometry((4, 3), (2, 2), 1, ((1, 0), (0, 1)))
    x = sc.input_symbols((2, *g.input_shape))
    patches = sympy.Matrix(sc.im2col(g, in_channels=2).apply(x).tolist())
    op = sc.correlation(g, 2, 3)
    weights = sympy.Matrix(3, 8, sympy.flatten(op.kernel.tolist()))  # (out, C * taps)
    want = sympy.Matrix(sympy.flatten(op.apply(x).tolist())).reshape(3, patches.shape[1])
    assert (weights * patches - want).expand() == sympy.zeros(3, patches.shape[1])


# ---------------------------------------------------------------------------
# Adaptive average pooling: PyTorch's start/end index rule
# ---------------------------------------------------------------------------

def test_adaptive_avg_and_max_pool_are_torchs():
    rng = np.random.default_rng(3)
    for n, o in itertools.product(((5,), (7,), (3, 4), (6, 2)), ((1,), (3,), (2, 5), (4, 4))):
        if len(o) != len(n):
            continue
        x = rng.normal(size=(2, *n))
        pool = (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d)[len(n) - 1]
        want = pool(torch.from_numpy(x[None]), o)[0].numpy()
        op = sc.adaptive_avg_pool(n, o, channels=2)
        np.testing.assert_allclose((op.numeric() @ x.ravel()).reshape(want.shape), want,
                                   rtol=1e-12, atol=1e-12, err_msg=str((n, o)))
        max_pool = (F.adaptive_max_pool1d, F.adaptive_max_pool2d)[len(n) - 1]
        values, indices = max_pool(torch.from_numpy(x[None]), o, return_indices=True)
        mp = sc.adaptive_max_pool(n, o, channels=2)
        np.testing.assert_array_equal(mp.numeric(x), values[0].numpy())
        np.testing.assert_array_equal(mp.switches(x), indices[0].numpy())


# ---------------------------------------------------------------------------
# MaxPool.unpool: torch's max_unpool (the later of two outputs sharing a switch wins)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("n, k, s", [((6,), (2,), 2), ((5,), (3,), 1), ((4, 5), (2, 3), (2, 1))])
def test_unpool_is_torch_max_unpool(n, k, s):
    rng = np.random.default_rng(4)
    mp = sc.max_pool(n, k, s, channels=2)
    unpool = (F.max_unpool1d, F.max_unpool2d)[len(n) - 1]
    for _ in range(5):
        x = rng.integers(0, 3, size=mp.input_shape).astype(float)  # ties: shared switches
        switches = mp.switches(x)
        values = rng.normal(size=mp.output_shape)  # not the maxima: which write wins shows
        want = unpool(torch.from_numpy(values[None]), torch.from_numpy(switches[None]), k, s,
                      output_size=n)[0].numpy()
        got = (mp.unpool(switches).numeric() @ values.ravel()).reshape(want.shape)
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("call, match", [
    (lambda: sc.im2col((3,)), r"geometry must be a symconv.Geometry, got 'tuple'"),
    (lambda: sc.im2col(sc.Geometry((3,), (2,)), in_channels=0), r"in_channels must be an "
                                                                r"integer >= 1, got 0"),
    (lambda: sc.cropping((3,), ((2, 1),)), r"crops\[0\] must leave at least one of the 3 "
                                           r"samples, got \(2, 1\) \(valid: before \+ after <= 2"),
    (lambda: sc.cropping((3,), -1), r"crops must be an integer >= 0, got -1"),
    (lambda: sc.cropping((3, 3), ((1, 2, 3), 0)), r"crops\[0\] must be a \(before, after\) pair"),
    (lambda: sc.adaptive_avg_pool((3,), 0), r"output_size\[0\] must be an integer >= 1, got 0"),
    (lambda: sc.adaptive_avg_pool((3, 2), (1,)), r"output_size must have 2 axes"),
    (lambda: sc.adaptive_max_pool((3,), 2, channels=0), r"channels must be an integer >= 1"),
    (lambda: sc.max_pool((4,), (2,)).unpool([[9, 0]]), r"switches must be flat input "
                                                       r"positions .*got 9 \(valid: 0 to 3"),
    (lambda: sc.avg_pool((4,), (2,), dilation=0), r"dilation must be an integer >= 1, got 0"),
])
def test_bad_arguments_of_the_new_operators_are_named(call, match):
    with pytest.raises(sc.SymconvError, match=match):
        call()
