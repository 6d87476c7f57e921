"""Hypothesis profiles: fast, deadline-free local runs; Hypothesis' own "ci" profile under CI."""

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
