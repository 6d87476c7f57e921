"""Tests of the network calculator: published networks, PyTorch shapes and parameter
counts, receptive fields against autograd support, the parser's reject branch and a fuzz
test, and (when present) the composed symbolic operator."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from math import ceil, floor

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symconv.errors import FormulaError, GeometryError, OperatorError, SymconvError
from symconv.network import (
    FC,
    LAYERS,
    AvgPool,
    BatchNorm,
    Conv,
    Flatten,
    MaxPool,
    ReLU,
    TConv,
    fc_vs_conv,
    format_table,
    parse_input,
    parse_layer,
    reports_to_dict,
    shape,
)

VGG16 = [
    *["conv(64, k=3, p=1)"] * 2, "maxpool(2)",
    *["conv(128, k=3, p=1)"] * 2, "maxpool(2)",
    *["conv(256, k=3, p=1)"] * 3, "maxpool(2)",
    *["conv(512, k=3, p=1)"] * 3, "maxpool(2)",
    *["conv(512, k=3, p=1)"] * 3, "maxpool(2)",
    "flatten", "fc(4096)", "relu", "fc(4096)", "relu", "fc(1000)",
]
ALEXNET = [  # torchvision's AlexNet features
    "conv(64, k=11, s=4, p=2)", "relu", "maxpool(3, s=2)",
    "conv(192, k=5, p=2)", "relu", "maxpool(3, s=2)",
    "conv(384, k=3, p=1)", "relu", "conv(256, k=3, p=1)", "relu",
    "conv(256, k=3, p=1)", "relu", "maxpool(3, s=2)",
]
LENET = ["conv(25, 3)", "maxpool(2)", "conv(50, 3)", "maxpool(2)"]
RESNET_STEM = ["conv(64, k=7, s=2, p=3, bias=False)", "bn", "relu", "maxpool(3, s=2, p=1)"]


# ---------------------------------------------------------------------------
# Published networks
# ---------------------------------------------------------------------------

def test_vgg16_receptive_field_shapes_and_parameters():
    reports = shape("3x224x224", VGG16)
    last_pool = reports[17]
    assert last_pool.layer == "maxpool(2)"
    assert last_pool.output_shape == (512, 7, 7)
    assert last_pool.receptive_field == (212, 212)
    assert last_pool.effective_stride == (32, 32)
    assert last_pool.effective_padding == (90, 90)
    assert reports[-1].output_shape == (1000,)
    assert sum(r.params for r in reports) == 138_357_544  # the published VGG16 count
    assert reports[-1].receptive_field == (224, 224)  # fc sees the whole input
    assert reports[-1].effective_stride is None


def test_alexnet_receptive_field_stride_and_output():
    reports = shape("3x224x224", ALEXNET)
    assert reports[-1].output_shape == (256, 6, 6)
    assert reports[-1].receptive_field == (195, 195)
    assert reports[-1].effective_stride == (32, 32)
    assert sum(r.params for r in reports) == 2_469_696
    assert reports[0].macs == 64 * 55 * 55 * 3 * 11 * 11


def test_lenet_chain_from_the_notes():
    reports = shape("1x28x28", LENET)
    assert [r.output_shape for r in reports] == [(25, 26, 26), (25, 13, 13), (50, 11, 11),
                                                 (50, 5, 5)]
    assert reports[2].output_shape == (50, 11, 11)  # what the note shows after conv 2
    assert [r.receptive_field[0] for r in reports] == [3, 4, 8, 10]
    assert reports[2].params == 25 * 50 * 9 + 50


def test_resnet_stem():
    reports = shape("3x224x224", RESNET_STEM)
    assert reports[0].output_shape == (64, 112, 112)
    assert reports[0].params == 64 * 3 * 49  # bias=False
    assert reports[1].params == 128 and reports[1].params_no_bias == 64
    last = reports[-1]
    # r = 7 + (3 - 1) * 2 = 11, S = 2 * 2 = 4, P = 3 + 1 * 2 = 5
    assert (last.output_shape, last.receptive_field) == ((64, 56, 56), (11, 11))
    assert (last.effective_stride, last.effective_padding) == ((4, 4), (5, 5))
    assert last.pads == ((1, 1), (1, 1))


def test_same_padding_comes_from_geometry():
    report = shape("1x13", ["conv(1, k=6, s=5, p=same)"])[0]
    assert report.pads == ((1, 2),)  # TensorFlow: odd pixel after
    assert report.effective_padding == (1,)  # the left pad
    assert report.output_shape == (1, 3)


def test_transposed_receptive_field_is_exact_fractions():
    reports = shape("1x8x8", ["conv(4, k=3, s=2, p=1)", "tconv(1, k=4, s=2, p=1)"])
    last = reports[-1]
    assert last.output_shape == (1, 8, 8)
    # tconv: span 3/2 + 1 in its input units, stride 1/2, left pad (3 - 1)/2 = 1
    assert last.effective_stride == (1, 1)
    assert last.receptive_field == (6, 6)  # 3 + (3/2) * 2
    assert last.effective_padding == (3, 3)  # 1 + 1 * 2
    single = shape("1x8", ["tconv(1, k=3, s=2)"])[0]
    assert single.effective_stride == (Fraction(1, 2),)
    assert single.effective_padding == (1,)


def test_flatten_keeps_the_field_and_fc_takes_the_clipped_span():
    reports = shape("1x6", ["conv(1, k=1, s=2)", "flatten", "fc(2)"])
    assert reports[1].receptive_field == (1,) and reports[1].effective_stride is None
    assert reports[1].note
    assert reports[2].receptive_field == (5,)  # pixel 5 is never read


def test_macs_conventions():
    conv = shape("2x5", ["conv(3, k=3, p=1)"])[0]
    assert conv.macs == 3 * 5 * 2 * 3  # taps on padding counted
    assert conv.macs_nonzero == 3 * 2 * (5 * 3 - 2)  # two taps fall on the padding
    tconv = shape("1x3", ["tconv(1, k=3, s=2, p=1)"])[0]
    # output size 5; pairs (i, j) with 0 <= 2i - 1 + j < 5: 9 pairs minus (0, 0), (2, 2)
    assert tconv.output_shape == (1, 5) and tconv.macs == 7
    assert shape("1x4x4", ["maxpool(2)"])[0].macs == 0
    assert shape("3x2x2", ["flatten", "fc(5)"])[1].macs == 12 * 5


def test_fc_versus_conv_figures_from_the_notes():
    c = fc_vs_conv((32, 32), kernel=2, stride=1)
    assert c.output_shape == (31, 31)
    assert (c.fc_params, c.conv_params) == (984_064, 4)
    assert c.params_ratio == 246_016
    assert (c.fc_macs, c.conv_macs) == (984_064, 3_844)
    assert c.macs_ratio == 256
    assert isinstance(c.params_ratio, Fraction)
    assert fc_vs_conv((5,), 2, stride=2).macs_ratio == Fraction(5, 2)


# ---------------------------------------------------------------------------
# Output formats
# ---------------------------------------------------------------------------

def test_reports_to_dict_is_json_ready():
    reports = shape("1x8x8", ["tconv(2, k=4, s=2, p=1)", "conv(2, k=3, p=1)", "flatten",
                              "fc(3)"])
    data = reports_to_dict(reports)
    assert json.loads(json.dumps(data)) == data
    first = data["layers"][0]
    assert first["effective_stride"] == ["1/2", "1/2"]
    assert first["receptive_field"] == ["5/2", "5/2"]
    assert first["output_shape"] == [2, 16, 16]
    assert first["pads"] == [[1, 1], [1, 1]]
    assert data["layers"][3]["effective_padding"] is None
    expected_keys = {"layer", "output_shape", "pads", "params", "macs", "receptive_field",
                     "effective_stride", "effective_padding"}
    assert expected_keys <= set(first)
    assert data["total_params"] == sum(r.params for r in reports)


def test_format_table_rows_and_totals():
    text = format_table(shape("3x224x224", ALEXNET))
    lines = text.splitlines()
    assert lines[0].startswith("MACs = multiply-adds of conv/tconv/fc weights")
    assert len(lines) == len(ALEXNET) + 3
    assert lines[-2].split()[-3:] == ["195", "32", "66"]
    reports = shape("3x224x224", ALEXNET)
    padding_taps = sum(r.macs - r.macs_nonzero for r in reports)
    assert lines[-1].split() == ["total", "2469696", "655566528", str(padding_taps)]
    assert len({line.index("params") for line in lines[1:2]}) == 1
    assert "k=(3, 5)" in format_table(shape("1x9x9", ["conv(1, k=(3, 5), p=((0, 1), 2))"]))


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("conv(64, 3)", Conv(64, 3)),
    ("conv(64, k=3, s=1, p=0, d=1, groups=1)", Conv(64, 3)),
    ("conv(8, k=(3,5), s=(1,2), p='same')", Conv(8, (3, 5), (1, 2), "same")),
    ('conv(8, 3, p="VALID", bias=False)', Conv(8, 3, p="valid", bias=False)),
    ("conv(8, 3, p=((0, 1), (2, 2)))", Conv(8, 3, p=((0, 1), (2, 2)))),
    ("conv(out=8, k=3,)", Conv(8, 3)),
    ("  CONV ( 8 , 3 )  ", Conv(8, 3)),
    ("maxpool(2)", MaxPool(2)),
    ("maxpool(3, s=2, p=1, d=2, ceil=True)", MaxPool(3, 2, 1, 2, True)),
    ("avgpool(k=2, ceil=true)", AvgPool(2, ceil=True)),
    ("tconv(4, 3, s=2, p=1, op=1)", TConv(4, 3, 2, 1, 1)),
    ("flatten", Flatten()),
    ("flatten()", Flatten()),
    ("fc(10, bias=False)", FC(10, False)),
    ("relu", ReLU()),
    ("bn", BatchNorm()),
])
def test_parse_layer_accepts(text, expected):
    layer = parse_layer(text)
    assert layer == expected
    assert parse_layer(layer.text) == layer


@pytest.mark.parametrize("text, fragments", [
    ("cnv(3)", ["'cnv(3)'", "column 1",
                "unknown layer 'cnv' (valid: conv, maxpool, avgpool, tconv, flatten, fc"]),
    ("conv(64, x=3)", ["column 10",
                       "unknown argument 'x' for conv (valid: out, k, s, p, d, groups, bias)"]),
    ("conv(64)", ["conv needs k"]),
    ("conv", ["conv needs out, k"]),
    ("conv(64, k=3, k=5)", ["'k' given twice"]),
    ("conv(64, k=3, 1)", ["positional argument after a keyword"]),
    ("conv(1, 2, 3, 4, 5, 6, True, 8)", ["too many arguments", "column 30"]),
    ("conv(64, k=0)", ["k must be an integer in 1..1000000, got 0", "1 to 1000000"]),
    ("conv(64, k=-3)", ["k must be an integer in 1..1000000, got -3", "column 12"]),
    ("conv(1, k=3, p=-1)", ["conv argument p must be an integer in 0..1000000, got -1"]),
    ("conv(1, k=3, p=(1, -2))", ["conv argument p[1] must be an integer in 0..1000000, got -2"]),
    ("conv(1, k=3, p=((0, -1),))", ["p[0][1] must be an integer in 0..1000000, got -1"]),
    ("conv(1, k=3, s=-99999999)", ["integer -99999999 is too large"]),
    ("conv(64, k=3.5)", ["column 12", "k must be an integer in 1..1000000, got 3.5"]),
    ("conv(64, k=3, p=half)", ["padding name", "valid, same, same_lower, full"]),
    ("conv(64, k=3, p='same)", ["column 17", "unexpected \"'\""]),
    ("conv(64, k=3, bias=maybe)", ["truth value", "True, False"]),
    ("conv(64, k=(1, 2, 3, 4))", ["must have 1 to 3 entries"]),
    ("conv(64, k=())", ["must have 1 to 3 entries"]),
    ("conv(64, k=(((3))))", ["nested too deeply"]),
    ("conv(64, k=99999999)", ["too large"]),
    ("conv(64, k=3", ["column 13: the text ends", "expected: ')', ','"]),
    ("conv(64,, 3)", ["column 9: unexpected ','", "expected: a 'quoted name', a decimal"]),
    ("conv 64", ["column 6", "expected: the end of the text, '('"]),
    ("conv(64, 3) relu", ["column 13: unexpected 'relu'", "expected: the end of the text"]),
    ("maxpool(2, groups=2)", ["unknown argument 'groups' for maxpool",
                              "(valid: k, s, p, d, ceil)"]),
    ("avgpool(2, d=2)", ["unknown argument 'd' for avgpool"]),
    ("flatten(1)", ["too many arguments for flatten"]),
    ("", ["column 1: the text ends", "expected: a name"]),
    ("conv(" + "1," * 150 + ")", ["at most 200 characters long, got 306 characters"]),
    ("cönv(1, 1)", ["column 2: unexpected 'ö'"]),
])
def test_parse_layer_rejects(text, fragments):
    with pytest.raises(FormulaError) as info:
        parse_layer(text)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert str(info.value).count("got ") <= 1


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(out_channels=0), "out_channels must be an integer >= 1, got 0"),
    (dict(out_channels=(2, 2)), "out_channels must be an integer >= 1, got (2, 2)"),
    (dict(in_channels=True), "in_channels must be an integer >= 1, got True"),
    (dict(kernel=0), "kernel_shape[0] must be an integer >= 1, got 0"),
])
def test_fc_vs_conv_rejects_bad_channels_and_kernels(kwargs, fragment):
    with pytest.raises(SymconvError, match=re.escape(fragment)):
        fc_vs_conv((8, 8), **{"kernel": 2, **kwargs})


@pytest.mark.parametrize("text, expected", [
    ("3x224x224", (3, (224, 224))),
    ("1 x 28", (1, (28,))),
    ("2×4×5×6", (2, (4, 5, 6))),
    ("3,32,32", (3, (32, 32))),
    ((3, 8, 8), (3, (8, 8))),
])
def test_parse_input_accepts(text, expected):
    assert parse_input(text) == expected


@pytest.mark.parametrize("text", ["224", "3x0x4", "3x1x2x3x4", "3x", "x3", "3x-4", "3.0x4",
                                  "3x4; rm", "", (3,), (3, 4.0), "1x" + "9" * 8, None])
def test_parse_input_rejects(text):
    with pytest.raises(FormulaError, match="input"):
        parse_input(text)


@pytest.mark.parametrize("input_shape, layers, error, fragments", [
    ("3x16x16", ["conv(8, k=3)", "conv(8, k=5, s=2)", "conv(64, k=7)"], GeometryError,
     ["layer 3 'conv(64, k=7)'", "on input 8x5x5", "input_shape[0] >= 7"]),
    ("3x5x5", ["maxpool(2, d=5)"], GeometryError, ["layer 1", "input_shape[0] >= 6"]),
    ("3x8x8", ["conv(8, k=3, groups=2)"], OperatorError,
     ["layer 1", "groups must divide the input channels 3", "valid: 1, 3"]),
    ("4x8x8", ["conv(6, k=3, groups=4)"], OperatorError, ["output channels 6"]),
    ("4x8x8", ["tconv(6, k=3, groups=4)"], OperatorError, ["groups must divide"]),
    ("3x8x8", ["fc(10)"], GeometryError, ["layer 1 'fc(10)'", "must be flat",
                                          "flatten gives 192 features"]),
    ("3x8x8", ["flatten", "conv(8, 3)"], GeometryError, ["layer 2", "spatial axes"]),
    ("3x8x8", ["conv(8, k=(3, 3, 3))"], GeometryError, ["kernel_shape", "2 axes"]),
    ("3x8x8", ["conv(8, k=3, s=(1, 2, 1))"], GeometryError, ["stride", "per spatial axis"]),
    ("3x8x8", ["maxpool(2, p=2)"], GeometryError, ["at most half the kernel size"]),
    ("3x8x8", ["tconv(8, k=3, s=2, op=2)"], GeometryError, ["output_padding"]),
    ("3x2x2", ["tconv(8, k=1, p=1)"], GeometryError, ["leaves no output"]),
    ("3x8x8", ["conv(8, 3)", "cnv(2)"], FormulaError, ["layer 2:", "unknown layer 'cnv'"]),
    ("3x", ["conv(8, 3)"], FormulaError, ["input"]),
])
def test_shape_rejects(input_shape, layers, error, fragments):
    with pytest.raises(error) as info:
        shape(input_shape, layers)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_layer_specs_validate_on_construction():
    with pytest.raises(FormulaError, match="conv argument groups"):
        Conv(8, 3, groups=0)
    with pytest.raises(FormulaError, match="truth value"):
        FC(3, bias="yes")
    assert MaxPool([2, 2]).k == (2, 2)


# The fuzz test: random text, token soup and mutated valid layers either parse to a layer
# whose canonical text parses back to the same layer, or raise a SymconvError; nothing
# else. Bytes are mapped to tokens (one cheap draw per example keeps 10,000 under ~10 s).
SOUP = ["conv", "tconv", "maxpool", "avgpool", "fc", "flatten", "relu", "bn", "cnv", "(",
        ")", ",", "=", " ", "k", "s", "p", "d", "op", "groups", "bias", "ceil", "out", "same",
        "'same'", '"valid"', "full", "True", "False", "0", "1", "2", "3", "64", "(3, 5)",
        "((1, 2), (0, 1))", "99999999", "-", ".", "x", "((", "))", "'", "p=1", "k=3", "\n",
        "é", "\x00"]
VALID_TEXTS = ["conv(64, k=3, s=2, p=same, d=2, groups=2, bias=False)",
               "conv(8, 3, p=((0, 1), (2, 2)))", "tconv(8, (3, 5), s=2, p=1, op=1)",
               "maxpool(3, s=2, p=1, d=2, ceil=True)", "avgpool(k=2, ceil=False)", "fc(10)",
               "flatten", "relu", "bn"]


def _soup(data: bytes) -> str:
    return "".join(SOUP[byte % len(SOUP)] for byte in data)


def _near_valid(data: bytes) -> str:
    """A valid layer text with tokens inserted (even byte) or replacing a character."""
    text = VALID_TEXTS[data[0] % len(VALID_TEXTS)]
    for at, piece in zip(data[1::2], data[2::2]):
        at %= len(text) + 1
        text = text[:at] + SOUP[piece % len(SOUP)] + text[at + piece % 2:]
    return text


fuzz_text = st.one_of(
    st.text(max_size=30),
    st.binary(max_size=16).map(_soup),
    st.binary(min_size=1, max_size=9).map(_near_valid),
)


@settings(deadline=None, suppress_health_check=list(HealthCheck))  # budget: the profile
@given(fuzz_text)
def test_parse_layer_fuzz(text):
    try:
        layer = parse_layer(text)
    except SymconvError:
        return
    assert isinstance(layer, tuple(LAYERS.values()))
    assert parse_layer(layer.text) == layer


# ---------------------------------------------------------------------------
# PyTorch: output shapes and parameter counts
# ---------------------------------------------------------------------------

def _torch_layer(layer, current):
    """The torch module of a layer spec (the oracle shared with the graph tests)."""
    pytest.importorskip("torch")
    from network_oracle import _torch_layer as torch_layer

    return torch_layer(layer, current)


TORCH_CHAINS = [
    ("3x224x224", VGG16),
    ("3x224x224", ALEXNET),
    ("1x28x28", LENET),
    ("3x224x224", RESNET_STEM),
    ("4x17x19", ["conv(8, k=(3, 5), s=(2, 1), p=(1, 2), d=(1, 2), groups=2)",
                 "maxpool((2, 3), s=(2, 1), p=1, d=(1, 2), ceil=True)",
                 "avgpool(3, s=2, p=1, ceil=True)", "tconv(6, k=(4, 3), s=(2, 3), p=(1, 0), "
                 "op=(1, 2), d=(1, 1), groups=2, bias=False)", "bn", "relu", "flatten",
                 "fc(7, bias=False)"]),
    ("2x31", ["conv(4, k=5, p=same)", "conv(4, k=4, p=same, d=2)", "conv(4, k=3, p=valid)",
              "tconv(3, k=5, s=3, d=2, op=1)", "maxpool(3, s=2, ceil=True)", "flatten",
              "fc(2)"]),
    ("1x9x10x11", ["conv(2, k=3, s=2, p=1)", "tconv(2, k=2, s=2)", "maxpool(2, ceil=True)",
                   "avgpool(2)"]),
]


@pytest.mark.parametrize("input_shape, layers", TORCH_CHAINS)
def test_shapes_and_parameters_match_torch(input_shape, layers):
    torch = pytest.importorskip("torch")
    channels, spatial = parse_input(input_shape)
    x = torch.zeros(1, channels, *spatial, device="meta")  # shapes only, no arithmetic
    current = (channels, *spatial)
    with torch.no_grad():
        for report in shape(input_shape, layers):
            with torch.device("meta"):  # no weight initialisation either
                module = _torch_layer(parse_layer(report.layer), current).eval()
            x = module(x)
            assert tuple(x.shape[1:]) == report.output_shape, report.layer
            assert sum(p.numel() for p in module.parameters()) == report.params, report.layer
            current = report.output_shape


# ---------------------------------------------------------------------------
# Receptive fields against autograd: which input pixels reach an output pixel
# ---------------------------------------------------------------------------

def _ones_layer(layer, current):
    """The layer with all-ones weights; max pooling as a ones window (same support)."""
    torch = pytest.importorskip("torch")
    nn = torch.nn
    nd = len(current) - 1
    if isinstance(layer, MaxPool) and (layer.d != 1 and not layer.ceil):
        layer = Conv(current[0], layer.k, layer.k if layer.s is None else layer.s, layer.p,
                     layer.d, current[0], False)
    elif isinstance(layer, MaxPool):
        return getattr(nn, f"AvgPool{nd}d")(layer.k, layer.s, layer.p, ceil_mode=layer.ceil)
    module = _torch_layer(layer, current)
    for name, parameter in module.named_parameters():
        torch.nn.init.constant_(parameter, 0.0 if name == "bias" else 1.0)
    return module.double()


def _support_boxes(input_shape, layers, reports):
    """Per output pixel (channel 0): per-axis (first, last) input index reaching it."""
    torch = pytest.importorskip("torch")
    channels, spatial = parse_input(input_shape)
    modules, current = [], (channels, *spatial)
    for report in reports:
        modules.append(_ones_layer(parse_layer(report.layer), current))
        current = report.output_shape
    net = torch.nn.Sequential(*modules)
    from network_oracle import jacobian_boxes

    x = torch.ones(1, channels, *spatial, dtype=torch.float64)
    return jacobian_boxes(lambda v: net(v)[0, 0], x)


def _predicted(report, out_index, spatial):
    """The report's interval for output ``out_index``, unclipped and clipped to the input."""
    boxes = []
    for o, r, S, P, n in zip(out_index, report.receptive_field, report.effective_stride,
                             report.effective_padding, spatial):
        start = o * Fraction(S) - Fraction(P)
        boxes.append((start, start + Fraction(r) - 1, n))
    return boxes


