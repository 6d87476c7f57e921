r"""Symbols written in plain prose, found and typeset: math for a symbol, code for a name.

Step texts and evidence sentences are prose; where they name a symbol without ``$..$``
(``w_m y_i``, ``p_before``, ``C_out``) or a parameter (``input_shape=(5,)``), the
LaTeX and Markdown writers should not print a literal underscore. :func:`prose_symbols`
splits a piece of prose (no ``$..$`` in it) into text, math and code:

* a one-letter symbol with a subscript (``y_m``, ``S_{t/s}``, ``x_j'``) is math; a
  subscript that is a word (``before``, ``out``, ``flip``) is upright:
  ``p_{\mathrm{before}}``; ``sum_i`` and ``prod_a`` are ``\sum_{i}``, ``\prod_{a}``;
* a name of several letters with underscores (``input_shape``, ``ceil_mode``,
  ``SAME_LOWER``) is code: the name a program writes.

Examples
--------
>>> prose_symbols("at p_before, the sum_i w_m y_i; input_shape=(5,)")
[('text', 'at '), ('math', 'p_{\\mathrm{before}}'), ('text', ', the '), ('math', '\\sum_{i}'),
 ('text', ' '), ('math', 'w_{m}'), ('text', ' '), ('math', 'y_{i}'), ('text', '; '),
 ('code', 'input_shape'), ('text', '=(5,)')]
"""

from __future__ import annotations

import re

__all__ = ["entry_latex", "prose_symbols", "symbol_latex"]

_SUBSCRIPT = r"_(?:\{[A-Za-z0-9+\-/,=<>' _]*\}|[A-Za-z0-9]+)"
_SUPERSCRIPT = r"(?:\^(?:\{[A-Za-z0-9+\-/,=]*\}|[A-Za-z0-9]))?"
_SYMBOL = re.compile(r"(?<![\w\\{}])([A-Za-z0-9][A-Za-z0-9]*)((?:" + _SUBSCRIPT + r")+)"
                     + _SUPERSCRIPT.replace("(?:", "(", 1) + r"('*)(?![\w{])")
#: An entry of a bracketed expression: ``(C x)_i``, ``softmax(z)_i``, ``(a * b)_t``,
#: ``(C(k) x)_i``, ``(C^T)_ji``.
_ENTRY = re.compile(r"(?<![\w\\])([A-Za-z]*)\(((?:[A-Za-z0-9 +\-*^]|\([A-Za-z0-9 ,]*\)){1,24})\)"
                    r"_([A-Za-z0-9]{1,2})(?![\w{])")
#: Subscripts of two letters that are words, not two indices (``C_in``, not ``C_ij``).
_SHORT_WORDS = {"in", "up"}
#: Operators written as words: ``sum_i`` is a sum over ``i``.
_OPERATORS = {"sum": r"\sum", "prod": r"\prod", "max": r"\max", "min": r"\min"}


def symbol_latex(base: str, subscript: str, superscript: str = "", primes: str = "") -> str | None:
    r"""Math LaTeX of ``base_subscript``, or None when it is a program's name, not a symbol.

    Examples
    --------
    >>> symbol_latex("C", "out"), symbol_latex("y", "{t/s}"), symbol_latex("sum", "ij")
    ('C_{\\mathrm{out}}', 'y_{t/s}', '\\sum_{ij}')
    >>> symbol_latex("input", "shape") is None
    True
    """
    if subscript.startswith("{"):
        sub = subscript[1:-1]
    elif (len(subscript) <= 2 and subscript not in _SHORT_WORDS) or subscript.isdigit():
        sub = subscript
    else:
        sub = r"\mathrm{" + subscript + "}"
    if base in _OPERATORS:
        head = _OPERATORS[base]
    elif len(base) == 1:
        head = base
    else:
        return None
    sup = "^{" + superscript.strip("{}") + "}" if superscript else ""
    return f"{head}{primes}_{{{sub}}}{sup}"


def entry_latex(function: str, inner: str, index: str) -> str:
    r"""Math LaTeX of ``function(inner)_index``.

    Examples
    --------
    >>> entry_latex("softmax", "z + c", "i"), entry_latex("", "a * b", "t")
    ('\\operatorname{softmax}(z + c)_{i}', '(a \\ast b)_{t}')
    """
    head = r"\operatorname{" + function + "}" if len(function) > 1 else function
    return f"{head}({inner.replace('*', chr(92) + 'ast ').replace('  ', ' ')})_{{{index}}}"


def prose_symbols(text: str) -> list[tuple[str, str]]:
    """``(kind, piece)`` with kind ``"text"``, ``"math"`` (LaTeX) or ``"code"`` (a name)."""
    out: list[tuple[str, str]] = []
    at = 0
    for found in _ENTRY.finditer(text):
        out += _symbols(text[at:found.start()])
        out.append(("math", entry_latex(*found.groups())))
        at = found.end()
    return out + _symbols(text[at:])


def _symbols(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    at = 0
    for found in _SYMBOL.finditer(text):
        base, subscripts, superscript, primes = found.groups()
        parts = re.findall(_SUBSCRIPT, subscripts)
        latex = (symbol_latex(base, parts[0][1:], (superscript or "")[1:], primes)
                 if len(parts) == 1 else None)
        if latex is None and superscript:
            continue  # a name with a power after it: leave it to the text escapes
        if found.start() > at:
            out.append(("text", text[at:found.start()]))
        out.append(("math", latex) if latex is not None else ("code", found.group(0)))
        at = found.end()
    if at < len(text):
        out.append(("text", text[at:]))
    return out
