"""Hostile shapes at the command line (issue 14, cases 8, 13, 15): a 2,000-level chain walked and
printed without RecursionError; a full stdout is a one-line error, no traceback; an empty
--store folder is named in a whole message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli

DEPTH = 2_000


@pytest.fixture(scope="module")
def deep(tmp_path_factory: pytest.TempPathFactory) -> str:
    """m0 requires m1 requires ... m2000: a chain twice as deep as Python's recursion limit."""
    lines = ["@prefix cm: <https://chokemap.org/ns#> .", "@prefix cmi: <https://chokemap.org/id/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", 'cmi:src a cm:Source ; rdfs:label "S" .']
    lines += [f'cmi:m{i} a cm:Material ; rdfs:label "M{i}" ; '
              f"cm:requires [ cm:input cmi:m{i + 1} ; cm:source cmi:src ] ." for i in range(DEPTH)]
    lines.append(f'cmi:m{DEPTH} a cm:Material ; rdfs:label "M{DEPTH}" .')
    path = tmp_path_factory.mktemp("deep") / "deep.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("args", [["upstream", "m0"], ["downstream", f"m{DEPTH}"], ["upstream", "m0", "--json"],
                                  ["chokepoints", "--target", "m0"], ["available", "m0"]])
def test_a_deep_chain_is_walked_without_recursion(deep: str, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", deep, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output[-300:]


def test_the_deepest_node_is_printed_last(deep: str) -> None:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", deep, "upstream", "m0"], catch_exceptions=False)
    tree = [line for line in result.output.splitlines() if "└── " in line]
    assert len(tree) == DEPTH
    assert tree[-1].endswith(f"M{DEPTH} (Material)  [1]")
    assert tree[-1].startswith("    " * (DEPTH - 1) + "└── ")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_stdout_is_one_line() -> None:
    cli_py = Path(__file__).parents[2] / "cli.py"
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, str(cli_py), "--data", str(Path(__file__).parents[1] / "data" / "tiny.ttl"),
                              "--no-cache", "stats"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr == "Error: cannot write the output: No space left on device\n"


def test_an_empty_store_folder_is_named_whole(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path), "stats"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path}: not a chokemap store (no database in the folder); "
                             "build one with the `store build` command\n")


def test_a_huge_json_ranking_keeps_only_the_chains_asked_for() -> None:
    import json

    args = ["chokepoints", "--target", "H200", "--buyer", "US", "--as-of", "2026-02-01", "--top", "30", "--json"]
    few = json.loads(CliRunner().invoke(cli, [*args, "--explain", "2"], catch_exceptions=False).output)
    every = json.loads(CliRunner().invoke(cli, [*args, "--explain", "all"], catch_exceptions=False).output)
    assert len(few) == len(every) > 2
    assert all(r["explanation"] for r in few[:2]) and all(r["explanation"] for r in every)
    # the rows past N are the same rows, with everything but the chain, which is not worked out
    assert all(r["explanation"] == [] and r["explanation_omitted"] is True and "explanation_omitted" not in e
               and {**r, "explanation": e["explanation"], "explanation_omitted": None}
               == {**e, "explanation_omitted": None} for r, e in zip(few[2:], every[2:], strict=True))
    bad = CliRunner().invoke(cli, [*args, "--explain", "x"])
    assert bad.exit_code == 2 and "--explain 'x': give a number of chains or 'all'" in bad.output


def test_the_process_ends_fast_with_its_whole_output_and_status(tmp_path: Path) -> None:
    """The entry point ends the process without tearing the graph down object by object
    (cli._leave): the whole output still arrives, through a pipe, with the right status."""
    cli_py = Path(__file__).parents[2] / "cli.py"
    tiny = str(Path(__file__).parents[1] / "data" / "tiny.ttl")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(cli_py), "--data", tiny, *args], capture_output=True, text=True,
                              timeout=120, env=env)

    import json

    ok = run("chokepoints", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) and ok.stdout.endswith("\n")  # the whole document, flushed before the end
    unknown = run("show", "no-such-thing-here")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("Error: ") and unknown.stderr.count("\n") == 1
    usage = run("chokepoints", "--as-of", "2025-02-30")
    assert usage.returncode == 2
