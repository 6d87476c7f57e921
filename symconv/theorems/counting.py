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
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import replace
from fractions import Fraction
from functools import cache
from math import prod
from typing import Any

import numpy as np
import sympy

from ..errors import SymconvError, TheoremError, describe
from ..formula import evaluate_many, parse_formula
from ..geometry import (
    Geometry,
    PoolGeometry,
    TransposedGeometry,
    ceil_div,
    same_pads,
)
from ..operators import (
    LinearOperator,
    avg_pool,
    correlation,
    max_pool,
    transposed_convolution,
)
from ..proof import Math, Step
from .common import (
    TORCH_NOT_RUN,
    exact_number,
    layer_text,
    optional_backend,
    random_integers,
    show,
    with_proof_for_all_sizes,
)
from .engine import Outcome, is_integer, theorem

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

def _grid(**ranges: Sequence[int]) -> Columns:
    """Every combination of the given integer ranges, as flat int64 columns."""
    mesh = np.meshgrid(*[np.asarray(list(r), dtype=np.int64) for r in ranges.values()],
                       indexing="ij")
    return {name: m.ravel() for name, m in zip(ranges, mesh)}


def _where(columns: Columns, mask: np.ndarray) -> Columns:
    return {name: col[mask] for name, col in columns.items()}


