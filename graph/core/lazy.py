"""A graph from the cache whose edges are read when first used.

Unpickling the projection of a large graph is mostly its edges: at M (1M triples) the
nodes take 25 ms and the adjacency with its edge records half a second.  Most questions
never touch the adjacency once the supply model of their date comes from the model cache
(:mod:`graph.engine.compiled`): they read nodes and a few small kinds of links.  So the
graph cache stores the adjacency as one pickled blob inside its sealed entry, and a
:class:`LazyGraph` unpickles it the first time anything reads ``_adj``, ``_succ`` or
``_pred`` (every networkx method and view goes through them), then turns itself into a
plain :class:`networkx.MultiDiGraph`.  Nothing changes for the code that reads it.

The blob is part of the sealed entry: its HMAC is checked (:mod:`graph.io.cache`) before
the entry, and so the blob, is unpickled.
"""

from __future__ import annotations

import pickle
from typing import Any

import networkx as nx

__all__ = ["LazyGraph", "defer_edges", "edges_deferred"]

_BLOB = "_chokemap_edges"
_ADJACENCY = ("_adj", "_succ", "_pred")


class _Deferred:
    """Stands for an adjacency dict not read yet: reading or setting it reads the blob."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, g: Any, owner: type | None = None) -> Any:
        if g is None:
            return self
        _materialize(g)
        return getattr(g, self.name)

    def __set__(self, g: Any, value: Any) -> None:
        _materialize(g)
        setattr(g, self.name, value)


class LazyGraph(nx.MultiDiGraph):  # type: ignore[misc]
    """A MultiDiGraph whose adjacency is still a pickled blob (see the module docstring)."""

    _adj = _Deferred("_adj")
    _succ = _adj
    _pred = _Deferred("_pred")


def defer_edges(g: nx.MultiDiGraph) -> LazyGraph:
    """A graph sharing ``g``'s attributes and nodes, its adjacency pickled into one blob
    (for the graph cache).  ``g`` is left as it is.  Complexity: O(V + E) to pickle."""
    lazy = LazyGraph.__new__(LazyGraph)
    lazy.__dict__["graph"] = g.graph
    lazy.__dict__["_node"] = g._node
    lazy.__dict__["__networkx_cache__"] = {}
    lazy.__dict__[_BLOB] = pickle.dumps((g._succ, g._pred), protocol=pickle.HIGHEST_PROTOCOL)
    return lazy


def edges_deferred(g: nx.MultiDiGraph) -> bool:
    """True while ``g``'s adjacency has not been read (a :class:`LazyGraph` from the cache)."""
    return _BLOB in g.__dict__


def _materialize(g: Any) -> None:
    """Read the blob into the adjacency and make ``g`` a plain MultiDiGraph.  O(E)."""
    blob = g.__dict__.pop(_BLOB)
    succ, pred = pickle.loads(blob)  # noqa: S301 - inside the sealed cache entry, checked before it was read
    for name in _ADJACENCY:
        g.__dict__.pop(name, None)
    g.__class__ = nx.MultiDiGraph
    g._adj = succ  # networkx's own setters: _adj and _succ, and its cached views reset
    g._pred = pred
