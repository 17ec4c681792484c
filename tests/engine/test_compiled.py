"""Compiled supply models per date class (graph/engine/compiled.py).

* on the bundled graph, the model loaded from the disk cache equals a freshly compiled
  one on dates in every class, on the class boundaries, on an edge's last day and the day
  after;
* a damaged or forged entry is rebuilt, never unpickled; ``--no-cache`` bypasses it;
* hypothesis: on small random graphs with random validity intervals, two dates of one
  class compile to equal models, and a class boundary is exactly a day on which the
  compiled model differs from the day before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine import compiled
from chokemap.graph.engine.compiled import change_dates, class_of, date_classes, model_for
from chokemap.graph.engine.setting import Setting
from chokemap.graph.engine.supply import Link, SupplyModel
from chokemap.graph.io import cache
from chokemap.graph.io.load import load

sys.path.insert(0, str(Path(__file__).parents[1]))
import inproc  # noqa: E402

DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of this module's own, holding the bundled graph."""
    old = os.environ.get("XDG_CACHE_HOME")
    path = tmp_path_factory.mktemp("modelcache")
    os.environ["XDG_CACHE_HOME"] = str(path)
    load(cache=True)
    yield path
    if old is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = old


def fresh(_folder: Path) -> KnowledgeGraph:
    """The bundled graph from the graph cache, with an empty memo (a new process)."""
    kg = load(cache=True)
    assert kg.cache_key is not None and not kg.memo
    return kg


def dates_to_try(kg: KnowledgeGraph) -> list[dt.date]:
    """Every class's first and last day, an edge's last day and the day after, far ends."""
    out = {dt.date(1990, 1, 1), dt.date(2040, 1, 1)}
    for c in change_dates(kg):
        out |= {c, c - DAY}
    for t in ("requires", "supplies"):
        for _u, _v, d in kg.edges_of(t):
            if d.get("valid_to"):
                out |= {d["valid_to"], d["valid_to"] + DAY}
    return sorted(out)


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object) -> None:
        msg = "compiled, not loaded"
        raise AssertionError(msg)
    monkeypatch.setattr(SupplyModel, "compile", classmethod(refuse))
    monkeypatch.setattr(compiled, "placeholder_ends", refuse)  # nor the change dates worked out


def test_the_bundled_graph_has_classes(folder: Path) -> None:
    kg = fresh(folder)
    classes = date_classes(kg)
    assert len(classes) == len(change_dates(kg)) + 1 >= 3
    for c in classes[1:]:
        assert c.start is not None and class_of(kg, c.start) == c and class_of(kg, c.start - DAY) != c


def test_loaded_models_equal_compiled_ones(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kg = fresh(folder)
    days = dates_to_try(kg)
    for day in days:  # fill the disk cache: as one process per date would
        kg.memo.clear()
        model_for(kg, day)
    expected = {day: SupplyModel.compile(kg, day) for day in days}
    with monkeypatch.context() as m:
        no_compiling(m)
        for day in days:
            kg.memo.clear()  # from disk, not from memory
            got = model_for(kg, day)
            assert got == expected[day], day
            assert got.date == day
            # Links again, not the plain tuples they are stored as (which compare equal)
            assert all(type(lk) is Link for lists in (got.reqs, got.sups, got.inactive) for links in lists.values()
                       for lk in links)
    for day in days:  # from memory, other dates of the class
        assert model_for(kg, day) == expected[day]


def test_a_class_is_compiled_once_and_shared(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kg = fresh(folder)
    c = date_classes(kg)[-1]
    assert c.start is not None
    one = Setting(kg, c.start)
    with monkeypatch.context() as m:
        no_compiling(m)
        other = Setting(kg, c.start + 400 * DAY)
        assert other.model.reqs is one.model.reqs and other.model.date == c.start + 400 * DAY
        planned = Setting(kg, c.start, plans=dt.date.max)  # count_plans changes its own copy only
    assert planned.model.sups is not one.model.sups
    assert one.model == SupplyModel.compile(kg, c.start)


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "chokemap" / "models").glob("*.pickle"))


