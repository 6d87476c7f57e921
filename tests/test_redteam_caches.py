"""Red team against the prover's per-process answer caches: a kept answer must never answer
a different question (look-alike SymPy expressions, patched lemmas, other assumptions), and a
verdict in a process that already proved true neighbours equals a fresh process's."""

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import sympy

from symconv.prover import implication, judge, lemmas, normal_form, proofs, search
from symconv.prover.normal_form import A, B, T, n, s
from symconv.sizes import counting_claims
from symconv.theorems import counting

ROOT = Path(__file__).resolve().parents[1]
HYPS = [n - 1, s - 1]
N_INT, N_POS = sympy.Symbol("n", integer=True), sympy.Symbol("n", positive=True)
N_DUMMY = sympy.Dummy("n")
S_INT = sympy.Symbol("s", integer=True)
BEFORE = sympy.floor((n + s - 1) / s)
GOOD = proofs.Rewrite("floor-shift", {A: n - 1, B: sympy.Integer(1), T: s},
                      sympy.floor((n - 1) / s) + 1)


def _forget() -> None:
    """Empty every per-process answer cache of the prover (a fresh process's state)."""
    proofs._CHECKED_REWRITES.clear()
    counting_claims._CHECKED.clear()
    for cached in (normal_form.same, normal_form.split_multiples, normal_form._canon,
                   normal_form.as_fraction, search._prove_for_all, implication._implied,
                   judge._text, judge._certify, lemmas._verify):
        cached.cache_clear()


def _variants() -> list[tuple[sympy.Expr, proofs.Rewrite, list]]:
    """Questions that compare unequal but look alike (print alike, or equal as numbers)."""
    sub = GOOD.substitution
    floor_n = sympy.floor((N_INT + s - 1) / s)
    mod_step = proofs.Rewrite("mod-definition", {A: n, T: s}, n - s * sympy.floor(n / s))
    return [
        (BEFORE, GOOD, HYPS),
        (BEFORE, replace(GOOD, substitution={**sub, B: 1.0}), HYPS),  # float 1.0 == 1
        (BEFORE, replace(GOOD, substitution={**sub, B: sympy.Float(1.0)}), HYPS),
        (BEFORE, replace(GOOD, substitution={**sub, B: 1}), HYPS),  # int 1 == Integer(1)
        (floor_n, GOOD, HYPS),  # n with integer=True prints as n
        (floor_n, proofs.Rewrite("floor-shift", {**sub, A: N_INT - 1},
                                 sympy.floor((N_INT - 1) / s) + 1), HYPS),
        (sympy.floor((N_POS + s - 1) / s), GOOD, HYPS),
        (sympy.floor((N_DUMMY + s - 1) / s), GOOD, HYPS),  # Dummy n
        (BEFORE, GOOD, [n - 1, S_INT - 1]),  # the same hypotheses on another s
        (sympy.ceiling((n + s - 1) / s), GOOD, HYPS),  # ceiling, not floor
        (sympy.floor(sympy.Add(n, s, -1, evaluate=False) / s), GOOD, HYPS),
        (BEFORE, replace(GOOD, after=sympy.ceiling((n - 1) / s) + 1), HYPS),
        (BEFORE, replace(GOOD, after=sympy.floor((n - 1) / s) + 1.0), HYPS),
        (BEFORE, GOOD, [n - 1, s - 2]),  # s >= 2 implies s >= 1: accepted too
        (BEFORE, GOOD, [n - 1, s]),  # s >= 0 does not
        (sympy.Mod(n, s), mod_step, HYPS),
        (sympy.Mod(s, n), mod_step, HYPS),  # the arguments swapped
        (sympy.Mod(s, n), proofs.Rewrite("mod-definition", {A: s, T: n},
                                         s - n * sympy.floor(s / n)), HYPS),
        (sympy.Mod(s, n), proofs.Rewrite("mod-definition", {A: s, T: n},
                                         s - n * sympy.floor(s / n)), [s - 1, n]),
    ]


