"""The item graph (graph/engine/itemgraph.py): availability and kill sets on arrays.

* hypothesis: on random AND/OR graphs without policies (the generator of test_engine.py,
  its policies dropped: variants, cycles, launch dates, placeholders and own makes
  stay), the solve on arrays finds the general fixpoint's states, availability and
  justifications, its kill sets are brute force's, its focused sets (on arrays, or by
  the general fixpoint for a large focus) and chain ends the general path's, and a whole
  ranking is the general path's, field for field;
* it takes the questions it can (every state an item of one buyer) and leaves the others
  to the general engine: a policy that acts, a removal, a buyer kept apart, an item with
  options of two tuples;
* on the S benchmark graph (an ETO import) it answers, and its item graph is stored with
  the date class's model, read back equal, and rebuilt when the entry does not make one.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from test_engine import D2025, _setup, random_graph

from chokemap.cli import cli
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine import chokepoints as cp
from chokemap.graph.engine import itemgraph
from chokemap.graph.engine.availability import Engine, State
from chokemap.graph.engine.chokepoints import brute_force_single, kill_sets
from chokemap.graph.engine.compiled import stored_key
from chokemap.graph.engine.itemgraph import ItemGraph, ItemKillSets, ItemSolution, item_graph
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.engine.setting import Setting
from chokemap.graph.engine.walks import chain_ends
from chokemap.graph.io import cache
from chokemap.graph.io.load import load

ROOT = Path(__file__).resolve().parents[2]


def _without_policies(kg: KnowledgeGraph) -> KnowledgeGraph:
    kg.g.remove_nodes_from([n for n, d in list(kg.g.nodes(data=True)) if d.get("type") == "Policy"])
    return kg


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every question down the general path."""
    monkeypatch.setattr(itemgraph, "solve_items", lambda engine, roots: None)


def _option_key(o: object) -> tuple[object, ...] | None:
    return None if o is None else (o.state, o.kind, o.link, o.prereqs)  # type: ignore[attr-defined]


