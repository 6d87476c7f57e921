"""The quantity table: one entry per (quantity, convention), the only place a quantity is
defined: its definition, variables and domain, its numeric truth (counted where the
quantity is a count), its symbolic truth with the prover's assumptions, the closed form a
theorem proves for a counted quantity, and the convention it becomes without padding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import sympy

from ..geometry import same_pads, transposed_output_size
from ..prover.normal_form import Windows, d, k, n, op, p, pa, pb, s
from .parse import fail
from .symbolic import (
    KERAS_RULE,
    KERAS_TRANSPOSED,
    POSITIVE_SIZES,
    SPAN,
    TF_SAME_RULE,
    TF_SAME_TOTAL,
    Truth,
    jax_transposed_truth,
    pads_truths,
    windows_truth,
)
from .windows import count_windows

# ---------------------------------------------------------------------------
# The ground truth: one entry per (quantity, convention)
# ---------------------------------------------------------------------------
# Each truth function takes the domain's columns (int64 arrays) and returns the
# true value at every point, computed by counting where the quantity is a count.

RANGES = {"n": (1, 64), "k": (1, 7), "s": (1, 4), "p": (0, 3), "p_before": (0, 3),
          "p_after": (0, 3), "d": (1, 3), "op": (0, 3)}

Columns = dict[str, np.ndarray]

#: Window indices 0..70: a padded input has at most 64 + 3 + 3 positions.
_INDICES = np.arange(RANGES["n"][1] + RANGES["p_before"][1] + RANGES["p_after"][1] + 1)


def _span(c: Columns) -> np.ndarray:
    return c.get("d", 1) * (c["k"] - 1) + 1


def _count_starts(c: Columns, last: np.ndarray) -> np.ndarray:
    """Number of window indices ``i >= 0`` with ``s*i <= last``, counted one by one."""
    s = c.get("s", np.ones_like(last))
    return count_windows(last, 0, s)


def _pads(c: Columns) -> tuple[Any, Any]:
    if "p" in c:
        return c["p"], c["p"]
    return c.get("p_before", 0), c.get("p_after", 0)


def _windows(c: Columns) -> np.ndarray:
    """Windows ``i >= 0`` with ``s*i + d(k-1) <= n + p_b + p_a - 1`` (fit the padded input)."""
    pb, pa = _pads(c)
    return _count_starts(c, c["n"] + pb + pa - _span(c))


def _pool_ceil_windows(c: Columns) -> np.ndarray:
    """Windows starting before ``n + 2p - d(k-1) + s`` and inside input or left padding."""
    start = c["s"][:, None] * _INDICES[None, :]
    limit = c["n"] + 2 * c["p"] - _span(c) + c["s"]
    return np.sum((start < limit[:, None]) & (start < (c["n"] + c["p"])[:, None]), axis=1)


def _macs(c: Columns) -> np.ndarray:
    """Nonzeros of the correlation matrix: pairs (output i, tap j) landing inside the input."""
    n = c["n"][:, None]
    pb = np.broadcast_to(_pads(c)[0], c["n"].shape)[:, None]
    d = c.get("d", np.ones_like(c["n"]))[:, None]
    i = _INDICES[None, :]
    rows = i < _windows(c)[:, None]
    total = np.zeros_like(c["n"])
    for j in range(RANGES["k"][1]):
        position = c["s"][:, None] * i + d * j - pb
        inside = rows & (position >= 0) & (position < n) & (j < c["k"])[:, None]
        total += np.sum(inside, axis=1)
    return total


def _same(part: int) -> Callable[[Columns], np.ndarray]:
    def truth(c: Columns) -> np.ndarray:
        pads = [same_pads(*point) for point in zip(*(c[v].tolist() for v in "nksd"))]
        return np.array([(pb + pa, pb, pa)[part] for pb, pa in pads], dtype=np.int64)
    return truth


def _torch_same(part: int) -> Callable[[Columns], np.ndarray]:
    def truth(c: Columns) -> np.ndarray:
        total = c["d"] * (c["k"] - 1)
        return (total, total // 2, total - total // 2)[part]
    return truth


def _full(c: Columns) -> np.ndarray:
    """Shifts ``t`` at which the kernel overlaps the input: ``-(k-1) <= t <= n-1``, counted."""
    t = np.arange(-RANGES["k"][1], RANGES["n"][1] + 1)[None, :]
    return np.sum((t + c["k"][:, None] - 1 >= 0) & (t <= c["n"][:, None] - 1), axis=1)


def _valid_length(c: Columns) -> np.ndarray:
    """Shifts at which the shorter input lies wholly inside the longer one, counted."""
    t = np.arange(RANGES["n"][1] + 1)[None, :]
    long, short = np.maximum(c["n"], c["k"]), np.minimum(c["n"], c["k"])
    return np.sum(t + short[:, None] <= long[:, None], axis=1)


class Unpadded(NamedTuple):
    """A padded convention's entry with its padding ``fixed`` (each to 0) is that of the
    valid ``convention``, whose truth applies on that slice."""

    fixed: tuple[tuple[str, int], ...]
    convention: str


@dataclass(frozen=True)
class Quantity:
    """The definition of one quantity under one convention, and how its truth is computed."""

    quantity: str
    convention: str
    variables: tuple[str, ...]
    layer: str
    meaning: str
    definition: str
    definition_latex: str
    truth: Callable[[Columns], np.ndarray]
    condition: str = ""
    is_valid: Callable[[Columns], np.ndarray] | None = None
    #: The truth as a SymPy expression with the prover's assumptions (None: not stated).
    symbolic: Truth | None = None
    #: For a quantity defined by a count: the closed form a theorem proves for all sizes,
    #: and that theorem's name.
    counted: tuple[str, str] | None = None
    #: For a counted quantity of a padded convention with no symbolic truth of its own:
    #: the valid convention it is with its padding fixed to 0.
    unpadded: Unpadded | None = None


def _fits(c: Columns) -> np.ndarray:
    pb, pa = _pads(c)
    return _span(c) <= c["n"] + pb + pa


def _transposed_valid(c: Columns) -> np.ndarray:
    size = transposed_output_size(c["n"], c["k"], c["s"], c["p"], c["op"], c["d"])
    return (c["op"] < np.maximum(c["s"], c["d"])) & (size >= 1)


def _pool_valid(c: Columns) -> np.ndarray:
    return (2 * c["p"] <= c["k"]) & _fits(c)


_CONV = "floor((n + {pads} - d*(k-1) - 1)/s) + 1"
_CONV_TEX = r"\left\lfloor \frac{{n + {pads} - d(k-1) - 1}}{{s}} \right\rfloor + 1"
_FITS = "the dilated kernel fits the padded input, d*(k-1) + 1 <= n + {pads}"
_SAME_TOTAL = "max((ceil(n/s) - 1)*s + d*(k-1) + 1 - n, 0)"
_SAME_TOTAL_TEX = (r"\max\left(\left(\left\lceil \tfrac{n}{s} \right\rceil - 1\right)s"
                   r" + d(k-1) + 1 - n,\ 0\right)")
_FRAMEWORKS = ("tensorflow", "keras", "jax")
_SAME_LAYER = {"tensorflow": "tensorflow convolution with padding='SAME'",
               "keras": "keras Conv1D with padding='same'",
               "jax": "jax.lax.conv_general_dilated with padding='SAME'"}
_VALID_LAYER = {"tensorflow": "tensorflow convolution with padding='VALID'",
                "keras": "keras Conv1D with padding='valid'"}
_WINDOWS = r"the number of windows $i \ge 0$ with $s\,i + d(k-1) \le {length} - 1$, counted"


#: The dilated window fits the padded input: the truth of a convolution's output size.
_TORCH_WINDOWS = windows_truth(2 * p, (p,))
_VALID_WINDOWS = windows_truth(sympy.Integer(0), ())
_POOL_WINDOWS = windows_truth(2 * p, (p, k - 2 * p))


def _entries() -> list[Quantity]:
    entries = [
        Quantity("output_size", "torch", ("n", "k", "s", "p", "d"),
                 "torch convolution (torch.nn.Conv1d, padding=p)",
                 _WINDOWS.format(length="n + 2p"), _CONV.format(pads="2*p"),
                 _CONV_TEX.format(pads="2p"), _windows, _FITS.format(pads="2*p"), _fits,
                 symbolic=_TORCH_WINDOWS),
        Quantity("output_size", "jax", ("n", "k", "s", "p_before", "p_after", "d"),
                 "jax convolution (lax.conv_general_dilated, padding=[(p_before, p_after)])",
                 _WINDOWS.format(length=r"n + p_{\mathrm{before}} + p_{\mathrm{after}}"),
                 _CONV.format(pads="p_before + p_after"),
                 _CONV_TEX.format(pads=r"p_{\mathrm{before}} + p_{\mathrm{after}}"), _windows,
                 _FITS.format(pads="p_before + p_after"), _fits,
                 symbolic=windows_truth(pb + pa, (pb, pa))),
        Quantity("transposed_output_size", "torch", ("n", "k", "s", "p", "d", "op"),
                 "torch transposed convolution (torch.nn.ConvTranspose1d)",
                 "symconv.geometry.transposed_output_size (checked against PyTorch)",
                 "(n-1)*s - 2*p + d*(k-1) + op + 1",
                 r"(n-1)s - 2p + d(k-1) + \mathrm{op} + 1", _transposed_output_size,
                 "op < max(s, d) and the output is not empty", _transposed_valid,
                 symbolic=Truth((n - 1) * s - 2 * p + SPAN + op + 1,
                                "PyTorch's ConvTranspose rule",
                                POSITIVE_SIZES + (p, op, sympy.Max(s, d) - 1 - op,
                                                  (n - 1) * s - 2 * p + SPAN + op))),
        Quantity("transposed_output_size", "keras", ("n", "k", "s", "d"),
                 "keras Conv1DTranspose (padding='valid', output_padding=None)",
                 "keras' deconv_output_length: n*s + max(d*(k-1) + 1 - s, 0)",
                 "n*s + max(d*(k-1) + 1 - s, 0)",
                 r"ns + \max\left(d(k-1) + 1 - s,\ 0\right)", _keras_transposed,
                 symbolic=Truth(KERAS_TRANSPOSED, "keras' deconv_output_length",
                                POSITIVE_SIZES)),
        Quantity("transposed_output_size", "tensorflow", ("n", "k", "s", "d"),
                 "tf.keras.layers.Conv1DTranspose (padding='valid', output_padding=None; "
                 "tf.nn.conv_transpose takes the size as output_shape)",
                 "keras' deconv_output_length: n*s + max(d*(k-1) + 1 - s, 0)",
                 "n*s + max(d*(k-1) + 1 - s, 0)",
                 r"ns + \max\left(d(k-1) + 1 - s,\ 0\right)", _keras_transposed,
                 symbolic=Truth(KERAS_TRANSPOSED, KERAS_RULE, POSITIVE_SIZES)),
        Quantity("transposed_output_size", "jax", ("n", "k", "s", "d"),
                 "jax.lax.conv_transpose (padding='VALID')",
                 "jax's _conv_transpose_padding('VALID') pads, then the conv shape rule "
                 "(n-1)*s + 2 + pads - (d*(k-1) + 1)",
                 "n*s + max(d*(k-1) + 1 - s, 0)",
                 r"ns + \max\left(d(k-1) + 1 - s,\ 0\right)", _jax_transposed("valid"),
                 symbolic=jax_transposed_truth("VALID")),
        Quantity("transposed_same_output_size", "jax", ("n", "k", "s", "d"),
                 "jax.lax.conv_transpose (padding='SAME')",
                 "jax's _conv_transpose_padding('SAME') pads, then the conv shape rule "
                 "(n-1)*s + 2 + pads - (d*(k-1) + 1)", "n*s", "ns", _jax_transposed("same"),
                 symbolic=jax_transposed_truth("SAME")),
        Quantity("pool_output_size", "torch", ("n", "k", "s", "p", "d"),
                 "torch max pooling (torch.nn.MaxPool1d, ceil_mode=False)",
                 _WINDOWS.format(length="n + 2p"), _CONV.format(pads="2*p"),
                 _CONV_TEX.format(pads="2p"), _windows,
                 "2*p <= k and " + _FITS.format(pads="2*p"), _pool_valid,
                 symbolic=_POOL_WINDOWS),
        Quantity("pool_output_size_ceil", "torch", ("n", "k", "s", "p", "d"),
                 "torch max pooling (torch.nn.MaxPool1d, ceil_mode=True)",
                 r"the number of windows $i \ge 0$ with $s\,i < n + 2p - d(k-1) + s$ that start "
                 r"inside the input or the left padding ($s\,i < n + p$), counted",
                 "min(ceil((n + 2*p - d*(k-1) - 1)/s) + 1, ceil((n + p)/s))",
                 r"\min\left(\left\lceil \frac{n + 2p - d(k-1) - 1}{s} \right\rceil + 1,\ "
                 r"\left\lceil \frac{n + p}{s} \right\rceil\right)", _pool_ceil_windows,
                 "2*p <= k and " + _FITS.format(pads="2*p"), _pool_valid,
                 symbolic=Truth(Windows(sympy.Min(n + 2 * p - SPAN - 2 + s, n + p - 1), s),
                                "windows $i \\ge 0$ with $s\\,i < n + 2p - d(k-1) - 1 + s$ "
                                "(the fewest covering the padded input) that start before the "
                                "right padding, $s\\,i < n + p$", _POOL_WINDOWS.assumptions)),
    ]
    for convention in ("tensorflow", "keras"):
        entries += [
            Quantity("output_size", convention, ("n", "k", "s", "d"), _VALID_LAYER[convention],
                     _WINDOWS.format(length="n"), "ceil((n - d*(k-1))/s)",
                     r"\left\lceil \frac{n - d(k-1)}{s} \right\rceil", _windows,
                     "d*(k-1) + 1 <= n", _fits, symbolic=_VALID_WINDOWS),
            Quantity("pool_output_size", convention, ("n", "k", "s"),
                     _VALID_LAYER[convention].replace("convolution", "pooling")
                     .replace("Conv1D", "MaxPooling1D"),
                     _WINDOWS.format(length="n").replace(" + d(k-1)", " + k - 1"),
                     "floor((n - k)/s) + 1", r"\left\lfloor \frac{n - k}{s} \right\rfloor + 1",
                     _windows, "k <= n", _fits,
                     symbolic=Truth(Windows(n - k, s), "windows $i \\ge 0$ with $s\\,i + k "
                                    "\\le n$", (n - 1, k - 1, s - 1, n - k))),
        ]
    for convention in ("tensorflow", "keras"):
        entries.append(Quantity(
            "transposed_same_output_size", convention, ("n", "k", "s", "d"),
            f"{'tf.keras' if convention == 'tensorflow' else 'keras'}.layers.Conv1DTranspose "
            "(padding='same', output_padding=None)", "keras' deconv_output_length: n*s",
            "n*s", "ns", lambda c: c["n"] * c["s"],
            symbolic=Truth(n * s, KERAS_RULE, POSITIVE_SIZES)))
    for convention in _FRAMEWORKS:
        entries += _same_entries(convention)
    entries += _torch_same_entries()
    entries += _signal_entries()
    for convention in ("torch",) + _FRAMEWORKS:
        entries += _layer_entries(convention)
    return entries


def _transposed_output_size(c: Columns) -> np.ndarray:
    return transposed_output_size(c["n"], c["k"], c["s"], c["p"], c["op"], c["d"])


def _keras_transposed(c: Columns) -> np.ndarray:
    return c["n"] * c["s"] + np.maximum(_span(c) - c["s"], 0)


def _jax_transposed(padding: str) -> Callable[[Columns], np.ndarray]:
    """JAX's transposed output size: its pads of the zero-inserted input, then the shape rule."""
    def truth(c: Columns) -> np.ndarray:
        span, stride = _span(c), c["s"]
        pads = span + stride - 2 + (np.maximum(span - stride, 0) if padding == "valid" else 0)
        return (c["n"] - 1) * stride + 2 + pads - span
    return truth


