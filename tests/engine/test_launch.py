"""Launch states as data: a date, not yet launched (expected), date unknown (bounded), not a product.

The expected answers are marked in tests/data/launch.ttl.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.core.errors import DataError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.answers import availability
from chokemap.graph.engine.timeline import timeline
from chokemap.graph.io.load import load
from chokemap.graph.queries.validate import validate

DATA = Path(__file__).parents[1] / "data"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load([DATA / "launch.ttl"])


def state(kg: KnowledgeGraph, item: str, day: str) -> tuple[bool, list[str], list[str]]:
    ans = availability(kg, item, "us", D(day))
    return ans["available"], [c["reason"] for c in ans["blocked_by"]], [w["kind"] for w in ans["warnings"]]


def test_a_dated_launch_opens_on_its_day(kg: KnowledgeGraph) -> None:
    assert state(kg, "dated", "2023-12-31") == (False, ["not_launched"], [])
    assert state(kg, "dated", "2024-01-01") == (True, [], [])


def test_an_announced_item_is_never_available_and_says_when_it_is_expected(kg: KnowledgeGraph) -> None:
    for day in ("2020-01-01", "2026-07-01", "2030-01-01"):
        ans = availability(kg, "announced", "us", D(day))
        assert not ans["available"]
        assert ans["launch_status"] == "not_yet_launched" and ans["launch_expected"] == "2026-07-01"
        (cause,) = ans["blocked_by"]
        assert cause["text"] == "Announced not yet launched (expected from 2026-07-01, planned, not confirmed)"


def test_an_unknown_launch_is_bounded_and_warned_about_until_it_was_surely_out(kg: KnowledgeGraph) -> None:
    assert state(kg, "undated", "2023-11-08") == (False, ["not_launched"], [])
    assert state(kg, "undated", "2023-11-09") == (True, [], ["launch_unknown"])
    assert state(kg, "undated", "2024-05-31") == (True, [], ["launch_unknown"])
    assert state(kg, "undated", "2024-06-01") == (True, [], [])
    ans = availability(kg, "undated", "us", D("2024-01-01"))
    assert "does not know when Undated was first available" in ans["warnings"][0]["text"]
    # what needs it waits for it too
    assert state(kg, "system", "2024-03-01")[0] and not state(kg, "system", "2024-02-29")[0]


def test_a_category_has_no_launch(kg: KnowledgeGraph) -> None:
    assert state(kg, "memory", "1990-01-01") == (True, [], [])


def test_the_timeline_splits_where_the_launch_is_bounded(kg: KnowledgeGraph) -> None:
    tl = timeline(kg, "undated", "us", D("2023-01-01"), D("2025-01-01"))
    got = [(iv["from"], iv["state"], [w["kind"] for w in iv["warnings"]]) for iv in tl["intervals"]]
    assert got == [("2023-01-01", "not_launched", []), ("2023-11-09", "available", ["launch_unknown"]),
                   ("2024-06-01", "available", [])]


def test_launch_states_are_checked_by_shapes(tmp_path: Path) -> None:
    text = (DATA / "launch.ttl").read_text(encoding="utf-8")
    bad = text.replace('cm:launch [ cm:date "2024-01-01"^^xsd:date ; cm:source cmi:src ]',
                       'cm:launch [ cm:date "2024-01-01"^^xsd:date ; cm:status cm:NotYetLaunched ; cm:source cmi:src ]')
    bad = bad.replace('cm:status cm:NotAProduct ; cm:note "a category"', 'cm:status cm:NotYetLaunched')
    path = tmp_path / "bad.ttl"
    path.write_text(bad, encoding="utf-8")
    messages = " ".join(f.message for f in validate(load([path])))
    assert "either one cm:date or one cm:status" in messages  # both a date and a status
    assert "cm:source" in messages  # a not-yet-launched item without a source


def test_an_unknown_status_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.ttl"
    path.write_text((DATA / "launch.ttl").read_text(encoding="utf-8").replace("cm:NotAProduct", "cm:Soon"),
                    encoding="utf-8")
    with pytest.raises(DataError, match="unknown cm:status 'Soon'"):
        load([path])
    res = CliRunner().invoke(cli, ["--data", str(path), "stats"])
    assert res.exit_code != 0 and "cm:NotYetLaunched" in res.output and "Traceback" not in res.output


def test_show_says_when_an_item_launched_or_why_the_data_has_no_date() -> None:
    def show(name: str) -> str:
        res = CliRunner().invoke(cli, ["--data", str(DATA / "launch.ttl"), "show", name])
        assert res.exit_code == 0, res.output
        return res.output

    assert "Launch: 2024-01-01\n  source: Hand-made fixture" in show("Dated")
    assert "Launch: not yet launched, expected from 2026-07-01 (not confirmed)" in show("Announced")
    assert "Launch: date not known; not before 2023-11-09; on the market by 2024-06-01" in show("Undated")
    assert "Launch: none (a category or a part, not a product)" in show("Memory")


def test_a_chip_without_a_launch_is_a_warning_not_a_violation(tmp_path: Path) -> None:
    text = (DATA / "launch.ttl").read_text(encoding="utf-8")
    path = tmp_path / "gap.ttl"
    path.write_text(text.replace('cm:launch [ cm:status cm:NotAProduct ; cm:note "a category" ] ;', ""), encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    assert res.exit_code == 0, res.output
    import json

    report = json.loads(res.output)
    assert report["valid"] is True
    assert [(f["entity"], f["severity"]) for f in report["findings"]] == [("memory", "warning")]
    assert "every chip and system states its launch" in report["findings"][0]["message"]
    text_out = CliRunner().invoke(cli, ["validate", str(path)]).output
    assert "(warning)" in text_out and "all warnings: valid" in text_out


def test_a_planned_launch_counts_under_horizon_and_is_marked() -> None:
    args = ["--data", str(DATA / "launch.ttl"), "chokepoints", "--target", "Announced", "--buyer", "US",
            "--as-of", "2026-01-01", "--json"]
    import json

    before = json.loads(CliRunner().invoke(cli, args).output)
    assert before == [] or all(not r.get("targets") for r in before)
    late = CliRunner().invoke(cli, [*args[:-1], "--horizon", "2026-06-30"])
    assert "Announced for Usland, as of 2026-01-01: NOT AVAILABLE" in late.output  # expected 1 Jul: not yet
    res = CliRunner().invoke(cli, [*args[:-1], "--horizon", "2026-07-01"])
    assert res.exit_code == 0, res.output
    assert "available only if these plans hold: launch of Announced, expected 2026-07-01" in res.output
