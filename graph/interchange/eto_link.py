"""ETO's data on the bundled graph's IRIs, as ``data/links-eto.ttl`` says (``import eto --link``).

The mapping is ``cm:Link`` nodes (see ``data/README.md``): an ETO id, one SKOS match to a
bundled entity, how it was made.  Applied to an import:

* an exact match renames the ETO node to the bundled IRI everywhere (subject and object),
  and drops what the bundled graph already says of it (class, label, description, country,
  ISO code, ETO's aliases): the bundled entity keeps its own identity, gains the alias
  ``"ETO P88"`` and ETO's edges, each still citing the ETO dataset with its year;
* a broad match (ours is broader) adds ``eto-N cm:kindOf ours``, so a policy on our item
  covers ETO's narrower one;
* a stage's narrow matches (TSMC N4 within ETO's fabrication stage) make each such process
  require ETO's processes of that stage (ion implantation, photolithography, ...), so the
  tools and materials ETO lists for a stage become requirements of our processes.

Unlinked entities keep ETO's IRIs.  Rewriting works on the builder's Turtle terms, so it
costs O(T) for T triples and no second parse.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..core.errors import DataError
from ..core.vocab import CM, CMI
from ..io.inputs import DEFAULT_DATA
from .eto_read import EtoData
from .turtle import TripleList

__all__ = ["LINKS_FILE", "Links", "read_links", "apply_links"]

#: The bundled mapping.
LINKS_FILE = DEFAULT_DATA / "links-eto.ttl"

# What the bundled entity already says about itself: not repeated from ETO on a linked node.
_IDENTITY = (RDF.type, RDFS.label, CM.description, CM.aggregate, CM.locatedIn, CM.isoCode)


@dataclass
class Links:
    """The mapping read from ``links-eto.ttl``: ETO id -> bundled IRIs, by kind of match."""

    exact: dict[str, URIRef] = field(default_factory=dict)
    broad: dict[str, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    narrow: dict[str, list[URIRef]] = field(default_factory=lambda: defaultdict(list))


def read_links(path: str | Path | None = None) -> Links:
    """Read a mapping file (default: the bundled ``data/links-eto.ttl``).

    Complexity: O(L) for L links.

    Raises
    ------
    DataError
        The file does not parse, or one ETO id has two exact matches.
    """
    path = Path(path) if path else LINKS_FILE
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types for bad syntax
        msg = f"{path}: cannot read the ETO mapping ({exc}); check the file"
        raise DataError(msg) from None
    links = Links()
    for node in g.subjects(RDF.type, CM.Link):
        eid = str(g.value(node, CM.etoId))
        for target in g.objects(node, SKOS.exactMatch):
            if eid in links.exact and links.exact[eid] != target:
                msg = f"{path}: ETO {eid} has two exact matches ({links.exact[eid]}, {target}); keep one"
                raise DataError(msg)
            links.exact[eid] = URIRef(str(target))
        links.broad[eid].extend(URIRef(str(t)) for t in g.objects(node, SKOS.broadMatch))
        links.narrow[eid].extend(URIRef(str(t)) for t in g.objects(node, SKOS.narrowMatch))
    return links


def _eto_iri(eto_id: str) -> URIRef:
    return CMI[f"eto-{eto_id}"]


def apply_links(triples: TripleList, data: EtoData, links: Links, dataset: URIRef) -> dict[str, Any]:
    """Rewrite an import (in place) onto the bundled IRIs; return counts of what was linked.

    Complexity: O(T + L) for T triples and L links.
    """
    term = triples._terms.term
    known = set(data.inputs) | set(data.stages) | set(data.providers)
    rename = {term(_eto_iri(e)): term(iri) for e, iri in links.exact.items() if e in known}
    drop = {term(p) for p in _IDENTITY}
    alias = term(CM.alias)
    groups: dict[str, list[tuple[str, str]]] = {}
    for subject, pos in triples.groups.items():
        new = rename.get(subject)
        if new is not None:  # keep only ETO's id as an alias, and its edges
            pos = [(p, o) for p, o in pos if p not in drop and (p != alias or o.startswith('"ETO '))]
        groups.setdefault(new or subject, []).extend((p, rename.get(o, o)) for p, o in pos)
    triples.groups = groups
    summary = {"linked": len(rename), "kinds_linked": 0, "stage_requirements": 0}
    for eid, targets in links.broad.items():
        if eid in data.inputs and eid not in links.exact:
            for target in targets:
                triples.add((_eto_iri(eid), CM.kindOf, target))
                summary["kinds_linked"] += 1
    for sid, processes in links.narrow.items():
        if sid not in data.stages:
            continue
        steps = [i for i, row in data.inputs.items() if row.get("stage_id") == sid and row.get("type") == "process"]
        for process in processes:
            for step in steps:
                q = BNode()
                triples.add((process, CM.requires, q))
                triples.add((q, CM.input, links.exact.get(step, _eto_iri(step))))
                triples.add((q, CM.source, dataset))
                triples.add((q, CM.note, Literal(
                    f"Linked by data/links-eto.ttl: this process is within ETO's stage {sid} "
                    f"({data.stages[sid].get('stage_name')}), which takes the step {step} "
                    f"({data.inputs[step].get('input_name')}).")))
                summary["stage_requirements"] += 1
    return summary
