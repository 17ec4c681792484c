"""Read-only SPARQL over the loaded graph, run on Oxigraph.

rdflib's own SPARQL engine can join two ``?x a :Class`` patterns as a cross product
(a three-hop count ran past a minute on 100,000 triples, where Oxigraph took 41 ms), so
the triples of the loaded graph are copied into an in-memory Oxigraph store (about
half a million triples a second) and queries run there.  The project's prefixes
(:data:`graph.core.vocab.PREFIXES`) are predefined.

Only queries run: SELECT, ASK, CONSTRUCT and DESCRIBE.  An update (INSERT, DELETE, LOAD,
CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH) is refused with :class:`UsageError` before
anything is parsed; a syntax error raises :class:`SparqlSyntaxError` with the line and
column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from ..core.deadline import within_deadline
from ..core.errors import ChokemapError, UsageError
from ..core.vocab import PREFIXES

__all__ = [
    "UPDATE_KEYWORDS",
    "canonical",
    "QueryTimeout",
    "SparqlSyntaxError",
    "Result",
    "query_form",
    "run_query",
    "run_remote",
    "to_store",
    "render_table",
    "render_json",
    "render_csv",
]

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# What may come before the query form: comments, BASE and PREFIX declarations.
_PROLOGUE = re.compile(
    r"""\A(?:\s+|\#[^\n]*\n?|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*""", re.I | re.X)


# Strings, IRIs and comments, removed before looking for keywords in the query body.
_OPAQUE = re.compile(r'''"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*''')


class SparqlSyntaxError(ChokemapError):
    """The query does not parse; the message gives the line and column."""


def query_form(text: str) -> str:
    """The form of a query: SELECT, ASK, CONSTRUCT or DESCRIBE, decided on the parsed query.

    The text is parsed with rdflib's SPARQL grammar (which decodes ``\\u`` escapes first,
    as the standard says), and the parse tree, not the text, is searched for a federated
    ``SERVICE`` pattern, wherever it is nested and however it is spelt.  A text rdflib
    cannot parse is refused when it is an update or names ``SERVICE`` anywhere once its
    escapes are decoded; otherwise Oxigraph reports the syntax error (with line and column).

    Raises
    ------
    UsageError
        The text is an update (chokemap's SPARQL is read-only) or a federated query.
    SparqlSyntaxError
        The text does not start like a query.

    >>> query_form("PREFIX x: <http://e.org/> # hi\\n select * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("INSERT DATA { <http://a> <http://b> 1 }")
    Traceback (most recent call last):
    graph.core.errors.UsageError: INSERT is an update; chokemap's SPARQL is read-only: use SELECT, ASK, CONSTRUCT or DESCRIBE
    """
    text = canonical(text)
    rest = text[_PROLOGUE.match(text).end():]  # type: ignore[union-attr]
    word = re.match(r"[A-Za-z]+", rest)
    keyword = word.group(0).upper() if word else ""
    parsed = _parse(text)
    if parsed is not None:
        names = _node_names(parsed)
        if "ServiceGraphPattern" in names:
            raise UsageError(_SERVICE_MSG)
        form = _FORM_OF.get(parsed[1].name, keyword)
        if form in _FORMS:
            return form
    update = _update_keyword(text)
    if keyword in UPDATE_KEYWORDS or update:
        shown = keyword if keyword in UPDATE_KEYWORDS else update
        msg = f"{shown} is an update; chokemap's SPARQL is read-only: use SELECT, ASK, CONSTRUCT or DESCRIBE"
        raise UsageError(msg)
    if re.search(r"service", _decoded(text), re.I):
        raise UsageError(_SERVICE_MSG)  # cannot be parsed, so cannot be shown to stay local
    if keyword not in _FORMS:
        shown = (keyword or rest[:20].strip() or "(nothing)")
        msg = f"a SPARQL query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after PREFIX lines), not {shown!r}"
        raise SparqlSyntaxError(msg)
    return keyword


_SERVICE_MSG = "SERVICE would query a remote endpoint; chokemap's SPARQL runs over the loaded graph only"
_FORM_OF = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}
_UPDATE_OF = {"InsertData": "INSERT", "DeleteData": "DELETE", "DeleteWhere": "DELETE", "Modify": "DELETE",
              "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
              "Move": "MOVE", "Copy": "COPY"}


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPE_LIKE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")


def canonical(text: str) -> str:
    """The query with every ``\\uXXXX`` and ``\\UXXXXXXXX`` escape decoded, as SPARQL 1.1
    (19.2) says to do before parsing, repeated until none is left.

    Both the check (rdflib's grammar) and the evaluation (Oxigraph) are given this text, so
    they read the same characters: Oxigraph decodes an escape inside a string as a plain
    character where rdflib decodes it first, so ``"a\\u005C" SERVICE ...`` was a string to
    one and a federated query to the other.

    Raises
    ------
    SparqlSyntaxError
        An escape names no character (a surrogate, past U+10FFFF) or is cut short.

    >>> canonical(r"SELECT * { ?s ?p <http://x/\u0023> }")
    'SELECT * { ?s ?p <http://x/#> }'
    """
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            msg = f"SPARQL syntax error: {m.group(0)} is not a character"
            raise SparqlSyntaxError(msg)
        return chr(code)

    while True:
        decoded = _ESCAPE.sub(char, text)
        if decoded == text:
            break
        text = decoded
    left = _ESCAPE_LIKE.search(text)
    if left:
        msg = f"SPARQL syntax error: {left.group(0)}... is cut short (\\u takes 4 hex digits, \\U takes 8)"
        raise SparqlSyntaxError(msg)
    return text


