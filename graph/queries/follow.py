"""Which edges a walk follows, and which edge a hop shows.

Shared by :mod:`graph.queries.paths` (paths between two entities) and
:mod:`graph.queries.trees` (what an entity needs, what needs it): the edge types,
the rule for an edge on a date, and the choice among parallel edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..core.dates import edge_in_force
from ..core.errors import UsageError

__all__ = ["FOLLOW", "LINK_TYPES", "best_edge", "edge_ok", "parse_types"]

#: The edge types a dependency path follows by default.
FOLLOW = ("requires", "supplies")

#: Every edge type of the projection (see graph/load.py), for ``--via``.
LINK_TYPES = (
    "requires", "supplies", "owns", "located_in", "operated_by", "designed_by", "kind_of",
    "governs", "part_of", "subject_to", "issued_by", "covers", "covers_supplier",
    "destination", "listed_party", "relaxes", "suspends", "about",
)

_DEP_RANK = {"requires": 0, "supplies": 1, "owns": 2}


def edge_ok(d: dict[str, Any], types: frozenset[str], as_of: dt.date | None) -> bool:
    """An edge counts when its type is followed and, on a date, it is in force then.

    A planned supply is not in force on any date, so ``as_of`` drops it.

    >>> edge = {"type": "supplies", "valid_from": dt.date(2025, 1, 1), "planned": False}
    >>> edge_ok(edge, frozenset(FOLLOW), None), edge_ok(edge, frozenset(FOLLOW), dt.date(2024, 6, 1))
    (True, False)
    """
    if d["type"] not in types:
        return False
    if as_of is None:
        return True
    return edge_in_force(d, as_of)


def best_edge(edges: list[tuple[bool, dict[str, Any]]]) -> tuple[bool, dict[str, Any]]:
    """Pick the edge a hop shows: forward first, dependencies first, then the larger share.

    ``edges`` are (forward, edge data) pairs.

    >>> best_edge([(True, {"type": "owns"}), (True, {"type": "supplies", "share": 0.4})])[1]["type"]
    'supplies'
    """
    return min(edges, key=lambda fe: (not fe[0], _DEP_RANK.get(fe[1]["type"], 9),
                                      -(fe[1].get("share") or 0.0), fe[1]["type"], _tiebreak(fe[1])))


def _tiebreak(d: dict[str, Any]) -> tuple[Any, ...]:
    """Parallel edges of one type (new chips and stock) ordered by content, never by file order."""
    return (bool(d.get("stock")), bool(d.get("planned")), str(d.get("valid_from") or ""),
            str(d.get("valid_to") or ""), tuple(s.get("id", "") for s in d.get("sources", ())))


def parse_types(text: str | Iterable[str] | None, known: Iterable[str], what: str) -> list[str] | None:
    """Split "a,b" into a list of names from ``known`` (case-insensitive); None when empty.

    >>> parse_types("chip, firm", ["Chip", "Firm", "Tool"], "class")
    ['Chip', 'Firm']

    Raises
    ------
    UsageError
        A name is not in ``known``.
    """
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    folded = {k.casefold(): k for k in known}
    out: list[str] = []
    for raw in parts:
        name = raw.strip()
        if not name:
            continue
        if name.casefold() not in folded:
            msg = f"unknown {what} {name!r}; use one or more of: {', '.join(sorted(folded.values()))}"
            raise UsageError(msg)
        if folded[name.casefold()] not in out:
            out.append(folded[name.casefold()])
    return out or None
