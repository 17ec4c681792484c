"""Graph pages of the questions ``upstream``, ``downstream`` and ``whatif``.

Each view is a plain dict of the same shape as :mod:`graph.render.views` makes (nodes,
edges, legend, ranking), drawn by the same page (:func:`graph.render.page.to_html`), built
from the records the matching command prints, so the page and ``--json`` agree with it:

* :func:`tree_view` -- the tree of :func:`graph.queries.trees.upstream` or ``downstream``,
  the entity as the focus;
* :func:`whatif_view` -- the items a scenario of :func:`graph.engine.scenario.whatif` loses
  or gains, with the nodes it removes, the governments it embargoes and the policies it lifts;
  each changed item keeps its class shape and gets a border (dashed red: lost, solid green:
  gained) and the engine's reason in its panel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..core.dates import today
from ..core.model import KnowledgeGraph
from .view_records import visible
from .views import _Builder, with_ranking

__all__ = ["CHANGE_STYLE", "STATE_WORDS", "available_view", "diff_view", "tree_view", "whatif_view"]

#: How a changed node is drawn: border colour, dashed or not, and the words of the legend.
CHANGE_STYLE: dict[str, dict[str, Any]] = {
    "lost": {"border": "#c0392b", "dashes": True, "label": "lost (dashed red border)"},
    "gained": {"border": "#2e7d32", "dashes": False, "label": "gained (solid green border)"},
    "conditions_changed": {"border": "#f0b429", "dashes": True, "label": "conditions changed (dashed amber border)"},
    "cause": {"border": "#222222", "dashes": True, "label": "the cause of a change (dashed black border)"},
    "available": {"border": "#2e7d32", "dashes": False, "label": "available (solid green border)"},
    "conditions": {"border": "#f0b429", "dashes": True, "label": "with conditions (dashed amber border)"},
    "unavailable": {"border": "#c0392b", "dashes": True, "label": "not available (dashed red border)"},
}
#: The words of each availability state.
STATE_WORDS = {"available": "available", "conditions": "available with conditions", "unavailable": "not available"}


def tree_view(kg: KnowledgeGraph, node: str, direction: str, tree: dict[str, Any],
              date: dt.date | None = None, top: int | None = 20) -> dict[str, Any]:
    """The page of ``tree`` (what :func:`~graph.queries.trees.upstream` or ``downstream``
    returned for ``node``): its nodes, its tree edges, and the dependency edges in force on
    ``date`` between them; the chokepoints of ``node`` (upstream of an item) or of all end
    products are ranked on it.

    Complexity: O(T + sum of the out-degrees of the tree's nodes) for a tree of T nodes,
    plus the layout and the ranking.

    >>> from chokemap.graph.io.load import load
    >>> from chokemap.graph.queries.trees import upstream
    >>> kg = load(["tests/data/paths.ttl"])
    >>> v = tree_view(kg, "chip", "upstream", upstream(kg, "chip", 1), dt.date(2024, 6, 1))
    >>> sorted(n["id"] for n in v["nodes"])
    ['chip', 'chipco', 'compute-die', 'memory']
    """
    from ..engine.supply import ITEM_TYPES

    day = date or today()
    b = _Builder(kg, day)
    b.node(node)["distance"] = 0
    for rec in [*tree["nodes"], *tree["context"]]:
        b.node(rec["id"])["distance"] = rec["depth"]
    for rec in tree["context"]:
        b.nodes[rec["id"]]["facts"].insert(0, ["In this tree", "as a link to the classes asked for"])
    for e in tree["edges"]:
        b.hop(e)
    b.induced(keep_link=False)
    centre = b.nodes[node]
    centre["role"], centre["size"] = "focus", 26
    deep = f"{tree['depth']} link{'s' if tree['depth'] != 1 else ''} deep" if tree["depth"] else "all levels"
    what = "needs" if direction == "upstream" else "is needed by"
    title = f"What {visible(kg.label(node))} {what} ({direction}, {deep}), as of {day.isoformat()}"
    notes = []
    if tree["beyond_depth"]:
        notes.append(f"{tree['beyond_depth']} more node(s) lie deeper than {tree['depth']} links.")
    if tree["as_of"] is None:
        notes.append("The tree follows links of any date, as `chokemap " + direction + "` does without --as-of.")
    params = {"focus": node, "direction": direction, "depth": tree["depth"], "types": tree["types"],
              "tree_as_of": tree["as_of"]}
    view = b.finish(direction, title, params, notes)
    item = kg.g.nodes[node].get("type") in ITEM_TYPES
    return with_ranking(kg, view, [node] if direction == "upstream" and item else None, top)


def whatif_view(kg: KnowledgeGraph, result: dict[str, Any], targets: Iterable[str] | None = None) -> dict[str, Any]:
    """The page of a :func:`~graph.engine.scenario.whatif` ``result``: each item lost, gained
    or with changed conditions, the scenario's own nodes (removed, embargoing governments
    and embargoed countries, lifted policies), the item and supplier of each blocked flow
    the engine gives as a reason, and the dependency edges between them; each node
    carries its change, the engine's reason and the causes it names.

    Complexity: O(C + sum of the out-degrees of the C nodes drawn), plus the layout.
    """
    day = dt.date.fromisoformat(result["as_of"])
    sc = result["scenario"]
    causes = [r["id"] for r in [*sc["removed"], *sc["lifted"]] if r]
    causes += [e[k]["id"] for e in sc["embargoes"] for k in ("government", "country") if e[k]]
    who = visible(result["buyer"]["label"]) if result.get("buyer") else "any buyer"
    params = {"scenario": {"removed": [r["id"] for r in sc["removed"]], "lifted": [r["id"] for r in sc["lifted"]],
                           "embargoes": [[e["government"]["id"], e["country"]["id"]] for e in sc["embargoes"]]},
              "buyer": result["buyer"]["id"] if result.get("buyer") else None, "targets": list(targets or ())}
    return _changes_view(kg, result, day, causes, targets, "whatif",
                         f"What if: what {who} loses and gains, as of {day.isoformat()}",
                         [_scenario_text(sc)], params)


def diff_view(kg: KnowledgeGraph, result: dict[str, Any], targets: Iterable[str] | None = None) -> dict[str, Any]:
    """The page of a :func:`~graph.engine.scenario.diff` ``result``: the items lost, gained or
    with changed conditions between the two dates (drawn as :func:`whatif_view` draws them),
    and the policies that started or ended and that one of their reasons names.

    Complexity: O(C + P + sum of the out-degrees of the C nodes drawn), plus the layout.
    """
    day = dt.date.fromisoformat(result["to"])
    named: set[str] = set()
    for r in [*result["lost"], *result["gained"], *result["conditions_changed"]]:
        named.update(c.get("policy") for c in [*(r.get("blocked_by") or []), *(r.get("was_blocked_by") or [])])
        named.update([*(r.get("conditions") or []), *(r.get("added") or []), *(r.get("dropped") or [])])
    moved = [p["id"] for p in [*result["policies_started"], *result["policies_ended"]]]
    who = visible(result["buyer"]["label"]) if result.get("buyer") else "any buyer"
    notes = [f"{len(result['policies_started'])} policies came into force and {len(result['policies_ended'])} "
             f"ended between {result['from']} and {result['to']}; those behind a change are drawn."]
    params = {"from": result["from"], "to": result["to"],
              "buyer": result["buyer"]["id"] if result.get("buyer") else None, "targets": list(targets or ())}
    return _changes_view(kg, result, day, [p for p in moved if p in named], targets, "diff",
                         f"What changed for {who} from {result['from']} to {result['to']}", notes, params)


def available_view(kg: KnowledgeGraph, answers: list[dict[str, Any]], date: dt.date) -> dict[str, Any]:
    """The page of ``chokemap available``'s ``answers`` (one per item): each item with its
    state as its border (solid green: available, dashed amber: with conditions, dashed red:
    not available), the supplier, item and policy of each block or condition, and the
    dependency edges between them.

    Complexity: O(A + sum of the out-degrees of the nodes drawn), plus the layout.
    """
    b = _Builder(kg, date)
    states = []
    for a in answers:
        state = "unavailable" if not a["available"] else "conditions" if a["conditions"] else "available"
        reasons = [*a["blocked_by"], *a["conditions"]]
        for c in reasons:
            for n in (c.get("item"), c.get("supplier"), c.get("policy")):
                if n and n in kg.g:
                    b.node(n)
        text = STATE_WORDS[state]
        _mark(b.node(a["id"]), state, text, [c.get("text", "") for c in reasons])
        states.append({"id": a["id"], "label": visible(a["label"]), "type": a["type"], "state": state,
                       "reasons": [visible(c.get("text", "")) for c in reasons]})
    b.induced()  # policies too: their links show what they cover
    buyer = answers[0].get("buyer") if answers else None
    who = visible(buyer["label"]) if buyer else "any buyer"
    view = b.finish("available", f"What {who} can get, as of {date.isoformat()}", {
        "items": [a["id"] for a in answers], "buyer": buyer["id"] if buyer else None}, [])
    view["states"] = states
    return _legend(view, ("available", "conditions", "unavailable"))


def _changes_view(kg: KnowledgeGraph, result: dict[str, Any], day: dt.date, causes: list[str],
                  targets: Iterable[str] | None, kind: str, title: str, notes: list[str],
                  params: dict[str, Any]) -> dict[str, Any]:
    """The graph of a comparison of two settings (what-if, diff). O(C + out-degrees)."""
    b = _Builder(kg, day)
    changes = []
    for n in causes:
        if n in kg.g:
            _mark(b.node(n), "cause", "part of the change", [])
    for t in targets or ():
        if t in kg.g:
            rec = b.node(t)
            rec["role"], rec["size"] = "target", 22
    for change in ("lost", "gained", "conditions_changed"):
        for r in result[change]:
            if r.get("id") not in kg.g:
                continue
            blocks = r.get("blocked_by") or r.get("was_blocked_by") or []
            for c in blocks:  # the supply that the cause blocks, so the drawing shows where
                for n in (c.get("item"), c.get("supplier")):
                    if n and n in kg.g:
                        b.node(n)
            _mark(b.node(r["id"]), change, r["reason"], [c.get("text", "") for c in blocks])
            changes.append({"id": r["id"], "label": visible(r["label"]), "type": r.get("type"),
                            "change": change, "reason": visible(r["reason"])})
    b.induced()  # policies too: their links show what they cover
    notes = [*notes, f"{len(result['lost'])} lost, {len(result['gained'])} gained, "
             f"{len(result['conditions_changed'])} with changed conditions, of {result['items']} items."]
    view = b.finish(kind, title, params, notes)
    view["changes"] = changes
    return _legend(view, ("lost", "gained", "conditions_changed", "cause"))


def _legend(view: dict[str, Any], kinds: tuple[str, ...]) -> dict[str, Any]:
    """The legend of the borders, and labels kept on the nodes whose state the page is about."""
    view["legend"]["changes"] = [{"change": k, **CHANGE_STYLE[k]} for k in kinds]
    for n in view["nodes"]:
        n["show_label"] = n.get("change") in kinds and n.get("change") != "cause"
    # the ten the page is most about keep their labels readable whatever else crowds them:
    # systems and chips first (what an analyst asks about), then what they are made with
    shown = sorted((n for n in view["nodes"] if n["show_label"]),
                   key=lambda n: (_MUST_ORDER.get(n.get("type") or "", 9), n.get("label", "")))
    for n in shown[:10]:
        n["must_label"] = True
    return view


_MUST_ORDER = {"System": 0, "Chip": 1, "Component": 2, "Process": 3, "Tool": 4, "Material": 5, "Software": 6}


def _mark(rec: dict[str, Any], kind: str, reason: str, why: list[str]) -> None:
    """Give a node its change: border colour and dashes (the fill and shape keep its class)."""
    style = CHANGE_STYLE[kind]
    words = STATE_WORDS.get(kind) or kind.replace("_", " ")
    text = words[:1].upper() + words[1:] + ("" if reason == words else ": " + reason)
    rec.update(change=kind, border=style["border"], dashes=style["dashes"], reason=visible(reason),
               change_text=visible(text), change_ok=kind in ("gained", "available"),
               size=max(rec.get("size", 14), 20))
    rec["facts"][:0] = [["Because", visible(text)] for text in why]


def _scenario_text(sc: dict[str, Any]) -> str:
    """The scenario in one line, e.g. "Scenario: embargo by Netherlands on China"."""
    parts = [f"remove {visible(r['label'])}" for r in sc["removed"]]
    parts += [f"embargo by {visible(e['government']['label'])} on {visible(e['country']['label'])}"
              for e in sc["embargoes"]]
    parts += [f"lift {visible(r['label'])}" for r in sc["lifted"]]
    return "Scenario: " + "; ".join(parts) + "."
