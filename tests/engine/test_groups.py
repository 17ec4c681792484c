"""Options sharing a prerequisite tuple are counted down and intersected as one group
(graph/engine/availability.py ``_propagate``, graph/engine/chokepoints.py ``_live_options``):
the states, their justifications, the firing order and every kill set must be those of
counting every option alone, the engine as it was (tests/engine/reference)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import availability as ref_availability
from reference import chokepoints as ref_chokepoints
from test_engine import COUNTRIES, _setup, random_graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.availability import Engine, State
from chokemap.graph.engine.chokepoints import kill_sets
from chokemap.graph.engine.itemgraph import ItemSolution


def _country(kg: KnowledgeGraph, buyer: str | None) -> str | None:
    return None if buyer is None else (buyer if buyer in COUNTRIES else kg.g.nodes[buyer]["country"])


def _place(sol: object, s: State) -> int:
    """Where a state's justification stands among its options (options are rebuilt per engine)."""
    return next(i for i, o in enumerate(sol.options[s]) if o is sol.justification[s])  # type: ignore[attr-defined]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph(), st.data())
def test_grouped_solve_and_kill_sets_equal_one_option_at_a_time(case: tuple[KnowledgeGraph, str, str | None],
                                                                 data: st.DataObject) -> None:
    kg, target, buyer = case
    model, book = _setup(kg)
    country = _country(kg, buyer)
    keep = {country} if country else set()
    firms = sorted(n for n, d in kg.g.nodes(data=True) if d.get("type") == "Firm")
    removed = data.draw(st.sets(st.sampled_from(firms), max_size=1))
    items = sorted(n for n, d in kg.g.nodes(data=True) if d.get("type") in ("Chip", "Tool", "Process"))
    new, old = Engine(model, book, removed, keep), ref_availability.Engine(model, book, removed, keep)
    roots = [State(i, new.buyer_for(buyer)) for i in items]
    got, want = new.solve(roots), old.solve(roots)
    assert got.available == want.available and got.free == want.free
    # the item graph fires by rounds (graph/engine/itemgraph.py), not in the reference's
    # LIFO order, and numbers nodes its own way: the same states and sets
    arrays = isinstance(got, ItemSolution)
    assert (set(got.order) == set(want.order)) if arrays else (got.order == want.order)
    assert {s: _place(got, s) for s in got.justification} == {s: _place(want, s) for s in want.justification}

    ks, rks = kill_sets(new, got, country), ref_chokepoints.kill_sets(old, want, country)
    order = sorted if arrays else list
    assert {s: order(ks.members(s)) for s in got.available} == {s: order(rks.members(s)) for s in want.available}
    ks.focus(items[:2])
    rks.focus(items[:2])
    assert {s: ks.focused(s) for s in got.available} == {s: rks.focused(s) for s in want.available}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph(), st.sampled_from(["unions", "passes", "auto"]))
def test_kept_kill_sets_are_the_same_built_by_unions_or_by_passes(case: tuple[KnowledgeGraph, str, str | None],
                                                                  method: str) -> None:
    """Only the targets' sets asked for: unions walked down to the sets an intersection
    needs, or every set built in order (graph/engine/chokepoints.py), equal the reference."""
    kg, target, buyer = case
    model, book = _setup(kg)
    country = _country(kg, buyer)
    keep = {country} if country else set()
    items = sorted(n for n, d in kg.g.nodes(data=True) if d.get("type") in ("Chip", "Tool", "Process"))
    new, old = Engine(model, book, set(), keep), ref_availability.Engine(model, book, set(), keep)
    roots = [State(i, new.buyer_for(buyer)) for i in items[:3]]
    got, want = new.solve(roots), old.solve(roots)
    ks = kill_sets(new, got, country, keep=roots, method=method)
    rks = ref_chokepoints.kill_sets(old, want, country)
    # in the reference's bit order; the item graph numbers nodes its own way (same sets)
    order = sorted if isinstance(got, ItemSolution) else list
    assert {r: order(ks.members(r)) for r in roots if r in got.available} == {
        r: order(rks.members(r)) for r in roots if r in want.available}
