"""A proof as LaTeX: a fragment to paste into notes, or a whole document.

The fragment is plain amsmath (``bmatrix``, ``aligned``) and compiles with
``texlive-latex-base`` alone; a standalone document adds ``geometry`` (A4,
25 mm margins) and ``graphicx`` (for ``\\resizebox``, used only when a display
cannot be made to fit by eliding columns).

Wide matrices are elided to the number of columns that fits the text width:
:func:`fitted_columns` estimates the typeset width of the widest entry, in
points at 10 pt, from its LaTeX (see :func:`latex_width`). The estimate was
calibrated against pdflatex's overfull-box warnings on compiled pages.

The same input always gives byte-identical output: nothing depends on time,
hashing or set order.

Examples
--------
>>> from symconv.proof import Math, Proof, Step
>>> p = Proof("one_plus_one", "1 + 1 = 2 (50% sure)", "1 + 1 = 2", {"n": 1}, "proved",
...           ["exhaustive"], steps=[Step("Add", "Add $1$ to $1$.",
...                                        (Math("1 + 1 = 2", "1 + 1 = 2"),))], domain="{1}")
>>> print(proof_latex(p))
\\paragraph{Theorem (\\texttt{one\\_plus\\_one}).}
\\emph{1 + 1 = 2 (50\\% sure)}
\\[ 1 + 1 = 2 \\]
\\paragraph{Parameters.} \\texttt{n} $= 1$.
\\paragraph{Add.} Add $1$ to $1$.
\\[ 1 + 1 = 2 \\]
\\paragraph{Conclusion.} Proved exhaustively on \\{1\\}.\\hfill$\\square$
<BLANKLINE>
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import sympy

from ..proof import Display, ExactText, Math, Proof
from .brief import parameters_named_elsewhere
from .math import (
    MAX_ROWS,
    as_matrix,
    counterexample_heading,
    exact_latex,
    formula_latex,
    item_latex,
    matrix_latex,
    value_latex,
)
from .prose import prose_symbols

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

PREAMBLE = r"""\documentclass{article}
\usepackage[a4paper,margin=25mm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.3\baselineskip}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\tolerance=1000
% TikZ figures where pgf is installed, the plain array pattern otherwise
\newif\ifsymconvtikz
\IfFileExists{tikz.sty}{\usepackage{tikz}\symconvtikztrue}{}
\newcommand{\symconvfigure}[2]{\ifsymconvtikz#1\else#2\fi}
% Under XeLaTeX (chosen for text in other scripts), CJK runs are set in a CJK font
\ifdefined\XeTeXrevision
\usepackage{fontspec}
\IfFontExistsTF{AR PL UMing CN}{\newfontfamily\symconvcjk{AR PL UMing CN}}{%
\IfFontExistsTF{Noto Serif CJK SC}{\newfontfamily\symconvcjk{Noto Serif CJK SC}}{}}
\ifdefined\symconvcjk
\XeTeXlinebreaklocale "zh"
\XeTeXlinebreakskip=0pt plus 1pt
\newcommand{\symconvscript}[1]{{\symconvcjk #1}}
\fi
\fi
"""

# ---------------------------------------------------------------------------
# Prose: split off $...$ math, escape the rest
# ---------------------------------------------------------------------------

_INLINE_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")

#: Characters outside ASCII that prose may use, as math-mode LaTeX.
UNICODE_MATH = {
    "ᵀ": r"^{\mathsf T}", "×": r"\times", "·": r"\cdot", "≤": r"\le", "≥": r"\ge",
    "≠": r"\neq", "→": r"\to", "←": r"\leftarrow", "↦": r"\mapsto", "⟨": r"\langle",
    "⟩": r"\rangle", "∗": r"\ast", "⋆": r"\star", "∘": r"\circ", "⊗": r"\otimes",
    "∑": r"\sum", "∂": r"\partial", "∈": r"\in", "∞": r"\infty", "−": "-", "⌊": r"\lfloor",
    "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil", "α": r"\alpha", "β": r"\beta",
    "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "θ": r"\theta", "λ": r"\lambda",
    "μ": r"\mu", "π": r"\pi", "σ": r"\sigma", "ω": r"\omega", "Σ": r"\Sigma", "≈": r"\approx",
    "≡": r"\equiv", "∣": r"\mid", "⊆": r"\subseteq", "∀": r"\forall", "∃": r"\exists",
}

#: Plain ASCII sequences in prose that read better as math symbols.
_ASCII_MATH = {"<=": r"\le", ">=": r"\ge", "!=": r"\neq", "->": r"\to", "<": "<", ">": ">",
               "|": "|"}

_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%",
                 "&": r"\&", "_": r"\_", "$": r"\$", "^": r"\textasciicircum{}",
                 "~": r"\textasciitilde{}", "’": "'", "‘": "`", "“": "``", "”": "''",
                 "–": "--", "—": "---", "…": r"\dots{}"}

#: Wraps runs of text in scripts pdflatex cannot set (CJK, ...). The default definition
#: shows a placeholder and never typesets the argument; :data:`PREAMBLE` defines it with a
#: CJK font under XeLaTeX, which :func:`symconv.render.files.compile_pdf` picks for such text.
SCRIPT = r"\symconvscript"
SCRIPT_DEFINITION = r"\providecommand{\symconvscript}[1]{[non-Latin text]}"

_TEXT_TOKEN = re.compile(r"<=|>=|!=|->|.", re.DOTALL)
_BREAK_AFTER = re.compile(r"(?<=\S)=(?=\S)|,(?=\S)")
#: A permitted line break without a hyphen, after ``=`` and after a comma without a space
#: (``input_shape=(32,32)`` is one word otherwise).
_BREAK = r"\allowbreak{}"


def split_math(text: str) -> list[tuple[bool, str]]:
    """Split prose into ``(is_math, piece)`` at ``$...$`` pairs (``\\$`` is not a delimiter).

    Examples
    --------
    >>> split_math("a $x_1$ b")
    [(False, 'a '), (True, 'x_1'), (False, ' b')]
    """
    pieces: list[tuple[bool, str]] = []
    at = 0
    for found in _INLINE_MATH.finditer(text):
        if found.start() > at:
            pieces.append((False, text[at:found.start()]))
        pieces.append((True, found.group(1)))
        at = found.end()
    if at < len(text):
        pieces.append((False, text[at:]))
    return pieces


def math_unicode(latex: str) -> str:
    """Replace the non-ASCII characters of :data:`UNICODE_MATH` inside math by commands.

    Examples
    --------
    >>> math_unicode("Cᵀ y")
    'C^{\\\\mathsf T} y'
    """
    out = []
    for ch in latex:
        command = UNICODE_MATH.get(ch)
        if command is None:
            out.append(ch)
        else:
            out.append(command + (" " if command[-1].isalpha() else ""))
    return "".join(out).replace("  ", " ")


def escape_text(text: str) -> str:
    """Escape LaTeX-special characters of prose outside math.

    ``<``, ``>``, ``|``, ``<=``, ``->`` and the symbols of :data:`UNICODE_MATH`
    become inline math (the default OT1 font has no text glyphs for them); runs
    of other scripts are wrapped in :data:`SCRIPT`.

    Examples
    --------
    >>> print(escape_text("input_shape & 50% {a} -> #1"))
    input\\_shape \\& 50\\% \\{a\\} $\\to$ \\#1
    >>> print(escape_text("café 全连接"))
    café \\symconvscript{全连接}
    """
    out = []
    for found in _TEXT_TOKEN.finditer(text):
        token = found.group(0)
        if _BREAK_AFTER.match(text, found.start()):
            out.append(token + _BREAK)
        elif token in _ASCII_MATH:
            out.append(f"${_ASCII_MATH[token]}$")
        elif token in UNICODE_MATH:
            out.append(f"${UNICODE_MATH[token]}$")
        elif token in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[token])
        elif _foreign(token):
            if out and out[-1].endswith("}") and out[-1].startswith(SCRIPT + "{"):
                out[-1] = out[-1][:-1] + token + "}"
            else:
                out.append(SCRIPT + "{" + token + "}")
        else:
            out.append(token)
    return "".join(out)


def _foreign(ch: str) -> bool:
    """A character pdflatex's default fonts cannot set: anything beyond Latin letters."""
    return ord(ch) > 127 and not (ch.isalpha() and ord(ch) < 0x250)


_TRANSPOSE = re.compile(r"\b([A-Za-z])\^([A-Za-z0-9])\b")


def _power(exponent: str) -> str:
    return r"\mathsf T" if exponent == "T" else exponent


def prose_latex(text: str) -> str:
    """Prose with its ``$...$`` math kept and everything else escaped.

    Examples
    --------
    >>> print(prose_latex("entries of $T - C$ at n_1 are 100%; C^T"))
    entries of $T - C$ at $n_{1}$ are 100\\%; $C^{\\mathsf T}$
    """
    return "".join(f"${math_unicode(piece)}$" if is_math else sentence_latex(piece)
                   for is_math, piece in split_math(text))


def sentence_latex(text: str) -> str:
    r"""Prose without math delimiters (a ``$`` is a dollar), escaped; a symbol written
    ``w_m`` becomes math and a name written ``input_shape`` typewriter text
    (:func:`~symconv.render.prose.prose_symbols`). The words stay the same.

    Examples
    --------
    >>> print(sentence_latex("at input_shape=(5,), p_before 1 $"))
    at \texttt{input\_shape}=\allowbreak{}(5,\allowbreak{}), $p_{\mathrm{before}}$ 1 \$
    """
    out = []
    for kind, piece in prose_symbols(text):
        if kind == "math":
            out.append(f"${piece}$")
        elif kind == "code":
            out.append(texttt(piece))
        elif piece.startswith("=") and out and out[-1].startswith(r"\texttt"):
            out.append("=" + _BREAK + _prose_text(piece[1:]))
        else:
            out.append(_prose_text(piece))
    return "".join(out)


def _prose_text(text: str) -> str:
    """Escape prose; a power written ``C^T`` becomes math."""
    out, at = [], 0
    for found in _TRANSPOSE.finditer(text):
        out.append(escape_text(text[at:found.start()]))
        out.append(f"${found.group(1)}^{{{_power(found.group(2))}}}$")
        at = found.end()
    return "".join(out) + escape_text(text[at:])


def texttt(text: str) -> str:
    """``\\texttt{...}`` with the characters typewriter text cannot take escaped.

    Examples
    --------
    >>> print(texttt("C^T_1"))
    \\texttt{C\\textasciicircum{}T\\_1}
    """
    return r"\texttt{" + "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text) + "}"


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
# Values of counterexamples and witnesses
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
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
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
    (``\ge`` from ``>=``) left in math, where they are valid.

    Examples
    --------
    >>> print(_text_in_math(escape_text("n >= 1 fails")))
    \text{n }\ge\text{ 1 fails}
    """
    pieces = re.split(r"(?<!\\)\$", escaped)
    return "".join(piece if odd else (r"\text{" + piece + "}" if piece else "")
                   for odd, piece in zip(itertools.cycle((False, True)), pieces)) or r"\text{}"


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


# ---------------------------------------------------------------------------
# The proof
# ---------------------------------------------------------------------------

def _parameters_latex(parameters: dict[str, Any]) -> str:
    return ", ".join(f"{texttt(str(k))} $= {value_math(v)}$" for k, v in parameters.items())


def _found_latex(label: str, found: dict[str, Any]) -> list[str]:
    """Short entries on one line like the parameters; long values as their own display,
    a long value in words as a paragraph of prose (a display line cannot break)."""
    short, long = split_found(found)
    head = rf"\paragraph{{{label}.}} " + (
        ", ".join(f"{texttt(key)} $= {value}$" for key, value in short) + "." if short else "")
    values = {str(key): value for key, value in found.items()}
    return [head] + [texttt(key) + ": " + prose_latex(values[key]) if _in_words(values[key])
                     else texttt(key) + ":\n" + r"\[ \begin{aligned} " + body
                     + r" \end{aligned} \]" for key, body in long]


def _in_words(value: Any) -> bool:
    """A value that :func:`value_math` sets as text, not as a formula."""
    return isinstance(value, str) and value_math(value).startswith(r"\text{")


def proof_latex(proof: Proof, standalone: bool = False, max_rows: int = MAX_ROWS,
                max_cols: int | None = None, figure: str | None = None) -> str:
    """Render ``proof`` as LaTeX.

    Parameters
    ----------
    proof : Proof
        What :func:`symconv.prove` returned.
    standalone : bool
        A whole document (``\\documentclass`` to ``\\end{document}``) instead of a fragment.
    max_rows, max_cols : int
        Largest matrix shown whole. Columns default to what fits the text width
        (:func:`fitted_columns`); a given ``max_cols`` caps that further.
    figure : str, optional
        LaTeX of a figure (e.g. :func:`symconv.render.figures.sparsity_array`) put
        before the conclusion.

    Returns
    -------
    str
        The fragment: statement, parameters, each step's prose and display math,
        the counterexample or witness, and the conclusion in the exact words of
        :meth:`~symconv.proof.Proof.evidence_sentence`.
    """
    body = _fragment(proof, max_rows, max_cols, figure)
    if not standalone:
        return body
    return document_latex([body], title=None)


def _fragment(proof: Proof, max_rows: int, max_cols: int | None, figure: str | None,
              stated_in: int | None = None, brief: bool = False,
              shown: dict[str, int] | None = None, section: int = 0) -> str:
    """One proof's LaTeX; ``shown`` (display -> section) names a display already shown."""
    kind = "Theorem" if proof.proved or proof.witness is not None else "Claim"
    lines = [rf"\paragraph{{{kind} ({texttt(proof.theorem)}).}}"]
    if stated_in is None:
        lines += [r"\emph{" + prose_latex(proof.statement) + "}",
                  display_latex((Math(proof.statement_latex, proof.statement),))]
    else:
        lines.append(rf"\emph{{Stated in Section {stated_in}.}}")
    if proof.parameters and not (brief and parameters_named_elsewhere(proof)):
        lines.append(r"\paragraph{Parameters.} " + _parameters_latex(proof.parameters) + ".")
    for step in proof.steps:
        text = prose_latex(step.text)
        block = display_latex(step.math, max_rows, max_cols) if step.math else ""
        if block and shown is not None and block in shown:
            text += f" (Displayed in Section {shown[block]}.)"
            block = ""
        elif block and shown is not None:
            shown[block] = section
        lines.append(rf"\paragraph{{{prose_latex(step.title)}.}}" + (f" {text}" if text else ""))
        if block:
            lines.append(block)
    if proof.witness is not None:
        lines += _found_latex("Witness", proof.witness)
    if figure:
        lines.append(figure)
    end = r"\hfill$\square$" if proof.proved else ""
    lines.append(r"\paragraph{Conclusion.} " + sentence_latex(proof.evidence_sentence()) + end)
    if proof.counterexample is not None:
        lines += _found_latex(counterexample_heading(proof), proof.counterexample)
    if SCRIPT + "{" in "".join(lines):
        lines.insert(0, SCRIPT_DEFINITION)
    return "\n".join(lines) + "\n"


def introduction_latex(text: str) -> str:
    r"""A topic's introduction (plain paragraphs and ``- `` lists) as LaTeX prose.

    ````name```` becomes typewriter text; text in other scripts (the seeds' Chinese
    quotations) is wrapped in :data:`SCRIPT`, so that XeLaTeX sets it as written.

    Examples
    --------
    >>> print(introduction_latex("Claims:\n\n- seed 003: 「车厢数」 (``polynomial-product``)"))
    Claims:
    <BLANKLINE>
    \begin{itemize}
    \item seed 003: \symconvscript{「车厢数」} (\texttt{polynomial-product})
    \end{itemize}
    """
    blocks = []
    for block in filter(None, (b.strip() for b in text.split("\n\n"))):
        numbered = re.search(r"(?m)^\d+\. ", block) is not None
        items = re.split(r"(?m)^\d+\. " if numbered else r"(?m)^- ", block)
        if items[0].strip():
            blocks.append(_introduction_prose(items[0]))
        if len(items) > 1:
            kind = "enumerate" if numbered else "itemize"
            lines = [r"\item " + _introduction_prose(item) for item in items[1:]]
            blocks.append("\n".join([rf"\begin{{{kind}}}", *lines, rf"\end{{{kind}}}"]))
    return "\n\n".join(blocks)


def _introduction_prose(text: str) -> str:
    words = " ".join(text.split())
    pieces = re.split(r"``(.+?)``", words)
    return "".join(texttt(piece) if odd else prose_latex(piece)
                   for odd, piece in zip(itertools.cycle((False, True)), pieces))


#: What a compact document (the brief notes) adds to :data:`PREAMBLE`: small type (9 pt),
#: less space around sections and between paragraphs, 20 mm side and 15 mm top and bottom
#: margins. The width estimates assume 10 pt on :data:`TEXT_WIDTH` (25 mm margins), which
#: is narrower, so every estimate still holds.
COMPACT = r"""\newgeometry{hmargin=20mm,vmargin=15mm}
\small
\setlength{\parskip}{0.15\baselineskip}
\makeatletter
\renewcommand{\section}{\@startsection{section}{1}{0pt}{1.2ex plus .4ex}{0.6ex}%
{\normalfont\large\bfseries}}
\renewcommand{\paragraph}{\@startsection{paragraph}{4}{0pt}{0.6ex plus .2ex}{-1em}%
{\normalfont\small\bfseries}}
\makeatother
"""


def document_latex(sections: Iterable[str], title: str | None = None,
                   headings: Sequence[str] | None = None, introduction: str | None = None,
                   compact: bool = False) -> str:
    """A standalone document around fragments; with ``headings``, one ``\\section`` each.

    ``introduction`` (prose, see :func:`introduction_latex`) comes after the title;
    ``compact`` sets the document as :data:`COMPACT` says.
    """
    parts = [PREAMBLE, r"\begin{document}", *([COMPACT] if compact else []), ""]
    if title:
        parts += [r"\section*{" + escape_text(title) + "}", ""]
    if introduction:
        intro = introduction_latex(introduction)
        if SCRIPT + "{" in intro:
            intro = SCRIPT_DEFINITION + "\n" + intro
        parts += [intro, ""]
    for index, fragment in enumerate(sections):
        if headings is not None:
            parts.append(r"\section{" + headings[index] + "}")
        parts += [fragment]
    parts.append(r"\end{document}")
    return "\n".join(parts) + "\n"


def stated_before(proofs: Sequence[Proof]) -> list[int | None]:
    """For each proof, the (1-based) section that already stated its statement, or None.

    Examples
    --------
    >>> a = Proof("t", "s", "s", {"n": 1}, "proved", ["symbolic"])
    >>> b = Proof("t", "s", "s", {"n": 2}, "proved", ["symbolic"])
    >>> stated_before([a, b, a])
    [None, 1, 1]
    """
    first: dict[tuple[str, str, str], int] = {}
    out: list[int | None] = []
    for number, proof in enumerate(proofs, 1):
        key = (proof.theorem, proof.statement, proof.statement_latex)
        out.append(first.get(key))
        first.setdefault(key, number)
    return out


def notes_latex(proofs: Sequence[Proof], title: str | None = None,
                figures: Sequence[str | None] | None = None, max_rows: int = MAX_ROWS,
                max_cols: int | None = None, introduction: str | None = None,
                brief: bool = False) -> str:
    """A standalone document with one section per proof (a topic of the notes).

    With ``brief`` (the brief notes) a statement or a display already shown by an earlier
    section is not repeated, the section names that section instead, and the document is
    compact (:data:`COMPACT`).
    """
    figures = figures or [None] * len(proofs)
    stated = stated_before(proofs) if brief else [None] * len(proofs)
    shown: dict[str, int] | None = {} if brief else None
    fragments = [_fragment(p, max_rows, max_cols, f, n, brief, shown, section)
                 for section, (p, f, n) in enumerate(zip(proofs, figures, stated), 1)]
    headings = [texttt(p.theorem) + ": " + p.verdict for p in proofs]
    return document_latex(fragments, title, headings, introduction, compact=brief)


# ---------------------------------------------------------------------------
# Jupyter / SymPy printer protocol
# ---------------------------------------------------------------------------

def operator_latex(op: Any, printer: Any = None) -> str:
    """LaTeX of a :class:`~symconv.operators.LinearOperator`'s matrix, elided to fit a page.

    ``printer`` is accepted for SymPy's ``_latex(self, printer)`` signature; entries
    print with SymPy's defaults. (``sympy.latex(op)`` itself prints the whole matrix.)

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
    >>> print(operator_latex(correlation(Geometry((3,), (2,)))))
    \\begin{bmatrix} k_{0,0,0} & k_{0,0,1} & 0 \\\\ 0 & k_{0,0,0} & k_{0,0,1} \\end{bmatrix}
    """
    m = op.matrix
    return matrix_latex(m, MAX_ROWS, fitted_columns(m))


def proof_repr_latex(proof: Proof) -> str:
    """A math-only summary for Jupyter's ``_repr_latex_``: name, verdict, evidence, statement.

    Examples
    --------
    >>> p = Proof("t_1", "s", "a = a", {}, "proved", ["symbolic"])
    >>> print(proof_repr_latex(p))
    $$\\begin{aligned} &\\texttt{t\\_1}\\ \\text{(proved: symbolic)} \\\\ &a = a \\end{aligned}$$
    """
    evidence = ", ".join(proof.evidence) or "no evidence"
    head = texttt(proof.theorem) + r"\ \text{(" + f"{proof.verdict}: {evidence}" + ")}"
    return (r"$$\begin{aligned} &" + head + r" \\ &" + math_unicode(proof.statement_latex)
            + r" \end{aligned}$$")
