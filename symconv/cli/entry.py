"""The ``symconv`` parser and entry point: every command registered, errors as exit codes.

Each command family registers itself (``register(sub)``) from its own module; the
commands whose registration imports SymPy (:data:`HEAVY_COMMANDS`) are registered in
full only when they run, and ``symconv shape`` registers nothing else, so neither
``symconv --help`` nor ``symconv shape`` imports SymPy. A traceback is never the user
interface: :func:`main` turns every error into a message on stderr and an exit code
(:mod:`symconv.cli.exits`).

Examples
--------
>>> main(["prove"])
2
>>> main(["no-such-command"])
2
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from .. import progress
from ..errors import SymconvError
from .exits import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_PROVED
from .output import run_recording_smt

__all__ = ["HEAVY_COMMANDS", "build_parser", "main"]


def build_parser(shape_only: bool = False, command: str | None = None
                 ) -> argparse.ArgumentParser:
    """The argparse parser of the ``symconv`` command (``shape_only``: no SymPy imported).

    ``command``: the sub-command about to run; the others whose registration imports SymPy
    (:data:`HEAVY_COMMANDS`) or the network calculator (``shape``) get a stub with their
    help line. None registers all in full.
    """
    parser = argparse.ArgumentParser(
        prog="symconv", description="Prove what notes say about convolution: explicit "
        "symbolic matrices, smallest counterexamples, derivations.")
    sub = parser.add_subparsers(dest="command", required=True)
    if shape_only:  # `symconv shape` needs neither SymPy nor the other commands
        import_module(SHAPE_COMMAND).register(sub)
        return parser
    from . import catalogue, check_formula, fc_vs_conv, figure

    catalogue.register(sub)  # list, prove
    check_formula.register(sub)
    if command in ("shape", None):  # symconv shape: symconv/network/command.py
        import_module(SHAPE_COMMAND).register(sub)
    else:  # importing it imports symconv.network (lark, the layer table): not for prove
        sub.add_parser("shape", help=SHAPE_SUMMARY)
    fc_vs_conv.register(sub)
    figure.register(sub)
    _register_heavy(sub, command)
    return parser


#: The module of ``symconv shape`` and its help line (the same as its parser's).
SHAPE_COMMAND = "symconv.network.command"
SHAPE_SUMMARY = "sizes, params, MACs and receptive fields of a network"

#: Commands whose modules import SymPy (and more) when registered: registered in full only
#: when they run; otherwise a stub with the same help line keeps ``symconv --help`` light.
HEAVY_COMMANDS = {
    "check-impl": ("symconv.cli.check_impl", "lift a convolution implementation to its "
                   "exact matrix, compare it with a reference and name its bug"),
    "check": ("symconv.claim.cli", "check your own identity or chain of steps on a domain "
              "of sizes: verified, or refuted with the smallest counterexample"),
}


def _register_heavy(sub: Any, command: str | None) -> None:
    """Add ``check-impl`` and ``check``: in full for the command that runs, else a stub."""
    for name, (module, summary) in HEAVY_COMMANDS.items():
        if command in (name, None):
            import_module(module).register_cli(sub)
        else:
            sub.add_parser(name, help=summary)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (never raises for bad input)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(shape_only=argv[:1] == ["shape"], command=argv[0] if argv else "")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse printed the usage error
        return int(stop.code or 0) and EXIT_BAD_INPUT
    try:
        with progress.enabled(not getattr(args, "json", False)):  # --json: no progress bar
            return run_recording_smt(args)
    except SymconvError as error:
        print(f"symconv: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ImportError as error:
        print(f"symconv: missing optional backend: {error}", file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more may reach the pipe
        return EXIT_PROVED
    except KeyboardInterrupt:
        print("symconv: interrupted", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as error:  # noqa: BLE001 - the last line of defence: no tracebacks
        print(f"symconv: internal error: {type(error).__name__}: {error} "
              "(please report it with the command you ran)", file=sys.stderr)
        return EXIT_INTERNAL
