"""Loading: RDF files -> triples -> networkx projection, cached.

This is the only module that reads ``data/``.  :func:`load` parses the files into a plain
triple index (:mod:`graph.io.triples`: pyoxigraph for Turtle, rdflib for the rest), then
:func:`project` turns it into a :class:`networkx.MultiDiGraph`, and the result is cached
by the files' content (:mod:`graph.io.cache`).  In the projection

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
from collections import defaultdict
from collections.abc import Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from ..core.errors import DataError
from ..core.model import KnowledgeGraph, short_id
from ..core.progress import report
from ..core.vocab import CM, ENTITY_CLASSES, PREFIXES
from .inputs import DEFAULT_DATA, RDF_SUFFIXES, resolve_paths
from .triples import Lit, Term, TripleIndex, add_rdflib, parse_file, read_text

__all__ = [
    "DEFAULT_DATA",
    "RDF_SUFFIXES",
    "load",
    "parse_files",
    "project",
    "read_index",
    "resolve_paths",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_CLASS_NAMES = {str(c): str(c).split("#")[-1] for c in ENTITY_CLASSES}

# (predicate, edge type) for plain links between entities; the edge runs subject -> object.
_LINKS: tuple[tuple[str, str], ...] = tuple((str(p), t) for p, t in (
    (CM.locatedIn, "located_in"),
    (CM.operatedBy, "operated_by"),
    (CM.designedBy, "designed_by"),
    (CM.kindOf, "kind_of"),
    (CM.governs, "governs"),
    (CM.partOf, "part_of"),
    (CM.exportControlAuthority, "export_authority"),
    (CM.subjectTo, "subject_to"),
    (CM.issuer, "issued_by"),
    (CM.covers, "covers"),
    (CM.coversSupplier, "covers_supplier"),
    (CM.destination, "destination"),
    (CM.listedParty, "listed_party"),
    (CM.relaxes, "relaxes"),
    (CM.suspends, "suspends"),
    (CM.about, "about"),
))

# (predicate of the holder, predicate naming the other end, edge type) for qualified edges.
_QUALIFIED: tuple[tuple[str, str, str], ...] = (
    (str(CM.requires), str(CM.input), "requires"),
    (str(CM.suppliedBy), str(CM.supplier), "supplies"),
    (str(CM.ownedBy), str(CM.owner), "owns"),
)

# rdflib logs a traceback for every ill-typed literal; chokemap reports them itself.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

# When set, ill-typed values become None instead of raising (validate reports them).
_LENIENT: ContextVar[bool] = ContextVar("lenient", default=False)


def parse_files(files: Sequence[Path]) -> Graph:
    """Parse RDF files into one rdflib graph, with chokemap's prefixes bound.

    Used where rdflib itself is needed (SHACL, SPARQL, export).  Complexity: linear in
    the size of the files, at rdflib's ~30,000 triples/s.

    Raises
    ------
    DataError
        A file is not UTF-8 or has a syntax error (the message names file and line).
    """
    from .triples import _syntax_error

    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for path in files:
        fmt = RDF_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            msg = f"{path}: unknown file type {path.suffix!r} (chokemap reads {', '.join(RDF_SUFFIXES)})"
            raise DataError(msg)
        try:
            graph.parse(data=read_text(path), format=fmt, publicID=path.resolve().as_uri())
        except DataError:
            raise
        except Exception as exc:  # rdflib raises many types for bad syntax
            raise _syntax_error(path, fmt, exc) from None
    return graph


def read_index(files: Sequence[Path]) -> TripleIndex:
    """Parse files into a :class:`TripleIndex` (pyoxigraph for Turtle and N-Triples).

    Complexity: O(T); about half a million triples a second for Turtle.
    """
    index = TripleIndex(pairs=[p for p, _t in _LINKS] + [q for q, _r, _t in _QUALIFIED])
    for i, path in enumerate(files):
        parse_file(index, path, f"f{i}_")
    return index


def load(
    paths: Sequence[str | Path] | None = None, lenient: bool = False, cache: bool = False
) -> KnowledgeGraph:
    """Load the bundled graph, or the files and folders given, into a KnowledgeGraph.

    Parameters
    ----------
    paths : sequence of str or Path, optional
        Files or folders (``--data``); the bundled ``data/`` when empty.
    lenient : bool
        Turn ill-typed values (a date like 2025-02-30) into None instead of raising,
        so that ``validate`` can report every problem at once.  Never cached.
    cache : bool
        Reuse the compiled graph from the user's cache folder when the files' contents
        are unchanged (see :mod:`graph.io.cache`), and store it after a fresh load.  Off
        by default: a library call writes nothing to disk unless asked; the command line
        (:class:`graph.session.Session`) turns it on.

    Raises
    ------
    DataError
        Missing paths, empty folders, bad encoding, bad syntax, ill-typed values.
    """
    from . import cache as cache_mod

    files = resolve_paths(paths)
    key = cache_mod.key_for(files) if cache and not lenient else None
    if key is not None:
        hit = cache_mod.get(key)
        if hit is not None:
            hit.files = files
            hit.read_rdf_with(lambda: parse_files(files))
            return hit
    index = read_index(files)
    report(f"building the graph from {index.count:,} triples", 0)
    token = _LENIENT.set(lenient)
    try:
        kg = project(index, consume=True)
    finally:
        _LENIENT.reset(token)
    del index
    kg.files = files
    kg.read_rdf_with(lambda: parse_files(files))
    if key is not None:
        cache_mod.put(key, kg)
    return kg


# --------------------------------------------------------------------------- values


def _fail(where: str, what: str, value: str, kind: str) -> None:
    if not _LENIENT.get():
        msg = f"{where}: {what} {value!r} is not a valid {kind}"
        raise DataError(msg)


def _py(value: Term | None, what: str, where: str) -> Any:
    """Convert a term to Python: IRIs to short ids, literals by their datatype."""
    if value is None:
        return None
    if not isinstance(value, Lit):
        return short_id(value)
    dtype = value.datatype
    if dtype is None or not dtype.startswith(_XSD):
        return value.value
    kind = dtype[len(_XSD):]
    text = value.value.strip()
    try:
        if kind in ("decimal", "double", "float"):
            return float(text)
        if kind in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(text)
        if kind == "boolean":
            if text in ("true", "1"):
                return True
            if text in ("false", "0"):
                return False
            raise ValueError(text)
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "dateTime":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        _fail(where, what, value.value, kind)
        return None
    return value.value


def _date(value: Term | None, what: str, where: str) -> dt.date | None:
    py = _py(value, what, where)
    if py is None or isinstance(py, dt.date):
        return py
    try:
        return dt.date.fromisoformat(str(py))
    except ValueError:
        if _LENIENT.get():
            return None
        msg = f"{where}: {what} {str(py)!r} is not a date (write YYYY-MM-DD as xsd:date)"
        raise DataError(msg) from None


def _number(value: Term | None, what: str, where: str) -> float | None:
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


def _bool(value: Term | None) -> bool:
    return isinstance(value, Lit) and value.value.strip() in ("true", "1")


def _text(value: Term | None) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------- projection


def _index_from_rdflib(rdf: Graph) -> TripleIndex:
    index = TripleIndex(pairs=[p for p, _t in _LINKS] + [q for q, _r, _t in _QUALIFIED])
    add_rdflib(index, rdf)
    return index


def project(source: TripleIndex | Graph, consume: bool = False) -> KnowledgeGraph:
    """Project triples onto a networkx MultiDiGraph (see the module docstring).

    With ``consume``, the triples of each qualified edge node are dropped from the index
    once its edge is built (the index is then spent): on a large graph those are most of
    the triples, so the index and the graph are never both whole in memory.

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
    rdf = source if isinstance(source, Graph) else None
    ix = _index_from_rdflib(source) if isinstance(source, Graph) else source
    one, objects = ix.one, ix.objects
    g = nx.MultiDiGraph()
    P = {name: str(getattr(CM, name)) for name in (
        "url", "publisher", "date", "secondary", "source", "alias", "aggregate", "description",
        "wikidata", "isoCode", "kind", "scope", "coversAll", "effectiveFrom", "effectiveTo",
        "announced", "condition", "statement", "status", "claimedBy", "note", "spec", "property",
        "value", "unit", "asOf", "share", "shareBasis", "quantity", "validFrom", "validTo", "stock",
        "planned")}

    sources: dict[str, dict[str, Any]] = {}
    for src in ix.subjects_of_type(str(CM.Source)):
        sid = short_id(src)
        sources[sid] = {
            "id": sid,
            "url": _text(one(src, P["url"])) or "",
            "title": _text(one(src, _LABEL)) or "",
            "publisher": _text(one(src, P["publisher"])) or "",
            "date": _date(one(src, P["date"]), "cm:date", f"source {sid}"),
            "secondary": _bool(one(src, P["secondary"])),
        }

    lists: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def src_list(subject: str, preds: dict[str, list[Term]] | None = None) -> list[dict[str, Any]]:
        # Most edges of a big graph cite the same one or two sources: share one list
        # per combination (less memory, a smaller cache, a faster projection).
        cited = objects(subject, P["source"]) if preds is None else preds.get(P["source"], ())
        key = tuple(sorted(str(s) for s in cited))
        hit = lists.get(key)
        if hit is None:
            hit = lists[key] = []
            for src in key:
                sid = short_id(src)
                hit.append(sources.get(sid) or {"id": sid, "url": "", "title": "", "publisher": "",
                                                 "date": None, "secondary": False})
        return hit

    def texts(subject: str, pred: str) -> list[str]:
        return sorted(str(o) for o in objects(subject, pred))

    def local(term: Term | None) -> str | None:
        return None if term is None else str(term).split("#")[-1]

    def ensure(n: str) -> None:
        if n not in g:
            g.add_node(n, type=None, label=n, aliases=[], aggregate=False, missing=True)

    # --- nodes
    for cls, cname in _CLASS_NAMES.items():
        for subj in ix.subjects_of_type(cls):
            if subj.startswith("_:"):
                continue
            nid = short_id(subj)
            where = f"{cname} {nid}"
            data: dict[str, Any] = {
                "iri": subj,
                "type": cname,
                "label": _text(one(subj, _LABEL)) or nid,
                "aliases": texts(subj, P["alias"]),
                "aggregate": _bool(one(subj, P["aggregate"])),
            }
            for key, pred in (("description", "description"), ("wikidata", "wikidata"), ("iso", "isoCode")):
                val = one(subj, P[pred])
                if val is not None:
                    data[key] = str(val)
            if cname == "Policy":
                data.update(
                    kind=local(one(subj, P["kind"])),
                    scope=local(one(subj, P["scope"])),
                    covers_all=_bool(one(subj, P["coversAll"])),
                    effective_from=_date(one(subj, P["effectiveFrom"]), "cm:effectiveFrom", where),
                    effective_to=_date(one(subj, P["effectiveTo"]), "cm:effectiveTo", where),
                    announced=_date(one(subj, P["announced"]), "cm:announced", where),
                    conditions=texts(subj, P["condition"]),
                    sources=src_list(subj),
                )
            elif cname == "Claim":
                data.update(
                    statement=texts(subj, P["statement"]),
                    status=local(one(subj, P["status"])),
                    claimed_by=[sources.get(short_id(s), {"id": short_id(s)})
                                for s in objects(subj, P["claimedBy"])],
                    sources=src_list(subj),
                    note=_text(one(subj, P["note"])) or None,
                )
            specs = []
            for spec in objects(subj, P["spec"]):
                spec = str(spec)
                swhere = f"{where} spec"
                specs.append({
                    "property": _text(one(spec, P["property"])) or "",
                    "value": _py(one(spec, P["value"]), "cm:value", swhere),
                    "unit": _text(one(spec, P["unit"])),
                    "as_of": _date(one(spec, P["asOf"]), "cm:asOf", swhere),
                    "note": _text(one(spec, P["note"])) or None,
                    "sources": src_list(spec),
                })
            if specs:
                data["specs"] = sorted(specs, key=lambda s: (s["property"], str(s["value"])))
            if nid in g and g.nodes[nid].get("type") != cname:
                data["types"] = sorted({g.nodes[nid]["type"], cname})
            g.add_node(nid, **data)

    # --- qualified dependency edges (the bulk of a large graph: one dict lookup per
    # qualified node, then its predicates; edges added in one batch)
    spo = ix.spo
    k_share, k_basis, k_qty, k_from, k_to, k_stock, k_planned, k_note = (
        P["share"], P["shareBasis"], P["quantity"], P["validFrom"], P["validTo"], P["stock"],
        P["planned"], P["note"])
    empty: dict[str, list[Term]] = {}
    none: list[Term | None] = [None]
    batch: list[tuple[str, str, dict[str, Any]]] = []
    shared: set[Term] = set()  # qualified nodes held twice: kept, whatever ``consume`` says
    if consume:
        seen: set[Term] = set()
        for holder_pred, _role, _etype in _QUALIFIED:
            for _holder, qnode in ix.pairs(holder_pred):
                (shared if qnode in seen else seen).add(qnode)
        del seen
    for holder_pred, role, etype in _QUALIFIED:
        for holder, qnode in ix.pairs(holder_pred):
            if isinstance(qnode, Lit):
                continue
            pd = spo.pop(qnode, empty) if consume and qnode not in shared else spo.get(qnode, empty)
            others = pd.get(role)
            other = others[0] if others else None
            if other is None or isinstance(other, Lit):
                continue  # reported by validate (shapes): skip here
            target, upstream = short_id(holder), short_id(other)
            where = f"{etype} edge {upstream} -> {target}"
            note = (pd.get(k_note) or none)[0]
            basis = (pd.get(k_basis) or none)[0]
            batch.append((upstream, target, {
                "type": etype,
                "share": _number(pd[k_share][0], "cm:share", where) if k_share in pd else None,
                "share_basis": str(basis) if basis is not None else None,
                "quantity": _number(pd[k_qty][0], "cm:quantity", where) if k_qty in pd else None,
                "valid_from": _date(pd[k_from][0], "cm:validFrom", where) if k_from in pd else None,
                "valid_to": _date(pd[k_to][0], "cm:validTo", where) if k_to in pd else None,
                "stock": _bool((pd.get(k_stock) or none)[0]),
                "planned": _bool((pd.get(k_planned) or none)[0]),
                "note": str(note) if note is not None and str(note) else None,
                "sources": src_list(qnode, pd),
                "rdf": qnode,
            }))
    for upstream, target, _attrs in batch:
        ensure(upstream)
        ensure(target)
    g.add_edges_from(batch)

    # --- plain links
    for pred, etype in _LINKS:
        for subj, obj in ix.pairs(pred):
            if subj.startswith("_:") or isinstance(obj, Lit) or obj.startswith("_:"):
                continue
            u, v = short_id(subj), short_id(obj)
            ensure(u)
            ensure(v)
            g.add_edge(u, v, type=etype)

    _derive(g)
    kg = KnowledgeGraph(g=g, sources=sources, rdf=rdf, n_triples=ix.count)
    kg.edges_of("requires")  # build the index now, so that the cache keeps it
    return kg


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
