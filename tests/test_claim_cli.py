"""`symconv check`: exit codes, JSON, files, the grammar, bad input without a traceback."""

from __future__ import annotations

import json

import pytest

from symconv.cli import main

RECIPE = "conv_transpose(y, k, stride=s) == corr(pad(upsample(y, s), K - 1), flip(k))"
DOMAIN = "1 <= m <= 4, K <= 3, s <= 2"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_true_claim_is_verified_exit_4(capsys):
    code, out, _ = run(capsys, "check", RECIPE, "--shapes", "y=m, k=K", "--domain", DOMAIN)
    assert code == 4 and "VERIFIED [symbolic, exhaustive, numeric]" in out and DOMAIN[:10] in out


def test_a_false_claim_is_refuted_exit_1_with_json(capsys):
    code, out, _ = run(capsys, "check", RECIPE.replace("flip(k)", "k"), "--shapes",
                       "y=m, k=K", "--domain", DOMAIN, "--json")
    doc = json.loads(out)
    assert code == 1 and doc["verdict"] == "refuted"
    assert {"theorem", "verdict", "evidence", "parameters", "counterexample",
            "statement"} <= set(doc)
    assert [doc["counterexample"][k] for k in ("m", "K", "s", "step")] == [1, 2, 1, 1]


def test_a_claim_at_stated_sizes_is_proved_exit_0(capsys):
    code, out, _ = run(capsys, "check", "flip(flip(x)) == x", "--shapes", "x=(3, 2)")
    assert code == 0 and "PROVED [symbolic, numeric]" in out


def test_latex_and_markdown_files_are_written(capsys, tmp_path):
    tex, md = tmp_path / "c.tex", tmp_path / "c.md"
    code, _, _ = run(capsys, "check", "corr(x, k) == conv(x, k)", "--shapes", "x=n, k=K",
                     "--latex", str(tex), "--markdown", str(md))
    assert code == 1
    assert tex.read_text().startswith("\\documentclass") and "\\boxed{" in tex.read_text()
    assert "\\operatorname{corr}" in md.read_text()


def test_grammar_flag_prints_the_grammar_file(capsys):
    code, out, _ = run(capsys, "check", "--grammar")
    assert code == 0 and "claim: expr" in out


@pytest.mark.parametrize("argv, words", [
    (["check", "korr(x, k) == x", "--shapes", "x=n, k=K"], ["did you mean corr"]),
    (["check", "corr(x, k)", "--shapes", "x=n, k=K"], ["no '=='"]),
    (["check", "corr(x, k) == x", "--shapes", "x=n"], ["signal 'k' must have a shape"]),
    (["check", "corr(x, k) == x", "--shapes", "x=n k=K"], ["shapes is not valid text"]),
    (["check"], ["needs a CLAIM"]),
])
def test_bad_input_is_exit_2_without_a_traceback(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    for word in words:
        assert word in err


def test_bad_input_writes_no_file(capsys, tmp_path):
    tex = tmp_path / "c.tex"
    code, _, _ = run(capsys, "check", "korr(x, k) == x", "--shapes", "x=n, k=K",
                     "--latex", str(tex))
    assert code == 2 and not tex.exists()


def _claim_proofs():
    import symconv as sc

    shapes = {"y": "m", "k": "K"}
    yield sc.check(RECIPE, shapes=shapes, domain=DOMAIN)
    yield sc.check(RECIPE.replace("flip(k)", "k") + " == conv(y, k)", shapes=shapes,
                   domain=DOMAIN)
    yield sc.check("flip(x) == x", shapes={"x": "(n, n)"}, domain="n <= 3")
    yield sc.check("corr(x, k) == conv(x, k)", shapes={"x": (12, 12), "k": (3, 3)})
    yield sc.check('K * avg_pool(x, K) == corr(x, ones(K), stride=K) == pad(dot(x, x) * x, n // 2)',
                   shapes={"x": "n"}, domain="n <= 4, K <= 2")
    yield sc.check('max_pool(shift(x, 1, mode="circular"), 2) == shape(x) - 1', shapes="x=n")


def test_every_claim_formula_renders_in_katex():
    import os
    import shutil
    import subprocess
    from pathlib import Path

    from symconv.render.markdown import formulas

    root = Path(__file__).resolve().parents[1]
    modules = [p for p in (root / "node_modules", Path(os.environ.get("NODE_PATH", "")))
               if (p / "katex").is_dir()]
    if shutil.which("node") is None or not modules:
        pytest.skip("node or node_modules/katex missing")
    found = [{"tex": tex, "display": display} for proof in _claim_proofs()
             for tex, display in formulas(proof.markdown())]
    assert len(found) >= 10
    run = subprocess.run(["node", str(root / "tests" / "katex_render.js")], cwd=root,
                         input=json.dumps(found), capture_output=True, text=True, timeout=120,
                         check=True, env={**os.environ, "NODE_PATH": str(modules[0])})
    assert json.loads(run.stdout) == []


def test_a_refuted_chain_compiles_with_pdflatex():
    import shutil

    from symconv.render.files import compile_pdf

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    proofs = list(_claim_proofs())
    assert compile_pdf(proofs[1].latex(standalone=True)).startswith(b"%PDF")
    assert compile_pdf(proofs[2].latex(standalone=True)).startswith(b"%PDF")


def test_help_ends_with_the_grammar(capsys):
    code, out, _ = run(capsys, "check", "--help")
    assert code == 0 and out.rstrip().endswith("%ignore WS") and "claim: expr" in out


def test_check_prints_the_brief_by_default_and_every_step_with_full(capsys):
    argv = ("check", RECIPE, "--shapes", "y=m, k=K", "--domain", DOMAIN)
    _, short, _ = run(capsys, *argv)
    _, full, _ = run(capsys, *argv, "--full")
    _, detail, _ = run(capsys, *argv, "--detail", "full")
    assert "-- Full derivation" in short and "--full on the command line" in short
    assert "-- Numeric cross-check" not in short
    assert "-- Numeric cross-check" in full and "-- Full derivation" not in full
    assert detail == full
    assert "VERIFIED [symbolic, exhaustive, numeric]" in short  # the verdict is the proof's


def test_the_brief_of_a_chain_keeps_every_step_line(capsys):
    chain = RECIPE + " == corr(upsample(y, s), k)"
    code, out, _ = run(capsys, "check", chain, "--shapes", "y=m, k=K", "--domain", DOMAIN)
    assert code == 1 and "-- Step 1" in out and "-- Step 2" in out and "-- Counterexample" in out


def test_json_is_the_whole_proof_whatever_the_detail(capsys):
    _, out, _ = run(capsys, "check", RECIPE, "--shapes", "y=m, k=K", "--domain", DOMAIN,
                    "--json")
    assert "Numeric cross-check" in [step["title"] for step in json.loads(out)["steps"]]
