"""Reading a size formula: the grammar symconv/grammars/formula.lark, then the whitelist;
the tree exactly as written and its SymPy form (nothing is ever evaluated)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

import sympy
from lark import Token as LarkToken
from lark import Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.visitors import Interpreter

from ..errors import FormulaError
from ..grammar import parser as grammar_parser

MAX_LENGTH = 500
MAX_TOKENS = 200
MAX_DEPTH = 50
MAX_DIGITS = 30
MAX_EXPONENT = 8
MAX_ARGS = 8

#: Canonical variable names, in the order counterexamples list them.
VARIABLES = ("n", "k", "s", "p", "p_before", "p_after", "d", "op")
ALIASES = {"pb": "p_before", "pa": "p_after"}
_POSITIVE = ("n", "k", "s", "d")
SYMBOLS = {name: sympy.Symbol(name, integer=True, nonnegative=True)
           if name not in _POSITIVE else sympy.Symbol(name, integer=True, positive=True)
           for name in VARIABLES}

#: Whitelisted functions: name -> (SymPy constructor, least and most arguments).
FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], int, int]] = {
    "floor": (sympy.floor, 1, 1),
    "ceil": (sympy.ceiling, 1, 1),
    "ceiling": (sympy.ceiling, 1, 1),
    "abs": (sympy.Abs, 1, 1),
    "max": (sympy.Max, 2, MAX_ARGS),
    "min": (sympy.Min, 2, MAX_ARGS),
}


# ---------------------------------------------------------------------------
# Reading the text: the grammar symconv/grammars/formula.lark, then the whitelist
# ---------------------------------------------------------------------------
# The grammar (read with symconv.grammar, the project's one toolkit) says what text
# is a formula; the checks here say what a formula may contain. Errors are reported
# in the order a reader meets them, left to right, as "formula: <what> at position <i>"
# (0-based): first any character or number outside the alphabet (:func:`tokenize`),
# then the first thing the grammar cannot take or the first name, exponent, depth or
# divisor the whitelist refuses (:class:`_Reader`). One exception to the order: when the
# grammar refuses the text, only names and exponents before that point are checked first,
# so in "1/0)" the stray ')' is reported, not the division by zero before it.

class Token(NamedTuple):
    """One token: ``kind`` is ``"number"``, ``"name"``, ``"op"`` or ``"end"``."""

    kind: str
    text: str
    pos: int


_GRAMMAR = "formula"
_KINDS = {"NUMBER": "number", "NAME": "name"}
_WELL_FORMED_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)
_FORBIDDEN = {
    ".": "attribute access ('.') is not allowed",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    ";": "statement separators (';') are not allowed",
    "[": "brackets other than ( ) are not allowed",
    "]": "brackets other than ( ) are not allowed",
    "{": "brackets other than ( ) are not allowed",
    "}": "brackets other than ( ) are not allowed",
    "=": "comparisons and assignments are not allowed",
    "<": "comparisons are not allowed",
    ">": "comparisons are not allowed",
    ":": "lambdas, slices and annotations are not allowed",
}


def fail(message: str, pos: int | None = None) -> FormulaError:
    """The :class:`~symconv.errors.FormulaError` ``formula: <message> at position <pos>``."""
    where = "" if pos is None else f" at position {pos}"
    return FormulaError(f"formula: {message}{where}")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with the grammar's lexer, rejecting anything outside
    its alphabet (and numbers that are not plain decimals of at most 30 digits).

    Examples
    --------
    >>> [t.text for t in tokenize("n//2 + pb")]
    ['n', '//', '2', '+', 'pb', '']
    >>> tokenize("2n")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: formula: malformed number '2n' (write 2*n for a product, \
no exponents or suffixes) at position 0
    """
    tokens: list[Token] = []
    try:
        for token in grammar_parser(_GRAMMAR).lex(text):
            if len(tokens) >= MAX_TOKENS:
                raise fail(f"too many tokens (at most {MAX_TOKENS})", token.start_pos)
            if token.type == "NUMBER":
                _check_number(token.value, token.start_pos)
            tokens.append(Token(_KINDS.get(token.type, "op"), token.value, token.start_pos))
    except UnexpectedCharacters as failure:
        raise _character_error(text[failure.pos_in_stream], failure.pos_in_stream) from None
    tokens.append(Token("end", "", len(text)))
    return tokens


