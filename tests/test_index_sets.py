"""Index-set proofs for all sizes: the bijections check, the symbolic index sets are the
operators' (built at many small sizes), and planted wrong recipes fail a check."""

import itertools
from dataclasses import replace

import pytest
import sympy

from symconv import index_sets as ix
from symconv import prove
from symconv.geometry import Geometry, TransposedGeometry
from symconv.operators import correlation, transposed_convolution
from symconv.theorems.decomposition import transposed_as_convolution

n, k, s, p, d, op = (ix.SYMBOLS[v] for v in ("n", "k", "s", "p", "d", "op"))


@pytest.mark.parametrize("build", [ix.transposed_equals_transpose,
                                   ix.transposed_equals_zero_insertion])
def test_bijection_proofs_pass_every_check(build):
    proof = build()
    assert [c.name for c in proof.checks] == ["into", "back", "inverse", "terms", "shape"]
    assert proof.holds, [c for c in proof.checks if not c.passed]


def _entry_taps(matrix: sympy.Matrix, row: int, column: int) -> list[int]:
    """Kernel taps summed in one entry of a one-channel operator (symbols w_{0,0,m})."""
    entry = sympy.expand(matrix[row, column])
    taps = []
    for term in sympy.Add.make_args(entry):
        if term == 0:
            continue
        coeff, symbol = term.as_coeff_Mul()
        taps += [int(symbol.name.rsplit(",", 1)[1].rstrip("}"))] * int(coeff)
    return sorted(taps)


def _small_transposed():
    for nn, kk, ss, pp, dd in itertools.product(range(1, 4), range(1, 4), range(1, 4),
                                                range(2), range(1, 3)):
        for oo in range(max(ss, dd)):
            try:
                yield TransposedGeometry((nn,), (kk,), ss, pp, oo, dd)
            except ValueError:
                continue


def _values(tg: TransposedGeometry, row: int, column: int) -> dict[str, int]:
    return {"n": tg.input_shape[0], "k": tg.kernel_shape[0], "s": tg.stride[0],
            "p": tg.padding[0], "d": tg.dilation[0], "op": tg.output_padding[0],
            "j": row, "i": column}


def test_index_sets_are_the_operators_entries_at_every_small_size():
    scatter, recipe, transpose = ix.scatter_set(), ix.zero_insertion_set(), ix.transpose_set()
    checked = 0
    for tg in _small_transposed():
        t = transposed_convolution(tg).matrix
        # C_flip P Z built from the operators (theorem transposed-as-convolution's sides)
        forward = None
        if tg.output_padding[0] < tg.stride[0]:
            forward = correlation(Geometry(tg.output_shape, tg.kernel_shape, tg.stride,
                                           tg.padding, tg.dilation), kernel_name="w").matrix.T
        for row, column in itertools.product(range(t.rows), range(t.cols)):
            values = _values(tg, row, column)
            taps = _entry_taps(t, row, column)
            assert scatter.taps(values) == taps, (tg, row, column)
            assert recipe.taps(values) == taps, (tg, row, column)
            if forward is not None:
                assert transpose.taps(values) == _entry_taps(forward, row, column)
            checked += 1
    assert checked > 500


def test_recipe_operator_side_matches_at_a_sample():
    # the theorem's own C_flip P Z agrees with T where the index sets say so
    outcome = transposed_as_convolution((3,), (3,), 2, 1, 1, 1, 1, 1, 1, "exact", "between")
    assert outcome.holds and "parametric" in outcome.evidence


def test_wrong_pad_before_fails_a_check():
    wrong = ix.zero_insertion_set()
    sides = list(wrong.sides)
    sides[1] = (ix.PADDED, ix.INSERTED + ix.PAD_BEFORE + 1)  # one pad too many before
    wrong = replace(wrong, sides=tuple(sides))
    forward = {ix.FLIPPED: k - 1 - ix.TAP, ix.PADDED: ix.ROW + d * (k - 1 - ix.TAP),
               ix.INSERTED: s * ix.COLUMN}
    proof = ix.check_bijection(ix.scatter_set(), wrong, forward, {ix.TAP: k - 1 - ix.FLIPPED})
    assert not proof.holds and not proof.checks[0].passed


def test_kernel_not_flipped_fails_the_terms_check():
    unflipped = replace(ix.zero_insertion_set(), tap=ix.FLIPPED)
    forward = {ix.FLIPPED: k - 1 - ix.TAP, ix.PADDED: ix.ROW + d * (k - 1 - ix.TAP),
               ix.INSERTED: s * ix.COLUMN}
    proof = ix.check_bijection(ix.scatter_set(), unflipped, forward,
                               {ix.TAP: k - 1 - ix.FLIPPED})
    assert [c.name for c in proof.checks if not c.passed] == ["terms"]
    # nor does the identity map help: m' = m breaks the equations
    identity = {ix.FLIPPED: ix.TAP, ix.PADDED: ix.ROW + d * ix.TAP, ix.INSERTED: s * ix.COLUMN}
    assert not ix.check_bijection(ix.scatter_set(), unflipped, identity,
                                  {ix.TAP: ix.FLIPPED}).holds


def test_transpose_needs_the_forward_size_it_inverts():
    # with output_padding >= s (PyTorch allows it when d > s) C has another number of rows
    proof = ix.check_bijection(ix.scatter_set(), ix.transpose_set(), {ix.TAP: ix.TAP},
                               {ix.TAP: ix.TAP}, ix.GEOMETRY + ix.ENTRY)
    assert [c.name for c in proof.checks if not c.passed] == ["shape"]


