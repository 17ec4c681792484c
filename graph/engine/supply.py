"""The AND/OR supply model on one date, compiled from the graph.

An item needs ALL of its requirements (``requires`` edges) and is made by ANY of its
suppliers (``supplies`` edges): a firm, a facility, a country, or another item (a variant
or substitute).  Requirements are delivered to the supplier that makes the item.  Edges are
kept when valid on the date; planned suppliers are kept aside, for explanations only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..core.dates import edge_in_force
from ..core.model import KnowledgeGraph
from ..core.records import edge_dataset, iso

__all__ = ["ITEM_TYPES", "ACTOR_TYPES", "Link", "LinkLists", "SupplyModel", "first_link", "link_nodes", "figure_year",
           "placeholder_ends"]

ITEM_TYPES = frozenset({"Chip", "Component", "Tool", "Material", "Software", "Process", "System"})
ACTOR_TYPES = frozenset({"Firm", "Facility", "Country"})


class Link(NamedTuple):
    """One requirement or supply edge as the engine sees it (a tuple: fast to build)."""

    node: str  # the input (for a requirement) or the supplier (for a supply)
    item: str
    type: str
    share: float | None
    sources: tuple[dict[str, Any], ...]
    stock: bool = False
    note: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    expected_from: dt.date | None = None  # a planned supply: when it is expected
    replaced: tuple[dict[str, Any], ...] = ()  # the other dataset's figures this one won over

    def hop(self, made: dict[int, tuple[Any, dict[str, Any]]] | None = None) -> dict[str, Any]:
        """The explanation form: from upstream to downstream, with the edge's sources (each a
        copy, its date as text).  Given ``made``, a source's copy is made once per source
        and shared by every hop made with the same ``made`` (hops are only read after)."""
        out: dict[str, Any] = {"from": self.node, "to": self.item, "type": self.type,
                               "share": self.share, "sources": [_source_record(s, made) for s in self.sources]}
        if self.stock:
            out["stock"] = True
        return out


def _source_record(s: dict[str, Any], made: dict[int, tuple[Any, dict[str, Any]]] | None) -> dict[str, Any]:
    """A source as a hop shows it: a copy, its date as text; made once per source when
    ``made`` is given (the source kept with its id, so that the id is not reused)."""
    known = made.get(id(s)) if made is not None else None
    if known is not None:
        return known[1]
    out = dict(s)
    if isinstance(out.get("date"), dt.date):
        out["date"] = out["date"].isoformat()
    if made is not None:
        made[id(s)] = (s, out)
    return out


#: How many fields a Link has (a stored row of :class:`LinkLists` is that many codes).
_WIDTH = len(Link._fields)


class LinkLists(dict):  # type: ignore[type-arg]
    """Item -> its links, as read back from the model cache: in columns (each link a row
    of codes into a table of distinct values), made :class:`Link` objects per item when
    first read.  A question reads the links of the few items its answer shows; a large
    graph has millions, and one array of codes loads in a fraction of the time their
    tuples would.  Reading the whole (``items``, ``values``, ``==``) makes every one;
    :meth:`nodes` gives every link's node without making any.

    Parameters: the items in order; ``ptr`` where each item's rows start (and one past the
    last); ``codes`` the rows, flat, :data:`_WIDTH` codes each; ``values`` the table.
    O(items) to build; O(links of the item) on its first read, O(1) after.
    """

    def __init__(self, items: list[str], ptr: Any, codes: Any, values: list[Any]) -> None:
        super().__init__(zip(items, range(len(items)), strict=False))
        self._ptr, self._codes, self._values = ptr, codes, values

    def __getitem__(self, item: str) -> list[Link]:
        links = dict.__getitem__(self, item)
        if type(links) is int:
            make = tuple.__new__
            cells = list(map(self._values.__getitem__, self._codes[self._ptr[links] * _WIDTH:
                                                                   self._ptr[links + 1] * _WIDTH]))
            links = [make(Link, cells[k:k + _WIDTH]) for k in range(0, len(cells), _WIDTH)]
            dict.__setitem__(self, item, links)
        return links  # type: ignore[no-any-return]

    def get(self, item: str, default: Any = None) -> Any:
        return self[item] if dict.__contains__(self, item) else default

    def values(self) -> Any:
        return [self[k] for k in self]

    def items(self) -> Any:
        return [(k, self[k]) for k in self]

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == other

    __hash__ = None  # type: ignore[assignment]

    def row_nodes(self, item: str) -> list[str] | None:
        """The nodes of ``item``'s links in order, without making its Links (None: no
        such item).  O(links of the item)."""
        links = dict.get(self, item)
        if links is None:
            return None
        if type(links) is not int:
            return [lk.node for lk in links]
        vals, start, end = self._values, self._ptr[links] * _WIDTH, self._ptr[links + 1] * _WIDTH
        return [vals[c] for c in self._codes[start:end:_WIDTH]]

    def last(self, item: str) -> Link | None:
        """``item``'s last link, made alone unless its links are made already (None: no
        links).  O(1)."""
        links = dict.get(self, item)
        if links is None:
            return None
        if type(links) is not int:
            return links[-1] if links else None
        end = self._ptr[links + 1]
        return self._made(end - 1) if end != self._ptr[links] else None

    def first_to(self, item: str, node: str) -> Link | None:
        """``item``'s first link whose node is ``node`` (None: none), made alone unless its
        links are made already.  O(links of the item)."""
        links = dict.get(self, item)
        if links is None:
            return None
        if type(links) is not int:
            return next((lk for lk in links if lk.node == node), None)
        vals, codes = self._values, self._codes
        for row in range(self._ptr[links], self._ptr[links + 1]):
            if vals[codes[row * _WIDTH]] == node:
                return self._made(row)
        return None

    def _made(self, row: int) -> Link:
        """The Link of one stored row (not kept).  O(1)."""
        return tuple.__new__(Link, map(self._values.__getitem__, self._codes[row * _WIDTH:(row + 1) * _WIDTH]))

    def nodes(self) -> set[str]:
        """The node of every link (the input of a requirement, the supplier of a supply),
        read off the codes.  O(links)."""
        vals = self._values
        return {vals[c] for c in set(self._codes[0::_WIDTH])}


def link_nodes(lists: dict[str, list[Link]]) -> set[str]:
    """The node of every link of ``lists``, without making the Links of a
    :class:`LinkLists`.  O(links)."""
    if isinstance(lists, LinkLists):
        return lists.nodes()
    return {lk.node for links in lists.values() for lk in links}


def row_nodes(lists: dict[str, list[Link]], item: str) -> list[str]:
    """The nodes of ``item``'s links in order (none: empty), without making the Links of
    a :class:`LinkLists`.  O(links of the item)."""
    if isinstance(lists, LinkLists):
        return lists.row_nodes(item) or []
    return [lk.node for lk in lists.get(item, ())]


def first_link(lists: dict[str, list[Link]], item: str, node: str) -> Link | None:
    """``item``'s first link whose node is ``node`` (None: none), made alone from a
    :class:`LinkLists`.  O(links of the item)."""
    if isinstance(lists, LinkLists):
        return lists.first_to(item, node)
    return next((lk for lk in lists.get(item, ()) if lk.node == node), None)


def last_link(lists: dict[str, list[Link]], item: str) -> Link | None:
    """``item``'s last link (None: none), made alone from a :class:`LinkLists`.  O(1)."""
    if isinstance(lists, LinkLists):
        return lists.last(item)
    links = lists.get(item)
    return links[-1] if links else None


