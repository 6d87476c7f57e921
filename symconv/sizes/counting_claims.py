"""The counting theorems, proved for all sizes: their claims and how the claims add up.

Each theorem of the counting family (``symconv list``) has a list of claims ``lhs = rhs``
under stated assumptions, each proved by :func:`symconv.prover.prove_for_all` as a
chain of named lemmas; :func:`theorem_steps` renders them, opening with the step "For
all sizes: what is proved", and ends with the notes that say how the claims prove the
theorem. The facts those notes cite are checked on their boxes before use.

Examples
--------
>>> steps, ok = theorem_steps("receptive-field")
>>> ok, steps[0].title
(True, 'For all sizes: what is proved')
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import sympy

from ..proof import Step
from ..prover import FACTS, LEMMAS, verify
from ..prover.judge import certify_claim
from ..prover.normal_form import Iverson, Windows, ceil, d, floor, k, n, op, p, pa, pb, s
from ..prover.proofs import ParametricProof, titled
from ..prover.search import prove_for_all
from .quantities import symbolic_truth
from .symbolic import POSITIVE_SIZES, SPAN, TF_SAME_TOTAL, windows_truth

J = sympy.Symbol("j")  # k = 2j + 1 for an odd kernel
R = sympy.Symbol("r")  # an offset >= 0; for receptive fields, the previous layers' field
# receptive fields: output unit i, tap m, taps u beyond m, and the previous layers' effective
# stride S and left padding P
UNIT, TAP, U, S_PREV, P_PREV = (sympy.Symbol(name) for name in ("i", "m", "u", "S", "P"))
V = sympy.Symbol("v")  # windows beyond window i
_N0 = (n - 1) * s - 2 * p + SPAN + 1
_TRANSPOSED = POSITIVE_SIZES + (p, _N0 - 1)
_POOL_OUT = ceil((n + 2 * p - SPAN - 1) / s) + 1  # PyTorch's ceil-mode count before the drop


@cache
def claims() -> dict[str, list[tuple[str, sympy.Expr, sympy.Expr, tuple]]]:
    torch_fit = windows_truth(2 * p, (p,)).assumptions
    x_same = (ceil(n / s) - 1) * s + SPAN + 1 - n
    odd = (n - 1, J, d - 1)
    return {
        "output-size": [
            ("PyTorch", floor((n + 2 * p - SPAN - 1) / s) + 1, Windows(n + 2 * p - SPAN - 1, s),
             torch_fit),
            ("explicit pairs", floor((n + pb + pa - SPAN - 1) / s) + 1,
             Windows(n + pb + pa - SPAN - 1, s), symbolic_truth("output_size", "jax").assumptions),
            (r"TensorFlow VALID = PyTorch $p = 0$", ceil((n - SPAN) / s),
             floor((n - SPAN - 1) / s) + 1,
             symbolic_truth("output_size", "tensorflow").assumptions),
            (r"full padding $d(k-1)$ each side", Windows(n + 2 * SPAN - SPAN - 1, s),
             floor((n + SPAN - 1) / s) + 1, POSITIVE_SIZES),
            *_dumoulin_visin_forward(),
        ],
        "same-padding": [
            ("SAME output", Windows(n + TF_SAME_TOTAL - SPAN - 1, s), ceil(n / s), POSITIVE_SIZES),
            ("one pad less loses a window", Windows(n + x_same - 1 - SPAN - 1, s),
             ceil(n / s) - 1, POSITIVE_SIZES + (x_same - 1,)),
            ("split", floor(TF_SAME_TOTAL / 2) + ceil(TF_SAME_TOTAL / 2), TF_SAME_TOTAL,
             POSITIVE_SIZES),
            ("PyTorch 'same' = TensorFlow SAME at stride 1 (total)",
             TF_SAME_TOTAL.xreplace({s: 1}), SPAN, POSITIVE_SIZES),
            (r"PyTorch padding $d(k-1)/2$, odd $k = 2j+1$, stride 1: output",
             Windows(n + 2 * d * J - d * 2 * J - 1, 1), ceil(n / 1), odd),
            (r"PyTorch padding $d(k-1)/2$, odd $k = 2j+1$, stride 1: TensorFlow's pad before",
             floor(TF_SAME_TOTAL.xreplace({s: 1, k: 2 * J + 1}) / 2), d * J, odd),
            (r"conventions: PyTorch's symmetric $p = j$ when $d(k-1) = 2j$ keeps $n + 2j - 2j "
             r"= n$ inputs' windows: $\lceil n/s \rceil$ outputs at every stride, TensorFlow "
             "SAME's count",
             Windows(n + 2 * J - 2 * J - 1, s), ceil(n / s), (n - 1, s - 1, J)),
            (r"conventions: yet the pads differ: $d(k-1) - T = \min((n-1) \bmod s, d(k-1))$, "
             "so TensorFlow pads the same total $2p = d(k-1)$ exactly when $s$ divides $n - 1$ "
             "or $d(k-1) = 0$, and less otherwise", SPAN - TF_SAME_TOTAL,
             sympy.Min(sympy.Mod(n - 1, s), SPAN), POSITIVE_SIZES),
            (r"conventions: SAME_LOWER (NumPy's 'same', odd pixel first) and SAME put "
             r"$\lceil T/2 \rceil$ and $\lfloor T/2 \rfloor$ before: they differ by "
             r"$T \bmod 2$, so exactly when $T$ is odd",
             ceil(TF_SAME_TOTAL / 2) - floor(TF_SAME_TOTAL / 2), sympy.Mod(TF_SAME_TOTAL, 2),
             POSITIVE_SIZES),
        ],
        "transposed-output-size": [
            (r"every $N_0 + \mathrm{op}$, $0 \le \mathrm{op} \le s-1$, maps forward to $n$",
             Windows(_N0 + op + 2 * p - SPAN - 1, s), n, _TRANSPOSED + (op, s - 1 - op)),
            (r"$N_0 + s + r$ maps forward to $n + 1 + \lfloor r/s \rfloor > n$",
             Windows(_N0 + s + R + 2 * p - SPAN - 1, s), n + 1 + floor(R / s),
             _TRANSPOSED + (R,)),
            *_dumoulin_visin_transposed(),
            (r"conventions: Keras' 'valid' transposed length $n s + \max(d(k-1) + 1 - s, 0)$ "
             r"is PyTorch's with $p = 0$ and output_padding $\max(s - d(k-1) - 1, 0)$",
             (n - 1) * s + SPAN + 1 + sympy.Max(s - SPAN - 1, 0),
             n * s + sympy.Max(SPAN + 1 - s, 0), POSITIVE_SIZES),
            ("conventions: that output_padding is at most $s - 1$, so PyTorch accepts it",
             sympy.Min(sympy.Max(s - SPAN - 1, 0), s - 1), sympy.Max(s - SPAN - 1, 0),
             POSITIVE_SIZES),
        ],
        "pool-output-size": [
            ("floor mode", floor((n + 2 * p - SPAN - 1) / s) + 1,
             symbolic_truth("pool_output_size", "torch").expr,
             symbolic_truth("pool_output_size", "torch").assumptions),
            (r"ceil mode: $\mathrm{out} = \lceil (n + 2p - d(k-1) - 1)/s \rceil + 1$, minus "
             r"one when $(\mathrm{out} - 1)s \ge n + p$",
             _POOL_OUT - Iverson((_POOL_OUT - 1) * s - (n + p)),
             symbolic_truth("pool_output_size_ceil", "torch").expr,
             symbolic_truth("pool_output_size_ceil", "torch").assumptions),
        ],
        "seed-same-pad-rule": [
            ("rule 'fixed' ($d = 1$, remainder read in $[1, s]$) = TensorFlow's SAME total pad",
             sympy.Max(k - (sympy.Mod(n - 1, s) + 1), 0), TF_SAME_TOTAL.xreplace({d: 1}),
             (n - 1, k - 1, s - 1)),
            ("rule 'dilated' (filter $d(k-1) + 1$) = TensorFlow's SAME total pad",
             sympy.Max(SPAN + 1 - (sympy.Mod(n - 1, s) + 1), 0), TF_SAME_TOTAL, POSITIVE_SIZES),
            (r"TensorFlow's total pad $T$ gives $\lceil n/s \rceil$ windows",
             Windows(n + TF_SAME_TOTAL - SPAN - 1, s),
             ceil(n / s), POSITIVE_SIZES),
            (r"one pad less loses a window (when $T \ge 1$)",
             Windows(n + x_same - 1 - SPAN - 1, s),
             ceil(n / s) - 1, POSITIVE_SIZES + (x_same - 1,)),
        ],
        "receptive-field": _field_claims(),
        "parameter-count": _reach_claims(),
        "mac-count": _pair_claims(),
        "fc-vs-conv-cost": _reach_claims() + _pair_claims(),
        "notes-size-claims": [
            (r"pool-positions: $\lfloor (N - W)/S \rfloor + 1$ windows (positions $i$ with "
             r"$S i + W - 1 \le N - 1$)",
             floor((n - k) / s) + 1, Windows(n - k, s), (n - k, k - 1, s - 1)),
            (r"valid-ceil: $\lceil (n - k + 1)/s \rceil$ windows", ceil((n - k + 1) / s),
             Windows(n - k, s), (n - k, k - 1, s - 1)),
            ("stride1-valid: $n - k + 1$ windows at stride 1", Windows(n - k, 1), n - k + 1,
             (n - k, k - 1)),
            ("trains: full padding $k - 1$ each side at stride 1 gives $N + M - 1$",
             Windows(n + 2 * (k - 1) - (k - 1) - 1, 1), n + k - 1, (n - 1, k - 1)),
        ],
        "full-and-valid-lengths": [
            ("full", Windows(n + 2 * SPAN - SPAN - 1, 1), n + SPAN, POSITIVE_SIZES),
            ("valid", Windows(n - SPAN - 1, 1), n - SPAN, POSITIVE_SIZES + (n - SPAN - 1,)),
        ],
    }


def _field_claims() -> list[tuple[str, sympy.Expr, sympy.Expr, tuple]]:
    """Receptive fields: one layer's taps, composing intervals, the recurrences."""
    def tap(m: sympy.Expr) -> sympy.Expr:  # the input read by tap m of unit i
        return s * UNIT - p + d * m

    layer = (s - 1, p, d - 1)
    prev = layer + (S_PREV - 1, P_PREV, R - 1)

    def lo(m: sympy.Expr) -> sympy.Expr:  # the previous layers' interval at unit tap(m)
        return S_PREV * tap(m) - P_PREV

    def hi(m: sympy.Expr) -> sympy.Expr:
        return S_PREV * tap(m) - P_PREV + R - 1

    return [
        (r"(a) one layer: tap $m \ge 0$ reads $s i - p + d m$, no lower than tap 0",
         sympy.Min(tap(0), tap(TAP)), tap(0), layer + (TAP,)),
        (r"(a) one layer: tap $m + u$ ($u \ge 0$ further taps) reads no lower than tap $m$; "
         "so the last tap $k - 1$ reads the highest input",
         sympy.Max(tap(TAP), tap(TAP + U)), tap(TAP + U), layer + (TAP, U)),
        (r"(b) composing: the lowest input under tap $m \ge 0$ is no lower than under tap 0",
         sympy.Min(lo(0), lo(TAP)), lo(0), prev + (TAP,)),
        (r"(b) composing: the highest input under tap $m + u$ ($u \ge 0$) is no lower than "
         "under tap $m$", sympy.Max(hi(TAP), hi(TAP + U)), hi(TAP + U), prev + (TAP, U)),
        (r"(b) no hole when $S d \le r$: tap $m + 1$'s interval starts at most one past the "
         "end of tap $m$'s", sympy.Max(hi(TAP) + 1, lo(TAP + 1)), hi(TAP) + 1,
         prev + (TAP, R - S_PREV * d)),
        ("(c) new start: $S(s i - p) - P = (S s) i - (P + S p)$", lo(0),
         S_PREV * s * UNIT - (P_PREV + S_PREV * p), prev),
        ("(c) new width: the span from tap 0's start to tap $k - 1$'s end is "
         "$r + S d(k - 1)$",
         hi(k - 1) - lo(0) + 1, R + S_PREV * d * (k - 1), prev + (k - 1,)),
        (r"deeper units see more: $k = u + 2 \ge 2$ adds $S d(k - 1) \ge 1$",
         sympy.Max(R + S_PREV * d * (U + 1), R + 1), R + S_PREV * d * (U + 1), prev + (U,)),
    ]


