"""Availability and kill sets on integer arrays, when every state is an item.

When no policy acts, nothing is knocked out and no country is kept apart (an ETO import
has no policies, and a buyer no government could embargo stands for any buyer:
:func:`graph.engine.setting.embargo_keep`), every state of the AND/OR system of
:mod:`graph.engine.availability` is (item, the one buyer), and all of an item's actor
suppliers stand for that buyer, so they share one tuple of prerequisites: the item's
requirements.  If, besides, no item the question reaches has options of two tuples (an
actor and a variant, or two variants), each state has exactly one *group*, and

* a state is available when it has its group (it is launched and has a supplier, or the
  buyer makes it) and all its prerequisites are available: a plain AND graph over items;
* K(s) = {item(s)} ∪ ⋂D ∪ ⋃ K(p) over its prerequisites p (the union case of
  :func:`graph.engine.chokepoints._union_fixpoint`): an available state's prerequisites
  are all available, so no two available states wait on each other, and K(s) is every
  item reachable from s along prerequisites, with each one's ⋂D.

:class:`ItemGraph` is that graph for one supply model (one date class), as arrays: each
item's prerequisites, the items needing each, and each item's ⋂D (the actor-chain nodes
all its suppliers share) over one numbering of the nodes.  It is built once per model,
O(V + E), and kept in memory with it.  A question then costs a few array operations per
level of the graph: its closure (the states the roots need), the fixpoint by levels, the
roots' kill sets by pushing the roots down, and the chains' sets restricted to the
focused nodes by pulling them up (:class:`ItemKillSets`).  Python objects (options,
states, sets) are made only for what an answer shows: :class:`MadeWhenRead` gives the
general engine's views (options, justifications), state by state.

The answers are those of the general path, which the tests compare with this one on
every graph the fast path takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ..io import cache
from .availability import Engine, Option, Solution, State
from .chokepoints import ACTOR_TYPES, ALL, Bits, KillSets, _from_positions, _Remapped, window_size
from .compiled import derived, stored_key
from .supply import SupplyModel, last_link, link_nodes, row_nodes

__all__ = ["ItemGraph", "ItemSolution", "ItemKillSets", "item_graph", "solve_items", "item_kill_sets"]

#: The most focused nodes whose sets are pulled up on arrays (words of 64 per state); a
#: larger focus (a full ranking's window) takes the general path.
MAX_FOCUS = 1024


class ItemGraph:
    """One supply model's items as arrays (see the module docstring).

    ``nodes`` numbers the items first (``n_items`` of them), then every other node of a
    supplier's actor chain; ``single`` says which items have at most one group of options
    when launched, ``has`` which have one at all; ``sup_*`` (CSR over the nodes) the items
    each node supplies directly and the share of each link; ``req_*`` (CSR) each item's prerequisites, ``rev_*`` the items needing
    each (one entry per prerequisite slot), ``d_*`` each item's ⋂D as node numbers.
    """

    nodes: list[str]
    n_items: int
    single: np.ndarray
    has: np.ndarray
    req_ptr: np.ndarray
    req_idx: np.ndarray
    rev_ptr: np.ndarray
    rev_idx: np.ndarray
    d_ptr: np.ndarray
    d_idx: np.ndarray
    sup_ptr: np.ndarray
    sup_item: np.ndarray
    sup_share: np.ndarray
    index: dict[str, int]

    #: What an item graph is made of (as stored in the model cache).
    FIELDS = ("nodes", "n_items", "single", "has", "req_ptr", "req_idx", "rev_ptr", "rev_idx", "d_ptr", "d_idx",
              "sup_ptr", "sup_item", "sup_share")

    def __init__(self, fields: dict[str, Any]) -> None:
        """From its fields (:meth:`compile`, or the model cache).  O(V) for the index.

        Raises ValueError when the fields do not make one."""
        bad = "not an item graph"
        if set(fields) != set(self.FIELDS) or not isinstance(fields["nodes"], list):
            raise ValueError(bad)
        for name in self.FIELDS:
            setattr(self, name, fields[name])
        n, total = self.n_items, len(self.nodes)
        arrays = (self.single, self.has, self.req_ptr, self.req_idx, self.rev_ptr, self.rev_idx, self.d_ptr,
                  self.d_idx, self.sup_ptr, self.sup_item, self.sup_share)
        kinds = (bool, bool, *[np.int64] * 8, np.float64)
        if not all(isinstance(a, np.ndarray) and a.ndim == 1 and a.dtype == k
                   for a, k in zip(arrays, kinds, strict=True)) or not (
                isinstance(n, int) and 0 <= n <= total and len(self.single) == len(self.has) == n
                and len(self.req_ptr) == len(self.d_ptr) == len(self.rev_ptr) == n + 1
                and self.req_ptr[-1] == len(self.req_idx) == len(self.rev_idx) and self.d_ptr[-1] == len(self.d_idx)
                and (not self.req_idx.size or 0 <= self.req_idx.min() <= self.req_idx.max() < n)
                and (not self.d_idx.size or 0 <= self.d_idx.min() <= self.d_idx.max() < total)
                and len(self.sup_ptr) == total + 1 and self.sup_ptr[-1] == len(self.sup_item) == len(self.sup_share)
                and (not self.sup_item.size or 0 <= self.sup_item.min() <= self.sup_item.max() < n)):
            raise ValueError(bad)
        self.index = {node: i for i, node in enumerate(self.nodes)}

    def fields(self) -> dict[str, Any]:
        """What :meth:`__init__` takes back."""
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def compile(cls, model: SupplyModel) -> ItemGraph:
        """Built from the model: O(V + E) for its links and actor chains."""
        m = model
        g = m.kg.g
        state_items: dict[str, None] = dict.fromkeys(sorted(m.items))
        for node in sorted(link_nodes(m.reqs)):
            state_items.setdefault(node, None)
        nodes = list(state_items)
        index = {n: i for i, n in enumerate(nodes)}
        n_items = len(nodes)
        chain_of = m.actor_chain

        def number(n: str) -> int:
            i = index.get(n)
            if i is None:
                i = index[n] = len(nodes)
                nodes.append(n)
            return i

        req_ptr = [0]
        req_idx: list[int] = []
        d_ptr = [0]
        d_idx: list[int] = []
        single = []
        has = []
        chains: dict[str, tuple[int, ...]] = {}
        items = m.items
        for item in nodes[:n_items]:
            sups = m.sups.get(item, ())
            reqs = m.reqs.get(item, ())
            variants = [lk for lk in sups if lk.node in items]
            actors = [lk for lk in sups if lk.node not in items]
            own_make = (not sups and not m.planned.get(item) and not m.inactive_sups(item)
                        and not m.placeholders.get(item) and not g.nodes.get(item, {}).get("missing"))
            groups = (1 if actors else 0) + len(variants) + (1 if own_make else 0)
            single.append(groups <= 1)
            has.append(groups >= 1)
            if groups == 1:
                if variants:
                    req_idx.append(index[variants[0].node])
                else:
                    req_idx.extend(index[lk.node] for lk in reqs)
            # every supplier's chain is numbered: D of any option is read off the numbering
            for lk in actors:
                if lk.node not in chains:
                    chains[lk.node] = tuple(number(n) for n in chain_of(lk.node))
            if groups == 1 and actors:
                common = set(chains[actors[0].node])
                for lk in actors[1:]:
                    if not common:
                        break
                    common.intersection_update(chains[lk.node])
                d_idx.extend(sorted(common))
            req_ptr.append(len(req_idx))
            d_ptr.append(len(d_idx))
        # what each node supplies directly: (supplier, item, share) for every supply link
        supplied = [(index[lk.node], i, lk.share if lk.share is not None else 0.0)
                    for i, item in enumerate(nodes[:n_items]) for lk in m.sups.get(item, ()) if lk.node in index]
        supplied.sort(key=lambda x: x[0])
        by_supplier = np.array([x[0] for x in supplied], dtype=np.int64)
        req_ptr_a = np.array(req_ptr, dtype=np.int64)
        req_idx_a = np.array(req_idx, dtype=np.int64)
        # the items needing each item, one entry per prerequisite slot (a stable sort by
        # the prerequisite keeps each list in item order)
        owner = np.repeat(np.arange(n_items, dtype=np.int64), np.diff(req_ptr_a))
        by = np.argsort(req_idx_a, kind="stable")
        return cls({
            "nodes": nodes, "n_items": n_items, "single": np.array(single, dtype=bool),
            "has": np.array(has, dtype=bool), "req_ptr": req_ptr_a, "req_idx": req_idx_a,
            "rev_ptr": np.concatenate(([0], np.cumsum(np.bincount(req_idx_a, minlength=n_items)))).astype(np.int64),
            "rev_idx": owner[by], "d_ptr": np.array(d_ptr, dtype=np.int64), "d_idx": np.array(d_idx, dtype=np.int64),
            "sup_ptr": np.concatenate(([0], np.cumsum(np.bincount(by_supplier, minlength=len(nodes))))).astype(np.int64),
            "sup_item": np.array([x[1] for x in supplied], dtype=np.int64),
            "sup_share": np.array([x[2] for x in supplied], dtype=np.float64),
        })

    def bits(self) -> Bits:
        """The node numbering as the kill sets' bit index (shared: never to be added to)."""
        return Bits(self.index, self.nodes)


