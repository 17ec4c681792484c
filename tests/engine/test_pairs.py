"""Pairs found incrementally (graph/engine/pairs.py) against one fresh solve per candidate
(the reference engine of tests/engine/reference), on random AND/OR graphs with policies,
groups, variants, cycles and embargoes (the generator of test_engine.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from reference.ranking import chokepoints as reference
from test_engine import D2025, random_graph

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
