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
values, a diagnosis: the known mistake (:mod:`symconv.implementation_variants`) whose
operator equals the lifted one at that point, or ``"none of the known variants"``, and
the two matrices side by side with the differing entries marked
(:mod:`symconv.matrix_comparison`).

A domain bounds the size names of :data:`ALL_NAMES` (text read by
:func:`symconv.domain.parse_domain`): in 2-D the second axis has its own input and
kernel sizes ``m, L`` (non-square sizes are checked unless ``square=True``) and,
when bounded, its own stride and padding ``t, q``; ``o`` counts the output channels.
The ``avg_pool`` reference is lifted with exact rational coefficients
(:func:`symconv.lift.lift_linear`). One geometry of any size is checked probe by probe,
without its matrix, by :func:`symconv.implementation_probes.check_layer` (also offered
here).

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

import inspect
import itertools
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import sympy

from .domain import domain_points_count, domain_text
from .domain import parse_domain as read_domain
from .errors import SymconvError, describe
from .geometry import Geometry, TransposedGeometry
from .implementation_probes import check_layer, text_latex
from .implementation_variants import (
    NO_VARIANT,
    diagnose,
    difference,
    point_axes,
    pool_reference,
)
from .lift import ImplementationError, lift, lift_linear
from .matrix_comparison import comparison_step
from .operators import LinearOperator, correlation, indexed_symbols, transposed_convolution
from .order import by_size
from .proof import Math, Proof, Step
from .validation import is_integer

__all__ = ["ALL_NAMES", "AXIS_NAMES", "DEFAULT_RANGES", "MAX_POINTS", "NAMES", "NO_VARIANT",
           "OUT_CHANNELS", "REFERENCES", "DomainError", "check_implementation", "check_layer",
           "domain_ranges", "fn_keywords", "parse_domain"]

REFERENCES = ("correlation", "convolution", "transposed_convolution", "avg_pool")
#: Domain size names (DESIGN.md): input size, kernel size, stride, padding, dilation,
#: channels (in), groups. In 2-D they are the first spatial axis's.
NAMES = ("n", "K", "s", "p", "d", "c", "g")
#: More size names: the second spatial axis (2-D only) and the output channels.
#: ``m`` input, ``L`` kernel (default: the ranges of n and K, values independent, so
#: non-square inputs and kernels are checked); ``t`` stride, ``q`` padding (default:
#: equal to s and p, passed to fn as one int; bounding them passes per-axis tuples);
#: ``o`` output channels (default: the range of c, independent).
AXIS_NAMES = ("m", "L", "t", "q")
OUT_CHANNELS = "o"
ALL_NAMES = NAMES + AXIS_NAMES + (OUT_CHANNELS,)
DEFAULT_RANGES = {"n": (1, 6), "K": (1, 3), "s": (1, 2), "p": (0, 1), "d": (1, 2),
                  "c": (1, 1), "g": (1, 1)}
#: The names whose unbounded range follows another name's range.
FOLLOWS = {"m": "n", "L": "K", "o": "c"}
#: Size names a reference does not have.
UNUSED = {"avg_pool": ("d", "g", "o")}
_UNBOUNDED = (-(2**62), 2**62)
#: Most points of a domain an implementation check enumerates (before any call of fn).
MAX_POINTS = 100_000


class DomainError(SymconvError):
    """A domain of geometries that cannot be read."""


# ---------------------------------------------------------------------------
# The domain
# ---------------------------------------------------------------------------

def _read(text: str | None) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """The ranges of ``text`` over the defaults, and the names it bounds."""
    try:
        ranges = read_domain(text, names=ALL_NAMES, defaults={
            **DEFAULT_RANGES, **{name: DEFAULT_RANGES[first] for name, first in zip(
                AXIS_NAMES + (OUT_CHANNELS,), ("n", "K", "s", "p", "c"))}})
        bounded = read_domain(text, names=ALL_NAMES,
                              defaults=dict.fromkeys(ALL_NAMES, _UNBOUNDED))
    except SymconvError as error:
        raise DomainError("domain must be a bound like '1 <= n <= 7', 'n <= 7' or 's = 2' on a "
                          f"size name ({', '.join(ALL_NAMES)}): {error}") from None
    return ranges, {name for name, bound in bounded.items() if bound != _UNBOUNDED}


