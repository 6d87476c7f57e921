"""Per-axis values on the command line, read with the grammar grammars/per_axis.lark."""

import pytest

from symconv.cli import UsageError, main, parse_padding, parse_param, parse_sizes

READ = [
    ("5,5", (5, 5)), ("2", 2), (" 5 , 4 ", (5, 4)), ("-1", -1), ("+3", 3), ("5,5,5", (5, 5, 5)),
]


@pytest.mark.parametrize("text, value", READ)
def test_sizes_are_read(text, value):
    assert parse_sizes("--input", text) == value


@pytest.mark.parametrize("text, value", [
    ("1", 1), ("1,0", (1, 0)), ("1:2", ((1, 2), (1, 2))), ("0:1, 1:0", ((0, 1), (1, 0))),
    ("same", "same"),
])
def test_paddings_are_read(text, value):
    assert parse_padding(text, 2) == value


@pytest.mark.parametrize("text, item", [
    ("x", "x"), ("5,x", "x"), ("5,", ""), (",5", ""), ("", ""), ("1:2", "1:2"), ("1.5", "1.5"),
    ("5;5", "5;5"), ("5,\u0665", "\u0665"), ("1_0", "1_0"), ("5 5", "5 5"),
])
def test_a_bad_size_names_the_item(text, item):
    with pytest.raises(UsageError) as info:
        parse_sizes("--input", text)
    assert str(info.value) == ("--input must be an integer or a comma-separated list of "
                               f"integers, got {item!r}")


@pytest.mark.parametrize("text", ["1:2:3", "1,0:1", "1:", ":1", "\u0661:2"])
def test_a_bad_padding_lists_the_forms(text):
    with pytest.raises(UsageError, match=rf"^--padding must be an integer \(1\).*got {text!r}$"):
        parse_padding(text, 2)


def test_a_param_that_is_not_integers_stays_a_word():
    assert parse_param("x=\u0665") == ("x", "\u0665") and parse_param("x=1,2") == ("x", (1, 2))


def test_the_cli_exits_2_on_a_non_ascii_digit(capsys):
    assert main(["prove", "transpose", "--input", "\u0665,5"]) == 2
    assert "--input must be" in capsys.readouterr().err
