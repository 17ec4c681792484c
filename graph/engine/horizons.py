"""Substitution horizons: until when is a chokepoint one, by the plans in the data?

A planned supplier (``cm:planned true``, ``cm:expectedFrom D``) is an announcement, never
counted on its own.  The *horizon* of a chokepoint of a target for a buyer on a date is
the earliest expected date E such that, counting every planned supply of the target's
upstream expected by E as working (:func:`graph.engine.plans.count_plans`), it no longer
cuts any target it cut; with the plans of that date that end it.  Plans only add
suppliers, so kill sets only shrink as E grows: once a node stops being a chokepoint it
stays stopped, and the horizon is found by asking the candidate dates in order, one
solve and one kill-set pass each, for all chokepoints at once, stopping when every one
has its horizon.  The candidates are the distinct expected dates of the planned supplies
in the targets' upstream cone: few (a handful on the bundled graph).

Records are plain data; the sentences are made in :mod:`graph.render.horizons`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..core.model import KnowledgeGraph
from .chokepoints import kill_sets
from .compiled import model_for
from .plans import EVERY_PLAN, plan_ref
from .ranking import chokepoints
from .setting import Setting, country_of, embargo_keep
from .supply import Link
from .timeline import upstream_cone

__all__ = ["REASONS", "substitution_horizons", "chokepoints_with_horizons", "planned_in_cone"]

#: Why a chokepoint has the horizon it has.
REASONS = ("planned_substitute", "undated_plan", "plans_fall_short", "no_planned_substitute")


def planned_in_cone(kg: KnowledgeGraph, targets: Sequence[str], date: dt.date,
                    plans: dt.date | None = None) -> list[Link]:
    """The planned supplies of the targets' upstream cone, but those expected by ``plans``
    (counted already).  Whether anything is planned at all comes from the supply model
    of ``date`` (the planned links of every date), without reading the graph's edges.
    Complexity: O(P) for the P planned links, and only when some are supplies, O(V + E)
    for the cone."""
    if not any(lk.type == "supplies" for links in model_for(kg, date).planned.values() for lk in links):
        return []  # nothing planned anywhere (an ETO import): no cone to walk
    out = []
    for item in upstream_cone(kg, targets).items:
        for u, _v, d in kg.g.in_edges(item, data=True):
            if d["type"] != "supplies" or not d.get("planned"):
                continue
            exp = d.get("expected_from")
            if plans is not None and exp is not None and exp <= plans:
                continue
            out.append(Link(u, item, "supplies", d.get("share"), tuple(d.get("sources", ())), bool(d.get("stock")),
                            d.get("note"), d.get("valid_from"), d.get("valid_to"), exp))
    return sorted(out, key=lambda lk: (lk.expected_from or dt.date.max, lk.item, lk.node))


def _killers_by_item(setting: Setting, targets: Sequence[str], buyer: str | None,
                     nodes: Sequence[str]) -> dict[str, set[str]]:
    """Item -> the given nodes that cut some available state of it (the items a plan must
    reach to end a node).  One solve and one kill-set pass focused on ``nodes``:
    O((S + R) · |nodes|/64)."""
    roots = [setting.root(t, buyer) for t in targets]
    sol = setting.engine.solve(roots)
    ks = kill_sets(setting.engine, sol, country_of(setting.kg, buyer), keep=roots)
    ks.focus(nodes)
    out: dict[str, set[str]] = {}
    for s in sol.available:
        out.setdefault(s.item, set()).update(ks.focused(s))
    return out


def _first_dates(kg: KnowledgeGraph, targets: Sequence[str], buyer: str | None, date: dt.date,
                 keep: frozenset[str], days: list[dt.date], cut: dict[str, set[str]]) -> dict[str, dt.date]:
    """Node -> the first of ``days`` on which, counting the plans expected by then, it cuts
    none of the targets in ``cut[node]``.  One solve and kill-set pass per day asked, in
    order, stopping once every node has its date: O(D · (S + R) · N/64)."""
    pending = {n: set(ts) for n, ts in cut.items()}
    found: dict[str, dt.date] = {}
    country = country_of(kg, buyer)
    for day in days:
        if not pending:
            break
        st = Setting(kg, date, keep=keep, plans=day)
        roots = [st.root(t, buyer) for t in targets]
        sol = st.engine.solve(roots)
        ks = kill_sets(st.engine, sol, country, keep=roots)
        still = {r.item: set(ks.members(r)) for r in roots}
        for n in list(pending):
            if not any(n in still.get(t, ()) for t in pending[n]):
                found[n] = day
                del pending[n]
    return found


def substitution_horizons(kg: KnowledgeGraph, targets: Sequence[str], buyer: str | None, date: dt.date,
                          cut: dict[str, list[str]], plans: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The horizon of each chokepoint in ``cut`` (node -> the targets it cuts).

    Returns, per node, ``horizon``: None, or ``{"date", "ends", "confirmed": False}`` with
    the planned supplies expected on that date whose item the node cut (``ends``: supplier,
    item, expected date, note, sources); and ``horizon_reason`` (:data:`REASONS`):
    ``planned_substitute``; ``undated_plan`` (only counting plans without an expected
    date ends it: those are in ``horizon_plans``); ``plans_fall_short`` (there are plans for
    what the node cuts, in ``horizon_plans``, but even all of them counted leave it a
    chokepoint); ``no_planned_substitute`` (no plan for anything the node cuts).  ``plans``: the
    plans expected by that date are counted already (``chokepoints --horizon``); later
    dates are the candidates.

    Complexity: O(V + E) for the cone, one focused kill-set pass, then one solve and
    kill-set pass per distinct expected date of the cone's planned supplies (and one with
    every plan, when some have no date), at most D + 1: O((2 + D) · (S + R) · N/64).

    Examples
    --------
    See ``tests/engine/test_horizons.py`` and ``tests/data/horizons.ttl``, whose expected
    horizons are marked in the file.
    """
    left = planned_in_cone(kg, targets, date, plans) if cut else []
    if not left:  # the common case: nothing planned upstream, no solve needed
        return {n: {"horizon": None, "horizon_reason": "no_planned_substitute"} for n in cut}
    country = country_of(kg, buyer)
    keep = embargo_keep(kg, country)
    killers = _killers_by_item(Setting(kg, date, keep=keep, plans=plans), targets, buyer, list(cut))
    days = sorted({lk.expected_from for lk in left if lk.expected_from is not None})
    if any(lk.expected_from is None for lk in left):
        days.append(EVERY_PLAN)  # would a plan without a date end it?
    found = _first_dates(kg, targets, buyer, date, keep, days, {n: set(ts) for n, ts in cut.items()})
    out: dict[str, dict[str, Any]] = {}
    for n in cut:
        # a plan helps only where the node cuts the item; a new maker of the node itself
        # (an item needed as such) is no substitute for it
        mine = [lk for lk in left if lk.item != n and n in killers.get(lk.item, ())]
        day = found.get(n)
        if day == EVERY_PLAN:
            out[n] = {"horizon": None, "horizon_reason": "undated_plan",
                      "horizon_plans": [plan_ref(kg, lk) for lk in mine if lk.expected_from is None]}
        elif day is not None:
            ends = [lk for lk in mine if lk.expected_from == day] or [lk for lk in left if lk.expected_from == day]
            out[n] = {"horizon": {"date": day.isoformat(), "ends": [plan_ref(kg, lk) for lk in ends],
                                  "confirmed": False}, "horizon_reason": "planned_substitute"}
        elif mine:
            out[n] = {"horizon": None, "horizon_reason": "plans_fall_short",
                      "horizon_plans": [plan_ref(kg, lk) for lk in mine]}
        else:
            out[n] = {"horizon": None, "horizon_reason": "no_planned_substitute"}
    return out


