"""A graph from the cache that is not a networkx graph until its edges are used.

Unpickling the projection of a large graph is mostly its edges: at M (1M triples) the
nodes take 25 ms and the adjacency with its edge records half a second.  Most questions
never touch the adjacency once the supply model of their date comes from the model cache
(:mod:`graph.engine.compiled`): they read nodes (``g._node``), the graph's attributes
(``g.graph``) and a few small kinds of links (kept apart, :meth:`KnowledgeGraph.edges_of`).
So the graph cache stores a :class:`LazyGraph`: the graph's attributes, its nodes in
columns (:class:`NodeRows`: each node's attribute dict is made when the node is first
read, and a scan by class reads a column of classes), and the adjacency as one pickled
blob.  It is a plain object, so reading it imports nothing (networkx alone costs
about 0.2 s, as much as a whole answer at M).  The first time anything else is asked of
it (an adjacency, ``g[n]``, any networkx method or view but those of the nodes, which
``len``, ``in`` and iteration read too), it imports networkx, unpickles the blob and turns itself into a plain
:class:`networkx.MultiDiGraph`.  Nothing changes for the code that reads it.

The graph cache keeps the blob in a sealed file of its own beside the entry
(:mod:`graph.io.cache`), so that a question that never reads the edges does not read, or
check, the bulk of the entry either; its HMAC is checked before it is unpickled, when
first used.
"""

from __future__ import annotations

import pickle
import struct
from array import array
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["LazyGraph", "NodeRows", "NodeTable", "blob_kept_apart", "defer_edges", "edges_deferred", "int_view",
           "read_blob_with", "take_blob"]

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


#: How a stored cell of :class:`NodeRows` is read: its code's two low bits.
_STR, _OBJ, _STRS, _CONST = 0, 1, 2, 3
_CONSTS = (True, False, None)
_MISSING = object()


class NodeRows(dict):  # type: ignore[type-arg]
    """Node -> its attribute dict, as networkx keeps them (``g._node``), stored in columns
    and made per node when first read.

    A large graph has hundreds of thousands of nodes and a question reads the attributes of
    a few hundred: unpickling every attribute dict (at L, 300,000 dicts, a million strings)
    cost a second, and a tenth of that at M.  So the graph cache stores the nodes in
    columns: the ids in order; per node the names of its attributes in order (a *shape*,
    shared) and a run of cells, one per attribute, each an integer code: a string (an
    index into one UTF-8 blob of the distinct strings), a list of strings, True, False or
    None, or any other value as it is (kept per node, so no two nodes share one).  The
    dict holds every id from the start (membership, order, length, iteration cost
    nothing more); a node's dict is made from its cells on first read and kept, so that
    changes to it last, as they would in networkx.  Reading every node (``items``,
    ``values``) makes them all.

    Complexity: O(V) to read back (the ids); O(attributes) per node first read; O(V + cells)
    to store.
    """

    _cols: tuple[Any, ...] | None
    _types: tuple[list[str | None], memoryview] | None

    def __init__(self, nodes: Mapping[str, dict[str, Any]] | None = None) -> None:
        super().__init__(nodes or {})
        self._cols = self._types = None

    @classmethod
    def _stored(cls, ids: list[str], shapes: list[tuple[str, ...]], shape_of: Any, starts: Any, cells: Any,
                blob: Any, ends: Any, objects: list[Any], list_ends: Any, list_items: Any,
                type_names: list[str | None], type_of: Any) -> NodeRows:
        """The rows read back from their columns (see the class docstring); checked by
        the sealed cache entry they come in, and their sizes checked here.  The flat
        columns are any buffers (arrays, bytes, or views of the cache file they are read
        back in place from) and are read as views, never copied."""
        rows = cls.__new__(cls)
        dict.__init__(rows, zip(ids, range(len(ids)), strict=True))
        blob = memoryview(blob).cast("B")
        flat = [int_view(x, c) for x, c in ((shape_of, "i"), (starts, "q"), (cells, "q"), (ends, "q"),
                                            (list_ends, "q"), (list_items, "q"), (type_of, "i"))]
        if any(x is None for x in flat):
            msg = "damaged node columns"
            raise ValueError(msg)
        shape_of, starts, cells, ends, list_ends, list_items, type_of = flat
        if not (len(shape_of) == len(ids) and len(starts) == len(ids) + 1 and starts[-1] == len(cells)
                and list_ends[-1] == len(list_items) and ends[-1] == blob.nbytes and len(type_of) == len(ids)):
            msg = "damaged node columns"
            raise ValueError(msg)
        rows._cols = (shapes, shape_of, starts, cells, blob, ends, objects, list_ends, list_items)
        rows._types = (type_names, type_of)
        return rows

    def of_type(self, types: set[str] | frozenset[str] | None) -> list[str]:
        """The nodes whose ``type`` is one of ``types`` (every node: None), in order, read
        off the stored type column without making their dicts (a dict made already is
        read itself).  O(V)."""
        if types is None:
            return list(self)
        known = self._types
        if known is None:
            return [n for n, d in dict.items(self) if d.get("type") in types]
        names, type_of = known
        wanted = {i for i, t in enumerate(names) if t in types}
        return [n for n, d in dict.items(self)
                if (type_of[d] in wanted if type(d) is int else d.get("type") in types)]

    def _make(self, n: str, r: int) -> dict[str, Any]:
        shapes, shape_of, starts, cells = self._cols[:4]  # type: ignore[index]
        cell = self._cell
        out = {name: cell(code) for name, code in zip(shapes[shape_of[r]], cells[starts[r]:starts[r + 1]], strict=True)}
        dict.__setitem__(self, n, out)
        return out

    def _cell(self, code: int) -> Any:
        """The value one stored cell holds: text and lists of text made anew each time it
        is read, any other value the stored object itself.  O(its size)."""
        _s, _o, _t, _c, blob, ends, objects, list_ends, list_items = self._cols  # type: ignore[misc]
        kind, c = code & 3, code >> 2
        if kind == _STR:
            return str(blob[ends[c]:ends[c + 1]], "utf-8", "surrogatepass")
        if kind == _OBJ:
            return objects[c]
        if kind == _STRS:
            return [str(blob[ends[x]:ends[x + 1]], "utf-8", "surrogatepass")
                    for x in list_items[list_ends[c]:list_ends[c + 1]]]
        return _CONSTS[c]

    def attr(self, n: str, name: str, default: Any = None) -> Any:
        """One attribute of node ``n`` (``default`` when it has none), read off its cells
        without making its dict (a dict made already is read itself): what a label needs.
        Raises KeyError when there is no such node.  O(attributes of the node)."""
        d = dict.__getitem__(self, n)
        if type(d) is not int:
            return d.get(name, default)
        shapes, shape_of, starts, cells = self._cols[:4]  # type: ignore[index]
        shape = shapes[shape_of[d]]
        return self._cell(cells[starts[d] + shape.index(name)]) if name in shape else default

    def __getitem__(self, n: str) -> dict[str, Any]:
        d = dict.__getitem__(self, n)
        return self._make(n, d) if type(d) is int else d  # type: ignore[no-any-return]

    def get(self, n: Any, default: Any = None) -> Any:
        try:
            d = dict.get(self, n, _MISSING)
        except TypeError:  # an unhashable key is no node
            return default
        if d is _MISSING:
            return default
        return self._make(n, d) if type(d) is int else d

    def values(self) -> Any:
        return [self[n] for n in self]

    def items(self) -> Any:
        return [(n, self[n]) for n in self]

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """A plain dict of every node's attributes (all made).  O(V + cells)."""
        return {n: self[n] for n in self}

    def __eq__(self, other: object) -> bool:
        return self.as_dict() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.as_dict())

    def __reduce_ex__(self, protocol: Any) -> Any:
        # protocol 5 (the graph cache's): the flat columns out of band, read back in place
        cols = _columns(self.items())
        if isinstance(protocol, int) and protocol >= 5:
            cols = tuple(pickle.PickleBuffer(x) if isinstance(x, (array, bytes)) else x for x in cols)
        return (NodeRows._stored, cols)


