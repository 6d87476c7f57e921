"""The derivation of a checked claim: one line per step with its verdict, and the
counterexample with both sides shown and the differing entry boxed.

Examples
--------
>>> from symconv.claim.syntax import parse_claim
>>> chain = parse_claim("flip(x) == x")
>>> print(step_line(chain, 0, StepRecord(checked=3, skipped=1), ["n"]).text)
Holds at all 3 points where it is defined (1 point skipped: both sides undefined).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy

from symconv.proof import Math, Proof, Step

from .operators import Undefined
from .search import StepRecord
from .syntax import Chain
from .typeset import node_latex, value_latex, value_plain
from .values import to_sympy

__all__ = ["step_line", "counterexample_step", "check_brief", "MAX_SHOWN"]

#: Values larger than this many entries are described, not printed whole.
MAX_SHOWN = 64


def _at(sizes: Mapping[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items()) or "the stated sizes"


def _points(count: int) -> str:
    return f"{count} point{'s' if count != 1 else ''}"


def step_line(chain: Chain, i: int, record: StepRecord, names: list[str]) -> Step:
    """Step ``i + 1`` of the chain, typeset, with its verdict over the domain."""
    a, b = chain.terms[i], chain.terms[i + 1]
    math = (Math(f"{node_latex(a)} = {node_latex(b)}",
                 f"{chain.text[a.start:a.end]} == {chain.text[b.start:b.end]}"),)
    skipped = (f" ({_points(record.skipped)} skipped: both sides undefined)"
               if record.skipped else "")
    if record.failure is not None:
        where = _at({n: record.failure[n] for n in names})
        text = (f"Refuted at {where}, the first failing point in order of size "
                f"(it held at {_points(record.checked)} before){skipped}.")
    elif record.inconclusive is not None:
        text = (f"Undecided: at {_at(record.inconclusive)} the two sides have different forms "
                "under a maximum and no values were found at which they differ; it held at "
                f"{_points(record.checked)}{skipped}.")
    elif record.checked == 0:
        text = f"Vacuous: no point where both sides are defined{skipped}."
    else:
        every = "the" if record.checked == 1 else "all"
        text = f"Holds at {every} {_points(record.checked)} where it is defined{skipped}."
    return Step(f"Step {i + 1}", text, math)


def _shown(value: Any, marked: int | None, label: str, label_plain: str) -> Math:
    if isinstance(value, Undefined):
        return Math(rf"{label} \text{{ is undefined}}", f"{label_plain} is undefined: {value}")
    if value.size > MAX_SHOWN:
        at = tuple(int(i) for i in np.unravel_index(marked, value.shape)) if marked is not None \
            else None
        entry = "" if at is None else f", entry {at} = {to_sympy(value.entry(marked))}"
        dims = r" \times ".join(map(str, value.shape))
        return Math(rf"{label} \in \mathbb{{R}}^{{{dims}}}",
                    f"{label_plain}: shape {value.shape}{entry}")
    return Math(f"{label} = {value_latex(value, marked)}",
                f"{label_plain} =\n{value_plain(value, marked)}")


def _inline(value: Any) -> str:
    """An entry's value as inline math when its exact value is known, else its text."""
    exact = getattr(value, "value", None)
    return f"${sympy.latex(exact)}$" if isinstance(exact, sympy.Basic) else str(value)


def counterexample_step(chain: Chain, record: StepRecord, names: list[str]) -> Step:
    """The failing step at its counterexample: both sides, the differing entry boxed."""
    number = record.failure["step"]
    a, b = chain.terms[number - 1], chain.terms[number]
    marked = record.difference.index if record.difference else None
    text = (f"Step {number} at {_at({n: record.failure[n] for n in names})}: "
            f"{record.failure['reason']}.")
    if "index" in record.failure:
        text += (f" First differing entry {record.failure['index']} (boxed): "
                 f"left {_inline(record.failure['left'])}, "
                 f"right {_inline(record.failure['right'])}.")
    for side, value in zip(("left", "right"), record.sides):
        if isinstance(value, Undefined):
            text += f" The {side} side: {value}."
    if "witness" in record.failure:
        text += f" They differ at the integer values {record.failure['witness']}."
    math = (_shown(record.sides[0], marked, node_latex(a), chain.text[a.start:a.end]),
            _shown(record.sides[1], marked, node_latex(b), chain.text[b.start:b.end]))
    return Step("Counterexample", text, math)


def check_brief(proof: Proof) -> Proof:
    """The brief rendering of a checked claim (:func:`symconv.render.brief.brief`), with a
    chain's one line per step kept: which step fails is the point of a chain.

    A single identity's step line repeats the verdict and is left out, like every
    other step the project's brief leaves out (``--full`` shows them all).

    >>> import symconv as sc
    >>> p = sc.check("flip(flip(x)) == x == flip(x)", shapes="x=n", domain="n <= 3")
    >>> [step.title for step in check_brief(p).steps]
    ['Claim', 'Step 1', 'Step 2', 'Counterexample']
    >>> [step.title for step in check_brief(sc.check("flip(flip(x)) == x", shapes="x=n")).steps]
    ['Claim', 'Full derivation']
    """
    import dataclasses

    from symconv.render.brief import brief

    short = brief(proof)
    lines = [step for step in proof.steps if step.title.startswith("Step ")]
    if len(lines) < 2:
        return short
    kept = [step for step in short.steps if step.title != "Full derivation"]
    kept = kept[:1] + [step for step in lines if step not in kept] + kept[1:]
    left_out = len(proof.steps) - len(kept)
    if left_out:
        kept.append(Step("Full derivation",
                         f"{left_out} further step{'s are' if left_out != 1 else ' is'} in "
                         "the full derivation (--full on the command line)."))
    return dataclasses.replace(proof, steps=kept)
