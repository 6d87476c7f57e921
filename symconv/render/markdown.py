"""A proof as Markdown whose math renders in KaTeX and MathJax.

Display math is ``$$ ... $$`` on lines of its own (an ``aligned`` block when a
step shows several equations), matrices are ``bmatrix``, inline math ``$...$``.
The math is the same LaTeX as :mod:`symconv.render.latex` (elided to the same
widths), restricted to what KaTeX accepts. Prose outside math has its
Markdown-special characters escaped.

Examples
--------
>>> from symconv.proof import Math, Proof, Step
>>> p = Proof("one_plus_one", "1 + 1 = 2", "1 + 1 = 2", {"n": 1}, "proved", ["exhaustive"],
...           steps=[Step("Add", "Add $1$ to *one*.", (Math("1 + 1 = 2", "1 + 1 = 2"),))],
...           domain="{1}")
>>> print(proof_markdown(p))
## Theorem `one_plus_one` (proved: exhaustive)
<BLANKLINE>
*1 + 1 = 2*
<BLANKLINE>
$$
1 + 1 = 2
$$
<BLANKLINE>
**Parameters.** `n` $= 1$.
<BLANKLINE>
**Add.** Add $1$ to \\*one\\*.
<BLANKLINE>
$$
1 + 1 = 2
$$
<BLANKLINE>
**Conclusion.** Proved exhaustively on {1}. ∎
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..proof import Proof
from .brief import parameters_named_elsewhere
from .escape import math_unicode, split_math
from .latex import stated_before
from .layout import display_lines, split_found
from .math import MAX_ROWS, counterexample_heading, value_math
from .prose import prose_symbols

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#$])")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+\.)(\s)")


def escape_markdown(text: str) -> str:
    """Escape Markdown-special characters of prose (outside math and code).

    Examples
    --------
    >>> print(escape_markdown("input_shape * 2 <b> [x] | ~"))
    input\\_shape \\* 2 \\<b\\> \\[x\\] \\| \\~
    >>> print(escape_markdown("- not a list"))
    \\- not a list
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2\3", escaped)


def prose_markdown(text: str) -> str:
    """Prose with ``$...$`` math kept (KaTeX-safe) and the rest escaped.

    Examples
    --------
    >>> print(prose_markdown("at n_1: $k_m\\\\,y_j$; input_shape"))
    at $n_{1}$: $k_m\\,y_j$; `input_shape`
    """
    return "".join(f"${math_unicode(piece).strip()}$" if is_math else sentence_markdown(piece)
                   for is_math, piece in split_math(text))


def sentence_markdown(text: str) -> str:
    """Prose without math delimiters, escaped; symbols as math, names as code
    (:mod:`symconv.render.prose`). The words stay the same.

    Examples
    --------
    >>> print(sentence_markdown("at input_shape=(5,), p_b $"))
    at `input_shape`=(5,), $p_{b}$ \\$
    """
    return "".join(f"${piece}$" if kind == "math" else code(piece) if kind == "code"
                   else escape_markdown(piece) for kind, piece in prose_symbols(text))


def code(text: str) -> str:
    """An inline code span that survives backticks in ``text``.

    Examples
    --------
    >>> code("C^T"), code("a`b")
    ('`C^T`', '`` a`b ``')
    """
    return f"`{text}`" if "`" not in text else f"`` {text} ``"


def display_markdown(latex: str) -> str:
    """``$$`` on their own lines around ``latex`` (no blank lines inside)."""
    body = re.sub(r"\n\s*\n", "\n", latex.strip())
    return f"$$\n{body}\n$$"


def _found_markdown(label: str, found: dict[str, Any]) -> list[str]:
    short, long = split_found(found)
    blocks = [block for key, body in long
              for block in (f"{code(key)}:", display_markdown(r"\begin{aligned} " + body
                                                              + r" \end{aligned}"))]
    return [f"**{label}.** " + ", ".join(f"{code(key)} $= {value}$" for key, value in short)
            + ("." if short else "")] + blocks


