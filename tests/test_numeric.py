"""The NumPy oracle against implementations nobody here wrote.

NumPy, SciPy and PyTorch (float64, CPU) are the references; each test skips
only when its reference package is missing. Inputs and kernels are small
integers, so every float64 sum is exact and most comparisons are exact.
The last part checks that symconv's geometry specs accept exactly the
layers PyTorch accepts, with the same output sizes.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symconv.errors import GeometryError, OperatorError, SymconvError
from symconv.geometry import Geometry, PoolGeometry, TransposedGeometry
from symconv.numeric import (
    avg_pool,
    circular_convolve,
    conv_transpose,
    convolve,
    correlate,
    decimate,
    explicit_pads,
    full_convolve_1d,
    max_pool,
    max_unpool,
    output_shape,
    pad,
    shift,
    zero_insert,
)
from symconv.strategies import (
    channel_configs,
    geometries,
    inputs,
    kernels,
    pool_geometries,
    transposed_geometries,
)

# ---------------------------------------------------------------------------
# References, each imported only by the tests that use it
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@pytest.fixture(scope="module")
def signal():
    return pytest.importorskip("scipy.signal")


def _t(torch, array):
    """A float64 tensor with a batch axis of one."""
    return torch.from_numpy(np.asarray(array, dtype=np.float64))[None]


def _torch_pads(pads):
    """symconv (before, after) per axis -> F.pad's flat list, last axis first."""
    return [v for pair in reversed(pads) for v in pair]


