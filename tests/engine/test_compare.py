"""compare: specs side by side, claims apart, direct inputs, shared and unique dependencies,
chokepoints.  tests/data/paths.ttl marks the expected answers; the bundled graph's example
is GB200 NVL72 against CloudMatrix 384."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import chokemap.cli as cli
from chokemap.graph.core.errors import UsageError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.compare import compare
from chokemap.graph.io.load import load

FIXTURE = str(Path(__file__).parents[1] / "data" / "paths.ttl")
DAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load([FIXTURE])


@pytest.fixture(scope="module")
def xy(kg: KnowledgeGraph) -> dict:
    return compare(kg, "system-x", "system-y", buyer="aland", as_of=DAY, top=3)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.cli, ["--data", FIXTURE, *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_attributes_side_by_side_with_sources(xy: dict) -> None:
    rows = {r["property"]: r for r in xy["attributes"]}
    assert list(rows) == ["chip_count", "power", "racks"]  # systems' order, then by name
    assert [v["value"] for v in rows["chip_count"]["a"]] == [8]
    assert [v["value"] for v in rows["chip_count"]["b"]] == [4]
    power = rows["power"]["a"]
    assert [(v["value"], v["unit"], v["sources"][0]["id"]) for v in power] == [(40, "kW", "s2"), (42, "kW", "s1")]
    assert power[1]["note"] == "Vendor figure." and rows["power"]["b"] == []


def test_claims_are_kept_apart_with_status(xy: dict) -> None:
    assert [(c["id"], c["status"], c["about"]) for c in xy["claims"]] == [("claim-x", "Disputed", ["a"])]
    claim = xy["claims"][0]
    assert claim["statement"] == ["System X is twice as fast as System Y"]
    assert [s["id"] for s in claim["claimed_by"]] == ["s2"]
    assert all("claim" not in r["property"] for r in xy["attributes"])


def test_direct_inputs_and_suppliers(xy: dict) -> None:
    rows = {r["id"]: r for r in xy["direct"]}
    assert list(rows) == ["chip", "chipco", "optics", "cable"]  # shared first, then A's, then B's
    assert rows["chip"]["a"]["quantity"] == 8 and rows["chip"]["b"]["quantity"] == 4
    assert rows["optics"]["a"]["note"] == "All-optical." and rows["optics"]["b"] is None
    assert rows["chipco"]["a"]["type"] == "supplies"


def test_shared_and_unique_dependencies(xy: dict) -> None:
    deps = xy["dependencies"]
    assert [r["id"] for r in deps["only_a"]] == ["optics", "optco"]
    assert [r["id"] for r in deps["only_b"]] == ["cable", "cableco"]
    shared = {r["id"]: r for r in deps["shared"]}
    # on 2026-01-01 Die B and Foundry no longer supply: not a dependency on that date
    assert "die-b" not in shared and "foundry" not in shared
    assert {"chip", "compute-die", "die-a", "memory", "scanner", "toolco", "toolb", "chipco"} <= set(shared)
    assert (shared["scanner"]["depth_a"], shared["scanner"]["depth_b"]) == (5, 5)


def test_chokepoints_for_each_and_shared(kg: KnowledgeGraph, xy: dict) -> None:
    ca, cb = xy["chokepoints"]["a"], xy["chokepoints"]["b"]
    assert ca["available"] and cb["available"]
    assert len(ca["chokepoints"]) == 3 and ca["total"] > 3
    assert all(r["why"] and r["explanation"] for r in ca["chokepoints"])
    full = compare(kg, "system-x", "system-y", buyer="aland", as_of=DAY, top=100)["chokepoints"]
    ids_a = {r["id"] for r in full["a"]["chokepoints"]}
    ids_b = {r["id"] for r in full["b"]["chokepoints"]}
    assert "optco" in ids_a and "optco" not in ids_b and "cableco" in ids_b
    assert set(xy["shared_chokepoints"]) == ids_a & ids_b
    assert "compute-die" in xy["shared_chokepoints"]


def test_bad_arguments(kg: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="two different items"):
        compare(kg, "chip", "chip")
    with pytest.raises(UsageError, match="out of range") as info:
        compare(kg, "chip", "system-x", top=0)
    assert (info.value.param, info.value.value) == ("top", 0)  # the CLI names its option


def test_cli_compare_text_and_json() -> None:
    code, out = run("compare", "System X", "System Y", "--as-of", "2026-01-01", "--top", "2")
    assert code == 0
    assert out.startswith("System X (System) vs System Y (System), as of 2026-01-01, for any buyer\n")
    assert "  chip_count  8 [1]                 4 [1]\n" in out
    assert "  [Disputed] System X beats System Y (about System X)\n" in out
    assert "  only System X (2)\n    Component: Optics\n    Firm: OptCo\n" in out
    code, out = run("compare", "System X", "System Y", "--json")
    assert code == 0
    assert set(json.loads(out)) == {"a", "b", "as_of", "buyer", "attributes", "claims", "direct",
                                    "dependencies", "chokepoints", "shared_chokepoints"}


@pytest.mark.parametrize(("args", "code", "message"), [
    (["compare", "Chip", "The Chip"], 2, "compare needs two different items"),
    (["compare", "Chip", "ToolCo"], 1, "no item 'ToolCo'"),  # firms are not items
    (["compare", "Chip", "System X", "--as-of", "soon"], 2, "is not a date"),
])
def test_cli_compare_bad_input(args: list[str], code: int, message: str) -> None:
    got, out = run(*args)
    assert got == code and message in out and "Traceback" not in out


def test_bundled_gb200_vs_cloudmatrix(bundled: KnowledgeGraph) -> None:
    res = compare(bundled, "gb200-nvl72", "cloudmatrix-384", buyer="cn", as_of=dt.date(2026, 3, 1))
    rows = {r["property"]: r for r in res["attributes"]}

    def values(prop: str, side: str) -> list:
        return [v["value"] for v in rows[prop][side]]

    assert values("chip_count", "a") == [72] and values("chip_count", "b") == [384]
    assert values("compute_bf16_pflops", "a") == [180] and values("compute_bf16_pflops", "b") == [300]
    assert values("total_hbm", "a") == [13.8] and values("total_hbm", "b") == [49.2]
    assert values("power", "a") == [145] and values("power", "b") == [559]
    assert values("scale_up_domain", "a") == [72] and values("scale_up_domain", "b") == [384]
    assert all(v["sources"] for r in rows.values() for side in ("a", "b") for v in r[side])
    # the optics dependency of the CloudMatrix: 6,912 transceivers, scale-up all-optical
    assert values("optical_transceivers", "b") == [6912]
    optics = next(r for r in res["direct"] if r["id"] == "optical-transceiver")
    assert optics["b"]["quantity"] == 6912
    assert "unified-bus" in {r["id"] for r in res["dependencies"]["only_b"]}
    assert "optical-transceiver" in {r["id"] for r in res["chokepoints"]["b"]["chokepoints"]} | {
        r["id"] for r in res["dependencies"]["shared"]}
    # the claims are there, apart, with their status
    assert {c["status"] for c in res["claims"]} <= {"Verified", "Disputed", "Unverified"}
    assert any(c["about"] == ["a", "b"] for c in res["claims"])
    # for China on that date the GB200 is blocked, the CloudMatrix is not
    assert res["chokepoints"]["a"]["available"] is False and res["chokepoints"]["a"]["blocked_by"]
    assert res["chokepoints"]["b"]["available"] is True
