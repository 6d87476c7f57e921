"""Exact equality of symbolic sparse matrices, decided on their index form.

Why this is a proof, not a test
-------------------------------
Every entry of an operator in index form (see :mod:`symconv.operators`) is a
*linear form* ``sum_e a_e * k_{t_e}`` in the kernel symbols, with exact rational
coefficients ``a_e`` (the constant monomial ``1`` stands for tap ``-1``). Distinct
SymPy symbols are independent indeterminates, so the monomials ``1, k_0, k_1, ...``
are linearly independent over the rationals and a linear form is zero exactly when
each of its coefficients is. Hence two matrices of the same shape are equal as
matrices of polynomials -- every entry of their difference expands to 0 -- if and
only if their *coefficient maps* ``(row, col, symbol) -> a`` (duplicates summed,
zeros dropped) are equal. A coefficient map is a sorted integer array, so the
comparison is a ``lexsort`` and an array equality: no SymPy object is built, and
the answer is exactly the one ``sympy.expand`` would give.

The same holds for the trilinear polynomial ``<C x, y> - <x, T y>``: its monomials
``k_t x_j y_i`` are distinct for distinct ``(i, j, t)``, so it expands to 0 if and
only if the coefficient map of ``C`` equals that of ``T`` transposed.

Multi-channel operators are a sum of channel blocks, each a copy of one spatial
pattern ``P`` whose taps are shifted by ``b * K`` (``K`` taps per spatial kernel):
``C = sum_{(o, c, b)} E_{o c} (x) P[taps + b K]``. The map
``(o, c, b, r, s, t) -> (o R + r, c S + s, b K + t)`` is one-to-one, so the
coefficient map of ``C`` is the product ``m(o, c, b) * p(r, s, t)`` of a channel
map ``m`` and a spatial map ``p``; :func:`first_block_difference` compares two such
products exactly, comparing the spatial maps once and the channel maps per pair.

Examples
--------
>>> import numpy as np
>>> a = coefficient_map(np.array([0, 0]), np.array([1, 1]), np.array([2, 2]), (1, 2))
>>> a.keys.tolist(), a.numerators.tolist()
([[0, 1, 2]], [2])
>>> b = coefficient_map(np.array([0]), np.array([1]), np.array([2]), (1, 2))
>>> first_map_difference(a, b)
((0, 1, 2), Fraction(2, 1), Fraction(1, 1))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

Key = tuple[int, int, int]


@dataclass(frozen=True, eq=False)
class CoefficientMap:
    """The canonical form of a matrix whose entries are linear forms in symbols.

    Attributes
    ----------
    keys : numpy.ndarray
        ``(n, 3)`` int64 rows ``(row, col, symbol)``, unique and sorted
        lexicographically; symbol ``-1`` is the constant monomial ``1``.
    numerators : numpy.ndarray
        ``(n,)`` nonzero coefficient numerators (int64, or Python ints as objects).
    denominator : int
        Every coefficient is ``numerators[e] / denominator``.
    shape : tuple of int
        ``(rows, cols)`` of the matrix.
    """

    keys: np.ndarray
    numerators: np.ndarray
    denominator: int
    shape: tuple[int, int]

    def __len__(self) -> int:
        return len(self.keys)

    def coefficient(self, e: int) -> Fraction:
        """The exact coefficient of key number ``e``."""
        return Fraction(int(self.numerators[e]), self.denominator)


def exact_coefficients(coeffs: Sequence[Any] | None, count: int) -> tuple[np.ndarray, int]:
    """Integer numerators over one common denominator for exact coefficients.

    ``None`` means every coefficient is 1. Otherwise each value must be an
    exact rational (int, Fraction, SymPy Rational).

    Examples
    --------
    >>> numerators, denominator = exact_coefficients([sympy.Rational(1, 2), 1], 2)
    >>> numerators.tolist(), denominator
    ([1, 2], 2)
    """
    if coeffs is None:
        return np.ones(count, dtype=np.int64), 1
    fractions = [Fraction(int(r.p), int(r.q)) for r in map(sympy.Rational, coeffs)]
    denominator = math.lcm(*(f.denominator for f in fractions)) if fractions else 1
    numerators = [f.numerator * (denominator // f.denominator) for f in fractions]
    big = any(abs(v) >= 2**62 for v in numerators)
    return np.array(numerators, dtype=object if big else np.int64), denominator


def coefficient_map(rows: np.ndarray, cols: np.ndarray, symbols: np.ndarray,
                    shape: tuple[int, int], coeffs: Sequence[Any] | None = None
                    ) -> CoefficientMap:
    """Sort the entries, sum the duplicates of each ``(row, col, symbol)``, drop zeros.

    Parameters
    ----------
    rows, cols, symbols : numpy.ndarray
        Parallel integer arrays; ``symbols`` are ids in a numbering shared by every
        map that will be compared (see :func:`symbol_ids`), ``-1`` for the constant.
    shape : tuple of int
        The matrix shape.
    coeffs : sequence, optional
        Exact coefficients per entry (None: all 1).
    """
    numerators, denominator = exact_coefficients(coeffs, len(rows))
    return summed_map(rows, cols, symbols, shape, numerators, denominator)


def _fits_one_key(rows: np.ndarray, cols: np.ndarray, symbols: np.ndarray,
                  shape: tuple[int, int], span: int) -> bool:
    """Whether every ``(row, col, symbol)`` lies in ``shape`` x ``-1 .. span - 2`` and
    :func:`_one_key` of them fits an int64."""
    return (int(rows.min()) >= 0 and int(cols.min()) >= 0 and int(symbols.min()) >= -1
            and int(rows.max()) < shape[0] and int(cols.max()) < shape[1]
            and shape[0] * shape[1] * span < 2**62)


def _one_key(rows: np.ndarray, cols: np.ndarray, symbols: np.ndarray,
             shape: tuple[int, int], span: int) -> np.ndarray:
    """``(row, col, symbol)`` as one int64 in lexicographic order (symbol ids from -1)."""
    return (rows * shape[1] + cols) * span + (symbols + 1)


def summed_map(rows: np.ndarray, cols: np.ndarray, symbols: np.ndarray,
               shape: tuple[int, int], numerators: np.ndarray, denominator: int
               ) -> CoefficientMap:
    """:func:`coefficient_map` with the coefficients given as ``numerators / denominator``.

    Examples
    --------
    >>> m = summed_map(np.array([0, 0]), np.array([1, 1]), np.array([0, 0]), (1, 2),
    ...                np.array([1, -1]), 2)
    >>> len(m)
    0
    """
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    symbols = np.asarray(symbols, np.int64)
    if len(rows) == 0:
        return CoefficientMap(np.zeros((0, 3), np.int64), numerators[:0], denominator, shape)
    span = int(symbols.max()) + 2  # symbol ids -1 .. max, shifted to 0 .. span - 1
    flat = None
    if _fits_one_key(rows, cols, symbols, shape, span):  # one int64 key, lexsort's order
        flat = _one_key(rows, cols, symbols, shape, span)
        order = np.argsort(flat, kind="stable")
        flat = flat[order]
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    else:
        keys = np.stack([rows, cols, symbols], axis=1)
        order = np.lexsort((keys[:, 2], keys[:, 1], keys[:, 0]))
        keys = keys[order]
        starts = np.flatnonzero(np.r_[True, np.any(keys[1:] != keys[:-1], axis=1)])
    summed = np.add.reduceat(numerators[order], starts)
    keep = summed != 0
    if flat is None:
        return CoefficientMap(keys[starts][keep], summed[keep], denominator, shape)
    position, symbol = np.divmod(flat[starts][keep], span)  # the one-int64 key decoded
    row, col = np.divmod(position, shape[1])
    return CoefficientMap(np.stack([row, col, symbol - 1], axis=1), summed[keep], denominator,
                          shape)


def equal_unit_maps(a: tuple[np.ndarray, np.ndarray, np.ndarray],
                    b: tuple[np.ndarray, np.ndarray, np.ndarray],
                    shape: tuple[int, int], b_shape: tuple[int, int] | None = None
                    ) -> int | None:
    """The number of keys, when two index forms with every coefficient 1 are equal maps.

    ``a`` and ``b`` are ``(rows, cols, symbols)`` of matrices of ``shape`` (``b``'s is
    ``b_shape`` when given: maps of two shapes are never equal). With every coefficient 1 the
    coefficient of a key is the number of entries that carry it (nothing cancels), so
    equal sorted keys mean equal coefficient maps; when no key repeats, the map has one
    key per entry. Returns that count, and None when the keys differ, repeat or do not
    fit one int64 (then decide with :func:`coefficient_map` and
    :func:`first_map_difference`, which also find the differing key).

    Examples
    --------
    >>> a = (np.array([0, 1]), np.array([1, 0]), np.array([0, 0]))
    >>> b = (np.array([1, 0]), np.array([0, 1]), np.array([0, 0]))
    >>> equal_unit_maps(a, b, (2, 2)), equal_unit_maps(a, (b[0], b[1], b[1]), (2, 2))
    (2, None)
    >>> equal_unit_maps(a, b, (2, 2), (3, 2)) is None  # a 2x2 and a 3x2 matrix
    True
    >>> equal_unit_maps((a[0].repeat(2), a[1].repeat(2), a[2].repeat(2)), a, (2, 2)) is None
    True
    """
    if b_shape is not None and tuple(b_shape) != tuple(shape):
        return None
    flats = []
    for rows, cols, symbols in (a, b):
        rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
        symbols = np.asarray(symbols, np.int64)
        if len(rows) != len(a[0]) or len(rows) == 0:
            return None
        span = int(symbols.max()) + 2
        if not _fits_one_key(rows, cols, symbols, shape, span):
            return None
        flats.append((span, rows, cols, symbols))
    span = max(f[0] for f in flats)  # one encoding for both: (row, col, symbol) -> int64
    keys = [np.sort(_one_key(rows, cols, symbols, shape, span))
            for _, rows, cols, symbols in flats]
    if any(bool(np.any(k[1:] == k[:-1])) for k in keys) or not np.array_equal(*keys):
        return None
    return len(keys[0])


def _scaled(a: CoefficientMap, factor: int) -> np.ndarray:
    if factor == 1:
        return a.numerators
    return a.numerators.astype(object) * factor


def first_map_difference(a: CoefficientMap, b: CoefficientMap
                         ) -> tuple[Key, Fraction, Fraction] | None:
    """The first key (in sorted order) where two coefficient maps differ, or None if equal.

    Returns ``(key, coefficient in a, coefficient in b)``; a missing key has
    coefficient 0. Different shapes raise ``ValueError`` (compare shapes first).
    """
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    na, nb = _scaled(a, b.denominator), _scaled(b, a.denominator)
    common = min(len(a), len(b))
    if np.array_equal(a.keys, b.keys) and np.array_equal(na, nb):
        return None  # the same keys (sorted, unique) with the same coefficients
    same_key = np.all(a.keys[:common] == b.keys[:common], axis=1)
    same = same_key & (na[:common] == nb[:common])
    if len(a) == len(b) and bool(np.all(same)):
        return None
    bad = np.flatnonzero(~same)
    e = int(bad[0]) if len(bad) else common
    candidates = [tuple(int(v) for v in m.keys[e]) for m in (a, b) if e < len(m)]
    key = min(candidates)
    return key, _lookup(a, key), _lookup(b, key)


def _lookup(m: CoefficientMap, key: Key) -> Fraction:
    hit = np.flatnonzero(np.all(m.keys == np.array(key, dtype=np.int64), axis=1))
    return m.coefficient(int(hit[0])) if len(hit) else Fraction(0)


def symbol_ids(*kernels: Sequence[sympy.Symbol]) -> list[np.ndarray]:
    """For each kernel symbol list, the id of each symbol in one shared numbering.

    The same symbol gets the same id in every list; different symbols get
    different ids, so ids can stand for the symbols in a coefficient map.

    Examples
    --------
    >>> a, b, c = sympy.symbols("a b c")
    >>> [ids.tolist() for ids in symbol_ids([a, b], [b, c])]
    [[0, 1], [1, 2]]
    """
    numbering: dict[sympy.Symbol, int] = {}
    return [np.array([numbering.setdefault(s, len(numbering)) for s in kernel], dtype=np.int64)
            for kernel in kernels]


def tap_symbols(taps: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Map kernel taps to shared symbol ids (tap ``-1``, no kernel factor, stays ``-1``)."""
    taps = np.asarray(taps, dtype=np.int64)
    if len(ids) == 0:
        return np.full(len(taps), -1, dtype=np.int64)
    return np.where(taps >= 0, ids[np.clip(taps, 0, None)], -1)


