"""The compiled-graph cache: keyed by content, rebuilt when damaged, bypassable."""

from __future__ import annotations

import json
import os
import pickle
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chokemap.graph.io import cache
from chokemap.graph.io.load import load

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture()
def graph_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHOKEMAP_NO_CACHE", raising=False)
    path = tmp_path / "g.ttl"
    path.write_text((DATA / "tiny.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def entries() -> list[Path]:
    return sorted(cache.cache_dir().glob("*.pickle")) if cache.cache_dir().exists() else []


def test_second_load_is_served_from_the_cache(graph_file: Path) -> None:
    first = load([graph_file], cache=True)
    (entry,) = entries()
    assert entry.parent == cache.cache_dir() and str(cache.cache_dir()).startswith(os.environ["XDG_CACHE_HOME"])
    second = load([graph_file], cache=True)
    assert sorted(second.g.edges(data="type")) == sorted(first.g.edges(data="type"))
    assert second.files == [graph_file]


def test_a_changed_file_gets_a_new_key(graph_file: Path) -> None:
    k1 = cache.key_for([graph_file])
    load([graph_file], cache=True)
    graph_file.write_text(graph_file.read_text(encoding="utf-8").replace('"MemA"', '"MemA2"'), encoding="utf-8")
    assert cache.key_for([graph_file]) != k1
    assert load([graph_file], cache=True).label("mema") == "MemA2"


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "truncate", "foreign"])
def test_damaged_entries_are_rebuilt(graph_file: Path, damage: bytes | str) -> None:
    load([graph_file], cache=True)
    (entry,) = entries()
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "foreign":
        entry.write_bytes(pickle.dumps({"magic": "something else"}))
    else:
        entry.write_bytes(damage)  # type: ignore[arg-type]
    kg = load([graph_file], cache=True)
    assert kg.label("mema") == "MemA"
    (again,) = entries()
    assert cache.get(again.stem) is not None  # rebuilt and stored again


def test_no_cache_bypasses(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load([graph_file], cache=False)
    assert entries() == []
    load([graph_file])  # the library writes nothing to disk unless asked
    assert entries() == []
    monkeypatch.setenv("CHOKEMAP_NO_CACHE", "1")
    load([graph_file], cache=True)
    assert entries() == []


def test_concurrent_runs_leave_a_valid_entry(graph_file: Path) -> None:
    # `import cli` maps this checkout to `chokemap` (as tests/conftest.py does), whatever is installed
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parents[2])!r}); import cli; "
            "from chokemap.graph.io.load import load; "
            f"kg = load([{str(graph_file)!r}], cache=True); print(kg.label('mema'))")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ)
             for _ in range(4)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert outs == ["MemA"] * 4 and all(p.returncode == 0 for p in procs)
    (entry,) = entries()
    assert cache.get(entry.stem) is not None
    assert not list(cache.cache_dir().glob(".tmp-*"))


# --------------------------------------------------------------------------- answers


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    cli = Path(__file__).parents[2] / "cli.py"
    return subprocess.run([sys.executable, str(cli), *args], capture_output=True, text=True, env=os.environ,
                          timeout=120)


def answer_entries() -> list[Path]:
    folder = cache.cache_dir("answers")
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_a_repeated_question_is_answered_from_the_answer_cache(graph_file: Path) -> None:
    args = ("--data", str(graph_file), "chokepoints", "--target", "phone", "--as-of", "2025-06-01")
    first = run_cli(*args)
    assert first.returncode == 0 and "Chokepoints of" in first.stdout
    (entry,) = answer_entries()
    # The cache holds the answer as data, not printed text; prove the second run reads
    # it by planting a marker in the data, which the text is rendered from.
    # (Entries are sealed with the user's key: the marker goes in through put_answer.)
    answer = cache.get_answer(entry.stem)
    assert answer["chokepoints"] and "stdout" not in answer
    answer["chokepoints"][0]["label"] = "MARKER"
    cache.put_answer(entry.stem, answer)
    assert "MARKER" in run_cli(*args).stdout
    # the same data, another rendering (the JSON of every chain: --json alone walks only 20)
    assert "MARKER" in run_cli(*args, "--json", "--explain", "all").stdout
    # Another option, another question; --no-cache asks afresh and stores nothing.
    assert "MARKER" not in run_cli(*args[:-1], "2025-06-02").stdout
    assert run_cli("--no-cache", *args).stdout == first.stdout
    assert len(answer_entries()) == 2  # text and --json share one answer


