"""The pieces of a quantity's truth as a SymPy expression (window counts or the framework's
rule), with the assumptions under which the prover may use it. Which truth each quantity
has is stated once, in its entry of the quantity table (:mod:`symconv.sizes.quantities`)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..prover.normal_form import SYMBOLS, Windows, ceil, d, floor, k, n, s

# ---------------------------------------------------------------------------
# Pieces shared by several entries of the quantity table
# ---------------------------------------------------------------------------

SPAN = d * (k - 1)
POSITIVE_SIZES = (n - 1, k - 1, s - 1, d - 1)
TF_SAME_TOTAL = sympy.Max((ceil(n / s) - 1) * s + SPAN + 1 - n, 0)


@dataclass(frozen=True)
class Truth:
    """What a quantity is, as an expression (window counts or the framework's rule)."""

    expr: sympy.Expr
    meaning: str
    assumptions: tuple[sympy.Expr, ...]


def windows_truth(pads: sympy.Expr, extra: tuple[sympy.Expr, ...]) -> Truth:
    fits = n + pads - SPAN - 1
    return Truth(Windows(fits, s), "windows $i \\ge 0$ with $s\\,i + d(k-1) \\le n + "
                 f"{sympy.latex(pads)} - 1$ (the dilated window fits the padded input)",
                 POSITIVE_SIZES + extra + (fits,))


KERAS_RULE = "keras' deconv_output_length (tf.keras under TensorFlow)"
KERAS_TRANSPOSED = n * s + sympy.Max(SPAN + 1 - s, 0)
_JAX_SHAPE = "JAX's _conv_transpose_padding({}) pads P, output $(n-1)s + 2 + P - (d(k-1)+1)$"
TF_SAME_RULE = "TensorFlow's SAME rule (symconv.geometry.same_pads)"


def jax_transposed_truth(padding: str) -> Truth:
    """JAX's transposed output size, ``padding`` 'VALID' or 'SAME': its pads ``P`` of the
    zero-inserted input, then the convolution's shape rule."""
    pads = SPAN + s - 1 + (sympy.Max(SPAN + 1 - s, 0) if padding == "VALID" else 0)
    return Truth((n - 1) * s + 2 + pads - (SPAN + 1), _JAX_SHAPE.format(f"'{padding}'"),
                 POSITIVE_SIZES)


def pads_truths(total: sympy.Expr, meanings: tuple[str, str, str]) -> tuple[Truth, ...]:
    """A total pad and its split, the odd pad after: ``total``, ``floor(total/2)`` and
    ``total - floor(total/2)``, each with its meaning."""
    return tuple(Truth(expr, meaning, POSITIVE_SIZES) for expr, meaning in
                 zip((total, floor(total / 2), total - floor(total / 2)), meanings))


def to_plain(expr: sympy.Expr) -> sympy.Expr:
    """A parsed formula (:mod:`symconv.sizes` symbols) in this module's plain symbols."""
    return expr.xreplace({sym: SYMBOLS[sym.name] for sym in expr.free_symbols
                          if sym.name in SYMBOLS})

