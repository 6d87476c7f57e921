r"""A claim typeset as LaTeX (KaTeX-safe), as the notes write its operators.

``flip(k)`` is :math:`\operatorname{flip}(k)`, ``upsample(x, s)`` is
:math:`{\uparrow_{s}}\,x` (zero insertion), ``subsample(x, s)`` is
:math:`{\downarrow_{s}}\,x`, ``dot(a, b)`` is :math:`\langle a, b\rangle`,
``shape(e)`` is :math:`\lvert e\rvert`; layers keep their names and keywords.
The counterexample's vectors are typeset with the differing entry boxed.

Examples
--------
>>> from symconv.claim.syntax import parse_claim
>>> print(chain_latex(parse_claim("corr(y, k, stride=s) == upsample(k, s)")))
\operatorname{corr}\left(y, k;\ \mathrm{stride}=s\right) = {\uparrow_{s}}\,k
>>> print(node_latex(parse_claim("s*(m - 1) + 1 == -n").terms[0]))
s \cdot \left(m - 1\right) + 1
>>> print(node_latex(parse_claim("shape(x) == (3,)").terms[1]))
\left(3,\right)
"""

from __future__ import annotations

import sympy

from .syntax import BinOp, Call, Chain, Name, Neg, Node, Number, String, Tuple
from .values import Value, to_sympy

__all__ = ["node_latex", "chain_latex", "ranges_latex", "value_latex", "value_plain"]

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2, "/": 2}


def _name(text: str) -> str:
    return text.replace("_", r"\_") if len(text) > 1 else text


def _wrapped(node: Node, parent: int, right: bool = False) -> str:
    inner = node_latex(node)
    if isinstance(node, BinOp) and node.op == "/":
        return rf"\frac{{{node_latex(node.left)}}}{{{node_latex(node.right)}}}"
    if isinstance(node, BinOp):
        level = _PRECEDENCE[node.op]
        if level < parent or (right and level == parent):
            return rf"\left({inner}\right)"
    return inner


def _call_latex(node: Call) -> str:
    args = [node_latex(a) for a in node.args]
    if node.function in ("upsample", "subsample") and len(args) == 2 and not node.keywords:
        arrow = r"\uparrow" if node.function == "upsample" else r"\downarrow"
        operand = node.args[0]
        body = args[0] if isinstance(operand, (Name, Call)) else rf"\left({args[0]}\right)"
        return rf"{{{arrow}_{{{args[1]}}}}}\,{body}"
    if node.function == "dot" and len(args) == 2:
        return rf"\left\langle {args[0]}, {args[1]} \right\rangle"
    if node.function == "shape" and len(args) == 1:
        return rf"\left\lvert {args[0]} \right\rvert"
    keywords = [rf"\mathrm{{{_name(k.name)}}}={node_latex(k.value)}" for k in node.keywords]
    inside = ", ".join(args) + (r";\ " + ", ".join(keywords) if keywords else "")
    return rf"\operatorname{{{_name(node.function)}}}\left({inside}\right)"


def node_latex(node: Node) -> str:
    """LaTeX of one expression of a claim."""
    if isinstance(node, Name):
        return _name(node.name)
    if isinstance(node, Number):
        return str(node.value)
    if isinstance(node, String):
        return rf"\text{{{_name(node.value)}}}"
    if isinstance(node, Neg):
        return "-" + _wrapped(node.operand, 3)
    if isinstance(node, BinOp) and node.op == "/":
        return rf"\frac{{{node_latex(node.left)}}}{{{node_latex(node.right)}}}"
    if isinstance(node, BinOp):
        level = _PRECEDENCE[node.op]
        symbol = {"+": "+", "-": "-", "*": r"\cdot", "//": r"/\!/"}[node.op]
        return f"{_wrapped(node.left, level)} {symbol} {_wrapped(node.right, level, True)}"
    if isinstance(node, Call):
        return _call_latex(node)
    if isinstance(node, Tuple):  # one item written (3,), as the frameworks write it
        items = ", ".join(node_latex(i) for i in node.items) + ("," if len(node.items) == 1 else "")
        return r"\left(" + items + r"\right)"
    raise TypeError(f"not a claim node: {node!r}")


def chain_latex(chain: Chain) -> str:
    """The whole claim: its terms joined by ``=``."""
    return " = ".join(node_latex(t) for t in chain.terms)


def ranges_latex(ranges: dict[str, tuple[int, int]]) -> str:
    r"""The domain's sizes as math, in the order of :func:`symconv.domain.domain_text`.

    >>> print(ranges_latex({"n": (1, 8), "s": (2, 2)}))
    1 \le n \le 8,\ s = 2
    """
    return r",\ ".join(f"{_name(name)} = {low}" if low == high else
                        rf"{low} \le {_name(name)} \le {high}"
                        for name, (low, high) in ranges.items())


def _grid(value: Value, marked: int | None, box, col_sep: str) -> list[str]:
    cells = [box(to_sympy(value.entry(i)), i == marked) for i in range(value.size)]
    if value.shape == ():
        return cells
    width = value.shape[-1] if len(value.shape) == 2 else 1
    rows = [cells[r * width:(r + 1) * width] for r in range(value.size // width)]
    return [col_sep.join(row) for row in rows]


def value_latex(value: Value, marked: int | None = None) -> str:
    r"""A value as a ``bmatrix`` (a column for 1-D), entry ``marked`` boxed.

    >>> from symconv.claim.values import signal
    >>> print(value_latex(signal("x", (2,)), marked=1))
    \begin{bmatrix} x_{0} \\ \boxed{x_{1}} \end{bmatrix}
    """
    def box(expr, mark):
        return rf"\boxed{{{sympy.latex(expr)}}}" if mark else sympy.latex(expr)

    rows = _grid(value, marked, box, " & ")
    if value.shape == ():
        return rows[0]
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def value_plain(value: Value, marked: int | None = None) -> str:
    """A value as text, one row per line, entry ``marked`` in ``[[ ]]``.

    >>> from symconv.claim.values import signal
    >>> print(value_plain(signal("x", (2,)), marked=1))
    (x_0, [[x_1]])
    """
    def box(expr, mark):
        return f"[[{expr}]]" if mark else str(expr)

    if len(value.shape) <= 1:
        cells = [box(to_sympy(value.entry(i)), i == marked) for i in range(value.size)]
        return cells[0] if value.shape == () else "(" + ", ".join(cells) + ")"
    return "\n".join("[" + row + "]" for row in _grid(value, marked, box, ", "))
