"""Projection: RDF files -> triples -> the networkx graph a KnowledgeGraph holds.

:func:`read_index` parses the files into a plain triple index (:mod:`graph.io.triples`:
pyoxigraph for Turtle, rdflib for the rest), then :func:`project` turns it into a
:class:`networkx.MultiDiGraph`; :func:`graph.io.load.load` caches the result by the files'
content.  This module needs the vocabulary (and so rdflib): a graph read from the cache
never imports it.  In the projection

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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from ..core.errors import DataError
from ..core.model import KnowledgeGraph, short_id
from ..core.vocab import CM, ENTITY_CLASSES, PREFIXES
from .inputs import RDF_SUFFIXES
from .triples import Lit, Term, TripleIndex, add_rdflib, parse_file, read_text
from .values import date_value, flag_value, number_value, share_value, term_value, text_value

__all__ = ["parse_files", "project", "read_index"]

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
    (CM.headquarters, "headquarters"),
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
    (str(CM.membership), str(CM.member), "member_of"),  # country -> its group, dated
)

# rdflib logs a traceback for every ill-typed literal; chokemap reports them itself.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

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


# --------------------------------------------------------------------------- projection


def _index_from_rdflib(rdf: Graph) -> TripleIndex:
    """A triple index holding an rdflib graph's triples."""
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
    g = nx.MultiDiGraph()
    sources = _read_sources(ix)
    cite = _source_lists(ix, sources)
    _add_nodes(g, ix, sources, cite)
    _add_edges(g, _qualified_edges(ix, cite, consume))
    _add_links(g, ix)
    kg = KnowledgeGraph(g=g, sources=sources, rdf=rdf, n_triples=ix.count)
    kg.data_as_of = _horizon(ix)
    kg.edges_of("requires")  # build the index now, so that the cache keeps it
    _derive(kg)  # from the index, not another pass over every edge
    return kg


#: The full IRI of each ``cm:`` predicate the projection reads, by local name.
_P = {name: str(getattr(CM, name)) for name in (
    "url", "publisher", "date", "secondary", "source", "alias", "aggregate", "description",
    "wikidata", "isoCode", "kind", "scope", "coversAll", "effectiveFrom", "effectiveTo",
    "announced", "condition", "statement", "status", "claimedBy", "note", "spec", "property",
    "value", "unit", "asOf", "share", "shareBasis", "quantity", "validFrom", "validTo", "stock",
    "planned", "expectedFrom", "launch", "currentTo", "notBefore", "onMarketBy")}

#: ``cm:launch [ cm:status ... ]``: the launch states other than a known date, by local name.
LAUNCH_STATUSES = {"NotYetLaunched": "not_yet_launched", "LaunchDateUnknown": "date_unknown",
                   "NotAProduct": "not_a_product"}

#: What :func:`_source_lists` returns: ``cite(subject, preds=None)`` -> the sources it cites.
_SourceLists = Callable[..., list[dict[str, Any]]]


def _read_sources(ix: TripleIndex) -> dict[str, dict[str, Any]]:
    """Every ``cm:Source`` as a dict (id, url, title, publisher, date, secondary), by short id."""
    one = ix.one
    sources: dict[str, dict[str, Any]] = {}
    for src in ix.subjects_of_type(str(CM.Source)):
        sid = short_id(src)
        sources[sid] = {
            "id": sid,
            "url": text_value(one(src, _P["url"])) or "",
            "title": text_value(one(src, _LABEL)) or "",
            "publisher": text_value(one(src, _P["publisher"])) or "",
            "date": date_value(one(src, _P["date"]), "cm:date", f"source {sid}"),
            "secondary": flag_value(one(src, _P["secondary"])),
        }
    return sources


def _source_lists(ix: TripleIndex, sources: dict[str, dict[str, Any]]) -> _SourceLists:
    """A function giving the sources a subject cites (``cm:source``), one shared list per set."""
    lists: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    as_given: dict[tuple[Term, ...], list[dict[str, Any]]] = {}  # the sources in the order read
    objects, pred = ix.objects, _P["source"]

    def cite(subject: str, preds: dict[str, list[Term]] | None = None) -> list[dict[str, Any]]:
        # Most edges of a big graph cite the same one or two sources: share one list
        # per combination (less memory, a smaller cache, a faster projection).
        cited = tuple(objects(subject, pred) if preds is None else preds.get(pred, ()))
        hit = as_given.get(cited)
        if hit is not None:
            return hit
        key = tuple(sorted(str(s) for s in cited))
        hit = lists.get(key)
        if hit is None:
            hit = lists[key] = []
            for src in key:
                sid = short_id(src)
                hit.append(sources.get(sid) or {"id": sid, "url": "", "title": "", "publisher": "",
                                                 "date": None, "secondary": False})
        as_given[cited] = hit
        return hit

    return cite


