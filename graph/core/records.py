"""JSON-ready records: the conversions every query, answer and view shares.

The graph keeps Python values (``datetime.date`` on sources, specs, edges and policies);
the JSON twins of the commands carry ISO strings.  These plain functions make that one
conversion in one place, so ``show``, ``path``, ``compare`` and the pages agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

__all__ = ["iso", "source_refs", "edge_dataset"]


def iso(value: Any) -> Any:
    """A date as its ISO string; any other value (None, text, a number) unchanged.

    >>> iso(dt.date(2026, 2, 1)), iso(None), iso("2026")
    ('2026-02-01', None, '2026')
    """
    return value.isoformat() if isinstance(value, dt.date) else value


def source_refs(srcs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources as JSON: each source's fields copied, its ``date`` an ISO string (or None).

    >>> source_refs([{"id": "s1", "url": "https://e.org", "date": dt.date(2025, 1, 2)}, {"id": "s2"}])
    [{'id': 's1', 'url': 'https://e.org', 'date': '2025-01-02'}, {'id': 's2', 'date': None}]
    """
    return [{**s, "date": iso(s.get("date"))} for s in srcs]


def edge_dataset(d: dict[str, Any]) -> str:
    """``"ETO"`` for an edge that cites ETO's dataset (its importer names its sources eto-*),
    else ``"bundled"``."""
    return "ETO" if any(str(s.get("id", "")).startswith("eto-") for s in d.get("sources", [])) else "bundled"
