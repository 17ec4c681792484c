"""Hostile input (issue 14, cases 4 and 5): an unreadable file or folder is a one-line error
wherever it is read first (digest, reader, validate, an ETO import); a subject with 30,000 objects on one
predicate loads in linear time (counted, not timed).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.io.load import load
from chokemap.graph.io.triples import TripleIndex

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Make a path unreadable the way chmod 000 does for a user who is not root (the tests
    may run as root, whom no mode stops): every open of it fails with EACCES."""
    denied: set[str] = set()

    def deny(path: Any) -> None:
        if os.fspath(path) in denied or os.path.abspath(os.fspath(path)) in denied:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    real_open, real_os_open, real_listdir, real_scandir = builtins.open, os.open, os.listdir, os.scandir

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)):
            deny(file)
        return real_open(file, *args, **kwargs)

    def fake_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        deny(path)
        return real_os_open(path, *args, **kwargs)

    def fake_listdir(path: Any = ".") -> list[str]:
        deny(path)
        return real_listdir(path)

    def fake_scandir(path: Any = ".") -> Any:
        deny(path)
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "listdir", fake_listdir)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    yield lambda p: denied.update({str(p), os.path.abspath(p)})


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "g.ttl"
    path.write_text((DATA / "tiny.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["stats"], ["--no-cache", "stats"], ["validate"]])
def test_an_unreadable_file_is_one_line(tmp_path: Path, unreadable: Callable[[Path], None],
                                        monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _copy(tmp_path)
    unreadable(path)
    if command == ["validate"]:
        args = ["validate", str(path)]
    else:
        args = [*command[:-1], "--data", str(path), command[-1]]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: cannot read the file (Permission denied); check its permissions\n"


def test_an_unreadable_folder_is_one_line(tmp_path: Path, unreadable: Callable[[Path], None]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    _copy(folder)
    unreadable(folder)
    result = CliRunner().invoke(cli, ["--no-cache", "--data", str(folder), "stats"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output == f"Error: {folder}: cannot read the folder (Permission denied); check its permissions\n"


class Counted(str):
    """An IRI that counts how often it is compared."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        Counted.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_many_objects_of_one_predicate_are_added_in_linear_time() -> None:
    n = 3_000  # quadratic would compare about n*n/2 = 4.5 million times
    ix = TripleIndex()
    Counted.compared = 0
    for i in range(n):
        ix.add("http://e.org/item", "http://e.org/suppliedBy", Counted(f"http://e.org/s{i}"))
    ix.add("http://e.org/item", "http://e.org/suppliedBy", Counted("http://e.org/s7"))  # a duplicate
    assert len(ix.objects("http://e.org/item", "http://e.org/suppliedBy")) == n
    assert ix.count == n
    assert Counted.compared < 20 * n


def test_one_item_with_30000_suppliers_loads(tmp_path: Path) -> None:
    n = 30_000
    lines = ["@prefix cm: <https://chokemap.org/ns#> .", "@prefix cmi: <https://chokemap.org/id/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             'cmi:src a cm:Source ; rdfs:label "S" .',
             'cmi:wide a cm:Material ; rdfs:label "Wide" ;']
    lines.append(" ;\n".join(f"  cm:suppliedBy [ cm:supplier cmi:f{i} ; cm:source cmi:src ]"
                             for i in range(n)) + " .")
    lines += [f'cmi:f{i} a cm:Firm ; rdfs:label "F{i}" .' for i in range(n)]
    path = tmp_path / "wide.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kg = load([path])
    assert len(kg.edges_of("supplies")) == n


def test_an_unreadable_eto_csv_is_one_line(tmp_path: Path, unreadable: Callable[[Path], None]) -> None:
    providers = DATA / "eto" / "providers.csv"
    unreadable(providers)
    result = CliRunner().invoke(cli, ["import", "eto", str(DATA / "eto"), "-o", str(tmp_path / "eto.ttl")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output == f"Error: {providers}: cannot read the file (Permission denied); check its permissions\n"
    assert not (tmp_path / "eto.ttl").exists()
