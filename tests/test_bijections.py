"""The bijection machinery on index sets that name no operator (symconv.prover.bijections)."""

import sympy

from symconv.prover.bijections import COLUMN, ROW, IndexSet, check_bijection, product_closure

m, u, k, n = sympy.symbols("m u k n")
TAPS = IndexSet("A", (m,), ((ROW, COLUMN + m),), (m, k - 1 - m), m, n + k - 1, n, "taps")
FLIPPED = IndexSet("B", (u,), ((ROW, COLUMN + k - 1 - u),), (u, k - 1 - u), k - 1 - u,
                   n + k - 1, n, "flipped taps")
CONTEXT = (k - 1, n - 1)


def test_the_flip_is_a_bijection_certified_by_both_judges():
    proof = check_bijection(TAPS, FLIPPED, {u: k - 1 - m}, {m: k - 1 - u}, CONTEXT)
    assert proof.holds and proof.certified
    assert [c.name for c in proof.checks] == ["into", "back", "inverse", "terms", "shape"]


def test_a_backward_map_that_is_no_inverse_fails_inverse():
    diagonal = IndexSet("E", (m,), ((ROW, COLUMN),), (m, k - 1 - m), sympy.Integer(0), n, n,
                        "k equal terms on the diagonal")
    proof = check_bijection(diagonal, diagonal, {m: k - 1 - m}, {m: m}, CONTEXT)
    assert [c.name for c in proof.checks if not c.passed] == ["inverse"]
    assert not proof.certified


def test_different_shapes_fail_shape_only():
    wider = IndexSet("A'", (m,), ((ROW, COLUMN + m),), (m, k - 1 - m), m, n + k, n, "taps")
    proof = check_bijection(TAPS, wider, {m: m}, {m: m}, CONTEXT)
    assert [c.name for c in proof.checks if not c.passed] == ["shape"]


def test_taps_are_found_on_the_box_of_the_bounds():
    assert TAPS.taps({"k": 3, "n": 4, "j": 3, "i": 1}) == [2]
    assert FLIPPED.taps({"k": 3, "n": 4, "j": 3, "i": 1}) == [2]  # u = 0, the same tap
    assert TAPS.taps({"k": 3, "n": 4, "j": 0, "i": 1}) == []


def test_product_closure_adds_only_products_of_hypotheses():
    a, b = sympy.symbols("a b")
    assert product_closure([a, b]) == [a, b, a ** 2, a * b, b ** 2]
