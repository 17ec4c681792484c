"""Warnings about the data that do not stop a run (a file given twice, a requirement on an
entity the data never defines), sent to whoever listens.

The library never prints: :func:`notice` hands each message to the listener installed
with :func:`listening` (the command line writes it to stderr as ``Warning: ...``), and
without one issues a :class:`DataWarning` through Python's :mod:`warnings`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["DataWarning", "listening", "notice"]

Listener = Callable[[str], None]
_LISTENER: ContextVar[Listener | None] = ContextVar("chokemap_notices", default=None)


class DataWarning(UserWarning):
    """Something in the data is probably wrong, and the run goes on (the message says how)."""


def notice(message: str) -> None:
    """Tell the installed listener (else :mod:`warnings`) about ``message``, one line.

    >>> seen = []
    >>> with listening(seen.append):
    ...     notice("a.ttl: given twice; read once")
    >>> seen
    ['a.ttl: given twice; read once']
    """
    listener = _LISTENER.get()
    if listener is None:
        warnings.warn(message, DataWarning, stacklevel=3)
    else:
        listener(message)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Install ``listener`` for the duration of a ``with`` block."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)
