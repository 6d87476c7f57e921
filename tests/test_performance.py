"""The fast (index-form) proofs decide exactly what the SymPy comparison decides.

No timings here (they live in benchmarks/): these tests check that the coefficient-map
comparison agrees with SymPy's expansion in both directions, that mutations of the
operator builder still turn the large-size proofs red, that symbolic work beyond the
size limit is refused up front, and that the progress bar stays off when stderr is
not a terminal.
"""

import dataclasses
import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symconv as sc
from symconv import limits, progress
from symconv.errors import SizeLimitError
from symconv.operators import convolutions as ops
from symconv.sparse import (
    BlockMap,
    coefficient_map,
    equal_unit_maps,
    expand_blocks,
    first_block_difference,
    first_map_difference,
    symbol_ids,
    tap_symbols,
)
from symconv.strategies import channel_configs, geometries
from symconv.theorems import structure
from symconv.theorems.engine import decide, first_difference, get

LAYERS = geometries(max_size=6, max_kernel=3, padding_kinds=("int",))


def transposed_pair(g, channels):
    c_in, c_out, groups = channels
    tg = structure.matching_transposed(g, tuple(b for b, _ in g.pads))
    c = sc.correlation(g, c_in, c_out, groups)
    t = sc.transposed_convolution(tg, in_channels=c_out, out_channels=c_in, groups=groups,
                                  kernel_name="k")
    return c, t


def fast_equal(lhs, rhs_transposed):
    """T = Cᵀ by coefficient maps over shared symbol ids (the fast comparison)."""
    ids_l, ids_r = symbol_ids(lhs.kernel_flat, rhs_transposed.kernel_flat)
    a = coefficient_map(lhs.rows, lhs.cols, tap_symbols(lhs.taps, ids_l), lhs.shape)
    b = coefficient_map(rhs_transposed.cols, rhs_transposed.rows,
                        tap_symbols(rhs_transposed.taps, ids_r), rhs_transposed.T.shape)
    return a.shape == b.shape and first_map_difference(a, b) is None


def unit_equal(lhs, rhs_transposed):
    """The shortcut of the one-channel comparison: equal sorted keys, every coefficient 1
    (None: not decided by it)."""
    ids_l, ids_r = symbol_ids(lhs.kernel_flat, rhs_transposed.kernel_flat)
    return equal_unit_maps((lhs.rows, lhs.cols, tap_symbols(lhs.taps, ids_l)),
                           (rhs_transposed.cols, rhs_transposed.rows,
                            tap_symbols(rhs_transposed.taps, ids_r)), lhs.shape)


def sympy_equal(lhs, rhs_transposed):
    return first_difference(lhs.matrix, rhs_transposed.matrix.T) is None


def mutate(op, how, index):
    """One planted change of the index form: a tap, a row, or an extra entry."""
    rows, cols, taps = op.rows.copy(), op.cols.copy(), op.taps.copy()
    if len(rows) == 0:  # every window lies in the padding: plant one entry
        return dataclasses.replace(op, rows=np.zeros(1, np.int64), cols=np.zeros(1, np.int64),
                                   taps=np.zeros(1, np.int64))
    e = index % len(rows)
    if how == "tap":
        taps[e] = (taps[e] + 1) % len(op.kernel_flat)
    elif how == "row":
        rows[e] = (rows[e] + 1) % op.shape[0]
    else:
        rows, cols, taps = (np.append(a, a[e]) for a in (rows, cols, taps))
    return dataclasses.replace(op, rows=rows, cols=cols, taps=taps)


@given(LAYERS, channel_configs(max_groups=2, max_per_group=2))
def test_fast_comparison_agrees_with_sympy_on_true_statements(g, channels):
    c, t = transposed_pair(g, channels)
    assert fast_equal(t, c) and sympy_equal(t, c)
    assert structure.compare_index_forms(g, *channels).holds
    assert unit_equal(t, c) in (None, len(np.unique(np.stack([t.rows, t.cols, t.taps]), axis=1)
                                          .T))


