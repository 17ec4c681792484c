"""Overview pages: a view too big to draw, drawn as clusters that expand on click.

Every ``chokemap view`` kind that can grow big first counts the nodes it would hold
(:func:`limit` says how many a page may draw).  Above the limit, :func:`overview_view`
draws the important nodes (the ranked chokepoints, the focus, a few targets) as
themselves and groups the rest by class or by country into clusters, each drawn as one
node with its count.  Each cluster carries its members (label, class, position computed
here around the cluster) and their links, and ``templates/overview.js`` expands it on
click, in the page, without a request.  A cluster holds at most :data:`EXPAND_MAX`
members, so an expansion never draws more than that; a bigger group is cut into
alphabetical slices ("Tool, A-F").
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from ..core.dates import edge_in_force, policy_in_force
from ..core.errors import UsageError
from ..core.model import DEPENDENCY_TYPES, KnowledgeGraph
from .view_records import CLASS_STYLE, visible

__all__ = ["EXPAND_MAX", "around", "chokepoint_overview", "focus_overview", "graph_overview", "GROUPS", "MAX_VIEW_NODES", "check_size", "group_keys", "limit", "overview_view"]

#: The most nodes a page draws as themselves; above it, ``view`` writes an overview.  Measured
#: in bench/RESULTS.md ("Big graphs"): first draw and search in Chromium stay fast up to here.
MAX_VIEW_NODES = 2000
#: The most members one cluster holds (what one click adds to the drawing).
EXPAND_MAX = 300
#: What ``--group-by`` may name.
GROUPS = ("class", "country")
_CLUSTER_COLOUR = "#f4f1ea"


def limit(max_nodes: int | None = None) -> int:
    """The node limit of a page: ``max_nodes``, else ``$CHOKEMAP_MAX_VIEW_NODES``, else
    :data:`MAX_VIEW_NODES`.

    >>> limit(10)
    10
    """
    if max_nodes is not None:
        return max_nodes
    env = os.environ.get("CHOKEMAP_MAX_VIEW_NODES", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            msg = "write the limit as a whole number of nodes"
            raise UsageError(msg, "CHOKEMAP_MAX_VIEW_NODES", env) from None
    return MAX_VIEW_NODES


def check_size(n: int, what: str, hint: str, max_nodes: int | None = None) -> None:
    """Refuse a page of ``n`` nodes above the limit, saying what to ask instead."""
    top = limit(max_nodes)
    if n > top:
        msg = f"{what} has {n:,} nodes, more than a page can draw usably ({top:,}); {hint}"
        raise UsageError(msg)


def group_keys(kg: KnowledgeGraph, nodes: Iterable[str], group_by: str) -> dict[str, str]:
    """The group of each node: its class, or its country (a firm's or facility's own; an
    item's is the country most of its suppliers are in; else "no country").

    Complexity: O(V + E) over the graph's edges for ``country``, O(V) for ``class``.
    """
    g = kg.g
    nodes = list(nodes)
    if group_by == "class":
        return {n: str(g.nodes[n].get("type") or "Unknown") for n in nodes}
    if group_by != "country":
        msg = f"not a grouping; use one of {', '.join(GROUPS)}"
        raise UsageError(msg, "group-by", repr(group_by))
    home: dict[str, str] = {}
    for u, v, d in g.edges(data=True):
        if d.get("type") == "located_in":
            home.setdefault(u, v)
        elif d.get("type") == "location_of":
            home.setdefault(v, u)
    out = {}
    for n in nodes:
        d = g.nodes[n]
        if d.get("type") == "Country":
            where = n
        elif n in home:
            where = home[n]
        else:
            votes = Counter(home[u] for u, _v, e in g.in_edges(n, data=True)
                            if e.get("type") == "supplies" and u in home)
            where = votes.most_common(1)[0][0] if votes else ""
        out[n] = visible(kg.label(where)) if where else "no country"
    return out


def around(kg: KnowledgeGraph, node: str, depth: int, day: dt.date) -> dict[str, int]:
    """Every entity within ``depth`` links of ``node`` on ``day`` -> its distance.  O(V + E)."""
    g = kg.g
    seen = {node: 0}
    frontier = [node]
    for dist in range(1, depth + 1):
        nxt = []
        for n in frontier:
            nbrs = [(v, d) for _u, v, d in g.out_edges(n, data=True)]
            nbrs += [(u, d) for u, _v, d in g.in_edges(n, data=True)]
            for m, d in nbrs:
                if m in seen or not edge_in_force(d, day) or (g.nodes[m].get("type") == "Policy" and not policy_in_force(g.nodes[m], day)):
                    continue
                seen[m] = dist
                nxt.append(m)
        frontier = nxt
    return seen


def _slices(group: str, members: list[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """One group's (label, id) members, sorted, cut into slices of at most EXPAND_MAX.  O(m log m)."""
    members.sort(key=lambda m: (m[0].casefold(), m[1]))
    if len(members) <= EXPAND_MAX:
        return [(group, members)]
    out = []
    for i in range(0, len(members), EXPAND_MAX):
        part = members[i:i + EXPAND_MAX]
        first, last = part[0][0][:12], part[-1][0][:12]
        out.append((f"{group}, {first} \u2026 {last}", part))
    return out


def _edges(kg: KnowledgeGraph, nodes: set[str], day: dt.date, dependency_only: bool) -> list[tuple[str, str, str]]:
    """Every graph edge on ``day`` between ``nodes`` (dependency edges only if asked), once
    per (from, to, type).  O(sum of the out-degrees of ``nodes``)."""
    seen: set[tuple[str, str, str]] = set()
    for u in nodes:
        for _u, v, d in kg.g.out_edges(u, data=True):
            if v in nodes and edge_in_force(d, day) and (not dependency_only or d["type"] in DEPENDENCY_TYPES):
                seen.add((u, v, d["type"]))
    return sorted(seen)


def overview_view(
    kg: KnowledgeGraph, day: dt.date, nodes: Iterable[str], keep: Iterable[str], *, kind: str,
    title: str, params: dict[str, Any], notes: list[str], group_by: str = "class",
    dependency_only: bool = False, max_nodes: int | None = None,
) -> dict[str, Any]:
    """The overview of a view of ``nodes``: ``keep`` drawn as themselves, the rest clustered.

    Links between kept nodes are drawn as they are; the others are summed per (cluster or
    kept node, cluster or kept node, type) into one link with a count.  The result is a view
    (as :mod:`graph.render.views` makes them) plus ``overview`` (what was clustered) and
    ``clusters`` (each with its members, their positions and their links).
    Complexity: O(V + E) over the view's nodes and edges, O(V log V) to sort the slices,
    plus the layout of the kept nodes and clusters.
    """
    from .views import _Builder

    every = set(nodes)
    kept = [n for n in dict.fromkeys(keep) if n in every][:max(1, limit(max_nodes) // 2)]
    kept_set = set(kept)
    groups = group_keys(kg, (n for n in every if n not in kept_set), group_by)
    by_group: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n, grp in groups.items():
        by_group[grp].append((visible(kg.label(n)), n))
    b = _Builder(kg, day)
    for n in kept:
        b.node(n)
    clusters, top, leaf = _clusters(kg, b, by_group, group_by)
    links = _edges(kg, every, day, dependency_only)
    _add_links(b, links, top, leaf, clusters)
    view = b.finish(kind, title, params, notes)
    _place(view, clusters)
    view["overview"] = {"group_by": group_by, "nodes": len(every), "edges": len(links), "kept": len(kept),
                        "clusters": len(clusters), "limit": limit(max_nodes), "expand_max": EXPAND_MAX}
    view["clusters"] = clusters
    return view


def _member(kg: KnowledgeGraph, n: str, label: str) -> dict[str, Any]:
    d = kg.g.nodes[n]
    cls = d.get("type") or "Unknown"
    colour, shape = CLASS_STYLE.get(cls, CLASS_STYLE["Unknown"])
    return {"id": n, "label": label, "type": cls, "color": colour, "shape": shape,
            "aliases": [visible(a) for a in (d.get("aliases") or [])[:3]]}


def _cluster_node(cid: str, name: str, group: str, count: int, group_by: str) -> dict[str, Any]:
    """A cluster drawn as one node: the group's class style, larger with its count."""
    colour, shape = CLASS_STYLE.get(group, (_CLUSTER_COLOUR, "dot")) if group_by == "class" else (_CLUSTER_COLOUR, "dot")
    return {"id": cid, "label": f"{name} ({count:,})", "zh": "", "aliases": [], "type": group if group_by == "class" else "Cluster",
            "color": _CLUSTER_COLOUR, "border": colour, "shape": "box" if shape == "dot" else shape,
            "size": min(40, round(16 + 6 * math.log10(count + 1))), "role": "cluster", "cluster": True,
            "count": count, "description": f"{count:,} nodes grouped by {group_by}: {group}. Click to expand.",
            "facts": [], "specs": [], "sources": [], "show_label": True}


def _clusters(kg: KnowledgeGraph, b: Any, by_group: dict[str, list[tuple[str, str]]],
              group_by: str) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    """One cluster per group, drawn; a group of more than EXPAND_MAX is cut into slices,
    its children, drawn when it opens.  Returns the clusters and each member's top and leaf
    cluster.  O(V log V)."""
    clusters: list[dict[str, Any]] = []
    top: dict[str, str] = {}
    leaf: dict[str, str] = {}
    for grp in sorted(by_group, key=lambda k: (-len(by_group[k]), k)):
        slices = _slices(grp, by_group[grp])
        gid = f"cluster:{len(clusters)}"
        count = sum(len(part) for _name, part in slices)
        b.nodes[gid] = _cluster_node(gid, grp, grp, count, group_by)
        head: dict[str, Any] = {"id": gid, "label": grp, "group": grp, "count": count, "parent": None,
                                "children": [], "members": []}
        clusters.append(head)
        for name, part in slices:
            cid = gid if len(slices) == 1 else f"cluster:{len(clusters)}"
            if cid != gid:
                head["children"].append(cid)
                clusters.append({"id": cid, "label": name, "group": grp, "count": len(part), "parent": gid,
                                 "children": [], "members": [],
                                 "node": _cluster_node(cid, name, grp, len(part), group_by)})
            clusters[-1]["members"] = [_member(kg, n, lab) for lab, n in part]
            top.update((n, gid) for _lab, n in part)
            leaf.update((n, cid) for _lab, n in part)
    return clusters, top, leaf


def _add_links(b: Any, links: list[tuple[str, str, str]], top: dict[str, str], leaf: dict[str, str],
               clusters: list[dict[str, Any]]) -> None:
    """Links drawn at first: kept to kept as they are, the others summed per (top cluster or
    kept node, same, type).  Each cluster keeps the links drawn when it opens, its other end as
    seen then (a member of the same slice, a sibling slice, another top cluster, a kept node),
    summed with a count.  O(E)."""
    summed: dict[tuple[str, str, str], int] = defaultdict(int)
    own: dict[str, dict[tuple[str, str, str], int]] = defaultdict(lambda: defaultdict(int))
    for u, v, t in links:
        cu, cv = top.get(u, u), top.get(v, v)
        if cu == u and cv == v:
            d = next((d for d in b.kg.g.get_edge_data(u, v, default={}).values() if d["type"] == t), {"type": t})
            b.edge(u, v, d)
            continue
        if cu != cv:
            summed[(cu, cv, t)] += 1
        for mine, end, other in ((u, "from", v), (v, "to", u)):
            if mine not in top:
                continue
            seen = _seen_from(other, mine, top, leaf)
            if top[mine] != leaf[mine]:  # the parent, open, shows its slices
                far = other if other not in top else (leaf[other] if top[other] == top[mine] else top[other])
                if far != leaf[mine]:
                    own[top[mine]][(leaf[mine], far, t) if end == "from" else (far, leaf[mine], t)] += 1
            if leaf[mine] != seen:
                own[leaf[mine]][(u, seen, t) if end == "from" else (seen, v, t)] += 1
    for (cu, cv, t), count in sorted(summed.items()):
        b.edges[(cu, cv, t)] = _summed_edge(f"e{len(b.edges)}", cu, cv, t, count)
    for c in clusters:
        c["edges"] = [[*k, n] for k, n in sorted(own.get(c["id"], {}).items())]


def _seen_from(other: str, mine: str, top: dict[str, str], leaf: dict[str, str]) -> str:
    """What ``other`` looks like once ``mine``'s slice is open: itself if kept or in the same
    slice, its slice if a sibling's, else its top cluster."""
    if other not in top or leaf[other] == leaf[mine]:
        return other
    return leaf[other] if top[other] == top[mine] else top[other]


def _summed_edge(eid: str, u: str, v: str, t: str, count: int) -> dict[str, Any]:
    return {"id": eid, "from": u, "to": v, "type": t, "count": count,
            "note": f"{count:,} link{'s' * (count != 1)} of this type", "sources": [], "share": None,
            "dataset": None, "derived": False, "planned": False, "highlight": False}


def _grid(n: int, x0: float, y0: float, dx: float, dy: float, rows: int = 20) -> list[tuple[float, float]]:
    """``n`` places in columns of ``rows``, centred on (x0, y0).  O(n)."""
    cols, height = max(1, math.ceil(n / rows)), min(n, rows)
    return [(round(x0 + (i // rows - (cols - 1) / 2) * dx, 1), round(y0 + (i % rows - (height - 1) / 2) * dy, 1))
            for i in range(n)]


def _place(view: dict[str, Any], clusters: list[dict[str, Any]]) -> None:
    """Positions of what opens: slices in a grid on their parent, members in a grid on their
    cluster (columns of 20).  O(V)."""
    at = {n["id"]: (n["x"], n["y"]) for n in view["nodes"]}
    by_id = {c["id"]: c for c in clusters}
    for c in clusters:  # parents come before their slices
        if c["children"]:
            for cid, (x, y) in zip(c["children"], _grid(len(c["children"]), *at[c["id"]], 260, 70, 10), strict=True):
                at[cid] = (x, y)
                by_id[cid]["node"].update(x=x, y=y)
        for rec, (x, y) in zip(c["members"], _grid(len(c["members"]), *at[c["id"]], 150, 36), strict=True):
            rec["x"], rec["y"] = x, y


# --------------------------------------------------------------------------- the overviews of view kinds


def chokepoint_overview(kg: KnowledgeGraph, day: dt.date, rep: dict[str, Any], rows: list[dict[str, Any]],
                         shown: list[dict[str, Any]], every: set[str], wanted: set[str] | None, top: int | None,
                         group_by: str, max_nodes: int | None) -> dict[str, Any]:
    """The chokepoint view as an overview: the ranked rows and up to 20 targets drawn, the
    rest of the chains clustered.  O(V + E) over the view (see :func:`overview_view`)."""
    from .view_rank import rank_view
    from .views import _add_targets, _Builder, _chokepoint_words, _mark_chokepoint

    keep = [r["id"] for r in shown] + [t["id"] for t in rep["targets"]][:20]
    title, params, notes = _chokepoint_words(rep, rows, shown, day, wanted, top)
    notes.append(f"Too many nodes to draw ({len(every):,}): the ranked chokepoints are drawn, the other "
                 f"nodes of their chains are grouped by {group_by}; click a group to open it.")
    view = overview_view(kg, day, every, keep, kind="chokepoints", title=title, params=params, notes=notes,
                         group_by=group_by, dependency_only=True, max_nodes=max_nodes)
    b = _Builder(kg, day)
    b.nodes = {n["id"]: n for n in view["nodes"]}
    for t in rep["targets"]:
        if t["id"] in b.nodes:
            _add_targets(b, [t])
    for r in shown:
        _mark_chokepoint(b, r)
    return _labelled(rank_view(view, shown, top, rep.get("totals")))


def graph_overview(kg: KnowledgeGraph, day: dt.date, wanted: set[str] | None, top: int | None,
                   group_by: str, max_nodes: int | None) -> dict[str, Any]:
    """The whole graph (classes ``wanted``) as an overview: the ranked chokepoints of all end
    products and up to 20 end products drawn, the rest clustered.  Complexity: that of
    :func:`graph.engine.ranking.chokepoints` plus O(V + E)."""
    from ..engine.ranking import chokepoints
    from .view_rank import rank_view

    g = kg.g
    every = [n for n, d in g.nodes(data=True) if (wanted is None or (d.get("type") or "Unknown") in wanted)
             and (d.get("type") != "Policy" or policy_in_force(d, day))]
    rep = chokepoints(kg, None, None, day, top=top)
    keep = [r["id"] for r in rep["chokepoints"]] + [t["id"] for t in rep["targets"]][:20]
    what = "The whole graph" if wanted is None else ", ".join(sorted(wanted)) + " in the graph"
    notes = [f"Too many nodes to draw ({len(every):,}): the ranked chokepoints of all end products are drawn, "
             f"the other nodes are grouped by {group_by}; click a group to open it."]
    view = overview_view(kg, day, every, keep, kind="graph", title=f"{what}, as of {day.isoformat()}",
                         params={"types": sorted(wanted) if wanted else None}, notes=notes,
                         group_by=group_by, max_nodes=max_nodes)
    return _labelled(rank_view(view, rep["chokepoints"], top, rep.get("totals")))


def focus_overview(kg: KnowledgeGraph, day: dt.date, node: str, near: dict[str, int], wanted: set[str] | None,
                   top: int | None, group_by: str, max_nodes: int | None) -> dict[str, Any]:
    """A neighbourhood (``near``: node -> distance) as an overview: the focus and up to 100 of
    its nearest neighbours drawn, the rest clustered.  Complexity: O(V + E) over the
    neighbourhood, plus the ranking of all end products."""
    from .views import with_ranking

    every = [n for n in near if n == node or wanted is None or kg.g.nodes[n].get("type") in wanted]
    keep = sorted(every, key=lambda n: (near[n], n))[:101]  # overview_view keeps at most half the limit
    depth = max(near.values())
    title = (f"What is around {visible(kg.label(node))} ({depth} link{'s' if depth > 1 else ''} deep), "
             f"as of {day.isoformat()}")
    notes = [f"Too many nodes to draw ({len(every):,}): {visible(kg.label(node))} and its nearest neighbours are "
             f"drawn, the others are grouped by {group_by}; click a group to open it."]
    view = overview_view(kg, day, every, keep, kind="focus", title=title, notes=notes, group_by=group_by,
                         params={"focus": node, "depth": depth, "types": sorted(wanted) if wanted else None},
                         max_nodes=max_nodes)
    for n in view["nodes"]:
        if n["id"] == node:
            n["role"], n["size"] = "focus", 26
        if n["id"] in near:
            n["distance"] = near[n["id"]]
    return _labelled(with_ranking(kg, view, None, top))


def tree_overview(kg: KnowledgeGraph, day: dt.date, tree: dict[str, Any], top: int | None, group_by: str,
                  max_nodes: int | None) -> dict[str, Any]:
    """An upstream or downstream tree too big to draw (``tree``: as
    :func:`graph.queries.trees.upstream` returns it) as an overview: the root and its
    nearest nodes drawn, the rest clustered.  Complexity: O(V + E) over the tree."""
    from .views import with_ranking

    root, direction = tree["root"]["id"], tree["direction"]
    near = {root: 0, **{n["id"]: n["depth"] for n in tree["nodes"]}}
    near.update({c["id"]: near.get(c["id"], max(near.values()) + 1) for c in tree.get("context", [])})
    keep = sorted(near, key=lambda n: (near[n], n))[:101]
    what = "needs" if direction == "upstream" else "depends on it"
    title = f"What {visible(kg.label(root))} {what} ({direction}), as of {day.isoformat()}"
    notes = [f"Too many nodes to draw ({len(near):,}): {visible(kg.label(root))} and the nodes nearest to it are "
             f"drawn, the others are grouped by {group_by}; click a group to open it."]
    view = overview_view(kg, day, list(near), keep, kind=direction, title=title, notes=notes, group_by=group_by,
                         params={direction: root, "depth": tree.get("depth")}, max_nodes=max_nodes)
    for n in view["nodes"]:
        if n["id"] == root:
            n["role"], n["size"] = "focus", 26
        if n["id"] in near:
            n["distance"] = near[n["id"]]
    return _labelled(with_ranking(kg, view, [root] if direction == "upstream" else None, top))


def _labelled(view: dict[str, Any]) -> dict[str, Any]:
    """Clusters keep their labels (name and count) at any zoom.  O(V)."""
    for n in view["nodes"]:
        if n.get("cluster"):
            n["show_label"] = True
    return view
