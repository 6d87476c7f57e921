"""The symbolic operators against the independent NumPy oracle, and their bad-input tables."""

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

import symconv as sc
from symconv import numeric
from symconv import operators as ops
from symconv.errors import SymconvError
from symconv.strategies import (
    channel_configs,
    geometries,
    inputs,
    kernels,
    pool_geometries,
    transposed_geometries,
)


def substituted(op, w, x):
    """The SymPy matrix with integer kernel values substituted, times the integer input."""
    values = dict(zip(op.kernel_flat, (int(v) for v in np.asarray(w).reshape(-1))))
    matrix = op.matrix.xreplace(values) if values else op.matrix
    return np.array(matrix * sympy.Matrix(np.asarray(x).reshape(-1).tolist()), dtype=object)


def agrees(op, w, x, want):
    """Both the symbolic matrix (substituted) and ``numeric`` equal the oracle exactly."""
    want = np.asarray(want)
    assert want.shape == op.output_shape
    exact = substituted(op, w, x).reshape(-1)
    assert [sympy.nsimplify(v) for v in exact] == [sympy.nsimplify(v) for v in want.reshape(-1)]
    assert np.allclose(op.numeric(w) @ np.asarray(x, float).reshape(-1), want.reshape(-1))


@given(st.data(), geometries(max_size=5, max_kernel=3), channel_configs(max_groups=2))
def test_correlation_and_convolution_match_oracle(data, g, channels):
    cin, cout, groups = channels
    for flip, oracle in ((False, numeric.correlate), (True, numeric.convolve)):
        op = ops.correlation(g, cin, cout, groups, flip=flip)
        w = data.draw(kernels(op.kernel_shape))
        x = data.draw(inputs(op.input_shape))
        agrees(op, w, x, oracle(x, w, g, groups))


@given(st.data(), transposed_geometries(max_size=4, max_kernel=3), channel_configs(max_groups=2))
def test_transposed_convolution_matches_oracle(data, tg, channels):
    cin, cout, groups = channels
    op = ops.transposed_convolution(tg, in_channels=cin, out_channels=cout, groups=groups)
    w = data.draw(kernels(op.kernel_shape))
    x = data.draw(inputs(op.input_shape))
    agrees(op, w, x, numeric.conv_transpose(x, w, tg, groups))


@given(st.data(), st.lists(st.integers(1, 5), min_size=1, max_size=2), channel_configs())
def test_circular_convolution_matches_oracle(data, n, channels):
    cin, cout, groups = channels
    k = [data.draw(st.integers(1, v)) for v in n]
    op = ops.circular_convolution(n, k, cin, cout, groups)
    w = data.draw(kernels(op.kernel_shape))
    x = data.draw(inputs(op.input_shape))
    if groups == 1:
        agrees(op, w, x, numeric.circular_convolve(x, w))
    else:  # grouped: each group is an ungrouped circular convolution of its channels
        ci, co = cin // groups, cout // groups
        want = np.concatenate([numeric.circular_convolve(x[g * ci:(g + 1) * ci],
                                                         w[g * co:(g + 1) * co])
                               for g in range(groups)])
        agrees(op, w, x, want)