def _bounded_ranges(text: str | None, fixed: dict[str, int]
                    ) -> tuple[dict[str, tuple[int, int]], set[str]]:
    ranges, bounded = _read(text)
    for name, value in fixed.items():
        ranges[name] = (value, value)
    return ranges, bounded | set(fixed)


def parse_domain(text: str | None, fixed: dict[str, int]) -> dict[str, tuple[int, int]]:
    """``"1 <= n <= 7, K <= 3, s = 2"`` -> ranges per name (defaults for the rest).

    The text is read by :func:`symconv.domain.parse_domain` (grammar
    ``symconv/grammars/domain.lark``). The result has the names :data:`NAMES`,
    plus those of :data:`AXIS_NAMES` and ``o`` that the text or ``fixed`` bounds.

    Examples
    --------
    >>> r = parse_domain("1 <= n <= 7, K <= 3, s = 2", {"d": 1})
    >>> r["n"], r["K"], r["s"], r["d"]
    ((1, 7), (1, 3), (2, 2), (1, 1))
    >>> parse_domain("m in 2..3, o = 4", {})["m"]
    (2, 3)
    """
    ranges, bounded = _bounded_ranges(text, fixed)
    return {name: ranges[name] for name in ALL_NAMES if name in NAMES or name in bounded}


def domain_ranges(text: str | None, fixed: dict[str, int], reference: str,
                  ndim: int, square: bool = False) -> dict[str, tuple[int, int]]:
    """The ranges of every size name the reference has in ``ndim`` dimensions.

    Unbounded ``m, L, o`` take the ranges of ``n, K, c``; unbounded ``t, q`` are left
    out (they equal ``s, p``), and so are ``m, L`` with ``square`` (they equal ``n, K``);
    a bound on a name the geometry does not have is refused.

    >>> domain_ranges("n <= 3, K = 2", {}, "correlation", 2)["L"]
    (2, 2)
    """
    ranges, bounded = _bounded_ranges(text, fixed)
    unused = UNUSED.get(reference, ()) + (() if ndim == 2 else AXIS_NAMES) \
        + (("m", "L") if square else ())
    wrong = sorted(bounded & set(unused))
    if wrong:
        raise DomainError(describe("domain", wrong[0], "must be a bound on a size name of a "
                                   f"{ndim}-D {reference}" + (" with square sizes" if square
                                                              else "")
                                   + " (m, L, t, q: 2-D only; avg_pool has no d, g, o)",
                                   ", ".join(v for v in ALL_NAMES if v not in unused)))
    for name, leader in FOLLOWS.items():
        if name not in bounded:
            ranges[name] = ranges[leader]
    keep = set(NAMES) | set(FOLLOWS) | bounded
    return {name: ranges[name] for name in ALL_NAMES if name in keep and name not in unused}


def _fixed(fixed: dict[str, Any]) -> dict[str, int]:
    aliases = {"input_size": "n", "kernel_size": "K", "stride": "s", "padding": "p",
               "dilation": "d", "channels": "c", "in_channels": "c", "out_channels": "o",
               "groups": "g"}
    out = {}
    for key, value in fixed.items():
        name = aliases.get(key, key)
        if name not in ALL_NAMES or not is_integer(value):
            raise DomainError(describe(key, value, "must be a size name with an integer value",
                                       ", ".join(ALL_NAMES + tuple(aliases))))
        out[name] = value
    return out


def _points(ranges: dict[str, tuple[int, int]], reference: str, ndim: int,
            options: dict[str, Any]) -> list[dict]:
    """The valid geometries of the ranges, smallest first (sum of the sizes, then by name)."""
    points = []
    for values in itertools.product(*(range(lo, hi + 1) for lo, hi in ranges.values())):
        point = dict(zip(ranges, values))
        if _valid(point, reference, ndim, options):
            points.append(point)
    return sorted(points, key=lambda q: by_size(q.values()))


