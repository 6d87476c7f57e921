"""Re-export shim: the prover moved to :mod:`symconv.prover` (it knows no quantity); the
quantities' truths follow here until they move to :mod:`symconv.sizes`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import sympy

from .proof import Math, Step
from .prover import *  # noqa: F403
from .prover import __all__ as _prover_all
from .prover.budget import bounded_search
from .prover.implication import implied
from .prover.normal_form import SYMBOLS, Windows, ceil, d, floor, k, n, op, p, pa, pb, s
from .prover.proofs import ParametricProof, titled
from .prover.search import prove_for_all

__all__ = [*_prover_all, "Math"]

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
    """A parsed formula (:mod:`symconv.formula` symbols) in this module's plain symbols."""
    return expr.xreplace({sym: SYMBOLS[sym.name] for sym in expr.free_symbols
                          if sym.name in SYMBOLS})


@cache
def definition_proof(quantity: str, convention: str) -> ParametricProof | None:
    """The proof that a quantity's closed-form definition equals its truth, for all sizes.

    Examples
    --------
    >>> definition_proof("output_size", "tensorflow").lemmas()
    ['ceil-to-floor', 'floor-shift', 'window-count']
    >>> definition_proof("macs", "torch") is None
    True
    """
    from .counting_proofs import claims, theorem_proofs
    from .formula import parse_formula

    truth = TRUTHS.get((quantity, convention))
    form = closed_form(quantity, convention)
    if truth is None or form is None:
        return None
    text, variables, theorem = form
    notes = [f"The truth: {truth.meaning}."]
    if theorem is not None:
        if not all(p is not None and p.check() for p in theorem_proofs(theorem)):
            return None
        notes.append(f"The {quantity} is defined as a count; theorem {theorem} proves for all "
                     "sizes that the count is this closed form: "
                     + "; ".join(title for title, *_ in claims()[theorem]) + ".")
    proof = prove_for_all(to_plain(parse_formula(text, variables)), truth.expr,
                          truth.assumptions)
    return titled(proof, f"Definition for all sizes: {quantity} ({convention})", *notes)


#: Quantities defined by a count, with the closed form a theorem proves for all sizes.
_COUNTED = {("macs", "tensorflow"): ("(floor((n - d*(k - 1) - 1)/s) + 1)*k", "mac-count"),
            ("macs", "keras"): ("(floor((n - d*(k - 1) - 1)/s) + 1)*k", "mac-count")}


#: Padding variables that, fixed to 0, make a padded convention the valid one.
_NO_PADDING = {"torch": {"p": 0}, "jax": {"p_before": 0, "p_after": 0}}


def specialised(quantity: str, convention: str, fixed: dict[str, int]) -> str:
    """The convention whose truth applies on the slice ``fixed``: a counted quantity of a
    padded convention with its padding fixed to 0 is that of the valid convention.

    Examples
    --------
    >>> specialised("macs", "torch", {"p": 0}), specialised("macs", "torch", {})
    ('tensorflow', 'torch')
    """
    zero = _NO_PADDING.get(convention)
    if ((quantity, convention) not in TRUTHS and (quantity, "tensorflow") in _COUNTED and zero
            and all(fixed.get(name) == value for name, value in zero.items())):
        return "tensorflow"
    return convention


def closed_form(quantity: str, convention: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """The closed form a quantity is checked against at large sizes: its definition, or for
    a counted quantity the form a theorem proves (with that theorem's name); None if none.

    Examples
    --------
    >>> closed_form("macs", "keras")[2], closed_form("macs", "torch")
    ('mac-count', None)
    """
    from .formula import QUANTITIES

    entry = QUANTITIES.get((quantity, convention))
    if entry is None:
        return None
    text, theorem = _COUNTED.get((quantity, convention), (entry.definition, None))
    if text.startswith("#"):
        return None
    return text, entry.variables, theorem


def parametric_steps(quantity: str, convention: str) -> tuple[list[Step], bool]:
    """Steps proving a quantity's closed form for all sizes, and whether the proof checks.

    Examples
    --------
    >>> steps, ok = parametric_steps("output_size", "torch")
    >>> ok, steps[0].title
    (True, 'Definition for all sizes: output_size (torch)')
    """
    proof = definition_proof(quantity, convention)
    if proof is None or not proof.check():
        return [Step("Not proved for all sizes", f"No parametric proof of {quantity} "
                     f"({convention}); only the finite checks apply.")], False
    return proof.steps(), True


def formula_proof(parsed: sympy.Expr, quantity: str, convention: str,
                  fixed: dict[str, int] | None = None,
                  divisors: Sequence[sympy.Expr] = ()) -> ParametricProof | None:
    """Prove a parsed user formula equal to the quantity's truth for all sizes, or None.

    The search is bounded by :data:`PROOF_BUDGET`; when it runs out this raises
    :class:`ProofBudgetExceeded` (undecided within budget; nothing is claimed).
    ``fixed`` variables are substituted on both sides. The quantity's own closed-form
    definition must also be proved (:func:`definition_proof`), else None. Every
    ``divisor`` the formula was written with (SymPy may have cancelled it) must be
    provably non-zero (>= 1 or <= -1) under the assumptions, else None.

    Examples
    --------
    >>> from symconv.formula import parse_formula
    >>> f = parse_formula("(n + 2*p - d*(k-1) - 1)//s + 1")
    >>> formula_proof(f, "output_size", "torch").check()
    True
    >>> trap = parse_formula("(n + 2*p - d*(k-1) - 1)//s + 1 + n//1001")
    >>> formula_proof(trap, "output_size", "torch") is None
    True
    """
    convention = specialised(quantity, convention, fixed or {})
    truth = TRUTHS.get((quantity, convention))
    definition = definition_proof(quantity, convention)
    if truth is None or definition is None or not definition.check():
        return None
    values = {SYMBOLS[name]: sympy.Integer(v) for name, v in (fixed or {}).items()}
    assumptions = [a.xreplace(values) for a in truth.assumptions]
    with bounded_search():
        for divisor in divisors:
            d = to_plain(divisor).xreplace(values)
            if not (implied(d - 1, assumptions) or implied(-d - 1, assumptions)):
                return None
        proof = prove_for_all(to_plain(parsed).xreplace(values), truth.expr.xreplace(values),
                              assumptions)
    return titled(proof, f"Proof for all sizes: the formula is the {quantity} ({convention})",
                 f"The truth: {truth.meaning}.")
