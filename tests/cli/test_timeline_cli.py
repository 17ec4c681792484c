"""``chokemap timeline``: exact output and exit codes on tests/data/timeline.ttl
(expected intervals marked in that file)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from chokemap.cli import cli

DATA = str(Path(__file__).parents[1] / "data" / "timeline.ttl")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--no-cache", "--data", DATA, *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_one_line_per_interval_with_what_opened_it() -> None:
    code, out = run("timeline", "Chip", "--buyer", "HK", "--from", "2021-01-01", "--to", "2026-03-31")
    assert code == 0
    assert out == """\
Chip for Hong Kong, 2021-01-01 to 2026-03-31 (data current to 2025-12-31)
  2021-01-01 to 2021-12-31  available
  2022-01-01 to 2022-06-30  NOT AVAILABLE; since Hong Kong joins Greater X [1]
      - Chip from MakerCo blocked by Ban to Greater X (LicenceDenial), which applies to Greater X
  2022-07-01 to 2022-12-31  available; since Ban to Greater X out of force [1]
  2023-01-01 to 2023-06-30  NOT AVAILABLE; since TwFab stops supplying Die [1]
      - Die has no supplier on this date; planned, not confirmed: NewFab (expected from 2026-01-01); \
suppliers on other dates: TwFab (2022-12-31), XFab (2023-07-01)
  2023-07-01 to 2025-12-31  available; since XFab supplies Die [1]
  2026-01-01 to 2026-03-31  available (scheduled, not confirmed); after the data's horizon (2025-12-31)
  planned: NewFab expected to supply Die (planned, not confirmed), expected from 2026-01-01 [1]

Sources
  [1] Timeline fixture (chokemap tests, 2025-01-01) https://example.org/timeline
"""


def test_conditions_and_the_default_range_end_at_the_horizon() -> None:
    code, out = run("timeline", "Chip", "--buyer", "XL", "--from", "2025-01-01")
    assert code == 0
    assert out.splitlines()[:6] == [
        "Chip for Xland, 2025-01-01 to 2025-12-31 (data current to 2025-12-31)",
        "  2025-01-01 to 2025-02-28  available WITH CONDITIONS",
        "      - Licence for Xland (LicenceReview)",
        "  2025-03-01 to 2025-04-30  available; since Pause of the licence in force [1]",
        "  2025-05-01 to 2025-12-31  available WITH CONDITIONS; since Pause of the licence out of force [1]",
        "      - Licence for Xland (LicenceReview)",
    ]


def test_json() -> None:
    code, out = run("timeline", "Chip", "--buyer", "XL", "--from", "2019-01-01", "--to", "2020-06-30", "--json")
    assert code == 0
    (rec,) = json.loads(out)
    assert [(iv["from"], iv["to"], iv["state"]) for iv in rec["intervals"]] == [
        ("2019-01-01", "2019-12-31", "not_launched"), ("2020-01-01", "2020-06-30", "available")]
    assert rec["intervals"][1]["events"][0]["kind"] == "launch"
    assert rec["data_as_of"] == "2025-12-31"


def test_chokepoints_over_time() -> None:
    code, out = run("timeline", "Chip", "--buyer", "HK", "--from", "2022-07-01", "--to", "2023-12-31",
                    "--chokepoints")
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == [
        "Chokepoints of Chip for Hong Kong, 2022-07-01 to 2023-12-31 (data current to 2025-12-31)",
        "  2022-07-01 to 2022-12-31  6 single-node chokepoints (5 actors, 1 item)",
        "  2023-01-01 to 2023-06-30  not available: no chokepoints",
        "  2023-07-01 to 2023-12-31  6 single-node chokepoints (5 actors, 1 item)",
    ]
    assert "  TwFab (Firm): 2022-07-01 to 2022-12-31" in lines
    assert "  MakerCo (Firm): 2022-07-01 to 2022-12-31, 2023-07-01 to 2023-12-31" in lines


def test_bad_ranges_are_usage_errors() -> None:
    code, out = run("timeline", "Chip", "--from", "2024-01-01", "--to", "2023-12-31")
    assert code == 2 and "--from 2024-01-01 is after --to 2023-12-31" in out
    code, out = run("timeline", "Chip", "--from", "2026-02-01")
    assert code == 2 and "--from 2026-02-01 is after 2025-12-31, the date the data is current to" in out
    code, out = run("timeline", "Chip", "--from", "2024-13-01")
    assert code == 2 and "not a date" in out
    code, out = run("timeline", "Chipz")
    assert code == 1 and "no item 'Chipz'; did you mean: Chip?" in out
