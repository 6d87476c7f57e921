"""The ``symconv`` command line: list, prove, check-formula, shape, fc-vs-conv, figure.

Exit codes: 0 proved / fine, 1 refuted (counterexample printed), 2 bad input or
usage, 3 internal error or missing optional backend, 4 verified on a finite domain
but not proved (a statement about all sizes without a proof for all sizes),
5 undecided within budget or vacuous (an empty domain: nothing checked). A
traceback is never the user interface.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from math import prod
from typing import Any

from lark.exceptions import UnexpectedEOF, UnexpectedInput

from . import progress
from .errors import OperatorError, SymconvError, require
from .grammar import parser as grammar_parser
from .limits import factor_proof_work, require_index_range, require_work
from .network import command as network_command
from .validation import integer, is_integer

EXIT_PROVED, EXIT_REFUTED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_VERIFIED, EXIT_UNDECIDED = 4, 5
#: The exit code of each verdict.
VERDICT_EXIT = {"proved": EXIT_PROVED, "refuted": EXIT_REFUTED, "verified": EXIT_VERIFIED,
                "undecided": EXIT_UNDECIDED, "vacuous": EXIT_UNDECIDED}


class UsageError(SymconvError):
    """A command-line value that cannot be parsed."""


# ---------------------------------------------------------------------------
# Value parsing (no eval: integers, comma lists, before:after pairs, names)
# ---------------------------------------------------------------------------

def _per_axis_items(option: str, text: str) -> list[int | tuple[int, int]]:
    """The comma-separated items of ``text`` read with the grammar ``grammars/per_axis.lark``:
    an ``int`` or a ``(before, after)`` pair each. A failure names the item it is in."""
    try:
        tree = grammar_parser("per_axis").parse(text)
    except UnexpectedInput as failure:
        column = len(text) + 1 if isinstance(failure, UnexpectedEOF) or getattr(
            getattr(failure, "token", None), "type", "") == "$END" else failure.column
        raise _not_integers(option, text, column) from None
    return [int(item.children[0]) if item.data == "one"
            else (int(item.children[0]), int(item.children[1])) for item in tree.children]


def _not_integers(option: str, text: str, column: int) -> UsageError:
    item = text[: column - 1].count(",")
    return UsageError(f"{option} must be an integer or a comma-separated list of integers, "
                      f"got {text.split(',')[item].strip()!r}")


def parse_sizes(option: str, text: str) -> tuple[int, ...] | int:
    """``"5,5"`` -> ``(5, 5)``; ``"2"`` -> ``2`` (one value for every axis).

    Examples
    --------
    >>> parse_sizes("--input", "5,5"), parse_sizes("--stride", "2")
    ((5, 5), 2)
    >>> parse_sizes("--input", "5,\u0665")
    Traceback (most recent call last):
        ...
    symconv.cli.UsageError: --input must be an integer or a comma-separated list of integers, \
got '\u0665'
    """
    items = _per_axis_items(option, text)
    pair = next((i for i, item in enumerate(items) if isinstance(item, tuple)), None)
    if pair is not None:
        raise UsageError(f"{option} must be an integer or a comma-separated list of integers, "
                         f"got {text.split(',')[pair].strip()!r}")
    return items[0] if len(items) == 1 else tuple(items)


def parse_count(option: str, text: str) -> int:
    """One integer (a channel count, a number of groups), never a list.

    Examples
    --------
    >>> parse_count("--groups", "2")
    2
    >>> parse_count("--out-channels", "2,2")
    Traceback (most recent call last):
        ...
    symconv.cli.UsageError: --out-channels must be one integer, got '2,2'
    """
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{option} must be one integer, got {text!r}") from None


#: What ``--padding`` accepts, for its error message.
PADDING_FORMS = ("an integer (1), one integer per axis (1,2), before:after (1:2), one pair per "
                 "axis (0:1,1:0) or a name (valid, same, same_lower, full)")


def parse_padding(text: str, ndim: int) -> Any:
    """``1``, ``1,2`` (per axis), ``1:2`` (before:after, every axis), ``0:1,1:0``, or a name.

    Examples
    --------
    >>> parse_padding("same", 2), parse_padding("1:2", 2), parse_padding("1,0", 2)
    ('same', ((1, 2), (1, 2)), (1, 0))
    >>> parse_padding("1:2:3", 1)
    Traceback (most recent call last):
        ...
    symconv.cli.UsageError: --padding must be an integer (1), one integer per axis (1,2), \
