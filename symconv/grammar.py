"""The one grammar toolkit: every input language of symconv is a Lark grammar file.

Each language (size formulas, layer specifications, per-axis values, open
claims) is a ``.lark`` file in ``symconv/grammars/`` that a user can read and
``--help`` can print (:func:`grammar_text`). Text is only ever *parsed* into a
tree; nothing a user types is evaluated (no ``eval``, no ``sympify``). A parse
failure becomes a :class:`~symconv.errors.FormulaError` (or the error class the
caller names) that says what was expected, where in the text, with a caret.

Examples
--------
>>> from symconv.grammar import grammar_names, parse
>>> "example" in grammar_names()
True
>>> parse("example", "a + b * 2", parameter="expression").children[0].data
'add'
>>> parse("example", "a + * 2", parameter="e")
Traceback (most recent call last):
    ...
symconv.errors.FormulaError: e is not valid text at column 5: unexpected '*'
  a + * 2
      ^
  expected: a name, an integer, '('

"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from symconv.errors import FormulaError, SymconvError

__all__ = ["grammar_names", "grammar_text", "parser", "parse", "describe_expected"]

_PACKAGE = "symconv.grammars"

# How a terminal of a grammar is named to a user; grammars may add their own.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "CNAME": "a name",
    "INT": "an integer",
    "NUMBER": "a number",
    "SIGNED_INT": "an integer",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "EQUAL": "'='",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "STAR": "'*'",
    "SLASH": "'/'",
    "PERCENT": "'%'",
    "COLON": "':'",
    "$END": "the end of the text",
}


def grammar_names() -> list[str]:
    """The names of the grammar files shipped with symconv, sorted."""
    files = resources.files(_PACKAGE).iterdir()
    return sorted(f.name[: -len(".lark")] for f in files if f.name.endswith(".lark"))


def grammar_text(name: str) -> str:
    """The text of grammar ``name``, as a user reads it (for ``--help`` and the README)."""
    if name not in grammar_names():
        raise SymconvError(
            f"grammar must be one of symconv's grammars, got {name!r} "
            f"(valid: {', '.join(grammar_names())})"
        )
    return resources.files(_PACKAGE).joinpath(f"{name}.lark").read_text(encoding="utf-8")


@cache
def parser(name: str, start: str = "start", algorithm: str = "lalr") -> Lark:
    """The Lark parser of grammar ``name``, built once per process.

    ``algorithm`` is ``"lalr"`` (fast, the default) or ``"earley"`` (for a
    grammar LALR cannot take). Positions are kept so that trees and errors can
    point into the text.
    """
    return Lark(
        grammar_text(name),
        start=start,
        parser=algorithm,
        propagate_positions=True,
        maybe_placeholders=False,
    )


def describe_expected(
    expected: set[str] | frozenset[str], words: dict[str, str] | None = None
) -> str:
    """Name the expected terminals for a user, sorted, duplicates merged."""
    table = {**_TERMINAL_WORDS, **(words or {})}
    named = []
    for terminal in expected:
        if terminal in table:
            named.append(table[terminal])
        else:
            named.append(terminal.lower().strip("_").replace("_", " "))
    return ", ".join(sorted(set(named), key=lambda w: (w.startswith("'"), w)))


def _caret(text: str, column: int) -> str:
    line = text.replace("\n", " ")
    return f"  {line}\n  {' ' * max(column - 1, 0)}^"


def parse(
    name: str,
    text: str,
    *,
    parameter: str,
    start: str = "start",
    algorithm: str = "lalr",
    error: type[SymconvError] = FormulaError,
    words: dict[str, str] | None = None,
) -> Tree:
    """Parse ``text`` with grammar ``name``; a failure is a named ``error``.

    The message names ``parameter``, the column (1-based), the offending
    character or token, what the grammar expected there and shows the text with
    a caret under the position.
    """
    if not isinstance(text, str):
        raise error(f"{parameter} must be text, got {text!r} of type {type(text).__name__}")
    lark = parser(name, start, algorithm)
    try:
        return lark.parse(text)
    except UnexpectedInput as failure:
        raise error(_message(parameter, text, failure, {**_literals(lark), **(words or {})})) \
            from None


def _literals(lark: Lark) -> dict[str, str]:
    """Terminals that stand for one fixed string, named by that string (``'..'``)."""
    return {t.name: repr(t.pattern.value) for t in lark.terminals
            if t.pattern.type == "str" and t.name not in _TERMINAL_WORDS}


def _message(parameter: str, text: str, failure: UnexpectedInput, words) -> str:
    if isinstance(failure, UnexpectedEOF) or (
        isinstance(failure, UnexpectedToken) and failure.token.type == "$END"
    ):
        column = len(text.rsplit("\n", 1)[-1]) + 1
        found = "the text ends"
        expected = getattr(failure, "expected", None) or getattr(failure, "accepts", set())
    elif isinstance(failure, UnexpectedCharacters):
        column = failure.column
        found = f"unexpected {text[failure.pos_in_stream]!r}"
        expected = failure.allowed or set()
    else:
        column = getattr(failure, "column", 0) or 0
        token = getattr(failure, "token", "")
        found = f"unexpected {str(token)!r}"
        expected = getattr(failure, "accepts", None) or getattr(failure, "expected", set())
    where = f"at column {column}" if column > 0 else "here"
    shown = text
    if "\n" in text:  # a file: name the line and show it alone
        line = getattr(failure, "line", -1)
        line = line if isinstance(line, int) and line > 0 else text.count("\n") + 1
        where, shown = f"at line {line}, column {column}", text.split("\n")[line - 1]
    message = f"{parameter} is not valid text {where}: {found}\n{_caret(shown, column)}"
    if expected:
        message += f"\n  expected: {describe_expected(set(expected), words)}"
    return message
