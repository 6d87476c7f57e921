"""The proof engine: a registry of named theorems and :func:`prove`.

A theorem is a function ``check(**parameters) -> Outcome`` that builds both
sides of an identity at concrete sizes (symbolic entries) and compares them,
plus a finite exhaustive domain of parameter points, ordered smallest first.
:func:`prove` runs the check at the requested parameters and, unless told
otherwise, at every point of the domain; the first failing point is the
smallest counterexample.

Examples
--------
>>> p = prove("flip", input_shape=(3,), kernel_shape=(2,))
>>> p.verdict, p.evidence
('proved', ['symbolic', 'numeric'])
"""

from __future__ import annotations

import difflib
import importlib
import itertools
import json
import pkgutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import sympy

from ..errors import TheoremError
from ..progress import progress
from ..proof import PROOF_EVIDENCE, ExactText, Proof, Step
from ..validation import is_integer


@dataclass(frozen=True)
class Outcome:
    """What one check at one parameter point found.

    Attributes
    ----------
    holds : bool
        Whether the statement holds at this point.
    steps : tuple of Step
        The derivation at this point.
    difference : dict or None
        When it does not hold: where and the two sides' concrete values.
    witness : dict or None
        For a negative statement ("... is not commutative"): the example proving it.
    evidence : tuple of str
        What the check did ("symbolic" for symbolic entries expanded to 0,
        "exhaustive" for integer facts checked at every point of a finite set).
    numeric : bool or None
        Whether an independent NumPy oracle cross-check agreed (None: not run).
    domain : str or None
        The finite set an ``exhaustive`` check inside the point covered.
    scope : str
        What the statement checked is about (:data:`symconv.proof.SCOPES`): the stated
        sizes (the default), or all sizes -- then only ``parametric`` evidence proves it.
    statement : tuple of str or None
        The statement actually checked, (plain, LaTeX), when it is not the theorem's
        own (a user's formula, or a claim part of which could not be checked).
    """

    holds: bool
    steps: tuple[Step, ...] = ()
    difference: dict[str, Any] | None = None
    witness: dict[str, Any] | None = None
    evidence: tuple[str, ...] = ("symbolic",)
    numeric: bool | None = None
    domain: str | None = None
    scope: str = "stated sizes"
    statement: tuple[str, str] | None = None


@dataclass(frozen=True)
class Theorem:
    """A catalogue entry."""

    name: str
    family: str
    statement: str
    statement_latex: str
    parameters: dict[str, Any]
    check: Callable[..., Outcome]
    domain: Callable[[], Iterable[dict[str, Any]]] = field(default=lambda: ())
    domain_text: str = ""
    module: str = field(default="", compare=False)

    def describe(self) -> dict[str, Any]:
        """Name, statements, parameters with defaults, and the exhaustive domain."""
        from ..proof import jsonable

        return {"name": self.name, "family": self.family, "statement": self.statement,
                "statement_latex": self.statement_latex,
                "parameters": jsonable(self.parameters), "domain": self.domain_text}


#: The theorems registered so far. The catalogue's modules are imported on demand
#: (:func:`get` imports the one that defines the theorem asked for, :func:`load_all`
#: every one); read it after :func:`load_all` for the whole catalogue.
REGISTRY: dict[str, Theorem] = {}

_LOADED: list[bool] = [False]  # whether load_all has imported every catalogue module


def theorem(name: str, *, family: str, statement: str, latex: str,
            parameters: dict[str, Any], domain: Callable[[], Iterable[dict]] | None = None,
            domain_text: str = "") -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """Register ``check`` under ``name`` (a decorator); the module calling it is recorded
    as the one whose import registers the theorem (:func:`module_index`)."""
    module = sys._getframe(1).f_globals.get("__name__", "")

    def register(check: Callable[..., Outcome]) -> Callable[..., Outcome]:
        if name in REGISTRY:
            raise RuntimeError(f"theorem {name!r} registered twice")
        REGISTRY[name] = Theorem(name, family, statement, latex, dict(parameters), check,
                                 domain or (lambda: ()), domain_text, module)
        return check
    return register


