"""Index-set proofs: two operators are equal when their sums match term by term.

Entry ``(j, i)`` of a convolution-type operator is a sum of kernel taps over an
*index set*: the integer points of a few affine equations and bounds in the
summation variables, with the sizes ``n, k, s, p, d, op`` and the entry ``(j, i)``
as parameters. Two operators are equal for **every** size when an explicit
affine bijection maps the index set of one onto the index set of the other and
sends each term to the same kernel tap. This module states the index sets of
the transposed convolution three ways (its scatter rule, the transpose of the
correlation, the zero-insertion recipe), of the strided correlation two ways
(``C_s`` and ``D_s C_1``) and of the dilated one two ways (``C_d(k)`` and
``C_1(zi_d k)``), and checks such bijections mechanically:

1. *into*: every equation of the target, with the forward map substituted,
   vanishes on the source (ring normalisation after solving the source's
   equations for a unit-coefficient symbol), and every bound of the target is
   implied by the source's bounds and the geometry (Fourier--Motzkin, as in
   :func:`symconv.prover.implied`, with fact product-of-nonnegatives);
2. *back*: the same for the backward map from the target to the source;
3. *inverse*: backward after forward is the identity on the source, forward
   after backward the identity on the target (modulo their equations);
4. *terms*: the forward map sends each term to the same kernel tap;
5. *shape*: both operators have the same numbers of rows and columns (each a
   claim proved by :func:`symconv.prover.prove_for_all`, often a ring identity).

Each check is also posed to the second judge (:mod:`symconv.prover.judge`, z3) as one SMT
query over the integers: "a point of the source set (its bounds, its equations, the
geometry) where some goal of the check fails" must be unsat. The bijection is proved
for all sizes only when both judges pass every check (:attr:`BijectionProof.certified`);
a check one judge passes and the other refutes is a bug
(:class:`~symconv.prover.judge.CertificateDisagreement`).

One axis and one channel are proved; several axes and channel pairs are
products of these factors (the index forms are Cartesian products, and the
channel part is the same map on both sides), so a bijection of every factor is
a bijection of the product.

Examples
--------
>>> proof = transposed_equals_zero_insertion()
>>> proof.holds, [check.name for check in proof.checks][:3]
(True, ['into', 'back', 'inverse'])
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sympy

from .proof import Math, Step
from .prover import FACTS, SYMBOLS, canon, implied, prove_for_all, verify
from .prover.judge import certify_claim, certify_fact, certify_implication, record
from .prover.smt import Certificate, CertificateDisagreement

n, k, s, p, d, op = (SYMBOLS[name] for name in ("n", "k", "s", "p", "d", "op"))
#: The entry (row j, column i) and the summation variables.
ROW, COLUMN = sympy.Symbol("j"), sympy.Symbol("i")
TAP, FLIPPED, PADDED, INSERTED = (sympy.Symbol(name) for name in ("m", "m'", "t", "u"))

#: Rows of the transposed convolution, PyTorch's formula.
OUT = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
#: The zero-inserted input (n - 1)s + 1, and the recipe's pad before it.
INSERTED_LENGTH = (n - 1) * s + 1
PAD_BEFORE = d * (k - 1) - p
PADDED_LENGTH = INSERTED_LENGTH + PAD_BEFORE + (PAD_BEFORE + op)
#: The correlation on OUT inputs: its number of windows.
FORWARD_ROWS = sympy.floor((OUT + 2 * p - d * (k - 1) - 1) / s) + 1
_VARIABLES = (TAP, FLIPPED, PADDED, INSERTED)
#: A valid transposed geometry and an entry inside the matrix.
GEOMETRY = (n - 1, k - 1, s - 1, d - 1, p, op, OUT - 1)
ENTRY = (COLUMN, n - 1 - COLUMN, ROW, OUT - 1 - ROW)


@dataclass(frozen=True)
class IndexSet:
    """The terms of entry ``(j, i)``: integer points where each equation ``left = right``
    holds and each bound is ``>= 0``."""

    name: str
    variables: tuple[sympy.Symbol, ...]
    sides: tuple[tuple[sympy.Expr, sympy.Expr], ...]
    bounds: tuple[sympy.Expr, ...]
    tap: sympy.Expr
    rows: sympy.Expr
    columns: sympy.Expr
    definition: str
    entry: str = "(j, i)"

    @property
    def equations(self) -> tuple[sympy.Expr, ...]:
        """Each equation as ``left - right`` (``== 0`` on the set)."""
        return tuple(left - right for left, right in self.sides)

    def latex(self) -> str:
        r"""The set as on the board, one line for its equations and one for its ranges:
        ``\{(m) : j = d m - p + s i,\ 0 \le m \le k - 1\}``, then its tap."""
        vars_ = ", ".join(sympy.latex(v) for v in self.variables)
        equations = ",\\ ".join(f"{sympy.latex(a)} = {sympy.latex(b)}" for a, b in self.sides)
        ranges, used = [], set()
        for v in self.variables:
            upper = next((b for b in self.bounds if _upper(b, v) is not None), None)
            if v in self.bounds and upper is not None:
                ranges.append(f"0 \\le {sympy.latex(v)} \\le {sympy.latex(upper + v)}")
                used |= {v, upper}
        ranges += [f"{sympy.latex(b)} \\ge 0" for b in self.bounds if b not in used]
        return (f"\\begin{{aligned}} &\\{{({vars_}) :\\ {equations}, \\\\ &\\qquad "
                + ",\\ ".join(ranges) + f"\\}}\\quad \\text{{tap }} {sympy.latex(self.tap)}"
                "\\end{aligned}")

    def text(self) -> str:
        parts = [f"{a} = {b}" for a, b in self.sides] + [f"{b} >= 0" for b in self.bounds]
        return (f"{{({', '.join(map(str, self.variables))}) : {', '.join(parts)}}}, "
                f"tap {self.tap}")

    def taps(self, values: dict[str, int]) -> list[int]:
        """The kernel taps of entry ``(j, i)`` at concrete sizes (``values`` by symbol name),
        sorted: the entry is the sum of these kernel entries. Found by trying every point of
        the box the bounds ``v >= 0``, ``X - v >= 0`` give each variable.

        Examples
        --------
        >>> scatter_set().taps({"n": 2, "k": 3, "s": 2, "p": 0, "d": 1, "op": 0,
        ...                     "j": 2, "i": 1})
        [0]
        """
        params, test, uppers = _compiled(self)
        env = [values[sym.name] for sym in params]
        highs = [min(int(upper(*env)) for upper in bounds) for bounds in uppers]
        count = len(self.equations)
        found = []
        for point in itertools.product(*(range(h + 1) for h in highs)):
            *conditions, tap = test(*point, *env)
            if all(c == 0 for c in conditions[:count]) and all(c >= 0 for c in conditions[count:]):
                found.append(int(tap))
        return sorted(found)


@cache
def _compiled(index_set: IndexSet) -> tuple[list[sympy.Symbol], Any, list[list[Any]]]:
    """The set's parameters, one function of (variables, parameters) giving its equations,
    bounds and tap, and per variable the functions of the parameters bounding it above."""
    exprs = [*index_set.equations, *index_set.bounds, index_set.tap]
    params = sorted(set().union(*(e.free_symbols for e in exprs)) - set(index_set.variables),
                    key=lambda sym: sym.name)
    test = sympy.lambdify([*index_set.variables, *params], exprs, "math")
    uppers = [[sympy.lambdify(params, _upper(b, v), "math") for b in index_set.bounds
               if _upper(b, v) is not None] for v in index_set.variables]
    return params, test, uppers


def _upper(bound: sympy.Expr, var: sympy.Symbol) -> sympy.Expr | None:
    """``X`` when ``bound`` is ``X - var`` with ``X`` free of the set's variables."""
    rest = canon(bound + var)
    if canon(bound).coeff(var) == -1 and not rest.free_symbols & set(_VARIABLES):
        return rest
    return None


