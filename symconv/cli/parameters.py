"""``symconv prove``'s layer options read into a theorem's parameters, and checked first.

The options a user gives (``--input 6 --kernel 3 --padding 1:2 --param shift=1``) become
the parameters of :func:`symconv.theorems.prove`; per-axis defaults the user left out
follow the axes the user gave; channel counts and the work the proof would allocate are
checked before any proof starts (:func:`check_layer`).
"""

from __future__ import annotations

import argparse
from math import prod
from typing import Any

from ..errors import OperatorError, require
from ..limits import factor_proof_work, require_index_range, require_work
from ..validation import integer, is_integer
from .values import parse_count, parse_padding, parse_param, parse_sizes

__all__ = ["BLOCKWISE_THEOREMS", "CHANNELS", "COUNT_OPTIONS", "LAYER_OPTIONS", "PER_AXIS",
           "SPATIAL_COPIES", "check_layer", "prove_parameters"]

LAYER_OPTIONS = (("input", "input_shape"), ("kernel", "kernel_shape"), ("stride", "stride"),
                 ("dilation", "dilation"), ("output_padding", "output_padding"),
                 ("in_channels", "in_channels"), ("out_channels", "out_channels"),
                 ("groups", "groups"))
#: Options that take one integer, not a list.
COUNT_OPTIONS = ("in_channels", "out_channels", "groups")
#: Parameters with one value per spatial axis: their defaults follow the axes the user gave.
PER_AXIS = ("input_shape", "kernel_shape", "stride", "padding", "dilation", "output_padding")
#: Channel parameters: integers >= 1.
CHANNELS = ("in_channels", "out_channels", "groups", "channels", "depth_multiplier")


def prove_parameters(args: argparse.Namespace) -> dict[str, Any]:
    """The parameters ``symconv prove NAME`` passes to :func:`symconv.theorems.prove`.

    Only the options given, plus the per-axis defaults that follow the user's axes;
    checked (:func:`check_layer`) before they are returned.
    """
    from ..theorems import get

    defaults = get(args.name).parameters
    params: dict[str, Any] = {}
    for option, name in LAYER_OPTIONS:
        value = getattr(args, option)
        flag = f"--{option.replace('_', '-')}"
        if value is not None:
            params[name] = (parse_count(flag, value) if option in COUNT_OPTIONS else
                            parse_sizes(flag, value))
    ndim = _axes_given(params) or len(defaults.get("input_shape") or (1,))
    for name in ("input_shape", "kernel_shape"):
        if isinstance(params.get(name), int):
            params[name] = (params[name],) * ndim
    if args.padding is not None:
        params["padding"] = parse_padding(args.padding, ndim)
    for text in args.param or ():
        name, value = parse_param(text)
        params[name] = value
    params = {**_defaults_with_axes(defaults, params, ndim), **params}
    check_layer({**defaults, **params}, blockwise=args.name in BLOCKWISE_THEOREMS)
    return params


#: Theorems whose large layers are compared block-wise (symconv.theorems.structure): one
#: spatial pattern at full size, every channel block only at the small twin size.
BLOCKWISE_THEOREMS = ("transpose", "adjoint")
#: Index-form entries a block-wise proof holds per entry of its one-channel pattern (both
#: operators, their coefficient maps and sort temporaries; measured: max RSS 470 MB at
#: 448x448 3x3, 1.6 GB at 896x896, 3.3 GB at 1344x1344, about 5 x 50 bytes per entry).
SPATIAL_COPIES = 5


def _axes_given(params: dict[str, Any]) -> int | None:
    """The spatial axes of the user's ``--input`` (else ``--kernel``): one for a single size.

    A single ``--kernel 3`` with ``--input 5,5`` then means ``(3, 3)``.
    """
    for name in ("input_shape", "kernel_shape"):
        if isinstance(params.get(name), tuple):
            return len(params[name])
    return 1 if any(name in params for name in ("input_shape", "kernel_shape")) else None


