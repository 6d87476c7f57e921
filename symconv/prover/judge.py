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
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from typing import Any

import sympy

from ..proof import Step
from .lemmas import LEMMAS
from .normal_form import Windows

#: Time budget of one query, in seconds (z3's ``timeout`` parameter).
BUDGET_SECONDS = 2.0

#: Largest integer exponent expanded into a product.
MAX_POWER = 8

STATUSES = ("unsat", "sat", "unknown")


class CertificateDisagreement(RuntimeError):
    """The rewriting prover and the SMT judge disagree: a bug report, never a verdict."""


class NotExpressible(Exception):
    """A SymPy node the translation does not cover."""


@dataclass(frozen=True)
class Certificate:
    """The answer of the SMT judge to the negation of one claim.

    ``status`` is ``"unsat"`` (certified: no counterexample exists), ``"sat"`` (``model``
    is a counterexample, as ints) or ``"unknown"`` (timeout, solver absent or the claim
    not expressible; ``reason`` says which). ``smtlib`` is the query as SMT-LIB 2 text,
    ``(check-sat)`` included, re-runnable by any solver; ``solver`` names it and its version.
    ``seconds`` is the wall time of translating and deciding it, ``cpu`` the CPU time.
    """

    status: str
    smtlib: str
    seconds: float
    model: dict[str, int] | None = None
    solver: str = ""
    reason: str = ""
    claim: str = field(default="", compare=False)
    cpu: float = field(default=0.0, compare=False)

    @property
    def certified(self) -> bool:
        return self.status == "unsat"


def _z3() -> Any:
    """The z3 module, or None where z3-solver is not installed."""
    try:
        import z3
    except ImportError:
        return None
    return z3


def solver_name() -> str | None:
    """``"z3 <version>"``, or None where z3-solver is not installed.

    Examples
    --------
    >>> solver_name().startswith("z3 ")
    True
    """
    z3 = _z3()
    return None if z3 is None else f"z3 {z3.get_version_string()}"


# ---------------------------------------------------------------------------
# Translation: SymPy tree -> (numerator, denominator) of z3 integer terms
# ---------------------------------------------------------------------------

