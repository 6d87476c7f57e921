"""The network calculator: shapes, parameters, MACs and receptive fields of a chain of layers.

A network is an input ``C x H x W`` (1 to 3 spatial axes) and a list of layers written
in a call syntax like the frameworks'::

    conv(out, k, s=1, p=0, d=1, groups=1, bias=True)   p: int, per-axis tuple, per-axis
                                                       (before, after) pairs, or a name
                                                       same / valid / full / same_lower
    tconv(out, k, s=1, p=0, op=0, d=1, groups=1, bias=True)    PyTorch ConvTranspose
    maxpool(k, s=k, p=0, d=1, ceil=False)
    avgpool(k, s=k, p=0, ceil=False)
    flatten    fc(out, bias=True)    relu    bn

``k``, ``s``, ``p``, ``d`` and ``op`` may be per-axis tuples such as ``k=(3, 5)``.
The text is read by a small tokenizer and recursive-descent parser of this module (no
``eval``, no SymPy parsing); every rejection is a :class:`~symconv.errors.FormulaError`
that names the layer text, the column and what is valid.

Conventions
-----------
Sizes and padding come from :mod:`symconv.geometry` (``Geometry``, ``TransposedGeometry``,
``PoolGeometry``); nothing here re-derives a padding rule.

**Parameters** count weights plus biases (``params``) and weights alone
(``params_no_bias``). ``bn`` has ``2C`` parameters (scale and shift; the running
statistics are buffers, not parameters).

**MACs** (multiply-adds, bias additions not counted):

* ``conv``: ``prod(output shape) * (C_in / groups) * prod(k)``, the framework count, which
  includes the taps that land on zero padding;
* ``tconv``: the honest count, the number of (input pixel, kernel tap) pairs landing
  inside the output, times ``C_in * C_out / groups``; pairs that land in the cropped
  ``padding`` border are not work that reaches the output;
* ``fc``: ``in * out``; ``bn``: one per element (inference form ``a x + b``);
* pooling, ``relu``, ``flatten``: 0 (a maximum or mean is not a multiply-add).

``macs_nonzero`` is the number of nonzero entries of the layer's matrix with all kernel
symbols nonzero, i.e. taps on zero padding excluded; it equals ``macs`` for ``tconv``
and ``fc``, and for ``conv`` without padding.

**Receptive field** (Araujo, Norris and Sim, Distill 2019). Per spatial axis, with
respect to the network input, after layer ``L``::

    r_L = 1 + sum_l (d_l (k_l - 1)) * S_{l-1}      receptive field (span, padding included)
    S_L = prod_l s_l                               effective stride
    P_L = sum_l p_l * S_{l-1}                      effective padding, p_l = the *left* pad

Output pixel ``o`` of layer ``L`` is computed from input pixels in the interval
``[o S_L - P_L, o S_L - P_L + r_L - 1]``; with dilation, or strides larger than the
kernel, the interval can contain pixels that do not take part (it is the span of the
support, not its size). Without transposed layers the interval is exact for every pixel
whose interval lies inside the input; near the border the support is the subset reached
through non-padding intermediate pixels (the tests check both against autograd). Pooling
counts as a layer with its kernel, stride, left pad and dilation; ``relu`` and ``bn`` as
``k = s = 1``.

**Transposed layers.** A ``tconv`` with kernel ``k``, stride ``s``, padding ``p`` and
dilation ``d`` sends input ``i`` and tap ``j`` to output ``i s - p + j d``, so output ``o``
reads inputs ``i`` in ``[(o + p - d(k-1)) / s, (o + p) / s]``. That is the interval of a
layer with stride ``1/s``, left pad ``(d(k-1) - p) / s`` and span ``d(k-1)/s + 1``; the
recursion above takes these as exact :class:`~fractions.Fraction` values, so ``S_L`` is
a product of strides and inverse strides. Which pixels of the interval are integers
depends on ``o mod s``: for chains with transposed layers the interval is an exact
*enclosure* of each output pixel's support (tight for a single undilated ``tconv``), and ``r_L``,
``S_L``, ``P_L`` describe the average geometry, reported exactly, never rounded.

**flatten and fc.** ``flatten`` only reshapes: each unit keeps the receptive field of the
unit it came from, but there is no spatial axis left, so effective stride and padding
are ``None``. ``fc`` must follow ``flatten`` (an error otherwise: frameworks' ``Linear``
on a spatial tensor acts on the last axis only, which is rarely what a shape calculator
should guess). Each ``fc`` unit depends on the whole input: its receptive field is the
span of the union of all the flattened units' fields, clipped to the input, which is the
input size unless earlier strides skip border pixels.

Examples
--------
>>> reports = shape("3x32x32", ["conv(16, k=3, p=1)", "maxpool(2)", "conv(32, 3, s=2)"])
>>> [r.output_shape for r in reports]
[(16, 32, 32), (16, 16, 16), (32, 7, 7)]
>>> reports[-1].receptive_field, reports[-1].effective_stride, reports[-1].effective_padding
((8, 8), (4, 4), (1, 1))
>>> reports[0].params, reports[0].macs
(448, 442368)
>>> shape("1x4", ["tconv(1, k=3, s=2)"])[0].effective_stride
(Fraction(1, 2),)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields
from fractions import Fraction
from math import ceil, floor, prod
from typing import Any, ClassVar, Union

from .errors import FormulaError, GeometryError, OperatorError, SymconvError, describe
from .geometry import MAX_AXES, PADDING_NAMES, Geometry, PoolGeometry, TransposedGeometry
from .validation import integer, is_integer

#: Longest layer or input text the parser reads.
MAX_TEXT = 200
#: Deepest tuple nesting: ``p=((1, 2), (0, 1))``.
MAX_NESTING = 2
#: Largest integer accepted anywhere in a layer or input text.
MAX_INT = 1_000_000

Axes = Union[int, tuple[int, ...]]  # noqa: UP007
Exact = Union[int, Fraction]  # noqa: UP007

BOOL_WORDS = {"true": True, "false": False}


# ---------------------------------------------------------------------------
# Value checks: validate and normalise one argument, raise FormulaError
# ---------------------------------------------------------------------------

def _bounded_int(name: str, value: Any, minimum: int) -> int:
    return integer(name, value, minimum, MAX_INT, error=FormulaError)


def _axes(name: str, value: Any, minimum: int) -> Axes:
    if isinstance(value, (tuple, list)):
        if not 1 <= len(value) <= MAX_AXES:
            raise FormulaError(describe(name, tuple(value), f"must have 1 to {MAX_AXES} entries",
                                        "e.g. 3 or (3, 5)"))
        return tuple(_bounded_int(f"{name}[{i}]", v, minimum) for i, v in enumerate(value))
    return _bounded_int(name, value, minimum)


def _positive(name: str, value: Any) -> int:
    return _bounded_int(name, value, 1)


def _positive_axes(name: str, value: Any) -> Axes:
    return _axes(name, value, 1)


def _nonnegative_axes(name: str, value: Any) -> Axes:
    return _axes(name, value, 0)


def _stride_or_default(name: str, value: Any) -> Axes | None:
    return None if value is None else _axes(name, value, 1)


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in BOOL_WORDS:
        return BOOL_WORDS[value.lower()]
    raise FormulaError(describe(name, value, "must be a truth value", "True, False"))


def _conv_padding(name: str, value: Any) -> Any:
    if isinstance(value, str):
        if value.lower() not in PADDING_NAMES:
            raise FormulaError(describe(name, value, "must be an integer or a padding name",
                                        ", ".join(PADDING_NAMES)))
        return value.lower()
    if isinstance(value, (tuple, list)) and any(isinstance(v, (tuple, list)) for v in value):
        if not 1 <= len(value) <= MAX_AXES:
            raise FormulaError(describe(name, tuple(value), f"must have 1 to {MAX_AXES} entries"))
        return tuple(_pad_pair(f"{name}[{i}]", v) for i, v in enumerate(value))
    return _nonnegative_axes(name, value)


def _pad_pair(name: str, value: Any) -> Axes:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise FormulaError(describe(name, tuple(value), "must be a (before, after) pair"))
        return tuple(_bounded_int(f"{name}[{i}]", v, 0) for i, v in enumerate(value))
    return _bounded_int(name, value, 0)


# ---------------------------------------------------------------------------
# Layer specs: frozen, validated on construction, printed canonically
# ---------------------------------------------------------------------------

class _Layer:
    """Shared behaviour: validation from ``_checks`` and the canonical text."""

    kind: ClassVar[str]
    _checks: ClassVar[dict[str, Any]] = {}

    def __post_init__(self) -> None:
        for field in fields(self):  # type: ignore[arg-type]
            check = self._checks[field.name]
            value = check(f"{self.kind} argument {field.name}", getattr(self, field.name))
            object.__setattr__(self, field.name, value)

    @property
    def text(self) -> str:
        """Canonical text: the first argument positional, the rest by name when not default.

        Examples
        --------
        >>> parse_layer("conv(64, 3, p = 'SAME', bias=false)").text
        'conv(64, k=3, p=same, bias=False)'
        """
        parts = []
        for position, field in enumerate(fields(self)):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if position == 0:
                parts.append(_format_value(value))
            elif value != field.default:
                parts.append(f"{field.name}={_format_value(value)}")
        return f"{self.kind}({', '.join(parts)})" if parts else self.kind


def _format_value(value: Any) -> str:
    if isinstance(value, tuple):
        inner = ", ".join(_format_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return str(value)


@dataclass(frozen=True)
class Conv(_Layer):
    """Correlation layer (PyTorch ``ConvNd``): ``out`` channels, kernel ``k``."""

    kind: ClassVar[str] = "conv"
    _checks: ClassVar[dict[str, Any]] = {
        "out": _positive, "k": _positive_axes, "s": _positive_axes, "p": _conv_padding,
        "d": _positive_axes, "groups": _positive, "bias": _flag}
    out: int
    k: Axes
    s: Axes = 1
    p: Any = 0
    d: Axes = 1
    groups: int = 1
    bias: bool = True


@dataclass(frozen=True)
class TConv(_Layer):
    """Transposed convolution (PyTorch ``ConvTransposeNd``); ``op`` is output_padding."""

    kind: ClassVar[str] = "tconv"
    _checks: ClassVar[dict[str, Any]] = {
        "out": _positive, "k": _positive_axes, "s": _positive_axes, "p": _nonnegative_axes,
        "op": _nonnegative_axes, "d": _positive_axes, "groups": _positive, "bias": _flag}
    out: int
    k: Axes
    s: Axes = 1
    p: Axes = 0
    op: Axes = 0
    d: Axes = 1
    groups: int = 1
    bias: bool = True


@dataclass(frozen=True)
class MaxPool(_Layer):
    """Max pooling (PyTorch ``MaxPoolNd``); ``s`` defaults to ``k``."""

    kind: ClassVar[str] = "maxpool"
    _checks: ClassVar[dict[str, Any]] = {
        "k": _positive_axes, "s": _stride_or_default, "p": _nonnegative_axes,
        "d": _positive_axes, "ceil": _flag}
    k: Axes
    s: Axes | None = None
    p: Axes = 0
    d: Axes = 1
    ceil: bool = False


@dataclass(frozen=True)
class AvgPool(_Layer):
    """Average pooling (PyTorch ``AvgPoolNd``); ``s`` defaults to ``k``."""

    kind: ClassVar[str] = "avgpool"
    _checks: ClassVar[dict[str, Any]] = {
        "k": _positive_axes, "s": _stride_or_default, "p": _nonnegative_axes, "ceil": _flag}
    k: Axes
    s: Axes | None = None
    p: Axes = 0
    ceil: bool = False


@dataclass(frozen=True)
class Flatten(_Layer):
    """Reshape ``C x spatial`` to one axis of ``C * prod(spatial)`` features."""

    kind: ClassVar[str] = "flatten"


@dataclass(frozen=True)
class FC(_Layer):
    """Fully connected layer (PyTorch ``Linear``) on a flat input."""

    kind: ClassVar[str] = "fc"
    _checks: ClassVar[dict[str, Any]] = {"out": _positive, "bias": _flag}
    out: int
    bias: bool = True


@dataclass(frozen=True)
class ReLU(_Layer):
    """Elementwise activation: shape, field and counts pass through."""

    kind: ClassVar[str] = "relu"


@dataclass(frozen=True)
class BatchNorm(_Layer):
    """Batch normalisation: ``2C`` parameters, one multiply-add per element."""

    kind: ClassVar[str] = "bn"


LAYERS: dict[str, type[_Layer]] = {
    cls.kind: cls for cls in (Conv, MaxPool, AvgPool, TConv, Flatten, FC, ReLU, BatchNorm)}

Layer = Union[Conv, TConv, MaxPool, AvgPool, Flatten, FC, ReLU, BatchNorm]  # noqa: UP007


# ---------------------------------------------------------------------------
# Tokenizer and parser
# ---------------------------------------------------------------------------

_TOKEN = re.compile(r"""(?P<space>\s+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<int>-?[0-9]+)
                        |(?P<str>'[A-Za-z_]*'|"[A-Za-z_]*")|(?P<punct>[(),=])""", re.VERBOSE)
_TOKENS_VALID = "names, integers, 'quoted names', ( ) , ="


@dataclass(frozen=True)
class _Token:
    kind: str
    value: Any
    column: int


def _fail(text: str, column: int, problem: str) -> FormulaError:
    return FormulaError(f"in layer {text!r} at column {column}: {problem}")


def _tokenize(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _fail(text, position + 1, f"unexpected character {text[position]!r} "
                                            f"(valid: {_TOKENS_VALID})")
        kind, value = match.lastgroup, match.group()
        if kind == "int":
            value = _token_int(text, position, value)
        elif kind == "str":
            value = value[1:-1]
        if kind != "space":
            tokens.append(_Token(kind, value, position + 1))
        position = match.end()
    tokens.append(_Token("end", None, len(text) + 1))
    return tokens


def _token_int(text: str, position: int, digits: str) -> int:
    if len(digits.lstrip("-")) > len(str(MAX_INT)) or abs(int(digits)) > MAX_INT:
        raise _fail(text, position + 1, f"integer {digits[:12]} is too large "
                                        f"(valid: 0 to {MAX_INT})")
    return int(digits)


class _Parser:
    """Recursive descent over ``layer := NAME ['(' [arg (',' arg)* [',']] ')']``.

    ``arg := [NAME '='] value``; ``value := INT | NAME | STRING | '(' value, ... ')'``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.at = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self, kind: str, value: Any = None, expected: str = "") -> _Token:
        token = self.peek()
        if token.kind != kind or (value is not None and token.value != value):
            found = "end of text" if token.kind == "end" else repr(token.value)
            raise _fail(self.text, token.column, f"expected {expected}, found {found}")
        self.at += 1
        return token

    def layer(self) -> tuple[_Token, list[tuple[_Token | None, Any, int]]]:
        name = self.take("name", expected="a layer name")
        args: list[tuple[_Token | None, Any, int]] = []
        if self.peek().kind != "end":
            self.take("punct", "(", expected="'(' or end of text")
            while self.peek().value != ")" or self.peek().kind != "punct":
                args.append(self.argument())
                if self.peek().value != ")":
                    self.take("punct", ",", expected="',' or ')'")
            self.take("punct", ")", expected="')'")
            self.take("end", expected="end of text")
        return name, args

    def argument(self) -> tuple[_Token | None, Any, int]:
        keyword = None
        if self.peek().kind == "name" and self.peek(1).value == "=":
            keyword = self.take("name")
            self.take("punct", "=")
        column = self.peek().column
        return keyword, self.value(0), column

    def value(self, depth: int) -> Any:
        token = self.peek()
        if token.kind in ("int", "name", "str"):
            self.at += 1
            return token.value
        if token.kind == "punct" and token.value == "(":
            if depth >= MAX_NESTING:
                raise _fail(self.text, token.column,
                            f"tuples nested too deeply (valid: at most {MAX_NESTING} levels)")
            return self.tuple_value(depth + 1)
        found = "end of text" if token.kind == "end" else repr(token.value)
        raise _fail(self.text, token.column,
                    f"expected a value (an integer, a name or a tuple), found {found}")

    def tuple_value(self, depth: int) -> tuple:
        self.take("punct", "(")
        items = []
        while not (self.peek().kind == "punct" and self.peek().value == ")"):
            items.append(self.value(depth))
            if self.peek().value != ")":
                self.take("punct", ",", expected="',' or ')'")
        self.take("punct", ")", expected="')'")
        return tuple(items)


