"""Convolution-family operators as explicit sparse matrices with symbolic entries.

Every linear operator is built in an *index form*: parallel integer arrays
``rows``, ``cols``, ``taps`` and optional exact ``coeffs``, meaning

    C[rows[e], cols[e]] += coeffs[e] * kernel.flat[taps[e]]     (tap -1: no kernel factor)

so that nothing is symbolic until the public edge (:attr:`LinearOperator.matrix`).
Rows index the flattened output in (C, H, W) order, columns the flattened input.

The index formulas, one axis, output position ``i``, input position ``j``,
kernel offset ``m`` (stride ``s``, dilation ``d``, pad before ``p``):

==========================  ===================================================
correlation                 ``C[i, j] = k[m]`` where ``j = s*i - p + d*m``
convolution                 ``C[i, j] = k[K-1-m]`` where ``j = s*i - p + d*m``
transposed (scatter rule)   input ``j`` adds ``w[m] x[j]`` to output ``s*j - p + d*m``
circular convolution        ``C[i, (i - m) mod n] = k[m]``
==========================  ===================================================

Examples
--------
>>> from symconv.geometry import Geometry
>>> op = correlation(Geometry((4,), (2,)))
>>> op.matrix
Matrix([
[k_{0,0,0}, k_{0,0,1},         0,         0],
[        0, k_{0,0,0}, k_{0,0,1},         0],
[        0,         0, k_{0,0,0}, k_{0,0,1}]])
>>> op.input_shape, op.output_shape
((1, 4), (1, 3))
>>> op.numeric([[[1, 2]]]).tolist()
[[1.0, 2.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 1.0, 2.0]]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from math import prod
from typing import Any

import numpy as np
import sympy

from .errors import GeometryError, OperatorError, SymconvError, describe, require
from .geometry import (
    AdaptivePoolGeometry,
    Geometry,
    PoolGeometry,
    TransposedGeometry,
    per_axis,
    spatial_shape,
)
from .limits import require_index_range, require_symbolic_size, require_work
from .validation import boolean, integer

#: Largest number of rows or columns that ``_repr_latex_`` prints in full.
REPR_SIZE = 12

Shape = tuple[int, ...]


# ---------------------------------------------------------------------------
# Symbols
# ---------------------------------------------------------------------------

def indexed_symbols(shape: Sequence[int], name: str) -> sympy.Array:
    """An Array of symbols ``name_{i,j,...}``, one per index of ``shape``.

    Examples
    --------
    >>> indexed_symbols((1, 2), "x")
    [[x_{0,0}, x_{0,1}]]
    """
    shape = tuple(int(v) for v in shape)
    flat = [sympy.Symbol(f"{name}_{{{','.join(map(str, idx))}}}")
            for idx in itertools.product(*map(range, shape))]
    return sympy.Array(flat, shape)


def input_symbols(shape: Sequence[int], name: str = "x") -> sympy.Array:
    """Symbolic input entries ``x_{c,h,w}`` for an operator's ``input_shape``."""
    return indexed_symbols(shape, name)


@dataclass(frozen=True)
class KernelSymbols:
    """The kernel symbols ``name_{i,j,...}`` of ``shape``, built only when first asked for.

    A builder's ``taps`` are integer ids into this grid (C order); a comparison on the
    index form needs only the ids, so a 256 -> 256 layer's 589,824 SymPy symbols are never
    made unless :attr:`LinearOperator.kernel` is read. Two grids with equal ``name`` and
    ``shape`` hold the same symbols, id for id (:func:`indexed_symbols` names each symbol by
    its index).

    Examples
    --------
    >>> grid = KernelSymbols("k", (1, 1, 2))
    >>> grid.size, grid.flat
    (2, [k_{0,0,0}, k_{0,0,1}])
    """

    name: str
    shape: Shape

    @property
    def size(self) -> int:
        """Number of symbols."""
        return prod(self.shape)

    @cached_property
    def array(self) -> sympy.Array:
        """The symbols as a SymPy Array of :attr:`shape`."""
        return indexed_symbols(self.shape, self.name)

    @property
    def flat(self) -> list[sympy.Symbol]:
        """The symbols in C order (what ``taps`` index)."""
        return _flatten(self.array)


def same_kernel_symbols(a: LinearOperator, b: LinearOperator) -> bool:
    """Whether two operators' taps index the same kernel symbols, id for id.

    Two :class:`KernelSymbols` grids are compared by name and shape (which fix every
    symbol); otherwise the symbol lists are compared.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> g = Geometry((4,), (2,))
    >>> same_kernel_symbols(correlation(g, 2, 2), correlation(g, 2, 2)), same_kernel_symbols(
    ...     correlation(g), correlation(g, kernel_name="w"))
    (True, False)
    """
    sa, sb = a.kernel_source, b.kernel_source
    if isinstance(sa, KernelSymbols) and isinstance(sb, KernelSymbols):
        return sa == sb
    return a.kernel_shape == b.kernel_shape and a.kernel_flat == b.kernel_flat


