"""A graph from the cache that is not a networkx graph until its edges are used.

Unpickling the projection of a large graph is mostly its edges: at M (1M triples) the
nodes take 25 ms and the adjacency with its edge records half a second.  Most questions
never touch the adjacency once the supply model of their date comes from the model cache
(:mod:`graph.engine.compiled`): they read nodes (``g._node``), the graph's attributes
(``g.graph``) and a few small kinds of links (kept apart, :meth:`KnowledgeGraph.edges_of`).
So the graph cache stores a :class:`LazyGraph`: those two dicts, and the adjacency as one
pickled blob.  It is a plain object, so reading it imports nothing (networkx alone costs
about 0.2 s, as much as a whole answer at M).  The first time anything else is asked of
it (an adjacency, any networkx method or view, ``len``, ``in``, iteration, ``g[n]``), it
imports networkx, unpickles the blob and turns itself into a plain
:class:`networkx.MultiDiGraph`.  Nothing changes for the code that reads it.

The graph cache keeps the blob in a sealed file of its own beside the entry
(:mod:`graph.io.cache`), so that a question that never reads the edges does not read, or
check, the bulk of the entry either; its HMAC is checked before it is unpickled, when
first used.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["LazyGraph", "NodeTable", "blob_kept_apart", "defer_edges", "edges_deferred", "read_blob_with",
           "take_blob"]

_BLOB = "_chokemap_edges"
_READER = "_chokemap_read_edges"


class LazyGraph:
    """A MultiDiGraph's attributes and nodes, its adjacency still a pickled blob (see the
    module docstring).  Becomes that MultiDiGraph on first use of anything else."""

    graph: dict[str, Any]
    _node: dict[str, dict[str, Any]]

    @property
    def nodes(self) -> NodeTable:
        """The nodes, read as networkx's ``g.nodes`` reads them (without networkx)."""
        return NodeTable(self._node)

    def number_of_nodes(self) -> int:
        return len(self._node)

    def __getattr__(self, name: str) -> Any:
        # only called for what the instance does not hold: every networkx method and view
        if name.startswith("__") or _BLOB not in self.__dict__:
            raise AttributeError(name)
        _materialize(self)
        return getattr(self, name)

    # the operators Python looks up on the type, not through __getattr__: those of the
    # nodes answer from the node view, ``g[n]`` (the adjacency) makes the MultiDiGraph
    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __getitem__(self, n: Any) -> Any:
        _materialize(self)
        return self[n]


class NodeTable(Mapping[str, dict[str, Any]]):
    """A read-only view of a graph's node dict that answers as networkx's ``g.nodes``
    does: ``t[n]``, ``t.get(n)``, ``n in t``, iteration in the graph's order, and
    ``t(data=True)`` (pairs of node and attribute dict), ``t(data="type", default=None)``
    (pairs of node and one attribute)."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[str, dict[str, Any]]) -> None:
        self._node = node

    def __getitem__(self, n: str) -> dict[str, Any]:
        return self._node[n]

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        try:
            return n in self._node
        except TypeError:
            return False

    def __call__(self, data: bool | str = False, default: Any = None) -> Any:
        if data is False:
            return self
        if data is True:
            return self._node.items()
        return ((n, d.get(data, default)) for n, d in self._node.items())


def defer_edges(g: nx.MultiDiGraph) -> LazyGraph:
    """A stand-in sharing ``g``'s attributes and nodes, its adjacency pickled into one blob
    (for the graph cache).  ``g`` is left as it is.  Complexity: O(V + E) to pickle."""
    lazy = LazyGraph.__new__(LazyGraph)
    lazy.__dict__["graph"] = g.graph
    lazy.__dict__["_node"] = g._node
    lazy.__dict__[_BLOB] = pickle.dumps((g._succ, g._pred), protocol=pickle.HIGHEST_PROTOCOL)
    return lazy


def edges_deferred(g: Any) -> bool:
    """True while ``g``'s adjacency has not been read (a :class:`LazyGraph` from the cache)."""
    return _BLOB in g.__dict__


def take_blob(g: LazyGraph) -> bytes:
    """Take the pickled adjacency out of ``g`` (the graph cache stores it in a file of its
    own), leaving ``g`` to read it through the reader :func:`read_blob_with` gives it."""
    blob = g.__dict__[_BLOB]
    g.__dict__[_BLOB] = None
    return blob  # type: ignore[no-any-return]


def blob_kept_apart(g: LazyGraph) -> bool:
    """True when ``g``'s adjacency blob was taken out (:func:`take_blob`) and not read yet:
    it needs a reader (:func:`read_blob_with`)."""
    return _BLOB in g.__dict__ and g.__dict__[_BLOB] is None


def read_blob_with(g: LazyGraph, reader: Callable[[], bytes | memoryview]) -> None:
    """Say how ``g`` reads its adjacency blob when first used (the graph cache does, after
    loading an entry whose blob it keeps apart: checked only then)."""
    g.__dict__[_READER] = reader


def _materialize(g: Any) -> None:
    """Read the blob into the adjacency and make ``g`` a plain MultiDiGraph.  O(E)."""
    import networkx as nx

    blob = g.__dict__.pop(_BLOB)
    reader = g.__dict__.pop(_READER, None)
    if blob is None:
        blob = reader() if reader is not None else None
        if blob is None:  # taken out and not read back (an entry being written)
            msg = "this graph's edges are kept apart and were not read back"
            raise RuntimeError(msg)
    succ, pred = pickle.loads(blob)  # noqa: S301 - inside the sealed cache entry, checked before it was read
    node = g.__dict__.pop("_node")
    g.__class__ = nx.MultiDiGraph
    g.__dict__["__networkx_cache__"] = {}
    g._node = node  # networkx's own setters: its cached views reset
    g._adj = succ
    g._pred = pred
