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
from functools import lru_cache
from typing import Any

from symconv.domain import domain_points_count, domain_text, parse_domain
from symconv.order import by_size
from symconv.proof import Proof, Step

from .channels import channel_axes
from .evaluate import signal_shape_of
from .numeric import NUMERIC_POINTS, cross_check
from .report import counterexample_step, step_line
from .search import run
from .syntax import Call, ClaimError, Name, Node, String, parse_claim, pointer, walk
from .typeset import chain_latex, node_latex, ranges_latex
from .vocabulary import check_names

__all__ = ["check", "points_in_order", "DEFAULT_RANGES", "MAX_POINTS", "NUMERIC_POINTS"]

#: Ranges of the usual size names when the domain does not bound them.
DEFAULT_RANGES = {"n": (1, 8), "K": (1, 4), "s": (1, 3), "p": (0, 2), "d": (1, 2),
                  "c": (1, 3), "o": (1, 3), "g": (1, 2)}
#: The largest domain checked point by point.
MAX_POINTS = 20_000


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
        channel_axes(node, name, text)  # a shape of channel axes only is refused here
    return sizes


def _ranges(used: list[str], domain: str | None) -> dict[str, tuple[int, int]]:
    return dict(_cached_ranges(tuple(used), domain))


@lru_cache(maxsize=1024)
def _cached_ranges(used: tuple[str, ...], domain: str | None) -> tuple:
    used = list(used)
    # a bound on a usual size name the claim does not use is ignored; any other name is
    # refused (a typo would otherwise silently leave its size at the defaults)
    known = used + [name for name in DEFAULT_RANGES if name not in used]
    ranges = parse_domain(domain, names=known, defaults=DEFAULT_RANGES)
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
    return tuple(ordered.items())


def points_in_order(ranges: Mapping[str, tuple[int, int]]) -> list[dict[str, int]]:
    """Every point of the box, by sum of the sizes, then lexicographically.

    >>> points_in_order({"n": (1, 2), "K": (1, 2)})
    [{'n': 1, 'K': 1}, {'n': 1, 'K': 2}, {'n': 2, 'K': 1}, {'n': 2, 'K': 2}]
    """
    names = list(ranges)
    grid = itertools.product(*(range(low, high + 1) for low, high in ranges.values()))
    return [dict(zip(names, values)) for values in sorted(grid, key=by_size)]


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
    built: dict | None = {} if len(points) <= NUMERIC_POINTS else None
    records, defined = run(chain, shape_map, points, built)
    text = domain_text(ranges) or None
    statement = claim.strip()
    latex = chain_latex(chain)
    parameters = {"shapes": ", ".join(f"{name}={text[node.start:node.end]}"
                                      for name, (node, text) in shape_map.items())}
    scope = "all sizes" if ranges else "stated sizes"
    signals = ", ".join(f"${name} = {node_latex(node)}$" for name, (node, _) in shape_map.items())
    sizes = f"${ranges_latex(ranges)}$"
    steps = [Step("Claim", f"Signals with symbolic entries ({signals or 'none'}); "
                  + ((f"sizes over {sizes}: {len(points)} points, checked in order of size "
                      "(sum of the sizes, then lexicographic)." if len(points) > 1 else
                      f"sizes {sizes}: one point.") if ranges else
                     "no size name: the stated sizes only."))]
    steps += [step_line(chain, i, r, used) for i, r in enumerate(records)]
    common = dict(domain=text, scope=scope, steps=steps)
    failed = [r for r in records if r.failure is not None]
    if failed:
        steps.append(counterexample_step(chain, failed[0], used))
        return Proof("claim", statement, latex, parameters, "refuted", ["symbolic"],
                     counterexample=failed[0].failure, **common)
    if any(r.inconclusive is not None for r in records) or (
            any(r.checked == 0 for r in records) and any(r.checked for r in records)):
        return Proof("claim", statement, latex, parameters, "undecided", ["symbolic"],
                     **common)
    if not any(r.checked for r in records):
        common["domain"] = common["domain"] or "the stated sizes"
        return Proof("claim", statement, latex, parameters, "vacuous", [], **common)
    agreed = cross_check(chain, shape_map, defined, len(records), built)
    numeric = ["numeric"] if agreed else []
    if agreed:
        points_text = f"{agreed} point{'s' if agreed != 1 else ''}"
        steps.append(Step("Numeric cross-check", f"At {points_text} of the domain, random "
                          "integer signals; both sides evaluated again with symconv's NumPy "
                          "oracle (symconv.numeric, sliding windows, independent of the "
                          "matrices) agree exactly with each other and with the symbolic "
                          "values. Support, not proof."))
    if ranges:
        return Proof("claim", statement, latex, parameters, "verified",
                     ["symbolic", "exhaustive", *numeric], **common)
    return Proof("claim", statement, latex, parameters, "proved", ["symbolic", *numeric],
                 **common)
