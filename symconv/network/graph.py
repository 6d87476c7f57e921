"""Networks as graphs of layers: shapes, counts and receptive fields node by node.

A :class:`Network` is an input size and nodes in an order where every node comes after
its inputs; a node applies a layer to one input or merges several (``add``, ``concat``
along channels). :func:`evaluate` walks the nodes once and returns one
:class:`LayerReport` per node.

Receptive field over a graph, as google-research/receptive_field defines it: per axis a
node's field is ``(r, S, P)`` with respect to the network input (see
:mod:`symconv.network`). At a merge the paths must be *aligned*: the same effective
stride ``S`` and the same centre shift ``(r - 1)/2 - P``, so that output ``o`` of every
path is centred on the same input point; the merge then takes the path with the largest
``r``. Paths that are not aligned are an error naming the two paths.

Examples
--------
>>> net = chain_network("1x16", ["conv(4, k=3, p=1)", "relu"])
>>> [n.name for n in net.nodes], net.nodes[1].inputs
(['1', '2'], ('1',))
>>> evaluate(net)[-1].receptive_field
(3,)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor
from typing import Any, Union

from ..errors import FormulaError, GeometryError, SymconvError, describe
from .layers import NORMS, Layer
from .steps import Step, fmt_shape, step
from .text import parse_input, parse_layer

Exact = Union[int, Fraction]  # noqa: UP007

#: The name of the network input node.
INPUT = "input"


@dataclass(frozen=True)
class Merge:
    """``add`` (same shapes, elementwise) or ``concat`` (along channels, same spatial)."""

    kind: str

    @property
    def text(self) -> str:
        """The merge's name as written."""
        return self.kind


@dataclass(frozen=True)
class Node:
    """One node: ``op`` (a layer spec or a :class:`Merge`) applied to named ``inputs``.

    ``label`` is how errors name the node (``layer 3`` in a chain, ``node 'b.2'`` in a
    graph).
    """

    name: str
    op: Any
    inputs: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class Network:
    """An input size ``(C, *spatial)`` and nodes, every node after its inputs."""

    input_shape: tuple[int, ...]
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class LayerReport:
    """One row of :func:`shape`: the layer, its output and where it looks in the input.

    ``receptive_field``, ``effective_stride``, ``effective_padding`` are per spatial axis
    of the network input, ints or exact Fractions (transposed layers); the last two are
    ``None`` once there is no spatial axis (after ``flatten``), and ``note`` says why.
    ``macs`` are the layer's multiply-adds without bias additions (``bias_macs``);
    ``kind`` is the layer kind (``conv``, ``bn``, ``add``, ...); ``node`` and ``inputs``
    name the node and where its input comes from; ``cropped_macs`` are a tconv's
    (input, tap) pairs that land in the cropped ``padding`` border (not in ``macs``).
    """

    index: int
    layer: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    params: int
    params_no_bias: int
    macs: int
    macs_nonzero: int
    receptive_field: tuple[Exact, ...]
    effective_stride: tuple[Exact, ...] | None
    effective_padding: tuple[Exact, ...] | None
    note: str = ""
    node: str = ""
    inputs: tuple[str, ...] = ()
    bias_macs: int = 0
    kind: str = ""
    cropped_macs: int = 0


# ---------------------------------------------------------------------------
# The receptive-field state of one tensor
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Field:
    """Receptive field state per axis: span ``r``, jump ``S``, start offset ``P``."""

    r: tuple[Fraction, ...]
    S: tuple[Fraction, ...]
    P: tuple[Fraction, ...]

    def then(self, field: tuple) -> _Field:
        """Compose with a layer whose per-axis map is ``(span - 1, stride, left pad)``."""
        return _Field(tuple(r + a * S for r, S, (a, _, _) in zip(self.r, self.S, field)),
                      tuple(S * s for S, (_, s, _) in zip(self.S, field)),
                      tuple(P + p * S for P, S, (_, _, p) in zip(self.P, self.S, field)))

    def bounds(self, out_spatial: tuple[int, ...], input_spatial: tuple[int, ...]) -> list:
        """Per axis ``(first, last)``: the union of all output pixels' fields, clipped."""
        result = []
        for r, S, P, m, n in zip(self.r, self.S, self.P, out_spatial, input_spatial):
            result.append((max(0, ceil(-P)), min(n - 1, floor((m - 1) * S - P + r - 1))))
        return result

    def extent(self, out_spatial: tuple[int, ...], input_spatial: tuple[int, ...]) -> tuple:
        """Span of the union of all output pixels' fields, clipped to the input."""
        return tuple(max(0, last - first + 1)
                     for first, last in self.bounds(out_spatial, input_spatial))

    def clipped(self, out_spatial: tuple[int, ...], input_spatial: tuple[int, ...]) -> _Field:
        """The field of one pixel seeing all of ``out_spatial`` (a global pool), clipped."""
        bounds = self.bounds(out_spatial, input_spatial)
        return _Field(tuple(Fraction(max(1, b - a + 1)) for a, b in bounds),
                      tuple(S * m for S, m in zip(self.S, out_spatial)),
                      tuple(Fraction(-a) for a, _ in bounds))

    def centre(self) -> tuple[Fraction, ...]:
        """Per axis ``(r - 1)/2 - P``: where output 0's field is centred."""
        return tuple((r - 1) / 2 - P for r, P in zip(self.r, self.P))