def _check_number(word: str, pos: int) -> None:
    if not _WELL_FORMED_NUMBER.fullmatch(word):
        raise fail(f"malformed number {word!r} (write 2*n for a product, no exponents or "
                   "suffixes)", pos)
    digits = len(word.replace(".", ""))
    if digits > MAX_DIGITS:
        raise fail(f"number {word[:12]}... has {digits} digits (at most {MAX_DIGITS})", pos)


def _character_error(char: str, pos: int) -> FormulaError:
    if char in _FORBIDDEN:
        return fail(_FORBIDDEN[char], pos)
    if not char.isascii():
        return fail(f"non-ASCII character {char!r} (U+{ord(char):04X}); formulas use ASCII "
                    "letters, digits, spaces and + - * / // % ** ( ) ,", pos)
    return fail(f"unexpected character {char!r}", pos)


def _valid_names(allowed: tuple[str, ...]) -> str:
    names = [f"{v} ({a})" if (a := alias_of(v)) else v for v in allowed]
    return ", ".join(names + sorted(FUNCTIONS))


def alias_of(name: str) -> str | None:
    return next((a for a, v in ALIASES.items() if v == name), None)


@dataclass(frozen=True)
class Node:
    """One node of a parsed formula, exactly as written (no simplification at all).

    ``op`` is ``"number"`` (``value`` a :class:`~fractions.Fraction`), ``"variable"``
    (``value`` its canonical name), ``"neg"``, one of ``+ - * / // %``, ``"**"``
    (``value`` the integer exponent, ``args`` the base) or a function name of
    :data:`FUNCTIONS`.

    Examples
    --------
    >>> parse_tree("n % k * 2")
    Node(op='*', args=(Node(op='%', args=(Node(op='variable', args=(), value='n'), \
Node(op='variable', args=(), value='k')), value=None), Node(op='number', args=(), \
value=Fraction(2, 1))), value=None)
    """

    op: str
    args: tuple[Node, ...] = ()
    value: Fraction | str | int | None = None


def _found(token: Token) -> str:
    return "the end of the formula" if token.kind == "end" else repr(token.text)


def _start(part: Tree | LarkToken) -> int:
    return part.start_pos if isinstance(part, LarkToken) else part.meta.start_pos


