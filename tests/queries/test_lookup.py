"""Finding entities by id, name, alias and Chinese name; suggestions on a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from chokemap.graph.core.errors import AmbiguousEntity, UnknownEntity, UsageError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.io.load import load
from chokemap.graph.queries.lookup import (
    export_authority,
    normalize,
    resolve,
    resolve_country,
    resolve_government,
    search,
)
from chokemap.graph.queries.validate import validate

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def names() -> KnowledgeGraph:
    """tests/data/names.ttl: expected answers are marked in the file."""
    return load([DATA / "names.ttl"])


def test_normalize_folds_case_width_and_separators() -> None:
    assert normalize("GB200 NVL72") == normalize("gb200-nvl72") == "gb200nvl72"


def test_exact_label_beats_prefix_and_substring(tiny: KnowledgeGraph) -> None:
    assert {h.id for h in search(tiny, "mem")[:3]} == {"memory", "mema", "memb"}
    top = search(tiny, "Memory")
    assert (top[0].id, top[0].score) == ("memory", 100)
    assert search(tiny, "emor")[0].id == "memory"  # a substring still finds it


def test_resolve_by_id_label_alias_and_iso(tiny: KnowledgeGraph) -> None:
    assert resolve(tiny, "scannerco") == "scannerco"
    assert resolve(tiny, "FABCO") == "fabco"
    assert resolve_country(tiny, "韩国") == "kr"
    assert resolve_country(tiny, "KR") == "kr"


def test_unknown_name_suggests(tiny: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as err:
        resolve(tiny, "ScanerCo")
    assert "ScannerCo" in err.value.suggestions
    assert str(err.value).startswith("no entity 'ScanerCo'; did you mean: ScannerCo")


# --------------------------------------------------------------------------- ambiguity


def test_a_shared_prefix_fails_with_both_candidates(names: KnowledgeGraph) -> None:
    with pytest.raises(AmbiguousEntity) as err:
        resolve(names, "Rule of May", {"Policy"}, "policy")
    assert err.value.candidates == ["rule-1 (Rule of May: chips)", "rule-2 (Rule of May: tools and chips)"]
    assert "use one of these ids" in str(err.value)


def test_a_prefix_of_one_entity_still_resolves(names: KnowledgeGraph) -> None:
    assert resolve(names, "Rule of May: tools", {"Policy"}) == "rule-2"
    assert resolve(names, "Widget A2") == "chip-b"
    with pytest.raises(AmbiguousEntity):
        resolve(names, "Widget A")  # A100 and A200


def test_an_exact_name_beats_a_longer_prefix(names: KnowledgeGraph) -> None:
    assert resolve(names, "Alpha") == "al"  # not "Alpha government", "Alpha Parliament"


def test_the_bundled_oct_2023_rules_are_ambiguous(bundled: KnowledgeGraph) -> None:
    # the example: two BIS rules of Oct 2023 share the prefix
    with pytest.raises(AmbiguousEntity) as err:
        resolve(bundled, "BIS rule of Oct 2023", {"Policy"}, "policy")
    assert {c.split(" ")[0] for c in err.value.candidates} == {
        "pol-us-2023-10-sme", "pol-us-2023-10-advanced-computing"}


# --------------------------------------------------------------------------- export-control bodies


def test_a_country_embargoes_through_its_export_control_body(names: KnowledgeGraph) -> None:
    assert resolve_government(names, "AL") == "al-trade"  # not the parliament, not the whole government
    assert resolve_government(names, "Alpha") == "al-trade"
    assert export_authority(names, "al") == "al-trade"


def test_a_country_without_a_named_body_stands_for_its_government(names: KnowledgeGraph) -> None:
    assert resolve_government(names, "BE") == "gov-be"
    assert export_authority(names, "be") == "gov-be"


def test_a_government_named_outright_is_taken_as_named(names: KnowledgeGraph) -> None:
    assert resolve_government(names, "Alpha Parliament") == "al-parliament"


def test_the_us_embargoes_through_bis_never_congress(bundled: KnowledgeGraph) -> None:
    assert resolve_government(bundled, "US") == "us-bis"
    assert resolve_government(bundled, "United States") == "us-bis"
    assert resolve_government(bundled, "China") == "cn-mofcom"
    assert resolve_government(bundled, "Netherlands") == "gov-nl"


def test_an_authority_must_be_a_government(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text((DATA / "names.ttl").read_text(encoding="utf-8")
                   + "\ncmi:be cm:exportControlAuthority cmi:taico .\n", encoding="utf-8")
    found = [f.message for f in validate(load([bad], lenient=True))]
    assert any("cm:exportControlAuthority names one cm:Government" in m for m in found), found


def test_a_government_of_no_country_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "g.ttl"
    f.write_text("@prefix cm: <https://chokemap.org/ns#> . @prefix cmi: <https://chokemap.org/id/> .\n"
                 "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                 'cmi:club a cm:Government ; rdfs:label "Club" .\n', encoding="utf-8")
    with pytest.raises(UsageError, match="governs no country"):
        resolve_government(load([f]), "Club")


# --------------------------------------------------------------------------- Chinese scripts


def test_traditional_and_simplified_normalise_alike() -> None:
    assert normalize("臺積電") == normalize("台积电")
    assert normalize("英偉達") == normalize("英伟达")
    assert normalize("ASML") == "asml"  # ASCII never goes through OpenCC


def test_traditional_query_finds_a_simplified_alias(names: KnowledgeGraph) -> None:
    assert resolve(names, "臺積電") == "taico"
    assert resolve(names, "偉達A100") == "chip-a"


@pytest.mark.parametrize(("query", "expected"), [
    ("英偉達", "nvidia"), ("臺積電", "tsmc"), ("阿斯麥", "asml"), ("昇騰910C", "ascend-910c"),
    ("英伟达", "nvidia"), ("台积电", "tsmc"), ("阿斯麦", "asml"), ("昇腾910C", "ascend-910c"),
])
def test_the_article_names_resolve_in_both_scripts(bundled: KnowledgeGraph, query: str, expected: str) -> None:
    assert resolve(bundled, query) == expected


def test_ascend_in_traditional_finds_the_ascend_chips(bundled: KnowledgeGraph) -> None:
    hits = [m.id for m in search(bundled, "昇騰")]
    assert hits and all(h.startswith("ascend-") for h in hits[:5])
