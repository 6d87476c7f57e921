"""The tree of a claim: frozen dataclasses read from ``symconv/grammars/claim.lark``.

:func:`parse_claim` and :func:`parse_shapes` parse text with the project's one
grammar toolkit (:func:`symconv.grammar.parse`) and turn the Lark tree into the
nodes below. Every node keeps its 0-based ``start`` and ``end`` positions in the
text, so an error can point at the part of the claim it is about.

Examples
--------
>>> chain = parse_claim("flip(flip(k)) == k")
>>> chain.terms[1]
Name(name='k', start=17, end=18)
>>> chain.terms[0].args[0].function, chain.terms[0].start, chain.terms[0].end
('flip', 0, 13)
>>> parse_shapes("x=n, y=(m, m)")["y"]
Tuple(items=(Name(name='m', start=8, end=9), Name(name='m', start=11, end=12)), start=7, end=13)
>>> parse_claim("corr(x, k")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
symconv.claim.syntax.ClaimError: claim is not valid text at column 10: the text ends
...
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from lark import Transformer, v_args

from symconv.errors import SymconvError
from symconv.grammar import parse

__all__ = ["ClaimError", "Name", "Number", "String", "BinOp", "Neg", "Call", "Keyword",
           "Tuple", "Chain", "Node", "parse_claim", "parse_shapes", "walk", "walk_children",
           "pointer", "MAX_DEPTH"]


class ClaimError(SymconvError):
    """A claim, its shapes or its domain that cannot be read or checked."""


@dataclass(frozen=True)
class Name:
    """A signal (bound to a shape) or a size name (bound by the domain)."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Number:
    """A non-negative integer literal."""

    value: int
    start: int
    end: int


@dataclass(frozen=True)
class String:
    """A quoted word: a padding name (``"same"``) or a mode (``"circular"``)."""

    value: str
    start: int
    end: int


@dataclass(frozen=True)
class BinOp:
    """``left op right`` with ``op`` one of ``+ - * // /``."""

    op: str
    left: Node
    right: Node
    start: int
    end: int


@dataclass(frozen=True)
class Neg:
    """``-operand``."""

    operand: Node
    start: int
    end: int


@dataclass(frozen=True)
class Keyword:
    """``name=value`` inside a call."""

    name: str
    value: Node
    start: int
    end: int


@dataclass(frozen=True)
class Call:
    """``function(args..., keywords...)``."""

    function: str
    args: tuple[Node, ...]
    keywords: tuple[Keyword, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Tuple:
    """``(a, b, ...)``: a shape or a per-axis value for 2-D."""

    items: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Chain:
    """``a == b == c``: the terms, each step comparing two neighbours."""

    terms: tuple[Node, ...]
    text: str

    def steps(self) -> list[tuple[Node, Node]]:
        """The neighbouring pairs ``(a, b), (b, c), ...``."""
        return list(zip(self.terms, self.terms[1:]))


Node = Name | Number | String | BinOp | Neg | Call | Tuple


@v_args(meta=True)
class _ToNodes(Transformer):
    """Lark tree -> nodes, keeping each node's span in the text."""

    def name(self, meta, children):
        return Name(str(children[0]), meta.start_pos, meta.end_pos)

    def number(self, meta, children):
        return Number(int(children[0]), meta.start_pos, meta.end_pos)

    def string(self, meta, children):
        return String(str(children[0])[1:-1], meta.start_pos, meta.end_pos)

    def _binop(op):  # noqa: N805 - a factory of methods
        def method(self, meta, children):
            return BinOp(op, children[0], children[1], meta.start_pos, meta.end_pos)
        return method

    add, sub, mul, floordiv = _binop("+"), _binop("-"), _binop("*"), _binop("//")
    truediv = _binop("/")

    def neg(self, meta, children):
        return Neg(children[0], meta.start_pos, meta.end_pos)

    def keyword(self, meta, children):
        return Keyword(str(children[0]), children[1], meta.start_pos, meta.end_pos)

    def call(self, meta, children):
        function, rest = children[0], [c for c in children[1:] if c is not None]
        args = tuple(c for c in rest if not isinstance(c, Keyword))
        keywords = tuple(c for c in rest if isinstance(c, Keyword))
        return Call(str(function), args, keywords, meta.start_pos, meta.end_pos)

    def tuple(self, meta, children):
        return Tuple(tuple(c for c in children if c is not None), meta.start_pos, meta.end_pos)

    def binding(self, meta, children):
        return (children[0], children[1])

    def shapes(self, meta, children):
        return [c for c in children if c is not None]

    def claim(self, meta, children):
        return tuple(children)


def pointer(text: str, start: int, end: int | None = None) -> str:
    """The text with carets under ``text[start:end]`` (for error messages)."""
    width = max((end or start + 1) - start, 1)
    line = text.replace("\n", " ")
    return f"\n  {line}\n  {' ' * start}{'^' * width}"


#: Deepest nesting of operators and parentheses a claim may have (its readers recurse).
MAX_DEPTH = 64


def _depth(node: Node) -> int:
    """How deeply ``node`` nests (1 for a leaf), without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        children = list(walk_children(current))
        stack.extend((child, level + 1) for child in children)
    return deepest


@lru_cache(maxsize=1024)
def parse_claim(text: str, parameter: str = "claim") -> Chain:
    """Parse a claim; refuse one without ``==`` (it states nothing to check).

    The tree is immutable, so a text parsed once is not parsed again (a catalogue
    theorem checks the same claim text at many points of its domain).
    """
    too_deep = ClaimError(f"{parameter} must nest at most {MAX_DEPTH} operators or "
                          f"parentheses deep, got {text[:40]!r}...")
    try:
        tree = parse("claim", text, parameter=parameter, start="claim", error=ClaimError,
                     words={"STRING": "a quoted name"})
        terms = _ToNodes().transform(tree)
    except RecursionError:
        raise too_deep from None
    if any(_depth(term) > MAX_DEPTH for term in terms):
        raise too_deep
    if len(terms) < 2:
        raise ClaimError(f"{parameter} must state an identity 'a == b' (or a chain "
                         f"'a == b == c'), got {text!r} with no '=='" + pointer(text, len(text)))
    return Chain(terms, text)


def parse_shapes(text: str, parameter: str = "shapes") -> dict[str, Node]:
    """``"x=n, k=K, y=(m, m)"`` -> ``{signal: size expression or tuple of them}``."""
    return dict(_parse_shapes(text, parameter))


@lru_cache(maxsize=1024)
def _parse_shapes(text: str, parameter: str) -> tuple[tuple[str, Node], ...]:
    tree = parse("claim", text, parameter=parameter, start="shapes", error=ClaimError)
    shapes: dict[str, Node] = {}
    for name, shape in _ToNodes().transform(tree):
        if str(name) in shapes:
            raise ClaimError(f"{parameter} binds signal {str(name)!r} twice, got {text!r} "
                             "(valid: each signal once)" + pointer(text, name.start_pos))
        shapes[str(name)] = shape
    return tuple(shapes.items())


def walk_children(node: Node | Keyword) -> tuple:
    """The nodes directly below ``node``."""
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, Keyword):
        return (node.value,)
    if isinstance(node, Call):
        return (*node.args, *node.keywords)
    if isinstance(node, Tuple):
        return node.items
    return ()


def walk(node: Node | Keyword) -> Iterator[Node | Keyword]:
    """``node`` and every node below it, parents first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(walk_children(current)))

