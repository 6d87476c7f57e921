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

from .channels import channel_axes
from .evaluate import Point, size_value
from .operators import Undefined, defined
from .search import side
from .syntax import BinOp, Call, Chain, ClaimError, Name, Neg, Node, Number, Tuple, pointer
from .values import Value
from .values import evaluate as evaluate_poly
from .vocabulary import OPERATORS, bind

__all__ = ["numeric_value", "random_signals", "cross_check", "NUMERIC_POINTS",
           "OracleDisagreement"]

class OracleDisagreement(RuntimeError):
    """The NumPy oracle and the symbolic values disagree: a bug of symconv, never a verdict."""


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


#: A value here: its exact object array and how many of its leading axes are channels.
Tagged = tuple  # (np.ndarray, int)


def _per_block(run, x: np.ndarray, channels: int) -> np.ndarray:
    """``run`` (an oracle function on ``(C, *spatial)``) with every channel axis as C."""
    lead = x.shape[:channels]
    out = run(x.reshape((int(np.prod(lead, dtype=int)), *x.shape[channels:])))
    return out.reshape(lead + out.shape[1:])


def _layer(function: str, a: dict[str, Tagged]) -> Tagged:
    (x, cx), (k, ck) = a["input"], a["weight"]
    groups = a.get("groups", 1)
    if (cx, ck) not in ((0, 0), (1, 2)) or x.ndim - cx == 0 or x.ndim - cx != k.ndim - ck:
        raise Undefined(f"{function} needs a signal and a kernel with the same spatial axes")
    if cx == 0:
        if groups != 1:
            raise Undefined("groups without channels")
        x, k = x[None], k[None, None]
    if function == "conv_transpose":
        g = defined(TransposedGeometry, x.shape[1:], k.shape[2:], a.get("stride", 1),
                     a.get("padding", 0), a.get("output_padding", 0), a.get("dilation", 1))
        out = defined(oracle.conv_transpose, x, k, g, groups)
    else:
        g = defined(Geometry, x.shape[1:], k.shape[2:], a.get("stride", 1),
                     a.get("padding", 0), a.get("dilation", 1))
        run = oracle.convolve if function == "conv" else oracle.correlate
        out = defined(run, x, k, g, groups)
    return (out, 1) if cx else (out[0], 0)


def _pool(function: str, a: dict[str, Any]) -> np.ndarray:
    x, c = a["input"]
    ndim = x.ndim - c
    g = defined(PoolGeometry, x.shape[c:], _per_axis(a["kernel_size"], ndim, "kernel_size"),
                 a.get("stride"), a.get("padding", 0), a.get("dilation", 1),
                 bool(a.get("ceil_mode", 0)))
    if function == "avg_pool":
        include = bool(a.get("count_include_pad", 1))
        return _per_block(lambda b: defined(oracle.avg_pool, b, g, include), x, c)
    return _per_block(lambda b: defined(oracle.max_pool, b, g), x, c)


def _pads(ndim: int, a: dict[str, Any]) -> list[tuple[int, int]]:
    before = _per_axis(a["before"], ndim, "before")
    after = before if a.get("after") is None else _per_axis(a["after"], ndim, "after")
    if min(before + after) < 0:
        raise Undefined(f"negative amounts {before}, {after}")
    return list(zip(before, after))


def _crop(x: np.ndarray, c: int, a: dict[str, Any]) -> np.ndarray:
    pads = _pads(x.ndim - c, a)
    if any(n - b - e < 1 for n, (b, e) in zip(x.shape[c:], pads)):
        raise Undefined(f"crop {pads} leaves nothing of {x.shape}")
    return x[(slice(None),) * c + tuple(slice(b, n - e)
                                        for n, (b, e) in zip(x.shape[c:], pads))]