before:after (1:2), one pair per axis (0:1,1:0) or a name (valid, same, same_lower, full), \
got '1:2:3'
    """
    if text.replace("_", "").isalpha():
        return text
    try:
        return _padding_values(text, ndim)
    except UsageError:
        raise UsageError(f"--padding must be {PADDING_FORMS}, got {text!r}") from None


def _padding_values(text: str, ndim: int) -> Any:
    items = _per_axis_items("--padding", text)
    if not any(isinstance(item, tuple) for item in items):
        return items[0] if len(items) == 1 else tuple(items)
    if not all(isinstance(item, tuple) for item in items):
        raise UsageError(text)
    return tuple(items) * ndim if len(items) == 1 else tuple(items)


def parse_param(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` with VALUE an int, comma list of ints, true/false or a word.

    Examples
    --------
    >>> parse_param("shift=1"), parse_param("boundary=circular"), parse_param("x=true")
    (('shift', 1), ('boundary', 'circular'), ('x', True))
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise UsageError(f"--param must look like NAME=VALUE, got {text!r}")
    name, value = name.strip().replace("-", "_"), value.strip()
    if value.lower() in ("true", "false"):
        return name, value.lower() == "true"
    try:
        return name, parse_sizes(f"--param {name}", value)
    except UsageError:
        return name, value


# ---------------------------------------------------------------------------
# Sub-commands
# ---------------------------------------------------------------------------

LAYER_OPTIONS = (("input", "input_shape"), ("kernel", "kernel_shape"), ("stride", "stride"),
                 ("dilation", "dilation"), ("output_padding", "output_padding"),
                 ("in_channels", "in_channels"), ("out_channels", "out_channels"),
                 ("groups", "groups"))
#: Options that take one integer, not a list.
COUNT_OPTIONS = ("in_channels", "out_channels", "groups")
#: Parameters with one value per spatial axis: their defaults follow the axes the user gave.
PER_AXIS = ("input_shape", "kernel_shape", "stride", "padding", "dilation", "output_padding")
#: Channel parameters: integers >= 1.
CHANNELS = ("in_channels", "out_channels", "groups", "channels", "depth_multiplier")


def _prove_parameters(args: argparse.Namespace) -> dict[str, Any]:
    from .theorems import get

    defaults = get(args.name).parameters
    params: dict[str, Any] = {}
    for option, name in LAYER_OPTIONS:
        value = getattr(args, option)
        flag = f"--{option.replace('_', '-')}"
        if value is not None:
            params[name] = (parse_count(flag, value) if option in COUNT_OPTIONS else
                            parse_sizes(flag, value))
    ndim = _axes_given(params) or len(defaults.get("input_shape") or (1,))
    for name in ("input_shape", "kernel_shape"):
        if isinstance(params.get(name), int):
            params[name] = (params[name],) * ndim
    if args.padding is not None:
        params["padding"] = parse_padding(args.padding, ndim)
    for text in args.param or ():
        name, value = parse_param(text)
        params[name] = value
    params = {**_defaults_with_axes(defaults, params, ndim), **params}
    _check_layer({**defaults, **params}, blockwise=args.name in BLOCKWISE_THEOREMS)
    return params


#: Theorems whose large layers are compared block-wise (symconv.theorems.structure): one
#: spatial pattern at full size, every channel block only at the small twin size.
BLOCKWISE_THEOREMS = ("transpose", "adjoint")
#: Index-form entries a block-wise proof holds per entry of its one-channel pattern (both
#: operators, their coefficient maps and sort temporaries; measured: max RSS 470 MB at
#: 448x448 3x3, 1.6 GB at 896x896, 3.3 GB at 1344x1344, about 5 x 50 bytes per entry).
SPATIAL_COPIES = 5


def _axes_given(params: dict[str, Any]) -> int | None:
    """The spatial axes of the user's ``--input`` (else ``--kernel``): one for a single size.

    A single ``--kernel 3`` with ``--input 5,5`` then means ``(3, 3)``.
    """
    for name in ("input_shape", "kernel_shape"):
        if isinstance(params.get(name), tuple):
            return len(params[name])
    return 1 if any(name in params for name in ("input_shape", "kernel_shape")) else None


def _defaults_with_axes(defaults: dict[str, Any], params: dict[str, Any],
                        ndim: int) -> dict[str, Any]:
    """Per-axis defaults the user did not give, with their axes matched to ``ndim``.

    ``prove transpose --input 6`` has the 1-D default kernel ``(3,)``, not the 2-D
    ``(3, 3)`` written for the default input ``(4, 4)``. Only defaults that are the
    same on every axis follow; one such as ``(3, 2)`` belongs to its axes and stays.

    Examples
    --------
    >>> _defaults_with_axes({"kernel_shape": (3, 3), "stride": 1}, {"input_shape": (6,)}, 1)
    {'kernel_shape': (3,)}
    """
    matched = {}
    for name in PER_AXIS:
        default = defaults.get(name)
        if (name not in params and isinstance(default, (tuple, list)) and default
                and len(default) != ndim and all(is_integer(v) for v in default)
                and len(set(default)) == 1):
            matched[name] = (default[0],) * ndim
    return matched


def _check_layer(point: dict[str, Any], blockwise: bool = False) -> None:
    """Channel counts and the work a layer's proof allocates, checked before proving.

    ``blockwise``, one channel: the proof builds per-axis factors at full size and the
    operators at the twin size (:func:`symconv.limits.factor_proof_work`). Several
    channels: the proof builds the one-channel pattern at full size (with its
    coefficient maps: :data:`SPATIAL_COPIES` copies) and the channel blocks only at the
    twin size, whose sides are at most ``d (k - 1) + 1 + 3 s`` plus the pads
    (``structure.twin_geometry``); its kernel symbols stay integer ids.
    """
    for name in CHANNELS:
        if name in point:
            integer(name, point[name], minimum=1, error=OperatorError)
    groups = point.get("groups", 1)
    for name in ("in_channels", "out_channels"):
        require(point.get(name, groups) % groups == 0, "groups", groups,
                f"must divide {name}={point.get(name)}", error=OperatorError)
    axes = {name: _integers(point.get(name)) for name in PER_AXIS}
    require_index_range("prove", **{name: v for name, v in axes.items() if v})
    if not (axes["input_shape"] and axes["kernel_shape"]):
        return
    kernel = prod(axes["kernel_shape"])
    blocks = point.get("out_channels", 1) * point.get("in_channels", 1) // groups
    what = (f"prove at input {axes['input_shape']}, kernel {axes['kernel_shape']}, "
            f"{blocks} channel blocks")
    if blockwise and blocks == 1:  # per-axis Kronecker factors (structure.prove_by_factors)
        sides = tuple(n + 2 * max(axes["padding"] or (0,)) for n in axes["input_shape"])
        require_work(what, **factor_proof_work(sides, axes["kernel_shape"], sides,
                                               _twin_sides(axes)))
        return
    if blockwise:
        twin = {**point, "input_shape": _twin_sides(axes)}
        require_work(what, index_entries=SPATIAL_COPIES * _extent(point, axes) * kernel
                     + blocks * _extent(twin, {**axes, "input_shape": twin["input_shape"]})
                     * kernel, symbols=kernel)
        return
    require_work(what, index_entries=blocks * _extent(point, axes) * kernel,
                 symbols=blocks * kernel)


def _twin_sides(axes: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """Upper bounds on the twin layer's input sides (``structure.twin_geometry``)."""
    stride, dilation = max(axes["stride"] or (1,)), max(axes["dilation"] or (1,))
    span = dilation * (max(axes["kernel_shape"]) - 1) + 1
    return tuple(min(n, span + 3 * stride) for n in axes["input_shape"])


