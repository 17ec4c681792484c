"""Every chip and system in the bundled data states its launch (issues 12 and 13), and the
launch states give the headline answers through the command line."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import inproc
import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[1]
CM = rdflib.Namespace("https://chokemap.org/ns#")
CMI = rdflib.Namespace("https://chokemap.org/id/")
STATUSES = {CM.NotYetLaunched, CM.LaunchDateUnknown, CM.NotAProduct}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted((ROOT / "data").glob("*.ttl")):
        g.parse(f)
    return g


def cli(*args: str) -> subprocess.CompletedProcess:
    return inproc.run([*args])


def available(item: str, buyer: str, day: str) -> dict:
    run = cli("available", item, "--buyer", buyer, "--as-of", day, "--json")
    assert run.returncode == 0, run.stderr
    (row,) = json.loads(run.stdout)
    return row


def warning_kinds(row: dict) -> set[str]:
    return {w["kind"] for w in row["warnings"]}


def test_every_chip_and_system_has_exactly_one_launch(graph):
    items = set(graph.subjects(rdflib.RDF.type, CM.Chip)) | set(graph.subjects(rdflib.RDF.type, CM.System))
    assert len(items) > 60
    bad = {}
    for s in items:
        launches = list(graph.objects(s, CM.launch))
        if len(launches) != 1:
            bad[str(s)] = len(launches)
            continue
        (node,) = launches
        dates = list(graph.objects(node, CM.date))
        statuses = set(graph.objects(node, CM.status))
        if len(dates) + len(statuses) != 1 or not statuses <= STATUSES:
            bad[str(s)] = "neither one date nor one known status"
    assert bad == {}


def test_validate_is_clean():
    """The launches are well formed (graph/queries/shapes.ttl checks each cm:launch node).
    That every chip and system HAS one is checked by the test above, not by a shape: a
    shape would also reject the test fixtures and ETO imports, which carry no launches."""
    run = cli("validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no findings" in run.stdout


def test_counts_of_launch_forms(graph):
    """The four forms in use; a guard against a launch silently changing form."""
    forms = {"date": 0, "NotYetLaunched": 0, "LaunchDateUnknown": 0, "NotAProduct": 0}
    for _s, node in graph.subject_objects(CM.launch):
        status = graph.value(node, CM.status)
        forms["date" if status is None else str(status).split("#")[1]] += 1
    assert forms["NotAProduct"] == 11
    assert forms["NotYetLaunched"] == 22
    assert forms["LaunchDateUnknown"] == 15
    assert forms["date"] == 20


def test_rubin_not_launched_with_expected_date():
    row = available("NVIDIA Rubin", "US", "2026-02-01")
    assert row["available"] is False
    assert row["launch_status"] == "not_yet_launched"
    assert row["launch_expected"] == "2026-07-01"
    assert [b["reason"] for b in row["blocked_by"]] == ["not_launched"]


@pytest.mark.parametrize("item,expected", [
    ("Huawei Ascend 950PR", "2026-01-01"),
    ("Huawei Ascend 950DT", "2026-10-01"),
    ("Huawei Atlas 950 SuperPoD", "2026-10-01"),
    ("NVIDIA Rubin Ultra", "2027-07-01"),
])
def test_roadmap_items_not_launched(item, expected):
    row = available(item, "CN" if "Huawei" in item else "US", "2026-03-31")
    assert row["available"] is False
    assert row["launch_expected"] == expected


def test_dated_launch_kunpeng():
    before = available("Huawei Kunpeng CPU", "CN", "2019-01-06")
    assert before["available"] is False
    assert "not_launched" in [b["reason"] for b in before["blocked_by"]]
    on = available("Huawei Kunpeng CPU", "CN", "2019-01-07")
    assert on["available"] is True
    assert on["launch"] == "2019-01-07"


def test_unknown_launch_kirin_9030_bounds():
    before = available("HiSilicon Kirin 9030", "CN", "2025-11-24")
    assert before["available"] is False
    assert "not_launched" in [b["reason"] for b in before["blocked_by"]]
    between = available("HiSilicon Kirin 9030", "CN", "2025-12-01")
    assert between["available"] is True
    assert "launch_unknown" in warning_kinds(between)
    after = available("HiSilicon Kirin 9030", "CN", "2025-12-13")
    assert "launch_unknown" not in warning_kinds(after)


def test_component_bounds_do_not_outlast_their_racks():
    """The GB300 NVL72 (launched Jul 2025) carries no launch doubt from its B300s, and the
    GB200 NVL72 (Dec 2024) none from its Grace CPUs and NVLink switches."""
    gb300 = available("NVIDIA GB300 NVL72", "US", "2025-07-01")
    assert gb300["available"] is True
    assert "launch_unknown" not in warning_kinds(gb300)
    gb200 = available("NVIDIA GB200 NVL72", "US", "2024-12-01")
    assert gb200["available"] is True
    assert "launch_unknown" not in warning_kinds(gb200)
    b300 = available("NVIDIA B300", "US", "2025-05-01")
    assert "launch_unknown" in warning_kinds(b300)


def test_categories_are_not_products():
    row = available("HBM3E", "US", "2000-01-01")
    assert row["available"] is True
    assert row["launch_status"] == "not_a_product"
    assert "launch_unknown" not in warning_kinds(row)
