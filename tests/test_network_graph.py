"""Tests of the network calculator's graphs, new layers and input checks: network text
against PyTorch (shapes, parameters) and autograd (receptive fields), the grammar's reject
branch, merges, alignment, cycles, undefined names, batch and channels-last inputs."""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symconv.errors import FormulaError, GeometryError, SymconvError
from symconv.network import (
    Counting,
    evaluate,
    format_table,
    parse_input,
    parse_layer,
    parse_network,
    reports_to_dict,
    shape,
)

torch = pytest.importorskip("torch")
from network_oracle import _Interpreted, _support_boxes, _torch_layer, check_fields  # noqa: E402

RESIDUAL = """
input 2x48x48
stem = conv(2, k=3, s=2, p=1)
block res(c) {
    y = conv(c, k=3, p=1) -> relu -> conv(c, k=3, d=2, p=2)
    add(y, input) -> relu
}
body = stem -> res(2) * 2
down = body -> conv(2, k=3, s=2, p=1)
side = body -> maxpool(1, s=2)
join = add(down, side)
"""

INCEPTION = """
input 1x14x14
a = conv(2, k=1)
b = input -> conv(2, k=3, p=1)
c = input -> conv(2, k=5, p=2) -> maxpool(3, s=1, p=1)
cat = concat(a, b, c) -> conv(1, k=3, s=2, p=1)
"""


def test_residual_graph_shapes_parameters_and_field():
    network = parse_network(RESIDUAL)
    reports = evaluate(network)
    assert reports[-1].output_shape == (2, 12, 12)
    module = _Interpreted(network)
    assert sum(p.numel() for p in module.parameters()) == sum(r.params for r in reports)
    assert tuple(module(torch.zeros(1, 2, 48, 48)).shape[1:]) == reports[-1].output_shape
    # stem r 3 S 2; each res block 2*2 + 4*2 = 12 more: 27; down +2*2 = 31, side +0: the max
    assert reports[-1].receptive_field == (31, 31)
    assert reports[-1].effective_stride == (4, 4)
    assert check_fields(network, exact=True) > 0


def test_concat_of_parallel_branches_against_autograd():
    network = parse_network(INCEPTION)
    reports = evaluate(network)
    cat = next(r for r in reports if r.node == "cat.1")
    assert cat.output_shape == (6, 14, 14) and cat.inputs == ("a", "b", "c")
    assert cat.receptive_field == (7, 7) and cat.effective_padding == (3, 3)
    assert check_fields(network, exact=True) > 0


def test_unaligned_paths_are_an_error_naming_both_paths():
    text = "input 1x16\na = conv(1, k=2, s=2)\nb = input -> conv(1, k=3, s=2, p=1)\nadd(a, b)"
    with pytest.raises(GeometryError) as info:
        evaluate(parse_network(text))
    message = str(info.value)
    assert "not aligned" in message and "path input -> a" in message
    assert "path input -> b" in message and "centre shift 1/2" in message
    text = "input 1x16\na = conv(1, k=1, s=2)\nb = input -> conv(1, k=1, s=1, p=0)"
    with pytest.raises(GeometryError, match="'a' is 1x8 but 'b' is 1x16"):
        evaluate(parse_network(text + "\nadd(a, b)"))


@pytest.mark.parametrize("text, fragments", [
    ("a = b -> relu\nb = a -> relu", ["cycle: a -> b -> a"]),
    ("a = conv(1, 1)\nadd(a, z)", ["line 2", "undefined node 'z'", "valid: input, a"]),
    ("a = conv(1, 1)\nb = a -> a", ["node 'a' can only start a pipeline"]),
    ("a = conv(1, 1)\na = relu", ["node 'a' is defined twice"]),
    ("relu = conv(1, 1)", ["is a layer, merge or block name"]),
    ("a = conv(1, 1)\nadd(a)", ["add needs at least two inputs"]),
    ("a = relu -> add(input, a)", ["add must start a pipeline"]),
    ("a = conv(1, 1) * 0", ["repetition count must be in 1..1000, got 0"]),
    ("block b(c) { b(c) }\nb(1)", ["block 'b' calls itself (b -> b)"]),
    ("block b(c) { conv(c, 1) }\nb()", ["block b needs c"]),
    ("block b(c) { conv(c, 1) }\nb(1, 2)", ["block b takes (c)"]),
    ("a = conv(1, k=0)", ["in line 1 'a = conv(1, k=0)' at column 15",
                          "k must be an integer in 1..1000000, got 0"]),
    ("a = frob(1)", ["unknown layer, block or node 'frob'"]),
    ("a = conv(1, 1) ->", ["network text is not valid text at column 18", "the text ends"]),
    ("a = conv(1, 1)\n\nb = = relu", ["line 3"]),
    ("", ["has no layers"]),
    ("conv(1, 1) * 1001", ["repetition count"]),
])
def test_network_text_rejects(text, fragments):
    with pytest.raises(FormulaError) as info:
        evaluate(parse_network(text, "1x8"))
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def test_network_text_needs_one_agreeing_input():
    with pytest.raises(FormulaError, match="needs its input size"):
        parse_network("relu")
    with pytest.raises(FormulaError, match="disagrees with the text's input line 1x8"):
        parse_network("input 1x8\nrelu", "1x9")
    assert parse_network("input 1x8\nrelu", "1x8").input_shape == (1, 8)


