"""Display items (:class:`~symconv.proof.Math`, :class:`~symconv.proof.Display`) as LaTeX or text.

Large matrices are elided: the first rows and columns, then ``\\vdots`` /
``\\cdots`` / ``\\ddots``, then the last row and column, so that a 64x256 C stays
readable. The LaTeX uses only ``bmatrix`` (accepted by amsmath and KaTeX).

Examples
--------
>>> import sympy
>>> from symconv.proof import Display
>>> print(item_latex(Display("C", sympy.Matrix([[1, 2], [3, 4]]))))
C = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}
>>> print(matrix_latex(sympy.eye(20), max_rows=4, max_cols=4))
\\begin{bmatrix} 1 & 0 & 0 & \\cdots & 0 \\\\ 0 & 1 & 0 & \\cdots & 0 \\\\
0 & 0 & 1 & \\cdots & 0 \\\\ \\vdots & \\vdots & \\vdots & \\ddots & \\vdots \\\\
0 & 0 & 0 & \\cdots & 1 \\end{bmatrix}
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import sympy
from sympy.core.mul import _keep_coeff
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import precedence

from ..errors import FormulaError
from ..proof import Display, ExactText, Math
from ..sizes.parse import Node, parse_tree
from .escape import BREAK, escape_text

#: Default largest matrix shown whole; larger ones are elided.
MAX_ROWS = 12
MAX_COLS = 12


def as_matrix(value: Any) -> sympy.MatrixBase | None:
    """``value`` as a SymPy matrix (a 1-D array is a row), or None if it is not one.

    Examples
    --------
    >>> as_matrix(sympy.Array([1, 2])), as_matrix(3)
    (Matrix([[1, 2]]), None)
    """
    if isinstance(value, sympy.MatrixBase):
        return value
    if isinstance(value, sympy.NDimArray):
        if value.rank() == 1:
            return sympy.Matrix(value.tolist()).T
        if value.rank() == 2:
            return sympy.Matrix(value.tolist())
    return None


def kept(size: int, limit: int) -> tuple[list[int], bool]:
    """Indices shown along one axis, and whether an ellipsis goes before the last one."""
    if size <= limit:
        return list(range(size)), False
    return list(range(limit - 1)) + [size - 1], True


def matrix_latex(m: sympy.MatrixBase, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """``bmatrix`` LaTeX for ``m``, elided beyond ``max_rows`` x ``max_cols``.

    Examples
    --------
    >>> import sympy
    >>> print(matrix_latex(sympy.Matrix([[sympy.Symbol("k_{0}"), 0]])))
    \\begin{bmatrix} k_{0} & 0 \\end{bmatrix}
    """
    rows, cut_r = kept(m.rows, max_rows)
    cols, cut_c = kept(m.cols, max_cols)
    lines = []
    for a, i in enumerate(rows):
        if cut_r and a == len(rows) - 1:
            dots = [r"\vdots"] * (len(cols) - 1)
            lines.append(dots + ([r"\ddots"] if cut_c else []) + [r"\vdots"])
        cells = [sympy.latex(m[i, j]) for j in cols]
        if cut_c:
            cells.insert(len(cells) - 1, r"\cdots")
        lines.append(cells)
    body = r" \\ ".join(" & ".join(cells) for cells in lines)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def matrix_plain(m: sympy.MatrixBase, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A fixed-width text grid for ``m``, elided like :func:`matrix_latex`.

    Examples
    --------
    >>> import sympy
    >>> print(matrix_plain(sympy.Matrix([[1, 20], [300, 4]])))
    [  1  20]
    [300   4]
    """
    rows, cut_r = kept(m.rows, max_rows)
    cols, cut_c = kept(m.cols, max_cols)
    grid = []
    for a, i in enumerate(rows):
        if cut_r and a == len(rows) - 1:
            grid.append([":"] * (len(cols) + cut_c))
        cells = [sympy.sstr(m[i, j]) for j in cols]
        if cut_c:
            cells.insert(len(cells) - 1, "...")
        grid.append(cells)
    widths = [max(len(row[c]) for row in grid) for c in range(len(grid[0]))]
    return "\n".join("[" + " ".join(cell.rjust(w) for cell, w in zip(row, widths)) + "]"
                     for row in grid)


