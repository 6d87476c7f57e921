"""A tiny stdlib progress bar on stderr for long exhaustive runs.

It draws only when stderr is a terminal, progress is enabled (the CLI turns it
off for ``--json``; ``SYMCONV_PROGRESS=0`` turns it off everywhere), and the run
has lasted longer than :data:`DELAY` seconds, so short runs never flicker.

Examples
--------
>>> sum(progress(range(5), "domain"))   # not a terminal under doctest: no drawing
10
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

#: Seconds before the bar first appears.
DELAY = 0.5
#: Seconds between redraws.
INTERVAL = 0.1
WIDTH = 30

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


def _line(label: str, done: int, total: int | None, elapsed: float) -> str:
    if total:
        filled = WIDTH * done // total
        return (f"\r{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} "
                f"{elapsed:.1f}s")
    return f"\r{label} {done} points {elapsed:.1f}s"


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """Yield ``items`` unchanged, drawing a bar on stderr when :func:`active`.

    Parameters
    ----------
    items : iterable
        With ``len()`` the bar shows a fraction, otherwise a count.
    label : str
        Shown before the bar.
    """
    if not active():
        yield from items
        return
    total = len(items) if hasattr(items, "__len__") else None
    start = last = time.perf_counter()
    drawn, done = False, 0
    try:
        for done, item in enumerate(items, 1):
            yield item
            now = time.perf_counter()
            if now - start >= DELAY and now - last >= INTERVAL:
                sys.stderr.write(_line(label, done, total, now - start))
                sys.stderr.flush()
                drawn, last = True, now
    finally:
        if drawn:
            sys.stderr.write("\r" + " " * (len(label) + WIDTH + 30) + "\r")
            sys.stderr.flush()
