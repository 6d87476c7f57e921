"""A PyTorch module as a :class:`~symconv.network.Network`, through ``torch.fx``.

The module is traced symbolically (:func:`torch.fx.symbolic_trace`: no tensor is computed,
no weight is read) and every node of the graph is mapped to a layer spec of
:mod:`symconv.network.layers` or a merge: ``ConvNd``, ``ConvTransposeNd``, pooling (fixed,
adaptive), ``Linear``, ``BatchNormNd``, ``LayerNorm`` (over the whole sample),
``GroupNorm``, ``ReLU``/``ReLU6``/``SiLU``/``GELU``/``Sigmoid``/``Tanh``, ``Dropout``,
``Upsample`` (integer scale, ``nearest`` or ``bilinear`` without ``align_corners``),
``PixelShuffle``, ``Flatten``, ``Identity``; the functions and methods of the same names
(``F.max_pool2d``, ``F.interpolate``, ...); ``+`` and ``torch.add`` of two tensors,
``torch.cat`` along channels; ``x.view(x.size(0), -1)`` and ``torch.flatten(x, 1)``.
Anything else is an error listing every unsupported node, or with ``elementwise=True`` an
:class:`Elementwise` layer (a one-input node taken as elementwise, named in the table).

Examples
--------
>>> import torch
>>> from symconv.network import evaluate
>>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
...                           torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
...                           torch.nn.Linear(8, 10))
>>> [(r.node, r.layer) for r in evaluate(network_from_torch(net, "3x32x32"))]
... # doctest: +NORMALIZE_WHITESPACE
[('0', 'conv(8, k=3, p=1)'), ('1', 'relu'), ('2', 'globalavgpool'),
 ('3', 'flatten'), ('4', 'fc(10)')]
"""

from __future__ import annotations

import operator
from fractions import Fraction
from typing import Any

from ..errors import FormulaError
from .graph import INPUT, Merge, Network, Node, evaluate
from .layers import (
    FC,
    GELU,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    Conv,
    Dropout,
    Elementwise,
    Flatten,
    GlobalAvgPool,
    GlobalMaxPool,
    GroupNorm,
    LayerNorm,
    MaxPool,
    PixelShuffle,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Tanh,
    TConv,
    Upsample,
)
from .text import parse_input

_SKIP = object()  # a node that is its input (Identity, x.size used by view)


def _tuple(value: Any) -> Any:
    """A per-axis value as the text writes it: one int when every axis agrees."""
    if isinstance(value, (tuple, list)):
        return value[0] if len(set(value)) == 1 else tuple(value)
    return value


def _conv(m: Any) -> Any:
    padding = m.padding if isinstance(m.padding, str) else _tuple(m.padding)
    return Conv(m.out_channels, _tuple(m.kernel_size), _tuple(m.stride), padding,
                _tuple(m.dilation), m.groups, m.bias is not None)


def _tconv(m: Any) -> Any:
    return TConv(m.out_channels, _tuple(m.kernel_size), _tuple(m.stride), _tuple(m.padding),
                 _tuple(m.output_padding), _tuple(m.dilation), m.groups, m.bias is not None)


def _adaptive(cls: type, global_cls: type, size: Any) -> Any:
    sizes = _tuple(size)
    if (sizes if isinstance(sizes, tuple) else (sizes,)).count(None):
        return None
    if sizes == 1 or (isinstance(sizes, tuple) and set(sizes) == {1}):
        return global_cls()
    return cls(sizes)


def _norm(m: Any) -> Any:
    if not m.affine:
        return None
    return BatchNorm()


def _upsample(m: Any) -> Any:
    scale = m.scale_factor
    if m.size is not None or getattr(m, "align_corners", None) or m.mode not in (
            "nearest", "bilinear") or scale is None:
        return None
    scales = _tuple(scale)
    flat = scales if isinstance(scales, tuple) else (scales,)
    if any(float(s) != int(s) for s in flat):
        return None
    return Upsample(tuple(int(s) for s in flat) if isinstance(scales, tuple) else int(scales),
                    m.mode)