def _distinct(a: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted (``np.unique`` without the masked-
    array check that imports ``numpy.ma``, a sixtieth of a second).  O(k log k)."""
    if a.size < 2:
        return a
    a = np.sort(a)
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def _gather(ptr: np.ndarray, idx: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The concatenated CSR rows ``rows`` of (``ptr``, ``idx``).  O(rows + their entries)."""
    starts, ends = ptr[rows], ptr[rows + 1]
    lens = ends - starts
    total = int(lens.sum())
    if not total:
        return idx[:0]
    offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return idx[offsets + np.arange(total)]


def item_graph(engine: Engine) -> ItemGraph | None:
    """The item graph of the engine's model, when every state of this engine is an item
    (no policy acts or names a party, nothing removed, no country kept apart); else None.
    Built once per model's supplier lists (the models of one date class share them), and
    kept in the model cache with its date class's model (:func:`graph.engine.compiled.stored_key`).
    O(1) when known, O(V + E) from the cache or compiled."""
    if not engine.clean or engine.countries != frozenset() or engine.listed:
        return None
    m = engine.model
    memo: dict[int, tuple[Any, ItemGraph]] = m.kg.memo.setdefault("item_graphs", {})
    known = memo.get(id(m.sups))
    if known is not None and known[0] is m.sups:
        return known[1]
    key = stored_key(m, "items")
    made = None
    if key is not None:
        got = cache.get_model(key)
        try:
            made = ItemGraph(got) if got is not None else None
        except ValueError:
            made = None
    if made is None:
        made = ItemGraph.compile(m)
        if key is not None:
            cache.put_model(key, made.fields())
    memo[id(m.sups)] = (m.sups, made)  # the lists kept alive with it: their id stays theirs
    while len(memo) > 4:
        del memo[next(iter(memo))]
    return made


class MadeWhenRead(Mapping[State, Any]):
    """A mapping over a fixed collection of states whose values ``make`` gives when read
    (the engine's options of a state, or the option it rests on); reading a state outside
    it raises KeyError, ``get`` gives the default.  O(1) plus ``make`` per read."""

    def __init__(self, states: dict[State, None] | set[State], make: Callable[[State], Any]) -> None:
        self.states, self.make = states, make

    def __getitem__(self, s: State) -> Any:
        if s not in self.states:
            raise KeyError(s)
        return self.make(s)

    def get(self, s: Any, default: Any = None) -> Any:
        return self.make(s) if s in self.states else default

    def __contains__(self, s: object) -> bool:
        return s in self.states

    def __iter__(self) -> Iterator[State]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)


