"""``transposed-as-convolution``: ``T = C_flip P Z``, a transposed convolution as zero
insertion, padding (or cropping) and a stride-1 correlation with the flipped kernel.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from ...claim.theorem import claim_outcome, layer_signals
from ...errors import SymconvError
from ...geometry import TransposedGeometry
from ..engine import Outcome, theorem
from ..structure import with_index_proof
from .shared import claim_tuple, group_of


def pad_or_crop(shape: Sequence[int], pads: Sequence[tuple[int, int]],
                channels: int = 1) -> sympy.SparseMatrix:
    """Zero padding by ``(before, after)`` per axis; a negative amount crops instead.

    :func:`symconv.operators.zero_padding` takes non-negative pads only; the recipe for
    a transposed convolution with ``p > d(k-1)`` needs cropping.

    Examples
    --------
    >>> pad_or_crop((3,), [(1, -1)])
    Matrix([
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 0]])
    """
    out = tuple(n + b + a for n, (b, a) in zip(shape, pads))
    if min(out) < 1:
        raise ValueError(f"pads {tuple(pads)} leave nothing of shape {tuple(shape)}")
    in_size, out_size = math.prod(shape), math.prod(out)
    entries = {}
    for j in itertools.product(*map(range, shape)):
        target = tuple(a + b for a, (b, _) in zip(j, pads))
        if all(0 <= t < o for t, o in zip(target, out)):
            row = int(np.ravel_multi_index(target, out))
            col = int(np.ravel_multi_index(j, shape))
            for c in range(channels):
                entries[(c * out_size + row, c * in_size + col)] = 1
    return sympy.SparseMatrix(channels * out_size, channels * in_size, entries)


def recipe_pads(tg: TransposedGeometry, inserted: Sequence[int], pad_rule: str
                ) -> tuple[tuple[int, int], ...]:
    """The padding of step 3 of the recipe, per axis.

    ``"exact"``: before ``d(k-1) - p``; after whatever makes the stride-1 output the
    transposed output size (``d(k-1) - p + output_padding`` with zeros only between samples).
    ``"notes"``: seed 003's rule: the total from the sizes, split as TensorFlow's SAME (odd
    pixel after), then before and after swapped.
    """
    pads = []
    for n_out, k, d, p, length in zip(tg.output_shape, tg.kernel_shape, tg.dilation,
                                      tg.padding, inserted):
        total = n_out + d * (k - 1) - length
        if pad_rule == "exact":
            before = d * (k - 1) - p
        else:
            before = total - total // 2
        pads.append((before, total - before))
    return tuple(pads)


def _recipe_kernel(weights: sympy.NDimArray, in_channels: int, out_channels: int,
                   groups: int) -> list[sympy.Expr]:
    """Correlation kernel (out, in/groups, *k) = the ConvTranspose weight flipped, channels
    swapped: ``K[o, c', m] = W[g C_in/groups + c', o mod (C_out/groups), K - 1 - m]``."""
    spatial = tuple(weights.shape[2:])
    cin_g, cout_g = in_channels // groups, out_channels // groups
    flipped = []
    for o in range(out_channels):
        first = group_of(o, cout_g) * cin_g
        for c in range(cin_g):
            for m in itertools.product(*map(range, spatial)):
                back = tuple(k - 1 - a for a, k in zip(m, spatial))
                flipped.append(weights[(first + c, o % cout_g, *back)])
    return flipped


def transposed_domain() -> list[dict[str, Any]]:
    """The exhaustive domain of the 1-D transposed-convolution theorems, smallest first:
    every valid geometry with ``n, k <= 3``, ``s <= 3``, ``p <= 1``, ``d <= 2``."""
    points = []
    for n in range(1, 4):
        for k in range(1, 4):
            for s in (1, 2, 3):
                for p in (0, 1):
                    for d in (1, 2):
                        for op in range(max(s, d)):
                            try:
                                TransposedGeometry((n,), (k,), s, p, op, d)
                            except SymconvError:
                                continue
                            points.append({**TRANSPOSED_DEFAULTS, "input_shape": (n,),
                                           "kernel_shape": (k,), "stride": s, "padding": p,
                                           "output_padding": op, "dilation": d})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]
                               + q["padding"] + q["output_padding"] + q["dilation"]))
    return points + [
        {**TRANSPOSED_DEFAULTS, "in_channels": 2, "out_channels": 3},
        {**TRANSPOSED_DEFAULTS, "in_channels": 4, "out_channels": 2, "groups": 2},
        {**TRANSPOSED_DEFAULTS, "input_shape": (2, 2), "kernel_shape": (3, 2),
         "stride": (2, 1), "padding": (1, 0), "output_padding": (1, 0), "dilation": 1},
    ]


TRANSPOSED_DEFAULTS = {"input_shape": (3,), "kernel_shape": (3,), "stride": 2, "padding": 1,
                       "output_padding": 1, "dilation": 1, "in_channels": 1, "out_channels": 1,
                       "groups": 1, "pad_rule": "exact", "insertion": "between"}


@theorem("transposed-as-convolution", family="decomposition",
         statement="The scatter-defined transposed convolution equals a stride-1 correlation "
                   "of the zero-inserted (s-1 zeros between samples), padded (d(k-1)-p before, "
                   "d(k-1)-p+output_padding after) input with the flipped, dilated kernel, "
                   "channels swapped: T = C_flip P Z.",
         latex=r"T = C_{\text{flip}}\, P\, Z,\quad P:\ (d(k-1) - p,\ d(k-1) - p + "
               r"\mathrm{op})",
         parameters=TRANSPOSED_DEFAULTS, domain=transposed_domain,
         domain_text="every valid 1-D ConvTranspose with n<=3, k<=3, s<=3, p<=1, d<=2, "
                     "output_padding < max(s, d); plus 2->3 channels, 4->2 channels in 2 "
                     "groups, and a 2-D 2x2 input (kernel 3x2, stride (2,1))")
def transposed_as_convolution(input_shape, kernel_shape, stride, padding, output_padding,
                              dilation, in_channels, out_channels, groups, pad_rule,
                              insertion) -> Outcome:
    """Build ``Z``, ``P`` and ``C_flip`` from the operators; compare ``C_flip P Z`` with T.

    ``insertion="after"`` appends ``s-1`` zeros after every sample (the notes' literal
    wording); ``pad_rule="notes"`` uses seed 003's padding rule (see :func:`recipe_pads`).
    """
    if pad_rule not in ("exact", "notes") or insertion not in ("between", "after"):
        raise SymconvError(f"pad_rule must be 'exact' or 'notes' and insertion 'between' or "
                           f"'after', got {pad_rule!r}, {insertion!r}")
    tg = TransposedGeometry(input_shape, kernel_shape, stride, padding, output_padding, dilation)
    inserted = tuple((n - 1) * s + 1 for n, s in zip(tg.input_shape, tg.stride))
    z = f"upsample(x, {claim_tuple(tg.stride)})"
    if insertion == "after":
        inserted = tuple(n + s - 1 for n, s in zip(inserted, tg.stride))
        z = (f"pad({z}, {claim_tuple((0,) * len(inserted))}, "
             f"{claim_tuple(tuple(s - 1 for s in tg.stride))})")
    pads = recipe_pads(tg, inserted, pad_rule)
    grown = (f"pad({z}, {claim_tuple([max(b, 0) for b, _ in pads])}, "
             f"{claim_tuple([max(a, 0) for _, a in pads])})")
    if min(min(pair) for pair in pads) < 0:  # a negative amount crops
        grown = (f"crop({grown}, {claim_tuple([max(-b, 0) for b, _ in pads])}, "
                 f"{claim_tuple([max(-a, 0) for _, a in pads])})")
    claim = (f"conv_transpose(x, k, stride={claim_tuple(tg.stride)}, "
             f"padding={claim_tuple(tg.padding)}, "
             f"output_padding={claim_tuple(tg.output_padding)}, "
             f"dilation={claim_tuple(tg.dilation)}, groups=g) == "
             f"corr({grown}, flip(transpose_weight(k, groups=g)), "
             f"dilation={claim_tuple(tg.dilation)}, groups=g)")
    outcome = claim_outcome(claim, **layer_signals(tg.input_shape, tg.kernel_shape,
                                                   in_channels, out_channels, groups,
                                                   transposed=True))
    return with_index_proof(outcome, "transposed-as-convolution",
                            pad_rule == "exact" and insertion == "between")
