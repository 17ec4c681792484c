"""HTML views of the graph: one self-contained, offline, script-safe page per view.

A *view* is a plain dict (its JSON twin, printed by ``chokemap view --json``) built from
the graph by one of four functions:

* :func:`graph_view` -- the whole graph on a date (optionally only some classes);
* :func:`focus_view` -- the neighbourhood of one entity, ``depth`` links deep;
* :func:`path_view` -- how one entity depends on another, the paths highlighted in context;
* :func:`chokepoint_view` -- the chokepoints of targets for a buyer, sized and coloured by
  rank (grey fill, black first), each with the chain that makes it critical.

:func:`~graph.render.page.to_html` renders a view as a page and :func:`~graph.render.page.write_html`
writes it (both re-exported here); coordinates are computed in Python
(:func:`~graph.render.layout.layered_layout`), so the browser draws at once with physics off.
The node and edge records of a view are made in :mod:`graph.render.view_records`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..core.dates import edge_in_force, policy_in_force, today
from ..core.errors import UsageError
from ..core.model import DEPENDENCY_TYPES, KnowledgeGraph
from . import overview as _ov
from .layout import layered_layout
from .page import EDGE_COLOURS, LINK_GREY, script_json, to_html, to_json, write_html
from .view_rank import rank_view, section_of
from .view_records import CLASS_STYLE, DERIVED, edge_record, node_record, safe_url, type_filter, visible

__all__ = [
    "CLASS_STYLE",
    "EDGE_COLOURS",
    "graph_view",
    "focus_view",
    "path_view",
    "chokepoint_view",
    "layered_layout",
    "make_view",
    "with_ranking",
    "MAX_VIEW_NODES",
    "default_name",
    "safe_url",
    "script_json",
    "to_json",
    "to_html",
    "write_html",
]

_CLASS_ORDER = {c: i for i, c in enumerate(CLASS_STYLE)}
# Edges that set the columns of the layout (the flow of goods); other links only order.
_FLOW = DEPENDENCY_TYPES | DERIVED
# Side columns of nodes off the flow: authority on the left, claims on the right.
_SIDE = {"Country": -3, "Government": -2, "Policy": -1}


# --------------------------------------------------------------------------- small helpers


def _node_on(data: dict[str, Any], date: dt.date) -> bool:
    """Policies count only while in force; every other entity always."""
    return data.get("type") != "Policy" or policy_in_force(data, date)


class _Builder:
    """Collects the nodes and edges of one view, edges deduplicated by (from, to, type)."""

    def __init__(self, kg: KnowledgeGraph, date: dt.date) -> None:
        self.kg, self.date = kg, date
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def node(self, node: str) -> dict[str, Any]:
        if node not in self.nodes:
            self.nodes[node] = node_record(self.kg, node)
        return self.nodes[node]

    def edge(self, u: str, v: str, d: dict[str, Any]) -> dict[str, Any]:
        key = (u, v, d["type"])
        if key not in self.edges:
            self.node(u)
            self.node(v)
            self.edges[key] = edge_record(f"e{len(self.edges)}", u, v, d)
        return self.edges[key]

    def induced(self, keep_link: bool = True) -> None:
        """Add every graph edge on the date between nodes already in the view.

        Complexity: O(sum of the out-degrees of the view's nodes).
        """
        for u in list(self.nodes):
            for _u, v, d in self.kg.g.out_edges(u, data=True):
                if v in self.nodes and edge_in_force(d, self.date):
                    if keep_link or d["type"] in DEPENDENCY_TYPES:
                        self.edge(u, v, d)

    def hop(self, hop: dict[str, Any]) -> dict[str, Any]:
        """The view edge of an explanation or path hop: the graph's own edge when there is one."""
        u, v, etype = hop["from"], hop["to"], hop["type"]
        g = self.kg.g
        for a, b in ((u, v), (v, u)):
            if g.has_node(a) and g.has_node(b):
                for d in g.get_edge_data(a, b, default={}).values():
                    if d["type"] == etype:
                        return self.edge(a, b, d)
        return self.edge(u, v, {**hop, "sources": hop.get("sources") or []})

    def finish(self, kind: str, title: str, params: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        nodes = list(self.nodes.values())
        edges = list(self.edges.values())
        flow = [(e["from"], e["to"]) for e in edges if e["type"] in _FLOW]
        pos = layered_layout([n["id"] for n in nodes], flow,
                             key=lambda n: (_CLASS_ORDER.get(self.nodes[n]["type"], 99),
                                            self.nodes[n]["label"].casefold(), n),
                             gap=max(48, 2 * max((n["size"] for n in nodes), default=14) + 36),
                             links=[(e["from"], e["to"]) for e in edges],
                             side=lambda n: _SIDE.get(self.nodes[n]["type"], 0))
        for n in nodes:
            n["x"], n["y"], n["level"] = pos[n["id"]]
        classes: dict[str, int] = defaultdict(int)
        for n in nodes:
            classes[n["type"]] += 1
        etypes: dict[str, int] = defaultdict(int)
        for e in edges:
            etypes[e["type"]] += 1
        return {
            "view": kind,
            "title": title,
            "as_of": self.date.isoformat(),
            "params": params,
            "notes": notes,
            "counts": {"nodes": len(nodes), "edges": len(edges)},
            "legend": {
                "classes": [{"type": c, "color": CLASS_STYLE[c][0], "shape": CLASS_STYLE[c][1],
                             "count": classes[c]} for c in CLASS_STYLE if classes.get(c)],
                "edge_types": [{"type": t, "color": EDGE_COLOURS.get(t, LINK_GREY), "count": k}
                               for t, k in sorted(etypes.items())],
                "eto_edges": sum(1 for e in edges if e["dataset"] == "ETO"),  # drawn dotted
            },
            "nodes": nodes,
            "edges": edges,
            "ranking": [],
        }


# --------------------------------------------------------------------------- the four views


def _date(date: dt.date | None) -> dt.date:
    return date or today()


def graph_view(kg: KnowledgeGraph, date: dt.date | None = None, types: Iterable[str] | None = None) -> dict[str, Any]:
    """The whole graph on a date: every entity (policies only while in force) and every link.

    Dependency edges count only within their validity dates.  ``types`` keeps only
    entities of these classes (e.g. ``["Chip", "Firm"]``).  Complexity: O(V + E) plus the
    layout.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> view = graph_view(load(["tests/data/tiny.ttl"]), dt.date(2024, 6, 1), ["Chip", "Firm"])
    >>> view["counts"], sorted(e["type"] for e in view["edges"])[:2]
    ({'nodes': 7, 'edges': 3}, ['supplies', 'supplies'])
    """
    day = _date(date)
    wanted = type_filter(types)
    b = _Builder(kg, day)
    for n, d in kg.g.nodes(data=True):
        if (wanted is None or (d.get("type") or "Unknown") in wanted) and _node_on(d, day):
            b.node(n)
    b.induced()
    what = "The whole graph" if wanted is None else ", ".join(sorted(wanted)) + " in the graph"
    params = {"types": sorted(wanted) if wanted else None}
    return b.finish("graph", f"{what}, as of {day.isoformat()}", params, [])


def focus_view(
    kg: KnowledgeGraph, node: str, depth: int = 1, date: dt.date | None = None,
    types: Iterable[str] | None = None,
) -> dict[str, Any]:
    """What is around ``node``: every entity within ``depth`` links, either direction.

    ``types`` keeps only neighbours of these classes (the focus itself always stays).
    Complexity: O(V + E) for the breadth-first search, plus the layout.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> view = focus_view(load(["tests/data/tiny.ttl"]), "scanner", 1, dt.date(2024, 6, 1))
    >>> sorted(n["id"] for n in view["nodes"])
    ['process', 'scanner', 'scannerco']
    """
    if depth < 1:
        msg = "give a depth of 1 or more"
        raise UsageError(msg, "depth", depth)
    day = _date(date)
    wanted = type_filter(types)
    g = kg.g
    seen = _ov.around(kg, node, depth, day)
    b = _Builder(kg, day)
    for n in seen:
        if n == node or wanted is None or (g.nodes[n].get("type") or "Unknown") in wanted:
            b.node(n)
    b.induced()
    centre = b.node(node)
    centre["role"], centre["size"] = "focus", 26
    for n, rec in b.nodes.items():
        rec["distance"] = seen[n]
    title = f"What is around {visible(kg.label(node))} ({depth} link{'s' if depth > 1 else ''} deep), as of {day.isoformat()}"
    params = {"focus": node, "depth": depth, "types": sorted(wanted) if wanted else None}
    return b.finish("focus", title, params, [])


def path_view(
    kg: KnowledgeGraph, source: str, target: str, date: dt.date | None = None,
    types: Iterable[str] | None = None, paths: dict[str, Any] | None = None, **options: Any,
) -> dict[str, Any]:
    """How ``target`` depends on ``source``: the paths of ``chokemap path``, highlighted.

    The paths come from :func:`graph.queries.paths.find_paths` (``options`` are passed on, e.g.
    ``all_paths=True``) unless given as ``paths``.  The context is every link on the date
    between the nodes of the paths; ``types`` removes context nodes of other classes
    (nodes on a path always stay).  Complexity: that of ``find_paths`` plus O(P · L) for
    P paths of length L, plus the layout.
    """
    day = _date(date)
    wanted = type_filter(types)
    if paths is None:
        from ..queries.paths import find_paths

        paths = find_paths(kg, source, target, as_of=day, **options)
    b = _Builder(kg, day)
    b.node(source)
    b.node(target)
    found = []
    on_path: set[str] = {source, target}
    for p in paths.get("paths", []):
        ids = []
        for hop in p.get("hops", []):
            e = b.hop(hop)
            e["highlight"] = True
            ids.append(e["id"])
            on_path.update((hop["from"], hop["to"]))
        found.append({"edges": ids, "length": len(ids)})
    b.induced()
    if wanted is not None:
        for n in [n for n, rec in b.nodes.items() if n not in on_path and rec["type"] not in wanted]:
            del b.nodes[n]
        b.edges = {k: e for k, e in b.edges.items() if k[0] in b.nodes and k[1] in b.nodes}
    for n in (source, target):
        b.nodes[n]["role"], b.nodes[n]["size"] = "end", 24
    notes = [str(paths["note"])] if paths.get("note") else []
    if not found and not notes:
        notes.append(f"No dependency path from {kg.label(source)} to {kg.label(target)} on {day.isoformat()}.")
    if paths.get("capped"):
        notes.append(f"Only the first {len(found)} paths are shown.")
    title = f"How {visible(kg.label(target))} depends on {visible(kg.label(source))}, as of {day.isoformat()}"
    view = b.finish("path", title, {"source": source, "target": target,
                                    "types": sorted(wanted) if wanted else None}, notes)
    view["paths"] = found
    return view


def chokepoint_view(
    kg: KnowledgeGraph, targets: Sequence[str] | None = None, buyer: str | None = None,
    date: dt.date | None = None, types: Iterable[str] | None = None, top: int | None = None,
    answer: dict[str, Any] | None = None, group_by: str = "class", max_nodes: int | None = None,
) -> dict[str, Any]:
    """The chokepoints of ``targets`` for ``buyer``: sized and filled by rank.

    Uses :func:`graph.engine.ranking.chokepoints` (or a ready ``answer``).  Nodes are the
    targets, the chokepoints and the nodes of their explanation chains; edges are the
    chains' hops plus every dependency edge on the date between those nodes.  Each
    chokepoint carries its score, its one-line "why" and the ids of its chain's edges
    (highlighted on click); its size and grey fill grow with its rank in its section
    (:func:`~graph.render.view_rank.rank_view`).  ``types`` drops chokepoints of other
    classes; ``top`` keeps the highest-ranked of each section (actors, items), and the engine
    explains only those (unless ``types`` filters).  A view of more nodes than
    :func:`~graph.render.overview.limit` (counted before any record is made) becomes an
    overview: the ranked chokepoints drawn, the rest of their chains in clusters by
    ``group_by``.  Complexity: that of ``chokepoints`` plus O(C · L) for C chokepoints
    with chains of length L, plus the layout.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> view = chokepoint_view(load(["tests/data/tiny.ttl"]), ["phone"], None, dt.date(2024, 6, 1))
    >>> sorted(n["id"] for n in view["nodes"] if n["role"] == "chokepoint")
    ['fabco', 'memory', 'nl', 'phoneco', 'process', 'scanner', 'scannerco', 'soc', 'tw', 'xx']
    """
    from ..engine.ranking import chokepoints

    day = _date(date)
    wanted = type_filter(types)
    rep = answer or chokepoints(kg, targets or None, buyer, day, top=top, types=wanted)
    rows = [r for r in rep["chokepoints"] if wanted is None or r.get("type") in wanted]
    shown = _top_of_sections(rows, top)
    every = {t["id"] for t in rep["targets"]}
    every.update(n for r in shown for h in r.get("explanation", []) for n in (h["from"], h["to"]) if kg.g.has_node(n))
    if len(every) > _ov.limit(max_nodes):
        return _ov.chokepoint_overview(kg, day, rep, rows, shown, every, wanted, top, group_by, max_nodes)
    b = _Builder(kg, day)
    _add_targets(b, rep["targets"])
    for r in shown:
        for h in r.get("explanation", []):
            b.hop(h)
    b.induced(keep_link=False)
    for r in shown:
        _mark_chokepoint(b, r)
    title, params, notes = _chokepoint_words(rep, rows, shown, day, wanted, top)
    view = b.finish("chokepoints", title, params, notes)
    return rank_view(view, shown, top, rep.get("totals"))


def _chokepoint_words(rep: dict[str, Any], rows: list[dict[str, Any]], shown: list[dict[str, Any]],
                      day: dt.date, wanted: set[str] | None, top: int | None) -> tuple[str, dict[str, Any], list[str]]:
    """The title, parameters and notes of a chokepoint page."""
    who = visible(rep["buyer"]["label"]) if rep.get("buyer") else "any buyer"
    what = ("all end products" if rep.get("all_end_products")
            else ", ".join(visible(t["label"]) for t in rep["targets"]))
    title = f"Chokepoints of {what} for {who}, as of {day.isoformat()}"
    params = {"targets": None if rep.get("all_end_products") else [t["id"] for t in rep["targets"]],
              "buyer": rep["buyer"]["id"] if rep.get("buyer") else None,
              "types": sorted(wanted) if wanted else None, "top": top}
    return title, params, _chokepoint_notes(rep, rows, shown, who)


def _top_of_sections(rows: list[dict[str, Any]], top: int | None) -> list[dict[str, Any]]:
    """The ``top`` first rows of each section (actors, items), in their order.  O(R)."""
    if top is None:
        return rows
    seen: dict[str, int] = defaultdict(int)
    out = []
    for r in rows:
        sec = section_of(r)
        seen[sec] += 1
        if seen[sec] <= top:
            out.append(r)
    return out


def _add_targets(b: _Builder, targets: list[dict[str, Any]]) -> None:
    """The targets as large nodes, each with its availability, blocks and conditions."""
    for t in targets:
        rec = b.node(t["id"])
        rec["role"], rec["size"] = "target", 22
        rec["available"] = bool(t.get("available"))
        rec["blocked_by"] = [c.get("text", "") for c in t.get("blocked_by", [])]
        rec["conditions"] = [c.get("text", "") for c in t.get("conditions", [])]


def _mark_chokepoint(b: _Builder, r: dict[str, Any]) -> None:
    """A chokepoint's supply facts (its rank, size and fill are set by :func:`rank_view`)."""
    rec = b.node(r["id"])
    conc = r.get("concentration") or {}
    firm = conc.get("by_firm") or {}
    if firm.get("top_label"):
        rec["facts"].append(["Supply of " + str(conc.get("item_label") or ""),
                             f"{firm.get('suppliers')} suppliers, top {firm['top_label']}"
                             + (f" {firm['top_share'] * 100:.0f}%" if firm.get("top_share") else "")])


def _chokepoint_notes(rep: dict[str, Any], rows: list[dict[str, Any]], shown: list[dict[str, Any]],
                      who: str) -> list[str]:
    """What the chokepoint page says above the graph: how many are shown, what is not available."""
    notes = []
    if len(shown) < len(rows):
        notes.append(f"The {len(shown)} highest-ranked of {len(rows)} chokepoints are shown.")
    if not rows:
        notes.append("No single node cuts these targets.")
    gone = [t["label"] for t in rep["targets"] if not t.get("available")]
    if gone:
        notes.append("Not available to " + who + " on this date: " + ", ".join(gone) + ".")
    return notes


def make_view(
    kg: KnowledgeGraph, *, focus: str | None = None, depth: int | None = None,
    path: Sequence[str] | None = None, chokepoints: bool = False, targets: Sequence[str] = (),
    buyer: str | None = None, date: dt.date | None = None, types: str | Iterable[str] | None = None,
    top: int | None = 20, group_by: str = "class", max_nodes: int | None = None,
) -> dict[str, Any]:
    """The view ``chokemap view`` asks for, with entities given by name, id or alias.

    At most one of ``focus``, ``path`` (two names: from, to) and ``chokepoints``; none
    means the whole graph.  ``types`` is a list of classes or a comma-separated string.
    Every page ranks the chokepoints it shows, the ``top`` of each section: those of its
    targets, of the path's end, else of all end products (:func:`with_ranking`).  The
    whole graph, a neighbourhood and the chokepoints count their nodes first; above
    ``max_nodes`` (:func:`~graph.render.overview.limit`) they become overviews, clusters
    by ``group_by`` (class or country); a path that big is refused.

    Raises
    ------
    UsageError
        Options that do not go together, an unknown class.
    UnknownEntity, AmbiguousEntity
        A name that matches no entity, or several.
    """
    from ..engine.supply import ITEM_TYPES
    from ..queries.lookup import resolve, resolve_buyer

    _refuse_mixed(focus, depth, path, chokepoints, bool(targets or buyer))
    kinds = types.split(",") if isinstance(types, str) else types
    wanted = type_filter(kinds)
    if not (focus is not None or path or chokepoints):
        n = sum(1 for _n, d in kg.g.nodes(data=True) if wanted is None or (d.get("type") or "Unknown") in wanted)
        if n > _ov.limit(max_nodes):
            return _ov.graph_overview(kg, _date(date), wanted, top, group_by, max_nodes)
        return with_ranking(kg, graph_view(kg, date, kinds), None, top)
    if focus is not None:
        node = resolve(kg, focus)
        near = _ov.around(kg, node, depth or 1, _date(date))
        if sum(1 for n in near if n == node or wanted is None or kg.g.nodes[n].get("type") in wanted) > _ov.limit(max_nodes):
            return _ov.focus_overview(kg, _date(date), node, near, wanted, top, group_by, max_nodes)
        return with_ranking(kg, focus_view(kg, node, depth or 1, date, kinds), None, top)
    if path:
        ends = resolve(kg, path[0]), resolve(kg, path[1])
        view = path_view(kg, ends[0], ends[1], date, kinds)
        _view_note(view, path)
        end = [ends[1]] if kg.g.nodes[ends[1]].get("type") in ITEM_TYPES else None
        _check_size(view["counts"]["nodes"], "this view", "keep fewer classes", max_nodes)
        return with_ranking(kg, view, end, top)
    items = [resolve(kg, t, set(ITEM_TYPES), "item") for t in targets]
    return chokepoint_view(kg, items or None, resolve_buyer(kg, buyer), date, kinds, top=top,
                           group_by=group_by, max_nodes=max_nodes)


def _refuse_mixed(focus: str | None, depth: int | None, path: Sequence[str] | None, chokepoints: bool,
                  for_buyer: bool) -> None:
    """Refuse options that do not go together."""
    if sum((focus is not None, bool(path), chokepoints)) > 1:
        msg = "a neighbourhood, a path and the chokepoints are different views; ask for one of them"
        raise UsageError(msg)
    if depth is not None and focus is None:
        msg = "a depth goes with a neighbourhood view (a focus entity)"
        raise UsageError(msg)
    if for_buyer and not chokepoints:
        msg = "targets and a buyer go with the chokepoint view"
        raise UsageError(msg)


def with_ranking(kg: KnowledgeGraph, view: dict[str, Any], targets: list[str] | None,
                 top: int | None) -> dict[str, Any]:
    """``view`` with the chokepoints of ``targets`` (default: all end products) ranked on it.

    Complexity: that of :func:`graph.engine.ranking.chokepoints` plus O(V + E).
    """
    from ..engine.ranking import chokepoints

    rep = chokepoints(kg, targets, None, dt.date.fromisoformat(view["as_of"]), top=top)
    return rank_view(view, rep["chokepoints"], top)


def _view_note(view: dict[str, Any], path: Sequence[str]) -> None:
    """Say what to ask ``view`` next: only options it has (no --undirected, no --max-len)."""
    import re

    fixed = []
    for note in view["notes"]:
        note = re.sub(r": try an undirected search", "", note)
        note = re.sub(r"; allow \d+ hops", "", note)
        note = note.replace("ask the other way round",
                            f"ask the other way round (--path {_quote(path[1])} {_quote(path[0])})")
        fixed.append(note)
    view["notes"] = fixed


def _quote(name: str) -> str:
    return f'"{name}"' if " " in name else name


_check_size = _ov.check_size  # the name the question pages import
MAX_VIEW_NODES = _ov.MAX_VIEW_NODES


def default_name(view: dict[str, Any]) -> str:
    """A file name for a view: ``chokemap-<view>[-<ids>].html``, safe on any file system.

    >>> default_name({"view": "path", "params": {"source": "asml", "target": "h200"}})
    'chokemap-path-asml-h200.html'
    >>> default_name({"view": "chokepoints", "params": {"targets": ["h200"], "buyer": "cn"}})
    'chokemap-chokepoints-h200-for-cn.html'
    """
    params = view.get("params", {})
    parts = ["chokemap", view["view"]]
    parts += [str(params[k]) for k in ("focus", "source", "target") if params.get(k)]
    parts += [str(t) for t in (params.get("targets") or [])[:3]]
    if view["view"] == "chokepoints" and params.get("buyer"):
        parts.append("for-" + str(params["buyer"]))
    name = "-".join(parts)
    name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)[:120]
    return name + ".html"
