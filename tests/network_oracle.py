"""Oracles of the network tests: a Network run by real torch layers, autograd supports."""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

import numpy as np
import torch

from symconv.network import Merge, evaluate
from symconv.network.layers import (
    FC,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    AvgPool,
    BatchNorm,
    Conv,
    Dropout,
    Flatten,
    GlobalAvgPool,
    GlobalMaxPool,
    GroupNorm,
    LayerNorm,
    MaxPool,
    PixelShuffle,
    TConv,
    Upsample,
)

nn = torch.nn

# ---------------------------------------------------------------------------
# A Network as a torch module (the oracle): every node a real torch layer
# ---------------------------------------------------------------------------

def _torch_layer(layer, shape, ones=False, pads=()):
    """The torch module of a layer spec on an input of ``shape`` (channels first)."""
    nd = len(shape) - 1
    if isinstance(layer, Conv):
        return getattr(nn, f"Conv{nd}d")(shape[0], layer.out, layer.k, layer.s, layer.p,
                                         layer.d, layer.groups, layer.bias)
    if isinstance(layer, TConv):
        return getattr(nn, f"ConvTranspose{nd}d")(shape[0], layer.out, layer.k, layer.s,
                                                  layer.p, layer.op, layer.groups, layer.bias,
                                                  layer.d)
    named_or_pairs = isinstance(getattr(layer, "p", 0), str) or (
        isinstance(getattr(layer, "p", 0), tuple) and any(isinstance(v, tuple) for v in layer.p))
    if isinstance(layer, MaxPool) and ones and layer.d != 1:  # a dilated window of ones
        return nn.Sequential(_ConstantPad(pads), getattr(nn, f"Conv{nd}d")(
            shape[0], shape[0], layer.k, layer.s or layer.k, 0, layer.d, shape[0], False))
    if isinstance(layer, (MaxPool, AvgPool)) and (ones or named_or_pairs):
        # explicit pads, then the pool; with ones a max pool is a mean (the same support)
        kind = "AvgPool" if ones or isinstance(layer, AvgPool) else "MaxPool"
        return nn.Sequential(_ConstantPad(pads), getattr(nn, f"{kind}{nd}d")(
            layer.k, layer.s, 0, ceil_mode=layer.ceil))
    if isinstance(layer, MaxPool):
        return getattr(nn, f"MaxPool{nd}d")(layer.k, layer.s, layer.p, layer.d,
                                            ceil_mode=layer.ceil)
    if isinstance(layer, AvgPool):
        return getattr(nn, f"AvgPool{nd}d")(layer.k, layer.s, layer.p, ceil_mode=layer.ceil)
    if isinstance(layer, (AdaptiveAvgPool, GlobalAvgPool)) or (ones and isinstance(
            layer, (AdaptiveMaxPool, GlobalMaxPool))):
        return getattr(nn, f"AdaptiveAvgPool{nd}d")(getattr(layer, "out", 1))
    if isinstance(layer, (AdaptiveMaxPool, GlobalMaxPool)):
        return getattr(nn, f"AdaptiveMaxPool{nd}d")(getattr(layer, "out", 1))
    if isinstance(layer, Upsample):
        mode = {"bilinear": {1: "linear", 2: "bilinear", 3: "trilinear"}[nd]}.get(
            layer.mode, "nearest")
        scale = layer.scale if isinstance(layer.scale, tuple) else (layer.scale,) * nd
        return nn.Upsample(scale_factor=tuple(float(s) for s in scale), mode=mode,
                           **({} if mode == "nearest" else {"align_corners": False}))
    if isinstance(layer, PixelShuffle):
        return nn.PixelShuffle(layer.r)
    if isinstance(layer, FC):
        return nn.Linear(shape[0], layer.out, layer.bias)
    if isinstance(layer, BatchNorm):
        return getattr(nn, f"BatchNorm{max(nd, 1)}d")(shape[0])
    if isinstance(layer, LayerNorm):
        return nn.LayerNorm(list(shape))
    if isinstance(layer, GroupNorm):
        return nn.GroupNorm(layer.groups, shape[0])
    if isinstance(layer, Dropout):
        return nn.Dropout(float(layer.p))
    if isinstance(layer, Flatten):
        return nn.Flatten()
    return {"relu": nn.ReLU, "relu6": nn.ReLU6, "silu": nn.SiLU, "gelu": nn.GELU,
            "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}[layer.kind]()


class _ConstantPad(nn.Module):
    def __init__(self, pads):
        super().__init__()
        self.pads = [v for before, after in reversed(pads) for v in (before, after)]

    def forward(self, x):
        return nn.functional.pad(x, self.pads)


class _Interpreted(nn.Module):
    """Runs a Network node by node; ``ones``: all weights 1, biases 0, max pools as means."""

    def __init__(self, network, ones=False):
        super().__init__()
        self.network = network
        self.layers = nn.ModuleDict()
        for report in evaluate(network):
            node = next(n for n in network.nodes if n.name == report.node)
            if not isinstance(node.op, Merge):
                module = _torch_layer(node.op, report.input_shape, ones, report.pads)
                if ones:
                    for name, parameter in module.named_parameters():
                        nn.init.constant_(parameter, 0.0 if "bias" in name else 1.0)
                self.layers[_key(node.name)] = module

    def forward(self, x):
        values = {"input": x}
        for node in self.network.nodes:
            args = [values[name] for name in node.inputs]
            if isinstance(node.op, Merge):
                values[node.name] = sum(args[1:], args[0]) if node.op.kind == "add" else \
                    torch.cat(args, dim=1)
            else:
                values[node.name] = self.layers[_key(node.name)](args[0])
        return values[self.network.nodes[-1].name]


def _key(name):
    return name.replace(".", "_").replace("/", "__").replace("[", "_").replace("]", "_")


def _support_boxes(network):
    """Per output pixel, over all its channels (the field of a position: after a concat
    the channels of each branch see that branch's field, the largest is the node's):
    per-axis (first, last) input index whose gradient is nonzero."""
    module = _Interpreted(network, ones=True).double().eval()
    x = torch.ones(1, *network.input_shape, dtype=torch.float64)
    return jacobian_boxes(lambda v: module(v)[0].sum(0), x)


def jacobian_boxes(output, x):
    """Per output index of ``output(x)``: per-axis (first, last) spatial input index whose
    gradient is nonzero (summed over the input's channels), None on an axis it never reads."""
    jacobian = torch.autograd.functional.jacobian(output, x, vectorize=True)
    boxes = {}
    for out_index in np.ndindex(*jacobian.shape[:jacobian.dim() - x.dim()]):
        support = np.nonzero(jacobian[out_index][0].abs().sum(0).numpy())
        boxes[out_index] = tuple((int(a.min()), int(a.max())) if a.size else None
                                 for a in support)
    return boxes


def check_fields(network, exact):
    """Every output pixel's support lies in its interval; equals it when exact and inside."""
    report = evaluate(network)[-1]
    spatial = network.input_shape[1:]
    inside_count = 0
    for out_index, box in _support_boxes(network).items():
        predicted = []
        for o, r, S, P in zip(out_index, report.receptive_field, report.effective_stride,
                              report.effective_padding):
            start = o * Fraction(S) - Fraction(P)
            predicted.append((start, start + Fraction(r) - 1))
        inside = all(0 <= a and b <= n - 1 for (a, b), n in zip(predicted, spatial))
        for axis_box, (start, end) in zip(box, predicted):
            if axis_box is None:
                continue
            assert ceil(start) <= axis_box[0] and axis_box[1] <= floor(end), \
                (out_index, box, predicted)
            if exact and inside:
                assert axis_box == (start, end), (out_index, box, predicted)
        inside_count += inside
    return inside_count


