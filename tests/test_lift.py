"""sc.lift: the exact matrix of anyone's convolution code, by probing."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import symconv as sc
from symconv.errors import SizeLimitError
from symconv.lift import TAPS_PER_CALL, ImplementationError, NotBilinearError, lift

torch = pytest.importorskip("torch")
F = torch.nn.functional


def conv1d(x, w, **kw):
    return F.conv1d(torch.from_numpy(x)[None], torch.from_numpy(w), **kw)[0].numpy()


def conv2d(x, w, **kw):
    return F.conv2d(torch.from_numpy(x)[None], torch.from_numpy(w), **kw)[0].numpy()


def test_contract_example_matches_correlation():
    op = sc.lift(conv1d, input_shape=(7,), kernel_shape=(3,), stride=2, padding=1)
    ref = sc.correlation(sc.Geometry((7,), (3,), stride=2, padding=1))
    assert op.matrix == ref.matrix
    assert op.output_shape == ref.output_shape == (1, 4)
    assert op.bilinearity_trials == 2


def test_grouped_2d_lift_is_the_grouped_correlation():
    op = lift(conv2d, (5, 4), (3, 2), in_channels=4, out_channels=6, groups=2, stride=(2, 1),
              padding=1, dilation=(1, 2))
    ref = sc.correlation(sc.Geometry((5, 4), (3, 2), stride=(2, 1), padding=1, dilation=(1, 2)),
                         4, 6, 2)
    assert op.kernel_shape == ref.kernel_shape
    assert op.matrix == ref.matrix


@pytest.mark.parametrize("size", [8, 24])
def test_calls_grow_with_in_channels_times_kernel_not_input_size(size):
    op = lift(conv2d, (size, size), (3, 3), in_channels=3, out_channels=8, stride=2,
              padding=1, symbolic=False)
    assert op.fn_calls == 3 * 9 + 16  # one probe per (in channel, tap) + the checks


def test_output_channels_beyond_one_probe_batch():
    op = lift(conv1d, (3,), (2,), in_channels=1, out_channels=TAPS_PER_CALL + 2, symbolic=False)
    ref = sc.correlation(sc.Geometry((3,), (2,)), 1, TAPS_PER_CALL + 2)
    assert op.fn_calls == 2 * 2 + 16
    assert sorted(zip(op.rows, op.cols, op.taps)) == sorted(zip(ref.rows, ref.cols, ref.taps))


def test_coefficients_other_than_one_fall_back_to_basis_probing():
    def doubled_plus_flipped(x, w, **kw):
        return 2 * conv1d(x, w, **kw) + conv1d(x, np.ascontiguousarray(w[..., ::-1]), **kw)

    op = lift(doubled_plus_flipped, (4,), (2,))
    k0, k1 = sympy.Symbol("k_{0,0,0}"), sympy.Symbol("k_{0,0,1}")
    assert (op.matrix[0, 0], op.matrix[0, 1], op.matrix[0, 2]) == (2 * k0 + k1, 2 * k1 + k0, 0)
    assert op.fn_calls == 1 + 16 + 4 * 2  # the fast probe stops at its first undecodable call


@pytest.mark.parametrize("fn, check", [
    (lambda x, w: conv1d(x, w) + 0.5, "zero kernel gives zero"),
    (lambda x, w: np.maximum(conv1d(x, w), 0), "additive in x"),
    (lambda x, w: np.clip(conv1d(x, w), -500, 500), "homogeneous"),
    (lambda x, w: conv1d(x, w) * conv1d(x, w), "additive in x"),
])
def test_not_bilinear_is_refused_naming_the_check(fn, check):
    with pytest.raises(NotBilinearError, match=f"check '{check}' failed"):
        lift(fn, (5,), (3,))


def test_nondeterministic_is_refused():
    calls = []

    def flaky(x, w):
        calls.append(1)
        return conv1d(x, w) if len(calls) % 7 else conv1d(x, np.ascontiguousarray(w[..., ::-1]))

    with pytest.raises(NotBilinearError, match="check '"):
        lift(flaky, (5,), (3,))


def raises_inside(x, w):
    raise ValueError("bad axis\nsecond line")


@pytest.mark.parametrize("fn, message", [
    (raises_inside, r"raised ValueError: bad axis \(called with"),
    (lambda x, w: conv1d(x, w).astype(complex), "dtype .* must be a real"),
    (lambda x, w: conv1d(x, w)[0], "output shape .* must be \\(out_channels, \\*spatial\\)"),
    (lambda x, w: conv1d(x, w) * np.nan, "NaN"),
    ("not a function", "fn must be callable"),
])
def test_bad_implementations_are_named_errors(fn, message):
    with pytest.raises(ImplementationError, match=message) as info:
        lift(fn, (5,), (3,))
    assert isinstance(info.value, sc.SymconvError)
    assert "\n" not in str(info.value)


def test_too_large_a_symbolic_lift_is_refused_before_any_call(monkeypatch):
    monkeypatch.setenv("SYMCONV_MAX_SYMBOLIC_ENTRIES", "100")
    calls = []
    with pytest.raises(SizeLimitError, match="lift of"):
        lift(lambda x, w: calls.append(1), (20,), (3,), out_channels=2)
    assert calls == []