def _decoded(text: str) -> str:
    """The text with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded (SPARQL 1.1, 19.2)."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        return str(expandUnicodeEscapes(text))
    except (ValueError, OverflowError):
        return text


def _parse(text: str) -> Any:
    """rdflib's parse tree of a query, or None when rdflib's grammar refuses the text."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except (ParseBaseException, ValueError, TypeError, OverflowError, UnicodeError):
        return None
    except RecursionError:
        msg = "the query is nested too deeply to check; simplify it"
        raise SparqlSyntaxError(msg) from None


def _update_keyword(text: str) -> str:
    """The keyword of the first operation when the text parses as a SPARQL update, else ''."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except (ParseBaseException, ValueError, TypeError, OverflowError, UnicodeError, RecursionError):
        return ""
    requests = list(parsed.get("request") or [])
    if not requests:
        return ""
    return _UPDATE_OF.get(getattr(requests[0], "name", ""), "UPDATE")


def _node_names(tree: Any) -> set[str]:
    """The names of every node of an rdflib parse tree (iterative: no depth limit)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return names


def to_store(graph: Graph) -> Any:
    """Copy an rdflib graph into an in-memory Oxigraph store.

    Complexity: O(T): rdflib writes N-Triples, Oxigraph parses them (~500,000 triples/s).
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.load(input=graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@dataclass
class Result:
    """A query's answer: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # var -> term dict (SPARQL JSON)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False  # more rows (or triples) than the limit: the rest were not read


