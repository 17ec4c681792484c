"""Compiled supply models, one per date class: shared in memory and cached on disk.

The supply model of a date (:meth:`graph.engine.supply.SupplyModel.compile`) reads the
date only through :func:`graph.core.dates.edge_in_force`, edge by edge, over the
``requires`` and ``supplies`` edges (placeholder supplies aside: never counted on any
date).  Launch dates are read at question time (:meth:`SupplyModel.launched`), and the
rest of the model (launches, countries, operators, kind-of ancestors, jurisdictions) does
not depend on the date at all.  So the model changes only on a *change date*: a day on
which that rule's answer for some edge differs from its answer the day before.  A *date
class* is a maximal run of days between two consecutive change dates; every date of a
class compiles to the same model (:func:`date_classes`, :func:`class_of`).

:func:`model_for` gives the model of a date: from the graph's per-process memo (a few
classes, newest used kept), else from the model cache on disk (``models/`` next to the
graph cache, sealed and checked like it, keyed by the graph cache's key and the class:
:func:`graph.io.cache.get_model`), else compiled, and then stored.  A graph that did not
come from the graph cache (``--no-cache``, a store, an endpoint) has no key: its models are
compiled and kept in memory only.  Models of several dates of one class share every field
but the date; the date-independent fields are shared by all classes in a process.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import pickle
from array import array
from collections.abc import Callable
from typing import Any, NamedTuple

from ..core.dates import edge_in_force
from ..core.lazy import int_view
from ..core.model import KnowledgeGraph
from ..io import cache
from .supply import Link, LinkLists, SupplyModel, placeholder_ends

__all__ = ["DateClass", "MEMO_CLASSES", "change_dates", "class_of", "date_classes", "model_for", "stored_key"]

#: How many date classes' models a graph keeps in memory (the most recently used).
MEMO_CLASSES = 4

#: The fields a date class decides, and those that are the same on every date.
_BY_CLASS = ("reqs", "sups", "planned", "inactive", "placeholders")
_STATIC = ("launch", "launch_state", "aggregate", "country", "operator", "ancestors", "jurisdictions", "items")
_STATIC_NAME = "static"
_WIDTH = len(Link._fields)  # codes per stored link
_DAY = dt.timedelta(days=1)


class DateClass(NamedTuple):
    """The days ``start`` .. ``end`` (both included; None: open) sharing one model."""

    start: dt.date | None
    end: dt.date | None

    @property
    def name(self) -> str:
        """A stable text naming the class (its cache key part)."""
        return f"{self.start or '-'}..{self.end or '-'}"


def _flips(edge: dict[str, Any]) -> list[dt.date]:
    """The days on which :func:`edge_in_force` answers for ``edge`` otherwise than the day
    before.  The rule reads an interval, so only its first day and the day after its last
    can be such a day: each is asked of the rule itself.  O(1)."""
    start, end = edge.get("valid_from"), edge.get("valid_to")
    days = [start, end + _DAY if end is not None and end < dt.date.max else None]
    return [day for day in days if day is not None and day > dt.date.min
            and edge_in_force(edge, day) != edge_in_force(edge, day - _DAY)]


def change_dates(kg: KnowledgeGraph) -> tuple[dt.date, ...]:
    """The sorted change dates of the graph's supply model (see the module docstring).

    The rule is asked once per distinct combination of the fields it reads (``valid_from``,
    ``valid_to``, ``planned``: a large graph has few).  Memoised on the graph.
    Complexity: O(E + K + C log C) for E dependency edges, K combinations and C change
    dates, the first time; O(1) after.
    """
    known = kg.memo.get("change_dates")
    if known is not None:
        return known  # type: ignore[no-any-return]
    aggregate, specific = placeholder_ends(kg)
    combos = {(d.get("valid_from"), d.get("valid_to"), d.get("planned")) for _u, _v, d in kg.edges_of("requires")}
    combos |= {(d.get("valid_from"), d.get("valid_to"), d.get("planned")) for u, v, d in kg.edges_of("supplies")
               if not (u in aggregate and v in specific)}
    out = kg.memo["change_dates"] = _days(combos)
    return out


def _days(combos: set[tuple[Any, Any, Any]] | frozenset[tuple[Any, Any, Any]]) -> tuple[dt.date, ...]:
    """The sorted change dates of edges with these (valid_from, valid_to, planned).
    O(K + C log C)."""
    days: set[dt.date] = set()
    for start, end, planned in combos:
        if start is not None or end is not None:
            days.update(_flips({"valid_from": start, "valid_to": end, "planned": planned}))
    return tuple(sorted(days))


def date_classes(kg: KnowledgeGraph) -> list[DateClass]:
    """Every date class of the graph, in order: from always to the first change date's
    eve, ..., from the last change date on.  O(C) after :func:`change_dates`."""
    days = change_dates(kg)
    starts: list[dt.date | None] = [None, *days]
    ends: list[dt.date | None] = [d - _DAY for d in days]
    return [DateClass(s, e) for s, e in zip(starts, [*ends, None], strict=True)]


def class_of(kg: KnowledgeGraph, date: dt.date) -> DateClass:
    """The date class ``date`` belongs to.  O(log C) after :func:`change_dates`."""
    days = change_dates(kg)
    i = bisect.bisect_right(days, date)
    return DateClass(days[i - 1] if i else None, days[i] - _DAY if i < len(days) else None)


def model_for(kg: KnowledgeGraph, date: dt.date, private: bool = False) -> SupplyModel:
    """The supply model of ``date``: equal to ``SupplyModel.compile(kg, date)``, made once
    per date class (memo, then disk cache, then compiled and stored).

    With ``private``, the lists and dicts a caller may change (suppliers, plans, launch
    states: :func:`graph.engine.plans.count_plans` does) are the caller's own copies;
    otherwise the model shares them with every other date of its class, and must not be
    changed.  Complexity: O(log C) on a memo hit (O(V + E) list copies when private);
    O(size of the entry) from disk; O(V + E) compiled.
    """
    key = kg.cache_key if cache.enabled() else None
    if key is not None and "static" not in kg.memo:
        _static_from_disk(kg, key)
    fresh = None
    if "change_dates" not in kg.memo:
        # no class known yet, so nothing stored can be read (the graph's stored static entry
        # carries its change dates): compile first; the compile meets every validity the
        # change dates come from (one pass over the edges, not two)
        fresh = _compile(kg, date)
        kg.memo["change_dates"] = _days(fresh.validities)
    cls = class_of(kg, date)
    memo: dict[DateClass, SupplyModel] = kg.memo.setdefault("models", {})
    base = memo.pop(cls, None)
    if base is None and fresh is not None:
        base = fresh
        if key is not None:
            _store(kg, key, cls, fresh, with_static=True)
    elif base is None:
        base = _load_or_compile(kg, date, cls, key)
    memo[cls] = base  # newest last
    while len(memo) > MEMO_CLASSES:
        del memo[next(iter(memo))]
    if private:
        return dataclasses.replace(
            base, date=date, sups={k: list(v) for k, v in base.sups.items()},
            planned={k: list(v) for k, v in base.planned.items()}, launch_state=dict(base.launch_state),
            _chains={})
    return base if base.date == date else dataclasses.replace(base, date=date)


def stored_key(model: SupplyModel, what: str) -> str | None:
    """The model cache key for ``what`` is derived from ``model`` alone (its item graph:
    :mod:`graph.engine.itemgraph`), stored beside its date class's model; None when it
    cannot be stored: the graph has no cache key, or the model is a private copy (plans
    counted) rather than its class's.  O(log C)."""
    kg = model.kg
    key = kg.cache_key if cache.enabled() else None
    if key is None:
        return None
    cls = class_of(kg, model.date)
    base = kg.memo.get("models", {}).get(cls)
    if base is None or base.sups is not model.sups or base.reqs is not model.reqs:
        return None
    return cache.model_key(key, f"{cls.name}/{what}")


