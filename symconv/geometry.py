"""Integer shape arithmetic: padding resolution, output sizes, validation.

Nothing here is symbolic. User input is canonicalised once into a frozen spec
(:class:`Geometry`, :class:`TransposedGeometry`, :class:`PoolGeometry`); every
other layer of symconv takes only these specs.

The size formulas, one spatial axis, input ``n``, kernel ``k``, stride ``s``,
pads ``(p_b, p_a)`` before and after, dilation ``d``:

=====================  ==================================================
correlation            ``floor((n + p_b + p_a - d(k-1) - 1) / s) + 1``
transposed (PyTorch)   ``(n-1)s - 2p + d(k-1) + output_padding + 1``
transposed (TF/Keras)  any ``o`` whose forward SAME/VALID layer gives ``n``;
                       Keras: SAME ``n*s``, VALID ``(n-1)s + max(k', s)``
                       (``k' = d(k-1)+1``) without output_padding
transposed (JAX)       ``(n-1)s + 2 + a + b - k'`` for transposed pads
                       ``(a, b)``; SAME ``n*s``, VALID ``(n-1)s + max(k', s)``
pooling (PyTorch)      as correlation, ``ceil`` instead of ``floor`` with
                       ``ceil_mode``, minus one if the last window would
                       start inside the right padding
"same" (TensorFlow)    ``out = ceil(n/s)``, total pad
                       ``max((out-1)s + d(k-1) + 1 - n, 0)``, odd pixel after
"full"                 ``d(k-1)`` on both sides: ``n + d(k-1)`` outputs at s=1
=====================  ==================================================

Examples
--------
>>> g = Geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=2, padding=1)
>>> g.output_shape
(3, 3)
>>> g.pads
((1, 1), (1, 1))
>>> Geometry((13,), (6,), stride=5, padding="same").pads
((1, 2),)
>>> Geometry((13,), (6,), stride=5, padding="valid").output_shape
(2,)
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union

from .errors import GeometryError, describe, require
from .validation import boolean, integer, is_integer

#: What ``padding`` accepts: an int, per-axis ints, per-axis (before, after) pairs or a name.
Padding = Union[int, str, Sequence[int], Sequence[Sequence[int]]]  # noqa: UP007

#: Padding names: TensorFlow's SAME (odd pixel after), ONNX SAME_LOWER (odd pixel before),
#: full, and Keras' causal (``d(k-1)`` before, none after).
PADDING_NAMES = ("valid", "same", "same_lower", "full", "causal")

MAX_AXES = 3


# ---------------------------------------------------------------------------
# The formulas, on one axis
# ---------------------------------------------------------------------------

def conv_output_size(n: int, k: int, s: int = 1, pad_before: int = 0, pad_after: int = 0,
                     d: int = 1) -> int:
    """Number of windows of a (dilated, strided) correlation along one axis.

    Examples
    --------
    >>> conv_output_size(6, 3, s=2)
    2
    >>> conv_output_size(5, 3, s=2, pad_before=1, pad_after=1)
    3
    """
    return (n + pad_before + pad_after - d * (k - 1) - 1) // s + 1


def same_pads(n: int, k: int, s: int = 1, d: int = 1, lower: bool = False) -> tuple[int, int]:
    """TensorFlow's SAME padding ``(before, after)``; ``lower=True`` is ONNX SAME_LOWER.

    Examples
    --------
    >>> same_pads(13, 6, s=5)
    (1, 2)
    >>> same_pads(13, 6, s=5, lower=True)
    (2, 1)
    >>> same_pads(4, 3, s=2)
    (0, 1)
    """
    out = -(-n // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    small, large = total // 2, total - total // 2
    return (large, small) if lower else (small, large)


def transposed_output_size(n: int, k: int, s: int = 1, p: int = 0, output_padding: int = 0,
                           d: int = 1) -> int:
    """PyTorch ``ConvTranspose`` output size along one axis.

    Examples
    --------
    >>> transposed_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
    return (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


#: Who defines a transposed convolution's padding and output size.
TRANSPOSED_CONVENTIONS = ("torch", "tensorflow", "keras", "jax")


def tf_transposed_output_range(n: int, k: int, s: int = 1, d: int = 1,
                               padding: str | tuple[int, int] = "valid") -> tuple[int, int]:
    """Output sizes ``(smallest, largest)`` TensorFlow's ``conv_transpose`` accepts.

    TensorFlow defines the transposed layer as the gradient of the forward
    correlation on the output size ``o``, so ``o`` must be a size whose forward
    layer (``padding`` "same", "valid" or explicit ``(before, after)``) has ``n``
    outputs.

    Examples
    --------
    >>> tf_transposed_output_range(3, 3, s=2, padding="same")
    (5, 6)
    >>> tf_transposed_output_range(3, 3, s=2, padding="valid")
    (7, 8)
    >>> tf_transposed_output_range(3, 3, s=2, padding=(1, 1))
    (5, 6)
    """
    span = d * (k - 1) + 1
    if padding == "same":
        return ((n - 1) * s + 1, n * s)
    extra = 0 if padding == "valid" else padding[0] + padding[1]
    return ((n - 1) * s + span - extra, (n - 1) * s + span + s - 1 - extra)


def keras_transposed_output_size(n: int, k: int, s: int = 1, d: int = 1,
                                 padding: str = "valid",
                                 output_padding: int | None = None) -> int:
    """Keras 3 ``ConvTranspose`` output size (``_get_output_shape_given_tf_padding``).

    ``output_padding=None``: SAME gives ``n*s``, VALID ``(n-1)s + max(k', s)``;
    an integer ``op``: SAME ``(n-1)s + k' mod 2 + op``, VALID ``(n-1)s + k' + op``,
    with ``k' = d(k-1) + 1``.

    Examples
    --------
    >>> keras_transposed_output_size(3, 3, s=2, padding="same")
    6
    >>> keras_transposed_output_size(3, 3, s=2, padding="same", output_padding=0)
    5
    >>> keras_transposed_output_size(3, 1, s=2, padding="valid")
    6
    """
    span = d * (k - 1) + 1
    if padding == "valid":
        extra = max(span, s) - span if output_padding is None else output_padding
        return (n - 1) * s + span + extra
    if output_padding is None:
        return n * s
    return (n - 1) * s + span % 2 + output_padding


def jax_transposed_pads(k: int, s: int = 1, d: int = 1,
                        padding: str | tuple[int, int] = "valid") -> tuple[int, int]:
    """Pads of the zero-inserted input in ``jax.lax.conv_transpose`` (``_conv_transpose_padding``).

    "same" and "valid" name the forward layer's padding; a ``(before, after)``
    pair is the transposed padding itself (JAX's default,
    ``use_consistent_padding=False``), returned unchanged.

    Examples
    --------
    >>> jax_transposed_pads(3, s=2, padding="same"), jax_transposed_pads(3, s=2)
    ((2, 1), (2, 2))
    >>> jax_transposed_pads(2, s=3, padding="same")
    (1, 2)
    """
    span = d * (k - 1) + 1
    if padding == "same":
        total = span + s - 2
        before = span - 1 if s > span - 1 else -(-total // 2)
        return (before, total - before)
    if padding == "valid":
        return (span - 1, span + s - 2 + max(span - s, 0) - (span - 1))
    return tuple(padding)


def jax_transposed_output_size(n: int, k: int, s: int = 1, d: int = 1,
                               padding: str | tuple[int, int] = "valid") -> int:
    """``jax.lax.conv_transpose`` output size: ``(n-1)s + 2 + a + b - k'``.

    Examples
    --------
    >>> [jax_transposed_output_size(3, 3, s=2, padding=p) for p in ("same", "valid")]
    [6, 7]
    """
    before, after = jax_transposed_pads(k, s, d, padding)
    return (n - 1) * s + 2 + before + after - (d * (k - 1) + 1)


def pool_output_size(n: int, k: int, s: int, pad_before: int = 0, pad_after: int = 0,
                     d: int = 1, ceil_mode: bool = False) -> int:
    """PyTorch pooling output size, including the ceil_mode rule.

    With ``ceil_mode`` a last window that would start inside the right padding
    (at or past ``n + pad_before``) is dropped.

    Examples
    --------
    >>> pool_output_size(5, 2, 2)
    2
    >>> pool_output_size(5, 2, 2, ceil_mode=True)
    3
    >>> pool_output_size(4, 2, 2, pad_before=1, pad_after=1, ceil_mode=True)
    3
    """
    span = n + pad_before + pad_after - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + pad_before:
        out -= 1
    return out


# ---------------------------------------------------------------------------
# Canonicalising user input
# ---------------------------------------------------------------------------

def spatial_shape(name: str, value: Any) -> tuple[int, ...]:
    """A shape of 1 to :data:`MAX_AXES` positive sizes (an int is one axis), checked.

    Examples
    --------
    >>> spatial_shape("input_shape", 5), spatial_shape("input_shape", (5, 4))
    ((5,), (5, 4))
    """
    if is_integer(value):
        value = (value,)
    require(isinstance(value, Sequence) and not isinstance(value, str), name, value,
            "must be a tuple of sizes, one per spatial axis", "e.g. (5,) or (5, 5)")
    require(1 <= len(value) <= MAX_AXES, name, tuple(value),
            f"must have 1 to {MAX_AXES} spatial axes")
    return tuple(integer(f"{name}[{i}]", v, minimum=1) for i, v in enumerate(value))


def per_axis(name: str, value: Any, ndim: int, minimum: int) -> tuple[int, ...]:
    """One integer ``>= minimum`` per axis: an int for every axis, or one per axis.

    Examples
    --------
    >>> per_axis("stride", 2, 2, 1), per_axis("padding", (0, 1), 2, 0)
    ((2, 2), (0, 1))
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        require(len(value) == ndim, name, tuple(value),
                f"must give one value per spatial axis ({ndim})")
        return tuple(integer(f"{name}[{i}]", v, minimum) for i, v in enumerate(value))
    return (integer(name, value, minimum),) * ndim



def _check_axes(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...]) -> None:
    require(len(kernel_shape) == len(input_shape), "kernel_shape", kernel_shape,
            f"must have as many axes as input_shape {input_shape}",
            f"{len(input_shape)} axes")


def resolve_pads(padding: Padding, input_shape: tuple[int, ...], kernel_shape: tuple[int, ...],
                 stride: tuple[int, ...], dilation: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Turn any accepted ``padding`` into explicit ``(before, after)`` pairs per axis.

    Examples
    --------
    >>> resolve_pads("full", (4,), (3,), (1,), (2,))
    ((4, 4),)
    >>> resolve_pads("causal", (4,), (3,), (1,), (2,))
    ((4, 0),)
    >>> resolve_pads(((0, 1), (2, 0)), (4, 4), (3, 3), (1, 1), (1, 1))
    ((0, 1), (2, 0))
    """
    ndim = len(input_shape)
    if isinstance(padding, str):
        name = padding.lower()
        require(name in PADDING_NAMES, "padding", padding, "must be an integer or a known name",
                ", ".join(PADDING_NAMES))
        axes = zip(input_shape, kernel_shape, stride, dilation)
        if name == "valid":
            return ((0, 0),) * ndim
        if name == "full":
            return tuple((d * (k - 1), d * (k - 1)) for _, k, _, d in axes)
        if name == "causal":
            return tuple((d * (k - 1), 0) for _, k, _, d in axes)
        return tuple(same_pads(n, k, s, d, lower=name == "same_lower") for n, k, s, d in axes)
    if isinstance(padding, Sequence):
        require(len(padding) == ndim, "padding", padding,
                f"must give one entry per spatial axis ({ndim})")
        pairs = []
        for i, entry in enumerate(padding):
            if isinstance(entry, Sequence) and not isinstance(entry, str):
                require(len(entry) == 2, f"padding[{i}]", entry,
                        "must be a (before, after) pair")
                pair = tuple(integer(f"padding[{i}]", v, minimum=0) for v in entry)
            else:
                value = integer(f"padding[{i}]", entry, minimum=0)
                pair = (value, value)
            pairs.append(pair)
        return tuple(pairs)
    value = integer("padding", padding, minimum=0)
    return ((value, value),) * ndim


def _check_fits(input_shape, kernel_shape, dilation, pads, what="kernel_shape") -> None:
    for axis, (n, k, d, (pb, pa)) in enumerate(zip(input_shape, kernel_shape, dilation, pads)):
        span = d * (k - 1) + 1
        if span > n + pb + pa:
            smallest = max(span - pb - pa, 1)
            raise GeometryError(
                f"{what}[{axis}] must fit the padded input, got {k}: dilated kernel size "
                f"{span} > padded input size {n + pb + pa} (input {n} + pads {pb}+{pa}) "
                f"(valid: input_shape[{axis}] >= {smallest} for this kernel, padding and "
                "dilation)")


# ---------------------------------------------------------------------------
# The frozen specs
# ---------------------------------------------------------------------------

class _Spatial:
    """What every spec shares: its number of spatial axes, and its display in Jupyter."""

    input_shape: tuple[int, ...]

    @property
    def ndim(self) -> int:
        """Number of spatial axes."""
        return len(self.input_shape)

    def display_rows(self) -> list[tuple[str, str]]:
        """``(field, value)`` of every field and the output shape, values as Python writes
        them (a one-element tuple is ``(24,)``).

        Examples
        --------
        >>> Geometry((24,), (3,)).display_rows()[-1]
        ('output_shape', '(22,)')
        """
        rows = [(f.name, repr(getattr(self, f.name))) for f in dataclasses.fields(self)]
        if "output_shape" not in {name for name, _ in rows}:
            rows.append(("output_shape", repr(self.output_shape)))
        return rows

    def _repr_html_(self) -> str:
        """Jupyter: a two-column table of :meth:`display_rows` under the class name."""
        cells = "".join(f"<tr><td><code>{html.escape(name)}</code></td>"
                        f"<td><code>{html.escape(value)}</code></td></tr>"
                        for name, value in self.display_rows())
        return (f"<table><caption>{type(self).__name__}</caption>"
                f"<tbody>{cells}</tbody></table>")

    def _repr_latex_(self) -> str:
        r"""Jupyter (LaTeX): the fields as an array, names and values as typewriter text.

        Examples
        --------
        >>> print(Geometry((4,), (3,))._repr_latex_())  # doctest: +ELLIPSIS
        $\begin{array}{ll} \text{Geometry} & \\ \texttt{input\_shape} & \texttt{(4,)} \\ ...
        """
        def tt(text: str) -> str:
            return r"\texttt{" + "".join(_TT_ESCAPES.get(c, c) for c in text) + "}"
        rows = " \\\\ ".join(f"{tt(name)} & {tt(value)}" for name, value in self.display_rows())
        return (r"$\begin{array}{ll} \text{" + type(self).__name__ + r"} & \\ " + rows
                + r" \end{array}$")


#: Characters ``\texttt`` cannot take as they are.
_TT_ESCAPES = {"_": r"\_", "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%", "&": r"\&",
               "$": r"\$", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


@dataclass(frozen=True, init=False)
class Geometry(_Spatial):
    """A correlation/convolution layer's spatial geometry, canonicalised and validated.

    Parameters
    ----------
    input_shape, kernel_shape : tuple of int
        Spatial sizes (1 to 3 axes), same number of axes.
    stride, dilation : int or tuple of int
        Positive, one per axis or one for all.
    padding : int, tuple, or str
        An int, per-axis ints, per-axis ``(before, after)`` pairs, or one of
        ``"valid"``, ``"same"`` (TensorFlow: odd pixel after), ``"same_lower"``
        (odd pixel before), ``"full"``, ``"causal"`` (Keras: ``d(k-1)`` before).

    Examples
    --------
    >>> g = Geometry((6,), (3,), stride=2)
    >>> g.output_shape, g.pads
    ((2,), ((0, 0),))
    >>> Geometry((4, 4), (3, 3), padding="same").pads
    ((1, 1), (1, 1))
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    padding: Any

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] = 1, padding: Padding = 0,
                 dilation: int | Sequence[int] = 1) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        _check_axes(n, k)
        s = per_axis("stride", stride, len(n), 1)
        d = per_axis("dilation", dilation, len(n), 1)
        pads = resolve_pads(padding, n, k, s, d)
        _check_fits(n, k, d, pads)
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("dilation", d), ("pads", pads), ("padding", padding)):
            object.__setattr__(self, name, value)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """Spatial output shape, ``floor((n + p_b + p_a - d(k-1) - 1)/s) + 1`` per axis."""
        return tuple(conv_output_size(n, k, s, pb, pa, d) for n, k, s, d, (pb, pa)
                     in zip(self.input_shape, self.kernel_shape, self.stride, self.dilation,
                            self.pads))

    @property
    def padded_shape(self) -> tuple[int, ...]:
        """Spatial shape of the zero-padded input."""
        return tuple(n + pb + pa for n, (pb, pa) in zip(self.input_shape, self.pads))

    @property
    def dilated_kernel_shape(self) -> tuple[int, ...]:
        """Spatial extent ``d(k-1) + 1`` of the dilated kernel."""
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel_shape, self.dilation))


@dataclass(frozen=True, init=False)
class TransposedGeometry(_Spatial):
    """A transposed convolution's geometry, as PyTorch, TensorFlow, Keras or JAX define it.

    Every convention is the same scatter rule: input position ``j`` and kernel
    tap ``m`` reach output position ``s*j - c + d*m`` (kept when inside
    ``[0, out)``); the conventions differ only in the crop ``c`` before
    (:attr:`crops`) and the output size:

    ===============  ========================================================
    ``"torch"``      ``padding`` p (ints), ``output_padding`` < max(s, d):
                     ``c = p``, ``out = (n-1)s - 2p + d(k-1) + op + 1``;
                     ``output_shape`` (``ConvTranspose(...)(x, output_size)``)
                     may replace ``output_padding``: from the smallest size to
                     ``s - 1`` more
    ``"tensorflow"`` ``tf.nn.conv_transpose``: the gradient of the forward
                     layer (``padding`` "same", "valid" or (before, after)
                     pairs) on ``output_shape``, which must map back to ``n``
                     (:func:`tf_transposed_output_range`); omitted, Keras'
                     size without output_padding (explicit pads: the
                     smallest valid size)
    ``"keras"``      ``keras.layers.ConvNDTranspose``: ``padding`` "same" or
                     "valid", ``output_padding`` None (default) or ints < s,
                     size :func:`keras_transposed_output_size`, then as
                     TensorFlow
    ``"jax"``        ``jax.lax.conv_transpose``: ``padding`` "same", "valid"
                     (the forward layer's) or (before, after) pads of the
                     zero-inserted input (:func:`jax_transposed_pads`), which
                     may be negative (cropping): ``c = d(k-1) - before``
    ===============  ========================================================

    Parameters
    ----------
    input_shape, kernel_shape : tuple of int
    stride, dilation : int or tuple of int
    padding : int, tuple or str
        As the convention takes it (see the table).
    output_padding : int, tuple or None
        None means the convention's default (0 for PyTorch, Keras' None rule).
    convention : str
        One of :data:`TRANSPOSED_CONVENTIONS`.
    output_shape : tuple of int, optional
        The requested output size ("torch" and "tensorflow" only).

    Examples
    --------
    >>> t = TransposedGeometry((3, 3), (3, 3), stride=2, padding=1, output_padding=1)
    >>> t.output_shape
    (6, 6)
    >>> t.forward().input_shape, t.forward().output_shape
    ((6, 6), (3, 3))
    >>> TransposedGeometry((3,), (3,), stride=2, padding="same", convention="keras").output_shape
    (6,)
    >>> tf = TransposedGeometry((3,), (3,), stride=2, padding="same", convention="tensorflow",
    ...                         output_shape=(5,))
    >>> tf.crops, tf.forward().pads
    (((1, 1),), ((1, 1),))
    >>> TransposedGeometry((3,), (3,), stride=2, padding=((2, 1),), convention="jax").crops
    ((0, 1),)
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: Any
    output_padding: tuple[int, ...] | None
    dilation: tuple[int, ...]
    convention: str
    output_shape: tuple[int, ...]
    crops: tuple[tuple[int, int], ...]

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] = 1, padding: Padding = 0,
                 output_padding: int | Sequence[int] | None = None,
                 dilation: int | Sequence[int] = 1, convention: str = "torch",
                 output_shape: Sequence[int] | None = None) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        _check_axes(n, k)
        ndim = len(n)
        s = per_axis("stride", stride, ndim, 1)
        d = per_axis("dilation", dilation, ndim, 1)
        require(isinstance(convention, str) and convention.lower() in TRANSPOSED_CONVENTIONS,
                "convention", convention, "must name a framework's transposed convolution",
                ", ".join(TRANSPOSED_CONVENTIONS))
        convention = convention.lower()
        spec = _TRANSPOSED_RULES[convention](n, k, s, d, padding, output_padding, output_shape)
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("dilation", d), ("convention", convention), *spec.items()):
            object.__setattr__(self, name, value)

    def forward(self) -> Geometry:
        """The correlation geometry whose input size is this layer's output size.

        Its transpose is this layer (kernel unflipped): PyTorch's padding, TensorFlow's
        and Keras' forward padding, JAX's crops. JAX transposed pads larger than
        ``d(k-1)`` have no forward layer (negative forward pads): a GeometryError.
        """
        padding = self.padding
        if self.convention == "jax":
            for axis, pair in enumerate(self.crops):
                require(min(pair) >= 0, f"padding[{axis}]", self.padding,
                        "has no forward correlation: its forward pads would be negative",
                        "transposed pads at most d(k-1) per side")
            padding = self.crops
        return Geometry(self.output_shape, self.kernel_shape, self.stride, padding,
                        self.dilation)


