"""The finite domain of a quantity: its variables' ranges (some held fixed), the points in
the smallest-failure order, and how a value at a point is reported."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy

from ..order import order_by_size
from ..validation import is_integer
from .parse import (
    ALIASES,
    alias_of,
    fail,
)
from .quantities import RANGES, Columns, Quantity


def fixed_values(entry: Quantity, fixed: Any) -> dict[str, int]:
    """``fixed`` validated and keyed by canonical names (``pb`` -> ``p_before``)."""
    if fixed is None:
        return {}
    if not isinstance(fixed, Mapping):
        raise fail(f"fixed must be a mapping of variable names to integers, e.g. "
                   f"{{'d': 1}}, got {fixed!r} ({type(fixed).__name__})")
    values: dict[str, int] = {}
    for name, value in fixed.items():
        canonical = ALIASES.get(name, name) if isinstance(name, str) else name
        if canonical not in entry.variables:
            raise fail(f"cannot fix {name!r}: {entry.quantity} ({entry.convention}) has the "
                       f"variables {', '.join(entry.variables)}")
        if canonical in values:
            raise fail(f"{canonical} is fixed twice (as {alias_of(canonical)} and "
                       f"{canonical}); fix each variable once")
        low, high = RANGES[canonical]
        if not is_integer(value) or not low <= value <= high:
            raise fail(f"fixed {name} must be an integer in {low}..{high}, got {value!r}")
        values[canonical] = int(value)
    return values


def domain_ranges(entry: Quantity, fixed: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    ranges = {v: RANGES[v] for v in entry.variables}
    for name, value in fixed_values(entry, fixed).items():
        ranges[name] = (value, value)
    return ranges


def domain_columns(entry: Quantity, ranges: dict[str, tuple[int, int]]) -> tuple[Columns, str]:
    grids = np.meshgrid(*(np.arange(lo, hi + 1) for lo, hi in ranges.values()), indexing="ij")
    columns = {v: g.ravel().astype(np.int64) for v, g in zip(ranges, grids)}
    if entry.is_valid is not None:
        keep = entry.is_valid(columns)
        columns = {v: col[keep] for v, col in columns.items()}
    bounds = ", ".join(f"{v}={lo}" if lo == hi else f"{lo}<={v}<={hi}"
                       for v, (lo, hi) in ranges.items())
    if "op" in ranges:
        bounds = bounds.replace(f"0<=op<={RANGES['op'][1]}", "0<=op<max(s, d)")
    count = len(next(iter(columns.values())))
    where = f" where {entry.condition}" if entry.condition else ""
    kind = "valid 1-D geometry" if entry.is_valid is not None else "1-D point"
    return columns, f"every {kind} with {bounds}{where} ({count} points)"


def smallest_failure(failing: np.ndarray, columns: Columns,
                     keys: Sequence[str] | None = None) -> int:
    """Index of the failing point with the least sum of ``keys`` (default: every column),
    ties broken lexicographically in the order of ``keys``: :mod:`symconv.order`'s order,
    for check_formula and for the counting theorems' sweeps.

    Examples
    --------
    >>> import numpy as np
    >>> columns = {"n": np.array([3, 1, 2]), "k": np.array([1, 3, 1])}
    >>> smallest_failure(np.array([True, True, True]), columns)
    2
    """
    index = np.flatnonzero(failing)
    names = list(columns) if keys is None else list(keys)
    return int(index[order_by_size([columns[v][index] for v in names])[0]])


def formula_value(num: Any, den: Any, undefined: bool) -> int | sympy.Rational | str:
    if undefined:
        return "undefined (division by zero)"
    value = sympy.Rational(int(num), int(den))
    return int(value) if value.is_Integer else value


def explain_value(value: Any, truth: int) -> str:
    if isinstance(value, str):
        return "the formula divides by zero there"
    if not isinstance(value, int):
        return f"the formula is not an integer there ({value}), so it cannot be a size"
    return f"the formula is off by {value - truth:+d} there"


_RELATION = re.compile(r"(.+?)\s*(<=|>=|<|>)\s*(.+?)(\s+\([^()]*\))?")
_RELATION_TEX = {"<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}


def relation_latex(text: str) -> str:
    r"""Prose with the relations of a condition (``d*(k-1) + 1 <= n + 2*p``) as inline math,
    each side typeset term for term as written; a part that is no relation stays prose.

    Examples
    --------
    >>> print(relation_latex("2*p <= k and the kernel fits, d*(k-1) + 1 <= n + 2*p"))
    $2\,p \le k$ and the kernel fits, $d\,(k - 1) + 1 \le n + 2\,p$
    >>> print(relation_latex("op < max(s, d) and the output is not empty"))
    $\mathrm{op} < \operatorname{max}(s, d)$ and the output is not empty
    """
    from ..render.math import formula_latex

    out = []
    for part in _top_level_parts(text):
        found = _RELATION.fullmatch(part)
        sides = found and (formula_latex(found[1]), formula_latex(found[3]))
        if not found or None in sides:
            out.append(part)
            continue
        out.append(f"${sides[0]} {_RELATION_TEX[found[2]]} {sides[1]}${found[4] or ''}")
    return "".join(out)


def _top_level_parts(text: str) -> list[str]:
    """``text`` cut before and after each ``, `` and `` and `` outside brackets."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        joint = next((j for j in (", ", " and ") if text.startswith(j, i)), None)
        if depth == 0 and joint:
            parts += [text[start:i], joint]
            i = start = i + len(joint)
            continue
        i += 1
    return parts + [text[start:]]


def domain_latex(entry: Quantity, ranges: Mapping[str, tuple[int, int]], count: int) -> str:
    r"""The domain of :func:`domain_columns` in words with inline math, for a step's prose.

    Examples
    --------
    >>> from symconv.sizes.quantities import lookup
    >>> print(domain_latex(lookup("same_pad_total", "tensorflow"),
    ...                    {"n": (1, 64), "k": (1, 7), "s": (1, 4), "d": (1, 1)}, 1792))
    every 1-D point with $1 \le n \le 64$, $1 \le k \le 7$, $1 \le s \le 4$, $d = 1$ (1792 points)
    """
    from ..render.math import formula_latex

    bounds = []
    for v, (lo, hi) in ranges.items():
        name = formula_latex(v)
        if lo == hi:
            bounds.append(f"${name} = {lo}$")
        elif v == "op":
            bounds.append(rf"$0 \le {name} < \max(s, d)$")
        else:
            bounds.append(rf"${lo} \le {name} \le {hi}$")
    where = f" where {relation_latex(entry.condition)}" if entry.condition else ""
    kind = "valid 1-D geometry" if entry.is_valid is not None else "1-D point"
    return f"every {kind} with {', '.join(bounds)}{where} ({count} points)"
