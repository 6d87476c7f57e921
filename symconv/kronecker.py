"""Kronecker structure of one-channel layers: per-axis factors of the index form.

Why a layer is a product of per-axis factors
--------------------------------------------
A one-channel correlation with zero padding has
``C[(i_1..i_n), (j_1..j_n)] = sum_m k_m * prod_a [j_a = s_a i_a - p_a + d_a m_a]``:
the input position of output ``i`` and tap ``m = (m_1..m_n)`` is computed axis by
axis, and it lies in the input box exactly when it lies in range on every axis. So
the coefficient of the kernel symbol ``k_m`` at ``(i, j)`` is the product of per-axis
0/1 coefficients ``c_a(i_a, j_a, m_a)``. The factor is the **tap index** per axis,
not the kernel value: the entries ``k_m`` of an n-D kernel are independent symbols,
not products of per-axis values; the combined tap ``(m_1..m_n)`` is the kernel
symbol's flat id (C order). The scatter-defined transposed convolution factors the
same way (output ``s_a j_a - p_a + d_a m_a`` per axis).

A :class:`KroneckerMap` is such a product of per-axis coefficient maps
(:class:`symconv.sparse.CoefficientMap` with keys ``(row, col, tap)`` of one axis).
Its full map sends ``((i_a), (j_a), (m_a))`` -- raveled in C order -- to
``prod_a c_a(i_a, j_a, m_a)``. Raveling is a bijection, so equal factors give equal
full maps, and the transpose of a product is the product of the transposed factors
(entry ``((i), (j))`` of ``(A (x) B)^T`` is entry ``((j), (i))`` of ``A (x) B``,
i.e. ``A[j_1, i_1] B[j_2, i_2] = A^T[i_1, j_1] B^T[i_2, j_2]``).

Examples
--------
>>> from symconv.geometry import Geometry
>>> g = Geometry((4, 3), (2, 2))
>>> c = KroneckerMap(correlation_factors(g), g.kernel_shape)
>>> c.shape, c.entries, [len(f) for f in c.factors]
((6, 12), 24, [6, 4])
>>> first_kronecker_difference(c.transposed(), c.transposed()) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from math import prod

import numpy as np

from .geometry import Geometry, TransposedGeometry
from .sparse import (
    CoefficientMap,
    Key,
    aligned,
    coefficient_map,
    first_map_difference,
    summed_map,
    transpose_map,
)


def correlation_factor(out: int, k: int, n: int, s: int, p: int, d: int) -> CoefficientMap:
    """One axis of a correlation: keys ``(i, j, m)`` with ``j = s*i - p + d*m`` in ``[0, n)``.

    Examples
    --------
    >>> correlation_factor(out=2, k=2, n=3, s=1, p=0, d=1).keys.tolist()
    [[0, 0, 0], [0, 1, 1], [1, 1, 0], [1, 2, 1]]
    """
    i, m = np.arange(out)[:, None], np.arange(k)[None, :]
    j = s * i - p + d * m
    inside = (j >= 0) & (j < n)
    rows = np.broadcast_to(i, inside.shape)[inside]
    return coefficient_map(rows, j[inside], np.broadcast_to(m, inside.shape)[inside], (out, n))


def scatter_factor(n: int, k: int, out: int, s: int, crop: int, d: int) -> CoefficientMap:
    """One axis of a transposed convolution's scatter rule: input ``j`` with tap ``m`` adds
    to output ``q = s*j - crop + d*m`` when ``0 <= q < out``; keys ``(q, j, m)``.

    Examples
    --------
    >>> scatter_factor(n=2, k=3, out=5, s=2, crop=0, d=1).keys.tolist()[:4]
    [[0, 0, 0], [1, 0, 1], [2, 0, 2], [2, 1, 0]]
    """
    j, m = np.arange(n)[:, None], np.arange(k)[None, :]
    q = s * j - crop + d * m
    inside = (q >= 0) & (q < out)
    cols = np.broadcast_to(j, inside.shape)[inside]
    return coefficient_map(q[inside], cols, np.broadcast_to(m, inside.shape)[inside], (out, n))


def correlation_factors(g: Geometry) -> tuple[CoefficientMap, ...]:
    """The per-axis factors of ``g``'s one-channel correlation (zero padding)."""
    return tuple(correlation_factor(o, k, n, s, pb, d) for o, k, n, s, d, (pb, _) in zip(
        g.output_shape, g.kernel_shape, g.input_shape, g.stride, g.dilation, g.pads))


