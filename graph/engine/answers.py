"""Answers to the questions analysts ask: is it available, what are its chokepoints.

These functions tie the engine together for one date, one buyer and one scenario, and
return plain dicts (the JSON the command line prints; the text is rendered from them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.progress import report
from .availability import Engine, Solution, State
from .caveats import horizon_caveats, supply_caveats
from .chokepoints import KillSets, end_products, government_countries, kill_sets
from .policy import PolicyBook, embargo, group_members, policies_from_graph
from .soft import soft_chokepoints
from .supply import ITEM_TYPES, SupplyModel

__all__ = [
    "Scenario",
    "Setting",
    "availability",
    "describe_cause",
    "chokepoints",
    "all_items",
    "entity_ref",
    "label_cause",
    "supply_status",
    "country_of",
    "SECTIONS",
]

@dataclass(frozen=True)
class Scenario:
    """A what-if: nodes knocked out, policies lifted, embargoes added (government, country)."""

    removed: frozenset[str] = frozenset()
    lifted: frozenset[str] = frozenset()
    embargoes: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.removed or self.lifted or self.embargoes)


@dataclass
class Setting:
    """The model, policies and engine for one date and scenario."""

    kg: KnowledgeGraph
    date: dt.date
    scenario: Scenario = field(default_factory=Scenario)
    keep: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.model = SupplyModel.compile(self.kg, self.date)
        self.policies = policies_from_graph(self.kg)
        extra = []
        g = self.kg.g
        for gov, country in self.scenario.embargoes:
            extra.append(embargo(gov, g.nodes[gov].get("label", gov), g.nodes[gov]["governs"], country))
        self.book = PolicyBook.on(self.policies, self.date, self.scenario.lifted, extra,
                                  members=group_members(self.kg, self.date))
        self.engine = Engine(self.model, self.book, self.scenario.removed, keep=self.keep)

    def root(self, item: str, buyer: str | None) -> State:
        return State(item, self.engine.buyer_for(buyer))


def country_of(kg: KnowledgeGraph, node: str | None) -> str | None:
    """The country a buyer stands for: itself for a country, its location for a firm."""
    if node is None:
        return None
    d = kg.g.nodes.get(node, {})
    return node if d.get("type") == "Country" else d.get("country")


def entity_ref(kg: KnowledgeGraph, node: str | None) -> dict[str, Any] | None:
    if node is None:
        return None
    d = kg.g.nodes.get(node, {})
    return {"id": node, "label": d.get("label") or node, "type": d.get("type")}


def describe_cause(kg: KnowledgeGraph, cause: dict[str, Any]) -> str:
    """One sentence for one root cause of unavailability."""
    lab = kg.label
    item = lab(cause["item"]) if cause.get("item") else ""
    sup = f" from {lab(cause['supplier'])}" if cause.get("supplier") else ""
    if cause["reason"] == "not_launched":
        return f"{item} not yet launched (first available {cause['launch']})"
    if cause["reason"] == "policy":
        planned = " (planned)" if cause.get("planned") else ""
        via = f", which applies to {lab(cause['via_group'])}" if cause.get("via_group") else ""
        but = (f"; approved buyers exempt: {', '.join(lab(x) for x in cause['except_for'])}"
               if cause.get("except_for") else "")
        return f"{item}{sup}{planned} blocked by {cause['label']} ({cause['kind']}){via}{but}"
    if cause["reason"] == "removed":
        if cause.get("node") == cause.get("item"):
            return f"{item} removed"
        return f"{item}{sup}: {lab(cause['node'])} removed"
    if cause["reason"] == "no_supplier":
        parts = [f"{item} has no supplier on this date"]
        if cause.get("expected"):
            parts.append("planned, not confirmed: " + ", ".join(
                lab(e["supplier"]) + (f" (expected from {e['expected_from']})" if e.get("expected_from") else
                                      " (no expected date)") for e in cause["expected"]))
        elif cause.get("planned"):
            parts.append("planned: " + ", ".join(lab(p) for p in cause["planned"]))
        if cause.get("placeholders"):
            parts.append("unnamed producers (" + ", ".join(lab(p) for p in cause["placeholders"])
                         + ") cannot make one firm's model")
        if cause.get("not_on_date"):
            spans = []
            for r in cause["not_on_date"]:
                span = " to ".join(x for x in (r["valid_from"], r["valid_to"]) if x)
                spans.append(f"{lab(r['supplier'])} ({span})")
            parts.append("suppliers on other dates: " + ", ".join(spans))
        return "; ".join(parts)
    if cause["reason"] == "missing_input":
        return f"{item}{sup} lacks {lab(cause['input'])}"
    return str(cause)


def label_cause(kg: KnowledgeGraph, cause: dict[str, Any]) -> dict[str, Any]:
    out = dict(cause)
    out["text"] = describe_cause(kg, cause)
    for key in ("item", "supplier", "node", "input", "via_group"):
        if out.get(key):
            out[f"{key}_label"] = kg.label(out[key])
    if out.get("except_for"):
        out["except_for_labels"] = [kg.label(x) for x in out["except_for"]]
    return out


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


def _answer(setting: Setting, sol: Solution, state: State, conds: dict[State, Any]) -> dict[str, Any]:
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
    rec["data_as_of"] = kg.data_as_of.isoformat() if kg.data_as_of else None
    rec["warnings"] = horizon_caveats(kg, setting.date) + supply_caveats(setting.engine, sol, state)
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
    out = _answer(setting, sol, state, setting.engine.conditions(sol))
    out["as_of"] = date.isoformat()
    out["buyer"] = entity_ref(kg, buyer)
    return out


def _why(kg: KnowledgeGraph, node: str, hops: list[dict[str, Any]], working: list[str] | None = None) -> str:
    """A one-line reading of a chokepoint's chain.

    ``working`` lists the distinct suppliers that still make the node, for an item: the
    sentence then names the one left or says the item is lost only with all of them, so
    it never reads as if the item had no supply above a list of working suppliers.
    """
    lab = kg.label
    if not hops:
        return "it is the item itself"
    first = hops[0]
    if first["type"] in ("location_of", "operates", "jurisdiction_over"):
        sup = next((h for h in hops if h["type"] == "supplies"), None)
        what = {"location_of": "home of", "operates": "operator of",
                "jurisdiction_over": "jurisdiction over"}[first["type"]]
        if sup is None:
            return f"{what} {lab(first['to'])}"
        if sup.get("suppliers", 1) == 1:
            return f"{what} {lab(sup['from'])}, the only working supplier of {lab(sup['to'])}"
        return f"{what} {lab(sup['from'])}; every working supplier of {lab(sup['to'])} depends on it"
    if first["type"] == "supplies":
        share = first.get("share")
        pct = f" ({share * 100:.0f}% share)" if share is not None else ""
        if first.get("suppliers", 1) == 1:
            routes = first.get("alternatives", 1)
            more = f", {routes} routes" if routes > 1 else ""
            stock = " (from stock)" if first.get("stock") and routes == 1 else ""
            return f"the only working supplier of {lab(first['to'])}{pct}{stock}{more}"
        return f"every working supplier of {lab(first['to'])} depends on it"
    if first["type"] == "requires":
        alts = first.get("alternatives", 1)
        tail = "" if alts <= 1 else f" ({_all(alts)} routes need it)"
        text = f"needed by {lab(first['to'])}, and no other input can stand in for it{tail}"
        if working and len(working) > 1:
            every = "both" if len(working) == 2 else f"all {len(working)} of"
            text += f"; cut only if {every} its working suppliers fail"
        elif working:
            placeholder = " (a placeholder, never a chokepoint)" if kg.g.nodes[working[0]].get("aggregate") else ""
            text += f"; its only working supplier is {lab(working[0])}{placeholder}"
        return text
    return f"{first['type']} {lab(first['to'])}"


def _all(n: int) -> str:
    return "both" if n == 2 else f"all {n}"


def _excluded(kg: KnowledgeGraph, buyer: str | None, targets: Iterable[str]) -> set[str]:
    out = set(targets)
    if buyer:
        out.add(buyer)
        c = kg.g.nodes[buyer].get("country")
        if c:
            out.add(c)
    out.update(n for n, d in kg.g.nodes(data=True) if d.get("aggregate"))
    return out


def chokepoints(
    kg: KnowledgeGraph,
    targets: Sequence[str] | None,
    buyer: str | None,
    date: dt.date,
    top: int | None = 20,
    pairs: bool = False,
    kind: str = "all",
    soft: float | None = None,
) -> dict[str, Any]:
    """Rank the nodes whose loss makes the targets unavailable to the buyer on the date.

    Without targets, the targets are the end products (systems and chips nothing else
    needs).  The score of a node is its blast radius: how many of the targets it cuts.
    Each chokepoint comes with the chain that makes it critical (with each edge's
    sources), the targets it cuts (ids and labels) and the concentration of the supply
    it sits on.  Chokepoints come in two sections, each ranked and cut at ``top``:
    ``actors`` (firms, facilities, countries, governments) first, then ``items``;
    ``kind`` asks for one section or ``"all"``.  With ``pairs``, also the pairs of
    nodes that cut a target only together: the ``top`` first of ``pairs_total``.

    Complexity: one solve and one kill-set pass, O((S + R) · N/64); pairs add one
    re-solve per candidate node, O(N · (S + R) · N/64).
    """
    country = country_of(kg, buyer)
    setting = Setting(kg, date, keep=frozenset({country}) if country else frozenset())
    model, engine = setting.model, setting.engine
    asked = list(targets) if targets else end_products(model)
    roots = [setting.root(t, buyer) for t in asked]
    sol = engine.solve(roots)
    conds = engine.conditions(sol)
    ks = kill_sets(engine, sol, country, keep=roots)
    excluded = _excluded(kg, buyer, asked)

    answers = [{**_answer(setting, sol, r, conds), "buyer": entity_ref(kg, buyer), "as_of": date.isoformat()}
               for r in roots]
    cut_by: dict[str, list[State]] = {}
    for r in roots:
        for n in ks.members(r):
            if n not in excluded:
                cut_by.setdefault(n, []).append(r)
    # Chains, supply status and concentration cost a walk each: work them out for the
    # candidates that can reach the top (score at least the N-th best, at most 10 N of
    # them), rank those fully, and count the rest.
    if kind not in ("actors", "items", "all"):
        msg = f"kind {kind!r}: use actors, items or all"
        raise UsageError(msg, "kind", kind)
    sections = [sec for sec in SECTIONS if kind in (sec, "all")]
    order = sorted(cut_by, key=lambda n: (-len(cut_by[n]), kg.label(n)))
    window: list[str] = []
    totals: dict[str, int] = {}
    for sec in sections:
        members = [n for n in order if _section(kg, n) == sec]
        totals[sec] = len(members)
        if top is not None and len(members) > top:
            floor = len(cut_by[members[top - 1]])
            members = [n for n in members if len(cut_by[n]) >= floor][: max(10 * top, 200)]
        window += members
    ks.focus(window)  # the chains below walk kill sets restricted to the window
    rows = []
    for n in window:
        states = cut_by[n]
        pairs_, end = ks.chain_states(n, states[0])
        hops = [h for h, _s in pairs_]
        for h in hops:
            h["from_label"], h["to_label"] = kg.label(h["from"]), kg.label(h["to"])
        if model.is_item(n):
            at: tuple[str, State | None] | None = (n, end if end.item == n else None)
        else:
            at = next(((h["to"], st) for h, st in pairs_ if h["type"] == "supplies"), None)
        conc_item = at[0] if at else None
        conc = model.concentration(conc_item) if conc_item else None
        supply = supply_status(setting, sol, at[1]) if at and at[1] is not None else []
        working = list(dict.fromkeys(x["supplier"] for x in supply if x["status"] == "working")) \
            if model.is_item(n) else None
        rows.append({
            **(entity_ref(kg, n) or {}),
            "section": _section(kg, n),
            "score": len(states),
            "targets": [s.item for s in states],
            "target_labels": [kg.label(s.item) for s in states],
            "why": _why(kg, n, hops, working),
            "explanation": hops,
            "concentration": _label_conc(kg, conc_item, conc, model) if conc else None,
            "supply": supply,
        })

    rows.sort(key=lambda r: (sections.index(r["section"]), *_rank_key(r)))
    if top is not None:
        rows = [r for sec in sections for r in [x for x in rows if x["section"] == sec][:top]]
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
    if pairs:
        out["pairs"], out["pairs_total"] = _pairs(setting, sol, ks, roots, excluded, top)
    if soft is not None:
        found = soft_chokepoints(setting.engine, sol, roots, soft, excluded | set(cut_by))
        out["soft_threshold"], out["soft_total"] = soft, len(found)
        out["soft"] = found[:top] if top is not None else found
    return out


#: The sections of a ranking, in the order they are shown.
SECTIONS = ("actors", "items")


def _section(kg: KnowledgeGraph, node: str) -> str:
    """"actors" for firms, facilities, countries and governments; "items" for the rest."""
    return "actors" if kg.g.nodes[node].get("type") in _ACTORS else "items"


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
                               "share": o.link.share}
        if o.link.stock:
            rec["stock"] = True
        if o.knocked:
            rec["status"], rec["text"] = "removed", f"{kg.label(o.knocked)} removed"
        elif o.blocked:
            rec["status"] = "blocked"
            rec["policies"] = [p.id for p in o.blocked]
            rec["text"] = "blocked by " + "; ".join(p.label for p in o.blocked)
        else:
            missing = [p.item for p in dict.fromkeys(o.prereqs) if p not in sol.available]
            if missing:
                rec["status"] = "lacks input"
                rec["missing"] = missing
                rec["text"] = "lacks " + ", ".join(kg.label(m) for m in missing)
            else:
                rec["status"] = "working"
                rec["text"] = "working" + (" (stockpile)" if o.link.stock else "") + (
                    " with conditions: " + "; ".join(p.label for p in o.conditions) if o.conditions else "")
        out.append(rec)
    for lk in model.planned.get(state.item, []):
        if lk.type == "supplies":
            out.append({"supplier": lk.node, "label": kg.label(lk.node), "share": lk.share,
                        "status": "planned", "text": "planned, not counted" + (f": {lk.note}" if lk.note else "")})
    for lk in model.inactive_sups(state.item):
        span = " to ".join(x.isoformat() for x in (lk.valid_from, lk.valid_to) if x)
        out.append({"supplier": lk.node, "label": kg.label(lk.node), "share": lk.share,
                    "status": "not on this date", "text": f"valid {span} only"})
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


_ACTORS = frozenset({"Firm", "Country", "Government", "Facility"})
_BINDING = frozenset({"blocked", "removed", "lacks input", "not on this date"})


def _rank_key(r: dict[str, Any]) -> tuple[Any, ...]:
    """Blast radius first; then binding constraints (alternatives blocked, planned or gone);
    then actors before items; then the concentration of the supply it sits on."""
    c = r.get("concentration") or {}
    top = float((c.get("by_firm") or {}).get("top_share") or 0.0)
    binding = any(x["status"] in _BINDING for x in r.get("supply", []))
    actor = r["type"] in _ACTORS
    return (-r["score"], not binding, not actor, -top, _TYPE_RANK.get(r["type"], 9), r["label"])


_TYPE_RANK = {"Firm": 0, "Country": 1, "Government": 2, "Facility": 3, "Process": 4, "Tool": 5,
              "Chip": 6, "Material": 7, "Software": 8}


def _pairs(
    setting: Setting, sol: Solution, ks: KillSets, roots: list[State], excluded: set[str], limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """Pairs {x, y} that cut a target only together: remove x, find y in the new kill set.

    Returns the first ``limit`` pairs (all when None), ranked, and how many there are.

    Complexity: one solve and kill-set pass per candidate x, O(N · (S + R) · N/64).
    """
    kg = setting.kg
    live_roots = [r for r in roots if r in sol.available]
    singles = {r: set(ks.members(r)) for r in live_roots}
    pool: set[str] = set()
    for d in ks.direct.values():
        pool.update(ks.bits.nodes[i] for i in d)
    pool.update(s.item for s in sol.available)
    govs = government_countries(setting.engine)
    found: dict[frozenset[str], set[str]] = {}
    todo = sorted(pool - excluded)
    for done, x in enumerate(todo, 1):
        report("searching pairs", done, len(todo))
        if all(x in singles[r] for r in live_roots):
            continue
        if x in govs:
            country = ks.embargo_country
            if country is None or govs[x] == country:
                continue
            scen = Scenario(embargoes=((x, country),))
        else:
            scen = Scenario(removed=frozenset({x}))
        alt = Setting(kg, setting.date, scen, keep=setting.keep)
        asol = alt.engine.solve(live_roots)
        aks = kill_sets(alt.engine, asol, ks.embargo_country, keep=live_roots)
        for r in live_roots:
            if x in singles[r] or r not in asol.available:
                continue
            for y in aks.members(r):
                if y in excluded or y in singles[r] or y == x:
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


def all_items(kg: KnowledgeGraph) -> list[str]:
    """Every item of the graph (chips, tools, materials, software, processes, systems)."""
    return sorted(n for n, d in kg.g.nodes(data=True) if d.get("type") in ITEM_TYPES)