class _Encoder:
    """Translate SymPy expressions, collecting definitions and well-definedness conditions."""

    def __init__(self, z3: Any) -> None:
        self.z3 = z3
        self.context = z3.Context()  # a fresh context per query: answers do not depend on
        # the queries asked before
        self.variables: dict[str, Any] = {}
        self.definitions: list[Any] = []
        self.undefined: list[Any] = []  # any of these true: a side is undefined there
        self._floors: dict[tuple[str, str], Any] = {}
        self._by_divisor: list[tuple[Any, Any, Any]] = []

    def variable(self, symbol: sympy.Symbol) -> Any:
        if symbol.name not in self.variables:
            safe = symbol.name.replace("'", "_prime")
            if any(str(v) == safe for v in self.variables.values()):
                raise NotExpressible(f"symbol name {symbol.name!r}")
            self.variables[symbol.name] = self.z3.Int(safe, self.context)
        return self.variables[symbol.name]

    def rational(self, expr: sympy.Expr) -> tuple[Any, Any]:
        """``expr`` as ``(N, D)`` with value ``N / D``; ``D`` is None for 1."""
        if expr.is_Integer:
            return self.constant(int(expr)), None
        if expr.is_Rational:
            return self.constant(int(expr.p)), self.constant(int(expr.q))
        if expr.is_Symbol:
            return self.variable(expr), None
        if expr.is_Add or expr.is_Mul:
            return reduce(_add if expr.is_Add else _mul, map(self.rational, expr.args))
        if expr.is_Pow:
            return self._power(expr)
        handler = _FUNCTIONS.get(type(expr).__name__)
        if handler is None:
            raise NotExpressible(f"{type(expr).__name__} in {expr}")
        return handler(self, *expr.args)

    def constant(self, value: int) -> Any:
        return self.z3.IntVal(value, self.context)

    def _power(self, expr: sympy.Pow) -> tuple[Any, Any]:
        base, exponent = expr.args
        if not exponent.is_Integer or abs(int(exponent)) > MAX_POWER:
            raise NotExpressible(f"power {expr}")
        num, den = self.rational(base)
        if int(exponent) < 0:
            self.undefined.append(num == 0)
            num, den = (den if den is not None else self.constant(1)), num
        result = (self.constant(1), None)
        for _ in range(abs(int(exponent))):
            result = _mul(result, (num, den))
        return result

    def nonnegative(self, value: tuple[Any, Any]) -> Any:
        """``N / D >= 0`` (D is non-zero wherever it matters: see :attr:`undefined`)."""
        num, den = value
        return num >= 0 if den is None else num * den >= 0

    def floor(self, value: tuple[Any, Any]) -> Any:
        """The integer ``floor(N / D)`` as a fresh quotient with its remainder's constraints."""
        z3 = self.z3
        num, den = value
        if den is None:
            return num
        key = (num.sexpr(), den.sexpr())
        if key not in self._floors:
            r = z3.FreshInt("r", self.context)
            q = self._related_quotient(num, den) if not z3.is_int_value(den) else None
            q = z3.FreshInt("q", self.context) if q is None else q
            self.definitions.append(num == den * q + r)
            if z3.is_int_value(den):
                bound = den.as_long()
                self.definitions.append(z3.And(0 <= r, r < bound) if bound > 0
                                        else z3.And(bound < r, r <= 0))
            else:
                self.definitions += [z3.Implies(den > 0, z3.And(0 <= r, r < den)),
                                     z3.Implies(den < 0, z3.And(den < r, r <= 0))]
                self.undefined.append(den == 0)
                self._by_divisor.append((num, den, q))
            self._floors[key] = q
        return self._floors[key]

    def _related_quotient(self, num: Any, den: Any) -> Any | None:
        """A quotient by a divisor already used, whose numerator differs from this one's
        (or sums with it) by a constant c: written ``q' + t`` (or ``-q' + t``) with a small
        unknown ``|t| <= |c| + 1`` (``+ 2`` for a sum), since the remainders differ by less
        than ``|D|`` (sum to less than ``2|D|``). The solver then splits on a few integer
        cases instead of relating ``D q`` and ``D q'``; None when there is no such quotient."""
        z3 = self.z3
        for other_num, other_den, other_q in self._by_divisor:
            if other_den.sexpr() != den.sexpr():
                continue
            for sign in (-1, 1):
                c = z3.simplify(num + sign * other_num)
                if z3.is_int_value(c):
                    bound = abs(c.as_long()) + (1 if sign == -1 else 2)
                    t = z3.FreshInt("t", self.context)
                    self.definitions.append(z3.And(-bound <= t, t <= bound))
                    return -sign * other_q + t
        return None

    def select(self, condition: Any, yes: tuple[Any, Any], no: tuple[Any, Any]
               ) -> tuple[Any, Any]:
        z3 = self.z3
        one = self.constant(1)
        if yes[1] is None and no[1] is None:
            return z3.If(condition, yes[0], no[0]), None
        return (z3.If(condition, yes[0], no[0]),
                z3.If(condition, yes[1] if yes[1] is not None else one,
                      no[1] if no[1] is not None else one))


