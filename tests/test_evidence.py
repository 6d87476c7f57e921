"""The catalogue never overstates: evidence only when gathered, vacuous checks, bad input.

- a cross-check that needs PyTorch runs, or the proof says it was not run (statement,
  step, domain) and counts only the points really checked;
- a check that covers nothing is ``vacuous``; impossible sizes are bad input;
- a user's formula inside ``prove`` is a statement about all sizes;
- every malformed argument of ``sc.prove`` is a named error, fast.
"""

from __future__ import annotations

import sys

import pytest

import symconv as sc
from symconv.cli import main
from symconv.errors import SymconvError, TheoremError
from symconv.theorems.common import TORCH_NOT_RUN
from symconv.theorems.engine import Outcome, Theorem, decide, get

#: Points of the same-padding sweep: the (n, k, s, d) grid 64 x 7 x 4 x 3.
SAME_GRID = 64 * 7 * 4 * 3
#: Points of the PyTorch padding='same' cross-check: n <= 24, k <= 7, d <= 3.
SAME_TORCH = 24 * 7 * 3


@pytest.fixture
def no_torch(monkeypatch):
    """Make ``import torch`` fail, as in an install without the optional backend."""
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "torch.nn", None)
    monkeypatch.setitem(sys.modules, "torch.nn.functional", None)


def steps_text(proof) -> str:
    return " ".join(f"{step.title}: {step.text}" for step in proof.steps)


# ---------------------------------------------------------------------------
# Evidence only when gathered
# ---------------------------------------------------------------------------

def test_same_padding_without_torch_claims_nothing_of_pytorch(no_torch):
    p = sc.prove("same-padding")
    assert p.verdict == "proved"  # the rule itself is proved, for all sizes
    assert "agrees at stride 1" not in p.statement
    assert f"is not claimed: its cross-check was {TORCH_NOT_RUN}" in p.statement
    assert "conv1d" not in p.domain
    assert p.domain.endswith(f"(padding='same' at stride 1) {TORCH_NOT_RUN}")
    assert f"({SAME_GRID} points)" in p.domain
    assert f"PyTorch: The cross-check against PyTorch's padding='same' is {TORCH_NOT_RUN}" \
        in steps_text(p)
    assert "(and PyTorch at stride 1)" not in steps_text(p)
    assert TORCH_NOT_RUN in p.evidence_sentence()


def test_pool_output_size_without_torch_does_not_compare_the_formula_with_itself(no_torch):
    p = sc.prove("pool-output-size")
    assert p.verdict == "proved"
    assert "output length of torch.nn.functional.max_pool1d is not claimed" in p.statement
    assert p.domain.endswith(f"max_pool1d output length where n<=20 {TORCH_NOT_RUN}")
    # only the sweep (counted windows) and the points where max_pool's windows are built
    assert "(27140 points)" in p.domain
    assert "counted windows, and the formula" in steps_text(p)


def test_cli_prove_without_torch_prints_not_run(no_torch, capsys):
    assert main(["prove", "same-padding"]) == 0
    out = capsys.readouterr().out
    assert TORCH_NOT_RUN in out
    assert "equals torch.nn.functional.conv1d" not in out


def test_with_torch_the_cross_checks_run_and_count():
    pytest.importorskip("torch")
    same = sc.prove("same-padding")
    assert "agrees at stride 1" in same.statement
    assert "equals torch.nn.functional.conv1d(padding='same')" in same.domain
    assert f"({SAME_GRID + SAME_TORCH} points)" in same.domain
    assert TORCH_NOT_RUN not in same.evidence_sentence()
    pool = sc.prove("pool-output-size")
    assert pool.statement.endswith("and the output length of torch.nn.functional.max_pool1d.")
    assert "(33624 points)" in pool.domain


def test_same_lower_never_claims_pytorch():
    p = sc.prove("same-padding", padding="same_lower", odd_pixel="before")
    assert p.verdict == "proved"
    assert "agrees at stride 1" not in p.statement
    assert "not run for same_lower" in p.domain


