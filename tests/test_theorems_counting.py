"""Counting theorems: verdicts, explicit cases, planted false variants, derivation scripts."""

from pathlib import Path

import numpy as np
import pytest

from symconv.geometry import Geometry, PoolGeometry
from symconv.operators import correlation, max_pool
from symconv.theorems import (
    counting_costs,
    counting_fields,
    counting_lengths,
    counting_output_size,
    counting_pooling,
    counting_seeds,
    prove,
)

ROOT = Path(__file__).resolve().parents[1]


def steps_text(proof) -> str:
    """The steps' prose, unwrapped (``Proof.text`` wraps lines)."""
    return " ".join(step.text for step in proof.steps)

COUNTING = ["output-size", "same-padding", "full-and-valid-lengths", "transposed-output-size",
            "pool-output-size", "parameter-count", "mac-count", "fc-vs-conv-cost",
            "seed-same-pad-rule", "notes-size-claims"]


@pytest.mark.parametrize("name", COUNTING)
def test_defaults_proved_symbolically_and_exhaustively(name):
    p = prove(name)
    assert p.verdict == "proved"
    assert [e for e in p.evidence if e != "parametric"][:2] == ["symbolic", "exhaustive"]
    assert "points)" in p.domain
    # proofs for all sizes exactly where symconv.parametric has one for the statement
    assert ("parametric" in p.evidence) == (name in FOR_ALL_SIZES)


FOR_ALL_SIZES = set(COUNTING)  # every counting theorem has a proof for all sizes


@pytest.mark.parametrize("name, params, verdict", [
    ("parameter-count", {"claim": "unconditional", "padding": 0}, "refuted"),
    ("fc-vs-conv-cost", {"params_ratio": "246016", "macs_ratio": "256"}, "proved"),
    ("notes-size-claims", {"claims": ("pool-6-3-2", "pool-positions")}, "proved"),
])
def test_parametric_only_for_the_claims_it_proves(name, params, verdict):
    # the proof for all sizes is about the default claim, never a variant's
    p = prove(name, **params)
    assert p.verdict == verdict and "parametric" not in p.evidence


def test_mac_and_parameter_counts_scope_their_proofs_for_all_sizes():
    for name, phrase in (("parameter-count", "without padding"),
                         ("mac-count", "without padding")):
        p = prove(name)
        scope = next(s for s in p.steps if s.title == "For all sizes: what is proved")
        assert "no padding" in scope.text
        notes = " ".join(s.text for s in p.steps if s.title == "How the claims prove the theorem")
        assert phrase in notes and "exhaustive sweep" in notes
    assert prove("mac-count", claim="naive").evidence == []


def test_planted_formula_never_gets_parametric_evidence():
    p = prove("output-size", formula="floor((n + p_before + p_after - d*(k - 1))/s) + 1")
    assert p.verdict == "refuted" and p.evidence == []
    p = prove("pool-output-size", drop_rule=False)
    assert p.verdict == "refuted" and "parametric" not in p.evidence
    p = prove("pool-output-size")  # the 'minus one' form itself, via the drop-indicator lemma
    assert "parametric" in p.evidence and "Lemma drop-indicator" in [s.title for s in p.steps]


def test_receptive_field_proved_for_all_sizes_and_on_integer_matrices():
    p = prove("receptive-field")
    assert (p.verdict, p.evidence) == ("proved", ["parametric", "exhaustive"])
    titles = [s.title for s in p.steps]
    assert "For all sizes: what is proved" in titles and "Lemma max-left" in titles
    for fact in ("nonnegative-product-support", "touching-intervals", "last-term-split"):
        assert f"fact {fact}" in steps_text(p) or f"Fact {fact}" in steps_text(p)
    assert "r = 12, S = 2, P = 1" in steps_text(p)
    assert "[3, 4, 12]: strictly increasing" in steps_text(p)


