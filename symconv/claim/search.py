"""Walk the domain in order of size and settle every step of a chain at each point.

At each point both sides of each open step are built (:mod:`symconv.claim.evaluate`)
and compared (:mod:`symconv.claim.compare`); a step's :class:`StepRecord` counts the
points where it held and where both sides were undefined (skipped), and keeps its
first failure, which is the smallest counterexample because the points come smallest
first. A refuted step is not checked further; the others go on.

Examples
--------
>>> from symconv.claim.evaluate import signal_shape_of
>>> from symconv.claim.syntax import parse_claim
>>> chain = parse_claim("flip(flip(x)) == x == flip(x)")
>>> records, defined = run(chain, {"x": signal_shape_of("x", "n")}, [{"n": 1}, {"n": 2}])
>>> [(r.checked, r.failure and r.failure["n"]) for r in records], len(defined)
([(2, None), (1, 2)], 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import prod
from typing import Any

from symconv.limits import require_symbolic_size
from symconv.proof import ExactText

from .compare import Difference, compare
from .evaluate import Point, evaluate, size_value
from .operators import Undefined
from .syntax import Chain
from .values import Value, symbol_name, to_sympy

__all__ = ["StepRecord", "run", "side", "settle"]


@dataclass
class StepRecord:
    """What happened to one step of the chain over the domain."""

    checked: int = 0
    skipped: int = 0
    failure: dict[str, Any] | None = None
    sides: tuple[Any, Any] | None = None
    inconclusive: dict[str, int] | None = None
    difference: Difference | None = field(default=None, repr=False)


def side(chain: Chain, term: int, point: Point, cache: dict) -> Value | Undefined:
    """Term ``term`` of ``chain`` at ``point`` (its :class:`Undefined` if it is not defined),
    built once per point through ``cache``."""
    if term not in cache:
        try:
            cache[term] = evaluate(chain.terms[term], point, chain.text)
        except Undefined as undefined:
            cache[term] = undefined
    return cache[term]


def _require_signal_entries(point: Point) -> None:
    total = 0
    for node, text in point.shapes.values():
        shape = size_value(node, point, text)
        total += prod(shape) if isinstance(shape, tuple) else shape
    require_symbolic_size(total, f"the signals at {point.sizes}")


def settle(record: StepRecord, sizes: dict, left, right, number: int) -> None:
    """Update ``record`` with the step's two sides at one point."""
    undefined = [isinstance(v, Undefined) for v in (left, right)]
    if all(undefined):
        record.skipped += 1
        return
    if any(undefined):
        side = "left" if undefined[0] else "right"
        record.failure = {**sizes, "step": number,
                          "reason": f"the {side} side is undefined here"}
        record.sides = (left, right)
        return
    difference = compare(left, right)
    if difference is None:
        record.checked += 1
        return
    if not difference.conclusive:
        record.inconclusive = record.inconclusive or dict(sizes)
        return
    failure = {**sizes, "step": number, "reason": difference.reason}
    if difference.index is not None:
        failure.update(index=difference.position(left.shape),
                       left=ExactText(to_sympy(left.entry(difference.index))),
                       right=ExactText(to_sympy(right.entry(difference.index))))
    else:
        failure.update(left_shape=left.shape, right_shape=right.shape)
    if difference.witness:
        failure["witness"] = {symbol_name(n, i): v for (n, i), v in difference.witness.items()}
    record.failure, record.sides, record.difference = failure, (left, right), difference


def run(chain: Chain, shapes: dict, points: list[dict], keep: dict | None = None
        ) -> tuple[list[StepRecord], list[dict]]:
    """Each step's record, and the points where some step held with both sides defined.

    With ``keep`` (a dict), the built sides at each such point are kept there, by the
    point's index in the returned list (for the numeric cross-check of a small domain).
    """
    records, defined = [StepRecord() for _ in chain.steps()], []
    if points:  # refuse an over-large domain before any work: its largest point first
        try:
            _require_signal_entries(Point(points[-1], shapes))
        except Undefined:
            pass
    for sizes in points:
        open_steps = [i for i, r in enumerate(records) if r.failure is None]
        if not open_steps:
            break
        point, cache = Point(sizes, shapes), {}
        try:
            _require_signal_entries(point)
        except Undefined:
            pass
        checked = sum(records[i].checked for i in open_steps)
        for i in open_steps:
            left, right = side(chain, i, point, cache), side(chain, i + 1, point, cache)
            settle(records[i], sizes, left, right, i + 1)
        if sum(records[i].checked for i in open_steps) > checked:
            if keep is not None:
                keep[len(defined)] = (point, cache)
            defined.append(sizes)
    return records, defined
