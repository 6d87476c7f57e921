"""Equivariance, pooling and learning theorems: verdicts, explicit cases, planted false variants."""

from pathlib import Path

import numpy as np
import pytest
import sympy

import symconv as sc
from symconv import numeric
from symconv.geometry import Geometry, PoolGeometry
from symconv.operators import circular_convolution, correlation, input_symbols, max_pool, shift
from symconv.theorems.engine import first_difference
from symconv.theorems.equivariance import (
    circular_correlation,
    flat,
    interior_rows,
    rotate,
    rotation_sides,
)
from symconv.theorems.learning import input_gradient, kernel_gradient, vgg_feature_size
from symconv.theorems.pooling import unpool_matrix

ROOT = Path(__file__).resolve().parents[1]

DEFAULTS = {
    "equivariance": ["symbolic", "exhaustive", "numeric"],
    "strided-equivariance": ["symbolic", "exhaustive", "numeric"],
    "rotation": ["symbolic", "exhaustive", "numeric"],
    "rotation-not-equivariant": ["exhaustive", "numeric"],
    "avg-pool-as-conv": ["symbolic", "exhaustive", "numeric"],
    "max-pool-equivariance": ["symbolic", "exhaustive", "numeric"],
    "max-unpool-adjoint": ["symbolic", "exhaustive", "numeric"],
    "rotation-invariant-pooling": ["symbolic", "exhaustive", "numeric"],
    "gradients": ["parametric", "symbolic", "exhaustive", "numeric"],
    "fc-as-conv": ["symbolic", "exhaustive", "numeric"],
}


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_default_verdict_and_evidence(name):
    proof = sc.prove(name)
    assert proof.verdict == "proved"
    assert proof.evidence == DEFAULTS[name]
    assert proof.counterexample is None


# ---------------------------------------------------------------------------
# Translation
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("parameters", [
    {"input_shape": (3, 3), "kernel_shape": (2, 2), "shift": (1, 2), "in_channels": 2,
     "out_channels": 3},
    {"input_shape": (4,), "kernel_shape": (4,), "shift": 3},
    {"boundary": "zero", "input_shape": (4, 4), "kernel_shape": (3, 3), "padding": 1,
     "shift": (1, -1), "in_channels": 2, "out_channels": 2},
    {"boundary": "zero", "input_shape": (6,), "kernel_shape": (2,), "dilation": 2, "shift": -2},
])
def test_equivariance_cases(parameters):
    proof = sc.prove("equivariance", **parameters)
    assert proof.verdict == "proved"
    assert "numeric" in proof.evidence


def test_zero_padding_interior_and_witness():
    proof = sc.prove("equivariance", boundary="zero")
    assert proof.verdict == "proved"
    assert proof.witness is None
    compare = next(step.text for step in proof.steps if step.title == "Compare")
    assert "agree exactly on rows {1, 2}" in compare
    assert "row 0 differs: k_{0,0,1}*x_{0,0} + k_{0,0,2}*x_{0,1} vs 0" in compare
    assert interior_rows(Geometry((5,), (3,)), (1,)) == [(1,), (2,)]
    assert interior_rows(Geometry((5,), (3,), padding=1), (-1,)) == [(1,), (2,)]


def test_zero_padding_all_rows_is_refuted_at_the_border():
    proof = sc.prove("equivariance", boundary="zero", rows="all")
    assert proof.verdict == "refuted"
    assert proof.counterexample["row"] == (0, 0)
    assert proof.counterexample["C S_t x"] == "k_{0,0,1}*x_{0,0} + k_{0,0,2}*x_{0,1}"
    assert proof.counterexample["S_t C x"] == "0"


def test_planted_circular_convolution_with_zero_fill_shift_fails():
    c = circular_convolution((4,), (2,)).matrix
    zero_fill = shift((4,), 1).matrix
    assert first_difference(c * zero_fill, zero_fill * c) is not None
    circular = shift((4,), 1, circular=True).matrix
    assert first_difference(c * circular, circular * c) is None


