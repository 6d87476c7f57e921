"""Claims with channels and groups: the operators against PyTorch, true and false claims.

A shape's leading items named with channel sizes (c, o, g, ...) are channel axes
(:mod:`symconv.claim.channels`). Each term is evaluated with symbolic entries,
random integers substituted, and the result compared with PyTorch's own function.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.claim.evaluate import Point, evaluate, signal_shape_of
from symconv.claim.operators import Undefined
from symconv.claim.syntax import ClaimError, parse_claim
from symconv.claim.values import evaluate as evaluate_poly

torch = pytest.importorskip("torch")
F = torch.nn.functional


def numeric(term: str, shapes: dict[str, str], sizes: dict[str, int], seed: int):
    """The term's value (and its channel axes) with random integer signals, and the signals."""
    chain = parse_claim(f"{term} == 0")
    point = Point(dict(sizes), {name: signal_shape_of(name, shape)
                                for name, shape in shapes.items()})
    value = evaluate(chain.terms[0], point, chain.text)
    rng = np.random.default_rng(seed)
    arrays = {name: rng.integers(-5, 6, size=v.shape) for name, v in point.signals.items()}
    values = {(name, index): int(a[index]) for name, a in arrays.items()
              for index in np.ndindex(a.shape)}
    flat = [float(evaluate_poly(value.entry(i), values)) for i in range(value.size)]
    return np.array(flat).reshape(value.shape), value.channels, arrays


def t(a):
    return torch.tensor(a, dtype=torch.float64)


@settings(max_examples=40, deadline=None)
@given(g=st.integers(1, 3), cg=st.integers(1, 2), og=st.integers(1, 2), n=st.integers(1, 6),
       k=st.integers(1, 3), s=st.integers(1, 2), p=st.integers(0, 1), d=st.integers(1, 2),
       two_d=st.booleans(), seed=st.integers(0, 99))
def test_grouped_corr_and_conv_are_pytorch_conv(g, cg, og, n, k, s, p, d, two_d, seed):
    sizes = {"c": g * cg, "o": g * og, "g": g, "n": n, "K": k}
    shapes = {"x": "(c, n, n)" if two_d else "(c, n)",
              "k": "(o, c//g, K, K)" if two_d else "(o, c//g, K)"}
    term = f"corr(x, k, stride={s}, padding={p}, dilation={d}, groups=g)"
    try:
        got, channels, a = numeric(term, shapes, sizes, seed)
    except Undefined:
        assert d * (k - 1) + 1 > n + 2 * p  # undefined exactly where PyTorch refuses
        return
    conv = F.conv2d if two_d else F.conv1d
    x, w = t(a["x"])[None], t(a["k"])
    want = conv(x, w, stride=s, padding=p, dilation=d, groups=g)[0]
    assert channels == 1
    np.testing.assert_array_equal(got, want)
    flipped, _, _ = numeric(term.replace("corr", "conv"), shapes, sizes, seed)
    w_flipped = torch.flip(w, dims=tuple(range(2, w.ndim)))
    np.testing.assert_array_equal(
        flipped, conv(x, w_flipped, stride=s, padding=p, dilation=d, groups=g)[0])


@settings(max_examples=40, deadline=None)
@given(g=st.integers(1, 3), cg=st.integers(1, 2), og=st.integers(1, 2), m=st.integers(1, 5),
       k=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 1), d=st.integers(1, 2),
       seed=st.integers(0, 99))
def test_grouped_conv_transpose_is_pytorch_conv_transpose(g, cg, og, m, k, s, p, d, seed):
    sizes = {"c": g * cg, "o": og, "g": g, "m": m, "K": k}
    term = f"conv_transpose(y, k, stride={s}, padding={p}, dilation={d}, groups=g)"
    try:
        got, channels, a = numeric(term, {"y": "(c, m)", "k": "(c, o, K)"}, sizes, seed)
    except Undefined:
        assert (m - 1) * s - 2 * p + d * (k - 1) + 1 < 1
        return
    want = F.conv_transpose1d(t(a["y"])[None], t(a["k"]), stride=s, padding=p, dilation=d,
                              groups=g)[0]
    assert channels == 1 and got.shape == (g * og, want.shape[-1])
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("term, reference", [
    ("pad(x, 1, 2)", lambda x: F.pad(x, (1, 2))),
    ("flip(x)", lambda x: torch.flip(x, dims=(-1,))),
    ("crop(x, 1, 0)", lambda x: x[..., 1:]),
    ("subsample(x, 2)", lambda x: x[..., ::2]),
    ("shift(x, 1, \"circular\")", lambda x: torch.roll(x, 1, dims=-1)),
    ("avg_pool(x, 2)", lambda x: F.avg_pool1d(x, 2)),
    ("max_pool(x, 2, stride=1)", lambda x: F.max_pool1d(x, 2, stride=1)),
])
def test_spatial_operators_act_on_every_channel_alone(term, reference):
    got, channels, a = numeric(term, {"x": "(c, n)"}, {"c": 3, "n": 5}, seed=1)
    assert channels == 1
    np.testing.assert_array_equal(got, reference(t(a["x"])[None])[0])


def test_upsample_with_channels_inserts_zeros_per_channel():
    got, _, a = numeric("upsample(x, 2)", {"x": "(c, n)"}, {"c": 2, "n": 3}, seed=2)
    want = np.zeros((2, 5))
    want[:, ::2] = a["x"]
    np.testing.assert_array_equal(got, want)