#: Dumoulin and Visin, "A guide to convolution arithmetic for deep learning" (2016): their
#: relationships, their input size i written n here (i is the window index in these
#: proofs; the primed i', o' of the transposed layer are kept), d = 1 unless stated.
_DV = "Dumoulin & Visin, Relationship"


def _dumoulin_visin_forward() -> list[tuple[str, sympy.Expr, sympy.Expr, tuple]]:
    """Relationships 1-7 and 15: each closed form = the number of windows #{i >= 0 : s i <= M}
    with M = n + 2p - d(k-1) - 1 (the padded input minus the dilated kernel's span)."""
    fits = (n - k, k - 1)
    return [
        (_DV + " 1 ($s = 1$, $p = 0$; their input size $i$ is $n$ here, $i$ being the "
         "window index): $o = (n - k) + 1$", Windows(n - k, 1), (n - k) + 1, fits),
        (_DV + " 2 ($s = 1$): $o = (n - k) + 2p + 1$", Windows(n + 2 * p - k, 1),
         (n - k) + 2 * p + 1, (n - 1, k - 1, p, n + 2 * p - k)),
        (_DV + " 3 (half padding: $k = 2j + 1$, $p = j$, $s = 1$): $o = n$",
         Windows(n + 2 * J - (2 * J + 1), 1), n, (n - 1, J)),
        (_DV + " 4 (full padding $p = k - 1$, $s = 1$): $o = n + (k - 1)$",
         Windows(n + 2 * (k - 1) - k, 1), n + (k - 1), (n - 1, k - 1)),
        (_DV + r" 5 ($p = 0$): $o = \lfloor (n - k)/s \rfloor + 1$", Windows(n - k, s),
         floor((n - k) / s) + 1, fits + (s - 1,)),
        (_DV + r" 6: $o = \lfloor (n + 2p - k)/s \rfloor + 1$", Windows(n + 2 * p - k, s),
         floor((n + 2 * p - k) / s) + 1, (n - 1, k - 1, s - 1, p, n + 2 * p - k)),
        (_DV + r" 7 (pooling, no padding): $o = \lfloor (n - k)/s \rfloor + 1$",
         Windows(n - k, s),
         floor((n - k) / s) + 1, fits + (s - 1,)),
        (_DV + r" 15 (dilation $d$): $o = \lfloor (n + 2p - k - (k - 1)(d - 1))/s \rfloor + 1$",
         Windows(n + 2 * p - SPAN - 1, s), floor((n + 2 * p - k - (k - 1) * (d - 1)) / s) + 1,
         windows_truth(2 * p, (p,)).assumptions),
    ]