def linear_form(m: CoefficientMap, row: int, col: int,
                symbols: Sequence[sympy.Symbol]) -> sympy.Expr:
    """The entry ``(row, col)`` of the matrix a coefficient map describes, as SymPy.

    ``symbols[i]`` is the symbol with id ``i``.
    """
    hits = np.flatnonzero((m.keys[:, 0] == row) & (m.keys[:, 1] == col))
    terms = [sympy.Rational(int(m.numerators[e]), m.denominator)
             * (symbols[int(m.keys[e, 2])] if m.keys[e, 2] >= 0 else 1) for e in hits]
    return sympy.Add(*terms)


# ---------------------------------------------------------------------------
# Channel-block (Kronecker) structure
# ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BlockMap:
    """A coefficient map that is the product of a channel map and one spatial map.

    The full map is ``(o R + r, c S + s, b K + t) -> m(o, c, b) * p(r, s, t)``
    for every channel key ``(o, c, b)`` of ``channel`` and spatial key
    ``(r, s, t)`` of ``spatial``, where ``(R, S) = spatial.shape`` and ``K`` is
    the number of taps of one spatial kernel (``0 <= t < K``).
    """

    channel: CoefficientMap
    spatial: CoefficientMap
    taps_per_block: int

    @property
    def shape(self) -> tuple[int, int]:
        """Shape of the full matrix."""
        (co, ci), (r, s) = self.channel.shape, self.spatial.shape
        return (co * r, ci * s)

    def full_key(self, channel_key: Key, spatial_key: Key) -> Key:
        """The full ``(row, col, symbol)`` of a channel key and a spatial key."""
        (o, c, b), (r, s, t) = channel_key, spatial_key
        rows, cols = self.spatial.shape
        return (o * rows + r, c * cols + s, b * self.taps_per_block + t)

    def transposed(self) -> BlockMap:
        """The block map of the transposed matrix (both factors transposed)."""
        return BlockMap(transpose_map(self.channel), transpose_map(self.spatial),
                        self.taps_per_block)