def derived(model: SupplyModel, what: str, make: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """A value worked out from ``model`` alone (and its graph), kept beside its date
    class's model in the model cache (:func:`stored_key`, :func:`graph.io.cache.kept`):
    read back when the stored value is ``valid``, else made and stored.  O(size) to read
    or write, plus ``make`` when not stored."""
    return cache.kept(stored_key(model, what), make, valid)


def _static_from_disk(kg: KnowledgeGraph, key: str) -> None:
    """Put the graph's stored date-independent fields and change dates in its memo, when
    the entry checks (a new process then needs no pass over the graph to find its class)."""
    got = _read(key, _STATIC_NAME, (*_STATIC, "change_dates"))
    if got is not None and isinstance(got["change_dates"], tuple):
        kg.memo["change_dates"] = got.pop("change_dates")
        kg.memo["static"] = got


def _load_or_compile(kg: KnowledgeGraph, date: dt.date, cls: DateClass, key: str | None) -> SupplyModel:
    """The model of a class not in memory: from the disk cache when the graph has a key
    and both entries (the class's, the graph's static fields) check; else compiled, and
    the missing entries stored.  Date-independent fields already in memory are shared."""
    static: dict[str, Any] | None = kg.memo.get("static")
    by_class = _read(key, cls.name, (*_BY_CLASS, "values")) if key is not None and static is not None else None
    links = _link_lists(by_class) if by_class is not None else None
    if static is not None and links is not None:
        model = SupplyModel(kg, date, **static, **links)
        kg.memo["static"] = {name: getattr(model, name) for name in _STATIC}
        return model
    model = _compile(kg, date)
    if key is not None:
        _store(kg, key, cls, model, with_static=static is None)
    return model


def _store(kg: KnowledgeGraph, key: str, cls: DateClass, model: SupplyModel, with_static: bool) -> None:
    """Store a class's compiled model, and the graph's static entry (with its change dates)
    when it is not stored yet.  O(size of the entries)."""
    cache.put_model(cache.model_key(key, cls.name), _interned(model, _BY_CLASS))
    if with_static:
        cache.put_model(cache.model_key(key, _STATIC_NAME),
                        {**_interned(model, _STATIC), "change_dates": change_dates(kg)})


def _compile(kg: KnowledgeGraph, date: dt.date) -> SupplyModel:
    """A freshly compiled model, sharing the date-independent fields already in memory
    (and leaving its own there for the next class).  O(V + E)."""
    static: dict[str, Any] | None = kg.memo.get("static")
    with cache.paused_gc():
        model = SupplyModel.compile(kg, date)
    if static is not None:
        for name in _STATIC:  # one copy of what every class shares
            setattr(model, name, static[name])
    kg.memo["static"] = {name: getattr(model, name) for name in _STATIC}
    return model


def _read(key: str, name: str, fields: tuple[str, ...]) -> dict[str, Any] | None:
    """The stored fields of one entry, when it holds exactly ``fields``; else None."""
    got = cache.get_model(cache.model_key(key, name))
    return got if got is not None and set(got) == set(fields) else None


def _interned(model: SupplyModel, fields: tuple[str, ...]) -> dict[str, Any]:
    """The fields to store.  Links go in columns: one table of the distinct values of
    their fields (equal strings, numbers and dates once; a tuple of sources or of replaced
    figures once per distinct tuple of objects, as the graph shares them), and per field
    of links (``reqs``, ``sups``, ...) its items, where each item's links start, and every
    link as a row of codes into the table (:class:`graph.engine.supply.LinkLists` reads
    them back, making the Links of an item when it is read).  Complexity: O(links)."""
    values: list[Any] = []
    code: dict[Any, int] = {}

    def ref(x: Any) -> int:
        # by type and value (1, 1.0 and True are three values), tuples of dicts by identity
        key = (type(x), *map(id, x)) if isinstance(x, tuple) else (type(x), x)
        c = code.get(key)
        if c is None:
            c = code[key] = len(values)
            values.append(x)
        return c

    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(model, name)
        if name in _BY_CLASS:
            items = list(value)
            ptr, codes = array("q", [0]), array("i")
            for item in items:
                for lk in value[item]:
                    codes.extend([ref(x) for x in lk])
                ptr.append(len(codes) // _WIDTH)
            value = (items, pickle.PickleBuffer(ptr), pickle.PickleBuffer(codes))  # read back in place
        out[name] = value
    if any(name in _BY_CLASS for name in fields):
        out["values"] = values
    return out


def _link_lists(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The stored columns of a class's links as :class:`LinkLists`, or None when they do
    not make them (a damaged or foreign entry: every code must name a value, every
    item its rows).  O(items + links) for the checks."""
    import numpy as np

    values = entry["values"]
    out: dict[str, Any] = {}
    if not isinstance(values, list):
        return None
    for name in _BY_CLASS:
        got = entry[name]
        if not (isinstance(got, tuple) and len(got) == 3):
            return None
        items, ptr, codes = got
        if not (isinstance(items, list) and isinstance(ptr, (memoryview, bytes, bytearray))
                and isinstance(codes, (memoryview, bytes, bytearray))):
            return None
        ptr, codes = int_view(ptr, "q"), int_view(codes, "i")
        if ptr is None or codes is None or not (
                len(ptr) == len(items) + 1 and ptr[0] == 0 and ptr[-1] * _WIDTH == len(codes)):
            return None
        rows, cells = np.frombuffer(ptr, dtype=np.int64), np.frombuffer(codes, dtype=np.int32)
        if (rows[1:] < rows[:-1]).any() or (cells.size and not 0 <= cells.min() <= cells.max() < len(values)):
            return None
        out[name] = LinkLists(items, ptr, codes, values)
    return out
