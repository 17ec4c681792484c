"""Ranking for people: two sections (actors, then items), the targets each row cuts by
name, wording that never contradicts the supplier list, and pairs cut at --top with
their total.  The toy chain is tests/data/tiny.ttl (its expected answers are marked there).
"""

from __future__ import annotations

import datetime as dt

import pytest

from chokemap.graph.core.errors import UsageError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.render.report import cuts_text, render_chokepoints

BEFORE = dt.date(2024, 6, 1)  # no policy in force: any buyer gets everything
LATER = dt.date(2026, 6, 1)   # the US memory ban to Xland is in force


def test_actors_come_first_and_each_section_is_cut_at_top(tiny: KnowledgeGraph) -> None:
    rep = chokepoints(tiny, ["phone"], None, BEFORE, top=2)
    assert [r["section"] for r in rep["chokepoints"]] == ["actors", "actors", "items", "items"]
    # the seven single chokepoints of the file, plus PhoneCo and the phone's inputs
    assert rep["totals"] == {"actors": 6, "items": 4} and rep["total"] == 10
    assert {r["id"] for r in rep["chokepoints"][:2]} == {"scannerco", "nl"}  # 100% share ranks first


@pytest.mark.parametrize("kind", ["actors", "items"])
def test_kind_asks_for_one_section(tiny: KnowledgeGraph, kind: str) -> None:
    rep = chokepoints(tiny, ["phone"], None, BEFORE, top=None, kind=kind)
    assert {r["section"] for r in rep["chokepoints"]} == {kind}
    assert list(rep["totals"]) == [kind] and rep["total"] == len(rep["chokepoints"])
    types = {r["type"] for r in rep["chokepoints"]}
    assert (types <= {"Firm", "Country", "Government", "Facility"}) == (kind == "actors")


def test_an_unknown_kind_is_a_usage_error(tiny: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="use actors, items or all"):
        chokepoints(tiny, ["phone"], None, BEFORE, kind="people")


def test_rows_name_the_targets_they_cut(tiny: KnowledgeGraph) -> None:
    # with the ban, MemA alone makes memory for Xland: it cuts the phone and the memory, not the SoC
    rep = chokepoints(tiny, ["phone", "soc", "memory"], "xx", LATER, top=None)
    mema = next(r for r in rep["chokepoints"] if r["id"] == "mema")
    assert mema["targets"] == ["phone", "memory"] and mema["target_labels"] == ["Phone", "Memory"]
    assert cuts_text(mema, 3) == "cuts 2 of 3 (Phone, Memory)"
    text = render_chokepoints(rep)
    assert "MemA (Firm) cuts 2 of 3 (Phone, Memory): the only working supplier of Memory" in text


def test_a_row_that_cuts_every_target_names_them(tiny: KnowledgeGraph) -> None:
    rep = chokepoints(tiny, ["phone", "soc"], None, BEFORE, top=None)
    fabco = next(r for r in rep["chokepoints"] if r["id"] == "fabco")
    assert cuts_text(fabco, 2) == "cuts Phone, SoC"


def test_an_item_with_working_suppliers_never_reads_as_unsupplied(tiny: KnowledgeGraph) -> None:
    rep = chokepoints(tiny, ["phone"], None, BEFORE, top=None, kind="items")
    memory = next(r for r in rep["chokepoints"] if r["id"] == "memory")
    assert memory["why"] == ("needed by Phone, and no other input can stand in for it; "
                             "cut only if both its working suppliers fail")
    assert [x["status"] for x in memory["supply"]] == ["working", "working"]


def test_an_item_with_one_working_supplier_names_it(tiny: KnowledgeGraph) -> None:
    rep = chokepoints(tiny, ["phone"], "xx", LATER, top=None, kind="items")
    memory = next(r for r in rep["chokepoints"] if r["id"] == "memory")
    assert memory["why"].endswith("; its only working supplier is MemA")  # MemB is banned


def test_no_bundled_sentence_denies_a_working_supplier(bundled: KnowledgeGraph) -> None:
    # the example: "EDA software ... with no working substitute" above "Various companies: working"
    rep = chokepoints(bundled, ["h200"], "cn", dt.date(2026, 2, 1), top=None)
    for r in rep["chokepoints"]:
        assert "no working substitute" not in r["why"], r["why"]
        working = {x["supplier"] for x in r["supply"] if x["status"] == "working"}
        if r["section"] == "items" and len(working) > 1:
            assert "cut only if" in r["why"], (r["label"], r["why"])
        if r["section"] == "items" and len(working) == 1:
            assert "its only working supplier is" in r["why"], (r["label"], r["why"])
        if r["why"].startswith("the only working supplier"):
            assert r["concentration"]["by_firm"]["firms"] == 1, r["label"]


def test_pairs_honour_top_and_report_their_total(tiny: KnowledgeGraph) -> None:
    every = chokepoints(tiny, ["phone"], None, BEFORE, top=None, pairs=True)
    one = chokepoints(tiny, ["phone"], None, BEFORE, top=1, pairs=True)
    assert every["pairs_total"] == one["pairs_total"] == len(every["pairs"]) > 1
    assert one["pairs"] == every["pairs"][:1]
    assert {frozenset(p["ids"]) for p in every["pairs"]} >= {frozenset({"mema", "memb"})}  # the file's pair
    text = render_chokepoints(one)
    assert f"Pairs (cut a target only together): 1 of {every['pairs_total']} pairs shown" in text


def test_the_text_has_one_heading_a_section(tiny: KnowledgeGraph) -> None:
    text = render_chokepoints(chokepoints(tiny, ["phone"], None, BEFORE, top=1))
    assert ("Actors (firms, facilities, countries, governments): 6 single-node chokepoints; "
            "the top 1, by blast radius, binding constraints first:") in text
    assert "Items (products, tools, materials, software, processes): 4 single-node chokepoints" in text
    assert text.index("Actors (") < text.index("Items (")