def scatter_factors(tg: TransposedGeometry) -> tuple[CoefficientMap, ...]:
    """The per-axis factors of ``tg``'s one-channel transposed convolution."""
    return tuple(scatter_factor(n, k, o, s, c, d) for n, k, o, s, d, (c, _) in zip(
        tg.input_shape, tg.kernel_shape, tg.output_shape, tg.stride, tg.dilation, tg.crops))


@dataclass(frozen=True, eq=False)
class KroneckerMap:
    """A coefficient map that is the product of per-axis coefficient maps.

    Attributes
    ----------
    factors : tuple of CoefficientMap
        Axis ``a``'s map, keys ``(row_a, col_a, tap_a)``, shape ``(rows_a, cols_a)``.
    taps : tuple of int
        Kernel size per axis: the full symbol of taps ``(m_a)`` is their C-order ravel.
    """

    factors: tuple[CoefficientMap, ...]
    taps: tuple[int, ...]

    @property
    def shape(self) -> tuple[int, int]:
        """Shape of the full matrix."""
        return (prod(f.shape[0] for f in self.factors), prod(f.shape[1] for f in self.factors))

    @property
    def entries(self) -> int:
        """Stored entries of the full map (the product of the factors' entries)."""
        return prod(len(f) for f in self.factors)

    def full_key(self, keys: tuple[Key, ...]) -> Key:
        """The full ``(row, col, symbol)`` of one key per axis."""
        rows, cols, taps = zip(*keys)
        return (int(np.ravel_multi_index(rows, tuple(f.shape[0] for f in self.factors))),
                int(np.ravel_multi_index(cols, tuple(f.shape[1] for f in self.factors))),
                int(np.ravel_multi_index(taps, self.taps)))

    def transposed(self) -> KroneckerMap:
        """The product of the transposed factors (the transpose, by the index argument)."""
        return KroneckerMap(tuple(transpose_map(f) for f in self.factors), self.taps)

    def expand(self, keep: tuple[np.ndarray, ...] | None = None) -> CoefficientMap:
        """The full coefficient map (small sizes only: it has :attr:`entries` keys).

        ``keep``: per axis, the factor keys (indices) to combine; the default is all.
        """
        picks = keep or tuple(np.arange(len(f)) for f in self.factors)
        grids = [g.reshape(-1) for g in np.meshgrid(*picks, indexing="ij")]
        keys = [f.keys[g] for f, g in zip(self.factors, grids)]
        full = [np.ravel_multi_index(tuple(k[:, axis] for k in keys), shape)
                for axis, shape in ((0, tuple(f.shape[0] for f in self.factors)),
                                    (1, tuple(f.shape[1] for f in self.factors)),
                                    (2, self.taps))]
        values = np.ones(len(grids[0]), dtype=object)
        for f, g in zip(self.factors, grids):
            values = values * f.numerators.astype(object)[g]
        small = all(abs(int(v)) < 2**62 for v in values)
        return summed_map(*full, self.shape, values.astype(np.int64) if small else values,
                          prod(f.denominator for f in self.factors))

    def corner(self, size: int) -> CoefficientMap:
        """The full map restricted to rows and columns below ``size``, from the factors."""
        rows = np.unravel_index(np.arange(min(size, self.shape[0])),
                                tuple(f.shape[0] for f in self.factors))
        cols = np.unravel_index(np.arange(min(size, self.shape[1])),
                                tuple(f.shape[1] for f in self.factors))
        keep = tuple(np.flatnonzero(np.isin(f.keys[:, 0], r) & np.isin(f.keys[:, 1], c))
                     for f, r, c in zip(self.factors, rows, cols))
        full = self.expand(keep)
        inside = (full.keys[:, 0] < size) & (full.keys[:, 1] < size)
        return CoefficientMap(full.keys[inside], full.numerators[inside], full.denominator,
                              (min(size, self.shape[0]), min(size, self.shape[1])))


@dataclass(frozen=True)
class FactorDifference:
    """Where two Kronecker maps differ: the first differing factor, and a full entry.

    Attributes
    ----------
    axis : int
        The first axis whose factors differ.
    factor_key : tuple of int
        The first ``(row, col, tap)`` of that axis where they differ, and
    factor_values : tuple of Fraction
        its coefficient in each factor.
    key : tuple of int or None
        A full ``(row, col, symbol)`` where the products really differ (the first in
        per-axis key order), None when the products are equal although factors differ
        (e.g. one factor doubled, another halved).
    values : tuple of Fraction or None
        The full coefficient at ``key`` in each product.
    """

    axis: int
    factor_key: Key
    factor_values: tuple[Fraction, Fraction]
    key: Key | None
    values: tuple[Fraction, Fraction] | None


