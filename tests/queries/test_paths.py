"""Paths, upstream and downstream: tests/data/paths.ttl (answers marked there), generated
dense graphs against networkx as the oracle, the CLI, and the bundled graph's examples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

import chokemap.cli as cli
import chokemap.graph.queries.paths as paths_mod
from chokemap.graph.core.errors import UsageError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.io.load import load
from chokemap.graph.queries.paths import find_paths
from chokemap.graph.queries.trees import downstream, upstream

DATA = Path(__file__).parents[1] / "data"
FIXTURE = str(DATA / "paths.ttl")


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load([FIXTURE])


def routes(res: dict) -> list[list[str]]:
    return [[p["hops"][0]["from"], *(h["to"] for h in p["hops"])] for p in res["paths"]]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.cli, ["--data", FIXTURE, *args], catch_exceptions=False)
    return result.exit_code, result.output


# --------------------------------------------------------------------------- find_paths


def test_shortest_paths_are_all_of_equal_length(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "toolco", "chip")
    assert routes(res) == [
        ["toolco", "scanner", "proc-a", "die-a", "compute-die", "chip"],
        ["toolco", "scanner", "proc-b", "die-b", "compute-die", "chip"],
    ]
    assert [p["length"] for p in res["paths"]] == [5, 5]
    assert [p["min_share"] for p in res["paths"]] == [0.8, 0.8]
    assert res["capped"] is False and res["longer"] is False and res["note"] is None


def test_hops_carry_type_share_dates_and_sources(kg: KnowledgeGraph) -> None:
    hops = find_paths(kg, "toolco", "chip")["paths"][1]["hops"]
    first = hops[0]
    assert (first["from"], first["to"], first["type"], first["share"]) == ("toolco", "scanner", "supplies", 0.8)
    assert (first["from_label"], first["to_label"], first["forward"]) == ("ToolCo", "Scanner", True)
    ended = hops[3]  # Die B supplies the compute die until 2024-10-26
    assert (ended["type"], ended["valid_from"], ended["valid_to"]) == ("supplies", None, "2024-10-26")
    assert ended["note"] == "Shipments halted."
    assert [s["id"] for s in ended["sources"]] == ["s2"]
    assert ended["sources"][0]["date"] == "2024-10-27"
    assert hops[1]["type"] == "requires"


def test_as_of_keeps_edges_in_force(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "toolco", "chip", as_of=dt.date(2025, 1, 1))
    assert routes(res) == [["toolco", "scanner", "proc-a", "die-a", "compute-die", "chip"]]
    assert res["as_of"] == "2025-01-01"
    old = find_paths(kg, "toolco", "chip", as_of=dt.date(2024, 10, 26))  # last day included
    assert len(old["paths"]) == 2


def test_all_paths_ranked_by_length_then_weakest_share(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "memco", "system-x", all_paths=True)
    assert routes(res) == [["memco", "memory", "chip", "system-x"]]
    # both ToolCo routes tie on length and share: ordered by labels along them
    res = find_paths(kg, "toolco", "system-x", all_paths=True)
    assert [r[2] for r in routes(res)] == ["proc-a", "proc-b"]
    res = find_paths(kg, "scanner", "chip", all_paths=True, via=["requires", "supplies"])
    assert res["mode"] == "all" and len(res["paths"]) == 2


def test_no_path_says_why(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "chip", "toolco")
    assert res["paths"] == [] and res["reverse"] is True
    assert res["exists_ignoring_direction"] is True and res["exists_ignoring_dates"] is None
    assert "Chip depends on ToolCo (5 hops): ask the other way round" in res["note"]

    res = find_paths(kg, "toolco", "chip", as_of=dt.date(2025, 1, 1), via=["supplies"])
    assert res["exists_ignoring_dates"] is False
    assert "none ignoring dates either" in res["note"]

    res = find_paths(kg, "foundry", "chip", as_of=dt.date(2025, 1, 1))
    assert res["paths"] == [] and res["exists_ignoring_dates"] is True
    assert "a path exists ignoring dates (3 hops)" in res["note"]

    res = find_paths(kg, "lonely", "chip")
    assert res["exists_ignoring_direction"] is False
    assert res["note"].endswith("not connected even ignoring direction")


def test_max_len_too_short_names_the_shortest(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "toolco", "system-x", max_len=3)
    assert res["paths"] == [] and res["shortest"] == 6
    assert res["note"].endswith("more than the 3 allowed; allow 6 hops")


def test_shortest_mode_hints_at_longer_paths(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "chipco", "toolco", undirected=True)
    assert res["longer"] is True and "ask for all paths" in res["note"]


def test_undirected_walks_edges_backwards(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "chipco", "toolco", undirected=True)
    assert routes(res) == [["chipco", "aland", "toolco"]]  # both are located in Aland
    back = res["paths"][0]["hops"][1]
    assert (back["type"], back["forward"]) == ("located_in", False)
    assert "about" not in res["via"]
    # claims only join paths that start or end at a claim
    assert routes(find_paths(kg, "claim-x", "chip", undirected=True))[0][:2] == ["claim-x", "system-x"]


def test_parallel_edges_show_the_dependency_and_list_the_rest(kg: KnowledgeGraph) -> None:
    res = find_paths(kg, "chipco", "chip", undirected=True)
    hop = res["paths"][0]["hops"][0]
    assert (hop["type"], hop["forward"], hop["also"]) == ("supplies", True, ["~designed_by"])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"source": "chip", "target": "chip"}, "same entity"),
    ({"max_len": 0}, "out of range; use 1 to 12 hops"),
    ({"max_len": 13}, "out of range; use 1 to 12 hops"),
    ({"cap": 0}, "cap 0"),
    ({"via": ["requires", "bogus"]}, "unknown edge type 'bogus'"),
])
def test_bad_arguments_are_usage_errors(kg: KnowledgeGraph, kwargs: dict, message: str) -> None:
    args = {"source": "toolco", "target": "chip", **kwargs}
    with pytest.raises(UsageError, match=message):
        find_paths(kg, args.pop("source"), args.pop("target"), **args)


# --------------------------------------------------------------------------- generated graphs


def layered(layers: int, width: int) -> KnowledgeGraph:
    """A complete layered DAG: s -> every node of layer 1 -> ... -> every node of layer L -> t."""
    g = nx.MultiDiGraph()
    names = [["s"]] + [[f"n{i}_{j}" for j in range(width)] for i in range(layers)] + [["t"]]
    for row in names:
        for n in row:
            g.add_node(n, label=n, type="Chip", aliases=[])
    for a, b in zip(names, names[1:], strict=False):
        for u in a:
            for v in b:
                g.add_edge(u, v, type="requires", share=None, sources=[])
    return KnowledgeGraph(rdf=Graph(), g=g, sources={})


def test_all_paths_on_a_dense_graph_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    dense = layered(10, 8)  # 8**10 > 10**9 paths of 11 hops from s to t
    spent: list[int] = []
    spend = paths_mod._Budget.spend

    def counted(self: paths_mod._Budget) -> bool:
        spent.append(1)
        return spend(self)

    monkeypatch.setattr(paths_mod._Budget, "spend", counted)
    res = find_paths(dense, "s", "t", all_paths=True, max_len=12, cap=200)
    assert len(res["paths"]) == 200 and res["capped"] is True
    assert res["note"].startswith("more than 200 paths")
    assert all(p["length"] == 11 for p in res["paths"])
    # the cap stops the search, not the step budget: the work is about the paths shown
    assert len(spent) < 20 * 200 < paths_mod.STEP_BUDGET
    shortest = find_paths(dense, "s", "t", max_len=12, cap=5)
    assert len(shortest["paths"]) == 5 and shortest["capped"] is True


def test_step_budget_stops_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths_mod, "STEP_BUDGET", 50)
    res = find_paths(layered(6, 6), "s", "t", all_paths=True, max_len=12, cap=10_000)
    assert res["capped"] is True and res["note"].startswith("stopped after 50 search steps")
    assert 0 < len(res["paths"]) < 6**6


def test_undirected_dense_graph_is_bounded() -> None:
    dense = layered(4, 6)
    res = find_paths(dense, "s", "t", all_paths=True, undirected=True, max_len=12, cap=300)
    assert res["capped"] is True and len(res["paths"]) == 300
    lengths = [p["length"] for p in res["paths"]]
    assert lengths == sorted(lengths) and lengths[0] == 5


def as_kg(g: nx.DiGraph) -> KnowledgeGraph:
    m = nx.MultiDiGraph()
    for n in g:
        m.add_node(n, label=f"N{n:02d}", type="Chip", aliases=[])
    for u, v in g.edges:
        m.add_edge(u, v, type="requires", share=None, sources=[])
    return KnowledgeGraph(rdf=Graph(), g=m, sources={})


@settings(max_examples=60, deadline=None)
@given(st.integers(4, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    st.integers(1, 6), st.booleans())))
def test_paths_equal_networkx(case: tuple[int, list[tuple[int, int]], int, bool]) -> None:
    """Oracle: all simple paths (and all shortest paths) as networkx finds them."""
    n, edges, max_len, undirected = case
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((u, v) for u, v in edges if u != v)
    kg = as_kg(g)
    oracle_g = g.to_undirected() if undirected else g
    want_all = sorted(tuple(p) for p in nx.all_simple_paths(oracle_g, 0, n - 1, cutoff=max_len))
    res = find_paths(kg, 0, n - 1, all_paths=True, max_len=max_len, undirected=undirected, cap=10_000)
    got = [[p["hops"][0]["from"], *(h["to"] for h in p["hops"])] for p in res["paths"]]
    assert sorted(tuple(p) for p in got) == want_all
    assert [len(p) for p in got] == sorted(len(p) for p in got)
    short = find_paths(kg, 0, n - 1, max_len=max_len, undirected=undirected, cap=10_000)
    if want_all:
        k = min(len(p) for p in want_all)
        want = sorted(tuple(p) for p in nx.all_shortest_paths(oracle_g, 0, n - 1))
        assert sorted(tuple(p) for p in routes(short)) == [p for p in want if len(p) == k]
        assert short["longer"] is (len(want_all) > len(want))
    else:
        assert short["paths"] == [] and short["note"]


# --------------------------------------------------------------------------- upstream / downstream


def test_upstream_by_depth_with_tree_edges(kg: KnowledgeGraph) -> None:
    res = upstream(kg, "system-x", depth=2)
    assert [(n["id"], n["depth"]) for n in res["nodes"]] == [
        ("chip", 1), ("chipco", 1), ("optics", 1), ("compute-die", 2), ("memory", 2), ("optco", 2)]
    assert res["beyond_depth"] == 11 and res["context"] == []
    edge = next(e for e in res["edges"] if e["from"] == "memory")
    assert (edge["to"], edge["type"], edge["quantity"], edge["sources"][0]["id"]) == ("chip", "requires", 4.0, "s1")
    assert {e["from"] for e in res["edges"]} == {n["id"] for n in res["nodes"]}


def test_upstream_type_filter_keeps_connecting_nodes_as_context(kg: KnowledgeGraph) -> None:
    res = upstream(kg, "system-x", types=["firm"])
    assert {n["id"] for n in res["nodes"]} == {
        "chipco", "optco", "fabco", "foundry", "memco", "memd", "toolco", "toolb"}
    assert {n["id"] for n in res["context"]} == {
        "chip", "optics", "compute-die", "memory", "die-a", "die-b", "proc-a", "scanner"}
    assert res["types"] == ["Firm"]


def test_upstream_as_of_drops_ended_and_planned_supply(kg: KnowledgeGraph) -> None:
    ids = {n["id"] for n in upstream(kg, "compute-die", as_of=dt.date(2025, 1, 1))["nodes"]}
    assert "die-b" not in ids and "foundry" not in ids and "die-a" in ids
    assert {n["id"] for n in upstream(kg, "newchip")["nodes"]} == {"newfab"}
    assert upstream(kg, "newchip", as_of=dt.date(2025, 1, 1))["nodes"] == []


def test_downstream_mirrors_upstream(kg: KnowledgeGraph) -> None:
    res = downstream(kg, "memco")
    assert [(n["id"], n["depth"], n["parent"]) for n in res["nodes"]] == [
        ("memory", 1, "memco"), ("chip", 2, "memory"), ("system-x", 3, "chip"), ("system-y", 3, "chip")]
    assert [(e["from"], e["to"]) for e in res["edges"]][:2] == [("memco", "memory"), ("memory", "chip")]


def test_navigation_bad_arguments(kg: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="out of range; use 1 or more"):
        upstream(kg, "chip", depth=0)
    with pytest.raises(UsageError, match="unknown class 'Widget'"):
        downstream(kg, "chip", types=["Widget"])


# --------------------------------------------------------------------------- CLI


def test_cli_path_text() -> None:
    code, out = run("path", "MemCo", "System X")
    assert code == 0
    assert out == (
        "How System X depends on MemCo: 1 shortest path of 3 hops (requires, supplies; edges of any date)\n"
        "\n"
        "Path 1: 3 hops, weakest known share 60%\n"
        "  MemCo (Firm)\n"
        "    | supplies  60%  [1]\n"
        "  Memory (Chip)\n"
        "    | needed by  x4  [1]\n"
        "  Chip (Chip)\n"
        "    | needed by  x8  [1]\n"
        "  System X (System)\n"
        "\n"
        "Sources\n"
        "  [1] Path source one (Example, 2024-01-01) https://example.org/one\n"
    )


def test_cli_path_no_path_exits_1_with_reasons() -> None:
    code, out = run("path", "Chip", "ToolCo")
    assert code == 1
    assert out.splitlines() == [
        "How ToolCo depends on Chip: no path (requires, supplies; edges of any date)",
        "  Chip depends on ToolCo (5 hops): ask the other way round",
        "  connected ignoring direction (5 hops): try an undirected search",
    ]


def test_cli_path_json_shape() -> None:
    code, out = run("path", "ToolCo", "Chip", "--all", "--as-of", "2025-01-01", "--json")
    assert code == 0
    res = json.loads(out)
    assert set(res) == {"source", "target", "source_label", "target_label", "mode", "undirected", "via",
                        "as_of", "max_len", "cap", "paths", "capped", "note", "shortest", "reverse",
                        "exists_ignoring_dates", "exists_ignoring_direction", "longer", "routes"}
    assert res["routes"] == []  # --all lists every path: no separate routes
    assert set(res["paths"][0]) == {"hops", "length", "min_share"}
    assert {"from", "to", "type", "share", "valid_from", "valid_to", "sources", "from_label",
            "to_label"} <= set(res["paths"][0]["hops"][0])


@pytest.mark.parametrize(("args", "message"), [
    (["path", "Chip", "The Chip"], "FROM and TO are the same entity (Chip)"),
    (["path", "ToolCo", "Chip", "--max-len", "13"], "--max-len 13: out of range; use 1 to 12 hops"),
    (["path", "ToolCo", "Chip", "--max-len", "0"], "--max-len 0: out of range"),
    (["path", "ToolCo", "Chip", "--via", "needs"], "unknown edge type 'needs'"),
    (["path", "ToolCo", "Chip", "--as-of", "2025-13-01"], "is not a date"),
    (["upstream", "Chip", "--depth", "-1"], "--depth -1: out of range"),
    (["downstream", "Chip", "--type", "Gadget"], "unknown class 'Gadget'"),
])
def test_cli_bad_input_exits_2(args: list[str], message: str) -> None:
    code, out = run(*args)
    assert code == 2 and message in out and "Traceback" not in out


def test_cli_unknown_name_suggests() -> None:
    code, out = run("upstream", "Sytem X")
    assert code == 1
    assert out.startswith("Error: no entity 'Sytem X'; did you mean: System X")


def test_cli_downstream_tree() -> None:
    code, out = run("downstream", "MemCo")
    assert code == 0
    assert out.split("\n\nSources")[0] == (
        "What needs MemCo (Firm): 4 nodes at any depth\n"
        "  by level: 1: 1, 2: 1, 3: 2\n"
        "\n"
        "MemCo (Firm)\n"
        "└── supplies Memory (Chip)  60%  [1]\n"
        "    └── needed by Chip (Chip)  x4  [1]\n"
        "        ├── needed by System X (System)  x8  [1]\n"
        "        └── needed by System Y (System)  x4  [1]"
    )


def test_cli_upstream_json_and_type_filter() -> None:
    code, out = run("upstream", "System X", "--depth", "3", "--type", "Firm", "--json")
    assert code == 0
    res = json.loads(out)
    assert [(n["id"], n["depth"]) for n in res["nodes"]] == [
        ("chipco", 1), ("optco", 2), ("memco", 3), ("memd", 3)]
    assert set(res["nodes"][0]) == {"id", "label", "type", "depth", "parent"}
    code, out = run("upstream", "System X", "--type", "Firm")
    assert "├── (via) needs Chip (Chip)  x8  [1]" in out


# --------------------------------------------------------------------------- bundled graph


def test_bundled_asml_to_ascend_910c_duv_route(bundled: KnowledgeGraph) -> None:
    res = find_paths(bundled, "asml", "ascend-910c", all_paths=True)
    duv = [r for r in routes(res) if "smic-n2" in r and any("duv" in n for n in r)]
    assert duv, routes(res)
    assert duv[0][-3:] == ["ascend-die-smic-n2", "ascend-compute-die", "ascend-910c"]
    hops = next(p["hops"] for p in res["paths"] if [p["hops"][0]["from"], *(h["to"] for h in p["hops"])] == duv[0])
    assert all(h["sources"] for h in hops)
    # the default answer gives the shortest path and one route per other first step:
    # the DUV route through SMIC's N+2 process is among them
    default = find_paths(bundled, "asml", "ascend-910c")
    assert default["longer"] is True
    firsts = [[h["to"] for h in r["hops"]] for r in default["routes"]]
    assert any("smic-duv-fleet" in r and "smic-n2" in r for r in firsts)


def test_bundled_tsmc_to_ascend_910b_sophgo_route(bundled: KnowledgeGraph) -> None:
    res = find_paths(bundled, "tsmc", "ascend-910b", all_paths=True)
    sophgo = [p for p in res["paths"] if any(h["to"] == "sophgo-tsmc-die" for h in p["hops"])]
    assert sophgo
    hop = next(h for h in sophgo[0]["hops"] if h["from"] == "sophgo-tsmc-die")
    assert hop["valid_to"] == "2024-10-26" and hop["sources"]
    # on a date after TSMC stopped, no route from TSMC is in force
    after = find_paths(bundled, "tsmc", "ascend-910b", as_of=dt.date(2025, 6, 1))
    assert after["paths"] == [] and after["exists_ignoring_dates"] is True


def test_bundled_upstream_gb200(bundled: KnowledgeGraph) -> None:
    res = upstream(bundled, "gb200-nvl72", depth=3)
    depth = {n["id"]: n["depth"] for n in res["nodes"]}
    assert (depth["b200"], depth["tsmc-cowos"], depth["tsmc"], depth["nvlink"]) == (1, 2, 3, 1)
    assert depth["hbm3e"] == 2 and {"sk-hynix", "micron", "samsung"} <= set(depth)


def test_bundled_downstream_sk_hynix(bundled: KnowledgeGraph) -> None:
    ids = {n["id"] for n in downstream(bundled, "sk-hynix")["nodes"]}
    assert {"hbm3e", "h200", "hbm2e", "ascend-910c", "cloudmatrix-384"} <= ids