def _dumoulin_visin_transposed() -> list[tuple[str, sympy.Expr, sympy.Expr, tuple]]:
    """Relationships 8-14: the transposed layer as a stride-1 correlation (k' = k, p' =
    k - p - 1) of the stretched input (i' - 1)s + 1 (s - 1 zeros between units) with a extra
    zeros at the end; its windows are the closed form, and a = (i + 2p - k) mod s recovers
    the original input size i."""
    stretched = (n - 1) * s + 1
    a = R  # the extra zeros at the end, 0 <= a <= s - 1
    return [
        (_DV + " 8 ($s = 1$, $p = 0$; $p' = k - 1$; their input size $i'$ is $n$ here): "
         "$o' = i' + (k - 1)$",
         Windows(n + 2 * (k - 1) - k, 1), n + (k - 1), (n - 1, k - 1)),
        (_DV + " 9 ($s = 1$; $p' = k - p - 1$): $o' = i' + (k - 1) - 2p$",
         Windows(n + 2 * (k - p - 1) - k, 1), n + (k - 1) - 2 * p,
         (n - 1, k - 1, p, k - 1 - p, n + k - 2 * p - 1)),
        (_DV + " 10 (half padding $k = 2j + 1$, $p = j$; $p' = p$): $o' = i'$",
         Windows(n + 2 * J - (2 * J + 1), 1), n, (n - 1, J)),
        (_DV + " 11 (full padding $p = k - 1$; $p' = 0$): $o' = i' - (k - 1)$",
         Windows(n - k, 1), n - (k - 1), (n - k, k - 1)),
        (_DV + r" 12-14 (stretched input $(i' - 1)s + 1$ plus $a \in [0, s - 1]$ zeros, "
         "$p' = k - p - 1$, $s' = 1$): $o' = s(i' - 1) + a + k - 2p$ (12: $p = 0$, $a = 0$; "
         "13: $a = 0$)",
         Windows(stretched + a + 2 * (k - p - 1) - k, 1), s * (n - 1) + a + k - 2 * p,
         (n - 1, k - 1, s - 1, p, k - 1 - p, a, s - 1 - a, s * (n - 1) + a + k - 2 * p - 1)),
        (_DV + r" 14: with $i' = \lfloor (n + 2p - k)/s \rfloor + 1$ windows of an input of "
         r"size $n$ (their $i$) and $a = (n + 2p - k) \bmod s$, $o' = n$ (the original input "
         "size)",
         s * (floor((n + 2 * p - k) / s) + 1 - 1) + sympy.Mod(n + 2 * p - k, s) + k - 2 * p, n,
         (n - 1, k - 1, s - 1, p, n + 2 * p - k)),
    ]