def _texts(ix: TripleIndex, subject: str, pred: str) -> list[str]:
    """The objects of ``subject pred`` as sorted strings."""
    return sorted(str(o) for o in ix.objects(subject, pred))


def _local(term: Term | None) -> str | None:
    """The local name (after ``#``) of an IRI, or None."""
    return None if term is None else str(term).split("#")[-1]


def _ensure(g: nx.MultiDiGraph, n: str) -> None:
    """Add ``n`` as a missing node (no type, its id as label) unless the graph has it."""
    if n not in g:
        g.add_node(n, type=None, label=n, aliases=[], aggregate=False, missing=True)


def _add_nodes(g: nx.MultiDiGraph, ix: TripleIndex, sources: dict[str, dict[str, Any]],
               cite: _SourceLists) -> None:
    """Add every typed entity (not blank nodes) as a node with its attributes and specs."""
    spo = ix.spo
    out_adj, in_adj, attrs_of = g._succ, g._pred, g._node  # networkx's own dicts, written directly
    empty: dict[str, list[Term]] = {}
    k_alias, k_aggregate = _P["alias"], _P["aggregate"]
    plain = [(key, _P[pred]) for key, pred in (("description", "description"), ("wikidata", "wikidata"),
                                               ("iso", "isoCode"))]
    for cls, cname in _CLASS_NAMES.items():
        for subj in ix.subjects_of_type(cls):
            if subj.startswith("_:"):
                continue
            nid = short_id(subj)
            where = f"{cname} {nid}"
            po = spo.get(subj, empty)  # this subject's predicates, looked up once
            label, aggregate = po.get(_LABEL), po.get(k_aggregate)
            data: dict[str, Any] = {
                "iri": subj,
                "type": cname,
                "label": (str(label[0]) if label else "") or nid,
                "aliases": sorted(str(o) for o in po.get(k_alias, ())),
                "aggregate": flag_value(aggregate[0]) if aggregate else False,
            }
            for key, pred in plain:
                val = po.get(pred)
                if val:
                    data[key] = str(val[0])
            if cname == "Policy":
                data.update(_policy_fields(ix, subj, where, cite))
            elif cname == "Claim":
                data.update(_claim_fields(ix, subj, sources, cite))
            specs = _specs(ix, subj, where, cite)
            if specs:
                data["specs"] = sorted(specs, key=lambda s: (s["property"], str(s["value"])))
            data.update(_launch(ix, subj, where, cite))
            known = attrs_of.get(nid)
            if known is None:  # as g.add_node(nid, **data) would: data becomes the node's own dict
                out_adj[nid], in_adj[nid], attrs_of[nid] = {}, {}, data
                continue
            if known.get("type") != cname:
                data["types"] = sorted({known["type"], cname})
            known.update(data)


def _policy_fields(ix: TripleIndex, subj: str, where: str, cite: _SourceLists) -> dict[str, Any]:
    """A policy's kind, scope, coverage, dates, conditions and sources."""
    one = ix.one
    return dict(
        kind=_local(one(subj, _P["kind"])),
        scope=_local(one(subj, _P["scope"])),
        covers_all=flag_value(one(subj, _P["coversAll"])),
        effective_from=date_value(one(subj, _P["effectiveFrom"]), "cm:effectiveFrom", where),
        effective_to=date_value(one(subj, _P["effectiveTo"]), "cm:effectiveTo", where),
        announced=date_value(one(subj, _P["announced"]), "cm:announced", where),
        conditions=_texts(ix, subj, _P["condition"]),
        sources=cite(subj),
    )


def _claim_fields(ix: TripleIndex, subj: str, sources: dict[str, dict[str, Any]],
                  cite: _SourceLists) -> dict[str, Any]:
    """A claim's statements, status, who claims it, sources and note."""
    return dict(
        statement=_texts(ix, subj, _P["statement"]),
        status=_local(ix.one(subj, _P["status"])),
        claimed_by=[sources.get(short_id(s), {"id": short_id(s)})
                    for s in ix.objects(subj, _P["claimedBy"])],
        sources=cite(subj),
        note=text_value(ix.one(subj, _P["note"])) or None,
    )


