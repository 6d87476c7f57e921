"""Counting theorem: the pooling output size (PyTorch's ceil mode and its drop rule).

The shared sweep machinery is :mod:`symconv.theorems.counting`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from math import prod

import numpy as np
import sympy

from ..errors import SymconvError
from ..geometry import (
    PoolGeometry,
)
from ..operators import (
    max_pool,
)
from ..proof import Math, Step
from .common import (
    TORCH_NOT_RUN,
    optional_backend,
    show,
)
from .counting import (
    FAMILY,
    Columns,
    axes_value,
    compare_step,
    count_windows,
    counting_outcome,
    grid,
    restrict,
    size_text,
    smallest_point,
    with_parametric,
)
from .counting_output_size import single_thread, torch_unchecked
from .engine import Outcome, theorem

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
    c = grid(n=range(1, 65), k=range(1, 8), s=range(1, 5), p=range(4), d=range(1, 4),
             ceil=range(2))
    c = restrict(c, (2 * c["p"] <= c["k"]) & (c["d"] * (c["k"] - 1) + 1 <= c["n"] + 2 * c["p"]))
    truth = _pool_truth(c)
    claimed = pool_formula(c["n"], c["k"], c["s"], c["p"], c["d"], c["ceil"], drop_rule)
    valid = truth >= 1
    found = smallest_point({**c, "formula": claimed, "windows": truth}, valid & (claimed != truth),
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

    with single_thread(torch):
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
        Step("Setting", f"Pooling: input {size_text(g.input_shape)}, window "
             f"{size_text(g.kernel_shape)}, stride {axes_value(g.stride)}, "
             f"padding {axes_value(g.padding)}, "
             f"dilation {axes_value(g.dilation)}, ceil_mode {ceil_mode}.", ()),
        Step("Windows", f"max_pool has {len(mp.windows)} windows (flat input positions: "
             f"{windows_text}{' ...' if len(mp.windows) > 12 else ''}).",
             (show("y", y),)),
        Step("Formula", f"The closed form gives {per_axis} per axis"
             f"{'' if drop_rule else ' (without the right-padding drop rule)'}.",
             (Math(r"\mathrm{out} = \left\lceil \frac{n + 2p - d(k-1) - 1}{s}\right\rceil + 1"
                   r" - [\,(\mathrm{out}-1)s \ge n + p\,]",
                   "out = ceil((n + 2p - d(k-1) - 1)/s) + 1, minus 1 if (out-1)*s >= n + p"),)),
        compare_step(holds, "Windows of max_pool, counted windows, "
                     f"{'torch ' if torch_run else ''}and the formula", difference, points),
    ]
    outcome = counting_outcome(holds, steps, difference, points,
                               domain=POOL_TEXT if torch_run else POOL_TEXT_BASE)
    if not torch_run:
        steps.append(Step("PyTorch", "The cross-check against the output length of "
                          f"torch.nn.functional.max_pool1d is {TORCH_NOT_RUN}; only "
                          "max_pool's windows and the counted windows were compared.", ()))
        outcome = replace(outcome, steps=tuple(steps), statement=(torch_unchecked(
            POOL_STATEMENT, POOL_TORCH_CLAIM, "the output length of "
            "torch.nn.functional.max_pool1d"), POOL_LATEX),
            domain=f"{outcome.domain}; the cross-check against {POOL_TORCH_TEXT} "
                   f"{TORCH_NOT_RUN}")
    return with_parametric(outcome, "pool-output-size", bool(drop_rule))


def _symbols_of(shape: Sequence[int]) -> list:
    return [sympy.Symbol(f"x_{{{','.join(map(str, idx))}}}")
            for idx in itertools.product(*map(range, shape))]