def _reach_claims() -> list[tuple[str, sympy.Expr, sympy.Expr, tuple]]:
    """Without padding every tap reaches the input: window 0 exists and its tap m reads d m."""
    last = floor((n - SPAN - 1) / s)
    return [
        (r"no padding, kernel fits ($d(k - 1) \le n - 1$): window 0 exists, "
         r"$\mathrm{out} \ge 1$",
         sympy.Max(last + 1, 1), last + 1, POSITIVE_SIZES + (n - SPAN - 1,)),
        (r"no padding: tap $m \ge 0$ of window 0 reads input $d m \ge 0$",
         sympy.Max(d * TAP, 0), d * TAP, (d - 1, TAP)),
        (r"no padding: tap $m$ of window 0 reads input $d m \le n - 1$ ($m \le k - 1$; write "
         r"$k - 1 = m + u$, the kernel fits: $d(m + u) \le n - 1$)",
         sympy.Min(d * TAP, n - 1), d * TAP, (d - 1, TAP, U, n - 1 - d * (TAP + U))),
    ]


def _pair_claims() -> list[tuple[str, sympy.Expr, sympy.Expr, tuple]]:
    """Without padding every (window, tap) pair reads a real input, a different one per tap."""
    last = floor((n - SPAN - 1) / s)
    return [
        (r"no padding: window $i \ge 0$, tap $m \ge 0$ read input $s i + d m \ge 0$",
         sympy.Max(s * UNIT + d * TAP, 0), s * UNIT + d * TAP, (s - 1, d - 1, UNIT, TAP)),
        (r"no padding: the last window ($\mathrm{out} - 1 = \lfloor (n - d(k-1) - 1)/s "
         r"\rfloor$) and its last tap read $s(\mathrm{out} - 1) + d(k - 1) \le n - 1$",
         sympy.Min(s * last + SPAN, n - 1),
         s * last + SPAN, POSITIVE_SIZES + (n - SPAN - 1,)),
        ("a later window $i + v$ or a later tap $m + u$ reads no lower: every pair reads at "
         "most what the last window's last tap reads", sympy.Max(s * UNIT + d * TAP,
                                                             s * (UNIT + V) + d * (TAP + U)),
         s * (UNIT + V) + d * (TAP + U), (s - 1, d - 1, UNIT, TAP, U, V)),
        (r"distinct taps $m < m + u + 1$ of one window read distinct inputs: they differ by "
         r"$d(u + 1) \ge 1$", sympy.Max(d * (U + 1), 1), d * (U + 1), (d - 1, U)),
    ]


