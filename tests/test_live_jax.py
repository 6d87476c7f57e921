"""symconv's operators against JAX itself (``jax.lax``, CPU, float64).

Each test draws a few dozen geometries and values, applies symconv's explicit
matrix to a random input and compares with JAX's output to ``1e-9``
(relative/absolute, float64 on both sides), and the shapes exactly. The module
skips when JAX is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.errors import GeometryError

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
lax = jax.lax

LIVE = settings(max_examples=25, deadline=None)
TOL = dict(rtol=1e-9, atol=1e-9)


def _random(seed, shape):
    return np.random.default_rng(seed).normal(size=shape)


def _apply(op, x):
    return (op @ x.reshape(-1)).reshape(-1)


@st.composite
def _layer(draw, max_size=6, max_kernel=3, low_pad=0):
    ndim = draw(st.integers(1, 2))
    axis = st.tuples(st.integers(1, max_size), st.integers(1, max_kernel), st.integers(1, 3),
                     st.integers(1, 2), st.integers(low_pad, 2), st.integers(low_pad, 2),
                     st.integers(1, 3))
    return [draw(axis) for _ in range(ndim)]  # n, k, s, d, pad before, pad after, lhs_dil


# ---------------------------------------------------------------------------
# jax.lax.conv_general_dilated: explicit pads, lhs (input) and rhs (kernel) dilation
# ---------------------------------------------------------------------------

@LIVE
@given(_layer(), st.sampled_from([(1, 1, 1), (2, 1, 1), (2, 2, 2), (2, 4, 2)]),
       st.integers(0, 2**16))
def test_conv_general_dilated_is_correlation_of_the_zero_inserted_input(axes, channels, seed):
    n, k, s, d, before, after, lhs = map(tuple, zip(*axes))
    cin, cout, groups = channels
    x, w = _random(seed, (cin, *n)), _random(seed + 1, (cout, cin // groups, *k))
    want = np.asarray(lax.conv_general_dilated(
        x[None], w, s, list(zip(before, after)), lhs_dilation=lhs, rhs_dilation=d,
        feature_group_count=groups))[0]
    inserted = tuple((a - 1) * f + 1 for a, f in zip(n, lhs))
    if want.size == 0:
        with pytest.raises(GeometryError, match="must fit the padded input"):
            sc.Geometry(inserted, k, s, tuple(zip(before, after)), d)
        return
    g = sc.Geometry(inserted, k, s, tuple(zip(before, after)), d)
    assert g.output_shape == want.shape[1:]
    corr = sc.correlation(g, in_channels=cin, out_channels=cout, groups=groups).numeric(w)
    insert = sc.zero_insertion(n, lhs, channels=cin).numeric()
    np.testing.assert_allclose(_apply(corr @ insert, x), want.reshape(-1), **TOL)


# ---------------------------------------------------------------------------
# jax.lax.conv_transpose: SAME / VALID / explicit pads, rhs dilation, transpose_kernel
# ---------------------------------------------------------------------------

def _jax_weights(w, transpose_kernel):
    """symconv's (in, out, *k) as JAX's default HIO/HWIO ``rhs`` for ``conv_transpose``.

    With ``transpose_kernel`` JAX swaps I and O (and flips), so the kernel is given
    as (*k, out, in), TensorFlow's layout; without, as (*k, in, out).
    """
    order = (-1, -2) if transpose_kernel else (-2, -1)
    return np.moveaxis(w, (0, 1), order)


_JAX_PADDINGS = st.one_of(st.sampled_from(["same", "valid"]),
                          st.lists(st.tuples(st.integers(-1, 3), st.integers(-1, 3)),
                                   min_size=2, max_size=2))


@LIVE
@given(_layer(max_size=4), _JAX_PADDINGS, st.booleans(), st.integers(1, 2), st.integers(1, 2),
       st.integers(0, 2**16))
def test_jax_transposed_convolution_is_lax_conv_transpose(axes, padding, transpose_kernel, cin,
                                                          cout, seed):
    n, k, s, d, *_ = map(tuple, zip(*axes))
    if not isinstance(padding, str):
        padding = tuple(padding[:len(n)])
    x, w = _random(seed, (cin, *n)), _random(seed + 1, (cin, cout, *k))
    jax_padding = padding.upper() if isinstance(padding, str) else padding
    want = np.moveaxis(np.asarray(lax.conv_transpose(
        np.moveaxis(x, 0, -1)[None], _jax_weights(w, transpose_kernel), s, jax_padding,
        rhs_dilation=d, transpose_kernel=transpose_kernel))[0], -1, 0)
    if want.size == 0:
        with pytest.raises(GeometryError, match="leaves no output"):
            sc.TransposedGeometry(n, k, s, padding, dilation=d, convention="jax")
        return
    op = sc.transposed_convolution(n, k, s, padding, dilation=d, in_channels=cin,
                                   out_channels=cout, convention="jax",
                                   transpose_kernel=transpose_kernel)
    assert op.output_shape == want.shape
    np.testing.assert_allclose(_apply(op.numeric(w), x), want.reshape(-1), **TOL)


def test_jax_same_with_transpose_kernel_is_tensorflows_same():
    for n, k, s in [((3,), (3,), 2), ((4,), (2,), 3), ((2, 3), (3, 2), (2, 1))]:
        jx = sc.TransposedGeometry(n, k, s, "same", convention="jax")
        tf = sc.TransposedGeometry(n, k, s, "same", convention="tensorflow")
        assert (jx.output_shape, jx.crops[0][0]) == (tf.output_shape, tf.crops[0][0])


# ---------------------------------------------------------------------------
# check-formula's JAX transposed sizes: the truth tables against lax.conv_transpose
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("quantity, padding", [("transposed_output_size", "VALID"),
                                               ("transposed_same_output_size", "SAME")])
def test_the_jax_transposed_size_truths_are_lax_conv_transposes_shapes(quantity, padding):
    from symconv.formula import truth_table

    columns, truth, _ = truth_table(quantity, "jax")
    rng = np.random.default_rng(0)
    for i in rng.choice(len(truth), 40, replace=False):
        n, k, s, d = (int(columns[v][i]) for v in ("n", "k", "s", "d"))
        y = lax.conv_transpose(np.zeros((1, n, 1)), np.zeros((k, 1, 1)), (s,), padding,
                               rhs_dilation=(d,))
        assert y.shape[1] == truth[i], (n, k, s, d)


@LIVE
@given(_layer(low_pad=-2), st.integers(0, 2**16))
def test_negative_pads_are_cropping_then_correlation(axes, seed):
    n, k, s, d, before, after, lhs = map(tuple, zip(*axes))
    x, w = _random(seed, (1, *n)), _random(seed + 1, (1, 1, *k))
    try:
        want = np.asarray(lax.conv_general_dilated(
            x[None], w, s, list(zip(before, after)), lhs_dilation=lhs, rhs_dilation=d))[0]
    except ValueError:  # jax: "Negative padding is larger than the size of the dimension"
        want = np.zeros(0)
    inserted = tuple((a - 1) * f + 1 for a, f in zip(n, lhs))
    crops = tuple((max(-b, 0), max(-a, 0)) for b, a in zip(before, after))
    pads = tuple((max(b, 0), max(a, 0)) for b, a in zip(before, after))
    try:
        crop = sc.cropping(inserted, crops)
        g = sc.Geometry(crop.output_shape[1:], k, s, pads, d)
    except sc.SymconvError:  # refused: no output, or crops that leave only the zero pads
        assert want.size == 0 or not want.any()
        return
    assert g.output_shape == want.shape[1:]
    op = sc.correlation(g).numeric(w) @ crop.numeric() @ sc.zero_insertion(n, lhs).numeric()
    np.testing.assert_allclose(_apply(op, x), want.reshape(-1), **TOL)
