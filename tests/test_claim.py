"""sc.check: planted true and false claims of every operator, 1-D and 2-D, and chains."""

from __future__ import annotations

import pytest

import symconv as sc
from symconv.claim.check import points_in_order

X, XK = {"x": "n"}, {"x": "n", "k": "K"}
X2K2 = {"x": "(n, n)", "k": "(K, K)"}
RECIPE = "conv_transpose(y, k, stride=s) == corr(pad(upsample(y, s), K - 1), flip(k))"
YK = {"y": "m", "k": "K"}
RECIPE_DOMAIN = "1 <= m <= 5, 1 <= K <= 4, 1 <= s <= 3"

# (claim, shapes, domain): each true on its domain.
TRUE = [
    ("flip(flip(x)) == x", X, None),
    ("flip(flip(x)) == x", {"x": "(n, m)"}, "n <= 4, 1 <= m <= 3"),
    ("conv(x, k) == corr(x, flip(k))", XK, None),
    ("conv(x, k) == corr(x, flip(k))", X2K2, "n <= 4, K <= 3"),
    ('conv(x, k, padding="full") == conv(k, x, padding="full")', XK, None),
    ("corr(x, k, stride=s) == subsample(corr(x, k), s)", XK, None),
    ("corr(x, k, stride=s) == subsample(corr(x, k), s)", X2K2, "n <= 5, K <= 2, s <= 2"),
    ("corr(x, k, stride=s, padding=p) == subsample(corr(pad(x, p), k), s)", XK,
     "n <= 6, K <= 3"),
    ("corr(x, k, dilation=d) == corr(x, upsample(k, d))", XK, None),
    ("corr(x, k, dilation=d) == corr(x, upsample(k, d))", X2K2, "n <= 5, K <= 2"),
    (RECIPE, YK, RECIPE_DOMAIN),
    ("conv_transpose(y, k, stride=s, padding=p, output_padding=q) == "
     "corr(pad(upsample(y, s), K - 1 - p, K - 1 - p + q), flip(k))", YK,
     "1 <= m <= 4, 3 <= K <= 4, 2 <= s <= 3, 0 <= p <= 2, 0 <= q <= 1"),
    ("conv_transpose(y, k, stride=s) == corr(pad(upsample(y, s), K - 1), flip(k))",
     {"y": "(m, m)", "k": "(K, K)"}, "1 <= m <= 3, 1 <= K <= 3, 1 <= s <= 2"),
    ("dot(corr(x, k, stride=s), y) == dot(x, conv_transpose(y, k, stride=s))",
     {"x": "s*(m - 1) + K", "k": "K", "y": "m"}, "1 <= m <= 4, K <= 3"),
    ("crop(pad(x, p, q), p, q) == x", X, "0 <= q <= 2"),
    ("subsample(upsample(x, s), s) == x", {"x": "(n, n)"}, "n <= 4"),
    ('shift(shift(x, t, mode="circular"), n - t, mode="circular") == x', X, "0 <= t <= 3"),
    ("shift(x, t) == pad(crop(x, 0, t), t, 0)", X, "2 <= n <= 8, 0 <= t <= 1"),
    ("K * avg_pool(x, K) == corr(x, ones(K), stride=K)", X, None),
    ("K * K * avg_pool(x, K) == corr(x, ones((K, K)), stride=K)", {"x": "(n, n)"}, "n <= 5"),
    ("max_pool(shift(x, 2), 2) == shift(max_pool(x, 2), 1)", X, None),
    ("max_pool(x, 1) == x", {"x": "(n, n)"}, "n <= 3"),
    ("dot(x, y) == dot(y, x)", {"x": "n", "y": "n"}, None),
    ("shape(conv_transpose(y, k, stride=s)) == s*(m - 1) + K", YK, "1 <= m <= 6"),
    ("shape(corr(x, k)) == (n - K + 1, n - K + 1)", X2K2, "3 <= n <= 5, K <= 3"),
    ("corr(x + y, k) == corr(x, k) + corr(y, k)", {"x": "n", "y": "n", "k": "K"}, "n <= 5"),
    ("2 * corr(x, k) - corr(x, k) == corr(-(-x), k)", XK, "n <= 5"),
]


