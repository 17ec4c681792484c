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

__all__ = ["CHANGE_STYLE", "tree_view", "whatif_view"]

#: How a changed node is drawn: border colour, dashed or not, and the words of the legend.
CHANGE_STYLE: dict[str, dict[str, Any]] = {
    "lost": {"border": "#c0392b", "dashes": True, "label": "lost (dashed red border)"},
    "gained": {"border": "#2e7d32", "dashes": False, "label": "gained (solid green border)"},
    "conditions_changed": {"border": "#f0b429", "dashes": True, "label": "conditions changed (dashed amber border)"},
    "cause": {"border": "#222222", "dashes": True, "label": "changed by the scenario (dashed black border)"},
}


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
    the engine gives as a reason, and the dependency edges between them;
    each node carries its change, the engine's reason and the causes it names.

    Complexity: O(C + sum of the out-degrees of the C nodes drawn), plus the layout.
    """
    day = dt.date.fromisoformat(result["as_of"])
    b = _Builder(kg, day)
    changes = []
    sc = result["scenario"]
    causes = [*sc["removed"], *sc["lifted"], *(e[k] for e in sc["embargoes"] for k in ("government", "country"))]
    for ref in causes:
        if ref and ref["id"] in kg.g:
            _mark(b.node(ref["id"]), "cause", "part of the scenario", [])
    for t in targets or ():
        if t in kg.g:
            rec = b.node(t)
            rec["role"], rec["size"] = "target", 22
    for kind in ("lost", "gained", "conditions_changed"):
        for r in result[kind]:
            if r.get("id") not in kg.g:
                continue
            blocks = r.get("blocked_by") or r.get("was_blocked_by") or []
            why = [c.get("text", "") for c in blocks]
            for c in blocks:  # the supply that the cause blocks, so the drawing shows where
                for n in (c.get("item"), c.get("supplier")):
                    if n and n in kg.g:
                        b.node(n)
            _mark(b.node(r["id"]), kind, r["reason"], why)
            changes.append({"id": r["id"], "label": visible(r["label"]), "type": r.get("type"),
                            "change": kind, "reason": visible(r["reason"])})
    b.induced(keep_link=False)
    who = visible(result["buyer"]["label"]) if result.get("buyer") else "any buyer"
    title = f"What if: what {who} loses and gains, as of {day.isoformat()}"
    notes = [_scenario_text(sc),
             f"{len(result['lost'])} lost, {len(result['gained'])} gained, "
             f"{len(result['conditions_changed'])} with changed conditions, of {result['items']} items."]
    params = {"scenario": {"removed": [r["id"] for r in sc["removed"]], "lifted": [r["id"] for r in sc["lifted"]],
                           "embargoes": [[e["government"]["id"], e["country"]["id"]] for e in sc["embargoes"]]},
              "buyer": result["buyer"]["id"] if result.get("buyer") else None, "targets": list(targets or ())}
    view = b.finish("whatif", title, params, notes)
    view["changes"] = changes
    view["legend"]["changes"] = [{"change": k, **v} for k, v in CHANGE_STYLE.items()]
    for n in view["nodes"]:
        n["show_label"] = n.get("change") in ("lost", "gained", "conditions_changed")
    return view


def _mark(rec: dict[str, Any], kind: str, reason: str, why: list[str]) -> None:
    """Give a node its change: border colour and dashes (the fill and shape keep its class)."""
    style = CHANGE_STYLE[kind]
    rec.update(change=kind, border=style["border"], dashes=style["dashes"], reason=visible(reason),
               size=max(rec.get("size", 14), 20))
    rec["facts"][:0] = [["Because", visible(text)] for text in why]


def _scenario_text(sc: dict[str, Any]) -> str:
    """The scenario in one line, e.g. "Scenario: embargo by Netherlands on China"."""
    parts = [f"remove {visible(r['label'])}" for r in sc["removed"]]
    parts += [f"embargo by {visible(e['government']['label'])} on {visible(e['country']['label'])}"
              for e in sc["embargoes"]]
    parts += [f"lift {visible(r['label'])}" for r in sc["lifted"]]
    return "Scenario: " + "; ".join(parts) + "."
