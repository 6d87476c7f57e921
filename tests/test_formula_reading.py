"""The formula checker reads exactly what the user typed, and never overstates (issue 18).

The Mod family: SymPy 1.14's ``Mod`` simplifies wrongly for positive-integer symbols, so
a parser building ``sympy.Mod`` checks and proves another formula than the one typed.
Every template below is compared with Python's own ``%`` on integers (object arrays, so
each operation is Python's), computed here independently of symconv.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy

import symconv.parametric as pm
from symconv import formula
from symconv.cli import main
from symconv.formula import check_formula, evaluate_many, parse_formula, parse_tree, to_sympy
from symconv.geometry import conv_output_size
from symconv.prover import budget, implication, search
from symconv.sizes import check as sizes_check

TORCH = "floor((n + 2*p - d*(k - 1) - 1)/s) + 1"

# 15 x 15 = 225 templates, integer operations only, each divisor at least 1.
LEFT = ["n % k", "(n % k) * 2", "2*(n % k)**2", "(n % s) % k", "n % (k % s + 1)",
        "(n + p) % s", "(2*n) % (k + 1)", "(n % k) * (n % s)", "d*(n % 3)", "(n % k)**2",
        "-n % k", "(n - k) % s", "3*(n % 2)", "n % 3 * 2", "(n % k + 1) % 2"]
RIGHT = ["% 3", "% k", "% s", "* 2 % 3", "% (k + 1)", "% 2 * 3", "* (n % 2) % 3",
         "% (s % k + 1)", "+ n % k", "- 2*(n % k)**2 % 3", "// 2 % 3", "% 5", "* k % s",
         "% (d + 1)", "% 7"]
TEMPLATES = [f"({a}) {b}" for a, b in itertools.product(LEFT, RIGHT)]
GRID = {v: g.ravel() for v, g in zip("nkspd", np.meshgrid(
    np.arange(1, 13), np.arange(1, 6), np.arange(1, 5), np.arange(0, 3), np.arange(1, 4),
    indexing="ij"))}


def python_values(text: str) -> np.ndarray:
    """The template evaluated by Python's own integer operators, point by point."""
    code = compile(text, "<template>", "eval")
    names = {v: col.astype(object) for v, col in GRID.items()}
    return np.asarray(eval(code, {"__builtins__": {}}, names), dtype=object)  # noqa: S307


def agrees(expr, expected: np.ndarray) -> bool:
    num, den, undefined = evaluate_many(expr, GRID)
    return not undefined.any() and bool(np.all(num == expected * den))


def test_all_225_mod_templates_are_read_as_python_reads_them():
    misread = [t for t in TEMPLATES
               if not (agrees(parse_tree(t), python_values(t))
                       and agrees(parse_formula(t), python_values(t)))]
    assert len(TEMPLATES) == 225 and misread == []


def test_the_sympy_form_has_no_mod():
    for text in TEMPLATES:
        assert not to_sympy(parse_tree(text)).has(sympy.Mod), text


def smallest_python_counterexample(text: str) -> dict[str, int]:
    """The least failing point (sum of n, k, s, p, d, then lexicographic), by Python."""
    expected = np.array([torch_output_size(dict(zip("nkspd", pt))) for pt in zip(
        GRID["n"], GRID["k"], GRID["s"], GRID["p"], GRID["d"])], dtype=object)
    fits = GRID["d"] * (GRID["k"] - 1) + 1 <= GRID["n"] + 2 * GRID["p"]
    bad = [tuple(int(GRID[v][i]) for v in "nkspd")
           for i in np.flatnonzero(fits & (python_values(_pythonic(text)) != expected))]
    best = min(bad, key=lambda pt: (sum(pt), pt))
    return dict(zip("nkspd", best))


def torch_output_size(point: dict[str, int]) -> int:
    n, k, s, p, d = (int(point[v]) for v in "nkspd")
    return conv_output_size(n, k, s, p, p, d)


def _pythonic(text: str) -> str:
    """TORCH's floor((...)/s) as Python's integer (...)//s."""
    return text.replace(TORCH, "(n + 2*p - d*(k - 1) - 1)//s + 1")


