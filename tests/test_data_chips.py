"""The chip side of the bundled graph: every chip and system says when it launched (or that the
date is unknown), every accelerator says which foundry process and which memory it needs (or
that they are unknown), and the headline answers about processes, EUV and HBM come out right.

The answers are taken from the command line (``cli.py ... --json``) so that these tests survive
refactors of the library; the data checks parse ``data/*.ttl`` directly with rdflib.
"""

from __future__ import annotations

import json
import re
from datetime import date as date_cls
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import inproc
import pytest
from rdflib import RDF, Graph, Namespace

ROOT = Path(__file__).resolve().parents[1]
CM = Namespace("https://chokemap.org/ns#")
CMI = Namespace("https://chokemap.org/id/")

# Data-centre AI accelerators (GPUs and NPUs) and China-market AI chips in the graph.
ACCELERATORS = [
    "a100", "a800", "h100", "h800", "h20", "h200", "b200", "b300", "rubin", "rubin-ultra",
    "l40s", "l20", "l2", "rtx-pro-6000d",
    "mi300x", "mi308", "mi309", "mi325x",
    "ascend-910", "ascend-910b", "ascend-910c", "ascend-910d", "ascend-950", "ascend-950pr",
    "ascend-950dt", "ascend-960", "ascend-970",
    "cambricon-290", "cambricon-590", "cambricon-690", "kunlun-1", "kunlun-p800",
]

# A description that states an unknown date, process or memory in words.
UNKNOWN_DATE = re.compile(r"launch date|first[- ](volume-)?shipment|first[- ]delivery|first rack delivery|"
                          r"first customer delivery", re.I)
UNKNOWN_PROCESS = re.compile(r"(process|foundry|node)[^.]*\bnot\b|\bnot\b[^.]*(process|foundry|node)", re.I)
UNKNOWN_MEMORY = re.compile(r"memory[^.]*\bnot\b|\bnot\b[^.]*memory", re.I)