def test_a_changed_file_is_asked_again(graph_file: Path) -> None:
    args = ("--data", str(graph_file), "show", "mema")
    assert "MemA" in run_cli(*args).stdout
    graph_file.write_text(graph_file.read_text(encoding="utf-8").replace('"MemA"', '"MemA2"'), encoding="utf-8")
    assert "MemA2" in run_cli(*args).stdout


@pytest.mark.parametrize("damage", ["", "{not json", '{"magic": "chokemap-answer", "stdout": 3}', "\udcff"])
def test_damaged_answers_are_asked_again(graph_file: Path, damage: str) -> None:
    args = ("--data", str(graph_file), "show", "mema")
    good = run_cli(*args).stdout
    (entry,) = answer_entries()
    entry.write_bytes(damage.encode("utf-8", "surrogateescape"))
    again = run_cli(*args)
    assert again.returncode == 0 and again.stdout == good and again.stderr == ""
    (entry,) = answer_entries()
    assert cache.get_answer(entry.stem)["label"] == "MemA"


def test_not_found_is_remembered_but_errors_are_not(graph_file: Path) -> None:
    none = run_cli("--data", str(graph_file), "search", "zzzqqq")
    assert none.returncode == 1 and run_cli("--data", str(graph_file), "search", "zzzqqq").returncode == 1
    assert len(answer_entries()) == 1
    bad = run_cli("--data", str(graph_file), "show", "zzzqqq")
    assert bad.returncode == 1 and "no entity" in bad.stderr
    assert len(answer_entries()) == 1


