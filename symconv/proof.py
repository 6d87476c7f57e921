"""What a check returns: a :class:`Proof` made of :class:`Step` s, with its evidence.

A proof's verdict is one of :data:`VERDICTS`:

- ``"proved"``: for a statement about the stated sizes, symbolic (or exhaustive,
  for a statement about a finite set) evidence; for a statement about all sizes
  (``scope="all sizes"``), parametric evidence -- nothing less;
- ``"verified"``: a statement about all sizes that held at every point of the
  finite domain searched (``domain`` names it) but has no proof for all sizes;
- ``"refuted"``: a counterexample was found (the smallest one searched);
- ``"undecided"``: the search ran out of its budget before a decision;
- ``"vacuous"``: the domain has no point (or the assumptions are unsatisfiable):
  nothing was checked, so nothing is claimed.

The evidence says exactly what was done (see DESIGN.md, "What proved means"):

- ``symbolic``: both sides built with symbolic entries at concrete sizes; their
  difference expands to 0;
- ``exhaustive``: the identity checked at every point of the stated finite domain;
- ``parametric``: proved for all sizes, each step (a named lemma or a check of an
  index-set bijection) re-verified;
- ``numeric``: drawn numeric cases agree with the NumPy oracle (support, not proof).

The constructor refuses inconsistent proofs: ``proved`` with no evidence or
with a counterexample, ``proved`` for all sizes without ``parametric`` evidence,
``refuted`` without a counterexample, ``verified`` without an exhaustive domain,
``numeric`` as the only evidence of ``proved``.

Examples
--------
>>> p = Proof("demo", "1 + 1 = 2", r"1 + 1 = 2", {}, "proved", ["symbolic"])
>>> p.to_dict()["verdict"], p.evidence
('proved', ['symbolic'])
>>> Proof("demo", "1 + 1 = 3", "1 + 1 = 3", {}, "proved", [])
Traceback (most recent call last):
    ...
ValueError: a proved verdict needs evidence from ('symbolic', 'exhaustive', 'parametric'), got []
>>> Proof("demo", "f(n) = n for all n", "f(n) = n", {}, "proved", ["exhaustive"],
...       scope="all sizes")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
ValueError: a statement about all sizes is proved only with parametric evidence, got ...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy

EVIDENCE_KINDS = ("symbolic", "exhaustive", "parametric", "numeric")
PROOF_EVIDENCE = ("symbolic", "exhaustive", "parametric")
VERDICTS = ("proved", "verified", "refuted", "undecided", "vacuous")
#: What a statement is about: the stated sizes (a symbolic check there proves it) or
#: all sizes (only a parametric proof proves it).
SCOPES = ("stated sizes", "all sizes")


class ExactText(str):
    """A value's text, as JSON and ``==`` see it, carrying the exact value it was printed from.

    Counterexamples and witnesses are public data whose values are text (``'1/3'``); the
    renderers print :attr:`value` (a SymPy object, a tuple of them, a number) with SymPy's
    printer instead of reading the text back.

    Examples
    --------
    >>> third = ExactText(sympy.Rational(1, 3))
    >>> third == "1/3", third.value, json.dumps({"p": third})
    (True, 1/3, '{"p": "1/3"}')
    >>> ExactText(sympy.Tuple(0, 1), "(0, 1)")
    '(0, 1)'
    """

    value: Any

    def __new__(cls, value: Any, text: str | None = None) -> ExactText:
        self = super().__new__(cls, str(value) if text is None else text)
        self.value = value
        return self


@dataclass(frozen=True)
class Math:
    """A display equation given as LaTeX (KaTeX-safe) and as plain text for a terminal."""

    latex: str
    plain: str


@dataclass(frozen=True)
class Display:
    """``label = value`` where ``value`` is a SymPy object (matrix, array, expression).

    Renderers print ``value`` at render time, eliding large matrices with
    ``\\cdots``/``\\vdots``/``\\ddots`` above a configurable size.
    """

    label_latex: str
    value: Any
    label_plain: str = ""


class DeferredDisplay(Display):
    """A :class:`Display` whose value is built the first time it is read (then kept).

    A proof's printed matrices matter only when it is rendered; building them is deferred
    to then. Only what is *shown* may be deferred: a verdict and its evidence are computed
    before the proof is made.

    Examples
    --------
    >>> calls = []
    >>> item = DeferredDisplay("C", lambda: calls.append(1) or sympy.Matrix([[1]]))
    >>> len(calls), item.label_plain
    (0, 'C')
    >>> item.value, item.value, len(calls)
    (Matrix([[1]]), Matrix([[1]]), 1)
    """

    def __init__(self, label_latex: str, build: Callable[[], Any],
                 label_plain: str = "") -> None:
        object.__setattr__(self, "label_latex", label_latex)
        object.__setattr__(self, "label_plain", label_plain or label_latex)
        object.__setattr__(self, "_build", build)

    @property
    def value(self) -> Any:  # type: ignore[override]
        """The displayed value, built on first read."""
        if "_value" not in self.__dict__:
            object.__setattr__(self, "_value", self._build())
        return self.__dict__["_value"]


@dataclass(frozen=True)
class Step:
    """One step of a derivation.

    Parameters
    ----------
    title : str
        A short heading ("Definition", "Build C", "Compare", ...).
    text : str
        Prose; inline math between ``$...$`` (LaTeX, KaTeX-safe).
    math : tuple of Math or Display
        Display equations.
    """

    title: str
    text: str = ""
    math: tuple[Math | Display, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: each display item as ``{"latex", "plain"}``."""
        return {"title": self.title, "text": self.text,
                "math": [{"latex": _render("item_latex", m), "plain": _render("item_plain", m)}
                         for m in self.math]}