def parse_layer(text: str | Layer) -> Layer:
    """Parse one layer description into its frozen spec.

    Parameters
    ----------
    text : str
        ``conv(64, k=3, p=1)``, ``maxpool(2)``, ``tconv(8, k=(3, 5), s=2)``, ``flatten``,
        ``fc(10)``, ... (see the module docstring). An already-parsed layer is returned
        unchanged.

    Raises
    ------
    FormulaError
        Naming the layer text, the column and what is valid.

    Examples
    --------
    >>> parse_layer("conv(64, 3)")
    Conv(out=64, k=3, s=1, p=0, d=1, groups=1, bias=True)
    >>> parse_layer("maxpool(k=(2, 3), ceil=True)").text
    'maxpool((2, 3), ceil=True)'
    >>> parse_layer("cnv(3)")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: in layer 'cnv(3)' at column 1: unknown layer 'cnv'
    (valid: conv, maxpool, avgpool, tconv, flatten, fc, relu, bn)
    """
    if isinstance(text, _Layer):
        return text  # type: ignore[return-value]
    if not isinstance(text, str):
        raise FormulaError(describe("layer", text, "must be a string such as 'conv(64, k=3)'"))
    if len(text) > MAX_TEXT:
        raise FormulaError(f"layer text {text[:20] + '...'!r} must be at most {MAX_TEXT} "
                           f"characters long, got {len(text)} characters")
    name, args = _Parser(text).layer()
    return _build(text, name, args)


