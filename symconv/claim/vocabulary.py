"""The operators a claim may name, their parameters, and the static check of a claim.

Each operator has PyTorch's parameter names (in PyTorch's order, so they may also
be given by position) and a kind per parameter: ``tensor`` (a signal or an
expression), ``size`` (a size expression, or a tuple of them for 2-D),
``padding`` (a size, a tuple, or one of the padding names), ``mode`` (a quoted
word) or ``flag`` (0 or 1). :func:`check_names` reads a parsed claim before
anything is built: unknown operators and keywords (with close matches), missing
or repeated arguments, quoted words out of place, signals without a shape.

Examples
--------
>>> from symconv.claim.syntax import parse_claim
>>> sizes = check_names(parse_claim("corr(x, k, stride=s) == subsample(corr(x, k), s)"),
...                     {"x", "k"})
>>> sizes
['s']
>>> try:
...     check_names(parse_claim("corr(x, k, strides=2) == x"), {"x", "k"})
... except ClaimError as error:
...     print(str(error).splitlines()[0][-40:])
dilation, groups; did you mean stride?)
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass

from .syntax import Call, Chain, ClaimError, Name, Node, String, pointer, walk

__all__ = ["Parameter", "OPERATORS", "PADDING_NAMES", "MODES", "check_names"]

PADDING_NAMES = ("valid", "same", "same_lower", "full")
MODES = ("zero", "circular")


@dataclass(frozen=True)
class Parameter:
    """One parameter: its name, kind and default (``REQUIRED`` when it has none)."""

    name: str
    kind: str
    default: object = "REQUIRED"

    @property
    def required(self) -> bool:
        """Whether the parameter must be given."""
        return self.default == "REQUIRED"


def _p(name: str, kind: str, default: object = "REQUIRED") -> Parameter:
    return Parameter(name, kind, default)


_CORR = (_p("input", "tensor"), _p("weight", "tensor"), _p("stride", "size", 1),
         _p("padding", "padding", 0), _p("dilation", "size", 1), _p("groups", "size", 1))
#: operator name -> its parameters, in order.
OPERATORS: dict[str, tuple[Parameter, ...]] = {
    "corr": _CORR,
    "conv": _CORR,
    "conv_transpose": (_p("input", "tensor"), _p("weight", "tensor"), _p("stride", "size", 1),
                       _p("padding", "size", 0), _p("output_padding", "size", 0),
                       _p("dilation", "size", 1), _p("groups", "size", 1)),
    "transpose_weight": (_p("weight", "tensor"), _p("groups", "size", 1)),
    "flip": (_p("input", "tensor"),),
    "pad": (_p("input", "tensor"), _p("before", "size"), _p("after", "size", None)),
    "crop": (_p("input", "tensor"), _p("before", "size"), _p("after", "size", None)),
    "upsample": (_p("input", "tensor"), _p("factor", "size")),
    "subsample": (_p("input", "tensor"), _p("factor", "size")),
    "shift": (_p("input", "tensor"), _p("offset", "size"), _p("mode", "mode", "zero")),
    "avg_pool": (_p("input", "tensor"), _p("kernel_size", "size"), _p("stride", "size", None),
                 _p("padding", "size", 0), _p("ceil_mode", "flag", 0),
                 _p("count_include_pad", "flag", 1)),
    "max_pool": (_p("input", "tensor"), _p("kernel_size", "size"), _p("stride", "size", None),
                 _p("padding", "size", 0), _p("dilation", "size", 1),
                 _p("ceil_mode", "flag", 0)),
    "dot": (_p("a", "tensor"), _p("b", "tensor")),
    "shape": (_p("input", "tensor"),),
    "ones": (_p("shape", "size"), _p("channels", "size", 0)),
}


def _close(word: str, choices: Collection[str]) -> str:
    near = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(near)}?" if near else ""


def bind(call: Call, text: str) -> dict[str, Node]:
    """The call's arguments by parameter name (defaults not filled in); named errors."""
    if call.function not in OPERATORS:
        raise ClaimError(f"operator {call.function!r} must be one of symconv's operators, got "
                         f"{call.function!r} (valid: {', '.join(OPERATORS)}"
                         f"{_close(call.function, OPERATORS)})"
                         + pointer(text, call.start, call.start + len(call.function)))
    params = OPERATORS[call.function]
    names = [p.name for p in params]
    if len(call.args) > len(params):
        raise ClaimError(f"{call.function} takes at most {len(params)} arguments "
                         f"({', '.join(names)}), got {len(call.args)}"
                         + pointer(text, call.start, call.end))
    bound: dict[str, Node] = dict(zip(names, call.args))
    for keyword in call.keywords:
        if keyword.name not in names:
            raise ClaimError(f"{call.function} keyword {keyword.name!r} must be one of its "
                             f"parameters, got {keyword.name!r} (valid: {', '.join(names)}"
                             f"{_close(keyword.name, names)})"
                             + pointer(text, keyword.start, keyword.start + len(keyword.name)))
        if keyword.name in bound:
            raise ClaimError(f"{call.function} argument {keyword.name!r} must be given once, "
                             "got it twice" + pointer(text, keyword.start, keyword.end))
        bound[keyword.name] = keyword.value
    missing = [p.name for p in params if p.required and p.name not in bound]
    if missing:
        raise ClaimError(f"{call.function} needs its argument {missing[0]!r}, got "
                         f"{len(call.args)} positional and {len(call.keywords)} keyword "
                         f"arguments (valid: {call.function}({', '.join(names)}))"
                         + pointer(text, call.start, call.end))
    return bound


