"""Command-line values, read without eval: integers, comma lists, before:after pairs, names.

Per-axis values are read with the grammar ``grammars/per_axis.lark``; a failure is a
:class:`~symconv.cli.exits.UsageError` naming the option and the item it is in.
"""

from __future__ import annotations

from typing import Any

from lark.exceptions import UnexpectedEOF, UnexpectedInput

from ..grammar import parser as grammar_parser
from .exits import UsageError

__all__ = ["PADDING_FORMS", "parse_count", "parse_padding", "parse_param", "parse_sizes"]


def _per_axis_items(option: str, text: str) -> list[int | tuple[int, int]]:
    """The comma-separated items of ``text`` read with the grammar ``grammars/per_axis.lark``:
    an ``int`` or a ``(before, after)`` pair each. A failure names the item it is in."""
    try:
        tree = grammar_parser("per_axis").parse(text)
    except UnexpectedInput as failure:
        column = len(text) + 1 if isinstance(failure, UnexpectedEOF) or getattr(
            getattr(failure, "token", None), "type", "") == "$END" else failure.column
        raise _not_integers(option, text, column) from None
    return [int(item.children[0]) if item.data == "one"
            else (int(item.children[0]), int(item.children[1])) for item in tree.children]


def _not_integers(option: str, text: str, column: int) -> UsageError:
    item = text[: column - 1].count(",")
    return UsageError(f"{option} must be an integer or a comma-separated list of integers, "
                      f"got {text.split(',')[item].strip()!r}")


def parse_sizes(option: str, text: str) -> tuple[int, ...] | int:
    """``"5,5"`` -> ``(5, 5)``; ``"2"`` -> ``2`` (one value for every axis).

    Examples
    --------
    >>> parse_sizes("--input", "5,5"), parse_sizes("--stride", "2")
    ((5, 5), 2)
    >>> parse_sizes("--input", "5,\u0665")
    Traceback (most recent call last):
        ...
    symconv.cli.exits.UsageError: --input must be an integer or a comma-separated list of \
integers, got '\u0665'
    """
    items = _per_axis_items(option, text)
    pair = next((i for i, item in enumerate(items) if isinstance(item, tuple)), None)
    if pair is not None:
        raise UsageError(f"{option} must be an integer or a comma-separated list of integers, "
                         f"got {text.split(',')[pair].strip()!r}")
    return items[0] if len(items) == 1 else tuple(items)


def parse_count(option: str, text: str) -> int:
    """One integer (a channel count, a number of groups), never a list.

    Examples
    --------
    >>> parse_count("--groups", "2")
    2
    >>> parse_count("--out-channels", "2,2")
    Traceback (most recent call last):
        ...
    symconv.cli.exits.UsageError: --out-channels must be one integer, got '2,2'
    """
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{option} must be one integer, got {text!r}") from None


#: What ``--padding`` accepts, for its error message.
PADDING_FORMS = ("an integer (1), one integer per axis (1,2), before:after (1:2), one pair per "
                 "axis (0:1,1:0) or a name (valid, same, same_lower, full)")


def parse_padding(text: str, ndim: int) -> Any:
    """``1``, ``1,2`` (per axis), ``1:2`` (before:after, every axis), ``0:1,1:0``, or a name.

    Examples
    --------
    >>> parse_padding("same", 2), parse_padding("1:2", 2), parse_padding("1,0", 2)
    ('same', ((1, 2), (1, 2)), (1, 0))
    >>> parse_padding("1:2:3", 1)
    Traceback (most recent call last):
        ...
    symconv.cli.exits.UsageError: --padding must be an integer (1), one integer per axis (1,2), \
before:after (1:2), one pair per axis (0:1,1:0) or a name (valid, same, same_lower, full), \
got '1:2:3'
    """
    if text.replace("_", "").isalpha():
        return text
    try:
        return _padding_values(text, ndim)
    except UsageError:
        raise UsageError(f"--padding must be {PADDING_FORMS}, got {text!r}") from None


def _padding_values(text: str, ndim: int) -> Any:
    items = _per_axis_items("--padding", text)
    if not any(isinstance(item, tuple) for item in items):
        return items[0] if len(items) == 1 else tuple(items)
    if not all(isinstance(item, tuple) for item in items):
        raise UsageError(text)
    return tuple(items) * ndim if len(items) == 1 else tuple(items)


def parse_param(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` with VALUE an int, comma list of ints, true/false or a word.

    Examples
    --------
    >>> parse_param("shift=1"), parse_param("boundary=circular"), parse_param("x=true")
    (('shift', 1), ('boundary', 'circular'), ('x', True))
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise UsageError(f"--param must look like NAME=VALUE, got {text!r}")
    name, value = name.strip().replace("-", "_"), value.strip()
    if value.lower() in ("true", "false"):
        return name, value.lower() == "true"
    try:
        return name, parse_sizes(f"--param {name}", value)
    except UsageError:
        return name, value
