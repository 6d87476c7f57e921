"""Worked examples from the notes, checked exactly on the explicit operators.

``notes-echo-example`` (seed 004): a signal 1 2 3 4 5 6, zero-padded, arrives along
four paths of strengths 1, 0.9, 0.8, 0.7; the received signal is the convolution, and
"the 6th position is 0*0.7 + 0*0.8 + 1*0.9 + 2*1 = 2.9". The flip is what makes it so:
the same window without the flip (correlation) gives another value.
"""

from __future__ import annotations

import numpy as np
import sympy

from ..errors import TheoremError
from ..geometry import Geometry
from ..operators import convolution, correlation
from ..proof import ExactText, Math, Step
from .common import exact_number, show
from .engine import Outcome, theorem

SIGNAL = (0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0)
ECHOES = ("1", "0.9", "0.8", "0.7")


def _row_value(op, row: int, weights: list[sympy.Rational], x: list[int]) -> sympy.Expr:
    values = dict(zip(op.kernel_flat, weights))
    return sympy.expand(sum(op.matrix[row, j].xreplace(values) * x[j] for j in range(len(x))))


@theorem("notes-echo-example", family="examples",
         statement="Seed 004's echo: (0 0 0 0 1 2 3 4 5 6 0 0 0 0) convolved with the path "
                   "strengths (1, 0.9, 0.8, 0.7) has 2.9 at the 6th position "
                   "(0*0.7 + 0*0.8 + 1*0.9 + 2*1); without the flip the 6th value differs.",
         latex=r"(x \ast h)_6 = 0\cdot 0.7 + 0\cdot 0.8 + 1\cdot 0.9 + 2\cdot 1 = 2.9",
         parameters={"position": 6, "expected": "2.9"})
def echo_example(position: int, expected: str) -> Outcome:
    """Row ``position - 1`` of the full convolution matrix, with the echo weights substituted."""
    n, k = len(SIGNAL), len(ECHOES)
    g = Geometry((n,), (k,), padding="full")
    if not 1 <= position <= g.output_shape[0]:
        raise TheoremError(f"position must be a 1-based output position, got {position!r} "
                           f"(valid: 1 to {g.output_shape[0]})")
    weights = [sympy.Rational(w) for w in ECHOES]
    x = list(SIGNAL)
    conv, corr = convolution(g), correlation(g)
    value = _row_value(conv, position - 1, weights, x)
    unflipped = _row_value(corr, position - 1, weights, x)
    claimed = sympy.Rational(exact_number("expected", expected))
    oracle = np.convolve(np.array(SIGNAL, float), np.array(ECHOES, float))[position - 1]
    steps = (
        Step("Setting", "Full convolution of the zero-padded signal with the four path "
             f"strengths; output position {position} (1-based) is row {position - 1} of the "
             "convolution matrix (kernel flipped).",
             (Math(r"x = (" + ", ".join(map(str, SIGNAL)) + r"),\quad h = (" +
                   ", ".join(ECHOES) + ")",
                   f"x = {SIGNAL}, h = ({', '.join(ECHOES)})"),)),
        Step("The row of the convolution matrix", "",
             (show(f"C_{{{position - 1},:}}", conv.matrix[position - 1, :]),)),
        Step("Substitute", "",
             (Math(rf"(x \ast h)_{{{position}}} = {sympy.latex(value)}",
                   f"(x * h)[{position}] = {value}"),
              Math(rf"(x \star h)_{{{position}}} = {sympy.latex(unflipped)}"
                   r"\quad\text{(no flip)}",
                   f"(x corr h)[{position}] = {unflipped}   (no flip)"))),
        Step("Compare", f"The notes say {expected}; the exact value is {value}"
             f" ({float(value):g}); numpy.convolve gives {oracle:g}.", ()),
    )
    holds = value == claimed and unflipped != claimed
    difference = None if holds else {"value": ExactText(value), "claimed": expected,
                                     "unflipped": ExactText(unflipped)}
    return Outcome(holds, steps, difference, evidence=("exhaustive",),
                   numeric=bool(np.isclose(oracle, float(value))),
                   domain="the notes' single example, in exact rational arithmetic")
