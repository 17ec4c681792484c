"""The bundled graph: it parses, passes the shapes, every edge is sourced, the counts hold,
and the answers the article and the brief are about come out right."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from chokemap.graph.core.model import DEPENDENCY_TYPES, KnowledgeGraph
from chokemap.graph.engine.answers import Scenario, availability
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.engine.scenario import diff, whatif
from chokemap.graph.queries.describe import stats
from chokemap.graph.queries.lookup import resolve
from chokemap.graph.queries.validate import validate

BEFORE, AFTER = dt.date(2025, 12, 1), dt.date(2026, 2, 1)
CLASSES = {"Firm", "Government", "Country", "Chip", "Tool", "Material", "Software", "Process", "System",
           "Facility", "Policy", "Claim", "Component"}


def test_bundled_data_is_valid(bundled: KnowledgeGraph) -> None:
    assert validate(bundled) == []


def test_counts_and_coverage(bundled: KnowledgeGraph) -> None:
    st = stats(bundled)
    assert st["entities"] >= 150
    assert st["edges_by_type"]["requires"] + st["edges_by_type"]["supplies"] >= 400
    assert st["policies"] >= 25
    assert set(st["entities_by_class"]) >= CLASSES
    assert st["edges_with_source"] == st["edges"]  # every dependency edge has a source


def test_every_dependency_edge_has_a_source_with_url_and_date(bundled: KnowledgeGraph) -> None:
    for u, v, d in bundled.g.edges(data=True):
        if d["type"] in DEPENDENCY_TYPES:
            assert d["sources"], (u, v)
            for s in d["sources"]:
                assert s["url"].startswith(("http://", "https://")) and s["date"], (u, v, s["id"])


def test_policies_are_dated_and_cover_the_brief(bundled: KnowledgeGraph) -> None:
    pols = {n: d for n, d in bundled.g.nodes(data=True) if d.get("type") == "Policy"}
    assert all(d["effective_from"] for d in pols.values())
    issuers = Counter(bundled.g.nodes[d["issuer"]].get("governs") or
                      next(v for _u, v, e in bundled.g.out_edges(d["issuer"], data=True) if e["type"] == "part_of")
                      for d in pols.values())
    assert issuers  # US, China, the Netherlands and Japan all issue policies
    labels = " | ".join(d["label"] for d in pols.values())
    for needle in ("HBM", "2026-00789", "Section 232", "H20", "15%", "Entity List", "foundry",
                   "gallium", "rare earth", "NXT:1970i", "Japan"):
        assert needle.lower() in labels.lower(), needle


def test_claims_keep_status(bundled: KnowledgeGraph) -> None:
    claims = [d for _n, d in bundled.g.nodes(data=True) if d.get("type") == "Claim"]
    assert len(claims) >= 8
    assert {d["status"] for d in claims} >= {"Unverified", "Disputed", "Verified"}
    forty = [d for d in claims if "40%" in d["label"]]
    assert forty and forty[0]["status"] == "Unverified"


@pytest.mark.parametrize("name", ["ASML", "昇腾910C", "华为", "台积电", "中国", "HBM3E", "GB200 NVL72"])
def test_names_and_chinese_aliases_resolve(bundled: KnowledgeGraph, name: str) -> None:
    assert resolve(bundled, name)


# --------------------------------------------------------------------------- the brief's answers


def test_h200_for_china_before_and_after_the_january_2026_rule(bundled: KnowledgeGraph) -> None:
    before = availability(bundled, "h200", "cn", BEFORE)
    assert not before["available"]
    assert any("Oct 2023" in c["label"] and c["kind"] == "LicenceDenial" for c in before["blocked_by"])
    # China's import approval names three firms: every other Chinese buyer stays under the
    # customs block, and the answer names who is exempt
    china = availability(bundled, "h200", "cn", AFTER)
    assert not china["available"]
    (block,) = [c for c in china["blocked_by"] if c["kind"] == "ImportBan"]
    assert block["except_for"] == ["alibaba", "bytedance", "tencent"]
    assert not availability(bundled, "h200", "baidu", AFTER)["available"]
    after = availability(bundled, "h200", "bytedance", AFTER)
    assert after["available"]
    kinds = {c["kind"] for c in after["conditions"]}
    assert {"LicenceReview", "Tariff", "VolumeCap", "ImportApproval"} <= kinds
    tariff = next(c for c in after["conditions"] if c["kind"] == "Tariff")
    assert "25%" in tariff["label"] + " ".join(tariff["conditions"])


@pytest.mark.parametrize("chip", ["b200", "rubin"])
@pytest.mark.parametrize("date", [BEFORE, AFTER])
def test_blackwell_and_rubin_stay_out_of_china(bundled: KnowledgeGraph, chip: str, date: dt.date) -> None:
    assert not availability(bundled, chip, "cn", date)["available"]


@pytest.mark.parametrize("date", [BEFORE, AFTER])
def test_h200_for_the_united_states(bundled: KnowledgeGraph, date: dt.date) -> None:
    ans = availability(bundled, "h200", "us", date)
    assert ans["available"] and ans["conditions"] == []


@pytest.mark.parametrize("buyer", [None, "bytedance", "us"])
def test_asml_and_the_netherlands_are_chokepoints_of_the_h200(bundled: KnowledgeGraph, buyer: str | None) -> None:
    rep = chokepoints(bundled, ["h200"], buyer, AFTER, top=None)
    found = {c["id"]: c for c in rep["chokepoints"]}
    assert {"asml", "nl"} <= set(found)
    assert "sk-hynix" not in found and "micron" not in found
    hops = [(h["from"], h["to"], h["type"]) for h in found["asml"]["explanation"]]
    # ASML is the only maker of both the EUV scanner and its own NXT:2000i+ immersion models,
    # so either is a valid explanation of why ASML is a chokepoint.
    assert {("asml", "euv-scanner", "supplies"), ("asml", "duv-immersion-scanner", "supplies")} & set(hops)
    assert hops[-1][1] == "h200"
    assert all(h["sources"] for h in found["asml"]["explanation"])


def test_the_hbm3e_makers_together_cut_the_h200(bundled: KnowledgeGraph) -> None:
    makers = frozenset({"sk-hynix", "micron", "samsung"})
    rep = whatif(bundled, Scenario(removed=makers), "us", AFTER, ["h200"])
    assert [r["id"] for r in rep["lost"]] == ["h200"]
    rep = whatif(bundled, Scenario(removed=frozenset({"sk-hynix"})), "us", AFTER, ["h200"])
    assert rep["lost"] == []


def test_hbm_is_the_binding_constraint_of_the_910c_in_china(bundled: KnowledgeGraph) -> None:
    rep = chokepoints(bundled, ["ascend-910c"], "cn", AFTER, top=None)
    assert rep["targets"][0]["available"]
    found = {c["id"]: c for c in rep["chokepoints"]}
    assert {"hbm2e", "smic-n2", "smic-duv-fleet"} <= set(found)
    hbm = {x["supplier"]: x for x in found["hbm2e"]["supply"]}
    assert hbm["huawei"]["status"] == "working" and hbm["huawei"].get("stock")
    for maker in ("samsung", "sk-hynix"):
        assert hbm[maker]["status"] == "blocked"
        assert any("HBM" in bundled.label(p) for p in hbm[maker]["policies"])
    fleet = {x["supplier"]: x["status"] for x in found["smic-duv-fleet"]["supply"]}
    assert fleet["asml"] == "blocked" and fleet["smic"] == "working"
    top = [c["id"] for c in rep["chokepoints"] if c["section"] == "items"][:6]
    assert "hbm2e" in top  # binding constraints rank first among the items


def test_dutch_embargo_changes_what_chinas_fabs_can_make(bundled: KnowledgeGraph) -> None:
    gov_nl = resolve(bundled, "Government of the Netherlands")
    rep = whatif(bundled, Scenario(embargoes=((gov_nl, "cn"),)), "cn", AFTER)
    lost = {r["id"]: r for r in rep["lost"]}
    assert {"smic-n2", "ascend-910c"} <= set(lost)
    assert any(r["type"] == "Process" for r in rep["lost"])
    assert "embargo" in lost["smic-n2"]["reason"]


def test_diff_shows_the_h200_change_and_the_rule_behind_it(bundled: KnowledgeGraph) -> None:
    rep = diff(bundled, BEFORE, AFTER, "bytedance")
    gained = {r["id"]: r for r in rep["gained"]}
    assert "h200" in gained and "2026-00789" in gained["h200"]["reason"]
    assert any("2026-00789" in p["label"] for p in rep["policies_started"])
    assert rep["lost"] == [] or all(r["reason"] for r in rep["lost"])
