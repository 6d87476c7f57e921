"""Re-export shim (the old import path): size formulas now live in :mod:`symconv.sizes`
(parse, exact, quantities, check)."""

from __future__ import annotations

from .sizes.check import (
    check_formula,
    truth_table,
)
from .sizes.exact import (
    evaluate,
    evaluate_many,
    undefined_by_guards,
)
from .sizes.finite_domain import (
    domain_columns,
    domain_ranges,
    explain_value,
    fixed_values,
    formula_value,
    smallest_failure,
)
from .sizes.parse import (
    ALIASES,
    FUNCTIONS,
    MAX_ARGS,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_TOKENS,
    SYMBOLS,
    VARIABLES,
    Node,
    Token,
    alias_of,
    fail,
    parse_formula,
    parse_formula_guarded,
    parse_tree,
    parse_with_divisors,
    to_sympy,
    tokenize,
)
from .sizes.quantities import (
    QUANTITIES,
    RANGES,
    Columns,
    Quantity,
    lookup,
    supported,
)

__all__ = ["ALIASES", "Columns", "FUNCTIONS", "MAX_ARGS", "MAX_DEPTH", "MAX_DIGITS",
           "MAX_EXPONENT", "MAX_LENGTH", "MAX_TOKENS", "Node", "QUANTITIES", "Quantity",
           "RANGES", "SYMBOLS", "Token", "VARIABLES", "alias_of", "check_formula",
           "domain_columns", "domain_ranges", "evaluate", "evaluate_many",
           "explain_value", "fail", "fixed_values", "formula_value", "lookup",
           "parse_formula", "parse_formula_guarded", "parse_tree",
           "parse_with_divisors", "smallest_failure", "supported", "to_sympy",
           "tokenize", "truth_table", "undefined_by_guards"]
