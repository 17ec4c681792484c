"""Chokepoints: the nodes whose loss makes a target unavailable to a buyer, and why.

For every available state s = (item, buyer) the *kill set* K(s) is the set of nodes whose
removal makes s unavailable.  On the AND/OR system of :mod:`graph.engine.availability`

    K(s) = {item(s)}  ∪  ⋂ over the working options o of s of  ( D(o) ∪ ⋃ over o's prerequisites p of K(p) )

where D(o) are the nodes that take option o out directly: its supplier, the supplier's
operator and their countries, and the governments whose embargo on the buyer's country
would block the flow.  This is the AND/OR generalisation of dominators (an OR-only graph
gives exactly the dominator sets), solved like dominators as the greatest fixpoint from
"everything": in dependency order, once per state on an acyclic graph, iterated to
stability inside a strongly connected component.  Sets are Python integers used as
bitsets, so one pass costs O((S + R) · N/64) for S states, R prerequisite links and N
candidate nodes, instead of one full recomputation per candidate.

When only some sets are asked for (the targets'), most states need not hold a set at all.
A state on no cycle whose working options all need the same prerequisites (one maker's
inputs: every state of a graph without policies) has K(s) = {item(s)} ∪ ⋂ D(o) ∪ ⋃ K(p),
a plain union; such a state keeps only its own few positions and its prerequisites, and
a set is built only where an intersection needs it (a state with options of different
inputs, a cycle) or for a target, by walking the unions down to the sets built
(:func:`_union_fixpoint`).  The sets are the same; the work drops from N/64 words per
state to a few positions per state, as long as intersections are rare.

Brute force (remove each candidate, solve again) is kept as :func:`brute_force_single`,
the oracle the tests compare against; pairs use one re-solve per candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..io.cache import paused_gc
from .availability import Engine, Option, Solution, State, working_options
from .compiled import derived
from .order import strong_components
from .policy import Policy, PolicyBook, embargo, reaches, top_governments
from .supply import Link, SupplyModel, first_link, link_nodes

__all__ = [
    "Bits",
    "KillSets",
    "kill_sets",
    "brute_force_single",
    "end_products",
    "CHUNK",
]

ALL = -1  # the full set, as an infinite run of one-bits

#: The classes ranked as actors (the others, as items).
ACTOR_TYPES = frozenset({"Firm", "Country", "Government", "Facility"})

#: A ranking works out chains for the candidates that can reach its top N: at most
#: ``max(WINDOW_FACTOR * N, WINDOW_MIN)`` of them per section (:func:`window_size`).
WINDOW_FACTOR, WINDOW_MIN = 10, 200


def window_size(top: int) -> int:
    """How many candidates of a section a ranking of the top ``top`` picks out.  O(1)."""
    return max(WINDOW_FACTOR * top, WINDOW_MIN)

#: A state's working options grouped by their prerequisite tuple: (prerequisites, the bit
#: positions of ⋂ D(o) over the options sharing them).  K(s) needs the union over a group's
#: prerequisites once, since ⋂_o (D(o) ∪ U) = (⋂_o D(o)) ∪ U for options sharing U.
Groups = dict[State, list[tuple[tuple[State, ...], tuple[int, ...]]]]


@dataclass
class Bits:
    """A two-way index between node ids and bit positions."""

    index: dict[str, int] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)

    def place(self, node: str) -> int:
        """The node's bit position, numbered when first seen.  O(1)."""
        i = self.index.get(node)
        if i is None:
            i = self.index[node] = len(self.nodes)
            self.nodes.append(node)
        return i

    def members(self, mask: int) -> list[str]:
        """The nodes of a mask, in bit order.  O(bits) via the binary string; a sparse mask
        (few members, as a pair search's new ones) O(members · bits/64) by its low bits."""
        if mask == ALL:
            return list(self.nodes)
        nodes = self.nodes
        if mask.bit_count() * 64 < mask.bit_length():
            out = []
            while mask:
                low = mask & -mask
                out.append(nodes[low.bit_length() - 1])
                mask ^= low
            return out
        digits = bin(mask)[:1:-1]  # least significant bit first
        return [nodes[i] for i, d in enumerate(digits) if d == "1"]