class _LazyKernel:
    """The ``kernel`` field of :class:`LinearOperator`: a SymPy Array, or a
    :class:`KernelSymbols` grid turned into one the first time it is read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_source"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return None  # the dataclass default
        value = obj.__dict__[self.slot]
        return value.array if isinstance(value, KernelSymbols) else value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


# ---------------------------------------------------------------------------
# The operator object
# ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LinearOperator:
    """A linear operator in index form; see the module docstring for the meaning.

    Attributes
    ----------
    name : str
        What it is ("correlation", "transposed_convolution", ...).
    input_shape, output_shape : tuple of int
        With the channel axis first.
    rows, cols, taps : numpy.ndarray
        The index form (int64, equal lengths).
    coeffs : numpy.ndarray or None
        Exact constant factors (SymPy numbers) per entry; None means all 1.
    kernel : sympy.Array or None
        The kernel symbols ``taps`` index into (flattened, C order). The builders pass a
        :class:`KernelSymbols` grid, made into SymPy symbols only when this is read.
    """

    name: str
    input_shape: Shape
    output_shape: Shape
    rows: np.ndarray
    cols: np.ndarray
    taps: np.ndarray
    coeffs: np.ndarray | None = None
    kernel: sympy.Array | None = _LazyKernel()  # type: ignore[assignment]

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)`` of the matrix."""
        return (int(np.prod(self.output_shape)), int(np.prod(self.input_shape)))

    @property
    def kernel_source(self) -> sympy.Array | KernelSymbols | None:
        """:attr:`kernel` as given: a :class:`KernelSymbols` grid stays one (no SymPy)."""
        return self.__dict__["_kernel_source"]

    @property
    def has_kernel(self) -> bool:
        """Whether the operator has kernel symbols (reads no SymPy)."""
        return self.kernel_source is not None

    @property
    def kernel_shape(self) -> Shape:
        """Shape of :attr:`kernel` (PyTorch's weight layout), ``()`` when there is none."""
        source = self.kernel_source
        return () if source is None else tuple(int(v) for v in source.shape)

    @property
    def nnz(self) -> int:
        """Stored entries (structural nonzeros; duplicates of one position are summed)."""
        return len(set(zip(self.rows.tolist(), self.cols.tolist())))

    def entries(self) -> dict[tuple[int, int], sympy.Expr]:
        """The nonzero entries as ``{(row, col): expression}`` (duplicates summed)."""
        flat = self.kernel_flat
        out: dict[tuple[int, int], sympy.Expr] = {}
        coeffs = self.coeffs if self.coeffs is not None else itertools.repeat(sympy.Integer(1))
        for r, c, t, a in zip(self.rows.tolist(), self.cols.tolist(), self.taps.tolist(), coeffs):
            term = a * flat[t] if t >= 0 else a
            out[(r, c)] = out.get((r, c), 0) + term
        return {key: value for key, value in out.items() if value != 0}

    @cached_property
    def kernel_flat(self) -> list[sympy.Symbol]:
        """The kernel symbols in C order (what ``taps`` index)."""
        source = self.kernel_source
        return [] if source is None else (source.flat if isinstance(source, KernelSymbols)
                                          else _flatten(source))

    @cached_property
    def matrix(self) -> sympy.SparseMatrix:
        """The operator as a SymPy SparseMatrix (built once, then cached).

        Refused up front (:class:`~symconv.errors.SizeLimitError`) beyond
        :func:`symconv.limits.max_symbolic_entries` stored entries.
        """
        require_symbolic_size(len(self.rows), f"{self.name}.matrix {self.shape}")
        return sympy.SparseMatrix(*self.shape, self.entries())

    @property
    def T(self) -> LinearOperator:  # noqa: N802 - the matrix convention
        """The transpose: rows and columns swapped, shapes swapped."""
        return replace(self, name=f"{self.name}^T", input_shape=self.output_shape,
                       output_shape=self.input_shape, rows=self.cols, cols=self.rows,
                       kernel=self.kernel_source)

    def numeric(self, w: Any = None) -> np.ndarray:
        """The matrix as a float NumPy array, with kernel values ``w`` substituted.

        ``w`` must have the shape of :attr:`kernel`; operators without a kernel take none.
        """
        values = self._values(w)
        require_work(f"{self.name}.numeric {self.shape}", floats=self.shape[0] * self.shape[1])
        dense = np.zeros(self.shape, dtype=values.dtype)
        np.add.at(dense, (self.rows, self.cols), values)
        return dense

    def _values(self, w: Any) -> np.ndarray:
        if not self.has_kernel:
            require(w is None, "w", "an array", f"must be omitted: {self.name} has no kernel",
                    error=OperatorError)
            base = np.ones(len(self.rows))
        else:
            w = _float_array("w", w, self.kernel_shape, f"the kernel layout of {self.name}")
            base = w.reshape(-1)[self.taps]
        if self.coeffs is not None:
            base = base * np.array([float(a) for a in self.coeffs])
        return base

    def apply(self, x: Any) -> sympy.Array:
        """``C x`` with symbolic (or numeric) input ``x`` of shape :attr:`input_shape`."""
        flat_x = _flat_input(x, self.input_shape)
        entries = self.entries()
        rows: dict[int, list] = {}
        for (r, c), value in entries.items():
            rows.setdefault(r, []).append(value * flat_x[c])
        flat = [sympy.Add(*rows.get(r, [])) for r in range(self.shape[0])]
        return sympy.Array(flat, self.output_shape)

    def _latex(self, printer: Any) -> str:
        """SymPy's printer protocol (``sympy.latex(op)``): the whole matrix, by ``printer``.

        A form elided to fit a page is :func:`symconv.render.latex.operator_latex`.

        Examples
        --------
        >>> from symconv.geometry import Geometry
        >>> print(sympy.latex(correlation(Geometry((2,), (2,)))))
        \\left[\\begin{matrix}k_{0,0,0} & k_{0,0,1}\\end{matrix}\\right]
        """
        return printer._print(self.matrix)

    def _repr_latex_(self) -> str:
        """Jupyter: the whole matrix up to :data:`REPR_SIZE` rows and columns, else its size."""
        if max(self.shape) <= REPR_SIZE:
            return "$\\displaystyle " + sympy.latex(self) + "$"
        rows, cols = self.shape
        return (f"$C \\in \\mathbb{{R}}^{{{rows} \\times {cols}}}"
                f"\\ ({len(self.rows)}\\ \\text{{stored entries}})$")

    def __repr__(self) -> str:
        return (f"<{self.name}: {self.input_shape} -> {self.output_shape}, "
                f"{self.shape[0]}x{self.shape[1]} matrix, {len(self.rows)} entries>")


def _shape_latex(shape: Shape) -> str:
    """A shape as Python writes it, ``(24,)`` for one element."""
    return repr(tuple(shape)).replace(" ", r"\ ")


def _float_array(parameter: str, value: Any, shape: Shape, what: str) -> np.ndarray:
    """``value`` as a float array of ``shape``, or an OperatorError naming the expected shape."""
    try:
        array = None if value is None else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.shape != shape:
        given = f"shape {array.shape}" if array is not None else repr(value)[:60]
        raise OperatorError(f"{parameter} must be a real array of shape {shape} ({what}), "
                            f"got {given}")
    return array