@lru_cache(maxsize=1)
def data() -> Graph:
    g = Graph()
    for f in sorted((ROOT / "data").glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def cli(*args: str) -> object:
    out = inproc.run([*args, "--json"], check=True)
    return json.loads(out.stdout)


def description(g: Graph, node) -> str:
    return " ".join(str(d) for d in g.objects(node, CM.description))


def requirements(g: Graph, node) -> list:
    return [g.value(r, CM.input) for r in g.objects(node, CM.requires)]


def needs_process(g: Graph, node, depth: int = 0) -> bool:
    """A process requirement, directly or through a die (a required chip that has one, or whose
    variant suppliers have one)."""
    if depth > 3:
        return False
    for inp in requirements(g, node):
        if (inp, RDF.type, CM.Process) in g:
            return True
        if (inp, RDF.type, CM.Chip) in g and not is_memory(g, inp):
            variants = [g.value(s, CM.supplier) for s in g.objects(inp, CM.suppliedBy)]
            if needs_process(g, inp, depth + 1) or any(
                    (v, RDF.type, CM.Chip) in g and needs_process(g, v, depth + 1) for v in variants):
                return True
    return False


def is_memory(g: Graph, node) -> bool:
    seen = set()
    while node is not None and node not in seen:
        if node == CMI.hbm:
            return True
        seen.add(node)
        node = g.value(node, CM.kindOf)
    return False


# --------------------------------------------------------------------------- data checks


def test_the_accelerators_are_in_the_graph() -> None:
    g = data()
    missing = [a for a in ACCELERATORS if (CMI[a], RDF.type, CM.Chip) not in g]
    assert missing == []


def test_every_chip_and_system_has_a_launch_or_says_the_date_is_unknown() -> None:
    g = data()
    items = set(g.subjects(RDF.type, CM.Chip)) | set(g.subjects(RDF.type, CM.System))
    assert len(items) >= 60
    bad = []
    for item in items:
        launches = list(g.objects(item, CM.launch))
        # Each now states its launch (a date or a status, issue 13); only "not a product" needs no source.
        if len(launches) != 1:
            bad.append(str(item))
        for launch in launches:
            status = g.value(launch, CM.status)
            assert (g.value(launch, CM.date) is None) != (status is None), item
            assert status == CM.NotAProduct or g.value(launch, CM.source) is not None, item
    assert bad == []


def test_launch_dates_from_the_brief() -> None:
    g = data()
    expected = {"h800": "2023-03-21", "a800": "2022-11-07", "ascend-910c": "2025-04-21",
                "mi325x": "2024-10-10", "cambricon-290": "2021-01-22", "cloudmatrix-384": "2025-04-01",
                # third v2 pass, from the stored public pages (sources-v2b.ttl)
                "a100": "2020-05-14", "h100": "2022-10-01", "mi300x": "2023-12-06",
                "gb200-nvl72": "2024-12-01", "gb300-nvl72": "2025-07-01"}
    for item, date in expected.items():
        launch = g.value(CMI[item], CM.launch)
        assert launch is not None and str(g.value(launch, CM.date)) == date, item
    # first shipments not found: a launch with a status instead of a date (issue 13), and the
    # description still says the date is not known
    for item, status in (("mi308", CM.LaunchDateUnknown), ("l40s", CM.LaunchDateUnknown),
                         ("atlas-950-superpod", CM.NotYetLaunched)):
        launch = g.value(CMI[item], CM.launch)
        assert launch is not None and g.value(launch, CM.date) is None, item
        assert g.value(launch, CM.status) == status, item
        assert UNKNOWN_DATE.search(description(g, CMI[item])), item


# Every chip and system whose first availability or first shipment is sourced (issues 12 and 13),
# with the date of its cm:launch. The last four come from the launch-dates pass (sources-launch.ttl).
LAUNCHED = {
    "a100": "2020-05-14", "a800": "2022-11-07", "h100": "2022-10-01", "h800": "2023-03-21",
    "h20": "2024-04-01", "h200": "2024-04-01", "b200": "2024-11-01", "mi300x": "2023-12-06",
    "mi325x": "2024-10-10", "ascend-910b": "2023-10-01", "ascend-910c": "2025-04-21",
    "cambricon-290": "2021-01-22", "gb200-nvl72": "2024-12-01", "gb300-nvl72": "2025-07-01",
    "cloudmatrix-384": "2025-04-01",
    "ascend-910": "2019-08-23", "rtx-4090": "2022-10-12", "kirin-9000s": "2023-08-29",
    "hgx-h200-module": "2024-04-01",
    "kunpeng-cpu": "2019-01-07",  # issue 13 (Kunpeng 920 launch event)
}

# Products announced but not shipping by the data's horizon: planned supply with an expected date.
EXPECTED = {
    "ascend-950pr": "2026-01-01", "ascend-950dt": "2026-10-01", "ascend-960": "2027-10-01",
    "ascend-970": "2028-10-01", "atlas-950-superpod": "2026-10-01",
    "atlas-960-superpod": "2027-10-01", "rubin": "2026-07-01", "rubin-ultra": "2027-07-01",
    "rubin-ultra-nvl576": "2027-07-01", "vera-rubin-nvl144": "2026-07-01",
    "vera-rubin-platform": "2026-07-01",
}


def test_the_sourced_chips_and_systems_have_their_launch() -> None:
    g = data()
    wrong = {}
    for item, date in LAUNCHED.items():
        launch = g.value(CMI[item], CM.launch)
        got = None if launch is None else str(g.value(launch, CM.date))
        if got != date or g.value(launch, CM.source) is None:
            wrong[item] = got
    assert wrong == {}
    items = set(g.subjects(RDF.type, CM.Chip)) | set(g.subjects(RDF.type, CM.System))
    launched = {str(i).rsplit("/", 1)[-1] for i in items
                if g.value(i, CM.launch) is not None and g.value(g.value(i, CM.launch), CM.date) is not None}
    assert launched == set(LAUNCHED)


@pytest.mark.parametrize("item", ["ascend-910", "rtx-4090", "kirin-9000s", "hgx-h200-module"])
def test_not_yet_launched_the_day_before_and_launched_on_the_day(item: str) -> None:
    day = date_cls.fromisoformat(LAUNCHED[item])
    before = cli("available", item, "--buyer", "US", "--as-of", str(day - timedelta(days=1)))
    assert before[0]["available"] is False
    assert [(b["reason"], b["launch"]) for b in before[0]["blocked_by"]] == [("not_launched", LAUNCHED[item])]
    on = cli("available", item, "--buyer", "US", "--as-of", LAUNCHED[item])
    assert "not_launched" not in [b["reason"] for b in on[0]["blocked_by"]]


def test_future_products_have_planned_supply_with_an_expected_date_and_no_launch() -> None:
    g = data()
    wrong = {}
    for item, date in EXPECTED.items():
        node = CMI[item]
        planned = [e for e in g.objects(node, CM.suppliedBy) if g.value(e, CM.planned) is not None]
        dates = {str(g.value(e, CM.expectedFrom)) for e in planned}
        launch = g.value(node, CM.launch)  # issue 13: not yet launched, with the same expected date
        if (launch is None or g.value(launch, CM.status) != CM.NotYetLaunched
                or str(g.value(launch, CM.expectedFrom)) != date or dates != {date}):
            wrong[item] = sorted(dates)
        assert re.search(r"20\d\d", description(g, node)), item
    assert wrong == {}


@pytest.mark.parametrize("chip", ACCELERATORS)
def test_every_accelerator_has_a_process_or_says_it_is_unknown(chip: str) -> None:
    g = data()
    node = CMI[chip]
    assert needs_process(g, node) or UNKNOWN_PROCESS.search(description(g, node)), chip


@pytest.mark.parametrize("chip", ACCELERATORS)
def test_every_accelerator_has_a_memory_or_says_it_is_unknown(chip: str) -> None:
    g = data()
    node = CMI[chip]
    assert any(is_memory(g, i) for i in requirements(g, node)) or \
        UNKNOWN_MEMORY.search(description(g, node)), chip


def test_euv_class_tsmc_nodes_need_the_euv_scanner_and_smic_nodes_do_not() -> None:
    g = data()
    for proc in ("tsmc-n4", "tsmc-4np", "tsmc-n3", "tsmc-n5", "tsmc-n6", "tsmc-n7plus"):
        assert CMI["euv-scanner"] in requirements(g, CMI[proc]), proc
        assert g.value(next(g.objects(CMI[proc], CM.suppliedBy)), CM.supplier) == CMI.tsmc
    for proc in ("smic-n2", "smic-n3"):
        assert CMI["euv-scanner"] not in requirements(g, CMI[proc])
        assert CMI["smic-duv-fleet"] in requirements(g, CMI[proc])


def test_planned_hbm_suppliers_carry_an_expected_date() -> None:
    g = data()
    for item, supplier in (("hbm", "cxmt"), ("hbm3", "cxmt"), ("huawei-hbm", "huawei"),
                           ("huawei-hibl-1", "huawei"), ("huawei-hizq-2", "huawei")):
        edges = [e for e in g.objects(CMI[item], CM.suppliedBy) if g.value(e, CM.supplier) == CMI[supplier]]
        assert edges and all(g.value(e, CM.planned) is not None and g.value(e, CM.expectedFrom) is not None
                             for e in edges), item


def test_the_articles_open_claims_have_the_status_the_sources_support() -> None:
    g = data()
    expected = {"claim-bottleneck-moved-to-interconnect-memory": CM.Verified,
                "claim-h200-second-only-to-b200": CM.Disputed,
                "claim-china-two-generations-behind": CM.Disputed,
                "claim-cuda-independent-in-five-years": CM.Unverified,
                "claim-nvlink-72-vs-384": CM.Disputed}
    for claim, status in expected.items():
        assert g.value(CMI[claim], CM.status) == status, claim
        assert g.value(CMI[claim], CM.note) is not None and g.value(CMI[claim], CM.source) is not None
    assert len(set(g.subjects(RDF.type, CM.Claim))) >= 25


# --------------------------------------------------------------------------- headline answers


def test_asml_euv_and_the_netherlands_are_chokepoints_of_the_b200_for_the_us() -> None:
    rows = cli("chokepoints", "--target", "NVIDIA B200", "--buyer", "US", "--as-of", "2026-02-01")
    found = {r["id"]: r for r in rows}
    assert {"asml", "euv-scanner", "nl", "tsmc-4np"} <= set(found)
    # ASML is the only maker of two scanners TSMC 4NP needs (EUV, and its own NXT:2000i-class
    # immersion models); its chain names one of them, the EUV scanner's chain runs to the B200.
    hops = [(h["from"], h["to"], h["type"]) for h in found["asml"]["explanation"]]
    assert hops[0][0] == "asml" and hops[0][1] in {"euv-scanner", "duv-immersion-scanner"}
    assert hops[1] == (hops[0][1], "tsmc-4np", "requires") and hops[-1][1] == "b200"
    assert all(h["sources"] for h in found["asml"]["explanation"])
    euv = [(h["from"], h["to"], h["type"]) for h in found["euv-scanner"]["explanation"]]
    assert euv[0] == ("euv-scanner", "tsmc-4np", "requires") and euv[-1][1] == "b200"


def test_hbm_is_a_binding_chokepoint_of_the_ascend_910b_for_china() -> None:
    # HBM2E is a chokepoint of the 910B on any date (no substitute memory), but it binds only
    # once the US HBM controls take effect (31 Dec 2024): from then Samsung and SK hynix are
    # blocked for Chinese buyers and only Huawei's stockpile is left. 2026-02-01 is after that.
    rows = cli("chokepoints", "--target", "Ascend 910B", "--buyer", "CN", "--as-of", "2026-02-01")
    found = {r["id"]: r for r in rows}
    assert "hbm2e" in found
    supply = {s["supplier"]: s for s in found["hbm2e"]["supply"]}
    assert supply["huawei"]["status"] == "working" and supply["huawei"].get("stock")
    for maker in ("samsung", "sk-hynix"):
        assert supply[maker]["status"] == "blocked"
        assert "pol-us-2024-12-hbm" in supply[maker]["policies"]
    # before the controls took effect, the HBM rule is not among the reasons (for a Chinese buyer
    # the Aug 2020 Huawei FDP rule, which the data applies to HBM, already blocks the makers)
    rows = cli("chokepoints", "--target", "Ascend 910B", "--buyer", "CN", "--as-of", "2024-06-01")
    early = {s["supplier"]: s for s in {r["id"]: r for r in rows}["hbm2e"]["supply"]}
    for maker in ("samsung", "sk-hynix"):
        assert "pol-us-2024-12-hbm" not in early[maker].get("policies", [])


def test_removing_tsmc_makes_the_h20_unavailable() -> None:
    # 2024-12-01: the H20 came from current production on TSMC N4 (its inventory edge starts on
    # 9 Apr 2025, when exports to China were stopped and the stock was stranded).
    rep = cli("whatif", "--remove", "TSMC", "--target", "H20", "--as-of", "2024-12-01")
    lost = {r["id"]: r for r in rep["lost"]}
    assert "h20" in lost
    assert any(b["item"] == "tsmc-n4" and b["node"] == "tsmc" for b in lost["h20"]["blocked_by"])
    # removing SMIC does not touch it
    rep = cli("whatif", "--remove", "SMIC", "--target", "H20", "--as-of", "2024-12-01")
    assert rep["lost"] == []


def test_ajinomoto_is_a_chokepoint_of_the_b200_for_the_us() -> None:
    # ABF film (Ajinomoto, at least 98%) -> ABF substrate -> CoWoS -> B200 (Convergence Analysis, Jul 2025)
    found = {c["id"]: c for c in cli("chokepoints", "--target", "NVIDIA B200", "--buyer", "US",
                                     "--as-of", "2026-02-01")}
    assert "ajinomoto" in found
    hops = [h["to"] for h in found["ajinomoto"]["explanation"]]
    assert hops[:3] == ["abf", "abf-substrate", "tsmc-cowos"]
    assert found["ajinomoto"]["explanation"][0]["share"] == pytest.approx(0.98)


BAD_V2_TURTLE = """
@prefix cm:   <https://chokemap.org/ns#> .
@prefix cmi:  <https://chokemap.org/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
cmi:src-x a cm:Source ; rdfs:label "X" ; cm:url "https://example.org/x"^^xsd:anyURI ;
    cm:publisher "P" ; cm:date "2024-01-01"^^xsd:date .
cmi:cn a cm:Country ; rdfs:label "China" ; cm:isoCode "CN" .
cmi:acme a cm:Firm ; rdfs:label "Acme" .
cmi:chip-x a cm:Chip ; rdfs:label "Chip X" ;
    cm:launch [ cm:date "2024" ; cm:source cmi:src-x ] ;
    cm:launch [ cm:date "2024-01-01"^^xsd:date ] ;
    cm:suppliedBy [ cm:supplier cmi:acme ; cm:planned true ; cm:expectedFrom "2026" ; cm:source cmi:src-x ] .
cmi:grp-x a cm:CountryGroup ; rdfs:label "Group X" ;
    cm:membership [ cm:member cmi:acme ; cm:source cmi:src-x ] , [ cm:member cmi:cn ] .
"""

GOOD_V2_TURTLE = """
@prefix cm:   <https://chokemap.org/ns#> .
@prefix cmi:  <https://chokemap.org/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
cmi:src-x a cm:Source ; rdfs:label "X" ; cm:url "https://example.org/x"^^xsd:anyURI ;
    cm:publisher "P" ; cm:date "2024-01-01"^^xsd:date .
cmi:cn a cm:Country ; rdfs:label "China" ; cm:isoCode "CN" .
cmi:hk a cm:Country ; rdfs:label "Hong Kong" ; cm:isoCode "HK" .
cmi:gov-x a cm:Government ; rdfs:label "Government X" ; cm:governs cmi:cn .
cmi:acme a cm:Firm ; rdfs:label "Acme" ; cm:locatedIn cmi:cn .
cmi:chip-x a cm:Chip ; rdfs:label "Chip X" ;
    cm:launch [ cm:date "2024-01-01"^^xsd:date ; cm:source cmi:src-x ] ;
    cm:suppliedBy [ cm:supplier cmi:acme ; cm:planned true ; cm:expectedFrom "2026-01-01"^^xsd:date ;
                    cm:source cmi:src-x ] .
cmi:grp-x a cm:CountryGroup ; rdfs:label "Group X" ;
    cm:membership [ cm:member cmi:cn ; cm:source cmi:src-x ] ,
                  [ cm:member cmi:hk ; cm:validFrom "2020-06-29"^^xsd:date ; cm:source cmi:src-x ] .
cmi:pol-x a cm:Policy ; rdfs:label "Policy X" ; cm:issuer cmi:gov-x ; cm:kind cm:LicenceReview ;
    cm:covers cmi:chip-x ; cm:destination cmi:grp-x, cmi:hk ;
    cm:effectiveFrom "2024-01-01"^^xsd:date ; cm:source cmi:src-x .
"""


def _validate(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "v2.ttl"
    path.write_text(text, encoding="utf-8")
    out = inproc.run(["--data", str(path), "validate", "--json"])
    return json.loads(out.stdout)


def test_validate_reports_bad_launches_planned_dates_and_group_members(tmp_path: Path) -> None:
    report = _validate(tmp_path, BAD_V2_TURTLE)
    assert report["valid"] is False
    messages = [f["message"] for f in report["findings"]]
    assert any("cm:launch's cm:date is one xsd:date" in m for m in messages), messages
    assert any("cm:launch needs at least one cm:source" in m for m in messages), messages
    assert any("cm:expectedFrom" in m for m in messages), messages
    assert any("membership needs exactly one cm:member (a cm:Country)" in m for m in messages), messages
    assert any("membership needs at least one cm:source" in m for m in messages), messages


def test_validate_accepts_good_launches_groups_and_group_destinations(tmp_path: Path) -> None:
    report = _validate(tmp_path, GOOD_V2_TURTLE)
    assert report["findings"] == [] and report["valid"] is True