def _same_entries(convention: str) -> list[Quantity]:
    layer = _SAME_LAYER[convention]
    source = "symconv.geometry.same_pads (TensorFlow's rule, odd pixel after)"
    variables = ("n", "k", "s", "d")
    total, before, after = pads_truths(TF_SAME_TOTAL, (TF_SAME_RULE,) * 3)
    return [
        Quantity("same_output_size", convention, ("n", "s"), layer,
                 r"the number of window starts $i \ge 0$ with $s\,i \le n - 1$, counted",
                 "ceil(n/s)", r"\left\lceil \frac{n}{s} \right\rceil",
                 lambda c: _count_starts(c, c["n"] - 1),
                 symbolic=Truth(Windows(n - 1, s), "window starts $i \\ge 0$ with $s\\,i \\le "
                                "n - 1$", (n - 1, s - 1))),
        Quantity("same_pad_total", convention, variables, layer, source, _SAME_TOTAL,
                 _SAME_TOTAL_TEX, _same(0), symbolic=total),
        Quantity("same_pad_before", convention, variables, layer, source,
                 f"floor({_SAME_TOTAL} / 2)",
                 r"\left\lfloor \tfrac{1}{2} P \right\rfloor,\ P = " + _SAME_TOTAL_TEX,
                 _same(1), symbolic=before),
        Quantity("same_pad_after", convention, variables, layer, source,
                 f"ceil({_SAME_TOTAL} / 2)",
                 r"\left\lceil \tfrac{1}{2} P \right\rceil,\ P = " + _SAME_TOTAL_TEX,
                 _same(2), symbolic=after),
    ]


