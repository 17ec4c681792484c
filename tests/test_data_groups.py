"""EAR Country Group D:5 as data: its members beyond China are blocked by the Oct 2023
advanced-computing rule through the group, Cambodia only while it was a member, Nicaragua only
from its listing, and every membership is sourced. Run through the command line (--json) so the
tests survive a refactor of the library. Facts: data/sources-groups.ttl."""

from __future__ import annotations

import json
from pathlib import Path

import inproc
import pytest

ROOT = Path(__file__).resolve().parents[1]
OCT_2023 = "pol-us-2023-10-advanced-computing"


def cli(*args: str) -> object:
    out = inproc.run([*args, "--json"], check=True)
    return json.loads(out.stdout)


def available(item: str, buyer: str, as_of: str) -> dict:
    rows = cli("available", item, "--buyer", buyer, "--as-of", as_of)
    assert isinstance(rows, list) and len(rows) == 1
    return rows[0]


def via_d5(row: dict) -> list[dict]:
    """The blocks of the Oct 2023 rule that applied through Country Group D:5."""
    return [b for b in row["blocked_by"] if b.get("policy") == OCT_2023 and b.get("via_group") == "grp-ear-d5"]


def d5_members() -> list[dict]:
    shown = cli("show", "grp-ear-d5")
    assert isinstance(shown, dict)
    return [e for e in shown["edges"] if e["type"] == "member_of" and e["direction"] == "in"]


@pytest.mark.parametrize("buyer", ["Iran", "North Korea", "Syria", "Venezuela", "Sudan", "Belarus"])
def test_h200_blocked_for_d5_country_through_the_group(buyer: str) -> None:
    row = available("NVIDIA H200", buyer, "2026-02-01")
    assert row["available"] is False
    blocks = via_d5(row)
    assert blocks, row["blocked_by"]
    assert blocks[0]["via_group_label"] == "EAR Country Group D:5"
    assert "EAR Country Group D:5" in blocks[0]["text"]


def test_cambodia_leaves_d5_when_its_membership_ends() -> None:
    # In D:5 from 9 Dec 2021; off ITAR §126.1 from 7 Nov 2025, hence off D:5 (BIS table amended 3 Feb 2026).
    assert via_d5(available("NVIDIA H200", "Cambodia", "2025-06-01"))
    assert via_d5(available("NVIDIA H200", "Cambodia", "2025-11-06"))
    for day in ("2025-11-07", "2026-02-04"):
        assert not via_d5(available("NVIDIA H200", "Cambodia", day)), day
    kh = [e for e in d5_members() if e["other"]["id"] == "kh"]
    assert len(kh) == 1
    assert (kh[0]["valid_from"], kh[0]["valid_to"]) == ("2021-12-09", "2025-11-06")


def test_nicaragua_joins_d5_on_15_march_2024() -> None:
    assert not via_d5(available("NVIDIA A100", "Nicaragua", "2024-03-14"))
    assert via_d5(available("NVIDIA A100", "Nicaragua", "2024-03-15"))


def test_every_d5_membership_is_sourced_and_the_oct_2023_count_holds() -> None:
    members = d5_members()
    assert members
    for e in members:
        assert e["sources"], e["other"]["id"]
        assert all(s.get("url") and s.get("date") for s in e["sources"]), e["other"]["id"]
    # 22 members on the day the rule began (ST&R: "all 22" arms-embargoed countries, China included).
    day = "2023-10-23"
    live = {e["other"]["id"] for e in members
            if (e["valid_from"] or day) <= day <= (e["valid_to"] or day)}
    assert len(live) == 22
    assert {"cn", "ir", "kp", "ru", "kh"} <= live and "ni" not in live


def test_disputed_members_are_claims_not_members() -> None:
    ids = {e["other"]["id"] for e in d5_members()}
    assert not {"cy", "et", "mo", "hk"} & ids
    row = available("NVIDIA H200", "Cyprus", "2026-02-01")
    assert not via_d5(row)