@dataclass
class KillSets:
    """Kill sets of the available states of a solution, with what explains them.

    ``kill`` holds K(s) for the states asked to be kept (all, unless :func:`kill_sets`
    was given ``keep``): the other sets are freed once every state needing them is done,
    since each is a bitset of N bits.  Chains are walked on sets restricted to a few
    nodes (:meth:`focus`), which are small.
    """

    engine: Engine
    solution: Solution
    bits: Bits
    kill: dict[State, int]
    embargo_country: str | None
    govs: dict[str, str]
    components: list[list[State]] = field(default_factory=list)  # dependencies first
    groups: Groups = field(default_factory=dict)  # working options by prerequisite tuple, with ⋂ D
    embargoes: dict[str, Policy] = field(default_factory=dict)  # government -> its hypothetical embargo
    _live: dict[State, list[Option]] = field(default_factory=dict, repr=False)
    _direct: dict[Any, tuple[int, ...]] = field(default_factory=dict, repr=False)  # id(option) or supplier -> D(o)
    _met: dict[int, bool] = field(default_factory=dict, repr=False)  # id(prerequisites) -> all available
    _supplied: dict[str, dict[str, float]] | None = field(default=None, repr=False)
    _supplied_for: frozenset[str] | None = field(default=None, repr=False)  # None: every supplier
    _focus: dict[str, int] = field(default_factory=dict, repr=False)  # node -> its bit in fkill
    _fkill: dict[State, int] = field(default_factory=dict, repr=False)  # K(s) restricted to _focus
    _fmasks: Any = field(default=None, repr=False)  # positions -> their mask restricted to _focus
    _sources: dict[int, tuple[Any, dict[str, Any]]] = field(default_factory=dict, repr=False)  # hops' sources

    def members(self, state: State) -> list[str]:
        """The nodes whose removal makes ``state`` unavailable (empty if already unavailable).

        Raises KeyError for an available state whose set was not kept."""
        if state not in self.solution.available:
            return []
        return self.bits.members(self.kill[state])

    def focus(self, nodes: Iterable[str]) -> None:
        """Compute K(s) ∩ F for every available state s, F the ``nodes`` given, for the
        chain walks.  Intersection with F distributes over the unions and intersections
        of the recurrence, so this is the same fixpoint on sets of |F| bits.
        Complexity: O((S + R) · |F|/64), memory O(S · |F|) bits."""
        self._focus = {n: j for j, n in enumerate(dict.fromkeys(nodes))}
        remap = {self.bits.index[n]: j for n, j in self._focus.items() if n in self.bits.index}
        own = {n: 1 << j for n, j in self._focus.items()}
        self._fmasks = _Remapped(remap)
        with paused_gc():
            self._fkill = _fixpoint(self.components, self.groups, self._fmasks, lambda s: own.get(s.item, 0), None)

    def focused(self, state: State) -> list[str]:
        """The nodes given to :meth:`focus` whose removal makes ``state`` unavailable."""
        if state not in self.solution.available:
            return []
        mask = self._fkill[state]
        return [n for n, j in self._focus.items() if mask == ALL or mask >> j & 1]

    def live_options(self, state: State) -> list[Option]:
        """The options of an available state that work: not blocked, not knocked out, every
        prerequisite available (empty for a state that is not available).  Worked out on
        first use, each prerequisite tuple checked once.  O(options)."""
        known = self._live.get(state)
        if known is not None:
            return known
        avail = self.solution.available
        out = working_options(self.solution.options[state], avail, self._met) if state in avail else []
        self._live[state] = out
        return out

    def window(self, roots: list[State], excluded: set[str], sections: list[str], top: int | None,
               ) -> tuple[list[str], dict[str, int], dict[str, list[State]], Any] | None:
        """The ranking's window worked out on arrays, where the kill sets allow it (see
        :meth:`graph.engine.itemgraph.ItemKillSets.window`); None here: the ranking lists
        the roots' members and picks its window itself."""
        return None

    def alternatives(self, state: State) -> int:
        """How many of a state's options work (a hop's "alternatives").  O(options)."""
        return len(self.live_options(state))

    def direct_of(self, o: Option) -> tuple[int, ...]:
        """D(o) as bit positions, for a working option ``o`` (:meth:`live_options`): its
        supplier, the supplier's operator and their countries, and the governments whose
        embargo on the buyer's country reaches the flow.  Memoised.  O(chain + governments)."""
        key = id(o) if self.embargoes or o.link is None else o.link.node  # no embargo: the supplier's chain
        known = self._direct.get(key)
        if known is None:
            index = self.bits.index
            known = self._direct[key] = tuple(index[n] for n in _direct_nodes(self.engine.model, o, self.embargoes))
        return known

    def fdirect_of(self, o: Option) -> int:
        """D(o) restricted to the focused nodes, as a mask (:meth:`focus`)."""
        return self._fmasks[self.direct_of(o)]  # type: ignore[no-any-return]

    def _supplied_by(self, node: str) -> dict[str, float]:
        """Item -> the largest share ``node`` supplies of it directly.  O(1) after an O(E)
        index of the supply links, built on first use for the focused nodes (those the
        chains are walked for), and for every supplier when another one is asked."""
        known = self._supplied_for
        if self._supplied is None or (known is not None and node not in known):
            wanted = None if self._supplied is not None else frozenset({*self._focus, node})
            index: dict[str, dict[str, float]] = {}
            for item, links in self.engine.model.sups.items():
                for lk in links:
                    if wanted is not None and lk.node not in wanted:
                        continue
                    shares = index.get(lk.node)
                    if shares is None:
                        shares = index[lk.node] = {}
                    shares[item] = max(shares.get(item, -1.0), lk.share if lk.share is not None else 0.0)
            self._supplied, self._supplied_for = index, wanted
        return self._supplied.get(node, {})

    def _next_hop(self, shares: dict[str, float], bit: int, prereqs: tuple[State, ...]) -> State | None:
        """The prerequisite a chain follows: of those the node kills, the one it supplies
        directly with the largest share (the plainest explanation), else the first.
        O(prerequisites) lookups, and bit tests (on sets of N bits) until the first hit."""
        kill = self._fkill
        best, best_share = None, -1.0
        for p in prereqs:
            share = shares.get(p.item, -1.0)
            if share > best_share and kill.get(p, ALL) & bit:
                best, best_share = p, share
        if best is not None:
            return best
        return next((p for p in prereqs if kill.get(p, ALL) & bit), None)

    def chain_states(
        self, node: str, state: State
    ) -> tuple[list[tuple[dict[str, Any], State]], State]:
        """The hops from ``node`` down to ``state``'s item that make ``node`` critical, each
        paired with the state (item, buyer) it leads into, and the state the walk ended in
        (``node`` as delivered, when ``node`` is an item).

        At each state the route followed is the one the item is actually supplied by;
        ``alternatives`` on a hop counts the working options there, all of which the node
        takes out.  Complexity: O(depth · options).
        """
        if node not in self._focus:
            self.focus([*self._focus, node])
        bit = 1 << self._focus[node]
        pos = self.bits.index.get(node, -1)
        shares = self._supplied_by(node)
        hops: list[tuple[dict[str, Any], State]] = []
        s = state
        seen: set[State] = set()
        while s.item != node and s not in seen:
            seen.add(s)
            lives = self.live_options(s)
            o = self.solution.justification.get(s) or (lives[0] if lives else None)
            if o is None:
                break
            if o.link is not None and pos in self.direct_of(o):
                hops += [(hop, s) for hop in self._taken_out_hops(node, o.link, lives)]
                break
            nxt = self._next_hop(shares, bit, o.prereqs)
            if nxt is None:
                break
            hop = self._step_hop(o, s, nxt)
            hop["alternatives"] = len(lives)
            hops.append((hop, s))
            s = nxt
        hops.reverse()
        return hops, s

    def _taken_out_hops(self, node: str, link: Link, lives: list[Option]) -> list[dict[str, Any]]:
        """The hops of an option ``node`` takes out directly: the supply, then how ``node``
        holds the supplier (operates it, has jurisdiction over it, or is its location)."""
        model = self.engine.model
        hop = link.hop(self._sources)
        hop["alternatives"] = len(lives)
        hop["suppliers"] = len({x.supplier for x in lives})
        hops = [hop]
        s_node = link.node
        if node == s_node:
            return hops
        if node == model.operator.get(s_node):
            hops.append({"from": node, "to": s_node, "type": "operates", "sources": []})
        elif node in self.govs:
            hops.append({"from": node, "to": s_node, "type": "jurisdiction_over",
                         "sources": [], "note": f"an embargo by {node} on "
                         f"{self.embargo_country} would block this flow"})
        else:
            op = model.operator.get(s_node)
            if op and model.country.get(op) == node and model.country.get(s_node) != node:
                hops.append({"from": op, "to": s_node, "type": "operates", "sources": []})
                s_node = op
            hops.append({"from": node, "to": s_node, "type": "location_of", "sources": []})
        return hops

    def _step_hop(self, o: Option, s: State, nxt: State) -> dict[str, Any]:
        """The hop from prerequisite ``nxt`` into ``s`` along option ``o``: the variant's
        supply link, or the requirement (as stored, else a bare ``requires`` hop)."""
        if o.kind == "variant" and o.link is not None:
            return o.link.hop(self._sources)
        req = first_link(self.engine.model.reqs, s.item, nxt.item)
        return req.hop(self._sources) if req else {"from": nxt.item, "to": s.item, "type": "requires", "sources": []}