@cache
def theorem_proofs(name: str) -> tuple[ParametricProof | None, ...]:
    """Proofs for all sizes of a counting theorem's claims (None where none was found).

    Examples
    --------
    >>> all(p is not None and p.check() for p in theorem_proofs("transposed-output-size"))
    True
    """
    return tuple(titled(prove_for_all(lhs, rhs, hyps), title)
                 for title, lhs, rhs, hyps in claims().get(name, []))


def theorem_steps(name: str) -> tuple[list[Step], bool]:
    """Steps proving a counting theorem (catalogue name) for all sizes, and success.

    ``counting.py`` adds ``"parametric"`` evidence when the flag is True.

    Examples
    --------
    >>> steps, ok = theorem_steps("output-size")
    >>> ok, len(steps) > 4
    (True, True)
    >>> theorem_steps("adjoint")[1]  # not a counting theorem
    False
    """
    proofs = theorem_proofs(name)
    if not proofs or not all(p is not None and checked(p) for p in proofs):
        return [Step("Not proved for all sizes", f"{name}: no complete parametric proof.")], \
            False
    titles = "; ".join(title for title, *_ in claims()[name])
    scope = Step("For all sizes: what is proved", f"These claims are proved for all sizes, "
                 f"each a chain of named lemmas whose steps are re-verified: {titles}. Any "
                 "other part of the statement rests on the other evidence listed.")
    notes = [Step("How the claims prove the theorem", text) for text in _NOTES.get(name, ())]
    for fact in cited_facts(" ".join(_NOTES.get(name, ()))):
        verify(fact)
    return [scope] + [step for proof in proofs for step in proof_steps(proof)] + notes, True


