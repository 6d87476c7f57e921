"""Check anyone's convolution code against symconv's operators, and name its bug.

:func:`check_implementation` lifts ``fn`` (:func:`symconv.lift.lift`) at every
geometry of a finite domain, in order of size, and compares the lifted operator
with the reference operator exactly (their coefficient maps, :mod:`symconv.sparse`:
the same answer as expanding the difference of the two symbolic matrices).

The verdict is never ``proved``: the statement "fn computes the reference" is about
all sizes and the domain is finite, and the lift rests on an assumption (``fn`` is
bilinear) that is checked on random integer pairs, not proved from ``fn``'s code.
Every point equal gives ``verified`` on the domain (evidence ``symbolic`` at each
point, ``exhaustive`` over the domain); a difference gives ``refuted`` with the
smallest failing geometry, the first differing output entry with both symbolic
values, and a diagnosis: the known mistake (:data:`VARIANTS`) whose operator equals
the lifted one at that point, or ``"none of the known variants"``.

Examples
--------
>>> import numpy as np
>>> def flipped(x, w, stride=1, padding=0, dilation=1):
...     xp = np.pad(x, ((0, 0), (padding, padding)))
...     k = w[..., ::-1]
...     out = (xp.shape[-1] - w.shape[-1]) // stride + 1
...     return np.array([[np.sum(k[o] * xp[:, stride * i:stride * i + w.shape[-1]])
...                       for i in range(out)] for o in range(w.shape[0])])
>>> p = check_implementation(flipped, domain="1 <= n <= 3, 1 <= K <= 2, s = 1, p = 0")
>>> p.verdict, p.diagnosis
('refuted', 'kernel flipped')
>>> p.counterexample["n"], p.counterexample["K"], p.counterexample["implementation"]
(2, 2, 'k_{0,0,0}*x_{0,1} + k_{0,0,1}*x_{0,0}')
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import sympy

from . import lift as lift_module
from .errors import SymconvError, describe
from .geometry import Geometry, TransposedGeometry, conv_output_size
from .lift import ImplementationError, lift
from .operators import (
    LinearOperator,
    combine_axes,
    correlation,
    indexed_symbols,
    transposed_convolution,
)
from .proof import Math, Proof, Step
from .sparse import coefficient_map, first_map_difference
from .validation import is_integer

REFERENCES = ("correlation", "convolution", "transposed_convolution")
#: Domain size names: input size, kernel size, stride, padding, dilation, channels, groups.
NAMES = ("n", "K", "s", "p", "d", "c", "g")
DEFAULT_RANGES = {"n": (1, 6), "K": (1, 3), "s": (1, 2), "p": (0, 1), "d": (1, 2),
                  "c": (1, 1), "g": (1, 1)}
NO_VARIANT = "none of the known variants"


class DomainError(SymconvError):
    """A domain of geometries that cannot be read."""


# ---------------------------------------------------------------------------
# The domain
# ---------------------------------------------------------------------------

def parse_domain(text: str | None, fixed: dict[str, int]) -> dict[str, tuple[int, int]]:
    """``"1 <= n <= 7, K <= 3, s = 2"`` -> ranges per name (defaults for the rest).

    Examples
    --------
    >>> r = parse_domain("1 <= n <= 7, K <= 3, s = 2", {"d": 1})
    >>> r["n"], r["K"], r["s"], r["d"]
    ((1, 7), (1, 3), (2, 2), (1, 1))
    """
    ranges = dict(DEFAULT_RANGES)
    for part in filter(None, (item.strip() for item in (text or "").split(","))):
        match = re.fullmatch(r"(?:(-?\d+)\s*<=\s*)?([A-Za-z]+)\s*(?:(<=|=)\s*(-?\d+))?", part)
        if not match or match.group(2) not in NAMES or not (match.group(1) or match.group(4)):
            raise DomainError(describe("domain", part, "must be a bound like '1 <= n <= 7', "
                                       "'n <= 7' or 's = 2' on a size name",
                                       ", ".join(NAMES)))
        low, name, op, high = match.groups()
        old_low, old_high = ranges[name]
        if op == "=":
            ranges[name] = (int(high), int(high))
        else:
            ranges[name] = (int(low) if low else old_low, int(high) if high else old_high)
    for name, value in fixed.items():
        ranges[name] = (value, value)
    return ranges


def _fixed(fixed: dict[str, Any]) -> dict[str, int]:
    aliases = {"input_size": "n", "kernel_size": "K", "stride": "s", "padding": "p",
               "dilation": "d", "channels": "c", "groups": "g"}
    out = {}
    for key, value in fixed.items():
        name = aliases.get(key, key)
        if name not in NAMES or not is_integer(value):
            raise DomainError(describe(key, value, "must be a size name with an integer value",
                                       ", ".join(NAMES + tuple(aliases))))
        out[name] = value
    return out


def _points(ranges: dict[str, tuple[int, int]], reference: str, ndim: int) -> list[dict]:
    """The valid geometries of the ranges, smallest first."""
    points = []
    for values in itertools.product(*(range(lo, hi + 1) for lo, hi in ranges.values())):
        point = dict(zip(ranges, values))
        if _valid(point, reference, ndim):
            points.append(point)
    return sorted(points, key=lambda q: (sum(q.values()), tuple(q.values())))


def _valid(point: dict, reference: str, ndim: int) -> bool:
    c, g = point["c"], point["g"]
    if c < 1 or g < 1 or c % g:
        return False
    try:
        _reference(point, reference, ndim)
    except SymconvError:
        return False
    return True


# ---------------------------------------------------------------------------
# Reference operators and the catalogue of known mistakes
# ---------------------------------------------------------------------------

def _reference(point: dict, reference: str, ndim: int) -> LinearOperator:
    n, k, s, p, d, c, g = (point[name] for name in NAMES)
    if reference == "transposed_convolution":
        return transposed_convolution(TransposedGeometry((n,) * ndim, (k,) * ndim, s, p, 0, d),
                                      in_channels=c, out_channels=c, groups=g, kernel_name="k")
    return correlation(Geometry((n,) * ndim, (k,) * ndim, s, p, d), c, c, g,
                       flip=reference == "convolution")


def _windows(point: dict, ndim: int, *, pads: tuple[int, int] | None = None,
             dilation: int | None = None, windows: int = 0, from_end: bool = False,
             flip: bool = False, swap_axes: bool = False, channels: str = "groups",
             transposed: bool = False) -> LinearOperator | None:
    """A correlation (or scatter) operator with one mistake; None if no output size fits.

    The index rule per axis is ``j = s*i + start - p_before + d*m`` (correlation) or
    output ``s*j - p_before + d*m`` (scatter), with the mistake's pads, dilation,
    window count (``windows`` more or fewer), start (``from_end``: windows aligned to
    the end of the padded input) and kernel tap order.
    """
    n, k, s, p, d, c, g = (point[name] for name in NAMES)
    pb, pa = pads if pads is not None else (p, p)
    dil = d if dilation is None else dilation
    if transposed:
        out = (n - 1) * s - 2 * p + d * (k - 1) + 1
        i, m = np.meshgrid(np.arange(n), np.arange(k), indexing="ij")
        o = s * i - pb + dil * m
        keep = (o >= 0) & (o < out)
        triple = np.stack([o[keep], m[keep], i[keep]], axis=1)
    else:
        span = dil * (k - 1) + 1
        out = conv_output_size(n, k, s, pb, pa, dil) + windows
        start = (n + pb + pa - span) % s if from_end else 0
        i, m = np.meshgrid(np.arange(max(out, 0)), np.arange(k), indexing="ij")
        j = s * i + start - pb + dil * m
        keep = (j >= 0) & (j < n)
        triple = np.stack([i[keep], m[keep], j[keep]], axis=1)
    if out < 0:
        return None
    if flip:
        triple[:, 1] = k - 1 - triple[:, 1]
    spatial = (n,) * ndim
    out_flat, tap_flat, in_flat = combine_axes([triple] * ndim, (out,) * ndim, (k,) * ndim,
                                                spatial)
    if swap_axes:
        tap_flat = np.arange(k ** 2).reshape(k, k).T.reshape(-1)[tap_flat]
    blocks = _channel_blocks(c, g, channels, transposed)
    out_size, in_size, taps = out ** ndim, n ** ndim, k ** ndim
    rows = np.concatenate([o * out_size + out_flat for o, _, _ in blocks])
    cols = np.concatenate([ci * in_size + in_flat for _, ci, _ in blocks])
    tap = np.concatenate([b * taps + tap_flat for _, _, b in blocks])
    return LinearOperator("variant", (c, *spatial), (c, *(out,) * ndim), rows, cols, tap, None,
                          indexed_symbols((c, c // g, *(k,) * ndim), "k"))


def _channel_blocks(c: int, g: int, mode: str, transposed: bool) -> list[tuple[int, int, int]]:
    """``(output channel, input channel, kernel block)`` of every block, by mapping mode.

    ``"groups"``: the right mapping; ``"interleaved"``: input channel ``i*g + group``
    instead of ``group*(c/g) + i``; ``"swapped"``: the kernel read in the other layout
    ((in, out) for a correlation, (out, in) for a transposed convolution).
    """
    per = c // g
    blocks = []
    for o, i in itertools.product(range(c), range(per)):
        group = o // per
        ci = i * g + group if mode == "interleaved" else group * per + i
        transposed_layout = transposed != (mode == "swapped")
        blocks.append((o, ci, ci * per + o % per if transposed_layout else o * per + i))
    return blocks


def _ignored_groups(point: dict, ndim: int, flip: bool) -> LinearOperator:
    """Groups ignored: every output channel sums over all input channels, w[o, c % (c/g)]."""
    base = _windows(dict(point, c=1, g=1), ndim, flip=flip)
    c, g = point["c"], point["g"]
    per = c // g
    out_size, in_size, taps = (int(np.prod(base.output_shape)), int(np.prod(base.input_shape)),
                               int(np.prod(base.kernel_shape)))
    blocks = [(o, ci, o * per + ci % per) for o in range(c) for ci in range(c)]
    rows = np.concatenate([o * out_size + base.rows for o, _, _ in blocks])
    cols = np.concatenate([ci * in_size + base.cols for _, ci, _ in blocks])
    tap = np.concatenate([b * taps + base.taps for _, _, b in blocks])
    return LinearOperator("variant", (c, *base.input_shape[1:]), (c, *base.output_shape[1:]),
                          rows, cols, tap, None, indexed_symbols((c, per, *base.kernel_shape[2:]),
                                                                 "k"))


def _variants(reference: str, point: dict, ndim: int) -> list[tuple[str, Callable]]:
    """The catalogue at a point: (name, builder) for each known mistake."""
    p, flip = point["p"], reference == "convolution"
    if reference == "transposed_convolution":
        return [
            ("kernel flipped", lambda: _windows(point, ndim, flip=True, transposed=True)),
            ("transposed scatter off by the padding (padding not subtracted)",
             lambda: _windows(point, ndim, pads=(0, 0), transposed=True)),
            ("transposed scatter off by the padding (padding subtracted twice)",
             lambda: _windows(point, ndim, pads=(2 * p, 0), transposed=True)),
            ("dilation ignored", lambda: _windows(point, ndim, dilation=1, transposed=True)),
            ("kernel axes transposed", lambda: _windows(point, ndim, swap_axes=True,
                                                        transposed=True)),
            ("wrong channel/group mapping (kernel axes in/out swapped)",
             lambda: _windows(point, ndim, channels="swapped", transposed=True)),
        ]
    return [
        ("kernel not flipped" if flip else "kernel flipped",
         lambda: _windows(point, ndim, flip=not flip)),
        ("padding ignored", lambda: _windows(point, ndim, pads=(0, 0), flip=flip)),
        ("all padding before", lambda: _windows(point, ndim, pads=(2 * p, 0), flip=flip)),
        ("all padding after", lambda: _windows(point, ndim, pads=(0, 2 * p), flip=flip)),
        ("output size off by one window (one too few)",
         lambda: _windows(point, ndim, windows=-1, flip=flip)),
        ("output size off by one window (one too many)",
         lambda: _windows(point, ndim, windows=1, flip=flip)),
        ("dilation ignored", lambda: _windows(point, ndim, dilation=1, flip=flip)),
        ("stride counted from the other end", lambda: _windows(point, ndim, from_end=True,
                                                               flip=flip)),
        ("kernel axes transposed", lambda: _windows(point, ndim, swap_axes=True, flip=flip)),
        ("wrong channel/group mapping (groups ignored)",
         lambda: _ignored_groups(point, ndim, flip)),
        ("wrong channel/group mapping (input channels interleaved across groups)",
         lambda: _windows(point, ndim, channels="interleaved", flip=flip)),
        ("wrong channel/group mapping (kernel axes out/in swapped)",
         lambda: _windows(point, ndim, channels="swapped", flip=flip)),
    ]


def _difference(a: LinearOperator, b: LinearOperator) -> tuple[int, int, int] | None | str:
    """The first differing ``(row, col, tap)`` of two operators with one kernel layout, None
    if they are equal, ``"shape"`` if their output shapes differ."""
    if a.output_shape != b.output_shape or a.input_shape != b.input_shape \
            or a.kernel_shape != b.kernel_shape:
        return "shape"
    found = first_map_difference(coefficient_map(a.rows, a.cols, a.taps, a.shape, a.coeffs),
                                 coefficient_map(b.rows, b.cols, b.taps, b.shape, b.coeffs))
    return None if found is None else found[0]


def diagnose(lifted: LinearOperator, reference: str, point: dict, ndim: int) -> str:
    """The name of the known mistake whose operator equals ``lifted`` at ``point``.

    Only mistakes that change the operator at ``point`` are candidates (a mistake
    invisible there cannot be told apart from the right code).
    """
    right = _reference(point, reference, ndim)
    for name, build in _variants(reference, point, ndim):
        variant = build()
        if variant is not None and _difference(variant, right) is not None \
                and _difference(variant, lifted) is None:
            return name
    return NO_VARIANT


def _row_value(op: LinearOperator, row: int) -> sympy.Expr:
    """Output entry ``row`` of ``op`` applied to symbolic input ``x``, as SymPy."""
    x = list(sympy.flatten(indexed_symbols(op.input_shape, "x").tolist()))
    kernel = op.kernel_flat
    hit = np.flatnonzero(op.rows == row)
    coeffs = op.coeffs if op.coeffs is not None else [1] * len(op.rows)
    return sympy.Add(*[coeffs[e] * kernel[op.taps[e]] * x[op.cols[e]] for e in hit])


def _counterexample(point: dict, lifted: LinearOperator, right: LinearOperator,
                    where: tuple | str) -> tuple[dict[str, Any], tuple[Math, ...]]:
    """The counterexample dict and the differing entry's display equations."""
    example: dict[str, Any] = dict(point)
    if where == "shape":
        example.update(implementation_output_shape=lifted.output_shape,
                       reference_output_shape=right.output_shape)
        return example, ()
    row = where[0]
    index = tuple(int(v) for v in np.unravel_index(row, right.output_shape))
    values = {"fn": _row_value(lifted, row), "reference": _row_value(right, row)}
    example.update(output_index=index, implementation=str(values["fn"]),
                   reference=str(values["reference"]))
    at = ",".join(map(str, index))
    return example, tuple(Math(f"y_{{{at}}}^{{\\text{{{who}}}}} = {sympy.latex(value)}",
                               f"y[{at}] ({who}) = {value}") for who, value in values.items())


