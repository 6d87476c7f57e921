"""Domains of sizes: ``"1 <= n <= 8, K <= 4, s in 1..3"`` -> an inclusive range per name.

The text is parsed with the grammar file ``symconv/grammars/domain.lark``
(:mod:`symconv.grammar`); nothing is evaluated. Each bound relates one size
name to integer literals with ``<=``, ``<``, ``>=``, ``>``, ``=`` / ``==``, or
gives a range ``name in low..high``. Names not mentioned keep their defaults.
Used by open claims (:func:`symconv.check`) and by implementation checks
(:func:`symconv.check_implementation`).

Examples
--------
>>> from symconv.domain import parse_domain
>>> parse_domain("1 <= n <= 8, K < 4, s in 1..3, d = 2", names=("n", "K", "s", "d"),
...              defaults={"n": (1, 6), "K": (1, 3), "s": (1, 2), "d": (1, 1)})
{'n': (1, 8), 'K': (1, 3), 's': (1, 3), 'd': (2, 2)}
>>> parse_domain("n <= K", names=("n", "K"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
symconv.domain.DomainError: domain bound must relate exactly one size name to integers, ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lark import Tree

from symconv.errors import SymconvError, describe
from symconv.grammar import parse

__all__ = ["DomainError", "parse_domain", "domain_points_count", "domain_text"]

_FORMS = "'1 <= n <= 8', 'n <= 8', 'n >= 2', 'n = 2', 'n in 1..3'"
_FLIPPED = {"<=": ">=", ">=": "<=", "<": ">", ">": "<", "=": "=", "==": "="}


class DomainError(SymconvError):
    """A domain of sizes that cannot be read, is empty, or names an unknown size."""


def parse_domain(
    text: str | None,
    *,
    names: Sequence[str] | None = None,
    defaults: Mapping[str, tuple[int, int]] | None = None,
    parameter: str = "domain",
) -> dict[str, tuple[int, int]]:
    """Inclusive ``(low, high)`` per size name: the defaults, narrowed by ``text``.

    Parameters
    ----------
    text : str or None
        Comma-separated bounds; ``None`` or ``""`` keeps the defaults.
    names : sequence of str, optional
        The size names a bound may mention (default: any name).
    defaults : mapping, optional
        ``name -> (low, high)`` for names the text does not bound. A name that is
        bounded on one side only keeps the default on the other side; without a
        default, a one-sided bound is an error (the domain must be finite).
    parameter : str
        What the text is called in error messages.
    """
    ranges = dict(defaults or {})
    if text is None or not text.strip():
        return ranges
    tree = parse("domain", text, parameter=parameter, error=DomainError,
                 words={"COMPARE": "a comparison (<=, <, >=, >, =)"})
    mentioned: set[str] = set()
    for bound in tree.children:
        name, low, high = _bound(bound, text, parameter)
        if names is not None and name not in names:
            raise DomainError(describe(f"{parameter} size name", name,
                                       "must be one of the size names", ", ".join(names)))
        old_low, old_high = ranges.get(name, (None, None))
        if name in mentioned:  # a second bound on the same name narrows the first
            old_low, old_high = ranges[name]
        low = low if low is not None else old_low
        high = high if high is not None else old_high
        if low is None or high is None:
            raise DomainError(describe(f"{parameter} bound on {name}", _source(bound, text),
                                       "must bound the size on both sides (it has no default)",
                                       _FORMS))
        if name in mentioned:
            low, high = max(low, old_low), min(high, old_high)
        if low > high:
            raise DomainError(describe(f"{parameter} bound on {name}", _source(bound, text),
                                       f"must leave at least one value, but {low} > {high}",
                                       _FORMS))
        ranges[name] = (low, high)
        mentioned.add(name)
    return ranges


def _source(node: Tree, text: str) -> str:
    return text[node.meta.start_pos:node.meta.end_pos]


def _bound(node: Tree, text: str, parameter: str) -> tuple[str, int | None, int | None]:
    if node.data == "range":
        name, low, high = node.children
        return str(name), int(low), int(high)
    items = node.children
    values, operators = items[0::2], [str(op) for op in items[1::2]]
    names = [i for i, v in enumerate(values) if v.data == "name"]
    if len(names) != 1:
        raise DomainError(describe(f"{parameter} bound", _source(node, text),
                                   "must relate exactly one size name to integers", _FORMS))
    at = names[0]
    name = str(values[at].children[0])
    low: int | None = None
    high: int | None = None
    # Read each comparison as "name OP number", flipping those written "number OP name".
    for i, op in enumerate(operators):
        if i == at:
            other, relation = values[i + 1], op
        elif i + 1 == at:
            other, relation = values[i], _FLIPPED[op]
        else:
            raise DomainError(describe(f"{parameter} bound", _source(node, text),
                                       "must compare the size name with integers on either "
                                       "side", _FORMS))
        number = int(other.children[0])
        low, high = _narrow(low, high, relation, number)
    return name, low, high


def _narrow(low: int | None, high: int | None, relation: str, number: int):
    def tighter_low(value: int) -> int:
        return value if low is None else max(low, value)

    def tighter_high(value: int) -> int:
        return value if high is None else min(high, value)

    if relation in ("=", "=="):
        return tighter_low(number), tighter_high(number)
    if relation == "<=":
        return low, tighter_high(number)
    if relation == "<":
        return low, tighter_high(number - 1)
    if relation == ">=":
        return tighter_low(number), high
    return tighter_low(number + 1), high


def domain_points_count(ranges: Mapping[str, tuple[int, int]]) -> int:
    """How many points the box of ``ranges`` has.

    >>> domain_points_count({"n": (1, 8), "K": (1, 4)})
    32
    """
    count = 1
    for low, high in ranges.values():
        count *= high - low + 1
    return count


def domain_text(ranges: Mapping[str, tuple[int, int]]) -> str:
    """The domain as a user writes it, the form stated in every output.

    >>> domain_text({"n": (1, 8), "s": (2, 2)})
    '1 <= n <= 8, s = 2'
    """
    parts = []
    for name, (low, high) in ranges.items():
        parts.append(f"{name} = {low}" if low == high else f"{low} <= {name} <= {high}")
    return ", ".join(parts)
