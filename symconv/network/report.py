"""The network calculator's output: the counting conventions, a text table, a JSON document.

Counting conventions, named in the table's header: multiply-adds (``MACs``) or floating
point operations (``FLOPs = 2 x MACs``) of the weights of conv, tconv and fc layers, plus
what ``count`` adds:

* ``bias``: one addition per output element of a layer with a bias;
* ``bn``: one multiply-add per element of each normalisation (bn, layernorm, groupnorm:
  its inference-time affine map; the statistics are not counted);
* ``tconv_all``: a tconv's every (input pixel, tap) pair, also those landing in the cropped
  ``padding`` border (by default only the pairs landing in the output count).

torchvision's published "GFLOPS" are ``count=()`` MACs (conv + linear, no bias, no norms):
AlexNet 714,188,480, VGG16 15,470,264,320, ResNet-50 4,089,184,256. The default,
``count=("bn",)``, adds the normalisations. Pooling, activations, dropout, upsampling,
pixel shuffle, add and concat count 0.

Examples
--------
>>> from symconv.network.graph import shape
>>> reports = shape("3x8x8", ["conv(4, k=3, p=1)", "bn"])
>>> Counting.parse("bias,bn").total(reports), Counting.parse("none").total(reports)
(7424, 6912)
>>> Counting.parse("bias", flops=True).label
'FLOPs = 2 x multiply-adds of conv/tconv/fc weights + bias additions'
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import FormulaError, describe
from .graph import LayerReport

COUNT_WORDS = ("bias", "bn", "tconv_all")


@dataclass(frozen=True)
class Counting:
    """Which multiply-adds a total counts, and whether it reports FLOPs (2 per MAC)."""

    bias: bool = False
    bn: bool = True
    flops: bool = False
    tconv_all: bool = False

    @classmethod
    def parse(cls, text: str | Sequence[str], flops: bool = False) -> Counting:
        """``"bias,bn"``, ``"bn"``, ``"none"`` (or a sequence of words)."""
        words = text.split(",") if isinstance(text, str) else list(text)
        words = [w.strip().lower() for w in words if w.strip()]
        if words == ["none"]:
            words = []
        unknown = [w for w in words if w not in COUNT_WORDS]
        if unknown:
            raise FormulaError(describe("count", ",".join(words), "must name what to count "
                                        "beyond conv/tconv/fc weights",
                                        "bias, bn, tconv_all, combined as bias,bn, or "
                                        "none"))
        return cls("bias" in words, "bn" in words, flops, "tconv_all" in words)

    @property
    def unit(self) -> str:
        """``"MACs"`` or ``"FLOPs"``."""
        return "FLOPs" if self.flops else "MACs"

    @property
    def label(self) -> str:
        """What the total counts, in words."""
        head = "FLOPs = 2 x multiply-adds" if self.flops else "MACs = multiply-adds"
        parts = [f"{head} of conv/tconv/fc weights"]
        if self.bias:
            parts.append("bias additions")
        if self.bn:
            parts.append("bn/layernorm/groupnorm (1 per element)")
        if self.tconv_all:
            parts.append("tconv pairs in the cropped border")
        return " + ".join(parts)

    def row(self, report: LayerReport) -> int:
        """The count of one row under this convention."""
        total = 0 if (report.kind == "norm" and not self.bn) else report.macs
        total += report.bias_macs if self.bias else 0
        total += report.cropped_macs if self.tconv_all else 0
        return 2 * total if self.flops else total

    def total(self, reports: Sequence[LayerReport]) -> int:
        """The count of a whole network."""
        return sum(self.row(r) for r in reports)


DEFAULT_COUNTING = Counting()


def _fmt_shape(values: Sequence[Any]) -> str:
    return "x".join(str(v) for v in values)


def _fmt_axes(values: Sequence[Any] | None) -> str:
    if values is None:
        return "-"
    if len(set(values)) == 1:
        return str(values[0])
    return _fmt_shape(values)


def _fmt_pads(pads: Sequence[tuple[int, int]]) -> str:
    if not pads:
        return "-"
    return _fmt_axes([str(b) if b == a else f"{b}:{a}" for b, a in pads])


def table_cells(reports: Sequence[LayerReport],
                counting: Counting = DEFAULT_COUNTING) -> list[list[str]]:
    """The cells of :func:`format_table`: the header, one row per layer, the totals.

    Examples
    --------
    >>> from symconv.network.graph import shape
    >>> table_cells(shape("1x8", ["conv(2, k=3)"]))[1][:4]
    ['1', 'conv(2, k=3)', '2x6', '0']
    """
    graph = any(r.node and not r.node.isdigit() for r in reports)
    unit = counting.unit
    header = ["#", "node" if graph else "layer", "output", "pads", "params", unit,
              f"pad {unit}", "RF", "stride", "eff. pad"]
    rows = []
    previous = "input"
    for r in reports:
        name = r.layer
        if graph:
            inputs = "" if r.inputs == (previous,) else f"({', '.join(r.inputs)}) -> "
            name = f"{r.node} = {inputs}{r.layer}"
            previous = r.node
        pad = (r.macs - r.macs_nonzero) * (2 if counting.flops else 1)
        rows.append([str(r.index), name, _fmt_shape(r.output_shape), _fmt_pads(r.pads),
                     str(r.params), str(counting.row(r)), str(pad),
                     _fmt_axes(r.receptive_field), _fmt_axes(r.effective_stride),
                     _fmt_axes(r.effective_padding)])
    pad_total = sum(r.macs - r.macs_nonzero for r in reports) * (2 if counting.flops else 1)
    total = ["total", "", "", "", str(sum(r.params for r in reports)),
             str(counting.total(reports)), str(pad_total), "", "", ""]
    return [header, *rows, total]


def format_table(reports: Sequence[LayerReport], counting: Counting = DEFAULT_COUNTING) -> str:
    """A fixed-width text table, one row per layer, totals at the end.

    The first line names the counting convention. Per-axis values that agree print once
    (``3``), others per axis (``3x5``); pads print ``before:after`` when they differ.
    ``pad MACs`` are the multiply-adds whose input is zero padding (in ``MACs``). In a
    graph the ``layer`` column names the node and its inputs when they are not the row
    above.

    Examples
    --------
    >>> from symconv.network.graph import shape
    >>> print(format_table(shape("1x28x28", ["conv(4, k=3)", "maxpool(2)", "flatten",
    ...                                      "fc(10)"])))
    MACs = multiply-adds of conv/tconv/fc weights + bn/layernorm/groupnorm (1 per element)
    #  layer         output   pads  params  MACs   pad MACs  RF  stride  eff. pad
    1  conv(4, k=3)  4x26x26  0     40      24336  0         3   1       0
    2  maxpool(2)    4x13x13  0     0       0      0         4   2       0
    3  flatten       676      -     0       0      0         4   -       -
    4  fc(10)        10       -     6770    6760   0         28  -       -
    total                           6810    31096  0
    """
    table = table_cells(reports, counting)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    return "\n".join([counting.label, *lines])


@dataclass(frozen=True)
class NetworkTable:
    """The report of a network as an object that shows itself: text, HTML (Jupyter), Markdown.

    Examples
    --------
    >>> from symconv.network.graph import shape
    >>> table = NetworkTable(shape("1x8", ["conv(2, k=3)"]))
    >>> str(table) == format_table(table.reports)
    True
    >>> table._repr_html_().count("<tr>")  # header, one layer, totals
    3
    """

    reports: Sequence[LayerReport]
    counting: Counting = DEFAULT_COUNTING

    def __str__(self) -> str:
        return format_table(self.reports, self.counting)

    def _repr_html_(self) -> str:
        """An HTML table with the counting convention as its caption."""
        head, *rows = table_cells(self.reports, self.counting)
        def row(cells: list[str], tag: str) -> str:
            return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"
        return (f"<table><caption>{html.escape(self.counting.label)}</caption>"
                f"<thead>{row(head, 'th')}</thead><tbody>"
                + "".join(row(cells, "td") for cells in rows) + "</tbody></table>")

    def _repr_markdown_(self) -> str:
        """A Markdown table (``|`` in a cell escaped) under the counting convention."""
        head, *rows = table_cells(self.reports, self.counting)
        def row(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
        return "\n".join([self.counting.label, "", row(head),
                          "|" + "---|" * len(head), *map(row, rows)])


def _json_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value


def reports_to_dict(reports: Sequence[LayerReport],
                    counting: Counting = DEFAULT_COUNTING) -> dict[str, Any]:
    """JSON-ready form: ints, strings, lists, ``None``; Fractions as ``"a/b"``.

    ``total_macs`` follows ``counting`` (named in ``counting``, in ``unit``: MACs or FLOPs);
    ``total_macs_by`` gives the MACs under the conventions without ``tconv_all``.

    Examples
    --------
    >>> from symconv.network.graph import shape
    >>> d = reports_to_dict(shape("1x8", ["tconv(1, k=4, s=2)"]))
    >>> d["layers"][0]["receptive_field"], d["layers"][0]["effective_stride"]
    (['5/2'], ['1/2'])
    """
    keys = ("index", "layer", "node", "inputs", "kind", "output_shape", "pads", "params",
            "params_no_bias", "macs", "macs_nonzero", "bias_macs", "cropped_macs",
            "receptive_field",
            "effective_stride", "effective_padding", "note")
    by = {name: Counting(bias, bn).total(reports) for name, bias, bn in (
        ("none", False, False), ("bias", True, False), ("bn", False, True),
        ("bias,bn", True, True))}
    return {"layers": [{key: _json_value(getattr(r, key)) for key in keys} for r in reports],
            "total_params": sum(r.params for r in reports),
            "total_params_no_bias": sum(r.params_no_bias for r in reports),
            "counting": counting.label,
            "unit": counting.unit,
            "total_macs": counting.total(reports),
            "total_macs_by": by}