def _torch_same_entries() -> list[Quantity]:
    layer = "torch convolution with padding='same' (stride 1 only)"
    source = "PyTorch's _ConvNd: total = d*(k-1), left = total // 2, right = the rest"
    total, before, after = pads_truths(SPAN, (
        "PyTorch's total $d(k-1)$", "PyTorch's left pad total // 2",
        "PyTorch's right pad, total - total // 2"))
    return [
        Quantity("same_output_size", "torch", ("n",), layer, "the input size $n$", "n", "n",
                 lambda c: c["n"], symbolic=Truth(Windows(n - 1, 1), "window starts at "
                                                  "stride 1, $i \\le n - 1$", (n - 1,))),
        Quantity("same_pad_total", "torch", ("k", "d"), layer, source, "d*(k-1)", "d(k-1)",
                 _torch_same(0), symbolic=total),
        Quantity("same_pad_before", "torch", ("k", "d"), layer, source, "floor(d*(k-1)/2)",
                 r"\left\lfloor \tfrac{d(k-1)}{2} \right\rfloor", _torch_same(1),
                 symbolic=before),
        Quantity("same_pad_after", "torch", ("k", "d"), layer, source, "ceil(d*(k-1)/2)",
                 r"\left\lceil \tfrac{d(k-1)}{2} \right\rceil", _torch_same(2),
                 symbolic=after),
    ]