def _check_against_autograd(input_shape, layers, exact):
    reports = shape(input_shape, layers)
    _, spatial = parse_input(input_shape)
    checked_inside = 0
    for out_index, box in _support_boxes(input_shape, layers, reports).items():
        predicted = _predicted(reports[-1], out_index, spatial)
        inside = all(0 <= start and end <= n - 1 for start, end, n in predicted)
        for axis_box, (start, end, _) in zip(box, predicted):
            if axis_box is None:  # every path runs through an intermediate pad
                assert not (exact and inside)
                continue
            first, last = axis_box
            assert ceil(start) <= first and last <= floor(end), (out_index, box, predicted)
            if exact and inside:
                assert (first, last) == (start, end), (out_index, box, predicted)
        checked_inside += inside
    return checked_inside


@pytest.mark.parametrize("input_shape, layers", [
    ("1x40", ["conv(1, k=3, s=2, p=1)", "conv(1, k=3, d=3, p=2)", "maxpool(2)"]),
    ("2x23x19", ["conv(2, k=(3, 5), s=(1, 2), p=(1, 2), d=(2, 1))", "maxpool(2, d=2)",
                 "conv(1, k=2, s=(2, 1))"]),
    ("1x100x100", ALEXNET[:3] + ["conv(1, k=5, p=2)", "maxpool(3, s=2)"]),
    ("1x30x30", ["conv(1, k=7, s=2, p=3)", "maxpool(3, s=2, p=1)"]),
    ("1x12x12", ["conv(1, k=1, s=3)", "conv(1, k=2)"]),
])
def test_receptive_field_equals_autograd_support(input_shape, layers):
    assert _check_against_autograd(input_shape, layers, exact=True) > 0