def _torch_transposed(n, k, s, d, padding, output_padding, output_shape) -> dict[str, Any]:
    require(not isinstance(padding, str), "padding", padding,
            "must be integers for convention='torch' (PyTorch ConvTranspose has no named "
            "padding)", "0, 1, 2, ...; or convention='keras', 'tensorflow' or 'jax'")
    ndim = len(n)
    p = per_axis("padding", padding, ndim, 0)
    if output_shape is not None:
        require(output_padding in (None, 0) or output_padding == (0,) * ndim, "output_padding",
                output_padding, "must be omitted when output_shape is given",
                "None; output_shape fixes it")
        wanted = spatial_shape("output_shape", output_shape)
        require(len(wanted) == ndim, "output_shape", wanted,
                f"must have {ndim} axes like input_shape")
        op = []
        for axis in range(ndim):
            low = transposed_output_size(n[axis], k[axis], s[axis], p[axis], 0, d[axis])
            require(low <= wanted[axis] < low + s[axis], f"output_shape[{axis}]", wanted[axis],
                    "must be a size PyTorch's ConvTranspose can produce for this input",
                    f"{max(low, 1)} to {low + s[axis] - 1}")
            op.append(wanted[axis] - low)
        op = tuple(op)
    else:
        op = per_axis("output_padding", 0 if output_padding is None else output_padding,
                       ndim, 0)
    for axis in range(ndim):
        bound = max(s[axis], d[axis])
        require(op[axis] < bound, f"output_padding[{axis}]", op[axis],
                f"must be smaller than max(stride, dilation) = {bound}", f"0 to {bound - 1}")
        size = transposed_output_size(n[axis], k[axis], s[axis], p[axis], op[axis], d[axis])
        if size < 1:
            need = (2 * p[axis] - d[axis] * (k[axis] - 1) - op[axis]) // s[axis] + 2
            raise GeometryError(describe(
                f"padding[{axis}]", p[axis],
                f"leaves no output: (n-1)s - 2p + d(k-1) + output_padding + 1 = {size}",
                f"input_shape[{axis}] >= {need} for this kernel, stride and padding"))
    out = tuple(transposed_output_size(*a) for a in zip(n, k, s, p, op, d))
    return {"padding": p, "output_padding": op, "output_shape": out,
            "crops": tuple((pa, pa - o) for pa, o in zip(p, op))}


