"""Run each mutant's catcher in a fresh child forked from one warm interpreter.

``python tests/mutant_server.py`` imports the third-party libraries every catcher imports
(SymPy, NumPy, SciPy, Hypothesis, pytest; about 0.9 s of CPU per catcher) and then, for each
JSON request on stdin -- ``{"root": ..., "kind": "pytest" | "script", "args": [...]}`` --
forks a child that imports ``symconv`` from ``root`` (the mutated copy; never imported in
this server, and the child checks that the copy is what it imported), runs the catcher
there (``pytest.main(args)``, or the Python source ``args[0]`` as ``__main__``) and exits
with its code; the server answers one JSON line ``{"code", "stdout", "stderr"}``. The
child's environment is the server's (``tests/test_mutants.py`` starts it without ``CI``),
with ``PYTHONPATH`` set to ``root``, as a ``subprocess.run`` of the catcher would have.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
from pathlib import Path


def _child(root: str, kind: str, args: list[str], out: int, err: int) -> None:
    """In the forked child: become a fresh run of the catcher under ``root``; never returns."""
    code = 3
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
        sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
        os.chdir(root)
        os.environ["PYTHONPATH"] = root
        here = str(Path(__file__).resolve().parent)
        sys.path[:] = [root] + [p for p in sys.path if p not in ("", here)]
        import symconv

        assert Path(symconv.__file__).resolve().is_relative_to(Path(root).resolve()), \
            symconv.__file__
        if kind == "pytest":
            import pytest

            code = int(pytest.main(args))
        else:
            try:
                exec(compile(args[0], "<catcher>", "exec"), {"__name__": "__main__"})
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (stop.code is not None)
    except BaseException:  # a crash of the catcher itself: exit 3, as Python's traceback
        import traceback

        traceback.print_exc()
        code = 3
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve_one(request: dict, timeout: float) -> dict:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:
            _child(request["root"], request["kind"], request["args"], out.fileno(),
                   err.fileno())
        signal.alarm(int(timeout))
        try:
            _, status = os.waitpid(pid, 0)
        except InterruptedError:  # pragma: no cover - the alarm: the catcher hung
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        finally:
            signal.alarm(0)
        out.seek(0)
        err.seek(0)
        return {"code": os.waitstatus_to_exitcode(status),
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace")}


def main() -> None:
    """Warm up, then answer one request per line of stdin until it closes."""
    import _pytest.main  # noqa: F401
    import hypothesis  # noqa: F401
    import numpy  # noqa: F401
    import scipy.sparse  # noqa: F401
    import sympy  # noqa: F401

    def hung(*_):
        raise InterruptedError

    signal.signal(signal.SIGALRM, hung)
    timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 300.0
    for line in sys.stdin:
        print(json.dumps(_serve_one(json.loads(line), timeout)), flush=True)


if __name__ == "__main__":
    main()
