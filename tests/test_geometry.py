"""Geometry: padding resolution, output sizes, validation; checked against PyTorch."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import symconv as sc
from symconv.errors import GeometryError, SymconvError
from symconv.geometry import (
    PoolGeometry,
    TransposedGeometry,
    conv_output_size,
    same_pads,
)


def test_contract_example():
    g = sc.Geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=2, padding=1, dilation=1)
    assert g.output_shape == (3, 3)
    assert g.pads == ((1, 1), (1, 1))


@pytest.mark.parametrize(("padding", "pads", "out"), [
    (0, ((0, 0),), (3,)),
    ("valid", ((0, 0),), (3,)),
    ("same", ((1, 1),), (5,)),
    ("same_lower", ((1, 1),), (5,)),
    ("full", ((2, 2),), (7,)),
    (((0, 2),), ((0, 2),), (5,)),
    ((1,), ((1, 1),), (5,)),
])
def test_padding_forms(padding, pads, out):
    g = sc.Geometry((5,), (3,), padding=padding)
    assert g.pads == pads and g.output_shape == out


def test_notes_claims_13_inputs_kernel_6_stride_5():
    valid = sc.Geometry((13,), (6,), stride=5, padding="valid")
    same = sc.Geometry((13,), (6,), stride=5, padding="same")
    assert valid.output_shape == (2,)
    # valid drops the inputs after the last window: 13 - ((2-1)*5 + 6) = 2
    assert 13 - ((valid.output_shape[0] - 1) * 5 + 6) == 2
    assert same.output_shape == (3,) and same.pads == ((1, 2),)


def test_six_inputs_window_three_stride_two_gives_two_outputs():
    assert sc.Geometry((6,), (3,), stride=2).output_shape == (2,)


@given(n=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3))
def test_same_padding_gives_ceil_n_over_s_with_odd_pixel_after(n, k, s, d):
    before, after = same_pads(n, k, s, d)
    assert after - before in (0, 1)
    assert conv_output_size(n, k, s, before, after, d) == -(-n // s)
    lower = same_pads(n, k, s, d, lower=True)
    assert lower == (after, before)


@given(n=st.integers(1, 30), k=st.integers(1, 5), s=st.integers(1, 3), p=st.integers(0, 3),
       d=st.integers(1, 3))
def test_output_size_agrees_with_torch(n, k, s, p, d):
    torch = pytest.importorskip("torch")
    fits = d * (k - 1) + 1 <= n + 2 * p
    x = torch.zeros(1, 1, n, dtype=torch.float64)
    w = torch.zeros(1, 1, k, dtype=torch.float64)
    if not fits:
        with pytest.raises(RuntimeError):
            torch.nn.functional.conv1d(x, w, stride=s, padding=p, dilation=d)
        with pytest.raises(GeometryError):
            sc.Geometry((n,), (k,), s, p, d)
        return
    y = torch.nn.functional.conv1d(x, w, stride=s, padding=p, dilation=d)
    assert sc.Geometry((n,), (k,), s, p, d).output_shape == (y.shape[-1],)


@pytest.mark.filterwarnings("ignore:Using padding=.same.")
@given(n=st.integers(1, 12), k=st.integers(1, 5), d=st.integers(1, 3))
def test_same_at_stride_one_agrees_with_torch(n, k, d):
    torch = pytest.importorskip("torch")
    x = torch.arange(n, dtype=torch.float64).reshape(1, 1, n) + 1
    w = torch.arange(k, dtype=torch.float64).reshape(1, 1, k) + 1
    y = torch.nn.functional.conv1d(x, w, padding="same", dilation=d)
    (before, after), = sc.Geometry((n,), (k,), 1, "same", d).pads
    padded = torch.nn.functional.pad(x, (before, after))
    assert torch.equal(torch.nn.functional.conv1d(padded, w, dilation=d), y)


@given(n=st.integers(1, 8), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 3),
       op=st.integers(0, 3), d=st.integers(1, 3))
def test_transposed_validation_agrees_with_torch(n, k, s, p, op, d):
    torch = pytest.importorskip("torch")
    x = torch.zeros(1, 1, n, dtype=torch.float64)
    w = torch.zeros(1, 1, k, dtype=torch.float64)
    try:
        y = torch.nn.functional.conv_transpose1d(x, w, stride=s, padding=p, output_padding=op,
                                                 dilation=d)
    except RuntimeError:
        with pytest.raises(GeometryError):
            TransposedGeometry((n,), (k,), s, p, op, d)
        return
    assert TransposedGeometry((n,), (k,), s, p, op, d).output_shape == (y.shape[-1],)


@given(n=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 2), ceil=st.booleans())
def test_pool_validation_and_size_agree_with_torch(n, k, s, p, d, ceil):
    torch = pytest.importorskip("torch")
    x = torch.zeros(1, 1, n, dtype=torch.float64)
    try:
        y = torch.nn.functional.max_pool1d(x, k, s, p, d, ceil_mode=ceil)
    except RuntimeError:
        with pytest.raises(GeometryError):
            PoolGeometry((n,), (k,), s, p, d, ceil)
        return
    assert PoolGeometry((n,), (k,), s, p, d, ceil).output_shape == (y.shape[-1],)


def test_pool_error_names_smallest_input():
    with pytest.raises(GeometryError, match=r"input_shape\[0\] >= 3"):
        PoolGeometry((2,), (3,))
    PoolGeometry((3,), (3,))


BAD_GEOMETRIES = [
    (dict(stride=0), "stride must be an integer >= 1, got 0"),
    (dict(stride=-2), "stride must be an integer >= 1, got -2"),
    (dict(dilation=0), "dilation must be an integer >= 1, got 0"),
    (dict(padding=-1), "padding must be an integer >= 0, got -1"),
    (dict(padding=((0, -1), (0, 0))), "padding[0] must be an integer >= 0"),
    (dict(padding="smae"), "padding must be an integer or a known name, got 'smae'"),
    (dict(padding=(1, 2, 3)), "padding must give one entry per spatial axis (2)"),
    (dict(padding=((1, 2, 3), 0)), "padding[0] must be a (before, after) pair"),
    (dict(kernel_shape=(7, 3)), "input_shape[0] >= 7"),
    (dict(kernel_shape=(3, 3), dilation=3), "dilated kernel size 7 > padded input size 5"),
    (dict(kernel_shape=(3,)), "kernel_shape must have as many axes as input_shape (5, 5)"),
    (dict(input_shape=(5.0, 5)), "input_shape[0] must be an integer >= 1, got 5.0"),
    (dict(input_shape=(True, 5)), "input_shape[0] must be an integer"),
    (dict(input_shape=(0, 5)), "input_shape[0] must be an integer >= 1, got 0"),
    (dict(input_shape=()), "input_shape must have 1 to 3 spatial axes"),
    (dict(input_shape=(2, 2, 2, 2), kernel_shape=(1, 1, 1, 1)), "1 to 3 spatial axes"),
    (dict(input_shape="5x5"), "input_shape must be a tuple of sizes"),
    (dict(stride=(1, 2, 3)), "stride must give one value per spatial axis (2)"),
    (dict(stride=1.5), "stride must be an integer >= 1, got 1.5"),
]


@pytest.mark.parametrize(("change", "message"), BAD_GEOMETRIES)
def test_bad_geometry_is_named(change, message):
    args = {"input_shape": (5, 5), "kernel_shape": (3, 3), **change}
    with pytest.raises(SymconvError) as error:
        sc.Geometry(**args)
    assert message in str(error.value)


BAD_TRANSPOSED = [
    (dict(output_padding=2, stride=2), "output_padding[0] must be smaller than max(stride, "
                                       "dilation) = 2"),
    (dict(output_padding=1), "must be smaller than max(stride, dilation) = 1"),
    (dict(padding=5), "leaves no output"),
    (dict(padding=((1, 1),)), "padding[0] must be an integer"),
]


@pytest.mark.parametrize(("change", "message"), BAD_TRANSPOSED)
def test_bad_transposed_geometry_is_named(change, message):
    args = {"input_shape": (3,), "kernel_shape": (3,), **change}
    with pytest.raises(SymconvError) as error:
        TransposedGeometry(**args)
    assert message in str(error.value)


BAD_POOLS = [
    (dict(padding=2), "padding[0] must be at most half the kernel size 3"),
    (dict(ceil_mode="yes"), "ceil_mode must be True or False"),
    (dict(stride=0), "stride must be an integer >= 1"),
    (dict(input_shape=(1,), kernel_shape=(4,)), "leaves no pooling window"),
]


@pytest.mark.parametrize(("change", "message"), BAD_POOLS)
def test_bad_pool_geometry_is_named(change, message):
    args = {"input_shape": (5,), "kernel_shape": (3,), **change}
    with pytest.raises(SymconvError) as error:
        PoolGeometry(**args)
    assert message in str(error.value)
