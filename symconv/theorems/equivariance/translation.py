"""Translation equivariance: ``equivariance`` (circular, and zero padding on the
interior rows) and ``strided-equivariance`` (an input shift by ``s u`` is an output shift
by ``u``; any other shift is refuted).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from ... import numeric
from ...errors import TheoremError, require
from ...geometry import Geometry
from ...operators import (
    LinearOperator,
    circular_convolution,
    correlation,
    input_symbols,
)
from ...operators import shift as shift_operator
from ...proof import ExactText, Math, Step
from ..common import CORRELATION_INDEX, comparison_step, layer_text, random_integers, show
from ..engine import Outcome, first_difference, theorem
from .shared import FAMILY, channel_matrix, circular_correlation, offsets


def _wrap(x: np.ndarray, extra: tuple[int, ...]) -> np.ndarray:
    """Circular padding on the right of every spatial axis (for the NumPy cross-check)."""
    return np.pad(x, [(0, 0)] + [(0, e) for e in extra], mode="wrap")


def _rows_text(rows: Sequence[tuple[int, ...]]) -> str:
    if not rows:
        return "none"
    return ", ".join(str(r[0]) if len(r) == 1 else str(r) for r in rows)


EQUIVARIANCE = {"input_shape": (5,), "kernel_shape": (3,), "shift": 1, "boundary": "circular",
                "padding": 0, "dilation": 1, "rows": "interior", "in_channels": 1,
                "out_channels": 1}


def _equivariance_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 6):
        for k in range(1, min(n, 3) + 1):
            points.append({**EQUIVARIANCE, "input_shape": (n,), "kernel_shape": (k,)})
    for n in range(1, 6):
        for k in range(1, 4):
            for p in range(2):
                for d in (1, 2):
                    if d * (k - 1) + 1 > n + 2 * p:
                        continue
                    for t in (1, -1, 2):
                        points.append({**EQUIVARIANCE, "boundary": "zero", "input_shape": (n,),
                                       "kernel_shape": (k,), "padding": p, "dilation": d,
                                       "shift": t})
    points.sort(key=lambda q: q["input_shape"][0] + q["kernel_shape"][0])
    return points


def interior_rows(g: Geometry, t: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Output positions whose window and whose window shifted back by ``t`` lie in the input.

    Row ``i`` of a stride-1 correlation reads input ``i - p + d m`` for ``m < K``; it is
    interior for shift ``t`` when ``i - p + d m`` and ``i - t - p + d m`` are in ``[0, n)``.

    Examples
    --------
    >>> interior_rows(Geometry((5,), (3,)), (1,))
    [(1,), (2,)]
    """
    per_axis = []
    for n, k, d, (p, _), o, ta in zip(g.input_shape, g.kernel_shape, g.dilation, g.pads,
                                      g.output_shape, t):
        span = d * (k - 1)
        per_axis.append([i for i in range(o)
                         if 0 <= i - p and i - p + span < n and 0 <= i - ta - p
                         and i - ta - p + span < n])
    return list(itertools.product(*per_axis))


@theorem("equivariance", family=FAMILY,
         statement="Convolution commutes with translation. Circular boundary: C S_t = S_t C "
                   "for every circular shift t. Zero padding (stride 1): C S_t x and S_t C x "
                   "agree on the interior rows, those whose window and whose window shifted "
                   "back by t both lie inside the input (rows='all' claims every row, which "
                   "is false at the border).",
         latex=r"C\,S_t = S_t\,C \ \text{(circular)};\qquad (C S_t x)_i = (S_t C x)_i "
               r"\ \text{for } i \in I_t \ \text{(zero padding)}",
         parameters=EQUIVARIANCE, domain=_equivariance_domain,
         domain_text="every 1-D circular convolution with n<=5, k<=min(n,3) (all shifts each), "
                     "and every valid 1-D zero-padded correlation with n<=5, k<=3, p<=1, d<=2, "
                     "shifts 1, -1, 2 (interior rows)")
def equivariance(input_shape, kernel_shape, shift, boundary, padding, dilation, rows,
                 in_channels, out_channels) -> Outcome:
    """Circular: every shift, as matrices. Zero padding: ``C S_t x`` vs ``S_t C x`` row by row."""
    require(boundary in ("circular", "zero"), "boundary", boundary,
            "must name the boundary rule", "'circular', 'zero'", error=TheoremError)
    require(rows in ("interior", "all"), "rows", rows, "must say which rows are claimed",
            "'interior', 'all'", error=TheoremError)
    if boundary == "circular":
        require(padding == 0 and dilation == 1, "padding, dilation", (padding, dilation),
                "must be 0 and 1 for circular convolution", "(0, 1)", error=TheoremError)
        return _circular_equivariance(input_shape, kernel_shape, shift, in_channels,
                                      out_channels)
    return _zero_equivariance(input_shape, kernel_shape, shift, padding, dilation, rows,
                              in_channels, out_channels)


