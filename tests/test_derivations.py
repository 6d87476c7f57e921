"""The notes runner: records each script's proofs and writes the notes folder."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "derivations"


def load_runner():
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_topic_of_the_notes_has_a_script():
    names = {p.stem for p in load_runner().scripts()}
    assert {"convolution_vs_correlation", "transposed_convolution", "equivariance_and_pooling",
            "backpropagation", "fully_connected_vs_convolution", "convolution_theorem"} <= names


def test_runner_records_a_scripts_proofs_and_writes_its_notes(tmp_path, monkeypatch):
    runner = load_runner()
    code, proofs = runner.run_recording(ROOT / "convolution_theorem.py", quiet=True)
    assert code == 0
    assert proofs and all(p.verdict in ("proved", "refuted") for p in proofs)
    assert len({(p.theorem, str(p.parameters)) for p in proofs}) == len(proofs)
    written = runner.write_notes(proofs, tmp_path, "convolution_theorem", pdf=False)
    names = {p.name for p in written}
    assert {"convolution_theorem.tex", "convolution_theorem.md"} <= names
    tex = (tmp_path / "convolution_theorem.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.count("\\section") >= len(proofs)


def test_runner_fails_when_a_script_fails(tmp_path):
    runner = load_runner()
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nsys.exit(1)\n")
    code, proofs = runner.run_recording(bad, quiet=True)
    assert code == 1 and proofs == []


@pytest.mark.parametrize("stem", ["convolution_theorem"])
def test_runner_restores_prove(stem):
    import symconv

    original = symconv.prove
    load_runner().run_recording(ROOT / f"{stem}.py", quiet=True)
    assert symconv.prove is original


def test_notes_compile_to_pdf_with_figures(tmp_path):
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    runner = load_runner()
    _, proofs = runner.run_recording(ROOT / "convolution_vs_correlation.py", quiet=True)
    written = runner.write_notes(proofs[:2], tmp_path, "topic", pdf=True)
    assert (tmp_path / "topic.pdf").read_bytes().startswith(b"%PDF")
    tex = (tmp_path / "topic.tex").read_text()
    assert "\\symconvfigure" in tex and any(p.suffix == ".svg" for p in written)
    assert "tikzpicture" in tex  # compiled above: with pgf installed (CI), the TikZ branch


def test_notes_open_with_the_seeds_claims_quoted_as_written(tmp_path):
    import re
    import shutil
    import subprocess

    runner = load_runner()
    intro = runner.introduction(ROOT / "convolution_vs_correlation.py")
    assert "「卷积的长度=长火车的车厢数+短火车的车厢数-1」" in intro and "Run:" not in intro
    _, proofs = runner.run_recording(ROOT / "convolution_vs_correlation.py", quiet=True)
    pdf = shutil.which("xelatex") and shutil.which("pdftotext")
    runner.write_notes(proofs[:1], tmp_path, "topic", pdf=bool(pdf), introduction=intro)
    assert "卷积的长度" in (tmp_path / "topic.md").read_text()
    assert r"\symconvscript{「卷积的长度" in (tmp_path / "topic.tex").read_text()
    if not pdf:
        pytest.skip("xelatex or pdftotext not installed: the PDF's text is not checked")
    text = subprocess.run(["pdftotext", str(tmp_path / "topic.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "[non-Latin text]" not in text
    assert "卷积的长度=长火车的车厢数+短火车的车厢数-1" in flat
    assert "我们平时说的卷积" in flat


def test_the_claims_a_script_checks_are_in_its_notes():
    runner = load_runner()
    script = ROOT / "transposed_convolution_as_a_claim.py"
    code, proofs = runner.run_recording(script, quiet=True)
    assert code == 0 and {p.theorem for p in proofs} == {"claim"}
    assert len({p.statement for p in proofs}) == len(proofs) > 3  # each claim kept
    assert len(runner.briefs(proofs)) == len(proofs)
    import symconv

    assert symconv.check.__name__ == "check"  # restored
