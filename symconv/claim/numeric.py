"""Both sides of a claim evaluated again, independently, with symconv's NumPy oracle.

The same tree is interpreted a second time on integer arrays (exact: an object
array of Python ints and Fractions) with :mod:`symconv.numeric`, the deliberately
naive sliding-window oracle that shares nothing with :mod:`symconv.operators`'
index forms nor with the polynomial values of :mod:`symconv.claim.values`. Only
the integer size arithmetic (``K - 1``, ``shape(e)``) is shared. This is the
``numeric`` evidence of :func:`symconv.check`: support, not proof.

Examples
--------
>>> import numpy as np
>>> from symconv.claim.syntax import parse_claim
>>> chain = parse_claim("conv(x, k) == corr(x, flip(k))")
>>> arrays = {"x": np.array([1, 2, 3], dtype=object), "k": np.array([1, 10], dtype=object)}
>>> [numeric_value(t, {}, arrays, chain.text).tolist() for t in chain.terms]
[[12, 23], [12, 23]]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from symconv import numeric as oracle
from symconv.errors import GeometryError
from symconv.geometry import Geometry, PoolGeometry, TransposedGeometry
from symconv.operators import per_axis_integers

from .evaluate import Point, size_value
from .operators import Undefined, defined
from .search import side
from .syntax import BinOp, Call, Chain, ClaimError, Name, Neg, Node, Number, Tuple, pointer
from .values import Value
from .values import evaluate as evaluate_poly
from .vocabulary import OPERATORS, bind

__all__ = ["numeric_value", "random_signals", "cross_check", "NUMERIC_POINTS"]

#: Points (spread over those where the claim was checked, the largest included) evaluated
#: again numerically.
NUMERIC_POINTS = 6
#: A point where some value has more entries (zeros included) is not evaluated numerically.
NUMERIC_MAX_ENTRIES = 10_000


def random_signals(shapes: dict[str, tuple[int, ...]], rng: np.random.Generator
                   ) -> dict[str, np.ndarray]:
    """Random integers in [-5, 5] for every signal, as exact object arrays."""
    return {name: rng.integers(-5, 6, size=shape).astype(object)
            for name, shape in shapes.items()}


def _per_axis(value: Any, ndim: int, name: str) -> tuple[int, ...]:
    return defined(per_axis_integers, value, ndim, name, GeometryError)


def _layer(function: str, a: dict[str, Any]) -> np.ndarray:
    x, k = a["input"], a["weight"]
    if x.ndim == 0 or x.ndim != k.ndim:
        raise Undefined(f"{function} needs a signal and a kernel with the same axes")
    if function == "conv_transpose":
        g = defined(TransposedGeometry, x.shape, k.shape, a.get("stride", 1),
                     a.get("padding", 0), a.get("output_padding", 0), a.get("dilation", 1))
        return defined(oracle.conv_transpose, x[None], k[None, None], g)[0]
    g = defined(Geometry, x.shape, k.shape, a.get("stride", 1), a.get("padding", 0),
                 a.get("dilation", 1))
    run = oracle.convolve if function == "conv" else oracle.correlate
    return defined(run, x[None], k[None, None], g)[0]


def _pool(function: str, a: dict[str, Any]) -> np.ndarray:
    x = a["input"]
    g = defined(PoolGeometry, x.shape, _per_axis(a["kernel_size"], x.ndim, "kernel_size"),
                 a.get("stride"), a.get("padding", 0), a.get("dilation", 1),
                 bool(a.get("ceil_mode", 0)))
    if function == "avg_pool":
        include = bool(a.get("count_include_pad", 1))
        return defined(oracle.avg_pool, x[None], g, include)[0]
    return defined(oracle.max_pool, x[None], g)[0]


def _pads(x: np.ndarray, a: dict[str, Any]) -> list[tuple[int, int]]:
    before = _per_axis(a["before"], x.ndim, "before")
    after = before if a.get("after") is None else _per_axis(a["after"], x.ndim, "after")
    if min(before + after) < 0:
        raise Undefined(f"negative amounts {before}, {after}")
    return list(zip(before, after))


def _crop(x: np.ndarray, a: dict[str, Any]) -> np.ndarray:
    pads = _pads(x, a)
    if any(n - b - e < 1 for n, (b, e) in zip(x.shape, pads)):
        raise Undefined(f"crop {pads} leaves nothing of {x.shape}")
    return x[tuple(slice(b, n - e) for n, (b, e) in zip(x.shape, pads))]


def _call(node: Call, point: Point, arrays: dict[str, np.ndarray], text: str) -> np.ndarray:
    bound = bind(node, text)
    a = {p.name: (numeric_value(bound[p.name], point.sizes, arrays, text, point)
                  if p.kind == "tensor" else size_value(bound[p.name], point, text))
         for p in OPERATORS[node.function] if p.name in bound}
    f = node.function
    if f in ("corr", "conv", "conv_transpose"):
        return _layer(f, a)
    if f in ("avg_pool", "max_pool"):
        return _pool(f, a)
    if f == "ones":
        sizes = a["shape"] if isinstance(a["shape"], tuple) else (a["shape"],)
        if min(sizes) < 1:
            raise Undefined("ones needs sizes >= 1")
        return np.ones(sizes, dtype=int).astype(object)
    if f == "shape":
        shape = a["input"].shape
        return np.array(shape[0] if len(shape) == 1 else shape, dtype=object)
    if f == "dot":
        if a["a"].shape != a["b"].shape:
            raise Undefined("dot of two shapes")
        return np.array(np.sum(a["a"] * a["b"]), dtype=object)
    x = a["input"]
    if x.ndim == 0:
        raise Undefined(f"{f} needs a signal with at least one axis")
    if f == "flip":
        return x[tuple(slice(None, None, -1) for _ in x.shape)]
    if f == "crop":
        return _crop(x, a)
    if f == "pad":
        return defined(oracle.pad, x[None], _pads(x, a))[0]
    if f == "upsample":
        return defined(oracle.zero_insert, x[None], _per_axis(a["factor"], x.ndim, "f"))[0]
    if f == "subsample":
        return defined(oracle.decimate, x[None], _per_axis(a["factor"], x.ndim, "f"))[0]
    offset = _per_axis(a["offset"], x.ndim, "offset")
    return defined(oracle.shift, x[None], offset, a.get("mode", "zero") == "circular")[0]


def _binop(node: BinOp, point: Point, arrays: dict, text: str) -> np.ndarray:
    left = numeric_value(node.left, point.sizes, arrays, text, point)
    right = numeric_value(node.right, point.sizes, arrays, text, point)
    if node.op in ("+", "-"):
        if left.shape != right.shape:
            raise Undefined("shapes differ")
        return left + right if node.op == "+" else left - right
    if node.op == "*":
        if left.ndim and right.ndim:
            raise Undefined("'*' needs a scalar on one side")
        return left * right
    if left.ndim or right.ndim:
        raise ClaimError("'//' must divide two size expressions"
                         + pointer(text, node.start, node.end))
    if right == 0:
        raise Undefined("division by zero")
    return np.array(Fraction(left.item()) // Fraction(right.item()), dtype=object)


def numeric_value(node: Node, sizes: dict[str, int], arrays: dict[str, np.ndarray],
                  text: str, point: Point | None = None) -> np.ndarray:
    """The value of ``node`` with the signals' entries given by ``arrays`` (raises Undefined)."""
    # NumPy turns 0-d results of arithmetic into scalars: every value is an array again here
    return np.asarray(_value(node, sizes, arrays, text, point or Point(sizes, {})),
                      dtype=object)


