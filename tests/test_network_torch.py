"""Real networks: ResNet-18/50, MobileNetV2, a U-Net, AlexNet and VGG16 written as torch
modules here (torchvision's layouts; no torchvision, no weights) against the network files
in ``derivations/networks/`` and ``network_from_torch``: parameters, MACs under every
counting convention (forward hooks on the meta device), torchvision's published figures,
and receptive fields against autograd."""

from __future__ import annotations

import json
import sys
import types
from fractions import Fraction
from math import ceil, floor, prod
from pathlib import Path

import pytest

from symconv.cli import main
from symconv.errors import FormulaError
from symconv.network import Counting, evaluate, network_from_torch, parse_network

torch = pytest.importorskip("torch")
nn = torch.nn
NETWORKS = Path(__file__).resolve().parent.parent / "derivations" / "networks"


# ---------------------------------------------------------------------------
# The modules, as torchvision writes them
# ---------------------------------------------------------------------------

def conv_bn(c_in, c_out, k, s=1, groups=1, act=nn.ReLU):
    layers = [nn.Conv2d(c_in, c_out, k, s, (k - 1) // 2, groups=groups, bias=False),
              nn.BatchNorm2d(c_out)]
    return nn.Sequential(*layers, *([act(inplace=True)] if act else []))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, c_in, c, s=1):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c, 3, s, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        self.downsample = None if s == 1 and c_in == c else nn.Sequential(
            nn.Conv2d(c_in, c, 1, s, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, c_in, c, s=1):
        super().__init__()
        out = c * 4
        self.conv1, self.bn1 = nn.Conv2d(c_in, c, 1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, s, 1, bias=False), nn.BatchNorm2d(c)
        self.conv3, self.bn3 = nn.Conv2d(c, out, 1, bias=False), nn.BatchNorm2d(out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None if s == 1 and c_in == out else nn.Sequential(
            nn.Conv2d(c_in, out, 1, s, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, block, counts, width=64, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1, self.relu = nn.BatchNorm2d(width), nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        c_in, stages = width, []
        for i, n in enumerate(counts):
            c = width * 2 ** i
            blocks = [block(c_in, c, 1 if i == 0 else 2)]
            c_in = c * block.expansion
            blocks += [block(c_in, c) for _ in range(n - 1)]
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(c_in, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class InvertedResidual(nn.Module):
    def __init__(self, c_in, c_out, s, t):
        super().__init__()
        hidden = c_in * t
        self.use_res_connect = s == 1 and c_in == c_out
        layers = [conv_bn(c_in, hidden, 1, act=nn.ReLU6)] if t != 1 else []
        layers += [conv_bn(hidden, hidden, 3, s, groups=hidden, act=nn.ReLU6),
                   nn.Conv2d(hidden, c_out, 1, bias=False), nn.BatchNorm2d(c_out)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                (6, 160, 3, 2), (6, 320, 1, 1)]

    def __init__(self, classes=1000):
        super().__init__()
        features, c_in = [conv_bn(3, 32, 3, 2, act=nn.ReLU6)], 32
        for t, c, n, s in self.SETTINGS:
            for i in range(n):
                features.append(InvertedResidual(c_in, c, s if i == 0 else 1, t))
                c_in = c
        features.append(conv_bn(c_in, 1280, 1, act=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, classes))

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class UNet(nn.Module):
    def __init__(self, c_in=3, classes=2, width=64):
        super().__init__()

        def double(a, b):
            return nn.Sequential(conv_bn(a, b, 3), conv_bn(b, b, 3))

        w = [width * 2 ** i for i in range(5)]
        self.downs = nn.ModuleList([double(c_in, w[0])] + [double(w[i], w[i + 1])
                                                          for i in range(4)])
        self.pool = nn.MaxPool2d(2)
        self.ups = nn.ModuleList([nn.ConvTranspose2d(w[i + 1], w[i], 2, 2) for i in range(4)])
        self.decode = nn.ModuleList([double(2 * w[i], w[i]) for i in range(4)])
        self.head = nn.Conv2d(w[0], classes, 1)

    def forward(self, x):
        skips = []
        for i, down in enumerate(self.downs):
            x = down(x if i == 0 else self.pool(x))
            skips.append(x)
        x = skips.pop()
        for i in reversed(range(4)):
            x = self.decode[i](torch.cat([self.ups[i](x), skips.pop()], dim=1))
        return self.head(x)


class AlexNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 256, 3, padding=1),
            nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def vgg16():
    layers, c_in = [], 3
    for c in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512,
              512, "M"]:
        if c == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.ReLU(inplace=True)]
            c_in = c
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d((7, 7)), nn.Flatten(),
                         nn.Linear(25088, 4096), nn.ReLU(True), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(),
                         nn.Linear(4096, 1000))


MODELS = {
    "resnet18": lambda: ResNet(BasicBlock, [2, 2, 2, 2]),
    "resnet50": lambda: ResNet(Bottleneck, [3, 4, 6, 3]),
    "mobilenet_v2": MobileNetV2,
    "unet": UNet,
}
INPUTS = {"resnet18": "3x224x224", "resnet50": "3x224x224", "mobilenet_v2": "3x224x224",
          "unet": "3x256x256"}


def _on_meta(factory):
    with torch.device("meta"):
        return factory().eval()


def _torch_counts(module, input_shape):
    """Params and MACs (none / bias / bn) from torch's own shapes, by forward hooks."""
    counts = {"weights": 0, "bias": 0, "bn": 0}

    def hook(m, inputs, output):
        x = inputs[0]
        if isinstance(m, nn.modules.conv._ConvNd) and not isinstance(m, nn.ConvTranspose2d):
            counts["weights"] += output.numel() * m.in_channels // m.groups * prod(m.kernel_size)
        elif isinstance(m, nn.ConvTranspose2d):  # every pair lands inside when p = 0
            counts["weights"] += x.numel() * m.out_channels // m.groups * prod(m.kernel_size)
        elif isinstance(m, nn.Linear):
            counts["weights"] += m.in_features * m.out_features
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            counts["bn"] += output.numel()
        if getattr(m, "bias", None) is not None and not isinstance(
                m, nn.modules.batchnorm._BatchNorm):
            counts["bias"] += output.numel()

    handles = [m.register_forward_hook(hook) for m in module.modules()]
    sizes = [int(v) for v in input_shape.split("x")]
    with torch.no_grad():
        module(torch.zeros(1, *sizes, device="meta"))
    for handle in handles:
        handle.remove()
    params = sum(p.numel() for p in module.parameters())
    return params, counts


def _totals(reports):
    return {words: Counting.parse(words).total(reports) for words in ("none", "bias", "bn",
                                                                       "bias,bn")}


# ---------------------------------------------------------------------------
# Network files and traced modules against torch
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MODELS))
def test_network_file_and_trace_match_the_torch_module(name):
    module = _on_meta(MODELS[name])
    params, counts = _torch_counts(module, INPUTS[name])
    from_file = evaluate(parse_network((NETWORKS / f"{name}.txt").read_text()))
    traced = evaluate(network_from_torch(module, INPUTS[name]))
    expected = {"none": counts["weights"], "bias": counts["weights"] + counts["bias"],
                "bn": counts["weights"] + counts["bn"],
                "bias,bn": counts["weights"] + counts["bias"] + counts["bn"]}
    for reports in (from_file, traced):
        assert sum(r.params for r in reports) == params
        assert _totals(reports) == expected
        assert reports[-1].output_shape == ((2, 256, 256) if name == "unet" else (1000,))
    last_spatial = [r for r in from_file if r.effective_stride is not None][-1]
    traced_spatial = [r for r in traced if r.effective_stride is not None][-1]
    assert last_spatial.receptive_field == traced_spatial.receptive_field
    assert last_spatial.effective_padding == traced_spatial.effective_padding


