"""Re-export shim (the old import path): the SMT judge now lives in :mod:`symconv.prover.judge`
(its translation in :mod:`symconv.prover.smt`), the decisions of user formulas in
:mod:`symconv.sizes.decide`."""

from __future__ import annotations

from .prover.judge import (
    Goal,
    certify_claim,
    certify_fact,
    certify_implication,
    certify_lemma,
    judges_step,
    record,
    recording,
    rerun,
    second_judge,
    smtlib_script,
)
from .prover.smt import (
    BUDGET_SECONDS,
    MAX_POWER,
    STATUSES,
    Certificate,
    CertificateDisagreement,
    Encoder,
    NotExpressible,
    load_z3,
    pair_add,
    pair_negate,
    solver_name,
)
from .sizes.decide import (
    FormulaDecision,
    decide_formula,
)

__all__ = ["BUDGET_SECONDS", "Certificate", "CertificateDisagreement", "Encoder",
           "FormulaDecision", "Goal", "MAX_POWER", "NotExpressible", "STATUSES",
           "certify_claim", "certify_fact", "certify_implication", "certify_lemma",
           "decide_formula", "judges_step", "load_z3", "pair_add", "pair_negate",
           "record", "recording", "rerun", "second_judge", "smtlib_script",
           "solver_name"]
