"""The one door from the data model into the renderers: :func:`render`, looked up by kind.

:mod:`symconv.proof` is the ground floor: it holds what a check found and knows no
renderer. Its methods (``Proof.text``, ``Proof.latex``, ``Proof.markdown``,
``Proof._repr_latex_``, ``Step.to_dict``) call :func:`render`, and ``proof`` imports
this module only inside a function, so importing :mod:`symconv.proof` imports no
renderer. The renderers import ``proof`` at the top, for the types they render. This
is the one import circle of symconv, on purpose: proof -> render.dispatch (lazy) ->
render.text / latex / markdown / math -> proof.

Examples
--------
>>> from symconv.proof import Proof
>>> p = Proof("t", "a = a", "a = a", {}, "proved", ["symbolic"])
>>> render("text", p).splitlines()[0]
'== t: PROVED [symbolic]'
>>> sorted(RENDERERS)
['item_latex', 'item_plain', 'latex', 'markdown', 'repr_latex', 'text']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import SymconvError
from .latex import proof_latex, proof_repr_latex
from .markdown import proof_markdown
from .math import item_latex, item_plain
from .text import proof_text

__all__ = ["RENDERERS", "render"]

#: Each kind of output and the function that writes it.
RENDERERS: dict[str, Callable[..., str]] = {
    "text": proof_text,
    "latex": proof_latex,
    "markdown": proof_markdown,
    "repr_latex": proof_repr_latex,
    "item_latex": item_latex,
    "item_plain": item_plain,
}


def render(kind: str, value: Any, **options: Any) -> str:
    """``value`` (a :class:`~symconv.proof.Proof`, or one display item) written as ``kind``."""
    if kind not in RENDERERS:
        raise SymconvError(f"kind must be one of {', '.join(sorted(RENDERERS))}, got {kind!r}")
    return RENDERERS[kind](value, **options)
