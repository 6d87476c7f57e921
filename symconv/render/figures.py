"""Figures without a plotting dependency: SVG, TikZ and a plain LaTeX ``array``.

Two pictures, each as SVG (for Markdown) and TikZ (for LaTeX with pgf installed):

- the **sparsity pattern** of an operator's matrix C: one square per nonzero
  entry, coloured by the kernel tap it holds, rows = outputs, columns = inputs,
  with a legend from colour to kernel symbol;
- the **sliding window** of a layer (after Dumoulin and Visin's figures): the
  padded input grid with the padding cells dashed, the dilated kernel window at
  one output position, and the output grid with that position marked.

:func:`sparsity_array` draws the pattern as an ``array`` of tap numbers, for
LaTeX installations without TikZ (pgf is not part of ``texlive-latex-base`` or
``texlive-latex-recommended``). Everything is deterministic: same input, same bytes.

Examples
--------
>>> import xml.etree.ElementTree as ET
>>> from symconv.geometry import Geometry
>>> from symconv.operators import correlation
>>> op = correlation(Geometry((4,), (2,)))
>>> svg = ET.fromstring(sparsity_svg(op))
>>> len(svg.findall(".//{http://www.w3.org/2000/svg}rect[@class='entry']")) == op.nnz
True
"""

from __future__ import annotations

import colorsys
import itertools
import re
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from ..errors import GeometryError, require
from ..limits import require_work
from ..operators import LinearOperator
from ..validation import is_integer
from .math import kept

#: Colours of the first kernel taps (Tableau 10); later taps take golden-angle hues.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")
#: Colour of an entry that sums several taps.
MIXED = "#333333"
FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'"


def tap_colour(tap: int) -> str:
    """The fill colour of kernel tap ``tap`` (``-1``: an entry with no kernel factor).

    Examples
    --------
    >>> tap_colour(0), tap_colour(-1)
    ('#4e79a7', '#999999')
    """
    if tap < 0:
        return "#999999"
    if tap < len(PALETTE):
        return PALETTE[tap]
    hue = (tap * 0.618033988749895) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.6, 0.55)
    return "#" + "".join(f"{round(255 * v):02x}" for v in (r, g, b))


def sparsity_cells(geometry: Any, channels: int = 1) -> int:
    """Cells a sparsity figure of ``geometry``'s correlation draws, from the sizes alone.

    An upper bound (one per window tap, plus a grid line per row and column), known
    before the operator is built, for :func:`require_drawable`.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> sparsity_cells(Geometry((4,), (2,)))
    13
    """
    rows = channels * int(np.prod(geometry.output_shape))
    taps = rows * channels * int(np.prod(geometry.kernel_shape))
    return taps + rows + channels * int(np.prod(geometry.input_shape))


def window_cells(geometry: Any) -> int:
    """Cells a sliding-window figure of ``geometry`` draws: padded input, window, output.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> window_cells(Geometry((4,), (2,), padding=1))
    13
    """
    padded = int(np.prod([n + b + a for n, (b, a) in zip(geometry.input_shape, geometry.pads)]))
    return padded + int(np.prod(geometry.kernel_shape)) + int(np.prod(geometry.output_shape))


def require_drawable(kind: str, cells: int) -> None:
    """Refuse a figure of ``cells`` cells beyond the work limit, before drawing anything."""
    require_work(f"figure {kind}", cells=cells)


def entry_taps(op: LinearOperator) -> dict[tuple[int, int], int | None]:
    """Each nonzero position of C and its tap (None: several taps summed there), sorted."""
    found: dict[tuple[int, int], set[int]] = {}
    for r, c, t in zip(op.rows.tolist(), op.cols.tolist(), op.taps.tolist()):
        found.setdefault((r, c), set()).add(t)
    return {key: (next(iter(taps)) if len(taps) == 1 else None)
            for key, taps in sorted(found.items())}


def tap_label(op: LinearOperator, tap: int | None) -> str:
    """Plain text for a tap: the kernel symbol ``k_{0,0,1}`` shown as ``k[0,0,1]``.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
    >>> tap_label(correlation(Geometry((4,), (2,))), 1)
    'k[0,0,1]'
    """
    if tap is None:
        return "several taps"
    if tap < 0 or tap >= len(op.kernel_flat):
        coeffs = {str(a) for a, t in zip(op.coeffs if op.coeffs is not None else [],
                                         op.taps.tolist()) if t == tap}
        return "constant " + ", ".join(sorted(coeffs)) if coeffs else "constant 1"
    return re.sub(r"_\{(.*)\}$", r"[\1]", str(op.kernel_flat[tap]))


