"""Paths and navigation: how one thing depends on another, what a thing needs, what needs it.

Edges point downstream (from what is needed or supplies to what needs it), so "how does
TO depend on FROM" is a path FROM -> ... -> TO along ``requires`` and ``supplies`` edges.

* :func:`find_paths` lists the shortest paths (all of equal length) or, bounded, all simple
  paths up to a length.  Before enumerating it keeps only the nodes that lie on some walk
  of at most ``max_len`` hops (``dist(FROM, v) + dist(v, TO) <= max_len``, two BFS), which
  is at least as tight as ``descendants(FROM) & ancestors(TO)``; it then enumerates paths
  length by length with a depth-first search that only steps to nodes from which TO is
  still reachable in the hops left, stops at ``cap`` paths and at a fixed step budget, and
  says so in ``capped`` and ``note``.  networkx's ``all_simple_paths`` is not used: it is
  exponential before any cap applies (see PITFALLS).
* :func:`upstream` and :func:`downstream` walk ``requires`` and ``supplies`` edges
  breadth-first and return the nodes by depth and the BFS tree edges.

All functions are pure: they read the graph and return plain dicts (the JSON the command
line prints).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from ..core.dates import edge_in_force
from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import iso
from ..core.vocab import ENTITY_CLASSES
from .describe import edge_fields

__all__ = [
    "FOLLOW",
    "LINK_TYPES",
    "MAX_LEN_LIMIT",
    "STEP_BUDGET",
    "find_paths",
    "upstream",
    "downstream",
    "parse_types",
]

#: The edge types a dependency path follows by default.
FOLLOW = ("requires", "supplies")

#: Every edge type of the projection (see graph/io/load.py), for ``--via``.
LINK_TYPES = (
    "requires", "supplies", "owns", "located_in", "operated_by", "designed_by", "kind_of",
    "governs", "part_of", "subject_to", "issued_by", "covers", "covers_supplier",
    "destination", "listed_party", "relaxes", "suspends", "about",
)

#: Longest path ``--max-len`` accepts: the bundled graph's longest supply chain is far
#: shorter, and longer bounds only make ``--all`` slower.
MAX_LEN_LIMIT = 12

#: Node expansions one enumeration may spend before it stops and reports itself capped.
STEP_BUDGET = 500_000

_CLASS_NAMES = {str(c).split("#")[-1] for c in ENTITY_CLASSES}
_DEP_RANK = {"requires": 0, "supplies": 1, "owns": 2}


def _ref(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    d = kg.g.nodes.get(node, {})
    return {"id": node, "label": d.get("label") or node, "type": d.get("type")}


def _edge_ok(d: dict[str, Any], types: frozenset[str], as_of: dt.date | None) -> bool:
    """An edge counts when its type is followed and, on a date, it is in force then.

    A planned supply is not in force on any date, so ``as_of`` drops it.
    """
    if d["type"] not in types:
        return False
    if as_of is None:
        return True
    return edge_in_force(d, as_of)


def _best(edges: list[tuple[bool, dict[str, Any]]]) -> tuple[bool, dict[str, Any]]:
    """Pick the edge a hop shows: forward first, dependencies first, then the larger share."""
    return min(edges, key=lambda fe: (not fe[0], _DEP_RANK.get(fe[1]["type"], 9),
                                      -(fe[1].get("share") or 0.0), fe[1]["type"], _tiebreak(fe[1])))


def _tiebreak(d: dict[str, Any]) -> tuple[Any, ...]:
    """Parallel edges of one type (new chips and stock) ordered by content, never by file order."""
    return (bool(d.get("stock")), bool(d.get("planned")), str(d.get("valid_from") or ""),
            str(d.get("valid_to") or ""), tuple(s.get("id", "") for s in d.get("sources", ())))


def parse_types(text: str | Iterable[str] | None, known: Iterable[str], what: str) -> list[str] | None:
    """Split "a,b" into a list of names from ``known`` (case-insensitive); None when empty.

    >>> parse_types("chip, firm", ["Chip", "Firm", "Tool"], "class")
    ['Chip', 'Firm']

    Raises
    ------
    UsageError
        A name is not in ``known``.
    """
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    folded = {k.casefold(): k for k in known}
    out: list[str] = []
    for raw in parts:
        name = raw.strip()
        if not name:
            continue
        if name.casefold() not in folded:
            msg = f"unknown {what} {name!r}; use one or more of: {', '.join(sorted(folded.values()))}"
            raise UsageError(msg)
        if folded[name.casefold()] not in out:
            out.append(folded[name.casefold()])
    return out or None


# --------------------------------------------------------------------------- paths


class _View:
    """Adjacency of the graph restricted to some edge types, a date and a direction.

    Building it costs O(V + E).
    """

    def __init__(self, kg: KnowledgeGraph, types: frozenset[str], as_of: dt.date | None,
                 undirected: bool) -> None:
        self.succ: dict[str, set[str]] = {}
        self.pred: dict[str, set[str]] = {}
        for u, v, d in kg.g.edges(data=True):
            if u == v or not _edge_ok(d, types, as_of):
                continue
            self.succ.setdefault(u, set()).add(v)
            self.pred.setdefault(v, set()).add(u)
            if undirected:
                self.succ.setdefault(v, set()).add(u)
                self.pred.setdefault(u, set()).add(v)

    @staticmethod
    def bfs(adj: dict[str, set[str]], start: str) -> dict[str, int]:
        """Hop distances from ``start``.  Complexity: O(V + E)."""
        dist = {start: 0}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            for v in adj.get(u, ()):
                if v not in dist:
                    dist[v] = dist[u] + 1
                    queue.append(v)
        return dist

    def distance(self, source: str, target: str) -> int | None:
        return self.bfs(self.succ, source).get(target)


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _exact(adj: dict[str, list[str]], to_t: dict[str, int], source: str, target: str,
           length: int, budget: _Budget) -> Iterator[list[str]]:
    """Simple paths of exactly ``length`` hops, depth first, never stepping where the
    target cannot be reached in the hops left.

    Complexity: O(P · length · d) for P paths and out-degree d on a pruned graph where
    every partial path extends; the budget bounds the work in all cases.
    """
    path = [source]
    on_path = {source}
    stack = [iter(adj.get(source, ()))]
    while stack:
        if not budget.spend():
            return
        left = length - len(path) + 1  # hops still to take from path[-1]
        nxt = None
        for v in stack[-1]:
            if v in on_path or to_t.get(v, length + 1) > left - 1:
                continue
            if v == target and left != 1:
                continue
            nxt = v
            break
        if nxt is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if nxt == target:
            yield [*path, nxt]
            continue
        path.append(nxt)
        on_path.add(nxt)
        stack.append(iter(adj.get(nxt, ())))


def _longer(adj: dict[str, list[str]], to_t: dict[str, int], source: str, target: str,
            shortest: int, max_len: int) -> bool | None:
    """Whether a simple path longer than ``shortest`` and at most ``max_len`` hops exists.

    Stops at the first one found; None when a small step budget runs out first.
    Complexity: bounded by 20,000 steps.
    """
    budget = _Budget(20_000)
    for length in range(shortest + 1, max_len + 1):
        if next(_exact(adj, to_t, source, target, length, budget), None) is not None:
            return True
        if budget.left < 0:
            return None
    return False


def _hops(kg: KnowledgeGraph, nodes: list[str], types: frozenset[str], as_of: dt.date | None,
          undirected: bool) -> list[dict[str, Any]]:
    hops = []
    g = kg.g
    for u, v in zip(nodes, nodes[1:], strict=False):
        cands = [(True, d) for d in g.get_edge_data(u, v, default={}).values() if _edge_ok(d, types, as_of)]
        if undirected:
            cands += [(False, d) for d in g.get_edge_data(v, u, default={}).values()
                      if _edge_ok(d, types, as_of)]
        forward, d = _best(cands)
        hop = {"from": u, "to": v, **edge_fields(d), "forward": forward,
               "from_label": kg.label(u), "to_label": kg.label(v),
               "from_type": g.nodes[u].get("type"), "to_type": g.nodes[v].get("type")}
        also = sorted({("" if f else "~") + e["type"] for f, e in cands if e is not d} - {hop["type"]})
        if also:
            hop["also"] = also
        hops.append(hop)
    return hops


def _min_share(hops: list[dict[str, Any]]) -> float | None:
    shares = [h["share"] for h in hops if h.get("share") is not None]
    return min(shares) if shares else None


def _rank_key(p: dict[str, Any]) -> tuple[Any, ...]:
    ms = p["min_share"]
    return (p["length"], ms is None, -(ms or 0.0), [h["to_label"].casefold() for h in p["hops"]])


def find_paths(
    kg: KnowledgeGraph,
    source: str,
    target: str,
    *,
    all_paths: bool = False,
    max_len: int = 6,
    via: Iterable[str] | None = None,
    undirected: bool = False,
    as_of: dt.date | None = None,
    cap: int = 200,
) -> dict[str, Any]:
    """How ``target`` depends on ``source``: paths along dependency edges, each hop sourced.

    Parameters
    ----------
    kg : KnowledgeGraph
    source, target : str
        Node ids (resolve names first with :func:`graph.queries.lookup.resolve`).
    all_paths : bool
        False: the shortest paths (all of the shortest length).  True: every simple path of
        at most ``max_len`` hops, shortest first.
    max_len : int
        Longest path considered, 1 to :data:`MAX_LEN_LIMIT` hops.
    via : iterable of str, optional
        Edge types to follow (default ``requires`` and ``supplies``; undirected: every
        type but ``about``, which links claims, unless an end is a claim).
    undirected : bool
        Follow edges in either direction: any connection, not a dependency.
    as_of : date, optional
        Keep only edges valid on the date (planned supplies are never valid).
    cap : int
        Most paths returned; ``capped`` says when more exist or the step budget ran out.

    Returns
    -------
    dict
        ``source``, ``target`` (ids), ``source_label``, ``target_label``, ``mode``
        ("shortest" or "all"), ``undirected``, ``via`` (the types followed), ``as_of``,
        ``max_len``, ``cap``, ``paths`` (each ``{"hops", "length", "min_share"}``; a hop has
        ``from``, ``to``, ``type``, ``share``, ``valid_from``, ``valid_to``, ``sources``,
        ``from_label``, ``to_label``, ``from_type``, ``to_type``, ``forward`` (False when an
        undirected path walks the edge against its direction) and, when set, ``share_basis``,
        ``quantity``, ``note``, ``stock``, ``planned``, ``also``), ``capped``, ``note``,
        ``routes`` (shortest mode: one shortest path through each other first step out of
        ``source``, ranked like ``paths``; empty with ``all_paths``),
        ``shortest`` (hops of the shortest path, or None), ``longer`` (shortest mode: a
        longer simple path within ``max_len`` exists; None when not checked or not
        known), ``reverse`` (TO reaches FROM),
        ``exists_ignoring_dates`` and ``exists_ignoring_direction`` (bool, or None when
        not asked: no date given, or already undirected).

    Paths are ranked by length, then by their weakest known share, strongest first
    (paths with no known share last), then by the labels along them.

    Complexity: O(V + E) for the views and distances, plus O(P · L · d) to enumerate P
    paths of at most L hops with out-degree d in the pruned graph, bounded by ``cap`` and
    :data:`STEP_BUDGET`.

    Raises
    ------
    UsageError
        ``source == target``, ``max_len`` out of 1..12, ``cap`` < 1, unknown edge types.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> kg = load(["tests/data/paths.ttl"])
    >>> res = find_paths(kg, "toolco", "chip")
    >>> [[h["to"] for h in p["hops"]] for p in res["paths"]]
    [['scanner', 'proc-a', 'die-a', 'compute-die', 'chip'], ['scanner', 'proc-b', 'die-b', 'compute-die', 'chip']]
    """
    if source == target:
        msg = f"FROM and TO are the same entity ({kg.label(source)}); name two different ones"
        raise UsageError(msg)
    if not 1 <= max_len <= MAX_LEN_LIMIT:
        msg = f"out of range; use 1 to {MAX_LEN_LIMIT} hops"
        raise UsageError(msg, "max_len", max_len)
    if cap < 1:
        msg = f"cap {cap} is out of range; use 1 or more"
        raise UsageError(msg)
    ends_claim = "Claim" in {kg.g.nodes.get(n, {}).get("type") for n in (source, target)}
    if via is not None:
        types = frozenset(parse_types(list(via), LINK_TYPES, "edge type") or FOLLOW)
    elif undirected:
        types = frozenset(t for t in LINK_TYPES if t != "about" or ends_claim)
    else:
        types = frozenset(FOLLOW)

    view = _View(kg, types, as_of, undirected)
    from_s = view.bfs(view.succ, source)
    to_t = view.bfs(view.pred, target)
    shortest = from_s.get(target)
    out: dict[str, Any] = {
        "source": source, "target": target,
        "source_label": kg.label(source), "target_label": kg.label(target),
        "mode": "all" if all_paths else "shortest", "undirected": undirected,
        "via": sorted(types), "as_of": iso(as_of), "max_len": max_len, "cap": cap,
        "paths": [], "capped": False, "note": None, "shortest": shortest,
        "reverse": False, "exists_ignoring_dates": None, "exists_ignoring_direction": None,
        "longer": None,
    }
    if shortest is None or shortest > max_len:
        _explain_none(kg, out, types, as_of, undirected, view)
        return out

    keep = {n for n, d in from_s.items() if d + to_t.get(n, max_len + 1) <= max_len}
    adj = {u: sorted((v for v in view.succ.get(u, ()) if v in keep), key=lambda n: (kg.label(n), n))
           for u in keep}
    budget = _Budget(STEP_BUDGET)
    lengths = range(shortest, max_len + 1) if all_paths else range(shortest, shortest + 1)
    found: list[list[str]] = []
    for length in lengths:
        for nodes in _exact(adj, to_t, source, target, length, budget):
            if len(found) == cap:
                out["capped"] = True
                break
            found.append(nodes)
        if out["capped"] or budget.left < 0:
            break
    if budget.left < 0:
        out["capped"] = True
        out["note"] = (f"stopped after {STEP_BUDGET:,} search steps with {len(found)} paths; "
                       "lower --max-len or narrow --via")
    elif out["capped"]:
        out["note"] = (f"more than {cap} paths; showing the first {cap} by length "
                       "(lower --max-len or narrow --via to see fewer)")
    if not all_paths and budget.left >= 0:
        out["longer"] = _longer(adj, to_t, source, target, shortest, max_len)
        if out["longer"]:
            hint = f"longer paths exist (up to --max-len {max_len}): add --all to list them"
            out["note"] = f"{out['note']}; {hint}" if out["note"] else hint
    def record(nodes: list[str]) -> dict[str, Any]:
        hops = _hops(kg, nodes, types, as_of, undirected)
        return {"hops": hops, "length": len(hops), "min_share": _min_share(hops)}

    out["paths"] = sorted((record(nodes) for nodes in found), key=_rank_key)
    out["routes"] = []
    if not all_paths:
        out["routes"] = sorted((record(nodes) for nodes in _other_routes(adj, to_t, source, target, found)),
                               key=_rank_key)
    return out


def _other_routes(adj: dict[str, list[str]], to_t: dict[str, int], source: str, target: str,
                  found: list[list[str]]) -> Iterator[list[str]]:
    """One shortest path through each first step out of ``source`` that the shortest
    paths do not take: how else TO depends on FROM (ASML reaches the Ascend 910C through
    the metrology of its HBM, and through SMIC's DUV fleet and its servicing).

    Complexity: one bounded exact-length search per first step, O(d · P · L · d).
    """
    taken = {nodes[1] for nodes in found if len(nodes) > 1}
    budget = _Budget(STEP_BUDGET // 10)
    for first in adj.get(source, ()):
        if first in taken or first not in to_t:
            continue
        if first == target:
            continue
        for rest in _exact(adj, to_t, first, target, to_t[first], budget):
            if source not in rest:
                yield [source, *rest]
                break


def _explain_none(kg: KnowledgeGraph, out: dict[str, Any], types: frozenset[str],
                  as_of: dt.date | None, undirected: bool, view: _View) -> None:
    """Fill ``note`` and the ``exists_*`` flags when no path was found.  O(V + E) per check."""
    s, t = out["source"], out["target"]
    sl, tl = out["source_label"], out["target_label"]
    what = "connection" if undirected else "dependency path"
    along = ", ".join(sorted(types)) if len(types) <= 3 else f"{len(types)} edge types"
    if out["shortest"] is not None:
        n = out["shortest"]
        out["note"] = (f"the shortest {what} from {sl} to {tl} has {n} hops, more than --max-len "
                       f"{out['max_len']}" + (f"; use --max-len {n}" if n <= MAX_LEN_LIMIT else ""))
        return
    parts = [f"no {what} from {sl} to {tl} along {along}" + (f" on {as_of}" if as_of else "")]
    if not undirected:
        back = view.distance(t, s)
        if back is not None:
            out["reverse"] = True
            parts.append(f"{sl} depends on {tl} ({back} hops): try `path {t} {s}`")
    if as_of is not None:
        n = _View(kg, types, None, undirected).distance(s, t)
        out["exists_ignoring_dates"] = n is not None
        parts.append(f"a path exists ignoring dates ({n} hops): some edge on it is not in force on {as_of}"
                     if n is not None else "none ignoring dates either")
    if not undirected:
        n = _View(kg, types, as_of, True).distance(s, t)
        if n is not None:
            out["exists_ignoring_direction"] = True
            parts.append(f"connected ignoring direction ({n} hops): try --undirected")
        else:
            wide = frozenset(LINK_TYPES) - {"about"}
            m = _View(kg, wide, as_of, True).distance(s, t)
            out["exists_ignoring_direction"] = m is not None
            parts.append(f"connected only through other links ({m} hops): try --undirected"
                         if m is not None else "not connected even ignoring direction")
    out["note"] = "; ".join(parts)


# --------------------------------------------------------------------------- navigation


def _walk(kg: KnowledgeGraph, node: str, direction: str, depth: int | None,
          types: Iterable[str] | None, as_of: dt.date | None) -> dict[str, Any]:
    if depth is not None and depth < 1:
        msg = f"--depth {depth} is out of range; use 1 or more (or leave it out for no limit)"
        raise UsageError(msg)
    wanted = set(parse_types(list(types), _CLASS_NAMES, "class") or ()) if types is not None else set()
    g = kg.g
    follow = frozenset(FOLLOW)
    up = direction == "upstream"
    level = {node: 0}
    parent: dict[str, tuple[str, dict[str, Any]]] = {}
    order = [node]
    queue = deque([node])
    while queue:
        u = queue.popleft()
        nbrs: dict[str, list[tuple[bool, dict[str, Any]]]] = {}
        edges = g.in_edges(u, data=True) if up else g.out_edges(u, data=True)
        for a, b, d in edges:
            other = a if up else b
            if other != node and other not in level and _edge_ok(d, follow, as_of):
                nbrs.setdefault(other, []).append((True, d))
        for other in sorted(nbrs, key=lambda n: (kg.label(n).casefold(), n)):
            level[other] = level[u] + 1
            parent[other] = (u, _best(nbrs[other])[1])
            order.append(other)
            queue.append(other)

    shown = sorted((n for n in order[1:] if depth is None or level[n] <= depth),
                   key=lambda n: (level[n], kg.label(n).casefold(), n))
    match = [n for n in shown if not wanted or g.nodes[n].get("type") in wanted]
    needed: set[str] = set()
    for n in match:
        while n != node and n not in needed:
            needed.add(n)
            n = parent[n][0]
    matched = set(match)

    def rec(n: str) -> dict[str, Any]:
        return {**_ref(kg, n), "depth": level[n], "parent": parent[n][0]}

    edges_out = []
    for n in (x for x in shown if x in needed):
        p, d = parent[n]
        a, b = (n, p) if up else (p, n)
        edges_out.append({"from": a, "to": b, **edge_fields(d)})
    return {
        "root": _ref(kg, node),
        "direction": direction,
        "depth": depth,
        "types": sorted(wanted) or None,
        "as_of": iso(as_of),
        "nodes": [rec(n) for n in match],
        "context": [rec(n) for n in shown if n in needed and n not in matched],
        "edges": edges_out,
        "beyond_depth": len(order) - 1 - len(shown),
    }


def upstream(kg: KnowledgeGraph, node: str, depth: int | None = None,
             types: Iterable[str] | None = None, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """What ``node`` needs: its suppliers and requirements, theirs, and so on, by depth.

    Follows ``requires`` and ``supplies`` edges against their direction, breadth-first;
    each node is listed once, at its shallowest depth, under the first parent (by label)
    that reaches it there.

    Parameters
    ----------
    kg : KnowledgeGraph
    node : str
        A node id.
    depth : int, optional
        Deepest level listed (1 = direct suppliers and inputs); no limit when None.
    types : iterable of str, optional
        Only list nodes of these classes (``Firm``, ``Chip``...); the nodes that connect
        them to ``node`` are returned under ``context``.
    as_of : date, optional
        Only edges valid on the date (planned supplies are never valid).

    Returns
    -------
    dict
        ``root`` ({id, label, type}), ``direction``, ``depth``, ``types``, ``as_of``,
        ``nodes`` (each {id, label, type, depth, parent}, by depth then label),
        ``context`` (same shape), ``edges`` (the BFS tree edges as stored in the graph,
        from upstream to downstream: {from, to, type, share, valid_from, valid_to,
        sources, ...}), ``beyond_depth`` (nodes deeper than ``depth``).

    Complexity: O(V + E) (one BFS over the whole upstream, so ``beyond_depth`` is exact).

    Raises
    ------
    UsageError
        ``depth`` < 1 or an unknown class.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> kg = load(["tests/data/paths.ttl"])
    >>> [(n["id"], n["depth"]) for n in upstream(kg, "chip", depth=1)["nodes"]]
    [('chipco', 1), ('compute-die', 1), ('memory', 1)]
    """
    return _walk(kg, node, "upstream", depth, types, as_of)


def downstream(kg: KnowledgeGraph, node: str, depth: int | None = None,
               types: Iterable[str] | None = None, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """What needs ``node``: what it supplies or is an input of, and so on, by depth.

    The mirror of :func:`upstream` (same parameters and result; edges still run from
    upstream to downstream).  Complexity: O(V + E).

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> kg = load(["tests/data/paths.ttl"])
    >>> [(n["id"], n["depth"]) for n in downstream(kg, "memco")["nodes"]]
    [('memory', 1), ('chip', 2), ('system-x', 3), ('system-y', 3)]
    """
    return _walk(kg, node, "downstream", depth, types, as_of)