def _valid(point: dict, reference: str, ndim: int, options: dict[str, Any]) -> bool:
    c, g, o = point["c"], point.get("g", 1), point.get("o", 1)
    if c < 1 or g < 1 or c % g or o % g:
        return False
    try:
        _reference(point, reference, ndim, options)
    except SymconvError:
        return False
    return True


def _reference(point: dict, reference: str, ndim: int, options: dict[str, Any]
               ) -> LinearOperator:
    if reference == "avg_pool":
        return pool_reference(point, ndim, **options)
    axes = point_axes(point, ndim)
    n, k, s, p = (tuple(axis[i] for axis in axes) for i in range(4))
    d, c, o, g = point["d"], point["c"], point["o"], point["g"]
    if reference == "transposed_convolution":
        return transposed_convolution(TransposedGeometry(n, k, s, p, 0, d), in_channels=c,
                                      out_channels=o, groups=g, kernel_name="k")
    return correlation(Geometry(n, k, s, p, d), c, o, g, flip=reference == "convolution")


def _row_value(op: LinearOperator, row: int) -> sympy.Expr:
    """Output entry ``row`` of ``op`` applied to symbolic input ``x``, as SymPy."""
    x = list(sympy.flatten(indexed_symbols(op.input_shape, "x").tolist()))
    kernel = op.kernel_flat
    hit = np.flatnonzero(op.rows == row)
    coeffs = op.coeffs if op.coeffs is not None else [1] * len(op.rows)
    return sympy.Add(*[coeffs[e] * (kernel[op.taps[e]] if op.taps[e] >= 0 else 1)
                       * x[op.cols[e]] for e in hit])


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


def _domain_text(ranges: dict[str, tuple[int, int]], ndim: int, reference: str) -> str:
    bounds = ", ".join(f"{v}={lo}" if lo == hi else f"{lo}<={v}<={hi}"
                       for v, (lo, hi) in ranges.items())
    tied = [f"{a}={b}" for a, b in (("m", "n"), ("L", "K"), ("t", "s"), ("q", "p"))
            if ndim == 2 and a not in ranges]
    return f"{bounds} ({ndim}-D" + "".join(f", {tie}" for tie in tied) + ")"