def proof_markdown(proof: Proof, max_rows: int = MAX_ROWS, max_cols: int | None = None,
                   heading: str = "##", figure: str | None = None,
                   stated_in: int | None = None, brief: bool = False,
                   shown: dict[str, int] | None = None, section: int = 0) -> str:
    """Render ``proof`` as Markdown with KaTeX/MathJax math.

    Parameters
    ----------
    proof : Proof
        What :func:`symconv.prove` returned.
    max_rows, max_cols : int
        Largest matrix shown whole (columns default to what fits a page, as in LaTeX).
    heading : str
        The Markdown heading marker of the proof's title (``"##"``, ``"###"``, ...).
    figure : str, optional
        Markdown of a figure (an image link) put before the conclusion.
    stated_in : int, optional
        The section of the notes that states the same statement: named instead of it.
    brief : bool
        Leave out the parameters when the conclusion or counterexample names them all.
    shown, section : dict, int
        Displays an earlier section showed (display -> section number), named instead of
        repeated; this section's number, recorded for its new displays.

    Returns
    -------
    str
        Statement, parameters, steps, counterexample or witness, and the conclusion
        in the exact words of :meth:`~symconv.proof.Proof.evidence_sentence`.
    """
    evidence = ", ".join(proof.evidence) or "no evidence"
    kind = "Theorem" if proof.proved or proof.witness is not None else "Claim"
    blocks = [f"{heading} {kind} {code(proof.theorem)} ({proof.verdict}: {evidence})"]
    if stated_in is None:
        blocks += ["*" + prose_markdown(proof.statement).strip() + "*",
                   display_markdown(math_unicode(proof.statement_latex))]
    else:
        blocks.append(f"*Stated in section {stated_in} above.*")
    if proof.parameters and not (brief and parameters_named_elsewhere(proof)):
        blocks.append("**Parameters.** " + ", ".join(
            f"{code(str(k))} $= {value_math(v)}$" for k, v in proof.parameters.items()) + ".")
    for step in proof.steps:
        text = prose_markdown(step.text)
        block = (display_markdown(display_lines(step.math, max_rows, max_cols)[0])
                 if step.math else "")
        if block and shown is not None and block in shown:
            text += f" (Displayed in section {shown[block]} above.)"
            block = ""
        elif block and shown is not None:
            shown[block] = section
        blocks.append(f"**{prose_markdown(step.title)}.**" + (f" {text}" if text else ""))
        if block:
            blocks.append(block)
    if proof.witness is not None:
        blocks += _found_markdown("Witness", proof.witness)
    if figure:
        blocks.append(figure)
    end = " ∎" if proof.proved else ""
    blocks.append("**Conclusion.** " + sentence_markdown(proof.evidence_sentence()) + end)
    if proof.counterexample is not None:
        blocks += _found_markdown(counterexample_heading(proof), proof.counterexample)
    return "\n\n".join(blocks) + "\n"


def notes_markdown(proofs: Sequence[Proof], title: str | None = None,
                   figures: Sequence[str | None] | None = None, max_rows: int = MAX_ROWS,
                   max_cols: int | None = None, introduction: str | None = None,
                   brief: bool = False) -> str:
    """One Markdown document with a section per proof (a topic of the notes).

    ``introduction`` (plain paragraphs and ``- `` lists, ````name```` as code) comes
    after the title, as written. ``brief`` as in
    :func:`~symconv.render.latex.notes_latex`.
    """
    figures = figures or [None] * len(proofs)
    stated = stated_before(proofs) if brief else [None] * len(proofs)
    parts = [f"# {escape_markdown(title)}\n"] if title else []
    if introduction:
        parts.append(introduction.strip() + "\n")
    shown: dict[str, int] | None = {} if brief else None
    parts += [proof_markdown(p, max_rows, max_cols, "##", f, n, brief, shown, section)
              for section, (p, f, n) in enumerate(zip(proofs, figures, stated), 1)]
    return "\n".join(parts)


_FORMULA = re.compile(r"\$\$\n(.*?)\n\$\$|(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$", re.DOTALL)


def formulas(markdown: str) -> list[tuple[str, bool]]:
    """Every formula of a Markdown text as ``(latex, display)``, in order (for checkers).

    Examples
    --------
    >>> formulas("a $x$ b\\n\\n$$\\ny = 1\\n$$\\n")
    [('x', False), ('y = 1', True)]
    """
    out = []
    for found in _FORMULA.finditer(_CODE.sub("", markdown)):
        if found.group(1) is not None:
            out.append((found.group(1), True))
        else:
            out.append((found.group(2), False))
    return out


_CODE = re.compile(r"``.*?``|`[^`]*`")
