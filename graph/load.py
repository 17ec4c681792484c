"""Loading: RDF files -> rdflib graph -> networkx projection.

This is the only module that reads ``data/``.  :func:`load` parses Turtle (and the other
RDF syntaxes rdflib reads) into one :class:`rdflib.Graph`, then :func:`project` turns it
into a :class:`networkx.MultiDiGraph` where

* every entity is a node keyed by its short id (the local name of a ``cmi:`` IRI, or the
  full IRI otherwise) with ``label``, ``type``, ``aliases`` and its attributes;
* every edge points *downstream*, along the flow of goods and authority: a requirement
  from the input to the item that needs it (``type="requires"``), a supply from the
  supplier to the item (``type="supplies"``), a policy to what it covers, and so on;
* every dependency edge keeps its ``share``, ``valid_from``, ``valid_to``, ``sources``
  (dicts with ``id``, ``url``, ``title``, ``publisher``, ``date``, ``secondary``) and the
  RDF node it came from (``rdf``), as rdflib's own networkx bridge keeps ``triples``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .errors import DataError
from .vocab import CM, CMI, ENTITY_CLASSES, PREFIXES

__all__ = [
    "DEFAULT_DATA",
    "RDF_SUFFIXES",
    "DEPENDENCY_TYPES",
    "KnowledgeGraph",
    "load",
    "parse_files",
    "project",
    "resolve_paths",
    "short_id",
]

#: The bundled graph: ``data/`` next to the ``graph/`` package.
DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"

#: File suffixes read as RDF, and the rdflib parser for each.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}

#: Edge types that are dependencies (they need sources and carry shares and dates).
DEPENDENCY_TYPES = frozenset({"requires", "supplies", "owns"})

_CLASS_NAMES = {c: c.split("#")[-1] for c in ENTITY_CLASSES}

# (predicate, edge type, reverse?) for plain links between entities.  ``reverse`` means the
# edge runs from the object to the subject, so that it points downstream.
_LINKS: tuple[tuple[URIRef, str, bool], ...] = (
    (CM.locatedIn, "located_in", False),
    (CM.operatedBy, "operated_by", False),
    (CM.designedBy, "designed_by", False),
    (CM.kindOf, "kind_of", False),
    (CM.governs, "governs", False),
    (CM.partOf, "part_of", False),
    (CM.subjectTo, "subject_to", False),
    (CM.issuer, "issued_by", False),
    (CM.covers, "covers", False),
    (CM.coversSupplier, "covers_supplier", False),
    (CM.destination, "destination", False),
    (CM.listedParty, "listed_party", False),
    (CM.relaxes, "relaxes", False),
    (CM.suspends, "suspends", False),
    (CM.about, "about", False),
)


def short_id(term: object) -> str:
    """Return the short id of an IRI: its local name in ``cmi:``, else the whole IRI.

    >>> short_id(URIRef("https://chokemap.org/id/asml"))
    'asml'
    >>> short_id("http://example.org/x")
    'http://example.org/x'
    """
    text = str(term)
    base = str(CMI)
    return text[len(base) :] if text.startswith(base) else text


@dataclass
class KnowledgeGraph:
    """The loaded graph: the RDF source of truth and its networkx projection.

    Attributes
    ----------
    rdf : rdflib.Graph
        Every triple read.
    g : networkx.MultiDiGraph
        The projection described in the module docstring.
    sources : dict
        Source id -> dict with ``id``, ``url``, ``title``, ``publisher``, ``date``,
        ``secondary``.
    files : list of Path
        The files read, in order.
    """

    rdf: Graph
    g: nx.MultiDiGraph
    sources: dict[str, dict[str, Any]]
    files: list[Path] = field(default_factory=list)

    def node(self, node_id: str) -> dict[str, Any]:
        """Return the attribute dict of one node (raises KeyError if absent)."""
        return self.g.nodes[node_id]  # type: ignore[no-any-return]

    def label(self, node_id: str) -> str:
        """Return a node's label, or its id when it has none."""
        data = self.g.nodes.get(node_id)
        return str(data.get("label") or node_id) if data else node_id

    def of_type(self, *types: str) -> list[str]:
        """Return the ids of the nodes of the given classes (all nodes when none given)."""
        wanted = set(types)
        return [n for n, d in self.g.nodes(data=True) if not wanted or d.get("type") in wanted]


