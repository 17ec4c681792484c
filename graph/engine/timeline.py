"""Since when, and until when: exact timelines of availability and chokepoints.

Availability is piecewise constant in time.  On a date, the answer for an item and a
buyer depends only on which dependency edges of the item's upstream are in force, which
of its items are launched, which policies reaching them are in force (with the policies
that relax or suspend those), and which countries belong to the groups those policies
name.  So it can change only on a *change date*: a day on which one of these starts, or
the day after one ends (:mod:`graph.core.dates`: both end days are included).  Between
two change dates nothing the solve reads moves, so one question per interval, asked on
its first day, is the exact answer for every day of it; neighbours with the same answer
are merged.  Nothing is sampled.

The change dates are collected from the item's *upstream cone*: the items reached
backwards through ``requires`` and ``supplies`` (every edge, whatever its dates or
plans), the items they are kinds of (``kind_of``, which policies cover), their
suppliers, operators and countries.  The policies are those covering anything in the
cone (or everything), plus, to a fixpoint, the ones that relax or suspend them.

Records are plain data (ISO dates), ready for JSON; the sentences are made in
:mod:`graph.render.timeline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.model import KnowledgeGraph
from ..core.records import iso, source_refs
from .answers import availability
from .policy import policies_from_graph
from .ranking import chokepoints
from .setting import entity_ref
from .supply import ITEM_TYPES

__all__ = ["Cone", "upstream_cone", "change_events", "events_between", "timeline", "chokepoint_timeline", "STATES"]

#: The states of an interval, from "not yet" to "freely".
STATES = ("not_launched", "unavailable", "conditions", "available")

_DAY = dt.timedelta(days=1)


@dataclass
class Cone:
    """What an item's answer can read: items (with what they are kinds of), actors,
    policies, and the country groups those policies name."""

    items: set[str] = field(default_factory=set)
    covered: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    policies: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    inert: set[str] = field(default_factory=set)  # policies that can change no answer


def upstream_cone(kg: KnowledgeGraph, targets: Iterable[str]) -> Cone:
    """The upstream cone of ``targets``: every node and policy their answers can read.

    Complexity: O(V + E) (one backward search, then one pass over the policies and
    their links, to a fixpoint that adds each policy once).

    >>> import networkx as nx
    >>> from chokemap.graph.core.model import KnowledgeGraph
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("chip", type="Chip"); g.add_node("die", type="Chip"); g.add_node("fab", type="Firm")
    >>> g.add_node("tool", type="Tool")
    >>> _ = g.add_edge("die", "chip", type="requires"); _ = g.add_edge("fab", "die", type="supplies")
    >>> sorted(upstream_cone(KnowledgeGraph(g, {}), ["chip"]).items)
    ['chip', 'die']
    """
    g = kg.g
    cone = Cone()
    stack = list(targets)
    while stack:
        item = stack.pop()
        if item in cone.items:
            continue
        cone.items.add(item)
        for u, _v, d in g.in_edges(item, data=True):
            if d["type"] not in ("requires", "supplies"):
                continue
            if g.nodes[u].get("type") in ITEM_TYPES:
                stack.append(u)
            else:
                cone.actors.add(u)
    stack = list(cone.items)
    cone.covered = set(cone.items)
    while stack:
        for _u, v, d in g.out_edges(stack.pop(), data=True):
            if d["type"] == "kind_of" and v not in cone.covered:
                cone.covered.add(v)
                stack.append(v)
    for a in list(cone.actors):
        d = g.nodes[a]
        cone.actors.update(x for x in (d.get("operator"), d.get("country")) if x)
    for a in list(cone.actors):
        if g.nodes[a].get("country"):
            cone.actors.add(g.nodes[a]["country"])
    pols = policies_from_graph(kg)
    cone.policies = {p.id for p in pols.values()
                     if p.covers_all or p.covers & cone.covered or p.covers_supplier & cone.actors}
    grown = True
    while grown:  # a relaxation of a relaxation, a suspension of a relaxation...
        more = {p.id for p in pols.values()
                if p.id not in cone.policies and (p.relaxes | p.suspends) & cone.policies}
        cone.policies |= more
        grown = bool(more)
    cone.groups = {grp for pid in cone.policies for grp in pols[pid].groups}
    # an announcement that relaxes and suspends nothing is shown, never a change date:
    # the engine skips policies without effect (PolicyBook.applicable, Engine.countries)
    cone.inert = {pid for pid in cone.policies
                  if pols[pid].effect == "none" and not (pols[pid].relaxes or pols[pid].suspends)}
    return cone


def _sources(d: dict[str, Any], key: str = "sources", memo: dict[int, list[dict[str, Any]]] | None = None,
             ) -> list[dict[str, Any]]:
    """A record's sources as JSON; ``memo`` converts each shared list once (the loader gives
    the edges citing the same sources one list: a graph imported by year has thousands)."""
    srcs = d.get(key) or ()
    if memo is None:
        return source_refs(srcs)
    known = memo.get(id(srcs))
    if known is None:
        known = memo[id(srcs)] = source_refs(srcs)
    return known


def change_events(kg: KnowledgeGraph, cone: Cone) -> list[dict[str, Any]]:
    """Every dated event of the cone, sorted by date: a policy coming into force
    (``policy_in``) or going out (``policy_out``, dated the day after its last day), a
    supplier or an input added or lost (``supplier_added``, ``supplier_lost``,
    ``input_added``, ``input_lost``), a launch, a country joining or leaving a group
    (``member_in``, ``member_out``), and a planned supplier's expected date
    (``supplier_expected``: shown, never counted, so it changes no answer).  Events of a
    policy without effect that relaxes and suspends nothing (an announcement) are marked
    ``inert``: shown, never a change date.

    Complexity: O(E + P log P) over the cone's edges and policies.
    """
    g = kg.g
    out: list[dict[str, Any]] = []

    def add(day: dt.date | None, kind: str, node: str, srcs: list[dict[str, Any]], **extra: Any) -> None:
        if day is not None:
            out.append({"date": day.isoformat(), "kind": kind, "id": node, "label": kg.label(node),
                        "sources": srcs, **extra})

    for pid in cone.policies:
        d = g.nodes[pid]
        srcs, kind = _sources(d), d.get("kind")
        inert = {"inert": True} if pid in cone.inert else {}
        add(d.get("effective_from"), "policy_in", pid, srcs, policy_kind=kind, **inert)
        if d.get("effective_to"):
            add(d["effective_to"] + _DAY, "policy_out", pid, srcs, policy_kind=kind, **inert)
    memo: dict[int, list[dict[str, Any]]] = {}
    for item in cone.items:
        d = g.nodes[item]
        if d.get("launch"):
            add(d["launch"], "launch", item, _sources(d, "launch_sources"))
        elif d.get("launch_not_before"):  # the launch date is unknown: the earliest it could be
            add(d["launch_not_before"], "launch", item, _sources(d, "launch_sources"), date_unknown=True)
        if d.get("launch_on_market_by"):  # ... and the date by which it was surely out
            add(d["launch_on_market_by"], "on_market", item, _sources(d, "launch_sources"))
        for u, _v, e in g.in_edges(item, data=True):
            if e["type"] not in ("requires", "supplies"):
                continue
            what = "supplier" if e["type"] == "supplies" else "input"
            ref = {"item": item, "item_label": kg.label(item)}
            srcs = _sources(e, memo=memo)
            if e.get("planned"):
                add(e.get("expected_from"), "supplier_expected" if what == "supplier" else "input_expected",
                    u, srcs, planned=True, **ref)
                continue
            add(e.get("valid_from"), f"{what}_added", u, srcs, **ref)
            if e.get("valid_to"):
                add(e["valid_to"] + _DAY, f"{what}_lost", u, srcs, **ref)
    for country, grp, e in kg.edges_of("member_of"):
        if grp in cone.groups:
            ref = {"group": grp, "group_label": kg.label(grp)}
            add(e.get("valid_from"), "member_in", country, _sources(e), **ref)
            if e.get("valid_to"):
                add(e["valid_to"] + _DAY, "member_out", country, _sources(e), **ref)
    out.sort(key=lambda ev: (ev["date"], ev["kind"], ev["id"], ev.get("item") or ""))
    return out


def events_between(kg: KnowledgeGraph, items: Iterable[str], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The change events of the items' cone after ``start`` up to ``end`` (both dates of a
    ``diff``): the same list the timeline is cut by, so the two never disagree.

    Complexity: O(V + E) (:func:`upstream_cone`, :func:`change_events`).
    """
    s, e = start.isoformat(), end.isoformat()
    return [ev for ev in change_events(kg, upstream_cone(kg, items)) if s < ev["date"] <= e]


