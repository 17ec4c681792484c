"""Finding entities by id, name, alias and Chinese name; suggestions on a miss."""

from __future__ import annotations

import pytest

from chokemap.graph.core.errors import UnknownEntity
from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.queries.lookup import normalize, resolve, resolve_country, search


def test_normalize_folds_case_width_and_separators() -> None:
    assert normalize("GB200 NVL72") == normalize("gb200-nvl72") == "gb200nvl72"


def test_exact_label_beats_prefix_and_substring(tiny: KnowledgeGraph) -> None:
    assert {h.id for h in search(tiny, "mem")[:3]} == {"memory", "mema", "memb"}
    top = search(tiny, "Memory")
    assert (top[0].id, top[0].score) == ("memory", 100)
    assert search(tiny, "emor")[0].id == "memory"  # a substring still finds it


def test_resolve_by_id_label_alias_and_iso(tiny: KnowledgeGraph) -> None:
    assert resolve(tiny, "scannerco") == "scannerco"
    assert resolve(tiny, "FABCO") == "fabco"
    assert resolve_country(tiny, "韩国") == "kr"
    assert resolve_country(tiny, "KR") == "kr"


def test_unknown_name_suggests(tiny: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as err:
        resolve(tiny, "ScanerCo")
    assert "ScannerCo" in err.value.suggestions
    assert str(err.value).startswith("no entity 'ScanerCo'; did you mean: ScannerCo")
