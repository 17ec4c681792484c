"""`chokepoints --kind` and `--pairs --top` on the command line, on the toy chain
(tests/data/tiny.ttl: its expected answers are marked there)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from chokemap.cli import cli

TINY = str(Path(__file__).parents[1] / "data" / "tiny.ttl")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", TINY, *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_kind_actors_lists_only_actors_in_json() -> None:
    code, out = run("chokepoints", "--target", "phone", "--as-of", "2024-06-01", "--kind", "actors", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["section"] for r in rows} == {"actors"}
    assert all(r["target_labels"] == ["Phone"] and r["targets"] == ["phone"] for r in rows)
    assert {"id", "label", "type", "score", "why", "explanation", "supply"} <= set(rows[0])


def test_the_default_lists_actors_then_items() -> None:
    code, out = run("chokepoints", "--target", "phone", "--as-of", "2024-06-01", "--top", "1")
    assert code == 0
    assert " 1. ScannerCo (Firm) cuts Phone: the only working supplier of Scanner (100% share)" in out
    assert out.index("Actors (") < out.index("Items (")


def test_pairs_are_cut_at_top_and_carry_their_total() -> None:
    code, out = run("chokepoints", "--target", "phone", "--as-of", "2024-06-01", "--top", "1", "--pairs", "--json")
    pairs = [r for r in json.loads(out) if r["type"] == "pair"]
    assert code == 0 and len(pairs) == 1 and pairs[0]["pairs_total"] > 1
    code, out = run("chokepoints", "--target", "phone", "--as-of", "2024-06-01", "--top", "1", "--pairs")
    assert f"1 of {pairs[0]['pairs_total']} pairs shown" in out


def test_a_bad_kind_is_a_usage_error() -> None:
    code, out = run("chokepoints", "--kind", "people")
    assert code == 2 and "'people' is not one of 'actors', 'items', 'all'" in out
