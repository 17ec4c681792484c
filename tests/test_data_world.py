"""Headline answers of the world-side data (Japan, China's mineral controls, EUV to China,
destinations beyond China, country groups), run through the command line so they survive a
refactor of the library. Figures are those of shared/facts/BRIEF-2.md §A1, §A2, §A6, §A7."""

from __future__ import annotations

import json
from pathlib import Path

import inproc
import rdflib

ROOT = Path(__file__).resolve().parents[1]
CM = rdflib.Namespace("https://chokemap.org/ns#")
CMI = rdflib.Namespace("https://chokemap.org/id/")


def cli(*args: str) -> object:
    out = inproc.run([*args, "--json"], check=True)
    return json.loads(out.stdout)


def shown_suppliers(name: str) -> dict[str, float | None]:
    """Supplier id -> share, from the graph itself (rdflib over the data folder)."""
    g = rdflib.Graph()
    for f in (ROOT / "data").glob("*.ttl"):
        g.parse(f)
    item = CMI[name]
    out = {}
    for link in g.objects(item, CM.suppliedBy):
        if (link, CM.planned, rdflib.Literal(True)) in g:
            continue
        sup = str(g.value(link, CM.supplier)).rsplit("/", 1)[-1]
        share = g.value(link, CM.share)
        out[sup] = float(share) if share is not None else None
    return out


# --------------------------------------------------------------------------- Japan (§A6)

def test_a_japanese_embargo_on_china_costs_only_abf_and_euv_mask_blanks_outright() -> None:
    """Every Japanese-supplied input in the graph has a non-Japanese alternative (named or the
    residual row) except ABF film and EUV mask blanks: Ajinomoto holds at least 98% of ABF
    (Convergence Analysis, Jul 2025) and HOYA and AGC hold the EUV-blank market between them
    (Global Net, Apr 2023), with no other maker named. So an embargo by Japan costs China those
    two and nothing else outright (their users are TSMC's EUV nodes, CoWoS and OSAT packaging,
    not Chinese items)."""
    rep = cli("whatif", "--embargo", "JP:CN", "--buyer", "CN", "--as-of", "2026-02-01")
    lost = {r["id"]: r for r in rep["lost"]}
    assert set(lost) == {"abf", "euv-mask-blank"}
    assert {b["supplier"] for b in lost["abf"]["blocked_by"]} == {"ajinomoto"}
    assert {b["supplier"] for b in lost["euv-mask-blank"]["blocked_by"]} == {"hoya", "agc"}


def test_euv_resist_has_no_named_supplier_outside_japan() -> None:
    """TOK, JSR and Shin-Etsu (~90% of EUV resist, 2019) are the only named EUV-resist makers:
    with the unnamed residual gone, a Japanese embargo takes EUV resist from China, while
    photoresist in general still has DuPont."""
    rep = cli("whatif", "--embargo", "JP:CN", "--remove", "Various companies", "--target", "EUV photoresist",
              "--target", "Photoresist", "--buyer", "CN", "--as-of", "2026-02-01")
    lost = {r["id"]: r for r in rep["lost"]}
    assert set(lost) == {"euv-photoresist"}
    blocked = {b["supplier"]: b for b in lost["euv-photoresist"]["blocked_by"]}
    assert set(blocked) == {"tok", "jsr", "shin-etsu", "various-companies"}
    assert {blocked[f]["policy"] for f in ("tok", "jsr", "shin-etsu")} == {"embargo:jp-meti:cn"}


def test_resist_and_wafer_shares_are_the_briefs() -> None:
    resist = shown_suppliers("photoresist")
    assert {"tok", "jsr", "shin-etsu", "sumitomo-chemical", "fujifilm", "dupont"} <= set(resist)
    assert resist["fujifilm"] == 0.10 and resist["various-companies"] == 0.09   # Japan ~91% (Nikkei)
    wafers = shown_suppliers("silicon-wafer")
    assert wafers["shin-etsu"] == 0.314 and wafers["sumco"] == 0.244 and wafers["globalwafers"] == 0.178
    assert wafers["sk-siltron"] == 0.135 and wafers["siltronic"] == 0.095
    assert abs(sum(v for v in wafers.values() if v) - 1.0) < 1e-9


def test_japan_has_no_photoresist_control_on_china() -> None:
    rep = cli("available", "Photoresist", "--buyer", "CN", "--as-of", "2026-02-01")
    assert rep[0]["available"] and rep[0]["conditions"] == []
    claim = cli("show", "claim-japan-resist-cutoff-2025")
    assert claim["type"] == "Claim"


# --------------------------------------------------------------------------- EUV to China (§A2)