def _build(text: str, name: _Token, args: list[tuple[_Token | None, Any, int]]) -> Layer:
    cls = LAYERS.get(name.value.lower())
    if cls is None:
        raise _fail(text, name.column, f"unknown layer {name.value!r} "
                                       f"(valid: {', '.join(LAYERS)})")
    names = [field.name for field in fields(cls)]  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for position, (keyword, value, column) in enumerate(args):
        if keyword is None and any(earlier is not None for earlier, _, _ in args[:position]):
            raise _fail(text, column, "positional argument after a keyword argument")
        key = _argument_name(text, cls, names, position, keyword, column, kwargs)
        kwargs[key] = (value, column)
    required = [f.name for f in fields(cls) if f.default is MISSING]  # type: ignore[arg-type]
    missing = [key for key in required if key not in kwargs]
    if missing:
        raise _fail(text, name.column, f"{cls.kind} needs {', '.join(missing)} "
                                       f"(valid: {cls.kind}({', '.join(names)}))")
    return _construct(text, cls, kwargs)


def _argument_name(text, cls, names, position, keyword, column, seen) -> str:
    if keyword is None:
        if position >= len(names):
            raise _fail(text, column, f"too many arguments for {cls.kind} "
                                      f"(valid: {cls.kind}({', '.join(names)}))")
        return names[position]
    key = keyword.value.lower()
    if key not in names:
        raise _fail(text, keyword.column, f"unknown argument {keyword.value!r} for {cls.kind} "
                                          f"(valid: {', '.join(names) or 'none'})")
    if key in seen:
        raise _fail(text, keyword.column, f"argument {key!r} given twice")
    return key


