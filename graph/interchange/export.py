"""Export: the graph as Turtle, JSON-LD, GraphML, GEXF or CSV, optionally as of a date.

The RDF formats write the source of truth (``kg.rdf``) and read back isomorphic
(``rdflib.compare.isomorphic``); JSON-LD carries its ``@context`` inline, so reading it
never fetches anything.  GraphML and GEXF write the networkx projection for Gephi and
other graph tools: every node keeps its label, type and attributes, every edge its type,
share, dates and sources; values those formats cannot hold are adapted (``None`` dropped,
lists and dicts as JSON strings, dates as ISO text).  CSV writes ``nodes.csv`` and
``edges.csv`` into a folder (for spreadsheets and Neo4j's ``LOAD CSV``).

``as_of`` keeps only the dependency edges (requirements, supplies and ownerships) in force
on that date, by the one date rule of :mod:`graph.core.dates` (within their validity, and
not planned); other links are kept.

Every file is written whole or not at all: to a temporary file in the same folder, then
renamed over the target (:func:`write_text`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef

from ..core.dates import edge_in_force
from ..core.errors import DataError, UsageError
from ..core.model import DEPENDENCY_TYPES, KnowledgeGraph
from ..core.vocab import CM, PREFIXES
from ..io.files import write_atomic

__all__ = [
    "FORMATS",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "write_text",
    "rdf_as_of",
    "to_turtle",
    "to_jsonld",
    "to_graphml",
    "to_gexf",
    "to_csv",
    "flat_graph",
    "export",
    "render_summary",
]

#: Export formats and what each writes.
FORMATS: dict[str, str] = {
    "ttl": "Turtle (RDF, lossless)",
    "jsonld": "JSON-LD with an inline @context (RDF, lossless)",
    "graphml": "GraphML (networkx projection; Gephi, yEd, Cytoscape)",
    "gexf": "GEXF (networkx projection; Gephi)",
    "csv": "a folder with nodes.csv and edges.csv",
}

NODE_COLUMNS = ("id", "label", "type", "aliases", "aggregate", "country", "iso", "description",
                "wikidata", "iri")
EDGE_COLUMNS = ("source", "target", "type", "share", "share_basis", "valid_from", "valid_to",
                "quantity", "stock", "planned", "note", "source_ids", "source_urls")

_QUALIFIED = (CM.requires, CM.suppliedBy, CM.ownedBy)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`graph.io.files.write_atomic`).

    Raises
    ------
    DataError
        The folder does not exist or cannot be written.
    """
    return write_atomic(path, text, DataError, "give -o another path")


def _valid(graph: Graph, q: Any, on: dt.date) -> bool:
    """The edge record of a qualified node, judged by the one date rule."""
    def value(pred: URIRef) -> Any:
        term = graph.value(q, pred)
        return term.toPython() if isinstance(term, Literal) else None

    start, end = value(CM.validFrom), value(CM.validTo)
    return edge_in_force({"valid_from": start if isinstance(start, dt.date) else None,
                          "valid_to": end if isinstance(end, dt.date) else None,
                          "planned": value(CM.planned) is True}, on)


def rdf_as_of(graph: Graph, on: dt.date | None) -> Graph:
    """A copy of ``graph`` without the dependency edges that are not valid on ``on``.

    An edge goes with every triple of its qualified node.  ``None`` returns ``graph``.
    Complexity: O(T) for T triples.
    """
    if on is None:
        return graph
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True)
    dropped: set[Any] = set()
    for pred in _QUALIFIED:
        for _s, q in graph.subject_objects(pred):
            if isinstance(q, BNode) and not _valid(graph, q, on):
                dropped.add(q)
    for s, p, o in graph:
        if s in dropped or (p in _QUALIFIED and o in dropped):
            continue
        out.add((s, p, o))
    return out