def _framework_padding(padding: Any, ndim: int, convention: str, pairs: bool,
                       minimum: int | None = 0) -> str | tuple[tuple[int, int], ...]:
    """``padding`` as "same"/"valid" or (when ``pairs``) per-axis ``(before, after)`` pairs."""
    names = ("same", "valid")
    if isinstance(padding, str):
        require(padding.lower() in names, "padding", padding,
                f"must be a padding name of convention='{convention}'", ", ".join(names))
        return padding.lower()
    shape = f" or {ndim} (before, after) pairs" if pairs else ""
    require(pairs and isinstance(padding, Sequence) and len(padding) == ndim, "padding",
            padding, f"must be 'same' or 'valid'{shape} for convention='{convention}'",
            "same, valid" + (", ((before, after), ...)" if pairs else ""))
    resolved = []
    for axis, entry in enumerate(padding):
        require(isinstance(entry, Sequence) and not isinstance(entry, str) and len(entry) == 2,
                f"padding[{axis}]", entry, "must be a (before, after) pair")
        resolved.append(tuple(integer(f"padding[{axis}]", v, minimum) for v in entry))
    return tuple(resolved)


def _no_output_padding(output_padding: Any, convention: str) -> None:
    require(output_padding is None, "output_padding", output_padding,
            f"is not an option of convention='{convention}'",
            "None; use output_shape" if convention == "tensorflow" else "None")


