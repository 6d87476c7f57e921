"""The operator object: a linear operator in index form, symbolic only at the edge.

Index form: parallel integer arrays ``rows``, ``cols``, ``taps`` and optional exact
``coeffs``, meaning

    C[rows[e], cols[e]] += coeffs[e] * kernel.flat[taps[e]]     (tap -1: no kernel factor)

Rows index the flattened output in (C, H, W) order, columns the flattened input.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from functools import cached_property
from math import prod
from typing import Any

import numpy as np
import sympy

from ..errors import OperatorError, require
from ..limits import require_symbolic_size, require_work
from .symbols import KernelSymbols, Shape, flat_entries

#: Largest number of rows or columns that ``_repr_latex_`` prints in full.
REPR_SIZE = 12


def same_kernel_symbols(a: LinearOperator, b: LinearOperator) -> bool:
    """Whether two operators' taps index the same kernel symbols, id for id.

    Two :class:`KernelSymbols` grids are compared by name and shape (which fix every
    symbol); otherwise the symbol lists are compared.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
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
        return (int(prod(self.output_shape)), int(prod(self.input_shape)))

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
                                          else flat_entries(source))

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
        rows, cols = self.shape  # duplicates summed in stored order, as np.add.at would
        return np.bincount(self.rows * cols + self.cols, weights=values,
                           minlength=rows * cols).astype(values.dtype, copy=False
                                                         ).reshape(rows, cols)

    def _values(self, w: Any) -> np.ndarray:
        if not self.has_kernel:
            require(w is None, "w", "an array", f"must be omitted: {self.name} has no kernel",
                    error=OperatorError)
            base = np.ones(len(self.rows))
        else:
            w = float_array("w", w, self.kernel_shape, f"the kernel layout of {self.name}")
            base = w.reshape(-1)[self.taps]
        if self.coeffs is not None:
            base = base * np.array([float(a) for a in self.coeffs])
        return base

    def apply(self, x: Any) -> sympy.Array:
        """``C x`` with symbolic (or numeric) input ``x`` of shape :attr:`input_shape`."""
        flat_x = flat_input(x, self.input_shape)
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
        >>> from symconv.operators import correlation
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


# ---------------------------------------------------------------------------
# Arguments: arrays of the operator's shapes
# ---------------------------------------------------------------------------

def float_array(parameter: str, value: Any, shape: Shape, what: str) -> np.ndarray:
    """``value`` as a float array of ``shape``, or an OperatorError naming the expected shape.

    Examples
    --------
    >>> float_array("w", [[1, 2]], (1, 2), "the kernel layout").tolist()
    [[1.0, 2.0]]
    """
    try:
        array = None if value is None else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.shape != shape:
        given = f"shape {array.shape}" if array is not None else repr(value)[:60]
        raise OperatorError(f"{parameter} must be a real array of shape {shape} ({what}), "
                            f"got {given}")
    return array


def flat_input(x: Any, shape: Shape) -> list:
    """The entries of ``x`` (an array of ``shape``) in C order, or an OperatorError.

    Examples
    --------
    >>> flat_input([[1, 2]], (1, 2))
    [1, 2]
    """
    try:
        array = (None if isinstance(x, (str, bytes)) else
                 x if isinstance(x, sympy.NDimArray) else sympy.Array(x))
    except (TypeError, ValueError):
        array = None
    if array is None or tuple(array.shape) != tuple(shape):
        given = f"shape {tuple(array.shape)}" if array is not None else repr(x)[:60]
        raise OperatorError(f"x must be an array of shape {tuple(shape)} (the operator's "
                            f"input_shape), got {given}")
    return flat_entries(array)
