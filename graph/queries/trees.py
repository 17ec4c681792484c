"""Dependency trees: what an entity needs (upstream) and what needs it (downstream).

:func:`upstream` and :func:`downstream` walk ``requires`` and ``supplies`` edges
breadth-first and return the nodes by depth and the BFS tree edges.  Pure functions: they
read the graph and return plain dicts (the JSON the command line prints).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from typing import Any

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import iso
from ..core.vocab import ENTITY_CLASSES
from .describe import edge_fields
from .follow import FOLLOW, best_edge, edge_ok, parse_types

__all__ = ["upstream", "downstream"]

_CLASS_NAMES = {str(c).split("#")[-1] for c in ENTITY_CLASSES}


def _ref(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    """A node as {id, label, type}."""
    d = kg.g.nodes.get(node, {})
    return {"id": node, "label": d.get("label") or node, "type": d.get("type")}


def _bfs_tree(kg: KnowledgeGraph, node: str, up: bool, as_of: dt.date | None
              ) -> tuple[dict[str, int], dict[str, tuple[str, dict[str, Any]]], list[str]]:
    """Breadth-first over dependency edges: each node's depth, its parent and edge, the visit order.

    Neighbours are visited by label, so each node hangs under the first parent (by label)
    that reaches it at its shallowest depth.
    """
    g = kg.g
    follow = frozenset(FOLLOW)
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
            if other != node and other not in level and edge_ok(d, follow, as_of):
                nbrs.setdefault(other, []).append((True, d))
        for other in sorted(nbrs, key=lambda n: (kg.label(n).casefold(), n)):
            level[other] = level[u] + 1
            parent[other] = (u, best_edge(nbrs[other])[1])
            order.append(other)
            queue.append(other)
    return level, parent, order


def _walk(kg: KnowledgeGraph, node: str, direction: str, depth: int | None,
          types: Iterable[str] | None, as_of: dt.date | None) -> dict[str, Any]:
    """The tree of :func:`upstream` or :func:`downstream` (``direction``), as their result dict."""
    if depth is not None and depth < 1:
        msg = "out of range; use 1 or more (or leave it out for no limit)"
        raise UsageError(msg, "depth", depth)
    wanted = set(parse_types(list(types), _CLASS_NAMES, "class") or ()) if types is not None else set()
    g = kg.g
    up = direction == "upstream"
    level, parent, order = _bfs_tree(kg, node, up, as_of)

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
