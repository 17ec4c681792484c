"""The one-sweep chain ends (graph/engine/walks.py) against one walk per node.

On random AND/OR graphs (the generator of test_engine.py: policies, groups, variants,
cycles, embargoes) and on the bundled graph, every chokepoint's chain ends where
``KillSets.chain_states`` ends it, and the deep end of the chain the ranking reads its
"why" from is the head of the full chain, and the whole chain read back off the sweep is
the walk's.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from test_engine import COUNTRIES, _setup, random_graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.availability import Engine, State
from chokemap.graph.engine.chokepoints import KillSets, end_products, kill_sets
from chokemap.graph.engine.setting import Setting, country_of
from chokemap.graph.engine.walks import chain_ends, chain_sweep, deep_hops


def _same_as_walks(ks: KillSets, roots: list[State]) -> int:
    """Check every node each root's kill set holds; return how many were checked."""
    first: dict[str, State] = {}
    for r in roots:
        for n in ks.members(r):
            first.setdefault(n, r)
    ks.focus(first)
    sweep = chain_sweep(ks, first)
    ends = sweep.ends
    assert set(ends) == set(first) and chain_ends(ks, first) == ends
    for n, r in first.items():
        pairs, end = ks.chain_states(n, r)
        assert ends[n].state == end, n
        assert sweep.chain(n) == (pairs, end), n  # the whole chain, read back off the sweep
        deep = deep_hops(ks, n, ends[n])
        if deep is not None:
            assert deep == pairs[: len(deep)], n
    return len(first)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_chain_ends_equal_one_walk_per_node(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    model, book = _setup(kg)
    country = None if buyer is None else (buyer if buyer in COUNTRIES else kg.g.nodes[buyer]["country"])
    engine = Engine(model, book, keep={country} if country else set())
    roots = [State(t, engine.buyer_for(buyer)) for t in dict.fromkeys([target, *sorted(model.items)[:2]])]
    sol = engine.solve(roots)
    _same_as_walks(kill_sets(engine, sol, country, keep=roots), roots)


def test_chain_ends_on_the_bundled_graph(bundled: KnowledgeGraph) -> None:
    checked = 0
    for targets, buyer in ((["h200"], "cn"), (["h200"], None), (None, None)):
        setting = Setting(bundled, dt.date(2025, 6, 1), keep=frozenset({"cn"}) if buyer else frozenset())
        roots = [setting.root(t, buyer) for t in (targets or end_products(setting.model))]
        sol = setting.engine.solve(roots)
        ks = kill_sets(setting.engine, sol, country_of(bundled, buyer), keep=roots)
        checked += _same_as_walks(ks, roots)
    assert checked > 100