def test_planted_off_by_one_output_shift_fails_on_interior_rows():
    g = Geometry((5,), (3,))
    c = correlation(g)
    x = input_symbols(c.input_shape)
    lhs = c.apply(shift((5,), 1).apply(x))
    wrong = shift(g.output_shape, 2).apply(c.apply(x))
    assert any(sympy.expand(lhs[0, i] - wrong[0, i]) != 0
               for (i,) in interior_rows(g, (1,)))


def test_strided_equivariance_cases_and_refutation():
    assert sc.prove("strided-equivariance", input_shape=(4, 6), kernel_shape=(2, 3), stride=2,
                    shift=(2, 4), in_channels=2, out_channels=2).verdict == "proved"
    proof = sc.prove("strided-equivariance", shift=1)
    assert proof.verdict == "refuted"
    ce = proof.counterexample
    assert (ce["output_shift"], ce["position"]) == ((0,), (0, 0))
    assert (ce["C S_t"], ce["S_u C"]) == ("k_{0,0,1}", "k_{0,0,0}")
    assert sc.prove("strided-equivariance", stride=3, shift=2).verdict == "refuted"


def test_circular_correlation_matches_the_oracle():
    op = circular_correlation((6,), (3,), stride=2)
    x, w = np.arange(6.0).reshape(1, 6), np.array([[[1.0, -2.0, 5.0]]])
    wrapped = np.pad(x, [(0, 0), (0, 2)], mode="wrap")
    want = numeric.correlate(wrapped, w, Geometry((8,), (3,), stride=2))
    assert np.allclose(op.numeric(w) @ x.ravel(), want.ravel())


def test_circular_correlation_rejects_non_divisor_stride():
    with pytest.raises(sc.SymconvError, match="stride"):
        circular_correlation((5,), (2,), stride=2)


# ---------------------------------------------------------------------------
# Rotation
# ---------------------------------------------------------------------------

def test_rotation_cases():
    for turns in (1, 2, 3):
        assert sc.prove("rotation", turns=turns, in_channels=2, out_channels=2).verdict == \
            "proved"
    assert sc.prove("rotation", input_shape=(5, 5), kernel_shape=(2, 2), padding=0).verdict \
        == "proved"
    refuted = sc.prove("rotation", rotate_kernel=False)
    assert refuted.verdict == "refuted"
    assert refuted.counterexample["position"] == (0, 0, 0)


def test_planted_wrong_rotation_direction_fails():
    g = Geometry((4, 4), (3, 3), padding=1)
    c = correlation(g)
    x = input_symbols(c.input_shape)
    wrong = dict(zip(flat(c.kernel), flat(rotate(c.kernel, -1))))
    lhs = c.apply(rotate(x, 1)).xreplace(wrong)
    assert first_difference(lhs, rotate(c.apply(x), 1)) is not None
    right_lhs, right_rhs, _ = rotation_sides(g, 1, rotate_kernel=True)
    assert first_difference(right_lhs, right_rhs) is None


def test_rotation_not_equivariant_witness_is_concrete():
    proof = sc.prove("rotation-not-equivariant")
    assert proof.verdict == "proved"
    w = proof.witness
    assert (w["numeric C(k) R x"], w["numeric R C(k) x"]) == (8, 4)
    assert w["C(k) R x"] != w["R C(k) x"]


def test_symmetric_kernel_is_rotation_equivariant_numerically():
    g = Geometry((4, 4), (3, 3), padding=1)
    w = np.array([[[[1, 2, 1], [2, 5, 2], [1, 2, 1]]]], dtype=float)
    x = np.arange(16.0).reshape(1, 4, 4)
    assert np.allclose(numeric.correlate(np.rot90(x, 1, axes=(1, 2)), w, g),
                       np.rot90(numeric.correlate(x, w, g), 1, axes=(1, 2)))


def test_rotation_rejects_non_square_input():
    with pytest.raises(sc.SymconvError, match="square"):
        sc.prove("rotation", input_shape=(3, 4))


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------

