"""Algebra and decomposition theorems: verdicts, explicit cases, planted false variants.

Each planted variant is a deliberately wrong statement built with the same machinery,
registered for the duration of one test, and must come back "refuted" with the expected
smallest counterexample.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import sympy

import symconv as sc
from symconv.geometry import Geometry, TransposedGeometry
from symconv.operators import (
    circular_convolution,
    correlation,
    decimation,
    transposed_convolution,
    zero_insertion,
)
from symconv.theorems import REGISTRY, Outcome, theorem
from symconv.theorems.algebra import (
    _pairs_domain,
    _witness_outcome,
    _witness_shapes,
    dft_matrix,
    full_convolve,
    full_correlate,
    signal,
)
from symconv.theorems.common import flat
from symconv.theorems.decomposition import (
    column_count,
    formula_matrix,
    pad_or_crop,
    patch_matrix,
    recipe_pads,
    transposed_domain,
    zero_inserted_kernel,
)
from symconv.theorems.decomposition import small_domain as _small_domain
from symconv.theorems.decomposition import with_kernel as _with_kernel
from symconv.theorems.decomposition.toeplitz import _interior_columns
from symconv.theorems.decomposition.transposed import _recipe_kernel
from symconv.theorems.engine import first_difference

ROOT = Path(__file__).resolve().parents[1]

SYMBOLIC = ["symbolic", "exhaustive", "numeric"]
EXPECTED = {
    "commutativity": SYMBOLIC, "associativity": SYMBOLIC, "polynomial-product": SYMBOLIC,
    "convolution-theorem": SYMBOLIC, "toeplitz": SYMBOLIC,
    "dilation": ["parametric", *SYMBOLIC], "stride-as-subsampling": ["parametric", *SYMBOLIC],
    "im2col": ["parametric", *SYMBOLIC], "separable": SYMBOLIC,
    "depthwise-separable": SYMBOLIC, "one-by-one": SYMBOLIC,
    "transposed-as-convolution": ["parametric", *SYMBOLIC],
    "correlation-not-commutative": ["exhaustive", "numeric"],
    "correlation-not-associative": ["exhaustive", "numeric"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_catalogue_verdict_and_evidence(name):
    proof = sc.prove(name)
    assert proof.verdict == "proved"
    assert proof.evidence == EXPECTED[name]
    assert proof.counterexample is None
    assert "points)" in proof.domain


@contextmanager
def planted(name, check, domain, parameters=None):
    """Register a deliberately false statement for one test, then remove it."""
    points = list(domain())
    theorem(name, family="planted", statement="planted false variant", latex=r"\text{planted}",
            parameters=parameters or points[0], domain=lambda: points)(check)
    try:
        yield
    finally:
        REGISTRY.pop(name)


def refuted_at(name, check, domain, parameters=None):
    with planted(name, check, domain, parameters):
        proof = sc.prove(name)
    assert proof.verdict == "refuted"
    assert proof.evidence == []
    return proof.counterexample


def _compare(lhs, rhs):
    difference = first_difference(lhs, rhs)
    return Outcome(difference is None, (), difference)


# ---------------------------------------------------------------------------
# Algebra
# ---------------------------------------------------------------------------


def test_full_products_by_hand():
    a, b = signal((2,), "a"), signal((3,), "b")
    a0, a1 = a
    b0, b1, b2 = b
    assert list(full_convolve(a, b)) == [a0 * b0, a0 * b1 + a1 * b0, a0 * b2 + a1 * b1,
                                         a1 * b2]
    assert list(full_correlate(a, b)) == [a1 * b0, a0 * b0 + a1 * b1, a0 * b1 + a1 * b2,
                                          a0 * b2]


@pytest.mark.parametrize("shapes", [((4,), (1,)), ((2, 3), (3, 1)), ((1, 2), (2, 2))])
def test_commutativity_explicit(shapes):
    p = sc.prove("commutativity", a_shape=shapes[0], b_shape=shapes[1])
    assert p.verdict == "proved" and "numeric" in p.evidence


def test_associativity_2d():
    p = sc.prove("associativity", a_shape=(2, 1), b_shape=(1, 2), c_shape=(2, 2))
    assert p.verdict == "proved"


def test_planted_correlation_is_commutative():
    def check(a_shape, b_shape):
        a, b = signal(a_shape, "a"), signal(b_shape, "b")
        return _compare(full_correlate(a, b), full_correlate(b, a))

    found = refuted_at("planted-corr-commutes", check, _pairs_domain)
    assert (found["a_shape"], found["b_shape"]) == ((1,), (2,))


def test_planted_correlation_is_associative():
    def check(a_shape, b_shape, c_shape):
        a, b, c = signal(a_shape, "a"), signal(b_shape, "b"), signal(c_shape, "c")
        return _compare(full_correlate(full_correlate(a, b), c),
                        full_correlate(a, full_correlate(b, c)))

    def domain():
        sizes = [(n,) for n in (1, 2)]
        return [{"a_shape": a, "b_shape": b, "c_shape": c} for a in sizes for b in sizes
                for c in sizes]

    found = refuted_at("planted-corr-assoc", check, domain)
    assert (found["a_shape"], found["b_shape"], found["c_shape"]) == ((2,), (1,), (1,))


def test_witnesses_are_smallest_and_concrete():
    p = sc.prove("correlation-not-commutative")
    assert p.witness["a_shape"] == (1,) and p.witness["b_shape"] == (2,)
    assert p.witness["lhs"] == [2, 3] and p.witness["rhs"] == [3, 2]
    q = sc.prove("correlation-not-associative", ndim=2, max_size=2)
    assert q.verdict == "proved"
    assert q.witness["lhs"] != q.witness["rhs"]
    assert q.witness["a_shape"] in ((1, 2), (2, 1))


def test_planted_convolution_not_commutative_has_no_witness():
    def build(a, b):
        return full_convolve(a, b), full_convolve(b, a)

    def oracle(a, b):
        return np.convolve(a, b), np.convolve(b, a)

    setting = sc.Step("Setting")
    outcome = _witness_outcome(("a", "b"), _witness_shapes(1, 3, 2), build, oracle,
                               "a*b", "b*a", setting, setting)
    assert not outcome.holds and outcome.witness is None


def test_planted_polynomial_product_off_by_one():
    def check(a_shape, b_shape):
        a, b = signal(a_shape, "a"), signal(b_shape, "b")
        z = sympy.Symbol("z")
        poly = sympy.Poly(sum(v * z**i for i, v in enumerate(a))
                          * sum(v * z**(i + 1) for i, v in enumerate(b)), z)
        coeffs = sympy.Array([poly.coeff_monomial(z**(t + 1)) for t in range(
            a_shape[0] + b_shape[0] - 1)])
        return _compare(full_convolve(a, b), coeffs)

    def domain():
        return [{"a_shape": (n,), "b_shape": (m,)} for n in (1, 2) for m in (1, 2)]

    with planted("planted-poly-ok", check, domain):
        assert sc.prove("planted-poly-ok").verdict == "proved"

    def shifted(a_shape, b_shape):
        a, b = signal(a_shape, "a"), signal(b_shape, "b")
        return _compare(full_convolve(a, b), full_correlate(a, b))

    found = refuted_at("planted-poly", shifted, domain)
    assert (found["a_shape"], found["b_shape"]) == ((2,), (1,))


def test_convolution_theorem_explicit():
    assert sc.prove("convolution-theorem", input_shape=(5,), kernel_shape=(5,)).proved
    assert sc.prove("convolution-theorem", input_shape=(3, 2), kernel_shape=(2, 2)).proved
    assert dft_matrix(4)[3, 3] == sympy.Symbol("omega")  # 9 mod 4 = 1


def test_planted_convolution_theorem_with_correlation():
    omega = sympy.Symbol("omega")

    def check(n):
        op = circular_convolution((n,), (n,))
        c = sympy.Matrix(op.matrix).T  # circular correlation, not convolution
        f = dft_matrix(n)
        k = sympy.Matrix(op.kernel_flat)

        def reduce(e):
            return sympy.expand(sympy.expand(e).replace(
                lambda t: t.is_Pow and t.base == omega, lambda t: omega ** (int(t.exp) % n)))

        return _compare((f * c).applyfunc(reduce),
                        (sympy.diag(*(f * k).applyfunc(reduce)) * f).applyfunc(reduce))

    found = refuted_at("planted-conv-theorem", check, lambda: [{"n": n} for n in range(1, 5)])
    assert found["n"] == 3


# ---------------------------------------------------------------------------
# Toeplitz, dilation, stride
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("point", [
    {"input_shape": (7,), "kernel_shape": (3,), "stride": 2, "padding": 1, "dilation": 2},
    {"input_shape": (4, 5), "kernel_shape": (2, 3), "stride": (1, 2), "padding": 1,
     "in_channels": 4, "out_channels": 2, "groups": 2},
])
def test_toeplitz_explicit(point):
    assert sc.prove("toeplitz", **point).verdict == "proved"


def test_formula_matrix_matches_operator_with_groups():
    g = Geometry((5,), (3,), stride=2, padding=((1, 2),), dilation=2)
    op = correlation(g, 4, 6, groups=2)
    assert first_difference(op.matrix, formula_matrix(g, 4, 6, 2, op.kernel)) is None


def test_column_counts_notes_claim():
    # "each input affects 3 outputs with kernel 3": interior columns at stride 1 ...
    assert {column_count(j, 7, 3, 5, 1, 0, 1) for j in _interior_columns(7, 3, 5, 1, 0, 1)} \
        == {3}
    # ... but at stride 2 an interior input affects 1 or 2 outputs, never 3.
    assert {column_count(j, 9, 3, 4, 2, 0, 1, interior=True) for j in range(9)} == {1, 2}


def test_planted_each_input_affects_k_outputs():
    def check(input_shape, kernel_shape, stride, padding, dilation, **_):
        g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
        m = sympy.Matrix(correlation(g).matrix)
        n, k = input_shape[0], kernel_shape[0]
        interior = _interior_columns(n, k, g.output_shape[0], g.stride[0], g.pads[0][0],
                                     g.dilation[0])
        counts = {j: sum(1 for v in m.col(j) if v != 0) for j in interior}
        bad = {j: c for j, c in counts.items() if c != k}
        return Outcome(not bad, (), {"column": min(bad), "nonzeros": bad[min(bad)]}
                       if bad else None)

    found = refuted_at("planted-k-outputs", check, _small_domain)
    assert found["stride"] == 2 and found["nonzeros"] != found["kernel_shape"][0]


def test_zero_inserted_kernel():
    k = sympy.Array([[[1, 2, 3]], [[4, 5, 6]]])
    assert zero_inserted_kernel(k, (3,)).tolist() == [[[1, 0, 0, 2, 0, 0, 3]],
                                                      [[4, 0, 0, 5, 0, 0, 6]]]


def test_dilation_explicit_2d_groups():
    p = sc.prove("dilation", input_shape=(5, 6), kernel_shape=(2, 3), dilation=(2, 1),
                 stride=(1, 2), padding=1, in_channels=2, out_channels=4, groups=2)
    assert p.verdict == "proved"


def test_planted_dilation_wrong_factor():
    def check(input_shape, kernel_shape, stride, padding, dilation, **_):
        g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
        lhs = correlation(g)
        zk = zero_inserted_kernel(lhs.kernel, g.dilation)
        # wrong: the zero-inserted kernel used with the dilation still applied
        rhs_op = correlation(Geometry(input_shape, g.dilated_kernel_shape, stride, g.pads, 1))
        wrong = correlation(Geometry(input_shape, kernel_shape, stride, g.pads, 1))
        rhs = _with_kernel(rhs_op, flat(zk)) if g.dilation == (1,) else wrong.matrix
        return _compare(lhs.matrix, rhs)

    found = refuted_at("planted-dilation", check, _small_domain)
    assert found["dilation"] == 2


def test_stride_explicit():
    p = sc.prove("stride-as-subsampling", input_shape=(6, 5), kernel_shape=(3, 2),
                 stride=(2, 3), padding="same", in_channels=2, out_channels=2)
    assert p.verdict == "proved"


def test_planted_stride_subsamples_input_first():
    def check(input_shape, kernel_shape, stride, padding, dilation, **_):
        g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
        small = tuple(-(-n // s) for n, s in zip(input_shape, g.stride))
        try:
            g1 = Geometry(small, kernel_shape, 1, g.pads, dilation)
        except sc.SymconvError:
            return Outcome(False, (), {"shape": "kernel does not fit the subsampled input"})
        c1 = correlation(g1)
        rhs = c1.matrix.xreplace(dict(zip(c1.kernel_flat, correlation(g).kernel_flat))) \
            * decimation(input_shape, g.stride).matrix
        return _compare(correlation(g).matrix, rhs)

    found = refuted_at("planted-stride", check, _small_domain)
    assert found["stride"] == 2


# ---------------------------------------------------------------------------
# im2col, separable, depthwise, 1x1
# ---------------------------------------------------------------------------


def test_patch_matrix_dilated():
    x = sympy.Array([[1, 2, 3, 4, 5]])
    assert patch_matrix(x, Geometry((5,), (2,), stride=2, dilation=3)).tolist() == [[1, 4]]
    assert patch_matrix(x, Geometry((5,), (2,), stride=3, padding=1)).tolist() == [[0, 1],
                                                                                   [3, 4]]


def test_im2col_multichannel_2d():
    p = sc.prove("im2col", input_shape=(3, 3), kernel_shape=(2, 2), stride=1, padding=1,
                 in_channels=2, out_channels=2, groups=2)
    assert p.verdict == "proved"


def test_planted_im2col_ignores_dilation():
    def check(input_shape, kernel_shape, stride, padding, dilation, **_):
        g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
        op = correlation(g)
        x = sc.input_symbols(op.input_shape)
        undilated = Geometry(input_shape, kernel_shape, stride, g.pads, 1)
        if undilated.output_shape != g.output_shape:
            return Outcome(False, (), {"shape": "sizes differ"})
        patches = patch_matrix(x, undilated)
        rhs = patches * sympy.Matrix(op.kernel_flat)
        return _compare(op.matrix * sympy.Matrix(flat(x)), rhs)

    found = refuted_at("planted-im2col", check, _small_domain)
    assert found["dilation"] == 2


def test_separable_explicit():
    assert sc.prove("separable", input_shape=(5, 4), kernel_shape=(2, 3), stride=(1, 2),
                    padding=((1, 0), (0, 2)), dilation=(2, 1)).verdict == "proved"


def test_planted_separable_wrong_order():
    def check(n, k):
        g = Geometry(n, k)
        a, b = signal((k[0],), "a"), signal((k[1],), "b")
        lhs = _with_kernel(correlation(g), [a[m] * b[j] for m in range(k[0])
                                            for j in range(k[1])])
        c_a = _with_kernel(correlation(Geometry((n[0],), (k[0],))), list(a))
        c_b = _with_kernel(correlation(Geometry((n[1],), (k[1],))), list(b))
        return _compare(lhs, sympy.kronecker_product(sympy.Matrix(c_b), sympy.Matrix(c_a)))

    found = refuted_at("planted-separable", check, lambda: [
        {"n": (1, 1), "k": (1, 1)}, {"n": (2, 1), "k": (1, 1)}, {"n": (2, 2), "k": (1, 1)},
        {"n": (2, 2), "k": (2, 1)}])
    assert (found["n"], found["k"]) == ((2, 2), (2, 1))


def test_depthwise_explicit_multiplier():
    p = sc.prove("depthwise-separable", input_shape=(4,), kernel_shape=(3,), stride=2,
                 padding=1, dilation=1, in_channels=3, out_channels=2, depth_multiplier=2)
    assert p.verdict == "proved"


def test_planted_depthwise_wrong_channel_index():
    def check(in_channels, depth_multiplier):
        g = Geometry((3,), (2,))
        mid = in_channels * depth_multiplier
        dw = correlation(g, in_channels, mid, groups=in_channels, kernel_name="D")
        pw = correlation(Geometry(g.output_shape, (1,)), mid, 1, kernel_name="P")
        single = correlation(g, in_channels, 1)
        wrong = [sum(pw.kernel[0, j * in_channels + c, 0] * dw.kernel[j * in_channels + c, 0, m]
                     for j in range(depth_multiplier))
                 for c in range(in_channels) for m in range(2)]
        return _compare(pw.matrix * dw.matrix, _with_kernel(single, wrong))

    found = refuted_at("planted-depthwise", check, lambda: [
        {"in_channels": c, "depth_multiplier": m} for c, m in [(1, 1), (2, 1), (1, 2), (2, 2)]])
    assert (found["in_channels"], found["depth_multiplier"]) == (2, 2)


def test_one_by_one_explicit():
    p = sc.prove("one-by-one", input_shape=(3, 3), stride=2, padding=1, in_channels=4,
                 out_channels=6, groups=2)
    assert p.verdict == "proved"


def test_planted_one_by_one_identity_first():
    def check(in_channels, out_channels):
        g = Geometry((2,), (1,))
        op = correlation(g, in_channels, out_channels)
        w = sympy.Matrix(out_channels, in_channels, lambda o, c: op.kernel[o, c, 0])
        return _compare(op.matrix, sympy.kronecker_product(sympy.eye(2), w))

    found = refuted_at("planted-1x1", check, lambda: [
        {"in_channels": 1, "out_channels": 1}, {"in_channels": 1, "out_channels": 2},
        {"in_channels": 2, "out_channels": 2}])
    assert (found["in_channels"], found["out_channels"]) == (1, 2)


# ---------------------------------------------------------------------------
# Transposed convolution as a convolution
# ---------------------------------------------------------------------------


def test_pad_or_crop_and_recipe_pads():
    assert pad_or_crop((2,), [(1, 1)]).tolist() == [[0, 0], [1, 0], [0, 1], [0, 0]]
    assert pad_or_crop((3,), [(-1, 0)]).tolist() == [[0, 1, 0], [0, 0, 1]]
    tg = TransposedGeometry((3,), (3,), stride=2, padding=1, output_padding=1)
    assert recipe_pads(tg, (5,), "exact") == ((1, 2),)
    assert recipe_pads(tg, (5,), "notes") == ((2, 1),)


@pytest.mark.parametrize("point", [
    {"input_shape": (2, 3), "kernel_shape": (3, 3), "stride": (2, 3), "padding": (1, 2),
     "output_padding": (1, 2), "dilation": 1},
    {"input_shape": (3,), "kernel_shape": (2,), "stride": 2, "padding": 2, "output_padding": 0,
     "dilation": 3, "in_channels": 2, "out_channels": 4, "groups": 2},
    {"input_shape": (3,), "kernel_shape": (3,), "stride": 3, "padding": 0, "output_padding": 2,
     "insertion": "after"},
])
def test_transposed_as_convolution_explicit(point):
    assert sc.prove("transposed-as-convolution", **point).verdict == "proved"


def test_notes_padding_rule_refuted_only_with_output_padding():
    p = sc.prove("transposed-as-convolution", input_shape=(3,), kernel_shape=(3,), stride=2,
                 padding=1, output_padding=1, pad_rule="notes")
    assert p.verdict == "refuted"
    assert p.counterexample["output_padding"] == 1
    q = sc.prove("transposed-as-convolution", input_shape=(3,), kernel_shape=(3,), stride=2,
                 padding=1, output_padding=0, pad_rule="notes")
    assert q.verdict == "proved"


def test_bad_recipe_option_is_rejected():
    with pytest.raises(sc.SymconvError):
        sc.prove("transposed-as-convolution", pad_rule="tf")


def test_planted_transposed_unflipped_kernel():
    def check(input_shape, kernel_shape, stride, padding, output_padding, dilation, **_):
        tg = TransposedGeometry(input_shape, kernel_shape, stride, padding, output_padding,
                                dilation)
        t = transposed_convolution(tg)
        z = zero_insertion(tg.input_shape, tg.stride)
        pads = recipe_pads(tg, z.output_shape[1:], "exact")
        p = pad_or_crop(z.output_shape[1:], pads)
        padded = tuple(n + b + a for n, (b, a) in zip(z.output_shape[1:], pads))
        c = correlation(Geometry(padded, tg.kernel_shape, 1, 0, tg.dilation), kernel_name="w")
        unflipped = _with_kernel(c, list(t.kernel_flat))
        flipped = _recipe_kernel(t.kernel, 1, 1, 1)
        assert flipped == list(reversed(t.kernel_flat))
        return _compare(t.matrix, unflipped * p * z.matrix)

    found = refuted_at("planted-transposed", check, transposed_domain)
    assert found["kernel_shape"] == (2,)


# ---------------------------------------------------------------------------
# The derivation scripts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["convolution_vs_correlation", "transposed_convolution",
                                  "convolution_theorem"])
def test_derivation_script_exits_zero(derivation_runs, stem):
    code, _, out, err = derivation_runs[stem]  # run once per suite (tests/conftest.py)
    assert code == 0, out[-2000:] + err[-2000:]
    assert "all claims checked: ok" in out or "verdicts are the expected ones." in out
    assert "UNEXPECTED" not in out and "!!" not in out


def test_notes_echo_example_is_exact_and_needs_the_flip():
    proof = sc.prove("notes-echo-example")
    assert proof.verdict == "proved" and "numeric" in proof.evidence
    wrong = sc.prove("notes-echo-example", expected="2.2")
    assert wrong.verdict == "refuted"
    assert wrong.counterexample["value"] == "29/10"
    assert wrong.counterexample["unflipped"] == "11/5"
