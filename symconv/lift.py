"""Lift anyone's convolution code to its exact symbolic matrix, by probing.

A function ``fn(x, w, **kwargs)`` that is bilinear in the input ``x`` and the
kernel ``w`` is a matrix ``A(w)`` whose entries are linear forms in the kernel
entries: ``fn(x, w) = A(w) x``. :func:`lift` recovers ``A`` as a
:class:`~symconv.operators.LinearOperator` (index form: output row, input
column, kernel tap) without one call per matrix entry:

1. **Probe.** The input is labelled ``x_j = 2j + 1`` (odd integers, exact in
   float64); the kernel is zero except one column ``w[:, i, m]``, whose entry
   for index ``o`` of the kernel's first axis is ``2**o``. For a convolution each
   output entry then receives at most one product ``2**o (2j + 1)``, and its
   exponent and odd part name the tap ``(o, i, m)`` and the input ``j`` exactly.
   One call per ``(i, m)``: ``prod(w.shape[1:])`` calls (``in_channels/groups x
   kernel size`` for a correlation layout), for at most :data:`TAPS_PER_CALL`
   first-axis indices per call; independent of the input size.
2. **Fall back.** If an output entry does not decode (two products landed on
   it, or a coefficient other than 1), the lift probes with basis inputs and unit
   kernels instead: ``C_in * prod(spatial) * w.size`` calls, refused beyond
   :data:`MAX_BASIS_CALLS`.
3. **Check.** Bilinearity, which the lift assumes, is checked on random integer
   pairs: repeatability, zero kernel and zero input give zero, additivity in
   ``x`` and in ``w``, homogeneity with a large negative scale (catches clipping
   and ReLU), and the lifted operator reproduces ``fn`` exactly. A failed check
   raises :class:`NotBilinearError` naming it. These are checks on
   :data:`BILINEARITY_TRIALS` random pairs, not a proof about ``fn``'s code.

Examples
--------
>>> import numpy as np
>>> def corr1d(x, w, stride=1, padding=0, dilation=1):
...     xp = np.pad(x, ((0, 0), (padding, padding)))
...     k = w.shape[-1]
...     out = (xp.shape[-1] - k) // stride + 1
...     return np.array([[np.sum(w[o] * xp[:, stride * i:stride * i + k]) for i in range(out)]
...                      for o in range(w.shape[0])])
>>> op = lift(corr1d, input_shape=(4,), kernel_shape=(2,), stride=2)
>>> op.matrix
Matrix([
[k_{0,0,0}, k_{0,0,1},         0,         0],
[        0,         0, k_{0,0,0}, k_{0,0,1}]])
>>> op.fn_calls, op.bilinearity_trials
(18, 2)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from .errors import SymconvError, describe
from .geometry import spatial_shape
from .limits import require_symbolic_size
from .operators import LinearOperator, check_channels, indexed_symbols
from .validation import integer

#: Largest number of first-axis kernel indices labelled by powers of two in one probe.
TAPS_PER_CALL = 900
#: Most calls the basis-probing fallback may make.
MAX_BASIS_CALLS = 20_000
#: Random integer pairs (x, w) the bilinearity checks use.
BILINEARITY_TRIALS = 2
#: The large scale of the homogeneity check (catches clipping, ReLU, saturation).
SCALE = -1000
#: What :func:`lift_linear` requires of fn (bilinearity's counterpart for pooling).
LINEAR = "linear in x"


class ImplementationError(SymconvError):
    """An implementation that cannot be lifted: not callable, raised, bad output."""


class NotBilinearError(ImplementationError):
    """An implementation that failed one of the bilinearity checks the lift relies on."""


@dataclass(frozen=True, eq=False, repr=False)
class LiftedOperator(LinearOperator):
    """A :class:`~symconv.operators.LinearOperator` lifted from a function.

    Attributes
    ----------
    fn_calls : int
        Calls of the function the lift made (probes and checks).
    bilinearity_trials : int
        Random integer pairs the bilinearity checks used.
    """

    fn_calls: int = 0
    bilinearity_trials: int = 0


class CountedCall:
    """``fn`` wrapped: counts calls, turns its failures and bad outputs into named errors."""

    def __init__(self, fn: Callable[..., Any], kwargs: dict[str, Any], ndim: int,
                 out_channels: int) -> None:
        if not callable(fn):
            raise ImplementationError(describe("fn", type(fn).__name__, "must be callable",
                                               "a function fn(x, w, **kwargs)"))
        self.fn, self.kwargs, self.ndim, self.out_channels = fn, kwargs, ndim, out_channels
        self.calls = 0
        self.output_shape: tuple[int, ...] | None = None

    def __call__(self, x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
        self.calls += 1
        name = getattr(self.fn, "__name__", repr(self.fn))
        try:
            y = self.fn(x, **self.kwargs) if w is None else self.fn(x, w, **self.kwargs)
        except Exception as error:  # noqa: BLE001 - fn is the user's code: report, never crash
            first = (str(error).splitlines() or [""])[0]
            raise ImplementationError(f"fn {name} raised {type(error).__name__}: {first} "
                                      f"(called with x.shape={x.shape}, kwargs={self.kwargs})"
                                      ) from error
        return self._checked(np.asarray(y), name)

    def _checked(self, y: np.ndarray, name: str) -> np.ndarray:
        if y.dtype.kind not in "iuf":
            raise ImplementationError(describe(f"the output dtype of fn {name}", str(y.dtype),
                                               "must be a real integer or float dtype",
                                               "float64 (exact), int"))
        if y.ndim != self.ndim + 1:  # a wrong channel count is a wrong operator, not bad input
            raise ImplementationError(describe(
                f"the output shape of fn {name}", y.shape, "must be (out_channels, *spatial)",
                f"{self.ndim + 1} axes, {self.out_channels} channels expected first"))
        if self.output_shape is None:
            self.output_shape = tuple(int(v) for v in y.shape)
        elif y.shape != self.output_shape:
            raise ImplementationError(describe(f"the output shape of fn {name}", y.shape,
                                               "must not change between calls",
                                               str(self.output_shape)))
        if not np.all(np.isfinite(y)):
            raise ImplementationError(f"fn {name} returned NaN or infinity for finite "
                                      f"integer inputs (kwargs={self.kwargs})")
        return y.astype(np.float64)


def lift(fn: Callable[..., Any], input_shape: Sequence[int], kernel_shape: Sequence[int], *,
         in_channels: int = 1, out_channels: int = 1, groups: int = 1,
         transposed: bool = False, symbolic: bool = True, seed: int = 0,
         **fn_kwargs: Any) -> LiftedOperator:
    """The operator whose matrix has the kernel symbols exactly where ``fn`` puts them.

    Parameters
    ----------
    fn : callable
        ``fn(x, w, **fn_kwargs)`` with ``x`` of shape ``(in_channels, *input_shape)``
        and ``w`` of shape ``(out_channels, in_channels/groups, *kernel_shape)``
        (with ``transposed``: ``(in_channels, out_channels/groups, *kernel_shape)``),
        returning an array ``(out_channels, *output spatial)``.
    input_shape, kernel_shape : sequence of int
        Spatial sizes.
    in_channels, out_channels, groups : int
        Channel counts; ``groups`` must divide both. ``groups`` is passed to ``fn``
        as a keyword when it is not 1 (so functions without it lift at ``groups=1``).
    transposed : bool
        Use the transposed weight layout.
    symbolic : bool
        Refuse, before any call, a lift whose matrix would exceed the symbolic-entry
        limit (:mod:`symconv.limits`), estimated as ``out x in/groups x K x N``
        entries (the most a stride >= 1 convolution of these shapes has). Pass False
        to lift in index form only (compare with :mod:`symconv.sparse`).
    seed : int
        Seed of the random integer pairs of the bilinearity checks.
    **fn_kwargs
        Passed to ``fn`` unchanged (``stride``, ``padding``, ``dilation``, ...).

    Returns
    -------
    LiftedOperator
        With ``fn_calls``: ``prod(w.shape[1:]) * ceil(w.shape[0] / TAPS_PER_CALL)``
        probes plus ``7 * BILINEARITY_TRIALS + 2`` checks (16) (more if the fallback ran).

    Raises
    ------
    ImplementationError
        ``fn`` not callable, raising, or returning a bad shape, dtype or NaN.
    NotBilinearError
        A bilinearity check failed (its name is in the message).
    SizeLimitError
        The symbolic matrix would be too large (with ``symbolic=True``).
    """
    n, k = spatial_shape("input_shape", input_shape), spatial_shape("kernel_shape", kernel_shape)
    check_channels(in_channels, out_channels, groups)
    w_shape = ((in_channels, out_channels // groups) if transposed
               else (out_channels, in_channels // groups)) + k
    x_shape = (in_channels, *n)
    if symbolic:
        estimate = out_channels * (in_channels // groups) * math.prod(k) * math.prod(n)
        require_symbolic_size(estimate, f"lift of {getattr(fn, '__name__', 'fn')}.matrix")
    kwargs = dict(fn_kwargs, **({"groups": groups} if groups != 1 else {}))
    call = CountedCall(fn, kwargs, len(n), out_channels)
    rows, cols, taps, coeffs = _probe_fast(call, x_shape, w_shape)
    rng = np.random.default_rng(seed)
    pairs = check_bilinear(call, x_shape, w_shape, rng)
    if rows is None or not _reproduces(rows, cols, taps, coeffs, call.output_shape, pairs):
        rows, cols, taps, coeffs = _probe_basis(call, x_shape, w_shape)
        if not _reproduces(rows, cols, taps, coeffs, call.output_shape, pairs):
            raise NotBilinearError(f"check 'lift reproduces fn' failed: the operator read off "
                                   f"{getattr(fn, '__name__', 'fn')} by probing does not give "
                                   "its outputs on random integer pairs, so fn is not bilinear")
    name = "lifted " + getattr(fn, "__name__", "fn")
    return LiftedOperator(name, x_shape, call.output_shape, rows, cols, taps, coeffs,
                          indexed_symbols(w_shape, "k"), fn_calls=call.calls,
                          bilinearity_trials=BILINEARITY_TRIALS)


# ---------------------------------------------------------------------------
# Probing
# ---------------------------------------------------------------------------

def _odd_part(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For float values ``2**e * q`` (``q`` odd integer): ``(e, q, ok)``, exactly."""
    mantissa, exponent = np.frexp(values)
    integer = (mantissa * 2.0**53).astype(np.int64)  # exact: 53-bit mantissa
    low = integer & -integer
    shift = np.zeros(len(values), dtype=np.int64)
    nonzero = low > 0
    shift[nonzero] = np.log2(low[nonzero].astype(np.float64)).round().astype(np.int64)
    odd = np.where(nonzero, integer >> shift, 0)
    return exponent.astype(np.int64) - 53 + shift, odd, nonzero


