"""Where every chokepoint's chain ends, for many nodes in one sweep.

A chokepoint's chain (:meth:`graph.engine.chokepoints.KillSets.chain_states`) walks from
the target down the route the target is actually supplied by (each state's justification),
at each state stepping to a prerequisite the node still cuts, until the node takes the
route out directly (an actor: a supplier, its operator or country, or a government's
embargo) or the walk reaches the node itself (an item).  A ranking needs, for every
candidate, only where that walk ends: the supply the node sits on, its concentration,
whether it is binding, and the one-line "why" read off the chain's deep end.  The whole
chain (its hops, sources and labels) is needed only for the rows shown.

:func:`chain_ends` finds the ends of all the walks at once.  Each node's walk is
deterministic, and it moves from a state to a prerequisite of its justification, which
became available earlier in the fixpoint's firing order (``Solution.order``).  So the
states are swept once, latest-fired first, each carrying the set of nodes whose walks
pass through it as a bitset over the focused nodes; at a state the set splits into the
nodes that stop there and, prerequisite by prerequisite, those that go on.  The result
is the same as one walk per node (tests/engine/test_walks.py checks it on random graphs).
"""

from __future__ import annotations

import heapq
from typing import Any, NamedTuple

from ..io.cache import paused_gc
from .availability import Option, State
from .chokepoints import ALL, KillSets

__all__ = ["End", "Sweep", "chain_ends", "chain_sweep", "deep_hops"]


class End(NamedTuple):
    """Where one node's chain stops.

    ``state``: the state the walk ended in; ``option``: for an actor, the working option it
    takes out directly there (None for an item, which ends at itself, or a walk that found
    no way on); ``came_from``: the state and option the walk stepped from into ``state``
    (None when it ended where it started).
    """

    state: State
    option: Option | None
    came_from: tuple[State, Option] | None


def _bits(mask: int) -> list[int]:
    """The positions of the one-bits of a non-negative mask: O(bit length) through its
    binary string when dense, O(ones · bit length / 64) by lowest bits when sparse."""
    ones = mask.bit_count()
    if ones * 64 >= mask.bit_length():
        digits = bin(mask)[:1:-1]
        return [i for i, d in enumerate(digits) if d == "1"]
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def chain_ends(ks: KillSets, first: dict[str, State]) -> dict[str, End]:
    """For each node, where ``ks.chain_states(node, first[node])`` ends (see the module
    docstring), without building any hop.

    The nodes must be among those given to :meth:`KillSets.focus` (they are added, with a
    new focus pass, if not).  Complexity: O((S + R) · F/64 + S log S) for the S states and R
    prerequisite links the walks cross and F focused nodes, plus O(prerequisites) per state
    for each node that supplies one of its prerequisites directly (the walk prefers the
    one it supplies the largest share of).
    """
    return chain_sweep(ks, first).ends


def chain_sweep(ks: KillSets, first: dict[str, State]) -> Sweep:
    """The sweep of :func:`chain_ends`, kept: its ``ends``, and each node's whole chain
    (:meth:`Sweep.chain`) read back off the states the walks passed through, the hops
    that chains share made once.  Complexity: as :func:`chain_ends`."""
    if any(n not in ks._focus for n in first):
        ks.focus([*ks._focus, *first])
    with paused_gc():
        sweep = Sweep(ks)
        for n, s in first.items():
            sweep.send(s, 1 << ks._focus[n], None, None)
        sweep.run()
        return sweep


Arrival = tuple[int, "State | None", "Option | None"]  # (nodes, from state, along option)


