"""``symconv check-formula "EXPR"``: prove or refute a size formula on the command line.

``--fix NAME=VALUE`` checks the slice where a variable is fixed; ``--smt FILE`` writes
the SMT judge's queries (:func:`symconv.cli.output.run_recording_smt`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import Any

from .exits import VERDICT_EXIT, UsageError
from .options import add_detail_options, at_detail

__all__ = ["cmd_check_formula", "fixed_sizes", "register"]


def register(sub: Any) -> None:
    """Add ``check-formula`` to the ``symconv`` sub-parsers."""
    p = sub.add_parser("check-formula", help="prove or refute a size formula")
    p.add_argument("expr", help='e.g. "floor((n + 2*p - d*(k - 1) - 1)/s) + 1"')
    p.add_argument("--quantity", default="output_size")
    p.add_argument("--convention", default="torch")
    p.add_argument("--fix", action="append", metavar="NAME=VALUE",
                   help="check on the slice where a variable is fixed, e.g. d=1")
    p.add_argument("--smt", metavar="FILE", help="write the SMT-LIB 2 queries of the SMT judge")
    add_detail_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_check_formula)


def cmd_check_formula(args: argparse.Namespace) -> int:
    from ..formula import check_formula

    proof = check_formula(args.expr, quantity=args.quantity, convention=args.convention,
                          fixed=fixed_sizes(args.fix or ()) or None)
    print(proof.to_json() if args.json else at_detail(proof, args).text())
    return VERDICT_EXIT[proof.verdict]


def fixed_sizes(options: Sequence[str]) -> dict[str, int]:
    """``--fix NAME=VALUE`` options as a dict: each a name and an integer, each name once.

    Examples
    --------
    >>> fixed_sizes(["d=1", "p = 0"])
    {'d': 1, 'p': 0}
    """
    fixed: dict[str, int] = {}
    for text in options:
        name, sep, value = (part.strip() for part in text.partition("="))
        if not sep or not name:
            raise UsageError(f"--fix must look like NAME=VALUE (e.g. --fix d=1), got {text!r}")
        if name in fixed:
            raise UsageError(f"--fix {name} is given twice ({fixed[name]} and {value}); fix "
                             "each variable once")
        if not re.fullmatch(r"[+-]?[0-9]+", value, re.ASCII):
            raise UsageError(f"--fix {name} must be an integer, got {value!r}")
        fixed[name] = int(value)
    return fixed