def _domain_text(ranges: dict[str, tuple[int, int]], ndim: int) -> str:
    bounds = ", ".join(f"{v}={lo}" if lo == hi else f"{lo}<={v}<={hi}"
                       for v, (lo, hi) in ranges.items())
    return f"{bounds} ({ndim}-D, square sizes; in = out channels = c)"


def check_implementation(fn: Callable[..., Any], reference: str = "correlation", *,
                         domain: str | None = None, ndim: int = 1, **fixed: Any) -> Proof:
    """Whether ``fn`` computes the ``reference`` operator at every geometry of ``domain``.

    Parameters
    ----------
    fn : callable
        ``fn(x, w, stride=s, padding=p, dilation=d[, groups=g])`` with symconv's layouts
        (x: ``(c, *spatial)``; w: ``(c, c/g, *kernel)``, the transposed layout
        ``(in, out/g, *kernel)`` for ``"transposed_convolution"``); ``groups`` is passed
        only when it is not 1.
    reference : str
        One of :data:`REFERENCES`.
    domain : str, optional
        Bounds on the size names :data:`NAMES`, e.g. ``"1 <= n <= 7, 1 <= K <= 3"``;
        unbounded names take :data:`DEFAULT_RANGES`. Points that are not valid
        geometries (kernel larger than the padded input, g not dividing c) are skipped.
    ndim : int
        Spatial axes (1 or 2; square sizes).
    **fixed
        Names fixed to one value (``s=1`` or ``stride=1``).

    Returns
    -------
    Proof
        ``verified`` (scope "all sizes", evidence symbolic + exhaustive), ``refuted``
        (counterexample and ``diagnosis``) or ``vacuous`` (no valid point).
    """
    if reference not in REFERENCES:
        raise DomainError(describe("reference", reference, "must name a reference operator",
                                   ", ".join(REFERENCES)))
    if ndim not in (1, 2):
        raise DomainError(describe("ndim", ndim, "must be 1 or 2", "1, 2"))
    ranges = parse_domain(domain, _fixed(fixed))
    text = _domain_text(ranges, ndim)
    statement = f"{getattr(fn, '__name__', 'fn')} computes {reference} at every size"
    latex = _text_latex(statement)
    points = _points(ranges, reference, ndim)
    if not points:
        return Proof("implementation", statement, latex, {"reference": reference},
                     "vacuous", [], domain=text, scope="all sizes",
                     steps=[Step("Domain", f"{text} has no valid geometry.")])
    calls = trials = 0
    for point in points:
        right = _reference(point, reference, ndim)
        lifted = _lift_at(fn, point, reference, ndim)
        calls, trials = calls + lifted.fn_calls, trials + lifted.bilinearity_trials
        if lifted.kernel_shape == right.kernel_shape:
            lifted = replace(lifted, kernel=right.kernel)
        where = _difference(lifted, right)
        if where is not None:
            diagnosis = diagnose(lifted, reference, point, ndim)
            example, math = _counterexample(point, lifted, right, where)
            return Proof("implementation", statement, latex, {"reference": reference},
                         "refuted", ["symbolic"], counterexample=example, domain=text,
                         scope="all sizes", diagnosis=diagnosis,
                         steps=_steps(points.index(point), calls, trials, example, diagnosis,
                                      math))
    return Proof("implementation", statement, latex, {"reference": reference}, "verified",
                 ["symbolic", "exhaustive"], domain=text, scope="all sizes",
                 steps=_steps(len(points), calls, trials, None, None))


