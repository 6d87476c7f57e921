"""The progress bar of long exhaustive runs: tqdm's, on stderr.

It draws only when stderr is a terminal, progress is enabled (the CLI turns it
off for ``--json``; ``SYMCONV_PROGRESS=0`` turns it off everywhere), and the run
has lasted longer than :data:`DELAY` seconds, so short runs never flicker. tqdm
is imported only when a bar is drawn, so the command line starts as fast without it.

Examples
--------
>>> sum(progress(range(5), "domain"))   # not a terminal under doctest: no drawing
10
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["DELAY", "INTERVAL", "active", "enabled", "progress"]

T = TypeVar("T")

#: Seconds before the bar first appears.
DELAY = 0.5
#: Seconds between redraws.
INTERVAL = 0.1

_ENABLED: ContextVar[bool] = ContextVar("symconv_progress", default=True)


def active() -> bool:
    """Whether a bar would be drawn now: enabled, not switched off, stderr is a terminal."""
    stream = sys.stderr
    return (_ENABLED.get() and os.environ.get("SYMCONV_PROGRESS", "1") != "0"
            and hasattr(stream, "isatty") and stream.isatty())


@contextlib.contextmanager
def enabled(on: bool) -> Iterator[None]:
    """Turn progress bars on or off inside a ``with`` block."""
    token = _ENABLED.set(on)
    try:
        yield
    finally:
        _ENABLED.reset(token)


def progress(items: Iterable[T], label: str) -> Iterable[T]:
    """``items`` unchanged, with a tqdm bar on stderr when :func:`active`.

    Parameters
    ----------
    items : iterable
        With ``len()`` the bar shows a fraction, otherwise a count.
    label : str
        Shown before the bar.

    Returns
    -------
    iterable
        ``items`` itself when no bar is drawn; else a tqdm bar over them that
        clears itself when the run ends.
    """
    if not active():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, file=sys.stderr, delay=DELAY, mininterval=INTERVAL,
                leave=False, unit=" points", dynamic_ncols=True)
