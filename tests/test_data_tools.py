"""Headline answers of the fourth v2 data pass (fab tools beyond lithography, EUV mask blanks,
hydrogen fluoride, OSATs, dated ownership), run through the command line where an answer is
the engine's, and read from the graph where it is a sourced figure. Sources: sources-v2c.ttl."""

from __future__ import annotations

import json
import re
from pathlib import Path

import inproc
import rdflib

ROOT = Path(__file__).resolve().parents[1]
CM = rdflib.Namespace("https://chokemap.org/ns#")
CMI = rdflib.Namespace("https://chokemap.org/id/")


def run(*args: str) -> str:
    return inproc.run([*args], check=True).stdout


def cli(*args: str) -> object:
    return json.loads(run(*args, "--json"))


_GRAPH: rdflib.Graph | None = None


def graph() -> rdflib.Graph:
    global _GRAPH
    if _GRAPH is None:
        _GRAPH = rdflib.Graph()
        for f in (ROOT / "data").glob("*.ttl"):
            _GRAPH.parse(f)
    return _GRAPH


def suppliers(name: str) -> dict[str, float | None]:
    g = graph()
    out = {}
    for link in g.objects(CMI[name], CM.suppliedBy):
        sup = str(g.value(link, CM.supplier)).rsplit("/", 1)[-1]
        share = g.value(link, CM.share)
        out[sup] = float(share) if share is not None else None
    return out


def test_at_least_700_sourced_dependency_edges() -> None:
    text = run("stats")
    edges = int(re.search(r"(\d+) dependency edges", text).group(1))
    assert edges >= 700
    m = re.search(r"with a source: (\d+) of (\d+)", text)
    assert m and m.group(1) == m.group(2) == str(edges)


def test_japan_is_a_chokepoint_of_the_b200_through_euv_mask_blanks() -> None:
    """HOYA and AGC are the only named EUV mask-blank makers (Global Net, Apr 2023), and the
    B200's TSMC 4NP is an EUV node, so Japan cuts the B200 for a US buyer."""
    rows = cli("chokepoints", "--target", "NVIDIA B200", "--buyer", "US", "--as-of", "2026-02-01")
    japan = [r for r in rows if r["id"] == "jp"]
    assert japan, "Japan should be a chokepoint of the B200"
    assert any(step["to"] == "euv-mask-blank" for step in japan[0]["explanation"])
    assert suppliers("euv-mask-blank") == {"hoya": None, "agc": None}


def test_tool_shares_are_the_sources() -> None:
    implant = suppliers("ion-implanters")
    assert implant["applied-materials"] == 0.682 and implant["axcelis"] == 0.318   # TIN, 2022
    assert {"nissin-ion", "aibt"} <= set(implant)
    assert suppliers("coater-developer")["tokyo-electron"] == 0.90            # reported 88-92%
    metro = suppliers("metrology-inspection")
    assert (metro["kla"], metro["applied-materials"], metro["asml"]) == (0.58, 0.12, 0.06)  # TIN, 2020
    assert suppliers("ald-tools")["tokyo-electron"] == 0.27                    # Gartner, 2018
    assert set(suppliers("cmp-tools")) == {"applied-materials", "ebara", "hwatsing"}
    assert suppliers("hydrogen-fluoride")["various-companies"] == 0.30         # Japan ~70%


def test_every_euv_node_needs_mask_blanks_and_every_resist_node_a_track() -> None:
    g = graph()

    def inputs(p: str) -> set[str]:
        return {str(g.value(r, CM.input)).rsplit("/", 1)[-1] for r in g.objects(CMI[p], CM.requires)}

    for p in ("tsmc-n4", "tsmc-n3", "tsmc-4np", "tsmc-n5", "tsmc-n6", "tsmc-n7plus"):
        assert {"euv-scanner", "euv-mask-blank"} <= inputs(p), p
    for p in ("smic-n2", "smic-n3", "smic-mature-logic", "hua-hong-mature-logic"):
        assert "euv-mask-blank" not in inputs(p), p
        assert {"photoresist", "coater-developer", "cmp-tools", "ion-implanters"} <= inputs(p), p


def test_ownership_changes_carry_their_dates() -> None:
    g = graph()

    def owned(item: str) -> dict[str, tuple[str | None, str | None]]:
        out = {}
        for link in g.objects(CMI[item], CM.ownedBy):
            owner = str(g.value(link, CM.owner)).rsplit("/", 1)[-1]
            f, t = g.value(link, CM.validFrom), g.value(link, CM.validTo)
            out[owner] = (str(f) if f else None, str(t) if t else None)
        return out

    assert owned("mellanox") == {"nvidia": ("2020-04-27", None)}
    assert owned("siemens-eda")["siemens"] == ("2017-03-01", None)
    dalian = owned("sk-hynix-dalian")
    assert dalian["intel"] == (None, "2021-12-28") and dalian["sk-hynix"] == ("2021-12-29", None)


def test_a_us_embargo_leaves_china_implanters_only_from_named_non_us_makers() -> None:
    """Applied Materials and Axcelis are American; Nissin (Japan) and AIBT remain, so the
    implanter item is not lost to a US embargo alone, but it is when Japan joins and the
    makers without a stated country are removed."""
    rep = cli("whatif", "--embargo", "US:CN", "--embargo", "JP:CN", "--remove", "Advanced Ion Beam Technology",
              "--target", "Ion implantation equipment", "--buyer", "CN", "--as-of", "2026-02-01")
    lost = {r["id"] for r in rep["lost"]}
    assert "ion-implanters" in lost
