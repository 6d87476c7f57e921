"""Proofs for all sizes: lemmas on their boxes, counting proofs re-verified, tampering
rejected, large-size traps refuted, the CLI lists "parametric"."""

import itertools
import json

import numpy as np
import pytest
import sympy

from symconv import counting_proofs as cp
from symconv import parametric as pm
from symconv.cli import main
from symconv.formula import QUANTITIES, check_formula

n, k, s, p, d, op = (pm.SYMBOLS[v] for v in ("n", "k", "s", "p", "d", "op"))
TORCH = "floor((n + 2*p - d*(k - 1) - 1)/s) + 1"
FITS = [n - 1, k - 1, s - 1, d - 1, p, n + 2 * p - d * (k - 1) - 1]


@pytest.mark.parametrize("name", sorted(pm.LEMMAS))
def test_every_lemma_holds_on_its_box(name):
    points, failure = pm.check_lemma(pm.LEMMAS[name])
    assert failure is None and points > 300


def test_a_false_lemma_fails_its_box():
    wrong = pm.Lemma("wrong", sympy.floor((pm.A + 1) / pm.T), sympy.floor(pm.A / pm.T) + 1,
                     (pm.T - 1,), (pm.A, pm.T), (pm.T,), "")
    assert pm.check_lemma(wrong)[1] is not None


def test_verify_lemmas_covers_lemmas_and_facts():
    assert set(pm.verify_lemmas()) == set(pm.LEMMAS) | set(pm.FACTS)


@pytest.mark.parametrize("key", sorted(pm.TRUTHS))
def test_every_definition_is_proved_and_rechecked(key):
    proof = pm.definition_proof(*key)
    assert proof is not None and proof.check(), key
    assert pm.proof_problem(proof) is None


@pytest.mark.parametrize("name", ["output-size", "same-padding", "transposed-output-size",
                                  "pool-output-size", "full-and-valid-lengths"])
def test_counting_theorems_proved_for_all_sizes(name):
    steps, ok = cp.theorem_steps(name)
    assert ok and any(r"\begin{aligned}" in m.latex for st in steps for m in st.math
                      if isinstance(m, pm.Math))


def test_macs_proved_for_all_sizes_only_without_padding():
    # with padding the count has no closed form here: only the finite domain is claimed
    assert pm.definition_proof("macs", "torch") is None
    assert pm.parametric_steps("macs", "torch")[1] is False
    form = "(floor((n - d*(k - 1) - 1)/s) + 1)*k"
    for convention in ("tensorflow", "keras"):
        proof = check_formula(form, "macs", convention)
        assert proof.evidence == ["parametric", "exhaustive"]
        assert "theorem mac-count" in " ".join(st.text for st in proof.steps)
        assert check_formula(form + " + 1", "macs", convention).verdict == "refuted"
    trap = check_formula(form + " + floor(n/1001)", "macs", "tensorflow")
    assert trap.verdict == "refuted" and trap.counterexample["n"] >= 1001
    # PyTorch's or JAX's layer with its padding fixed to 0 is the valid layer
    for convention, zero in (("torch", {"p": 0}), ("jax", {"p_before": 0, "p_after": 0})):
        sliced = check_formula(form, "macs", convention, fixed=zero)
        assert sliced.evidence == ["parametric", "exhaustive"]
    trap_sliced = check_formula(form + " + floor(n/1001)", "macs", "torch", fixed={"p": 0})
    assert trap_sliced.verdict == "refuted" and trap_sliced.counterexample["n"] >= 1001


def _tampered(proof, **change):
    left = proof.left
    step = left.rewrites[0]
    bad = pm.Rewrite(change.get("lemma", step.lemma), change.get("sigma", step.substitution),
                     change.get("after", step.after))
    chain = pm.Chain(left.start, (bad,) + left.rewrites[1:])
    return pm.ParametricProof(proof.lhs, proof.rhs, change.get("hyps", proof.assumptions),
                              chain, proof.right)


