"""Hostile SPARQL (issue 14, cases 1 and 7): no federated query leaves the machine however it is
spelt, updates are refused in every spelling, and a query is bounded in time and rows; property
tests generate federated queries in random spellings and nestings, and random text.

tests/data/tiny.ttl: 5 firms, so a cross product of firms has 25 rows.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chokemap.cli import cli
from chokemap.graph.core.errors import ChokemapError, UsageError
from chokemap.graph.interchange.sparql import QueryTimeout, SparqlSyntaxError, query_form, run_query
from chokemap.graph.io.load import load

TINY = str(Path(__file__).parents[1] / "data" / "tiny.ttl")


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets (none should arrive)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["a"]},"results":{"bindings":[]}}')

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    server.shutdown()
    server.server_close()


# Each spelling once reached the network or slipped past the old regex.
FEDERATED = [
    # case 1 of the issue: an escaped '#' inside an IRI made the regex read the rest as a comment
    r"SELECT * WHERE {{ ?s ?p <http://x/\u0023> . SERVICE <{url}> {{ ?a ?b ?c }} }}",
    r"SELECT * WHERE {{ ?s ?p <http://x/\u0023> }} # \u000a SERVICE <{url}> {{ ?a ?b ?c }}",
    "SELECT * WHERE {{ ?s ?p ?o SERVICE\n\t<{url}> {{ ?a ?b ?c }} }}",
    "select * where {{ ?s ?p ?o . sErViCe SiLeNt <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o . FILTER EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ {{ SELECT * {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} }} }}",
    "ASK {{ # a comment\n SERVICE <{url}> {{ ?a ?b ?c }} }}",
    r"SELECT * WHERE {{ ?s ?p ?o . SERVI\u0043E <{url}> {{ ?a ?b ?c }} }}",
    "PREFIX r: <{url}#> SELECT * WHERE {{ SERVICE r: {{ ?a ?b ?c }} }}",
    "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
]

# The two parsers once disagreed on these: rdflib read an escaped backslash as escaping the
# quote (one long string, no SERVICE), Oxigraph as a character of the string (closed, then
# SERVICE ran and reached the listener).  Both now read the decoded text: a string.
DISAGREED = [
    'SELECT * WHERE {{ {{ ?s ?p "abc\\u005C" }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} # "}} }}\n',
    "SELECT * WHERE {{ {{ ?s ?p 'abc\\u005C' }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} # '}} }}\n",
    'SELECT * WHERE {{ {{ ?s ?p "abc\\u005Cu005C" }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} # "}} }}\n',
]


@pytest.mark.parametrize("template", FEDERATED)
def test_federated_queries_are_refused_and_send_nothing(template: str,
                                                         listener: tuple[str, list[str]]) -> None:
    url, seen = listener
    kg = load([Path(TINY)])
    with pytest.raises(UsageError, match="SERVICE would query a remote endpoint"):
        run_query(kg.rdf, template.format(url=url))
    assert seen == []


@pytest.mark.parametrize("template", DISAGREED)
def test_what_the_check_reads_as_a_string_is_run_as_a_string(template: str,
                                                              listener: tuple[str, list[str]]) -> None:
    url, seen = listener
    result = run_query(load([Path(TINY)]).rdf, template.format(url=url))
    assert result.rows == []  # no triple has that (long) string as its object
    assert seen == []


def test_the_listener_would_see_a_federated_query(listener: tuple[str, list[str]]) -> None:
    """The proof that the tests above would notice a request."""
    import pyoxigraph as ox

    url, seen = listener
    with pytest.raises(RuntimeError):  # the listener's answer is empty; the request was sent
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}"))
    assert len(seen) == 1


@pytest.mark.parametrize(("text", "message"), [
    (r"SELECT * { ?s ?p <http://x/\uD800> }", r"\\uD800 is not a character"),
    (r"SELECT * { ?s ?p <http://x/\U0041> }", r"\\U0041... is cut short"),
])
def test_bad_escapes_are_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(SparqlSyntaxError, match=message):
        query_form(text)


def test_the_word_service_in_a_string_or_an_iri_is_data() -> None:
    assert query_form('SELECT * WHERE { ?s ?p "SERVICE <http://x> { }" }') == "SELECT"
    assert query_form("SELECT * WHERE { ?s ?p <http://example.org/service> }") == "SELECT"


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> 1 }",
    "  # note\n PREFIX a: <http://a/> delete where { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    r"\u0049NSERT DATA { <http://a> <http://b> 1 }",
    "LOAD <http://127.0.0.1:9/x>",
    "CLEAR ALL",
])
def test_updates_are_refused_in_every_spelling(update: str) -> None:
    with pytest.raises(UsageError, match="is an update; chokemap's SPARQL is read-only"):
        query_form(update)


def test_a_deeply_nested_query_is_a_one_line_error() -> None:
    text = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    result = CliRunner().invoke(cli, ["--data", TINY, "sparql", text], catch_exceptions=False)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 3


def test_limit_caps_the_rows_and_says_so() -> None:
    cross = "SELECT ?a ?b WHERE { ?a a cm:Firm . ?b a cm:Firm }"
    result = CliRunner().invoke(cli, ["--data", TINY, "sparql", cross, "--limit", "3", "--format", "csv"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 1 + 3
    assert "stopped after 3 rows (--limit)" in result.stderr
    kg = load([Path(TINY)])
    full = run_query(kg.rdf, cross)
    assert not full.truncated
    assert len(full.rows) == 25
    capped = run_query(kg.rdf, cross, limit=25)
    assert not capped.truncated


def test_limit_caps_construct_triples() -> None:
    kg = load([Path(TINY)])
    result = run_query(kg.rdf, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=2)
    assert result.truncated
    assert result.graph is not None
    assert len(result.graph) == 2


def test_timeout_stops_a_runaway_query() -> None:
    kg = load([Path(TINY)])
    # a four-way cross product of every triple: far past a tenth of a second
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    with pytest.raises(QueryTimeout, match=r"ran past 0.1 s and was stopped; .* allow more time") as info:
        run_query(kg.rdf, runaway, timeout=0.1)
    assert info.value.param == "timeout"  # the library names no option; the command line does
    result = CliRunner().invoke(cli, ["--data", TINY, "sparql", runaway, "--timeout", "0.1"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: --timeout 0.1: ")


def test_sparql_has_safe_defaults() -> None:
    result = CliRunner().invoke(cli, ["sparql", "--help"], catch_exceptions=False)
    assert "[default: 30.0;" in result.output
    assert "[default: 10000;" in result.output


# --------------------------------------------------------------------------- property tests

def _spell(word: str, draw: st.DrawFn) -> str:
    """A keyword in a random spelling: any case, any letters as \\u or \\U escapes."""
    out = []
    for ch in word:
        how = draw(st.sampled_from(["lower", "upper", "u", "U"]))
        out.append({"lower": ch.lower(), "upper": ch.upper(), "u": f"\\u{ord(ch.upper()):04X}",
                    "U": f"\\U{ord(ch.lower()):08x}"}[how])
    return "".join(out)


@st.composite
def federated(draw: st.DrawFn) -> str:
    gap = st.sampled_from([" ", "\n", "\t", " # note\n", "\n#\n  "])
    service = _spell("SERVICE", draw) + draw(gap) + draw(st.sampled_from(["", "SILENT "]))
    target = draw(st.sampled_from(["<http://127.0.0.1:9/x>", "?endpoint", "ex:e"]))
    pattern = f"{service}{draw(gap)}{target}{draw(gap)}{{ ?a ?b ?c }}"
    for _ in range(draw(st.integers(0, 3))):  # nested in groups, OPTIONAL, EXISTS or a subquery
        wrap = draw(st.sampled_from(["{{ {} }}", "OPTIONAL {{ {} }}", "FILTER EXISTS {{ {} }}",
                                     "{{ SELECT * WHERE {{ {} }} }}", "MINUS {{ {} }}"]))
        pattern = wrap.format(pattern)
    before = draw(st.sampled_from(["", "?s ?p ?o .", '?s ?p "x" .', "?s ?p <http://x/\\u0023> ."]))
    head = draw(st.sampled_from(["SELECT * WHERE", "ASK", "CONSTRUCT { ?a ?b ?c } WHERE"]))
    return f"PREFIX ex: <http://e.org/>\n{head} {{ {before} {pattern} }}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(federated())
def test_generated_federated_queries_are_all_refused(text: str) -> None:
    with pytest.raises(UsageError, match="SERVICE would query a remote endpoint"):
        query_form(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("SELECT*WHERE{}?s<>#\\u0053\"' \nservice.()")), max_size=80))
def test_any_text_is_a_form_or_a_one_line_error(text: str) -> None:
    try:
        assert query_form(text) in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    except ChokemapError as exc:
        assert "\n" not in str(exc)