def _construct(text: str, cls: type[_Layer], kwargs: dict[str, tuple[Any, int]]) -> Layer:
    for key, (value, column) in kwargs.items():
        try:
            cls._checks[key](f"{cls.kind} argument {key}", value)
        except FormulaError as error:
            raise _fail(text, column, str(error)) from None
    return cls(**{key: value for key, (value, _) in kwargs.items()})  # type: ignore


_INPUT = re.compile(r"\s*[0-9]+\s*(?:[x×*,]\s*[0-9]+\s*)*")


def parse_input(text: str | Sequence[int]) -> tuple[int, tuple[int, ...]]:
    """Parse ``C x spatial`` (1 to 3 spatial axes) into ``(C, spatial)``.

    Separators ``x``, ``×``, ``*`` or ``,``; a sequence of ints is accepted as well.

    Examples
    --------
    >>> parse_input("3x224x224")
    (3, (224, 224))
    >>> parse_input((1, 28))
    (1, (28,))
    >>> parse_input("3x224x")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: input '3x224x' must be channels x spatial sizes,
    positive integers (valid: e.g. 3x224x224, 1 to 3 spatial axes)
    """
    if isinstance(text, str):
        sizes = _input_sizes(text)
    elif isinstance(text, Sequence) and all(is_integer(v) for v in text):
        sizes = tuple(text)
    else:
        raise FormulaError(describe("input", text, "must be a text like '3x224x224' or a "
                                                   "tuple of ints"))
    if not (2 <= len(sizes) <= MAX_AXES + 1 and all(1 <= v <= MAX_INT for v in sizes)):
        raise FormulaError(f"input {text!r} must be channels x spatial sizes, positive "
                           f"integers up to {MAX_INT} (valid: e.g. 3x224x224, 1 to "
                           f"{MAX_AXES} spatial axes)")
    return sizes[0], tuple(sizes[1:])


