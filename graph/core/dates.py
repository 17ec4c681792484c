"""The one date rule: what is in force on a day, and what "today" is.

Every command that answers for a date (the engine, paths and trees, views, export, diff)
asks these functions, so they agree on which edges and policies count:

* an interval ``[start, end]`` includes both end days; a missing end is open (a missing
  start: in force since always, a missing end: in force from then on);
* a dependency edge is in force on a day when the day lies in its validity interval and
  the edge is not ``planned`` (a plan is shown, never counted, on any date); supply from
  a stockpile (``stock``) counts like any other within its dates;
* a policy is in force on a day when the day lies in its effective interval
  (``effective_from`` .. ``effective_to``); whether it is suspended or relaxed on that day
  is the engine's business (:mod:`graph.engine.policy`), decided on policies in force.

"Today" is decided once per session (:func:`today`), never deep in the library: library
functions take the date as an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

__all__ = ["within", "edge_in_force", "policy_in_force", "today", "parse_date"]


def within(on: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """True when ``on`` lies in ``[start, end]`` (both days included; None is open).

    >>> import datetime as dt
    >>> within(dt.date(2025, 1, 1), dt.date(2025, 1, 1), None)
    True
    >>> within(dt.date(2025, 1, 2), None, dt.date(2025, 1, 1))
    False
    """
    return (start is None or start <= on) and (end is None or on <= end)


def edge_in_force(edge: Mapping[str, Any], on: dt.date) -> bool:
    """True when a dependency edge counts on ``on``: within its validity, and not planned.

    ``edge`` is an edge record (``valid_from``, ``valid_to``, ``planned``).  Edges that
    are not dependencies carry none of these and are always in force.

    >>> import datetime as dt
    >>> edge_in_force({"valid_to": dt.date(2020, 9, 14)}, dt.date(2021, 1, 1))
    False
    >>> edge_in_force({"planned": True}, dt.date(2030, 1, 1))
    False
    """
    if edge.get("planned"):
        return False
    return within(on, edge.get("valid_from"), edge.get("valid_to"))


def policy_in_force(policy: Mapping[str, Any], on: dt.date) -> bool:
    """True when a policy record (``effective_from``, ``effective_to``) is in force on ``on``.

    >>> import datetime as dt
    >>> policy_in_force({"effective_from": dt.date(2023, 11, 17)}, dt.date(2023, 11, 16))
    False
    """
    return within(on, policy.get("effective_from"), policy.get("effective_to"))


def today() -> dt.date:
    """The date a question is asked on when none is given (the session asks this once)."""
    return dt.date.today()


def parse_date(text: str) -> dt.date:
    """Read ``YYYY-MM-DD`` (or ``today``).  Raises ValueError with the text on a bad date.

    >>> parse_date("2026-02-01")
    datetime.date(2026, 2, 1)
    """
    if text == "today":
        return today()
    return dt.date.fromisoformat(text)