@dataclass(frozen=True)
class _State:
    """A tensor: its shape, its field (None once flat), the field reported, the path."""

    shape: tuple[int, ...]
    field: _Field | None
    rf: tuple[Fraction, ...]
    whole: tuple[int, ...]
    path: tuple[str, ...]


def _exact(values: tuple[Fraction, ...] | None) -> tuple[Exact, ...] | None:
    if values is None:
        return None
    return tuple(int(v) if v.denominator == 1 else v for v in values)


def _advance(state: _State, done: Step, spatial: tuple[int, ...], name: str) -> tuple:
    """The state after a layer and the row's note."""
    field, rf, whole, note = state.field, state.rf, state.whole, done.note
    if field is not None and done.field == "global":
        field = field.clipped(state.shape[1:], spatial)
        rf = field.r
    elif isinstance(done.field, tuple) and field is not None:
        field = field.then(done.field)
        rf = field.r
    elif done.field == "flatten":
        whole = field.extent(state.shape[1:], spatial)
        field, note = None, "flat: each unit keeps the field of the unit it came from"
    elif done.field == "whole":
        rf, note = tuple(map(Fraction, whole)), "every unit sees the whole input (clipped span)"
    elif field is None:
        note = note or "flat: no spatial axes"
    return _State(done.output_shape, field, rf, whole, (*state.path, name)), note


# ---------------------------------------------------------------------------
# Merges
# ---------------------------------------------------------------------------

def _path_text(path: tuple[str, ...]) -> str:
    shown = path if len(path) <= 5 else (*path[:2], "...", *path[-2:])
    return " -> ".join(shown)


def _merge_shape(node: Node, states: list[_State]) -> tuple[int, ...]:
    first, first_name = states[0].shape, node.inputs[0]
    for name, state in zip(node.inputs[1:], states[1:]):
        other = state.shape
        if node.op.kind == "add":
            ok, rule = other == first, "needs equal shapes"
        else:
            ok = len(other) == len(first) and other[1:] == first[1:]
            rule = "needs equal spatial sizes (it joins channels, or the features of flat inputs)"
        if not ok:
            raise GeometryError(f"{node.op.kind} {rule}: {first_name!r} is {fmt_shape(first)} "
                                f"but {name!r} is {fmt_shape(other)}")
    if node.op.kind == "add":
        return first
    return (sum(s.shape[0] for s in states), *first[1:])


def _merge_field(node: Node, states: list[_State]) -> _State:
    shape = _merge_shape(node, states)
    best = max(states, key=lambda s: sum(s.rf))
    if best.field is None:  # flat (equal shapes: every input is flat)
        rf = tuple(max(s.rf[i] for s in states) for i in range(len(best.rf)))
        whole = tuple(max(s.whole[i] for s in states) for i in range(len(best.whole)))
        return _State(shape, None, rf, whole, best.path)
    first = states[0].field
    for state in states[1:]:
        if state.field.S != first.S or state.field.centre() != first.centre():
            raise GeometryError(
                f"{node.op.kind} joins paths that are not aligned (the rule of google-research/"
                f"receptive_field: equal effective stride and centre shift (r-1)/2 - P): path "
                f"{_path_text(states[0].path)} has stride {_axes_text(first.S)}, centre shift "
                f"{_axes_text(first.centre())}; path {_path_text(state.path)} has stride "
                f"{_axes_text(state.field.S)}, centre shift {_axes_text(state.field.centre())}")
    r = tuple(max(s.field.r[i] for s in states) for i in range(len(first.r)))
    field = _Field(r, first.S, tuple((ri - 1) / 2 - c for ri, c in zip(r, first.centre())))
    return _State(shape, field, r, best.whole, best.path)


def _axes_text(values: Sequence[Fraction]) -> str:
    return "x".join(str(v) for v in values)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------