def _signal_entries() -> list[Quantity]:
    entries = []
    for convention, call in (("numpy", "np.convolve(x, w, mode)"),
                             ("scipy", "scipy.signal.convolve(x, w, mode)")):
        layer = f"{convention} convolution {call}, len(x) = n, len(w) = k"
        entries += [
            Quantity("full_length", convention, ("n", "k"), layer,
                     r"the number of shifts $t$ with $-(k-1) \le t \le n-1$, counted", "n + k - 1",
                     "n + k - 1", _full, symbolic=Truth(
                         Windows(n + k - 2, 1), "shifts $t$ with $-(k-1) \\le t \\le n-1$, "
                         "i.e. $i = t + k - 1$ from $0$ to $n + k - 2$", (n - 1, k - 1))),
            Quantity("valid_length", convention, ("n", "k"), layer,
                     "the number of shifts placing the shorter input inside the longer, "
                     "counted", "max(n, k) - min(n, k) + 1",
                     r"\max(n, k) - \min(n, k) + 1", _valid_length, symbolic=Truth(
                         Windows(sympy.Max(n, k) - sympy.Min(n, k), 1), "shifts $i \\ge 0$ "
                         "with $i + \\min(n,k) \\le \\max(n,k)$", (n - 1, k - 1))),
        ]
    entries += [
        Quantity("same_length", "numpy", ("n", "k"), entries[0].layer,
                 "the length of the longer input (numpy centres on the longer one)",
                 "max(n, k)", r"\max(n, k)", lambda c: np.maximum(c["n"], c["k"]),
                 symbolic=Truth(sympy.Max(n, k), "numpy keeps the longer length",
                                (n - 1, k - 1))),
        Quantity("same_length", "scipy", ("n", "k"), entries[2].layer,
                 "the length of the first input (scipy keeps the size of in1)", "n", "n",
                 lambda c: c["n"], symbolic=Truth(n, "scipy keeps the length of in1",
                                                  (n - 1, k - 1))),
    ]
    return entries


