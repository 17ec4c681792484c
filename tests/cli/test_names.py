"""Names on the command line: ambiguous names fail with the candidates (exit 1), a country
in --embargo is its export-control body (tests/data/names.ttl marks the answers)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from chokemap.cli import cli

NAMES = str(Path(__file__).parents[1] / "data" / "names.ttl")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", NAMES, *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_lift_of_an_ambiguous_policy_name_fails_with_the_candidates() -> None:
    code, out = run("whatif", "--lift", "Rule of May", "--buyer", "BE", "--as-of", "2025-01-01")
    assert code == 1
    assert out == ("Error: 'Rule of May' matches several entities: rule-1 (Rule of May: chips), "
                   "rule-2 (Rule of May: tools and chips); use one of these ids\n")


def test_an_ambiguous_positional_name_fails() -> None:
    code, out = run("available", "Widget A", "--buyer", "BE")
    assert code == 1 and "chip-a (Widget A100), chip-b (Widget A200)" in out


def test_an_ambiguous_remove_fails() -> None:
    code, out = run("whatif", "--remove", "Widget A", "--buyer", "BE")
    assert code == 1 and "matches several entities" in out


def test_embargo_by_a_country_is_one_by_its_export_control_body() -> None:
    code, out = run("whatif", "--embargo", "AL:BE", "--buyer", "BE", "--as-of", "2025-01-01")
    assert code == 0
    assert out.startswith("What if: embargo by Alpha Trade Office on Beta.")


def test_traditional_chinese_finds_a_simplified_alias() -> None:
    code, out = run("show", "臺積電")
    assert code == 0 and out.startswith("TaiCo  (Firm, id: taico)")