# ---------------------------------------------------------------------------
# explicit parameter cases
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"input_shape": (13,), "kernel_shape": (6,), "stride": 5, "padding": "valid"},
    {"input_shape": (13,), "kernel_shape": (6,), "stride": 5, "padding": "same"},
    {"input_shape": (6,), "kernel_shape": (3,), "stride": 2, "padding": "same_lower"},
    {"input_shape": (4,), "kernel_shape": (3,), "stride": 1, "padding": "full", "dilation": 2},
    {"input_shape": (5, 7), "kernel_shape": (3, 2), "stride": 2,
     "padding": ((1, 0), (2, 1)), "dilation": (1, 2)},
    {"input_shape": (5,), "kernel_shape": (3,), "stride": 2, "padding": 1,
     "formula": "floor((n + 2*p - d*(k - 1) - 1)/s) + 1"},
])
def test_output_size_cases(params):
    assert prove("output-size", **params).verdict == "proved"


def test_output_size_reads_rows_of_c():
    p = prove("output-size", input_shape=(13,), kernel_shape=(6,), stride=5, padding="same")
    assert "C is 3 x 13" in steps_text(p)


def test_same_padding_seed_example_and_lower():
    p = prove("same-padding")
    assert "claimed split (1, 2), pads of the operator (1, 2)" in steps_text(p)
    q = prove("same-padding", padding="same_lower", odd_pixel="before")
    assert q.verdict == "proved"
    assert "claimed split (2, 1)" in steps_text(q)


def test_same_padding_matches_torch_at_stride_one():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F  # noqa: N812

    x = np.arange(7.0).reshape(1, 7)
    w = np.array([[[1.0, -2.0, 3.0, 5.0]]])
    ours = correlation(Geometry((7,), (4,), 1, "same")).numeric(w) @ x.reshape(-1)
    theirs = F.conv1d(torch.tensor(x[None], dtype=torch.float32),
                      torch.tensor(w, dtype=torch.float32), padding="same")
    assert np.array_equal(ours, theirs.numpy().reshape(-1))


def test_full_and_valid_dilated():
    p = prove("full-and-valid-lengths", input_shape=(7,), kernel_shape=(3,), dilation=3)
    assert p.verdict == "proved"
    assert "Full: C has 13 rows" in steps_text(p) and "Valid: C has 1 rows" in steps_text(p)


def test_transposed_lists_the_preimages():
    p = prove("transposed-output-size", input_shape=(3,), kernel_shape=(3,), stride=3,
              padding=1, output_padding=2)
    assert p.verdict == "proved"
    assert "[7, 8, 9] = N_0 + op for op in [0, 1, 2] (N_0 = 7)" in steps_text(p)


def test_transposed_output_padding_beyond_stride_is_not_a_preimage():
    p = prove("transposed-output-size", input_shape=(3,), kernel_shape=(3,), stride=1,
              padding=0, output_padding=1, dilation=2)
    assert p.verdict == "proved"
    assert "N is not a preimage" in p.text()


def test_transposed_two_axes():
    p = prove("transposed-output-size", input_shape=(2, 3), kernel_shape=(3, 2), stride=(2, 1),
              padding=(1, 0), output_padding=(1, 0))
    assert p.verdict == "proved"


@pytest.mark.parametrize("params", [
    {"input_shape": (6,), "kernel_shape": (3,), "stride": 2, "ceil_mode": False},
    {"input_shape": (4,), "kernel_shape": (2,), "stride": 2, "padding": 1},
    {"input_shape": (5, 6), "kernel_shape": (3, 2), "stride": (2, 3), "padding": (1, 0),
     "dilation": 1},
    {"input_shape": (9,), "kernel_shape": (3,), "stride": 2, "dilation": 3},
])
def test_pool_output_size_cases(params):
    assert prove("pool-output-size", **params).verdict == "proved"


def test_pool_formula_matches_max_pool_windows_including_the_drop():
    g = PoolGeometry((4,), (2,), stride=2, padding=1, ceil_mode=True)
    assert len(max_pool(g).windows) == counting_pooling.pool_formula(4, 2, 2, 1, 1, True) == 3
    assert counting_pooling.pool_formula(2, 1, 2, 0, 1, True, drop_rule=False) == 2
    assert counting_pooling.pool_formula(2, 1, 2, 0, 1, True) == 1


