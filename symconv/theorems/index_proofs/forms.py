"""The index forms of symconv's operators, and the five bijections between them.

Entry ``(j, i)`` of a convolution-type operator is a sum of kernel taps over an
index set (:class:`~symconv.prover.bijections.IndexSet`) with the sizes
``n, k, s, p, d, op`` and the entry as parameters. This module states the index sets of
the transposed convolution three ways (its scatter rule, the transpose of the
correlation, the zero-insertion recipe), of the strided correlation two ways
(``C_s`` and ``D_s C_1``), of the dilated one two ways (``C_d(k)`` and
``C_1(zi_d k)``) and of im2col (``X(x) k``), and the bijections between them, each
checked by :func:`symconv.prover.bijections.check_bijection`.

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

from collections.abc import Sequence
from functools import cache

import sympy

from ...prover import SYMBOLS, bijections
from ...prover.bijections import COLUMN, ROW, BijectionProof, IndexSet

n, k, s, p, d, op = (SYMBOLS[name] for name in ("n", "k", "s", "p", "d", "op"))
#: The summation variables.
TAP, FLIPPED, PADDED, INSERTED = (sympy.Symbol(name) for name in ("m", "m'", "t", "u"))
#: Rows of the transposed convolution, PyTorch's formula.
OUT = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
#: The zero-inserted input (n - 1)s + 1, and the recipe's pad before it.
INSERTED_LENGTH = (n - 1) * s + 1
PAD_BEFORE = d * (k - 1) - p
PADDED_LENGTH = INSERTED_LENGTH + PAD_BEFORE + (PAD_BEFORE + op)
#: The correlation on OUT inputs: its number of windows.
FORWARD_ROWS = sympy.floor((OUT + 2 * p - d * (k - 1) - 1) / s) + 1
#: A valid transposed geometry and an entry inside the matrix.
GEOMETRY = (n - 1, k - 1, s - 1, d - 1, p, op, OUT - 1)
ENTRY = (COLUMN, n - 1 - COLUMN, ROW, OUT - 1 - ROW)


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


def check_bijection(source: IndexSet, target: IndexSet, forward: dict, backward: dict,
                    context: Sequence[sympy.Expr] = GEOMETRY + ENTRY) -> BijectionProof:
    """:func:`symconv.prover.bijections.check_bijection`, by default on a valid transposed
    geometry and an entry inside the matrix (:data:`GEOMETRY`, :data:`ENTRY`).

    Examples
    --------
    >>> proof = check_bijection(scatter_set(), zero_insertion_set(),
    ...                         {FLIPPED: TAP, PADDED: ROW + d * TAP, INSERTED: s * COLUMN},
    ...                         {TAP: FLIPPED})   # no flip: not a bijection of the terms
    >>> proof.holds, [c.name for c in proof.checks if not c.passed]
    (False, ['into', 'back', 'terms'])
    """
    return bijections.check_bijection(source, target, forward, backward, context)


__all__ = ["COLUMN", "ENTRY", "FORWARD_ENTRY", "FORWARD_GEOMETRY", "GEOMETRY", "ROW",
           "check_bijection", "correlation_equals_patches", "correlation_set",
           "dilated_equals_zero_inserted_kernel", "patch_set", "scatter_set",
           "strided_equals_subsampled", "subsampled_set", "transpose_set",
           "transposed_equals_transpose", "transposed_equals_zero_insertion",
           "zero_inserted_kernel_set", "zero_insertion_set"]
