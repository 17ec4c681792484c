"""Policies in time: which are in force on a date, and which flows they reach.

A flow is one item going from one supplier to one buyer.  On a date, a policy *applies*
to a flow when it is in force (``effective_from <= date <= effective_to``), not suspended
by another policy in force, not relaxed for that item, covers the item (directly, through
``kind_of``, through the supplier, or everything), reaches the supplier (its scope) and
names the buyer's country or the buyer as a listed party.  Flows inside one country are
never reached by any policy.  What it then does depends on
its kind: block the flow, let it through with conditions, or nothing by itself.

The rules of the world are data, read here:

* a destination may be a country group (``cm:CountryGroup``: EAR D:5, "China with Hong
  Kong and Macau"), whose members on the date are the destinations; a headquarters rule
  (``cm:headquarters``) reaches buyers based in those countries;
* a policy that relaxes another relaxes it only for the flows it reaches itself (its own
  destinations and listed parties), and brings its own conditions with it;
* an approval or a relaxation that names listed parties reaches those parties only, never
  everyone in its destination (China's approval of H200 imports for three firms leaves
  every other Chinese buyer under the customs block).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from ..core.dates import within
from ..core.model import KnowledgeGraph
from ..core.terms import BLOCKING, CONDITION

__all__ = ["Buyer", "Policy", "PolicyBook", "effect_of", "policies_from_graph", "group_members", "embargo",
           "reaches", "top_governments"]

def effect_of(kind: str | None) -> str:
    """What a policy kind does to a flow: "block", "condition" or "none".

    >>> effect_of("LicenceDenial"), effect_of("Tariff"), effect_of("Announcement")
    ('block', 'condition', 'none')
    """
    if kind in BLOCKING:
        return "block"
    if kind in CONDITION:
        return "condition"
    return "none"


class Buyer(NamedTuple):
    """Who receives a flow: a country (None: any buyer, no destination rules) and the
    listed parties the receiving firm or facility counts as."""

    country: str | None
    parties: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Policy:
    """One policy, compiled for fast checks."""

    id: str
    label: str
    kind: str
    effect: str
    issuer: str | None
    issuer_country: str | None
    scope: str
    covers: frozenset[str]
    covers_supplier: frozenset[str]
    covers_all: bool
    destinations: frozenset[str]
    parties: frozenset[str]
    relaxes: frozenset[str]
    suspends: frozenset[str]
    effective_from: dt.date | None
    effective_to: dt.date | None
    conditions: tuple[str, ...] = ()
    synthetic: bool = False
    groups: frozenset[str] = frozenset()  # destination groups, expanded on a date
    via: tuple[tuple[str, str], ...] = ()  # (country, group) it reaches through a group

    @property
    def party_scoped(self) -> bool:
        """True when the policy reaches its listed parties only: an approval or a
        relaxation that names firms (everyone else stays under what it relaxes)."""
        return bool(self.parties) and (bool(self.relaxes) or self.kind == "ImportApproval")

    def group_of(self, country: str | None) -> str | None:
        """The group through which the policy reaches ``country`` (None: named directly)."""
        return next((g for c, g in self.via if c == country), None)

    def in_force(self, on: dt.date) -> bool:
        """True when ``on`` lies within the policy's effective dates (both days included)."""
        return within(on, self.effective_from, self.effective_to)


#: The links of a policy node that compile into its :class:`Policy`.
_POLICY_LINKS = ("covers", "covers_supplier", "destination", "headquarters", "listed_party", "relaxes", "suspends")


def policies_from_graph(kg: KnowledgeGraph) -> dict[str, Policy]:
    """Compile every ``Policy`` node of the graph.  Destinations and headquarters rules
    that name a country group keep the group (:meth:`PolicyBook.on` expands it to its
    members on the date).  The links come from the graph's index by type
    (:meth:`KnowledgeGraph.edges_of`), so a cached graph's adjacency is not read.
    Memoised on the graph (a copy of the dict is returned; policies are immutable), and
    kept in the model cache with a cached graph's models.
    Complexity: O(V + E_P) the first time, for the E_P edges of the policy link types;
    O(P) after, for P policies."""
    known = kg.memo.get("policies")
    if known is None:
        known = kg.memo["policies"] = _stored_policies(kg)
    return dict(known)