def labelled_probes(x_shape: tuple[int, ...], w_shape: tuple[int, ...]):
    """The probes of step 1: ``(column, first, x, w)``, ``w[first + o, column] = 2**o``.

    ``column`` indexes ``w.shape[1:]`` flattened; ``x_j = 2j + 1``.
    """
    x = (2 * np.arange(math.prod(x_shape), dtype=np.float64) + 1).reshape(x_shape)
    inner = math.prod(w_shape[1:])
    for column in range(inner):
        for first in range(0, w_shape[0], TAPS_PER_CALL):
            block = np.arange(first, min(first + TAPS_PER_CALL, w_shape[0]))
            w = np.zeros((w_shape[0], inner))
            w[block, column] = 2.0 ** (block - first)
            yield column, first, x, w.reshape(w_shape)


def _probe_fast(call: CountedCall, x_shape, w_shape):
    """Step 1 of the module docstring; ``(None,)*4`` if some output entry does not decode."""
    inner = math.prod(w_shape[1:])
    rows, cols, taps = [], [], []
    for column, first, x, w in labelled_probes(x_shape, w_shape):
        y = call(x, w).reshape(-1)
        hit = np.flatnonzero(y)
        exponent, odd, ok = _odd_part(y[hit])
        j = (odd - 1) // 2
        if not (ok.all() and np.all(y[hit] > 0) and np.all(exponent >= 0)
                and np.all(first + exponent < w_shape[0])
                and np.all(exponent < TAPS_PER_CALL) and np.all(j < x.size)):
            return None, None, None, None
        rows.append(hit)
        cols.append(j)
        taps.append((first + exponent) * inner + column)
    return (np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64),
            np.concatenate(taps).astype(np.int64), None)