def checked(proof: ParametricProof) -> bool:
    """:meth:`ParametricProof.check`, re-verified once per process for each claim's proof.

    Several theorems name the same claim; its proof is checked the first time. Only the
    very same proof is reused: its expressions of the same types, its lemmas of the same
    statements. When it is
    reused, its SMT certificate (cached by :mod:`symconv.prover.judge`) is asked for again,
    so every open ``--smt`` recording holds it, as a fresh check would.

    Examples
    --------
    >>> checked(theorem_proofs("output-size")[0])
    True
    """
    untitled = replace(proof, title="", notes=())
    key = (proof.lhs, proof.rhs, proof.assumptions, _leaf_types(proof),
           tuple(LEMMAS.get(name) for name in proof.lemmas()))
    kept = _CHECKED.get(key)
    if kept is None or kept[0] != untitled:  # only the very same proof is reused
        kept = _CHECKED[key] = (untitled, proof.check())
    elif kept[1]:
        certify_claim(proof.lhs, proof.rhs, proof.assumptions)  # recorded for --smt
    return kept[1]


def proof_steps(proof: ParametricProof) -> list[Step]:
    """:meth:`ParametricProof.steps`, rendered once per process for each titled proof.

    Examples
    --------
    >>> proof_steps(theorem_proofs("output-size")[0])[0].title
    'PyTorch'
    """
    key = (proof.lhs, proof.rhs, proof.assumptions, proof.title, proof.notes)
    kept = _RENDERED.get(key)
    if kept is None or kept[0] != proof:
        kept = _RENDERED[key] = (proof, tuple(proof.steps()))
    return list(kept[1])


def _leaf_types(proof: ParametricProof) -> tuple:
    """The type of every expression ``proof`` holds: ``==`` takes the substitutions
    ``{b: 1}`` and ``{b: 1.0}`` for one, but only the first is integer-valued."""
    types: list = [type(e) for e in (proof.lhs, proof.rhs, *proof.assumptions)]
    for chain in (proof.left, proof.right):
        if chain is not None:
            types.append(type(chain.start))
            for step in chain.rewrites:
                types += [type(step.after), *(type(v) for v in step.substitution.values())]
    if proof.split is not None:
        types += [type(proof.split.on), _leaf_types(proof.split.nonnegative),
                  _leaf_types(proof.split.nonpositive)]
    return tuple(types)


#: Each claim's checked proof (without title and notes) and whether it checked.
_CHECKED: dict[tuple, tuple[ParametricProof, bool]] = {}
#: Each titled proof and its rendered steps.
_RENDERED: dict[tuple, tuple[ParametricProof, tuple[Step, ...]]] = {}


def cited_facts(text: str) -> list[str]:
    """The facts a derivation cites as ``fact NAME``; each is checked before it is used.

    Examples
    --------
    >>> cited_facts("by fact touching-intervals and Fact last-term-split")
    ['last-term-split', 'touching-intervals']
    """
    lowered = text.lower()
    return [name for name in FACTS if f"fact {name}" in lowered]


_SAME_LEAST = (
    r"$T$ is the least total pad giving $\lceil n/s \rceil$ windows: with $T$ the padded input "
    r"has $\lceil n/s \rceil$ windows, and when $T \ge 1$, $T - 1$ gives $\lceil n/s \rceil - 1$. "
    r"A smaller pad $T' < T - 1$ gives no more windows than $T - 1$ does (fact windows-monotone).")