def _dataset(lk: Link) -> str:
    """``"ETO"`` for a link citing ETO's dataset, else ``"bundled"`` (the one rule: edge_dataset)."""
    return edge_dataset({"sources": lk.sources})


def _year(lk: Link) -> int:
    """The year a link's figure is for: its start, else its newest source (0 if unknown)."""
    if lk.valid_from is not None:
        return lk.valid_from.year
    years = [d.year for d in (x.get("date") for x in lk.sources) if isinstance(d, dt.date)]
    return max(years, default=0)


figure_year = _year  # public: answers say the year of the figure they used


def _same_share(a: Link, b: Link) -> bool:
    """Two figures that agree (to 0.01 percentage points, as ``validate``'s conflicts count)."""
    return (a.share is None and b.share is None) or (
        a.share is not None and b.share is not None and round(a.share, 4) == round(b.share, 4))


def newest_of_datasets(links: list[Link]) -> list[Link]:
    """Where two datasets (the bundled graph and ETO) both give the same supplier of an
    item, keep the more recent figure (ETO on a tie), its note saying what it replaced;
    ``validate`` lists each such conflict.  Stockpiles and one dataset's own rows stay.
    Complexity: O(k) for k links.
    """
    if len({lk.node for lk in links}) == len(links):  # no supplier given twice: nothing to choose
        return links
    by_supplier: dict[str, list[Link]] = {}
    for lk in links:
        if not lk.stock:
            by_supplier.setdefault(lk.node, []).append(lk)
    drop: set[int] = set()
    for rows in by_supplier.values():
        if len(rows) < 2 or len({_dataset(lk) for lk in rows}) < 2:
            continue
        keep = max(rows, key=lambda lk: (_year(lk), _dataset(lk) == "ETO"))
        for lk in rows:
            if lk is not keep and _dataset(lk) != _dataset(keep):
                drop.add(id(lk))
    if not drop:
        return links
    out = []
    for lk in links:
        if id(lk) in drop:
            continue
        old = [o for o in by_supplier.get(lk.node, []) if id(o) in drop and not _same_share(o, lk)]
        if old and not lk.stock:  # a figure that differs was replaced: say so (an equal one just merges)
            was = "; ".join(f"{_dataset(o)} gives {'no share' if o.share is None else f'{o.share:.1%}'}"
                            f" ({_year(o) or 'year unknown'})" for o in old)
            lk = lk._replace(note=((lk.note + " ") if lk.note else "")
                             + f"[{_dataset(lk)}, {_year(lk) or 'year unknown'}: the more recent figure; {was}]",
                             replaced=tuple({"dataset": _dataset(o), "share": o.share, "year": _year(o) or None}
                                            for o in old))
        out.append(lk)
    return out


