"""Checking a size formula against the truth: exhaustively on a finite domain, for all
sizes by the prover and the SMT judge, and at large sizes by a search.

The formula is read by :mod:`symconv.sizes.parse`, evaluated by :mod:`symconv.sizes.exact`
and compared with :mod:`symconv.sizes.quantities`.


A user formula such as ``floor((n + 2*p - d*(k - 1) - 1)/s) + 1`` is read with
the grammar ``symconv/grammars/formula.lark`` (Lark, through :mod:`symconv.grammar`)
into a tree of :class:`Node` exactly as written (:func:`parse_tree`); no SymPy is
involved, so nothing is simplified. The text never reaches ``eval``, ``exec``,
``compile``, ``sympify`` or ``parse_expr``. Exact evaluation (:func:`evaluate_many`)
runs on that tree with our own integer and rational arithmetic. The SymPy form handed to the
prover for all sizes (:func:`to_sympy`, :func:`parse_formula`) is built from
the tree without ``Mod``, and :func:`check_formula` checks that it agrees with
the tree on the whole finite domain and on the large-size sample before it is
used to prove anything.

Grammar (the file says it exactly; Python's precedence, ``**`` binds tighter than unary minus)::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/" | "//" | "%") factor)*
    factor := ("+" | "-") factor | power
    power  := atom ["**" INTEGER]          exponent: a literal 0..8, no nesting
    atom   := NUMBER | VARIABLE | FUNCTION "(" expr ("," expr)* ")" | "(" expr ")"

``/`` is exact (a SymPy ``Rational``), ``//`` is floor division and ``%`` is
Python's floor-based remainder. Numbers are ASCII integers or decimals such as
``0.5`` (read exactly), at most 30 digits. Functions: ``floor``, ``ceil``
(= ``ceiling``), ``max``, ``min`` (2 to 8 arguments) and ``abs``.

Variables (one spatial axis):

==============================  =================================================
``n``                           input size
``k``                           kernel size
``s``                           stride
``p``                           symmetric padding (each side)
``p_before`` (``pb``)           padding before (left)
``p_after`` (``pa``)            padding after (right)
``d``                           dilation
``op``                          output_padding of a transposed convolution
==============================  =================================================

Limits: at most 500 characters, 200 tokens and nesting depth 50. Every
rejection is a :class:`~symconv.errors.FormulaError` naming what is wrong and
where (a 0-based character position).

:func:`check_formula` compares a formula with the true value of a quantity
under a framework's convention at every point of a finite 1-D domain
(see :data:`QUANTITIES` and :func:`supported`).

Examples
--------
>>> from symconv.sizes.parse import parse_formula
>>> parse_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1")
floor((-d*(k - 1) + n + 2*p - 1)/s) + 1
>>> parse_formula("n.__class__")
Traceback (most recent call last):
    ...
symconv.errors.FormulaError: formula: attribute access ('.') is not allowed at position 1
>>> check_formula("ceil(n/s)", "same_output_size", "tensorflow").verdict
'proved'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy

from ..errors import FormulaError
from ..proof import Math, Proof, Step
from ..prover import budget
from .decide import decide_formula
from .definitions import formula_proof
from .exact import evaluate, evaluate_many, undefined_by_guards
from .finite_domain import (
    domain_columns,
    domain_latex,
    domain_ranges,
    explain_value,
    fixed_values,
    formula_value,
    relation_latex,
    smallest_failure,
)
from .large import large_points, large_search
from .parse import (
    SYMBOLS,
    Node,
    parse_with_divisors,
    to_sympy,
)
from .quantities import Columns, Quantity, lookup
from .typeset import code, formula_prose, layer_prose, point_prose


def _tex_name(quantity: str) -> str:
    return r"\mathrm{" + quantity.replace("_", r"\_") + "}"


def _value_tex(value: Any) -> str:
    return r"\text{undefined}" if isinstance(value, str) else sympy.latex(value)


def _steps(text: str, expr: sympy.Expr, entry: Quantity, domain: str, points: int,
           counterexample: dict[str, Any] | None, failures: int) -> list[Step]:
    name = _tex_name(entry.quantity)
    steps = [
        Step("Claim", f"The formula {formula_prose(text)} claims to give the "
             f"{entry.quantity} of a {layer_prose(entry.layer)}. It is evaluated "
             "exactly as written (Python's arithmetic, `%` included); below is its SymPy form "
             r"($a \% b$ written $a - b \left\lfloor a/b \right\rfloor$), which serves only "
             "the proof for all sizes:",
             (Math(f"{name} = {sympy.latex(expr)}", f"{entry.quantity} = {expr}"),)),
        Step("Definition", f"Under the {entry.convention} convention the "
             f"{entry.quantity} of a {layer_prose(entry.layer)} is {entry.meaning}; "
             "as a formula:",
             (Math(f"{name} = {entry.definition_latex}",
                   f"{entry.quantity} = {entry.definition}"),)),
        Step("Domain", f"Both sides are evaluated exactly (integers and rationals, no floats) "
             f"at every point of the domain, {domain}; {points} points checked."),
    ]
    if counterexample is None and points:
        steps.append(Step("Finite domain", f"The formula equals the {entry.quantity} "
                          f"at all {points} points of the domain $D$ above. That is "
                          "exhaustive evidence on $D$ only; the claim is about all sizes."))
    if counterexample is None:
        return steps
    point = {v: counterexample[v] for v in entry.variables}
    at = r",\ ".join(f"{sympy.latex(SYMBOLS[v])}={x}" for v, x in point.items())
    formula, truth = counterexample["formula"], counterexample["truth"]
    order = ", ".join(sympy.latex(SYMBOLS[v]) for v in entry.variables)
    steps.append(Step(
        "Counterexample",
        f"The formula disagrees at {failures} of {points} points. The smallest (least sum of "
        f"the variables, then lexicographically in the order ${order}$) is "
        f"{point_prose(point)}: the formula gives {formula}, the "
        f"truth is {truth}; {explain_value(formula, truth)}.",
        (Math(rf"\left. {sympy.latex(expr)} \right|_{{{at}}} = {_value_tex(formula)} "
              rf"\neq {truth}", f"formula = {formula}, truth = {truth}"),)))
    return steps


def truth_table(quantity: str, convention: str, fixed: Mapping[str, int] | None = None
                ) -> tuple[Columns, np.ndarray, str]:
    """The domain of a quantity, its true values there, and the domain in words.

    Examples
    --------
    >>> columns, truth, words = truth_table("same_pad_total", "torch")
    >>> columns["k"][:4].tolist(), columns["d"][:4].tolist(), truth[:4].tolist()
    ([1, 1, 1, 2], [1, 2, 3, 1], [0, 0, 0, 1])
    >>> words
    'every 1-D point with 1<=k<=7, 1<=d<=3 (21 points)'
    """
    entry = lookup(quantity, convention)
    columns, words = domain_columns(entry, domain_ranges(entry, dict(fixed or {})))
    return columns, np.asarray(entry.truth(columns), dtype=np.int64), words


def check_formula(expr: str, quantity: str = "output_size", convention: str = "torch", *,
                  fixed: Mapping[str, int] | None = None) -> Proof:
    """Check a size formula against the true quantity on every point of a 1-D domain.

    Parameters
    ----------
    expr : str
        The formula, in the grammar of :func:`parse_formula`; it may use only the
        variables of the chosen quantity.
    quantity : str
        One of :func:`supported` (``output_size``, ``pool_output_size_ceil``, ...).
    convention : str
        A convention defined for ``quantity``; the pairs and their meaning:

        - ``output_size``: torch = ``Conv1d(padding=p)`` (n, k, s, p, d); jax =
          ``conv_general_dilated`` with explicit ``[(p_before, p_after)]``;
          tensorflow, keras = ``padding='VALID'`` (n, k, s, d, no padding variable).
        - ``transposed_output_size``: torch = ``ConvTranspose1d`` (n, k, s, p, d, op);
          keras, tensorflow = ``(tf.)keras Conv1DTranspose(padding='valid',
          output_padding=None)``, jax = ``lax.conv_transpose(padding='VALID')`` (n, k, s, d).
        - ``transposed_same_output_size``: the same layers with SAME padding (n, k, s, d).
        - ``pool_output_size`` / ``pool_output_size_ceil``: torch = ``MaxPool1d``
          with ``ceil_mode`` False / True (n, k, s, p, d; ``2p <= k``); tensorflow,
          keras = VALID pooling (n, k, s).
        - ``same_output_size``, ``same_pad_total``, ``same_pad_before``,
          ``same_pad_after``: tensorflow, keras, jax = ``padding='SAME'`` (odd pixel
          after); torch = ``padding='same'``, defined at stride 1 only.
        - ``full_length``, ``valid_length``, ``same_length``: numpy =
          ``np.convolve``, scipy = ``scipy.signal.convolve`` (n, k; any k).
        - ``receptive_field`` (k, d), ``params`` (k), ``macs`` (as ``output_size``):
          one layer, one channel in and out, no bias; torch, tensorflow, keras, jax.
    fixed : mapping of str to int, optional
        Hold some variables at one value, e.g. ``{"d": 1}`` for a formula that
        ignores dilation; the domain then says so.

    Returns
    -------
    Proof
        The formula is read as a tree of the text exactly as written
        (:func:`parse_tree`) and evaluated exactly on it; the verdict is about all
        sizes (``scope="all sizes"``):

        - ``"refuted"``: the smallest failing point of the finite domain (least sum
          of the variables, then lexicographic) with both values; or, when the
          domain agrees, the smallest failing point among seeded random, boundary
          and targeted points (around every constant of the formula and the values
          its parts take at small sizes, up to :data:`TARGET_CAP`), judged by the
          quantity's closed form proved for all sizes; the domain then names that
          sample.
        - ``"proved"`` with evidence ``["parametric", "exhaustive"]``: the domain
          agrees, the SymPy form (:func:`to_sympy`) agrees with the tree at every
          point of the domain and of the large sample, and :mod:`symconv.prover`
          proves that form equal to the truth for all sizes.
        - ``"verified"`` with evidence ``["exhaustive"]``: the domain D (named in
          ``domain``) and the large sample agree but there is no proof for all
          sizes: none found, the proof search ran out of
          :data:`symconv.prover.budget.PROOF_BUDGET` (a step says "undecided within
          budget"), or the SymPy form differs from the tree somewhere (a step says
          so and the form is not used).
        - ``"vacuous"`` with no evidence: the ``fixed`` values leave no point in the
          finite domain (e.g. ``p=3, k=1`` for pooling, which needs ``2p <= k``);
          nothing is checked or proved.

    Raises
    ------
    FormulaError
        For a formula outside the grammar, an unknown quantity or convention, or a
        bad ``fixed`` (not a mapping; an unknown, repeated or out-of-range name).

    Examples
    --------
    >>> p = check_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1")
    >>> p.verdict, p.evidence
    ('proved', ['parametric', 'exhaustive'])
    >>> print(p.domain)
    every valid 1-D geometry with 1<=n<=64, 1<=k<=7, 1<=s<=4, 0<=p<=3, 1<=d<=3 where the
    dilated kernel fits the padded input, d*(k-1) + 1 <= n + 2*p (20216 points)
    >>> check_formula("max(k - n % s, 0)", "same_pad_total", "tensorflow",
    ...               fixed={"d": 1}).counterexample
    {'n': 1, 'k': 1, 's': 1, 'd': 1, 'formula': 1, 'truth': 0}
    >>> check_formula("12345", "pool_output_size", fixed={"p": 3, "k": 1}).verdict
    'vacuous'
    """
    entry = lookup(quantity, convention)
    fixed = fixed_values(entry, fixed)
    tree, divisors = parse_with_divisors(expr, entry.variables)
    parsed = to_sympy(tree)
    columns, truth, domain = truth_table(quantity, convention, fixed)
    num, den, undefined = evaluate_many(tree, columns)
    failing = undefined | np.asarray(num != truth.astype(object) * den, dtype=bool)
    counterexample = None
    if failing.any():
        i = smallest_failure(failing, columns)
        counterexample = {v: int(columns[v][i]) for v in entry.variables}
        counterexample["formula"] = formula_value(num[i], den[i], bool(undefined[i]))
        counterexample["truth"] = int(truth[i])
    parameters: dict[str, Any] = {"formula": expr, "quantity": quantity,
                                  "convention": convention}
    if fixed:
        parameters["fixed"] = fixed
    points = len(truth)
    words = domain_latex(entry, domain_ranges(entry, fixed), points)
    steps = _steps(expr, parsed, entry, words, points, counterexample, int(failing.sum()))
    evidence = ["exhaustive"]
    if points == 0:
        evidence = []
        steps.append(_empty_domain_step(entry, fixed))
    elif counterexample is None:
        counterexample, evidence, domain, more = _beyond_the_domain(
            tree, divisors, entry, fixed, columns, domain)
        steps += more
    if counterexample is not None:
        verdict, evidence = "refuted", []
    elif points == 0:
        verdict = "vacuous"
    else:
        verdict = "proved" if "parametric" in evidence else "verified"
    return Proof(
        theorem="formula",
        statement=f"{expr.strip()} is the {quantity} of a {entry.layer}",
        statement_latex=f"{_tex_name(quantity)} = {sympy.latex(parsed)}",
        parameters=parameters,
        verdict=verdict,
        evidence=evidence,
        counterexample=counterexample,
        steps=steps,
        domain=domain,
        scope="all sizes",
    )


def _empty_domain_step(entry: Quantity, fixed: Mapping[str, int]) -> Step:
    held = point_prose(fixed)
    condition = relation_latex(entry.condition) or "the domain"
    return Step("Empty domain", f"With {held} held fixed no point of the finite domain "
                f"satisfies {condition}: nothing was checked, and no "
                "proof for all sizes was attempted (with these values the conditions may hold "
                "nowhere, and a proof under unsatisfiable assumptions says nothing). The "
                "check is vacuous (verdict 'vacuous').")


def _beyond_the_domain(tree: Node, divisors: Sequence[Node], entry: Quantity,
                       fixed: Mapping[str, int], columns: Columns, domain: str
                       ) -> tuple[dict[str, Any] | None, list[str], str, list[Step]]:
    """After the finite domain passed: the reading check, the proof for all sizes, or
    the search at large sizes. Returns the counterexample, evidence, domain and steps."""

    parsed = to_sympy(tree)
    guards = tuple(dict.fromkeys(g for g in map(to_sympy, divisors) if not g.is_number))
    large = large_points(tree, entry, fixed, columns)
    mismatch = _reading_mismatch(tree, parsed, guards, (columns, large))
    size = len(next(iter(large.values()))) if large else 0
    if mismatch is not None:
        steps = [Step("SymPy form not used", "The SymPy form of the formula, "
                      f"${sympy.latex(parsed)}$, differs from the formula as written at "
                      f"{mismatch}. SymPy rewrote the formula as it built it, so that form "
                      "is not used to prove anything: only the exact evaluation of the text "
                      "as written decides, and the claim is at most verified on a finite "
                      "domain.")]
        counterexample, words, more = large_search(tree, entry, fixed, large)
        return counterexample, ["exhaustive"], words, steps + more
    steps = [Step("Reading check", "The SymPy form handed to the prover for all sizes was "
                  "evaluated exactly and independently of the formula as written (its text "
                  f"read as a tree, Python's arithmetic) at every point of the domain and at "
                  f"{size} large points: they agree at every one.")]
    try:
        for_all = formula_proof(parsed, entry.quantity, entry.convention, dict(fixed),
                                divisors=guards)
    except budget.ProofBudgetExceeded:
        for_all = None
        steps.append(Step("Proof search out of budget", "The search for a proof for all "
                          f"sizes used up its budget of {budget.PROOF_BUDGET} steps "
                          "(symconv.prover.budget.PROOF_BUDGET) and stopped: undecided within "
                          "budget, so the claim is not proved for all sizes."))
    if for_all is not None and for_all.check():
        return None, ["parametric", "exhaustive"], domain, steps + for_all.steps()
    counterexample, words, more = large_search(tree, entry, fixed, large)
    if counterexample is not None:  # the ordered search's point is smaller than a model
        return counterexample, ["exhaustive"], words, steps + more

    decision = decide_formula(parsed, entry, dict(fixed), guards)
    steps += decision.steps
    if decision.proved:
        return None, ["parametric", "exhaustive"], domain, steps
    found = decision.counterexample
    if found is not None and _written_value(tree, entry, found) == found["formula"]:
        return found, ["exhaustive"], "all valid sizes (SMT model)", steps
    return None, ["exhaustive"], words, steps + more


def _written_value(tree: Node, entry: Quantity, point: Mapping[str, Any]) -> Any:
    """The formula as written (the tree) at a solver's model, as the counterexample shows it."""
    value = evaluate(tree, {v: int(point[v]) for v in entry.variables})
    if value is None:
        return "undefined (division by zero)"
    return int(value) if isinstance(value, int) else sympy.Rational(value.numerator,
                                                                    value.denominator)


def _reading_mismatch(tree: Node, parsed: sympy.Expr, guards: Sequence[sympy.Expr],
                      samples: Sequence[Columns]) -> str | None:
    """The first point where the SymPy form and the tree (the text) differ, in words."""
    for columns in samples:
        if not columns or not len(next(iter(columns.values()))):
            continue
        t_num, t_den, t_bad = evaluate_many(tree, columns)
        try:
            s_num, s_den, s_bad = evaluate_many(parsed, columns)
            s_bad = s_bad | undefined_by_guards(guards, columns)
        except FormulaError as error:
            return f"every point: the SymPy form cannot be evaluated ({code(str(error))})"
        differ = (t_bad != s_bad) | (~t_bad & np.asarray(t_num * s_den != s_num * t_den,
                                                          dtype=bool))
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            at = point_prose({v: int(c[i]) for v, c in columns.items()})
            written = formula_value(t_num[i], t_den[i], bool(t_bad[i]))
            read = formula_value(s_num[i], s_den[i], bool(s_bad[i]))
            return (f"{at} (as written: {written}; SymPy form: "
                    f"{read})")
    return None

