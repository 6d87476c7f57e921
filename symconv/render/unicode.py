"""LaTeX math as Unicode text for a terminal: never ``$``, ``\\frac`` or ``\\text`` on screen.

Prose and math items carry LaTeX (``$k_m\\,y_j$``, ``T - C^{\\mathsf T}``); the
terminal renderer (:mod:`symconv.render.text`) passes every line through
:func:`terminal_text`, which drops the dollars and writes the commands as the
characters they stand for (``≤``, ``⌊ ⌋``, ``ᵀ``, ``Σ``), fractions as ``a/b`` and
text commands as their contents. A command it does not know loses its backslash
(its name is the best plain reading), so no backslash reaches the terminal.

Examples
--------
>>> print(terminal_text(r"All entries of $T - C^{\\mathsf T}$ are $0$ for $0 \\le m \\le k-1$."))
All entries of T - Cᵀ are 0 for 0 ≤ m ≤ k-1.
>>> print(terminal_text(r"$\\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1$"))
⌊(n + 2p - k)/s⌋ + 1
>>> print(terminal_text(r"Fourier--Motzkin, $\\text{out} = \\operatorname{ceil}(n/s)$"))
Fourier–Motzkin, out = ceil(n/s)
"""

from __future__ import annotations

import re

from .escape import UNICODE_MATH

__all__ = ["terminal_text"]

#: Commands written as the one character they stand for: the inverse of the LaTeX
#: writer's :data:`~symconv.render.latex.UNICODE_MATH`, plus commands it never writes.
#: ``\sum`` and ``\mid`` read as ``Σ`` and ``|`` on a terminal.
SYMBOLS = {
    **{command[1:]: ch for ch, command in UNICODE_MATH.items()
       if re.fullmatch(r"\\[A-Za-z]+", command)},
    "sum": "Σ", "mid": "|",
    "leq": "≤", "geq": "≥", "ne": "≠", "rightarrow": "→", "Rightarrow": "⇒", "iff": "⇔",
    "Leftrightarrow": "⇔", "prod": "Π", "oplus": "⊕", "notin": "∉", "cup": "∪", "cap": "∩",
    "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "pm": "±", "mp": "∓",
    "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "nabla": "∇", "epsilon": "ε",
    "eta": "η", "tau": "τ", "phi": "φ", "Delta": "Δ", "Omega": "Ω", "neg": "¬", "land": "∧",
    "lor": "∨", "wedge": "∧", "vee": "∨", "setminus": "∖", "emptyset": "∅", "quad": "  ",
    "qquad": "    ", "colon": ":", "prime": "′", "top": "ᵀ", "uparrow": "↑", "downarrow": "↓",
    "bmod": "mod", "pmod": "mod",
}

#: Commands whose one argument is shown as it is.
_TEXT_COMMANDS = ("text", "textrm", "textit", "textbf", "texttt", "mathrm", "mathit",
                  "mathbf", "mathsf", "mathtt", "mathcal", "operatorname", "boldsymbol",
                  "mathbb", "emph", "hat", "tilde", "bar", "overline", "underline")

_SUPERSCRIPTS = str.maketrans("0123456789+-()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿ")

_GROUP = r"\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"
_TRANSPOSED = re.compile(r"\^\{?\\(?:mathsf|mathrm)\s*\{?T\}?\}?|\^\{?\\top\}?|\^\{T\}")
_FRAC = re.compile(r"\\[dt]?frac\s*" + _GROUP + r"\s*" + _GROUP)
_TEXT = re.compile(r"\\(?:" + "|".join(_TEXT_COMMANDS) + r")\s*(?:" + _GROUP
                   + r"|([A-Za-z0-9]))")  # \mathbb{E} or \mathbb E
_SUPERSCRIPT = re.compile(r"\^(?:\{([0-9+\-()n]+)\}|([0-9n]))")
_COMMAND = re.compile(r"\\([A-Za-z]+)|\\([,;:! ])|\\([{}_%&#$|])")


def _atom(text: str) -> str:
    """A fraction's part, in parentheses unless it is one name or number."""
    text = text.strip()
    return text if re.fullmatch(r"[\w.]+", text) else f"({text})"


def _command(found: re.Match[str]) -> str:
    name, space, escaped = found.groups()
    if escaped:
        return escaped
    if space:
        return "" if space == "!" else " "
    if name in ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
                "displaystyle", "limits", "nolimits", "allowbreak", "nonumber"):
        return ""
    return SYMBOLS.get(name, name)


def terminal_math(latex: str) -> str:
    """One LaTeX math expression as Unicode text."""
    text = _TRANSPOSED.sub("ᵀ", latex)
    for _ in range(4):  # nested fractions and text commands, innermost first
        text = _FRAC.sub(lambda f: f"{_atom(terminal_math(f[1]))}/{_atom(terminal_math(f[2]))}",
                         text)
        text = _TEXT.sub(lambda f: f[1] if f[1] is not None else f[2], text)
    text = _SUPERSCRIPT.sub(lambda f: (f[1] or f[2]).translate(_SUPERSCRIPTS), text)
    text = _COMMAND.sub(_command, text)
    text = re.sub(r"(?<=[⌊⌈(\[])\s+|\s+(?=[⌋⌉)\]])", "", text)
    return text


def terminal_text(text: str) -> str:
    """A line of prose with ``$...$`` math: the math as Unicode, the dollars dropped."""
    pieces = re.split(r"(?<!\\)\$(.+?)(?<!\\)\$", text)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(terminal_math(piece))
        else:
            piece = re.sub(r"(?<=\w)---(?=\w)", "—", piece)
            piece = re.sub(r"(?<=\w)--(?=\w)", "–", piece)
            out.append(terminal_math(piece) if "\\" in piece else piece)
    return "".join(out)
