"""``symconv fc-vs-conv INPUT --kernel K``: a dense layer against a conv with the same outputs.

Parameters and multiply-adds of both (biases left out), as a table or ``--json``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .exits import EXIT_PROVED
from .values import parse_count, parse_padding, parse_sizes

__all__ = ["cmd_fc_vs_conv", "register"]


def register(sub: Any) -> None:
    """Add ``fc-vs-conv`` to the ``symconv`` sub-parsers."""
    p = sub.add_parser("fc-vs-conv", help="parameters and multiply-adds of a dense layer "
                       "against a conv with the same outputs")
    p.add_argument("input", help="channels x spatial, e.g. 1x32x32")
    p.add_argument("--kernel", required=True, help="kernel size(s), e.g. 2 or 2,2")
    p.add_argument("--stride", default="1")
    p.add_argument("--padding", default="0")
    p.add_argument("--dilation", default="1")
    p.add_argument("--out-channels", dest="out_channels", default="1")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_fc_vs_conv)


def cmd_fc_vs_conv(args: argparse.Namespace) -> int:
    from ..network import fc_vs_conv, parse_input

    channels, spatial = parse_input(args.input)
    kernel = parse_sizes("--kernel", args.kernel)
    result = fc_vs_conv(spatial, kernel, parse_sizes("--stride", args.stride),
                        parse_padding(args.padding, len(spatial)),
                        parse_sizes("--dilation", args.dilation), in_channels=channels,
                        out_channels=parse_count("--out-channels", args.out_channels))
    doc = {"input_shape": [channels, *spatial], "output_shape": list(result.output_shape),
           "fc_params": result.fc_params, "conv_params": result.conv_params,
           "params_ratio": str(result.params_ratio), "fc_macs": result.fc_macs,
           "conv_macs": result.conv_macs, "macs_ratio": str(result.macs_ratio)}
    if args.json:
        print(json.dumps(doc, indent=2))
        return EXIT_PROVED
    print(f"input {args.input}, conv output {'x'.join(map(str, result.output_shape))} "
          "(biases left out)")
    print(f"{'':<15}{'fully connected':>18}{'convolution':>14}{'ratio':>12}")
    print(f"{'parameters':<15}{result.fc_params:>18}{result.conv_params:>14}"
          f"{str(result.params_ratio):>12}")
    print(f"{'multiply-adds':<15}{result.fc_macs:>18}{result.conv_macs:>14}"
          f"{str(result.macs_ratio):>12}")
    return EXIT_PROVED