def _rests_on(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The counted plans a row's chain or supply rests on (``chokepoints --horizon``)."""
    conc = row.get("concentration") or {}
    out = [{"supplier": h["from"], "supplier_label": h["from_label"], "item": h["to"], "item_label": h["to_label"],
            "expected_from": h["expected_from"]} for h in row.get("explanation", []) if h.get("planned")]
    out += [{"supplier": x["supplier"], "supplier_label": x["label"], "item": conc.get("item"),
             "item_label": conc.get("item_label"), "expected_from": x["expected_from"]}
            for x in row.get("supply", []) if x.get("planned") and x["status"] == "working"]
    return list({(p["supplier"], p["item"]): p for p in out}.values())


def chokepoints_with_horizons(kg: KnowledgeGraph, targets: Sequence[str] | None, buyer: str | None,
                              date: dt.date, plans: dt.date | None = None, **options: Any) -> dict[str, Any]:
    """:func:`graph.engine.ranking.chokepoints` (``options`` passed on), each row with its
    horizon (:func:`substitution_horizons`); with ``plans``, answered as if the plans
    expected by then were working, each row and target saying what rests on a plan
    (``plans``; a target that is available only thanks to them has ``needs_plans``).

    Complexity: the ranking, plus :func:`substitution_horizons` for the rows shown, plus
    one solve without plans when ``plans`` is given.
    """
    rep = chokepoints(kg, targets, buyer, date, plans=plans, **options)
    asked = [t["id"] for t in rep["targets"]]
    rows = rep["chokepoints"]
    hz = substitution_horizons(kg, asked, buyer, date, {r["id"]: r["targets"] for r in rows}, plans)
    for r in rows:
        r.update(hz[r["id"]])
        if plans is not None:
            r["plans"] = _rests_on(r)
    if plans is not None:
        country = country_of(kg, buyer)
        plain = Setting(kg, date, keep=embargo_keep(kg, country))
        roots = [plain.root(t, buyer) for t in asked]
        sol = plain.engine.solve(roots)
        for t, r in zip(rep["targets"], roots, strict=True):
            t["needs_plans"] = bool(t["available"] and r not in sol.available)
    return rep
