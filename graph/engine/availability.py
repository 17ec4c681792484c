"""Availability: can a buyer get an item on a date, and if not, why not.

The state space is (item, buyer) pairs, discovered on demand from the items asked about.
A state is available when one of its *options* works: a supplier that is not knocked
out, whose flow to the buyer no policy blocks, and all of whose requirements are
available to that supplier (requirements are delivered to the maker).  An item supplier
(a variant) works when the variant is available to the same buyer; an item with no
supplier at all is made by the buyer from its requirements.

This is the least fixpoint of a monotone AND/OR system, computed by counting down the
unmet prerequisites of each option (Dowling and Gallier's linear-time propagation): each
state and option is touched a constant number of times, so one solve costs
O(S + O + R) for S states, O options and R prerequisite links, all of it restricted to
what the asked items need.  An item on a requirement cycle with no way in from outside
is unavailable (that is what the least fixpoint means; ``chokemap validate`` reports such
cycles).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..core.records import iso
from ..io.cache import paused_gc
from .policy import Buyer, Policy, PolicyBook
from .supply import Link, SupplyModel

__all__ = ["State", "Option", "OptionGroup", "Solution", "Engine", "working_options"]


class State(NamedTuple):
    """An item as delivered to a buyer (a tuple: hashing it is cheap, and states are
    hashed millions of times on large graphs)."""

    item: str
    buyer: Buyer


@dataclass(slots=True)
class Option:
    """One way to meet a state: a supplier (actor or variant item), or self-made."""

    state: State
    kind: str  # "actor", "variant", "self"
    link: Link | None
    prereqs: tuple[State, ...]
    blocked: tuple[Policy, ...] = ()
    conditions: tuple[Policy, ...] = ()
    knocked: str | None = None

    @property
    def dead(self) -> bool:
        """True when the option cannot work whatever its prerequisites."""
        return bool(self.blocked or self.knocked)

    @property
    def supplier(self) -> str | None:
        return self.link.node if self.link else None


#: Options of one state sharing one prerequisite tuple: (the tuple, the options in order).
OptionGroup = tuple[tuple[State, ...], list[Option]]


def working_options(options: Iterable[Option], available: set[State] | frozenset[State],
                    met: dict[int, bool]) -> list[Option]:
    """The options that work: not blocked, not knocked out, every prerequisite available.
    ``met`` remembers each prerequisite tuple's answer by identity (suppliers share one
    tuple), across calls.  O(options), plus O(prerequisites) per new tuple."""
    out: list[Option] = []
    for o in options:
        if o.blocked or o.knocked:
            continue
        ok = met.get(id(o.prereqs))
        if ok is None:
            ok = met[id(o.prereqs)] = all(p in available for p in o.prereqs)
        if ok:
            out.append(o)
    return out


@dataclass
class Solution:
    """The fixpoint: which states are available, freely or with conditions, and how."""

    options: dict[State, list[Option]] = field(default_factory=dict)
    available: set[State] = field(default_factory=set)
    free: set[State] = field(default_factory=set)
    justification: dict[State, Option] = field(default_factory=dict)
    order: list[State] = field(default_factory=list)
    removed_items: frozenset[str] = frozenset()
    #: Every state has at most one group of options and nothing can fail by itself (a
    #: solution on the item graph, :mod:`graph.engine.itemgraph`): every option of an
    #: available state works, and nothing is available only with conditions.
    one_group: bool = False

    def firing_rank(self) -> Any:
        """State -> its place in the firing order (``order``), read with ``.get(state,
        default)``.  O(S) to build."""
        return {s: i for i, s in enumerate(self.order)}


class Engine:
    """Availability on one date, under one set of policies and knock-outs.

    Parameters
    ----------
    model : SupplyModel
        Requirements and suppliers valid on the date.
    book : PolicyBook
        The policies acting on the date (plus any hypothetical ones).
    removed : iterable of str
        Knocked-out nodes: items, firms, facilities, countries.
    keep : iterable of str
        Countries to keep apart even when no policy names them (the buyer's own, whose
        embargoes the chokepoint analysis tries).
    """

    def __init__(
        self,
        model: SupplyModel,
        book: PolicyBook,
        removed: Iterable[str] = (),
        keep: Iterable[str] = (),
    ) -> None:
        self.model = model
        self.book = book
        self.removed = frozenset(removed)
        self.listed = frozenset(p for pol in book.active.values() for p in pol.parties)
        # Countries that some active policy can tell apart (its destinations, its issuer);
        # any other buyer country behaves like no country at all, so states collapse and
        # a graph without policies has one state per item.  A policy with no destination
        # list reaches every country: then nothing collapses.
        pols = [p for p in book.active.values() if p.effect != "none"]
        if any(not (p.destinations or p.parties) for p in pols):
            self.countries: frozenset[str] | None = None
        else:
            named = {c for p in pols for c in p.destinations}
            named |= {p.issuer_country for p in pols if p.issuer_country}
            self.countries = frozenset(named) | frozenset(keep)
        self._options: dict[State, list[Option]] = {}
        # state -> its options by prerequisite tuple (by identity), in order of first
        # appearance: suppliers standing for one buyer share one tuple (:meth:`options`)
        self._grouped: dict[State, list[OptionGroup]] = {}
        self._buyers: dict[str, Buyer] = {}
        self._distinct: dict[Buyer, Buyer] = {}
        # no policy acts (an ETO import): no flow needs checking
        self._acting = any(p.effect != "none" for p in book.active.values())
        # nothing can block, condition or knock out an option: every option works when
        # its prerequisites are available
        self.clean = not self._acting and not self.removed
        self._ids: dict[str, frozenset[str]] = {}  # supplier -> the ids a policy names it by

    # ----------------------------------------------------------------- states and options

    def buyer_for(self, node: str | None) -> Buyer:
        """The buyer a firm, facility or country stands for (None: an unrestricted buyer).
        Memoised per node."""
        if node is None:
            anyone = Buyer(None)
            return self._distinct.setdefault(anyone, anyone)
        known = self._buyers.get(node)
        if known is not None:
            return known
        parties = frozenset({node, self.model.operator.get(node, node)} & self.listed)
        country = self.model.country.get(node)
        if self.countries is not None and country not in self.countries:
            country = None
        made = Buyer(country, parties)
        # one object per distinct buyer: states of equal buyers then compare by identity
        out = self._buyers[node] = self._distinct.setdefault(made, made)
        return out

    def _supplier_ids(self, supplier: str) -> frozenset[str]:
        """The ids a policy can name a supplier by: itself, and its operator for a
        facility.  Memoised per supplier."""
        ids = self._ids.get(supplier)
        if ids is None:
            chain = self.model.actor_chain(supplier)
            ids = self._ids[supplier] = frozenset(chain[:2] if supplier in self.model.operator else chain[:1])
        return ids

    def options(self, state: State) -> list[Option]:
        """The ways to meet one state (and its groups: :meth:`groups`).
        Complexity: O(suppliers × (requirements + P))."""
        cached = self._options.get(state)
        if cached is not None:
            return cached
        m = self.model
        item, buyer = state.item, state.buyer
        out: list[Option] = []
        grouped: list[OptionGroup] = []
        if item not in self.removed and m.launched(item):
            sups = m.sups.get(item, [])
            reqs = m.reqs.get(item, [])
            delivered: dict[Buyer, OptionGroup] = {}
            items, removed, acting = m.items, self.removed, self._acting
            anc = m.ancestors.get(item, frozenset({item})) if acting else frozenset()
            jur = m.jurisdictions.get(item, frozenset()) if acting else frozenset()
            buyers, add = self._buyers, out.append
            for link in sups:
                s = link.node
                if s in items:
                    o = Option(state, "variant", link, (State(s, buyer),))
                    add(o)
                    grouped.append((o.prereqs, [o]))
                    continue
                knocked = next((n for n in m.actor_chain(s) if n in removed), None) if removed else None
                maker = buyers.get(s) or self.buyer_for(s)
                group = delivered.get(maker)
                if group is None:  # suppliers standing for the same buyer share one tuple
                    needs = tuple(State(r.node, maker) for r in reqs)
                    # one group per tuple: makers with no requirements all share ()
                    group = next((g for g in grouped if g[0] is needs), None) if not needs else None
                    if group is None:
                        group = (needs, [])
                        grouped.append(group)
                    delivered[maker] = group
                needs, members = group
                if not acting:
                    o = Option(state, "actor", link, needs, (), (), knocked)
                else:
                    pols = self.book.applicable(anc, jur, self._supplier_ids(s), m.country.get(s), buyer)
                    o = Option(
                        state, "actor", link, needs,
                        blocked=tuple(p for p in pols if p.effect == "block"),
                        conditions=tuple(p for p in pols if p.effect == "condition"),
                        knocked=knocked,
                    )
                add(o)
                members.append(o)
            if (not sups and not m.planned.get(item) and not m.inactive_sups(item) and not m.placeholders.get(item)
                    and not m.kg.g.nodes.get(item, {}).get("missing")):  # undefined (no class): unmet
                o = Option(state, "self", None, tuple(State(r.node, buyer) for r in reqs))
                out.append(o)
                grouped.append((o.prereqs, [o]))
        self._options[state] = out
        self._grouped[state] = grouped
        return out

    def groups(self, state: State) -> list[OptionGroup]:
        """The options of a state by prerequisite tuple (the same tuple object), in order of
        first appearance, each with its options in option order.  O(1) after :meth:`options`."""
        known = self._grouped.get(state)
        if known is None:
            self.options(state)
            known = self._grouped[state]
        return known

    # ----------------------------------------------------------------- the fixpoint

    def solve(self, roots: Iterable[State]) -> Solution:
        """Compute availability of every state the roots need.

        When every state is an item of one buyer (no policy acts, nothing is removed, no
        country is kept apart), on the item graph's arrays, with options made only when
        read (:func:`graph.engine.itemgraph.solve_items`); the same answer.

        Complexity: O(S + O + R) (see the module docstring), plus O(P) per flow for the
        policy checks when options are first built.
        """
        roots = list(roots)
        if self.clean:  # every state may be an item of one buyer: on arrays (graph.engine.itemgraph)
            from .itemgraph import solve_items

            fast = solve_items(self, roots)
            if fast is not None:
                return fast
        with paused_gc():  # hundreds of thousands of small objects, no cycles among them
            return self._solve(roots)

    def _solve(self, roots: Iterable[State]) -> Solution:
        sol = Solution(removed_items=frozenset(n for n in self.removed if self.model.is_item(n)))
        seen = sol.options
        stack = list(roots)
        while stack:
            s = stack.pop()
            if s in seen:
                continue
            opts = self.options(s)
            seen[s] = opts
            grouped = self._grouped[s]
            if len(grouped) == 1:  # one tuple (one maker's inputs): pushed once, as below
                stack.extend(p for p in grouped[0][0] if p not in seen)
                continue
            last = None
            for o in opts:
                pre = o.prereqs
                if pre is not last:  # suppliers standing for one buyer share one tuple
                    last = pre
                    stack.extend(p for p in pre if p not in seen)
        sol.available, just, sol.order = self._propagate(sol.options, allow_conditions=True)
        sol.justification = just
        if any(o.conditions for opts in sol.options.values() for o in opts):
            sol.free, _j, _o = self._propagate(sol.options, allow_conditions=False)
        else:  # no option carries a condition: the second fixpoint would be the first
            sol.free = set(sol.available)
        return sol

    def _propagate(
        self, options: dict[State, list[Option]], allow_conditions: bool
    ) -> tuple[set[State], dict[State, Option], list[State]]:
        """The least fixpoint by counting down unmet prerequisites, LIFO.

        The working options of a state that share one prerequisite tuple (the suppliers
        standing for one buyer do: :meth:`options`) wait and fire together, so they are
        counted as one *group*.  In the option-by-option countdown the members of a group
        reach zero in the same step and are queued in option order; the last one queued is
        popped first and justifies the state, the others are then skipped.  So a group
        stands in the queue at its last member's place, with that member as its
        justification: the same states, justifications and firing order as counting every
        option, in O(S + G + R_G) for G groups and R_G their distinct prerequisites.
        A state with one group (every state of a graph without policies) is read off its
        group (:meth:`groups`) when no option can fail by itself (:attr:`clean`): its last
        option.
        """
        waiting: list[int] = []
        fires: list[Option] = []  # group -> the option that justifies its state
        dependents: dict[State, list[int]] = {}
        queue: list[int] = []
        grouped, clean = self._grouped, self.clean
        for s, opts in options.items():
            one = grouped[s]
            if clean and len(one) == 1:
                groups: Any = ((0, one[0][1][-1]),)
            else:
                members: dict[int, tuple[int, Option]] = {}  # id(prereqs) -> (last place, last member)
                for i, o in enumerate(opts):
                    if o.dead or (o.conditions and not allow_conditions):
                        continue
                    members[id(o.prereqs)] = (i, o)
                groups = sorted(members.values(), key=lambda x: x[0]) if len(members) > 1 else members.values()
            for _i, o in groups:
                g = len(fires)
                fires.append(o)
                pre = set(o.prereqs)
                waiting.append(len(pre))
                for p in pre:
                    dep = dependents.get(p)
                    if dep is None:
                        dependents[p] = [g]
                    else:
                        dep.append(g)
                if not pre:
                    queue.append(g)
        true: set[State] = set()
        just: dict[State, Option] = {}
        order: list[State] = []
        while queue:
            o = fires[queue.pop()]
            s = o.state
            if s in true:
                continue
            true.add(s)
            just[s] = o
            order.append(s)
            for g in dependents.get(s, ()):
                waiting[g] -= 1
                if waiting[g] == 0:
                    queue.append(g)
        return true, just, order

    # ----------------------------------------------------------------- answers

    def conditions(self, sol: Solution) -> dict[State, dict[str, tuple[Policy, Link | None]]]:
        """The conditions attached to each available state: policy id -> (policy, flow).

        Freely available states have none; the others collect the conditional policies
        along their justification (the first route found), in firing order, so O(S·C).
        Read it with ``.get(state, {})``: a solution with nothing conditional (one group per
        state) gives an empty mapping, O(1), where listing its states would cost O(S).
        """
        if sol.one_group:  # nothing conditional
            return {}
        out: dict[State, dict[str, tuple[Policy, Link | None]]] = {}
        for s in sol.order:
            if s in sol.free:
                out[s] = {}
                continue
            o = sol.justification[s]
            acc: dict[str, tuple[Policy, Link | None]] = {}
            for p in o.conditions:
                acc.setdefault(p.id, (p, o.link))
            for pre in o.prereqs:
                for pid, val in out.get(pre, {}).items():
                    acc.setdefault(pid, val)
            out[s] = acc
        return out

    def reasons(self, sol: Solution, state: State) -> list[dict[str, Any]]:
        """Why one unavailable state fails, option by option (one level deep).

        Reason codes (plus ``cycle`` from :meth:`root_causes`, when nothing fails but the
        state waits on itself): ``not_launched`` (before the item's first availability),
        ``removed``, ``policy`` (with the group it reaches the buyer through, and the
        parties an approval exempts), ``no_supplier`` (with planned suppliers and when they
        are expected, the policies that would stop them, and suppliers of other dates),
        ``missing_input``.
        """
        m = self.model
        item = state.item
        if item in sol.removed_items:
            return [{"reason": "removed", "node": item, "item": item}]
        if not m.launched(item):
            return [m.launch_reason(item)]
        opts = sol.options.get(state, [])
        out: list[dict[str, Any]] = []
        if not opts:
            return self._no_supplier(state)
        for o in opts:
            base = {"item": item, "supplier": o.supplier}
            if o.knocked:
                out.append({**base, "reason": "removed", "node": o.knocked})
            for p in o.blocked:
                out.append({**base, **self._policy_cause(p, state.buyer)})
            if not o.dead:
                for pre in dict.fromkeys(o.prereqs):
                    if pre not in sol.available:
                        out.append({**base, "reason": "missing_input", "input": pre.item})
        return out

    def _policy_cause(self, p: Policy, buyer: Buyer) -> dict[str, Any]:
        rec: dict[str, Any] = {"reason": "policy", "policy": p.id, "label": p.label, "kind": p.kind}
        group = p.group_of(buyer.country)
        if group:
            rec["via_group"] = group
        exempt = sorted({x for r in self.book.relaxed_by.get(p.id, ()) if r.party_scoped for x in r.parties})
        if exempt:
            rec["except_for"] = exempt
        return rec

    def _no_supplier(self, state: State) -> list[dict[str, Any]]:
        """No supplier counts on the date: say which are planned (and when expected),
        which policies would stop them even then, and which are of other dates."""
        m, item = self.model, state.item
        rec: dict[str, Any] = {"reason": "no_supplier", "item": item}
        planned = [lk for lk in m.planned.get(item, []) if lk.type == "supplies"]
        out = [rec]
        if planned:
            rec["planned"] = [lk.node for lk in planned]
            rec["expected"] = [{"supplier": lk.node, "expected_from": iso(lk.expected_from)} for lk in planned]
            for lk in planned:
                if m.is_item(lk.node):
                    continue
                chain = m.actor_chain(lk.node)
                for p in self.book.applicable(
                    m.ancestors.get(item, frozenset({item})), m.jurisdictions.get(item, frozenset()),
                    frozenset(chain[:2] if lk.node in m.operator else chain[:1]), m.country.get(lk.node),
                    state.buyer,
                ):
                    if p.effect == "block":
                        out.append({"item": item, "supplier": lk.node, "planned": True,
                                    **self._policy_cause(p, state.buyer)})
        if m.placeholders.get(item):
            rec["placeholders"] = [lk.node for lk in m.placeholders[item]]
        inactive = m.inactive_sups(item)
        if inactive:
            rec["not_on_date"] = [{"supplier": lk.node, "valid_from": iso(lk.valid_from),
                                   "valid_to": iso(lk.valid_to)} for lk in inactive]
        return out

    def root_causes(self, sol: Solution, state: State, limit: int = 50) -> list[dict[str, Any]]:
        """The leaf reasons an unavailable state fails: policies, removals, no supplier.

        Follows missing inputs down (each state once, its options' inputs indexed once), so
        O(S + P) at most for P prerequisites of the options visited.
        """
        seen: set[State] = set()
        out: list[dict[str, Any]] = []
        keys: set[tuple[Any, ...]] = set()
        stack = [state]
        while stack and len(out) < limit:
            s = stack.pop()
            if s in seen:
                continue
            seen.add(s)
            inputs: dict[tuple[Any, Any], State] = {}
            for o in sol.options.get(s, []):
                for p in o.prereqs:
                    inputs.setdefault((o.supplier, p.item), p)
            for r in self.reasons(sol, s):
                if r["reason"] == "missing_input":
                    nxt = inputs.get((r["supplier"], r["input"]))
                    if nxt is not None:
                        stack.append(nxt)
                    continue
                key = (r["reason"], r.get("policy"), r.get("node"), r.get("item"), r.get("supplier"))
                if key not in keys:
                    keys.add(key)
                    out.append(r)
        if not out and state not in sol.available:
            # nothing failed at a leaf: the state waits on itself, through a requirement cycle
            out.append({"reason": "cycle", "item": state.item,
                        "through": sorted({s.item for s in seen} - {state.item})})
        out.sort(key=lambda r: {"not_launched": 0, "policy": 1, "removed": 2, "no_supplier": 3}.get(r["reason"], 4))
        return out
