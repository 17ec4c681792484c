"""Run a call with a deadline, in a daemon thread, and hand back its result or its error.

Used where the work cannot be interrupted from Python (an Oxigraph query, a socket read):
the caller stops waiting at the deadline; the daemon thread ends with the process.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

from .errors import UsageError

__all__ = ["within_deadline"]


def within_deadline(work: Callable[[], Any], seconds: float, name: str) -> tuple[bool, Any]:
    """``(True, result)`` when ``work()`` returns within ``seconds``, ``(False, None)`` when
    it does not; an exception it raises is raised here.  Complexity: that of ``work``.

    ``seconds`` past what a thread can wait (``inf``, years) waits as long as it can;
    a NaN or a non-positive number is a :class:`~.errors.UsageError` (``param`` "timeout").

    >>> within_deadline(lambda: 42, 1.0, "demo")
    (True, 42)
    """
    if math.isnan(seconds) or seconds <= 0:
        msg = "give a positive number of seconds"
        raise UsageError(msg, "timeout", f"{seconds:g}")
    seconds = min(seconds, threading.TIMEOUT_MAX)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        return False, None
    if "error" in box:
        raise box["error"]
    return True, box["result"]
