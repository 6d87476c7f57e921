"""The seeds' other derivations: losses, regularisation, dropout, softmax, momentum, batch norm.

- every new theorem is proved at its defaults (symbolic + exhaustive), and cross-checked
  against PyTorch exactly where PyTorch has the operation;
- the notes' false claims are refuted with the smallest counterexample (dropout's "multiply
  by p", batch norm's "variance 1", a style target that is not a Gram matrix, weight decay
  without the 1/2);
- without PyTorch no proof names "numeric" and each says "not run";
- a disagreeing PyTorch makes a claim not proved; bad parameters are named errors;
- the derivation scripts decide every claim as expected and their notes compile and render.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import symconv as sc
from symconv.cli import main
from symconv.errors import TheoremError
from symconv.theorems.common import TORCH_NOT_RUN

ROOT = Path(__file__).resolve().parents[1]
#: New theorem -> whether PyTorch has the operation (and so a cross-check runs).
THEOREMS = {
    "content-loss-gradient": False, "style-loss-gradient": False,
    "activation-maximisation": False, "softmax-shift": True,
    "cross-entropy-decomposition": True, "weight-decay": True, "l1-subgradient": True,
    "dropout-test-scale": True, "inverted-dropout": True, "momentum-unrolled": True,
    "batch-norm-moments": True, "maxout-parameters": False,
    "divergences-not-distances": True,
}
#: The theorems about vectors of any length with a derivation for every size n.
FOR_ALL_SIZES = ["softmax-shift", "cross-entropy-decomposition", "batch-norm-moments",
                 "momentum-unrolled"]
SCRIPTS = ["style_transfer_and_visualisation", "softmax_and_cross_entropy",
           "regularisation_and_dropout", "momentum_batch_norm_and_maxout",
           "one_dimensional_convolution"]


@pytest.fixture
def no_torch(monkeypatch):
    """Make ``import torch`` fail, as in an install without the optional backend."""
    for name in ("torch", "torch.nn", "torch.nn.functional", "torch.optim",
                 "torch.optim.sgd"):
        monkeypatch.setitem(sys.modules, name, None)


def steps_text(proof) -> str:
    return " ".join(f"{step.title}: {step.text}" for step in proof.steps)


# ---------------------------------------------------------------------------
# The true claims
# ---------------------------------------------------------------------------

def test_the_catalogue_has_the_new_families():
    families = {t["name"]: t["family"] for t in sc.theorems()}
    assert set(THEOREMS) <= set(families)
    assert {families[name] for name in THEOREMS} == {"losses", "regularisation", "training"}
    assert len(families) == 52


@pytest.mark.parametrize("name", sorted(THEOREMS))
def test_each_theorem_is_proved_at_its_defaults_and_over_its_domain(name):
    p = sc.prove(name)
    assert p.verdict == "proved" and p.counterexample is None
    if p.witness is not None:  # a negative statement, proved by an exact example
        assert p.evidence[0] == "exhaustive" and name == "divergences-not-distances"
        assert (p.witness["p"], p.witness["q"]) == ("(1/2, 1/2)", "(1/4, 3/4)")
    else:
        assert {"symbolic", "exhaustive"} <= set(p.evidence) and "points)" in p.domain
    assert "parametric" not in p.evidence  # no SMT second judge: no proof for all sizes
    with_torch = THEOREMS[name] and importlib.util.find_spec("torch") is not None
    assert ("numeric" in p.evidence) == with_torch
    if with_torch:
        assert "PyTorch agrees" in steps_text(p)


def test_dropout_expectation_is_exact_over_every_mask():
    sympy = pytest.importorskip("sympy")
    regularisation = importlib.import_module("symconv.theorems.regularisation")
    p = regularisation.P
    w, x = regularisation.column(3), regularisation.column(3, "x")
    inverted = regularisation.expected_output(3, 1 / (1 - p), p)
    assert sympy.simplify(inverted - sum(a * b for a, b in zip(w, x))) == 0
    # the same expectation by brute force in NumPy, at p = 1/4 with integer w and x
    rng = np.random.default_rng(0)
    wv, xv = rng.integers(-3, 4, 3), rng.integers(-3, 4, 3)
    masks = np.array(np.meshgrid(*[[0, 1]] * 3)).reshape(3, -1).T
    chance = np.prod(np.where(masks == 1, 0.75, 0.25), axis=1)
    brute = float((chance * (masks * wv * xv).sum(axis=1)).sum())
    exact = regularisation.expected_output(3, sympy.Integer(1), sympy.Rational(1, 4))
    values = {**dict(zip(w, map(int, wv))), **dict(zip(x, map(int, xv)))}
    assert float(exact.subs(values)) == pytest.approx(brute, abs=1e-12)


# ---------------------------------------------------------------------------
# The notes' false claims, refuted with the smallest counterexample
# ---------------------------------------------------------------------------

def test_dropout_multiply_by_p_is_refuted_except_at_one_half():
    wrong = sc.prove("dropout-test-scale", scale="p")
    assert wrong.verdict == "refuted" and wrong.evidence == []
    assert wrong.counterexample["drop_probability"] == "1/3"
    assert wrong.counterexample["holds only at"] == "p = 1/2"
    assert "2*(w_0*x_0" in wrong.counterexample["expected training output"]
    assert sc.prove("dropout-test-scale", scale="p", drop_probability="1/2").verdict == "proved"
    assert sc.prove("dropout-test-scale", scale="p", drop_probability="0.3").verdict == "refuted"
    assert sc.prove("dropout-test-scale", drop_probability="0.3").verdict == "proved"


def test_inverted_dropout_needs_one_over_keep_probability():
    for scale in ("1/p", "1 - p", "1"):
        p = sc.prove("inverted-dropout", scale=scale)
        assert p.verdict == "refuted", scale
    assert sc.prove("inverted-dropout", scale="1/p").counterexample["holds only at"] == "p = 1/2"


def test_batch_norm_variance_is_not_one_at_positive_epsilon():
    p = sc.prove("batch-norm-moments", batch=2, variance="1")
    assert p.verdict == "refuted"
    assert p.counterexample["variance of y"] == "25000/25001"
    assert p.counterexample["gap"] == "-epsilon/(epsilon + sigma^2)"
    assert p.statement.endswith("variance 1.")


def test_style_gradient_needs_a_symmetric_target():
    assert sc.prove("style-loss-gradient", channels=1, positions=3, target="any").verdict \
        == "proved"  # a 1 x 1 target is symmetric
    p = sc.prove("style-loss-gradient", channels=2, positions=1, target="any")
    assert p.verdict == "refuted" and "any style target" in p.statement


def test_weight_decay_factor_needs_the_half():
    p = sc.prove("weight-decay", weights=1, penalty="full")
    assert p.verdict == "refuted" and "lambda ||w||^2" in p.statement


# ---------------------------------------------------------------------------
# PyTorch: run, or say it was not run; a disagreement is not proved
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(n for n, torch in THEOREMS.items() if torch))
def test_without_torch_no_numeric_evidence_and_not_run(no_torch, name):
    p = sc.prove(name, exhaustive=False)
    assert p.verdict == "proved" and "numeric" not in p.evidence
    assert f"is {TORCH_NOT_RUN}" in steps_text(p)


def test_a_disagreeing_pytorch_refutes(monkeypatch):
    pytest.importorskip("torch")
    softmax = importlib.import_module("symconv.theorems.losses")
    monkeypatch.setattr(softmax, "_torch_softmax", lambda torch, classes: False)
    p = sc.prove("softmax-shift", classes=2)
    assert p.verdict == "refuted" and "numeric cross-check" in p.counterexample
    assert "PyTorch disagrees" in steps_text(p)


def test_torch_threads_are_restored():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    sc.prove("batch-norm-moments", batch=2)
    assert torch.get_num_threads() == before


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, parameters, named", [
    ("softmax-shift", {"classes": 0}, "classes"),
    ("cross-entropy-decomposition", {"classes": 99}, "classes"),
    ("content-loss-gradient", {"channels": -1}, "channels"),
    ("style-loss-gradient", {"target": "diagonal"}, "target"),
    ("activation-maximisation", {"filter": 2}, "filter"),
    ("weight-decay", {"penalty": "double"}, "penalty"),
    ("dropout-test-scale", {"drop_probability": "1.5"}, "drop_probability"),
    ("dropout-test-scale", {"drop_probability": "nan"}, "drop_probability"),
    ("dropout-test-scale", {"scale": "2*p"}, "scale"),
    ("inverted-dropout", {"units": 0}, "units"),
    ("momentum-unrolled", {"steps": 0}, "steps"),
    ("batch-norm-moments", {"batch": 1}, "batch"),
    ("batch-norm-moments", {"variance": "2"}, "variance"),
    ("maxout-parameters", {"pieces": 0}, "pieces"),
])
def test_bad_parameters_are_named_errors(name, parameters, named):
    with pytest.raises(TheoremError, match=named):
        sc.prove(name, **parameters)


def test_cli_bad_parameter_exits_2(capsys):
    assert main(["prove", "dropout-test-scale", "--param", "drop_probability=2"]) == 2
    assert "drop_probability must be a probability below 1" in capsys.readouterr().err


def test_cli_refuted_dropout_exits_1(capsys):
    assert main(["prove", "dropout-test-scale", "--param", "scale=p"]) == 1
    assert "holds only at = p = 1/2" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# The derivation scripts and their notes
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def script_proofs(derivation_runs):
    """The scripts' exit codes and recorded proofs, from their one run per suite."""
    return {stem: derivation_runs[stem][:2] for stem in SCRIPTS}


