"""A proof as plain text for a terminal: Unicode math, never LaTeX (:mod:`.unicode`)."""

from __future__ import annotations

import textwrap

from ..proof import Proof
from .math import item_plain
from .unicode import terminal_text


def proof_text(proof: Proof, width: int = 88) -> str:
    """Render ``proof`` for a terminal: statement, steps, verdict and evidence.

    Examples
    --------
    >>> from symconv.proof import Math, Proof, Step
    >>> p = Proof("demo", "1 + 1 = 2", "1 + 1 = 2", {}, "proved", ["exhaustive"],
    ...           steps=[Step("Compute", "add", (Math("1 + 1 = 2", "1 + 1 = 2"),))],
    ...           domain="{1}")
    >>> print(proof_text(p))
    == demo: PROVED [exhaustive]
    Claim: 1 + 1 = 2
    <BLANKLINE>
    -- Compute
    add
        1 + 1 = 2
    <BLANKLINE>
    Proved exhaustively on {1}.
    """
    evidence = f" [{', '.join(proof.evidence)}]" if proof.evidence else ""
    lines = [f"== {proof.theorem}: {proof.verdict.upper()}{evidence}",
             f"Claim: {proof.statement}"]
    for step in proof.steps:
        lines += ["", f"-- {step.title}"]
        if step.text:
            lines += textwrap.wrap(terminal_text(step.text), width)
        for item in step.math:
            lines += ["    " + row for row in item_plain(item).splitlines()]
    for label, found in (("Counterexample", proof.counterexample), ("Witness", proof.witness)):
        if found is not None:
            lines += ["", f"{label}:"]
            lines += [f"    {key} = {value}" for key, value in found.items()]
    lines += ["", proof.evidence_sentence()]
    return "\n".join(terminal_text(line) for line in lines)
