"""The brief rendering of a proof: what a teacher pastes into notes.

A full derivation can run to dozens of steps (the proof for all sizes spells out
every chain of lemmas and every index set). The brief keeps the statement, the
verdict with its evidence, the setting, the one example that shows the claim
(the first step that displays a matrix or vector), the comparison, and for a
proof for all sizes the list of named claims it proves — then says how many
steps the full derivation has and how to get it. The verdict, evidence,
counterexample and witness are the proof's own: only steps are left out, never
changed.

Examples
--------
>>> from symconv.theorems import prove
>>> full = prove("transpose")
>>> short = brief(full)
>>> short.verdict == full.verdict and short.evidence == full.evidence
True
>>> [step.title for step in short.steps]  # doctest: +NORMALIZE_WHITESPACE
['Setting', 'Both matrices', 'Compare', 'For all sizes: what is proved',
 'Second judge: SMT', 'Full derivation']
"""

from __future__ import annotations

import dataclasses

from ..proof import Display, Proof, Step

__all__ = ["brief", "BRIEF_TITLES", "BRIEF_PREFIXES", "DETAILS", "parameters_named_elsewhere"]

#: Steps a brief always keeps when the proof has them.
BRIEF_TITLES = ("Setting", "Claim", "Finite domain", "Compare", "Counterexample",
                "For all sizes: what is proved")

#: ... and those whose title starts so.
BRIEF_PREFIXES = ("Proof for all sizes", "Second judge")

#: The two lengths of every rendering.
DETAILS = ("brief", "full")


def _example(step: Step) -> bool:
    return any(isinstance(item, Display) for item in step.math)


def brief(proof: Proof) -> Proof:
    """``proof`` with only the steps of its brief rendering (see the module docstring)."""
    steps = list(proof.steps)
    if not steps:
        return proof
    keep = {0} | {i for i, step in enumerate(steps)
                  if step.title in BRIEF_TITLES or step.title.startswith(BRIEF_PREFIXES)}
    example = next((i for i, step in enumerate(steps) if _example(step)), None)
    if example is not None:
        keep.add(example)
    kept = _one_judge_step([steps[i] for i in sorted(keep)])
    left_out = len(steps) - len(kept)
    if left_out:
        kept.append(Step("Full derivation",
                         f"{left_out} further step{'s are' if left_out != 1 else ' is'} in "
                         "the full derivation (--full on the command line)."))
    return dataclasses.replace(proof, steps=kept)


def _one_judge_step(steps: list[Step]) -> list[Step]:
    """Certificates of several claims as one step; a claim not certified keeps its own."""
    judged = [s for s in steps if s.title.startswith("Second judge")]
    certified = [s for s in judged if s.text.startswith("Certified twice")]
    if len(certified) < 2:
        return steps
    first = certified[0]
    summary = dataclasses.replace(
        first, text=first.text + f" The same holds for each of the {len(certified)} claims "
        "(one query each).")
    out = []
    for step in steps:
        if step is first:
            out.append(summary)
        elif step not in certified:
            out.append(step)
    return out


def parameters_named_elsewhere(proof: Proof) -> bool:
    """Whether the conclusion or the counterexample already names every parameter.

    The brief notes then leave out the separate list of parameters (each value is
    still on the page, where the evidence sentence or the counterexample gives it).

    Examples
    --------
    >>> p = Proof("t", "s", "s", {"n": 3}, "refuted", [], counterexample={"n": 3})
    >>> parameters_named_elsewhere(p)
    True
    """
    if not proof.parameters:
        return True
    sentence = proof.evidence_sentence()
    if all(f"{key}=" in sentence for key in proof.parameters):
        return True
    found = proof.counterexample or {}
    return all(key in found and found[key] == value for key, value in proof.parameters.items())
