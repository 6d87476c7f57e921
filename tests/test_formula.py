"""Tests of the safe formula parser, the exact evaluator and check_formula."""

from __future__ import annotations

import ast
import inspect
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symconv import formula
from symconv.cli import main
from symconv.errors import FormulaError
from symconv.formula import (
    MAX_DEPTH,
    QUANTITIES,
    RANGES,
    SYMBOLS,
    VARIABLES,
    check_formula,
    evaluate,
    parse_formula,
    supported,
    truth_table,
)
from symconv.geometry import conv_output_size, pool_output_size, same_pads
from symconv.proof import Math

TORCH_CONV = "floor((n + 2*p - d*(k-1) - 1)/s + 1)"

# ---------------------------------------------------------------------------
# Documented formulas are proved
# ---------------------------------------------------------------------------

PROVED = [
    (TORCH_CONV, "output_size", "torch", None),
    ("(n-1)*s - 2*p + d*(k-1) + op + 1", "transposed_output_size", "torch", None),
    (TORCH_CONV, "pool_output_size", "torch", None),
    # PyTorch's ceil_mode rule: ceil, then drop a window starting in the right padding.
    ("min(ceil((n + 2*p - d*(k-1) - 1)/s) + 1, ceil((n + p)/s))", "pool_output_size_ceil",
     "torch", None),
    # Seed note 003 (TensorFlow VALID / SAME), stated without dilation.
    ("ceil((n - k + 1)/s)", "output_size", "tensorflow", {"d": 1}),
    ("ceil((n - d*(k-1))/s)", "output_size", "tensorflow", None),
    ("ceil(n/s)", "same_output_size", "tensorflow", None),
    # The note's SAME total pad "max(k - n mod s, 0), n mod s taken as s when it is 0".
    ("max(k - ((n - 1) % s + 1), 0)", "same_pad_total", "tensorflow", {"d": 1}),
    ("max(k - ((n - 1) % s + 1), 0) // 2", "same_pad_before", "keras", {"d": 1}),
    ("n*s + max(d*(k-1) + 1 - s, 0)", "transposed_output_size", "keras", None),
    ("(floor((n - d*(k-1) - 1)/s) + 1)*k", "macs", "tensorflow", None),
    ("d*(k-1)//2", "same_pad_before", "torch", None),
    ("n + k - 1", "full_length", "numpy", None),
    ("abs(n - k) + 1", "valid_length", "scipy", None),
]


@pytest.mark.parametrize("formula, quantity, convention, fixed", PROVED)
def test_documented_formulas_are_proved(formula, quantity, convention, fixed):
    proof = check_formula(formula, quantity, convention, fixed=fixed)
    assert proof.verdict == "proved", proof.counterexample
    assert proof.evidence[-1] == "exhaustive"
    assert proof.evidence in (["exhaustive"], ["parametric", "exhaustive"])
    if quantity != "macs":
        assert proof.evidence == ["parametric", "exhaustive"], quantity
    assert proof.counterexample is None
    assert proof.domain.startswith("every ") and "points)" in proof.domain
    if fixed:
        assert all(f"{v}={x}" in proof.domain for v, x in fixed.items())


def test_torch_conv_proof_names_its_domain_exactly():
    proof = check_formula(TORCH_CONV)
    assert proof.domain == (
        "every valid 1-D geometry with 1<=n<=64, 1<=k<=7, 1<=s<=4, 0<=p<=3, 1<=d<=3 where "
        "the dilated kernel fits the padded input, d*(k-1) + 1 <= n + 2*p (20216 points)")
    assert proof.parameters == {"formula": TORCH_CONV, "quantity": "output_size",
                                "convention": "torch"}
    assert proof.statement.startswith(TORCH_CONV + " is the output_size of a torch")


@pytest.mark.parametrize("quantity, convention", [
    pair for pair in QUANTITIES if pair[0] != "macs"])
def test_every_definition_proves_itself(quantity, convention):
    entry = QUANTITIES[quantity, convention]
    assert check_formula(entry.definition, quantity, convention).proved


