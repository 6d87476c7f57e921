"""Which axes of a signal are channel axes: read off the size names of its shape.

A shape is a size expression (one spatial axis) or a tuple of them. Its leading
items written only with *channel size names* are channel axes, the rest spatial:
``c`` (channels), ``o`` (output channels), ``g`` (groups), and the same letters
followed by digits or an underscore (``c1``, ``c_in``, ``o2``). So ``x=(c, n)`` is
a signal of ``c`` channels of length ``n`` (PyTorch's ``(C, L)``), ``k=(o, c//g, K)``
a weight in PyTorch's layout ``(out, in/groups, K)``, ``x=(c, n, n)`` a 2-D signal
with channels. At most two channel axes (a weight's), and at least one spatial axis.
A literal number is always a spatial size. pad, crop, flip, upsample, subsample,
shift and the pools act on the spatial axes only, per channel.

Examples
--------
>>> from symconv.claim.syntax import parse_shapes
>>> shapes = parse_shapes("x=(c, n), k=(o, c//g, K), y=(m, m), z=n")
>>> [channel_axes(node, name) for name, node in shapes.items()]
[1, 2, 0, 0]
>>> is_channel_size("c_in"), is_channel_size("count")
(True, False)
"""

from __future__ import annotations

import re

from .syntax import ClaimError, Name, Node, Tuple, walk

__all__ = ["CHANNEL_SIZE", "MAX_CHANNEL_AXES", "is_channel_size", "channel_axes"]

#: A channel size name: c, o or g, optionally followed by digits or ``_word``.
CHANNEL_SIZE = re.compile(r"[cog](?:[0-9]+|_[A-Za-z0-9_]*)?")
#: The most leading channel axes a shape may have (a weight: out, in/groups).
MAX_CHANNEL_AXES = 2


def is_channel_size(name: str) -> bool:
    """Whether ``name`` is a channel size name (``c``, ``o``, ``g``, ``c1``, ``c_in``)."""
    return CHANNEL_SIZE.fullmatch(name) is not None


def _is_channel_item(node: Node) -> bool:
    names = [inner.name for inner in walk(node) if isinstance(inner, Name)]
    return bool(names) and all(map(is_channel_size, names))


def channel_axes(node: Node, name: str, text: str | None = None) -> int:
    """How many leading items of signal ``name``'s shape ``node`` are channel axes."""
    if not isinstance(node, Tuple):
        return 0
    count = 0
    for item in node.items:
        if not _is_channel_item(item):
            break
        count += 1
    shown = text[node.start:node.end] if text else "its shape"
    if count == len(node.items):
        raise ClaimError(f"shape of {name} must have a spatial axis after its channel axes, "
                         f"got {shown} (channel sizes are named c, o, g, c1, c_in, ...; valid: "
                         f"e.g. {name}=(c, n))")
    if count > MAX_CHANNEL_AXES:
        raise ClaimError(f"shape of {name} must have at most {MAX_CHANNEL_AXES} channel axes "
                         f"(a weight's out, in/groups), got {count} in {shown}")
    return count
