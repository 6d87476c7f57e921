"""Hypothesis profiles: fast, deadline-free local runs; Hypothesis' own "ci" profile under CI."""

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=50, deadline=None)
# The grammar fuzzers' budget of the issue (tests/test_claim_language.py): 10,000 strings.
settings.register_profile("fuzz", max_examples=10_000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