def _term(term: Any) -> dict[str, Any]:
    """An Oxigraph term as a SPARQL 1.1 JSON results binding."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def run_query(source: Graph | Any, text: str, *, limit: int | None = None,
              timeout: float | None = None) -> Result:
    """Run a read-only SPARQL query over an rdflib graph (or a prepared Oxigraph store).

    Parameters
    ----------
    source : rdflib.Graph or pyoxigraph.Store
        The data; a graph is copied into a store first (:func:`to_store`).
    text : str
        The query; the prefixes of :data:`graph.core.vocab.PREFIXES` are predefined.
    limit : int, optional
        Most rows (or triples) kept, read lazily; ``Result.truncated`` says if more were left.
    timeout : float, optional
        Seconds the evaluation may take (in a worker thread; Oxigraph releases the GIL).

    Raises
    ------
    UsageError, SparqlSyntaxError, QueryTimeout
        An update or a federated query; a query that does not parse (the message says
        where) or cannot run; one that ran past ``timeout``.

    Complexity: O(T) to copy the triples, then Oxigraph's evaluation.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='@prefix cm: <https://chokemap.org/ns#> . '
    ...     '<https://chokemap.org/id/asml> a cm:Firm .', format="turtle")
    >>> run_query(g, "SELECT ?f WHERE { ?f a cm:Firm }").rows
    [{'f': {'type': 'uri', 'value': 'https://chokemap.org/id/asml'}}]
    >>> run_query(g, "ASK { cmi:asml a cm:Chip }").boolean
    False
    """
    if timeout is None:
        form = query_form(text)
        return _collect(form, to_store(source) if isinstance(source, Graph) else source, canonical(text), limit)
    def work() -> Result:  # the check too is timed: a hostile text may be slow to parse
        form = query_form(text)
        store = to_store(source) if isinstance(source, Graph) else source
        return _collect(form, store, canonical(text), limit)

    done, result = within_deadline(work, timeout, "chokemap-sparql")
    if not done:  # Oxigraph cannot be interrupted; the daemon thread dies with the process
        msg = (f"the query ran past {timeout:g} s and was stopped; add a LIMIT, narrow its "
               "patterns, or allow more time")
        exc = QueryTimeout(msg)
        exc.param, exc.value = "timeout", f"{timeout:g}"  # the front end names its own option
        raise exc
    return result  # type: ignore[no-any-return]


class QueryTimeout(ChokemapError):
    """A query ran past its time limit (``param`` names the limit for the front end)."""

    param: str | None = None
    value: str | None = None


def _collect(form: str, store: Any, text: str, limit: int | None) -> Result:
    """Evaluate and read the answer, keeping at most ``limit`` rows or triples."""
    import pyoxigraph as ox

    answer = _evaluate(store, text)
    if isinstance(answer, ox.QueryBoolean):
        return Result(form, boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[dict[str, Any]] = []
        truncated = False
        for solution in answer:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = _term(value)
            rows.append(row)
        return Result(form, variables=names, rows=rows, truncated=truncated)
    triples: list[Any] = []
    truncated = False
    for triple in answer:
        if limit is not None and len(triples) >= limit:
            truncated = True
            break
        triples.append(triple)
    return Result(form, graph=_triples_graph(triples), truncated=truncated)


def _evaluate(store: Any, text: str) -> Any:
    """Oxigraph's answer to the query, its errors turned into one-line SparqlSyntaxErrors."""
    try:
        return store.query(text, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        detail = " ".join(str(exc).split())
        detail = re.sub(r"^error at (\d+):(\d+):", r"line \1, column \2:", detail)
        if "Prefix not found" in detail:
            detail = (detail.split(":", 1)[0] + ": unknown prefix (declare it with PREFIX; "
                      f"predefined: {', '.join(PREFIXES)})")
        if len(detail) > 200:
            detail = detail[:197] + "..."
        msg = f"SPARQL syntax error at {detail}"
        raise SparqlSyntaxError(msg) from None
    except (OSError, ValueError, RuntimeError) as exc:
        msg = f"SPARQL query failed: {' '.join(str(exc).split())}"
        raise SparqlSyntaxError(msg) from None


def _triples_graph(answer: Any) -> Graph:
    """The triples of a CONSTRUCT or DESCRIBE answer as an rdflib graph (via N-Triples)."""
    import pyoxigraph as ox

    buf = io.BytesIO()
    ox.serialize(answer, buf, ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    graph.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return graph


def _prologue() -> str:
    """PREFIX declarations for the predefined prefixes (a query may redeclare them)."""
    return "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())


def run_remote(backend: Any, text: str, *, limit: int | None = None) -> Result:
    """Send a read-only query to a SPARQL endpoint and read its answer there, in place.

    The query is checked first as :func:`run_query` checks it (no update, no federated
    ``SERVICE``), then sent with the predefined prefixes declared ahead of it.

    Complexity: the endpoint's evaluation, plus O(size of the answer) to read it.

    Raises
    ------
    UsageError
        The text is an update or a federated query.
    EndpointError
        The endpoint fails, or its answer is not SPARQL results.
    """
    from ..io.backends import EndpointError

    form = query_form(text)
    graphs = form in ("CONSTRUCT", "DESCRIBE")
    accept = ("application/n-triples, text/turtle;q=0.9" if graphs
              else "application/sparql-results+json")
    ctype, raw = backend.send(_prologue() + canonical(text), accept)
    kind = ctype.split(";")[0].strip().lower()
    try:
        if graphs:
            graph = Graph()
            for prefix, ns in PREFIXES.items():
                graph.bind(prefix, ns, override=True)
            graph.parse(data=raw.decode("utf-8"), format="turtle" if "turtle" in kind else "nt")
            return Result(form, graph=graph)
        doc = json.loads(raw.decode("utf-8"))
        if form == "ASK":
            if "boolean" not in doc:  # Virtuoso answers ASK as one row of __ASK_RETVAL (0 or 1)
                (row,) = doc["results"]["bindings"]
                return Result(form, boolean=str(row["__ASK_RETVAL"]["value"]) in ("1", "true"))
            return Result(form, boolean=bool(doc["boolean"]))
        bindings = doc["results"]["bindings"]
        truncated = limit is not None and len(bindings) > limit
        rows = [{k: {**v, "type": "literal" if v["type"] == "typed-literal" else v["type"]}
                 for k, v in row.items()} for row in bindings[:limit]]
        return Result(form, variables=list(doc["head"]["vars"]), rows=rows, truncated=truncated)
    except (ValueError, KeyError, TypeError, SyntaxError, AttributeError, UnicodeDecodeError):
        msg = f"{backend.where} answered {kind or 'no content type'}, not SPARQL results for a {form} query"
        raise EndpointError(msg) from None


def _short(term: dict[str, Any]) -> str:
    value = str(term["value"])
    if term["type"] == "uri":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.-]*", value[len(ns):]):
                return f"{prefix}:{value[len(ns):]}"
        return f"<{value}>"
    if term["type"] == "bnode":
        return f"_:{value}"
    return value


def render_table(result: Result) -> str:
    """Text: an aligned table for SELECT (prefixed names), yes/no for ASK, Turtle for graphs."""
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    if result.graph is not None:
        return str(result.graph.serialize(format="turtle")).rstrip()
    header = result.variables
    cells = [[_short(r[v]).replace("\n", " ") if v in r else "" for v in header] for r in result.rows]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)


def render_json(result: Result) -> str:
    """SPARQL 1.1 JSON results for SELECT and ASK; JSON-LD (inline context) for graphs."""
    if result.graph is not None:
        return str(result.graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2))
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": result.rows}},
                      ensure_ascii=False, indent=2)


def render_csv(result: Result) -> str:
    """SPARQL 1.1 CSV results for SELECT; ``subject,predicate,object`` rows for graphs;
    one ``boolean`` column for ASK."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    elif result.graph is not None:
        writer.writerow(["subject", "predicate", "object"])
        for s, p, o in sorted(result.graph):
            writer.writerow([str(s), str(p), str(o)])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([row[v]["value"] if v in row else "" for v in result.variables])
    return buf.getvalue().rstrip("\n")
