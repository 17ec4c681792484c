"""The timeline page (graph/render/timeline_page.py): its JSON twin, its HTML, the command,
and a real browser (Debian's chromium driven by Playwright, offline) at 1400x900 and 390x844.

The JSON lanes are the records of ``chokemap timeline`` (the same intervals, states and
events); the browser draws one lane per item, one bar per interval, shows the events and
sources of a bar on click, makes no request and logs no error; hostile labels stay text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from offline import NEEDS_BROWSER, OfflinePage, launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.timeline import timeline
from chokemap.graph.io.load import load
from chokemap.graph.render.timeline_page import from_records, timeline_view, to_html, write_html

DATA = Path(__file__).parents[1] / "data"
D = dt.date.fromisoformat
H200_RANGE = (D("2025-01-01"), D("2026-12-31"))

# xss-chip of hostile.ttl launched on 2024-09-01, cited by the hostile source (javascript: URL,
# markup in its title and publisher) and the fair one.  Expected for any buyer, 2024-06-01 to
# 2025-06-01: not launched to 2024-08-31, then available, opened by the launch.
LAUNCH = """\
@prefix cm:  <https://chokemap.org/ns#> .
@prefix cmi: <https://chokemap.org/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
cmi:xss-chip cm:launch [ cm:date "2024-09-01"^^xsd:date ; cm:source cmi:src-evil , cmi:src-ok ] .
"""


@pytest.fixture(scope="module")
def records(bundled: KnowledgeGraph) -> list[dict[str, Any]]:
    """What ``chokemap timeline H200 H20 --buyer CN --from 2025-01-01 --to 2026-12-31 --json`` prints."""
    return [timeline(bundled, item, "cn", *H200_RANGE) for item in ("h200", "h20")]


@pytest.fixture(scope="module")
def h200(bundled: KnowledgeGraph, records: list[dict[str, Any]]) -> dict[str, Any]:
    return from_records(bundled, records)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    extra = tmp_path_factory.mktemp("hostile") / "launch.ttl"
    extra.write_text(LAUNCH, encoding="utf-8")
    kg = load([DATA / "hostile.ttl", extra])
    return timeline_view(kg, ["xss-chip"], None, D("2024-06-01"), D("2025-06-01"))


# --------------------------------------------------------------------------- the JSON


def test_the_lanes_are_the_timeline_records(bundled: KnowledgeGraph, records: list[dict[str, Any]],
                                            h200: dict[str, Any]) -> None:
    assert [lane["id"] for lane in h200["lanes"]] == ["h200", "h20"]
    assert h200["title"] == "Since when: NVIDIA H200, NVIDIA H20 for China, 2025-01-01 to 2026-12-31"
    for lane, rec in zip(h200["lanes"], records, strict=True):
        assert {k: v for k, v in lane.items() if k not in ("intervals", "events", "expected")} == {
            k: v for k, v in rec.items() if k not in ("intervals", "events", "expected")}
        assert [(iv["from"], iv["to"], iv["state"], iv["confirmed"]) for iv in lane["intervals"]] == [
            (iv["from"], iv["to"], iv["state"], iv["confirmed"]) for iv in rec["intervals"]]
        assert [[e["id"] for e in iv["events"]] for iv in lane["intervals"]] == [
            [e["id"] for e in iv["events"]] for iv in rec["intervals"]]
    assert h200["data_as_of"] == bundled.data_as_of.isoformat()
    assert [s["state"] for s in h200["states"]] == ["not_launched", "unavailable", "conditions", "available"]


def test_every_policy_behind_a_state_has_its_sources(h200: dict[str, Any]) -> None:
    behind = {c["policy"] for lane in h200["lanes"] for iv in lane["intervals"]
              for c in iv["conditions"] + iv["blocked_by"] if c.get("policy")}
    assert behind and behind <= set(h200["policies"])
    customs = h200["policies"]["pol-cn-2026-01-h200-customs-block"]
    assert customs["kind"] == "ImportBan"
    assert {s["host"] for s in customs["sources"]} == {"technewsday.com", "www.tradingpedia.com"}


def test_unsafe_urls_are_kept_as_text_never_as_links(hostile: dict[str, Any]) -> None:
    lane = hostile["lanes"][0]
    assert [(iv["from"], iv["state"]) for iv in lane["intervals"]] == [
        ("2024-06-01", "not_launched"), ("2024-09-01", "available")]
    (launch,) = lane["intervals"][1]["events"]
    srcs = {s["id"]: s for s in launch["sources"]}
    assert srcs["src-evil"]["href"] == "" and srcs["src-evil"]["url"] == "javascript:alert('source url')"
    assert srcs["src-ok"]["host"] == "example.org"


def test_the_html_is_offline_and_carries_no_markup_from_data(hostile: dict[str, Any]) -> None:
    html = to_html(hostile)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "default-src 'none'" in unescape(csp.group(1)) and "http" not in csp.group(1)
    assert "<script>alert(" not in html and "<svg onload" not in html and "<img src=x" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    block = re.search(r'<script type="application/json" id="chokemap-data">(.*?)</script>', html, re.S)
    assert block and "<" not in block.group(1)
    assert json.loads(block.group(1)) == json.loads(json.dumps(hostile))


# --------------------------------------------------------------------------- the command


def _run(args: list[str], cwd: Path) -> Any:
    import cli

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli.cli, ["--no-cache", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_the_command_writes_the_page_and_its_json(tmp_path: Path) -> None:
    args = ["--data", str(DATA / "timeline.ttl"), "view", "--timeline", "Chip", "--buyer", "HK",
            "--from", "2021-01-01", "--to", "2026-03-31"]
    res = _run(args, tmp_path)
    assert res.exit_code == 0, res.output
    out = tmp_path / "chokemap-timeline-chip-for-hk.html"
    assert res.output.startswith(f"Wrote {out.resolve()} (1 lane, ")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    page = json.loads(_run([*args, "--json"], tmp_path).output)
    text = json.loads(_run(args[:2] + ["timeline", "Chip", "--buyer", "HK", "--from", "2021-01-01",
                                       "--to", "2026-03-31", "--json"], tmp_path).output)
    assert [iv["state"] for iv in page["lanes"][0]["intervals"]] == [iv["state"] for iv in text[0]["intervals"]]


@pytest.mark.parametrize(("args", "text"), [
    (["view", "Chip"], "go with --timeline"),
    (["view", "--timeline", "--buyer", "HK"], "go with --timeline"),
    (["view", "--timeline", "Chip", "--focus", "Chip"], "--focus: not for --timeline"),
    (["view", "--timeline", "Chip", "--from", "2025-01-01", "--to", "2024-01-01"], "give the earlier date first"),
])
def test_the_command_refuses_bad_input(tmp_path: Path, args: list[str], text: str) -> None:
    res = _run(["--data", str(DATA / "timeline.ttl"), *args], tmp_path)
    assert res.exit_code == 2 and text in res.output and not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- in a browser

needs_browser = NEEDS_BROWSER
SIZES = [(1400, 900), (390, 844)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched()


class Opened(OfflinePage):
    """A timeline page opened offline at a size; actions time out after 5 s."""

    def __init__(self, browser: Browser, path: Path, size: tuple[int, int]) -> None:
        super().__init__(browser, path, size, "window.chokemap && window.chokemap.drawn", timeout_ms=30_000)
        self.page.set_default_timeout(5_000)


@pytest.fixture
def opened(browser: Browser, tmp_path: Path) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_view(view: dict[str, Any], size: tuple[int, int]) -> Opened:
        page = Opened(browser, write_html(view, tmp_path / "timeline.html"), size)
        pages.append(page)
        return page

    yield open_view
    for p in pages:
        p.close()


@needs_browser
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_h200_page_draws_the_states_and_a_click_shows_events_and_sources(opened: Any, h200: dict[str, Any],
                                                        size: tuple[int, int]) -> None:
    page = opened(h200, size)
    assert page.js("document.querySelectorAll('.lane').length") == 2
    drawn = page.js("""[...document.querySelectorAll('.lane')].map(l =>
        [...l.querySelectorAll('button.iv')].map(b => b.getAttribute('aria-label')))""")
    for lane, labels in zip(h200["lanes"], drawn, strict=True):
        assert len(labels) == len(lane["intervals"])
        for iv, label in zip(lane["intervals"], labels, strict=True):
            when = iv["from"] if iv["from"] == iv["to"] else f"{iv['from']} to {iv['to']}"
            assert label.startswith(f"{lane['label']}, {when}: {iv['state_label']}")
    # nothing wider than the window: the lanes stack, the panel goes below on a phone
    assert page.js("document.documentElement.scrollWidth") <= size[0]
    panel, chart = page.js("[document.getElementById('panel'), document.getElementById('chart')]"
                           ".map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top]; })")
    assert (panel[1] > chart[1]) if size[0] < 760 else (panel[0] > chart[0])
    assert page.js("document.querySelectorAll('.horizon').length") == 3  # the axis and each lane
    # hover, then click the day the customs block came in: its events, their sources as links
    k = next(i for i, iv in enumerate(h200["lanes"][0]["intervals"]) if iv["from"] == "2026-01-14")
    bar = page.page.locator(".lane").first.locator("button.iv").nth(k)
    bar.hover()
    assert "Chinese customs block H200 imports (Jan 2026) in force" in page.page.locator("#tip").inner_text()
    bar.click()
    body = page.page.locator("#panel-body")
    assert body.locator("h2").text_content() == "NVIDIA H200"
    assert "Chinese customs block H200 imports (Jan 2026) in force" in body.inner_text()
    links = page.js("""[...document.querySelectorAll('#panel-body a')].map(a =>
        ({href: a.href, rel: a.rel, host: a.textContent}))""")
    tech = [a for a in links if a["href"].startswith("https://technewsday.com/")]
    assert tech and tech[0]["rel"] == "noopener noreferrer" and tech[0]["host"].endswith("technewsday.com")
    page.clean()


@needs_browser
def test_hostile_labels_stay_text(opened: Any, hostile: dict[str, Any]) -> None:
    page = opened(hostile, SIZES[0])
    lane = hostile["lanes"][0]
    assert page.page.locator(".lane .lane-label").inner_text().startswith(lane["label"])
    page.page.locator("button.iv").nth(1).click()
    body = page.page.locator("#panel-body")
    assert body.locator("h2").text_content() == lane["label"]
    text = body.inner_text()
    assert "<svg onload=alert('source title')>" in text and "javascript:alert('source url')" in text
    hrefs = page.js("[...document.querySelectorAll('a')].map(a => a.href)")
    assert hrefs and all(h.startswith("https://example.org/report") for h in hrefs)
    assert page.js("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert page.js("document.querySelectorAll('script').length") == 3  # the JSON block, common.js, the page's own
    page.clean()