def transpose_map(m: CoefficientMap) -> CoefficientMap:
    """The coefficient map of the transposed matrix (rows and columns swapped)."""
    keys = m.keys[:, [1, 0, 2]]
    order = np.lexsort((keys[:, 2], keys[:, 1], keys[:, 0]))
    return CoefficientMap(keys[order], m.numerators[order], m.denominator,
                          (m.shape[1], m.shape[0]))


def expand_blocks(block: BlockMap) -> CoefficientMap:
    """The full coefficient map of a block map (only for small sizes: it is the product)."""
    ch, sp = block.channel, block.spatial
    rows, cols = sp.shape
    c_idx, s_idx = np.meshgrid(np.arange(len(ch)), np.arange(len(sp)), indexing="ij")
    c_idx, s_idx = c_idx.ravel(), s_idx.ravel()
    full_rows = ch.keys[c_idx, 0] * rows + sp.keys[s_idx, 0]
    full_cols = ch.keys[c_idx, 1] * cols + sp.keys[s_idx, 1]
    full_syms = ch.keys[c_idx, 2] * block.taps_per_block + sp.keys[s_idx, 2]
    bound = (int(np.abs(ch.numerators).max(initial=0))
             * int(np.abs(sp.numerators).max(initial=0)))
    small = (ch.numerators.dtype == sp.numerators.dtype == np.int64
             and bound * max(len(c_idx), 1) < 2**62)  # no int64 overflow, even summed
    dtype = np.int64 if small else object
    values = ch.numerators.astype(dtype)[c_idx] * sp.numerators.astype(dtype)[s_idx]
    return summed_map(full_rows, full_cols, full_syms, block.shape, values,
                      ch.denominator * sp.denominator)


