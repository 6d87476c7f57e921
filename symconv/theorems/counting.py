"""Counting theorems: output sizes, padding, receptive fields, parameters, multiply-adds.

Every theorem here ties a closed-form integer formula to the *operators*, never
only to another formula. A check does two things:

1. at its parameter point it builds the operator (a SymPy matrix with symbolic
   kernel entries, or its index form when the matrix would be large) and reads
   the count off it: rows, distinct kernel symbols, nonzeros, the support of a
   row -- evidence ``symbolic``;
2. it sweeps a stated finite domain of 1-D layers (default: ``n <= 64``,
   ``k <= 7``, ``s <= 4``, ``p <= 3``, ``d <= 3``, every padding convention) in
   which the truth is *counted by enumeration* -- windows that fit the padded
   input, (output, tap) pairs that land on the input, forward sizes that map to
   a given size -- independently of the formula; on a smaller domain the truth
   is read off the operators' index form as well -- evidence ``exhaustive``.

The sweeps are cached: the domain is checked once per claim variant and process.
When a sweep finds a failing point, the reported counterexample is the smallest
one (by the sum of the sizes, then lexicographically), with its parameters under
the theorem's own parameter names.

Examples
--------
>>> from symconv.theorems import prove
>>> p = prove("output-size", input_shape=(6,), kernel_shape=(3,), stride=2, padding=0)
>>> p.verdict, p.evidence
('proved', ['parametric', 'symbolic', 'exhaustive'])
>>> prove("seed-same-pad-rule", rule="literal").counterexample["input_shape"]
(1,)


This module holds what the counting family shares: the sweep domain and machinery, the
enumeration counts, the smallest failure, the step helpers and the proofs for all sizes;
each family of theorems is a module ``counting_<family>.py`` beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import sympy

from ..geometry import (
    Geometry,
    same_pads,
)
from ..operators import (
    correlation,
)
from ..proof import Step
from ..sizes.exact import evaluate_many
from ..sizes.finite_domain import smallest_failure
from ..sizes.parse import parse_formula
from ..sizes.quantities import lookup
from ..sizes.windows import count_windows
from .common import (
    with_proof_for_all_sizes,
)
from .engine import Outcome

FAMILY = "counting"

#: The sweep domain of 1-D layers: inclusive upper bounds (lower bounds n, k, s, d >= 1; p >= 0).
BOUNDS = {"n": 64, "k": 7, "s": 4, "p": 3, "d": 3}
#: The smaller domain on which the operators themselves are built at every point.
OPERATOR_BOUNDS = {"n": 6, "k": 3, "s": 3, "p": 2, "d": 2}

CONVENTIONS = ("int", "pairs", "valid", "same", "same_lower", "full")

DOMAIN_TEXT = (f"every 1-D layer with 1<=n<={BOUNDS['n']}, 1<=k<={BOUNDS['k']}, "
               f"1<=s<={BOUNDS['s']}, 1<=d<={BOUNDS['d']}, and padding of every convention "
               f"(symmetric int p<={BOUNDS['p']}, per-side pairs p_b, p_a<={BOUNDS['p']}, "
               "valid, same, same_lower, full) whose dilated kernel fits the padded input, "
               "truth counted by enumeration; the operators' index form built at every point "
               f"with n<={OPERATOR_BOUNDS['n']}, k<={OPERATOR_BOUNDS['k']}, "
               f"s<={OPERATOR_BOUNDS['s']}, p<={OPERATOR_BOUNDS['p']}, "
               f"d<={OPERATOR_BOUNDS['d']}")

OUTPUT_SIZE_FORMULA = "floor((n + p_before + p_after - d*(k - 1) - 1)/s) + 1"
TRANSPOSED_FORMULA = "(n - 1)*s - 2*p + d*(k - 1) + op + 1"

Columns = dict[str, np.ndarray]


# ---------------------------------------------------------------------------
# Sweep machinery: integer columns, enumeration counts, the smallest failure
# ---------------------------------------------------------------------------

def grid(**ranges: Sequence[int]) -> Columns:
    """Every combination of the given integer ranges, as flat int64 columns."""
    mesh = np.meshgrid(*[np.asarray(list(r), dtype=np.int64) for r in ranges.values()],
                       indexing="ij")
    return {name: m.ravel() for name, m in zip(ranges, mesh)}


def restrict(columns: Columns, mask: np.ndarray) -> Columns:
    return {name: col[mask] for name, col in columns.items()}


def smallest_point(columns: Columns, failing: np.ndarray, keys: Sequence[str]
                   ) -> dict[str, int] | None:
    """The failing point with the least sum of ``keys``, ties broken lexicographically."""
    if not failing.any():
        return None
    first = smallest_failure(failing, columns, keys)
    return {name: int(col[first]) for name, col in columns.items()}


def parsed_formula(text: str) -> sympy.Expr:
    """:func:`~symconv.sizes.parse.parse_formula` of ``text``, parsed once per process
    (a sweep evaluates the same formula at every layer it builds; a rejected text raises
    each time).

    Examples
    --------
    >>> parsed_formula("floor((n - k)/s) + 1") is parsed_formula("floor((n - k)/s) + 1")
    True
    """
    return _parsed(parse_formula, text)


@cache
def _parsed(parse: Callable[[str], sympy.Expr], text: str) -> sympy.Expr:
    """``parse(text)``, the parser part of the key (a replaced parser is called afresh)."""
    return parse(text)


def formula_values(text: str, columns: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Exact values of a user formula (see :mod:`symconv.sizes`) at every point.

    ``columns`` holds the layer (``n, k, s, d, pb, pa`` and any extra variables such as
    ``op``); the formula may use ``p_before``/``p_after`` (``pb``/``pa``) and, where the
    pads are equal, ``p``. Returns the values (non-integers become ``-10**9``, never equal
    to a count) and the mask of points where the formula is defined.
    """
    expr = parsed_formula(text)
    names = {str(sym) for sym in expr.free_symbols}
    given = {**columns, "p_before": columns["pb"], "p_after": columns["pa"],
             "p": columns["pb"]}
    size = len(columns["n"])
    defined = np.ones(size, dtype=bool)
    if "p" in names and "p" not in columns:
        defined &= columns["pb"] == columns["pa"]
    num, den, undefined = evaluate_many(expr, {n: given[n] for n in names} or
                                        {"n": given["n"]})
    num = np.broadcast_to(np.asarray(num, dtype=object), (size,))
    den = np.broadcast_to(np.asarray(den, dtype=object), (size,))
    out = np.full(size, -10**9, dtype=np.int64)
    ok = ~np.broadcast_to(undefined, (size,)) & (num % den == 0)
    out[ok] = (num[ok] // den[ok]).astype(np.int64)
    return out, defined


def _padding_of(convention: str, pb: int, pa: int) -> Any:
    """The ``padding`` argument naming a 1-D point of a convention."""
    if convention == "int":
        return pb
    if convention == "pairs":
        return ((pb, pa),)
    return convention


def layer_points(convention: str, bounds: dict[str, int] = BOUNDS) -> Columns:
    """Every valid 1-D layer of one padding convention inside ``bounds``, with its pads.

    Columns ``n, k, s, d, pb, pa``; the dilated kernel fits the padded input.

    Examples
    --------
    >>> pts = layer_points("same", {"n": 2, "k": 2, "s": 1, "p": 0, "d": 1})
    >>> [(int(n), int(k), int(b), int(a)) for n, k, b, a in zip(*(pts[c] for c in
    ...  ("n", "k", "pb", "pa")))]
    [(1, 1, 0, 0), (1, 2, 0, 1), (2, 1, 0, 0), (2, 2, 0, 1)]
    """
    base = {"n": range(1, bounds["n"] + 1), "k": range(1, bounds["k"] + 1),
            "s": range(1, bounds["s"] + 1), "d": range(1, bounds["d"] + 1)}
    pads = range(bounds["p"] + 1)
    if convention == "int":
        c = grid(**base, pb=pads)
        c["pa"] = c["pb"].copy()
    elif convention == "pairs":
        c = grid(**base, pb=pads, pa=pads)
    else:
        c = grid(**base)
        ext = c["d"] * (c["k"] - 1)
        if convention == "valid":
            c["pb"], c["pa"] = np.zeros_like(ext), np.zeros_like(ext)
        elif convention == "full":
            c["pb"], c["pa"] = ext, ext.copy()
        else:
            pairs = np.array([same_pads(*q, lower=convention == "same_lower")
                              for q in zip(*(c[v].tolist() for v in "nksd"))], dtype=np.int64)
            c["pb"], c["pa"] = pairs[:, 0], pairs[:, 1]
    fits = c["d"] * (c["k"] - 1) + 1 <= c["n"] + c["pb"] + c["pa"]
    return restrict(c, fits)


def layer_counterexample(convention: str, point: dict[str, int]) -> dict[str, Any]:
    return {"input_shape": (point["n"],), "kernel_shape": (point["k"],),
            "stride": point["s"], "padding": _padding_of(convention, point["pb"], point["pa"]),
            "dilation": point["d"]}


def steps_window(c: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Per point: (number of windows, padded length) with the enumeration count."""
    length = c["n"] + c["pb"] + c["pa"]
    return count_windows(length, c["d"] * (c["k"] - 1) + 1, c["s"]), length


def tap_pairs(c: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Per point: (output, tap) pairs landing on the input, and on padding, counted."""
    rows = steps_window(c)[0]
    inside = np.zeros_like(rows)
    padded = np.zeros_like(rows)
    live = np.arange(len(rows))  # the points with an output i (fewer as i grows)
    k, s, pb, d, n = (c[v] for v in ("k", "s", "pb", "d", "n"))
    for i in range(int(rows.max(initial=0))):
        live = live[i < rows[live]]
        at, start = live, s[live] * i - pb[live]
        for m in range(BOUNDS["k"]):
            tap = m < k[at]  # the points whose kernel has offset m (fewer as m grows)
            at, start = at[tap], start[tap]
            j = start + d[at] * m
            hit = (j >= 0) & (j < n[at])
            inside[at] += hit
            padded[at] += ~hit
    return inside, padded


def reaching_taps(c: Columns) -> np.ndarray:
    """Per point: kernel taps ``m`` that land on the input for at least one output."""
    rows = steps_window(c)[0]
    reach = np.zeros_like(rows)
    for m in range(BOUNDS["k"]):
        hit = np.zeros(rows.shape, dtype=bool)
        for i in range(int(rows.max(initial=0))):
            j = c["s"] * i - c["pb"] + c["d"] * m
            hit |= (i < rows) & (j >= 0) & (j < c["n"])
        reach += hit & (m < c["k"])
    return reach


@cache
def operator_table() -> dict[str, Columns]:
    """The correlation operator built at every point of the small domain, per convention.

    Columns: the layer (``n, k, s, d, pb, pa``), ``rows`` (rows of C), ``windows_ok``
    (C's index form is exactly the sliding-window rule ``j = s*i - p_b + d*m`` over its
    rows, every in-input tap present), ``nnz`` (structural nonzeros) and ``taps``
    (distinct kernel symbols used).
    """
    table = {}
    for convention in CONVENTIONS:
        c = layer_points(convention, OPERATOR_BOUNDS)
        rows, ok, nnz, taps = [], [], [], []
        for n, k, s, d, pb, pa in zip(*(c[v].tolist() for v in ("n", "k", "s", "d", "pb",
                                                                  "pa"))):
            op = correlation(Geometry((n,), (k,), s, _padding_of(convention, pb, pa), d))
            out = op.shape[0]
            want = {(i, m, s * i - pb + d * m) for i in range(out) for m in range(k)
                    if 0 <= s * i - pb + d * m < n}
            got = set(zip(op.rows.tolist(), op.taps.tolist(), op.cols.tolist()))
            rows.append(out)
            ok.append(got == want and len(got) == len(op.rows))
            nnz.append(op.nnz)
            taps.append(len(set(op.taps.tolist())))
        table[convention] = {**c, "rows": np.array(rows), "windows_ok": np.array(ok),
                             "nnz": np.array(nnz), "taps": np.array(taps)}
    return table


# ---------------------------------------------------------------------------
# Small helpers for the steps
# ---------------------------------------------------------------------------

def size_text(shape: Sequence[int]) -> str:
    return "x".join(map(str, shape))


def axes_value(values: Sequence[int]) -> Any:
    """One value when every axis agrees, else the tuple."""
    return values[0] if len(set(values)) == 1 else tuple(values)


def _fail(difference: dict[str, Any] | None) -> str:
    if not difference:
        return ""
    return "; ".join(f"{k} = {v}" for k, v in difference.items())


def compare_step(holds: bool, what: str, difference: dict | None, domain_points: int) -> Step:
    if holds:
        return Step("Compare", f"{what} agree at this point and at all {domain_points} points "
                    "of the sweep domain.", ())
    return Step("Compare", f"{what} disagree: {_fail(difference)}.", ())


def counting_outcome(holds: bool, steps: list[Step], difference: dict | None, points: int,
                     domain: str = DOMAIN_TEXT,
                     evidence: tuple[str, ...] = ("symbolic", "exhaustive")) -> Outcome:
    return Outcome(holds, tuple(steps), None if holds else difference, evidence=evidence,
                   domain=f"{domain} ({points} points)")


# ---------------------------------------------------------------------------
# Proofs for all sizes (symconv.prover), attached where the claim is the true one
# ---------------------------------------------------------------------------

@cache
def _for_all_sizes(name: str) -> tuple[tuple[Step, ...], bool, tuple[Any, ...]]:
    """The lemma chains of :func:`symconv.sizes.counting_claims.theorem_steps`, computed once,
    with the SMT certificates they asked for."""
    from ..prover.judge import recording
    from ..sizes.counting_claims import theorem_steps

    with recording() as certificates:
        steps, ok = theorem_steps(name)
    return tuple(steps), ok, tuple(certificates)


def _recorded_for_all_sizes(name: str) -> tuple[tuple[Step, ...], bool]:
    """:func:`_for_all_sizes`, its certificates handed to any open ``--smt`` recording."""
    from ..prover.judge import record

    steps, ok, certificates = _for_all_sizes(name)
    for certificate in certificates:
        record(certificate)
    return steps, ok


def with_parametric(outcome: Outcome, name: str, applies: bool) -> Outcome:
    """Append the lemma chains of theorem ``name`` to a holding outcome of the true claim."""
    return with_proof_for_all_sizes(outcome, lambda: _recorded_for_all_sizes(name), applies)


# ---------------------------------------------------------------------------
# A user's formula is a statement about all sizes (symconv.sizes.check.check_formula)
# ---------------------------------------------------------------------------

def _formula_convention(formula: str, quantity: str, conventions: Sequence[str]) -> str | None:
    """The first of ``conventions`` whose variables (the quantity table's) cover the
    formula's, or None."""
    names = {str(v) for v in parsed_formula(formula).free_symbols}
    return next((c for c in conventions if names <= set(lookup(quantity, c).variables)), None)


def for_all_sizes_of_formula(outcome: Outcome, formula: str, quantity: str,
                             conventions: Sequence[str], claim: str,
                             claim_latex: str) -> Outcome:
    """The outcome of a user's ``formula`` as what it is: a claim about all sizes.

    The statement becomes the user's formula (``"<formula> is <claim>"``), the scope
    ``"all sizes"``, so it is proved only with a proof for all sizes; that proof, when
    the formula holds here and on the sweep, is :func:`symconv.sizes.check.check_formula`
    with ``quantity`` under the first of ``conventions`` whose variables (in the quantity
    table) cover the formula's. Its counterexample refutes; without its proof the verdict
    is "verified" on the sweep.
    """
    outcome = replace(outcome, scope="all sizes", statement=(
        f"{formula} is {claim}", f"{claim_latex} = {sympy.latex(parsed_formula(formula))}"))
    convention = _formula_convention(formula, quantity, conventions)
    if not outcome.holds or convention is None:
        return outcome
    from ..sizes.check import check_formula

    checked = check_formula(formula, quantity, convention)
    call = f"symconv.check_formula({formula!r}, {quantity!r}, {convention!r})"
    if checked.verdict == "refuted":
        return replace(outcome, holds=False, domain=checked.domain, difference={
            **_layer_parameters(checked.counterexample), "found by": call})
    if checked.verdict != "proved":
        return replace(outcome, steps=outcome.steps + (Step(
            "Not proved for all sizes", f"{call} gives {checked.verdict}: "
            f"{checked.evidence_sentence()}", ()),))
    return replace(outcome, evidence=("parametric", *outcome.evidence),
                   steps=outcome.steps + (Step("For all sizes", f"{call} proves the formula "
                                                "for all sizes:", ()), *checked.steps))


#: The theorem parameter of each variable of :mod:`symconv.sizes` (1-D layers).
VARIABLE_PARAMETERS = {"n": "input_shape", "k": "kernel_shape", "s": "stride", "p": "padding",
                       "d": "dilation", "op": "output_padding"}


def _layer_parameters(point: dict[str, Any]) -> dict[str, Any]:
    """A :func:`~symconv.sizes.check.check_formula` counterexample under theorem parameter names.

    Examples
    --------
    >>> _layer_parameters({"n": 66, "k": 3, "p_before": 1, "p_after": 0, "formula": 2,
    ...                    "truth": 3})
    {'input_shape': (66,), 'kernel_shape': (3,), 'padding': ((1, 0),), 'formula': 2, 'truth': 3}
    """
    out: dict[str, Any] = {}
    for name, value in point.items():
        if name in ("n", "k"):
            out[VARIABLE_PARAMETERS[name]] = (value,)
        elif name == "p_before":
            out["padding"] = ((value, point["p_after"]),)
        elif name != "p_after":
            out[VARIABLE_PARAMETERS.get(name, name)] = value
    return out


#: The conventions a user's output-size formula is checked under, the first that fits.
OUTPUT_SIZE_CONVENTIONS = ("torch", "jax")


def int_pads(g: Geometry) -> list[tuple[int, int]]:
    return [tuple(int(v) for v in pair) for pair in g.pads]