# ---------------------------------------------------------------------------
# False formulas are refuted at the expected smallest counterexample
# ---------------------------------------------------------------------------

REFUTED = [
    ("floor((n + 2*p - d*(k-1) - 1)/s) + 2", "output_size", "torch", None,
     {"n": 1, "k": 1, "s": 1, "p": 0, "d": 1, "formula": 2, "truth": 1}),
    ("ceil((n + 2*p - d*(k-1) - 1)/s) + 1", "output_size", "torch", None,
     {"n": 2, "k": 1, "s": 2, "p": 0, "d": 1, "formula": 2, "truth": 1}),
    ("floor((n + 2*p - k)/s) + 1", "output_size", "torch", None,
     {"n": 1, "k": 2, "s": 1, "p": 1, "d": 2, "formula": 2, "truth": 1}),
    ("floor((n + p - d*(k-1) - 1)/s) + 1", "output_size", "torch", None,
     {"n": 1, "k": 1, "s": 1, "p": 1, "d": 1, "formula": 2, "truth": 3}),
    ("(n + 2*p - d*(k-1) - 1)/s + 1", "output_size", "torch", None,
     {"n": 2, "k": 1, "s": 2, "p": 0, "d": 1, "formula": sympy.Rational(3, 2), "truth": 1}),
    ("n/(s - 1)", "output_size", "torch", None,
     {"n": 1, "k": 1, "s": 1, "p": 0, "d": 1, "formula": "undefined (division by zero)",
      "truth": 1}),
    # PyTorch's documented ceil_mode formula without the right-padding rule.
    ("ceil((n + 2*p - d*(k-1) - 1)/s + 1)", "pool_output_size_ceil", "torch", None,
     {"n": 2, "k": 1, "s": 2, "p": 0, "d": 1, "formula": 2, "truth": 1}),
    ("max(k - n % s, 0)", "same_pad_total", "tensorflow", {"d": 1},
     {"n": 1, "k": 1, "s": 1, "d": 1, "formula": 1, "truth": 0}),
    ("max(k - ((n - 1) % s + 1), 0)", "same_pad_total", "tensorflow", None,
     {"n": 1, "k": 2, "s": 1, "d": 2, "formula": 1, "truth": 2}),
    ("ceil((n - k + 1)/s)", "output_size", "tensorflow", None,
     {"n": 3, "k": 2, "s": 1, "d": 2, "formula": 2, "truth": 1}),
    ("(n-1)*s + d*(k-1) + 1", "transposed_output_size", "keras", None,
     {"n": 1, "k": 1, "s": 2, "d": 1, "formula": 1, "truth": 2}),
    ("n - k + 1", "valid_length", "numpy", None, {"n": 1, "k": 2, "formula": 0, "truth": 2}),
    ("n", "same_length", "numpy", None, {"n": 1, "k": 2, "formula": 1, "truth": 2}),
    (TORCH_CONV + "*k", "macs", "torch", None,
     {"n": 1, "k": 1, "s": 1, "p": 1, "d": 1, "formula": 3, "truth": 1}),
]


@pytest.mark.parametrize("formula, quantity, convention, fixed, expected", REFUTED)
def test_false_formulas_are_refuted_at_the_smallest_point(formula, quantity, convention,
                                                          fixed, expected):
    proof = check_formula(formula, quantity, convention, fixed=fixed)
    assert proof.verdict == "refuted"
    assert proof.counterexample == expected
    last = proof.steps[-1]
    assert last.title == "Counterexample"
    assert f"the formula gives {expected['formula']}" in last.text


