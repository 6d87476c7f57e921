"""Structure theorems (transposed convolution = C^T, adjoint, flip): verdicts, a planted
false variant refuted at its smallest point, bad parameters named."""

import pytest

import symconv as sc
from symconv.errors import SymconvError
from symconv.theorems import Outcome
from symconv.theorems.engine import first_difference

ALL_SIZES = ["parametric", "symbolic", "numeric"]


@pytest.mark.parametrize("name, parameters, evidence", [
    ("transpose", {"input_shape": (5,), "kernel_shape": (3,), "stride": 2, "padding": 1},
     ALL_SIZES),
    ("adjoint", {"input_shape": (4, 3), "kernel_shape": (2, 2), "in_channels": 2,
                 "out_channels": 2, "groups": 2}, ALL_SIZES),
    ("flip", {"input_shape": (6,), "kernel_shape": (3,), "dilation": 2}, ["symbolic", "numeric"]),
])
def test_each_theorem_is_proved_with_its_evidence(name, parameters, evidence):
    proof = sc.prove(name, **parameters)
    assert (proof.verdict, proof.evidence, proof.counterexample) == ("proved", evidence, None)


def _points():
    return [{"n": n, "k": k} for n in range(1, 4) for k in range(1, n + 1)]


def _transposed_against(transpose_c: bool):
    def check(n, k):
        g = sc.Geometry((n,), (k,))
        c = sc.correlation(g).matrix
        t = sc.transposed_convolution(input_shape=g.output_shape, kernel_shape=(k,),
                                      kernel_name="k").matrix
        difference = first_difference(t, c.T if transpose_c else c)
        return Outcome(difference is None, (), difference)
    return check


def test_the_planted_scatter_rule_is_proved_and_its_untransposed_twin_refuted(plant):
    assert sc.prove(plant("planted-t-is-ct", _transposed_against(True), _points())).verdict \
        == "proved"
    wrong = sc.prove(plant("planted-t-is-c", _transposed_against(False), _points()))
    assert wrong.verdict == "refuted" and wrong.evidence == []
    assert (wrong.counterexample["n"], wrong.counterexample["k"]) == (2, 2)  # 1x2 vs 2x1


@pytest.mark.parametrize("name, parameters, named", [
    ("transpose", {"stride": 0}, "stride"),
    ("adjoint", {"groups": 3}, "groups"),
    ("flip", {"kernel_shape": (3,)}, "kernel_shape"),
    ("transpose", {"padding": "sideways"}, "padding"),
    ("flip", {"no_such": 1}, "no_such"),
])
def test_bad_parameters_are_named(name, parameters, named):
    with pytest.raises(SymconvError, match=named):
        sc.prove(name, **parameters)


@pytest.mark.parametrize("name", ["transpose", "adjoint", "flip"])
def test_each_theorem_holds_on_its_whole_exhaustive_domain(name):
    proof = sc.prove(name)
    assert proof.verdict == "proved" and "exhaustive" in proof.evidence
    assert "points)" in proof.domain


def test_the_printed_corners_are_built_when_rendered_and_once(monkeypatch):
    from symconv.theorems import structure

    built = []
    real = structure._corner
    monkeypatch.setattr(structure, "_corner", lambda op: built.append(op.name) or real(op))
    proof = sc.prove("transpose", input_shape=(32, 32), kernel_shape=(3, 3), stride=2, padding=1)
    assert proof.verdict == "proved" and proof.evidence == ["parametric", "symbolic", "numeric"]
    assert built == []
    text = proof.text()
    assert sorted(built) == ["correlation", "transposed_convolution"]
    assert "k_{0,0,1,1}" in text and proof.text() == text and len(built) == 2
