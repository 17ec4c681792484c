"""Reading RDF files fast into a plain triple index.

The projection (:mod:`graph.io.load`) needs only a handful of lookups: the objects of a
subject's predicate, the subjects of a class, the pairs of a link predicate.  rdflib's
Turtle parser reads about 30,000 triples a second; Oxigraph's (pyoxigraph) reads about
half a million, so Turtle and N-Triples go through pyoxigraph into this index, and the
syntaxes only rdflib reads (JSON-LD, RDF/XML, N3) through rdflib.

Terms are plain Python values: an IRI is its string, a blank node ``"_:" + id`` (ids are
made unique per file), a literal a :class:`Lit` (value, datatype IRI, language).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..core.errors import DataError
from ..core.progress import report
from .inputs import RDF_SUFFIXES

__all__ = ["Lit", "Term", "TripleIndex", "RDF_SUFFIXES", "read_text", "parse_file", "add_rdflib"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"



class Lit(NamedTuple):
    """A literal: its lexical value, datatype IRI (None for plain strings), language."""

    value: str
    datatype: str | None = None
    lang: str | None = None

    def __str__(self) -> str:
        return self.value


Term = str | Lit


#: Up to this many objects per subject and predicate a duplicate is found by scanning the
#: list (fast for the usual one to three); beyond, by a set: linear in fan-out, not quadratic.
_SCAN = 16


class TripleIndex:
    """Subject -> predicate -> objects, plus the subjects of each class and the pairs of
    the predicates asked for up front.

    Complexity: O(1) amortised per triple added; memory O(T).

    >>> ix = TripleIndex(pairs={"http://e.org/p"})
    >>> ix.add("http://e.org/a", "http://e.org/p", "http://e.org/b")
    >>> ix.objects("http://e.org/a", "http://e.org/p"), list(ix.pairs("http://e.org/p"))
    (['http://e.org/b'], [('http://e.org/a', 'http://e.org/b')])
    """

    def __init__(self, pairs: Iterable[str] = ()) -> None:
        self.spo: dict[str, dict[str, list[Term]]] = {}
        self.types: dict[str, list[str]] = {}
        self._pairs: dict[str, list[tuple[str, Term]]] = {p: [] for p in pairs}
        # the objects of a long list as a set, so that the duplicate check stays O(1)
        self._seen: dict[tuple[str, str], set[Term]] = {}
        self.count = 0

    def add(self, s: str, p: str, o: Term) -> None:
        """Add one triple (duplicates are kept once per subject and predicate)."""
        preds = self.spo.get(s)
        if preds is None:
            preds = self.spo[s] = {}
        objs = preds.get(p)
        if objs is None:
            objs = preds[p] = []
        elif len(objs) < _SCAN:
            if o in objs:
                return
        else:
            seen = self._seen.get((s, p))
            if seen is None:
                seen = self._seen[(s, p)] = set(objs)
            if o in seen:
                return
            seen.add(o)
        objs.append(o)
        self.count += 1
        if p == RDF_TYPE and isinstance(o, str):
            self.types.setdefault(o, []).append(s)
        pairs = self._pairs.get(p)
        if pairs is not None:
            pairs.append((s, o))

    def objects(self, s: str, p: str) -> list[Term]:
        """The objects of one subject's predicate (empty list when none)."""
        return self.spo.get(s, {}).get(p, [])

    def one(self, s: str, p: str) -> Term | None:
        """One object of a subject's predicate, or None."""
        objs = self.spo.get(s, {}).get(p)
        return objs[0] if objs else None

    def subjects_of_type(self, cls: str) -> list[str]:
        """The subjects that have ``rdf:type cls``."""
        return self.types.get(cls, [])

    def pairs(self, p: str) -> Iterator[tuple[str, Term]]:
        """(subject, object) pairs of a predicate given when the index was made."""
        if p in self._pairs:
            return iter(self._pairs[p])
        return ((s, o) for s, preds in self.spo.items() for o in preds.get(p, ()))

    def subjects_with(self, p: str) -> list[str]:
        """The subjects that have predicate ``p``."""
        return [s for s, preds in self.spo.items() if p in preds]