#: How a theorem's checked claims add up to its statement (no further step is assumed).
_NOTES = {
    "same-padding": (
        _SAME_LEAST + " Which side takes the odd pixel is the convention's definition, checked "
        "against the operator's pads on the exhaustive domain.",
        "Fact windows-monotone: " + FACTS["windows-monotone"][0],),
    "seed-same-pad-rule": (
        "The rule ('fixed' at $d = 1$, 'dilated' for every $d$) equals TensorFlow's SAME total "
        "$T$. " + _SAME_LEAST + " When $T = 0$ there is nothing smaller.",
        "Fact windows-monotone: " + FACTS["windows-monotone"][0],),
    "receptive-field": (
        r"What is proved, for every chain of $L \ge 0$ layers ($k_l \ge 1$, $s_l \ge 1$, "
        r"$p_l \ge 0$, $d_l \ge 1$) and every interior output unit $o$: the support of its row "
        r"of $C_L \cdots C_1$ lies in $[o S_L - P_L, o S_L - P_L + r_L - 1]$ and contains both "
        r"ends, i.e. its span is $r_L$ with the closed forms of the statement. The support "
        r"equals that whole interval when in addition $S_{l-1} d_l \le r_{l-1}$ at every layer "
        r"$l$ (consecutive tap windows touch or overlap); otherwise it can have holes (one "
        r"layer with $k = 2$, $d = 2$ reads only $s i - p$ and $s i - p + 2$) and only its span "
        r"is given by the formula.",
        r"Reading the support: every kernel entry is 1, so every $C_l$ is non-negative and, by "
        r"fact nonnegative-product-support, entry $(o, j)$ of $C_L \cdots C_1$ is nonzero "
        r"exactly when input $j$ is reached from unit $o$ choosing one tap per layer. For an "
        r"interior unit (by definition: at every layer its window reads no padding) every "
        r"index on the way is a real input, so the support is the set $R_L(o)$ of inputs "
        r"reached: $R_0(i) = \{i\}$ and $R_L(i) = \bigcup_{0 \le m \le k_L - 1} "
        r"R_{L-1}(s_L i - p_L + d_L m)$ (claims (a): tap $m$ reads $s i - p + d m$, least at "
        r"$m = 0$ and largest at $m = k - 1$, writing $k - 1 = m + u$).",
        r"Induction on $L$: $R_0(i) = \{i\} = [S_0 i - P_0, S_0 i - P_0 + r_0 - 1]$ (empty sums "
        r"0, empty product 1). If every $R_{L-1}(j)$ has least element $S j - P$ and largest "
        r"$S j - P + r - 1$, the least element of the union is the least of the tap-wise least "
        r"elements, attained at $m = 0$ (claim (b) for every tap $m$), the largest at "
        r"$m = k - 1$ (claim (b) with $m + u = k - 1$); claims (c) give start "
        r"$(S s) i - (P + S p)$ and width $r + S d(k - 1)$, the recurrences $S' = S s$, "
        r"$P' = P + S p$, $r' = r + S d(k - 1)$, which are the closed forms for $L + 1$ layers "
        r"(fact last-term-split, checked on every chain of up to 3 small layers). Under "
        r"$S d \le r$ the $k$ intervals (each non-empty, $r \ge 1$) start and end in increasing "
        r"order (claims (b)) and each starts at most one past the previous one's end (claim "
        r"'no hole'), so if every $R_{L-1}(j)$ is a whole interval, so is $R_L(i)$ (fact "
        r"touching-intervals).",
        *(f"Fact {name}: {FACTS[name][0]}" for name in (
            "last-term-split", "nonnegative-product-support", "touching-intervals")),),
    "parameter-count": (
        r"What is proved for all sizes: the distinct symbols of $C$ number "
        r"$C_{\mathrm{out}} (C_{\mathrm{in}}/\mathrm{groups}) \prod_a "
        r"\#\{\text{reaching taps on axis } a\}$ for every layer, and this is the parameter "
        r"count $C_{\mathrm{out}} (C_{\mathrm{in}}/\mathrm{groups}) \prod k$ for every layer "
        "without padding (any number of axes, stride, dilation, channels and groups with a "
        "valid geometry). With padding, how many taps reach has no closed form here: the "
        "exhaustive sweep checks it. The transposed layer equals $C^{\\mathsf T}$ for every size "
        "(theorem transpose, proved for all sizes by an index-set bijection), so it holds the "
        r"same symbols, and its weight layout $(C_{\mathrm{out}}, C_{\mathrm{in}}/\mathrm{groups}, "
        r"{*}k)$ has as many entries.",
        r"By the definition of the correlation (its index form), entry $((o, i), (c, j))$ of "
        r"$C$ holds the symbol $K[o, c, m]$ exactly when input channel $c$ is in output "
        r"channel $o$'s group and, on every axis $a$, $j_a = s_a i_a - p_a + d_a m_a$ with "
        r"$0 \le i_a \le \mathrm{out}_a - 1$ and $0 \le j_a \le n_a - 1$. The windows form a "
        r"product set over the axes, so $K[o, c, m]$ occurs in $C$ exactly when on every axis "
        r"some window's tap $m_a$ reads a real input: there are $C_{\mathrm{out}} "
        r"(C_{\mathrm{in}}/\mathrm{groups}) \prod_a \#\{\text{reaching taps on axis } a\}$ "
        "distinct symbols.",
        r"Without padding ($p_a = 0$) and with the kernel fitting ($d_a(k_a - 1) \le n_a - 1$, "
        r"which a valid geometry requires), window 0 exists and its tap $m_a$ reads input "
        r"$d_a m_a$, inside $[0, n_a - 1]$ for every $0 \le m_a \le k_a - 1$ (the claims above): "
        r"every tap reaches, and the count is $C_{\mathrm{out}} (C_{\mathrm{in}}/\mathrm{groups}) "
        r"\prod k$.",),
    "mac-count": (
        r"What is proved for all sizes: $\mathrm{nnz}(C) = \mathrm{out\_size}\, C_{\mathrm{out}} "
        r"(C_{\mathrm{in}}/\mathrm{groups}) \prod k$ minus the (output, tap) pairs that land on "
        r"padding, for every layer; without padding no pair does, so $\mathrm{nnz}(C)$ is the "
        "naive count (any number of axes, stride, dilation, channels, groups with a valid "
        "geometry). With padding the number of pairs on the padding has no closed form here: "
        "the exhaustive sweep counts it.",
        r"By the definition of the correlation (its index form), the structural nonzeros of "
        r"$C$ are the pairs (output $(o, i)$, tap $(c, m)$) with $c$ in $o$'s group whose input "
        r"$j_a = s_a i_a - p_a + d_a m_a$ lies in $[0, n_a - 1]$ on every axis; within one "
        "output, distinct taps read distinct inputs (claim 'distinct taps'), so each pair is "
        r"its own nonzero and $\mathrm{nnz}(C) = C_{\mathrm{out}} "
        r"(C_{\mathrm{in}}/\mathrm{groups}) \prod_a \#\{(i_a, m_a) \text{ reading a real "
        r"input}\}$. Every one of the "
        r"$\mathrm{out\_size} \prod k$ pairs per channel block either reads a real input or "
        r"lands on padding, so the naive count minus $\mathrm{nnz}(C)$ is exactly the pairs on "
        "padding.",
        r"Without padding every pair $0 \le i_a \le \mathrm{out}_a - 1$, $0 \le m_a \le k_a - 1$ "
        r"reads $s_a i_a + d_a m_a \ge 0$ and, writing $i_a + v = \mathrm{out}_a - 1$ and "
        r"$m_a + u = k_a - 1$, at most $s_a(\mathrm{out}_a - 1) + d_a(k_a - 1) \le n_a - 1$ (the "
        r"claims above): all $\mathrm{out}_a k_a$ pairs read real inputs, so $\mathrm{nnz}(C) = "
        r"\mathrm{out\_size}\, C_{\mathrm{out}} (C_{\mathrm{in}}/\mathrm{groups}) \prod k$ and "
        "nothing is overcounted.",),
    "fc-vs-conv-cost": (
        "What is proved for all sizes (valid padding, one channel, any stride): the conv's "
        r"counts, $\prod k$ parameters (every tap reaches, the parameter-count claims) and "
        r"$n_{\mathrm{out}} \prod k$ multiply-adds (every (window, tap) pair reads a distinct "
        "real input entry, the mac-count claims). The dense layer $W$ has an independent "
        r"symbol in each of its $n_{\mathrm{out}} \times n_{\mathrm{in}}$ entries (by "
        r"definition): $n_{\mathrm{in}} n_{\mathrm{out}}$ parameters and multiply-adds. "
        r"Dividing: $n_{\mathrm{in}} n_{\mathrm{out}} / \prod k$ and $n_{\mathrm{in}} "
        r"n_{\mathrm{out}} / (n_{\mathrm{out}} \prod k) = n_{\mathrm{in}} / \prod k$. The seed's "
        r"$32 \times 32$ numbers are this at $n_{\mathrm{in}} = 1024$, $n_{\mathrm{out}} = 961$, "
        r"$\prod k = 4$.",),
    "notes-size-claims": (
        "What is proved for all sizes: the notes' four general size formulas (pool-positions, "
        r"valid-ceil, stride1-valid, trains), each equal to the number of windows "
        r"$\#\{i \ge 0 : s i \le M\}$ of its layer. The notes' fixed examples are exact "
        "computations on the operators (symbolic evidence); the first of them are instances "
        r"of these formulas (6 inputs, width 3, stride 2: $\lfloor 3/2 \rfloor + 1 = 2$; 13, 6, "
        r"5 valid: $\lceil 8/5 \rceil = 2$).",),
}


__all__ = ["J", "P_PREV", "R", "S_PREV", "TAP", "U", "UNIT", "V", "checked", "cited_facts",
           "claims", "proof_steps", "theorem_proofs", "theorem_steps"]