@pytest.mark.parametrize("factory, figure", [
    (AlexNet, 714_188_480), (vgg16, 15_470_264_320),
    (lambda: ResNet(Bottleneck, [3, 4, 6, 3]), 4_089_184_256),
])
def test_torchvision_published_figures(factory, figure):
    """torchvision's "GFLOPS": conv + linear multiply-adds, bias and norms left out."""
    reports = evaluate(network_from_torch(_on_meta(factory), "3x224x224"))
    assert Counting.parse("none").total(reports) == figure


def test_published_parameter_counts_and_receptive_fields():
    resnet50 = evaluate(parse_network((NETWORKS / "resnet50.txt").read_text()))
    assert sum(r.params for r in resnet50) == 25_557_032
    before_pool = next(r for r in resnet50 if r.node == "head.1")
    assert before_pool.receptive_field == (224, 224)  # the global pool: clipped to the input
    layer4 = next(r for r in resnet50 if r.node == "layer4")  # a block's output: its call's name
    assert resnet50.index(layer4) == resnet50.index(before_pool) - 1
    assert (layer4.receptive_field, layer4.effective_stride) == ((427, 427), (32, 32))
    assert [r.receptive_field[0] for r in resnet50 if r.node in ("layer1", "layer2", "layer3")] \
        == [35, 91, 267]
    mobilenet = evaluate(parse_network((NETWORKS / "mobilenet_v2.txt").read_text()))
    assert sum(r.params for r in mobilenet) == 3_504_872