def kill_sets(
    engine: Engine,
    solution: Solution,
    embargo_country: str | None,
    keep: Iterable[State] | None = None,
    chunk: int | None = None,
    method: str = "auto",
) -> KillSets:
    """Compute K(s) for every available state of ``solution`` (see the module docstring).

    Parameters
    ----------
    engine, solution : the availability engine and its solved states.
    embargo_country : the buyer's country; governments are candidates through a
        hypothetical embargo on it (None: no government candidates).
    keep : the states whose sets the caller needs afterwards (default: all).  Each set
        is N bits, so on a large graph keeping only the targets' is what keeps memory
        to the sets in flight, not S · N bits.
    chunk : with ``keep``, how many bit positions to solve per pass (default
        :data:`CHUNK`); more than that many nodes are solved in ⌈N / chunk⌉ passes.
    method : with ``keep``, ``"unions"`` builds sets only where an intersection or a
        kept state needs one (:func:`_union_fixpoint`), ``"passes"`` builds every state's
        set in dependency order, ``"auto"`` (the default) unions when they are expected
        to cost less, and first tries the item graph's arrays (``"items"``: the
        solution came from :func:`graph.engine.itemgraph.solve_items` and no embargo is
        tried; :func:`graph.engine.itemgraph.item_kill_sets`).  All give the same sets.

    Complexity: O((S + R) · N/64) on an acyclic state graph, plus O(S + R) per pass; a
    cycle's component is iterated until stable, at most N times per state in the worst
    case.  Memory: the sets in flight, at most ``chunk`` bits each when ``keep`` is given.
    """
    with paused_gc():  # one int per state and option, no cycles among them
        return _kill_sets(engine, solution, embargo_country, keep, CHUNK if chunk is None else chunk, method)