@pytest.mark.parametrize("damage", ["garbage", "flip", "truncate", "forged"])
def test_damaged_entries_are_rebuilt_not_trusted(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                damage: str) -> None:
    day = dt.date(2025, 6, 1)
    kg = fresh(folder)
    model_for(kg, day)
    kg.memo.clear()
    want = cache.model_key(kg.cache_key or "", class_of(kg, day).name)
    entry = next(p for p in entries(folder) if p.stem == want)
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"not a pickle")
    elif damage == "flip":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    else:  # sealed with the right key, but not a model's fields
        secret = cache._secret(create=False)
        assert secret is not None
        body = cache._dumps({"magic": "chokemap-supply-model", "format": cache._FORMAT, "key": want,
                             "version": cache.__version__, "fields": {"reqs": {}}})
        entry.write_bytes(cache._header(secret, want, body) + body)
    unpickled: list[int] = []
    real = cache.pickle.loads

    def counted(b: bytes, **kw: object) -> object:
        unpickled.append(1)
        return real(b, **kw)  # type: ignore[arg-type]
    monkeypatch.setattr(cache.pickle, "loads", counted)
    got = model_for(kg, day)
    assert got == SupplyModel.compile(kg, day)
    if damage != "forged":
        assert len(unpickled) == 1  # the static entry only: the damaged one was never read
    assert cache.get_model(want) is not None  # rebuilt


def test_links_read_back_alone_are_those_of_the_whole_list(folder: Path) -> None:
    """A stored class's links are made per item when read; one link alone (the last, the
    first to a given node) or the nodes alone are read without making the others, and
    equal those of the compiled lists."""
    from chokemap.graph.engine.supply import LinkLists, first_link, last_link, row_nodes

    day = dt.date(2025, 6, 1)
    kg = fresh(folder)
    model_for(kg, day)
    kg.memo.clear()
    stored = model_for(kg, day)
    want = SupplyModel.compile(kg, day)
    assert isinstance(stored.reqs, LinkLists) and isinstance(stored.sups, LinkLists)
    for name in ("reqs", "sups"):
        lists, plain = getattr(stored, name), getattr(want, name)
        for item, links in plain.items():
            assert row_nodes(lists, item) == [lk.node for lk in links]
            assert last_link(lists, item) == (links[-1] if links else None)
            for node in {lk.node for lk in links} | {"no such node"}:
                assert first_link(lists, item, node) == next((lk for lk in links if lk.node == node), None)
        assert first_link(lists, "no such item", "x") is None and last_link(lists, "no such item") is None
        assert all(type(dict.__getitem__(lists, item)) is int for item in lists)  # none made by that
        assert lists == plain  # reading the whole makes them all, equal


@pytest.mark.parametrize("bad", ["code", "rows", "typecode"])
def test_link_columns_that_do_not_make_links_are_rebuilt(folder: Path, bad: str) -> None:
    day = dt.date(2025, 6, 1)
    kg = fresh(folder)
    want = model_for(kg, day)
    key = cache.model_key(kg.cache_key or "", class_of(kg, day).name)
    fields = cache.get_model(key)
    assert fields is not None and set(fields) == {*compiled._BY_CLASS, "values"}
    items, ptr, codes = fields["sups"]
    if bad == "code":  # a code past the table of values
        codes = array("i", codes)
        codes[-1] = len(fields["values"])
    elif bad == "rows":  # an item's rows past the codes
        ptr = array("q", ptr)
        ptr[-1] += 1
    else:
        codes = array("q", codes)
    # the stored columns are read back as views of the file: stored again as buffers
    again = {name: tuple(pickle.PickleBuffer(x) if isinstance(x, (memoryview, array)) else x for x in value)
             if isinstance(value, tuple) else value for name, value in {**fields, "sups": (items, ptr, codes)}.items()}
    cache.put_model(key, again)
    kg.memo.clear()
    got = model_for(kg, day)
    assert got == want == SupplyModel.compile(kg, day)
    assert cache.get_model(key)["sups"][2] == fields["sups"][2]  # type: ignore[index]  # rebuilt


def test_no_cache_bypasses_the_model_cache(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("CHOKEMAP_NO_ANSWER_CACHE", "1")
    tiny = ["--data", str(Path(__file__).parents[1] / "data" / "tiny.ttl"), "chokepoints", "--top", "3"]
    inproc.run(["--no-cache", *tiny], check=True)
    assert not (tmp_path / "chokemap" / "models").exists()
    inproc.run(tiny, check=True)
    # the static fields, the policies, the class's model, and its end products
    assert len(list((tmp_path / "chokemap" / "models").glob("*.pickle"))) == 4


# --------------------------------------------------------------------------- random graphs

D0 = dt.date(2025, 1, 1)
DAYS = st.sampled_from([None, *(D0 + k * DAY for k in range(6))])


@st.composite
def dated_graph(draw: st.DrawFn) -> KnowledgeGraph:
    """Items with requirements and suppliers valid over random intervals (some empty, some
    planned), a placeholder supplier of one firm's model."""
    g = nx.MultiDiGraph()
    items = [f"i{k}" for k in range(draw(st.integers(1, 4)))]
    firms = ["f0", "f1", "various"]
    for f in firms:
        g.add_node(f, type="Firm", label=f, country="US", **({"aggregate": True} if f == "various" else {}))
    g.add_node("US", type="Country", label="US")
    for it in items:
        g.add_node(it, type="Chip", label=it)
        if draw(st.booleans()):
            g.add_edge(it, "f0", type="designed_by")
    for _ in range(draw(st.integers(0, 8))):
        t = draw(st.sampled_from(["requires", "supplies"]))
        u = draw(st.sampled_from(items if t == "requires" else [*firms, *items]))
        g.add_edge(u, draw(st.sampled_from(items)), type=t, sources=[], share=draw(st.sampled_from([None, 0.5])),
                   valid_from=draw(DAYS), valid_to=draw(DAYS), planned=draw(st.integers(0, 5)) == 0)
    return KnowledgeGraph(rdf=Graph(), g=g, sources={})


def by_class(m: SupplyModel) -> tuple[object, ...]:
    return tuple(getattr(m, f) for f in compiled._BY_CLASS)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_graph())
