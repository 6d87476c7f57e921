"""Domains of sizes read from text: every bound form, and every bad bound named."""

import pytest

from symconv.domain import DomainError, domain_points_count, domain_text, parse_domain

DEFAULTS = {"n": (1, 6), "K": (1, 3), "s": (1, 2)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DEFAULTS),
        (None, DEFAULTS),
        ("1 <= n <= 8", {**DEFAULTS, "n": (1, 8)}),
        ("n <= 8", {**DEFAULTS, "n": (1, 8)}),
        ("n < 8", {**DEFAULTS, "n": (1, 7)}),
        ("n >= 2", {**DEFAULTS, "n": (2, 6)}),
        ("n > 2", {**DEFAULTS, "n": (3, 6)}),
        ("8 >= n >= 3", {**DEFAULTS, "n": (3, 8)}),
        ("s = 2", {**DEFAULTS, "s": (2, 2)}),
        ("s == 2", {**DEFAULTS, "s": (2, 2)}),
        ("K in 2..4", {**DEFAULTS, "K": (2, 4)}),
        ("n <= 5, n >= 2", {**DEFAULTS, "n": (2, 5)}),
        ("-2 <= K <= -1", {**DEFAULTS, "K": (-2, -1)}),
    ],
)
def test_every_bound_form_reads_as_its_range(text, expected):
    assert parse_domain(text, names=tuple(DEFAULTS), defaults=DEFAULTS) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x <= 3", "size name must be one of the size names, got 'x'"),
        ("n <= K", "must relate exactly one size name to integers"),
        ("1 <= 2", "must relate exactly one size name to integers"),
        ("n <= 1 <= 3", "integers on either side"),
        ("n = 2, n = 3", "must leave at least one value, but 3 > 2"),
        ("4 <= n <= 3", "must leave at least one value"),
        ("n <=", "not valid text at column 5: the text ends"),
        ("n 3", "expected: a comparison"),
        ("n in 3", "expected: '..'"),
        ("n <= 3,", "not valid text"),
        ("__import__('os')", "not valid text"),
    ],
)
def test_a_bad_bound_is_named(text, message):
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_domain(text, names=tuple(DEFAULTS), defaults=DEFAULTS)


def test_a_one_sided_bound_without_a_default_is_refused():
    with pytest.raises(DomainError, match="must bound the size on both sides"):
        parse_domain("m >= 2")
    assert parse_domain("2 <= m <= 4") == {"m": (2, 4)}


def test_count_and_text_describe_the_box():
    ranges = parse_domain("1 <= n <= 8, s = 2", names=("n", "s"), defaults={"s": (1, 3)})
    assert domain_points_count(ranges) == 8
    assert domain_text(ranges) == "s = 2, 1 <= n <= 8"  # defaults first, in their order
    assert parse_domain(domain_text(ranges)) == ranges
