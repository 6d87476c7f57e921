"""A safe parser for size formulas, and an exhaustive checker against the truth.

A user formula such as ``floor((n + 2*p - d*(k - 1) - 1)/s) + 1`` is read with
the grammar ``symconv/grammars/formula.lark`` (Lark, through :mod:`symconv.grammar`)
into a tree of :class:`Node` exactly as written (:func:`parse_tree`); no SymPy is
involved, so nothing is simplified. The text never reaches ``eval``, ``exec``,
``compile``, ``sympify`` or ``parse_expr``. Exact evaluation (:func:`evaluate_many`)
runs on that tree with our own integer and rational arithmetic. The SymPy form handed to the
prover for all sizes (:func:`to_sympy`, :func:`parse_formula`) is built from
the tree without ``Mod``, and :func:`check_formula` checks that it agrees with
the tree on the whole finite domain and on the large-size sample before it is
used to prove anything.

Grammar (the file says it exactly; Python's precedence, ``**`` binds tighter than unary minus)::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/" | "//" | "%") factor)*
    factor := ("+" | "-") factor | power
    power  := atom ["**" INTEGER]          exponent: a literal 0..8, no nesting
    atom   := NUMBER | VARIABLE | FUNCTION "(" expr ("," expr)* ")" | "(" expr ")"

``/`` is exact (a SymPy ``Rational``), ``//`` is floor division and ``%`` is
Python's floor-based remainder. Numbers are ASCII integers or decimals such as
``0.5`` (read exactly), at most 30 digits. Functions: ``floor``, ``ceil``
(= ``ceiling``), ``max``, ``min`` (2 to 8 arguments) and ``abs``.

Variables (one spatial axis):

==============================  =================================================
``n``                           input size
``k``                           kernel size
``s``                           stride
``p``                           symmetric padding (each side)
``p_before`` (``pb``)           padding before (left)
``p_after`` (``pa``)            padding after (right)
``d``                           dilation
``op``                          output_padding of a transposed convolution
==============================  =================================================

Limits: at most 500 characters, 200 tokens and nesting depth 50. Every
rejection is a :class:`~symconv.errors.FormulaError` naming what is wrong and
where (a 0-based character position).

:func:`check_formula` compares a formula with the true value of a quantity
under a framework's convention at every point of a finite 1-D domain
(see :data:`QUANTITIES` and :func:`supported`).

Examples
--------
>>> parse_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1")
floor((-d*(k - 1) + n + 2*p - 1)/s) + 1
>>> parse_formula("n.__class__")
Traceback (most recent call last):
    ...
symconv.errors.FormulaError: formula: attribute access ('.') is not allowed at position 1
>>> check_formula("ceil(n/s)", "same_output_size", "tensorflow").verdict
'proved'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import sympy
from lark import Token as LarkToken
from lark import Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.visitors import Interpreter

from .errors import FormulaError
from .geometry import same_pads, transposed_output_size
from .grammar import parser as grammar_parser
from .proof import Math, Proof, Step
from .validation import is_integer

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


def _fail(message: str, pos: int | None = None) -> FormulaError:
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
                raise _fail(f"too many tokens (at most {MAX_TOKENS})", token.start_pos)
            if token.type == "NUMBER":
                _check_number(token.value, token.start_pos)
            tokens.append(Token(_KINDS.get(token.type, "op"), token.value, token.start_pos))
    except UnexpectedCharacters as failure:
        raise _character_error(text[failure.pos_in_stream], failure.pos_in_stream) from None
    tokens.append(Token("end", "", len(text)))
    return tokens


def _check_number(word: str, pos: int) -> None:
    if not _WELL_FORMED_NUMBER.fullmatch(word):
        raise _fail(f"malformed number {word!r} (write 2*n for a product, no exponents or "
                    "suffixes)", pos)
    digits = len(word.replace(".", ""))
    if digits > MAX_DIGITS:
        raise _fail(f"number {word[:12]}... has {digits} digits (at most {MAX_DIGITS})", pos)


def _character_error(char: str, pos: int) -> FormulaError:
    if char in _FORBIDDEN:
        return _fail(_FORBIDDEN[char], pos)
    if not char.isascii():
        return _fail(f"non-ASCII character {char!r} (U+{ord(char):04X}); formulas use ASCII "
                     "letters, digits, spaces and + - * / // % ** ( ) ,", pos)
    return _fail(f"unexpected character {char!r}", pos)


def _valid_names(allowed: tuple[str, ...]) -> str:
    names = [f"{v} ({a})" if (a := _alias_of(v)) else v for v in allowed]
    return ", ".join(names + sorted(FUNCTIONS))


def _alias_of(name: str) -> str | None:
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
            return _fail("empty formula (write an expression such as n - k + 1)")
        self._check_tokens(index)
        token, previous = self.tokens[index], self.tokens[index - 1] if index else None
        if previous is not None and previous.text == "**":
            return self._exponent_error(token)
        accepts = failure.interactive_parser.accepts()
        if "$END" in accepts:
            return _fail(f"unexpected {_found(token)} after a complete expression", token.pos)
        if "RPAR" in accepts:
            return _fail(f"expected ')' but found {_found(token)}", token.pos)
        return _fail("expected a number, a variable, a function call or '(' but found "
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
                    raise _fail("chained powers (a**b**c) are not allowed",
                                self.tokens[index + 2].pos)
                index += 1
            elif token.kind == "name":
                self._name(token, called=following.text == "(")
            index += 1

    def _exponent_error(self, exponent: Token) -> FormulaError:
        return _fail(f"the exponent of ** must be an integer literal 0..{MAX_EXPONENT}, "
                     f"got {exponent.text or 'nothing'!r}", exponent.pos)

    def _check_exponent(self, exponent: Token) -> int:
        if exponent.kind != "number" or "." in exponent.text \
                or int(exponent.text) > MAX_EXPONENT:
            raise self._exponent_error(exponent)
        return int(exponent.text)

    def _enter(self, part: Tree | LarkToken) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _fail(f"nesting deeper than {MAX_DEPTH}", _start(part))

    def _nested(self, part: Tree | LarkToken) -> Node:
        self._enter(part)
        node = self.visit(part)
        self.depth -= 1
        return node

    def _name(self, token: Token, called: bool) -> Node | None:
        name = ALIASES.get(token.text, token.text)
        if name in FUNCTIONS:
            if not called:
                raise _fail(f"function {name!r} must be called, as {name}(...)", token.pos)
            return None
        if name in VARIABLES:
            if called:
                raise _fail(f"variable {token.text!r} is not a function", token.pos)
            if name not in self.allowed:
                raise _fail(f"variable {token.text!r} is not a parameter of this quantity "
                            f"(valid names: {_valid_names(self.allowed)})", token.pos)
            return Node("variable", (), name)
        raise _fail(f"unknown name {token.text!r} (valid names: {_valid_names(self.allowed)})",
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
                    raise _fail(f"{'modulo' if op == '%' else 'division'} by zero",
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
            raise _fail("nested powers are not allowed", op.start_pos)
        value = self._check_exponent(self.at[_start(exponent)])
        if chained:
            raise _fail("chained powers (a**b**c) are not allowed", chained[0].start_pos)
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
            raise _fail(f"{token.text}() takes {count} argument(s), got {len(args)}", token.pos)
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
    return _parse(text, variables)[0]


def _parse(text: str, variables: tuple[str, ...] | list[str]) -> tuple[Node, tuple[Node, ...]]:
    if not isinstance(text, str):
        raise _fail(f"must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise _fail(f"too long: {len(text)} characters (at most {MAX_LENGTH})")
    unknown = [v for v in variables if v not in VARIABLES]
    if unknown:
        raise _fail(f"unknown variables {unknown} requested (valid: {', '.join(VARIABLES)})")
    reader = _Reader(tokenize(text), tuple(v for v in VARIABLES if v in variables))
    try:
        tree = reader.read(text)
        expr = to_sympy(tree)
    except (ArithmeticError, RecursionError, TypeError) as error:
        raise _fail(f"cannot build the expression ({type(error).__name__}: {error})") from error
    if expr.has(*_UNDEFINED):
        raise _fail("the formula is undefined everywhere (it divides by zero)")
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
    tree, divisors = _parse(text, variables)
    guards = (to_sympy(d) for d in divisors)
    return to_sympy(tree), tuple(dict.fromkeys(g for g in guards if not g.is_number))


def undefined_by_guards(guards: Sequence[sympy.Expr], columns: Mapping[str, np.ndarray]
                         ) -> np.ndarray:
    """Points where some divisor, as written, is zero (or itself undefined)."""
    size = len(next(iter(columns.values()))) if columns else 1
    bad = np.zeros(size, dtype=bool)
    for guard in guards:
        num, _, undefined = evaluate_many(guard, columns)
        bad |= np.asarray(undefined, dtype=bool) | np.asarray(num == 0, dtype=bool)
    return bad


# ---------------------------------------------------------------------------
# Exact evaluation at many integer points at once
# ---------------------------------------------------------------------------
# A value is a pair of object arrays (numerator, denominator) of Python ints, with
# the denominator positive, or None when it is 1 everywhere. Pairs are never
# reduced: equality with an integer t is ``num == t * den``. A division by zero
# marks the point undefined and continues with the divisor replaced by 1.

class _Value(NamedTuple):
    num: np.ndarray
    den: np.ndarray | None


class _Evaluation:
    def __init__(self, columns: Mapping[str, np.ndarray], size: int) -> None:
        self.columns = {name: np.asarray(col).astype(object) for name, col in columns.items()}
        self.size = size
        self.undefined = np.zeros(size, dtype=bool)

    def constant(self, value: int) -> np.ndarray:
        return np.full(self.size, value, dtype=object)

    def value(self, expr: sympy.Expr) -> _Value:
        if expr.is_Integer:
            return _Value(self.constant(int(expr)), None)
        if expr.is_Rational:
            return _Value(self.constant(int(expr.p)), self.constant(int(expr.q)))
        if expr.is_Symbol:
            return self.variable(expr.name)
        rule = _RULES.get(type(expr).__name__) or _RULES.get(expr.func.__name__)
        if rule is None:
            raise _fail(f"cannot evaluate {type(expr).__name__} in {expr}")
        return rule(self, [self.value(a) for a in expr.args], expr)

    def tree(self, tree: Node) -> _Value:
        """The value of a parsed tree: the formula's text evaluated as written."""
        if tree.op == "number":
            den = tree.value.denominator
            return _Value(self.constant(tree.value.numerator),
                          None if den == 1 else self.constant(den))
        if tree.op == "variable":
            return self.variable(tree.value)
        return _TREE_RULES[tree.op](self, [self.tree(a) for a in tree.args], tree)

    def variable(self, name: str) -> _Value:
        if name not in self.columns:
            raise _fail(f"no value given for variable {name!r}")
        return _Value(self.columns[name], None)

    def invert(self, x: _Value) -> _Value:
        zero = np.asarray(x.num == 0, dtype=bool)
        self.undefined |= zero
        num = np.where(zero, 1, x.num)
        sign = np.where(num < 0, -1, 1)
        den = sign * num
        return _Value(sign if x.den is None else sign * x.den, den)