class Sweep:
    """The state of one sweep: the nodes waiting at each state, the states in firing order;
    after :meth:`run`, where each node's walk ended (``ends``) and how it came to each
    state it passed (``came``: a state's arrivals)."""

    def __init__(self, ks: KillSets) -> None:
        self.ks = ks
        self.names = list(ks._focus)
        self.rank = ks.solution.firing_rank()
        self.pending: dict[State, list[Arrival]] = {}
        self.heap: list[tuple[int, int, State]] = []
        self.ends: dict[str, End] = {}
        self.came: dict[State, list[Arrival]] = {}
        self.suppliers = _supplier_masks(ks)
        self._hops: dict[tuple[State, State], dict[str, Any]] = {}

    def send(self, s: State, mask: int, frm: State | None, opt: Option | None) -> None:
        """Nodes ``mask`` go on to ``s``, from ``frm`` along ``opt``.  O(log S)."""
        waiting = self.pending.get(s)
        if waiting is None:
            waiting = self.pending[s] = []
            heapq.heappush(self.heap, (-self.rank.get(s, -1), len(self.pending), s))
        waiting.append((mask, frm, opt))

    def run(self) -> dict[str, End]:
        """Sweep the states, latest-fired first (every state a walk reaches fired before
        the state it came from)."""
        ks = self.ks
        while self.heap:
            _r, _t, s = heapq.heappop(self.heap)
            arrivals = self.came[s] = self.pending.pop(s)
            mask = 0
            for m, _f, _o in arrivals:
                mask |= m
            j = ks._focus.get(s.item)
            if j is not None and mask >> j & 1:  # an item's walk ends at the item itself
                self.finish(s, arrivals, 1 << j, None)
                mask &= ~(1 << j)
            if mask:
                self.split(s, arrivals, mask)
        return self.ends

    def finish(self, s: State, arrivals: list[Arrival], mask: int, option: Option | None) -> None:
        """The walks of ``mask`` end at ``s`` (each node came by exactly one arrival).
        O(arrivals · bit length / 64 + nodes)."""
        for a, f, o in arrivals:
            part = a & mask
            if part:
                frm = (f, o) if f is not None and o is not None else None
                for j in _bits(part):
                    self.ends[self.names[j]] = End(s, option, frm)

    def split(self, s: State, arrivals: list[Arrival], mask: int) -> None:
        """At one state: the nodes that stop (take its route out), and where each other
        goes.  O(prerequisites) mask operations, plus O(prerequisites) per node that
        supplies one directly."""
        ks = self.ks
        o = ks.solution.justification.get(s)
        if o is None:  # the options of a state with no justification are made only then
            lives = ks.live_options(s)
            o = lives[0] if lives else None
        if o is None:
            self.finish(s, arrivals, mask, None)
            return
        if o.link is not None:
            stop = mask & ks.fdirect_of(o)
            if stop:
                self.finish(s, arrivals, stop, o)
                mask &= ~stop
        special = 0
        direct: list[tuple[State, int]] = []  # prerequisites, and the nodes that supply and cut them
        for p in o.prereqs:
            sup = self.suppliers.get(p.item, 0) & mask
            if sup:
                sup &= ks._fkill.get(p, ALL)
                if sup:
                    direct.append((p, sup))
                    special |= sup
        if special:  # each goes to the one it supplies the largest share of (the first, on a tie)
            for j in _bits(special):
                shares = ks._supplied_by(self.names[j])
                best, best_share = None, -1.0
                for p, sup in direct:
                    if sup >> j & 1 and shares[p.item] > best_share:
                        best, best_share = p, shares[p.item]
                self.send(best, 1 << j, s, o)  # type: ignore[arg-type]
            mask &= ~special
        for p in o.prereqs:
            if not mask:
                return
            take = mask & ks._fkill.get(p, ALL)
            if take:
                self.send(p, take, s, o)
                mask &= ~take
        if mask:
            self.finish(s, arrivals, mask, None)

    def chain(self, node: str) -> tuple[list[tuple[dict[str, Any], State]], State]:
        """``node``'s whole chain, as :meth:`KillSets.chain_states` gives it from the state
        its walk started in: the hops (deep end first), each with the state it leads
        into, and the state the walk ended in.  Read back from the end along the one
        arrival at each state that carried the node; a step's hop is made once for all
        the chains through it, and those chains share that one dict (read it, or copy it
        before changing it; labelling it, as the ranking does, labels it for all of them).
        O(length · arrivals)."""
        ks, end = self.ks, self.ends[node]
        bit = 1 << ks._focus[node]
        out: list[tuple[dict[str, Any], State]] = []
        if end.option is not None and end.option.link is not None:
            lives = ks.live_options(end.state)
            out += [(hop, end.state) for hop in reversed(ks._taken_out_hops(node, end.option.link, lives))]
        into = end.state
        while True:
            _m, frm, o = next(a for a in self.came[into] if a[0] & bit)
            if frm is None or o is None:
                return out, end.state
            hop = self._hops.get((frm, into))
            if hop is None:
                hop = self._hops[(frm, into)] = ks._step_hop(o, frm, into)
                hop["alternatives"] = ks.alternatives(frm)
            out.append((hop, frm))
            into = frm


def deep_hops(ks: KillSets, node: str, end: End) -> list[tuple[dict[str, Any], State]] | None:
    """The deep end of ``node``'s chain, as :meth:`KillSets.chain_states` would start it:
    for an actor, the hops of the option it takes out (the supply, then how it holds the
    supplier); for an item, the step into the item.  Each hop is paired with the state it
    leads into.  None when the walk ended any other way (then walk the whole chain).
    O(options at the end state).
    """
    s = end.state
    if end.option is not None and end.option.link is not None:
        lives = ks.live_options(s)
        return [(hop, s) for hop in reversed(ks._taken_out_hops(node, end.option.link, lives))]
    if s.item == node and end.came_from is not None:
        frm, o = end.came_from
        hop = ks._step_hop(o, frm, s)
        hop["alternatives"] = ks.alternatives(frm)
        return [(hop, frm)]
    return None


def _supplier_masks(ks: KillSets) -> dict[str, int]:
    """Item -> the focused nodes that supply it directly, as a mask.  Read off the index of
    what each focused node supplies (:meth:`KillSets._supplied_by`, which the chains use
    too): O(supply links) once, then O(items supplied) per focused node."""
    out: dict[str, int] = {}
    for node, j in ks._focus.items():
        bit = 1 << j
        for item in ks._supplied_by(node):
            out[item] = out.get(item, 0) | bit
    return out
