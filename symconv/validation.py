"""The one check of an integer (and of a truth value) argument, used at every edge.

An integer is a :class:`numbers.Integral` that is not a :class:`bool`: Python and
NumPy integers pass, ``True``, ``5.0``, ``"5"`` and ``None`` do not. A truth value
is a :class:`bool` (or NumPy's), never a word such as ``"no"``, which Python would
take as true. Every rejection is a :class:`~symconv.errors.SymconvError` naming
the parameter, the value, the rule and the valid range.

Examples
--------
>>> integer("stride", 2, minimum=1)
2
>>> integer("stride", 0, minimum=1)
Traceback (most recent call last):
    ...
symconv.errors.GeometryError: stride must be an integer >= 1, got 0 (valid: 1, 2, 3, ...)
>>> integer("padding", 1.0, minimum=0)
Traceback (most recent call last):
    ...
symconv.errors.GeometryError: padding must be an integer >= 0, got 1.0 (valid: 0, 1, 2, ...)
>>> boolean("ceil_mode", "no")
Traceback (most recent call last):
    ...
symconv.errors.GeometryError: ceil_mode must be True or False, got 'no'
"""

from __future__ import annotations

import numbers
import sys
from typing import Any

from .errors import GeometryError, SymconvError, describe


def is_bool(value: Any) -> bool:
    """Whether ``value`` is Python's or NumPy's boolean.

    NumPy is not imported for this: a ``numpy.bool_`` can only exist once NumPy is, so
    the check looks it up in :data:`sys.modules` (``symconv shape`` never loads NumPy).

    Examples
    --------
    >>> import numpy as np
    >>> is_bool(True), is_bool(np.bool_(False)), is_bool(1), is_bool(np.int8(1))
    (True, True, False, False)
    """
    if isinstance(value, bool):
        return True
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.bool_)


def is_integer(value: Any) -> bool:
    """Whether ``value`` is an integer in symconv's sense (integral, not a bool).

    Examples
    --------
    >>> import numpy as np
    >>> is_integer(3), is_integer(np.int64(3)), is_integer(True), is_integer(3.0)
    (True, True, False, False)
    """
    if type(value) is int:  # the common case, without the ABC check (bool is not int)
        return True
    return isinstance(value, numbers.Integral) and not is_bool(value)


def integer_range(minimum: int | None = None, maximum: int | None = None) -> str:
    """The valid range of an integer, as the error messages say it.

    Examples
    --------
    >>> integer_range(1), integer_range(0, 5), integer_range()
    ('1, 2, 3, ...', '0 to 5', 'any integer')
    """
    if minimum is None:
        return "any integer" if maximum is None else f"at most {maximum}"
    if maximum is None:
        return f"{minimum}, {minimum + 1}, {minimum + 2}, ..."
    return f"{minimum} to {maximum}"


def _rule(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"must be an integer in {minimum}..{maximum}"
    if minimum is not None:
        return f"must be an integer >= {minimum}"
    if maximum is not None:
        return f"must be an integer <= {maximum}"
    return "must be an integer"


def integer(parameter: str, value: Any, minimum: int | None = None, maximum: int | None = None,
            error: type[SymconvError] = GeometryError) -> int:
    """``value`` as an ``int`` if it is an integer within ``[minimum, maximum]``, else ``error``.

    Parameters
    ----------
    parameter : str
        The name the message uses (``"stride"``, ``"input_shape[1]"``).
    value : Any
        What the user gave.
    minimum, maximum : int, optional
        Inclusive bounds; None means unbounded.
    error : type of SymconvError
        The class raised (the layer's own error class).

    Examples
    --------
    >>> import numpy as np
    >>> integer("groups", np.int32(2), minimum=1)
    2
    >>> integer("size", True, maximum=9)
    Traceback (most recent call last):
        ...
    symconv.errors.GeometryError: size must be an integer <= 9, got True (valid: at most 9)
    """
    inside = is_integer(value) and (minimum is None or value >= minimum) and (
        maximum is None or value <= maximum)
    if not inside:
        raise error(describe(parameter, value, _rule(minimum, maximum),
                             integer_range(minimum, maximum)))
    return int(value)


def boolean(parameter: str, value: Any, error: type[SymconvError] = GeometryError) -> bool:
    """``value`` if it is ``True`` or ``False`` (Python's or NumPy's), else ``error``.

    Examples
    --------
    >>> import numpy as np
    >>> boolean("ceil_mode", np.bool_(True))
    True
    """
    if not is_bool(value):
        raise error(describe(parameter, value, "must be True or False"))
    return bool(value)