def resolve_paths(paths: Sequence[str | Path] | None) -> list[Path]:
    """Expand ``--data`` arguments (files or folders) into a sorted list of RDF files.

    Raises
    ------
    DataError
        A path does not exist, or a folder holds no RDF file.
    """
    if not paths:
        paths = [DEFAULT_DATA]
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            msg = f"{path}: no such file or folder (give --data a Turtle file or a folder of them)"
            raise DataError(msg)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in RDF_SUFFIXES)
            if not found:
                kinds = ", ".join(f"*{s}" for s in RDF_SUFFIXES)
                msg = f"{path}: folder holds no RDF file ({kinds})"
                raise DataError(msg)
            files.extend(found)
        else:
            files.append(path)
    return files


_LINE_RE = re.compile(r"line (\d+)")

# rdflib logs a traceback for every ill-typed literal; chokemap reports them itself.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

# When set, ill-typed values become None instead of raising (validate reports them).
_LENIENT: ContextVar[bool] = ContextVar("lenient", default=False)


def _parse_one(graph: Graph, path: Path) -> None:
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(RDF_SUFFIXES)
        msg = f"{path}: unknown file type {path.suffix!r} (chokemap reads {kinds})"
        raise DataError(msg)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise DataError(msg) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many types for bad syntax
        detail = " ".join(str(exc).split())
        match = _LINE_RE.search(detail)
        where = f"{path}:{match.group(1)}" if match else str(path)
        detail = re.sub(r"^at line \d+ of <[^>]*>:\s*", "", detail)
        detail = re.sub(r"\s*at \^ in:.*$", "", detail)
        if len(detail) > 160:
            detail = detail[:157] + "..."
        msg = f"{where}: cannot parse {fmt}: {detail}"
        raise DataError(msg) from None


def parse_files(files: Iterable[Path]) -> Graph:
    """Parse RDF files into one rdflib graph, with chokemap's prefixes bound.

    Complexity: linear in the size of the files (rdflib parses ~30,000 triples/s).

    Raises
    ------
    DataError
        A file is not UTF-8 or has a syntax error (the message names file and line).
    """
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for path in files:
        _parse_one(graph, path)
    return graph


def load(paths: Sequence[str | Path] | None = None, lenient: bool = False) -> KnowledgeGraph:
    """Load the bundled graph, or the files and folders given, into a KnowledgeGraph.

    Parameters
    ----------
    paths : sequence of str or Path, optional
        Files or folders (``--data``); the bundled ``data/`` when empty.
    lenient : bool
        Turn ill-typed values (a date like 2025-02-30) into None instead of raising,
        so that ``validate`` can report every problem at once.

    Raises
    ------
    DataError
        Missing paths, empty folders, bad encoding, bad syntax, ill-typed values.
    """
    files = resolve_paths(paths)
    rdf = parse_files(files)
    token = _LENIENT.set(lenient)
    try:
        kg = project(rdf)
    finally:
        _LENIENT.reset(token)
    kg.files = files
    return kg


# --------------------------------------------------------------------------- projection


def _py(value: Any, what: str, where: str) -> Any:
    """Convert a literal to Python, refusing ill-typed dates and numbers."""
    if not isinstance(value, Literal):
        return short_id(value)
    py = value.toPython()
    if value.datatype is not None and py is value:
        if _LENIENT.get():
            return None
        msg = f"{where}: {what} {str(value)!r} is not a valid {short_id(value.datatype).split('#')[-1]}"
        raise DataError(msg)
    if isinstance(py, Decimal):
        return float(py)
    if isinstance(py, dt.datetime):
        return py.date()
    return py


def _date(value: Any, what: str, where: str) -> dt.date | None:
    if value is None:
        return None
    py = _py(value, what, where)
    if isinstance(py, dt.date):
        return py
    if py is None:
        return None
    try:
        return dt.date.fromisoformat(str(py))
    except ValueError:
        if _LENIENT.get():
            return None
        msg = f"{where}: {what} {str(py)!r} is not a date (write YYYY-MM-DD as xsd:date)"
        raise DataError(msg) from None


def _number(value: Any, what: str, where: str) -> float | None:
    if value is None:
        return None
    py = _py(value, what, where)
    if py is None:
        return None
    try:
        return float(py)
    except (TypeError, ValueError):
        if _LENIENT.get():
            return None
        msg = f"{where}: {what} {str(py)!r} is not a number"
        raise DataError(msg) from None


def _bool(value: Any) -> bool:
    return bool(value is not None and value.toPython() is True)


def _texts(graph: Graph, subject: Any, pred: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, pred))