def _columns(items: list[tuple[str, dict[str, Any]]]) -> tuple[Any, ...]:
    """The columns :meth:`NodeRows._stored` reads back.  O(V + cells)."""
    shapes: dict[tuple[str, ...], int] = {}
    type_names: dict[Any, int] = {}
    type_of = array("i")
    strings: dict[str, int] = {}
    parts: list[bytes] = []
    shape_of, starts, cells = array("i"), array("q", [0]), array("q")
    ends, list_ends, list_items = array("q", [0]), array("q", [0]), array("q")
    objects: list[Any] = []

    def text(x: str) -> int:
        c = strings.get(x)
        if c is None:
            c = strings[x] = len(parts)
            parts.append(x.encode("utf-8", "surrogatepass"))
            ends.append(ends[-1] + len(parts[-1]))
        return c

    for _n, d in items:
        shape_of.append(shapes.setdefault(tuple(d), len(shapes)))
        t = d.get("type")
        type_of.append(type_names.setdefault(t if isinstance(t, str) else None, len(type_names)))
        for v in d.values():
            if type(v) is str:
                cells.append(text(v) << 2 | _STR)
            elif type(v) is bool or v is None:
                cells.append(_CONSTS.index(v) << 2 | _CONST)
            elif type(v) is list and all(type(x) is str for x in v):
                list_items.extend([text(x) for x in v])
                cells.append((len(list_ends) - 1) << 2 | _STRS)
                list_ends.append(len(list_items))
            else:
                cells.append(len(objects) << 2 | _OBJ)
                objects.append(v)
        starts.append(len(cells))
    return ([n for n, _d in items], list(shapes), shape_of, starts, cells, b"".join(parts), ends, objects,
            list_ends, list_items, list(type_names), type_of)


def int_view(raw: Any, code: str) -> memoryview | None:
    """A stored flat buffer (an array, bytes, or the view the cache reads it back as, in
    place) as native integers of type ``code`` (a view, no copy), or None when its length
    does not divide.  O(1)."""
    flat = memoryview(raw).cast("B")
    return flat.cast(code) if flat.nbytes % struct.calcsize(code) == 0 else None  # type: ignore[call-overload]


def defer_edges(g: nx.MultiDiGraph) -> LazyGraph:
    """A stand-in sharing ``g``'s attributes and nodes, its adjacency pickled into one blob
    (for the graph cache).  ``g`` is left as it is.  Complexity: O(V + E) to pickle."""
    lazy = LazyGraph.__new__(LazyGraph)
    lazy.__dict__["graph"] = g.graph
    lazy.__dict__["_node"] = NodeRows(g._node)  # the same dicts; stored in columns
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
    if isinstance(node, NodeRows):  # networkx reads the dict directly: every node made
        node = node.as_dict()
    g.__class__ = nx.MultiDiGraph
    g.__dict__["__networkx_cache__"] = {}
    g._node = node  # networkx's own setters: its cached views reset
    g._adj = succ
    g._pred = pred
