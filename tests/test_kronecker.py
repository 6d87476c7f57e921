"""Kronecker factors of one-channel layers (symconv.kronecker) and the factor proof of
``transpose``/``adjoint`` (structure.prove_by_factors): the factor path is taken above
the SymPy size, agrees with the whole-matrix and SymPy paths on small layers, and a
planted mismatch in one axis' factor is refuted with a real differing entry."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv import kronecker
from symconv.geometry import Geometry
from symconv.kronecker import (
    KroneckerMap,
    compare_factors,
    correlation_factor,
    correlation_factors,
    first_kronecker_difference,
    scatter_count,
    scatter_factors,
    window_count,
)
from symconv.sparse import coefficient_map, first_map_difference, transpose_map
from symconv.theorems import structure

SMALL = [
    Geometry((7,), (3,), stride=2, padding=1),
    Geometry((9,), (3,), stride=3, padding=2, dilation=2),
    Geometry((6, 5), (3, 2), stride=(2, 1), padding=1),
    Geometry((8, 7), (3, 3), stride=2, padding=1, dilation=(1, 2)),
    Geometry((5, 6, 4), (3, 3, 2), padding=1),
    Geometry((4, 4), (4, 4), padding=0),
]


def _operator_map(op):
    return coefficient_map(op.rows, op.cols, op.taps, op.shape, op.coeffs)


def _transposed(g):
    return structure.matching_transposed(g, tuple(b for b, _ in g.pads))


@pytest.mark.parametrize("g", SMALL, ids=str)
def test_factor_products_are_the_builders_operators_and_agree_with_the_whole_matrix(g):
    tg = _transposed(g)
    c = KroneckerMap(correlation_factors(g), g.kernel_shape)
    t = KroneckerMap(scatter_factors(tg), tg.kernel_shape)
    op_c, op_t = sc.correlation(g), sc.transposed_convolution(tg, kernel_name="k")
    assert first_map_difference(c.expand(), _operator_map(op_c)) is None
    assert first_map_difference(t.expand(), _operator_map(op_t)) is None
    assert (window_count(g), scatter_count(tg)) == (len(op_c.rows), len(op_t.rows))
    assert first_map_difference(transpose_map(c.expand()), c.transposed().expand()) is None
    result = compare_factors(g, tg, g, tg)
    whole = structure.compare_index_forms(g)
    assert result.holds and whole.holds and result.difference is None


@pytest.mark.parametrize("name", ["transpose", "adjoint"])
@pytest.mark.parametrize("g", SMALL, ids=str)
def test_the_factor_path_gives_the_sympy_verdict(monkeypatch, name, g):
    point = {"input_shape": g.input_shape, "kernel_shape": g.kernel_shape,
             "stride": g.stride, "padding": tuple(b for b, _ in g.pads),
             "dilation": g.dilation}
    small = sc.prove(name, **point)
    monkeypatch.setattr(structure, "SYMPY_ENTRIES", 0)
    monkeypatch.setattr(structure, "FACTOR_ENTRIES", 0)
    factored = sc.prove(name, **point)
    titles = [s.title for s in factored.steps]
    assert "Compare (per-axis factors)" in titles and "Product structure (checked)" in titles
    assert (factored.verdict, factored.evidence) == (small.verdict, small.evidence)


def test_a_large_one_channel_layer_is_proved_by_its_factors():
    proof = sc.prove("transpose", input_shape=(1344, 1344), kernel_shape=(7, 7), stride=2,
                     padding=3)
    assert proof.verdict == "proved"
    assert proof.evidence == ["parametric", "symbolic", "numeric"]
    text = " ".join(proof.text().split())
    assert "axis 0: 1344x672, 4698 entries" in text  # T's factor: 672 x 7 taps - 6 border
    assert "22071204 for C and 22071204 for T" in text  # = 4698 ** 2, counted on the n-D grid
    assert "twin size 6x6" in text


def _shifted_scatter(axis):
    """scatter_factors with axis ``axis`` cropped one less: a planted one-axis mismatch."""
    original = kronecker.scatter_factors

    def planted(tg):
        factors = list(original(tg))
        n, k, o, s, d = (v[axis] for v in (tg.input_shape, tg.kernel_shape,
                                           tg.output_shape, tg.stride, tg.dilation))
        factors[axis] = kronecker.scatter_factor(n, k, o, s, tg.crops[axis][0] - 1, d)
        return tuple(factors)
    return planted


@pytest.mark.parametrize("name", ["transpose", "adjoint"])
def test_a_planted_mismatch_in_one_axis_is_refuted_with_the_first_differing_entry(
        monkeypatch, name):
    g = Geometry((40, 30), (3, 3), stride=2, padding=1)
    monkeypatch.setattr(kronecker, "scatter_factors", _shifted_scatter(1))
    monkeypatch.setattr(structure, "FACTOR_ENTRIES", 0)  # 40x30 is proved whole otherwise
    tg = _transposed(g)
    result = compare_factors(g, tg, structure.twin_geometry(g),
                             _transposed(structure.twin_geometry(g)))
    d = result.difference
    good = KroneckerMap(correlation_factors(g), g.kernel_shape).transposed()
    assert not result.holds and not result.twin_product and d.axis == 1
    found = first_map_difference(result.scatter.factors[1], good.factors[1])
    assert (d.factor_key, d.factor_values) == (found[0], found[1:])
    lhs, rhs = result.scatter.expand(), good.expand()  # small enough to expand here
    entries = [{tuple(k): m.coefficient(e) for e, k in enumerate(m.keys.tolist())}
               for m in (lhs, rhs)]
    assert d.values == tuple(e.get(d.key, 0) for e in entries) and d.values[0] != d.values[1]
    proof = sc.prove(name, input_shape=(40, 30), kernel_shape=(3, 3), stride=2, padding=1)
    assert proof.verdict == "refuted"
    assert "axis 1" in proof.counterexample["factor"]
    assert "The factors of axis 1 differ" in proof.text()
    row, col = d.key[:2]  # T's (row, col): an input and an output position of C
    where = {"T": (np.unravel_index(row, g.input_shape), np.unravel_index(col, (20, 15)))}
    if name == "adjoint":
        x, y = (f"{v}_{{{','.join(map(str, (0, *p)))}}}" for v, p in zip("xy", where["T"]))
        assert proof.counterexample["monomial"].endswith(f"*{x}*{y}")


def test_a_planted_builder_bug_fails_the_product_structure(monkeypatch):
    import symconv.operators as ops

    original = ops.window_triples

    def off_by_one(out, k, n, s, p, d):
        t = original(out, k, n, s, p, d)
        return t[t[:, 0] != out - 1] if out > 1 else t  # the last window dropped

    monkeypatch.setattr(ops, "window_triples", off_by_one)
    monkeypatch.setattr(structure, "FACTOR_ENTRIES", 0)
    proof = sc.prove("transpose", input_shape=(40, 30), kernel_shape=(3, 3), padding=1)
    assert proof.verdict == "refuted"
    assert "builder triples at full size" in proof.counterexample["product structure"]


FACTOR = st.integers(1, 3).flatmap(lambda rows: st.integers(1, 3).flatmap(
    lambda cols: st.lists(st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1),
                                    st.integers(0, 1), st.integers(-2, 2)),
                          max_size=5).map(lambda entries: (rows, cols, entries))))


def _factor(spec, scale=1):
    rows, cols, entries = spec
    if not entries:
        return coefficient_map(np.zeros(0, int), np.zeros(0, int), np.zeros(0, int),
                               (rows, cols))
    r, c, t, v = (np.array(x) for x in zip(*entries))
    return coefficient_map(r, c, t, (rows, cols), [scale * int(x) for x in v])


@settings(max_examples=200, deadline=None)
@given(st.lists(FACTOR, min_size=1, max_size=3), st.data())
def test_the_product_comparison_is_the_comparison_of_the_expanded_maps(specs, data):
    """Random factors, and a second product with one factor changed or rescaled."""
    a = KroneckerMap(tuple(_factor(s) for s in specs), (2,) * len(specs))
    axis = data.draw(st.integers(0, len(specs) - 1))
    other = data.draw(st.sampled_from(["same shape", "scaled", "doubled"]))
    factors = list(a.factors)
    if other == "doubled":  # (2A) (x) B differs from A (x) B wherever A (x) B is nonzero
        factors[axis] = _factor(specs[axis], 2)
    elif other == "scaled" and len(specs) > 1:  # (-A) (x) (-B) = A (x) B: equal products
        following = (axis + 1) % len(specs)
        factors[axis] = _factor(specs[axis], -1)
        factors[following] = _factor(specs[following], -1)
    else:
        rows, cols, _ = specs[axis]
        factors[axis] = _factor(data.draw(FACTOR.filter(lambda f: f[:2] == (rows, cols))))
    b = KroneckerMap(tuple(factors), a.taps)
    found = first_kronecker_difference(a, b)
    expanded = first_map_difference(a.expand(), b.expand())
    assert (found is None or found.key is None) == (expanded is None)
    if found is not None and found.key is not None:
        entries = [{tuple(k): m.coefficient(e) for e, k in enumerate(m.keys.tolist())}
                   for m in (a.expand(), b.expand())]
        assert found.values == tuple(e.get(found.key, 0) for e in entries)
        assert found.values[0] != found.values[1]


def test_a_factor_is_the_definition_on_one_axis():
    factor = correlation_factor(out=3, k=3, n=5, s=2, p=1, d=1)
    keys = {tuple(k) for k in factor.keys.tolist()}
    assert keys == {(i, 2 * i - 1 + m, m) for i in range(3) for m in range(3)
                    if 0 <= 2 * i - 1 + m < 5}


def test_twin_operators_handed_in_are_the_ones_compared():
    g = Geometry((40, 30), (3, 3), stride=2, padding=1)
    twin = structure.twin_geometry(g)
    twin_tg = _transposed(twin)
    c = sc.operators.correlation(twin)
    t = sc.operators.transposed_convolution(twin_tg, kernel_name="k")
    assert compare_factors(g, _transposed(g), twin, twin_tg, (c, t)).holds
    w = sc.operators.transposed_convolution(twin_tg, kernel_name="w")  # other symbols
    wrong = compare_factors(g, _transposed(g), twin, twin_tg, (c, w))
    assert not wrong.holds and not wrong.twin_product
