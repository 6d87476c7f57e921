"""Size limits of symbolic work, checked before anything is built.

Building a SymPy matrix costs about :data:`BYTES_PER_ENTRY` bytes and
:data:`SECONDS_PER_ENTRY` seconds per stored entry (measured on a 48x48 stride-2
correlation: ~100 bytes kept, ~260 bytes peak, ~30 microseconds per entry), so a
224x224 layer's ``.matrix`` would take tens of megabytes and seconds, and ResNet's
first layer (118 million entries) tens of gigabytes. Symbolic work beyond
:func:`max_symbolic_entries` entries is refused up front with a
:class:`~symconv.errors.SizeLimitError` that says how to raise the limit; the
proofs at such sizes use the exact index-form comparison of :mod:`symconv.sparse`.

Examples
--------
>>> require_symbolic_size(10, "C.matrix")
>>> try:
...     require_symbolic_size(10**9, "C.matrix")
... except SizeLimitError as error:
...     print(str(error)[:77])
C.matrix would build 1000000000 symbolic entries (about 260.0 GB and 8.3 h),
"""

from __future__ import annotations

import os

from .errors import SizeLimitError

#: Default largest number of stored entries turned into SymPy objects at once.
MAX_SYMBOLIC_ENTRIES = 100_000
#: The environment variable that overrides :data:`MAX_SYMBOLIC_ENTRIES`.
ENV_VAR = "SYMCONV_MAX_SYMBOLIC_ENTRIES"
#: Peak bytes per entry while a SymPy SparseMatrix is built (measured, rounded up).
BYTES_PER_ENTRY = 260
#: Seconds per entry to build a SymPy SparseMatrix (measured).
SECONDS_PER_ENTRY = 30e-6


def max_symbolic_entries() -> int:
    """The limit in force: ``$SYMCONV_MAX_SYMBOLIC_ENTRIES`` if set, else the module default.

    Examples
    --------
    >>> max_symbolic_entries() >= 1
    True
    """
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return MAX_SYMBOLIC_ENTRIES
    try:
        value = int(text)
    except ValueError:
        raise SizeLimitError(f"{ENV_VAR} must be a positive integer, got {text!r}") from None
    if value < 1:
        raise SizeLimitError(f"{ENV_VAR} must be a positive integer, got {text!r}")
    return value


def _human(entries: int) -> str:
    size, seconds = entries * BYTES_PER_ENTRY, entries * SECONDS_PER_ENTRY
    memory = f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"
    duration = (f"{seconds / 3600:.1f} h" if seconds >= 3600 else
                f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.1f} s")
    return f"about {memory} and {duration}"


def require_symbolic_size(entries: int, what: str) -> None:
    """Raise :class:`~symconv.errors.SizeLimitError` if ``entries`` exceed the limit.

    Parameters
    ----------
    entries : int
        Stored entries the symbolic object would have.
    what : str
        What was asked for, for the message (``"correlation.matrix (9x25)"``).
    """
    limit = max_symbolic_entries()
    if entries > limit:
        raise SizeLimitError(
            f"{what} would build {entries} symbolic entries ({_human(entries)}), more than the "
            f"limit of {limit}; raise it with the environment variable {ENV_VAR}={entries} or "
            "symconv.limits.MAX_SYMBOLIC_ENTRIES, or use an index-form proof (symconv.sparse)")