def _sort_links(links: list[Link]) -> None:
    """Sort by share, then by content: never by the order of the files.  The full key
    (dates, sources) is only built when share and node tie.  O(k log k)."""
    if len(links) < 2:
        return
    links.sort(key=lambda lk: (-(lk.share or 0.0), lk.node))
    if any(a.node == b.node and (a.share or 0.0) == (b.share or 0.0)
           for a, b in zip(links, links[1:], strict=False)):
        links.sort(key=lambda lk: (-(lk.share or 0.0), lk.node, lk.stock, str(lk.valid_from or ""),
                                   str(lk.valid_to or ""), tuple(s.get("id", "") for s in lk.sources)))


def placeholder_ends(kg: KnowledgeGraph) -> tuple[frozenset[str], set[str]]:
    """The placeholder suppliers ("Various companies": ``aggregate`` nodes) and the
    model-specific items (one firm's design): a supply from the first to the second is a
    placeholder, never counted on any date.  O(V + E)."""
    aggregate = frozenset(n for n, d in kg.g.nodes(data=True) if d.get("aggregate"))
    return aggregate, {u for u, _v, _d in kg.edges_of("designed_by")}


@dataclass
class SupplyModel:
    """Requirements and suppliers of every item on one date.

    Attributes
    ----------
    reqs, sups : item -> list of Link (active on the date)
    planned, inactive : item -> list of Link (planned; valid on other dates)
    placeholders : item -> list of Link (placeholder suppliers, "Various companies", of a
        model-specific item, one firm's product: never counted, since an unnamed producer
        cannot make another firm's model)
    launch : item -> the date it was first available (before it: not yet launched)
    launch_state : item -> its launch status when it has no date (``launch_status``:
        ``not_yet_launched`` with ``launch_expected``; ``date_unknown`` with
        ``launch_not_before`` / ``launch_on_market_by``; ``not_a_product``)
    aggregate : the placeholder nodes
    country, operator : actor -> country id, facility -> firm id
    ancestors : item -> frozenset of itself and everything it is a kind of (only items
        that are a kind of something: read it as ``ancestors.get(item, frozenset({item}))``)
    jurisdictions : item -> countries it is subject to, inherited along kind_of (only
        items subject to some: read it as ``jurisdictions.get(item, frozenset())``)
    """

    kg: KnowledgeGraph
    date: dt.date
    reqs: dict[str, list[Link]] = field(default_factory=dict)
    sups: dict[str, list[Link]] = field(default_factory=dict)
    planned: dict[str, list[Link]] = field(default_factory=dict)
    inactive: dict[str, list[Link]] = field(default_factory=dict)
    placeholders: dict[str, list[Link]] = field(default_factory=dict)
    launch: dict[str, dt.date] = field(default_factory=dict)
    launch_state: dict[str, dict[str, Any]] = field(default_factory=dict)
    aggregate: frozenset[str] = frozenset()
    country: dict[str, str] = field(default_factory=dict)
    operator: dict[str, str] = field(default_factory=dict)
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)
    jurisdictions: dict[str, frozenset[str]] = field(default_factory=dict)
    items: frozenset[str] = frozenset()
    #: The distinct (valid_from, valid_to, planned) of the dependency edges the date rule
    #: reads (placeholder supplies aside), found while compiling: what the graph's change
    #: dates are worked out from (:func:`graph.engine.compiled.change_dates`).  Empty on a
    #: model read from the cache.
    validities: frozenset[tuple[Any, Any, Any]] = field(default=frozenset(), repr=False, compare=False)
    _chains: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def compile(cls, kg: KnowledgeGraph, date: dt.date) -> SupplyModel:
        """Build the model for ``date``.  Complexity: O(V + E), plus O(V·h) for kind-of
        ancestors of height h."""
        m = cls(kg, date)
        g = kg.g
        kind_of: dict[str, set[str]] = {}
        subject: dict[str, set[str]] = {}
        m.aggregate, specific = placeholder_ends(kg)
        m.launch = {n: d["launch"] for n, d in g.nodes(data=True) if d.get("launch")}
        m.launch_state = {n: {k: v for k, v in d.items() if k.startswith("launch_") and k != "launch_sources"}
                          for n, d in g.nodes(data=True) if d.get("launch_status")}
        cited: dict[int, tuple[dict[str, Any], ...]] = {}  # id(source list) -> its tuple: edges share lists
        # the rule is asked once per distinct (valid_from, valid_to) of the edges not
        # planned: all it reads of them (a large graph has few such pairs)
        in_force: dict[tuple[Any, Any], bool] = {}
        make = tuple.__new__  # a Link without the Python-level constructor: one per edge
        aggregate = m.aggregate
        validities: set[tuple[Any, Any, Any]] = set()
        for t, active in (("requires", m.reqs), ("supplies", m.sups)):
            for u, v, d in kg.edges_of(t):
                srcs = d.get("sources", ())
                sources = cited.get(id(srcs))
                if sources is None:
                    sources = cited[id(srcs)] = tuple(srcs)
                start, end, planned = d.get("valid_from"), d.get("valid_to"), d.get("planned")
                link = make(Link, (u, v, t, d.get("share"), sources, bool(d.get("stock")),
                                   d.get("note"), start, end, d.get("expected_from"), ()))
                placeholder = t == "supplies" and u in aggregate and v in specific
                if not placeholder:
                    validities.add((start, end, planned))
                if planned:
                    m.planned.setdefault(v, []).append(link)
                    continue
                if placeholder:
                    m.placeholders.setdefault(v, []).append(link)
                    continue
                ok = in_force.get((start, end))
                if ok is None:
                    ok = in_force[(start, end)] = edge_in_force({"valid_from": start, "valid_to": end}, date)
                (active if ok else m.inactive).setdefault(v, []).append(link)
        for u, v, _d in kg.edges_of("kind_of"):
            kind_of.setdefault(u, set()).add(v)
        for u, v, _d in kg.edges_of("subject_to"):
            subject.setdefault(u, set()).add(v)
        for n, d in g.nodes(data=True):
            if d.get("type") == "Country":
                m.country[n] = n
            elif d.get("country"):
                m.country[n] = d["country"]
            if d.get("operator"):
                m.operator[n] = d["operator"]
        items = [n for n, d in g.nodes(data=True) if d.get("type") in ITEM_TYPES]
        m.items = frozenset(items)
        for item in items:
            if item not in kind_of:  # no broader kind: itself (kept implicit), and what it is subject to
                direct = subject.get(item)
                if direct:
                    m.jurisdictions[item] = frozenset(direct)
                continue
            seen = {item}
            stack = [item]
            while stack:
                for parent in kind_of.get(stack.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            m.ancestors[item] = frozenset(seen)
            jur = frozenset(c for a in seen for c in subject.get(a, ()))
            if jur:
                m.jurisdictions[item] = jur
        for lst in m.sups.values():
            if len(lst) > 1:
                lst[:] = newest_of_datasets(lst)
        for links in (m.reqs, m.sups):
            for lst in links.values():
                _sort_links(lst)
        m.validities = frozenset(validities)
        return m

    def launched(self, item: str) -> bool:
        """False when the item is not on the market on the model's date: its first
        availability lies after it, it is not yet launched at all, or the earliest date
        its sources allow (``launch_not_before``) lies after it."""
        st = self.launch_state.get(item)
        if st is not None:
            if st["launch_status"] == "not_yet_launched":
                return False
            first = st.get("launch_not_before")
        else:
            first = self.launch.get(item)
        return first is None or first <= self.date

    def launch_reason(self, item: str) -> dict[str, Any]:
        """The ``not_launched`` reason record of an item :meth:`launched` says is not out."""
        st = self.launch_state.get(item, {})
        rec: dict[str, Any] = {"reason": "not_launched", "item": item, "launch": iso(self.launch.get(item))}
        for key in ("status", "expected", "not_before"):
            if st.get(f"launch_{key}") is not None:
                rec[key] = iso(st[f"launch_{key}"])
        return rec

    def is_item(self, node: str) -> bool:
        """True for chips, tools, materials, software, processes, systems, components."""
        return node in self.items

    def inactive_sups(self, item: str) -> list[Link]:
        """Supply edges of an item that are valid on other dates only."""
        return [lk for lk in self.inactive.get(item, []) if lk.type == "supplies"]

    def type_of(self, node: str) -> str | None:
        return self.kg.g.nodes.get(node, {}).get("type")  # type: ignore[no-any-return]

    def actor_chain(self, supplier: str) -> tuple[str, ...]:
        """The nodes whose loss takes a supplier out: itself, its operator, their countries.
        Memoised per supplier."""
        known = self._chains.get(supplier)
        if known is not None:
            return known
        chain = [supplier]
        op = self.operator.get(supplier)
        if op:
            chain.append(op)
        for n in list(chain):
            c = self.country.get(n)
            if c and c not in chain:
                chain.append(c)
        out = self._chains[supplier] = tuple(chain)
        return out

    def concentration(self, item: str) -> dict[str, Any]:
        """How concentrated an item's supply is: suppliers, top share, HHI, by firm and country.

        HHI is the sum of squared shares (0..1) over suppliers with a known share; it is
        ``None`` when no share is known.  Complexity: O(suppliers).

        >>> # see tests/engine/test_engine.py for worked examples
        """
        sups = self.sups.get(item, [])
        by_firm = [(lk.node, lk.share) for lk in sups]
        by_country: dict[str, float | None] = {}
        for lk in sups:
            c = self.country.get(lk.node) or (lk.node if not self.is_item(lk.node) else "?")
            prev = by_country.get(c)
            if lk.share is None:
                by_country.setdefault(c, None)
            else:
                by_country[c] = (prev or 0.0) + lk.share

        def summary(pairs: list[tuple[str, float | None]]) -> dict[str, Any]:
            known = [(n, s) for n, s in pairs if s is not None]
            top = max(known, key=lambda x: x[1]) if known else None
            return {
                "suppliers": len(pairs),
                "top": top[0] if top else None,
                "top_share": round(top[1], 4) if top else None,
                "hhi": round(sum(s * s for _n, s in known), 4) if known else None,
            }

        return {"by_firm": summary(by_firm), "by_country": summary(list(by_country.items()))}