@pytest.mark.parametrize("claim, shapes, domain", TRUE, ids=[t[0][:50] for t in TRUE])
def test_true_claims_are_verified_on_their_domain(claim, shapes, domain):
    p = sc.check(claim, shapes=shapes, domain=domain)
    assert p.verdict == "verified", p.text()
    assert p.evidence == ["symbolic", "exhaustive", "numeric"] and p.scope == "all sizes"
    assert p.domain and p.counterexample is None


# (claim, shapes, domain, the expected smallest counterexample's sizes and entry)
FALSE = [
    ("corr(x, k) == conv(x, k)", XK, None, {"n": 2, "K": 2, "index": (0,)}),
    ('corr(x, k, padding="full") == corr(k, x, padding="full")', XK, None,
     {"n": 1, "K": 2, "index": (0,)}),
    ("corr(x, k, stride=s) == corr(subsample(x, s), k)", XK, None,
     {"n": 2, "K": 2, "s": 2}),
    ("corr(x, k, dilation=d) == corr(x, upsample(k, d + 1))", XK, None,
     {"n": 2, "K": 2, "d": 1}),
    ("flip(x) == x", X, None, {"n": 2, "index": (0,)}),
    ("flip(x) == x", {"x": "(n, n)"}, None, {"n": 2, "index": (0, 0)}),
    ("corr(x, k) == conv(x, k)", X2K2, "n <= 3, K <= 2", {"n": 2, "K": 2, "index": (0, 0)}),
    ("pad(x, 1) == x", X, None, {"n": 1, "reason": "shapes differ: (3,) and (1,)"}),
    ("max_pool(shift(x, 1), 2) == shift(max_pool(x, 2), 1)", X, None, {"n": 2}),
    ("avg_pool(x, K) == corr(x, ones(K), stride=K)", X, None, {"n": 2, "K": 2}),
    ("subsample(x, s) == crop(x, 0, n - s)", X, "1 <= s <= 2", {"n": 1, "s": 2}),
    ("shift(x, 1) == shift(x, 1, mode=\"circular\")", X, None, {"n": 1}),
    ("dot(x, k) == dot(x, x)", {"x": "n", "k": "n"}, None, {"n": 1}),
]


@pytest.mark.parametrize("claim, shapes, domain, expected", FALSE,
                         ids=[f[0][:50] for f in FALSE])
def test_false_claims_are_refuted_at_the_smallest_counterexample(claim, shapes, domain,
                                                                 expected):
    p = sc.check(claim, shapes=shapes, domain=domain)
    assert p.verdict == "refuted", p.text()
    assert p.evidence == ["symbolic"]
    assert {key: p.counterexample[key] for key in expected} == expected


def test_the_counterexample_is_the_first_failing_point_in_order_of_size():
    claim, shapes = "corr(x, k, stride=s) == corr(subsample(x, s), k)", XK
    p = sc.check(claim, shapes=shapes, domain="n <= 5, K <= 3")
    failing = {name: p.counterexample[name] for name in ("n", "K", "s")}
    earlier = points_in_order({"n": (1, 5), "K": (1, 3), "s": (1, 3)})
    earlier = earlier[:earlier.index(failing)]
    assert earlier
    for point in earlier:  # each smaller point, checked on its own, holds (or is vacuous)
        alone = ", ".join(f"{k} = {v}" for k, v in point.items())
        assert sc.check(claim, shapes=shapes, domain=alone).verdict in ("verified", "vacuous")


def test_points_are_ordered_by_sum_then_lexicographically():
    order = points_in_order({"n": (1, 3), "s": (1, 3)})
    assert [tuple(p.values()) for p in order][:6] == [(1, 1), (1, 2), (2, 1), (1, 3), (2, 2),
                                                      (3, 1)]


def test_the_smallest_counterexample_is_smallest_by_sum_not_by_the_first_name():
    p = sc.check("n // 3 + K // 4 == 0", shapes={}, domain="1 <= n <= 5, 1 <= K <= 4")
    assert (p.counterexample["n"], p.counterexample["K"]) == (3, 1)  # not (1, 4)


