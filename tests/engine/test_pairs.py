"""Pairs found incrementally (graph/engine/pairs.py) against one fresh solve per candidate
(the reference engine of tests/engine/reference), on random AND/OR graphs with policies,
groups, variants, cycles and embargoes (the generator of test_engine.py), and on deep
layered graphs where most changes leap to the targets."""

from __future__ import annotations

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from reference.ranking import chokepoints as reference
from test_engine import COUNTRIES, D2025, random_graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.ranking import chokepoints


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_pairs_equal_one_solve_per_candidate(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    items = [n for n, d in kg.g.nodes(data=True) if d.get("type") in ("Chip", "Tool", "Process")]
    targets = sorted({target, *items[-2:]})
    got = chokepoints(kg, targets, buyer, D2025, top=None, pairs=True)
    want = reference(kg, targets, buyer, D2025, top=None, pairs=True)
    assert (got["pairs"], got["pairs_total"]) == (want["pairs"], want["pairs_total"])
    assert got == want


@st.composite
def layered_graph(draw: st.DrawFn) -> tuple[KnowledgeGraph, list[str]]:
    """A deep supply graph like an ETO-style dataset: a DAG of items, each needing later
    items and made by one to three firms in a few countries, with an occasional variant
    (an item supplied by another item) and an occasional export ban on one country.  Most
    states have one way to make them, so a removal's change climbs many states to the
    targets: what :mod:`graph.engine.pairs` lets leap."""
    g = nx.MultiDiGraph()
    for c in COUNTRIES:
        g.add_node(c, type="Country", label=c, aliases=[])
        g.add_node(f"gov-{c}", type="Government", label=f"gov {c}", aliases=[], governs=c)
        g.add_edge(f"gov-{c}", c, type="governs")
    firms = [f"f{k}" for k in range(draw(st.integers(2, 6)))]
    for f in firms:
        c = draw(st.sampled_from(COUNTRIES))
        g.add_node(f, type="Firm", label=f, aliases=[], country=c)
        g.add_edge(f, c, type="located_in")
    items = [f"i{k}" for k in range(draw(st.integers(6, 14)))]
    for it in items:
        g.add_node(it, type=draw(st.sampled_from(["Chip", "Tool", "Process", "Material"])), label=it, aliases=[])
    for a, it in enumerate(items):
        later = items[a + 1:]
        if later:
            for other in draw(st.lists(st.sampled_from(later), min_size=1, max_size=2, unique=True)):
                g.add_edge(other, it, type="requires", sources=[])
        for f in draw(st.lists(st.sampled_from(firms), min_size=1, max_size=3, unique=True)):
            g.add_edge(f, it, type="supplies", sources=[])
        if later and draw(st.integers(0, 5)) == 0:
            g.add_edge(draw(st.sampled_from(later)), it, type="supplies", sources=[])
    if draw(st.booleans()):
        g.add_node("p0", type="Policy", label="p0", aliases=[], kind="Ban", scope=None,
                   issuer=f"gov-{draw(st.sampled_from(COUNTRIES))}", covers_all=False,
                   effective_from=None, effective_to=None, conditions=["c"])
        g.add_edge("p0", g.nodes["p0"]["issuer"], type="issued_by")
        g.add_edge("p0", draw(st.sampled_from(items)), type="covers")
        g.add_edge("p0", draw(st.sampled_from(COUNTRIES)), type="destination")
    targets = sorted({items[0], *draw(st.lists(st.sampled_from(items[:3]), max_size=2))})
    return KnowledgeGraph(rdf=Graph(), g=g, sources={}), targets


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layered_graph(), st.sampled_from([None, *COUNTRIES]))
def test_pairs_through_deep_chains_equal_one_solve_per_candidate(
        case: tuple[KnowledgeGraph, list[str]], buyer: str | None) -> None:
    kg, targets = case
    got = chokepoints(kg, targets, buyer, D2025, top=None, pairs=True)
    want = reference(kg, targets, buyer, D2025, top=None, pairs=True)
    assert (got["pairs"], got["pairs_total"]) == (want["pairs"], want["pairs_total"])