def _integers(value: Any) -> tuple[int, ...]:
    """The integers of a per-axis value (an int, ints, or (before, after) pairs), else ()."""
    if is_integer(value):
        return (value,)
    if isinstance(value, (tuple, list)):
        flat = [v for item in value for v in (item if isinstance(item, (tuple, list)) else
                                              (item,))]
        return tuple(flat) if all(map(is_integer, flat)) else ()
    return ()


def _extent(point: dict[str, Any], axes: dict[str, tuple[int, ...]]) -> int:
    """An upper bound on the larger spatial side of the layer: padded input, or the
    transposed output ``(n-1)s + d(k-1) + output_padding + 1``."""
    n = axes["input_shape"]
    pad = 2 * max(axes["padding"] or (0,))
    stride, dilation = max(axes["stride"] or (1,)), max(axes["dilation"] or (1,))
    k = max(axes["kernel_shape"])
    per_axis = [max(size + pad, (size - 1) * stride + dilation * (k - 1) + stride)
                if "output_padding" in point else size + pad for size in n]
    return prod(per_axis)


def check_outputs(args: argparse.Namespace, *options: str) -> dict[str, str]:
    """Each output option given, checked before any work: ``{option: path}``."""
    from .render.files import check_output_path

    given = {option: getattr(args, option) for option in options if getattr(args, option)}
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
    from .render.files import write_all

    if _PENDING is not None:
        _PENDING.update(outputs)
        return
    write_all(outputs)


