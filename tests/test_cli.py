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
    (["prove", "transpose", "--stride", "0"], "stride must be a positive integer, got 0"),
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