def test_transpose_weight_turns_pytorch_conv_transpose_into_a_full_correlation():
    # PyTorch: conv_transpose(y, k) == conv(pad(y, K - 1), flip(transpose_weight(k)))
    sizes = {"c": 4, "o": 3, "g": 2, "K": 2}
    w, channels, a = numeric("transpose_weight(k, groups=g)", {"k": "(c, o, K)"}, sizes, 3)
    assert channels == 2 and w.shape == (6, 2, 2)
    y = t(np.random.default_rng(4).integers(-5, 6, size=(1, 4, 5)))
    want = F.conv_transpose1d(y, t(a["k"]), groups=2)
    got = F.conv1d(F.pad(y, (1, 1)), torch.flip(t(w), dims=(-1,)), groups=2)
    assert torch.equal(got, want)


RECIPE = ("conv_transpose(y, k, stride=s, groups=g) == "
          "corr(pad(upsample(y, s), K - 1), flip(transpose_weight(k, groups=g)), groups=g)")
YK = {"y": "(c, n)", "k": "(c, o, K)"}


def test_the_transposed_convolution_recipe_holds_with_channels_and_groups():
    p = sc.check(RECIPE, shapes=YK, domain="n <= 3, K <= 3, s <= 2, c <= 4, o <= 2")
    assert p.verdict == "verified"
    assert p.evidence == ["symbolic", "exhaustive", "numeric"]
    assert "1 <= c <= 4" in p.domain and "1 <= g <= 2" in p.domain


def test_the_recipe_without_regrouping_the_weight_is_refuted_at_the_smallest_point():
    wrong = RECIPE.replace("transpose_weight(k, groups=g)", "k")
    p = sc.check(wrong, shapes=YK, domain="n <= 3, K <= 3, s <= 2, c <= 4, o <= 2")
    assert p.verdict == "refuted"
    # one channel in and two out: the kernel (1, 2, K) read as (out=1, in=2) does not fit
    assert {key: p.counterexample[key] for key in ("c", "n", "o", "K", "s", "g")} == \
        {"c": 1, "n": 1, "o": 2, "K": 1, "s": 1, "g": 1}


def test_groups_change_the_layer_and_the_counterexample_shows_where():
    p = sc.check("corr(x, k, groups=g) == corr(x, k)", shapes="x=(c, n), k=(o, c//g, K)",
                 domain="n <= 3, K <= 2")
    assert p.verdict == "refuted"
    assert (p.counterexample["c"], p.counterexample["g"]) == (2, 2)


@pytest.mark.parametrize("claim, shapes, verdict", [
    ("flip(flip(x)) == x", "x=(c, n, n)", "verified"),
    ("flip(x) == x", "x=(c, n)", "refuted"),
    ("corr(x, k, stride=s) == subsample(corr(x, k), s)", "x=(c, n), k=(o, c, K)", "verified"),
    ("corr(x, k, stride=s) == corr(subsample(x, s), k)", "x=(c, n), k=(o, c, K)", "refuted"),
    ("conv(x, k) == corr(x, flip(k))", "x=(c, n), k=(o, c, K)", "verified"),
    ("pad(x, 1) == shift(pad(x, 0, 2), 1)", "x=(c, n, n)", "verified"),
    ("shift(x, 1, \"circular\") == flip(x)", "x=(c, n)", "refuted"),
])
def test_true_and_false_claims_with_channels(claim, shapes, verdict):
    assert sc.check(claim, shapes=shapes, domain="n <= 4, K <= 2, c <= 2, o <= 2").verdict \
        == verdict


def test_a_layer_needs_channels_on_both_operands_or_neither():
    p = sc.check("corr(x, k) == corr(x, k)", shapes="x=(c, n), k=K", domain="n <= 3, K <= 2")
    assert p.verdict == "vacuous"
    assert p.steps[1].text.startswith("Vacuous")


def test_a_shape_of_channel_axes_only_is_refused():
    with pytest.raises(ClaimError, match="must have a spatial axis after its channel axes"):
        sc.check("flip(x) == x", shapes="x=(c, o)")
    with pytest.raises(ClaimError, match="at most 2 channel axes"):
        sc.check("flip(x) == x", shapes="x=(c, o, g, n)")


def test_average_pooling_is_a_depthwise_correlation_with_a_uniform_weight():
    claim = ("avg_pool(x, K, stride=s) == "
             "corr(x, ones((c, 1, K), channels=2) / K, stride=s, groups=c)")
    p = sc.check(claim, shapes="x=(c, n)", domain="n <= 5, K <= 3, c <= 2")
    assert p.verdict == "verified" and "numeric" in p.evidence
    wrong = sc.check(claim.replace("/ K", "/ 2"), shapes="x=(c, n)",
                     domain="n <= 5, K <= 3, c <= 2")
    assert wrong.verdict == "refuted"
    assert [wrong.counterexample[key] for key in ("c", "n", "K", "s")] == [1, 1, 1, 1]
    assert (wrong.counterexample["left"], wrong.counterexample["right"]) == ("x_{0,0}",
                                                                             "x_{0,0}/2")


def test_division_is_by_an_integer_size_only():
    assert sc.check("x / 2 + x / 2 == x", shapes="x=n", domain="n <= 3").verdict == "verified"
    assert r"\frac{x}{2}" in sc.check("x / 2 == x", shapes="x=2").statement_latex
    with pytest.raises(ClaimError, match="'/' must divide by an integer size expression"):
        sc.check("x / x == x", shapes="x=n", domain="n <= 3")