def _rest_summary(axes: list[tuple[np.ndarray, np.ndarray]]) -> tuple[bool, bool, bool, int, int]:
    """For ``alpha * (x) u_b == beta * (x) v_b``: whether some ``u_b``, some ``v_b`` is zero,
    whether every ``u_b`` is proportional to ``v_b``, and ``prod u_b[f_b]``, ``prod v_b[f_b]``
    at each axis' first nonzero ``f_b`` of ``u_b``."""
    zero_u = any(not u.any() for u, _ in axes)
    zero_v = any(not v.any() for _, v in axes)
    proportional, pu, pv = True, 1, 1
    for u, v in axes:
        nonzero = np.flatnonzero(u)
        if not len(nonzero):
            proportional = False
            break
        f = int(nonzero[0])
        proportional &= bool(v[f] != 0) and bool(np.all(u * v[f] == v * u[f]))
        pu, pv = pu * int(u[f]), pv * int(v[f])
    return zero_u, zero_v, proportional, pu, pv


def _rest_equal(alpha: int, beta: int, summary: tuple[bool, bool, bool, int, int]) -> bool:
    """``alpha * (x) u_b == beta * (x) v_b`` from :func:`_rest_summary` (no axes: ``alpha ==
    beta``). Both sides zero, or both nonzero with proportional factors whose ratios
    multiply to ``beta / alpha``."""
    zero_u, zero_v, proportional, pu, pv = summary
    zero_a, zero_b = alpha == 0 or zero_u, beta == 0 or zero_v
    if zero_a or zero_b:
        return zero_a and zero_b
    return proportional and alpha * pu == beta * pv


def _differing_choice(axes: list[tuple[np.ndarray, np.ndarray]], alpha: int = 1,
                      beta: int = 1) -> list[int] | None:
    """One index per axis where ``alpha * prod u_b[i_b] != beta * prod v_b[i_b]``, the first
    in lexicographic order, or None if the two products are equal everywhere."""
    if not axes:
        return None if alpha == beta else []
    (u, v), rest = axes[0], axes[1:]
    summary = _rest_summary(rest)
    for index in range(len(u)):
        a, b = alpha * int(u[index]), beta * int(v[index])
        if not _rest_equal(a, b, summary):
            return [index, *_differing_choice(rest, a, b)]
    return None


def first_kronecker_difference(a: KroneckerMap, b: KroneckerMap) -> FactorDifference | None:
    """None if every factor of ``a`` equals ``b``'s; else where they and the products differ.

    Equal factors give equal products (the sound, cheap direction). When a factor
    differs, the products are compared exactly on the union of each axis' keys
    (without expanding them), and the full key reported is one where they differ.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> g = Geometry((5, 4), (3, 2), padding=1)
    >>> c = KroneckerMap(correlation_factors(g), g.kernel_shape)
    >>> shifted = correlation_factor(out=5, k=2, n=4, s=1, p=0, d=1)  # padding 0, not 1
    >>> bad = KroneckerMap((c.factors[0], shifted), c.taps)
    >>> found = first_kronecker_difference(bad, c)
    >>> found.axis, found.factor_key, found.key, found.values
    (1, (0, 0, 0), (0, 0, 2), (Fraction(1, 1), Fraction(0, 1)))
    """
    if a.shape != b.shape or a.taps != b.taps or [f.shape for f in a.factors] != [
            f.shape for f in b.factors]:
        raise ValueError(f"factor shapes differ: {[f.shape for f in a.factors]} vs "
                         f"{[f.shape for f in b.factors]}")
    first = next(((axis, found) for axis, (fa, fb) in enumerate(zip(a.factors, b.factors))
                  if (found := first_map_difference(fa, fb)) is not None), None)
    if first is None:
        return None
    axis, (factor_key, va, vb) = first
    union = [aligned(fa, fb) for fa, fb in zip(a.factors, b.factors)]
    choice = _differing_choice([(u.astype(object), v.astype(object)) for _, u, v in union])
    if choice is None:
        return FactorDifference(axis, factor_key, (va, vb), None, None)
    keys = tuple(tuple(int(x) for x in k[i]) for (k, _, _), i in zip(union, choice))
    scale = prod(fa.denominator * fb.denominator for fa, fb in zip(a.factors, b.factors))
    values = tuple(Fraction(prod(int(column[i]) for column, i in zip(columns, choice)), scale)
                   for columns in ([u for _, u, _ in union], [v for _, _, v in union]))
    return FactorDifference(axis, factor_key, (va, vb), a.full_key(keys), values)