def test_counterexample_is_the_least_by_sum_then_lexicographic():
    formula, quantity, convention, _, expected = REFUTED[2]
    entry = QUANTITIES[quantity, convention]
    grid = np.array(np.meshgrid(*(np.arange(lo, hi + 1) for lo, hi in
                                  (RANGES[v] for v in entry.variables)), indexing="ij"))
    points = grid.reshape(len(entry.variables), -1).T
    expr = parse_formula(formula)
    failing = []
    for point in points.tolist():
        n, k, s, p, d = point
        if d * (k - 1) + 1 <= n + 2 * p and evaluate(expr, dict(zip("nkspd", point))) != \
                conv_output_size(n, k, s, p, p, d):
            failing.append(point)
    smallest = min(failing, key=lambda q: (sum(q), q))
    assert smallest == [expected[v] for v in entry.variables]


# ---------------------------------------------------------------------------
# The truth tables agree with independent oracles
# ---------------------------------------------------------------------------

def _points(quantity, convention):
    columns, truth, _ = truth_table(quantity, convention)
    rows = zip(*(c.tolist() for c in columns.values()))
    return [dict(zip(columns, row)) for row in rows], truth.tolist()


@pytest.mark.parametrize("convention, mode", [
    (c, m) for c in ("numpy", "scipy") for m in ("full", "valid", "same")])
def test_signal_lengths_match_numpy_and_scipy(convention, mode):
    signal = pytest.importorskip("scipy.signal")
    convolve = np.convolve if convention == "numpy" else signal.convolve
    points, truth = _points(f"{mode}_length", convention)
    actual = [len(convolve(np.ones(p["n"]), np.ones(p["k"]), mode)) for p in points]
    assert actual == truth


def test_pool_and_same_truths_match_geometry():
    points, truth = _points("pool_output_size_ceil", "torch")
    assert truth == [pool_output_size(q["n"], q["k"], q["s"], q["p"], q["p"], q["d"], True)
                     for q in points]
    points, truth = _points("same_pad_before", "jax")
    assert truth == [same_pads(q["n"], q["k"], q["s"], q["d"])[0] for q in points]


def test_torch_truths_match_torch_on_a_sample():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for quantity in ("output_size", "pool_output_size", "pool_output_size_ceil",
                     "transposed_output_size"):
        points, truth = _points(quantity, "torch")
        for i in rng.choice(len(points), 60, replace=False):
            q = points[i]
            x = torch.zeros(1, 1, q["n"])
            if quantity == "output_size":
                y = torch.nn.functional.conv1d(x, torch.zeros(1, 1, q["k"]), stride=q["s"],
                                               padding=q["p"], dilation=q["d"])
            elif quantity == "transposed_output_size":
                y = torch.nn.functional.conv_transpose1d(
                    x, torch.zeros(1, 1, q["k"]), stride=q["s"], padding=q["p"],
                    output_padding=q["op"], dilation=q["d"])
            else:
                y = torch.nn.functional.max_pool1d(
                    x, q["k"], q["s"], q["p"], q["d"], ceil_mode=quantity.endswith("ceil"))
            assert y.shape[-1] == truth[i], (quantity, q)


def test_macs_count_matches_a_dense_correlation_matrix():
    points, truth = _points("macs", "jax")
    for i in range(0, len(points), 997):
        q = points[i]
        n, k, s, d = q["n"], q["k"], q["s"], q["d"]
        pb, pa = q["p_before"], q["p_after"]
        out = conv_output_size(n, k, s, pb, pa, d)
        matrix = np.zeros((out, n))
        for row in range(out):
            for j in range(k):
                col = s * row + d * j - pb
                if 0 <= col < n:
                    matrix[row, col] = 1
        assert np.count_nonzero(matrix) == truth[i], q


# ---------------------------------------------------------------------------
# Bad arguments and hostile input
# ---------------------------------------------------------------------------

