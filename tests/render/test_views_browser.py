"""HTML views in a real browser: Debian's chromium driven by Playwright, offline.

What only a browser shows: the page draws the expected nodes and edges with no request to
any host and no console error; hostile labels stay text (no dialog opens); search, click
and filters work; a generated 2,000-node graph draws and pans (how fast is measured by
``bench/run.py``, never asserted in a test).  Needs ``apt-get install chromium`` and
``pip install playwright`` (never ``playwright install``: it downloads browsers).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pytest
from offline import NEEDS_BROWSER, OfflinePage, launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser
from rdflib import Graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.io.load import load
from chokemap.graph.render.views import chokepoint_view, graph_view, write_html

DATA = Path(__file__).parents[1] / "data"
DAY = dt.date(2024, 6, 1)

pytestmark = [NEEDS_BROWSER]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched()


class Opened(OfflinePage):
    """A graph page opened offline (desktop by default), drawn once."""

    def __init__(self, browser: Browser, path: Path, size: tuple[int, int] = (1400, 900)) -> None:
        super().__init__(browser, path, size, "window.chokemap && window.chokemap.firstDraw !== null",
                         accept_downloads=True, reduced_motion="reduce")

    def point(self, node: str) -> tuple[float, float]:
        """Page coordinates of a node's centre."""
        box = self.page.locator("#graph").bounding_box()
        assert box is not None
        p = self.js("id => { const n = chokemap.network; return n.canvasToDOM(n.getPosition(id)); }", node)
        return box["x"] + p["x"], box["y"] + p["y"]


@pytest.fixture
def opened(browser: Browser, tmp_path: Path) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_view(view: dict[str, Any], name: str = "view.html") -> Opened:
        page = Opened(browser, write_html(view, tmp_path / name))
        pages.append(page)
        return page

    yield open_view
    for p in pages:
        p.close()


def test_draws_every_node_and_edge_offline(opened: Any) -> None:
    tiny = load([DATA / "tiny.ttl"])
    view = graph_view(tiny, DAY)
    page = opened(view)
    assert page.js("chokemap.nodes.length") == view["counts"]["nodes"] == 18
    assert page.js("chokemap.edges.length") == view["counts"]["edges"] == 18
    assert page.js("chokemap.network.body.nodeIndices.length") == 18
    assert page.js("chokemap.network.body.edgeIndices.length") == 18
    assert page.js("document.title") == "The whole graph, as of 2024-06-01 · chokemap"
    # the legend lists each class with its count
    assert "Firm (5)" in page.page.locator("#legend-classes").inner_text()
    page.clean()


