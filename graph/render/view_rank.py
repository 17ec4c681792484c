"""The ranking a page shows beside its graph: the chokepoints in the view, by section and rank.

:func:`rank_view` marks the ranked chokepoints of a finished view (from
:func:`graph.engine.ranking.chokepoints`): each gets its section, rank, score, why and the
ids of its chain's edges; its size and its fill grow with its rank.  The fill is a grey
ink scale (pale to black), which no class colour resembles; the class stays in the shape
and in a thick border.  ``view["ranking"]`` lists them, actors then items, as the
``chokepoints`` command ranks them.
"""

from __future__ import annotations

from typing import Any

from .view_records import visible

__all__ = ["INK", "LABELLED_ROLES", "ink", "rank_view", "section_of"]

#: The fill scale of ranked nodes, lowest to highest rank: greys, unlike any class colour.
INK = ((0xE6, 0xE6, 0xE6), (0x1A, 0x1A, 0x1A))
#: Roles whose labels a page shows at any zoom (besides the top-ranked).
LABELLED_ROLES = frozenset({"focus", "target", "end"})
#: How many of each section keep their labels at any zoom.
LABEL_TOP = 10
_SECTIONS = ("actors", "items")
_ACTORS = frozenset({"Firm", "Facility", "Country", "Government"})


def ink(t: float) -> str:
    """The fill at ``t`` in [0, 1] (0 lowest rank shown, 1 the first).

    >>> ink(0.0), ink(1.0)
    ('#e6e6e6', '#1a1a1a')
    """
    t = min(1.0, max(0.0, t))
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(INK[0], INK[1], strict=True))


def rank_view(view: dict[str, Any], rows: list[dict[str, Any]], top: int | None,
              totals: dict[str, int] | None = None) -> dict[str, Any]:
    """Mark the ranked chokepoints ``rows`` that are in ``view`` (the ``top`` of each section).

    A row's chain counts the view's edges along its explanation.  Sets ``view["ranking"]``
    and ``view["legend"]["rank"]`` and the ``show_label`` flag of each node labelled at any
    zoom.  Complexity: O(V + E + R · L) for R rows with chains of L hops.
    """
    nodes = {n["id"]: n for n in view["nodes"]}
    edge_ids = {(e["from"], e["to"], e["type"]): e["id"] for e in view["edges"]}
    ranking = []
    for sec in _SECTIONS:
        members = [r for r in rows if section_of(r) == sec and r["id"] in nodes]
        members = members[:top] if top is not None else members
        for i, r in enumerate(members, 1):
            ranking.append(_mark(nodes[r["id"]], r, sec, i, len(members), edge_ids))
    for n in view["nodes"]:
        n["show_label"] = bool(n.get("role") in LABELLED_ROLES or 0 < n.get("rank", 0) <= LABEL_TOP)
    for e in view["edges"]:
        if e.get("highlight"):
            nodes[e["from"]]["show_label"] = nodes[e["to"]]["show_label"] = True
    view["ranking"] = ranking
    view["legend"]["rank"] = {"low": ink(0.0), "high": ink(1.0), "top": top,
                              "totals": totals or {s: sum(1 for r in ranking if r["section"] == s) for s in _SECTIONS}}
    return view


def section_of(r: dict[str, Any]) -> str:
    """The section of a ranked row: its own, else by class (firms, facilities, countries, governments are actors)."""
    return str(r.get("section") or ("actors" if r.get("type") in _ACTORS else "items"))


def _mark(rec: dict[str, Any], r: dict[str, Any], sec: str, rank: int, count: int,
          edge_ids: dict[tuple[str, str, str], str]) -> dict[str, Any]:
    """Style one ranked node and return its row of the ranking."""
    chain = []
    for h in r.get("explanation", []):
        eid = edge_ids.get((h["from"], h["to"], h["type"])) or edge_ids.get((h["to"], h["from"], h["type"]))
        if eid:
            chain.append(eid)
    t = 1.0 - (rank - 1) / max(count - 1, 1)
    rec.update(section=sec, rank=rank, score=r["score"], why=visible(r.get("why", "")),
               cut=[visible(x) for x in r.get("target_labels", [])], chain=chain,
               size=max(rec.get("size", 14), round(12 + 16 * t)), border=rec["color"], color=ink(t))
    if not rec.get("role"):
        rec["role"] = "chokepoint"
    return {"id": rec["id"], "label": rec["label"], "zh": rec.get("zh", ""), "type": rec["type"],
            "section": sec, "rank": rank, "score": r["score"], "why": rec["why"], "chain": chain}