def _lift_at(fn: Callable[..., Any], point: dict, reference: str, ndim: int):
    n, k, s, p, d, c, g = (point[name] for name in NAMES)
    return lift(fn, (n,) * ndim, (k,) * ndim, in_channels=c, out_channels=c, groups=g,
                transposed=reference == "transposed_convolution", stride=s, padding=p,
                dilation=d)


def _text_latex(text: str) -> str:
    """Plain words as a LaTeX display: ``\\text{...}`` with underscores escaped."""
    return "\\text{" + text.replace("_", "\\_") + "}"


def _steps(points: int, calls: int, trials: int, example: dict | None,
           diagnosis: str | None, math: tuple[Math, ...] = ()) -> list[Step]:
    steps = [Step("Assumption", "The lift assumes fn is bilinear in (x, w); this was checked "
                  f"in {trials} trials on random integer pairs (additivity, homogeneity, zero "
                  "kernel and input, repeatability, the lift reproducing fn), not proved from "
                  f"fn's code. {calls} calls of fn in all.")]
    if example is None:
        steps.append(Step("Compare", f"At each of the {points} geometries, smallest first, the "
                          "lifted matrix and the reference matrix are equal, compared entry by "
                          "entry exactly."))
    else:
        steps.append(Step("Compare", f"In order of size, the lifted and the reference matrix "
                          f"were equal at {points} geometries, then differed at the "
                          "counterexample."))
    if example is not None:
        values = {k: v for k, v in example.items() if k not in NAMES}
        steps.append(Step("Counterexample", "At " + ", ".join(
            f"{k}={example[k]}" for k in NAMES) + ": " + "; ".join(
            f"{k} = {v}" for k, v in values.items()) + ".", math))
        steps.append(Step("Diagnosis", f"fn's matrix at that geometry equals: {diagnosis}."
                          if diagnosis != NO_VARIANT else
                          "fn's matrix there equals none of the known variants."))
    return steps


