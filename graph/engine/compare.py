"""Comparing two items: attributes side by side, supply chains, claims, chokepoints.

:func:`compare` answers "how do the GB200 NVL72 and the CloudMatrix 384 differ?": their
sourced specs property by property, the claims about them (kept apart from the facts,
with their status), their direct inputs and suppliers, the dependencies they share and
those unique to each (their whole upstream on the date), and each one's availability and
chokepoints for a buyer.  A pure function: it returns a plain dict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.dates import today
from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import iso, source_refs
from ..queries.trees import upstream
from .ranking import chokepoints

__all__ = ["SPEC_ORDER", "compare"]

#: The order properties are shown in: systems first, then chips, then the rest by name.
SPEC_ORDER = (
    "chip_count", "cpu_count", "compute_bf16_pflops", "total_hbm", "hbm_bandwidth", "power",
    "scale_up_domain", "interconnect", "optical_transceivers", "racks",
    "process", "transistors", "memory_type", "memory_capacity", "memory_bandwidth",
    "tpp", "fp16_tflops", "bf16_tflops", "fp8_tflops", "fp4_pflops",
    "availability", "revenue", "market_share",
)

_TYPE_ORDER = {t: i for i, t in enumerate(
    ("System", "Chip", "Component", "Process", "Tool", "Material", "Software", "Facility", "Firm",
     "Country"))}


def _specs(kg: KnowledgeGraph, node: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for s in kg.node(node).get("specs", []):
        out.setdefault(s["property"], []).append({
            "value": s["value"], "unit": s.get("unit"), "note": s.get("note"),
            "as_of": iso(s.get("as_of")), "sources": source_refs(s.get("sources", [])),
        })
    return out


def _attributes(kg: KnowledgeGraph, a: str, b: str) -> list[dict[str, Any]]:
    sa, sb = _specs(kg, a), _specs(kg, b)
    rank = {p: i for i, p in enumerate(SPEC_ORDER)}
    props = sorted(set(sa) | set(sb), key=lambda p: (rank.get(p, len(rank)), p))
    return [{"property": p, "a": sa.get(p, []), "b": sb.get(p, [])} for p in props]


def _claims(kg: KnowledgeGraph, a: str, b: str) -> list[dict[str, Any]]:
    rows = [(claim, about) for claim, about, d in kg.g.edges(data=True)
            if d["type"] == "about" and about in (a, b)]
    seen: dict[str, dict[str, Any]] = {}
    for claim, about in rows:
        c = kg.node(claim)
        rec = seen.setdefault(claim, {
            "id": claim, "label": c.get("label") or claim, "status": c.get("status"),
            "statement": list(c.get("statement", [])), "note": c.get("note"),
            "claimed_by": source_refs(c.get("claimed_by", [])), "sources": source_refs(c.get("sources", [])),
            "about": [],
        })
        rec["about"].append("a" if about == a else "b")
    for rec in seen.values():
        rec["about"] = sorted(set(rec["about"]))
    return sorted(seen.values(), key=lambda r: (r["about"], r["label"].casefold()))


def _direct(kg: KnowledgeGraph, a: str, b: str, as_of: dt.date | None) -> list[dict[str, Any]]:
    """Direct inputs and suppliers of each, side by side (the edge as stored, per side)."""
    rows: dict[str, dict[str, Any]] = {}
    for side, node in (("a", a), ("b", b)):
        tree = upstream(kg, node, depth=1, as_of=as_of)
        for e in tree["edges"]:
            other = e["from"]
            row = rows.setdefault(other, {"id": other, "label": kg.label(other),
                                          "type": kg.g.nodes[other].get("type"), "a": None, "b": None})
            row[side] = {k: v for k, v in e.items() if k not in ("from", "to")}
    return sorted(rows.values(), key=lambda r: (r["a"] is None or r["b"] is None, r["a"] is None,
                                                _TYPE_ORDER.get(r["type"], 99), r["label"].casefold()))


def _deps(kg: KnowledgeGraph, a: str, b: str, as_of: dt.date | None) -> dict[str, list[dict[str, Any]]]:
    ua = {n["id"]: n for n in upstream(kg, a, as_of=as_of)["nodes"]}
    ub = {n["id"]: n for n in upstream(kg, b, as_of=as_of)["nodes"]}

    def row(n: str) -> dict[str, Any]:
        d = kg.g.nodes[n]
        return {"id": n, "label": d.get("label") or n, "type": d.get("type"),
                "depth_a": ua[n]["depth"] if n in ua else None,
                "depth_b": ub[n]["depth"] if n in ub else None}

    def rank(r: dict[str, Any]) -> tuple[Any, ...]:
        return (_TYPE_ORDER.get(r["type"], 99), r["label"].casefold())

    return {
        "shared": sorted((row(n) for n in ua.keys() & ub.keys()), key=rank),
        "only_a": sorted((row(n) for n in ua.keys() - ub.keys()), key=rank),
        "only_b": sorted((row(n) for n in ub.keys() - ua.keys()), key=rank),
    }


def _choke(kg: KnowledgeGraph, item: str, buyer: str | None, date: dt.date, top: int) -> dict[str, Any]:
    """An item's availability and every chokepoint, the chains of the first ``top`` walked."""
    rep = chokepoints(kg, [item], buyer, date, top=None, explain=top)
    target = rep["targets"][0]
    return {
        "available": target["available"],
        "conditions": target["conditions"],
        "blocked_by": target["blocked_by"],
        "chokepoints": [{k: r[k] for k in ("id", "label", "type", "why", "explanation", "concentration")}
                        for r in rep["chokepoints"]],
    }


