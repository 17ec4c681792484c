"""Two datasets giving the same supplier of one item: the more recent figure is used, once."""

from __future__ import annotations

import datetime as dt

from chokemap.graph.engine.supply import Link, newest_of_datasets

OURS = ({"id": "src-report", "date": dt.date(2023, 5, 1)},)
ETO = ({"id": "eto-dataset", "date": dt.date(2025, 1, 1)},)


def test_the_more_recent_figure_replaces_the_older_and_says_so() -> None:
    ours, eto = Link("amat", "implanter", "supplies", 0.682, OURS), Link("amat", "implanter", "supplies", 0.626, ETO)
    (kept,) = newest_of_datasets([ours, eto])
    assert kept.share == 0.626 and kept.replaced == ({"dataset": "bundled", "share": 0.682, "year": 2023},)
    assert "[ETO, 2025: the more recent figure; bundled gives 68.2% (2023)]" in (kept.note or "")


def test_equal_figures_merge_without_a_word_and_other_rows_stay() -> None:
    ours, eto = Link("asml", "euv", "supplies", 1.0, OURS), Link("asml", "euv", "supplies", 1.0, ETO)
    stock = Link("asml", "euv", "supplies", None, OURS, stock=True)
    other = Link("nikon", "euv", "supplies", None, OURS)
    out = newest_of_datasets([ours, eto, stock, other])
    assert [(lk.node, lk.stock) for lk in out] == [("asml", False), ("asml", True), ("nikon", False)]
    assert out[0].sources == ETO and not out[0].replaced and out[0].note is None


def test_one_datasets_own_rows_are_never_merged() -> None:
    a, b = Link("f", "x", "supplies", 0.5, OURS), Link("f", "x", "supplies", 0.3, OURS)
    assert newest_of_datasets([a, b]) == [a, b]