def check_implementation(fn: Callable[..., Any], reference: str = "correlation", *,
                         domain: str | None = None, ndim: int = 1, square: bool = False,
                         count_include_pad: bool = True, ceil_mode: bool = False,
                         **fixed: Any) -> Proof:
    """Whether ``fn`` computes the ``reference`` operator at every geometry of ``domain``.

    Parameters
    ----------
    fn : callable
        For a convolution: ``fn(x, w, stride=, padding=, dilation=[, groups=])`` with
        x of shape ``(c, *spatial)`` and w ``(o, c/g, *kernel)`` (the transposed layout
        ``(c, o/g, *kernel)`` for ``"transposed_convolution"``); ``groups`` is passed
        only when it is not 1. For ``"avg_pool"``: ``fn(x, kernel_size=, stride=,
        padding=)``, plus ``ceil_mode`` and ``count_include_pad`` if fn's signature
        takes them (a function of one convention is checked against the one named
        here). Stride and padding are ints, or per-axis tuples when the
        domain bounds ``t`` or ``q``; an avg-pool ``kernel_size`` in 2-D is ``(K, L)``.
    reference : str
        One of :data:`REFERENCES`: PyTorch's ``conv``, its flipped-kernel
        ``convolution``, ``ConvTranspose`` (output_padding 0) and ``AvgPool``.
    domain : str, optional
        Bounds on the size names (:data:`NAMES`, :data:`AXIS_NAMES`, ``o``), e.g.
        ``"1 <= n <= 7, 1 <= K <= 3"``; unbounded names take :data:`DEFAULT_RANGES`
        (``m, L, o`` those of ``n, K, c``). Points that are not valid geometries
        (kernel larger than the padded input, g not dividing c and o) are skipped.
    ndim : int
        Spatial axes: 1, or 2 (inputs n x m, kernels K x L).
    square : bool
        2-D: square inputs and kernels only (``m = n``, ``L = K``), for code that
        supports no other (it is then checked, and verified, on square sizes only).
    count_include_pad, ceil_mode : bool
        PyTorch's average-pool conventions (``"avg_pool"`` only).
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
    if not callable(fn):
        raise ImplementationError(describe("fn", type(fn).__name__, "must be callable",
                                           "a function fn(x, w, **kwargs)"))
    options = _options(reference, count_include_pad, ceil_mode)
    if not isinstance(square, bool):
        raise DomainError(describe("square", square, "must be True or False", "True, False"))
    ranges = domain_ranges(domain, _fixed(fixed), reference, ndim, square)
    if domain_points_count(ranges) > MAX_POINTS:
        raise DomainError(describe("domain", domain_text(ranges), "must have at most "
                                   f"{MAX_POINTS} points (symconv.implementations.MAX_POINTS) "
                                   f"to enumerate, has {domain_points_count(ranges)}",
                                   "narrower bounds"))
    text = _domain_text(ranges, ndim, reference)
    convention = "".join(f", {k}={v}" for k, v in options.items())
    statement = f"{getattr(fn, '__name__', 'fn')} computes {reference}{convention} at every size"
    latex = text_latex(statement)
    points = _points(ranges, reference, ndim, options)
    if not points:
        return Proof("implementation", statement, latex, {"reference": reference, **options},
                     "vacuous", [], domain=text, scope="all sizes",
                     steps=[Step("Domain", f"{text} has no valid geometry.")])
    calls = trials = 0
    for number, point in enumerate(points):
        right = _reference(point, reference, ndim, options)
        try:
            lifted = _lift_at(fn, point, reference, ndim, options)
        except ImplementationError as error:
            at = ", ".join(f"{k}={v}" for k, v in point.items())
            hint = ("; for code that supports only square sizes pass square=True (--square)"
                    if ndim == 2 and not square and (point["m"], point["L"]) != (point["n"],
                                                                                  point["K"])
                    else "")
            raise type(error)(f"{error}, at the geometry {at}{hint}") from error
        calls, trials = calls + lifted.fn_calls, trials + lifted.bilinearity_trials
        if lifted.kernel_shape == right.kernel_shape:
            lifted = replace(lifted, kernel=right.kernel)
        where = difference(lifted, right)
        if where is not None:
            diagnosis = diagnose(lifted, right, reference, point, ndim, options)
            example, display = _counterexample(point, lifted, right, where)
            steps = _steps(number, calls, trials, example, diagnosis, display, reference)
            steps.append(comparison_step(lifted, right, diagnosis))
            return Proof("implementation", statement, latex, {"reference": reference, **options},
                         "refuted", ["symbolic"], counterexample=example, domain=text,
                         scope="all sizes", diagnosis=diagnosis, steps=steps)
    return Proof("implementation", statement, latex, {"reference": reference, **options},
                 "verified", ["symbolic", "exhaustive"], domain=text, scope="all sizes",
                 steps=_steps(len(points), calls, trials, None, None, (), reference))


def _options(reference: str, count_include_pad: Any, ceil_mode: Any) -> dict[str, bool]:
    """The avg-pool conventions, validated; none for the other references."""
    for name, value in (("count_include_pad", count_include_pad), ("ceil_mode", ceil_mode)):
        if not isinstance(value, bool):
            raise DomainError(describe(name, value, "must be True or False", "True, False"))
    if reference != "avg_pool":
        if (count_include_pad, ceil_mode) != (True, False):
            raise DomainError(describe("count_include_pad / ceil_mode",
                                       (count_include_pad, ceil_mode),
                                       "must keep their defaults unless reference='avg_pool'",
                                       "(True, False)"))
        return {}
    return {"count_include_pad": count_include_pad, "ceil_mode": ceil_mode}


def fn_keywords(point: dict[str, int], reference: str, ndim: int,
                options: dict[str, Any]) -> dict[str, Any]:
    """The keywords ``fn`` is called with at a point (see :func:`check_implementation`).

    >>> fn_keywords({"n": 5, "K": 3, "s": 2, "p": 1, "d": 1, "c": 1, "g": 1, "o": 1,
    ...              "m": 4, "L": 3, "q": 0}, "correlation", 2, {})
    {'stride': 2, 'padding': (1, 0), 'dilation': 1}
    """
    axes = point_axes(point, ndim)
    kwargs: dict[str, Any] = {
        "stride": tuple(a[2] for a in axes) if "t" in point else point["s"],
        "padding": tuple(a[3] for a in axes) if "q" in point else point["p"]}
    if reference == "avg_pool":
        size = tuple(a[1] for a in axes)
        return {"kernel_size": size if ndim == 2 else size[0], **kwargs, **options}
    kwargs["dilation"] = point["d"]
    if point["g"] != 1:
        kwargs["groups"] = point["g"]
    return kwargs


def _accepts(fn: Callable[..., Any], keyword: str) -> bool:
    """Whether ``fn`` takes ``keyword`` (a named parameter or ``**kwargs``)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # no signature (a builtin): tell it everything
        return True
    return any(p.name == keyword and p.kind != p.POSITIONAL_ONLY or p.kind == p.VAR_KEYWORD
               for p in parameters)


