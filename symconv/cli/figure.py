"""``symconv figure window|sparsity``: the sliding window or the sparsity pattern of C.

SVG or TikZ at any parameters: on stdout, or written to ``--svg`` / ``--tikz`` files.
"""

from __future__ import annotations

import argparse
from typing import Any

from .exits import EXIT_PROVED, UsageError
from .output import check_outputs, write_outputs
from .values import parse_padding, parse_sizes

__all__ = ["cmd_figure", "register"]


def register(sub: Any) -> None:
    """Add ``figure`` to the ``symconv`` sub-parsers."""
    p = sub.add_parser("figure", help="the sliding window or the sparsity pattern of C, as SVG "
                       "or TikZ, at any parameters")
    p.add_argument("kind", choices=("window", "sparsity"))
    p.add_argument("--input", required=True, help="input size(s), e.g. 5,5")
    p.add_argument("--kernel", required=True, help="kernel size(s), e.g. 3,3")
    p.add_argument("--stride", default="1")
    p.add_argument("--padding", default="0")
    p.add_argument("--dilation", default="1")
    p.add_argument("--position", default="0", help="output position of the window, e.g. 1,2")
    p.add_argument("--svg", metavar="FILE")
    p.add_argument("--tikz", metavar="FILE")
    p.set_defaults(run=cmd_figure)


def cmd_figure(args: argparse.Namespace) -> int:
    from ..geometry import Geometry
    from ..operators import correlation
    from ..render import figures

    outputs = check_outputs(args, "svg", "tikz")
    input_shape = parse_sizes("--input", args.input)
    input_shape = (input_shape,) if isinstance(input_shape, int) else input_shape
    kernel = parse_sizes("--kernel", args.kernel)
    g = Geometry(input_shape, kernel, parse_sizes("--stride", args.stride),
                 parse_padding(args.padding, len(input_shape)),
                 parse_sizes("--dilation", args.dilation))
    position = parse_sizes("--position", args.position)
    position = (position,) * g.ndim if isinstance(position, int) else position
    if len(position) != g.ndim or not all(0 <= i < o for i, o in zip(position, g.output_shape)):
        raise UsageError(f"--position must be an output position inside {g.output_shape}, "
                         f"got {args.position!r}")
    if args.kind == "sparsity":
        figures.require_drawable("sparsity", figures.sparsity_cells(g))
        op = correlation(g)
        svg, tikz = figures.sparsity_svg(op), figures.sparsity_tikz(op)
    else:
        svg = figures.sliding_window_svg(g, position)
        tikz = figures.sliding_window_tikz(g, position)
    write_outputs({path: {"svg": svg, "tikz": tikz}[option] for option, path in outputs.items()})
    if not outputs:
        print(svg)
    return EXIT_PROVED