@pytest.mark.parametrize("mod_part", [
    "(n % k) * 2 % 3 - 2*(n % k)**2 % 3",     # the issue's formula: false
    "(n % s) % k - n % s",                    # false
    "n % (k % s + 1) - n % (k % s + 1) * 1",  # true (0)
    "2*(n % 3) % 3 - (2*n) % 3",              # true: SymPy's Mod made it 2*Mod(n, 3) - ...
    "(n % k) * 2 % 3 - ((n % k) * 2) % 3",    # true: the same thing twice
])
def test_mod_formulas_get_their_true_verdicts(mod_part):
    text = f"{TORCH} + {mod_part}"
    python_true = bool(np.all(python_values(mod_part) == 0))
    proof = check_formula(text, "output_size")
    if python_true:
        assert proof.verdict in ("proved", "verified") and proof.counterexample is None
    else:
        assert proof.verdict == "refuted"
        expected = smallest_python_counterexample(text)
        assert {v: proof.counterexample[v] for v in "nkspd"} == expected


def test_the_issue_formula_is_refuted_at_its_smallest_failing_point(capsys):
    text = f"{TORCH} + (n % k) * 2 % 3 - 2*(n % k)**2 % 3"
    assert main(["check-formula", text, "--quantity", "output_size", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "refuted"
    assert out["counterexample"] == {"n": 2, "k": 3, "s": 1, "p": 1, "d": 1, "formula": 1,
                                     "truth": 2}


def test_a_sympy_form_that_differs_from_the_text_is_never_used_for_a_proof(monkeypatch):
    # Plant a misreading: the SymPy form gains floor(n/1000), the text does not.
    real = formula.to_sympy
    top = parse_tree(TORCH, ("n", "k", "s", "p", "d"))
    monkeypatch.setattr(sizes_check, "to_sympy", lambda tree: real(tree) + sympy.floor(
        formula.SYMBOLS["n"] / 1000) if tree == top else real(tree))
    calls = []
    monkeypatch.setattr(sizes_check, "formula_proof", lambda *a, **k: calls.append(a))
    proof = check_formula(TORCH, "output_size")
    assert calls == [] and proof.verdict == "verified"
    step = next(s for s in proof.steps if s.title == "SymPy form not used")
    assert "as written: " in step.text and "n=1000" not in proof.domain


def test_the_reading_check_is_stated_before_a_proof():
    proof = check_formula(TORCH)
    titles = [s.title for s in proof.steps]
    assert proof.verdict == "proved"
    assert titles.index("Reading check") < titles.index(
        "Proof for all sizes: the formula is the output_size (torch)")


# ---------------------------------------------------------------------------
# Honest verdicts: verified names D, vacuous is its own outcome
# ---------------------------------------------------------------------------

def test_verified_never_says_proved_and_names_the_domain(capsys):
    code = main(["check-formula", "floor(n/s)", "--quantity", "macs", "--fix", "p=1", "--fix",
                 "k=1", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 4 and out["verdict"] == "verified" and out["evidence"] == ["exhaustive"]
    assert out["domain"].startswith("every valid 1-D geometry") and "k=1" in out["domain"]
    texts = " ".join(s["text"] for s in out["steps"])
    assert "proved on this domain" not in texts and "not proved" in texts
    assert out["conclusion"].startswith(f"Verified on {out['domain']}")


def test_an_empty_domain_is_vacuous_not_proved(capsys):
    code = main(["check-formula", "12345", "--quantity", "pool_output_size", "--fix", "p=3",
                 "--fix", "k=1", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 5 and out["verdict"] == "vacuous" and out["evidence"] == []
    assert "(0 points)" in out["domain"]
    assert [s["title"] for s in out["steps"]][-1] == "Empty domain"
    assert not any("Proof for all sizes" in s["title"] for s in out["steps"])


# ---------------------------------------------------------------------------
# Red team: false beyond the search caps or at hidden points; never proved
# ---------------------------------------------------------------------------

def python_formula(text: str, point: dict[str, int]) -> Fraction:
    """The formula at a point by Python's own exact arithmetic (Fractions)."""
    names = {v: Fraction(x) for v, x in point.items()}
    names.update(floor=math.floor, min=min, max=max, abs=abs)
    return Fraction(eval(compile(text, "<formula>", "eval"), {"__builtins__": {}}, names))  # noqa: S307


@pytest.mark.parametrize("text", [
    f"{TORCH} + floor(d/101)",
    f"{TORCH} + floor(s/1001)",
    "floor((min(n, 1000001) + 2*p - d*(k - 1) - 1)/s) + 1",
    "floor((n + 2*p - d*(k - 1) - 1)/min(s, 1000)) + 1",
    f"{TORCH} + floor(1/(abs(n - (k + 4)**7) + 1))",
    f"{TORCH} + floor(n/(1000*1001))",
])
def test_red_team_formulas_are_refuted_at_a_true_counterexample(text):
    proof = check_formula(text, "output_size")
    assert proof.verdict == "refuted" and proof.evidence == []
    point = {v: proof.counterexample[v] for v in "nkspd"}
    truth = torch_output_size(point)
    assert proof.counterexample["truth"] == truth
    assert proof.counterexample["formula"] == python_formula(text, point) != truth


# ---------------------------------------------------------------------------
# Bounded proof search
# ---------------------------------------------------------------------------

def test_a_negative_power_in_a_hypothesis_does_not_hang_and_is_proved():
    proof = check_formula("floor(max((n + 2*p - d*(k - 1) - 1)/s, 0)) + 1")
    assert proof.verdict == "proved" and proof.evidence == ["parametric", "exhaustive"]


def test_product_facts_treat_a_negative_power_as_an_atom():
    n, s = pm.SYMBOLS["n"], pm.SYMBOLS["s"]
    linear = implication._linear
    rows = [linear(n * s**-1 - 1), linear(n - 1), linear(s - 1)]
    assert implication._product_facts(rows) == []
    # and no bound x**-1 >= lx**-1 is read off x >= lx (it is an upper bound)
    assert implication._monomial_bound(s**-1, {s: Fraction(1)}) is None


def test_a_ratio_is_non_negative_when_its_denominator_is_at_least_one():
    n, s, k = pm.SYMBOLS["n"], pm.SYMBOLS["s"], pm.SYMBOLS["k"]
    assert pm.implied((n - 1) / s, [n - 1, s - 1])
    assert not pm.implied(n / s - 1, [n - 1, s - 1])
    assert not pm.implied((n - k) / s, [n - 1, k - 1, s - 1])


@pytest.fixture
def tiny_budget(monkeypatch):
    # the definition proved and re-checked at full budget; then every search starts afresh
    assert pm.definition_proof("output_size", "torch").check()
    search._prove_for_all.cache_clear()
    monkeypatch.setattr(budget, "PROOF_BUDGET", 2)
    yield
    search._prove_for_all.cache_clear()


def test_an_exhausted_budget_without_the_smt_judge_is_not_proved(tiny_budget, monkeypatch):
    from symconv.prover import judge as certify

    certify._certify.cache_clear()
    monkeypatch.setitem(sys.modules, "z3", None)  # no second judge to decide instead
    proof = check_formula(TORCH)
    certify._certify.cache_clear()
    assert proof.verdict == "verified" and proof.evidence == ["exhaustive"]


def test_an_exhausted_budget_leaves_the_decision_to_the_smt_judge(tiny_budget):
    pytest.importorskip("z3")
    proof = check_formula(TORCH)
    step = next(s for s in proof.steps if s.title == "Proof search out of budget")
    assert "undecided within budget" in step.text and "2 steps" in step.text
    titles = [s.title for s in proof.steps]
    assert proof.verdict == "proved" and any("SMT" in t for t in titles)
    assert not any(t.startswith("Lemma") for t in titles)  # no lemma chain: SMT decided


def test_an_exhausted_budget_outside_check_formula_gives_up_soundly(tiny_budget):
    n, s = pm.SYMBOLS["n"], pm.SYMBOLS["s"]
    assert pm.prove_for_all(sympy.ceiling(n / s), pm.Windows(n - 1, s), [n - 1, s - 1]) is None
    with pytest.raises(pm.ProofBudgetExceeded):
        pm.formula_proof(parse_formula(TORCH), "output_size", "torch")


def _one_convention_per_quantity() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for (quantity, convention), entry in formula.QUANTITIES.items():
        if not entry.definition.startswith("#"):
            seen.setdefault(quantity, convention)
    return list(seen.items())


@pytest.mark.parametrize("quantity, convention", _one_convention_per_quantity())
def test_the_mod_family_gets_true_verdicts_for_every_quantity(quantity, convention):
    # (x % 3)*2 % 3 - 2*(x % 3)**2 % 3 is -1 where x % 3 == 2, else 0 (Python's %), and
    # 2*(x % 3) % 3 - (2*x) % 3 is 0; SymPy's Mod reads the first as 0 and the second not.
    entry = formula.QUANTITIES[quantity, convention]
    x = entry.variables[0]
    false = check_formula(f"{entry.definition} + ({x} % 3) * 2 % 3 - 2*({x} % 3)**2 % 3",
                          quantity, convention)
    assert false.verdict == "refuted" and false.counterexample[x] % 3 == 2
    assert false.counterexample["formula"] == false.counterexample["truth"] - 1
    true = check_formula(f"{entry.definition} + 2*({x} % 3) % 3 - (2*{x}) % 3", quantity,
                         convention)
    assert true.verdict in ("proved", "verified") and true.counterexample is None
