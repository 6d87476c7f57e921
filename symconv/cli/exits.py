"""What a command returns and raises: the exit codes and the usage error.

Exit codes: 0 proved / fine, 1 refuted (counterexample printed), 2 bad input or
usage, 3 internal error or missing optional backend, 4 verified on a finite domain
but not proved (a statement about all sizes without a proof for all sizes),
5 undecided within budget or vacuous (an empty domain: nothing checked).

Examples
--------
>>> VERDICT_EXIT["refuted"], VERDICT_EXIT["vacuous"]
(1, 5)
"""

from __future__ import annotations

from ..errors import SymconvError

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_PROVED", "EXIT_REFUTED", "EXIT_UNDECIDED",
           "EXIT_VERIFIED", "VERDICT_EXIT", "UsageError"]

EXIT_PROVED, EXIT_REFUTED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_VERIFIED, EXIT_UNDECIDED = 4, 5
#: The exit code of each verdict.
VERDICT_EXIT = {"proved": EXIT_PROVED, "refuted": EXIT_REFUTED, "verified": EXIT_VERIFIED,
                "undecided": EXIT_UNDECIDED, "vacuous": EXIT_UNDECIDED}


class UsageError(SymconvError):
    """A command-line value that cannot be parsed."""

