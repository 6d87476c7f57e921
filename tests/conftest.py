"""Hypothesis profiles: fast, deadline-free local runs; Hypothesis' own "ci" profile under CI;
"fuzz" (``pytest --hypothesis-profile=fuzz``) for the big budget of the fuzz tests, which take
their number of examples from the profile (run them alone: ``-k fuzz``)."""

import os

import pytest
from hypothesis import settings

from symconv.theorems import REGISTRY, theorem

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("fuzz", max_examples=10_000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def plant():
    """Register deliberately false (or true) statements as theorems for one test.

    ``plant(name, check, points)`` registers ``check`` over the parameter ``points``
    (smallest first) and returns ``name``; every planted theorem is removed afterwards.
    """
    planted = []

    def register(name, check, points):
        points = list(points)
        theorem(name, family="planted", statement="planted variant", latex=r"\text{planted}",
                parameters=points[0], domain=lambda: points)(check)
        planted.append(name)
        return name

    yield register
    for name in planted:
        REGISTRY.pop(name)