class ItemSolution(Solution):
    """A solution found on the item graph: the general views (options, justification,
    firing order) are made state by state when read.  ``rows`` are the item numbers the
    roots need, ``level`` the round in which each available one fired (-1: unavailable)."""

    def __init__(self, engine: Engine, graph: ItemGraph, rows: np.ndarray, level: np.ndarray,
                 buyer: Any) -> None:
        """O(S log S) for the S states: one State per state, in item order and by round."""
        nodes, make = graph.nodes, tuple.__new__
        made = [make(State, (nodes[i], buyer)) for i in rows.tolist()]
        lv = level[rows]
        at = np.flatnonzero(lv >= 0)
        at = at[np.argsort(lv[at], kind="stable")]
        order = [made[k] for k in at.tolist()]
        available = set(order)
        # the option a state rests on: the last of its one group, as the general fixpoint
        # finds it (Engine._propagate)
        super().__init__(options=MadeWhenRead(dict.fromkeys(made), engine.options),  # type: ignore[arg-type]
                         available=available, free=available,
                         justification=MadeWhenRead(available, lambda st: _rests_on(engine, st)),  # type: ignore[arg-type]
                         order=order, one_group=True)
        self.graph, self.rows, self.level, self.buyer = graph, rows, level, buyer
        self.fired = rows[at]  # the items of ``order``, in its order

    def firing_rank(self) -> _FiringRank:
        """State -> its place in ``order``, read off an array of the items' places (no
        dict of every state).  O(N) in array operations."""
        place = np.full(self.graph.n_items, -1, dtype=np.int64)
        place[self.fired] = np.arange(self.fired.size, dtype=np.int64)
        return _FiringRank(self.graph.index, place, self.buyer)


