"""Display items (:class:`~symconv.proof.Math`, :class:`~symconv.proof.Display`) as LaTeX or text.

Large matrices are elided: the first rows and columns, then ``\\vdots`` /
``\\cdots`` / ``\\ddots``, then the last row and column, so that a 64x256 C stays
readable. The LaTeX uses only ``bmatrix`` (accepted by amsmath and KaTeX).

Examples
--------
>>> import sympy
>>> from symconv.proof import Display
>>> print(item_latex(Display("C", sympy.Matrix([[1, 2], [3, 4]]))))
C = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}
>>> print(matrix_latex(sympy.eye(20), max_rows=4, max_cols=4))
\\begin{bmatrix} 1 & 0 & 0 & \\cdots & 0 \\\\ 0 & 1 & 0 & \\cdots & 0 \\\\
0 & 0 & 1 & \\cdots & 0 \\\\ \\vdots & \\vdots & \\vdots & \\ddots & \\vdots \\\\
0 & 0 & 0 & \\cdots & 1 \\end{bmatrix}
"""

from __future__ import annotations

from typing import Any

import sympy

from ..proof import Display, Math

#: Default largest matrix shown whole; larger ones are elided.
MAX_ROWS = 12
MAX_COLS = 12


def as_matrix(value: Any) -> sympy.MatrixBase | None:
    """``value`` as a SymPy matrix (a 1-D array is a row), or None if it is not one.

    Examples
    --------
    >>> as_matrix(sympy.Array([1, 2])), as_matrix(3)
    (Matrix([[1, 2]]), None)
    """
    if isinstance(value, sympy.MatrixBase):
        return value
    if isinstance(value, sympy.NDimArray):
        if value.rank() == 1:
            return sympy.Matrix(value.tolist()).T
        if value.rank() == 2:
            return sympy.Matrix(value.tolist())
    return None


def kept(size: int, limit: int) -> tuple[list[int], bool]:
    """Indices shown along one axis, and whether an ellipsis goes before the last one."""
    if size <= limit:
        return list(range(size)), False
    return list(range(limit - 1)) + [size - 1], True


def matrix_latex(m: sympy.MatrixBase, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """``bmatrix`` LaTeX for ``m``, elided beyond ``max_rows`` x ``max_cols``.

    Examples
    --------
    >>> import sympy
    >>> print(matrix_latex(sympy.Matrix([[sympy.Symbol("k_{0}"), 0]])))
    \\begin{bmatrix} k_{0} & 0 \\end{bmatrix}
    """
    rows, cut_r = kept(m.rows, max_rows)
    cols, cut_c = kept(m.cols, max_cols)
    lines = []
    for a, i in enumerate(rows):
        if cut_r and a == len(rows) - 1:
            dots = [r"\vdots"] * (len(cols) - 1)
            lines.append(dots + ([r"\ddots"] if cut_c else []) + [r"\vdots"])
        cells = [sympy.latex(m[i, j]) for j in cols]
        if cut_c:
            cells.insert(len(cells) - 1, r"\cdots")
        lines.append(cells)
    body = r" \\ ".join(" & ".join(cells) for cells in lines)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def matrix_plain(m: sympy.MatrixBase, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A fixed-width text grid for ``m``, elided like :func:`matrix_latex`.

    Examples
    --------
    >>> import sympy
    >>> print(matrix_plain(sympy.Matrix([[1, 20], [300, 4]])))
    [  1  20]
    [300   4]
    """
    rows, cut_r = kept(m.rows, max_rows)
    cols, cut_c = kept(m.cols, max_cols)
    grid = []
    for a, i in enumerate(rows):
        if cut_r and a == len(rows) - 1:
            grid.append([":"] * (len(cols) + cut_c))
        cells = [sympy.sstr(m[i, j]) for j in cols]
        if cut_c:
            cells.insert(len(cells) - 1, "...")
        grid.append(cells)
    widths = [max(len(row[c]) for row in grid) for c in range(len(grid[0]))]
    return "\n".join("[" + " ".join(cell.rjust(w) for cell, w in zip(row, widths)) + "]"
                     for row in grid)


def value_latex(value: Any, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """LaTeX for any SymPy value, matrices through :func:`matrix_latex`."""
    m = as_matrix(value)
    if m is not None:
        return matrix_latex(m, max_rows, max_cols)
    return sympy.latex(value)


def value_plain(value: Any, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """Plain text for any SymPy value, matrices through :func:`matrix_plain`."""
    m = as_matrix(value)
    if m is not None:
        return matrix_plain(m, max_rows, max_cols)
    return sympy.sstr(value)


def item_latex(item: Math | Display, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A display item as one LaTeX equation (no surrounding ``$$``)."""
    if isinstance(item, Math):
        return item.latex
    body = value_latex(item.value, max_rows, max_cols)
    return f"{item.label_latex} = {body}" if item.label_latex else body


def item_plain(item: Math | Display, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A display item as terminal text; a multi-line value starts on its own line."""
    if isinstance(item, Math):
        return item.plain
    body = value_plain(item.value, max_rows, max_cols)
    label = item.label_plain or item.label_latex
    if not label:
        return body
    return f"{label} =\n{body}" if "\n" in body else f"{label} = {body}"


def counterexample_heading(proof: Any) -> str:
    """"Smallest counterexample" only when a domain was searched in order of size.

    Examples
    --------
    >>> from symconv.proof import Proof
    >>> counterexample_heading(Proof("t", "s", "s", {}, "refuted", [], {"n": 1}))
    'Counterexample'
    """
    return "Smallest counterexample" if proof.domain else "Counterexample"

