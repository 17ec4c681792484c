"""Planned suppliers counted as working: the "as if" of ``chokepoints --horizon DATE``.

A planned supply (``cm:planned true``, with ``cm:expectedFrom``) is never counted on its
own: it is an announcement.  Counting the plans expected by a date moves those supply
links into the model's working suppliers, so every question asked of that model answers
as if the plans had come true.  :class:`graph.engine.setting.Setting` does it when given
``plans``; the answers then say which of their routes rest on a plan
(:func:`plans_used`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.model import KnowledgeGraph
from ..core.records import iso, source_refs
from .availability import Solution, State
from .supply import Link, SupplyModel

__all__ = ["EVERY_PLAN", "LAUNCH", "count_plans", "plan_ref", "plans_used"]

#: Count every plan, with an expected date or without one (asked only to tell "a plan
#: without a date would end it" from "no plan in the data ends it").
EVERY_PLAN = dt.date.max

#: The key and link type of a counted launch plan: ``(LAUNCH, item)``.
LAUNCH = "launch"


def count_plans(model: SupplyModel, by: dt.date) -> dict[tuple[str, str], Link]:
    """Count the planned supplies expected on or before ``by`` as working suppliers, and
    the launches expected by then (``cm:NotYetLaunched`` with ``cm:expectedFrom``) as made,
    keyed ``(LAUNCH, item)``.

    Modifies ``model`` (before an engine reads it) and returns the links counted, by
    (supplier, item).  A plan without an expected date is counted only when ``by`` is
    :data:`EVERY_PLAN`.
    Complexity: O(P + k log k) for P planned links and k suppliers of the items touched.
    """
    counted: dict[tuple[str, str], Link] = {}
    for item, links in model.planned.items():
        rest = []
        for lk in links:
            due = lk.expected_from <= by if lk.expected_from is not None else by == EVERY_PLAN
            if lk.type == "supplies" and due:
                model.sups.setdefault(item, []).append(lk)
                counted[(lk.node, item)] = lk
            else:
                rest.append(lk)
        links[:] = rest
    for _sup, item in counted:
        model.sups[item].sort(key=lambda lk: (-(lk.share or 0.0), lk.node))
    for item, st in list(model.launch_state.items()):  # a launch expected by then is a plan too
        expected: dt.date | None = st.get("launch_expected")
        if st["launch_status"] == "not_yet_launched" and expected is not None and expected <= by:
            del model.launch_state[item]
            counted[(LAUNCH, item)] = Link(item, item, LAUNCH, None, tuple(model.kg.g.nodes[item].get(
                "launch_sources", ())), False, st.get("launch_note"), None, None, expected)
    return counted


def plan_ref(kg: KnowledgeGraph, lk: Link) -> dict[str, Any]:
    """A planned supply (or launch) as JSON: who, of what, expected when, its note and sources."""
    if lk.type == LAUNCH:
        return {"launch": True, "supplier": None, "supplier_label": "launch", "item": lk.item,
                "item_label": kg.label(lk.item), "expected_from": iso(lk.expected_from),
                "note": lk.note, "sources": source_refs(lk.sources)}
    return {"supplier": lk.node, "supplier_label": kg.label(lk.node), "item": lk.item,
            "item_label": kg.label(lk.item),
            "expected_from": lk.expected_from.isoformat() if lk.expected_from else None,
            "note": lk.note, "sources": source_refs(lk.sources)}


def plans_used(model: SupplyModel, counted: dict[tuple[str, str], Link], sol: Solution,
               root: State) -> list[dict[str, Any]]:
    """The counted plans on the route an available answer follows (its justifications,
    from ``root`` up).  Complexity: O(states on the route + their prerequisites)."""
    if not counted or root not in sol.available:
        return []
    out: dict[tuple[str, str], dict[str, Any]] = {}
    seen = {root}
    stack = [root]
    while stack:
        state = stack.pop()
        if (LAUNCH, state.item) in counted:
            out.setdefault((LAUNCH, state.item), plan_ref(model.kg, counted[(LAUNCH, state.item)]))
        o = sol.justification.get(state)
        if o is None:
            continue
        if o.link is not None and (o.link.node, o.link.item) in counted:
            out.setdefault((o.link.node, o.link.item), plan_ref(model.kg, o.link))
        for p in o.prereqs:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return sorted(out.values(), key=lambda r: (r["expected_from"] or "", r["item_label"], r["supplier_label"]))
