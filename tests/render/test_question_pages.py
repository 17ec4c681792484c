"""The question pages of ``chokemap view``: --upstream, --downstream, --whatif, --compare,
--diff and --available.

Each page's JSON twin (``view ... --json``) agrees with its command's ``--json``; bad input
is a one-line error; each page kind opens offline in Chromium at 390x844 with no request
and no console error, its main element visible (one browser for the module); the pages
that draw a graph, at 1400x900 and 390x844, keep their promised labels readable, their
ranked list synced, and a link (the URL fragment) reopens a selection.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from offline import CHROMIUM, launched

import cli

HOSTILE = str(Path(__file__).parents[1] / "data" / "hostile.ttl")
DAY = "2026-02-01"

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

def run(*args: str) -> Any:
    return CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)


def as_json(*args: str) -> Any:
    res = run(*args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


# --------------------------------------------------------------------------- JSON twins


@pytest.mark.parametrize("direction", ["upstream", "downstream"])
def test_tree_page_draws_what_the_command_lists(direction: str) -> None:
    name = "H200" if direction == "upstream" else "ASML"
    tree = as_json(direction, name, "--depth", "2", "--as-of", DAY)
    page = as_json("view", f"--{direction}", name, "--depth", "2", "--as-of", DAY)
    want = {tree["root"]["id"]} | {n["id"] for n in tree["nodes"] + tree["context"]}
    assert {n["id"] for n in page["nodes"]} == want
    drawn = {(e["from"], e["to"], e["type"]) for e in page["edges"]}
    assert {(e["from"], e["to"], e["type"]) for e in tree["edges"]} <= drawn
    focus = [n["id"] for n in page["nodes"] if n["role"] == "focus"]
    assert focus == [tree["root"]["id"]]
    assert page["view"] == direction and page["ranking"] is not None


def test_whatif_page_agrees_with_whatif_on_what_is_lost() -> None:
    cmd = as_json("whatif", "--embargo", "NL:CN", "--buyer", "CN", "--as-of", DAY)
    page = as_json("view", "--whatif", "--embargo", "NL:CN", "--buyer", "CN", "--as-of", DAY)
    lost = sorted(r["id"] for r in cmd["lost"])
    assert lost, "the embargo loses something in the bundled data"
    assert sorted(c["id"] for c in page["changes"] if c["change"] == "lost") == lost
    assert sorted(n["id"] for n in page["nodes"] if n.get("change") == "lost") == lost
    assert page["whatif"]["lost"] == cmd["lost"]
    reasons = {r["id"]: r["reason"] for r in cmd["lost"]}
    assert all(n["reason"] == reasons[n["id"]] for n in page["nodes"] if n.get("change") == "lost")
    # class stays in shape and fill; the change is the border
    n = next(n for n in page["nodes"] if n.get("change") == "lost")
    assert n["border"] == "#c0392b" and n["dashes"] is True
    assert [c["change"] for c in page["legend"]["changes"]][:2] == ["lost", "gained"]


def test_compare_page_carries_compare_records() -> None:
    cmd = as_json("compare", "H20", "H200", "--buyer", "CN", "--as-of", DAY)
    page = as_json("view", "--compare", "H20", "H200", "--buyer", "CN", "--as-of", DAY)
    assert page["view"] == "compare"
    for key in ("a", "b", "attributes", "claims", "dependencies", "as_of", "buyer"):
        assert page["compare"][key] == cmd[key], key
    assert page["compare"]["chokepoints"]["a"]["available"] == cmd["chokepoints"]["a"]["available"]


def test_diff_page_agrees_with_diff() -> None:
    cmd = as_json("diff", "--from", "2025-01-01", "--to", DAY, "--buyer", "CN")
    page = as_json("view", "--diff", "2025-01-01", DAY, "--buyer", "CN")
    for change in ("lost", "gained", "conditions_changed"):
        want = sorted(r["id"] for r in cmd[change])
        assert sorted(c["id"] for c in page["changes"] if c["change"] == change) == want, change
        assert sorted(n["id"] for n in page["nodes"] if n.get("change") == change) == want, change
    assert page["diff"]["gained"] == cmd["gained"]
    causes = {n["id"] for n in page["nodes"] if n.get("change") == "cause"}
    assert causes <= {p["id"] for p in cmd["policies_started"] + cmd["policies_ended"]}


def test_available_page_agrees_with_available() -> None:
    cmd = as_json("available", "H200", "H20", "--buyer", "CN", "--as-of", DAY)
    page = as_json("view", "--available", "H200", "H20", "--buyer", "CN", "--as-of", DAY)
    want = {a["id"]: "unavailable" if not a["available"] else "conditions" if a["conditions"] else "available"
            for a in cmd}
    assert {s["id"]: s["state"] for s in page["states"]} == want
    assert {n["id"]: n["change"] for n in page["nodes"] if n["id"] in want} == want
    assert page["available"] == cmd


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("args", "code", "text"), [
    (["view", "--upstream", "H200", "--focus", "ASML"], 2, "Error: --focus: not for --upstream"),
    (["view", "--upstream", "H200", "--downstream", "ASML"], 2, "--upstream and --downstream are different pages"),
    (["view", "--whatif", "--buyer", "CN"], 2, "nothing to change: give --remove, --embargo or --lift"),
    (["view", "--remove", "ASML"], 2, "--remove, --embargo and --lift go with --whatif"),
    (["view", "--whatif", "--embargo", "NL"], 2, "write GOVERNMENT:COUNTRY"),
    (["view", "--compare", "H200", "H200"], 2, "compare needs two different items"),
    (["view", "--compare", "H200", "ASML", "--depth", "2"], 2, "--depth: not for --compare"),
    (["view", "--upstream", "Nowhere Chip Xyz"], 1, "no entity"),
    (["view", "--diff", "2026-01-01", "2025-01-01"], 2, "the first date is after the second"),
    (["view", "--diff", "2026-13-01", "2027-01-01"], 2, "write a date as YYYY-MM-DD"),
    (["view", "--available", "--buyer", "CN"], 2, "--available needs ITEM..."),
    (["view", "--available", "H200", "--depth", "2"], 2, "--depth: not for --available"),
])
def test_bad_input_is_one_line(args: list[str], code: int, text: str) -> None:
    res = run(*args)
    assert res.exit_code == code, res.output
    last = res.output.strip().splitlines()[-1]
    assert text in last and "Traceback" not in res.output


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("chromium or playwright is missing")
    yield from launched()


def _open(browser: Browser, path: Path, ready: str, main: str, size: tuple[int, int] = (390, 844)) -> Any:
    """Open ``path`` offline (at 390x844 unless ``size``): no request, no console error,
    ``main`` visible; returns the texts of ``main``'s headings."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    requests: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog " + d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    page.wait_for_function(ready, timeout=30_000)
    box = page.locator(main).bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 200, box
    assert page.locator(main).is_visible()
    texts = page.evaluate("(m) => [...document.querySelectorAll(m + ' h2, h1')].map(e => e.textContent)", main)
    links = page.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
    ctx.close()
    assert requests == [] and errors == []
    assert all(u.startswith(("http:", "https:")) for u in links), links
    return texts


