"""The one date rule: every command that answers for a date counts the same edges and policies."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from chokemap.graph.core.dates import edge_in_force, policy_in_force, within
from chokemap.graph.core.model import DEPENDENCY_TYPES, KnowledgeGraph
from chokemap.graph.engine.policy import PolicyBook, policies_from_graph
from chokemap.graph.engine.scenario import diff
from chokemap.graph.engine.supply import SupplyModel
from chokemap.graph.interchange.export import export
from chokemap.graph.io.load import load
from chokemap.graph.queries.paths import find_paths, upstream
from chokemap.graph.render.views import graph_view

DATA = Path(__file__).parents[1] / "data"
DAY = dt.date(2025, 6, 1)

# What tests/data/dates.ttl marks "in" on 2025-06-01.
SUPPLIERS_OF_PART = {"open", "stock", "edge"}
POLICIES = {"pol-in", "pol-last-day", "pol-undated"}


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load([DATA / "dates.ttl"])


def in_force_edges(kg: KnowledgeGraph, day: dt.date) -> set[tuple[str, str, str]]:
    return {(u, v, d["type"]) for u, v, d in kg.g.edges(data=True)
            if d["type"] in DEPENDENCY_TYPES and edge_in_force(d, day)}


def in_force_policies(kg: KnowledgeGraph, day: dt.date) -> set[str]:
    return {n for n, d in kg.g.nodes(data=True) if d.get("type") == "Policy" and policy_in_force(d, day)}


def test_the_rule_by_hand(kg: KnowledgeGraph) -> None:
    assert {u for u, v, t in in_force_edges(kg, DAY) if v == "part"} == SUPPLIERS_OF_PART
    assert in_force_policies(kg, DAY) == POLICIES
    assert within(DAY, DAY, DAY) and not within(DAY, DAY + dt.timedelta(days=1), None)


def test_every_command_counts_the_same_edges_and_policies(kg: KnowledgeGraph, tmp_path: Path) -> None:
    edges, policies = in_force_edges(kg, DAY), in_force_policies(kg, DAY)
    # the engine
    model = SupplyModel.compile(kg, DAY)
    engine = {(lk.node, lk.item, lk.type) for links in (model.reqs, model.sups) for lst in links.values()
              for lk in lst}
    assert engine == edges
    assert set(PolicyBook.on(policies_from_graph(kg), DAY).active) == policies
    # paths and trees
    for supplier in ("open", "ended", "future", "plan", "stock", "edge"):
        found = bool(find_paths(kg, supplier, "part", as_of=DAY)["paths"])
        assert found == (supplier in SUPPLIERS_OF_PART), supplier
    tree = upstream(kg, "gadget", as_of=DAY)
    assert {(e["from"], e["to"], e["type"]) for e in tree["edges"]} <= edges
    # views
    page = graph_view(kg, DAY)
    assert {(e["from"], e["to"], e["type"]) for e in page["edges"] if e["type"] in DEPENDENCY_TYPES} == edges
    assert {n["id"] for n in page["nodes"] if n["type"] == "Policy"} == policies
    # export
    export(kg, "csv", tmp_path / "csv", DAY)
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["type"] in DEPENDENCY_TYPES]
    assert {(r["source"], r["target"], r["type"]) for r in rows} == edges
    # diff: what starts and ends between the day before and the day after
    before, after = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)
    rep = diff(kg, before, after, None)
    assert {p["id"] for p in rep["policies_started"]} == in_force_policies(kg, after) - in_force_policies(kg, before)
    assert {p["id"] for p in rep["policies_ended"]} == in_force_policies(kg, before) - in_force_policies(kg, after)


def test_the_bundled_graph_agrees_on_every_date_of_its_changes(bundled: KnowledgeGraph) -> None:
    days = sorted({d for _u, _v, e in bundled.g.edges(data=True) for d in (e.get("valid_from"), e.get("valid_to"))
                   if d} | {d for _n, p in bundled.g.nodes(data=True) if p.get("type") == "Policy"
                            for d in (p.get("effective_from"), p.get("effective_to")) if d})
    for day in days[:: max(1, len(days) // 12)]:
        model = SupplyModel.compile(bundled, day)
        engine = {(lk.node, lk.item, lk.type) for links in (model.reqs, model.sups) for lst in links.values()
                  for lk in lst}
        rule = {e for e in in_force_edges(bundled, day) if e[2] != "owns"}
        assert engine == rule, day
        page = graph_view(bundled, day)
        assert {n["id"] for n in page["nodes"] if n["type"] == "Policy"} == in_force_policies(bundled, day), day