def _state(ans: dict[str, Any]) -> str:
    if ans["available"]:
        return "conditions" if ans["conditions"] else "available"
    if any(c["reason"] == "not_launched" and c.get("item") == ans["id"] for c in ans["blocked_by"]):
        return "not_launched"
    return "unavailable"


def _key(ans: dict[str, Any]) -> tuple[Any, ...]:
    """What must stay equal for two days to share an interval: the state, the policies
    behind it, the root causes, and whether the item's launch date is in doubt."""
    causes = tuple(sorted((c["reason"], c.get("policy") or "", c.get("item") or "", c.get("supplier") or "",
                           c.get("node") or "", c.get("input") or "", c.get("via_group") or "",
                           tuple(c.get("except_for") or ())) for c in ans["blocked_by"]))
    unsure = any(w["kind"] == "launch_unknown" for w in ans["warnings"])
    return (_state(ans), tuple(c["policy"] for c in ans["conditions"]), causes, unsure)


def _boundaries(events: Sequence[dict[str, Any]], start: dt.date, end: dt.date,
                horizon: dt.date | None) -> list[dt.date]:
    days = {start}
    days.update(d for d in (dt.date.fromisoformat(ev["date"]) for ev in events
                            if not (ev.get("inert") or ev.get("planned"))) if start < d <= end)
    if horizon is not None and start <= horizon < end:
        days.add(horizon + _DAY)
    return sorted(days)