def _probe_basis(call: CountedCall, x_shape, w_shape):
    """Step 2: one call per (input entry, kernel entry); exact binary coefficients."""
    inputs, size = math.prod(x_shape), math.prod(w_shape)
    if inputs * size > MAX_BASIS_CALLS:
        raise ImplementationError(describe(
            "the basis probing of fn", f"{inputs * size} calls",
            "is needed because fn's outputs do not decode from labelled probes (entries that "
            "sum several products or have coefficients other than 1), and must stay within "
            "the budget", f"at most {MAX_BASIS_CALLS} calls (symconv.lift.MAX_BASIS_CALLS)"))
    rows, cols, taps, coeffs = [], [], [], []
    for t in range(size):
        w = np.zeros(size)
        w[t] = 1.0
        for j in range(inputs):
            x = np.zeros(inputs)
            x[j] = 1.0
            y = call(x.reshape(x_shape), w.reshape(w_shape)).reshape(-1)
            hit = np.flatnonzero(y)
            rows.extend(hit.tolist())
            cols.extend([j] * len(hit))
            taps.extend([t] * len(hit))
            coeffs.extend(sympy.Rational(*float(v).as_integer_ratio()) for v in y[hit])
    return (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
            np.array(taps, dtype=np.int64), np.array(coeffs, dtype=object))


