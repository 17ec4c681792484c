"""Substitution horizons (graph/engine/horizons.py) and ``chokepoints --horizon``.

* by hand on ``tests/data/horizons.ttl`` (expected horizons marked in that file);
* hypothesis: on random graphs with planned suppliers, a horizon date D is exactly the
  first expected date at which counting the plans expected by D removes the chokepoint
  (brute force over every candidate date);
* the bundled graph: what its plans do and do not end.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import random_graph

from chokemap.cli import cli
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.horizons import chokepoints_with_horizons
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.io.load import load

DATA = Path(__file__).parents[1] / "data"
FIXTURE = str(DATA / "horizons.ttl")
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def fixture() -> KnowledgeGraph:
    return load([DATA / "horizons.ttl"], cache=False)


def horizons(rep: dict[str, Any]) -> dict[str, tuple[str, str | None, list[str]]]:
    """Chokepoint -> (reason, horizon date, the planned suppliers named)."""
    out = {}
    for r in rep["chokepoints"]:
        h = r["horizon"]
        named = [p["supplier"] for p in (h["ends"] if h else r.get("horizon_plans", []))]
        out[r["id"]] = (r["horizon_reason"], h["date"] if h else None, named)
    return out


def test_the_hand_checked_horizons(fixture: KnowledgeGraph) -> None:
    got = horizons(chokepoints_with_horizons(fixture, ["chip"], "cl", D("2026-01-01"), top=None))
    assert got["mema"] == got["kr"] == ("planned_substitute", "2026-07-01", ["newmem"])
    assert got["fab"] == got["tw"] == ("planned_substitute", "2029-01-01", ["fab2"])
    assert got["scanco"][:2] == got["nl"][:2] == ("plans_fall_short", None)
    assert "scancn" in got["scanco"][2]
    assert got["resistj"] == got["jp"] == ("undated_plan", None, ["resistc"])
    assert got["maker"] == ("no_planned_substitute", None, [])
    assert {n for n, v in got.items() if v[0] == "no_planned_substitute"} >= {"maker", "memory", "die"}


def test_a_horizon_names_the_plan_with_its_note_and_sources(fixture: KnowledgeGraph) -> None:
    rep = chokepoints_with_horizons(fixture, ["chip"], "cl", D("2026-01-01"), top=None)
    (end,) = next(r for r in rep["chokepoints"] if r["id"] == "mema")["horizon"]["ends"]
    assert end["item"] == "memory" and end["expected_from"] == "2026-07-01"
    assert end["note"] == "Mass production targeted for 2H 2026."
    assert [s["id"] for s in end["sources"]] == ["src"]


def test_counting_plans_ends_the_chokepoints_they_substitute(fixture: KnowledgeGraph) -> None:
    rep = chokepoints_with_horizons(fixture, ["chip", "chip2"], "cl", D("2026-01-01"), plans=D("2026-12-31"),
                                    top=None)
    ids = {r["id"] for r in rep["chokepoints"]}
    assert not {"mema", "kr"} & ids and {"fab", "tw", "maker2"} <= ids
    chip, chip2 = rep["targets"]
    assert chip["available"] and not chip["needs_plans"]
    assert chip2["available"] and chip2["needs_plans"]
    assert {p["supplier"] for p in chip2["plans"]} >= {"maker2"}
    maker2 = next(r for r in rep["chokepoints"] if r["id"] == "maker2")
    assert [p["supplier"] for p in maker2["plans"]] == ["maker2"]
    fab = next(r for r in rep["chokepoints"] if r["id"] == "fab")
    assert fab["plans"] == [] and fab["horizon"]["date"] == "2029-01-01"
    # without plans, Chip2 is not available
    assert not chokepoints_with_horizons(fixture, ["chip2"], "cl", D("2026-01-01"))["targets"][0]["available"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", FIXTURE, *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_text_says_each_horizon_and_what_rests_on_a_plan() -> None:
    code, out = run("chokepoints", "--target", "Chip", "--target", "Chip2", "--buyer", "Cland",
                    "--as-of", "2026-01-01", "--kind", "actors")
    assert code == 0
    assert "    horizon: until NewMem (Memory), expected 2026-07-01, planned, not confirmed" in out
    assert "    horizon: no planned substitute in the data\n" in out
    assert "ASSUMING PLANS" not in out
    code, out = run("chokepoints", "--target", "Chip", "--target", "Chip2", "--buyer", "Cland",
                    "--as-of", "2026-01-01", "--kind", "actors", "--horizon", "2026-12-31")
    assert code == 0
    assert out.splitlines()[2].startswith("ASSUMING PLANS: planned suppliers expected by 2026-12-31 count as working")
    assert "  ~ available only if these plans hold: Maker2 (Chip2), expected 2026-03-01" in out
    assert "    rests on a plan: Maker2 (Chip2), expected 2026-03-01, not confirmed" in out


def test_the_json_has_a_horizon_or_null_and_the_reason() -> None:
    code, out = run("chokepoints", "--target", "Chip", "--buyer", "Cland", "--as-of", "2026-01-01", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["mema"]["horizon"]["date"] == "2026-07-01" and rows["mema"]["horizon_reason"] == "planned_substitute"
    assert rows["maker"]["horizon"] is None and rows["maker"]["horizon_reason"] == "no_planned_substitute"
    assert "plans_by" not in rows["maker"]
    code, out = run("chokepoints", "--target", "Chip2", "--buyer", "Cland", "--as-of", "2026-01-01", "--json",
                    "--horizon", "2026-06-30")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["maker2"]["plans_by"] == "2026-06-30" and rows["maker2"]["plans"][0]["supplier"] == "maker2"
    assert rows["maker2"]["targets_on_plans"][0]["needs_plans"] is True


def test_a_bad_horizon_date_is_a_one_line_usage_error() -> None:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", FIXTURE, "chokepoints", "--horizon", "someday"])
    assert result.exit_code == 2
    assert "'someday' is not a date; write YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- property

AS_OF = D("2025-06-01")
EXPECTED = [None, D("2024-01-01"), D("2026-01-01"), D("2027-01-01"), D("2028-01-01")]


@st.composite
def planned_graph(draw: st.DrawFn) -> tuple[KnowledgeGraph, str, str | None]:
    """A random graph of :func:`test_engine.random_graph` with some supply edges planned,
    each expected on one of a few dates (or none), and a few planned suppliers added."""
    kg, target, buyer = draw(random_graph())
    g = kg.g
    for _u, _v, d in list(g.edges(data=True)):
        if d["type"] == "supplies" and draw(st.integers(0, 2)) == 0:
            d["planned"], d["expected_from"] = True, draw(st.sampled_from(EXPECTED))
    firms = [n for n, d in g.nodes(data=True) if d.get("type") == "Firm" and not d.get("aggregate")]
    items = [n for n, d in g.nodes(data=True) if d.get("type") in ("Chip", "Tool", "Process")]
    for _ in range(draw(st.integers(0, 3))):
        g.add_edge(draw(st.sampled_from(firms)), draw(st.sampled_from(items)), type="supplies", sources=[],
                   planned=True, expected_from=draw(st.sampled_from(EXPECTED)))
    return kg, target, buyer


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planned_graph())
def test_a_horizon_is_the_first_date_whose_plans_remove_the_chokepoint(
        case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    rep = chokepoints_with_horizons(kg, [target], buyer, AS_OF, top=None)
    days = sorted({d for d in EXPECTED if d is not None})
    ids = {day: {r["id"] for r in chokepoints(kg, [target], buyer, AS_OF, top=None, plans=day)["chokepoints"]}
           for day in days}
    for r in rep["chokepoints"]:
        h = r["horizon"]
        if h is None:
            assert all(r["id"] in ids[day] for day in days), r["id"]
            continue
        first = next(day for day in days if r["id"] not in ids[day])
        assert h["date"] == first.isoformat(), r["id"]
        assert h["ends"] and all(p["expected_from"] == h["date"] for p in h["ends"])


# --------------------------------------------------------------------------- the bundled graph

def test_bundled_asml_has_no_planned_substitute_for_smic_n3(bundled: KnowledgeGraph) -> None:
    """Yuliangsheng's planned DUV tool (no expected date) would still need ASML's servicing."""
    rep = chokepoints_with_horizons(bundled, ["smic-n3"], "cn", D("2026-03-01"), top=None)
    got = horizons(rep)
    assert got["asml"] == ("plans_fall_short", None, ["yuliangsheng"])
    assert got["gov-nl"][0] == got["nl"][0] == "plans_fall_short"


def test_bundled_hbm2e_for_the_910c_has_no_planned_substitute(bundled: KnowledgeGraph) -> None:
    """CXMT's planned HBM is HBM3 (and HBM in general), expected 2026-07-01: the 910C needs
    HBM2E, which no plan in the data makes, so no horizon ends its HBM chokepoint."""
    got = horizons(chokepoints_with_horizons(bundled, ["ascend-910c"], "cn", D("2026-03-01"), top=None))
    assert got["hbm2e"] == ("no_planned_substitute", None, [])
    assert all(v[1] is None for v in got.values())


def test_bundled_euv_for_the_b200_has_no_planned_substitute(bundled: KnowledgeGraph) -> None:
    """The one plan for what ASML makes is Yuliangsheng's DUV tool (2027): the B200 would
    still need ASML's EUV scanner, which nothing planned replaces."""
    got = horizons(chokepoints_with_horizons(bundled, ["b200"], None, D("2026-03-01"), top=None))
    assert got["euv-scanner"] == ("no_planned_substitute", None, [])
    assert got["asml"] == ("plans_fall_short", None, ["yuliangsheng"])
    assert all(v[1] is None for v in got.values())


def test_bundled_the_950pr_rests_on_huaweis_plans(bundled: KnowledgeGraph) -> None:
    assert not chokepoints_with_horizons(bundled, ["ascend-950pr"], "cn", D("2026-03-01"))["targets"][0]["available"]
    rep = chokepoints_with_horizons(bundled, ["ascend-950pr"], "cn", D("2026-03-01"), plans=D("2026-12-31"))
    (t,) = rep["targets"]
    assert t["available"] and t["needs_plans"]
    assert {(p["supplier"], p["item"]) for p in t["plans"]} >= {("huawei", "ascend-950pr")}