def test_receptive_field_other_chain_and_helpers():
    assert counting_fields.closed_form_field(((3, 1, 0, 1), (3, 1, 0, 1))) == (5, 1, 0)
    assert counting_fields.closed_form_field(((2, 2, 0, 1), (3, 2, 1, 1))) == (6, 4, 2)
    p = prove("receptive-field", input_shape=(30,), layers=((2, 2, 0, 1), (3, 2, 1, 1),
                                                            (1, 1, 0, 1)))
    assert p.verdict == "proved"
    assert "[2, 6, 6]: not strictly increasing" in steps_text(p)


@pytest.mark.parametrize("params", [
    {"in_channels": 4, "out_channels": 6, "groups": 2},
    {"in_channels": 3, "out_channels": 3, "groups": 3, "padding": 1, "stride": 2},
    {"input_shape": (1,), "kernel_shape": (3,), "padding": 1, "in_channels": 2,
     "out_channels": 2, "groups": 1},
])
def test_parameter_count_cases(params):
    p = prove("parameter-count", **params)
    assert p.verdict == "proved"


def test_parameter_count_padding_only_taps_are_unused():
    p = prove("parameter-count", input_shape=(1,), kernel_shape=(3,), padding=1,
              in_channels=1, out_channels=1, groups=1)
    assert "Taps reaching the input per axis: [1] of [3]" in steps_text(p)
    assert "holds 1 distinct kernel symbols" in steps_text(p)


@pytest.mark.parametrize("params", [
    {},
    {"groups": 1, "in_channels": 4, "out_channels": 2, "padding": "same", "stride": 2},
    {"input_shape": (6,), "kernel_shape": (3,), "padding": "full", "dilation": 2,
     "in_channels": 1, "out_channels": 1},
])
def test_mac_count_cases(params):
    assert prove("mac-count", **params).verdict == "proved"


def test_mac_count_numbers():
    text = steps_text(prove("mac-count"))
    assert "= 1350$" in text and r"on padding: $336 = \text{naive} - \mathrm{nnz}$" in text
    assert "network.shape reports macs 1350, macs_nonzero 1014" in text


def test_fc_vs_conv_numbers():
    counts = counting_costs.fc_and_conv_counts(Geometry((32, 32), (2, 2)))
    assert counts["fc_params"] == counts["fc_macs"] == 984064
    assert (counts["conv_params"], counts["conv_macs"]) == (4, 3844)
    text = steps_text(prove("fc-vs-conv-cost"))
    assert "984064/4 = 246016" in text and "984064/3844 = 256" in text


def test_fc_vs_conv_strided():
    assert prove("fc-vs-conv-cost", input_shape=(8, 6), kernel_shape=(3, 2),
                 stride=2).verdict == "proved"


def test_seed_rule_helpers():
    n, k, s = np.array([13, 10]), np.array([6, 3]), np.array([5, 5])
    assert counting_seeds.seed_rule_total("fixed", n, k, s).tolist() == [3, 0]
    assert counting_seeds.seed_rule_total("literal", n, k, s).tolist() == [3, 3]
    assert counting_output_size.least_total_pad(n, k, s, np.array([1, 1])).tolist() == [3, 0]


def test_notes_claims_subset():
    p = prove("notes-size-claims", claims=("valid-13-6-5", "mnist-28"))
    assert p.verdict == "proved"
    assert "[11, 12]" in steps_text(p) and "(50, 5, 5)" in steps_text(p)


# ---------------------------------------------------------------------------
# planted false variants: refuted with the smallest counterexample
# ---------------------------------------------------------------------------

def _layer(n, k, s, padding, d):
    return {"input_shape": (n,), "kernel_shape": (k,), "stride": s, "padding": padding,
            "dilation": d}


def test_output_size_without_dilation_refuted():
    p = prove("output-size", formula="floor((n + 2*p - k)/s) + 1")
    assert p.verdict == "refuted"
    assert p.counterexample == {**_layer(1, 2, 1, 1, 2),
                                "formula": 2, "rows of C": 1}


