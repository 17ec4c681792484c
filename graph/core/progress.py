"""Progress of long steps (parsing a big file, importing, searching pairs).

The library never prints: long loops call :func:`report`, which does nothing unless the
caller (the command line) has installed a reporter with :func:`reporting`.  The CLI's
reporter draws one line on stderr, and only when stderr is a terminal, so pipes, files
and tests see nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

__all__ = ["report", "reporting", "terminal_reporter"]

Reporter = Callable[[str, int, "int | None"], None]
_REPORTER: ContextVar[Reporter | None] = ContextVar("progress_reporter", default=None)


def report(label: str, done: int, total: int | None = None) -> None:
    """Tell the installed reporter (if any) that ``done`` of ``total`` units are done."""
    reporter = _REPORTER.get()
    if reporter is not None:
        reporter(label, done, total)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Install ``reporter`` for the duration of a ``with`` block."""
    token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(token)


def terminal_reporter(stream: TextIO | None = None, delay: float = 1.0) -> Reporter | None:
    """A reporter that redraws one line on a terminal, after ``delay`` seconds of work;
    None when the stream is not a terminal."""
    out = stream or sys.stderr
    if not out.isatty():
        return None
    start = time.monotonic()
    state = {"last": 0.0, "shown": False}

    def draw(label: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - start < delay or (now - state["last"] < 0.1 and not finished):
            return
        state["last"] = now
        pct = f" {100 * done / total:5.1f}%" if total else ""
        count = f"{done:,}" + (f"/{total:,}" if total else "")
        out.write(f"\r\033[K{label}: {count}{pct}")
        state["shown"] = True
        if finished:
            out.write("\r\033[K")
        out.flush()

    return draw
