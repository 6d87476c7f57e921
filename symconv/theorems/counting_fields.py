"""Counting theorem: the receptive field of a chain of layers.

The shared sweep machinery is :mod:`symconv.theorems.counting`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import sympy

from ..errors import SymconvError, TheoremError, describe
from ..geometry import (
    Geometry,
)
from ..operators import (
    correlation,
)
from ..proof import Math, Step
from .common import (
    show,
)
from .counting import FAMILY, compare_step, counting_outcome, with_parametric
from .engine import Outcome, is_integer, theorem

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
        Step("Setting", f"Input {n}; layers $(k, s, p, d)$ = {layers}; sizes {sizes}.", ()),
        Step("Composed operator", "Each layer's correlation matrix with every kernel entry 1; "
             "the product counts paths from input to output, so its nonzeros are exactly the "
             f"inputs a unit depends on. Interior rows (no padding read at any layer): "
             f"{interior}.", (show(r"C_L \cdots C_1", sympy.Matrix(composed)),)),
        Step("Closed forms", "; ".join(lines) + ".",
             (Math(r"r_L = 1 + \sum_l d_l (k_l - 1) \prod_{i<l} s_i",
                   "r_L = 1 + sum_l d_l (k_l - 1) prod_{i<l} s_i"),)),
        Step("Deeper units see more (seed 001)", "Receptive field by depth: "
             f"{depth_fields}: {'strictly increasing' if growing else 'not strictly increasing'}"
             "; each layer adds $d_l(k_l - 1)$ times the stride product before it, which is "
             r"$\ge 1$ exactly when $k_l \ge 2$.", ()),
        compare_step(holds, "Supports of the interior rows and the closed forms", difference,
                     points),
    ]
    outcome = counting_outcome(holds, steps, difference, points, domain=f"the given chain (exact "
                               f"integer matrices) and {RF_TEXT}", evidence=("exhaustive",))
    return with_parametric(outcome, "receptive-field", product_upto == "previous")


