"""Finding entities by id, name, alias or Chinese name.

Matching is case-insensitive and ignores spaces, hyphens, underscores and dots, so
"gb200 nvl72", "GB200-NVL72" and "gb200nvl72" all find the GB200 NVL72.  Traditional
and Simplified Chinese are one script for matching (英偉達 finds 英伟达): OpenCC converts
both the names and the query.  Misses come back with the closest names as suggestions;
a name that fits several entities equally fails with the candidates, never picks one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..core.errors import AmbiguousEntity, UnknownEntity, UsageError
from ..core.model import KnowledgeGraph

__all__ = ["Match", "normalize", "search", "resolve", "resolve_country", "resolve_buyer", "resolve_government",
           "export_authority", "suggest"]

#: What can receive a flow: a country, a firm, or one of its facilities.
BUYER_TYPES = {"Country", "Firm", "Facility"}

_STRIP = re.compile(r"[\s\-_.·/]+")


@cache
def _to_simplified() -> Any:
    # The OpenCC dictionaries load in ~10 ms: only when a name is not plain ASCII.
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Fold case, width, separators and Traditional Chinese (to Simplified) for matching.

    >>> normalize("GB200 NVL-72")
    'gb200nvl72'
    >>> normalize("ＡＳＭＬ")
    'asml'
    >>> normalize("臺積電") == normalize("台积电")
    True
    """
    folded = _STRIP.sub("", unicodedata.normalize("NFKC", text).casefold())
    if folded.isascii():
        return folded
    return str(_to_simplified().convert(folded))


@dataclass(frozen=True)
class Match:
    """One search hit: the entity, how well it matched, and on what."""

    id: str
    label: str
    type: str
    score: float
    matched: str
    field: str


def _names(kg: KnowledgeGraph, node: str) -> list[tuple[str, str]]:
    data = kg.node(node)
    names = [("id", node), ("label", data.get("label") or node)]
    names += [("alias", a) for a in data.get("aliases", [])]
    if data.get("iso"):
        names.append(("iso", data["iso"]))
    return names


# Scores: exact id/label > exact alias > prefix > substring > fuzzy.
_EXACT = {"id": 100.0, "label": 100.0, "iso": 95.0, "alias": 90.0}


def search(
    kg: KnowledgeGraph, text: str, types: set[str] | None = None, limit: int = 20
) -> list[Match]:
    """Rank the entities whose id, label or aliases match ``text``.

    Complexity: O(N·A) for N entities with A names each.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> kg = load(["data/countries.ttl"])
    >>> [m.id for m in search(kg, "中国")][:1]
    ['cn']
    """
    query = normalize(text)
    if not query:
        return []
    hits: dict[str, Match] = {}
    for node, data in kg.typed(types or None):
        if data.get("missing"):
            continue
        best: tuple[float, str, str] | None = None
        for fld, name in _names(kg, node):
            norm = normalize(name)
            if not norm:
                continue
            if norm == query:
                score = _EXACT[fld]
            elif norm.startswith(query):
                score = 70.0 + 10.0 * len(query) / len(norm)
            elif query in norm:
                score = 50.0 + 10.0 * len(query) / len(norm)
            elif len(query) >= 3:
                # quick upper bounds first: most names are nowhere near the query
                sm = difflib.SequenceMatcher(None, query, norm)
                ratio = sm.ratio() if sm.real_quick_ratio() >= 0.75 and sm.quick_ratio() >= 0.75 else 0.0
                score = 40.0 * ratio if ratio >= 0.75 else 0.0
            else:
                score = 0.0
            if score and (best is None or score > best[0]):
                best = (score, name, fld)
        if best:
            hits[node] = Match(node, data.get("label") or node, data.get("type") or "",
                               round(best[0], 1), best[1], best[2])
    ranked = sorted(hits.values(), key=lambda m: (-m.score, len(m.label), m.label))
    return ranked[:limit]


def suggest(kg: KnowledgeGraph, text: str, types: set[str] | None = None, n: int = 5) -> list[str]:
    """Return up to ``n`` labels close to ``text`` (for "did you mean")."""
    hits = [m.label for m in search(kg, text, types) if m.score >= 20]
    if len(hits) >= n:
        return hits[:n]
    query = normalize(text)
    labels: dict[str, str] = {}
    for node, data in kg.typed(types or None):
        if data.get("missing"):
            continue
        for _fld, name in _names(kg, node):
            labels.setdefault(normalize(name), data.get("label") or node)
    for key in difflib.get_close_matches(query, list(labels), n=n * 2, cutoff=0.5):
        if labels[key] not in hits:
            hits.append(labels[key])
    return hits[:n]