# ---------------------------------------------------------------------------
# Vacuous checks and impossible sizes
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, params, covers", [
    ("equivariance", {"boundary": "zero", "shift": 3}, "the interior I_t of input 5"),
    ("max-pool-equivariance", {"shift": 5}, "the set of output rows of max pooling on 6"),
    ("max-pool-equivariance", {"shift": 6}, "whose window shifted back by t = (6,)"),
])
def test_a_check_that_covers_nothing_is_vacuous(name, params, covers):
    p = sc.prove(name, **params)
    assert p.verdict == "vacuous"
    assert p.evidence == []
    assert covers in p.domain
    assert main(["prove", name, *[f"--param={k}={v}" for k, v in params.items()]]) == 5


@pytest.mark.parametrize("name, points", [("equivariance", 92), ("max-pool-equivariance", 66)])
def test_vacuous_domain_points_are_not_counted(name, points):
    p = sc.prove(name)
    assert p.verdict == "proved"
    assert p.domain.endswith(f"({points} points)")


def test_a_theorem_whose_check_gathers_nothing_is_vacuous_and_all_sizes_needs_parametric():
    def check(all_sizes: bool, evidence: tuple) -> Outcome:
        return Outcome(True, evidence=evidence, domain="D",
                       scope="all sizes" if all_sizes else "stated sizes")

    thm = Theorem("demo", "demo", "s", "s", {"all_sizes": False, "evidence": ()}, check)
    assert decide(thm).verdict == "vacuous"
    assert decide(thm, evidence=("exhaustive",)).verdict == "proved"
    assert decide(thm, all_sizes=True, evidence=("symbolic", "exhaustive")).verdict == \
        "verified"
    assert decide(thm, all_sizes=True, evidence=("symbolic",)).verdict == "undecided"
    assert decide(thm, all_sizes=True, evidence=("parametric", "exhaustive")).verdict == \
        "proved"


@pytest.mark.parametrize("params, named", [
    ({"test_image": 160}, "test_image"),
    ({"train_image": 16}, "train_image"),
    ({"pool_blocks": 0}, "pool_blocks"),
    ({"outputs": 0}, "outputs"),
])
def test_fc_as_conv_refuses_impossible_network_sizes(params, named):
    with pytest.raises(TheoremError, match=rf"^{named} must"):
        sc.prove("fc-as-conv", **params)


# ---------------------------------------------------------------------------
# A user's formula inside prove is a statement about all sizes
# ---------------------------------------------------------------------------

FORMULA = "floor((n + 2*p - d*(k - 1) - 1)/s) + 1"


def test_user_formula_false_beyond_the_sweep_is_refuted_with_its_claim_printed():
    wrong = f"{FORMULA} + floor(n/65)"
    p = sc.prove("output-size", formula=wrong)
    assert p.verdict == "refuted"
    assert p.scope == "all sizes"
    assert p.statement.startswith(f"{wrong} is the number of rows")
    assert p.counterexample["input_shape"] == (65,)  # floor(65/65) = 1, past n <= 64
    assert p.counterexample["formula"] == p.counterexample["truth"] + 1


def test_user_formula_true_for_all_sizes_is_proved_with_parametric_evidence():
    p = sc.prove("output-size", formula=FORMULA, padding=1)
    assert (p.verdict, p.scope) == ("proved", "all sizes")
    assert "parametric" in p.evidence
    assert p.statement.startswith(f"{FORMULA} is the number of rows")
    assert any(step.title == "For all sizes" for step in p.steps)


@pytest.mark.parametrize("name, params", [
    ("full-and-valid-lengths", {"full": "n + d*k - d"}),
    ("output-size", {"formula": "floor((n + p + p_after - d*(k - 1) - 1)/s) + 1"}),
])
def test_user_formula_without_a_proof_for_all_sizes_is_only_verified(name, params):
    p = sc.prove(name, **params)
    assert (p.verdict, p.scope) == ("verified", "all sizes")
    assert "parametric" not in p.evidence
    assert "Verified on" in p.evidence_sentence()


def test_user_transposed_formula_false_beyond_the_sweep_is_refuted():
    p = sc.prove("transposed-output-size",
                 formula="(n - 1)*s - 2*p + d*(k - 1) + op + 1 + floor(n/30)")
    assert (p.verdict, p.scope) == ("refuted", "all sizes")
    assert p.counterexample["input_shape"][0] >= 30


