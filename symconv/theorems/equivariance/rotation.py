"""Rotation by quarter turns: ``rotation`` (``C(R k) R = R C(k)``; refuted with the
kernel left alone) and ``rotation-not-equivariant`` (a witness for a general kernel).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import sympy

from ... import numeric
from ...errors import TheoremError, require
from ...geometry import Geometry
from ...operators import (
    LinearOperator,
    correlation,
    input_symbols,
)
from ...proof import Math, Step
from ..common import comparison_step, flat, layer_text, random_integers, show
from ..engine import Outcome, first_difference, theorem
from .shared import FAMILY, rotate

ROTATION = {"input_shape": (4, 4), "kernel_shape": (3, 3), "padding": 1, "turns": 1,
            "rotate_kernel": True, "in_channels": 1, "out_channels": 1}


def _rotation_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 5):
        for k in range(1, min(n, 3) + 1):
            for p in range(0, k // 2 + 1):
                for turns in (1, 2, 3):
                    points.append({**ROTATION, "input_shape": (n, n), "kernel_shape": (k, k),
                                   "padding": p, "turns": turns})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0], q["turns"]))
    return points


def square_geometry(input_shape: Any, kernel_shape: Any, padding: Any) -> Geometry:
    """A stride-1 geometry a quarter turn maps to itself: square input and kernel,
    the same padding on all four sides (else a :class:`TheoremError` naming the rule)."""
    g = Geometry(input_shape, kernel_shape, 1, padding)
    require(g.ndim == 2 and g.input_shape[0] == g.input_shape[1], "input_shape", input_shape,
            "must be a square 2-D grid for a quarter-turn rotation", "(n, n)",
            error=TheoremError)
    require(g.kernel_shape[0] == g.kernel_shape[1], "kernel_shape", kernel_shape,
            "must be square for a quarter-turn rotation", "(k, k)", error=TheoremError)
    require(len({v for pair in g.pads for v in pair}) == 1, "padding", padding,
            "must be the same on all four sides (symmetric)", "an int", error=TheoremError)
    return g


def rotation_sides(g: Geometry, turns: int, rotate_kernel: bool, in_channels: int = 1,
                   out_channels: int = 1) -> tuple[sympy.Array, sympy.Array, LinearOperator]:
    """``C(R k) R x`` (or ``C(k) R x``) and ``R C(k) x`` with symbolic ``k`` and ``x``."""
    c = correlation(g, in_channels, out_channels)
    x = input_symbols(c.input_shape)
    kernel = c.kernel
    swap = dict(zip(flat(kernel), flat(rotate(kernel, turns)))) if rotate_kernel else {}
    lhs = c.apply(rotate(x, turns)).xreplace(swap) if swap else c.apply(rotate(x, turns))
    rhs = rotate(c.apply(x), turns)
    return lhs, rhs, c


@theorem("rotation", family=FAMILY,
         statement="Rotating the input and the kernel by the same quarter turns rotates the "
                   "output: C(R k) R x = R C(k) x (square input, symmetric padding, stride 1), "
                   "equivalently C(k) R = R C(R^-1 k). With the kernel not rotated "
                   "(rotate_kernel=False) the claim C(k) R = R C(k) is refuted.",
         latex=r"C(R k)\, R\, x = R\, C(k)\, x,\qquad (R x)_{i,j} = x_{j,\, n-1-i}",
         parameters=ROTATION, domain=_rotation_domain,
         domain_text="every square 2-D correlation with n<=4, k<=min(n,3), symmetric padding "
                     "p<=k//2, and 1, 2, 3 quarter turns")
def rotation(input_shape, kernel_shape, padding, turns, rotate_kernel, in_channels,
             out_channels) -> Outcome:
    """Both sides as symbolic arrays; the kernel symbols are permuted by the rotation."""
    g = square_geometry(input_shape, kernel_shape, padding)
    lhs, rhs, c = rotation_sides(g, turns, rotate_kernel, in_channels, out_channels)
    name = r"C(R k)\,R x" if rotate_kernel else r"C(k)\,R x"
    difference = first_difference(lhs, rhs, (name.replace("\\,", " "), "R C(k) x"))
    steps = (
        Step("Setting", f"Square correlation: {layer_text(g)}; channels {in_channels} -> "
             f"{out_channels}. $R$ turns a grid by {turns} quarter turn(s) counter-clockwise "
             "(NumPy's rot90); on the kernel it acts on the two spatial axes.",
             (Math(r"(R x)_{i,j} = x_{j,\, n-1-i}", "(R x)[i, j] = x[j, n-1-i]"),)),
        Step("Why", "With symmetric padding $p$, $(C(k) R x)_{i,j} = \\sum_{a,b} k_{a,b}\\, "
             "x_{j + b - p,\\; n-1-i-a+p}$ and $(R\\,C(k') x)_{i,j} = (C(k')x)_{j,\\,n'-1-i} "
             "= \\sum_{a,b} k'_{a,b}\\, x_{j + a - p,\\; n-1-i + b - p}$ (with $n' - 1 - 2p = "
             "n - K$), so the sides match when $k'_{a,b} = k_{K-1-b,\\,a}$, i.e. "
             "$k' = R^{-1} k$.",
             (show("k", sympy.Matrix(c.kernel[0, 0].tolist())),
              show(r"R k", sympy.Matrix(rotate(c.kernel[0, 0], turns).tolist())))),
        Step("Both sides", "Their first entries (all entries are compared below):",
             (show(f"({name})_{{0,0}}", lhs[0, 0, 0]),
              show(r"(R\,C(k) x)_{0,0}", rhs[0, 0, 0]))),
        comparison_step(name, r"R\,C(k) x", int(np.prod(lhs.shape)), difference is None,
                        difference),
    )
    return Outcome(difference is None, steps, difference,
                   numeric=difference is None and _rotation_numeric(g, turns, rotate_kernel,
                                                                    in_channels, out_channels))


def _rotation_numeric(g: Geometry, turns: int, rotate_kernel: bool, in_channels: int,
                      out_channels: int) -> bool:
    for seed in range(3):
        w = random_integers((out_channels, in_channels, *g.kernel_shape), 2 * seed)
        x = random_integers((in_channels, *g.input_shape), 2 * seed + 1)
        wk = np.rot90(w, turns, axes=(2, 3)) if rotate_kernel else w
        lhs = numeric.correlate(np.rot90(x, turns, axes=(1, 2)), wk, g)
        rhs = np.rot90(numeric.correlate(x, w, g), turns, axes=(1, 2))
        if not np.allclose(lhs, rhs):
            return False
    return True


@theorem("rotation-not-equivariant", family=FAMILY,
         statement="Correlation with a general kernel is not equivariant to rotation: there are "
                   "a kernel k and an input x with C(k) R x != R C(k) x (R a quarter turn; "
                   "square input, symmetric padding).",
         latex=r"\exists\, k, x:\ C(k)\, R\, x \neq R\, C(k)\, x",
         parameters={"input_shape": (3, 3), "kernel_shape": (3, 3), "padding": 1, "turns": 1})
def rotation_not_equivariant(input_shape, kernel_shape, padding, turns) -> Outcome:
    """The symbolic difference is nonzero; a concrete integer kernel and impulse show it."""
    g = square_geometry(input_shape, kernel_shape, padding)
    lhs, rhs, c = rotation_sides(g, turns, rotate_kernel=False)
    symbolic = first_difference(lhs, rhs, ("C(k) R x", "R C(k) x"))
    w = np.arange(1, int(np.prod(g.kernel_shape)) + 1).reshape(1, 1, *g.kernel_shape)
    concrete = None
    for position in itertools.product(*map(range, g.input_shape)):
        x = np.zeros((1, *g.input_shape), dtype=int)
        x[(0, *position)] = 1
        a = numeric.correlate(np.rot90(x, turns, axes=(1, 2)), w, g)
        b = np.rot90(numeric.correlate(x, w, g), turns, axes=(1, 2))
        if not np.array_equal(a, b):
            where = tuple(int(v) for v in np.argwhere(a != b)[0])
            concrete = {"kernel": w[0, 0].tolist(), "impulse_at": position, "position": where,
                        "C(k) R x": int(a[where]), "R C(k) x": int(b[where])}
            break
    holds = symbolic is not None and concrete is not None
    where = tuple(symbolic["position"]) if symbolic else (0, 0, 0)
    at = ",".join(map(str, where[1:]))
    witness = {**symbolic, **{f"numeric {key}": value for key, value in concrete.items()}} \
        if holds else None
    steps = (
        Step("Setting", f"Square correlation: {layer_text(g)}; $R$ = {turns} quarter turn(s).",
             (Math(r"(R x)_{i,j} = x_{j,\, n-1-i}", "(R x)[i, j] = x[j, n-1-i]"),)),
        Step("Symbolic", "With a symbolic kernel the two sides are different polynomials. "
             "(By the rotation theorem $C(k) R = R\\,C(R^{-1} k)$, so they agree when the "
             "kernel has the four-fold symmetry $R k = k$.) The first differing entry:",
             (show(f"(C(k)\\,R x)_{{{at}}}", lhs[where]),
              show(f"(R\\,C(k) x)_{{{at}}}", rhs[where]))),
        Step("Witness", "A concrete case: kernel "
             + (f"{concrete['kernel']}, unit impulse at {concrete['impulse_at']}: at output "
                f"{concrete['position']} the sides are {concrete['C(k) R x']} and "
                f"{concrete['R C(k) x']}." if concrete else "none found."),
             (Math(r"C(k)\,R x \neq R\,C(k)\,x", "C(k) R x != R C(k) x"),)),
    )
    return Outcome(holds, steps, None if holds else {"difference": "no witness found"},
                   witness=witness, evidence=("exhaustive",), numeric=holds,
                   domain="unit impulses at the input positions in order, integer kernel "
                          "1..K^2, until the sides differ (the symbolic entries differ too)")