HOSTILE = [
    ("__import__('os')", "strings are not allowed at position 11"),
    ("__import__(os)", "unknown name '__import__'"),
    ("__import__('os').system('touch symconv_pwned')", "strings are not allowed"),
    ("n.__class__", "attribute access"),
    ("lambda: 1", "lambdas, slices and annotations are not allowed at position 6"),
    ("lambda n: n", "lambdas"),
    ("open('x')", "strings are not allowed"),
    ("open(n)", "unknown name 'open'"),
    ("eval(n)", "unknown name 'eval'"),
    ('"n"', "strings are not allowed"),
    ("[n]", "brackets"),
    ("{n}", "brackets"),
    ("n if 1 else 2", "unexpected 'if' after a complete expression at position 2"),
    ("n; k", "statement separators"),
    ("n == k", "comparisons"),
    ("n ^ k", "unexpected character '^'"),
    ("~n", "unexpected character '~'"),
    ("n and k", "unexpected 'and'"),
    ("9**9**9", "exponent"),
    ("n**k", "exponent of ** must be an integer literal"),
    ("2**2**2", "chained powers"),
    ("(n**2)**2", "nested powers"),
    ("n**2.5", "exponent"),
    ("1e999999", "malformed number '1e999999'"),
    ("2n", "malformed number '2n'"),
    ("1.2.3", "malformed number"),
    ("1" + "0" * 40, "41 digits"),
    ("(" * 10_000 + "n" + ")" * 10_000, "too long"),
    ("n+" * 500_000 + "n", "too long"),
    ("(" * (MAX_DEPTH + 1) + "n" + ")" * (MAX_DEPTH + 1), "nesting deeper than 50"),
    ("-" * (MAX_DEPTH + 1) + "n", "nesting deeper than 50"),
    ("+".join(["n"] * 120), "too many tokens"),
    ("", "empty formula"),
    ("   \t\n", "empty formula"),
    ("\uff4e + 1", "non-ASCII character"),          # fullwidth n
    ("n \u2212 1", "non-ASCII character"),          # minus sign
    ("\u043f + 1", "non-ASCII character"),          # Cyrillic pe
    ("n\u00a0+ 1", "non-ASCII character"),          # no-break space
    ("\u0663 + n", "non-ASCII character"),          # Arabic-Indic three
    ("n + 1\u200b", "non-ASCII character"),         # zero-width space
    ("floor", "must be called"),
    ("floor(n, k)", "floor() takes 1 argument(s), got 2"),
    ("max(n)", "max() takes 2 to 8 argument(s), got 1"),
    ("n(1)", "variable 'n' is not a function"),
    ("1/0", "division by zero at position 1"),
    ("n // (k - k)", "division by zero"),
    ("n % 0", "modulo by zero"),
    ("n +", "found the end of the formula"),
    ("n k", "unexpected 'k'"),
    ("(n", "expected ')'"),
    ("n)", "unexpected ')'"),
    (",", "expected a number"),
    ("x + 1", "unknown name 'x' (valid names: n, k, s, p"),
]


