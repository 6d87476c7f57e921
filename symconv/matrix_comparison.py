"""Two operators' matrices side by side, the differing entries marked.

:func:`comparison_step` is the derivation step a refuted implementation check
ends with: fn's lifted matrix beside the reference matrix, as one display
(LaTeX: differing entries ``\\boxed``; plain text: in ``[brackets]``). Matrices
larger than :data:`MAX_ROWS` x :data:`MAX_COLS` are cut to the rows around the
first difference and the columns nonzero there, and the step says which rows and
columns it shows; matrices wider than :data:`BESIDE_COLS` columns are shown one above
the other, so the display fits a page.

Examples
--------
>>> from symconv.geometry import Geometry
>>> from symconv.operators import correlation
>>> right = correlation(Geometry((3,), (2,)))
>>> flipped = correlation(Geometry((3,), (2,)), flip=True)
>>> step = comparison_step(flipped, right, "kernel flipped")
>>> print(step.math[0].plain)
fn:                                reference:
  [k_{0,0,1}] [k_{0,0,0}]  0          [k_{0,0,0}] [k_{0,0,1}]  0
   0  [k_{0,0,1}] [k_{0,0,0}]          0  [k_{0,0,0}] [k_{0,0,1}]
>>> step.text.endswith("Diagnosis: kernel flipped.")
True
"""

from __future__ import annotations

import sympy

from .operators import LinearOperator
from .proof import Math, Step

#: Largest matrix shown whole; larger ones are cut around the first difference.
MAX_ROWS = 4
MAX_COLS = 8
#: Widest matrices shown side by side; wider ones are shown one above the other.
BESIDE_COLS = 4


def _first_difference(a: dict, b: dict, rows: int) -> tuple[int, int]:
    """The first ``(row, col)`` (row-major) where the entry dicts differ."""
    keys = sorted(k for k in set(a) | set(b) if k[0] < rows
                  and sympy.expand(a.get(k, 0) - b.get(k, 0)) != 0)
    return keys[0] if keys else (0, 0)


def _window(first: int, count: int, size: int) -> list[int]:
    """``size`` consecutive indices of ``range(count)`` starting one before ``first``."""
    start = max(0, min(first - 1, count - size))
    return list(range(start, min(count, start + size)))


def _columns(entries: list[dict], rows: list[int], first_col: int, total: int) -> list[int]:
    """The columns nonzero in ``rows`` of any matrix, at most :data:`MAX_COLS`, nearest
    the first difference."""
    used = sorted({c for e in entries for (r, c) in e if r in rows})
    if total <= MAX_COLS:
        return list(range(total))
    used = used or [first_col]
    if len(used) <= MAX_COLS:
        return used
    nearest = sorted(used, key=lambda c: (abs(c - first_col), c))[:MAX_COLS]
    return sorted(nearest)


def comparison_step(lifted: LinearOperator, right: LinearOperator,
                    diagnosis: str | None = None) -> Step:
    """fn's matrix beside the reference's, differing entries marked, and the diagnosis."""
    mine, theirs = lifted.entries(), right.entries()
    common_rows = min(lifted.shape[0], right.shape[0])
    first_row, first_col = _first_difference(mine, theirs, common_rows)
    total_rows, total_cols = max(lifted.shape[0], right.shape[0]), \
        max(lifted.shape[1], right.shape[1])
    rows = _window(first_row, total_rows, MAX_ROWS)
    cols = _columns([mine, theirs], rows, first_col, total_cols)
    grids = [[[e.get((r, c), sympy.Integer(0)) if r < op.shape[0] else None for c in cols]
              for r in rows] for e, op in ((mine, lifted), (theirs, right))]
    marked = [[a is None or b is None or sympy.expand(a - b) != 0 for a, b in zip(ra, rb)]
              for ra, rb in zip(*grids)]
    whole = len(rows) == total_rows and len(cols) == total_cols
    shapes = f"fn's matrix is {lifted.shape[0]} x {lifted.shape[1]}, the reference's " \
             f"{right.shape[0]} x {right.shape[1]}"
    if lifted.output_shape != right.output_shape:
        shapes += (f" (outputs {lifted.output_shape} and {right.output_shape}: rows compared "
                   "by their flat index)")
    shown = "" if whole else (f" Shown: rows {rows[0]}..{rows[-1]} and columns "
                              f"{', '.join(map(str, cols))} (the rows around the first "
                              "difference, the columns nonzero in them).")
    sentence = (f"At the counterexample, fn's lifted matrix (left) beside the reference matrix "
                f"(right); the differing entries are marked. {shapes}.{shown}")
    if diagnosis:
        sentence += f" Diagnosis: {diagnosis}."
    if len(cols) <= BESIDE_COLS:
        return Step("Matrices", sentence, (Math(r",\quad ".join(_latex(grids, marked)),
                                                _plain(grids, marked)),))
    sentence = sentence.replace("(left) beside", "(first) above").replace("(right)", "(second)")
    return Step("Matrices", sentence, tuple(
        Math(latex, plain) for latex, plain in zip(_latex(grids, marked),
                                                   _plain(grids, marked, beside=False))))


def _cell_latex(value: sympy.Expr | None, mark: bool) -> str:
    body = r"\cdot" if value is None else sympy.latex(value)
    return r"\boxed{" + body + "}" if mark else body


def _latex(grids: list, marked: list) -> list[str]:
    parts = []
    for label, grid in zip((r"C_{\text{fn}}", r"C_{\text{ref}}"), grids):
        body = r" \\ ".join(" & ".join(_cell_latex(v, m) for v, m in zip(row, marks))
                            for row, marks in zip(grid, marked))
        parts.append(label + r" = \begin{bmatrix} " + body + r" \end{bmatrix}")
    return parts


def _plain(grids: list, marked: list, beside: bool = True) -> str | list[str]:
    """Both grids side by side in one text, or (``beside=False``) one text per grid."""
    cells = [[[f"[{'-' if v is None else v}]" if m else f" {'-' if v is None else v} "
               for v, m in zip(row, marks)] for row, marks in zip(grid, marked)]
             for grid in grids]
    width = max(len(c) for grid in cells for row in grid for c in row)
    sides = [[" ".join(c.center(width) for c in row).rstrip() for row in grid]
             for grid in cells]
    if not beside:
        return ["\n".join([label] + side) for label, side in zip(("fn:", "reference:"), sides)]
    block = max(len(line) for side in sides for line in side)
    out = ["fn:".ljust(block + 4) + "reference:"]
    out += [a.ljust(block) + "    " + b for a, b in zip(*sides)]
    return "\n".join(line.rstrip() for line in out)


__all__ = ["BESIDE_COLS", "MAX_COLS", "MAX_ROWS", "comparison_step"]
