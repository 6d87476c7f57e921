"""``symconv shape``: the network calculator on the command line.

A chain (``symconv shape 3x224x224 "conv(64, 7, s=2, p=3)" relu``), a network file
(``symconv shape --file net.txt``) or a PyTorch module (``symconv shape --torch
MODULE:CALLABLE --input 3x224x224``); a table (the counting convention in its first line)
or ``--json``. ``--help`` prints the grammar and the counting conventions.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import FormulaError, SymconvError

USAGE = """symconv shape INPUT LAYER... | --file NET.txt [INPUT]
              | --torch MODULE:CALLABLE --input INPUT [--elementwise]
              [--count bias,bn,tconv_all|none] [--flops] [--batch N] [--layout auto|chw|hwc]
              [--json]"""

CONVENTIONS = """Counting conventions (the table's first line names the one used):
  MACs   multiply-adds of conv, tconv and fc weights; conv counts the taps on zero padding
         (the 'pad MACs' column), tconv only the (input, tap) pairs that land in the output
  --count bias   + one addition per output element of a layer with a bias
  --count bn     + one multiply-add per element of bn / layernorm / groupnorm (the default)
  --count tconv_all  + a tconv's (input, tap) pairs that land in the cropped border
  --count none   conv + linear weights only: torchvision's published "GFLOPS" figures
  --flops        FLOPs = 2 x MACs
  Pooling, activations (relu relu6 silu gelu sigmoid tanh), dropout, upsample,
  pixelshuffle, flatten, add and concat: 0 MACs. Params count weights and biases (bn, groupnorm:
  2C; layernorm: 2 x the sample size).
Receptive field (RF), effective stride and padding are per axis of the input
(Araujo et al., Distill 2019); at add/concat the paths must be aligned and the largest RF
is taken (google-research/receptive_field). Transposed layers and upsampling give exact
fractions.
Input: channels first, e.g. 3x224x224. A leading batch axis needs --batch N; channels-last
(224x224x3) needs --layout hwc."""


def register(sub: Any) -> None:
    """Add the ``shape`` subcommand to the ``symconv`` parser."""
    p = sub.add_parser("shape", help="sizes, params, MACs and receptive fields of a network",
                       add_help=False, usage=USAGE)
    p.add_argument("-h", "--help", action="store_true",
                   help="the grammar of layers and network files, and the counting conventions")
    p.add_argument("input", nargs="?", help="channels x spatial, e.g. 3x224x224")
    p.add_argument("layers", nargs="*", help='e.g. "conv(64, k=7, s=2, p=3)" "maxpool(3, s=2)"')
    p.add_argument("--file", metavar="NET.txt", help="a network file (see --help)")
    p.add_argument("--torch", metavar="MODULE:CALLABLE",
                   help="a PyTorch module built by CALLABLE() from an importable MODULE")
    p.add_argument("--input", dest="input_option", metavar="INPUT",
                   help="the input size (with --torch or --file)")
    p.add_argument("--count", default="bn", help="what MACs count beyond conv/tconv/fc "
                   "weights: any of bias, bn, tconv_all joined by commas, or none (default bn)")
    p.add_argument("--flops", action="store_true", help="report FLOPs = 2 x MACs")
    p.add_argument("--batch", type=int, help="the input text starts with a batch axis of N")
    p.add_argument("--layout", default="auto", help="auto | chw | hwc (channels last)")
    p.add_argument("--elementwise", action="store_true",
                   help="with --torch: treat unsupported one-input calls as elementwise "
                        "(named in the table)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run, usage=p.format_usage)


def help_text() -> str:
    """The grammar file and the counting conventions."""
    from ..grammar import grammar_text

    return (f"usage: {USAGE}\n\nThe network language (symconv/grammars/network.lark):\n\n"
            f"{grammar_text('network')}\n{CONVENTIONS}")


def run(args: argparse.Namespace) -> int:
    """Run ``symconv shape``; 0 when the network was read and reported."""
    if args.help:
        print(help_text())
        return 0
    from . import Counting, evaluate, format_table, reports_to_dict

    counting = Counting.parse(args.count, flops=args.flops)
    network = _network(args)
    reports = evaluate(network)
    if args.json:
        print(json.dumps(reports_to_dict(reports, counting), indent=2))
    else:
        print(format_table(reports, counting))
    return 0


def _network(args: argparse.Namespace) -> Any:
    from . import chain_network, network_from_torch, parse_network

    sources = [bool(args.file), bool(args.torch), bool(args.layers)]
    if sum(sources) != 1:
        raise FormulaError("shape needs exactly one network: layers after INPUT, --file or "
                           f"--torch (usage: {USAGE})")
    options = {"batch": args.batch, "layout": args.layout}
    if args.torch:
        if args.input or not args.input_option:
            raise FormulaError("--torch needs --input INPUT, e.g. --input 3x224x224")
        return network_from_torch(_load(args.torch), args.input_option,
                                  elementwise=args.elementwise, **options)
    if args.file:
        if args.input and args.input_option:
            raise FormulaError("give the input once: INPUT or --input")
        return parse_network(_read(args.file), args.input or args.input_option, **options)
    if not args.input:
        raise FormulaError(f"shape needs INPUT, e.g. 3x224x224 (usage: {USAGE})")
    return chain_network(args.input, args.layers, **options)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(1_000_001)
    except (OSError, UnicodeDecodeError) as error:
        raise FormulaError(f"--file {path!r} cannot be read: {error}") from None


def _load(spec: str) -> Any:
    """``package.module:callable`` -> ``callable()``; a module's own errors as the cause."""
    import importlib

    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute.isidentifier():
        raise FormulaError(f"--torch must look like MODULE:CALLABLE (e.g. "
                           f"mypackage.models:resnet18), got {spec!r}")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise FormulaError(f"--torch {spec!r} cannot be loaded: {error}") from None
    try:
        return factory()
    except SymconvError:
        raise
    except Exception as error:  # noqa: BLE001 - the user's constructor, reported in one line
        raise FormulaError(f"--torch {spec!r}: {attribute}() failed: "
                           f"{type(error).__name__}: {error}") from None