def _circular_equivariance(input_shape, kernel_shape, shift_, in_channels,
                           out_channels) -> Outcome:
    c = circular_convolution(input_shape, kernel_shape, in_channels, out_channels)
    n = c.input_shape[1:]
    shown = offsets(shift_, len(n))
    difference, checked = None, 0
    for t in itertools.product(*map(range, n)):
        s_in = shift_operator(n, t, circular=True, channels=in_channels).matrix
        s_out = shift_operator(n, t, circular=True, channels=out_channels).matrix
        checked += 1
        found = first_difference(c.matrix * s_in, s_out * c.matrix, ("C S_t", "S_t C"))
        if found is not None:
            difference = {"shift": t, **found}
            break
    s_shown = shift_operator(n, shown, circular=True, channels=in_channels).matrix
    steps = (
        Step("Setting", f"Circular convolution on {'x'.join(map(str, n))} inputs, kernel "
             f"{'x'.join(map(str, c.kernel.shape[2:]))}, channels {in_channels} -> "
             f"{out_channels}; indices are taken modulo $n$.",
             (Math(r"(C x)_i = \sum_m k_m\, x_{(i - m) \bmod n}",
                   "(C x)[i] = sum_m k[m] x[(i - m) mod n]"),
              Math(r"(S_t x)_i = x_{(i - t) \bmod n}", "(S_t x)[i] = x[(i - t) mod n]"))),
        Step("Why", "Substituting $j = i - t$ shows both sides read the same sample: "
             "$(C S_t x)_i = \\sum_m k_m x_{(i - m - t) \\bmod n} = (C x)_{(i-t) \\bmod n} "
             "= (S_t C x)_i$. The matrices check it entry by entry.",
             (show("C", c.matrix), show(f"S_{{{_offset_latex(shown)}}}", s_shown),
              show(f"C S_{{{_offset_latex(shown)}}}", c.matrix * s_shown))),
        comparison_step("C S_t", "S_t C", checked * c.shape[0] * c.shape[1],
                        difference is None, difference),
        Step("All shifts", f"Checked for all {checked} circular shifts $t$ of this input size.",
             ()),
    )
    return Outcome(difference is None, steps, difference,
                   numeric=_circular_numeric(c, shown))


def _circular_numeric(c: LinearOperator, t: tuple[int, ...]) -> bool:
    for seed in range(3):
        w = random_integers(c.kernel.shape, 2 * seed)
        x = random_integers(c.input_shape, 2 * seed + 1)
        lhs = numeric.circular_convolve(numeric.shift(x, t, circular=True), w)
        rhs = numeric.shift(numeric.circular_convolve(x, w), t, circular=True)
        built = c.numeric(w) @ x.ravel()
        oracle = numeric.circular_convolve(x, w).ravel()
        if not (np.allclose(lhs, rhs) and np.allclose(built, oracle)):
            return False
    return True


def _offset_latex(t: tuple[int, ...]) -> str:
    return str(t[0]) if len(t) == 1 else "(" + ",".join(map(str, t)) + ")"