def _stored_policies(kg: KnowledgeGraph) -> dict[str, Policy]:
    """The graph's policies, kept beside its compiled models in the model cache (a
    question on a large graph then needs no pass over its nodes to find them); worked
    out and stored when missing or damaged.  O(P) from the cache, O(V + E_P) else."""
    from ..io import cache

    def valid(v: Any) -> bool:
        return isinstance(v, dict) and all(isinstance(p, Policy) and p.id == pid for pid, p in v.items())

    return cache.kept(cache.graph_model_key(kg.cache_key, "policies"), lambda: _policies(kg), valid)  # type: ignore[no-any-return]


def _policies(kg: KnowledgeGraph) -> dict[str, Policy]:
    out: dict[str, Policy] = {}
    g = kg.g
    by_policy: dict[str, dict[str, set[str]]] = {}
    for t in _POLICY_LINKS:
        for u, v, _e in kg.edges_of(t):
            by_policy.setdefault(u, {}).setdefault(t, set()).add(v)
    for pid, d in sorted(((n, d) for n, d in g.nodes(data=True) if d.get("type") == "Policy"),
                         key=lambda nd: nd[0]):  # by id, not file order
        links = by_policy.get(pid, {})
        places = links.get("destination", set()) | links.get("headquarters", set())
        groups = {n for n in places if g.nodes.get(n, {}).get("type") == "CountryGroup"}
        issuer = d.get("issuer")
        issuer_country = g.nodes[issuer].get("governs") if issuer in g else None
        kind = d.get("kind") or "Announcement"
        scope = d.get("scope") or ("Imports" if kind in ("ImportBan", "ImportApproval") else "IssuerExports")
        out[pid] = Policy(
            id=pid, label=d.get("label") or pid, kind=kind, effect=effect_of(kind),
            issuer=issuer, issuer_country=issuer_country, scope=scope,
            covers=frozenset(links.get("covers", ())),
            covers_supplier=frozenset(links.get("covers_supplier", ())),
            covers_all=bool(d.get("covers_all")),
            destinations=frozenset(places - groups),
            parties=frozenset(links.get("listed_party", ())),
            relaxes=frozenset(links.get("relaxes", ())),
            suspends=frozenset(links.get("suspends", ())),
            effective_from=d.get("effective_from"), effective_to=d.get("effective_to"),
            conditions=tuple(d.get("conditions", ())),
            groups=frozenset(groups),
        )
    return out


def group_members(kg: KnowledgeGraph, on: dt.date) -> dict[str, frozenset[str]]:
    """Each country group's members on ``on`` (memberships within their dates).

    Complexity: O(M) for M membership edges.
    """
    out: dict[str, set[str]] = {}
    for country, group, d in kg.edges_of("member_of"):
        if within(on, d.get("valid_from"), d.get("valid_to")):
            out.setdefault(group, set()).add(country)
    return {grp: frozenset(members) for grp, members in out.items()}


def _expand(p: Policy, members: dict[str, frozenset[str]]) -> Policy:
    """``p`` with its destination groups replaced by their members on the date."""
    if not p.groups:
        return p
    via = tuple(sorted((c, grp) for grp in p.groups for c in members.get(grp, ()) if c not in p.destinations))
    return replace(p, destinations=p.destinations | {c for c, _g in via}, via=via)


def top_governments(kg: KnowledgeGraph) -> dict[str, str]:
    """Top-level governments (those that govern a country and are part of no other
    government) -> their country: who can embargo a country in a what-if.  Memoised on
    the graph; O(V + part-of links) the first time."""
    known = kg.memo.get("top_governments")
    if known is None:
        parts = {u for u, _v, _e in kg.edges_of("part_of")}
        known = kg.memo["top_governments"] = {
            n: d["governs"] for n, d in kg.typed({"Government"}) if d.get("governs") and n not in parts}
    return dict(known)


def embargo(government: str, government_label: str, gov_country: str, country: str) -> Policy:
    """A hypothetical embargo: the government bans every item in its jurisdiction to ``country``."""
    return Policy(
        id=f"embargo:{government}:{country}", label=f"hypothetical embargo by {government_label}",
        kind="Ban", effect="block", issuer=government, issuer_country=gov_country,
        scope="IssuerExports", covers=frozenset(), covers_supplier=frozenset(), covers_all=True,
        destinations=frozenset({country}), parties=frozenset(), relaxes=frozenset(),
        suspends=frozenset(), effective_from=None, effective_to=None, synthetic=True,
    )


