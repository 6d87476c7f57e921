"""Pooling: average pools as operators with exact Rational weights, max pools as selections."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from math import prod
from typing import Any

import numpy as np
import sympy

from ..errors import GeometryError, OperatorError, describe
from ..geometry import AdaptivePoolGeometry, PoolGeometry
from ..limits import require_index_range, require_work
from ..validation import boolean, integer
from .index_form import window_triples
from .linear import REPR_SIZE, LinearOperator, flat_input, float_array
from .signals import constant_channels, per_channel
from .symbols import Shape, input_symbols


def _pool_geometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode):
    if isinstance(input_shape, PoolGeometry):
        return input_shape
    return PoolGeometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)


def _require_pool_work(name: str, g: PoolGeometry, channels: Any) -> int:
    """Validate ``channels`` and refuse a pooling whose windows would exceed the work limit."""
    channels = integer("channels", channels, minimum=1, error=OperatorError)
    require_index_range(name, stride=g.stride, dilation=g.dilation,
                        padding=tuple(max(pair) for pair in g.pads))
    require_work(f"{name} ({channels} channels)",
                 index_entries=channels * prod(g.output_shape) * prod(g.kernel_shape))
    return channels


def avg_pool(input_shape: Sequence[int] | PoolGeometry, kernel_shape: Sequence[int] | None = None,
             stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
             count_include_pad: bool = True, channels: int = 1, *, dilation: Any = 1,
             divisor_override: int | None = None) -> LinearOperator:
    """Average pooling (PyTorch's, TensorFlow's) as a linear operator with exact Rational weights.

    Window ``i`` averages the taps ``s*i - p_b + d*m`` that land on the input. The divisor:
    ``divisor_override`` when given (PyTorch); else with ``count_include_pad`` the taps
    inside the padded input ``[-p_b, n + p_a)`` (PyTorch: ``min(start + k, n + p) - start``);
    otherwise the taps on real input, which is TensorFlow's rule for ``padding="same"``
    (``tf.nn.avg_pool`` excludes the padding). ``dilation`` is ``tf.nn.pool``'s
    (``pooling_type="AVG"``, VALID); PyTorch's average pooling has none.

    Examples
    --------
    >>> avg_pool((4,), (2,)).matrix
    Matrix([
    [1/2, 1/2,   0,   0],
    [  0,   0, 1/2, 1/2]])
    >>> avg_pool((3,), (2,), padding=1, count_include_pad=False).matrix
    Matrix([
    [1,   0, 0],
    [0, 1/2, 1/2]])
    >>> avg_pool((3,), (2,), padding="same", count_include_pad=False).matrix
    Matrix([
    [1/2, 1/2, 0],
    [  0,   0, 1]])
    >>> avg_pool((4,), (2,), divisor_override=3).matrix
    Matrix([
    [1/3, 1/3,   0,   0],
    [  0,   0, 1/3, 1/3]])
    """
    g = _pool_geometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)
    count_include_pad = boolean("count_include_pad", count_include_pad, error=OperatorError)
    if divisor_override is not None:
        divisor_override = integer("divisor_override", divisor_override, minimum=1,
                                   error=OperatorError)
    channels = _require_pool_work("avg_pool", g, channels)
    pairs, weights = [], []
    for axis, (n, k, s, (pb, pa), d, out) in enumerate(zip(
            g.input_shape, g.kernel_shape, g.stride, g.pads, g.dilation, g.output_shape)):
        triples = window_triples(out, k, n, s, pb, d)
        taps = np.arange(out)[:, None] * s - pb + d * np.arange(k)[None, :]
        padded = (taps < n + pa).sum(axis=1)
        real = np.bincount(triples[:, 0], minlength=out)
        divisor = padded if count_include_pad else real
        if divisor_override is None and not divisor.all():
            raise GeometryError(describe(
                f"padding[{axis}]", (pb, pa), f"leaves pooling window {int(np.argmin(divisor))}"
                " without input samples: its average is undefined",
                "pads that every window overlaps the input through, or divisor_override"))
        pairs.append((triples[:, 0], triples[:, 2]))
        weights.append(divisor[triples[:, 0]])
    op = per_channel("avg_pool", pairs, g.input_shape, g.output_shape, channels)
    grids = np.meshgrid(*[np.arange(len(w)) for w in weights], indexing="ij")
    per_entry = np.prod([w[gr.ravel()] for w, gr in zip(weights, grids)], axis=0)
    if divisor_override is not None:
        per_entry = np.full(len(per_entry), divisor_override)
    coeffs = np.array([sympy.Rational(1, int(v)) for v in per_entry] * op.input_shape[0],
                      dtype=object)
    return replace(op, coeffs=coeffs)


def adaptive_avg_pool(input_shape: Sequence[int], output_size: int | Sequence[int],
                      channels: int = 1) -> LinearOperator:
    """PyTorch's adaptive average pooling as a linear operator with exact Rational weights.

    Each output averages its window of :class:`~symconv.geometry.AdaptivePoolGeometry`
    (PyTorch's start/end index rule).

    Examples
    --------
    >>> adaptive_avg_pool((5,), 3).matrix
    Matrix([
    [1/2, 1/2,   0,   0,   0],
    [  0, 1/3, 1/3, 1/3,   0],
    [  0,   0,   0, 1/2, 1/2]])
    """
    g = AdaptivePoolGeometry(input_shape, output_size)
    n, o = g.input_shape, g.output_shape
    channels = constant_channels("adaptive_avg_pool", channels, n, o)
    require_work(f"adaptive_avg_pool ({channels} channels)",
                 index_entries=channels * prod((-(-na // oa) + 1) * oa for na, oa in zip(n, o)))
    pairs, weights = [], []
    for ranges in g.windows():
        rows = np.concatenate([np.full(e - b, r) for r, (b, e) in enumerate(ranges)])
        cols = np.concatenate([np.arange(b, e) for b, e in ranges])
        pairs.append((rows, cols))
        weights.append(np.array([e - b for b, e in ranges])[rows])
    op = per_channel("adaptive_avg_pool", pairs, n, o, channels)
    grids = np.meshgrid(*[np.arange(len(w)) for w in weights], indexing="ij")
    per_entry = np.prod([w[gr.ravel()] for w, gr in zip(weights, grids)], axis=0)
    coeffs = np.array([sympy.Rational(1, int(v)) for v in per_entry] * channels, dtype=object)
    return replace(op, coeffs=coeffs)


def adaptive_max_pool(input_shape: Sequence[int], output_size: int | Sequence[int],
                      channels: int = 1) -> MaxPool:
    """PyTorch's adaptive max pooling as a :class:`MaxPool` over the start/end windows.

    Examples
    --------
    >>> adaptive_max_pool((5,), 3).windows
    ((0, 1), (1, 2, 3), (3, 4))
    """
    g = AdaptivePoolGeometry(input_shape, output_size)
    channels = integer("channels", channels, minimum=1, error=OperatorError)
    require_work(f"adaptive_max_pool ({channels} channels)", index_entries=channels * prod(
        (-(-na // oa) + 1) * oa for na, oa in zip(g.input_shape, g.output_shape)))
    per_axis = [[list(range(b, e)) for b, e in ranges] for ranges in g.windows()]
    return MaxPool(g, channels, _flat_windows(per_axis, g.input_shape))


def _flat_windows(per_axis: list[list[list[int]]], input_shape: Shape) -> tuple:
    """Flat input positions of every window, from each axis' window positions."""
    windows = []
    for position in itertools.product(*per_axis):
        cells = itertools.product(*position)
        windows.append(tuple(int(np.ravel_multi_index(c, input_shape)) for c in cells))
    return tuple(windows)


def _shape_latex(shape: Shape) -> str:
    """A shape as Python writes it, ``(24,)`` for one element."""
    return repr(tuple(shape)).replace(" ", r"\ ")


@dataclass(frozen=True, eq=False)
class MaxPool:
    """PyTorch max pooling: a selection with SymPy ``Max`` over each window, not a matrix.

    A window whose taps all fall in the padding (possible with dilation >= 2,
    e.g. ``max_pool((1,), (2,), stride=1, padding=1, dilation=2)``) has PyTorch's
    value ``-inf`` (``-oo`` symbolically) and PyTorch's switch: the first
    non-negative tap position, flattened, which lies *outside* the input
    (``torch.nn.functional.max_pool1d`` returns index 1 on an input of size 1).
    No 0/1 row selects ``-inf``, so :meth:`selection` refuses such switches with
    an :class:`~symconv.errors.OperatorError`.

    Attributes
    ----------
    geometry : PoolGeometry or AdaptivePoolGeometry
    channels : int
    windows : tuple of tuple of int
        For each flattened output position (one channel), the flat input positions
        inside its window (padding is -inf, so it never wins and is left out).

    Examples
    --------
    >>> mp = max_pool((4,), (2,))
    >>> mp.apply(input_symbols(mp.input_shape))
    [[Max(x_{0,0}, x_{0,1}), Max(x_{0,2}, x_{0,3})]]
    >>> empty = max_pool((1,), (2,), stride=1, padding=1, dilation=2)
    >>> empty.numeric([[3.0]]), empty.switches([[3.0]])
    (array([[-inf]]), array([[1]]))
    >>> empty.apply(input_symbols(empty.input_shape))
    [[-oo]]
    """

    geometry: PoolGeometry | AdaptivePoolGeometry
    channels: int
    windows: tuple[tuple[int, ...], ...]

    @property
    def input_shape(self) -> Shape:
        """``(channels, *spatial)``."""
        return (self.channels, *self.geometry.input_shape)

    @property
    def output_shape(self) -> Shape:
        """``(channels, *output spatial)``."""
        return (self.channels, *self.geometry.output_shape)

    def apply(self, x: Any) -> sympy.Array:
        """``Max`` of each window of symbolic (or numeric) input ``x``."""
        flat = flat_input(x, self.input_shape)
        size = int(np.prod(self.geometry.input_shape))
        values = [sympy.Max(*[flat[c * size + j] for j in window]) if window else -sympy.oo
                  for c in range(self.channels) for window in self.windows]
        return sympy.Array(values, self.output_shape)

    def numeric(self, x: Any) -> np.ndarray:
        """Max of each window of a numeric input (float array of :attr:`output_shape`)."""
        x = float_array("x", x, self.input_shape, "the max pool's input_shape")
        flat = x.reshape(self.channels, -1)
        out = [[flat[c, list(w)].max() if w else -np.inf for w in self.windows]
               for c in range(self.channels)]
        return np.array(out, dtype=float).reshape(self.output_shape)

    def switches(self, x: Any) -> np.ndarray:
        """Flat input index of each window's maximum (first one on ties, as PyTorch).

        A window with no input sample gets PyTorch's index: its first non-negative
        tap position, flattened (outside the input; see the class docstring).
        """
        x = float_array("x", x, self.input_shape, "the max pool's input_shape")
        flat = x.reshape(self.channels, -1)
        empty = self._empty_window_switches()
        out = [[w[int(np.argmax(flat[c, list(w)]))] if w else empty[o]
                for o, w in enumerate(self.windows)] for c in range(self.channels)]
        return np.array(out, dtype=np.int64).reshape(self.output_shape)

    def _empty_window_switches(self) -> dict[int, int]:
        """PyTorch's index for each window that meets no input sample, by output position."""
        g = self.geometry
        found = {}
        for o, position in enumerate(np.ndindex(*g.output_shape)):
            if self.windows[o]:
                continue
            index = 0
            for i, n, s, (p, _), d in zip(position, g.input_shape, g.stride, g.pads,
                                          g.dilation):
                start = s * i - p
                index = index * n + start + d * (-(-max(-start, 0) // d))
            found[o] = index
        return found

    def _repr_latex_(self) -> str:
        r"""Jupyter: ``y = \max`` over each window of channel 0 as a row (1-D) or a matrix
        (2-D) when it has at most :data:`REPR_SIZE` rows and columns, else the shapes.

        Examples
        --------
        >>> print(max_pool((4,), (2,))._repr_latex_())  # doctest: +ELLIPSIS
        $\displaystyle y_{0} = \left[\begin{matrix}\max\left(x_{0,0}, x_{0,1}\right) & ...$
        >>> print(max_pool((40,), (2,))._repr_latex_())
        $\text{max pool } (1,\ 40) \to (1,\ 20)$
        """
        out = self.geometry.output_shape
        head = r"\text{max pool } " + _shape_latex(self.input_shape) + r" \to " + \
            _shape_latex(self.output_shape)
        if len(out) > 2 or max(out) > REPR_SIZE:
            return f"${head}$"
        values = self.apply(input_symbols(self.input_shape)).tolist()[0]
        grid = sympy.Matrix([values] if len(out) == 1 else values)
        return r"$\displaystyle y_{0} = " + sympy.latex(grid) + "$"

    def __repr__(self) -> str:
        return f"<max_pool: {self.input_shape} -> {self.output_shape}>"

    def selection(self, switches: Any) -> LinearOperator:
        """The 0/1 matrix that picks each window's maximum given its ``switches``."""
        switches = np.asarray(switches, dtype=np.int64).reshape(self.channels, -1)
        out_size = switches.shape[1]
        in_size = int(np.prod(self.geometry.input_shape))
        outside = switches[(switches < 0) | (switches >= in_size)]
        if outside.size:
            raise OperatorError(describe(
                "switches", int(outside[0]),
                "must be flat input positions (a window with no input sample, all taps in "
                "the padding, has PyTorch's switch outside the input and the value -inf, "
                "which no 0/1 selection row gives)",
                f"0 to {in_size - 1}; use a padding or dilation whose windows all meet the "
                "input"))
        rows = np.concatenate([c * out_size + np.arange(out_size)
                               for c in range(self.channels)])
        cols = np.concatenate([c * in_size + switches[c] for c in range(self.channels)])
        return LinearOperator("max_pool_selection", self.input_shape, self.output_shape,
                              rows.astype(np.int64), cols.astype(np.int64),
                              np.full(len(rows), -1, dtype=np.int64))

    def unpool(self, switches: Any) -> LinearOperator:
        """PyTorch's ``MaxUnpool``: each pooled value scattered to its switch, zeros elsewhere.

        Where two outputs share a switch (overlapping windows) the later one in flat order
        is kept, as ``torch.nn.functional.max_unpool`` does on the CPU; the transpose of
        :meth:`selection` would add them instead. Switches from :meth:`switches` carry
        equal values there, so both agree on max-pooled values.

        Examples
        --------
        >>> mp = max_pool((5,), (3,), stride=1)
        >>> mp.unpool([[1, 1, 4]]).numeric().astype(int).tolist()
        [[0, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0], [0, 0, 1]]
        """
        selection = self.selection(switches)
        last = {}  # input position -> the last pooled position whose switch it is
        for pooled, position in zip(selection.rows.tolist(), selection.cols.tolist()):
            last[position] = pooled
        targets = np.array(sorted(last), dtype=np.int64)
        sources = np.array([last[t] for t in targets.tolist()], dtype=np.int64)
        return LinearOperator("max_unpool", self.output_shape, self.input_shape, targets,
                              sources, np.full(len(targets), -1, dtype=np.int64))


def max_pool(input_shape: Sequence[int] | PoolGeometry, kernel_shape: Sequence[int] | None = None,
             stride: Any = None, padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
             channels: int = 1) -> MaxPool:
    """PyTorch max pooling (implicit -inf padding, dilation, ceil_mode) as a :class:`MaxPool`.

    Examples
    --------
    >>> max_pool((5,), (2,), ceil_mode=True).windows
    ((0, 1), (2, 3), (4,))
    """
    g = _pool_geometry(input_shape, kernel_shape, stride, padding, dilation, ceil_mode)
    channels = _require_pool_work("max_pool", g, channels)
    per_axis = []
    for n, k, s, (p, _), d, out in zip(g.input_shape, g.kernel_shape, g.stride, g.pads,
                                       g.dilation, g.output_shape):
        per_axis.append([[j for j in (s * i - p + d * m for m in range(k)) if 0 <= j < n]
                         for i in range(out)])
    return MaxPool(g, channels, _flat_windows(per_axis, g.input_shape))
