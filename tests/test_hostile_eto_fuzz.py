"""Fuzzing ``import eto`` (issue 14): generated hostile ETO CSV folders, imported and then
loaded, end in an answer or a one-line ChokemapError, never another exception.

A folder starts as the small sample in ``tests/data/eto`` (the real dataset's header shapes);
each of its five CSV files is then kept, or given hostile rows (malformed quoting, wrong field
counts, huge fields past the csv module's 128 KiB limit, NUL bytes, formula-looking cells
``=HYPERLINK(...)``, duplicate ids, shares like ``abc``, ``150%``, ``-5``, ``1e309``, ``nan``),
a wrong header, non-UTF-8 bytes, a cut in mid-row, or emptied or removed.  Every import runs
through the library (:func:`import_eto`, then :func:`load` of what it wrote) and, for the
first examples, the command line as well (no traceback in the output).

The quick version runs 100 folders with the suite; CI's slow step runs 10,000
(``pytest -m slow``; ``CHOKEMAP_FUZZ_EXAMPLES`` overrides the number).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chokemap.cli import cli
from chokemap.graph.core.errors import ChokemapError
from chokemap.graph.interchange.eto import import_eto
from chokemap.graph.io.load import load

SAMPLE = Path(__file__).parent / "data" / "eto"
FILES = ("inputs.csv", "providers.csv", "provision.csv", "sequence.csv", "stages.csv")
SLOW = int(os.environ.get("CHOKEMAP_FUZZ_EXAMPLES", "10000"))

_CELLS = ["", " ", "abc", "150%", "150", "-5", "100.0", "0", "1e309", "nan", "inf", "50,5", "2025", "20x5",
          "N1", "N2", "N4", "P1", "P10", "S1", "S2", "country", "organization", "process", "tool",
          "material", "=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
          "-2+3", "a\x00b", "\x00", "line\nbreak", "\"quoted\"", "é中文", "\u202eRTL", "\ufeffbom",
          "[x](javascript:alert(1))", "[SIA](https://perma.cc/GT6R-SWEM)", "NLD", "Various companies"]


def _cell() -> st.SearchStrategy[str]:
    return st.sampled_from(_CELLS) | st.text(max_size=12)


def _rows(width: int) -> st.SearchStrategy[list[list[str]]]:
    """Rows of about ``width`` cells (sometimes one more or fewer)."""
    sizes = st.sampled_from([width, width, width, width - 1, width + 1, 1])
    return st.lists(sizes.flatmap(lambda n: st.lists(_cell(), min_size=n, max_size=n)), max_size=4)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@st.composite
def hostile_file(draw: st.DrawFn, original: bytes) -> bytes | None:
    """One CSV file of the folder, changed one hostile way (None: the file is removed)."""
    text = original.decode("utf-8")
    header = next(csv.reader([text.splitlines()[0]]))
    how = draw(st.sampled_from(["rows", "rows", "rows", "rows", "header", "bytes", "cut", "empty", "gone",
                                "raw", "huge"]))
    if how == "huge":  # one field past the csv module's 128 KiB limit, or just under it
        size = draw(st.sampled_from([140_000, 130_000]))
        return original + _csv([[*header[:-1], "x" * size][: len(header)]])
    if how == "rows":
        extra = draw(_rows(len(header)))
        if draw(st.booleans()):  # a duplicate of an existing row (duplicate ids)
            extra.append(next(csv.reader([text.splitlines()[1]])))
        return original + _csv(extra)
    if how == "header":
        cols = draw(st.permutations(header))
        cols = cols[: draw(st.integers(0, len(cols)))] + draw(st.lists(st.sampled_from(["id", "share", ""]), max_size=2))
        return _csv([cols]) + b"\n".join(original.splitlines()[1:]) + b"\n"
    if how == "bytes":
        at = draw(st.integers(0, len(original)))
        junk = draw(st.sampled_from([b"\xff\xfe", b"\x00", b"\xc3", b"\r", b"\"", b"\xe9t\xe9"]))
        return original[:at] + junk + original[at:]
    if how == "cut":
        return original[: draw(st.integers(0, len(original)))]
    if how == "empty":
        return b""
    if how == "gone":
        return None
    return draw(st.binary(max_size=200))


@st.composite
def hostile_folder(draw: st.DrawFn) -> dict[str, bytes | None]:
    """The sample folder with one or two of its files changed (so that most folders get past
    the first file's checks and reach the later ones, the import and the load)."""
    changed = draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=2, unique=True))
    return {name: draw(hostile_file((SAMPLE / name).read_bytes())) if name in changed
            else (SAMPLE / name).read_bytes() for name in FILES}


def _write(folder: Path, files: dict[str, bytes | None]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE / "README.md", folder / "README.md")
    for name, data in files.items():
        if data is not None:
            (folder / name).write_bytes(data)


def _one_line(exc: ChokemapError) -> None:
    assert str(exc).strip() and "\n" not in str(exc).strip(), str(exc)


def _import_and_load(root: Path, files: dict[str, bytes | None], through_cli: bool) -> None:
    folder, out = root / "eto", root / "eto.ttl"
    _write(folder, files)
    out.unlink(missing_ok=True)
    try:
        import_eto(folder, out)
    except ChokemapError as exc:
        _one_line(exc)
        assert not out.exists()  # nothing half-written
    else:
        try:
            load([out])
        except ChokemapError as exc:
            _one_line(exc)
    if through_cli:
        out.unlink(missing_ok=True)
        result = CliRunner().invoke(cli, ["import", "eto", str(folder), "-o", str(out)], catch_exceptions=False)
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output
        if result.exit_code:
            assert result.output.startswith("Error: ") and result.output.count("\n") == 1


_SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck)}
_CLI_EVERY = 10  # one example in ten also goes through the command line


@settings(max_examples=100, **_SETTINGS)  # type: ignore[arg-type]
@given(hostile_folder(), st.integers(0, _CLI_EVERY - 1))
def test_eto_fuzz(tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes | None], pick: int) -> None:
    _import_and_load(tmp_path_factory.getbasetemp() / "eto-fuzz", files, pick == 0)


@pytest.mark.slow
@settings(max_examples=SLOW, **_SETTINGS)  # type: ignore[arg-type]
@given(hostile_folder(), st.integers(0, _CLI_EVERY - 1))
def test_eto_fuzz_long(tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes | None], pick: int) -> None:
    _import_and_load(tmp_path_factory.getbasetemp() / "eto-fuzz-long", files, pick == 0)


def test_the_sample_imports_and_loads(tmp_path: Path) -> None:
    """The unchanged sample is the fuzz's starting point: it must import cleanly."""
    _import_and_load(tmp_path, {name: (SAMPLE / name).read_bytes() for name in FILES}, True)
    assert load([tmp_path / "eto.ttl"]).n_triples > 0