def _require_layer_work(name: str, spatial_entries: int, kernel_size: int, in_channels: int,
                        out_channels: int, groups: int) -> None:
    """Refuse a layer whose index form or kernel symbols would exceed the work limit."""
    blocks = out_channels * (in_channels // groups)
    require_work(f"{name} ({in_channels} -> {out_channels} channels, groups={groups})",
                 index_entries=blocks * spatial_entries, symbols=blocks * kernel_size)


def _flat_input(x: Any, shape: Shape) -> list:
    try:
        array = (None if isinstance(x, (str, bytes)) else
                 x if isinstance(x, sympy.NDimArray) else sympy.Array(x))
    except (TypeError, ValueError):
        array = None
    if array is None or tuple(array.shape) != tuple(shape):
        given = f"shape {tuple(array.shape)}" if array is not None else repr(x)[:60]
        raise OperatorError(f"x must be an array of shape {tuple(shape)} (the operator's "
                            f"input_shape), got {given}")
    return _flatten(array)


def _flatten(array: sympy.NDimArray) -> list:
    if isinstance(array, sympy.ImmutableDenseNDimArray):
        return list(array._array)  # its entries in C order; tolist() costs ~30 us per entry
    return list(sympy.flatten(array.tolist())) if array.rank() else [array[()]]


# ---------------------------------------------------------------------------
# Index-form kernels: per-axis triples, combined across axes and channels
# ---------------------------------------------------------------------------

def window_triples(out: int, k: int, n: int, s: int, p: int, d: int) -> np.ndarray:
    """Rows ``(i, m, j)`` with ``j = s*i - p + d*m`` inside ``[0, n)``, one axis.

    Examples
    --------
    >>> window_triples(out=2, k=2, n=3, s=1, p=0, d=1).tolist()
    [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 2]]
    """
    i, m = np.meshgrid(np.arange(out), np.arange(k), indexing="ij")
    j = s * i - p + d * m
    keep = (j >= 0) & (j < n)
    return np.stack([i[keep], m[keep], j[keep]], axis=1)


def _flip_taps(triples: list[np.ndarray], kernel_shape: Shape) -> list[np.ndarray]:
    """Per-axis ``(i, m, j)`` triples with the kernel offset flipped, ``m -> k - 1 - m``."""
    return [np.stack([t[:, 0], k - 1 - t[:, 1], t[:, 2]], axis=1)
            for t, k in zip(triples, kernel_shape)]


def combine_axes(triples: list[np.ndarray], out_shape: Shape, k_shape: Shape,
                 in_shape: Shape) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cartesian product of per-axis triples -> flat (out, tap, in) indices."""
    grids = np.meshgrid(*[np.arange(len(t)) for t in triples], indexing="ij")
    picks = [t[g.reshape(-1)] for t, g in zip(triples, grids)]
    out = np.ravel_multi_index(tuple(p[:, 0] for p in picks), out_shape)
    tap = np.ravel_multi_index(tuple(p[:, 1] for p in picks), k_shape)
    inp = np.ravel_multi_index(tuple(p[:, 2] for p in picks), in_shape)
    return out.astype(np.int64), tap.astype(np.int64), inp.astype(np.int64)


def check_channels(in_channels: int, out_channels: int, groups: int) -> None:
    """Channel counts and groups: positive integers, ``groups`` dividing both counts.

    Examples
    --------
    >>> check_channels(4, 6, 2)
    >>> check_channels(4, 6, 4)
    Traceback (most recent call last):
        ...
    symconv.errors.OperatorError: groups must divide out_channels=6, got 4 (valid: 1, 2, 3, 6)
    """
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels),
                        ("groups", groups)):
        integer(name, value, minimum=1, error=OperatorError)
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
        if value % groups:
            raise OperatorError(describe("groups", groups, f"must divide {name}={value}",
                                         divisors(value)))


def _check_symbol_name(parameter: str, value: Any) -> None:
    require(isinstance(value, str) and value.isidentifier(), parameter, value,
            "must be a symbol name (letters, digits, _; not starting with a digit)",
            "e.g. 'k' or 'w'", error=OperatorError)


def divisors(value: int, limit: int = 10_000) -> str:
    """The divisors of ``value`` as an error message lists them (named, not listed, when large).

    Examples
    --------
    >>> divisors(12), divisors(10**30)
    ('1, 2, 3, 4, 6, 12', 'a divisor of 1000000000000000000000000000000')
    """
    if value > limit:
        return f"a divisor of {value}"
    return ", ".join(str(g) for g in range(1, value + 1) if value % g == 0)


def channel_blocks(out_flat, tap_flat, in_flat, out_size, in_size, k_size,
                   in_channels, out_channels, groups, transposed=False):
    """Lay the spatial pattern into every (output channel, input channel) block.

    Correlation weights are (out, in/groups, *k); transposed weights are
    (in, out/groups, *k), PyTorch's layouts.
    """
    cin_g, cout_g = in_channels // groups, out_channels // groups
    o = np.arange(out_channels, dtype=np.int64)[:, None]  # blocks (o, i), o outer, i inner
    i = np.arange(cin_g, dtype=np.int64)[None, :]
    c = (o // cout_g) * cin_g + i
    tap_block = (c * cout_g + o % cout_g) if transposed else (o * cin_g + i)

    def laid(block_offset: np.ndarray, pattern: np.ndarray) -> np.ndarray:
        pattern = np.asarray(pattern, dtype=np.int64)
        return (block_offset[:, :, None] + pattern[None, None, :]).reshape(-1)

    return (laid(np.broadcast_to(o * out_size, c.shape), out_flat),
            laid(c * in_size, in_flat), laid(tap_block * k_size, tap_flat))


def channel_map(in_channels: int, out_channels: int, groups: int = 1,
                transposed: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(out channel, in channel, kernel block)`` of every block :func:`channel_blocks` lays.

    :func:`channel_blocks` applied to a one-entry spatial pattern: block ``(o, c)``
    of the multi-channel operator is the spatial pattern with taps offset by
    ``block * K``.

    Examples
    --------
    >>> [a.tolist() for a in channel_map(2, 2, groups=2)]
    [[0, 1], [0, 1], [0, 1]]
    """
    one = np.zeros(1, dtype=np.int64)
    return channel_blocks(one, one, one, 1, 1, 1, in_channels, out_channels, groups,
                           transposed=transposed)


# ---------------------------------------------------------------------------
# Public constructors
# ---------------------------------------------------------------------------

#: PyTorch's ``Conv`` padding modes: what the padding samples hold.
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def padding_source(position: np.ndarray, n: int, mode: str) -> np.ndarray:
    """The input sample a padded position ``position`` (input coordinates) copies.

    ``reflect`` mirrors without repeating the edge (``-1 -> 1``), ``replicate`` repeats
    the edge sample, ``circular`` wraps around (``-1 -> n - 1``); PyTorch's ``F.pad``
    modes of the same names.

    Examples
    --------
    >>> [padding_source(np.arange(-2, 5), 3, m).tolist() for m in PADDING_MODES[1:]]
    [[2, 1, 0, 1, 2, 1, 0], [0, 0, 0, 1, 2, 2, 2], [1, 2, 0, 1, 2, 0, 1]]
    """
    if mode == "replicate":
        return np.clip(position, 0, n - 1)
    if mode == "circular":
        return position % n
    period = max(2 * (n - 1), 1)
    folded = np.abs(position) % period
    return np.where(folded < n, folded, period - folded)


def _check_padding_mode(mode: Any, geometry: Geometry) -> str:
    """``mode`` if it is one of :data:`PADDING_MODES` and the pads fit PyTorch's limits."""
    require(isinstance(mode, str) and mode in PADDING_MODES, "padding_mode", mode,
            "must be a PyTorch padding mode", ", ".join(PADDING_MODES), error=OperatorError)
    limit = {"reflect": ("smaller than", 1), "circular": ("at most", 0)}.get(mode)
    for axis, (n, pair) in enumerate(zip(geometry.input_shape, geometry.pads)):
        if limit is not None and max(pair) > n - limit[1]:
            raise GeometryError(describe(
                f"pads[{axis}]", pair, f"must be {limit[0]} the input size {n} for "
                f"padding_mode='{mode}' (as torch.nn.functional.pad requires)",
                f"0 to {n - limit[1]} per side"))
    return mode


def correlation(geometry: Geometry, in_channels: int = 1, out_channels: int = 1,
                groups: int = 1, kernel_name: str = "k", flip: bool = False, *,
                padding_mode: str = "zeros") -> LinearOperator:
    """Cross-correlation (what frameworks call convolution) as an explicit operator.

    ``C[(o, i), (c, j)] = k[o, c mod (in/groups), m]`` where ``j = s*i - p_before + d*m``
    per axis, for input channels ``c`` of output channel ``o``'s group. With a
    ``padding_mode`` other than ``"zeros"`` (PyTorch's ``Conv(padding_mode=...)``) a tap
    on the padding reads the input sample :func:`padding_source` names instead, so an
    entry can be a sum of kernel symbols.

    Parameters
    ----------
    geometry : Geometry
        Spatial sizes, stride, padding and dilation.
    in_channels, out_channels, groups : int
        ``groups`` must divide both channel counts.
    kernel_name : str
        Base name of the kernel symbols.
    flip : bool
        Use the kernel flipped on every spatial axis (true convolution).
    padding_mode : str
        One of :data:`PADDING_MODES`; reflect pads must be smaller than the input size,
        circular pads at most the input size (PyTorch's limits).

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> op = correlation(Geometry((5, 5), (3, 3), stride=2, padding=1))
    >>> op.matrix.shape, op.kernel.shape
    ((9, 25), (1, 1, 3, 3))
    >>> op.matrix[0, :7]
    Matrix([[k_{0,0,1,1}, k_{0,0,1,2}, 0, 0, 0, k_{0,0,2,1}, k_{0,0,2,2}]])
    >>> correlation(Geometry((3,), (3,), padding=1), padding_mode="reflect").matrix
    Matrix([
    [k_{0,0,1}, k_{0,0,0} + k_{0,0,2},         0],
    [k_{0,0,0},             k_{0,0,1}, k_{0,0,2}],
    [        0, k_{0,0,0} + k_{0,0,2}, k_{0,0,1}]])
    """
    require(isinstance(geometry, Geometry), "geometry", type(geometry).__name__,
            "must be a symconv.Geometry", error=OperatorError)
    check_channels(in_channels, out_channels, groups)
    _check_symbol_name("kernel_name", kernel_name)
    out_shape = geometry.output_shape
    require_index_range("correlation", stride=geometry.stride, dilation=geometry.dilation,
                        pads=tuple(max(pair) for pair in geometry.pads))
    k_size = prod(geometry.kernel_shape)
    _require_layer_work("correlation", prod(out_shape) * k_size, k_size, in_channels,
                        out_channels, groups)
    flip = boolean("flip", flip, error=OperatorError)
    padding_mode = _check_padding_mode(padding_mode, geometry)
    if padding_mode == "zeros":
        triples = [window_triples(o, k, n, s, pb, d) for o, k, n, s, d, (pb, _) in zip(
            out_shape, geometry.kernel_shape, geometry.input_shape, geometry.stride,
            geometry.dilation, geometry.pads)]
    else:  # every tap of the padded input, its position mapped to the sample it copies
        triples = []
        for o, k, n, s, d, (pb, pa) in zip(out_shape, geometry.kernel_shape,
                                           geometry.input_shape, geometry.stride,
                                           geometry.dilation, geometry.pads):
            t = window_triples(o, k, n + pb + pa, s, 0, d)
            t[:, 2] = padding_source(t[:, 2] - pb, n, padding_mode)
            triples.append(t)
    if flip:
        triples = _flip_taps(triples, geometry.kernel_shape)
    out_flat, tap_flat, in_flat = combine_axes(triples, out_shape, geometry.kernel_shape,
                                                geometry.input_shape)
    rows, cols, taps = channel_blocks(
        out_flat, tap_flat, in_flat, int(np.prod(out_shape)),
        int(np.prod(geometry.input_shape)), int(np.prod(geometry.kernel_shape)),
        in_channels, out_channels, groups)
    kernel = KernelSymbols(kernel_name,
                           (out_channels, in_channels // groups, *geometry.kernel_shape))
    return LinearOperator("convolution" if flip else "correlation",
                          (in_channels, *geometry.input_shape), (out_channels, *out_shape),
                          rows, cols, taps, None, kernel)


def convolution(geometry: Geometry, in_channels: int = 1, out_channels: int = 1,
                groups: int = 1, kernel_name: str = "k") -> LinearOperator:
    """True convolution: correlation with the kernel flipped on every spatial axis.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> convolution(Geometry((3,), (2,))).matrix
    Matrix([
    [k_{0,0,1}, k_{0,0,0},         0],
    [        0, k_{0,0,1}, k_{0,0,0}]])
    """
    return correlation(geometry, in_channels, out_channels, groups, kernel_name, flip=True)


def transposed_convolution(input_shape: Sequence[int] | TransposedGeometry,
                           kernel_shape: Sequence[int] | None = None, stride: Any = 1,
                           padding: Any = 0, output_padding: Any = None, dilation: Any = 1,
                           in_channels: int = 1, out_channels: int = 1, groups: int = 1,
                           kernel_name: str = "w", *, convention: str = "torch",
                           output_shape: Sequence[int] | None = None,
                           transpose_kernel: bool = True) -> LinearOperator:
    """A framework's transposed convolution defined by its scatter rule (not by transposing C).

    Input position ``j`` with kernel offset ``m`` adds ``w[c, o, m] x[c, j]`` to output
    position ``s*j - c + d*m`` when it lies in ``[0, out)``, with the crop ``c`` and the
    output size ``out`` of the convention (:class:`~symconv.geometry.TransposedGeometry`:
    ``"torch"``, ``"tensorflow"``, ``"keras"``, ``"jax"``; ``c = p`` for PyTorch).
    Weight layout ``(in, out/groups, *kernel)``: PyTorch's ``weight``; TensorFlow's and
    Keras' ``filters``/``kernel`` ``[*k, out, in]`` transposed to it.

    ``transpose_kernel`` (JAX only, as ``jax.lax.conv_transpose`` names it): True is the
    gradient of the forward layer (TensorFlow's kernel orientation); JAX's default False
    uses the kernel unflipped on the zero-inserted input, i.e. ``m -> k-1-m`` here, with
    JAX's ``rhs[*k, i, o]`` as ``w[i, o]``.

    Examples
    --------
    >>> t = transposed_convolution((2,), (3,), stride=2)
    >>> t.matrix
    Matrix([
    [w_{0,0,0},         0],
    [w_{0,0,1},         0],
    [w_{0,0,2}, w_{0,0,0}],
    [        0, w_{0,0,1}],
    [        0, w_{0,0,2}]])
    >>> transposed_convolution((2,), (3,), stride=2, padding="same", convention="keras").matrix
    Matrix([
    [w_{0,0,0},         0],
    [w_{0,0,1},         0],
    [w_{0,0,2}, w_{0,0,0}],
    [        0, w_{0,0,1}]])
    """
    if isinstance(input_shape, TransposedGeometry):
        geometry = input_shape
    else:
        require(kernel_shape is not None, "kernel_shape", None, "must be given",
                error=OperatorError)
        geometry = TransposedGeometry(input_shape, kernel_shape, stride, padding,
                                      output_padding, dilation, convention, output_shape)
    transpose_kernel = boolean("transpose_kernel", transpose_kernel, error=OperatorError)
    require(transpose_kernel or geometry.convention == "jax", "transpose_kernel",
            transpose_kernel, "must be True unless convention='jax' (only JAX flips it)",
            "True", error=OperatorError)
    check_channels(in_channels, out_channels, groups)
    _check_symbol_name("kernel_name", kernel_name)
    out_shape = geometry.output_shape
    require_index_range("transposed_convolution", stride=geometry.stride,
                        dilation=geometry.dilation,
                        padding=tuple(max(map(abs, pair)) for pair in geometry.crops),
                        size=out_shape)
    k_size = prod(geometry.kernel_shape)
    _require_layer_work("transposed_convolution", prod(geometry.input_shape) * k_size, k_size,
                        in_channels, out_channels, groups)
    # (j, m, i): input j, offset m, output i; reuse the window triples with roles swapped
    triples = [window_triples(n, k, o, s, c, d) for n, k, o, s, (c, _), d in zip(
        geometry.input_shape, geometry.kernel_shape, out_shape, geometry.stride,
        geometry.crops, geometry.dilation)]
    if not transpose_kernel:
        triples = _flip_taps(triples, geometry.kernel_shape)
    in_flat, tap_flat, out_flat = combine_axes(triples, geometry.input_shape,
                                                geometry.kernel_shape, out_shape)
    rows, cols, taps = channel_blocks(
        out_flat, tap_flat, in_flat, int(np.prod(out_shape)),
        int(np.prod(geometry.input_shape)), int(np.prod(geometry.kernel_shape)),
        in_channels, out_channels, groups, transposed=True)
    kernel = KernelSymbols(kernel_name,
                           (in_channels, out_channels // groups, *geometry.kernel_shape))
    return LinearOperator("transposed_convolution", (in_channels, *geometry.input_shape),
                          (out_channels, *out_shape), rows, cols, taps, None, kernel)


def circular_convolution(input_shape: Sequence[int], kernel_shape: Sequence[int],
                         in_channels: int = 1, out_channels: int = 1, groups: int = 1,
                         kernel_name: str = "k") -> LinearOperator:
    """Circular convolution: ``y[i] = sum_m k[m] x[(i - m) mod n]``, output size = input size.

    Examples
    --------
    >>> circular_convolution((3,), (2,)).matrix
    Matrix([
    [k_{0,0,0},         0, k_{0,0,1}],
    [k_{0,0,1}, k_{0,0,0},         0],
    [        0, k_{0,0,1}, k_{0,0,0}]])
    """
    n = spatial_shape("input_shape", input_shape)
    k = spatial_shape("kernel_shape", kernel_shape)
    require(len(k) == len(n), "kernel_shape", k, f"must have as many axes as input_shape {n}",
            error=OperatorError)
    for axis, (na, ka) in enumerate(zip(n, k)):
        require(ka <= na, f"kernel_shape[{axis}]", ka,
                f"must be at most the input size {na} for circular convolution",
                f"1 to {na}", error=OperatorError)
    check_channels(in_channels, out_channels, groups)
    _check_symbol_name("kernel_name", kernel_name)
    _require_layer_work("circular_convolution", prod(n) * prod(k), prod(k), in_channels,
                        out_channels, groups)
    triples = []
    for na, ka in zip(n, k):
        i, m = np.meshgrid(np.arange(na), np.arange(ka), indexing="ij")
        triples.append(np.stack([i.ravel(), m.ravel(), ((i - m) % na).ravel()], axis=1))
    out_flat, tap_flat, in_flat = combine_axes(triples, n, k, n)
    size, k_size = int(np.prod(n)), int(np.prod(k))
    rows, cols, taps = channel_blocks(out_flat, tap_flat, in_flat, size, size, k_size,
                                       in_channels, out_channels, groups)
    kernel = indexed_symbols((out_channels, in_channels // groups, *k), kernel_name)
    return LinearOperator("circular_convolution", (in_channels, *n), (out_channels, *n),
                          rows, cols, taps, None, kernel)


def im2col(geometry: Geometry, in_channels: int = 1) -> LinearOperator:
    """The patch matrix of ``torch.nn.functional.unfold``, as a constant linear map of ``x``.

    ``P[(c, m), i] = x[c, s*i - p_before + d*m]`` (0 where the tap is on the zero
    padding): one row per input channel and kernel tap (C, *kernel order), one column
    per output position (row-major), exactly F.unfold's ``(C * prod(k), L)`` layout.
    ``apply(x)`` gives the matrix itself; ``W @ P`` (``W`` the ``(out, C * prod(k))``
    weight matrix) is the correlation's output, the im2col identity.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> patches = im2col(Geometry((4,), (2,), stride=2, padding=1))
    >>> patches.output_shape
    (2, 3)
    >>> patches.apply(input_symbols(patches.input_shape))
    [[0, x_{0,1}, x_{0,3}], [x_{0,0}, x_{0,2}, 0]]
    """
    require(isinstance(geometry, Geometry), "geometry", type(geometry).__name__,
            "must be a symconv.Geometry", error=OperatorError)
    channels = integer("in_channels", in_channels, minimum=1, error=OperatorError)
    out_shape, k_shape = geometry.output_shape, geometry.kernel_shape
    taps, positions = prod(k_shape), prod(out_shape)
    require_index_range("im2col", stride=geometry.stride, dilation=geometry.dilation,
                        pads=tuple(max(pair) for pair in geometry.pads))
    require_work(f"im2col ({channels} channels)", index_entries=channels * positions * taps)
    triples = [window_triples(o, k, n, s, pb, d) for o, k, n, s, d, (pb, _) in zip(
        out_shape, k_shape, geometry.input_shape, geometry.stride, geometry.dilation,
        geometry.pads)]
    out_flat, tap_flat, in_flat = combine_axes(triples, out_shape, k_shape,
                                                geometry.input_shape)
    size = prod(geometry.input_shape)
    rows = np.concatenate([(c * taps + tap_flat) * positions + out_flat for c in range(channels)])
    cols = np.concatenate([c * size + in_flat for c in range(channels)])
    return LinearOperator("im2col", (channels, *geometry.input_shape), (channels * taps,
                          positions), rows.astype(np.int64), cols.astype(np.int64),
                          np.full(len(rows), -1, dtype=np.int64))


# ---------------------------------------------------------------------------
# Constant (kernel-free) operators: per channel, block diagonal
# ---------------------------------------------------------------------------

def _per_channel(name: str, pairs: list[tuple[np.ndarray, np.ndarray]], in_shape: Shape,
                 out_shape: Shape, channels: int, coeffs: list | None = None) -> LinearOperator:
    """Build a block-diagonal constant operator from per-axis (out, in) index pairs."""
    grids = np.meshgrid(*[np.arange(len(p[0])) for p in pairs], indexing="ij")
    outs = tuple(p[0][g.ravel()] for p, g in zip(pairs, grids))
    ins = tuple(p[1][g.ravel()] for p, g in zip(pairs, grids))
    out_flat = np.ravel_multi_index(outs, out_shape)
    in_flat = np.ravel_multi_index(ins, in_shape)
    out_size, in_size = int(np.prod(out_shape)), int(np.prod(in_shape))
    rows = np.concatenate([c * out_size + out_flat for c in range(channels)]).astype(np.int64)
    cols = np.concatenate([c * in_size + in_flat for c in range(channels)]).astype(np.int64)
    return LinearOperator(name, (channels, *in_shape), (channels, *out_shape), rows, cols,
                          np.full(len(rows), -1, dtype=np.int64), None, None)


def _constant_channels(name: str, channels: Any, in_shape: Shape, out_shape: Shape) -> int:
    """Validate ``channels`` and refuse a constant operator whose index form exceeds the limit.

    These operators have at most one entry per input position and channel.
    """
    channels = integer("channels", channels, minimum=1, error=OperatorError)
    require_index_range(name, size=tuple(map(max, in_shape, out_shape)))
    require_work(f"{name} ({channels} channels)", index_entries=channels * prod(in_shape))
    return channels


def shift(input_shape: Sequence[int], offset: Sequence[int] | int, circular: bool = False,
          channels: int = 1) -> LinearOperator:
    """Translation ``y[i] = x[i - offset]``: zero-fill, or circular (indices mod n).

    Examples
    --------
    >>> shift((3,), 1).numeric().astype(int).tolist()
    [[0, 0, 0], [1, 0, 0], [0, 1, 0]]
    >>> shift((3,), 1, circular=True).numeric().astype(int).tolist()
    [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    """
    n = spatial_shape("input_shape", input_shape)
    t = per_axis_integers(offset, len(n))
    channels = _constant_channels("shift", channels, n, n)
    pairs = []
    for na, ta in zip(n, t):
        i = np.arange(na)
        j = i - ta
        if circular:
            pairs.append((i, j % na))
        else:
            keep = (j >= 0) & (j < na)
            pairs.append((i[keep], j[keep]))
    return _per_channel("circular_shift" if circular else "shift", pairs, n, n, channels)


def per_axis_integers(value: Any, ndim: int, parameter: str = "offset",
                      error: type[SymconvError] = OperatorError) -> tuple[int, ...]:
    """An integer for every axis, or one integer per axis, as a tuple (shifts, strides).

    Examples
    --------
    >>> per_axis_integers(1, 2), per_axis_integers((0, 2), 2)
    ((1, 1), (0, 2))
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        require(len(value) == ndim, parameter, tuple(value),
                f"must give one value per spatial axis ({ndim})", error=error)
        values = tuple(value)
    else:
        values = (value,) * ndim
    return tuple(integer(parameter, v, error=error) for v in values)


def zero_insertion(input_shape: Sequence[int], factor: int | Sequence[int],
                   channels: int = 1) -> LinearOperator:
    """Upsampling by zero insertion: ``factor - 1`` zeros between samples, size (n-1)f + 1.

    Examples
    --------
    >>> zero_insertion((2,), 3).numeric().astype(int).tolist()
    [[1, 0], [0, 0], [0, 0], [0, 1]]
    """
    n = spatial_shape("input_shape", input_shape)
    f = per_axis("factor", factor, len(n), 1)
    out = tuple((na - 1) * fa + 1 for na, fa in zip(n, f))
    channels = _constant_channels("zero_insertion", channels, n, out)
    pairs = [(np.arange(na) * fa, np.arange(na)) for na, fa in zip(n, f)]
    return _per_channel("zero_insertion", pairs, n, out, channels)


def decimation(input_shape: Sequence[int], factor: int | Sequence[int],
               channels: int = 1) -> LinearOperator:
    """Subsampling: keep samples ``0, f, 2f, ...``; size ``ceil(n/f)``.

    Examples
    --------
    >>> decimation((5,), 2).numeric().astype(int).tolist()
    [[1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 1]]
    """
    n = spatial_shape("input_shape", input_shape)
    f = per_axis("factor", factor, len(n), 1)
    out = tuple(-(-na // fa) for na, fa in zip(n, f))
    channels = _constant_channels("decimation", channels, n, out)
    pairs = [(np.arange(oa), np.arange(oa) * fa) for oa, fa in zip(out, f)]
    return _per_channel("decimation", pairs, n, out, channels)


def zero_padding(input_shape: Sequence[int], pads: Any, channels: int = 1) -> LinearOperator:
    """Zero padding with per-axis ``(before, after)`` pairs (or an int for all sides).

    Examples
    --------
    >>> zero_padding((2,), ((1, 0),)).numeric().astype(int).tolist()
    [[0, 0], [1, 0], [0, 1]]
    """
    n = spatial_shape("input_shape", input_shape)
    from .geometry import resolve_pads

    pairs_pad = resolve_pads(pads, n, (1,) * len(n), (1,) * len(n), (1,) * len(n))
    out = tuple(na + b + a for na, (b, a) in zip(n, pairs_pad))
    channels = _constant_channels("zero_padding", channels, n, out)
    pairs = [(np.arange(na) + b, np.arange(na)) for na, (b, _) in zip(n, pairs_pad)]
    return _per_channel("zero_padding", pairs, n, out, channels)


def _crop_pairs(crops: Any, ndim: int) -> tuple[tuple[int, int], ...]:
    """``crops`` (an int, per-axis ints or ``(before, after)`` pairs) as pairs per axis."""
    if not isinstance(crops, Sequence) or isinstance(crops, str):
        value = integer("crops", crops, minimum=0, error=OperatorError)
        return ((value, value),) * ndim
    require(len(crops) == ndim, "crops", crops, f"must give one entry per spatial axis ({ndim})",
            error=OperatorError)
    pairs = []
    for axis, entry in enumerate(crops):
        pair = entry if isinstance(entry, Sequence) and not isinstance(entry, str) else (entry,) * 2
        require(len(pair) == 2, f"crops[{axis}]", entry, "must be a (before, after) pair",
                error=OperatorError)
        pairs.append(tuple(integer(f"crops[{axis}]", v, minimum=0, error=OperatorError)
                           for v in pair))
    return tuple(pairs)


def cropping(input_shape: Sequence[int], crops: Any, channels: int = 1) -> LinearOperator:
    """Cropping: drop ``before`` samples at the start and ``after`` at the end of each axis.

    What a negative pad does in ``jax.lax.conv_general_dilated``: pads ``(-b, -a)`` are
    this cropping by ``(b, a)``. ``crops`` as :func:`zero_padding` takes its pads.

    Examples
    --------
    >>> cropping((4,), ((1, 2),)).numeric().astype(int).tolist()
    [[0, 1, 0, 0]]
    """
    n = spatial_shape("input_shape", input_shape)
    pairs_crop = _crop_pairs(crops, len(n))
    for axis, (na, (b, a)) in enumerate(zip(n, pairs_crop)):
        require(b + a < na, f"crops[{axis}]", (b, a),
                f"must leave at least one of the {na} samples", f"before + after <= {na - 1}",
                error=OperatorError)
    out = tuple(na - b - a for na, (b, a) in zip(n, pairs_crop))
    channels = _constant_channels("cropping", channels, n, out)
    pairs = [(np.arange(oa), np.arange(oa) + b) for oa, (b, _) in zip(out, pairs_crop)]
    return _per_channel("cropping", pairs, n, out, channels)


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------

def _pool_geometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode):
    if isinstance(input_shape, PoolGeometry):
        return input_shape
    return PoolGeometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)


def _require_pool_work(name: str, g: PoolGeometry, channels: Any) -> int:
    """Validate ``channels`` and refuse a pooling whose windows would exceed the work limit."""
    channels = integer("channels", channels, minimum=1, error=OperatorError)
    require_index_range(name, stride=g.stride, dilation=g.dilation,
                        padding=tuple(max(pair) for pair in g.pads))
    require_work(f"{name} ({channels} channels)",
                 index_entries=channels * prod(g.output_shape) * prod(g.kernel_shape))
    return channels


def avg_pool(input_shape: Sequence[int] | PoolGeometry, kernel_shape: Sequence[int] | None = None,
             stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
             count_include_pad: bool = True, channels: int = 1, *, dilation: Any = 1,
             divisor_override: int | None = None) -> LinearOperator:
    """Average pooling (PyTorch's, TensorFlow's) as a linear operator with exact Rational weights.

    Window ``i`` averages the taps ``s*i - p_b + d*m`` that land on the input. The divisor:
    ``divisor_override`` when given (PyTorch); else with ``count_include_pad`` the taps
    inside the padded input ``[-p_b, n + p_a)`` (PyTorch: ``min(start + k, n + p) - start``);
    otherwise the taps on real input, which is TensorFlow's rule for ``padding="same"``
    (``tf.nn.avg_pool`` excludes the padding). ``dilation`` is ``tf.nn.pool``'s
    (``pooling_type="AVG"``, VALID); PyTorch's average pooling has none.

    Examples
    --------
    >>> avg_pool((4,), (2,)).matrix
    Matrix([
    [1/2, 1/2,   0,   0],
    [  0,   0, 1/2, 1/2]])
    >>> avg_pool((3,), (2,), padding=1, count_include_pad=False).matrix
    Matrix([
    [1,   0, 0],
    [0, 1/2, 1/2]])
    >>> avg_pool((3,), (2,), padding="same", count_include_pad=False).matrix
    Matrix([
    [1/2, 1/2, 0],
    [  0,   0, 1]])
    >>> avg_pool((4,), (2,), divisor_override=3).matrix
    Matrix([
    [1/3, 1/3,   0,   0],
    [  0,   0, 1/3, 1/3]])
    """
    g = _pool_geometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)
    count_include_pad = boolean("count_include_pad", count_include_pad, error=OperatorError)
    if divisor_override is not None:
        divisor_override = integer("divisor_override", divisor_override, minimum=1,
                                   error=OperatorError)
    channels = _require_pool_work("avg_pool", g, channels)
    pairs, weights = [], []
    for axis, (n, k, s, (pb, pa), d, out) in enumerate(zip(
            g.input_shape, g.kernel_shape, g.stride, g.pads, g.dilation, g.output_shape)):
        triples = window_triples(out, k, n, s, pb, d)
        taps = np.arange(out)[:, None] * s - pb + d * np.arange(k)[None, :]
        padded = (taps < n + pa).sum(axis=1)
        real = np.bincount(triples[:, 0], minlength=out)
        divisor = padded if count_include_pad else real
        if divisor_override is None and not divisor.all():
            raise GeometryError(describe(
                f"padding[{axis}]", (pb, pa), f"leaves pooling window {int(np.argmin(divisor))}"
                " without input samples: its average is undefined",
                "pads that every window overlaps the input through, or divisor_override"))
        pairs.append((triples[:, 0], triples[:, 2]))
        weights.append(divisor[triples[:, 0]])
    op = _per_channel("avg_pool", pairs, g.input_shape, g.output_shape, channels)
    grids = np.meshgrid(*[np.arange(len(w)) for w in weights], indexing="ij")
    per_entry = np.prod([w[gr.ravel()] for w, gr in zip(weights, grids)], axis=0)
    if divisor_override is not None:
        per_entry = np.full(len(per_entry), divisor_override)
    coeffs = np.array([sympy.Rational(1, int(v)) for v in per_entry] * op.input_shape[0],
                      dtype=object)
    return replace(op, coeffs=coeffs)


def adaptive_avg_pool(input_shape: Sequence[int], output_size: int | Sequence[int],
                      channels: int = 1) -> LinearOperator:
    """PyTorch's adaptive average pooling as a linear operator with exact Rational weights.

    Each output averages its window of :class:`~symconv.geometry.AdaptivePoolGeometry`
    (PyTorch's start/end index rule).

    Examples
    --------
    >>> adaptive_avg_pool((5,), 3).matrix
    Matrix([
    [1/2, 1/2,   0,   0,   0],
    [  0, 1/3, 1/3, 1/3,   0],
    [  0,   0,   0, 1/2, 1/2]])
    """
    g = AdaptivePoolGeometry(input_shape, output_size)
    n, o = g.input_shape, g.output_shape
    channels = _constant_channels("adaptive_avg_pool", channels, n, o)
    require_work(f"adaptive_avg_pool ({channels} channels)",
                 index_entries=channels * prod((-(-na // oa) + 1) * oa for na, oa in zip(n, o)))
    pairs, weights = [], []
    for ranges in g.windows():
        rows = np.concatenate([np.full(e - b, r) for r, (b, e) in enumerate(ranges)])
        cols = np.concatenate([np.arange(b, e) for b, e in ranges])
        pairs.append((rows, cols))
        weights.append(np.array([e - b for b, e in ranges])[rows])
    op = _per_channel("adaptive_avg_pool", pairs, n, o, channels)
    grids = np.meshgrid(*[np.arange(len(w)) for w in weights], indexing="ij")
    per_entry = np.prod([w[gr.ravel()] for w, gr in zip(weights, grids)], axis=0)
    coeffs = np.array([sympy.Rational(1, int(v)) for v in per_entry] * channels, dtype=object)
    return replace(op, coeffs=coeffs)


def adaptive_max_pool(input_shape: Sequence[int], output_size: int | Sequence[int],
                      channels: int = 1) -> MaxPool:
    """PyTorch's adaptive max pooling as a :class:`MaxPool` over the start/end windows.

    Examples
    --------
    >>> adaptive_max_pool((5,), 3).windows
    ((0, 1), (1, 2, 3), (3, 4))
    """
    g = AdaptivePoolGeometry(input_shape, output_size)
    channels = integer("channels", channels, minimum=1, error=OperatorError)
    require_work(f"adaptive_max_pool ({channels} channels)", index_entries=channels * prod(
        (-(-na // oa) + 1) * oa for na, oa in zip(g.input_shape, g.output_shape)))
    per_axis = [[list(range(b, e)) for b, e in ranges] for ranges in g.windows()]
    return MaxPool(g, channels, _flat_windows(per_axis, g.input_shape))


def _flat_windows(per_axis: list[list[list[int]]], input_shape: Shape) -> tuple:
    """Flat input positions of every window, from each axis' window positions."""
    windows = []
    for position in itertools.product(*per_axis):
        cells = itertools.product(*position)
        windows.append(tuple(int(np.ravel_multi_index(c, input_shape)) for c in cells))
    return tuple(windows)


@dataclass(frozen=True, eq=False)
class MaxPool:
    """PyTorch max pooling: a selection with SymPy ``Max`` over each window, not a matrix.

    A window whose taps all fall in the padding (possible with dilation >= 2,
    e.g. ``max_pool((1,), (2,), stride=1, padding=1, dilation=2)``) has PyTorch's
    value ``-inf`` (``-oo`` symbolically) and PyTorch's switch: the first
    non-negative tap position, flattened, which lies *outside* the input
    (``torch.nn.functional.max_pool1d`` returns index 1 on an input of size 1).
    No 0/1 row selects ``-inf``, so :meth:`selection` refuses such switches with
    an :class:`~symconv.errors.OperatorError`.

    Attributes
    ----------
    geometry : PoolGeometry or AdaptivePoolGeometry
    channels : int
    windows : tuple of tuple of int
        For each flattened output position (one channel), the flat input positions
        inside its window (padding is -inf, so it never wins and is left out).

    Examples
    --------
    >>> mp = max_pool((4,), (2,))
    >>> mp.apply(input_symbols(mp.input_shape))
    [[Max(x_{0,0}, x_{0,1}), Max(x_{0,2}, x_{0,3})]]
    >>> empty = max_pool((1,), (2,), stride=1, padding=1, dilation=2)
    >>> empty.numeric([[3.0]]), empty.switches([[3.0]])
    (array([[-inf]]), array([[1]]))
    >>> empty.apply(input_symbols(empty.input_shape))
    [[-oo]]
    """

    geometry: PoolGeometry | AdaptivePoolGeometry
    channels: int
    windows: tuple[tuple[int, ...], ...]

    @property
    def input_shape(self) -> Shape:
        """``(channels, *spatial)``."""
        return (self.channels, *self.geometry.input_shape)

    @property
    def output_shape(self) -> Shape:
        """``(channels, *output spatial)``."""
        return (self.channels, *self.geometry.output_shape)

    def apply(self, x: Any) -> sympy.Array:
        """``Max`` of each window of symbolic (or numeric) input ``x``."""
        flat = _flat_input(x, self.input_shape)
        size = int(np.prod(self.geometry.input_shape))
        values = [sympy.Max(*[flat[c * size + j] for j in window]) if window else -sympy.oo
                  for c in range(self.channels) for window in self.windows]
        return sympy.Array(values, self.output_shape)

    def numeric(self, x: Any) -> np.ndarray:
        """Max of each window of a numeric input (float array of :attr:`output_shape`)."""
        x = _float_array("x", x, self.input_shape, "the max pool's input_shape")
        flat = x.reshape(self.channels, -1)
        out = [[flat[c, list(w)].max() if w else -np.inf for w in self.windows]
               for c in range(self.channels)]
        return np.array(out, dtype=float).reshape(self.output_shape)

    def switches(self, x: Any) -> np.ndarray:
        """Flat input index of each window's maximum (first one on ties, as PyTorch).

        A window with no input sample gets PyTorch's index: its first non-negative
        tap position, flattened (outside the input; see the class docstring).
        """
        x = _float_array("x", x, self.input_shape, "the max pool's input_shape")
        flat = x.reshape(self.channels, -1)
        empty = self._empty_window_switches()
        out = [[w[int(np.argmax(flat[c, list(w)]))] if w else empty[o]
                for o, w in enumerate(self.windows)] for c in range(self.channels)]
        return np.array(out, dtype=np.int64).reshape(self.output_shape)

    def _empty_window_switches(self) -> dict[int, int]:
        """PyTorch's index for each window that meets no input sample, by output position."""
        g = self.geometry
        found = {}
        for o, position in enumerate(np.ndindex(*g.output_shape)):
            if self.windows[o]:
                continue
            index = 0
            for i, n, s, (p, _), d in zip(position, g.input_shape, g.stride, g.pads,
                                          g.dilation):
                start = s * i - p
                index = index * n + start + d * (-(-max(-start, 0) // d))
            found[o] = index
        return found

    def _repr_latex_(self) -> str:
        r"""Jupyter: ``y = \max`` over each window of channel 0 as a row (1-D) or a matrix
        (2-D) when it has at most :data:`REPR_SIZE` rows and columns, else the shapes.

        Examples
        --------
        >>> print(max_pool((4,), (2,))._repr_latex_())  # doctest: +ELLIPSIS
        $\displaystyle y_{0} = \left[\begin{matrix}\max\left(x_{0,0}, x_{0,1}\right) & ...$
        >>> print(max_pool((40,), (2,))._repr_latex_())
        $\text{max pool } (1,\ 40) \to (1,\ 20)$
        """
        out = self.geometry.output_shape
        head = r"\text{max pool } " + _shape_latex(self.input_shape) + r" \to " + \
            _shape_latex(self.output_shape)
        if len(out) > 2 or max(out) > REPR_SIZE:
            return f"${head}$"
        values = self.apply(input_symbols(self.input_shape)).tolist()[0]
        grid = sympy.Matrix([values] if len(out) == 1 else values)
        return r"$\displaystyle y_{0} = " + sympy.latex(grid) + "$"

    def __repr__(self) -> str:
        return f"<max_pool: {self.input_shape} -> {self.output_shape}>"

    def selection(self, switches: Any) -> LinearOperator:
        """The 0/1 matrix that picks each window's maximum given its ``switches``."""
        switches = np.asarray(switches, dtype=np.int64).reshape(self.channels, -1)
        out_size = switches.shape[1]
        in_size = int(np.prod(self.geometry.input_shape))
        outside = switches[(switches < 0) | (switches >= in_size)]
        if outside.size:
            raise OperatorError(describe(
                "switches", int(outside[0]),
                "must be flat input positions (a window with no input sample, all taps in "
                "the padding, has PyTorch's switch outside the input and the value -inf, "
                "which no 0/1 selection row gives)",
                f"0 to {in_size - 1}; use a padding or dilation whose windows all meet the "
                "input"))
        rows = np.concatenate([c * out_size + np.arange(out_size)
                               for c in range(self.channels)])
        cols = np.concatenate([c * in_size + switches[c] for c in range(self.channels)])
        return LinearOperator("max_pool_selection", self.input_shape, self.output_shape,
                              rows.astype(np.int64), cols.astype(np.int64),
                              np.full(len(rows), -1, dtype=np.int64))

    def unpool(self, switches: Any) -> LinearOperator:
        """PyTorch's ``MaxUnpool``: each pooled value scattered to its switch, zeros elsewhere.

        Where two outputs share a switch (overlapping windows) the later one in flat order
        is kept, as ``torch.nn.functional.max_unpool`` does on the CPU; the transpose of
        :meth:`selection` would add them instead. Switches from :meth:`switches` carry
        equal values there, so both agree on max-pooled values.

        Examples
        --------
        >>> mp = max_pool((5,), (3,), stride=1)
        >>> mp.unpool([[1, 1, 4]]).numeric().astype(int).tolist()
        [[0, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0], [0, 0, 1]]
        """
        selection = self.selection(switches)
        last = {}  # input position -> the last pooled position whose switch it is
        for pooled, position in zip(selection.rows.tolist(), selection.cols.tolist()):
            last[position] = pooled
        targets = np.array(sorted(last), dtype=np.int64)
        sources = np.array([last[t] for t in targets.tolist()], dtype=np.int64)
        return LinearOperator("max_unpool", self.output_shape, self.input_shape, targets,
                              sources, np.full(len(targets), -1, dtype=np.int64))


def max_pool(input_shape: Sequence[int] | PoolGeometry, kernel_shape: Sequence[int] | None = None,
             stride: Any = None, padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
             channels: int = 1) -> MaxPool:
    """PyTorch max pooling (implicit -inf padding, dilation, ceil_mode) as a :class:`MaxPool`.

    Examples
    --------
    >>> max_pool((5,), (2,), ceil_mode=True).windows
    ((0, 1), (2, 3), (4,))
    """
    g = _pool_geometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)
    channels = _require_pool_work("max_pool", g, channels)
    per_axis = []
    for n, k, s, (p, _), d, out in zip(g.input_shape, g.kernel_shape, g.stride, g.pads,
                                       g.dilation, g.output_shape):
        per_axis.append([[j for j in (s * i - p + d * m for m in range(k)) if 0 <= j < n]
                         for i in range(out)])
    return MaxPool(g, channels, _flat_windows(per_axis, g.input_shape))
