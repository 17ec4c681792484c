"""Validation: the SHACL shapes plus the checks shapes cannot express.

:func:`validate` returns findings; it never prints.  A finding names the entity (or the
edge, by the entity it hangs on) and what is wrong.

Checks beyond SHACL (``graph/queries/shapes.ttl``):

* every IRI used as a link target (input, supplier, owner, covered item, destination,
  listed party, issuer, source, ...) is defined with a class in the data;
* requirements have no cycle (an item that needs itself, directly or not);
* ``validFrom`` is not after ``validTo``, ``effectiveFrom`` not after ``effectiveTo``;
* no two sources share a URL;
* conflicts, reported as findings of check ``conflict`` that are not errors: an item and a
  supplier with supply edges from ETO's dataset and from another, with different shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..core.model import KnowledgeGraph, short_id
from ..core.records import edge_dataset
from ..core.vocab import CM

__all__ = ["Finding", "SHAPES", "validate", "requirement_cycles", "supply_conflicts", "edge_dataset"]

#: The SHACL shapes file shipped with the library.
SHAPES = Path(__file__).resolve().parent / "shapes.ttl"

_SH = "http://www.w3.org/ns/shacl#"

# Link predicates whose object must be a defined entity (or source).
_REFERENCES: tuple[URIRef, ...] = (
    CM.input, CM.supplier, CM.owner, CM.locatedIn, CM.operatedBy, CM.designedBy, CM.kindOf,
    CM.governs, CM.partOf, CM.subjectTo, CM.issuer, CM.covers, CM.coversSupplier,
    CM.destination, CM.listedParty, CM.relaxes, CM.suspends, CM.about, CM.source, CM.claimedBy,
)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in the data: where it is and what is wrong."""

    entity: str
    message: str
    check: str = "shacl"
    #: "violation" (the data breaks a rule; ``validate`` fails) or "warning" (a gap that makes
    #: some answers weaker, for example a chip with no launch; ``validate`` still passes)
    severity: str = "violation"

    def __str__(self) -> str:
        return f"{self.entity}: {self.message}" + (" (warning)" if self.severity == "warning" else "")


def _holder(rdf: Graph, node: Any) -> str:
    """Name a node for a message: an entity by id, a qualified edge by its owner."""
    if not isinstance(node, BNode):
        return short_id(node)
    for subj, pred in rdf.subject_predicates(node):
        pname = str(pred).split("#")[-1]
        target = None
        for role in (CM.input, CM.supplier, CM.owner, CM.property):
            target = next(iter(rdf.objects(node, role)), None)
            if target is not None:
                break
        tail = f" {short_id(target)}" if target is not None and not isinstance(target, Literal) else (
            f" {target}" if target is not None else "")
        return f"{_holder(rdf, subj)} {pname}{tail}"
    return "(unnamed node)"


def _shacl(kg: KnowledgeGraph) -> list[Finding]:
    import pyshacl  # slow import: only when validating

    shapes = Graph().parse(SHAPES, format="turtle")
    _ok, report, _text = pyshacl.validate(
        kg.rdf, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True
    )
    findings = []
    defined = set(kg.rdf.subjects(RDF.type, None))
    sh = lambda name: URIRef(_SH + name)  # noqa: E731
    for result in report.subjects(RDF.type, sh("ValidationResult")):
        focus = next(iter(report.objects(result, sh("focusNode"))), None)
        path = next(iter(report.objects(result, sh("resultPath"))), None)
        value = next(iter(report.objects(result, sh("value"))), None)
        message = next(iter(report.objects(result, sh("resultMessage"))), None)
        if isinstance(value, URIRef) and value not in defined:
            continue  # an undefined reference: _references says so more plainly
        text = str(message) if message else "does not conform"
        if path is not None and not isinstance(path, BNode):
            pname = "rdfs:label" if path == RDFS.label else "cm:" + str(path).split("#")[-1]
            if pname not in text:
                text = f"{pname}: {text}"
        if value is not None and not isinstance(value, BNode) and value != focus:
            shown = str(value) if isinstance(value, Literal) else short_id(value)
            text = f"{text} (got {shown!r})"
        level = next(iter(report.objects(result, sh("resultSeverity"))), None)
        findings.append(Finding(_holder(kg.rdf, focus), text, severity="warning" if level == sh("Warning") else "violation"))
    return findings


def _references(kg: KnowledgeGraph) -> list[Finding]:
    rdf = kg.rdf
    defined = {s for s, _p, _o in rdf.triples((None, RDF.type, None))}
    findings = []
    for pred in _REFERENCES:
        for subj, obj in rdf.subject_objects(pred):
            if isinstance(obj, Literal):
                msg = f"cm:{str(pred).split('#')[-1]} must point to an entity, not the text {str(obj)!r}"
                findings.append(Finding(_holder(rdf, subj), msg, "reference"))
            elif obj not in defined:
                msg = (f"cm:{str(pred).split('#')[-1]} points to {short_id(obj)!r}, "
                       "which is not defined (no rdf:type) in the data")
                findings.append(Finding(_holder(rdf, subj), msg, "reference"))
    return findings


def _duplicate_sources(kg: KnowledgeGraph) -> list[Finding]:
    """Two source nodes with one URL split a citation in two: name both."""
    by_url: dict[str, list[str]] = {}
    for sid, info in kg.sources.items():
        if info["url"]:
            by_url.setdefault(info["url"], []).append(sid)
    return [Finding(ids[0], f"same cm:url as {', '.join(ids[1:])}: define each source once", "duplicate")
            for ids in (sorted(v) for v in by_url.values()) if len(ids) > 1]