def test_blowup_is_bounded():
    text = "block b(c) { conv(c, 1) * 1000 }\nb(1) * 1000"
    with pytest.raises(FormulaError, match="at most 20000 nodes"):
        parse_network(text, "1x4")


def test_merge_of_flat_tensors_keeps_the_larger_field():
    reports = evaluate(parse_network("a = conv(1, k=3) -> flatten\nb = input -> conv(1, k=5, "
                                     "p=1) -> flatten\nadd(a, b) -> fc(2)", "1x9"))
    assert reports[-2].receptive_field == (5,) and reports[-2].effective_stride is None
    assert reports[-1].receptive_field == (9,)
    joined = evaluate(parse_network("a = flatten\nb = input -> flatten -> fc(3)\nconcat(a, b)",
                                    "2x4"))
    assert joined[-1].output_shape == (11,)


# ---------------------------------------------------------------------------
# New layers: shapes and parameters against torch, fields against autograd
# ---------------------------------------------------------------------------

NEW_LAYER_CHAINS = [
    ("4x12x10", ["dropout(0.25)", "relu6", "silu", "gelu", "sigmoid", "tanh", "layernorm",
                 "groupnorm(2)", "upsample(2)", "upsample((2, 3), mode=bilinear)",
                 "pixelshuffle(2)", "adaptiveavgpool((5, 7))", "adaptivemaxpool(3)",
                 "globalavgpool", "globalmaxpool", "flatten", "fc(3)"]),
    ("2x9", ["upsample(3, mode=bilinear)", "adaptiveavgpool(4)", "maxpool(3, p=same)"]),
    ("1x10x11", ["avgpool(3, s=2, p=((0, 1), (1, 0)))", "maxpool(2, p=valid)"]),
]


@pytest.mark.parametrize("input_shape, layers", NEW_LAYER_CHAINS)
def test_new_layers_match_torch_shapes_and_parameters(input_shape, layers):
    reports = shape(input_shape, layers)
    channels, spatial = parse_input(input_shape)
    x = torch.zeros(1, channels, *spatial)
    for report in reports:
        module = _torch_layer(parse_layer(report.layer), report.input_shape, pads=report.pads)
        x = module.eval()(x)
        assert tuple(x.shape[1:]) == report.output_shape, report.layer
        assert sum(p.numel() for p in module.parameters()) == report.params, report.layer


@pytest.mark.parametrize("input_shape, layers, exact", [
    ("1x17", ["conv(1, k=3, s=2)", "adaptiveavgpool(4)"], True),  # 8 -> 4: k = s = 2
    ("1x17", ["conv(1, k=3)", "adaptiveavgpool(4)"], False),  # 15 -> 4: uneven windows
    ("1x11x9", ["conv(1, k=3, s=2, p=1)", "globalmaxpool"], True),
    ("1x9", ["upsample(3)", "conv(1, k=3)"], False),
    ("1x7x6", ["conv(1, k=2)", "upsample(2, mode=bilinear)", "conv(1, k=3)"], False),
    ("4x5x6", ["pixelshuffle(2)", "conv(1, k=3)"], False),
    ("1x14", ["maxpool(3, s=2, p=same)", "conv(1, k=2)"], True),
])
def test_new_layer_fields_against_autograd(input_shape, layers, exact):
    network = parse_network("\n".join(layers), input_shape)
    check_fields(network, exact=exact)