def scatter_set() -> IndexSet:
    """PyTorch's ConvTranspose: input ``i`` and tap ``m`` add to output ``s i - p + d m``.

    Examples
    --------
    >>> scatter_set().text()
    '{(m) : j = d*m + i*s - p, m >= 0, k - m - 1 >= 0}, tap m'
    """
    return IndexSet("T (scatter)", (TAP,), ((ROW, s * COLUMN - p + d * TAP),),
                    (TAP, k - 1 - TAP), TAP, OUT, n,
                    r"input entry $i$ times tap $k_m$ adds to output $j = s i - p + d m$ (if "
                    r"$0 \le j \le \mathrm{out} - 1$); $i$ indexes the windows and $j$ the "
                    "inputs of the forward correlation")


def transpose_set() -> IndexSet:
    """``C^T`` entry ``(j, i)`` is ``C`` entry ``(i, j)``: tap ``m`` when ``j = s i - p + d m``;
    ``C`` is the correlation of an input of length ``OUT`` (its columns), with
    ``floor((OUT + 2p - d(k-1) - 1)/s) + 1`` windows (its rows).

    Examples
    --------
    >>> transpose_set().columns
    floor((op + s*(n - 1))/s) + 1
    """
    return IndexSet(r"$C^{\mathsf T}$", (TAP,), ((ROW, s * COLUMN - p + d * TAP),),
                    (TAP, k - 1 - TAP), TAP, OUT, FORWARD_ROWS,
                    r"$C[i, j] = k_m$ when input $j = s i - p + d m$ is read by window $i$; "
                    r"$C^{\mathsf T}[j, i] = C[i, j]$")


def zero_insertion_set() -> IndexSet:
    """``C_flip P Z`` entry ``(j, i)``: ``Z`` puts ``y_i`` at ``u = s i``, ``P`` moves it to
    ``t = u + d(k-1) - p``, ``C_flip`` reads ``t = j + d m'`` with tap ``k - 1 - m'``.

    Examples
    --------
    >>> zero_insertion_set().taps({"n": 2, "k": 3, "s": 2, "p": 1, "d": 1, "op": 1,
    ...                            "j": 1, "i": 1})
    [0]
    """
    return IndexSet(r"$C_{\mathrm{flip}} P Z$", (FLIPPED, PADDED, INSERTED),
                    ((PADDED, ROW + d * FLIPPED), (PADDED, INSERTED + PAD_BEFORE),
                     (INSERTED, s * COLUMN)),
                    (FLIPPED, k - 1 - FLIPPED, PADDED, PADDED_LENGTH - 1 - PADDED,
                     INSERTED, INSERTED_LENGTH - 1 - INSERTED),
                    k - 1 - FLIPPED, PADDED_LENGTH - d * (k - 1), n,
                    r"$(AB)[j, i] = \sum_l A[j, l] B[l, i]$: $Z[u, i] = 1$ when $u = s i$; "
                    r"$P[t, u] = 1$ when $t = u + d(k-1) - p$ (a negative amount crops); "
                    r"$C_{\mathrm{flip}}[j, t] = k_{k-1-m'}$ (tap $m'$ of the flipped kernel) "
                    r"when $t = j + d m'$ (stride $1$)")


