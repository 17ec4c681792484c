"""Two backends that answer SPARQL SELECT queries with rows of plain terms.

:class:`HttpEndpoint` speaks the SPARQL 1.1 protocol with the standard library only (POST
``application/x-www-form-urlencoded``; results as SPARQL XML, JSON or TSV, read with
pyoxigraph's parsers or the standard library), and :class:`OxigraphStore` reads a
pyoxigraph store on disk.  :mod:`graph.io.endpoint` pulls subgraphs through either.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Protocol

from .. import __version__
from ..core.deadline import within_deadline
from ..core.errors import ChokemapError, DataError, UsageError
from .triples import Lit, Term

__all__ = ["Backend", "EndpointError", "HttpEndpoint", "OxigraphStore", "Row", "connect"]

_MAX_SECONDS = 366 * 86400.0  # threading's waits overflow on much larger (or infinite) timeouts
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class EndpointError(ChokemapError):
    """A triple store cannot be read: unreachable, an HTTP error, or not a SPARQL endpoint.

    ``param`` and ``value`` name the bound that was met (the request's deadline, the
    answer's size), so that a front end can name its own option; None otherwise.
    """

    def __init__(self, msg: str, param: str | None = None, value: str | None = None) -> None:
        super().__init__(msg)
        self.param = param
        self.value = value


Row = dict[str, Term]


class Backend(Protocol):
    """Something that answers SPARQL SELECT queries with rows of terms."""

    where: str

    def select(self, query: str) -> list[Row]:
        """Run a SELECT query; each row maps the bound variables to terms."""
        ...


# --------------------------------------------------------------------------- backends


def _json_term(b: dict[str, Any]) -> Term:
    kind, value = b.get("type"), str(b.get("value", ""))
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value.removeprefix("nodeID://")
    lang = b.get("xml:lang")
    if lang:
        return Lit(value, None, str(lang))
    dtype = b.get("datatype")
    return Lit(value, None if dtype in (None, _XSD_STRING, _LANG_STRING) else str(dtype))


# XML first: Virtuoso writes it five times faster than JSON; both parse as standard.
_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9, text/tab-separated-values;q=0.5"
_OX_FORMATS = {"application/sparql-results+xml": "XML", "text/tab-separated-values": "TSV"}


def _ox_term(t: Any) -> Term:
    """A pyoxigraph term as an index term (the same mapping as graph.io.triples)."""
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return str(t.value)
    if isinstance(t, ox.BlankNode):
        return "_:" + str(t.value)
    if t.language:
        return Lit(t.value, None, t.language)
    dtype = t.datatype.value
    return Lit(t.value, None if dtype in (_XSD_STRING, _LANG_STRING) else dtype)


def _rows_of(solutions: Any) -> list[Row]:
    """Rows of pyoxigraph solutions.  O(rows); each distinct term is converted once."""
    names = [v.value for v in solutions.variables]
    seen: dict[Any, Term] = {}
    out = []
    for sol in solutions:
        row: Row = {}
        for name in names:
            t = sol[name]
            if t is not None:
                term = seen.get(t)
                if term is None:
                    term = seen[t] = _ox_term(t)
                row[name] = term
        out.append(row)
    return out


class HttpEndpoint:
    """A SPARQL 1.1 endpoint over HTTP(S), spoken with the standard library.

    Parameters in the URL's query string (``default-graph-uri``, ``named-graph-uri``)
    are sent with every query, so ``http://host:8890/sparql?default-graph-uri=urn:g``
    queries one graph of a store.

    Raises
    ------
    UsageError
        The URL is not an http:// or https:// URL.
    """

    def __init__(self, url: str, timeout: float = 60.0, deadline: float = 300.0,
                 max_bytes: int = 1 << 30) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            msg = "not an http:// or https:// URL (e.g. http://localhost:8890/sparql)"
            raise UsageError(msg, "endpoint", repr(url))
        self.where = url
        self.url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
        self.params = urllib.parse.parse_qsl(parts.query)
        if not (0 < deadline < _MAX_SECONDS) or not (0 < max_bytes):
            msg = f"deadline {deadline!r} s / max_bytes {max_bytes!r}: both must be positive (deadline under a year)"
            raise UsageError(msg)
        self.timeout = min(timeout, deadline)  # seconds of silence allowed (connect, each read)
        self.deadline = deadline  # seconds a whole request may take, however the bytes trickle in
        self.max_bytes = max_bytes  # the largest answer read; a bigger one is refused
        self.queries = 0
        # The parameters a front end names in a deadline / size message (``--endpoint-timeout 1: ...``).
        self.deadline_param = "endpoint_timeout"
        self.size_param = "endpoint_max_mb"

    def select(self, query: str) -> list[Row]:
        """POST one SELECT query and parse the results (XML, JSON or TSV).  O(rows).

        Raises
        ------
        EndpointError
            Unreachable, timed out, HTTP error, or an answer that is not SPARQL results.
        """
        ctype, raw = self.send(query, _ACCEPT)
        kind = ctype.split(";")[0].strip().lower()
        try:
            if kind in _OX_FORMATS:
                return self._parse_ox(raw, kind)
            doc = json.loads(raw.decode("utf-8"))
            rows = doc["results"]["bindings"]
            doc["head"]["vars"]  # noqa: B018 - part of the check
            return [{k: _json_term(v) for k, v in row.items()} for row in rows]
        except (ValueError, KeyError, TypeError, SyntaxError, AttributeError):
            msg = (f"{self.where} is not a SPARQL endpoint (it answered {kind or 'no content type'}, "
                   "not SPARQL results); give the query URL, e.g. http://localhost:8890/sparql")
            raise EndpointError(msg) from None

    def send(self, query: str, accept: str) -> tuple[str, bytes]:
        """POST one query as it is; return the answer's content type and body.  O(body).

        The whole request gets :attr:`deadline` seconds (a server sending a byte a second
        is cut off), and the answer at most :attr:`max_bytes` bytes (one streaming without
        end is cut off): memory and time stay bounded.

        Raises
        ------
        EndpointError
            Unreachable, timed out, past the deadline or the size limit, or an HTTP error.
        """
        import threading

        stop = threading.Event()
        done, answer = within_deadline(lambda: self._send(query, accept, stop), self.deadline, "chokemap-endpoint")
        if not done:
            stop.set()  # the reader gives up at its next chunk; the daemon thread dies with the process
            msg = (f"SPARQL endpoint {self.where} did not finish answering within {self.deadline:g} s; "
                   "is it overloaded, or the query too broad? (allow more time, or narrow the query)")
            raise EndpointError(msg, self.deadline_param, f"{self.deadline:g}")
        return answer  # type: ignore[no-any-return]

    def _send(self, query: str, accept: str, stop: Any) -> tuple[str, bytes]:
        body = urllib.parse.urlencode([*self.params, ("query", query)]).encode("utf-8")
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": accept,
            "User-Agent": f"chokemap/{__version__}",
        })
        self.queries += 1
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - http(s) only
                return resp.headers.get("Content-Type", ""), self._read(resp, stop)
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())[:160]
            if detail.startswith("<"):  # an HTML error page says nothing a line can hold
                detail = ""
            msg = (f"SPARQL endpoint {self.where} answered HTTP {exc.code} {exc.reason}"
                   + (f": {detail}" if detail else "")
                   + ("" if exc.code >= 500 or exc.code == 400 else "; check the URL (it usually ends in /sparql)"))
            raise EndpointError(msg) from None
        except TimeoutError:
            msg = f"SPARQL endpoint {self.where} did not answer within {self.timeout:g} s; is it overloaded?"
            raise EndpointError(msg) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            why = getattr(reason, "strerror", None) or str(reason)
            msg = f"cannot reach SPARQL endpoint {self.where} ({why}); is the server running and the URL right?"
            raise EndpointError(msg) from None

    def _read(self, resp: Any, stop: Any) -> bytes:
        """The body in chunks, refused past :attr:`max_bytes` (checked as it arrives, and
        from Content-Length before reading anything)."""
        limit = self.max_bytes
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise self._too_big()
        read1 = getattr(resp, "read1", None)
        if read1 is None:  # a file-like answer without chunked reads (a test's stand-in)
            data = resp.read()
            if len(data) > limit:
                raise self._too_big()
            return bytes(data)
        chunks: list[bytes] = []
        size = 0
        while not stop.is_set():
            chunk = read1(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise self._too_big()
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self) -> EndpointError:
        msg = (f"SPARQL endpoint {self.where} sent more than {_size(self.max_bytes)}; "
               "narrow the query (add a LIMIT), ask a smaller graph, or allow a bigger answer")
        return EndpointError(msg, self.size_param, f"{self.max_bytes / (1 << 20):g}")

    def _parse_ox(self, raw: bytes, kind: str) -> list[Row]:
        import pyoxigraph as ox

        if kind == "application/sparql-results+xml":
            # Virtuoso writes blank nodes as "nodeID://b123", which is no valid label
            raw = raw.replace(b"<bnode>nodeID://", b"<bnode>")
        solutions = ox.parse_query_results(raw, getattr(ox.QueryResultsFormat, _OX_FORMATS[kind]))
        if not isinstance(solutions, ox.QuerySolutions):
            msg = "not a SELECT result"
            raise TypeError(msg)
        return _rows_of(solutions)


class OxigraphStore:
    """An on-disk pyoxigraph store, opened read-only (several runs may read it at once).

    Raises
    ------
    DataError
        No store at the path, or not a store.
    """

    def __init__(self, path: str | Path) -> None:
        import pyoxigraph as ox

        self.path = Path(path)
        self.where = str(path)
        self.queries = 0
        if not self.path.is_dir():
            msg = f"{path}: no store there; build one first with the `store build` command"
            raise DataError(msg)
        if not (self.path / "CURRENT").exists():  # what every Oxigraph (RocksDB) store holds
            msg = f"{path}: not a chokemap store (no database in the folder); build one with the `store build` command"
            raise DataError(msg)
        try:
            self.store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            detail = " ".join(str(exc).split())
            if len(detail) > 120:  # cut at a word, not in one
                detail = detail[:120].rsplit(" ", 1)[0] + " ..."
            msg = f"{path}: not a chokemap store ({detail}); build one with the `store build` command"
            raise DataError(msg) from None

    def select(self, query: str) -> list[Row]:
        """Run one SELECT query on the store.  O(rows)."""
        self.queries += 1
        return _rows_of(self.store.query(query))


def _size(n: int) -> str:
    """A byte count for a message: ``1 GiB``, ``64 KiB``, ``300 bytes``."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n:,} bytes"


def connect(endpoint: str | None = None, store: str | Path | None = None, timeout: float = 60.0, *,
            deadline: float | None = None, max_bytes: int | None = None) -> Backend:
    """The backend for an endpoint URL or a store path (exactly one of them); an
    endpoint's request ``deadline`` (seconds) and answer size (``max_bytes``) default to
    :class:`HttpEndpoint`'s (300 s, 1 GiB)."""
    if (endpoint is None) == (store is None):
        msg = "give either an endpoint or a store, not both"
        raise UsageError(msg)
    if endpoint is not None:
        bounds = {k: v for k, v in (("deadline", deadline), ("max_bytes", max_bytes)) if v is not None}
        return HttpEndpoint(endpoint, timeout, **bounds)  # type: ignore[arg-type]
    return OxigraphStore(store)  # type: ignore[arg-type]