def _check_argument(call: Call, param: Parameter, node: Node, signals: Collection[str],
                    text: str) -> None:
    where = pointer(text, node.start, node.end)
    if isinstance(node, String):
        valid = {"padding": PADDING_NAMES, "mode": MODES}.get(param.kind)
        if valid is None or node.value not in valid:
            allowed = ", ".join(f'"{v}"' for v in valid) if valid else "a size expression"
            raise ClaimError(f"{call.function} {param.name} must be {allowed}, got "
                             f"{node.value!r}" + where)
    elif param.kind == "mode":
        raise ClaimError(f"{call.function} {param.name} must be one of "
                         f"{', '.join(repr(m) for m in MODES)} (quoted), got "
                         f"{text[node.start:node.end]!r}" + where)
    elif param.kind == "tensor" and isinstance(node, Name) and node.name not in signals:
        raise ClaimError(f"signal {node.name!r} must have a shape, got none (valid: bind it in "
                         f"shapes, e.g. {node.name}=n; shapes given for: "
                         f"{', '.join(sorted(signals)) or 'no signal'})" + where)
    elif param.kind != "tensor":
        for inner in walk(node):
            if isinstance(inner, Name) and inner.name in signals:
                raise ClaimError(f"{call.function} {param.name} must be a size expression, "
                                 f"got signal {inner.name!r}"
                                 + pointer(text, inner.start, inner.end))


def check_names(chain: Chain, signals: Collection[str]) -> list[str]:
    """Check every call of ``chain``; return the size names it uses, in order of appearance.

    A name is a signal when ``signals`` holds it, otherwise a size name.
    """
    sizes: list[str] = []
    for term in chain.terms:
        for node in walk(term):
            if isinstance(node, Call):
                bound = bind(node, chain.text)
                params = {p.name: p for p in OPERATORS[node.function]}
                for name, argument in bound.items():
                    _check_argument(node, params[name], argument, signals, chain.text)
            elif isinstance(node, String) and not _inside_call(chain, node):
                raise ClaimError(f"a quoted word must be an operator argument, got "
                                 f"{node.value!r}" + pointer(chain.text, node.start, node.end))
            elif isinstance(node, Name) and node.name not in signals and node.name not in sizes:
                sizes.append(node.name)
    return sizes


def _inside_call(chain: Chain, target: String) -> bool:
    for term in chain.terms:
        for node in walk(term):
            if isinstance(node, Call) and any(
                    a is target for a in (*node.args, *(k.value for k in node.keywords))):
                return True
    return False