def _box(inside: list[np.ndarray]) -> np.ndarray:
    """The n-D grid of positions whose every coordinate is inside (one mask per axis)."""
    ndim = len(inside)
    return reduce(np.logical_and, [mask.reshape((1,) * a + (-1,) + (1,) * (ndim - a - 1))
                                   for a, mask in enumerate(inside)])


def window_count(g: Geometry) -> int:
    """Stored entries of ``g``'s one-channel correlation, counted on the n-D grid: the pairs
    (output position, tap) whose input position lies in the input box, tap by tap.

    Examples
    --------
    >>> window_count(Geometry((5, 5), (3, 3), padding=1))
    169
    """
    return _reaching_pairs(g.output_shape, g.input_shape, g.stride, g.dilation,
                           [pb for pb, _ in g.pads], g.kernel_shape)


def scatter_count(tg: TransposedGeometry) -> int:
    """Stored entries of ``tg``'s one-channel transposed convolution, counted on the n-D
    grid: the pairs (input position, tap) whose output position lies in the output box.

    Examples
    --------
    >>> scatter_count(TransposedGeometry((3, 3), (3, 3), padding=1, output_padding=0))
    49
    """
    return _reaching_pairs(tg.input_shape, tg.output_shape, tg.stride, tg.dilation,
                           [c for c, _ in tg.crops], tg.kernel_shape)


def _reaching_pairs(sources, targets, strides, dilations, offsets, kernel_shape) -> int:
    """The pairs (source position, tap) whose target position ``s i - offset + d m`` lies
    in the target box, tap by tap: the stored entries of either operator."""
    total = 0
    for tap in np.ndindex(*kernel_shape):
        inside = []
        for size, target, s, d, offset, m in zip(sources, targets, strides, dilations,
                                                 offsets, tap):
            position = s * np.arange(size) - offset + d * m
            inside.append((position >= 0) & (position < target))
        total += int(np.count_nonzero(_box(inside)))
    return total


def builder_factors(g: Geometry, tg: TransposedGeometry
                    ) -> tuple[tuple[CoefficientMap, ...], tuple[CoefficientMap, ...]]:
    """The per-axis triples the operator builders combine, as factors (full size, cheap).

    :func:`symconv.operators.correlation` combines ``window_triples(o, k, n, s, p, d)``
    ``(i, m, j)`` per axis, :func:`symconv.operators.transposed_convolution`
    ``window_triples(n_T, k, out_T, s, crop, d)`` ``(j, m, q)``; here they are read as
    keys ``(i, j, m)`` and ``(q, j, m)``.
    """
    from . import operators

    c = tuple(coefficient_map(t[:, 0], t[:, 2], t[:, 1], (o, n)) for t, o, n in (
        (operators.window_triples(o, k, n, s, pb, d), o, n) for o, k, n, s, d, (pb, _) in zip(
            g.output_shape, g.kernel_shape, g.input_shape, g.stride, g.dilation, g.pads)))
    t = tuple(coefficient_map(x[:, 2], x[:, 0], x[:, 1], (o, n)) for x, o, n in (
        (operators.window_triples(n, k, o, s, crop, d), o, n) for n, k, o, s, d, (crop, _)
        in zip(tg.input_shape, tg.kernel_shape, tg.output_shape, tg.stride, tg.dilation,
               tg.crops)))
    return c, t


def _same_factors(a: tuple[CoefficientMap, ...], b: tuple[CoefficientMap, ...]) -> bool:
    return all(fa.shape == fb.shape and first_map_difference(fa, fb) is None
               for fa, fb in zip(a, b))