def _tensorflow_transposed(n, k, s, d, padding, output_padding, output_shape,
                           convention="tensorflow", sizes=None) -> dict[str, Any]:
    ndim = len(n)
    if convention == "tensorflow":
        _no_output_padding(output_padding, convention)
    name = _framework_padding(padding, ndim, convention, pairs=convention == "tensorflow")
    per_axis = [name] * ndim if isinstance(name, str) else list(name)
    if output_shape is None:
        out = sizes if sizes is not None else tuple(
            keras_transposed_output_size(na, ka, sa, da, "valid" if pa == "valid" else "same")
            if isinstance(pa, str) else tf_transposed_output_range(na, ka, sa, da, pa)[0]
            for na, ka, sa, da, pa in zip(n, k, s, d, per_axis))
    else:
        require(convention == "tensorflow", "output_shape", output_shape,
                f"is not an option of convention='{convention}'",
                "None; or convention='tensorflow' or 'torch'")
        out = spatial_shape("output_shape", output_shape)
        require(len(out) == ndim, "output_shape", out, f"must have {ndim} axes like input_shape")
    crops = []
    for axis, (na, ka, sa, da, pa, o) in enumerate(zip(n, k, s, d, per_axis, out)):
        low, high = tf_transposed_output_range(na, ka, sa, da, pa)
        if not low <= o <= high:
            what = "output_shape" if sizes is None else "output_padding"
            raise GeometryError(describe(
                f"{what}[{axis}]", o if sizes is None else output_padding,
                f"gives output size {o}, which the forward {pa!r} layer does not map back to "
                f"input size {na}", f"output sizes {max(low, 1)} to {high}"))
        before = (same_pads(o, ka, sa, da)[0] if pa == "same" else
                  0 if pa == "valid" else pa[0])
        crops.append((before, (na - 1) * sa + da * (ka - 1) + 1 - o - before))
    return {"padding": name, "output_padding": None, "output_shape": tuple(out),
            "crops": tuple(crops)}