def _kill_sets(engine: Engine, solution: Solution, embargo_country: str | None, keep: Iterable[State] | None,
               chunk: int, method: str) -> KillSets:
    govs = top_governments(engine.model.kg) if embargo_country else {}
    embargoes = _embargoes(engine, govs, embargo_country)
    if keep is not None and method in ("auto", "items") and not embargoes:
        from .itemgraph import item_kill_sets

        fast = item_kill_sets(engine, solution, embargo_country, govs, keep)
        if fast is not None:
            return fast
    bits = Bits()
    sol = solution
    deps, live = _live_groups(engine, sol)
    components = strong_components(deps)
    groups = _group_positions(engine.model, bits, components, live, embargoes, sol.options)
    index = bits.index
    size = len(bits.nodes)

    def made(kill: dict[State, int]) -> KillSets:
        return KillSets(engine, sol, bits, kill, embargo_country, govs, components, groups, embargoes)

    if keep is not None and method != "passes":
        unions = _union_fixpoint(components, groups, index, set(keep), size, bounded=method == "auto")
        if unions is not None:
            return made(unions)
    if keep is None or size <= chunk:
        kill = _fixpoint(components, groups, _LazyMasks(0, size), lambda s: 1 << index[s.item],
                         None if keep is None else (set(keep), deps))
    else:
        kill = _chunked_fixpoint(components, groups, deps, index, size, chunk, set(keep))
        kill = {s: k for s, k in kill.items() if s in sol.available}
    return made(kill)


