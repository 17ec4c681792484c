"""Pairs: two nodes that cut a target only together, found incrementally.

{x, y} is a pair of a target r when neither cuts r alone but removing both does: y lies in
the kill set of r once x is gone, K₋ₓ(r).  Re-solving the whole graph once per candidate x
costs O(N · (S + R) · N/64).  But removing x changes only what lies downstream of it: the
options x takes out directly (x is their supplier, its operator or country, or a government
whose embargo reaches the flow), the states of x itself when x is an item, and every
state that needs one of those through a working option.  Outside that region R(x) the
availability and the kill sets stay as they were.  So for each x this module recomputes,
inside R(x) only, the least fixpoint of availability (prerequisites outside R(x) count as
available, as they were) and then the greatest fixpoint of the kill sets, component by
component in the base dependency order, reading the base sets outside R(x).  Removing
edges keeps a dependency order valid, and both fixpoints are unique, so the answer is
the one a fresh solve gives (checked against one re-solve per candidate, the engine
before this change: tests/engine/test_pairs.py on random graphs, test_reference.py on the
bundled one).

Two things keep the redone part small.  A state whose availability and kill set come out
as before passes nothing on.  And a removal only grows the kill sets of the states that
survive it (whatever cut a state before still cuts it with x gone too), so a state whose
working routes are all still whole and all need the same inputs (one route; or one
maker's inputs, as in a graph without policies) takes its old set plus the grown sets of
the inputs that changed, without re-reading the others.

That union form is what lets a change leap to the targets.  A state on no cycle whose
working routes all need the same inputs has K(s) = {s} ∪ ⋂ D(o) ∪ ⋃ K(p) over its inputs
p, with or without x (x only drops routes: ⋂ D over the routes left can only grow).  So
when every state between a changed state s and the targets is of that form, what reaches
the targets from s is just s's new set, whatever happens in between: the search adds it to
the targets s reaches and goes no further (and when s is lost, so are they).  Such a leap
is exact: a state that does not leap never lies downstream of one that does, so it never
reads a set that a leap skipped; a state that leaps after reading a skipped input gets a
subset of its true set, and the missing part reaches the same targets through the leap
that skipped it.  On a graph without policies nearly every state is of that form, so a
candidate costs the states it touches directly, not the ~1,000 between it and the target.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from .availability import Option, State
from .chokepoints import ALL, KillSets

__all__ = ["Pairs"]


class Pairs:
    """The base solution's kill sets for every state, indexed for removals.

    Parameters
    ----------
    ks : KillSets
        Kill sets of every available state (:func:`graph.engine.chokepoints.kill_sets`
        without ``keep``): N bits each, so O(S · N) bits of memory.
    roots : the targets :meth:`without` will be asked about (any subset of them, each call);
        the states that reach none of them are never redone.

    Building the index: O(S + options + prerequisites), plus O(S · roots/64) for which
    targets each state reaches.
    """

    def __init__(self, ks: KillSets, roots: Iterable[State]) -> None:
        self.ks = ks
        self.dependents: dict[State, list[State]] = {}
        self.by_direct: dict[int, list[Option]] = {}
        self.block: dict[State, int] = {}
        self.items: dict[str, list[State]] = {}
        self.masks: dict[int, int] = {}  # id(option) -> D(o) as a bitset
        # states whose working options all need the same prerequisites (one maker's inputs,
        # as in a graph without policies): what grows upstream grows them the same way
        self.uniform: dict[State, tuple[State, ...]] = {}
        for b, members in enumerate(ks.components):
            for s in members:
                self.block[s] = b
                self.items.setdefault(s.item, []).append(s)
                lives = ks.live_options(s)
                if lives and all(o.prereqs == lives[0].prereqs for o in lives):
                    self.uniform[s] = lives[0].prereqs
                for o in ks.live_options(s):
                    self.masks[id(o)] = _mask(ks.direct_of(o))
                    for i in ks.direct_of(o):
                        self.by_direct.setdefault(i, []).append(o)
                    for p in dict.fromkeys(o.prereqs):
                        self.dependents.setdefault(p, []).append(s)
        self.roots = [r for r in dict.fromkeys(roots) if r in ks.kill]
        self.root_bit = {r: i for i, r in enumerate(self.roots)}
        self.reach, self.leaps = _reach(ks, self.roots, self.dependents, self.uniform)

    def without(self, node: str, roots: Iterable[State]) -> dict[State, int]:
        """K₋ₓ(r) for each root r still available once ``node`` is removed (a government:
        embargoes the buyer's country), as bitsets of the base positions.

        The states the removal touches are redone block by block in the base dependency
        order (a heap of block numbers); a state whose availability and kill set come out
        as before stops the change there, so only the states whose answer really changes
        pass it on.  Complexity: O(C · (options + prerequisites) · N/64 + C log C) for the
        C states redone, a cycle's block iterated until stable.
        """
        ks = self.ks
        pos = ks.bits.index.get(node)
        taken = self.by_direct.get(pos, []) if pos is not None else []
        sweep = _Redo(self, {id(o) for o in taken}, set(self.items.get(node, ())))
        sweep.hit = {o.state for o in taken}
        reach = self.reach
        for s in sweep.dead_states | sweep.hit:
            if s in reach:
                sweep.touch(s)
        sweep.run()
        out: dict[State, int] = {}
        for r in roots:
            i = self.root_bit.get(r)
            if r in sweep.lost or (i is not None and sweep.lost_roots >> i & 1):
                continue
            out[r] = sweep.kill.get(r, ks.kill[r]) | (sweep.leapt.get(i, 0) if i is not None else 0)
        return out


class _Redo:
    """One removal's sweep: what is lost, and the kill sets that changed."""

    def __init__(self, pairs: Pairs, dead_options: set[int], dead_states: set[State]) -> None:
        self.p, self.ks = pairs, pairs.ks
        self.dead_options, self.dead_states = dead_options, dead_states
        self.lost: set[State] = set()
        self.kill: dict[State, int] = {}  # the kill sets that changed
        self.todo: dict[int, set[State]] = {}
        self.heap: list[int] = []
        self.current = -1  # the block being redone: its own members were redone with it
        self.hit: set[State] = set()  # the states that lose an option directly
        self.leapt: dict[int, int] = {}  # root bit -> the union of the sets that leapt to it
        self.lost_roots = 0  # the roots a lost state leapt to, as bits

    def touch(self, s: State) -> None:
        """Redo ``s`` when its block comes.  O(log blocks)."""
        b = self.p.block[s]
        if b <= self.current:
            return
        if b not in self.todo:
            self.todo[b] = set()
            heapq.heappush(self.heap, b)
        self.todo[b].add(s)

    def run(self) -> None:
        """Redo the touched blocks in dependency order, passing on only what changed."""
        ks = self.ks
        while self.heap:
            b = self.current = heapq.heappop(self.heap)
            touched = self.todo.pop(b)
            if len(ks.components[b]) > 1:
                changed = self._redo(ks.components[b])
            else:
                (s,) = touched
                changed = self._redo_one(s)
            block, todo, heap, dependents = self.p.block, self.todo, self.heap, self.p.dependents
            reach, leaps = self.p.reach, self.p.leaps
            for s in changed:  # touch the dependents (inlined: the hottest loop)
                if s in leaps:
                    self._leap(s)
                    continue
                for d in dependents.get(s, ()):
                    if d not in reach:
                        continue
                    db = block[d]
                    if db > b:
                        waiting = todo.get(db)
                        if waiting is None:
                            waiting = todo[db] = set()
                            heapq.heappush(heap, db)
                        waiting.add(d)

    def _leap(self, s: State) -> None:
        """Pass ``s``'s new set (or its loss) straight to the roots it reaches: every state
        in between takes the union of its inputs' sets.  O(roots reached · N/64)."""
        bits = self.p.reach[s]
        if s in self.lost:
            self.lost_roots |= bits
            return
        new = self.kill.get(s)
        if new is None:
            return
        leapt = self.leapt
        while bits:
            low = bits & -bits
            i = low.bit_length() - 1
            leapt[i] = leapt.get(i, 0) | new
            bits ^= low

    def _options(self, s: State, lost: set[State]) -> list[Option]:
        """The options of ``s`` that still work.  O(options · prerequisites)."""
        if s in self.dead_states:
            return []
        dead = self.dead_options
        if not lost:
            return [o for o in self.ks.live_options(s) if id(o) not in dead]
        return [o for o in self.ks.live_options(s) if id(o) not in dead and not any(p in lost for p in o.prereqs)]

    def _redo_one(self, s: State) -> list[State]:
        """:meth:`_redo` for a state on no cycle: one evaluation.  O((options +
        prerequisites) · N/64)."""
        ks = self.ks
        base, masks, kill = ks.kill, self.p.masks, self.kill
        prereqs = self.p.uniform.get(s)
        if prereqs is not None and s not in self.hit and s not in self.dead_states and not (
                self.lost and any(p in self.lost for p in prereqs)):
            # every route still whole, all needing the same inputs: removal only grows kill
            # sets, so the new set is the old one with the grown sets of the inputs that changed
            new = base[s]
            for p in prereqs:
                if p in kill:
                    new |= kill[p]
            if new == base[s]:
                return []
            kill[s] = new
            return [s]
        opts = self._options(s, self.lost)
        if not opts:
            self.lost.add(s)
            return [s]
        acc = ALL
        for o in opts:
            k = masks[id(o)]
            for p in o.prereqs:
                k |= kill.get(p) or base[p]
            acc &= k
        new = acc | (1 << ks.bits.index[s.item])
        if new == base[s]:
            return []
        kill[s] = new
        return [s]

    def _redo(self, members: list[State]) -> list[State]:
        """Availability (least fixpoint) and kill sets (greatest) of one block; return the
        states whose answer changed.  O(members · (options + prerequisites) · N/64)."""
        ks, base, index = self.ks, self.ks.kill, self.ks.bits.index
        # availability: inside a cycle, a state holds only through a way in from outside
        up: set[State] = set()
        grew = True
        while grew:
            grew = False
            for s in members:
                if s not in up and any(all(p in up or p not in members for p in o.prereqs)
                                       for o in self._options(s, self.lost)):
                    up.add(s)
                    grew = True
        changed = [s for s in members if s not in up]
        self.lost.update(changed)
        options = {s: self._options(s, self.lost) for s in members if s in up}
        kill = {s: ALL for s in options}
        moving = True
        while moving:
            moving = False
            for s, opts in options.items():
                acc = ALL
                for o in opts:
                    k = _mask(ks.direct_of(o))
                    for p in o.prereqs:
                        k |= kill[p] if p in kill else self.kill.get(p, base.get(p, ALL))
                    acc &= k
                new = acc | (1 << index[s.item]) if acc != ALL else ALL
                if new != kill[s]:
                    kill[s] = new
                    moving = len(options) > 1
        for s, k in kill.items():
            if k != base.get(s, ALL):
                self.kill[s] = k
                changed.append(s)
        return changed


def _reach(ks: KillSets, roots: list[State], dependents: dict[State, list[State]],
           uniform: dict[State, tuple[State, ...]]) -> tuple[dict[State, int], set[State]]:
    """Which roots each state reaches (bit i: ``roots[i]``), for the states that reach one;
    and the states that may leap: on no cycle, of union form, and so is every state
    between them and the roots.  One pass in reverse dependency order: O(S + prerequisites)
    set operations on ints of ``len(roots)`` bits.
    """
    own = {r: 1 << i for i, r in enumerate(roots)}
    reach: dict[State, int] = {}
    leaps: set[State] = set()
    for members in reversed(ks.components):
        if len(members) == 1:
            (s,) = members
            after = dependents.get(s, ())
            bits, ok = own.get(s, 0), s in uniform and s not in after
            for d in after:
                r = reach.get(d)
                if r is not None:
                    bits |= r
                    ok = ok and d in leaps
            if bits:
                reach[s] = bits
                if ok:
                    leaps.add(s)
            continue
        inside = set(members)
        bits = 0
        for s in members:
            bits |= own.get(s, 0)
            for d in dependents.get(s, ()):
                if d not in inside:
                    bits |= reach.get(d, 0)
        if bits:
            for s in members:
                reach[s] = bits
    return reach, leaps


def _mask(positions: tuple[int, ...]) -> int:
    """The bitset of some bit positions.  O(positions)."""
    m = 0
    for i in positions:
        m |= 1 << i
    return m

