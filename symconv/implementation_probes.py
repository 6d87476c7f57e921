"""Whether code is the correlation at one geometry of any size, probe by probe.

:func:`check_layer` never builds a matrix: the lift's labelled probes
(:func:`symconv.lift.labelled_probes`) decode to the matrix one-to-one, so ``fn`` and
the correlation have the same matrix exactly when their outputs on every probe are
equal. The finite-domain check of any reference is
:func:`symconv.implementations.check_implementation`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from . import lift as lift_module
from .geometry import Geometry
from .operators import LinearOperator, correlation
from .proof import Proof, Step

__all__ = ["check_layer", "text_latex"]


def text_latex(text: str) -> str:
    """Plain words as a LaTeX display: ``\\text{...}`` with underscores escaped.

    Examples
    --------
    >>> print(text_latex("fn computes correlation at in_channels 2"))
    \\text{fn computes correlation at in\\_channels 2}
    """
    return "\\text{" + text.replace("_", "\\_") + "}"


def _per_tap(spatial: LinearOperator) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each spatial tap ``m``: the output rows and input columns it joins."""
    order = np.argsort(spatial.taps, kind="stable")
    bounds = np.searchsorted(spatial.taps[order], np.arange(int(np.prod(spatial.kernel_shape))
                                                           + 1))
    return [(spatial.rows[order[lo:hi]], spatial.cols[order[lo:hi]])
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def _expected_probe(per_tap: list, rows: int, inputs: int, column: int, first: int,
                    out_channels: int, in_channels: int, groups: int) -> np.ndarray:
    """The correlation's output on the labelled probe ``(column, first)`` of the lift."""
    i, m = divmod(column, len(per_tap))
    cin_g, cout_g = in_channels // groups, out_channels // groups
    r, j = per_tap[m]
    o = np.arange(first, min(first + lift_module.TAPS_PER_CALL, out_channels))
    c = (o // cout_g) * cin_g + i
    expected = np.zeros((out_channels, rows))
    expected[o[:, None], r[None, :]] = 2.0 ** (o - first)[:, None] * (
        2 * (c[:, None] * inputs + j[None, :]) + 1)
    return expected


def _apply_correlation(per_tap: list, rows: int, x: np.ndarray, w: np.ndarray,
                       groups: int) -> np.ndarray:
    """``C(w) x`` of the multi-channel correlation, by im2col and one product per group
    (exact: integer values, sums far below 2**53)."""
    cout, cin_g = w.shape[:2]
    xs = x.reshape(x.shape[0], -1)
    patches = np.zeros((x.shape[0], len(per_tap), rows))
    for m, (r, j) in enumerate(per_tap):
        patches[:, m, r] = xs[:, j]
    cout_g, y = cout // groups, np.zeros((cout, rows))
    for g in range(groups):
        block = slice(g * cout_g, (g + 1) * cout_g)
        y[block] = (w[block].reshape(cout_g, -1)
                    @ patches[g * cin_g:(g + 1) * cin_g].reshape(-1, rows))
    return y


def _first_difference(y: np.ndarray, expected: np.ndarray, **where: Any) -> dict | None:
    """Where ``fn``'s output ``y`` differs from the reference's, as a counterexample."""
    if y.shape != expected.shape:
        return {"implementation_output_shape": y.shape, "reference_output_shape": expected.shape,
                **where}
    differs = np.argwhere(y != expected)
    if not len(differs):
        return None
    at = tuple(int(v) for v in differs[0])
    return {"output_index": at, "implementation": float(y[at]),
            "reference": float(expected[at]), **where}


def check_layer(fn: Callable[..., Any], geometry: Geometry, *, in_channels: int = 1,
                out_channels: int = 1, groups: int = 1, seed: int = 0) -> Proof:
    """Whether ``fn`` is the correlation at one geometry of any size, without its matrix.

    The lift's labelled probes (:func:`symconv.lift.labelled_probes`) decode to the
    matrix one-to-one when every output entry is one product (which the lift's
    reproduction check confirms on random integer pairs, here against the reference
    directly), so ``fn`` and the correlation have the same matrix exactly when their
    outputs on every probe are equal: ``in/groups x K`` array comparisons instead of a
    matrix of ``out x in/groups x K x N`` entries. ``verified`` (never ``proved``: the
    lift's assumption is checked, not proved) or ``refuted`` with the first differing
    output entry (numeric values: the probe's labels, or a random integer pair's).

    Examples
    --------
    >>> import numpy as np
    >>> def identity_1x1(x, w, stride=1, padding=0, dilation=1):
    ...     return np.einsum("oc,c...->o...", w[:, :, 0], x)
    >>> check_layer(identity_1x1, Geometry((5,), (1,)), in_channels=2, out_channels=3).verdict
    'verified'
    """
    x_shape = (in_channels, *geometry.input_shape)
    w_shape = (out_channels, in_channels // groups, *geometry.kernel_shape)
    kwargs = {"stride": geometry.stride, "padding": geometry.padding,
              "dilation": geometry.dilation, **({"groups": groups} if groups != 1 else {})}
    call = lift_module.CountedCall(fn, kwargs, geometry.ndim, out_channels)
    pairs = lift_module.check_bilinear(call, x_shape, w_shape, np.random.default_rng(seed))
    spatial = correlation(geometry)
    per_tap, rows, inputs = _per_tap(spatial), spatial.shape[0], spatial.shape[1]
    shape = (out_channels, *geometry.output_shape)
    text = (f"input {x_shape}, kernel {w_shape}, stride {geometry.stride}, pads "
            f"{geometry.pads}, dilation {geometry.dilation}, groups {groups}")
    statement = f"{getattr(fn, '__name__', 'fn')} computes correlation at {text}"
    latex = text_latex(statement)
    examples = (_first_difference(y, _apply_correlation(per_tap, rows, x, w, groups).reshape(shape),
                                  on="a random integer pair") for x, w, y in pairs[::3])
    probes = (_first_difference(call(x, w), _expected_probe(
        per_tap, rows, inputs, column, first, out_channels, in_channels, groups).reshape(shape),
        on=f"labelled probe {column}") for column, first, x, w in
        lift_module.labelled_probes(x_shape, w_shape))
    example = next((e for e in itertools.chain(examples, probes) if e is not None), None)
    if example is not None:
        return Proof("implementation", statement, latex, {"geometry": text}, "refuted",
                     ["symbolic"], counterexample=example, domain=text,
                     steps=[Step("Compare", f"fn's output differs on {example['on']}.")])
    steps = [Step("Assumption", f"fn is bilinear: checked in {lift_module.BILINEARITY_TRIALS} "
                  "trials on random integer pairs, not proved from fn's code; on "
                  f"{len(pairs[::3])} of them fn's output equals the correlation's."),
             Step("Compare", f"{call.calls} calls of fn; on every labelled probe fn's output "
                  "equals the correlation's exactly, so the two matrices are equal entry by "
                  "entry.")]
    return Proof("implementation", statement, latex, {"geometry": text}, "verified",
                 ["symbolic", "exhaustive"], domain=text, steps=steps)
