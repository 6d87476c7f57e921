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


# ---------------------------------------------------------------------------
# The second judge: every check of a bijection is also an SMT query (symconv.certify)
# ---------------------------------------------------------------------------

_BUILDERS = [ix.transposed_equals_transpose, ix.transposed_equals_zero_insertion,
             ix.strided_equals_subsampled, ix.dilated_equals_zero_inserted_kernel,
             ix.correlation_equals_patches]


@pytest.mark.parametrize("build", _BUILDERS, ids=lambda b: b.__name__)
def test_every_check_is_certified_by_both_judges(build):
    proof = build()
    assert proof.certified
    assert all(check.certificates for check in proof.checks)
    assert [what for what, _ in proof.certificates()] == [
        "into", "back", "inverse", "inverse", "terms", "shape", "shape"]
    assert all(c.status == "unsat" and "(check-sat)" in c.smtlib
               for _, c in proof.certificates())


def test_every_parametric_theorem_of_the_catalogue_has_smt_among_its_judges():
    from symconv.cli import judges
    from symconv.theorems import theorems

    proofs = {entry["name"]: prove(entry["name"], exhaustive=False) for entry in theorems()}
    parametric = {name: p for name, p in proofs.items() if "parametric" in p.evidence}
    assert len(parametric) >= 18
    assert [name for name, p in parametric.items() if "SMT" not in judges(p)] == []
    for name in ("dilation", "im2col", "transposed-as-convolution"):
        assert judges(parametric[name]) == ["index-set checks", "SMT"]
        smt = next(step.text for step in parametric[name].steps
                   if step.title == "Second judge: SMT")
        assert all(f"{check} (on " in smt for check in ("into", "back", "inverse", "terms",
                                                        "shape"))


@pytest.fixture
def fresh_proofs():
    """Build the bijection proofs again (they are cached per process), before and after.
    Request it before ``monkeypatch``: it is then torn down after the patch is undone."""
    from symconv.prover import judge as certify

    def clear():
        certify._certify.cache_clear()
        for build in _BUILDERS:
            build.cache_clear()
    clear()
    yield
    clear()


def _answer_for(monkeypatch, claim: str, status: str, model=None) -> None:
    """The solver answers ``status`` to the query of ``claim``; every other as z3 does."""
    from symconv.prover import judge as certify

    real = certify._certify

    def answering(*args):
        found = real(*args)
        if found.claim != claim:
            return found
        return replace(found, status=status, model=model,
                       reason="z3: timeout (planted)" if status == "unknown" else "")
    monkeypatch.setattr(certify, "_certify", answering)


def test_an_unknown_smt_answer_drops_parametric(fresh_proofs, monkeypatch):
    into = ix.dilated_equals_zero_inserted_kernel().checks[0].certificates[0]
    ix.dilated_equals_zero_inserted_kernel.cache_clear()
    _answer_for(monkeypatch, into.claim, "unknown")
    proof = ix.dilated_equals_zero_inserted_kernel()
    assert proof.holds and not proof.certified  # the first judge alone
    steps, ok = ix.theorem_steps("dilation")
    assert not ok and "check into" in steps[0].text and "timeout (planted)" in steps[0].text
    assert "parametric" not in prove("dilation", exhaustive=False).evidence


def test_a_disagreement_on_a_bijection_check_is_an_internal_error(fresh_proofs, monkeypatch,
                                                                  capsys):
    from symconv.certify import CertificateDisagreement
    from symconv.cli import main

    terms = ix.correlation_equals_patches().checks[3].certificates[0]
    ix.correlation_equals_patches.cache_clear()
    _answer_for(monkeypatch, terms.claim, "sat", {"n": 1})
    with pytest.raises(CertificateDisagreement, match="check 'terms'.*please report this bug"):
        ix.correlation_equals_patches()
    assert main(["prove", "im2col", "--json"]) == 3
    assert "internal error: CertificateDisagreement" in capsys.readouterr().err


def _counterexample(certificate, index_set, goals) -> bool:
    """The solver's model is a point of ``index_set`` where a goal ``>= 0`` fails."""
    values = {sym: certificate.model[sym.name] for sym in
              set().union(*(e.free_symbols for e in (*index_set.bounds, *index_set.equations,
                                                     *goals)))}
    on_set = (all(b.xreplace(values) >= 0 for b in index_set.bounds)
              and all(e.xreplace(values) == 0 for e in index_set.equations))
    return on_set and any(g.xreplace(values) < 0 for g in goals)


def test_a_bound_off_by_one_fails_both_judges():
    # the zero-inserted kernel one tap too short: u <= d(k-1) - 1 loses the last tap
    short = ix.zero_inserted_kernel_set()
    short = replace(short, bounds=(ix.ZI_TAP, d * (k - 1) - 1 - ix.ZI_TAP, *short.bounds[2:]))
    proof = ix.check_bijection(ix.correlation_set(), short,
                               {ix.ZI_TAP: d * ix.TAP, ix.TAP: ix.TAP}, {ix.TAP: ix.TAP},
                               ix.FORWARD_GEOMETRY + ix.FORWARD_ENTRY)
    into = proof.checks[0]
    assert not into.passed and into.certificates[0].status == "sat"
    assert _counterexample(into.certificates[0], ix.correlation_set(),
                           (d * (k - 1) - 1 - d * ix.TAP,))
    assert [c.name for c in proof.checks if not c.passed] == ["into"]
    assert [c.name for c in proof.checks if not c.certified] == ["into"]


def test_wrong_recipes_fail_the_smt_judge_too():
    wrong = ix.zero_insertion_set()
    wrong = replace(wrong, sides=(wrong.sides[0], (ix.PADDED, ix.INSERTED + ix.PAD_BEFORE + 1),
                                  wrong.sides[2]))
    forward = {ix.FLIPPED: k - 1 - ix.TAP, ix.PADDED: ix.ROW + d * (k - 1 - ix.TAP),
               ix.INSERTED: s * ix.COLUMN}
    proof = ix.check_bijection(ix.scatter_set(), wrong, forward, {ix.TAP: k - 1 - ix.FLIPPED})
    assert proof.checks[0].certificates[0].status == "sat" and not proof.certified
    unflipped = ix.check_bijection(ix.scatter_set(), replace(ix.zero_insertion_set(),
                                                             tap=ix.FLIPPED),
                                   forward, {ix.TAP: k - 1 - ix.FLIPPED})
    assert [c.name for c in unflipped.checks if not c.certified] == ["terms"]
    assert unflipped.checks[3].certificates[0].status == "sat"


def test_without_z3_no_bijection_is_proved_for_all_sizes(fresh_proofs, monkeypatch):
    """Every query answers unknown; the size claims' lemma chains then do not check either
    (they need both judges too), so the shape check fails and the theorem says so."""
    import sys

    monkeypatch.setitem(sys.modules, "z3", None)  # `import z3` raises ImportError
    proof = ix.dilated_equals_zero_inserted_kernel()
    assert not proof.certified
    assert all("z3-solver is not installed" in c.reason for _, c in proof.certificates())
    steps, ok = ix.theorem_steps("dilation")
    assert not ok and "check shape" in steps[0].text
    assert "parametric" not in prove("dilation", exhaustive=False).evidence