class _Reader(Interpreter):
    """Builds the :class:`Node` tree from the grammar's parse tree, top down and left to
    right, applying the whitelist: every method returns a :class:`Node`."""

    def __init__(self, tokens: list[Token], allowed: tuple[str, ...]) -> None:
        self.tokens = tokens
        self.at = {t.pos: t for t in tokens}
        self.depth = 0
        self.allowed = allowed
        self.divisors: list[Node] = []  # every right operand of / // %, as written

    def read(self, text: str) -> Node:
        try:
            tree = grammar_parser(_GRAMMAR).parse(text)
        except UnexpectedToken as failure:
            raise self._syntax_error(failure) from None
        return self.visit(tree)

    # -- what the grammar refuses -------------------------------------------------------

    def _syntax_error(self, failure: UnexpectedToken) -> FormulaError:
        end = failure.token.type == "$END"
        index = len(self.tokens) - 1 if end else self.tokens.index(self.at[failure.token.start_pos])
        if index == 0 and end:
            return fail("empty formula (write an expression such as n - k + 1)")
        self._check_tokens(index)
        token, previous = self.tokens[index], self.tokens[index - 1] if index else None
        if previous is not None and previous.text == "**":
            return self._exponent_error(token)
        accepts = failure.interactive_parser.accepts()
        if "$END" in accepts:
            return fail(f"unexpected {_found(token)} after a complete expression", token.pos)
        if "RPAR" in accepts:
            return fail(f"expected ')' but found {_found(token)}", token.pos)
        return fail("expected a number, a variable, a function call or '(' but found "
                    f"{_found(token)}", token.pos)

    def _check_tokens(self, stop: int) -> None:
        """The whitelist's checks of single tokens before ``stop``, left to right (a
        reader meets an unknown name before a syntax error further on)."""
        index = 0
        while index < stop:
            token = self.tokens[index]
            following = self.tokens[index + 1]
            if token.text == "**" and index + 1 < stop:
                self._check_exponent(following)
                if self.tokens[index + 2].text == "**":
                    raise fail("chained powers (a**b**c) are not allowed",
                               self.tokens[index + 2].pos)
                index += 1
            elif token.kind == "name":
                self._name(token, called=following.text == "(")
            index += 1

    def _exponent_error(self, exponent: Token) -> FormulaError:
        return fail(f"the exponent of ** must be an integer literal 0..{MAX_EXPONENT}, "
                    f"got {exponent.text or 'nothing'!r}", exponent.pos)

    def _check_exponent(self, exponent: Token) -> int:
        if exponent.kind != "number" or "." in exponent.text \
                or int(exponent.text) > MAX_EXPONENT:
            raise self._exponent_error(exponent)
        return int(exponent.text)

    def _enter(self, part: Tree | LarkToken) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise fail(f"nesting deeper than {MAX_DEPTH}", _start(part))

    def _nested(self, part: Tree | LarkToken) -> Node:
        self._enter(part)
        node = self.visit(part)
        self.depth -= 1
        return node

    def _name(self, token: Token, called: bool) -> Node | None:
        name = ALIASES.get(token.text, token.text)
        if name in FUNCTIONS:
            if not called:
                raise fail(f"function {name!r} must be called, as {name}(...)", token.pos)
            return None
        if name in VARIABLES:
            if called:
                raise fail(f"variable {token.text!r} is not a function", token.pos)
            if name not in self.allowed:
                raise fail(f"variable {token.text!r} is not a parameter of this quantity "
                           f"(valid names: {_valid_names(self.allowed)})", token.pos)
            return Node("variable", (), name)
        raise fail(f"unknown name {token.text!r} (valid names: {_valid_names(self.allowed)})",
                   token.pos)

    # -- one method per rule of the grammar ---------------------------------------------

    def start(self, tree: Tree) -> Node:
        return self.visit(tree.children[0])

    def expr(self, tree: Tree) -> Node:
        node = self.visit(tree.children[0])
        for op, right in zip(tree.children[1::2], tree.children[2::2]):
            node = Node(str(op), (node, self.visit(right)))
        return node

    def term(self, tree: Tree) -> Node:
        node = self.visit(tree.children[0])
        for op, part in zip(tree.children[1::2], tree.children[2::2]):
            right = self.visit(part)
            if op != "*":
                if to_sympy(right).is_zero:
                    raise fail(f"{'modulo' if op == '%' else 'division'} by zero",
                               op.start_pos)
                self.divisors.append(right)
            node = Node(str(op), (node, right))
        return node

    def signed(self, tree: Tree) -> Node:
        sign, operand = tree.children
        node = self._nested(operand)
        return Node("neg", (node,)) if sign == "-" else node

    def power(self, tree: Tree) -> Node:
        base, op, exponent, *chained = tree.children
        node = self.visit(base)
        if isinstance(base, Tree) and any(base.scan_values(lambda v: v == "**")):
            raise fail("nested powers are not allowed", op.start_pos)
        value = self._check_exponent(self.at[_start(exponent)])
        if chained:
            raise fail("chained powers (a**b**c) are not allowed", chained[0].start_pos)
        return Node("**", (node,), value)

    def number(self, tree: Tree) -> Node:
        return Node("number", (), Fraction(str(tree.children[0])))

    def name(self, tree: Tree) -> Node:
        return self._name(self.at[_start(tree)], called=False)

    def call(self, tree: Tree) -> Node:
        token = self.at[_start(tree)]
        self._name(token, called=True)
        _, least, most = FUNCTIONS[token.text]
        arguments = tree.children[2:-1:2]
        self._enter(arguments[0])
        args = [self.visit(a) for a in arguments]
        self.depth -= 1
        if not least <= len(args) <= most:
            count = str(least) if least == most else f"{least} to {most}"
            raise fail(f"{token.text}() takes {count} argument(s), got {len(args)}", token.pos)
        return Node("ceil" if token.text == "ceiling" else token.text, tuple(args))

    def group(self, tree: Tree) -> Node:
        return self._nested(tree.children[1])


@lru_cache(maxsize=4096)
def to_sympy(tree: Node) -> sympy.Expr:
    """The SymPy form of a parsed formula, built without ``Mod``.

    ``a % b`` is written as Python defines it, ``a - b*floor(a/b)``: SymPy 1.14's
    ``Mod`` simplifies wrongly for positive-integer symbols (``Mod(2*Mod(x, 3), 3)``
    becomes ``2*Mod(x, 3)``). ``a // b`` is ``floor(a/b)``. SymPy still simplifies
    as it builds, so :func:`check_formula` evaluates this form against the tree
    (the text as written) before using it for any proof.

    Examples
    --------
    >>> to_sympy(parse_tree("(n % k) * 2 % 3"))
    -2*k*floor(n/k) + 2*n - 3*floor(-2*k*floor(n/k)/3 + 2*n/3)
    """
    if tree.op == "number":
        return sympy.Rational(tree.value.numerator, tree.value.denominator)
    if tree.op == "variable":
        return SYMBOLS[tree.value]
    args = [to_sympy(a) for a in tree.args]
    if tree.op in FUNCTIONS:
        return FUNCTIONS[tree.op][0](*args)
    if tree.op == "**":
        return args[0] ** sympy.Integer(tree.value)
    if tree.op == "neg":
        return -args[0]
    left, right = args
    return {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
            "/": lambda: left / right, "//": lambda: sympy.floor(left / right),
            "%": lambda: left - right * sympy.floor(left / right)}[tree.op]()


