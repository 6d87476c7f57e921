"""Values in the renderers: SymPy's printer for exact values, the size grammar for
formula text, and never a re-reading of ``str()`` (issue 11)."""

import ast
import json
import pickle
from pathlib import Path

import pytest
import sympy

import symconv.render.latex as latex_module
from symconv.proof import ExactText
from symconv.render.math import expression_latex, formula_latex, value_math
from symconv.theorems import prove

RENDER = Path(__file__).resolve().parents[1] / "symconv" / "render"


@pytest.fixture(scope="module")
def dropout():
    return prove("dropout-test-scale", scale="p")


def test_a_counterexample_keeps_its_public_text_and_prints_its_exact_value(dropout):
    found = dropout.counterexample
    assert found["drop_probability"] == "1/3" and isinstance(found["drop_probability"], str)
    assert json.loads(dropout.to_json())["counterexample"]["holds only at"] == "p = 1/2"
    assert found["drop_probability"].value == sympy.Rational(1, 3)
    tex = dropout.latex()
    assert r"\texttt{drop\_probability} $= 1/3$" in tex
    assert r"2\,(w_{0}\,x_{0} + w_{1}\,x_{1} + w_{2}\,x_{2})/3" in tex
    assert r"\texttt{holds only at} $= p = 1/2$" in tex


def test_an_exact_value_survives_pickling(dropout):
    again = pickle.loads(pickle.dumps(dropout))
    assert again.counterexample["drop_probability"].value == sympy.Rational(1, 3)
    # (SymPy rebuilds an unevaluated product evaluated, so only the value is compared)
    assert r"\texttt{drop\_probability} $= 1/3$" in again.latex()


@pytest.mark.parametrize("value, latex", [
    (2 * sympy.Symbol("k_{0,1}") * sympy.Symbol("x_{0,2}") + sympy.Symbol("y") ** 2,
     r"2\,k_{0,1}\,x_{0,2} + y^{2}"),
    (-sympy.log(3) / 2 + sympy.log(2), r"- \operatorname{log}(3)/2 + \operatorname{log}(2)"),
    (1 / (1 - sympy.Symbol("p")), "1/(1 - p)"),
    (sympy.Rational(-2, 3), "- 2/3"),
    (sympy.Symbol("x") ** (sympy.Symbol("n") + 1), "x^{(n + 1)}"),
    (sympy.Symbol("epsilon") / (sympy.Symbol("sigma") ** 2 + 1), r"\epsilon/(\sigma^{2} + 1)"),
    (sympy.Symbol("a") / (sympy.Symbol("b") * sympy.Symbol("c")), r"a/(b\,c)"),
    (sympy.Eq(sympy.Symbol("p_before"), 2), r"p_{\mathrm{before}} = 2"),
    (sympy.Tuple(sympy.Rational(1, 2)), "(1/2,)"),
])
def test_sympy_values_print_in_symconvs_conventions(value, latex):
    assert expression_latex(value) == latex
    assert value_math(ExactText(value)) == latex


@pytest.mark.parametrize("text, latex", [
    ("n + d*(k - 1)", r"n + d\,(k - 1)"),  # as written: SymPy would put n last
    ("n - (k - s)", "n - (k - s)"),
    ("(n - 1)*s - 2*p + op + 1", r"(n - 1)\,s - 2\,p + \mathrm{op} + 1"),
    ("-n**2 // 3", r"\left\lfloor - n^{2}/3 \right\rfloor"),
    ("2.9", "2.9"),
])
def test_formula_text_is_typeset_as_written(text, latex):
    assert formula_latex(text) == latex == value_math(text)


@pytest.mark.parametrize("text", ["x**2 + sin(y)", "__import__('os')", "n; k", "x=(4,)"])
def test_other_text_is_never_read_as_an_expression(text):
    assert formula_latex(text) is None
    assert value_math(text).startswith(r"\text{")


def test_no_renderer_reads_text_back_into_sympy():
    """No ``sstr_latex``, ``parse_expr`` or ``sympify`` of text anywhere in render/."""
    found = []
    for path in sorted(RENDER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if name in ("sstr_latex", "parse_expr"):
                found.append((path.name, name))
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "S":
                found.append((path.name, "sympy.S() of text"))
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "sympify":
                if not any(k.arg == "strict" for k in node.keywords):
                    found.append((path.name, "sympify without strict=True"))
    assert found == []


def test_the_latex_writer_is_split_and_keeps_its_names():
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines())
             for path in RENDER.glob("*.py")}
    assert max(sizes.values()) <= 600, sizes
    for name in latex_module.__all__:
        assert getattr(latex_module, name) is not None
    assert {"value_math", "split_found", "display_latex", "escape_text", "texttt",
            "UNICODE_MATH", "fitted_columns"} <= set(latex_module.__all__)