def test_avg_pool_cases():
    assert sc.prove("avg-pool-as-conv", input_shape=(5, 5), kernel_shape=(3, 3), padding=1,
                    channels=2).verdict == "proved"
    assert sc.prove("avg-pool-as-conv", input_shape=(6,), kernel_shape=(2,), stride=2,
                    ceil_mode=True).verdict == "proved"


def test_avg_pool_refutations():
    border = sc.prove("avg-pool-as-conv", input_shape=(3,), kernel_shape=(2,), stride=1,
                      padding=1, count_include_pad=False)
    assert border.verdict == "refuted"
    assert (border.counterexample["AvgPool"], border.counterexample["C(1/|k|)"]) == ("1", "1/2")
    overhang = sc.prove("avg-pool-as-conv", input_shape=(5,), kernel_shape=(2,), stride=2,
                        ceil_mode=True)
    assert overhang.verdict == "refuted"
    assert overhang.counterexample["shape"] == "(3, 5) vs (2, 5)"


def test_planted_wrong_uniform_weight_fails():
    pool = sc.avg_pool((4,), (2,))
    c = correlation(Geometry((4,), (2,), stride=2))
    wrong = c.matrix.xreplace({k: sympy.Rational(1, 3) for k in flat(c.kernel)})
    assert first_difference(pool.matrix, wrong) is not None


def test_max_pool_equivariance_cases_and_refutation():
    assert sc.prove("max-pool-equivariance", input_shape=(4, 4), kernel_shape=(2, 2),
                    stride=2, shift=(2, -2), channels=2).verdict == "proved"
    assert sc.prove("max-pool-equivariance", input_shape=(5,), kernel_shape=(3,), stride=1,
                    shift=-1).verdict == "proved"
    proof = sc.prove("max-pool-equivariance", shift=1)
    assert proof.verdict == "refuted"
    assert proof.counterexample["P S_t x"] == "Max(x_{0,1}, x_{0,2})"
    assert proof.counterexample["S_u P x"] == "Max(x_{0,2}, x_{0,3})"


def test_planted_max_pool_wrong_output_shift_fails():
    mp = max_pool((6,), (2,))
    x = input_symbols(mp.input_shape)
    lhs = mp.apply(shift((6,), 2).apply(x))
    wrong = shift((3,), 2).apply(mp.apply(x))
    assert sympy.expand(lhs[0, 1] - wrong[0, 1]) != 0


def test_max_unpool_adjoint_cases_and_refutation():
    assert sc.prove("max-unpool-adjoint", input_shape=(6,), kernel_shape=(2,), stride=3,
                    channels=2).verdict == "proved"
    proof = sc.prove("max-unpool-adjoint", input_shape=(3,), kernel_shape=(2,), stride=1)
    assert proof.verdict == "refuted"
    assert proof.counterexample["switches"] == [[1, 1]]
    assert proof.counterexample["x"] == [[0, 1, 0]]


def test_unpool_matrix_agrees_with_torch():
    torch = pytest.importorskip("torch")
    x = np.array([[[3.0, 1.0, 4.0, 1.0, 5.0, 9.0]]])
    g = PoolGeometry((6,), (2,))
    values, indices = numeric.max_pool(x[0], g, return_indices=True)
    tv, ti = torch.nn.functional.max_pool1d(torch.tensor(x), 2, return_indices=True)
    assert np.array_equal(ti.numpy()[0], indices)
    unpooled = torch.nn.functional.max_unpool1d(tv, ti, 2, output_size=(6,)).numpy()[0]
    u = unpool_matrix(indices, (6,))
    assert np.allclose(u @ values.ravel(), unpooled.ravel())
    s = max_pool((6,), (2,)).selection(indices).numeric()
    assert np.array_equal(u, s.T)


def test_rotation_invariant_pooling_refutations():
    for orientations in (1, 2, 3):
        proof = sc.prove("rotation-invariant-pooling", orientations=orientations)
        assert proof.verdict == "refuted"
        ce = proof.counterexample
        assert ce["z(R x)"] != ce["z(x)"]
    assert sc.prove("rotation-invariant-pooling", input_shape=(4, 4), kernel_shape=(2, 2),
                    padding=0).verdict == "proved"


