"""The compiled-graph cache: keyed by content, rebuilt when damaged, bypassable."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from graph import cache
from graph.load import load

DATA = Path(__file__).parent / "data"


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
    first = load([graph_file])
    (entry,) = entries()
    assert entry.parent == cache.cache_dir() and str(cache.cache_dir()).startswith(os.environ["XDG_CACHE_HOME"])
    second = load([graph_file])
    assert sorted(second.g.edges(data="type")) == sorted(first.g.edges(data="type"))
    assert second.files == [graph_file]


def test_a_changed_file_gets_a_new_key(graph_file: Path) -> None:
    k1 = cache.key_for([graph_file])
    load([graph_file])
    graph_file.write_text(graph_file.read_text(encoding="utf-8").replace('"MemA"', '"MemA2"'), encoding="utf-8")
    assert cache.key_for([graph_file]) != k1
    assert load([graph_file]).label("mema") == "MemA2"


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "truncate", "foreign"])
def test_damaged_entries_are_rebuilt(graph_file: Path, damage: bytes | str) -> None:
    load([graph_file])
    (entry,) = entries()
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "foreign":
        entry.write_bytes(pickle.dumps({"magic": "something else"}))
    else:
        entry.write_bytes(damage)  # type: ignore[arg-type]
    kg = load([graph_file])
    assert kg.label("mema") == "MemA"
    (again,) = entries()
    assert cache.get(again.stem) is not None  # rebuilt and stored again


def test_no_cache_bypasses(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load([graph_file], cache=False)
    assert entries() == []
    monkeypatch.setenv("CHOKEMAP_NO_CACHE", "1")
    load([graph_file])
    assert entries() == []


def test_concurrent_runs_leave_a_valid_entry(graph_file: Path) -> None:
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent.parent)!r}); from graph.load import load; "
            f"kg = load([{str(graph_file)!r}]); print(kg.label('mema'))")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ)
             for _ in range(4)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert outs == ["MemA"] * 4 and all(p.returncode == 0 for p in procs)
    (entry,) = entries()
    assert cache.get(entry.stem) is not None
    assert not list(cache.cache_dir().glob(".tmp-*"))