def test_tampered_chains_are_rejected():
    proof = pm.definition_proof("output_size", "tensorflow")
    assert proof.check()
    wrong_result = _tampered(proof, after=proof.left.rewrites[0].after + 1)
    assert not wrong_result.check()
    wrong_lemma = _tampered(proof, lemma="floor-shift")
    assert not wrong_lemma.check()
    no_fit = _tampered(proof, hyps=tuple(a for a in proof.assumptions if a != n - 1
                                         and not a.has(k) or a == k - 1))
    assert not no_fit.check()


def test_window_count_without_its_precondition_is_rejected():
    step = pm.Rewrite("window-count", {pm.M: n - k - 5, pm.T: s},
                      sympy.floor((n - k - 5) / s) + 1)
    reason = pm.check_rewrite(pm.Windows(n - k - 5, s), step, [n - 1, k - 1, s - 1])
    assert reason is not None and "precondition" in reason
    assert pm.check_rewrite(pm.Windows(n - k - 5, s), step, [n - k - 5, s - 1]) is None



def test_a_checked_rewrite_answers_only_its_own_question(monkeypatch):
    """check_rewrite keeps each answer for the process: a step that checked must not make
    a question differing in any one part check (nor a changed lemma keep its answer)."""
    from dataclasses import replace

    from symconv.prover import proofs

    before, hyps = sympy.floor((n + s - 1) / s), [n - 1, s - 1]
    sigma = {pm.A: n - 1, pm.B: sympy.Integer(1), pm.T: s}
    good = pm.Rewrite("floor-shift", sigma, sympy.floor((n - 1) / s) + 1)
    assert pm.check_rewrite(before, good, hyps) is None
    assert pm.check_rewrite(before, good, hyps) is None  # asked again: the kept answer
    assert pm.check_rewrite(before + 1, good, hyps)  # another expression
    assert pm.check_rewrite(before, replace(good, after=good.after + 1), hyps)  # result
    assert pm.check_rewrite(before, replace(good, lemma="floor-exact"), hyps)  # lemma
    assert pm.check_rewrite(before, pm.Rewrite("floor-shift", {**sigma, pm.B: sympy.Integer(2)},
                                               good.after), hyps)  # substitution
    assert pm.check_rewrite(before, good, [n - 1])  # assumptions: s >= 1 not given
    shift = pm.LEMMAS["floor-shift"]
    monkeypatch.setitem(pm.LEMMAS, "floor-shift", replace(shift, conditions=(s - 2,)))
    assert pm.check_rewrite(before, good, hyps)  # the lemma's statement changed
    assert proofs._CHECKED_REWRITES  # the answers are kept (the memo is in use)

def test_unknown_lemma_and_missing_substitution_rejected():
    before = sympy.floor((n + s) / s)
    assert "unknown" in pm.check_rewrite(before, pm.Rewrite("magic", {}, n), [s - 1])
    assert pm.check_rewrite(before, pm.Rewrite("floor-shift", {pm.A: n}, n), [s - 1])


def test_discharger_is_sound_on_false_goals():
    assert not pm.implied(n - 2, [n - 1])
    assert not pm.implied(sympy.floor(n / s) - 1, [n - 1, s - 1])
    assert pm.implied(sympy.floor(n / s), [n - 1, s - 1])
    assert pm.implied(d * k - k, [d - 1, k - 1])


def test_prover_refuses_what_is_false_for_large_n():
    truth = pm.Windows(n + 2 * p - d * (k - 1) - 1, s)
    base = sympy.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1
    for trap in (base + sympy.floor(n / 1001), base + sympy.floor(n / 1001)
                 - sympy.floor((n - 1) / 1001), base * (1 + sympy.floor(k / 500))):
        assert pm.prove_for_all(trap, truth, FITS) is None


TRAPS = [
    (TORCH + " + floor(n/1001)", "output_size", "torch", {"n": 1001}),
    (TORCH + " + floor(n/1001) - floor((n-1)/1001)", "output_size", "torch", {"n": 1001}),
    (TORCH + " + k//500", "output_size", "torch", {}),
    (TORCH + " + max(n - 100000, 0) - max(n - 100001, 0)", "output_size", "torch",
     {"n": 100001}),
    ("ceil(n/s) + floor(s/999)", "same_output_size", "tensorflow", {}),
    ("(n-1)*s - 2*p + d*(k-1) + op + 1 + op//600", "transposed_output_size", "torch", {}),
]


