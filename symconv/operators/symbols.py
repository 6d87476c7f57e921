"""Kernel and input symbols ``name_{i,j,...}``, one per index, built only when needed."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from math import prod

import sympy

Shape = tuple[int, ...]


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
        return flat_entries(self.array)


def flat_entries(array: sympy.NDimArray) -> list:
    """The entries of a SymPy array in C order (a rank-0 array: its one entry).

    Examples
    --------
    >>> flat_entries(indexed_symbols((2, 1), "x"))
    [x_{0,0}, x_{1,0}]
    """
    if isinstance(array, sympy.ImmutableDenseNDimArray):
        return list(array._array)  # its entries in C order; tolist() costs ~30 us per entry
    return list(sympy.flatten(array.tolist())) if array.rank() else [array[()]]