def _embargoes(engine: Engine, govs: dict[str, str], embargo_country: str | None) -> dict[str, Policy]:
    """A hypothetical embargo on ``embargo_country`` by each government (not its own)."""
    g = engine.model.kg.g
    return {
        gov: embargo(gov, g.nodes[gov].get("label", gov), gc, embargo_country or "")
        for gov, gc in govs.items() if gc != embargo_country
    }


#: A state's working options by prerequisite tuple, as :func:`_live_groups` gives them: the
#: tuple, and the working options sharing it in option order.
LiveGroups = dict[State, list[tuple[tuple[State, ...], list[Option]]]]


def _live_groups(engine: Engine, sol: Solution) -> tuple[dict[State, list[State]], LiveGroups]:
    """Each available state's distinct prerequisites, and its working options grouped by
    their prerequisite tuple, in order of first appearance (suppliers standing for one
    buyer share one: :meth:`graph.engine.availability.Engine.groups`).  The engine's
    groups are read as they are when no option can fail by itself (``Engine.clean``).
    Complexity: O(G + R_G) for G groups and R_G the prerequisites of the distinct tuples;
    O(O + R_G) for O options otherwise."""
    avail = sol.available
    deps: dict[State, list[State]] = {}
    live: LiveGroups = {}
    groups_of, clean = engine.groups, engine.clean
    for s in avail:
        mine: list[tuple[tuple[State, ...], list[Option]]] = []
        for pre, members in groups_of(s):
            if not all(p in avail for p in pre):
                continue
            if not clean:
                members = [o for o in members if not (o.blocked or o.knocked)]
                if not members:
                    continue
            mine.append((pre, members))
        live[s] = mine
        deps[s] = list(dict.fromkeys(mine[0][0] if len(mine) == 1 else (p for pre, _m in mine for p in pre)))
    return deps, live


def _direct_nodes(model: SupplyModel, o: Option, embargoes: dict[str, Policy]) -> tuple[str, ...]:
    """The nodes of D(o) for a working option: for a supplier, its actor chain and the
    governments whose embargo reaches the flow, in that order; nothing for a variant or
    the buyer's own make.  O(chain + governments)."""
    link = o.link
    if link is None or o.kind != "actor":
        return ()
    sup = link.node
    chain = model.actor_chain(sup)
    if not embargoes:
        return chain
    s = o.state
    ids = frozenset({sup, model.operator.get(sup, sup)})
    anc = model.ancestors.get(s.item, frozenset({s.item}))
    jur = model.jurisdictions.get(s.item, frozenset())
    return chain + tuple(gov for gov, pol in embargoes.items()
                         if reaches(pol, anc, jur, ids, model.country.get(sup), s.buyer))