def _value(node: Node, sizes: dict[str, int], arrays: dict[str, np.ndarray], text: str,
           point: Point) -> Any:
    if isinstance(node, Number):
        return np.array(node.value, dtype=object)
    if isinstance(node, Name):
        if node.name in arrays:
            return arrays[node.name]
        return np.array(sizes[node.name], dtype=object)
    if isinstance(node, Neg):
        return -numeric_value(node.operand, sizes, arrays, text, point)
    if isinstance(node, BinOp):
        return _binop(node, point, arrays, text)
    if isinstance(node, Call):
        return _call(node, point, arrays, text)
    if isinstance(node, Tuple):
        items = [numeric_value(i, sizes, arrays, text, point) for i in node.items]
        if any(i.ndim for i in items):
            raise Undefined("a tuple holds scalars only")
        return np.array([i.item() for i in items], dtype=object)
    raise ClaimError(f"a quoted word must be an operator argument, got {node.value!r}"
                     + pointer(text, node.start, node.end))


def _substituted(value: Value, values: dict) -> np.ndarray:
    flat = [evaluate_poly(value.entry(i), values) for i in range(value.size)]
    return np.array(flat, dtype=object).reshape(value.shape)


def _agrees(symbolic: Any, numeric: Any, values: dict) -> bool:
    if isinstance(symbolic, Undefined) or isinstance(numeric, Undefined):
        return isinstance(symbolic, Undefined) and isinstance(numeric, Undefined)
    return symbolic.shape == numeric.shape and bool(
        np.all(_substituted(symbolic, values) == numeric))


def cross_check(chain: Chain, shapes: dict, points: list[dict],
                     steps: int) -> int:
    """Of ``points`` (where the claim was checked), how many agreed numerically; up to
    :data:`NUMERIC_POINTS` of them spread over the list, the last (largest) included.

    A disagreement between the NumPy oracle and the symbolic values is a bug of
    symconv, never a verdict: it raises.
    """
    if not points:
        return 0
    step = max(len(points) // NUMERIC_POINTS, 1)
    sample = sorted({*range(0, len(points), step), len(points) - 1})[-NUMERIC_POINTS:]
    rng, agreed = np.random.default_rng(0), 0
    for sizes in (points[i] for i in sample):
        point = Point(sizes, shapes)
        try:
            signals = {name: _signal_shape(point, name) for name in shapes}
        except Undefined:
            continue
        arrays = random_signals(signals, rng)
        values = {(name, index): int(a[index]) for name, a in arrays.items()
                  for index in np.ndindex(a.shape)}
        symbolic = {term: side(chain, term, point, {}) for term in range(steps + 1)}
        if point.largest > NUMERIC_MAX_ENTRIES:  # the naive oracle is dense and slow
            continue
        numeric, defined = {}, False
        for i in range(steps):
            for term in (i, i + 1):
                if term not in numeric:
                    try:
                        numeric[term] = numeric_value(chain.terms[term], sizes, arrays,
                                                      chain.text, point)
                    except Undefined as undefined:
                        numeric[term] = undefined
                if not _agrees(symbolic[term], numeric[term], values):
                    raise RuntimeError(f"symconv's NumPy oracle and its symbolic values "
                                       f"disagree on term {term + 1} at {sizes}")
            defined |= not isinstance(numeric[i], Undefined)
        agreed += defined
    return agreed


def _signal_shape(point: Point, name: str) -> tuple[int, ...]:
    node, text = point.shapes[name]
    shape = size_value(node, point, text)
    shape = shape if isinstance(shape, tuple) else (shape,)
    if min(shape) < 1:
        raise Undefined(f"{name} has no entries")
    return shape