def _lift_at(fn: Callable[..., Any], point: dict, reference: str, ndim: int,
             options: dict[str, Any]):
    axes = point_axes(point, ndim)
    n, k = tuple(a[0] for a in axes), tuple(a[1] for a in axes)
    kwargs = fn_keywords(point, reference, ndim, options)
    if reference == "avg_pool":
        kwargs = {k: v for k, v in kwargs.items() if k not in options or _accepts(fn, k)}
        return lift_linear(fn, n, channels=point["c"], max_denominator=math.prod(k), **kwargs)
    groups = kwargs.pop("groups", 1)
    return lift(fn, n, k, in_channels=point["c"], out_channels=point["o"], groups=groups,
                transposed=reference == "transposed_convolution", **kwargs)


def _steps(points: int, calls: int, trials: int, example: dict | None,
           diagnosis: str | None, math: tuple[Math, ...] = (),
           reference: str = "correlation") -> list[Step]:
    assumption = ("linear in x; this was checked in {trials} trials on random integer inputs "
                  "(additivity, homogeneity, zero input, repeatability, the lift reproducing "
                  "fn to 1e-12 of its largest output)" if reference == "avg_pool" else
                  "bilinear in (x, w); this was checked in {trials} trials on random integer "
                  "pairs (additivity, homogeneity, zero kernel and input, repeatability, the "
                  "lift reproducing fn)").format(trials=trials)
    steps = [Step("Assumption", f"The lift assumes fn is {assumption}, not proved from fn's "
                  f"code. {calls} calls of fn in all.")]
    if example is None:
        steps.append(Step("Compare", f"At each of the {points} geometries, smallest first, the "
                          "lifted matrix and the reference matrix are equal, compared entry by "
                          "entry exactly."))
        return steps
    steps.append(Step("Compare", f"In order of size, the lifted and the reference matrix "
                      f"were equal at {points} geometries, then differed at the "
                      "counterexample."))
    sizes = [k for k in example if k in ALL_NAMES]
    values = {k: v for k, v in example.items() if k not in ALL_NAMES}
    steps.append(Step("Counterexample", "At " + ", ".join(
        f"{k}={example[k]}" for k in sizes) + ": " + "; ".join(
        f"{k} = {v}" for k, v in values.items()) + ".", math))
    steps.append(Step("Diagnosis", f"fn's matrix at that geometry equals: {diagnosis}."
                      if diagnosis != NO_VARIANT else
                      "fn's matrix there equals none of the known variants."))
    return steps