def test_counterexample_values_are_the_two_sides_at_the_differing_entry():
    p = sc.check("conv_transpose(y, k, stride=s) == corr(pad(upsample(y, s), K - 1), k)",
                 shapes=YK, domain=RECIPE_DOMAIN)
    c = p.counterexample
    assert (c["m"], c["K"], c["s"], c["index"]) == (1, 2, 1, (0,))
    assert (c["left"], c["right"]) == ("k_0*y_0", "k_1*y_0")
    assert r"\boxed{k_{0} y_{0}}" in p.latex() and r"\boxed{k_{1} y_{0}}" in p.latex()


@pytest.mark.parametrize("variant, expected", [
    ("corr(pad(upsample(y, s), K - 1), k)", {"m": 1, "K": 2, "s": 1}),       # no flip
    ("corr(pad(upsample(y, s), K), flip(k))", {"m": 1, "K": 1, "s": 1}),     # pad K, not K-1
    ("corr(pad(upsample(y, s + 1), K - 1), flip(k))", {"m": 2, "K": 1, "s": 1}),  # s zeros
])
def test_seed_003_recipe_wrong_variants_are_refuted(variant, expected):
    p = sc.check(f"conv_transpose(y, k, stride=s) == {variant}", shapes=YK,
                 domain=RECIPE_DOMAIN)
    assert p.verdict == "refuted"
    assert {key: p.counterexample[key] for key in expected} == expected


def test_seed_003_recipe_as_a_chain_names_the_false_middle_step():
    chain = ("conv_transpose(y, k, stride=s) == corr(pad(upsample(y, s), K - 1), flip(k))"
             " == corr(pad(upsample(y, s), K - 1), k) == conv(pad(upsample(y, s), K - 1), flip(k))")
    p = sc.check(chain, shapes=YK, domain=RECIPE_DOMAIN)
    assert p.verdict == "refuted" and p.counterexample["step"] == 2
    lines = {s.title: s.text for s in p.steps}
    assert lines["Step 1"].startswith("Holds at all")
    assert lines["Step 2"].startswith("Refuted at m=1, K=2, s=1")
    assert lines["Step 3"].startswith("Holds at all")


def test_a_true_chain_is_verified_step_by_step():
    p = sc.check("conv(x, k) == corr(x, flip(k)) == flip(corr(flip(x), k))", shapes=XK)
    assert p.verdict == "verified"
    assert [s.title for s in p.steps] == ["Claim", "Step 1", "Step 2", "Numeric cross-check"]


def test_both_sides_undefined_is_skipped_and_counted_one_side_refutes():
    p = sc.check("corr(x, k) == corr(x, k)", shapes=XK, domain="n <= 3, K <= 3")
    assert p.verdict == "verified"
    assert "(3 points skipped: both sides undefined)" in p.steps[1].text
    p = sc.check("x == crop(x, 0, K - 1)", shapes=XK, domain="n <= 3, K <= 3")
    assert p.verdict == "refuted" and (p.counterexample["n"], p.counterexample["K"]) == (1, 2)
    assert p.counterexample["reason"] == "the right side is undefined here"
    assert "The right side: crop" in p.steps[-1].text


def test_a_domain_where_nothing_is_defined_is_vacuous():
    p = sc.check("corr(x, k) == corr(x, k)", shapes=XK, domain="n = 1, 2 <= K <= 3")
    assert p.verdict == "vacuous" and p.evidence == []


def test_a_claim_at_stated_sizes_only_is_proved_symbolically():
    p = sc.check("conv(x, k) == corr(x, flip(k))", shapes={"x": 5, "k": (3,)})
    assert p.verdict == "proved" and p.scope == "stated sizes"
    assert p.evidence == ["symbolic", "numeric"]
    assert sc.check("flip(x) == x", shapes={"x": (2, 2)}).verdict == "refuted"


def test_the_defaults_are_stated_in_the_result():
    p = sc.check("corr(x, k, stride=s, padding=p, dilation=d) == corr(x, k, stride=s, "
                 "padding=p, dilation=d)", shapes=XK)
    assert p.domain == "1 <= n <= 8, 1 <= K <= 4, 1 <= s <= 3, 0 <= p <= 2, 1 <= d <= 2"
    assert p.domain in p.text()


def test_shapes_as_text_and_as_a_dict_agree():
    a = sc.check(RECIPE, shapes="y=m, k=K", domain=RECIPE_DOMAIN)
    b = sc.check(RECIPE, shapes=YK, domain=RECIPE_DOMAIN)
    assert a.to_dict()["steps"] == b.to_dict()["steps"] and a.verdict == b.verdict


