"""The fast Turtle writer: what it writes reads back as the same graph."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from chokemap.graph.core.vocab import PREFIXES
from chokemap.graph.interchange.turtle import TripleList, write_turtle

NS = "https://chokemap.org/id/"
names = st.sampled_from(["a", "b", "x-1", "ünï", "1digit", "dot.", "q?x=1"])
texts = st.text(max_size=20)


@st.composite
def triples(draw: st.DrawFn) -> list[tuple[object, object, object]]:
    blanks = [BNode() for _ in range(3)]
    out = []
    for _ in range(draw(st.integers(1, 15))):
        s = draw(st.sampled_from([URIRef(NS + draw(names)), *blanks]))
        p = URIRef("https://chokemap.org/ns#" + draw(st.sampled_from(["label", "share", "requires"])))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            o: object = URIRef(NS + draw(names))
        elif kind == 1:
            o = draw(st.sampled_from(blanks))
        elif kind == 2:
            o = Literal(draw(texts))
        elif kind == 3:
            o = Literal(draw(texts), lang="zh")
        else:
            o = Literal(str(draw(st.decimals(0, 1, places=3))), datatype=XSD.decimal)
        out.append((s, p, o))
    return out


@settings(max_examples=200, deadline=None)
@given(triples())
def test_written_turtle_reads_back_isomorphic(ts: list[tuple[object, object, object]]) -> None:
    buf = io.StringIO()
    n = write_turtle(buf, ts, PREFIXES)
    expected = Graph()
    for t in ts:
        expected.add(t)  # type: ignore[arg-type]
    got = Graph().parse(data=buf.getvalue(), format="turtle")
    assert n == len(expected)  # each distinct triple once
    assert isomorphic(expected, got)


def test_triple_list_is_enough_for_a_builder() -> None:
    tl = TripleList()
    tl.bind("cmi", NS)
    tl.add((URIRef(NS + "a"), URIRef(NS + "p"), Literal("x")))
    tl.add((URIRef(NS + "a"), URIRef(NS + "p"), Literal("x")))
    assert len(tl) == 1 and tl.prefixes == {"cmi": NS}
    got = Graph().parse(data=tl.turtle(), format="turtle")
    assert set(got) == {(URIRef(NS + "a"), URIRef(NS + "p"), Literal("x"))}