def _keras_transposed(n, k, s, d, padding, output_padding, output_shape) -> dict[str, Any]:
    ndim = len(n)
    name = _framework_padding(padding, ndim, "keras", pairs=False)
    op = None
    if output_padding is not None:
        op = per_axis("output_padding", output_padding, ndim, 0)
        for axis in range(ndim):
            require(op[axis] < s[axis], f"output_padding[{axis}]", op[axis],
                    f"must be smaller than the stride {s[axis]} (Keras)",
                    f"0 to {s[axis] - 1}, or None")
    sizes = tuple(keras_transposed_output_size(na, ka, sa, da, name,
                                               None if op is None else op[axis])
                  for axis, (na, ka, sa, da) in enumerate(zip(n, k, s, d)))
    spec = _tensorflow_transposed(n, k, s, d, name, None, output_shape, "keras", sizes)
    return {**spec, "output_padding": op}


def _jax_transposed(n, k, s, d, padding, output_padding, output_shape) -> dict[str, Any]:
    ndim = len(n)
    _no_output_padding(output_padding, "jax")
    require(output_shape is None, "output_shape", output_shape,
            "is not an option of convention='jax'", "None; or convention='tensorflow'")
    name = _framework_padding(padding, ndim, "jax", pairs=True, minimum=None)
    per_axis = [name] * ndim if isinstance(name, str) else list(name)
    out, crops = [], []
    for axis, (na, ka, sa, da, pa) in enumerate(zip(n, k, s, d, per_axis)):
        before, after = jax_transposed_pads(ka, sa, da, pa)
        size = jax_transposed_output_size(na, ka, sa, da, pa)
        if size < 1:
            raise GeometryError(describe(
                f"padding[{axis}]", pa, f"leaves no output: (n-1)s + 2 + before + after - "
                f"(d(k-1)+1) = {size}",
                f"before + after >= {da * (ka - 1) - (na - 1) * sa} on this axis"))
        out.append(size)
        crops.append((da * (ka - 1) - before, da * (ka - 1) - after))
    return {"padding": name, "output_padding": None, "output_shape": tuple(out),
            "crops": tuple(crops)}


