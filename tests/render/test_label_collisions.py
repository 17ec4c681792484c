"""Labels at the default zoom (templates/labels.js): on the chokepoints page of the bundled
graph, the labels drawn do not overlap one another, and the top 10 of each section keep
theirs at 10 px or more on screen; zoomed in on a small page, where every label is drawn,
none overlaps another either.  Measured in a real browser, offline, from
the boxes vis-network drew (its label size, moved by the label's ``vadjust``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from offline import NEEDS_BROWSER, OfflinePage, launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.render.views import graph_view, make_view, write_html

pytestmark = [NEEDS_BROWSER]
READY = "window.chokemap && window.chokemap.firstDraw !== null"
#: Screen boxes of the labels drawn (vis-network draws them from the page's threshold, 9 px, less 1 px).
BOXES = """() => { const n = chokemap.network; const out = {};
  chokemap.view.nodes.filter(v => chokemap.labelPx(v.id) >= 8).forEach(v => {
    const b = n.body.nodes[v.id], s = b.labelModule.size, dy = b.labelModule.fontOptions.vadjust || 0;
    const a = n.canvasToDOM({x: s.left, y: s.top + dy}), c = n.canvasToDOM({x: s.left + s.width, y: s.top + s.height + dy});
    out[v.id] = {x0: a.x, y0: a.y, x1: c.x, y1: c.y, px: chokemap.labelPx(v.id), rank: v.rank || 0}; });
  return out; }"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched()


@pytest.fixture(scope="module")
def chokepoints_page(tmp_path_factory: pytest.TempPathFactory, bundled: KnowledgeGraph) -> Path:
    view = make_view(bundled, chokepoints=True, date=dt.date(2026, 2, 1))
    return write_html(view, tmp_path_factory.mktemp("labels") / "chokepoints.html")


def _boxes(browser: Browser, path: Path, size: tuple[int, int], scale: float | None = None) -> dict[str, Any]:
    page = OfflinePage(browser, path, size, READY, reduced_motion="reduce")
    try:
        if scale:
            page.js("s => chokemap.network.moveTo({scale: s})", scale)
        page.page.wait_for_timeout(200)
        boxes: dict[str, Any] = page.js(BOXES)
        page.clean()
    finally:
        page.close()
    return boxes


def _overlapping(boxes: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i, j) for i, j in combinations(sorted(boxes), 2)
            if boxes[i]["x0"] < boxes[j]["x1"] and boxes[j]["x0"] < boxes[i]["x1"]
            and boxes[i]["y0"] < boxes[j]["y1"] and boxes[j]["y0"] < boxes[i]["y1"]]


def test_kept_labels_do_not_overlap_at_the_default_zoom(browser: Browser, chokepoints_page: Path) -> None:
    boxes = _boxes(browser, chokepoints_page, (1400, 900))
    top = {k: b for k, b in boxes.items() if 0 < b["rank"] <= 10}
    assert len(top) == 20  # the top 10 actors and the top 10 items, all drawn
    assert all(b["px"] >= 10 for b in top.values()), {k: b["px"] for k, b in top.items()}
    assert _overlapping(boxes) == []


def test_no_label_overlaps_another_zoomed_in(browser: Browser, tmp_path: Path, tiny: KnowledgeGraph) -> None:
    path = write_html(graph_view(tiny, dt.date(2024, 6, 1)), tmp_path / "tiny.html")
    boxes = _boxes(browser, path, (1400, 900), scale=1.0)
    assert len(boxes) >= 9  # most of the 18 labels are drawn at this zoom
    assert _overlapping(boxes) == []


@pytest.mark.slow
def test_top_labels_stay_readable_on_a_phone(browser: Browser, chokepoints_page: Path) -> None:
    boxes = _boxes(browser, chokepoints_page, (390, 844))
    top = {k: b for k, b in boxes.items() if 0 < b["rank"] <= 10}
    assert len(top) == 20 and all(b["px"] >= 10 for b in top.values())


def test_the_greedy_pass_moves_stacked_labels_apart(browser: Browser) -> None:
    """Three labels of one size on three nodes closer than a line: the first stays, the others move."""
    script = (Path(__file__).parents[2] / "graph" / "render" / "templates" / "labels.js").read_text(encoding="utf-8")
    page = browser.new_page()
    try:
        page.add_script_tag(content=script)
        out = page.evaluate("""() => {
          const items = [0, 1, 2].map(i => ({id: 'n' + i, x: 0, y: 10 * i, w: 100, wcut: 50, f: 14, half: 5,
                                           must: i < 2, small: 0.8}));
          const res = chokemapLabels.place(items, 1, []);
          const box = (t, r) => ({x0: -t.w / 2, x1: t.w / 2, y0: t.y + t.half + t.f / 2 + 4 + r.dy,
                                 y1: t.y + t.half + 1.5 * t.f + 4 + r.dy});
          const kept = items.filter(t => res[t.id].keep).map(t => box(t, res[t.id]));
          let clash = 0;
          kept.forEach((a, i) => kept.slice(i + 1).forEach(b => { clash += chokemapLabels.overlap(a, b) > 0; }));
          return {res, clash};
        }""")
    finally:
        page.close()
    assert out["res"]["n0"]["dy"] == 0 and out["res"]["n0"]["keep"]
    assert out["res"]["n1"]["keep"] and out["res"]["n1"]["dy"] != 0
    assert out["clash"] == 0
