"""Fitting math to the page: width estimates, elided columns, aligned display lines.

Wide matrices are elided to the number of columns that fits the text width:
:func:`fitted_columns` estimates the typeset width of the widest entry, in
points at 10 pt, from its LaTeX (see :func:`latex_width`). The estimate was
calibrated against pdflatex's overfull-box warnings on compiled pages. A display
too wide for a line is broken at its relations (:func:`display_latex`), a long
value at its top-level sums (:func:`value_lines`).

Examples
--------
>>> print(display_latex([Math("a = b", "a = b")]))
\\[ a = b \\]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sympy

from ..proof import Display, Math
from .escape import math_unicode
from .math import MAX_ROWS, as_matrix, item_latex, matrix_latex, value_latex, value_math

#: Text width of the standalone document (A4, 25 mm margins) in points.
TEXT_WIDTH = 455.0
#: Horizontal space a ``bmatrix`` column takes besides its entry (2 * \arraycolsep).
COLUMN_SEP = 10.0
#: Share of the line width the estimates may fill (they are rough).
SAFETY = 0.93
#: Fewest columns shown before ``\cdots`` when a matrix is elided.
MIN_COLUMNS = 3
#: amsmath's ``MaxMatrixCols``: a ``bmatrix`` takes at most 10 columns unless a preamble
#: raises it, and a fragment pasted into notes cannot count on that.
MATRIX_COLUMNS = 10


# ---------------------------------------------------------------------------
# Width estimates (points at 10 pt) and column fitting
# ---------------------------------------------------------------------------

_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_WIDTHS = {",": 1.7, ";": 2.8, ":": 2.2, " ": 3.3, "!": -1.7, "quad": 10.0, "qquad": 20.0,
           "cdots": 13.0, "ldots": 13.0, "dots": 13.0, "vdots": 5.0, "ddots": 13.0}
_ZERO = {"left", "right", "big", "Big", "bigl", "bigr", "displaystyle", "mathrel", "mathop",
         "mathbin", "limits", "nolimits", "begin", "end", "\\"}
_TEXTUAL = {"text", "textbf", "textit", "operatorname", "mathrm", "mathsf", "mathit", "mathbf",
            "mathbb", "mathcal", "texttt", "mathtt"}
_RELATIONS = "=<>"
_BINARY = "+-*"


def _group(s: str, at: int) -> tuple[str, int]:
    """The braced group (or single character) starting at ``s[at]``; and where it ends."""
    if at >= len(s):
        return "", at
    if s[at] != "{":
        found = _COMMAND.match(s, at)
        if found:
            return found.group(0), found.end()
        return s[at], at + 1
    depth = 0
    for end in range(at, len(s)):
        depth += {"{": 1, "}": -1}.get(s[end], 0)
        if depth == 0:
            return s[at + 1:end], end + 1
    return s[at + 1:], len(s)


def latex_width(s: str) -> float:
    """A rough typeset width, in points at 10 pt, of one line of math LaTeX.

    Lower-case letters and digits count 5.5 pt, capitals 8 pt, relations and
    binary operators with their spacing 13.5 pt and 12.5 pt, sub- and
    superscripts 78 %; ``\\text``-like groups count their letters; other
    commands 7.5 pt. Good enough to decide how many
    matrix columns fit a line (calibrated on compiled pages).

    Examples
    --------
    >>> latex_width("k_{0,0}") < latex_width("k_{0,0,0,0}")
    True
    >>> round(latex_width("a + b"))
    24
    """
    width, at = 0.0, 0
    while at < len(s):
        ch = s[at]
        if ch in "_^":
            group, at = _group(s, at + 1)
            width += 0.78 * latex_width(group)
            continue
        if ch == "\\":
            found = _COMMAND.match(s, at)
            name = found.group(1) if found else ""
            at = found.end() if found else at + 1
            if name in _TEXTUAL:
                group, at = _group(s, at)
                width += 5.0 * len(re.sub(r"\\[A-Za-z]+|[{}\\]", "", group))
            elif name in ("begin", "end"):
                _, at = _group(s, at)
            elif name == "frac":
                top, at = _group(s, at)
                bottom, at = _group(s, at)
                width += max(latex_width(top), latex_width(bottom)) + 2.0
            elif name in _WIDTHS:
                width += _WIDTHS[name]
            elif name not in _ZERO:
                width += 13.5 if name in ("neq", "le", "ge", "to", "mapsto", "in") else 7.5
            continue
        at += 1
        if ch in _RELATIONS:
            width += 13.5
        elif ch in _BINARY:
            width += 12.5
        elif ch in ",;":
            width += 2.8
        elif ch in "{} &":
            continue
        elif ch.isupper():
            width += 8.0
        else:
            width += 5.5
    return width


def _entry_widths(m: sympy.MatrixBase) -> float:
    values = m.todok().values() if isinstance(m, sympy.SparseMatrix) else list(m)
    widest = max((latex_width(sympy.latex(v)) for v in values), default=5.0)
    return max(widest, 5.0)


def fitted_columns(m: sympy.MatrixBase, label_width: float = 0.0,
                   width: float = TEXT_WIDTH, max_cols: int | None = None) -> int:
    """How many columns of ``m`` :func:`~symconv.render.math.matrix_latex` may show.

    The result is the ``max_cols`` to pass: all columns when they fit, else the
    most columns that fit with the ``\\cdots`` column (at least :data:`MIN_COLUMNS`).

    Examples
    --------
    >>> import sympy
    >>> fitted_columns(sympy.eye(8))
    8
    >>> k = sympy.Symbol("k_{0,0,0,0}")
    >>> fitted_columns(sympy.Matrix(1, 40, [k] * 40)) < 12
    True
    """
    column = _entry_widths(m) + COLUMN_SEP
    room = SAFETY * width - label_width - 14.0
    fit = min(max(int(room // column), MIN_COLUMNS + 1), MATRIX_COLUMNS)
    if max_cols is not None:
        fit = min(fit, max_cols + 1) if m.cols > max_cols else fit
    return m.cols if m.cols <= fit else max(fit - 1, MIN_COLUMNS)


# ---------------------------------------------------------------------------
# Display items: alignment at the first relation
# ---------------------------------------------------------------------------

_RELATION_AT = re.compile(r"\\neq(?![A-Za-z])|\\le(?![A-Za-z])|\\ge(?![A-Za-z])|=")


def split_relation(latex: str) -> tuple[str, str] | None:
    """Split ``lhs = rhs`` at its first relation outside braces and environments.

    Examples
    --------
    >>> split_relation(r"C_{i,j} = k_{m}")
    ('C_{i,j} ', '= k_{m}')
    >>> split_relation(r"\\begin{bmatrix} a \\end{bmatrix}") is None
    True
    """
    depth = 0
    for found in re.finditer(r"\\begin|\\end|\\left|\\right|[{}]|" + _RELATION_AT.pattern,
                             latex):
        token = found.group(0)
        if token in ("{", r"\begin", r"\left"):
            depth += 1
        elif token in ("}", r"\end", r"\right"):
            depth -= 1
        elif depth == 0 and "mathrel" not in latex[max(found.start() - 12, 0):found.start()]:
            return latex[:found.start()], latex[found.start():]
    return None


def display_item(item: Math | Display, max_rows: int = MAX_ROWS, max_cols: int | None = None,
                 width: float = TEXT_WIDTH) -> tuple[str, str]:
    """``(lhs, rhs)`` LaTeX of one display item, matrices elided to fit ``width``.

    ``rhs`` starts with the relation; ``lhs`` is empty when there is none.
    """
    if isinstance(item, Display):
        m = as_matrix(item.value)
        label = item.label_latex
        if m is not None:
            cols = fitted_columns(m, latex_width(label) + 11.0, width, max_cols)
            body = matrix_latex(m, max_rows, cols)
        else:
            body = value_latex(item.value, max_rows, max_cols or 12)
        return (label + " ", "= " + body) if label else ("", body)
    latex = math_unicode(item_latex(item))
    parts = split_relation(latex)
    return parts if parts is not None else ("", latex)


def line_width(lhs: str, rhs: str) -> float:
    """Estimated width of a display line; a matrix counts its widest row."""
    def widest(s: str) -> float:
        rows = re.split(r"\\\\(?:\[[^\]]*\])?", s)
        if len(rows) == 1:
            return latex_width(s)
        head = s[:s.find(r"\begin")]
        inner = re.sub(r"^.*?\\begin\{[a-z]*matrix\}|\\end\{[a-z]*matrix\}.*$", "", s,
                       flags=re.DOTALL)
        cells = [row.split("&") for row in re.split(r"\\\\(?:\[[^\]]*\])?", inner)]
        ncols = max(len(r) for r in cells)
        cell = max(latex_width(c) for r in cells for c in r)
        return latex_width(head) + ncols * (cell + COLUMN_SEP) + 12.0
    return widest(lhs) + widest(rhs)


def _item_width(item: Math | Display, lhs: str, rhs: str) -> float:
    """Width estimate: a bmatrix by its widest row, a Math by its widest line, anything
    else (nested arrays, long expressions) by all of its text, which over-estimates."""
    if isinstance(item, Display) and as_matrix(item.value) is not None:
        return line_width(lhs, rhs)
    if isinstance(item, Math):
        return max(latex_width(line) for line in re.split(r"\\\\", lhs + rhs))
    return latex_width(lhs + rhs)


def display_lines(items: Sequence[Math | Display], max_rows: int = MAX_ROWS,
                  max_cols: int | None = None, width: float = TEXT_WIDTH
                  ) -> tuple[str, float]:
    """The body of one display (several items: an ``aligned`` block) and its width estimate.

    Examples
    --------
    >>> from symconv.proof import Math
    >>> body, _ = display_lines([Math("a = b", "a = b"), Math("c = d", "c = d")])
    >>> print(body)
    \\begin{aligned} a &= b \\\\[0.5ex]
    c &= d \\end{aligned}
    """
    pairs = [display_item(item, max_rows, max_cols, width) for item in items]
    estimate = max((_item_width(item, lhs, rhs) for item, (lhs, rhs) in zip(items, pairs)),
                   default=0.0)
    if len(pairs) == 1:
        return "".join(pairs[0]), estimate
    # aligned lines share one column of left sides: the widest left plus the widest right
    column = max(latex_width(lhs) for lhs, _ in pairs)
    estimate = max(estimate, column + max(_item_width(item, "", rhs)
                                          for item, (_, rhs) in zip(items, pairs)))
    lines = [f"{lhs}&{rhs}" for lhs, rhs in pairs]
    return r"\begin{aligned} " + " \\\\[0.5ex]\n".join(lines) + r" \end{aligned}", estimate


def split_chain(latex: str) -> list[str]:
    r"""A chain ``a = b = c`` split before each relation outside braces and environments.

    Examples
    --------
    >>> split_chain(r"a = \left(b = c\right) \le d")
    ['a ', '= \\left(b = c\\right) ', '\\le d']
    """
    parts = []
    rest = latex
    while (found := split_relation(rest[1:] if parts else rest)) is not None:
        lhs, rhs = found
        head = rest[:1] + lhs if parts else lhs
        parts.append(head)
        rest = rhs
    return parts + [rest]


def _chain_lines(items: Sequence[Math | Display], width: float) -> list[Math | Display]:
    """Each too-wide :class:`Math` chain as one item per relation (aligned lines)."""
    out: list[Math | Display] = []
    for item in items:
        latex = math_unicode(item.latex) if isinstance(item, Math) else ""
        pieces = split_chain(latex) if latex and latex_width(latex) > SAFETY * width else []
        if len(pieces) < 3:
            out.append(item)
            continue
        out.append(Math(pieces[0] + pieces[1], item.plain))
        out += [Math(piece, "") for piece in pieces[2:]]
    return out


def display_latex(items: Sequence[Math | Display], max_rows: int = MAX_ROWS,
                  max_cols: int | None = None, width: float = TEXT_WIDTH) -> str:
    """One ``\\[ ... \\]`` display; a chain too wide for a line is broken at its
    relations; scaled to the line width only if eliding and breaking cannot fit it."""
    body, estimate = display_lines(_chain_lines(items, width), max_rows, max_cols, width)
    if estimate <= SAFETY * width:
        return r"\[ " + body + r" \]"
    return ("\\begin{center}\n\\resizebox{\\linewidth}{!}{$\\displaystyle " + body + "$}\n"
            "\\end{center}")


# ---------------------------------------------------------------------------
# Values of counterexamples and witnesses, in lines
# ---------------------------------------------------------------------------

def break_sum(latex: str, width: float = TEXT_WIDTH - 80.0) -> list[str]:
    """Split a long sum at its top-level ``+``/``-`` into lines of at most ``width``.

    Examples
    --------
    >>> break_sum("a + b + c", width=15)
    ['a', '+ b', '+ c']
    """
    parts, depth, start = [], 0, 0
    for at, ch in enumerate(latex):
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in "+-" and at > 0 and latex[at - 1] == " ":
            parts.append(latex[start:at].strip())
            start = at
    parts.append(latex[start:].strip())
    lines = [parts[0]]
    for part in parts[1:]:
        if latex_width(lines[-1] + " " + part) <= width:
            lines[-1] += " " + part
        else:
            lines.append(part)
    return lines


def value_lines(value: Any, width: float = TEXT_WIDTH - 80.0) -> list[str]:
    """:func:`value_math`, broken into display lines when it is too wide for one."""
    latex = value_math(value, max_cols=max(MIN_COLUMNS, int(width // 40)))
    if latex_width(latex) <= width or r"\begin" in latex:
        return [latex]
    return break_sum(latex, width)


def split_found(found: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Counterexample or witness entries in their given order, split into short ones
    ``(key, value)`` (one line of at most half the text width) and long ones ``(key, body)``
    with the value lines as the rows of an ``aligned`` body.

    Examples
    --------
    >>> split_found({"n": 1})
    ([('n', '1')], [])
    """
    short, long = [], []
    for key, value in found.items():
        values = value_lines(value)
        if len(values) == 1 and latex_width(values[0]) <= TEXT_WIDTH / 2:
            short.append((str(key), values[0]))
        else:
            long.append((str(key), " \\\\\n".join(("&" if i == 0 else "&\\quad ") + v
                                                 for i, v in enumerate(values))))
    return short, long