def _legend(op: LinearOperator, taps: dict[tuple[int, int], int | None]) -> list[int | None]:
    present = sorted({t for t in taps.values() if t is not None})
    return present + ([None] if None in taps.values() else [])


def _fill(tap: int | None) -> str:
    return MIXED if tap is None else tap_colour(tap)


# ---------------------------------------------------------------------------
# Sparsity pattern
# ---------------------------------------------------------------------------

#: A pattern with more rows or columns than this is drawn as its top-left corner
#: (:data:`CORNER` rows) with its band width stated: the whole of a 961 x 1024 C is
#: thousands of pixels wide and readable by no one.
MAX_DRAWN = 64
CORNER = (32, 48)


def band_width(op: LinearOperator) -> int:
    """The most columns any row of C spans, from its first to its last nonzero.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
    >>> band_width(correlation(Geometry((5, 5), (3, 3))))  # 2 rows of 5 between the taps
    13
    """
    rows, cols = np.asarray(op.rows), np.asarray(op.cols)
    if rows.size == 0:
        return 0
    first = np.full(op.shape[0], np.iinfo(np.int64).max)
    last = np.full(op.shape[0], -1)
    np.minimum.at(first, rows, cols)
    np.maximum.at(last, rows, cols)
    used = last >= 0
    return int((last[used] - first[used]).max()) + 1


