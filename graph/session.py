"""One session of questions: where the graph comes from, names, "today", and answers.

A :class:`Session` is what the command line (or a notebook) talks to, as datasette's
``Datasette`` owns its databases.  It

* knows where the graph comes from: Turtle files (the bundled graph by default), an
  on-disk store, or a SPARQL endpoint;
* decides "today" once, so every answer of the session is for the same day;
* resolves the names of a question once, and pulls from a store or an endpoint only the
  subgraph the question needs (:meth:`Session.ask`);
* caches answers as data (:meth:`Session.answer`), keyed by the files' contents, the
  code, the question and today's date; a cached answer is the same JSON-ready data the
  question computes, so text, JSON and pages render the same thing either way.

It never prints and never names command-line flags.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core.dates import today as _today
from .core.errors import UsageError
from .core.model import KnowledgeGraph

__all__ = ["Asked", "Session", "plain"]


def plain(obj: Any) -> Any:
    """``obj`` as plain JSON data (dates as ``YYYY-MM-DD``): what an answer is, cached or not.

    Exactly what a JSON round trip (``default=str``) gives, which is what the answer cache
    reads back; built by one walk over dicts with text keys, lists, tuples, text, numbers,
    None and dates (a chain-heavy answer at M is megabytes: the walk takes a fifth of the
    round trip's time), and by the round trip itself for anything else.

    Complexity: O(size of obj).

    >>> import datetime as dt
    >>> plain({"as_of": dt.date(2026, 2, 1), "ids": ("a", "b")})
    {'as_of': '2026-02-01', 'ids': ['a', 'b']}
    """
    try:
        return _plain(obj, {})
    except _NotPlain:
        return json.loads(json.dumps(obj, ensure_ascii=False, default=str))


class _NotPlain(Exception):
    """A value the walk of :func:`plain` leaves to the JSON round trip."""


def _plain(o: Any, seen: dict[int, tuple[Any, Any]]) -> Any:
    """The walk of :func:`plain`.  A dict or list met again (the same object: the sources
    that the hops of long chains share) is made once and shared in the result too, as
    equal as the round trip's copies: an answer is only read after this."""
    t = type(o)
    if t is str or t is int or t is float or t is bool or o is None:
        return o
    if t is dt.date:
        return o.isoformat()
    if t is not dict and t is not list and t is not tuple:
        raise _NotPlain
    known = seen.get(id(o))
    if known is not None:
        return known[1]
    if t is dict:
        out: Any = {}
        for key, v in o.items():
            if type(key) is not str:  # json writes other keys as text its own way
                raise _NotPlain
            out[key] = _plain(v, seen)
    else:
        out = [_plain(v, seen) for v in o]
    seen[id(o)] = (o, out)  # the object kept with its id, so the id is not reused meanwhile
    return out


@dataclass
class Asked:
    """A question's graph and its names, resolved once: ``items`` (ids of items),
    ``names`` (ids of any entities), ``buyer`` (a country or firm id, or None)."""

    kg: KnowledgeGraph
    items: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    buyer: str | None = None


class Session:
    """Where the graph comes from, today's date, resolved names and cached answers.

    Parameters
    ----------
    data : sequence of str or Path
        Turtle files or folders; the bundled graph when empty.
    endpoint : str, optional
        A SPARQL 1.1 endpoint URL to read the graph from, in place.
    store : str or Path, optional
        An on-disk store built by :func:`graph.io.endpoint.build_store`.
    cache : bool
        Reuse compiled graphs and answers from the user's cache folder.
    today : date, optional
        The session's "today" (default: the system's date, read once).
    endpoint_timeout : float, optional
        Seconds one request to the endpoint may take in all (default 300).
    endpoint_max_mb : float, optional
        The largest answer read from the endpoint, in MiB (default 1024).

    Raises
    ------
    UsageError
        More than one of files, store and endpoint.

    Examples
    --------
    >>> s = Session(["data/countries.ttl"], cache=False, today=dt.date(2026, 2, 1))
    >>> s.on(None), s.ask(names=["China"]).names
    (datetime.date(2026, 2, 1), ['cn'])
    """

    def __init__(self, data: Sequence[str | Path] = (), *, endpoint: str | None = None,
                 store: str | Path | None = None, cache: bool = True, today: dt.date | None = None,
                 endpoint_timeout: float | None = None, endpoint_max_mb: float | None = None) -> None:
        if sum(bool(x) for x in (data, endpoint, store)) > 1:
            msg = "read the graph from files, a store or an endpoint: one of them"
            raise UsageError(msg)
        for name, value in (("endpoint_timeout", endpoint_timeout), ("endpoint_max_mb", endpoint_max_mb)):
            if value is not None and not endpoint:
                msg = "bounds a SPARQL endpoint's answers; give the endpoint too"
                raise UsageError(msg, name, f"{value:g}")
        self.endpoint_timeout = endpoint_timeout
        self.endpoint_max_mb = endpoint_max_mb
        self.data = list(data)
        self.endpoint = endpoint
        self.store = store
        self.cache = cache
        self.today = today or _today()
        self._kg: KnowledgeGraph | None = None
        self._backend: Any = None

    # ------------------------------------------------------------------ the graph

    @property
    def remote(self) -> bool:
        """True when the graph is read from a store or an endpoint, not from files."""
        return bool(self.endpoint or self.store)

    def on(self, as_of: dt.date | None) -> dt.date:
        """The date a question is for: the one given, else the session's today."""
        return as_of or self.today

    def backend(self) -> Any:
        """The store or endpoint (opened once)."""
        if self._backend is None:
            from .io.backends import connect

            size = None if self.endpoint_max_mb is None else max(1, int(self.endpoint_max_mb * (1 << 20)))
            self._backend = connect(self.endpoint, self.store, deadline=self.endpoint_timeout, max_bytes=size)
        return self._backend

    def graph(self) -> KnowledgeGraph:
        """The whole graph (parsed or from the cache; pulled whole from a store or endpoint)."""
        if self._kg is None:
            if self.remote:
                from .io.endpoint import load_whole

                self._kg = load_whole(self.backend(), page=self._page())
            else:
                from .io.load import load

                self._kg = load(self.data or None, cache=self.cache)
        return self._kg

    def _page(self) -> int:
        return 100000 if self.store else 10000

    def ask(self, items: Iterable[str] = (), names: Iterable[str] = (), buyer: str | None = None, *,
            direction: str = "upstream", depth: int | None = None, whole: bool = False) -> Asked:
        """Resolve a question's names (items, any entities, the buyer) once, on the graph.

        From files the graph is the whole graph.  From a store or an endpoint, the names
        are resolved on its name directory, and only their subgraph is pulled
        (``direction`` upstream, downstream or both, ``depth`` levels), unless ``whole``.

        Complexity: O(N·A) to resolve against N entities with A names; remote, plus the
        subgraph pulled, O(T) triples.

        Raises
        ------
        UnknownEntity, AmbiguousEntity
            A name matches no entity, or several (with suggestions or candidates).
        """
        items, names = list(items), list(names)
        if self.remote and not whole and (items or names):
            from .io.endpoint import directory, iri_of, load_seeds

            where = directory(self.backend(), self._page())
            asked = _resolve(where, items, names, buyer)
            seeds = [str(where.node(n).get("iri") or iri_of(n))
                     for n in [*asked.items, *asked.names, *([asked.buyer] if asked.buyer else [])]]
            asked.kg = load_seeds(self.backend(), seeds, direction, depth, self._page())
            return asked
        return _resolve(self.graph(), items, names, buyer)

    # ------------------------------------------------------------------ answers

    def answer(self, command: str, params: dict[str, Any], compute: Callable[[], Any]) -> Any:
        """The answer to a question, as plain JSON data (:func:`plain`), from the answer
        cache when the same question was asked of the same files by the same code today.

        ``compute`` loads what it needs and answers; it is not called on a hit.  Errors
        are never cached.  Complexity: O(size of the answer) on a hit.
        """
        key = self._answer_key(command, params)
        if key is not None:
            from .io import cache

            hit = cache.get_answer(key)
            if hit is not None:
                return hit
        result = plain(compute())
        if key is not None and not (self._kg is not None and self._kg.g.graph.get("notices")):
            # a graph with notices is answered afresh each time, so each run repeats them
            cache.put_answer(key, result)
        return result

    def _answer_key(self, command: str, params: dict[str, Any]) -> str | None:
        from .io import cache

        if not self.cache or self.remote or not cache.answers_enabled():
            return None
        from .io.inputs import resolve_paths

        graph_key = cache.key_for(resolve_paths(self.data or None))
        if graph_key is None:
            return None
        question = {"command": command, "params": params, "today": self.today.isoformat()}
        return cache.answer_key(graph_key, question)

    # ------------------------------------------------------------------ SPARQL

    def sparql(self, text: str, *, limit: int | None = None, timeout: float | None = None) -> Any:
        """Run a read-only query where the graph is: sent to the endpoint, run in the
        store, or (files) run on an in-memory Oxigraph copy of the graph.

        Raises
        ------
        UsageError
            An update, or a federated query.
        SparqlSyntaxError, EndpointError
            The query does not parse or run; the endpoint fails.
        """
        from .interchange.sparql import run_query, run_remote

        if self.endpoint:
            return run_remote(self._within(timeout), text, limit=limit)
        if self.store:
            return run_query(self.backend().store, text, limit=limit, timeout=timeout)
        return run_query(self.graph().rdf, text, limit=limit, timeout=timeout)

    def _within(self, timeout: float | None) -> Any:
        """The endpoint, its request deadline shortened to a query's ``timeout`` when that
        is the shorter (a copy: the session's own reads keep their deadline)."""
        import copy

        backend = self.backend()
        if timeout is None or timeout >= backend.deadline:
            return backend
        bounded = copy.copy(backend)
        bounded.deadline, bounded.timeout, bounded.deadline_param = timeout, min(backend.timeout, timeout), "timeout"
        return bounded


def _resolve(kg: KnowledgeGraph, items: list[str], names: list[str], buyer: str | None) -> Asked:
    from .engine.supply import ITEM_TYPES
    from .queries.lookup import resolve, resolve_buyer

    return Asked(kg, [resolve(kg, n, set(ITEM_TYPES), "item") for n in items],
                 [resolve(kg, n) for n in names], resolve_buyer(kg, buyer))
