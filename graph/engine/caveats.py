"""Caveats on an answer: what the data cannot tell, and supply that hangs by a thread.

An answer is only as good as its data.  Two things make an answer one an analyst should not
cite without a word of warning, and both are found here, as records with a reason code:

* ``past_horizon``: the question is for a date after the date the data is current to
  (``cm:Dataset cm:currentTo``); whatever happened since is unknown, and the changes the
  data schedules after its horizon (a suspension that ends, a rule that starts) are
  scheduled, not confirmed;
* ``launch_unknown``: the item is a product whose launch date the data does not know; the
  answer holds only if it was on the market on the date asked (the sources may bound it:
  not before one date, on the market by another; past the second there is no caveat);
* ``placeholder_only`` and ``thin_supply``: an input on the route that makes the item
  available is supplied, once the named suppliers are blocked or gone, only by unnamed
  producers ("Various companies") of unknown share, or by suppliers that together hold
  less than a threshold (10% by default) of its known market.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.dates import within
from ..core.model import DEPENDENCY_TYPES, KnowledgeGraph
from ..core.records import iso
from .availability import Engine, Solution, State, working_options

__all__ = ["THIN_SHARE", "horizon_caveats", "launch_caveats", "supply_caveats"]

#: Below this share of an input's known market, the suppliers left are "thin supply".
THIN_SHARE = 0.10


def horizon_caveats(kg: KnowledgeGraph, date: dt.date, limit: int = 5) -> list[dict[str, Any]]:
    """A ``past_horizon`` caveat when ``date`` lies after the data's horizon, naming the
    changes the data schedules between the horizon and ``date`` (policies that start or
    end, dated supply edges), the first ``limit`` of them by date.

    Complexity: O(V + E) to find the scheduled changes.
    """
    horizon = kg.data_as_of
    if horizon is None or date <= horizon:
        return []
    after = dt.timedelta(days=1)
    changes: list[tuple[dt.date, str]] = []
    for _n, d in kg.g.nodes(data=True):
        if d.get("type") != "Policy":
            continue
        for key, verb in (("effective_from", "comes into force"), ("effective_to", "ends")):
            day = d.get(key)
            if day and within(day, horizon + after, date):
                changes.append((day, f"{d.get('label')} {verb} on {day.isoformat()}"))
    for u, v, e in kg.g.edges(data=True):
        if e["type"] not in DEPENDENCY_TYPES:
            continue
        for key, verb in (("valid_from", "starts"), ("valid_to", "ends")):
            day = e.get(key)
            if day and within(day, horizon + after, date):
                changes.append((day, f"{kg.label(u)} -> {kg.label(v)} ({e['type']}) {verb} on {day.isoformat()}"))
    changes.sort()
    text = (f"the data is current to {horizon.isoformat()}: this answer for {date.isoformat()} cannot "
            "see what happened since")
    if changes:
        shown = "; ".join(c for _d, c in changes[:limit])
        more = f" (and {len(changes) - limit} more)" if len(changes) > limit else ""
        text += f"; scheduled after {horizon.isoformat()}, not confirmed: {shown}{more}"
    return [{"kind": "past_horizon", "data_as_of": iso(horizon), "scheduled": len(changes), "text": text}]


def launch_caveats(kg: KnowledgeGraph, item: str, date: dt.date) -> list[dict[str, Any]]:
    """A ``launch_unknown`` caveat when ``item``'s launch date is not in the data and
    ``date`` is not known to be after it.  Complexity: O(1)."""
    d = kg.g.nodes[item] if item in kg.g else {}
    if d.get("launch_status") != "date_unknown":
        return []
    first, by = d.get("launch_not_before"), d.get("launch_on_market_by")
    if (by is not None and date >= by) or (first is not None and date < first):
        return []  # surely out by then; or surely not yet, which the answer itself says
    bounds = [f"not before {first.isoformat()}" if first else "", f"on the market by {by.isoformat()}" if by else ""]
    known = "; ".join(b for b in bounds if b)
    text = (f"the data does not know when {kg.label(item)} was first available"
            + (f" ({known})" if known else "") + f": this answer holds only if it was on the market on {date.isoformat()}")
    return [{"kind": "launch_unknown", "item": item, "not_before": iso(first), "on_market_by": iso(by), "text": text}]


def supply_caveats(engine: Engine, sol: Solution, root: State, threshold: float = THIN_SHARE) -> list[dict[str, Any]]:
    """Inputs on the route that makes ``root`` available whose named suppliers are all
    blocked or gone, leaving only placeholders (``placeholder_only``) or suppliers with
    less than ``threshold`` of the known market (``thin_supply``).

    The route is the justification the fixpoint found: every state it rests on is looked
    at once, and each distinct prerequisite tuple checked once, so O(S + O + R_G) for O
    options and R_G the prerequisites of the distinct tuples; O(S) when no option can fail
    by itself and each state's options share one tuple (a graph without policies).
    """
    if root not in sol.available or getattr(sol, "one_group", False):  # (the reference engine has no flag)
        # every option on the route works (the loop below would find no state to report)
        return []
    m, kg = engine.model, engine.model.kg
    out: list[dict[str, Any]] = []
    seen: set[State] = set()
    met: dict[int, bool] = {}  # id(prerequisite tuple) -> all available (suppliers share tuples)
    avail = sol.available
    clean = getattr(engine, "clean", False)  # an engine that indexes no groups takes the general path
    stack = [root]
    while stack:
        s = stack.pop()
        if s in seen or s not in sol.justification:
            continue
        seen.add(s)
        stack.extend(sol.justification[s].prereqs)
        if clean and len(engine.groups(s)) == 1:
            continue  # nothing fails by itself and every option needs what the route had: all work
        actors = [o for o in sol.options.get(s, []) if o.kind == "actor" and o.link is not None]
        working = working_options(actors, avail, met)
        if not working or len(working) == len(actors):
            continue
        kept = {id(o) for o in working}  # by identity: comparing options field by field is slow
        lost = [o for o in actors if id(o) not in kept and o.link.node not in m.aggregate]  # type: ignore[union-attr]
        if not lost:
            continue
        named = [o for o in working if o.link.node not in m.aggregate]  # type: ignore[union-attr]
        shares = [o.link.share for o in working]  # type: ignore[union-attr]
        known = sum(x for x in shares if x is not None)
        rec = {"item": s.item, "item_label": kg.label(s.item),
               "lost": sorted({o.link.node for o in lost}),  # type: ignore[union-attr]
               "remaining": sorted({o.link.node for o in working})}  # type: ignore[union-attr]
        if not named:
            share = f"{known:.0%} of the market" if all(x is not None for x in shares) else "share unknown"
            out.append({**rec, "kind": "placeholder_only", "share": known if None not in shares else None,
                        "text": f"{kg.label(s.item)}: available only from unnamed other producers ({share}); "
                                f"{', '.join(kg.label(x) for x in rec['lost'])} blocked or gone"})
        elif None not in shares and known < threshold:
            out.append({**rec, "kind": "thin_supply", "share": known,
                        "text": f"{kg.label(s.item)}: thin supply: {known:.0%} of the market remains "
                                f"({', '.join(kg.label(x) for x in rec['remaining'])}); "
                                f"{', '.join(kg.label(x) for x in rec['lost'])} blocked or gone"})
    out.sort(key=lambda r: (r["kind"], r["item_label"]))
    return out
