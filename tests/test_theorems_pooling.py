"""Pooling theorems (average pooling as a strided conv, max pooling and shifts, max
unpooling as a transpose, rotation-invariant pooling of a filter bank): verdicts, false
variants refuted at the point given, bad parameters named."""

import numpy as np
import pytest

import symconv as sc
from symconv.errors import SymconvError
from symconv.geometry import PoolGeometry
from symconv.theorems.pooling import switch_patterns, unpool_matrix

NAMES = ["avg-pool-as-conv", "max-pool-equivariance", "max-unpool-adjoint",
         "rotation-invariant-pooling"]


@pytest.mark.parametrize("name", NAMES)
def test_each_theorem_holds_on_its_whole_exhaustive_domain(name):
    proof = sc.prove(name)
    assert proof.verdict == "proved"
    assert proof.evidence == ["symbolic", "exhaustive", "numeric"]


@pytest.mark.parametrize("name, parameters", [
    ("avg-pool-as-conv", {"input_shape": (5, 5), "kernel_shape": (3, 3), "stride": 2,
                          "padding": 1}),
    ("max-pool-equivariance", {"input_shape": (8,), "kernel_shape": (3,), "stride": 3,
                               "shift": 3}),
    ("max-unpool-adjoint", {"input_shape": (6,), "kernel_shape": (2,), "stride": 3}),
])
def test_each_theorem_is_proved_at_explicit_sizes(name, parameters):
    proof = sc.prove(name, exhaustive=False, **parameters)
    assert proof.verdict == "proved" and "symbolic" in proof.evidence


@pytest.mark.parametrize("name, parameters", [
    # a shift that is not a multiple of the stride moves the windows off the grid
    ("max-pool-equivariance", {"shift": 1}),
    # without the padding in the count, a border window divides by fewer than k*k
    ("avg-pool-as-conv", {"input_shape": (5, 5), "kernel_shape": (3, 3), "padding": 1,
                          "count_include_pad": False}),
    # two orientations (half turns) are not closed under a quarter turn
    ("rotation-invariant-pooling", {"input_shape": (4, 4), "kernel_shape": (3, 3),
                                    "padding": 1, "orientations": 2}),
])
def test_false_variants_are_refuted_where_stated(name, parameters):
    proof = sc.prove(name, exhaustive=False, **parameters)
    assert proof.verdict == "refuted" and proof.evidence == []
    assert all(proof.counterexample[k] == v for k, v in parameters.items())


def test_an_unpooling_matrix_puts_each_output_back_at_its_switch():
    mp = sc.max_pool(PoolGeometry((4,), (2,)))
    patterns = switch_patterns(mp)
    assert len(patterns) == 4  # two windows, two choices each
    for switches in patterns:
        u = unpool_matrix(switches, (4,))
        assert u.shape == (4, 2) and np.all(u.sum(axis=0) == 1)


@pytest.mark.parametrize("name, parameters, named", [
    ("avg-pool-as-conv", {"kernel_shape": (0, 2)}, "kernel_shape"),
    ("max-pool-equivariance", {"shift": 1.5}, "shift"),
    ("max-unpool-adjoint", {"channels": 0}, "channels"),
    ("rotation-invariant-pooling", {"input_shape": (3, 4)}, "input_shape"),
])
def test_bad_parameters_are_named(name, parameters, named):
    with pytest.raises(SymconvError, match=named):
        sc.prove(name, **parameters)
