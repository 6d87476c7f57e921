"""Counting theorems: parameter-count, mac-count and fc-vs-conv-cost.

The shared sweep machinery is :mod:`symconv.theorems.counting`.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from functools import cache
from math import prod
from typing import Any

import numpy as np

from ..errors import TheoremError
from ..geometry import (
    Geometry,
)
from ..operators import (
    correlation,
    transposed_convolution,
)
from ..proof import ExactText, Math, Step
from .common import (
    exact_number,
    layer_text,
    show,
)
from .counting import (
    CONVENTIONS,
    DOMAIN_TEXT,
    FAMILY,
    OPERATOR_BOUNDS,
    axes_value,
    compare_step,
    counting_outcome,
    layer_counterexample,
    layer_points,
    operator_table,
    reaching_taps,
    size_text,
    smallest_point,
    steps_window,
    tap_pairs,
    with_parametric,
)
from .counting_output_size import LAYER_KEYS, layer_columns, smallest_across
from .engine import Outcome, theorem

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
        reach = reaching_taps(t)
        want = t["k"] if claim == "unconditional" else reach
        found = smallest_point({**t, "reaching": reach, "want": want}, t["taps"] != want,
                               LAYER_KEYS)
        failures.append((convention, found))
        points += len(t["n"])
    smallest = smallest_across(failures)
    if smallest is not None:
        convention, found = smallest
        return {**layer_counterexample(convention, found), **ONE_CHANNEL,
                "distinct symbols in C":
                found["taps"], "claimed": found["want"]}, points
    t = operator_table()["int"]
    reach = reaching_taps(t)
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
    return [int(reaching_taps(layer_columns(g, a))[0]) for a in range(g.ndim)]


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
        Step("Parameters", f"Kernel layout {tuple(c.kernel.shape)}: "
             r"$C_{\mathrm{out}} (C_{\mathrm{in}}/\mathrm{groups}) \prod k = "
             rf"{out_channels} \cdot {in_channels // groups} \cdot {prod(g.kernel_shape)} "
             f"= {params}$. "
             f"Taps reaching the input per axis: {reach} of {list(g.kernel_shape)}.", ()),
        Step("Symbols in C", f"C is {c.matrix.rows} x {c.matrix.cols} and holds {distinct} "
             f"distinct kernel symbols, each repeated along the rows (parameter sharing)."
             + t_text, tuple(displays)),
        compare_step(holds, "Distinct symbols and the count", difference, points),
    ]
    return with_parametric(counting_outcome(holds, steps, difference, points, domain=SMALL_TEXT),
                           "parameter-count", claim == "reaching")


MAC_TEXT = DOMAIN_TEXT + "; (output, tap) pairs counted one by one"


@cache
def _mac_sweep(claim: str) -> tuple[dict | None, int]:
    points, failures = 0, []
    for convention in CONVENTIONS:
        c = layer_points(convention)
        inside, padded = tap_pairs(c)
        rows = steps_window(c)[0]
        naive = rows * c["k"]
        macs = naive if claim == "naive" else inside
        t = operator_table()[convention]
        t_inside, _ = tap_pairs(t)
        t_macs = t["rows"] * t["k"] if claim == "naive" else t_inside
        bad = smallest_point({**c, "macs": macs, "nnz": inside, "naive": naive},
                             (macs != inside) | (inside + padded != naive), LAYER_KEYS)
        op_bad = smallest_point({**t, "macs": t_macs, "nnz": t["nnz"], "naive": t["rows"] * t["k"]},
                                t_macs != t["nnz"], LAYER_KEYS)
        failures += [(convention, op_bad), (convention, bad)]
        points += len(c["n"]) + len(t["n"])
    smallest = smallest_across(failures)
    if smallest is None:
        return None, points
    convention, found = smallest
    return {**layer_counterexample(convention, found), **ONE_CHANNEL,
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
    pairs = [tap_pairs(layer_columns(g, a)) for a in range(g.ndim)]
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
        Step("Two counts", r"Naive: $\mathrm{out\_size} \cdot C_{\mathrm{out}} \cdot "
             r"C_{\mathrm{in}}/\mathrm{groups} \cdot \prod k = "
             rf"{prod(g.output_shape)} \cdot {out_channels} \cdot {in_channels // groups} "
             rf"\cdot {prod(g.kernel_shape)} = {naive}$. (output, tap) pairs landing on the "
             f"input, counted: {inside}; on padding: "
             rf"${padded} = \text{{naive}} - \mathrm{{nnz}}$."
             + ("" if network is None else f" network.shape reports macs {network[0]}, "
                f"macs_nonzero {network[1]}."), ()),
        compare_step(holds, "The MAC count and the nonzeros of C", difference, points),
    ]
    return with_parametric(counting_outcome(holds, steps, difference, points, domain=MAC_TEXT),
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
    difference = found if here else {"params ratio": ExactText(p_ratio), "claimed params ratio":
                                     ExactText(p_claim), "MACs ratio": ExactText(m_ratio),
                                     "claimed MACs ratio": ExactText(m_claim)}
    small = correlation(Geometry((3, 3), g.kernel_shape if max(g.kernel_shape) <= 3 else
                                 (2, 2)))
    steps = [
        Step("Setting", f"Input {size_text(g.input_shape)} ({n_in} units), kernel "
             f"{size_text(g.kernel_shape)}, stride {axes_value(g.stride)}, valid: {n_out} outputs. "
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
        compare_step(holds, "The counts read off both operators and the ratios", difference,
                     points),
    ]
    return with_parametric(counting_outcome(holds, steps, difference, points, domain=FC_TEXT),
                           "fc-vs-conv-cost", params_ratio == macs_ratio == "closed")