def test_output_size_off_by_one_refuted():
    # holds at the default point (5, 3, s=2, p=1) by luck; the sweep finds n = k = 1
    p = prove("output-size", formula="floor((n + p_before + p_after - d*(k - 1))/s) + 1")
    assert p.verdict == "refuted"
    assert p.counterexample == {**_layer(1, 1, 1, 0, 1), "formula": 2, "rows of C": 1}


def test_same_padding_odd_pixel_before_refuted():
    p = prove("same-padding", input_shape=(4,), kernel_shape=(3,), stride=1,
              odd_pixel="before")
    assert p.verdict == "refuted"
    assert p.counterexample["input_shape"] == (1,)
    assert p.counterexample["kernel_shape"] == (2,)
    assert p.counterexample["claimed pads"] == (1, 0)
    assert p.counterexample["same pads of C"] == (0, 1)


def test_full_without_dilation_refuted():
    p = prove("full-and-valid-lengths", full="n + k - 1")
    assert p.verdict == "refuted"
    assert (p.counterexample["input_shape"], p.counterexample["kernel_shape"],
            p.counterexample["dilation"]) == ((1,), (2,), 2)
    assert (p.counterexample["full formula"], p.counterexample["rows of C (full)"]) == (2, 3)


def test_transposed_off_by_one_refuted():
    p = prove("transposed-output-size", formula="(n - 1)*s - 2*p + d*(k - 1) + op")
    assert p.verdict == "refuted"
    assert (p.counterexample["formula"], p.counterexample["rows of T"]) == (5, 6)


def test_transposed_off_by_one_smallest_in_sweep():
    assert counting_lengths._transposed_sweep("(n - 1)*s - 2*p + d*(k - 1) + op")[0][
        "input_shape"] == (1,)


def test_pool_without_drop_rule_refuted():
    p = prove("pool-output-size", drop_rule=False)
    assert p.verdict == "refuted"
    assert p.counterexample == {"input_shape": (2,), "kernel_shape": (1,), "stride": 2,
                                "padding": 0, "dilation": 1, "ceil_mode": True,
                                "drop_rule": False, "formula": 2, "windows": 1}


def test_receptive_field_wrong_stride_product_refuted():
    p = prove("receptive-field", product_upto="including")
    assert "parametric" not in p.evidence
    assert p.verdict == "refuted"
    assert "closed form (1, 5)" in p.counterexample["fields"]
    # smallest chain: one 1-tap layer with stride 2 and padding 1 (P = 2 instead of 1)
    found = counting_fields._field_sweep("including")[0]
    assert found["layers"] == ((1, 2, 1, 1),)
    assert found["support"] == (1, 1) and found["closed form"] == (0, 0)


def test_parameter_count_unconditional_refuted():
    p = prove("parameter-count", claim="unconditional")
    assert p.verdict == "refuted"
    assert p.counterexample == {**_layer(1, 1, 2, ((1, 0),), 1), "in_channels": 1,
                                "out_channels": 1, "groups": 1, "claim": "unconditional",
                                "distinct symbols in C": 0, "claimed": 1}


def test_mac_count_naive_refuted():
    p = prove("mac-count", padding=0, claim="naive")
    assert p.verdict == "refuted"
    assert p.counterexample == {**_layer(1, 1, 1, ((0, 1),), 1), "in_channels": 1,
                                "out_channels": 1, "groups": 1, "claim": "naive",
                                "claimed MACs": 2, "nonzeros of C": 1, "naive count": 2}
    q = prove("mac-count", claim="naive")
    assert (q.counterexample["claimed MACs"], q.counterexample["nonzeros of C"]) == (1350, 1014)


def test_fc_vs_conv_wrong_ratio_refuted():
    p = prove("fc-vs-conv-cost", macs_ratio=246016)
    assert p.verdict == "refuted"
    assert p.counterexample["MACs ratio"] == "256"


@pytest.mark.parametrize("rule, smallest", [("literal", ((1,), (1,), 1)),
                                            ("seed", ((2,), (1,), 2))])
