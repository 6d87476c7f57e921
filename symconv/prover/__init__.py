"""Proofs for all sizes: a small rewriting prover for floor, ceil and mod over integers.

The package knows no quantity: its modules are the normal form (:mod:`.normal_form`),
the implication (:mod:`.implication`, Fourier--Motzkin), the one exact evaluator
(:mod:`.evaluate`: exact over Python integers, or over ``int64`` where values provably
fit), the lemmas (:mod:`.lemmas`, checked on finite boxes), the proof objects and their
checker (:mod:`.proofs`), the search (:mod:`.search`), the search budget
(:mod:`.budget`), the second judge (:mod:`.judge`, SMT) and the bijections of index sets
(:mod:`.bijections`, imported on first use).

A claim ``lhs = rhs`` about integer variables (``n, k, s, p, d, ...``) under
explicit preconditions (a valid geometry: ``n >= 1``, ``s >= 1``, the dilated
kernel fits, ...) is proved by a chain of rewrites ``e0 -> e1 -> ... -> en``.
Each rewrite names a :class:`Lemma` and the substitution of its variables; the
checker re-verifies every step mechanically:

1. the instantiated left side of the lemma occurs in ``e_i`` (up to ring
   normalisation), and replacing it by the instantiated right side gives
   ``e_{i+1}`` (again up to ring normalisation, which is sound for ``+ - *``
   and for division by denominators proved non-zero);
2. every precondition of the lemma, instantiated, is implied by the
   assumptions: an integer-linear implication decided by Fourier--Motzkin
   elimination over the rationals, with products and floors as opaque atoms,
   division with remainder for every floor, and products bounded below from
   their factors' bounds. A precondition that cannot be discharged fails the
   proof; nothing is assumed;
3. the integer-valued arguments of a lemma are integer-valued (syntactically).

Both sides are rewritten to a normal form (mod and ceiling to floor, integer
multiples pulled out of floors, window counts to floors, decided max/min
removed, the pooling drop rule's Iverson bracket ``[s*ceil(a/s) >= b]`` turned into a
min); an undecided ``max``/``min`` splits the proof into two cases.

Every lemma is itself (1) stated with a short derivation from division with
remainder, and (2) checked on a finite box by :func:`verify_lemmas`.

Examples
--------
>>> import sympy
>>> n, s = SYMBOLS["n"], SYMBOLS["s"]
>>> proof = prove_for_all(sympy.ceiling(n / s), Windows(n - 1, s),
...                       [n - 1, s - 1])
>>> proof.check(), proof.lemmas()
(True, ['ceil-to-floor', 'floor-shift', 'window-count'])
"""

from .budget import MAX_CONSTRAINTS, MAX_SPLITS, MAX_STEPS, PROOF_BUDGET, ProofBudgetExceeded
from .evaluate import evaluate
from .implication import implied
from .lemmas import (
    DISCHARGE_FACTS,
    FACTS,
    LEMMAS,
    Lemma,
    check_lemma,
    verify,
    verify_lemmas,
)
from .normal_form import (
    NAMES,
    SYMBOLS,
    A,
    B,
    C,
    Iverson,
    M,
    Q,
    T,
    Windows,
    X,
    Y,
    canon,
    ceil,
    floor,
    is_integer_valued,
    same,
)
from .proofs import (
    Chain,
    ParametricProof,
    Rewrite,
    Split,
    check_proof,
    check_rewrite,
    proof_problem,
    proof_steps,
    titled,
)
from .search import prove_for_all

n, k, s, p, pb, pa, d, op = (SYMBOLS[v] for v in NAMES)

__all__ = ["A", "B", "C", "Chain", "DISCHARGE_FACTS", "FACTS", "Iverson", "LEMMAS", "Lemma", "M",
           "MAX_CONSTRAINTS", "MAX_SPLITS", "MAX_STEPS", "NAMES", "PROOF_BUDGET",
           "ParametricProof", "ProofBudgetExceeded", "Q", "Rewrite", "SYMBOLS", "Split", "T",
           "Windows", "X", "Y", "canon", "ceil", "check_lemma", "check_proof", "check_rewrite",
           "evaluate", "floor", "implied", "is_integer_valued", "proof_problem", "proof_steps",
           "prove_for_all", "same", "titled", "verify", "verify_lemmas"]