def value_latex(value: Any, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """LaTeX for any SymPy value, matrices through :func:`matrix_latex`."""
    m = as_matrix(value)
    if m is not None:
        return matrix_latex(m, max_rows, max_cols)
    return sympy.latex(value)


def value_plain(value: Any, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """Plain text for any SymPy value, matrices through :func:`matrix_plain`."""
    m = as_matrix(value)
    if m is not None:
        return matrix_plain(m, max_rows, max_cols)
    return sympy.sstr(value)


def item_latex(item: Math | Display, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A display item as one LaTeX equation (no surrounding ``$$``)."""
    if isinstance(item, Math):
        return item.latex
    body = value_latex(item.value, max_rows, max_cols)
    return f"{item.label_latex} = {body}" if item.label_latex else body


def item_plain(item: Math | Display, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A display item as terminal text; a multi-line value starts on its own line."""
    if isinstance(item, Math):
        return item.plain
    body = value_plain(item.value, max_rows, max_cols)
    label = item.label_plain or item.label_latex
    if not label:
        return body
    return f"{label} =\n{body}" if "\n" in body else f"{label} = {body}"


def counterexample_heading(proof: Any) -> str:
    """"Smallest counterexample" only when a domain was searched in order of size.

    Examples
    --------
    >>> from symconv.proof import Proof
    >>> counterexample_heading(Proof("t", "s", "s", {}, "refuted", [], {"n": 1}))
    'Counterexample'
    """
    return "Smallest counterexample" if proof.domain else "Counterexample"



# ---------------------------------------------------------------------------
# SymPy values in symconv's conventions
# ---------------------------------------------------------------------------

#: Functions set upright with ``\operatorname`` (others of more than one letter get ``\mathrm``).
FUNCTIONS = frozenset({"floor", "ceiling", "ceil", "Max", "Min", "max", "min", "Abs", "abs",
                       "sqrt", "exp", "log", "sin", "cos", "mod", "Mod", "flip"})

_NAME = re.compile(r"([A-Za-z][A-Za-z0-9]*)(?:_(\{[A-Za-z0-9, ]*\}|[A-Za-z0-9]+))?")
_GREEK = frozenset({"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "theta",
                    "lambda", "mu", "pi", "sigma", "omega", "Sigma"})


def name_latex(name: str) -> str:
    r"""A name as symconv writes it: one letter in italics, longer ones upright, a word
    as subscript upright (``p_before``), digits and index lists as written.

    Examples
    --------
    >>> name_latex("w_0"), name_latex("k_{0,1}"), name_latex("p_before"), name_latex("op")
    ('w_{0}', 'k_{0,1}', 'p_{\\mathrm{before}}', '\\mathrm{op}')
    """
    found = _NAME.fullmatch(name)
    if found is None:
        return sympy.latex(sympy.Symbol(name))
    base, sub = found.groups()
    if len(base) > 1:
        base = (r"\operatorname{" if base in FUNCTIONS else r"\mathrm{") + base + "}"
    if not sub:
        return base
    if sub.startswith("{"):
        return base + "_" + sub
    return base + "_{" + (r"\mathrm{" + sub + "}" if len(sub) > 1 and sub.isalpha()
                          else sub) + "}"


class SymconvLatexPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer in symconv's conventions, for values of counterexamples and
    witnesses: products with a thin space (``2\,k``), quotients on the line (``a/3``), the
    terms and factors in the order of ``str()``, functions upright, names as
    :func:`name_latex` writes them, plain parentheses.

    Examples
    --------
    >>> x, p = sympy.symbols("x_0 p")
    >>> print(expression_latex(2 * x * (x + p) / 3))
    2\,x_{0}\,(p + x_{0})/3
    >>> print(expression_latex(1 / (1 - p)), expression_latex(sympy.floor(x / 2) + p**2))
    1/(1 - p) p^{2} + \operatorname{floor}(x_{0}/2)
    """

    printmethod = "_symconv_latex"

    def _add_parens(self, s: str) -> str:
        return "(" + s + ")"

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        base = expr.name.partition("_")[0]
        if base in _GREEK or _NAME.fullmatch(expr.name) is None:
            return super()._print_Symbol(expr, style)
        return name_latex(expr.name)

    def _print_Rational(self, expr: sympy.Rational) -> str:
        if expr.q == 1:
            return str(expr.p)
        return ("- " if expr.p < 0 else "") + f"{abs(expr.p)}/{expr.q}"

    def _print_Tuple(self, expr: Any) -> str:
        items = [self._print(item) for item in expr]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"

    _print_tuple = _print_Tuple

    def _print_Function(self, expr: Any, exp: Any = None) -> str:
        name = expr.func.__name__
        head = name_latex(name) if len(name) > 1 or name in FUNCTIONS else name
        text = head + "(" + ", ".join(self._print(a) for a in expr.args) + ")"
        return text if exp is None else f"{text}^{{{exp}}}"

    _print_floor = _print_ceiling = _print_Max = _print_Min = _print_Function
    _print_Abs = _print_log = _print_Mod = _print_Function

    def _print_ExpBase(self, expr: Any, exp: Any = None) -> str:
        return self._print_Function(sympy.Function("exp")(expr.exp), exp)

    def _print_Pow(self, expr: sympy.Pow) -> str:
        if expr.exp is sympy.S.Half:
            return r"\sqrt{" + self._print(expr.base) + "}"
        if expr.is_commutative and expr.exp.is_Rational and expr.exp.is_negative:
            return self._print_Mul(expr)
        base = self.parenthesize(expr.base, precedence(expr), strict=True)
        exponent = self._print(expr.exp)
        if not (expr.exp.is_Atom and not expr.exp.could_extract_minus_sign()):
            exponent = "(" + exponent + ")"
        return f"{base}^{{{exponent}}}"

    def _print_Mul(self, expr: Any) -> str:
        # the factors and quotient of SymPy's str() (StrPrinter._print_Mul), set in LaTeX
        level = precedence(expr)
        c, rest = expr.as_coeff_Mul()
        sign = ""
        if c < 0:
            expr, sign = _keep_coeff(-c, rest), "- "
        above, below = [], []
        for item in expr.as_ordered_factors():
            if (item.is_commutative and isinstance(item, sympy.Pow)
                    and bool(item.exp.as_coeff_Mul()[0] < 0)):
                below.append(item.base if item.exp is sympy.S.NegativeOne
                             else sympy.Pow(item.base, -item.exp, evaluate=False))
            elif item.is_Rational and item is not sympy.S.Infinity:
                above += [sympy.Integer(item.p)] if item.p != 1 else []
                below += [sympy.Integer(item.q)] if item.q != 1 else []
            else:
                above.append(item)
        top = r"\,".join(self.parenthesize(f, level, strict=False) for f in above or [1])
        bottom = [self.parenthesize(f, level, strict=False) for f in below]
        if not bottom:
            return sign + top
        if len(bottom) == 1:
            return sign + top + "/" + bottom[0]
        return sign + top + "/(" + r"\,".join(bottom) + ")"


_PRINTER = SymconvLatexPrinter()


def expression_latex(value: Any) -> str:
    """LaTeX of a SymPy value (or a tuple of them) through :class:`SymconvLatexPrinter`.

    Examples
    --------
    >>> expression_latex(sympy.Eq(sympy.Symbol("p"), sympy.Rational(1, 2)))
    'p = 1/2'
    """
    return _PRINTER.doprint(value)


def exact_latex(value: Any, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """LaTeX of the exact value behind a counterexample's text
    (:class:`~symconv.proof.ExactText`): a matrix elided, a tuple item by item, a number
    or expression through :func:`expression_latex`.

    Examples
    --------
    >>> exact_latex((sympy.Rational(1, 4), sympy.Rational(3, 4))), exact_latex(Fraction(-2, 3))
    ('(1/4, 3/4)', '- 2/3')
    """
    if as_matrix(value) is not None:
        return value_latex(value, max_rows, max_cols)
    if isinstance(value, (tuple, list, sympy.Tuple)):
        items = [exact_latex(v, max_rows, max_cols) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, Fraction):
        value = sympy.Rational(value.numerator, value.denominator)
    return expression_latex(sympy.sympify(value, strict=True))


# ---------------------------------------------------------------------------
# Size formulas given as text, read by symconv's own grammar
# ---------------------------------------------------------------------------

#: How tightly each operator of a size formula binds (the grammar's precedence).
_BINDING = {"+": 1, "-": 1, "*": 2, "/": 2, "//": 2, "%": 2, "neg": 3, "**": 4}


def formula_latex(text: str) -> str | None:
    r"""LaTeX of a size formula written as text, term for term as written, or None when the
    text is no formula of :mod:`symconv.sizes.parse`'s grammar (nothing is evaluated).

    Examples
    --------
    >>> print(formula_latex("floor((n + p_before - d*(k - 1) - 1)/s) + 1"))
    \operatorname{floor}((n + p_{\mathrm{before}} - d\,(k - 1) - 1)/s) + 1
    >>> print(formula_latex("2.9"), formula_latex("-n % 2"), formula_latex("x = 1"))
    2.9 - n \bmod 2 None
    """
    try:
        return _node_latex(parse_tree(text))
    except FormulaError:
        return None


def _node_latex(node: Node) -> str:
    if node.op == "number":
        value = node.value
        if value.denominator == 1:
            return str(value.numerator)
        return str(Decimal(value.numerator) / Decimal(value.denominator))
    if node.op == "variable":
        return name_latex(node.value)
    if node.op not in _BINDING:
        return (name_latex(node.op) + "(" + ", ".join(_node_latex(a) for a in node.args)
                + ")")
    binding = _BINDING[node.op]

    def operand(child: Node, tight: bool) -> str:
        inner = _BINDING.get(child.op, 5)
        text = _node_latex(child)
        return f"({text})" if inner < binding or (tight and inner == binding) else text

    if node.op == "neg":
        return "- " + operand(node.args[0], False)
    if node.op == "**":
        return operand(node.args[0], True) + "^{" + str(node.value) + "}"
    left, right = operand(node.args[0], False), operand(node.args[1], True)
    if node.op == "//":
        return rf"\left\lfloor {left}/{right} \right\rfloor"
    joint = {"+": " + ", "-": " - ", "*": r"\,", "/": "/", "%": r" \bmod "}[node.op]
    return left + joint + right


# ---------------------------------------------------------------------------
# Values of counterexamples, witnesses and parameters
# ---------------------------------------------------------------------------

def value_math(value: Any, max_rows: int = MAX_ROWS, max_cols: int = 12) -> str:
    """Math-mode LaTeX for a counterexample or witness value of any kind.

    Examples
    --------
    >>> value_math((4, 4)), value_math((24,)), value_math(3), value_math("n + 2*p")
    ('(4, 4)', '(24,)', '3', 'n + 2\\\\,p')
    >>> value_math("same")
    '\\\\text{same}'
    >>> value_math("statement fails"), value_math("pool-6-3-2")
    ('\\\\text{statement fails}', '\\\\text{pool-6-3-2}')
    >>> print(value_math(("same", "valid")))
    (\\text{same}, \\allowbreak \\text{valid})
    """
    if isinstance(value, ExactText):
        return exact_latex(value.value, max_rows, max_cols)
    if isinstance(value, bool) or value is None:
        return r"\text{" + str(value) + "}"
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (list, tuple)) for v in value):
            try:
                return value_latex(sympy.Matrix(value), max_rows, max_cols)
            except (ValueError, TypeError, sympy.SympifyError):
                pass
        items = [value_math(v, max_rows, max_cols) for v in value]
        # a line of inline math breaks only at relations and operators: allow it between words
        comma = r", \allowbreak " if any(item.startswith(r"\text{") for item in items) else ", "
        return "(" + comma.join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, (sympy.Basic, sympy.MatrixBase, sympy.NDimArray)):
        return value_latex(value, max_rows, max_cols)
    if isinstance(value, (int, float)):
        return str(value)
    if hasattr(value, "tolist"):
        return value_math(value.tolist(), max_rows, max_cols)
    text = str(value)
    if not (_PROSE.search(text) or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ .]*", text)):
        formula = formula_latex(text)
        if formula is not None:
            return formula
    return _text_in_math(escape_text(text))


#: Text that is prose or a name, not an expression: two words in a row ("the window"),
#: or a name with hyphens ("pool-6-3-2"); it is set as text, never as a formula.
_PROSE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}|^[A-Za-z]{2,}(?:-[A-Za-z0-9]+)+$")


def _text_in_math(escaped: str) -> str:
    r"""Escaped prose placed in math mode: its text runs in ``\text{}``, its ``$..$`` symbols
    (``\ge`` from ``>=``) left in math, where they are valid. Text in math cannot break, and
    KaTeX takes no :data:`~symconv.render.escape.BREAK` there: those are dropped.

    Examples
    --------
    >>> print(_text_in_math(escape_text("n >= 1 fails")))
    \text{n }\ge\text{ 1 fails}
    >>> print(_text_in_math(escape_text("x=(4,)")))
    \text{x=(4,)}
    """
    pieces = re.split(r"(?<!\\)\$", escaped.replace(BREAK, ""))
    return "".join(piece if odd else (r"\text{" + piece + "}" if piece else "")
                   for odd, piece in zip(itertools.cycle((False, True)), pieces)) or r"\text{}"