def load_all() -> dict[str, Theorem]:
    """Import every module of the catalogue (each registers its theorems); the registry.

    Examples
    --------
    >>> len(load_all()) >= 50
    True
    """
    if not _LOADED[0]:
        package = importlib.import_module(__package__)
        for name in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
            importlib.import_module(f"{__package__}.{name}")
        _LOADED[0] = True
    return REGISTRY


def module_index() -> dict[str, str]:
    """Each catalogue theorem's name and the module whose import registers it, from the
    live registry (imports every module); ``catalogue.json`` keeps a copy for :func:`get`.

    Examples
    --------
    >>> module_index()["transpose"]
    'symconv.theorems.structure'
    """
    return {name: thm.module for name, thm in sorted(load_all().items())
            if thm.module.startswith(f"{__package__}.")}


#: The stored catalogue (``python -m symconv.catalogue`` writes it): its ``modules`` are
#: :func:`module_index` as it was written.
INDEX_PATH = Path(__file__).resolve().parents[1] / "catalogue.json"


@cache
def stored_modules() -> dict[str, str]:
    """The stored index: each theorem's name and the module whose import registers it.

    :func:`get` imports only that module (and every module when the name is not there, or
    the module did not register it): the index decides what is imported, never what is
    proved.

    Examples
    --------
    >>> stored_modules()["transpose"]
    'symconv.theorems.structure'
    """
    return dict(json.loads(INDEX_PATH.read_text(encoding="utf-8")).get("modules", {}))


def _registered(key: str) -> Theorem | None:
    """The theorem ``key``: registered already, or after importing the module the stored
    index names for it (only a name the package defines: it is imported, never trusted),
    or after importing every module."""
    if key not in REGISTRY and not _LOADED[0]:
        module = stored_modules().get(key, "")
        if module.startswith(f"{__package__}.") and module.isascii():
            importlib.import_module(module)
        if key not in REGISTRY:  # an index older than the code: look everywhere
            load_all()
    return REGISTRY.get(key)


def theorems() -> list[dict[str, Any]]:
    """The catalogue: one dict per theorem (name, statement, LaTeX, parameters, domain).

    Examples
    --------
    >>> "transpose" in [t["name"] for t in theorems()]
    True
    """
    return [thm.describe() for _, thm in sorted(load_all().items())]