_CONV_LAYERS = {
    "torch": (("n", "k", "s", "p", "d"), _FITS.format(pads="2*p")),
    "jax": (("n", "k", "s", "p_before", "p_after", "d"), _FITS.format(pads="p_before + p_after")),
    "tensorflow": (("n", "k", "s", "d"), "d*(k-1) + 1 <= n (padding='VALID')"),
    "keras": (("n", "k", "s", "d"), "d*(k-1) + 1 <= n (padding='valid')"),
}
#: The padding variables of each padded convention (fixed to 0: the valid convention).
_PADDING = {"torch": ("p",), "jax": ("p_before", "p_after")}
#: The closed form theorem mac-count proves for the MACs of a valid convolution.
_MAC_COUNT = ("(floor((n - d*(k - 1) - 1)/s) + 1)*k", "mac-count")


def _layer_entries(convention: str) -> list[Quantity]:
    layer = f"single {convention} 1-D convolution layer (one channel in and out, no bias)"
    variables, condition = _CONV_LAYERS[convention]
    padded = convention in _PADDING
    macs = None if padded else Truth(
        Windows(n - SPAN - 1, s) * k, "(windows) $\\times k$: without padding every "
        "(window, tap) pair reads a distinct real input (theorem mac-count's claims, "
        "proved for all sizes), so the nonzeros are all of them", _VALID_WINDOWS.assumptions)
    return [
        Quantity("receptive_field", convention, ("k", "d"), layer,
                 "the distance from the first to the last kernel tap, plus one",
                 "d*(k-1) + 1", "d(k-1) + 1", _span, symbolic=Truth(
                     Windows(SPAN, 1), "input positions from the first tap to the last",
                     POSITIVE_SIZES)),
        Quantity("params", convention, ("k",), layer,
                 "the number of distinct kernel weights", "k", "k", lambda c: c["k"],
                 symbolic=Truth(k, "distinct kernel weights", (k - 1,))),
        Quantity("macs", convention, variables, layer,
                 "the nonzeros of the correlation matrix: pairs (output $i$, tap $j$) whose "
                 r"input index $s\,i + d\,j - p_{\mathrm{before}}$ lies in $0, \dots, n-1$, "
                 "counted",
                 "#{(i, j) : i < output_size, j < k, 0 <= s*i + d*j - p_before <= n - 1}",
                 r"\#\{(i, j) : i < o,\ j < k,\ 0 \le si + dj - p_{\mathrm{before}} \le n - 1\}",
                 _macs, condition, _fits, symbolic=macs,
                 counted=None if padded else _MAC_COUNT,
                 unpadded=Unpadded(tuple((name, 0) for name in _PADDING[convention]),
                                   "tensorflow") if padded else None),
    ]


