"""Soft chokepoints: nodes whose loss removes most of an input's known supply.

A single-node chokepoint cuts a target outright.  Many real chokepoints do not: China
refines about 92% of the world's rare earths, yet the few other refiners keep the item
"available".  A *soft* chokepoint of a target is a firm, facility or country that holds at
least a threshold (e.g. 90%) of the known share of the working supply of some input the
target needs, counting a country with the suppliers located in it and a firm with the
facilities it operates.  Shares are as the data gives them (``cm:share``); suppliers with no
share count for nothing, so the fraction is of the *known* supply.
"""

from __future__ import annotations

from typing import Any

from .availability import Engine, Solution, State

__all__ = ["soft_chokepoints"]


def _cones(sol: Solution, roots: list[State]) -> dict[State, set[State]]:
    """For each state, the roots whose upstream it is in.  O(R · S) for R roots."""
    out: dict[State, set[State]] = {}
    for r in roots:
        seen = {r}
        stack = [r]
        while stack:
            s = stack.pop()
            out.setdefault(s, set()).add(r)
            for o in sol.options.get(s, ()):
                for p in o.prereqs:
                    if p not in seen:
                        seen.add(p)
                        stack.append(p)
    return out


def soft_chokepoints(engine: Engine, sol: Solution, roots: list[State], threshold: float,
                     skip: set[str]) -> list[dict[str, Any]]:
    """Nodes (not in ``skip``: hard chokepoints, placeholders, the buyer) that hold at least
    ``threshold`` of the known share of the working supply of an input of the roots, each
    with the input where its share is largest and the targets that need that input.

    Complexity: O(R · S) for the cones, plus O(S · options · chain) for the shares.
    """
    m, kg = engine.model, engine.model.kg
    cones = _cones(sol, roots)
    best: dict[str, dict[str, Any]] = {}
    for s, targets in cones.items():
        if s not in sol.available:
            continue
        working = [o for o in sol.options.get(s, ()) if o.kind == "actor" and o.link is not None
                   and o.link.share is not None and not o.dead and all(p in sol.available for p in o.prereqs)]
        total = sum(o.link.share for o in working)  # type: ignore[union-attr,misc]
        if total <= 0 or len(working) < 2:
            continue  # a sole supplier is a hard chokepoint, not a soft one
        held: dict[str, float] = {}
        for o in working:
            for n in set(m.actor_chain(o.link.node)):  # type: ignore[union-attr]
                held[n] = held.get(n, 0.0) + o.link.share  # type: ignore[union-attr,operator]
        for n, share in held.items():
            frac = share / total
            if frac < threshold or n in skip or n in m.aggregate:
                continue
            prev = best.get(n)
            hits = sorted(t.item for t in targets if t in sol.available)
            if not hits:
                continue
            if prev is None or (len(hits), frac) > (prev["score"], prev["share_lost"]):
                best[n] = {"id": n, "label": kg.label(n), "type": kg.g.nodes[n].get("type"), "soft": True,
                           "score": len(hits), "targets": hits, "target_labels": [kg.label(t) for t in hits],
                           "item": s.item, "item_label": kg.label(s.item), "share_lost": round(frac, 4),
                           "why": f"holds {frac:.0%} of the known working supply of {kg.label(s.item)}"}
    return sorted(best.values(), key=lambda r: (-r["score"], -r["share_lost"], r["label"]))