def test_nearest_upsampling_field_is_tight():
    """Nearest upsampling by 3: the integer points of the interval are the support."""
    network = parse_network("upsample(3)", "1x5")
    report = evaluate(network)[-1]
    assert report.effective_stride == (Fraction(1, 3),)
    for (o,), ((first, last),) in _support_boxes(network).items():
        start = o * Fraction(1, 3) - report.effective_padding[0]
        assert (first, last) == (max(0, ceil(start)),
                                 min(4, floor(start + report.receptive_field[0] - 1)))


def test_global_pool_field_is_the_clipped_span():
    report = shape("1x10x7", ["conv(1, k=1, s=3)", "globalavgpool"])[-1]
    assert report.output_shape == (1, 1, 1)
    assert report.receptive_field == (10, 7)  # pixels 0..9 and 0..6 are read
    report = shape("1x11", ["conv(1, k=1, s=3)", "globalavgpool"])[-1]
    assert report.receptive_field == (10,)  # pixel 10 is never read
    assert "global pool" in report.note


def test_layer_kinds_count_zero_macs_and_say_so():
    reports = shape("4x8x8", ["relu6", "silu", "gelu", "sigmoid", "tanh", "dropout",
                              "upsample(2)", "pixelshuffle(2)", "globalavgpool"])
    assert all(r.macs == 0 and r.params == 0 for r in reports)
    norms = shape("4x8x8", ["layernorm", "groupnorm(2)"])
    assert [r.params for r in norms] == [2 * 4 * 64, 2 * 4]
    assert all("statistics" in r.note for r in norms)


# ---------------------------------------------------------------------------
# Counting conventions
# ---------------------------------------------------------------------------

def test_counting_conventions_are_named_and_switch():
    reports = shape("3x16x16", ["conv(8, k=3, p=1)", "bn", "relu", "flatten", "fc(10)"])
    conv_macs = 8 * 16 * 16 * 27
    fc_macs = 8 * 256 * 10
    assert Counting.parse("none").total(reports) == conv_macs + fc_macs
    assert Counting.parse("bias").total(reports) == conv_macs + fc_macs + 8 * 256 + 10
    assert Counting.parse("bn").total(reports) == conv_macs + fc_macs + 8 * 256
    assert Counting.parse("bias,bn", flops=True).total(reports) == 2 * (
        conv_macs + fc_macs + 8 * 256 + 10 + 8 * 256)
    table = format_table(reports, Counting.parse("none", flops=True)).splitlines()
    assert table[0] == "FLOPs = 2 x multiply-adds of conv/tconv/fc weights"
    assert "FLOPs" in table[1].split() and "pad" in table[1].split()
    assert table[-1].split()[2] == str(2 * (conv_macs + fc_macs))
    data = reports_to_dict(reports, Counting.parse("bias"))
    assert data["total_macs"] == data["total_macs_by"]["bias"] == conv_macs + fc_macs + 2058
    with pytest.raises(FormulaError, match="valid: bias, bn, tconv_all, combined as"):
        Counting.parse("bias,relu")
    tconv = shape("1x3", ["tconv(1, k=3, s=2, p=1)"])  # 9 pairs, (0, 0) and (2, 2) cropped
    assert tconv[0].cropped_macs == 2
    assert [Counting.parse(w).total(tconv) for w in ("none", "tconv_all")] == [7, 9]


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, options, expected", [
    ("1x3x224x224", {"batch": 1}, (3, (224, 224))),
    ("8x3x32x32", {"batch": 8}, (3, (32, 32))),
    ("224x224x3", {"layout": "hwc"}, (3, (224, 224))),
    ("1x3x224x224", {"layout": "chw"}, (1, (3, 224, 224))),
    ("224x224x3", {"layout": "chw"}, (224, (224, 3))),
    ("256x4x4", {}, (256, (4, 4))),
    ("64x16x16", {}, (64, (16, 16))),
    ("1x9x10x11", {}, (1, (9, 10, 11))),
])
def test_parse_input_batch_and_layout(text, options, expected):
    assert parse_input(text, **options) == expected


