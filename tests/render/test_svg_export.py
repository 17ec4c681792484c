"""The graph page's SVG button (templates/svg.js), in a real browser, offline.

The button saves what the reader sees as an SVG document from a Blob: the nodes and links
not hidden, at their current positions, in their colours and shapes, the labels the page
draws, under the title, the date and a sources line.  Hostile labels stay text (XML-escaped,
bidi controls written as \\uXXXX); the document has no script, no event attribute and no
link to anything outside itself.  No request, no console error: the CSP is unchanged.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from offline import NEEDS_BROWSER, OfflinePage, launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from chokemap.graph.io.load import load
from chokemap.graph.render.views import graph_view, write_html

pytestmark = [NEEDS_BROWSER]
DATA = Path(__file__).parents[1] / "data"
READY = "window.chokemap && window.chokemap.firstDraw !== null"
S = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched()


def _save(page: OfflinePage, scale: float = 1.2) -> tuple[str, ET.Element, str]:
    """Zoom to ``scale`` (node labels show from 9 px), click Save SVG: the downloaded
    document's text, its parsed root and its file name."""
    page.js("s => chokemap.network.moveTo({scale: s})", scale)
    with page.page.expect_download() as dl:
        page.page.click("#svg")
    path = dl.value.path()
    assert dl.value.url.startswith("blob:")
    text = Path(path).read_text(encoding="utf-8")
    assert text == page.js("chokemap.lastSvg")
    return text, ET.fromstring(text.split("\n", 1)[1]), dl.value.suggested_filename


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(S + "text")]


def test_svg_has_the_drawing_title_date_and_sources(browser: Browser, tmp_path: Path) -> None:
    kg = load([DATA / "tiny.ttl"])
    kg.g.nodes["scanner"]["label"] = "\u202eLMSA & <b>"
    view = graph_view(kg, dt.date(2024, 6, 1))
    page = OfflinePage(browser, write_html(view, tmp_path / "tiny.html"), (1400, 900), READY,
                       accept_downloads=True, reduced_motion="reduce")
    try:
        text, root, name = _save(page)
        assert name == "chokemap-graph-2024-06-01.svg"
        texts = _texts(root)
        assert texts[:2] == [view["title"], "Data as of 2024-06-01 \u00b7 drawn by chokemap \u00b7 18 nodes, 18 edges"]
        assert texts[2].startswith("Sources: ")
        # every node and link drawn, each node where the page has it
        shapes = {e.get("data-node"): e for e in root.iter() if e.get("data-node")}
        assert len(shapes) == 18 and len([e for e in root.iter() if e.get("data-edge")]) == 18
        dot = [e for e in shapes.values() if e.tag == S + "circle"][0]
        pos = page.js("id => chokemap.network.getPosition(id)", dot.get("data-node"))
        assert abs(float(dot.get("cx") or 0) - pos["x"]) < 0.01 and abs(float(dot.get("cy") or 0) - pos["y"]) < 0.01
        # the spoofed label: escaped for XML and with its bidi control visible
        assert "\\u202eLMSA & <b>" in texts and "\u202e" not in text and "<b>" not in text
        # hiding a class leaves it out of the next picture
        page.page.locator("#legend-classes label", has_text="Firm").locator("input").uncheck()
        _text, root2, _name = _save(page)
        assert len([e for e in root2.iter() if e.get("data-node")]) == 18 - 5
        page.clean()
    finally:
        page.close()


def test_hostile_labels_stay_text_in_the_svg(browser: Browser, tmp_path: Path) -> None:
    view = graph_view(load([DATA / "hostile.ttl"]), dt.date(2025, 6, 1))
    page = OfflinePage(browser, write_html(view, tmp_path / "hostile.html"), (1400, 900), READY,
                       accept_downloads=True, reduced_motion="reduce")
    try:
        _text, root, _name = _save(page)
        page.clean()
    finally:
        page.close()
    tags = {e.tag.replace(S, "") for e in root.iter()}
    assert tags <= {"svg", "title", "defs", "clipPath", "rect", "marker", "path", "text", "g", "circle", "polygon"}
    for e in root.iter():
        for k, v in e.attrib.items():
            assert not k.lower().startswith("on") and "href" not in k, (e.tag, k)
            assert "url(" not in v or v.startswith("url(#"), (e.tag, k, v)
    drawn = _texts(root)
    assert "</script><script>alert('chip')<\u2026" in drawn  # cut at 32 characters, as on the page
    assert "<img src=x onerror=alert('label\u2026 恶意公司<b>" in drawn
    assert '<a href="https://evil.example/">publisher</a>' in drawn[2]  # a source's publisher, as text
