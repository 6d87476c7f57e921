"""Interpret a claim's tree at one point of the domain.

Every signal gets symbolic entries of its shape at the point; every size name
its integer. Calls dispatch to :mod:`symconv.claim.operators`; ``+`` and ``-``
need two values of one shape, ``*`` a scalar on one side; integer parameters
(``stride=s``, ``K - 1``, ``(s, 1)``) are size expressions evaluated exactly.

Examples
--------
>>> from symconv.claim.syntax import parse_claim
>>> from symconv.claim.values import to_sympy_array
>>> chain = parse_claim("pad(x, K - 1) == x")
>>> point = Point({"n": 2, "K": 2}, {"x": signal_shape_of("x", "n")})
>>> to_sympy_array(evaluate(chain.terms[0], point, chain.text)).T
Matrix([[0, x_0, x_1, 0]])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import operators as ops
from .channels import channel_axes
from .syntax import BinOp, Call, ClaimError, Name, Neg, Node, Number, String, Tuple, pointer
from .values import Value, add, as_constant, constant, scalar, scale, signal
from .vocabulary import OPERATORS, bind

__all__ = ["Point", "evaluate", "size_value", "signal_shape_of"]


@dataclass
class Point:
    """Sizes at one point of the domain and the shape expression of each signal."""

    sizes: dict[str, int]
    shapes: dict[str, tuple[Node, str]]
    signals: dict[str, Value] = field(default_factory=dict)
    #: The most entries (zeros included) of any value built at this point so far.
    largest: int = 0


def signal_shape_of(name: str, text: str) -> tuple[Node, str]:
    """The shape expression of signal ``name`` from text (``"n"``, ``"(m, m)"``) and
    the text its positions point into."""
    from .syntax import parse_shapes

    source = f"{name}={text}"
    return parse_shapes(source, parameter=f"shapes[{name!r}]")[name], source


def _signal(point: Point, name: str, text: str) -> Value:
    if name not in point.signals:
        shape = size_value(*point.shapes[name][:1], point, point.shapes[name][1])
        shape = shape if isinstance(shape, tuple) else (shape,)
        if min(shape) < 1:
            raise ops.Undefined(f"signal {name} has shape {shape}: every size must be >= 1")
        node, source = point.shapes[name]
        point.signals[name] = signal(name, shape, channel_axes(node, name, source))
    return point.signals[name]


def size_value(node: Node, point: Point, text: str) -> int | tuple | str:
    """A size expression (or a tuple of them, or a quoted word) as Python integers."""
    if isinstance(node, String):
        return node.value
    if isinstance(node, Tuple):
        return tuple(size_value(item, point, text) for item in node.items)
    value = evaluate(node, point, text)
    number = as_constant(value.entry(0)) if value.shape == () else None
    if number is None or Fraction(number).denominator != 1:
        raise ClaimError(f"{text[node.start:node.end]!r} must be an integer size expression, "
                         f"got a value of shape {value.shape}" + pointer(text, node.start,
                                                                          node.end))
    return int(number)


def _call(node: Call, point: Point, text: str) -> Value:
    bound = bind(node, text)
    arguments: dict[str, Any] = {}
    for param in OPERATORS[node.function]:
        if param.name not in bound:
            continue
        argument = bound[param.name]
        arguments[param.name] = (evaluate(argument, point, text) if param.kind == "tensor"
                                 else size_value(argument, point, text))
    return getattr(ops, node.function)(**_rename(node.function, arguments))


def _rename(function: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Claim parameter names -> the Python names of :mod:`symconv.claim.operators`."""
    names = {"input": "y" if function == "conv_transpose" else "x", "weight": "k"}
    return {names.get(key, key): value for key, value in arguments.items()}


def _same_shape(op: str, a: Value, b: Value) -> None:
    if a.shape != b.shape:
        raise ops.Undefined(f"'{op}' needs two values of one shape, got {a.shape} and {b.shape}")


def _divisor(node: BinOp, b: Value, text: str) -> int:
    """The integer ``b`` of ``a / b``: a nonzero size expression (exact rational scaling)."""
    number = as_constant(b.entry(0)) if b.shape == () else None
    if number is None or Fraction(number).denominator != 1:
        where = text[node.right.start:node.right.end]
        raise ClaimError(f"'/' must divide by an integer size expression, got {where!r}"
                         + pointer(text, node.right.start, node.right.end))
    if number == 0:
        raise ops.Undefined(f"{text[node.start:node.end]} divides by zero")
    return int(number)


def _binop(node: BinOp, point: Point, text: str) -> Value:
    a, b = evaluate(node.left, point, text), evaluate(node.right, point, text)
    if node.op in ("+", "-"):
        _same_shape(node.op, a, b)
        return add(a, scale(b, -1) if node.op == "-" else b)
    if node.op == "*":
        if a.shape == ():
            return scale(b, a.entry(0))
        if b.shape == ():
            return scale(a, b.entry(0))
        raise ops.Undefined(f"'*' needs a scalar on one side, got shapes {a.shape} and "
                            f"{b.shape}")
    if node.op == "/":
        return scale(a, Fraction(1, _divisor(node, b, text)))
    left, right = (as_constant(v.entry(0)) if v.shape == () else None for v in (a, b))
    if left is None or right is None:
        raise ClaimError("'//' must divide two size expressions, got "
                         f"{text[node.start:node.end]!r}" + pointer(text, node.start, node.end))
    if right == 0:
        raise ops.Undefined(f"{text[node.start:node.end]} divides by zero")
    return scalar(Fraction(left) // Fraction(right))


def evaluate(node: Node, point: Point, text: str) -> Value:
    """The value of ``node`` at ``point`` (raises :class:`~.operators.Undefined`)."""
    value = _evaluate(node, point, text)
    point.largest = max(point.largest, value.size)
    return value


def _evaluate(node: Node, point: Point, text: str) -> Value:
    if isinstance(node, Number):
        return scalar(node.value)
    if isinstance(node, Name):
        if node.name in point.shapes:
            return _signal(point, node.name, text)
        return Value((), {0: constant(point.sizes[node.name])} if point.sizes[node.name]
                     else {})
    if isinstance(node, Neg):
        return scale(evaluate(node.operand, point, text), -1)
    if isinstance(node, BinOp):
        return _binop(node, point, text)
    if isinstance(node, Call):
        return _call(node, point, text)
    if isinstance(node, Tuple):
        items = [evaluate(item, point, text) for item in node.items]
        if any(item.shape != () for item in items):
            raise ops.Undefined("a tuple holds scalars only")
        return Value((len(items),), {i: v.entry(0) for i, v in enumerate(items) if v.entries})
    raise ClaimError(f"a quoted word must be an operator argument, got {node.value!r}"
                     + pointer(text, node.start, node.end))
