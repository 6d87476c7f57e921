"""The second stage of check_formula: a search for counterexamples at large sizes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..proof import Step
from .definitions import closed_form, definition_proof, specialised
from .exact import evaluate_many
from .finite_domain import (
    domain_columns,
    domain_latex,
    domain_ranges,
    explain_value,
    formula_value,
    smallest_failure,
)
from .parse import Node, parse_tree
from .quantities import RANGES, Columns, Quantity
from .typeset import point_prose, variable_latex

# ---------------------------------------------------------------------------
# Second stage: a search for counterexamples at large sizes
# ---------------------------------------------------------------------------

#: Caps of the random part of the large-size search, per variable.
LARGE = {"n": 10**6, "k": 10**4, "s": 10**3, "p": 10**4, "p_before": 10**4,
         "p_after": 10**4, "d": 100, "op": 10**3}
LARGE_SAMPLES = 20_000
#: Cap of the targeted points (around the formula's constants and the values its parts
#: take at small sizes); they may lie beyond :data:`LARGE`. Kept at 10**8 so that the
#: validity masks (products of two sizes, int64) cannot overflow.
TARGET_CAP = 10**8
#: At most this many targeted values per variable, and this many in pairs of variables.
TARGETS, PAIR_TARGETS = 300, 40


def _constants(tree: Node) -> set[int]:
    """Every number of the formula as written: numerators and denominators, above 1."""
    if tree.op == "number":
        return {c for c in (abs(tree.value.numerator), tree.value.denominator) if c > 1}
    found = {tree.value} if tree.op == "**" and tree.value > 1 else set()
    return found.union(*(_constants(a) for a in tree.args))


def _subtrees(tree: Node) -> list[Node]:
    """Every part of the formula built by an operator or function (not the leaves)."""
    if not tree.args:
        return []
    return [tree, *(t for a in tree.args for t in _subtrees(a))]


def _hidden_values(tree: Node, base: Columns) -> set[int]:
    """Values the formula's parts take at small points that lie beyond the finite domain,
    e.g. ``(k + 4)**7`` = 78125 at ``k = 1`` or ``1000*1001``: a threshold may hide there.

    Examples
    --------
    >>> base = {"n": np.array([1, 2]), "k": np.array([1, 2])}
    >>> sorted(_hidden_values(parse_tree("n + (k + 4)**7 + 1000*1001"), base))
    [78125, 78126, 279936, 279938, 1001000, 1079126, 1280938]
    """
    largest = max(high for _, high in RANGES.values())
    found: set[int] = set()
    for part in _subtrees(tree):
        num, den, bad = evaluate_many(part, base)
        for a, b, undefined in zip(num, den, bad):
            value = abs(int(a) // int(b))
            if not undefined and largest < value <= TARGET_CAP:
                found.add(value)
    return found


def _targets(tree: Node, base: Columns) -> list[int]:
    """Sizes around every constant (its first multiples and its products with the other
    constants too) and every hidden value (:func:`_hidden_values`).

    Examples
    --------
    >>> targets = _targets(parse_tree("floor(n/101) + floor(s/7)"), {"n": [1], "s": [1]})
    >>> [x in targets for x in (99, 101, 103, 202, 707, 709)], 100 in targets
    ([True, True, True, True, True, True], True)
    """
    constants = sorted(_constants(tree))
    near = [c * j + r for c in constants for j in (1, 2, 3, 7, 10) for r in (-2, -1, 0, 1, 2)]
    near += [a * b + r for a, b in itertools.combinations(constants, 2)
             for r in (-2, -1, 0, 1, 2)]
    near += [v + r for v in sorted(_hidden_values(tree, base)) for r in (-2, -1, 0, 1, 2)]
    return list(dict.fromkeys(x for x in near if 1 <= x <= TARGET_CAP))[:TARGETS]


def _sample(columns: Columns, count: int, seed: int = 0) -> Columns:
    """The first point of ``columns`` and up to ``count - 1`` seeded others."""
    size = len(next(iter(columns.values())))
    rng = np.random.default_rng(seed)
    index = np.unique(np.concatenate([[0], rng.integers(0, size, count - 1)]))
    return {v: c[index] for v, c in columns.items()}


def _targeted_points(tree: Node, entry: Quantity, fixed: Mapping[str, int],
                     domain: Columns) -> Columns:
    """Small domain points with one variable (or two) moved to a targeted size."""
    base = _sample(domain, 32)
    targets = _targets(tree, base)
    free = [v for v in entry.variables if v not in fixed]
    if not targets or not free:
        return {}
    rows = []
    for i in range(min(8, len(base[free[0]]))):
        point = {v: int(c[i]) for v, c in base.items()}
        rows += [{**point, v: x} for v in free for x in targets]
    first = {v: int(c[0]) for v, c in base.items()}
    pairs = targets[:PAIR_TARGETS]
    rows += [{**first, a: x, b: y} for ia, a in enumerate(free) for b in free[ia + 1:]
             for x in pairs for y in pairs]
    return {v: np.array([r[v] for r in rows], dtype=np.int64) for v in entry.variables}


def large_points(tree: Node, entry: Quantity, fixed: Mapping[str, int],
                 domain: Columns) -> Columns:
    """Seeded random and boundary points up to :data:`LARGE`, and targeted points
    (:func:`_targeted_points`), all valid for the quantity."""
    rng = np.random.default_rng(0)
    special = [c * j + r for c in _constants(tree) if c <= LARGE["n"]
               for j in (1, 2, 3, 7, 10, 100) for r in (-2, -1, 0, 1, 2)]
    special += [b ** e + r for b in (2, 10) for e in range(1, 21) for r in (-1, 0, 1)
                if b ** e <= LARGE["n"]]
    columns = {}
    for v in entry.variables:
        low, high = RANGES[v][0], LARGE[v]
        kind = rng.integers(0, 3, LARGE_SAMPLES)
        small = rng.integers(low, RANGES[v][1] + 1, LARGE_SAMPLES)
        spread = np.exp(rng.uniform(0, np.log(high + 1), LARGE_SAMPLES)).astype(np.int64)
        pick = rng.choice(np.array(special or [low], dtype=np.int64), LARGE_SAMPLES)
        column = np.where(kind == 0, small, np.where(kind == 1, spread, pick))
        columns[v] = np.clip(column, low, high).astype(np.int64)
        if v in fixed:
            columns[v] = np.full(LARGE_SAMPLES, fixed[v], dtype=np.int64)
    targeted = _targeted_points(tree, entry, fixed, domain)
    if targeted:
        columns = {v: np.concatenate([columns[v], targeted[v]]) for v in columns}
    if entry.is_valid is not None:
        keep = entry.is_valid(columns)
        columns = {v: c[keep] for v, c in columns.items()}
    return columns


def large_search(tree: Node, entry: Quantity, fixed: Mapping[str, int], columns: Columns
                 ) -> tuple[dict[str, Any] | None, str, list[Step]]:
    """A counterexample among large points, judged by the definition proved for all sizes."""

    columns_d, domain = domain_columns(entry, domain_ranges(entry, dict(fixed)))
    domain_tex = domain_latex(entry, domain_ranges(entry, dict(fixed)),
                              len(next(iter(columns_d.values()))))
    convention = specialised(entry.quantity, entry.convention, dict(fixed))
    if definition_proof(entry.quantity, convention) is None:
        return None, domain, [Step(
            "Not proved for all sizes", "No proof for all sizes was found and this quantity "
            "has no closed form proved for all sizes to search large sizes with: the claim "
            f"is verified only on the finite domain $D$ = {domain_tex}, not proved.")]
    definition = parse_tree(*closed_form(entry.quantity, convention)[:2])
    num, den, undefined = evaluate_many(tree, columns)
    t_num, t_den, _ = evaluate_many(definition, columns)
    failing = undefined | np.asarray(num * t_den != t_num * den, dtype=bool)
    count = len(next(iter(columns.values())))
    words = (f"{count} seeded random points, boundary points and targeted points (around "
             "the formula's constants and the values its parts take at small sizes) with "
             "sizes up to "
             + _bounds(entry, fixed)
             + f" (targeted points up to {TARGET_CAP})")
    words_tex = words.replace(_bounds(entry, fixed), ", ".join(
        rf"${variable_latex(v)} \le {LARGE[v]}$" for v in entry.variables if v not in fixed))
    if not failing.any():
        return None, domain, [Step(
            "Not proved for all sizes", "No proof for all sizes was found: the formula is "
            f"verified only on the finite domain $D$ = {domain_tex}, not proved. A search of "
            f"{words_tex} against the closed form (itself proved for all sizes) found no "
            "counterexample; that is support, not proof.")]
    i = smallest_failure(failing, columns)
    point = {v: int(columns[v][i]) for v in entry.variables}
    truth = formula_value(t_num[i], t_den[i], False)
    value = formula_value(num[i], den[i], bool(undefined[i]))
    counterexample = {**point, "formula": value, "truth": truth}
    return counterexample, words, [Step(
        "Counterexample at large sizes", f"The formula agrees on the whole finite domain but "
        f"not for all sizes: among {words_tex}, the smallest failing point is "
        f"{point_prose(point)}, where the formula gives {value} "
        f"and the {entry.quantity} (its closed form, proved for all sizes) is {truth}; "
        f"{explain_value(value, truth)}.")]


def _bounds(entry: Quantity, fixed: Mapping[str, int]) -> str:
    return ", ".join(f"{v}<={LARGE[v]}" for v in entry.variables if v not in fixed)