# ---------------------------------------------------------------------------
# One geometry of any size, probe by probe (no matrix is built)
# ---------------------------------------------------------------------------

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
    call = lift_module._Counted(fn, kwargs, geometry.ndim, out_channels)
    pairs = lift_module._check_bilinear(call, x_shape, w_shape, np.random.default_rng(seed))
    spatial = correlation(geometry)
    per_tap, rows, inputs = _per_tap(spatial), spatial.shape[0], spatial.shape[1]
    shape = (out_channels, *geometry.output_shape)
    text = (f"input {x_shape}, kernel {w_shape}, stride {geometry.stride}, pads "
            f"{geometry.pads}, dilation {geometry.dilation}, groups {groups}")
    statement = f"{getattr(fn, '__name__', 'fn')} computes correlation at {text}"
    latex = _text_latex(statement)
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


# ---------------------------------------------------------------------------
# The command line: symconv check-impl MODULE:FUNCTION
# ---------------------------------------------------------------------------

def load_function(target: str) -> Callable[..., Any]:
    """``"package.module:function"`` -> the function, or an :class:`ImplementationError`.

    Examples
    --------
    >>> load_function("numpy:add").__name__
    'add'
    >>> load_function("no_such_module_xyz:f")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    symconv.lift.ImplementationError: MODULE:FUNCTION does not import, got 'no_such_...
    """
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise ImplementationError(describe("MODULE:FUNCTION", target, "must name a module and "
                                           "a function in it", "e.g. mypackage.conv:conv1d"))
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - the user's module: report, never crash
        raise ImplementationError(describe("MODULE:FUNCTION", target, "does not import",
                                           f"{type(error).__name__}: {error}")) from error
    fn = getattr(module, function_name, None)
    if not callable(fn):
        raise ImplementationError(describe("MODULE:FUNCTION", target,
                                           f"must name a callable in module {module_name}"))
    return fn


def register_cli(sub: Any) -> None:
    """Add ``check-impl`` to the ``symconv`` sub-parsers."""
    p = sub.add_parser("check-impl", help="lift a convolution implementation to its exact "
                       "matrix, compare it with a reference and name its bug")
    p.add_argument("target", metavar="MODULE:FUNCTION")
    p.add_argument("--reference", default="correlation", choices=REFERENCES)
    p.add_argument("--domain", help='e.g. "1 <= n <= 7, 1 <= K <= 3, s = 1"')
    p.add_argument("--ndim", type=int, default=1, choices=(1, 2))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_cmd_check_impl)


def _cmd_check_impl(args: argparse.Namespace) -> int:
    from .cli import VERDICT_EXIT

    if "" not in sys.path:  # a module in the working directory, as python -m would find it
        sys.path.insert(0, "")
    proof = check_implementation(load_function(args.target), args.reference,
                                 domain=args.domain, ndim=args.ndim)
    print(proof.to_json() if args.json else proof.text())
    if not args.json and proof.diagnosis:
        print(f"Diagnosis: {proof.diagnosis}")
    return VERDICT_EXIT[proof.verdict]
