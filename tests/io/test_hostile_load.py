"""Hostile input (issue 14, cases 4 and 5): an unreadable file or folder is a one-line error
wherever it is read first (digest, reader, validate, an ETO import); a subject with 30,000 objects on one
predicate loads in linear time (counted, not timed).  Case 11, checks at load: a share outside
0..1 and an entity with two classes are refused (two classes with file:line); a requirement on an
untyped entity is warned with file:line and counted as unmet; a file given twice is read once,
warned; ``validate`` reports each as a finding instead.
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


# --------------------------------------------------------------------------- case 11: data checks at load

HEAD = ("@prefix cm: <https://chokemap.org/ns#> .\n@prefix cmi: <https://chokemap.org/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'cmi:src a cm:Source ; rdfs:label "S" ; cm:url "https://e.org" .\n'
        'cmi:f a cm:Firm ; rdfs:label "F" .\n')
# line 6: the chip; line 7: its requirement on cmi:ghost, which has no class.
UNTYPED = HEAD + ('cmi:chip a cm:Chip ; rdfs:label "Chip" ;\n'
                  "    cm:requires [ cm:input cmi:ghost ; cm:source cmi:src ] ;\n"
                  "    cm:suppliedBy [ cm:supplier cmi:f ; cm:source cmi:src ] .\n")
# line 6 types cmi:chip a Chip, line 7 a Firm too.
TWO_CLASSES = HEAD + 'cmi:chip a cm:Chip ; rdfs:label "Chip" .\ncmi:chip a cm:Firm .\n'


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_untyped_requirement_is_unmet_and_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _write(tmp_path, "g.ttl", UNTYPED)
    warning = (f"Warning: {path}:7: chip requires 'ghost', which the data never defines (no rdf:type): "
               "counted as unmet, so it is not available\n")
    for _run in range(2):  # fresh, then from the compiled-graph cache: the warning each time
        result = _invoke("--data", str(path), "available", "chip", "--as-of", "2026-01-01")
        assert result.exit_code == 0
        assert result.stderr == warning
        assert result.stdout == "Chip for any buyer, as of 2026-01-01: NOT AVAILABLE\n  - ghost has no supplier on this date\n"


def test_validate_reports_an_untyped_requirement_as_a_finding_only(tmp_path: Path) -> None:
    path = _write(tmp_path, "g.ttl", UNTYPED)
    result = _invoke("validate", str(path))
    assert result.exit_code == 1 and result.stderr == ""
    assert "chip requires ghost: cm:input points to 'ghost', which is not defined (no rdf:type)" in result.stdout


def test_two_classes_are_refused_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "g.ttl", TWO_CLASSES)
    result = _invoke("--no-cache", "--data", str(path), "stats")
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:6: chip has two classes (Chip and Firm); give it one "
                             "(chokemap validate lists every such entity)\n")
    checked = _invoke("validate", str(path))
    assert checked.exit_code == 1 and "chip: has two classes (Chip and Firm); give it one" in checked.stdout


@pytest.mark.parametrize(("share", "shown"), [("1.5", "1.5"), ("-0.05", "-0.05")])
def test_a_share_outside_0_1_is_refused(tmp_path: Path, share: str, shown: str) -> None:
    # line 7: the supply edge with the bad share
    text = HEAD + f'cmi:chip a cm:Chip ; rdfs:label "Chip" ;\n    cm:suppliedBy [ cm:supplier cmi:f ; cm:share {share} ] .\n'
    path = _write(tmp_path, "g.ttl", text)
    result = _invoke("--no-cache", "--data", str(path), "stats")
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:7: supplies edge f -> chip: cm:share {shown} is outside 0..1 "
                             "(a share is a fraction: 0.6 for 60%)\n")
    checked = _invoke("validate", str(path))
    assert checked.exit_code == 1 and "cm:share" in checked.stdout


def test_the_same_path_twice_is_read_once_with_a_warning(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    (tmp_path / "sub").mkdir()
    other = tmp_path / "sub" / ".." / "g.ttl"  # the same file by another name
    once = _invoke("--no-cache", "--data", str(path), "stats", "--json")
    twice = _invoke("--no-cache", "--data", str(path), "--data", str(other), "--data", str(tmp_path),
                    "stats", "--json")
    assert twice.exit_code == 0 and twice.stdout == once.stdout  # no edge doubled
    assert once.stderr == ""
    assert twice.stderr == (
        f"Warning: {other}: given twice (also as {path}); read once, so its edges are not doubled\n"
        f"Warning: {path}: given twice; read once, so its edges are not doubled\n")  # and in the folder
