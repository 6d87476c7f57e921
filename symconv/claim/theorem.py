"""A catalogue theorem defined by its claim text: the engine's check at one point.

:func:`claim_outcome` checks the claim with the point's concrete shapes (no size
name, so ``sc.check`` proves or refutes it symbolically there, with its numeric
cross-check) and hands the engine (:mod:`symconv.theorems.engine`) what it needs:
whether it holds, the derivation, the difference, and whether the NumPy oracle
agreed. The engine adds ``exhaustive`` over the theorem's own domain as before.

A point with channels names its channel sizes (``c``, ``o``, ``g``: see
:mod:`symconv.claim.channels`) and fixes them with ``sizes``: the claim is then
checked on the one-point domain ``c = 2, o = 4, g = 2``. A theorem stating more
than one identity gives a list of claims; it holds where every one does.

Examples
--------
>>> o = claim_outcome('conv(a, b, padding="full") == conv(b, a, padding="full")',
...                   a=(3,), b=(2,))
>>> o.holds, o.numeric, o.evidence
(True, True, ('symbolic',))
>>> o = claim_outcome("flip(x) == x", sizes={"c": 2}, x="(c, 3)")
>>> o.holds, o.difference["c"], o.difference["index"]
(False, 2, (0, 0))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from symconv.proof import Step

from .check import check
from .numeric import OracleDisagreement

__all__ = ["claim_outcome", "layer_signals", "layer_keywords"]


def _items(values: Sequence[int]) -> str:
    return ", ".join(str(int(v)) for v in values)


def layer_signals(input_shape: Sequence[int], kernel_shape: Sequence[int],
                  in_channels: int, out_channels: int, groups: int,
                  transposed: bool = False) -> dict[str, Any]:
    """``sizes`` and shapes of ``x`` and ``k`` for :func:`claim_outcome` at a layer's point.

    ``x=(c, *n)``; ``k=(o, c//g, *K)`` for a correlation, ``k=(c, o//g, *K)`` for a
    transposed convolution (PyTorch's weight layouts), with ``c, o, g`` the channel
    counts and groups.

    >>> layer_signals((5,), (2,), 4, 6, 2)
    {'sizes': {'c': 4, 'o': 6, 'g': 2}, 'x': '(c, 5)', 'k': '(o, c//g, 2)'}
    """
    weight = "(c, o//g, " if transposed else "(o, c//g, "
    return {"sizes": {"c": in_channels, "o": out_channels, "g": groups},
            "x": f"(c, {_items(input_shape)})", "k": weight + _items(kernel_shape) + ")"}


def layer_keywords(geometry: Any, *, stride: bool = True, dilation: bool = True) -> str:
    """A :class:`~symconv.geometry.Geometry` as claim keywords: its stride, its resolved
    per-axis pads, its dilation, and ``groups=g``.

    >>> from symconv.geometry import Geometry
    >>> layer_keywords(Geometry((5, 4), (2, 2), stride=(2, 1), padding="same"))
    'stride=(2, 1), padding=((0, 1), (0, 1)), dilation=(1, 1), groups=g'
    >>> layer_keywords(Geometry((5,), (3,), padding=1), stride=False)
    'padding=1, dilation=1, groups=g'
    """
    parts = [f"stride={_tuple(geometry.stride)}"] if stride else []
    if all(b == a for b, a in geometry.pads):
        parts.append(f"padding={_tuple([b for b, _ in geometry.pads])}")
    else:
        pads = ", ".join(f"({int(b)}, {int(a)})" for b, a in geometry.pads)
        parts.append(f"padding=({pads}{',' if len(geometry.pads) == 1 else ''})")
    if dilation:
        parts.append(f"dilation={_tuple(geometry.dilation)}")
    return ", ".join([*parts, "groups=g"])


def _tuple(values: Sequence[int]) -> str:
    """Per-axis integers as claim text: ``2`` in 1-D, ``(2, 1)`` in 2-D."""
    return str(int(values[0])) if len(values) == 1 else f"({_items(values)})"


def claim_outcome(claim: str | Sequence[str], sizes: Mapping[str, int] | None = None,
                  **shapes: Any) -> Any:
    """The :class:`~symconv.theorems.engine.Outcome` of ``claim`` at concrete ``shapes``.

    Parameters
    ----------
    claim : str or sequence of str
        The claim text (or several, all of which must hold).
    sizes : dict, optional
        Values of the size names the shapes and the claim use (channel sizes).
    **shapes
        Each signal's shape: a tuple of integers, or a text with those size names.
    """
    from symconv.theorems.engine import Outcome  # the engine imports the catalogue

    claims = [claim] if isinstance(claim, str) else list(claim)
    domain = ", ".join(f"{name} = {value}" for name, value in (sizes or {}).items()) or None
    steps, numeric = [], []
    for number, text in enumerate(claims, 1):
        try:
            proof = check(text, shapes=shapes, domain=domain)
        except OracleDisagreement as error:  # the engine: an oracle disagreement is not proved
            steps.append(Step("Numeric cross-check", f"{error}: the operators are not what "
                              "the independent NumPy oracle computes.", ()))
            return Outcome(True, tuple(steps), None, numeric=False)
        decided = ("proved", "refuted") if domain is None else ("verified", "refuted")
        if proof.verdict not in decided:
            raise RuntimeError(f"claim {text!r} is {proof.verdict} at {shapes} {domain or ''}:"
                               " a catalogue theorem must be decided at each point of its "
                               "domain")
        steps += _numbered(proof.steps, number, len(claims), first=not steps)
        if proof.verdict == "refuted":
            return Outcome(False, tuple(steps), proof.counterexample)
        numeric.append(next((step for step in proof.steps
                             if step.title == "Numeric cross-check"), None))
    if all(numeric) and len(claims) > 1:
        steps.append(numeric[0])
    return Outcome(True, tuple(steps), None, numeric=True if all(numeric) else None)


def _numbered(steps: Sequence[Any], number: int, count: int, first: bool) -> list:
    """One claim's steps among ``count``: the setting once, each step line as
    "Identity i" (with its step number in a chain), the numeric step said once at the end."""
    import dataclasses

    if count == 1:
        return list(steps)
    out = []
    for step in steps:
        if step.title == "Claim":
            if first:
                out.append(step)
        elif step.title.startswith("Step "):
            lines = sum(s.title.startswith("Step ") for s in steps)
            title = f"Identity {number}" + (f", {step.title.lower()}" if lines > 1 else "")
            out.append(dataclasses.replace(step, title=title))
        elif step.title != "Numeric cross-check":
            out.append(step)
    return out
