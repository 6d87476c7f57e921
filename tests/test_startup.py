"""Start-up: the command line imports only what the command it runs uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _importtime(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "symconv", *argv],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)


def _imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if "|" in line}


#: Runs the command line as ``python -m symconv`` does and prints every module imported:
#: ``-X importtime`` does not see a module imported by ``importlib.import_module``.
_RUN = ("import contextlib, io, json, sys\n"
        "sys.argv = ['-m', *json.loads(sys.argv[1])]\n"
        "from symconv.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(sys.argv[1:])\n"
        "print(json.dumps([code, sorted(sys.modules)]))")


def _modules(*argv: str) -> set[str]:
    """Every module a ``symconv`` command imports (it must exit 0)."""
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps(argv)], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=True)
    code, modules = json.loads(done.stdout.splitlines()[-1])
    assert code == 0, done.stderr[-500:]
    return set(modules)


def test_help_lists_every_command_without_sympy():
    done = _importtime("--help")
    assert done.returncode == 0
    for command in ("list", "prove", "check-formula", "shape", "check-impl", "check"):
        assert command in done.stdout
    assert "lift a convolution implementation" in done.stdout
    modules = _imported(done.stderr)
    assert "sympy" not in modules and "torch" not in modules
    assert "symconv.claim" not in modules and "symconv.implementations" not in modules


@pytest.mark.parametrize("command, marker", [
    (["check", "--help"], "The claim grammar"),
    (["check-impl", "--help"], "MODULE:FUNCTION"),
])
def test_a_heavy_command_still_gets_its_full_parser(command, marker):
    done = _importtime(*command)
    assert done.returncode == 0 and marker in done.stdout


def test_prove_and_list_import_no_torch_and_no_claim_checker():
    for argv in (["list"], ["prove", "transpose", "--input", "6,6", "--kernel", "3,3"]):
        done = _importtime(*argv)
        assert done.returncode == 0, done.stderr[-500:]
        modules = _imported(done.stderr)
        assert "torch" not in modules and "symconv.implementations" not in modules


def test_prove_imports_only_what_the_proof_uses():
    """``prove transpose`` imports its theorem's module and no other theorem module, nor
    the network calculator, the claim checker, the file writers or the LaTeX renderer."""
    modules = _modules("prove", "transpose", "--input", "6,6", "--kernel", "3,3")
    assert "symconv.theorems.structure" in modules and "sympy" in modules
    theorem_modules = {m for m in modules if m.startswith("symconv.theorems.")
                       and m.count(".") == 2}
    assert theorem_modules == {"symconv.theorems.engine", "symconv.theorems.common",
                               "symconv.theorems.structure",
                               "symconv.theorems.structure_factors",
                               "symconv.theorems.index_proofs"}
    for heavy in ("symconv.network", "symconv.claim", "symconv.render.files",
                  "symconv.render.latex", "symconv.render.markdown", "torch", "scipy"):
        assert heavy not in modules, heavy


@pytest.mark.parametrize("argv", [["list"], ["shape", "3x32x32", "conv(8, k=3)"],
                                  ["check-formula", "--help"], ["--help"],
                                  ["prove", "--help"]])
def test_commands_that_prove_nothing_import_no_sympy(argv):
    modules = _modules(*argv)
    assert "sympy" not in modules and "torch" not in modules


def test_the_shape_stub_has_the_help_line_of_its_parser():
    from symconv.cli import build_parser
    from symconv.network.command import register

    SHAPE_SUMMARY = "sizes, params, MACs and receptive fields of a network"

    def help_line(command):
        sub = next(a for a in build_parser(command=command)._actions
                   if a.dest == "command")
        return next(c.help for c in sub._choices_actions if c.dest == "shape")

    assert help_line("prove") == SHAPE_SUMMARY == help_line(None)
    assert register.__module__ == "symconv.network.command"
