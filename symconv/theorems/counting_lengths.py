"""Counting theorems: full and valid lengths (numpy/scipy), and the transposed output size
(and why output_padding exists).

The shared sweep machinery is :mod:`symconv.theorems.counting`.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cache
from math import prod

import numpy as np
import sympy

from ..errors import SymconvError
from ..geometry import (
    Geometry,
    TransposedGeometry,
)
from ..operators import (
    correlation,
    transposed_convolution,
)
from ..proof import Math, Step
from ..sizes.parse import parse_formula
from .common import (
    show,
)
from .counting import (
    BOUNDS,
    FAMILY,
    TRANSPOSED_FORMULA,
    Columns,
    axes_value,
    compare_step,
    count_windows,
    counting_outcome,
    for_all_sizes_of_formula,
    formula_values,
    grid,
    size_text,
    smallest_point,
    with_parametric,
)
from .counting_output_size import layer_columns
from .engine import Outcome, theorem

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
    c = grid(n=range(1, BOUNDS["n"] + 1), k=range(1, BOUNDS["k"] + 1),
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
    f_val, _ = formula_values(full, {**c, "pb": ext, "pa": ext})
    v_val, _ = formula_values(valid, {**c, "pb": zero, "pa": zero})
    failing = (f_val != full_rows) | (fits & (v_val != valid_rows))
    found = smallest_point({**c, "full": f_val, "valid": v_val, "full_rows": full_rows,
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
        return int(formula_values(text, layer_columns(g, axis))[0][0])
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
        Step("Setting", f"Input {size_text(gf.input_shape)}, kernel {size_text(gf.kernel_shape)}, "
             f"dilation {axes_value(gf.dilation)}, stride 1. 'full' pads d(k-1) on both sides, "
             "so the "
             "first window touches only the first input sample and the last window only the "
             "last: like two trains of N and M carriages passing from the first touching "
             "carriage to the last, N + M - 1 positions.", ()),
        Step("Matrices", text, tuple(displays)),
        compare_step(holds, "Rows of the full and valid matrices and the formulas",
                     difference, points),
    ]
    outcome = counting_outcome(holds, steps, difference, points,
                               domain="stride-1 layers with n<=64, k<=7, d<=3, windows counted, "
                                      "and numpy.convolve lengths for N, M<=16")
    if (full, valid) != FULL_VALID:  # no proof for all sizes of other formulas: verified
        outcome = replace(outcome, scope="all sizes", statement=(
            f"At stride 1, full padding gives {full} outputs and valid padding {valid} when "
            "the kernel fits.", r"\#\operatorname{rows}C_{\mathrm{full}} = "
            f"{sympy.latex(parse_formula(full))},\\quad "
            r"\#\operatorname{rows}C_{\mathrm{valid}} = " f"{sympy.latex(parse_formula(valid))}"))
    return with_parametric(outcome, "full-and-valid-lengths", (full, valid) == FULL_VALID)


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
    c = grid(n=range(1, b["n"] + 1), k=range(1, b["k"] + 1), s=range(1, b["s"] + 1),
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
        values, _ = formula_values(formula, {**c, "pb": c["p"], "pa": c["p"],
                                              "op": np.full_like(c["n"], op)})
        index = np.clip(values - 1, 0, largest - 1)
        preimage = hits[np.arange(len(index)), index] & (values >= 1)
        # op < s: the op-th preimage; op >= s (PyTorch allows op < d): not a preimage
        want = np.where(op < c["s"], preimage & (values == base + op), ~preimage)
        failing |= allowed & ~want
        points += int(allowed.sum())
    found = smallest_point({**c, "count": count, "expected": expected}, failing,
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
            claimed = formula_values(formula, {"n": np.array([n]), "k": np.array([k]),
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
        value = int(formula_values(formula, cols)[0][0])
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
        Step("Setting", f"ConvTranspose: input {size_text(tg.input_shape)}, kernel "
             f"{size_text(tg.kernel_shape)}, stride {axes_value(tg.stride)}, padding "
             f"{axes_value(tg.padding)}, output_padding {axes_value(tg.output_padding)}, dilation "
             f"{axes_value(tg.dilation)}.",
             (Math(r"T_{s i - p + d m,\; i} \mathrel{+}= k_m",
                   "T[s*i - p + d*m, i] += k[m]  (scatter rule, kept when inside the output)"),)),
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
        compare_step(holds, "Rows of T, the formula and the enumerated forward sizes",
                     difference, points),
    ]
    outcome = counting_outcome(holds, steps, difference, points, domain=TRANSPOSED_TEXT)
    if formula != TRANSPOSED_FORMULA:
        return for_all_sizes_of_formula(
            outcome, formula, "transposed_output_size", ("torch",), "the number of rows of "
            "the transposed convolution T per axis (PyTorch ConvTranspose output size)",
            r"\#\operatorname{rows}(T)")
    return with_parametric(outcome, "transposed-output-size", True)


