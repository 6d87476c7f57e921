"""The command line: outputs, JSON documents, exit codes, no tracebacks."""

import json
import subprocess
import sys

import pytest

from symconv.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_names_the_catalogue(capsys):
    code, out, _ = run(capsys, "list", "--json")
    names = [t["name"] for t in json.loads(out)["theorems"]]
    assert code == 0 and {"transpose", "adjoint", "flip"} <= set(names)


def test_prove_json_has_the_contract_keys(capsys):
    code, out, _ = run(capsys, "prove", "transpose", "--input", "5,5", "--kernel", "3,3",
                       "--stride", "2", "--padding", "1", "--json")
    doc = json.loads(out)
    assert code == 0
    assert {"theorem", "verdict", "evidence", "parameters", "counterexample",
            "statement"} <= set(doc)
    assert doc["verdict"] == "proved" and "symbolic" in doc["evidence"]
    assert doc["parameters"]["input_shape"] == [5, 5] and doc["parameters"]["padding"] == 1


def test_prove_text_prints_the_derivation(capsys):
    code, out, _ = run(capsys, "prove", "flip", "--input", "3", "--kernel", "2")
    assert code == 0
    assert out.startswith("== flip: PROVED")
    assert "Proved symbolically at input_shape=(3,)" in out


def test_per_side_padding_option(capsys):
    code, out, _ = run(capsys, "prove", "flip", "--input", "4", "--kernel", "3",
                       "--padding", "0:2", "--json")
    assert code == 0 and json.loads(out)["parameters"]["padding"] == [[0, 2]]


def test_asymmetric_padding_for_transpose_is_bad_input(capsys):
    code, out, _ = run(capsys, "prove", "transpose", "--input", "4", "--kernel", "3",
                       "--padding", "0:1")
    # asymmetric padding has no PyTorch ConvTranspose: a usage problem, not a refutation
    assert code == 2


@pytest.mark.parametrize(("argv", "message"), [
    (["prove", "transpos"], "did you mean transpose"),
    (["prove", "transpose", "--stride", "0"], "stride must be an integer >= 1, got 0"),
    (["prove", "transpose", "--stride", "two"], "--stride must be an integer"),
    (["prove", "transpose", "--input", "2", "--kernel", "3"], "input_shape[0] >= 3"),
    (["prove", "flip", "--param", "shift"], "--param must look like NAME=VALUE"),
    (["prove", "flip", "--param", "shift=1"], "takes no parameter 'shift'"),
    (["prove", "flip", "--padding", "sideways"], "padding must be an integer or a known name"),
    (["prove"], "prove needs a theorem NAME or --all"),
    (["prove", "--all", "flip"], "prove --all takes no NAME"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_two_with_a_message_and_no_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_unwritable_latex_path_is_exit_two(capsys, tmp_path):
    target = tmp_path / "missing-dir" / "x.tex"
    code, _, err = run(capsys, "prove", "flip", "--input", "3", "--kernel", "2",
                       "--latex", str(target))
    assert code == 2 and str(target) in err
    assert not target.exists()


def test_python_dash_m_and_console_script_agree():
    result = subprocess.run([sys.executable, "-m", "symconv", "prove", "flip", "--input", "3",
                             "--kernel", "2", "--json"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "proved"
    bad = subprocess.run([sys.executable, "-m", "symconv", "prove", "nope"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_refuted_claim_exits_one_and_prints_its_counterexample(capsys):
    code, out, _ = run(capsys, "prove", "strided-equivariance", "--param", "shift=1", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["verdict"] == "refuted" and doc["evidence"] == []
    assert doc["counterexample"]["shift"] == 1


def test_latex_and_markdown_files_are_written(capsys, tmp_path):
    tex, md = tmp_path / "t.tex", tmp_path / "t.md"
    code, _, _ = run(capsys, "prove", "flip", "--input", "3", "--kernel", "2",
                     "--latex", str(tex), "--markdown", str(md))
    assert code == 0
    assert tex.read_text().startswith("\\documentclass") and "\\end{document}" in tex.read_text()
    assert "$$" in md.read_text() and "flip" in md.read_text()


def test_check_formula_cli_proves_and_refutes(capsys):
    code, out, _ = run(capsys, "check-formula", "floor((n + 2*p - d*(k - 1) - 1)/s) + 1",
                       "--quantity", "output_size", "--json")
    assert code == 0 and json.loads(out)["verdict"] == "proved"
    code, out, _ = run(capsys, "check-formula", "floor((n + 2*p - k)/s) + 1", "--json")
    assert code == 1 and json.loads(out)["counterexample"] is not None
    code, _, err = run(capsys, "check-formula", "__import__('os')")
    assert code == 2 and "Traceback" not in err


def test_shape_cli_table_and_json(capsys):
    code, out, _ = run(capsys, "shape", "3x224x224", "conv(64, k=7, s=2, p=3)",
                       "maxpool(3, s=2, p=1)", "--json")
    layers = json.loads(out)["layers"]
    assert code == 0 and layers[-1]["output_shape"] == [64, 56, 56]
    assert layers[-1]["receptive_field"] == [11, 11]
    code, _, err = run(capsys, "shape", "3x8x8", "conv(4, k=9)")
    assert code == 2 and "layer 1" in err


def test_figure_writes_svg_and_tikz_at_any_parameters(capsys, tmp_path):
    import xml.etree.ElementTree as ET

    svg, tikz = tmp_path / "w.svg", tmp_path / "w.tex"
    code, _, _ = run(capsys, "figure", "window", "--input", "5,5", "--kernel", "3,3",
                     "--stride", "2", "--padding", "1", "--position", "1,1",
                     "--svg", str(svg), "--tikz", str(tikz))
    assert code == 0
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert "tikzpicture" in tikz.read_text()
    code, out, _ = run(capsys, "figure", "sparsity", "--input", "4", "--kernel", "3")
    assert code == 0 and ET.fromstring(out).tag.endswith("svg")
    code, _, err = run(capsys, "figure", "window", "--input", "5,5", "--kernel", "3,3",
                       "--position", "9,9")
    assert code == 2 and "--position must be an output position inside (3, 3)" in err


def test_fc_vs_conv_gives_the_notes_ratios(capsys):
    code, out, _ = run(capsys, "fc-vs-conv", "1x32x32", "--kernel", "2", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["params_ratio"] == "246016" and doc["macs_ratio"] == "256"
    code, _, err = run(capsys, "fc-vs-conv", "1x32x32", "--kernel", "40")
    assert code == 2 and "input_shape[0] >= 40" in err


def test_smt_latex_and_markdown_are_written_together_or_not_at_all(tmp_path, monkeypatch):
    import symconv.certify as certify
    from symconv.cli import main

    def argv(stem):
        return ["prove", "output-size", "--latex", str(tmp_path / f"{stem}.tex"),
                "--markdown", str(tmp_path / f"{stem}.md"), "--smt", str(tmp_path / f"{stem}.smt2")]

    assert main(argv("good")) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"good.tex", "good.md", "good.smt2"}
    first = (tmp_path / "good.smt2").read_text()
    assert main(argv("again")) == 0  # proved before in this process: the queries are cached
    assert first.count("(check-sat)") == (tmp_path / "again.smt2").read_text().count(
        "(check-sat)") > 0
    for path in tmp_path.glob("again.*"):
        path.unlink()

    def broken(certificates):
        raise RuntimeError("the SMT text could not be produced")

    monkeypatch.setattr(certify, "smtlib_script", broken)
    assert main(argv("bad")) == 3
    assert {p.name for p in tmp_path.iterdir()} == {"good.tex", "good.md", "good.smt2"}
