"""Export: RDF round trips are isomorphic, GraphML/GEXF/CSV carry the attributes, --as-of
filters edges, files appear whole or not at all.

The toy chain (tests/data/tiny.ttl) has 20 entities, 10 dependency edges and 14 other
links; the ETO fixture adds dated history (two Photoresist edges valid 2019-2024).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from chokemap.cli import cli
from chokemap.graph.core.errors import DataError, UsageError
from chokemap.graph.core.vocab import CM, CMI
from chokemap.graph.interchange.eto import import_eto
from chokemap.graph.interchange.export import (
    export,
    flat_graph,
    rdf_as_of,
    to_csv,
    to_jsonld,
    to_turtle,
    write_text,
)
from chokemap.graph.io.load import load, project

DATA = Path(__file__).parents[1] / "data"
TINY = DATA / "tiny.ttl"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def eto_kg(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("eto") / "eto.ttl"
    import_eto(DATA / "eto", out)
    return load([out])


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_rdf_round_trip_is_isomorphic(tmp_path: Path, tiny, eto_kg, fmt: str) -> None:
    for kg in (tiny, eto_kg):
        target = tmp_path / f"out.{fmt}"
        summary = export(kg, fmt, target)
        back = Graph().parse(target, format={"ttl": "turtle", "jsonld": "json-ld"}[fmt])
        assert isomorphic(back, kg.rdf)
        assert summary["triples"] == len(kg.rdf)


def test_jsonld_context_is_inline(tiny) -> None:
    doc = json.loads(to_jsonld(tiny))
    assert doc["@context"]["cm"] == "https://chokemap.org/ns#"
    assert all(isinstance(v, str) and v.endswith(("#", "/")) for v in doc["@context"].values())
    assert "cmi:scanner" in {n["@id"] for n in doc["@graph"]}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_open_in_networkx_with_attributes(tmp_path: Path, eto_kg, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    export(eto_kg, fmt, target)
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(target)
    assert back.number_of_nodes() == eto_kg.g.number_of_nodes()
    assert back.number_of_edges() == eto_kg.g.number_of_edges()
    node = back.nodes["eto-P10"]
    assert node["label"] == "EUV Co" and node["type"] == "Firm" and node["country"] == "eto-P1"
    assert json.loads(node["aliases"]) == ["ETO P10"]
    relation = "type" if fmt == "graphml" else "relation"  # GEXF keeps "type" for directed/undirected
    edges = [d for _u, _v, d in back.edges(data=True) if d.get(relation) == "supplies"]
    assert len(edges) == sum(1 for _u, _v, d in eto_kg.g.edges(data=True) if d["type"] == "supplies")
    euv = next(d for u, v, d in back.edges(data=True) if (u, v) == ("eto-P10", "eto-N4"))
    assert float(euv["share"]) == 1.0 and euv["valid_from"] == "2025-01-01"
    assert "github.com/georgetown-cset/eto-chip-explorer" in euv["source_urls"]
    assert json.loads(euv["sources"])[0]["id"] == "eto-dataset"
    history = [d for d in edges if d.get("valid_to") == "2024-12-31"]
    assert len(history) == 2


def test_as_of_keeps_only_edges_valid_on_the_date(tmp_path: Path, eto_kg) -> None:
    def resist(g: nx.MultiDiGraph) -> list[str]:
        return sorted(d["valid_from"] for u, v, d in g.edges(data=True) if v == "eto-N6" and d["type"] == "supplies")

    assert resist(flat_graph(eto_kg)) == ["2019-01-01", "2019-01-01", "2025-01-01", "2025-01-01"]
    assert resist(flat_graph(eto_kg, dt.date(2020, 6, 1))) == ["2019-01-01", "2019-01-01"]
    assert resist(flat_graph(eto_kg, dt.date(2026, 1, 1))) == ["2025-01-01", "2025-01-01"]
    # the RDF export drops the qualified node with every triple of it
    before = rdf_as_of(eto_kg.rdf, None)
    after = rdf_as_of(eto_kg.rdf, dt.date(2026, 1, 1))
    kept = project(after)
    assert len(before) - len(after) == 2 * 7  # two history edges of 7 triples each, with their link
    assert len([1 for _u, v, d in kept.g.edges(data=True) if v == "eto-N6" and d["type"] == "supplies"]) == 2
    assert kept.g.number_of_nodes() == eto_kg.g.number_of_nodes()


def test_csv_writes_nodes_and_edges_with_headers(tmp_path: Path, tiny) -> None:
    folder = tmp_path / "csv"
    summary = export(tiny, "csv", folder)
    assert summary["files"] == [str(folder / "nodes.csv"), str(folder / "edges.csv")]
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(folder / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == 20 and len(edges) == 24
    kr = next(r for r in nodes if r["id"] == "kr")
    assert (kr["label"], kr["type"], kr["iso"], kr["aliases"]) == ("South Korea", "Country", "KR", "韩国")
    mema = next(r for r in edges if (r["source"], r["target"]) == ("mema", "memory"))
    assert (mema["type"], mema["share"], mema["source_ids"], mema["source_urls"]) == (
        "supplies", "0.6", "src", "https://example.org/toy")
    nodes_text, edges_text = to_csv(tiny, dt.date(2000, 1, 1))
    assert edges_text.splitlines()[0].startswith("source,target,type,share,")


def test_bad_targets_and_nothing_half_written(tmp_path: Path, tiny) -> None:
    with pytest.raises(DataError, match="does not exist; create it first"):
        export(tiny, "ttl", tmp_path / "missing" / "x.ttl")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file; csv is written as a folder: give one"):
        export(tiny, "csv", tmp_path / "file")
    with pytest.raises(UsageError, match="is a folder; give a file name"):
        export(tiny, "ttl", tmp_path)
    with pytest.raises(UsageError, match="unknown format 'xml'"):
        export(tiny, "xml", tmp_path / "x.xml")
    target = tmp_path / "keep.txt"
    target.write_text("old", encoding="utf-8")

    with pytest.raises(TypeError):
        write_text(target, 42)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")] == []


def test_cli_export(tmp_path: Path) -> None:
    target = tmp_path / "tiny.gexf"
    code, out = run("--data", str(TINY), "export", "--format", "gexf", "-o", str(target))
    assert code == 0 and out == f"wrote {target} (gexf): 20 nodes, 24 edges\n"
    code, out = run("export", "-d", str(TINY), "-f", "ttl", "-o", str(tmp_path / "t.ttl"), "--as-of", "2025-01-01")
    assert code == 0 and out == f"wrote {tmp_path / 't.ttl'} (ttl): 20 nodes, 24 edges valid on 2025-01-01, 105 triples\n"
    code, out = run("export", "-d", str(TINY), "-f", "csv", "-o", str(tmp_path / "c"), "--json")
    assert code == 0 and json.loads(out)["files"][1].endswith("edges.csv")
    code, out = run("export", "-d", str(TINY), "-f", "pdf", "-o", "x")
    assert code == 2 and "'pdf' is not one of" in out
    code, out = run("export", "-d", str(TINY), "-f", "ttl", "-o", str(tmp_path / "no" / "x.ttl"))
    assert code == 1 and out.startswith("Error: ") and "create it first" in out


# --------------------------------------------------------------------------- property test

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_literal = st.one_of(
    _text.map(Literal),
    st.tuples(_text, st.sampled_from(["en", "zh"])).map(lambda t: Literal(t[0], lang=t[1])),
    st.decimals(min_value=0, max_value=1, places=3, allow_nan=False).map(lambda d: Literal(d, datatype=XSD.decimal)),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)).map(
        lambda d: Literal(d.isoformat(), datatype=XSD.date)),
    st.booleans().map(Literal),
    st.integers(-5, 5).map(Literal),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([CM.alias, CM.note, CM.share, CM.validFrom]),
                          _literal), max_size=12),
       st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 2)), max_size=8))
def test_random_graphs_round_trip_through_turtle_and_jsonld(literals, links) -> None:
    g = Graph()
    nodes = [CMI[f"n{i}"] for i in range(6)]
    for n in nodes:
        g.add((n, RDF.type, CM.Tool))
    for i, pred, lit in literals:
        g.add((nodes[i], pred, lit))
    for i, j, b in links:
        q = BNode()  # a qualified edge, like cm:suppliedBy [ cm:supplier ... ]
        g.add((nodes[i], CM.suppliedBy, q))
        g.add((q, CM.supplier, nodes[j]))
        g.add((q, CM.note, Literal(f"edge {b}")))
    kg = project(g)
    for text, fmt in ((to_turtle(kg), "turtle"), (to_jsonld(kg), "json-ld")):
        assert isomorphic(Graph().parse(data=text, format=fmt), g), fmt
