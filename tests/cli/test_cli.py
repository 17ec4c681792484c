"""The command line: exact output and exit codes for good and bad input.

Commands run through click's CliRunner on the toy chain (tests/data/tiny.ttl), so the
expected text is known exactly; the bundled graph has its own tests in test_data.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli

ROOT = Path(__file__).parents[2]
TINY = str(Path(__file__).parents[1] / "data" / "tiny.ttl")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and re.fullmatch(r"chokemap, version \d+\.\d+\.\d+\n", out)


def test_every_command_has_help_with_examples_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        code, out = run(name, "--help")
        assert code == 0, name
        assert "Example" in out, f"{name} --help has no example"
        assert f"chokemap {name}" in readme, f"{name} is not in the README"
        assert command.help


def test_stats_text_and_json() -> None:
    code, out = run("--data", TINY, "stats")
    assert code == 0
    # 5 countries + 3 governments + 5 firms + 5 items + 2 policies; 4 requires + 6 supplies edges
    assert out.splitlines()[0] == ("20 entities, 10 dependency edges, 14 other links, 2 policies, 0 claims, "
                                   "1 sources (105 triples in 1 files)")
    assert "  with a source: 10 of 10 (100.0%)" in out
    code, out = run("stats", "--data", TINY, "--json")
    data = json.loads(out)
    assert {k: data[k] for k in ("entities", "edges", "policies", "sources", "edges_with_source")} == {
        "entities": 20, "edges": 10, "policies": 2, "sources": 1, "edges_with_source": 10}


def test_search_ranks_and_reports_misses() -> None:
    code, out = run("search", "mem", "-d", TINY)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()][:3] == ["MemA", "MemB", "Memory"]
    assert "US memory ban to Xland" in out  # substring matches rank below
    code, out = run("search", "韩国", "-d", TINY)
    assert out.startswith("South Korea") and "(alias: 韩国)" in out
    code, out = run("search", "zzzz", "-d", TINY)
    assert code == 1 and out == "nothing matches 'zzzz'\n"


def test_show_text() -> None:
    code, out = run("show", "memory", "-d", TINY)
    assert code == 0
    assert out.splitlines()[:3] == ["Memory  (Chip, id: memory)", "", "Supplied by (2)"]
    assert "  MemA (Firm, mema)  [60%]" in out
    assert "      source: Toy source (Example, 2024-01-01) https://example.org/toy" in out
    assert "Covered by (2)" in out


def test_show_json_shape() -> None:
    code, out = run("show", "Memory", "--json", "-d", TINY)
    data = json.loads(out)
    assert {"id", "label", "type", "aliases", "edges"} <= set(data)
    sup = next(e for e in data["edges"] if e["other"]["id"] == "mema")
    assert sup == {
        "direction": "in", "type": "supplies", "other": {"id": "mema", "label": "MemA", "type": "Firm"},
        "share": 0.6, "valid_from": None, "valid_to": None,
        "sources": [{"id": "src", "url": "https://example.org/toy", "title": "Toy source",
                     "publisher": "Example", "date": "2024-01-01", "secondary": False}],
    }


def test_unknown_entity_is_one_line_with_suggestions() -> None:
    code, out = run("show", "ScanerCo", "-d", TINY)
    assert code == 1
    assert out == ("Error: no entity 'ScanerCo'; did you mean: ScannerCo, Scanner, PhoneCo? "
                   "(try: chokemap search 'ScanerCo')\n")


def test_validate_exit_codes(tmp_path: Path) -> None:
    code, out = run("validate", TINY)  # its three chips state no launch: warnings, still valid
    assert code == 0 and out.endswith("3 findings in 1 files (105 triples) (all warnings: valid)\n")
    code, out = run("validate", str(Path(TINY).parent / "bad_shapes.ttl"))
    assert code == 1 and out.endswith("8 findings in 1 files (25 triples) (1 of them warnings)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-d", "nope.ttl", "stats"], "Error: nope.ttl: no such file or folder"),
        (["stats", "-d", str(Path(TINY).parent / "bad_syntax.ttl")], "bad_syntax.ttl:5: cannot parse turtle"),
    ],
)
def test_bad_data_is_one_line(args: list[str], message: str) -> None:
    code, out = run(*args)
    assert code == 1
    assert message in out and out.count("\n") == 1 and "Traceback" not in out


def test_engine_commands_on_the_toy_chain() -> None:
    code, out = run("available", "phone", "--buyer", "xx", "--as-of", "2026-03-01", "-d", TINY)
    assert code == 0
    assert out == ("Phone for Xland, as of 2026-03-01: available WITH CONDITIONS\n"
                   "  - Korean memory licence for Xland (LicenceReview)\n"
                   "      case-by-case licence\n")
    code, out = run("chokepoints", "--target", "phone", "--as-of", "2024-06-01", "--json", "-d", TINY)
    rows = json.loads(out)
    assert isinstance(rows, list)
    assert {"id", "label", "type", "score", "targets", "explanation"} <= set(rows[0])
    assert rows[0]["id"] == "scannerco" and rows[0]["targets"] == ["phone"]
    code, out = run("whatif", "--remove", "MemA", "--buyer", "XX", "--as-of", "2025-06-01", "--json", "-d", TINY)
    data = json.loads(out)
    assert [r["id"] for r in data["lost"]] == ["memory", "phone"] and data["gained"] == []
    assert all(r["reason"] for r in data["lost"])
    code, out = run("diff", "--from", "2024-06-01", "--to", "2026-06-01", "--buyer", "Xland", "--json", "-d", TINY)
    data = json.loads(out)
    assert {p["id"] for p in data["policies_started"]} == {"pol-us-ban", "pol-kr-licence"}
    assert {"lost", "gained"} <= set(data)


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["diff", "--from", "2026-01-01", "--to", "2025-01-01"], 2, "--from 2026-01-01 is after --to 2025-01-01"),
        (["chokepoints", "--as-of", "2025-02-30"], 2, "'2025-02-30' is not a date"),
        (["chokepoints", "--target", "fone"], 1, "no item 'fone'; did you mean: Phone"),
        (["chokepoints", "--buyer", "Xlnd"], 1, "did you mean: Xland"),
        (["whatif", "--embargo", "KR"], 2, "write GOVERNMENT:COUNTRY"),
        (["whatif", "--lift", "nope"], 1, "no policy 'nope'"),
        (["whatif"], 2, "nothing to change"),
    ],
)
def test_engine_bad_input(args: list[str], code: int, fragment: str) -> None:
    got, out = run(*args, "-d", TINY)
    assert got == code, out
    assert fragment in out and "Traceback" not in out


def test_a_long_chain_is_shown_by_its_ends(tmp_path: Path) -> None:
    head = (Path(TINY).read_text(encoding="utf-8").split("cmi:tw a cm:Country")[0]
            + 'cmi:nl a cm:Country ; rdfs:label "Netherlands" ; cm:isoCode "NL" .\n'
            + 'cmi:maker a cm:Firm ; rdfs:label "Maker" ; cm:locatedIn cmi:nl .\n')
    steps = [f'cmi:s{i} a cm:Process ; rdfs:label "Step {i}" ;\n'
             f'    cm:requires [ cm:input cmi:s{i + 1} ; cm:source cmi:src ] ;\n'
             f'    cm:suppliedBy [ cm:supplier cmi:maker ; cm:source cmi:src ] .\n' for i in range(1, 30)]
    last = 'cmi:s30 a cm:Material ; rdfs:label "Step 30" ; cm:suppliedBy [ cm:supplier cmi:maker ; cm:source cmi:src ] .\n'
    top = ('cmi:chip a cm:Chip ; rdfs:label "Chip" ; cm:requires [ cm:input cmi:s1 ; cm:source cmi:src ] ;\n'
           '    cm:suppliedBy [ cm:supplier cmi:maker ; cm:source cmi:src ] .\n')
    path = tmp_path / "chain.ttl"
    path.write_text(head + top + "".join(steps) + last, encoding="utf-8")
    code, out = run("--data", str(path), "chokepoints", "--target", "Chip", "--top", "50")
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("Step 30 -needed by->"))
    assert "Step 29" in line and "Step 10 " not in line and "Step 3 " in line and line.rstrip().endswith("-needed by-> Chip")
    assert "... 21 more hops (the JSON lists them) ..." in line  # with --explain all
    code, js = run("--data", str(path), "chokepoints", "--target", "Chip", "--top", "50", "--json", "--explain", "all")
    row = next(r for r in json.loads(js) if r["id"] == "s30")
    assert len(row["explanation"]) == 30


def test_json_output_is_the_standard_librarys_text() -> None:
    """--json is written by orjson when the answer is plain JSON data, and by json.dumps
    otherwise: the same text either way (floats in exponent notation aside)."""
    import datetime as dt
    from typing import NamedTuple

    from chokemap.commands.common import to_json

    class Pair(NamedTuple):
        a: int
        b: int

    plain = {"id": "x", "label": "中国 «H20»\n\t\"q\"\\", "share": 0.998, "n": -3, "ok": True, "none": None,
             "empty": [], "nothing": {}, "rows": [{"a": [1, 2.5, (3, 4)]}, []], "big": 2**63 - 1}
    assert to_json(plain) == json.dumps(plain, ensure_ascii=False, indent=2)
    for other in ({"day": dt.date(2025, 6, 1)}, {1: "int key"}, {"huge": 2**70}, {"pair": Pair(1, 2)},
                  [{"set": {"a"}}]):
        assert to_json(other) == json.dumps(other, ensure_ascii=False, indent=2, default=str), other
    assert json.loads(to_json({"tiny": 1e-05})) == {"tiny": 1e-05}