def compare(kg: KnowledgeGraph, a: str, b: str, *, buyer: str | None = None,
            as_of: dt.date | None = None, top: int = 5) -> dict[str, Any]:
    """Compare two items: specs, claims, inputs, shared and unique dependencies, chokepoints.

    Parameters
    ----------
    kg : KnowledgeGraph
    a, b : str
        Item ids (chips, systems, processes...).
    buyer : str, optional
        Country or firm id the chokepoints are computed for (None: any buyer).
    as_of : date, optional
        The date of the supply chains and the chokepoints (default today); only edges
        valid on it count.
    top : int
        How many chokepoints to list for each item.

    Returns
    -------
    dict
        ``a``, ``b`` ({id, label, type}), ``as_of``, ``buyer``; ``attributes`` [{property,
        a, b}], each side a list of {value, unit, note, as_of, sources}; ``claims`` [{id,
        label, status, statement, note, claimed_by, sources, about}], ``about`` being
        ["a"], ["b"] or ["a", "b"]; ``direct`` [{id, label, type, a, b}], each side the
        edge (type, share, dates, sources, quantity, note...) or None; ``dependencies``
        {shared, only_a, only_b}, lists of {id, label, type, depth_a, depth_b};
        ``chokepoints`` {a, b}, each {available, conditions, blocked_by, chokepoints (the
        ``top`` first: id, label, type, why, explanation, concentration), total};
        ``shared_chokepoints``: ids that are chokepoints of both.

    Complexity: O(V + E) for the walks and the spec and claim scans, plus two chokepoint
    runs (one solve and kill-set pass each, O((S + R) · N/64)).

    Raises
    ------
    UsageError
        ``a == b`` or ``top`` < 1.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> res = compare(load(["tests/data/paths.ttl"]), "system-x", "system-y")
    >>> [r["id"] for r in res["dependencies"]["only_a"]]
    ['optics', 'optco']
    """
    _check_pair(kg, a, b, top)
    date = as_of or today()
    choke, shared = _both_chokepoints(kg, a, b, buyer, date, top)
    return {
        "a": {"id": a, "label": kg.label(a), "type": kg.node(a).get("type")},
        "b": {"id": b, "label": kg.label(b), "type": kg.node(b).get("type")},
        "as_of": date.isoformat(),
        "buyer": _buyer_ref(kg, buyer),
        "attributes": _attributes(kg, a, b),
        "claims": _claims(kg, a, b),
        "direct": _direct(kg, a, b, date),
        "dependencies": _deps(kg, a, b, date),
        "chokepoints": choke,
        "shared_chokepoints": shared,
    }


def _buyer_ref(kg: KnowledgeGraph, buyer: str | None) -> dict[str, Any] | None:
    """The buyer as {id, label, type}, or None for any buyer."""
    if buyer is None:
        return None
    return {"id": buyer, "label": kg.label(buyer), "type": kg.g.nodes.get(buyer, {}).get("type")}


def _check_pair(kg: KnowledgeGraph, a: str, b: str, top: int) -> None:
    """Refuse the same item twice and a ``top`` below 1."""
    if a == b:
        msg = f"compare needs two different items; both name {kg.label(a)}"
        raise UsageError(msg)
    if top < 1:
        msg = "out of range; use 1 or more"
        raise UsageError(msg, "top", top)


def _both_chokepoints(kg: KnowledgeGraph, a: str, b: str, buyer: str | None, date: dt.date,
                      top: int) -> tuple[dict[str, Any], list[str]]:
    """Each item's availability and ``top`` chokepoints ({"a", "b"}), and the ids both share."""
    ca, cb = _choke(kg, a, buyer, date, top), _choke(kg, b, buyer, date, top)
    ids_a = {r["id"] for r in ca["chokepoints"]}
    shared = [r["id"] for r in cb["chokepoints"] if r["id"] in ids_a]
    for c in (ca, cb):
        c["total"] = len(c["chokepoints"])
        c["chokepoints"] = c["chokepoints"][:top]
    return {"a": ca, "b": cb}, shared