def _two_classes(kg: KnowledgeGraph) -> list[Finding]:
    """An entity typed with two or more of chokemap's classes (a Chip and a Firm) is read as
    only one of them by every query: name them all."""
    from ..core.vocab import ENTITY_CLASSES

    classes = set(ENTITY_CLASSES)
    by_node: dict[Any, list[str]] = {}
    for subj, cls in kg.rdf.subject_objects(RDF.type):
        if cls in classes:
            by_node.setdefault(subj, []).append(str(cls).split("#")[-1])
    count = {2: "two", 3: "three"}
    return [Finding(short_id(subj), f"has {count.get(len(names), len(names))} classes "
                                    f"({' and '.join(sorted(names))}); give it one", "class")
            for subj, names in by_node.items() if len(names) > 1]


def requirement_cycles(kg: KnowledgeGraph, limit: int = 10) -> list[list[str]]:
    """Return up to ``limit`` cycles among requirements (each a list of ids).

    Complexity: O(V + E) to find the strongly connected components, then one cycle per
    component with more than one node (or a self-loop).
    """
    req = nx.DiGraph()
    req.add_edges_from((u, v) for u, v, d in kg.g.edges(data=True) if d["type"] == "requires")
    cycles = []
    for comp in nx.strongly_connected_components(req):
        if len(comp) == 1:
            (n,) = comp
            if not req.has_edge(n, n):
                continue
        sub = req.subgraph(comp)
        cycle = [u for u, _v in nx.find_cycle(sub)]
        cycles.append(cycle)
        if len(cycles) >= limit:
            break
    return cycles


def _intervals(kg: KnowledgeGraph) -> list[Finding]:
    findings = []
    for u, v, d in kg.g.edges(data=True):
        if d.get("valid_from") and d.get("valid_to") and d["valid_from"] > d["valid_to"]:
            msg = f"validFrom {d['valid_from']} is after validTo {d['valid_to']}"
            findings.append(Finding(f"{v} {d['type']} {u}", msg, "dates"))
    for n, d in kg.g.nodes(data=True):
        if d.get("effective_from") and d.get("effective_to") and d["effective_from"] > d["effective_to"]:
            msg = f"effectiveFrom {d['effective_from']} is after effectiveTo {d['effective_to']}"
            findings.append(Finding(n, msg, "dates"))
    return findings


def _edge_year(d: dict[str, Any]) -> int | None:
    dates = [d.get("valid_from"), *(s.get("date") for s in d.get("sources", []))]
    years = [x.year for x in dates if x is not None and hasattr(x, "year")]
    return years[0] if d.get("valid_from") else max(years, default=None)


def supply_conflicts(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """Items whose supplier is given by ETO and by the bundled graph with different shares.

    Each record names the item, the supplier, each side's share, year and source ids, and
    which is the more recent (``"newer"``; ETO on a tie of unknown years).
    Complexity: O(E) for E edges.
    """
    pairs: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for u, v, d in kg.g.edges(data=True):
        if d.get("type") == "supplies" and d.get("valid_to") is None:  # current edges only
            side = pairs.setdefault((v, u), {})
            side.setdefault(edge_dataset(d), d)
    out = []
    for (item, supplier), side in sorted(pairs.items()):
        if len(side) < 2:
            continue
        rows: dict[str, dict[str, Any]] = {k: {"share": d.get("share"), "year": _edge_year(d),
                    "sources": [s.get("id") for s in d.get("sources", [])]} for k, d in side.items()}
        b, e = rows["bundled"], rows["ETO"]
        if b["share"] is None and e["share"] is None:
            continue
        if b["share"] is not None and e["share"] is not None and round(b["share"], 4) == round(e["share"], 4):
            continue
        newer = "bundled" if (b["year"] or 0) > (e["year"] or 0) else "ETO"
        out.append({"item": item, "item_label": kg.label(item), "supplier": supplier,
                    "supplier_label": kg.label(supplier), "bundled": b, "eto": e, "newer": newer})
    return out


def _conflicts(kg: KnowledgeGraph) -> list[Finding]:
    def fig(r: dict[str, Any], name: str) -> str:
        share = "no share" if r["share"] is None else f"{r['share']:.1%}"
        return f"{share} ({name}, {r['year'] or 'year unknown'})"

    return [Finding(c["item"], f"{c['supplier_label']} supplies it at {fig(c['bundled'], 'bundled')} and "
                    f"{fig(c['eto'], 'ETO')}; the more recent is {c['newer']}'s", "conflict", "warning")
            for c in supply_conflicts(kg)]


def validate(kg: KnowledgeGraph, shacl: bool = True) -> list[Finding]:
    """Check the loaded data; return the findings, sorted (empty when clean).

    Complexity: pyshacl's cost (about 0.25 s per 10,000 triples without inference) plus
    O(T) for the reference checks and O(V + E) for the cycle check.
    """
    findings = _shacl(kg) if shacl else []
    findings += _references(kg)
    findings += _intervals(kg)
    findings += _duplicate_sources(kg)
    findings += _two_classes(kg)
    findings += _conflicts(kg)
    for cycle in requirement_cycles(kg):
        path = " -> ".join(kg.label(n) for n in [*cycle, cycle[0]])
        findings.append(Finding(cycle[0], f"requirement cycle (each is needed by the next): {path}", "cycle"))
    return sorted(set(findings))
