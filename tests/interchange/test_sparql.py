"""Read-only SPARQL: the four query forms on the toy chain, prefixes predefined, updates
and SERVICE refused, syntax errors with their position, the three output formats.

tests/data/tiny.ttl: ScannerCo is the only scanner maker (share 1.0); MemA 0.6 and MemB
0.4 make memory; 5 firms, 5 countries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.core.errors import UsageError
from chokemap.graph.interchange.eto import import_eto
from chokemap.graph.interchange.sparql import SparqlSyntaxError, query_form, render_csv, run_query
from chokemap.graph.io.load import load

TINY = str(Path(__file__).parents[1] / "data" / "tiny.ttl")
ETO = Path(__file__).parents[1] / "data" / "eto"
REAL = Path(__file__).parents[3] / "shared" / "eto"

SHARES = """SELECT ?item ?firm ?share WHERE {
  ?item cm:suppliedBy [ cm:supplier ?firm ; cm:share ?share ] } ORDER BY DESC(?share) ?firm"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_select_table_with_prefixed_names() -> None:
    code, out = run("--data", TINY, "sparql", SHARES)
    assert code == 0
    assert out == (
        "item         firm           share\n"
        "-----------  -------------  -----\n"
        "cmi:scanner  cmi:scannerco  1\n"
        "cmi:memory   cmi:mema       0.6\n"
        "cmi:memory   cmi:memb       0.4\n"
        "(3 rows)\n")


def test_select_json_and_csv_follow_the_sparql_result_formats() -> None:
    code, out = run("sparql", "-d", TINY, "--format", "json", SHARES)
    doc = json.loads(out)
    assert code == 0 and doc["head"]["vars"] == ["item", "firm", "share"]
    assert doc["results"]["bindings"][0]["firm"] == {"type": "uri", "value": "https://chokemap.org/id/scannerco"}
    assert doc["results"]["bindings"][1]["share"] == {
        "type": "literal", "value": "0.6", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    code, out = run("sparql", "-d", TINY, "-f", "csv", SHARES)
    assert out.splitlines()[:2] == ["item,firm,share", "https://chokemap.org/id/scanner,https://chokemap.org/id/scannerco,1"]


def test_ask_construct_describe() -> None:
    assert run("sparql", "-d", TINY, "ASK { cmi:scannerco a cm:Firm }") == (0, "yes\n")
    assert run("sparql", "-d", TINY, "ASK { cmi:scannerco a cm:Chip }") == (0, "no\n")
    code, out = run("sparql", "-d", TINY, "-f", "json", "ASK { ?x cm:isoCode 'KR' }")
    assert json.loads(out) == {"head": {}, "boolean": True}
    code, out = run("sparql", "-d", TINY, "CONSTRUCT { ?f cm:locatedIn cmi:kr } WHERE { ?f cm:locatedIn cmi:kr }")
    assert code == 0 and "cmi:mema cm:locatedIn cmi:kr ." in out
    code, out = run("sparql", "-d", TINY, "-f", "csv", "DESCRIBE cmi:kr")
    rows = out.splitlines()
    assert rows[0] == "subject,predicate,object"
    assert "https://chokemap.org/id/kr,https://chokemap.org/ns#isoCode,KR" in rows
    code, out = run("sparql", "-d", TINY, "-f", "json", "DESCRIBE cmi:kr")
    assert json.loads(out)["@context"]["cm"] == "https://chokemap.org/ns#"


@pytest.mark.parametrize("update", [
    "INSERT DATA { cmi:a cm:alias 'x' }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\n# a comment\nDELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL", "DROP GRAPH <http://example.org/g>", "CREATE GRAPH <http://example.org/g>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "insert data { cmi:a cm:alias 'x' }",
])
def test_updates_are_refused(update: str) -> None:
    code, out = run("sparql", "-d", TINY, update)
    keyword = update.split("\n")[-1].split()[0].upper()
    assert code == 2
    assert f"{keyword} is an update; chokemap's SPARQL is read-only" in out
    kg = load([TINY])
    before = len(kg.rdf)
    with pytest.raises(UsageError):
        run_query(kg.rdf, update)
    assert len(kg.rdf) == before


def test_service_is_refused_but_the_word_in_a_string_is_not() -> None:
    code, out = run("sparql", "-d", TINY, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert code == 2 and "SERVICE would query a remote endpoint" in out
    code, out = run("sparql", "-d", TINY, "ASK { ?s rdfs:label ?l FILTER(?l != 'SERVICE') } # SERVICE")
    assert (code, out) == (0, "yes\n")


def test_syntax_errors_give_line_and_column_exit_1() -> None:
    code, out = run("sparql", "-d", TINY, "SELECT ?x\nWHERE { ?x cm:label ?y ")
    assert code == 1
    assert out.startswith("Error: SPARQL syntax error at line 2, column 24: expected")
    assert out.count("\n") == 1
    code, out = run("sparql", "-d", TINY, "SELECT ?x WHERE { ?x nope:p ?y }")
    assert (code, out) == (1, "Error: SPARQL syntax error at line 1, column 28: unknown prefix (declare it with "
                              "PREFIX; predefined: cm, cmi, rdf, rdfs, xsd, owl, sh)\n")
    with pytest.raises(SparqlSyntaxError, match="starts with SELECT, ASK, CONSTRUCT or DESCRIBE"):
        query_form("hello world")


def test_query_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# firms in Korea\nSELECT ?f WHERE { ?f cm:locatedIn cmi:kr }\n", encoding="utf-8")
    assert run("sparql", "-d", TINY, f"@{path}") == (0, "f\n--------\ncmi:mema\n(1 row)\n")
    code, out = run("sparql", "-d", TINY, f"@{tmp_path / 'missing.rq'}")
    assert code == 2 and "cannot read the query file" in out
    path.write_bytes(b"SELECT ?f WHERE { ?f rdfs:label \"\xe9\" }")
    code, out = run("sparql", "-d", TINY, f"@{path}")
    assert code == 2 and "not UTF-8" in out


def test_sparql_on_the_imported_eto_fixture(tmp_path: Path) -> None:
    out = tmp_path / "eto.ttl"
    import_eto(ETO, out)
    kg = load([out])
    # current (open-ended) supply edges with a known share, by item
    result = run_query(kg.rdf, """SELECT ?label (COUNT(?q) AS ?n) WHERE {
        ?item rdfs:label ?label ; cm:suppliedBy ?q . ?q cm:share ?s .
        FILTER NOT EXISTS { ?q cm:validTo ?end } } GROUP BY ?label ORDER BY ?label""")
    assert render_csv(result).splitlines() == [
        "label,n", "DUV scanners,3", "EUV scanners,1", "Fabrication,1", "GPU design,2", "Photoresist,2"]


@pytest.mark.skipif(not (REAL / "provision.csv").is_file(), reason=f"the ETO dataset is not at {REAL}")
def test_sparql_on_the_real_eto_data_names_asml_for_euv(tmp_path: Path) -> None:
    out = tmp_path / "eto.ttl"
    import_eto(REAL, out)
    code, text = run("--data", str(out), "sparql", "-f", "csv", """SELECT ?firm ?share WHERE {
        ?tool rdfs:label "EUV lithography tools" ; cm:suppliedBy [ cm:supplier ?f ; cm:share ?share ] .
        ?f rdfs:label ?firm }""")
    assert code == 0 and text.splitlines() == ["firm,share", "ASML,1"]
