"""The graph type: :class:`KnowledgeGraph`, the records on its nodes and edges, and ids.

Every layer above takes a :class:`KnowledgeGraph` as its first argument; only
:mod:`graph.io.load` (and the store and endpoint readers) build one.  The projection is a
:class:`networkx.MultiDiGraph` whose edges point downstream, along the flow of goods and
authority (see :mod:`graph.io.load`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from .lazy import NodeRows
from .terms import INSTANCES

if TYPE_CHECKING:  # networkx and rdflib are only needed by whoever builds a graph
    import networkx as nx
    from rdflib import Graph

__all__ = ["DEFERRED_TYPES", "DEPENDENCY_TYPES", "KnowledgeGraph", "NodeRecord", "EdgeRecord", "SourceRecord", "short_id"]

#: Edge types that are dependencies (they need sources and carry shares and dates).
DEPENDENCY_TYPES = frozenset({"requires", "supplies", "owns"})

#: The edge types a cached graph reads with its adjacency, on first use: the bulk of a
#: large graph, which the compiled supply model holds already (``graph.engine.compiled``).
DEFERRED_TYPES = frozenset({"requires", "supplies"})


class SourceRecord(TypedDict):
    """A cited source: where a fact comes from."""

    id: str
    url: str
    title: str
    publisher: str
    date: dt.date | None
    secondary: bool


class NodeRecord(TypedDict, total=False):
    """The attributes of a node (an entity).  ``type`` is its class name (``"Chip"``);
    policies add ``kind``, ``scope``, ``effective_from``, ``effective_to``...; claims add
    ``statement`` and ``status``."""

    iri: str
    type: str | None
    label: str
    aliases: list[str]
    aggregate: bool
    description: str
    missing: bool


class EdgeRecord(TypedDict, total=False):
    """The attributes of an edge.  Dependency edges (``requires``, ``supplies``, ``owns``)
    carry ``sources``, and may carry ``share``, ``valid_from``, ``valid_to``, ``stock``,
    ``planned``, ``note``; every edge keeps the RDF node it came from (``rdf``)."""

    type: str
    sources: list[SourceRecord]
    share: float | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    stock: bool
    planned: bool
    note: str | None
    rdf: str


def short_id(term: object) -> str:
    """Return the short id of an IRI: its local name in ``cmi:``, else the whole IRI.

    >>> short_id("https://chokemap.org/id/asml")
    'asml'
    >>> short_id("http://example.org/x")
    'http://example.org/x'
    """
    text = str(term)
    base = INSTANCES
    return text[len(base) :] if text.startswith(base) else text


class KnowledgeGraph:
    """The loaded graph: its networkx projection, its sources, and the RDF it came from.

    Attributes
    ----------
    g : networkx.MultiDiGraph
        The projection described in :mod:`graph.io.load`.
    sources : dict
        Source id -> :class:`SourceRecord`.
    files : list of Path
        The files read, in order.
    n_triples : int
        How many triples they hold.
    rdf : rdflib.Graph
        Every triple, as rdflib sees them: given, or read on first use by the ``rdf``
        callable the loader hands over (validation, SPARQL and export need it; the
        queries themselves run on the projection).
    """

    def __init__(
        self,
        g: nx.MultiDiGraph,
        sources: dict[str, dict[str, Any]],
        files: Sequence[Path] = (),
        rdf: Graph | Callable[[], Graph] | None = None,
        n_triples: int | None = None,
    ) -> None:
        self.g = g
        self.sources = sources
        self.files = list(files)
        self._rdf: Graph | None = None
        self._read_rdf: Callable[[], Graph] | None = None
        if callable(rdf) and not hasattr(rdf, "triples"):
            self._read_rdf = rdf
        else:
            self._rdf = rdf  # type: ignore[assignment]
        self.n_triples = n_triples if n_triples is not None else (len(self._rdf) if self._rdf is not None else 0)
        self._by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] | None = None
        #: Edge types left out of ``_by_type`` in the graph cache: collected from the
        #: adjacency when first asked for (:meth:`for_cache`).
        self._deferred: frozenset[str] = frozenset()
        #: The date the data is current to (``cm:Dataset cm:currentTo``), if it says.
        self.data_as_of: dt.date | None = None
        #: The graph cache's key of the files it came from (set by the loader; None when
        #: not cached): the compiled supply models of its date classes are cached under it.
        self.cache_key: str | None = None
        #: Per-process memo of the engine's compiled supply models (never pickled).
        self.memo: dict[Any, Any] = {}

    def edges_of(self, edge_type: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The edges ``(u, v, data)`` of one type, in the graph's order.

        An index by type is built on first use, O(E), and kept with the graph in the
        cache; then O(1).  The projection is not changed after loading, so it stays true.
        From the cache, the :data:`DEFERRED_TYPES` are collected from the adjacency the
        first time one is asked for (O(E), reading the adjacency if not read yet).
        """
        if self._by_type is None:
            self._by_type = self._collect(None)
        if edge_type in self._deferred:
            self._by_type.update(self._collect(self._deferred))
            self._deferred = frozenset()
        return self._by_type.get(edge_type, [])

    def _collect(self, types: frozenset[str] | None) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
        """The edges of ``types`` (None: all) by type, in the graph's order (that of
        ``g.edges(data=True)``, read from the adjacency dicts it walks).  O(E)."""
        by: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
        for u, nbrs in self.g._succ.items():
            for v, keyed in nbrs.items():
                for d in keyed.values():
                    t = d["type"]
                    if types is None or t in types:
                        edges = by.get(t)
                        if edges is None:
                            by[t] = [(u, v, d)]
                        else:
                            edges.append((u, v, d))
        return by

    def for_cache(self) -> KnowledgeGraph:
        """A copy to store in the graph cache: the same nodes and attributes, the adjacency
        as one blob read on first use (:mod:`graph.core.lazy`), and the edge index without
        the :data:`DEFERRED_TYPES`.  ``self`` is left as it is.  O(V + E)."""
        from .lazy import defer_edges

        every = self.edges_of_all()
        out = KnowledgeGraph.__new__(KnowledgeGraph)
        out.__dict__.update(self.__getstate__())
        out.__dict__.update(g=defer_edges(self.g), _deferred=DEFERRED_TYPES & frozenset(every),
                            _by_type={t: edges for t, edges in every.items() if t not in DEFERRED_TYPES})
        return out

    def edges_of_all(self) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
        """Every edge by type (:meth:`edges_of` for each).  O(E) once, then O(types)."""
        self.edges_of("")
        for t in self._deferred:
            self.edges_of(t)
        assert self._by_type is not None
        return self._by_type

    def read_rdf_with(self, reader: Callable[[], Graph]) -> None:
        """Say how to read the RDF when it is first needed (the loader does, after a cache hit)."""
        self._read_rdf = reader

    @property
    def rdf(self) -> Graph:
        if self._rdf is None:
            if self._read_rdf is None:
                from rdflib import Graph

                return Graph()
            self._rdf = self._read_rdf()
        return self._rdf

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_rdf"] = None  # re-read from the files when needed, never cached
        state["_read_rdf"] = None
        state["cache_key"] = None  # set again by whoever loads it
        state["memo"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"cache_key": None, "memo": {}, "_deferred": frozenset(), **state})

    def node(self, node_id: str) -> dict[str, Any]:
        """Return the attribute dict of one node (raises KeyError if absent)."""
        return self.g.nodes[node_id]  # type: ignore[no-any-return]

    def label(self, node_id: str) -> str:
        """Return a node's label, or its id when it has none."""
        rows = self.g._node  # the dict g.nodes reads, without building a view
        if isinstance(rows, NodeRows):  # from the cache: the one attribute, no dict made
            try:
                return str(rows.attr(node_id, "label") or node_id)
            except (KeyError, TypeError):
                return node_id
        data = rows.get(node_id)
        return str(data.get("label") or node_id) if data else node_id

    def of_type(self, *types: str) -> list[str]:
        """Return the ids of the nodes of the given classes (all nodes when none given).
        O(V), without making the attribute dicts of a graph from the cache (:meth:`typed`)."""
        return [n for n, _d in self.typed(set(types) or None)]

    def typed(self, types: set[str] | frozenset[str] | None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(node, attributes) of the nodes whose class is one of ``types`` (every node:
        None), in order.  A graph from the cache (:class:`graph.core.lazy.NodeRows`) reads
        the classes off a column and makes the attribute dicts of those nodes only, where
        ``g.nodes(data=True)`` makes every node's.  O(V) plus O(attributes) per node given."""
        rows = self.g._node
        of_type = getattr(rows, "of_type", None)
        if of_type is not None:
            return ((n, rows[n]) for n in of_type(types))
        return ((n, d) for n, d in rows.items() if types is None or d.get("type") in types)