def _zero_equivariance(input_shape, kernel_shape, shift_, padding, dilation, rows, in_channels,
                       out_channels) -> Outcome:
    g = Geometry(input_shape, kernel_shape, 1, padding, dilation)
    t = offsets(shift_, g.ndim)
    c = correlation(g, in_channels, out_channels)
    x = input_symbols(c.input_shape)
    s_in = shift_operator(g.input_shape, t, channels=in_channels)
    s_out = shift_operator(g.output_shape, t, channels=out_channels)
    lhs, rhs = c.apply(s_in.apply(x)), s_out.apply(c.apply(x))
    positions = list(itertools.product(*map(range, g.output_shape)))
    agree = [i for i in positions
             if all(sympy.expand(lhs[(o, *i)] - rhs[(o, *i)]) == 0 for o in range(out_channels))]
    interior = interior_rows(g, t)
    claimed = interior if rows == "interior" else positions
    if not claimed:
        return _no_interior(g, t)
    failing = [i for i in claimed if i not in agree]
    difference = None
    if failing:
        i = failing[0]
        o = next(o for o in range(out_channels)
                 if sympy.expand(lhs[(o, *i)] - rhs[(o, *i)]) != 0)
        difference = {"row": (o, *i), "C S_t x": ExactText(lhs[(o, *i)]),
                      "S_t C x": ExactText(rhs[(o, *i)])}
    outside = [i for i in positions if i not in interior and i not in agree]
    border = None
    if outside and rows == "interior" and not failing:
        i = outside[0]
        border = {"row": i, "C S_t x": ExactText(lhs[(0, *i)]),
                  "S_t C x": ExactText(rhs[(0, *i)])}
    steps = (
        Step("Setting", f"Correlation with zero padding: {layer_text(g)}; channels "
             f"{in_channels} -> {out_channels}; shift t = {t}. $S_t$ moves samples by $t$ and "
             "fills with zeros, on the input and on the output.",
             (CORRELATION_INDEX,
              Math(r"(S_t x)_i = x_{i - t}\ \text{if } 0 \le i - t < n,\ \text{else } 0",
                   "(S_t x)[i] = x[i - t] if 0 <= i - t < n else 0"))),
        Step("Interior rows", "Row $i$ reads inputs $i - p + d m$, $0 \\le m < K$. Both sides "
             "equal $\\sum_m k_m x_{i - t - p + d m}$ when that window and the unshifted one "
             "lie in $[0, n)$:",
             (Math(r"I_t = \{\, i : 0 \le i - p,\ i - p + d(K-1) \le n - 1,\ "
                   r"0 \le i - t - p,\ i - t - p + d(K-1) \le n - 1 \,\}",
                   "I_t = {i : window of row i and of row i - t inside [0, n)}"),
              Math(r"I_t = \{" + _rows_text(interior) + r"\}",
                   f"I_t = {{{_rows_text(interior)}}}"))),
        Step("Both sides", "Output channel 0 of each side:" if len(positions) <= 6 else
             "One interior row of each side (every row is compared below):",
             _sides_display(lhs, rhs, positions, interior)),
        Step("Compare", f"The two sides agree exactly on rows {{{_rows_text(agree)}}}; the "
             f"claim covers rows {{{_rows_text(claimed)}}}. The interior is sufficient, not "
             "necessary: where the shifted window still clips the same samples (e.g. along an "
             "axis with zero shift) the border rows agree too."
             + (f" Outside the interior row {_rows_text(outside[:1])} differs: "
                f"{border['C S_t x']} vs {border['S_t C x']}." if border else ""),
             (Math(r"(C S_t x)_i = (S_t C x)_i\ \ \forall i \in I_t" if not failing else
                   r"(C S_t x)_i \neq (S_t C x)_i",
                   "(C S_t x)[i] = (S_t C x)[i] for i in I_t" if not failing else
                   "(C S_t x)[i] != (S_t C x)[i]"),)),
    )
    return Outcome(not failing, steps, difference,
                   numeric=_zero_numeric(c, g, t, claimed if not failing else interior))


def _no_interior(g: Geometry, t: tuple[int, ...]) -> Outcome:
    """A shift past every window: the interior I_t is empty, so the check covers nothing."""
    interior = (f"the interior I_t of {layer_text(g)} for shift t = {t} (rows whose window "
                "and whose window shifted back by t lie inside the input)")
    return Outcome(True, (Step("Interior rows", f"No row to compare: {interior} is empty.",
                               (Math(r"I_t = \emptyset", "I_t = {}"),)),),
                   evidence=(), domain=interior)


def _sides_display(lhs, rhs, positions, interior) -> tuple:
    if len(positions) <= 6:
        return (show(r"C\,S_t x", channel_matrix(lhs)), show(r"S_t\,C x", channel_matrix(rhs)))
    i = interior[0] if interior else positions[0]
    at = ",".join(map(str, i))
    return (show(f"(C\\,S_t x)_{{{at}}}", lhs[(0, *i)]),
            show(f"(S_t\\,C x)_{{{at}}}", rhs[(0, *i)]))


def _zero_numeric(c: LinearOperator, g: Geometry, t: tuple[int, ...],
                  rows: list[tuple[int, ...]]) -> bool:
    for seed in range(3):
        w = random_integers(c.kernel.shape, 2 * seed)
        x = random_integers(c.input_shape, 2 * seed + 1)
        lhs = numeric.correlate(numeric.shift(x, t), w, g)
        rhs = numeric.shift(numeric.correlate(x, w, g), t)
        if not np.allclose(c.numeric(w) @ x.ravel(), numeric.correlate(x, w, g).ravel()):
            return False
        if any(not np.allclose(lhs[(slice(None), *i)], rhs[(slice(None), *i)]) for i in rows):
            return False
    return True


STRIDED = {"input_shape": (6,), "kernel_shape": (3,), "stride": 2, "shift": 2,
           "in_channels": 1, "out_channels": 1}


def _strided_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 7):
        for s in range(1, 4):
            if n % s:
                continue
            for k in range(1, min(n, 3) + 1):
                for u in range(n // s):
                    points.append({**STRIDED, "input_shape": (n,), "kernel_shape": (k,),
                                   "stride": s, "shift": s * u})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"],
                               q["shift"]))
    return points


