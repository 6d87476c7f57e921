"""symconv must never print "proved" for a false statement.

Two kinds of evidence that it does not:

- planted false theorems, built with the same machinery as the catalogue (same
  operators, same comparison, same engine), must each be refuted with the
  smallest counterexample;
- small mutations of the operator builder must turn the catalogue red.
"""

import numpy as np
import pytest

import symconv as sc
from symconv import geometry as geo
from symconv.operators import convolutions as ops
from symconv.proof import Proof
from symconv.theorems import REGISTRY
from symconv.theorems.common import LAYER
from symconv.theorems.engine import Outcome, Theorem, decide, first_difference
from symconv.theorems.structure import SMALL_1D, matching_transposed, small_layers


def claim(name, check, parameters=None):
    """An unregistered theorem over the 1-D small-layer domain."""
    defaults = {**LAYER, "input_shape": (4,), "kernel_shape": (3,), **(parameters or {})}
    return Theorem(name, "planted", name, name, defaults, check, small_layers, SMALL_1D)


def matrices_equal(lhs, rhs):
    difference = first_difference(lhs, rhs)
    return Outcome(difference is None, (), difference)


def off_by_one_output_size(input_shape, kernel_shape, stride, padding, dilation, **_):
    g = sc.Geometry(input_shape, kernel_shape, stride, padding, dilation)
    rows = sc.correlation(g).matrix.rows
    (n,), (k,), (s,), (d,), ((pb, pa),) = (g.input_shape, g.kernel_shape, g.stride,
                                            g.dilation, g.pads)
    claimed = (n + pb + pa - d * (k - 1) - 1) // s  # the "+ 1" forgotten
    return Outcome(rows == claimed, (), None if rows == claimed else
                   {"rows of C": rows, "formula": claimed})


def unflipped_kernel(input_shape, kernel_shape, stride, padding, dilation, **_):
    g = sc.Geometry(input_shape, kernel_shape, stride, padding, dilation)
    return matrices_equal(sc.convolution(g).matrix, sc.correlation(g).matrix)


def same_padding_on_the_wrong_side(input_shape, kernel_shape, stride, padding, dilation, **_):
    g = sc.Geometry(input_shape, kernel_shape, stride, "same", dilation)
    (before, after), = g.pads
    wrong = sc.Geometry(input_shape, kernel_shape, stride, ((after, before),), dilation)
    return matrices_equal(sc.correlation(wrong).matrix, sc.correlation(g).matrix)


def dilation_forgotten(input_shape, kernel_shape, stride, padding, dilation, **_):
    g = sc.Geometry(input_shape, kernel_shape, stride, padding, dilation)
    plain = geo.Geometry(input_shape, kernel_shape, stride, padding, 1)
    return matrices_equal(sc.correlation(plain).matrix, sc.correlation(g).matrix)


def wrong_transpose(input_shape, kernel_shape, stride, padding, dilation, **_):
    """Claims the transposed convolution is C itself (not its transpose), read as a square."""
    g = sc.Geometry(input_shape, kernel_shape, stride, padding, dilation)
    t = sc.transposed_convolution(matching_transposed(g, (padding,)), kernel_name="k")
    return matrices_equal(t.matrix, sc.correlation(g).matrix)


def transpose_with_unflipped_zero_insertion(input_shape, kernel_shape, stride, padding,
                                            dilation, **_):
    """The four-step recipe with the kernel left unflipped."""
    g = sc.Geometry(input_shape, kernel_shape, stride, padding, dilation)
    tg = matching_transposed(g, (padding,))
    t = sc.transposed_convolution(tg, kernel_name="k")
    z = sc.zero_insertion(tg.input_shape, stride)
    (k,), (d,), (op,) = tg.kernel_shape, tg.dilation, tg.output_padding
    edge = d * (k - 1) - padding
    if edge < 0:
        return Outcome(True)
    padded = sc.zero_padding(z.output_shape[1:], ((edge, edge + op),))
    inner = sc.Geometry(padded.output_shape[1:], (k,), 1, 0, d)
    recipe = sc.correlation(inner).matrix * padded.matrix * z.matrix  # unflipped: wrong
    return matrices_equal(t.matrix, recipe)