def _table() -> dict[tuple[str, str], Quantity]:
    """The one quantity table, keyed by ``(quantity, convention)``; each key defined once."""
    table: dict[tuple[str, str], Quantity] = {}
    for entry in _entries():
        key = entry.quantity, entry.convention
        if key in table:
            raise ValueError(f"quantity {key} is defined twice")
        table[key] = entry
    return table


#: Every supported ``(quantity, convention)`` pair: its definition, numeric truth,
#: symbolic truth and (for a count) the closed form a theorem proves.
QUANTITIES: dict[tuple[str, str], Quantity] = _table()


def symbolic_truths() -> dict[tuple[str, str], Truth]:
    """Every stated symbolic truth, read from :data:`QUANTITIES` (a view, not a second table).

    Examples
    --------
    >>> truths = symbolic_truths()
    >>> truths["same_output_size", "jax"].expr, ("macs", "torch") in truths
    (Windows(n - 1, s), False)
    """
    return {key: entry.symbolic for key, entry in QUANTITIES.items()
            if entry.symbolic is not None}


def symbolic_truth(quantity: str, convention: str) -> Truth | None:
    """The quantity's truth as a SymPy expression, if stated.

    Examples
    --------
    >>> symbolic_truth("output_size", "torch").expr
    Windows(-d*(k - 1) + n + 2*p - 1, s)
    >>> symbolic_truth("macs", "torch") is None
    True
    """
    entry = QUANTITIES.get((quantity, convention))
    return None if entry is None else entry.symbolic


