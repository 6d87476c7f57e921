"""symconv's operators against TensorFlow 2.21 and Keras 3 themselves (CPU, float64).

Each test draws a few dozen geometries and values, applies symconv's explicit
matrix (``op.numeric(w) @ x``) and the framework's op to the same random input,
and compares: outputs to ``1e-9`` relative/absolute (float64 on both sides), shapes
exactly. Where the framework refuses a geometry, symconv must refuse it too, with
a named error. The module skips when TensorFlow is not installed.

TensorFlow with oneDNN can crash (SIGFPE) on an empty VALID max pool right after a
SAME pool of the same shapes: oneDNN is switched off before TensorFlow is imported.
TensorFlow's CPU kernels have no dilated transposed convolution, so those draws
keep dilation 1.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import symconv as sc  # noqa: E402
from symconv.errors import GeometryError  # noqa: E402
from symconv.geometry import tf_transposed_output_range  # noqa: E402

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

LIVE = settings(max_examples=25, deadline=None)
TOL = dict(rtol=1e-9, atol=1e-9)


def _random(seed, shape):
    return np.random.default_rng(seed).normal(size=shape)


def _channels_last(x):
    """symconv's (C, *spatial) as a batch of one in TensorFlow's (1, *spatial, C), float64."""
    return tf.constant(np.moveaxis(x, 0, -1)[None], dtype=tf.float64)


def _channels_first(y):
    return np.moveaxis(np.asarray(y)[0], -1, 0)


def _apply(op, w, x):
    return (op.numeric(w) @ x.reshape(-1)).reshape(op.output_shape)


@st.composite
def _axes(draw, max_size=7, max_kernel=4, max_stride=3, max_dilation=3):
    ndim = draw(st.integers(1, 2))
    n = tuple(draw(st.integers(1, max_size)) for _ in range(ndim))
    k = tuple(draw(st.integers(1, max_kernel)) for _ in range(ndim))
    s = draw(st.integers(1, max_stride))
    d = draw(st.integers(1, max_dilation))
    return n, k, s, d


_PADDINGS = st.one_of(st.sampled_from(["same", "valid"]),
                      st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2,
                               max_size=2))


def _tf_padding(padding, ndim):
    """TensorFlow's spelling and symconv's of a drawn padding (explicit pads: 2-D spelling)."""
    if isinstance(padding, str):
        return padding.upper(), padding
    pairs = tuple(padding[:ndim])
    return [[0, 0], *([[0, 0]] if ndim == 1 else []), *map(list, pairs), [0, 0]], pairs


def _tf_conv(x, filters, padding, s, d):
    """``tf.nn.conv1d``/``conv2d``; 1-D explicit pads as ``conv2d`` on a height-1 input.

    ``tf.nn.conv1d`` takes only SAME/VALID; it is itself ``conv2d`` with a unit axis.
    """
    if x.ndim == 4:
        return tf.nn.conv2d(x, filters, strides=s, padding=padding, dilations=d).numpy()
    if isinstance(padding, str):
        return tf.nn.conv1d(x, filters, stride=s, padding=padding, dilations=d).numpy()
    return tf.nn.conv2d(x[:, None], filters[None], strides=s, padding=padding,
                        dilations=d).numpy()[:, 0]


def _tf_conv_transpose(x, filters, out, padding, s):
    """``tf.nn.conv2d_transpose``/``conv1d_transpose``; 1-D explicit pads as in ``_tf_conv``."""
    if x.ndim == 4:
        return tf.nn.conv2d_transpose(x, filters, out, s, padding).numpy()
    if isinstance(padding, str):
        return tf.nn.conv1d_transpose(x, filters, out, s, padding).numpy()
    return tf.nn.conv2d_transpose(x[:, None], filters[None], (out[0], 1, *out[1:]), s,
                                  padding).numpy()[:, 0]


# ---------------------------------------------------------------------------
# tf.nn.conv1d / conv2d: SAME, VALID, explicit pads, strides, dilations
# ---------------------------------------------------------------------------

@LIVE
@given(_axes(), _PADDINGS, st.integers(1, 2), st.integers(1, 2), st.integers(0, 2**16))
def test_correlation_is_tf_nn_convolution(axes, padding, cin, cout, seed):
    n, k, s, d = axes
    tf_padding, padding = _tf_padding(padding, len(n))
    x, w = _random(seed, (cin, *n)), _random(seed + 1, (cout, cin, *k))
    filters = np.moveaxis(w, (0, 1), (-1, -2))
    try:
        want = _tf_conv(_channels_last(x), filters, tf_padding, s, d)
    except tf.errors.InvalidArgumentError:  # "Computed output size would be negative"
        want = np.zeros(0)
    if want.size == 0:
        with pytest.raises(GeometryError, match="must fit the padded input"):
            sc.Geometry(n, k, s, padding, d)
        return
    g = sc.Geometry(n, k, s, padding, d)
    assert g.output_shape == want.shape[1:-1]
    op = sc.correlation(g, in_channels=cin, out_channels=cout)
    np.testing.assert_allclose(_apply(op, w, x), _channels_first(want), **TOL)


# ---------------------------------------------------------------------------
# tf.nn.conv_transpose and keras ConvNDTranspose: convention="tensorflow" / "keras"
# ---------------------------------------------------------------------------

def _tf_weights(w):
    """symconv's transposed layout (in, out, *k) as TensorFlow's filters (*k, out, in)."""
    return np.moveaxis(w, (0, 1), (-1, -2))


@LIVE
@given(_axes(max_size=4, max_dilation=1), _PADDINGS, st.integers(1, 2), st.integers(1, 2),
       st.integers(0, 3), st.integers(0, 2**16))
def test_tensorflow_transposed_convolution_is_tf_nn_conv_transpose(axes, padding, cin, cout,
                                                                   pick, seed):
    n, k, s, _ = axes
    tf_padding, padding = _tf_padding(padding, len(n))
    ranges = [tf_transposed_output_range(a, b, s, 1, padding if isinstance(padding, str)
                                         else padding[i])
              for i, (a, b) in enumerate(zip(n, k))]
    if any(high < 1 for _, high in ranges):  # pads so large that no output size maps back
        with pytest.raises(GeometryError, match="does not map back"):
            sc.transposed_convolution(n, k, s, padding, convention="tensorflow",
                                      output_shape=(1,) * len(n))
        return
    out = tuple(max(low, 1) + pick % (high - max(low, 1) + 1) for low, high in ranges)
    x, w = _random(seed, (cin, *n)), _random(seed + 1, (cin, cout, *k))
    want = _tf_conv_transpose(_channels_last(x), _tf_weights(w), (1, *out, cout), tf_padding, s)
    op = sc.transposed_convolution(n, k, s, padding, in_channels=cin, out_channels=cout,
                                   convention="tensorflow", output_shape=out)
    assert op.output_shape == (cout, *want.shape[1:-1])
    np.testing.assert_allclose(_apply(op, w, x), _channels_first(want), **TOL)


@LIVE
@given(_axes(max_size=4, max_dilation=1), st.sampled_from(["same", "valid"]),
       st.integers(0, 2), st.integers(0, 2**16))
def test_an_output_shape_tensorflow_refuses_is_refused_with_the_valid_range(axes, padding,
                                                                            side, seed):
    n, k, s, _ = axes
    low, high = tf_transposed_output_range(n[0], k[0], s, 1, padding)
    bad = (high + 1 + side, *[
        tf_transposed_output_range(a, b, s, 1, padding)[1] for a, b in zip(n[1:], k[1:])])
    x, w = _random(seed, (1, *n)), _random(seed + 1, (1, 1, *k))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.nn.conv_transpose(_channels_last(x), _tf_weights(w), (1, *bad, 1), s,
                             padding.upper())
    with pytest.raises(GeometryError, match=rf"output_shape\[0\].* \(valid: output sizes "
                                            rf"{max(low, 1)} to {high}\)"):
        sc.transposed_convolution(n, k, s, padding, convention="tensorflow", output_shape=bad)


def _keras_layer(ndim, cout, k, s, padding, output_padding, w):
    layer = (keras.layers.Conv1DTranspose, keras.layers.Conv2DTranspose)[ndim - 1](
        cout, k, strides=s, padding=padding, output_padding=output_padding, use_bias=False,
        dtype="float64")
    layer.build((1, *([None] * ndim), w.shape[0]))
    layer.kernel.assign(_tf_weights(w))
    return layer


@settings(max_examples=20, deadline=None)
@given(_axes(max_size=4, max_dilation=1), st.sampled_from(["same", "valid"]),
       st.one_of(st.none(), st.integers(0, 2)), st.integers(1, 2), st.integers(0, 2**16))
def test_keras_transposed_convolution_is_keras_conv_transpose(axes, padding, output_padding,
                                                              cout, seed):
    n, k, s, _ = axes
    if output_padding is not None:
        output_padding = min(output_padding, s - 1)
    x, w = _random(seed, (1, *n)), _random(seed + 1, (1, cout, *k))
    layer = _keras_layer(len(n), cout, k, s, padding, output_padding, w)
    try:
        want = layer(_channels_last(x)).numpy()
    except tf.errors.InvalidArgumentError:
        with pytest.raises(GeometryError, match="does not map back to input size"):
            sc.transposed_convolution(n, k, s, padding, output_padding, out_channels=cout,
                                      convention="keras")
        return
    op = sc.transposed_convolution(n, k, s, padding, output_padding, out_channels=cout,
                                   convention="keras")
    assert op.output_shape == (cout, *want.shape[1:-1])
    np.testing.assert_allclose(_apply(op, w, x), _channels_first(want), **TOL)


def test_keras_output_padding_must_be_below_the_stride_in_both():
    with pytest.raises(ValueError, match="strictly less than"):
        keras.layers.Conv1DTranspose(1, 3, strides=2, output_padding=2).build((1, 4, 1))
    with pytest.raises(GeometryError, match=r"output_padding\[0\] must be smaller than the "
                                            r"stride 2 \(Keras\), got 2 \(valid: 0 to 1"):
        sc.transposed_convolution((4,), (3,), 2, "same", 2, convention="keras")


def test_keras_same_with_an_even_kernel_and_output_padding_0_is_refused_by_both():
    x, w = _random(0, (1, 3)), _random(1, (1, 1, 2))
    with pytest.raises(tf.errors.InvalidArgumentError):
        _keras_layer(1, 1, (2,), 2, "same", 0, w)(_channels_last(x))
    with pytest.raises(GeometryError, match=r"output size 4, which the forward 'same' layer "
                                            r"does not map back to input size 3"):
        sc.transposed_convolution((3,), (2,), 2, "same", 0, convention="keras")


# ---------------------------------------------------------------------------
# tf.nn.max_pool / avg_pool (SAME excludes padding from the divisor) and tf.nn.pool dilation
# ---------------------------------------------------------------------------

def _pool_axes():
    return _axes(max_size=7, max_kernel=3, max_stride=3, max_dilation=1)


@LIVE
@given(_pool_axes(), st.sampled_from(["same", "valid"]), st.integers(1, 2),
       st.integers(0, 2**16))
def test_pooling_is_tf_nn_max_pool_and_avg_pool(axes, padding, channels, seed):
    n, k, s, _ = axes
    x = _random(seed, (channels, *n))
    tf_x = _channels_last(x)
    try:
        want_max = tf.nn.max_pool(tf_x, k, s, padding.upper()).numpy()
        want_avg = tf.nn.avg_pool(tf_x, k, s, padding.upper()).numpy()
    except tf.errors.InvalidArgumentError:  # "Computed output size would be negative"
        want_max = np.zeros(0)
    if want_max.size == 0:
        with pytest.raises(GeometryError, match="leaves no pooling window"):
            sc.PoolGeometry(n, k, s, padding)
        return
    g = sc.PoolGeometry(n, k, s, padding)
    assert g.output_shape == want_max.shape[1:-1]
    mp = sc.max_pool(g, channels=channels)
    np.testing.assert_allclose(mp.numeric(x), _channels_first(want_max), **TOL)
    avg = sc.avg_pool(g, count_include_pad=False, channels=channels)
    np.testing.assert_allclose(_apply(avg, None, x), _channels_first(want_avg), **TOL)


def test_tf_same_average_excludes_the_padding_where_pytorchs_default_counts_it():
    x = np.array([[1.0, 2.0, 3.0]])
    want = tf.nn.avg_pool(_channels_last(x), 2, 2, "SAME").numpy()
    assert _channels_first(want).tolist() == [[1.5, 3.0]]
    g = sc.PoolGeometry((3,), (2,), 2, "same")
    assert _apply(sc.avg_pool(g, count_include_pad=False), None, x).tolist() == [[1.5, 3.0]]
    assert _apply(sc.avg_pool(g), None, x).tolist() == [[1.5, 1.5]]


@LIVE
@given(_axes(max_size=8, max_kernel=3, max_stride=2, max_dilation=3), st.integers(0, 2**16))
def test_dilated_average_pooling_is_tf_nn_pool(axes, seed):
    n, k, s, d = axes
    s = 1 if d > 1 else min(s, *k)  # tf.nn.pool: dilation only at stride 1, stride <= window
    x = _random(seed, (1, *n))
    for kind, build in (("AVG", sc.avg_pool), ("MAX", sc.max_pool)):
        try:
            want = tf.nn.pool(_channels_last(x), k, kind, strides=[s] * len(n),
                              padding="VALID", dilations=[d] * len(n)).numpy()
        except tf.errors.InvalidArgumentError:
            want = np.zeros(0)
        if want.size == 0:
            with pytest.raises(GeometryError, match="leaves no pooling window"):
                sc.PoolGeometry(n, k, s, "valid", d)
            continue
        op = build(sc.PoolGeometry(n, k, s, "valid", d))
        got = op.numeric(x) if kind == "MAX" else _apply(op, None, x)
        np.testing.assert_allclose(got, _channels_first(want), **TOL)


# ---------------------------------------------------------------------------
# check-formula's Keras transposed sizes: the truth tables against the layer's output shape
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("quantity, padding", [("transposed_output_size", "valid"),
                                               ("transposed_same_output_size", "same")])
def test_the_keras_transposed_size_truths_are_keras_output_shapes(quantity, padding):
    from symconv.formula import truth_table

    for convention in ("keras", "tensorflow"):
        columns, truth, _ = truth_table(quantity, convention)
        layers = np.flatnonzero((columns["s"] == 1) | (columns["d"] == 1))  # what Keras builds
        for i in np.random.default_rng(0).choice(layers, 20, replace=False):
            n, k, s, d = (int(columns[v][i]) for v in ("n", "k", "s", "d"))
            layer = keras.layers.Conv1DTranspose(1, k, strides=s, padding=padding,
                                                 dilation_rate=d)
            assert layer.compute_output_shape((1, n, 1))[1] == truth[i], (n, k, s, d)


# ---------------------------------------------------------------------------
# keras Conv1D(padding="causal"): d(k-1) zeros before, none after
# ---------------------------------------------------------------------------

@LIVE
@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3),
       st.integers(1, 2), st.integers(0, 2**16))
def test_causal_padding_is_keras_causal_conv1d(n, k, s, d, cout, seed):
    if s > 1 and d > 1:  # Keras refuses strides > 1 with dilation_rate > 1
        d = 1
    x, w = _random(seed, (1, n)), _random(seed + 1, (cout, 1, k))
    layer = keras.layers.Conv1D(cout, k, strides=s, padding="causal", dilation_rate=d,
                                use_bias=False, dtype="float64")
    layer.build((1, n, 1))
    layer.kernel.assign(np.moveaxis(w, (0, 1), (-1, -2)))
    want = _channels_first(layer(_channels_last(x)).numpy())
    g = sc.Geometry((n,), (k,), s, "causal", d)
    assert g.pads == ((d * (k - 1), 0),) and g.output_shape == want.shape[1:]
    op = sc.correlation(g, out_channels=cout)
    np.testing.assert_allclose(_apply(op, w, x), want, **TOL)
