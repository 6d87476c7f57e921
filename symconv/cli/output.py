"""The files a command writes: checked before any work, written all together or none.

With ``--smt FILE`` (:func:`run_recording_smt`) the files a command asks for are held
back while its SMT queries are recorded, then written together with the SMT file.

Examples
--------
>>> import argparse
>>> check_outputs(argparse.Namespace(latex=None, markdown=None), "latex", "markdown")
{}
>>> check_outputs(argparse.Namespace(latex="a.tex", markdown="a.tex"), "latex", "markdown")
Traceback (most recent call last):
    ...
symconv.cli.exits.UsageError: --latex and --markdown must name different files, \
got ['a.tex', 'a.tex']
"""

from __future__ import annotations

import argparse
import os

from .exits import UsageError

__all__ = ["check_outputs", "run_recording_smt", "write_outputs"]


def check_outputs(args: argparse.Namespace, *options: str) -> dict[str, str]:
    """Each output option given, checked before any work: ``{option: path}``."""
    given = {option: getattr(args, option) for option in options if getattr(args, option)}
    if not given:  # nothing to write: the renderer is not imported
        return given
    from ..render.files import check_output_path

    for option, path in given.items():
        check_output_path(path, f"--{option}")
    if len({os.path.realpath(path) for path in given.values()}) < len(given):
        raise UsageError(f"{' and '.join(f'--{o}' for o in given)} must name different files, "
                         f"got {list(given.values())}")
    return given


#: Files a command asked to write, held back while ``--smt`` records (then all are
#: written together with the SMT file, or none); ``None`` when nothing is held back.
_PENDING: dict[str, str] | None = None


def write_outputs(outputs: dict[str, str]) -> None:
    """Write every output of a command together, or none (held back while --smt records)."""
    if _PENDING is not None:
        _PENDING.update(outputs)
        return
    if outputs:  # nothing to write: the renderer is not imported
        from ..render.files import write_all

        write_all(outputs)


def run_recording_smt(args: argparse.Namespace) -> int:
    """Run the command; with ``--smt FILE``, write every SMT query it asked (SMT-LIB 2)."""
    if not getattr(args, "smt", None):
        return args.run(args)
    from ..certify import recording, smtlib_script
    from ..render.files import check_output_path

    global _PENDING
    check_output_path(args.smt, "--smt")
    _PENDING = {}
    try:
        with recording() as certificates:
            code = args.run(args)
        outputs, _PENDING = {**_PENDING, args.smt: smtlib_script(certificates)}, None
    finally:
        _PENDING = None
    write_outputs(outputs)  # --latex, --markdown and --smt together, or none
    return code