def _group_positions(model: SupplyModel, bits: Bits, components: list[list[State]], live: LiveGroups,
                     embargoes: dict[str, Policy], options: dict[State, list[Option]]) -> Groups:
    """Each state's working groups with ⋂ D(o) over their options as bit positions.

    Bits are numbered in dependency order (suppliers and inputs before what needs them),
    so a kill set, which holds its own item and upstream nodes, is an integer of about
    its item's position, not of N bits; within a state, in the order of its working
    options.  Complexity: O(O) for O working options (a supplier's chain is placed once),
    plus O(O · G) reach tests with G governments when an embargo is tried.
    """
    out: Groups = {}
    place = bits.place
    placed: dict[str, tuple[int, ...]] = {}  # supplier -> the positions of its actor chain
    chain_of = model.actor_chain
    for members in components:
        for s in members:
            mine = live[s]
            if len(mine) == 1 and not embargoes:  # the common case, inline: one tuple, chains only
                pre, group = mine[0]
                first = group[0]
                if first.link is None or first.kind != "actor":  # a variant or the buyer's own make: alone
                    place(s.item)
                    out[s] = [(pre, ())]
                    continue
                common: tuple[int, ...] | None = None
                for o in group:  # suppliers sharing one tuple: all actors
                    sup = o.link.node  # type: ignore[union-attr]
                    d = placed.get(sup)
                    if d is None:
                        d = placed[sup] = tuple([place(n) for n in chain_of(sup)])
                    if common is None or d is common:
                        common = d
                    elif common:
                        common = tuple([i for i in common if i in d])
                place(s.item)
                out[s] = [(pre, common or ())]
                continue
            if len(mine) == 1:
                sequence = mine[0][1]
            else:  # several tuples (or none): in option order, as the options come
                ids = {id(o) for _pre, group in mine for o in group}
                sequence = [o for o in options[s] if id(o) in ids]
            positions: dict[int, tuple[int, ...]] = {}
            for o in sequence:
                link = o.link
                if link is None or o.kind != "actor":
                    positions[id(o)] = ()
                    continue
                sup = link.node
                chain = placed.get(sup)
                if chain is None:
                    chain = placed[sup] = tuple([place(n) for n in chain_of(sup)])
                if embargoes:
                    chain = chain + tuple(place(gov) for gov in _direct_nodes(model, o, embargoes)[len(chain):])
                positions[id(o)] = chain
            place(s.item)
            row = []
            for pre, group in mine:
                shared = positions[id(group[0])]
                for o in group[1:]:
                    if not shared:
                        break
                    mine_d = positions[id(o)]
                    if mine_d is not shared:
                        shared = tuple(i for i in shared if i in mine_d)
                row.append((pre, shared))
            out[s] = row
    return out


def _chunked_fixpoint(components: list[list[State]], groups: Groups, deps: dict[State, list[State]],
                      index: dict[str, int], size: int, chunk: int, kept: set[State]) -> dict[State, int]:
    """The kept kill sets, solved ``chunk`` bit positions at a time.

    Many nodes: the sets in flight would hold too many bits at once.  K(s) ∩ [lo, hi)
    obeys the same recurrence (intersection distributes), so solve it a range of bit
    positions at a time and assemble the kept sets: same answer, memory / (n / chunk).
    """
    kill = dict.fromkeys(kept, 0)
    for lo in range(0, size, chunk):
        hi = lo + chunk

        def own(s: State, lo: int = lo, hi: int = hi) -> int:
            i = index[s.item]
            return 1 << (i - lo) if lo <= i < hi else 0

        part = _fixpoint(components, groups, _LazyMasks(lo, hi), own, (kept, deps))
        for s in kept:
            if s in part:
                kill[s] = ALL if ALL in (kill[s], part[s]) else kill[s] | part[s] << lo
    return kill


#: Bit positions solved per pass when only some kill sets are kept (8 KiB per set at most).
CHUNK = 1 << 16


