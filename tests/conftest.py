"""Hypothesis profiles: fast, deadline-free local runs; Hypothesis' own "ci" profile under CI;
"fuzz" (``pytest --hypothesis-profile=fuzz``) for the big budget of the fuzz tests, which take
their number of examples from the profile (run them alone: ``-k fuzz``)."""

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("fuzz", max_examples=10_000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