def _theorem_help(name: str) -> str:
    """A theorem's statement, parameters with their defaults (as options) and domain."""
    from .theorems import get

    thm = get(name)
    options = {name: f"--{option.replace('_', '-')}" for option, name in LAYER_OPTIONS}
    lines = [f"{thm.name}  [{thm.family}]", f"  {thm.statement}", "parameters (defaults):"]
    for key, value in thm.parameters.items():
        shown = ",".join(map(str, value)) if isinstance(value, (tuple, list)) and all(
            is_integer(v) for v in value) else str(value)
        option = options.get(key) or ("--padding" if key == "padding" else "--param")
        lines.append(f"  {option} {shown}" if option != "--param" else
                     f"  --param {key}={shown}")
    if thm.domain_text:
        lines.append(f"domain (checked when no parameter is given): {thm.domain_text}")
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    from .theorems import get, theorems

    if args.name:
        print(json.dumps(get(args.name).describe(), indent=2, ensure_ascii=False) if args.json
              else _theorem_help(args.name))
        return EXIT_PROVED
    catalogue = theorems()
    if args.json:
        print(json.dumps({"theorems": catalogue}, indent=2, ensure_ascii=False))
        return EXIT_PROVED
    width = max(len(t["name"]) for t in catalogue)
    for t in catalogue:
        print(f"{t['name']:<{width}}  [{t['family']}]  {t['statement']}")
    return EXIT_PROVED


def cmd_prove(args: argparse.Namespace) -> int:
    from .theorems import prove

    if args.help:
        print(args.usage())
        if args.name:
            print(_theorem_help(args.name))
        return EXIT_PROVED
    if args.all:
        return _prove_all(args)
    if not args.name:
        raise UsageError("prove needs a theorem NAME or --all (see `symconv list`)")
    outputs = check_outputs(args, "latex", "markdown", "smt")
    outputs.pop("smt", None)  # written by _run_recording_smt once the proof is done
    proof = prove(args.name, **_prove_parameters(args))
    shown = at_detail(proof, args)
    render = {"latex": lambda: shown.latex(standalone=True), "markdown": shown.markdown}
    write_outputs({path: render[option]() for option, path in outputs.items()})
    print(proof.to_json() if args.json else shown.text())
    return VERDICT_EXIT[proof.verdict]


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
        from .render.brief import brief
    return brief(proof)


