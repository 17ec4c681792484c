"""Rankings: the chokepoints of targets for a buyer, in sections, with pairs and soft ones.

:func:`chokepoints` solves once, computes the kill sets (:mod:`graph.engine.chokepoints`),
and ranks what they hold: actors (firms, facilities, countries, governments) and items in
two sections, by blast radius, then binding constraints, then concentration; each row with
its chain, the targets it cuts and the state of the supply it sits on.  Pairs and soft
chokepoints (:mod:`graph.engine.soft`) are the next orders.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, NamedTuple

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.progress import report
from ..core.records import edge_dataset
from ..io.cache import paused_gc
from .answers import answer_record
from .availability import Option, Solution, State
from .chokepoints import ACTOR_TYPES, KillSets, end_products, kill_sets, window_size
from .pairs import Pairs
from .plans import plans_used
from .policy import top_governments
from .setting import Setting, country_of, embargo_keep, entity_ref
from .soft import soft_chokepoints
from .supply import SupplyModel, figure_year
from .walks import Sweep, chain_sweep, deep_hops
from .wording import why

__all__ = ["SECTIONS", "chokepoints", "supply_status"]


def _excluded(model: SupplyModel, buyer: str | None, targets: Iterable[str]) -> set[str]:
    """What a ranking leaves out: the targets, the buyer and its country, the placeholder
    suppliers (the model's ``aggregate`` nodes).  O(targets + placeholders)."""
    out = set(targets)
    if buyer:
        out.add(buyer)
        c = model.kg.g.nodes[buyer].get("country")
        if c:
            out.add(c)
    out.update(model.aggregate)
    return out


@paused_gc()  # a ranking makes millions of small objects and no cycles: no collector passes over the graph
def chokepoints(
    kg: KnowledgeGraph,
    targets: Sequence[str] | None,
    buyer: str | None,
    date: dt.date,
    top: int | None = 20,
    pairs: bool = False,
    kind: str = "all",
    soft: float | None = None,
    plans: dt.date | None = None,
    explain: int | None = None,
    types: frozenset[str] | set[str] | None = None,
) -> dict[str, Any]:
    """Rank the nodes whose loss makes the targets unavailable to the buyer on the date.

    Targets default to the end products.  A node's score is its blast radius (how many
    targets it cuts); each row has its chain (with sources), the targets it cuts and the
    concentration of its supply.  ``plans``: answer as if the planned suppliers expected by
    that date were working (:mod:`graph.engine.plans`); what rests on one is marked.  Two sections, each cut at ``top``: ``actors`` first,
    then ``items`` (``kind`` picks one or ``"all"``).  ``pairs``: also pairs that cut a
    target only together; ``soft``: also soft chokepoints (:mod:`graph.engine.soft`).
    ``explain``: the full chains (hops with sources) of the first ``explain`` rows only
    (None: of every row; with ``plans``, always every row); the others have an empty
    ``explanation`` and ``explanation_omitted`` true, and keep everything else.
    ``types``: rank only chokepoints of these classes (as if the others were filtered
    out of the full ranking afterwards; the totals count these classes only).

    Complexity: one solve and one kill-set pass, O((S + R) · N/64); one sweep for where
    every candidate's chain ends (:func:`graph.engine.walks.chain_ends`), the same order;
    then O(depth · options) per chain explained.  Pairs: see :func:`_pairs`.
    """
    country = country_of(kg, buyer)
    setting = Setting(kg, date, keep=embargo_keep(kg, country), plans=plans)
    model, engine = setting.model, setting.engine
    asked = list(targets) if targets else end_products(model)
    roots = [setting.root(t, buyer) for t in asked]
    sol = engine.solve(roots)
    conds = engine.conditions(sol)
    ks = kill_sets(engine, sol, country, keep=roots)
    excluded = _excluded(model, buyer, asked)

    answers = [{**answer_record(setting, sol, r, conds), "buyer": entity_ref(kg, buyer), "as_of": date.isoformat()}
               for r in roots]
    if setting.counted:
        for a, r in zip(answers, roots, strict=True):
            a["plans"] = plans_used(model, setting.counted, sol, r)
    sections = _sections(kind)
    fast = ks.window(roots, excluded, sections, top) if types is None else None
    if fast is None:
        cut_by: dict[str, list[State]] = {}
        for r in roots:
            for n in ks.members(r):
                if n not in excluded:
                    cut_by.setdefault(n, []).append(r)
        if types is not None:
            cut_by = {n: v for n, v in cut_by.items() if kg.g.nodes[n].get("type") in types}
        window, totals = _window(kg, cut_by, sections, top)
        every: Any = partial(set, cut_by)
    else:  # the window's own cut_by entries only, and every candidate when asked
        window, totals, cut_by, every = fast
    ks.focus(window)  # the chains below walk kill sets restricted to the window
    sweep = chain_sweep(ks, {n: cut_by[n][0] for n in window})
    found = {n: _found(setting, sol, ks, n, len(cut_by[n]), sweep) for n in window}
    order = sorted(window, key=lambda n: (sections.index(found[n].ref["section"]), *found[n].key))
    if top is not None:
        order = [n for sec in sections for n in [x for x in order if found[x].ref["section"] == sec][:top]]
    rows = [_row(setting, sol, n, cut_by[n], found[n]) for n in order]
    _explain(setting, sweep, rows, None if plans is not None else explain)
    out: dict[str, Any] = {
        "as_of": date.isoformat(),
        "buyer": entity_ref(kg, buyer),
        "all_end_products": not targets,
        "targets": answers,
        "kind": kind,
        "chokepoints": rows,
        "total": sum(totals.values()),
        "totals": totals,
    }
    if plans is not None:
        out["plans_by"] = plans.isoformat()
    if pairs:
        out["pairs"], out["pairs_total"] = _pairs(setting, sol, ks, roots, excluded, top)
    if soft is not None:
        out.update(_soft(setting, sol, roots, soft, excluded | every(), top))
    return out


def _soft(setting: Setting, sol: Solution, roots: list[State], soft: float, skip: set[str],
          top: int | None) -> dict[str, Any]:
    """The soft chokepoints (none of them hard), the ``top`` first of all found."""
    found = soft_chokepoints(setting.engine, sol, roots, soft, skip)
    return {"soft_threshold": soft, "soft_total": len(found), "soft": found[:top] if top is not None else found}


def _sections(kind: str) -> list[str]:
    """The sections ``kind`` asks for, in the order they are shown."""
    if kind not in ("actors", "items", "all"):
        msg = f"kind {kind!r}: use actors, items or all"
        raise UsageError(msg, "kind", kind)
    return [sec for sec in SECTIONS if kind in (sec, "all")]


def _window(kg: KnowledgeGraph, cut_by: dict[str, list[State]], sections: list[str],
            top: int | None) -> tuple[list[str], dict[str, int]]:
    """The candidates worth ranking fully, and each section's total.  Chains, supply status
    and concentration cost a walk each: they are worked out for the candidates that can
    reach the top (score at least the N-th best, at most ``window_size(N)`` of them); the rest are counted.

    Each section is ordered by (score, label, place found); with ``top``, only its first
    ``window_size(N)`` are picked out, by a bounded heap.  O(C log K) for C candidates and
    K that bound; O(C log C) without ``top``."""
    nodes = kg.g._node  # the label (kg.label) and section read straight off the node
    by_section: dict[str, list[tuple[int, str, int, str]]] = {sec: [] for sec in SECTIONS}
    for i, (n, v) in enumerate(cut_by.items()):
        d = nodes[n]
        by_section["actors" if d.get("type") in ACTOR_TYPES else "items"].append((-len(v), str(d.get("label") or n), i, n))
    window: list[str] = []
    totals: dict[str, int] = {}
    for sec in sections:
        keyed = by_section[sec]
        totals[sec] = len(keyed)
        if top is None or len(keyed) <= top:
            window += [n for *_k, n in sorted(keyed)]
            continue
        first = heapq.nsmallest(window_size(top), keyed)
        floor = first[top - 1][0]
        window += [n for score, _l, _i, n in first if score <= floor]
    return window, totals


def _explain(setting: Setting, sweep: Sweep, rows: list[dict[str, Any]], explain: int | None) -> None:
    """Give the first ``explain`` rows (all: None) their full chains, read off the sweep
    (:meth:`graph.engine.walks.Sweep.chain`); mark the others.  O(depth) per chain."""
    for i, r in enumerate(rows):
        if explain is None or i < explain:
            if r["explanation"] is None:
                r["explanation"] = _labelled(setting, [h for h, _s in sweep.chain(r["id"])[0]])
        else:
            r["explanation"], r["explanation_omitted"] = [], True


def _labelled(setting: Setting, hops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A chain's hops with their labels, plans and dataset (what answers show), in place:
    a hop the chains share (:meth:`graph.engine.walks.Sweep.chain`) is labelled once,
    the first time (its dataset is set last).  O(hops)."""
    kg = setting.kg
    for h in hops:
        if "dataset" in h:
            continue
        h["from_label"], h["to_label"] = kg.label(h["from"]), kg.label(h["to"])
        plan = setting.counted.get((h["from"], h["to"])) if h["type"] == "supplies" else None
        if plan is not None and plan.expected_from is not None:
            h["planned"], h["expected_from"] = True, plan.expected_from.isoformat()
        h["dataset"] = edge_dataset(h)  # which dataset the hop came from
    return hops


class _Found(NamedTuple):
    """What a ranking works out for each candidate of its window (:func:`_found`): enough
    to rank it; the rows shown are made from it (:func:`_row`)."""

    ref: dict[str, Any]  # id, label, type, section
    hops: list[tuple[dict[str, Any], State]]  # the chain's deep end (or the whole chain), with states
    deep: bool  # ``hops`` is the deep end only (the row's explanation is made if shown)
    at: tuple[str, State | None] | None  # the supply the node sits on: item, state
    conc: dict[str, Any] | None  # that item's concentration
    key: tuple[Any, ...]  # its order within its section (see :func:`_found`)


def _found(setting: Setting, sol: Solution, ks: KillSets, n: str, score: int, sweep: Sweep) -> _Found:
    """One candidate: the supply it sits on, read off the deep end of its chain (where the
    sweep found it ends; the whole chain when the deep end alone cannot be had), and its
    place in its section (whether that supply is binding is read off the options' states
    by :func:`_binding`, not off the records :func:`supply_status` writes).  O(options at
    the chain's end)."""
    kg, model = setting.kg, setting.model
    where = sweep.ends[n]
    deep = deep_hops(ks, n, where)
    if deep is None:
        pairs_, end = sweep.chain(n)
    else:
        pairs_, end = deep, where.state
    if model.is_item(n):
        at: tuple[str, State | None] | None = (n, end if end.item == n else None)
    else:
        at = next(((h["to"], st) for h, st in pairs_ if h["type"] == "supplies"), None)
    conc = model.concentration(at[0]) if at else None
    ref = {**(entity_ref(kg, n) or {}), "section": _section(kg, n)}
    binding = at is not None and at[1] is not None and _binding(setting, sol, at[1])
    top = float(((conc or {}).get("by_firm") or {}).get("top_share") or 0.0)
    # blast radius first; then binding constraints (alternatives blocked, planned or gone);
    # then actors before items; then the concentration of the supply it sits on
    key = (-score, not binding, ref["type"] not in ACTOR_TYPES, -top, _TYPE_RANK.get(ref["type"], 9), ref["label"])
    return _Found(ref, pairs_, deep is not None, at, conc, key)


def _row(setting: Setting, sol: Solution, n: str, states: list[State], found: _Found) -> dict[str, Any]:
    """One ranked chokepoint: what it cuts, the supply it sits on, why (read off the deep
    end of its chain); the whole chain only when the deep end alone was not to be had
    (``explanation`` None: :func:`_explain` gives it).  O(suppliers of that supply)."""
    kg, model = setting.kg, setting.model
    hops = [h for h, _s in found.hops]
    at, conc = found.at, found.conc
    supply = supply_status(setting, sol, at[1]) if at and at[1] is not None else []
    working = list(dict.fromkeys(x["supplier"] for x in supply if x["status"] == "working")) \
        if model.is_item(n) else None
    return {
        **found.ref,
        "score": len(states),
        "targets": [s.item for s in states],
        "target_labels": [kg.label(s.item) for s in states],
        "why": why(kg, n, hops, working),
        "explanation": None if found.deep else _labelled(setting, hops),
        "concentration": _label_conc(kg, at[0], conc, model) if at and conc else None,
        "supply": supply,
    }


#: The statuses of :func:`supply_status` that bind: a supplier removed, blocked, lacking
#: an input, or valid on other dates only (not one working or planned).
_BINDING = frozenset({"removed", "blocked", "lacks input", "not on this date"})


def _option_status(sol: Solution, o: Option) -> str:
    """How a supplier's option stands: removed, blocked, lacks input, or working (the one
    rule :func:`supply_status` writes and :func:`_binding` reads).  O(requirements)."""
    if o.knocked:
        return "removed"
    if o.blocked:
        return "blocked"
    return "lacks input" if any(p not in sol.available for p in o.prereqs) else "working"


def _binding(setting: Setting, sol: Solution, state: State) -> bool:
    """Whether :func:`supply_status` of ``state`` lists a binding status (:data:`_BINDING`),
    without writing its records.  O(suppliers × requirements)."""
    if any(o.link is not None and _option_status(sol, o) in _BINDING for o in sol.options.get(state, [])):
        return True
    return bool(setting.model.inactive_sups(state.item))  # "not on this date"


#: The sections of a ranking, in the order they are shown.
SECTIONS = ("actors", "items")


def _section(kg: KnowledgeGraph, node: str) -> str:
    """"actors" for firms, facilities, countries and governments; "items" for the rest."""
    return "actors" if kg.g._node[node].get("type") in ACTOR_TYPES else "items"


def supply_status(setting: Setting, sol: Solution, state: State) -> list[dict[str, Any]]:
    """Every supplier of a state's item and how it stands: working, blocked (by which
    policy), removed, lacking an input, planned, or valid on other dates only.

    Complexity: O(suppliers × requirements).
    """
    kg, model = setting.kg, setting.model
    out: list[dict[str, Any]] = []
    for o in sol.options.get(state, []):
        if o.link is None:
            continue
        rec: dict[str, Any] = {"supplier": o.link.node, "label": kg.label(o.link.node),
                               "share": o.link.share, "dataset": edge_dataset({"sources": o.link.sources})}
        if o.link.replaced:  # a conflict resolved: the year of the figure kept, what the other said
            rec["year"], rec["replaced"] = figure_year(o.link) or None, [dict(r) for r in o.link.replaced]
        if o.link.stock:
            rec["stock"] = True
        rec["status"] = status = _option_status(sol, o)
        if o.knocked:  # status "removed"
            rec["text"] = f"{kg.label(o.knocked)} removed"
        elif status == "blocked":
            rec["policies"] = [p.id for p in o.blocked]
            rec["text"] = "blocked by " + "; ".join(p.label for p in o.blocked)
        elif status == "lacks input":
            rec["missing"] = missing = [p.item for p in dict.fromkeys(o.prereqs) if p not in sol.available]
            rec["text"] = "lacks " + ", ".join(kg.label(m) for m in missing)
        else:
            rec["text"] = "working" + (" (stockpile)" if o.link.stock else "") + (
                " with conditions: " + "; ".join(p.label for p in o.conditions) if o.conditions else "")
        if (o.link.node, o.link.item) in setting.counted and o.link.expected_from is not None:
            rec["planned"], rec["expected_from"] = True, o.link.expected_from.isoformat()
            rec["text"] += f" (if the plan holds: expected {rec['expected_from']}, planned, not confirmed)"
        out.append(rec)
    for lk in model.planned.get(state.item, []):
        if lk.type == "supplies":
            out.append({"supplier": lk.node, "label": kg.label(lk.node), "share": lk.share,
                        "dataset": edge_dataset({"sources": lk.sources}), "status": "planned", "text": "planned, not counted" + (f": {lk.note}" if lk.note else "")})
    for lk in model.inactive_sups(state.item):
        span = " to ".join(x.isoformat() for x in (lk.valid_from, lk.valid_to) if x)
        out.append({"supplier": lk.node, "label": kg.label(lk.node), "share": lk.share,
                    "dataset": edge_dataset({"sources": lk.sources}), "status": "not on this date", "text": f"valid {span} only"})
    return out


def _label_conc(kg: KnowledgeGraph, item: str | None, conc: dict[str, Any],
                model: SupplyModel | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"item": item, "item_label": kg.label(item) if item else None}
    for key in ("by_firm", "by_country"):
        part = dict(conc[key])
        part["top_label"] = kg.label(part["top"]) if part.get("top") else None
        out[key] = part
    if model is not None and item:
        # ``suppliers`` counts supply routes (a firm's output and its stockpile are two);
        # ``firms`` counts who supplies, so "the only supplier" never meets "2 suppliers".
        out["by_firm"]["firms"] = len({lk.node for lk in model.sups.get(item, [])})
    return out


_TYPE_RANK = {"Firm": 0, "Country": 1, "Government": 2, "Facility": 3, "Process": 4, "Tool": 5,
              "Chip": 6, "Material": 7, "Software": 8}


def _pairs(
    setting: Setting, sol: Solution, ks: KillSets, roots: list[State], excluded: set[str], limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """Pairs {x, y} that cut a target only together: remove x, find y in the new kill set.

    Returns the first ``limit`` pairs (all when None), ranked, and how many there are.

    Complexity: one kill-set pass keeping every state's set, O((S + R) · N/64) time and
    O(S · N) bits; then, per candidate x, the fixpoints redone downstream of x only
    (:class:`graph.engine.pairs.Pairs`), O(|R(x)| · (options + prerequisites) · N/64).
    """
    kg = setting.kg
    live_roots = [r for r in roots if r in sol.available]
    singles = {r: set(ks.members(r)) for r in live_roots}
    # every node some working option hangs on directly, and every available item: the
    # nodes the kill sets number (graph.engine.chokepoints._group_positions)
    every = Pairs(kill_sets(setting.engine, sol, ks.embargo_country), live_roots)
    pool = set(every.ks.bits.nodes)
    govs = top_governments(setting.kg)
    base = every.ks.kill
    found: dict[frozenset[str], set[str]] = {}
    todo = sorted(pool - excluded)
    for done, x in enumerate(todo, 1):
        report("searching pairs", done, len(todo))
        if all(x in singles[r] for r in live_roots):
            continue
        if x in govs and (ks.embargo_country is None or govs[x] == ks.embargo_country):
            continue  # a government is tried as an embargo on the buyer's country, never its own
        after = every.without(x, [r for r in live_roots if x not in singles[r]])
        for r, mask in after.items():
            for y in every.ks.bits.members(mask & ~base[r]):  # what cut r before is a single
                if y in excluded or y == x:
                    continue
                found.setdefault(frozenset((x, y)), set()).add(r.item)
    rows: list[dict[str, Any]] = []
    for pair, items in found.items():
        a, b = sorted(pair, key=kg.label)
        rows.append({"ids": [a, b], "labels": [kg.label(a), kg.label(b)],
                     "types": [kg.g.nodes[a].get("type"), kg.g.nodes[b].get("type")],
                     "score": len(items), "targets": sorted(items),
                     "target_labels": [kg.label(t) for t in sorted(items)]})
    rows.sort(key=lambda r: (-r["score"], r["labels"]))
    return (rows if limit is None else rows[:limit]), len(rows)
