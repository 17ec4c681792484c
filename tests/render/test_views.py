"""HTML views: what the page says, read with an HTML parser (no browser needed).

The browser tests (tests/render/test_views_browser.py) check what only a browser shows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chokemap.graph.core.errors import UnknownEntity, UsageError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.io.load import load
from chokemap.graph.render.views import (
    chokepoint_view,
    default_name,
    focus_view,
    graph_view,
    layered_layout,
    make_view,
    path_view,
    safe_url,
    script_json,
    to_html,
    to_json,
    write_html,
)

DATA = Path(__file__).parents[1] / "data"
DAY = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def hostile() -> KnowledgeGraph:
    """tests/data/hostile.ttl: hostile text everywhere a page shows text."""
    return load([DATA / "hostile.ttl"])


class Page(HTMLParser):
    """Collects tags, attributes, text of elements and the contents of script/style elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, dict[str, str | None]]] = []
        self._buf: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("script", "style", "title", "h1"):
            self._open.append((tag, a))
            self._buf = []

    def handle_data(self, data: str) -> None:
        self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _t, a = self._open.pop()
            body = "".join(self._buf)
            if tag == "script":
                self.scripts.append((a, body))
            elif tag == "style":
                self.styles.append(body)
            else:
                self.text[tag] = body

    def data(self) -> dict[str, Any]:
        blocks = [body for a, body in self.scripts if a.get("type") == "application/json"]
        assert len(blocks) == 1
        return json.loads(blocks[0])  # type: ignore[no-any-return]

    def csp(self) -> str:
        metas = [a for t, a in self.tags if t == "meta" and (a.get("http-equiv") or "").lower()
                 == "content-security-policy"]
        assert len(metas) == 1
        return metas[0]["content"] or ""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# --------------------------------------------------------------------------- the page


def test_page_is_self_contained_and_locked_down(tiny: KnowledgeGraph) -> None:
    html = to_html(graph_view(tiny, DAY))
    page = Page(html)
    csp = page.csp()
    rules = dict(rule.strip().split(" ", 1) for rule in csp.split(";"))
    assert rules["default-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    # every executable script and every style is allowed by its hash, and nothing else is
    code = [body for a, body in page.scripts if a.get("type") != "application/json"]
    assert len(code) == 5 and all(not a.get("src") for a, _b in page.scripts)
    assert sorted(rules["script-src"].split()) == sorted(sha(c) for c in code)
    assert sorted(rules["style-src"].split()) == sorted(sha(s) for s in page.styles)
    # nothing in the markup loads or links anything
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "a"), tag
        for name, value in attrs.items():
            assert name not in ("src", "href", "srcset", "action") and not name.startswith("on"), (tag, name)
            assert "url(" not in (value or "")
    assert not re.search(r"""url\(\s*(?!['"]?data:)""", "".join(page.styles))
    assert "@import" not in "".join(page.styles)


def test_data_block_has_the_view(tiny: KnowledgeGraph) -> None:
    view = graph_view(tiny, DAY)
    page = Page(to_html(view))
    data = page.data()
    assert data["view"] == json.loads(to_json(view))
    # tiny.ttl on 2024-06-01: 18 entities (the US ban starts in 2025, the Korean licence in 2026)
    assert view["counts"] == {"nodes": 18, "edges": 18}
    assert len(data["view"]["nodes"]) == 18 and len(data["view"]["edges"]) == 18
    assert data["options"]["physics"] == {"enabled": False}
    assert page.text["title"] == "The whole graph, as of 2024-06-01 · chokemap"
    assert page.text["h1"] == "The whole graph, as of 2024-06-01"


def test_policies_count_only_while_in_force(tiny: KnowledgeGraph) -> None:
    ids = {n["id"] for n in graph_view(tiny, DAY)["nodes"]}
    assert "pol-us-ban" not in ids and "pol-kr-licence" not in ids
    ids = {n["id"] for n in graph_view(tiny, dt.date(2026, 2, 1))["nodes"]}
    assert {"pol-us-ban", "pol-kr-licence"} <= ids