def _numpy_same_pads(k):
    """np.convolve / np.correlate / scipy 'same' keep the centre of 'full', which
    starts at index (k-1)//2: explicit pads (k//2, (k-1)//2), the odd pixel *before*
    (TensorFlow's 'same' puts it after)."""
    return (k // 2, (k - 1) // 2)


def _vectors(max_n=7, max_k=4):
    """(x, w) 1-D int vectors with len(w) <= len(x)."""
    return st.integers(1, max_n).flatmap(lambda n: st.tuples(
        inputs((n,)), st.integers(1, min(n, max_k)).flatmap(lambda k: kernels((k,)))))


# ---------------------------------------------------------------------------
# NumPy and SciPy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@given(vectors=_vectors())
def test_1d_against_numpy_convolve_and_correlate(mode, vectors):
    x, w = vectors
    k = w.size
    padding = {"full": "full", "valid": "valid", "same": (_numpy_same_pads(k),)}[mode]
    g = Geometry((x.size,), (k,), padding=padding)
    np.testing.assert_array_equal(convolve(x[None], w[None, None], g)[0],
                                  np.convolve(x, w, mode))
    np.testing.assert_array_equal(correlate(x[None], w[None, None], g)[0],
                                  np.correlate(x, w, mode))


def test_numpy_same_is_not_tensorflow_same_for_even_kernels():
    x, w = np.arange(1, 6), np.array([1, 2, 3, 4])
    tf_same = correlate(x[None], w[None, None], Geometry((5,), (4,), padding="same"))[0]
    lower = correlate(x[None], w[None, None], Geometry((5,), (4,), padding="same_lower"))[0]
    assert not np.array_equal(tf_same, np.correlate(x, w, "same"))
    np.testing.assert_array_equal(lower, np.correlate(x, w, "same"))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@settings(max_examples=40)
@given(data=st.data(), ndim=st.integers(1, 3))
def test_nd_against_scipy_signal(signal, mode, data, ndim):
    n = data.draw(st.tuples(*[st.integers(1, 5)] * ndim))
    k = tuple(data.draw(st.integers(1, size)) for size in n)
    x, w = data.draw(inputs(n)), data.draw(kernels(k))
    if mode == "same":
        padding = tuple(_numpy_same_pads(size) for size in k)
    else:
        padding = mode
    g = Geometry(n, k, padding=padding)
    np.testing.assert_array_equal(
        correlate(x[None], w[None, None], g)[0],
        signal.correlate(x, w, mode=mode, method="direct"))
    np.testing.assert_array_equal(
        convolve(x[None], w[None, None], g)[0],
        signal.convolve(x, w, mode=mode, method="direct"))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@given(data=st.data())
def test_2d_against_scipy_correlate2d(signal, mode, data):
    n = data.draw(st.tuples(st.integers(1, 6), st.integers(1, 6)))
    k = (data.draw(st.integers(1, n[0])), data.draw(st.integers(1, n[1])))
    x, w = data.draw(inputs(n)), data.draw(kernels(k))
    # correlate2d is convolve2d with the kernel rotated, and 'same' centres the
    # *convolution*: the odd pixel lands after, as in TensorFlow's "same" (unlike
    # signal.correlate above). For odd kernels the two conventions coincide.
    np.testing.assert_array_equal(
        correlate(x[None], w[None, None], Geometry(n, k, padding=mode))[0],
        signal.correlate2d(x, w, mode=mode, boundary="fill"))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@given(vectors=_vectors())
def test_against_scipy_convolution_matrix(mode, vectors):
    linalg = pytest.importorskip("scipy.linalg")
    x, w = vectors
    k = w.size
    padding = {"full": "full", "valid": "valid", "same": (_numpy_same_pads(k),)}[mode]
    g = Geometry((x.size,), (k,), padding=padding)
    columns = [convolve(e[None], w[None, None], g)[0] for e in np.eye(x.size, dtype=np.int64)]
    np.testing.assert_array_equal(np.stack(columns, axis=1),
                                  linalg.convolution_matrix(w, x.size, mode))


@given(a=st.integers(1, 6).flatmap(inputs), b=st.integers(1, 6).flatmap(kernels))
def test_full_convolve_1d_is_numpy_convolve_and_polymul(a, b):
    expected = np.convolve(a, b, "full")
    np.testing.assert_array_equal(full_convolve_1d(a, b), expected)
    product = np.polynomial.polynomial.polymul(a, b)  # trims trailing zero coefficients
    product = np.pad(product, (0, expected.size - product.size)).astype(np.int64)
    np.testing.assert_array_equal(full_convolve_1d(a, b), product)


@given(data=st.data(), ndim=st.integers(1, 2), channels=channel_configs(max_groups=1))
def test_circular_convolve_against_fft(data, ndim, channels):
    c_in, c_out, _ = channels
    n = data.draw(st.tuples(*[st.integers(1, 6)] * ndim))
    k = tuple(data.draw(st.integers(1, size)) for size in n)
    x, w = data.draw(inputs((c_in, *n))), data.draw(kernels((c_out, c_in, *k)))
    axes = tuple(range(-ndim, 0))
    spectrum = (np.fft.fftn(w, s=n, axes=axes)[:, :, ...] *
                np.fft.fftn(x, axes=axes)[None]).sum(axis=1)
    expected = np.fft.ifftn(spectrum, axes=axes).real
    np.testing.assert_allclose(circular_convolve(x, w), expected, atol=1e-9)


@given(data=st.data(), ndim=st.integers(1, 3), circular=st.booleans())
def test_shift_against_roll_and_ndimage(data, ndim, circular):
    n = data.draw(st.tuples(*[st.integers(1, 5)] * ndim))
    offset = tuple(data.draw(st.integers(-6, 6)) for _ in n)
    x = data.draw(inputs((2, *n)))
    if circular:
        expected = np.roll(x, offset, axis=tuple(range(1, ndim + 1)))
    else:
        ndimage = pytest.importorskip("scipy.ndimage")
        expected = ndimage.shift(x, (0, *offset), order=0, mode="constant", cval=0)
    np.testing.assert_array_equal(shift(x, offset, circular=circular), expected)


@given(data=st.data(), ndim=st.integers(1, 3))
def test_pad_and_decimate_against_numpy(data, ndim):
    n = data.draw(st.tuples(*[st.integers(1, 5)] * ndim))
    pads = tuple(data.draw(st.tuples(st.integers(0, 3), st.integers(0, 3))) for _ in n)
    factor = tuple(data.draw(st.integers(1, 3)) for _ in n)
    x = data.draw(inputs((2, *n)))
    np.testing.assert_array_equal(pad(x, pads), np.pad(x, ((0, 0), *pads)))
    kept = x[(slice(None), *(slice(None, None, f) for f in factor))]
    np.testing.assert_array_equal(decimate(x, factor), kept)


# ---------------------------------------------------------------------------
# PyTorch: convolution
# ---------------------------------------------------------------------------


def _torch_correlate(torch, x, w, g, groups):
    conv = getattr(torch.nn.functional, f"conv{g.ndim}d")
    padded = torch.nn.functional.pad(_t(torch, x), _torch_pads(g.pads))
    return conv(padded, _t(torch, w)[0], stride=g.stride, dilation=g.dilation,
                groups=groups)[0].numpy()


@settings(max_examples=50)
@given(data=st.data(), g=geometries(), channels=channel_configs())
def test_correlate_and_convolve_against_torch_conv(torch, data, g, channels):
    c_in, c_out, groups = channels
    x = data.draw(inputs((c_in, *g.input_shape)))
    w = data.draw(kernels((c_out, c_in // groups, *g.kernel_shape)))
    np.testing.assert_array_equal(correlate(x, w, g, groups),
                                  _torch_correlate(torch, x, w, g, groups))
    flipped = np.flip(w, axis=tuple(range(2, w.ndim)))
    np.testing.assert_array_equal(convolve(x, w, g, groups),
                                  _torch_correlate(torch, x, flipped, g, groups))


@settings(max_examples=15)
@given(data=st.data(), g=geometries(ndim=3, max_size=4, max_kernel=2, max_stride=2,
                                      max_padding=1),
       channels=channel_configs(max_groups=2, max_per_group=1))
def test_correlate_3d_against_torch_conv3d(torch, data, g, channels):
    c_in, c_out, groups = channels
    x = data.draw(inputs((c_in, *g.input_shape)))
    w = data.draw(kernels((c_out, c_in // groups, *g.kernel_shape)))
    np.testing.assert_array_equal(correlate(x, w, g, groups),
                                  _torch_correlate(torch, x, w, g, groups))


@settings(max_examples=50)
@given(data=st.data(), t=transposed_geometries(), channels=channel_configs())
def test_conv_transpose_against_torch(torch, data, t, channels):
    c_in, c_out, groups = channels
    x = data.draw(inputs((c_in, *t.input_shape)))
    w = data.draw(kernels((c_in, c_out // groups, *t.kernel_shape)))
    conv_t = getattr(torch.nn.functional, f"conv_transpose{t.ndim}d")
    expected = conv_t(_t(torch, x), _t(torch, w)[0], stride=t.stride, padding=t.padding,
                      output_padding=t.output_padding, groups=groups, dilation=t.dilation)
    np.testing.assert_array_equal(conv_transpose(x, w, t, groups), expected[0].numpy())


def _by_offsets(call, *args):
    """``call(*args)`` with the oracle's loop over kernel offsets (no gather)."""
    from symconv.numeric import convolution

    saved, convolution.GATHER_VALUES = convolution.GATHER_VALUES, 0
    try:
        return call(*args)
    finally:
        convolution.GATHER_VALUES = saved


@settings(max_examples=60)
@given(data=st.data(), g=geometries(), t=transposed_geometries(), channels=channel_configs())
def test_gathered_oracle_equals_its_loop_over_offsets(data, g, t, channels):
    """Small layers gather every offset at once, large ones loop over offsets (the
    torch tests above check the gather): both give the same exact integers."""
    c_in, c_out, groups = channels
    x = data.draw(inputs((c_in, *g.input_shape)))
    w = data.draw(kernels((c_out, c_in // groups, *g.kernel_shape)))
    for call in (correlate, convolve):
        np.testing.assert_array_equal(call(x, w, g, groups), _by_offsets(call, x, w, g, groups))
    y = data.draw(inputs((c_in, *t.input_shape)))
    v = data.draw(kernels((c_in, c_out // groups, *t.kernel_shape)))
    np.testing.assert_array_equal(conv_transpose(y, v, t, groups),
                                  _by_offsets(conv_transpose, y, v, t, groups))


@given(data=st.data(), ndim=st.integers(1, 2))
def test_zero_insert_is_torch_unit_kernel_transposed_conv(torch, data, ndim):
    n = data.draw(st.tuples(*[st.integers(1, 5)] * ndim))
    factor = tuple(data.draw(st.integers(1, 3)) for _ in n)
    x = data.draw(inputs((2, *n)))
    conv_t = getattr(torch.nn.functional, f"conv_transpose{ndim}d")
    unit = torch.ones((2, 1) + (1,) * ndim, dtype=torch.float64)
    expected = conv_t(_t(torch, x), unit, stride=factor, groups=2)[0].numpy()
    np.testing.assert_array_equal(zero_insert(x, factor), expected)


# ---------------------------------------------------------------------------
# PyTorch: pooling
# ---------------------------------------------------------------------------


@settings(max_examples=50)
@given(data=st.data(), g=pool_geometries(), count_include_pad=st.booleans())
def test_avg_pool_against_torch(torch, data, g, count_include_pad):
    x = data.draw(inputs((2, *g.input_shape)))
    pool = getattr(torch.nn.functional, f"avg_pool{g.ndim}d")
    expected = pool(_t(torch, x), g.kernel_shape, g.stride, g.padding, ceil_mode=g.ceil_mode,
                    count_include_pad=count_include_pad)[0].numpy()
    np.testing.assert_allclose(avg_pool(x, g, count_include_pad), expected, rtol=1e-12)


@settings(max_examples=60)
@given(data=st.data(), g=pool_geometries(max_dilation=2))
def test_max_pool_values_and_indices_against_torch(torch, data, g):
    x = data.draw(inputs((2, *g.input_shape), elements=st.integers(-2, 2)))  # many ties
    pool = getattr(torch.nn.functional, f"max_pool{g.ndim}d")
    values, indices = pool(_t(torch, x), g.kernel_shape, g.stride, g.padding, g.dilation,
                           ceil_mode=g.ceil_mode, return_indices=True)
    ours, our_indices = max_pool(x, g, return_indices=True)
    np.testing.assert_array_equal(ours, values[0].numpy())
    np.testing.assert_array_equal(our_indices, indices[0].numpy())
    np.testing.assert_array_equal(max_pool(x, g), ours)


def test_max_pool_empty_dilated_window_matches_torch(torch):
    g = PoolGeometry((2,), (2,), stride=1, padding=1, dilation=3)
    values, indices = torch.nn.functional.max_pool1d(
        _t(torch, [[0.0, 1.0]]), 2, 1, 1, 3, return_indices=True)
    ours, our_indices = max_pool(np.array([[0.0, 1.0]]), g, return_indices=True)
    assert ours[0, 0] == values.item() == -np.inf
    assert our_indices[0, 0] == indices.item() == 2


@settings(max_examples=50)
@given(data=st.data(), g=pool_geometries(max_dilation=2))
def test_max_unpool_against_torch(torch, data, g):
    x = data.draw(inputs((2, *g.input_shape)))
    values, indices = max_pool(x, g, return_indices=True)
    assume(indices.max() < np.prod(g.input_shape))  # an empty window has no valid index
    shape_2d = (1,) * (2 - g.ndim) + g.input_shape
    expected = torch.ops.aten.max_unpool2d(
        _t(torch, values).reshape(1, 2, *(1,) * (2 - g.ndim), *values.shape[1:]),
        torch.from_numpy(indices).reshape(1, 2, *(1,) * (2 - g.ndim), *values.shape[1:]),
        list(shape_2d))
    np.testing.assert_array_equal(max_unpool(values, indices, g.input_shape),
                                  expected.reshape(2, *g.input_shape).numpy())


# ---------------------------------------------------------------------------
# Exact dtypes
# ---------------------------------------------------------------------------


@given(g=geometries(ndim=1, max_size=5, max_kernel=3))
def test_symbolic_correlate_substitutes_to_integer_correlate(g):
    xs = sympy.symbols(f"x0:{g.input_shape[0]}")
    ks = sympy.symbols(f"k0:{g.kernel_shape[0]}")
    symbolic = correlate(np.array([xs], dtype=object), np.array([[ks]], dtype=object), g)
    x, w = np.arange(1, len(xs) + 1), np.arange(2, len(ks) + 2)
    values = dict(zip(xs + ks, [*x.tolist(), *w.tolist()]))
    substituted = np.array([[sympy.sympify(e).subs(values) for e in symbolic[0]]], dtype=np.int64)
    np.testing.assert_array_equal(substituted, correlate(x[None], w[None, None], g))


def test_object_avg_pool_is_exact():
    g = PoolGeometry((3,), (2,), padding=1)
    ours = avg_pool(np.array([[1, 2, 4]], dtype=object), g, count_include_pad=True)
    assert list(ours[0]) == [sympy.Rational(1, 2), sympy.Integer(3)]


# ---------------------------------------------------------------------------
# Bad arguments: one table for every oracle function
# ---------------------------------------------------------------------------

G1 = Geometry((4,), (2,))
T1 = TransposedGeometry((3,), (2,), stride=2)
P1 = PoolGeometry((4,), (2,))
X1 = np.zeros((2, 4), dtype=np.int64)
W1 = np.zeros((2, 2, 2), dtype=np.int64)

BAD_ARGUMENTS = [
    ("correlate", lambda: correlate(X1, W1, "not a geometry"), OperatorError,
     "geometry must be a Geometry"),
    ("correlate", lambda: correlate(X1[0], W1, G1), OperatorError, "x.ndim must be 2"),
    ("correlate", lambda: correlate(X1, W1[0], G1), OperatorError, "w.ndim must be 3"),
    ("correlate", lambda: correlate(np.zeros((2, 5)), W1, G1), GeometryError,
     "x.shape must end with the spatial shape (4,)"),
    ("correlate", lambda: correlate(X1, np.zeros((2, 2, 3)), G1), GeometryError,
     "w.shape must end with the spatial shape (2,)"),
    ("correlate", lambda: correlate(X1, W1, G1, groups=0), OperatorError,
     "groups must be a positive integer, got 0"),
    ("correlate", lambda: correlate(np.zeros((3, 4)), np.zeros((3, 1, 2)), G1, groups=2),
     OperatorError, "in_channels) must be divisible by groups=2, got 3"),
    ("correlate", lambda: correlate(X1, np.zeros((3, 1, 2)), G1, groups=2), OperatorError,
     "out_channels) must be divisible by groups=2, got 3"),
    ("correlate", lambda: correlate(X1, W1, G1, groups=2), OperatorError,
     "w.shape[1] must be in_channels / groups = 2 / 2"),
    ("convolve", lambda: convolve(X1, W1, T1), OperatorError, "geometry must be a Geometry"),
    ("convolve", lambda: convolve(X1, np.zeros((2, 1, 2)), G1), OperatorError,
     "w.shape[1] must be in_channels / groups"),
    ("conv_transpose", lambda: conv_transpose(np.zeros((2, 3)), W1, G1), OperatorError,
     "geometry must be a TransposedGeometry"),
    ("conv_transpose", lambda: conv_transpose(np.zeros((2, 3)), np.zeros((3, 1, 2)), T1),
     OperatorError, "w.shape[0] must equal in_channels = 2"),
    ("conv_transpose", lambda: conv_transpose(np.zeros((3, 3)), np.zeros((3, 1, 2)), T1,
                                              groups=2),
     OperatorError, "must be divisible by groups=2, got 3"),
    ("conv_transpose", lambda: conv_transpose(np.zeros((2, 4)), W1, T1), GeometryError,
     "x.shape must end with the spatial shape (3,)"),
    ("avg_pool", lambda: avg_pool(X1, G1), OperatorError, "geometry must be a PoolGeometry"),
    ("avg_pool", lambda: avg_pool(X1, PoolGeometry((4,), (2,), dilation=2)), GeometryError,
     "PyTorch average pooling has no dilation"),
    ("avg_pool", lambda: avg_pool(np.zeros((2, 5)), P1), GeometryError,
     "x.shape must end with the spatial shape (4,)"),
    ("max_pool", lambda: max_pool(np.zeros(4), P1), OperatorError, "x.ndim must be 2"),
    ("max_pool", lambda: max_pool(X1, P1, return_indices="yes"), OperatorError,
     "return_indices must be True or False, got 'yes'"),
    ("avg_pool", lambda: avg_pool(X1, P1, count_include_pad="no"), OperatorError,
     "count_include_pad must be True or False, got 'no'"),
    ("shift", lambda: shift(X1, (1,), circular=1), OperatorError,
     "circular must be True or False, got 1"),
    ("max_unpool", lambda: max_unpool(np.zeros((1, 2)), np.array([[0, 4]]), (4,)),
     OperatorError, "indices must be flat positions inside input_shape (4,), got 4"),
    ("max_unpool", lambda: max_unpool(np.zeros((1, 2)), np.array([[0, 1, 2]]), (4,)),
     OperatorError, "indices.shape must equal values.shape"),
    ("max_unpool", lambda: max_unpool(np.zeros((1, 2)), np.array([[0.0, 1.0]]), (4,)),
     OperatorError, "indices.dtype must be an integer type"),
    ("max_unpool", lambda: max_unpool(np.zeros((1, 2)), np.array([[0, 1]]), (2, 2)),
     OperatorError, "input_shape must give 1 spatial sizes"),
    ("shift", lambda: shift(X1, (1, 1)), OperatorError,
     "offset must be a tuple of 1 integers"),
    ("shift", lambda: shift(X1, (0.5,)), OperatorError, "offset must be a tuple of 1 integers"),
    ("zero_insert", lambda: zero_insert(X1, 0), OperatorError,
     "factor must be a positive integer, got 0"),
    ("zero_insert", lambda: zero_insert(X1, (2, 2)), OperatorError,
     "factor must give one value per spatial axis (1)"),
    ("decimate", lambda: decimate(X1, (0,)), OperatorError,
     "factor[0] must be a positive integer, got 0"),
    ("pad", lambda: pad(X1, [(1, -1)]), OperatorError, "pads[0] must be non-negative integers"),
    ("pad", lambda: pad(X1, [1, 1]), OperatorError, "pads must be 1 (before, after) pairs"),
    ("circular_convolve", lambda: circular_convolve(X1, np.zeros((1, 2, 5))), GeometryError,
     "must have a kernel no larger than the input (4,)"),
    ("circular_convolve", lambda: circular_convolve(X1, np.zeros((1, 3, 2))), OperatorError,
     "w.shape[1] must equal in_channels = 2"),
    ("circular_convolve", lambda: circular_convolve(np.zeros(4), W1), OperatorError,
     "x.ndim must be at least 2"),
    ("full_convolve_1d", lambda: full_convolve_1d(np.zeros((2, 2)), np.ones(2)), OperatorError,
     "a.shape must be a non-empty vector"),
    ("full_convolve_1d", lambda: full_convolve_1d(np.ones(2), np.ones(0)), OperatorError,
     "b.shape must be a non-empty vector"),
    ("explicit_pads", lambda: explicit_pads("sane", (4,), (2,)), GeometryError,
     "padding must be an integer or a known name, got 'sane'"),
    ("explicit_pads", lambda: explicit_pads((1, 2), (4,), (2,)), GeometryError,
     "padding must give one entry per spatial axis (1)"),
    ("explicit_pads", lambda: explicit_pads(((1, -1),), (4,), (2,)), GeometryError,
     "padding[0] must be a non-negative integer or a (before, after) pair"),
    ("explicit_pads", lambda: explicit_pads(True, (4,), (2,)), GeometryError,
     "padding must be a non-negative integer"),
    ("output_shape", lambda: output_shape((4,)), OperatorError,
     "geometry must be a Geometry, TransposedGeometry or PoolGeometry"),
]


@pytest.mark.parametrize(("call", "error", "fragment"),
                         [pytest.param(call, error, fragment, id=f"{name}-{i}")
                          for i, (name, call, error, fragment) in enumerate(BAD_ARGUMENTS)])
def test_bad_arguments_are_rejected_with_a_message(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, SymconvError)
    assert fragment in str(info.value)


def test_every_oracle_function_has_bad_argument_rows():
    from symconv import numeric
    assert {name for name, *_ in BAD_ARGUMENTS} == set(numeric.__all__)


# ---------------------------------------------------------------------------
# Geometry validation agrees with PyTorch, accept and reject branches
# ---------------------------------------------------------------------------


def _torch_size(function, *args, **kwargs):
    """Output length, or None when PyTorch rejects the layer."""
    try:
        return function(*args, **kwargs).shape[-1]
    except RuntimeError:
        return None


def _our_size(spec, *args, **kwargs):
    """Output length, or None when the symconv spec rejects the layer."""
    try:
        return spec(*args, **kwargs).output_shape[0]
    except SymconvError:
        return None


def test_correlation_geometry_accepts_what_torch_conv1d_accepts(torch):
    disagreements, rejected = [], 0
    for n, k, s, p, d in itertools.product(range(1, 6), range(1, 5), range(1, 4), range(3),
                                           range(1, 3)):
        x, w = torch.ones(1, 1, n, dtype=torch.float64), torch.ones(1, 1, k, dtype=torch.float64)
        theirs = _torch_size(torch.nn.functional.conv1d, x, w, None, s, p, d)
        ours = _our_size(Geometry, (n,), (k,), stride=s, padding=p, dilation=d)
        rejected += theirs is None
        if theirs != ours:
            disagreements.append(dict(n=n, k=k, s=s, p=p, d=d, torch=theirs, ours=ours))
    assert rejected > 0
    assert disagreements == []


def test_transposed_geometry_accepts_what_torch_accepts(torch):
    disagreements, rejected = [], 0
    for n, k, s, p, op, d in itertools.product(range(1, 5), range(1, 4), range(1, 4), range(4),
                                               range(4), range(1, 3)):
        x, w = torch.ones(1, 1, n, dtype=torch.float64), torch.ones(1, 1, k, dtype=torch.float64)
        theirs = _torch_size(torch.nn.functional.conv_transpose1d, x, w, stride=s, padding=p,
                             output_padding=op, dilation=d)
        ours = _our_size(TransposedGeometry, (n,), (k,), stride=s, padding=p,
                         output_padding=op, dilation=d)
        rejected += theirs is None
        if theirs != ours:
            disagreements.append(dict(n=n, k=k, s=s, p=p, op=op, d=d, torch=theirs, ours=ours))
    assert rejected > 0
    assert disagreements == []


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_geometry_accepts_what_torch_accepts(torch, kind):
    functional = torch.nn.functional
    disagreements, rejected = [], 0
    for n, k, s, p, d, ceil in itertools.product(range(1, 7), range(1, 5), range(1, 4),
                                                 range(4), range(1, 3), (False, True)):
        if kind == "avg" and d > 1:
            continue  # PyTorch average pooling has no dilation
        x = torch.ones(1, 1, n, dtype=torch.float64)
        if kind == "max":
            theirs = _torch_size(functional.max_pool1d, x, k, s, p, d, ceil_mode=ceil)
        else:
            theirs = _torch_size(functional.avg_pool1d, x, k, s, p, ceil_mode=ceil)
        ours = _our_size(PoolGeometry, (n,), (k,), stride=s, padding=p, dilation=d,
                         ceil_mode=ceil)
        rejected += theirs is None
        if theirs != ours:
            disagreements.append(dict(n=n, k=k, s=s, p=p, d=d, ceil=ceil, torch=theirs,
                                      ours=ours))
    assert rejected > 0
    assert disagreements == []


@pytest.mark.parametrize(("n", "k", "s", "p", "d"), [
    (2, 3, 2, 0, 1),
    (1, 4, 2, 1, 1),
    (3, 3, 3, 0, 2),
])
def test_overhanging_ceil_mode_window_is_kept_like_torch(torch, n, k, s, p, d):
    """With ceil_mode PyTorch keeps one window longer than the padded input.

    (PoolGeometry rejected these until commit 026879a; the grid above covers them too.)
    """
    x = np.arange(1.0, n + 1.0)[None]
    values, indices = torch.nn.functional.max_pool1d(_t(torch, x), k, s, p, d, ceil_mode=True,
                                                     return_indices=True)
    g = PoolGeometry((n,), (k,), stride=s, padding=p, dilation=d, ceil_mode=True)
    assert g.output_shape == (values.shape[-1],) == (1,)
    ours, our_indices = max_pool(x, g, return_indices=True)
    np.testing.assert_array_equal(ours, values[0].numpy())
    np.testing.assert_array_equal(our_indices, indices[0].numpy())
    if d == 1:
        for include in (True, False):
            expected = torch.nn.functional.avg_pool1d(_t(torch, x), k, s, p, ceil_mode=True,
                                                      count_include_pad=include)
            np.testing.assert_allclose(avg_pool(x, g, include), expected[0].numpy())


# ---------------------------------------------------------------------------
# The oracle's own shape arithmetic agrees with geometry's, and catches it
# ---------------------------------------------------------------------------

PADDINGS = [0, 1, 2, (1, 2), "valid", "same", "SAME", "same_lower", "full"]


def _geometry_or_none(*args, **kwargs):
    try:
        return Geometry(*args, **kwargs)
    except GeometryError:
        return None


def test_oracle_pads_and_sizes_agree_with_geometry_on_a_grid():
    checked, disagreements = 0, []
    for n, k, s, d, padding in itertools.product(range(1, 9), range(1, 5), range(1, 5),
                                                 range(1, 4), PADDINGS):
        padding = ((padding,) if isinstance(padding, tuple) else padding)
        g = _geometry_or_none((n,), (k,), stride=s, padding=padding, dilation=d)
        if g is None:
            continue
        checked += 1
        ours = explicit_pads(padding, (n,), (k,), (s,), (d,)), output_shape(g)
        if ours != (g.pads, g.output_shape):
            disagreements.append(dict(n=n, k=k, s=s, d=d, padding=padding, ours=ours,
                                      geometry=(g.pads, g.output_shape)))
    assert checked > 2000
    assert disagreements == []


def test_oracle_transposed_and_pool_sizes_agree_with_geometry_on_a_grid():
    disagreements = []
    for n, k, s, p, op, d in itertools.product(range(1, 6), range(1, 4), range(1, 4), range(3),
                                               range(3), range(1, 3)):
        try:
            t = TransposedGeometry((n,), (k,), stride=s, padding=p, output_padding=op,
                                   dilation=d)
        except GeometryError:
            continue
        if output_shape(t) != t.output_shape:
            disagreements.append(("transposed", n, k, s, p, op, d))
    for n, k, s, p, d, ceil in itertools.product(range(1, 8), range(1, 5), range(1, 4),
                                                 range(3), range(1, 3), (False, True)):
        try:
            g = PoolGeometry((n,), (k,), stride=s, padding=p, dilation=d, ceil_mode=ceil)
        except GeometryError:
            continue
        if output_shape(g) != g.output_shape:
            disagreements.append(("pool", n, k, s, p, d, ceil))
    assert disagreements == []


def test_a_wrong_same_pads_in_geometry_is_caught_by_the_oracle(monkeypatch):
    """Plant ONNX's SAME_LOWER split as TensorFlow's SAME: the operator follows it, the
    oracle does not, and the numeric cross-check fails."""
    from symconv import operators
    from symconv.geometry import arguments as geometry
    from symconv.theorems.common import numeric_agrees

    g = Geometry((6,), (4,), stride=1, padding="same")
    op = operators.correlation(g)
    assert numeric_agrees(op, lambda x, w: correlate(x, w, g))

    def lower_split(n, k, s=1, d=1, lower=False):
        out = -(-n // s)
        total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
        return (total - total // 2, total // 2)

    monkeypatch.setattr(geometry, "same_pads", lower_split)
    wrong = Geometry((6,), (4,), stride=1, padding="same")
    assert wrong.pads == ((2, 1),)
    assert explicit_pads("same", (6,), (4,)) == ((1, 2),)
    assert not numeric_agrees(operators.correlation(wrong),
                              lambda x, w: correlate(x, w, wrong))


def test_a_wrong_output_size_formula_is_caught_by_the_oracle(monkeypatch):
    """Drop the ``- 1`` from geometry's correlation size: one window too many at n=6, k=3,
    s=2; the oracle counts its windows by sliding and disagrees."""
    from symconv import operators
    from symconv.geometry import convolution as geometry
    from symconv.theorems.common import numeric_agrees

    monkeypatch.setattr(geometry, "conv_output_size",
                        lambda n, k, s=1, pad_before=0, pad_after=0, d=1:
                        (n + pad_before + pad_after - d * (k - 1)) // s + 1)
    g = Geometry((6,), (3,), stride=2)
    assert (g.output_shape, output_shape(g)) == ((3,), (2,))
    assert not numeric_agrees(operators.correlation(g), lambda x, w: correlate(x, w, g))