@dataclass
class PolicyBook:
    """The policies that act on one date, with lookups for applying them to flows.

    Build with :meth:`on`.  ``active`` holds the policies in force and not suspended
    (minus any lifted); ``relaxed_by[p]`` the active policies relaxing ``p``.
    """

    date: dt.date
    active: dict[str, Policy]
    relaxed_by: dict[str, list[Policy]] = field(default_factory=dict)
    suspended: dict[str, list[str]] = field(default_factory=dict)
    lifted: frozenset[str] = frozenset()

    @classmethod
    def on(
        cls,
        policies: dict[str, Policy],
        date: dt.date,
        lifted: Iterable[str] = (),
        extra: Iterable[Policy] = (),
        members: dict[str, frozenset[str]] | None = None,
    ) -> PolicyBook:
        """Select the policies acting on ``date``.

        A suspension in force switches off what it suspends; a lifted policy (what-if)
        is treated as never issued; destination groups become their ``members`` on the
        date (:func:`group_members`).  Complexity: O(P + G) for G group memberships.
        """
        lifted = frozenset(lifted)
        in_force = {p.id: _expand(p, members or {}) for p in policies.values()
                    if p.in_force(date) and p.id not in lifted}
        suspended: dict[str, list[str]] = {}
        for p in in_force.values():
            for target in p.suspends:
                suspended.setdefault(target, []).append(p.id)
        active = {pid: p for pid, p in in_force.items() if pid not in suspended}
        for p in extra:
            active[p.id] = p
        relaxed_by: dict[str, list[Policy]] = {}
        for p in active.values():
            for target in p.relaxes:
                relaxed_by.setdefault(target, []).append(p)
        return cls(date, active, relaxed_by, suspended, lifted)

    def with_extra(self, extra: Iterable[Policy]) -> PolicyBook:
        """A copy with hypothetical policies added."""
        active = dict(self.active)
        for p in extra:
            active[p.id] = p
        return replace(self, active=active)

    def applicable(
        self,
        item_ancestors: frozenset[str],
        item_jurisdictions: frozenset[str],
        supplier_ids: frozenset[str],
        supplier_country: str | None,
        buyer: Buyer,
    ) -> list[Policy]:
        """The active policies that apply to one flow.

        Parameters
        ----------
        item_ancestors : the item and everything it is a kind of.
        item_jurisdictions : countries the item is subject to wherever made.
        supplier_ids : the supplier and its operator (for facilities).
        supplier_country : the country the supplier is in.
        buyer : the receiving country and listed parties.

        See :func:`reaches` for what reaching a flow means.  Complexity: O(P) per flow
        for P active policies.
        """
        out = []
        for p in self.active.values():
            if p.effect == "none":
                continue
            relaxers = self.relaxed_by.get(p.id, ())
            if any(reaches(r, item_ancestors, item_jurisdictions, supplier_ids, supplier_country, buyer)
                   for r in relaxers):
                continue  # relaxed for this flow: the relaxer's own conditions apply instead
            if reaches(p, item_ancestors, item_jurisdictions, supplier_ids, supplier_country, buyer):
                out.append(p)
        return out


def reaches(
    p: Policy,
    item_ancestors: frozenset[str],
    item_jurisdictions: frozenset[str],
    supplier_ids: frozenset[str],
    supplier_country: str | None,
    buyer: Buyer,
) -> bool:
    """True when policy ``p`` covers a flow (ignoring dates, suspensions and relaxations).

    A flow inside one country (supplier and buyer in the same country) is never
    reached: export controls stop at the border, and foreign rules are not enforced
    inside the destination (SMIC making dies for Huawei in China).  Complexity: O(1)
    set operations.
    """
    if supplier_country is not None and supplier_country == buyer.country:
        return False
    if not (p.covers_all or p.covers & item_ancestors or p.covers_supplier & supplier_ids):
        return False
    if p.scope == "Imports":
        if buyer.country != p.issuer_country or supplier_country == p.issuer_country:
            return False
    elif p.scope == "IssuerExports":
        if supplier_country != p.issuer_country and p.issuer_country not in item_jurisdictions:
            return False
        if buyer.country is not None and buyer.country == p.issuer_country:
            return False
    if p.party_scoped:
        return bool(p.parties & buyer.parties)
    if p.destinations or p.parties:
        return buyer.country in p.destinations or bool(p.parties & buyer.parties)
    return buyer.country is not None and buyer.country != p.issuer_country