@given(LAYERS, channel_configs(max_groups=2, max_per_group=2),
       st.sampled_from(["tap", "row", "extra"]), st.integers(0, 10**6))
def test_fast_comparison_agrees_with_sympy_on_planted_differences(g, channels, how, index):
    c, t = transposed_pair(g, channels)
    bad = mutate(t, how, index)
    assert fast_equal(bad, c) == sympy_equal(bad, c)
    if unit_equal(bad, c) is not None:  # the shortcut says equal only when SymPy does
        assert sympy_equal(bad, c)
    if how == "extra" or len(t.rows) == 0 or (how == "tap" and len(t.kernel_flat) > 1):
        assert not fast_equal(bad, c)


@given(LAYERS, channel_configs(max_groups=2, max_per_group=2), st.integers(0, 10**6))
def test_block_comparison_agrees_with_the_expanded_operators(g, channels, index):
    """A channel map changed in one block: the block comparison and SymPy both see it."""
    c_in, c_out, groups = channels
    spatial = sc.correlation(g)
    rows, cols, blocks = ops.channel_map(c_in, c_out, groups)
    shape = (c_out, c_in)
    good = BlockMap(coefficient_map(rows, cols, blocks, shape),
                    coefficient_map(spatial.rows, spatial.cols, spatial.taps, spatial.shape),
                    int(np.prod(g.kernel_shape)))
    full = sc.correlation(g, c_in, c_out, groups)
    assert first_map_difference(
        expand_blocks(good), coefficient_map(full.rows, full.cols, full.taps, full.shape)) is None
    blocks = blocks.copy()
    e = index % len(blocks)
    blocks[e] = (blocks[e] + 1) % (c_out * (c_in // groups))
    bad = BlockMap(coefficient_map(rows, cols, blocks, shape), good.spatial, good.taps_per_block)
    found = first_block_difference(bad, good)
    expanded = first_map_difference(expand_blocks(bad), expand_blocks(good))
    assert (found is None) == (expanded is None)
    if found is not None:  # the reported entry really differs
        key, a, b = found
        assert a != b
        assert key in {tuple(k) for k in expand_blocks(bad).keys.tolist()} | {
            tuple(k) for k in expand_blocks(good).keys.tolist()}


def _window_triples_off_by_one(out, k, n, s, p, d):
    i, m = np.meshgrid(np.arange(out), np.arange(k), indexing="ij")
    j = s * i - p + d * m + 1
    keep = (j >= 0) & (j < n)
    return np.stack([i[keep], m[keep], j[keep]], axis=1)


def _channel_blocks_transposed_layout_ignored(*args, transposed=False):
    return ORIGINAL_BLOCKS(*args, transposed=False)


ORIGINAL_BLOCKS = ops.channel_blocks
FAST_MUTATIONS = [
    ("window_triples", _window_triples_off_by_one, {"input_shape": (9, 9)}),
    ("channel_blocks", _channel_blocks_transposed_layout_ignored,
     {"input_shape": (9, 9), "in_channels": 2, "out_channels": 3}),
]


@pytest.mark.parametrize("name", ["transpose", "adjoint"])
@pytest.mark.parametrize(("target", "mutant", "params"), FAST_MUTATIONS,
                         ids=[m.__name__ for _, m, _ in FAST_MUTATIONS])
def test_mutations_turn_the_index_form_proofs_red(monkeypatch, name, target, mutant, params):
    monkeypatch.setattr(structure, "SYMPY_ENTRIES", 0)
    point = {"kernel_shape": (3, 3), "stride": 2, "padding": 1, **params}
    assert sc.prove(name, **point).verdict == "proved"
    monkeypatch.setattr(ops, target, mutant)
    proof = sc.prove(name, **point)
    assert proof.verdict == "refuted" and proof.counterexample


@pytest.mark.parametrize("name", ["transpose", "adjoint"])
def test_one_changed_tap_turns_the_one_channel_index_form_proof_red(monkeypatch, name):
    """Same number of entries, one key moved: the exact comparison (not only the oracle on
    the twin) finds the entry."""
    monkeypatch.setattr(structure, "SYMPY_ENTRIES", 0)
    real = structure.transposed_convolution

    def one_tap_moved(*args, **kwargs):
        return mutate(real(*args, **kwargs), "tap", 7)

    monkeypatch.setattr(structure, "transposed_convolution", one_tap_moved)
    proof = sc.prove(name, input_shape=(9, 9), kernel_shape=(3, 3), stride=2, padding=1)
    assert proof.verdict == "refuted"
    assert {"position", "monomial"} & set(proof.counterexample)


def test_large_proof_says_which_comparison_it_used_and_prints_no_huge_matrix():
    proof = sc.prove("transpose", input_shape=(64, 64), kernel_shape=(7, 7), stride=2,
                     padding=3, in_channels=3, out_channels=8)
    titles = [s.title for s in proof.steps]
    assert proof.verdict == "proved"
    assert proof.evidence == ["parametric", "symbolic", "numeric"]
    assert {"Index form", "Channel blocks", "Numeric cross-check"} <= set(titles)
    assert "twin layer 6x6" in proof.text() and len(proof.text()) < 20_000


def test_adjoint_refutation_names_a_monomial(monkeypatch):
    monkeypatch.setattr(structure, "SYMPY_ENTRIES", 0)
    monkeypatch.setattr(ops, "channel_blocks", _channel_blocks_transposed_layout_ignored)
    proof = sc.prove("adjoint", input_shape=(9, 9), kernel_shape=(3, 3), stride=2, padding=1,
                     in_channels=2, out_channels=3)
    assert proof.verdict == "refuted"
    monomial = proof.counterexample["monomial"]
    assert monomial.count("*") == 2 and "x_{" in monomial and "y_{" in monomial


# ---------------------------------------------------------------------------
# Size limit
# ---------------------------------------------------------------------------

def test_matrix_of_a_224_layer_is_refused_up_front():
    op = sc.correlation(sc.Geometry((224, 224), (3, 3), stride=2, padding=1))
    with pytest.raises(SizeLimitError, match=r"112225 symbolic entries .*MB.*"
                       r"SYMCONV_MAX_SYMBOLIC_ENTRIES=112225"):
        _ = op.matrix


def test_size_limit_follows_the_environment(monkeypatch):
    op = sc.correlation(sc.Geometry((5, 5), (3, 3)))
    monkeypatch.setenv(limits.ENV_VAR, "10")
    with pytest.raises(SizeLimitError, match="more than the limit of 10"):
        _ = op.matrix
    monkeypatch.setenv(limits.ENV_VAR, "1000")
    assert op.matrix.shape == (9, 25)


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_bad_size_limit_is_named(monkeypatch, value):
    monkeypatch.setenv(limits.ENV_VAR, value)
    with pytest.raises(SizeLimitError, match=f"{limits.ENV_VAR} must be a positive integer"):
        limits.max_symbolic_entries()


# ---------------------------------------------------------------------------
# Progress bar
# ---------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_is_off_when_stderr_is_not_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    assert decide(get("transpose")).verdict == "proved"
    assert capsys.readouterr().err == ""


def test_progress_bar_draws_on_a_terminal_unless_disabled(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert list(progress.progress(range(3), "domain")) == [0, 1, 2]
    assert "domain: 100%" in terminal.getvalue() and "3/3" in terminal.getvalue()
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    with progress.enabled(False):
        list(progress.progress(range(3), "domain"))
    monkeypatch.setenv("SYMCONV_PROGRESS", "0")
    list(progress.progress(range(3), "domain"))
    assert quiet.getvalue() == ""


def test_json_output_turns_the_progress_bar_off(monkeypatch, capsys):
    from symconv.cli import main

    seen = []
    monkeypatch.setattr(progress, "active", lambda: seen.append(progress._ENABLED.get()))
    assert main(["prove", "flip", "--json"]) == 0
    assert main(["prove", "flip"]) == 0
    capsys.readouterr()
    assert seen == [False, True]
