"""Learning theorems (gradients of a conv layer, a dense layer as a conv): verdicts, a
planted false variant refuted at its smallest point, bad parameters named."""

import pytest
import sympy

import symconv as sc
from symconv.errors import SymconvError
from symconv.theorems import Outcome
from symconv.theorems.engine import first_difference
from symconv.theorems.learning import input_gradient, vgg_feature_size


@pytest.mark.parametrize("name, parameters", [
    ("gradients", {"input_shape": (4, 3), "kernel_shape": (2, 2), "stride": 1, "padding": 0,
                   "in_channels": 2, "out_channels": 2, "groups": 2}),
    ("fc-as-conv", {"channels": 1, "window": (2,), "input_shape": (4,), "outputs": 1}),
])
def test_each_theorem_is_proved_at_explicit_sizes(name, parameters):
    proof = sc.prove(name, **parameters)
    assert proof.verdict == "proved" and "symbolic" in proof.evidence
    assert proof.counterexample is None


@pytest.mark.parametrize("name", ["gradients", "fc-as-conv"])
def test_each_theorem_holds_on_its_whole_exhaustive_domain(name):
    proof = sc.prove(name)
    assert proof.verdict == "proved" and "exhaustive" in proof.evidence


def test_vgg_feature_sizes_by_hand():
    # 224 / 2**5 = 7 (the 7x7x512 map VGG's first dense layer reads), 384 / 2**5 = 12
    assert (vgg_feature_size(224, 5), vgg_feature_size(384, 5)) == (7, 12)


def _input_gradient_claim(flip_kernel: bool):
    """dL/dx for L = <C x, G>, by SymPy's diff, against the scatter rule ``input_gradient``
    (with the kernel flipped: the classic mistake)."""
    def check(n, k):
        g = sc.Geometry((n,), (k,))
        c = sc.correlation(g)
        x = sc.input_symbols((1, n))
        grad = sympy.Array(sympy.symbols(f"G_:{g.output_shape[0]}"), (1, g.output_shape[0]))
        flat = sympy.flatten
        loss = sum(a * b for a, b in zip(flat(c.apply(x).tolist()), flat(grad.tolist())))
        truth = sympy.Array([[sympy.diff(loss, v) for v in flat(x.tolist())]])
        kernel = c.kernel[:, :, ::-1] if flip_kernel else c.kernel
        difference = first_difference(truth, input_gradient(kernel, grad, g, 1))
        return Outcome(difference is None, (), difference)
    return check


POINTS = [{"n": n, "k": k} for n in range(1, 4) for k in range(1, n + 1)]


def test_the_scatter_rule_is_the_gradient_and_its_flipped_twin_is_refuted(plant):
    assert sc.prove(plant("planted-grad", _input_gradient_claim(False), POINTS)).verdict \
        == "proved"
    wrong = sc.prove(plant("planted-grad-flipped", _input_gradient_claim(True), POINTS))
    assert wrong.verdict == "refuted"
    assert (wrong.counterexample["n"], wrong.counterexample["k"]) == (2, 2)


@pytest.mark.parametrize("name, parameters, named", [
    ("gradients", {"groups": 3}, "groups"),
    ("gradients", {"stride": -1}, "stride"),
    ("fc-as-conv", {"window": (9, 9)}, "window"),
    ("fc-as-conv", {"outputs": True}, "outputs"),
])
def test_bad_parameters_are_named(name, parameters, named):
    with pytest.raises(SymconvError, match=named):
        sc.prove(name, **parameters)