def _exact_index(kg: KnowledgeGraph) -> NameIndex:
    """Normalised id, label, ISO code and alias -> (rank, node): exact names in O(log K).

    Built once per loaded graph (O(N·A)) and kept on it; rank 0 for ids and labels, 1 for
    ISO codes, 2 for aliases, as in :func:`search`.  A graph from the graph cache keeps
    it in the cache too, next to its compiled models, as a few flat arrays
    (:class:`NameIndex`): a new process reads it in a fraction of the time building it,
    or unpickling it as a dict of its K names, would take.
    """
    index = getattr(kg, "_exact_names", None)
    if index is None:
        from ..io import cache as store

        nodes = list(kg.g._node)

        def valid(fields: Any) -> bool:
            try:
                NameIndex(fields, nodes)
            except ValueError:
                return False
            return True

        fields = store.kept(store.graph_model_key(kg.cache_key, _NAMES), lambda: NameIndex.build(kg, nodes).fields(),
                            valid)
        index = kg._exact_names = NameIndex(fields, nodes)  # type: ignore[attr-defined]
    return index  # type: ignore[no-any-return]


class NameIndex:
    """Normalised name -> its entries (rank, node), as flat arrays: the names' UTF-8 bytes,
    sorted, in one ``blob`` cut at ``offs``; each name's entries from ``ptr[k]`` to
    ``ptr[k + 1]`` in ``rank`` and ``node`` (a place in the graph's node order, the
    ``nodes`` given).  :meth:`get` is a binary search.  O(entries) to check when read back
    (its shape and places: the entry is sealed, so its order is as it was written)."""

    FIELDS = ("blob", "offs", "ptr", "rank", "node")

    def __init__(self, fields: dict[str, Any], nodes: list[str]) -> None:
        """Raises ValueError when ``fields`` do not make an index of ``nodes``."""
        bad = "not a name index"
        if not isinstance(fields, dict) or set(fields) != set(self.FIELDS):
            raise ValueError(bad)
        blob, offs, ptr, rank, node = (fields[f] for f in self.FIELDS)
        if not (isinstance(blob, bytes) and all(isinstance(a, array) and a.typecode == "q"
                                                for a in (offs, ptr, rank, node))
                and len(offs) == len(ptr) >= 1 and offs[0] == 0 and offs[-1] == len(blob)
                and ptr[0] == 0 and ptr[-1] == len(rank) == len(node)
                and (not node or 0 <= min(node) <= max(node) < len(nodes))):
            raise ValueError(bad)
        self.blob, self.offs, self.ptr, self.rank, self.node, self.nodes = blob, offs, ptr, rank, node, nodes

    @classmethod
    def build(cls, kg: KnowledgeGraph, nodes: list[str]) -> NameIndex:
        """Every node's names (:func:`_names`), but those of undefined ones.  O(N·A + K log K)."""
        rank = {"id": 0, "label": 0, "iso": 1, "alias": 2}
        names: dict[bytes, list[tuple[int, int]]] = {}
        data = kg.g._node
        for i, n in enumerate(nodes):
            if data[n].get("missing"):
                continue
            for fld, name in _names(kg, n):
                names.setdefault(_key(normalize(name)), []).append((rank[fld], i))
        keys = sorted(names)
        offs, ptr, ranks, places = array("q", [0]), array("q", [0]), array("q"), array("q")
        for k in keys:
            offs.append(offs[-1] + len(k))
            for r, i in names[k]:
                ranks.append(r)
                places.append(i)
            ptr.append(len(ranks))
        return cls({"blob": b"".join(keys), "offs": offs, "ptr": ptr, "rank": ranks, "node": places}, nodes)

    def fields(self) -> dict[str, Any]:
        """What :meth:`__init__` takes back (with the nodes)."""
        return {"blob": self.blob, "offs": self.offs, "ptr": self.ptr, "rank": self.rank, "node": self.node}

    def get(self, name: str, default: list[tuple[int, str]] | None = None) -> list[tuple[int, str]]:
        """The entries of one normalised name, or ``default`` (none: an empty list).  O(log K)."""
        want, blob, offs = _key(name), self.blob, self.offs
        lo, hi = 0, len(offs) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offs[mid]:offs[mid + 1]] < want:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(offs) - 1 and blob[offs[lo]:offs[lo + 1]] == want:
            return [(self.rank[e], self.nodes[self.node[e]]) for e in range(self.ptr[lo], self.ptr[lo + 1])]
        return [] if default is None else default

    def as_dict(self) -> dict[str, list[tuple[int, str]]]:
        """Every name and its entries.  O(K + entries)."""
        out = {}
        for k in range(len(self.offs) - 1):
            name = self.blob[self.offs[k]:self.offs[k + 1]].decode("utf-8", "surrogatepass")
            out[name] = [(self.rank[e], self.nodes[self.node[e]]) for e in range(self.ptr[k], self.ptr[k + 1])]
        return out


def _key(name: str) -> bytes:
    """A normalised name as the index sorts it (any text, even a lone surrogate)."""
    return name.encode("utf-8", "surrogatepass")


#: The name of the exact-name index among a cached graph's compiled entries.
_NAMES = "exact-names"


