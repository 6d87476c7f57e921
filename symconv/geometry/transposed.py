"""A transposed convolution's geometry in PyTorch's, TensorFlow's, Keras' and JAX's conventions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import GeometryError, describe, require
from ..validation import integer
from .arguments import Padding, check_axes, per_axis, spatial_shape
from .convolution import Geometry
from .formulas import (
    TRANSPOSED_CONVENTIONS,
    jax_transposed_output_size,
    jax_transposed_pads,
    keras_transposed_output_size,
    same_pads,
    tf_transposed_output_range,
    transposed_output_size,
)
from .spatial import Spatial


@dataclass(frozen=True, init=False)
class TransposedGeometry(Spatial):
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
        check_axes(n, k)
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