@pytest.mark.parametrize("formula, quantity, convention, at", TRAPS)
def test_large_size_traps_are_refuted_not_proved(formula, quantity, convention, at):
    proof = check_formula(formula, quantity, convention)
    assert proof.verdict == "refuted" and "parametric" not in proof.evidence
    # the ordered search around the formula's constants runs before the SMT judge, so
    # the counterexample is the threshold where the trap turns false, not a raw model
    assert all(proof.counterexample[v] == x for v, x in at.items())
    assert "boundary points" in proof.domain
    assert proof.counterexample["formula"] != proof.counterexample["truth"]


def test_planted_false_formulas_stay_refuted():
    for (quantity, convention), entry in QUANTITIES.items():
        if entry.definition.startswith("#"):
            continue
        proof = check_formula(f"{entry.definition} + 1", quantity, convention)
        assert proof.verdict == "refuted", (quantity, convention)


def test_proof_says_proved_for_all_sizes_with_the_lemma_chain():
    proof = check_formula("ceil(n/s)", "same_output_size", "tensorflow")
    assert proof.evidence == ["parametric", "exhaustive"]
    assert "Proved for all sizes" in proof.evidence_sentence()
    titles = [st.title for st in proof.steps]
    assert "Lemma window-count" in titles and "Lemma ceil-to-floor" in titles


def test_macs_formula_with_padding_is_proved_only_on_its_domain():
    # one tap, one pad each side: window i reads s i - 1, inside for 1 <= i <= n // s
    proof = check_formula("floor(n/s)", "macs", "torch", fixed={"p": 1, "k": 1})
    assert proof.verdict == "verified" and proof.evidence == ["exhaustive"]
    assert any(st.title == "Not proved for all sizes" for st in proof.steps)
    assert "finite domain" in proof.text()


