"""Size quantities: how many outputs, pads, windows, taps a layer has, and size formulas.

The modules, in the order data flows:

- :mod:`.parse`: a user's formula read by the grammar ``symconv/grammars/formula.lark``;
- :mod:`.exact`: formulas evaluated by the one exact evaluator, :mod:`symconv.prover.evaluate`;
- :mod:`.quantities`: the quantity table (definitions, variables, numeric truth);
- :mod:`.symbolic`: each quantity's truth as a SymPy expression, with its assumptions;
- :mod:`.counting_claims`: the counting theorems' claims, proved for all sizes;
- :mod:`.definitions`: closed-form definitions proved equal to the truths;
- :mod:`.decide`: user formulas decided by the SMT judge;
- :mod:`.finite_domain`, :mod:`.large`, :mod:`.check`: :func:`check_formula`.

The prover (:mod:`symconv.prover`) knows no quantity; this package is where quantities
meet it.

Examples
--------
>>> from symconv.sizes import check_formula
>>> check_formula("ceil(n/s)", "same_output_size", "tensorflow").verdict
'proved'
"""

from .check import check_formula, truth_table
from .parse import parse_formula
from .quantities import QUANTITIES, RANGES, supported

__all__ = ["QUANTITIES", "RANGES", "check_formula", "parse_formula", "supported", "truth_table"]
