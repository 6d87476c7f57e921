"""Layer specs of the network calculator: frozen, validated on construction, printed canonically.

Each layer kind is a frozen dataclass whose fields are its arguments in the order the text
form takes them positionally (``conv(out, k, s, p, d, groups, bias)``); ``_checks`` names the
validator of each field. Validation raises :class:`~symconv.errors.FormulaError` naming the
argument, its value and the valid range.

Examples
--------
>>> Conv(64, 3, p="same").text
'conv(64, k=3, p=same)'
>>> Upsample(2, mode="bilinear").text
'upsample(mode=bilinear)'
>>> Dropout().text, Dropout(Fraction(1, 5)).text
('dropout', 'dropout(0.2)')
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, ClassVar, Union

from ..errors import FormulaError, describe
from ..geometry import MAX_AXES, PADDING_NAMES
from ..validation import integer

#: Largest integer accepted anywhere in a layer or input text.
MAX_INT = 1_000_000

Axes = Union[int, tuple[int, ...]]  # noqa: UP007

BOOL_WORDS = {"true": True, "false": False}
UPSAMPLE_MODES = ("nearest", "bilinear")


# ---------------------------------------------------------------------------
# Value checks: validate and normalise one argument, raise FormulaError
# ---------------------------------------------------------------------------

def _bounded_int(name: str, value: Any, minimum: int) -> int:
    return integer(name, value, minimum, MAX_INT, error=FormulaError)


def _axes(name: str, value: Any, minimum: int) -> Axes:
    if isinstance(value, (tuple, list)):
        if not 1 <= len(value) <= MAX_AXES:
            raise FormulaError(describe(name, tuple(value), f"must have 1 to {MAX_AXES} entries",
                                        "e.g. 3 or (3, 5)"))
        return tuple(_bounded_int(f"{name}[{i}]", v, minimum) for i, v in enumerate(value))
    return _bounded_int(name, value, minimum)


def _positive(name: str, value: Any) -> int:
    return _bounded_int(name, value, 1)


def _positive_axes(name: str, value: Any) -> Axes:
    return _axes(name, value, 1)


def _nonnegative_axes(name: str, value: Any) -> Axes:
    return _axes(name, value, 0)


def _stride_or_default(name: str, value: Any) -> Axes | None:
    return None if value is None else _axes(name, value, 1)


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in BOOL_WORDS:
        return BOOL_WORDS[value.lower()]
    raise FormulaError(describe(name, value, "must be a truth value", "True, False"))


def _padding(name: str, value: Any) -> Any:
    if isinstance(value, str):
        if value.lower() not in PADDING_NAMES:
            raise FormulaError(describe(name, value, "must be an integer or a padding name",
                                        ", ".join(PADDING_NAMES)))
        return value.lower()
    if isinstance(value, (tuple, list)) and any(isinstance(v, (tuple, list)) for v in value):
        if not 1 <= len(value) <= MAX_AXES:
            raise FormulaError(describe(name, tuple(value), f"must have 1 to {MAX_AXES} entries"))
        return tuple(_pad_pair(f"{name}[{i}]", v) for i, v in enumerate(value))
    return _nonnegative_axes(name, value)


def _pad_pair(name: str, value: Any) -> Axes:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise FormulaError(describe(name, tuple(value), "must be a (before, after) pair"))
        return tuple(_bounded_int(f"{name}[{i}]", v, 0) for i, v in enumerate(value))
    return _bounded_int(name, value, 0)


def _probability(name: str, value: Any) -> Fraction:
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool) and 0 <= value < 1:
        return Fraction(value)
    raise FormulaError(describe(name, value, "must be a probability below 1", "0 <= p < 1, "
                                "e.g. 0.5"))


def _mode(name: str, value: Any) -> str:
    if isinstance(value, str) and value.lower() in UPSAMPLE_MODES:
        return value.lower()
    raise FormulaError(describe(name, value, "must be an upsampling mode",
                                ", ".join(UPSAMPLE_MODES)))


# ---------------------------------------------------------------------------
# The specs
# ---------------------------------------------------------------------------

class _Layer:
    """Shared behaviour: validation from ``_checks`` and the canonical text."""

    kind: ClassVar[str]
    _checks: ClassVar[dict[str, Any]] = {}

    def __post_init__(self) -> None:
        for field in fields(self):  # type: ignore[arg-type]
            check = self._checks[field.name]
            value = check(f"{self.kind} argument {field.name}", getattr(self, field.name))
            object.__setattr__(self, field.name, value)

    @property
    def text(self) -> str:
        """Canonical text: the first argument positional, the rest by name when not default.

        Examples
        --------
        >>> MaxPool(k=(2, 3), ceil=True).text
        'maxpool((2, 3), ceil=True)'
        """
        parts = []
        for position, field in enumerate(fields(self)):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if position == 0 and value != field.default:
                parts.append(_format_value(value))
            elif position > 0 and value != field.default:
                parts.append(f"{field.name}={_format_value(value)}")
        return f"{self.kind}({', '.join(parts)})" if parts else self.kind


def _format_value(value: Any) -> str:
    if isinstance(value, tuple):
        inner = ", ".join(_format_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, Fraction):
        return _decimal(value)
    return str(value)


def _decimal(value: Fraction) -> str:
    """A probability as the shortest exact decimal (dropout's ``p`` comes from decimal text)."""
    for places in range(1, 12):
        if value * 10 ** places == int(value * 10 ** places):
            return f"{float(value):.{places}f}"
    return str(value)


@dataclass(frozen=True)
class Conv(_Layer):
    """Correlation layer (PyTorch ``ConvNd``): ``out`` channels, kernel ``k``."""

    kind: ClassVar[str] = "conv"
    _checks: ClassVar[dict[str, Any]] = {
        "out": _positive, "k": _positive_axes, "s": _positive_axes, "p": _padding,
        "d": _positive_axes, "groups": _positive, "bias": _flag}
    out: int
    k: Axes
    s: Axes = 1
    p: Any = 0
    d: Axes = 1
    groups: int = 1
    bias: bool = True


@dataclass(frozen=True)
class TConv(_Layer):
    """Transposed convolution (PyTorch ``ConvTransposeNd``); ``op`` is output_padding."""

    kind: ClassVar[str] = "tconv"
    _checks: ClassVar[dict[str, Any]] = {
        "out": _positive, "k": _positive_axes, "s": _positive_axes, "p": _nonnegative_axes,
        "op": _nonnegative_axes, "d": _positive_axes, "groups": _positive, "bias": _flag}
    out: int
    k: Axes
    s: Axes = 1
    p: Axes = 0
    op: Axes = 0
    d: Axes = 1
    groups: int = 1
    bias: bool = True


@dataclass(frozen=True)
class MaxPool(_Layer):
    """Max pooling (PyTorch ``MaxPoolNd``); ``s`` defaults to ``k``; ``p`` as conv's."""

    kind: ClassVar[str] = "maxpool"
    _checks: ClassVar[dict[str, Any]] = {
        "k": _positive_axes, "s": _stride_or_default, "p": _padding,
        "d": _positive_axes, "ceil": _flag}
    k: Axes
    s: Axes | None = None
    p: Any = 0
    d: Axes = 1
    ceil: bool = False


@dataclass(frozen=True)
class AvgPool(_Layer):
    """Average pooling (PyTorch ``AvgPoolNd``); ``s`` defaults to ``k``; ``p`` as conv's."""

    kind: ClassVar[str] = "avgpool"
    _checks: ClassVar[dict[str, Any]] = {
        "k": _positive_axes, "s": _stride_or_default, "p": _padding, "ceil": _flag}
    k: Axes
    s: Axes | None = None
    p: Any = 0
    ceil: bool = False


@dataclass(frozen=True)
class AdaptiveAvgPool(_Layer):
    """Adaptive average pooling (PyTorch ``AdaptiveAvgPoolNd``) to ``out`` per axis."""

    kind: ClassVar[str] = "adaptiveavgpool"
    _checks: ClassVar[dict[str, Any]] = {"out": _positive_axes}
    out: Axes


@dataclass(frozen=True)
class AdaptiveMaxPool(_Layer):
    """Adaptive max pooling (PyTorch ``AdaptiveMaxPoolNd``) to ``out`` per axis."""

    kind: ClassVar[str] = "adaptivemaxpool"
    _checks: ClassVar[dict[str, Any]] = {"out": _positive_axes}
    out: Axes


@dataclass(frozen=True)
class GlobalAvgPool(_Layer):
    """Mean over every spatial axis, keeping them as size 1 (``adaptiveavgpool(1)``)."""

    kind: ClassVar[str] = "globalavgpool"


@dataclass(frozen=True)
class GlobalMaxPool(_Layer):
    """Maximum over every spatial axis, keeping them as size 1 (``adaptivemaxpool(1)``)."""

    kind: ClassVar[str] = "globalmaxpool"


@dataclass(frozen=True)
class Upsample(_Layer):
    """Upsampling by an integer ``scale`` per axis, ``nearest`` or ``bilinear``.

    ``bilinear`` is PyTorch's ``align_corners=False`` (linear per axis, any number of axes).
    """

    kind: ClassVar[str] = "upsample"
    _checks: ClassVar[dict[str, Any]] = {"scale": _positive_axes, "mode": _mode}
    scale: Axes = 2
    mode: str = "nearest"


@dataclass(frozen=True)
class PixelShuffle(_Layer):
    """PyTorch ``PixelShuffle(r)``: ``C r^2 x H x W`` to ``C x rH x rW`` (2 spatial axes)."""

    kind: ClassVar[str] = "pixelshuffle"
    _checks: ClassVar[dict[str, Any]] = {"r": _positive}
    r: int


@dataclass(frozen=True)
class Flatten(_Layer):
    """Reshape ``C x spatial`` to one axis of ``C * prod(spatial)`` features."""

    kind: ClassVar[str] = "flatten"


@dataclass(frozen=True)
class FC(_Layer):
    """Fully connected layer (PyTorch ``Linear``) on a flat input."""

    kind: ClassVar[str] = "fc"
    _checks: ClassVar[dict[str, Any]] = {"out": _positive, "bias": _flag}
    out: int
    bias: bool = True


@dataclass(frozen=True)
class BatchNorm(_Layer):
    """Batch normalisation: ``2C`` parameters, one multiply-add per element."""

    kind: ClassVar[str] = "bn"


@dataclass(frozen=True)
class LayerNorm(_Layer):
    """Layer normalisation over the whole sample ``C x spatial``: ``2 prod(shape)`` params."""

    kind: ClassVar[str] = "layernorm"


@dataclass(frozen=True)
class GroupNorm(_Layer):
    """Group normalisation with ``groups`` groups of channels: ``2C`` parameters."""

    kind: ClassVar[str] = "groupnorm"
    _checks: ClassVar[dict[str, Any]] = {"groups": _positive}
    groups: int


@dataclass(frozen=True)
class Dropout(_Layer):
    """Dropout with probability ``p``: the identity at inference (0 MACs, 0 params)."""

    kind: ClassVar[str] = "dropout"
    _checks: ClassVar[dict[str, Any]] = {"p": _probability}
    p: Fraction = Fraction(1, 2)


def _elementwise(kind: str, torch_name: str) -> type:
    cls = type(torch_name, (_Layer,), {
        "kind": kind, "__doc__": f"Elementwise {torch_name}: shape and field pass through, "
                                 "0 MACs, 0 params.", "__module__": __name__,
        "__annotations__": {"kind": "ClassVar[str]"}})
    return dataclass(frozen=True)(cls)


def _name(name: str, value: Any) -> str:
    if isinstance(value, str) and value.replace("_", "").replace(".", "").isalnum():
        return value
    raise FormulaError(describe(name, value, "must be a name", "e.g. hardswish"))


@dataclass(frozen=True)
class Elementwise(_Layer):
    """An operation taken as elementwise without checking (``--elementwise`` for torch).

    It keeps the shape and the field and counts 0; the table names it, so the reader
    sees what was assumed.
    """

    kind: ClassVar[str] = "elementwise"
    _checks: ClassVar[dict[str, Any]] = {"op": _name}
    op: str


ReLU = _elementwise("relu", "ReLU")
ReLU6 = _elementwise("relu6", "ReLU6")
SiLU = _elementwise("silu", "SiLU")
GELU = _elementwise("gelu", "GELU")
Sigmoid = _elementwise("sigmoid", "Sigmoid")
Tanh = _elementwise("tanh", "Tanh")
ELEMENTWISE = (ReLU, ReLU6, SiLU, GELU, Sigmoid, Tanh, Dropout, Elementwise)
NORMS = (BatchNorm, LayerNorm, GroupNorm)

LAYERS: dict[str, type[_Layer]] = {cls.kind: cls for cls in (
    Conv, MaxPool, AvgPool, TConv, Flatten, FC, ReLU, BatchNorm, ReLU6, SiLU, GELU, Sigmoid,
    Tanh, Dropout, Upsample, PixelShuffle, LayerNorm, GroupNorm, AdaptiveAvgPool,
    AdaptiveMaxPool, GlobalAvgPool, GlobalMaxPool, Elementwise)}

Layer = _Layer