def test_cli_lists_parametric(capsys):
    code = main(["check-formula", TORCH, "--quantity", "output_size", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["evidence"] == ["parametric", "exhaustive"]
    assert out["conclusion"].startswith("Proved for all sizes")


SPAN = d * (k - 1)
SAME_A = (sympy.ceiling(n / s) - 1) * s + SPAN + 1 - n


def test_same_output_splits_on_the_max_and_each_case_checks():
    proof = cp.theorem_proofs("same-padding")[0]
    assert proof is not None and proof.check() and proof.split is not None
    # the cases are A <= 0 (T = 0) and A >= 0 (T = A, the floor exact), with
    # A = (ceil(n/s) - 1)s + d(k-1) + 1 - n and ceil(n/s) = floor((n-1)/s) + 1
    a = sympy.floor((n - 1) / s) * s + SPAN + 1 - n
    assert pm.same(proof.split.on, a) or pm.same(proof.split.on, -a)
    lemmas = proof.lemmas()
    assert "max-left" in lemmas and "window-count" in lemmas


@pytest.mark.parametrize("bad", [sympy.Max(SAME_A - 1, 0), sympy.Max(SAME_A, 1),
                                 sympy.Max(SAME_A, 0) + s])
def test_wrong_same_pads_are_not_proved_and_fail_fast(bad):
    # how fast: benchmarks/run.py, figure 8
    claim = pm.Windows(n + bad - SPAN - 1, s)
    assert pm.prove_for_all(claim, sympy.ceiling(n / s), [n - 1, k - 1, s - 1, d - 1]) is None


POOL_TRUTH = pm.TRUTHS["pool_output_size_ceil", "torch"]
POOL_OUT = sympy.ceiling((n + 2 * p - SPAN - 1) / s) + 1


def test_pool_drop_rule_as_written_is_proved_via_the_drop_indicator():
    proof = cp.theorem_proofs("pool-output-size")[1]
    assert proof is not None and proof.check()
    assert proof.lhs.has(pm.Iverson) and proof.lemmas()[0] == "drop-indicator"
    # its precondition a <= b, i.e. p <= d(k-1) + 1: at most one window starts in the padding
    a, b = proof.left.rewrites[0].substitution[pm.A], proof.left.rewrites[0].substitution[pm.B]
    assert pm.same(b - a, SPAN + 1 - p)


def test_drop_indicator_needs_its_precondition():
    lemma = pm.LEMMAS["drop-indicator"]
    loose = pm.Lemma("loose", lemma.lhs, lemma.rhs, (pm.T - 1,), lemma.integers, lemma.divisors,
                     "", lemma.small)
    assert pm.check_lemma(loose)[1] is not None


@pytest.mark.parametrize("lhs, hyps", [
    (POOL_OUT - pm.Iverson((POOL_OUT - 1) * s - (n + p) - 1), POOL_TRUTH.assumptions),  # strict
    (POOL_OUT, POOL_TRUTH.assumptions),                                               # no drop
    (POOL_OUT - pm.Iverson((POOL_OUT - 1) * s - (n + p)),                         # p unbounded
     tuple(h for h in POOL_TRUTH.assumptions if h != k - 2 * p)),
])
def test_wrong_pool_rules_or_missing_preconditions_are_not_proved(lhs, hyps):
    assert pm.prove_for_all(lhs, POOL_TRUTH.expr, hyps) is None


def test_iverson_bracket_evaluates_and_renders():
    num, den = pm.evaluate(pm.Iverson(n - 2), {n: np.array([1, 2, 3])})
    assert (num // den).tolist() == [0, 1, 1]
    assert r"\ge 0" in sympy.latex(pm.Iverson(n))


def test_seed_same_pad_rule_proved_only_for_the_true_rules():
    from symconv.theorems import prove

    steps, ok = cp.theorem_steps("seed-same-pad-rule")
    assert ok and "Lemma mod-definition" in [st.title for st in steps]
    for rule in ("fixed", "dilated"):
        assert "parametric" in prove("seed-same-pad-rule", rule=rule).evidence
    for rule in ("literal", "seed"):
        p = prove("seed-same-pad-rule", rule=rule)
        assert p.verdict == "refuted" and "parametric" not in p.evidence
    wrong = pm.prove_for_all(sympy.Max(k - sympy.Mod(n, s), 0),
                             pm.TF_SAME_TOTAL.xreplace({d: 1}), (n - 1, k - 1, s - 1))
    assert wrong is None


def test_receptive_field_claims_proved_and_false_variants_not():
    steps, ok = cp.theorem_steps("receptive-field")
    assert ok and "Lemma max-left" in [st.title for st in steps]
    assert "only its span" in " ".join(st.text for st in steps)
    i, m, big_s, big_p, r = cp.UNIT, cp.TAP, cp.S_PREV, cp.P_PREV, cp.R
    prev = (s - 1, p, d - 1, big_s - 1, big_p, r - 1)
    hi = big_s * (s * i - p + d * m) - big_p + r - 1
    lo_next = big_s * (s * i - p + d * (m + 1)) - big_p
    # no hole needs S d <= r
    assert pm.prove_for_all(sympy.Max(hi + 1, lo_next), hi + 1, prev + (m,)) is None
    # the stride product including the layer's own stride is not the width
    width = big_s * (s * i - p + d * (k - 1)) - big_p + r - 1 - (big_s * (s * i - p) - big_p) + 1
    assert pm.prove_for_all(width, r + big_s * s * d * (k - 1), prev + (k - 1,)) is None
    # a tap below 0 may read lower than tap 0
    tap = s * i - p + d * m
    assert pm.prove_for_all(sympy.Min(s * i - p, tap), s * i - p, (s - 1, p, d - 1)) is None


def test_last_term_split_fact_is_checked():
    assert pm.verify_lemmas()["last-term-split"] > 10000


def test_reach_and_pair_claims_fail_when_their_conditions_are_dropped():
    i, m, u, v = cp.UNIT, cp.TAP, cp.U, cp.V
    # with padding p, tap m of window 0 reads d m - p, which may be negative
    assert pm.prove_for_all(sympy.Max(d * m - p, 0), d * m - p, (d - 1, m, p)) is None
    # without "the kernel fits" a tap may read past the end
    assert pm.prove_for_all(sympy.Min(d * m, n - 1), d * m, (d - 1, m, u, n - 1)) is None
    # an off-by-one last window (floor((n - d(k-1))/s)) reads past the end
    last = sympy.floor((n - d * (k - 1)) / s)
    assert pm.prove_for_all(sympy.Min(s * last + d * (k - 1), n - 1), s * last + d * (k - 1),
                            (n - 1, k - 1, s - 1, d - 1, n - d * (k - 1) - 1)) is None
    # dilation 0 would put two taps on one input
    assert pm.prove_for_all(sympy.Max(d * (u + 1), 1), d * (u + 1), (d, u)) is None
    # a window earlier than i may read lower (v unrestricted)
    assert pm.prove_for_all(sympy.Max(s * i + d * m, s * (i + v) + d * m), s * (i + v) + d * m,
                            (s - 1, d - 1, i, m)) is None


@pytest.mark.parametrize("name", ["parameter-count", "mac-count", "fc-vs-conv-cost",
                                  "notes-size-claims", "receptive-field"])
def test_new_counting_proofs_check_and_name_their_claims(name):
    steps, ok = cp.theorem_steps(name)
    assert ok and all(proof.check() for proof in cp.theorem_proofs(name))
    assert steps[0].title == "For all sizes: what is proved"
    assert [st.title for st in steps].count("How the claims prove the theorem") >= 1


def test_dumoulin_visin_relationships_are_proved_and_misreadings_are_not():
    titles = {name: [t for t, *_ in cp.claims()[name]]
              for name in ("output-size", "transposed-output-size")}
    numbers = " ".join(titles["output-size"] + titles["transposed-output-size"])
    for number in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15):
        assert f"Relationship {number} " in numbers or f"Relationship {number}:" in numbers \
            or f"Relationship 12-{number}" in numbers
    for name in titles:
        assert all(proof is not None and proof.check() for proof in cp.theorem_proofs(name))
    j = cp.J
    # half padding needs an odd kernel: k = 2j with p = j gives one output too many
    assert pm.prove_for_all(pm.Windows(n + 2 * j - 2 * j, 1), n, (n - 1, j - 1)) is None
    # relationship 14 without a: the original size is not recovered
    assert pm.prove_for_all(s * sympy.floor((n + 2 * p - k) / s) + k - 2 * p, n,
                            (n - 1, k - 1, s - 1, p, n + 2 * p - k)) is None


def test_convention_equivalences_state_exact_conditions():
    titles = [t for t, *_ in cp.claims()["same-padding"]]
    assert sum(t.startswith("conventions:") for t in titles) == 3
    assert all(proof is not None and proof.check() for proof in cp.theorem_proofs("same-padding"))
    span, total = d * (k - 1), pm.TF_SAME_TOTAL
    # the pads are not always equal, nor is the split
    assert pm.prove_for_all(span - total, 0, pm.POSITIVE_SIZES) is None
    assert pm.prove_for_all(sympy.ceiling(total / 2) - sympy.floor(total / 2), 0,
                            pm.POSITIVE_SIZES) is None


def test_keras_and_pytorch_transposed_lengths_agree_exactly_with_that_output_padding():
    assert all(p is not None and p.check() for p in cp.theorem_proofs("transposed-output-size"))
    span = d * (k - 1)
    # with output_padding 0 instead they differ whenever s > d(k-1) + 1
    assert pm.prove_for_all((n - 1) * s + span + 1, n * s + sympy.Max(span + 1 - s, 0),
                            pm.POSITIVE_SIZES) is None


def test_that_output_padding_gives_keras_length_in_pytorch():
    torch = pytest.importorskip("torch")
    for nn, kk, ss, dd in itertools.product(range(1, 5), range(1, 5), range(1, 5), range(1, 3)):
        op_ = max(ss - dd * (kk - 1) - 1, 0)
        y = torch.nn.functional.conv_transpose1d(torch.zeros(1, 1, nn), torch.zeros(1, 1, kk),
                                                 stride=ss, output_padding=op_, dilation=dd)
        assert y.shape[-1] == nn * ss + max(dd * (kk - 1) + 1 - ss, 0)