def aligned(a: CoefficientMap, b: CoefficientMap) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of the keys of ``a`` and ``b``, and both numerator columns on it (0 where
    absent), scaled to the common denominator ``a.denominator * b.denominator``.

    Examples
    --------
    >>> a = coefficient_map(np.array([0]), np.array([1]), np.array([0]), (1, 2))
    >>> b = coefficient_map(np.array([0]), np.array([0]), np.array([0]), (1, 2), [2])
    >>> keys, va, vb = aligned(a, b)
    >>> keys.tolist(), va.tolist(), vb.tolist()
    ([[0, 0, 0], [0, 1, 0]], [0, 1], [2, 0])
    """
    keys, inverse = np.unique(np.concatenate([a.keys, b.keys]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    na, nb = _scaled(a, b.denominator), _scaled(b, a.denominator)
    dtype = np.int64 if na.dtype == nb.dtype == np.int64 else object
    va, vb = np.zeros(len(keys), dtype=dtype), np.zeros(len(keys), dtype=dtype)
    va[inverse[:len(a)]] = na
    vb[inverse[len(a):]] = nb
    return keys, va, vb


def first_block_difference(a: BlockMap, b: BlockMap) -> tuple[Key, Fraction, Fraction] | None:
    """Whether two block maps describe the same full matrix; a differing full key if not.

    Equal spatial maps and equal channel maps give equal products (the sound,
    cheap direction: one spatial comparison, one comparison per channel pair).
    Otherwise every channel key ``kappa`` is checked exactly:
    ``m_a(kappa) p_a == m_b(kappa) p_b`` on the union of spatial keys, so a
    reported difference is a real entry where the full matrices differ.
    """
    if a.shape != b.shape or a.spatial.shape != b.spatial.shape \
            or a.taps_per_block != b.taps_per_block:
        raise ValueError(f"block shapes differ: {a.shape} vs {b.shape}")
    if first_map_difference(a.spatial, b.spatial) is None \
            and first_map_difference(a.channel, b.channel) is None:
        return None
    s_keys, pa, pb = aligned(a.spatial, b.spatial)
    c_keys, ma, mb = aligned(a.channel, b.channel)
    for kappa, x, y in zip(c_keys, ma, mb):
        differs = np.flatnonzero(x * pa != y * pb)
        if len(differs):
            e = int(differs[0])
            key = a.full_key(tuple(int(v) for v in kappa), tuple(int(v) for v in s_keys[e]))
            scale = (a.channel.denominator * a.spatial.denominator
                     * b.channel.denominator * b.spatial.denominator)
            return key, Fraction(int(x * pa[e]), scale), Fraction(int(y * pb[e]), scale)
    return None


__all__ = ["BlockMap", "CoefficientMap", "aligned", "coefficient_map", "equal_unit_maps",
           "exact_coefficients", "expand_blocks", "first_block_difference",
           "first_map_difference", "linear_form", "summed_map", "symbol_ids", "tap_symbols",
           "transpose_map"]