def _check_range(start: dt.date, end: dt.date) -> None:
    if start > end:
        from ..core.errors import UsageError

        msg = f"the range starts on {start} after it ends on {end}; give the earlier date first"
        raise UsageError(msg)


def _interval(ans: dict[str, Any], day: dt.date, end: dt.date, by_day: dict[str, list[dict[str, Any]]],
              confirmed: bool) -> dict[str, Any]:
    """One interval, opened on ``day``, from the answer asked on that day."""
    return {
        "from": day.isoformat(), "to": end.isoformat(), "state": _state(ans),
        "events": [ev for ev in by_day.get(day.isoformat(), ()) if not ev.get("planned")],
        "policies": [c["policy"] for c in ans["conditions"]]
        or list(dict.fromkeys(c["policy"] for c in ans["blocked_by"] if c.get("policy"))),
        "conditions": ans["conditions"],
        "blocked_by": ans["blocked_by"],
        "launch": ans.get("launch"),
        **{k: ans[k] for k in ("launch_status", "launch_expected", "launch_not_before") if ans.get(k)},
        "confirmed": confirmed,
        "warnings": [w for w in ans["warnings"] if w["kind"] != "past_horizon"],
    }


def timeline(kg: KnowledgeGraph, item: str, buyer: str | None, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The exact intervals of ``item``'s availability to ``buyer`` from ``start`` to ``end``.

    Each interval (``from`` .. ``to``, both days included) has a ``state``
    (:data:`STATES`), the ``events`` of its first day that opened it, the ``conditions``
    or the root causes (``blocked_by``) behind the state, the policies among them
    (``policies``), and ``confirmed``: False for an interval after the data's horizon,
    which only what the data schedules can say.  The record also carries every event of
    the range (``events``), the planned suppliers expected (``expected``) and
    ``data_as_of``.

    Complexity: O(V + E) for the cone and its events, then one availability question
    per change date, O(K · (V + E) + D · (S + O + R)) for D change dates in the range
    falling in K date classes of the whole graph (the model is compiled once per class,
    :mod:`graph.engine.compiled`; the solve touches S states of the cone).

    Examples
    --------
    See ``tests/engine/test_timeline.py`` and ``tests/data/timeline.ttl``, whose
    expected intervals are marked in the file.
    """
    _check_range(start, end)
    cone = upstream_cone(kg, [item])
    events = change_events(kg, cone)
    horizon = kg.data_as_of
    days = _boundaries(events, start, end, horizon)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for ev in events:
        by_day.setdefault(ev["date"], []).append(ev)
    intervals: list[dict[str, Any]] = []
    last_key: tuple[Any, ...] | None = None
    for day in days:
        ans = availability(kg, item, buyer, day)
        key = _key(ans)
        confirmed = horizon is None or day <= horizon
        if intervals and key == last_key and intervals[-1]["confirmed"] == confirmed:
            continue
        if intervals:
            intervals[-1]["to"] = (day - _DAY).isoformat()
        last_key = key
        intervals.append(_interval(ans, day, end, by_day, confirmed))
    if intervals and intervals[0]["events"] and _key(availability(kg, item, buyer, start - _DAY)) == _key(
            availability(kg, item, buyer, start)):
        intervals[0]["events"] = []  # what happened on the first day changed nothing
    s, e = start.isoformat(), end.isoformat()
    return {
        **(entity_ref(kg, item) or {}),
        "buyer": entity_ref(kg, buyer),
        "from": s,
        "to": e,
        "data_as_of": iso(horizon),
        "intervals": intervals,
        "events": [ev for ev in events if s <= ev["date"] <= e],
        "expected": [ev for ev in events if ev.get("planned")],
        "change_dates": len(days),
    }


def chokepoint_timeline(kg: KnowledgeGraph, items: Sequence[str], buyer: str | None,
                        start: dt.date, end: dt.date) -> dict[str, Any]:
    """When each single-node chokepoint of ``items`` for ``buyer`` appears and disappears.

    Chokepoints too can change only on a change date of the targets' cone (the union of
    their change dates), so the ranking is asked once per interval.  Returns the
    intervals (each with the chokepoint ids of each section), and one row per node that
    is ever a chokepoint, actors first: its ``spans`` (``from`` .. ``to``) and
    ``throughout`` when it is one on every day of the range.

    Complexity: O(V + E) for the cone, then one chokepoint question per change date,
    O(D · (S + R) · N/64).
    """
    _check_range(start, end)
    cone = upstream_cone(kg, items)
    events = change_events(kg, cone)
    days = _boundaries(events, start, end, kg.data_as_of)
    intervals: list[dict[str, Any]] = []
    info: dict[str, dict[str, Any]] = {}
    for day in days:
        rep = chokepoints(kg, list(items), buyer, day, top=None, explain=0)  # ids only: no chain walked
        found = {r["id"]: r for r in rep["chokepoints"]}
        for n, r in found.items():
            info.setdefault(n, {"id": n, "label": r["label"], "type": r["type"], "section": r["section"]})
        ids = frozenset(found)
        confirmed = kg.data_as_of is None or day <= kg.data_as_of
        if intervals and intervals[-1]["_ids"] == ids and intervals[-1]["confirmed"] == confirmed:
            continue
        if intervals:
            intervals[-1]["to"] = (day - _DAY).isoformat()
        intervals.append({"from": day.isoformat(), "to": end.isoformat(), "_ids": ids, "confirmed": confirmed,
                          "actors": sorted(n for n in ids if found[n]["section"] == "actors"),
                          "items": sorted(n for n in ids if found[n]["section"] == "items"),
                          "available": [t["id"] for t in rep["targets"] if t["available"]]})
    rows = []
    for n, row in info.items():
        spans: list[dict[str, str]] = []
        for iv in intervals:
            if n not in iv["_ids"]:
                continue
            if spans and dt.date.fromisoformat(spans[-1]["to"]) + _DAY == dt.date.fromisoformat(iv["from"]):
                spans[-1]["to"] = iv["to"]
            else:
                spans.append({"from": iv["from"], "to": iv["to"]})
        throughout = spans == [{"from": start.isoformat(), "to": end.isoformat()}]
        rows.append({**row, "spans": spans, "throughout": throughout})
    rows.sort(key=lambda r: (r["section"] != "actors", not r["throughout"], r["spans"][0]["from"], r["label"]))
    for iv in intervals:
        del iv["_ids"]
    return {
        "targets": [entity_ref(kg, t) for t in items],
        "buyer": entity_ref(kg, buyer),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "data_as_of": iso(kg.data_as_of),
        "intervals": intervals,
        "chokepoints": rows,
    }