class _FiringRank:
    """:meth:`ItemSolution.firing_rank`: ``get(state, default)`` only."""

    def __init__(self, index: dict[str, int], place: np.ndarray, buyer: Any) -> None:
        self.index, self.place, self.buyer = index, place, buyer

    def get(self, s: State, default: int) -> int:
        j = self.index.get(s.item)
        if j is None or j >= len(self.place) or (s.buyer is not self.buyer and s.buyer != self.buyer):
            return default
        p = int(self.place[j])
        return p if p >= 0 else default


def _rests_on(engine: Engine, st: State) -> Option:
    """The option an available state of an item-graph solution rests on: the last of its
    one group (:meth:`Engine.options` in order), made alone when its options are not made
    yet (a state of a clean engine has one group: its actor suppliers sharing one tuple,
    one variant, or making it itself; nothing is blocked or knocked out).  The chain walks
    read it at every state they pass, and most states have many suppliers.  O(requirements)."""
    grouped = engine._grouped.get(st)
    if grouped is not None:
        return grouped[0][1][-1]
    m = engine.model
    link = last_link(m.sups, st.item)
    if link is not None and link.node in m.items:
        return Option(st, "variant", link, (State(link.node, st.buyer),))
    maker = st.buyer if link is None else engine.buyer_for(link.node)
    needs = tuple([State(r, maker) for r in row_nodes(m.reqs, st.item)])
    return Option(st, "self", None, needs) if link is None else Option(st, "actor", link, needs)


def window_keys(model: SupplyModel, graph: ItemGraph) -> tuple[np.ndarray, np.ndarray]:
    """For each node of the item graph: the rank of its label among theirs (equal labels
    share one, as the ranking sorts ``str(label or id)``) and whether it is an actor (its
    section).  Kept with the date class's model (:func:`graph.engine.compiled.derived`).
    O(N log N) to work out, O(N) from the cache."""
    size = len(graph.nodes)

    def make() -> tuple[np.ndarray, np.ndarray]:
        known = model.kg.g._node
        data = [known.get(n) or {} for n in graph.nodes]
        labels = [str(d.get("label") or n) for d, n in zip(data, graph.nodes, strict=True)]
        rank = np.zeros(size, dtype=np.int64)
        dense, last = -1, None
        for j in sorted(range(size), key=labels.__getitem__):
            if labels[j] != last:
                dense, last = dense + 1, labels[j]
            rank[j] = dense
        return rank, np.array([d.get("type") in ACTOR_TYPES for d in data], dtype=bool)

    def valid(v: Any) -> bool:
        return (isinstance(v, tuple) and len(v) == 2 and all(isinstance(a, np.ndarray) and a.shape == (size,)
                                                             for a in v)
                and v[0].dtype == np.int64 and v[1].dtype == bool)

    return derived(model, "window-keys", make, valid)  # type: ignore[no-any-return]