@pytest.mark.parametrize("input_shape, layers", [
    ("1x10", ["tconv(1, k=3, s=2)"]),
    ("1x10", ["tconv(1, k=4, s=3, p=2, op=1)"]),
    ("1x9x8", ["tconv(1, k=(3, 4), s=(2, 3), p=(0, 1))"]),
])
def test_single_transposed_layer_is_tight(input_shape, layers):
    """A single undilated tconv: the integer points of the interval are the support."""
    reports = shape(input_shape, layers)
    _, spatial = parse_input(input_shape)
    for out_index, box in _support_boxes(input_shape, layers, reports).items():
        for axis_box, (start, end, n) in zip(box, _predicted(reports[-1], out_index, spatial)):
            assert axis_box == (max(ceil(start), 0), min(floor(end), n - 1))


def test_fc_field_against_autograd():
    torch = pytest.importorskip("torch")
    for input_shape, layers in [("1x6", ["conv(1, k=1, s=2)", "flatten", "fc(1)"]),
                                ("1x9x7", ["conv(1, k=3, s=2)", "flatten", "fc(1)"])]:
        reports = shape(input_shape, layers)
        channels, spatial = parse_input(input_shape)
        modules, current = [], (channels, *spatial)
        for report in reports:
            modules.append(_ones_layer(parse_layer(report.layer), current))
            current = report.output_shape
        x = torch.ones(1, channels, *spatial, dtype=torch.float64, requires_grad=True)
        torch.nn.Sequential(*modules)(x)[0, 0].backward()
        support = np.nonzero(x.grad[0, 0].numpy())
        extent = tuple(int(a.max() - a.min() + 1) for a in support)
        assert reports[-1].receptive_field == extent