@dataclass(frozen=True)
class Check:
    """One mechanical check of a bijection proof: whether the index-set checks passed it
    (``passed``) and the SMT judge's answers to the same goals (``certificates``)."""

    name: str
    passed: bool
    detail: str
    math: tuple[Math, ...] = ()
    certificates: tuple[Certificate, ...] = ()

    @property
    def certified(self) -> bool:
        """Both judges: passed here and every SMT query unsat."""
        return self.passed and bool(self.certificates) and all(
            c.certified for c in self.certificates)


@dataclass(frozen=True)
class BijectionProof:
    """``forward`` maps source points to target points, ``backward`` the other way."""

    source: IndexSet
    target: IndexSet
    forward: dict[sympy.Symbol, sympy.Expr]
    backward: dict[sympy.Symbol, sympy.Expr]
    checks: tuple[Check, ...]
    shape_steps: tuple[Step, ...] = ()

    @property
    def holds(self) -> bool:
        """Every check passed by the index-set checks (the first judge)."""
        return all(check.passed for check in self.checks)

    @property
    def certified(self) -> bool:
        """Every check passed by both judges: the index-set checks and the SMT solver."""
        return all(check.certified for check in self.checks)

    def certificates(self) -> list[tuple[str, Certificate]]:
        """Each SMT query with the check it belongs to, in order."""
        return [(check.name, c) for check in self.checks for c in check.certificates]

    def steps(self) -> list[Step]:
        """The proof as a teacher writes it: the two sets, the map, the checks."""
        def mapping(m: dict) -> Math:
            pairs = sorted(m.items(), key=lambda kv: kv[0].name)
            return Math(",\\ ".join(f"{sympy.latex(v)} = {sympy.latex(e)}" for v, e in pairs),
                        ", ".join(f"{v} = {e}" for v, e in pairs))

        sets = [Step(f"Index set of {x.name}", x.definition + f". Entry ${x.entry}$ is the "
                     "sum of the taps over:", (Math(x.latex(), x.text()),))
                for x in (self.source, self.target)]
        maps = [Step("The bijection", f"Forward (from {self.source.name} to "
                     f"{self.target.name}) and backward:",
                     (mapping(self.forward), mapping(self.backward)))]
        checks = [Step(f"Check: {c.name}", ("passed: " if c.passed else "FAILED: ") + c.detail,
                       c.math) for c in self.checks]
        return sets + maps + checks + list(self.shape_steps)


def product_closure(hyps: Sequence[sympy.Expr], factors: Sequence[sympy.Expr] | None = None
                    ) -> list[sympy.Expr]:
    """``hyps`` and every product of two of them, or of one of ``factors`` (themselves among
    the hypotheses) with any of them (fact product-of-nonnegatives).

    Examples
    --------
    >>> product_closure([s - 1, n - 1], factors=[s - 1])
    [s - 1, n - 1, s**2 - 2*s + 1, n*s - n - s + 1]
    """
    hyps = list(hyps)
    if factors is None:
        pairs = itertools.combinations_with_replacement(hyps, 2)
    else:
        pairs = ((a, b) for a in factors for b in hyps)
    return hyps + list(dict.fromkeys(canon(a * b) for a, b in pairs))


def _sizes_at_least_one(hyps: Sequence[sympy.Expr]) -> list[sympy.Expr]:
    """The hypotheses ``x - 1 >= 0`` for a size ``x`` (n, k, s, d): the usual factors."""
    return [h for h in hyps if (canon(h) + 1).is_Symbol]


def _reduce(expr: sympy.Expr, equations: Sequence[sympy.Expr],
            order: Sequence[sympy.Symbol]) -> sympy.Expr:
    """``expr`` on the set ``equations == 0``: each equation solved for the first symbol of
    ``order`` with coefficient +-1 in it, substituted everywhere after it."""
    expr, pending = canon(expr), [canon(e) for e in equations]
    while pending:
        eq = pending.pop(0)
        pivot = next((v for v in order if eq.coeff(v) in (1, -1)
                      and not canon(eq - eq.coeff(v) * v).has(v)), None)
        if pivot is None:
            continue
        value = canon(pivot - eq / eq.coeff(pivot))
        expr = canon(expr.xreplace({pivot: value}))
        pending = [canon(e.xreplace({pivot: value})) for e in pending]
    return expr


def _vanishes(expr: sympy.Expr, equations: Sequence[sympy.Expr],
              order: Sequence[sympy.Symbol]) -> bool:
    return _reduce(expr, equations, order) == 0


def _implied(goal: sympy.Expr, hyps: Sequence[sympy.Expr]) -> bool:
    """Linear first; then with products of a size (>= 1) and a hypothesis; then with every
    product of two hypotheses (each step adds only true facts, so each is sound)."""
    return (implied(goal, list(hyps))
            or implied(goal, product_closure(hyps, _sizes_at_least_one(hyps)))
            or implied(goal, product_closure(hyps)))


def _count(number: int, noun: str) -> str:
    """``$1$ equation``, ``$3$ equations``."""
    return f"${number}$ {noun}" + ("" if number == 1 else "s")


def _maps_into(source: IndexSet, target: IndexSet, f: dict, context: Sequence[sympy.Expr]
               ) -> tuple[bool, str]:
    order = (*source.variables, ROW, COLUMN)
    hyps = (*context, *source.bounds, *source.equations, *(-e for e in source.equations))
    failures = [str(e) for e in target.equations
                if not _vanishes(e.xreplace(f), source.equations, order)]
    failures += [f"{b} >= 0" for b in target.bounds if not _implied(b.xreplace(f), hyps)]
    text = (f"every equation and bound of {target.name}, with the map substituted, holds on "
            f"{source.name} ({_count(len(target.equations), 'equation')} reduced to $0$ on the "
            f"set, {_count(len(target.bounds), 'bound')} implied by its bounds and the "
            "geometry)")
    return not failures, text if not failures else f"{text}; not shown: {failures}"


