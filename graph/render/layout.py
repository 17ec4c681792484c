"""A layered layout for supply chains: columns from upstream (left) to downstream (right).

Computed in Python so that a page draws at once with the browser's physics off (see
:mod:`graph.render.views`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

__all__ = ["BAND", "layered_layout"]

#: The column number given to nodes placed in the band below the drawing.
BAND = -99


def layered_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    key: Any = None,
    dx: float = 240.0,
    gap: float = 48.0,
    sweeps: int = 4,
    links: Iterable[tuple[str, str]] = (),
    side: Any = None,
) -> dict[str, tuple[float, float, int]]:
    """Place nodes in columns from upstream (left) to downstream (right).

    Strongly connected components of ``edges`` are condensed; each component's column is
    its longest path from a source, and a source is pulled right to just before its
    nearest successor, so that a supplier sits beside what it supplies; a sink (an end
    product) goes to the last column, so nothing of the chain is right of the end products.
    Nodes on no edge go to side columns: ``side(node)`` is a negative number for a column
    left of the chain (-1 nearest), positive for one right of it, 0 (the default) for a
    band below the drawing, in rows as wide as the chain.
    Within a column, nodes start in ``key`` order and then take a few barycentre sweeps
    (the mean rank of their neighbours along ``edges`` and ``links``) to cut crossings; a
    column taller than about ``2 * sqrt(n)`` nodes wraps into sub-columns.

    Parameters
    ----------
    nodes : the node ids.
    edges : (upstream, downstream) pairs that set the columns; unknown nodes are ignored.
    key : sort key of the initial order within a column (default: the id).
    dx, gap : the width of a (sub-)column and the vertical distance of two nodes.
    sweeps : barycentre sweeps.
    links : more pairs, used only to order nodes within their columns.
    side : node -> side column of a node on no edge (see above).

    Returns
    -------
    dict
        node -> (x, y, column).

    Complexity: O(V + E) for the layering and O(sweeps · (V + E) + V log V) for the order.

    Examples
    --------
    >>> pos = layered_layout(["ore", "chip", "fab", "phone"],
    ...                      [("ore", "chip"), ("fab", "chip"), ("chip", "phone")])
    >>> sorted((p[2], n) for n, p in pos.items())
    [(0, 'fab'), (0, 'ore'), (1, 'chip'), (2, 'phone')]
    >>> pos = layered_layout(["ore", "chip", "phone", "claim"], [("ore", "chip"), ("chip", "phone")])
    >>> pos["claim"][1] > max(pos[n][1] for n in ("ore", "chip", "phone")), pos["claim"][2]
    (True, -99)
    """
    h = nx.DiGraph()
    h.add_nodes_from(nodes)
    h.add_edges_from((u, v) for u, v in edges if u != v and u in h and v in h)
    columns = _columns(nodes, h, side or (lambda n: 0))
    und = nx.Graph(h)
    und.add_edges_from((u, v) for u, v in links if u != v and u in h and v in h)
    _order_columns(columns, und, key or (lambda n: n), sweeps)
    out = _place({c: m for c, m in columns.items() if c != BAND}, len(nodes), dx, gap)
    return _place_band(out, columns.get(BAND, []), dx, gap)


def _levels(h: nx.DiGraph) -> tuple[dict[int, int], dict[str, int]]:
    """Each condensed component's column (sources pulled right), and each node's component."""
    comp_graph = nx.condensation(h)
    comp_of = comp_graph.graph["mapping"]
    order = list(nx.topological_sort(comp_graph))
    level: dict[int, int] = {}
    for c in order:
        level[c] = max((level[p] + 1 for p in comp_graph.predecessors(c)), default=0)
    for c in reversed(order):
        succ = list(comp_graph.successors(c))
        if succ and not any(True for _ in comp_graph.predecessors(c)):
            level[c] = min(level[s] for s in succ) - 1
    last = max(level.values(), default=0)
    for c in order:
        if not any(True for _ in comp_graph.successors(c)) and any(True for _ in comp_graph.predecessors(c)):
            level[c] = last
    return level, comp_of


def _columns(nodes: Sequence[str], h: nx.DiGraph, side: Any) -> dict[int, list[str]]:
    """The nodes by column: chained nodes at their component's level, the others at their side."""
    level, comp_of = _levels(h)
    top = max(level.values(), default=0)
    chained = any(h.degree(n) for n in h)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        if h.degree(n):
            at = level[comp_of[n]]
        else:
            where = side(n)
            if where == 0:
                at = BAND
            else:
                at = (top + where if where > 0 else where) if chained else where
        columns[at].append(n)
    return columns


def _order_columns(columns: dict[int, list[str]], und: nx.Graph, key: Any, sweeps: int) -> None:
    """Sort each column by ``key``, then by the barycentre of its neighbours, ``sweeps`` times."""
    for members in columns.values():
        members.sort(key=key)
    rank: dict[str, float] = {}

    def index(col: list[str]) -> None:
        span = max(len(col) - 1, 1)
        for i, n in enumerate(col):
            rank[n] = i / span

    for members in columns.values():
        index(members)
    keys = sorted(columns)
    for sweep in range(sweeps):
        for c in keys if sweep % 2 == 0 else reversed(keys):
            col = columns[c]

            def bary(n: str) -> float:
                near = [rank[m] for m in und.neighbors(n)]
                return sum(near) / len(near) if near else rank[n]

            col.sort(key=lambda n: (bary(n), rank[n]))
            index(col)


def _place_band(out: dict[str, tuple[float, float, int]], band: list[str], dx: float,
                gap: float) -> dict[str, tuple[float, float, int]]:
    """``out`` with ``band`` in rows below everything in it, as wide as the drawing.  O(B)."""
    if not band:
        return out
    xs = [p[0] for p in out.values()] or [0.0]
    left, bottom = min(xs), max((p[1] for p in out.values()), default=0.0)
    per_row = max(4, round((max(xs) - left) / (dx / 2)) + 1)
    for i, n in enumerate(band):
        row, col = divmod(i, per_row)
        out[n] = (left + col * dx / 2, bottom + 2 * gap + row * gap, BAND)
    return out


def _place(columns: dict[int, list[str]], n_nodes: int, dx: float,
           gap: float) -> dict[str, tuple[float, float, int]]:
    """Coordinates: columns left to right, each centred, wrapped into sub-columns when tall."""
    wrap = max(30, math.ceil(2 * math.sqrt(n_nodes)))
    out: dict[str, tuple[float, float, int]] = {}
    x0 = 0.0
    for c in sorted(columns):
        height = min(len(columns[c]), wrap)
        for i, n in enumerate(columns[c]):
            sub, row = divmod(i, wrap)
            out[n] = (x0 + sub * dx, (row - (height - 1) / 2) * gap + (sub % 2) * gap / 2, c)
        x0 += math.ceil(len(columns[c]) / wrap) * dx + dx * 0.25
    return out