def _flatten_module(m: Any) -> Any:
    return Flatten() if (m.start_dim, m.end_dim) == (1, -1) else None


def _module_table(nn: Any) -> dict[type, Any]:
    table: dict[type, Any] = {
        nn.Linear: lambda m: FC(m.out_features, m.bias is not None),
        nn.GroupNorm: lambda m: GroupNorm(m.num_groups) if m.affine else None,
        nn.LayerNorm: lambda m: LayerNorm() if m.elementwise_affine else None,
        nn.ReLU: lambda m: ReLU(), nn.ReLU6: lambda m: ReLU6(), nn.SiLU: lambda m: SiLU(),
        nn.GELU: lambda m: GELU(), nn.Sigmoid: lambda m: Sigmoid(), nn.Tanh: lambda m: Tanh(),
        nn.Identity: lambda m: _SKIP, nn.Flatten: _flatten_module, nn.Upsample: _upsample,
        nn.PixelShuffle: lambda m: PixelShuffle(m.upscale_factor),
    }
    for nd in (1, 2, 3):
        table[getattr(nn, f"Conv{nd}d")] = _conv
        table[getattr(nn, f"ConvTranspose{nd}d")] = _tconv
        table[getattr(nn, f"MaxPool{nd}d")] = lambda m: MaxPool(
            _tuple(m.kernel_size), _tuple(m.stride), _tuple(m.padding), _tuple(m.dilation),
            m.ceil_mode)
        table[getattr(nn, f"AvgPool{nd}d")] = lambda m: AvgPool(
            _tuple(m.kernel_size), _tuple(m.stride), _tuple(m.padding), m.ceil_mode)
        table[getattr(nn, f"AdaptiveAvgPool{nd}d")] = lambda m: _adaptive(
            AdaptiveAvgPool, GlobalAvgPool, m.output_size)
        table[getattr(nn, f"AdaptiveMaxPool{nd}d")] = lambda m: None if m.return_indices \
            else _adaptive(AdaptiveMaxPool, GlobalMaxPool, m.output_size)
        table[getattr(nn, f"BatchNorm{nd}d")] = _norm
        table[getattr(nn, f"Dropout{nd}d" if nd > 1 else "Dropout1d")] = \
            lambda m: Dropout(Fraction(m.p).limit_denominator(10**6))
    table[nn.Dropout] = lambda m: Dropout(Fraction(m.p).limit_denominator(10**6))
    return table


def _function_table(torch: Any) -> dict[Any, Any]:
    """Functions of one tensor: ``(node) -> layer spec`` (None: these arguments unsupported)."""
    F = torch.nn.functional
    table: dict[Any, Any] = {f: (lambda node, cls=cls: cls()) for f, cls in (
        (F.relu, ReLU), (torch.relu, ReLU), (F.relu6, ReLU6), (F.silu, SiLU), (F.gelu, GELU),
        (torch.sigmoid, Sigmoid), (F.sigmoid, Sigmoid), (torch.tanh, Tanh), (F.tanh, Tanh))}
    for nd in (1, 2, 3):
        table[getattr(F, f"adaptive_avg_pool{nd}d")] = lambda node: _adaptive(
            AdaptiveAvgPool, GlobalAvgPool, _argument(node, 1, "output_size"))
        table[getattr(F, f"adaptive_max_pool{nd}d")] = lambda node: None if _argument(
            node, 2, "return_indices", False) else _adaptive(
            AdaptiveMaxPool, GlobalMaxPool, _argument(node, 1, "output_size"))
        table[getattr(F, f"max_pool{nd}d")] = _max_pool_call
        table[getattr(F, f"avg_pool{nd}d")] = _avg_pool_call
    table[F.dropout] = lambda node: Dropout(Fraction(_argument(node, 1, "p", 0.5))
                                            .limit_denominator(10**6))
    table[F.interpolate] = _interpolate_call
    return table


def _max_pool_call(node: Any) -> Any:
    if _argument(node, 6, "return_indices", False):
        return None
    k = _tuple(_argument(node, 1, "kernel_size"))
    s = _tuple(_argument(node, 2, "stride")) or None
    return MaxPool(k, s, _tuple(_argument(node, 3, "padding", 0)),
                   _tuple(_argument(node, 4, "dilation", 1)),
                   _argument(node, 5, "ceil_mode", False))