def check_bijection(source: IndexSet, target: IndexSet, forward: dict, backward: dict,
                    context: Sequence[sympy.Expr] = GEOMETRY + ENTRY) -> BijectionProof:
    """Run the five checks (see the module docstring) and return the proof.

    Examples
    --------
    >>> proof = check_bijection(scatter_set(), zero_insertion_set(),
    ...                         {FLIPPED: TAP, PADDED: ROW + d * TAP, INSERTED: s * COLUMN},
    ...                         {TAP: FLIPPED})   # no flip: not a bijection of the terms
    >>> proof.holds, [c.name for c in proof.checks if not c.passed]
    (False, ['into', 'back', 'terms'])
    """
    into, into_text = _maps_into(source, target, forward, context)
    back, back_text = _maps_into(target, source, backward, context)
    s_order, t_order = (*source.variables, ROW, COLUMN), (*target.variables, ROW, COLUMN)
    there_and_back = all(_vanishes(canon(backward[v].xreplace(forward)) - v, source.equations,
                                   s_order) for v in source.variables)
    back_and_there = all(_vanishes(canon(forward[v].xreplace(backward)) - v, target.equations,
                                   t_order) for v in target.variables)
    terms = _vanishes(target.tap.xreplace(forward) - source.tap, source.equations, s_order)
    sizes = [(what, a, b, prove_for_all(a, b, context)) for what, a, b in
             (("rows", source.rows, target.rows), ("columns", source.columns, target.columns))]
    shape_text = "; ".join(
        f"{what}: " + ("not shown equal" if found is None else
                       "the same ring element" if not found.lemmas() else
                       "equal by " + ", ".join(found.lemmas()))
        for what, a, b, found in sizes) + " (source = target below)"
    shape_math = tuple(Math(f"\\text{{{what}: }} {sympy.latex(a)} = {sympy.latex(b)}",
                            f"{what}: {a} = {b}") for what, a, b, _ in sizes)
    mapped_tap = sympy.simplify(target.tap.xreplace(forward))
    shape_ok = all(found is not None and found.check() for *_, found in sizes)
    shape_steps = tuple(step for *_, found in sizes if found is not None and found.lemmas()
                        for step in found.steps())
    queries = _smt_queries(source, target, forward, backward, tuple(context))
    checks = (
        Check("into", into, into_text, (), queries["into"]),
        Check("back", back, back_text.replace("the map", "the backward map"), (),
              queries["back"]),
        Check("inverse", there_and_back and back_and_there, "backward after forward is the "
              "identity on the source's points, forward after backward on the target's "
              "(each reduces to the variable on its set)", (), queries["inverse"]),
        Check("terms", terms, "each term's kernel tap is sent to the same kernel entry",
              (Math(f"{sympy.latex(target.tap)} = {sympy.latex(mapped_tap)}\\quad"
                    f"\\text{{at }} {_assignment_latex(forward, target.tap)}",
                    f"{target.tap} = {mapped_tap} at {forward}"),), queries["terms"]),
        Check("shape", shape_ok, shape_text, shape_math,
              tuple(certify_claim(a, b, tuple(context)) for _, a, b, _ in sizes)),
    )
    for check in checks:
        refuted = [c for c in check.certificates if c.status == "sat"]
        if check.passed and refuted:
            raise CertificateDisagreement(
                f"the index-set checks pass check {check.name!r} of {source.name} -> "
                f"{target.name}, but {refuted[0].solver} finds the counterexample "
                f"{refuted[0].model} to {refuted[0].claim}: please report this bug")
    return BijectionProof(source, target, forward, backward, checks, shape_steps)


def _smt_queries(source: IndexSet, target: IndexSet, forward: dict, backward: dict,
                 context: tuple[sympy.Expr, ...]) -> dict[str, tuple[Certificate, ...]]:
    """The four point checks as SMT queries: on the points of one set (its bounds and the
    geometry ``>= 0``, its equations ``= 0``) the goals must hold.

    The image of a point is named, not substituted: the target's variables get fresh
    names ``f_v`` with the map's equations ``f_v = f_v(x)`` as hypotheses (the source's,
    ``b_v``, for the backward map), so the solver itself composes the maps. into: the
    target's bounds ``>= 0`` and equations ``= 0`` hold at ``y``; back: the same the
    other way; inverse: ``x' = b(f(x))`` is ``x`` on the source, ``y' = f(b(y))`` is ``y``
    on the target; terms: the tap at ``y`` is the tap at ``x``. The products of sizes and
    variables (``d m``, ``s i``) stay products: z3's nonlinear integer arithmetic decides
    these queries (each in a few hundredths of a second, measured)."""
    ys = {v: sympy.Symbol(f"f_{v.name}") for v in target.variables}  # not y, x: the signals
    xs = {v: sympy.Symbol(f"b_{v.name}") for v in source.variables}
    image = tuple(ys[v] - forward[v] for v in target.variables)  # y = f(x)
    preimage = tuple(xs[v] - backward[v] for v in source.variables)  # x = b(y)

    def on(index_set: IndexSet, maps: tuple, nonnegative: tuple = (), zero: tuple = ()
           ) -> Certificate:
        return certify_implication((*context, *index_set.bounds),
                                   (*index_set.equations, *maps),
                                   tuple(nonnegative), tuple(zero))

    def at(items: tuple[sympy.Expr, ...], names: dict) -> tuple[sympy.Expr, ...]:
        return tuple(e.xreplace(names) for e in items)

    return {
        "into": (on(source, image, at(target.bounds, ys), at(target.equations, ys)),),
        "back": (on(target, preimage, at(source.bounds, xs), at(source.equations, xs)),),
        "inverse": (on(source, (*image, *(xs[v] - backward[v].xreplace(ys)
                                          for v in source.variables)),
                       zero=tuple(xs[v] - v for v in source.variables)),
                    on(target, (*preimage, *(ys[v] - forward[v].xreplace(xs)
                                             for v in target.variables)),
                       zero=tuple(ys[v] - v for v in target.variables))),
        "terms": (on(source, image, zero=(target.tap.xreplace(ys) - source.tap,)),),
    }


