"""Describing the graph: statistics and one entity with all its edges.

Pure functions returning plain dicts (the JSON twins of ``stats`` and ``show``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..core.model import DEPENDENCY_TYPES, KnowledgeGraph
from ..core.records import iso, source_refs
from .validate import supply_conflicts

__all__ = ["stats", "entity", "edge_record", "edge_fields"]


def stats(kg: KnowledgeGraph) -> dict[str, Any]:
    """Count entities by class, edges by type, sources, policies and sourced edges.

    ``edges`` counts dependency edges (requires, supplies, owns); ``links`` counts the
    other edges (located in, covers, ...). ``edges_with_source`` is the number of
    dependency edges that name at least one source, ``sourced_share`` that as a fraction.
    Complexity: O(V + E).
    """
    by_class = Counter(d.get("type") or "undefined" for _n, d in kg.g.nodes(data=True))
    dep: Counter[str] = Counter()
    links: Counter[str] = Counter()
    with_source = 0
    used_sources: set[str] = set()
    for _u, _v, d in kg.g.edges(data=True):
        if d["type"] in DEPENDENCY_TYPES:
            dep[d["type"]] += 1
            if d.get("sources"):
                with_source += 1
                used_sources.update(s["id"] for s in d["sources"])
        else:
            links[d["type"]] += 1
    claims = Counter(d.get("status") for _n, d in kg.g.nodes(data=True) if d.get("type") == "Claim")
    n_edges = sum(dep.values())
    return {
        "files": len(kg.files),
        "triples": kg.n_triples,
        "entities": sum(v for k, v in by_class.items() if k != "undefined"),
        "entities_by_class": dict(sorted(by_class.items())),
        "edges": n_edges,
        "edges_by_type": dict(sorted(dep.items())),
        "links": sum(links.values()),
        "links_by_type": dict(sorted(links.items())),
        "edges_with_source": with_source,
        "sourced_share": round(with_source / n_edges, 4) if n_edges else 1.0,
        "sources": len(kg.sources),
        "policies": by_class.get("Policy", 0),
        "claims": by_class.get("Claim", 0),
        "claims_by_status": dict(sorted((k or "none", v) for k, v in claims.items())),
    }


def edge_record(kg: KnowledgeGraph, u: str, v: str, d: dict[str, Any], direction: str) -> dict[str, Any]:
    """The JSON form of one edge seen from one end (``direction`` "in" or "out")."""
    other = v if direction == "out" else u
    od = kg.g.nodes[other]
    ref = {"id": other, "label": od.get("label") or other, "type": od.get("type")}
    if od.get("status"):
        ref["status"] = od["status"]
    return {"direction": direction, "other": ref, **edge_fields(d)}


def edge_fields(d: dict[str, Any]) -> dict[str, Any]:
    """The JSON fields of one edge: type, share, dates, sources and any qualifiers."""
    rec: dict[str, Any] = {
        "type": d["type"],
        "share": d.get("share"),
        "valid_from": iso(d.get("valid_from")),
        "valid_to": iso(d.get("valid_to")),
        "sources": source_refs(d.get("sources", [])),
    }
    for key in ("share_basis", "quantity", "note"):
        if d.get(key) is not None:
            rec[key] = d[key]
    for key in ("stock", "planned"):
        if d.get(key):
            rec[key] = True
    return rec


_ORDER = ["supplies", "requires", "owns", "designed_by", "kind_of", "located_in", "operated_by",
          "governs", "part_of", "subject_to", "issued_by", "covers", "covers_supplier",
          "destination", "listed_party", "relaxes", "suspends", "about"]


def entity(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    """Everything the graph says about one entity: attributes, specs, edges in and out.

    Edges are sorted by type (supplies and requires first), then by the other end's label.
    ``conflicts`` (when any) lists the supplies of it, or by it, whose share two datasets give
    differently (:func:`supply_conflicts`).  Complexity: O(deg(node)) plus O(E) for the conflicts.
    """
    d = kg.node(node)
    out: dict[str, Any] = {
        "id": node,
        "iri": d.get("iri"),
        "label": d.get("label") or node,
        "type": d.get("type"),
        "aliases": list(d.get("aliases", [])),
    }
    for key in ("description", "wikidata", "iso", "country", "operator", "issuer", "kind",
                "scope", "status", "note"):
        if d.get(key) is not None:
            out[key] = d[key]
    for key in ("country", "operator", "issuer"):
        if d.get(key):
            out[f"{key}_label"] = kg.label(d[key])
    if d.get("aggregate"):
        out["aggregate"] = True
    for key in ("effective_from", "effective_to", "announced"):
        if d.get(key) is not None:
            out[key] = d[key].isoformat()
    for key in ("conditions", "statement"):
        if d.get(key):
            out[key] = list(d[key])
    if d.get("type") in ("Policy", "Claim"):
        out["sources"] = source_refs(d.get("sources", []))
    if d.get("claimed_by"):
        out["claimed_by"] = source_refs(d["claimed_by"])
    launch = {("date" if key == "launch" else key.removeprefix("launch_")): iso(d[key]) for key in
              ("launch", "launch_status", "launch_expected", "launch_not_before", "launch_on_market_by", "launch_note")
              if d.get(key) is not None}
    if launch:
        out["launch"] = {**launch, "sources": source_refs(d.get("launch_sources", []))}
    out["specs"] = [{**s, "as_of": iso(s.get("as_of")), "sources": source_refs(s["sources"])}
                    for s in d.get("specs", [])]
    edges = [edge_record(kg, u, v, e, "out") for u, v, e in kg.g.out_edges(node, data=True)]
    edges += [edge_record(kg, u, v, e, "in") for u, v, e in kg.g.in_edges(node, data=True)]
    rank = {t: i for i, t in enumerate(_ORDER)}
    edges.sort(key=lambda e: (rank.get(e["type"], 99), e["direction"], e["other"]["label"].casefold()))
    out["edges"] = edges
    conflicts = [c for c in supply_conflicts(kg) if node in (c["item"], c["supplier"])]
    if conflicts:  # two datasets' shares for one supplier of one item (ETO and ours)
        out["conflicts"] = conflicts
    return out