def test_no_parametric_evidence_is_ever_claimed_and_numeric_names_its_check():
    for claim, shapes, domain in TRUE[:6]:
        p = sc.check(claim, shapes=shapes, domain=domain)
        assert "parametric" not in p.evidence and "numeric" in p.evidence
        assert "symconv's NumPy oracle" in p.steps[-1].text


def test_the_numeric_check_is_independent_a_wrong_oracle_is_an_internal_error(monkeypatch):
    import symconv.numeric

    right = symconv.numeric.correlate
    monkeypatch.setattr(symconv.numeric, "correlate",
                        lambda x, w, g, groups=1: right(x, w, g, groups) + 1)
    with pytest.raises(RuntimeError, match="NumPy oracle and its symbolic values disagree"):
        sc.check("corr(x, k) == corr(x, k)", shapes=XK, domain="n <= 3, K <= 2")


def test_the_claim_is_typeset_as_the_notes_write_it():
    p = sc.check(RECIPE, shapes=YK, domain="1 <= m <= 2, K <= 2, s <= 2")
    assert r"\operatorname{flip}\left(k\right)" in p.statement_latex
    assert r"{\uparrow_{s}}\,y" in p.statement_latex
    assert p.to_dict()["statement"] == RECIPE


def test_the_derivation_script_checks_the_recipe_and_refutes_its_variants(derivation_runs):
    code, _, out, _ = derivation_runs["transposed_convolution_as_a_claim"]  # run once per suite
    assert code == 0 and "all claims checked: ok" in out
    assert out.count("REFUTED [symbolic]") == 7 and out.count("VERIFIED") == 2


def test_a_signal_the_claim_does_not_name_adds_no_size_name():
    p = sc.check("flip(flip(x)) == x", shapes="x=(2, 3), k=K")
    assert p.verdict == "proved" and p.parameters == {"shapes": "x=(2, 3)"}


def test_a_catalogue_theorem_defined_by_a_false_claim_is_refuted_by_the_engine():
    from symconv.claim.theorem import claim_outcome
    from symconv.theorems.engine import REGISTRY, theorem

    points = [{"a_shape": (n,), "b_shape": (m,)} for n in (1, 2) for m in (1, 2)]
    theorem("planted-claim", family="planted", statement="full correlation commutes (false)",
            latex=r"\text{planted}", parameters=points[0], domain=lambda: points)(
        lambda a_shape, b_shape: claim_outcome(
            'corr(a, b, padding="full") == corr(b, a, padding="full")', a=a_shape, b=b_shape))
    try:
        p = sc.prove("planted-claim")
    finally:
        REGISTRY.pop("planted-claim")
    assert p.verdict == "refuted"
    assert (p.counterexample["a_shape"], p.counterexample["b_shape"]) == ((1,), (2,))


def test_a_bound_on_a_usual_size_the_claim_does_not_use_is_ignored():
    p = sc.check("flip(flip(x)) == x", shapes=X, domain="n <= 3, K <= 2, s <= 2")
    assert p.verdict == "verified" and p.domain == "1 <= n <= 3"


@pytest.mark.parametrize("claim", ["flip(upsample(x, s)) == flip(upsample(x, s))",
                                   "crop(upsample(x, s), 1) == crop(upsample(x, s), 1)"])
def test_a_long_sparse_signal_stays_cheap_and_is_not_sent_to_the_dense_oracle(claim):
    p = sc.check(claim, shapes=X, domain="n = 2, s = 1000000000000")
    assert p.verdict == "verified" and p.evidence == ["symbolic", "exhaustive"]


def test_a_dense_value_over_the_symbolic_entry_limit_is_refused():
    from symconv.errors import SizeLimitError

    with pytest.raises(SizeLimitError, match="ones"):
        sc.check("ones(s) == ones(s)", shapes={}, domain="s = 1000000000000")


def test_index_maps_of_a_scalar_are_undefined_in_both_interpreters():
    p = sc.check("flip(3) == 3", shapes={})  # the NumPy oracle would raise on a mismatch
    assert p.verdict == "refuted" and p.counterexample["reason"] == \
        "the left side is undefined here"