# ---------------------------------------------------------------------------
# Linear functions of the input alone (pooling): rational coefficients
# ---------------------------------------------------------------------------

def lift_linear(fn: Callable[..., Any], input_shape: Sequence[int], *, channels: int = 1,
                max_denominator: int, seed: int = 0, **fn_kwargs: Any) -> LiftedOperator:
    """The operator of ``fn(x, **fn_kwargs)``, linear in ``x``, with exact rational entries.

    Each input entry is probed alone (``x = e_j``: ``channels x prod(input_shape)``
    calls), after a lift whose matrix could exceed the symbolic-entry limit (estimated
    as ``channels x prod(input_shape) x max_denominator``) is refused before any call.
    A value ``v`` of the output is read back as the fraction
    ``Fraction(v).limit_denominator(max_denominator)`` (e.g. the window size of an
    average pool) and accepted only if it is within ``1e-12 |v|`` of ``v``; otherwise
    the lift is refused, never guessed. Then linearity is checked on
    :data:`BILINEARITY_TRIALS` random integer inputs (zero input, additivity,
    homogeneity, repeatability) and the lifted operator must reproduce ``fn`` on them
    to within 1e-12 of the largest output (floats divide and sum inexactly; the
    coefficients themselves are exact).

    Examples
    --------
    >>> import numpy as np
    >>> def mean_of_pairs(x, kernel_size=2, stride=2, padding=0):
    ...     return (x[:, 0::2] + x[:, 1::2]) / 2
    >>> op = lift_linear(mean_of_pairs, (4,), max_denominator=2)
    >>> op.matrix
    Matrix([
    [1/2, 1/2,   0,   0],
    [  0,   0, 1/2, 1/2]])
    >>> op.fn_calls
    15
    """
    n = spatial_shape("input_shape", input_shape)
    if isinstance(max_denominator, bool) or not isinstance(max_denominator, int) \
            or max_denominator < 1:
        raise ImplementationError(describe("max_denominator", max_denominator,
                                           "must be a positive integer", "1, 2, 3, ..."))
    channels = integer("channels", channels, minimum=1, error=ImplementationError)
    x_shape = (channels, *n)
    # the most entries an average pool of windows of <= max_denominator entries, stride >= 1,
    # has: each input entry lies in at most max_denominator windows
    require_symbolic_size(channels * math.prod(n) * max_denominator,
                          f"lift of {getattr(fn, '__name__', 'fn')}.matrix")
    call = CountedCall(fn, fn_kwargs, len(n), channels)
    rows, cols, coeffs = [], [], []
    for j in range(math.prod(x_shape)):
        x = np.zeros(math.prod(x_shape))
        x[j] = 1.0
        y = call(x.reshape(x_shape), None).reshape(-1)
        for row in np.flatnonzero(y):
            rows.append(int(row))
            cols.append(j)
            coeffs.append(_fraction(float(y[row]), max_denominator, getattr(fn, "__name__", "fn")))
    rows_a, cols_a = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    coeffs_a = np.array(coeffs, dtype=object)
    _check_linear(call, x_shape, np.random.default_rng(seed), rows_a, cols_a, coeffs_a)
    return LiftedOperator("lifted " + getattr(fn, "__name__", "fn"), x_shape, call.output_shape,
                          rows_a, cols_a, np.full(len(rows_a), -1, dtype=np.int64), coeffs_a,
                          None, fn_calls=call.calls, bilinearity_trials=BILINEARITY_TRIALS)


def _fraction(value: float, max_denominator: int, name: str) -> sympy.Rational:
    """``value`` as the nearest fraction with a bounded denominator, if it is that fraction."""
    q = Fraction(value).limit_denominator(max_denominator)
    if abs(float(q) - value) > 1e-12 * abs(value):
        raise ImplementationError(describe(
            f"a coefficient of fn {name}", value, f"must be a fraction with denominator at most "
            f"{max_denominator} (the window size) for an exact lift; the nearest is {q}",
            "p/q with q <= the window size"))
    return sympy.Rational(q.numerator, q.denominator)