def resolve(
    kg: KnowledgeGraph, text: str, types: set[str] | None = None, what: str = "entity", *, hints: bool = True
) -> str:
    """Return the id of the one entity ``text`` names.

    An exact id, label, ISO code or alias wins (ids and labels before ISO codes, before
    aliases); otherwise a prefix of exactly one entity's names.  Never picks one of
    several: two policies named "BIS rule of Oct 2023: ..." make "BIS rule of Oct 2023"
    ambiguous.

    Raises
    ------
    UnknownEntity
        Nothing matches; the error lists close names (none with ``hints`` off: a caller
        that tries again with other classes, and shows only that error, spares the scan).
    AmbiguousEntity
        Several entities match equally well.
    """
    exact = _exact_index(kg).get(normalize(text), [])
    exact = [(rank, n) for rank, n in exact if not types or kg.g.nodes[n].get("type") in types]
    if exact:
        first = min(r for r, _n in exact)
        ids = sorted({n for r, n in exact if r == first})
        if len(ids) == 1:
            return ids[0]
        raise AmbiguousEntity(text, [_candidate(kg, n) for n in ids])
    # No exact name: a prefix of exactly one entity's names ("Ascend 910C" of
    # "Huawei Ascend 910C" does not count: prefixes only).  Two or more is ambiguous.
    prefixed = [h for h in search(kg, text, types, limit=1000) if h.score >= _PREFIX]
    if len(prefixed) == 1:
        return prefixed[0].id
    if prefixed:
        raise AmbiguousEntity(text, [_candidate(kg, h.id) for h in prefixed[:_MAX_CANDIDATES]]
                              + ([f"... {len(prefixed) - _MAX_CANDIDATES} more"]
                                 if len(prefixed) > _MAX_CANDIDATES else []))
    raise UnknownEntity(text, suggest(kg, text, types) if hints else [], what)


#: Lowest score of a prefix match in :func:`search` (exact names score 90-100).
_PREFIX = 70.0
_MAX_CANDIDATES = 8


def _candidate(kg: KnowledgeGraph, node: str) -> str:
    return f"{node} ({kg.label(node)})"


def resolve_country(kg: KnowledgeGraph, text: str) -> str:
    """Resolve a country by ISO code, name or alias ("CN", "China", "中国").

    >>> from chokemap.graph.io.load import load
    >>> kg = load(["data/countries.ttl"])
    >>> resolve_country(kg, "cn"), resolve_country(kg, "中国"), resolve_country(kg, "China")
    ('cn', 'cn', 'cn')
    """
    return resolve(kg, text, {"Country"}, "country")


def resolve_buyer(kg: KnowledgeGraph, text: str | None) -> str | None:
    """A buyer is a country (ISO code, name, alias) or a firm; None means any buyer."""
    if text is None:
        return None
    try:  # the "did you mean" of this first try is never shown: not worked out
        return resolve(kg, text, {"Country"}, "country", hints=False)
    except (UnknownEntity, AmbiguousEntity):  # not a country: a firm, or report on both
        return resolve(kg, text, BUYER_TYPES, "buyer (country or firm)")


def resolve_government(kg: KnowledgeGraph, text: str) -> str:
    """The government body that would issue an embargo: by id or name, or by its country.

    A country ("US", "Netherlands") stands for the body that issues its export controls
    (``cm:exportControlAuthority`` in the data: for the US, the Bureau of Industry and
    Security, never Congress), else the government that governs it.  A government named
    outright is taken as named; an agency that governs no country is refused.

    >>> from chokemap.graph.io.load import load
    >>> kg = load(["data/countries.ttl"])
    >>> resolve_government(kg, "US"), resolve_government(kg, "NL"), resolve_government(kg, "MOFCOM")
    ('us-bis', 'gov-nl', 'cn-mofcom')
    """
    try:
        country: str | None = resolve(kg, text, {"Country"}, "country")
    except (UnknownEntity, AmbiguousEntity):
        country = None  # not a country's name: look for the government itself below
    if country is not None:
        body = export_authority(kg, country)
        if body is not None:
            return body
    gov = resolve(kg, text, {"Government"}, "government")
    if not kg.g.nodes[gov].get("governs"):
        msg = f"government {kg.label(gov)!r} governs no country; name the country instead"
        raise UsageError(msg)
    return gov


def export_authority(kg: KnowledgeGraph, country: str) -> str | None:
    """The body that issues ``country``'s export controls, or None when it has no government.

    Its ``cm:exportControlAuthority`` when the data names one; else the government that
    governs the country outright (not one of its agencies).
    """
    named = sorted(v for _u, v, d in kg.g.out_edges(country, data=True) if d["type"] == "export_authority")
    if named:
        return named[0]
    top = sorted(u for u, _v, d in kg.g.in_edges(country, data=True) if d["type"] == "governs")
    return top[0] if top else None