def evaluate(network: Network) -> list[LayerReport]:
    """One :class:`LayerReport` per node of ``network``, in its order.

    Raises
    ------
    FormulaError, GeometryError, OperatorError
        Prefixed with the node's label and its input shape.
    """
    spatial = network.input_shape[1:]
    ones = tuple(Fraction(1) for _ in spatial)
    start = _Field(ones, ones, tuple(Fraction(0) for _ in spatial))
    states = {INPUT: _State(network.input_shape, start, ones, spatial, (INPUT,))}
    reports = []
    for index, node in enumerate(network.nodes, start=1):
        inputs = [states[name] for name in node.inputs]
        label = node.label or f"node {node.name!r}"
        try:
            if isinstance(node.op, Merge):
                state, done, note = _merge_field(node, inputs), None, ""
                state = _State(state.shape, state.field, state.rf, state.whole,
                               (*state.path, node.name))
            else:
                done = step(node.op, inputs[0].shape)
                state, note = _advance(inputs[0], done, spatial, node.name)
        except SymconvError as error:
            shown = ", ".join(fmt_shape(s.shape) for s in inputs)
            raise type(error)(f"{label} {node.op.text!r} on input {shown}: {error}") from None
        states[node.name] = state
        reports.append(_report(index, node, inputs, state, done, note))
    return reports


def _report(index: int, node: Node, inputs: list[_State], state: _State, done: Step | None,
            note: str) -> LayerReport:
    field = state.field
    counts = (0, 0, 0, 0) if done is None else (done.params, done.params_no_bias, done.macs,
                                                 done.macs_nonzero)
    pads = () if done is None else done.pads
    kind = node.op.kind
    return LayerReport(
        index, node.op.text, inputs[0].shape, state.shape, pads, *counts,
        _exact(tuple(map(Fraction, state.rf))), _exact(field and field.S),
        _exact(field and field.P), note, node.name, node.inputs,
        0 if done is None else done.bias_macs, "norm" if isinstance(node.op, NORMS) else kind,
        0 if done is None else done.cropped_macs)


# ---------------------------------------------------------------------------
# Chains
# ---------------------------------------------------------------------------

def chain_network(input: str | Sequence[int], layers: Sequence[Any], batch: int | None = None,
                  layout: str = "auto") -> Network:
    """The network of a chain of layers; nodes are named ``1``, ``2``, ..."""
    channels, spatial = parse_input(input, batch, layout)
    if not isinstance(layers, Sequence) or isinstance(layers, str):
        raise FormulaError(describe("layers", layers, "must be a list of layer texts"))
    nodes, previous = [], INPUT
    for index, item in enumerate(layers, start=1):
        try:
            layer = parse_layer(item)
        except FormulaError as error:
            raise FormulaError(f"layer {index}: {error}") from None
        nodes.append(Node(str(index), layer, (previous,), f"layer {index}"))
        previous = str(index)
    return Network((channels, *spatial), tuple(nodes))


def shape(input: str | Sequence[int], layers: Sequence[str | Layer], *, batch: int | None = None,
          layout: str = "auto") -> list[LayerReport]:
    """Walk a chain of layers: shapes, pads, parameters, MACs and receptive fields.

    Parameters
    ----------
    input : str or sequence of int
        ``"3x224x224"`` or ``(3, 224, 224)``: channels, then 1 to 3 spatial sizes
        (see :func:`~symconv.network.parse_input` for ``batch`` and ``layout``).
    layers : sequence of str or layer specs
        Each parsed by :func:`~symconv.network.parse_layer`.

    Returns
    -------
    list of LayerReport
        One per layer, in order.

    Raises
    ------
    FormulaError, GeometryError, OperatorError
        Prefixed with ``layer <i> '<text>'`` (1-based) and the layer's input shape.

    Examples
    --------
    >>> vgg_block = ["conv(64, k=3, p=1)", "conv(64, k=3, p=1)", "maxpool(2)"]
    >>> last = shape("3x224x224", vgg_block)[-1]
    >>> last.output_shape, last.receptive_field, last.effective_stride
    ((64, 112, 112), (6, 6), (2, 2))
    >>> shape("1x5x5", ["conv(1, k=7)"])
    Traceback (most recent call last):
        ...
    symconv.errors.GeometryError: layer 1 'conv(1, k=7)' on input 1x5x5: kernel_shape[0]
    must fit the padded input, got 7: dilated kernel size 7 > padded input size 5
    (input 5 + pads 0+0) (valid: input_shape[0] >= 7 for this kernel, padding and
    dilation)
    """
    return evaluate(chain_network(input, layers, batch, layout))
