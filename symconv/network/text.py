"""Reading the network language (``symconv/grammars/network.lark``): layers and input sizes.

Text is parsed by :func:`symconv.grammar.parse` into a tree and the tree is read here into
frozen specs; nothing is evaluated. Every rejection is a
:class:`~symconv.errors.FormulaError` naming the text, the column and what is valid.

Examples
--------
>>> parse_layer("conv(64, 3)")
Conv(out=64, k=3, s=1, p=0, d=1, groups=1, bias=True)
>>> parse_layer("maxpool(k=(2, 3), ceil=True)").text
'maxpool((2, 3), ceil=True)'
>>> parse_input("3x224x224")
(3, (224, 224))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import MISSING, fields
from fractions import Fraction
from typing import Any

from lark import Token, Tree

from ..errors import FormulaError, describe
from ..geometry import MAX_AXES
from ..grammar import parse
from ..validation import is_integer
from .layers import LAYERS, MAX_INT, Layer

#: Longest layer or input text the parser reads.
MAX_TEXT = 200
#: Deepest tuple nesting: ``p=((1, 2), (0, 1))``.
MAX_NESTING = 2
#: The words the grammar's terminals are named by in messages.
WORDS = {"SIGNED_INT": "an integer", "DECIMAL": "a decimal", "STRING": "a 'quoted name'",
         "__ANON_0": "'->'", "_NEWLINE": "a new line", "_BY": "'x'", "SEMICOLON": "';'",
         "LBRACE": "'{'", "RBRACE": "'}'", "INPUT": "'input'", "BLOCK": "'block'"}


class _Decimal(Fraction):
    """A decimal from the text: exact, and printed as it was written."""

    def __new__(cls, text: str) -> _Decimal:
        self = super().__new__(cls, text)
        self._text = text
        return self

    def __repr__(self) -> str:
        return self._text


def fail(text: str, column: int, problem: str, what: str = "layer") -> FormulaError:
    """The error of a value at ``column`` (1-based) of ``text``."""
    return FormulaError(f"in {what} {text!r} at column {column}: {problem}")


def _check_length(text: str, what: str, limit: int = MAX_TEXT) -> None:
    if len(text) > limit:
        raise FormulaError(f"{what} text {text[:20] + '...'!r} must be at most {limit} "
                           f"characters long, got {len(text)} characters")


def value_of(text: str, node: Any, depth: int = 0, what: str = "layer") -> Any:
    """The Python value of a ``value`` subtree: int, exact decimal, name or tuple."""
    if isinstance(node, Token):
        if node.type == "SIGNED_INT":
            digits = str(node)
            if len(digits.lstrip("-")) > len(str(MAX_INT)) or abs(int(digits)) > MAX_INT:
                raise fail(text, node.column, f"integer {digits[:12]} is too large "
                                              f"(valid: 0 to {MAX_INT})", what)
            return int(digits)
        if node.type == "DECIMAL":
            return _Decimal(str(node))
        if node.type == "STRING":
            return str(node)[1:-1]
        return str(node)
    if depth >= MAX_NESTING:
        raise fail(text, node.meta.column, f"tuples nested too deeply (valid: at most "
                                           f"{MAX_NESTING} levels)", what)
    return tuple(value_of(text, child, depth + 1, what) for child in node.children)


def column_of(node: Any) -> int:
    """1-based column of a token or subtree."""
    return node.column if isinstance(node, Token) else node.meta.column


def call_parts(call: Tree) -> tuple[Token, list[tuple[Token | None, Any]]]:
    """``(name, [(keyword token or None, value subtree), ...])`` of a ``call`` subtree."""
    name, *arguments = call.children
    args = []
    for argument in arguments:
        if argument.data == "keyword":
            args.append((argument.children[0], argument.children[1]))
        else:
            args.append((None, argument.children[0]))
    return name, args


def parse_layer(text: str | Layer) -> Layer:
    """Parse one layer description into its frozen spec.

    Parameters
    ----------
    text : str
        ``conv(64, k=3, p=1)``, ``maxpool(2)``, ``tconv(8, k=(3, 5), s=2)``, ``flatten``,
        ``fc(10)``, ... (``symconv shape --help`` lists them all). An already-parsed layer
        is returned unchanged.

    Raises
    ------
    FormulaError
        Naming the layer text, the column and what is valid.

    Examples
    --------
    >>> parse_layer("conv(64, 3, p = 'SAME', bias=false)").text
    'conv(64, k=3, p=same, bias=False)'
    >>> parse_layer("cnv(3)")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: in layer 'cnv(3)' at column 1: unknown layer 'cnv' (valid:
    conv, maxpool, avgpool, tconv, flatten, fc, relu, bn, relu6, silu, gelu, sigmoid, tanh,
    dropout, upsample, pixelshuffle, layernorm, groupnorm, adaptiveavgpool, adaptivemaxpool,
    globalavgpool, globalmaxpool, elementwise)
    """
    if isinstance(text, Layer):
        return text
    if not isinstance(text, str):
        raise FormulaError(describe("layer", text, "must be a string such as 'conv(64, k=3)'"))
    _check_length(text, "layer")
    tree = parse("network", text, parameter=f"layer {text!r}", start="layer_text", words=WORDS)
    call = tree.children[0]
    name, args = call_parts(call)
    cls = LAYERS.get(str(name).lower())
    if cls is None:
        raise fail(text, name.column, f"unknown layer {str(name)!r} (valid: {', '.join(LAYERS)})")
    return build_layer(text, cls, name, [(k, value_of(text, v), column_of(v)) for k, v in args])


def build_layer(text: str, cls: type[Layer], name: Token,
                args: list[tuple[Token | None, Any, int]], what: str = "layer") -> Layer:
    """The spec of ``cls`` from ``(keyword, value, column)`` arguments, each checked."""
    names = [field.name for field in fields(cls)]  # type: ignore[arg-type]
    kwargs: dict[str, tuple[Any, int]] = {}
    for position, (keyword, value, column) in enumerate(args):
        if keyword is None and any(earlier is not None for earlier, _, _ in args[:position]):
            raise fail(text, column, "positional argument after a keyword argument", what)
        key = _argument_name(text, cls, names, position, keyword, column, kwargs, what)
        kwargs[key] = (value, column)
    required = [f.name for f in fields(cls) if f.default is MISSING]  # type: ignore[arg-type]
    missing = [key for key in required if key not in kwargs]
    if missing:
        raise fail(text, name.column, f"{cls.kind} needs {', '.join(missing)} "
                                      f"(valid: {cls.kind}({', '.join(names)}))", what)
    for key, (value, column) in kwargs.items():
        try:
            cls._checks[key](f"{cls.kind} argument {key}", value)
        except FormulaError as error:
            raise fail(text, column, str(error), what) from None
    return cls(**{key: value for key, (value, _) in kwargs.items()})


def _argument_name(text, cls, names, position, keyword, column, seen, what) -> str:
    if keyword is None:
        if position >= len(names):
            raise fail(text, column, f"too many arguments for {cls.kind} "
                                     f"(valid: {cls.kind}({', '.join(names)}))", what)
        return names[position]
    key = str(keyword).lower()
    if key not in names:
        raise fail(text, keyword.column, f"unknown argument {str(keyword)!r} for {cls.kind} "
                                         f"(valid: {', '.join(names) or 'none'})", what)
    if key in seen:
        raise fail(text, keyword.column, f"argument {key!r} given twice", what)
    return key


# ---------------------------------------------------------------------------
# Input sizes: channels first; a batch axis or channels-last refused unless asked for
# ---------------------------------------------------------------------------

LAYOUTS = ("auto", "chw", "hwc")
_INPUT_VALID = f"e.g. 3x224x224, 1 to {MAX_AXES} spatial axes"


def parse_input(text: str | Sequence[int], batch: int | None = None,
                layout: str = "auto") -> tuple[int, tuple[int, ...]]:
    """Parse ``C x spatial`` (1 to 3 spatial axes) into ``(C, spatial)``.

    Separators ``x``, ``×``, ``*`` or ``,``; a sequence of ints is accepted as well.

    Parameters
    ----------
    text : str or sequence of int
        The sizes, channels first.
    batch : int, optional
        The sizes start with a batch axis of this size, which is dropped (counts are per
        sample).
    layout : {"auto", "chw", "hwc"}
        ``"auto"`` refuses sizes that look like a batch axis (``1x3x224x224``) or
        channels-last (``224x224x3``), naming how to write them; ``"chw"`` takes the sizes
        as channels first without that check; ``"hwc"`` reads them channels last.

    Examples
    --------
    >>> parse_input((1, 28))
    (1, (28,))
    >>> parse_input("224x224x3", layout="hwc"), parse_input("8x3x32x32", batch=8)
    ((3, (224, 224)), (3, (32, 32)))
    >>> parse_input("224x224x3")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: input '224x224x3' looks channels-last (H x W x C): write
    channels first, 3x224x224 (or pass layout='hwc' / --layout hwc; layout='chw' / --layout
    chw if 224 really is the channel count)
    """
    if layout not in LAYOUTS:
        raise FormulaError(describe("layout", layout, "must be a layout name", ", ".join(LAYOUTS)))
    sizes = _sizes(text)
    if batch is not None:
        sizes = _drop_batch(text, sizes, batch)
    elif layout == "auto":
        _refuse_batch(text, sizes)
    if layout == "hwc" and len(sizes) >= 2:
        sizes = (sizes[-1], *sizes[:-1])
    elif layout == "auto":
        _refuse_channels_last(text, sizes)
    if not (2 <= len(sizes) <= MAX_AXES + 1 and all(1 <= v <= MAX_INT for v in sizes)):
        raise FormulaError(f"input {text!r} must be channels x spatial sizes, positive "
                           f"integers up to {MAX_INT} (valid: {_INPUT_VALID})")
    return sizes[0], tuple(sizes[1:])


def _sizes(text: str | Sequence[int]) -> tuple[int, ...]:
    if isinstance(text, str):
        if len(text) > MAX_TEXT or not text.strip():
            raise FormulaError(f"input {text[:MAX_TEXT]!r} must be channels x spatial sizes, "
                               f"positive integers (valid: {_INPUT_VALID})")
        tree = parse("network", text.strip(), parameter=f"input {text!r}", start="input_text",
                     words=WORDS)
        digits = [str(token) for token in tree.children[0].children]
        return tuple(int(d) if len(d) <= 7 else MAX_INT + 1 for d in digits)
    if isinstance(text, Sequence) and all(is_integer(v) for v in text):
        return tuple(int(v) for v in text)
    raise FormulaError(describe("input", text, "must be a text like '3x224x224' or a "
                                               "tuple of ints"))


def _drop_batch(text: Any, sizes: tuple[int, ...], batch: int) -> tuple[int, ...]:
    if not is_integer(batch) or batch < 1:
        raise FormulaError(describe("batch", batch, "must be a positive integer", "1, 2, 3, ..."))
    if not sizes or sizes[0] != batch:
        raise FormulaError(f"input {text!r} must start with the batch size {batch} given by "
                           f"batch (valid: e.g. {batch}x3x224x224)")
    return sizes[1:]


def _refuse_batch(text: Any, sizes: tuple[int, ...]) -> None:
    """``N x C x H x W`` with ``N = 1`` and few channels reads as a batch of images."""
    if len(sizes) == 4 and sizes[0] == 1 and sizes[1] in (1, 3, 4) and min(sizes[2:]) >= 8:
        rest = "x".join(map(str, sizes[1:]))
        raise FormulaError(f"input {text!r} looks like it has a leading batch axis (N x C x H "
                           f"x W): write one sample, {rest}, or pass batch=1 / --batch 1 "
                           f"(layout='chw' / --layout chw if it is a 3-D input with 1 channel)")
    if len(sizes) == MAX_AXES + 2:
        rest = "x".join(map(str, sizes[1:]))
        raise FormulaError(f"input {text!r} has {len(sizes)} sizes: if the first is a batch "
                           f"axis, write one sample, {rest}, or pass batch={sizes[0]} / "
                           f"--batch {sizes[0]} (valid: {_INPUT_VALID})")


def _refuse_channels_last(text: Any, sizes: tuple[int, ...]) -> None:
    """``H x W x C`` with 1, 3 or 4 channels last and every other size at least 16."""
    if len(sizes) >= 3 and sizes[-1] in (1, 3, 4) and min(sizes[:-1]) >= 16 \
            and sizes[0] > sizes[-1]:
        first = "x".join(map(str, (sizes[-1], *sizes[:-1])))
        raise FormulaError(f"input {text!r} looks channels-last (H x W x C): write channels "
                           f"first, {first} (or pass layout='hwc' / --layout hwc; "
                           f"layout='chw' / --layout chw if {sizes[0]} really is the channel "
                           f"count)")
