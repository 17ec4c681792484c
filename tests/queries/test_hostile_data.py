"""Invalid data that queries once used without a word (issue 14, case 11): a share outside
0..1 is refused at load (as a share of "abc" is) and flagged by validate; an entity with two
classes is flagged by validate; the same file given twice is read once.

tests/data/tiny.ttl: ScannerCo supplies the scanner with share 1.0; FabCo is a Firm.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.core.errors import DataError
from chokemap.graph.io.load import load
from chokemap.graph.io.notices import DataWarning
from chokemap.graph.queries.validate import validate

TINY = Path(__file__).parents[1] / "data" / "tiny.ttl"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = TINY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.ttl"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("share", ["1.5", "-0.05", "150"])
def test_a_share_outside_0_to_1_is_refused_at_load(tmp_path: Path, share: str) -> None:
    path = _variant(tmp_path, "cm:share 1.0", f"cm:share {share}")
    with pytest.raises(DataError, match=rf"scannerco -> scanner: cm:share {share} is outside 0\.\.1"):
        load([path])
    findings = validate(load([path], lenient=True))
    assert [f.check for f in findings if "cm:share" in f.message] != []


def test_an_entity_with_two_classes_is_flagged(tmp_path: Path) -> None:
    path = _variant(tmp_path, "cmi:fabco a cm:Firm", "cmi:fabco a cm:Firm, cm:Chip")
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "fabco: has two classes (Chip and Firm); give it one" in result.output


def test_the_toy_data_stays_valid() -> None:
    assert [f for f in validate(load([TINY], lenient=True)) if f.severity == "violation"] == []


def test_the_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    once = load([TINY])
    link = tmp_path / "again.ttl"
    link.symlink_to(TINY)
    with pytest.warns(DataWarning, match="given twice") as caught:
        twice = load([TINY, TINY, link])
    assert len(caught) == 2  # TINY again, and the link to it
    assert twice.g.number_of_edges() == once.g.number_of_edges()
    assert twice.files == [TINY]
