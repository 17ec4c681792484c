"""The records a view is made of: each node's and edge's JSON, with styles, facts and safe links.

:mod:`graph.render.views` collects these records into a view; the page
(:mod:`graph.render.page`) draws them as they are, so every field here is display-ready:
dates as ISO text, URLs only when absolute http(s), numbers and flags as JSON values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import edge_dataset, iso

__all__ = [
    "CLASS_STYLE",
    "DERIVED",
    "edge_record",
    "entity_facts",
    "node_record",
    "safe_url",
    "source_links",
    "type_filter",
    "url_host",
    "visible",
    "zh_name",
]

#: Colour and vis-network shape of each class (the legend of every page).
CLASS_STYLE: dict[str, tuple[str, str]] = {
    "System": ("#d37295", "star"),
    "Chip": ("#f28e2b", "diamond"),
    "Component": ("#b6992d", "diamond"),
    "Process": ("#9c755f", "square"),
    "Tool": ("#e3b505", "triangleDown"),
    "Material": ("#499894", "dot"),
    "Software": ("#f1a2c0", "star"),
    "Firm": ("#4e79a7", "dot"),
    "Facility": ("#86b6e0", "square"),
    "Country": ("#59a14f", "hexagon"),
    "Government": ("#8cd17d", "hexagon"),
    "Policy": ("#b07aa1", "triangle"),
    "Claim": ("#a5a5a5", "triangleDown"),
    "Unknown": ("#cccccc", "dot"),
}

#: Edge types a view derives (drawn dashed): who is located where, operates, has jurisdiction.
DERIVED = frozenset({"location_of", "operates", "jurisdiction_over"})


#: Characters that reorder or hide text (bidirectional controls, zero-width characters): a
#: label with U+202E reads backwards, one with U+200B defeats search.  Pages show them escaped.
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def visible(text: Any) -> str:
    r"""``text`` with bidi controls and zero-width characters written as ``\uXXXX`` escapes.

    Complexity: O(len(text)).

    >>> print(visible("\u202eLMSA"), visible("AS\u200bML"), visible("台积电"))
    \u202eLMSA AS\u200bML 台积电
    """
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def zh_name(aliases: Iterable[str]) -> str:
    """The first alias written in Chinese characters (the graph tags them ``@zh``), or "".

    >>> zh_name(["Nvidia", "英伟达", "輝達"])
    '英伟达'
    """
    for a in aliases:
        if any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in str(a)):
            return visible(a)
    return ""


def url_host(url: str) -> str:
    """The host a link goes to, without any user name or password before it.

    >>> url_host("https://user:pass@example.org:8443/a"), url_host("javascript:x")
    ('example.org', '')
    """
    if not safe_url(url):
        return ""
    try:
        return urlsplit(str(url).strip()).hostname or ""
    except ValueError:
        return ""


def safe_url(url: str | None) -> str:
    """Return ``url`` if it is an absolute http(s) URL, else the empty string.

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url("//x")
    ('https://example.org/a?b=1', '', '')
    """
    if not url:
        return ""
    text = str(url).strip()
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def source_links(srcs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources as a page shows them: every display field set, dates as ISO text, only http(s) URLs.

    >>> source_links([{"id": "s1", "url": "javascript:alert(1)"}])
    [{'id': 's1', 'title': 's1', 'publisher': '', 'date': '', 'url': '', 'host': '', 'secondary': False}]
    """
    out = []
    for s in srcs:
        out.append({"id": visible(s.get("id", "")), "title": visible(s.get("title") or s.get("id", "")),
                    "publisher": visible(s.get("publisher") or ""), "date": iso(s.get("date")) or "",
                    "url": safe_url(s.get("url")), "host": url_host(s.get("url") or ""),
                    "secondary": bool(s.get("secondary"))})
    return out


