"""The grammar toolkit: every grammar loads, errors point into the text, nothing is evaluated."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symconv.errors import FormulaError, SymconvError
from symconv.grammar import grammar_names, grammar_text, parse, parser


@pytest.mark.parametrize("name", grammar_names())
def test_every_grammar_file_builds_a_parser(name):
    assert grammar_text(name).strip()
    assert parser(name) is parser(name)  # built once per process


def test_an_unknown_grammar_is_named():
    with pytest.raises(SymconvError, match="grammar must be one of"):
        grammar_text("nope")


@pytest.mark.parametrize(
    ("text", "column", "found"),
    [("a + * 2", 5, "unexpected '*'"), ("a +", 4, "the text ends"), ("a $ b", 3, "unexpected '$'"),
     ("", 1, "the text ends")],
)
def test_a_parse_error_names_the_column_and_what_was_found(text, column, found):
    with pytest.raises(FormulaError) as info:
        parse("example", text, parameter="expr")
    message = str(info.value)
    assert message.startswith(f"expr is not valid text at column {column}: {found}")
    caret_line = message.splitlines()[2]
    assert caret_line.index("^") == 2 + column - 1


def test_non_text_is_refused():
    with pytest.raises(FormulaError, match="must be text"):
        parse("example", 12, parameter="expr")


@given(st.text(max_size=40))
def test_any_text_parses_or_is_a_named_error(text):
    try:
        parse("example", text, parameter="expr")
    except FormulaError:
        pass