@dataclass
class Proof:
    """The result of checking a theorem or a formula.

    Attributes
    ----------
    theorem : str
        Catalogue name (or ``"formula"``).
    statement, statement_latex : str
        The claim in plain text and in LaTeX.
    parameters : dict
        The parameters it was checked at (JSON-ready values).
    verdict : str
        One of :data:`VERDICTS`.
    evidence : list of str
        Subset of ``EVIDENCE_KINDS``.
    counterexample : dict or None
        For a refuted claim: the smallest failing parameters and both sides' values.
    steps : list of Step
        The derivation.
    domain : str or None
        The finite domain an exhaustive check covered, in words.
    witness : dict or None
        For a negative theorem ("... is not commutative"), proved by example: the example.
    scope : str
        ``"stated sizes"`` or ``"all sizes"`` (:data:`SCOPES`): what the statement
        is about, which decides what evidence can prove it.
    diagnosis : str or None
        For a refuted implementation check: the known mistake the code makes.
    """

    theorem: str
    statement: str
    statement_latex: str
    parameters: dict[str, Any]
    verdict: str
    evidence: list[str]
    counterexample: dict[str, Any] | None = None
    steps: list[Step] = field(default_factory=list)
    domain: str | None = None
    witness: dict[str, Any] | None = None
    scope: str = "stated sizes"
    diagnosis: str | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, got {self.scope!r}")
        unknown = [e for e in self.evidence if e not in EVIDENCE_KINDS]
        if unknown:
            raise ValueError(f"evidence must come from {EVIDENCE_KINDS}, got {unknown}")
        if (self.counterexample is None) == (self.verdict == "refuted"):
            raise ValueError("a refuted verdict needs a counterexample" if self.verdict ==
                             "refuted" else f"a {self.verdict} verdict cannot carry a "
                             "counterexample")
        if self.verdict == "proved":
            if not any(e in PROOF_EVIDENCE for e in self.evidence):
                raise ValueError(f"a proved verdict needs evidence from {PROOF_EVIDENCE}, "
                                 f"got {self.evidence}")
            if self.scope == "all sizes" and "parametric" not in self.evidence:
                raise ValueError("a statement about all sizes is proved only with parametric "
                                 f"evidence, got {self.evidence} (say 'verified' on the "
                                 "domain searched)")
        if self.verdict == "verified" and ("exhaustive" not in self.evidence
                                           or not self.domain):
            raise ValueError("a verified verdict needs exhaustive evidence and the domain it "
                             f"covered, got {self.evidence} on {self.domain!r}")
        if self.verdict == "vacuous" and self.evidence:
            raise ValueError(f"a vacuous verdict gathered no evidence, got {self.evidence}")

    @property
    def proved(self) -> bool:
        """True when the verdict is ``"proved"``."""
        return self.verdict == "proved"

    def evidence_sentence(self) -> str:
        """The conclusion in exact words: what was proved, on what domain.

        Examples
        --------
        >>> print(Proof("t", "s", "s", {"n": 4}, "proved", ["symbolic"]).evidence_sentence())
        Proved symbolically at n=4: built with symbolic entries, both sides agree exactly
        (their difference expands to 0) for all entry values.
        """
        if self.verdict == "refuted":
            if self.domain:
                return ("Refuted: the statement fails at the counterexample shown, the first "
                        f"failing point of {self.domain} in order of size.")
            return "Refuted: the statement fails at the parameters of the counterexample shown."
        if self.verdict == "verified":
            return (f"Verified on {self.domain}: the statement holds at every point there, but "
                    "it is a statement about all sizes and has no proof for all sizes, so it "
                    "is not proved.")
        if self.verdict == "undecided":
            return ("Undecided within budget: the search stopped before it could prove or "
                    "refute the statement" + (f" (it had covered {self.domain})"
                                               if self.domain else "") + ".")
        if self.verdict == "vacuous":
            return (f"Vacuous: {self.domain or 'the domain'} has no point, so nothing was "
                    "checked and nothing is claimed.")
        at = ", ".join(f"{k}={_short(v)}" for k, v in self.parameters.items())
        parts = []
        if self.witness is not None:
            parts.append("Proved by example: the witness shown makes the two sides differ, "
                         "computed exactly.")
        if "parametric" in self.evidence:
            parts.append("Proved for all sizes: the claims named under 'For all sizes: what "
                         "is proved', every step mechanically re-verified.")
        if "symbolic" in self.evidence:
            parts.append(f"Proved symbolically at {at or 'the stated sizes'}: built with symbolic "
                         "entries, both sides agree exactly (their difference expands to 0) "
                         "for all entry values.")
        if "exhaustive" in self.evidence:
            parts.append(f"Proved exhaustively on {self.domain or 'the stated domain'}.")
        if "numeric" in self.evidence:
            parts.append("Numeric cross-check against the NumPy oracle (or PyTorch, where a "
                         "PyTorch step says so) agrees (support, not proof).")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the keys of the public contract.

        Examples
        --------
        >>> d = Proof("t", "s", "s", {}, "proved", ["exhaustive"], domain="n<=3").to_dict()
        >>> sorted(d)[:5]
        ['conclusion', 'counterexample', 'diagnosis', 'domain', 'evidence']
        """
        return {
            "theorem": self.theorem,
            "statement": self.statement,
            "statement_latex": self.statement_latex,
            "verdict": self.verdict,
            "evidence": list(self.evidence),
            "parameters": jsonable(self.parameters),
            "counterexample": jsonable(self.counterexample),
            "domain": self.domain,
            "witness": jsonable(self.witness),
            "scope": self.scope,
            "diagnosis": self.diagnosis,
            "conclusion": self.evidence_sentence(),
            "steps": [s.to_dict() for s in self.steps],
        }

    def to_json(self) -> str:
        """``to_dict`` as a JSON document (sorted keys, byte-stable)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)

    def text(self) -> str:
        """The derivation for a terminal."""
        return _render("text", self)

    def latex(self, standalone: bool = False) -> str:
        """The derivation as a LaTeX fragment, or a whole document if ``standalone``."""
        return _render("latex", self, standalone=standalone)

    def markdown(self) -> str:
        """The derivation as Markdown with KaTeX/MathJax-renderable math."""
        return _render("markdown", self)

    def _latex(self, printer: Any = None) -> str:
        """SymPy's printer protocol: the statement as LaTeX."""
        return self.statement_latex

    def _repr_latex_(self) -> str:
        return _render("repr_latex", self)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return f"{self.theorem}: {self.verdict} ({', '.join(self.evidence) or 'no evidence'})"


def _render(kind: str, value: Any, **options: Any) -> str:
    """The data model's one call into render, imported lazily (:mod:`symconv.render.dispatch`)."""
    from .render.dispatch import render

    return render(kind, value, **options)


def _short(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        inner = ",".join(_short(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return str(value)


def jsonable(value: Any) -> Any:
    """Convert tuples, SymPy numbers and NumPy scalars to plain JSON values."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, sympy.Basic):
        return int(value) if value.is_Integer else str(value)
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return str(value)