# ---------------------------------------------------------------------------
# Learning
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("parameters", [
    {"input_shape": (4, 4), "kernel_shape": (3, 3), "stride": 2, "padding": 1,
     "in_channels": 2, "out_channels": 2},
    {"input_shape": (6,), "kernel_shape": (2,), "stride": 2, "dilation": 2, "in_channels": 4,
     "out_channels": 2, "groups": 2},
    {"input_shape": (4, 4), "kernel_shape": (2, 2), "stride": 2, "padding": "same"},
])
def test_gradients_cases(parameters):
    assert sc.prove("gradients", **parameters).verdict == "proved"


def test_planted_kernel_gradient_with_stride_and_dilation_swapped_fails():
    g = Geometry((7,), (2,), stride=2, dilation=3)
    c = correlation(g)
    v, grad = input_symbols(c.input_shape, "v"), input_symbols(c.output_shape, "g")
    loss = sympy.Add(*[a * b for a, b in zip(flat(grad), flat(c.apply(v)))])
    d_k = sympy.Array([sympy.diff(loss, k) for k in flat(c.kernel)], c.kernel.shape)
    assert first_difference(d_k, kernel_gradient(grad, v, g, (1, 1, 2))) is None
    swapped = Geometry((7,), (2,), stride=3, dilation=2)
    assert first_difference(d_k, kernel_gradient(grad, v, swapped, (1, 1, 2))) is not None


def test_planted_input_gradient_without_the_flip_fails():
    g = Geometry((5,), (3,), padding=1)
    c = correlation(g)
    v, grad = input_symbols(c.input_shape, "v"), input_symbols(c.output_shape, "g")
    loss = sympy.Add(*[a * b for a, b in zip(flat(grad), flat(c.apply(v)))])
    d_v = sympy.Array([sympy.diff(loss, s) for s in flat(v)], c.input_shape)
    assert first_difference(d_v, input_gradient(c.kernel, grad, g, 1)) is None
    unflipped = sympy.Array(list(c.matrix * sympy.Matrix(flat(grad))), c.input_shape)
    assert first_difference(d_v, unflipped) is not None


def test_fc_as_conv_cases_and_refutation():
    assert sc.prove("fc-as-conv", window=(3,), input_shape=(5,), channels=3,
                    outputs=3).verdict == "proved"
    proof = sc.prove("fc-as-conv", test_image=400)
    assert proof.verdict == "refuted"
    assert proof.counterexample["last_crop_end"] == 384
    assert (vgg_feature_size(224, 5), vgg_feature_size(384, 5)) == (7, 12)


def test_planted_fc_reshape_in_wrong_order_fails():
    dense = sympy.Matrix(sc.operators.indexed_symbols((1, 4), "W").tolist())
    whole = correlation(Geometry((2, 2), (2, 2)))
    kernel = flat(whole.kernel)
    right = whole.matrix.xreplace({k: dense[0, r] for r, k in enumerate(kernel)})
    transposed = [0, 2, 1, 3]
    wrong = whole.matrix.xreplace({k: dense[0, transposed[r]] for r, k in enumerate(kernel)})
    assert first_difference(right, dense) is None
    assert first_difference(wrong, dense) is not None


# ---------------------------------------------------------------------------
# Derivation scripts
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ["equivariance_and_pooling", "backpropagation",
                                  "fully_connected_vs_convolution"])
def test_derivation_script_exits_zero(derivation_runs, stem):
    code, _, out, err = derivation_runs[stem]  # run once per suite (tests/conftest.py)
    assert code == 0, out[-2000:] + err[-2000:]
    assert "expected ones" in out


def test_strided_equivariance_never_proves_a_non_multiple_shift(monkeypatch):
    """If some output shift worked for a shift that is not a multiple of s, the statement
    ("none works") would be false: that is a bug to report, never "proved"."""
    from symconv.theorems.equivariance import translation as equivariance

    monkeypatch.setattr(equivariance, "first_difference", lambda *args, **kwargs: None)
    with pytest.raises(RuntimeError, match="not a multiple of the stride"):
        sc.prove("strided-equivariance", shift=1)