def sparsity_svg(op: LinearOperator, cell: int = 12) -> str:
    """The sparsity pattern of ``op.matrix`` as SVG, one square per nonzero entry.

    A matrix with more than :data:`MAX_DRAWN` rows or columns is drawn as its
    top-left corner (at most :data:`CORNER` rows x columns) with a caption giving
    the whole shape, the number of nonzeros and the band width (:func:`band_width`).

    Parameters
    ----------
    op : LinearOperator
        Any operator; rows are its outputs, columns its inputs.
    cell : int
        Side of one matrix entry in pixels.

    Returns
    -------
    str
        A standalone SVG document. Each nonzero entry drawn is a ``rect`` of class
        ``entry`` filled with its tap's colour; a legend maps colours to kernel symbols.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
    >>> sparsity_svg(correlation(Geometry((3,), (2,)))).count("class='entry'")
    4
    """
    require(is_integer(cell) and cell >= 2, "cell", cell, "must be an integer >= 2",
            "2, 3, ...", error=GeometryError)
    all_rows, all_cols = op.shape
    corner = max(all_rows, all_cols) > MAX_DRAWN
    n_rows, n_cols = (min(all_rows, CORNER[0]), min(all_cols, CORNER[1])) if corner else op.shape
    require_drawable("sparsity", min(len(op.rows), n_rows * n_cols) + n_rows + n_cols)
    taps = entry_taps(op)
    nonzeros = len(taps)
    if corner:
        taps = {(r, c): t for (r, c), t in taps.items() if r < n_rows and c < n_cols}
    legend = _legend(op, taps)
    left, top = 56, 40
    grid_w, grid_h = n_cols * cell, n_rows * cell
    legend_x = left + grid_w + 24
    caption = ([f"top-left corner: rows 0..{n_rows - 1}, columns 0..{n_cols - 1} of the "
                f"{all_rows} x {all_cols} matrix,",
                f"{nonzeros} nonzeros; each row spans at most {band_width(op)} columns (band)"]
               if corner else [])
    height = max(top + grid_h + 16, top + 18 * len(legend) + 16) + 16 * len(caption)
    width = legend_x + 16 + 8 * max((len(tap_label(op, t)) for t in legend), default=8) + 16
    width = max([width] + [left + int(_text_width(line)) + 12 for line in caption])
    columns = f"columns: inputs j = 0..{n_cols - 1}" + (f" (of {all_cols})" if corner else "")
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' {FONT} font-size='11'>",
           f"<title>Sparsity pattern of C ({escape(op.name)}): {all_rows} outputs x "
           f"{all_cols} inputs, {nonzeros} nonzeros</title>",
           f"<text x='{left}' y='{top - 24}'>{columns}</text>",
           f"<text x='{left - 8}' y='{top + grid_h / 2:g}' text-anchor='middle' "
           f"transform='rotate(-90 {left - 8} {top + grid_h / 2:g})'>rows: outputs i</text>",
           f"<rect class='frame' x='{left}' y='{top}' width='{grid_w}' height='{grid_h}' "
           "fill='#ffffff' stroke='#bbbbbb'/>"]
    out += _grid_lines(left, top, n_rows, n_cols, cell)
    for (r, c), tap in taps.items():
        out.append(f"<rect class='entry' x='{left + c * cell}' y='{top + r * cell}' "
                   f"width='{cell}' height='{cell}' fill='{_fill(tap)}'/>")
    for row, tap in enumerate(legend):
        y = top + 18 * row
        out.append(f"<rect class='legend' x='{legend_x}' y='{y}' width='12' height='12' "
                   f"fill='{_fill(tap)}'/>")
        out.append(f"<text x='{legend_x + 18}' y='{y + 10}'>{escape(tap_label(op, tap))}</text>")
    below = max(top + grid_h + 16, top + 18 * len(legend) + 16)
    for at, line in enumerate(caption):
        out.append(f"<text class='caption' x='{left}' y='{below + 16 * at}'>{line}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _grid_lines(left: int, top: int, n_rows: int, n_cols: int, cell: int) -> list[str]:
    """One path of light lines between the cells (omitted when cells are tiny)."""
    if cell < 6:
        return []
    steps = [f"M{left + c * cell} {top}v{n_rows * cell}" for c in range(1, n_cols)]
    steps += [f"M{left} {top + r * cell}h{n_cols * cell}" for r in range(1, n_rows)]
    return [f"<path d='{''.join(steps)}' stroke='#eeeeee' stroke-width='1'/>"] if steps else []


def sparsity_tikz(op: LinearOperator, cell: float = 0.25) -> str:
    """The sparsity pattern as a ``tikzpicture`` (needs ``\\usepackage{tikz}``).

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
    >>> sparsity_tikz(correlation(Geometry((3,), (2,)))).count(r"\\fill[")
    6
    """
    n_rows, n_cols = op.shape
    require_drawable("sparsity", len(op.rows) + n_rows + n_cols)
    taps = entry_taps(op)
    out = [rf"\begin{{tikzpicture}}[x={cell:g}cm,y=-{cell:g}cm]",
           rf"\draw[gray!40] (0,0) grid ({n_cols},{n_rows});"]
    for (r, c), tap in taps.items():
        out.append(rf"\fill[fill={_tikz_colour(_fill(tap))}] ({c},{r}) rectangle ++(1,1);")
    for row, tap in enumerate(_legend(op, taps)):
        y = row * 1.5
        out.append(rf"\fill[fill={_tikz_colour(_fill(tap))}] ({n_cols + 1},{y:g}) "
                   r"rectangle ++(1,1);")
        out.append(rf"\node[anchor=west,font=\scriptsize] at ({n_cols + 2.2},{y + 0.5:g}) "
                   rf"{{\texttt{{{_tikz_text(tap_label(op, tap))}}}}};")
    out.append(r"\end{tikzpicture}")
    return "\n".join(out) + "\n"


def _tikz_colour(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{{rgb,255:red,{r};green,{g};blue,{b}}}"


def _tikz_text(text: str) -> str:
    return "".join({"_": r"\_", "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%", "&": r"\&",
                    "$": r"\$"}.get(ch, ch) for ch in text)


def sparsity_array(op: LinearOperator, max_rows: int = 24, max_cols: int = 36) -> str:
    """The sparsity pattern as a LaTeX ``array`` of tap numbers, zeros as dots (no TikZ).

    The entry in row ``i``, column ``j`` is the flat index ``t`` (C order) of
    the kernel tap ``C[i, j]`` holds; rows and columns beyond the limits are elided.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> from symconv.operators import correlation
    >>> print(sparsity_array(correlation(Geometry((3,), (2,)))).splitlines()[2])
    \\begin{array}{@{}*{3}{c}@{}}
    """
    taps = entry_taps(op)
    rows, cut_r = kept(op.shape[0], max_rows)
    cols, cut_c = kept(op.shape[1], max_cols)

    def cell(r: int, c: int) -> str:
        if (r, c) not in taps:
            return r"\cdot"
        tap = taps[(r, c)]
        return "+" if tap is None else ("1" if tap < 0 else str(tap))

    lines = []
    for a, r in enumerate(rows):
        if cut_r and a == len(rows) - 1:
            lines.append(" & ".join([r"\vdots"] * (len(cols) + cut_c)))
        cells = [cell(r, c) for c in cols]
        if cut_c:
            cells.insert(len(cells) - 1, r"\cdots")
        lines.append(" & ".join(cells))
    first = op.kernel_flat[0] if op.kernel_flat else None
    caption = ("Sparsity pattern of $C$ (rows: outputs, columns: inputs): each nonzero entry "
               "shows the flat index $t$ of its kernel tap"
               + (f" ($t = 0$ is ${first}$, C order)" if first is not None else "")
               + r"; $\cdot$ is a structural zero"
               + ("; $+$ sums several taps" if None in taps.values() else "") + ".")
    return "\n".join([
        r"\begin{center}",
        r"{\footnotesize\setlength{\arraycolsep}{2pt}\renewcommand{\arraystretch}{0.9}$",
        rf"\begin{{array}}{{@{{}}*{{{len(cols) + cut_c}}}{{c}}@{{}}}}",
        " \\\\\n".join(lines),
        r"\end{array}$}",
        r"\end{center}",
        caption,
    ]) + "\n"


# ---------------------------------------------------------------------------
# Sliding window
# ---------------------------------------------------------------------------

def _window(geometry: Any, position: tuple[int, ...]) -> dict[str, Any]:
    """Plane layout of a 1-D or 2-D layer: padded grid, input cells, window cells, output."""
    ndim = len(geometry.input_shape)
    require(ndim in (1, 2), "geometry", geometry.input_shape,
            "must have 1 or 2 spatial axes to draw a sliding window", "1-D or 2-D",
            error=GeometryError)
    position = tuple(int(v) for v in position)
    out_shape = tuple(geometry.output_shape)
    require(len(position) == ndim and all(0 <= v < o for v, o in zip(position, out_shape)),
            "position", position, "must index the output grid",
            " x ".join(f"0..{o - 1}" for o in out_shape), error=GeometryError)

    require_drawable("window", window_cells(geometry))

    def plane(t: tuple[int, ...]) -> tuple[int, int]:
        return (1, t[0]) if ndim == 1 else (t[0], t[1])

    pads = [tuple(p) for p in geometry.pads]
    padded = tuple(n + b + a for n, (b, a) in zip(geometry.input_shape, pads))
    window = {}
    for offset in itertools.product(*map(range, geometry.kernel_shape)):
        at = tuple(s * i + d * m for s, i, d, m in zip(geometry.stride, position,
                                                       geometry.dilation, offset))
        tap = int(np.ravel_multi_index(offset, geometry.kernel_shape))
        window[plane(at) if ndim == 2 else (0, at[0])] = tap
    inside = {(r, c) for r in range(plane(padded)[0]) for c in range(plane(padded)[1])
              if _inside((r, c) if ndim == 2 else (c,), pads, geometry.input_shape)}
    current = plane(position) if ndim == 2 else (0, position[0])
    return {"padded": plane(padded), "inside": inside, "window": window,
            "output": plane(out_shape), "current": current}


def _inside(index: tuple[int, ...], pads: list[tuple[int, int]], shape: tuple[int, ...]) -> bool:
    return all(b <= i < b + n for i, (b, _), n in zip(index, pads, shape))


#: Cells per axis a sliding-window figure draws at most (a corner of a larger layer).
WINDOW_GRID = 20

#: Width of one character of the figures' 11 px sans-serif text, an upper bound (DejaVu
#: Sans averages 6.3 px at 11 px; capitals and 'm' reach 9.5): label boxes are computed
#: with it so that no two labels overlap (:func:`label_boxes`).
CHAR_WIDTH = 7.0
FONT_SIZE = 11


def label_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """Every unrotated ``text`` of an SVG as ``(text, x0, y0, x1, y1)``, estimated generously.

    The box spans :data:`CHAR_WIDTH` per character from the anchor (centred for
    ``text-anchor='middle'``) and one font size above the baseline. Nested ``svg``
    elements are offset by their ``y``. Rotated labels are skipped.

    Examples
    --------
    >>> label_boxes("<svg xmlns='http://www.w3.org/2000/svg'><text x='10' y='20'>ab</text></svg>")
    [('ab', 10.0, 9.0, 24.0, 23.0)]
    """
    import xml.etree.ElementTree as ET

    boxes = []

    def walk(node: Any, dy: float) -> None:
        for child in node:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "svg":
                walk(child, dy + float(child.get("y", 0)))
            elif tag == "text" and "rotate" not in child.get("transform", ""):
                text = "".join(child.itertext())
                size = float(child.get("font-size", FONT_SIZE))
                width = CHAR_WIDTH * size / FONT_SIZE * len(text)
                x, y = float(child.get("x", 0)), float(child.get("y", 0)) + dy
                x0 = x - width / 2 if child.get("text-anchor") == "middle" else x
                boxes.append((text, x0, y - size, x0 + width, y + 3))
            else:
                walk(child, dy)

    walk(ET.fromstring(svg), 0.0)
    return boxes


def _text_width(text: str) -> float:
    return CHAR_WIDTH * len(text)


def _describe(geometry: Any) -> str:
    def size(t: Any) -> str:
        return "x".join(map(str, t))

    return (f"input {size(geometry.input_shape)}, pads {tuple(tuple(p) for p in geometry.pads)}, "
            f"kernel {size(geometry.kernel_shape)}, stride {size(geometry.stride)}, "
            f"dilation {size(geometry.dilation)} -> output {size(geometry.output_shape)}")


def sliding_window_svg(geometry: Any, position: tuple[int, ...] = (0, 0), cell: int = 24) -> str:
    """The padded input, the dilated kernel window at output ``position``, and the output.

    Parameters
    ----------
    geometry : Geometry or PoolGeometry
        A 1-D or 2-D layer (anything with ``input_shape``, ``kernel_shape``,
        ``stride``, ``dilation``, ``pads`` and ``output_shape``).
    position : tuple of int
        The output position whose window is drawn; ``(0,)`` style for 1-D
        (``(0, 0)`` is accepted for 1-D and means position 0).
    cell : int
        Side of one grid cell in pixels.

    Returns
    -------
    str
        SVG with ``rect`` classes ``pad`` (padding cells, dashed), ``input``,
        ``window`` (one per kernel tap, labelled with its flat index), ``output``
        and ``current`` (the output position drawn).

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> svg = sliding_window_svg(Geometry((5, 5), (3, 3), stride=2, padding=1), (1, 0))
    >>> svg.count("class='pad'"), svg.count("class='window'"), svg.count("class='output'")
    (24, 9, 8)
    """
    if len(geometry.input_shape) == 1 and len(position) == 2 and position[0] == 0:
        position = position[1:]
    lay = _window(geometry, position)
    (full_ph, full_pw), (full_oh, full_ow) = lay["padded"], lay["output"]
    # a large layer is drawn as the corner around the window (a readable figure)
    top_row = max(0, min(r for r, _ in lay["window"]) - 2) if full_ph > WINDOW_GRID else 0
    first_col = max(0, min(c for _, c in lay["window"]) - 2) if full_pw > WINDOW_GRID else 0
    ph, pw = min(full_ph - top_row, WINDOW_GRID), min(full_pw - first_col, WINDOW_GRID)
    oh, ow = min(full_oh, WINDOW_GRID), min(full_ow, WINDOW_GRID)
    lay = {**lay,
           "inside": {(r - top_row, c - first_col) for r, c in lay["inside"]},
           "window": {(r - top_row, c - first_col): t for (r, c), t in lay["window"].items()
                      if 0 <= r - top_row < ph and 0 <= c - first_col < pw}}
    left, top, gap = 12, 40, 3 * cell
    input_label, output_label = "padded input (dashed: padding)", "output"
    if (ph, pw, oh, ow) != (full_ph, full_pw, full_oh, full_ow):
        input_label = (f"padded input, rows {top_row}..{top_row + ph - 1}, columns "
                       f"{first_col}..{first_col + pw - 1} of {full_ph} x {full_pw} "
                       "(dashed: padding)")
        output_label = f"output ({min(oh, full_oh)} x {ow} of {full_oh} x {full_ow})"
    # the output grid starts after the wider of the input grid and its label
    out_left = left + max(pw * cell + gap, int(_text_width(input_label)) + 2 * cell)
    width = out_left + max(ow * cell, int(_text_width(output_label))) + 12
    height = top + max(ph, oh) * cell + 12
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' {FONT} font-size='11'>",
           f"<title>Sliding window: {escape(_describe(geometry))}, output position "
           f"{tuple(position)}</title>",
           f"<text x='{left}' y='{top - 24}'>{input_label}</text>",
           f"<text x='{out_left}' y='{top - 24}'>{output_label}</text>"]
    for r in range(ph):
        for c in range(pw):
            kind = "input" if (r, c) in lay["inside"] else "pad"
            style = ("fill='#dbe9f6' stroke='#4e79a7'" if kind == "input" else
                     "fill='#ffffff' stroke='#999999' stroke-dasharray='3 2'")
            out.append(f"<rect class='{kind}' x='{left + c * cell}' y='{top + r * cell}' "
                       f"width='{cell}' height='{cell}' {style}/>")
    for (r, c), tap in sorted(lay["window"].items()):
        x, y = left + c * cell, top + r * cell
        # a tap that reads padding stays dashed and light: the padding shows through
        style = ("fill-opacity='0.75' stroke='#b35900' stroke-width='2'"
                 if (r, c) in lay["inside"] else
                 "fill-opacity='0.3' stroke='#b35900' stroke-width='2' stroke-dasharray='3 2'")
        out.append(f"<rect class='window' x='{x}' y='{y}' width='{cell}' height='{cell}' "
                   f"fill='#f28e2b' {style}/>")
        out.append(f"<text x='{x + cell / 2:g}' y='{y + cell / 2 + 4:g}' text-anchor='middle' "
                   f"font-size='{max(cell // 2, 6)}'>{tap}</text>")
    for r in range(oh):
        for c in range(ow):
            kind = "current" if (r, c) == lay["current"] else "output"
            fill = "#f28e2b" if kind == "current" else "#d9f0d3"
            out.append(f"<rect class='{kind}' x='{out_left + c * cell}' y='{top + r * cell}' "
                       f"width='{cell}' height='{cell}' fill='{fill}' stroke='#59a14f'/>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def sliding_window_tikz(geometry: Any, position: tuple[int, ...] = (0, 0),
                        cell: float = 0.45) -> str:
    """:func:`sliding_window_svg` as a ``tikzpicture`` (needs ``\\usepackage{tikz}``).

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> t = sliding_window_tikz(Geometry((4,), (2,), padding=1), (0,))
    >>> t.count("dashed"), t.count("fill=orange!70")  # 2 pads, 1 tap reading a pad
    (3, 3)
    """
    if len(geometry.input_shape) == 1 and len(position) == 2 and position[0] == 0:
        position = position[1:]
    lay = _window(geometry, position)
    (ph, pw), (oh, ow) = lay["padded"], lay["output"]
    shift = pw + 2
    out = [rf"\begin{{tikzpicture}}[x={cell:g}cm,y=-{cell:g}cm]"]
    for r in range(ph):
        for c in range(pw):
            style = "fill=blue!12,draw=blue!60" if (r, c) in lay["inside"] else \
                "draw=gray,dashed"
            out.append(rf"\filldraw[{style}] ({c},{r}) rectangle ++(1,1);")
    for (r, c), tap in sorted(lay["window"].items()):
        over = "fill opacity=0.8" if (r, c) in lay["inside"] else "fill opacity=0.3,dashed"
        out.append(rf"\filldraw[fill=orange!70,draw=orange!80!black,thick,{over}] "
                   rf"({c},{r}) rectangle ++(1,1) node[midway,font=\tiny,opacity=1] {{{tap}}};")
    for r in range(oh):
        for c in range(ow):
            style = "fill=orange!70" if (r, c) == lay["current"] else "fill=green!12"
            out.append(rf"\filldraw[{style},draw=green!50!black] ({shift + c},{r}) "
                       r"rectangle ++(1,1);")
    out.append(r"\end{tikzpicture}")
    return "\n".join(out) + "\n"


def notes_figure_svg(geometry: Any, op: LinearOperator, position: tuple[int, ...] = (0, 0)
                     ) -> str:
    """One SVG holding the sliding window above the sparsity pattern (for a notes file)."""
    window = sliding_window_svg(geometry, position)
    pattern = sparsity_svg(op)
    size = re.compile(r"width='(\d+)' height='(\d+)'")
    (w1, h1), (w2, h2) = (tuple(map(int, size.search(s).groups())) for s in (window, pattern))
    width, height = max(w1, w2), h1 + h2 + 8

    def nested(svg: str, y: int) -> str:
        return svg.replace("<svg xmlns='http://www.w3.org/2000/svg' ", f"<svg y='{y}' ", 1)

    return "\n".join([f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' "
                      f"height='{height}' viewBox='0 0 {width} {height}'>",
                      nested(window, 0).rstrip("\n"), nested(pattern, h1 + 8).rstrip("\n"),
                      "</svg>"]) + "\n"
