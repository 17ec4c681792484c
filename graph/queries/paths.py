"""Paths: how one thing depends on another, hop by hop, each hop sourced.

Edges point downstream (from what is needed or supplies to what needs it), so "how does
TO depend on FROM" is a path FROM -> ... -> TO along ``requires`` and ``supplies`` edges.

:func:`find_paths` lists the shortest paths (all of equal length) or, bounded, all simple
paths up to a length.  Before enumerating it keeps only the nodes that lie on some walk
of at most ``max_len`` hops (``dist(FROM, v) + dist(v, TO) <= max_len``, two BFS), which
is at least as tight as ``descendants(FROM) & ancestors(TO)``; it then enumerates paths
length by length with a depth-first search that only steps to nodes from which TO is
still reachable in the hops left, stops at ``cap`` paths and at a fixed step budget, and
says so in ``capped`` and ``note``.  networkx's ``all_simple_paths`` is not used: it is
exponential before any cap applies (see PITFALLS).

Its result is a plain dict (the JSON the command line prints): ``source``, ``target``
(ids), ``source_label``, ``target_label``, ``mode`` ("shortest" or "all"), ``undirected``,
``via`` (the types followed), ``as_of``, ``max_len``, ``cap``, ``paths`` (each ``{"hops",
"length", "min_share"}``; a hop has ``from``, ``to``, ``type``, ``share``, ``valid_from``,
``valid_to``, ``sources``, ``from_label``, ``to_label``, ``from_type``, ``to_type``,
``forward`` (False when an undirected path walks the edge against its direction) and, when
set, ``share_basis``, ``quantity``, ``note``, ``stock``, ``planned``, ``also``),
``capped``, ``note``, ``routes`` (shortest mode: one shortest path through each other
first step out of ``source``, ranked like ``paths``; empty with ``all_paths``; absent when
there is no path), ``shortest`` (hops of the shortest path, or None), ``longer``
(shortest mode: a longer simple path within ``max_len`` exists; None when not checked or
not known), ``reverse`` (TO reaches FROM), ``exists_ignoring_dates`` and
``exists_ignoring_direction`` (bool, or None when not asked: no date given, or already
undirected).

The trees of what a thing needs and what needs it are in :mod:`graph.queries.trees`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from ..core.errors import UsageError
from ..core.model import KnowledgeGraph
from ..core.records import iso
from .describe import edge_fields
from .follow import FOLLOW, LINK_TYPES, best_edge, edge_ok, parse_types

# upstream and downstream moved to trees.py; kept reachable here for cli.py (which the
# lead owns) until it imports them from graph.queries.trees.
from .trees import downstream, upstream

__all__ = [
    "MAX_LEN_LIMIT",
    "STEP_BUDGET",
    "find_paths",
    "upstream",
    "downstream",
]

#: Longest path ``--max-len`` accepts: the bundled graph's longest supply chain is far
#: shorter, and longer bounds only make ``--all`` slower.
MAX_LEN_LIMIT = 12

#: Node expansions one enumeration may spend before it stops and reports itself capped.
STEP_BUDGET = 500_000

# --------------------------------------------------------------------------- paths


class _View:
    """Adjacency of the graph restricted to some edge types, a date and a direction.

    Building it costs O(V + E).
    """

    def __init__(self, kg: KnowledgeGraph, types: frozenset[str], as_of: dt.date | None,
                 undirected: bool) -> None:
        self.types, self.as_of, self.undirected = types, as_of, undirected
        self.succ: dict[str, set[str]] = {}
        self.pred: dict[str, set[str]] = {}
        for u, v, d in kg.g.edges(data=True):
            if u == v or not edge_ok(d, types, as_of):
                continue
            self.succ.setdefault(u, set()).add(v)
            self.pred.setdefault(v, set()).add(u)
            if undirected:
                self.succ.setdefault(v, set()).add(u)
                self.pred.setdefault(u, set()).add(v)

    @staticmethod
    def bfs(adj: dict[str, set[str]], start: str) -> dict[str, int]:
        """Hop distances from ``start``.  Complexity: O(V + E)."""
        dist = {start: 0}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            for v in adj.get(u, ()):
                if v not in dist:
                    dist[v] = dist[u] + 1
                    queue.append(v)
        return dist

    def distance(self, source: str, target: str) -> int | None:
        return self.bfs(self.succ, source).get(target)


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _exact(adj: dict[str, list[str]], to_t: dict[str, int], source: str, target: str,
           length: int, budget: _Budget) -> Iterator[list[str]]:
    """Simple paths of exactly ``length`` hops, depth first, never stepping where the
    target cannot be reached in the hops left.

    Complexity: O(P · length · d) for P paths and out-degree d on a pruned graph where
    every partial path extends; the budget bounds the work in all cases.
    """
    path = [source]
    on_path = {source}
    stack = [iter(adj.get(source, ()))]
    while stack:
        if not budget.spend():
            return
        left = length - len(path) + 1  # hops still to take from path[-1]
        nxt = None
        for v in stack[-1]:
            if v in on_path or to_t.get(v, length + 1) > left - 1:
                continue
            if v == target and left != 1:
                continue
            nxt = v
            break
        if nxt is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if nxt == target:
            yield [*path, nxt]
            continue
        path.append(nxt)
        on_path.add(nxt)
        stack.append(iter(adj.get(nxt, ())))


def _longer(adj: dict[str, list[str]], to_t: dict[str, int], source: str, target: str,
            shortest: int, max_len: int) -> bool | None:
    """Whether a simple path longer than ``shortest`` and at most ``max_len`` hops exists.

    Stops at the first one found; None when a small step budget runs out first.
    Complexity: bounded by 20,000 steps.
    """
    budget = _Budget(20_000)
    for length in range(shortest + 1, max_len + 1):
        if next(_exact(adj, to_t, source, target, length, budget), None) is not None:
            return True
        if budget.left < 0:
            return None
    return False


def _hops(kg: KnowledgeGraph, nodes: list[str], types: frozenset[str], as_of: dt.date | None,
          undirected: bool) -> list[dict[str, Any]]:
    hops = []
    g = kg.g
    for u, v in zip(nodes, nodes[1:], strict=False):
        cands = [(True, d) for d in g.get_edge_data(u, v, default={}).values() if edge_ok(d, types, as_of)]
        if undirected:
            cands += [(False, d) for d in g.get_edge_data(v, u, default={}).values()
                      if edge_ok(d, types, as_of)]
        forward, d = best_edge(cands)
        hop = {"from": u, "to": v, **edge_fields(d), "forward": forward,
               "from_label": kg.label(u), "to_label": kg.label(v),
               "from_type": g.nodes[u].get("type"), "to_type": g.nodes[v].get("type")}
        also = sorted({("" if f else "~") + e["type"] for f, e in cands if e is not d} - {hop["type"]})
        if also:
            hop["also"] = also
        hops.append(hop)
    return hops


def _min_share(hops: list[dict[str, Any]]) -> float | None:
    shares = [h["share"] for h in hops if h.get("share") is not None]
    return min(shares) if shares else None


def _rank_key(p: dict[str, Any]) -> tuple[Any, ...]:
    ms = p["min_share"]
    return (p["length"], ms is None, -(ms or 0.0), [h["to_label"].casefold() for h in p["hops"]])


def find_paths(kg: KnowledgeGraph, source: str, target: str, *, all_paths: bool = False,
               max_len: int = 6, via: Iterable[str] | None = None, undirected: bool = False,
               as_of: dt.date | None = None, cap: int = 200) -> dict[str, Any]:
    """How ``target`` depends on ``source``: paths along dependency edges, each hop sourced.

    Parameters
    ----------
    kg : KnowledgeGraph
    source, target : str
        Node ids (resolve names first with :func:`graph.queries.lookup.resolve`).
    all_paths : bool
        False: the shortest paths (all of the shortest length).  True: every simple path of
        at most ``max_len`` hops, shortest first.
    max_len : int
        Longest path considered, 1 to :data:`MAX_LEN_LIMIT` hops.
    via : iterable of str, optional
        Edge types to follow (default ``requires`` and ``supplies``; undirected: every
        type but ``about``, which links claims, unless an end is a claim).
    undirected : bool
        Follow edges in either direction: any connection, not a dependency.
    as_of : date, optional
        Keep only edges valid on the date (planned supplies are never valid).
    cap : int
        Most paths returned; ``capped`` says when more exist or the step budget ran out.

    Returns
    -------
    dict
        The ends, the settings, the ``paths`` hop by hop, other ``routes``, and why there
        are none or only some (the keys are listed in the module docstring).  Paths rank
        by length, then by weakest known share (strongest first, unknown last), then labels.

    Complexity: O(V + E) for the views and distances, plus O(P · L · d) to enumerate P
    paths of at most L hops with out-degree d in the pruned graph, bounded by ``cap`` and
    :data:`STEP_BUDGET`.

    Raises
    ------
    UsageError
        ``source == target``, ``max_len`` out of 1..12, ``cap`` < 1, unknown edge types.

    Examples
    --------
    >>> from chokemap.graph.io.load import load
    >>> res = find_paths(load(["tests/data/paths.ttl"]), "toolco", "chip")
    >>> [[h["to"] for h in p["hops"]] for p in res["paths"]]
    [['scanner', 'proc-a', 'die-a', 'compute-die', 'chip'], ['scanner', 'proc-b', 'die-b', 'compute-die', 'chip']]
    """
    _check_bounds(kg, source, target, max_len, cap)
    types = _follow_types(kg, source, target, via, undirected)
    view = _View(kg, types, as_of, undirected)
    from_s, to_t = view.bfs(view.succ, source), view.bfs(view.pred, target)
    out = _blank_result(kg, source, target, view, all_paths, max_len, cap)
    out["shortest"] = from_s.get(target)
    if out["shortest"] is None or out["shortest"] > max_len:
        _explain_none(kg, out, types, as_of, undirected, view)
    else:
        _add_paths(kg, out, view, from_s, to_t)
    return out


def _add_paths(kg: KnowledgeGraph, out: dict[str, Any], view: _View, from_s: dict[str, int],
               to_t: dict[str, int]) -> None:
    """Search the pruned graph and fill ``paths``, ``routes``, ``capped``, ``note``, ``longer``."""
    source, target, max_len, shortest = out["source"], out["target"], out["max_len"], out["shortest"]
    all_paths = out["mode"] == "all"
    adj = _pruned(kg, view, from_s, to_t, max_len)
    lengths = range(shortest, max_len + 1) if all_paths else range(shortest, shortest + 1)
    found, spent = _search(out, adj, to_t, lengths)
    if not all_paths and not spent:
        _note_longer(out, adj, to_t, shortest)
    out["paths"] = _ranked(kg, found, view)
    out["routes"] = [] if all_paths else _ranked(kg, _other_routes(adj, to_t, source, target, found), view)


def _blank_result(kg: KnowledgeGraph, source: str, target: str, view: _View, all_paths: bool,
                  max_len: int, cap: int) -> dict[str, Any]:
    """The result of :func:`find_paths` before the search: the ends, the settings, no paths."""
    return {
        "source": source, "target": target,
        "source_label": kg.label(source), "target_label": kg.label(target),
        "mode": "all" if all_paths else "shortest", "undirected": view.undirected,
        "via": sorted(view.types), "as_of": iso(view.as_of), "max_len": max_len, "cap": cap,
        "paths": [], "capped": False, "note": None, "shortest": None,
        "reverse": False, "exists_ignoring_dates": None, "exists_ignoring_direction": None,
        "longer": None,
    }


def _pruned(kg: KnowledgeGraph, view: _View, from_s: dict[str, int], to_t: dict[str, int],
            max_len: int) -> dict[str, list[str]]:
    """Adjacency (by label) of the nodes on some walk of at most ``max_len`` hops from FROM to TO."""
    keep = {n for n, d in from_s.items() if d + to_t.get(n, max_len + 1) <= max_len}
    return {u: sorted((v for v in view.succ.get(u, ()) if v in keep), key=lambda n: (kg.label(n), n))
            for u in keep}


def _check_bounds(kg: KnowledgeGraph, source: str, target: str, max_len: int, cap: int) -> None:
    """Refuse the same entity at both ends, a length bound out of range, a cap below 1."""
    if source == target:
        msg = f"FROM and TO are the same entity ({kg.label(source)}); name two different ones"
        raise UsageError(msg)
    if not 1 <= max_len <= MAX_LEN_LIMIT:
        msg = f"out of range; use 1 to {MAX_LEN_LIMIT} hops"
        raise UsageError(msg, "max_len", max_len)
    if cap < 1:
        msg = f"cap {cap} is out of range; use 1 or more"
        raise UsageError(msg)


def _follow_types(kg: KnowledgeGraph, source: str, target: str, via: Iterable[str] | None,
                  undirected: bool) -> frozenset[str]:
    """The edge types to follow: ``via``, else dependencies (undirected: every link but claims')."""
    ends_claim = "Claim" in {kg.g.nodes.get(n, {}).get("type") for n in (source, target)}
    if via is not None:
        return frozenset(parse_types(list(via), LINK_TYPES, "edge type") or FOLLOW)
    if undirected:
        return frozenset(t for t in LINK_TYPES if t != "about" or ends_claim)
    return frozenset(FOLLOW)


def _search(out: dict[str, Any], adj: dict[str, list[str]], to_t: dict[str, int],
            lengths: range) -> tuple[list[list[str]], bool]:
    """Paths of each length in turn, up to ``cap``: the paths found, and whether the budget ran out.

    Sets ``capped`` and ``note`` in ``out`` when it stops early.
    """
    source, target, cap = out["source"], out["target"], out["cap"]
    budget = _Budget(STEP_BUDGET)
    found: list[list[str]] = []
    for length in lengths:
        for nodes in _exact(adj, to_t, source, target, length, budget):
            if len(found) == cap:
                out["capped"] = True
                break
            found.append(nodes)
        if out["capped"] or budget.left < 0:
            break
    if budget.left < 0:
        out["capped"] = True
        out["note"] = (f"stopped after {STEP_BUDGET:,} search steps with {len(found)} paths; "
                       "allow fewer hops or follow fewer edge types")
    elif out["capped"]:
        out["note"] = (f"more than {cap} paths; showing the first {cap} by length "
                       "(allow fewer hops or follow fewer edge types to see fewer)")
    return found, budget.left < 0


def _note_longer(out: dict[str, Any], adj: dict[str, list[str]], to_t: dict[str, int],
                 shortest: int) -> None:
    """Set ``longer`` in ``out`` and, when longer paths exist, add a hint to ``note``."""
    max_len = out["max_len"]
    out["longer"] = _longer(adj, to_t, out["source"], out["target"], shortest, max_len)
    if out["longer"]:
        hint = f"longer paths exist (up to {max_len} hops): ask for all paths to list them"
        out["note"] = f"{out['note']}; {hint}" if out["note"] else hint


def _ranked(kg: KnowledgeGraph, found: Iterable[list[str]], view: _View) -> list[dict[str, Any]]:
    """Path records (``hops``, ``length``, ``min_share``) ranked by length, weakest share, labels."""
    def record(nodes: list[str]) -> dict[str, Any]:
        hops = _hops(kg, nodes, view.types, view.as_of, view.undirected)
        return {"hops": hops, "length": len(hops), "min_share": _min_share(hops)}

    return sorted((record(nodes) for nodes in found), key=_rank_key)


def _other_routes(adj: dict[str, list[str]], to_t: dict[str, int], source: str, target: str,
                  found: list[list[str]]) -> Iterator[list[str]]:
    """One shortest path through each first step out of ``source`` that the shortest
    paths do not take: how else TO depends on FROM (ASML reaches the Ascend 910C through
    the metrology of its HBM, and through SMIC's DUV fleet and its servicing).

    Complexity: one bounded exact-length search per first step, O(d · P · L · d).
    """
    taken = {nodes[1] for nodes in found if len(nodes) > 1}
    budget = _Budget(STEP_BUDGET // 10)
    for first in adj.get(source, ()):
        if first in taken or first not in to_t:
            continue
        if first == target:
            continue
        for rest in _exact(adj, to_t, first, target, to_t[first], budget):
            if source not in rest:
                yield [source, *rest]
                break


def _explain_none(kg: KnowledgeGraph, out: dict[str, Any], types: frozenset[str],
                  as_of: dt.date | None, undirected: bool, view: _View) -> None:
    """Fill ``note`` and the ``exists_*`` flags when no path was found.  O(V + E) per check."""
    s, t = out["source"], out["target"]
    sl, tl = out["source_label"], out["target_label"]
    what = "connection" if undirected else "dependency path"
    along = ", ".join(sorted(types)) if len(types) <= 3 else f"{len(types)} edge types"
    if out["shortest"] is not None:
        n = out["shortest"]
        out["note"] = (f"the shortest {what} from {sl} to {tl} has {n} hops, more than the {out['max_len']} "
                       "allowed" + (f"; allow {n} hops" if n <= MAX_LEN_LIMIT else ""))
        return
    parts = [f"no {what} from {sl} to {tl} along {along}" + (f" on {as_of}" if as_of else "")]
    if not undirected:
        back = view.distance(t, s)
        if back is not None:
            out["reverse"] = True
            parts.append(f"{sl} depends on {tl} ({back} hops): ask the other way round")
    if as_of is not None:
        n = _View(kg, types, None, undirected).distance(s, t)
        out["exists_ignoring_dates"] = n is not None
        parts.append(f"a path exists ignoring dates ({n} hops): some edge on it is not in force on {as_of}"
                     if n is not None else "none ignoring dates either")
    if not undirected:
        n = _View(kg, types, as_of, True).distance(s, t)
        if n is not None:
            out["exists_ignoring_direction"] = True
            parts.append(f"connected ignoring direction ({n} hops): try an undirected search")
        else:
            wide = frozenset(LINK_TYPES) - {"about"}
            m = _View(kg, wide, as_of, True).distance(s, t)
            out["exists_ignoring_direction"] = m is not None
            parts.append(f"connected only through other links ({m} hops): try an undirected search"
                         if m is not None else "not connected even ignoring direction")
    out["note"] = "; ".join(parts)


