"""Decomposition theorems (Toeplitz, dilation, stride, im2col, separable, depthwise
separable, 1x1, transposed as convolution): verdicts at sizes the catalogue's defaults do
not use, a planted false variant refuted at its smallest point, bad parameters named.
(The default-parameter verdicts and evidence are in test_theorems_algebra.py.)"""

import pytest

import symconv as sc
from symconv.errors import SymconvError
from symconv.theorems import Outcome
from symconv.theorems.decomposition import formula_matrix, zero_inserted_kernel
from symconv.theorems.engine import first_difference


@pytest.mark.parametrize("name, parameters", [
    ("toeplitz", {"input_shape": (4, 4), "kernel_shape": (2, 3), "padding": 1}),
    ("dilation", {"input_shape": (7,), "kernel_shape": (3,), "dilation": 3}),
    ("stride-as-subsampling", {"input_shape": (7,), "kernel_shape": (2,), "stride": 3}),
    ("im2col", {"input_shape": (3, 3), "kernel_shape": (2, 2), "in_channels": 2}),
    ("separable", {"input_shape": (3, 4), "kernel_shape": (2, 3), "stride": (1, 2),
                   "padding": (0, 1), "dilation": (1, 1)}),
    ("depthwise-separable", {"input_shape": (3,), "kernel_shape": (2,), "in_channels": 2,
                             "out_channels": 4, "depth_multiplier": 2}),
    ("one-by-one", {"input_shape": (2, 2), "in_channels": 4, "out_channels": 2,
                    "groups": 2}),
    ("transposed-as-convolution", {"input_shape": (4,), "kernel_shape": (2,), "stride": 3,
                                   "padding": 0, "output_padding": 2}),
])
def test_each_theorem_is_proved_at_explicit_sizes(name, parameters):
    proof = sc.prove(name, exhaustive=False, **parameters)
    assert proof.verdict == "proved" and "symbolic" in proof.evidence
    assert proof.counterexample is None


def _dilation_claim(zeros_between: int):
    """A dilated correlation against a plain correlation with a zero-inserted kernel
    carrying ``d - 1 + zeros_between`` zeros between taps (``zeros_between = 1``: the
    off-by-one that inserts ``d`` zeros)."""
    def check(n, k, d):
        g = sc.Geometry((n,), (k,), dilation=d)
        spread = d + zeros_between
        zk = zero_inserted_kernel(sc.correlation(g).kernel, (spread,))
        if spread * (k - 1) + 1 > n:
            return Outcome(False, (), {"where": "the zero-inserted kernel does not fit"})
        dense = sc.Geometry((n,), (spread * (k - 1) + 1,))
        difference = first_difference(sc.correlation(g).matrix, formula_matrix(dense, kernel=zk))
        return Outcome(difference is None, (), difference)
    return check


POINTS = [{"n": n, "k": k, "d": d} for n in range(1, 6) for k in (1, 2) for d in (1, 2)
          if d * (k - 1) + 1 <= n]


def test_dilation_is_d_minus_one_zeros_and_the_off_by_one_is_refuted(plant):
    assert sc.prove(plant("planted-dilation", _dilation_claim(0), POINTS)).verdict == "proved"
    wrong = sc.prove(plant("planted-dilation-d-zeros", _dilation_claim(1), POINTS))
    assert wrong.verdict == "refuted"
    found = wrong.counterexample
    assert (found["n"], found["k"], found["d"]) == (2, 2, 1)  # 2 taps spread over 3 > n


@pytest.mark.parametrize("name, parameters, named", [
    ("toeplitz", {"dilation": 0}, "dilation"),
    ("separable", {"kernel_shape": (3,)}, "kernel_shape"),
    ("depthwise-separable", {"depth_multiplier": 0}, "depth_multiplier"),
    ("one-by-one", {"groups": 4}, "groups"),
    ("transposed-as-convolution", {"pad_rule": "nope"}, "pad_rule"),
])
def test_bad_parameters_are_named(name, parameters, named):
    with pytest.raises(SymconvError, match=named):
        sc.prove(name, **parameters)
