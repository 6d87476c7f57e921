"""The theorem catalogue: one module per family, each theorem registered by name.

Importing this package imports only :mod:`.engine`. A theorem's module is imported when
the theorem is first asked for (:func:`get`, :func:`prove`: the module the stored index
``symconv/catalogue.json`` names, every module if it is not there), every module by
:func:`theorems` and by reading :data:`REGISTRY` from here (PEP 562), and a module
named as an attribute (``symconv.theorems.structure``) on first use.
"""

from importlib import import_module as _import_module
from importlib.util import find_spec as _find_spec
from typing import Any as _Any

from .engine import Outcome, Theorem, get, load_all, prove, theorem, theorems


def __getattr__(name: str) -> _Any:
    if name == "REGISTRY":  # the whole catalogue, as this package always offered it
        return load_all()
    if not name.startswith("_") and _find_spec(f"{__name__}.{name}") is not None:
        return _import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["REGISTRY", "Outcome", "Theorem", "get", "load_all", "prove", "theorem",
           "theorems"]