# ---------------------------------------------------------------------------
# Bad arguments of sc.prove: a named error, fast
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, message", [
    ((123,), {}, "theorem must be a catalogue name (a str), got 123"),
    (("transpos",), {}, "did you mean transpose"),
    (("no-such-theorem",), {}, "see `symconv list`"),
    (("receptive-field",), {"layers": "junk"}, "parameter 'layers' must be a tuple"),
    (("receptive-field",), {"layers": ((3, 1, 1),)}, "layers must be a non-empty chain"),
    (("receptive-field",), {"layers": ()}, "layers must be a non-empty chain"),
    (("receptive-field",), {"input_shape": (4, 4)}, "input_shape must be a 1-D size"),
    (("transpose",), {"exhaustive": "yes"}, "exhaustive must be True, False or None"),
    (("notes-echo-example",), {"expected": "1e100000000"}, "expected must be an exact"),
    (("notes-echo-example",), {"expected": "nan"}, "expected must be an exact"),
    (("notes-echo-example",), {"expected": "1/0"}, "nonzero denominator"),
    (("fc-vs-conv-cost",), {"params_ratio": "nan"}, "params_ratio must be an exact"),
    (("fc-vs-conv-cost",), {"macs_ratio": "1/0"}, "macs_ratio must be an exact"),
    (("equivariance",), {"shift": 1.5}, "parameter 'shift' must be an integer"),
    (("equivariance",), {"shift": True}, "parameter 'shift' must be an integer"),
    (("pool-output-size",), {"ceil_mode": 1}, "parameter 'ceil_mode' must be true or false"),
    (("output-size",), {"formula": ("n",)}, "parameter 'formula' must be a str"),
    (("transpose",), {"no_such": 1}, "takes no parameter 'no_such'"),
])
def test_bad_prove_arguments_are_named_errors(args, kwargs, message):
    with pytest.raises(SymconvError) as raised:
        sc.prove(*args, **kwargs)
    assert message in str(raised.value)


@pytest.mark.parametrize("name, canonical", [
    ("TRANSPOSE", "transpose"), ("Transpose", "transpose"), (" transpose", "transpose"),
    ("notes_echo_example", "notes-echo-example"),
])
def test_theorem_names_are_case_insensitive(name, canonical):
    assert get(name).name == canonical


def _counting_theorem(fails_at: int | None) -> tuple[Theorem, list]:
    """A theorem over n = 1..4 (default n = 2) that fails at ``fails_at``; its calls."""
    calls = []

    def check(n=2):
        calls.append(n)
        return Outcome(n != fails_at, evidence=("symbolic",))

    return Theorem("demo", "demo", "s", "s", {"n": 2}, check,
                   lambda: [{"n": n} for n in range(1, 5)], "1 <= n <= 4"), calls


def test_the_default_point_is_checked_once_and_counted_for_the_domain():
    thm, calls = _counting_theorem(fails_at=None)
    proof = decide(thm)
    assert calls == [2, 1, 3, 4]  # the default first, then every other point of the domain
    assert proof.verdict == "proved" and proof.domain == "1 <= n <= 4 (4 points)"


@pytest.mark.parametrize("fails_at", [1, 2, 3])
def test_a_domain_failure_is_still_found_with_the_default_point_reused(fails_at):
    thm, _ = _counting_theorem(fails_at)
    proof = decide(thm)
    assert proof.verdict == "refuted" and proof.counterexample["n"] == fails_at


def test_a_point_equal_only_up_to_type_is_checked_again():
    calls = []

    def check(shape=(2,)):
        calls.append(shape)
        return Outcome(True, evidence=("symbolic",))

    thm = Theorem("demo", "demo", "s", "s", {"shape": (2,)}, check,
                  lambda: [{"shape": (n,)} for n in range(1, 4)], "1 <= n <= 3")
    decide(thm, exhaustive=True, shape=(2.0,))  # (2.0,) == (2,), yet not the same call
    assert calls == [(2.0,), (1,), (2,), (3,)]
