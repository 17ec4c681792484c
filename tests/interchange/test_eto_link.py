"""ETO linked into the bundled graph: the mapping (data/links-eto.ttl), ``import eto --link``
and ``--with``, on the hand-written fixture (tests/data/eto) and on the real dataset in
../shared/eto (skipped when absent).

Fixture mapping written below, expected answers: EUV Co (P10) is our ASML, so the fixture's
EUV supply lands on ``cmi:asml`` with ETO's share and the ETO source; Photoresist (N6) is our
photoresist; DUV scanners (N5) are a kind of our DUV dry scanner (broad match); TSMC N4 is within
ETO's fabrication stage (S2), so it requires ETO's Lithography (N2).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from chokemap.cli import cli
from chokemap.graph.core.vocab import CM, CMI
from chokemap.graph.interchange.eto import import_eto, read_eto
from chokemap.graph.interchange.eto_link import read_links

FIXTURE = Path(__file__).parents[1] / "data" / "eto"
REAL = Path(__file__).parents[3] / "shared" / "eto"
needs_real = pytest.mark.skipif(not (REAL / "provision.csv").is_file(),
                                reason=f"the ETO dataset is not at {REAL} (../shared/eto from the project root)")

MAPPING = """@prefix cm: <https://chokemap.org/ns#> . @prefix cmi: <https://chokemap.org/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
cmi:l1 a cm:Link ; cm:etoId "P10" ; cm:etoName "EUV Co" ; skos:exactMatch cmi:asml ; cm:method "hand" ; cm:note "t" .
cmi:l2 a cm:Link ; cm:etoId "N6" ; cm:etoName "Photoresist" ; skos:exactMatch cmi:photoresist ; cm:method "name" ; cm:note "t" .
cmi:l3 a cm:Link ; cm:etoId "N5" ; cm:etoName "DUV" ; skos:broadMatch cmi:duv-dry-scanner ; cm:method "hand" ; cm:note "t" .
cmi:l4 a cm:Link ; cm:etoId "S2" ; cm:etoName "Fabrication" ; skos:narrowMatch cmi:tsmc-n4 ; cm:method "hand" ; cm:note "t" .
"""

#: ETO providers that are firms of the bundled graph, found by hand (the oracle for coverage).
FIRMS_IN_BOTH = {
    "P9": "intel", "P10": "amd", "P11": "nvidia", "P17": "hisilicon", "P26": "cambricon", "P34": "tsmc",
    "P35": "samsung", "P37": "smic", "P40": "hua-hong", "P48": "ase", "P49": "amkor", "P50": "jcet",
    "P52": "tfme", "P53": "huatian", "P55": "sk-hynix", "P56": "micron", "P57": "pti",
    "P81": "applied-materials", "P82": "nissin-ion", "P84": "axcelis", "P88": "asml",
    "P97": "hitachi-high-tech", "P105": "tokyo-electron", "P106": "screen", "P111": "lam-research",
    "P112": "asm-international", "P113": "piotech", "P115": "naura", "P116": "kokusai", "P118": "kla",
    "P123": "amec", "P128": "ebara", "P129": "hwatsing", "P139": "onto-innovation", "P185": "synopsys",
    "P186": "cadence", "P187": "siemens-eda", "P191": "empyrean", "P206": "jsr", "P207": "tok",
    "P208": "shin-etsu", "P209": "fujifilm", "P222": "dupont", "P225": "sumco", "P226": "globalwafers",
    "P227": "siltronic", "P228": "sk-siltron", "P241": "hoya", "P297": "ibiden",
}
#: ETO inputs with a bundled counterpart (the same thing), found by hand.
INPUTS_IN_BOTH = {
    "N17": "ion-implanters", "N20": "euv-scanner", "N26": "silicon-wafer", "N31": "photoresist",
    "N32": "coater-developer", "N36": "deposition-tools", "N41": "ald-tools", "N60": "metrology-inspection",
    "N84": "eda", "N86": "cmp-tools",
}


@pytest.fixture(scope="module")
def fixture_linked(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    folder = tmp_path_factory.mktemp("link")
    (folder / "links.ttl").write_text(MAPPING, encoding="utf-8")
    import_eto(FIXTURE, folder / "out.ttl", link=folder / "links.ttl")
    return Graph().parse(folder / "out.ttl")


def test_exact_match_renames_and_keeps_only_the_etos_id_alias(fixture_linked: Graph) -> None:
    g = fixture_linked
    assert (CMI["eto-P10"], None, None) not in g and (None, None, CMI["eto-P10"]) not in g
    assert g.value(CMI.asml, RDFS.label) is None and g.value(CMI.asml, RDF.type) is None  # ours stays ours
    assert {str(a) for a in g.objects(CMI.asml, CM.alias)} == {"ETO P10"}
    supplies = [q for q in g.objects(CMI["eto-N4"], CM.suppliedBy) if g.value(q, CM.supplier) == CMI.asml]
    assert supplies and float(g.value(supplies[0], CM.share)) == 1.0  # the only EUV maker, as in ETO
    assert g.value(supplies[0], CM.validFrom).toPython().year == 2025
    assert CMI["eto-dataset"] in set(g.objects(supplies[0], CM.source))


def test_broad_match_is_kind_of_and_stage_makes_our_process_require_its_steps(fixture_linked: Graph) -> None:
    g = fixture_linked
    assert (CMI["eto-N5"], CM.kindOf, CMI["duv-dry-scanner"]) in g
    inputs = {g.value(q, CM.input) for q in g.objects(CMI["tsmc-n4"], CM.requires)}
    assert inputs == {CMI["eto-N2"]}  # the fixture's one fabrication-stage process
    assert (CMI.photoresist, RDFS.label, None) not in g and (CMI["eto-N2"], CM.requires, None) in g


def test_with_needs_files_not_a_store() -> None:
    result = CliRunner().invoke(cli, ["--store", "x", "--with", "y.ttl", "stats"])
    assert result.exit_code == 2 and "--with adds files" in result.output


def test_every_link_names_a_bundled_entity_and_exact_links_are_one_to_one(bundled) -> None:
    links = read_links()
    targets = [*links.exact.values(), *(t for ts in links.broad.values() for t in ts),
               *(t for ts in links.narrow.values() for t in ts)]
    missing = [str(t) for t in targets if str(t).rsplit("/", 1)[-1] not in bundled.g]
    assert not missing
    assert len(set(links.exact.values())) == len(links.exact)


@needs_real
def test_real_mapping_covers_the_firms_and_inputs_both_graphs_have() -> None:
    links = read_links()
    eto = read_eto(REAL)
    assert set(FIRMS_IN_BOTH) <= set(eto.providers) and set(INPUTS_IN_BOTH) <= set(eto.inputs)
    linked = [p for p, fid in FIRMS_IN_BOTH.items() if str(links.exact.get(p, "")).endswith(f"/{fid}")]
    assert len(linked) / len(FIRMS_IN_BOTH) >= 0.9, sorted(set(FIRMS_IN_BOTH) - set(linked))
    for eid, item in INPUTS_IN_BOTH.items():
        assert links.exact[eid] == CMI[item]
    assert set(links.exact) <= set(eto.providers) | set(eto.inputs) | set(eto.stages)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eto-real") / "eto-linked.ttl"
    import_eto(REAL, out, link="")
    return out


@needs_real
def test_real_merged_question_ranks_an_eto_only_tool_with_a_share_and_cites_eto(merged: Path) -> None:
    # On 2026-02-01 China's customs block H200 imports (not available: nothing ranks), so the
    # question is asked for ByteDance, an approved buyer, as the README's own example does.
    result = CliRunner().invoke(cli, ["--with", str(merged), "chokepoints", "--target", "H200", "--buyer",
                                      "ByteDance", "--as-of", "2026-02-01", "--kind", "items", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    eto_only = [c for c in ranked if c["id"].startswith("eto-N")
                and any(s.get("share") for s in c.get("supply", []))]
    assert eto_only, [c["id"] for c in ranked]
    first = eto_only[0]
    assert any(src["id"] == "eto-dataset" for src in first["explanation"][0]["sources"])
    assert first["explanation"][0]["dataset"] == "ETO" and first["explanation"][-1]["dataset"] == "bundled"
    text = CliRunner().invoke(cli, ["--with", str(merged), "chokepoints", "--target", "H200", "--buyer",
                                    "ByteDance", "--as-of", "2026-02-01", "--kind", "items", "--top", "1"]).output
    assert f"{first['label']} -needed by [ETO]-> " in text  # ETO's hops are marked among ours
    assert first["explanation"][-1]["to"] == "h200"


@needs_real
def test_real_conflicts_are_findings_not_errors(merged: Path) -> None:
    from chokemap.graph.io.inputs import DEFAULT_DATA
    from chokemap.graph.io.load import load
    from chokemap.graph.queries.validate import supply_conflicts

    kg = load([DEFAULT_DATA, merged])
    conflicts = {(c["item"], c["supplier"]): c for c in supply_conflicts(kg)}
    amat = conflicts[("ion-implanters", "applied-materials")]  # ours: 68.2% (2023); ETO: 62.6% (2025)
    assert amat["bundled"]["share"] == pytest.approx(0.682) and amat["eto"]["share"] == pytest.approx(0.626)
    assert amat["eto"]["year"] == 2025 and amat["newer"] == "ETO" and "eto-dataset" in amat["eto"]["sources"]


@needs_real
@pytest.mark.slow
def test_real_validate_passes_the_merged_graph_listing_its_conflicts(merged: Path) -> None:
    result = CliRunner().invoke(cli, ["--with", str(merged), "validate", "--json"], catch_exceptions=False)
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["valid"]
    assert {f["check"] for f in report["findings"]} == {"conflict"}


@needs_real
def test_real_answers_use_the_more_recent_figure_once(merged: Path) -> None:
    # ours: Applied Materials 68.2% of ion implanters (2023); ETO: 62.6% (2025): answers use
    # ETO's, once, and say what it replaced; a firm never appears twice in one supply list
    result = CliRunner().invoke(cli, ["--with", str(merged), "chokepoints", "--target", "H200", "--buyer",
                                      "ByteDance", "--as-of", "2026-02-01", "--kind", "items", "--top", "300",
                                      "--json"], catch_exceptions=False)
    ranked = json.loads(result.stdout)
    for row in ranked:
        sups = [s["supplier"] for s in row.get("supply", [])]
        assert len(sups) == len(set(sups)), (row["id"], sups)
    from chokemap.graph.engine.supply import SupplyModel
    from chokemap.graph.io.inputs import DEFAULT_DATA
    from chokemap.graph.io.load import load

    model = SupplyModel.compile(load([DEFAULT_DATA, merged]), dt.date(2026, 2, 1))
    (amat,) = [lk for lk in model.sups["ion-implanters"] if lk.node == "applied-materials"]
    assert amat.share == pytest.approx(0.626)
    assert "[ETO, 2025: the more recent figure; bundled gives 68.2% (2023)]" in (amat.note or "")


@needs_real
def test_real_answers_say_which_figure_they_used(merged: Path) -> None:
    args = ["--with", str(merged), "chokepoints", "--target", "H200", "--buyer", "ByteDance",
            "--as-of", "2026-02-01", "--kind", "items", "--top", "300"]
    ranked = json.loads(CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False).stdout)
    sups = [s for r in ranked for s in r.get("supply", []) if s["supplier"] == "applied-materials"
            and s.get("replaced") and s["share"] == pytest.approx(0.626)]
    assert sups, "no ranked row sits on ion implanters"
    assert sups[0]["dataset"] == "ETO" and sups[0]["year"] == 2025
    assert sups[0]["replaced"] == [{"dataset": "bundled", "share": pytest.approx(0.682), "year": 2023}]
    assert all(s["dataset"] in ("ETO", "bundled") for r in ranked for s in r.get("supply", []))
    text = CliRunner().invoke(cli, args, catch_exceptions=False).output
    assert "Applied Materials 62.6% (ETO 2025; bundled said 68.2% for 2023)" in text


@needs_real
def test_real_show_lists_conflicting_figures(merged: Path) -> None:
    result = CliRunner().invoke(cli, ["--with", str(merged), "show", "ion-implanters"], catch_exceptions=False)
    head, _, section = result.output.partition("\nConflicting figures (")
    assert section.startswith("3)\n"), result.output[-600:]
    assert ("  Applied Materials supplies Ion implantation equipment: bundled 68.2% (2023), ETO 62.6% (2025); "
            "answers use ETO's (the more recent)") in section
    info = json.loads(CliRunner().invoke(cli, ["--with", str(merged), "show", "applied-materials", "--json"]).stdout)
    assert ("ion-implanters", "ETO") in {(c["item"], c["newer"]) for c in info["conflicts"]}
    plain = CliRunner().invoke(cli, ["show", "ion-implanters"], catch_exceptions=False).output
    assert "Conflicting figures" not in plain  # the bundled graph alone has none