def test_lookalike_rewrites_get_the_answers_a_fresh_process_gives():
    _forget()
    questions = _variants()
    fresh = [proofs._check_rewrite(*q) for q in questions]
    # the battery is not trivial: both answers occur, and look-alikes disagree
    assert fresh[0] is None and fresh[1] and fresh[2] and fresh[3] is None
    assert fresh[4] and fresh[5] is None and fresh[6] and fresh[7] and fresh[8]
    assert fresh[9] and fresh[11] and fresh[13] is None and fresh[14]
    assert fresh[15] is None and fresh[16] and fresh[17] is None and fresh[18]
    for _ in range(2):  # in order, then again from the kept answers
        assert [proofs.check_rewrite(*q) for q in questions] == fresh
    _forget()
    assert [proofs.check_rewrite(*q) for q in reversed(questions)] == fresh[::-1]


def test_assumptions_as_list_tuple_set_or_reordered_agree_with_fresh():
    _forget()
    for hyps in ([n - 1, s - 1], (s - 1, n - 1), {n - 1, s - 1}, [s - 1, n - 1, n - 1]):
        assert proofs.check_rewrite(BEFORE, GOOD, hyps) is None
    for hyps in ([n - 1], (n - 1, s), {n - 1, s}, [s, n - 1]):  # s >= 0 only: rejected
        assert proofs.check_rewrite(BEFORE, GOOD, hyps) == proofs._check_rewrite(
            BEFORE, GOOD, hyps) != None  # noqa: E711


def test_a_lemma_patched_after_its_answer_was_kept_is_asked_again(monkeypatch):
    _forget()
    assert proofs.check_rewrite(BEFORE, GOOD, HYPS) is None
    shift = proofs.LEMMAS["floor-shift"]
    wrong = replace(shift, rhs=shift.rhs + 1)  # a false lemma, same name
    monkeypatch.setitem(proofs.LEMMAS, "floor-shift", wrong)
    assert "gives" in proofs.check_rewrite(BEFORE, GOOD, HYPS)
    bumped = replace(GOOD, after=GOOD.after + 1)
    assert proofs.check_rewrite(BEFORE, bumped, HYPS) is None  # what the patched lemma says
    monkeypatch.setitem(proofs.LEMMAS, "floor-shift", shift)
    assert proofs.check_rewrite(BEFORE, GOOD, HYPS) is None
    assert proofs.check_rewrite(BEFORE, bumped, HYPS)


def test_a_lemma_patched_after_it_was_verified_is_verified_again(monkeypatch):
    """A true claim, a step by a false lemma of the same name that is right at this instance
    (b = 1): a fresh process refuses the lemma on its box, so this one must too."""
    _forget()
    lhs, rhs = sympy.floor((n + s - 1) / s), sympy.floor((n - 1) / s) + 1
    proof = proofs.ParametricProof(lhs, rhs, tuple(HYPS), proofs.Chain(lhs, (GOOD,)),
                                   proofs.Chain(rhs))
    assert proof.check()  # the true lemma: verified on its box, kept
    shift = proofs.LEMMAS["floor-shift"]
    monkeypatch.setitem(proofs.LEMMAS, "floor-shift",
                        replace(shift, rhs=shift.rhs + sympy.Max(0, B - 5)))  # false, b >= 6
    assert proofs.check_rewrite(BEFORE, GOOD, HYPS) is None  # the step itself still checks
    with pytest.raises(AssertionError, match="floor-shift fails"):
        lemmas.verify("floor-shift")
    with pytest.raises(AssertionError, match="floor-shift fails"):
        proof.check()
    monkeypatch.setitem(proofs.LEMMAS, "floor-shift", shift)
    assert proof.check()


def _one_step_proof(b: object) -> proofs.ParametricProof:
    lhs, rhs = sympy.floor((n + s - 1) / s), sympy.floor((n - 1) / s) + 1
    step = proofs.Rewrite("floor-shift", {A: n - 1, B: b, T: s}, rhs)
    return proofs.ParametricProof(lhs, rhs, tuple(HYPS), proofs.Chain(lhs, (step,)),
                                  proofs.Chain(rhs))