_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


def parse_tree(text: str, variables: tuple[str, ...] | list[str] = VARIABLES) -> Node:
    """Parse a size formula into its :class:`Node` tree, exactly as written.

    Examples
    --------
    >>> parse_tree("-n").op, parse_tree("ceiling(n)").op
    ('neg', 'ceil')
    """
    return parse_with_divisors(text, variables)[0]


def parse_with_divisors(text: str, variables: tuple[str, ...] | list[str]
                        ) -> tuple[Node, tuple[Node, ...]]:
    """The tree of ``text`` as written, and every divisor it was written with."""
    if not isinstance(text, str):
        raise fail(f"must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise fail(f"too long: {len(text)} characters (at most {MAX_LENGTH})")
    unknown = [v for v in variables if v not in VARIABLES]
    if unknown:
        raise fail(f"unknown variables {unknown} requested (valid: {', '.join(VARIABLES)})")
    reader = _Reader(tokenize(text), tuple(v for v in VARIABLES if v in variables))
    try:
        tree = reader.read(text)
        expr = to_sympy(tree)
    except (ArithmeticError, RecursionError, TypeError) as error:
        raise fail(f"cannot build the expression ({type(error).__name__}: {error})") from error
    if expr.has(*_UNDEFINED):
        raise fail("the formula is undefined everywhere (it divides by zero)")
    return tree, tuple(reader.divisors)


def parse_formula(text: str, variables: tuple[str, ...] | list[str] = VARIABLES) -> sympy.Expr:
    """Parse a size formula into a SymPy expression, safely (no ``eval``).

    Parameters
    ----------
    text : str
        The formula (see the module docstring for the grammar).
    variables : sequence of str
        The variable names allowed (canonical names from :data:`VARIABLES`);
        aliases ``pb``/``pa`` are accepted when ``p_before``/``p_after`` are.

    Returns
    -------
    sympy.Expr
        Built only from integers, rationals, the variables' symbols (integer;
        ``n, k, s, d`` positive, the others non-negative), ``+ - * /``, ``floor``,
        ``ceiling``, ``Max``, ``Min``, ``Abs`` and small integer powers; ``a % b`` is
        ``a - b*floor(a/b)`` (see :func:`to_sympy`; never SymPy's ``Mod``).

    Raises
    ------
    FormulaError
        For anything outside the grammar, with the position of the problem.

    Examples
    --------
    >>> parse_formula("n % s + 1")
    n - s*floor(n/s) + 1
    >>> parse_formula("n // 2 + 0.5")
    floor(n/2) + 1/2
    >>> parse_formula("x + 1")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: formula: unknown name 'x' (valid names: n, k, s, p, \
p_before (pb), p_after (pa), d, op, abs, ceil, ceiling, floor, max, min) at position 0
    >>> parse_formula("n + p", variables=("n", "k"))
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: formula: variable 'p' is not a parameter of this quantity \
(valid names: n, k, abs, ceil, ceiling, floor, max, min) at position 4
    """
    return parse_formula_guarded(text, variables)[0]


def parse_formula_guarded(text: str, variables: tuple[str, ...] | list[str] = VARIABLES
                          ) -> tuple[sympy.Expr, tuple[sympy.Expr, ...]]:
    """:func:`parse_formula`, plus every divisor as written (the guards).

    SymPy cancels as it builds (``n*(s-1)/(s-1)`` becomes ``n``), which would hide a
    division by zero at ``s = 1``. The formula is defined at a point only where every
    divisor it was written with is non-zero; the checker evaluates these guards too.

    Examples
    --------
    >>> parse_formula_guarded("n*(s - 1)/(s - 1)")
    (n, (s - 1,))
    """
    tree, divisors = parse_with_divisors(text, variables)
    guards = (to_sympy(d) for d in divisors)
    return to_sympy(tree), tuple(dict.fromkeys(g for g in guards if not g.is_number))