@dataclass(frozen=True)
class FactorComparison:
    """What the per-axis comparison of T with Cᵀ found (:func:`compare_factors`).

    Attributes
    ----------
    correlation, scatter : KroneckerMap
        The full-size factors of C (from its geometry) and of T (from the scatter rule).
    difference : FactorDifference or None
        Where T's factors differ from Cᵀ's, None when every axis agrees.
    builder_triples : bool
        Full size: the per-axis triples the builders combine equal the factors.
    counts : tuple of int
        Full size: stored entries of C and T counted on the n-D grid
        (:func:`window_count`, :func:`scatter_count`).
    twin_product : bool
        Twin size: the builders' operators equal the expanded factor products, entry for
        entry, with the same kernel symbols id for id.
    twin_lemma : bool
        Twin size: the transpose of each expanded product equals the product of the
        transposed factors.
    twin_whole : bool
        Twin size: the whole coefficient maps of T and Cᵀ are equal.
    twin_entries : int
        Stored entries of C at the twin size.
    """

    correlation: KroneckerMap
    scatter: KroneckerMap
    difference: FactorDifference | None
    builder_triples: bool
    counts: tuple[int, int]
    twin_product: bool
    twin_lemma: bool
    twin_whole: bool
    twin_entries: int

    @property
    def counted(self) -> bool:
        """The n-D counts equal the products of the factors' entries."""
        return self.counts == (self.correlation.entries, self.scatter.entries)

    @property
    def product_checked(self) -> bool:
        """Every mechanical check of the product structure held."""
        return self.builder_triples and self.counted and self.twin_product and self.twin_lemma

    @property
    def equal(self) -> bool:
        """The factor products of T and Cᵀ are equal (factors equal, or products equal)."""
        return self.difference is None or self.difference.key is None

    @property
    def holds(self) -> bool:
        """T = Cᵀ: equal products, a checked product structure, the twin cross-check."""
        return self.equal and self.product_checked and self.twin_whole


def _operator_map(op) -> CoefficientMap:
    return coefficient_map(op.rows, op.cols, op.taps, op.shape, op.coeffs)


def compare_factors(g: Geometry, tg: TransposedGeometry, twin: Geometry,
                    twin_tg: TransposedGeometry, twin_operators: tuple | None = None
                    ) -> FactorComparison:
    """Decide T = Cᵀ for one channel on the per-axis factors, with the product checks.

    Full size: the factors of C and T built from their geometries per axis, compared
    axis by axis (T_a = C_aᵀ); the builders' per-axis triples compared with them; the
    entries of both operators counted on the n-D grid. Twin size: the builders'
    operators against the expanded products, the transpose lemma, and T against Cᵀ
    whole. ``twin_operators``: the builders' ``(C, T)`` at the twin size when the caller
    has built them already (this call's operators, not a cache); built here otherwise.

    Examples
    --------
    >>> from symconv.theorems.structure import matching_transposed, twin_geometry
    >>> g = Geometry((40, 30), (3, 3), stride=2, padding=1)
    >>> twin = twin_geometry(g)
    >>> r = compare_factors(g, matching_transposed(g, (1, 1)), twin,
    ...                     matching_transposed(twin, (1, 1)))
    >>> r.holds, r.counts, [f.shape for f in r.correlation.factors]
    (True, (2596, 2596), [(20, 40), (15, 30)])
    """
    from . import operators
    from .limits import factor_proof_work, require_work

    require_work(f"prove by Kronecker factors at input {g.input_shape}, kernel "
                 f"{g.kernel_shape}", **factor_proof_work(
                     g.input_shape, g.kernel_shape, g.output_shape, twin.input_shape))
    c = KroneckerMap(correlation_factors(g), g.kernel_shape)
    t = KroneckerMap(scatter_factors(tg), tg.kernel_shape)
    built_c, built_t = builder_factors(g, tg)
    triples = _same_factors(built_c, c.factors) and _same_factors(built_t, t.factors)
    twin_c = KroneckerMap(correlation_factors(twin), twin.kernel_shape)
    twin_t = KroneckerMap(scatter_factors(twin_tg), twin_tg.kernel_shape)
    op_c, op_t = twin_operators or (operators.correlation(twin),
                                    operators.transposed_convolution(twin_tg, kernel_name="k"))
    map_c, map_t = _operator_map(op_c), _operator_map(op_t)
    expanded = {id(k): k.expand() for k in (twin_c, twin_t)}  # each product expanded once
    product = (operators.same_kernel_symbols(op_c, op_t)
               and first_map_difference(map_c, expanded[id(twin_c)]) is None
               and first_map_difference(map_t, expanded[id(twin_t)]) is None)
    lemma = all(first_map_difference(transpose_map(expanded[id(k)]), k.transposed().expand())
                is None for k in (twin_c, twin_t))
    whole = map_t.shape == map_c.shape[::-1] and first_map_difference(
        map_t, transpose_map(map_c)) is None
    return FactorComparison(c, t, first_kronecker_difference(t, c.transposed()), triples,
                            (window_count(g), scatter_count(tg)), product, lemma, whole,
                            len(map_c))


__all__ = ["FactorComparison", "FactorDifference", "KroneckerMap", "builder_factors",
           "compare_factors", "correlation_factor", "correlation_factors",
           "first_kronecker_difference", "scatter_count", "scatter_factor", "scatter_factors",
           "window_count"]