def test_a_kept_proof_check_is_not_reused_for_an_equal_proof_with_a_float():
    _forget()
    good, bad = _one_step_proof(1), _one_step_proof(1.0)  # b = 1.0: not integer-valued
    assert good == bad and good.check() and not bad.check()
    assert counting_claims.checked(good)
    assert counting_claims.checked(bad) is False


def test_a_kept_proof_check_is_not_reused_after_its_lemma_changed(monkeypatch):
    _forget()
    proof = _one_step_proof(sympy.Integer(1))
    assert counting_claims.checked(proof)
    shift = proofs.LEMMAS["floor-shift"]
    monkeypatch.setitem(proofs.LEMMAS, "floor-shift",
                        replace(shift, rhs=shift.rhs + sympy.Max(0, B - 5)))  # false, b >= 6
    with pytest.raises(AssertionError, match="floor-shift fails"):
        counting_claims.checked(proof)


@pytest.mark.parametrize("a, b", [
    (n, N_INT), (n, N_POS), (n, N_DUMMY), (sympy.floor(n / s), sympy.ceiling(n / s)),
    (sympy.Mod(n, s), sympy.Mod(s, n)), (2 * n, sympy.Add(n, n, evaluate=False)),
    (sympy.Integer(2), 2.0), (n + sympy.Rational(1, 2), n + 0.5)])
def test_same_keeps_lookalike_pairs_apart(a, b):
    _forget()
    assert normal_form.same(a, a) and normal_form.same(b, b)
    assert normal_form.same(a, b) == normal_form.same.__wrapped__(a, b)
    assert normal_form.same(b, a) == normal_form.same.__wrapped__(b, a)
    if str(a) == str(b):  # print alike, different symbols: never the same
        assert not normal_form.same(a, b)


def test_split_multiples_keeps_lookalike_divisors_apart():
    _forget()
    two_n = 2 * n
    assert normal_form.split_multiples(two_n, sympy.Integer(2)) == (0, n)
    assert normal_form.split_multiples(two_n, sympy.Float(2.0)) == (two_n, 0)
    for other in (N_DUMMY, N_INT, N_POS):  # the quotient is in the very symbol asked about
        assert normal_form.split_multiples(2 * other, sympy.Integer(2))[1] is other
    z = sympy.Symbol("z")  # not an integer variable: z*s is not a multiple of s
    assert normal_form.split_multiples(s * z, s) == (s * z, 0)
    assert normal_form.split_multiples(s * n, s) == (0, n)


def test_claim_text_prints_each_lookalike_as_itself():
    _forget()
    assert [judge._text(e) for e in (2, 2.0, sympy.Integer(2), n, N_DUMMY)] == [
        "2", "2.0", "2", "n", "_n"]
    assert judge._text(1.0) == "1.0" and judge._text(True) == "True"  # True == 1.0 as keys
    said = judge._claim_text((("=", n, N_DUMMY),), (n - 1,), ())
    assert said == "n = _n when n - 1 >= 0"


#: (lhs, rhs, assumptions, true?): true claims first, then false neighbours.
CLAIMS = [
    (sympy.floor((n + s - 1) / s), sympy.floor((n - 1) / s) + 1, HYPS, True),
    (sympy.floor((n + s - 1) / s), sympy.ceiling(n / s), HYPS, True),
    (sympy.floor((n + s) / s), sympy.floor((n - 1) / s) + 1, HYPS, False),
    (sympy.floor((n + s - 1) / s), sympy.floor(n / s) + 1, HYPS, False),
    (sympy.floor((n + s - 1) / s), sympy.ceiling((n + 1) / s), HYPS, False),
    (sympy.ceiling((n + s - 1) / s), sympy.ceiling(n / s), HYPS, False),
    (sympy.floor((n + s - 1) / s), sympy.ceiling(N_INT / s), HYPS, False),  # other n
    (sympy.floor((n + s - 1) / s), sympy.floor((n - 1) / s) + 1, [n - 1, s], False),
    (n - s * sympy.floor(n / s), sympy.Mod(n, s), HYPS, True),
    (s - n * sympy.floor(s / n), sympy.Mod(n, s), HYPS, False),  # Mod swapped
]


