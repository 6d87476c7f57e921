"""Each quantity's truth as a SymPy expression (window counts or the framework's rule),
with the assumptions under which the prover may use it."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..prover.normal_form import SYMBOLS, Windows, ceil, d, floor, k, n, op, p, pa, pb, s

# ---------------------------------------------------------------------------
# The counting family: each quantity's truth, proved equal to its closed form
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


def _truths() -> dict[tuple[str, str], Truth]:
    torch = windows_truth(2 * p, (p,))
    pool = windows_truth(2 * p, (p, k - 2 * p))
    valid = windows_truth(sympy.Integer(0), ())
    ceil_pool = Truth(Windows(sympy.Min(n + 2 * p - SPAN - 2 + s, n + p - 1), s),
                      "windows $i \\ge 0$ with $s\\,i < n + 2p - d(k-1) - 1 + s$ (the fewest "
                      "covering the padded input) that start before the right padding, "
                      "$s\\,i < n + p$", pool.assumptions)
    same_out = Truth(Windows(n - 1, s), "window starts $i \\ge 0$ with $s\\,i \\le n - 1$",
                     (n - 1, s - 1))
    table = {("output_size", "torch"): torch,
             ("output_size", "jax"): windows_truth(pb + pa, (pb, pa)),
             ("pool_output_size", "torch"): pool,
             ("pool_output_size_ceil", "torch"): ceil_pool,
             ("same_output_size", "torch"): Truth(Windows(n - 1, 1), "window starts at "
                                                  "stride 1, $i \\le n - 1$", (n - 1,)),
             ("same_pad_total", "torch"): Truth(SPAN, "PyTorch's total $d(k-1)$", POSITIVE_SIZES),
             ("same_pad_before", "torch"): Truth(floor(SPAN / 2), "PyTorch's left pad "
                                                 "total // 2", POSITIVE_SIZES),
             ("same_pad_after", "torch"): Truth(SPAN - floor(SPAN / 2), "PyTorch's right "
                                                "pad, total - total // 2", POSITIVE_SIZES),
             ("transposed_output_size", "torch"): Truth(
                 (n - 1) * s - 2 * p + SPAN + op + 1, "PyTorch's ConvTranspose rule",
                 POSITIVE_SIZES + (p, op, sympy.Max(s, d) - 1 - op,
                              (n - 1) * s - 2 * p + SPAN + op)),
             ("transposed_output_size", "keras"): Truth(
                 n * s + sympy.Max(SPAN + 1 - s, 0), "keras' deconv_output_length", POSITIVE_SIZES)}
    keras_rule = "keras' deconv_output_length (tf.keras under TensorFlow)"
    table["transposed_output_size", "tensorflow"] = Truth(
        n * s + sympy.Max(SPAN + 1 - s, 0), keras_rule, POSITIVE_SIZES)
    for convention in ("tensorflow", "keras"):
        table["transposed_same_output_size", convention] = Truth(n * s, keras_rule,
                                                                 POSITIVE_SIZES)
    jax_shape = "JAX's _conv_transpose_padding({}) pads P, output $(n-1)s + 2 + P - (d(k-1)+1)$"
    table["transposed_output_size", "jax"] = Truth(
        (n - 1) * s + 2 + (SPAN + s - 1 + sympy.Max(SPAN + 1 - s, 0)) - (SPAN + 1),
        jax_shape.format("'VALID'"), POSITIVE_SIZES)
    table["transposed_same_output_size", "jax"] = Truth(
        (n - 1) * s + 2 + (SPAN + s - 1) - (SPAN + 1), jax_shape.format("'SAME'"),
        POSITIVE_SIZES)
    for convention in ("tensorflow", "keras"):
        table["output_size", convention] = valid
        table["pool_output_size", convention] = Truth(
            Windows(n - k, s), "windows $i \\ge 0$ with $s\\,i + k \\le n$", (n - 1, k - 1,
                                                                             s - 1, n - k))
    for convention in ("tensorflow", "keras", "jax"):
        rule = "TensorFlow's SAME rule (symconv.geometry.same_pads)"
        table["same_output_size", convention] = same_out
        table["same_pad_total", convention] = Truth(TF_SAME_TOTAL, rule, POSITIVE_SIZES)
        table["same_pad_before", convention] = Truth(floor(TF_SAME_TOTAL / 2), rule, POSITIVE_SIZES)
        table["same_pad_after", convention] = Truth(TF_SAME_TOTAL - floor(TF_SAME_TOTAL / 2), rule,
                                                    POSITIVE_SIZES)
    for convention in ("numpy", "scipy"):
        table["full_length", convention] = Truth(
            Windows(n + k - 2, 1), "shifts $t$ with $-(k-1) \\le t \\le n-1$, i.e. $i = t + "
            "k - 1$ from $0$ to $n + k - 2$", (n - 1, k - 1))
        table["valid_length", convention] = Truth(
            Windows(sympy.Max(n, k) - sympy.Min(n, k), 1), "shifts $i \\ge 0$ with $i + "
            "\\min(n,k) \\le \\max(n,k)$", (n - 1, k - 1))
    table["same_length", "numpy"] = Truth(sympy.Max(n, k), "numpy keeps the longer length",
                                          (n - 1, k - 1))
    table["same_length", "scipy"] = Truth(n, "scipy keeps the length of in1", (n - 1, k - 1))
    for convention in ("tensorflow", "keras"):
        table["macs", convention] = Truth(
            Windows(n - SPAN - 1, s) * k, "(windows) $\\times k$: without padding every "
            "(window, tap) pair reads a distinct real input (theorem mac-count's claims, "
            "proved for all sizes), so the nonzeros are all of them", valid.assumptions)
    for convention in ("torch", "tensorflow", "keras", "jax"):
        table["receptive_field", convention] = Truth(
            Windows(SPAN, 1), "input positions from the first tap to the last", POSITIVE_SIZES)
        table["params", convention] = Truth(k, "distinct kernel weights", (k - 1,))
    return table


TRUTHS = _truths()


def to_plain(expr: sympy.Expr) -> sympy.Expr:
    """A parsed formula (:mod:`symconv.sizes` symbols) in this module's plain symbols."""
    return expr.xreplace({sym: SYMBOLS[sym.name] for sym in expr.free_symbols
                          if sym.name in SYMBOLS})

