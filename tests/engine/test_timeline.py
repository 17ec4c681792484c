"""Exact timelines (graph/engine/timeline.py) against their oracles.

* by hand on ``tests/data/timeline.ttl`` (expected intervals marked in that file);
* hypothesis: on random small graphs with dated edges, launches, dated policies that
  relax and suspend each other and dated group memberships, the timeline equals asking
  every single day of the range;
* the bundled graph: the H200 for ByteDance and for China, each change dated and sourced.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import COUNTRIES, random_graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.answers import availability
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.engine.timeline import _key, _state, chokepoint_timeline, timeline, upstream_cone
from chokemap.graph.io.load import load

DATA = Path(__file__).parents[1] / "data"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def fixture() -> KnowledgeGraph:
    return load([DATA / "timeline.ttl"], cache=False)


def spans(tl: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    return [(iv["from"], iv["to"], iv["state"], iv["confirmed"]) for iv in tl["intervals"]]


def test_the_hand_checked_timeline_for_xland(fixture: KnowledgeGraph) -> None:
    tl = timeline(fixture, "chip", "xl", D("2019-01-01"), D("2026-06-30"))
    assert spans(tl) == [
        ("2019-01-01", "2019-12-31", "not_launched", True),
        ("2020-01-01", "2021-05-31", "available", True),
        ("2021-06-01", "2022-06-30", "unavailable", True),
        ("2022-07-01", "2022-12-31", "available", True),
        ("2023-01-01", "2023-06-30", "unavailable", True),
        ("2023-07-01", "2024-05-31", "available", True),
        ("2024-06-01", "2025-02-28", "conditions", True),
        ("2025-03-01", "2025-04-30", "available", True),
        ("2025-05-01", "2025-12-31", "conditions", True),
        ("2026-01-01", "2026-06-30", "conditions", False),
    ]
    opened = [[(e["kind"], e["id"]) for e in iv["events"]] for iv in tl["intervals"]]
    assert opened == [[], [("launch", "chip")], [("policy_in", "ban")], [("policy_out", "ban")],
                      [("supplier_lost", "twfab")], [("supplier_added", "xfab")], [("policy_in", "licence")],
                      [("policy_in", "pause")], [("policy_out", "pause")], []]
    assert tl["intervals"][2]["policies"] == ["ban"]
    assert tl["intervals"][6]["conditions"][0]["conditions"] == ["case-by-case licence"]
    assert tl["intervals"][4]["blocked_by"][0]["reason"] == "no_supplier"
    assert tl["intervals"][1]["events"][0]["sources"][0]["url"] == "https://example.org/timeline"
    assert [(e["kind"], e["id"], e["date"]) for e in tl["expected"]] == [("supplier_expected", "newfab", "2026-01-01")]
    assert tl["data_as_of"] == "2025-12-31"


def test_the_group_membership_dates_a_change_for_hong_kong(fixture: KnowledgeGraph) -> None:
    tl = timeline(fixture, "chip", "hk", D("2019-01-01"), D("2026-06-30"))
    assert [(iv["from"], iv["state"]) for iv in tl["intervals"]] == [
        ("2019-01-01", "not_launched"), ("2020-01-01", "available"), ("2022-01-01", "unavailable"),
        ("2022-07-01", "available"), ("2023-01-01", "unavailable"), ("2023-07-01", "available"),
        ("2026-01-01", "available")]
    assert tl["intervals"][2]["events"][0]["kind"] == "member_in"
    assert tl["intervals"][2]["blocked_by"][0]["via_group"] == "greater-x"


def test_the_cone_leaves_out_what_the_item_cannot_read(fixture: KnowledgeGraph) -> None:
    cone = upstream_cone(fixture, ["chip"])
    assert cone.items == {"chip", "die"}
    assert cone.policies == {"ban", "licence", "pause"}  # the pause suspends the licence
    tl = timeline(fixture, "chip", "xl", D("2019-01-01"), D("2026-06-30"))
    assert "2024-02-02" not in {e["date"] for e in tl["events"]}  # the unrelated ban


def test_a_range_inside_one_interval_is_one_interval(fixture: KnowledgeGraph) -> None:
    tl = timeline(fixture, "chip", "xl", D("2021-07-01"), D("2021-07-31"))
    assert spans(tl) == [("2021-07-01", "2021-07-31", "unavailable", True)]
    assert tl["intervals"][0]["events"] == []


def test_chokepoints_over_time(fixture: KnowledgeGraph) -> None:
    rep = chokepoint_timeline(fixture, ["chip"], "hk", D("2022-07-01"), D("2023-12-31"))
    rows = {r["id"]: r for r in rep["chokepoints"]}
    assert rows["twfab"]["spans"] == [{"from": "2022-07-01", "to": "2022-12-31"}]
    assert rows["xfab"]["spans"] == [{"from": "2023-07-01", "to": "2023-12-31"}]
    assert rows["maker"]["spans"] == [{"from": "2022-07-01", "to": "2022-12-31"},
                                      {"from": "2023-07-01", "to": "2023-12-31"}]
    assert not rows["maker"]["throughout"]
    sections = [r["section"] for r in rep["chokepoints"]]
    assert sections == sorted(sections)  # actors first
    assert [iv["available"] for iv in rep["intervals"]] == [["chip"], [], ["chip"]]


def test_chokepoints_throughout(fixture: KnowledgeGraph) -> None:
    rep = chokepoint_timeline(fixture, ["chip"], "hk", D("2023-07-01"), D("2023-12-31"))
    assert all(r["throughout"] for r in rep["chokepoints"])
    assert {r["id"] for r in rep["chokepoints"]} == {
        r["id"] for r in chokepoints(fixture, ["chip"], "hk", D("2023-08-01"), top=None)["chokepoints"]}


def test_a_range_that_ends_before_it_starts_is_a_usage_error(fixture: KnowledgeGraph) -> None:
    from chokemap.graph.core.errors import UsageError

    with pytest.raises(UsageError):
        timeline(fixture, "chip", "xl", D("2025-01-01"), D("2024-01-01"))


# --------------------------------------------------------------------------- property

START, DAYS = D("2020-01-01"), 24


@st.composite
def dated_graph(draw: st.DrawFn) -> tuple[KnowledgeGraph, str, str | None]:
    """A random graph of :func:`test_engine.random_graph` given dates: dependency edges
    with validity (some planned, with an expected date), launches, policies in force for
    a while, relaxing and suspending each other, naming a group with dated members, and
    a horizon."""
    kg, target, buyer = draw(random_graph())
    g = kg.g
    day = st.one_of(st.none(), st.integers(-2, DAYS + 2).map(lambda k: START + dt.timedelta(days=k)))

    def span() -> tuple[dt.date | None, dt.date | None]:
        a, b = draw(day), draw(day)
        return (a, b) if a is None or b is None or a <= b else (b, a)

    for _u, _v, d in list(g.edges(data=True)):
        if d["type"] in ("requires", "supplies"):
            d["valid_from"], d["valid_to"] = span()
            if draw(st.integers(0, 5)) == 0:
                d["planned"], d["expected_from"] = True, draw(day)
    for _n, d in g.nodes(data=True):
        if d.get("type") in ("Chip", "Tool", "Process") and draw(st.booleans()):
            d["launch"] = draw(day)
    pols = [n for n, d in g.nodes(data=True) if d.get("type") == "Policy"]
    g.add_node("grp", type="CountryGroup", label="grp", aliases=[])
    for c in COUNTRIES:
        if draw(st.booleans()):
            a, b = span()
            g.add_edge(c, "grp", type="member_of", valid_from=a, valid_to=b, sources=[])
    for p in pols:
        g.nodes[p]["effective_from"], g.nodes[p]["effective_to"] = span()
        if draw(st.integers(0, 4)) == 0:
            g.nodes[p]["kind"] = "Announcement"  # no effect: inert unless it relaxes or suspends
        if draw(st.booleans()):  # more policies that reach the target: more changes to find
            g.add_edge(p, target, type="covers")
        if draw(st.booleans()):
            g.add_edge(p, "grp", type="destination")
        other = draw(st.sampled_from(pols))
        if other != p and draw(st.booleans()):
            link = draw(st.sampled_from(["relaxes", "suspends"]))
            g.add_edge(p, other, type=link)
            if link == "suspends" and draw(st.booleans()):  # a pause that covers nothing itself
                g.nodes[p]["covers_all"] = False
                g.remove_edges_from([(p, v) for _p, v, d in g.out_edges(p, data=True) if d["type"] == "covers"])
    for k, target_pol in enumerate(draw(st.lists(st.sampled_from(pols), max_size=2)) if pols else []):
        pause = f"pause{k}"  # covers nothing itself: reached only through what it suspends
        a, b = sorted(START + dt.timedelta(days=draw(st.integers(1, DAYS - 1))) for _ in range(2))
        g.add_node(pause, type="Policy", label=pause, aliases=[], kind="Announcement", issuer="gov-c0",
                   effective_from=a, effective_to=b)
        g.add_edge(pause, target_pol, type="suspends")
    kg.data_as_of = draw(day)
    return kg, target, buyer


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_graph())
def test_the_timeline_equals_asking_every_day(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    end = START + dt.timedelta(days=DAYS)
    tl = timeline(kg, target, buyer, START, end)
    days = [START + dt.timedelta(days=k) for k in range(DAYS + 1)]
    assert tl["intervals"][0]["from"] == START.isoformat() and tl["intervals"][-1]["to"] == end.isoformat()
    covered = []
    for iv in tl["intervals"]:
        first = D(iv["from"])
        ref = availability(kg, target, buyer, first)
        covered += [d for d in days if iv["from"] <= d.isoformat() <= iv["to"]]
        for d in days:
            if iv["from"] <= d.isoformat() <= iv["to"]:
                ans = availability(kg, target, buyer, d)
                assert _key(ans) == _key(ref), (d, iv)
                assert _state(ans) == iv["state"]
    assert covered == days
    for a, b in zip(tl["intervals"], tl["intervals"][1:], strict=False):
        assert D(a["to"]) + dt.timedelta(days=1) == D(b["from"])


# --------------------------------------------------------------------------- the bundled graph

def test_the_h200_for_bytedance(bundled: KnowledgeGraph) -> None:
    tl = timeline(bundled, "h200", "bytedance", D("2018-01-01"), D("2026-03-31"))
    got = [(iv["from"], iv["state"], iv["policies"]) for iv in tl["intervals"]]
    assert got[0] == ("2018-01-01", "not_launched", [])
    assert got[1] == ("2024-04-01", "unavailable", ["pol-us-2023-10-advanced-computing"])
    assert tl["intervals"][1]["events"][0]["kind"] == "launch"
    assert tl["intervals"][1]["events"][0]["sources"]
    last = tl["intervals"][-1]
    assert (last["from"], last["state"]) == ("2026-01-28", "conditions")
    assert {"pol-cn-2026-01-h200-import-approval", "pol-us-2026-h200-case-by-case"} <= set(last["policies"])
    assert [(e["kind"], e["id"]) for e in last["events"]] == [("policy_in", "pol-cn-2026-01-h200-import-approval")]
    assert all(e["sources"] for iv in tl["intervals"] for e in iv["events"])
    # between the customs block and the approval, ByteDance is blocked like every Chinese buyer
    assert [iv["state"] for iv in tl["intervals"] if "2026-01-14" <= iv["from"] < "2026-01-28"] == \
        ["unavailable", "unavailable"]


def test_the_h200_for_china_is_blocked_by_customs_with_approved_buyers_exempt(bundled: KnowledgeGraph) -> None:
    tl = timeline(bundled, "h200", "cn", D("2025-01-01"), D("2026-03-31"))
    got = [(iv["from"], iv["state"], iv["policies"]) for iv in tl["intervals"]]
    assert got[1] == ("2026-01-14", "unavailable",
                      ["pol-cn-2026-01-h200-customs-block", "pol-us-2023-10-advanced-computing"])
    assert got[2] == ("2026-01-15", "unavailable", ["pol-cn-2026-01-h200-customs-block"])
    last = tl["intervals"][-1]
    assert last["from"] == "2026-01-28" and last["state"] == "unavailable"
    assert last["blocked_by"][0]["except_for"] == ["alibaba", "bytedance", "tencent"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_graph())
def test_chokepoints_over_time_equal_asking_every_day(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    end = START + dt.timedelta(days=DAYS)
    rep = chokepoint_timeline(kg, [target], buyer, START, end)
    for k in range(DAYS + 1):
        day = START + dt.timedelta(days=k)
        want = {r["id"] for r in chokepoints(kg, [target], buyer, day, top=None)["chokepoints"]}
        got = {r["id"] for r in rep["chokepoints"]
               if any(s["from"] <= day.isoformat() <= s["to"] for s in r["spans"])}
        assert got == want, day


def test_diff_lists_the_events_the_timeline_is_cut_by(bundled: KnowledgeGraph) -> None:
    from chokemap.graph.engine.scenario import diff

    rep = diff(bundled, D("2025-12-01"), D("2026-02-01"), "bytedance", ["h200"])
    tl = timeline(bundled, "h200", "bytedance", D("2025-12-02"), D("2026-02-01"))
    assert rep["events"] == tl["events"]
    started = {p["id"] for p in rep["policies_started"]}
    assert {e["id"] for e in rep["events"] if e["kind"] == "policy_in"} <= started
    assert [g["id"] for g in rep["gained"]] == ["h200"]
    assert {iv["from"] for iv in tl["intervals"][1:]} <= {e["date"] for e in rep["events"]}