def _center_support(module, input_shape):
    """Input box whose gradient reaches the centre output pixel (channels summed)."""
    module = module.double().eval()
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.constant_(m.weight, 1.0)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    x = torch.ones(1, *input_shape, dtype=torch.float64, requires_grad=True)
    y = module(x)
    centre = tuple(n // 2 for n in y.shape[2:])
    y[(0, slice(None), *centre)].sum().backward()
    support = torch.nonzero(x.grad[0].abs().sum(0))
    return centre, [(int(support[:, a].min()), int(support[:, a].max()))
                    for a in range(support.shape[1])]


class _Support(nn.Module):
    """The module with max pools as mean pools and ReLU6 as ReLU: the same support, and
    every input of a window reached (a max reaches one; all-ones weights saturate ReLU6)."""

    def __init__(self, module):
        super().__init__()
        for name, child in list(module.named_modules()):
            if isinstance(child, nn.MaxPool2d):
                new = nn.AvgPool2d(child.kernel_size, child.stride, child.padding)
            elif isinstance(child, nn.ReLU6):
                new = nn.ReLU()
            else:
                continue
            parent = module.get_submodule(name.rsplit(".", 1)[0]) if "." in name else module
            setattr(parent, name.rsplit(".", 1)[-1], new)
        self.module = module

    def forward(self, x):
        return self.module(x)


@pytest.mark.parametrize("name, cut, input_shape, exact", [
    ("resnet18", 3, (3, 240, 240), True),  # up to layer3
    ("mobilenet_v2", 8, (3, 160, 160), True),  # features[:8]
    ("unet", None, (3, 64, 64), False),  # transposed convs: an enclosure
])
def test_receptive_fields_against_autograd(name, cut, input_shape, exact):
    torch.manual_seed(0)
    if name == "resnet18":
        full = ResNet(BasicBlock, [2, 2, 2, 2], width=4)
        module = nn.Sequential(full.conv1, full.bn1, full.relu, full.maxpool,
                               *[getattr(full, f"layer{i}") for i in range(1, cut + 1)])
    elif name == "mobilenet_v2":
        module = MobileNetV2().features[:cut]
    else:
        module = UNet(width=2)
    module = _Support(module)
    report = evaluate(network_from_torch(module, "x".join(map(str, input_shape))))[-1]
    centre, box = _center_support(module, input_shape)
    for o, r, S, P, (first, last), n in zip(centre, report.receptive_field,
                                           report.effective_stride, report.effective_padding,
                                           box, input_shape[1:]):
        start = o * Fraction(S) - Fraction(P)
        end = start + Fraction(r) - 1
        assert ceil(start) <= first and last <= floor(end)
        if exact:
            assert 0 <= start and end <= n - 1  # the test is about an interior pixel
            assert (first, last) == (start, end)


# ---------------------------------------------------------------------------
# The trace's reject branch
# ---------------------------------------------------------------------------

class _Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.act = nn.Hardswish()

    def forward(self, x):
        return torch.clamp(self.act(self.conv(x)), 0, 1) * 2


class _Branching(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x
        return -x


def test_unsupported_nodes_are_listed_or_taken_as_elementwise():
    with pytest.raises(FormulaError) as info:
        network_from_torch(_Unsupported(), "3x8x8")
    message = str(info.value)
    assert "_Unsupported has nodes symconv does not map (3)" in message
    assert "act (Hardswish)" in message and "clamp" in message and "mul" in message
    reports = evaluate(network_from_torch(_Unsupported(), "3x8x8", elementwise=True))
    assert [r.layer for r in reports] == ["conv(4, k=3)", "elementwise(hardswish)",
                                          "elementwise(clamp)", "elementwise(mul)"]


def test_trace_failure_is_one_line_with_the_cause():
    with pytest.raises(FormulaError) as info:
        network_from_torch(_Branching(), "3x8x8")
    message = str(info.value)
    assert message.startswith("torch.fx could not trace _Branching: TraceError:")
    assert "\n" not in message
    with pytest.raises(FormulaError, match="must be a torch.nn.Module"):
        network_from_torch(lambda x: x, "3x8x8")


def test_layer_norm_over_the_last_axis_only_is_refused():
    module = nn.Sequential(nn.Conv2d(3, 4, 1), nn.LayerNorm(8))
    with pytest.raises(FormulaError, match="normalises only the last axes"):
        network_from_torch(module, "3x8x8")
    module = nn.Sequential(nn.Conv2d(3, 4, 1), nn.LayerNorm([4, 8, 8]), nn.GroupNorm(2, 4))
    reports = evaluate(network_from_torch(module, "3x8x8"))
    assert [r.params for r in reports] == [16, 512, 8]


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_shape_file_torch_and_conventions(capsys, monkeypatch):
    code, out, _ = _run(capsys, "shape", "--file", str(NETWORKS / "resnet50.txt"), "--count",
                        "none", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["total_macs"] == 4_089_184_256
    assert doc["total_params"] == 25_557_032
    models = types.ModuleType("symconv_test_models")
    models.resnet18 = MODELS["resnet18"]
    models.broken = lambda: 1 / 0
    monkeypatch.setitem(sys.modules, "symconv_test_models", models)
    code, out, _ = _run(capsys, "shape", "--torch", "symconv_test_models:resnet18", "--input",
                        "3x224x224", "--count", "none", "--flops")
    assert code == 0 and out.splitlines()[0].startswith("FLOPs = 2 x multiply-adds")
    assert out.splitlines()[-1].split()[2] == str(2 * 1_814_073_344)
    code, _, err = _run(capsys, "shape", "--torch", "symconv_test_models:broken", "--input",
                        "3x8x8")
    assert code == 2 and "broken() failed: ZeroDivisionError" in err
    code, out, _ = _run(capsys, "shape", "--help")
    assert code == 0 and "block basic(c)" in out and "--count none" in out


@pytest.mark.parametrize("argv, fragment", [
    (["shape", "1x3x224x224", "relu"], "--batch 1"),
    (["shape", "224x224x3", "relu"], "--layout hwc"),
    (["shape", "--file", "/nonexistent/net.txt"], "cannot be read"),
    (["shape", "--torch", "nosuchmodule_xyz:f", "--input", "3x8x8"], "cannot be loaded"),
    (["shape", "--torch", "os.path", "--input", "3x8x8"], "MODULE:CALLABLE"),
    (["shape", "--torch", "os:getcwd"], "--torch needs --input"),
    (["shape", "3x8x8"], "exactly one network"),
    (["shape", "3x8x8", "relu", "--count", "everything"], "valid: bias, bn, tconv_all"),
])
def test_cli_shape_bad_input(capsys, argv, fragment):
    code, _, err = _run(capsys, *argv)
    assert code == 2 and fragment in err and "Traceback" not in err


class _Functional(nn.Module):
    """A network written with functions and methods instead of modules."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3, padding=1)
        self.b = nn.Conv2d(3, 4, 1)
        self.fc = nn.Linear(8 * 4 * 4, 5)

    def forward(self, x):
        y = torch.cat([nn.functional.relu(self.a(x)), torch.sigmoid(self.b(x))], dim=1)
        y = nn.functional.max_pool2d(y, 2)
        y = nn.functional.interpolate(y, scale_factor=2, mode="nearest")
        y = nn.functional.avg_pool2d(torch.add(y, y.tanh()), 4, stride=4)
        return self.fc(y.view(y.size(0), -1)).relu()


def test_functional_style_is_traced_like_modules():
    module = _Functional()
    reports = evaluate(network_from_torch(module, "3x16x16"))
    assert [r.layer for r in reports] == [
        "conv(4, k=3, p=1)", "relu", "conv(4, k=1)", "sigmoid", "concat", "maxpool(2)",
        "upsample", "tanh", "add", "avgpool(4, s=4)", "flatten", "fc(5)", "relu"]
    assert reports[-1].output_shape == tuple(module(torch.zeros(1, 3, 16, 16)).shape[1:])
    assert sum(r.params for r in reports) == sum(p.numel() for p in module.parameters())