def _call(node: Call, point: Point, arrays: dict[str, Tagged], text: str) -> Tagged:
    bound = bind(node, text)
    a = {p.name: (_value(bound[p.name], point.sizes, arrays, text, point)
                  if p.kind == "tensor" else size_value(bound[p.name], point, text))
         for p in OPERATORS[node.function] if p.name in bound}
    f = node.function
    if f in ("corr", "conv", "conv_transpose"):
        return _layer(f, a)
    if f in ("avg_pool", "max_pool"):
        return _pool(f, a), a["input"][1]
    if f == "ones":
        sizes = a["shape"] if isinstance(a["shape"], tuple) else (a["shape"],)
        channels = a.get("channels", 0)
        if min(sizes) < 1 or not 0 <= channels < len(sizes):
            raise Undefined("ones needs sizes >= 1 and a spatial axis")
        return np.ones(sizes, dtype=int).astype(object), channels
    if f == "shape":
        shape = a["input"][0].shape
        return np.array(shape[0] if len(shape) == 1 else shape, dtype=object), 0
    if f == "dot":
        (left, _), (right, _) = a["a"], a["b"]
        if left.shape != right.shape:
            raise Undefined("dot of two shapes")
        return np.array(np.sum(left * right), dtype=object), 0
    if f == "transpose_weight":
        return _transposed_weight(*a["weight"], a.get("groups", 1)), 2
    x, c = a["input"]
    ndim = x.ndim - c
    if ndim == 0:
        raise Undefined(f"{f} needs a signal with at least one spatial axis")
    if f == "flip":
        return x[(slice(None),) * c + (slice(None, None, -1),) * ndim], c
    if f == "crop":
        return _crop(x, c, a), c
    if f == "pad":
        pads = _pads(ndim, a)
        return _per_block(lambda b: defined(oracle.pad, b, pads), x, c), c
    if f in ("upsample", "subsample"):
        factor = _per_axis(a["factor"], ndim, "f")
        run = oracle.zero_insert if f == "upsample" else oracle.decimate
        return _per_block(lambda b: defined(run, b, factor), x, c), c
    offset = _per_axis(a["offset"], ndim, "offset")
    circular = a.get("mode", "zero") == "circular"
    return _per_block(lambda b: defined(oracle.shift, b, offset, circular), x, c), c


def _transposed_weight(w: np.ndarray, channels: int, groups: Any) -> np.ndarray:
    """``(in, out/g, *K) -> (out, in/g, *K)`` by a reshape and an axis swap per group."""
    if channels != 2 or not isinstance(groups, int) or groups < 1 or w.shape[0] % groups:
        raise Undefined("transpose_weight needs a weight and groups dividing its first axis")
    in_g, out_g, kernel = w.shape[0] // groups, w.shape[1], w.shape[2:]
    blocks = w.reshape((groups, in_g, out_g, *kernel)).swapaxes(1, 2)
    return blocks.reshape((groups * out_g, in_g, *kernel))


