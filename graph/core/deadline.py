"""Run a call with a deadline, in a daemon thread, and hand back its result or its error.

Used where the work cannot be interrupted from Python (an Oxigraph query, a socket read):
the caller stops waiting at the deadline; the daemon thread ends with the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["within_deadline"]


def within_deadline(work: Callable[[], Any], seconds: float, name: str) -> tuple[bool, Any]:
    """``(True, result)`` when ``work()`` returns within ``seconds``, ``(False, None)`` when
    it does not; an exception it raises is raised here.  Complexity: that of ``work``.

    >>> within_deadline(lambda: 42, 1.0, "demo")
    (True, 42)
    """
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