def test_classes_are_exact_on_random_graphs(kg: KnowledgeGraph) -> None:
    days = [D0 + k * DAY for k in range(-2, 9)]
    models = {d: SupplyModel.compile(kg, d) for d in days}
    bounds = set(change_dates(kg))
    assert bounds <= set(days[1:])  # every date the graph names lies in the window
    for prev, day in zip(days, days[1:], strict=False):
        assert (by_class(models[prev]) != by_class(models[day])) == (day in bounds), day
        if class_of(kg, prev) == class_of(kg, day):
            assert dataclasses.replace(models[prev], date=day) == models[day]
        assert model_for(kg, day) == models[day]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_graph(), st.sampled_from([D0 + k * DAY for k in range(-2, 9)]))
def test_the_first_compile_finds_the_change_dates(kg: KnowledgeGraph, day: dt.date) -> None:
    # a graph with nothing stored: the first model is compiled before its class is known,
    # and the change dates come from the validities that compile met
    kg.memo.clear()
    got = model_for(kg, day)
    found = kg.memo["change_dates"]
    kg.memo.clear()
    assert found == change_dates(kg)
    assert got == SupplyModel.compile(kg, day) and got.date == day
    assert model_for(kg, day) == got


def test_a_timeline_compiles_once_per_class(bundled: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    from chokemap.graph.engine.timeline import timeline

    calls: list[dt.date] = []
    real = SupplyModel.compile.__func__  # type: ignore[attr-defined]

    def counted(cls: type[SupplyModel], kg: KnowledgeGraph, day: dt.date) -> SupplyModel:
        calls.append(day)
        return real(cls, kg, day)  # type: ignore[no-any-return]
    monkeypatch.setattr(SupplyModel, "compile", classmethod(counted))
    bundled.memo.clear()
    out = timeline(bundled, "h200", "CN", dt.date(2016, 4, 1), dt.date(2026, 3, 31))
    assert out["change_dates"] > len(date_classes(bundled)) >= len(calls) > 0
    assert len({class_of(bundled, d) for d in calls}) == len(calls)


def test_end_products_are_kept_with_the_class_model(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A date class's end products are worked out once and read back from the model cache
    in a new process; a damaged entry is worked out again."""
    from chokemap.graph.engine import chokepoints as cp
    from chokemap.graph.engine.compiled import stored_key

    day = dt.date(2025, 6, 1)
    kg = fresh(folder)
    want = cp._end_products(model_for(kg, day), ("System", "Chip"))
    assert want and cp.end_products(model_for(kg, day)) == want
    key = stored_key(model_for(kg, day), "end-products/System,Chip")
    assert key is not None and cache.get_model(key) == {"value": want}
    with monkeypatch.context() as m:
        m.setattr(cp, "_end_products", lambda *_a: pytest.fail("worked out again"))
        assert cp.end_products(model_for(fresh(folder), day)) == want
    cache.put_model(key, {"value": [1, 2]})
    assert cp.end_products(model_for(fresh(folder), day)) == want
    assert cache.get_model(key) == {"value": want}


def test_policies_are_kept_with_the_graph_models(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph's policies are compiled once and read back from the model cache in a new
    process, equal; a damaged entry is compiled again."""
    from chokemap.graph.engine import policy

    want = policy._policies(fresh(folder))
    assert want and policy.policies_from_graph(fresh(folder)) == want
    key = cache.model_key(fresh(folder).cache_key, "policies")  # type: ignore[arg-type]
    assert cache.get_model(key) == {"value": want}
    with monkeypatch.context() as m:
        m.setattr(policy, "_policies", lambda _kg: pytest.fail("compiled again"))
        assert policy.policies_from_graph(fresh(folder)) == want
    cache.put_model(key, {"value": {"p": "not a policy"}})
    assert policy.policies_from_graph(fresh(folder)) == want and cache.get_model(key) == {"value": want}
