"""Re-export shim (the old import path): the prover now lives in :mod:`symconv.prover`, the
quantities' truths and definitions in :mod:`symconv.sizes` (symbolic, definitions)."""

from __future__ import annotations

from .proof import Math
from .prover.budget import (
    BUDGET,
    MAX_CONSTRAINTS,
    MAX_SPLITS,
    MAX_STEPS,
    PROOF_BUDGET,
    ProofBudgetExceeded,
    bounded_search,
)
from .prover.evaluate import (
    evaluate,
)
from .prover.implication import (
    Linear,
    denominators_nonzero,
    implied,
)
from .prover.lemmas import (
    BOX,
    DISCHARGE_FACTS,
    DIVISORS,
    FACTS,
    LEMMAS,
    SMALL,
    Lemma,
    check_lemma,
    verify,
    verify_lemmas,
)
from .prover.normal_form import (
    NAMES,
    OPAQUE,
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
    as_fraction,
    canon,
    ceil,
    d,
    denominators,
    floor,
    is_integer_valued,
    k,
    n,
    op,
    p,
    pa,
    pb,
    s,
    same,
    split_multiples,
)
from .prover.proofs import (
    Chain,
    ParametricProof,
    Rewrite,
    Split,
    chain_math,
    check_proof,
    check_rewrite,
    proof_problem,
    proof_steps,
    titled,
)
from .prover.search import (
    prove_for_all,
)
from .sizes.definitions import (
    closed_form,
    definition_proof,
    formula_proof,
    parametric_steps,
    specialised,
)
from .sizes.quantities import symbolic_truths
from .sizes.symbolic import (
    POSITIVE_SIZES,
    SPAN,
    TF_SAME_TOTAL,
    Truth,
    to_plain,
    windows_truth,
)

#: The symbolic truths by (quantity, convention), read from the one quantity table.
TRUTHS = symbolic_truths()

__all__ = ["Math", "A", "B", "BOX", "BUDGET", "C", "Chain", "DISCHARGE_FACTS", "DIVISORS", "FACTS",
           "Iverson", "LEMMAS", "Lemma", "Linear", "M", "MAX_CONSTRAINTS", "MAX_SPLITS",
           "MAX_STEPS", "NAMES", "OPAQUE", "POSITIVE_SIZES", "PROOF_BUDGET",
           "ParametricProof", "ProofBudgetExceeded", "Q", "Rewrite", "SMALL", "SPAN",
           "SYMBOLS", "Split", "T", "TF_SAME_TOTAL", "TRUTHS", "Truth", "Windows", "X",
           "Y", "as_fraction", "bounded_search", "canon", "ceil", "chain_math",
           "check_lemma", "check_proof", "check_rewrite", "closed_form", "d",
           "definition_proof", "denominators", "denominators_nonzero", "evaluate",
           "floor", "formula_proof", "implied", "is_integer_valued", "k", "n", "op",
           "p", "pa", "parametric_steps", "pb", "proof_problem", "proof_steps",
           "prove_for_all", "s", "same", "specialised", "split_multiples", "titled",
           "to_plain", "verify", "verify_lemmas", "windows_truth"]