def judges(proof: Any) -> list[str]:
    """Who certified a proof's ``parametric`` evidence, read off its derivation's steps.

    ``index-set checks`` (an affine bijection's five checks), ``lemma chain`` (the
    rewriting prover) and ``SMT`` (the second judge: listed when the derivation has a
    "Second judge: SMT" step and every such step says the claims were certified).

    Examples
    --------
    >>> from symconv.theorems import prove
    >>> judges(prove("output-size")), judges(prove("flip"))
    (['lemma chain', 'SMT'], [])
    """
    if "parametric" not in proof.evidence:
        return []
    titles = {step.title for step in proof.steps}
    found = [name for name, title in (("index-set checks", "The bijection"),
                                       ("lemma chain", "Chain")) if title in titles]
    second = [step.text for step in proof.steps if step.title == "Second judge: SMT"]
    if second and all(text.startswith("Certified twice") for text in second):
        found.append("SMT")
    return found


def _prove_all(args: argparse.Namespace) -> int:
    from .theorems import prove, theorems

    if args.name or args.latex or args.markdown:
        raise UsageError("prove --all takes no NAME, --latex or --markdown")
    rows, documents = [], []
    start = time.perf_counter()
    for entry in theorems():
        tick = time.perf_counter()
        proof = prove(entry["name"])
        seconds = time.perf_counter() - tick
        rows.append((proof, seconds))
        documents.append({**proof.to_dict(), "seconds": round(seconds, 3),
                          "judges": judges(proof)})
    total = time.perf_counter() - start
    proved = sum(p.proved for p, _ in rows)
    counts = {v: sum(p.verdict == v for p, _ in rows) for v in VERDICT_EXIT}
    if args.json:
        summary = {**{v: c for v, c in counts.items() if c or v in ("proved", "refuted")},
                   "seconds": round(total, 2)}
        print(json.dumps({"theorems": documents, "summary": summary}, indent=2,
                         ensure_ascii=False))
    else:
        width = max(len(p.theorem) for p, _ in rows)
        print(f"{'theorem':<{width}}  verdict  seconds  evidence  [judges of 'parametric']")
        for proof, seconds in rows:
            certified = f"  [{' + '.join(judges(proof))}]" if judges(proof) else ""
            print(f"{proof.theorem:<{width}}  {proof.verdict:<7}  {seconds:7.2f}  "
                  f"{', '.join(proof.evidence)}{certified}")
            if proof.counterexample is not None:
                print(f"{'':<{width}}  counterexample: {proof.counterexample}")
            elif not proof.proved:
                print(f"{'':<{width}}  {proof.evidence_sentence()}")
        others = ", ".join(f"{c} {v}" for v, c in counts.items() if c and v != "proved")
        print(f"\n{proved} of {len(rows)} proved{f' ({others})' if others else ''} "
              f"in {total:.1f} s")
    if proved == len(rows):
        return EXIT_PROVED
    return EXIT_REFUTED if counts["refuted"] else max(VERDICT_EXIT[p.verdict] for p, _ in rows)


def cmd_check_formula(args: argparse.Namespace) -> int:
    from .formula import check_formula

    proof = check_formula(args.expr, quantity=args.quantity, convention=args.convention,
                          fixed=_fixed_sizes(args.fix or ()) or None)
    print(proof.to_json() if args.json else at_detail(proof, args).text())
    return VERDICT_EXIT[proof.verdict]