def _one(graph: Graph, subject: Any, pred: URIRef) -> Any:
    return next(iter(graph.objects(subject, pred)), None)


def _source_info(graph: Graph, src: Any) -> dict[str, Any]:
    sid = short_id(src)
    where = f"source {sid}"
    return {
        "id": sid,
        "url": str(_one(graph, src, CM.url) or ""),
        "title": str(_one(graph, src, RDFS.label) or ""),
        "publisher": str(_one(graph, src, CM.publisher) or ""),
        "date": _date(_one(graph, src, CM.date), "cm:date", where),
        "secondary": _bool(_one(graph, src, CM.secondary)),
    }


def project(rdf: Graph) -> KnowledgeGraph:
    """Project an rdflib graph onto a networkx MultiDiGraph (see the module docstring).

    Complexity: O(T) for T triples, with dict lookups per triple.

    Examples
    --------
    >>> from rdflib import Graph
    >>> ttl = '''@prefix cm: <https://chokemap.org/ns#> . @prefix cmi: <https://chokemap.org/id/> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... cmi:s a cm:Source ; rdfs:label "S" ; cm:url "https://e.org" .
    ... cmi:asml a cm:Firm ; rdfs:label "ASML" .
    ... cmi:euv a cm:Tool ; rdfs:label "EUV scanner" ;
    ...     cm:suppliedBy [ cm:supplier cmi:asml ; cm:share 1.0 ; cm:source cmi:s ] .'''
    >>> kg = project(Graph().parse(data=ttl, format="turtle"))
    >>> [(u, v, d["type"], d["share"]) for u, v, d in kg.g.edges(data=True)]
    [('asml', 'euv', 'supplies', 1.0)]
    """
    g = nx.MultiDiGraph()
    sources: dict[str, dict[str, Any]] = {}
    for src in rdf.subjects(RDF.type, CM.Source):
        info = _source_info(rdf, src)
        sources[info["id"]] = info

    def src_list(subject: Any) -> list[dict[str, Any]]:
        out = []
        for src in sorted(rdf.objects(subject, CM.source), key=str):
            sid = short_id(src)
            out.append(sources.get(sid) or {"id": sid, "url": "", "title": "", "publisher": "",
                                             "date": None, "secondary": False})
        return out

    # --- nodes
    for cls, cname in _CLASS_NAMES.items():
        for subj in rdf.subjects(RDF.type, cls):
            if isinstance(subj, BNode):
                continue
            nid = short_id(subj)
            where = f"{cname} {nid}"
            data: dict[str, Any] = {
                "iri": str(subj),
                "type": cname,
                "label": str(_one(rdf, subj, RDFS.label) or nid),
                "aliases": _texts(rdf, subj, CM.alias),
                "aggregate": _bool(_one(rdf, subj, CM.aggregate)),
            }
            for key, pred in (("description", CM.description), ("wikidata", CM.wikidata),
                              ("iso", CM.isoCode)):
                val = _one(rdf, subj, pred)
                if val is not None:
                    data[key] = str(val)
            if cls == CM.Policy:
                kind = _one(rdf, subj, CM.kind)
                scope = _one(rdf, subj, CM.scope)
                data.update(
                    kind=short_id(kind).split("#")[-1] if kind is not None else None,
                    scope=short_id(scope).split("#")[-1] if scope is not None else None,
                    covers_all=_bool(_one(rdf, subj, CM.coversAll)),
                    effective_from=_date(_one(rdf, subj, CM.effectiveFrom), "cm:effectiveFrom", where),
                    effective_to=_date(_one(rdf, subj, CM.effectiveTo), "cm:effectiveTo", where),
                    announced=_date(_one(rdf, subj, CM.announced), "cm:announced", where),
                    conditions=_texts(rdf, subj, CM.condition),
                    sources=src_list(subj),
                )
            if cls == CM.Claim:
                status = _one(rdf, subj, CM.status)
                data.update(
                    statement=_texts(rdf, subj, CM.statement),
                    status=short_id(status).split("#")[-1] if status is not None else None,
                    claimed_by=[sources.get(short_id(s), {"id": short_id(s)})
                                for s in rdf.objects(subj, CM.claimedBy)],
                    sources=src_list(subj),
                    note=str(_one(rdf, subj, CM.note) or "") or None,
                )
            specs = []
            for spec in rdf.objects(subj, CM.spec):
                swhere = f"{where} spec"
                unit = _one(rdf, spec, CM.unit)
                specs.append({
                    "property": str(_one(rdf, spec, CM.property) or ""),
                    "value": _py(_one(rdf, spec, CM.value), "cm:value", swhere)
                    if _one(rdf, spec, CM.value) is not None else None,
                    "unit": str(unit) if unit is not None else None,
                    "as_of": _date(_one(rdf, spec, CM.asOf), "cm:asOf", swhere),
                    "note": str(_one(rdf, spec, CM.note) or "") or None,
                    "sources": src_list(spec),
                })
            if specs:
                data["specs"] = sorted(specs, key=lambda s: (s["property"], str(s["value"])))
            if g.has_node(nid) and g.nodes[nid].get("type") != cname:
                data["types"] = sorted({g.nodes[nid]["type"], cname})
            g.add_node(nid, **data)

    # --- qualified dependency edges
    def add_dep(holder: Any, pred: URIRef, role: URIRef, etype: str) -> None:
        for qnode in rdf.objects(holder, pred):
            other = _one(rdf, qnode, role)
            if other is None:
                continue  # reported by validate (shapes): skip here
            target, upstream = short_id(holder), short_id(other)
            where = f"{etype} edge {upstream} -> {target}"
            attrs = {
                "type": etype,
                "share": _number(_one(rdf, qnode, CM.share), "cm:share", where),
                "share_basis": str(_one(rdf, qnode, CM.shareBasis) or "") or None,
                "quantity": _number(_one(rdf, qnode, CM.quantity), "cm:quantity", where),
                "valid_from": _date(_one(rdf, qnode, CM.validFrom), "cm:validFrom", where),
                "valid_to": _date(_one(rdf, qnode, CM.validTo), "cm:validTo", where),
                "stock": _bool(_one(rdf, qnode, CM.stock)),
                "planned": _bool(_one(rdf, qnode, CM.planned)),
                "note": str(_one(rdf, qnode, CM.note) or "") or None,
                "sources": src_list(qnode),
                "rdf": str(qnode),
            }
            for n in (upstream, target):
                if not g.has_node(n):
                    g.add_node(n, type=None, label=n, aliases=[], aggregate=False, missing=True)
            g.add_edge(upstream, target, **attrs)

    for holder in set(rdf.subjects(CM.requires, None)):
        add_dep(holder, CM.requires, CM.input, "requires")
    for holder in set(rdf.subjects(CM.suppliedBy, None)):
        add_dep(holder, CM.suppliedBy, CM.supplier, "supplies")
    for holder in set(rdf.subjects(CM.ownedBy, None)):
        add_dep(holder, CM.ownedBy, CM.owner, "owns")

    # --- plain links
    for pred, etype, _rev in _LINKS:
        for subj, obj in rdf.subject_objects(pred):
            if isinstance(subj, BNode) or isinstance(obj, (BNode, Literal)):
                continue
            u, v = short_id(subj), short_id(obj)
            for n in (u, v):
                if not g.has_node(n):
                    g.add_node(n, type=None, label=n, aliases=[], aggregate=False, missing=True)
            g.add_edge(u, v, type=etype)

    _derive(g)
    return KnowledgeGraph(rdf=rdf, g=g, sources=sources)


