"""The one exception hierarchy of symconv.

Every error a user can cause is a :class:`SymconvError`, which subclasses
:class:`ValueError`, and its message names the parameter, the value given,
the rule it broke and the valid range.

Examples
--------
>>> from symconv.errors import SymconvError, require
>>> require(False, "stride", 0, "must be a positive integer", "1, 2, 3, ...")
Traceback (most recent call last):
    ...
symconv.errors.GeometryError: stride must be a positive integer, got 0 (valid: 1, 2, 3, ...)
"""

from __future__ import annotations

from typing import Any


class SymconvError(ValueError):
    """Base class of every error symconv raises for bad input."""


class GeometryError(SymconvError):
    """Sizes, strides, paddings or dilations that do not describe a valid layer."""


class OperatorError(SymconvError):
    """Channels, groups or kernel values that do not fit an operator."""


class FormulaError(SymconvError):
    """A formula or layer description that the safe parser rejects."""


class TheoremError(SymconvError):
    """An unknown theorem name or parameters a theorem does not take."""


class SizeLimitError(SymconvError):
    """Symbolic work refused up front because it would exceed the configured size."""


def describe(parameter: str, value: Any, rule: str, valid: str | None = None) -> str:
    """Phrase an error as ``<parameter> <rule>, got <value> (valid: <range>)``.

    Examples
    --------
    >>> describe("dilation", -1, "must be a positive integer", "1, 2, 3, ...")
    'dilation must be a positive integer, got -1 (valid: 1, 2, 3, ...)'
    """
    message = f"{parameter} {rule}, got {value!r}"
    if valid:
        message += f" (valid: {valid})"
    return message


def require(
    condition: bool,
    parameter: str,
    value: Any,
    rule: str,
    valid: str | None = None,
    error: type[SymconvError] = GeometryError,
) -> None:
    """Raise ``error`` with a :func:`describe` message unless ``condition`` holds."""
    if not condition:
        raise error(describe(parameter, value, rule, valid))