def entity_facts(kg: KnowledgeGraph, d: dict[str, Any]) -> list[list[str]]:
    """The entity's attributes as [name, text] pairs for the side panel."""
    facts: list[list[str]] = []

    def add(name: str, value: Any) -> None:
        if value is None or value == "" or value == []:
            return
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value)
        facts.append([name, visible(iso(value))])

    add("Also known as", d.get("aliases"))
    for key, name in (("country", "Country"), ("operator", "Operator"), ("issuer", "Issuer"),
                      ("governs", "Governs")):
        if d.get(key):
            add(name, visible(kg.label(d[key])))
    add("Kind", d.get("kind"))
    add("Scope", d.get("scope"))
    add("Covers every item", "yes" if d.get("covers_all") else None)
    add("In force from", d.get("effective_from"))
    add("In force until", d.get("effective_to"))
    add("Announced", d.get("announced"))
    add("Conditions", d.get("conditions"))
    add("Status", d.get("status"))
    add("Statement", d.get("statement"))
    add("Note", d.get("note"))
    add("Placeholder", "yes (never reported as a chokepoint)" if d.get("aggregate") else None)
    add("Wikidata", d.get("wikidata"))
    return facts


def node_record(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    """A node of a view: label, class style, description, facts, specs and sources."""
    d = kg.g.nodes[node]
    cls = d.get("type") or "Unknown"
    colour, shape = CLASS_STYLE.get(cls, CLASS_STYLE["Unknown"])
    srcs = list(d.get("sources") or []) + list(d.get("claimed_by") or [])
    specs = []
    for s in d.get("specs", []):
        value = " ".join(str(x) for x in (s.get("value"), s.get("unit")) if x is not None)
        specs.append({"property": visible(s.get("property", "")), "value": visible(value),
                      "as_of": iso(s.get("as_of")) or "", "sources": source_links(s.get("sources", []))})
    return {
        "id": node,
        "label": visible(d.get("label") or node),
        "zh": zh_name(d.get("aliases", [])),
        "aliases": [visible(a) for a in d.get("aliases", [])],
        "type": cls,
        "color": colour,
        "shape": shape,
        "size": 14,
        "role": "",
        "description": visible(d.get("description") or ""),
        "facts": entity_facts(kg, d),
        "specs": specs,
        "sources": source_links(srcs),
    }


def edge_record(eid: str, u: str, v: str, d: dict[str, Any]) -> dict[str, Any]:
    """An edge of a view, id ``eid``: type, share, dates, flags, note and sources."""
    rec: dict[str, Any] = {
        "id": eid,
        "from": u,
        "to": v,
        "type": d["type"],
        "share": d.get("share"),
        "share_basis": d.get("share_basis") or "",
        "quantity": d.get("quantity"),
        "valid_from": iso(d.get("valid_from")) or "",
        "valid_to": iso(d.get("valid_to")) or "",
        "stock": bool(d.get("stock")),
        "planned": bool(d.get("planned")),
        "note": visible(d.get("note") or ""),
        "sources": source_links(d.get("sources", [])),
        "derived": d["type"] in DERIVED,
        # which dataset the edge came from (None for an edge derived, not stated)
        "dataset": None if d["type"] in DERIVED else edge_dataset(d),
        "highlight": False,
    }
    return rec


def type_filter(types: Iterable[str] | None) -> set[str] | None:
    """The classes ``--type`` names, spelt as in :data:`CLASS_STYLE`; None for all.

    >>> sorted(type_filter(["chip", " Firm "]))
    ['Chip', 'Firm']
    """
    if not types:
        return None
    wanted = {t.strip() for t in types if t and t.strip()}
    known = {c.casefold(): c for c in CLASS_STYLE}
    out = set()
    for t in wanted:
        if t.casefold() not in known:
            names = ", ".join(c for c in CLASS_STYLE if c != "Unknown")
            msg = f"not a class; use one or more of {names}"
            raise UsageError(msg, "type", repr(t))
        out.add(known[t.casefold()])
    return out