_GRAPH_READY = "window.chokemap && window.chokemap.firstDraw !== null"


@pytest.mark.parametrize(("args", "ready", "main"), [
    (["--upstream", "H200", "--depth", "2"], _GRAPH_READY, "#graph"),
    (["--whatif", "--embargo", "NL:CN", "--buyer", "CN"], _GRAPH_READY, "#graph"),
    (["--compare", "H20", "H200", "--buyer", "CN"], "document.body.dataset.drawn === '1'", "#columns"),
    (["--available", "H200", "H20", "--buyer", "CN"], _GRAPH_READY, "#graph"),
])
def test_page_in_browser_at_390(browser: Browser, tmp_path: Path, args: list[str], ready: str, main: str) -> None:
    out = tmp_path / "page.html"
    res = run("view", *args, "--as-of", DAY, "-o", str(out))
    assert res.exit_code == 0, res.output
    _open(browser, out, ready, main)


def test_diff_page_in_browser_at_390(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "diff.html"
    res = run("view", "--diff", "2025-01-01", DAY, "--buyer", "CN", "-o", str(out))
    assert res.exit_code == 0, res.output
    _open(browser, out, _GRAPH_READY, "#graph")


def test_compare_page_in_browser_at_1400(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "compare.html"
    res = run("view", "--compare", "H20", "H200", "--buyer", "CN", "--as-of", DAY, "-o", str(out))
    assert res.exit_code == 0, res.output
    texts = _open(browser, out, "document.body.dataset.drawn === '1'", "#columns", (1400, 900))
    assert texts


def test_hostile_labels_stay_text_on_the_compare_page(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    res = run("--data", HOSTILE, "view", "--compare", "xss-chip", "scan", "--as-of", "2025-06-01", "-o", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert html.lower().count("</script") == 3 and "<img src=x" not in html
    texts = _open(browser, out, "document.body.dataset.drawn === '1'", "#columns")
    assert "</script><script>alert('chip')</script>" in texts
    assert 'Scanner "quoted" & <tagged>' in texts


# --------------------------------------------------------------------------- both sizes, like the other kinds

_QUESTION_GRAPHS = {
    "upstream": ["--upstream", "H200", "--depth", "2"],
    "whatif": ["--whatif", "--embargo", "NL:CN", "--buyer", "CN", "--as-of", DAY],
    "available": ["--available", "H200", "H20", "--buyer", "CN", "--as-of", DAY],
    "diff": ["--diff", "2025-01-01", DAY, "--buyer", "CN"],
}
_SIZES = {"desktop": (1400, 900), "phone": (390, 844)}


def _question_cases() -> list[Any]:
    """Every graph-drawing question page at both sizes; on a phone, one kind in the README's
    command and the others in the slow step (each opens a whole page in chromium)."""
    return [pytest.param(kind, size, marks=[] if size == "desktop" or kind == "upstream" else [pytest.mark.slow],
                         id=f"{kind}-{size}") for kind in _QUESTION_GRAPHS for size in _SIZES]


@pytest.mark.parametrize(("kind", "size"), _question_cases())
def test_question_page_readable_synced_and_linkable(browser: Browser, tmp_path: Path, kind: str, size: str) -> None:
    from offline import OfflinePage

    args = _QUESTION_GRAPHS[kind]
    view = as_json("view", *args)
    out = tmp_path / f"{kind}.html"
    assert run("view", *args, "-o", str(out)).exit_code == 0
    page = OfflinePage(browser, out, _SIZES[size], _GRAPH_READY, reduced_motion="reduce")
    p = page.page
    # the ten labels the page is most about (top-ranked, the focus, the ends, what changed
    # most) are readable at the first zoom; the other labels give way where they would collide
    keep = [n["id"] for n in view["nodes"] if n.get("show_label")]
    ends = sum(n.get("role") in ("target", "end") for n in view["nodes"])
    must = [n["id"] for n in view["nodes"] if n.get("show_label") and (
        n.get("role") == "focus" or n.get("must_label") or 0 < (n.get("rank") or 0) <= 10
        or (ends <= 10 and n.get("role") in ("target", "end")))]
    assert must and all(page.js("id => chokemap.labelPx(id)", n) >= 10 for n in must), [
        (n, page.js("id => chokemap.labelPx(id)", n)) for n in must]
    # the ranked list, where the question ranks anything, is there and selects its node
    assert p.locator("#ranking-lists li").count() == len(view["ranking"])
    if view["ranking"] and size == "desktop":
        first = view["ranking"][0]["id"]
        p.locator(f"#ranking-lists button[data-id='{first}']").click()
        assert page.js("chokemap.network.getSelectedNodes()") == [first]
    # a link keeps the selection: select a node, reload, the same node is selected
    node = keep[-1]
    page.js("id => { chokemap.network.focus(id, {scale: 1.5}); }", node)
    box = p.locator("#graph").bounding_box()
    assert box is not None
    at = page.js("id => { const n = chokemap.network; return n.canvasToDOM(n.getPosition(id)); }", node)
    if size == "phone" and not page.js("document.getElementById('side').classList.contains('collapsed')"):
        p.click("#sheet-toggle")
    p.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    assert page.js("chokemap.network.getSelectedNodes()") == [node]
    assert f"sel={node}" in page.js("location.hash")
    p.reload()
    p.wait_for_function(_GRAPH_READY)
    assert page.js("chokemap.network.getSelectedNodes()") == [node]
    page.clean()
    page.close()