@pytest.mark.parametrize("text, message", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_rejected_with_a_message(text, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FormulaError, match="^formula: ") as info:
        parse_formula(text)
    assert message in str(info.value)
    assert not (tmp_path / "symconv_pwned").exists()
    assert not (tmp_path / "x").exists()


def test_the_parser_never_calls_an_evaluator():
    calls = [node.func for node in ast.walk(ast.parse(inspect.getsource(formula)))
             if isinstance(node, ast.Call)]
    names = {f.id for f in calls if isinstance(f, ast.Name)}
    methods = {f.attr for f in calls if isinstance(f, ast.Attribute)}
    assert not names & {"eval", "exec", "compile", "__import__", "getattr", "sympify"}
    assert not methods & {"sympify", "parse_expr", "lambdify", "S", "eval", "exec"}


@pytest.mark.parametrize("value", [None, b"n", 3, ["n"]])
def test_non_strings_are_rejected(value):
    with pytest.raises(FormulaError, match="must be a string"):
        parse_formula(value)


@pytest.mark.parametrize("kwargs, message", [
    ({"quantity": "volume"}, "unknown quantity 'volume'"),
    ({"quantity": "output_size", "convention": "numpy"},
     "valid conventions for it: torch, jax, tensorflow, keras"),
    ({"quantity": "same_length", "convention": "torch"}, "same_length: numpy, scipy"),
    ({"expr": "n + p", "quantity": "output_size", "convention": "tensorflow"},
     "variable 'p' is not a parameter of this quantity"),
    ({"expr": "n + pb", "quantity": "output_size", "convention": "torch"},
     "variable 'pb' is not a parameter"),
    ({"fixed": {"x": 1}}, "cannot fix 'x'"),
    ({"fixed": {"d": 9}}, "fixed d must be an integer in 1..3, got 9"),
    ({"fixed": {"d": True}}, "fixed d must be an integer"),
    ({"fixed": {"op": 0}}, "cannot fix 'op'"),
])
def test_check_formula_rejects_bad_arguments(kwargs, message):
    arguments = {"expr": "n", **kwargs}
    with pytest.raises(FormulaError) as info:
        check_formula(**arguments)
    assert message in str(info.value)


# Bad --fix options and fixed= arguments (issue 18): each a named error, exit 2.
@pytest.mark.parametrize("argv, message", [
    (["--fix", "pb=1"], "cannot fix 'pb': output_size (torch) has the variables n, k, s, p, d"),
    (["--fix", "n=3", "--fix", "n=4"], "--fix n is given twice (3 and 4)"),
    (["--fix", "d"], "--fix must look like NAME=VALUE (e.g. --fix d=1), got 'd'"),
    (["--fix", "=1"], "--fix must look like NAME=VALUE"),
    (["--fix", "d=x"], "--fix d must be an integer, got 'x'"),
    (["--fix", "d=1.5"], "--fix d must be an integer, got '1.5'"),
    (["--fix", "d=9"], "fixed d must be an integer in 1..3, got 9"),
    (["--convention", "jax", "--fix", "pb=1", "--fix", "p_before=2"],
     "p_before is fixed twice (as pb and p_before)"),
])
def test_bad_fix_options_are_named_errors_with_exit_2(argv, message, capsys):
    assert main(["check-formula", "n", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "--param" not in err and "Traceback" not in err


def test_an_alias_can_be_fixed_where_it_is_a_variable():
    proof = check_formula("floor((n + pb + pa - d*(k-1) - 1)/s) + 1", "output_size", "jax",
                          fixed={"pb": 1})
    assert proof.verdict == "proved" and "p_before=1" in proof.domain


@pytest.mark.parametrize("fixed, message", [
    ("d=1", "fixed must be a mapping of variable names to integers, e.g. {'d': 1}, "
            "got 'd=1' (str)"),
    (["d"], "got ['d'] (list)"),
    ({"d": "1"}, "fixed d must be an integer in 1..3, got '1'"),
    ({"d": 1.0}, "fixed d must be an integer in 1..3, got 1.0"),
    ({3: 1}, "cannot fix 3"),
    ({"pb": 1}, "cannot fix 'pb'"),
])
def test_bad_fixed_arguments_are_formula_errors(fixed, message):
    with pytest.raises(FormulaError) as info:
        check_formula("n", "output_size", fixed=fixed)
    assert message in str(info.value)


def test_symbols_carry_exactly_the_domain_assumptions():
    assert all(SYMBOLS[v].is_positive and SYMBOLS[v].is_integer for v in "nksd")
    for v in ("p", "p_before", "p_after", "op"):
        assert SYMBOLS[v].is_nonnegative and SYMBOLS[v].is_zero is None
    assert parse_formula("abs(p - d)") == sympy.Abs(SYMBOLS["p"] - SYMBOLS["d"])


def test_aliases_and_decimals_are_read_exactly():
    assert parse_formula("pb + pa") == parse_formula("p_before + p_after")
    assert parse_formula("0.1 + 0.2") == sympy.Rational(3, 10)
    assert check_formula("floor((n + pb + pa - d*(k-1) - 1)/s) + 1", "output_size",
                         "jax").proved


# ---------------------------------------------------------------------------
# Agreement with Python's own arithmetic
# ---------------------------------------------------------------------------

def _ceil(x):
    return -(-Fraction(x) // 1)


def _exact(value):
    return int(value) if Fraction(value).denominator == 1 else Fraction(value)


REFERENCE = [
    ("floor((n + 2*p - d*(k - 1) - 1)/s) + 1", lambda n, k, s, p, d, **_:
     (n + 2 * p - d * (k - 1) - 1) // s + 1),
    ("n % s - (k - n) % s", lambda n, k, s, **_: n % s - (k - n) % s),
    ("(n - 7) % -s", lambda n, s, **_: (n - 7) % -s),
    ("-n // s + n // -k", lambda n, k, s, **_: -n // s + n // -k),
    ("-2**2 + n", lambda n, **_: -2**2 + n),
    ("n**2 - k**3 // s", lambda n, k, s, **_: n**2 - k**3 // s),
    ("max(n, k) - min(n, k, s) + abs(p - d)", lambda n, k, s, p, d, **_:
     max(n, k) - min(n, k, s) + abs(p - d)),
    ("ceil(n / s) + n / (k + 1)", lambda n, k, s, **_: _ceil(Fraction(n, s)) + Fraction(n, k + 1)),
    ("ceiling((n - k)/(s + 1)) * 3 // 2", lambda n, k, s, **_:
     _ceil(Fraction(n - k, s + 1)) * 3 // 2),
    ("0.5 * n + 1.25", lambda n, **_: Fraction(1, 2) * n + Fraction(5, 4)),
    ("n / (s - 1) + k", lambda n, k, s, **_: Fraction(n, s - 1) + k),
    ("(n - 1) % (s - 1)", lambda n, s, **_: (n - 1) % (s - 1)),
    ("max(k - ((n - 1) % s + 1), 0)", lambda n, k, s, **_: max(k - ((n - 1) % s + 1), 0)),
    ("pb - pa * op + p_before // (op + 1)", lambda p_before, p_after, op, **_:
     p_before - p_after * op + p_before // (op + 1)),
    ("floor(n/3 - k/7) % (s/2)", lambda n, k, s, **_:
     Fraction(math.floor(Fraction(n, 3) - Fraction(k, 7))) % Fraction(s, 2)),
    ("abs(k - n) * min(n / s, k)", lambda n, k, s, **_: abs(k - n) * min(Fraction(n, s), k)),
]

POINTS = st.fixed_dictionaries({
    name: st.integers(1 if name in ("n", "k", "s", "d") else 0, 10**6)
    | st.integers(1 if name in ("n", "k", "s", "d") else 0, 9)
    for name in VARIABLES})


@pytest.mark.parametrize("text, reference", REFERENCE, ids=[r[0] for r in REFERENCE])
@settings(max_examples=60, deadline=None)
@given(point=POINTS)
def test_parsed_formula_agrees_with_python_arithmetic(text, reference, point):
    try:
        expected = _exact(reference(**point))
    except ZeroDivisionError:
        expected = None
    assert evaluate(parse_formula(text), point) == expected


# ---------------------------------------------------------------------------
# Fuzz: the parser returns an expression or raises FormulaError, nothing else
# ---------------------------------------------------------------------------

ALPHABET = ["n", "k", "s", "p", "pb", "pa", "p_before", "d", "op", "x", "__import__",
            "floor", "ceil", "ceiling", "max", "min", "abs", "lambda", "0", "1", "2", "7",
            "0.5", "12.25", "9" * 31, "1e9", "+", "-", "*", "/", "//", "%", "**", "(", ")",
            ",", ".", "'", "[", "=", ";", "\u2212", " "]
# Drawn as text over one code letter per token (much faster than lists), then decoded.
_CODES = {chr(ord("A") + i): token for i, token in enumerate(ALPHABET)}
NEAR_VALID = st.text(alphabet="".join(_CODES), max_size=20).map(
    lambda codes: "".join(_CODES[c] for c in codes))
FUZZ_POINT = {"n": 5, "k": 3, "s": 2, "p": 1, "p_before": 0, "p_after": 1, "d": 2, "op": 1}
ALLOWED_NODES = (sympy.Integer, sympy.Rational, sympy.Symbol, sympy.Add, sympy.Mul, sympy.Pow,
                 sympy.Mod, sympy.floor, sympy.ceiling, sympy.Max, sympy.Min, sympy.Abs)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # budget: the profile
@given(text=st.text(max_size=40) | NEAR_VALID)
def test_fuzz_parser_returns_an_expression_or_raises_formula_error(text):
    try:
        expr = parse_formula(text)
    except FormulaError as error:
        assert str(error).startswith("formula: ")
        return
    assert isinstance(expr, sympy.Expr)
    assert all(isinstance(node, ALLOWED_NODES) for node in sympy.preorder_traversal(expr))
    value = evaluate(expr, FUZZ_POINT)
    assert value is None or isinstance(value, (int, Fraction))
    if value is not None:
        exact = expr.subs({SYMBOLS[v]: x for v, x in FUZZ_POINT.items()})
        assert sympy.Rational(value) == exact


# ---------------------------------------------------------------------------
# The proof object
# ---------------------------------------------------------------------------

def test_proof_steps_form_a_katex_safe_derivation():
    proof = check_formula("floor((n + p - d*(k-1) - 1)/s) + 1")
    assert [s.title for s in proof.steps] == ["Claim", "Definition", "Domain", "Counterexample"]
    latex = [m.latex for step in proof.steps for m in step.math if isinstance(m, Math)]
    latex.append(proof.statement_latex)
    for forbidden in ("align*", r"\cline", r"\multicolumn", "$"):
        assert not any(forbidden in tex for tex in latex)
    assert r"\left\lfloor" in proof.statement_latex
    assert "20216 points" in proof.steps[2].text
    assert "off by -1" in proof.steps[-1].text
    assert proof.to_dict()["counterexample"]["truth"] == 3
    assert "Refuted" in proof.text()


def test_supported_lists_every_pair_once():
    pairs = [(q, c) for q, cs in supported().items() for c in cs]
    assert sorted(pairs) == sorted(QUANTITIES)
    assert len(pairs) == 49


def test_wrong_formulas_are_refuted_on_the_whole_domain():
    # how fast one check is: benchmarks/run.py, figure 8
    for text, quantity, convention in [
            ("floor((n + pb + pa - d*(k-1) + 5)/s) - 1", "output_size", "jax"),
            (TORCH_CONV + " * k + 1", "macs", "torch")]:
        proof = check_formula(text, quantity, convention)
        assert proof.verdict == "refuted" and proof.counterexample is not None


def test_a_cancelled_division_by_zero_is_still_undefined():
    # SymPy cancels (s-1)/(s-1) while parsing; the guard keeps s = 1 undefined.
    from symconv.formula import parse_formula_guarded

    expr, guards = parse_formula_guarded("n*(s - 1)/(s - 1)")
    assert str(expr) == "n" and [str(g) for g in guards] == ["s - 1"]
    p = check_formula("(floor((n + 2*p - d*(k - 1) - 1)/s) + 1)*(s-1)/(s-1)",
                      quantity="output_size")
    assert p.verdict == "refuted" and p.counterexample["s"] == 1
    assert p.counterexample["formula"].startswith("undefined")


def test_a_division_by_zero_only_at_a_large_size_is_refuted_not_proved_for_all_sizes():
    p = check_formula("(floor((n + 2*p - d*(k - 1) - 1)/s) + 1)*(n-1000)/(n-1000)",
                      quantity="output_size")
    assert p.verdict == "refuted" and p.counterexample["n"] == 1000
    assert "parametric" not in p.evidence


def test_a_harmless_written_divisor_keeps_the_proof_for_all_sizes():
    p = check_formula("(floor((n + 2*p - d*(k - 1) - 1)/s) + 1)*(s+1)/(s+1)",
                      quantity="output_size")
    assert p.verdict == "proved" and p.evidence == ["parametric", "exhaustive"]