def _den(x: _Value) -> Any:
    return 1 if x.den is None else x.den


def _add(a: _Value, b: _Value) -> _Value:
    if a.den is None and b.den is None:
        return _Value(a.num + b.num, None)
    return _Value(a.num * _den(b) + b.num * _den(a), _den(a) * _den(b))


def _mul(a: _Value, b: _Value) -> _Value:
    den = None if a.den is None and b.den is None else _den(a) * _den(b)
    return _Value(a.num * b.num, den)


def _floor(x: _Value) -> _Value:
    return x if x.den is None else _Value(x.num // x.den, None)


def _ceiling(x: _Value) -> _Value:
    return x if x.den is None else _Value(-((-x.num) // x.den), None)


def _pick(a: _Value, b: _Value, larger: bool) -> _Value:
    first = a.num * _den(b)
    second = b.num * _den(a)
    take_a = np.asarray(first >= second if larger else first <= second, dtype=bool)
    den = None if a.den is None and b.den is None else np.where(take_a, _den(a), _den(b))
    return _Value(np.where(take_a, a.num, b.num), den)


def _fold(pair: Callable[[_Value, _Value], _Value]) -> Callable[..., _Value]:
    def rule(ev: _Evaluation, args: list[_Value], expr: sympy.Expr) -> _Value:
        value = args[0]
        for arg in args[1:]:
            value = pair(value, arg)
        return value
    return rule


def _pow(ev: _Evaluation, args: list[_Value], expr: sympy.Expr) -> _Value:
    exponent = expr.args[1]
    if not exponent.is_Integer:
        raise _fail(f"cannot evaluate a non-integer power in {expr}")
    return _power(ev, args[0], int(exponent))


def _power(ev: _Evaluation, base: _Value, exponent: int) -> _Value:
    base = base if exponent >= 0 else ev.invert(base)
    e = abs(exponent)
    return _Value(base.num ** e, None if base.den is None else base.den ** e)


def _mod(ev: _Evaluation, args: list[_Value], expr: Any) -> _Value:
    """Python's remainder ``a - b*floor(a/b)``."""
    a, b = args
    quotient = _floor(_mul(a, ev.invert(b)))
    return _add(a, _mul(_Value(-quotient.num, None), b))


def _negate(a: _Value) -> _Value:
    return _Value(-a.num, a.den)


_RULES: dict[str, Callable[[_Evaluation, list[_Value], sympy.Expr], _Value]] = {
    "Add": _fold(_add),
    "Mul": _fold(_mul),
    "Pow": _pow,
    "Mod": _mod,
    "floor": lambda ev, args, expr: _floor(args[0]),
    "ceiling": lambda ev, args, expr: _ceiling(args[0]),
    "Abs": lambda ev, args, expr: _Value(np.abs(args[0].num), args[0].den),
    "Max": _fold(lambda a, b: _pick(a, b, larger=True)),
    "Min": _fold(lambda a, b: _pick(a, b, larger=False)),
}


#: How each operator of a :class:`Node` is evaluated (Python's own arithmetic, exactly).
_TREE_RULES: dict[str, Callable[[_Evaluation, list[_Value], Node], _Value]] = {
    "neg": lambda ev, args, tree: _negate(args[0]),
    "+": lambda ev, args, tree: _add(*args),
    "-": lambda ev, args, tree: _add(args[0], _negate(args[1])),
    "*": lambda ev, args, tree: _mul(*args),
    "/": lambda ev, args, tree: _mul(args[0], ev.invert(args[1])),
    "//": lambda ev, args, tree: _floor(_mul(args[0], ev.invert(args[1]))),
    "%": _mod,
    "**": lambda ev, args, tree: _power(ev, args[0], tree.value),
    "floor": lambda ev, args, tree: _floor(args[0]),
    "ceil": lambda ev, args, tree: _ceiling(args[0]),
    "abs": lambda ev, args, tree: _Value(np.abs(args[0].num), args[0].den),
    "max": _fold(lambda a, b: _pick(a, b, larger=True)),
    "min": _fold(lambda a, b: _pick(a, b, larger=False)),
}


def evaluate_many(expr: Node | sympy.Expr, columns: Mapping[str, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate ``expr`` exactly at many integer points.

    Parameters
    ----------
    expr : Node or sympy.Expr
        A result of :func:`parse_tree` (the formula as written) or of
        :func:`parse_formula` (its SymPy form).
    columns : mapping of str to 1-D integer arrays
        One array per variable of ``expr``, all of the same length.

    Returns
    -------
    num, den, undefined : arrays
        The value at point ``i`` is ``num[i] / den[i]`` (Python ints, ``den > 0``),
        unless ``undefined[i]`` (a division by zero happened there).

    Examples
    --------
    >>> num, den, bad = evaluate_many(parse_formula("n / (s - 1)"), {"n": [3, 4], "s": [3, 1]})
    >>> num[0], den[0], bad.tolist()
    (3, 2, [False, True])
    """
    size = len(next(iter(columns.values()))) if columns else 1
    ev = _Evaluation(columns, size)
    value = ev.tree(expr) if isinstance(expr, Node) else ev.value(expr)
    den = ev.constant(1) if value.den is None else value.den
    return value.num, den, ev.undefined


def evaluate(expr: Node | sympy.Expr, values: Mapping[str, int]) -> int | Fraction | None:
    """The exact value of ``expr`` at one integer point; ``None`` where it is undefined.

    Examples
    --------
    >>> evaluate(parse_formula("floor((n - k)/s) + 1"), {"n": 7, "k": 3, "s": 2})
    3
    >>> evaluate(parse_formula("n/s"), {"n": 7, "s": 2})
    Fraction(7, 2)
    >>> evaluate(parse_formula("n % (s - 2)"), {"n": 7, "s": 2}) is None
    True
    >>> evaluate(parse_tree("(n % k) * 2 % 3"), {"n": 2, "k": 3})
    1
    """
    num, den, undefined = evaluate_many(expr, {k: [v] for k, v in values.items()})
    if undefined[0]:
        return None
    value = Fraction(int(num[0]), int(den[0]))
    return int(value) if value.denominator == 1 else value


# ---------------------------------------------------------------------------
# The ground truth: one entry per (quantity, convention)
# ---------------------------------------------------------------------------
# Each truth function takes the domain's columns (int64 arrays) and returns the
# true value at every point, computed by counting where the quantity is a count.

RANGES = {"n": (1, 64), "k": (1, 7), "s": (1, 4), "p": (0, 3), "p_before": (0, 3),
          "p_after": (0, 3), "d": (1, 3), "op": (0, 3)}

Columns = dict[str, np.ndarray]

#: Window indices 0..70: a padded input has at most 64 + 3 + 3 positions.
_INDICES = np.arange(RANGES["n"][1] + RANGES["p_before"][1] + RANGES["p_after"][1] + 1)


def _span(c: Columns) -> np.ndarray:
    return c.get("d", 1) * (c["k"] - 1) + 1


def _count_starts(c: Columns, last: np.ndarray) -> np.ndarray:
    """Number of window indices ``i >= 0`` with ``s*i <= last``, counted one by one."""
    s = c.get("s", np.ones_like(last))
    return np.sum(s[:, None] * _INDICES[None, :] <= last[:, None], axis=1)


def _pads(c: Columns) -> tuple[Any, Any]:
    if "p" in c:
        return c["p"], c["p"]
    return c.get("p_before", 0), c.get("p_after", 0)


def _windows(c: Columns) -> np.ndarray:
    """Windows ``i >= 0`` with ``s*i + d(k-1) <= n + p_b + p_a - 1`` (fit the padded input)."""
    pb, pa = _pads(c)
    return _count_starts(c, c["n"] + pb + pa - _span(c))


def _pool_ceil_windows(c: Columns) -> np.ndarray:
    """Windows starting before ``n + 2p - d(k-1) + s`` and inside input or left padding."""
    start = c["s"][:, None] * _INDICES[None, :]
    limit = c["n"] + 2 * c["p"] - _span(c) + c["s"]
    return np.sum((start < limit[:, None]) & (start < (c["n"] + c["p"])[:, None]), axis=1)


def _macs(c: Columns) -> np.ndarray:
    """Nonzeros of the correlation matrix: pairs (output i, tap j) landing inside the input."""
    n = c["n"][:, None]
    pb = np.broadcast_to(_pads(c)[0], c["n"].shape)[:, None]
    d = c.get("d", np.ones_like(c["n"]))[:, None]
    i = _INDICES[None, :]
    rows = i < _windows(c)[:, None]
    total = np.zeros_like(c["n"])
    for j in range(RANGES["k"][1]):
        position = c["s"][:, None] * i + d * j - pb
        inside = rows & (position >= 0) & (position < n) & (j < c["k"])[:, None]
        total += np.sum(inside, axis=1)
    return total


def _same(part: int) -> Callable[[Columns], np.ndarray]:
    def truth(c: Columns) -> np.ndarray:
        pads = [same_pads(*point) for point in zip(*(c[v].tolist() for v in "nksd"))]
        return np.array([(pb + pa, pb, pa)[part] for pb, pa in pads], dtype=np.int64)
    return truth


def _torch_same(part: int) -> Callable[[Columns], np.ndarray]:
    def truth(c: Columns) -> np.ndarray:
        total = c["d"] * (c["k"] - 1)
        return (total, total // 2, total - total // 2)[part]
    return truth


def _full(c: Columns) -> np.ndarray:
    """Shifts ``t`` at which the kernel overlaps the input: ``-(k-1) <= t <= n-1``, counted."""
    t = np.arange(-RANGES["k"][1], RANGES["n"][1] + 1)[None, :]
    return np.sum((t + c["k"][:, None] - 1 >= 0) & (t <= c["n"][:, None] - 1), axis=1)


def _valid_length(c: Columns) -> np.ndarray:
    """Shifts at which the shorter input lies wholly inside the longer one, counted."""
    t = np.arange(RANGES["n"][1] + 1)[None, :]
    long, short = np.maximum(c["n"], c["k"]), np.minimum(c["n"], c["k"])
    return np.sum(t + short[:, None] <= long[:, None], axis=1)


@dataclass(frozen=True)
class Quantity:
    """The definition of one quantity under one convention, and how its truth is computed."""

    quantity: str
    convention: str
    variables: tuple[str, ...]
    layer: str
    meaning: str
    definition: str
    definition_latex: str
    truth: Callable[[Columns], np.ndarray]
    condition: str = ""
    is_valid: Callable[[Columns], np.ndarray] | None = None


def _fits(c: Columns) -> np.ndarray:
    pb, pa = _pads(c)
    return _span(c) <= c["n"] + pb + pa


def _transposed_valid(c: Columns) -> np.ndarray:
    size = transposed_output_size(c["n"], c["k"], c["s"], c["p"], c["op"], c["d"])
    return (c["op"] < np.maximum(c["s"], c["d"])) & (size >= 1)


def _pool_valid(c: Columns) -> np.ndarray:
    return (2 * c["p"] <= c["k"]) & _fits(c)


_CONV = "floor((n + {pads} - d*(k-1) - 1)/s) + 1"
_CONV_TEX = r"\left\lfloor \frac{{n + {pads} - d(k-1) - 1}}{{s}} \right\rfloor + 1"
_FITS = "the dilated kernel fits the padded input, d*(k-1) + 1 <= n + {pads}"
_SAME_TOTAL = "max((ceil(n/s) - 1)*s + d*(k-1) + 1 - n, 0)"
_SAME_TOTAL_TEX = (r"\max\left(\left(\left\lceil \tfrac{n}{s} \right\rceil - 1\right)s"
                   r" + d(k-1) + 1 - n,\ 0\right)")
_FRAMEWORKS = ("tensorflow", "keras", "jax")
_SAME_LAYER = {"tensorflow": "tensorflow convolution with padding='SAME'",
               "keras": "keras Conv1D with padding='same'",
               "jax": "jax.lax.conv_general_dilated with padding='SAME'"}
_VALID_LAYER = {"tensorflow": "tensorflow convolution with padding='VALID'",
                "keras": "keras Conv1D with padding='valid'"}
_WINDOWS = "the number of windows i >= 0 with s*i + d*(k-1) <= {length} - 1, counted"


def _entries() -> list[Quantity]:
    entries = [
        Quantity("output_size", "torch", ("n", "k", "s", "p", "d"),
                 "torch convolution (torch.nn.Conv1d, padding=p)",
                 _WINDOWS.format(length="n + 2*p"), _CONV.format(pads="2*p"),
                 _CONV_TEX.format(pads="2p"), _windows, _FITS.format(pads="2*p"), _fits),
        Quantity("output_size", "jax", ("n", "k", "s", "p_before", "p_after", "d"),
                 "jax convolution (lax.conv_general_dilated, padding=[(p_before, p_after)])",
                 _WINDOWS.format(length="n + p_before + p_after"),
                 _CONV.format(pads="p_before + p_after"),
                 _CONV_TEX.format(pads=r"p_{\mathrm{before}} + p_{\mathrm{after}}"), _windows,
                 _FITS.format(pads="p_before + p_after"), _fits),
        Quantity("transposed_output_size", "torch", ("n", "k", "s", "p", "d", "op"),
                 "torch transposed convolution (torch.nn.ConvTranspose1d)",
                 "symconv.geometry.transposed_output_size (checked against PyTorch)",
                 "(n-1)*s - 2*p + d*(k-1) + op + 1",
                 r"(n-1)s - 2p + d(k-1) + \mathrm{op} + 1", _transposed_output_size,
                 "op < max(s, d) and the output is not empty", _transposed_valid),
        Quantity("transposed_output_size", "keras", ("n", "k", "s", "d"),
                 "keras Conv1DTranspose (padding='valid', output_padding=None)",
                 "keras' deconv_output_length: n*s + max(d*(k-1) + 1 - s, 0)",
                 "n*s + max(d*(k-1) + 1 - s, 0)",
                 r"ns + \max\left(d(k-1) + 1 - s,\ 0\right)", _keras_transposed),
        Quantity("transposed_output_size", "tensorflow", ("n", "k", "s", "d"),
                 "tf.keras.layers.Conv1DTranspose (padding='valid', output_padding=None; "
                 "tf.nn.conv_transpose takes the size as output_shape)",
                 "keras' deconv_output_length: n*s + max(d*(k-1) + 1 - s, 0)",
                 "n*s + max(d*(k-1) + 1 - s, 0)",
                 r"ns + \max\left(d(k-1) + 1 - s,\ 0\right)", _keras_transposed),
        Quantity("transposed_output_size", "jax", ("n", "k", "s", "d"),
                 "jax.lax.conv_transpose (padding='VALID')",
                 "jax's _conv_transpose_padding('VALID') pads, then the conv shape rule "
                 "(n-1)*s + 2 + pads - (d*(k-1) + 1)",
                 "n*s + max(d*(k-1) + 1 - s, 0)",
                 r"ns + \max\left(d(k-1) + 1 - s,\ 0\right)", _jax_transposed("valid")),
        Quantity("transposed_same_output_size", "jax", ("n", "k", "s", "d"),
                 "jax.lax.conv_transpose (padding='SAME')",
                 "jax's _conv_transpose_padding('SAME') pads, then the conv shape rule "
                 "(n-1)*s + 2 + pads - (d*(k-1) + 1)", "n*s", "ns", _jax_transposed("same")),
        Quantity("pool_output_size", "torch", ("n", "k", "s", "p", "d"),
                 "torch max pooling (torch.nn.MaxPool1d, ceil_mode=False)",
                 _WINDOWS.format(length="n + 2*p"), _CONV.format(pads="2*p"),
                 _CONV_TEX.format(pads="2p"), _windows,
                 "2*p <= k and " + _FITS.format(pads="2*p"), _pool_valid),
        Quantity("pool_output_size_ceil", "torch", ("n", "k", "s", "p", "d"),
                 "torch max pooling (torch.nn.MaxPool1d, ceil_mode=True)",
                 "the number of windows i >= 0 with s*i < n + 2*p - d*(k-1) + s that start "
                 "inside the input or the left padding (s*i < n + p), counted",
                 "min(ceil((n + 2*p - d*(k-1) - 1)/s) + 1, ceil((n + p)/s))",
                 r"\min\left(\left\lceil \frac{n + 2p - d(k-1) - 1}{s} \right\rceil + 1,\ "
                 r"\left\lceil \frac{n + p}{s} \right\rceil\right)", _pool_ceil_windows,
                 "2*p <= k and " + _FITS.format(pads="2*p"), _pool_valid),
    ]
    for convention in ("tensorflow", "keras"):
        entries += [
            Quantity("output_size", convention, ("n", "k", "s", "d"), _VALID_LAYER[convention],
                     _WINDOWS.format(length="n"), "ceil((n - d*(k-1))/s)",
                     r"\left\lceil \frac{n - d(k-1)}{s} \right\rceil", _windows,
                     "d*(k-1) + 1 <= n", _fits),
            Quantity("pool_output_size", convention, ("n", "k", "s"),
                     _VALID_LAYER[convention].replace("convolution", "pooling")
                     .replace("Conv1D", "MaxPooling1D"),
                     _WINDOWS.format(length="n").replace(" + d*(k-1)", " + k - 1"),
                     "floor((n - k)/s) + 1", r"\left\lfloor \frac{n - k}{s} \right\rfloor + 1",
                     _windows, "k <= n", _fits),
        ]
    for convention in ("tensorflow", "keras"):
        entries.append(Quantity(
            "transposed_same_output_size", convention, ("n", "k", "s", "d"),
            f"{'tf.keras' if convention == 'tensorflow' else 'keras'}.layers.Conv1DTranspose "
            "(padding='same', output_padding=None)", "keras' deconv_output_length: n*s",
            "n*s", "ns", lambda c: c["n"] * c["s"]))
    for convention in _FRAMEWORKS:
        entries += _same_entries(convention)
    entries += _torch_same_entries()
    entries += _signal_entries()
    for convention in ("torch",) + _FRAMEWORKS:
        entries += _layer_entries(convention)
    return entries


def _transposed_output_size(c: Columns) -> np.ndarray:
    return transposed_output_size(c["n"], c["k"], c["s"], c["p"], c["op"], c["d"])


def _keras_transposed(c: Columns) -> np.ndarray:
    return c["n"] * c["s"] + np.maximum(_span(c) - c["s"], 0)


def _jax_transposed(padding: str) -> Callable[[Columns], np.ndarray]:
    """JAX's transposed output size: its pads of the zero-inserted input, then the shape rule."""
    def truth(c: Columns) -> np.ndarray:
        span, stride = _span(c), c["s"]
        pads = span + stride - 2 + (np.maximum(span - stride, 0) if padding == "valid" else 0)
        return (c["n"] - 1) * stride + 2 + pads - span
    return truth


def _same_entries(convention: str) -> list[Quantity]:
    layer = _SAME_LAYER[convention]
    source = "symconv.geometry.same_pads (TensorFlow's rule, odd pixel after)"
    variables = ("n", "k", "s", "d")
    return [
        Quantity("same_output_size", convention, ("n", "s"), layer,
                 "the number of window starts i >= 0 with s*i <= n - 1, counted",
                 "ceil(n/s)", r"\left\lceil \frac{n}{s} \right\rceil",
                 lambda c: _count_starts(c, c["n"] - 1)),
        Quantity("same_pad_total", convention, variables, layer, source, _SAME_TOTAL,
                 _SAME_TOTAL_TEX, _same(0)),
        Quantity("same_pad_before", convention, variables, layer, source,
                 f"floor({_SAME_TOTAL} / 2)",
                 r"\left\lfloor \tfrac{1}{2} P \right\rfloor,\ P = " + _SAME_TOTAL_TEX,
                 _same(1)),
        Quantity("same_pad_after", convention, variables, layer, source,
                 f"ceil({_SAME_TOTAL} / 2)",
                 r"\left\lceil \tfrac{1}{2} P \right\rceil,\ P = " + _SAME_TOTAL_TEX,
                 _same(2)),
    ]


def _torch_same_entries() -> list[Quantity]:
    layer = "torch convolution with padding='same' (stride 1 only)"
    source = "PyTorch's _ConvNd: total = d*(k-1), left = total // 2, right = the rest"
    return [
        Quantity("same_output_size", "torch", ("n",), layer, "the input size n", "n", "n",
                 lambda c: c["n"]),
        Quantity("same_pad_total", "torch", ("k", "d"), layer, source, "d*(k-1)", "d(k-1)",
                 _torch_same(0)),
        Quantity("same_pad_before", "torch", ("k", "d"), layer, source, "floor(d*(k-1)/2)",
                 r"\left\lfloor \tfrac{d(k-1)}{2} \right\rfloor", _torch_same(1)),
        Quantity("same_pad_after", "torch", ("k", "d"), layer, source, "ceil(d*(k-1)/2)",
                 r"\left\lceil \tfrac{d(k-1)}{2} \right\rceil", _torch_same(2)),
    ]


def _signal_entries() -> list[Quantity]:
    entries = []
    for convention, call in (("numpy", "np.convolve(x, w, mode)"),
                             ("scipy", "scipy.signal.convolve(x, w, mode)")):
        layer = f"{convention} convolution {call}, len(x) = n, len(w) = k"
        entries += [
            Quantity("full_length", convention, ("n", "k"), layer,
                     "the number of shifts t with -(k-1) <= t <= n-1, counted", "n + k - 1",
                     "n + k - 1", _full),
            Quantity("valid_length", convention, ("n", "k"), layer,
                     "the number of shifts placing the shorter input inside the longer, "
                     "counted", "max(n, k) - min(n, k) + 1",
                     r"\max(n, k) - \min(n, k) + 1", _valid_length),
        ]
    entries += [
        Quantity("same_length", "numpy", ("n", "k"), entries[0].layer,
                 "the length of the longer input (numpy centres on the longer one)",
                 "max(n, k)", r"\max(n, k)", lambda c: np.maximum(c["n"], c["k"])),
        Quantity("same_length", "scipy", ("n", "k"), entries[2].layer,
                 "the length of the first input (scipy keeps the size of in1)", "n", "n",
                 lambda c: c["n"]),
    ]
    return entries


_CONV_LAYERS = {
    "torch": (("n", "k", "s", "p", "d"), _FITS.format(pads="2*p")),
    "jax": (("n", "k", "s", "p_before", "p_after", "d"), _FITS.format(pads="p_before + p_after")),
    "tensorflow": (("n", "k", "s", "d"), "d*(k-1) + 1 <= n (padding='VALID')"),
    "keras": (("n", "k", "s", "d"), "d*(k-1) + 1 <= n (padding='valid')"),
}


def _layer_entries(convention: str) -> list[Quantity]:
    layer = f"single {convention} 1-D convolution layer (one channel in and out, no bias)"
    variables, condition = _CONV_LAYERS[convention]
    return [
        Quantity("receptive_field", convention, ("k", "d"), layer,
                 "the distance from the first to the last kernel tap, plus one",
                 "d*(k-1) + 1", "d(k-1) + 1", _span),
        Quantity("params", convention, ("k",), layer,
                 "the number of distinct kernel weights", "k", "k", lambda c: c["k"]),
        Quantity("macs", convention, variables, layer,
                 "the nonzeros of the correlation matrix: pairs (output i, tap j) whose input "
                 "index s*i + d*j - p_before lies in 0..n-1, counted",
                 "#{(i, j) : i < output_size, j < k, 0 <= s*i + d*j - p_before <= n - 1}",
                 r"\#\{(i, j) : i < o,\ j < k,\ 0 \le si + dj - p_{\mathrm{before}} \le n - 1\}",
                 _macs, condition, _fits),
    ]


#: Every supported ``(quantity, convention)`` pair and its definition.
QUANTITIES: dict[tuple[str, str], Quantity] = {(e.quantity, e.convention): e for e in _entries()}


def supported() -> dict[str, tuple[str, ...]]:
    """The supported quantities, each with its conventions.

    Examples
    --------
    >>> for quantity, conventions in supported().items():
    ...     print(f"{quantity}: {', '.join(conventions)}")
    output_size: torch, jax, tensorflow, keras
    transposed_output_size: torch, keras, tensorflow, jax
    transposed_same_output_size: jax, tensorflow, keras
    pool_output_size: torch, tensorflow, keras
    pool_output_size_ceil: torch
    same_output_size: tensorflow, keras, jax, torch
    same_pad_total: tensorflow, keras, jax, torch
    same_pad_before: tensorflow, keras, jax, torch
    same_pad_after: tensorflow, keras, jax, torch
    full_length: numpy, scipy
    valid_length: numpy, scipy
    same_length: numpy, scipy
    receptive_field: torch, tensorflow, keras, jax
    params: torch, tensorflow, keras, jax
    macs: torch, tensorflow, keras, jax
    """
    table: dict[str, tuple[str, ...]] = {}
    for quantity, convention in QUANTITIES:
        table[quantity] = table.get(quantity, ()) + (convention,)
    return table


def _lookup(quantity: str, convention: str) -> Quantity:
    table = supported()
    if quantity not in table:
        raise _fail(f"unknown quantity {quantity!r} (valid: {', '.join(table)})")
    if (quantity, convention) not in QUANTITIES:
        pairs = "; ".join(f"{q}: {', '.join(c)}" for q, c in table.items())
        raise _fail(f"quantity {quantity!r} is not defined for convention {convention!r} "
                    f"(valid conventions for it: {', '.join(table[quantity])}; all pairs: "
                    f"{pairs})")
    return QUANTITIES[quantity, convention]


def _fixed_values(entry: Quantity, fixed: Any) -> dict[str, int]:
    """``fixed`` validated and keyed by canonical names (``pb`` -> ``p_before``)."""
    if fixed is None:
        return {}
    if not isinstance(fixed, Mapping):
        raise _fail(f"fixed must be a mapping of variable names to integers, e.g. "
                    f"{{'d': 1}}, got {fixed!r} ({type(fixed).__name__})")
    values: dict[str, int] = {}
    for name, value in fixed.items():
        canonical = ALIASES.get(name, name) if isinstance(name, str) else name
        if canonical not in entry.variables:
            raise _fail(f"cannot fix {name!r}: {entry.quantity} ({entry.convention}) has the "
                        f"variables {', '.join(entry.variables)}")
        if canonical in values:
            raise _fail(f"{canonical} is fixed twice (as {_alias_of(canonical)} and "
                        f"{canonical}); fix each variable once")
        low, high = RANGES[canonical]
        if not is_integer(value) or not low <= value <= high:
            raise _fail(f"fixed {name} must be an integer in {low}..{high}, got {value!r}")
        values[canonical] = int(value)
    return values


def _ranges(entry: Quantity, fixed: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    ranges = {v: RANGES[v] for v in entry.variables}
    for name, value in _fixed_values(entry, fixed).items():
        ranges[name] = (value, value)
    return ranges


def _domain(entry: Quantity, ranges: dict[str, tuple[int, int]]) -> tuple[Columns, str]:
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


def _smallest(failing: np.ndarray, columns: Columns) -> int:
    """Index of the failing point with the least sum of variables, then lexicographically."""
    index = np.flatnonzero(failing)
    names = list(columns)
    total = sum(columns[v][index] for v in names)
    order = np.lexsort([columns[v][index] for v in reversed(names)] + [total])
    return int(index[order[0]])


def _formula_value(num: Any, den: Any, undefined: bool) -> int | sympy.Rational | str:
    if undefined:
        return "undefined (division by zero)"
    value = sympy.Rational(int(num), int(den))
    return int(value) if value.is_Integer else value


def _explain(value: Any, truth: int) -> str:
    if isinstance(value, str):
        return "the formula divides by zero there"
    if not isinstance(value, int):
        return f"the formula is not an integer there ({value}), so it cannot be a size"
    return f"the formula is off by {value - truth:+d} there"


def _tex_name(quantity: str) -> str:
    return r"\mathrm{" + quantity.replace("_", r"\_") + "}"


def _value_tex(value: Any) -> str:
    return r"\text{undefined}" if isinstance(value, str) else sympy.latex(value)


def _steps(text: str, expr: sympy.Expr, entry: Quantity, domain: str, points: int,
           counterexample: dict[str, Any] | None, failures: int) -> list[Step]:
    name = _tex_name(entry.quantity)
    steps = [
        Step("Claim", f"The formula {text.strip()} claims to give the {entry.quantity} of a "
             f"{entry.layer}. It is evaluated exactly as written (Python's arithmetic, % "
             "included); below is its SymPy form (a % b written a - b*floor(a/b)), which "
             "serves only the proof for all sizes:",
             (Math(f"{name} = {sympy.latex(expr)}", f"{entry.quantity} = {expr}"),)),
        Step("Definition", f"Under the {entry.convention} convention the {entry.quantity} of a "
             f"{entry.layer} is {entry.meaning}; as a formula:",
             (Math(f"{name} = {entry.definition_latex}",
                   f"{entry.quantity} = {entry.definition}"),)),
        Step("Domain", f"Both sides are evaluated exactly (integers and rationals, no floats) "
             f"at every point of the domain, {domain}; {points} points checked."),
    ]
    if counterexample is None and points:
        steps.append(Step("Finite domain", f"The formula equals the {entry.quantity} at all "
                          f"{points} points of the domain D above. That is exhaustive evidence "
                          "on D only; the claim is about all sizes."))
    if counterexample is None:
        return steps
    point = {v: counterexample[v] for v in entry.variables}
    at = r",\ ".join(f"{sympy.latex(SYMBOLS[v])}={x}" for v, x in point.items())
    formula, truth = counterexample["formula"], counterexample["truth"]
    steps.append(Step(
        "Counterexample",
        f"The formula disagrees at {failures} of {points} points. The smallest (least sum of "
        f"the variables, then lexicographically in the order {', '.join(entry.variables)}) is "
        f"{', '.join(f'{v}={x}' for v, x in point.items())}: the formula gives {formula}, the "
        f"truth is {truth}; {_explain(formula, truth)}.",
        (Math(rf"\left. {sympy.latex(expr)} \right|_{{{at}}} = {_value_tex(formula)} "
              rf"\neq {truth}", f"formula = {formula}, truth = {truth}"),)))
    return steps


def truth_table(quantity: str, convention: str, fixed: Mapping[str, int] | None = None
                ) -> tuple[Columns, np.ndarray, str]:
    """The domain of a quantity, its true values there, and the domain in words.

    Examples
    --------
    >>> columns, truth, words = truth_table("same_pad_total", "torch")
    >>> columns["k"][:4].tolist(), columns["d"][:4].tolist(), truth[:4].tolist()
    ([1, 1, 1, 2], [1, 2, 3, 1], [0, 0, 0, 1])
    >>> words
    'every 1-D point with 1<=k<=7, 1<=d<=3 (21 points)'
    """
    entry = _lookup(quantity, convention)
    columns, words = _domain(entry, _ranges(entry, dict(fixed or {})))
    return columns, np.asarray(entry.truth(columns), dtype=np.int64), words


def check_formula(expr: str, quantity: str = "output_size", convention: str = "torch", *,
                  fixed: Mapping[str, int] | None = None) -> Proof:
    """Check a size formula against the true quantity on every point of a 1-D domain.

    Parameters
    ----------
    expr : str
        The formula, in the grammar of :func:`parse_formula`; it may use only the
        variables of the chosen quantity.
    quantity : str
        One of :func:`supported` (``output_size``, ``pool_output_size_ceil``, ...).
    convention : str
        A convention defined for ``quantity``; the pairs and their meaning:

        - ``output_size``: torch = ``Conv1d(padding=p)`` (n, k, s, p, d); jax =
          ``conv_general_dilated`` with explicit ``[(p_before, p_after)]``;
          tensorflow, keras = ``padding='VALID'`` (n, k, s, d, no padding variable).
        - ``transposed_output_size``: torch = ``ConvTranspose1d`` (n, k, s, p, d, op);
          keras, tensorflow = ``(tf.)keras Conv1DTranspose(padding='valid',
          output_padding=None)``, jax = ``lax.conv_transpose(padding='VALID')`` (n, k, s, d).
        - ``transposed_same_output_size``: the same layers with SAME padding (n, k, s, d).
        - ``pool_output_size`` / ``pool_output_size_ceil``: torch = ``MaxPool1d``
          with ``ceil_mode`` False / True (n, k, s, p, d; ``2p <= k``); tensorflow,
          keras = VALID pooling (n, k, s).
        - ``same_output_size``, ``same_pad_total``, ``same_pad_before``,
          ``same_pad_after``: tensorflow, keras, jax = ``padding='SAME'`` (odd pixel
          after); torch = ``padding='same'``, defined at stride 1 only.
        - ``full_length``, ``valid_length``, ``same_length``: numpy =
          ``np.convolve``, scipy = ``scipy.signal.convolve`` (n, k; any k).
        - ``receptive_field`` (k, d), ``params`` (k), ``macs`` (as ``output_size``):
          one layer, one channel in and out, no bias; torch, tensorflow, keras, jax.
    fixed : mapping of str to int, optional
        Hold some variables at one value, e.g. ``{"d": 1}`` for a formula that
        ignores dilation; the domain then says so.

    Returns
    -------
    Proof
        The formula is read as a tree of the text exactly as written
        (:func:`parse_tree`) and evaluated exactly on it; the verdict is about all
        sizes (``scope="all sizes"``):

        - ``"refuted"``: the smallest failing point of the finite domain (least sum
          of the variables, then lexicographic) with both values; or, when the
          domain agrees, the smallest failing point among seeded random, boundary
          and targeted points (around every constant of the formula and the values
          its parts take at small sizes, up to :data:`TARGET_CAP`), judged by the
          quantity's closed form proved for all sizes; the domain then names that
          sample.
        - ``"proved"`` with evidence ``["parametric", "exhaustive"]``: the domain
          agrees, the SymPy form (:func:`to_sympy`) agrees with the tree at every
          point of the domain and of the large sample, and :mod:`symconv.parametric`
          proves that form equal to the truth for all sizes.
        - ``"verified"`` with evidence ``["exhaustive"]``: the domain D (named in
          ``domain``) and the large sample agree but there is no proof for all
          sizes: none found, the proof search ran out of
          :data:`symconv.parametric.PROOF_BUDGET` (a step says "undecided within
          budget"), or the SymPy form differs from the tree somewhere (a step says
          so and the form is not used).
        - ``"vacuous"`` with no evidence: the ``fixed`` values leave no point in the
          finite domain (e.g. ``p=3, k=1`` for pooling, which needs ``2p <= k``);
          nothing is checked or proved.

    Raises
    ------
    FormulaError
        For a formula outside the grammar, an unknown quantity or convention, or a
        bad ``fixed`` (not a mapping; an unknown, repeated or out-of-range name).

    Examples
    --------
    >>> p = check_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1")
    >>> p.verdict, p.evidence
    ('proved', ['parametric', 'exhaustive'])
    >>> print(p.domain)
    every valid 1-D geometry with 1<=n<=64, 1<=k<=7, 1<=s<=4, 0<=p<=3, 1<=d<=3 where the
    dilated kernel fits the padded input, d*(k-1) + 1 <= n + 2*p (20216 points)
    >>> check_formula("max(k - n % s, 0)", "same_pad_total", "tensorflow",
    ...               fixed={"d": 1}).counterexample
    {'n': 1, 'k': 1, 's': 1, 'd': 1, 'formula': 1, 'truth': 0}
    >>> check_formula("12345", "pool_output_size", fixed={"p": 3, "k": 1}).verdict
    'vacuous'
    """
    entry = _lookup(quantity, convention)
    fixed = _fixed_values(entry, fixed)
    tree, divisors = _parse(expr, entry.variables)
    parsed = to_sympy(tree)
    columns, truth, domain = truth_table(quantity, convention, fixed)
    num, den, undefined = evaluate_many(tree, columns)
    failing = undefined | np.asarray(num != truth.astype(object) * den, dtype=bool)
    counterexample = None
    if failing.any():
        i = _smallest(failing, columns)
        counterexample = {v: int(columns[v][i]) for v in entry.variables}
        counterexample["formula"] = _formula_value(num[i], den[i], bool(undefined[i]))
        counterexample["truth"] = int(truth[i])
    parameters: dict[str, Any] = {"formula": expr, "quantity": quantity,
                                  "convention": convention}
    if fixed:
        parameters["fixed"] = fixed
    points = len(truth)
    steps = _steps(expr, parsed, entry, domain, points, counterexample, int(failing.sum()))
    evidence = ["exhaustive"]
    if points == 0:
        evidence = []
        steps.append(_empty_domain_step(entry, fixed))
    elif counterexample is None:
        counterexample, evidence, domain, more = _beyond_the_domain(
            tree, divisors, entry, fixed, columns, domain)
        steps += more
    if counterexample is not None:
        verdict, evidence = "refuted", []
    elif points == 0:
        verdict = "vacuous"
    else:
        verdict = "proved" if "parametric" in evidence else "verified"
    return Proof(
        theorem="formula",
        statement=f"{expr.strip()} is the {quantity} of a {entry.layer}",
        statement_latex=f"{_tex_name(quantity)} = {sympy.latex(parsed)}",
        parameters=parameters,
        verdict=verdict,
        evidence=evidence,
        counterexample=counterexample,
        steps=steps,
        domain=domain,
        scope="all sizes",
    )


def _empty_domain_step(entry: Quantity, fixed: Mapping[str, int]) -> Step:
    held = ", ".join(f"{v}={x}" for v, x in fixed.items())
    return Step("Empty domain", f"With {held} held fixed no point of the finite domain "
                f"satisfies {entry.condition or 'the domain'}: nothing was checked, and no "
                "proof for all sizes was attempted (with these values the conditions may hold "
                "nowhere, and a proof under unsatisfiable assumptions says nothing). The "
                "check is vacuous (verdict 'vacuous').")


def _beyond_the_domain(tree: Node, divisors: Sequence[Node], entry: Quantity,
                       fixed: Mapping[str, int], columns: Columns, domain: str
                       ) -> tuple[dict[str, Any] | None, list[str], str, list[Step]]:
    """After the finite domain passed: the reading check, the proof for all sizes, or
    the search at large sizes. Returns the counterexample, evidence, domain and steps."""
    from .parametric import PROOF_BUDGET, ProofBudgetExceeded, formula_proof

    parsed = to_sympy(tree)
    guards = tuple(dict.fromkeys(g for g in map(to_sympy, divisors) if not g.is_number))
    large = _large_points(tree, entry, fixed, columns)
    mismatch = _reading_mismatch(tree, parsed, guards, (columns, large))
    size = len(next(iter(large.values()))) if large else 0
    if mismatch is not None:
        steps = [Step("SymPy form not used", f"The SymPy form of the formula, {parsed}, "
                      f"differs from the formula as written at {mismatch}. SymPy rewrote "
                      "the formula as it built it, so that form is not used to prove "
                      "anything: only the exact evaluation of the text as written decides, "
                      "and the claim is at most verified on a finite domain.")]
        counterexample, words, more = _large_search(tree, entry, fixed, large)
        return counterexample, ["exhaustive"], words, steps + more
    steps = [Step("Reading check", "The SymPy form handed to the prover for all sizes was "
                  "evaluated exactly and independently of the formula as written (its text "
                  f"read as a tree, Python's arithmetic) at every point of the domain and at "
                  f"{size} large points: they agree at every one.")]
    try:
        for_all = formula_proof(parsed, entry.quantity, entry.convention, dict(fixed),
                                divisors=guards)
    except ProofBudgetExceeded:
        for_all = None
        steps.append(Step("Proof search out of budget", "The search for a proof for all "
                          f"sizes used up its budget of {PROOF_BUDGET} steps "
                          "(symconv.parametric.PROOF_BUDGET) and stopped: undecided within "
                          "budget, so the claim is not proved for all sizes."))
    if for_all is not None and for_all.check():
        return None, ["parametric", "exhaustive"], domain, steps + for_all.steps()
    counterexample, words, more = _large_search(tree, entry, fixed, large)
    if counterexample is not None:  # the ordered search's point is smaller than a model
        return counterexample, ["exhaustive"], words, steps + more
    from .certify import decide_formula

    decision = decide_formula(parsed, entry, dict(fixed), guards)
    steps += decision.steps
    if decision.proved:
        return None, ["parametric", "exhaustive"], domain, steps
    found = decision.counterexample
    if found is not None and _written_value(tree, entry, found) == found["formula"]:
        return found, ["exhaustive"], "all valid sizes (SMT model)", steps
    return None, ["exhaustive"], words, steps + more


def _written_value(tree: Node, entry: Quantity, point: Mapping[str, Any]) -> Any:
    """The formula as written (the tree) at a solver's model, as the counterexample shows it."""
    value = evaluate(tree, {v: int(point[v]) for v in entry.variables})
    if value is None:
        return "undefined (division by zero)"
    return int(value) if isinstance(value, int) else sympy.Rational(value.numerator,
                                                                    value.denominator)


def _reading_mismatch(tree: Node, parsed: sympy.Expr, guards: Sequence[sympy.Expr],
                      samples: Sequence[Columns]) -> str | None:
    """The first point where the SymPy form and the tree (the text) differ, in words."""
    for columns in samples:
        if not columns or not len(next(iter(columns.values()))):
            continue
        t_num, t_den, t_bad = evaluate_many(tree, columns)
        try:
            s_num, s_den, s_bad = evaluate_many(parsed, columns)
            s_bad = s_bad | undefined_by_guards(guards, columns)
        except FormulaError as error:
            return f"every point: the SymPy form cannot be evaluated ({error})"
        differ = (t_bad != s_bad) | (~t_bad & np.asarray(t_num * s_den != s_num * t_den,
                                                          dtype=bool))
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            at = ", ".join(f"{v}={int(c[i])}" for v, c in columns.items())
            written = _formula_value(t_num[i], t_den[i], bool(t_bad[i]))
            read = _formula_value(s_num[i], s_den[i], bool(s_bad[i]))
            return f"{at} (as written: {written}; SymPy form: {read})"
    return None


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


def _large_points(tree: Node, entry: Quantity, fixed: Mapping[str, int],
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


def _large_search(tree: Node, entry: Quantity, fixed: Mapping[str, int], columns: Columns
                  ) -> tuple[dict[str, Any] | None, str, list[Step]]:
    """A counterexample among large points, judged by the definition proved for all sizes."""
    from .parametric import closed_form, definition_proof, specialised

    domain = _domain(entry, _ranges(entry, dict(fixed)))[1]
    convention = specialised(entry.quantity, entry.convention, dict(fixed))
    if definition_proof(entry.quantity, convention) is None:
        return None, domain, [Step(
            "Not proved for all sizes", "No proof for all sizes was found and this quantity "
            "has no closed form proved for all sizes to search large sizes with: the claim "
            f"is verified only on the finite domain D = {domain}, not proved.")]
    definition = parse_tree(*closed_form(entry.quantity, convention)[:2])
    num, den, undefined = evaluate_many(tree, columns)
    t_num, t_den, _ = evaluate_many(definition, columns)
    failing = undefined | np.asarray(num * t_den != t_num * den, dtype=bool)
    count = len(next(iter(columns.values())))
    words = (f"{count} seeded random points, boundary points and targeted points (around "
             "the formula's constants and the values its parts take at small sizes) with "
             "sizes up to "
             + ", ".join(f"{v}<={LARGE[v]}" for v in entry.variables if v not in fixed)
             + f" (targeted points up to {TARGET_CAP})")
    if not failing.any():
        return None, domain, [Step(
            "Not proved for all sizes", "No proof for all sizes was found: the formula is "
            f"verified only on the finite domain D = {domain}, not proved. A search of "
            f"{words} against the closed form (itself proved for all sizes) found no "
            "counterexample; that is support, not proof.")]
    i = _smallest(failing, columns)
    point = {v: int(columns[v][i]) for v in entry.variables}
    truth = _formula_value(t_num[i], t_den[i], False)
    value = _formula_value(num[i], den[i], bool(undefined[i]))
    counterexample = {**point, "formula": value, "truth": truth}
    return counterexample, words, [Step(
        "Counterexample at large sizes", f"The formula agrees on the whole finite domain but "
        f"not for all sizes: among {words}, the smallest failing point is "
        f"{', '.join(f'{v}={x}' for v, x in point.items())}, where the formula gives {value} "
        f"and the {entry.quantity} (its closed form, proved for all sizes) is {truth}; "
        f"{_explain(value, truth)}.")]