def _outcomes() -> list[bool]:
    found = []
    for lhs, rhs, hyps, _ in CLAIMS:
        proof = search.prove_for_all(lhs, rhs, hyps)
        found.append(proof is not None and proof.check())
    return found


def test_false_neighbours_of_proved_claims_are_not_proved_in_the_same_process():
    _forget()
    warm = _outcomes()
    assert not any(got and not true for got, (*_, true) in zip(warm, CLAIMS))
    assert warm[0] and warm[1] and warm[8]
    assert _outcomes() == warm  # asked again: the kept answers
    _forget()
    assert _outcomes() == warm  # a fresh start agrees


TRAPS = [  # true on the finite domain (n <= 64, p <= 3), false beyond
    "floor((n + 2*p - d*(k - 1) - 1)/s) + 1 + floor(n/1001)",
    "floor((n + 2*p - d*(k - 1) - 1 + floor(n/5000))/s) + 1",
    "ceil((n + 2*p - d*(k - 1) + floor(p/777))/s)",
    "floor((n + 2*p - d*(k - 1) - 1)/s) + 1 + floor(n*p/100000)",
]


def test_the_prover_refuses_large_size_traps_after_proving_their_true_forms():
    from symconv.sizes import parse_formula
    from symconv.sizes.definitions import formula_proof

    _forget()
    for text in ("floor((n + 2*p - d*(k - 1) - 1)/s) + 1", "ceil((n + 2*p - d*(k - 1))/s)"):
        assert formula_proof(parse_formula(text), "output_size", "torch").check()
    for text in TRAPS:
        assert formula_proof(parse_formula(text), "output_size", "torch") is None


FORMULAS = [
    ("floor((n + 2*p - d*(k - 1) - 1)/s) + 1", "output_size"),
    ("ceil((n + 2*p - d*(k - 1))/s)", "output_size"),
    ("floor((n + 2*p - d*(k - 1) - 1 + 1)/s) + 1", "output_size"),
    ("floor((n + 2*p - d*(k - 1))/s) + 1", "output_size"),
    ("ceil((n + 2*p - d*(k - 1) - 1)/s)", "output_size"),
    ("floor((n + 2*p - d*(k - 1) + s)/s)", "output_size"),
    ("floor((n + 2*p - d*(k - 1) + s - 1)/s)", "output_size"),
    ("ceil((n + 2*p - d*(k - 1) - 1)/s) + 1", "output_size"),
    *((trap, "output_size") for trap in TRAPS),
]
_VERDICTS = """
import json, sys
import symconv as sc
print(json.dumps([[p.verdict, p.evidence] for p in
                  (sc.check_formula(*f) for f in json.loads(sys.argv[1]))]))
"""


def test_formula_verdicts_after_true_ones_match_a_fresh_process():
    import symconv as sc

    here = [[p.verdict, list(p.evidence)] for p in (sc.check_formula(*f) for f in FORMULAS)]
    assert here[0][0] == here[1][0] == "proved" and here[2][0] == "refuted"
    env = {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", _VERDICTS, json.dumps(FORMULAS[::-1])],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert json.loads(out.stdout)[::-1] == here


def _tap_pairs_by_point(c: counting.Columns) -> tuple[np.ndarray, np.ndarray]:
    """The tap pairs counted one point at a time (the definition)."""
    rows = counting.steps_window(c)[0]
    inside, padded = np.zeros_like(rows), np.zeros_like(rows)
    for q in range(len(rows)):
        for i in range(int(rows[q])):
            for m in range(int(c["k"][q])):
                j = int(c["s"][q]) * i - int(c["pb"][q]) + int(c["d"][q]) * m
                hit = 0 <= j < int(c["n"][q])
                inside[q] += hit
                padded[q] += not hit
    return inside, padded


@pytest.mark.parametrize("convention", ["pairs", "same", "full"])
def test_tap_pairs_counts_every_live_point(convention):
    c = counting.layer_points(convention, {"n": 9, "k": 4, "s": 3, "p": 2, "d": 2})
    got, want = counting.tap_pairs(c), _tap_pairs_by_point(c)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