def test_the_answer_cache_keeps_the_newest(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ANSWERS", 3)
    keys = [cache.answer_key("g", {"n": i}) for i in range(5)]
    for i, k in enumerate(keys):
        cache.put_answer(k, {"answer": i})
        os.utime(cache.cache_dir("answers") / f"{k}.json", ns=(i * 10**9, i * 10**9))
    cache.put_answer(keys[4], {"answer": 4})
    assert {p.stem for p in answer_entries()} == set(keys[2:])
    assert cache.get_answer(keys[4]) == {"answer": 4}


def test_an_edit_to_the_code_changes_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mod.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_PACKAGE", tmp_path)
    cache.code_fingerprint.cache_clear()
    try:
        before = cache.code_fingerprint()
        (tmp_path / "mod.py").write_text("x = 2\n", encoding="utf-8")
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() != before
    finally:
        cache.code_fingerprint.cache_clear()


def test_answers_can_be_asked_afresh_from_the_cached_graph(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHOKEMAP_NO_ANSWER_CACHE", "1")
    out = run_cli("--data", str(graph_file), "show", "mema")
    assert out.returncode == 0 and "MemA" in out.stdout
    assert answer_entries() == [] and len(entries()) == 1


def _all_edges(kg: object) -> list[tuple[object, ...]]:
    return list(kg.g.edges(keys=True, data=True))  # type: ignore[attr-defined]


@pytest.mark.parametrize("data", [None, [DATA / "tiny.ttl"]], ids=["bundled", "tiny"])
def test_a_cached_graph_reads_its_edges_on_first_use_and_equals_a_fresh_one(
        graph_file: Path, data: list[Path] | None) -> None:
    """The graph cache keeps the adjacency as a blob read when first used
    (graph/core/lazy.py): nodes and the small kinds of links come without it, and every
    view of the edges, read in any order, is the fresh graph's."""
    import networkx as nx

    from chokemap.graph.core.lazy import LazyGraph, edges_deferred
    from chokemap.graph.core.model import DEFERRED_TYPES

    fresh = load(data, cache=True)  # parsed (blank nodes get new ids on every parse), then stored
    cached = load(data, cache=True)
    assert isinstance(cached.g, LazyGraph) and edges_deferred(cached.g)
    assert dict(cached.g.nodes(data=True)) == dict(fresh.g.nodes(data=True))
    assert cached.g.graph == fresh.g.graph and len(cached.g) == len(fresh.g)
    types = sorted({d["type"] for _u, _v, d in fresh.g.edges(data=True)})
    for t in types:
        if t not in DEFERRED_TYPES:
            assert cached.edges_of(t) == fresh.edges_of(t), t
    assert edges_deferred(cached.g)  # none of that read the adjacency
    assert _all_edges(cached) == _all_edges(fresh)
    assert not edges_deferred(cached.g) and type(cached.g) is nx.MultiDiGraph
    for t in types:
        assert cached.edges_of(t) == fresh.edges_of(t), t
    # the other way round: a dependency type asked first reads the adjacency
    again = load(data, cache=True)
    assert again.edges_of("requires") == fresh.edges_of("requires") and not edges_deferred(again.g)
    node = next(v for _u, v, _d in fresh.edges_of("requires"))
    assert list(again.g.in_edges(node, keys=True, data=True)) == list(fresh.g.in_edges(node, keys=True, data=True))


def test_a_new_question_on_a_cached_graph_leaves_its_edges_unread(graph_file: Path) -> None:
    """With the supply model of the date class cached, a chokepoint ranking reads nodes,
    policies and models only: the answer is the fresh graph's, and the adjacency (most of
    a large graph) is never unpickled."""
    import datetime as dt

    from chokemap.graph.core.lazy import edges_deferred
    from chokemap.graph.engine.horizons import chokepoints_with_horizons

    day = dt.date(2025, 6, 1)
    want = chokepoints_with_horizons(load([graph_file], cache=False), None, None, day, top=None)
    chokepoints_with_horizons(load([graph_file], cache=True), None, None, day, top=None)  # models cached
    cached = load([graph_file], cache=True)
    got = chokepoints_with_horizons(cached, None, None, day, top=None)
    assert got == want
    assert edges_deferred(cached.g)


def test_a_warm_question_does_not_import_networkx(graph_file: Path) -> None:
    """From the cache, the graph is a plain stand-in until its edges are used
    (graph/core/lazy.py): a new question whose models are cached reads its nodes without
    importing networkx, and answers as a fresh run does."""
    args = ("--data", str(graph_file), "chokepoints", "--top", "5", "--as-of", "2025-06-01", "--json")
    fresh = run_cli("--no-cache", *args)
    run_cli(*args)  # the graph and the date class's models into the cache
    cli = str(Path(__file__).parents[2] / "cli.py")
    code = ("import atexit, runpy, sys\n"  # the CLI ends by os._exit, after the exit handlers
            "atexit.register(lambda: print('networkx' in sys.modules, file=sys.stderr))\n"
            f"sys.argv = [{cli!r}, *sys.argv[1:]]\n"
            f"runpy.run_path({cli!r}, run_name='__main__')\n")
    env = dict(os.environ, CHOKEMAP_NO_ANSWER_CACHE="1")
    warm = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout == fresh.stdout
    assert warm.stderr.strip().splitlines()[-1] == "False"


def test_the_lazy_graph_answers_as_networkx_does_before_and_after_its_edges_are_read(graph_file: Path) -> None:
    """The stand-in's node views (``nodes``, ``nodes(data=...)``, ``in``, ``len``,
    iteration) give what networkx's give; anything else turns it into the MultiDiGraph."""
    import networkx as nx

    from chokemap.graph.core.lazy import LazyGraph, edges_deferred

    fresh = load([graph_file], cache=True).g
    lazy = load([graph_file], cache=True).g
    assert type(lazy) is LazyGraph
    node = next(iter(fresh))
    assert list(lazy) == list(fresh) and len(lazy) == len(fresh) and lazy.number_of_nodes() == len(fresh)
    assert node in lazy and "no such node" not in lazy and ["unhashable"] not in lazy
    assert list(lazy.nodes) == list(fresh.nodes) and lazy.nodes[node] == fresh.nodes[node]
    assert lazy.nodes.get("no such node", {}) == {} and node in lazy.nodes
    assert list(lazy.nodes(data=True)) == list(fresh.nodes(data=True))
    assert list(lazy.nodes(data="type", default="?")) == list(fresh.nodes(data="type", default="?"))
    assert edges_deferred(lazy)
    assert dict(lazy[node]) == dict(fresh[node])  # g[n]: the adjacency, read now
    assert type(lazy) is nx.MultiDiGraph and not edges_deferred(lazy)
    assert nx.utils.graphs_equal(lazy, fresh)


def test_node_rows_round_trip_through_their_columns() -> None:
    """A graph's nodes are stored in columns and made per node on first read
    (graph/core/lazy.py NodeRows): every value, every dict's key order and the nodes'
    order come back; no two nodes share a value object; a change to a node's dict lasts;
    ``get`` and ``of_type`` answer as the dict would."""
    import datetime as dt

    from chokemap.graph.core.lazy import NodeRows

    nodes = {
        "a": {"type": "Firm", "label": "Acmé 中国", "aliases": ["A", "Ä"], "aggregate": False, "n": 3},
        "b": {"label": "", "type": "Chip", "aliases": [], "launch": dt.date(2024, 3, 1), "specs": {"hbm": "HBM3"},
              "odd": "lone \udc80 surrogate", "none": None, "yes": True},
        "c": {"type": "Firm", "aliases": ["A", "Ä"], "specs": {"hbm": "HBM3"}, "mixed": ["x", 1], "share": 0.5},
        "d": {},
    }
    rows = pickle.loads(pickle.dumps(NodeRows(nodes)))  # noqa: S301 - made here
    assert type(rows) is NodeRows and list(rows) == list(nodes) and len(rows) == 4
    assert all(type(dict.__getitem__(rows, n)) is int for n in nodes)  # nothing made yet
    assert rows.of_type({"Firm"}) == ["a", "c"] and rows.of_type(None) == list(nodes)
    assert all(type(dict.__getitem__(rows, n)) is int for n in nodes)  # nor by a scan of types
    assert [rows.attr(n, "label", "-") for n in nodes] == ["Acmé 中国", "", "-", "-"]
    assert rows.attr("a", "aliases") == ["A", "Ä"] and rows.attr("b", "yes") is True
    assert all(type(dict.__getitem__(rows, n)) is int for n in nodes)  # nor by reading one attribute
    with pytest.raises(KeyError):
        rows.attr("zz", "label")
    for n, d in nodes.items():
        assert rows[n] == d and list(rows[n]) == list(d), n
    assert rows["a"]["aliases"] is not rows["c"]["aliases"] and rows["b"]["specs"] is not rows["c"]["specs"]
    assert rows.get("zz", 0) == 0 and rows.get("zz") is None and rows.get(["unhashable"], 7) == 7
    assert rows.get("a") is rows["a"] and "a" in rows and "zz" not in rows
    rows["a"]["label"] = "changed"
    rows["c"]["type"] = "Country"  # a dict made already is read itself
    assert rows["a"]["label"] == "changed" and rows.of_type({"Firm"}) == ["a"]
    assert rows == {**nodes, "a": {**nodes["a"], "label": "changed"}, "c": {**nodes["c"], "type": "Country"}}
    assert dict(rows.items()) == rows.as_dict() and rows.values() == list(rows.as_dict().values())


def test_damaged_node_columns_are_refused() -> None:
    from chokemap.graph.core.lazy import NodeRows, _columns

    cols = list(_columns(list({"a": {"type": "Firm"}, "b": {"type": "Chip"}}.items())))
    assert NodeRows._stored(*cols) == {"a": {"type": "Firm"}, "b": {"type": "Chip"}}
    cols[0] = ["a"]  # one id for two rows
    with pytest.raises(ValueError, match="damaged"):
        NodeRows._stored(*cols)


def test_a_cached_graph_makes_the_nodes_it_reads_only(graph_file: Path) -> None:
    """From the cache, a node's attribute dict is made when the node is read; a scan by
    class (``kg.typed``) makes the nodes of that class only, and answers as the fresh graph."""
    from chokemap.graph.core.lazy import NodeRows

    fresh = load([graph_file], cache=True)
    cached = load([graph_file], cache=True)
    rows = cached.g._node
    assert isinstance(rows, NodeRows)

    def made() -> set[str]:
        return {n for n, d in dict.items(rows) if type(d) is dict}

    assert made() == set()
    types = {d["type"] for _n, d in fresh.g.nodes(data=True)}
    want = {t: [(n, d) for n, d in fresh.g.nodes(data=True) if d["type"] == t] for t in types}
    firms = list(cached.typed({"Firm"}))
    assert firms == want["Firm"] and made() == {n for n, _d in firms}
    assert cached.of_type("Firm", "Chip") == [n for n, d in fresh.g.nodes(data=True) if d["type"] in {"Firm", "Chip"}]
    assert list(cached.typed(None)) == list(fresh.g.nodes(data=True)) and made() == set(fresh.g)


def test_flat_buffers_are_stored_out_of_band_and_read_in_place() -> None:
    """An entry's numpy arrays and wrapped buffers follow its pickle, each at an 8-byte
    boundary of the file, and come back as views of the bytes read (no copy); a layout
    that does not add up is refused."""
    import numpy as np

    arr = np.arange(1000, dtype=np.int64)
    entry = {"a": arr, "b": pickle.PickleBuffer(b"xyz" * 7), "c": [1, "two"]}
    payload = cache._dumps(entry)
    whole = bytes(cache._BODY_AT) + payload  # where a sealed file has it: after its mark and HMAC
    got = cache._loads(memoryview(whole)[cache._BODY_AT:])
    assert np.array_equal(got["a"], arr) and not got["a"].flags.writeable
    start = np.frombuffer(whole, dtype=np.uint8)
    assert np.shares_memory(got["a"], start)  # read in place
    assert (got["a"].ctypes.data - start.ctypes.data) % 8 == 0  # at an 8-byte boundary of the file
    assert bytes(got["b"]) == b"xyz" * 7 and got["c"] == [1, "two"]
    for bad in (payload[:-1], payload + b"\0", (10**9).to_bytes(8, "little") + payload[8:]):
        with pytest.raises((ValueError, pickle.UnpicklingError, struct.error)):
            cache._loads(memoryview(bad))


def test_an_entry_others_may_write_is_not_believed(graph_file: Path) -> None:
    """A cache file is mapped, not copied, when read: one that is not this user's alone
    (group or others may write it) could change under the check, so it is refused,
    deleted and rebuilt."""
    from chokemap.graph.core.lazy import LazyGraph

    load([graph_file], cache=True)
    (entry,) = entries()
    assert isinstance(load([graph_file], cache=True).g, LazyGraph)  # from the cache
    entry.chmod(0o666)
    again = load([graph_file], cache=True)
    assert not isinstance(again.g, LazyGraph) and again.label("phone") == "Phone"  # parsed afresh
    assert entries() == [entry] and entry.stat().st_mode & 0o077 == 0  # stored again, this user's only


def test_the_name_index_is_kept_with_the_cached_graph(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names are resolved on an index built once per graph and stored next to its models:
    a new process finds the same entities without building it again."""
    from chokemap.graph.core.errors import UnknownEntity
    from chokemap.graph.queries import lookup

    load([graph_file], cache=True)
    first = load([graph_file], cache=True)
    assert lookup.resolve(first, "phone") == "phone"
    built = lookup._exact_index(first)

    def no_building(*_a: object) -> None:
        msg = "the index was built again"
        raise AssertionError(msg)

    monkeypatch.setattr(lookup, "_names", no_building)
    second = load([graph_file], cache=True)
    assert lookup._exact_index(second).as_dict() == built.as_dict()
    assert lookup.resolve(second, "phone") == "phone"
    monkeypatch.undo()  # an unknown name is searched for by prefix, which reads every name
    with pytest.raises(UnknownEntity):
        lookup.resolve(second, "no such thing at all")


def _hashed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files read through to hash them, from now on (no in-process memo either)."""
    read: list[Path] = []
    real = cache._file_digest.__wrapped__

    def counting(path: Path, *stat_: int) -> bytes:
        read.append(path)
        return real(path, *stat_)

    monkeypatch.setattr(cache, "_file_digest", counting)
    return read


def _next_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: no digests in memory."""
    monkeypatch.setattr(cache, "_REMEMBERED", {})


def test_a_settled_files_digest_is_remembered_across_runs(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    read = _hashed(monkeypatch)
    key = cache.key_for([graph_file])
    assert read == [graph_file]
    _next_run(monkeypatch)
    assert cache.key_for([graph_file]) == key and read == [graph_file]  # named without reading it
    _next_run(monkeypatch)
    cache._digests_path().unlink()
    assert cache.key_for([graph_file]) == key and len(read) == 2  # the same key as from its bytes


def test_a_file_rewritten_at_the_same_size_and_time_is_hashed_again(graph_file: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    read = _hashed(monkeypatch)
    key = cache.key_for([graph_file])
    before = graph_file.stat()
    time.sleep(0.05)  # past the file system clock's tick
    graph_file.write_text(graph_file.read_text(encoding="utf-8").replace('"MemA"', '"MemB"'), encoding="utf-8")
    os.utime(graph_file, ns=(before.st_atime_ns, before.st_mtime_ns))  # only the change time tells
    assert graph_file.stat().st_size == before.st_size
    _next_run(monkeypatch)
    assert cache.key_for([graph_file]) != key and len(read) == 2


def test_a_file_changed_just_now_is_not_remembered(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _hashed(monkeypatch)
    key = cache.key_for([graph_file])
    assert not cache._digests_path().exists()
    _next_run(monkeypatch)
    assert cache.key_for([graph_file]) == key and len(read) == 2


def test_forged_digests_are_not_believed(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    key = cache.key_for([graph_file])
    path = cache._digests_path()
    head = len(cache._SEAL) + 32
    known = json.loads(path.read_bytes()[head:])
    path.write_bytes(path.read_bytes()[:head] + json.dumps(dict.fromkeys(known, "0" * 64)).encode())
    _next_run(monkeypatch)
    read = _hashed(monkeypatch)
    assert cache.key_for([graph_file]) == key and read == [graph_file]  # the seal failed: hashed again


def test_an_answer_is_plain_json_data_whether_computed_or_read_back() -> None:
    """``plain`` gives exactly what the answer cache reads back (a JSON round trip with
    ``default=str``), on its fast walk and on everything it leaves to the round trip."""
    import datetime as dt
    import math

    from chokemap.graph.session import plain

    class Text(str):
        pass

    shared = {"id": "src", "date": dt.date(2025, 1, 1)}  # one source cited by many hops
    listed = [shared, dt.date(2024, 1, 1)]
    values = [
        {"as_of": dt.date(2026, 2, 1), "rows": ({"ids": ("a", "b"), "share": 0.1, "n": 3, "ok": True}, None)},
        {"when": dt.datetime(2026, 2, 1, 12, 30), "keys": {1: "one", False: "no", 2.5: "half", None: "none"}},
        {"set": frozenset({"x"}), "text": Text("t"), "nan": math.inf, "nested": [[[], {}], -0.0, 10**30]},
        ["\udce9 lone surrogate", "ünïcode", ""],
        {"twice": [shared, shared, (shared,)], "again": shared, "lists": [listed, listed]},
    ]
    for value in values:
        want = json.loads(json.dumps(value, ensure_ascii=False, default=str))
        got = plain(value)
        assert got == want and json.dumps(got) == json.dumps(want)


def test_the_edges_are_kept_apart_and_read_only_when_used(graph_file: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached graph's adjacency lives in a ``.edges`` file beside its entry: loading the
    graph and asking of its nodes reads only the entry; the first use of the edges reads
    and checks the file, and gives the fresh graph's edges."""
    fresh = load([graph_file], cache=True)  # parsed (blank nodes get new ids on every parse), then stored
    (entry,) = entries()
    edges = entry.with_suffix(".edges")
    assert edges.is_file()
    read: list[str] = []
    real = cache._read_sealed
    monkeypatch.setattr(cache, "_read_sealed", lambda path, key: read.append(path.suffix) or real(path, key))
    cached = load([graph_file], cache=True)
    assert dict(cached.g.nodes(data=True)) == dict(fresh.g.nodes(data=True)) and read == [".pickle"]
    assert _all_edges(cached) == _all_edges(fresh) and read == [".pickle", ".edges"]


def test_lost_or_damaged_edges_rebuild_the_graph(graph_file: Path) -> None:
    """An entry whose edges file is gone is a miss; one damaged after the entry was read
    stops the question with a CacheError that says to run again, and drops the entry."""
    load([graph_file], cache=True)
    (entry,) = entries()
    edges = entry.with_suffix(".edges")
    edges.unlink()
    fresh = load([graph_file], cache=True)  # a miss: parsed and stored again
    assert edges.is_file()
    cached = load([graph_file], cache=True)
    data = bytearray(edges.read_bytes())
    data[-1] ^= 1
    edges.write_bytes(bytes(data))
    with pytest.raises(cache.CacheError, match="run the command again"):
        _all_edges(cached)
    assert not entry.exists() and not edges.exists()
    rebuilt = load([graph_file], cache=True)  # parsed again: its blank nodes have new ids

    def unnamed(kg: object) -> list[object]:
        return [(u, v, k, {a: b for a, b in d.items() if a != "rdf"}) for u, v, k, d in _all_edges(kg)]

    assert unnamed(rebuilt) == unnamed(fresh) and edges.is_file()


def test_the_name_index_finds_every_name_and_rebuilds_a_bad_entry(graph_file: Path) -> None:
    """The stored index (sorted names, binary-searched) gives every normalised name the
    entries a plain dict built from the nodes would, and nothing for other text; an entry
    that does not make an index is built again."""
    from chokemap.graph.queries import lookup

    kg = load(None, cache=False)  # the bundled graph: names in many scripts, aliases, ISO codes
    index = lookup._exact_index(kg)
    rank = {"id": 0, "label": 0, "iso": 1, "alias": 2}
    want: dict[str, list[tuple[int, str]]] = {}
    for node, data in kg.g.nodes(data=True):
        if not data.get("missing"):
            for fld, name in lookup._names(kg, node):
                want.setdefault(lookup.normalize(name), []).append((rank[fld], node))
    assert index.as_dict() == want
    assert all(index.get(name) == entries for name, entries in want.items())
    assert index.get("no such name at all") == [] and index.get("") == want.get("", [])
    assert index.get("\udcff") == []
    load([graph_file], cache=True)
    first = load([graph_file], cache=True)
    lookup._exact_index(first)
    key = cache.model_key(first.cache_key, lookup._NAMES)  # type: ignore[arg-type]
    cache.put_model(key, {"blob": b"", "offs": [0], "ptr": [0], "rank": [], "node": []})
    again = load([graph_file], cache=True)
    assert lookup.resolve(again, "phone") == "phone"
    assert set(cache.get_model(key)["value"]) == set(lookup.NameIndex.FIELDS)  # type: ignore[index]