def _derive(g: nx.MultiDiGraph) -> None:
    """Store convenient derived attributes: a firm's country, a facility's operator."""
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for u, v, d in g.edges(data=True):
        if d["type"] in ("located_in", "operated_by", "issued_by", "governs", "part_of"):
            links[u][d["type"]].append(v)
    for n, data in g.nodes(data=True):
        own = links.get(n, {})
        if own.get("located_in"):
            data["country"] = sorted(own["located_in"])[0]
        if own.get("operated_by"):
            data["operator"] = sorted(own["operated_by"])[0]
        if own.get("issued_by"):
            data["issuer"] = sorted(own["issued_by"])[0]
    for n, data in g.nodes(data=True):
        if data.get("type") == "Facility" and "country" not in data and data.get("operator"):
            op = g.nodes.get(data["operator"], {})
            if op.get("country"):
                data["country"] = op["country"]
        if data.get("type") == "Government":
            data["governs"] = _government_country(n, links)


def _government_country(gov: str, links: dict[str, dict[str, list[str]]]) -> str | None:
    seen: set[str] = set()
    while gov not in seen:
        seen.add(gov)
        own = links.get(gov, {})
        if own.get("governs"):
            return sorted(own["governs"])[0]
        if not own.get("part_of"):
            return None
        gov = sorted(own["part_of"])[0]
    return None