def _fixed_sizes(options: Sequence[str]) -> dict[str, int]:
    """``--fix NAME=VALUE`` options as a dict: each a name and an integer, each name once.

    Examples
    --------
    >>> _fixed_sizes(["d=1", "p = 0"])
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


def cmd_fc_vs_conv(args: argparse.Namespace) -> int:
    from .network import fc_vs_conv, parse_input

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


def cmd_figure(args: argparse.Namespace) -> int:
    from .geometry import Geometry
    from .operators import correlation
    from .render import figures

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


# ---------------------------------------------------------------------------
# The parser and the entry point
# ---------------------------------------------------------------------------

def build_parser(shape_only: bool = False, command: str | None = None
                 ) -> argparse.ArgumentParser:
    """The argparse parser of the ``symconv`` command (``shape_only``: no SymPy imported).

    ``command``: the sub-command about to run; the others whose registration imports SymPy
    (:data:`HEAVY_COMMANDS`) get a stub with their help line. None registers all in full.
    """
    parser = argparse.ArgumentParser(
        prog="symconv", description="Prove what notes say about convolution: explicit "
        "symbolic matrices, smallest counterexamples, derivations.")
    sub = parser.add_subparsers(dest="command", required=True)
    if shape_only:  # `symconv shape` needs neither SymPy nor the other commands
        network_command.register(sub)
        return parser

    p = sub.add_parser("list", help="the theorem catalogue, or one theorem's parameters")
    p.add_argument("name", nargs="?", help="a theorem: its statement, parameters and defaults")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("prove", help="prove a theorem (or --all)", add_help=False)
    p.add_argument("-h", "--help", action="store_true",
                   help="show this help; with NAME, the theorem's parameters and defaults")
    p.add_argument("name", nargs="?")
    p.add_argument("--all", action="store_true", help="every theorem at its defaults and "
                   "over its exhaustive domain")
    p.add_argument("--input", help="input size(s), e.g. 5,5")
    p.add_argument("--kernel", help="kernel size(s), e.g. 3,3")
    p.add_argument("--stride")
    p.add_argument("--padding", help="1 | 1,2 | 1:2 | 0:1,1:0 | valid | same | same_lower | full")
    p.add_argument("--dilation")
    p.add_argument("--output-padding", dest="output_padding")
    p.add_argument("--in-channels", dest="in_channels")
    p.add_argument("--out-channels", dest="out_channels")
    p.add_argument("--groups")
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="any other theorem parameter (see `symconv list --json`)")
    p.add_argument("--latex", metavar="FILE", help="write a standalone LaTeX document")
    p.add_argument("--markdown", metavar="FILE", help="write Markdown (KaTeX/MathJax math)")
    p.add_argument("--smt", metavar="FILE", help="write the SMT-LIB 2 queries of the SMT judge")
    add_detail_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_prove, usage=p.format_help)

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

    network_command.register(sub)  # symconv shape: symconv/network/command.py

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
    _register_heavy(sub, command)
    return parser


#: Commands whose modules import SymPy (and more) when registered: registered in full only
#: when they run; otherwise a stub with the same help line keeps ``symconv --help`` light.
HEAVY_COMMANDS = {
    "check-impl": ("symconv.implementations", "lift a convolution implementation to its "
                   "exact matrix, compare it with a reference and name its bug"),
    "check": ("symconv.claim.cli", "check your own identity or chain of steps on a domain "
              "of sizes: verified, or refuted with the smallest counterexample"),
}


def _register_heavy(sub: Any, command: str | None) -> None:
    """Add ``check-impl`` and ``check``: in full for the command that runs, else a stub."""
    from importlib import import_module

    for name, (module, summary) in HEAVY_COMMANDS.items():
        if command in (name, None):
            import_module(module).register_cli(sub)
        else:
            sub.add_parser(name, help=summary)


def _run_recording_smt(args: argparse.Namespace) -> int:
    """Run the command; with ``--smt FILE``, write every SMT query it asked (SMT-LIB 2)."""
    if not getattr(args, "smt", None):
        return args.run(args)
    from .certify import recording, smtlib_script
    from .render.files import check_output_path

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
            return _run_recording_smt(args)
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