def _bound(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def to_turtle(kg: KnowledgeGraph, as_of: dt.date | None = None) -> str:
    """The graph as Turtle.  Complexity: O(T log T) (rdflib sorts subjects)."""
    return _bound(rdf_as_of(kg.rdf, as_of)).serialize(format="turtle")


def _compact_iri(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _compact(obj: Any) -> Any:
    """Shorten IRIs in keys, ``@id`` and ``@type`` to prefixed names (values untouched)."""
    if isinstance(obj, list):
        return [_compact(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "@id":
            out[key] = _compact_iri(value)
        elif key == "@type":
            out[key] = [_compact_iri(v) for v in value] if isinstance(value, list) else _compact_iri(value)
        elif key.startswith("@"):
            out[key] = _compact(value)
        else:
            out[_compact_iri(key)] = _compact(value)
    return out


def to_jsonld(kg: KnowledgeGraph, as_of: dt.date | None = None) -> str:
    """The graph as JSON-LD with chokemap's prefixes as an inline ``@context``.

    rdflib's own compaction drops an empty-string value that sits beside other values
    of the same property (rdflib 7.6), so this writes rdflib's expanded form, which is
    lossless, and shortens the IRIs of keys, ``@id`` and ``@type`` with the prefixes.
    Complexity: O(T).
    """
    graph = rdf_as_of(kg.rdf, as_of)
    expanded = json.loads(graph.serialize(format="json-ld"))
    doc = {"@context": dict(PREFIXES), "@graph": _compact(expanded)}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _flat(value: Any) -> Any:
    """A value GraphML and GEXF can hold: str, int, float or bool (None means drop it)."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | dict | set):
        if not value:
            return None
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def _edge_valid(d: dict[str, Any], on: dt.date | None) -> bool:
    return on is None or d.get("type") not in DEPENDENCY_TYPES or edge_in_force(d, on)


def flat_graph(kg: KnowledgeGraph, as_of: dt.date | None = None) -> nx.MultiDiGraph:
    """The projection with attributes GraphML and GEXF accept, edges filtered by ``as_of``.

    Nodes and edges keep every attribute (lists and dicts as JSON text); edges also get
    ``source_urls`` (space-separated) so the sources read in Gephi's data table; the
    ``rdf`` blank-node id is dropped (it means nothing outside this load).
    Complexity: O(V + E).
    """
    out = nx.MultiDiGraph()
    for n, d in kg.g.nodes(data=True):
        attrs = {k: _flat(v) for k, v in d.items()}
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs.setdefault("label", n)
        out.add_node(n, **attrs)
    for i, (u, v, d) in enumerate(kg.g.edges(data=True)):
        if not _edge_valid(d, as_of):
            continue
        attrs = {k: _flat(val) for k, val in d.items() if k != "rdf"}
        urls = [s.get("url") for s in d.get("sources", []) if s.get("url")]
        if urls:
            attrs["source_urls"] = " ".join(urls)
        attrs = {k: val for k, val in attrs.items() if val is not None}
        out.add_edge(u, v, key=f"e{i}", **attrs)
    return out


def to_graphml(kg: KnowledgeGraph, as_of: dt.date | None = None) -> str:
    """GraphML text of :func:`flat_graph`.  Complexity: O(V + E)."""
    return "\n".join(nx.generate_graphml(flat_graph(kg, as_of), encoding="utf-8", prettyprint=True)) + "\n"


def to_gexf(kg: KnowledgeGraph, as_of: dt.date | None = None) -> str:
    """GEXF text of :func:`flat_graph`.

    GEXF reserves an edge's ``type`` for directed/undirected, so the edge type is written
    as ``relation`` and as the edge's ``label`` (what Gephi shows).  Complexity: O(V + E).
    """
    flat = flat_graph(kg, as_of)
    for _u, _v, d in flat.edges(data=True):
        d["relation"] = d["label"] = d.pop("type")
    return "\n".join(nx.generate_gexf(flat, encoding="utf-8", prettyprint=True)) + "\n"


def _csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    return value


def to_csv(kg: KnowledgeGraph, as_of: dt.date | None = None) -> tuple[str, str]:
    """``(nodes.csv, edges.csv)`` texts: one row per node, one per edge, with a header.

    Lists (aliases, source ids, source URLs) are joined with `` | ``.  Complexity: O(V + E).
    """
    nodes = []
    for n, d in sorted(kg.g.nodes(data=True)):
        row = {c: _cell(d.get(c)) for c in NODE_COLUMNS}
        row.update(id=n, label=d.get("label") or n, type=d.get("type") or "",
                   aliases=_cell(d.get("aliases")), aggregate=str(bool(d.get("aggregate"))).lower())
        nodes.append(row)
    edges = []
    for u, v, d in kg.g.edges(data=True):
        if not _edge_valid(d, as_of):
            continue
        row = {c: _cell(d.get(c)) for c in EDGE_COLUMNS}
        srcs = d.get("sources", [])
        row.update(source=u, target=v, source_ids=_cell([s["id"] for s in srcs]),
                   source_urls=_cell([s["url"] for s in srcs if s.get("url")]))
        for flag in ("stock", "planned"):
            row[flag] = str(bool(d.get(flag))).lower() if d.get("type") in DEPENDENCY_TYPES else ""
        edges.append(row)
    edges.sort(key=lambda r: (r["type"], r["source"], r["target"], str(r["valid_from"])))
    return _csv_text(NODE_COLUMNS, nodes), _csv_text(EDGE_COLUMNS, edges)


_WRITERS: dict[str, Callable[[KnowledgeGraph, dt.date | None], str]] = {
    "ttl": to_turtle,
    "jsonld": to_jsonld,
    "graphml": to_graphml,
    "gexf": to_gexf,
}


def _csv_folder(target: Path) -> None:
    """Make sure ``target`` is a folder to write nodes.csv and edges.csv into (created if missing)."""
    try:
        if target.exists() and not target.is_dir():
            msg = f"{target} is a file; csv is written as a folder: give one (it gets nodes.csv and edges.csv)"
            raise UsageError(msg)
        if not target.exists():
            if not target.parent.is_dir():
                msg = f"{target}: folder {target.parent} does not exist; create it first"
                raise DataError(msg)
            target.mkdir()
    except OSError as exc:
        msg = f"cannot create the folder {target}: {exc.strerror}; give -o another path"
        raise DataError(msg) from None


def export(kg: KnowledgeGraph, fmt: str, path: str | Path, as_of: dt.date | None = None) -> dict[str, Any]:
    """Write the graph in ``fmt`` to ``path`` (a file; for ``csv``, a folder).

    Returns a summary: format, files written, nodes, edges (after ``as_of``), triples.

    Raises
    ------
    UsageError
        An unknown format, or a csv path that is an existing file.
    DataError
        The target folder does not exist or cannot be written.

    Complexity: linear in the graph (plus rdflib's sort for Turtle).
    """
    target = Path(path)
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}"
        raise UsageError(msg)
    edges = sum(1 for _u, _v, d in kg.g.edges(data=True) if _edge_valid(d, as_of))
    summary: dict[str, Any] = {"format": fmt, "as_of": as_of.isoformat() if as_of else None,
                               "nodes": kg.g.number_of_nodes(), "edges": edges}
    if fmt == "csv":
        _csv_folder(target)
        nodes, edge_text = to_csv(kg, as_of)
        files = [write_text(target / "nodes.csv", nodes), write_text(target / "edges.csv", edge_text)]
    else:
        if target.is_dir():
            msg = f"{target} is a folder; give a file name for {fmt}"
            raise UsageError(msg)
        text = _WRITERS[fmt](kg, as_of)
        files = [write_text(target, text)]
        if fmt in ("ttl", "jsonld"):
            summary["triples"] = len(rdf_as_of(kg.rdf, as_of))
    summary["files"] = [str(f) for f in files]
    return summary


def render_summary(summary: dict[str, Any]) -> str:
    """The text ``chokemap export`` prints."""
    s = summary
    when = f" valid on {s['as_of']}" if s.get("as_of") else ""
    triples = f", {s['triples']} triples" if "triples" in s else ""
    return (f"wrote {', '.join(s['files'])} ({s['format']}): {s['nodes']} nodes, "
            f"{s['edges']} edges{when}{triples}")