def test_no_euv_scanner_for_china_since_2019() -> None:
    before = cli("available", "EUV lithography scanner", "--buyer", "CN", "--as-of", "2018-06-01")[0]
    after = cli("available", "EUV lithography scanner", "--buyer", "CN", "--as-of", "2026-02-01")[0]
    assert before["available"]
    assert not after["available"]
    assert "pol-nl-2019-euv-licence-refusal" in {b["policy"] for b in after["blocked_by"]}


def test_asml_models_are_not_supplied_by_a_placeholder() -> None:
    for item in ("euv-scanner", "duv-immersion-scanner", "duv-immersion-older"):
        assert set(shown_suppliers(item)) == {"asml"}, item


# --------------------------------------------------------------------------- China's minerals (§A7)

def test_chinas_us_ban_leaves_only_the_non_chinese_sliver_of_gallium_and_germanium() -> None:
    """China has ~98% of primary gallium and ~91% of germanium; during the Dec 2024 ban the US
    can get them only from the rest of the world: remove it and both are lost, blocked by
    Announcement No. 46. While the ban is suspended (from 9 Nov 2025) they come back, under the
    2023 licensing."""
    assert shown_suppliers("gallium")["cn"] == 0.98 and shown_suppliers("germanium")["cn"] == 0.91
    during = cli("whatif", "--remove", "Various countries", "--target", "Gallium", "--target", "Germanium",
                 "--buyer", "US", "--as-of", "2025-06-01")
    assert {r["id"] for r in during["lost"]} == {"gallium", "germanium"}
    suspended = cli("available", "Gallium", "--buyer", "US", "--as-of", "2026-02-01")[0]
    assert suspended["available"]
    base = cli("whatif", "--remove", "Various countries", "--target", "Gallium", "--buyer", "US",
               "--as-of", "2026-02-01")
    assert base["lost"] == []


def test_a_chinese_rare_earth_embargo_reaches_the_lithography_tools() -> None:
    """ASML's scanners need rare-earth magnets, which need rare earths (China ~92% of refining)."""
    rep = cli("path", "Rare earths (medium and heavy)", "EUV lithography scanner")
    text = json.dumps(rep)
    assert "rare-earth-magnets" in text


def test_japan_dual_use_ban_and_suspensions_are_dated() -> None:
    dy = cli("available", "Dysprosium", "--buyer", "JP", "--as-of", "2026-02-01")[0]
    assert "Announcement No. 1 of 2026" in json.dumps(dy["conditions"])
    # the Oct 2025 extraterritorial rule is suspended on the date, so it does not bind
    assert "No. 61" not in json.dumps(dy["conditions"])


# --------------------------------------------------------------------------- beyond China (§A1)

def test_destinations_beyond_china() -> None:
    sa = cli("available", "B200", "--buyer", "SA", "--as-of", "2025-06-01")[0]
    assert sa["available"] and "D:1, D:4 and D:5" in json.dumps(sa["conditions"])
    ru = cli("available", "H100", "--buyer", "RU", "--as-of", "2023-01-01")[0]
    assert not ru["available"]
    assert "pol-us-2022-02-russia-export-controls" in {b["policy"] for b in ru["blocked_by"]}
    mo_before = cli("available", "A100", "--buyer", "MO", "--as-of", "2022-12-01")[0]
    mo_after = cli("available", "A100", "--buyer", "MO", "--as-of", "2023-02-01")[0]
    assert mo_before["available"] and not mo_after["available"]


# --------------------------------------------------------------------------- country groups

def test_groups_parse_and_every_member_is_a_country() -> None:
    g = rdflib.Graph()
    g.parse(ROOT / "data" / "groups.ttl")
    countries = rdflib.Graph()
    countries.parse(ROOT / "data" / "countries.ttl")
    groups = set(g.subjects(rdflib.RDF.type, CM.CountryGroup))
    assert {CMI["grp-ear-d5"], CMI["grp-ear-d1-d4-d5"], CMI["grp-cn-hk-mo"], CMI["grp-ru-by"],
            CMI["grp-ai-diffusion-tier1"]} <= groups
    for grp in groups:
        members = list(g.objects(grp, CM.membership))
        assert members, grp
        for m in members:
            country = g.value(m, CM.member)
            assert (country, rdflib.RDF.type, CM.Country) in countries, country
            assert countries.value(country, CM.isoCode), country
            assert g.value(m, CM.source) is not None
    tier1 = {g.value(m, CM.member) for m in g.objects(CMI["grp-ai-diffusion-tier1"], CM.membership)}
    assert len(tier1) == 18
    hk = next(m for m in g.objects(CMI["grp-cn-hk-mo"], CM.membership) if g.value(m, CM.member) == CMI.hk)
    assert str(g.value(hk, CM.validFrom)) == "2020-06-29"