def test_hostile_text_is_escaped_everywhere(hostile: KnowledgeGraph) -> None:
    view = make_view(hostile, focus="evil", depth=2, date=dt.date(2025, 6, 1))
    html = to_html(view)
    page = Page(html)
    # the only elements are the template's own: nothing was injected
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "form", "label",
               "input", "datalist", "button", "span", "main", "div", "aside", "footer", "fieldset",
               "legend", "script", "section", "h2"}
    assert {t for t, _a in page.tags} <= allowed
    assert len(page.scripts) == 6 and html.lower().count("</script") == 6
    # the title shows the hostile label as text
    assert page.text["h1"] == "What is around <img src=x onerror=alert('label')> (2 links deep), as of 2025-06-01"
    assert "<img src=x" not in html and "<svg" not in html and "<iframe" not in html
    block = next(body for a, body in page.scripts if a.get("type") == "application/json")
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c/script\\u003e" in block and "\\u0026" in block
    nodes = {n["id"]: n for n in page.data()["view"]["nodes"]}
    assert nodes["evil"]["label"] == "<img src=x onerror=alert('label')>"
    assert nodes["xss-chip"]["label"] == "</script><script>alert('chip')</script>"
    assert "</script><script>alert('alias')</script>" in nodes["evil"]["aliases"]
    assert "\u2028" in nodes["xss-chip"]["description"]
    # a javascript: URL never becomes a link; the fair https one stays
    urls = {s["id"]: s["url"] for e in page.data()["view"]["edges"] for s in e["sources"]}
    assert urls == {"src-evil": "", "src-ok": 'https://example.org/report?a=1&b="2"'}