@given(st.data(), st.lists(st.integers(1, 5), min_size=1, max_size=2), st.integers(1, 2))
def test_constant_operators_match_oracle(data, n, channels):
    ndim = len(n)
    x = data.draw(inputs((channels, *n)))
    offset = tuple(data.draw(st.integers(-3, 3)) for _ in n)
    factor = data.draw(st.integers(1, 3))
    pads = tuple((data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in n)
    for circular in (False, True):
        agrees(ops.shift(n, offset, circular, channels), None, x,
               numeric.shift(x, offset, circular))
    agrees(ops.zero_insertion(n, factor, channels), None, x, numeric.zero_insert(x, factor))
    agrees(ops.decimation(n, factor, channels), None, x, numeric.decimate(x, factor))
    agrees(ops.zero_padding(n, pads, channels), None, x, numeric.pad(x, pads))
    assert ndim in (1, 2)


@given(st.data(), pool_geometries(max_size=6, max_kernel=3, max_dilation=1), st.booleans())
def test_avg_pool_matches_oracle(data, g, count_include_pad):
    op = ops.avg_pool(g, count_include_pad=count_include_pad, channels=2)
    x = data.draw(inputs(op.input_shape))
    want = numeric.avg_pool(x.astype(float), g, count_include_pad)
    exact = substituted(op, None, x).reshape(-1).astype(float)
    assert np.allclose(exact, want.reshape(-1))
    assert np.allclose(op.numeric() @ x.reshape(-1), want.reshape(-1))


@given(st.data(), pool_geometries(max_size=6, max_kernel=3))
def test_max_pool_matches_oracle(data, g):
    mp = ops.max_pool(g, channels=2)
    x = data.draw(inputs(mp.input_shape))
    values, indices = numeric.max_pool(x, g, return_indices=True)
    symbolic = mp.apply(sympy.Array(x.tolist()))
    assert np.array(symbolic.tolist(), dtype=float).tolist() == values.astype(float).tolist()
    assert np.array_equal(mp.numeric(x), values)
    selection = mp.selection(mp.switches(x))
    assert np.array_equal(selection.numeric() @ x.reshape(-1), values.reshape(-1))


def test_max_pool_is_a_symbolic_max_over_each_window():
    mp = sc.max_pool((2, 3), (2, 2), stride=1)
    x = sc.input_symbols(mp.input_shape)
    out = mp.apply(x)
    assert out.shape == (1, 1, 2)
    assert out[0, 0, 1] == sympy.Max(x[0, 0, 1], x[0, 0, 2], x[0, 1, 1], x[0, 1, 2])


def test_kernel_layout_and_symbols():
    op = sc.correlation(sc.Geometry((4, 4), (3, 2)), in_channels=4, out_channels=6, groups=2)
    assert op.kernel.shape == (6, 2, 3, 2)
    assert str(op.kernel[5, 1, 2, 0]) == "k_{5,1,2,0}"
    t = sc.transposed_convolution((3,), (2,), in_channels=4, out_channels=6, groups=2)
    assert t.kernel.shape == (4, 3, 2)
    # parameter count = distinct kernel symbols = out * in/groups * prod(k)
    assert len(op.matrix.free_symbols) == 6 * 2 * 3 * 2


def test_row_column_order_is_channel_major():
    op = sc.correlation(sc.Geometry((3,), (1,)), in_channels=2, out_channels=1)
    assert op.matrix == sympy.Matrix([[sympy.Symbol("k_{0,0,0}"), 0, 0,
                                       sympy.Symbol("k_{0,1,0}"), 0, 0],
                                      [0, sympy.Symbol("k_{0,0,0}"), 0,
                                       0, sympy.Symbol("k_{0,1,0}"), 0],
                                      [0, 0, sympy.Symbol("k_{0,0,0}"),
                                       0, 0, sympy.Symbol("k_{0,1,0}")]])


def test_transpose_property_swaps_shapes():
    op = sc.correlation(sc.Geometry((5,), (3,), stride=2))
    assert op.T.input_shape == op.output_shape and op.T.output_shape == op.input_shape
    assert op.T.matrix == op.matrix.T


def test_notes_claim_4x4_input_3x3_kernel_gives_4x16():
    op = sc.correlation(sc.Geometry((4, 4), (3, 3)))
    assert op.matrix.shape == (4, 16)
    assert op.T.matrix.shape == (16, 4)


G = sc.Geometry((4,), (2,))

BAD_CALLS = [
    (lambda: sc.correlation(G, in_channels=3, groups=2), "groups must divide in_channels=3"),
    (lambda: sc.correlation(G, out_channels=0), "out_channels must be an integer >= 1"),
    (lambda: sc.correlation((4,)), "geometry must be a symconv.Geometry"),
    (lambda: sc.correlation(G).numeric(np.ones((1, 1, 3))),
     "w must be a real array of shape (1, 1, 2) (the kernel layout of correlation), "
     "got shape (1, 1, 3)"),
    (lambda: sc.correlation(G).numeric(), "w must be a real array of shape (1, 1, 2)"),
    (lambda: sc.shift((3,), 1).numeric(np.ones(2)), "must be omitted"),
    (lambda: sc.transposed_convolution((3,), (2,), stride=2, output_padding=2),
     "output_padding[0] must be smaller than max(stride, dilation) = 2"),
    (lambda: sc.transposed_convolution((1,), (1,), padding=1), "leaves no output"),
    (lambda: sc.transposed_convolution((3,)), "kernel_shape must be given"),
    (lambda: sc.transposed_convolution((3,), (2,), in_channels=2, groups=3),
     "groups must divide in_channels=2"),
    (lambda: sc.circular_convolution((3,), (4,)), "must be at most the input size 3"),
    (lambda: sc.circular_convolution((3, 3), (2,)), "must have as many axes"),
    (lambda: sc.shift((3,), (1, 2)), "offset must give one value per spatial axis"),
    (lambda: sc.shift((3,), 1.5), "offset must be an integer"),
    (lambda: sc.zero_insertion((3,), 0), "factor must be an integer >= 1"),
    (lambda: sc.decimation((3,), -1), "factor must be an integer >= 1"),
    (lambda: sc.zero_padding((3,), -1), "padding must be an integer >= 0"),
    (lambda: sc.avg_pool((4,), (2,), padding=2), "must be at most half the kernel size"),
    (lambda: sc.avg_pool((4,), (2,), channels=0), "channels must be an integer >= 1"),
    (lambda: sc.max_pool((1,), (3,)), "leaves no pooling window"),
    (lambda: sc.max_pool((4,), (2,), stride=0), "stride must be an integer >= 1"),
    (lambda: sc.max_pool((4, 4), (2,)), "kernel_shape"),
    (lambda: sc.max_pool((4,), (2,)).numeric(np.ones((1, 5))),
     "x must be a real array of shape (1, 4)"),
]


@pytest.mark.parametrize(("call", "message"), BAD_CALLS)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(SymconvError) as error:
        call()
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


@given(st.data(), geometries(max_size=6, max_kernel=3, padding_kinds=("int",)),
       channel_configs(max_groups=2))
def test_correlation_matrix_agrees_with_torch_conv(data, g, channels):
    torch = pytest.importorskip("torch")
    cin, cout, groups = channels
    op = sc.correlation(g, cin, cout, groups)
    w = data.draw(kernels(op.kernel_shape)).astype(float)
    x = data.draw(inputs(op.input_shape)).astype(float)
    conv = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d}[g.ndim]
    padding = tuple(b for b, _ in g.pads)
    want = conv(torch.tensor(x)[None], torch.tensor(w), stride=g.stride, padding=padding,
                dilation=g.dilation, groups=groups)[0].numpy()
    assert want.shape == op.output_shape
    assert np.allclose(op.numeric(w) @ x.reshape(-1), want.reshape(-1))


@given(st.data(), transposed_geometries(max_size=4, max_kernel=3), channel_configs(max_groups=2))
def test_transposed_matrix_agrees_with_torch_conv_transpose(data, tg, channels):
    torch = pytest.importorskip("torch")
    cin, cout, groups = channels
    op = sc.transposed_convolution(tg, in_channels=cin, out_channels=cout, groups=groups)
    w = data.draw(kernels(op.kernel_shape)).astype(float)
    x = data.draw(inputs(op.input_shape)).astype(float)
    conv_t = {1: torch.nn.functional.conv_transpose1d,
              2: torch.nn.functional.conv_transpose2d}[tg.ndim]
    want = conv_t(torch.tensor(x)[None], torch.tensor(w), stride=tg.stride, padding=tg.padding,
                  output_padding=tg.output_padding, dilation=tg.dilation,
                  groups=groups)[0].numpy()
    assert want.shape == op.output_shape
    assert np.allclose(op.numeric(w) @ x.reshape(-1), want.reshape(-1))
