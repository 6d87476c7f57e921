"""Open claims: a user states an identity or a chain of steps; symconv checks it."""

from .check import check
from .syntax import ClaimError

__all__ = ["check", "ClaimError"]