@st.composite
def chains_1d(draw, transposed):
    """Small 1-D chains of conv, pooling and (optionally) tconv layers."""
    kinds = ["conv", "maxpool", "avgpool"] + ["tconv"] * transposed
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        k, s = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        d = draw(st.integers(1, 3))
        if kind == "conv":
            layers.append(f"conv(1, k={k}, s={s}, p={draw(st.integers(0, 3))}, d={d})")
        elif kind == "tconv":
            d = draw(st.integers(1, 2))
            op = draw(st.integers(0, max(s, d) - 1))
            layers.append(f"tconv(1, k={k}, s={s}, p={draw(st.integers(0, 2))}, op={op}, "
                          f"d={d})")
        else:
            ceil_mode = draw(st.booleans()) and (kind == "avgpool" or d == 1)
            d = d if kind == "maxpool" else 1
            p = draw(st.integers(0, k // 2))
            layers.append(f"{kind}({k}, s={s}, p={p}, ceil={ceil_mode}"
                          + (f", d={d})" if kind == "maxpool" else ")"))
    return f"1x{draw(st.integers(4, 40))}", layers


def _valid(input_shape, layers):
    try:
        shape(input_shape, layers)
    except SymconvError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(chains_1d(transposed=False))
def test_receptive_field_property_against_autograd(chain):
    assume(_valid(*chain))
    _check_against_autograd(*chain, exact=True)


@settings(max_examples=150, deadline=None)
@given(chains_1d(transposed=True))
def test_transposed_field_encloses_autograd_support(chain):
    assume(_valid(*chain))
    _check_against_autograd(*chain, exact=False)


# ---------------------------------------------------------------------------
# The composed symbolic operator (symconv.operators)
# ---------------------------------------------------------------------------

def test_counts_and_field_equal_the_composed_operator():
    operators = pytest.importorskip("symconv.operators")
    from symconv.geometry import Geometry, TransposedGeometry

    layers = ["conv(2, k=3, s=2, p=1)", "conv(2, k=2, d=2, groups=2)",
              "tconv(1, k=3, s=2, p=1)"]
    reports = shape("2x11", layers)
    ops = []
    for report in reports:
        layer, (c_in, n) = parse_layer(report.layer), report.input_shape
        if isinstance(layer, Conv):
            g = Geometry((n,), (layer.k,), layer.s, layer.p, layer.d)
            op = operators.correlation(g, c_in, layer.out, layer.groups)
        else:
            t = TransposedGeometry((n,), (layer.k,), layer.s, layer.p, layer.op, layer.d)
            op = operators.transposed_convolution(t, in_channels=c_in,
                                                  out_channels=layer.out, groups=layer.groups)
        kernel_symbols = set(op.kernel_flat)
        assert len(kernel_symbols) == report.params_no_bias
        assert op.matrix.free_symbols == kernel_symbols
        assert op.nnz == report.macs_nonzero
        ops.append(op)
    composed = ops[0].numeric(np.ones(ops[0].kernel.shape))
    for op in ops[1:]:
        composed = op.numeric(np.ones(op.kernel.shape)) @ composed
    # rows: output (channel, position); columns: input (channel, position)
    for o in range(reports[-1].output_shape[1]):
        columns = np.nonzero(composed[o])[0] % 11
        (start, end, n), = _predicted(reports[-1], (o,), (11,))
        assert ceil(start) <= columns.min() and columns.max() <= floor(end)
    # without transposed layers the row support is exactly the interval
    conv_reports = reports[:2]
    conv_only = ops[1].numeric(np.ones(ops[1].kernel.shape)) @ ops[0].numeric(
        np.ones(ops[0].kernel.shape))
    for o in range(conv_reports[-1].output_shape[1]):
        columns = np.nonzero(conv_only[o])[0] % 11
        (start, end, _), = _predicted(conv_reports[-1], (o,), (11,))
        assert (columns.min(), columns.max()) == (max(start, 0), min(end, 10))
    assert conv_reports[0].macs != conv_reports[0].macs_nonzero  # padding taps