def _defaults_with_axes(defaults: dict[str, Any], params: dict[str, Any],
                        ndim: int) -> dict[str, Any]:
    """Per-axis defaults the user did not give, with their axes matched to ``ndim``.

    ``prove transpose --input 6`` has the 1-D default kernel ``(3,)``, not the 2-D
    ``(3, 3)`` written for the default input ``(4, 4)``. Only defaults that are the
    same on every axis follow; one such as ``(3, 2)`` belongs to its axes and stays.

    Examples
    --------
    >>> _defaults_with_axes({"kernel_shape": (3, 3), "stride": 1}, {"input_shape": (6,)}, 1)
    {'kernel_shape': (3,)}
    """
    matched = {}
    for name in PER_AXIS:
        default = defaults.get(name)
        if (name not in params and isinstance(default, (tuple, list)) and default
                and len(default) != ndim and all(is_integer(v) for v in default)
                and len(set(default)) == 1):
            matched[name] = (default[0],) * ndim
    return matched


def check_layer(point: dict[str, Any], blockwise: bool = False) -> None:
    """Channel counts and the work a layer's proof allocates, checked before proving.

    ``blockwise``, one channel: the proof builds per-axis factors at full size and the
    operators at the twin size (:func:`symconv.limits.factor_proof_work`). Several
    channels: the proof builds the one-channel pattern at full size (with its
    coefficient maps: :data:`SPATIAL_COPIES` copies) and the channel blocks only at the
    twin size, whose sides are at most ``d (k - 1) + 1 + 3 s`` plus the pads
    (``structure.twin_geometry``); its kernel symbols stay integer ids.
    """
    for name in CHANNELS:
        if name in point:
            integer(name, point[name], minimum=1, error=OperatorError)
    groups = point.get("groups", 1)
    for name in ("in_channels", "out_channels"):
        require(point.get(name, groups) % groups == 0, "groups", groups,
                f"must divide {name}={point.get(name)}", error=OperatorError)
    axes = {name: _integers(point.get(name)) for name in PER_AXIS}
    require_index_range("prove", **{name: v for name, v in axes.items() if v})
    if not (axes["input_shape"] and axes["kernel_shape"]):
        return
    kernel = prod(axes["kernel_shape"])
    blocks = point.get("out_channels", 1) * point.get("in_channels", 1) // groups
    what = (f"prove at input {axes['input_shape']}, kernel {axes['kernel_shape']}, "
            f"{blocks} channel blocks")
    if blockwise and blocks == 1:  # per-axis Kronecker factors (structure.prove_by_factors)
        sides = tuple(n + 2 * max(axes["padding"] or (0,)) for n in axes["input_shape"])
        require_work(what, **factor_proof_work(sides, axes["kernel_shape"], sides,
                                               _twin_sides(axes)))
        return
    if blockwise:
        twin = {**point, "input_shape": _twin_sides(axes)}
        require_work(what, index_entries=SPATIAL_COPIES * _extent(point, axes) * kernel
                     + blocks * _extent(twin, {**axes, "input_shape": twin["input_shape"]})
                     * kernel, symbols=kernel)
        return
    require_work(what, index_entries=blocks * _extent(point, axes) * kernel,
                 symbols=blocks * kernel)


def _twin_sides(axes: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """Upper bounds on the twin layer's input sides (``structure.twin_geometry``)."""
    stride, dilation = max(axes["stride"] or (1,)), max(axes["dilation"] or (1,))
    span = dilation * (max(axes["kernel_shape"]) - 1) + 1
    return tuple(min(n, span + 3 * stride) for n in axes["input_shape"])


def _integers(value: Any) -> tuple[int, ...]:
    """The integers of a per-axis value (an int, ints, or (before, after) pairs), else ()."""
    if is_integer(value):
        return (value,)
    if isinstance(value, (tuple, list)):
        flat = [v for item in value for v in (item if isinstance(item, (tuple, list)) else
                                              (item,))]
        return tuple(flat) if all(map(is_integer, flat)) else ()
    return ()


def _extent(point: dict[str, Any], axes: dict[str, tuple[int, ...]]) -> int:
    """An upper bound on the larger spatial side of the layer: padded input, or the
    transposed output ``(n-1)s + d(k-1) + output_padding + 1``."""
    n = axes["input_shape"]
    pad = 2 * max(axes["padding"] or (0,))
    stride, dilation = max(axes["stride"] or (1,)), max(axes["dilation"] or (1,))
    k = max(axes["kernel_shape"])
    per_axis = [max(size + pad, (size - 1) * stride + dilation * (k - 1) + stride)
                if "output_padding" in point else size + pad for size in n]
    return prod(per_axis)