@theorem("strided-equivariance", family=FAMILY,
         statement="A stride-s circular correlation (s divides n) turns an input shift by t into "
                   "an output shift by t/s: C S_t = S_{t/s} C when s divides t. For a shift t "
                   "that is not a multiple of s no output shift works, and the claim is refuted.",
         latex=r"C_s\, S_{s u} = S_u\, C_s \quad (s \mid n)",
         parameters=STRIDED, domain=_strided_domain,
         domain_text="every 1-D circular correlation with n<=6, stride s<=3 dividing n, "
                     "k<=min(n,3), and every shift t = s*u, 0 <= u < n/s")
def strided_equivariance(input_shape, kernel_shape, stride, shift, in_channels,
                         out_channels) -> Outcome:
    """Compare ``C S_t`` with ``S_u C`` for every output shift ``u``; ``u = t/s`` must work."""
    c = circular_correlation(input_shape, kernel_shape, stride, in_channels, out_channels)
    n, out = c.input_shape[1:], c.output_shape[1:]
    s = offsets(stride, len(n))
    t = offsets(shift, len(n))
    lhs = c.matrix * shift_operator(n, t, circular=True, channels=in_channels).matrix
    multiple = all(ta % sa == 0 for ta, sa in zip(t, s))
    nearest = tuple(ta // sa for ta, sa in zip(t, s))

    def rhs_for(u):
        return shift_operator(out, u, circular=True, channels=out_channels).matrix * c.matrix

    if multiple:
        difference = first_difference(lhs, rhs_for(nearest), ("C S_t", "S_u C"))
        working = [] if difference else [nearest]
    else:
        working = [u for u in itertools.product(*map(range, out))
                   if first_difference(lhs, rhs_for(u)) is None]
        if working:  # the statement says none works: a contradiction is a bug, not a verdict
            raise RuntimeError(f"strided-equivariance: output shift(s) {working} work for the "
                               f"input shift {t}, which is not a multiple of the stride {s}; "
                               "the theorem's statement says none does")
        found = first_difference(lhs, rhs_for(nearest), ("C S_t", "S_u C"))
        difference = {"output_shift": nearest, **found,
                      "note": f"no output shift u in 0..{out[0] - 1} works"}
    steps = (
        Step("Setting", f"Circular correlation, input {'x'.join(map(str, n))}, kernel "
             f"{'x'.join(map(str, c.kernel.shape[2:]))}, stride {s}, output "
             f"{'x'.join(map(str, out))}; input shift t = {t}.",
             (Math(r"(C_s x)_i = \sum_m k_m\, x_{(s i + m) \bmod n}",
                   "(C_s x)[i] = sum_m k[m] x[(s*i + m) mod n]"),)),
        Step("Why", "$(C_s S_t x)_i = \\sum_m k_m x_{(s i + m - t) \\bmod n}$. When $t = s u$ "
             "this is $\\sum_m k_m x_{(s (i - u) + m) \\bmod n} = (C_s x)_{(i - u) \\bmod n/s}$, "
             "using $s \\mid n$. When $s \\nmid t$ the window starts $s i - t$ are not "
             "multiples of $s$, so no output of $C_s x$ reads them.",
             (show("C_s", c.matrix), show(r"C_s S_t", lhs))),
        Step("Compare", ("Output shift $u = t/s = " + _offset_latex(nearest) + "$ works."
                         if multiple and not difference else
                         "Output shifts that work: " + (_rows_text(working) or "none") + "."),
             (Math(r"C_s S_t = S_{t/s} C_s" if not difference else r"C_s S_t \neq S_u C_s",
                   "C_s S_t = S_{t/s} C_s" if not difference else "C_s S_t != S_u C_s"),)),
    )
    return Outcome(difference is None, steps, difference,
                   numeric=_strided_numeric(c, s, t, nearest) if multiple else None)


def _strided_numeric(c: LinearOperator, s: tuple[int, ...], t: tuple[int, ...],
                     u: tuple[int, ...]) -> bool:
    """Circular correlation via the oracle: wrap-pad, then a valid strided correlation."""
    k = tuple(int(v) for v in c.kernel.shape[2:])
    g = Geometry(tuple(n + ka - 1 for n, ka in zip(c.input_shape[1:], k)), k, s)
    for seed in range(3):
        w = random_integers(c.kernel.shape, 2 * seed)
        x = random_integers(c.input_shape, 2 * seed + 1)

        def conv(v, w=w):
            return numeric.correlate(_wrap(v, tuple(ka - 1 for ka in k)), w, g)

        lhs = conv(numeric.shift(x, t, circular=True))
        rhs = numeric.shift(conv(x), u, circular=True)
        if not (np.allclose(lhs, rhs) and np.allclose(c.numeric(w) @ x.ravel(),
                                                      conv(x).ravel())):
            return False
    return True