def test_hostile_labels_stay_text(opened: Any) -> None:
    hostile = load([DATA / "hostile.ttl"])
    view = graph_view(hostile, dt.date(2025, 6, 1))
    page = opened(view)
    labels = {n["id"]: n["label"] for n in view["nodes"]}
    for node, label in labels.items():
        # hover: the tooltip shows the label as text
        x, y = page.point(node)
        page.page.mouse.move(x, y)
        page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        assert label in page.js("document.querySelector('div.vis-tooltip').textContent")
        # click: the panel shows it as text
        page.page.mouse.click(x, y)
        assert page.page.locator("#panel h2").text_content() == label
        page.page.mouse.move(1, 1)
    page.page.wait_for_timeout(300)
    assert page.js("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    # the source with a javascript: URL is text, the https one a safe link
    x, y = page.point("xss-chip")
    page.page.mouse.click(x, y)
    links = page.js("""[...document.querySelectorAll('#panel a')].map(a =>
        ({href: a.href, rel: a.rel, target: a.target, text: a.textContent}))""")
    assert links and all(a["href"].startswith("https://example.org/report") for a in links)
    assert all(a["rel"] == "noopener noreferrer" and a["target"] == "_blank" for a in links)
    assert "<svg onload=alert('source title')>" in page.page.locator("#panel").inner_text()
    # the search box finds a node by its hostile alias
    page.page.fill("#search-box", "</script><script>alert('alias')</script>")
    page.page.press("#search-box", "Enter")
    assert page.js("chokemap.network.getSelectedNodes()") == ["evil"]
    page.clean()


def test_search_click_and_chain_highlight(opened: Any) -> None:
    tiny = load([DATA / "tiny.ttl"])
    view = chokepoint_view(tiny, ["phone"], None, DAY)
    page = opened(view)
    nodes = {n["id"]: n for n in view["nodes"]}
    # a prefix of two names: the shorter wins
    page.page.fill("#search-box", "scann")
    page.page.click("#search button[type=submit]")
    assert page.js("chokemap.network.getSelectedNodes()") == ["scanner"]
    assert page.page.locator("#panel h2").text_content() == "Scanner"
    assert page.page.locator("#search-status").text_content() == "Found Scanner"
    chain = nodes["scanner"]["chain"]
    widths = page.js("ids => ids.map(id => chokemap.edges.get(id).width)", chain)
    assert widths == [4] * len(chain)
    others = [e["id"] for e in view["edges"] if e["id"] not in chain]
    assert page.js("ids => ids.map(id => chokemap.edges.get(id).width)", others) == [1] * len(others)
    # click a node: the panel shows its label, why, and clickable sources
    x, y = page.point("fabco")
    page.page.mouse.click(x, y)
    assert page.js("chokemap.network.getSelectedNodes()") == ["fabco"]
    assert page.page.locator("#panel h2").text_content() == "FabCo"
    panel = page.page.locator("#panel").inner_text()
    assert "Chokepoint: cuts 1 target(s)" in panel and nodes["fabco"]["why"] in panel
    assert page.page.locator("#panel a", has_text="Toy source").first.get_attribute("href") == "https://example.org/toy"
    # a miss says so
    page.page.fill("#search-box", "zzz-nothing")
    page.page.press("#search-box", "Enter")
    assert "Nothing in this view matches" in (page.page.locator("#search-status").text_content() or "")
    page.clean()


def test_class_and_edge_filters(opened: Any) -> None:
    tiny = load([DATA / "tiny.ttl"])
    page = opened(graph_view(tiny, DAY))
    page.page.locator("#legend-classes label", has_text="Firm").locator("input").uncheck()
    hidden = page.js("chokemap.nodes.get().filter(n => n.hidden).map(n => n.id).sort()")
    assert hidden == ["fabco", "mema", "memb", "phoneco", "scannerco"]
    page.page.locator("#legend-edges label", has_text="requires").locator("input").uncheck()
    assert page.js("chokemap.edges.get().filter(e => e.hidden).length") == 4
    page.page.locator("#legend-classes label", has_text="Firm").locator("input").check()
    assert page.js("chokemap.nodes.get().filter(n => n.hidden).length") == 0
    page.clean()


def generated(n_nodes: int = 2000, n_edges: int = 4000, seed: int = 7) -> KnowledgeGraph:
    """A layered supply graph: firms supply items, items require items of lower tiers."""
    rng = random.Random(seed)
    tiers = [("Material", 300), ("Tool", 200), ("Process", 200), ("Chip", 400), ("System", 200)]
    g = nx.MultiDiGraph()
    src = [{"id": "src", "url": "https://example.org/", "title": "Generated", "publisher": "test",
            "date": None, "secondary": False}]
    firms = [f"firm{i}" for i in range(n_nodes - sum(k for _c, k in tiers))]
    for f in firms:
        g.add_node(f, type="Firm", label=f"Firm {f[4:]}", aliases=[], aggregate=False)
    layers: list[list[str]] = []
    for cls, k in tiers:
        layers.append([f"{cls.lower()}{i}" for i in range(k)])
        for n in layers[-1]:
            g.add_node(n, type=cls, label=f"{cls} {n}", aliases=[], aggregate=False)
    items = [n for layer in layers for n in layer]
    tier = {n: t for t, layer in enumerate(layers) for n in layer}
    edges = 0  # counted here: MultiDiGraph.number_of_edges() walks every node (45 s in this loop)
    while edges < n_edges:
        v = rng.choice(items)
        supply = tier[v] == 0 or rng.random() < 0.4
        u = rng.choice(firms) if supply else rng.choice(layers[rng.randrange(tier[v])])
        if not g.has_edge(u, v):
            g.add_edge(u, v, type="supplies" if supply else "requires",
                       share=round(rng.random(), 2) if supply else None, sources=src)
            edges += 1
    return KnowledgeGraph(rdf=Graph(), g=g, sources={})


@pytest.mark.slow
def test_big_graph_draws_and_pans(opened: Any) -> None:
    # how fast it draws and pans is measured by bench/run.py (bench/browser.py), not asserted here
    view = graph_view(generated(), DAY)
    assert view["counts"] == {"nodes": 2000, "edges": 4000}
    page = opened(view, "big.html")
    assert page.js("document.body.dataset.drawn") == "1"
    assert page.js("chokemap.network.body.nodeIndices.length") == 2000
    assert page.js("chokemap.network.body.edgeIndices.length") == 4000
    # every node has a place on the canvas (coordinates come from Python, physics is off)
    positions = page.js("Object.values(chokemap.network.getPositions())")
    assert len(positions) == 2000 and all(p["x"] == p["x"] and p["y"] == p["y"] for p in positions)
    # panning moves the view and draws it again
    before = page.js("chokemap.network.getViewPosition()")
    redrawn = page.js("""() => new Promise(done => {
        const net = chokemap.network;
        net.once('afterDrawing', () => done(true));
        setTimeout(() => done(false), 30000);
        const p = net.getViewPosition();
        net.moveTo({position: {x: p.x + 800, y: p.y + 400}});
    })""")
    after = page.js("chokemap.network.getViewPosition()")
    assert redrawn and after != before
    page.clean()


# --------------------------------------------------------------------------- page kinds, phone and desktop

KINDS = {
    "graph": {"types": "Chip,Tool,Firm,Country"},  # the whole-graph kind, fewer classes: faster
    "chokepoints": {"chokepoints": True, "targets": ["H200"]},
    "path": {"path": ("ASML", "H200")},
    "focus": {"focus": "TSMC", "depth": 1},
}
SIZES = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def pages(bundled: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    """One page per kind from the bundled graph, written once for the module."""
    from chokemap.graph.render.views import make_view

    folder = tmp_path_factory.mktemp("kinds")
    out = {}
    for kind, args in KINDS.items():
        view = make_view(bundled, date=dt.date(2026, 2, 1), **args)  # type: ignore[arg-type]
        out[kind] = (view, write_html(view, folder / f"{kind}.html"))
    return out


def _kinds_and_sizes() -> list[Any]:
    """Every page kind at every size; on a phone only the chokepoint page runs in the README's
    command, the other kinds in the slow step (each opens a whole page in chromium)."""
    return [pytest.param(kind, size, marks=[] if size != "phone" or kind == "chokepoints" else [pytest.mark.slow],
                         id=f"{kind}-{size}") for kind in sorted(KINDS) for size in sorted(SIZES)]


@pytest.mark.parametrize(("kind", "size"), _kinds_and_sizes())
def test_page_kind_ranked_readable_synced(browser: Browser, pages: Any, kind: str, size: str) -> None:
    view, path = pages[kind]
    page = Opened(browser, path, SIZES[size])
    p = page.page
    ranking = view["ranking"]
    assert ranking, "every page kind ranks its chokepoints"
    assert p.locator("#ranking-lists li").count() == len(ranking)
    # labels of the top 10 of each section, and the ends, stay readable at the first zoom
    keep = [n["id"] for n in view["nodes"] if n.get("show_label")]
    assert keep and all(page.js("id => chokemap.labelPx(id)", n) >= 10 for n in keep)
    if size == "phone":
        # the graph gets the screen; the sheet is collapsed until asked for
        graph = p.locator("#graph").bounding_box()
        assert graph is not None and graph["height"] > 600 and graph["width"] >= 380
        assert page.js("document.getElementById('side').classList.contains('collapsed')")
        p.click("#sheet-toggle")
    # a row selects its node; a node selects (and scrolls to) its row
    first, other = ranking[0]["id"], ranking[-1]["id"]
    p.locator(f"#ranking-lists button[data-id='{first}']").click()
    assert page.js("chokemap.network.getSelectedNodes()") == [first]
    if size == "phone":
        p.click("#sheet-toggle")  # out of the way of the graph
    page.js("id => chokemap.network.focus(id, {scale: 1.5})", other)
    x, y = page.point(other)
    p.mouse.click(x, y)
    assert page.js("chokemap.network.getSelectedNodes()") == [other]
    row = p.locator("#ranking-lists li.selected button")
    assert row.count() == 1 and row.get_attribute("data-id") == other
    # the fragment keeps the selection: a reload reopens it (on a phone, one kind is enough:
    # the code is the same, and a reload is the slowest step of this test)
    assert f"sel={other}" in page.js("location.hash")
    if size == "desktop" or kind == "chokepoints":
        p.reload()
        p.wait_for_function("window.chokemap && window.chokemap.firstDraw !== null")
        assert page.js("chokemap.network.getSelectedNodes()") == [other]
        assert p.locator("#ranking-lists li.selected button").get_attribute("data-id") == other
    # keyboard: Tab to the next row, Enter selects it, Esc clears
    if size == "phone" and page.js("document.getElementById('side').classList.contains('collapsed')"):
        p.click("#sheet-toggle")
    p.locator("#ranking-lists button").first.focus()
    p.keyboard.press("Tab")
    second = page.js("document.activeElement.dataset.id")
    assert second == p.locator("#ranking-lists button").nth(1).get_attribute("data-id")
    p.keyboard.press("Enter")
    assert page.js("chokemap.network.getSelectedNodes()") == [second]
    p.keyboard.press("Escape")
    assert page.js("chokemap.network.getSelectedNodes()") == [] and "sel=" not in page.js("location.hash")
    # the PNG button saves the drawing as a data: URL
    with p.expect_download() as dl:
        p.click("#png")
    assert dl.value.url.startswith("data:image/png;base64,")
    assert page.js("chokemap.lastPng.length") > 1000
    page.clean()
    page.close()


def test_spoofing_characters_shown_escaped(opened: Any) -> None:
    kg = load([DATA / "tiny.ttl"])
    kg.g.nodes["scanner"]["label"] = "\u202eLMSA"
    kg.g.nodes["scanner"]["aliases"] = ["AS\u200bML"]
    kg.g.nodes["scanner"]["sources"] = [{"id": "s1", "title": "Report", "url": "https://user:pass@evil.example/r"}]
    page = opened(graph_view(kg, DAY))
    p = page.page
    assert page.js("chokemap.nodes.get('scanner').label") == "\\u202eLMSA"
    # the search finds it by the name the zero-width character was hiding
    p.fill("#search-box", "ASML")
    p.press("#search-box", "Enter")
    assert page.js("chokemap.network.getSelectedNodes()") == ["scanner"]
    assert p.locator("#panel h2").text_content() == "\\u202eLMSA"
    assert "AS\\u200bML" in p.locator("#panel").inner_text()
    link = p.locator("#panel a").first
    assert (link.text_content() or "").endswith("evil.example") and "user" not in (link.text_content() or "")
    # what a reader types is shown escaped too
    p.fill("#search-box", "zz\u202ezz")
    p.press("#search-box", "Enter")
    assert "zz\\u202ezz" in (p.locator("#search-status").text_content() or "")
    page.clean()


ETO_EDGE = """@prefix cm: <https://chokemap.org/ns#> . @prefix cmi: <https://chokemap.org/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
cmi:eto-dataset a cm:Source ; rdfs:label "ETO dataset" .
cmi:scanner cm:suppliedBy [ cm:supplier cmi:memb ; cm:share 0.1 ; cm:source cmi:eto-dataset ] .
"""  # the one edge from ETO's dataset (its importer names its sources eto-*)


def test_eto_edges_dotted_in_the_legend_and_named_in_the_panel(opened: Any, tmp_path: Path) -> None:
    (tmp_path / "eto.ttl").write_text(ETO_EDGE, encoding="utf-8")
    view = graph_view(load([DATA / "tiny.ttl", tmp_path / "eto.ttl"]), DAY)
    page = opened(view)
    (eto,) = [e["id"] for e in view["edges"] if e["dataset"] == "ETO"]
    dashes = page.js("chokemap.edges.get().map(e => [e.id, e.dashes])")
    assert {i for i, d in dashes if d == [2, 6]} == {eto}
    assert "from ETO's dataset (1), dotted" in page.page.locator("#legend-edges").inner_text()
    x, y = page.point("scanner")
    page.page.mouse.click(x, y)
    hops = page.js("[...document.querySelectorAll('#panel li.hop')].map(li => li.textContent)")
    assert any("MemB" in h and "from ETO's dataset" in h for h in hops), hops
    assert any("ScannerCo" in h and "from the bundled graph" in h for h in hops), hops
    page.clean()
