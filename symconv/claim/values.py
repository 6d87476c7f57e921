"""Values of a claim at one point: sparse tensors whose entries are exact polynomials.

A :class:`Value` has a ``shape`` (``()`` for a scalar) and ``entries``, a dict
from the flat (C-order) index to a polynomial; zeros are never stored. A
polynomial is a dict from a monomial (a sorted tuple of atoms, repeated for
powers) to an exact coefficient (``int`` or ``Fraction``). An atom is a signal
entry ``(0, name, index)`` or a maximum ``(1, args)`` of polynomials (max pooling),
kept in a canonical form (nested maxima flattened, duplicates and dominated
constants dropped, arguments sorted). Two polynomials without maxima are equal
exactly when their dicts are: the comparison is exact, as expanding the
difference of two SymPy expressions would be, but without building them.

Examples
--------
>>> x = signal("x", (3,))
>>> y = add(x, scale(x, -1))
>>> y.entries
{}
>>> to_sympy(mul(x.entries[0], x.entries[1]))
x_0*x_1
>>> to_sympy(maximum([x.entries[1], x.entries[0], x.entries[1]]))
Max(x_0, x_1)
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction
from math import prod
from typing import Any

import sympy

Poly = dict  # monomial (tuple of atoms) -> int | Fraction
ONE: tuple = ()


@dataclass(frozen=True)
class Value:
    """A sparse tensor of polynomials: ``shape`` and ``{flat index: polynomial}``.

    ``channels`` counts the leading axes that are channel axes (0: none; 1: a signal
    ``(C, *spatial)``; 2: a kernel ``(out, in/groups, *spatial)``): pad, crop, flip,
    upsample, subsample, shift and the pools act on the other, spatial, axes only.
    """

    shape: tuple[int, ...]
    entries: dict[int, Poly]
    channels: int = 0

    @property
    def size(self) -> int:
        """Number of entries (1 for a scalar)."""
        return prod(self.shape)

    def entry(self, flat: int) -> Poly:
        """The polynomial at ``flat`` (``{}`` for a zero)."""
        return self.entries.get(flat, {})

    @property
    def spatial(self) -> tuple[int, ...]:
        """The sizes of the spatial axes (those after the channel axes)."""
        return self.shape[self.channels:]

    @property
    def channel_shape(self) -> tuple[int, ...]:
        """The sizes of the channel axes (``()`` when there are none)."""
        return self.shape[:self.channels]


def constant(value: int | Fraction) -> Poly:
    """The constant polynomial ``value``."""
    return {ONE: value} if value else {}


def scalar(value: int | Fraction) -> Value:
    """A scalar value."""
    return Value((), {0: constant(value)} if value else {})


def symbol_name(name: str, index: tuple[int, ...]) -> str:
    """``x_0`` in 1-D, ``x_{0,1}`` in 2-D (the project's symbol names)."""
    if len(index) == 1:
        return f"{name}_{index[0]}"
    return f"{name}_{{{','.join(map(str, index))}}}"


def signal(name: str, shape: tuple[int, ...], channels: int = 0) -> Value:
    """A signal with one symbolic entry per index (``channels`` leading channel axes)."""
    entries = {flat: {((0, name, index),): 1}
               for flat, index in enumerate(itertools.product(*map(range, shape)))}
    return Value(tuple(shape), entries, channels)


def poly_add(a: Poly, b: Poly, factor: int | Fraction = 1) -> Poly:
    """``a + factor * b``, zeros dropped."""
    out = dict(a)
    for mono, c in b.items():
        total = out.get(mono, 0) + factor * c
        if total:
            out[mono] = total
        else:
            out.pop(mono, None)
    return out


def accumulate(into: Poly, b: Poly, factor: int | Fraction = 1) -> None:
    """``into += factor * b`` in place (zeros dropped)."""
    for mono, c in b.items():
        total = into.get(mono, 0) + factor * c
        if total:
            into[mono] = total
        else:
            del into[mono]


def mul(a: Poly, b: Poly) -> Poly:
    """``a * b``."""
    out: Poly = {}
    for (ma, ca), (mb, cb) in itertools.product(a.items(), b.items()):
        mono = tuple(sorted(ma + mb)) if ma and mb else ma or mb
        total = out.get(mono, 0) + ca * cb
        if total:
            out[mono] = total
        else:
            del out[mono]
    return out


def poly_key(a: Poly) -> tuple:
    """A hashable, sortable canonical form of ``a``."""
    return tuple(sorted(a.items()))


def as_constant(a: Poly) -> int | Fraction | None:
    """The value of a constant polynomial, else None."""
    if not a:
        return 0
    if len(a) == 1 and ONE in a:
        return a[ONE]
    return None


def maximum(args: list[Poly]) -> Poly:
    """``Max(args)`` in canonical form (a constant when every argument is one)."""
    flat: dict[tuple, Poly] = {}
    best: int | Fraction | None = None
    for a in args:
        inner = _max_args(a)
        for b in inner if inner is not None else [a]:
            value = as_constant(b)
            if value is not None:
                best = value if best is None else max(best, value)
            else:
                flat[poly_key(b)] = b
    if best is not None and (best or flat):
        flat[poly_key(constant(best))] = constant(best)
    if not flat:
        return constant(best or 0)
    if len(flat) == 1:
        return next(iter(flat.values()))
    return {((1, tuple(sorted(flat))),): 1}


def _max_args(a: Poly) -> list[Poly] | None:
    if len(a) == 1:
        (mono, c), = a.items()
        if c == 1 and len(mono) == 1 and mono[0][0] == 1:
            return [dict(key) for key in mono[0][1]]
    return None


def has_maximum(a: Poly) -> bool:
    """Whether a maximum occurs in ``a`` (then unequal forms may still be equal)."""
    return any(atom[0] == 1 for mono in a for atom in mono)


def add(a: Value, b: Value) -> Value:
    """Entrywise ``a + b`` (same shapes: the caller checks)."""
    out = dict(a.entries)
    for flat, p in b.entries.items():
        total = poly_add(out.get(flat, {}), p)
        if total:
            out[flat] = total
        else:
            out.pop(flat, None)
    return Value(a.shape, out, a.channels)


def scale(a: Value, factor: Poly | int | Fraction) -> Value:
    """``factor * a`` for a scalar polynomial (or number) ``factor``."""
    factor = factor if isinstance(factor, dict) else constant(factor)
    out = {flat: product for flat, p in a.entries.items() if (product := mul(factor, p))}
    return Value(a.shape, out, a.channels)


def linear_map(rows, cols, coeffs, x: Value, out_shape: tuple[int, ...],
               channels: int = 0) -> Value:
    """``y[rows[e]] += coeffs[e] * x[cols[e]]``: an index map applied to ``x``."""
    out: dict[int, Poly] = {}
    for r, c, a in zip(rows, cols, coeffs):
        p = x.entries.get(c)
        if p:
            accumulate(out.setdefault(r, {}), p, a)
    return Value(tuple(out_shape), {r: p for r, p in out.items() if p}, channels)


def bilinear_map(rows, cols, taps, kernel: Value, x: Value,
                 out_shape: tuple[int, ...], channels: int = 0) -> Value:
    """``y[rows[e]] += kernel[taps[e]] * x[cols[e]]``: an operator's index form applied."""
    out: dict[int, Poly] = {}
    for r, c, t in zip(rows, cols, taps):
        p, k = x.entries.get(c), kernel.entries.get(t)
        if p and k:
            accumulate(out.setdefault(r, {}), mul(k, p))
    return Value(tuple(out_shape), {r: p for r, p in out.items() if p}, channels)


def _atom_sympy(atom: tuple) -> sympy.Expr:
    if atom[0] == 0:
        return sympy.Symbol(symbol_name(atom[1], atom[2]))
    return sympy.Max(*[to_sympy(dict(key)) for key in atom[1]])


def _number(c: int | Fraction) -> sympy.Expr:
    return sympy.Rational(c.numerator, c.denominator) if isinstance(c, Fraction) else \
        sympy.Integer(c)


def to_sympy(a: Poly) -> sympy.Expr:
    """The polynomial as a SymPy expression (for display)."""
    return sympy.Add(*[_number(c) * sympy.Mul(*[_atom_sympy(t) for t in mono])
                       for mono, c in a.items()])


def evaluate(a: Poly, values: dict[tuple, int]) -> Fraction:
    """``a`` with every signal atom replaced by ``values[(name, index)]``, exactly."""
    total = Fraction(0)
    for mono, c in a.items():
        term = Fraction(c)
        for atom in mono:
            if atom[0] == 0:
                term *= values[(atom[1], atom[2])]
            else:
                term *= max(evaluate(dict(key), values) for key in atom[1])
        total += term
    return total


def atoms(a: Poly) -> set[tuple]:
    """The signal entries ``(name, index)`` ``a`` depends on (inside maxima too)."""
    found = set()
    for mono in a:
        for atom in mono:
            if atom[0] == 0:
                found.add((atom[1], atom[2]))
            else:
                for key in atom[1]:
                    found |= atoms(dict(key))
    return found


def witness(a: Poly, b: Poly, trials: int = 200, seed: int = 0) -> dict[tuple, int] | None:
    """Integer values of the signal entries at which ``a != b``, or None if none was found.

    Used when a maximum makes unequal canonical forms possibly equal.
    """
    names = sorted(atoms(a) | atoms(b))
    rng = random.Random(seed)
    for _ in range(trials):
        values = {name: rng.randint(-4, 4) for name in names}
        if evaluate(a, values) != evaluate(b, values):
            return values
    return None


def to_sympy_array(v: Value) -> Any:
    """The value as a SymPy Matrix (column for 1-D, matrix for 2-D) or a scalar."""
    if v.shape == ():
        return to_sympy(v.entry(0))
    flat = [to_sympy(v.entry(i)) for i in range(v.size)]
    if len(v.shape) == 1:
        return sympy.Matrix(v.shape[0], 1, flat)
    if len(v.shape) == 2:
        return sympy.Matrix(v.shape[0], v.shape[1], flat)
    return sympy.Array(flat, v.shape)