def supported() -> dict[str, tuple[str, ...]]:
    """The supported quantities, each with its conventions.

    Examples
    --------
    >>> for quantity, conventions in supported().items():
    ...     print(f"{quantity}: {', '.join(conventions)}")
    output_size: torch, jax, tensorflow, keras
    transposed_output_size: torch, keras, tensorflow, jax
    transposed_same_output_size: jax, tensorflow, keras
    pool_output_size: torch, tensorflow, keras
    pool_output_size_ceil: torch
    same_output_size: tensorflow, keras, jax, torch
    same_pad_total: tensorflow, keras, jax, torch
    same_pad_before: tensorflow, keras, jax, torch
    same_pad_after: tensorflow, keras, jax, torch
    full_length: numpy, scipy
    valid_length: numpy, scipy
    same_length: numpy, scipy
    receptive_field: torch, tensorflow, keras, jax
    params: torch, tensorflow, keras, jax
    macs: torch, tensorflow, keras, jax
    """
    table: dict[str, tuple[str, ...]] = {}
    for quantity, convention in QUANTITIES:
        table[quantity] = table.get(quantity, ()) + (convention,)
    return table


def lookup(quantity: str, convention: str) -> Quantity:
    table = supported()
    if quantity not in table:
        raise fail(f"unknown quantity {quantity!r} (valid: {', '.join(table)})")
    if (quantity, convention) not in QUANTITIES:
        pairs = "; ".join(f"{q}: {', '.join(c)}" for q, c in table.items())
        raise fail(f"quantity {quantity!r} is not defined for convention {convention!r} "
                   f"(valid conventions for it: {', '.join(table[quantity])}; all pairs: "
                   f"{pairs})")
    return QUANTITIES[quantity, convention]