def _add(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    (na, da), (nb, db) = a, b
    if da is None and db is None:
        return na + nb, None
    return _times(na, db) + _times(nb, da), _times(da, db)


def _times(x: Any, y: Any) -> Any:
    """``x * y`` without a factor 1 (so equal quotients are recognised as one)."""
    if x is None or _is_one(y):
        return y if x is None else x
    if y is None or _is_one(x):
        return x if y is None else y
    return x * y


def _is_one(x: Any) -> bool:
    return x is not None and x.sexpr() == "1"


def _mul(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    (na, da), (nb, db) = a, b
    den = _times(da, db)
    return _times(na, nb), None if _is_one(den) else den


def _negate(a: tuple[Any, Any]) -> tuple[Any, Any]:
    return -a[0], a[1]


def _floor(enc: _Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    return enc.floor(enc.rational(arg)), None


def _ceiling(enc: _Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    return -enc.floor(_negate(enc.rational(arg))), None


def _mod(enc: _Encoder, a: sympy.Expr, b: sympy.Expr) -> tuple[Any, Any]:
    (na, da), (nb, db) = enc.rational(a), enc.rational(b)
    enc.undefined.append(nb == 0)
    quotient = _mul((na, da), (db if db is not None else enc.constant(1), nb))
    return _add((na, da), _negate(_mul((nb, db), (enc.floor(quotient), None))))


def _extremum(larger: bool) -> Any:
    def handler(enc: _Encoder, *args: sympy.Expr) -> tuple[Any, Any]:
        values = [enc.rational(a) for a in args]
        best = values[0]
        for value in values[1:]:
            difference = _add(value, _negate(best))
            wins = enc.nonnegative(difference) if larger else \
                enc.nonnegative(_negate(difference))
            best = enc.select(wins, value, best)
        return best
    return handler


def _abs(enc: _Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    value = enc.rational(arg)
    return enc.select(enc.nonnegative(value), value, _negate(value))


def _windows(enc: _Encoder, bound: sympy.Expr, step: sympy.Expr) -> tuple[Any, Any]:
    """#{i >= 0 : step*i <= bound}: floor(bound/step) + 1 when bound >= 0, else 0; infinite
    (undefined) when step < 0, or step = 0 and bound >= 0."""
    z3 = enc.z3
    (nm, dm), (ns, ds) = enc.rational(bound), enc.rational(step)
    reaches = enc.nonnegative((nm, dm))
    enc.undefined.append(z3.Or(z3.Not(enc.nonnegative((ns, ds))), z3.And(ns == 0, reaches)))
    ratio = _mul((nm, dm), (ds if ds is not None else enc.constant(1), ns))
    return z3.If(reaches, enc.floor(ratio) + 1, enc.constant(0)), None


def _iverson(enc: _Encoder, arg: sympy.Expr) -> tuple[Any, Any]:
    z3 = enc.z3
    return z3.If(enc.nonnegative(enc.rational(arg)), enc.constant(1), enc.constant(0)), None


_FUNCTIONS = {"floor": _floor, "ceiling": _ceiling, "Mod": _mod, "Max": _extremum(True),
              "Min": _extremum(False), "Abs": _abs, "Windows": _windows, "Iverson": _iverson}


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
        _RECORDINGS.remove(recorded)
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
    said = " and ".join(f"{a} = {b}" if relation == "=" else f"{a} >= 0"
                        for relation, a, b in goals) or "true"
    hyps = [f"{e} = 0" for e in equations] + [f"{a} >= 0" for a in assumptions]
    return f"{said} when " + (", ".join(hyps) or "always")


@lru_cache(maxsize=4096)
def _certify(goals: tuple[Goal, ...], assumptions: tuple[sympy.Expr, ...],
             equations: tuple[sympy.Expr, ...], nonzero: tuple[sympy.Expr, ...]
             ) -> Certificate:
    claim = _claim_text(goals, assumptions, equations)
    z3 = _z3()
    if z3 is None:
        return Certificate("unknown", "", 0.0, reason="z3-solver is not installed",
                           claim=claim)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        smtlib, variables = _query(z3, goals, assumptions, equations, nonzero)
    except NotExpressible as why:
        return Certificate("unknown", "", time.perf_counter() - start, solver=solver_name(),
                           reason=f"not expressible: {why}", claim=claim,
                           cpu=time.process_time() - cpu)
    status, model, reason = _run(z3, smtlib, variables)
    return Certificate(status, smtlib, time.perf_counter() - start, model, solver_name(),
                       reason, claim, time.process_time() - cpu)


def _query(z3: Any, goals: tuple[Goal, ...], assumptions: tuple[sympy.Expr, ...],
           equations: tuple[sympy.Expr, ...], nonzero: tuple[sympy.Expr, ...]
           ) -> tuple[str, dict[str, str]]:
    """The SMT-LIB 2 text of the negated claim, and each variable's SMT name."""
    encoder = _Encoder(z3)
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
            failures.append(z3.Not(encoder.nonnegative(_add((nl, dl), _negate((nr, dr))))))
    guards = [encoder.rational(e)[0] == 0 for e in nonzero]
    undefined = list({c.sexpr(): c for c in encoder.undefined + guards}.values())
    solver = z3.Solver(ctx=encoder.context)
    solver.add(*hypotheses, *encoder.definitions)
    negation = failures + undefined  # empty: nothing can fail
    solver.add(z3.Or(*negation) if len(negation) > 1 else
               negation[0] if negation else z3.BoolVal(False, encoder.context))
    return solver.to_smt2(), {name: str(v) for name, v in encoder.variables.items()}


def _run(z3: Any, smtlib: str, variables: dict[str, str]
         ) -> tuple[str, dict[str, int] | None, str]:
    """Check the query text itself (what is written out is what was decided)."""
    context = z3.Context()
    solver = z3.Solver(ctx=context)
    solver.set("timeout", int(BUDGET_SECONDS * 1000))
    solver.from_string(smtlib)
    answer = solver.check()
    if answer == z3.sat:
        found = solver.model()
        model = {name: found.eval(z3.Int(smt, context), model_completion=True).as_long()
                 for name, smt in sorted(variables.items())}
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


def rerun(smtlib: str) -> str:
    """Re-run an SMT-LIB 2 query text in a fresh z3 solver: ``"sat"``, ``"unsat"`` or
    ``"unknown"``.

    Examples
    --------
    >>> n = sympy.Symbol("n")
    >>> rerun(certify_claim(sympy.floor(n / 2) * 2, n, (n - 1,)).smtlib)
    'sat'
    """
    z3 = _z3()
    solver = z3.Solver(ctx=z3.Context())
    solver.set("timeout", int(BUDGET_SECONDS * 1000))
    solver.from_string(smtlib)
    return str(solver.check())