def solve_items(engine: Engine, roots: list[State]) -> ItemSolution | None:
    """The fixpoint on the item graph (see the module docstring), or None when the
    question needs the general engine (a state that is not an item of the one buyer, an
    item with options of two tuples).  Complexity: O(V) to set up, then O(L + S + R) in
    array operations for L levels, the S states and R prerequisite links the roots need,
    plus O(S log S) to make the states (:class:`ItemSolution`)."""
    graph = item_graph(engine)
    if graph is None or not roots:
        return None
    buyer = engine.buyer_for(None)
    index = graph.index
    if any(r.buyer is not buyer and r.buyer != buyer for r in roots):
        return None
    first = [index.get(r.item, -1) for r in roots]
    if min(first) < 0 or max(first) >= graph.n_items:
        return None
    n = graph.n_items
    m = engine.model
    out = np.zeros(n, dtype=bool)  # not launched on the date: no options at all
    for item in (*m.launch, *m.launch_state):
        i = index.get(item)
        if i is not None and i < n and not m.launched(item):
            out[i] = True
    # the states the roots need: every prerequisite of a state with options, level by level
    seen = np.zeros(n, dtype=bool)
    frontier = _distinct(np.array(first, dtype=np.int64))
    seen[frontier] = True
    while frontier.size:
        nxt = _gather(graph.req_ptr, graph.req_idx, frontier[~out[frontier]])
        nxt = _distinct(nxt[~seen[nxt]])
        seen[nxt] = True
        frontier = nxt
    rows = np.flatnonzero(seen)
    if not graph.single[rows].all():
        return None
    # the least fixpoint by rounds: a state fires when its last prerequisite has fired
    has = seen & ~out & graph.has
    waiting = np.diff(graph.req_ptr).copy()
    level = np.full(n, -1, dtype=np.int64)
    ready = rows[has[rows] & (waiting[rows] == 0)]
    rnd = 0
    while ready.size:
        level[ready] = rnd
        rnd += 1
        needing = _gather(graph.rev_ptr, graph.rev_idx, ready)
        needing = needing[has[needing]]
        np.subtract.at(waiting, needing, 1)
        ready = _distinct(needing[(waiting[needing] == 0)])
        ready = ready[level[ready] < 0]
    return ItemSolution(engine, graph, rows, level, buyer)


class _FocusedSets:
    """State -> K(s) ∩ F as an integer (bit j: the j-th focused node), for the available
    states of an item-graph solution: read off the focus pass's row of the state's item
    when asked (``[]`` and ``get``), where a dict of every state made one integer per
    state that the chains, which visit a few, never read.  O(words) per state read."""

    def __init__(self, index: dict[str, int], masks: np.ndarray, level: np.ndarray, buyer: Any) -> None:
        n, words = masks.shape
        self.index, self.buyer, self.size = index, buyer, words * 8
        self.raw = masks.astype("<u8", copy=False).data.cast("B")  # row j at [j * size, (j + 1) * size)
        self.fired = (level[:n] >= 0).tobytes()  # one byte per item: 1 when available
        self.made: dict[State, int] = {}

    def get(self, s: State, default: Any = None) -> Any:
        known = self.made.get(s)
        if known is not None:
            return known
        j = self.index.get(s.item)
        if j is None or j >= len(self.fired) or not self.fired[j] or (s.buyer is not self.buyer
                                                                        and s.buyer != self.buyer):
            return default
        size = self.size
        known = self.made[s] = int.from_bytes(self.raw[j * size:(j + 1) * size], "little")
        return known

    def __getitem__(self, s: State) -> int:
        got = self.get(s, _NONE)
        if got is _NONE:
            raise KeyError(s)
        return got  # type: ignore[no-any-return]


_NONE = object()


def _levels(sol: ItemSolution) -> list[np.ndarray]:
    """The available items the roots need, by the round they fired in (a state's
    prerequisites all fired in earlier rounds).  O(S)."""
    fired = sol.fired
    if not fired.size:
        return []
    return np.split(fired, np.flatnonzero(np.diff(sol.level[fired])) + 1)


def _words(count: int) -> int:
    return max(1, (count + 63) >> 6)


def _set_bits(masks: np.ndarray, rows: np.ndarray, bits: np.ndarray) -> None:
    """OR bit ``bits[k]`` into row ``rows[k]`` of a (rows × words) uint64 array."""
    if rows.size:
        np.bitwise_or.at(masks, (rows, bits >> 6), np.left_shift(np.uint64(1), (bits & 63).astype(np.uint64)))