# Forward correlations: row i (output), column j (input), pads p_before and p_after.
pb, pa = SYMBOLS["p_before"], SYMBOLS["p_after"]
#: The stride-s correlation's last window start, floor(M/s), M = n + p_b + p_a - d(k-1) - 1.
_LAST = sympy.floor((n + pb + pa - d * (k - 1) - 1) / s)
FORWARD_GEOMETRY = (n - 1, k - 1, s - 1, d - 1, pb, pa, n + pb + pa - d * (k - 1) - 1)
FORWARD_ENTRY = (COLUMN, _LAST - COLUMN, ROW, n - 1 - ROW)  # 0 <= i <= out - 1, 0 <= j <= n-1
SAMPLE, ZI_TAP = sympy.Symbol("t"), sympy.Symbol("u")  # D_s's sample l = s i; zi's tap u


def correlation_set(stride: sympy.Expr = s, dilation: sympy.Expr = d) -> IndexSet:
    """``C`` entry ``(i, j)``: tap ``m`` when window ``i`` reads input ``j = s i - p_b + d m``.

    Examples
    --------
    >>> correlation_set().taps({"n": 5, "k": 3, "s": 2, "p_before": 1, "p_after": 1,
    ...                         "d": 1, "i": 1, "j": 2})
    [1]
    """
    name = f"$C$ (stride ${sympy.latex(stride)}$, dilation ${sympy.latex(dilation)}$)"
    return IndexSet(name, (TAP,),
                    ((ROW, stride * COLUMN - pb + dilation * TAP),), (TAP, k - 1 - TAP), TAP,
                    sympy.floor((n + pb + pa - dilation * (k - 1) - 1) / stride) + 1, n,
                    r"window $i$ with tap $m$ reads input $j = s i - p_b + d m$ (if "
                    r"$0 \le j \le n - 1$)",
                    "(i, j)")


def subsampled_set() -> IndexSet:
    """``D_s C_1`` entry ``(i, j)``: ``D_s`` keeps row ``t = s i`` of the stride-1 ``C_1``.

    Examples
    --------
    >>> subsampled_set().taps({"n": 5, "k": 3, "s": 2, "p_before": 1, "p_after": 1,
    ...                        "d": 1, "i": 1, "j": 2})
    [1]
    """
    out_1 = n + pb + pa - d * (k - 1)
    return IndexSet("$D_s C_1$", (SAMPLE, TAP),
                    ((SAMPLE, s * COLUMN), (ROW, SAMPLE - pb + d * TAP)),
                    (TAP, k - 1 - TAP, SAMPLE, out_1 - 1 - SAMPLE), TAP,
                    sympy.ceiling(out_1 / s), n,
                    r"$(D_s C_1)[i, j] = \sum_t D_s[i, t] C_1[t, j]$: $D_s[i, t] = 1$ when "
                    r"$t = s i$ ($0 \le t \le \mathrm{out}_1 - 1$, decimation to "
                    r"$\lceil \mathrm{out}_1/s \rceil$ rows); $C_1[t, j] = k_m$ when "
                    r"$j = t - p_b + d m$", "(i, j)")


def zero_inserted_kernel_set() -> IndexSet:
    """``C_1(zi_d k)`` entry ``(i, j)``: tap ``u`` of the zero-inserted kernel is ``k_m`` when
    ``u = d m`` and 0 otherwise.

    Examples
    --------
    >>> zero_inserted_kernel_set().taps({"n": 5, "k": 2, "s": 1, "p_before": 0,
    ...                                  "p_after": 0, "d": 2, "i": 0, "j": 2})
    [1]
    """
    return IndexSet(r"$C_1(\mathrm{zi}_d k)$", (ZI_TAP, TAP), ((ZI_TAP, d * TAP),
                                                   (ROW, s * COLUMN - pb + ZI_TAP)),
                    (ZI_TAP, d * (k - 1) - ZI_TAP, TAP, k - 1 - TAP), TAP,
                    sympy.floor((n + pb + pa - (d * (k - 1) + 1 - 1) - 1) / s) + 1, n,
                    r"the undilated correlation with the kernel of size $d(k-1) + 1$ whose tap "
                    r"$u$ is $k_m$ when $u = d m$, else $0$: window $i$ with tap $u$ reads "
                    r"$j = s i - p_b + u$",
                    "(i, j)")


