"""A hostile cache folder (issue 14, case 3): a planted entry runs no code and replays no text;
a folder another user owns or others may write is refused with a one-line message naming
--no-cache; the key that seals entries is private.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.io import cache
from chokemap.graph.io.load import load

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture()
def graph_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHOKEMAP_NO_CACHE", raising=False)
    monkeypatch.delenv("CHOKEMAP_NO_ANSWER_CACHE", raising=False)
    path = tmp_path / "g.ttl"
    path.write_text((DATA / "tiny.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    return path


class Planted:
    """Unpickling this writes a file: the proof that a cache entry ran code."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.proof, "ran"))


def _plant(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)


@pytest.mark.parametrize("sealed", ["bare", "sealed with a guessed header"])
def test_a_planted_graph_entry_runs_no_code(graph_file: Path, tmp_path: Path, sealed: str) -> None:
    key = cache.key_for([graph_file])
    assert key is not None
    proof = tmp_path / "proof"
    payload = pickle.dumps({"magic": "chokemap-graph-cache", "key": key, "graph": Planted(proof)})
    if sealed != "bare":
        payload = b"chokemap-sealed-1\n" + b"\0" * 32 + payload
    _plant(cache.cache_dir() / f"{key}.pickle", payload)
    kg = load([graph_file], cache=True)
    assert not proof.exists()
    assert kg.label("mema") == "MemA"
    assert cache.get(key) is not None  # rebuilt, sealed with the user's key


def test_an_entry_sealed_for_another_key_is_not_accepted(graph_file: Path) -> None:
    key = cache.key_for([graph_file])
    assert key is not None
    load([graph_file], cache=True)
    other = "0" * 64
    (cache.cache_dir() / f"{key}.pickle").rename(cache.cache_dir() / f"{other}.pickle")
    assert cache.get(other) is None


def test_a_planted_answer_is_not_replayed(graph_file: Path) -> None:
    args = ["--data", str(graph_file), "show", "mema"]
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    (entry,) = sorted(cache.cache_dir("answers").glob("*.json"))
    planted = {"magic": "chokemap-answer", "format": 3, "key": entry.stem,
               "answer": {"label": "PLANTED"}}
    entry.write_text(json.dumps(planted), encoding="utf-8")
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "PLANTED" not in again.output
    assert again.output == first.output


def test_the_key_is_private(graph_file: Path) -> None:
    load([graph_file], cache=True)
    key = cache.cache_dir("") / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_bytes()) == 32


def test_a_key_readable_by_others_is_refused(graph_file: Path) -> None:
    load([graph_file], cache=True)
    (cache.cache_dir("") / "key").chmod(0o644)
    with pytest.raises(cache.CacheError, match="--no-cache"):
        load([graph_file], cache=True)


@pytest.mark.parametrize("which", ["root", "graphs"])
def test_a_folder_writable_by_others_is_refused_with_one_line(graph_file: Path, which: str) -> None:
    load([graph_file], cache=True)
    folder = cache.cache_dir("") if which == "root" else cache.cache_dir()
    folder.chmod(0o777)
    result = CliRunner().invoke(cli, ["--data", str(graph_file), "stats"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the cache folder ")
    assert "writable by others" in result.output and "--no-cache" in result.output
    assert result.output.count("\n") == 1
    ok = CliRunner().invoke(cli, ["--no-cache", "--data", str(graph_file), "stats"], catch_exceptions=False)
    assert ok.exit_code == 0


def test_a_folder_owned_by_another_user_is_refused(graph_file: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    load([graph_file], cache=True)
    os.chown(cache.cache_dir(), 65534, 65534)
    with pytest.raises(cache.CacheError, match=r"owned by another user .*--no-cache"):
        load([graph_file], cache=True)


def test_a_read_only_cache_only_costs_speed(graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-cache-here")
    assert load([graph_file], cache=True).label("mema") == "MemA"
