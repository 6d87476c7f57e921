"""The factor proof of T = Cᵀ for a large one-channel layer, as steps.

:func:`symconv.theorems.structure.prove_by_factors` compares T and Cᵀ on their per-axis
Kronecker factors (:func:`symconv.kronecker.compare_factors`); this module holds its
result with the numeric cross-check (:class:`FactorProof`) and writes the derivation:
the factors, the checked product structure, the transpose lemma, both corners, the
cross-checks and the per-axis comparison.

Examples
--------
>>> symbol_name("k", (0, 0, 1))
'k_{0,0,1}'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from .. import operators
from ..geometry import Geometry
from ..kronecker import FactorComparison, KroneckerMap
from ..proof import Math, Step
from ..sparse import CoefficientMap
from .common import show

#: Rows and columns of the top-left corner shown for large matrices.
CORNER = 12


def symbol_name(name: str, index: tuple[int, ...]) -> str:
    """The LaTeX name of entry ``index`` of symbol array ``name`` (``k_{0,0,1}``)."""
    return f"{name}_{{{','.join(map(str, index))}}}"


@dataclass(frozen=True)
class FactorProof:
    """The one-channel factor comparison (:func:`symconv.kronecker.compare_factors`) and
    the numeric cross-check at the twin size."""

    result: FactorComparison
    twin: Geometry
    agrees: bool

    @property
    def holds(self) -> bool:
        """T = Cᵀ by the factors (the numeric verdict is reported on its own)."""
        return self.result.holds


def map_corner(kmap: KroneckerMap, symbols: list) -> sympy.SparseMatrix:
    """The top-left :data:`CORNER` square of a product's matrix, from its factors."""
    corner: CoefficientMap = kmap.corner(CORNER)
    entries: dict = {}
    denominator = corner.denominator
    for (r, c, t), a in zip(corner.keys.tolist(), corner.numerators.tolist()):
        term = sympy.Rational(int(a), denominator) * symbols[t]
        entries[(r, c)] = entries[(r, c)] + term if (r, c) in entries else term
    return sympy.SparseMatrix(*corner.shape, entries)


def _sizes(kmap: KroneckerMap) -> str:
    return ", ".join(f"axis {a}: {f.shape[0]}x{f.shape[1]}, {len(f)} entries"
                     for a, f in enumerate(kmap.factors))


def factor_difference(proof: FactorProof, g: Geometry) -> dict:
    """Where T and Cᵀ differ: the first differing factor entry and a full entry."""
    r = proof.result
    if not r.equal:
        d = r.difference
        (row, col, tap), (a, b) = d.key, d.values
        k = symbol_name("k", (0, 0, *np.unravel_index(tap, g.kernel_shape)))
        i, j, m = d.factor_key
        return {"position": (row, col), "symbol": k, "T": f"{a}*{k}", "C^T": f"{b}*{k}",
                "factor": f"axis {d.axis} at (row {i}, col {j}, tap {m}): T_{d.axis} = "
                          f"{d.factor_values[0]}, C_{d.axis}^T = {d.factor_values[1]}"}
    return {"product structure": "failed: " + _failed_checks(r)}


def _failed_checks(r: FactorComparison) -> str:
    """The product-structure checks that failed, named."""
    return "; ".join(name for name, ok in (
        ("builder triples at full size", r.builder_triples),
        ("entry counts at full size", r.counted),
        ("builder operators = factor products at the twin size", r.twin_product),
        ("transpose lemma at the twin size", r.twin_lemma),
        ("whole T = C^T at the twin size", r.twin_whole)) if not ok)