def _input_sizes(text: str) -> tuple[int, ...]:
    if len(text) > MAX_TEXT or not _INPUT.fullmatch(text):
        raise FormulaError(f"input {text[:MAX_TEXT]!r} must be channels x spatial sizes, "
                           f"positive integers (valid: e.g. 3x224x224, 1 to {MAX_AXES} "
                           f"spatial axes)")
    digits = re.findall(r"[0-9]+", text)
    return tuple(int(d) if len(d) <= 7 else MAX_INT + 1 for d in digits)


# ---------------------------------------------------------------------------
# One layer: output shape, counts, and its map on the receptive field
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Step:
    """What one layer does: the shape it makes and how it widens the field.

    ``field`` is per axis ``(span - 1, stride, left pad)`` in the layer's input units,
    ``"flatten"`` or ``"whole"``.
    """

    output_shape: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    params: int
    params_no_bias: int
    macs: int
    macs_nonzero: int
    field: Any


def _per_axis(value: Axes, ndim: int) -> tuple[int, ...] | int:
    return value if isinstance(value, tuple) else (value,) * ndim


def _spatial(layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...]:
    if len(shape) < 2:
        raise GeometryError(describe(f"{layer.kind} input", _fmt_shape(shape),
                                     "must have spatial axes (it is flat after flatten/fc)",
                                     "put spatial layers before flatten"))
    return shape[1:]


def _check_groups(layer: Conv | TConv, channels: int) -> None:
    for what, count in (("input channels", channels), ("output channels", layer.out)):
        if count % layer.groups:
            divisors = [g for g in range(1, count + 1) if count % g == 0][:8]
            raise OperatorError(describe(
                "groups", layer.groups, f"must divide the {what} {count}",
                ", ".join(map(str, divisors))))