def test_every_script_decides_its_claims_as_expected(script_proofs):
    results = script_proofs
    for stem, (code, proofs) in results.items():
        assert code == 0, stem
        assert proofs and all(p.verdict in ("proved", "refuted") for p in proofs), stem
    verdicts = {(p.theorem, p.verdict) for _, proofs in results.values() for p in proofs}
    assert ("dropout-test-scale", "refuted") in verdicts
    assert ("batch-norm-moments", "refuted") in verdicts
    assert ("full-and-valid-lengths", "proved") in verdicts  # the trains, cross-referenced


def test_scripts_quote_the_seeds_in_chinese():
    for stem in SCRIPTS:
        text = (ROOT / "derivations" / f"{stem}.py").read_text(encoding="utf-8")
        assert "「" in text and "」" in text, stem
    dropout = (ROOT / "derivations" / "regularisation_and_dropout.py").read_text("utf-8")
    assert "只不过权重得乘以p" in dropout


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_the_notes_compile_without_overfull_boxes(script_proofs, tmp_path):
    from symconv.render.latex import notes_latex

    proofs = [p for _, found in script_proofs.values() for p in found]
    (tmp_path / "doc.tex").write_text(notes_latex(proofs, "Seeds 002 and 003"), "utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True, timeout=120, check=False)
    log = (tmp_path / "doc.log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-2000:]
    assert not [line for line in log.splitlines() if line.startswith("Overfull")]


@pytest.mark.skipif(shutil.which("node") is None or not (ROOT / "node_modules" / "katex").is_dir(),
                    reason="node or node_modules/katex missing")
def test_the_notes_render_in_katex(script_proofs):
    from symconv.render.markdown import formulas, notes_markdown

    proofs = [p for _, found in script_proofs.values() for p in found]
    found = [{"tex": tex, "display": display}
             for tex, display in formulas(notes_markdown(proofs, "Seeds"))]
    run = subprocess.run(["node", str(ROOT / "tests" / "katex_render.js")], cwd=ROOT,
                         input=json.dumps(found), capture_output=True, text=True, timeout=120,
                         check=True)
    assert json.loads(run.stdout) == []


# ---------------------------------------------------------------------------
# Derivations for every size n: sum-rewrite chains (shown, not counted as evidence)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", FOR_ALL_SIZES)
def test_the_vector_claims_carry_a_derivation_for_every_size(name):
    from symconv.cli import judges

    size = importlib.import_module("symconv.theorems.symbolic_size")
    p = sc.prove(name, exhaustive=False)
    assert "parametric" not in p.evidence and judges(p) == []
    titles = [step.title for step in p.steps]
    assert size.HEAD_TITLE in titles and "Sum chain" in titles
    assert "adds no 'parametric' evidence" in steps_text(p)
    assert "Proved for all sizes" not in p.evidence_sentence()


def test_a_refuted_claim_carries_no_derivation_for_every_size():
    p = sc.prove("batch-norm-moments", batch=2, variance="1")
    assert p.verdict == "refuted" and "Sum chain" not in [s.title for s in p.steps]


def test_the_chain_checker_rejects_a_wrong_step_and_a_misfiring_lemma(monkeypatch):
    sympy = pytest.importorskip("sympy")
    size = importlib.import_module("symconv.theorems.symbolic_size")
    x = sympy.IndexedBase("x")
    total = sympy.Sum(3 * x[size.IDX], (size.IDX, 1, size.N))
    assert size.check_step(total, "factor-out-of-sum", 3 * sympy.Sum(x[size.IDX], (size.IDX, 1,
                                                                                 size.N)))
    assert not size.check_step(total, "factor-out-of-sum", 2 * sympy.Sum(x[size.IDX], (
        size.IDX, 1, size.N)))
    # a lemma that misfires is caught when the step is evaluated at small n
    wrong = sympy.Sum(x[size.IDX], (size.IDX, 1, size.N))
    lemma = size.LEMMAS["factor-out-of-sum"]
    monkeypatch.setitem(size.LEMMAS, "factor-out-of-sum",
                        size.Lemma(lemma.name, lemma.latex, lambda e: wrong))
    assert not size.check_step(total, "factor-out-of-sum", wrong)


def test_a_chain_that_does_not_check_is_left_out(monkeypatch):
    losses = importlib.import_module("symconv.theorems.losses")
    monkeypatch.setattr(losses, "softmax_shift_for_all", lambda: ((), False))
    p = sc.prove("softmax-shift", classes=3)
    assert p.verdict == "proved" and "Sum chain" not in [s.title for s in p.steps]