class ItemKillSets(KillSets):
    """Kill sets on the item graph: the kept states' sets by pushing the roots down the
    prerequisites, the focused sets by pulling the focused nodes up (:meth:`focus`); the
    chains, which read them state by state, as on the general path."""

    def focus(self, nodes: Iterable[str]) -> None:
        """K(s) ∩ F for every available state, F the ``nodes``, level by level: each state
        the OR of its own bit, its ⋂D and its prerequisites' sets.  O(L + (S + R) · |F|/64)
        in array operations for L levels; a focus of more than :data:`MAX_FOCUS` nodes is
        pulled up by the general fixpoint (:meth:`KillSets.focus`)."""
        focus = list(dict.fromkeys(nodes))
        sol: ItemSolution = self.solution  # type: ignore[assignment]
        graph = sol.graph
        if len(focus) > MAX_FOCUS:
            self._general()
            super().focus(focus)
            return
        self._focus = {n: j for j, n in enumerate(focus)}
        index = graph.index
        remap = {index[n]: j for n, j in self._focus.items() if n in index}
        self._fmasks = _Remapped(remap)
        fpos = np.full(len(graph.nodes), -1, dtype=np.int64)
        if remap:
            fpos[np.fromiter(remap, dtype=np.int64, count=len(remap))] = np.fromiter(remap.values(), dtype=np.int64,
                                                                                    count=len(remap))
        n = graph.n_items
        masks = np.zeros((n, _words(len(focus))), dtype=np.uint64)
        own = np.flatnonzero(fpos[:n] >= 0)
        _set_bits(masks, own, fpos[own])
        f = fpos[graph.d_idx]
        hit = f >= 0
        if hit.any():
            owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(graph.d_ptr))
            _set_bits(masks, owner[hit], f[hit])
        for rows in _levels(sol)[1:]:
            lens = graph.req_ptr[rows + 1] - graph.req_ptr[rows]
            vals = masks[_gather(graph.req_ptr, graph.req_idx, rows)]
            masks[rows] |= np.bitwise_or.reduceat(vals, np.cumsum(lens) - lens, axis=0)
        self._fkill = _FocusedSets(graph.index, masks, sol.level, sol.buyer)  # type: ignore[assignment]

    def window(self, roots: list[State], excluded: set[str], sections: list[str], top: int | None,
               ) -> tuple[list[str], dict[str, int], dict[str, list[State]], Any]:
        """The ranking's window (``graph.engine.ranking._window``) on arrays: each node's
        score (how many roots it cuts) and the place it is first found (the roots in turn,
        each in bit order), sorted with the nodes' label ranks (:func:`window_keys`) by
        (score down, label, place) in one ``lexsort`` per section.  Gives the window, each
        section's total, the roots each window node cuts, and a callable giving every
        candidate.  O(R · N/8 + C log C) for R roots, N nodes and C candidates, where
        listing and sorting the candidates as Python tuples took O(C log C) object work."""
        sol: ItemSolution = self.solution  # type: ignore[assignment]
        graph = sol.graph
        nodes, size = graph.nodes, len(graph.nodes)
        rank, actor = window_keys(self.engine.model, graph)
        score = np.zeros(size, dtype=np.int64)
        place = np.full(size, size * (len(roots) + 1), dtype=np.int64)  # past any real place
        found = 0
        cuts: list[np.ndarray] = []
        for r in roots:
            pos = self._positions(r, size)
            cuts.append(pos)
            new = pos[place[pos] == size * (len(roots) + 1)]
            place[new] = found + np.arange(new.size)
            found += new.size
            np.add.at(score, pos, 1)
        out = np.array([graph.index[n] for n in excluded if n in graph.index], dtype=np.int64)
        score[out] = 0
        window: list[str] = []
        totals: dict[str, int] = {}
        for sec in sections:
            c = np.flatnonzero((score > 0) & (actor if sec == "actors" else ~actor))
            totals[sec] = int(c.size)
            c = c[np.lexsort((place[c], rank[c], -score[c]))]
            if top is not None and c.size > top:
                c = c[:window_size(top)]
                c = c[score[c] >= score[c[top - 1]]]
            window += [nodes[j] for j in c.tolist()]
        cut_by: dict[str, list[State]] = {}
        for r, pos in zip(roots, cuts, strict=True):
            mine = np.zeros(size, dtype=bool)
            mine[pos] = True
            for n in window:
                if mine[graph.index[n]]:
                    cut_by.setdefault(n, []).append(r)

        def every() -> set[str]:
            return {nodes[j] for j in np.flatnonzero(score > 0).tolist()}

        return window, totals, cut_by, every

    def _positions(self, state: State, size: int) -> np.ndarray:
        """The bit positions of a root's kill set, ascending (empty: the root is not
        available).  O(N/8)."""
        if state not in self.solution.available:
            return np.zeros(0, dtype=np.int64)
        mask = self.kill[state]
        if mask == ALL:
            return np.arange(size, dtype=np.int64)
        raw = np.frombuffer(mask.to_bytes((size + 7) // 8 or 1, "little"), dtype=np.uint8)
        return np.flatnonzero(np.unpackbits(raw, bitorder="little")[:size]).astype(np.int64)

    def alternatives(self, state: State) -> int:
        """How many of an available state's options work: all of them (one group, nothing
        blocked or knocked out), one per supply link, else the one way it is made itself;
        counted off the model's links without making them.  O(links of the item)."""
        if state not in self.solution.available:
            return 0
        return len(row_nodes(self.engine.model.sups, state.item)) or 1

    def _supplied_by(self, node: str) -> dict[str, float]:
        """Item -> the largest share ``node`` supplies of it directly, read off the item
        graph's index of suppliers.  O(items it supplies), memoised."""
        memo: dict[str, dict[str, float]] = self.__dict__.setdefault("_by_supplier", {})
        known = memo.get(node)
        if known is None:
            graph: ItemGraph = self.solution.graph  # type: ignore[attr-defined]
            known = memo[node] = {}
            i = graph.index.get(node)
            if i is not None:
                a, b = graph.sup_ptr[i], graph.sup_ptr[i + 1]
                nodes = graph.nodes
                for item, share in zip(graph.sup_item[a:b].tolist(), graph.sup_share[a:b].tolist(), strict=True):
                    if share > known.get(nodes[item], -1.0):
                        known[nodes[item]] = share
        return known

    def _general(self) -> None:
        """The general path's components and groups (for a large focus), built once."""
        if self.groups:
            return
        from .chokepoints import _group_positions, _live_groups
        from .order import strong_components

        deps, live = _live_groups(self.engine, self.solution)
        self.components = strong_components(deps)
        # every node it places is numbered already (items, actor chains): the shared bits stay as they are
        self.groups = _group_positions(self.engine.model, self.bits, self.components, live, {}, self.solution.options)


def item_kill_sets(engine: Engine, sol: Solution, embargo_country: str | None, govs: dict[str, str],
                   keep: Iterable[State]) -> ItemKillSets | None:
    """The kept states' kill sets on the item graph (see the module docstring), or None
    when the question needs the general path (a solution of the general engine).  With
    R the distinct kept states: O(L + (S + R_l) · R/64) in array operations for L levels
    and R_l prerequisite links, plus O(N/8) per kept set made."""
    if not isinstance(sol, ItemSolution):
        return None
    graph = sol.graph
    kept = [s for s in dict.fromkeys(keep) if s in sol.available]
    n = graph.n_items
    pushed = np.zeros((n, _words(len(kept))), dtype=np.uint64)
    roots = np.array([graph.index[s.item] for s in kept], dtype=np.int64)
    _set_bits(pushed, roots, np.arange(len(kept), dtype=np.int64))
    for rows in reversed(_levels(sol)[1:]):
        lens = graph.req_ptr[rows + 1] - graph.req_ptr[rows]
        np.bitwise_or.at(pushed, _gather(graph.req_ptr, graph.req_idx, rows), np.repeat(pushed[rows], lens, axis=0))
    held = np.zeros((len(graph.nodes), pushed.shape[1]), dtype=np.uint64)
    held[:n] = pushed
    np.bitwise_or.at(held, graph.d_idx, np.repeat(pushed, np.diff(graph.d_ptr), axis=0))
    kill: dict[State, int] = {}
    for k, s in enumerate(kept):
        kill[s] = _from_positions(np.flatnonzero((held[:, k >> 6] >> np.uint64(k & 63)) & np.uint64(1)).tolist())
    return ItemKillSets(engine, sol, graph.bits(), kill, embargo_country, govs)

