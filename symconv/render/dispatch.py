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

from importlib import import_module
from typing import Any

from ..errors import SymconvError

__all__ = ["RENDERERS", "render"]

#: Each kind of output and the function that writes it, as (module of this package,
#: function): a renderer's module is imported when its kind is first asked for (a proof
#: printed as text imports neither the LaTeX nor the Markdown writer).
RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "proof_text"),
    "latex": ("latex", "proof_latex"),
    "markdown": ("markdown", "proof_markdown"),
    "repr_latex": ("latex", "proof_repr_latex"),
    "item_latex": ("math", "item_latex"),
    "item_plain": ("math", "item_plain"),
}


def render(kind: str, value: Any, **options: Any) -> str:
    """``value`` (a :class:`~symconv.proof.Proof`, or one display item) written as ``kind``."""
    if kind not in RENDERERS:
        raise SymconvError(f"kind must be one of {', '.join(sorted(RENDERERS))}, got {kind!r}")
    module, function = RENDERERS[kind]
    writer = getattr(import_module(f".{module}", __package__), function)
    return writer(value, **options)
