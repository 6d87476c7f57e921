r"""The formula checker's prose as math: the user's formula, a point, a layer's name.

Step texts carry inline LaTeX between ``$...$`` (:class:`symconv.proof.Step`); the
terminal renderer writes it as Unicode, the LaTeX and Markdown renderers as math.
A formula is typeset term for term as written (:func:`symconv.render.math.formula_latex`,
nothing evaluated); text that is no formula stays a code span, quoted as written.

Examples
--------
>>> print(formula_prose("floor((n + 2*p - k)/s) + 1"))
$\operatorname{floor}((n + 2\,p - k)/s) + 1$
>>> print(formula_prose("max(k - n % s, 0)"))
$\operatorname{max}(k - n \% s, 0)$
>>> print(formula_prose("n +"), point_prose({"n": 1, "p_before": 0}))
`n +` $n = 1$, $p_{\mathrm{before}} = 0$
>>> print(layer_prose("torch convolution (torch.nn.Conv1d, padding=p)"))
torch convolution (`torch.nn.Conv1d, padding=p`)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["code", "formula_prose", "layer_prose", "point_prose", "variable_latex"]

#: ``%`` as the user wrote it: the terminal's writer knows no ``\bmod``.
_MOD = r"\%"

#: A bracketed aside of a layer's name that quotes code: a call's name or argument.
_CODE_ASIDE = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")


def code(text: str) -> str:
    """``text`` as a code span (typewriter text in LaTeX)."""
    return f"`{text}`"


def formula_prose(text: str) -> str:
    """The user's formula as inline math, as written; a code span when it is no formula."""
    from ..render.math import formula_latex

    latex = formula_latex(text.strip())
    if latex is None:
        return code(text.strip())
    return "$" + latex.replace(r"\bmod", _MOD) + "$"


def variable_latex(name: str) -> str:
    """A variable's name as math: ``p_{\\mathrm{before}}``, ``\\mathrm{op}``."""
    from ..render.math import formula_latex

    return formula_latex(name) or rf"\mathrm{{{name}}}"


def point_prose(point: Mapping[str, Any]) -> str:
    """A point of the domain, ``$n = 1$, $k = 2$``."""
    return ", ".join(f"${variable_latex(v)} = {x}$" for v, x in point.items())


def layer_prose(layer: str) -> str:
    """A layer's name with each aside that quotes code (a ``.`` or ``=`` in it) as code."""
    return _CODE_ASIDE.sub(lambda m: f"({code(m[1])})" if re.search(r"[.=]", m[1])
                           else m[0], layer)