def count_windows(length: np.ndarray, span: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Windows ``i = 0, 1, ...`` with ``s*i + span <= length``, counted one index at a time.

    This is the definition of a sliding window that lies inside a (padded) input of
    ``length`` samples, with no division and no floor.

    Examples
    --------
    >>> count_windows(np.array([6, 13]), np.array([3, 6]), np.array([2, 5])).tolist()
    [2, 2]
    """
    length, span, s = np.broadcast_arrays(length, span, s)
    count = np.zeros(length.shape, dtype=np.int64)
    for i in range(int(length.max(initial=0)) + 1):
        count += (s * i + span <= length)
    return count


def _smallest(columns: Columns, failing: np.ndarray, keys: Sequence[str]) -> dict[str, int] | None:
    """The failing point with the least sum of ``keys``, ties broken lexicographically."""
    if not failing.any():
        return None
    sub = _where(columns, failing)
    total = sum(sub[k] for k in keys)
    order = np.lexsort([sub[k] for k in reversed(keys)] + [total])
    first = int(order[0])
    return {name: int(col[first]) for name, col in sub.items()}


def _formula_values(text: str, columns: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Exact values of a user formula (see :mod:`symconv.formula`) at every point.

    ``columns`` holds the layer (``n, k, s, d, pb, pa`` and any extra variables such as
    ``op``); the formula may use ``p_before``/``p_after`` (``pb``/``pa``) and, where the
    pads are equal, ``p``. Returns the values (non-integers become ``-10**9``, never equal
    to a count) and the mask of points where the formula is defined.
    """
    expr = parse_formula(text)
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
        c = _grid(**base, pb=pads)
        c["pa"] = c["pb"].copy()
    elif convention == "pairs":
        c = _grid(**base, pb=pads, pa=pads)
    else:
        c = _grid(**base)
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
    return _where(c, fits)


def _layer_counterexample(convention: str, point: dict[str, int]) -> dict[str, Any]:
    return {"input_shape": (point["n"],), "kernel_shape": (point["k"],),
            "stride": point["s"], "padding": _padding_of(convention, point["pb"], point["pa"]),
            "dilation": point["d"]}


def _steps_window(c: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Per point: (number of windows, padded length) with the enumeration count."""
    length = c["n"] + c["pb"] + c["pa"]
    return count_windows(length, c["d"] * (c["k"] - 1) + 1, c["s"]), length


def _tap_pairs(c: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Per point: (output, tap) pairs landing on the input, and on padding, counted."""
    rows = _steps_window(c)[0]
    inside = np.zeros_like(rows)
    padded = np.zeros_like(rows)
    for i in range(int(rows.max(initial=0))):
        live = i < rows
        for m in range(BOUNDS["k"]):
            tap = live & (m < c["k"])
            j = c["s"] * i - c["pb"] + c["d"] * m
            hit = (j >= 0) & (j < c["n"])
            inside += tap & hit
            padded += tap & ~hit
    return inside, padded


def _reaching_taps(c: Columns) -> np.ndarray:
    """Per point: kernel taps ``m`` that land on the input for at least one output."""
    rows = _steps_window(c)[0]
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

def _size(shape: Sequence[int]) -> str:
    return "x".join(map(str, shape))


def _axes(values: Sequence[int]) -> Any:
    """One value when every axis agrees, else the tuple."""
    return values[0] if len(set(values)) == 1 else tuple(values)


def _fail(difference: dict[str, Any] | None) -> str:
    if not difference:
        return ""
    return "; ".join(f"{k} = {v}" for k, v in difference.items())


def _compare_step(holds: bool, what: str, difference: dict | None, domain_points: int) -> Step:
    if holds:
        return Step("Compare", f"{what} agree at this point and at all {domain_points} points "
                    "of the sweep domain.", ())
    return Step("Compare", f"{what} disagree: {_fail(difference)}.", ())


def _outcome(holds: bool, steps: list[Step], difference: dict | None, points: int,
             domain: str = DOMAIN_TEXT, evidence: tuple[str, ...] = ("symbolic", "exhaustive")
             ) -> Outcome:
    return Outcome(holds, tuple(steps), None if holds else difference, evidence=evidence,
                   domain=f"{domain} ({points} points)")


# ---------------------------------------------------------------------------
# Proofs for all sizes (symconv.parametric), attached where the claim is the true one
# ---------------------------------------------------------------------------

@cache
def _for_all_sizes(name: str) -> tuple[tuple[Step, ...], bool, tuple[Any, ...]]:
    """The lemma chains of :func:`symconv.counting_proofs.theorem_steps`, computed once,
    with the SMT certificates they asked for."""
    from ..certify import recording
    from ..counting_proofs import theorem_steps

    with recording() as certificates:
        steps, ok = theorem_steps(name)
    return tuple(steps), ok, tuple(certificates)


def _recorded_for_all_sizes(name: str) -> tuple[tuple[Step, ...], bool]:
    """:func:`_for_all_sizes`, its certificates handed to any open ``--smt`` recording."""
    from ..certify import record

    steps, ok, certificates = _for_all_sizes(name)
    for certificate in certificates:
        record(certificate)
    return steps, ok


def _with_parametric(outcome: Outcome, name: str, applies: bool) -> Outcome:
    """Append the lemma chains of theorem ``name`` to a holding outcome of the true claim."""
    return with_proof_for_all_sizes(outcome, lambda: _recorded_for_all_sizes(name), applies)


# ---------------------------------------------------------------------------
# A user's formula is a statement about all sizes (symconv.formula.check_formula)
# ---------------------------------------------------------------------------

def _formula_convention(formula: str, conventions: dict[str, frozenset[str]]) -> str | None:
    """The first convention of :func:`~symconv.formula.check_formula` whose variables
    cover the formula's, or None."""
    names = {str(v) for v in parse_formula(formula).free_symbols}
    return next((c for c, variables in conventions.items() if names <= variables), None)


def for_all_sizes_of_formula(outcome: Outcome, formula: str, quantity: str,
                             conventions: dict[str, frozenset[str]], claim: str,
                             claim_latex: str) -> Outcome:
    """The outcome of a user's ``formula`` as what it is: a claim about all sizes.

    The statement becomes the user's formula (``"<formula> is <claim>"``), the scope
    ``"all sizes"``, so it is proved only with a proof for all sizes; that proof, when
    the formula holds here and on the sweep, is :func:`symconv.formula.check_formula`
    with ``quantity`` under the first of ``conventions`` (name: variables) whose
    variables cover the formula's. Its counterexample refutes; without its proof the
    verdict is "verified" on the sweep.
    """
    outcome = replace(outcome, scope="all sizes", statement=(
        f"{formula} is {claim}", f"{claim_latex} = {sympy.latex(parse_formula(formula))}"))
    convention = _formula_convention(formula, conventions)
    if not outcome.holds or convention is None:
        return outcome
    from ..formula import check_formula

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


#: The theorem parameter of each variable of :mod:`symconv.formula` (1-D layers).
VARIABLE_PARAMETERS = {"n": "input_shape", "k": "kernel_shape", "s": "stride", "p": "padding",
                       "d": "dilation", "op": "output_padding"}


def _layer_parameters(point: dict[str, Any]) -> dict[str, Any]:
    """A :func:`~symconv.formula.check_formula` counterexample under theorem parameter names.

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


OUTPUT_SIZE_CONVENTIONS = {"torch": frozenset("nkspd"),
                           "jax": frozenset({"n", "k", "s", "p_before", "p_after", "d"})}


def _int_pads(g: Geometry) -> list[tuple[int, int]]:
    return [tuple(int(v) for v in pair) for pair in g.pads]


# ---------------------------------------------------------------------------
# output-size
# ---------------------------------------------------------------------------

_LAYER_KEYS = ("n", "k", "s", "pb", "pa", "d")


@cache
def _output_size_sweep(formula: str) -> tuple[dict | None, int]:
    points, failures = 0, []
    for convention in CONVENTIONS:
        c = layer_points(convention)
        windows = _steps_window(c)[0]
        values, defined = _formula_values(formula, c)
        bad = _smallest({**c, "formula": values, "rows": windows},
                        defined & (values != windows), _LAYER_KEYS)
        t = operator_table()[convention]
        small, small_defined = _formula_values(formula, t)
        counted = _steps_window(t)[0]
        op_bad = _smallest({**t, "formula": small}, (small_defined & (small != t["rows"]))
                           | ~t["windows_ok"] | (counted != t["rows"]), _LAYER_KEYS)
        failures += [(sum(f[k] for k in _LAYER_KEYS), convention, f) for f in (op_bad, bad)
                     if f is not None]
        points += len(c["n"]) + len(t["n"])
    if not failures:
        return None, points
    _, convention, found = min(failures, key=lambda f: f[0])
    return {**_layer_counterexample(convention, found), "formula": found["formula"],
            "rows of C": found["rows"]}, points


def _layer_columns(g: Geometry, axis: int) -> Columns:
    pb, pa = _int_pads(g)[axis]
    return {"n": np.array([g.input_shape[axis]]), "k": np.array([g.kernel_shape[axis]]),
            "s": np.array([g.stride[axis]]), "d": np.array([g.dilation[axis]]),
            "pb": np.array([pb]), "pa": np.array([pa])}


@theorem("output-size", family=FAMILY,
         statement="The correlation matrix C has floor((n + p_b + p_a - d(k-1) - 1)/s) + 1 "
                   "rows per axis (2p for symmetric padding): one per window that fits the "
                   "padded input, for every padding convention (int, per-side pairs, valid, "
                   "same, same_lower, full); the convention is the kind of `padding`.",
         latex=r"\#\operatorname{rows}(C) = \left\lfloor \frac{n + p_b + p_a - d(k-1) - 1}{s}"
               r"\right\rfloor + 1",
         parameters={"input_shape": (5,), "kernel_shape": (3,), "stride": 2, "padding": 1,
                     "dilation": 1, "formula": OUTPUT_SIZE_FORMULA},
         domain_text=DOMAIN_TEXT)
def output_size(input_shape, kernel_shape, stride, padding, dilation, formula) -> Outcome:
    """Rows of C (built symbolically) = windows counted = the formula, per axis."""
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    op = correlation(g)
    rows = op.matrix.rows
    per_axis = []
    for axis in range(g.ndim):
        cols = _layer_columns(g, axis)
        value, defined = _formula_values(formula, cols)
        if not defined[0]:
            raise TheoremError(f"formula uses p but the pads {g.pads[axis]} of axis {axis} "
                               "differ; use p_before and p_after")
        per_axis.append((int(value[0]), int(_steps_window(cols)[0][0])))
    claimed, counted = prod(v for v, _ in per_axis), prod(w for _, w in per_axis)
    here = claimed == rows == counted
    found, points = _output_size_sweep(formula)
    difference = (found if here else
                  {"formula": claimed, "rows of C": rows, "windows counted": counted})
    holds = here and found is None
    steps = [
        Step("Setting", f"Layer: {layer_text(g)}. Padding convention: "
             f"{_convention_name(padding)}.", (Math(
                 r"C_{i,j} = k_m \ \text{ where } j = s\,i - p_b + d\,m,\ 0 \le j < n",
                 "C[i, j] = k[m] where j = s*i - p_b + d*m lands inside the input"),)),
        Step("Windows", "Row $i$ of C is the window starting at $s\\,i - p_b$ of the padded "
             "input; it exists when the whole dilated window $[s\\,i - p_b,\\ s\\,i - p_b + "
             "d(k-1)]$ lies in $[-p_b,\\ n + p_a - 1]$. Counting such $i = 0, 1, \\dots$ one "
             "by one gives " + ", ".join(str(w) for _, w in per_axis) + " per axis.",
             (Math(r"\#\{ i \ge 0 : s\,i + d(k-1) + 1 \le n + p_b + p_a \}",
                   "#{ i >= 0 : s*i + d*(k-1) + 1 <= n + p_b + p_a }"),)),
        Step("The matrix", f"C is {rows} x {op.matrix.cols}.", (show("C", op.matrix),)),
        Step("Formula", f"The formula `{formula}` gives " + ", ".join(
            str(v) for v, _ in per_axis) + f" per axis, product {claimed}.",
             (Math(r"\left\lfloor \frac{n + p_b + p_a - d(k-1) - 1}{s}\right\rfloor + 1",
                   formula),)),
        _compare_step(holds, "Rows of C, counted windows and the formula", difference, points),
    ]
    outcome = _outcome(holds, steps, difference, points)
    if formula != OUTPUT_SIZE_FORMULA:
        return for_all_sizes_of_formula(
            outcome, formula, "output_size", OUTPUT_SIZE_CONVENTIONS,
            "the number of rows of the correlation matrix C per axis (windows that fit the "
            "padded input)", r"\#\operatorname{rows}(C)")
    return _with_parametric(outcome, "output-size", True)


def _convention_name(padding: Any) -> str:
    if isinstance(padding, str):
        return padding
    if isinstance(padding, int):
        return f"symmetric int p = {padding}"
    return f"explicit {padding}"


# ---------------------------------------------------------------------------
# same-padding
# ---------------------------------------------------------------------------

SAME_BOUNDS_TEXT = (f"every 1-D layer with 1<=n<={BOUNDS['n']}, 1<=k<={BOUNDS['k']}, "
                    f"1<=s<={BOUNDS['s']}, 1<=d<={BOUNDS['d']} (least total pad found by "
                    "trying T = 0, 1, 2, ... and counting windows)")
TORCH_SAME_TEXT = ("and, for 'same', our C with the claimed pads equals "
                   "torch.nn.functional.conv1d(padding='same') at stride 1 for n<=24, k<=7, "
                   "d<=3 on small integer data")


def _split(total: np.ndarray, odd_pixel: str) -> tuple[np.ndarray, np.ndarray]:
    small, large = total // 2, total - total // 2
    return (large, small) if odd_pixel == "before" else (small, large)


def least_total_pad(n: np.ndarray, k: np.ndarray, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Least ``T >= 0`` for which ``ceil(n/s)`` windows fit ``n + T`` samples, by trying T.

    Examples
    --------
    >>> least_total_pad(np.array([13]), np.array([6]), np.array([5]), np.array([1])).tolist()
    [3]
    """
    want = -(-n // s)
    span = d * (k - 1) + 1
    best = np.full(n.shape, -1, dtype=np.int64)
    for t in range(int(span.max()) + int(s.max()) + 1):
        enough = (best < 0) & (count_windows(n + t, span, s) >= want)
        best[enough] = t
    return best


@cache
def _same_sweep(padding: str, odd_pixel: str, with_torch: bool) -> tuple[dict | None, int]:
    """The smallest failure of the SAME rule on the sweep, and the points checked.

    ``with_torch`` (for 'same'): also compare with PyTorch's padding='same' at stride 1
    (its points are counted only then).
    """
    c = _grid(n=range(1, BOUNDS["n"] + 1), k=range(1, BOUNDS["k"] + 1),
              s=range(1, BOUNDS["s"] + 1), d=range(1, BOUNDS["d"] + 1))
    out = -(-c["n"] // c["s"])
    total = np.maximum((out - 1) * c["s"] + c["d"] * (c["k"] - 1) + 1 - c["n"], 0)
    least = least_total_pad(c["n"], c["k"], c["s"], c["d"])
    pb, pa = _split(total, odd_pixel)
    resolved = np.array([same_pads(*q, lower=padding == "same_lower")
                         for q in zip(*(c[v].tolist() for v in "nksd"))], dtype=np.int64)
    rows = count_windows(c["n"] + pb + pa, c["d"] * (c["k"] - 1) + 1, c["s"])
    failing = ((total != least) | (pb != resolved[:, 0]) | (pa != resolved[:, 1])
               | (rows != out))
    found = _smallest({**c, "pb": pb, "pa": pa, "total": total, "least": least,
                       "rb": resolved[:, 0], "ra": resolved[:, 1]}, failing,
                      ("n", "k", "s", "d"))
    points = len(c["n"])
    if found is None and with_torch:
        found, checked = _torch_same_check(odd_pixel)
        points += checked
    if found is None or "torch" in found:
        return found, points
    return {"input_shape": (found["n"],), "kernel_shape": (found["k"],),
            "stride": found["s"], "dilation": found["d"],
            "claimed pads": (found["pb"], found["pa"]),
            f"{padding} pads of C": (found["rb"], found["ra"]),
            "least total pad": found["least"]}, points


@contextmanager
def _single_thread(torch):
    """Run tiny torch ops on one thread (thread start-up dominates them), then restore."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _torch_same_check(odd_pixel: str) -> tuple[dict | None, int]:
    """At stride 1 our correlation with the claimed split equals torch's padding='same'."""
    import torch

    with _single_thread(torch):
        return _torch_same_loop(torch, odd_pixel)


def _torch_same_loop(torch, odd_pixel: str) -> tuple[dict | None, int]:
    import warnings

    import torch.nn.functional as F  # noqa: N812

    checked = 0
    for n, k, d in itertools.product(range(1, 25), range(1, BOUNDS["k"] + 1),
                                     range(1, BOUNDS["d"] + 1)):
        total = d * (k - 1)
        pb, pa = _split(np.array(total), odd_pixel)
        op = correlation(Geometry((n,), (k,), 1, ((int(pb), int(pa)),), d))
        w = random_integers((1, 1, k), n + 7 * k + d)
        x = random_integers((1, n), 3 * n + k)
        ours = op.numeric(w) @ x.reshape(-1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that even kernels copy the input
            theirs = F.conv1d(torch.tensor(x[None], dtype=torch.float32),
                              torch.tensor(w, dtype=torch.float32), padding="same",
                              dilation=d).numpy().reshape(-1).astype(float)
        checked += 1
        if ours.shape != theirs.shape or not np.array_equal(ours, theirs):
            return {"input_shape": (n,), "kernel_shape": (k,), "stride": 1, "dilation": d,
                    "claimed pads": (int(pb), int(pa)), "ours": ours.tolist(),
                    "torch": theirs.tolist()}, checked
    return None, checked


SAME_TORCH_CLAIM = "; PyTorch's padding='same' agrees at stride 1."
SAME_STATEMENT = ("TensorFlow's SAME: out = ceil(n/s), total pad max((out-1)s + d(k-1) + 1 - n, "
                  "0) -- the least total pad giving C ceil(n/s) rows -- odd pixel at the end "
                  f"(SAME_LOWER: at the start){SAME_TORCH_CLAIM}")
SAME_LATEX = (r"T = \max\left(\left(\left\lceil \tfrac{n}{s}\right\rceil - 1\right)s + d(k-1)"
              r" + 1 - n,\ 0\right),\ (p_b, p_a) = \left(\left\lfloor \tfrac{T}{2}\right\rfloor,"
              r" \left\lceil \tfrac{T}{2}\right\rceil\right)")


def _torch_unchecked(statement: str, claim: str, what: str, why: str = TORCH_NOT_RUN) -> str:
    """``statement`` with its PyTorch ``claim`` replaced by the note that it was not checked."""
    return statement.replace(claim, f" ({what} is not claimed: its cross-check was {why}).")


@theorem("same-padding", family=FAMILY, statement=SAME_STATEMENT, latex=SAME_LATEX,
         parameters={"input_shape": (13,), "kernel_shape": (6,), "stride": 5, "dilation": 1,
                     "padding": "same", "odd_pixel": "after"},
         domain_text=SAME_BOUNDS_TEXT)
def same_padding(input_shape, kernel_shape, stride, dilation, padding, odd_pixel) -> Outcome:
    """Claimed split vs the operator's pads; least total pad by trying; torch at stride 1."""
    if padding not in ("same", "same_lower") or odd_pixel not in ("after", "before"):
        raise TheoremError("same-padding takes padding 'same' or 'same_lower' and odd_pixel "
                           f"'after' or 'before', got {padding!r}, {odd_pixel!r}")
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    op = correlation(g)
    rows_here, lines = [], []
    here = True
    for axis, (n, k, s, d) in enumerate(zip(g.input_shape, g.kernel_shape, g.stride,
                                            g.dilation)):
        out = ceil_div(n, s)
        total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
        least = int(least_total_pad(*(np.array([v]) for v in (n, k, s, d)))[0])
        claimed = tuple(int(v) for v in _split(np.array(total), odd_pixel))
        first = _first_window_start(op, g, axis)
        here &= (total == least and claimed == _int_pads(g)[axis]
                 and g.output_shape[axis] == out and first == -claimed[0])
        rows_here.append(out)
        lines.append(f"axis {axis}: out = ceil({n}/{s}) = {out}, T = max(({out}-1)*{s} + "
                     f"{d}*({k}-1) + 1 - {n}, 0) = {total} (least T by trying: {least}), "
                     f"claimed split {claimed}, pads of the operator {_int_pads(g)[axis]}, "
                     f"its first window starts at {first}")
    torch_run = padding == "same" and optional_backend("torch") is not None
    found, points = _same_sweep(padding, odd_pixel, torch_run)
    holds = here and found is None
    difference = found if here else {"at the given point": "; ".join(lines)}
    steps = [
        Step("Setting", f"Layer: {layer_text(g)}; padding {padding!r}, claimed odd pixel "
             f"{odd_pixel} the input.", ()),
        Step("SAME", "TensorFlow fixes the output size to $\\lceil n/s\\rceil$ and pads as "
             "little as possible: with total pad $T$ the matrix has $\\lfloor (n + T - d(k-1) "
             "- 1)/s\\rfloor + 1$ rows, at least $\\lceil n/s\\rceil$ exactly when $T \\ge "
             "(\\lceil n/s\\rceil - 1)s + d(k-1) + 1 - n$.",
             (Math(r"T = \max\left(\left(\left\lceil \tfrac{n}{s}\right\rceil - 1\right)s + "
                   r"d(k-1) + 1 - n,\ 0\right)",
                   "T = max((ceil(n/s) - 1)*s + d*(k-1) + 1 - n, 0)"),)),
        Step("At this point", "; ".join(lines) + ".", (show("C", op.matrix),)),
        _compare_step(holds, "The rule, the least pad found by trying, the operator's pads"
                      + (" (and PyTorch at stride 1)" if torch_run else ""), difference, points),
    ]
    why = (TORCH_NOT_RUN if padding == "same" else
           "not run for same_lower (PyTorch has no such mode)")
    if not torch_run:
        steps.append(Step("PyTorch", f"The cross-check against PyTorch's padding='same' is "
                          f"{why}; PyTorch's agreement is not claimed.", ()))
    torch_text = f"; {TORCH_SAME_TEXT}" if torch_run else ""
    outcome = _outcome(holds, steps, difference, points,
                       domain=f"{SAME_BOUNDS_TEXT}{torch_text}")
    if not torch_run:
        outcome = replace(outcome, statement=(_torch_unchecked(
            SAME_STATEMENT, SAME_TORCH_CLAIM, "PyTorch's padding='same' at stride 1", why),
            SAME_LATEX), domain=f"{outcome.domain}; the PyTorch cross-check (padding='same' "
                                f"at stride 1) {why}")
    true_side = "after" if padding == "same" else "before"
    return _with_parametric(outcome, "same-padding", odd_pixel == true_side)


def _first_window_start(op: LinearOperator, g: Geometry, axis: int) -> int:
    """Start of row 0's window on ``axis``, read off C's index form: ``j - d*m``."""
    shape = g.input_shape
    rows0 = op.rows == 0
    cols = np.unravel_index(op.cols[rows0], shape)[axis]
    taps = np.unravel_index(op.taps[rows0], g.kernel_shape)[axis]
    return int((cols - g.dilation[axis] * taps).min())


# ---------------------------------------------------------------------------
# full-and-valid-lengths
# ---------------------------------------------------------------------------

def _geometry_rows(n: int, k: int, d: int, padding: str) -> int:
    """Rows of C for a stride-1 1-D layer as Geometry resolves ``padding``; -1 if it refuses."""
    try:
        return Geometry((n,), (k,), 1, padding, d).output_shape[0]
    except SymconvError:
        return -1


@cache
def _full_valid_sweep(full: str, valid: str) -> tuple[dict | None, int]:
    c = _grid(n=range(1, BOUNDS["n"] + 1), k=range(1, BOUNDS["k"] + 1),
              d=range(1, BOUNDS["d"] + 1))
    c["s"] = np.ones_like(c["n"])
    ext = c["d"] * (c["k"] - 1)
    zero = np.zeros_like(ext)
    fits = ext + 1 <= c["n"]
    # Rows of C as symconv's geometry resolves "full" and "valid" (the pads it really uses).
    sizes = list(zip(c["n"].tolist(), c["k"].tolist(), c["d"].tolist()))
    full_rows = np.array([_geometry_rows(n, k, d, "full") for n, k, d in sizes])
    valid_rows = np.array([_geometry_rows(n, k, d, "valid") if fit else 0
                           for (n, k, d), fit in zip(sizes, fits.tolist())])
    f_val, _ = _formula_values(full, {**c, "pb": ext, "pa": ext})
    v_val, _ = _formula_values(valid, {**c, "pb": zero, "pa": zero})
    failing = (f_val != full_rows) | (fits & (v_val != valid_rows))
    found = _smallest({**c, "full": f_val, "valid": v_val, "full_rows": full_rows,
                       "valid_rows": valid_rows}, failing, ("n", "k", "d"))
    points = len(c["n"]) + int(fits.sum())
    if found is None:
        # the train analogy at d = 1: numpy's full / valid convolution of two sequences
        for n, k in itertools.product(range(1, 17), range(1, 17)):
            a, b = np.ones(n), np.ones(k)
            if len(np.convolve(a, b, "full")) != n + k - 1 or \
                    len(np.convolve(a, b, "valid")) != max(n, k) - min(n, k) + 1:
                return {"input_shape": (n,), "kernel_shape": (k,), "numpy": "disagrees"}, points
            points += 1
        return None, points
    return {"input_shape": (found["n"],), "kernel_shape": (found["k"],),
            "dilation": found["d"], "full formula": found["full"],
            "rows of C (full)": found["full_rows"], "valid formula": found["valid"],
            "rows of C (valid)": found["valid_rows"]}, points


FULL_VALID = ("n + d*(k - 1)", "n - d*(k - 1)")


@theorem("full-and-valid-lengths", family=FAMILY,
         statement="At stride 1, full padding gives n + d(k-1) outputs (n + k - 1 = N + M - 1, "
                   "the two trains from first touch to last touch) and valid padding "
                   "n - d(k-1) (n - k + 1) when the kernel fits.",
         latex=r"\#\operatorname{rows}C_{\mathrm{full}} = n + d(k-1),\quad "
               r"\#\operatorname{rows}C_{\mathrm{valid}} = n - d(k-1)",
         parameters={"input_shape": (5,), "kernel_shape": (3,), "dilation": 1,
                     "full": FULL_VALID[0], "valid": FULL_VALID[1]},
         domain_text="every 1-D stride-1 layer with 1<=n<=64, 1<=k<=7, 1<=d<=3 (valid: "
                     "where d(k-1) + 1 <= n), windows counted; numpy.convolve lengths for "
                     "1<=N, M<=16")
def full_and_valid_lengths(input_shape, kernel_shape, dilation, full, valid) -> Outcome:
    """Rows of the full and valid correlation matrices vs the two formulas."""
    gf = Geometry(input_shape, kernel_shape, 1, "full", dilation)
    cf = correlation(gf)
    fits = all(d * (k - 1) + 1 <= n for n, k, d in zip(gf.input_shape, gf.kernel_shape,
                                                       gf.dilation))
    def formula_at(text, g, axis):
        return int(_formula_values(text, _layer_columns(g, axis))[0][0])
    f_claim = prod(formula_at(full, gf, a) for a in range(gf.ndim))
    here = cf.matrix.rows == f_claim
    displays = [show(r"C_{\mathrm{full}}", cf.matrix)]
    text = f"Full: C has {cf.matrix.rows} rows, the formula gives {f_claim}."
    v_claim = v_rows = None
    if fits:
        gv = Geometry(input_shape, kernel_shape, 1, "valid", dilation)
        cv = correlation(gv)
        v_claim = prod(formula_at(valid, gv, a) for a in range(gv.ndim))
        v_rows = cv.matrix.rows
        here &= v_rows == v_claim
        displays.append(show(r"C_{\mathrm{valid}}", cv.matrix))
        text += f" Valid: C has {v_rows} rows, the formula gives {v_claim}."
    found, points = _full_valid_sweep(full, valid)
    holds = here and found is None
    difference = found if here else {"full rows": cf.matrix.rows, "full formula": f_claim,
                                     "valid rows": v_rows, "valid formula": v_claim}
    steps = [
        Step("Setting", f"Input {_size(gf.input_shape)}, kernel {_size(gf.kernel_shape)}, "
             f"dilation {_axes(gf.dilation)}, stride 1. 'full' pads d(k-1) on both sides, so the "
             "first window touches only the first input sample and the last window only the "
             "last: like two trains of N and M carriages passing from the first touching "
             "carriage to the last, N + M - 1 positions.", ()),
        Step("Matrices", text, tuple(displays)),
        _compare_step(holds, "Rows of the full and valid matrices and the formulas",
                      difference, points),
    ]
    outcome = _outcome(holds, steps, difference, points,
                       domain="stride-1 layers with n<=64, k<=7, d<=3, windows counted, and "
                              "numpy.convolve lengths for N, M<=16")
    if (full, valid) != FULL_VALID:  # no proof for all sizes of other formulas: verified
        outcome = replace(outcome, scope="all sizes", statement=(
            f"At stride 1, full padding gives {full} outputs and valid padding {valid} when "
            "the kernel fits.", r"\#\operatorname{rows}C_{\mathrm{full}} = "
            f"{sympy.latex(parse_formula(full))},\\quad "
            r"\#\operatorname{rows}C_{\mathrm{valid}} = " f"{sympy.latex(parse_formula(valid))}"))
    return _with_parametric(outcome, "full-and-valid-lengths", (full, valid) == FULL_VALID)


# ---------------------------------------------------------------------------
# transposed-output-size and why output_padding exists
# ---------------------------------------------------------------------------

TRANSPOSED_BOUNDS = {"n": 24, "k": 7, "s": 4, "p": 3, "d": 3}
TRANSPOSED_TEXT = (f"every 1-D ConvTranspose with 1<=n<={TRANSPOSED_BOUNDS['n']}, 1<=k<=7, "
                   "1<=s<=4, 0<=p<=3, 1<=d<=3 and every output_padding 0<=op<max(s, d): "
                   "forward sizes N counted by enumerating N = 1, 2, ... and their windows; "
                   "the scatter operator compared with C(N)^T entry by entry where "
                   "n<=4, k<=3, s<=3, p<=2, d<=2")


def _preimages(c: Columns, largest: int) -> list[np.ndarray]:
    """Per point: the forward input sizes N (1..largest) whose correlation has n rows."""
    span = c["d"] * (c["k"] - 1) + 1
    hits = []
    for size in range(1, largest + 1):
        length = size + 2 * c["p"]
        rows = np.where(span <= length, count_windows(length, span, c["s"]), 0)
        hits.append(rows == c["n"])
    return hits


@cache
def _transposed_sweep(formula: str) -> tuple[dict | None, int]:
    b = TRANSPOSED_BOUNDS
    c = _grid(n=range(1, b["n"] + 1), k=range(1, b["k"] + 1), s=range(1, b["s"] + 1),
              p=range(b["p"] + 1), d=range(1, b["d"] + 1))
    largest = (b["n"] - 1) * b["s"] + b["d"] * (b["k"] - 1) + b["s"] + b["d"]
    hits = np.stack(_preimages(c, largest), axis=1)  # hits[point, N-1]
    sizes = np.arange(1, largest + 1)
    count = hits.sum(axis=1)
    base = (c["n"] - 1) * c["s"] - 2 * c["p"] + c["d"] * (c["k"] - 1) + 1
    # exactly the sizes base + op, op in [0, s), that are >= 1
    expected = np.maximum(np.minimum(c["s"], base + c["s"] - 1), 0)
    failing = count != expected
    points = 0
    for op in range(max(b["s"], b["d"])):
        allowed = (op < np.maximum(c["s"], c["d"])) & (base + op >= 1)
        values, _ = _formula_values(formula, {**c, "pb": c["p"], "pa": c["p"],
                                              "op": np.full_like(c["n"], op)})
        index = np.clip(values - 1, 0, largest - 1)
        preimage = hits[np.arange(len(index)), index] & (values >= 1)
        # op < s: the op-th preimage; op >= s (PyTorch allows op < d): not a preimage
        want = np.where(op < c["s"], preimage & (values == base + op), ~preimage)
        failing |= allowed & ~want
        points += int(allowed.sum())
    found = _smallest({**c, "count": count, "expected": expected}, failing,
                      ("n", "k", "s", "p", "d"))
    if found is not None:
        found_sizes = [int(v) for v in sizes[hits[
            np.flatnonzero(np.all([c[k] == found[k] for k in "nkspd"], axis=0))[0]]]]
        return {"input_shape": (found["n"],), "kernel_shape": (found["k"],),
                "stride": found["s"], "padding": found["p"], "dilation": found["d"],
                "forward sizes mapping to n": found_sizes}, points
    return _transposed_operator_check(formula, points)


def _transposed_operator_check(formula: str, points: int) -> tuple[dict | None, int]:
    for n, k, s, p, d in itertools.product(range(1, 5), range(1, 4), range(1, 4),
                                           range(3), range(1, 3)):
        for op in range(max(s, d)):
            try:
                tg = TransposedGeometry((n,), (k,), s, p, op, d)
            except SymconvError:
                continue
            t = transposed_convolution(tg, kernel_name="k")
            claimed = _formula_values(formula, {"n": np.array([n]), "k": np.array([k]),
                                                "s": np.array([s]), "d": np.array([d]),
                                                "pb": np.array([p]), "pa": np.array([p]),
                                                "op": np.array([op])})[0][0]
            size = t.shape[0]
            g = Geometry((size,), (k,), s, p, d)
            c = correlation(g)
            same = (c.shape[0] == n and set(zip(t.rows.tolist(), t.cols.tolist(),
                                                 t.taps.tolist()))
                    == set(zip(c.cols.tolist(), c.rows.tolist(), c.taps.tolist())))
            points += 1
            if claimed != size or (op < s and not same):
                return {"input_shape": (n,), "kernel_shape": (k,), "stride": s,
                        "padding": p, "output_padding": op, "dilation": d,
                        "formula": int(claimed), "rows of T": size}, points
    return None, points


@theorem("transposed-output-size", family=FAMILY,
         statement="The scatter-defined transposed convolution has (n-1)s - 2p + d(k-1) + op "
                   "+ 1 rows. Why output_padding exists: the forward sizes N whose correlation "
                   "has n rows are exactly N_0 + op for op = 0..s-1 with N_0 = (n-1)s - 2p + "
                   "d(k-1) + 1 (those >= 1: s of them when N_0 >= 1), each reached by exactly "
                   "one op; T is then C(N)^T. PyTorch also accepts s <= op < d when d > s: "
                   "those sizes are not preimages.",
         latex=r"\#\operatorname{rows}T = (n-1)s - 2p + d(k-1) + \mathrm{op} + 1,\quad "
               r"\{N : \#\operatorname{rows}C(N) = n\} = \{N_0 + \mathrm{op} : 0 \le "
               r"\mathrm{op} < s\}",
         parameters={"input_shape": (3,), "kernel_shape": (3,), "stride": 2, "padding": 1,
                     "output_padding": 1, "dilation": 1, "formula": TRANSPOSED_FORMULA},
         domain_text=TRANSPOSED_TEXT)
def transposed_output_size(input_shape, kernel_shape, stride, padding, output_padding,
                           dilation, formula) -> Outcome:
    """Rows of T vs the formula; the list of forward preimage sizes, one per op."""
    tg = TransposedGeometry(input_shape, kernel_shape, stride, padding, output_padding,
                            dilation)
    t = transposed_convolution(tg, kernel_name="k")
    lines, claimed = [], 1
    here = True
    for axis, (n, k, s, p, op, d) in enumerate(zip(tg.input_shape, tg.kernel_shape,
                                                   tg.stride, tg.padding, tg.output_padding,
                                                   tg.dilation)):
        cols = {"n": np.array([n]), "k": np.array([k]), "s": np.array([s]),
                "p": np.array([p]), "d": np.array([d]), "pb": np.array([p]),
                "pa": np.array([p]), "op": np.array([op])}
        value = int(_formula_values(formula, cols)[0][0])
        claimed *= value
        largest = (n - 1) * s + d * (k - 1) + s + d
        hits = _preimages(cols, largest)
        sizes = [size + 1 for size, h in enumerate(hits) if h[0]]
        base = (n - 1) * s - 2 * p + d * (k - 1) + 1
        ops = {size: size - base for size in sizes}
        here &= value == tg.output_shape[axis] and all(0 <= o < s for o in ops.values())
        here &= (op < s) == (base + op in sizes)
        lines.append(f"axis {axis}: forward sizes N with {n} windows: {sizes} = N_0 + op for "
                     f"op in {sorted(ops.values())} (N_0 = {base}); this layer's op = {op} "
                     f"gives {base + op}")
    c = correlation(tg.forward())
    transpose_ok = (c.shape[0] == prod(tg.input_shape) and
                    set(zip(t.rows.tolist(), t.cols.tolist(), t.taps.tolist()))
                    == set(zip(c.cols.tolist(), c.rows.tolist(), c.taps.tolist())))
    preimage = all(op < s for op, s in zip(tg.output_padding, tg.stride))
    here &= claimed == t.matrix.rows and transpose_ok == preimage
    found, points = _transposed_sweep(formula)
    holds = here and found is None
    difference = found if here else {"formula": claimed, "rows of T": t.matrix.rows,
                                     "T equals C(N)^T": transpose_ok}
    steps = [
        Step("Setting", f"ConvTranspose: input {_size(tg.input_shape)}, kernel "
             f"{_size(tg.kernel_shape)}, stride {_axes(tg.stride)}, padding "
             f"{_axes(tg.padding)}, output_padding {_axes(tg.output_padding)}, dilation "
             f"{_axes(tg.dilation)}.",
             (Math(r"T_{s j - p + d m,\; j} \mathrel{+}= k_m",
                   "T[s*j - p + d*m, j] += k[m]  (scatter rule, kept when inside the output)"),)),
        Step("Rows", f"T is {t.matrix.rows} x {t.matrix.cols}; the formula `{formula}` gives "
             f"{claimed}.", (show("T", t.matrix),)),
        Step("Why output_padding exists", "The forward correlation floors: "
             "$\\lfloor (N + 2p - d(k-1) - 1)/s \\rfloor + 1 = n$ holds for $s$ consecutive "
             "sizes $N$. The transposed layer must pick one; output_padding says which. "
             + "; ".join(lines) + ".",
             (Math(r"N_0 = (n-1)s - 2p + d(k-1) + 1,\quad N = N_0 + \mathrm{op},\ "
                   r"0 \le \mathrm{op} < s",
                   "N_0 = (n-1)*s - 2p + d*(k-1) + 1, N = N_0 + op, 0 <= op < s"),)),
        Step("Transpose", ("With that N, T equals the transpose of the forward correlation "
             "matrix C(N), entry by entry." if transpose_ok else "Here op >= s (PyTorch "
             "accepts op < max(s, d)): N is not a preimage, C(N) has "
             f"{c.shape[0]} rows and T is not C(N)^T."), (show("C(N)", c.matrix),)),
        _compare_step(holds, "Rows of T, the formula and the enumerated forward sizes",
                      difference, points),
    ]
    outcome = _outcome(holds, steps, difference, points, domain=TRANSPOSED_TEXT)
    if formula != TRANSPOSED_FORMULA:
        return for_all_sizes_of_formula(
            outcome, formula, "transposed_output_size", {"torch": frozenset(
                {"n", "k", "s", "p", "d", "op"})}, "the number of rows of the transposed "
            "convolution T per axis (PyTorch ConvTranspose output size)",
            r"\#\operatorname{rows}(T)")
    return _with_parametric(outcome, "transposed-output-size", True)


# ---------------------------------------------------------------------------
# pool-output-size
# ---------------------------------------------------------------------------

POOL_TEXT_BASE = ("every 1-D PyTorch pooling with 1<=n<=64, 1<=k<=7, 1<=s<=4, 0<=p<=k/2, "
                  "1<=d<=3, ceil_mode False and True, windows counted (floor: inside the "
                  "padded input; ceil: fewest windows covering it, minus one starting in the "
                  "right padding); max_pool's windows built where n<=8, k<=3, s<=3, d<=2")
POOL_TORCH_TEXT = "torch.nn.functional.max_pool1d output length where n<=20"
POOL_TEXT = f"{POOL_TEXT_BASE}; {POOL_TORCH_TEXT}"


def pool_formula(n, k, s, p, d, ceil_mode, drop_rule=True):
    """The closed form (vectorised): floor or ceil of ``(n + 2p - d(k-1) - 1)/s`` plus one."""
    span = d * (k - 1) + 1
    top = n + 2 * p - span
    out = (top + (s - 1) * ceil_mode) // s + 1
    if drop_rule:
        out = out - (ceil_mode & ((out - 1) * s >= n + p))
    return out


def _pool_truth(c: Columns) -> np.ndarray:
    """Windows by counting: floor mode fit, ceil mode cover, minus a right-padding start."""
    span = c["d"] * (c["k"] - 1) + 1
    length = c["n"] + 2 * c["p"]
    inside = count_windows(length, span, c["s"])
    cover = np.zeros_like(inside)
    for m in range(1, int(length.max()) + 1):  # least m with s(m-1) + span >= length
        cover = np.where((cover == 0) & (c["s"] * (m - 1) + span >= length), m, cover)
    last_in_pad = (cover - 1) * c["s"] - c["p"] >= c["n"]
    return np.where(c["ceil"] == 1, cover - last_in_pad, inside)


@cache
def _pool_sweep(drop_rule: bool, with_torch: bool) -> tuple[dict | None, int]:
    """The smallest failure of the closed form, and the points checked.

    ``with_torch``: also compare with the output length of PyTorch's max_pool1d.
    """
    c = _grid(n=range(1, 65), k=range(1, 8), s=range(1, 5), p=range(4), d=range(1, 4),
              ceil=range(2))
    c = _where(c, (2 * c["p"] <= c["k"]) & (c["d"] * (c["k"] - 1) + 1 <= c["n"] + 2 * c["p"]))
    truth = _pool_truth(c)
    claimed = pool_formula(c["n"], c["k"], c["s"], c["p"], c["d"], c["ceil"], drop_rule)
    valid = truth >= 1
    found = _smallest({**c, "formula": claimed, "windows": truth}, valid & (claimed != truth),
                      ("n", "k", "s", "p", "d", "ceil"))
    points = int(valid.sum())
    if found is None:
        found, extra = _pool_operator_check(drop_rule, with_torch)
        points += extra
    if found is None:
        return None, points
    return {"input_shape": (found["n"],), "kernel_shape": (found["k"],), "stride": found["s"],
            "padding": found["p"], "dilation": found["d"], "ceil_mode": bool(found["ceil"]),
            "formula": found["formula"], "windows": found["windows"]}, points


def _pool_operator_check(drop_rule: bool, with_torch: bool) -> tuple[dict | None, int]:
    if not with_torch:
        return _pool_loop(None, drop_rule)
    import torch

    with _single_thread(torch):
        return _pool_loop(torch, drop_rule)


def _pool_loop(torch, drop_rule: bool) -> tuple[dict | None, int]:
    """The formula vs max_pool's windows (small points) and torch's length (when given).

    A point counts only when something other than the formula was computed there.
    """
    if torch is not None:
        import torch.nn.functional as F  # noqa: N812
    points = 0
    for n, k, s, p, d, ceil in itertools.product(range(1, 21), range(1, 8), range(1, 5),
                                                 range(4), range(1, 4), (False, True)):
        built = n <= 8 and k <= 3 and s <= 3 and d <= 2
        if 2 * p > k or not (built or torch is not None):
            continue
        try:
            g = PoolGeometry((n,), (k,), s, p, d, ceil)
        except SymconvError:
            continue
        claimed = int(pool_formula(n, k, s, p, d, ceil, drop_rule))
        windows = len(max_pool(g).windows) if built else claimed
        length = windows
        if torch is not None:
            x = torch.zeros(1, 1, n)
            length = F.max_pool1d(x, k, s, p, d, ceil_mode=ceil).shape[-1]
        points += 1
        if not claimed == windows == length:
            return {"n": n, "k": k, "s": s, "p": p, "d": d, "ceil": int(ceil),
                    "formula": claimed, "windows": windows if windows != claimed else length
                    }, points
    return None, points


POOL_TORCH_CLAIM = " and the output length of torch.nn.functional.max_pool1d."
POOL_STATEMENT = ("PyTorch pooling has floor((n + 2p - d(k-1) - 1)/s) + 1 windows, with "
                  "ceil_mode the ceiling instead, minus one when that last window would start "
                  "in the right padding (at or past n + p): the number of windows of max_pool"
                  + POOL_TORCH_CLAIM)
POOL_LATEX = (r"\#\operatorname{windows} = \left\lceil \frac{n + 2p - d(k-1) - 1}{s}"
              r"\right\rceil + 1 - [\,(\mathrm{out}-1)s \ge n + p\,]")


@theorem("pool-output-size", family=FAMILY, statement=POOL_STATEMENT, latex=POOL_LATEX,
         parameters={"input_shape": (5,), "kernel_shape": (2,), "stride": 2, "padding": 0,
                     "dilation": 1, "ceil_mode": True, "drop_rule": True},
         domain_text=POOL_TEXT)
def pool_output_size(input_shape, kernel_shape, stride, padding, dilation, ceil_mode,
                     drop_rule) -> Outcome:
    """Windows of ``max_pool`` and of torch vs the closed form (with or without the drop)."""
    g = PoolGeometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)
    mp = max_pool(g)
    per_axis = [int(pool_formula(n, k, s, p, d, ceil_mode, drop_rule)) for n, k, s, p, d in
                zip(g.input_shape, g.kernel_shape, g.stride, g.padding, g.dilation)]
    claimed = prod(per_axis)
    here = claimed == len(mp.windows)
    x = sympy.Array(_symbols_of(g.input_shape))
    y = mp.apply(x.reshape(1, *g.input_shape))
    torch_run = optional_backend("torch") is not None
    found, points = _pool_sweep(bool(drop_rule), torch_run)
    holds = here and found is None
    difference = found if here else {"formula": claimed, "windows of max_pool":
                                     len(mp.windows)}
    windows_text = ", ".join(str(tuple(w)) for w in mp.windows[:12])
    steps = [
        Step("Setting", f"Pooling: input {_size(g.input_shape)}, window "
             f"{_size(g.kernel_shape)}, stride {_axes(g.stride)}, padding {_axes(g.padding)}, "
             f"dilation {_axes(g.dilation)}, ceil_mode {ceil_mode}.", ()),
        Step("Windows", f"max_pool has {len(mp.windows)} windows (flat input positions: "
             f"{windows_text}{' ...' if len(mp.windows) > 12 else ''}).",
             (show("y", y),)),
        Step("Formula", f"The closed form gives {per_axis} per axis"
             f"{'' if drop_rule else ' (without the right-padding drop rule)'}.",
             (Math(r"\mathrm{out} = \left\lceil \frac{n + 2p - d(k-1) - 1}{s}\right\rceil + 1"
                   r" - [\,(\mathrm{out}-1)s \ge n + p\,]",
                   "out = ceil((n + 2p - d(k-1) - 1)/s) + 1, minus 1 if (out-1)*s >= n + p"),)),
        _compare_step(holds, "Windows of max_pool, counted windows, "
                      f"{'torch ' if torch_run else ''}and the formula", difference, points),
    ]
    outcome = _outcome(holds, steps, difference, points,
                       domain=POOL_TEXT if torch_run else POOL_TEXT_BASE)
    if not torch_run:
        steps.append(Step("PyTorch", "The cross-check against the output length of "
                          f"torch.nn.functional.max_pool1d is {TORCH_NOT_RUN}; only "
                          "max_pool's windows and the counted windows were compared.", ()))
        outcome = replace(outcome, steps=tuple(steps), statement=(_torch_unchecked(
            POOL_STATEMENT, POOL_TORCH_CLAIM, "the output length of "
            "torch.nn.functional.max_pool1d"), POOL_LATEX),
            domain=f"{outcome.domain}; the cross-check against {POOL_TORCH_TEXT} "
                   f"{TORCH_NOT_RUN}")
    return _with_parametric(outcome, "pool-output-size", bool(drop_rule))


def _symbols_of(shape: Sequence[int]) -> list:
    return [sympy.Symbol(f"x_{{{','.join(map(str, idx))}}}")
            for idx in itertools.product(*map(range, shape))]


# ---------------------------------------------------------------------------
# receptive-field
# ---------------------------------------------------------------------------

RF_TEXT = ("every chain of 1 or 2 layers with k<=3, s<=2, p<=1, d<=2 on an input of 20 "
           "(the composed operator built, every interior row compared)")


def closed_form_field(layers: Sequence[tuple[int, int, int, int]], upto: str = "previous"
                      ) -> tuple[int, int, int]:
    """``(r, S, P)``: receptive field, effective stride, effective left padding of a chain.

    ``upto="previous"`` uses the product of the strides *before* each layer (correct);
    ``"including"`` multiplies in the layer's own stride too (a planted error).

    Examples
    --------
    >>> closed_form_field(((3, 1, 1, 1), (2, 2, 0, 1), (3, 1, 0, 2)))
    (12, 2, 1)
    """
    r, jump, start = 1, 1, 0
    for k, s, p, d in layers:
        factor = jump * s if upto == "including" else jump
        r += d * (k - 1) * factor
        start += p * factor
        jump *= s
    return r, jump, start


def composed_operator(n: int, layers: Sequence[tuple[int, int, int, int]]
                      ) -> tuple[np.ndarray, list[int]]:
    """Product of the layers' correlation matrices with every kernel entry 1, and sizes."""
    sizes, composed = [n], np.eye(n, dtype=np.int64)
    for k, s, p, d in layers:
        op = correlation(Geometry((sizes[-1],), (k,), s, p, d))
        composed = op.numeric(np.ones((1, 1, k))).astype(np.int64) @ composed
        sizes.append(op.output_shape[1])
    return composed, sizes


def _interior(o: int, layers, sizes) -> bool:
    """Whether output ``o`` reads no padding at any layer (its windows are all real)."""
    low = high = o
    for (k, s, p, d), size in zip(reversed(layers), reversed(sizes[:-1])):
        low, high = low * s - p, high * s - p + d * (k - 1)
        if low < 0 or high > size - 1:
            return False
    return True


def _field_mismatch(n: int, layers, upto: str) -> dict | None:
    composed, sizes = composed_operator(n, layers)
    r, jump, start = closed_form_field(layers, upto)
    for o in range(composed.shape[0]):
        if not _interior(o, layers, sizes):
            continue
        support = np.flatnonzero(composed[o])
        first, last = int(support[0]), int(support[-1])
        if first != o * jump - start or last - first + 1 != r:
            return {"row": o, "support": (first, last),
                    "closed form": (o * jump - start, o * jump - start + r - 1)}
    return None


@cache
def _field_sweep(upto: str) -> tuple[dict | None, int]:
    one = list(itertools.product(range(1, 4), range(1, 3), range(2), range(1, 3)))
    chains = [(a,) for a in one] + list(itertools.product(one, one))
    for chain in chains:
        try:
            found = _field_mismatch(20, chain, upto)
        except SymconvError:
            continue
        if found is not None:
            return {"layers": chain, **found}, len(chains)
    return None, len(chains)


def _network_field(n: int, layers) -> tuple:
    from ..network import shape as network_shape

    texts = [f"conv(1, k={k}, s={s}, p={p}, d={d})" for k, s, p, d in layers]
    last = network_shape(f"1x{n}", texts)[-1]
    return last.receptive_field[0], last.effective_stride[0], last.effective_padding[0]


def _one_axis(name: str, shape: Any) -> tuple[int]:
    """A 1-D shape ``(n,)`` (an int is taken as one)."""
    shape = (shape,) if is_integer(shape) else shape
    if not (isinstance(shape, (tuple, list)) and len(shape) == 1 and is_integer(shape[0])):
        raise TheoremError(describe(name, shape, "must be a 1-D size (one integer)", "e.g. (24,)"))
    return (int(shape[0]),)


def _chain_layers(layers: Any) -> tuple[tuple[int, int, int, int], ...]:
    """A non-empty chain of ``(k, s, p, d)`` integer 4-tuples, each checked by the geometry."""
    if not (isinstance(layers, (tuple, list)) and layers and all(
            isinstance(layer, (tuple, list)) and len(layer) == 4 and all(map(is_integer, layer))
            for layer in layers)):
        raise TheoremError(describe("layers", layers, "must be a non-empty chain of integer "
                                    "(k, s, p, d) 4-tuples", "e.g. ((3, 1, 1, 1), (2, 2, 0, 1))"))
    return tuple(tuple(int(v) for v in layer) for layer in layers)


@theorem("receptive-field", family=FAMILY,
         statement="For a chain of layers (k_l, s_l, p_l, d_l), every interior row of the "
                   "composed operator C_L ... C_1 is supported on the r = 1 + sum_l d_l(k_l-1) "
                   "prod_{i<l} s_i consecutive inputs starting at o S - P, with effective "
                   "stride S = prod s_l and effective left padding P = sum_l p_l prod_{i<l} "
                   "s_i; so deeper units have larger receptive fields (strictly, for k_l >= 2).",
         latex=r"r_L = 1 + \sum_{l=1}^{L} d_l (k_l - 1) \prod_{i<l} s_i,\quad "
               r"S_L = \prod_{l} s_l,\quad P_L = \sum_l p_l \prod_{i<l} s_i",
         parameters={"input_shape": (24,), "layers": ((3, 1, 1, 1), (2, 2, 0, 1),
                                                      (3, 1, 0, 2)),
                     "product_upto": "previous"},
         domain_text=RF_TEXT)
def receptive_field(input_shape, layers, product_upto) -> Outcome:
    """Support of interior rows of the composed 0/1 operator vs the closed forms."""
    if product_upto not in ("previous", "including"):
        raise TheoremError(f"product_upto must be 'previous' or 'including', got "
                           f"{product_upto!r}")
    (n,) = _one_axis("input_shape", input_shape)
    layers = _chain_layers(layers)
    composed, sizes = composed_operator(n, layers)
    lines, depth_fields = [], []
    here = True
    for depth in range(1, len(layers) + 1):
        prefix = layers[:depth]
        r, jump, start = closed_form_field(prefix, product_upto)
        mismatch = _field_mismatch(n, prefix, product_upto)
        network = _network_field(n, prefix)
        here &= mismatch is None and (product_upto != "previous" or network == (r, jump, start))
        depth_fields.append(r)
        lines.append(f"after layer {depth}: r = {r}, S = {jump}, P = {start}"
                     + ("" if mismatch is None else f" (row {mismatch['row']}: support "
                        f"{mismatch['support']}, closed form {mismatch['closed form']})")
                     + f"; network.shape gives {network}")
    growing = all(a < b for a, b in zip(depth_fields, depth_fields[1:]))
    found, points = _field_sweep(product_upto)
    holds = here and found is None
    difference = found if here else {"layers": layers, "fields": "; ".join(lines)}
    interior = [o for o in range(composed.shape[0]) if _interior(o, layers, sizes)]
    steps = [
        Step("Setting", f"Input {n}; layers (k, s, p, d) = {layers}; sizes {sizes}.", ()),
        Step("Composed operator", "Each layer's correlation matrix with every kernel entry 1; "
             "the product counts paths from input to output, so its nonzeros are exactly the "
             f"inputs a unit depends on. Interior rows (no padding read at any layer): "
             f"{interior}.", (show(r"C_L \cdots C_1", sympy.Matrix(composed)),)),
        Step("Closed forms", "; ".join(lines) + ".",
             (Math(r"r_L = 1 + \sum_l d_l (k_l - 1) \prod_{i<l} s_i",
                   "r_L = 1 + sum_l d_l (k_l - 1) prod_{i<l} s_i"),)),
        Step("Deeper units see more (seed 001)", "Receptive field by depth: "
             f"{depth_fields}: {'strictly increasing' if growing else 'not strictly increasing'}"
             "; each layer adds d_l(k_l - 1) times the stride product before it, which is "
             ">= 1 exactly when k_l >= 2.", ()),
        _compare_step(holds, "Supports of the interior rows and the closed forms", difference,
                      points),
    ]
    outcome = _outcome(holds, steps, difference, points, domain=f"the given chain (exact "
                       f"integer matrices) and {RF_TEXT}", evidence=("exhaustive",))
    return _with_parametric(outcome, "receptive-field", product_upto == "previous")


# ---------------------------------------------------------------------------
# parameter-count and mac-count
# ---------------------------------------------------------------------------

ONE_CHANNEL = {"in_channels": 1, "out_channels": 1, "groups": 1}
CHANNELS = ((1, 1, 1), (2, 2, 1), (2, 2, 2), (4, 2, 2), (3, 6, 3))
SMALL_TEXT = (f"every 1-D layer of every padding convention with n<={OPERATOR_BOUNDS['n']}, "
              f"k<={OPERATOR_BOUNDS['k']}, s<={OPERATOR_BOUNDS['s']}, "
              f"p<={OPERATOR_BOUNDS['p']}, d<={OPERATOR_BOUNDS['d']} (operator built), the "
              "int-padded ones also with (C_in, C_out, groups) in " + str(CHANNELS))


@cache
def _parameter_sweep(claim: str) -> tuple[dict | None, int]:
    points, failures = 0, []
    for convention in CONVENTIONS:
        t = operator_table()[convention]
        reach = _reaching_taps(t)
        want = t["k"] if claim == "unconditional" else reach
        found = _smallest({**t, "reaching": reach, "want": want}, t["taps"] != want,
                          _LAYER_KEYS)
        if found is not None:
            failures.append((sum(found[k] for k in _LAYER_KEYS), convention, found))
        points += len(t["n"])
    if failures:
        _, convention, found = min(failures, key=lambda f: f[0])
        return {**_layer_counterexample(convention, found), **ONE_CHANNEL,
                "distinct symbols in C":
                found["taps"], "claimed": found["want"]}, points
    t = operator_table()["int"]
    reach = _reaching_taps(t)
    for cin, cout, groups in CHANNELS:
        for row in range(len(t["n"])):
            n, k, s, d, p = (int(t[v][row]) for v in ("n", "k", "s", "d", "pb"))
            op = correlation(Geometry((n,), (k,), s, p, d), cin, cout, groups)
            want = cout * (cin // groups) * (k if claim == "unconditional" else int(reach[row]))
            points += 1
            if len(set(op.taps.tolist())) != want:
                return {"input_shape": (n,), "kernel_shape": (k,), "stride": s,
                        "padding": p, "dilation": d, "in_channels": cin,
                        "out_channels": cout, "groups": groups,
                        "distinct symbols in C": len(set(op.taps.tolist())),
                        "claimed": want}, points
    return None, points


def _reach_per_axis(g: Geometry) -> list[int]:
    return [int(_reaching_taps(_layer_columns(g, a))[0]) for a in range(g.ndim)]


LAYER_PARAMETERS = {"input_shape": (4, 4), "kernel_shape": (3, 3), "stride": 1, "padding": 0,
                    "dilation": 1, "in_channels": 4, "out_channels": 6, "groups": 2}


@theorem("parameter-count", family=FAMILY,
         statement="The distinct kernel symbols in C number C_out (C_in/groups) times the "
                   "taps that reach the input for some output, which is the parameter count "
                   "C_out (C_in/groups) prod k (no bias) whenever every tap reaches the input "
                   "(always without padding); the transposed layer has the same count. "
                   "claim='unconditional' drops the condition.",
         latex=r"\#\{\text{symbols in } C\} = C_{\mathrm{out}}\,\tfrac{C_{\mathrm{in}}}{g}"
               r"\prod_a \#\{m_a \text{ reaching}\} = C_{\mathrm{out}}\,\tfrac{C_{\mathrm{in}}}"
               r"{g}\prod_a k_a",
         parameters={**LAYER_PARAMETERS, "claim": "reaching"},
         domain_text=SMALL_TEXT)
def parameter_count(input_shape, kernel_shape, stride, padding, dilation, in_channels,
                    out_channels, groups, claim) -> Outcome:
    """Free symbols of C (and of the matching transposed T) vs the parameter count."""
    if claim not in ("reaching", "unconditional"):
        raise TheoremError(f"claim must be 'reaching' or 'unconditional', got {claim!r}")
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    c = correlation(g, in_channels, out_channels, groups)
    distinct = len(c.matrix.free_symbols)
    params = out_channels * (in_channels // groups) * prod(g.kernel_shape)
    reach = _reach_per_axis(g)
    reaching = out_channels * (in_channels // groups) * prod(reach)
    want = params if claim == "unconditional" else reaching
    here = distinct == want
    t_text, displays = "", [show("C", c.matrix)]
    if all(b == a for b, a in g.pads):
        from .structure import matching_transposed

        tg = matching_transposed(g, tuple(b for b, _ in g.pads))
        t = transposed_convolution(tg, in_channels=out_channels, out_channels=in_channels,
                                   groups=groups)
        t_distinct = len(t.matrix.free_symbols)
        t_params = prod(t.kernel.shape)
        here &= t_params == params and t_distinct == distinct
        t_text = (f" The transposed layer mapping back ({out_channels} -> {in_channels} "
                  f"channels) has weight layout {tuple(t.kernel.shape)}: {t_params} "
                  f"parameters, {t_distinct} distinct symbols in T.")
    found, points = _parameter_sweep(claim)
    holds = here and found is None
    difference = found if here else {"distinct symbols in C": distinct, "claimed": want,
                                     "parameters": params}
    steps = [
        Step("Setting", f"Layer: {layer_text(g)}; channels {in_channels} -> {out_channels}, "
             f"groups {groups}.", ()),
        Step("Parameters", f"Kernel layout {tuple(c.kernel.shape)}: C_out (C_in/groups) prod k "
             f"= {out_channels}*{in_channels // groups}*{prod(g.kernel_shape)} = {params}. "
             f"Taps reaching the input per axis: {reach} of {list(g.kernel_shape)}.", ()),
        Step("Symbols in C", f"C is {c.matrix.rows} x {c.matrix.cols} and holds {distinct} "
             f"distinct kernel symbols, each repeated along the rows (parameter sharing)."
             + t_text, tuple(displays)),
        _compare_step(holds, "Distinct symbols and the count", difference, points),
    ]
    return _with_parametric(_outcome(holds, steps, difference, points, domain=SMALL_TEXT),
                            "parameter-count", claim == "reaching")


MAC_TEXT = DOMAIN_TEXT + "; (output, tap) pairs counted one by one"


@cache
def _mac_sweep(claim: str) -> tuple[dict | None, int]:
    points, failures = 0, []
    for convention in CONVENTIONS:
        c = layer_points(convention)
        inside, padded = _tap_pairs(c)
        rows = _steps_window(c)[0]
        naive = rows * c["k"]
        macs = naive if claim == "naive" else inside
        t = operator_table()[convention]
        t_inside, _ = _tap_pairs(t)
        t_macs = t["rows"] * t["k"] if claim == "naive" else t_inside
        bad = _smallest({**c, "macs": macs, "nnz": inside, "naive": naive},
                        (macs != inside) | (inside + padded != naive), _LAYER_KEYS)
        op_bad = _smallest({**t, "macs": t_macs, "nnz": t["nnz"], "naive": t["rows"] * t["k"]},
                           t_macs != t["nnz"], _LAYER_KEYS)
        failures += [(sum(f[k] for k in _LAYER_KEYS), convention, f) for f in (op_bad, bad)
                     if f is not None]
        points += len(c["n"]) + len(t["n"])
    if not failures:
        return None, points
    _, convention, found = min(failures, key=lambda f: f[0])
    return {**_layer_counterexample(convention, found), **ONE_CHANNEL,
            "claimed MACs": found["macs"],
            "nonzeros of C": found["nnz"], "naive count": found["naive"]}, points


def _network_conv(g: Geometry, padding: Any, cin: int, cout: int, groups: int):
    from ..network import shape as network_shape

    if not isinstance(padding, (int, str)):
        return None
    k = ", ".join(map(str, g.kernel_shape))
    layer = (f"conv({cout}, k=({k},), s={g.stride[0]}, p={padding}, d={g.dilation[0]}, "
             f"groups={groups}, bias=false)")
    if len(set(g.stride)) > 1 or len(set(g.dilation)) > 1:
        return None
    report = network_shape("x".join(map(str, (cin, *g.input_shape))), [layer])[0]
    return report.macs, report.macs_nonzero


@theorem("mac-count", family=FAMILY,
         statement="Counting one multiply-add per structural nonzero of C (all kernel symbols "
                   "nonzero), a layer costs nnz(C) MACs; the naive out_size C_out (C_in/groups) "
                   "prod k overcounts by exactly the taps that land on zero padding. "
                   "claim='naive' says the naive count is nnz(C).",
         latex=r"\mathrm{MACs} = \operatorname{nnz}(C) = \mathrm{out}\,C_{\mathrm{out}}"
               r"\tfrac{C_{\mathrm{in}}}{g}\prod k - \#\{\text{taps on padding}\}",
         parameters={"input_shape": (5, 5), "kernel_shape": (3, 3), "stride": 1, "padding": 1,
                     "dilation": 1, "in_channels": 2, "out_channels": 3, "groups": 1,
                     "claim": "nonzeros"},
         domain_text=MAC_TEXT)
def mac_count(input_shape, kernel_shape, stride, padding, dilation, in_channels,
              out_channels, groups, claim) -> Outcome:
    """nnz(C) vs (output, tap) pairs on the input; naive - nnz = taps on padding."""
    if claim not in ("nonzeros", "naive"):
        raise TheoremError(f"claim must be 'nonzeros' or 'naive', got {claim!r}")
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    c = correlation(g, in_channels, out_channels, groups)
    nnz = len(c.matrix.todok())
    blocks = out_channels * (in_channels // groups)
    pairs = [_tap_pairs(_layer_columns(g, a)) for a in range(g.ndim)]
    inside = blocks * prod(int(i[0]) for i, _ in pairs)
    naive = prod(g.output_shape) * blocks * prod(g.kernel_shape)
    padded = naive - inside
    claimed = naive if claim == "naive" else inside
    network = _network_conv(g, padding, in_channels, out_channels, groups)
    here = nnz == claimed and (network is None or network == (naive, nnz))
    found, points = _mac_sweep(claim)
    holds = here and found is None
    difference = found if here else {"claimed MACs": claimed, "nonzeros of C": nnz,
                                     "naive count": naive}
    steps = [
        Step("Setting", f"Layer: {layer_text(g)}; channels {in_channels} -> {out_channels}, "
             f"groups {groups}.", ()),
        Step("Nonzeros", f"C is {c.matrix.rows} x {c.matrix.cols} with {nnz} structural "
             "nonzeros: one multiply-add each.", (show("C", c.matrix),)),
        Step("Two counts", f"Naive: out_size * C_out * C_in/groups * prod k = "
             f"{prod(g.output_shape)}*{out_channels}*{in_channels // groups}*"
             f"{prod(g.kernel_shape)} = {naive}. (output, tap) pairs landing on the input, "
             f"counted: {inside}; on padding: {padded} = naive - nnz."
             + ("" if network is None else f" network.shape reports macs {network[0]}, "
                f"macs_nonzero {network[1]}."), ()),
        _compare_step(holds, "The MAC count and the nonzeros of C", difference, points),
    ]
    return _with_parametric(_outcome(holds, steps, difference, points, domain=MAC_TEXT),
                            "mac-count", claim == "nonzeros")


# ---------------------------------------------------------------------------
# fc-vs-conv-cost (seed 001)
# ---------------------------------------------------------------------------

FC_TEXT = ("every 2-D one-channel valid layer with 1<=H, W<=6, kernels 1..3 per axis, stride "
           "1..2 (both operators' index forms built)")


def fc_and_conv_counts(g: Geometry) -> dict[str, int]:
    """Parameters and multiply-adds read off the operators' index forms (one channel).

    The fully connected layer is the dense matrix with one independent symbol per
    (output, input) pair; the convolution is C. Parameters = distinct symbols,
    multiply-adds = structural nonzeros.

    Examples
    --------
    >>> fc_and_conv_counts(Geometry((32, 32), (2, 2)))["fc_params"]
    984064
    """
    c = correlation(g)
    n_in, n_out = prod(g.input_shape), prod(g.output_shape)
    fc_rows = np.repeat(np.arange(n_out), n_in)
    fc_cols = np.tile(np.arange(n_in), n_out)
    fc_taps = np.arange(n_in * n_out)
    return {"fc_params": _distinct(fc_taps),
            "fc_macs": _distinct(fc_rows * n_in + fc_cols),
            "conv_params": _distinct(c.taps),
            "conv_macs": _distinct(c.rows * n_in + c.cols),
            "inputs": n_in, "outputs": n_out}


def _distinct(values: np.ndarray) -> int:
    """Number of distinct integers (sort-based)."""
    ordered = np.sort(values, kind="stable")
    return int(len(ordered) and np.count_nonzero(np.diff(ordered)) + 1)


@cache
def _fc_sweep() -> tuple[dict | None, int]:
    points = 0
    for h, w, kh, kw, s in itertools.product(range(1, 7), range(1, 7), range(1, 4),
                                             range(1, 4), range(1, 3)):
        if kh > h or kw > w:
            continue
        counts = fc_and_conv_counts(Geometry((h, w), (kh, kw), s))
        n_in, n_out, k = counts["inputs"], counts["outputs"], kh * kw
        points += 1
        if (Fraction(counts["fc_params"], counts["conv_params"]) != Fraction(n_in * n_out, k)
                or Fraction(counts["fc_macs"], counts["conv_macs"]) != Fraction(n_in, k)):
            return {"input_shape": (h, w), "kernel_shape": (kh, kw), "stride": s,
                    **counts}, points
    return None, points


@theorem("fc-vs-conv-cost", family=FAMILY,
         statement="Seed 001: for a 32x32 input, a 2x2 kernel, stride 1, one channel, a fully "
                   "connected layer with the conv's 31x31 outputs has (32*32)(31*31) = 984064 "
                   "parameters and multiply-adds, the conv 4 parameters and 31*31*4 = 3844 "
                   "multiply-adds: ratios 246016 and 256. In general (valid padding) the "
                   "ratios are n_in n_out / prod k and n_in / prod k.",
         latex=r"\frac{\#\mathrm{params}(W)}{\#\mathrm{params}(C)} = \frac{n_{\mathrm{in}}"
               r"n_{\mathrm{out}}}{\prod k},\quad \frac{\operatorname{nnz}(W)}"
               r"{\operatorname{nnz}(C)} = \frac{n_{\mathrm{in}}}{\prod k}",
         parameters={"input_shape": (32, 32), "kernel_shape": (2, 2), "stride": 1,
                     "params_ratio": "closed", "macs_ratio": "closed"},
         domain_text=FC_TEXT)
def fc_vs_conv_cost(input_shape, kernel_shape, stride, params_ratio, macs_ratio) -> Outcome:
    """Distinct symbols and nonzeros of the dense FC matrix and of C, and their ratios."""
    from ..network import fc_vs_conv

    g = Geometry(input_shape, kernel_shape, stride)
    counts = fc_and_conv_counts(g)
    c = correlation(g)
    entries = c.matrix.todok()
    conv_symbols = len(set().union(*(v.free_symbols for v in entries.values())))
    conv_nnz = len(entries)
    n_in, n_out, k = counts["inputs"], counts["outputs"], prod(g.kernel_shape)
    p_ratio = Fraction(counts["fc_params"], counts["conv_params"])
    m_ratio = Fraction(counts["fc_macs"], counts["conv_macs"])
    p_claim = (Fraction(n_in * n_out, k) if params_ratio == "closed" else
               exact_number("params_ratio", params_ratio))
    m_claim = (Fraction(n_in, k) if macs_ratio == "closed" else
               exact_number("macs_ratio", macs_ratio))
    reference = fc_vs_conv(g.input_shape, g.kernel_shape, g.stride)
    here = (p_ratio == p_claim and m_ratio == m_claim and conv_symbols == counts["conv_params"]
            and conv_nnz == counts["conv_macs"]
            and (reference.fc_params, reference.conv_params, reference.fc_macs,
                 reference.conv_macs) == (counts["fc_params"], counts["conv_params"],
                                          counts["fc_macs"], counts["conv_macs"]))
    found, points = _fc_sweep()
    holds = here and found is None
    difference = found if here else {"params ratio": str(p_ratio), "claimed params ratio":
                                     str(p_claim), "MACs ratio": str(m_ratio),
                                     "claimed MACs ratio": str(m_claim)}
    small = correlation(Geometry((3, 3), g.kernel_shape if max(g.kernel_shape) <= 3 else
                                 (2, 2)))
    steps = [
        Step("Setting", f"Input {_size(g.input_shape)} ({n_in} units), kernel "
             f"{_size(g.kernel_shape)}, stride {_axes(g.stride)}, valid: {n_out} outputs. "
             "Seed 001 says the fully connected layer has 24.6 'wan' (10^4) times the "
             "parameters and 256 times the multiply-adds of the conv.", ()),
        Step("Fully connected", f"W is {n_out} x {n_in} with an independent symbol in every "
             f"entry: {counts['fc_params']} distinct symbols (parameters) and "
             f"{counts['fc_macs']} nonzeros (multiply-adds).", ()),
        Step("Convolution", f"C is {c.matrix.rows} x {c.matrix.cols} with {conv_symbols} "
             f"distinct symbols and {conv_nnz} nonzeros ({n_out} rows x {k} taps). The same "
             "structure on a 3x3 input:", (show("C_{3 \\times 3}", small.matrix),)),
        Step("Ratios", f"parameters {counts['fc_params']}/{counts['conv_params']} = {p_ratio}"
             f" (claimed {p_claim}); multiply-adds {counts['fc_macs']}/{counts['conv_macs']} "
             f"= {m_ratio} (claimed {m_claim}); network.fc_vs_conv agrees: "
             f"{reference.params_ratio}, {reference.macs_ratio}.",
             (Math(r"\frac{n_{\mathrm{in}} n_{\mathrm{out}}}{\prod k} = "
                   f"{p_ratio},\\quad \\frac{{n_{{\\mathrm{{in}}}}}}{{\\prod k}} = {m_ratio}",
                   f"n_in n_out / prod k = {p_ratio}, n_in / prod k = {m_ratio}"),)),
        _compare_step(holds, "The counts read off both operators and the ratios", difference,
                      points),
    ]
    return _with_parametric(_outcome(holds, steps, difference, points, domain=FC_TEXT),
                            "fc-vs-conv-cost", params_ratio == macs_ratio == "closed")


# ---------------------------------------------------------------------------
# seed-same-pad-rule (seed 003)
# ---------------------------------------------------------------------------

SEED_RULES = {
    "fixed": "max(k - ((n - 1) mod s + 1), 0)   [n mod s read as s when it is 0]",
    "seed": "max(k - n mod s, 0) with n mod 1 read as 1   [the notes' own special case]",
    "literal": "max(k - n mod s, 0)",
    "dilated": "max(d(k-1) + 1 - ((n - 1) mod s + 1), 0)",
}
SEED_RULE_TEXT = (f"every 1-D layer with 1<=n<={BOUNDS['n']}, 1<=k<={BOUNDS['k']}, "
                  f"1<=s<={BOUNDS['s']}, d = 1 (rule 'dilated': 1<=d<={BOUNDS['d']}); truth: "
                  "the least total pad giving ceil(n/s) windows, found by trying")


def seed_rule_total(rule: str, n, k, s, d=1):
    """The total SAME pad by one of :data:`SEED_RULES` (vectorised)."""
    if rule == "literal":
        r = n % s
    elif rule == "seed":
        r = np.where(s == 1, 1, n % s)
    else:
        r = (n - 1) % s + 1
    f = d * (k - 1) + 1 if rule == "dilated" else k
    return np.maximum(f - r, 0)


@cache
def _seed_rule_sweep(rule: str) -> tuple[dict | None, int]:
    c = _grid(n=range(1, BOUNDS["n"] + 1), k=range(1, BOUNDS["k"] + 1),
              s=range(1, BOUNDS["s"] + 1), d=range(1, (BOUNDS["d"] if rule == "dilated"
                                                      else 1) + 1))
    claimed = seed_rule_total(rule, c["n"], c["k"], c["s"], c["d"])
    least = least_total_pad(c["n"], c["k"], c["s"], c["d"])
    found = _smallest({**c, "rule": claimed, "least": least}, claimed != least,
                      ("n", "k", "s", "d"))
    if found is None:
        return None, len(c["n"])
    return {"input_shape": (found["n"],), "kernel_shape": (found["k"],), "stride": found["s"],
            "dilation": found["d"], "rule gives": found["rule"],
            "least total pad (SAME)": found["least"]}, len(c["n"])


@theorem("seed-same-pad-rule", family=FAMILY,
         statement="Seed 003's SAME rule, total pad max(filter - n mod s, 0), is TensorFlow's "
                   "total pad at d = 1 when n mod s is read as s whenever it is 0 (rule "
                   "'fixed'); with dilation, filter = d(k-1) + 1 ('dilated'). Read literally "
                   "('literal') or with only the notes' special case n mod 1 = 1 ('seed') it "
                   "is refuted.",
         latex=r"T = \max\left(k - ((n - 1) \bmod s + 1),\ 0\right)",
         parameters={"input_shape": (13,), "kernel_shape": (6,), "stride": 5, "dilation": 1,
                     "rule": "fixed"},
         domain_text=SEED_RULE_TEXT)
def seed_same_pad_rule(input_shape, kernel_shape, stride, dilation, rule) -> Outcome:
    """The notes' rule vs the least total pad that gives C ceil(n/s) rows."""
    if rule not in SEED_RULES:
        raise TheoremError(f"rule must be one of {', '.join(SEED_RULES)}, got {rule!r}")
    ((n,), (k,), s, d) = input_shape, kernel_shape, stride, dilation
    claimed = int(seed_rule_total(rule, np.array([n]), np.array([k]), np.array([s]),
                                  np.array([d]))[0])
    least = int(least_total_pad(*(np.array([v]) for v in (n, k, s, d)))[0])
    g = Geometry((n,), (k,), s, "same", d)
    here = claimed == least == sum(g.pads[0])
    found, points = _seed_rule_sweep(rule)
    holds = here and found is None
    difference = found if here else {"rule gives": claimed, "least total pad (SAME)": least}
    steps = [
        Step("The notes", "Seed 003: the padding needed is max(filter_width - "
             "in_width % strides, 0), % the remainder, 'in particular in_width % 1 is 1'. "
             f"Rule checked ({rule}): {SEED_RULES[rule]}.", ()),
        Step("SAME", "TensorFlow's total pad is the least T >= 0 for which the correlation "
             "has ceil(n/s) rows; writing n = (ceil(n/s) - 1)s + r with r = (n-1) mod s + 1 in "
             "[1, s] gives T = max(d(k-1) + 1 - r, 0): the remainder must be read in [1, s], "
             "not [0, s).", (Math(r"T = \max\left(d(k-1) + 1 - ((n-1) \bmod s + 1),\ 0\right)",
                                 "T = max(d(k-1) + 1 - ((n-1) mod s + 1), 0)"),)),
        Step("At this point", f"n = {n}, k = {k}, s = {s}, d = {d}: the rule gives {claimed}; "
             f"the least pad by trying is {least}; the operator's 'same' pads are "
             f"{g.pads[0]}.", (show("C", correlation(g).matrix),)),
        _compare_step(holds, "The rule and the least SAME pad", difference, points),
    ]
    return _with_parametric(_outcome(holds, steps, difference, points, domain=SEED_RULE_TEXT),
                            "seed-same-pad-rule", rule in ("fixed", "dilated"))


# ---------------------------------------------------------------------------
# notes-size-claims: the notes' own numbers, each read off an operator
# ---------------------------------------------------------------------------

def _claim_pool_6_3_2():
    mp, ap = max_pool((6,), (3,), 2), avg_pool((6,), (3,), 2)
    return ("seed 001", "a pooling layer with 6 inputs, width 3 and stride 2 has 2 outputs",
            2, len(mp.windows), f"max_pool windows {mp.windows}; average pooling matrix "
            f"{ap.matrix.rows} x {ap.matrix.cols}", (show("A", ap.matrix),), 0)


def _claim_pool_positions():
    c = _grid(n=range(1, 65), k=range(1, 8), s=range(1, 5))
    c = _where(c, c["k"] <= c["n"])
    claimed = (c["n"] - c["k"]) // c["s"] + 1
    counted = count_windows(c["n"], c["k"], c["s"])
    ok = bool(np.all(claimed == counted))
    for n, k, s in itertools.product(range(1, 13), range(1, 4), range(1, 4)):
        if k <= n:
            ok &= len(max_pool((n,), (k,), s).windows) == (n - k) // s + 1
    return ("seed 001", "position n needs n*S + (W-1) <= N-1, so n <= (N-W)/S and there "
            "are floor((N-W)/S)+1 outputs",
            "floor((N-W)/S) + 1 for all N<=64, W<=min(7, N), S<=4", "the same" if ok else
            "different", "positions n = 0, 1, ... counted one by one; max_pool built for "
            "N<=12, W<=3, S<=3", (), len(c["n"]))


def _claim_valid_13_6_5():
    c = correlation(Geometry((13,), (6,), 5, "valid"))
    m = c.matrix
    dropped = [j for j in range(m.cols) if not any(m[i, j] != 0 for i in range(m.rows))]
    return ("seed 003", "1-D, input 13, filter 6, stride 5 (valid): the last two numbers "
            "do not fill a filter and are dropped", (2, [11, 12]), (m.rows, dropped),
            f"C has {m.rows} rows; the all-zero columns (dropped inputs) are {dropped}",
            (show("C", m),), 0)


def _claim_same_13_6_5():
    g = Geometry((13,), (6,), 5, "same")
    c = correlation(g)
    return ("seed 003", "1-D, input 13, filter 6, stride 5 (same): since 13/6 rounded up "
            "is 3, pad so that the output has length 3", (3, (1, 2)),
            (c.matrix.rows, _int_pads(g)[0]),
            "C with 'same' padding has 3 rows and pads (1, 2). The output size is "
            "ceil(13/5) = 3 (the stride, not the filter length 6; ceil(13/6) = 3 too only by "
            "coincidence)", (show("C", c.matrix),), 0)


def _claim_valid_ceil():
    c = layer_points("valid")
    c = _where(c, c["d"] == 1)
    claimed = -(-(c["n"] - c["k"] + 1) // c["s"])
    counted = _steps_window(c)[0]
    t = operator_table()["valid"]
    t = _where(t, t["d"] == 1)
    ok = bool(np.all(claimed == counted)) and bool(
        np.all(-(-(t["n"] - t["k"] + 1) // t["s"]) == t["rows"]))
    return ("seed 003", "out_height = ceil(float(in_height - filter_height + 1) / "
            "float(strides[1]))  (valid)", "ceil((n-k+1)/s) rows for all n<=64, k<=7, s<=4",
            "the same" if ok else "different", "windows counted; C built for n<=6, k<=3, "
            "s<=3", (), len(c["n"]) + len(t["n"]))


def _claim_stride1_valid():
    c = correlation(Geometry((7, 7), (3, 3)))
    return ("seed 003", "at stride 1 without padding, output side = big side - small side "
            "+ 1", (5, 5),
            tuple(c.output_shape[1:]), f"C is {c.shape[0]} x {c.shape[1]}: 5x5 outputs", (), 0)


def _claim_full_7_3():
    c = correlation(Geometry((7, 7), (3, 3), 1, "full"))
    return ("seed 003", "input 7x7, filter 3x3, full padding (the figure: 9x9)", (9, 9),
            tuple(c.output_shape[1:]), f"C is {c.shape[0]} x {c.shape[1]}: 9x9 outputs, "
            "each sharing at least one pixel with the input", (), 0)


def _claim_transpose_4x4():
    c = correlation(Geometry((4, 4), (3, 3)))
    t = transposed_convolution((2, 2), (3, 3), kernel_name="k")
    same = t.matrix == c.matrix.T
    return ("seed 003", "4x4 input, 3x3 kernel, no padding or stride: output 2x2, y = Cx with x in "
            "R^16, y in R^4; the transposed convolution is C^T y", ((4, 16), (16, 4), "T = C^T"),
            (c.matrix.shape, t.matrix.shape, "T = C^T" if same else "T != C^T"),
            f"C is {c.matrix.shape[0]} x {c.matrix.shape[1]}; the scatter-defined transposed "
            f"convolution is {t.matrix.shape[0]} x {t.matrix.shape[1]}",
            (show("C", c.matrix),), 0)


def _claim_mnist():
    from ..network import shape as network_shape

    first = correlation(Geometry((28, 28), (3, 3)), 1, 25)
    pool = max_pool((26, 26), (2, 2), channels=25)
    second = correlation(Geometry((13, 13), (3, 3)), 25, 50)
    sizes = (first.output_shape, pool.output_shape, second.output_shape)
    reports = network_shape("1x28x28", ["conv(25, k=3)", "maxpool(2)", "conv(50, k=3)",
                                        "maxpool(2)"])
    agree = [r.output_shape for r in reports[:3]] == list(sizes)
    return ("seed 002", "an input 1x28x28 after 2 conv layers and pooling is 50x11x11 (25 then 50 "
            "filters 3x3, max pooling 2x2, as in the lecture)", (50, 11, 11),
            second.output_shape if agree else None,
            f"conv 25@3x3: C is {first.shape[0]} x {first.shape[1]} -> {sizes[0]}; "
            f"max pool 2x2: {len(pool.windows)} windows per channel -> {sizes[1]}; conv "
            f"50@3x3: C is {second.shape[0]} x {second.shape[1]} -> {sizes[2]}. 50x11x11 is "
            "the size after the second convolution; a second pooling would give "
            f"{reports[3].output_shape}", (), 0)


def _claim_trains():
    lengths = {(a, b): (len(np.convolve(np.ones(a), np.ones(b))),
                        correlation(Geometry((a,), (b,), 1, "full")).shape[0])
               for a, b in itertools.product(range(1, 9), range(1, 9))}
    ok = all(x == y == a + b - 1 for (a, b), (x, y) in lengths.items())
    full = correlation(Geometry((5,), (3,), 1, "full"))
    return ("seed 003", "length of the convolution = carriages of the long train + "
            "carriages of the short train - 1", "N + M - 1 for N, M <= 8",
            "the same" if ok else "different", "numpy.convolve(full) and the rows of the full "
            "correlation matrix, for every pair of lengths up to 8", (show("C", full.matrix),),
            len(lengths))


NOTES_CLAIMS: dict[str, Callable[[], tuple]] = {
    "pool-6-3-2": _claim_pool_6_3_2, "pool-positions": _claim_pool_positions,
    "valid-13-6-5": _claim_valid_13_6_5, "same-13-6-5": _claim_same_13_6_5,
    "valid-ceil": _claim_valid_ceil, "stride1-valid": _claim_stride1_valid,
    "full-7-3": _claim_full_7_3, "transpose-4x4": _claim_transpose_4x4,
    "mnist-28": _claim_mnist, "trains": _claim_trains,
}


#: The notes' claims about every size (the others are fixed examples).
GENERAL_NOTES_CLAIMS = ("pool-positions", "valid-ceil", "stride1-valid", "trains")


@theorem("notes-size-claims", family=FAMILY,
         statement="The notes' size claims (seeds 001, 002, 003): 6 inputs, window 3, stride 2 "
                   "-> 2 outputs; floor((N-W)/S) + 1 pooling outputs; 13 inputs, kernel 6, "
                   "stride 5 -> valid 2 outputs dropping 2 inputs, same 3 outputs with pads "
                   "(1, 2); valid ceil((n-k+1)/s); n-k+1 at stride 1; full 7x7 * 3x3 -> 9x9; "
                   "4x4 * 3x3 -> C 4x16, transposed 4 -> 16; 1x28x28 -> 50x11x11; trains "
                   "N + M - 1 -- each read off the operators.",
         latex=r"\text{claimed size} = \text{size of the operator}",
         parameters={"claims": tuple(NOTES_CLAIMS)},
         domain_text="the notes' examples; the general claims over their stated sweeps")
def notes_size_claims(claims) -> Outcome:
    """Each claim: the notes' number vs the number read off the operator."""
    if isinstance(claims, str):
        claims = (claims,)
    unknown = [c for c in claims if c not in NOTES_CLAIMS]
    if unknown:
        raise TheoremError(f"claims must come from {', '.join(NOTES_CLAIMS)}, got {unknown}")
    steps, points, difference = [], 0, None
    for name in claims:
        source, quote, claimed, found, text, displays, swept = NOTES_CLAIMS[name]()
        points += swept
        agrees = claimed == found if not isinstance(claimed, str) else found == "the same"
        if not agrees and difference is None:
            difference = {"claim": name, "claimed": claimed, "operator": found}
        steps.append(Step(f"{name} ({source})", f"'{quote}'. Claimed: {claimed}. "
                          f"Operator: {text}. {'Agrees' if agrees else 'DISAGREES'}.",
                          tuple(displays)))
    holds = difference is None
    outcome = _outcome(holds, steps, difference, points,
                       domain="the general claims' sweeps: pooling N<=64, W<=7, S<=4; valid "
                              "n<=64, k<=7, s<=4; trains N, M<=8")
    return _with_parametric(outcome, "notes-size-claims", set(GENERAL_NOTES_CLAIMS) <= set(claims))
