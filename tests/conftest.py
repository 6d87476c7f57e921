"""Hypothesis profiles: fast, deadline-free local runs; Hypothesis' own "ci" profile under CI;
"fuzz" (``pytest --hypothesis-profile=fuzz``) for the big budget of the fuzz tests, which take
their number of examples from the profile (run them alone: ``-k fuzz``)."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from symconv.theorems import REGISTRY, theorem

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("fuzz", max_examples=10_000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def plant():
    """Register deliberately false (or true) statements as theorems for one test.

    ``plant(name, check, points)`` registers ``check`` over the parameter ``points``
    (smallest first) and returns ``name``; every planted theorem is removed afterwards.
    """
    planted = []

    def register(name, check, points):
        points = list(points)
        theorem(name, family="planted", statement="planted variant", latex=r"\text{planted}",
                parameters=points[0], domain=lambda: points)(check)
        planted.append(name)
        return name

    yield register
    for name in planted:
        REGISTRY.pop(name)


@pytest.fixture(scope="session")
def derivation_runs(tmp_path_factory):
    """Every derivation script run once per suite, in one fresh process.

    ``{stem: (exit code, recorded proofs, stdout, stderr)}`` from ``tests/derivation_runs.py``
    (the notes runner's ``run_recording``: proofs as ``make demo`` records them). The tests
    that check a script's verdicts, output or notes all read this instead of each running
    the script again (each used to: about 20 s of the suite).
    """
    out = tmp_path_factory.mktemp("derivations") / "runs.pickle"
    helper = Path(__file__).resolve().parent / "derivation_runs.py"
    done = subprocess.run([sys.executable, str(helper), str(out)], capture_output=True,
                          text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return pickle.loads(out.read_bytes())