def _avg_pool_call(node: Any) -> Any:
    k = _tuple(_argument(node, 1, "kernel_size"))
    s = _tuple(_argument(node, 2, "stride")) or None
    return AvgPool(k, s, _tuple(_argument(node, 3, "padding", 0)),
                   _argument(node, 4, "ceil_mode", False))


def _interpolate_call(node: Any) -> Any:
    """``F.interpolate(x, scale_factor=r, mode=...)`` as :func:`_upsample` reads a module."""
    call = type("Call", (), {"size": _argument(node, 1, "size"),
                             "scale_factor": _argument(node, 2, "scale_factor"),
                             "mode": _argument(node, 3, "mode", "nearest"),
                             "align_corners": _argument(node, 4, "align_corners")})
    return _upsample(call)


def _argument(node: Any, position: int, name: str, default: Any = None) -> Any:
    if len(node.args) > position:
        return node.args[position]
    return node.kwargs.get(name, default)


_METHODS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


def _is_flatten_call(node: Any) -> bool:
    """``torch.flatten(x, 1)``, ``x.flatten(1)``, ``x.view(x.size(0), -1)``, reshape alike."""
    args = list(node.args[1:])
    start = node.kwargs.get("start_dim", args[0] if args else 0)
    if node.op == "call_method" and node.target in ("view", "reshape"):
        if len(args) != 2 or args[1] != -1:
            return False
        size = args[0]
        return getattr(size, "op", "") == "call_method" and size.target == "size" and \
            (size.args[1:] == (0,) or size.kwargs.get("dim") == 0)
    return start == 1 and node.kwargs.get("end_dim", args[1] if len(args) > 1 else -1) == -1


def _merge(node: Any, torch: Any) -> Any:
    """``add`` of two tensors, ``cat`` along channels; None otherwise."""
    if node.target in (operator.add, operator.iadd, torch.add) and len(node.args) == 2 \
            and not node.kwargs and all(hasattr(a, "op") for a in node.args):
        return Merge("add"), tuple(node.args)
    if node.target in (torch.cat, getattr(torch, "concat", torch.cat)):
        tensors = node.args[0]
        dim = node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else 0)
        if dim == 1 and isinstance(tensors, (tuple, list)) and len(tensors) >= 2:
            return Merge("concat"), tuple(tensors)
    return None


class _Mapper:
    def __init__(self, torch: Any, root: Any, elementwise: bool) -> None:
        self.torch, self.root, self.elementwise = torch, root, elementwise
        self.modules = dict(root.named_modules())
        self.module_table = _module_table(torch.nn)
        self.function_table = _function_table(torch)
        self.names: dict[Any, str] = {}
        self.used: set[str] = {INPUT}
        self.nodes: list[Node] = []
        self.unsupported: list[str] = []

    def name(self, node: Any) -> str:
        wanted = str(node.target) if node.op == "call_module" else node.name
        chosen = wanted if wanted not in self.used else node.name
        while chosen in self.used:
            chosen += "_"
        self.used.add(chosen)
        return chosen

    def layer(self, node: Any) -> Any:
        if node.op == "call_module":
            module = self.modules[node.target]
            for cls in type(module).__mro__:
                if cls in self.module_table:
                    return self.module_table[cls](module)
            return None
        if node.op == "call_function" and node.target in self.function_table:
            return self.function_table[node.target](node)
        if node.op == "call_method" and node.target in _METHODS:
            return _METHODS[node.target]()
        if node.op == "call_method" and node.target == "size":
            return _SKIP
        if (node.op == "call_function" and node.target is self.torch.flatten) or (
                node.op == "call_method" and node.target in ("flatten", "view", "reshape")):
            return Flatten() if _is_flatten_call(node) else None
        return None

    def describe(self, node: Any) -> str:
        if node.op == "call_module":
            return f"{node.target} ({type(self.modules[node.target]).__name__})"
        target = getattr(node.target, "__name__", str(node.target))
        return f"{node.name} ({node.op} {target})"

    def visit(self, node: Any) -> None:
        if node.op == "placeholder":
            if INPUT in self.names.values():
                self.unsupported.append(f"{node.name} (a second input)")
            self.names[node] = INPUT
            return
        if node.op in ("output", "get_attr"):
            return
        merge = _merge(node, self.torch) if node.op == "call_function" else None
        if merge is not None:
            op, args = merge
            self.add(node, op, args)
            return
        layer = self.layer(node)
        tensors = [a for a in node.args if hasattr(a, "op")]
        if layer is _SKIP:
            if tensors:
                self.names[node] = self.names.get(tensors[0], INPUT)
            return
        if layer is None and self.elementwise and len(tensors) == 1 and node.op != "call_module":
            target = getattr(node.target, "__name__", str(node.target))
            layer = Elementwise(str(target).replace("<", "").replace(">", ""))
        elif layer is None and self.elementwise and len(tensors) == 1:
            layer = Elementwise(type(self.modules[node.target]).__name__.lower())
        if layer is None or not tensors:
            self.unsupported.append(self.describe(node))
            return
        self.add(node, layer, tensors[:1])

    def add(self, node: Any, op: Any, args: tuple) -> None:
        inputs = tuple(self.names.get(a, "?") for a in args)
        name = self.name(node)
        self.names[node] = name
        self.nodes.append(Node(name, op, inputs))


