"""``sc.check``: decide a user's identity or chain of steps on a finite domain of sizes.

The claim is parsed (:mod:`symconv.claim.syntax`), its names checked
(:mod:`symconv.claim.vocabulary`), and its size names bounded by the domain
(:func:`symconv.domain.parse_domain`, defaults :data:`DEFAULT_RANGES`, always
stated in the result). At every point of the domain, in order of size (sum of
the sizes, then lexicographic, so the first failure is the smallest
counterexample), both sides of each step are built with symbolic entries and
compared exactly (:mod:`symconv.claim.compare`). A point where both sides of a
step are undefined is skipped and counted; one side undefined, or different
shapes, refutes.

Verdicts, as :func:`symconv.check_implementation` words the same situation: a
claim with size names is a statement about all sizes; holding at every point it
is ``verified`` on the domain (evidence symbolic + exhaustive), never
``proved``. A claim with no size name is about the stated sizes only, and the
symbolic check there proves it. ``numeric`` evidence is added when both sides,
evaluated again with symconv's NumPy oracle (:mod:`symconv.claim.numeric`) on
random integers at up to :data:`NUMERIC_POINTS` points of the domain, agree with
each other and with the symbolic values (support, not proof).

Examples
--------
>>> p = check("corr(x, k, stride=s) == subsample(corr(x, k), s)", shapes={"x": "n", "k": "K"})
>>> p.verdict, p.evidence, p.domain
('verified', ['symbolic', 'exhaustive', 'numeric'], '1 <= n <= 8, 1 <= K <= 4, 1 <= s <= 3')
>>> p = check("corr(x, k) == conv(x, k)", shapes={"x": "n", "k": "K"}, domain="n <= 4, K <= 3")
>>> p.verdict, [p.counterexample[key] for key in ("n", "K", "index", "left", "right")]
('refuted', [2, 2, (0,), 'k_0*x_0 + k_1*x_1', 'k_0*x_1 + k_1*x_0'])
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np

from symconv.domain import domain_points_count, domain_text, parse_domain
from symconv.limits import require_symbolic_size
from symconv.proof import Math, Proof, Step

from .compare import Difference, compare
from .evaluate import Point, evaluate, signal_shape_of, size_value
from .numeric import numeric_value, random_signals
from .operators import Undefined
from .syntax import Call, Chain, ClaimError, Name, Node, String, parse_claim, pointer, walk
from .typeset import chain_latex, node_latex, value_latex, value_plain
from .values import Value, symbol_name, to_sympy
from .values import evaluate as evaluate_poly
from .vocabulary import check_names

__all__ = ["check", "DEFAULT_RANGES", "MAX_POINTS"]

#: Ranges of the usual size names when the domain does not bound them.
DEFAULT_RANGES = {"n": (1, 8), "K": (1, 4), "s": (1, 3), "p": (0, 2), "d": (1, 2)}
#: The largest domain checked point by point.
MAX_POINTS = 20_000
#: Values larger than this many entries are described, not printed whole.
MAX_SHOWN = 64
#: Points of the domain (spread over it, the largest included) evaluated again numerically.
NUMERIC_POINTS = 6


@dataclass
class _StepRecord:
    """What happened to one step of the chain over the domain."""

    checked: int = 0
    skipped: int = 0
    failure: dict[str, Any] | None = None
    sides: tuple[Any, Any] | None = None
    inconclusive: dict[str, int] | None = None
    difference: Difference | None = field(default=None, repr=False)


def _read_shapes(shapes: Mapping[str, Any] | str | None) -> dict[str, tuple[Node, str]]:
    if shapes is None:
        return {}
    if isinstance(shapes, str):
        from .syntax import parse_shapes

        return {name: (node, shapes) for name, node in parse_shapes(shapes).items()}
    if not isinstance(shapes, Mapping):
        raise ClaimError(f"shapes must be a dict of signal -> shape or text 'x=n, k=K', got "
                         f"{shapes!r}")
    read = {}
    for name, shape in shapes.items():
        if isinstance(shape, (tuple, list)):
            shape = "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
        if not isinstance(shape, (str, int)) or isinstance(shape, bool):
            raise ClaimError(f"shapes[{name!r}] must be a size expression or a tuple of them, "
                             f"got {shape!r} (valid: 'n', '(m, m)', 4, (4, 4))")
        read[str(name)] = signal_shape_of(str(name), str(shape))
    return read


def _shape_sizes(shapes: dict[str, tuple[Node, str]]) -> list[str]:
    sizes: list[str] = []
    for name, (node, text) in shapes.items():
        for inner in walk(node):
            if isinstance(inner, (Call, String)) or (isinstance(inner, Name)
                                                     and inner.name in shapes):
                raise ClaimError(f"shape of {name} must be a size expression or a tuple of "
                                 f"them, got {text[node.start:node.end]!r}"
                                 + pointer(text, inner.start, inner.end))
            if isinstance(inner, Name) and inner.name not in sizes:
                sizes.append(inner.name)
    return sizes


def _ranges(used: list[str], domain: str | None) -> dict[str, tuple[int, int]]:
    defaults = {name: DEFAULT_RANGES[name] for name in used if name in DEFAULT_RANGES}
    ranges = parse_domain(domain, names=used, defaults=defaults)
    unbounded = [name for name in used if name not in ranges]
    if unbounded:
        name = unbounded[0]
        raise ClaimError(f"size name {name!r} must be bounded by the domain, got no bound on "
                         f"it in {domain or 'the empty domain'!r} (valid: add a bound such as "
                         f"'1 <= {name} <= 4'; names with defaults: "
                         f"{domain_text(DEFAULT_RANGES)})")
    ordered = {name: ranges[name] for name in used}
    count = domain_points_count(ordered)
    if count > MAX_POINTS:
        raise ClaimError(f"domain must have at most {MAX_POINTS} points, got {count} in "
                         f"{domain_text(ordered)} (valid: narrow the bounds)")
    return ordered


def points_in_order(ranges: Mapping[str, tuple[int, int]]) -> list[dict[str, int]]:
    """Every point of the box, by sum of the sizes, then lexicographically.

    >>> points_in_order({"n": (1, 2), "K": (1, 2)})
    [{'n': 1, 'K': 1}, {'n': 1, 'K': 2}, {'n': 2, 'K': 1}, {'n': 2, 'K': 2}]
    """
    names = list(ranges)
    grid = itertools.product(*(range(low, high + 1) for low, high in ranges.values()))
    return [dict(zip(names, values)) for values in sorted(grid, key=lambda v: (sum(v), v))]


def _side(chain: Chain, term: int, point: Point, cache: dict) -> Value | Undefined:
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


def _settle(record: _StepRecord, sizes: dict, left, right, number: int) -> None:
    """Update ``record`` with the step's two sides at one point."""
    undefined = [isinstance(v, Undefined) for v in (left, right)]
    if all(undefined):
        record.skipped += 1
        return
    if any(undefined):
        side, error = ("left", left) if undefined[0] else ("right", right)
        record.failure = {**sizes, "step": number,
                          "reason": f"the {side} side is undefined here: {error}"}
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
                       left=str(to_sympy(left.entry(difference.index))),
                       right=str(to_sympy(right.entry(difference.index))))
    else:
        failure.update(left_shape=left.shape, right_shape=right.shape)
    if difference.witness:
        failure["witness"] = {symbol_name(n, i): v for (n, i), v in difference.witness.items()}
    record.failure, record.sides, record.difference = failure, (left, right), difference


