"""A proof as LaTeX: a fragment to paste into notes, or a whole document.

The fragment is plain amsmath (``bmatrix``, ``aligned``) and compiles with
``texlive-latex-base`` alone; a standalone document adds ``geometry`` (A4,
25 mm margins) and ``graphicx`` (for ``\\resizebox``, used only when a display
cannot be made to fit by eliding columns).

The pieces live in their own modules and are importable from here as before:
prose escaping in :mod:`symconv.render.escape`, width estimates and display
layout (matrices elided to fit the text width) in :mod:`symconv.render.layout`,
matrices and values printed by SymPy's printer in :mod:`symconv.render.math`.

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

from ..proof import Math, Proof
from .brief import parameters_named_elsewhere
from .escape import (
    SCRIPT,
    SCRIPT_DEFINITION,
    UNICODE_MATH,
    escape_text,
    math_unicode,
    prose_latex,
    sentence_latex,
    split_math,
    texttt,
)
from .layout import (
    COLUMN_SEP,
    MATRIX_COLUMNS,
    MIN_COLUMNS,
    SAFETY,
    TEXT_WIDTH,
    break_sum,
    display_item,
    display_latex,
    display_lines,
    fitted_columns,
    latex_width,
    line_width,
    split_chain,
    split_found,
    split_relation,
    value_lines,
)
from .math import MAX_ROWS, counterexample_heading, matrix_latex, value_math

#: The public names, here and (for the writers that import them from this module) those of
#: :mod:`~symconv.render.escape`, :mod:`~symconv.render.layout` and
#: :mod:`~symconv.render.math` that the LaTeX writer has always offered.
__all__ = [
    "COLUMN_SEP", "COMPACT", "MATRIX_COLUMNS", "MIN_COLUMNS", "PREAMBLE", "SAFETY", "SCRIPT",
    "SCRIPT_DEFINITION", "TEXT_WIDTH", "UNICODE_MATH", "break_sum", "display_item",
    "display_latex", "display_lines", "document_latex", "escape_text", "fitted_columns",
    "introduction_latex", "latex_width", "line_width", "math_unicode", "notes_latex",
    "operator_latex", "proof_latex", "proof_repr_latex", "prose_latex", "sentence_latex",
    "split_chain", "split_found", "split_math", "split_relation", "stated_before", "texttt",
    "value_lines", "value_math",
]

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
