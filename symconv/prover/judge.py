"""A second, independent judge for claims about all sizes: SMT certificates (z3).

A claim ``lhs = rhs`` over integer variables, under hypotheses ``a >= 0`` (a valid
geometry), is translated into one SMT query over the integers and the solver is asked
for a model of its negation. The translation never uses the solver's own ``div`` or
``mod``: every ``floor(N/D)`` gets an explicit quotient ``q`` and remainder ``r`` with
their defining constraints

.. math:: N = D q + r, \\quad 0 \\le r < D \\ (D > 0), \\qquad D < r \\le 0 \\ (D < 0),

after the denominators of the rational argument are cleared (every sub-expression is
carried as a pair ``(numerator, denominator)`` of integer terms). ``ceiling(x)`` is
``-floor(-x)``, ``Mod(a, b)`` is ``a - b floor(a/b)``, ``Max``/``Min``/``Abs`` and the
prover's ``Windows``/``Iverson`` are ``ite`` terms. The negation is "the sides differ,
or a denominator is zero, or a window count is infinite", so an ``unsat`` answer also
certifies that both sides are defined everywhere the hypotheses hold.

Queries are built only from SymPy trees (never from user text). ``z3`` is imported
lazily, only here; without it every certificate is ``unknown`` ("not obtained").

Examples
--------
>>> import sympy

>>> n, s = sympy.symbols("n s")
>>> certify_claim(sympy.ceiling(n / s), sympy.floor((n - 1) / s) + 1, (n - 1, s - 1)).status
'unsat'
>>> wrong = certify_claim(sympy.floor(n / 1001), sympy.Integer(0), (n - 1,))
>>> wrong.status, wrong.model["n"] >= 1001
('sat', True)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import sympy

from ..proof import Step
from .lemmas import LEMMAS
from .normal_form import Windows
from .smt import (
    BUDGET_SECONDS,
    Certificate,
    CertificateDisagreement,
    Encoder,
    NotExpressible,
    load_z3,
    pair_add,
    pair_negate,
    solver_name,
)

# ---------------------------------------------------------------------------
# The query
# ---------------------------------------------------------------------------

def certify_claim(lhs: sympy.Expr, rhs: sympy.Expr, assumptions: tuple[sympy.Expr, ...],
                  nonzero: tuple[sympy.Expr, ...] = ()) -> Certificate:
    """Ask the SMT judge for a counterexample to ``lhs = rhs`` where every assumption is >= 0.

    Parameters
    ----------
    lhs, rhs : sympy.Expr
        Integer-variable expressions: ``+ - * /``, rational constants, small integer
        powers, floor, ceiling, Mod, Max, Min, Abs, ``Windows``, ``Iverson``.
    assumptions : tuple of sympy.Expr
        Each means ``expression >= 0``.
    nonzero : tuple of sympy.Expr
        Further expressions that must be non-zero (divisors SymPy cancelled).

    Returns
    -------
    Certificate
        ``unsat`` certifies the claim (and that both sides are defined); ``sat`` carries
        a model; ``unknown`` the reason.

    Examples
    --------
    >>> n, k = sympy.symbols("n k")
    >>> certify_claim(sympy.Max(n, k) - sympy.Min(n, k), sympy.Abs(n - k), ()).status
    'unsat'
    >>> "(check-sat)" in certify_claim(n, n + 1, (n,)).smtlib
    True
    """
    return record(_certify((("=", sympy.sympify(lhs), sympy.sympify(rhs)),),
                              _exprs(assumptions), (), _exprs(nonzero)))


def certify_implication(assumptions: tuple[sympy.Expr, ...],
                        equations: tuple[sympy.Expr, ...] = (),
                        nonnegative: tuple[sympy.Expr, ...] = (),
                        zero: tuple[sympy.Expr, ...] = ()) -> Certificate:
    """Ask the SMT judge for a point where every assumption is >= 0 and every equation is
    0 but a goal fails: some ``nonnegative`` expression is < 0 or some ``zero`` one is not 0.

    One query for a conjunction of goals (an index-set check: every equation and bound of
    a target set holds on the points of a source set). ``unsat`` certifies all the goals
    (and that they are defined there); ``sat`` carries a model.

    Examples
    --------
    >>> m, k, d = sympy.symbols("m k d")
    >>> certify_implication((m, k - 1 - m, d - 1), nonnegative=(d * (k - 1) - d * m,)).status
    'unsat'
    >>> u = sympy.Symbol("u")
    >>> found = certify_implication((m, k - 1 - m, d - 1), equations=(u - d * m,),
    ...                             nonnegative=(d * (k - 1) - 1 - u,))
    >>> found.status, found.model["m"] == found.model["k"] - 1
    ('sat', True)
    >>> print(found.claim)
    d*(k - 1) - u - 1 >= 0 when -d*m + u = 0, m >= 0, k - m - 1 >= 0, d - 1 >= 0
    """
    goals = (*((">=", sympy.sympify(g), sympy.Integer(0)) for g in nonnegative),
             *(("=", sympy.sympify(g), sympy.Integer(0)) for g in zero))
    return record(_certify(goals, _exprs(assumptions), _exprs(equations), ()))


def _exprs(items: tuple[sympy.Expr, ...]) -> tuple[sympy.Expr, ...]:
    return tuple(sympy.sympify(e) for e in items)


def record(certificate: Certificate) -> Certificate:
    """Add a certificate obtained earlier (a cached proof's) to every open
    :func:`recording` block, so ``--smt FILE`` writes its query too.

    Examples
    --------
    >>> n = sympy.Symbol("n")
    >>> earlier = certify_claim(n, n, (n,))
    >>> with recording() as found:
    ...     _ = record(earlier)
    >>> found == [earlier]
    True
    """
    for recorded in _RECORDINGS:
        recorded.setdefault(certificate.claim, certificate)
    return certificate




#: Open :func:`recording` blocks: each maps a claim to its certificate.
_RECORDINGS: list[dict[str, Certificate]] = []


@contextmanager
def recording() -> Iterator[list[Certificate]]:
    """Collect every certificate asked for inside the block (cached ones too), in order.

    Examples
    --------
    >>> n = sympy.Symbol("n")
    >>> with recording() as found:
    ...     _ = certify_claim(n + n, 2 * n, (n,))
    >>> [c.status for c in found]
    ['unsat']
    """
    recorded: dict[str, Certificate] = {}
    found: list[Certificate] = []
    _RECORDINGS.append(recorded)
    try:
        yield found
    finally:
        # by identity: an inner recording with an equal (e.g. empty) dict is not this one
        del _RECORDINGS[next(i for i, r in enumerate(_RECORDINGS) if r is recorded)]
        found.extend(recorded.values())


def smtlib_script(certificates: list[Certificate]) -> str:
    """One SMT-LIB 2 file of all the queries, each headed by its claim, its answer and the
    CPU seconds the SMT judge spent on it (translation and solving; the first line has
    the total), and followed by ``(reset)``: any solver re-runs it and prints one answer
    per query.

    Examples
    --------
    >>> n = sympy.Symbol("n")
    >>> print(smtlib_script([certify_claim(n, n, (n,))]).splitlines()[1])  # doctest: +ELLIPSIS
    ; query 1: n = n when n >= 0 -- z3 5.4.1: unsat [0.0... s CPU]
    """
    total = sum(c.cpu for c in certificates)
    parts = [f"; symconv SMT queries: the negation of each claim ({len(certificates)} "
             f"queries, {total:.2f} s CPU in the SMT judge); unsat certifies the claim"]
    for number, certificate in enumerate(certificates, 1):
        answer = certificate.status + (f" ({certificate.reason})" if certificate.reason else "")
        parts.append(f"; query {number}: {certificate.claim} -- "
                     f"{certificate.solver or 'no solver'}: {answer} [{certificate.cpu:.3f} s "
                     "CPU]")
        if certificate.smtlib:
            parts.append(certificate.smtlib.rstrip() + "\n(reset)")
    return "\n".join(parts) + "\n"


#: A goal of a query: ``("=", a, b)`` for ``a = b``, ``(">=", a, 0)`` for ``a >= 0``.
Goal = tuple[str, sympy.Expr, sympy.Expr]


def _claim_text(goals: tuple[Goal, ...], assumptions: tuple[sympy.Expr, ...],
                equations: tuple[sympy.Expr, ...]) -> str:
    said = " and ".join(f"{_text(a)} = {_text(b)}" if relation == "=" else f"{_text(a)} >= 0"
                        for relation, a, b in goals) or "true"
    hyps = [f"{_text(e)} = 0" for e in equations] + [f"{_text(a)} >= 0" for a in assumptions]
    return f"{said} when " + (", ".join(hyps) or "always")


@lru_cache(maxsize=4096, typed=True)
def _text(expr: sympy.Expr) -> str:
    """``str(expr)``, printed once per expression in a process (the queries of one theorem
    share their hypotheses)."""
    return str(expr)


@lru_cache(maxsize=4096)
def _certify(goals: tuple[Goal, ...], assumptions: tuple[sympy.Expr, ...],
             equations: tuple[sympy.Expr, ...], nonzero: tuple[sympy.Expr, ...]
             ) -> Certificate:
    claim = _claim_text(goals, assumptions, equations)
    z3 = load_z3()
    if z3 is None:
        return Certificate("unknown", "", 0.0, reason="z3-solver is not installed",
                           claim=claim)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        smtlib, variables, context = _query(z3, goals, assumptions, equations, nonzero)
    except NotExpressible as why:
        return Certificate("unknown", "", time.perf_counter() - start, solver=solver_name(),
                           reason=f"not expressible: {why}", claim=claim,
                           cpu=time.process_time() - cpu)
    status, model, reason = _run(z3, smtlib, variables, context)
    return Certificate(status, smtlib, time.perf_counter() - start, model, solver_name(),
                       reason, claim, time.process_time() - cpu)


def _query(z3: Any, goals: tuple[Goal, ...], assumptions: tuple[sympy.Expr, ...],
           equations: tuple[sympy.Expr, ...], nonzero: tuple[sympy.Expr, ...]
           ) -> tuple[str, dict[str, Any], Any]:
    """The SMT-LIB 2 text of the negated claim, each variable's z3 constant, and the
    query's own z3 context (fresh: nothing else was asked in it)."""
    encoder = Encoder(z3)
    for symbol in sorted(set().union(*(a.free_symbols | b.free_symbols for _, a, b in goals),
                                     *(a.free_symbols for a in assumptions + equations)),
                         key=str):
        encoder.variable(symbol)
    hypotheses = [encoder.nonnegative(encoder.rational(a)) for a in assumptions]
    hypotheses += [encoder.rational(e)[0] == 0 for e in equations]
    failures = []
    for relation, a, b in goals:
        (nl, dl), (nr, dr) = encoder.rational(a), encoder.rational(b)
        if relation == "=":
            failures.append((nl if dr is None else nl * dr) != (nr if dl is None else nr * dl))
        else:
            failures.append(z3.Not(encoder.nonnegative(pair_add((nl, dl), pair_negate((nr, dr))))))
    guards = [encoder.rational(e)[0] == 0 for e in nonzero]
    undefined = list({c.sexpr(): c for c in encoder.undefined + guards}.values())
    solver = z3.Solver(ctx=encoder.context)
    solver.add(*hypotheses, *encoder.definitions)
    negation = failures + undefined  # empty: nothing can fail
    solver.add(z3.Or(*negation) if len(negation) > 1 else
               negation[0] if negation else z3.BoolVal(False, encoder.context))
    return solver.to_smt2(), dict(encoder.variables), encoder.context


def _run(z3: Any, smtlib: str, variables: dict[str, Any], context: Any
         ) -> tuple[str, dict[str, int] | None, str]:
    """Check the query text itself (what is written out is what was decided), in a fresh
    solver of the query's own context (no other query was asked in it)."""
    solver = z3.Solver(ctx=context)
    solver.set("timeout", int(BUDGET_SECONDS * 1000))
    solver.from_string(smtlib)
    answer = solver.check()
    if answer == z3.sat:
        found = solver.model()
        model = {name: found.eval(constant, model_completion=True).as_long()
                 for name, constant in sorted(variables.items())}
        return "sat", model, ""
    if answer == z3.unsat:
        return "unsat", None, ""
    return "unknown", None, f"z3: {solver.reason_unknown()}"


def second_judge(lhs: sympy.Expr, rhs: sympy.Expr, assumptions: tuple[sympy.Expr, ...]
                 ) -> Certificate:
    """The SMT certificate of a claim the rewriting prover has proved.

    Raises
    ------
    CertificateDisagreement
        When the solver finds a counterexample to a claim the prover proved: one of the
        two judges is wrong, and that is a bug to report, never a verdict.

    Examples
    --------
    >>> n, s = sympy.symbols("n s")
    >>> second_judge(sympy.floor((n + s - 1) / s), sympy.ceiling(n / s), (n - 1, s - 1)).status
    'unsat'
    >>> try:
    ...     second_judge(n, n + 1, (n,))
    ... except CertificateDisagreement as bug:
    ...     print(str(bug).split(", but")[0])
    the rewriting prover proved n = n + 1 when n >= 0
    """
    certificate = certify_claim(lhs, rhs, assumptions)
    if certificate.status == "sat":
        raise CertificateDisagreement(
            f"the rewriting prover proved {certificate.claim}, but {certificate.solver} finds "
            f"the counterexample {certificate.model}: please report this bug")
    return certificate


def judges_step(certificate: Certificate, lemmas: tuple[str, ...] = ()) -> Step:
    """The derivation's step naming which judge certified the claim (and the solver).

    ``lemmas`` (the lemma chain's, by name) are certified for all values too
    (:func:`certify_lemma`); the step names those certified and those resting on their
    box check alone. A lemma's counterexample raises :class:`CertificateDisagreement`.

    Examples
    --------
    >>> n, s = sympy.symbols("n s")
    >>> claim = certify_claim(sympy.ceiling(n / s), sympy.floor((n + s - 1) / s), (s - 1,))
    >>> print(judges_step(claim, ("ceil-to-floor",)).text.split("). ")[-1])
    The lemmas used are certified for all values by z3 5.4.1 too, not only on their
    finite box: ceil-to-floor.
    """
    if not certificate.certified:
        return Step("Second judge: SMT", "Not certified by an SMT solver "
                    f"({certificate.reason or certificate.status}): the claim rests on the "
                    "rewriting prover alone, so it is not counted as proved for all sizes.")
    text = ("Certified twice: by the lemma chain above (the rewriting prover) and by "
            f"{certificate.solver}, which finds no counterexample to the negated claim in the "
            "integers (unsat; quotients and remainders of every floor, ceil and mod explicit "
            "unknowns; the SMT-LIB 2 query is written by --smt FILE).")
    answers = {name: certify_lemma(name) for name in lemmas}
    wrong = [name for name, c in answers.items() if c.status == "sat"]
    if wrong:
        raise CertificateDisagreement(
            f"lemma {wrong[0]} is checked on its box, but {answers[wrong[0]].solver} finds "
            f"the counterexample {answers[wrong[0]].model}: please report this bug")
    certified = [name for name, c in answers.items() if c.certified]
    others = [name for name in answers if name not in certified]
    if certified:
        text += (f" The lemmas used are certified for all values by {certificate.solver} too, "
                 f"not only on their finite box: {', '.join(certified)}.")
    if others:
        text += (" Not certified by the solver (" + "; ".join(
            f"{name}: {answers[name].reason or answers[name].status}" for name in others)
            + "): these lemmas rest on their derivation and box check.")
    return Step("Second judge: SMT", text)


# ---------------------------------------------------------------------------
# The prover's own lemmas and facts, certified for all values (not only on their box)
# ---------------------------------------------------------------------------

def _as_rationals(variables: Any) -> tuple[dict[sympy.Symbol, sympy.Expr], tuple[sympy.Expr, ...]]:
    """Each variable as ``v_num / v_den`` with ``v_den >= 1``: a statement for every integer
    numerator and denominator is one for every rational value."""
    substitution, positive = {}, []
    for v in variables:
        num, den = sympy.Symbol(f"{v.name}_num"), sympy.Symbol(f"{v.name}_den")
        substitution[v] = num / den
        positive.append(den - 1)
    return substitution, tuple(positive)


def certify_lemma(name: str) -> Certificate:
    """The SMT certificate of lemma ``name`` of :data:`symconv.prover.LEMMAS` for all
    values: its ``integers`` range over the integers, its other variables over the
    rationals, and ``lhs = rhs`` wherever every condition is ``>= 0``.

    The lemmas are derived by hand and checked on a finite box; an ``unsat`` here
    certifies one for every value. A ``sat`` model would be a counterexample to a lemma.

    Examples
    --------
    >>> certify_lemma("floor-floor").status
    'unsat'
    >>> print(certify_lemma("max-left").claim)  # x, y rational: numerator / denominator
    Max(x_num/x_den, y_num/y_den) = x_num/x_den when -y_num/y_den + x_num/x_den >= 0,
    x_den - 1 >= 0, y_den - 1 >= 0
    """

    lemma = LEMMAS[name]
    substitution, positive = _as_rationals(v for v in lemma.variables
                                           if v not in lemma.integers)
    return certify_claim(lemma.lhs.xreplace(substitution), lemma.rhs.xreplace(substitution),
                         tuple(c.xreplace(substitution) for c in lemma.conditions) + positive)


def _fact_queries() -> dict[str, tuple[tuple[sympy.Expr, ...], tuple[sympy.Expr, ...]]]:
    """Each fact of :data:`symconv.prover.FACTS` expressible in integer arithmetic as
    (hypotheses ``>= 0``, goals ``>= 0``); a, s, x, y, l_x, l_y, M, M' integers (as in the
    facts' statements and box checks), floor-nonnegative for a rational ``a`` too."""
    a, s, x, y, lx, ly, b, m, m_low = sympy.symbols("a s x y l_x l_y b M M'")
    remainder = a - s * sympy.floor(a / s)
    (rational_a,), positive = _as_rationals([a])

    return {
        "division-with-remainder": ((s - 1,), (remainder, s - 1 - remainder)),
        "floor-nonnegative": ((rational_a, s - 1, *positive), (sympy.floor(rational_a / s),)),
        "product-bound": ((x - lx, lx, y - ly, ly), (x * y - lx * y - ly * x + lx * ly,)),
        "product-of-nonnegatives": ((a, b), (a * b,)),
        "windows-monotone": ((m - m_low, s - 1), (Windows(m, s) - Windows(m_low, s),)),
    }


def certify_fact(name: str) -> Certificate | None:
    """The SMT certificate of fact ``name`` of :data:`symconv.prover.FACTS` for all
    values, or None for a fact not expressible as integer arithmetic (a sum over a
    family, a matrix product, a union of intervals).

    Examples
    --------
    >>> certify_fact("product-bound").status
    'unsat'
    >>> certify_fact("touching-intervals") is None
    True
    """
    query = _fact_queries().get(name)
    if query is None:
        return None
    hypotheses, goals = query
    return certify_implication(hypotheses, nonnegative=goals)


def rerun(smtlib: str, budget_seconds: float = BUDGET_SECONDS) -> str:
    """Re-run an SMT-LIB 2 query text in a fresh z3 solver: ``"sat"``, ``"unsat"`` or
    ``"unknown"`` (also when ``budget_seconds`` of solving run out: a loaded machine may
    want more than the judge's own budget).

    Examples
    --------
    >>> n = sympy.Symbol("n")
    >>> rerun(certify_claim(sympy.floor(n / 2) * 2, n, (n - 1,)).smtlib)
    'sat'
    """
    z3 = load_z3()
    solver = z3.Solver(ctx=z3.Context())
    solver.set("timeout", int(budget_seconds * 1000))
    solver.from_string(smtlib)
    return str(solver.check())


