"""Options shared by the commands that print a derivation: ``--detail brief|full``, ``--full``.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_detail_options(parser)
>>> args = parser.parse_args(["--full"])
>>> args.detail, args.full
('brief', True)
>>> at_detail("the proof", args)
'the proof'
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_detail_options", "at_detail"]


def add_detail_options(p: argparse.ArgumentParser,
                       brief: str = "statement, verdict, the example, the claims") -> None:
    """``--detail brief|full`` and ``--full``: how much of a derivation a command prints."""
    p.add_argument("--detail", choices=("brief", "full"), default="brief",
                   help=f"brief (default): {brief}; full: every step of the derivation")
    p.add_argument("--full", action="store_true", help="the same as --detail full")


def at_detail(proof: Any, args: argparse.Namespace, brief: Any = None) -> Any:
    """The proof as rendered at ``--detail``: ``brief(proof)`` by default (symconv's
    :func:`~symconv.render.brief.brief` unless given), the whole proof with ``--full``."""
    if args.full or args.detail == "full":
        return proof
    if brief is None:
        from ..render.brief import brief
    return brief(proof)