def _on_arrays(case: tuple[KnowledgeGraph, str, str | None]) -> tuple[KnowledgeGraph, Engine, list[State],
                                                                      ItemSolution]:
    """The random graph without its policies, its engine, roots (the target and two more
    items) and their solution on the item graph (examples it cannot take are skipped)."""
    kg, target, _buyer = case
    _without_policies(kg)
    model, book = _setup(kg)
    engine = Engine(model, book)
    roots = [State(t, engine.buyer_for(None)) for t in dict.fromkeys([target, *sorted(model.items)[:2]])]
    sol = engine.solve(roots)
    assume(isinstance(sol, ItemSolution))  # no item with options of two tuples
    return kg, engine, roots, sol  # type: ignore[return-value]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_arrays_equal_the_general_engine(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, engine, roots, fast = _on_arrays(case)
    model, book = engine.model, engine.book
    slow = Engine(model, book)._solve(roots)
    assert set(fast.options) == set(slow.options)
    assert fast.available == slow.available == fast.free
    for s in slow.options:
        assert [_option_key(o) for o in fast.options[s]] == [_option_key(o) for o in slow.options[s]]
    assert {s: _option_key(fast.justification[s]) for s in fast.available} == {
        s: _option_key(o) for s, o in slow.justification.items()}
    rank = {s: i for i, s in enumerate(fast.order)}
    assert set(rank) == fast.available
    for s in fast.available:  # a firing order: what a state rests on fired before it
        assert all(rank[p] < rank[s] for p in fast.justification[s].prereqs)

    ks = kill_sets(engine, fast, None, keep=roots)
    assert isinstance(ks, ItemKillSets)
    general = kill_sets(engine, fast, None, keep=roots, method="passes")
    candidates = [n for n, d in kg.g.nodes(data=True)]
    for r in roots:
        assert sorted(ks.members(r)) == sorted(general.members(r))
        if r in fast.available:
            assert set(ks.members(r)) == brute_force_single(model, book, r, candidates)
    nodes = sorted({n for r in roots for n in ks.members(r)})
    ks.focus(nodes)
    general.focus(nodes)
    for s in fast.available:
        assert ks.focused(s) == general.focused(s)
    first = {n: next(r for r in roots if n in ks.members(r)) for n in nodes}
    ends, want = chain_ends(ks, first), chain_ends(general, first)
    assert {n: (e.state, _option_key(e.option)) for n, e in ends.items()} == {
        n: (e.state, _option_key(e.option)) for n, e in want.items()}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_a_large_focus_is_pulled_up_by_the_general_fixpoint(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    _kg, engine, roots, sol = _on_arrays(case)
    ks, general = kill_sets(engine, sol, None, keep=roots), kill_sets(engine, sol, None, keep=roots, method="passes")
    nodes = sorted({n for r in roots for n in ks.members(r)})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(itemgraph, "MAX_FOCUS", 1)  # any focus of two nodes or more is "large"
        ks.focus(nodes)
    general.focus(nodes)
    assert len(nodes) < 2 or ks.groups  # the general path's groups were built
    for s in sol.available:
        assert ks.focused(s) == general.focused(s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_rankings_on_arrays_equal_the_general_path(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, _buyer = case
    _without_policies(kg)
    setting = Setting(kg, D2025)
    assume(isinstance(setting.engine.solve([setting.root(target, None)]), ItemSolution))
    kg.memo.clear()
    # whole rankings, and windows cut at the top rows with their ties (a target asked twice
    # counts twice, as on the general path)
    asks = [([target], None), (None, None), ([target, target], 1), (None, 2)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cp, "WINDOW_FACTOR", 1)  # windows of a small graph cut at N too
        mp.setattr(cp, "WINDOW_MIN", 1)
        want = [chokepoints(kg, t, None, D2025, top=top, pairs=True, soft=0.5) for t, top in asks]
        _general(mp)
        kg.memo.clear()
        assert [chokepoints(kg, t, None, D2025, top=top, pairs=True, soft=0.5) for t, top in asks] == want


def _item_case(variant: bool = False) -> tuple[KnowledgeGraph, str]:
    """A chip made by a firm from a wafer a second firm makes (no policy); with
    ``variant``, also supplied by a second chip the firm makes."""
    import networkx as nx
    from rdflib import Graph

    g = nx.MultiDiGraph()
    g.add_node("tw", type="Country", label="Taiwan", aliases=[])
    g.add_node("gov-tw", type="Government", label="gov tw", aliases=[], governs="tw")
    g.add_edge("gov-tw", "tw", type="governs")
    for f in ("fab", "waferco"):
        g.add_node(f, type="Firm", label=f, aliases=[], country="tw")
        g.add_edge(f, "tw", type="located_in")
    for it in ("chip", "wafer"):
        g.add_node(it, type="Chip", label=it, aliases=[])
    g.add_edge("wafer", "chip", type="requires", sources=[])
    g.add_edge("fab", "chip", type="supplies", sources=[])
    g.add_edge("waferco", "wafer", type="supplies", sources=[])
    if variant:
        g.add_node("chip2", type="Chip", label="chip2", aliases=[])
        g.add_edge("fab", "chip2", type="supplies", sources=[])
        g.add_edge("chip2", "chip", type="supplies", sources=[])
    return KnowledgeGraph(rdf=Graph(), g=g, sources={}), "chip"


def test_it_takes_only_the_questions_it_can_answer() -> None:
    kg, chip = _item_case()
    model, book = _setup(kg)
    engine = Engine(model, book)
    sol = engine.solve([State(chip, engine.buyer_for(None))])
    assert isinstance(sol, ItemSolution)
    assert set(kill_sets(engine, sol, None, keep=[State(chip, engine.buyer_for(None))]).members(
        State(chip, engine.buyer_for(None)))) == {"chip", "fab", "wafer", "waferco", "tw"}
    # a removal, a buyer's country kept apart: the general engine
    for eng in (Engine(model, book, removed={"waferco"}), Engine(model, book, keep={"tw"})):
        assert not isinstance(eng.solve([State(chip, eng.buyer_for("fab"))]), ItemSolution)
    # an embargo tried on the buyer's country: the general kill sets
    assert not isinstance(kill_sets(engine, sol, "us", keep=[State(chip, engine.buyer_for(None))]), ItemKillSets)
    # an item with options of two tuples (a firm and a variant): the general engine
    two = Engine(*_setup(_item_case(variant=True)[0]))
    assert not isinstance(two.solve([State(chip, two.buyer_for(None))]), ItemSolution)
    assert isinstance(two.solve([State("wafer", two.buyer_for(None))]), ItemSolution)  # what it does not reach


def test_a_policy_that_acts_takes_the_general_engine(bundled: KnowledgeGraph) -> None:
    setting = Setting(bundled, dt.date(2025, 6, 1))
    assert setting.engine._acting
    assert not isinstance(setting.engine.solve([setting.root("h200", None)]), ItemSolution)


@pytest.fixture(scope="module")
def s_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The S benchmark graph (an ETO import, seed 0) as Turtle."""
    folder = tmp_path_factory.mktemp("s-graph")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    generate("S", folder / "csv")
    out = folder / "S.ttl"
    res = CliRunner().invoke(cli, ["import", "eto", str(folder / "csv"), "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def test_the_item_graph_is_stored_with_its_class(s_graph: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kg = load([s_graph], cache=True)
    setting = Setting(kg, dt.date(2026, 2, 1))
    key = stored_key(setting.model, "items")
    assert key is not None
    made = item_graph(setting.engine)
    assert made is not None and cache.get_model(key) is not None
    # a new process reads it back, equal, without compiling
    monkeypatch.setattr(ItemGraph, "compile", classmethod(lambda cls, model: pytest.fail("compiled again")))
    again = load([s_graph], cache=True)
    back = item_graph(Setting(again, dt.date(2026, 2, 1)).engine)
    assert back is not None and back.nodes == made.nodes
    for name in ItemGraph.FIELDS[1:]:
        assert np.array_equal(getattr(back, name), getattr(made, name)), name
    monkeypatch.undo()
    # an entry that does not make an item graph is rebuilt
    cache.put_model(key, {**made.fields(), "req_idx": made.req_idx[:-1]})
    third = load([s_graph], cache=True)
    rebuilt = item_graph(Setting(third, dt.date(2026, 2, 1)).engine)
    assert rebuilt is not None and np.array_equal(rebuilt.req_idx, made.req_idx)
    # a private model (plans counted) is never stored as its class's
    assert stored_key(Setting(third, dt.date(2026, 2, 1), plans=dt.date(2030, 1, 1)).model, "items") is None


def test_the_s_graph_is_answered_on_arrays_as_on_the_general_path(s_graph: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    kg = load([s_graph], cache=True)
    day = dt.date(2026, 2, 1)
    setting = Setting(kg, day)
    assert isinstance(setting.engine.solve([setting.root("eto-N0", None)]), ItemSolution)
    firm = next(n for n, d in sorted(kg.g.nodes(data=True)) if d.get("type") == "Firm" and d.get("country"))
    asks = [(None, None, {"top": 30}), (["eto-N0"], firm, {"top": 50, "kind": "actors"}),
            (["eto-N0"], None, {"top": 10, "explain": 2})]
    want = [chokepoints(kg, t, b, day, **o) for t, b, o in asks]
    _general(monkeypatch)
    kg.memo.clear()
    assert [chokepoints(kg, t, b, day, **o) for t, b, o in asks] == want
