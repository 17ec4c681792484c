"""The loader: files to rdflib to the networkx projection, and its errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chokemap.graph.core.errors import DataError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.io.load import DEFAULT_DATA, load, project, read_index, resolve_paths

DATA = Path(__file__).parents[1] / "data"


def test_projection_keeps_edge_type_share_dates_and_sources(tiny: KnowledgeGraph) -> None:
    edges = [(u, v, d) for u, v, d in tiny.g.edges(data=True) if d["type"] == "supplies"]
    mema = next(d for u, v, d in edges if u == "mema" and v == "memory")
    assert mema["share"] == 0.6
    assert mema["sources"][0] == {"id": "src", "url": "https://example.org/toy", "title": "Toy source",
                                  "publisher": "Example", "date": dt.date(2024, 1, 1), "secondary": False}
    assert mema["rdf"]  # the qualified RDF node the edge came from
    # requirements point downstream: from the input to the item that needs it
    assert tiny.g.has_edge("soc", "phone")
    assert {d["type"] for _u, _v, d in tiny.g.edges("soc", data=True)} == {"requires"}


def test_nodes_carry_label_type_aliases_and_country(tiny: KnowledgeGraph) -> None:
    assert tiny.node("kr")["aliases"] == ["韩国"]
    assert tiny.node("mema")["country"] == "kr"
    assert tiny.node("pol-us-ban")["effective_from"] == dt.date(2025, 1, 1)
    assert tiny.node("pol-us-ban")["issuer"] == "gov-us"
    assert tiny.node("gov-us")["governs"] == "us"


def test_default_is_the_bundled_folder() -> None:
    files = resolve_paths(None)
    assert files and all(f.parent == DEFAULT_DATA for f in files)


def test_folder_and_file_arguments_combine(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text((DATA / "tiny.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    kg = load([tmp_path, DATA / "cycle.ttl"])
    assert {"phone", "alpha"} <= set(kg.g.nodes)
    assert len(kg.files) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"@prefix cm: <https://chokemap.org/ns#> .\ncm:a cm:b .\ncm:c cm:d\n", r"x\.ttl:\d+: cannot parse turtle"),
        (b"# ok\n\xff\xfe broken", r"x\.ttl:2: not UTF-8 \(byte 0xff\)"),
    ],
)
def test_bad_files_name_file_and_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "x.ttl"
    path.write_bytes(content)
    with pytest.raises(DataError, match=expected):
        load([path])


def test_syntax_error_line_is_the_real_line() -> None:
    with pytest.raises(DataError, match=r"bad_syntax\.ttl:5: cannot parse turtle: The prefix rdfs: has not been declared$"):
        load([DATA / "bad_syntax.ttl"])


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    text = (DATA / "tiny.ttl").read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "phone" in load([path]).g


def test_missing_path_empty_folder_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file or folder"):
        load([tmp_path / "nope.ttl"])
    with pytest.raises(DataError, match="folder holds no RDF file"):
        load([tmp_path])
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(DataError, match="unknown file type '.csv'"):
        load([tmp_path / "x.csv"])


def test_ill_typed_date_is_an_error_unless_lenient(tmp_path: Path) -> None:
    path = tmp_path / "d.ttl"
    path.write_text('@prefix cm: <https://chokemap.org/ns#> . @prefix cmi: <https://chokemap.org/id/> .\n'
                    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    'cmi:p a cm:Policy ; cm:effectiveFrom "2025-02-30"^^xsd:date .\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"Policy p: cm:effectiveFrom '2025-02-30' is not a valid date"):
        load([path])
    assert load([path], lenient=True).node("p")["effective_from"] is None


def test_consuming_the_index_projects_the_same_graph() -> None:
    files = resolve_paths(None)
    kept, spent = project(read_index(files)), project(read_index(files), consume=True)
    assert sorted(kept.g.nodes(data="label")) == sorted(spent.g.nodes(data="label"))
    def edges(kg: KnowledgeGraph) -> list[str]:  # blank-node ids differ from parse to parse
        return sorted(repr((u, v, {k: x for k, x in d.items() if k != "rdf"})) for u, v, d in kg.g.edges(data=True))

    assert edges(kept) == edges(spent)