def network_from_torch(module: Any, input_shape: Any, *, batch: int | None = None,
                       layout: str = "auto", elementwise: bool = False) -> Network:
    """The :class:`Network` of ``module`` on inputs of ``input_shape`` (channels first).

    Parameters
    ----------
    module : torch.nn.Module
        Traced with :func:`torch.fx.symbolic_trace`; no forward pass is run.
    input_shape : str or sequence of int
        ``"3x224x224"``, one sample (see :func:`~symconv.network.parse_input`).
    elementwise : bool
        Take unsupported one-input nodes as elementwise (named ``elementwise(op)``).

    Raises
    ------
    FormulaError
        The trace failed (the module's own error, one line), or nodes are unsupported (all
        of them listed), or a ``LayerNorm`` does not normalise the whole sample.
    """
    import torch
    import torch.fx

    if not isinstance(module, torch.nn.Module):
        raise FormulaError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    channels, spatial = parse_input(input_shape, batch, layout)
    try:
        graph = torch.fx.symbolic_trace(module).graph
    except Exception as error:  # noqa: BLE001 - the module's own error is the cause
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise FormulaError(f"torch.fx could not trace {type(module).__name__}: "
                           f"{type(error).__name__}: {first}") from None
    mapper = _Mapper(torch, module, elementwise)
    for node in graph.nodes:
        mapper.visit(node)
    if mapper.unsupported:
        raise FormulaError(f"{type(module).__name__} has nodes symconv does not map "
                           f"({len(mapper.unsupported)}): {'; '.join(mapper.unsupported)} "
                           "(valid: conv, pooling, linear, norms, activations, dropout, "
                           "upsample, pixel shuffle, flatten, add, cat along channels; "
                           "elementwise=True / --elementwise takes one-input nodes as "
                           "elementwise)")
    network = Network((channels, *spatial), tuple(mapper.nodes))
    _check_layer_norms(module, mapper, network)
    return network


def _check_layer_norms(module: Any, mapper: _Mapper, network: Network) -> None:
    """``LayerNorm`` must normalise the whole sample (its ``normalized_shape``)."""
    wanted = {name: tuple(mapper.modules[name].normalized_shape) for name in
              (n.name for n in network.nodes if isinstance(n.op, LayerNorm))
              if name in mapper.modules}
    if not wanted:
        return
    for report in evaluate(network):
        if report.node in wanted and report.input_shape != wanted[report.node]:
            raise FormulaError(f"{report.node}: LayerNorm{wanted[report.node]} on input "
                               f"{'x'.join(map(str, report.input_shape))} normalises only the "
                               "last axes; symconv's layernorm is over the whole sample")
