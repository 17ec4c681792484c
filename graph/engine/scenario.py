"""What-if and diff: what a buyer loses and gains when nodes, policies or dates change.

Both compare two availability solutions over the same items: every item of the graph
(or the targets asked for) as delivered to the buyer.  Each loss comes with the root
causes that now block it; each gain with what blocked it before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import iso
from .availability import Solution, State
from .setting import Scenario, Setting, all_items, country_of, entity_ref
from .timeline import events_between
from .wording import label_cause

__all__ = ["whatif", "diff", "compare_settings", "policy_changes"]


def _cond_ids(engine_conds: dict[State, Any], s: State) -> list[str]:
    return sorted(engine_conds.get(s, {}))


def compare_settings(
    before: Setting, after: Setting, items: Sequence[str], buyer: str | None
) -> dict[str, list[dict[str, Any]]]:
    """Items available in one setting and not the other, and changed conditions.

    Complexity: two solves over the items' upstream states, O(S + O + R) each.
    """
    kg = before.kg
    roots_b = [before.root(i, buyer) for i in items]
    roots_a = [after.root(i, buyer) for i in items]
    sol_b: Solution = before.engine.solve(roots_b)
    sol_a: Solution = after.engine.solve(roots_a)
    cond_b = before.engine.conditions(sol_b)
    cond_a = after.engine.conditions(sol_a)
    # flows already blocked before the change are not news: reasons lead with what changed
    old_blocks = {(o.state.item, o.supplier, p.id) for opts in sol_b.options.values()
                  for o in opts for p in o.blocked}
    lost, gained, changed = [], [], []
    for rb, ra in zip(roots_b, roots_a, strict=True):
        was, now = rb in sol_b.available, ra in sol_a.available
        if was and not now:
            causes = [label_cause(kg, c) for c in after.engine.root_causes(sol_a, ra)]
            new = [c for c in causes if (c.get("item"), c.get("supplier"), c.get("policy")) not in old_blocks]
            lost.append({**(entity_ref(kg, ra.item) or {}),
                         "reason": "; ".join(c["text"] for c in (new or causes)[:3]) or "no route",
                         "blocked_by": causes})
        elif now and not was:
            causes = [label_cause(kg, c) for c in before.engine.root_causes(sol_b, rb)]
            conds = [after.book.active[p].label for p in _cond_ids(cond_a, ra) if p in after.book.active]
            reason = "was: " + ("; ".join(c["text"] for c in causes[:3]) or "no route")
            if conds:
                reason += "; now with conditions: " + "; ".join(conds)
            gained.append({**(entity_ref(kg, ra.item) or {}), "reason": reason, "was_blocked_by": causes,
                           "conditions": _cond_ids(cond_a, ra)})
        elif was and now and _cond_ids(cond_b, rb) != _cond_ids(cond_a, ra):
            had, has = set(_cond_ids(cond_b, rb)), set(_cond_ids(cond_a, ra))
            parts = []
            if has - had:
                parts.append("new conditions: " + "; ".join(kg.label(p) for p in sorted(has - had)))
            if had - has:
                parts.append("conditions dropped: " + "; ".join(kg.label(p) for p in sorted(had - has)))
            changed.append({**(entity_ref(kg, ra.item) or {}), "reason": "; ".join(parts),
                            "added": sorted(has - had), "dropped": sorted(had - has)})
    key = lambda r: (r["type"] or "", r["label"])  # noqa: E731
    return {"lost": sorted(lost, key=key), "gained": sorted(gained, key=key),
            "conditions_changed": sorted(changed, key=key)}


def whatif(
    kg: KnowledgeGraph,
    scenario: Scenario,
    buyer: str | None,
    date: dt.date,
    targets: Sequence[str] | None = None,
) -> dict[str, Any]:
    """What the buyer loses and gains on ``date`` under ``scenario``, against the baseline.

    Complexity: two solves, O(S + O + R) each, over every item (or the targets).
    """
    if scenario.empty:
        msg = "nothing to change: the scenario removes, embargoes and lifts nothing"
        raise UsageError(msg)
    items = list(targets) if targets else all_items(kg)
    keep = frozenset({c for c in [country_of(kg, buyer)] if c})
    before, after = Setting(kg, date, keep=keep), Setting(kg, date, scenario, keep=keep)
    out: dict[str, Any] = {
        "as_of": date.isoformat(),
        "buyer": entity_ref(kg, buyer),
        "scenario": {
            "removed": [entity_ref(kg, n) for n in sorted(scenario.removed)],
            "lifted": [entity_ref(kg, n) for n in sorted(scenario.lifted)],
            "embargoes": [{"government": entity_ref(kg, g), "country": entity_ref(kg, c)} for g, c in scenario.embargoes],
        },
        "items": len(items),
    }
    out.update(compare_settings(before, after, items, buyer))
    return out


def policy_changes(kg: KnowledgeGraph, before: Setting, after: Setting) -> dict[str, list[dict[str, Any]]]:
    """Policies acting on one date and not the other, with why (dates, suspensions)."""
    started, ended = [], []
    for pid in sorted(set(after.book.active) - set(before.book.active)):
        p = after.book.active[pid]
        why = f"in force from {p.effective_from}" if p.effective_from else "in force"
        if pid in before.book.suspended:
            why = "suspension by " + ", ".join(kg.label(s) for s in before.book.suspended[pid]) + " ended"
        started.append({**(entity_ref(kg, pid) or {}), "kind": p.kind, "reason": why,
                        "effective_from": iso(p.effective_from), "effective_to": iso(p.effective_to)})
    for pid in sorted(set(before.book.active) - set(after.book.active)):
        p = before.book.active[pid]
        if pid in after.book.suspended:
            why = "suspended by " + ", ".join(kg.label(s) for s in after.book.suspended[pid])
        else:
            why = f"expired {p.effective_to}" if p.effective_to else "no longer in force"
        ended.append({**(entity_ref(kg, pid) or {}), "kind": p.kind, "reason": why,
                      "effective_from": iso(p.effective_from), "effective_to": iso(p.effective_to)})
    return {"policies_started": started, "policies_ended": ended}


def diff(
    kg: KnowledgeGraph,
    start: dt.date,
    end: dt.date,
    buyer: str | None,
    targets: Sequence[str] | None = None,
) -> dict[str, Any]:
    """What changed for the buyer between two dates: policies and item availability.

    ``events`` lists what happened in between, dated and sourced: the change events of the
    items' upstream after ``start`` up to ``end``, the list :func:`graph.engine.timeline.timeline`
    cuts its intervals by.

    Complexity: two solves, O(S + O + R) each, plus O(P) for the policies and O(V + E)
    for the events.

    Raises
    ------
    UsageError
        ``start`` is after ``end``.
    """
    if start > end:
        msg = f"the first date, {start}, is after the second, {end}; give the earlier date first"
        raise UsageError(msg)
    items = list(targets) if targets else all_items(kg)
    keep = frozenset({c for c in [country_of(kg, buyer)] if c})
    before, after = Setting(kg, start, keep=keep), Setting(kg, end, keep=keep)
    out: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "buyer": entity_ref(kg, buyer),
                           "items": len(items)}
    out.update(policy_changes(kg, before, after))
    out.update(compare_settings(before, after, items, buyer))
    out["events"] = events_between(kg, items, start, end)
    return out
