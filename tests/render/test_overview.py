"""Overview pages: a view above the node limit is drawn as clusters that open on click.

The limit is lowered (``max_nodes``, ``CHOKEMAP_MAX_VIEW_NODES``) so that a generated graph of a
few thousand nodes needs an overview; its JSON is checked (clusters and kept nodes add up to the
view, each cluster holds the right members and links), then the page in chromium, offline: a
click opens a cluster, no request, no console error, hostile labels stay text.  How fast an
overview is built and drawn is measured in bench/ (bench/overview.py), never asserted here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from offline import NEEDS_BROWSER, OfflinePage, launched
from test_views_browser import generated

from chokemap.graph.core.errors import UsageError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.render import overview
from chokemap.graph.render.views import make_view, to_html, write_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DAY = dt.date(2024, 6, 1)
HOSTILE = {"material5": "<img src=x onerror=alert(1)>", "tool7": "</script><script>alert(2)</script>",
           "process9": "\u202eLMSA", "firm40": "a & b <b>bold</b>"}


@pytest.fixture(scope="module")
def big() -> KnowledgeGraph:
    kg = generated(3000, 6000)
    for n, label in HOSTILE.items():
        kg.g.nodes[n]["label"] = label
    return kg


@pytest.fixture(scope="module")
def view(big: KnowledgeGraph) -> dict[str, Any]:
    return make_view(big, date=DAY, max_nodes=500)


def test_overview_adds_up(big: KnowledgeGraph, view: dict[str, Any]) -> None:
    o = view["overview"]
    assert view["view"] == "graph" and o["nodes"] == 3000 and o["limit"] == 500 and o["group_by"] == "class"
    clusters = {c["id"]: c for c in view["clusters"]}
    drawn = {n["id"]: n for n in view["nodes"]}
    kept = [n for n in drawn if not drawn[n].get("cluster")]
    heads = [c for c in clusters.values() if c["parent"] is None]
    assert len(kept) == o["kept"] <= 250 and len(clusters) == o["clusters"]
    # the drawn clusters and kept nodes hold every node of the graph once
    assert sorted(c["id"] for c in heads) == sorted(n for n in drawn if drawn[n].get("cluster"))
    assert sum(c["count"] for c in heads) + len(kept) == big.g.number_of_nodes()
    members = [m["id"] for c in clusters.values() for m in c["members"]]
    assert len(members) == len(set(members)) and set(members) | set(kept) == set(big.g.nodes)
    assert not set(members) & set(kept)
    # a big group opens into slices, each slice (or a small group) into at most EXPAND_MAX members
    assert any(c["children"] for c in heads)
    for c in clusters.values():
        if c["children"]:
            assert not c["members"] and c["count"] == sum(clusters[k]["count"] for k in c["children"])
            assert all(clusters[k]["parent"] == c["id"] and clusters[k]["node"]["count"] == clusters[k]["count"]
                       for k in c["children"])
        else:
            assert c["count"] == len(c["members"]) <= overview.EXPAND_MAX
        assert {big.g.nodes[m["id"]]["type"] for m in c["members"]} <= {c["group"]}
        assert all(m["x"] == m["x"] and m["y"] == m["y"] for m in c["members"])
    for c in heads:
        assert drawn[c["id"]]["count"] == c["count"] and drawn[c["id"]]["show_label"]
        assert f"({c['count']:,})" in drawn[c["id"]]["label"]
    # the top chokepoints are drawn as themselves, ranked beside the graph
    assert view["ranking"] and all(r["id"] in drawn for r in view["ranking"])


def test_overview_links_add_up(big: KnowledgeGraph, view: dict[str, Any]) -> None:
    clusters = {c["id"]: c for c in view["clusters"]}
    leaf = {m["id"]: cid for cid, c in clusters.items() for m in c["members"]}
    top = {m: clusters[c]["parent"] or c for m, c in leaf.items()}
    # drawn: kept-kept links and sums between top clusters; the rest lies inside a top cluster
    inside = sum(1 for u, v in big.g.edges() if u in top and v in top and top[u] == top[v])
    assert sum(e.get("count", 1) for e in view["edges"]) + inside == view["overview"]["edges"] == 6000
    for cid, c in clusters.items():
        for u, v, _t, n in c["edges"]:
            assert n >= 1
            if c["children"]:  # a parent's links: from or to one of its slices
                assert clusters.get(u, {}).get("parent") == cid or clusters.get(v, {}).get("parent") == cid
            else:  # a slice's links: from or to one of its members, the other end as drawn then
                assert leaf.get(u) == cid or leaf.get(v) == cid
                other = v if leaf.get(u) == cid else u
                assert other not in top or leaf[other] == cid
                assert other in clusters or other in leaf or other in big.g


def test_small_views_stay_whole_and_the_limit_is_read(big: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHOKEMAP_MAX_VIEW_NODES", "40")
    assert overview.limit() == 40 and overview.limit(7) == 7
    kg = big
    v = make_view(kg, date=DAY, focus="chip3", depth=1, max_nodes=1000)
    assert "overview" not in v
    v = make_view(kg, date=DAY, focus="chip3", depth=3, group_by="country")
    assert v["overview"]["group_by"] == "country" and v["params"]["focus"] == "chip3"
    assert {c["group"] for c in v["clusters"]} == {"no country"}
    assert next(n for n in v["nodes"] if n["id"] == "chip3")["role"] == "focus"
    monkeypatch.setenv("CHOKEMAP_MAX_VIEW_NODES", "lots")
    with pytest.raises(UsageError, match="whole number"):
        overview.limit()
    with pytest.raises(UsageError, match="more than a page can draw"):
        overview.check_size(10, "this tree", "give --depth", max_nodes=5)
    with pytest.raises(UsageError, match="grouping"):
        overview.group_keys(kg, ["chip3"], "stage")


def test_bundled_chokepoint_overview_by_country(bundled: KnowledgeGraph) -> None:
    v = make_view(bundled, chokepoints=True, date=dt.date(2026, 2, 1), top=5, max_nodes=20, group_by="country")
    assert v["view"] == "chokepoints" and v["clusters"] and len(v["ranking"]) == 10
    assert sum(c["count"] for c in v["clusters"]) + v["overview"]["kept"] == v["overview"]["nodes"]
    assert "United States" in {c["group"] for c in v["clusters"]} or "no country" in {c["group"] for c in v["clusters"]}
    page = to_html(v)
    assert "chokemap overview" in page and "http://" not in page.split("<script>")[0]


def test_overview_script_only_on_overview_pages(big: KnowledgeGraph) -> None:
    small = make_view(big, date=DAY, focus="chip3", max_nodes=1000)
    assert "chokemap overview" not in to_html(small)


# --------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched()


@NEEDS_BROWSER
def test_clicking_a_cluster_opens_it(browser: Browser, view: dict[str, Any], tmp_path_factory: Any) -> None:
    path = write_html(view, Path(tmp_path_factory.mktemp("ov")) / "overview.html")
    page = OfflinePage(browser, path, (1400, 900), "window.chokemap && window.chokemap.firstDraw !== null",
                       reduced_motion="reduce")
    try:
        hostile = {c["id"]: c for c in view["clusters"] if c["parent"] is None
                   and any(m["id"] in HOSTILE for m in c["members"])}
        cid, c = next(iter(hostile.items()))
        before = page.js("chokemap.nodes.length")
        box = page.page.locator("#graph").bounding_box()
        assert box is not None
        page.js("id => chokemap.network.focus(id, {scale: 1})", cid)
        p = page.js("id => { const n = chokemap.network; return n.canvasToDOM(n.getPosition(id)); }", cid)
        page.page.mouse.click(box["x"] + p["x"], box["y"] + p["y"])
        page.page.wait_for_function("document.body.dataset.openClusters === '1'", timeout=10_000)
        assert page.js("chokemap.nodes.length") == before + len(c["members"]) + len(c["children"])
        assert page.js("id => chokemap.nodes.get(id).hidden", cid) is True
        assert page.js("chokemap.edges.length") > len(view["edges"])
        # the hostile members are text: in the data as they are, in the panel as text
        member = next(m for m in c["members"] if m["id"] in HOSTILE)
        page.js("id => chokemap.select(id)", member["id"])
        assert page.page.locator("#panel h2").text_content() == member["label"]
        assert member["label"] in (HOSTILE[member["id"]], "\\u202eLMSA")
        # a search for a member of a closed cluster opens it
        other = next(x for x in view["clusters"] if x["parent"] is not None)  # a slice of a big group
        name = other["members"][0]["label"]
        page.page.fill("#search-box", name)
        page.page.click("#search button[type=submit]")
        page.page.wait_for_function("document.body.dataset.openClusters === '3'", timeout=10_000)
        assert page.js("id => chokemap.nodes.get(id) !== null", other["members"][0]["id"])
        assert page.page.locator("#panel h2").text_content() == name
        assert page.js("document.querySelectorAll('#graph img, #graph script, img[src=x]').length") == 0
        page.clean()
    finally:
        page.close()


def test_a_tree_too_big_to_draw_is_an_overview(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from chokemap.cli import cli

    def tree(*args: str) -> dict[str, Any]:
        res = CliRunner().invoke(cli, ["view", "--upstream", "H200", "--as-of", "2026-02-01", *args, "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.output)  # type: ignore[no-any-return]

    whole = tree()
    assert "clusters" not in whole
    monkeypatch.setenv("CHOKEMAP_MAX_VIEW_NODES", "30")
    v = tree()
    # every node of the tree is drawn or in a cluster, once; the root is drawn, as the focus
    drawn = {n["id"]: n for n in v["nodes"] if not n.get("cluster")}
    members = [m["id"] for c in v["clusters"] for m in c["members"]]
    assert len(members) == len(set(members)) and not set(members) & set(drawn)
    assert set(members) | set(drawn) == {n["id"] for n in whole["nodes"]}
    assert drawn["h200"]["role"] == "focus" and len(drawn) <= 15
    assert v["title"].startswith("What NVIDIA H200 needs (upstream)") and "grouped by class" in v["notes"][0]
