"""Prose as LaTeX text: ``$...$`` math kept, everything else escaped.

Characters outside ASCII that prose uses as symbols become math
(:data:`UNICODE_MATH`), runs of other scripts are wrapped in :data:`SCRIPT`, and
names written ``input_shape`` or ``w_m`` become typewriter text or math
(:func:`~symconv.render.prose.prose_symbols`).

Examples
--------
>>> print(prose_latex("50% of $x_1$ -> y"))
50\\% of $x_1$ $\\to$ y
"""

from __future__ import annotations

import re

from .prose import prose_symbols

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

#: A command-line option in prose (``--full``, ``--smt``): typewriter text whose dashes
#: stay two hyphens (``--`` is TeX's en-dash ligature).
_OPTION = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*")
_TEXT_TOKEN = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*|<=|>=|!=|->|.", re.DOTALL)
_BREAK_AFTER = re.compile(r"(?<=\S)=(?=\S)|,(?=\S)")
#: A permitted line break without a hyphen, after ``=`` and after a comma without a space
#: (``input_shape=(32,32)`` is one word otherwise).
BREAK = r"\allowbreak{}"


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
    >>> print(escape_text("(--full on the command line)"))
    (\\texttt{-{}-full} on the command line)
    """
    out = []
    for found in _TEXT_TOKEN.finditer(text):
        token = found.group(0)
        if _OPTION.fullmatch(token):
            out.append(texttt(token))
        elif _BREAK_AFTER.match(text, found.start()):
            out.append(token + BREAK)
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
    A code span between backticks (a formula as the user typed it) is typewriter text.

    >>> print(prose_latex("entries of $T - C$ at n_1 are 100%; C^T"))
    entries of $T - C$ at $n_{1}$ are 100\\%; $C^{\\mathsf T}$
    >>> print(prose_latex("the formula `floor(n/s) + p_b` gives 3"))
    the formula \\texttt{floor(n/s) + p\\_b} gives 3
    """
    return "".join(f"${math_unicode(piece)}$" if is_math else _code_latex(piece)
                   for is_math, piece in split_math(text))


_CODE = re.compile(r"`([^`\n]+)`")


def _code_latex(text: str) -> str:
    """Prose without math: code spans as typewriter text, the rest by :func:`sentence_latex`."""
    out, at = [], 0
    for found in _CODE.finditer(text):
        out.append(sentence_latex(text[at:found.start()]))
        out.append(texttt(found.group(1)))
        at = found.end()
    return "".join(out) + sentence_latex(text[at:])


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
            out.append("=" + BREAK + _prose_text(piece[1:]))
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
    """``\\texttt{...}`` with the characters typewriter text cannot take escaped; a ``--``
    is set ``-{}-`` (two hyphens, not the en-dash ligature).

    Examples
    --------
    >>> print(texttt("C^T_1"))
    \\texttt{C\\textasciicircum{}T\\_1}
    >>> print(texttt("--smt"))
    \\texttt{-{}-smt}
    """
    escaped = "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text)
    return r"\texttt{" + re.sub("-(?=-)", "-{}", escaped) + "}"