class _LazyMasks:
    """A group's ⋂ D(o) positions ∩ [lo, hi) as a bitset shifted down by ``lo``, built when
    read (a set of N bits per group would cost S · N).  Memoised by the positions tuple,
    which the groups of one supplier share (so it must outlive this object)."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi
        self._made: dict[int, int] = {}  # id(positions) -> mask

    def __getitem__(self, pos: tuple[int, ...]) -> int:
        m = self._made.get(id(pos))
        if m is None:
            m, lo, hi = 0, self.lo, self.hi
            for i in pos:
                if lo <= i < hi:
                    m |= 1 << (i - lo)
            self._made[id(pos)] = m
        return m


class _Remapped:
    """Positions as a mask of the focused nodes (``remap``: position -> focused bit),
    built when read and memoised by the positions tuple, like :class:`_LazyMasks`."""

    def __init__(self, remap: dict[int, int]) -> None:
        self.remap = remap
        self._made: dict[int, int] = {}  # id(positions) -> mask

    def __getitem__(self, pos: tuple[int, ...]) -> int:
        m = self._made.get(id(pos))
        if m is None:
            remap = self.remap
            m = self._made[id(pos)] = sum(1 << remap[i] for i in pos if i in remap)
        return m


def _fixpoint(
    components: list[list[State]],
    groups: Groups,
    direct: Any,
    own: Any,
    release: tuple[set[State], dict[State, list[State]]] | None,
) -> dict[State, int]:
    """The greatest fixpoint of K(s) = own(s) ∪ ⋂_o (D(o) ∪ ⋃_p K(p)), component by
    component in dependency order.  With ``release`` = (kept states, each state's distinct
    prerequisites), a set no later state needs is dropped unless kept; None keeps all.
    Complexity: O((S + R) · bits/64) when acyclic."""
    kill: dict[State, int] = {}
    waiting: dict[State, int] = {}
    if release is not None:
        keep, deps = release
        for needs in deps.values():
            for p in needs:
                waiting[p] = waiting.get(p, 0) + 1

    def evaluate(s: State) -> int:
        acc = ALL
        for pre, positions in groups[s]:
            k = direct[positions]
            for p in pre:
                k |= kill.get(p, ALL)
            acc &= k
            if not acc:
                break
        return acc | own(s) if acc != ALL else ALL

    for members in components:
        if len(members) == 1:
            (s,) = members
            kill[s] = evaluate(s)
        else:
            _stabilize(members, kill, evaluate)
        if release is None:
            continue
        for s in members:
            for p in deps[s]:
                waiting[p] -= 1
                if waiting[p] == 0 and p not in keep:
                    kill.pop(p, None)
        for s in members:
            if not waiting.get(s) and s not in keep:
                kill.pop(s, None)
    return kill


def _stabilize(members: list[State], kill: dict[State, int], evaluate: Any) -> None:
    """The greatest fixpoint of a cycle's kill sets: from ALL, evaluate the members until
    none changes.  O(rounds · members · evaluate), at most N rounds."""
    for s in members:
        kill[s] = ALL
    changed = True
    while changed:
        changed = False
        for s in members:
            new = evaluate(s)
            if new != kill[s]:
                kill[s] = new
                changed = True


class _Overrun(Exception):
    """The union walks exceeded their budget: the plain passes are cheaper."""


#: What visiting one state on a union walk costs, in 64-bit words of a plain pass's
#: integer operations (measured at M: a visit ~60 ns, a word ~1 ns).
UNION_COST = 64


def _union_fixpoint(components: list[list[State]], groups: Groups, index: dict[str, int], keep: set[State],
                    size: int, bounded: bool = True) -> dict[State, int] | None:
    """The kept states' kill sets, with sets built only where an intersection needs them.

    A *union state* (one component of its own, not its own prerequisite, one tuple of
    prerequisites) keeps its own positions (its item, ⋂ D(o) over its options) and that
    tuple; K of a union state is those positions plus the union of its prerequisites' K.
    Any other state is evaluated as in :func:`_fixpoint`, each group's union
    ⋃ K(p) walked over the union states below it down to the sets already built.

    The plain passes cost about (S + R) · N/64 words; the walks, a visit per state walked
    over, at :data:`UNION_COST` words each.  Returns None (the caller runs the plain
    passes) when the walks are expected to cost more, each of the non-union and kept
    states walking half the states (many intersections: a buyer that policies single
    out), or when they do cost more on the way; unless not ``bounded``.

    Complexity: O(S + R + positions) to set the union states up; each walk is linear in
    the union states it visits plus O(N/64) per built set it meets, within the budget;
    each built set O(N/64) words of memory (only the non-union states and the kept).
    """
    lazy: dict[State, tuple[list[int], tuple[State, ...]]] = {}
    kill: dict[State, int] = {}
    plain = sum(1 + len(pre) for gs in groups.values() for pre, _k in gs) * max(1, size >> 6)
    budget = plain // UNION_COST if bounded else -1
    hard = sum(1 for gs in groups.values() if len(gs) != 1) + sum(len(c) for c in components if len(c) > 1)
    if bounded and (hard + len(keep)) * (len(groups) // 2) > budget:
        return None

    def walk(starts: Iterable[State]) -> int:
        """⋃ K(p) over ``starts``: ALL when one of them has no set (a cycle still at ALL)."""
        nonlocal budget
        acc = 0
        found: list[int] = []
        seen: set[State] = set()
        stack = list(starts)
        while stack:
            p = stack.pop()
            if p in seen:
                continue
            seen.add(p)
            node = lazy.get(p)
            if node is None:
                k = kill.get(p, ALL)
                if k == ALL:
                    return ALL
                acc |= k
            else:
                found += node[0]
                stack += node[1]
        if budget >= 0:
            budget -= len(seen)
            if budget < 0:
                raise _Overrun
        return acc | _from_positions(found)

    def evaluate(s: State) -> int:
        acc = ALL
        for pre, positions in groups[s]:
            k = _from_positions(positions) | walk(pre)
            acc &= k
            if not acc:
                break
        return acc | 1 << index[s.item] if acc != ALL else ALL

    try:
        for members in components:
            if len(members) == 1:
                (s,) = members
                mine = groups[s]
                if len(mine) == 1 and s not in mine[0][0]:
                    pre, common = mine[0]
                    lazy[s] = ([index[s.item], *common], pre)
                else:
                    kill[s] = evaluate(s)
                continue
            _stabilize(members, kill, evaluate)
        return {s: (kill[s] if s in kill else walk([s])) for s in keep if s in kill or s in lazy}
    except _Overrun:
        return None


def _from_positions(positions: Iterable[int]) -> int:
    """The bitset of some bit positions, built in one pass over a byte array (not one
    shift and OR of an N-bit integer per position).  O(positions + N/8)."""
    top = max(positions, default=-1)
    if top < 64:
        m = 0
        for i in positions:
            m |= 1 << i
        return m
    buf = bytearray((top >> 3) + 1)
    for i in positions:
        buf[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buf, "little")


def brute_force_single(
    model: SupplyModel,
    book: PolicyBook,
    root: State,
    candidates: Iterable[str],
    embargo_country: str | None = None,
    removed: Iterable[str] = (),
    keep: Iterable[str] = (),
) -> set[str]:
    """The oracle: remove each candidate in turn, solve from scratch, keep those that cut.

    Governments among the candidates are tried as an embargo on ``embargo_country``.
    Complexity: O(N · solve) for N candidates.
    """
    base = frozenset(removed)
    keep = frozenset(keep)
    engine = Engine(model, book, base, keep)
    govs = top_governments(engine.model.kg) if embargo_country else {}
    embargoes = _embargoes(engine, govs, embargo_country)
    out = set()
    for c in candidates:
        if c in govs:
            if c not in embargoes:  # a government does not embargo its own country
                continue
            eng = Engine(model, book.with_extra([embargoes[c]]), base, keep)
        else:
            eng = Engine(model, book, base | {c}, keep)
        if root not in eng.solve([root]).available:
            out.add(c)
    return out


def end_products(model: SupplyModel, types: Iterable[str] = ("System", "Chip")) -> list[str]:
    """Items of the given classes that nothing needs: no item requires them, none is a
    variant supplying another item, and none is a broader kind of other items (on any
    date, planned edges included).  The model holds every requirement and supply edge
    in one of its lists (in force, planned, inactive on its date, placeholders; a supply
    another dataset's figure replaced keeps its supplier), so the graph's own edges are
    not read.  Kept with the date class's model in the model cache
    (:func:`graph.engine.compiled.derived`).  Complexity: O(V + E) to work out, O(result)
    from the cache.
    """
    wanted = tuple(types)
    return derived(model, "end-products/" + ",".join(wanted), lambda: _end_products(model, wanted),  # type: ignore[no-any-return]
                   lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v))


def _end_products(model: SupplyModel, types: tuple[str, ...]) -> list[str]:
    """:func:`end_products`, worked out.  O(V + E)."""
    kg = model.kg
    g = kg.g
    used = set().union(*(link_nodes(lists) for lists in (model.reqs, model.sups, model.planned, model.inactive,
                                                           model.placeholders)))
    broader = {v for _u, v, _d in kg.edges_of("kind_of")}
    wanted = set(types)
    return sorted(n for n, d in g.nodes(data=True)
                  if d.get("type") in wanted and n not in used and n not in broader and not d.get("aggregate"))