def _hits(count: int, k: int, s: int, offset: int, d: int, limit: int) -> int:
    """Count pairs ``0 <= i < count``, ``0 <= j < k`` with ``0 <= i s - offset + j d < limit``."""
    total = 0
    for j in range(k):
        low = -(-(offset - j * d) // s)
        high = (limit - 1 + offset - j * d) // s
        total += max(0, min(high, count - 1) - max(low, 0) + 1)
    return total


def _conv_step(layer: Conv, shape: tuple[int, ...]) -> _Step:
    spatial = _spatial(layer, shape)
    g = Geometry(spatial, _per_axis(layer.k, len(spatial)), layer.s, layer.p, layer.d)
    _check_groups(layer, shape[0])
    fan_in = shape[0] // layer.groups * prod(g.kernel_shape)
    weights = layer.out * fan_in
    out = (layer.out, *g.output_shape)
    taps = prod(_hits(o, k, s, pb, d, n) for n, k, s, d, (pb, _), o in zip(
        g.input_shape, g.kernel_shape, g.stride, g.dilation, g.pads, g.output_shape))
    field = tuple((d * (k - 1), s, pb) for k, s, d, (pb, _) in zip(
        g.kernel_shape, g.stride, g.dilation, g.pads))
    bias = layer.out if layer.bias else 0
    return _Step(out, g.pads, weights + bias, weights, prod(out) * fan_in,
                 layer.out * (shape[0] // layer.groups) * taps, field)


def _tconv_step(layer: TConv, shape: tuple[int, ...]) -> _Step:
    spatial = _spatial(layer, shape)
    t = TransposedGeometry(spatial, _per_axis(layer.k, len(spatial)), layer.s, layer.p,
                           layer.op, layer.d)
    _check_groups(layer, shape[0])
    weights = shape[0] * (layer.out // layer.groups) * prod(t.kernel_shape)
    pairs = prod(_hits(n, k, s, p, d, o) for n, k, s, p, d, o in zip(
        t.input_shape, t.kernel_shape, t.stride, t.padding, t.dilation, t.output_shape))
    macs = pairs * shape[0] * (layer.out // layer.groups)
    field = tuple((Fraction(d * (k - 1), s), Fraction(1, s), Fraction(d * (k - 1) - p, s))
                  for k, s, p, d in zip(t.kernel_shape, t.stride, t.padding, t.dilation))
    pads = tuple((p, p) for p in t.padding)
    bias = layer.out if layer.bias else 0
    return _Step((layer.out, *t.output_shape), pads, weights + bias, weights, macs, macs, field)


def _pool_step(layer: MaxPool | AvgPool, shape: tuple[int, ...]) -> _Step:
    spatial = _spatial(layer, shape)
    ndim = len(spatial)
    stride = None if layer.s is None else _per_axis(layer.s, ndim)
    g = PoolGeometry(spatial, _per_axis(layer.k, ndim), stride, layer.p,
                     getattr(layer, "d", 1), layer.ceil)
    field = tuple((d * (k - 1), s, p) for k, s, p, d in zip(
        g.kernel_shape, g.stride, g.padding, g.dilation))
    return _Step((shape[0], *g.output_shape), g.pads, 0, 0, 0, 0, field)


def _pass_step(layer: ReLU | BatchNorm, shape: tuple[int, ...]) -> _Step:
    params = 2 * shape[0] if isinstance(layer, BatchNorm) else 0
    macs = prod(shape) if isinstance(layer, BatchNorm) else 0
    field = ((0, 1, 0),) * (len(shape) - 1) if len(shape) > 1 else "keep"
    pads = ((0, 0),) * (len(shape) - 1)
    return _Step(shape, pads, params, params // 2, macs, macs, field)


def _flatten_step(layer: Flatten, shape: tuple[int, ...]) -> _Step:
    return _Step((prod(shape),), (), 0, 0, 0, 0, "flatten" if len(shape) > 1 else "keep")


def _fc_step(layer: FC, shape: tuple[int, ...]) -> _Step:
    if len(shape) != 1:
        raise GeometryError(describe("fc input", _fmt_shape(shape),
                                     "must be flat: add flatten before fc",
                                     f"flatten gives {prod(shape)} features"))
    weights = shape[0] * layer.out
    bias = layer.out if layer.bias else 0
    return _Step((layer.out,), (), weights + bias, weights, weights, weights, "whole")


_STEPS = {Conv: _conv_step, TConv: _tconv_step, MaxPool: _pool_step, AvgPool: _pool_step,
          Flatten: _flatten_step, FC: _fc_step, ReLU: _pass_step, BatchNorm: _pass_step}


# ---------------------------------------------------------------------------
# The chain: receptive-field recursion and reports
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerReport:
    """One row of :func:`shape`: the layer, its output and where it looks in the input.

    ``receptive_field``, ``effective_stride``, ``effective_padding`` are per spatial axis
    of the network input, ints or exact Fractions (transposed layers); the last two are
    ``None`` once there is no spatial axis (after ``flatten``), and ``note`` says why.
    """

    index: int
    layer: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    params: int
    params_no_bias: int
    macs: int
    macs_nonzero: int
    receptive_field: tuple[Exact, ...]
    effective_stride: tuple[Exact, ...] | None
    effective_padding: tuple[Exact, ...] | None
    note: str = ""


@dataclass(frozen=True)
class _Field:
    """Receptive field state per axis: span ``r``, jump ``S``, start offset ``P``."""

    r: tuple[Fraction, ...]
    S: tuple[Fraction, ...]
    P: tuple[Fraction, ...]

    def then(self, step: tuple) -> _Field:
        """Compose with a layer whose per-axis map is ``(span - 1, stride, left pad)``."""
        return _Field(tuple(r + a * S for r, S, (a, _, _) in zip(self.r, self.S, step)),
                      tuple(S * s for S, (_, s, _) in zip(self.S, step)),
                      tuple(P + p * S for P, S, (_, _, p) in zip(self.P, self.S, step)))

    def extent(self, out_spatial: tuple[int, ...], input_spatial: tuple[int, ...]) -> tuple:
        """Span of the union of all output pixels' fields, clipped to the input."""
        sizes = []
        for r, S, P, m, n in zip(self.r, self.S, self.P, out_spatial, input_spatial):
            first = max(0, ceil(-P))
            last = min(n - 1, floor((m - 1) * S - P + r - 1))
            sizes.append(max(0, last - first + 1))
        return tuple(sizes)


def _exact(values: tuple[Fraction, ...] | None) -> tuple[Exact, ...] | None:
    if values is None:
        return None
    return tuple(int(v) if v.denominator == 1 else v for v in values)


def shape(input: str | Sequence[int], layers: Sequence[str | Layer]) -> list[LayerReport]:
    """Walk a chain of layers: shapes, pads, parameters, MACs and receptive fields.

    Parameters
    ----------
    input : str or sequence of int
        ``"3x224x224"`` or ``(3, 224, 224)``: channels, then 1 to 3 spatial sizes.
    layers : sequence of str or layer specs
        Each parsed by :func:`parse_layer`.

    Returns
    -------
    list of LayerReport
        One per layer, in order.

    Raises
    ------
    FormulaError, GeometryError, OperatorError
        Prefixed with ``layer <i> '<text>'`` (1-based) and the layer's input shape.

    Examples
    --------
    >>> vgg_block = ["conv(64, k=3, p=1)", "conv(64, k=3, p=1)", "maxpool(2)"]
    >>> last = shape("3x224x224", vgg_block)[-1]
    >>> last.output_shape, last.receptive_field, last.effective_stride
    ((64, 112, 112), (6, 6), (2, 2))
    >>> shape("1x5x5", ["conv(1, k=7)"])
    Traceback (most recent call last):
        ...
    symconv.errors.GeometryError: layer 1 'conv(1, k=7)' on input 1x5x5: kernel_shape[0]
    must fit the padded input, got 7: dilated kernel size 7 > padded input size 5
    (input 5 + pads 0+0) (valid: input_shape[0] >= 7 for this kernel, padding and
    dilation)
    """
    channels, spatial = parse_input(input)
    if not isinstance(layers, Sequence) or isinstance(layers, str):
        raise FormulaError(describe("layers", layers, "must be a list of layer texts"))
    current = (channels, *spatial)
    ones = tuple(Fraction(1) for _ in spatial)
    field: _Field | None = _Field(ones, ones, tuple(Fraction(0) for _ in spatial))
    rf, whole = field.r, spatial
    reports = []
    for index, item in enumerate(layers, start=1):
        layer, step = _run(index, item, current)
        note = ""
        if isinstance(step.field, tuple):
            field = field.then(step.field)
            rf = field.r
        elif step.field == "flatten":
            whole = field.extent(current[1:], spatial)
            field, note = None, "flat: each unit keeps the field of the unit it came from"
        elif step.field == "whole":
            rf, note = whole, "every unit sees the whole input (clipped span)"
        elif field is None:
            note = "flat: no spatial axes"
        reports.append(LayerReport(
            index, layer.text, current, step.output_shape, step.pads, step.params,
            step.params_no_bias, step.macs, step.macs_nonzero, _exact(tuple(map(Fraction, rf))),
            _exact(field and field.S), _exact(field and field.P), note))
        current = step.output_shape
    return reports


def _run(index: int, item: str | Layer, current: tuple[int, ...]) -> tuple[Layer, _Step]:
    try:
        layer = parse_layer(item)
    except FormulaError as error:
        raise FormulaError(f"layer {index}: {error}") from None
    try:
        return layer, _STEPS[type(layer)](layer, current)
    except SymconvError as error:
        raise type(error)(f"layer {index} {layer.text!r} on input {_fmt_shape(current)}: "
                          f"{error}") from None


# ---------------------------------------------------------------------------
# Output: text table and JSON-ready dict
# ---------------------------------------------------------------------------

def _fmt_shape(values: Sequence[Any]) -> str:
    return "x".join(str(v) for v in values)


def _fmt_axes(values: Sequence[Any] | None) -> str:
    if values is None:
        return "-"
    if len(set(values)) == 1:
        return str(values[0])
    return _fmt_shape(values)


def _fmt_pads(pads: Sequence[tuple[int, int]]) -> str:
    if not pads:
        return "-"
    return _fmt_axes([str(b) if b == a else f"{b}:{a}" for b, a in pads])


_COLUMNS = ("#", "layer", "output", "pads", "params", "MACs", "RF", "stride", "eff. pad")


def format_table(reports: Sequence[LayerReport]) -> str:
    """A fixed-width text table, one row per layer, totals at the end.

    Per-axis values that agree print once (``3``), others per axis (``3x5``); pads
    print ``before:after`` when they differ.

    Examples
    --------
    >>> print(format_table(shape("1x28x28", ["conv(4, k=3)", "maxpool(2)", "flatten",
    ...                                      "fc(10)"])))
    #  layer         output   pads  params  MACs   RF  stride  eff. pad
    1  conv(4, k=3)  4x26x26  0     40      24336  3   1       0
    2  maxpool(2)    4x13x13  0     0       0      4   2       0
    3  flatten       676      -     0       0      4   -       -
    4  fc(10)        10       -     6770    6760   28  -       -
    total                           6810    31096
    """
    rows = [[str(r.index), r.layer, _fmt_shape(r.output_shape), _fmt_pads(r.pads),
             str(r.params), str(r.macs), _fmt_axes(r.receptive_field),
             _fmt_axes(r.effective_stride), _fmt_axes(r.effective_padding)] for r in reports]
    total = ["total", "", "", "", str(sum(r.params for r in reports)),
             str(sum(r.macs for r in reports)), "", "", ""]
    table = [list(_COLUMNS), *rows, total]
    widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    return "\n".join(lines)


def _json_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value


def reports_to_dict(reports: Sequence[LayerReport]) -> dict[str, Any]:
    """JSON-ready form: ints, strings, lists, ``None``; Fractions as ``"a/b"``.

    Examples
    --------
    >>> d = reports_to_dict(shape("1x8", ["tconv(1, k=4, s=2)"]))
    >>> d["layers"][0]["receptive_field"], d["layers"][0]["effective_stride"]
    (['5/2'], ['1/2'])
    """
    keys = ("index", "layer", "output_shape", "pads", "params", "params_no_bias", "macs",
            "macs_nonzero", "receptive_field", "effective_stride", "effective_padding", "note")
    return {"layers": [{key: _json_value(getattr(r, key)) for key in keys} for r in reports],
            "total_params": sum(r.params for r in reports),
            "total_macs": sum(r.macs for r in reports)}


# ---------------------------------------------------------------------------
# Fully connected versus convolution
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FcVsConv:
    """Parameters and multiply-adds of an FC layer and a conv with the same outputs."""

    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    fc_params: int
    conv_params: int
    fc_macs: int
    conv_macs: int
    params_ratio: Fraction
    macs_ratio: Fraction


def fc_vs_conv(input_shape: Sequence[int], kernel: int | Sequence[int], stride: Axes = 1,
               padding: Any = 0, dilation: Axes = 1, in_channels: int = 1,
               out_channels: int = 1) -> FcVsConv:
    """Compare a fully connected layer with a conv producing the same number of outputs.

    The FC layer maps all ``in_channels * prod(input_shape)`` inputs to each of the conv's
    ``out_channels * prod(output_shape)`` outputs. Biases are left out of both counts.
    The ratios are ``fc / conv``, exact.

    Examples
    --------
    >>> c = fc_vs_conv((32, 32), kernel=2)
    >>> c.output_shape, c.fc_params, c.conv_params, c.params_ratio
    ((31, 31), 984064, 4, Fraction(246016, 1))
    >>> c.fc_macs, c.conv_macs, c.macs_ratio
    (984064, 3844, Fraction(256, 1))
    """
    in_channels = integer("in_channels", in_channels, minimum=1, error=OperatorError)
    out_channels = integer("out_channels", out_channels, minimum=1, error=OperatorError)
    spatial = tuple(input_shape)
    g = Geometry(spatial, _per_axis(kernel, len(spatial)) if is_integer(kernel) else kernel,
                 stride, padding, dilation)
    inputs = in_channels * prod(g.input_shape)
    outputs = out_channels * prod(g.output_shape)
    conv_params = out_channels * in_channels * prod(g.kernel_shape)
    conv_macs = outputs * in_channels * prod(g.kernel_shape)
    fc = inputs * outputs
    return FcVsConv(g.input_shape, g.output_shape, fc, conv_params, fc, conv_macs,
                    Fraction(fc, conv_params), Fraction(fc, conv_macs))