def _binop(node: BinOp, point: Point, arrays: dict, text: str) -> Tagged:
    left, cl = _value(node.left, point.sizes, arrays, text, point)
    right, cr = _value(node.right, point.sizes, arrays, text, point)
    if node.op in ("+", "-"):
        if left.shape != right.shape or cl != cr:
            raise Undefined("shapes differ")
        return (left + right if node.op == "+" else left - right), cl
    if node.op == "*":
        if left.ndim and right.ndim:
            raise Undefined("'*' needs a scalar on one side")
        return left * right, cl if left.ndim else cr
    if node.op == "/":
        if right.ndim or Fraction(right.item()).denominator != 1:
            raise ClaimError("'/' must divide by an integer size expression"
                             + pointer(text, node.start, node.end))
        if right.item() == 0:
            raise Undefined("division by zero")
        return left * Fraction(1, int(right.item())), cl
    if left.ndim or right.ndim:
        raise ClaimError("'//' must divide two size expressions"
                         + pointer(text, node.start, node.end))
    if right == 0:
        raise Undefined("division by zero")
    return np.array(Fraction(left.item()) // Fraction(right.item()), dtype=object), 0


def numeric_value(node: Node, sizes: dict[str, int], arrays: dict[str, np.ndarray],
                  text: str, point: Point | None = None,
                  channels: dict[str, int] | None = None) -> np.ndarray:
    """The value of ``node`` with the signals' entries given by ``arrays`` (raises Undefined).

    ``channels`` gives the channel axes of each signal (none when omitted).
    """
    tagged = {name: (array, (channels or {}).get(name, 0)) for name, array in arrays.items()}
    return _value(node, sizes, tagged, text, point or Point(sizes, {}))[0]


def _value(node: Node, sizes: dict[str, int], arrays: dict[str, Tagged], text: str,
           point: Point) -> Tagged:
    # NumPy turns 0-d results of arithmetic into scalars: every value is an array again here
    array, channels = _raw(node, sizes, arrays, text, point)
    return np.asarray(array, dtype=object), channels


def _raw(node: Node, sizes: dict[str, int], arrays: dict[str, Tagged], text: str,
         point: Point) -> Tagged:
    if isinstance(node, Number):
        return np.array(node.value, dtype=object), 0
    if isinstance(node, Name):
        if node.name in arrays:
            return arrays[node.name]
        return np.array(sizes[node.name], dtype=object), 0
    if isinstance(node, Neg):
        array, channels = _value(node.operand, sizes, arrays, text, point)
        return -array, channels
    if isinstance(node, BinOp):
        return _binop(node, point, arrays, text)
    if isinstance(node, Call):
        return _call(node, point, arrays, text)
    if isinstance(node, Tuple):
        items = [_value(i, sizes, arrays, text, point)[0] for i in node.items]
        if any(i.ndim for i in items):
            raise Undefined("a tuple holds scalars only")
        return np.array([i.item() for i in items], dtype=object), 0
    raise ClaimError(f"a quoted word must be an operator argument, got {node.value!r}"
                     + pointer(text, node.start, node.end))


def _substituted(value: Value, values: dict) -> np.ndarray:
    flat = [evaluate_poly(value.entry(i), values) for i in range(value.size)]
    return np.array(flat, dtype=object).reshape(value.shape)


def _agrees(symbolic: Any, numeric: Any, values: dict) -> bool:
    if isinstance(symbolic, Undefined) or isinstance(numeric, Undefined):
        return isinstance(symbolic, Undefined) and isinstance(numeric, Undefined)
    array, channels = numeric
    return symbolic.shape == array.shape and symbolic.channels == channels and bool(
        np.all(_substituted(symbolic, values) == array))


def cross_check(chain: Chain, shapes: dict, points: list[dict], steps: int,
                built: dict[int, tuple[Point, dict]] | None = None) -> int:
    """Of ``points`` (where the claim was checked), how many agreed numerically; up to
    :data:`NUMERIC_POINTS` of them spread over the list, the last (largest) included.

    ``built`` holds the symbolic sides the search already built at some of ``points``
    (by index), so they are not built twice; the NumPy side is always evaluated anew.
    A disagreement between the NumPy oracle and the symbolic values is a bug of
    symconv, never a verdict: it raises.
    """
    if not points:
        return 0
    step = max(len(points) // NUMERIC_POINTS, 1)
    sample = sorted({*range(0, len(points), step), len(points) - 1})[-NUMERIC_POINTS:]
    rng, agreed = np.random.default_rng(0), 0
    for i in sample:
        sizes = points[i]
        point, cache = (built or {}).get(i, (Point(sizes, shapes), {}))
        try:
            signals = {name: _signal_shape(point, name) for name in shapes}
        except Undefined:
            continue
        arrays = random_signals(signals, rng)
        values = {(name, index): int(a[index]) for name, a in arrays.items()
                  for index in np.ndindex(a.shape)}
        tagged = {name: (a, channel_axes(*point.shapes[name][:1], name))
                  for name, a in arrays.items()}
        symbolic = {term: side(chain, term, point, cache) for term in range(steps + 1)}
        if point.largest > NUMERIC_MAX_ENTRIES:  # the naive oracle is dense and slow
            continue
        numeric, defined = {}, False
        for i in range(steps):
            for term in (i, i + 1):
                if term not in numeric:
                    try:
                        numeric[term] = _value(chain.terms[term], sizes, tagged,
                                               chain.text, point)
                    except Undefined as undefined:
                        numeric[term] = undefined
                if not _agrees(symbolic[term], numeric[term], values):
                    raise OracleDisagreement(f"symconv's NumPy oracle and its symbolic values "
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