def _specs(ix: TripleIndex, subj: str, where: str, cite: _SourceLists) -> list[dict[str, Any]]:
    """An entity's specs (``cm:spec`` nodes): property, typed value, unit, date, note, sources."""
    one = ix.one
    specs = []
    for spec in ix.objects(subj, _P["spec"]):
        spec = str(spec)
        swhere = f"{where} spec"
        specs.append({
            "property": text_value(one(spec, _P["property"])) or "",
            "value": term_value(one(spec, _P["value"]), "cm:value", swhere),
            "unit": text_value(one(spec, _P["unit"])),
            "as_of": date_value(one(spec, _P["asOf"]), "cm:asOf", swhere),
            "note": text_value(one(spec, _P["note"])) or None,
            "sources": cite(spec),
        })
    return specs


def _shared_qnodes(ix: TripleIndex) -> set[Term]:
    """The qualified nodes that more than one holder points to (kept when consuming)."""
    seen: set[Term] = set()
    shared: set[Term] = set()
    for holder_pred, _role, _etype in _QUALIFIED:
        for _holder, qnode in ix.pairs(holder_pred):
            (shared if qnode in seen else seen).add(qnode)
    return shared


def _launch(ix: TripleIndex, subj: str, where: str, cite: _SourceLists) -> dict[str, Any]:
    """An item's launch (``cm:launch`` node): its first-availability date, or a status saying
    why there is none (not yet launched, with an expected date; date unknown, with the
    earliest and latest dates the sources allow; not a product), with sources and note."""
    node = ix.one(subj, _P["launch"])
    if node is None or isinstance(node, Lit):
        return {}
    node = str(node)
    out: dict[str, Any] = {"launch_sources": cite(node), "launch_note": text_value(ix.one(node, _P["note"])) or None}
    status = ix.one(node, _P["status"])
    if status is None:
        out["launch"] = date_value(ix.one(node, _P["date"]), "cm:launch cm:date", where)
        return out
    name = _local(status) or ""
    if name not in LAUNCH_STATUSES:
        msg = (f"{where}: cm:launch has an unknown cm:status {name!r}; "
               f"use one of {', '.join('cm:' + k for k in LAUNCH_STATUSES)}, or give cm:date")
        raise DataError(msg)
    out["launch_status"] = LAUNCH_STATUSES[name]
    for key, pred in (("launch_expected", "expectedFrom"), ("launch_not_before", "notBefore"),
                      ("launch_on_market_by", "onMarketBy")):
        val = ix.one(node, _P[pred])
        if val is not None:
            out[key] = date_value(val, f"cm:launch cm:{pred}", where)
    return out


def _horizon(ix: TripleIndex) -> Any:
    """The date the data is current to: the earliest ``cm:currentTo`` of its datasets."""
    days = [date_value(ix.one(ds, _P["currentTo"]), "cm:currentTo", f"dataset {short_id(ds)}")
            for ds in ix.subjects_of_type(str(CM.Dataset))]
    return min((d for d in days if d), default=None)


_MISSING: Any = object()  # a memo's "not converted yet"


