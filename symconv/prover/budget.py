"""The bounds of one proof search: steps, constraints, case splits, and the step budget."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

MAX_STEPS = 60
MAX_CONSTRAINTS = 4000
MAX_SPLITS = 3
#: The budget of one proof search, in elementary steps (an implication asked, a floor or
#: product fact derived, a Fourier--Motzkin row formed). A search that uses it up gives
#: up: :func:`prove_for_all` returns None and :func:`implied` False (nothing is claimed);
#: inside :func:`formula_proof` the search raises :class:`ProofBudgetExceeded`.
PROOF_BUDGET = 20_000


class ProofBudgetExceeded(Exception):
    """A proof search used up :data:`PROOF_BUDGET` steps: undecided within budget."""


class _Budget:
    """The steps spent by the proof search under way (one search at a time)."""

    def __init__(self) -> None:
        self.depth = 0
        self.spent = 0

    def spend(self, steps: int = 1) -> None:
        self.spent += steps
        if self.depth and self.spent > PROOF_BUDGET:
            raise ProofBudgetExceeded(f"the proof search used up its budget of "
                                      f"{PROOF_BUDGET} steps")


BUDGET = _Budget()


@contextmanager
def bounded_search() -> Iterator[bool]:
    """One bounded proof search; yields True for the outermost (it owns the budget)."""
    outermost = BUDGET.depth == 0
    if outermost:
        BUDGET.spent = 0
    BUDGET.depth += 1
    try:
        yield outermost
    finally:
        BUDGET.depth -= 1