_TRANSPOSED_RULES = {"torch": _torch_transposed, "tensorflow": _tensorflow_transposed,
                     "keras": _keras_transposed, "jax": _jax_transposed}


@dataclass(frozen=True, init=False)
class PoolGeometry(_Spatial):
    """Pooling geometry: ``stride`` defaults to the kernel, ``ceil_mode``.

    ``padding`` as PyTorch takes it (an int or per-axis ints: symmetric, at most half
    the kernel size) or as TensorFlow does: ``"valid"``, ``"same"`` (``tf.nn.max_pool``
    / ``avg_pool``; pads as for :class:`Geometry`, odd pixel after) or per-axis
    ``(before, after)`` pairs. :attr:`pads` holds the resolved pairs either way;
    :attr:`padding` the per-axis ints (PyTorch) or the name/pairs as given.

    Examples
    --------
    >>> PoolGeometry((5, 5), (2, 2), ceil_mode=True).output_shape
    (3, 3)
    >>> PoolGeometry((4,), (2,), padding=1, ceil_mode=True).output_shape
    (3,)
    >>> g = PoolGeometry((5,), (2,), stride=2, padding="same")
    >>> g.pads, g.output_shape
    (((0, 1),), (3,))
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: Any
    dilation: tuple[int, ...]
    ceil_mode: bool
    pads: tuple[tuple[int, int], ...]

    def __init__(self, input_shape: Sequence[int], kernel_shape: Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: Padding = 0,
                 dilation: int | Sequence[int] = 1, ceil_mode: bool = False) -> None:
        n = spatial_shape("input_shape", input_shape)
        k = spatial_shape("kernel_shape", kernel_shape)
        _check_axes(n, k)
        ndim = len(n)
        s = k if stride is None else per_axis("stride", stride, ndim, 1)
        d = per_axis("dilation", dilation, ndim, 1)
        ceil_mode = boolean("ceil_mode", ceil_mode)
        if _is_torch_pool_padding(padding):
            p = per_axis("padding", padding, ndim, 0)
            for axis in range(ndim):
                require(2 * p[axis] <= k[axis], f"padding[{axis}]", p[axis],
                        f"must be at most half the kernel size {k[axis]}",
                        f"0 to {k[axis] // 2}")
            pads = tuple((v, v) for v in p)
        else:
            require(not isinstance(padding, str) or padding.lower() in ("valid", "same"),
                    "padding", padding, "must be an integer, (before, after) pairs or a "
                    "pooling padding name", "valid, same")
            pads = resolve_pads(padding, n, k, s, d)
            p = padding.lower() if isinstance(padding, str) else pads
        for axis, (pb, pa) in enumerate(pads):
            out = pool_output_size(n[axis], k[axis], s[axis], pb, pa, d[axis], ceil_mode)
            if out < 1:
                span = d[axis] * (k[axis] - 1) + 1
                smallest = span - pb - pa - (s[axis] - 1 if ceil_mode else 0)
                raise GeometryError(describe(
                    f"kernel_shape[{axis}]", k[axis],
                    f"leaves no pooling window: dilated kernel size {span} on input "
                    f"{n[axis]} with pads {pb}+{pa} gives output size {out}",
                    f"input_shape[{axis}] >= {max(smallest, 1)} for this kernel"))
        for name, value in (("input_shape", n), ("kernel_shape", k), ("stride", s),
                            ("padding", p), ("dilation", d), ("ceil_mode", ceil_mode),
                            ("pads", pads)):
            object.__setattr__(self, name, value)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """The pooling output size per axis (see :func:`pool_output_size`)."""
        return tuple(pool_output_size(n, k, s, pb, pa, d, self.ceil_mode)
                     for n, k, s, (pb, pa), d in zip(self.input_shape, self.kernel_shape,
                                                     self.stride, self.pads, self.dilation))


@dataclass(frozen=True, init=False)
class AdaptivePoolGeometry(_Spatial):
    """PyTorch's adaptive pooling: ``output_size`` windows per axis, by the start/end rule.

    Output ``i`` of ``o`` on an axis of size ``n`` covers the input samples
    ``floor(i n / o) <= j < ceil((i + 1) n / o)``; windows may overlap and differ in size.

    Examples
    --------
    >>> g = AdaptivePoolGeometry((5,), 3)
    >>> g.output_shape, g.windows()
    ((3,), [[(0, 2), (1, 4), (3, 5)]])
    """

    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]

    def __init__(self, input_shape: Sequence[int], output_size: int | Sequence[int]) -> None:
        n = spatial_shape("input_shape", input_shape)
        o = spatial_shape("output_size", output_size if isinstance(output_size, Sequence)
                   else (output_size,) * len(n))
        require(len(o) == len(n), "output_size", o, f"must have {len(n)} axes like input_shape")
        object.__setattr__(self, "input_shape", n)
        object.__setattr__(self, "output_shape", o)

    def windows(self) -> list[list[tuple[int, int]]]:
        """Per axis, the ``(start, end)`` input range of every output position."""
        return [[(i * n // o, -(-(i + 1) * n // o)) for i in range(o)]
                for n, o in zip(self.input_shape, self.output_shape)]


def _is_torch_pool_padding(padding: Any) -> bool:
    """An int or per-axis ints (PyTorch's pooling padding), not a name or pairs."""
    if isinstance(padding, str):
        return False
    if isinstance(padding, Sequence):
        return all(not isinstance(v, Sequence) for v in padding)
    return True


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for integers, exactly.

    Examples
    --------
    >>> ceil_div(13, 5), ceil_div(-3, 2)
    (3, -1)
    """
    return -(-a // b)