def _qualified_edges(ix: TripleIndex, cite: _SourceLists,
                     consume: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """The qualified dependency edges (requires, supplies, owns) as (upstream, target, attrs).

    The bulk of a large graph: one dict lookup per qualified node, then its predicates.
    A graph repeats its ids, shares and dates (the reader keeps each distinct literal
    once), so each is converted once: O(Q) for Q qualified nodes.  An ill-typed value is
    refused where it first occurs, naming that edge.
    """
    spo = ix.spo
    k_share, k_basis, k_qty, k_from, k_to, k_stock, k_planned, k_note, k_exp = (
        _P["share"], _P["shareBasis"], _P["quantity"], _P["validFrom"], _P["validTo"], _P["stock"],
        _P["planned"], _P["note"], _P["expectedFrom"])
    empty: dict[str, list[Term]] = {}
    none: list[Term | None] = [None]
    batch: list[tuple[str, str, dict[str, Any]]] = []
    shared = _shared_qnodes(ix) if consume else set()  # held twice: kept, whatever ``consume`` says
    ids: dict[str, str] = {}
    shares: dict[Term, float | None] = {}
    dates: dict[tuple[str, Term], dt.date | None] = {}

    def short(term: str) -> str:
        out = ids.get(term)
        if out is None:
            out = ids[term] = short_id(term)
        return out

    def date_of(lit: Term, what: str, etype: str, upstream: str, target: str) -> dt.date | None:
        out = dates.get((what, lit), _MISSING)
        if out is _MISSING:  # converted once; the edge is named only here, where it may be refused
            out = dates[(what, lit)] = date_value(lit, what, f"{etype} edge {upstream} -> {target}")
        return out  # type: ignore[return-value]

    def text(term: Term) -> str:
        return term[0] if type(term) is Lit else str(term)  # a Lit's value (its str)

    for holder_pred, role, etype in _QUALIFIED:
        for holder, qnode in ix.pairs(holder_pred):
            if isinstance(qnode, Lit):
                continue
            pd = spo.pop(qnode, empty) if consume and qnode not in shared else spo.get(qnode, empty)
            others = pd.get(role)
            other = others[0] if others else None
            if other is None or isinstance(other, Lit):
                continue  # reported by validate (shapes): skip here
            target, upstream = ids.get(holder) or short(holder), ids.get(other) or short(other)
            note = (pd.get(k_note) or none)[0]
            basis = (pd.get(k_basis) or none)[0]
            share = valid_from = valid_to = expected = quantity = None
            try:  # on an ill-typed value, load() names the holder's file:line
                if k_share in pd:
                    lit = pd[k_share][0]
                    share = shares.get(lit, _MISSING)  # type: ignore[arg-type]
                    if share is _MISSING:
                        share = shares[lit] = share_value(lit, f"{etype} edge {upstream} -> {target}")
                if k_qty in pd:
                    quantity = number_value(pd[k_qty][0], "cm:quantity", f"{etype} edge {upstream} -> {target}")
                if k_from in pd:
                    valid_from = date_of(pd[k_from][0], "cm:validFrom", etype, upstream, target)
                if k_to in pd:
                    valid_to = date_of(pd[k_to][0], "cm:validTo", etype, upstream, target)
                if k_exp in pd:
                    expected = date_of(pd[k_exp][0], "cm:expectedFrom", etype, upstream, target)
            except DataError as exc:
                exc.entity, exc.other = holder, other  # type: ignore[attr-defined]
                raise
            batch.append((upstream, target, {
                "type": etype,
                "share": share,
                "share_basis": text(basis) if basis is not None else None,
                "quantity": quantity,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "stock": k_stock in pd and flag_value(pd[k_stock][0]),
                "planned": k_planned in pd and flag_value(pd[k_planned][0]),
                "expected_from": expected,
                "note": (text(note) or None) if note is not None else None,
                "sources": cite(qnode, pd),
                "rdf": qnode,
            }))
    return batch


def _add_edges(g: nx.MultiDiGraph, batch: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Add edges (upstream, target, attrs) to ``g``, whose edges were all added here.

    The graph is the one that ``_ensure`` on both ends of each edge and then
    ``g.add_edges_from(batch)`` would make (same nodes, keys 0, 1, ... per pair, same order
    everywhere), but built by writing networkx's adjacency dicts directly, each ``attrs``
    becoming the edge's own dict: an ``add_edge`` call per edge was most of the cost.  A
    pair's keys, all numbered here, run 0 .. n-1, so n is its next free key.

    Complexity: O(E) for E edges.
    """
    succ, pred = g._succ, g._pred
    for upstream, target, attrs in batch:
        if upstream not in succ:
            _ensure(g, upstream)
        if target not in succ:
            _ensure(g, target)
        keys = succ[upstream].get(target)
        if keys is None:
            succ[upstream][target] = pred[target][upstream] = {0: attrs}
        else:
            keys[len(keys)] = attrs


def _add_links(g: nx.MultiDiGraph, ix: TripleIndex) -> None:
    """Add the plain links between entities (located in, covers, ...), subject -> object,
    as ``g.add_edge(u, v, type=...)`` would, through :func:`_add_edges`.  O(L) for L links."""
    _add_edges(g, [(short_id(subj), short_id(obj), {"type": etype}) for pred, etype in _LINKS
                   for subj, obj in ix.pairs(pred)
                   if not (subj.startswith("_:") or isinstance(obj, Lit) or obj.startswith("_:"))])


def _derive(kg: KnowledgeGraph) -> None:
    """Store convenient derived attributes: a firm's country, a facility's operator.
    Reads the edges of the five link types from the graph's index.  O(V + L) for L links."""
    g = kg.g
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for etype in ("located_in", "operated_by", "issued_by", "governs", "part_of"):
        for u, v, _d in kg.edges_of(etype):
            links[u][etype].append(v)
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
