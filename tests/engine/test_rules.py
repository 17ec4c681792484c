"""The rules of the world, as data: groups, scoped approvals, launches, the horizon, thin supply.

Every expected answer is marked in tests/data/rules.ttl; the bundled graph's headline cases
(the H20 for Hong Kong, the H200 for China's approved buyers) are checked at the end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.answers import Scenario, availability
from chokemap.graph.engine.policy import group_members
from chokemap.graph.io.load import load

DATA = Path(__file__).parents[1] / "data"
DAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load([DATA / "rules.ttl"])


def causes(ans: dict) -> list[tuple[str, str | None]]:
    return [(c["reason"], c.get("policy")) for c in ans["blocked_by"]]


def test_a_group_stands_for_its_members_on_the_date(kg: KnowledgeGraph) -> None:
    assert group_members(kg, dt.date(2020, 6, 28)) == {"greater-x": frozenset({"xl"})}
    assert group_members(kg, dt.date(2020, 6, 29)) == {"greater-x": frozenset({"xl", "hk"})}
    hk = availability(kg, "chip", "hk", DAY)
    assert causes(hk) == [("policy", "ban")]
    assert hk["blocked_by"][0]["via_group"] == "greater-x"
    assert "which applies to Greater X" in hk["blocked_by"][0]["text"]


def test_a_relaxation_reaches_only_its_own_destinations(kg: KnowledgeGraph) -> None:
    # "Case-by-case for Xland" relaxes the group ban for Xland, not for Hong Kong
    assert not availability(kg, "chip", "hk", DAY)["available"]
    xland = availability(kg, "chip", "xl", DAY)
    assert ("policy", "ban") not in causes(xland)


def test_an_approval_that_names_firms_exempts_those_firms_only(kg: KnowledgeGraph) -> None:
    for buyer in ("xl", "other"):
        ans = availability(kg, "chip", buyer, DAY)
        assert causes(ans) == [("policy", "customs")]
        assert ans["blocked_by"][0]["except_for"] == ["approved"]
        assert "approved buyers exempt: ApprovedCo" in ans["blocked_by"][0]["text"]
    ok = availability(kg, "chip", "approved", DAY)
    assert ok["available"]
    assert {c["policy"] for c in ok["conditions"]} == {"relax", "approval"}
    # before the approval took effect, ApprovedCo was blocked like everyone else
    assert not availability(kg, "chip", "approved", dt.date(2025, 1, 15))["available"]


def test_nothing_is_available_before_its_launch(kg: KnowledgeGraph) -> None:
    before = availability(kg, "chip", "us", dt.date(2023, 12, 31))
    assert not before["available"] and causes(before) == [("not_launched", None)]
    assert before["launch"] == "2024-01-01" and "not yet launched" in before["blocked_by"][0]["text"]
    assert availability(kg, "chip", "us", dt.date(2024, 1, 1))["available"]


def test_answers_past_the_horizon_say_so(kg: KnowledgeGraph) -> None:
    inside = availability(kg, "mineral", "xl", dt.date(2025, 12, 31))
    assert inside["data_as_of"] == "2025-12-31" and inside["warnings"] == []
    after = availability(kg, "mineral", "xl", dt.date(2026, 1, 1))
    assert [w["kind"] for w in after["warnings"]] == ["past_horizon"]
    assert "current to 2025-12-31" in after["warnings"][0]["text"]


def test_only_placeholders_left_is_said(kg: KnowledgeGraph) -> None:
    ans = availability(kg, "mineral", "us", DAY)
    assert ans["available"]
    (w,) = ans["warnings"]
    assert (w["kind"], w["item"], w["lost"], w["share"]) == ("placeholder_only", "mineral", ["xminer"], 0.05)
    # the chip's maker is in Usland, so the chip inherits the caveat on its route
    assert [w["item"] for w in availability(kg, "chip", "approved", DAY)["warnings"]] == ["mineral"]
    # no caveat where the named supplier still works
    assert availability(kg, "mineral", "us", dt.date(2024, 6, 1))["warnings"] == []


def test_a_placeholder_never_makes_one_firms_model(kg: KnowledgeGraph) -> None:
    ans = availability(kg, "tool", "us", DAY, Scenario(removed=frozenset({"toolco"})))
    assert not ans["available"]
    free = availability(kg, "mineral", "us", DAY, Scenario(removed=frozenset({"xminer"})))
    assert free["available"]  # a generic material may come from unnamed producers


# --------------------------------------------------------------------------- the bundled graph


def test_bundled_h20_for_hong_kong_stays_under_the_licence_requirement(bundled: KnowledgeGraph) -> None:
    hk = availability(bundled, "h20", "hk", dt.date(2025, 10, 1))
    assert not hk["available"]
    assert [c["via_group"] for c in hk["blocked_by"] if c["reason"] == "policy"] == ["grp-cn-hk-mo"]


@pytest.mark.parametrize("chip", ["h200", "b200"])
@pytest.mark.parametrize("buyer", ["ru", "hk"])
def test_bundled_top_chips_are_not_free_for_russia_or_hong_kong(bundled: KnowledgeGraph, chip: str,
                                                                  buyer: str) -> None:
    ans = availability(bundled, chip, buyer, dt.date(2026, 2, 1))
    assert not ans["available"] or ans["conditions"], ans


def test_bundled_answers_past_march_2026_warn(bundled: KnowledgeGraph) -> None:
    ans = availability(bundled, "h200", "us", dt.date(2026, 12, 1))
    kinds = [w["kind"] for w in ans["warnings"]]
    assert kinds[0] == "past_horizon" and ans["data_as_of"] == "2026-03-31"
    assert "not confirmed" in ans["warnings"][0]["text"]
    assert availability(bundled, "h200", "us", dt.date(2026, 3, 1))["warnings"] == []


def test_soft_chokepoints_hold_most_of_an_inputs_known_supply(kg: KnowledgeGraph) -> None:
    from chokemap.graph.engine.ranking import chokepoints

    # before Xland's mineral ban, XMiner (and Xland with it) holds 95% of the mineral's supply:
    # not a chokepoint (unnamed producers still make 5%), but a soft one at 90%
    rep = chokepoints(kg, ["chip"], "us", dt.date(2024, 6, 1), soft=0.9)
    assert {r["id"] for r in rep["chokepoints"]} >= {"toolco", "maker"}
    soft = {r["id"]: r for r in rep["soft"]}
    assert set(soft) == {"xminer", "xl"} and soft["xminer"]["share_lost"] == 0.95
    assert soft["xminer"]["item"] == "mineral" and soft["xminer"]["targets"] == ["chip"]
    assert not ({r["id"] for r in rep["chokepoints"]} & set(soft))  # a node is hard or soft, never both
    assert chokepoints(kg, ["chip"], "us", dt.date(2024, 6, 1), soft=0.96)["soft"] == []


def test_a_requirement_cycle_is_named_as_the_reason() -> None:
    cyc = load([DATA / "cycle.ttl"])
    ans = availability(cyc, "alpha", None, DAY)
    assert not ans["available"]
    assert [(c["reason"], c["through"]) for c in ans["blocked_by"]] == [("cycle", ["beta"])]
    assert ans["blocked_by"][0]["text"] == "Alpha needs itself through a requirement cycle (via Beta)"


def test_stats_on_a_graph_without_edges_says_so(tmp_path: Path) -> None:
    from chokemap.graph.queries.describe import stats
    from chokemap.graph.render.report import render_stats

    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    text = render_stats(stats(load([empty])))
    assert "none: the data holds no dependency edge" in text and "100.0%" not in text
