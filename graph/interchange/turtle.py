"""A fast Turtle writer for generated graphs (an ETO import of a million triples).

rdflib's Turtle serializer sorts and pretty-prints: about 60 seconds for a million
triples.  This writer keeps the triples in the order they were made, groups them by
subject, writes IRIs in the vocabulary's namespaces as prefixed names, blank nodes as
labels and literals with escapes: one pass, a few seconds.  The output is plain Turtle
that any RDF tool reads (the tests read it back with rdflib and compare isomorphically).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import TextIO

from rdflib import BNode, Literal, URIRef

__all__ = ["TripleList", "write_turtle"]

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


class TripleList:
    """The part of rdflib's Graph a builder needs (``add``, ``bind``, ``len``), kept as
    Turtle text grouped by subject: adding renders the terms once (an IRI as a prefixed
    name, memoised; a blank node as its label; a literal escaped) and appends two strings,
    far smaller than rdflib terms in a list, and the groups are what :func:`write_turtle`
    writes.  Bind the prefixes before adding: a term is rendered when added."""

    def __init__(self) -> None:
        self.groups: dict[str, list[tuple[str, str]]] = {}
        self.prefixes: dict[str, str] = {}
        self._terms = _Terms({})

    def add(self, triple: tuple[object, object, object]) -> None:
        s, p, o = triple
        term = self._terms.term
        subject = term(s)
        group = self.groups.get(subject)
        if group is None:
            group = self.groups[subject] = []
        group.append((term(p), term(o)))

    def bind(self, prefix: str, namespace: object, override: bool = True) -> None:
        self.prefixes[prefix] = str(namespace)
        self._terms = _Terms(self.prefixes, self._terms.blanks)

    def __len__(self) -> int:
        """The number of distinct triples.  O(T)."""
        return sum(len(set(pos)) for pos in self.groups.values())

    def turtle(self) -> str:
        """The whole graph as one Turtle document (for small graphs and tests)."""
        buf = io.StringIO()
        write_turtle(buf, self, self.prefixes)
        return buf.getvalue()


def write_turtle(
    out: TextIO, triples: Iterable[tuple[object, object, object]] | TripleList, prefixes: dict[str, str]
) -> int:
    """Write triples as Turtle, grouped by subject in first-seen order, each distinct triple
    once; return how many were written.

    Blank nodes are labelled ``_:b0``, ``_:b1``... in the order first seen, so the same
    triples in the same order give the same file.

    Complexity: O(T) time; O(T) memory for the grouping, none more for a TripleList.
    """
    if not isinstance(triples, TripleList):
        grouped = TripleList()
        for prefix, ns in prefixes.items():
            grouped.bind(prefix, ns)
        for t in triples:
            grouped.add(t)
        triples = grouped
    write = out.write
    a = triples._terms.term(_RDF_TYPE)
    for prefix, ns in prefixes.items():
        write(f"@prefix {prefix}: <{ns}> .\n")
    count = 0
    for s, pos in triples.groups.items():
        write(f"\n{s}")
        last = None
        unique = dict.fromkeys(pos)
        count += len(unique)
        for p, o in unique:
            if p == last:
                write(f" ,\n        {o}")
            else:
                write(f"{' ;' if last is not None else ''}\n    {'a' if p == a else p} {o}")
                last = p
        write(" .\n")
    return count


class _Terms:
    """Terms as Turtle text: IRIs as prefixed names where they can be (memoised), blank
    nodes labelled in first-seen order, literals escaped."""

    def __init__(self, prefixes: dict[str, str], blanks: dict[object, str] | None = None) -> None:
        self.spaces = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.iris: dict[str, str] = {}
        self.blanks: dict[object, str] = {} if blanks is None else blanks

    def iri(self, text: str) -> str:
        hit = self.iris.get(text)
        if hit is None:
            hit = f"<{text}>"
            for prefix, ns in self.spaces:
                if text.startswith(ns) and _LOCAL.match(text[len(ns):]):
                    hit = f"{prefix}:{text[len(ns):]}"
                    break
            self.iris[text] = hit
        return hit

    def term(self, t: object) -> str:
        if isinstance(t, BNode):
            label = self.blanks.get(t)
            if label is None:
                label = self.blanks[t] = f"_:b{len(self.blanks)}"
            return label
        if isinstance(t, Literal):
            body = f'"{str(t).translate(_ESCAPES)}"'
            if t.language:
                return f"{body}@{t.language}"
            if t.datatype is not None and not str(t.datatype).endswith("#string"):
                return f"{body}^^{self.iri(str(t.datatype))}"
            return body
        return self.iri(str(t))


_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
