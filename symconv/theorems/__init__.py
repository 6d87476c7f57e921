"""The theorem catalogue: one module per family, each theorem registered by name.

Importing this package imports every module in it, which registers its theorems.
"""

import importlib
import pkgutil

from .engine import REGISTRY, Outcome, Theorem, get, prove, theorem, theorems

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["REGISTRY", "Outcome", "Theorem", "get", "prove", "theorem", "theorems"]
