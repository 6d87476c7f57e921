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
