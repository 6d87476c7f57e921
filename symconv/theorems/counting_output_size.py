"""Counting theorems: output-size and same-padding (TensorFlow's SAME, PyTorch's 'same').

The shared sweep machinery is :mod:`symconv.theorems.counting`.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from math import prod
from typing import Any

import numpy as np

from ..errors import TheoremError
from ..geometry import (
    Geometry,
    ceil_div,
    same_pads,
)
from ..operators import (
    LinearOperator,
    correlation,
)
from ..order import by_size
from ..proof import Math, Step
from .common import (
    TORCH_NOT_RUN,
    layer_text,
    optional_backend,
    random_integers,
    show,
)
from .counting import (
    BOUNDS,
    CONVENTIONS,
    DOMAIN_TEXT,
    FAMILY,
    OUTPUT_SIZE_CONVENTIONS,
    OUTPUT_SIZE_FORMULA,
    Columns,
    compare_step,
    count_windows,
    counting_outcome,
    for_all_sizes_of_formula,
    formula_values,
    grid,
    int_pads,
    layer_counterexample,
    layer_points,
    operator_table,
    smallest_point,
    steps_window,
    with_parametric,
)
from .engine import Outcome, theorem

# ---------------------------------------------------------------------------
# output-size
# ---------------------------------------------------------------------------

LAYER_KEYS = ("n", "k", "s", "pb", "pa", "d")


def smallest_across(failures: list[tuple[str, dict[str, int] | None]]
                    ) -> tuple[str, dict[str, int]] | None:
    """Of ``(convention, failing point or None)`` pairs, the smallest point in the order of
    :func:`symconv.order.by_size` over :data:`LAYER_KEYS` (the first such pair on ties),
    with its convention.

    Examples
    --------
    >>> point = dict.fromkeys(LAYER_KEYS, 1)
    >>> smallest_across([("torch", None), ("same", {**point, "n": 3}), ("valid", point)])[0]
    'valid'
    """
    found = [(convention, f) for convention, f in failures if f is not None]
    if not found:
        return None
    return min(found, key=lambda found: by_size(found[1][k] for k in LAYER_KEYS))


@cache
def _output_size_sweep(formula: str) -> tuple[dict | None, int]:
    points, failures = 0, []
    for convention in CONVENTIONS:
        c = layer_points(convention)
        windows = steps_window(c)[0]
        values, defined = formula_values(formula, c)
        bad = smallest_point({**c, "formula": values, "rows": windows},
                             defined & (values != windows), LAYER_KEYS)
        t = operator_table()[convention]
        small, small_defined = formula_values(formula, t)
        counted = steps_window(t)[0]
        op_bad = smallest_point({**t, "formula": small}, (small_defined & (small != t["rows"]))
                                | ~t["windows_ok"] | (counted != t["rows"]), LAYER_KEYS)
        failures += [(convention, op_bad), (convention, bad)]
        points += len(c["n"]) + len(t["n"])
    smallest = smallest_across(failures)
    if smallest is None:
        return None, points
    convention, found = smallest
    return {**layer_counterexample(convention, found), "formula": found["formula"],
            "rows of C": found["rows"]}, points


def layer_columns(g: Geometry, axis: int) -> Columns:
    pb, pa = int_pads(g)[axis]
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
        cols = layer_columns(g, axis)
        value, defined = formula_values(formula, cols)
        if not defined[0]:
            raise TheoremError(f"formula uses p but the pads {g.pads[axis]} of axis {axis} "
                               "differ; use p_before and p_after")
        per_axis.append((int(value[0]), int(steps_window(cols)[0][0])))
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
        compare_step(holds, "Rows of C, counted windows and the formula", difference, points),
    ]
    outcome = counting_outcome(holds, steps, difference, points)
    if formula != OUTPUT_SIZE_FORMULA:
        return for_all_sizes_of_formula(
            outcome, formula, "output_size", OUTPUT_SIZE_CONVENTIONS,
            "the number of rows of the correlation matrix C per axis (windows that fit the "
            "padded input)", r"\#\operatorname{rows}(C)")
    return with_parametric(outcome, "output-size", True)


def _convention_name(padding: Any) -> str:
    if isinstance(padding, str):
        return padding
    if isinstance(padding, int):
        return f"symmetric int $p = {padding}$"
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
    c = grid(n=range(1, BOUNDS["n"] + 1), k=range(1, BOUNDS["k"] + 1),
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
    found = smallest_point({**c, "pb": pb, "pa": pa, "total": total, "least": least,
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
def single_thread(torch):
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

    with single_thread(torch):
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


def torch_unchecked(statement: str, claim: str, what: str, why: str = TORCH_NOT_RUN) -> str:
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
        here &= (total == least and claimed == int_pads(g)[axis]
                 and g.output_shape[axis] == out and first == -claimed[0])
        rows_here.append(out)
        lines.append(rf"axis {axis}: $\mathrm{{out}} = \lceil {n}/{s} \rceil = {out}$, "
                     rf"$T = \max(({out}-1) \cdot {s} + {d} \cdot ({k}-1) + 1 - {n}, 0) = "
                     f"{total}$ (least $T$ by trying: {least}), "
                     f"claimed split {claimed}, pads of the operator {int_pads(g)[axis]}, "
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
        compare_step(holds, "The rule, the least pad found by trying, the operator's pads"
                     + (" (and PyTorch at stride 1)" if torch_run else ""), difference, points),
    ]
    why = (TORCH_NOT_RUN if padding == "same" else
           "not run for same_lower (PyTorch has no such mode)")
    if not torch_run:
        steps.append(Step("PyTorch", f"The cross-check against PyTorch's padding='same' is "
                          f"{why}; PyTorch's agreement is not claimed.", ()))
    torch_text = f"; {TORCH_SAME_TEXT}" if torch_run else ""
    outcome = counting_outcome(holds, steps, difference, points,
                               domain=f"{SAME_BOUNDS_TEXT}{torch_text}")
    if not torch_run:
        outcome = replace(outcome, statement=(torch_unchecked(
            SAME_STATEMENT, SAME_TORCH_CLAIM, "PyTorch's padding='same' at stride 1", why),
            SAME_LATEX), domain=f"{outcome.domain}; the PyTorch cross-check (padding='same' "
                                f"at stride 1) {why}")
    true_side = "after" if padding == "same" else "before"
    return with_parametric(outcome, "same-padding", odd_pixel == true_side)


def _first_window_start(op: LinearOperator, g: Geometry, axis: int) -> int:
    """Start of row 0's window on ``axis``, read off C's index form: ``j - d*m``."""
    shape = g.input_shape
    rows0 = op.rows == 0
    cols = np.unravel_index(op.cols[rows0], shape)[axis]
    taps = np.unravel_index(op.taps[rows0], g.kernel_shape)[axis]
    return int((cols - g.dilation[axis] * taps).min())