def patch_set() -> IndexSet:
    """``X(x) k`` (im2col) entry ``(i, j)``: the coefficient of ``k_m x_j`` in row ``i``.
    ``X[i, m] = xpad[s i + d m]`` reads the padded input at ``t = s i + d m``, which is
    input ``j = t - p_b`` (zero padding elsewhere).

    Examples
    --------
    >>> patch_set().taps({"n": 5, "k": 3, "s": 2, "p_before": 1, "p_after": 1,
    ...                   "d": 1, "i": 1, "j": 2})
    [1]
    """
    padded = n + pb + pa
    return IndexSet("$X(x) k$", (SAMPLE, TAP), ((SAMPLE, s * COLUMN + d * TAP),
                                              (ROW, SAMPLE - pb)),
                    (TAP, k - 1 - TAP, SAMPLE, padded - 1 - SAMPLE), TAP,
                    sympy.floor((padded - d * (k - 1) - 1) / s) + 1, n,
                    r"the patch matrix $X[i, m] = \bar x[s i + d m]$ ($\bar x$ the padded input; "
                    r"one row per window, one column per tap) times the kernel: row $i$ holds "
                    r"$k_m \bar x[t]$ with $t = s i + d m$, and $\bar x[t]$ is $x_j$ for "
                    r"$j = t - p_b$ inside the input", "(i, j)")


def _from_correlation(target: IndexSet, placed: dict[sympy.Symbol, sympy.Expr]
                      ) -> BijectionProof:
    """The bijection from the correlation's terms to ``target``'s that keeps the tap ``m``
    and puts the target's other variable where ``placed`` says; back: keep ``m``."""
    return check_bijection(correlation_set(), target, {**placed, TAP: TAP}, {TAP: TAP},
                           FORWARD_GEOMETRY + FORWARD_ENTRY)


@cache
def correlation_equals_patches() -> BijectionProof:
    """``C(k) x = X(x) k``: ``m -> (t = s i + d m, m)``; back ``(t, m) -> m``.

    Examples
    --------
    >>> correlation_equals_patches().holds
    True
    """
    return _from_correlation(patch_set(), {SAMPLE: s * COLUMN + d * TAP})


@cache
def strided_equals_subsampled() -> BijectionProof:
    """``C_s = D_s C_1``: ``m -> (t = s i, m)``; back ``(t, m) -> m``.

    Examples
    --------
    >>> strided_equals_subsampled().holds
    True
    """
    return _from_correlation(subsampled_set(), {SAMPLE: s * COLUMN})


@cache
def dilated_equals_zero_inserted_kernel() -> BijectionProof:
    """``C_d(k) = C_1(zi_d k)``: ``m -> (u = d m, m)``; back ``(u, m) -> m``.

    Examples
    --------
    >>> dilated_equals_zero_inserted_kernel().holds
    True
    """
    return _from_correlation(zero_inserted_kernel_set(), {ZI_TAP: d * TAP})


@cache
def transposed_equals_zero_insertion() -> BijectionProof:
    """Scatter-defined ``T`` = ``C_flip P Z``: ``m' = k - 1 - m`` (the flip), ``u = s i``,
    ``t = j + d m'``; back: ``m = k - 1 - m'``."""
    forward = {FLIPPED: k - 1 - TAP, PADDED: ROW + d * (k - 1 - TAP), INSERTED: s * COLUMN}
    return check_bijection(scatter_set(), zero_insertion_set(), forward,
                           {TAP: k - 1 - FLIPPED})


def _assignment_latex(mapping: dict, expr: sympy.Expr) -> str:
    """``v = e`` for the mapped variables that occur in ``expr``."""
    return ",\\ ".join(f"{sympy.latex(v)} = {sympy.latex(e)}" for v, e in mapping.items()
                        if v in expr.free_symbols) or "(no variable)"


@cache
def transposed_equals_transpose() -> BijectionProof:
    """Scatter-defined ``T`` = ``C^T``: the same index set, the identity map. ``C`` is the
    correlation whose transposed layer this is, so ``op <= s - 1`` (the forward size
    ``OUT`` maps back to ``n`` windows exactly then: theorem transposed-output-size).

    Examples
    --------
    >>> print(transposed_equals_transpose().checks[-1].detail)  # doctest: +NORMALIZE_WHITESPACE
    rows: the same ring element; columns: equal by floor-shift, floor-characterisation
    (source = target below)
    """
    return check_bijection(scatter_set(), transpose_set(), {TAP: TAP}, {TAP: TAP},
                           GEOMETRY + (s - 1 - op,) + ENTRY)


_PRODUCT = ("The index forms are Cartesian products of the "
            "per-axis sets (a multi-index reads axis by axis) and of the channel pairs, and "
            "the channel part is the same on both sides (kernel entry $k[o, c, m]$ joins "
            "input channel $c$ of the forward correlation, within its group, to its output "
            "channel $o$; in the transposed layout it is $w[o, c, m]$, the same entry, joining "
            "input channel $o$ of $T$ to its output channel $c$); a product of bijections is "
            "a bijection, so the one-axis, one-channel proof gives every shape. This step is "
            "the argument stated here; the instance above is also checked symbolically.")

#: The sizes of a forward one-axis layer, as every forward scope below states them.
_FORWARD_SIZES = (r"(sizes $n, k, s, d \ge 1$, pads $p_b, p_a \ge 0$, the dilated kernel "
                  "fitting the padded input)")

