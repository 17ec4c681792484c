"""The first answer analysts ask for: is an item available, with which conditions, or why not.

:func:`availability` answers for one item, buyer, date and scenario, and returns a plain
dict: the JSON the command line prints, and what the text is rendered from.  The ranking of
chokepoints lives in :mod:`graph.engine.ranking`; the date's setting in
:mod:`graph.engine.setting`; sentences in :mod:`graph.engine.wording`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.model import KnowledgeGraph
from ..core.records import iso
from .availability import Solution, State
from .caveats import horizon_caveats, launch_caveats, supply_caveats
from .setting import Scenario, Setting, entity_ref
from .wording import label_cause

__all__ = ["availability", "answer_record", "Scenario", "Setting"]


def _conditions(kg: KnowledgeGraph, conds: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for pid, (p, link) in conds.items():
        rec = {"policy": pid, "label": p.label, "kind": p.kind, "conditions": list(p.conditions)}
        if link is not None:
            rec["item"] = link.item
            rec["supplier"] = link.node
            rec["text"] = f"{kg.label(link.item)} from {kg.label(link.node)}: {p.label} ({p.kind})"
        else:
            rec["text"] = f"{p.label} ({p.kind})"
        out.append(rec)
    out.sort(key=lambda r: r["policy"])
    return out


def answer_record(setting: Setting, sol: Solution, state: State, conds: dict[State, Any]) -> dict[str, Any]:
    kg = setting.kg
    ok = state in sol.available
    rec: dict[str, Any] = {
        **(entity_ref(kg, state.item) or {}),
        "available": ok,
        "conditions": _conditions(kg, conds.get(state, {})) if ok else [],
        "blocked_by": [] if ok else [label_cause(kg, c) for c in setting.engine.root_causes(sol, state)],
    }
    if not ok:
        rec["why"] = [label_cause(kg, c) for c in setting.engine.reasons(sol, state)]
    launch = setting.model.launch.get(state.item)
    if launch is not None:
        rec["launch"] = launch.isoformat()
    for key, val in setting.model.launch_state.get(state.item, {}).items():
        if key != "launch_note":
            rec[key] = iso(val)
    rec["data_as_of"] = kg.data_as_of.isoformat() if kg.data_as_of else None
    rec["warnings"] = (horizon_caveats(kg, setting.date) + launch_caveats(kg, state.item, setting.date)
                       + supply_caveats(setting.engine, sol, state))
    return rec


def availability(
    kg: KnowledgeGraph, item: str, buyer: str | None, date: dt.date, scenario: Scenario | None = None
) -> dict[str, Any]:
    """Is ``item`` available to ``buyer`` on ``date``: with which conditions, or blocked by what.

    Complexity: one solve, O(S + O + R) over the item's upstream states.
    """
    setting = Setting(kg, date, scenario or Scenario())
    state = setting.root(item, buyer)
    sol = setting.engine.solve([state])
    out = answer_record(setting, sol, state, setting.engine.conditions(sol))
    out["as_of"] = date.isoformat()
    out["buyer"] = entity_ref(kg, buyer)
    return out