def get(name: str) -> Theorem:
    """The theorem called ``name`` (any case, ``_`` for ``-``); else suggest close matches.

    Examples
    --------
    >>> get("TRANSPOSE").name
    'transpose'
    >>> get("transpos")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    symconv.errors.TheoremError: theorem must be a catalogue name, got 'transpos'; did you ...
    """
    if not isinstance(name, str):
        raise TheoremError(f"theorem must be a catalogue name (a str), got {name!r} "
                           f"(see `symconv list` for all {len(load_all())})")
    key = name.strip().lower().replace("_", "-")
    if _registered(key) is None:
        close = difflib.get_close_matches(key, REGISTRY, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise TheoremError(f"theorem must be a catalogue name, got {name!r}{hint} "
                           f"(see `symconv list` for all {len(REGISTRY)})")
    return REGISTRY[key]


#: Parameters whose values :class:`symconv.geometry.Geometry` (and its kin) validate:
#: an int or a per-axis tuple, and for padding a name as well.
GEOMETRY_PARAMETERS = frozenset({"input_shape", "kernel_shape", "stride", "padding",
                                 "dilation", "output_padding"})


def _kind_error(thm: Theorem, name: str, value: Any, rule: str) -> TheoremError:
    return TheoremError(f"theorem {thm.name!r} parameter {name!r} must be {rule}, got "
                        f"{value!r} (default: {thm.parameters[name]!r})")


def _checked_value(thm: Theorem, name: str, value: Any) -> Any:
    """``value`` if it has the kind of the parameter's default (an int as a str is its text).

    An integer parameter may be given per axis (a tuple of integers); geometry parameters
    are left to the geometry, which names its own rules.
    """
    default = thm.parameters[name]
    if name in GEOMETRY_PARAMETERS:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise _kind_error(thm, name, value, "true or false")
    elif isinstance(default, int):
        items = value if isinstance(value, (tuple, list)) and value else (value,)
        if not all(map(is_integer, items)):
            raise _kind_error(thm, name, value, "an integer (or one per axis)")
    elif isinstance(default, str):
        if is_integer(value):
            return str(value)
        if not isinstance(value, str):
            raise _kind_error(thm, name, value, "a str")
    elif isinstance(default, tuple) and not isinstance(value, (tuple, list)):
        raise _kind_error(thm, name, value, "a tuple like its default")
    return value


def _check_parameters(thm: Theorem, given: dict[str, Any]) -> dict[str, Any]:
    """The given parameters, each known to ``thm`` and of its default's kind."""
    unknown = sorted(set(given) - set(thm.parameters))
    if unknown:
        valid = ", ".join(thm.parameters) or "none"
        raise TheoremError(f"theorem {thm.name!r} takes no parameter {unknown[0]!r} "
                           f"(valid: {valid})")
    return {name: _checked_value(thm, name, value) for name, value in given.items()}


def _counterexample(point: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    return {**point, **(outcome.difference or {"difference": "statement fails"})}


def prove(name: str, *, exhaustive: bool | None = None, **parameters: Any) -> Proof:
    """Check theorem ``name``: at ``parameters`` (defaults filled in) and over its domain.

    Parameters
    ----------
    name : str
        A catalogue name (see :func:`theorems`).
    exhaustive : bool, optional
        Also check every point of the theorem's finite domain. Default: only when no
        parameters are given.
    **parameters
        Overrides of the theorem's defaults.

    Returns
    -------
    Proof
        ``proved`` with its evidence, or ``refuted`` with the smallest counterexample;
        ``verified`` for a statement about all sizes (a user's formula) checked on a
        finite domain only; ``vacuous`` when the check covered nothing.
    """
    return decide(get(name), exhaustive=exhaustive, **parameters)


def _settle(point: dict[str, Any], outcome: Outcome) -> dict[str, Any] | None:
    """The counterexample at ``point``, if any.

    A numeric cross-check that disagrees with the independent oracle means the
    operators are not what the frameworks compute: the statement is then not proved.
    """
    if not outcome.holds:
        return _counterexample(point, outcome)
    if outcome.numeric is False:
        return {**point, "numeric cross-check": "the operator disagrees with the independent "
                                                "NumPy oracle"}
    return None


def same_point(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two parameter points are the same call of a check: the same names, each
    value of the same type and equal (``1`` is not ``True``, ``(4,)`` is not ``[4]``).

    The domain of most theorems contains their default point; :func:`decide` checks it
    once and counts that outcome for the domain as well (a check is deterministic).

    Examples
    --------
    >>> same_point({"n": 4, "shape": (2, 2)}, {"shape": (2, 2), "n": 4})
    True
    >>> same_point({"n": 1}, {"n": True}), same_point({"n": (4,)}, {"n": [4]})
    (False, False)
    """
    return a.keys() == b.keys() and all(repr(a[key]) == repr(b[key]) for key in a)


def _verdict(counterexample: dict | None, evidence: list[str], scope: str) -> str:
    """Refuted with a counterexample; else proved only with evidence that proves the scope.

    A check that gathered no proof evidence covered nothing (vacuous); a statement about
    all sizes without a parametric proof is verified on its exhaustive domain, or
    undecided when it has none.
    """
    if counterexample is not None:
        return "refuted"
    if not any(e in PROOF_EVIDENCE for e in evidence):
        return "vacuous"
    if scope == "all sizes" and "parametric" not in evidence:
        return "verified" if "exhaustive" in evidence else "undecided"
    return "proved"


def decide(thm: Theorem, *, exhaustive: bool | None = None, **parameters: Any) -> Proof:
    """:func:`prove` for a :class:`Theorem` object (registered or not)."""
    if exhaustive is not None and not isinstance(exhaustive, bool):
        raise TheoremError(f"exhaustive must be True, False or None (the default: only when "
                           f"no parameters are given), got {exhaustive!r}")
    parameters = _check_parameters(thm, parameters)
    point = {**thm.parameters, **parameters}
    outcome = thm.check(**point)
    evidence = list(outcome.evidence)
    domain = outcome.domain
    counterexample = _settle(point, outcome)
    run_domain = (not parameters) if exhaustive is None else exhaustive
    if run_domain:  # the domain is ordered smallest first: its first failure is the smallest
        checked = 0
        for other in progress(thm.domain(), f"{thm.name}: domain"):
            found = outcome if same_point(other, point) else thm.check(**other)
            checked += any(e in PROOF_EVIDENCE for e in found.evidence)  # not a vacuous point
            smaller = _settle(other, found)
            if smaller is not None:
                counterexample, outcome = smaller, found
                domain = thm.domain_text
                break
        if counterexample is None and checked:
            evidence.append("exhaustive")
            domain = f"{thm.domain_text} ({checked} points)"
    if counterexample is None and outcome.numeric:
        evidence.append("numeric")
    verdict = _verdict(counterexample, evidence, outcome.scope)
    statement, statement_latex = outcome.statement or (thm.statement, thm.statement_latex)
    kept = list(dict.fromkeys(evidence)) if verdict not in ("refuted", "vacuous") else []
    return Proof(thm.name, statement, statement_latex, point, verdict, kept, counterexample,
                 list(outcome.steps), domain, outcome.witness, scope=outcome.scope)


# ---------------------------------------------------------------------------
# Comparison helpers shared by the theorem modules
# ---------------------------------------------------------------------------

def first_difference(lhs: Any, rhs: Any, labels: tuple[str, str] = ("lhs", "rhs")
                     ) -> dict[str, Any] | None:
    """Compare two SymPy matrices, arrays or expressions exactly; first differing entry.

    Entries are compared by expanding their difference. Returns None when equal,
    else the position and both sides' values (or the two shapes).

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> first_difference(sympy.Matrix([[x, 1]]), sympy.Matrix([[x, 2]]))
    {'position': (0, 1), 'lhs': '1', 'rhs': '2'}
    >>> first_difference((x + 1)**2, x**2 + 2*x + 1) is None
    True
    """
    a, b = _entries(lhs), _entries(rhs)
    if isinstance(a, tuple):
        shape_a, entries_a = a
        shape_b, entries_b = b if isinstance(b, tuple) else (None, {})
        if shape_a != shape_b:
            return {"shape": f"{shape_a} vs {shape_b}"}
        for key in sorted(set(entries_a) | set(entries_b)):
            left, right = entries_a.get(key, 0), entries_b.get(key, 0)
            if left == right:  # the same expression tree: equal without expanding
                continue
            if sympy.expand(left - right) != 0:
                return {"position": key, labels[0]: ExactText(left),
                        labels[1]: ExactText(right)}
        return None
    if sympy.expand(sympy.sympify(lhs) - sympy.sympify(rhs)) != 0:
        return {labels[0]: ExactText(lhs), labels[1]: ExactText(rhs)}
    return None


def _entries(value: Any):
    """A matrix or array as (shape, its nonzero entries by position); anything else as is.

    Dense entries are read in one pass in row-major order (indexing SymPy containers
    entry by entry costs several times more).
    """
    if isinstance(value, sympy.SparseMatrix):
        return (value.shape, dict(value.todok()))
    if isinstance(value, sympy.MatrixBase):
        return (value.shape, _nonzero(value.shape, value))
    if isinstance(value, sympy.NDimArray):
        shape = tuple(value.shape)
        return (shape, _nonzero(shape, value.reshape(len(value)) if shape else [value[()]]))
    return value


def _nonzero(shape: tuple[int, ...], row_major: Iterable[Any]) -> dict[tuple[int, ...], Any]:
    positions = itertools.product(*map(range, shape))
    return {index: entry for index, entry in zip(positions, row_major) if entry != 0}
