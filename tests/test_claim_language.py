"""The claim language: its grammar, named errors for bad input, and a fuzzed parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.claim.syntax import BinOp, Call, ClaimError, Tuple, parse_claim, parse_shapes
from symconv.claim.vocabulary import OPERATORS, check_names
from symconv.errors import SizeLimitError, SymconvError
from symconv.grammar import grammar_text

XK = {"x": "n", "k": "K"}


def test_the_grammar_is_a_lark_file_printed_as_written():
    text = grammar_text("claim")
    assert text.startswith("// An open claim") and "claim: expr" in text and "shapes:" in text


def test_precedence_keywords_tuples_and_positions():
    chain = parse_claim("corr(x, k, stride=s*(m-1)+1) == (a, b) == -n + 2*K")
    call = chain.terms[0]
    assert isinstance(call, Call) and call.keywords[0].name == "stride"
    size = call.keywords[0].value
    assert isinstance(size, BinOp) and size.op == "+" and size.left.op == "*"
    assert chain.text[size.start:size.end] == "s*(m-1)+1"
    assert isinstance(chain.terms[1], Tuple) and len(chain.terms[1].items) == 2
    assert chain.terms[2].op == "+" and chain.terms[2].right.op == "*"


def test_shapes_text_binds_sizes_and_tuples():
    shapes = parse_shapes("x=n, k=K, y=(m, m)")
    assert list(shapes) == ["x", "k", "y"] and isinstance(shapes["y"], Tuple)


# (claim, shapes, domain, error class, words the message must hold)
BAD = [
    ("corr(x, k", XK, None, ClaimError, ["column 10", "the text ends", "expected"]),
    ("corr(x, k) = x", XK, None, ClaimError, ["column 12", "unexpected '='"]),
    ("corr(x, k) === x", XK, None, ClaimError, ["column 14"]),
    ("corr(x, k)", XK, None, ClaimError, ["must state an identity", "no '=='"]),
    ("korr(x, k) == x", XK, None, ClaimError, ["operator 'korr'", "did you mean corr", "^^^^"]),
    ("corr(x, k, strides=1) == x", XK, None, ClaimError, ["keyword 'strides'",
                                                          "did you mean stride"]),
    ("corr(x, k, stride=1, stride=2) == x", XK, None, ClaimError, ["given once"]),
    ("corr(x) == x", XK, None, ClaimError, ["needs its argument 'weight'"]),
    ("flip(x, 1, 2) == x", XK, None, ClaimError, ["at most 1 arguments"]),
    ("corr(x, q) == x", XK, None, ClaimError, ["signal 'q' must have a shape", "          ^"]),
    ("corr(x, k, stride=x) == x", XK, None, ClaimError, ["stride must be a size expression"]),
    ('shift(x, 1, mode="wrap") == x', XK, None, ClaimError, ['"zero", "circular"', "'wrap'"]),
    ('corr(x, k, padding="half") == x', XK, None, ClaimError, ['"same"', "'half'"]),
    ('"same" == x', XK, None, ClaimError, ["quoted word must be an operator argument"]),
    ("shift(x, t) == x", XK, None, ClaimError, ["size name 't' must be bounded",
                                                "1 <= t <= 4"]),
    ("corr(x, k) == x", {"x": "m", "k": "K"}, None, ClaimError, ["size name 'm'"]),
    ("corr(x, k) == x", XK, "n <= 3, q <= 2", SymconvError, ["'q'", "valid: n, K, s, p, d"]),
    ("corr(x, k) == x", XK, "n <= 2000, K <= 20", ClaimError, ["at most 20000 points",
                                                               "40000"]),
    ("corr(x, k) == x", XK, "n in 200000..200001, K = 1", SizeLimitError,
     ["symbolic entries", "SYMCONV_MAX_SYMBOLIC_ENTRIES"]),
    ("corr(x, k) == x", {"x": "n", "k": "corr(x, x)"}, None, ClaimError,
     ["shape of k must be a size expression"]),
    ("corr(x, k) == x", {"x": [1.5]}, None, ClaimError, ["shapes['x']", "1.5"]),
    ("corr(x, k) == x", ["x"], None, ClaimError, ["shapes must be a dict"]),
    ("corr(x, k) == x", "x=n, x=K", None, ClaimError, ["binds signal 'x' twice"]),
    ("flip(" * 100 + "x" + ")" * 100 + " == x", XK, None, ClaimError, ["at most 64"]),
    ("-" * 2000 + "x == x", XK, None, ClaimError, ["at most 64"]),
]


@pytest.mark.parametrize("claim, shapes, domain, error, words", BAD,
                         ids=[f"{b[0][:40]}|{b[2]}" for b in BAD])
def test_bad_input_is_a_named_error_with_the_position(claim, shapes, domain, error, words):
    with pytest.raises(error) as raised:
        sc.check(claim, shapes=shapes, domain=domain)
    for word in words:
        assert word in str(raised.value)


# 300 strings in the default run; the 10,000 with --hypothesis-profile=fuzz
FUZZ = max(300, settings.default.max_examples)
CHARACTERS = "xkny KsS()=,+-*/ 0123 \"'_cor flipad"
WORDS = [*OPERATORS, "x", "k", "n", "K", "s", "==", "=", ",", "(", ")", "+", "-", "*", "//",
         "1", "2", "stride", "padding", '"same"', "mode", '"circular"', "(n, n)"]


def _parse_or_named_error(text: str) -> None:
    try:
        chain = parse_claim(text)
    except ClaimError as error:
        assert str(error)  # a message, never an empty error
        return
    assert len(chain.terms) >= 2
    try:
        check_names(chain, {"x", "k"})
    except ClaimError as error:
        assert str(error)


@settings(max_examples=FUZZ, deadline=None)
@given(st.text(alphabet=CHARACTERS, max_size=40))
def test_fuzzed_text_parses_or_is_a_named_error(text):
    _parse_or_named_error(text)


@settings(max_examples=FUZZ, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))
def test_fuzzed_token_soup_parses_or_is_a_named_error(text):
    _parse_or_named_error(text)


@settings(max_examples=FUZZ // 5, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=3, max_size=10).map(" ".join))
def test_fuzzed_claims_are_checked_or_a_named_error_never_a_crash(text):
    try:
        p = sc.check(text, shapes=XK, domain="n <= 3, K <= 2, s <= 2")
    except SymconvError as error:
        assert str(error)
        return
    assert p.verdict in ("verified", "refuted", "undecided", "vacuous")


def _terms():
    """Well-formed terms of random operators (sizes and signals mixed freely)."""
    size = st.sampled_from(["1", "2", "s", "K - 1", "n // 2", "(s, 1)"])
    leaf = st.sampled_from(["x", "k", "flip(k)", "ones(K)", "2", "n", "shape(x)", "(1, s)"])

    def grow(inner):
        one = st.tuples(inner, size)
        two = st.tuples(inner, inner)
        return st.one_of(
            one.map(lambda a: f"pad({a[0]}, {a[1]})"),
            one.map(lambda a: f"crop({a[0]}, {a[1]}, 0)"),
            one.map(lambda a: f"upsample({a[0]}, {a[1]})"),
            one.map(lambda a: f"subsample({a[0]}, {a[1]})"),
            one.map(lambda a: f'shift({a[0]}, {a[1]}, mode="circular")'),
            one.map(lambda a: f"avg_pool({a[0]}, {a[1]})"),
            one.map(lambda a: f"max_pool({a[0]}, {a[1]}, stride=1)"),
            two.map(lambda a: f"corr({a[0]}, {a[1]}, stride=s)"),
            two.map(lambda a: f'conv({a[0]}, {a[1]}, padding="same")'),
            two.map(lambda a: f"conv_transpose({a[0]}, {a[1]}, stride=s, padding=1)"),
            two.map(lambda a: f"{a[0]} + {a[1]}"),
            two.map(lambda a: f"2 * {a[0]} - {a[1]}"),
            two.map(lambda a: f"dot({a[0]}, {a[1]}) * {a[1]}"),
            inner.map(lambda a: f"flip({a})"),
        )

    return st.recursive(leaf, grow, max_leaves=4)


def _claims():
    return st.tuples(_terms(), _terms()).map(" == ".join)


@settings(max_examples=FUZZ // 5, deadline=None)
@given(_claims(), st.booleans())
def test_random_well_formed_claims_are_decided_and_both_interpreters_agree(claim, two_d):
    # a disagreement between the symbolic values and the NumPy oracle would raise here
    shapes = {"x": "(n, n)", "k": "(K, K)"} if two_d else {"x": "n", "k": "K"}
    try:
        p = sc.check(claim, shapes=shapes, domain="n <= 4, K <= 2, s <= 2")
    except SymconvError as error:  # only the named errors of bad input
        assert str(error)
        return
    assert p.verdict in ("verified", "proved", "refuted", "undecided", "vacuous")
    assert ("numeric" in p.evidence) == (p.verdict in ("verified", "proved"))


@settings(max_examples=FUZZ // 5, deadline=None)
@given(_terms(), st.booleans())
def test_random_terms_equal_themselves_and_the_numpy_oracle(term, two_d):
    # t == t holds wherever t is defined, so the numeric cross-check always runs there:
    # the symbolic interpreter and the NumPy oracle must agree on t (else RuntimeError)
    shapes = {"x": "(n, n)", "k": "(K, K)"} if two_d else {"x": "n", "k": "K"}
    try:
        p = sc.check(f"{term} == {term}", shapes=shapes, domain="n <= 4, K <= 2, s <= 2")
    except SymconvError as error:
        assert str(error)
        return
    assert p.verdict in ("verified", "proved", "vacuous")
    assert ("numeric" in p.evidence) == (p.verdict != "vacuous")
