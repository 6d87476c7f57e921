"""Counting theorems: the seeds' same-pad rule, and the notes' own size claims.

The shared sweep machinery is :mod:`symconv.theorems.counting`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache

import numpy as np

from ..errors import TheoremError
from ..geometry import (
    Geometry,
)
from ..operators import (
    avg_pool,
    correlation,
    max_pool,
    transposed_convolution,
)
from ..proof import Math, Step
from .common import (
    show,
)
from .counting import (
    BOUNDS,
    FAMILY,
    compare_step,
    count_windows,
    counting_outcome,
    grid,
    int_pads,
    layer_points,
    operator_table,
    restrict,
    smallest_point,
    steps_window,
    with_parametric,
)
from .counting_output_size import least_total_pad
from .engine import Outcome, theorem

# ---------------------------------------------------------------------------
# seed-same-pad-rule (seed 003)
# ---------------------------------------------------------------------------

SEED_RULES = {
    "fixed": "max(k - ((n - 1) mod s + 1), 0)   [n mod s read as s when it is 0]",
    "seed": "max(k - n mod s, 0) with n mod 1 read as 1   [the notes' own special case]",
    "literal": "max(k - n mod s, 0)",
    "dilated": "max(d(k-1) + 1 - ((n - 1) mod s + 1), 0)",
}
#: :data:`SEED_RULES` as prose with math.
SEED_RULES_LATEX = {
    "fixed": r"$\max(k - ((n - 1) \bmod s + 1), 0)$ ($n \bmod s$ read as $s$ when it is 0)",
    "seed": r"$\max(k - n \bmod s, 0)$ with $n \bmod 1$ read as 1 (the notes' own special case)",
    "literal": r"$\max(k - n \bmod s, 0)$",
    "dilated": r"$\max(d(k-1) + 1 - ((n - 1) \bmod s + 1), 0)$",
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
    c = grid(n=range(1, BOUNDS["n"] + 1), k=range(1, BOUNDS["k"] + 1),
             s=range(1, BOUNDS["s"] + 1), d=range(1, (BOUNDS["d"] if rule == "dilated"
                                                      else 1) + 1))
    claimed = seed_rule_total(rule, c["n"], c["k"], c["s"], c["d"])
    least = least_total_pad(c["n"], c["k"], c["s"], c["d"])
    found = smallest_point({**c, "rule": claimed, "least": least}, claimed != least,
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
        Step("The notes", "Seed 003: the padding needed is `max(filter_width - "
             "in_width % strides, 0)`, `%` the remainder, 'in particular `in_width % 1` is 1'. "
             f"Rule checked ({rule}): {SEED_RULES_LATEX[rule]}.", ()),
        Step("SAME", r"TensorFlow's total pad is the least $T \ge 0$ for which the "
             r"correlation has $\lceil n/s \rceil$ rows; writing $n = (\lceil n/s \rceil - 1)s "
             r"+ r$ with $r = (n-1) \bmod s + 1 \in [1, s]$ gives $T = \max(d(k-1) + 1 - r, 0)$: "
             "the remainder must be read in $[1, s]$, not $[0, s)$.",
             (Math(r"T = \max\left(d(k-1) + 1 - ((n-1) \bmod s + 1),\ 0\right)",
                   "T = max(d(k-1) + 1 - ((n-1) mod s + 1), 0)"),)),
        Step("At this point", f"$n = {n}$, $k = {k}$, $s = {s}$, $d = {d}$: the rule gives "
             f"{claimed}; "
             f"the least pad by trying is {least}; the operator's 'same' pads are "
             f"{g.pads[0]}.", (show("C", correlation(g).matrix),)),
        compare_step(holds, "The rule and the least SAME pad", difference, points),
    ]
    outcome = counting_outcome(holds, steps, difference, points, domain=SEED_RULE_TEXT)
    return with_parametric(outcome, "seed-same-pad-rule", rule in ("fixed", "dilated"))


# ---------------------------------------------------------------------------
# notes-size-claims: the notes' own numbers, each read off an operator
# ---------------------------------------------------------------------------

def _claim_pool_6_3_2():
    mp, ap = max_pool((6,), (3,), 2), avg_pool((6,), (3,), 2)
    return ("seed 001", "a pooling layer with 6 inputs, width 3 and stride 2 has 2 outputs",
            2, len(mp.windows), f"max_pool windows {mp.windows}; average pooling matrix "
            f"{ap.matrix.rows} x {ap.matrix.cols}", (show("A", ap.matrix),), 0)


def _claim_pool_positions():
    c = grid(n=range(1, 65), k=range(1, 8), s=range(1, 5))
    c = restrict(c, c["k"] <= c["n"])
    claimed = (c["n"] - c["k"]) // c["s"] + 1
    counted = count_windows(c["n"], c["k"], c["s"])
    ok = bool(np.all(claimed == counted))
    for n, k, s in itertools.product(range(1, 13), range(1, 4), range(1, 4)):
        if k <= n:
            ok &= len(max_pool((n,), (k,), s).windows) == (n - k) // s + 1
    return ("seed 001", "position `n` needs `n*S + (W-1) <= N-1`, so `n <= (N-W)/S` and "
            "there are `floor((N-W)/S)+1` outputs",
            r"$\lfloor (N-W)/S \rfloor + 1$ for all $N \le 64$, $W \le \min(7, N)$, "
            r"$S \le 4$", "the same" if ok else "different",
            r"positions $n = 0, 1, \dots$ counted one by one; max_pool built for $N \le 12$, "
            r"$W \le 3$, $S \le 3$", (), len(c["n"]))


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
            (c.matrix.rows, int_pads(g)[0]),
            "$C$ with 'same' padding has 3 rows and pads (1, 2). The output size is "
            r"$\lceil 13/5 \rceil = 3$ (the stride, not the filter length 6; "
            r"$\lceil 13/6 \rceil = 3$ too only by coincidence)", (show("C", c.matrix),), 0)


def _claim_valid_ceil():
    c = layer_points("valid")
    c = restrict(c, c["d"] == 1)
    claimed = -(-(c["n"] - c["k"] + 1) // c["s"])
    counted = steps_window(c)[0]
    t = operator_table()["valid"]
    t = restrict(t, t["d"] == 1)
    ok = bool(np.all(claimed == counted)) and bool(
        np.all(-(-(t["n"] - t["k"] + 1) // t["s"]) == t["rows"]))
    return ("seed 003", "`out_height = ceil(float(in_height - filter_height + 1) / "
            "float(strides[1]))` (valid)",
            r"$\lceil (n-k+1)/s \rceil$ rows for all $n \le 64$, $k \le 7$, $s \le 4$",
            "the same" if ok else "different", r"windows counted; $C$ built for $n \le 6$, "
            r"$k \le 3$, $s \le 3$", (), len(c["n"]) + len(t["n"]))


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
            "carriages of the short train - 1", r"$N + M - 1$ for $N, M \le 8$",
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
    outcome = counting_outcome(holds, steps, difference, points,
                               domain="the general claims' sweeps: pooling N<=64, W<=7, S<=4; "
                                      "valid n<=64, k<=7, s<=4; trains N, M<=8")
    return with_parametric(outcome, "notes-size-claims", set(GENERAL_NOTES_CLAIMS) <= set(claims))