def test_seed_same_pad_rule_as_written_refuted(rule, smallest):
    p = prove("seed-same-pad-rule", rule=rule)
    assert p.verdict == "refuted"
    ce = p.counterexample
    assert (ce["input_shape"], ce["kernel_shape"], ce["stride"]) == smallest
    assert (ce["rule gives"], ce["least total pad (SAME)"]) == (1, 0)


def test_seed_rule_without_dilation_refuted_with_dilation():
    p = prove("seed-same-pad-rule", dilation=2)
    assert p.verdict == "refuted"
    assert (p.counterexample["rule gives"], p.counterexample["least total pad (SAME)"]) == (3, 8)
    assert prove("seed-same-pad-rule", rule="dilated", dilation=2).verdict == "proved"


def test_notes_claim_planted_wrong_number_refuted(monkeypatch):
    def wrong():
        mp = max_pool((6,), (3,), 2)
        return ("seed 001", "planted", 3, len(mp.windows), "windows", (), 0)

    monkeypatch.setitem(counting_seeds.NOTES_CLAIMS, "pool-6-3-2", wrong)
    p = prove("notes-size-claims", claims=("pool-6-3-2",))
    assert p.verdict == "refuted"
    assert p.counterexample["claimed"] == 3 and p.counterexample["operator"] == 2


def test_bad_claim_names_rejected():
    from symconv.errors import TheoremError

    with pytest.raises(TheoremError):
        prove("notes-size-claims", claims=("nope",))
    with pytest.raises(TheoremError):
        prove("seed-same-pad-rule", rule="nope")


# ---------------------------------------------------------------------------
# derivation scripts
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ["output_sizes_and_padding",
                                  "receptive_fields_and_parameter_sharing"])
def test_derivation_script_exits_zero(derivation_runs, stem):
    code, _, out, err = derivation_runs[stem]  # run once per suite (tests/conftest.py)
    assert code == 0, err[-2000:]
    assert "PROVED" in out and "REFUTED" in out


def test_full_lengths_check_the_pads_geometry_really_uses(monkeypatch):
    """'full' pads that forget the dilation are caught by the theorem, not only the oracle."""
    import symconv.geometry.convolution as geometry

    resolve = geometry.resolve_pads

    def undilated(padding, input_shape, kernel_shape, stride, dilation):
        if padding == "full":
            return tuple((k - 1, k - 1) for k in kernel_shape)
        return resolve(padding, input_shape, kernel_shape, stride, dilation)

    counting_lengths._full_valid_sweep.cache_clear()
    monkeypatch.setattr(geometry, "resolve_pads", undilated)
    try:
        p = prove("full-and-valid-lengths")
    finally:
        counting_lengths._full_valid_sweep.cache_clear()
    assert p.verdict == "refuted"
    assert p.counterexample["dilation"] == 2 and p.counterexample["rows of C (full)"] == 1


def test_a_claim_named_by_two_theorems_is_checked_once_and_its_certificates_reused():
    from dataclasses import replace

    from symconv.prover.judge import recording
    from symconv.sizes.counting_claims import checked, claims, theorem_proofs

    seen, shared = {}, None
    for name, listed in claims().items():
        for index, (_, lhs, rhs, hyps) in enumerate(listed):
            key = (lhs, rhs, tuple(hyps))
            if key in seen and seen[key][0] != name:
                shared = (seen[key], (name, index))
                break
            seen.setdefault(key, (name, index))
        if shared:
            break
    (first, i), (second, j) = shared
    proof = theorem_proofs(second)[j]
    assert checked(theorem_proofs(first)[i])
    with recording() as found:  # the reused check still hands its certificates to --smt
        assert checked(proof)
    assert [c.status for c in found] and all(c.status == "unsat" for c in found)
    assert any(str(proof.lhs) in c.claim for c in found)
    # only the very same proof is reused: another chain for the claim is checked on its own
    other = next(p for p in theorem_proofs("output-size") if p.left is not None
                 and p.lhs != proof.lhs)
    forged = replace(proof, left=other.left, right=other.right, split=None)
    assert not checked(forged)
