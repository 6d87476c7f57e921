"""The prover's lemmas and facts: each stated with its derivation and checked exactly on a
finite box."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import sympy

from ..proof import Math, Step
from .evaluate import Evaluation, evaluate, run_exact
from .normal_form import A, B, C, Iverson, M, Q, T, Windows, X, Y, ceil, floor

#: The box every lemma is checked on: |a|, |b|, |M|... <= BOX, 1 <= divisors <= DIVISORS.
BOX = 200
DIVISORS = 12
SMALL = 20


@dataclass(frozen=True)
class Lemma:
    """A rewrite ``lhs -> rhs`` valid whenever every ``condition >= 0``.

    ``integers`` must be integer-valued; ``divisors`` range over ``1..DIVISORS`` in
    the finite check and the others over ``-BOX..BOX`` (``small`` over ``-20..20``).
    """

    name: str
    lhs: sympy.Expr
    rhs: sympy.Expr
    conditions: tuple[sympy.Expr, ...]
    integers: tuple[sympy.Symbol, ...]
    divisors: tuple[sympy.Symbol, ...]
    derivation: str
    small: tuple[sympy.Symbol, ...] = ()

    @property
    def variables(self) -> tuple[sympy.Symbol, ...]:
        syms = (self.lhs.free_symbols | self.rhs.free_symbols
                | set().union(*(c.free_symbols for c in self.conditions)))
        return tuple(sorted(syms, key=lambda x: x.name))

    def statement_latex(self) -> str:
        conds = ",\\ ".join(f"{sympy.latex(c)} \\ge 0" for c in self.conditions)
        where = f"\\quad ({conds})" if conds else ""
        return f"{sympy.latex(self.lhs)} = {sympy.latex(self.rhs)}{where}"

    def statement(self) -> str:
        conds = ", ".join(f"{c} >= 0" for c in self.conditions)
        return f"{self.lhs} = {self.rhs}" + (f"  ({conds})" if conds else "")

    def step(self) -> Step:
        """The lemma with its derivation, as a :class:`Step`."""
        return Step(f"Lemma {self.name}", self.derivation,
                    (Math(self.statement_latex(), self.statement()),))


_DIV = ("Division with remainder: for integers $a$ and $s \\ge 1$ there are unique "
        "integers $q = \\lfloor a/s \\rfloor$ and $r = a - sq$ with $0 \\le r \\le s-1$. ")

LEMMAS: dict[str, Lemma] = {lemma.name: lemma for lemma in (
    Lemma("mod-definition", sympy.Mod(A, T), A - T * floor(A / T), (T - 1,), (A, T), (T,),
          _DIV + "Python's $a \\bmod s$ is that $r$: $a \\bmod s = a - s\\lfloor a/s\\rfloor$."),
    Lemma("ceil-to-floor", ceil(A / T), floor((A + T - 1) / T), (T - 1,), (A, T), (T,),
          _DIV + "If $r = 0$ both sides are $q$ (as $0 \\le s-1 < s$). If $r \\ge 1$ the "
          "ceiling is $q+1$ and $a + s - 1 = s(q+1) + (r-1)$ with $0 \\le r-1 < s$, so the "
          "floor is $q+1$ too."),
    Lemma("floor-shift", floor((A + B * T) / T), floor(A / T) + B, (T - 1,), (A, B, T), (T,),
          _DIV + "$a + bs = s(q + b) + r$ with the same $0 \\le r < s$; by uniqueness the "
          "quotient is $q + b$.", (B,)),
    Lemma("floor-exact", floor(B * T / T), B, (T - 1,), (B, T), (T,),
          "When $s \\mid a$, i.e. $a = bs$: $a = s\\cdot b + 0$ is division with remainder "
          "($r = 0$), so $\\lfloor a/s \\rfloor = a/s = b$.", (B,)),
    Lemma("floor-characterisation", floor(A / T), Q, (T - 1, A - T * Q, T * Q + T - 1 - A),
          (A, Q, T), (T,),
          _DIV + "If $sq \\le a \\le sq + s - 1$ then $r = a - sq$ satisfies $0 \\le r < s$; "
          "by uniqueness $\\lfloor a/s \\rfloor = q$.", (Q,)),
    Lemma("floor-floor", floor(floor(A / B) / C), floor(A / (B * C)), (B - 1, C - 1), (A, B, C),
          (B, C), "Write $a = bq + r$ ($0 \\le r < b$) and $q = cq' + r'$ ($0 \\le r' < c$). "
          "Then $a = bc\\,q' + (br' + r)$ with $0 \\le br' + r \\le b(c-1) + b - 1 = bc - 1$, "
          "so $\\lfloor a/(bc) \\rfloor = q' = \\lfloor \\lfloor a/b \\rfloor / c \\rfloor$."),
    Lemma("window-count", Windows(M, T), floor(M / T) + 1, (T - 1, M + T), (M, T), (T,),
          "For an integer $i \\ge 0$: $si \\le M \\iff i \\le M/s \\iff i \\le \\lfloor M/s "
          "\\rfloor$. So the window starts are $i = 0, 1, \\dots, \\lfloor M/s \\rfloor$, "
          "$\\lfloor M/s \\rfloor + 1$ of them; this count is $\\ge 0$ exactly when "
          "$\\lfloor M/s \\rfloor \\ge -1$, i.e. $M \\ge -s$ (division with remainder)."),
    Lemma("max-left", sympy.Max(X, Y), X, (X - Y,), (), (),
          "The larger of $x$ and $y$ is $x$ when $x \\ge y$."),
    Lemma("min-left", sympy.Min(X, Y), X, (Y - X,), (), (),
          "The smaller of $x$ and $y$ is $x$ when $x \\le y$."),
    Lemma("max-shift", sympy.Max(X + C, Y + C), sympy.Max(X, Y) + C, (), (), (),
          "Adding $c$ to both arguments preserves their order."),
    Lemma("min-shift", sympy.Min(X + C, Y + C), sympy.Min(X, Y) + C, (), (), (),
          "Adding $c$ to both arguments preserves their order."),
    Lemma("floor-min", floor((sympy.Min(A, B) + C) / T),
          sympy.Min(floor((A + C) / T), floor((B + C) / T)), (T - 1,), (A, B, C, T), (T,),
          "Adding $c$ preserves order and $x \\mapsto \\lfloor x/s \\rfloor$ is "
          "non-decreasing for $s \\ge 1$, so both map the smaller argument to the smaller "
          "value."),
    Lemma("floor-max", floor((sympy.Max(A, B) + C) / T),
          sympy.Max(floor((A + C) / T), floor((B + C) / T)), (T - 1,), (A, B, C, T), (T,),
          "Adding $c$ preserves order and $x \\mapsto \\lfloor x/s \\rfloor$ is "
          "non-decreasing for $s \\ge 1$, so both map the larger argument to the larger "
          "value."),
    Lemma("abs-definition", sympy.Abs(X), sympy.Max(X, -X), (), (), (),
          "$|x|$ is $x$ when $x \\ge 0$ and $-x$ otherwise: the larger of $x, -x$."),
    Lemma("halves", floor(A / 2), A - floor((A + 1) / 2), (), (A,), (),
          "Write $a = 2q + r$, $r \\in \\{0, 1\\}$: $\\lfloor (a+1)/2 \\rfloor = q + r$, and "
          "$q + (q + r) = a$."),
    Lemma("drop-indicator", Iverson(T * ceil(A / T) - B),
          ceil(A / T) + 1 - sympy.Min(ceil(A / T) + 1, ceil(B / T)), (T - 1, B - A), (A, B, T),
          (T,), "Let $c = \\lceil a/s \\rceil$ and $m = \\lceil b/s \\rceil$, the least "
          "integer with $sm \\ge b$ (division with remainder). As $a \\le b$ and the ceiling "
          "is non-decreasing, $c \\le m$. If $sc \\ge b$ then $c \\ge m$ (leastness), so "
          "$c = m$, $\\min(c+1, m) = c$ and the right side is $1$. Otherwise $c < m$, so "
          "$c + 1 \\le m$, $\\min(c + 1, m) = c + 1$ and the right side is $0$. For pooling, "
          "$a = n + 2p - d(k-1) - 1$ and $b = n + p$: $a \\le b$ is $p \\le d(k-1) + 1$, so "
          "at most one window can start in the right padding (it follows from $2p \\le k$).",
          (A, B)),
)}

#: Facts (not rewrites) the discharger, or a theorem's argument, uses, with their derivation;
#: checked by verify_lemmas.
FACTS = {
    "division-with-remainder": (_DIV + "So $0 \\le a - s\\lfloor a/s \\rfloor \\le s - 1$.",
                                r"0 \le a - s\lfloor a/s \rfloor \le s - 1\quad (s \ge 1)"),
    "floor-nonnegative": ("If $a \\ge 0$ then $s\\lfloor a/s\\rfloor \\ge a - s + 1 > -s$, so "
                          "$\\lfloor a/s \\rfloor > -1$.",
                          r"\lfloor a/s \rfloor \ge 0\quad (a \ge 0,\ s \ge 1)"),
    "product-bound": ("$(x - l_x)(y - l_y) \\ge 0$ when $x \\ge l_x \\ge 0$ and "
                      "$y \\ge l_y \\ge 0$.",
                      r"xy \ge l_x y + l_y x - l_x l_y"),
    "last-term-split": ("A sum (product) over $l \\le L + 1$ is the sum (product) over "
                        "$l \\le L$ plus (times) its last term; the empty sum is 0, the empty "
                        "product 1. So $r_L = 1 + \\sum_{l \\le L} d_l(k_l-1)S_{l-1}$, "
                        "$S_L = \\prod_{l \\le L} s_l$, $P_L = \\sum_{l \\le L} p_l S_{l-1}$ "
                        "are the solution of the recurrences from $r_0 = S_0 = 1$, $P_0 = 0$.",
                        r"r_{L+1} = r_L + d_{L+1}(k_{L+1}-1) S_L,\ S_{L+1} = S_L s_{L+1},\ "
                        r"P_{L+1} = P_L + p_{L+1} S_L"),
    "nonnegative-product-support": (
        "$(AB)_{ij} = \\sum_l A_{il} B_{lj}$. When every entry is $\\ge 0$ each term is "
        "$\\ge 0$, so the sum is $0$ exactly when every term is, and a term is nonzero "
        "exactly when both of its factors are: no cancellation. By induction on $L$, entry "
        "$(o, j)$ of a product $C_L \\cdots C_1$ of non-negative matrices is nonzero exactly "
        "when there is a path $o = j_L, j_{L-1}, \\dots, j_0 = j$ with every "
        "$(C_l)_{j_l j_{l-1}} \\ne 0$.",
        r"(AB)_{ij} \ne 0 \iff \exists l:\ A_{il} \ne 0 \wedge B_{lj} \ne 0"
        r"\quad (A, B \ge 0)"),
    "product-of-nonnegatives": (
        "If $a \\ge 0$ and $b \\ge 0$ then $ab \\ge 0$ (a sum of $b$ copies of $a$). The "
        "index-set proofs use it for two bounds at a time, e.g. $s - 1 \\ge 0$ and "
        "$n - 1 - i \\ge 0$ give $s(n - 1 - i) \\ge n - 1 - i \\ge 0$.",
        r"ab \ge 0\quad (a \ge 0,\ b \ge 0)"),
    "windows-monotone": (
        "The window starts $\\{i \\ge 0 : si \\le M'\\}$ are a subset of "
        "$\\{i \\ge 0 : si \\le M\\}$ when $M' \\le M$ (as $si \\le M' \\le M$), so "
        "there are no more of them: fewer pads never give more windows.",
        r"\#\{i \ge 0 : si \le M'\} \le \#\{i \ge 0 : si \le M\}\quad (M' \le M)"),
    "touching-intervals": (
        "Let $[a_m, b_m]$, $m = 0, \\dots, K-1$, be non-empty integer intervals with "
        "$a_0 \\le a_1 \\le \\dots$, $b_0 \\le b_1 \\le \\dots$ and "
        "$a_{m+1} \\le b_m + 1$. Every interval lies in $[a_0, b_{K-1}]$. Conversely take "
        "$a_0 \\le x \\le b_{K-1}$ and the least $m$ with $x \\le b_m$: if $m = 0$, "
        "$x \\in [a_0, b_0]$; otherwise $x \\ge b_{m-1} + 1 \\ge a_m$, so "
        "$x \\in [a_m, b_m]$. So the union is the whole interval $[a_0, b_{K-1}]$.",
        r"\bigcup_{m<K} [a_m, b_m] = [a_0, b_{K-1}]\quad (a_{m+1} \le b_m + 1)"),
}


def _box(lemma: Lemma) -> dict[sympy.Symbol, np.ndarray]:
    """Divisors in ``1..DIVISORS``; other variables in ``-BOX..BOX``, except ``small``
    ones and, with more than two, all but the first: ``-SMALL..SMALL`` (all of them in
    ``-SMALL/2..SMALL/2`` when there is a divisor too)."""
    others = [v for v in lemma.variables if v not in lemma.divisors]
    ranges = []
    for var in lemma.variables:
        if var in lemma.divisors:
            low, high = 1, DIVISORS
        elif len(others) > 2 and lemma.divisors:
            low, high = -SMALL // 2, SMALL // 2
        elif var in lemma.small or (len(others) > 2 and var != others[0]):
            low, high = -SMALL, SMALL
        else:
            low, high = -BOX, BOX
        ranges.append(np.arange(low, high + 1))
    grid = np.meshgrid(*ranges, indexing="ij")
    return {var: g.ravel() for var, g in zip(lemma.variables, grid)}


def check_lemma(lemma: Lemma) -> tuple[int, dict[str, int] | None]:
    """Check a lemma at every point of its box where its conditions hold.

    Returns the number of points checked and the first failing point, if any. A point
    where a condition is undefined (a division by zero), or where a condition holds and a
    side is undefined, is checked and fails: a lemma's conditions must exclude every point
    where it says nothing. The evaluation is :func:`~symconv.prover.evaluate.run_exact`'s:
    over ``int64`` where every value provably fits, else over Python integers.

    Examples
    --------
    >>> check_lemma(LEMMAS["ceil-to-floor"])
    (4812, None)
    """
    env = _box(lemma)
    columns = {v.name: col for v, col in env.items()}

    def conditions(ev: Evaluation) -> tuple[np.ndarray, np.ndarray]:
        holds = np.ones(ev.size, dtype=bool)
        for cond in lemma.conditions:
            holds &= ev.nonnegative(ev.expr(cond))
        return holds, ev.undefined.copy()

    def sides_differ(ev: Evaluation) -> np.ndarray:
        return ~ev.equal(ev.expr(lemma.lhs), ev.expr(lemma.rhs)) | ev.undefined

    holds, undecided = run_exact(conditions, columns)
    checked = holds | undecided
    columns = {name: col[checked] for name, col in columns.items()}
    failing = np.flatnonzero(run_exact(sides_differ, columns) | undecided[checked])
    if len(failing):
        return int(checked.sum()), {name: int(col[failing[0]]) for name, col in columns.items()}
    return int(checked.sum()), None


def _division_grid() -> tuple[np.ndarray, np.ndarray]:
    a, t = np.meshgrid(np.arange(-BOX, BOX + 1), np.arange(1, DIVISORS + 1), indexing="ij")
    return a.ravel(), t.ravel()


def _check_division_with_remainder() -> int:
    a, t = _division_grid()
    q = a // t
    _require_fact(np.all((a - t * q >= 0) & (a - t * q <= t - 1)), "division-with-remainder")
    return a.size


def _check_floor_nonnegative() -> int:
    a, t = _division_grid()
    _require_fact(np.all((a // t)[a >= 0] >= 0), "floor-nonnegative")
    return int((a >= 0).sum())


def _check_product_bound() -> int:
    x, y = np.meshgrid(np.arange(0, 60), np.arange(0, 60), indexing="ij")
    for lx, ly in itertools.product(range(4), range(4)):
        ok = (x >= lx) & (y >= ly)
        _require_fact(np.all((x * y >= lx * y + ly * x - lx * ly)[ok]), "product-bound")
    return 16 * x.size


def _check_product_of_nonnegatives() -> int:
    a, b = np.meshgrid(np.arange(-BOX, BOX + 1), np.arange(-BOX, BOX + 1), indexing="ij")
    both = (a >= 0) & (b >= 0)
    _require_fact(np.all((a * b)[both] >= 0), "product-of-nonnegatives")
    return int(both.sum())


def _require_fact(holds: Any, name: str) -> None:
    if not bool(holds):
        raise AssertionError(f"fact {name} fails on its box")


def _check_windows_monotone() -> int:
    """Windows(M', s) <= Windows(M, s), counted one start at a time, for every
    -SMALL <= M' <= M <= SMALL and 1 <= s <= DIVISORS."""
    bounds = np.arange(-SMALL, SMALL + 1)
    low, high, step = (g.ravel() for g in np.meshgrid(bounds, bounds,
                                                       np.arange(1, DIVISORS + 1),
                                                       indexing="ij"))
    keep = low <= high
    low, high, step = low[keep], high[keep], step[keep]
    count_low = evaluate(Windows(M, T), {M: low, T: step})[0]
    count_high = evaluate(Windows(M, T), {M: high, T: step})[0]
    _require_fact(np.all(count_low <= count_high), "windows-monotone")
    return int(keep.sum())


def _check_product_support() -> int:
    """The support of ``A @ B`` against the paths, for every pair of 0/1 matrices of shapes
    2x3 and 3x2, and every pair of 2x2 matrices with entries 0, 1, 2."""
    pairs = 0
    for shape_a, shape_b, values in (((2, 3), (3, 2), (0, 1)), ((3, 2), (2, 3), (0, 1)),
                                     ((2, 2), (2, 2), (0, 1, 2))):
        a_all = np.array(list(itertools.product(values, repeat=math.prod(shape_a))))
        b_all = np.array(list(itertools.product(values, repeat=math.prod(shape_b))))
        a_all, b_all = a_all.reshape(-1, *shape_a), b_all.reshape(-1, *shape_b)
        product = np.einsum("xil,ylj->xyij", a_all, b_all) != 0
        paths = np.einsum("xil,ylj->xyij", (a_all != 0).astype(int),
                          (b_all != 0).astype(int)) > 0
        _require_fact(np.array_equal(product, paths), "nonnegative-product-support")
        pairs += len(a_all) * len(b_all)
    return pairs


def _check_touching_intervals() -> int:
    """Every list of 1 to 3 integer intervals inside [0, 6] meeting the conditions: the union
    is [a_0, b_{K-1}]."""
    intervals = [(a, b) for a in range(7) for b in range(a, 7)]
    checked = 0
    for count in (1, 2, 3):
        for chain in itertools.product(intervals, repeat=count):
            if any(nxt[0] < cur[0] or nxt[1] < cur[1] or nxt[0] > cur[1] + 1
                   for cur, nxt in zip(chain, chain[1:])):
                continue
            union = set().union(*(range(a, b + 1) for a, b in chain))
            _require_fact(union == set(range(chain[0][0], chain[-1][1] + 1)),
                          "touching-intervals")
            checked += 1
    return checked


def _check_last_term_split() -> int:
    """The closed forms (sums and products written out) against the recurrences, for every
    chain of up to 3 layers with ``k <= 3``, ``s <= 3``, ``p <= 1``, ``d <= 2``."""
    layers = list(itertools.product(range(1, 4), range(1, 4), range(2), range(1, 3)))
    prod = math.prod
    chains = [c for length in (1, 2, 3) for c in itertools.product(layers, repeat=length)]
    for chain in chains:
        r, big_s, big_p = 1, 1, 0
        for kk, ss, pp, dd in chain:
            r, big_s, big_p = r + dd * (kk - 1) * big_s, big_s * ss, big_p + pp * big_s
        before = [prod(c[1] for c in chain[:i]) for i in range(len(chain))]
        closed = (1 + sum(c[3] * (c[0] - 1) * b for c, b in zip(chain, before)),
                  prod(c[1] for c in chain),
                  sum(c[2] * b for c, b in zip(chain, before)))
        _require_fact(closed == (r, big_s, big_p), "last-term-split")
    return len(chains)


#: How each fact is checked on its finite box (each returns the points checked).
_FACT_CHECKS = {
    "division-with-remainder": _check_division_with_remainder,
    "floor-nonnegative": _check_floor_nonnegative,
    "product-bound": _check_product_bound,
    "product-of-nonnegatives": _check_product_of_nonnegatives,
    "last-term-split": _check_last_term_split,
    "nonnegative-product-support": _check_product_support,
    "touching-intervals": _check_touching_intervals,
    "windows-monotone": _check_windows_monotone,
}
#: The facts every discharge of a precondition may use.
DISCHARGE_FACTS = ("division-with-remainder", "floor-nonnegative", "product-bound")


def verify(name: str) -> int:
    """Check one lemma or fact on its finite box (once per process for each statement the
    name has); raise if it fails.

    Returns the number of points checked.

    Examples
    --------
    >>> verify("ceil-to-floor")
    4812
    """
    lemma = LEMMAS.get(name)
    return _verify(name, lemma, None if lemma is not None else _FACT_CHECKS[name])


@cache
def _verify(name: str, lemma: Lemma | None, fact: Any) -> int:
    """:func:`verify` of the lemma (or the fact's check) the name has now: an answer kept
    for another statement under the same name is not reused."""
    if lemma is not None:
        points, failure = check_lemma(lemma)
        if failure is not None or points == 0:
            raise AssertionError(f"lemma {name} fails at {failure}")
        return points
    return fact()


def verify_lemmas() -> dict[str, int]:
    """Check every lemma and fact on its finite box; raise if one fails.

    Returns
    -------
    dict
        Lemma or fact name -> number of points checked.

    Examples
    --------
    >>> table = verify_lemmas()
    >>> table["window-count"] > 1000 and len(table) == len(LEMMAS) + len(FACTS)
    True
    """
    return {name: verify(name) for name in (*LEMMAS, *FACTS)}


