"""One link rule on every page kind (templates/common.js), checked in a real browser, offline.

The graph, compare and timeline pages inline the same helper script, allowed by its hash in
each page's CSP: a source URL becomes a link only if it is an absolute http(s) URL with a
host; the link drops any user:password part and its text ends with the host; a
``javascript:`` or ``file:`` URL stays text.  The pages below get the hostile URLs raw in
their data (past the Python filter), so the browser's rule alone decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pytest
from offline import NEEDS_BROWSER, OfflinePage, launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.render import compare_page, timeline_page
from chokemap.graph.render.views import graph_view, write_html

pytestmark = [NEEDS_BROWSER]
URLS = ["javascript:alert(1)", "file:///etc/passwd", "https://user:pass@evil.example/r",
        "https://example.org/a", " JaVaScRiPt:alert(2)"]  # the compare page shows the first 4
#: The sources every page gets, raw: only the 3rd and 4th may become links.
SOURCES = [{"id": f"s{i}", "title": f"Source {i}", "publisher": "", "date": "", "url": u, "host": "",
            "secondary": False} for i, u in enumerate(URLS)]
#: What every page must link: the href (credentials dropped) and the host ending the text.
LINKED = [("https://evil.example/r", "evil.example"), ("https://example.org/a", "example.org")]
ANCHORS = """[...document.querySelectorAll('a')].map(a => [a.href, a.textContent, a.rel])"""
#: Only the anchors of SOURCES (the graph page also lists its edges' own sources).
MINE = """[...document.querySelectorAll('a')].filter(a => a.textContent.startsWith('Source '))
          .map(a => [a.href, a.textContent, a.rel])"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched()


def _graph_page(tmp: Path, tiny: KnowledgeGraph) -> Path:
    view = graph_view(tiny, dt.date(2024, 6, 1))
    view["nodes"][0]["sources"] = SOURCES
    return write_html(view, tmp / "graph.html")


def _compare_page(tmp: Path) -> Path:
    side = {"available": True, "conditions": [], "blocked_by": [], "chokepoints": [], "total": 0}
    res = {"a": {"id": "a", "label": "A", "type": "Chip"}, "b": {"id": "b", "label": "B", "type": "Chip"},
           "as_of": "2025-01-01", "buyer": None, "attributes": [], "claims": [], "direct": [],
           "dependencies": {"shared": [], "only_a": [], "only_b": []}, "shared_chokepoints": [],
           "chokepoints": {"a": side, "b": dict(side)}}
    view = compare_page.compare_view(res)
    view["columns"][0]["claims"] = [{"label": "claim", "status": "", "note": "", "sources": SOURCES}]
    return compare_page.write_html(view, tmp / "compare.html")


def _timeline_page(tmp: Path) -> Path:
    g = nx.MultiDiGraph()
    g.add_node("chip", type="Chip", label="Chip")
    view = timeline_page.timeline_view(KnowledgeGraph(g, {}), ["chip"], None, dt.date(2025, 1, 1),
                                       dt.date(2025, 12, 31))
    view["lanes"][0]["intervals"][0]["events"] = [{"date": "2025-01-01", "text": "launch", "sources": SOURCES}]
    return timeline_page.write_html(view, tmp / "timeline.html")


def _anchors(browser: Browser, path: Path, ready: str, show: str) -> tuple[Any, Any]:
    """The page's anchors after ``show`` ran, and what the shared helper makes of each URL."""
    page = OfflinePage(browser, path, (1000, 800), ready)
    try:
        page.js(show)
        kit = page.js("urls => urls.map(u => chokemapKit.linkOrText('T', u).outerHTML)", URLS)
        everyone = page.js(ANCHORS)
        assert all(a[0].startswith(("https:", "http:")) for a in everyone), everyone
        anchors = page.js(MINE)
        page.clean()
    finally:
        page.close()
    return anchors, kit


def test_every_page_kind_links_sources_by_the_same_rule(browser: Browser, tmp_path: Path,
                                                         tiny: KnowledgeGraph) -> None:
    graph = _anchors(browser, _graph_page(tmp_path, tiny), "window.chokemap && window.chokemap.firstDraw !== null",
                     "chokemap.select(chokemap.view.nodes[0].id)")
    compare = _anchors(browser, _compare_page(tmp_path), "document.body.dataset.drawn === '1'", "0")
    timeline = _anchors(browser, _timeline_page(tmp_path), "window.chokemap && window.chokemap.drawn",
                        "document.querySelector('.iv').click()")
    # one helper: the same element for each URL on every page
    assert graph[1] == compare[1] == timeline[1]
    assert graph[1][0] == ('<span class="source-link"><span>T</span>'
                           '<span class="raw-url"> javascript:alert(1) (not a web link)</span></span>')
    for anchors, _kit in (graph, compare, timeline):
        assert [a[0] for a in anchors] == [href for href, _host in LINKED]
        for (href, host), (_h, text, rel) in zip(LINKED, anchors, strict=True):
            assert text.endswith("\u2014 " + host) and rel == "noopener noreferrer", (href, text)