def test_script_json_round_trips_every_character() -> None:
    value = {"s": "</script><!-- & > \u2028\u2029 \"q\" 'a' \\ 昇腾"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


@pytest.mark.parametrize(("url", "ok"), [
    ("https://example.org/x", True), ("http://example.org", True), ("HTTPS://EXAMPLE.ORG", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("data:text/html,x", False),
    ("//example.org", False), ("ftp://example.org", False), ("", False), ("https:///x", False),
])
def test_safe_url(url: str, ok: bool) -> None:
    assert (safe_url(url) != "") is ok


# --------------------------------------------------------------------------- the views


def test_graph_view_type_filter(tiny: KnowledgeGraph) -> None:
    view = graph_view(tiny, DAY, ["chip", "Firm"])
    assert {n["type"] for n in view["nodes"]} == {"Chip", "Firm"}
    # edges only between kept nodes: fabco->soc, mema->memory, memb->memory
    assert sorted((e["from"], e["to"]) for e in view["edges"]) == [
        ("fabco", "soc"), ("mema", "memory"), ("memb", "memory")]
    with pytest.raises(UsageError, match="not a class"):
        graph_view(tiny, DAY, ["Chips"])


def test_focus_view_depth(tiny: KnowledgeGraph) -> None:
    one = focus_view(tiny, "scanner", 1, DAY)
    assert sorted(n["id"] for n in one["nodes"]) == ["process", "scanner", "scannerco"]
    two = focus_view(tiny, "scanner", 2, DAY)
    assert {"fabco", "soc", "nl"} <= {n["id"] for n in two["nodes"]}
    centre = next(n for n in two["nodes"] if n["id"] == "scanner")
    assert centre["role"] == "focus" and centre["distance"] == 0
    assert focus_view(tiny, "scanner", 2, DAY, ["Firm"])["counts"]["nodes"] == 3  # scanner, scannerco, fabco
    with pytest.raises(UsageError):
        focus_view(tiny, "scanner", 0, DAY)


def test_chokepoint_view_roles_sizes_and_chains(tiny: KnowledgeGraph) -> None:
    view = chokepoint_view(tiny, ["phone"], None, DAY)
    nodes = {n["id"]: n for n in view["nodes"]}
    edges = {e["id"]: e for e in view["edges"]}
    assert nodes["phone"]["role"] == "target"
    chokes = {n for n, r in nodes.items() if r["role"] == "chokepoint"}
    # tiny.ttl: the memory makers are not single chokepoints (either one will do)
    assert {"scannerco", "scanner", "fabco", "nl", "tw", "soc", "process"} <= chokes
    assert not {"mema", "memb", "kr", "us"} & set(nodes)
    for n in chokes:
        rec = nodes[n]
        # one target, cut by each: every chokepoint has the top score; the fill is by rank (grey ink)
        assert rec["score"] == 1 and rec["why"] and rec["rank"] >= 1 and rec["section"] in ("actors", "items")
        # each chain runs from the chokepoint to the target through edges in the view
        chain = [edges[e] for e in rec["chain"]]
        assert chain and chain[0]["from"] == n and chain[-1]["to"] == "phone"
        assert all(a["to"] == b["from"] for a, b in zip(chain, chain[1:], strict=False))
    # the Netherlands is critical as ScannerCo's home: its chain starts with a derived hop
    assert edges[nodes["nl"]["chain"][0]]["type"] == "location_of" and edges[nodes["nl"]["chain"][0]]["derived"]
    # the ranks differ although the scores tie: the first of each section is the darkest and largest
    firsts = [nodes[r["id"]] for r in view["ranking"] if r["rank"] == 1]
    assert len(firsts) == 2 and all(f["color"] == view["legend"]["rank"]["high"] for f in firsts)
    assert [r["id"] for r in view["ranking"]] == [r["id"] for r in sorted(
        view["ranking"], key=lambda r: (r["section"] != "actors", r["rank"]))]


def test_chokepoint_view_scores_set_size(tiny: KnowledgeGraph) -> None:
    answer = {"as_of": DAY.isoformat(), "buyer": None, "all_end_products": False,
              "targets": [{"id": "phone", "label": "Phone", "available": True}],
              "chokepoints": [
                  {"id": "scanner", "label": "Scanner", "type": "Tool", "score": 4, "targets": ["phone"],
                   "why": "w", "explanation": []},
                  {"id": "soc", "label": "SoC", "type": "Chip", "score": 1, "targets": ["phone"],
                   "why": "w", "explanation": []}]}
    view = chokepoint_view(tiny, ["phone"], None, DAY, answer=answer)
    nodes = {n["id"]: n for n in view["nodes"]}
    assert nodes["scanner"]["size"] > nodes["soc"]["size"]
    top = chokepoint_view(tiny, ["phone"], None, DAY, answer=answer, top=1)
    assert [n["id"] for n in top["nodes"] if n["role"] == "chokepoint"] == ["scanner"]
    assert "highest-ranked" in top["notes"][0]


def test_path_view_highlights_given_paths(tiny: KnowledgeGraph) -> None:
    hops: list[dict[str, Any]] = [{"from": "scannerco", "to": "scanner", "type": "supplies", "share": 1.0, "sources": []},
            {"from": "scanner", "to": "process", "type": "requires", "share": None, "sources": []},
            {"from": "process", "to": "soc", "type": "requires", "sources": []},
            {"from": "soc", "to": "phone", "type": "requires", "sources": []}]
    view = path_view(tiny, "scannerco", "phone", DAY, paths={"paths": [{"hops": hops}]})
    edges = {e["id"]: e for e in view["edges"]}
    assert len(view["paths"]) == 1 and view["paths"][0]["length"] == 4
    assert [(edges[i]["from"], edges[i]["to"]) for i in view["paths"][0]["edges"]] == [
        (h["from"], h["to"]) for h in hops]
    # the hops are the graph's own edges, with their sources
    assert all(edges[i]["highlight"] and edges[i]["sources"] for i in view["paths"][0]["edges"])
    assert view["title"] == "How Phone depends on ScannerCo, as of 2024-06-01"


def test_path_view_uses_find_paths(tiny: KnowledgeGraph) -> None:
    view = make_view(tiny, path=["ScannerCo", "Phone"], date=DAY)
    assert view["paths"] and all(p["length"] == 4 for p in view["paths"])
    none = make_view(tiny, path=["Phone", "ScannerCo"], date=DAY)
    assert none["paths"] == [] and none["notes"]


def test_layout_flows_left_to_right(tiny: KnowledgeGraph) -> None:
    for view in (chokepoint_view(tiny, ["phone"], None, DAY), focus_view(tiny, "fabco", 3, DAY)):
        x = {n["id"]: n["x"] for n in view["nodes"]}
        for e in view["edges"]:
            if e["type"] in ("requires", "supplies", "location_of"):
                assert x[e["from"]] < x[e["to"]], e
        spots = [(n["x"], n["y"]) for n in view["nodes"]]
        assert len(spots) == len(set(spots))


def test_layout_handles_cycles_and_wraps_tall_columns() -> None:
    nodes = [f"n{i}" for i in range(200)] + ["a", "b"]
    edges = [("root", "x")] + [("a", "b"), ("b", "a")] + [(f"n{i}", "a") for i in range(200)]
    pos = layered_layout(nodes, edges)
    assert pos["a"][2] == pos["b"][2] == 1  # one strongly connected component, one column
    assert len({pos[f"n{i}"][0] for i in range(200)}) > 1  # 200 sources wrap into sub-columns
    assert len({(p[0], p[1]) for p in pos.values()}) == len(nodes)


def test_make_view_checks_options(tiny: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="different views; ask for one of them"):
        make_view(tiny, focus="soc", chokepoints=True)
    with pytest.raises(UsageError, match="a depth goes with a neighbourhood view"):
        make_view(tiny, depth=2)
    with pytest.raises(UsageError, match="go with the chokepoint view"):
        make_view(tiny, buyer="XX")
    with pytest.raises(UnknownEntity):
        make_view(tiny, focus="no such thing")
    assert make_view(tiny, chokepoints=True, targets=["Phone"], buyer="Xland", date=DAY)["title"] == (
        "Chokepoints of Phone for Xland, as of 2024-06-01")


def test_default_names() -> None:
    assert default_name({"view": "graph", "params": {}}) == "chokemap-graph.html"
    assert default_name({"view": "focus", "params": {"focus": "a/b c"}}) == "chokemap-focus-a-b-c.html"
    assert default_name({"view": "chokepoints", "params": {"buyer": "cn"}}) == "chokemap-chokepoints-for-cn.html"


# --------------------------------------------------------------------------- writing


def test_write_html_writes_one_file_atomically(tiny: KnowledgeGraph, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "view.html"
    out.parent.mkdir()
    view = graph_view(tiny, DAY)
    assert write_html(view, out) == out
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out", "out/view.html"]
    assert out.read_text(encoding="utf-8") == to_html(view)
    assert (out.stat().st_mode & 0o777) == 0o666 & ~_umask()
    with pytest.raises(UsageError, match="does not exist"):
        write_html(view, tmp_path / "missing" / "v.html")
    with pytest.raises(UsageError, match="is a folder"):
        write_html(view, tmp_path / "out")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------- the command


def _run(args: list[str], cwd: Path) -> Any:
    import cli

    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli.cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_cli_view_writes_and_says_where(tmp_path: Path) -> None:
    res = _run(["--data", str(DATA / "tiny.ttl"), "view", "--chokepoints", "--target", "phone",
                "--as-of", "2024-06-01"], tmp_path)
    assert res.exit_code == 0, res.output
    out = tmp_path / "chokemap-chokepoints-phone.html"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    assert res.output == (f"Wrote {out.resolve()} (11 nodes, 11 edges): "
                          "Chokepoints of Phone for any buyer, as of 2024-06-01\n")
    assert Page(out.read_text(encoding="utf-8")).data()["view"]["view"] == "chokepoints"


def test_cli_view_output_and_json(tmp_path: Path) -> None:
    res = _run(["--data", str(DATA / "tiny.ttl"), "view", "--focus", "Scanner", "-o", "s.html",
                "--as-of", "2024-06-01"], tmp_path)
    assert res.exit_code == 0 and (tmp_path / "s.html").exists()
    res = _run(["--data", str(DATA / "tiny.ttl"), "view", "--focus", "Scanner", "--json",
                "--as-of", "2024-06-01"], tmp_path)
    assert res.exit_code == 0
    assert json.loads(res.output)["counts"] == {"nodes": 3, "edges": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.html"]


@pytest.mark.parametrize(("args", "code", "text"), [
    (["view", "--focus", "soc", "--chokepoints"], 2, "only one"),
    (["view", "--depth", "2"], 2, "--depth goes with --focus"),
    (["view", "--buyer", "XX"], 2, "go with --chokepoints"),
    (["view", "--type", "Chips"], 2, "not a class"),
    (["view", "--as-of", "2024-13-01"], 2, "is not a date"),
    (["view", "--focus", "nothing-like-it"], 1, "no entity 'nothing-like-it'"),
    (["view", "-o", "missing/v.html"], 2, "does not exist"),
])
def test_cli_view_bad_input(tmp_path: Path, args: list[str], code: int, text: str) -> None:
    res = _run(["--data", str(DATA / "tiny.ttl"), *args], tmp_path)
    assert res.exit_code == code and text in res.output
    assert "Traceback" not in res.output and not list(tmp_path.iterdir())


def test_cli_view_no_path_writes_nothing(tmp_path: Path) -> None:
    res = _run(["--data", str(DATA / "tiny.ttl"), "view", "--path", "Phone", "ScannerCo",
                "--as-of", "2024-06-01"], tmp_path)
    assert res.exit_code == 1 and "no page written" in res.output and not list(tmp_path.iterdir())


def test_cli_view_help_has_examples() -> None:
    import cli

    res = CliRunner().invoke(cli.cli, ["view", "--help"])
    assert res.exit_code == 0
    assert "Examples:" in res.output and "chokemap view --chokepoints -o chokepoints.html" in res.output


def test_a_view_too_big_to_draw_is_an_overview_or_refused_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import chokemap.graph.render.views as views

    kg = load([DATA / "tiny.ttl"])
    monkeypatch.setenv("CHOKEMAP_MAX_VIEW_NODES", "5")
    # the whole graph and a neighbourhood above the limit are overviews (tests/render/test_overview.py)
    assert views.make_view(kg)["overview"]["nodes"] == 20
    assert views.make_view(kg, focus="memory", depth=2)["overview"]["kept"] <= 2
    assert views.make_view(kg, focus="scanner", depth=1)["counts"]["nodes"] <= 5
    # a path that big is refused, saying what to ask instead
    with pytest.raises(UsageError, match=r"this view has \d+ nodes, more than a page can draw usably \(2\); keep fewer"):
        views.make_view(kg, path=["scanner", "phone"], max_nodes=2)


# --------------------------------------------------------------------------- issue 16: spoofing, ranking, layout, messages


def test_bidi_and_zero_width_characters_are_escaped_visibly() -> None:
    from chokemap.graph.render.view_records import url_host, visible

    assert visible("\u202eLMSA") == "\\u202eLMSA"
    assert visible("AS\u200bML\ufeff") == "AS\\u200bML\\ufeff"
    assert visible("\u2066x\u2069\u200e\u200f\u202a") == "\\u2066x\\u2069\\u200e\\u200f\\u202a"
    assert visible("台积电 TSMC — ok") == "台积电 TSMC — ok"
    # a link's host, never the user name or password before it
    assert url_host("https://user:pass@evil.example:8443/a") == "evil.example"
    assert url_host("https://asml.com@evil.example/") == "evil.example"
    assert url_host("javascript:alert(1)") == url_host("file:///etc/passwd") == ""


def test_spoofed_labels_never_reach_the_page_raw(tiny: KnowledgeGraph) -> None:
    kg = load([DATA / "tiny.ttl"])
    kg.g.nodes["scanner"].update(label="\u202eLMSA", aliases=["AS\u200bML"], description="a\u2067b",
                                 sources=[{"id": "s", "title": "T\u200d", "url": "https://u:p@h.example/x"}])
    view = graph_view(kg, DAY)
    html = to_html(view)
    data = html.split('id="chokemap-data">', 1)[1].split("</script>", 1)[0]
    head = html.split("<script", 1)[0]
    assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", data + head)
    rec = next(n for n in view["nodes"] if n["id"] == "scanner")
    assert (rec["label"], rec["aliases"], rec["description"]) == ("\\u202eLMSA", ["AS\\u200bML"], "a\\u2067b")
    assert rec["sources"][0]["host"] == "h.example" and rec["sources"][0]["title"] == "T\\u200d"


def test_ranking_sections_top_and_kept_labels(bundled: KnowledgeGraph) -> None:
    from chokemap.graph.render.views import make_view

    view = make_view(bundled, chokepoints=True, date=dt.date(2026, 2, 1), top=3)
    sections = [r["section"] for r in view["ranking"]]
    assert sections == sorted(sections) and set(sections) == {"actors", "items"}
    assert all(sections.count(s) <= 3 for s in set(sections))
    nodes = {n["id"]: n for n in view["nodes"]}
    for r in view["ranking"]:
        # size and fill fall with the rank; labels of the top 10 are kept at any zoom
        assert nodes[r["id"]]["rank"] == r["rank"] and nodes[r["id"]]["show_label"]
    firsts = [nodes[r["id"]] for r in view["ranking"] if r["rank"] == 1]
    lasts = [nodes[r["id"]] for r in view["ranking"] if r["rank"] == 3]
    assert all(f["size"] > la["size"] and f["color"] < la["color"] for f, la in zip(firsts, lasts, strict=True))
    # the fill is grey: no class colour is a grey of that scale
    assert all(len({n["color"][1:3], n["color"][3:5], n["color"][5:7]}) == 1 for n in firsts + lasts)
    # every other page kind ranks the chokepoints it shows too
    for kind in ({"focus": "TSMC"}, {"path": ("ASML", "H200")}, {}):
        assert make_view(bundled, date=dt.date(2026, 2, 1), top=5, **kind)["ranking"]  # type: ignore[arg-type]


def test_layout_end_products_last_claims_below(bundled: KnowledgeGraph) -> None:
    view = graph_view(bundled, dt.date(2026, 2, 1))
    nodes = view["nodes"]
    right = max(n["x"] for n in nodes)
    ends = [n for n in nodes if n["type"] == "System"]
    assert ends and all(n["x"] >= right - 240 * 3 for n in ends)
    claims = [n for n in nodes if n["type"] == "Claim"]
    chained_bottom = max(n["y"] for n in nodes if n["level"] != -99)
    assert claims and all(n["level"] == -99 and n["y"] > chained_bottom for n in claims)
    assert all(n["x"] <= right for n in claims)


def test_view_messages_name_only_view_options() -> None:
    from chokemap.cli import cli

    res = CliRunner().invoke(cli, ["view", "--path", "H200", "ASML", "--as-of", "2026-02-01"])
    assert res.exit_code == 1
    assert "--undirected" not in res.output and "undirected search" not in res.output
    assert "--path ASML H200" in res.output


def test_long_title_cut_on_screen_whole_on_hover(tiny: KnowledgeGraph) -> None:
    kg = load([DATA / "tiny.ttl"])
    kg.g.nodes["scanner"]["label"] = "Scanner " + "very long name " * 30
    page = Page(to_html(focus_view(kg, "scanner", 1, DAY)))
    h1 = next(a for t, a in page.tags if t == "h1")
    # the header is one line (CSS ellipsis); its title attribute carries the whole text
    assert h1["title"] == page.text["h1"] and "very long name " * 30 in (h1["title"] or "")
    assert "text-overflow: ellipsis" in page.styles[-1]