def factor_steps(proof: FactorProof, g: Geometry, what: str) -> tuple[Step, ...]:
    """The steps of the factor proof of ``what``: factors, product argument, cross-checks."""
    r, twin = proof.result, "x".join(map(str, proof.twin.input_shape))
    c, t = r.correlation, r.scatter
    n = len(c.factors)
    symbols = operators.KernelSymbols("k", (1, 1, *g.kernel_shape)).flat
    ok = {True: "it holds", False: "it FAILS, so nothing is proved"}
    taps = r"(m_1, \dots, m_n)" if n > 2 else "(m_1, m_2)" if n == 2 else "m_1"
    return (
        Step("Index form", r"Every entry of $C$ and of $T$ is a linear form "
             r"$\sum_m a_m\,k_m$ in the kernel symbols with exact coefficients; the symbols "
             "are independent indeterminates, so " + what + " if and only if the "
             r"coefficient maps $(\text{row}, \text{col}, m) \mapsto a$ are equal.",
             (Math(r"T = C^{\mathsf T} \iff \forall (i, j, m):\ "
                   r"[k_m]\,T_{ij} = [k_m]\,C_{ji}",
                   "T = C^T <=> [k_m] T[i,j] = [k_m] C[j,i] for all i, j, m"),)),
        Step("Kronecker factors", r"With one channel and zero padding every axis is "
             r"independent: $[k_m]\,C_{(i_a),(j_a)} = \prod_a [j_a = s_a i_a - p_a + d_a "
             r"m_a]$ and $[k_m]\,T_{(q_a),(j_a)} = \prod_a [q_a = s_a j_a - p_a + d_a m_a]$. "
             r"The factor of axis $a$ is a coefficient map keyed by $(\text{row}_a, "
             r"\text{col}_a, m_a)$: the tap index per axis, not the kernel value (the "
             f"entries of a {n}-D kernel are independent symbols, not products); the "
             f"combined tap ${taps}$ is the symbol's flat id in C order. Built from the "
             f"geometry per axis, $C$: {_sizes(c)}; $T$ (scatter rule): {_sizes(t)}.",
             (Math(r"[k_m]\,C = \bigotimes_a C_a^{(m_a)},\quad "
                   r"[k_m]\,T = \bigotimes_a T_a^{(m_a)}",
                   "[k_m] C = (x)_a C_a[m_a],  [k_m] T = (x)_a T_a[m_a]"),)),
        Step("Product structure (checked)", "That the full operators are these products "
             "was checked mechanically. At the full size: the per-axis triples the builders "
             "(symconv.operators) combine equal the factors, entry for entry "
             f"({'equal' if r.builder_triples else 'DIFFERENT'}); the stored entries counted "
             f"on the n-D grid, {r.counts[0]} for $C$ and {r.counts[1]} for $T$, equal the "
             f"products of the factors' entries, {c.entries} and {t.entries} "
             f"({'equal' if r.counted else 'DIFFERENT'}). At the twin size {twin}: the "
             f"builders' operators ({r.twin_entries} entries of $C$) equal the expanded "
             "products entry for entry, with the same kernel symbols id for id: "
             + ok[r.twin_product] + ".", ()),
        Step("Transpose of a Kronecker product (lemma)", r"Entry $((i_a), (j_a))$ of "
             r"$\bigotimes_a A_a$ is $\prod_a A_a[i_a, j_a]$, so entry $((i_a), (j_a))$ of "
             r"its transpose is $\prod_a A_a[j_a, i_a] = \prod_a A_a^{\mathsf T}[i_a, "
             r"j_a]$: $(\bigotimes_a A_a)^{\mathsf T} = \bigotimes_a A_a^{\mathsf T}$ for "
             r"all sizes (raveling $(i_a) \mapsto i$ is one-to-one). Checked at the twin "
             f"size {twin} by building both sides for $C$ and for $T$: " + ok[r.twin_lemma]
             + ".", (Math(r"(A \otimes B)^{\mathsf T} = A^{\mathsf T} \otimes B^{\mathsf T}",
                          "(A (x) B)^T = A^T (x) B^T"),)),
        Step("Both matrices", f"The top-left ${CORNER}\\times{CORNER}$ corners, built from "
             "the factors (the whole matrices are too large to build or print):",
             (show(r"C_{[0:12,\,0:12]}", map_corner(c, symbols)),
              show(r"T_{[0:12,\,0:12]}", map_corner(t, symbols)))),
        Step("Whole-matrix cross-check", f"At the twin size {twin} the builders' whole "
             r"coefficient maps of $T$ and $C^{\mathsf T}$ were compared: "
             + ("they are equal." if r.twin_whole else "they DIFFER."), ()),
        Step("Numeric cross-check", "The independent NumPy oracle (symconv.numeric) was "
             f"run on the twin layer {twin} with the same kernel, stride, padding and "
             "dilation (the naive oracle is too slow at the full size): "
             + ("it agrees." if proof.agrees else "it DISAGREES."), ()),
    )


def factor_compare(proof: FactorProof, conclusion: Math) -> Step:
    """The per-axis comparison and the conclusion drawn from the product argument."""
    r, n = proof.result, len(proof.result.correlation.factors)
    sizes = ", ".join(f"axis {a}: {f.shape[0]}x{f.shape[1]}, {len(f)} entries"
                      for a, f in enumerate(r.scatter.factors))
    if r.holds:
        return Step("Compare (per-axis factors)", r"The coefficient maps of $T_a$ and "
                    r"$C_a^{\mathsf T}$ are equal on each of the " + f"{n} axes ({sizes}; "
                    "exact, for symbolic kernel entries). By the product structure and the "
                    r"lemma, $T = \bigotimes_a T_a = \bigotimes_a C_a^{\mathsf T} = "
                    r"(\bigotimes_a C_a)^{\mathsf T} = C^{\mathsf T}$.", (conclusion,))
    if not r.equal:
        d = r.difference
        k = symbol_name("k", (0, 0, *np.unravel_index(d.key[2], r.correlation.taps)))
        return Step("Compare (per-axis factors)", f"The factors of axis {d.axis} differ at "
                    f"(row, col, tap) = {d.factor_key}: $T_{d.axis}$ has "
                    f"{d.factor_values[0]}, $C_{d.axis}^{{\\mathsf T}}$ has "
                    f"{d.factor_values[1]}; so the full matrices differ at (row, col) = "
                    f"{d.key[:2]}, symbol ${k}$: {d.values[0]} in $T$, {d.values[1]} "
                    r"in $C^{\mathsf T}$.", ())
    return Step("Compare (per-axis factors)", "The per-axis factors are equal, but the "
                f"product structure was not confirmed (failed: {_failed_checks(r)}), so "
                "nothing is proved.", ())


__all__ = ["CORNER", "FactorProof", "factor_compare", "factor_difference", "factor_steps",
           "map_corner", "symbol_name"]