def read_text(path: Path) -> str:
    """Read a file as UTF-8 (a BOM is dropped); a bad byte is an error naming the line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise DataError(msg) from None
    return text[1:] if text.startswith("\ufeff") else text


_LINE_RE = re.compile(r"line (\d+)")


def _syntax_error(path: Path, fmt: str, exc: Exception) -> DataError:
    detail = " ".join(str(exc).split())
    line = getattr(exc, "lineno", None)
    if line is None:
        match = _LINE_RE.search(detail)
        line = int(match.group(1)) if match else None
    detail = re.sub(r"^at line \d+ of <[^>]*>:\s*", "", detail)
    detail = re.sub(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+):\s*", "", detail)
    detail = re.sub(r"\s*\(line \d+\)$", "", detail)
    detail = re.sub(r"\s*at \^ in:.*$", "", detail)
    if len(detail) > 160:
        detail = detail[:157] + "..."
    where = f"{path}:{line}" if line else str(path)
    return DataError(f"{where}: cannot parse {fmt}: {detail}")


def parse_file(index: TripleIndex, path: Path, tag: str) -> None:
    """Parse one RDF file into ``index``; ``tag`` keeps its blank nodes apart from other files'.

    Complexity: O(T) for T triples (pyoxigraph for Turtle and N-Triples).

    Raises
    ------
    DataError
        Unknown suffix, bad encoding, bad syntax (the message names the file and line).
    """
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(RDF_SUFFIXES)
        msg = f"{path}: unknown file type {path.suffix!r} (chokemap reads {kinds})"
        raise DataError(msg)
    if fmt in ("turtle", "nt"):
        _parse_oxigraph(index, path, fmt, tag)
    else:
        _parse_rdflib(index, path, read_text(path), fmt, tag)


def _parse_oxigraph(index: TripleIndex, path: Path, fmt: str, tag: str) -> None:
    """Stream a Turtle or N-Triples file through pyoxigraph into ``index``.

    The file is read in pieces, never whole.  O(T)."""
    import pyoxigraph as ox

    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    try:
        with path.open("rb") as fh:
            if fh.read(3) != b"\xef\xbb\xbf":  # a byte-order mark is not Turtle: skip it
                fh.seek(0)
            quads = ox.parse(input=fh, format=rdf_format, base_iri=path.resolve().as_uri())
            _add_quads(index, quads, tag, f"reading {path.name}")
    except SyntaxError as exc:
        if "UTF-8" in str(exc):
            read_text(path)  # raises the message naming the line and the byte
        raise _syntax_error(path, fmt, exc) from None


def _add_quads(index: TripleIndex, quads: Iterable[Any], tag: str, label: str) -> None:
    """Add pyoxigraph's quads to ``index``, as :meth:`TripleIndex.add` would one by one.

    The add is inlined, and what repeats is worked out once: each distinct IRI and literal
    is converted once and kept once (a graph names the same sources, classes and dates
    over and over; pyoxigraph's terms are the keys), each predicate's pair list and
    rdf:type test once, and a subject's entry once per run of triples about it (Turtle
    gives a subject's triples together).  RDF 1.2 triple terms are skipped: not part of
    chokemap's model.  O(T) for T triples, O(1) dict lookups each.
    """
    import pyoxigraph as ox

    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    lang_string = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    plain = "http://www.w3.org/2001/XMLSchema#string"
    spo, types, seen_of = index.spo, index.types, index._seen
    terms: dict[Any, Term] = {}  # pyoxigraph IRI or literal -> its term here
    predicates: dict[Any, tuple[str, list[tuple[str, Term]] | None, bool]] = {}
    last_s: Any = None
    st = ""
    preds: dict[str, list[Term]] | None = None
    added = 0
    for n, quad in enumerate(quads, 1):
        if not n % 100_000:
            report(label, n)
        o = quad.object
        ot = terms.get(o)
        if ot is None:
            kind = type(o)
            if kind is named:
                ot = terms[o] = o.value
            elif kind is literal:
                dtype, lang = o.datatype.value, o.language
                ot = terms[o] = Lit(o.value, None if lang or dtype in (plain, lang_string) else dtype, lang)
            elif kind is blank:
                ot = f"_:{tag}{o.value}"
            else:  # an RDF 1.2 triple term
                continue
        s = quad.subject
        if s != last_s:
            last_s = s
            st = s.value if type(s) is named else f"_:{tag}{s.value}"
            preds = spo.get(st)
        if preds is None:
            preds = spo[st] = {}
        p = quad.predicate
        pinfo = predicates.get(p)
        if pinfo is None:
            pv = p.value
            pinfo = predicates[p] = (pv, index._pairs.get(pv), pv == RDF_TYPE)
        pt, pairs, is_type = pinfo
        objs = preds.get(pt)
        if objs is None:
            preds[pt] = [ot]
        else:
            if len(objs) < _SCAN:
                if ot in objs:
                    continue
            else:
                seen = seen_of.get((st, pt))
                if seen is None:
                    seen = seen_of[(st, pt)] = set(objs)
                if ot in seen:
                    continue
                seen.add(ot)
            objs.append(ot)
        added += 1
        if is_type and isinstance(ot, str):
            types.setdefault(ot, []).append(st)
        if pairs is not None:
            pairs.append((st, ot))
    index.count += added


def _parse_rdflib(index: TripleIndex, path: Path, text: str, fmt: str, tag: str) -> None:
    from rdflib import Graph

    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many types for bad syntax
        raise _syntax_error(path, fmt, exc) from None

    add_rdflib(index, graph, tag)


def add_rdflib(index: TripleIndex, graph: object, tag: str = "") -> None:
    """Add every triple of an rdflib graph to ``index``.  Complexity: O(T)."""
    from rdflib import BNode, Literal

    def term(x: object) -> Term:
        if isinstance(x, BNode):
            return f"_:{tag}{x}"
        if isinstance(x, Literal):
            plain = x.datatype is None or str(x.datatype).endswith("#string")
            return Lit(str(x), None if plain else str(x.datatype), x.language)
        return str(x)

    for s, p, o in graph:  # type: ignore[attr-defined]
        index.add(str(term(s)), str(p), term(o))
