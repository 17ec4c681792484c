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
the one a fresh solve gives (tests/engine/test_pairs.py checks it against one re-solve
per candidate, the engine before this change, on random graphs and the bundled one).
"""

from __future__ import annotations

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
    """

    def __init__(self, ks: KillSets) -> None:
        self.ks = ks
        self.dependents: dict[State, list[State]] = {}
        self.by_direct: dict[int, list[Option]] = {}
        self.block: dict[State, int] = {}
        self.items: dict[str, list[State]] = {}
        for b, members in enumerate(ks.components):
            for s in members:
                self.block[s] = b
                self.items.setdefault(s.item, []).append(s)
                for o in ks.live[s]:
                    for i in ks.direct.get(id(o), ()):
                        self.by_direct.setdefault(i, []).append(o)
                    for p in dict.fromkeys(o.prereqs):
                        self.dependents.setdefault(p, []).append(s)

    def without(self, node: str, roots: Iterable[State]) -> dict[State, int]:
        """K₋ₓ(r) for each root r still available once ``node`` is removed (a government:
        embargoes the buyer's country), as bitsets of the base positions.  A root that
        ``node`` leaves untouched keeps its base set.

        Complexity: O(|R(x)| · (options + prerequisites) · N/64) for the region R(x)
        downstream of ``node``, a cycle's states iterated until stable.
        """
        ks = self.ks
        pos = ks.bits.index.get(node)
        taken = self.by_direct.get(pos, []) if pos is not None else []
        dead_options = {id(o) for o in taken}
        dead_states = set(self.items.get(node, ()))
        region = self._region(taken, dead_states)
        alive = self._available(region, dead_options, dead_states)
        kill = self._kill_sets(region, alive, dead_options)
        out: dict[State, int] = {}
        for r in roots:
            if r not in region:
                out[r] = ks.kill[r]
            elif r in alive:
                out[r] = kill[r]
        return out

    def _region(self, dead_options: list[Option], dead_states: set[State]) -> set[State]:
        """The states downstream of what the removal takes out.  O(|R| + its links)."""
        region: set[State] = set()
        stack = [*dead_states, *(o.state for o in dead_options)]
        while stack:
            s = stack.pop()
            if s in region:
                continue
            region.add(s)
            stack.extend(d for d in self.dependents.get(s, ()) if d not in region)
        return region

    def _available(self, region: set[State], dead_options: set[int], dead_states: set[State]) -> set[State]:
        """The least fixpoint of availability inside the region; outside it, as before.
        O(|R| + options + prerequisites), counting down unmet prerequisites."""
        ks = self.ks
        waiting: dict[int, int] = {}
        needed_by: dict[State, list[Option]] = {}
        queue: list[Option] = []
        for s in region:
            if s in dead_states:
                continue
            for o in ks.live[s]:
                if id(o) in dead_options:
                    continue
                inside = {p for p in o.prereqs if p in region}
                waiting[id(o)] = len(inside)
                for p in inside:
                    needed_by.setdefault(p, []).append(o)
                if not inside:
                    queue.append(o)
        alive: set[State] = set()
        while queue:
            s = queue.pop().state
            if s in alive:
                continue
            alive.add(s)
            for o in needed_by.get(s, ()):
                waiting[id(o)] -= 1
                if waiting[id(o)] == 0:
                    queue.append(o)
        return alive

    def _kill_sets(self, region: set[State], alive: set[State], dead_options: set[int]) -> dict[State, int]:
        """The greatest fixpoint of the kill sets inside the region, block by block in
        the base dependency order.  O(|R| · (options + prerequisites) · N/64), acyclic."""
        ks = self.ks
        base, index = ks.kill, ks.bits.index
        blocks: dict[int, list[State]] = {}
        for s in alive:
            blocks.setdefault(self.block[s], []).append(s)
        kill: dict[State, int] = {}

        def of(p: State) -> int:
            if p in region:
                return kill.get(p, ALL)
            return base.get(p, ALL)

        def live(s: State) -> list[Option]:
            return [o for o in ks.live[s] if id(o) not in dead_options
                    and all(p in alive or p not in region for p in o.prereqs)]

        for b in sorted(blocks):
            members = blocks[b]
            options = {s: live(s) for s in members}
            for s in members:
                kill[s] = ALL
            changed = True
            while changed:
                changed = False
                for s in members:
                    acc = ALL
                    for o in options[s]:
                        k = _mask(ks.direct.get(id(o), ()))
                        for p in o.prereqs:
                            k |= of(p)
                        acc &= k
                    new = acc | (1 << index[s.item]) if acc != ALL else ALL
                    if new != kill[s]:
                        kill[s] = new
                        changed = len(members) > 1
        return kill


def _mask(positions: tuple[int, ...]) -> int:
    """The bitset of some bit positions.  O(positions)."""
    m = 0
    for i in positions:
        m |= 1 << i
    return m

