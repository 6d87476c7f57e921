"""``symconv check-impl MODULE:FUNCTION``: check anyone's convolution code on the command line.

Lifts the function to its exact matrix at every geometry of ``--domain``, compares it
with ``--reference`` (:func:`symconv.implementations.check_implementation`) and names
the known mistake it makes. Registering this command imports SymPy, so ``symconv
--help`` shows a stub of it (:data:`symconv.cli.entry.HEAVY_COMMANDS`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import Any

from ..errors import describe
from ..implementations import REFERENCES, check_implementation
from ..lift import ImplementationError
from .exits import VERDICT_EXIT

__all__ = ["load_function", "register_cli"]


def load_function(target: str) -> Callable[..., Any]:
    """``"package.module:function"`` -> the function, or an :class:`ImplementationError`.

    Examples
    --------
    >>> load_function("numpy:add").__name__
    'add'
    >>> load_function("no_such_module_xyz:f")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    symconv.lift.ImplementationError: MODULE:FUNCTION does not import, got 'no_such_...
    """
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise ImplementationError(describe("MODULE:FUNCTION", target, "must name a module and "
                                           "a function in it", "e.g. mypackage.conv:conv1d"))
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - the user's module: report, never crash
        first = (str(error).splitlines() or [""])[0]
        raise ImplementationError(describe("MODULE:FUNCTION", target, "does not import",
                                           f"{type(error).__name__}: {first}")) from error
    fn = getattr(module, function_name, None)
    if not callable(fn):
        raise ImplementationError(describe("MODULE:FUNCTION", target,
                                           f"must name a callable in module {module_name}"))
    return fn


def register_cli(sub: Any) -> None:
    """Add ``check-impl`` to the ``symconv`` sub-parsers."""
    p = sub.add_parser("check-impl", help="lift a convolution implementation to its exact "
                       "matrix, compare it with a reference and name its bug")
    p.add_argument("target", metavar="MODULE:FUNCTION")
    p.add_argument("--reference", default="correlation", choices=REFERENCES)
    p.add_argument("--domain", help='e.g. "1 <= n <= 7, 1 <= K <= 3, s = 1"; size names n K s '
                   'p d c g, in 2-D also m L (second axis input, kernel) t q (its stride, '
                   'padding), o (out channels)')
    p.add_argument("--ndim", type=int, default=1, choices=(1, 2))
    p.add_argument("--square", action="store_true",
                   help="2-D: square inputs and kernels only (m = n, L = K)")
    p.add_argument("--exclude-pad", action="store_true",
                   help="avg_pool: PyTorch's count_include_pad=False")
    p.add_argument("--ceil-mode", action="store_true", help="avg_pool: ceil_mode=True")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_cmd_check_impl)


def _cmd_check_impl(args: argparse.Namespace) -> int:
    if "" not in sys.path:  # a module in the working directory, as python -m would find it
        sys.path.insert(0, "")
    proof = check_implementation(load_function(args.target), args.reference,
                                 domain=args.domain, ndim=args.ndim, square=args.square,
                                 count_include_pad=not args.exclude_pad,
                                 ceil_mode=args.ceil_mode)
    print(proof.to_json() if args.json else proof.text())
    if not args.json and proof.diagnosis:
        print(f"Diagnosis: {proof.diagnosis}")
    return VERDICT_EXIT[proof.verdict]