def test_a_map_that_is_not_inverse_fails():
    forward = {ix.FLIPPED: k - 1 - ix.TAP, ix.PADDED: ix.ROW + d * (k - 1 - ix.TAP),
               ix.INSERTED: s * ix.COLUMN}
    proof = ix.check_bijection(ix.scatter_set(), ix.zero_insertion_set(), forward,
                               {ix.TAP: ix.FLIPPED})
    assert not proof.holds


def test_product_closure_is_sound_on_a_box():
    a, b = sympy.symbols("n k")
    closure = ix.product_closure([a - 1, b])
    for x, y in itertools.product(range(1, 6), range(0, 6)):
        assert all(h.subs({a: x, b: y}) >= 0 for h in closure)


@pytest.mark.parametrize("name, params", [
    ("transpose", {}),
    ("transposed-as-convolution", {}),
    ("adjoint", {}),
    ("dilation", {}),
    ("stride-as-subsampling", {}),
    ("im2col", {}),
    ("gradients", {}),
    ("transpose", {"input_shape": (5,), "kernel_shape": (3,), "stride": 2, "padding": 1,
                   "in_channels": 2, "out_channels": 4, "groups": 2}),
])
def test_theorems_list_parametric_with_their_scope(name, params):
    proof = prove(name, **params)
    assert proof.verdict == "proved" and proof.evidence[0] == "parametric"
    titles = [step.title for step in proof.steps]
    assert "For all sizes: what is proved" in titles and "Check: inverse" in titles
    assert "Several axes and channels" in titles


def test_other_recipes_get_no_proof_for_all_sizes():
    # the notes' pad rule is false; zeros after every sample (with the exact pads, which
    # absorb the trailing zeros) holds, but the bijection proved is the one between samples
    assert prove("transposed-as-convolution", pad_rule="notes").evidence == []
    assert "parametric" not in prove("transposed-as-convolution", insertion="after").evidence


@pytest.mark.parametrize("build", [ix.strided_equals_subsampled,
                                   ix.dilated_equals_zero_inserted_kernel])
def test_forward_bijection_proofs_pass(build):
    assert build().holds, [c for c in build().checks if not c.passed]


def test_forward_index_sets_are_the_operators_entries():
    from symconv.operators import decimation

    sets = (ix.correlation_set(), ix.subsampled_set(), ix.zero_inserted_kernel_set())
    checked = 0
    for nn, kk, ss, pb, pa, dd in itertools.product(range(1, 5), range(1, 4), range(1, 4),
                                                   range(2), range(2), range(1, 3)):
        try:
            g = Geometry((nn,), (kk,), ss, ((pb, pa),), dd)
        except ValueError:
            continue
        c = correlation(g, kernel_name="w").matrix
        c1 = correlation(Geometry((nn,), (kk,), 1, ((pb, pa),), dd), kernel_name="w").matrix
        subsampled = decimation((c1.rows,), ss).matrix * c1
        assert subsampled.shape == c.shape
        for row, column in itertools.product(range(c.rows), range(c.cols)):
            values = {"n": nn, "k": kk, "s": ss, "p_before": pb, "p_after": pa, "d": dd,
                      "i": row, "j": column}
            taps = _entry_taps(c, row, column)
            assert sets[0].taps(values) == taps == _entry_taps(subsampled, row, column)
            assert sets[1].taps(values) == taps and sets[2].taps(values) == taps
            checked += 1
    assert checked > 500


def test_wrong_subsampling_and_insertion_fail_a_check():
    shifted = ix.subsampled_set()
    shifted = replace(shifted, sides=((ix.SAMPLE, s * ix.COLUMN + 1), shifted.sides[1]))
    assert not ix.check_bijection(ix.correlation_set(), shifted,
                                  {ix.SAMPLE: s * ix.COLUMN, ix.TAP: ix.TAP}, {ix.TAP: ix.TAP},
                                  ix.FORWARD_GEOMETRY + ix.FORWARD_ENTRY).holds
    spaced = ix.zero_inserted_kernel_set()
    spaced = replace(spaced, sides=((ix.ZI_TAP, (d + 1) * ix.TAP), spaced.sides[1]))
    proof = ix.check_bijection(ix.correlation_set(), spaced,
                               {ix.ZI_TAP: d * ix.TAP, ix.TAP: ix.TAP}, {ix.TAP: ix.TAP},
                               ix.FORWARD_GEOMETRY + ix.FORWARD_ENTRY)
    assert not proof.holds


def test_patch_set_is_the_patch_matrix_at_every_small_size():
    from symconv.operators import indexed_symbols, input_symbols
    from symconv.theorems.decomposition import patch_matrix

    checked = 0
    for nn, kk, ss, pb, pa, dd in itertools.product(range(1, 5), range(1, 4), range(1, 3),
                                                   range(2), range(2), range(1, 3)):
        try:
            g = Geometry((nn,), (kk,), ss, ((pb, pa),), dd)
        except ValueError:
            continue
        x = input_symbols((1, nn), "x")
        kernel = indexed_symbols((kk,), "w")
        rows = patch_matrix(x, g) * sympy.Matrix(list(kernel))
        for row, column in itertools.product(range(rows.rows), range(nn)):
            expanded = sympy.expand(rows[row])
            taps = sorted(m for m in range(kk)
                          if expanded.coeff(kernel[m]).coeff(x[0, column]) != 0)
            values = {"n": nn, "k": kk, "s": ss, "p_before": pb, "p_after": pa, "d": dd,
                      "i": row, "j": column}
            assert ix.patch_set().taps(values) == taps, (g, row, column)
            checked += 1
    assert checked > 300