#: For each theorem: the bijection proof and what it proves for all sizes.
_SCOPES = {
    "transpose": (transposed_equals_transpose,
                  r"For every one-axis, one-channel layer ($n \ge 1$ inputs to the transposed "
                  r"layer, $k, s, d \ge 1$, $p \ge 0$, and output_padding "
                  r"$0 \le \mathrm{op} \le s - 1$: the forward size it inverts), the scatter "
                  r"rule's terms and $C^{\mathsf T}$'s are the same (identity bijection) and "
                  r"the shapes agree, so $T = C^{\mathsf T}$."),
    "adjoint": (transposed_equals_transpose,
                "For every layer whose transposed layer inverts its size (as in the "
                r"transpose proof): $T = C^{\mathsf T}$, shown below for one axis and one "
                r"channel; and for every matrix, $\langle C x, y\rangle = \sum_i \sum_j "
                r"C_{ij} x_j y_i = \sum_j x_j \sum_i (C^{\mathsf T})_{ji} y_i = \langle x, "
                r"C^{\mathsf T} y\rangle$ (reordering a finite sum). Together: "
                r"$\langle C x, y\rangle = \langle x, T y\rangle$ for every size."),
    "stride-as-subsampling": (
        strided_equals_subsampled,
        "For every one-axis, one-channel layer " + _FORWARD_SIZES + ", the terms of $C_s$ "
        r"and of $D_s C_1$ correspond one to one ($m \mapsto (t = s i, m)$) with the same "
        r"kernel tap, and the shapes agree ($\lceil \mathrm{out}_1/s \rceil = "
        r"\lfloor M/s \rfloor + 1$ rows), so $C_s = D_s C_1$."),
    "dilation": (
        dilated_equals_zero_inserted_kernel,
        "For every one-axis, one-channel layer " + _FORWARD_SIZES + ", the terms of "
        r"$C_d(k)$ and of $C_1(\mathrm{zi}_d\, k)$ correspond one to one "
        r"($m \mapsto (u = d m, m)$) with the same kernel tap (the taps of "
        r"$\mathrm{zi}_d\, k$ off the multiples of $d$ are zero: no term), and the shapes "
        r"agree, so $C_d(k) = C_1(\mathrm{zi}_d\, k)$."),
    "im2col": (
        correlation_equals_patches,
        "For every one-axis, one-channel layer " + _FORWARD_SIZES + ", entry $(i, j)$ of "
        r"$C(k)$ is the coefficient of $x_j$ in $(C(k) x)_i$ and entry $(i, j)$ of the "
        r"index set of $X(x) k$ the coefficient of $x_j$ in $(X(x) k)_i$; their terms "
        r"correspond one to one ($m \mapsto (t = s i + d m, m)$) with the same kernel tap "
        r"$k_m$, and the shapes agree, so $C(k) x = X(x) k$ for every size."),
    "gradients": (
        transposed_equals_transpose,
        r"With $J = \sum_i G_i Z_i$ and $Z_i = \sum_m K_m V_{s i - p + d m}$ (the "
        r"correlation's index set; $K$ is the forward kernel $k$), "
        r"$\partial J/\partial V_j$ is the sum of the coefficients $K_m G_i$ of the terms "
        r"holding $V_j$: the terms of the scatter rule, $\{(i, m) : j = s i - p + d m\}$, so "
        r"$\partial J/\partial V = T G = h(K, G, s)$; and $T = C^{\mathsf T}$ for every size "
        r"(below, for one axis and one channel), so $\partial J/\partial V = C^{\mathsf T} G$. "
        r"$\partial J/\partial K_m$ is the sum of $G_i V_{s i - p + d m}$ over the windows "
        r"$i$ that read a real input, which is $g(G, V, s)$ by its definition. "
        "Differentiating a polynomial term by term is the only step not shown "
        "mechanically."),
    "transposed-as-convolution": (
        transposed_equals_zero_insertion,
        r"For every one-axis, one-channel ConvTranspose ($n, k, s, d \ge 1$, $p \ge 0$, any "
        r"output_padding $\mathrm{op} \ge 0$ with at least one output), the scatter rule's "
        r"terms and those of $C_{\mathrm{flip}} P Z$ ($s - 1$ zeros between samples, pads "
        r"$d(k-1) - p$ before and $d(k-1) - p + \mathrm{op}$ after, a negative pad "
        r"cropping) correspond one to one with the same kernel tap, and the shapes agree, "
        r"so $T = C_{\mathrm{flip}} P Z$."),
}


def theorem_steps(name: str) -> tuple[list[Step], bool]:
    """The index-set proof for all sizes of a catalogue theorem, and whether it holds.

    Examples
    --------
    >>> steps, ok = theorem_steps("transpose")
    >>> ok, steps[0].title
    (True, 'For all sizes: what is proved')
    """
    build, scope = _SCOPES[name]
    proof = build()
    for _, certificate in proof.certificates():
        record(certificate)  # for --smt FILE, also when the proof was built earlier
    kept = _RENDERED.get(name)
    if kept is None or kept[0] is not proof:  # rendered once per built proof
        kept = _RENDERED[name] = (proof, _rendered_steps(name, proof, scope))
    steps, ok = kept[1]
    return list(steps), ok


#: Each theorem's index-set steps, rendered once per built proof (a proof is built once per
#: process; clearing its builder's cache builds and renders it again).
_RENDERED: dict[str, tuple[Any, tuple[tuple[Step, ...], bool]]] = {}


