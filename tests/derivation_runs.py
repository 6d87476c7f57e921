"""Run every derivation script once, in this fresh process, and pickle what each did.

``python tests/derivation_runs.py OUT`` runs each ``derivations/<topic>.py`` as
``__main__`` through the notes runner (``derivations/run_all.py``'s ``run_recording``, the
path ``make demo`` takes) and writes ``OUT``: a pickled ``{stem: (exit code, recorded proofs,
stdout, stderr)}``. A script that raises is recorded with exit code 1 (what ``python
script.py`` would exit with), no proofs and the traceback as its stderr.

The suite's session fixture ``derivation_runs`` (``tests/conftest.py``) calls this once, so
the scripts run once per suite, in a process no test has touched, and every test that
needs a script's verdicts, output or notes reads them from there.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import pickle
import sys
import traceback
from pathlib import Path

DERIVATIONS = Path(__file__).resolve().parent.parent / "derivations"


def load_runner():
    """The notes runner ``derivations/run_all.py`` as a module."""
    spec = importlib.util.spec_from_file_location("run_all", DERIVATIONS / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_every_script() -> dict[str, tuple[int, list, str, str]]:
    """Each script's exit code, recorded proofs, stdout and stderr, by stem."""
    runner = load_runner()
    results = {}
    for script in runner.scripts():
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code, proofs = runner.run_recording(script, quiet=False)
        except Exception:  # recorded as the failed run it is
            code, proofs = 1, []
            err.write(traceback.format_exc())
        results[script.stem] = (code, proofs, out.getvalue(), err.getvalue())
    return results


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(pickle.dumps(run_every_script()))
