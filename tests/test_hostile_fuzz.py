"""Fuzzing the entry points (issue 14): generated SPARQL, Turtle and names, each ending in an
answer or a one-line ChokemapError, never another exception.

The quick versions run with the suite (100 inputs each); CI's slow step runs 10,000 per entry
point (``pytest -m slow``; ``CHOKEMAP_FUZZ_EXAMPLES`` overrides the number).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chokemap.graph.core.errors import ChokemapError
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.interchange.sparql import query_form
from chokemap.graph.io.load import load
from chokemap.graph.queries.lookup import resolve

TINY = Path(__file__).parent / "data" / "tiny.ttl"
SLOW = int(os.environ.get("CHOKEMAP_FUZZ_EXAMPLES", "10000"))

_SPARQL_BITS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "SERVICE", "SILENT", "INSERT", "DELETE",
                "LOAD", "PREFIX", "ex:", "<http://e.org/>", "<http://x/\\u0023>", "\\u0053", "?s", "?p", "?o",
                "{", "}", "(", ")", ".", ";", "*", "#", "\n", " ", '"', "'", '"""', "FILTER", "EXISTS",
                "OPTIONAL", "GRAPH", "VALUES", "BIND", "AS", "LIMIT", "1"]
_TURTLE_BITS = ["@prefix", "cm:", "cmi:", "<https://chokemap.org/ns#>", "<https://chokemap.org/id/>", "a",
                "cm:Firm", "cm:Chip", "cm:suppliedBy", "cm:supplier", "cm:share", "cm:requires", "cm:input",
                "rdfs:label", "[", "]", ".", ";", ",", '"x"', '"1.5"', '"abc"', "1.5", "-1", "^^xsd:date",
                '"2024-13-45"', "cmi:a", "cmi:b", "@en", "\\u0000", "\n", " ", "#", "_:b"]


def sparql_texts() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_SPARQL_BITS), max_size=30).map(" ".join) | st.text(max_size=60)


def turtle_texts() -> st.SearchStrategy[str]:
    head = ("@prefix cm: <https://chokemap.org/ns#> . @prefix cmi: <https://chokemap.org/id/> . "
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
    return st.lists(st.sampled_from(_TURTLE_BITS), max_size=40).map(lambda bits: head + " ".join(bits))


def _sparql(text: str) -> None:
    try:
        assert query_form(text) in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    except ChokemapError as exc:
        assert "\n" not in str(exc)


def _turtle(text: str, folder: Path) -> None:
    path = folder / "fuzz.ttl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load([path])
    except ChokemapError as exc:
        assert "\n" not in str(exc).strip()


def _name(kg: KnowledgeGraph, text: str) -> None:
    try:
        resolve(kg, text)
    except ChokemapError as exc:
        assert str(exc)


@pytest.fixture(scope="module")
def tiny_kg() -> KnowledgeGraph:
    return load([TINY])


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(sparql_texts())
def test_sparql_fuzz(text: str) -> None:
    _sparql(text)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(turtle_texts())
def test_turtle_fuzz(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    _turtle(text, tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40))
def test_name_fuzz(tiny_kg: KnowledgeGraph, text: str) -> None:
    _name(tiny_kg, text)


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=list(HealthCheck))
@given(sparql_texts())
def test_sparql_fuzz_long(text: str) -> None:
    _sparql(text)


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=list(HealthCheck))
@given(turtle_texts())
def test_turtle_fuzz_long(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    _turtle(text, tmp_path_factory.mktemp("fuzz"))


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40))
def test_name_fuzz_long(tiny_kg: KnowledgeGraph, text: str) -> None:
    _name(tiny_kg, text)