def _run(chain: Chain, shapes: dict, points: list[dict]
         ) -> tuple[list[_StepRecord], list[dict]]:
    """Each step's record, and the points where some step held with both sides defined."""
    records, defined = [_StepRecord() for _ in chain.steps()], []
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
            left, right = _side(chain, i, point, cache), _side(chain, i + 1, point, cache)
            _settle(records[i], sizes, left, right, i + 1)
        if sum(records[i].checked for i in open_steps) > checked:
            defined.append(sizes)
    return records, defined


def _substituted(value: Value, values: dict) -> np.ndarray:
    flat = [evaluate_poly(value.entry(i), values) for i in range(value.size)]
    return np.array(flat, dtype=object).reshape(value.shape)


def _agrees(symbolic: Any, numeric: Any, values: dict) -> bool:
    if isinstance(symbolic, Undefined) or isinstance(numeric, Undefined):
        return isinstance(symbolic, Undefined) and isinstance(numeric, Undefined)
    return symbolic.shape == numeric.shape and bool(
        np.all(_substituted(symbolic, values) == numeric))


def _numeric_support(chain: Chain, shapes: dict, points: list[dict],
                     records: list[_StepRecord]) -> int:
    """Of ``points`` (where the claim was checked), how many agreed numerically; up to
    :data:`NUMERIC_POINTS` of them spread over the list, the last (largest) included.

    A disagreement between the NumPy oracle and the symbolic values is a bug of
    symconv, never a verdict: it raises.
    """
    if not points:
        return 0
    step = max(len(points) // NUMERIC_POINTS, 1)
    sample = sorted({*range(0, len(points), step), len(points) - 1})[-NUMERIC_POINTS:]
    rng, agreed = np.random.default_rng(0), 0
    for sizes in (points[i] for i in sample):
        point = Point(sizes, shapes)
        try:
            signals = {name: _signal_shape(point, name) for name in shapes}
        except Undefined:
            continue
        arrays = random_signals(signals, rng)
        values = {(name, index): int(a[index]) for name, a in arrays.items()
                  for index in np.ndindex(a.shape)}
        symbolic, numeric, defined = {}, {}, False
        for i in range(len(records)):
            for term in (i, i + 1):
                if term not in numeric:
                    symbolic[term] = _side(chain, term, point, {})
                    try:
                        numeric[term] = numeric_value(chain.terms[term], sizes, arrays,
                                                      chain.text, point)
                    except Undefined as undefined:
                        numeric[term] = undefined
                if not _agrees(symbolic[term], numeric[term], values):
                    raise RuntimeError(f"symconv's NumPy oracle and its symbolic values "
                                       f"disagree on term {term + 1} at {sizes}")
            defined |= not isinstance(numeric[i], Undefined)
        agreed += defined
    return agreed


def _signal_shape(point: Point, name: str) -> tuple[int, ...]:
    node, text = point.shapes[name]
    shape = size_value(node, point, text)
    shape = shape if isinstance(shape, tuple) else (shape,)
    if min(shape) < 1:
        raise Undefined(f"{name} has no entries")
    return shape


def _at(sizes: Mapping[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items()) or "the stated sizes"


def _step_line(chain: Chain, i: int, record: _StepRecord, names: list[str]) -> Step:
    a, b = chain.terms[i], chain.terms[i + 1]
    math = (Math(f"{node_latex(a)} = {node_latex(b)}",
                 f"{chain.text[a.start:a.end]} == {chain.text[b.start:b.end]}"),)
    skipped = (f" ({record.skipped} points skipped: both sides undefined)"
               if record.skipped else "")
    if record.failure is not None:
        where = _at({n: record.failure[n] for n in names})
        text = (f"Refuted at {where}, the first failing point in order of size "
                f"(it held at {record.checked} points before){skipped}.")
    elif record.inconclusive is not None:
        text = (f"Undecided: at {_at(record.inconclusive)} the two sides have different forms "
                "under a maximum and no values were found at which they differ; it held at "
                f"{record.checked} points{skipped}.")
    elif record.checked == 0:
        text = f"Vacuous: no point where both sides are defined{skipped}."
    else:
        text = f"Holds at all {record.checked} points where it is defined{skipped}."
    return Step(f"Step {i + 1}", text, math)


def _shown(value: Any, marked: int | None, label: str, label_plain: str) -> Math:
    if isinstance(value, Undefined):
        return Math(rf"{label} \text{{ is undefined}}", f"{label_plain} is undefined: {value}")
    if value.size > MAX_SHOWN:
        entry = "" if marked is None else (f", entry {marked} (flat) = "
                                           f"{to_sympy(value.entry(marked))}")
        dims = r" \times ".join(map(str, value.shape))
        return Math(rf"{label} \in \mathbb{{R}}^{{{dims}}}",
                    f"{label_plain}: shape {value.shape}{entry}")
    return Math(f"{label} = {value_latex(value, marked)}",
                f"{label_plain} =\n{value_plain(value, marked)}")


def _counterexample_step(chain: Chain, record: _StepRecord, names: list[str]) -> Step:
    number = record.failure["step"]
    a, b = chain.terms[number - 1], chain.terms[number]
    marked = record.difference.index if record.difference else None
    text = (f"Step {number} at {_at({n: record.failure[n] for n in names})}: "
            f"{record.failure['reason']}.")
    if "index" in record.failure:
        text += (f" First differing entry {record.failure['index']} (boxed): "
                 f"left {record.failure['left']}, right {record.failure['right']}.")
    if "witness" in record.failure:
        text += f" They differ at the integer values {record.failure['witness']}."
    math = (_shown(record.sides[0], marked, node_latex(a), chain.text[a.start:a.end]),
            _shown(record.sides[1], marked, node_latex(b), chain.text[b.start:b.end]))
    return Step("Counterexample", text, math)


def check(claim: str, *, shapes: Mapping[str, Any] | str | None = None,
          domain: str | None = None) -> Proof:
    """Check ``claim`` at every point of ``domain``; the smallest counterexample if false.

    Parameters
    ----------
    claim : str
        ``a == b`` or a chain ``a == b == c`` in the claim language
        (``symconv check --grammar`` prints its grammar).
    shapes : dict or str
        The shape of every signal: ``{"x": "n", "k": "K"}``, ``{"x": "(n, n)"}``,
        ``{"x": 4}`` or the text ``"x=n, k=K"``.
    domain : str, optional
        Bounds on the size names, e.g. ``"1 <= n <= 6, K <= 3"``; names it does not
        bound take :data:`DEFAULT_RANGES` (other names must be bounded).

    Returns
    -------
    Proof
        ``verified`` on the domain, ``refuted`` (counterexample: the sizes, the step
        number, the first differing entry and both values), ``undecided`` or
        ``vacuous``; ``proved`` only for a claim with no size name.
    """
    chain = parse_claim(claim)
    shape_map = _read_shapes(shapes)
    claim_sizes = check_names(chain, set(shape_map))
    named = {node.name for term in chain.terms for node in walk(term) if isinstance(node, Name)}
    shape_map = {name: shape for name, shape in shape_map.items() if name in named}
    used = _shape_sizes(shape_map)  # a signal the claim does not name adds no size
    used += [name for name in claim_sizes if name not in used]
    ranges = _ranges(used, domain)
    points = points_in_order(ranges)
    records, defined = _run(chain, shape_map, points)
    text = domain_text(ranges) or None
    statement = claim.strip()
    latex = chain_latex(chain)
    parameters = {"shapes": ", ".join(f"{name}={text[node.start:node.end]}"
                                      for name, (node, text) in shape_map.items())}
    scope = "all sizes" if ranges else "stated sizes"
    steps = [Step("Claim", f"Signals with symbolic entries ({parameters['shapes'] or 'none'}); "
                  + (f"sizes over {text}: {len(points)} points, checked in order of size (sum "
                     "of the sizes, then lexicographic)." if ranges else
                     "no size name: the stated sizes only."))]
    steps += [_step_line(chain, i, r, used) for i, r in enumerate(records)]
    common = dict(domain=text, scope=scope, steps=steps)
    failed = [r for r in records if r.failure is not None]
    if failed:
        steps.append(_counterexample_step(chain, failed[0], used))
        return Proof("claim", statement, latex, parameters, "refuted", ["symbolic"],
                     counterexample=failed[0].failure, **common)
    if any(r.inconclusive is not None for r in records) or (
            any(r.checked == 0 for r in records) and any(r.checked for r in records)):
        return Proof("claim", statement, latex, parameters, "undecided", ["symbolic"],
                     **common)
    if not any(r.checked for r in records):
        common["domain"] = common["domain"] or "the stated sizes"
        return Proof("claim", statement, latex, parameters, "vacuous", [], **common)
    agreed = _numeric_support(chain, shape_map, defined, records)
    numeric = ["numeric"] if agreed else []
    if agreed:
        steps.append(Step("Numeric cross-check", f"At {agreed} points of the domain, random "
                          "integer signals; both sides evaluated again with symconv's NumPy "
                          "oracle (symconv.numeric, sliding windows, independent of the "
                          "matrices) agree exactly with each other and with the symbolic "
                          "values. Support, not proof."))
    if ranges:
        return Proof("claim", statement, latex, parameters, "verified",
                     ["symbolic", "exhaustive", *numeric], **common)
    return Proof("claim", statement, latex, parameters, "proved", ["symbolic", *numeric],
                 **common)