@pytest.mark.parametrize("text, options, fragments", [
    ("1x3x224x224", {}, ["leading batch axis", "3x224x224", "--batch 1"]),
    ("2x3x8x8x8", {}, ["if the first is a batch axis", "--batch 2"]),
    ("224x224x3", {}, ["channels-last", "write channels first, 3x224x224", "--layout hwc"]),
    ("32x32x1", {}, ["channels-last", "1x32x32"]),
    ("4x3x8x8", {"batch": 2}, ["must start with the batch size 2"]),
    ("3x8x8", {"batch": 0}, ["batch must be a positive integer"]),
    ("3x8x8", {"layout": "nhwc"}, ["layout must be a layout name", "auto, chw, hwc"]),
    ("3x8;8", {}, ["column 4"]),
])
def test_parse_input_refuses_batch_and_channels_last(text, options, fragments):
    with pytest.raises(FormulaError) as info:
        parse_input(text, **options)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_shape_command_imports_no_sympy():
    """`python -m symconv shape` stays light: neither SymPy nor NumPy is imported on its path."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "symconv", "shape",
                           "3x8x8", "conv(4, k=3)", "relu"], capture_output=True, text=True,
                          env=env, cwd=root, check=False)
    assert done.returncode == 0 and "conv(4, k=3)" in done.stdout
    assert "symconv.network" in done.stderr and "sympy" not in done.stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "numpy" not in modules, "shape needs no NumPy (is_integer looks it up lazily)"


def test_input_starts_a_pipeline_anywhere():
    text = "input 1x8\nrelu\ninput -> relu\nz = input -> conv(2, k=3)\ny = input\nconcat(z, z)"
    reports = evaluate(parse_network(text))
    assert reports[1].inputs == ("input",) and reports[-1].output_shape == (4, 6)
    nested = "block b(c) { conv(c, 1) }\n" + "".join(
        f"block b{i}(c) {{ b{i - 1 if i > 1 else ''}(c) }}\n" for i in range(1, 40))
    with pytest.raises(FormulaError, match="blocks must nest at most 32 deep"):
        parse_network(nested + "b39(1)", "1x4")


# Network text fuzz: any text either reads into a network that evaluates or is refused with
# a SymconvError; nothing else escapes (tokens drawn from the language, mutated lines).
NET_SOUP = ["a", "b", "input", "block", "f(c)", "{", "}", "=", "->", "*", "2", "add(a, b)",
            "concat(a, input)", "conv(2, 3)", "relu", "c", " ", "\n", ";", "#", "(", ")", ",",
            "3x8", "1x4x4", "maxpool(2)", "tconv(1, k=2, s=2)", "f(2)", "flatten", "fc(3)"]


def _net_soup(data: bytes) -> str:
    return "".join(NET_SOUP[byte % len(NET_SOUP)] for byte in data)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=40).map(_net_soup))
def test_network_text_fuzz(text):
    try:
        reports = evaluate(parse_network(text, "2x8x8"))
    except SymconvError:
        return
    assert reports and all(r.output_shape for r in reports)


def test_dilated_pool_with_padding_name_against_autograd():
    check_fields(parse_network("maxpool(3, s=2, d=2, p=same)\nconv(1, k=2)", "1x19"), True)


@st.composite
def two_branches(draw):
    """Two 1-D branches of centred convs (odd k, p = d(k - 1)/2) with the same strides in
    some order, joined by add or concat, then one more layer: aligned by construction."""
    strides = draw(st.lists(st.sampled_from([1, 2]), min_size=1, max_size=3))
    branches = []
    for _ in range(2):
        order = draw(st.permutations(strides))
        layers = []
        for s in order:
            k, d = draw(st.sampled_from([1, 3, 5])), draw(st.integers(1, 2))
            layers.append(f"conv(1, k={k}, s={s}, p={d * (k - 1) // 2}, d={d})")
        branches.append(" -> ".join(layers))
    merge = draw(st.sampled_from(["add", "concat"]))
    tail = draw(st.sampled_from(["relu", "conv(1, k=3)", "maxpool(2)"]))
    text = f"a = {branches[0]}\nb = input -> {branches[1]}\n{merge}(a, b) -> {tail}"
    return text, f"1x{draw(st.integers(12, 40))}"


@settings(max_examples=40, deadline=None)
@given(two_branches())
def test_merged_branches_field_against_autograd(case):
    """The merge's field is the larger branch's; every interior pixel's support equals it."""
    text, input_shape = case
    try:
        network = parse_network(text, input_shape)
        evaluate(network)
    except GeometryError:
        return  # a kernel larger than its input
    check_fields(network, exact=True)