PLANTED = [
    (off_by_one_output_size, {"input_shape": (1,), "kernel_shape": (1,)}),
    (unflipped_kernel, {"input_shape": (1,), "kernel_shape": (2,), "padding": 1}),
    (same_padding_on_the_wrong_side, {"kernel_shape": (2,), "stride": 1}),
    (dilation_forgotten, {"kernel_shape": (2,), "dilation": 2}),
    (wrong_transpose, {"input_shape": (1,), "kernel_shape": (1,), "padding": 1}),
    (transpose_with_unflipped_zero_insertion, {"input_shape": (1,), "kernel_shape": (2,),
                                               "padding": 1, "lhs": "k_{0,0,1}"}),
]


@pytest.mark.parametrize(("check", "expected"), PLANTED, ids=[c.__name__ for c, _ in PLANTED])
def test_planted_false_statement_is_refuted_with_smallest_counterexample(check, expected):
    proof = decide(claim(check.__name__, check), exhaustive=True)
    assert proof.verdict == "refuted" and proof.evidence == []
    assert proof.counterexample is not None
    for key, value in expected.items():
        assert proof.counterexample[key] == value, proof.counterexample
    # the counterexample is the first failing point of the ordered domain
    first = next(p for p in small_layers() if not check(**p).holds)
    assert {k: proof.counterexample[k] for k in first} == first
    assert "proved" not in proof.text().split("\n")[0].lower().replace("refuted", "")


def test_a_proof_cannot_claim_proved_without_evidence_or_with_a_counterexample():
    with pytest.raises(ValueError):
        Proof("x", "s", "s", {}, "proved", ["numeric"])
    with pytest.raises(ValueError):
        Proof("x", "s", "s", {}, "proved", ["symbolic"], counterexample={"n": 1})
    with pytest.raises(ValueError):
        Proof("x", "s", "s", {}, "refuted", [])


def test_non_multiple_shift_of_strided_equivariance_is_refuted():
    if "strided-equivariance" not in REGISTRY:
        pytest.skip("strided-equivariance not registered")
    params = REGISTRY["strided-equivariance"].parameters
    stride = params.get("stride", 2)
    stride = stride if isinstance(stride, int) else stride[0]
    shift = 1 if stride > 1 else None
    if shift is None:
        pytest.skip("default stride is 1")
    assert sc.prove("strided-equivariance", shift=shift).verdict == "refuted"


# ---------------------------------------------------------------------------
# Mutations of the operator builder turn the catalogue red
# ---------------------------------------------------------------------------

def _window_triples_off_by_one(out, k, n, s, p, d):
    i, m = np.meshgrid(np.arange(out), np.arange(k), indexing="ij")
    j = s * i - p + d * m + 1
    keep = (j >= 0) & (j < n)
    return np.stack([i[keep], m[keep], j[keep]], axis=1)


def _window_triples_no_dilation(out, k, n, s, p, d):
    i, m = np.meshgrid(np.arange(out), np.arange(k), indexing="ij")
    j = s * i - p + m
    keep = (j >= 0) & (j < n)
    return np.stack([i[keep], m[keep], j[keep]], axis=1)


def _channel_blocks_transposed_layout_ignored(*args, transposed=False):
    return ORIGINAL_BLOCKS(*args, transposed=False)


def _correlation_never_flips(geometry, in_channels=1, out_channels=1, groups=1,
                             kernel_name="k", flip=False):
    return ORIGINAL_CORRELATION(geometry, in_channels, out_channels, groups, kernel_name)


ORIGINAL_BLOCKS = ops.channel_blocks
ORIGINAL_CORRELATION = ops.correlation

MUTATIONS = [
    ("window_triples", _window_triples_off_by_one, ["transpose", "adjoint", "flip"], {}),
    ("window_triples", _window_triples_no_dilation, ["transpose", "flip"], {}),
    ("channel_blocks", _channel_blocks_transposed_layout_ignored, ["transpose", "adjoint"],
     {"in_channels": 2, "out_channels": 3, "input_shape": (3,), "kernel_shape": (2,)}),
    ("correlation", _correlation_never_flips, ["flip"], {}),
]


@pytest.mark.parametrize(("target", "mutant", "names", "params"), MUTATIONS,
                         ids=[f"{t}:{m.__name__}" for t, m, _, _ in MUTATIONS])
def test_mutated_operator_builder_turns_catalogue_red(monkeypatch, target, mutant, names,
                                                      params):
    monkeypatch.setattr(ops, target, mutant)
    if target == "correlation":  # called through structure's name and the package's too
        import symconv.operators as package
        from symconv.theorems import structure

        monkeypatch.setattr(structure, "correlation", mutant)
        monkeypatch.setattr(package, "correlation", mutant)
    for name in names:
        proof = sc.prove(name, exhaustive=True, **params)
        assert proof.verdict == "refuted", (name, proof.evidence)