def _check_linear(call: CountedCall, x_shape, rng, rows, cols, coeffs) -> None:
    """Linearity in x on random integer inputs, and the lift reproducing fn (to 1e-12 of the
    largest output)."""
    scale = np.array([float(a) for a in coeffs])

    def close(a: np.ndarray, b: np.ndarray) -> bool:  # within 1e-12 of the largest output
        largest = max(float(np.abs(a).max(initial=0)), float(np.abs(b).max(initial=0)), 1.0)
        return bool(np.all(np.abs(a - b) <= 1e-12 * largest))

    if np.any(call(np.zeros(x_shape), None)):
        _fail("zero input gives zero", "fn(0) != 0 (an offset?)", LINEAR)
    for _ in range(BILINEARITY_TRIALS):
        x1, x2 = (rng.integers(-3, 4, x_shape).astype(np.float64) for _ in range(2))
        y1, y2 = call(x1, None), call(x2, None)
        if not close(call(x1 + x2, None), y1 + y2):
            _fail("additive in x", "fn(x1 + x2) != fn(x1) + fn(x2)", LINEAR)
        if not close(call(SCALE * x1, None), SCALE * y1):
            _fail("homogeneous", f"fn({SCALE} x) != {SCALE} fn(x)", LINEAR)
        if not np.array_equal(call(x1, None), y1):
            _fail("deterministic", "two calls with the same x returned different outputs",
                  LINEAR)
        for x, y in ((x1, y1), (x2, y2)):
            predicted = np.zeros(y.size)
            np.add.at(predicted, rows, scale * x.reshape(-1)[cols])
            if not close(predicted, y.reshape(-1)):
                raise NotBilinearError("check 'lift reproduces fn' failed: the operator read "
                                       "off fn by probing does not give its outputs on random "
                                       "integer inputs, so fn is not linear")


# ---------------------------------------------------------------------------
# Bilinearity checks
# ---------------------------------------------------------------------------

def _fail(check: str, detail: str, kind: str = "bilinear in (x, w)") -> None:
    raise NotBilinearError(f"check '{check}' failed: {detail}; symconv lifts only functions "
                           f"{kind} (no bias, clipping, activation or randomness)")


def check_bilinear(call: CountedCall, x_shape, w_shape, rng) -> list[tuple]:
    """The checks of step 3 (but the last); returns the ``(x, w, fn(x, w))`` triples seen."""
    x0 = rng.integers(-3, 4, x_shape).astype(np.float64)
    if np.any(call(x0, np.zeros(w_shape))):
        _fail("zero kernel gives zero", "fn(x, 0) != 0 (a bias?)")
    if np.any(call(np.zeros(x_shape), rng.integers(-3, 4, w_shape).astype(np.float64))):
        _fail("zero input gives zero", "fn(0, w) != 0 (a bias?)")
    pairs = []
    for _ in range(BILINEARITY_TRIALS):
        x1, x2 = (rng.integers(-3, 4, x_shape).astype(np.float64) for _ in range(2))
        w1, w2 = (rng.integers(-3, 4, w_shape).astype(np.float64) for _ in range(2))
        y11, y21, y12 = call(x1, w1), call(x2, w1), call(x1, w2)
        if not np.array_equal(call(x1 + x2, w1), y11 + y21):
            _fail("additive in x", "fn(x1 + x2, w) != fn(x1, w) + fn(x2, w)")
        if not np.array_equal(call(x1, w1 + w2), y11 + y12):
            _fail("additive in w", "fn(x, w1 + w2) != fn(x, w1) + fn(x, w2)")
        if not np.array_equal(call(SCALE * x1, w1), SCALE * y11):
            _fail("homogeneous", f"fn({SCALE} x, w) != {SCALE} fn(x, w)")
        if not np.array_equal(call(x1, w1), y11):
            _fail("deterministic", "two calls with the same (x, w) returned different outputs")
        pairs += [(x1, w1, y11), (x2, w1, y21), (x1, w2, y12)]
    return pairs


def _reproduces(rows, cols, taps, coeffs, output_shape, pairs) -> bool:
    """Whether the index form gives exactly fn's output on every recorded pair."""
    scale = np.ones(len(rows)) if coeffs is None else np.array([float(a) for a in coeffs])
    for x, w, y in pairs:
        predicted = np.zeros(math.prod(output_shape))
        np.add.at(predicted, rows, scale * w.reshape(-1)[taps] * x.reshape(-1)[cols])
        if not np.array_equal(predicted, y.reshape(-1)):
            return False
    return True


__all__ = ["CountedCall", "ImplementationError", "LiftedOperator", "NotBilinearError",
           "check_bilinear", "labelled_probes", "lift", "lift_linear"]