def _rendered_steps(name: str, proof: Any, scope: str) -> tuple[tuple[Step, ...], bool]:
    """:func:`theorem_steps`'s steps for ``proof`` and whether it holds, built once."""
    if not proof.holds:
        failed = ", ".join(c.name for c in proof.checks if not c.passed)
        return (Step("Not proved for all sizes", f"{name}: the index-set checks do not pass "
                     f"check {failed} of the bijection (for shape: the size claim has no "
                     "proof certified by both judges)."),), False
    if not proof.certified:
        return (Step("Not proved for all sizes", f"{name}: the index-set checks pass, but "
                     "the SMT judge did not certify " + "; ".join(
                         f"check {what}: {c.claim} ({c.reason or c.status})"
                         for what, c in proof.certificates() if not c.certified)
                     + ". The bijection rests on one judge alone, so it is not counted as "
                     "proved for all sizes."),), False
    head = Step("For all sizes: what is proved", scope + " Each check below is mechanical: "
                "ring normalisation and Fourier--Motzkin implication, as in the counting "
                "proofs, and each is also an SMT query certified by the second judge (the "
                "step 'Second judge: SMT' lists them). Any other part of the statement rests "
                "on the other evidence listed.")
    verify("product-of-nonnegatives")
    fact = Step("Fact product-of-nonnegatives", FACTS["product-of-nonnegatives"][0]
                + _fact_certified("product-of-nonnegatives"),
                (Math(FACTS["product-of-nonnegatives"][1], "a b >= 0 (a >= 0, b >= 0)"),))
    return (head, *proof.steps(), _judges_step(proof), fact,
            Step("Several axes and channels", _PRODUCT)), True


def _fact_certified(name: str) -> str:
    """What the SMT judge says of a box-checked fact, for its step ("" if not certified)."""
    certificate = certify_fact(name)
    if certificate is not None and certificate.status == "sat":
        raise CertificateDisagreement(f"fact {name} is checked on its box, but "
                                      f"{certificate.solver} finds the counterexample "
                                      f"{certificate.model}: please report this bug")
    if certificate is None or not certificate.certified:
        return ""
    return (f" Certified for all integers by {certificate.solver} too (unsat), not only on "
            "its finite box.")


def _judges_step(proof: BijectionProof) -> Step:
    """The step naming what both judges certified: each check's SMT query, by its goals and
    the set it ranges over (the full claims head the queries written by --smt FILE)."""
    found = proof.certificates()
    source, target = proof.source.name, proof.target.name
    over = [source, target, source, target, source, "the geometry: rows",
            "the geometry: columns"]
    listed = "; ".join(f"{what} (on {where})" for (what, _), where in zip(found, over,
                                                                           strict=True))
    goals = tuple(_goal_lines(what, c.claim.split(" when ")[0]) for what, c in found)
    return Step("Second judge: SMT", "Certified twice: by the index-set checks above (ring "
                f"normalisation, Fourier--Motzkin) and by {found[0][1].solver}: for each "
                "check, no point of the set named (its bounds, the geometry and the entry "
                r"range $\ge 0$, its equations $= 0$), with its image under the map named "
                "$f_v$ (forward) or $b_v$ (backward) by the map's equations, where a goal fails "
                f"(${len(found)}$ queries, each unsat; the products $d m$, $s i$ kept as "
                "products; quotients and remainders of every floor explicit unknowns; each "
                "query, its hypotheses in full, is written by --smt FILE). The goals, in "
                f"order: {listed}.", tuple(line for lines in goals for line in lines))


_RELATION = {">=": r"\ge", "<=": r"\le", "=": "="}
_FUNCTIONS = {"floor", "ceiling", "Mod", "Max", "Min"}


def _parsed(text: str) -> sympy.Expr:
    """SymPy's ``str`` read back, every name a plain symbol (``m'``, ``op``, ``i`` too)."""
    names: dict[str, sympy.Symbol] = {}

    def placeholder(found: re.Match[str]) -> str:
        if found[0] in _FUNCTIONS:
            return found[0]
        key = f"v{len(names)}"
        names[key] = sympy.Symbol(found[0])
        return key

    return sympy.parse_expr(re.sub(r"[A-Za-z_][A-Za-z0-9_]*'*", placeholder, text),
                            local_dict=names)


def _goal_lines(check: str, goals: str, per_line: int = 3) -> list[Math]:
    """A check's goals as display lines of at most ``per_line`` goals, the first named."""
    parts, latex = goals.split(" and "), goals_latex(goals).split(r",\ ")
    return [Math((r"\text{" + check + r"}\colon\ " if at == 0 else r"\qquad ")
                 + r",\ ".join(latex[at:at + per_line]),
                 (f"{check}: " if at == 0 else "    ") + " and ".join(parts[at:at + per_line]))
            for at in range(0, len(parts), per_line)]


def goals_latex(goals: str) -> str:
    r"""LaTeX of an SMT claim's goals, ``A >= 0 and B = 0`` (SymPy's ``str`` of each side);
    a part SymPy cannot read is kept as typewriter text.

    Examples
    --------
    >>> print(goals_latex("f_m' >= 0 and -d*f_m' + j = 0 and n = floor((op + s)/s)"))
    f_{m'} \ge 0,\ - d f_{m'} + j = 0,\ n = \left\lfloor{\frac{op + s}{s}}\right\rfloor
    """
    out = []
    for part in goals.split(" and "):
        found = re.fullmatch(r"(.+?) (>=|<=|=) (.+)", part.strip())
        try:
            left, right = (_parsed(side) for side in (found[1], found[3]))
        except Exception:  # noqa: BLE001 - display only: show what the solver was given
            out.append(r"\texttt{" + part.replace("_", r"\_") + "}")
            continue
        out.append(f"{sympy.latex(left)} {_RELATION[found[2]]} {sympy.latex(right)}")
    return r",\ ".join(out)


__all__ = ["BijectionProof", "Check", "IndexSet", "check_bijection", "correlation_equals_patches",
           "patch_set", "scatter_set",
           "theorem_steps",
           "transpose_set", "transposed_equals_transpose", "transposed_equals_zero_insertion",
           "zero_insertion_set"]
